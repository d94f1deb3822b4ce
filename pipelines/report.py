"""The corpus report: one self-contained, offline HTML file and an Excel workbook, both read from the store.

Why plotly: it is already a project dependency, its whole JS bundle ships inside the pip package
(``plotly.offline.get_plotlyjs()``), so the report is ONE file that opens without network, and it covers every chart
we need (heatmaps, bars, lines, a network as scatter + lines) with hover, zoom and legend toggles out of the box.
Vega-Lite would be lighter (~1 MB with vega + vega-embed) but no installed pip package ships its JS as files we
could inline, so it would have to be vendored by hand and kept up to date.

Every section reads whichever tables exist (``Store.has_table`` and the columns present) and shows an explicit
"暂无数据 / no data" note when its table is missing or empty, so the report works at every stage of a run.

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
import zlib
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from pipelines.store import Store

__all__ = ["SECTIONS", "WORKBOOK_SHEETS", "build_report", "build_workbook", "report_data", "report_stage"]

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


def _read(store: Store, name: str) -> pd.DataFrame | None:
    """A whole table, or None when the store does not have it."""
    if not store.has_table(name):
        return None
    return store.query(f'SELECT * FROM "{name}"')


# --- data gathered once ----------------------------------------------------------------------------------------
@dataclass
class ReportData:
    """Everything the sections read, loaded once from the store."""

    documents: pd.DataFrame
    failed: pd.DataFrame
    tables: dict[str, pd.DataFrame | None]
    labels: dict[str, str]  # doc_id -> short unique label for charts
    titles: dict[str, str]  # doc_id -> full title (or file name)
    meta: dict[str, str] = field(default_factory=dict)

    def table(self, name: str) -> pd.DataFrame | None:
        df = self.tables.get(name)
        if df is None:
            return None
        return df

    def nonempty(self, name: str) -> pd.DataFrame | None:
        df = self.tables.get(name)
        return df if df is not None and len(df) else None


def _doc_labels(docs: pd.DataFrame) -> tuple[dict[str, str], dict[str, str]]:
    labels: dict[str, str] = {}
    titles: dict[str, str] = {}
    seen: Counter[str] = Counter()
    for row in docs.itertuples(index=False):
        doc_id = str(row.doc_id)
        name = str(getattr(row, "doc", None) or doc_id.rsplit("/", 1)[-1])
        title = getattr(row, "title", None)
        title = str(title) if title and not (isinstance(title, float) and math.isnan(title)) else name
        titles[doc_id] = title
        label = _truncate(title, 18)
        seen[label] += 1
        if seen[label] > 1:
            label = f"{label} ({name})"
        labels[doc_id] = label
    return labels, titles


def report_data(store: Store) -> ReportData:
    """Load the documents and every analysis table that exists."""
    all_docs = _read(store, "documents")
    if all_docs is None:
        all_docs = pd.DataFrame(columns=_SHEET_HEADERS["documents"])
    all_docs = all_docs.sort_values("doc_id") if len(all_docs) else all_docs
    status = all_docs["status"] if "status" in all_docs.columns else pd.Series(["ok"] * len(all_docs))
    docs = all_docs[status.fillna("ok") != "failed"].reset_index(drop=True)
    failed = all_docs[status.fillna("ok") == "failed"].reset_index(drop=True)
    tables = {
        name: _read(store, name)
        for name in (
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
    }
    keep = set(docs["doc_id"].astype(str))
    for name, df in tables.items():
        if df is not None and "doc_id" in df.columns and name != "similar":
            tables[name] = df[df["doc_id"].astype(str).isin(keep)].reset_index(drop=True)
    labels, titles = _doc_labels(docs)
    meta: dict[str, str] = {}
    if store.has_table("meta"):
        meta = {str(k): str(v) for k, v in store.con.execute("SELECT key, value FROM meta").fetchall()}
    return ReportData(docs, failed, tables, labels, titles, meta)


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
def _count_by_doc(df: pd.DataFrame | None) -> dict[str, int]:
    if df is None or not len(df) or "doc_id" not in df.columns:
        return {}
    return {str(k): int(v) for k, v in df.groupby("doc_id").size().items()}


def section_overview(ctx: Ctx) -> str:
    d = ctx.data
    docs = d.documents
    if not len(docs):
        return _no_data("documents 表为空：先运行 zhcorpus run / run `zhcorpus run` first")
    counts = {n: _count_by_doc(d.table(n)) for n in ("facts", "rules", "measures")}
    chars_col = _col(docs, "chars", "size")
    total_chars = int(pd.to_numeric(docs[chars_col], errors="coerce").fillna(0).sum()) if chars_col else 0
    cards = [("文档 documents", len(docs)), ("字符 characters", total_chars)]
    for n, zh in (("facts", "事实 facts"), ("rules", "规则 rules"), ("measures", "措施 measures")):
        df = d.table(n)
        cards.append((zh, len(df) if df is not None else "—"))
    if len(d.failed):
        cards.append(("失败 failed", len(d.failed)))
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
    table = _table(
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
    years = pd.to_numeric(docs.get("year"), errors="coerce") if "year" in docs.columns else None
    if years is not None and years.notna().any():
        frame = pd.DataFrame(
            {"year": years, "genre": docs.get("genre", pd.Series(["?"] * len(docs))).fillna("其他")}
        )
        frame = frame.dropna(subset=["year"])
        frame["year"] = frame["year"].astype(int)
        pivot = frame.groupby(["year", "genre"]).size().unstack(fill_value=0).sort_index()
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
        ch = (
            pd.to_numeric(docs[chars_col], errors="coerce").fillna(0)
            if chars_col
            else pd.Series([0] * len(docs))
        )
        frame = pd.DataFrame({"字数 chars": ch.to_numpy()}, index=[d.labels[str(x)] for x in docs["doc_id"]])
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
    if len(d.failed):
        items = "".join(
            f"<li><code>{esc(r.get('doc') or r.get('doc_id'))}</code>: {esc(r.get('error'))}</li>"
            for r in d.failed.to_dict("records")
        )
        failed = f'<h3>处理失败的文件 Failed files</h3><ul class="zc-failed">{items}</ul>'
    return f'<div class="zc-cards">{card_html}</div>{chart}{table}{failed}'


def _split_themes(d: ReportData) -> tuple[pd.DataFrame | None, pd.DataFrame | None]:
    """(themes, instruments): instrument codes come from an ``instruments`` table or an instrument scheme."""
    themes = d.nonempty("themes")
    instruments = d.nonempty("instruments")
    if themes is not None and "scheme" in themes.columns:
        is_instr = themes["scheme"].astype(str).str.lower().str.contains("|".join(INSTRUMENT_SCHEMES))
        if instruments is None and is_instr.any():
            instruments = themes[is_instr].reset_index(drop=True)
        themes = themes[~is_instr].reset_index(drop=True)
    if themes is not None and not len(themes):
        themes = None
    return themes, instruments


def _doc_level(df: pd.DataFrame) -> pd.DataFrame:
    """Document x code scores: the document-level records when present, else summed finer-grained ``raw``."""
    code = _col(df, "code", "theme", "label") or "code"
    score = _col(df, "score", "raw", "weight")
    if "level" in df.columns and (df["level"] == "document").any():
        rows = df[df["level"] == "document"]
        vals = pd.to_numeric(rows[score], errors="coerce") if score else pd.Series(1.0, index=rows.index)
        return (
            rows.assign(_v=vals)
            .pivot_table(index="doc_id", columns=code, values="_v", aggfunc="max")
            .fillna(0.0)
        )
    finest = df
    if "level" in df.columns:
        for level in ("sentence", "paragraph", "section"):
            if (df["level"] == level).any():
                finest = df[df["level"] == level]
                break
    val_col = _col(finest, "raw", "score")
    vals = pd.to_numeric(finest[val_col], errors="coerce") if val_col else pd.Series(1.0, index=finest.index)
    return (
        finest.assign(_v=vals)
        .pivot_table(index="doc_id", columns=code, values="_v", aggfunc="sum")
        .fillna(0.0)
    )


def _by_year(d: ReportData, matrix: pd.DataFrame) -> pd.DataFrame | None:
    """Mean of each column per document year (None when no document has a year)."""
    if "year" not in d.documents.columns:
        return None
    years = pd.to_numeric(d.documents.set_index("doc_id")["year"], errors="coerce")
    joined = matrix.join(years.rename("_year"), how="left").dropna(subset=["_year"])
    if not len(joined):
        return None
    joined["_year"] = joined["_year"].astype(int)
    return joined.groupby("_year").mean().sort_index()


def _labelled(df: pd.DataFrame) -> pd.DataFrame:
    if "labelled" in df.columns:
        return df[df["labelled"].fillna(False).astype(bool)]
    return df


def section_themes(ctx: Ctx) -> str:
    d = ctx.data
    themes, _ = _split_themes(d)
    if themes is None:
        return _no_data("themes 表不存在或为空 / the themes stage has not run")
    matrix = _doc_level(themes)
    matrix = matrix.loc[:, matrix.sum(axis=0) > 0] if matrix.shape[1] else matrix
    parts = []
    if matrix.size:
        top = matrix.loc[matrix.sum(axis=1).sort_values(ascending=False).index[:MAX_HEATMAP_DOCS]]
        shown = top.rename(index=lambda x: d.labels.get(str(x), str(x)))
        parts.append(
            _heatmap(
                ctx.figs,
                "theme_heatmap",
                shown,
                title="文档 × 主题 Document × theme (score per 1,000 chars)",
                zlabel="score",
            )
        )
        per_year = _by_year(d, matrix)
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


def _theme_drilldown(ctx: Ctx, themes: pd.DataFrame) -> str:
    """Per document: the labelled sections (finest level above sentences present) with codes and evidence.

    Plain Python over the records: a pandas groupby per document costs ~50 ms each on hundreds of documents.
    """
    d = ctx.data
    code_col = _col(themes, "code", "theme", "label") or "code"
    score_col = _col(themes, "score", "raw")
    sec_col = _col(themes, "section", "heading")
    present = set(themes["level"].dropna().astype(str)) if "level" in themes.columns else set()
    unit_level = next((lv for lv in ("section", "paragraph", "sentence") if lv in present), None)
    labelled = _labelled(themes)
    keep = [c for c in ("doc_id", "level", code_col, score_col, sec_col, "evidence") if c]
    by_doc: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in labelled[keep].to_dict("records"):
        by_doc[str(r["doc_id"])].append(r)
    out = []
    for doc_id in sorted(set(themes["doc_id"].astype(str))):
        records = by_doc.get(doc_id, [])
        doc_codes = [str(r[code_col]) for r in records if r.get("level") == "document"]
        units = [r for r in records if unit_level is None or r.get("level") == unit_level]
        sections: dict[str, list[dict[str, Any]]] = {}
        for r in units:
            key = r.get(sec_col) if sec_col else ""
            key = "" if key is None or (isinstance(key, float) and math.isnan(key)) else str(key)
            sections.setdefault(key, []).append(r)
        items = []
        for section, srows in list(sections.items())[:MAX_DRILL_SECTIONS]:
            if score_col:
                srows = sorted(srows, key=lambda r: -(_num(r.get(score_col)) or 0.0))
            codes = []
            for r in srows[:MAX_DRILL_CODES]:
                ev = _as_list(r.get("evidence"))[:MAX_DRILL_EVIDENCE]
                ev_html = "".join(f"<li>{esc(s)}</li>" for s in ev)
                score = f' <span class="zc-score">{esc(_fmt_num(r.get(score_col)))}</span>' if score_col else ""
                codes.append(
                    f'<li><span class="zc-code">{esc(r.get(code_col))}</span>{score}'
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
    return "".join(out) or _no_data("no theme records")


def section_instruments(ctx: Ctx) -> str:
    d = ctx.data
    themes, instr = _split_themes(d)
    if instr is None:
        return _no_data("没有政策工具编码 / no policy-instrument records (scheme 'instruments')")
    code_col = _col(instr, "code", "instrument") or "code"
    group_col = _col(instr, "group", "parent", "category")
    units = instr
    if "level" in instr.columns:
        for level in ("sentence", "paragraph", "section", "document"):
            if (instr["level"] == level).any():
                units = instr[instr["level"] == level]
                break
    units = _labelled(units)
    if not len(units):
        return _no_data("没有被标注的政策工具 / no labelled instrument units")
    unit_name = str(units["level"].iloc[0]) if "level" in units.columns else "unit"
    parts = []
    # 1. instrument type (group) x code
    if group_col:
        ct = pd.crosstab(
            units[code_col].astype(str),
            units[group_col].fillna("—").astype(str),
            margins=True,
            margins_name="合计 total",
        )
        parts.append(f"<h3>工具类型 × 工具 Instrument group × code (number of {esc(unit_name)}s)</h3>")
        parts.append(_crosstab_table(ct, "tbl-instr-group"))
    # 2. document x instrument group (or code)
    by = group_col or code_col
    doc_ct = pd.crosstab(units["doc_id"].astype(str), units[by].fillna("—").astype(str))
    shown = doc_ct.rename(index=lambda x: d.labels.get(x, x))
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
    ct2 = pd.crosstab(
        units["doc_id"].astype(str).map(lambda x: d.labels.get(x, x)),
        units[code_col].astype(str),
        margins=True,
        margins_name="合计 total",
    )
    parts.append("<h3>文档 × 工具 Document × instrument</h3>")
    parts.append(_crosstab_table(ct2, "tbl-instr-doc"))
    # 3. instrument x theme in the same paragraph
    if themes is not None and "paragraph" in units.columns and "paragraph" in themes.columns:
        tcode = _col(themes, "code", "theme") or "code"
        t_units = _labelled(themes)
        if "level" in t_units.columns:
            t_units = t_units[t_units["level"].isin(["sentence", "paragraph"])]
        left = units[["doc_id", "paragraph", code_col]].dropna().drop_duplicates()
        right = t_units[["doc_id", "paragraph", tcode]].dropna().drop_duplicates()
        right = right.rename(columns={tcode: "_theme"})
        merged = left.merge(right, on=["doc_id", "paragraph"])
        if len(merged):
            m = pd.crosstab(merged[code_col].astype(str), merged["_theme"].astype(str))
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


def _crosstab_table(ct: pd.DataFrame, table_id: str) -> str:
    headers = [""] + [esc(c) for c in ct.columns]
    rows = [[esc(idx)] + [esc(_fmt_num(v)) for v in row] for idx, row in zip(ct.index, ct.to_numpy())]
    return _table(headers, rows, table_id=table_id, numeric=tuple(range(1, len(headers))))


def _topic_frame(d: ReportData) -> tuple[pd.DataFrame | None, str, str | None]:
    """(doc-topic rows, topic column, share column) from a ``topics`` table with doc shares."""
    topics = d.nonempty("topics")
    if topics is None:
        return None, "topic", None
    tcol = _col(topics, "topic", "topic_id", "k") or "topic"
    scol = _col(topics, "share", "weight", "prob", "probability", "score")
    return topics, tcol, scol


def _topic_names(d: ReportData, topics: pd.DataFrame | None, tcol: str) -> dict[str, tuple[str, list[str]]]:
    """topic -> (display label, top terms) from ``topic_terms`` or the label/terms columns of ``topics``."""
    names: dict[str, tuple[str, list[str]]] = {}
    terms_tab = d.nonempty("topic_terms")
    if terms_tab is not None:
        tc = _col(terms_tab, "topic", "topic_id") or "topic"
        term_c = _col(terms_tab, "term", "word", "token")
        wc = _col(terms_tab, "weight", "prob", "score")
        if term_c:
            for t, g in terms_tab.groupby(tc, sort=True):
                g = g.sort_values(wc, ascending=False) if wc else g
                names[str(t)] = ("", [str(x) for x in g[term_c].head(15)])
    if topics is not None:
        lc = _col(topics, "label", "name")
        tt = _col(topics, "terms", "top_terms", "words")
        for t, g in topics.groupby(tcol, sort=True):
            label = str(g[lc].dropna().iloc[0]) if lc and g[lc].notna().any() else ""
            terms = names.get(str(t), ("", []))[1]
            if not terms and tt:
                first = g[tt].dropna()
                terms = _as_list(first.iloc[0]) if len(first) else []
            names[str(t)] = (label, terms)
    out = {}
    for t, (label, terms) in names.items():
        shown = label or "·".join(terms[:3]) or f"topic {t}"
        out[t] = (f"T{t} {shown}", terms)
    return out


def _coherence(d: ReportData) -> pd.DataFrame | None:
    """K -> coherence columns, from a topic_coherence / topic_sweep table or a meta JSON entry."""
    for name in ("topic_coherence", "topic_sweep"):
        df = d.nonempty(name)
        if df is not None:
            kc = _col(df, "k", "K", "num_topics")
            cols = [c for c in ("c_v", "c_npmi", "coherence", "u_mass") if c in df.columns]
            if kc and cols:
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
    if topics is not None and scol and "doc_id" in topics.columns:
        matrix = topics.pivot_table(index="doc_id", columns=tcol, values=scol, aggfunc="sum").fillna(0.0)
        matrix.columns = [names.get(str(c), (f"T{c}", []))[0] for c in matrix.columns]
        shown = matrix.iloc[:MAX_HEATMAP_DOCS].rename(index=lambda x: d.labels.get(str(x), str(x)))
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
        per_year = _by_year(d, matrix)
        if per_year is not None and len(per_year):
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


def _keyword_frame(d: ReportData) -> tuple[pd.DataFrame | None, str, str | None]:
    kw = d.nonempty("keywords")
    if kw is None:
        return None, "term", None
    term = _col(kw, "term", "keyword", "word", "token") or kw.columns[-1]
    score = _col(kw, "score", "weight", "tfidf", "tf_idf", "value", "freq", "count")
    return kw, term, score


def section_keywords(ctx: Ctx) -> str:
    d = ctx.data
    kw, term, score = _keyword_frame(d)
    if kw is None or "doc_id" not in kw.columns:
        return _no_data("keywords 表不存在或为空 / the keyword stage has not run")
    kw = kw.assign(_s=pd.to_numeric(kw[score], errors="coerce").fillna(0.0) if score else 1.0)
    rank = _col(kw, "rank")
    # corpus weights: each document's scores scaled to its maximum, summed (no long document dominates)
    doc_max = kw.groupby("doc_id")["_s"].transform("max").replace(0, 1.0)
    corpus = kw.assign(_n=kw["_s"] / doc_max).groupby(term)["_n"].sum().sort_values(ascending=False)
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
    rows = []
    for doc_id, g in kw.groupby("doc_id", sort=True):
        g = g.sort_values(rank) if rank else g.sort_values("_s", ascending=False)
        chips = " ".join(
            f'<span class="zc-chip" title="{esc(_fmt_num(s))}">{esc(t)}</span>'
            for t, s in zip(g[term].head(15), g["_s"])
        )
        rows.append([_doc_cell(ctx, doc_id), chips])
    parts.append("<h3>各文档关键词 Keywords per document</h3>")
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


def section_facts(ctx: Ctx) -> str:
    d = ctx.data
    facts = d.nonempty("facts")
    if facts is None:
        return _no_data("facts 表不存在或为空 / the fact extraction stage has not run")
    n_all = len(facts)
    order = [c for c in ("doc_id", "paragraph", "char_start") if c in facts.columns]
    facts = facts.sort_values(order) if order else facts
    facts = facts.head(MAX_FACT_ROWS)
    rows = []
    for r in facts.to_dict("records"):
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


def _aggregate_mentions(df: pd.DataFrame) -> pd.DataFrame:
    """One row per canonical name (index): kind, docs, mentions, doc_ids (list), example (first record as dict).

    Sorted by the number of citing documents, then mentions. One groupby: linear in the number of records.
    """
    canon = _col(df, "canonical", "surface", "name") or "canonical"
    mentions = pd.to_numeric(df["mentions"], errors="coerce").fillna(1) if "mentions" in df.columns else 1
    df = df.assign(_m=mentions, _c=df[canon].astype(str), _d=df["doc_id"].astype(str))
    groups = df.groupby("_c", sort=False)
    out = pd.DataFrame(
        {
            "kind": groups["kind"].first() if "kind" in df.columns else "",
            "docs": groups["_d"].nunique(),
            "mentions": groups["_m"].sum(),
            "doc_ids": groups["_d"].unique().map(list),
        }
    )
    first = df.drop_duplicates("_c").set_index("_c")
    out["example"] = [first.loc[name].to_dict() for name in out.index]
    return out.sort_values(["docs", "mentions"], ascending=False)


def _docs_cell(ctx: Ctx, doc_ids: list[str]) -> str:
    return " ".join(_doc_cell(ctx, x) for x in doc_ids[:6]) + (" …" if len(doc_ids) > 6 else "")


def _cap_note(n_all: int, cap: int) -> str:
    if n_all <= cap:
        return ""
    return (
        f'<p class="zc-note">显示前 {cap} 条，共 {n_all} 条；完整数据见 zhcorpus.xlsx / '
        f"first {cap} of {n_all} rows; all rows are in the workbook.</p>"
    )


def section_rules(ctx: Ctx) -> str:
    d = ctx.data
    rules = d.nonempty("rules")
    if rules is None:
        return _no_data("rules 表不存在或为空 / the rule-reference stage has not run")
    canon = _col(rules, "canonical", "surface") or "canonical"
    agg = _aggregate_mentions(rules)
    rows = []
    for name, r in agg.head(MAX_NAME_ROWS).iterrows():
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
    parts = [_rule_network(ctx, rules, canon, agg), _cap_note(len(agg), MAX_NAME_ROWS)]
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


def _rule_network(ctx: Ctx, rules: pd.DataFrame, canon: str, agg: pd.DataFrame) -> str:
    """A bipartite network: documents on the left, rules on the right, a line per citing pair."""
    d = ctx.data
    top_rules = list(agg.index[:MAX_RULES])
    edges = (
        rules[rules[canon].astype(str).isin(top_rules)]
        .assign(_c=lambda f: f[canon].astype(str), _d=lambda f: f["doc_id"].astype(str))
        .groupby(["_d", "_c"])
        .size()
        .reset_index(name="n")
    )
    docs = sorted(edges["_d"].unique(), key=lambda x: d.labels.get(x, x))
    if not len(edges):
        return ""
    ydoc = {x: i / max(1, len(docs) - 1) for i, x in enumerate(docs)}
    yrule = {x: i / max(1, len(top_rules) - 1) for i, x in enumerate(top_rules)}
    ex: list[Any] = []
    ey: list[Any] = []
    for e in edges.itertuples(index=False):
        ex += [0, 1, None]
        ey += [ydoc[e._0], yrule[e._1], None]
    deg = agg["docs"].to_dict()
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
    return ctx.figs.add("rule_network", data, layout, height=h)


def section_measures(ctx: Ctx) -> str:
    d = ctx.data
    measures = d.nonempty("measures")
    if measures is None:
        return _no_data("measures 表不存在或为空 / the named-measure stage has not run")
    agg = _aggregate_mentions(measures)
    rows = []
    for name, r in agg.head(MAX_NAME_ROWS).iterrows():
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
    parts = [_cap_note(len(agg), MAX_NAME_ROWS)]
    if "kind" in measures.columns:
        ct = pd.crosstab(
            measures["doc_id"].astype(str).map(lambda x: d.labels.get(x, x)),
            measures["kind"].fillna("—").astype(str),
        )
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
    texts: Sequence[str], *, max_chars: int = 200_000, max_features: int = 30_000
) -> np.ndarray:
    """Cosine similarity of TF-IDF vectors over character bigrams (segmentation-free, cheap for small corpora).

    Same weighting as scikit-learn's ``TfidfVectorizer(analyzer="char", ngram_range=(2, 2), sublinear_tf=True)``
    restricted to the ``max_features`` bigrams found in most documents, written with numpy alone: importing
    scikit-learn (scipy) costs more than the whole report for a small corpus.
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


def _similar_pairs(store: Store, d: ReportData) -> tuple[pd.DataFrame | None, str]:
    """(doc_id, other, score) rows from the ``similar`` table, else computed here; plus where they came from."""
    sim = d.nonempty("similar")
    if sim is not None:
        a = _col(sim, "doc_id", "doc", "source")
        b = _col(sim, "other", "other_doc_id", "similar", "similar_doc", "target", "doc_b", "neighbor")
        s = _col(sim, "score", "similarity", "cosine")
        if a and b and s:
            out = pd.DataFrame(
                {
                    "doc_id": sim[a].astype(str),
                    "other": sim[b].astype(str),
                    "score": pd.to_numeric(sim[s], errors="coerce"),
                }
            )
            return out, "similar 表 / table"
    if len(d.documents) < 2:
        return None, ""
    if store.has_table("texts"):
        texts = store.query("SELECT doc_id, text FROM texts")
    elif store.has_table("paragraphs"):
        texts = store.query(
            "SELECT doc_id, string_agg(text, '\n' ORDER BY idx) AS text FROM paragraphs GROUP BY doc_id"
        )
    else:
        return None, ""
    texts = (
        texts[texts["doc_id"].isin(set(d.documents["doc_id"]))]
        .drop_duplicates("doc_id")
        .sort_values("doc_id")
    )
    if len(texts) < 2:
        return None, ""
    m = similarity_matrix(texts["text"].fillna("").tolist())
    ids = texts["doc_id"].astype(str).tolist()
    rows = [(ids[i], ids[j], float(m[i, j])) for i in range(len(ids)) for j in range(len(ids)) if i != j]
    return pd.DataFrame(
        rows, columns=["doc_id", "other", "score"]
    ), "本报告计算：字二元组 TF-IDF 余弦 / computed here: char-bigram TF-IDF cosine"


def section_similar(ctx: Ctx, store: Store) -> str:
    d = ctx.data
    pairs, source = _similar_pairs(store, d)
    if pairs is None or not len(pairs):
        return _no_data("需要至少两篇文档 / needs at least two documents with text")
    parts = [f'<p class="zc-note">来源 source: {esc(source)}</p>']
    docs = sorted(set(pairs["doc_id"]) | set(pairs["other"]))
    if len(docs) <= MAX_HEATMAP_DOCS:
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
    rows = []
    for doc_id, g in pairs.groupby("doc_id", sort=True):
        g = g.sort_values("score", ascending=False).head(3)
        near = "；".join(
            f'{_doc_cell(ctx, o)} <span class="zc-score">{s:.2f}</span>'
            for o, s in zip(g["other"], g["score"])
        )
        rows.append([_doc_cell(ctx, doc_id), near])
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
        "similar": lambda c: section_similar(c, store),
        "sentences": section_sentences,
    }
    bodies = []
    for sid, zh, en in SECTIONS:
        inner = builders[sid](ctx)  # sentences last: it lists what the others linked
        bodies.append(
            f'<section id="{sid}"><h2>{esc(zh)} <span class="zc-en">{esc(en)}</span></h2>{inner}</section>'
        )
    nav = "".join(f'<a href="#{sid}">{esc(zh)}</a>' for sid, zh, _ in SECTIONS)
    stamp = datetime.now().strftime("%Y-%m-%d %H:%M")
    css = _asset("report.css").replace("__FONT_STACK__", FONT_STACK)
    return (
        '<!DOCTYPE html>\n<html lang="zh-CN"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{css}</style>"
        f'<script type="text/javascript">{_plotly_js()}</script></head><body>'
        f'<header><h1>{esc(title)}</h1><p class="zc-muted">生成时间 generated {esc(stamp)} · '
        f"{len(data.documents)} 篇文档 documents</p></header><nav>{nav}</nav><main>{''.join(bodies)}</main>"
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
def workbook_frames(store: Store) -> dict[str, pd.DataFrame]:
    """The workbook's sheets: one per analysis table (headers only when the table is missing)."""
    frames: dict[str, pd.DataFrame] = {}
    docs = _read(store, "documents")
    frames["documents"] = _sheet(docs, "documents", drop=("path", "sha256", "pipeline", "updated_at"))
    for name in ("facts", "rules", "measures", "topics", "keywords"):
        frames[name] = _sheet(_read(store, name), name)
    themes = _read(store, "themes")
    instruments = _read(store, "instruments")
    if themes is not None and "scheme" in themes.columns:
        is_instr = themes["scheme"].astype(str).str.lower().str.contains("|".join(INSTRUMENT_SCHEMES))
        if instruments is None:
            instruments = themes[is_instr]
        themes = themes[~is_instr]
    # Sentence rows of the theme scheme are evidence for the section/document labels and grow with the corpus;
    # the sheet keeps the coded units a researcher filters (document, section, paragraph). Instruments are
    # coded at sentence level, so their sheet keeps the labelled sentences.
    if themes is not None and "level" in themes.columns:
        themes = themes[themes["level"] != "sentence"]
    if instruments is not None and "level" in instruments.columns and "labelled" in instruments.columns:
        instruments = instruments[(instruments["level"] == "sentence") & instruments["labelled"].astype(bool)]
    frames["themes"] = _sheet(themes, "themes")
    frames["instruments"] = _sheet(instruments, "instruments")
    return {name: _fit_excel(frames[name], name) for name in WORKBOOK_SHEETS}


EXCEL_MAX_ROWS = 1_048_576


def _fit_excel(df: pd.DataFrame, name: str) -> pd.DataFrame:
    """Excel holds 1,048,576 rows a sheet: past that, keep the first rows and say so in the last one."""
    if len(df) < EXCEL_MAX_ROWS:
        return df
    keep = df.iloc[: EXCEL_MAX_ROWS - 2].copy()
    note = {c: None for c in df.columns}
    note[df.columns[0]] = f"… {len(df) - len(keep)} more rows: use `zhcorpus export {name} --format parquet`"
    return pd.concat([keep, pd.DataFrame([note])], ignore_index=True)


def _sheet(df: pd.DataFrame | None, name: str, *, drop: Sequence[str] = ()) -> pd.DataFrame:
    if df is None:
        return pd.DataFrame(columns=_SHEET_HEADERS[name])
    df = df.drop(columns=[c for c in drop if c in df.columns]).reset_index(drop=True)
    order = [c for c in ("doc_id", "paragraph", "char_start") if c in df.columns]
    if order:
        df = df.sort_values(order, kind="stable").reset_index(drop=True)
    for c in df.columns:
        if df[c].dtype == object:
            df[c] = df[c].map(_cell)
    return df


def _cell(value: Any) -> Any:
    """Excel-safe cell: lists as "a; b", no control characters (openpyxl rejects them), at most 32,000 chars."""
    if isinstance(value, np.ndarray):
        value = value.tolist()
    if isinstance(value, (list, tuple)):
        value = "; ".join(str(v) for v in value)
    if isinstance(value, str):
        value = "".join(ch for ch in value if ch in "\t\n" or ord(ch) >= 32)[:32000]
    return value


def build_workbook(store: Store, out: Path) -> Path:
    """Write the Excel workbook (sheets :data:`WORKBOOK_SHEETS`) with formatted, frozen, filtered headers."""
    from pipelines.exports import write_xlsx

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    return write_xlsx(workbook_frames(store), out)


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
