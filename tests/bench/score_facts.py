"""Score numeric-fact extraction against the dev gold, and time it against segmentation.

Usage:
    .venv/bin/python tests/bench/score_facts.py [--out PRED.jsonl] [--speed]

Builds a Document for every dev seed with nlp.clean.clean_and_structure (falls back to a simple stand-in:
flat text per paragraph, sentences split on 。！？；), writes the facts as JSON Lines and runs
``../shared/eval/score.py facts PRED.jsonl ../shared/gold/dev``. ``--speed`` also runs bench_extract.py
(extraction against nlp.lang.tag_texts segmentation on ../shared/corpora/gov_work_reports; target < 30%).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"

from nlp.document import Document
from nlp.extract.numbers import extract_facts


def build_document(path: Path) -> Document:
    """The Document the pipeline builds (pipelines.stages.build_document)."""
    from pipelines.stages import build_document as pipeline_document

    data = path.read_bytes()
    return pipeline_document(path, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def score(out: Path) -> str:
    gold = SHARED / "gold" / "dev"
    docs = sorted(
        {json.loads(line)["doc"] for line in (gold / "facts.jsonl").read_text().splitlines() if line}
    )
    n = 0
    with out.open("w", encoding="utf-8") as fh:
        for name in docs:
            for fact in extract_facts(build_document(SHARED / "seeds" / name)):
                fh.write(json.dumps(asdict(fact), ensure_ascii=False) + "\n")
                n += 1
    res = subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), "facts", str(out), str(gold)],
        capture_output=True,
        text=True,
        check=True,
    )
    return f"{n} facts written to {out}\n{res.stdout.strip()}"


def speed() -> str:
    """Extraction vs segmentation time on gov_work_reports: see tests/bench/bench_extract.py (run here)."""
    res = subprocess.run(
        [sys.executable, str(Path(__file__).with_name("bench_extract.py"))],
        capture_output=True,
        text=True,
        check=True,
    )
    return res.stdout.strip()


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=Path("/tmp/zhcorpus_facts_pred.jsonl"))
    ap.add_argument("--speed", action="store_true")
    args = ap.parse_args()
    print(score(args.out))
    if args.speed:
        print(speed())


if __name__ == "__main__":
    main()
