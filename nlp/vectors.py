"""Word vectors trained on the corpus itself (gensim Word2Vec), shared by search query expansion and themes.

Sentences are streamed from a *re-iterable* (gensim iterates once to build the vocabulary and once per epoch),
so memory grows with the vocabulary, not with the corpus. ``workers=1`` plus a fixed ``seed`` gives the same
vectors on every run (several worker threads interleave updates in a non-deterministic order).
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

from gensim.models import KeyedVectors, Word2Vec

__all__ = ["ensure_reiterable", "load_vectors", "neighbors", "save_vectors", "train_vectors"]

VECTORS_FILE = "vectors.kv"


def ensure_reiterable(corpus: Iterable[Any], *, what: str = "corpus") -> Iterable[Any]:
    """Return ``corpus`` unchanged, or raise when it is a one-shot iterator (a generator cannot be read twice).

    Pass a list, or an object whose ``__iter__`` starts a new pass each time (e.g. one that reads the store).
    """
    if isinstance(corpus, Iterator):
        raise TypeError(
            f"{what} must be re-iterable (a list or an object whose __iter__ restarts), got a one-shot "
            f"{type(corpus).__name__}; wrap the generator function in a class with __iter__"
        )
    return corpus


def train_vectors(
    sentences: Iterable[list[str]],
    *,
    vector_size: int = 100,
    window: int = 5,
    min_count: int = 2,
    seed: int = 1,
    workers: int = 1,
    epochs: int = 5,
    sg: int = 1,
) -> KeyedVectors:
    """Train Word2Vec (skip-gram by default: better for rare domain terms) on token lists; return the vectors.

    ``sentences`` must be re-iterable (see :func:`ensure_reiterable`).
    Example: ``kv = train_vectors(store_token_lists, min_count=3); kv.most_similar("数字贸易")``.
    """
    ensure_reiterable(sentences, what="sentences")
    model = Word2Vec(
        vector_size=vector_size, window=window, min_count=min_count, seed=seed, workers=workers, sg=sg
    )
    model.build_vocab(sentences)
    if not model.wv.index_to_key:
        raise ValueError(f"no word occurs at least min_count={min_count} times in the sentences")
    model.train(sentences, total_examples=model.corpus_count, epochs=epochs)
    return model.wv


def save_vectors(kv: KeyedVectors, folder: str | Path, *, meta: dict[str, Any] | None = None) -> Path:
    """Save vectors into ``folder`` (e.g. ``models/vectors``) with a ``meta.json``; return the vectors file path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / VECTORS_FILE
    kv.save(str(path))
    info = {"vocabulary": len(kv.index_to_key), "vector_size": kv.vector_size, **(meta or {})}
    (folder / "meta.json").write_text(json.dumps(info, ensure_ascii=False, indent=2), encoding="utf-8")
    return path


def load_vectors(path: str | Path) -> KeyedVectors:
    """Load vectors saved by :func:`save_vectors` (``path`` is the folder or the ``vectors.kv`` file)."""
    path = Path(path)
    if path.is_dir():
        path = path / VECTORS_FILE
    if not path.exists():
        raise FileNotFoundError(f"no word vectors at {path}; train them first (zhcorpus run / train_vectors)")
    return KeyedVectors.load(str(path))


def neighbors(kv: KeyedVectors, term: str, *, topn: int = 10) -> list[tuple[str, float]]:
    """The ``topn`` nearest terms to ``term`` by cosine; ``[]`` when the term is not in the vocabulary."""
    if term not in kv.key_to_index:
        return []
    return [(w, float(s)) for w, s in kv.most_similar(term, topn=topn)]
