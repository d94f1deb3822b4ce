"""Most similar documents and passages: TF-IDF (optionally LSI) cosine over paragraph token lists.

One streamed pass counts the terms of every paragraph (scikit-learn ``CountVectorizer`` with the token list as
the analyzer); document vectors are the sums of their paragraphs' counts, so both levels come from the same pass.
Each level gets its own IDF weighting and L2 norm. With ``n_components`` the document level is projected by a
truncated SVD (LSI), which helps when documents share few exact terms.

Example::

    index = SimilarityIndex().fit(rows)           # rows: iterable of (doc, paragraph, tokens)
    index.similar("2019.txt", top=3)              # most similar other documents
    index.similar("2019.txt#12", top=5)           # most similar other paragraphs
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from sklearn.decomposition import TruncatedSVD
from sklearn.feature_extraction.text import CountVectorizer, TfidfTransformer
from sklearn.preprocessing import normalize

from nlp.errors import ZhcorpusError
from nlp.topics import content_tokens, load_stopwords
from nlp.versions import library_versions

__all__ = ["SimilarItem", "SimilarityIndex", "parse_key"]


@dataclass(slots=True)
class SimilarItem:
    """A similar document (``paragraph`` is None) or passage, with its cosine similarity."""

    doc: str
    paragraph: int | None
    score: float

    @property
    def key(self) -> str:
        return self.doc if self.paragraph is None else f"{self.doc}#{self.paragraph}"

    def to_dict(self) -> dict[str, Any]:
        return {**asdict(self), "key": self.key}


def parse_key(key: str) -> tuple[str, int | None]:
    """``"doc.txt#12"`` -> ``("doc.txt", 12)``; ``"doc.txt"`` -> ``("doc.txt", None)``."""
    doc, sep, para = key.rpartition("#")
    if sep and para.isdigit():
        return doc, int(para)
    return key, None


class SimilarityIndex:
    """TF-IDF / LSI cosine similarity between documents and between paragraphs (an estimator)."""

    def __init__(
        self,
        *,
        min_df: int = 2,
        max_df: float = 0.7,
        sublinear_tf: bool = True,
        n_components: int | None = None,
        seed: int = 1,
        stopwords: Sequence[str] | None = None,
        passages: bool = True,
    ) -> None:
        self.min_df = min_df
        self.max_df = max_df
        self.sublinear_tf = sublinear_tf
        self.n_components = n_components
        self.seed = seed
        self.stopwords = stopwords
        self.passages = passages

    def get_params(self) -> dict[str, Any]:
        return {
            k: getattr(self, k)
            for k in ("min_df", "max_df", "sublinear_tf", "n_components", "seed", "stopwords", "passages")
        }

    def fit(self, rows: Iterable[tuple[str, int, list[str]] | dict[str, Any]]) -> SimilarityIndex:
        """Index ``rows`` of (doc, paragraph, tokens) or dicts with doc/para(graph)/tokens, streamed once."""
        stop = set(self.stopwords) if self.stopwords is not None else load_stopwords()
        keys: list[tuple[str, int]] = []

        def token_stream() -> Iterable[list[str]]:
            for row in rows:
                if isinstance(row, dict):
                    doc, para, toks = row["doc"], row.get("para", row.get("paragraph", 0)), row["tokens"]
                else:
                    doc, para, toks = row
                keys.append((str(doc), int(para)))
                yield content_tokens(toks, stop)

        vec = CountVectorizer(analyzer=_identity, min_df=1, dtype=np.float32)
        counts = vec.fit_transform(token_stream()).tocsr()
        docs = list(dict.fromkeys(d for d, _ in keys))
        if not docs:
            raise ValueError("no rows to index")
        doc_pos = {d: i for i, d in enumerate(docs)}
        rows_idx = np.fromiter((doc_pos[d] for d, _ in keys), dtype=np.int64, count=len(keys))
        group = sp.csr_matrix(
            (np.ones(len(keys), np.float32), (rows_idx, np.arange(len(keys)))), shape=(len(docs), len(keys))
        )
        doc_counts = (group @ counts).tocsc()
        # document-frequency filter at the document level (min_df documents, at most max_df of them)
        df = np.diff((doc_counts > 0).astype(np.int8).tocsc().indptr)
        n_docs_hint = len(docs)
        max_docs = self.max_df * n_docs_hint if isinstance(self.max_df, float) else self.max_df
        keep = np.flatnonzero((df >= min(self.min_df, n_docs_hint)) & (df <= max(max_docs, 1)))
        if n_docs_hint < 10 or not len(keep):  # too few documents for document-frequency filtering
            keep = np.flatnonzero(df >= 1)
        if not len(keep):
            raise ValueError("no content term in the rows (only stop words, numbers or punctuation?)")
        doc_counts = doc_counts[:, keep].tocsr()
        counts = counts[:, keep].tocsr()
        vocab = np.asarray(vec.get_feature_names_out())[keep]

        self.docs_ = docs
        self.keys_ = keys
        self.vocabulary_ = {t: i for i, t in enumerate(vocab.tolist())}
        self.doc_tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(doc_counts)
        doc_matrix = self.doc_tfidf_.transform(doc_counts)
        if self.n_components:
            k = max(1, min(self.n_components, min(doc_matrix.shape) - 1))
            self.svd_ = TruncatedSVD(n_components=k, random_state=self.seed).fit(doc_matrix)
            self.doc_matrix_ = normalize(self.svd_.transform(doc_matrix))
        else:
            self.svd_ = None
            self.doc_matrix_ = doc_matrix
        if self.passages:
            self.para_tfidf_ = TfidfTransformer(sublinear_tf=self.sublinear_tf).fit(counts)
            self.para_matrix_ = self.para_tfidf_.transform(counts).tocsr()
            self.key_pos_ = {k: i for i, k in enumerate(keys)}
        else:
            self.para_matrix_ = None
            self.key_pos_ = {}
        self.doc_pos_ = doc_pos
        return self

    def _check_fitted(self) -> None:
        if not hasattr(self, "docs_"):
            raise ZhcorpusError(
                "the similarity index is not fitted: call fit(rows) or SimilarityIndex.load()"
            )

    def similar(self, key: str, *, top: int = 5) -> list[SimilarItem]:
        """Most similar other documents to ``"DOC"``, or other paragraphs to ``"DOC#PARAGRAPH"``."""
        self._check_fitted()
        doc, para = parse_key(key)
        if para is None:
            if doc not in self.doc_pos_:
                raise KeyError(f"unknown document {doc!r}; known: {len(self.docs_)} documents")
            i = self.doc_pos_[doc]
            sims = _cosine_row(self.doc_matrix_, i)
            sims[i] = -np.inf
            order = _top(sims, top)
            return [SimilarItem(self.docs_[j], None, round(float(sims[j]), 4)) for j in order if sims[j] > 0]
        if self.para_matrix_ is None:
            raise ZhcorpusError(
                "this index was fitted with passages=False: passage similarity is unavailable"
            )
        if (doc, para) not in self.key_pos_:
            raise KeyError(f"unknown paragraph {key!r}")
        i = self.key_pos_[(doc, para)]
        sims = _cosine_row(self.para_matrix_, i)
        sims[i] = -np.inf
        order = _top(sims, top)
        return [
            SimilarItem(self.keys_[j][0], self.keys_[j][1], round(float(sims[j]), 4))
            for j in order
            if sims[j] > 0
        ]

    # ------------------------------------------------------------------ persistence
    def save(self, folder: str | Path, *, meta: dict[str, Any] | None = None) -> Path:
        """Pickle the fitted index into ``folder`` (e.g. ``models/similar``) beside a readable ``meta.json``."""
        self._check_fitted()
        folder = Path(folder)
        folder.mkdir(parents=True, exist_ok=True)
        with open(folder / "similar.pkl", "wb") as fh:
            pickle.dump(self, fh, protocol=pickle.HIGHEST_PROTOCOL)
        info = {
            "params": self.get_params(),
            "documents": len(self.docs_),
            "paragraphs": len(self.keys_),
            "vocabulary": len(self.vocabulary_),
            "versions": library_versions("scikit-learn"),
            **(meta or {}),
        }
        (folder / "meta.json").write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
        return folder

    @classmethod
    def load(cls, folder: str | Path) -> SimilarityIndex:
        path = Path(folder) / "similar.pkl"
        if not path.exists():
            raise FileNotFoundError(f"no similarity index at {folder}; build it first (zhcorpus run)")
        with open(path, "rb") as fh:
            obj = pickle.load(fh)
        if not isinstance(obj, cls):
            raise ZhcorpusError(f"{path} does not hold a SimilarityIndex")
        return obj


def _identity(tokens: list[str]) -> list[str]:
    return tokens


def _cosine_row(matrix: Any, i: int) -> np.ndarray:
    """Cosine of row ``i`` with every row (rows are L2-normalised)."""
    if sp.issparse(matrix):
        return np.asarray((matrix @ matrix[i].T).todense()).ravel().astype(np.float64)
    return (matrix @ matrix[i]).astype(np.float64)


def _top(scores: np.ndarray, k: int) -> np.ndarray:
    k = min(k, len(scores))
    if k <= 0:
        return np.zeros(0, dtype=np.int64)
    idx = np.argpartition(-scores, k - 1)[:k]
    return idx[np.argsort(-scores[idx], kind="stable")]
