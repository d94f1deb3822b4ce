"""Explore commands: ``topics``, ``search``, ``similar``, ``neighbors`` (issue 6).

Each command is thin: it opens the workspace store read-only, calls one plain function of this module (usable
from a notebook: ``build_search_index(ws)``, ``fit_topics(ws, ...)`` ...), which calls the ``nlp`` library, and
prints a rich table or JSON. Models live in ``models/`` (``search/``, ``topics/``, ``similar/``, ``vectors/``);
``build_models(ws)`` builds or refreshes all of them (for ``zhcorpus run``).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from nlp.errors import ZhcorpusError
from nlp.search import read_queries
from pipelines.commands import DocOption, fail, to_json, workspace_of
from pipelines.selection import select_docs

out = Console()
err = Console(stderr=True)


# ---------------------------------------------------------------------------------------------- store views
class StoreTokens:
    """Re-iterable token lists of the store (one pass = one streamed DuckDB query), per paragraph or document.

    ``keys`` is filled on each pass: ``(doc, para)`` per paragraph unit, ``(doc, None)`` per document unit.
    """

    def __init__(
        self, store: Any, *, unit: str = "paragraph", batch_size: int = 2000, keep_tags: Any = None
    ) -> None:
        from nlp.topics import group_units

        self._group = group_units
        self.store = store
        self.unit = unit
        self.batch_size = batch_size
        self.keep_tags = keep_tags
        self.keys: list[tuple[str, int | None]] = []

    def __iter__(self) -> Iterator[list[str]]:
        keys: list[tuple[str, int | None]] = []
        rows = token_rows(self.store, batch_size=self.batch_size)
        for key, tokens in self._group(rows, unit=self.unit, keep_tags=self.keep_tags):
            doc, _, para = key.rpartition("#") if self.unit == "paragraph" else (key, "", "")
            keys.append((doc, int(para)) if self.unit == "paragraph" else (key, None))
            yield tokens
        self.keys = keys


def token_rows(store: Any, *, batch_size: int = 2000) -> Iterator[dict[str, Any]]:
    """The store's token rows ``{doc, para, tokens}``; when the language stage has not filled the tokens table
    (an older store), paragraphs are segmented here with jieba (rjieba) instead."""
    if store.counts().get("tokens", 0) > 0:
        yield from store.iter_tokens(batch_size=batch_size)
        return
    import rjieba

    for row in store.iter_paragraphs(batch_size=batch_size):
        pairs = rjieba.tag(row["text"] or "")
        yield {
            "doc": row["doc"],
            "para": row["idx"],
            "tokens": [w for w, _ in pairs],
            "tags": [t for _, t in pairs],
        }


def _open_store(ws: Any) -> Any:
    from pipelines.store import Store

    if not Path(ws.store_path).exists():
        raise ZhcorpusError(f"no store at {ws.store_path}: run `zhcorpus run` first")
    return Store.open(ws.store_path, read_only=True)




# ---------------------------------------------------------------------------------------------- library-level
def build_search_index(ws: Any, *, store: Any = None, rebuild: bool = False) -> Any:
    """Load ``models/search`` and bring it up to date with the store (new documents are added incrementally;
    a removed or changed document triggers a full rebuild). Returns the :class:`nlp.search.SearchIndex`."""
    from nlp.search import FORMAT_VERSION, SearchIndex
    from nlp.structure import is_toc_text

    folder = Path(ws.models_dir) / "search"
    if store is None:
        with _open_store(ws) as st:
            return build_search_index(ws, store=st, rebuild=rebuild)
    # Search segments with jieba's own dictionary in search mode (跨境电商 -> 跨境 电商), not with the project
    # lexicon: a domain word adds a compound token beside its parts, which counts the concept twice and ranks
    # paragraphs that repeat the compound over those that answer the query (blind set of 40 queries: recall@10
    # 0.78 without the lexicon, 0.73 with it). Word order is checked by the phrase boost instead.
    words = None
    docs = store.documents()
    current = dict(zip(docs["doc"].astype(str), docs.get("sha256", docs["doc"]).astype(str)))
    index, known = None, {}
    if not rebuild and (folder / "index.json").exists():
        index = SearchIndex.load(folder)
        known = json.loads((folder / "index.json").read_text(encoding="utf-8")).get("documents", {})
    stale = any(d not in current or current[d] != h for d, h in known.items())
    if index is not None and json.loads((folder / "index.json").read_text(encoding="utf-8")).get("format") != FORMAT_VERSION:
        stale = True  # built by an older version: other passages or parameters

    def passages(only: set[str] | None = None) -> Iterator[dict[str, Any]]:
        for row in store.iter_paragraphs():
            if row.get("kind") == "heading" or (row.get("kind") == "table" and is_toc_text(row["text"] or "")):
                continue  # a heading or a table of contents answers nothing: hits carry their section path
            if only is None or str(row["doc"]) in only:
                yield {
                    "doc": row["doc"],
                    "paragraph": row["idx"],
                    "text": row["text"] or "",
                    "section": row.get("section") or "",
                }

    if index is not None and index.user_words != words:
        stale = True  # the lexicon changed: segment everything again
    if index is None or stale:
        index = SearchIndex(user_words=words).fit(passages())
    else:
        new = set(current) - set(known)
        if not new:
            return index
        index.add(passages(new))
    index.save(folder, meta={"documents": current})
    return index


def fit_topics(
    ws: Any,
    *,
    k: int | None = None,
    sweep: str | None = None,
    unit: str = "paragraph",
    seed: int = 1,
    store: Any = None,
    engine: str = "tomotopy",
) -> dict[str, Any]:
    """Fit (or sweep K and fit) the topic model on the store's tokens; save it with shares; return a summary.

    ``engine``: ``tomotopy`` (default, fastest; keeps the training units as word ids in memory) or ``gensim``
    (online LDA over the streamed store: memory independent of the corpus size; for corpora past ~1 GB of text).
    """
    import numpy as np

    from nlp.topics import TopicModel, parse_sweep, sweep_k, sweep_svg, topic_shares

    if store is None:
        with _open_store(ws) as st:
            return fit_topics(ws, k=k, sweep=sweep, unit=unit, seed=seed, store=st, engine=engine)
    from nlp.topics import NOUN_LIKE

    # nouns only when the store has POS tags (the language stage); plain tokens otherwise
    texts = StoreTokens(store, unit=unit, keep_tags=NOUN_LIKE)
    extra = (ws.config.get("lexicon") or {}).get("stopwords") or None
    summary: dict[str, Any] = {"unit": unit}
    reports = Path(ws.reports_dir)
    reports.mkdir(parents=True, exist_ok=True)
    if sweep:
        result = sweep_k(texts, parse_sweep(sweep), seed=seed, stopwords=extra, engine=engine)
        model = result.models[result.best_k]
        (reports / "topics_sweep.svg").write_text(sweep_svg(result), encoding="utf-8")
        summary["sweep"] = result.to_dict()
        summary["chart"] = str(reports / "topics_sweep.svg")
    else:
        model = TopicModel(k=k or 20, seed=seed, stopwords=extra, engine=engine).fit(texts)
    summary["coherence"] = model.coherence(texts)
    keys = texts.keys
    folder = Path(ws.models_dir) / "topics"
    model.save(folder, meta={"unit": unit, "coherence": summary["coherence"]})

    import pandas as pd

    shares = pd.DataFrame(model.doc_topic_, columns=[f"t{i}" for i in range(model.k)])
    shares.insert(0, "doc", [d for d, _ in keys])
    shares.insert(1, "paragraph", [p for _, p in keys])
    if unit == "paragraph":
        # only the three columns (the texts stay in the store)
        paras = store.query("SELECT doc, idx AS paragraph, section FROM paragraphs")
        shares = shares.merge(paras, on=["doc", "paragraph"], how="left")
        by_section = topic_shares(
            model.doc_topic_,
            list(zip(shares["doc"], shares["section"].fillna(""))),
            weights=model.unit_lengths_,
            labels=model.labels_,
        )
        by_section.to_csv(reports / "topics_by_section.csv", encoding="utf-8-sig")
    shares.to_parquet(folder / "unit_shares.parquet", index=False)
    by_doc = topic_shares(
        model.doc_topic_, [d for d, _ in keys], weights=model.unit_lengths_, labels=model.labels_
    )
    by_doc.to_csv(reports / "topics_by_document.csv", encoding="utf-8-sig")
    summary["by_doc"] = by_doc
    summary["topic_word"] = [
        [(model.vocab_[j], float(model.topic_word_[t][j])) for j in np.argsort(-model.topic_word_[t])[:15]]
        for t in range(int(model.k))
    ]
    docs = store.documents()
    if "year" in docs.columns:
        year_of = dict(zip(docs["doc"].astype(str), docs["year"]))
        years = [year_of.get(d) for d, _ in keys]
        mask = [y is not None and not pd.isna(y) for y in years]
        if any(mask):
            sel = np.flatnonzero(mask)
            by_year = topic_shares(
                model.doc_topic_[sel],
                [int(years[i]) for i in sel],
                weights=model.unit_lengths_[sel],
                labels=model.labels_,
            )
            by_year.to_csv(reports / "topics_by_year.csv", encoding="utf-8-sig")
            summary["by_year"] = {int(y): [round(float(v), 4) for v in row] for y, row in by_year.iterrows()}
    summary["k"] = int(model.k)
    summary["topics"] = [
        {"topic": t, "label": model.labels_[t], "terms": model.top_terms(t)} for t in range(int(model.k))
    ]
    summary["model"] = str(folder)
    return summary


def build_similarity(ws: Any, *, store: Any = None, rebuild: bool = False) -> Any:
    """Load or build ``models/similar`` (TF-IDF cosine of documents and paragraphs) from the store's tokens."""
    from nlp.similar import SimilarityIndex

    folder = Path(ws.models_dir) / "similar"
    if store is None:
        with _open_store(ws) as st:
            return build_similarity(ws, store=st, rebuild=rebuild)
    docs = set(store.documents()["doc"].astype(str))
    if not rebuild and (folder / "similar.pkl").exists():
        index = SimilarityIndex.load(folder)
        if set(index.docs_) == docs:
            return index
    rows = ((r["doc"], r["para"], r["tokens"]) for r in token_rows(store))
    index = SimilarityIndex().fit(rows)
    index.save(folder)
    return index


def build_vectors(ws: Any, *, store: Any = None, rebuild: bool = False) -> Any:
    """Load or train ``models/vectors`` (Word2Vec on the store's paragraph tokens, seed 1, one worker)."""
    from nlp.vectors import load_vectors, save_vectors, train_vectors

    folder = Path(ws.models_dir) / "vectors"
    if not rebuild and (folder / "vectors.kv").exists():
        return load_vectors(folder)
    if store is None:
        with _open_store(ws) as st:
            return build_vectors(ws, store=st, rebuild=rebuild)
    import re

    from nlp.topics import _Reiterable

    wordy = re.compile(r"[\w\u3400-\u9fff]")
    sentences = _Reiterable(
        StoreTokens(store, unit="paragraph"), lambda toks: [t for t in toks if wordy.search(t)]
    )
    kv = train_vectors(sentences)
    save_vectors(kv, folder)
    return kv


def build_models(ws: Any, *, store: Any = None, k: int = 20) -> dict[str, Any]:
    """Everything ``zhcorpus run`` refreshes after ingest: search index, similarity, vectors, topic model."""
    if store is None:
        with _open_store(ws) as st:
            return build_models(ws, store=st, k=k)
    build_search_index(ws, store=store)
    build_similarity(ws, store=store)
    build_vectors(ws, store=store)
    return fit_topics(ws, k=k, store=store)


# ---------------------------------------------------------------------------------------------- commands
def register(app: typer.Typer) -> None:
    """Add ``topics``, ``search``, ``similar`` and ``neighbors`` to the zhcorpus app."""

    @app.command("topics")
    def topics_cli(
        ctx: typer.Context,
        k: Annotated[int | None, typer.Option("--k", help="Number of topics.")] = None,
        sweep: Annotated[
            str | None, typer.Option("--sweep", help="K sweep START:STOP:STEP, e.g. 5:40:5.")
        ] = None,
        unit: Annotated[str, typer.Option("--unit", help="paragraph | document")] = "paragraph",
        seed: Annotated[int, typer.Option("--seed")] = 1,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Fit an LDA topic model (tomotopy) on the corpus; with --sweep, pick K by coherence and draw the curve.

        Saves models/topics/ and reports/topics_by_{year,document,section}.csv (+ topics_sweep.svg).

        Example: zhcorpus topics --sweep 5:40:5 --unit paragraph
        """
        if k is not None and sweep is not None:
            fail("give --k or --sweep, not both")
        if unit not in ("paragraph", "document"):
            fail(f"--unit must be paragraph or document, got {unit!r}")
        try:
            summary = fit_topics(workspace_of(ctx), k=k, sweep=sweep, unit=unit, seed=seed)
        except (ZhcorpusError, ValueError) as exc:
            fail(str(exc))
            return
        if as_json:
            out.print_json(to_json(summary))
            return
        if "sweep" in summary:
            s = summary["sweep"]
            t = Table(title=f"K sweep (chosen K = {s['best_k']}; chart {summary['chart']})")
            for c in ("K", "c_v", "c_npmi", "seconds"):
                t.add_column(c, justify="right")
            for row in zip(s["ks"], s["c_v"], s["c_npmi"], s["seconds"]):
                t.add_row(*map(str, row))
            out.print(t)
        t = Table(title=f"{summary['k']} topics per {unit}, coherence {summary['coherence']}")
        t.add_column("#", justify="right")
        t.add_column("label / 标签")
        t.add_column("top terms / 主题词")
        for topic in summary["topics"]:
            t.add_row(str(topic["topic"]), topic["label"], " ".join(topic["terms"]))
        out.print(t)

    @app.command("search")
    def search_cli(
        ctx: typer.Context,
        query: Annotated[
            str | None, typer.Argument(help="Query text (Chinese; segmented in search mode).")
        ] = None,
        top: Annotated[int, typer.Option("--top", help="Number of results.")] = 10,
        doc: DocOption = None,
        expand: Annotated[bool, typer.Option("--expand", help="Expand the query with word vectors.")] = False,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
        queries: Annotated[
            Path | None,
            typer.Option(
                "--queries",
                help="Run every query of FILE (one per line, or JSON Lines with a \"query\" field) and write "
                "one JSON line per query to --output: {query, results: [{doc, section, paragraph, text, score}]}.",
            ),
        ] = None,
        output: Annotated[Path | None, typer.Option("--output", "-o", help="Output file for --queries.")] = None,
    ) -> None:
        """BM25 search over paragraphs; the index in models/search is built or updated on first use.

        Example: zhcorpus search "数据跨境流动" --top 5 --json

        Example: zhcorpus search --queries queries.txt -o runs.jsonl   (runs for ../shared/eval/score.py search)
        """
        ws = workspace_of(ctx)
        if (query is None) == (queries is None):
            fail("give either a QUERY or --queries FILE")
            return
        try:
            index = build_search_index(ws)
            if doc is not None:  # one rule for --doc in every command: name, name without extension, glob
                doc = select_docs(doc, dict.fromkeys(index.docs_))  # type: ignore[assignment]
            vectors = build_vectors(ws) if expand else None
            if queries is not None:
                if output is None:
                    fail("--queries needs --output FILE")
                    return
                texts = read_queries(queries)
                with output.open("w", encoding="utf-8") as fh:
                    for q in texts:
                        found = index.search(q, top=top, doc=doc, vectors=vectors)
                        results = [
                            {"doc": h.doc, "section": h.section, "paragraph": h.paragraph, "text": h.text,
                             "score": h.score}
                            for h in found
                        ]  # fmt: skip
                        fh.write(json.dumps({"query": q, "results": results}, ensure_ascii=False) + "\n")
                out.print(f"wrote {len(texts)} query runs to {output}")
                return
            assert query is not None
            hits = index.search(query, top=top, doc=doc, vectors=vectors)
        except (ZhcorpusError, FileNotFoundError, ValueError) as exc:
            fail(str(exc))
            return
        if as_json:
            results = [
                {
                    "doc": h.doc,
                    "section": h.section,
                    "paragraph": h.paragraph,
                    "text": h.text,
                    "score": h.score,
                    "highlight": h.highlight,
                }
                for h in hits
            ]
            out.print_json(json.dumps({"query": query, "results": results}, ensure_ascii=False))
            return
        t = Table(title=f"search: {query}")
        for c in ("score", "doc", "§", "section", "text"):
            t.add_column(c)
        for h in hits:
            t.add_row(f"{h.score:.2f}", h.doc, str(h.paragraph), h.section, h.highlight)
        out.print(t)

    @app.command("similar")
    def similar_cli(
        ctx: typer.Context,
        key: Annotated[
            str, typer.Argument(help="DOC for similar documents, DOC#PARAGRAPH for similar passages.")
        ],
        top: Annotated[int, typer.Option("--top")] = 5,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Most similar documents (or passages) by TF-IDF cosine.

        DOC is a document's name, its name without extension, or a glob that names one document.

        Example: zhcorpus similar 2019.txt    |    zhcorpus similar "2019#12" --top 3
        """
        from nlp.similar import parse_key

        try:
            index = build_similarity(workspace_of(ctx))
            name, para = parse_key(key)
            found = select_docs(name, index.docs_, option="DOC")
            if len(found) > 1:
                fail(f"DOC {name!r} names {len(found)} documents ({', '.join(found[:3])}, ...): give one")
            key = found[0] if para is None else f"{found[0]}#{para}"
            items = index.similar(key, top=top)
        except (ZhcorpusError, FileNotFoundError, KeyError, ValueError) as exc:
            fail(str(exc))
            return
        if as_json:
            out.print_json(
                json.dumps({"key": key, "results": [i.to_dict() for i in items]}, ensure_ascii=False)
            )
            return
        t = Table(title=f"most similar to {key}")
        t.add_column("score", justify="right")
        t.add_column("document / passage")
        for i in items:
            t.add_row(f"{i.score:.3f}", i.key)
        out.print(t)

    @app.command("neighbors")
    def neighbors_cli(
        ctx: typer.Context,
        term: Annotated[str, typer.Argument(help="A term of the corpus.")],
        top: Annotated[int, typer.Option("--top")] = 10,
        as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    ) -> None:
        """Nearest terms by corpus word vectors (Word2Vec, trained on first use into models/vectors).

        Example: zhcorpus neighbors 数字贸易 --top 10
        """
        from nlp.vectors import neighbors

        try:
            near = neighbors(build_vectors(workspace_of(ctx)), term, topn=top)
        except (ZhcorpusError, FileNotFoundError, ValueError) as exc:
            fail(str(exc))
            return
        if as_json:
            out.print_json(
                json.dumps(
                    {"term": term, "neighbors": [{"term": w, "similarity": s} for w, s in near]},
                    ensure_ascii=False,
                )
            )
            return
        if not near:
            err.print(f"{term!r} is not in the vocabulary of the word vectors")
            raise typer.Exit(1)
        t = Table(title=f"neighbors of {term}")
        t.add_column("term")
        t.add_column("cosine", justify="right")
        for w, s in near:
            t.add_row(w, f"{s:.3f}")
        out.print(t)


def corpus_stage(ws: Any, store: Any, progress: Any = None, changed: bool = True) -> str | None:
    """A ``pipelines.runner.CORPUS_STAGES`` entry: refresh search index, similarity, vectors and topics.

    Skips when nothing changed and the models exist. ``[topics] k`` in zhcorpus.toml sets K (default 20).
    """
    models = Path(ws.models_dir)
    if not changed and all((models / d).exists() for d in ("search", "similar", "vectors", "topics")):
        return None
    k = int((ws.config.get("topics") or {}).get("k", 20))
    summary = build_models(ws, store=store, k=k)
    return f"search index, similarity, word vectors and {summary['k']} topics (c_v {summary['coherence']['c_v']})"
