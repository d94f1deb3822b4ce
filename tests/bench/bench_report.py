"""Time and peak memory of the report builders as the store grows (issue 8: memory must not grow with the corpus).

Builds synthetic stores with the real schema, multiplied in SQL (``INSERT ... SELECT FROM range()``, no Python
loops), at 10^5 and 10^6 facts (proportionally more documents, theme rows, rules, measures, topics, keywords:
the 1 GB corpus had 45k documents, 1.1M facts, 10.4M theme rows). Each size is measured in its own
subprocess: CPU seconds (``time.process_time``) and wall seconds of ``build_report`` and ``build_workbook``,
and the peak RSS (``resource.getrusage``) over a baseline taken after the imports.

    .venv/bin/python tests/bench/bench_report.py                   # 1e5 and 1e6 facts, prints a table + ratios
    .venv/bin/python tests/bench/bench_report.py --facts 20000 100000
    .venv/bin/python tests/bench/bench_report.py --store /path/to/zhcorpus.duckdb   # an existing store
    .venv/bin/python tests/bench/bench_report.py --compare-ref HEAD  # also the committed report.py (git show)
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]

FACTS_PER_DOC = 25  # 1.1M facts / 45k documents in the 1 GB run
THEME_CODES = [
    "talent",
    "infrastructure",
    "rule_alignment",
    "finance",
    "trade",
    "data",
    "platform",
    "security",
    "green",
    "innovation",
    "industry",
    "region",
    "open",
    "service",
    "market",
    "digital_gov",
    "ecommerce",
    "logistics",
    "standards",
    "cooperation",
]
INSTRUMENTS = [
    ("supply", "人才支持"),
    ("supply", "资金投入"),
    ("supply", "技术支持"),
    ("environment", "税收优惠"),
    ("environment", "法规管制"),
    ("environment", "目标规划"),
    ("environment", "金融支持"),
    ("demand", "政府采购"),
    ("demand", "示范工程"),
    ("demand", "贸易管制"),
]


def _sql_list(values: list[str]) -> str:
    return "[" + ", ".join("'" + v.replace("'", "''") + "'" for v in values) + "]"


def build_store(path: Path, n_facts: int) -> dict[str, int]:
    """A store of ``n_facts / 25`` documents with every table the report reads; returns the row counts.

    Per document: 25 facts, 230 theme rows (20 document-level codes, 20 section, 40 paragraph, 120 sentence rows
    of the theme scheme and 30 instrument sentences), 4 rule references, 6 named measures, 16 topic shares,
    20 keywords and a short text.
    """
    from pipelines.store import Store

    n_docs = max(4, n_facts // FACTS_PER_DOC)
    store = Store(path)
    con = store.con
    codes, instr = _sql_list(THEME_CODES), _sql_list([c for _, c in INSTRUMENTS])
    groups = _sql_list([g for g, _ in INSTRUMENTS])
    doc_id = "'corpus/doc' || lpad(i::VARCHAR, 6, '0') || '.txt'"
    doc = "'doc' || lpad(i::VARCHAR, 6, '0') || '.txt'"
    sent = "'第' || i || '篇第' || j || '句：2023年全省数字经济规模达到' || (1000 + (i * 37 + j) % 900) || '亿元，同比增长' || (j % 9 + 1) || '%。'"
    con.execute(
        f"""INSERT INTO documents (doc_id, doc, path, title, year, genre, issuer, size, chars, sha256, status, pipeline)
        SELECT {doc_id}, {doc}, {doc_id},
               ['关于推进数字贸易高质量发展的意见', '政府工作报告', '数据要素市场化配置改革方案', '人工智能人才培养研究'][i % 4 + 1] || i,
               1990 + i % 35, ['policy', 'report', 'regulation', 'academic'][i % 4 + 1], '国务院', 3000, 1000, i::VARCHAR,
               'ok', 'bench'
        FROM range({n_docs}) r(i)"""
    )
    con.execute(
        f"INSERT INTO texts SELECT {doc_id}, {doc}, repeat('数字贸易与跨境电商规则对接' || (i % 50) || '，', 20) "
        f"FROM range({n_docs}) r(i)"
    )
    con.execute(
        f"""INSERT INTO facts (doc_id, doc, section, paragraph, sentence, char_start, char_end, number, value, unit,
                               kind, scaled_value, scaled_unit, approx, year, indicator, region, comparison, source)
        SELECT {doc_id}, {doc}, '一、总体要求 > （一）发展目标', j, {sent}, j * 40, j * 40 + 6,
               (1000 + (i * 37 + j) % 900) || '亿元', 1000 + (i * 37 + j) % 900, '亿元', 'money',
               (1000 + (i * 37 + j) % 900) * 1e8, '元', j % 3 = 0, '2023',
               ['数字经济规模', '增长率', '进出口总额', '研发投入'][j % 4 + 1], ['广东省', '浙江省', '全国'][j % 3 + 1],
               CASE WHEN j % 2 = 1 THEN '同比' END, 'regex'
        FROM range({n_docs}) r(i), range({FACTS_PER_DOC}) f(j)"""
    )
    theme_row = (
        "SELECT {doc_id}, {doc}, 'themes', '{level}', {codes}[(k % 20) + 1], '', (k % 7) * 0.8, (k % 5) * 1.0, "
        "k % 3 <> 0, '第' || (k % 5) || '节', '', {para}, {sent_idx}, ['人才'], [{sent}], 0, 10 "
        "FROM range({n_docs}) r(i), range({n}) t(k), (SELECT 0 AS j)"
    )
    cols = (
        'doc_id, doc, scheme, level, code, "group", score, raw, labelled, section, heading, paragraph, sentence, '
        "terms, evidence, char_start, char_end"
    )
    for level, n, para, sent_idx in [
        ("document", 20, "NULL", "NULL"),
        ("section", 20, "k % 5", "NULL"),
        ("paragraph", 40, "k % 10", "NULL"),
        ("sentence", 120, "k % 10", "k % 30"),
    ]:
        con.execute(
            f"INSERT INTO themes ({cols}) "
            + theme_row.format(
                doc_id=doc_id,
                doc=doc,
                level=level,
                codes=codes,
                n=n,
                para=para,
                sent_idx=sent_idx,
                sent=sent,
                n_docs=n_docs,
            )
        )
    con.execute(
        f"""INSERT INTO themes ({cols})
        SELECT {doc_id}, {doc}, 'instruments', 'sentence', {instr}[(k % 10) + 1], {groups}[(k % 10) + 1], 3.0, 2.0,
               k % 4 <> 0, '二、重点任务', '', k % 10, k % 30, [], [{sent}], 0, 10
        FROM range({n_docs}) r(i), range(30) t(k), (SELECT 0 AS j)"""
    )
    con.execute(
        f"""INSERT INTO rules (doc_id, doc, section, paragraph, sentence, char_start, char_end, surface, canonical,
                               aliases, kind, level, doc_number, articles, mentions)
        SELECT {doc_id}, {doc}, '二、重点任务', k, {sent}, 0, 10, '《规则' || ((i * 7 + k * 13) % 300) || '号》',
               '规则' || ((i * 7 + k * 13) % 300) || '号', [], 'law', 'national', NULL, ['第三条'], 1 + k % 2
        FROM range({n_docs}) r(i), range(4) t(k), (SELECT 1 AS j)"""
    )
    con.execute(
        f"""INSERT INTO measures (doc_id, doc, section, paragraph, sentence, char_start, char_end, surface, canonical,
                                  kind, mentions)
        SELECT {doc_id}, {doc}, '二、重点任务', k, {sent}, 0, 6, '专项行动' || ((i * 11 + k) % 500),
               '专项行动' || ((i * 11 + k) % 500), ['action', 'program', 'pilot'][k % 3 + 1], 2
        FROM range({n_docs}) r(i), range(6) t(k), (SELECT 2 AS j)"""
    )
    con.execute(
        "CREATE TABLE IF NOT EXISTS topics (doc_id VARCHAR, doc VARCHAR, topic BIGINT, share DOUBLE, label VARCHAR)"
    )
    con.execute(
        f"INSERT INTO topics SELECT {doc_id}, {doc}, t, ((i + t) % 16 + 1) / 136.0, '主题' || t "
        f"FROM range({n_docs}) r(i), range(16) tt(t)"
    )
    con.execute(
        "CREATE TABLE IF NOT EXISTS topic_terms (topic BIGINT, rank BIGINT, term VARCHAR, weight DOUBLE)"
    )
    con.execute(
        "INSERT INTO topic_terms SELECT t, k + 1, '词' || (t * 15 + k), 1.0 / (k + 1) FROM range(16) a(t), range(15) b(k)"
    )
    con.execute(
        "CREATE TABLE IF NOT EXISTS topic_coherence AS SELECT k, 0.4 + k / 100.0 AS c_v, 0.01 * k AS c_npmi FROM range(4, 24, 4) r(k)"
    )
    con.execute(
        "CREATE TABLE IF NOT EXISTS keywords (doc_id VARCHAR, doc VARCHAR, rank BIGINT, term VARCHAR, score DOUBLE)"
    )
    con.execute(
        f"INSERT INTO keywords SELECT {doc_id}, {doc}, k + 1, '关键词' || ((i * 17 + k * 31) % 3000), 1.0 / (k + 1) "
        f"FROM range({n_docs}) r(i), range(20) t(k)"
    )
    counts = {
        t: int(con.execute(f'SELECT count(*) FROM "{t}"').fetchone()[0])  # type: ignore[index]
        for t in ("documents", "facts", "themes", "rules", "measures", "topics", "keywords")
    }
    store.close()
    return counts


def _load_report(ref: str | None):
    """pipelines.report, or the version committed at git ``ref`` (read with ``git show``, nothing checked out)."""
    if ref is None:
        from pipelines import report

        return report
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{ref}:pipelines/report.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    folder = Path(tempfile.mkdtemp(prefix="zcref"))
    (folder / "report_assets").symlink_to(
        ROOT / "pipelines" / "report_assets"
    )  # the module finds them by __file__
    path = folder / "report.py"
    path.write_text(source, encoding="utf-8")
    spec = importlib.util.spec_from_file_location("pipelines._bench_report", path)
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    sys.modules[spec.name] = module  # type: ignore[union-attr]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    return module


class PeakRSS:
    """Samples this process's RSS every ``every`` seconds in a thread; ``peak()`` is the largest since ``reset()``.

    (``getrusage``'s high-water mark cannot be reset, and start-up imports already push it above what the report
    needs, so it would hide the report's own peak.)
    """

    def __init__(self, every: float = 0.01) -> None:
        import psutil

        self.proc, self.every, self.top, self.stop = psutil.Process(), every, 0, threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def _run(self) -> None:
        while not self.stop.is_set():
            self.top = max(self.top, self.proc.memory_info().rss)
            time.sleep(self.every)

    def reset(self) -> float:
        self.top = self.proc.memory_info().rss
        return self.top / 2**20

    def peak(self) -> float:
        self.top = max(self.top, self.proc.memory_info().rss)
        return self.top / 2**20


def measure(store_path: Path, *, ref: str | None = None, max_rows: int | None = None) -> dict[str, float]:
    """Build the report and the workbook from ``store_path`` in THIS process; CPU/wall seconds and RSS (MB)."""
    from pipelines.store import Store

    report = _load_report(ref)
    out = Path(tempfile.mkdtemp(prefix="zcbench"))
    sampler = PeakRSS()
    with Store.open(store_path, read_only=True) as store:
        base = sampler.reset()
        c0, w0 = time.process_time(), time.perf_counter()
        html = report.build_report(store, out)
        c1, w1 = time.process_time(), time.perf_counter()
        peak_report = sampler.peak()
        sampler.reset()
        kwargs = {"max_rows": max_rows} if max_rows else {}
        xlsx = report.build_workbook(store, out / "zhcorpus.xlsx", **kwargs)
        c2, w2 = time.process_time(), time.perf_counter()
        peak_workbook = sampler.peak()
    sampler.stop.set()
    return {
        "rss_before_mb": round(base, 1),
        "peak_rss_report_mb": round(peak_report, 1),
        "peak_rss_workbook_mb": round(peak_workbook, 1),
        "peak_rss_mb": round(max(peak_report, peak_workbook), 1),
        "ru_maxrss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "report_cpu_s": round(c1 - c0, 2),
        "report_wall_s": round(w1 - w0, 2),
        "workbook_cpu_s": round(c2 - c1, 2),
        "workbook_wall_s": round(w2 - w1, 2),
        "html_mb": round(html.stat().st_size / 1e6, 2),
        "xlsx_mb": round(xlsx.stat().st_size / 1e6, 2),
    }


def python_heap(store_path: Path) -> dict[str, float]:
    """Peak of the Python heap (``tracemalloc``: pandas frames, lists, the page being built) during the report.

    RSS also counts DuckDB's buffers, bounded by its ``memory_limit`` but not by the corpus at small sizes.
    """
    import tracemalloc

    from pipelines.report import build_report
    from pipelines.store import Store

    with Store.open(store_path, read_only=True) as store:
        tracemalloc.start()
        build_report(store, Path(tempfile.mkdtemp(prefix="zcbench")))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return {"report_python_heap_peak_mb": round(peak / 2**20, 1)}


def _child(store: Path, ref: str | None, *, trace: bool = False) -> dict[str, float]:
    flag = "--trace" if trace else "--measure"
    cmd = [sys.executable, __file__, flag, str(store)] + (["--ref", ref] if ref else [])
    done = subprocess.run(cmd, check=True, capture_output=True, text=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--facts", type=int, nargs="+", default=[100_000, 1_000_000])
    ap.add_argument("--store", type=Path, help="measure an existing store instead of synthetic ones")
    ap.add_argument("--compare-ref", help="also measure pipelines/report.py as committed at this git ref")
    ap.add_argument("--ref-max-facts", type=int, default=100_000, help="largest size to run --compare-ref on")
    ap.add_argument("--measure", type=Path, help=argparse.SUPPRESS)  # child process: one measurement
    ap.add_argument("--ref", help=argparse.SUPPRESS)
    ap.add_argument("--trace", type=Path, help=argparse.SUPPRESS)  # child process: Python heap peak
    args = ap.parse_args()
    if args.trace:
        print(json.dumps(python_heap(args.trace)))
        return
    if args.measure:
        print(json.dumps(measure(args.measure, ref=args.ref)))
        return
    if args.store:
        print(json.dumps(_child(args.store, None)))
        return
    tmp = Path(tempfile.mkdtemp(prefix="zcbench-stores"))
    results = []
    for n in args.facts:
        path = tmp / f"s{n}.duckdb"
        t0 = time.perf_counter()
        counts = build_store(path, n)
        build_s = time.perf_counter() - t0
        row = {
            "facts_target": n,
            "rows": counts,
            "build_s": round(build_s, 1),
            "store_mb": round(path.stat().st_size / 1e6, 1),
        }
        row["new"] = _child(path, None) | _child(path, None, trace=True)
        if args.compare_ref and n <= args.ref_max_facts:
            row["ref"] = _child(path, args.compare_ref)
        print(json.dumps(row, ensure_ascii=False), flush=True)
        results.append(row)
        path.unlink()
    if len(results) >= 2:
        small, large = results[0]["new"], results[-1]["new"]
        keys = (
            "peak_rss_report_mb",
            "peak_rss_workbook_mb",
            "report_python_heap_peak_mb",
            "report_cpu_s",
            "report_wall_s",
            "workbook_cpu_s",
        )
        ratio = {k: round(large[k] / small[k], 2) if small[k] else None for k in keys}
        for k in ("peak_rss_report_mb", "peak_rss_workbook_mb"):  # growth over the RSS before the build
            small_growth, large_growth = small[k] - small["rss_before_mb"], large[k] - large["rss_before_mb"]
            ratio[k.replace("peak_rss", "rss_growth")] = round(large_growth / max(small_growth, 1.0), 2)
        ratio["rows"] = round(results[-1]["rows"]["facts"] / results[0]["rows"]["facts"], 2)
        print(json.dumps({"ratio_large_over_small": ratio}))


if __name__ == "__main__":
    main()
