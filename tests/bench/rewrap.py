"""Robustness check: do facts, rules and measures survive the damage of a PDF text extraction?

    .venv/bin/python tests/bench/rewrap.py [--width 36 46] [--blank] [--out DIR] [--show 4]

Takes the 31 provincial reports of ../shared/corpora/provincial_gwr_2025/ (clean text, one paragraph per line),
sets each again the way a PDF extraction hands it over: every paragraph hard-wrapped at a column width drawn per
document from ``--width`` (display width: an ASCII character counts 1/2, so digits and Latin pack as on a page;
no line starts with closing punctuation; a number or a Latin unit may be cut at the margin), short headings on a
line of their own, and every 42 lines a page number (— 3 —) and a running header (the title). ``--blank`` puts an
empty line after every line, as some extractions do (seed 000). Both versions are then read by the pipeline
(nlp.readers -> nlp.clean -> facts, rules, measures) and compared: per table, the records of the clean text that
the re-wrapped one lost or changed (facts keyed by number, unit, year and indicator; rules by canonical name;
measures by canonical name), with the first ``--show`` of each document.

The column widths worth checking: 20-26 (two-column papers, like seeds 000 and 002), 36-46 (a report page in
10.5 pt), 46-60 (a dense page in 9 pt). A paragraph whose sentence happens to end at the right margin cannot be
told from a paragraph end in text without indents, so a few differences (a year or indicator carried through a
paragraph) are expected; a lost number is a bug.
"""

from __future__ import annotations

import argparse
import random
import sys
from collections import Counter
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"

from nlp.extract.measures import extract_measures
from nlp.extract.numbers import extract_facts
from nlp.extract.rules import extract_rules
from nlp.lang import tag_texts
from nlp.structure import display_width
from pipelines.stages import build_document

NO_LINE_START = "。，、；：？！”）》"


def fill_lines(
    paragraph: str, width_of: Callable[[str], float], width: float, *, first: str = "", used: float = 0.0
) -> list[str]:
    """``paragraph`` cut into lines of at most ``width``, as a typesetter fills a column: ``width_of`` gives a
    character's width; no line starts with closing punctuation; the first line starts as ``first`` (an indent)
    with ``used`` of its width taken. Shared with tests/test_pdf_roundtrip.py, which measures with the PDF font."""
    lines: list[str] = []
    current = first
    for ch in paragraph:
        w = width_of(ch)
        if used + w > width and current and ch not in NO_LINE_START:
            lines.append(current)
            current, used = "", 0.0
        current += ch
        used += w
    if current:
        lines.append(current)
    return lines


def wrap(paragraph: str, width: float) -> list[str]:
    """``paragraph`` cut into lines of at most ``width`` (display width)."""
    return fill_lines(paragraph, display_width, width)


def rewrap(text: str, width: float, *, blank: bool, page_lines: int = 42) -> str:
    """``text`` (one paragraph per line) set again as a PDF extraction gives it (see the module docstring)."""
    paragraphs = [line.strip() for line in text.split("\n") if line.strip()]
    title = paragraphs[0][:20] if paragraphs else ""
    out: list[str] = []
    n, page = 0, 1
    for p in paragraphs:
        heading = len(p) < 30 and not p.endswith(("。", "；")) and display_width(p) <= width
        for line in [" " + p] if heading else wrap(p, width):
            out.append(line)
            n += 1
            if n % page_lines == 0:
                page += 1
                out += [f"— {page} —", title]
    return ("\n\n" if blank else "\n").join(out) + "\n"


def records(path: Path) -> tuple[Counter, Counter, Counter]:
    """(facts, rules, measures) of one file read by the pipeline, as multisets of comparable keys."""
    doc = build_document(path, sha256="-", size=path.stat().st_size)
    tokens = tag_texts([b.text for b in doc.blocks])
    facts = Counter((f.number, f.unit, f.year, f.indicator) for f in extract_facts(doc, tokens=tokens))
    rules = Counter(r.canonical for r in extract_rules(doc, tokens=tokens))
    measures = Counter(m.canonical for m in extract_measures(doc, tokens=tokens))
    return facts, rules, measures


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--width", nargs=2, type=int, default=[36, 46], metavar=("MIN", "MAX"))
    ap.add_argument("--blank", action="store_true", help="an empty line after every line")
    ap.add_argument("--out", type=Path, default=Path("/tmp/zhcorpus-rewrap"))
    ap.add_argument("--show", type=int, default=4)
    ap.add_argument("--seed", type=int, default=7)
    args = ap.parse_args()

    folder = SHARED / "corpora" / "provincial_gwr_2025"
    if not folder.is_dir():
        sys.exit(f"{folder} is missing (../shared beside the clone)")
    args.out.mkdir(parents=True, exist_ok=True)
    rnd = random.Random(args.seed)
    totals: Counter = Counter()
    for path in sorted(folder.glob("*.txt")):
        width = rnd.randint(*args.width)
        damaged = args.out / path.name
        damaged.write_text(
            rewrap(path.read_text(encoding="utf-8"), width, blank=args.blank), encoding="utf-8"
        )
        for table, clean, other in zip(("facts", "rules", "measures"), records(path), records(damaged)):
            lost, extra = clean - other, other - clean
            totals[table] += sum(clean.values())
            totals[table + " changed"] += sum(lost.values())
            totals[table + " count diff"] += sum(other.values()) - sum(clean.values())
            for key in list(lost)[: args.show]:
                print(f"{path.stem[:12]} w={width} {table} clean: {key}")
            for key in list(extra)[: args.show]:
                print(f"{path.stem[:12]} w={width} {table} rewrapped: {key}")
    print(f"column width {args.width[0]}-{args.width[1]}{', blank lines' if args.blank else ''}:")
    for table in ("facts", "rules", "measures"):
        n, changed = totals[table], totals[table + " changed"]
        print(
            f"  {table:<9} {n:>6} in the clean text; {changed} lost or changed ({changed / max(n, 1):.2%}); "
            f"count difference {totals[table + ' count diff']:+d}"
        )


if __name__ == "__main__":
    main()
