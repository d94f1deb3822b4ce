"""The corpus store: one DuckDB file per workspace.

Every per-document table carries ``doc_id`` (the source file's key in the workspace) and is replaced for a
document in ONE transaction, so a crash or Ctrl-C between documents leaves the store consistent and a re-run
resumes with the documents that were not committed.

Tables are declared from record dataclasses (:func:`register_table`), so a stage adds a table by declaring its
record type; plain fields map to DuckDB types, lists of strings to ``VARCHAR[]``, anything else to JSON text.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import duckdb
import pandas as pd
import pyarrow as pa

from nlp.errors import StoreError, WorkspaceBusy
from pipelines.selection import select_docs

SCHEMA_VERSION = 1


@dataclass(frozen=True)
class Column:
    name: str
    sql_type: str
    json: bool = False  # stored as JSON text, decoded on read by callers that want it


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    record: type | None = None

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]


_SCALARS: dict[Any, str] = {str: "VARCHAR", int: "BIGINT", float: "DOUBLE", bool: "BOOLEAN"}


def _sql_type(tp: Any) -> tuple[str, bool]:
    """Map a dataclass field annotation to (DuckDB type, stored-as-json)."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(args) == 1:
            return _sql_type(args[0])
        return "VARCHAR", True
    if tp in _SCALARS:
        return _SCALARS[tp], False
    if origin in (list, tuple, Sequence):
        args = [a for a in typing.get_args(tp) if a is not Ellipsis]
        if len(args) == 1 and args[0] in _SCALARS:
            return _SCALARS[args[0]] + "[]", False
    return "VARCHAR", True


def spec_from_record(name: str, record: type, *, exclude: Iterable[str] = ()) -> TableSpec:
    hints = typing.get_type_hints(record)
    cols = [Column("doc_id", "VARCHAR")]
    for f in dataclasses.fields(record):
        if f.name in exclude or f.name == "doc_id":
            continue
        sql_type, as_json = _sql_type(hints[f.name])
        cols.append(Column(f.name, sql_type, as_json))
    return TableSpec(name, tuple(cols), record)


# --- built-in tables -------------------------------------------------------------------------------------------


def table_spec(name: str, *columns: str) -> TableSpec:
    """A table spec from ``"name TYPE"`` strings (a trailing ``" json"`` marks a column stored as JSON text)."""
    cols = []
    for col in columns:
        column, sql_type = col.split(" ", 1)
        json = sql_type.endswith(" json")
        cols.append(Column(column, sql_type.removesuffix(" json"), json=json))
    return TableSpec(name, tuple(cols))


DOCUMENTS = table_spec(
    "documents",
    "doc_id VARCHAR PRIMARY KEY",
    "doc VARCHAR",
    "path VARCHAR",
    "title VARCHAR",
    "year INTEGER",
    "genre VARCHAR",
    "issuer VARCHAR",
    "doc_number VARCHAR",
    "date VARCHAR",
    "sha256 VARCHAR",
    "size BIGINT",
    "chars BIGINT",
    "format VARCHAR",
    "encoding VARCHAR",
    "status VARCHAR",
    "error VARCHAR",
    "pipeline VARCHAR",
    "updated_at TIMESTAMP",
)

TEXTS = table_spec("texts", "doc_id VARCHAR", "doc VARCHAR", "text VARCHAR")

PARAGRAPHS = table_spec(
    "paragraphs",
    "doc_id VARCHAR",
    "doc VARCHAR",
    "idx INTEGER",
    "kind VARCHAR",
    "level INTEGER",
    "section VARCHAR",
    "section_path VARCHAR[]",
    "text VARCHAR",
    "rows VARCHAR json",
    "char_start INTEGER",
    "char_end INTEGER",
)

SENTENCES = table_spec(
    "sentences",
    "doc_id VARCHAR",
    "doc VARCHAR",
    "para INTEGER",
    "idx INTEGER",
    "text VARCHAR",
    "char_start INTEGER",
    "char_end INTEGER",
)

REMOVALS = table_spec(
    "removals", "doc_id VARCHAR", "doc VARCHAR", "kind VARCHAR", "text VARCHAR", "count INTEGER"
)

TOKENS = table_spec(
    "tokens", "doc_id VARCHAR", "doc VARCHAR", "para INTEGER", "tokens VARCHAR[]", "tags VARCHAR[]"
)


TABLES: dict[str, TableSpec] = {
    t.name: t for t in (DOCUMENTS, TEXTS, PARAGRAPHS, SENTENCES, REMOVALS, TOKENS)
}


def register_table(spec: TableSpec) -> TableSpec:
    """Declare a per-document table (idempotent)."""
    TABLES[spec.name] = spec
    return spec


def section_label(path: Sequence[str]) -> str:
    return " > ".join(path)


def _to_cell(value: Any, column: Column) -> Any:
    if column.json:
        if value is None:
            return None
        if dataclasses.is_dataclass(value):
            value = dataclasses.asdict(value)  # type: ignore[arg-type]
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, tuple):
        return list(value)
    return value


def rows_to_arrow(spec: TableSpec, rows: Sequence[dict[str, Any]]) -> pa.Table:
    data = {c.name: [_to_cell(r.get(c.name), c) for r in rows] for c in spec.columns}
    return pa.table(data) if rows else pa.table({c.name: pa.array([], pa.null()) for c in spec.columns})


class Store:
    """A DuckDB corpus store. Use :meth:`open` (a context manager) or ``Store(memory=True)`` in tests."""

    def __init__(
        self,
        path: str | Path | None = None,
        *,
        memory: bool = False,
        read_only: bool = False,
        memory_limit: str | None = "1GB",
    ) -> None:
        if memory:
            target = ":memory:"
        elif path is None:
            raise StoreError("Store needs a path or memory=True")
        else:
            target = str(path)
        self.path = target
        self.read_only = read_only
        try:
            self.con = duckdb.connect(target, read_only=read_only)
        except duckdb.IOException as exc:
            if "lock" in str(exc).lower():
                raise WorkspaceBusy(
                    f"store {target} is busy: another process has it open for writing"
                ) from exc
            raise StoreError(f"{target}: cannot open the store ({exc})") from exc
        if memory_limit:  # bound DuckDB's cache so the writer's memory does not grow with the corpus
            self.con.execute(f"SET memory_limit = '{memory_limit}'")
        if not read_only:
            import pipelines.stages  # noqa: F401  (declares the per-document stage tables)

            self.create_tables()

    @classmethod
    @contextmanager
    def open(cls, path: str | Path, *, read_only: bool = False) -> Iterator[Store]:
        if read_only and not Path(path).exists():
            raise StoreError(f"{path}: no store yet; run `zhcorpus ingest` or `zhcorpus run` first")
        store = cls(path, read_only=read_only)
        try:
            yield store
        finally:
            store.close()

    def close(self) -> None:
        try:
            if not self.read_only:
                self.con.execute("CHECKPOINT")
        except duckdb.Error:
            pass
        self.con.close()

    # --- schema ---------------------------------------------------------------------------------------------
    def create_tables(self) -> None:
        self.con.execute("CREATE TABLE IF NOT EXISTS meta (key VARCHAR PRIMARY KEY, value VARCHAR)")
        for spec in TABLES.values():
            cols = ", ".join(f'"{c.name}" {c.sql_type}' for c in spec.columns)
            self.con.execute(f'CREATE TABLE IF NOT EXISTS "{spec.name}" ({cols})')
            existing = {r[0] for r in self.con.execute(f'DESCRIBE "{spec.name}"').fetchall()}
            for c in spec.columns:
                if c.name not in existing:
                    sql_type = c.sql_type.replace(" PRIMARY KEY", "")
                    self.con.execute(f'ALTER TABLE "{spec.name}" ADD COLUMN "{c.name}" {sql_type}')
        self.con.execute("INSERT OR REPLACE INTO meta VALUES ('schema_version', ?)", [str(SCHEMA_VERSION)])

    def has_table(self, name: str) -> bool:
        q = "SELECT count(*) FROM information_schema.tables WHERE table_name = ?"
        return bool(self.con.execute(q, [name]).fetchone()[0])  # type: ignore[index]

    # --- writing --------------------------------------------------------------------------------------------
    def known(self) -> dict[str, tuple[str, str, str]]:
        """doc_id -> (sha256, status, pipeline) for every document row."""
        rows = self.con.execute("SELECT doc_id, sha256, status, pipeline FROM documents").fetchall()
        return {r[0]: (r[1], r[2], r[3]) for r in rows}

    def write_document(
        self, doc_id: str, document_row: dict[str, Any], tables: dict[str, list[dict[str, Any]]]
    ) -> None:
        """Replace everything stored for ``doc_id`` in one transaction."""
        row = dict(document_row, doc_id=doc_id, status="ok", error=None, updated_at=_now())
        self.con.execute("BEGIN TRANSACTION")
        try:
            for name, spec in TABLES.items():
                if name in ("documents",):
                    continue
                self.con.execute(f'DELETE FROM "{name}" WHERE doc_id = ?', [doc_id])
            for name, rows in tables.items():
                spec = TABLES[name]
                full = [dict(r, doc_id=doc_id) for r in rows]
                if full:
                    arrow = rows_to_arrow(spec, full)  # noqa: F841  (referenced by name in SQL)
                    cols = ", ".join(f'"{c}"' for c in spec.names)
                    self.con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM arrow')
            self._upsert_document(row)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise

    def mark_stale(
        self, words: Sequence[str], *, meta: tuple[str, str] | None = None, chunk: int = 200
    ) -> int:
        """Mark for re-processing every document whose text contains one of ``words`` (their stored pipeline
        version is replaced, so the next run redoes them); returns how many. Optionally sets one ``meta`` entry
        in the same transaction, so the marks and the state they follow from are saved together."""
        import re

        self.con.execute("BEGIN TRANSACTION")
        try:
            for i in range(0, len(words), chunk):
                pattern = "|".join(re.escape(w) for w in words[i : i + chunk] if w)
                if pattern:
                    self.con.execute(
                        "UPDATE documents SET pipeline = 'stale' WHERE pipeline <> 'stale' AND doc_id IN "
                        "(SELECT doc_id FROM texts WHERE regexp_matches(text, ?))",
                        [pattern],
                    )
            if meta:
                self.set_meta(*meta)
            self.con.execute("COMMIT")
        except BaseException:
            self.con.execute("ROLLBACK")
            raise
        return int(self.con.execute("SELECT count(*) FROM documents WHERE pipeline = 'stale'").fetchone()[0])  # type: ignore[index]

    def record_failure(self, doc_id: str, document_row: dict[str, Any], error: str) -> None:
        """Mark a file as failed; rows of an earlier good version stay (nothing stored is lost)."""
        existing = self.con.execute("SELECT count(*) FROM documents WHERE doc_id = ?", [doc_id]).fetchone()[0]  # type: ignore[index]
        if existing:
            self.con.execute(
                "UPDATE documents SET status = 'failed', error = ?, updated_at = ? WHERE doc_id = ?",
                [error, _now(), doc_id],
            )
        else:
            row = dict(document_row, doc_id=doc_id, status="failed", error=error, updated_at=_now())
            self._upsert_document(row)

    def forget_missing(self, keep: set[str], *, under: Iterable[str]) -> int:
        """Delete documents whose file vanished from the scanned folders (doc_id prefixes in ``under``)."""
        prefixes = list(under)
        gone = [d for d in self.known() if d not in keep and any(d.startswith(p) for p in prefixes)]
        for doc_id in gone:
            self.con.execute("BEGIN TRANSACTION")
            for name in TABLES:
                self.con.execute(f'DELETE FROM "{name}" WHERE doc_id = ?', [doc_id])
            self.con.execute("COMMIT")
        return len(gone)

    def _upsert_document(self, row: dict[str, Any]) -> None:
        cols = DOCUMENTS.names
        self.con.execute("DELETE FROM documents WHERE doc_id = ?", [row["doc_id"]])
        placeholders = ", ".join("?" for _ in cols)
        self.con.execute(
            f"INSERT INTO documents ({', '.join(cols)}) VALUES ({placeholders})", [row.get(c) for c in cols]
        )

    def set_meta(self, key: str, value: str) -> None:
        self.con.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", [key, value])

    def get_meta(self, key: str) -> str | None:
        row = self.con.execute("SELECT value FROM meta WHERE key = ?", [key]).fetchone()
        return row[0] if row else None

    # --- reading --------------------------------------------------------------------------------------------
    def query(self, sql: str, params: Sequence[Any] | None = None) -> pd.DataFrame:
        return self.con.execute(sql, list(params or [])).df()

    def documents(self, *, status: str | None = "ok") -> pd.DataFrame:
        where = "WHERE status = ?" if status else ""
        return self.query(f"SELECT * FROM documents {where} ORDER BY doc_id", [status] if status else None)

    def _doc_filter(self, doc: str | Sequence[str] | None, alias: str = "") -> tuple[str, list[Any]]:
        """SQL for ``doc``: one document by name or key, or several by name (as :func:`select_docs` gives)."""
        if doc is None:
            return "", []
        col = f"{alias}doc" if alias else "doc"
        idc = f"{alias}doc_id" if alias else "doc_id"
        if isinstance(doc, str):
            return f"WHERE ({col} = ? OR {idc} = ?)", [doc, doc]
        names = list(doc)
        if not names:
            return "WHERE FALSE", []
        return f"WHERE {col} IN ({', '.join('?' * len(names))})", names

    def select_docs(self, spec: str, *, option: str = "--doc") -> list[str]:
        """Names of the stored documents ``spec`` selects (name, name without extension, key or glob: see
        :mod:`pipelines.selection`); a ZhcorpusError naming the closest documents when there is none."""
        docs = self.documents()
        return select_docs(spec, docs["doc"].astype(str), docs["doc_id"].astype(str), option=option)

    def paragraphs(self, doc: str | Sequence[str] | None = None) -> pd.DataFrame:
        where, params = self._doc_filter(doc)
        return self.query(
            "SELECT doc_id, doc, idx, kind, level, section, section_path, text, rows, char_start, char_end "
            f"FROM paragraphs {where} ORDER BY doc_id, idx",
            params,
        )

    def sentences(self, doc: str | Sequence[str] | None = None) -> pd.DataFrame:
        where, params = self._doc_filter(doc)
        return self.query(f"SELECT * FROM sentences {where} ORDER BY doc_id, para, idx", params)

    def texts(self, doc: str | Sequence[str] | None = None) -> pd.DataFrame:
        where, params = self._doc_filter(doc)
        return self.query(f"SELECT doc_id, doc, text FROM texts {where} ORDER BY doc_id", params)

    def tokens(self, doc: str | Sequence[str] | None = None) -> pd.DataFrame:
        where, params = self._doc_filter(doc)
        return self.query(
            f"SELECT doc_id, doc, para, tokens, tags FROM tokens {where} ORDER BY doc_id, para", params
        )

    def themes(self, *, scheme: str, level: str, doc: str | Sequence[str] | None = None) -> pd.DataFrame:
        """Theme records of one scheme and level (of ``doc`` only, as the other readers)."""
        where, params = self._doc_filter(doc)
        where = f"{where} AND scheme = ? AND level = ?" if where else "WHERE scheme = ? AND level = ?"
        return self.query(f"SELECT * FROM themes {where}", [*params, scheme, level])

    def iter_rows(
        self, sql: str, params: Sequence[Any] | None = None, *, batch_size: int = 2000
    ) -> Iterator[dict[str, Any]]:
        """Stream a query's rows as dicts without loading the whole result (memory stays flat)."""
        cur = self.con.cursor()
        reader = cur.sql(sql, params=list(params or [])).to_arrow_reader(batch_size)
        for batch in reader:
            yield from batch.to_pylist()
        cur.close()

    def iter_tokens(self, *, batch_size: int = 2000, doc: str | Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
        where, params = self._doc_filter(doc)
        sql = f"SELECT doc_id, doc, para, tokens, tags FROM tokens {where} ORDER BY doc_id, para"
        return self.iter_rows(sql, params, batch_size=batch_size)

    def iter_paragraphs(self, *, batch_size: int = 2000, doc: str | Sequence[str] | None = None) -> Iterator[dict[str, Any]]:
        where, params = self._doc_filter(doc)
        sql = (
            "SELECT doc_id, doc, idx, kind, level, section, text, char_start, char_end "
            f"FROM paragraphs {where} ORDER BY doc_id, idx"
        )
        return self.iter_rows(sql, params, batch_size=batch_size)

    def counts(self) -> dict[str, int]:
        out = {}
        for name in TABLES:
            if self.has_table(name):
                out[name] = int(self.con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0])  # type: ignore[index]
        return out


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)
