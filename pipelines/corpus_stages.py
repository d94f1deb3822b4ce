"""Corpus-level stages of ``zhcorpus run``: models and reports built from the whole store.

Each stage is ``(workspace, store, progress, changed) -> summary line | None``; ``changed`` is False when the
run added, changed or removed no document, so a stage whose output exists can return at once.
"""

from __future__ import annotations

from typing import Any

from pipelines.store import Store
from pipelines.workspace import Workspace

CorpusStage = Any

CORPUS_STAGES: list[tuple[str, CorpusStage]] = []
