"""Theme x province matrix of the 31 provincial government work reports of 2025, exported to XLSX.

Run:  .venv/bin/python tests/bench/themes_provinces.py [OUT.xlsx]   (default /tmp/themes_provinces_2025.xlsx)
Document-level coding with the built-in ``themes`` scheme; the province of each report comes from its title
(nlp.themes.detect_region). Sheets: score (weight per 1,000 characters), raw (summed term weights),
labelled (0/1 at the scheme's document threshold).
"""

from __future__ import annotations

import sys
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nlp.themes import (
    code_text,
    detect_region,
    doc_theme_matrix,
    load_schemes,
    records_frame,
    theme_by_region,
)

CORPUS = ROOT.parent / "shared" / "corpora" / "provincial_gwr_2025"


def main(out: Path) -> None:
    scheme = replace(load_schemes({}, None)["themes"], levels=("document",))
    records, regions = [], {}
    for path in sorted(CORPUS.glob("*.txt")):
        text = path.read_text(encoding="utf-8")
        regions[path.name] = detect_region(path.stem, text)
        records.extend(code_text(text, scheme, doc=path.name))
    frame = records_frame(records)
    score = theme_by_region(frame, regions).T
    raw = doc_theme_matrix(frame, value="raw").rename(index=regions).T
    labelled = doc_theme_matrix(frame, value="labelled").rename(index=regions).T.astype(int)
    missing = [d for d, r in regions.items() if not r]
    try:
        from pipelines.exports import write_xlsx

        write_xlsx(
            {"score": score.reset_index(), "raw": raw.reset_index(), "labelled": labelled.reset_index()}, out
        )
    except ImportError:
        import pandas as pd

        with pd.ExcelWriter(out) as xw:
            for name, df in {"score": score, "raw": raw, "labelled": labelled}.items():
                df.to_excel(xw, sheet_name=name)
    print(f"{len(regions)} reports, {score.shape[1]} provinces, no region: {missing} -> {out}")
    print(score.round(2).to_string())


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("/tmp/themes_provinces_2025.xlsx"))
