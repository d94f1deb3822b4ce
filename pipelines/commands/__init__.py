"""CLI command groups; each module defines ``register(app)`` and is added by :mod:`pipelines.cli`.

The helpers here are shared by every command module: the workspace of the global ``--workspace`` option,
a one-line error exit, and the config the nlp layer receives.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated, Any, NoReturn

import typer
from rich.console import Console

MODULES = ("lang", "themes", "explore", "report")

err = Console(stderr=True)

# --doc of every command that reads a subset of the corpus (the rule: pipelines.selection)
DocOption = Annotated[
    str | None, typer.Option("--doc", help="Only these documents: name, name without extension, or glob")
]


def workspace_of(ctx: typer.Context) -> Any:
    """The workspace of the global option (or the current directory)."""
    from pipelines.workspace import Workspace

    obj = ctx.find_root().obj or {}
    return obj.get("workspace") or Workspace(Path("."))


def to_json(obj: Any) -> str:
    """JSON for --json output: Chinese as is; numpy arrays and numbers (list and scalar cells of a DataFrame read
    from the store) as JSON lists and numbers, not as their printed form; anything else as its string."""

    def plain(value: Any) -> Any:
        return value.tolist() if hasattr(value, "tolist") else str(value)

    return json.dumps(obj, ensure_ascii=False, default=plain)


def fail(message: str, code: int = 1) -> NoReturn:
    """Print a one-line error and exit with ``code``."""
    err.print(f"[red]error:[/red] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(code)


def nlp_config(ws: Any) -> dict[str, Any]:
    """The workspace config for the nlp layer and the workers, with the workspace folder, so that
    ``user_dict.txt`` and ``themes/*.toml`` are found in every process."""
    return {**(ws.config or {}), "_root": str(ws.root), "_workspace": str(ws.root)}
