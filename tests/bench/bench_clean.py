"""Throughput of nlp.clean.clean_and_structure on the shared corpora (run by hand, not in CI).

    .venv/bin/python tests/bench/bench_clean.py

Prints MB/s by wall clock and by process CPU time (the machine is shared, so CPU time is the steadier figure).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nlp.clean import clean_and_structure
from nlp.document import RawText

SHARED = ROOT.parent / "shared"


def main() -> None:
    paths = sorted((SHARED / "corpora" / "state_council_regulations" / "行政法规").glob("*.md"))
    paths += sorted((SHARED / "corpora" / "gov_work_reports" / "reports").glob("*.txt"))
    paths += sorted((SHARED / "seeds").glob("*.txt"))
    texts = [p.read_text(encoding="utf-8") for p in paths]
    size = sum(len(t.encode("utf-8")) for t in texts) / 1e6
    wall, cpu = time.perf_counter(), time.process_time()
    for t in texts:
        clean_and_structure(RawText(t, "txt"))
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    print(f"{len(texts)} files, {size:.1f} MB: {size / wall:.2f} MB/s wall, {size / cpu:.2f} MB/s cpu")


if __name__ == "__main__":
    main()
