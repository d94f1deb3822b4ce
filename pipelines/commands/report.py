"""`zhcorpus report`: write reports/index.html (offline, self-contained) and reports/zhcorpus.xlsx from the store."""

from __future__ import annotations

import webbrowser
from pathlib import Path
from typing import Annotated

import typer

from nlp.errors import ZhcorpusError
from pipelines.commands import workspace_of


def report(workspace, *, title: str = "zhcorpus 语料分析报告") -> tuple[Path, Path]:  # type: ignore[no-untyped-def]
    """Build both report files of ``workspace`` (a pipelines.workspace.Workspace); returns (html, xlsx)."""
    from pipelines.report import build_report, build_workbook
    from pipelines.store import Store

    with Store.open(workspace.store_path, read_only=True) as store:
        html_path = build_report(store, workspace.reports_dir, title=title)
        xlsx_path = build_workbook(store, workspace.reports_dir / "zhcorpus.xlsx")
    return html_path, xlsx_path


def register(app: typer.Typer) -> None:
    """Add the `report` command to the zhcorpus app."""

    @app.command("report")
    def report_cli(
        ctx: typer.Context,
        open_: Annotated[
            bool, typer.Option("--open", help="Open the HTML report in the default browser.")
        ] = False,
        title: Annotated[str | None, typer.Option(help="Report title.")] = None,
    ) -> None:
        """Write reports/index.html (one offline file: charts, tables, drill-downs) and reports/zhcorpus.xlsx.

        Sections: corpus overview, theme map, policy instruments, topics, keywords, facts, rule references,
        named measures, similar documents. A section whose analysis has not run yet says so (暂无数据).

        Example: zhcorpus --workspace . report --open
        """
        from pipelines.cli import console, fail

        ws = workspace_of(ctx)
        try:
            html_path, xlsx_path = report(ws, title=title or "zhcorpus 语料分析报告")
        except ZhcorpusError as exc:
            fail(str(exc))
            return
        console.print(f"wrote {html_path}\nwrote {xlsx_path}", highlight=False)
        if open_:
            webbrowser.open(html_path.resolve().as_uri())
