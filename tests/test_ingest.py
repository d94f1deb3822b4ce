"""Ingest: incremental re-runs, bad input does not stop the run, kill and resume, the busy workspace."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from nlp.errors import WorkspaceBusy
from pipelines.runner import ingest
from pipelines.store import Store
from pipelines.workspace import Workspace

ROOT = Path(__file__).resolve().parent.parent

PARA = "广东省积极推进跨境电子商务综合试验区建设，{i}年跨境电商进出口额达到{v}亿元，同比增长{p}%。"


def _write_docs(folder: Path, n: int, *, start: int = 0) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    out = []
    for i in range(start, start + n):
        body = "\n\n".join(PARA.format(i=2000 + i % 25, v=100 + i, p=i % 30 + 1) for _ in range(3))
        p = folder / f"doc{i:03d}.txt"
        p.write_text(f"第{i}号报告\n\n一、总体情况\n\n{body}\n", encoding="utf-8")
        out.append(p)
    return out


def _docs(ws: Workspace):
    with Store.open(ws.store_path, read_only=True) as store:
        return store.documents(status=None)


def test_ingest_incremental_skips_unchanged_and_replaces_changed(tmp_path):
    ws = Workspace(tmp_path)
    files = _write_docs(ws.corpus_dir, 4)
    first = ingest(ws, executor="inline")
    assert (first.processed, first.skipped, first.failed) == (4, 0, [])
    # every stage's CPU time is accounted for, and shares are taken against segmentation
    assert set(first.stage_cpu) == {"structure", "tokens", "facts", "rules", "measures", "themes"}
    assert all(v >= 0 for v in first.stage_cpu.values()) and first.stage_cpu["tokens"] > 0
    assert first.stage_shares()["facts"] == first.stage_cpu["facts"] / first.stage_cpu["tokens"]
    second = ingest(ws, executor="inline")
    assert (second.processed, second.skipped) == (0, 4)
    assert second.stage_cpu == {}
    files[1].write_text("一、新的内容\n\n全国数字贸易额增长了百分之十。\n", encoding="utf-8")
    third = ingest(ws, executor="inline")
    assert (third.processed, third.skipped) == (1, 3)
    with Store.open(ws.store_path, read_only=True) as store:
        texts = store.paragraphs("doc001.txt")["text"].tolist()
    assert any("百分之十" in t for t in texts) and not any("综合试验区" in t for t in texts)


def test_ingest_removed_file_is_forgotten(tmp_path):
    ws = Workspace(tmp_path)
    files = _write_docs(ws.corpus_dir, 3)
    ingest(ws, executor="inline")
    files[0].unlink()
    report = ingest(ws, executor="inline")
    assert report.removed == 1
    assert sorted(_docs(ws)["doc"]) == ["doc001.txt", "doc002.txt"]


def test_ingest_bad_files_are_recorded_and_the_run_goes_on(tmp_path):
    ws = Workspace(tmp_path)
    _write_docs(ws.corpus_dir, 2)
    (ws.corpus_dir / "empty.txt").write_bytes(b"")
    (ws.corpus_dir / "junk.txt").write_bytes(bytes(range(256)) * 64)
    (ws.corpus_dir / "broken.pdf").write_bytes(b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog")
    report = ingest(ws, executor="inline")
    assert report.processed == 2
    failed = dict(report.failed)
    assert set(failed) == {"corpus/empty.txt", "corpus/junk.txt", "corpus/broken.pdf"}
    for doc_id, reason in failed.items():
        assert Path(doc_id).name in reason and len(reason.splitlines()) == 1
    docs = _docs(ws).set_index("doc")
    assert docs.loc["junk.txt", "status"] == "failed" and docs.loc["doc000.txt", "status"] == "ok"


def test_ingest_local_processes_match_inline(tmp_path):
    a, b = Workspace(tmp_path / "a"), Workspace(tmp_path / "b")
    _write_docs(a.corpus_dir, 6)
    _write_docs(b.corpus_dir, 6)
    ingest(a, executor="inline")
    ingest(b, executor="local", workers=2)
    with Store.open(a.store_path, read_only=True) as sa, Store.open(b.store_path, read_only=True) as sb:
        pa_, pb = sa.paragraphs(), sb.paragraphs()
    cols = ["doc", "idx", "kind", "section", "text"]
    assert pa_[cols].equals(pb[cols])


def test_workspace_busy_for_a_second_writer(tmp_path):
    ws = Workspace(tmp_path)
    _write_docs(ws.corpus_dir, 1)
    with ws.lock():
        with pytest.raises(WorkspaceBusy, match="busy"):
            ingest(ws, executor="inline")
        proc = subprocess.run(
            [sys.executable, "-m", "pipelines.cli", "--workspace", str(tmp_path), "ingest"],
            capture_output=True, text=True, cwd=ROOT, timeout=120,
        )
    assert proc.returncode == 1
    assert "busy" in proc.stderr and str(os.getpid()) in proc.stderr


def _run_and_interrupt(ws: Path, sig: int, after_docs: int) -> subprocess.Popen:
    """Start a CLI ingest, wait until ``after_docs`` documents are reported done, then send ``sig``."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "pipelines.cli", "--workspace", str(ws), "ingest", "--executor", "inline", "--verbose"],
        cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        # a terminal's default: a shell that runs the suite in the background starts it with SIGINT ignored, which
        # children inherit (and Python then installs no KeyboardInterrupt handler, so Ctrl-C would do nothing)
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    done = 0
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("done "):
            done += 1
            if done >= after_docs:
                break
    proc.send_signal(sig)
    _, err = proc.communicate(timeout=60)
    proc.stderr_tail = err  # type: ignore[attr-defined]
    return proc


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGINT], ids=["kill", "ctrl-c"])
def test_killed_ingest_leaves_store_consistent_and_rerun_resumes(tmp_path, sig):
    ws = Workspace(tmp_path / "ws")
    n = 150
    _write_docs(ws.corpus_dir, n)
    proc = _run_and_interrupt(ws.root, sig, after_docs=10)
    assert proc.returncode != 0, "the run finished before it could be interrupted"
    if sig == signal.SIGINT:
        assert proc.returncode == 130 and "resume" in proc.stderr_tail
    with Store.open(ws.store_path, read_only=True) as store:
        committed = set(store.documents()["doc_id"])
        per_doc = store.query("SELECT doc_id, count(*) AS n FROM paragraphs GROUP BY doc_id")
        texts = store.query("SELECT doc_id FROM texts")
    assert 10 <= len(committed) < n
    # every committed document is complete (all of its rows or none)
    assert set(per_doc["doc_id"]) == committed and set(texts["doc_id"]) == committed
    report = ingest(ws, executor="inline")
    assert report.skipped == len(committed) and report.processed == n - len(committed)
    # the resumed store holds exactly what an uninterrupted run produces
    ref = Workspace(tmp_path / "ref")
    _write_docs(ref.corpus_dir, n)
    ingest(ref, executor="inline")
    with Store.open(ws.store_path, read_only=True) as a, Store.open(ref.store_path, read_only=True) as b:
        cols = ["doc", "idx", "kind", "section", "text"]
        assert a.paragraphs()[cols].equals(b.paragraphs()[cols])


def test_dictionary_change_resegments_only_the_documents_containing_the_word(tmp_path):
    from nlp.terms import add_terms

    ws = Workspace(tmp_path)
    _write_docs(ws.corpus_dir, 3)
    (ws.corpus_dir / "doc001.txt").write_text("一、总体情况\n\n本市推进甲乙丙丁飞地经济合作。\n", encoding="utf-8")
    assert ingest(ws, executor="inline").processed == 3

    def tokens_of(doc_id: str) -> list[str]:
        with Store.open(ws.store_path, read_only=True) as store:
            return [t for row in store.tokens(doc_id)["tokens"] for t in row]

    assert "甲乙丙丁飞地经济" not in tokens_of("doc001.txt")
    add_terms(["甲乙丙丁飞地经济"], ws.root / "user_dict.txt")
    report = ingest(ws, executor="inline")
    assert (report.stale, report.processed, report.skipped) == (1, 1, 2)
    assert "甲乙丙丁飞地经济" in tokens_of("doc001.txt")
    again = ingest(ws, executor="inline")
    assert (again.stale, again.processed, again.skipped) == (0, 0, 3)
    # removing the word redoes the same document again
    (ws.root / "user_dict.txt").write_text("", encoding="utf-8")
    assert (ingest(ws, executor="inline").processed, "甲乙丙丁飞地经济" in tokens_of("doc001.txt")) == (1, False)


def test_token_pairs_are_built_once_per_document_and_never_another_documents(tmp_path):
    """facts, rules and measures share one (word, tag) list per document: the one the tokens stage just made, or,
    for token rows from elsewhere (the store), lists rebuilt from those rows, never the previous document's."""
    from pipelines import stages

    paths = []
    for name, text in (("a.txt", "一、总体要求\n推进跨境电商综合试验区建设，单一窗口覆盖率达到95%。\n"),
                       ("b.txt", "二、保障措施\n设立数字贸易专项基金，规模约50亿元。\n")):
        (tmp_path / name).write_text(text, encoding="utf-8")
        paths.append(tmp_path / name)
    docs = [stages.build_document(p, sha256="0", size=1) for p in paths]
    tables = [stages.tokens_stage(d, {}, {}) for d in docs]
    expected = [[list(zip(r["tokens"], r["tags"], strict=True)) for r in t["tokens"]] for t in tables]
    # b's rows were made last: b's pairs come from the cache; a's rows are rebuilt, then cached in turn
    assert stages._block_pairs(tables[1]) == expected[1]
    assert stages._block_pairs(tables[0]) == expected[0]
    assert stages._block_pairs(tables[0]) is stages._block_pairs(tables[0])
    copied = {"tokens": [dict(r) for r in tables[1]["tokens"]]}  # equal rows, another list: not taken for a's
    assert stages._block_pairs(copied) == expected[1]
    assert "".join(w for block in expected[0] for w, _ in block).startswith("一、总体要求")


def test_processing_a_document_restores_the_garbage_collector_state(tmp_path):
    """The collector is paused per document (speed) and left as the caller had it, on success and on a bad file."""
    import gc

    from pipelines import stages

    good = tmp_path / "good.txt"
    good.write_text("一、总体要求\n推进单一窗口建设，覆盖率达到95%。\n", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_bytes(b"")
    was = gc.isenabled()
    try:
        for enabled in (True, False):
            (gc.enable if enabled else gc.disable)()
            for path in (good, bad):
                result = stages.process_path((str(path), path.name, "0", {}))
                assert (result.error is None) == (path is good)
                assert gc.isenabled() is enabled
    finally:
        (gc.enable if was else gc.disable)()


def test_section_theme_export_lists_every_section_even_one_without_theme_terms(tmp_path):
    import json

    from pipelines.exports import export_table

    ws = Workspace(tmp_path)
    ws.corpus_dir.mkdir(parents=True)
    (ws.corpus_dir / "r.txt").write_text(
        "一、人才队伍建设\n\n加强人才培养，引进复合型高端人才，完善人才评价和激励机制，建设人才高地。\n\n"
        "二、天气情况\n\n今天阴转多云，傍晚有小雨，气温十八度左右，风力不大。\n",
        encoding="utf-8",
    )
    assert ingest(ws, executor="inline").ok
    out = tmp_path / "themes.jsonl"
    with Store.open(ws.store_path, read_only=True) as store:
        export_table(store, "themes", "jsonl", out)
    rows = {r["heading"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert "talent" in rows["一、人才队伍建设"]["themes"]
    assert rows["二、天气情况"]["themes"] == [] and rows["二、天气情况"]["scores"] == {}
    assert [r["paragraph"] for r in rows.values()] == sorted(r["paragraph"] for r in rows.values())
