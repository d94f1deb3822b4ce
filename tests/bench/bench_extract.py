"""Benchmark: numeric fact extraction time as a share of segmentation time (issue 4 target: < 30%).

    .venv/bin/python tests/bench/bench_extract.py [--repeat 3] [--dump FACTS.jsonl] [--profile]

Builds the Documents of ../shared/corpora/gov_work_reports/reports/*.txt the way the pipeline does
(nlp.readers.read_file -> nlp.clean.clean_and_structure -> nlp.meta.extract_meta), then, in the same process,
times segmentation (nlp.lang.tag_texts over every block, as the tokens stage runs it) and
nlp.extract.numbers.extract_facts with those per-block tokens (as the facts stage calls it).

Each timing is the best of ``--repeat`` runs of process CPU time (the machine is shared, so wall time is noisy);
wall time is printed too. ``--dump`` writes the facts as JSON Lines (to diff the output of two versions);
``--profile`` prints the top functions of one extraction run under cProfile.
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

from nlp.clean import clean_and_structure
from nlp.document import Document
from nlp.extract.numbers import extract_facts
from nlp.lang import tag_texts
from nlp.meta import extract_meta
from nlp.readers import read_file


def build_documents(paths: list[Path]) -> list[Document]:
    """Documents as the pipeline builds them (read, clean + structure, metadata)."""
    docs = []
    for path in paths:
        raw = read_file(path)
        text, blocks, sentences, removals = clean_and_structure(raw)
        data = path.read_bytes()
        docs.append(
            Document(
                doc=path.name,
                path=str(path),
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                text=text,
                blocks=blocks,
                sentences=sentences,
                meta=extract_meta(text, blocks, path.name),
                removals=removals,
                format=raw.format,
                encoding=raw.encoding,
            )
        )
    return docs


def _best(fn: Callable[[], object], repeat: int) -> tuple[float, float, object]:
    """(best CPU seconds, best wall seconds, last result) over ``repeat`` runs."""
    cpu_best = wall_best = float("inf")
    result: object = None
    for _ in range(repeat):
        w, c = time.perf_counter(), time.process_time()
        result = fn()
        cpu_best = min(cpu_best, time.process_time() - c)
        wall_best = min(wall_best, time.perf_counter() - w)
    return cpu_best, wall_best, result


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--dump", type=Path, default=None)
    ap.add_argument("--profile", action="store_true")
    args = ap.parse_args()

    paths = sorted((SHARED / "corpora" / "gov_work_reports" / "reports").glob("*.txt"))
    docs = build_documents(paths)
    chars = sum(len(d.text) for d in docs)
    tag_texts(["预热分词器。"])  # load the dictionary outside the timing

    def segment() -> list[list[list[tuple[str, str]]]]:
        return [tag_texts([b.text for b in d.blocks]) for d in docs]

    seg_cpu, seg_wall, tokens = _best(segment, args.repeat)
    assert isinstance(tokens, list)

    def extract() -> list[list]:
        return [extract_facts(d, tokens=t) for d, t in zip(docs, tokens, strict=True)]

    ext_cpu, ext_wall, facts = _best(extract, args.repeat)
    assert isinstance(facts, list)
    n_facts = sum(map(len, facts))
    print(f"{len(docs)} documents, {chars:,} chars, {n_facts:,} facts")
    print(
        f"segmentation (tag_texts): {seg_cpu:6.2f}s cpu {seg_wall:6.2f}s wall  {chars / seg_cpu:>12,.0f} chars/s"
    )
    print(
        f"extraction (extract_facts): {ext_cpu:6.2f}s cpu {ext_wall:6.2f}s wall  {chars / ext_cpu:>12,.0f} chars/s"
    )
    print(
        f"extraction / segmentation: {ext_cpu / seg_cpu:.0%} (cpu), {ext_wall / seg_wall:.0%} (wall); target < 30%"
    )
    if args.dump:
        with args.dump.open("w", encoding="utf-8") as fh:
            for doc_facts in facts:
                for f in doc_facts:
                    fh.write(json.dumps(asdict(f), ensure_ascii=False) + "\n")
    if args.profile:
        prof = cProfile.Profile()
        prof.enable()
        extract()
        prof.disable()
        pstats.Stats(prof).sort_stats("cumulative").print_stats(30)
        pstats.Stats(prof).sort_stats("tottime").print_stats(25)


if __name__ == "__main__":
    main()
