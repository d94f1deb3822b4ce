"""Word vectors: training from a re-iterable, determinism, save/load, neighbours."""

from __future__ import annotations

import random

import numpy as np
import pytest

from nlp.vectors import ensure_reiterable, load_vectors, neighbors, save_vectors, train_vectors


class Sentences:
    """A re-iterable corpus (each iteration regenerates the same sentences), as the store gives."""

    def __init__(self, n: int = 300) -> None:
        self.n = n

    def __iter__(self):
        rng = random.Random(5)
        groups = [["跨境电商", "出口", "海外仓", "订单"], ["数据安全", "隐私", "监管", "算法"]]
        for i in range(self.n):
            words = groups[i % 2]
            yield [rng.choice(words) for _ in range(8)]


def test_vectors_deterministic_and_neighbours_share_context():
    a = train_vectors(Sentences(), vector_size=16, min_count=2, seed=3, epochs=10)
    b = train_vectors(Sentences(), vector_size=16, min_count=2, seed=3, epochs=10)
    assert np.array_equal(a.vectors, b.vectors)
    near = [w for w, _ in neighbors(a, "出口", topn=3)]
    assert set(near) <= {"跨境电商", "海外仓", "订单"}, near
    assert neighbors(a, "不存在的词") == []


def test_vectors_save_load_round_trip(tmp_path):
    kv = train_vectors(Sentences(60), vector_size=8, seed=1)
    save_vectors(kv, tmp_path / "vectors", meta={"corpus": "synthetic"})
    again = load_vectors(tmp_path / "vectors")
    assert again.index_to_key == kv.index_to_key
    assert np.array_equal(again.vectors, kv.vectors)


def test_vectors_need_reiterable_input():
    with pytest.raises(TypeError, match="re-iterable"):
        ensure_reiterable(iter([["a"]]))
    with pytest.raises(FileNotFoundError):
        load_vectors("/nonexistent/vectors")
