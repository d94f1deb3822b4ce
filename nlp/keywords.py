"""Keywords per document, per section and per corpus: phrase TF-IDF, TextRank and keyness.

Authors' keywords are mostly multi-word terms (卷积神经网络 = 卷积 + 神经网络), so every method ranks candidate
PHRASES, not single tokens: runs of content tokens (nouns, verbs, verbal nouns, adjectives, distinguishing
words, Latin words) between punctuation and stop words, and their contiguous sub-sequences of 1..``max_tokens``
tokens (:func:`candidate_phrases`).

- :class:`PhraseTfidf` is a scikit-learn style estimator: ``fit`` learns the document frequency of every
  candidate phrase over a corpus, ``score`` ranks the phrases of a new document by tf * idf with priors for
  title, length, run boundaries and within-document recurrence; ``extract`` absorbs fragments into the
  phrase that always contains them and drops heading boilerplate (:data:`HEADING_WORDS`).
- :func:`textrank` ranks words by PageRank over a co-occurrence window and scores phrases by their words.
- :func:`keyness` compares term frequencies of a target against a reference (another document set, or
  jieba's dictionary frequencies by default) with log-likelihood (G2) and log-ratio (Hardie 2014).
- :func:`keywords` applies them to paragraphs grouped by document, section or the whole corpus.
"""

from __future__ import annotations

import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any

import pandas as pd

from nlp.lang import paragraph_frame
from nlp.lexicons import stopwords as load_stopwords

__all__ = [
    "HEADING_WORDS",
    "PhraseTfidf",
    "candidate_phrases",
    "jieba_reference",
    "keyness",
    "keywords",
    "phrase_counts",
    "textrank",
]

# Tags a keyword phrase may contain (content words); every other tag breaks a run.
PHRASE_TAGS = frozenset(
    {
        "n",
        "nr",
        "nrfg",
        "nrt",
        "ns",
        "nt",
        "nz",
        "ng",
        "vn",
        "an",
        "v",
        "vd",
        "a",
        "b",
        "j",
        "l",
        "i",
        "eng",
        "g",
    }
)
# Tags a phrase may end with (its head): nouns, verbal nouns, verbs, Latin words, fixed expressions.
HEAD_TAGS = frozenset(
    {"n", "nr", "nrfg", "nrt", "ns", "nt", "nz", "ng", "vn", "an", "v", "j", "l", "eng", "i"}
)
# Tags a phrase may not start with.
NO_START_TAGS = frozenset({"vd"})

Tagged = Sequence[tuple[str, str]]

# Structural words of section headings in Chinese official documents (公文: 总体要求 / 重点任务 / 保障措施 /
# 总则 / 附则), government work reports (工作回顾, 主要目标) and research papers or reports (研究背景, 结论,
# 对策建议, 发展概况). A candidate made ONLY of these words names a part of the document, not its subject,
# and is never a keyword. With a handful of documents idf cannot learn this (each heading occurs in one or
# two), hence a small fixed list; content words (政策, 经济, 数据) are deliberately absent.
HEADING_WORDS = frozenset({
    "总体", "要求", "总体要求", "指导", "思想", "指导思想", "基本", "原则", "基本原则", "主要", "重点", "目标", "任务", "工作",
    "措施", "保障", "保障措施", "组织", "实施", "领导", "回顾", "部署", "安排", "情况", "概况", "总则", "附则", "分则",
    "附件", "附录", "说明", "事项", "有关", "意见", "通知", "方案", "建议", "对策", "政策建议", "实施方案", "展望", "背景",
    "引言", "前言", "摘要", "结论", "结语", "总结", "讨论", "方法", "结果", "研究", "报告", "发展", "章", "节",
})  # fmt: skip


# Verbs that only ever predicate (广州 具有 …优良条件, 本文 提出 …方法): they end a content run like a stop word, so
# that no candidate phrase holds one (广州具有). Verbs that head terms (图像识别, 资源利用) are not listed.
PREDICATE_VERBS = frozenset({
    "具有", "具备", "拥有", "提出", "进行", "存在", "成为", "属于", "包括", "认为", "表明", "发现", "显示", "得到",
    "获得", "取得", "给出", "采取", "造成", "导致",
})  # fmt: skip


def _runs(pairs: Tagged, stop: frozenset[str]) -> list[list[tuple[str, str, int]]]:
    runs: list[list[tuple[str, str, int]]] = []
    current: list[tuple[str, str, int]] = []
    for i, (w, t) in enumerate(pairs):
        if (
            t in PHRASE_TAGS
            and w not in stop
            and not w.isspace()
            and not (len(w) == 1 and t == "v")
            and not (t == "v" and w in PREDICATE_VERBS)
        ):
            current.append((w, t, i))
        else:
            if current:
                runs.append(current)
            current = []
    if current:
        runs.append(current)
    return runs


def candidate_phrases(
    pairs: Tagged, *, max_tokens: int = 4, min_chars: int = 2, stop: frozenset[str] | None = None
) -> list[tuple[str, int, int]]:
    """Candidate keyword phrases of a tagged text: (phrase, first token index, number of tokens).

    Every contiguous sub-sequence of a content run is a candidate when it ends with a head tag, has at least
    ``min_chars`` characters and, for one-token candidates, is not a single verb (verbs alone are rarely
    keywords but often heads: 图像 + 识别).
    """
    stop = load_stopwords() if stop is None else stop
    out: list[tuple[str, int, int]] = []
    for run in _runs(pairs, stop):
        for i in range(len(run)):
            if run[i][1] in NO_START_TAGS:
                continue
            for n in range(1, min(max_tokens, len(run) - i) + 1):
                last = run[i + n - 1]
                if last[1] not in HEAD_TAGS:
                    continue
                if n == 1 and last[1] == "v":
                    continue
                phrase = "".join(w for w, _, _ in run[i : i + n])
                if len(phrase) < min_chars:
                    continue
                out.append((phrase, run[i][2], n))
    return out


def phrase_counts(pairs: Tagged, **options: Any) -> Counter[str]:
    """How often each candidate phrase occurs in a tagged text."""
    return Counter(p for p, _, _ in candidate_phrases(pairs, **options))


class PhraseTfidf:
    """TF-IDF over candidate phrases, fitted on a corpus of tagged documents (scikit-learn conventions).

    Parameters are stored by ``__init__``; ``fit`` sets ``df_`` (phrase -> number of documents), ``cf_``
    (phrase -> occurrences in the corpus) and ``n_docs_``. A document is a sequence of (word, tag) pairs;
    ``score`` may be given the title's pairs.

    The score of a phrase in a document is ``tf_weight * idf`` times four priors, each measured on CSL
    abstracts against their authors' keywords (``tests/bench/eval_keywords.py``) and kept general:

    - title: phrases of the title / headings get ``title_weight`` added to the tf weight;
    - length: ``length_weight`` per extra token, and ``exp(-char_weight * |chars - 4|)``: authors'
      keywords peak at 4 characters (2-6 cover ~85%), so overlong chunks and 2-character fragments lose;
    - boundary: ``1 + boundary_weight * share of occurrences that start / end a content run``: a phrase cut
      out of the middle of a longer chunk (果机 in 苹果机) is rarely a term;
    - burstiness: ``(cf / df) ** burst_weight``, the mean number of occurrences in the documents that use
      the phrase: topical terms recur within a document, generic words (研究, 方法, 总体要求) occur once;
    - general rarity: ``rarity ** reference_weight_``, rarity from jieba's dictionary frequencies (1 for a phrase
      that is no dictionary word): it stands in for idf when the corpus is too small to have one (by default its
      weight is 1 for up to 10 documents, falling as 10 / N; on CSL's 7,410 abstracts any fixed weight lowered F@5).
    """

    def __init__(
        self,
        *,
        max_tokens: int = 4,
        title_weight: float = 1.5,
        length_weight: float = -0.2,
        char_weight: float = 0.1,
        position_weight: float = 0.5,
        boundary_weight: float = 1.0,
        burst_weight: float = 0.5,
        absorb_max_chars: int = 5,
        reference_weight: float | None = None,
        stopwords: frozenset[str] | None = None,
    ) -> None:
        self.max_tokens = max_tokens
        self.title_weight = title_weight
        self.length_weight = length_weight
        self.char_weight = char_weight
        self.position_weight = position_weight
        self.boundary_weight = boundary_weight
        self.burst_weight = burst_weight
        self.absorb_max_chars = absorb_max_chars
        self.reference_weight = reference_weight
        self.stopwords = stopwords

    def _stop(self) -> frozenset[str]:
        return load_stopwords() if self.stopwords is None else self.stopwords

    def fit(self, docs: Iterable[Tagged]) -> PhraseTfidf:
        stop = self._stop()
        df: Counter[str] = Counter()
        cf: Counter[str] = Counter()
        n = 0
        for pairs in docs:
            n += 1
            counts = phrase_counts(pairs, max_tokens=self.max_tokens, stop=stop)
            df.update(counts.keys())
            cf.update(counts)
        self.df_ = df
        self.cf_ = cf
        self.n_docs_ = n
        return self

    @property
    def reference_weight_(self) -> float:
        """The exponent of the general-language rarity prior: ``reference_weight``, or when None ``min(1, 10 / N)``
        for a corpus of N documents (5 reports cannot tell 建设 from 数据跨境流动 by idf; 7,000 abstracts can)."""
        if self.reference_weight is not None:
            return self.reference_weight
        return min(1.0, 10.0 / max(self.n_docs_, 1))

    def idf(self, phrase: str) -> float:
        """Smoothed idf, log((1 + N) / (1 + df)) + 1, as scikit-learn's TfidfTransformer."""
        return math.log((1 + self.n_docs_) / (1 + self.df_.get(phrase, 0))) + 1.0

    def burstiness(self, phrase: str) -> float:
        """Mean occurrences of ``phrase`` per corpus document that contains it (1.0 when unseen)."""
        return self.cf_.get(phrase, 1) / max(self.df_.get(phrase, 1), 1)

    def score(self, pairs: Tagged, *, title: Tagged | None = None) -> list[tuple[str, float]]:
        """(phrase, score) of one document, best first."""
        if not hasattr(self, "df_"):
            raise RuntimeError("PhraseTfidf is not fitted: call fit(docs) first")
        stop = self._stop()
        cands = candidate_phrases(pairs, max_tokens=self.max_tokens, stop=stop)
        tf: Counter[str] = Counter(p for p, _, _ in cands)
        ntok: dict[str, int] = {}
        first: dict[str, int] = {}
        for p, start, n in cands:
            ntok[p] = min(n, ntok.get(p, n))
            first.setdefault(p, start)
        edges = _run_edges(pairs, cands, stop)
        structural = {p for p, start, n in cands if _all_heading_words(pairs[start : start + n])}
        length = max(len(pairs), 1)
        in_title: set[str] = set()
        if title:
            tcands = candidate_phrases(title, max_tokens=self.max_tokens, stop=stop)
            in_title = {p for p, _, _ in tcands}
            structural |= {p for p, start, n in tcands if _all_heading_words(title[start : start + n])}
            for p, _, n in tcands:
                ntok.setdefault(p, n)
                tf.setdefault(p, 0)
        scores = []
        beta = self.reference_weight_
        for p, count in tf.items():
            if p[0].isdigit() or p[0] in ".-" or _MAGNITUDE_UNIT.fullmatch(p):
                continue  # measurements and codes (532nm, 10-9cm, 万人 of 118.3万人) are not keywords
            if p in structural:
                continue  # 总体要求, 重点任务, 研究方法: names a part of the document (HEADING_WORDS)
            weight = (1.0 + math.log1p(count)) if count else 1.0
            if p in in_title:
                weight += self.title_weight
            weight *= max(1.0 + self.length_weight * (ntok[p] - 1), 0.1)
            weight *= math.exp(-self.char_weight * abs(len(p) - 4))
            weight *= 1.0 + self.position_weight * (1.0 - first.get(p, length) / length)
            if count:
                weight *= 1.0 + self.boundary_weight * edges[p] / (2 * count)
            weight *= min(self.burstiness(p), 1.0 + count) ** self.burst_weight
            if beta:
                weight *= _general_rarity(p) ** beta
            scores.append((p, weight * self.idf(p)))
        scores.sort(key=lambda x: (-x[1], x[0]))
        return scores

    def extract(
        self, pairs: Tagged, *, top: int = 10, title: Tagged | None = None
    ) -> list[tuple[str, float]]:
        """The ``top`` phrases: fragments absorbed into the phrase that always contains them, then
        a phrase contained in a better-ranked one with the same count dropped."""
        text = "".join(w for w, _ in pairs)
        scored = _absorb(self.score(pairs, title=title), text, max_chars=self.absorb_max_chars)
        return _dedupe(scored, top=top, text_pairs=pairs)


# a magnitude and its unit split from the figure before it (118.3 | 万人): what is counted, never a keyword
_MAGNITUDE_UNIT = re.compile(r"[十百千万亿]+[人元户吨家个项亩台辆件次座所]?")


def _general_rarity(phrase: str) -> float:
    """How rare ``phrase`` is in general Chinese, from 0 (the commonest word) to 1 (not a word of jieba's
    dictionary, as most multi-word terms): log((T + 1) / (f + 1)) / log(T + 1), f its dictionary frequency."""
    ref, total = _reference_totals()
    return math.log((total + 1) / (ref.get(phrase, 0) + 1)) / math.log(total + 1)


@lru_cache(maxsize=1)
def _reference_totals() -> tuple[Counter[str], int]:
    ref = jieba_reference()
    return ref, sum(ref.values())


def _all_heading_words(tokens: Tagged) -> bool:
    return all(w in HEADING_WORDS for w, _ in tokens)


def _run_edges(pairs: Tagged, cands: list[tuple[str, int, int]], stop: frozenset[str]) -> Counter[str]:
    """Per phrase, how many of its start and end points coincide with the start / end of a content run."""
    starts: set[int] = set()
    ends: set[int] = set()
    for run in _runs(pairs, stop):
        starts.add(run[0][2])
        ends.add(run[-1][2])
    edges: Counter[str] = Counter()
    for p, start, n in cands:
        edges[p] += (start in starts) + (start + n - 1 in ends)
    return edges


def _absorb(scored: list[tuple[str, float]], text: str, *, max_chars: int) -> list[tuple[str, float]]:
    """Subsumption: a phrase whose every occurrence lies inside one longer candidate (of at most
    ``max_chars`` characters) is replaced by the shortest such candidate, which keeps the better score.

    Fixes fragments of a term the segmenter split (克林 + 沙星, 滋养层 of 滋养层细胞) without promoting
    overlong chunks (the length cap; longer chunks still compete on their own score).
    """
    best = dict(scored)
    # Only phrases up to max_chars can be absorbed or absorb; index every such phrase by its substrings so
    # that finding the containers of a phrase is a lookup, not a scan of all candidates (linear, not quadratic).
    short = [q for q in best if len(q) <= max_chars]
    counts = {p: text.count(p) for p in short}
    containers_of: dict[str, list[str]] = {}
    for q in short:
        subs = {q[i:j] for i in range(len(q)) for j in range(i + 1, len(q) + 1) if j - i < len(q)}
        for sub in subs:
            containers_of.setdefault(sub, []).append(q)
    out: dict[str, float] = {}
    for phrase, score in scored:
        n = counts.get(phrase, 0)
        containers = [q for q in containers_of.get(phrase, ()) if n and counts[q] >= n] if n else []
        if containers:
            target = min(containers, key=lambda q: (len(q), q))
            score = max(score, best[target])
        else:
            target = phrase
        out[target] = max(out.get(target, 0.0), score)
    return sorted(out.items(), key=lambda x: (-x[1], x[0]))


def _dedupe(scored: list[tuple[str, float]], *, top: int, text_pairs: Tagged) -> list[tuple[str, float]]:
    text = "".join(w for w, _ in text_pairs)
    chosen: list[tuple[str, float]] = []
    for phrase, score in scored:
        # A sub-phrase that never occurs outside a chosen longer phrase adds nothing.
        if any(phrase in c and text.count(phrase) <= text.count(c) for c, _ in chosen):
            continue
        chosen.append((phrase, score))
        if len(chosen) >= top:
            break
    return chosen


def textrank(
    pairs: Tagged, *, top: int = 10, window: int = 5, damping: float = 0.85, iterations: int = 30
) -> list[tuple[str, float]]:
    """TextRank over the content words of one text; phrases score the mean of their words times sqrt(len)."""
    stop = load_stopwords()
    runs = _runs(pairs, stop)
    seq = [w for run in runs for w, t, _ in run if t in HEAD_TAGS or t in {"a", "b"}]
    if not seq:
        return []
    neighbours: dict[str, Counter[str]] = defaultdict(Counter)
    for i, w in enumerate(seq):
        for j in range(i + 1, min(i + window, len(seq))):
            if seq[j] != w:
                neighbours[w][seq[j]] += 1
                neighbours[seq[j]][w] += 1
    nodes = list(neighbours) or list(set(seq))
    rank = dict.fromkeys(nodes, 1.0)
    out_weight = {w: sum(neighbours[w].values()) or 1 for w in nodes}
    for _ in range(iterations):
        rank = {
            w: (1 - damping) + damping * sum(rank[v] * c / out_weight[v] for v, c in neighbours[w].items())
            for w in nodes
        }
    scored: dict[str, float] = {}
    for phrase, start, n in candidate_phrases(pairs, stop=stop):
        words = [w for w, _ in pairs[start : start + n]]
        values = [rank.get(w, 0.0) for w in words]
        scored[phrase] = sum(values) / len(values) * math.sqrt(n)
    ranked = sorted(scored.items(), key=lambda x: (-x[1], x[0]))
    return _dedupe(ranked, top=top, text_pairs=pairs)


@lru_cache(maxsize=1)
def jieba_reference() -> Counter[str]:
    """Word frequencies of jieba's dictionary (dict.txt): the built-in general-language reference."""
    import jieba

    path = Path(jieba.__file__).resolve().parent / "dict.txt"
    counts: Counter[str] = Counter()
    with path.open(encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) >= 2 and parts[1].isdigit():
                counts[parts[0]] = int(parts[1])
    return counts


def keyness(
    target: Mapping[str, int],
    reference: Mapping[str, int] | None = None,
    *,
    min_count: int = 3,
    top: int | None = None,
) -> pd.DataFrame:
    """Keyness of each term of ``target`` against ``reference`` (default: jieba's dictionary frequencies).

    Columns: term, count, ref_count, log_likelihood (Dunning G2, signed: negative when the term is relatively
    rarer in the target), log_ratio (log2 of the ratio of relative frequencies, 0.5 added to a zero
    reference count), sorted by log_likelihood.
    """
    ref = jieba_reference() if reference is None else reference
    n1 = sum(target.values())
    n2 = sum(ref.values())
    columns = ["term", "count", "ref_count", "log_likelihood", "log_ratio"]
    if n1 == 0 or n2 == 0:
        return pd.DataFrame(columns=columns)
    rows = []
    for term, a in target.items():
        if a < min_count:
            continue
        b = ref.get(term, 0)
        e1 = n1 * (a + b) / (n1 + n2)
        e2 = n2 * (a + b) / (n1 + n2)
        g2 = 2 * (a * math.log(a / e1) + (b * math.log(b / e2) if b else 0.0))
        ratio = math.log2((a / n1) / (max(b, 0.5) / n2))
        rows.append({"term": term, "count": a, "ref_count": b, "log_likelihood": math.copysign(g2, ratio),
                     "log_ratio": ratio})  # fmt: skip
    out = pd.DataFrame(rows, columns=columns).sort_values("log_likelihood", ascending=False)
    out = out.reset_index(drop=True)
    return out.head(top) if top else out


def _term_counts(tagged: Iterable[Tagged], stop: frozenset[str], *, phrases: bool) -> Counter[str]:
    counts: Counter[str] = Counter()
    for pairs in tagged:
        if phrases:
            counts.update(phrase_counts(pairs, stop=stop, max_tokens=2))
        else:
            counts.update(w for run in _runs(pairs, stop) for w, t, _ in run if t in HEAD_TAGS and len(w) > 1)
    return counts


def _groups(frame: pd.DataFrame, by: str) -> list[tuple[str, pd.DataFrame]]:
    if by == "document":
        return [(str(doc), g) for doc, g in frame.groupby("doc", sort=False)]
    if by == "section":
        return [
            (f"{doc} | {sec}" if sec else str(doc), g)
            for (doc, sec), g in frame.groupby(["doc", "section"], sort=False)
        ]
    if by == "corpus":
        return [("corpus", frame)]
    raise ValueError(f"by must be 'document', 'section' or 'corpus', got {by!r}")


def _pairs_of(group: pd.DataFrame) -> list[tuple[str, str]]:
    pairs: list[tuple[str, str]] = []
    for tokens, tags in zip(group["tokens"], group["tags"]):
        pairs.extend(zip(tokens, tags))
        pairs.append(("\n", "x"))
    return pairs


def keywords(
    paragraphs: Any,
    *,
    by: str = "document",
    method: str = "tfidf",
    top: int = 10,
    vs: Any = None,
    config: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Keywords of paragraphs grouped ``by`` document, section or corpus.

    ``method``: "tfidf" (phrase TF-IDF fitted on the groups; headings count as titles), "textrank", or
    "keyness" (against the paragraphs ``vs`` when given, else against jieba's dictionary frequencies).
    ``by="corpus"`` with "tfidf" falls back to keyness, since idf over a single group is meaningless.
    Returns columns group, rank, term, score.
    """
    frame = paragraph_frame(paragraphs, tokens=True, config=config)
    stop = load_stopwords(config)
    groups = _groups(frame, by)
    rows: list[dict[str, Any]] = []
    if method == "tfidf" and by == "corpus":
        method = "keyness"
    if method == "keyness":
        if vs is not None:
            other = paragraph_frame(vs, tokens=True, config=config)
            reference: Mapping[str, int] | None = _term_counts([_pairs_of(other)], stop, phrases=True)
        else:
            reference = None  # jieba's dictionary: single words only, so compare words
        for name, group in groups:
            counts = _term_counts([_pairs_of(group)], stop, phrases=vs is not None)
            table = keyness(counts, reference, top=top)
            for rank, (term, score) in enumerate(zip(table["term"], table["log_likelihood"]), 1):
                rows.append({"group": name, "rank": rank, "term": term, "score": float(score)})
    elif method == "tfidf":
        docs = [_pairs_of(g) for _, g in groups]
        model = PhraseTfidf(stopwords=stop).fit(docs)
        for (name, group), pairs in zip(groups, docs):
            headings = group[group["kind"] == "heading"]
            title = _pairs_of(headings) if len(headings) else None
            for rank, (term, score) in enumerate(model.extract(pairs, top=top, title=title), 1):
                rows.append({"group": name, "rank": rank, "term": term, "score": score})
    elif method == "textrank":
        for name, group in groups:
            for rank, (term, score) in enumerate(textrank(_pairs_of(group), top=top), 1):
                rows.append({"group": name, "rank": rank, "term": term, "score": score})
    else:
        raise ValueError(f"method must be 'tfidf', 'textrank' or 'keyness', got {method!r}")
    return pd.DataFrame(rows, columns=["group", "rank", "term", "score"])
