"""Time the report builders on a synthetic store of N documents (or on an existing workspace store).

.venv/bin/python tests/bench/bench_report.py --docs 200 --facts 150
.venv/bin/python tests/bench/bench_report.py --store /path/to/zhcorpus.duckdb
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

from pipelines.report import build_report, build_workbook
from pipelines.store import Store


def synthetic(path: Path, docs: int, facts: int) -> Store:
    import test_report as tr

    with tr.analysis_tables():
        base = tr.make_store(path, n_facts=facts)
    # copy the 4 template documents to ``docs`` documents
    for table in ("documents", "texts", "facts", "rules", "measures", "themes", "topics", "keywords"):
        cols = [r[0] for r in base.con.execute(f'DESCRIBE "{table}"').fetchall()]
        sel = ", ".join("doc_id || '-' || i::VARCHAR" if c == "doc_id" else f'"{c}"' for c in cols)
        base.con.execute(
            f'INSERT INTO "{table}" SELECT {sel} FROM "{table}", range(1, {max(1, docs // 4)}) r(i) '
            f"WHERE position('-' IN doc_id) = 0"
        )
    return base


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=200)
    ap.add_argument("--facts", type=int, default=150, help="facts per document")
    ap.add_argument("--store", type=Path)
    args = ap.parse_args()
    out = Path(tempfile.mkdtemp())
    store = (
        Store(args.store, read_only=True)
        if args.store
        else synthetic(out / "x.duckdb", args.docs, args.facts)
    )
    counts = {
        t: store.con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0]
        for t in ("documents", "facts", "rules", "measures", "themes")
        if store.has_table(t)
    }
    t0 = time.perf_counter()
    html = build_report(store, out)
    t1 = time.perf_counter()
    xlsx = build_workbook(store, out / "zhcorpus.xlsx")
    t2 = time.perf_counter()
    print(f"rows {counts}")
    print(
        f"report {t1 - t0:.2f} s ({html.stat().st_size / 1e6:.1f} MB); workbook {t2 - t1:.2f} s "
        f"({xlsx.stat().st_size / 1e6:.1f} MB)"
    )


if __name__ == "__main__":
    main()
