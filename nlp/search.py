"""BM25 passage search over paragraphs (bm25s) with jieba search-mode tokens.

Design
------
* Paragraphs are segmented once with ``rjieba.cut_for_search`` (jieba's search mode: long words are also split
  into their sub-words, so "粤港澳大湾区" is found by "大湾区"). Token ids are cached as one flat ``int32`` array
  plus offsets, so a rebuild never re-segments text.
* bm25s has no incremental add. :class:`SearchIndex` therefore keeps a **main** index and a small **delta**
  index: :meth:`SearchIndex.add` appends the new paragraphs and rebuilds only the delta (cheap); queries score
  both and merge the top hits. When the delta grows past ``delta_ratio`` of the main index (or
  ``delta_max``), everything is merged into a new main index from the cached token ids. Scores in the delta use
  the delta's own IDF, an approximation that the size limit keeps small.
* Ranking: BM25 with ``b=0.5`` (paragraphs vary from one line to a page; full length normalisation favoured
  short ones), query stop words and question-frame words dropped, small synonym groups added at half weight
  (``nlp/lexicons/query_words.txt``: 短板 -> 不足, 弱项 …), and a phrase-proximity boost of the best candidates (:meth:`_rerank`).
  The pipeline indexes prose and table paragraphs, not headings or tables of contents (a hit carries its
  section path). On a blind set of 40 researcher queries over five documents (scored by
  ``../shared/eval/score.py search``) these choices took recall@10 0.72 -> 0.79, MRR 0.89 -> 0.97,
  nDCG@10 0.64 -> 0.73.
* Optional query expansion: with word vectors (:mod:`nlp.vectors`), each query term adds its nearest terms with
  a lower weight (``expand_weight``).

Example::

    index = SearchIndex().fit(passages)          # passages: iterable of Passage or dicts
    hits = index.search("数据跨境流动", top=5)
    index.save("models/search")
"""

from __future__ import annotations

import functools
import itertools
import json
import re
from array import array
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import bm25s
import numpy as np
import pandas as pd
import rjieba

from nlp.errors import ZhcorpusError
from nlp.versions import library_versions

__all__ = ["Passage", "SearchHit", "SearchIndex", "highlight", "read_queries", "search_tokens"]

FORMAT_VERSION = 3  # 2: headings are no passages, b 0.5, phrase 1.0, query stop words; 3: synonyms, no TOC
_WORDY = re.compile(r"[\w\u3400-\u9fff]")


@dataclass(slots=True)
class Passage:
    """One searchable paragraph with its provenance."""

    doc: str
    paragraph: int
    text: str
    section: str = ""


@dataclass(slots=True)
class SearchHit:
    """One ranked result; ``highlight`` is the text with matched terms wrapped in 【】."""

    doc: str
    section: str
    paragraph: int
    text: str
    score: float
    highlight: str = ""
    matches: list[str] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def search_tokens(text: str, *, jieba: Any = None) -> list[str]:
    """Search-mode tokens of ``text``: jieba ``cut_for_search``, lower-cased, punctuation and spaces dropped.

    ``jieba`` is an ``rjieba.Jieba`` instance (with a user dictionary); the default dictionary otherwise.
    """
    cut = jieba.cut_for_search if jieba is not None else rjieba.cut_for_search
    return [t.lower() for t in cut(text) if _WORDY.search(t)]


@functools.cache
def _query_stopwords() -> frozenset[str]:
    """Dropped from queries: the project's Chinese stop words (stopwords-iso + additions) and the question-frame
    words of ``nlp/lexicons/query_words.txt`` (哪些, 怎么, 情况 ...) match everywhere and only dilute the terms
    that matter."""
    from nlp.lexicons import query_words, stopwords

    return stopwords() | query_words()[0]


def _synonym_groups() -> tuple[tuple[str, ...], ...]:
    from nlp.lexicons import query_words

    return query_words()[1]


def highlight(text: str, terms: Iterable[str], *, open_mark: str = "【", close_mark: str = "】") -> str:
    """``text`` with every occurrence of the given terms marked (longest first, no nested marks)."""
    terms = sorted({t for t in terms if t}, key=len, reverse=True)
    if not terms:
        return text
    pattern = re.compile("|".join(re.escape(t) for t in terms), re.IGNORECASE)
    marked = pattern.sub(lambda m: f"{open_mark}{m.group(0)}{close_mark}", text)
    return marked.replace(close_mark + open_mark, "")  # 【大湾】【区】 -> 【大湾区】


def read_queries(path: str | Path) -> list[str]:
    """Queries of a file (UTF-8 or GB18030/GBK): one per line, or JSON Lines whose objects carry a ``"query"`` (a qrels file works as
    is). Blank lines are skipped; a JSON line without ``query`` raises ValueError naming the file and line."""
    from nlp.readers import read_text_file

    out = []
    path = Path(path)
    for n, line in enumerate(read_text_file(path).splitlines(), 1):  # UTF-8 or GB18030/GBK
        line = line.strip()
        if not line:
            continue
        if line.startswith("{"):
            try:
                query = json.loads(line).get("query")
            except (json.JSONDecodeError, AttributeError) as exc:
                raise ValueError(f"{path}:{n}: not a JSON object ({exc})") from None
            if not isinstance(query, str) or not query.strip():
                raise ValueError(f'{path}:{n}: no "query" text')
            out.append(query.strip())
        else:
            out.append(line)
    return out


def _as_passage(item: Passage | dict[str, Any]) -> Passage:
    if isinstance(item, Passage):
        return item
    try:
        return Passage(
            doc=str(item["doc"]),
            paragraph=int(item.get("paragraph", item.get("idx", 0))),
            text=str(item["text"]),
            section=str(item.get("section") or ""),
        )
    except KeyError as exc:
        raise ValueError(f"a passage needs 'doc' and 'text' keys, got {sorted(item)}") from exc


class SearchIndex:
    """BM25 index over paragraphs (an estimator: ``fit`` returns self, learned state ends in ``_``).

    Parameters: ``k1``/``b``/``method`` go to bm25s; ``delta_ratio``/``delta_max`` bound the delta index before
    a merge; ``expand_topn``/``expand_weight``/``expand_min_sim`` steer query expansion with word vectors.
    """

    def __init__(
        self,
        *,
        k1: float = 1.2,
        b: float = 0.5,
        method: str = "lucene",
        delta_ratio: float = 0.1,
        delta_max: int = 50_000,
        expand_topn: int = 3,
        expand_weight: float = 0.3,
        expand_min_sim: float = 0.6,
        phrase_weight: float = 1.0,
        rerank_depth: int = 50,
        synonym_weight: float = 0.5,
        user_words: Sequence[str] | None = None,
    ) -> None:
        self.k1 = k1
        self.b = b
        self.method = method
        self.delta_ratio = delta_ratio
        self.delta_max = delta_max
        self.expand_topn = expand_topn
        self.expand_weight = expand_weight
        self.expand_min_sim = expand_min_sim
        self.phrase_weight = phrase_weight
        self.rerank_depth = rerank_depth
        self.synonym_weight = synonym_weight
        self.user_words = list(user_words) if user_words else None

    # ------------------------------------------------------------------ building
    def get_params(self) -> dict[str, Any]:
        return {
            k: getattr(self, k)
            for k in (
                "k1",
                "b",
                "method",
                "delta_ratio",
                "delta_max",
                "expand_topn",
                "expand_weight",
                "expand_min_sim",
                "phrase_weight",
                "rerank_depth",
                "synonym_weight",
                "user_words",
            )
        }

    def fit(self, passages: Iterable[Passage | dict[str, Any]]) -> SearchIndex:
        """Segment and index the passages (streamed once); replaces any previous content."""
        self.vocab_ = {}
        self._raw_ids: dict[str, int] = {}
        self.docs_: list[str] = []
        self.sections_: list[str] = []
        self.paragraphs_ = array("q")
        self.texts_: list[str] = []
        self._ids = array("i")
        self._offsets = array("q", [0])
        self.n_main_ = 0
        self._append(passages)
        self._build_main()
        return self

    def add(self, passages: Iterable[Passage | dict[str, Any]]) -> SearchIndex:
        """Add passages without re-segmenting the old ones; rebuilds only the delta unless it grew too large."""
        self._check_fitted()
        added = self._append(passages)
        if not added:
            return self
        n_delta = len(self.texts_) - self.n_main_
        if n_delta > self.delta_max or n_delta > self.delta_ratio * max(self.n_main_, 1):
            self._build_main()
        else:
            self._build_delta()
        return self

    def _append(self, passages: Iterable[Passage | dict[str, Any]]) -> int:
        # raw jieba token -> vocabulary id, or -1 for punctuation/space; filled lazily so each distinct raw
        # token is normalised once (the per-token regex and lower() were most of the build time)
        cache: dict[str, int] = self.__dict__.setdefault("_raw_ids", {})
        ids_out = self._ids
        before = len(self.texts_)
        get = cache.get
        jb = self._segmenter()
        for item in passages:
            p = _as_passage(item)
            toks = jb.cut_for_search(p.text)
            ids = [get(t, -2) for t in toks]
            if -2 in ids:
                ids = [self._raw_id(t, cache) if i == -2 else i for t, i in zip(toks, ids)]
            ids_out.extend([i for i in ids if i >= 0])
            self._offsets.append(len(ids_out))
            self.docs_.append(p.doc)
            self.sections_.append(p.section)
            self.paragraphs_.append(p.paragraph)
            self.texts_.append(p.text)
        return len(self.texts_) - before

    def _doc_mask(self, wanted: set[str]) -> np.ndarray:
        """Boolean mask of the passages of the ``wanted`` documents (document codes cached per size)."""
        cached = self.__dict__.get("_doc_codes")
        if cached is None or len(cached[0]) != len(self.docs_):
            codes_of: dict[str, int] = {}
            codes = np.fromiter(
                (codes_of.setdefault(d, len(codes_of)) for d in self.docs_),
                dtype=np.int32,
                count=len(self.docs_),
            )
            cached = self._doc_codes = (codes, codes_of)
        codes, codes_of = cached
        return np.isin(codes, [codes_of[d] for d in wanted if d in codes_of])

    def _segmenter(self) -> Any:
        """The jieba used for passages and queries alike: the default one, or a private instance that also
        knows ``user_words`` (the project lexicon), so domain terms (跨境电商综合试验区) stay whole."""
        jb = self.__dict__.get("_jieba")
        if jb is None:
            if self.user_words:
                jb = rjieba.Jieba()
                for word in self.user_words:
                    jb.add_word(word, None, None)
            else:
                jb = rjieba
            self._jieba = jb
        return jb

    def _raw_id(self, tok: str, cache: dict[str, int]) -> int:
        tid = -1
        if _WORDY.search(tok):
            low = tok.lower()
            tid = self.vocab_.get(low, -1)
            if tid < 0:
                tid = self.vocab_[low] = len(self.vocab_)
        cache[tok] = tid
        return tid

    def _token_lists(self, start: int, stop: int) -> list[list[int]]:
        ids = np.frombuffer(self._ids, dtype=np.int32) if len(self._ids) else np.zeros(0, np.int32)
        offs = self._offsets
        return [ids[offs[i] : offs[i + 1]].tolist() for i in range(start, stop)]

    def _bm25(self, start: int, stop: int) -> bm25s.BM25 | None:
        if stop <= start:
            return None
        model = bm25s.BM25(k1=self.k1, b=self.b, method=self.method)
        # ids are our global vocabulary ids (0..V-1); bm25s adds the empty token "" at V in its own copy
        model.index((self._token_lists(start, stop), dict(self.vocab_)), show_progress=False)
        return model

    def _build_main(self) -> None:
        self.n_main_ = len(self.texts_)
        self.main_ = self._bm25(0, self.n_main_)
        self.delta_ = None

    def _build_delta(self) -> None:
        self.delta_ = self._bm25(self.n_main_, len(self.texts_))

    def _check_fitted(self) -> None:
        if not hasattr(self, "texts_"):
            raise ZhcorpusError(
                "the search index is not fitted: call fit(passages) or SearchIndex.load(folder)"
            )

    def passages_frame(self) -> pd.DataFrame:
        """The indexed passages as a DataFrame (doc, section, paragraph, text), in index order."""
        self._check_fitted()
        return pd.DataFrame(
            {
                "doc": self.docs_,
                "section": self.sections_,
                "paragraph": np.frombuffer(self.paragraphs_, dtype=np.int64)
                if len(self.paragraphs_)
                else np.zeros(0, np.int64),
                "text": self.texts_,
            }
        )

    @property
    def n_passages(self) -> int:
        self._check_fitted()
        return len(self.texts_)

    # ------------------------------------------------------------------ querying
    def _query_terms(self, query: str, vectors: Any = None) -> dict[str, float]:
        """Query term -> weight: 1.0 for the query's search-mode tokens, less for vector neighbours.

        Vectors are trained on precise-mode words (数字贸易), the index holds search-mode tokens (数字, 贸易,
        数字贸易): neighbours are looked up for the query and its precise-mode words, then split in search mode.
        """
        weights: dict[str, float] = {}
        jb = self._segmenter()
        tokens = search_tokens(query, jieba=jb)
        stop = _query_stopwords()
        content = [t for t in tokens if t not in stop]
        for tok in content or tokens:  # 广州数字贸易有哪些短板: 哪些 finds nothing worth reading
            weights[tok] = 1.0
        for group in _synonym_groups():  # 短板 also looks for 不足, 弱项 … (half weight)
            if any(word in query for word in group):
                for word in group:
                    for tok in search_tokens(word, jieba=jb):
                        weights.setdefault(tok, self.synonym_weight)
        if vectors is not None and self.expand_topn > 0:
            seeds = dict.fromkeys([query.strip(), *(w for w in jb.cut(query) if _WORDY.search(w)), *weights])
            for word in seeds:
                if word not in vectors.key_to_index:
                    continue
                for near, sim in vectors.most_similar(word, topn=self.expand_topn):
                    if sim < self.expand_min_sim:
                        continue
                    for tok in search_tokens(near, jieba=jb):
                        if tok not in weights:
                            weights[tok] = self.expand_weight * float(sim)
        return weights

    @staticmethod
    def _scores(model: bm25s.BM25 | None, terms: dict[str, float]) -> np.ndarray | None:
        """Dense BM25 scores of every passage of ``model`` for weighted terms.

        Reads bm25s's precomputed CSC matrix directly and sums the posting lists with ``np.bincount``, which
        is several times faster than the ``np.add.at`` bm25s uses when posting lists are long (1M passages).
        """
        if model is None:
            return None
        data, indices, indptr = model.scores["data"], model.scores["indices"], model.scores["indptr"]
        n_cols = len(indptr) - 1
        idx_parts, val_parts = [], []
        for term, w in terms.items():
            tid = model.vocab_dict.get(term)
            if tid is None or tid >= n_cols:
                continue
            start, end = indptr[tid], indptr[tid + 1]
            if end > start:
                idx_parts.append(indices[start:end])
                val_parts.append(data[start:end] if w == 1.0 else data[start:end] * np.float32(w))
        n_docs = int(model.scores["num_docs"])
        if not idx_parts:
            return np.zeros(n_docs, dtype=np.float64)
        return np.bincount(np.concatenate(idx_parts), weights=np.concatenate(val_parts), minlength=n_docs)

    def search(
        self, query: str, *, top: int = 10, doc: str | Sequence[str] | None = None, vectors: Any = None
    ) -> list[SearchHit]:
        """The ``top`` best paragraphs for ``query`` (optionally only in document(s) ``doc``).

        ``vectors`` (gensim KeyedVectors) turns on query expansion. Paragraphs with score 0 are never returned.
        """
        self._check_fitted()
        terms = self._query_terms(query, vectors)
        if not terms:
            return []
        parts = [
            s for s in (self._scores(self.main_, terms), self._scores(self.delta_, terms)) if s is not None
        ]
        if not parts:
            return []
        scores = parts[0] if len(parts) == 1 else np.concatenate(parts)
        if doc is not None:
            scores = np.where(self._doc_mask({doc} if isinstance(doc, str) else set(doc)), scores, 0.0)
        if top <= 0 or not len(scores):
            return []
        idx = self._rerank(query, scores, top)
        original = [t for t, w in terms.items() if w == 1.0]
        fold = any(c.isascii() for t in terms for c in t)
        hits = []
        for i in idx:
            score = float(scores[i])
            i = int(i)
            text = self.texts_[i]
            low = text.lower() if fold else text
            matches = [t for t in terms if t in low]
            hits.append(
                SearchHit(
                    doc=self.docs_[i],
                    section=self.sections_[i],
                    paragraph=int(self.paragraphs_[i]),
                    text=text,
                    score=round(score, 4),
                    highlight=highlight(text, [t for t in matches if t in original] or matches),
                    matches=matches,
                )
            )
        return hits

    def _rerank(self, query: str, scores: np.ndarray, top: int) -> np.ndarray:
        """Top ``top`` positions after a phrase-proximity boost of the ``rerank_depth`` best BM25 candidates.

        BM25 ignores word order, so "国家数字服务出口基地" matches any paragraph with 国家, 数字, 服务 ... The boost
        multiplies a candidate's score by ``1 + phrase_weight * c``, where ``c`` is the share of the query's
        adjacent word pairs (jieba precise mode) found contiguous in the paragraph (1.0 for the whole query).
        """
        hit = np.flatnonzero(scores > 0)  # usually far fewer than all passages: select among those only
        if not len(hit):
            return hit
        depth = min(max(top, self.rerank_depth if self.phrase_weight > 0 else top), len(hit))
        cand = hit[np.argpartition(-scores[hit], depth - 1)[:depth]]
        if self.phrase_weight > 0 and len(cand):
            pieces = [w.lower() for w in self._segmenter().cut(query) if _WORDY.search(w)]
            grams = ["".join(pieces)] if len(pieces) <= 1 else [a + b for a, b in itertools.pairwise(pieces)]
            whole = "".join(pieces)
            if whole:
                texts = self.texts_
                fold = whole.isascii() or any(c.isascii() and c.isalpha() for c in whole)
                boost = np.ones(len(cand), dtype=np.float64)
                for n, i in enumerate(cand):
                    low = texts[i].lower() if fold else texts[i]
                    cover = 1.0 if whole in low else sum(g in low for g in grams) / len(grams)
                    boost[n] += self.phrase_weight * cover
                final = scores[cand].astype(np.float64) * boost
                order = np.lexsort((cand, -final))[:top]
                return cand[order]
        order = np.lexsort((cand, -scores[cand]))[:top]
        return cand[order]

    # ------------------------------------------------------------------ persistence
    def save(self, folder: str | Path, *, meta: dict[str, Any] | None = None) -> Path:
        """Write the index into ``folder`` (e.g. ``models/search``): passages, token ids, vocabulary, params.

        The main BM25 matrix is saved by bm25s (``main/``); the delta is rebuilt from cached token ids at load.
        """
        self._check_fitted()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.passages_frame().to_parquet(folder / "passages.parquet", index=False)
        np.save(
            folder / "token_ids.npy",
            np.frombuffer(self._ids, dtype=np.int32) if len(self._ids) else np.zeros(0, np.int32),
        )
        np.save(folder / "offsets.npy", np.frombuffer(self._offsets, dtype=np.int64))
        if self.main_ is not None:
            self.main_.save(str(folder / "main"), show_progress=False)
        vocab = sorted(self.vocab_, key=self.vocab_.__getitem__)
        (folder / "vocab.json").write_text(json.dumps(vocab, ensure_ascii=False), encoding="utf-8")
        info = {
            "format": FORMAT_VERSION,
            "params": self.get_params(),
            "n_passages": len(self.texts_),
            "n_main": self.n_main_,
            "versions": library_versions("bm25s", "rjieba", "numpy"),
            **(meta or {}),
        }
        (folder / "index.json").write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> SearchIndex:
        """Load an index written by :meth:`save`."""
        folder = Path(folder)
        info_path = folder / "index.json"
        if not info_path.exists():
            raise FileNotFoundError(f"no search index at {folder}; build it first (zhcorpus run)")
        info = json.loads(info_path.read_text(encoding="utf-8"))
        self = cls(**info["params"])
        frame = pd.read_parquet(folder / "passages.parquet")
        self.docs_ = frame["doc"].astype(str).tolist()
        self.sections_ = frame["section"].astype(str).tolist()
        self.paragraphs_ = array("q", frame["paragraph"].astype("int64").tolist())
        self.texts_ = frame["text"].astype(str).tolist()
        self._ids = array("i", np.load(folder / "token_ids.npy").astype(np.int32).tobytes())
        self._offsets = array("q", np.load(folder / "offsets.npy").astype(np.int64).tobytes())
        vocab = json.loads((folder / "vocab.json").read_text(encoding="utf-8"))
        self.vocab_ = {t: i for i, t in enumerate(vocab)}
        self.n_main_ = int(info["n_main"])
        main_dir = folder / "main"
        if self.n_main_ and main_dir.exists():
            self.main_ = bm25s.BM25.load(str(main_dir), mmap=False, show_progress=False)
        else:
            self.main_ = self._bm25(0, self.n_main_)
        self._build_delta()
        return self

