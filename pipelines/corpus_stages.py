"""Corpus-level stages of ``zhcorpus run``: models and reports built from the whole store.

Each stage is ``(workspace, store, progress, changed) -> summary line | None``; ``changed`` is False when the
run added, changed or removed no document, so a stage whose output exists returns at once. Their tables are
corpus-level (rebuilt as a whole, in one transaction), so they are not per-document tables of the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from itertools import groupby
from typing import Any

import pandas as pd

from pipelines.commands import nlp_config
from pipelines.report import report_stage
from pipelines.store import Store

CorpusStage = Callable[[Any, Any, Any, bool], "str | None"]


def replace_table(store: Store, name: str, frame: pd.DataFrame) -> None:
    """Replace a corpus-level table with ``frame`` in one transaction."""
    store.con.execute("BEGIN TRANSACTION")
    try:
        store.con.execute(f'DROP TABLE IF EXISTS "{name}"')
        store.con.register("_frame", frame)
        store.con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM _frame')
        store.con.unregister("_frame")
        store.con.execute("COMMIT")
    except BaseException:
        store.con.execute("ROLLBACK")
        raise


def _doc_token_streams(store: Store) -> Iterator[tuple[str, str, list[tuple[str, str]], list[tuple[str, str]]]]:
    """(doc_id, doc, all (word, tag) pairs, heading pairs) per document, streamed from the store in doc order:
    one document in memory at a time."""
    sql = (
        "SELECT p.doc_id, p.doc, p.kind, t.tokens, t.tags FROM paragraphs p "
        "JOIN tokens t ON t.doc_id = p.doc_id AND t.para = p.idx ORDER BY p.doc_id, p.idx"
    )
    for (doc_id, doc), rows in groupby(store.iter_rows(sql), key=lambda r: (r["doc_id"], r["doc"])):
        pairs: list[tuple[str, str]] = []
        title: list[tuple[str, str]] = []
        for r in rows:
            para = list(zip(r["tokens"] or [], r["tags"] or [], strict=True))
            pairs.extend(para)
            pairs.append(("\n", "x"))
            if r["kind"] == "heading":
                title.extend(para)
                title.append(("\n", "x"))
        yield doc_id, doc, pairs, title


class _DocPairs:
    """Re-iterable corpus of per-document (word, tag) streams (for the estimator's fit)."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def __iter__(self) -> Iterator[list[tuple[str, str]]]:
        for _, _, pairs, _ in _doc_token_streams(self.store):
            yield pairs


def keywords_stage(ws: Any, store: Store, progress: Any = None, changed: bool = True, *, top: int = 20) -> str | None:
    """Per-document keywords (phrase TF-IDF fitted on the corpus) into the table ``keywords``.

    Streams: the estimator is fitted in one pass over the stored token streams, then each document is scored in
    a second pass, so memory holds one document (and the corpus phrase counts), not the corpus.
    """
    from nlp.keywords import PhraseTfidf, load_stopwords

    if not changed and store.has_table("keywords"):
        return None
    t0 = time.perf_counter()
    model = PhraseTfidf(stopwords=load_stopwords(nlp_config(ws))).fit(_DocPairs(store))
    rows = []
    for doc_id, doc, pairs, title in _doc_token_streams(store):
        for rank, (term, score) in enumerate(model.extract(pairs, top=top, title=title or None), 1):
            rows.append({"doc_id": doc_id, "doc": doc, "rank": rank, "term": term, "score": float(score)})
    table = pd.DataFrame(rows, columns=["doc_id", "doc", "rank", "term", "score"])
    replace_table(store, "keywords", table)
    return f"{len(table)} keywords for {table['doc'].nunique()} documents ({time.perf_counter() - t0:.1f} s)"


def search_stage(ws: Any, store: Store, progress: Any = None, changed: bool = True) -> str | None:
    """BM25 search index (incremental where possible), similarity index and word vectors in models/."""
    from pipelines.commands.explore import build_search_index, build_similarity, build_vectors

    models = ws.models_dir
    if not changed and all((models / d).exists() for d in ("search", "similar", "vectors")):
        return None
    t0 = time.perf_counter()
    steps = [("search index", build_search_index), ("similarity", build_similarity), ("word vectors", build_vectors)]
    for i, (name, fn) in enumerate(steps):
        if progress:
            progress("models", i, len(steps), name)
        fn(ws, store=store)
    if progress:
        progress("models", len(steps), len(steps), "")
    return f"search index, similarity index and word vectors in {models} ({time.perf_counter() - t0:.1f} s)"


def topics_stage(ws: Any, store: Store, progress: Any = None, changed: bool = True) -> str | None:
    """LDA topics. K from ``[topics] k``; otherwise a K sweep by coherence (``[topics] sweep``, default 4:20:4)
    for corpora under ``[topics] sweep_max_units`` paragraphs (default 20,000), else K = 20. Engine from
    ``[topics] engine`` (tomotopy | gensim), by default gensim's streamed online LDA past 1,000,000 paragraphs. Shares per document,
    top terms and the coherence curve go to the tables topics, topic_terms and topic_coherence."""
    from pipelines.commands.explore import fit_topics

    if not changed and store.has_table("topics") and (ws.models_dir / "topics").exists():
        return None
    cfg = ws.config.get("topics") or {}
    n_units = int(store.con.execute("SELECT count(*) FROM tokens").fetchone()[0])  # type: ignore[index]
    if n_units < 10:
        return None
    k = cfg.get("k")
    sweep = None
    if k is None and n_units <= int(cfg.get("sweep_max_units", 20_000)):
        sweep = str(cfg.get("sweep", "4:20:4"))
    t0 = time.perf_counter()
    if progress:
        progress("topics", 0, 1, f"sweep {sweep}" if sweep else f"K={k or 20}")
    # tomotopy keeps the training units in memory; past ``gensim_above_units`` paragraphs (default 1,000,000,
    # about 300 MB of text) the stage switches to gensim's online LDA over the streamed store unless
    # ``[topics] engine`` says otherwise
    engine = str(cfg.get("engine") or ("gensim" if n_units > int(cfg.get("gensim_above_units", 1_000_000)) else "tomotopy"))
    summary = fit_topics(ws, k=int(k) if k else (None if sweep else 20), sweep=sweep, store=store, engine=engine)
    by_doc = summary["by_doc"]
    ids = store.documents()[["doc", "doc_id"]].drop_duplicates("doc").set_index("doc")["doc_id"]
    labels = {t["topic"]: t["label"] for t in summary["topics"]}
    rows = []
    for doc, shares in by_doc.iterrows():
        for t, share in enumerate(shares.to_numpy()):
            rows.append({"doc_id": ids.get(doc), "doc": doc, "topic": t, "share": float(share), "label": labels[t]})
    replace_table(store, "topics", pd.DataFrame(rows))
    terms = [
        {"topic": t, "rank": r, "term": term, "weight": w}
        for t, pairs in enumerate(summary["topic_word"])
        for r, (term, w) in enumerate(pairs, 1)
    ]
    replace_table(store, "topic_terms", pd.DataFrame(terms))
    if "sweep" in summary:
        sw = summary["sweep"]
        replace_table(store, "topic_coherence", pd.DataFrame({"k": sw["ks"], "c_v": sw["c_v"], "c_npmi": sw["c_npmi"]}))
    else:
        coh = summary["coherence"]
        replace_table(
            store, "topic_coherence",
            pd.DataFrame({"k": [summary["k"]], "c_v": [coh.get("c_v")], "c_npmi": [coh.get("c_npmi")]}),
        )
    if progress:
        progress("topics", 1, 1, "")
    return f"K={summary['k']} topics, c_v {summary['coherence'].get('c_v', float('nan')):.3f} ({time.perf_counter() - t0:.1f} s)"


CORPUS_STAGES: list[tuple[str, CorpusStage]] = [
    ("keywords", keywords_stage),
    ("search", search_stage),
    ("topics", topics_stage),
    ("report", report_stage),
]
