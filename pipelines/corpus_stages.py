"""Corpus-level stages of ``zhcorpus run``: models and reports built from the whole store.

Each stage is ``(workspace, store, progress, changed) -> summary line | None``; ``changed`` is False when the
run added, changed or removed no document, so a stage whose output exists returns at once. Their tables are
corpus-level (rebuilt as a whole, in one transaction), so they are not per-document tables of the store.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pandas as pd

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


def keywords_stage(ws: Any, store: Store, progress: Any = None, changed: bool = True) -> str | None:
    """Per-document keywords (phrase TF-IDF fitted on the corpus) into the table ``keywords``."""
    from nlp.keywords import keywords
    from nlp.lang import paragraph_frame

    if not changed and store.has_table("keywords"):
        return None
    t0 = time.perf_counter()
    paras = store.paragraphs()
    if paras.empty:
        return None
    toks = store.tokens().rename(columns={"para": "idx"})[["doc_id", "idx", "tokens", "tags"]]
    paras = paras.merge(toks, on=["doc_id", "idx"], how="left")
    paras["tokens"] = [list(t) if t is not None and hasattr(t, "__len__") else None for t in paras["tokens"]]
    paras["tags"] = [list(t) if t is not None and hasattr(t, "__len__") else None for t in paras["tags"]]
    frame = paragraph_frame(paras, tokens=True, config=dict(ws.config, _root=str(ws.root)))
    table = keywords(frame, by="document", method="tfidf", top=20, config=dict(ws.config, _root=str(ws.root)))
    table = table.rename(columns={"group": "doc"})
    ids = paras.drop_duplicates("doc").set_index("doc")["doc_id"]
    table.insert(0, "doc_id", table["doc"].map(ids))
    replace_table(store, "keywords", table[["doc_id", "doc", "rank", "term", "score"]])
    return f"{len(table)} keywords for {table['doc'].nunique()} documents ({time.perf_counter() - t0:.1f} s)"


CORPUS_STAGES: list[tuple[str, CorpusStage]] = [
    ("keywords", keywords_stage),
    ("report", report_stage),
]
