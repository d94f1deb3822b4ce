"""Exports: CSV with a UTF-8 BOM for Excel, XLSX, Parquet and JSON Lines carry the same rows."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from openpyxl import load_workbook

from pipelines.exports import export_table
from pipelines.store import Store


@pytest.fixture()
def store():
    s = Store(memory=True)
    paras = [
        {"doc": "报告.txt", "idx": i, "kind": k, "level": 1 if k == "heading" else None,
         "section": "一、总体要求" if i else "", "section_path": ["一、总体要求"] if i else [], "text": t,
         "rows": None, "char_start": 0, "char_end": len(t)}
        for i, (k, t) in enumerate([("heading", "一、总体要求"), ("prose", "推进规则对接，“单一窗口”覆盖率达100%。")])
    ]
    s.write_document("corpus/报告.txt", {"doc": "报告.txt", "title": "报告", "year": 2023, "sha256": "x"}, {"paragraphs": paras})
    return s


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "parquet", "jsonl"])
def test_export_paragraphs_round_trip(store, tmp_path, fmt):
    out = tmp_path / f"p.{fmt}"
    n = export_table(store, "paragraphs", fmt, out)
    assert n == 2
    if fmt == "csv":
        raw = out.read_bytes()
        assert raw.startswith(b"\xef\xbb\xbf")
        df = pd.read_csv(out, encoding="utf-8-sig")
    elif fmt == "xlsx":
        wb = load_workbook(out)
        ws = wb[wb.sheetnames[0]]
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref
        df = pd.read_excel(out)
    elif fmt == "parquet":
        df = pd.read_parquet(out)
    else:
        df = pd.DataFrame([json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()])
    assert list(df.columns) == ["doc", "idx", "kind", "section", "text"]
    assert df["text"].tolist()[1] == "推进规则对接，“单一窗口”覆盖率达100%。"
    assert df["section"].fillna("").tolist() == ["", "一、总体要求"]


def test_export_documents_fields(store, tmp_path):
    out = tmp_path / "d.jsonl"
    export_table(store, "documents", "jsonl", out)
    rec = json.loads(out.read_text(encoding="utf-8").splitlines()[0])
    assert list(rec) == ["doc", "title", "year", "genre", "issuer", "doc_number", "date", "path", "sha256",
                         "chars", "status", "error"]
    assert rec["doc"] == "报告.txt" and rec["status"] == "ok"


def test_export_unknown_table_is_a_clear_error(store, tmp_path):
    from nlp.errors import ZhcorpusError

    with pytest.raises(ZhcorpusError, match="unknown table 'nosuch'"):
        export_table(store, "nosuch", "csv", tmp_path / "x.csv")
