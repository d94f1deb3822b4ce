"""Benchmark: how ingest cost grows with corpus size, 1 vs 2 workers, local vs Dask; resume after a kill.

Builds a large corpus from ../shared/corpora (every source, interleaved; repeated with a varying last line so
every file's sha256 differs) under /tmp, then runs ``pipelines.runner.ingest`` in a fresh subprocess per
configuration, sampling RSS of that process and all its children (pool / Dask nanny + worker processes).

    .venv/bin/python tests/bench/bench_scale.py build --mb 10 30 100
    .venv/bin/python tests/bench/bench_scale.py run --mb 10 --executor dask --workers 2
    .venv/bin/python tests/bench/bench_scale.py matrix            # the figures in docs/scaling.md
    .venv/bin/python tests/bench/bench_scale.py resume --mb 10    # kill -9 mid-way, re-run, check
    .venv/bin/python tests/bench/bench_scale.py transport         # per-document result transport options
    .venv/bin/python tests/bench/bench_scale.py chart             # docs/scaling_curve.svg from results

Results are appended to /tmp/zhscale/results.jsonl (one JSON object per run).
"""

from __future__ import annotations

import argparse
import json
import os
import pickle
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CORPORA = ROOT.parent / "shared" / "corpora"
BASE = Path(os.environ.get("ZHSCALE_DIR", "/tmp/zhscale"))
RESULTS = BASE / "results.jsonl"
FILES_PER_DIR = 500


# --- the corpus -----------------------------------------------------------------------------------------------


def _source_texts() -> Iterator[Iterator[tuple[str, str]]]:
    """One iterator of (name, text) per source of ../shared/corpora."""

    def files(pattern_root: Path, pattern: str) -> Iterator[tuple[str, str]]:
        for p in sorted(pattern_root.glob(pattern)):
            yield p.stem, p.read_text(encoding="utf-8", errors="replace")

    def jsonl_texts(path: Path, key: str) -> Iterator[tuple[str, str]]:
        with path.open(encoding="utf-8") as fh:
            for i, line in enumerate(fh):
                rec = json.loads(line)
                if rec.get(key):
                    yield f"{path.stem}_{i}", (rec.get("title") or "") + "\n\n" + rec[key]

    def grouped_abstracts(path: Path, per_file: int = 100) -> Iterator[tuple[str, str]]:
        group: list[str] = []
        n = 0
        with path.open(encoding="utf-8") as fh:
            for line in fh:
                rec = json.loads(line)
                group.append(f"{rec.get('title', '')}\n\n{rec.get('abstract', '')}")
                if len(group) == per_file:
                    yield f"csl_{n}", "\n\n".join(group)
                    group, n = [], n + 1
        if group:
            yield f"csl_{n}", "\n\n".join(group)

    yield files(CORPORA / "gov_work_reports" / "reports", "*.txt")
    yield files(CORPORA / "provincial_gwr_2025", "*.txt")
    yield files(CORPORA / "state_council_regulations", "**/*.md")
    yield jsonl_texts(CORPORA / "state_council_docs" / "gov_cn_zhengce_60docs.jsonl", "text")
    yield grouped_abstracts(CORPORA / "csl" / "csl_merged.jsonl")


def _interleaved() -> list[tuple[str, str]]:
    """All documents of all sources, round-robin, so any prefix mixes every source."""
    iters = [iter(s) for s in _source_texts()]
    out: list[tuple[str, str]] = []
    while iters:
        for it in list(iters):
            try:
                out.append(next(it))
            except StopIteration:
                iters.remove(it)
    return out


def build(mb: float) -> Path:
    """Write a corpus of ``mb`` MB of UTF-8 text under BASE/corpus_<mb>MB (reused when it exists)."""
    target = BASE / f"corpus_{mb:g}MB"
    done = target / ".complete"
    if done.exists():
        return target
    docs = _interleaved()
    limit = int(mb * 1e6)
    written = 0
    i = 0
    rnd = 0
    while written < limit:
        for name, text in docs:
            if written >= limit:
                break
            suffix = "" if rnd == 0 else f"\n\n（第{rnd}轮副本）\n"
            data = (text + suffix).encode("utf-8")
            sub = target / f"{i // FILES_PER_DIR:04d}"
            sub.mkdir(parents=True, exist_ok=True)
            (sub / f"{i:06d}_{name[:40]}.txt").write_bytes(data)
            written += len(data)
            i += 1
        rnd += 1
    done.write_text(json.dumps({"bytes": written, "files": i}))
    return target


# --- one measured run (in a child process) --------------------------------------------------------------------


class RssSampler:
    """Samples RSS of this process and of every descendant (pool workers, Dask nannies and workers)."""

    def __init__(self, interval: float = 0.5) -> None:
        import psutil

        self.me = psutil.Process()
        self.interval = interval
        self.peak: dict[int, tuple[str, float]] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._loop, daemon=True)

    def _loop(self) -> None:
        import psutil

        while not self._stop.is_set():
            for p in [self.me, *self.me.children(recursive=True)]:
                try:
                    rss = p.memory_info().rss / 1e6
                    label = "main" if p.pid == self.me.pid else _label(p)
                except psutil.Error:
                    continue
                if rss > self.peak.get(p.pid, ("", 0.0))[1]:
                    self.peak[p.pid] = (label, rss)
            self._stop.wait(self.interval)

    def __enter__(self) -> RssSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def _label(p) -> str:  # type: ignore[no-untyped-def]
    cmd = " ".join(p.cmdline())
    if "forkserver" in cmd and "spawn_main" not in cmd:
        return "forkserver"
    if "spawn_main" in cmd or "multiprocessing" in cmd:
        return "worker"
    return p.name()


def run_one(corpus: Path, *, executor: str, workers: int, mb: float, tag: str = "") -> dict:
    from pipelines.runner import ingest
    from pipelines.store import Store
    from pipelines.workspace import Workspace

    ws_root = BASE / f"ws_{corpus.name}_{executor}{workers}"
    subprocess.run(["rm", "-rf", str(ws_root)], check=True)
    ws = Workspace(ws_root)
    with RssSampler() as sampler:
        t0 = time.perf_counter()
        report = ingest(ws, [corpus], executor=executor, workers=workers)
        seconds = time.perf_counter() - t0
    with Store.open(ws.store_path, read_only=True) as store:
        counts = store.counts()
    store_mb = ws.store_path.stat().st_size / 1e6
    text_mb = report.bytes_processed / 1e6
    by_label: dict[str, float] = {}
    for label, rss in sampler.peak.values():
        by_label[label] = max(by_label.get(label, 0.0), rss)
    result = {
        "tag": tag, "corpus_mb": mb, "executor": executor, "workers": workers, "files": report.found,
        "processed": report.processed, "failed": len(report.failed), "seconds": round(seconds, 1),
        "mb_per_s": round(text_mb / seconds, 3), "text_mb": round(text_mb, 1), "store_mb": round(store_mb, 1),
        "rows": counts, "peak_rss_mb": {k: round(v) for k, v in sorted(by_label.items())},
        "peak_rss_per_process_mb": sorted((round(v[1]) for v in sampler.peak.values()), reverse=True),
        "load": os.getloadavg()[0],
    }
    if not os.environ.get("ZHSCALE_KEEP"):  # ZHSCALE_KEEP=1 keeps the workspace (e.g. to time the report on it)
        subprocess.run(["rm", "-rf", str(ws_root)], check=True)
    return result


def run_child(mb: float, executor: str, workers: int, tag: str = "") -> dict:
    """Build (or reuse) the corpus, run one configuration in a fresh interpreter, append its figures."""
    corpus = build(mb)
    cmd = [sys.executable, __file__, "_child", "--mb", f"{mb:g}", "--executor", executor, "--workers", str(workers),
           "--tag", tag]
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=ROOT, check=False)
    if out.returncode:
        raise SystemExit(f"{cmd} failed:\n{out.stderr[-3000:]}")
    result = json.loads(out.stdout.strip().splitlines()[-1])
    BASE.mkdir(parents=True, exist_ok=True)
    with RESULTS.open("a") as fh:
        fh.write(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False), flush=True)
    del corpus
    return result


# --- resume after kill -9 -------------------------------------------------------------------------------------


def resume_check(mb: float, *, executor: str = "dask", workers: int = 2, kill_after: float = 0.4) -> dict:
    """Start `zhcorpus ingest` on a corpus, SIGKILL its whole process group after ``kill_after`` of the files
    are committed, then re-run: finished documents must be skipped, the rest processed, the store complete."""
    from pipelines.store import Store

    corpus = build(mb)
    ws = BASE / f"ws_resume_{mb:g}"
    subprocess.run(["rm", "-rf", str(ws)], check=True)
    ws.mkdir(parents=True)
    (ws / "corpus").symlink_to(corpus)
    n_files = sum(1 for _ in corpus.rglob("*.txt"))
    cmd = [sys.executable, "-m", "pipelines.cli", "--workspace", str(ws), "ingest", "--executor", executor,
           "--workers", str(workers), "--verbose"]
    t0 = time.perf_counter()
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)
    done = 0
    assert proc.stderr is not None
    for line in proc.stderr:
        if line.startswith("done "):
            done += 1
            if done >= kill_after * n_files:
                break
    os.killpg(proc.pid, signal.SIGKILL)  # the CLI and its Dask cluster: like a node dying
    proc.wait()
    killed_at = time.perf_counter() - t0
    with Store.open(ws / "zhcorpus.duckdb", read_only=True) as store:
        committed = set(store.documents()["doc_id"])
        para_docs = set(store.query("SELECT DISTINCT doc_id FROM paragraphs")["doc_id"])
        text_docs = set(store.query("SELECT DISTINCT doc_id FROM texts")["doc_id"])
        token_docs = set(store.query("SELECT DISTINCT doc_id FROM tokens")["doc_id"])
    consistent = para_docs == committed and text_docs == committed and token_docs == committed
    t0 = time.perf_counter()
    rerun = subprocess.run([*cmd[:-1]], cwd=ROOT, capture_output=True, text=True, check=False)
    rerun_s = time.perf_counter() - t0
    with Store.open(ws / "zhcorpus.duckdb", read_only=True) as store:
        final = store.documents()
    result = {
        "tag": "resume", "corpus_mb": mb, "executor": executor, "workers": workers, "files": n_files,
        "reported_done_at_kill": done, "killed_after_s": round(killed_at, 1), "committed_at_kill": len(committed),
        "store_consistent_at_kill": consistent, "rerun_s": round(rerun_s, 1), "rerun_rc": rerun.returncode,
        "rerun_summary": rerun.stdout.strip().splitlines()[-1] if rerun.stdout.strip() else rerun.stderr[-300:],
        "final_ok_docs": len(final), "all_stored": len(final) == n_files,
    }
    with RESULTS.open("a") as fh:
        fh.write(json.dumps(result, ensure_ascii=False) + "\n")
    print(json.dumps(result, ensure_ascii=False), flush=True)
    subprocess.run(["rm", "-rf", str(ws)], check=True)
    return result


# --- transport options for per-document results ---------------------------------------------------------------


def transport(n_docs: int = 24) -> dict:
    """Main-process cost per MB of input for three ways of getting results into DuckDB.

    A: DocResult (Python rows) back to the main process, converted and written one transaction per document
       (the original design).
    B: workers convert to Arrow; the main process commits batches of 16 documents in one transaction (chosen).
    C: workers write Parquet files into the workspace; the main process loads each batch with read_parquet.
    Worker-side costs are reported separately (they parallelise; the main process does not).
    """
    import shutil
    import tempfile

    import pyarrow.parquet as pq

    from pipelines.executors import ArrowResult, arrow_table, to_arrow_result, write_batch
    from pipelines.stages import process_path, sha256_file
    from pipelines.store import DOCUMENTS, TABLES, Store, _now

    corpus = build(10)
    files = sorted(corpus.rglob("*.txt"))[:n_docs]
    mb = sum(f.stat().st_size for f in files) / 1e6
    results = [process_path((str(f), f"d{i}", sha256_file(f), {})) for i, f in enumerate(files)]
    tmp = Path(tempfile.mkdtemp(prefix="zhtransport-"))
    out: dict = {"docs": len(files), "input_mb": round(mb, 2)}
    try:
        out["pickle_mb_python_rows"] = round(sum(len(pickle.dumps(r)) for r in results) / 1e6, 2)
        t = time.perf_counter()
        arrow = [to_arrow_result(r) for r in results]
        out["worker_s_per_mb_to_arrow"] = round((time.perf_counter() - t) / mb, 3)
        out["pickle_mb_arrow"] = round(sum(len(pickle.dumps(r)) for r in arrow) / 1e6, 2)
        # A
        with Store.open(tmp / "a.duckdb") as s:
            t = time.perf_counter()
            for r in results:
                s.write_document(r.doc_id, r.row, r.tables)
            out["A_main_s_per_mb"] = round((time.perf_counter() - t) / mb, 3)
        # B
        with Store.open(tmp / "b.duckdb") as s:
            t = time.perf_counter()
            for i in range(0, len(arrow), 16):
                write_batch(s, arrow[i:i + 16])
            out["B_main_s_per_mb"] = round((time.perf_counter() - t) / mb, 3)
        # C
        pdir = tmp / "parts"
        t = time.perf_counter()
        paths: list[tuple[ArrowResult, dict[str, Path]]] = []
        for r in arrow:
            d = {}
            for name, tab in r.tables.items():
                p = pdir / name / f"{r.doc_id}.parquet"
                p.parent.mkdir(parents=True, exist_ok=True)
                pq.write_table(tab, p)
                d[name] = p
            paths.append((r, d))
        out["C_worker_s_per_mb_parquet_write"] = round((time.perf_counter() - t) / mb, 3)
        out["C_parquet_mb_on_disk"] = round(sum(p.stat().st_size for p in pdir.rglob("*.parquet")) / 1e6, 2)
        with Store.open(tmp / "c.duckdb") as s:
            t = time.perf_counter()
            for i in range(0, len(paths), 16):
                batch = paths[i:i + 16]
                s.con.execute("BEGIN TRANSACTION")
                for name, spec in TABLES.items():
                    if name == "documents":
                        continue
                    parts = [str(d[name]) for _, d in batch if name in d]
                    if parts:
                        cols = ", ".join(f'"{c}"' for c in spec.names)
                        s.con.execute(f'INSERT INTO "{name}" ({cols}) SELECT {cols} FROM read_parquet(?)', [parts])
                docs = arrow_table(DOCUMENTS, [dict(r.row, doc_id=r.doc_id, status="ok", updated_at=_now())
                                               for r, _ in batch])
                s.con.register("_docs", docs)
                s.con.execute("INSERT INTO documents SELECT * FROM _docs")
                s.con.unregister("_docs")
                s.con.execute("COMMIT")
            out["C_main_s_per_mb"] = round((time.perf_counter() - t) / mb, 3)
        t = time.perf_counter()
        for f in files:
            process_path((str(f), "x", "x", {}))
        out["worker_s_per_mb_stages"] = round((time.perf_counter() - t) / mb, 3)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    out["tag"] = "transport"
    with RESULTS.open("a") as fh:
        fh.write(json.dumps(out) + "\n")
    print(json.dumps(out), flush=True)
    return out


# --- chart ----------------------------------------------------------------------------------------------------


SCALING_DOC = ROOT / "docs" / "scaling.md"


def final_points(doc: Path = SCALING_DOC) -> dict[str, list[tuple[float, float]]]:
    """(MB of text, seconds) per worker count from the "Final figures" table of docs/scaling.md.

    The table is the record of the final runs (the raw lines of results.jsonl stay on the machine that ran
    them); rows whose text column is more than "N MB" (another corpus) are left out.
    """
    import re

    text = doc.read_text(encoding="utf-8")
    start = text.index("## Final figures")
    end = text.find("\n## ", start + 1)
    series: dict[str, list[tuple[float, float]]] = {}
    for line in text[start : end if end > 0 else None].splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4 or not re.fullmatch(r"[\d,.]+ MB", cells[0]):
            continue
        mb = float(cells[0].split()[0].replace(",", ""))
        workers = cells[2].split()[0]
        seconds = re.match(r"[\d,.]+", cells[3])
        if seconds:
            name = f"{workers} worker{'s' if workers != '1' else ''}"
            series.setdefault(name, []).append((mb, float(seconds.group().replace(",", ""))))
    return series


def chart(out: Path = ROOT / "docs" / "scaling_curve.svg", *, doc: Path = SCALING_DOC) -> Path:
    """Seconds vs MB of text on log-log axes (SVG, no plotting library) for the final runs, with a dashed
    linear-cost reference line through the largest run (slope 1 on log-log axes: time proportional to size)."""
    import math

    series = final_points(doc)
    pts_all = [p for s in series.values() for p in s]
    if not pts_all:
        raise SystemExit(f"no final figures in {doc}")
    w, h, left, right, top, bottom = 700, 420, 70, 80, 50, 60
    xs, ys = [x for x, _ in pts_all], [y for _, y in pts_all]
    lo_x, hi_x = 10 ** math.floor(math.log10(min(xs))), 10 ** math.ceil(math.log10(max(xs)))
    lo_y, hi_y = 10 ** math.floor(math.log10(min(ys))), 10 ** math.ceil(math.log10(max(ys)))

    def px(x: float, y: float) -> tuple[float, float]:
        fx = (math.log10(x) - math.log10(lo_x)) / (math.log10(hi_x) - math.log10(lo_x))
        fy = (math.log10(y) - math.log10(lo_y)) / (math.log10(hi_y) - math.log10(lo_y))
        return left + fx * (w - left - right), h - bottom - fy * (h - top - bottom)

    x0, y0 = px(lo_x, lo_y)
    x1, y1 = px(hi_x, hi_y)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" font-family="sans-serif" font-size="12">',
        f'<rect width="{w}" height="{h}" fill="white"/>',
        (
            f'<text x="{w / 2}" y="24" text-anchor="middle" font-size="14">zhcorpus run (ingest, local executor): '
            "time vs corpus size, log-log</text>"
        ),
    ]
    for e in range(round(math.log10(lo_x)), round(math.log10(hi_x)) + 1):
        x, _ = px(10**e, lo_y)
        parts.append(f'<line x1="{x:.1f}" y1="{y1:.1f}" x2="{x:.1f}" y2="{y0:.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{x:.1f}" y="{y0 + 16:.1f}" text-anchor="middle">{10**e:,.0f}</text>')
    for e in range(round(math.log10(lo_y)), round(math.log10(hi_y)) + 1):
        _, y = px(lo_x, 10**e)
        parts.append(f'<line x1="{x0:.1f}" y1="{y:.1f}" x2="{x1:.1f}" y2="{y:.1f}" stroke="#eee"/>')
        parts.append(f'<text x="{x0 - 6:.1f}" y="{y + 4:.1f}" text-anchor="end">{10**e:,.0f}</text>')
    parts += [
        f'<line x1="{x0:.1f}" y1="{y0:.1f}" x2="{x1:.1f}" y2="{y0:.1f}" stroke="black"/>',
        f'<line x1="{x0:.1f}" y1="{y1:.1f}" x2="{x0:.1f}" y2="{y0:.1f}" stroke="black"/>',
        f'<text x="{(x0 + x1) / 2:.1f}" y="{h - 15}" text-anchor="middle">text ingested (MB, log scale)</text>',
        (
            f'<text x="18" y="{(y0 + y1) / 2:.1f}" transform="rotate(-90 18 {(y0 + y1) / 2:.1f})" '
            'text-anchor="middle">seconds (log scale)</text>'
        ),
    ]
    # reference: seconds proportional to MB, through the largest run
    ref_x, ref_y = max(pts_all)
    rate = ref_y / ref_x
    a = (max(lo_x, lo_y / rate), min(hi_x, hi_y / rate))
    (ax, ay), (bx, by) = px(a[0], a[0] * rate), px(a[1], a[1] * rate)
    parts.append(
        f'<line x1="{ax:.1f}" y1="{ay:.1f}" x2="{bx:.1f}" y2="{by:.1f}" stroke="#888" stroke-dasharray="5,4"/>'
    )
    colors = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e"]
    legend = [(f"linear reference: {rate:.2f} s per MB", "#888")]
    for k, (name, pts) in enumerate(sorted(series.items(), key=lambda kv: -len(kv[1]))):
        pts = sorted(pts)
        c = colors[k % len(colors)]
        if len(pts) > 1:
            path = " ".join(f"{px(x, y)[0]:.1f},{px(x, y)[1]:.1f}" for x, y in pts)
            parts.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
        for x, y in pts:
            cx, cy = px(x, y)
            parts.append(f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4" fill="{c}"/>')
            label = f"{y:,.0f} s"
            parts.append(f'<text x="{cx + 7:.1f}" y="{cy + 14:.1f}" fill="{c}" font-size="11">{label}</text>')
        legend.append((f"{name} ({', '.join(f'{x:,.0f}' for x, _ in pts)} MB)", c))
    for k, (text, c) in enumerate(legend):
        parts.append(f'<text x="{x0 + 12:.1f}" y="{y1 + 18 + 16 * k:.1f}" fill="{c}">{text}</text>')
    parts.append("</svg>")
    out.write_text("\n".join(parts) + "\n", encoding="utf-8")
    return out


# --- command line ---------------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("command", choices=["build", "run", "_child", "matrix", "curve", "resume", "transport", "chart"])
    ap.add_argument("--mb", type=float, nargs="*", default=[10])
    ap.add_argument("--executor", default="dask")
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--tag", default="")
    args = ap.parse_args()
    BASE.mkdir(parents=True, exist_ok=True)
    if args.command == "build":
        for mb in args.mb:
            print(build(mb), json.loads((build(mb) / ".complete").read_text()))
    elif args.command == "_child":
        print(json.dumps(run_one(build(args.mb[0]), executor=args.executor, workers=args.workers, mb=args.mb[0],
                                 tag=args.tag), ensure_ascii=False))
    elif args.command == "run":
        for mb in args.mb:
            run_child(mb, args.executor, args.workers, args.tag)
    elif args.command == "matrix":  # 1 vs 2 workers, local vs dask, at one size
        for executor in ("local", "dask"):
            for workers in (1, 2):
                run_child(args.mb[0], executor, workers, "matrix")
    elif args.command == "curve":  # time vs size, one configuration
        for mb in args.mb:
            run_child(mb, args.executor, args.workers, "curve")
    elif args.command == "resume":
        resume_check(args.mb[0], executor=args.executor, workers=args.workers)
    elif args.command == "transport":
        transport()
    elif args.command == "chart":
        print(chart())


if __name__ == "__main__":
    main()
