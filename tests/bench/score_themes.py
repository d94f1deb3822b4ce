"""Section-level theme labels for the seed documents, scored against the dev gold.

Run:  .venv/bin/python tests/bench/score_themes.py [OUT.jsonl]
Writes one JSON line per section {doc, heading, themes, scores} (default /tmp/themes_pred.jsonl) and runs
``../shared/eval/score.py themes OUT ../shared/gold/dev``. The cleaning stage (nlp.clean.clean_and_structure)
builds the Documents; the section outline (headings + run-in headings) is nlp.themes.outline.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nlp.clean import clean_and_structure
from nlp.document import Document
from nlp.readers import read_file
from nlp.themes import code_document, load_schemes, records_frame, section_labels

SHARED = ROOT.parent / "shared"


def build(path: Path) -> Document:
    raw = read_file(path)
    text, blocks, sentences, removals = clean_and_structure(raw)
    return Document(
        path.name, str(path), "", len(raw.text.encode()), text, blocks, sentences, removals=removals
    )


def main(out: Path) -> None:
    schemes = load_schemes({}, None)
    records = []
    for path in sorted((SHARED / "seeds").glob("*.txt")):
        records.extend(code_document(build(path), {"themes": schemes["themes"]}))
    table = section_labels(records_frame(records))
    with out.open("w", encoding="utf-8") as fh:
        for row in table.itertuples(index=False):
            fh.write(
                json.dumps(
                    {"doc": row.doc, "heading": row.heading, "themes": row.themes, "scores": row.scores},
                    ensure_ascii=False,
                )
                + "\n"
            )
    print(f"{len(table)} sections -> {out}")
    subprocess.run(
        [sys.executable, str(SHARED / "eval" / "score.py"), "themes", str(out), str(SHARED / "gold" / "dev")],
        check=True,
    )


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/themes_pred.jsonl"))
