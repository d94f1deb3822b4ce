"""The HTML report and the Excel workbook, built from a synthetic store (no pipeline stage needed)."""

from __future__ import annotations

import json
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from pipelines import store as store_mod
from pipelines.report import SECTIONS, WORKBOOK_SHEETS, build_report, build_workbook, json_for_script
from pipelines.store import Column, Store, TableSpec

EVIL = '<script>alert("x")</script><img src=x onerror=alert(1)>'

_V, _I, _D, _B, _L = "VARCHAR", "BIGINT", "DOUBLE", "BOOLEAN", "VARCHAR[]"
_PROV = [
    ("doc", _V),
    ("section", _V),
    ("paragraph", _I),
    ("sentence", _V),
    ("char_start", _I),
    ("char_end", _I),
]
SPECS = {
    "facts": _PROV
    + [
        ("number", _V),
        ("value", _D),
        ("value_max", _D),
        ("unit", _V),
        ("kind", _V),
        ("scaled_value", _D),
        ("scaled_unit", _V),
        ("approx", _B),
        ("year", _I),
        ("indicator", _V),
        ("region", _V),
        ("comparison", _V),
        ("source", _V),
    ],
    "rules": _PROV
    + [
        ("surface", _V),
        ("canonical", _V),
        ("aliases", _L),
        ("kind", _V),
        ("level", _V),
        ("doc_number", _V),
        ("articles", _L),
        ("mentions", _I),
    ],
    "measures": _PROV + [("surface", _V), ("canonical", _V), ("kind", _V), ("mentions", _I)],
    "themes": [
        ("doc", _V),
        ("scheme", _V),
        ("level", _V),
        ("code", _V),
        ("group", _V),
        ("score", _D),
        ("raw", _D),
        ("labelled", _B),
        ("section", _V),
        ("heading", _V),
        ("paragraph", _I),
        ("sentence", _I),
        ("terms", _L),
        ("evidence", _L),
        ("char_start", _I),
        ("char_end", _I),
    ],
    "topics": [("doc", _V), ("topic", _I), ("share", _D), ("label", _V), ("terms", _L)],
    "keywords": [("doc", _V), ("term", _V), ("score", _D), ("rank", _I)],
}

DOCS = [
    ("corpus/a.txt", "2021年政府工作报告", 2021, "report"),
    ("corpus/b.txt", "关于推进数字贸易高质量发展的意见", 2022, "policy"),
    ("corpus/c.txt", f"恶意标题{EVIL}", 2023, "policy"),
    ("corpus/d.txt", "人工智能人才培养研究", 2023, "academic"),
]
THEMES = ["talent", "infrastructure", "rule_alignment", "finance"]
INSTR = [("supply", "人才支持"), ("environment", "税收优惠"), ("demand", "政府采购")]


@contextmanager
def analysis_tables() -> Iterator[None]:
    """Declare the analysis tables with the field lists above for a test, then put back what was there before.

    A spec that a stage module registers meanwhile (pipelines.stages registers its tables lazily) is kept, so the
    test never removes a real registration.
    """
    mine = {
        name: TableSpec(name, tuple(Column(n, t) for n, t in [("doc_id", _V), *cols]))
        for name, cols in SPECS.items()
    }
    saved = {name: store_mod.TABLES.get(name) for name in mine}
    store_mod.TABLES.update(mine)
    try:
        yield
    finally:
        for name, spec in mine.items():
            if store_mod.TABLES.get(name) is spec:
                if saved[name] is None:
                    store_mod.TABLES.pop(name, None)
                else:
                    store_mod.TABLES[name] = saved[name]


@pytest.fixture
def tables() -> Iterator[None]:
    with analysis_tables():
        yield


def _sentence(i: int, j: int) -> str:
    return f"第{i}篇第{j}句：2023年全省数字经济规模达到{1000 + 37 * i + j}亿元，同比增长{5 + j}%。"


def make_store(path: Path, *, n_facts: int = 12, with_coherence: bool = True) -> Store:
    """A small realistic store: 4 documents with facts, rules, measures, themes, instruments, topics, keywords."""
    store = Store(path)
    for i, (doc_id, title, year, genre) in enumerate(DOCS):
        doc = Path(doc_id).name
        sents = [_sentence(i, j) for j in range(n_facts)]
        if "恶意" in title:
            sents[0] = f"正文里有{EVIL}这样的标记，2023年投入500万元。"
        text = "\n".join(sents)
        facts = [
            {
                "doc": doc,
                "section": "一、总体要求 > （一）发展目标",
                "paragraph": j,
                "sentence": s,
                "char_start": 0,
                "char_end": 5,
                "number": f"{1000 + 37 * i + j}亿元",
                "value": float(1000 + 37 * i + j),
                "value_max": None,
                "unit": "亿元",
                "kind": "money",
                "scaled_value": (1000 + 37 * i + j) * 1e8,
                "scaled_unit": "元",
                "approx": j % 3 == 0,
                "year": 2023,
                "indicator": "数字经济规模" if j % 2 else "增长率",
                "region": ["广东省", "浙江省", "全国"][j % 3],
                "comparison": "同比" if j % 2 else None,
                "source": "regex",
            }
            for j, s in enumerate(sents)
        ]
        rules = [
            {
                "doc": doc,
                "section": "二、重点任务",
                "paragraph": 1,
                "sentence": sents[1],
                "char_start": 0,
                "char_end": 10,
                "surface": f"《{name}》",
                "canonical": name,
                "aliases": [name[:4]],
                "kind": "law",
                "level": "national",
                "doc_number": None,
                "articles": ["第三条"],
                "mentions": 1 + k,
            }
            for k, name in enumerate(
                ["中华人民共和国数据安全法", "区域全面经济伙伴关系协定", f"规则{i}号文件"][: 1 + i % 3]
            )
        ]
        measures = [
            {
                "doc": doc,
                "section": "二、重点任务",
                "paragraph": 2,
                "sentence": sents[2],
                "char_start": 0,
                "char_end": 6,
                "surface": name,
                "canonical": name,
                "kind": kind,
                "mentions": 2,
            }
            for name, kind in [("数字丝路行动", "action"), (f"人才专项计划{i}", "program")]
        ]
        themes = []
        for k, code in enumerate(THEMES):
            score = float((i + 1) * (k + 1) % 7)
            themes.append(
                {
                    "doc": doc,
                    "scheme": "themes",
                    "level": "document",
                    "code": code,
                    "group": "",
                    "score": score,
                    "raw": score * 3,
                    "labelled": score > 2,
                    "section": "",
                    "heading": "",
                    "paragraph": None,
                    "sentence": None,
                    "terms": ["人才"],
                    "evidence": [sents[k]],
                }
            )
            themes.append(
                {
                    "doc": doc,
                    "scheme": "themes",
                    "level": "section",
                    "code": code,
                    "group": "",
                    "score": score,
                    "raw": score,
                    "labelled": True,
                    "section": f"第{k}节 {EVIL if i == 2 else ''}",
                    "heading": "",
                    "paragraph": k,
                    "sentence": None,
                    "terms": [],
                    "evidence": [sents[k]],
                }
            )
            themes.append(
                {
                    "doc": doc,
                    "scheme": "themes",
                    "level": "sentence",
                    "code": code,
                    "group": "",
                    "score": score,
                    "raw": 2.0,
                    "labelled": True,
                    "section": f"第{k}节",
                    "heading": "",
                    "paragraph": k,
                    "sentence": 0,
                    "terms": [],
                    "evidence": [sents[k]],
                }
            )
        for k, (group, code) in enumerate(INSTR):
            themes.append(
                {
                    "doc": doc,
                    "scheme": "instruments",
                    "level": "sentence",
                    "code": code,
                    "group": group,
                    "score": 3.0,
                    "raw": 2.0,
                    "labelled": True,
                    "section": "二、重点任务",
                    "heading": "",
                    "paragraph": k,
                    "sentence": 0,
                    "terms": [],
                    "evidence": [sents[k]],
                }
            )
        topics = [
            {
                "doc": doc,
                "topic": t,
                "share": [0.6, 0.3, 0.1][(t + i) % 3],
                "label": f"主题{t}",
                "terms": ["数字", "贸易", "人才", "规则"][t:] + ["发展"],
            }
            for t in range(3)
        ]
        keywords = [
            {"doc": doc, "term": term, "score": 1.0 / (r + 1), "rank": r + 1}
            for r, term in enumerate(["数字贸易", "人才", "跨境电商", "数据安全", f"关键词{i}", "<b>粗</b>"])
        ]
        store.write_document(
            doc_id,
            {
                "doc": doc,
                "path": doc_id,
                "title": title,
                "year": year,
                "genre": genre,
                "size": len(text.encode()),
                "chars": len(text),
                "sha256": str(i),
            },
            {
                "texts": [{"doc": doc, "text": text}],
                "facts": facts,
                "rules": rules,
                "measures": measures,
                "themes": themes,
                "topics": topics,
                "keywords": keywords,
            },
        )
    store.record_failure(
        "corpus/bad.pdf", {"doc": "bad.pdf", "path": "corpus/bad.pdf"}, "bad.pdf: scanned PDF <no text>"
    )
    if with_coherence:
        store.con.execute(
            "CREATE TABLE topic_coherence AS SELECT * FROM (VALUES (2, 0.41, 0.02), (3, 0.48, 0.05),"
            " (4, 0.45, 0.03)) t(k, c_v, c_npmi)"
        )
    return store


def _section(page: str, sid: str) -> str:
    m = re.search(rf'<section id="{sid}">(.*?)</section>', page, re.DOTALL)
    assert m, f"section {sid} missing"
    return m.group(1)


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """One synthetic store and its report, shared by the tests that only read the page."""
    tmp = tmp_path_factory.mktemp("report")
    with analysis_tables():
        store = make_store(tmp / "x.duckdb")
        t0 = time.perf_counter()
        path = build_report(store, tmp / "reports")
        seconds = time.perf_counter() - t0
        store.close()
    return path, path.read_text(encoding="utf-8"), seconds


def test_report_has_every_section_with_data(built):
    path, page, seconds = built
    assert path.name == "index.html"
    assert seconds < 3.0, f"report took {seconds:.2f} s"
    for sid, _, _ in SECTIONS:
        body = _section(page, sid)
        assert "zc-nodata" not in body and "暂无数据" not in body, f"{sid} shows no data: {body[:300]}"
    figs = json.loads(re.search(r'id="zc-figs">(.*?)</script>', page, re.DOTALL).group(1))
    for key in (
        "docs_by_year",
        "theme_heatmap",
        "theme_by_year",
        "instr_by_doc",
        "instr_theme",
        "topic_heatmap",
        "topic_by_year",
        "topic_coherence",
        "keywords_top",
        "rule_network",
        "similar_heatmap",
    ):
        assert key in figs and figs[key]["data"], key
        assert f'data-fig="{key}"' in page
    facts = _section(page, "facts")
    assert facts.count("<tr>") == 1 + 4 * 12
    assert 'id="fact-filter"' in facts and 'href="#s' in facts
    assert "zc-tag" in _section(page, "keywords")


def test_report_is_offline_and_self_contained(built):
    page = built[1]
    assert "Plotly" in page and len(page) > 3_000_000  # plotly.js inlined
    assert not re.search(r'<(script|link)[^>]+(src|href)="(https?:)?//', page)  # no CDN
    assert "Noto Sans CJK SC" in page and "Microsoft YaHei" in page


def test_report_escapes_document_text(built):
    page = built[1]
    assert "<script>alert" not in page and 'alert("x")' not in page
    assert "<img" not in page and "<b>粗</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in page
    figs = json.loads(re.search(r'id="zc-figs">(.*?)</script>', page, re.DOTALL).group(1))
    labels = json.dumps(figs, ensure_ascii=False)
    assert (
        "<script>" not in labels and "<b>粗" not in labels
    )  # plotly renders <b>, <a> in labels: escaped too
    assert "&lt;b&gt;粗" in labels
    # exactly the script elements we wrote: plotly, figures JSON, behaviour
    assert len(re.findall(r"<script\b", page)) == 3
    assert len(re.findall(r"</script>", page)) == 3


def test_json_for_script_cannot_close_the_element():
    text = json_for_script({"t": "</script><script>alert(1)</script>", "u": "a\u2028b<!--"})
    assert "</" not in text and "<!--" not in text and "\u2028" not in text
    assert json.loads(text) == {"t": "</script><script>alert(1)</script>", "u": "a\u2028b<!--"}


def test_report_shows_no_data_for_missing_tables(tmp_path):
    store = Store(tmp_path / "x.duckdb")  # only the built-in tables
    store.write_document(
        "corpus/a.txt",
        {"doc": "a.txt", "title": "标题", "year": 2020, "chars": 10},
        {"texts": [{"doc": "a.txt", "text": "数字贸易发展。"}]},
    )
    page = build_report(store, tmp_path).read_text(encoding="utf-8")
    for sid in ("themes", "instruments", "topics", "keywords", "facts", "rules", "measures", "similar"):
        assert "暂无数据" in _section(page, sid), sid
    assert "标题" in _section(page, "overview")


def test_report_on_an_empty_store(tmp_path):
    page = build_report(Store(tmp_path / "x.duckdb"), tmp_path).read_text(encoding="utf-8")
    for sid, _, _ in SECTIONS:
        assert "暂无数据" in _section(page, sid), sid


def test_workbook_sheets_and_row_counts_match_the_store(tmp_path, tables):
    from openpyxl import load_workbook

    store = make_store(tmp_path / "x.duckdb")
    path = build_workbook(store, tmp_path / "reports" / "zhcorpus.xlsx")
    wb = load_workbook(path, read_only=False)
    assert wb.sheetnames == list(WORKBOOK_SHEETS)

    def n(sql: str) -> int:
        return int(store.con.execute(sql).fetchone()[0])

    expected = {
        "documents": n("SELECT count(*) FROM documents"),
        "facts": n("SELECT count(*) FROM facts"),
        "rules": n("SELECT count(*) FROM rules"),
        "measures": n("SELECT count(*) FROM measures"),
        "themes": n(
            "SELECT count(*) FROM themes WHERE scheme NOT LIKE '%instrument%' AND level <> 'sentence'"
        ),
        "instruments": n(
            "SELECT count(*) FROM themes WHERE scheme LIKE '%instrument%' AND level = 'sentence' AND labelled"
        ),
        "topics": n("SELECT count(*) FROM topics"),
        "keywords": n("SELECT count(*) FROM keywords"),
    }
    for name, rows in expected.items():
        ws = wb[name]
        assert ws.max_row - 1 == rows, name
        assert ws.freeze_panes == "A2" and ws.auto_filter.ref, name
        assert ws.cell(1, 1).font.bold
    headers = [c.value for c in wb["facts"][1]]
    assert "indicator" in headers and "sentence" in headers
    title_col = [c.value for c in wb["documents"][1]].index("title") + 1
    assert (
        wb["documents"].column_dimensions[chr(64 + title_col)].width >= 20
    )  # wide enough for Chinese titles


def test_workbook_has_headers_for_missing_tables(tmp_path):
    from openpyxl import load_workbook

    store = Store(tmp_path / "x.duckdb")
    store.write_document("corpus/a.txt", {"doc": "a.txt", "title": "标题"}, {})
    wb = load_workbook(build_workbook(store, tmp_path / "w.xlsx"))
    assert wb.sheetnames == list(WORKBOOK_SHEETS)
    assert wb["facts"].max_row == 1 and wb["facts"].cell(1, 1).value == "doc_id"
    assert wb["documents"].max_row == 2


def test_report_cli_writes_both_files(tmp_path, tables):
    from typer.testing import CliRunner

    from pipelines.cli import app

    make_store(tmp_path / "zhcorpus.duckdb").close()
    result = CliRunner().invoke(app, ["--workspace", str(tmp_path), "report"])
    assert result.exit_code == 0, result.output
    assert (tmp_path / "reports" / "index.html").stat().st_size > 1000
    assert (tmp_path / "reports" / "zhcorpus.xlsx").exists()


def test_report_cli_without_store_fails_cleanly(tmp_path):
    from typer.testing import CliRunner

    from pipelines.cli import app

    result = CliRunner().invoke(app, ["--workspace", str(tmp_path), "report"])
    assert result.exit_code == 1
    assert "no store" in result.output


def _reference_similarity(texts):
    """Char-bigram TF-IDF cosine written out by hand (sklearn's smooth idf and sublinear tf)."""
    import math
    from collections import Counter

    bags = [Counter(t[i : i + 2] for i in range(len(t) - 1)) for t in texts]
    df = Counter(g for bag in bags for g in bag)
    n = len(texts)
    vecs = []
    for bag in bags:
        v = {g: (1 + math.log(c)) * (math.log((1 + n) / (1 + df[g])) + 1) for g, c in bag.items()}
        norm = math.sqrt(sum(x * x for x in v.values())) or 1.0
        vecs.append({g: x / norm for g, x in v.items()})
    return [[sum(x * b.get(g, 0.0) for g, x in a.items()) for b in vecs] for a in vecs]


def test_similarity_matrix_is_char_bigram_tfidf_cosine():
    from pipelines.report import similarity_matrix

    texts = [
        "数字贸易高质量发展意见，推进跨境电商。",
        "推进跨境电商和数字贸易发展。",
        "人工智能人才培养研究方法",
        "",
    ]
    expected = _reference_similarity(texts)
    got = similarity_matrix(texts)
    assert got.shape == (4, 4)
    assert max(abs(got[i][j] - expected[i][j]) for i in range(4) for j in range(4)) < 1e-5
    assert got[0][1] > got[0][2]  # shared bigrams make documents similar


def test_report_stage_skips_when_nothing_changed(tmp_path, tables):
    from pipelines.report import report_stage
    from pipelines.workspace import Workspace

    ws = Workspace(tmp_path)
    store = make_store(ws.store_path, n_facts=4)
    assert report_stage(ws, store, None, False).endswith("s)")  # files missing: built
    mtime = (ws.reports_dir / "index.html").stat().st_mtime_ns
    assert report_stage(ws, store, None, False) is None
    assert (ws.reports_dir / "index.html").stat().st_mtime_ns == mtime
    assert report_stage(ws, store, None, True) is not None


def test_report_caps_per_document_lists_with_a_note(tmp_path, tables, monkeypatch):
    """Every per-document list, chart and table is bounded (issue 8): past its cap the page says how many."""
    from pipelines import report

    for name, cap in [
        ("MAX_DOC_ROWS", 2),
        ("MAX_DOC_BARS", 3),
        ("MAX_NETWORK_DOCS", 2),
        ("MAX_SIMILAR_DOCS", 3),
        ("MAX_NAME_ROWS", 1),
        ("MAX_FACT_ROWS", 5),
        ("MAX_HEATMAP_DOCS", 2),
    ]:
        monkeypatch.setattr(report, name, cap)
    store = make_store(tmp_path / "x.duckdb")
    page = build_report(store, tmp_path / "r").read_text(encoding="utf-8")
    figs = json.loads(re.search(r'id="zc-figs">(.*?)</script>', page, re.DOTALL).group(1))
    overview = _section(page, "overview")
    assert "first 2 of 4 rows" in overview and overview.count('<span id="doc-') == 2
    assert _section(page, "keywords").count('class="zc-chip"') == 2 * 6
    assert _section(page, "facts").count("<tr>") == 1 + 5 and "first 5 of 48 rows" in _section(page, "facts")
    assert _section(page, "rules").count("<tr>") == 1 + 1
    assert len(figs["rule_network"]["data"][1]["y"]) == 2 and "the 2 of 4 documents" in _section(
        page, "rules"
    )
    assert len(figs["instr_by_doc"]["data"][0]["x"]) == 3 and "first 3 of 4 rows" in _section(
        page, "instruments"
    )
    assert len(figs["theme_heatmap"]["data"][0]["y"]) == 2 and len(figs["topic_heatmap"]["data"][0]["y"]) == 2
    similar = _section(page, "similar")
    assert "first 3 of 4 documents" in similar and "similar_heatmap" not in figs
    assert _section(page, "themes").count('<details class="zc-doc">') == 2
    # the aggregates still count every document: card totals and the crosstab's total row
    assert ">48</div>" in overview and "4 篇文档 documents" in page
    totals = re.search(r"<td>合计 total</td>((?:<td>[^<]*</td>)+)</tr>", _section(page, "instruments")).group(
        1
    )
    assert totals.endswith("<td>12</td>")  # 4 documents x 3 instrument sentences


def test_report_aggregates_match_pandas_on_the_store(tmp_path, tables):
    """Numbers computed in SQL equal the same aggregates computed from the whole tables in pandas."""
    store = make_store(tmp_path / "x.duckdb")
    page = build_report(store, tmp_path / "r").read_text(encoding="utf-8")
    figs = json.loads(re.search(r'id="zc-figs">(.*?)</script>', page, re.DOTALL).group(1))
    themes = store.query("SELECT * FROM themes WHERE scheme = 'themes' AND level = 'document'")
    docs = store.query("SELECT doc_id, year FROM documents WHERE status = 'ok'")
    matrix = themes.pivot_table(index="doc_id", columns="code", values="score", aggfunc="max").fillna(0.0)
    matrix = matrix.loc[:, matrix.sum() > 0]
    expected = matrix.join(docs.set_index("doc_id")).groupby("year").mean().sort_index()
    got = figs["theme_by_year"]["data"]
    assert [t["name"] for t in got] == list(expected.columns)
    for trace in got:
        assert trace["y"] == [round(v, 4) for v in expected[trace["name"]]]
    kw = store.query("SELECT doc_id, term, score FROM keywords")
    kw["n"] = kw["score"] / kw.groupby("doc_id")["score"].transform("max")
    weights = kw.groupby("term")["n"].sum()
    bars = figs["keywords_top"]["data"][0]
    top = sorted(weights.items(), key=lambda kv: (-kv[1], kv[0]))[:20]
    assert bars["x"] == [round(v, 4) for _, v in top]


def test_workbook_caps_rows_per_sheet_with_a_note(tmp_path, tables):
    from openpyxl import load_workbook

    from pipelines.report import build_workbook as build

    store = make_store(tmp_path / "x.duckdb")
    wb = load_workbook(build(store, tmp_path / "w.xlsx", max_rows=10), read_only=True)
    rows = list(wb["facts"].iter_rows(values_only=True))
    assert len(rows) == 1 + 10  # header, 9 facts, the note
    assert rows[-1][0] == "… 39 more rows: use `zhcorpus export facts --format parquet`"
    assert [r[0] for r in rows[1:10]] == ["corpus/a.txt"] * 9  # sorted by doc_id, paragraph
    assert len(list(wb["documents"].iter_rows())) == 1 + 5  # 5 rows fit: no note
