"""CPU of the structure stage (read -> clean_and_structure -> extract_meta) on a fixed file set, and an exact
dump of what it builds (run by hand, not in CI).

    .venv/bin/python tests/bench/bench_clean.py                        # best-of-3 CPU per phase
    .venv/bin/python tests/bench/bench_clean.py --dump /tmp/new.jsonl  # + every Document field, one JSON a line
    .venv/bin/python tests/bench/bench_clean.py --old /tmp/old_nlp --rounds 5
        # same-process A/B: the package ``oldnlp`` under /tmp/old_nlp (a copy of nlp/{readers,clean,structure,
        # meta}.py with ``from nlp import structure`` renamed) against the working tree, alternated per round
        # (who runs first alternates too; gc.collect() before each run)

The file set: gov_work_reports/reports/*.txt, provincial_gwr_2025/*.txt, every 3rd state_council_regulations
*.md (sorted) and seeds/*.txt. The dump holds text, blocks (kind, level, section, rows, offsets), sentences,
meta, removals, format and encoding, so a speed change can be checked to leave the output byte-identical
(``cmp old.jsonl new.jsonl``). Times are process CPU (the machine is shared), per phase, best of the rounds.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import importlib
import json
import sys
import time
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nlp.document import Document

SHARED = ROOT.parent / "shared"
PHASES = ("read", "clean_and_structure", "extract_meta")


def file_set() -> list[Path]:
    """The fixed benchmark files (see the module docstring)."""
    corpora = SHARED / "corpora"
    paths = sorted((corpora / "gov_work_reports" / "reports").glob("*.txt"))
    paths += sorted((corpora / "provincial_gwr_2025").glob("*.txt"))
    paths += sorted((corpora / "state_council_regulations").rglob("*.md"))[::3]
    paths += sorted((SHARED / "seeds").glob("*.txt"))
    return paths


def load(package: str) -> tuple[ModuleType, ModuleType, ModuleType]:
    """(readers, clean, meta) modules of ``package``."""
    return tuple(importlib.import_module(f"{package}.{name}") for name in ("readers", "clean", "meta"))  # type: ignore[return-value]


def build(
    path: Path, data: bytes, mods: tuple[ModuleType, ModuleType, ModuleType], cpu: list[float]
) -> Document:
    """What pipelines.stages.build_document does, with the phases timed into ``cpu``."""
    readers, clean, meta = mods
    t0 = time.process_time()
    raw = readers.read_file(path)
    t1 = time.process_time()
    text, blocks, sentences, removals = clean.clean_and_structure(raw)
    t2 = time.process_time()
    m = meta.extract_meta(text, blocks, path.name)
    t3 = time.process_time()
    cpu[0] += t1 - t0
    cpu[1] += t2 - t1
    cpu[2] += t3 - t2
    return Document(
        doc=path.name,
        path=str(path),
        sha256=hashlib.sha256(data).hexdigest(),
        size=len(data),
        text=text,
        blocks=blocks,
        sentences=sentences,
        meta=m,
        removals=removals,
        format=raw.format,
        encoding=raw.encoding,
    )


def run(paths: list[Path], datas: list[bytes], mods: Any) -> tuple[list[float], list[Document]]:
    cpu = [0.0, 0.0, 0.0]
    docs = [build(p, d, mods, cpu) for p, d in zip(paths, datas, strict=True)]
    return cpu, docs


def dump(docs: list[Document], out: Path) -> None:
    with out.open("w", encoding="utf-8") as fh:
        for d in docs:
            fh.write(json.dumps(d.to_dict(), ensure_ascii=False, sort_keys=True) + "\n")


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dump", type=Path, help="write every Document of the working tree here (JSON lines)")
    ap.add_argument("--old", type=Path, help="directory holding the baseline package 'oldnlp' (A/B mode)")
    ap.add_argument("--old-dump", type=Path, help="with --old: write the baseline's Documents here")
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    paths = file_set()
    datas = [p.read_bytes() for p in paths]
    print(f"{len(paths)} files, {sum(map(len, datas)) / 1e6:.1f} MB")
    variants: dict[str, Any] = {"new": load("nlp")}
    if args.old:
        sys.path.insert(0, str(args.old))
        variants = {"old": load("oldnlp"), **variants}
    best: dict[str, list[float]] = {k: [float("inf")] * 4 for k in variants}
    last: dict[str, list[Document]] = {}
    for r in range(args.rounds):
        order = list(variants.items())
        for name, mods in order if r % 2 == 0 else order[::-1]:  # alternate who runs first
            last.pop(name, None)  # the previous round's Documents, so that both runs start alike
            gc.collect()
            cpu, docs = run(paths, datas, mods)
            last[name] = docs
            for i, v in enumerate([*cpu, sum(cpu)]):
                best[name][i] = min(best[name][i], v)
    for name, b in best.items():
        parts = ", ".join(f"{ph} {v:.3f}" for ph, v in zip(PHASES, b, strict=False))
        print(f"{name}: total {b[3]:.3f} s CPU (best of {args.rounds}; {parts})")
    if "old" in best:
        o, n = best["old"], best["new"]
        ratios = ", ".join(f"{ph} {o[i] / n[i]:.2f}x" for i, ph in enumerate(PHASES))
        print(f"old/new: total {o[3] / n[3]:.2f}x ({ratios})")
        same = [a.to_dict() == b.to_dict() for a, b in zip(last["old"], last["new"], strict=True)]
        print(f"identical Documents: {sum(same)}/{len(same)}")
    if args.dump:
        dump(last["new"], args.dump)
    if args.old_dump and "old" in last:
        dump(last["old"], args.old_dump)


if __name__ == "__main__":
    main()
