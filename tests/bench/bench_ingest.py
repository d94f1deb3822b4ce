"""Benchmark: ingest a real corpus, then re-run unchanged.

Reports MB/s of the first run, peak RSS (main process and worker processes), and the time of the unchanged
second run as a ratio of the first (target < 0.05). Figures are ratios within one process, never assertions.

    .venv/bin/python tests/bench/bench_ingest.py [FOLDER] [--workers 2] [--executor local]
"""

from __future__ import annotations

import argparse
import resource
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from pipelines.runner import discover, ingest, run
from pipelines.workspace import Workspace

DEFAULT = ROOT.parent / "shared" / "corpora" / "state_council_regulations"


class RssSampler(threading.Thread):
    """Samples the RSS of this process and all its descendants (worker processes) every 0.2 s."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak_main = 0
        self.peak_worker = 0
        self.stop = threading.Event()

    def run(self) -> None:
        import psutil

        me = psutil.Process()
        while not self.stop.is_set():
            try:
                self.peak_main = max(self.peak_main, me.memory_info().rss)
                for child in me.children(recursive=True):
                    try:
                        self.peak_worker = max(self.peak_worker, child.memory_info().rss)
                    except psutil.Error:
                        pass
            except psutil.Error:
                pass
            self.stop.wait(0.2)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("folder", nargs="?", default=str(DEFAULT))
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--executor", default="local")
    ap.add_argument("--full-run", action="store_true", help="zhcorpus run (all stages) instead of ingest")
    args = ap.parse_args()
    folder = Path(args.folder)
    if not folder.exists():
        sys.exit(f"missing {folder} (the ../shared folder)")
    files = discover([folder])
    mb = sum(f.stat().st_size for f in files) / 1e6
    tmp = Path(tempfile.mkdtemp(prefix="zhbench-"))
    try:
        ws = Workspace(tmp)
        sampler = RssSampler()
        sampler.start()
        fn = run if args.full_run else ingest
        t0 = time.perf_counter()
        first = fn(ws, [folder], executor=args.executor, workers=args.workers)
        t1 = time.perf_counter() - t0
        t0 = time.perf_counter()
        fn(ws, [folder], executor=args.executor, workers=args.workers)
        t2 = time.perf_counter() - t0
        rep = first if not args.full_run else first.ingest
        sampler.stop.set()
        rss_main = max(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024, sampler.peak_main) / 1e6
        rss_child = sampler.peak_worker / 1e6
        print(f"corpus: {folder} ({len(files)} files, {mb:.1f} MB)")
        print(f"first run: {t1:.2f} s, {mb / t1:.2f} MB/s, processed {rep.processed}, failed {len(rep.failed)}, "
              f"{args.workers} workers ({args.executor})")
        for doc_id, reason in rep.failed[:10]:
            print(f"  failed {doc_id}: {reason}")
        print(f"unchanged second run: {t2:.3f} s = {t2 / t1:.4f} x first run (target < 0.05)")
        print(f"peak RSS: main {rss_main:.0f} MB, largest worker {rss_child:.0f} MB")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
