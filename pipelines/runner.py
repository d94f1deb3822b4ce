"""Orchestration: find files, skip unchanged ones, map the per-document stages, write results.

The library API behind ``zhcorpus ingest`` and ``zhcorpus run``; usable from a notebook:

    >>> from pipelines.workspace import Workspace
    >>> from pipelines.runner import ingest
    >>> report = ingest(Workspace("."), ["corpus/"])
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.errors import ZhcorpusError
from nlp.readers import SUPPORTED_SUFFIXES
from pipelines.executors import ArrowResult, BatchWriter, make_executor, process_path_arrow
from pipelines.stages import changed_words, pipeline_version, sha256_file, user_words
from pipelines.store import Store
from pipelines.workspace import Workspace

ProgressFn = Callable[[str, int, int, str], None]  # (phase, done, total, message)

SKIP_NAMES = {".DS_Store", "Thumbs.db"}


@dataclass
class IngestReport:
    found: int = 0
    processed: int = 0
    skipped: int = 0
    failed: list[tuple[str, str]] = field(default_factory=list)  # (doc_id, reason)
    removed: int = 0
    seconds: float = 0.0
    bytes_processed: int = 0
    stale: int = 0  # documents redone because a word they contain was added to or removed from the dictionary
    stage_cpu: dict[str, float] = field(default_factory=dict)  # stage -> CPU seconds over the processed files

    def stage_shares(self) -> dict[str, float]:
        """Each stage's CPU time as a share of segmentation (``tokens``), e.g. {"facts": 0.18, ...}."""
        base = self.stage_cpu.get("tokens") or 0.0
        return {k: v / base for k, v in self.stage_cpu.items() if k != "tokens"} if base > 0 else {}

    @property
    def ok(self) -> bool:
        return not self.failed


def discover(paths: Iterable[str | Path]) -> list[Path]:
    """Files to ingest: explicit files as given, folders searched recursively for supported suffixes."""
    found: list[Path] = []
    for p in paths:
        p = Path(p)
        if p.is_dir():
            for f in sorted(p.rglob("*")):
                if f.is_file() and f.suffix.lower() in SUPPORTED_SUFFIXES and f.name not in SKIP_NAMES:
                    if not any(part.startswith(".") for part in f.relative_to(p).parts):
                        found.append(f)
        elif p.exists():
            found.append(p)
        else:
            found.append(p)  # reported as a per-file error below
    seen: set[Path] = set()
    unique = []
    for f in found:
        r = f.resolve()
        if r not in seen:
            seen.add(r)
            unique.append(f)
    return unique


def task_config(ws: Workspace) -> dict[str, Any]:
    """The config every worker receives: the workspace config plus the workspace folder."""
    from pipelines.commands import nlp_config

    return nlp_config(ws)


def _plan(
    ws: Workspace, files: Sequence[Path], known: dict[str, tuple[str, str, str]], *, force: bool
) -> Iterator[tuple[Path, str, str | None, str | None]]:
    """Yield (path, doc_id, sha256 or None when unchanged, error) per file."""
    version = pipeline_version(task_config(ws))
    for f in files:
        doc_id = ws.doc_id(f)
        if not f.exists():
            yield f, doc_id, None, f"{f.name}: no such file"
            continue
        try:
            sha = sha256_file(f)
        except OSError as exc:
            yield f, doc_id, None, f"{f.name}: cannot read ({exc.strerror or exc})"
            continue
        prior = known.get(doc_id)
        if not force and prior is not None and prior == (sha, "ok", version):
            yield f, doc_id, None, None
        else:
            yield f, doc_id, sha, None


def ingest(
    ws: Workspace,
    paths: Sequence[str | Path] | None = None,
    *,
    executor: str | None = None,
    workers: int | None = None,
    address: str | None = None,
    force: bool = False,
    prune: bool = True,
    progress: ProgressFn | None = None,
) -> IngestReport:
    """Ingest files into the workspace store; unchanged files are skipped, failures recorded, others go on.

    Holds the workspace lock for the whole run (a second writer gets WorkspaceBusy). Each document is
    committed on its own, so an interrupted run keeps what it finished and a re-run resumes.
    """
    t0 = time.perf_counter()
    run_cfg = ws.config.get("run", {})
    executor = executor or run_cfg.get("executor", "local")
    workers = workers or int(run_cfg.get("workers", 2))
    if not paths and not ws.corpus_dir.is_dir():  # run in the wrong folder, most likely
        raise ZhcorpusError(
            f"no corpus folder {ws.corpus_dir}: put the documents there, give --workspace the folder that holds "
            f"corpus/, or name files and folders (zhcorpus run PATH...)"
        )
    paths = list(paths) if paths else [ws.corpus_dir]
    report = IngestReport()
    with ws.lock():
        ws.ensure()
        files = discover(paths)
        report.found = len(files)
        with Store.open(ws.store_path) as store:
            config = task_config(ws)
            report.stale = _mark_dictionary_changes(store, config)
            known = store.known()
            todo: list[tuple[str, str, str, dict[str, Any]]] = []
            for f, doc_id, sha, error in _plan(ws, files, known, force=force):
                if error:
                    store.record_failure(doc_id, {"doc": f.name, "path": str(f)}, error)
                    report.failed.append((doc_id, error))
                elif sha is None:
                    report.skipped += 1
                else:
                    todo.append((str(f), doc_id, sha, config))
            if progress:
                progress("ingest", 0, len(todo), f"{report.skipped} unchanged")
            if todo:
                _process(store, todo, report, executor=executor, workers=workers, address=address,
                         batch_size=int(run_cfg.get("batch_size", 16)), progress=progress)
            if prune:
                keep = {ws.doc_id(f) for f in files}
                under = [ws.doc_id(Path(p)) for p in paths if Path(p).is_dir()]
                report.removed = store.forget_missing(keep, under=[u.rstrip("/") + "/" for u in under])
    report.seconds = time.perf_counter() - t0
    return report


def _mark_dictionary_changes(store: Store, config: dict[str, Any]) -> int:
    """Compare the workspace dictionary with the one the stored documents were segmented with; mark the
    documents containing a changed word stale (and save the new dictionary) in one transaction."""
    import json

    now = user_words(config)
    saved = store.get_meta("user_words")
    before = json.loads(saved) if saved else {}
    words = changed_words(before, now)
    if saved is None or words:
        return store.mark_stale(words, meta=("user_words", json.dumps(now, ensure_ascii=False, sort_keys=True)))
    return 0


def _process(
    store: Store, todo: list[tuple[str, str, str, dict[str, Any]]], report: IngestReport, *, executor: str,
    workers: int, address: str | None, batch_size: int, progress: ProgressFn | None,
) -> None:
    """Map the per-document stages over ``todo`` on the executor; commit results in batches as they arrive.

    Workers return Arrow tables; a batch of finished documents is committed in one transaction, so each
    document is stored completely or not at all. On Ctrl-C the finished documents are committed first.
    """
    done = 0

    def committed(result: ArrowResult) -> None:
        nonlocal done
        done += 1
        if result.error:
            report.failed.append((result.doc_id, result.error))
        else:
            report.processed += 1
            report.bytes_processed += int(result.row.get("size") or 0)
            for stage, seconds in result.cpu.items():
                report.stage_cpu[stage] = report.stage_cpu.get(stage, 0.0) + seconds
        if progress:
            progress("ingest", done, len(todo), result.row.get("doc", result.doc_id))

    writer = BatchWriter(store, max_docs=batch_size, on_commit=committed)
    ex = make_executor(executor, workers=min(workers, len(todo)), address=address)
    try:
        for result in ex.map_unordered(process_path_arrow, todo):
            if result.error:
                store.record_failure(result.doc_id, result.row, result.error)
                committed(result)
            else:
                writer.add(result)
        writer.flush()
    except KeyboardInterrupt:
        writer.flush()
        raise
    finally:
        ex.close()


def status(ws: Workspace) -> dict[str, Any]:
    """Counts per table, documents by status and genre, and the failures with their reasons."""
    if not ws.store_path.exists():
        return {"workspace": str(ws.root), "store": None}
    with Store.open(ws.store_path, read_only=True) as store:
        docs = store.documents(status=None)
        return {
            "workspace": str(ws.root),
            "store": str(ws.store_path),
            "tables": store.counts(),
            "by_status": docs["status"].value_counts().to_dict() if len(docs) else {},
            "by_genre": docs["genre"].fillna("?").value_counts().to_dict() if len(docs) else {},
            "failures": docs.loc[docs["status"] == "failed", ["doc", "error"]].to_dict("records") if len(docs) else [],
        }


# --- the main job ---------------------------------------------------------------------------------------------

CorpusStage = Callable[[Workspace, Store, "ProgressFn | None", bool], str | None]
"""A corpus-level stage: (workspace, store, progress, changed) -> a one-line summary or None.

``changed`` says whether any document was added, changed or removed in this run, so a stage can skip work
when nothing changed and its output already exists.
"""

@dataclass
class RunSummary:
    ingest: IngestReport
    stage_lines: list[str] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    stage_errors: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.ingest.ok and not self.stage_errors

    def lines(self) -> list[str]:
        c = self.counts
        out = [
            "documents {d} · paragraphs {p} · facts {f} · rules {r} · measures {m}".format(
                d=c.get("documents_ok", 0), p=c.get("paragraphs", 0), f=c.get("facts", 0),
                r=c.get("rules", 0), m=c.get("measures", 0),
            )
        ]
        out += self.stage_lines
        out += [f"stage failed: {e}" for e in self.stage_errors]
        return out


def run(
    ws: Workspace,
    paths: Sequence[str | Path] | None = None,
    *,
    executor: str | None = None,
    workers: int | None = None,
    address: str | None = None,
    force: bool = False,
    progress: ProgressFn | None = None,
) -> RunSummary:
    """The main job: ingest (all per-document stages), then every corpus-level stage, incrementally."""
    from pipelines.corpus_stages import CORPUS_STAGES

    report = ingest(ws, paths, executor=executor, workers=workers, address=address, force=force, progress=progress)
    summary = RunSummary(report)
    changed = bool(report.processed or report.removed or force)
    with ws.lock(), Store.open(ws.store_path) as store:
        stored = int(store.con.execute("SELECT count(*) FROM documents WHERE status = 'ok'").fetchone()[0])  # type: ignore[index]
        stages = CORPUS_STAGES if stored else ()
        if not stored:  # keywords, topics, search ... of nothing would only fail one after another
            summary.stage_lines.append("corpus stages skipped: no document was read into the store")
        for name, stage in stages:
            try:
                line = stage(ws, store, progress, changed)
            except Exception as exc:  # one corpus stage failing must not hide the others' results
                summary.stage_errors.append(f"{name}: {type(exc).__name__}: {exc}")
                continue
            if line:
                summary.stage_lines.append(f"{name}: {line}")
        summary.counts = store.counts()
        summary.counts["documents_ok"] = stored
    return summary
