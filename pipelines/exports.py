"""Export store tables as CSV (UTF-8 with BOM, for Excel), XLSX, Parquet or JSON Lines.

Each exportable table has a fixed field list (the documented schema); list fields become JSON text in CSV and
XLSX and stay lists in Parquet and JSON Lines. Rows are streamed in batches except for XLSX.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from nlp.errors import ZhcorpusError
from pipelines.store import Store

FORMATS = ("csv", "xlsx", "parquet", "jsonl")

# table -> (SQL source, field list). Fields are documented in README.md ("Export schema").
EXPORTS: dict[str, tuple[str, list[str]]] = {
    "documents": (
        "documents",
        ["doc", "title", "year", "genre", "issuer", "doc_number", "date", "path", "sha256", "chars", "status", "error"],
    ),
    "paragraphs": ("paragraphs", ["doc", "idx", "kind", "section", "text"]),
    "sentences": ("sentences", ["doc", "para", "idx", "text", "char_start", "char_end"]),
    "removals": ("removals", ["doc", "kind", "text", "count"]),
}

ORDER = {"documents": "doc_id", "paragraphs": "doc_id, idx", "sentences": "doc_id, para, idx", "removals": "doc_id"}


def register_export(name: str, source: str, fields: list[str], order: str = "doc_id") -> None:
    EXPORTS[name] = (source, fields)
    ORDER[name] = order


# Exports computed from stored tables (small, corpus-level views): name -> (function(store) -> DataFrame, fields)
DERIVED: dict[str, tuple[Callable[[Store], pd.DataFrame], list[str]]] = {}


def register_derived(name: str, fn: Callable[[Store], pd.DataFrame], fields: list[str]) -> None:
    DERIVED[name] = (fn, fields)


def export_names() -> list[str]:
    _ensure_registered()
    return sorted(set(EXPORTS) | set(DERIVED))


def _ensure_registered() -> None:
    import pipelines.stages  # noqa: F401  (declares the stage tables and their exports)


def export_batches(store: Store, table: str, *, batch_size: int = 5000) -> Iterator[pa.RecordBatch]:
    _ensure_registered()
    if table not in EXPORTS:
        raise ZhcorpusError(f"unknown table {table!r}: expected one of {', '.join(sorted(EXPORTS))}")
    source, fields = EXPORTS[table]
    if not store.has_table(source):
        return
    cols = ", ".join(f'"{f}"' for f in fields)
    sql = f'SELECT {cols} FROM "{source}" ORDER BY {ORDER.get(table, "doc_id")}'
    reader = store.con.cursor().sql(sql).to_arrow_reader(batch_size)
    yield from reader


def _flat(value: Any) -> Any:
    if isinstance(value, (list, dict)):
        return json.dumps(value, ensure_ascii=False)
    if hasattr(value, "tolist"):
        return json.dumps(value.tolist(), ensure_ascii=False)
    return value


def export_table(store: Store, table: str, fmt: str, out: str | Path) -> int:
    """Write ``table`` to ``out`` in ``fmt``; returns the number of rows written."""
    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise ZhcorpusError(f"unknown format {fmt!r}: expected one of {', '.join(FORMATS)}")
    _ensure_registered()
    if table not in EXPORTS and table not in DERIVED:
        raise ZhcorpusError(f"unknown table {table!r}: expected one of {', '.join(export_names())}")
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    if table in DERIVED:
        fn, fields = DERIVED[table]
        return write_frame(fn(store), fmt, out, fields=fields, sheet=table)
    fields = EXPORTS.get(table, ("", []))[1]
    n = 0
    if fmt == "xlsx":
        frames = [b.to_pandas() for b in export_batches(store, table)]
        df = pd.concat(frames) if frames else pd.DataFrame(columns=fields)
        write_xlsx({table: df}, out)
        return len(df)
    if fmt == "parquet":
        writer = None
        for batch in export_batches(store, table):
            if writer is None:
                writer = pq.ParquetWriter(out, batch.schema)
            writer.write_batch(batch)
            n += batch.num_rows
        if writer is None:
            pq.write_table(pa.table({f: pa.array([], pa.string()) for f in fields}), out)
        else:
            writer.close()
        return n
    with out.open("w", encoding="utf-8-sig" if fmt == "csv" else "utf-8", newline="") as fh:
        if fmt == "csv":
            pd.DataFrame(columns=fields).to_csv(fh, index=False)
        for batch in export_batches(store, table):
            df = batch.to_pandas()
            if fmt == "csv":
                for c in df.columns:
                    if df[c].dtype == object:
                        df[c] = df[c].map(_flat)
                df.to_csv(fh, index=False, header=False)
            else:
                for rec in batch.to_pylist():
                    fh.write(json.dumps(rec, ensure_ascii=False, default=str) + "\n")
            n += batch.num_rows
    return n


def write_frame(df: pd.DataFrame, fmt: str, out: Path, *, fields: list[str], sheet: str = "data") -> int:
    """Write a DataFrame in one of FORMATS (used for derived, corpus-level exports)."""
    df = df.reindex(columns=fields)
    if fmt == "xlsx":
        write_xlsx({sheet: df}, out)
    elif fmt == "parquet":
        pq.write_table(pa.Table.from_pandas(df, preserve_index=False), out)
    elif fmt == "csv":
        flat = df.copy()
        for c in flat.columns:
            if flat[c].dtype == object:
                flat[c] = flat[c].map(_flat)
        flat.to_csv(out, index=False, encoding="utf-8-sig")
    else:
        with out.open("w", encoding="utf-8") as fh:
            for rec in df.to_dict("records"):
                fh.write(json.dumps(rec, ensure_ascii=False, default=_json_default) + "\n")
    return len(df)


def _json_default(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "item"):
        return value.item()
    return str(value)


def write_xlsx(sheets: dict[str, pd.DataFrame], out: str | Path) -> Path:
    """A workbook with bold frozen headers, autofilters and column widths that fit Chinese text.

    Written with xlsxwriter (streaming rows, several times faster than openpyxl for large fact tables).
    """
    out = Path(out)
    with pd.ExcelWriter(out, engine="xlsxwriter") as writer:
        book = writer.book
        header = book.add_format({"bold": True, "bg_color": "#DDEBF7", "border": 1, "text_wrap": False})
        for name, df in sheets.items():
            df = df.copy()
            for c in df.columns:
                if df[c].dtype == object:
                    df[c] = df[c].map(_flat)
            sheet = name[:31]
            df.to_excel(writer, sheet_name=sheet, index=False)
            ws = writer.sheets[sheet]
            for i, col in enumerate(df.columns):
                ws.write(0, i, str(col), header)
            ws.freeze_panes(1, 0)
            if len(df.columns):
                ws.autofilter(0, 0, max(len(df), 1), len(df.columns) - 1)
            for i, col in enumerate(df.columns):
                sample = [str(col)] + [str(v) for v in df[col].head(200).tolist() if v is not None]
                width = max((_display_width(v) for v in sample), default=8)
                ws.set_column(i, i, min(max(8, width + 2), 60))
    return out


def _display_width(text: str) -> int:
    """East Asian characters take two columns in Excel."""
    return sum(2 if ord(ch) > 0x2E80 else 1 for ch in text[:80])
