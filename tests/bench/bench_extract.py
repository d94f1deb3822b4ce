"""Benchmark: extraction time (facts + rules + measures) as a share of segmentation time (issue 4 target: < 30%).

    .venv/bin/python tests/bench/bench_extract.py [--repeat 3] [--dump OUT.jsonl] [--profile [facts|rules|measures]]

Builds the Documents of ../shared/corpora/gov_work_reports/reports/*.txt the way the pipeline does
(nlp.readers.read_file -> nlp.clean.clean_and_structure -> nlp.meta.extract_meta), then, in the same process,
times segmentation (nlp.lang.tag_texts over every block, as the tokens stage runs it) and each extractor with
those per-block (word, tag) lists, as pipelines/stages.py calls them: nlp.extract.numbers.extract_facts,
nlp.extract.rules.extract_rules + iter_rule_mentions (the rules stage writes both tables) and
nlp.extract.measures.extract_measures. Prints each extractor's share and the total.

Each timing is the best of ``--repeat`` runs of process CPU time (the machine is shared, so wall time is noisy),
the extractors' per-string caches emptied before each run (see ``clear_string_caches``);
wall time is printed too. ``--dump`` writes every record as JSON Lines tagged with its table (to diff the output
of two versions); ``--profile`` prints the top functions of one run of the named extractor (all when omitted).

Where the time goes (session 12): segmentation here is rjieba at 2.5-3M chars/s, so the < 30% target asks the
three extractors for about 10M chars/s, about 15 microseconds per record (5,325 facts, 338 rules, 1,278 measures
on this corpus); they run at about 2M chars/s, and the profile is flat (~150 Python calls per fact, no function
above 15%). Compiling the six extractor modules unchanged with Cython (``cythonize -i -3``, run alternately with
the pure-Python modules in the same window) took the total from 0.55-0.69 s to 0.44-0.49 s of CPU, about 1.2x:
the cost is the interpretation of many small checks, and only a rewrite in a compiled language would close a 5x gap.
"""

from __future__ import annotations

import argparse
import cProfile
import hashlib
import json
import pstats
import sys
import time
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"

from nlp.document import Document
from nlp.extract import rules as rules_module
from nlp.extract.measures import extract_measures
from nlp.extract.numbers import extract_facts
from nlp.extract.rules import extract_rules, iter_rule_mentions
from nlp.lang import tag_texts


def build_documents(paths: list[Path]) -> list[Document]:
    """Documents as the pipeline builds them (pipelines.stages.build_document: read, clean + structure, metadata)."""
    from pipelines.stages import build_document

    docs = []
    for path in paths:
        data = path.read_bytes()
        docs.append(build_document(path, sha256=hashlib.sha256(data).hexdigest(), size=len(data)))
    return docs


def clear_string_caches() -> int:
    """Empty the extractors' per-string caches (lru_cache of 1,024+ entries, and measures' token cache), so that
    each timed run starts as the first pass over these texts does: repeating the same corpus would otherwise hit
    them on nearly every string and flatter runs 2..N. One-off tables (small lru_caches) are kept. Returns how many
    caches were emptied."""
    from nlp.extract import cn_numbers, measures, numbers, regions, rules

    n = 0
    for module in (numbers, cn_numbers, regions, rules, measures):
        for obj in vars(module).values():
            info = getattr(obj, "cache_info", None)
            if info is not None and (info().maxsize or 0) >= 1024:
                obj.cache_clear()
                n += 1
    measures._NAME_TOKEN.clear()
    return n + 1


def _best(fn: Callable[[], object], repeat: int, *, cold: bool = False) -> tuple[float, float, object]:
    """(best CPU seconds, best wall seconds, last result) over ``repeat`` runs; ``cold``: per-string caches
    emptied before each run."""
    cpu_best = wall_best = float("inf")
    result: object = None
    for _ in range(repeat):
        if cold:
            clear_string_caches()
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        cpu_best = min(cpu_best, time.process_time() - c)
        wall_best = min(wall_best, time.perf_counter() - w)
    return cpu_best, wall_best, result


def _extractors(
    docs: list[Document], tokens: list[list[list[tuple[str, str]]]]
) -> dict[str, Callable[[], dict[str, list]]]:
    """One zero-argument runner per extractor, each returning {table: records over all documents}."""
    pairs = list(zip(docs, tokens, strict=True))

    def facts() -> dict[str, list]:
        return {"facts": [f for d, t in pairs for f in extract_facts(d, tokens=t)]}

    def rules() -> dict[str, list]:
        rules_module._cached_mentions.cache_clear()  # time real work, not hits left by the previous run
        out: dict[str, list] = {"rules": [], "rule_mentions": []}
        for d, t in pairs:  # per document, in the order of the rules stage
            out["rules"] += extract_rules(d, tokens=t)
            out["rule_mentions"] += iter_rule_mentions(d)
        return out

    def measures() -> dict[str, list]:
        return {"measures": [m for d, t in pairs for m in extract_measures(d, tokens=t)]}

    return {"facts": facts, "rules": rules, "measures": measures}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dump", type=Path, default=None)
    ap.add_argument(
        "--profile", nargs="?", const="all", default=None, choices=["all", "facts", "rules", "measures"]
    )
    args = ap.parse_args()

    paths = sorted((SHARED / "corpora" / "gov_work_reports" / "reports").glob("*.txt"))
    docs = build_documents(paths)
    chars = sum(len(d.text) for d in docs)
    tag_texts(["预热分词器。"])  # load the dictionary outside the timing

    def segment() -> list[list[list[tuple[str, str]]]]:
        return [tag_texts([b.text for b in d.blocks]) for d in docs]

    seg_cpu, seg_wall, tokens = _best(segment, args.repeat)
    assert isinstance(tokens, list)
    runners = _extractors(docs, tokens)
    for run in runners.values():
        run()  # warm-up: lexicons, gazetteers and compiled patterns load outside the timing

    print(f"{len(docs)} documents, {chars:,} chars")
    print(f"{'segmentation':<14} {seg_cpu:6.2f}s cpu {seg_wall:6.2f}s wall {chars / seg_cpu:>12,.0f} chars/s")
    outputs: dict[str, list] = {}
    tot_cpu = tot_wall = 0.0
    for name, run in runners.items():
        cpu, wall, out = _best(run, args.repeat, cold=True)
        assert isinstance(out, dict)
        outputs.update(out)
        tot_cpu += cpu
        tot_wall += wall
        counts = ", ".join(f"{len(v):,} {k}" for k, v in out.items())
        print(
            f"{name:<14} {cpu:6.2f}s cpu {wall:6.2f}s wall  share {cpu / seg_cpu:5.0%} cpu {wall / seg_wall:5.0%} wall  ({counts})"
        )
    print(
        f"{'total':<14} {tot_cpu:6.2f}s cpu {tot_wall:6.2f}s wall  share {tot_cpu / seg_cpu:5.0%} cpu "
        f"{tot_wall / seg_wall:5.0%} wall  (target < 30%)"
    )
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for table, records in outputs.items():
                for r in records:
                    fh.write(json.dumps({"table": table, **asdict(r)}, ensure_ascii=False) + "\n")
    if args.profile:
        names = list(runners) if args.profile == "all" else [args.profile]
        prof = cProfile.Profile()
        prof.enable()
        for name in names:
            runners[name]()
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
