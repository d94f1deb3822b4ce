"""The corpus report: one self-contained, offline HTML file and an Excel workbook, both read from the store.

Why plotly: it is already a project dependency, its whole JS bundle ships inside the pip package
(``plotly.offline.get_plotlyjs()``), so the report is ONE file that opens without network, and it covers every chart
we need (heatmaps, bars, lines, a network as scatter + lines) with hover, zoom and legend toggles out of the box.
Vega-Lite would be lighter (~1 MB with vega + vega-embed) but no installed pip package ships its JS as files we
could inline, so it would have to be vendored by hand and kept up to date.

Every section reads whichever tables exist (``Store.has_table`` and the columns present) and shows an explicit
"暂无数据 / no data" note when its table is missing or empty, so the report works at every stage of a run.

Memory does not grow with the corpus (issue 8): no table is loaded whole. Counts, crosstabs, per-document,
per-year and per-theme sums, top-N lists and network edges are computed in DuckDB SQL (:class:`Rel` wraps a
table restricted to the reported documents; the ``_zc_docs`` temp table holds their chart labels), and only
bounded results reach pandas: top N, and per-document lists capped at :data:`MAX_DOC_ROWS` (charts at
:data:`MAX_DOC_BARS`, the network at :data:`MAX_NETWORK_DOCS`) with a note saying how many there are. The
workbook streams rows from DuckDB into xlsxwriter's constant-memory mode, at most :data:`WORKBOOK_MAX_ROWS` a sheet.
Ties in a ranking are broken by a stable key (the stored row order or the name), so pages are reproducible.

Safety: every string from a document goes through :func:`html.escape`; the figure data is embedded as JSON in a
``<script type="application/json">`` element with ``<``, ``>``, ``&`` and U+2028/9 written as ``\\uXXXX`` escapes,
so a document containing ``</script>`` or markup cannot inject into the page.

Example::

    with Store.open(ws.store_path, read_only=True) as store:
        build_report(store, ws.reports_dir)
        build_workbook(store, ws.reports_dir / "zhcorpus.xlsx")
"""

from __future__ import annotations

import html
import json
import math
import re
import zlib
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipelines.store import Store

__all__ = [
    "SECTIONS",
    "WORKBOOK_SHEETS",
    "build_report",
    "build_workbook",
    "report_data",
    "report_stage",
    "workbook_sheets",
]

FONT_STACK = '"Noto Sans CJK SC","Source Han Sans SC","PingFang SC","Microsoft YaHei",sans-serif'
NO_DATA = "暂无数据 / no data"
INSTRUMENT_SCHEMES = ("instrument",)  # a themes scheme whose name contains this is a policy-instrument scheme

# (id, Chinese title, English title) in page order
SECTIONS: tuple[tuple[str, str, str], ...] = (
    ("overview", "语料概览", "Corpus overview"),
    ("themes", "主题地图", "Theme map"),
    ("instruments", "政策工具", "Policy instruments"),
    ("topics", "主题模型", "Topic model"),
    ("keywords", "关键词", "Keywords"),
    ("facts", "事实表", "Facts"),
    ("rules", "规则引用", "Rule references"),
    ("measures", "政策措施", "Named measures"),
    ("similar", "相似文档", "Similar documents"),
    ("sentences", "原文句子", "Source sentences"),
)

WORKBOOK_SHEETS = ("documents", "facts", "rules", "measures", "themes", "instruments", "topics", "keywords")

# header columns of each workbook sheet when its table is missing (mirrors the record field lists)
_SHEET_HEADERS: dict[str, list[str]] = {
    "documents": [
        "doc_id",
        "doc",
        "title",
        "year",
        "genre",
        "issuer",
        "doc_number",
        "date",
        "size",
        "chars",
        "status",
        "error",
    ],
    "facts": [
        "doc_id",
        "doc",
        "section",
        "paragraph",
        "sentence",
        "char_start",
        "char_end",
        "number",
        "value",
        "value_max",
        "unit",
        "kind",
        "scaled_value",
        "scaled_unit",
        "approx",
        "year",
        "indicator",
        "region",
        "comparison",
        "source",
    ],
    "rules": [
        "doc_id",
        "doc",
        "section",
        "paragraph",
        "sentence",
        "char_start",
        "char_end",
        "surface",
        "canonical",
        "aliases",
        "kind",
        "level",
        "doc_number",
        "articles",
        "mentions",
    ],
    "measures": [
        "doc_id",
        "doc",
        "section",
        "paragraph",
        "sentence",
        "char_start",
        "char_end",
        "surface",
        "canonical",
        "kind",
        "mentions",
    ],
    "themes": [
        "doc_id",
        "doc",
        "scheme",
        "level",
        "code",
        "group",
        "score",
        "raw",
        "labelled",
        "section",
        "heading",
        "paragraph",
        "sentence",
        "terms",
        "evidence",
    ],
    "topics": ["doc_id", "doc", "topic", "share", "label", "terms"],
    "keywords": ["doc_id", "doc", "term", "score", "rank"],
}
_SHEET_HEADERS["instruments"] = _SHEET_HEADERS["themes"]

MAX_FACT_ROWS = 3000  # rows of the HTML fact table (the workbook has them all)
MAX_RULES = 40  # rules in the network chart
MAX_HEATMAP_DOCS = 80
MAX_DRILL_SECTIONS, MAX_DRILL_CODES, MAX_DRILL_EVIDENCE = 40, 6, 2  # theme drill-down per document

# 20 distinguishable colours (Tableau 10 + their light variants) so codes do not share a colour in a legend
COLORWAY = [
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#7f7f7f",
    "#bcbd22",
    "#17becf",
    "#aec7e8",
    "#ffbb78",
    "#98df8a",
    "#ff9896",
    "#c5b0d5",
    "#c49c94",
    "#f7b6d2",
    "#c7c7c7",
    "#dbdb8d",
    "#9edae5",
]

# sequential colour scales, white (zero) to dark (high): plotly's named scales run dark-to-light
COLORSCALES: dict[str, list[list[Any]]] = {
    "YlGnBu": [[0, "#ffffff"], [0.15, "#edf8b1"], [0.45, "#7fcdbb"], [0.75, "#2c7fb8"], [1, "#0c2c84"]],
    "Blues": [[0, "#ffffff"], [0.3, "#c6dbef"], [0.65, "#4292c6"], [1, "#08306b"]],
    "Purples": [[0, "#ffffff"], [0.3, "#dadaeb"], [0.65, "#807dba"], [1, "#3f007d"]],
    "Oranges": [[0, "#ffffff"], [0.3, "#fdd0a2"], [0.65, "#f16913"], [1, "#7f2704"]],
}


# --- small helpers ---------------------------------------------------------------------------------------------
def esc(value: Any) -> str:
    """HTML-escape anything (None -> empty); the only way document text enters the page."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return html.escape(str(value), quote=True)


def json_for_script(obj: Any) -> str:
    """JSON safe inside a ``<script>`` element: no ``</script>``, ``<!--`` or line separators can appear."""
    text = json.dumps(obj, ensure_ascii=False, default=_json_default, allow_nan=False)
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def _json_default(value: Any) -> Any:
    if isinstance(value, np.integer):
        return int(value)
    if isinstance(value, np.floating):
        return None if math.isnan(float(value)) else float(value)
    if isinstance(value, np.ndarray):
        return value.tolist()
    return str(value)


def _clean(value: Any) -> Any:
    """A JSON-safe scalar (NaN -> None, numpy -> python)."""
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return None if math.isnan(f) or math.isinf(f) else round(f, 4)
    if isinstance(value, np.integer):
        return int(value)
    return value


def _col(df: pd.DataFrame | None, *names: str) -> str | None:
    """The first of ``names`` that is a column of ``df`` (tables from other stages may name fields differently)."""
    if df is None:
        return None
    for n in names:
        if n in df.columns:
            return n
    return None


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    if isinstance(value, float) and math.isnan(value):
        return []
    if isinstance(value, np.ndarray):
        return [str(v) for v in value.tolist()]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if isinstance(value, str):
        s = value.strip()
        if s.startswith("["):
            try:
                return [str(v) for v in json.loads(s)]
            except ValueError:
                pass
        return [s] if s else []
    return [str(value)]


def _num(value: Any) -> float | None:
    try:
        f = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(f) else f


def pt(value: Any) -> str:
    """Text for a plotly label: plotly renders a subset of HTML (<b>, <a href>, <br>) in labels, so escape it."""
    return html.escape(str(value), quote=False)


def _fmt_num(value: Any) -> str:
    f = _num(value)
    if f is None:
        return ""
    if f == int(f) and abs(f) < 1e15:
        return f"{int(f):,}"
    return f"{f:,.4g}" if abs(f) >= 1 else f"{f:.4g}"


def _truncate(text: str, n: int) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def _q(name: str) -> str:
    """A quoted SQL identifier."""
    return '"' + name.replace('"', '""') + '"'


# --- data access: aggregates run in DuckDB, only bounded results come into pandas -------------------------------
@dataclass(frozen=True)
class Rel:
    """A SQL relation the sections query: a table (restricted to the reported documents), or a filter of one.

    ``sql`` is a parenthesised subquery usable after FROM; every row carries ``_rid``, the base table's rowid, so
    "first row" and tie-breaks follow the stored order, as the pandas version did.
    """

    sql: str
    cols: tuple[str, ...]

    def col(self, *names: str) -> str | None:
        """The first of ``names`` that is a column (tables from other stages may name fields differently)."""
        return next((n for n in names if n in self.cols), None)

    def where(self, cond: str) -> Rel:
        return Rel(f"(SELECT * FROM {self.sql} WHERE {cond})", self.cols)


@dataclass
class DocNames:
    """doc_id -> chart label / full title, read from the ``_zc_docs`` temp table as needed (bounded cache)."""

    store: Store
    column: str
    cache: dict[str, str] = field(default_factory=dict)

    def prefetch(self, ids: Iterable[Any]) -> None:
        missing = list({str(x) for x in ids} - self.cache.keys())
        for i in range(0, len(missing), 5000):
            chunk = missing[i : i + 5000]
            rows = self.store.con.execute(
                f"SELECT doc_id, {self.column} FROM _zc_docs WHERE doc_id IN (SELECT unnest(?))", [chunk]
            ).fetchall()
            found = dict(rows)
            for x in chunk:
                self.cache[x] = found.get(x)  # type: ignore[assignment]  (None: not a reported document)

    def get(self, doc_id: Any, default: Any = None) -> Any:
        key = str(doc_id)
        if key not in self.cache:
            self.prefetch([key])
        value = self.cache.get(key)
        return default if value is None else value

    def __getitem__(self, doc_id: Any) -> str:
        value = self.get(doc_id)
        if value is None:
            raise KeyError(doc_id)
        return value


MAX_DOC_ROWS = 2000  # documents listed in the page's per-document tables (overview, keywords, drill-down ...)
MAX_DOC_BARS = 200  # documents on a per-document bar chart
MAX_NETWORK_DOCS = 150  # documents in the rule network
MAX_SIMILAR_DOCS = 200  # documents whose similarity the report computes itself (no ``similar`` table)

_ANALYSIS_TABLES = (
    "facts",
    "rules",
    "measures",
    "themes",
    "instruments",
    "topics",
    "topic_terms",
    "topic_coherence",
    "topic_sweep",
    "keywords",
    "similar",
    "paragraphs_stats",
)


@dataclass
class ReportData:
    """What the sections read: bounded frames plus SQL relations over the store (nothing grows with the corpus).

    ``documents`` / ``failed`` hold at most :data:`MAX_DOC_ROWS` rows each (``n_documents`` / ``n_failed`` are the
    totals); ``labels`` and ``titles`` look documents up in the ``_zc_docs`` temp table on demand.
    """

    store: Store
    documents: pd.DataFrame
    failed: pd.DataFrame
    n_documents: int
    n_failed: int
    rels: dict[str, Rel]
    labels: DocNames
    titles: DocNames
    meta: dict[str, str] = field(default_factory=dict)
    _counts: dict[str, int] = field(default_factory=dict)

    def rel(self, name: str) -> Rel | None:
        return self.rels.get(name)

    def count(self, rel: Rel) -> int:
        if rel.sql not in self._counts:
            self._counts[rel.sql] = int(self.scalar(f"SELECT count(*) FROM {rel.sql}") or 0)
        return self._counts[rel.sql]

    def nonempty(self, name: str) -> Rel | None:
        rel = self.rels.get(name)
        return rel if rel is not None and self.count(rel) else None

    def df(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        return self.store.con.execute(sql, list(params or [])).df()

    def rows(self, sql: str, params: Sequence[Any] | None = None) -> list[tuple[Any, ...]]:
        return self.store.con.execute(sql, list(params or [])).fetchall()

    def stream(
        self, sql: str, params: Sequence[Any] | None = None, *, batch_size: int = 2000
    ) -> Iterator[dict[str, Any]]:
        """A query's rows as dicts, batch by batch. On the store's own connection (the ``_zc_docs`` temp table
        is visible only there), so no other query may run until the stream is consumed."""
        result = self.store.con.execute(sql, list(params or []))
        names = [c[0] for c in result.description]
        while batch := result.fetchmany(batch_size):
            for row in batch:
                yield dict(zip(names, row))

    def scalar(self, sql: str, params: Sequence[Any] | None = None) -> Any:
        row = self.store.con.execute(sql, list(params or [])).fetchone()
        return row[0] if row else None


_DOCS_SQL = """
CREATE OR REPLACE TEMP TABLE _zc_docs AS
WITH d AS (
    SELECT doc_id, {year} AS year,
           CASE WHEN {doc} IS NOT NULL AND {doc} <> '' THEN {doc} ELSE regexp_extract(doc_id, '[^/]*$') END AS name,
           {title} AS title
    FROM documents WHERE {ok}
), t AS (
    SELECT doc_id, year, name, CASE WHEN title IS NOT NULL AND title <> '' THEN title ELSE name END AS title FROM d
), s AS (
    SELECT *, CASE WHEN length(title) <= 18 THEN title ELSE substr(title, 1, 17) || '…' END AS short FROM t
)
SELECT doc_id, year, name, title,
       CASE WHEN row_number() OVER (PARTITION BY short ORDER BY doc_id) > 1 THEN short || ' (' || name || ')'
            ELSE short END AS label
FROM s
"""


def _table_cols(store: Store, name: str) -> tuple[str, ...]:
    return tuple(r[0] for r in store.con.execute(f"DESCRIBE {_q(name)}").fetchall())


def report_data(store: Store) -> ReportData:
    """Index the documents in a temp table and describe every analysis table that exists (no table is loaded)."""
    has_docs = store.has_table("documents")
    doc_cols = _table_cols(store, "documents") if has_docs else ()
    ok = "coalesce(CAST(status AS VARCHAR), 'ok') <> 'failed'" if "status" in doc_cols else "TRUE"
    if has_docs:
        store.con.execute(
            _DOCS_SQL.format(
                ok=ok,
                year="TRY_CAST(year AS BIGINT)" if "year" in doc_cols else "NULL::BIGINT",
                doc="CAST(doc AS VARCHAR)" if "doc" in doc_cols else "NULL::VARCHAR",
                title="CAST(title AS VARCHAR)" if "title" in doc_cols else "NULL::VARCHAR",
            )
        )
    else:
        store.con.execute(
            "CREATE OR REPLACE TEMP TABLE _zc_docs "
            "(doc_id VARCHAR, year BIGINT, name VARCHAR, title VARCHAR, label VARCHAR)"
        )
    if has_docs:
        docs = store.con.execute(
            f"SELECT * FROM documents WHERE {ok} ORDER BY doc_id LIMIT {MAX_DOC_ROWS}"
        ).df()
        failed = store.con.execute(
            f"SELECT * FROM documents WHERE NOT ({ok}) ORDER BY doc_id LIMIT {MAX_DOC_ROWS}"
        ).df()
        n_failed = int(store.con.execute(f"SELECT count(*) FROM documents WHERE NOT ({ok})").fetchone()[0])  # type: ignore[index]
    else:
        docs = pd.DataFrame(columns=_SHEET_HEADERS["documents"])
        failed = docs.iloc[0:0]
        n_failed = 0
    n_docs = int(store.con.execute("SELECT count(*) FROM _zc_docs").fetchone()[0])  # type: ignore[index]
    rels: dict[str, Rel] = {}
    for name in _ANALYSIS_TABLES:
        if not store.has_table(name):
            continue
        cols = _table_cols(store, name)
        where = (
            " WHERE doc_id IN (SELECT doc_id FROM _zc_docs)" if "doc_id" in cols and name != "similar" else ""
        )
        rels[name] = Rel(f"(SELECT *, rowid AS _rid FROM {_q(name)}{where})", cols)
    meta: dict[str, str] = {}
    if store.has_table("meta"):
        meta = {str(k): str(v) for k, v in store.con.execute("SELECT key, value FROM meta").fetchall()}
    labels, titles = DocNames(store, "label"), DocNames(store, "title")
    if len(docs):
        labels.prefetch(docs["doc_id"].astype(str))
        titles.prefetch(docs["doc_id"].astype(str))
    return ReportData(store, docs, failed, n_docs, n_failed, rels, labels, titles, meta)


def _str(expr: str) -> str:
    """SQL for pandas' ``astype(str)`` of a VARCHAR-ish column (NULL -> 'None')."""
    return f"coalesce(CAST({expr} AS VARCHAR), 'None')"


def _long_to_frame(
    long: pd.DataFrame, index: str, columns: str, values: str, *, fill: Any = 0
) -> pd.DataFrame:
    """Pivot aggregated (index, columns, value) rows to a matrix with sorted axes (what crosstab/pivot gave)."""
    if not len(long):
        return pd.DataFrame()
    return long.set_index([index, columns])[values].unstack(fill_value=fill).sort_index().sort_index(axis=1)


# --- figures (plotly JSON; rendered by the inline script) ------------------------------------------------------
class Figures:
    """Collects plotly figure specs; each is placed in the page as ``<div class="zc-chart" data-fig=key>``."""

    def __init__(self) -> None:
        self.specs: dict[str, dict[str, Any]] = {}

    def add(self, key: str, data: list[dict[str, Any]], layout: dict[str, Any], *, height: int = 420) -> str:
        base = {
            "font": {"family": FONT_STACK, "size": 12},
            "margin": {"l": 60, "r": 20, "t": 40, "b": 60},
            "height": height,
            "paper_bgcolor": "#ffffff",
            "plot_bgcolor": "#ffffff",
            "colorway": COLORWAY,
        }
        base.update(layout)
        self.specs[key] = {"data": data, "layout": base}
        return f'<div class="zc-chart" id="chart-{esc(key)}" data-fig="{esc(key)}" style="height:{height}px"></div>'


def _heatmap(
    figs: Figures,
    key: str,
    matrix: pd.DataFrame,
    *,
    title: str,
    colorscale: str = "YlGnBu",
    zlabel: str = "score",
    height: int | None = None,
) -> str:
    rows = [pt(r) for r in matrix.index]
    cols = [pt(c) for c in matrix.columns]
    z = [[_clean(v) for v in row] for row in matrix.to_numpy(dtype=float)]
    h = height or max(320, min(1600, 200 + 26 * len(rows)))
    longest = max((len(r) for r in rows), default=4)
    return figs.add(
        key,
        [
            {
                "type": "heatmap",
                "z": z,
                "x": cols,
                "y": rows,
                "zmin": 0,
                "colorscale": COLORSCALES.get(colorscale, colorscale),
                "hoverongaps": False,
                "hovertemplate": "%{y}<br>%{x}<br>" + zlabel + ": %{z}<extra></extra>",
            }
        ],
        {
            "title": {"text": title},
            "margin": {"l": min(320, 20 + 13 * longest), "r": 20, "t": 40, "b": 120},
            "xaxis": {"tickangle": -40, "automargin": True},
            "yaxis": {"automargin": True, "autorange": "reversed"},
        },
        height=h,
    )


def _bars(
    figs: Figures,
    key: str,
    frame: pd.DataFrame,
    *,
    title: str,
    xlabel: str,
    ylabel: str,
    stacked: bool = True,
    horizontal: bool = False,
    height: int = 400,
) -> str:
    """One bar trace per column of ``frame`` (index on the category axis)."""
    cats = [pt(i) for i in frame.index]
    data = []
    for c in frame.columns:
        vals = [_clean(v) for v in frame[c].tolist()]
        trace: dict[str, Any] = {"type": "bar", "name": pt(c)}
        if horizontal:
            trace.update(y=cats, x=vals, orientation="h")
        else:
            trace.update(x=cats, y=vals)
        data.append(trace)
    layout: dict[str, Any] = {
        "title": {"text": title},
        "barmode": "stack" if stacked else "group",
        "xaxis": {
            "title": {"text": xlabel},
            "automargin": True,
            "type": "category" if not horizontal else "-",
        },
        "yaxis": {"title": {"text": ylabel}, "automargin": True},
    }
    if horizontal:
        layout["yaxis"].update(autorange="reversed", type="category")
        layout["xaxis"]["type"] = "-"
    return figs.add(key, data, layout, height=height)


def _lines(
    figs: Figures, key: str, frame: pd.DataFrame, *, title: str, xlabel: str, ylabel: str, height: int = 400
) -> str:
    data = [
        {
            "type": "scatter",
            "mode": "lines+markers",
            "name": pt(c),
            "x": [_clean(v) for v in frame.index],
            "y": [_clean(v) for v in frame[c].tolist()],
        }
        for c in frame.columns
    ]
    return figs.add(
        key,
        data,
        {
            "title": {"text": title},
            "xaxis": {"title": {"text": xlabel}, "dtick": 1},
            "yaxis": {"title": {"text": ylabel}},
        },
        height=height,
    )


# --- html pieces -----------------------------------------------------------------------------------------------
def _no_data(what: str) -> str:
    return f'<p class="zc-nodata">{NO_DATA}<span class="zc-why"> — {esc(what)}</span></p>'


def _table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    table_id: str = "",
    sortable: bool = True,
    numeric: Sequence[int] = (),
) -> str:
    """A table from pre-escaped cell HTML. ``numeric`` columns sort as numbers."""
    tid = f' id="{esc(table_id)}"' if table_id else ""
    cls = "zc-table zc-sortable" if sortable else "zc-table"
    head = "".join(
        f'<th data-type="{"num" if i in numeric else "text"}">{h}</th>' for i, h in enumerate(headers)
    )
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in r) + "</tr>" for r in rows)
    return f'<div class="zc-scroll"><table class="{cls}"{tid}><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>'


class Sentences:
    """The source sentences referenced by facts, rules, measures and themes, each with a stable anchor."""

    def __init__(self) -> None:
        self.ids: dict[tuple[str, str], str] = {}
        self.by_doc: dict[str, list[tuple[str, str, str]]] = defaultdict(
            list
        )  # doc_id -> (anchor, section, text)

    def anchor(self, doc_id: Any, sentence: Any, section: Any = "") -> str:
        text = (
            ""
            if sentence is None or (isinstance(sentence, float) and math.isnan(sentence))
            else str(sentence)
        )
        if not text.strip():
            return ""
        key = (str(doc_id), text)
        if key not in self.ids:
            anchor = f"s{len(self.ids) + 1}"
            self.ids[key] = anchor
            sec = (
                ""
                if section is None or (isinstance(section, float) and math.isnan(section))
                else str(section)
            )
            self.by_doc[str(doc_id)].append((anchor, sec, text))
        return self.ids[key]

    def link(self, doc_id: Any, sentence: Any, section: Any = "") -> str:
        anchor = self.anchor(doc_id, sentence, section)
        if not anchor:
            return ""
        return f'<a class="zc-src" href="#{anchor}" title="{esc(sentence)}">↗ 原句</a>'


@dataclass
class Ctx:
    data: ReportData
    figs: Figures
    sents: Sentences


def _doc_cell(ctx: Ctx, doc_id: Any) -> str:
    doc_id = str(doc_id)
    return (
        f'<a href="#doc-{esc(_slug(doc_id))}" title="{esc(ctx.data.titles.get(doc_id, doc_id))}">'
        f"{esc(ctx.data.labels.get(doc_id, doc_id))}</a>"
    )


def _slug(doc_id: str) -> str:
    return format(zlib.crc32(doc_id.encode("utf-8")), "08x")


# --- sections --------------------------------------------------------------------------------------------------
def _count_by_doc(d: ReportData, name: str, ids: Sequence[str]) -> dict[str, int]:
    """Rows of table ``name`` per document, for the listed documents only."""
    rel = d.rel(name)
    if rel is None or "doc_id" not in rel.cols or not ids:
        return {}
    rows = d.rows(
        f"SELECT doc_id, count(*) FROM {rel.sql} WHERE doc_id IN (SELECT unnest(?)) GROUP BY doc_id",
        [list(ids)],
    )
    return {str(k): int(v) for k, v in rows}


def section_overview(ctx: Ctx) -> str:
    d = ctx.data
    docs = d.documents
    if not d.n_documents:
        return _no_data("documents 表为空：先运行 zhcorpus run / run `zhcorpus run` first")
    ids = docs["doc_id"].astype(str).tolist()
    counts = {n: _count_by_doc(d, n, ids) for n in ("facts", "rules", "measures")}
    chars_col = _col(docs, "chars", "size")
    total_chars = 0
    if chars_col:
        total_chars = int(
            d.scalar(
                f"SELECT coalesce(sum(coalesce(TRY_CAST({_q(chars_col)} AS DOUBLE), 0)), 0) FROM documents "
                "WHERE doc_id IN (SELECT doc_id FROM _zc_docs)"
            )
        )
    cards: list[tuple[str, Any]] = [("文档 documents", d.n_documents), ("字符 characters", total_chars)]
    for n, zh in (("facts", "事实 facts"), ("rules", "规则 rules"), ("measures", "措施 measures")):
        rel = d.rel(n)
        cards.append((zh, d.count(rel) if rel is not None else "—"))
    if d.n_failed:
        cards.append(("失败 failed", d.n_failed))
    card_html = "".join(
        f'<div class="zc-card"><div class="zc-card-n">{esc(_fmt_num(v) if isinstance(v, int) else v)}</div>'
        f'<div class="zc-card-l">{esc(k)}</div></div>'
        for k, v in cards
    )
    rows = []
    for r in docs.to_dict("records"):
        doc_id = str(r["doc_id"])
        rows.append(
            [
                f'<span id="doc-{esc(_slug(doc_id))}">{esc(d.titles.get(doc_id))}</span>',
                esc(r.get("doc")),
                esc(r.get("genre")),
                esc(_fmt_num(r.get("year")).replace(",", "")),
                esc(r.get("issuer")),
                esc(_fmt_num(r.get("chars"))),
                esc(_fmt_num(r.get("size"))),
                str(counts["facts"].get(doc_id, 0)),
                str(counts["rules"].get(doc_id, 0)),
                str(counts["measures"].get(doc_id, 0)),
            ]
        )
    table = _cap_note(d.n_documents, MAX_DOC_ROWS) + _table(
        [
            "标题 title",
            "文件 file",
            "体裁 genre",
            "年份 year",
            "发文机关 issuer",
            "字数 chars",
            "字节 bytes",
            "事实 facts",
            "规则 rules",
            "措施 measures",
        ],
        rows,
        table_id="tbl-documents",
        numeric=(3, 5, 6, 7, 8, 9),
    )
    # documents by year and genre (or, with no years, characters per document)
    by_year = pd.DataFrame()
    if "year" in docs.columns:
        genre = "coalesce(CAST(genre AS VARCHAR), '其他')" if "genre" in docs.columns else "'?'"
        by_year = d.df(
            f"SELECT CAST(TRY_CAST(year AS DOUBLE) AS BIGINT) AS year, {genre} AS genre, count(*) AS n "
            "FROM documents WHERE doc_id IN (SELECT doc_id FROM _zc_docs) AND TRY_CAST(year AS DOUBLE) IS NOT NULL "
            "GROUP BY ALL"
        )
    if len(by_year):
        pivot = by_year.set_index(["year", "genre"])["n"].unstack(fill_value=0).sort_index()
        chart = _bars(
            ctx.figs,
            "docs_by_year",
            pivot,
            title="按年份和体裁的文档数 Documents by year and genre",
            xlabel="年份 year",
            ylabel="文档数 documents",
            height=360,
        )
    else:
        shown = docs.head(MAX_DOC_BARS)
        ch = (
            pd.to_numeric(shown[chars_col], errors="coerce").fillna(0)
            if chars_col
            else pd.Series([0] * len(shown))
        )
        frame = pd.DataFrame({"字数 chars": ch.to_numpy()}, index=[d.labels[str(x)] for x in shown["doc_id"]])
        chart = _bars(
            ctx.figs,
            "docs_by_year",
            frame,
            title="各文档字数 Characters per document",
            xlabel="文档 document",
            ylabel="字数 chars",
            height=360,
        )
    failed = ""
    if d.n_failed:
        items = "".join(
            f"<li><code>{esc(r.get('doc') or r.get('doc_id'))}</code>: {esc(r.get('error'))}</li>"
            for r in d.failed.to_dict("records")
        )
        failed = (
            f"<h3>处理失败的文件 Failed files</h3>{_cap_note(d.n_failed, MAX_DOC_ROWS)}"
            f'<ul class="zc-failed">{items}</ul>'
        )
    return f'<div class="zc-cards">{card_html}</div>{chart}{table}{failed}'


def _is_instr(rel: Rel) -> str:
    pattern = "|".join(INSTRUMENT_SCHEMES)
    return f"regexp_matches(lower(coalesce(CAST(scheme AS VARCHAR), 'none')), '{pattern}')"


def _split_themes(d: ReportData) -> tuple[Rel | None, Rel | None]:
    """(themes, instruments): instrument codes come from an ``instruments`` table or an instrument scheme."""
    themes = d.nonempty("themes")
    instruments = d.nonempty("instruments")
    if themes is not None and "scheme" in themes.cols:
        is_instr = _is_instr(themes)
        if instruments is None and d.count(themes.where(is_instr)):
            instruments = themes.where(is_instr)
        themes = themes.where(f"NOT {is_instr}")
    if themes is not None and not d.count(themes):
        themes = None
    return themes, instruments


def _labelled(rel: Rel) -> Rel:
    if "labelled" in rel.cols:
        return rel.where("coalesce(CAST(labelled AS BOOLEAN), FALSE)")
    return rel


def _present_levels(d: ReportData, rel: Rel) -> set[str]:
    if "level" not in rel.cols:
        return set()
    return {str(r[0]) for r in d.rows(f"SELECT DISTINCT level FROM {rel.sql} WHERE level IS NOT NULL")}


def _doc_level(d: ReportData, rel: Rel) -> str:
    """SQL of (doc_id, c, v) rows: document x code scores, the document-level records when present (max score),
    else the finest-grained level's ``raw`` summed."""
    code = rel.col("code", "theme", "label") or "code"
    levels = _present_levels(d, rel)
    if "document" in levels:
        score = rel.col("score", "raw", "weight")
        val = f"TRY_CAST({_q(score)} AS DOUBLE)" if score else "1.0"
        return (
            f"SELECT doc_id, {_q(code)} AS c, max({val}) AS v FROM {rel.sql} "
            f"WHERE level = 'document' AND {_q(code)} IS NOT NULL GROUP BY ALL"
        )
    finest = next((lv for lv in ("sentence", "paragraph", "section") if lv in levels), None)
    where = f"level = '{finest}' AND " if finest else ""
    val_col = rel.col("raw", "score")
    val = f"TRY_CAST({_q(val_col)} AS DOUBLE)" if val_col else "1.0"
    return (
        f"SELECT doc_id, {_q(code)} AS c, coalesce(sum({val}), 0) AS v FROM {rel.sql} "
        f"WHERE {where}{_q(code)} IS NOT NULL GROUP BY ALL"
    )


@dataclass(frozen=True)
class DocMatrix:
    """A document x column matrix that stays in DuckDB: ``long`` is SQL of (doc_id, c, v) rows."""

    long: str
    columns: list[Any]  # the matrix columns, sorted (bounded: codes, topics)

    def docs(self, d: ReportData, ids: Sequence[str]) -> pd.DataFrame:
        """The rows of ``ids`` (in that order), zeros where a document has no value for a column."""
        if not ids:
            return pd.DataFrame(columns=self.columns)
        long = d.df(f"SELECT doc_id, c, v FROM ({self.long}) WHERE doc_id IN (SELECT unnest(?))", [list(ids)])
        wide = long.pivot_table(index="doc_id", columns="c", values="v", aggfunc="sum")
        return wide.reindex(index=list(ids), columns=self.columns).fillna(0.0)

    def by_year(self, d: ReportData) -> pd.DataFrame | None:
        """Mean of each column per document year over the matrix's documents (None when none has a year)."""
        years = f"SELECT DISTINCT m.doc_id, z.year FROM ({self.long}) m JOIN _zc_docs z USING (doc_id) WHERE z.year IS NOT NULL"
        n = d.df(f"SELECT year, count(*) AS n FROM ({years}) GROUP BY year")
        if not len(n):
            return None
        sums = d.df(
            f"SELECT y.year, m.c, sum(m.v) AS v FROM ({self.long}) m JOIN ({years}) y USING (doc_id) "
            "WHERE m.c IN (SELECT unnest(?)) GROUP BY ALL",
            [list(self.columns)],
        )
        wide = sums.pivot_table(index="year", columns="c", values="v", aggfunc="sum") if len(sums) else None
        n = n.set_index("year")["n"].sort_index()
        out = pd.DataFrame(index=n.index, columns=self.columns, dtype=float)
        for c in self.columns:
            col = wide[c] if wide is not None and c in wide.columns else pd.Series(dtype=float)
            out[c] = col.reindex(n.index).fillna(0.0) / n
        out.index = out.index.astype(int)
        out.index.name = "_year"
        return out


def _theme_matrix(d: ReportData, rel: Rel) -> DocMatrix:
    long = _doc_level(d, rel)
    cols = [
        r[0] for r in d.rows(f"SELECT c FROM ({long}) GROUP BY c HAVING sum(coalesce(v, 0)) > 0 ORDER BY c")
    ]
    return DocMatrix(f"SELECT * FROM ({long}) WHERE c IN ({_in_list(cols)})" if cols else long, cols)


def _in_list(values: Sequence[Any]) -> str:
    """A SQL IN list of literals (bounded lists: codes, topics)."""
    out = []
    for v in values:
        if isinstance(v, str):
            out.append("'" + v.replace("'", "''") + "'")
        else:
            out.append(repr(v.item() if hasattr(v, "item") else v))
    return ", ".join(out) or "NULL"


def section_themes(ctx: Ctx) -> str:
    d = ctx.data
    themes, _ = _split_themes(d)
    if themes is None:
        return _no_data("themes 表不存在或为空 / the themes stage has not run")
    matrix = _theme_matrix(d, themes)
    parts = []
    n_rows = d.scalar(f"SELECT count(DISTINCT doc_id) FROM ({matrix.long})") if matrix.columns else 0
    if matrix.columns and n_rows:
        top_ids = [
            str(r[0])
            for r in d.rows(
                f"SELECT doc_id FROM ({matrix.long}) GROUP BY doc_id "
                f"ORDER BY sum(coalesce(v, 0)) DESC, doc_id LIMIT {MAX_HEATMAP_DOCS}"
            )
        ]
        d.labels.prefetch(top_ids)
        shown = matrix.docs(d, top_ids).rename(index=lambda x: d.labels.get(str(x), str(x)))
        parts.append(
            _heatmap(
                ctx.figs,
                "theme_heatmap",
                shown,
                title="文档 × 主题 Document × theme (score per 1,000 chars)",
                zlabel="score",
            )
        )
        per_year = matrix.by_year(d)
        if per_year is not None and len(per_year):
            chart = _lines if len(per_year) > 3 else _bars
            kwargs = {} if chart is _lines else {"stacked": False}
            parts.append(
                chart(
                    ctx.figs,
                    "theme_by_year",
                    per_year,
                    title="主题随年份变化 Themes by year (mean score)",
                    xlabel="年份 year",
                    ylabel="平均得分 mean score",
                    **kwargs,
                )
            )
        else:
            parts.append('<p class="zc-note">文档没有年份信息，无法按年份展示 / no document years.</p>')
    else:
        parts.append(_no_data("没有主题得分 / no theme scores"))
    parts.append("<h3>按文档展开：章节与证据句 Drill-down: sections and evidence</h3>")
    parts.append(_theme_drilldown(ctx, themes))
    return "".join(parts)


def _theme_drilldown(ctx: Ctx, themes: Rel) -> str:
    """Per document (the first :data:`MAX_DOC_ROWS`): the labelled sections (finest level above sentences present)
    with codes and evidence. Rows are streamed one document at a time, in stored order."""
    d = ctx.data
    code_col = themes.col("code", "theme", "label") or "code"
    score_col = themes.col("score", "raw")
    sec_col = themes.col("section", "heading")
    present = _present_levels(d, themes)
    unit_level = next((lv for lv in ("section", "paragraph", "sentence") if lv in present), None)
    n_docs = int(d.scalar(f"SELECT count(DISTINCT doc_id) FROM {themes.sql}") or 0)
    doc_ids = [
        str(r[0])
        for r in d.rows(f"SELECT DISTINCT doc_id FROM {themes.sql} ORDER BY doc_id LIMIT {MAX_DOC_ROWS}")
    ]
    if not doc_ids:
        return _no_data("no theme records")
    d.titles.prefetch(doc_ids)
    level = "level" if "level" in themes.cols else "NULL"
    keep = [f"{level} AS level", f"{_q(code_col)} AS code"]
    keep.append(f"{_q(score_col)} AS score" if score_col else "NULL AS score")
    keep.append(f"{_q(sec_col)} AS section" if sec_col else "NULL AS section")
    keep.append("evidence" if "evidence" in themes.cols else "NULL AS evidence")
    sql = (
        f"SELECT doc_id, {', '.join(keep)} FROM {_labelled(themes).sql} "
        f"WHERE doc_id IN (SELECT unnest(?)) ORDER BY doc_id, _rid"
    )
    by_doc = _DocGroups(d.stream(sql, [doc_ids]))
    out = [_cap_note(n_docs, MAX_DOC_ROWS)]
    for doc_id in doc_ids:
        records = by_doc.take(doc_id)
        doc_codes = [str(r["code"]) for r in records if r.get("level") == "document"]
        units = [r for r in records if unit_level is None or r.get("level") == unit_level]
        sections: dict[str, list[dict[str, Any]]] = {}
        for r in units:
            key = r.get("section") if sec_col else ""
            key = "" if key is None or (isinstance(key, float) and math.isnan(key)) else str(key)
            sections.setdefault(key, []).append(r)
        items = []
        for section, srows in list(sections.items())[:MAX_DRILL_SECTIONS]:
            if score_col:
                srows = sorted(srows, key=lambda r: -(_num(r.get("score")) or 0.0))
            codes = []
            for r in srows[:MAX_DRILL_CODES]:
                ev = _as_list(r.get("evidence"))[:MAX_DRILL_EVIDENCE]
                ev_html = "".join(f"<li>{esc(s)}</li>" for s in ev)
                score = f' <span class="zc-score">{esc(_fmt_num(r.get("score")))}</span>' if score_col else ""
                codes.append(
                    f'<li><span class="zc-code">{esc(r.get("code"))}</span>{score}'
                    + (f'<ul class="zc-ev">{ev_html}</ul>' if ev_html else "")
                    + "</li>"
                )
            out_sec = esc(section) if section else "（无章节 / no section）"
            items.append(f"<li><b>{out_sec}</b><ul>{''.join(codes)}</ul></li>")
        body = (
            f'<ul class="zc-sections">{"".join(items)}</ul>'
            if items
            else _no_data("该文档没有标注主题 / no labelled units")
        )
        out.append(
            f'<details class="zc-doc"><summary>{esc(d.titles.get(doc_id, doc_id))}'
            f'<span class="zc-muted"> {esc(", ".join(dict.fromkeys(doc_codes)))}</span></summary>{body}</details>'
        )
    return "".join(out)


class _DocGroups:
    """Rows sorted by ``doc_id``, handed out one document at a time (``take`` must be called in doc_id order)."""

    def __init__(self, rows: Iterator[dict[str, Any]]) -> None:
        self.rows = rows
        self.head: dict[str, Any] | None = next(rows, None)

    def take(self, doc_id: str) -> list[dict[str, Any]]:
        out = []
        while self.head is not None and str(self.head["doc_id"]) < doc_id:
            self.head = next(self.rows, None)
        while self.head is not None and str(self.head["doc_id"]) == doc_id:
            out.append(self.head)
            self.head = next(self.rows, None)
        return out


def _crosstab(long: pd.DataFrame, *, margins: str | None = None) -> pd.DataFrame:
    """pd.crosstab from aggregated (r, c, n) counts: sorted axes, zeros filled, optional margins row/column."""
    ct = _long_to_frame(long, "r", "c", "n")
    if margins and len(ct):
        ct[margins] = ct.sum(axis=1)
        ct.loc[margins] = ct.sum(axis=0)
    return ct


def section_instruments(ctx: Ctx) -> str:
    d = ctx.data
    themes, instr = _split_themes(d)
    if instr is None:
        return _no_data("没有政策工具编码 / no policy-instrument records (scheme 'instruments')")
    code_col = instr.col("code", "instrument") or "code"
    group_col = instr.col("group", "parent", "category")
    units = instr
    levels = _present_levels(d, instr)
    for level in ("sentence", "paragraph", "section", "document"):
        if level in levels:
            units = instr.where(f"level = '{level}'")
            break
    units = _labelled(units)
    if not d.count(units):
        return _no_data("没有被标注的政策工具 / no labelled instrument units")
    unit_name = (
        str(d.scalar(f"SELECT level FROM {units.sql} ORDER BY _rid LIMIT 1"))
        if "level" in instr.cols
        else "unit"
    )
    code = _str(_q(code_col))
    parts = []
    # 1. instrument type (group) x code
    if group_col:
        long = d.df(
            f"SELECT {code} AS r, coalesce(CAST({_q(group_col)} AS VARCHAR), '—') AS c, count(*) AS n "
            f"FROM {units.sql} GROUP BY ALL"
        )
        ct = _crosstab(long, margins="合计 total")
        parts.append(f"<h3>工具类型 × 工具 Instrument group × code (number of {esc(unit_name)}s)</h3>")
        parts.append(_crosstab_table(ct, "tbl-instr-group"))
    # 2. document x instrument group (or code): the first MAX_DOC_BARS documents
    by = group_col or code_col
    first_docs = f"SELECT DISTINCT doc_id FROM {units.sql} ORDER BY doc_id LIMIT {MAX_DOC_BARS}"
    long = d.df(
        f"SELECT doc_id AS r, coalesce(CAST({_q(by)} AS VARCHAR), '—') AS c, count(*) AS n FROM {units.sql} "
        f"WHERE doc_id IN ({first_docs}) GROUP BY ALL"
    )
    doc_ct = _crosstab(long)
    d.labels.prefetch(doc_ct.index)
    shown = doc_ct.rename(index=lambda x: d.labels.get(x, x))
    n_unit_docs = int(d.scalar(f"SELECT count(DISTINCT doc_id) FROM {units.sql}") or 0)
    parts.append(_cap_note(n_unit_docs, MAX_DOC_BARS))
    parts.append(
        _bars(
            ctx.figs,
            "instr_by_doc",
            shown,
            title="各文档的政策工具 Instruments per document",
            xlabel="文档 document",
            ylabel=f"{unit_name} 数",
            height=420,
        )
    )
    parts.append("<h3>文档 × 工具 Document × instrument</h3>")
    parts.append(_cap_note(n_unit_docs, MAX_DOC_ROWS))
    parts.append(_crosstab_table(_doc_code_table(d, units, code), "tbl-instr-doc"))
    # 3. instrument x theme in the same paragraph
    if themes is not None and "paragraph" in instr.cols and "paragraph" in themes.cols:
        tcode = themes.col("code", "theme") or "code"
        t_units = _labelled(themes)
        if "level" in t_units.cols:
            t_units = t_units.where("level IN ('sentence', 'paragraph')")
        long = d.df(
            f"WITH l AS (SELECT DISTINCT doc_id, paragraph, {_q(code_col)} AS a FROM {units.sql} "
            f"  WHERE doc_id IS NOT NULL AND paragraph IS NOT NULL AND {_q(code_col)} IS NOT NULL), "
            f"t AS (SELECT DISTINCT doc_id, paragraph, {_q(tcode)} AS b FROM {t_units.sql} "
            f"  WHERE doc_id IS NOT NULL AND paragraph IS NOT NULL AND {_q(tcode)} IS NOT NULL) "
            "SELECT CAST(a AS VARCHAR) AS r, CAST(b AS VARCHAR) AS c, count(*) AS n "
            "FROM l JOIN t USING (doc_id, paragraph) GROUP BY ALL"
        )
        if len(long):
            m = _crosstab(long)
            parts.append(
                _heatmap(
                    ctx.figs,
                    "instr_theme",
                    m,
                    title="政策工具 × 主题（同段落共现）Instrument × theme (same paragraph)",
                    colorscale="Blues",
                    zlabel="paragraphs",
                )
            )
    return "".join(parts)


def _doc_code_table(d: ReportData, units: Rel, code: str) -> pd.DataFrame:
    """Document label x code counts for the first MAX_DOC_ROWS labels, with totals over ALL documents."""
    labelled = f"SELECT z.label AS r, {code} AS c FROM {units.sql} u JOIN _zc_docs z USING (doc_id)"
    first = f"SELECT DISTINCT r FROM ({labelled}) ORDER BY r LIMIT {MAX_DOC_ROWS}"
    long = d.df(f"SELECT r, c, count(*) AS n FROM ({labelled}) WHERE r IN ({first}) GROUP BY ALL")
    if not len(long):
        return pd.DataFrame()
    totals = d.df(f"SELECT c, count(*) AS n FROM ({labelled}) GROUP BY c ORDER BY c").set_index("c")["n"]
    ct = _long_to_frame(long, "r", "c", "n").reindex(columns=list(totals.index), fill_value=0)
    ct["合计 total"] = ct.sum(axis=1)
    ct.loc["合计 total"] = list(totals.to_numpy()) + [int(totals.sum())]
    return ct


def _crosstab_table(ct: pd.DataFrame, table_id: str) -> str:
    headers = [""] + [esc(c) for c in ct.columns]
    rows = [[esc(idx)] + [esc(_fmt_num(v)) for v in row] for idx, row in zip(ct.index, ct.to_numpy())]
    return _table(headers, rows, table_id=table_id, numeric=tuple(range(1, len(headers))))


def _topic_frame(d: ReportData) -> tuple[Rel | None, str, str | None]:
    """(doc-topic rows, topic column, share column) from a ``topics`` table with doc shares."""
    topics = d.nonempty("topics")
    if topics is None:
        return None, "topic", None
    tcol = topics.col("topic", "topic_id", "k") or "topic"
    scol = topics.col("share", "weight", "prob", "probability", "score")
    return topics, tcol, scol


def _topic_names(d: ReportData, topics: Rel | None, tcol: str) -> dict[str, tuple[str, list[str]]]:
    """topic -> (display label, top terms) from ``topic_terms`` or the label/terms columns of ``topics``."""
    names: dict[str, tuple[str, list[str]]] = {}
    terms_tab = d.nonempty("topic_terms")
    if terms_tab is not None:
        tc = terms_tab.col("topic", "topic_id") or "topic"
        term_c = terms_tab.col("term", "word", "token")
        wc = terms_tab.col("weight", "prob", "score")
        if term_c:
            order = f"{_q(wc)} DESC NULLS LAST, _rid" if wc else "_rid"
            rows = d.rows(
                f"SELECT {_q(tc)}, {_q(term_c)} FROM {terms_tab.sql} WHERE {_q(tc)} IS NOT NULL "
                f"QUALIFY row_number() OVER (PARTITION BY {_q(tc)} ORDER BY {order}) <= 15 "
                f"ORDER BY {_q(tc)}, {order}"
            )
            for t, term in rows:
                names.setdefault(str(t), ("", []))[1].append(str(term))
    if topics is not None:
        lc = topics.col("label", "name")
        tt = topics.col("terms", "top_terms", "words")
        label = f"arg_min({_q(lc)}, _rid) FILTER (WHERE {_q(lc)} IS NOT NULL)" if lc else "NULL"
        terms = f"arg_min({_q(tt)}, _rid) FILTER (WHERE {_q(tt)} IS NOT NULL)" if tt else "NULL"
        for t, lab, first in d.rows(
            f"SELECT {_q(tcol)}, {label}, {terms} FROM {topics.sql} WHERE {_q(tcol)} IS NOT NULL "
            f"GROUP BY 1 ORDER BY 1"
        ):
            shown_terms = names.get(str(t), ("", []))[1]
            if not shown_terms and tt:
                shown_terms = _as_list(first) if first is not None else []
            names[str(t)] = (str(lab) if lab is not None else "", shown_terms)
    out = {}
    for t, (label, terms) in names.items():
        shown = label or "·".join(terms[:3]) or f"topic {t}"
        out[t] = (f"T{t} {shown}", terms)
    return out


def _coherence(d: ReportData) -> pd.DataFrame | None:
    """K -> coherence columns, from a topic_coherence / topic_sweep table or a meta JSON entry."""
    for name in ("topic_coherence", "topic_sweep"):
        rel = d.nonempty(name)
        if rel is not None:
            kc = rel.col("k", "K", "num_topics")
            cols = [c for c in ("c_v", "c_npmi", "coherence", "u_mass") if c in rel.cols]
            if kc and cols:
                sel = ", ".join(_q(c) for c in [kc, *cols])
                df = d.df(f"SELECT {sel} FROM {rel.sql} ORDER BY _rid LIMIT 100000")  # one row per K
                return df.groupby(kc)[cols].mean().sort_index()
    for key in ("topic_sweep", "topics.sweep", "topics_sweep", "sweep"):
        raw = d.meta.get(key)
        if not raw:
            continue
        try:
            obj = json.loads(raw)
            ks = obj["ks"]
            cols = {c: obj[c] for c in ("c_v", "c_npmi") if c in obj and len(obj[c]) == len(ks)}
            if cols:
                return pd.DataFrame(cols, index=ks).sort_index()
        except (ValueError, KeyError, TypeError):
            continue
    return None


def section_topics(ctx: Ctx) -> str:
    d = ctx.data
    topics, tcol, scol = _topic_frame(d)
    names = _topic_names(d, topics, tcol)
    coh = _coherence(d)
    if topics is None and not names and coh is None:
        return _no_data("topics 表不存在或为空 / the topic stage has not run")
    parts = []
    if names:
        rows = [
            [esc(t), esc(label.split(" ", 1)[-1]), esc("、".join(terms[:12]))]
            for t, (label, terms) in names.items()
        ]
        parts.append("<h3>主题关键词 Top terms per topic</h3>")
        parts.append(
            _table(
                ["主题 topic", "标签 label", "高频词 top terms"], rows, table_id="tbl-topics", numeric=(0,)
            )
        )
    if topics is not None and scol and "doc_id" in topics.cols:
        long = (
            f"SELECT doc_id, {_q(tcol)} AS c, sum({_q(scol)}) AS v FROM {topics.sql} "
            f"WHERE {_q(tcol)} IS NOT NULL AND {_q(scol)} IS NOT NULL GROUP BY ALL"
        )
        cols = [r[0] for r in d.rows(f"SELECT DISTINCT c FROM ({long}) ORDER BY c")]
        matrix = DocMatrix(long, cols)
        ids = [
            str(r[0])
            for r in d.rows(f"SELECT DISTINCT doc_id FROM ({long}) ORDER BY doc_id LIMIT {MAX_HEATMAP_DOCS}")
        ]
        d.labels.prefetch(ids)
        shown = matrix.docs(d, ids)
        shown.columns = [names.get(str(c), (f"T{c}", []))[0] for c in shown.columns]
        shown = shown.rename(index=lambda x: d.labels.get(str(x), str(x)))
        parts.append(
            _heatmap(
                ctx.figs,
                "topic_heatmap",
                shown,
                title="文档 × 主题 Document × topic (share)",
                colorscale="Purples",
                zlabel="share",
            )
        )
        per_year = matrix.by_year(d)
        if per_year is not None and len(per_year):
            per_year.columns = [names.get(str(c), (f"T{c}", []))[0] for c in per_year.columns]
            parts.append(
                _bars(
                    ctx.figs,
                    "topic_by_year",
                    per_year,
                    title="主题随年份变化 Topics by year (mean share)",
                    xlabel="年份 year",
                    ylabel="平均占比 mean share",
                )
            )
    elif topics is not None:
        parts.append(_no_data("topics 表没有文档占比列 / no doc-topic share column"))
    if coh is not None and len(coh):
        parts.append(
            _lines(
                ctx.figs,
                "topic_coherence",
                coh,
                title="一致性曲线 Coherence by number of topics K",
                xlabel="主题数 K",
                ylabel="coherence",
                height=340,
            )
        )
    else:
        parts.append(
            '<p class="zc-note">一致性曲线：暂无数据 / coherence curve: no data '
            "(table topic_coherence with k, c_v, c_npmi, or meta key topic_sweep).</p>"
        )
    return "".join(parts)


def section_keywords(ctx: Ctx) -> str:
    d = ctx.data
    kw = d.nonempty("keywords")
    if kw is None or "doc_id" not in kw.cols:
        return _no_data("keywords 表不存在或为空 / the keyword stage has not run")
    term = kw.col("term", "keyword", "word", "token") or kw.cols[-1]
    score = kw.col("score", "weight", "tfidf", "tf_idf", "value", "freq", "count")
    s = f"coalesce(TRY_CAST({_q(score)} AS DOUBLE), 0.0)" if score else "1.0"
    scored = f"SELECT doc_id, {_q(term)} AS t, {s} AS s, _rid FROM {kw.sql}"
    # corpus weights: each document's scores scaled to its maximum, summed (no long document dominates)
    corpus_df = d.df(
        f"WITH k AS (SELECT *, max(s) OVER (PARTITION BY doc_id) AS mx FROM ({scored})) "
        "SELECT t, sum(s / CASE WHEN mx = 0 THEN 1.0 ELSE mx END) AS w FROM k WHERE t IS NOT NULL "
        "GROUP BY t ORDER BY w DESC, t LIMIT 80"
    )
    corpus = pd.Series(corpus_df["w"].to_numpy(), index=corpus_df["t"].tolist())
    parts = ["<h3>词云 Word cloud（字号按权重 / font size by weight）</h3>", _tag_cloud(corpus.head(80))]
    top = corpus.head(20)
    parts.append(
        _bars(
            ctx.figs,
            "keywords_top",
            pd.DataFrame({"权重 weight": top.to_numpy()}, index=top.index),
            title="语料高权重关键词 Top corpus keywords",
            xlabel="权重 weight",
            ylabel="",
            horizontal=True,
            height=460,
        )
    )
    rank = kw.col("rank")
    order = "_rank NULLS LAST, _rid" if rank else "_s DESC, _rid"
    n_docs = int(d.scalar(f"SELECT count(DISTINCT doc_id) FROM {kw.sql}") or 0)
    first = f"SELECT DISTINCT doc_id FROM {kw.sql} ORDER BY doc_id LIMIT {MAX_DOC_ROWS}"
    ranked = f"SELECT *, {_q(rank) if rank else 'NULL'} AS _rank, {s} AS _s FROM {kw.sql}"
    chips_rows = d.rows(
        f"SELECT doc_id, {_q(term)} AS t, _s FROM ({ranked}) WHERE doc_id IN ({first}) "
        f"QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY {order}) <= 15 ORDER BY doc_id, {order}"
    )
    per_doc: dict[str, list[tuple[Any, Any]]] = {}
    for doc_id, t, sc in chips_rows:
        per_doc.setdefault(str(doc_id), []).append((t, sc))
    d.labels.prefetch(per_doc)
    d.titles.prefetch(per_doc)
    rows = []
    for doc_id, items in per_doc.items():
        chips = " ".join(
            f'<span class="zc-chip" title="{esc(_fmt_num(sc))}">{esc(t)}</span>' for t, sc in items
        )
        rows.append([_doc_cell(ctx, doc_id), chips])
    parts.append("<h3>各文档关键词 Keywords per document</h3>")
    parts.append(_cap_note(n_docs, MAX_DOC_ROWS))
    parts.append(_table(["文档 document", "关键词 keywords"], rows, table_id="tbl-keywords", sortable=False))
    return "".join(parts)


_CLOUD_COLORS = ("#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#17becf", "#8c564b", "#e377c2")


def _tag_cloud(weights: pd.Series) -> str:
    """An HTML tag cloud: font size by weight, stable shuffled order; needs no font file on the build machine."""
    if not len(weights):
        return _no_data("no keywords")
    lo, hi = float(weights.min()), float(weights.max())
    items = []
    for t, w in weights.items():
        frac = 0.0 if hi == lo else (math.sqrt(float(w)) - math.sqrt(lo)) / (math.sqrt(hi) - math.sqrt(lo))
        size = 13 + frac * 35
        h = zlib.crc32(str(t).encode("utf-8"))
        color = _CLOUD_COLORS[h % len(_CLOUD_COLORS)]
        tag = (
            f'<span class="zc-tag" style="font-size:{size:.0f}px;color:{color}" title="{esc(_fmt_num(w))}">'
            f"{esc(t)}</span>"
        )
        items.append((h, tag))
    return '<div class="zc-cloud">' + " ".join(s for _, s in sorted(items)) + "</div>"


def _order_by(rel: Rel, keys: Sequence[str]) -> str:
    """ORDER BY the given columns that exist (NULLs last, as pandas sorts), then stored order."""
    present = [f"{_q(k)} NULLS LAST" for k in keys if k in rel.cols]
    return ", ".join([*present, "_rid"])


def section_facts(ctx: Ctx) -> str:
    d = ctx.data
    facts = d.nonempty("facts")
    if facts is None:
        return _no_data("facts 表不存在或为空 / the fact extraction stage has not run")
    n_all = d.count(facts)
    page = d.df(
        f"SELECT * EXCLUDE (_rid) FROM {facts.sql} "
        f"ORDER BY {_order_by(facts, ('doc_id', 'paragraph', 'char_start'))} LIMIT {MAX_FACT_ROWS}"
    )
    if "doc_id" in page.columns:
        d.labels.prefetch(page["doc_id"].astype(str))
        d.titles.prefetch(page["doc_id"].astype(str))
    rows = []
    for r in page.to_dict("records"):
        val, vmax = _num(r.get("value")), _num(r.get("value_max"))
        sort_key = _num(r.get("scaled_value"))
        sort_key = sort_key if sort_key is not None else val
        shown = ("≈" if r.get("approx") is True else "") + _fmt_num(val)
        if vmax is not None and vmax != val:
            shown += f"–{_fmt_num(vmax)}"
        unit = r.get("unit") or ""
        year = _fmt_num(r.get("year")).replace(",", "")
        rows.append(
            [
                _doc_cell(ctx, r.get("doc_id")),
                esc(r.get("indicator")),
                esc(r.get("number")),
                f'<span data-v="{esc(sort_key if sort_key is not None else "")}">{esc(shown)} {esc(unit)}</span>',
                esc(r.get("kind")),
                esc(year),
                esc(r.get("region")),
                esc(r.get("comparison")),
                f'<span class="zc-sec">{esc(_truncate(str(r.get("section") or ""), 40))}</span>',
                f'<span class="zc-sent">{esc(_truncate(str(r.get("sentence") or ""), 80))}</span> '
                + ctx.sents.link(r.get("doc_id"), r.get("sentence"), r.get("section")),
            ]
        )
    note = _cap_note(n_all, MAX_FACT_ROWS)
    search = (
        f'<div class="zc-filterbar"><input type="search" class="zc-filter" id="fact-filter" data-table="tbl-facts" '
        f'placeholder="筛选 filter: 输入关键词 (指标、地区、年份…)"> <span class="zc-count" data-for="tbl-facts">'
        f"{len(rows)} / {len(rows)}</span></div>"
    )
    table = _table(
        [
            "文档 document",
            "指标 indicator",
            "原文 number",
            "数值 value",
            "类型 kind",
            "年份 year",
            "地区 region",
            "比较 comparison",
            "章节 section",
            "句子 sentence",
        ],
        rows,
        table_id="tbl-facts",
        numeric=(3, 5),
    )
    return note + search + table


MAX_NAME_ROWS = 2000  # rows of the rule / measure tables in the page


@dataclass
class Mentions:
    """Per canonical name (sorted by citing documents, then mentions, then first appearance), computed in SQL.

    ``top`` holds the first ``limit`` names: name, kind, docs, mentions, doc_ids (first 7, in order of
    appearance), example (the name's first record as a dict); ``n_names`` counts all names; ``grouped`` is the
    SQL of the full aggregate (one row per name, column ``_c`` and ``_first``) for further queries.
    """

    top: pd.DataFrame
    n_names: int
    named: str  # SQL: the rows with _c (name) and _m (mentions)
    grouped: str


def _aggregate_mentions(d: ReportData, rel: Rel, *, limit: int | None = None) -> Mentions:
    canon = rel.col("canonical", "surface", "name") or "canonical"
    m = "coalesce(TRY_CAST(mentions AS DOUBLE), 1)" if "mentions" in rel.cols else "1"
    named = f"SELECT *, {_str(_q(canon))} AS _c, {m} AS _m FROM {rel.sql}"
    kind = "arg_min(kind, _rid) FILTER (WHERE kind IS NOT NULL)" if "kind" in rel.cols else "''"
    grouped = (
        f"SELECT _c, {kind} AS kind, count(DISTINCT doc_id) AS docs, sum(_m) AS mentions, min(_rid) AS _first "
        f"FROM ({named}) GROUP BY _c"
    )
    n_names = int(d.scalar(f"SELECT count(*) FROM ({grouped})") or 0)
    top = d.df(
        f"SELECT * FROM ({grouped}) ORDER BY docs DESC, mentions DESC, _first LIMIT {limit or MAX_NAME_ROWS}"
    )
    examples = (
        d.df(
            f"SELECT * EXCLUDE (_m) FROM ({named}) WHERE _rid IN (SELECT unnest(?))", [top["_first"].tolist()]
        )
        if len(top)
        else pd.DataFrame()
    )
    by_rid = {int(r["_rid"]): r for r in examples.to_dict("records")}
    ids = (
        d.rows(
            f"WITH f AS (SELECT _c, doc_id, min(_rid) AS r FROM ({named}) WHERE _c IN (SELECT unnest(?)) GROUP BY ALL) "
            "SELECT _c, doc_id FROM f QUALIFY row_number() OVER (PARTITION BY _c ORDER BY r) <= 7 ORDER BY _c, r",
            [top["_c"].tolist()],
        )
        if len(top)
        else []
    )
    doc_ids: dict[str, list[str]] = defaultdict(list)
    for c, doc_id in ids:
        doc_ids[c].append(str(doc_id))
    top["doc_ids"] = [doc_ids.get(c, []) for c in top["_c"]]
    top["example"] = [by_rid.get(int(r), {}) for r in top["_first"]]
    return Mentions(top.set_index("_c"), n_names, named, grouped)


def _docs_cell(ctx: Ctx, doc_ids: list[str]) -> str:
    return " ".join(_doc_cell(ctx, x) for x in doc_ids[:6]) + (" …" if len(doc_ids) > 6 else "")


def _cap_note(n_all: int, cap: int) -> str:
    if n_all <= cap:
        return ""
    return (
        f'<p class="zc-note">显示前 {cap} 条，共 {n_all} 条；完整数据见 zhcorpus.xlsx / '
        f"first {cap} of {n_all} rows; all rows are in the workbook.</p>"
    )


def _top_mentions(d: ReportData, rel: Rel, *, per_row: int = 6) -> Mentions:
    """The mentions table aggregated by canonical name, with the labels and titles of the documents its top rows
    show looked up in one query each."""
    agg = _aggregate_mentions(d, rel)
    shown = [x for ids in agg.top["doc_ids"] for x in ids[:per_row]]
    d.labels.prefetch(shown)
    d.titles.prefetch(shown)
    return agg


def section_rules(ctx: Ctx) -> str:
    d = ctx.data
    rules = d.nonempty("rules")
    if rules is None:
        return _no_data("rules 表不存在或为空 / the rule-reference stage has not run")
    agg = _top_mentions(d, rules)
    rows = []
    for name, r in agg.top.iterrows():
        f = r["example"]
        rows.append(
            [
                esc(name),
                esc(r["kind"]),
                esc(f.get("level")),
                esc(f.get("doc_number")),
                str(int(r["docs"])),
                _fmt_num(r["mentions"]),
                _docs_cell(ctx, r["doc_ids"]),
                ctx.sents.link(f.get("doc_id"), f.get("sentence"), f.get("section")),
            ]
        )
    parts = [_rule_network(ctx, agg), _cap_note(agg.n_names, MAX_NAME_ROWS)]
    parts.append(
        '<div class="zc-filterbar"><input type="search" class="zc-filter" data-table="tbl-rules" '
        'placeholder="筛选 filter"> <span class="zc-count" data-for="tbl-rules"></span></div>'
    )
    parts.append(
        _table(
            [
                "规则 rule",
                "类型 kind",
                "层级 level",
                "文号 number",
                "文档数 docs",
                "提及 mentions",
                "引用文档 cited by",
                "例句 example",
            ],
            rows,
            table_id="tbl-rules",
            numeric=(4, 5),
        )
    )
    return "".join(parts)


def _rule_network(ctx: Ctx, agg: Mentions) -> str:
    """A bipartite network: documents on the left, rules on the right, a line per citing pair.

    At most :data:`MAX_NETWORK_DOCS` documents: those citing the most of the top rules."""
    d = ctx.data
    top_rules = [str(x) for x in agg.top.index[:MAX_RULES]]
    if not top_rules:
        return ""
    pairs = f"SELECT doc_id AS _d, _c FROM ({agg.named}) WHERE _c IN (SELECT unnest(?))"
    n_docs = int(d.scalar(f"SELECT count(DISTINCT _d) FROM ({pairs})", [top_rules]) or 0)
    keep = (
        f"SELECT p._d FROM ({pairs}) p JOIN _zc_docs z ON z.doc_id = p._d GROUP BY p._d, z.label "
        f"ORDER BY count(DISTINCT p._c) DESC, z.label, p._d LIMIT {MAX_NETWORK_DOCS}"
    )
    edges = (
        d.df(
            f"SELECT _d, _c, count(*) AS n FROM ({pairs}) WHERE _d IN ({keep}) GROUP BY ALL ORDER BY _d, _c",
            [top_rules, top_rules],
        )
        if n_docs > MAX_NETWORK_DOCS
        else d.df(f"SELECT _d, _c, count(*) AS n FROM ({pairs}) GROUP BY ALL ORDER BY _d, _c", [top_rules])
    )
    if not len(edges):
        return ""
    d.labels.prefetch(edges["_d"])
    d.titles.prefetch(edges["_d"])
    docs = sorted(edges["_d"].unique(), key=lambda x: d.labels.get(x, x))
    ydoc = {x: i / max(1, len(docs) - 1) for i, x in enumerate(docs)}
    yrule = {x: i / max(1, len(top_rules) - 1) for i, x in enumerate(top_rules)}
    ex: list[Any] = []
    ey: list[Any] = []
    for doc_id, rule in zip(edges["_d"], edges["_c"]):
        ex += [0, 1, None]
        ey += [ydoc[doc_id], yrule[rule], None]
    deg = agg.top["docs"].to_dict()
    data = [
        {
            "type": "scatter",
            "mode": "lines",
            "x": ex,
            "y": ey,
            "line": {"width": 0.7, "color": "rgba(120,120,160,0.45)"},
            "hoverinfo": "skip",
            "showlegend": False,
        },
        {
            "type": "scatter",
            "mode": "markers+text",
            "name": "文档 documents",
            "x": [0] * len(docs),
            "y": [ydoc[x] for x in docs],
            "text": [pt(d.labels.get(x, x)) for x in docs],
            "textposition": "middle left",
            "hovertext": [pt(d.titles.get(x, x)) for x in docs],
            "hoverinfo": "text",
            "marker": {"size": 11, "color": "#1f77b4", "symbol": "square"},
        },
        {
            "type": "scatter",
            "mode": "markers+text",
            "name": "规则 rules",
            "x": [1] * len(top_rules),
            "y": [yrule[x] for x in top_rules],
            "text": [pt(_truncate(x, 22)) for x in top_rules],
            "textposition": "middle right",
            "hovertext": [pt(f"{x}（{int(deg.get(x, 0))} 文档）") for x in top_rules],
            "hoverinfo": "text",
            "marker": {"size": [8 + 3 * min(10, int(deg.get(x, 1))) for x in top_rules], "color": "#d62728"},
        },
    ]
    h = max(360, min(1400, 24 * max(len(docs), len(top_rules)) + 100))
    layout = {
        "title": {"text": "文档—规则引用网络 Which documents cite which rules"},
        "xaxis": {"visible": False, "range": [-0.9, 1.9]},
        "yaxis": {"visible": False, "range": [-0.05, 1.05]},
        "legend": {"orientation": "h", "y": -0.05},
        "margin": {"l": 10, "r": 10, "t": 40, "b": 30},
    }
    note = ""
    if n_docs > MAX_NETWORK_DOCS:
        note = (
            f'<p class="zc-note">网络图显示引用最多的 {MAX_NETWORK_DOCS} 篇文档，共 {n_docs} 篇 / the network shows '
            f"the {MAX_NETWORK_DOCS} of {n_docs} documents citing the most of these rules.</p>"
        )
    return note + ctx.figs.add("rule_network", data, layout, height=h)


def section_measures(ctx: Ctx) -> str:
    d = ctx.data
    measures = d.nonempty("measures")
    if measures is None:
        return _no_data("measures 表不存在或为空 / the named-measure stage has not run")
    agg = _top_mentions(d, measures)
    rows = []
    for name, r in agg.top.iterrows():
        f = r["example"]
        rows.append(
            [
                esc(name),
                esc(r["kind"]),
                str(int(r["docs"])),
                _fmt_num(r["mentions"]),
                _docs_cell(ctx, r["doc_ids"]),
                f'<span class="zc-sent">{esc(_truncate(str(f.get("sentence") or ""), 80))}</span> '
                + ctx.sents.link(f.get("doc_id"), f.get("sentence"), f.get("section")),
            ]
        )
    parts = [_cap_note(agg.n_names, MAX_NAME_ROWS)]
    if "kind" in measures.cols:
        labelled = (
            f"SELECT z.label AS r, coalesce(CAST(m.kind AS VARCHAR), '—') AS c "
            f"FROM {measures.sql} m JOIN _zc_docs z USING (doc_id)"
        )
        n_docs = int(d.scalar(f"SELECT count(DISTINCT r) FROM ({labelled})") or 0)
        first = f"SELECT DISTINCT r FROM ({labelled}) ORDER BY r LIMIT {MAX_DOC_BARS}"
        ct = _crosstab(
            d.df(f"SELECT r, c, count(*) AS n FROM ({labelled}) WHERE r IN ({first}) GROUP BY ALL")
        )
        parts.append(_cap_note(n_docs, MAX_DOC_BARS))
        parts.append(
            _bars(
                ctx.figs,
                "measures_by_doc",
                ct,
                title="各文档的政策措施 Named measures per document",
                xlabel="文档 document",
                ylabel="措施数 measures",
                height=380,
            )
        )
    parts.append(
        '<div class="zc-filterbar"><input type="search" class="zc-filter" data-table="tbl-measures" '
        'placeholder="筛选 filter"> <span class="zc-count" data-for="tbl-measures"></span></div>'
    )
    parts.append(
        _table(
            ["措施 measure", "类型 kind", "文档数 docs", "提及 mentions", "文档 documents", "例句 example"],
            rows,
            table_id="tbl-measures",
            numeric=(2, 3),
        )
    )
    return "".join(parts)


def similarity_matrix(
    texts: Iterable[str], *, max_chars: int = 200_000, max_features: int = 30_000
) -> np.ndarray:
    """Cosine similarity of TF-IDF vectors over character bigrams (segmentation-free, cheap for small corpora).

    Same weighting as scikit-learn's ``TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True)``
    restricted to the ``max_features`` bigrams found in most documents, written with numpy alone: importing
    scikit-learn (scipy) costs more than the whole report for a small corpus. ``texts`` may be a stream: only
    each document's bigram counts are kept.
    """
    per_doc: list[tuple[np.ndarray, np.ndarray]] = []
    for text in texts:
        cps = np.frombuffer(str(text)[:max_chars].encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        if len(cps) < 2:
            per_doc.append((np.empty(0, np.uint64), np.empty(0, np.int64)))
            continue
        codes = (cps[:-1] << np.uint64(21)) | cps[1:]
        blank = np.isin(
            cps, np.frombuffer(" \n\t\r\u3000".encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
        )
        codes = codes[~(blank[:-1] | blank[1:])]
        per_doc.append(np.unique(codes, return_counts=True))
    n = len(per_doc)
    if n == 0:
        return np.zeros((0, 0), np.float32)
    vocab, df = np.unique(np.concatenate([u for u, _ in per_doc]), return_counts=True)
    if len(vocab) > max_features:
        keep = np.sort(np.argsort(-df, kind="stable")[:max_features])
        vocab, df = vocab[keep], df[keep]
    x = np.zeros((n, len(vocab)), np.float32)
    for i, (u, c) in enumerate(per_doc):
        if not len(u) or not len(vocab):
            continue
        pos = np.minimum(np.searchsorted(vocab, u), len(vocab) - 1)
        hit = vocab[pos] == u
        x[i, pos[hit]] = 1.0 + np.log(c[hit])
    x *= (np.log((1.0 + n) / (1.0 + df)) + 1.0).astype(np.float32)
    norms = np.linalg.norm(x, axis=1, keepdims=True)
    x /= np.where(norms == 0, 1.0, norms)
    return np.clip(x @ x.T, 0.0, 1.0)


@dataclass
class Similar:
    """Document similarity for the page: at most MAX_HEATMAP_DOCS x MAX_HEATMAP_DOCS ``pairs`` for the heatmap
    (None when more documents are involved) and the top 3 neighbours of the first MAX_DOC_ROWS documents."""

    heat_pairs: pd.DataFrame | None
    nearest: pd.DataFrame  # doc_id, other, score; sorted by doc_id then score descending
    n_docs: int
    source: str


def _similar(d: ReportData) -> Similar | None:
    """From the ``similar`` table, else computed here for the first MAX_SIMILAR_DOCS documents."""
    sim = d.nonempty("similar")
    if sim is not None:
        a = sim.col("doc_id", "doc", "source")
        b = sim.col("other", "other_doc_id", "similar", "similar_doc", "target", "doc_b", "neighbor")
        s = sim.col("score", "similarity", "cosine")
        if a and b and s:
            pairs = (
                f"SELECT CAST({_q(a)} AS VARCHAR) AS doc_id, CAST({_q(b)} AS VARCHAR) AS other, "
                f"TRY_CAST({_q(s)} AS DOUBLE) AS score, _rid FROM {sim.sql}"
            )
            n_docs = int(
                d.scalar(
                    f"SELECT count(*) FROM (SELECT doc_id FROM ({pairs}) UNION SELECT other FROM ({pairs}))"
                )
                or 0
            )
            heat = d.df(f"SELECT doc_id, other, score FROM ({pairs})") if n_docs <= MAX_HEATMAP_DOCS else None
            first = f"SELECT DISTINCT doc_id FROM ({pairs}) ORDER BY doc_id LIMIT {MAX_DOC_ROWS}"
            nearest = d.df(
                f"SELECT doc_id, other, score FROM ({pairs}) WHERE doc_id IN ({first}) "
                "QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY score DESC NULLS LAST, _rid) <= 3 "
                "ORDER BY doc_id, score DESC NULLS LAST, _rid"
            )
            n_listed = int(d.scalar(f"SELECT count(DISTINCT doc_id) FROM ({pairs})") or 0)
            return Similar(heat, nearest, n_listed, "similar 表 / table")
    if d.n_documents < 2:
        return None
    store = d.store
    if store.has_table("texts"):
        src = (
            "SELECT doc_id, text FROM texts WHERE doc_id IN (SELECT doc_id FROM _zc_docs) "
            "QUALIFY row_number() OVER (PARTITION BY doc_id ORDER BY rowid) = 1"
        )
    elif store.has_table("paragraphs"):
        src = (
            "SELECT doc_id, string_agg(text, '\n' ORDER BY idx) AS text FROM paragraphs "
            "WHERE doc_id IN (SELECT doc_id FROM _zc_docs) GROUP BY doc_id"
        )
    else:
        return None
    n_docs = int(d.scalar(f"SELECT count(*) FROM ({src})") or 0)
    if n_docs < 2:
        return None
    max_chars = 200_000
    sql = (
        f"SELECT doc_id, substr(coalesce(text, ''), 1, {max_chars}) AS text FROM ({src}) "
        f"ORDER BY doc_id LIMIT {MAX_SIMILAR_DOCS}"
    )
    ids: list[str] = []

    def texts() -> Iterator[str]:
        for row in d.stream(sql, batch_size=64):
            ids.append(str(row["doc_id"]))
            yield row["text"]

    m = similarity_matrix(texts(), max_chars=max_chars)
    rows = [(ids[i], ids[j], float(m[i, j])) for i in range(len(ids)) for j in range(len(ids)) if i != j]
    pairs = pd.DataFrame(rows, columns=["doc_id", "other", "score"])
    nearest = (
        pairs.sort_values(["doc_id", "score"], ascending=[True, False], kind="stable")
        .groupby("doc_id")
        .head(3)
    )
    source = "本报告计算：字二元组 TF-IDF 余弦 / computed here: char-bigram TF-IDF cosine"
    if n_docs > MAX_SIMILAR_DOCS:
        source += (
            f"（前 {MAX_SIMILAR_DOCS} 篇，共 {n_docs} 篇 / first {MAX_SIMILAR_DOCS} of {n_docs} documents）"
        )
    heat = pairs if len(ids) <= MAX_HEATMAP_DOCS else None
    return Similar(heat, nearest.reset_index(drop=True), len(ids), source)


def section_similar(ctx: Ctx) -> str:
    d = ctx.data
    sim = _similar(d)
    if sim is None or not len(sim.nearest):
        return _no_data("需要至少两篇文档 / needs at least two documents with text")
    parts = [f'<p class="zc-note">来源 source: {esc(sim.source)}</p>']
    if sim.heat_pairs is not None:
        pairs = sim.heat_pairs
        docs = sorted(set(pairs["doc_id"]) | set(pairs["other"]))
        d.labels.prefetch(docs)
        mat = pairs.pivot_table(index="doc_id", columns="other", values="score", aggfunc="max")
        mat = mat.reindex(index=docs, columns=docs)
        for x in docs:
            mat.loc[x, x] = np.nan
        labels = [d.labels.get(x, x) for x in docs]
        mat.index, mat.columns = labels, labels
        parts.append(
            _heatmap(
                ctx.figs,
                "similar_heatmap",
                mat,
                title="文档相似度 Document similarity (cosine)",
                colorscale="Oranges",
                zlabel="cosine",
            )
        )
    d.labels.prefetch(set(sim.nearest["doc_id"]) | set(sim.nearest["other"]))
    d.titles.prefetch(set(sim.nearest["doc_id"]) | set(sim.nearest["other"]))
    rows = []
    for doc_id, g in sim.nearest.groupby("doc_id", sort=True):
        near = "；".join(
            f'{_doc_cell(ctx, o)} <span class="zc-score">{s:.2f}</span>'
            for o, s in zip(g["other"], g["score"])
        )
        rows.append([_doc_cell(ctx, doc_id), near])
    parts.append(_cap_note(sim.n_docs, MAX_DOC_ROWS))
    parts.append(
        _table(
            ["文档 document", "最相似的文档 most similar (cosine)"],
            rows,
            table_id="tbl-similar",
            sortable=False,
        )
    )
    return "".join(parts)


def section_sentences(ctx: Ctx) -> str:
    if not ctx.sents.by_doc:
        return _no_data("没有被引用的句子 / no sentences referenced by the sections above")
    out = ['<p class="zc-note">上文表格中“↗ 原句”链接指向这里 / the “↗ 原句” links above point here.</p>']
    for doc_id in sorted(ctx.sents.by_doc):
        items = "".join(
            f'<li id="{a}"><span class="zc-sec">{esc(sec)}</span> {esc(text)}</li>'
            for a, sec, text in ctx.sents.by_doc[doc_id]
        )
        out.append(
            f'<details class="zc-doc" open><summary>{esc(ctx.data.titles.get(doc_id, doc_id))}</summary>'
            f'<ol class="zc-sentlist">{items}</ol></details>'
        )
    return "".join(out)


# --- page ------------------------------------------------------------------------------------------------------
_ASSETS = Path(__file__).resolve().parent / "report_assets"


def _asset(name: str) -> str:
    return (_ASSETS / name).read_text(encoding="utf-8")


def _plotly_js() -> str:
    from plotly.offline import get_plotlyjs

    js = get_plotlyjs()
    return js.replace(
        "</script", "<\\/script"
    )  # never true for plotly's bundle, but keep the page well-formed


def render_report(store: Store, *, title: str = "zhcorpus 语料分析报告") -> str:
    """The report page as one HTML string."""
    data = report_data(store)
    ctx = Ctx(data, Figures(), Sentences())
    builders = {
        "overview": section_overview,
        "themes": section_themes,
        "instruments": section_instruments,
        "topics": section_topics,
        "keywords": section_keywords,
        "facts": section_facts,
        "rules": section_rules,
        "measures": section_measures,
        "similar": section_similar,
        "sentences": section_sentences,
    }
    bodies = []
    try:
        for sid, zh, en in SECTIONS:
            inner = builders[sid](ctx)  # sentences last: it lists what the others linked
            bodies.append(
                f'<section id="{sid}"><h2>{esc(zh)} <span class="zc-en">{esc(en)}</span></h2>{inner}</section>'
            )
    finally:
        store.con.execute("DROP TABLE IF EXISTS _zc_docs")  # the writer's connection may live on
    nav = "".join(f'<a href="#{sid}">{esc(zh)}</a>' for sid, zh, _ in SECTIONS)
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    css = _asset("report.css").replace("__FONT_STACK__", FONT_STACK)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{css}</style>"
        f'<script type="text/javascript">{_plotly_js()}</script></head><body>'
        f'<header><h1>{esc(title)}</h1><p class="zc-muted">生成时间 generated {esc(stamp)} · '
        f"{data.n_documents} 篇文档 documents</p></header><nav>{nav}</nav><main>{''.join(bodies)}</main>"
        f'<script type="application/json" id="zc-figs">{json_for_script(ctx.figs.specs)}</script>'
        f"<script>{_asset('report.js')}</script></body></html>"
    )


def build_report(store: Store, out_dir: Path, *, title: str = "zhcorpus 语料分析报告") -> Path:
    """Write ``out_dir/index.html``: the whole report in one offline file. Returns its path."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "index.html"
    tmp = path.with_suffix(".html.tmp")
    tmp.write_text(render_report(store, title=title), encoding="utf-8")
    tmp.replace(path)  # a reader never sees a half-written report
    return path


# --- workbook --------------------------------------------------------------------------------------------------


# --- workbook --------------------------------------------------------------------------------------------------
EXCEL_MAX_ROWS = 1_048_576  # rows of a sheet, header included
# Rows of a workbook sheet (past it: the first rows and a note naming the export that has them all). Well below
# Excel's limit: a sheet of a million rows takes minutes to write and is barely usable in Excel, and the
# workbook is for browsing; `zhcorpus export TABLE --format parquet|csv` streams whole tables.
WORKBOOK_MAX_ROWS = 250_000
_WIDTH_SAMPLE = 200  # rows that set a column's width


@dataclass(frozen=True)
class Sheet:
    """One workbook sheet as a query over one table: ``where`` picks its rows, ``order`` sorts them."""

    name: str
    table: str | None  # None: the table is missing (the sheet has headers only)
    columns: tuple[str, ...]
    where: str = ""
    order: str = "rowid"


def _sheet(store: Store, name: str, source: str, *, where: str = "", drop: Sequence[str] = ()) -> Sheet:
    if not store.has_table(source):
        return Sheet(name, None, tuple(_SHEET_HEADERS[name]))
    cols = tuple(c for c in _table_cols(store, source) if c not in drop)
    keys = [f"{_q(k)} NULLS LAST" for k in ("doc_id", "paragraph", "char_start") if k in cols]
    return Sheet(name, source, cols, where, ", ".join([*keys, "rowid"]))


def workbook_sheets(store: Store) -> list[Sheet]:
    """The workbook's sheets (:data:`WORKBOOK_SHEETS`): one per analysis table, headers only when it is missing.

    Sentence rows of the theme scheme are evidence for the section/document labels and grow with the corpus;
    the sheet keeps the coded units a researcher filters (document, section, paragraph). Instruments are coded
    at sentence level, so their sheet keeps the labelled sentences.
    """
    sheets = {
        "documents": _sheet(
            store, "documents", "documents", drop=("path", "sha256", "pipeline", "updated_at")
        )
    }
    for name in ("facts", "rules", "measures", "topics", "keywords"):
        sheets[name] = _sheet(store, name, name)
    theme_cols = _table_cols(store, "themes") if store.has_table("themes") else ()
    conds_t: list[str] = []
    conds_i: list[str] = []
    if "scheme" in theme_cols:
        is_instr = f"regexp_matches(lower(coalesce(CAST(scheme AS VARCHAR), 'none')), '{'|'.join(INSTRUMENT_SCHEMES)}')"
        conds_t.append(f"NOT {is_instr}")
        conds_i.append(is_instr)
    if "level" in theme_cols:
        conds_t.append("level IS DISTINCT FROM 'sentence'")
    if store.has_table("instruments"):
        instr_cols = _table_cols(store, "instruments")
        instr_source, conds_i = "instruments", []
    else:
        instr_cols, instr_source = theme_cols, "themes"
    if "level" in instr_cols and "labelled" in instr_cols:
        conds_i += ["level = 'sentence'", "coalesce(CAST(labelled AS BOOLEAN), FALSE)"]

    def where(conds: list[str]) -> str:
        return f"WHERE {' AND '.join(conds)}" if conds else ""

    sheets["themes"] = _sheet(store, "themes", "themes", where=where(conds_t))
    if instr_source == "themes" and "scheme" not in theme_cols:
        sheets["instruments"] = Sheet("instruments", None, tuple(_SHEET_HEADERS["instruments"]))
    else:
        sheets["instruments"] = _sheet(store, "instruments", instr_source, where=where(conds_i))
    return [sheets[name] for name in WORKBOOK_SHEETS]


_CONTROL = re.compile("[\x00-\x08\x0b-\x1f]")  # openpyxl rejects control characters other than \t and \n


def _cell(value: Any) -> Any:
    """Excel-safe cell: lists as "a; b", no control characters, at most 32,000 chars; NaN as an empty cell."""
    if isinstance(value, str):
        return _CONTROL.sub("", value)[:32000] if len(value) > 32000 or _CONTROL.search(value) else value
    if value is None or isinstance(value, (bool, int)):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) or math.isinf(value) else value
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    elif isinstance(value, dict):
        value = json.dumps(value, ensure_ascii=False)
    return _cell(value) if isinstance(value, str) else value


def _display_width(text: str) -> int:
    """East Asian characters take two columns in Excel."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text[:80])


def _write_sheet(
    book: Any, sheet: Sheet, store: Store, header_fmt: Any, *, max_rows: int, batch_size: int = 5000
) -> int:
    """Stream one sheet into a constant-memory xlsxwriter workbook; returns the data rows written.

    A table of more than ``max_rows`` rows keeps its first ``max_rows - 1`` rows and a last row that says how
    many were left out and which export has them.
    """
    ws = book.add_worksheet(sheet.name[:31])
    cols = list(sheet.columns)
    for i, col in enumerate(cols):
        ws.write_string(0, i, str(col), header_fmt)
    ws.freeze_panes(1, 0)
    n_total = 0
    if sheet.table is not None:
        table = _q(sheet.table)
        n_total = int(store.con.execute(f"SELECT count(*) FROM {table} {sheet.where}").fetchone()[0])  # type: ignore[index]
    max_rows = max(2, min(max_rows, EXCEL_MAX_ROWS - 1))
    cap = n_total if n_total <= max_rows else max_rows - 1
    widths = [_display_width(str(c)) for c in cols]
    written = 0
    if sheet.table is not None and cap:
        # Sort only the narrow keys (a sort of whole wide rows holds them all in DuckDB's memory), then fetch the
        # rows of each slice of row ids and write them in key order.
        rowids = store.con.execute(
            f"SELECT rowid FROM {table} {sheet.where} ORDER BY {sheet.order} LIMIT {cap}"
        ).fetchnumpy()["rowid"]
        sel = ", ".join(_q(c) for c in cols)
        for start in range(0, len(rowids), batch_size):
            ids = rowids[start : start + batch_size].tolist()
            fetched = store.con.execute(
                f"SELECT rowid, {sel} FROM {table} WHERE rowid IN (SELECT unnest(?))", [ids]
            ).fetchall()
            by_id = {row[0]: row for row in fetched}
            for rid in ids:
                values = by_id[rid]
                row = written + 1
                for i in range(len(cols)):
                    value = _cell(values[i + 1])
                    if value is None or value == "":  # an empty cell, as pandas + xlsxwriter wrote it
                        continue
                    if written < _WIDTH_SAMPLE:
                        widths[i] = max(widths[i], _display_width(str(value)))
                    if isinstance(value, str):
                        ws.write_string(row, i, value)
                    elif isinstance(value, bool):
                        ws.write_boolean(row, i, value)
                    elif isinstance(value, (int, float)):
                        ws.write_number(row, i, value)
                    else:
                        ws.write(row, i, value)
                written += 1
    if n_total > written:
        ws.write_string(written + 1, 0, _more_rows_note(sheet.name, n_total - written))
    if cols:
        ws.autofilter(0, 0, max(written + (n_total > written), 1), len(cols) - 1)
    for i, width in enumerate(widths):
        ws.set_column(i, i, min(max(8, width + 2), 60))
    return written


def _more_rows_note(sheet: str, n_more: int) -> str:
    """The last row of a capped sheet: how many rows were left out and where they all are."""
    from pipelines.exports import export_names

    name = {"themes": "theme_codes"}.get(sheet, sheet)  # the `themes` export is the section labels
    if name in export_names():
        return f"… {n_more} more rows: use `zhcorpus export {name} --format parquet`"
    return f"… {n_more} more rows: all rows are in the store's table `{sheet}` (zhcorpus.duckdb)"


def build_workbook(store: Store, out: Path, *, max_rows: int = WORKBOOK_MAX_ROWS) -> Path:
    """Write the Excel workbook (sheets :data:`WORKBOOK_SHEETS`) with formatted, frozen, filtered headers.

    Rows stream from DuckDB into xlsxwriter's ``constant_memory`` mode (each row goes to disk as it is written),
    so memory does not grow with the tables, and a sheet holds at most ``max_rows`` rows (:data:`WORKBOOK_MAX_ROWS`,
    at most Excel's 1,048,575), so neither does the time. Strings are written as text, never as formulas or
    links (a document sentence starting with "=" stays text).
    """
    import xlsxwriter

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(out.name + ".tmp")
    book = xlsxwriter.Workbook(
        str(tmp), {"constant_memory": True, "strings_to_formulas": False, "strings_to_urls": False}
    )
    try:
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": False})
        for sheet in workbook_sheets(store):
            _write_sheet(book, sheet, store, header, max_rows=max_rows)
    finally:
        book.close()
    tmp.replace(out)
    return out


# --- corpus stage ----------------------------------------------------------------------------------------------
def report_stage(ws: Any, store: Store, progress: Any = None, changed: bool = True) -> str | None:
    """The last corpus stage of ``zhcorpus run``: rebuild both report files when the corpus changed (or one is
    missing). ``ws`` is a pipelines.workspace.Workspace; returns the summary line, None when nothing was done."""
    import time

    html_path, xlsx_path = ws.reports_dir / "index.html", ws.reports_dir / "zhcorpus.xlsx"
    if not changed and html_path.exists() and xlsx_path.exists():
        return None
    t0 = time.perf_counter()
    if progress:
        progress("report", 0, 2, "index.html")
    build_report(store, ws.reports_dir)
    if progress:
        progress("report", 1, 2, "zhcorpus.xlsx")
    build_workbook(store, xlsx_path)
    if progress:
        progress("report", 2, 2, "")
    return f"{html_path} and {xlsx_path.name} ({time.perf_counter() - t0:.1f} s)"
