"""End to end on the dev gold: ingest the seeds with the real pipeline, export, score with ../shared/eval/score.py."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from pipelines.exports import export_table
from pipelines.runner import ingest
from pipelines.store import Store
from pipelines.workspace import Workspace

TARGETS = {
    "facts": {"precision": 0.90, "recall": 0.90, "year_acc": 0.90, "indicator_acc": 0.75},
    "rules": {"precision": 0.90, "recall": 0.90, "kind_acc": 0.85},
    "measures": {"f1": 0.70},
    "themes": {"f1": 0.70, "coverage": 0.90},
}


@pytest.fixture(scope="module")
def seed_exports(tmp_path_factory, seed_paths, gold_dev_dir):
    ws = Workspace(tmp_path_factory.mktemp("gold"))
    ws.corpus_dir.mkdir(parents=True)
    for p in seed_paths:
        shutil.copy(p, ws.corpus_dir / p.name)
    report = ingest(ws, executor="inline")
    assert report.ok, report.failed
    out = {}
    with Store.open(ws.store_path, read_only=True) as store:
        for table in TARGETS:
            path = ws.root / f"{table}.jsonl"
            export_table(store, table, "jsonl", path)
            out[table] = path
    return out


def score(kind: str, pred: Path, gold: Path) -> dict:
    script = gold.parent.parent / "eval" / "score.py"
    proc = subprocess.run([sys.executable, str(script), kind, str(pred), str(gold)], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return json.loads(proc.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("kind", list(TARGETS))
def test_dev_gold_scores_meet_the_targets(kind, seed_exports, gold_dev_dir):
    result = score(kind, seed_exports[kind], gold_dev_dir)
    print(kind, json.dumps(result, ensure_ascii=False))
    for metric, floor in TARGETS[kind].items():
        assert result[metric] >= floor, f"{kind} {metric} = {result[metric]} < {floor}: {result}"
