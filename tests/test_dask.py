"""The Dask executor: a LocalCluster with 2 worker processes gives the same exports as the local executor,
and a run killed mid-way on Dask resumes without redoing committed documents."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa
import pytest

from pipelines.executors import ArrowResult, BatchWriter, arrow_table, to_arrow_result
from pipelines.exports import EXPORTS, export_batches
from pipelines.runner import ingest
from pipelines.stages import process_path, sha256_file
from pipelines.store import TABLES, Store
from pipelines.workspace import Workspace

distributed = pytest.importorskip("dask.distributed")

ROOT = Path(__file__).resolve().parent.parent
IGNORED = {"path", "updated_at"}  # differ by workspace / time, not by executor


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address=None
    ) as c:
        yield c


def _workspace(root: Path, seeds: list[Path]) -> Workspace:
    ws = Workspace(root)
    ws.corpus_dir.mkdir(parents=True)
    for p in seeds:
        shutil.copy(p, ws.corpus_dir / p.name)
    return ws


def _export(ws: Workspace, table: str) -> pd.DataFrame:
    with Store.open(ws.store_path, read_only=True) as store:
        frames = [b.to_pandas() for b in export_batches(store, table)]
    df = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()
    return df.drop(columns=[c for c in df.columns if c in IGNORED])


def _as_text(df: pd.DataFrame) -> list[tuple[str, ...]]:
    """Rows as comparable text (list cells become their repr), sorted: stable regardless of commit order."""
    return sorted(tuple(repr(v.tolist() if hasattr(v, "tolist") else v) for v in row) for row in df.itertuples(index=False))


def test_dask_cluster_exports_equal_local(tmp_path, seed_paths, cluster):
    assert len(seed_paths) >= 3
    local = _workspace(tmp_path / "local", seed_paths)
    dask_ws = _workspace(tmp_path / "dask", seed_paths)
    rl = ingest(local, executor="local", workers=2)
    rd = ingest(dask_ws, executor="dask", address=cluster.scheduler_address)
    assert (rl.processed, rl.failed) == (len(seed_paths), [])
    assert (rd.processed, rd.failed) == (len(seed_paths), [])
    must = {"documents", "paragraphs", "sentences", "facts", "themes"}  # source tables that must be exported
    assert must <= {source for source, _ in EXPORTS.values()}
    for table, (source, _) in EXPORTS.items():
        a, b = _export(local, table), _export(dask_ws, table)
        assert list(a.columns) == list(b.columns), table
        if source in must:
            assert len(a) > 0, f"{table}: empty export proves nothing"
        assert _as_text(a) == _as_text(b), f"export {table} differs between local and dask"
    # the run is incremental on Dask too
    again = ingest(dask_ws, executor="dask", address=cluster.scheduler_address)
    assert (again.processed, again.skipped) == (0, len(seed_paths))


def test_batch_commit_is_all_or_nothing(tmp_path, seed_paths):
    """A batch that fails mid-write leaves no row of any of its documents (crash consistency)."""
    f = seed_paths[0]
    good = to_arrow_result(process_path((str(f), "corpus/a.txt", sha256_file(f), {})))
    assert good.error is None and good.tables["paragraphs"].num_rows > 0
    # b's paragraph numbers are not numbers: its INSERT fails after a's rows went in, in the same transaction
    paras = good.tables["paragraphs"]
    broken = paras.set_column(paras.schema.get_field_index("idx"), "idx", pa.array(["x"] * paras.num_rows))
    bad = ArrowResult("corpus/b.txt", dict(good.row), {"paragraphs": broken})
    with Store.open(tmp_path / "s.duckdb") as store:
        writer = BatchWriter(store, max_docs=10)
        writer.add(good)
        writer.add(bad)
        with pytest.raises(duckdb.Error):
            writer.flush()
        for name in TABLES:
            assert store.con.execute(f'SELECT count(*) FROM "{name}"').fetchone()[0] == 0, name
        committed: list[str] = []
        BatchWriter(store, max_docs=1, on_commit=lambda r: committed.append(r.doc_id)).add(good)
        assert committed == ["corpus/a.txt"]
        assert store.con.execute("SELECT count(*) FROM paragraphs").fetchone()[0] == good.tables["paragraphs"].num_rows


def test_arrow_table_falls_back_to_inference_for_values_that_do_not_fit():
    spec = TABLES["sentences"]
    typed = arrow_table(spec, [{"doc_id": "d", "doc": "d", "para": 1, "idx": 2, "text": "一", "char_start": 0, "char_end": 1}])
    assert str(typed.schema.field("para").type) == "int32"
    loose = arrow_table(spec, [{"doc_id": "d", "doc": "d", "para": 1.5, "idx": 2, "text": "一"}])
    assert loose.column("para").to_pylist() == [1.5]


def test_dask_run_killed_midway_resumes(tmp_path, seed_paths, cluster):
    """kill -9 of the client while Dask workers run: committed documents are complete and are not redone."""
    ws = Workspace(tmp_path / "ws")
    ws.corpus_dir.mkdir(parents=True)
    n = 0
    small = sorted(seed_paths, key=lambda p: p.stat().st_size)[:2]
    for k in range(8):  # 16 distinct documents: the small seeds with a varying last line
        for p in small:
            (ws.corpus_dir / f"{k}_{p.name}").write_text(p.read_text(encoding="utf-8") + f"\n\n附{k}\n", encoding="utf-8")
            n += 1
    (ws.root / "zhcorpus.toml").write_text("[run]\nbatch_size = 2\n", encoding="utf-8")
    cmd = [sys.executable, "-m", "pipelines.cli", "--workspace", str(ws.root), "ingest", "--executor", "dask",
           "--scheduler", cluster.scheduler_address, "--verbose"]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    done = 0
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("done "):
            done += 1
            if done >= 4:
                break
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(timeout=30)
    with Store.open(ws.store_path, read_only=True) as store:
        committed = set(store.documents()["doc_id"])
        for table in ("paragraphs", "texts", "tokens", "sentences"):
            assert set(store.query(f"SELECT DISTINCT doc_id FROM {table}")["doc_id"]) == committed, table
    assert 4 <= len(committed) < n, "the run finished before it could be killed"
    ws = Workspace(ws.root)
    report = ingest(ws, executor="dask", address=cluster.scheduler_address)
    assert report.skipped == len(committed) and report.processed == n - len(committed) and not report.failed
