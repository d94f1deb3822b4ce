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
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
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
                dashboard_address=None,
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
