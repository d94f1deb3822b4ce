"""Executors: map a per-document function over tasks, yielding results as they complete.

The only place that knows about processes and clusters. Every executor streams: at most ``max_pending``
tasks are in flight, so memory does not grow with the number of documents.

- :class:`InlineExecutor` runs in the calling process (tests, tiny inputs, debugging).
- :class:`LocalExecutor` uses a pool of local worker processes (``forkserver``: workers never inherit the
  store's open DuckDB connection or its threads).
- :class:`DaskExecutor` runs on a ``dask.distributed`` cluster (a LocalCluster it starts, or a scheduler
  address).
"""

from __future__ import annotations

import multiprocessing as mp
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from dataclasses import dataclass, field
from typing import Any, Protocol, TypeVar

T = TypeVar("T")
R = TypeVar("R")


class Executor(Protocol):
    name: str

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]: ...

    def close(self) -> None: ...


class InlineExecutor:
    name = "inline"

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        for task in tasks:
            yield fn(task)

    def close(self) -> None:
        pass

    def __enter__(self) -> InlineExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def _warm_worker() -> None:
    """Import the stage code once per worker, so the first document does not pay for it."""
    import pipelines.stages  # noqa: F401


class LocalExecutor:
    name = "local"

    def __init__(self, workers: int = 2, *, max_pending: int | None = None) -> None:
        self.workers = max(1, workers)
        self.max_pending = max_pending or self.workers * 4
        self._pool: ProcessPoolExecutor | None = None

    def _get_pool(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ctx = mp.get_context("forkserver")
            self._pool = ProcessPoolExecutor(self.workers, mp_context=ctx, initializer=_warm_worker)
        return self._pool

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        pool = self._get_pool()
        pending: set[Future[R]] = set()
        it = iter(tasks)
        exhausted = False
        try:
            while True:
                while not exhausted and len(pending) < self.max_pending:
                    try:
                        pending.add(pool.submit(fn, next(it)))
                    except StopIteration:
                        exhausted = True
                if not pending:
                    return
                done, pending = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    yield fut.result()
        except BaseException:
            for fut in pending:
                fut.cancel()
            self.close(cancel=True)
            raise

    def close(self, *, cancel: bool = False) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=not cancel, cancel_futures=cancel)
            self._pool = None

    def __enter__(self) -> LocalExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DaskExecutor:
    """Run tasks on dask.distributed workers. ``address`` = an existing scheduler, else a LocalCluster."""

    name = "dask"

    def __init__(self, *, address: str | None = None, workers: int = 2, max_pending: int | None = None) -> None:
        from dask.distributed import Client, LocalCluster

        self._cluster = None
        if address:
            self.client = Client(address)
        else:
            self._cluster = LocalCluster(
                n_workers=workers, threads_per_worker=1, processes=True, host="127.0.0.1",
                dashboard_address="127.0.0.1:0",  # a free local port: no clash with another cluster's 8787
            )
            self.client = Client(self._cluster)
        n = len(self.client.scheduler_info().get("workers", {})) or workers
        self.max_pending = max_pending or max(4, n * 4)

    def map_unordered(self, fn: Callable[[T], R], tasks: Iterable[T]) -> Iterator[R]:
        from dask.distributed import as_completed

        it = iter(tasks)
        first = [self.client.submit(fn, t, pure=False) for _, t in zip(range(self.max_pending), it, strict=False)]
        if not first:
            return
        ac = as_completed(first)
        try:
            for fut in ac:
                result = fut.result()
                fut.release()
                try:
                    ac.add(self.client.submit(fn, next(it), pure=False))
                except StopIteration:
                    pass
                yield result
        except BaseException:
            self.client.cancel(list(ac.futures))
            raise

    def close(self) -> None:
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def __enter__(self) -> DaskExecutor:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def make_executor(kind: str = "local", *, workers: int = 2, address: str | None = None) -> Any:
    if kind == "inline" or (kind == "local" and workers <= 1):
        return InlineExecutor()
    if kind == "local":
        return LocalExecutor(workers)
    if kind == "dask":
        return DaskExecutor(address=address, workers=workers)
    raise ValueError(f"unknown executor {kind!r}: expected local, inline or dask")


# --- results as Arrow batches ----------------------------------------------------------------------------------
#
# Workers turn each document's rows into Arrow tables (typed by the store's table specs), so the single writer
# (the main process) only concatenates and inserts: converting Python dicts to columns was half of its time.
# The writer commits a *batch* of documents in one transaction (one DELETE scan per table per batch instead of
# per document); a batch is all-or-nothing, so every document is either fully stored or not at all.


@dataclass
class ArrowResult:
    """One document's result with its tables as Arrow (what a worker sends back)."""

    doc_id: str
    row: dict[str, Any]
    tables: dict[str, Any] = field(default_factory=dict)  # table name -> pyarrow.Table
    error: str | None = None
    cpu: dict[str, float] = field(default_factory=dict)  # stage -> CPU seconds on the worker

    @property
    def nbytes(self) -> int:
        return sum(t.nbytes for t in self.tables.values())


_ARROW_SCALARS = {
    "VARCHAR": "string", "BIGINT": "int64", "INTEGER": "int32", "DOUBLE": "float64", "BOOLEAN": "bool_",
}


def arrow_type(sql_type: str) -> Any:
    """The Arrow type for a store column type (``None`` when unknown: let Arrow infer)."""
    import pyarrow as pa

    base = sql_type.replace(" PRIMARY KEY", "").strip()
    if base == "TIMESTAMP":
        return pa.timestamp("us")
    if base.endswith("[]"):
        inner = arrow_type(base[:-2])
        return pa.list_(inner) if inner is not None else None
    name = _ARROW_SCALARS.get(base)
    return getattr(pa, name)() if name else None


def arrow_table(spec: Any, rows: Sequence[dict[str, Any]]) -> Any:
    """Rows of one table as a pyarrow.Table with the store's column types.

    Falls back to Arrow's inference (what the store did before) when a value does not fit the declared type,
    so the stored result is the same either way.
    """
    import pyarrow as pa

    from pipelines.store import _to_cell, rows_to_arrow

    types = [arrow_type(c.sql_type) for c in spec.columns]
    if any(t is None for t in types):
        return rows_to_arrow(spec, rows)
    arrays = []
    try:
        for c, t in zip(spec.columns, types, strict=True):
            arr = pa.array([_to_cell(r.get(c.name), c) for r in rows])
            # a safe cast: raises instead of truncating 1.5 to 1 or overflowing
            arrays.append(arr if arr.type == t else arr.cast(t, safe=True))
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, OverflowError, TypeError):
        return rows_to_arrow(spec, rows)
    return pa.Table.from_arrays(arrays, names=spec.names)


def to_arrow_result(result: Any) -> ArrowResult:
    """A :class:`pipelines.stages.DocResult` with its tables converted to Arrow (``doc_id`` column filled in)."""
    from pipelines.store import TABLES

    if result.error:
        return ArrowResult(result.doc_id, result.row, error=result.error)
    tables = {}
    for name, rows in result.tables.items():
        if rows:
            tables[name] = arrow_table(TABLES[name], [dict(r, doc_id=result.doc_id) for r in rows])
    return ArrowResult(result.doc_id, result.row, tables, cpu=dict(result.cpu))


def process_path_arrow(task: tuple[str, str, str, dict[str, Any]]) -> ArrowResult:
    """Run every per-document stage over one file (on a worker) and return its tables as Arrow."""
    from pipelines.stages import process_path

    return to_arrow_result(process_path(task))


def write_batch(store: Any, results: Sequence[ArrowResult]) -> None:
    """Replace everything stored for the documents of ``results`` in ONE transaction (all or nothing)."""
    import pyarrow as pa

    from pipelines.store import DOCUMENTS, TABLES, _now

    if not results:
        return
    con = store.con
    now = _now()
    ids = pa.table({"doc_id": pa.array([r.doc_id for r in results], pa.string())})
    docs = arrow_table(DOCUMENTS, [dict(r.row, doc_id=r.doc_id, status="ok", error=None, updated_at=now) for r in results])
    names = sorted({n for r in results for n in r.tables})
    con.execute("BEGIN TRANSACTION")
    try:
        con.register("_batch_ids", ids)
        for name in TABLES:
            con.execute(f'DELETE FROM "{name}" WHERE doc_id IN (SELECT doc_id FROM _batch_ids)')
        for name in names:
            parts = [r.tables[name] for r in results if name in r.tables]
            try:
                groups = [pa.concat_tables(parts, promote_options="permissive")]
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                groups = parts  # inferred types differ between documents: insert one by one (DuckDB casts)
            for arrow in groups:
                _insert(con, TABLES[name], arrow)
        _insert(con, DOCUMENTS, docs)
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise
    finally:
        con.unregister("_batch_ids")


def _insert(con: Any, spec: Any, arrow: Any) -> None:
    cols = ", ".join(f'"{c}"' for c in spec.names)
    con.register("_batch_rows", arrow)
    try:
        con.execute(f'INSERT INTO "{spec.name}" ({cols}) SELECT {cols} FROM _batch_rows')
    finally:
        con.unregister("_batch_rows")


class BatchWriter:
    """Collects finished documents and commits them in batches (by count, Arrow bytes or age).

    ``on_commit(result)`` is called for each document once it is durably stored, so progress reports only
    what a crash would keep.
    """

    def __init__(
        self, store: Any, *, max_docs: int = 16, max_bytes: int = 64 << 20, max_seconds: float = 5.0,
        on_commit: Callable[[ArrowResult], None] | None = None,
    ) -> None:
        self.store = store
        self.max_docs = max(1, max_docs)
        self.max_bytes = max_bytes
        self.max_seconds = max_seconds
        self.on_commit = on_commit
        self._pending: list[ArrowResult] = []
        self._bytes = 0
        self._since = time.monotonic()

    def add(self, result: ArrowResult) -> None:
        if not self._pending:
            self._since = time.monotonic()
        self._pending.append(result)
        self._bytes += result.nbytes
        if (
            len(self._pending) >= self.max_docs
            or self._bytes >= self.max_bytes
            or time.monotonic() - self._since >= self.max_seconds
        ):
            self.flush()

    def flush(self) -> None:
        batch, self._pending, self._bytes = self._pending, [], 0
        if not batch:
            return
        write_batch(self.store, batch)
        if self.on_commit:
            for r in batch:
                self.on_commit(r)
