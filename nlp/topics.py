"""Topic models over token lists (paragraphs or documents): an estimator with save/load, a K sweep and shares.

Pipeline (every pass streams the caller's *re-iterable* corpus; no list of all tokens is built in Python):

1. content filter (stop words, 1-character tokens, numbers, punctuation) and a corpus fingerprint (pass 1, which
   also learns bigram phrases with gensim ``Phrases``);
2. gensim ``Dictionary`` with frequency filtering (``min_df`` units, at most ``max_df`` of them) (pass 2);
3. the engine (pass 3): ``tomotopy`` (collapsed Gibbs LDA, the default: ~20x faster than gensim here at the same
   coherence) or ``gensim`` (online variational Bayes ``LdaModel``). gensim streams the bag-of-words corpus on
   every pass; tomotopy copies each document's word ids into its own C++ corpus (it needs all documents in
   memory, as compact word ids, not as Python strings).

Determinism: the same corpus, parameters and ``seed`` give identical topics. tomotopy needs ``workers=1`` for
that (several workers sample in parallel partitions whose merge order depends on thread timing); gensim takes
``random_state=seed``.

Example::

    model = TopicModel(k=20, seed=1).fit(paragraph_token_lists)
    model.labels_[:3], model.topics_[0][:5]
    shares = topic_shares(model.doc_topic_, years, labels=model.labels_)
    model.save("models/topics")
"""

from __future__ import annotations

import hashlib
import json
import math
import re
import time
from collections.abc import Callable, Hashable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
from gensim.corpora import Dictionary
from gensim.models.phrases import FrozenPhrases, Phrases

from nlp.errors import ZhcorpusError
from nlp.versions import library_versions

__all__ = [
    "SweepResult",
    "TopicModel",
    "content_tokens",
    "filter_by_tags",
    "group_units",
    "load_stopwords",
    "parse_sweep",
    "sweep_k",
    "sweep_svg",
    "topic_shares",
]

ENGINES = ("tomotopy", "gensim")
_CONTENT = re.compile(r"^(?=.*[\u3400-\u9fffA-Za-z])[\w\u3400-\u9fff·\-]+$")
_NUMERIC = re.compile(r"^[\d.,%％]+$")


# ---------------------------------------------------------------------------------------------- token filters
def load_stopwords(extra: Iterable[str] = ()) -> frozenset[str]:
    """Chinese stop words: the project lexicon (``nlp.lexicons``) when it provides them, else stopwords-iso."""
    words: set[str] = set()
    try:
        import nlp.lexicons as lex

        for name in ("load_stopwords", "stopwords", "stop_words"):
            obj = getattr(lex, name, None)
            if callable(obj):
                words = set(obj())
                break
            if isinstance(obj, (set, frozenset, list, tuple)):
                words = set(obj)
                break
    except Exception:  # noqa: BLE001 - the lexicon module is optional here; fall back below
        words = set()
    if not words:
        import stopwordsiso

        words = set(stopwordsiso.stopwords("zh"))
    return frozenset(words | set(extra))


def content_tokens(tokens: Iterable[str], stopwords: frozenset[str] | set[str]) -> list[str]:
    """Tokens worth modelling: 2+ characters, containing a letter or a Chinese character, not a stop word."""
    return [
        t
        for t in tokens
        if len(t) >= 2 and t not in stopwords and _CONTENT.match(t) and not _NUMERIC.match(t)
    ]


NOUN_LIKE = ("n", "vn", "eng", "j")
"""jieba tag prefixes kept for topic modelling when tags are known: nouns (n, nr, ns, nt, nz ...), verbal nouns
(vn: 改革, 建设 as nouns), foreign words and abbreviations. Plain verbs and adjectives (加强, 推进, 积极) fill every
topic of policy prose with the same words, so they are left out."""


def filter_by_tags(
    tokens: Sequence[str], tags: Sequence[str] | None, *, keep: Sequence[str] = NOUN_LIKE
) -> list[str]:
    """Tokens whose jieba tag starts with one of ``keep``; all tokens when ``tags`` is missing or misaligned."""
    if not tags or len(tags) != len(tokens):
        return list(tokens)
    prefixes = tuple(keep)
    return [t for t, g in zip(tokens, tags) if g.startswith(prefixes)]


def group_units(
    rows: Iterable[dict[str, Any]], *, unit: str = "paragraph", keep_tags: Sequence[str] | None = None
) -> Iterator[tuple[str, list[str]]]:
    """Turn store token rows ``{doc, para, tokens}`` into ``(key, tokens)`` units.

    ``unit="paragraph"`` keys are ``"doc#para"``; ``unit="document"`` concatenates the consecutive rows of each
    document (rows must come ordered by document, as the store yields them). With ``keep_tags``, rows that carry
    ``tags`` keep only the tokens whose tag starts with one of those prefixes (see :data:`NOUN_LIKE`).
    """
    if unit not in ("paragraph", "document"):
        raise ValueError(f"unit must be 'paragraph' or 'document', got {unit!r}")
    if keep_tags is not None:
        rows = (
            {**row, "tokens": filter_by_tags(row["tokens"], row.get("tags"), keep=keep_tags)} for row in rows
        )
    if unit == "paragraph":
        for row in rows:
            yield f"{row['doc']}#{row['para']}", list(row["tokens"])
        return
    current: str | None = None
    buf: list[str] = []
    for row in rows:
        if row["doc"] != current:
            if current is not None:
                yield current, buf
            current, buf = row["doc"], []
        buf.extend(row["tokens"])
    if current is not None:
        yield current, buf


class _Reiterable:
    """Re-iterable view ``fn(item)`` over a re-iterable ``source`` (gensim style: each ``iter`` is a new pass)."""

    def __init__(self, source: Iterable[Any], fn: Callable[[Any], Any]) -> None:
        self.source = source
        self.fn = fn

    def __iter__(self) -> Iterator[Any]:
        for item in self.source:
            yield self.fn(item)


def _check_reiterable(texts: Iterable[Any]) -> None:
    if isinstance(texts, Iterator):
        raise TypeError(
            "texts must be re-iterable (a list, or an object whose __iter__ starts a new pass, e.g. one that "
            f"reads the store), got a one-shot {type(texts).__name__}"
        )


# ---------------------------------------------------------------------------------------------- preprocessing
@dataclass
class _Prepared:
    """What preprocessing learned: phrases, the filtered dictionary and the corpus fingerprint."""

    stopwords: frozenset[str]
    phrases: FrozenPhrases | None
    dictionary: Dictionary
    fingerprint: str
    n_units: int
    n_tokens: int
    lengths: list[int] = field(default_factory=list)

    def tokens(self, raw: Sequence[str]) -> list[str]:
        toks = content_tokens(raw, self.stopwords)
        if self.phrases is not None:
            toks = self.phrases[toks]
        t2i = self.dictionary.token2id
        return [t for t in toks if t in t2i]


def _prepare(texts: Iterable[Sequence[str]], params: dict[str, Any]) -> _Prepared:
    _check_reiterable(texts)
    stop = load_stopwords(params["stopwords"] or ())
    digest = hashlib.sha256()
    counts = {"units": 0, "tokens": 0}

    def pass1() -> Iterator[list[str]]:
        for raw in texts:
            raw = list(raw)
            digest.update("\x1f".join(raw).encode("utf-8"))
            digest.update(b"\x1e")
            counts["units"] += 1
            counts["tokens"] += len(raw)
            yield content_tokens(raw, stop)

    phrases: FrozenPhrases | None = None
    if params["phrases"]:
        learner = Phrases(
            pass1(), min_count=params["phrase_min_count"], threshold=params["phrase_threshold"], delimiter="_"
        )
        phrases = learner.freeze()
    else:
        for _ in pass1():
            pass
    if counts["units"] == 0:
        raise ValueError("texts is empty: a topic model needs at least one unit with tokens")

    def phrased(raw: Sequence[str]) -> list[str]:
        toks = content_tokens(raw, stop)
        return phrases[toks] if phrases is not None else toks

    dictionary = Dictionary(_Reiterable(texts, phrased))
    n = dictionary.num_docs
    no_below = min(params["min_df"], max(1, n // 2))
    dictionary.filter_extremes(no_below=no_below, no_above=params["max_df"], keep_n=params["max_vocab"])
    if len(dictionary) == 0:
        raise ValueError(
            f"no term is left after frequency filtering (min_df={params['min_df']}, max_df={params['max_df']})"
        )
    return _Prepared(stop, phrases, dictionary, digest.hexdigest()[:16], counts["units"], counts["tokens"])


# ---------------------------------------------------------------------------------------------- the estimator
class TopicModel:
    """LDA topic model (estimator): ``fit`` returns self; learned state ends in ``_``.

    Learned: ``topic_word_`` (K x V), ``vocab_``, ``topics_`` (top terms with weights), ``labels_`` (a short
    human label per topic from its most distinctive top terms), ``doc_topic_`` (units x K shares of the training
    units, rows sum to 1), ``unit_lengths_``, ``fingerprint_``.
    """

    def __init__(
        self,
        *,
        k: int = 20,
        engine: str = "tomotopy",
        iterations: int = 200,
        passes: int = 10,
        seed: int = 1,
        workers: int = 1,
        phrases: bool = True,
        phrase_min_count: int = 5,
        phrase_threshold: float = 10.0,
        min_df: int = 3,
        max_df: float = 0.5,
        max_vocab: int | None = 50_000,
        stopwords: Sequence[str] | None = None,
        alpha: float | None = None,
        eta: float = 0.01,
        top_n: int = 10,
    ) -> None:
        self.k = k
        self.engine = engine
        self.iterations = iterations
        self.passes = passes
        self.seed = seed
        self.workers = workers
        self.phrases = phrases
        self.phrase_min_count = phrase_min_count
        self.phrase_threshold = phrase_threshold
        self.min_df = min_df
        self.max_df = max_df
        self.max_vocab = max_vocab
        self.stopwords = stopwords
        self.alpha = alpha
        self.eta = eta
        self.top_n = top_n

    _PARAMS = (
        "k",
        "engine",
        "iterations",
        "passes",
        "seed",
        "workers",
        "phrases",
        "phrase_min_count",
        "phrase_threshold",
        "min_df",
        "max_df",
        "max_vocab",
        "stopwords",
        "alpha",
        "eta",
        "top_n",
    )

    def get_params(self) -> dict[str, Any]:
        out = {p: getattr(self, p) for p in self._PARAMS}
        if out["stopwords"] is not None:
            out["stopwords"] = list(out["stopwords"])
        return out

    def set_params(self, **params: Any) -> TopicModel:
        for key, value in params.items():
            if key not in self._PARAMS:
                raise ValueError(f"unknown parameter {key!r}; expected one of {self._PARAMS}")
            setattr(self, key, value)
        return self

    # .......................................................................................... fitting
    def fit(self, texts: Iterable[Sequence[str]]) -> TopicModel:
        """Learn topics from ``texts``, a re-iterable of token lists (one list per paragraph or document)."""
        self._validate()
        t0 = time.perf_counter()
        prep = _prepare(texts, self.get_params())
        prepare_s = time.perf_counter() - t0
        self._fit_prepared(texts, prep)
        self.timings_["prepare_s"] = round(prepare_s, 3)
        return self

    def _validate(self) -> None:
        if self.engine not in ENGINES:
            raise ValueError(f"engine must be one of {ENGINES}, got {self.engine!r}")
        if not 1 <= int(self.k) <= 32767:
            raise ValueError(f"k must be between 1 and 32767, got {self.k!r}")

    def _fit_prepared(self, texts: Iterable[Sequence[str]], prep: _Prepared) -> TopicModel:
        self._validate()
        self.prep_ = prep
        self.fingerprint_ = prep.fingerprint
        self.vocab_ = [prep.dictionary[i] for i in range(len(prep.dictionary))]
        t0 = time.perf_counter()
        if self.engine == "tomotopy":
            self._fit_tomotopy(texts)
        else:
            self._fit_gensim(texts)
        self.timings_ = {"prepare_s": 0.0, "train_s": round(time.perf_counter() - t0, 3)}
        self._finish()
        return self

    def _fit_tomotopy(self, texts: Iterable[Sequence[str]]) -> None:
        import tomotopy as tp

        alpha = self.alpha if self.alpha is not None else 0.1
        mdl = tp.LDAModel(k=int(self.k), alpha=alpha, eta=self.eta, seed=int(self.seed))
        kept: list[int] = []  # positions of units that have words (tomotopy skips empty documents)
        lengths: list[int] = []
        for pos, raw in enumerate(texts):
            words = self.prep_.tokens(raw)
            lengths.append(len(words))
            if words:
                mdl.add_doc(words)
                kept.append(pos)
        if not kept:
            raise ValueError("no unit has a word left after filtering; lower min_df or check the tokens")
        mdl.train(0, workers=self.workers)
        mdl.train(int(self.iterations), workers=self.workers)
        self.engine_model_ = mdl
        # align tomotopy's vocabulary with ours (tomotopy orders words by its own ids)
        t_vocab = list(mdl.used_vocabs)
        col = {w: i for i, w in enumerate(self.vocab_)}
        tw = np.zeros((int(self.k), len(self.vocab_)), dtype=np.float64)
        cols = np.array([col[w] for w in t_vocab], dtype=np.int64)
        for t in range(int(self.k)):
            tw[t, cols] = np.asarray(mdl.get_topic_word_dist(t), dtype=np.float64)
        self.topic_word_ = tw
        dt = np.full((len(lengths), int(self.k)), 1.0 / int(self.k))
        for pos, doc in zip(kept, mdl.docs):
            dt[pos] = np.asarray(doc.get_topic_dist(), dtype=np.float64)
        self.doc_topic_ = dt
        self.unit_lengths_ = np.asarray(lengths, dtype=np.int64)

    def _fit_gensim(self, texts: Iterable[Sequence[str]]) -> None:
        from gensim.models import LdaModel

        d = self.prep_.dictionary
        corpus = _Reiterable(texts, lambda raw: d.doc2bow(self.prep_.tokens(raw)))
        alpha: Any = self.alpha if self.alpha is not None else "symmetric"
        mdl = LdaModel(
            corpus=corpus,
            id2word=d,
            num_topics=int(self.k),
            passes=int(self.passes),
            random_state=int(self.seed),
            alpha=alpha,
            eta=self.eta if self.eta else None,
            chunksize=2000,
            eval_every=None,
        )
        self.engine_model_ = mdl
        self.topic_word_ = mdl.get_topics().astype(np.float64)
        rows, lengths = [], []
        for bow in corpus:
            lengths.append(sum(c for _, c in bow))
            vec = np.zeros(int(self.k))
            for t, p in mdl.get_document_topics(bow, minimum_probability=0.0):
                vec[t] = p
            rows.append(vec / vec.sum() if vec.sum() > 0 else np.full(int(self.k), 1.0 / int(self.k)))
        self.doc_topic_ = np.vstack(rows)
        self.unit_lengths_ = np.asarray(lengths, dtype=np.int64)

    def _finish(self) -> None:
        tw = self.topic_word_
        top = np.argsort(-tw, axis=1, kind="stable")[:, : self.top_n]
        self.topics_ = [
            [(self.vocab_[j], round(float(tw[t, j]), 6)) for j in top[t]] for t in range(tw.shape[0])
        ]
        self.labels_ = _labels(tw, self.vocab_, self.prep_.dictionary)

    def _check_fitted(self) -> None:
        if not hasattr(self, "topic_word_"):
            raise ZhcorpusError("the topic model is not fitted: call fit(texts) or TopicModel.load(folder)")

    # .......................................................................................... using
    def top_terms(self, topic: int, n: int | None = None) -> list[str]:
        """The ``n`` most probable terms of ``topic``."""
        self._check_fitted()
        order = np.argsort(-self.topic_word_[topic], kind="stable")[: n or self.top_n]
        return [self.vocab_[j] for j in order]

    def transform(self, texts: Iterable[Sequence[str]]) -> np.ndarray:
        """Topic shares (rows sum to 1) of new token lists, with the learned phrases and vocabulary."""
        self._check_fitted()
        k = int(self.k)
        rows = []
        if self.engine == "tomotopy":
            mdl = self.engine_model_
            for raw in texts:
                words = self.prep_.tokens(raw)
                if not words:
                    rows.append(np.full(k, 1.0 / k))
                    continue
                doc = mdl.make_doc(words)
                dist, _ = mdl.infer(doc, iterations=100, workers=1)
                rows.append(np.asarray(dist, dtype=np.float64))
        else:
            mdl = self.engine_model_
            for raw in texts:
                vec = np.zeros(k)
                for t, p in mdl.get_document_topics(
                    self.prep_.dictionary.doc2bow(self.prep_.tokens(raw)), minimum_probability=0.0
                ):
                    vec[t] = p
                rows.append(vec / vec.sum() if vec.sum() > 0 else np.full(k, 1.0 / k))
        return np.vstack(rows) if rows else np.zeros((0, k))

    def coherence(
        self,
        texts: Iterable[Sequence[str]],
        *,
        measures: Sequence[str] = ("c_v", "c_npmi"),
        sample: int = 5000,
    ) -> dict[str, float]:
        """Topic coherence (gensim ``CoherenceModel``) of the top ``top_n`` terms, on up to ``sample`` units.

        The sample takes every n-th unit (deterministic), so scores of models fitted on the same texts compare.
        """
        self._check_fitted()
        from gensim.models.coherencemodel import CoherenceModel

        ref = _sample_texts(texts, self.prep_, sample)
        topics = [self.top_terms(t) for t in range(int(self.k))]
        out = {}
        for measure in measures:
            cm = CoherenceModel(
                topics=topics,
                texts=ref,
                dictionary=self.prep_.dictionary,
                coherence=measure,
                topn=self.top_n,
                processes=1,
            )
            out[measure] = round(float(cm.get_coherence()), 4)
        return out

    # .......................................................................................... persistence
    def save(self, folder: str | Path, *, meta: dict[str, Any] | None = None) -> Path:
        """Save into ``folder`` (e.g. ``models/topics``): params, fingerprint, versions, vocabulary, matrices."""
        self._check_fitted()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        self.prep_.dictionary.save(str(folder / "dictionary.gensim"))
        if self.prep_.phrases is not None:
            self.prep_.phrases.save(str(folder / "phrases.gensim"))
        if self.engine == "tomotopy":
            self.engine_model_.save(str(folder / "engine.tomotopy"))
        else:
            self.engine_model_.save(str(folder / "engine.gensim"))
        np.save(folder / "topic_word.npy", self.topic_word_)
        np.save(folder / "doc_topic.npy", self.doc_topic_)
        np.save(folder / "unit_lengths.npy", self.unit_lengths_)
        info = {
            "params": self.get_params(),
            "fingerprint": self.fingerprint_,
            "corpus": {"units": self.prep_.n_units, "tokens": self.prep_.n_tokens},
            "versions": library_versions("gensim", "tomotopy", "numpy", "jieba", "rjieba", "stopwordsiso"),
            "stopwords": sorted(self.prep_.stopwords),
            "vocab": self.vocab_,
            "labels": self.labels_,
            "topics": [[w for w, _ in t] for t in self.topics_],
            "timings": self.timings_,
            **(meta or {}),
        }
        (folder / "model.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> TopicModel:
        """Load a model written by :meth:`save`."""
        folder = Path(folder)
        path = folder / "model.json"
        if not path.exists():
            raise FileNotFoundError(f"no topic model at {folder}; fit one first (zhcorpus topics)")
        info = json.loads(path.read_text(encoding="utf-8"))
        self = cls(**info["params"])
        dictionary = Dictionary.load(str(folder / "dictionary.gensim"))
        phrases = (
            FrozenPhrases.load(str(folder / "phrases.gensim"))
            if (folder / "phrases.gensim").exists()
            else None
        )
        self.prep_ = _Prepared(
            frozenset(info["stopwords"]),
            phrases,
            dictionary,
            info["fingerprint"],
            info["corpus"]["units"],
            info["corpus"]["tokens"],
        )
        if self.engine == "tomotopy":
            import tomotopy as tp

            self.engine_model_ = tp.LDAModel.load(str(folder / "engine.tomotopy"))
        else:
            from gensim.models import LdaModel

            self.engine_model_ = LdaModel.load(str(folder / "engine.gensim"))
        self.fingerprint_ = info["fingerprint"]
        self.vocab_ = info["vocab"]
        self.topic_word_ = np.load(folder / "topic_word.npy")
        self.doc_topic_ = np.load(folder / "doc_topic.npy")
        self.unit_lengths_ = np.load(folder / "unit_lengths.npy")
        self.timings_ = info.get("timings", {})
        self._finish()
        return self


# ---------------------------------------------------------------------------------------------- helpers
def _labels(
    tw: np.ndarray, vocab: list[str], dictionary: Dictionary, *, n: int = 3, lam: float = 0.7, pool: int = 12
) -> list[str]:
    """A label per topic: its ``n`` top terms ranked by LDAvis relevance (λ·log p(w|t) + (1-λ)·lift).

    Relevance favours terms distinctive of the topic over terms frequent everywhere; candidates are the ``pool``
    most probable terms (so a rare term with a huge lift cannot name the topic), and a term contained in an
    already chosen one (数字 vs 数字经济) is skipped.
    """
    cfs = np.array([dictionary.cfs.get(i, 1) for i in range(len(vocab))], dtype=np.float64)
    pw = cfs / cfs.sum()
    labels = []
    for t in range(tw.shape[0]):
        cand = np.argsort(-tw[t], kind="stable")[:pool]
        rel = lam * np.log(tw[t, cand] + 1e-12) + (1 - lam) * np.log((tw[t, cand] + 1e-12) / pw[cand])
        chosen: list[str] = []
        for j in cand[np.argsort(-rel, kind="stable")]:
            w = vocab[j].replace("_", "")
            if any(w in c or c in w for c in chosen):
                continue
            chosen.append(w)
            if len(chosen) == n:
                break
        labels.append("·".join(chosen))
    return labels


def _sample_texts(texts: Iterable[Sequence[str]], prep: _Prepared, sample: int) -> list[list[str]]:
    step = max(1, math.ceil(prep.n_units / max(sample, 1)))
    return [toks for i, raw in enumerate(texts) if i % step == 0 and (toks := prep.tokens(raw))]



def topic_shares(
    doc_topic: np.ndarray,
    groups: Sequence[Hashable],
    *,
    weights: Sequence[float] | np.ndarray | None = None,
    labels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Mean topic shares per group (year, decade, document, section ...), weighted by unit length if given.

    Rows are groups (sorted), columns topics (named by ``labels``); each row sums to 1.
    """
    if len(groups) != len(doc_topic):
        raise ValueError(f"groups has {len(groups)} entries for {len(doc_topic)} units")
    w = np.ones(len(doc_topic)) if weights is None else np.asarray(weights, dtype=np.float64)
    frame = pd.DataFrame(doc_topic * w[:, None], columns=list(labels) if labels else None)
    frame["_g"] = list(groups)
    frame["_w"] = w
    summed = frame.groupby("_g", sort=True).sum()
    wsum = summed.pop("_w").replace(0, np.nan)
    out = summed.div(wsum, axis=0).fillna(0.0)
    out.index.name = None
    return out


# ---------------------------------------------------------------------------------------------- the K sweep
@dataclass(slots=True)
class SweepResult:
    """Coherence per K; ``best_k`` is the smallest K whose c_v is within the tolerance of the best c_v."""

    ks: list[int]
    c_v: list[float]
    c_npmi: list[float]
    seconds: list[float]
    best_k: int
    models: dict[int, TopicModel] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ks": self.ks,
            "c_v": self.c_v,
            "c_npmi": self.c_npmi,
            "seconds": self.seconds,
            "best_k": self.best_k,
        }


def parse_sweep(spec: str) -> list[int]:
    """``"5:40:5"`` -> ``[5, 10, ..., 40]`` (inclusive stop); ``"5,10,20"`` -> ``[5, 10, 20]``."""
    try:
        if ":" in spec:
            parts = [int(x) for x in spec.split(":")]
            start, stop = parts[0], parts[1]
            step = parts[2] if len(parts) > 2 else 1
            ks = list(range(start, stop + 1, step))
        else:
            ks = [int(x) for x in spec.split(",") if x.strip()]
    except ValueError as exc:
        raise ValueError(f"a sweep is START:STOP[:STEP] or K1,K2,..., got {spec!r}") from exc
    if not ks or min(ks) < 1:
        raise ValueError(f"a sweep needs K values >= 1, got {spec!r}")
    return ks


def sweep_k(
    texts: Iterable[Sequence[str]],
    ks: Sequence[int],
    *,
    sample: int = 5000,
    keep_models: bool = False,
    tolerance: float = 0.005,
    **params: Any,
) -> SweepResult:
    """Fit one model per K (preprocessing shared) and score each by c_v and c_npmi; pick the best K.

    The chosen K is the *smallest* K whose c_v is within ``tolerance`` of the best c_v: coherence curves are
    often flat past some K, and a flat curve's maximum is noise, so parsimony decides (ties: c_npmi).
    ``models`` of the result holds the chosen model only, or every model with ``keep_models=True`` (each holds
    its corpus: memory grows with the number of K values).
    """
    base = TopicModel(**params)
    base._validate()
    prep = _prepare(texts, base.get_params())
    cv, npmi, secs, models = [], [], [], {}

    for k in ks:
        t0 = time.perf_counter()
        model = TopicModel(**{**base.get_params(), "k": int(k)})._fit_prepared(texts, prep)
        secs.append(round(time.perf_counter() - t0, 2))
        scores = model.coherence(texts, sample=sample)
        cv.append(scores["c_v"])
        npmi.append(scores["c_npmi"])
        models[int(k)] = model
        if not keep_models:  # keep only the model that would be chosen so far
            chosen = _choose_k(ks[: len(cv)], cv, npmi, tolerance)
            for other in [m for m in models if m != chosen]:
                del models[other]
    best_k = _choose_k(ks, cv, npmi, tolerance)
    return SweepResult(list(map(int, ks)), cv, npmi, secs, best_k, models)


def _choose_k(ks: Sequence[int], cv: Sequence[float], npmi: Sequence[float], tolerance: float) -> int:
    """Smallest K with c_v within ``tolerance`` of the best (then the higher c_npmi among equal K)."""
    top = max(cv)
    near = [i for i in range(len(ks)) if cv[i] >= top - tolerance]
    return int(ks[min(near, key=lambda i: (int(ks[i]), -npmi[i]))])


def sweep_svg(result: SweepResult, *, title: str = "Topic coherence by K") -> str:
    """An SVG line chart of c_v and c_npmi against K (two panels), the chosen K marked; no plotting library."""
    width, panel_h, pad_l, pad_r, pad_t, gap = 660, 180, 75, 20, 40, 50
    height = pad_t + 2 * panel_h + gap + 40
    ks = result.ks
    kmin, kmax = min(ks), max(ks)

    def x(k: float) -> float:
        return pad_l + (0 if kmax == kmin else (k - kmin) / (kmax - kmin)) * (width - pad_l - pad_r)

    parts = [
        (
            f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
            f'font-family="sans-serif" font-size="12">'
        ),
        f'<rect width="{width}" height="{height}" fill="white"/>',
        f'<text x="{width / 2}" y="20" text-anchor="middle" font-size="15">{_esc(title)}</text>',
    ]
    for p, (name, values, colour) in enumerate(
        (("c_v", result.c_v, "#1f77b4"), ("c_npmi", result.c_npmi, "#d62728"))
    ):
        top = pad_t + p * (panel_h + gap)
        lo, hi = min(values), max(values)
        if hi - lo < 1e-9:
            lo, hi = lo - 0.05, hi + 0.05
        span = hi - lo
        lo, hi = lo - 0.1 * span, hi + 0.1 * span

        def y(v: float, top: float = top, lo: float = lo, hi: float = hi) -> float:
            return top + panel_h - (v - lo) / (hi - lo) * panel_h

        parts.append(
            f'<rect x="{pad_l}" y="{top}" width="{width - pad_l - pad_r}" height="{panel_h}" '
            'fill="none" stroke="#999"/>'
        )
        parts.append(
            f'<text x="15" y="{top + panel_h / 2}" transform="rotate(-90 15 {top + panel_h / 2})" '
            f'text-anchor="middle">{name}</text>'
        )
        for frac in (0.0, 0.5, 1.0):
            v = lo + frac * (hi - lo)
            parts.append(f'<text x="{pad_l - 5}" y="{y(v) + 4:.1f}" text-anchor="end">{v:.3f}</text>')
        for k in ks:
            parts.append(f'<text x="{x(k):.1f}" y="{top + panel_h + 15}" text-anchor="middle">{k}</text>')
        pts = " ".join(f"{x(k):.1f},{y(v):.1f}" for k, v in zip(ks, values))
        parts.append(f'<polyline points="{pts}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for k, v in zip(ks, values):
            r = 6 if k == result.best_k else 3
            parts.append(f'<circle cx="{x(k):.1f}" cy="{y(v):.1f}" r="{r}" fill="{colour}"/>')
    bx = x(result.best_k)
    parts.append(
        f'<line x1="{bx:.1f}" y1="{pad_t}" x2="{bx:.1f}" y2="{pad_t + 2 * panel_h + gap}" '
        'stroke="#555" stroke-dasharray="4 3"/>'
    )
    parts.append(
        f'<text x="{width / 2}" y="{height - 8}" text-anchor="middle">K (number of topics); '
        f"chosen K = {result.best_k}</text>"
    )
    parts.append("</svg>")
    return "\n".join(parts)


def _esc(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
