"""Language commands: ``segment``, ``keywords``, ``kwic``, ``terms discover``, ``collocates``, ``cooccurrence``.

Each command is thin: it reads paragraphs (and their stored tokens) from the workspace store, calls one
function of the ``nlp`` library (``nlp.lang``, ``nlp.keywords``, ``nlp.kwic``, ``nlp.terms``,
``nlp.collocations``) and prints a rich table or JSON. :func:`load_paragraphs` is the notebook entry point.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.console import Console
from rich.table import Table

from nlp.errors import ZhcorpusError
from pipelines.commands import DocOption, fail, nlp_config, to_json, workspace_of
from pipelines.selection import select_docs

out = Console()
err = Console(stderr=True)






def load_paragraphs(ws: Any, *, doc: str | None = None, tokens: bool = True) -> pd.DataFrame:
    """Paragraphs of the store (doc, idx, kind, section, text) with their stored tokens and tags when present.

    ``doc`` selects documents by name, name without extension, key or glob (:mod:`pipelines.selection`); one
    that names no document raises ZhcorpusError.

    Paragraphs the language stage has not tokenised yet are segmented on the fly by ``paragraph_frame``.
    """
    from nlp.lang import paragraph_frame
    from pipelines.store import Store

    if not Path(ws.store_path).exists():
        raise ZhcorpusError(f"no store at {ws.store_path}: run `zhcorpus run` first")
    with Store.open(ws.store_path, read_only=True) as store:
        docs = None if doc is None else store.select_docs(doc)
        paras = store.paragraphs(docs)
        if tokens and store.has_table("tokens"):
            toks = store.tokens(docs)
            if len(toks):
                toks = toks.rename(columns={"para": "idx"})[["doc_id", "idx", "tokens", "tags"]]
                paras = paras.merge(toks, on=["doc_id", "idx"], how="left")
    paras = paras.astype({"doc": str})
    if "tokens" in paras.columns:
        paras["tokens"] = [
            list(t) if isinstance(t, (list, tuple)) or hasattr(t, "tolist") else None for t in paras["tokens"]
        ]
        paras["tags"] = [
            list(t) if isinstance(t, (list, tuple)) or hasattr(t, "tolist") else None for t in paras["tags"]
        ]
    return paragraph_frame(paras, tokens=tokens, config=nlp_config(ws))


def _paragraphs_or_fail(ws: Any, **kwargs: Any) -> pd.DataFrame:
    """:func:`load_paragraphs` for a command: a store error becomes the one-line error and exit code 1."""
    try:
        return load_paragraphs(ws, **kwargs)
    except ZhcorpusError as exc:
        fail(str(exc))


def _print_frame(frame: pd.DataFrame, *, as_json: bool, title: str = "") -> None:
    if as_json:
        typer.echo(to_json(frame.to_dict(orient="records")))
        return
    table = Table(title=title or None)
    for col in frame.columns:
        table.add_column(str(col))
    for row in frame.itertuples(index=False):
        table.add_row(*[f"{v:.3f}" if isinstance(v, float) else str(v) for v in row])
    out.print(table)


def _config_without_workspace(ctx: typer.Context) -> dict[str, Any]:
    obj = ctx.find_root().obj or {}
    if obj.get("workspace") is not None:
        return nlp_config(obj["workspace"])
    toml = Path("zhcorpus.toml")
    if toml.exists():
        from pipelines.workspace import load_config

        return {**load_config(toml), "_root": str(Path.cwd())}
    return {}


def segment_cli(
    ctx: typer.Context,
    text: Annotated[str | None, typer.Argument(help="Text to segment")] = None,
    file: Annotated[
        Path | None,
        typer.Option("--file", "-f", help="Read the text from a file, as ingest reads it (GB18030 text, PDF, DOCX ...)"),
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON {tokens: [{text, tag, pos}]}")] = False,
) -> None:
    """Segment and tag a text exactly as the pipeline does (check your dictionary).

    Example: zhcorpus segment "推动跨境电商综合试验区建设" --json
    Example: zhcorpus segment --file corpus/report.pdf
    """
    from nlp.lang import segment
    from nlp.readers import read_file

    if file is not None:
        try:
            text = read_file(file).text
        except ZhcorpusError as exc:  # one line naming the file and the reason
            fail(str(exc))
    if not text:
        fail("give a TEXT argument or --file F")
    tokens = segment(text or "", config=_config_without_workspace(ctx))
    if as_json:
        typer.echo(json.dumps({"tokens": tokens}, ensure_ascii=False))
    else:
        typer.echo(" ".join(f"{t['text']}/{t['tag']}" for t in tokens if not t["text"].isspace()))


def keywords_cli(
    ctx: typer.Context,
    doc: DocOption = None,
    by: Annotated[str, typer.Option("--by", help="section | document | corpus")] = "document",
    vs: Annotated[
        str | None, typer.Option("--vs", help="Reference documents for keyness (as --doc; less the --doc ones)")
    ] = None,
    method: Annotated[str, typer.Option("--method", help="tfidf | textrank | keyness")] = "tfidf",
    top: Annotated[int, typer.Option("--top", "-n", help="Keywords per group")] = 10,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Keywords per document, section or corpus (phrase TF-IDF, TextRank, or keyness).

    With --vs, keyness of the selected documents against the --vs documents; without it, keyness is against
    jieba's dictionary frequencies.

    Example: zhcorpus keywords --by section --doc report.pdf --top 8
    Example: zhcorpus keywords --by corpus --vs "2019*" --top 20 --json
    """
    from nlp.keywords import keywords

    ws = workspace_of(ctx)
    paras = _paragraphs_or_fail(ws)
    reference = None
    names = paras["doc"].unique().tolist()
    try:
        chosen = None if doc is None else set(select_docs(doc, names))
        if vs is not None:  # the reference is the --vs documents other than those studied
            against = set(select_docs(vs, names, option="--vs")) - (chosen or set())
            if not against:
                fail(f"--vs {vs!r} names no document besides the --doc ones")
            reference = paras[paras["doc"].isin(against)]
            paras = paras[~paras["doc"].isin(against)]
            method = "keyness"
        if chosen is not None:
            paras = paras[paras["doc"].isin(chosen)]
    except ZhcorpusError as exc:
        fail(str(exc))
    try:
        table = keywords(paras, by=by, method=method, top=top, vs=reference, config=nlp_config(ws))
    except ValueError as exc:
        fail(str(exc))
        return
    _print_frame(table, as_json=as_json, title=f"keywords by {by} ({method})")


def kwic_cli(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(help="Substring (or regex with --regex) to find")],
    regex: Annotated[bool, typer.Option("--regex", help="TERM is a regular expression")] = False,
    window: Annotated[int, typer.Option("--window", "-w", help="Characters of context on each side")] = 15,
    doc: DocOption = None,
    limit: Annotated[int, typer.Option("--limit", help="Show at most this many hits (0 = all)")] = 0,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Key word in context over the cleaned text: every hit with doc, section and sentence.

    Example: zhcorpus kwic 人才 --window 10
    """
    from nlp.kwic import kwic

    ws = workspace_of(ctx)
    try:
        paras = load_paragraphs(ws, doc=doc, tokens=False)
        hits = kwic(paras, term, regex=regex, window=window)
    except (ZhcorpusError, ValueError) as exc:
        fail(str(exc))
        return
    shown = hits.head(limit) if limit else hits
    if as_json:
        _print_frame(shown, as_json=True)
        return
    _print_frame(
        shown[["doc", "section", "left", "keyword", "right"]],
        as_json=False,
        title=f"{len(hits)} hits of {term}",
    )


terms_app = typer.Typer(
    help="Discover domain terms the dictionary lacks.\n\nExample: zhcorpus terms discover --top 30 --add",
    no_args_is_help=True,
)


@terms_app.command("discover")
def terms_discover_cli(
    ctx: typer.Context,
    top: Annotated[int, typer.Option("--top", "-n", help="How many candidates")] = 30,
    min_freq: Annotated[int, typer.Option("--min-freq", help="Minimum corpus frequency")] = 5,
    add: Annotated[
        bool, typer.Option("--add", help="Add the proposed terms to the workspace dictionary")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Propose multi-character terms from corpus statistics (frequency, PMI, branching entropy).

    --add writes them to the workspace's user_dict.txt; the documents containing them are listed so that
    the next `zhcorpus run` segments them again.

    Example: zhcorpus terms discover --top 30
    """
    from nlp.lexicons import USER_DICT_NAME
    from nlp.terms import add_terms, affected_paragraphs, discover_terms

    ws = workspace_of(ctx)
    paras = _paragraphs_or_fail(ws)
    table = discover_terms(paras, top=top, min_freq=min_freq, config=nlp_config(ws))
    _print_frame(table, as_json=as_json, title="candidate terms")
    if add and len(table):
        added = add_terms(table["term"], Path(ws.root) / USER_DICT_NAME)
        affected = affected_paragraphs(paras, added)
        docs = sorted(set(affected["doc"]))
        err.print(f"added {len(added)} terms to {Path(ws.root) / USER_DICT_NAME}; "
                  f"{len(affected)} paragraphs in {len(docs)} documents to segment again")  # fmt: skip


def collocates_cli(
    ctx: typer.Context,
    term: Annotated[str, typer.Argument(help="The node term (a token)")],
    window: Annotated[int, typer.Option("--window", "-w", help="Content tokens on each side")] = 5,
    top: Annotated[int, typer.Option("--top", "-n")] = 20,
    min_count: Annotated[int, typer.Option("--min-count")] = 2,
    doc: DocOption = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Collocates of a term by log-likelihood, with MI and t-score.

    Example: zhcorpus collocates 数字贸易 --window 5 --top 20 --doc "2025年*"
    """
    from nlp.collocations import collocates

    ws = workspace_of(ctx)
    paras = _paragraphs_or_fail(ws, doc=doc)
    table = collocates(paras, term, window=window, min_count=min_count, config=nlp_config(ws)).head(top)
    if table.empty:
        err.print(f"note: {_why_no_collocates(paras, term, min_count, nlp_config(ws))}", highlight=False)
    _print_frame(table, as_json=as_json, title=f"collocates of {term}")


def _why_no_collocates(paras: pd.DataFrame, term: str, min_count: int, config: dict[str, Any]) -> str:
    """Why a term has no collocates: absent, never one token (how it is cut instead), or too rare."""
    from nlp.lang import segment

    as_token = sum(list(t).count(term) for t in paras["tokens"] if t is not None)
    if as_token:
        return f"{term} is a token {as_token} times, but no word occurs --min-count {min_count} times near it"
    as_text = int(paras["text"].str.count(re.escape(term)).sum())
    if not as_text:
        return f"{term} does not occur in the selected text"
    cut = "/".join(t["text"] for t in segment(term, config=config))
    return (
        f"{term} occurs {as_text} times but is never one token (it is cut {cut}): add it to user_dict.txt "
        f"(zhcorpus terms discover --add) or use zhcorpus kwic"
    )


def cooccurrence_cli(
    ctx: typer.Context,
    output: Annotated[Path, typer.Option("--output", "-o", help="Output .gexf (Gephi) or .csv (edge list)")],
    unit: Annotated[str, typer.Option("--unit", help="sentence | paragraph")] = "sentence",
    top_terms: Annotated[int, typer.Option("--top-terms", help="Most frequent terms kept as nodes")] = 200,
    min_weight: Annotated[int, typer.Option("--min-weight", help="Minimum shared units per edge")] = 2,
    doc: DocOption = None,
) -> None:
    """Export a term co-occurrence network for Gephi (GEXF, or CSV edge list when FILE ends in .csv).

    Example: zhcorpus cooccurrence -o reports/network.gexf --unit sentence --top-terms 150
    """
    from nlp.collocations import cooccurrence, write_edges_csv, write_gexf

    ws = workspace_of(ctx)
    try:
        paras = load_paragraphs(ws, doc=doc)
        nodes, edges = cooccurrence(
            paras, unit=unit, top_terms=top_terms, min_weight=min_weight, config=nlp_config(ws)
        )
    except (ZhcorpusError, ValueError) as exc:
        fail(str(exc))
        return
    output.parent.mkdir(parents=True, exist_ok=True)
    if output.suffix.lower() == ".csv":
        write_edges_csv(edges, output)
    else:
        write_gexf(nodes, edges, output)
    err.print(f"wrote {len(nodes)} nodes, {len(edges)} edges to {output}")


def register(app: typer.Typer) -> None:
    """Add the language commands to the zhcorpus app."""
    app.command("segment")(segment_cli)
    app.command("keywords")(keywords_cli)
    app.command("kwic")(kwic_cli)
    app.command("collocates")(collocates_cli)
    app.command("cooccurrence")(cooccurrence_cli)
    app.add_typer(terms_app, name="terms")
