"""The zhcorpus command line: a thin typer layer over the library (pipelines.runner, pipelines.exports ...)."""

from __future__ import annotations

import importlib
import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from nlp.errors import ZhcorpusError
from pipelines.commands import fail, workspace_of
from pipelines.workspace import Workspace

app = typer.Typer(
    name="zhcorpus",
    help="Chinese policy/report corpus analyzer: ingest, segment, extract facts, map themes, topics, search.\n\n"
    "Example: zhcorpus run    (in a workspace folder holding corpus/)\n\n"
    "Example: zhcorpus export facts --format csv -o facts.csv",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
console = Console(stderr=True)
INTERRUPTED = "interrupted: finished documents are stored; run the same command again to resume"
out = Console()


@app.callback()
def main_callback(
    ctx: typer.Context,
    workspace: Annotated[
        Path, typer.Option("--workspace", "-w", help="Workspace folder (corpus/, models/, reports/, store).")
    ] = Path("."),
) -> None:
    """zhcorpus: a Chinese-text corpus analyzer.

    Example: zhcorpus --workspace myproject run
    """
    ctx.ensure_object(dict)
    ctx.obj["workspace"] = Workspace(workspace)


get_workspace = workspace_of


def make_progress() -> Progress:
    return Progress(
        TextColumn("[bold]{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
        TextColumn("{task.fields[msg]}", style="dim"),
        console=console,
        transient=False,
        disable=not console.is_terminal and "ZHCORPUS_PROGRESS" not in __import__("os").environ,
    )


class ProgressBridge:
    """Turns the library's progress callbacks into rich progress bars, one per phase."""

    def __init__(self, progress: Progress, *, verbose: bool = False) -> None:
        self.progress = progress
        self.verbose = verbose
        self.tasks: dict[str, int] = {}

    def __call__(self, phase: str, done: int, total: int, msg: str) -> None:
        if self.verbose and phase == "ingest" and done:
            print(f"done {done}/{total} {msg}", file=sys.stderr, flush=True)
        if phase not in self.tasks:
            self.tasks[phase] = self.progress.add_task(phase, total=total or None, msg="")
        self.progress.update(self.tasks[phase], completed=done, total=total or None, msg=msg[:40])


def print_ingest(report) -> None:  # type: ignore[no-untyped-def]
    console.print(
        f"[bold]{report.found}[/bold] files: {report.processed} processed, {report.skipped} unchanged, "
        f"{len(report.failed)} failed, {report.removed} removed ({report.seconds:.1f} s)",
        highlight=False,
    )
    if report.stage_cpu:
        parts = ", ".join(f"{k} {v:.2f}" for k, v in report.stage_cpu.items())
        console.print(f"stage CPU seconds (all workers): {parts}", highlight=False)
    if report.stale:
        console.print(f"{report.stale} documents contain words added to or removed from the dictionary: segmented again",
                      highlight=False)
    for doc_id, reason in report.failed:
        console.print(f"[red]failed[/red] {doc_id}: {reason}", highlight=False, soft_wrap=True)


def _run_job(ctx: typer.Context, job: Any, paths: Any, workers: Any, executor: Any, scheduler: Any,
             force: bool, verbose: bool) -> Any:
    """Run ``ingest`` or ``run`` with a progress display; errors and Ctrl-C become one-line messages."""
    try:
        with make_progress() as progress:
            return job(
                get_workspace(ctx), paths or None, executor=executor, workers=workers, address=scheduler,
                force=force, progress=ProgressBridge(progress, verbose=verbose),
            )
    except ZhcorpusError as exc:
        fail(str(exc))
    except KeyboardInterrupt:
        fail(INTERRUPTED, 130)


@app.command("ingest")
def ingest_cli(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: corpus/).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes.")] = None,
    executor: Annotated[str | None, typer.Option(help="local | inline | dask")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address tcp://HOST:PORT.")] = None,
    force: Annotated[bool, typer.Option(help="Reprocess unchanged files too.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every finished document.")] = False,
) -> None:
    """Read, clean and structure documents into the store; unchanged files are skipped.

    Exits non-zero when any file failed (each failure is listed with its reason).

    Example: zhcorpus ingest corpus/ reports/2024/ --workers 2
    """
    from pipelines.runner import ingest

    report = _run_job(ctx, ingest, paths, workers, executor, scheduler, force, verbose)
    print_ingest(report)
    if report.failed:
        raise typer.Exit(1)


@app.command("run")
def run_cli(
    ctx: typer.Context,
    paths: Annotated[list[Path] | None, typer.Argument(help="Files or folders (default: corpus/).")] = None,
    workers: Annotated[int | None, typer.Option(help="Worker processes (local) or Dask workers.")] = None,
    executor: Annotated[str | None, typer.Option(help="local | inline | dask")] = None,
    scheduler: Annotated[str | None, typer.Option(help="Dask scheduler address tcp://HOST:PORT.")] = None,
    force: Annotated[bool, typer.Option(help="Reprocess unchanged files too.")] = False,
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="List every finished document.")] = False,
) -> None:
    """The main job: ingest everything under corpus/ and run every stage (incremental).

    Example: zhcorpus --workspace . run
    """
    from pipelines.runner import run

    summary = _run_job(ctx, run, paths, workers, executor, scheduler, force, verbose)
    print_ingest(summary.ingest)
    for line in summary.lines():
        console.print(line, highlight=False)
    if not summary.ok:
        raise typer.Exit(1)


@app.command("export")
def export_cli(
    ctx: typer.Context,
    table: Annotated[str, typer.Argument(help="documents | paragraphs | sentences | facts | rules | measures | ...")],
    format: Annotated[str, typer.Option("--format", "-f", help="csv | xlsx | parquet | jsonl")] = "csv",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file.")] = None,
) -> None:
    """Export a table. CSV is UTF-8 with a BOM so Excel shows Chinese.

    Example: zhcorpus export facts --format xlsx -o facts.xlsx
    """
    from pipelines.exports import export_table
    from pipelines.store import Store

    ws = get_workspace(ctx)
    output = output or Path(f"{table}.{format}")
    try:
        with Store.open(ws.store_path, read_only=True) as store:
            n = export_table(store, table, format, output)
    except ZhcorpusError as exc:
        fail(str(exc))
        return
    console.print(f"wrote {n} rows to {output}", highlight=False)


@app.command("status")
def status_cli(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="JSON output.")] = False,
) -> None:
    """Summarise the workspace: tables, documents by status and genre, failures.

    Example: zhcorpus status --json
    """
    from pipelines.runner import status

    try:
        info = status(get_workspace(ctx))
    except ZhcorpusError as exc:
        fail(str(exc))
        return
    if as_json:
        out.print_json(json.dumps(info, ensure_ascii=False, default=str))
        return
    if info.get("store") is None:
        out.print(f"workspace {info['workspace']}: no store yet (run `zhcorpus run`)")
        return
    t = Table(title=f"zhcorpus workspace {info['workspace']}")
    t.add_column("table / 表")
    t.add_column("rows / 行数", justify="right")
    for name, n in info["tables"].items():
        t.add_row(name, str(n))
    out.print(t)
    out.print(f"documents by status: {info['by_status']}  by genre: {info['by_genre']}")
    for f in info["failures"]:
        out.print(f"[red]failed[/red] {f['doc']}: {f['error']}", highlight=False, soft_wrap=True)


def _register_command_modules() -> None:
    from pipelines.commands import MODULES

    for name in MODULES:
        try:
            module = importlib.import_module(f"pipelines.commands.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"pipelines.commands.{name}":
                continue  # that command group is not part of this build
            raise
        module.register(app)


_register_command_modules()


def main() -> None:
    try:
        app()
    except ZhcorpusError as exc:
        console.print(f"[red]error:[/red] {exc}", highlight=False, soft_wrap=True)
        sys.exit(1)
    except KeyboardInterrupt:
        console.print(INTERRUPTED, highlight=False)
        sys.exit(130)


if __name__ == "__main__":
    main()
