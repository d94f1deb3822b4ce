"""Score rule references and named measures on the dev seeds with ../shared/eval/score.py.

Usage:  .venv/bin/python tests/bench/score_rules_measures.py [--out DIR] [--show]

Builds a Document per seed (nlp.clean.clean_and_structure when it exists, else a simple stand-in that lives
only in this script), writes rules.jsonl / measures.jsonl and runs the scorer against ../shared/gold/dev.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"

from nlp.document import Block, Document, RawText, Sentence
from nlp.extract.measures import extract_measures
from nlp.extract.rules import extract_rules

CJK_GAP = re.compile(r"(?<=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》、])\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》、\w])|(?<=\w)\s+(?=[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef“”‘’《》])")
SENT_END = re.compile(r"[^。！？；!?;\n]*[。！？；!?;]?")


def stand_in_clean(raw: RawText) -> tuple[str, list[Block], list[Sentence], list]:
    """Stand-in for nlp.clean.clean_and_structure: join CJK runs across spaces/line breaks, one block per chunk."""
    chunks = [c for c in re.split(r"\n\s*\n", raw.text) if c.strip()]
    blocks: list[Block] = []
    sentences: list[Sentence] = []
    parts: list[str] = []
    pos = 0
    for i, chunk in enumerate(chunks):
        t = CJK_GAP.sub("", chunk.strip())
        t = re.sub(r"\s*\n\s*", "", t)
        blocks.append(Block(idx=i, kind="prose", text=t, char_start=pos, char_end=pos + len(t)))
        for m in SENT_END.finditer(t):
            if m.group(0).strip():
                sentences.append(Sentence(para=i, idx=len(sentences), text=m.group(0), char_start=pos + m.start(), char_end=pos + m.end()))
        parts.append(t)
        pos += len(t) + 1
    return "\n".join(parts), blocks, sentences, []


def build_document(path: Path) -> Document:
    return build_document_from_text(path.name, path.read_text(encoding="utf-8"), path=str(path))


def build_document_from_text(name: str, content: str, *, path: str = "") -> Document:
    """A Document from raw text: the real cleaner when importable, else the stand-in above."""
    raw = RawText(text=content, format="txt", encoding="utf-8")
    try:
        from nlp.clean import clean_and_structure  # type: ignore[attr-defined]

        text, blocks, sentences, removals = clean_and_structure(raw)
    except ImportError:
        text, blocks, sentences, removals = stand_in_clean(raw)
    data = content.encode("utf-8")
    return Document(doc=name, path=path or name, sha256=hashlib.sha256(data).hexdigest(), size=len(data), text=text,
                    blocks=blocks, sentences=sentences, removals=removals, format="txt", encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", type=Path, default=None)
    ap.add_argument("--show", action="store_true", help="print the predictions")
    args = ap.parse_args()
    out = args.out or Path(tempfile.mkdtemp(prefix="rules_measures_"))
    out.mkdir(parents=True, exist_ok=True)
    gold = SHARED / "gold" / "dev"
    docs = sorted({json.loads(line)["doc"] for f in ("rules.jsonl", "measures.jsonl") for line in (gold / f).read_text(encoding="utf-8").splitlines() if line.strip()})
    try:
        from nlp.clean import clean_and_structure  # noqa: F401

        print("cleaner: nlp.clean.clean_and_structure")
    except ImportError:
        print("cleaner: stand-in (nlp.clean not available)")
    t0 = time.perf_counter()
    with (out / "rules.jsonl").open("w", encoding="utf-8") as fr, (out / "measures.jsonl").open("w", encoding="utf-8") as fm:
        for name in docs:
            document = build_document(SHARED / "seeds" / name)
            for r in extract_rules(document):
                fr.write(json.dumps(asdict(r), ensure_ascii=False) + "\n")
                if args.show:
                    print("R", r.doc[:3], r.kind, r.level, r.mentions, r.surface, "=>", r.canonical, r.aliases, r.doc_number, r.articles)
            for m in extract_measures(document):
                fm.write(json.dumps(asdict(m), ensure_ascii=False) + "\n")
                if args.show:
                    print("M", m.doc[:3], m.kind, m.mentions, m.surface, "=>", m.canonical)
    print(f"extraction: {time.perf_counter() - t0:.2f}s for {len(docs)} documents; predictions in {out}")
    for what in ("rules", "measures"):
        res = subprocess.run([sys.executable, str(SHARED / "eval" / "score.py"), what, str(out / f"{what}.jsonl"), str(gold)],
                             capture_output=True, text=True, check=False)
        print(what, res.stdout.strip().splitlines()[-1] if res.stdout.strip() else res.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
