"""Store: one transaction per document, failures keep earlier rows, streaming reads."""

from __future__ import annotations

import pytest

from pipelines.store import Store


def _paras(texts):
    return [
        {"doc": "a.txt", "idx": i, "kind": "prose", "level": None, "section": "", "section_path": [], "text": t,
         "rows": None, "char_start": 0, "char_end": len(t)}
        for i, t in enumerate(texts)
    ]


def test_store_write_replaces_rows_of_a_document():
    store = Store(memory=True)
    store.write_document("a", {"doc": "a.txt", "sha256": "1"}, {"paragraphs": _paras(["甲", "乙"])})
    store.write_document("a", {"doc": "a.txt", "sha256": "2"}, {"paragraphs": _paras(["丙"])})
    assert store.paragraphs()["text"].tolist() == ["丙"]
    assert store.known()["a"][0] == "2"


def test_store_failed_write_rolls_back_everything():
    store = Store(memory=True)
    store.write_document("a", {"doc": "a.txt", "sha256": "1"}, {"paragraphs": _paras(["甲"])})
    with pytest.raises(KeyError):
        store.write_document("a", {"doc": "a.txt", "sha256": "2"}, {"paragraphs": _paras(["乙"]), "nosuch": [{}]})
    assert store.paragraphs()["text"].tolist() == ["甲"]
    assert store.known()["a"] == ("1", "ok", None)


def test_store_failure_keeps_earlier_good_version():
    store = Store(memory=True)
    store.write_document("a", {"doc": "a.txt", "sha256": "1"}, {"paragraphs": _paras(["甲"])})
    store.record_failure("a", {"doc": "a.txt", "sha256": "2"}, "a.txt: truncated PDF")
    docs = store.documents(status=None)
    assert docs.loc[0, "status"] == "failed" and "truncated" in docs.loc[0, "error"]
    assert store.paragraphs()["text"].tolist() == ["甲"]


def test_store_iter_paragraphs_streams_in_batches():
    store = Store(memory=True)
    store.write_document("a", {"doc": "a.txt"}, {"paragraphs": _paras([f"段{i}" for i in range(25)])})
    rows = list(store.iter_paragraphs(batch_size=4))
    assert [r["idx"] for r in rows] == list(range(25))
