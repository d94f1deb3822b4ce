"""`zhcorpus themes`: theme / policy-instrument labels, scheme expansion and inter-coder agreement.

Thin layer over :mod:`nlp.themes`; the coding itself runs in ``zhcorpus run`` (table ``themes`` of the store).
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from nlp import themes as th
from nlp.errors import ZhcorpusError
from pipelines.commands import DocOption, fail, to_json, workspace_of

LEVELS = ("document", "section", "paragraph", "sentence")


def _schemes(ws) -> dict[str, th.Scheme]:
    return th.load_schemes(ws.config, ws.root)


def load_theme_frame(ws, *, scheme: str, level: str, doc: str | None = None) -> pd.DataFrame:
    """The store's theme records of one scheme and level as a DataFrame (empty when none); ``doc`` selects
    documents as every --doc does (:mod:`pipelines.selection`)."""
    from pipelines.store import Store

    if not ws.store_path.exists():
        fail(f"no store at {ws.store_path}; run `zhcorpus run` first")
    with Store.open(ws.store_path, read_only=True) as store:
        if not store.has_table("themes"):
            fail("the store has no themes table; run `zhcorpus run` first")
        try:
            names = None if doc is None else store.select_docs(doc)
        except ZhcorpusError as exc:
            fail(str(exc))
        return store.themes(scheme=scheme, level=level, doc=names)


def labels_table(ws, *, scheme: str, level: str, doc: str | None = None) -> pd.DataFrame:
    """Rows doc, heading, themes, scores at section/paragraph level, or the document x code matrix."""
    frame = load_theme_frame(ws, scheme=scheme, level=level, doc=doc)
    if level == "document":
        return th.doc_theme_matrix(frame, scheme=scheme)
    if level == "sentence":
        return frame[frame["labelled"].astype(bool)][
            ["doc", "paragraph", "sentence", "code", "group", "score", "evidence"]
        ]
    return th.section_labels(frame, scheme=scheme, level=level)


def _rich_labels(table: pd.DataFrame, scheme: th.Scheme, level: str) -> Table:
    """The labels for a terminal, codes by their Chinese label (--json gives the same rows with every field)."""
    label = {name: code.label or name for name, code in scheme.codes.items()}
    if level == "document":  # one line per document (the full documents x codes matrix: --json, the report)
        out = Table(title=f"{scheme.name}: strongest themes, score per 1,000 characters / 主要主题（每千字得分）")
        out.add_column("doc")
        out.add_column("themes / 主题")
        for doc, row in table.iterrows():
            top = row[row > 0].sort_values(ascending=False).head(6)
            out.add_row(str(doc), "、".join(f"{label.get(c, c)} {v:.1f}" for c, v in top.items()) or "—")
        return out
    if level == "sentence":
        out = Table(title=f"{scheme.name}: labelled sentences / 句子")
        for col in ("doc", "§", "theme / 主题", "score", "sentence / 句子"):
            out.add_column(col)
        for r in table.itertuples():
            evidence = " … ".join(map(str, r.evidence)) if r.evidence is not None else ""
            out.add_row(r.doc, str(r.paragraph), label.get(r.code, r.code), f"{r.score:.1f}", evidence)
        return out
    out = Table(title=f"{scheme.name}: labels by {level} / 按{'章节' if level == 'section' else '段落'}")
    for col in ("doc", "§", "section / 章节", "themes / 主题 (heaviest first)"):
        out.add_column(col)
    for r in table.itertuples():
        out.add_row(r.doc, str(r.paragraph), r.section, "、".join(label.get(c, c) for c in r.themes) or "—")
    return out


def register(app: typer.Typer) -> None:
    """Add the ``themes`` command group to the zhcorpus app."""
    sub = typer.Typer(invoke_without_command=True, no_args_is_help=False)

    @sub.callback()
    def themes_cli(
        ctx: typer.Context,
        level: Annotated[
            str, typer.Option("--level", help="document | section | paragraph | sentence")
        ] = "document",
        scheme: Annotated[
            str, typer.Option("--scheme", help="Coding scheme: themes | instruments | a workspace scheme")
        ] = "themes",
        doc: DocOption = None,
        as_json: Annotated[bool, typer.Option("--json", help="JSON lines instead of a table")] = False,
    ) -> None:
        """Show the theme labels of the corpus (coded by `zhcorpus run`).

        Example: zhcorpus themes --level section --doc 2019 --json > sections.jsonl
        Example: zhcorpus themes --scheme instruments
        """
        if ctx.invoked_subcommand is not None:
            return
        if level not in LEVELS:
            fail(f"--level must be one of {', '.join(LEVELS)}, got {level!r}", 2)
        ws = workspace_of(ctx)
        if scheme not in _schemes(ws):
            fail(f"unknown scheme {scheme!r}; known: {', '.join(sorted(_schemes(ws)))}", 2)
        table = labels_table(ws, scheme=scheme, level=level, doc=doc)
        if as_json:
            rows = table.reset_index().to_dict("records") if level == "document" else table.to_dict("records")
            for row in rows:
                typer.echo(to_json(row))
        elif table.empty:
            typer.echo("no labels")
        else:
            Console().print(_rich_labels(table, _schemes(ws)[scheme], level))

    @sub.command("expand")
    def expand_cli(
        ctx: typer.Context,
        code: Annotated[str, typer.Argument(help="The code to expand, e.g. talent")],
        scheme: Annotated[str, typer.Option("--scheme", help="Scheme of the code")] = "themes",
        top: Annotated[int, typer.Option("--top", help="How many terms to propose")] = 20,
        retrain: Annotated[bool, typer.Option("--retrain", help="Train the word vectors again")] = False,
    ) -> None:
        """Propose new terms for CODE from word vectors trained on the corpus (models/vectors).

        Accept terms by adding them to <workspace>/themes/<scheme>.toml or [themes.<scheme>.codes.<code>].
        Example: zhcorpus themes expand talent --top 30
        """
        from nlp.vectors import load_vectors, save_vectors
        from pipelines.store import Store

        ws = workspace_of(ctx)
        schemes = _schemes(ws)
        if scheme not in schemes:
            fail(f"unknown scheme {scheme!r}", 2)
        folder = ws.models_dir / "vectors"
        if retrain or not (folder / "vectors.kv").exists():
            if not ws.store_path.exists():
                fail(f"no store at {ws.store_path}; run `zhcorpus run` first")

            class _Tokens:  # re-iterable: gensim reads the corpus once per epoch
                def __iter__(self):
                    with Store.open(ws.store_path, read_only=True) as store:
                        for row in store.iter_tokens():
                            yield list(row["tokens"])

            save_vectors(th.train_vectors(_Tokens()), folder)
        try:
            table = th.expand_code(code, load_vectors(folder), schemes[scheme], top=top)
        except KeyError as exc:
            fail(str(exc.args[0]), 2)
        typer.echo(
            table.to_string(index=False)
            if not table.empty
            else "no proposals (no term of the code is in the vocabulary)"
        )

    @sub.command("agree")
    def agree_cli(
        ctx: typer.Context,
        file: Annotated[
            Path, typer.Argument(help="Hand-label CSV: doc, text|sentence|heading, label(s)", exists=True)
        ],
        scheme: Annotated[
            str,
            typer.Option(
                "--scheme",
                help="Scheme (default: instruments when the labels are "
                "supply/environment/demand/none, else themes)",
            ),
        ] = "",
        from_store: Annotated[
            bool,
            typer.Option(
                "--from-store",
                help="Compare with the stored section labels "
                "(units = doc + heading) instead of coding each text",
            ),
        ] = False,
    ) -> None:
        """Cohen's kappa per code between the tool and a researcher's hand labels.

        Example: zhcorpus themes agree tests/data/instruments_labels.csv
        """
        ws = workspace_of(ctx)
        hand = th.read_hand_labels(file)
        lcol = next((c for c in ("labels", "label", "themes", "codes", "code") if c in hand.columns), None)
        tcol = next((c for c in ("text", "sentence", "heading") if c in hand.columns), None)
        if lcol is None or tcol is None:
            fail(f"{file}: needs a text column and a label column, got {list(hand.columns)}", 2)
        if not scheme:
            seen = set().union(*(th.labels_of(v) for v in hand[lcol]))
            scheme = "instruments" if seen <= {"supply", "environment", "demand"} else "themes"
        schemes = _schemes(ws)
        if scheme not in schemes:
            fail(f"unknown scheme {scheme!r}", 2)
        if from_store:
            tool = labels_table(ws, scheme=scheme, level="section").rename(
                columns={"heading": "text", "themes": "labels"}
            )
        else:
            labels = th.label_texts(hand[tcol], schemes[scheme])
            tool = pd.DataFrame({"doc": hand.get("doc", ""), "text": hand[tcol], "labels": labels})
        typer.echo(th.agreement(tool, hand).to_string(index=False))

    app.add_typer(sub, name="themes")
