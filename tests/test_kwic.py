"""KWIC: substring matching, exact counts, provenance (doc, section, sentence)."""

from __future__ import annotations

import pandas as pd
import pytest

from nlp.kwic import KWIC_COLUMNS, kwic, kwic_counts

PARAS = [
    {"doc": "a.txt", "idx": 0, "kind": "heading", "section": "", "text": "一、人才政策"},
    {"doc": "a.txt", "idx": 1, "kind": "prose", "section": "一、人才政策",
     "text": "加强人才培养。引进复合型高端人才，人才人才都算！"},
    {"doc": "b.txt", "idx": 0, "kind": "prose", "section": "", "text": "没有这个词。"},
]  # fmt: skip


def test_kwic_counts_equal_substring_counts():
    hits = kwic(PARAS, "人才")
    assert list(hits.columns) == KWIC_COLUMNS
    assert len(hits) == sum(p["text"].count("人才") for p in PARAS) == 5


def test_kwic_counts_equal_substring_counts_on_a_seed(seed_paths):
    text = seed_paths[0].read_text(encoding="utf-8")
    paras = [{"doc": "s", "idx": i, "text": t} for i, t in enumerate(text.split("\n"))]
    for term in ["数字", "贸易", "粤港澳大湾区", "。"]:
        assert len(kwic(paras, term)) == sum(p["text"].count(term) for p in paras)


def test_kwic_gives_sentence_section_and_context():
    hits = kwic(PARAS, "高端人才", window=4)
    row = hits.iloc[0]
    assert row["doc"] == "a.txt" and row["para"] == 1 and row["section"] == "一、人才政策"
    assert row["sentence"] == "引进复合型高端人才，人才人才都算！"
    assert (row["left"], row["keyword"], row["right"]) == (
        "加强人才培养。引进复合型"[-4:],
        "高端人才",
        "，人才人",
    )
    text = PARAS[1]["text"]
    assert text[row["start"] : row["end"]] == "高端人才"


def test_kwic_regex_and_counts_by_form():
    hits = kwic(PARAS, r"人才(培养|政策)", regex=True)
    assert sorted(hits["keyword"]) == ["人才培养", "人才政策"]
    counts = kwic_counts(kwic(PARAS, r"人才"))
    assert dict(zip(counts["doc"], counts["count"])) == {"a.txt": 5}


def test_kwic_accepts_dataframes_and_rejects_bad_patterns():
    assert len(kwic(pd.DataFrame(PARAS), "词")) == 1
    assert kwic(PARAS, "不存在的词").empty
    with pytest.raises(ValueError):
        kwic(PARAS, "人才(", regex=True)
    with pytest.raises(ValueError):
        kwic(PARAS, "")
