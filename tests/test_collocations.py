"""Collocates and the co-occurrence network, GEXF and CSV export."""

from __future__ import annotations

import xml.etree.ElementTree as ET

import pytest

from nlp.collocations import collocates, cooccurrence, write_edges_csv, write_gexf


def _paras():
    texts = ["发展数字贸易，完善数字贸易规则。", "数字贸易规则需要国际协调。", "农业稳定增长。"] * 4
    return [{"doc": "d", "idx": i, "text": t} for i, t in enumerate(texts)]


def test_collocates_rank_the_words_next_to_the_term():
    table = collocates(_paras(), "数字贸易", window=3)
    assert table.iloc[0]["collocate"] == "规则"
    assert set(table.columns) >= {"collocate", "count", "mi", "log_likelihood"}
    assert "农业" not in set(table["collocate"])
    assert (table["log_likelihood"].diff().dropna() <= 0).all()


def test_cooccurrence_counts_shared_sentences():
    nodes, edges = cooccurrence(_paras(), unit="sentence", min_weight=1)
    pair = edges[(edges["source"] == "数字贸易") & (edges["target"] == "规则")]
    assert int(pair["weight"].iloc[0]) == 8  # two sentences x four copies
    assert not ((edges["source"] == "农业") & (edges["target"] == "规则")).any()
    assert set(nodes["term"]) >= {"数字贸易", "规则", "农业"}
    with pytest.raises(ValueError):
        cooccurrence(_paras(), unit="page")


def test_gexf_and_csv_are_written(tmp_path):
    nodes, edges = cooccurrence(_paras(), unit="paragraph", min_weight=1)
    root = ET.parse(write_gexf(nodes, edges, tmp_path / "g.gexf")).getroot()
    ns = {"g": "http://gexf.net/1.3"}
    assert len(root.findall(".//g:node", ns)) == len(nodes)
    assert len(root.findall(".//g:edge", ns)) == len(edges)
    csv = write_edges_csv(edges, tmp_path / "e.csv").read_text(encoding="utf-8-sig").splitlines()
    assert csv[0].startswith("Source,Target,Weight") and len(csv) == len(edges) + 1
