"""Figures (a)-(e) of the seed-quality checks, per seed (run by hand: .venv/bin/python tests/bench/seed_figures.py)."""

from __future__ import annotations

import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nlp.clean import clean_and_structure
from nlp.document import RawText
from nlp.structure import ends_sentence, is_note

_CJK = re.compile(r"[\u4e00-\u9fff]")


def main() -> None:
    for path in sorted((ROOT.parent / "shared" / "seeds").glob("*.txt")):
        raw = path.read_text(encoding="utf-8")
        text, blocks, sentences, removals = clean_and_structure(RawText(raw, "txt"))
        before, after = Counter(_CJK.findall(raw)), Counter(_CJK.findall(text))
        kept = sum((before & after).values()) / sum(before.values())
        prose = [b for b in blocks if b.kind == "prose" and not is_note(b.text)]
        ended = sum(1 for b in prose if ends_sentence(b.text))
        spaces = len(re.findall(r"[\u4e00-\u9fff][ \u3000]+[\u4e00-\u9fff]", text))
        kinds = Counter(b.kind for b in blocks)
        print(f"{path.name}: blocks {dict(kinds)}, sentences {len(sentences)}")
        print(
            f"  (a) CJK kept {kept:.2%}; removals {[(r.kind, r.text, r.count) for r in removals if r.kind != 'markup']}"
        )
        print(f"  (b) prose ending a sentence {ended}/{len(prose)} = {ended / max(1, len(prose)):.1%}")
        print(f"  (c) spaces between CJK characters: {spaces}")
        for needle in ("2019年的28.74%", "2023年的8433.00亿元"):
            hits = [b.idx for b in blocks if needle in b.text]
            if hits:
                print(f"  (d) {needle!r} in block(s) {hits}")
        for b in blocks:
            if b.kind == "table" and b.rows and any(r[0] == "2015" for r in b.rows):
                years = [r[0] for r in b.rows if re.fullmatch(r"(?:19|20)\d{2}", r[0])]
                print(
                    f"  (e) table block {b.idx}: {len(years)} year rows {years[0]}..{years[-1]}, {len(b.rows)} rows"
                )


if __name__ == "__main__":
    main()
