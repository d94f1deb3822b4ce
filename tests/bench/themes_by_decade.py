"""Talent, infrastructure and rule-alignment scores of the national government work reports, by decade.

Run:  .venv/bin/python tests/bench/themes_by_decade.py
Document-level coding of ../shared/corpora/gov_work_reports/reports/*.txt (52 reports, 1954-2025) with the
built-in ``themes`` scheme; prints a Markdown table of the mean score (weight per 1,000 characters) per
decade and the share of reports labelled with each theme.
"""

from __future__ import annotations

import sys
import time
from dataclasses import replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

import pandas as pd

from nlp.themes import code_text, load_schemes, records_frame, theme_by_year

REPORTS = ROOT.parent / "shared" / "corpora" / "gov_work_reports" / "reports"
CODES = ["talent", "infrastructure", "rule_alignment"]


def main() -> None:
    scheme = replace(load_schemes({}, None)["themes"], levels=("document",))
    t0 = time.perf_counter()
    records, years = [], []
    for path in sorted(REPORTS.glob("*.txt")):
        records.extend(code_text(path.read_text(encoding="utf-8"), scheme, doc=path.name))
        years.append({"doc": path.name, "year": int(path.stem)})
    frame = records_frame(records)
    docs = pd.DataFrame(years)
    by_decade = theme_by_year(frame, docs, bin_years=10)[CODES]
    counts = docs.assign(decade=docs["year"] // 10 * 10).groupby("decade").size().rename("reports")
    lab = frame[frame["labelled"]].pivot_table(
        index="doc", columns="code", values="raw", aggfunc="size", fill_value=0
    )
    lab = lab.reindex(docs["doc"], fill_value=0).reindex(columns=CODES, fill_value=0).clip(upper=1)
    share = lab.groupby((docs.set_index("doc")["year"] // 10 * 10).rename("year")).mean()
    table = by_decade.join(counts.rename_axis("year")).join(share.add_suffix(" labelled"))
    print(f"{len(docs)} reports coded in {time.perf_counter() - t0:.1f} s")
    t = table.round(2).reset_index()
    print("| " + " | ".join(map(str, t.columns)) + " |")
    print("|" + "---|" * len(t.columns))
    for row in t.itertuples(index=False):
        print("| " + " | ".join(str(v) for v in row) + " |")


if __name__ == "__main__":
    main()
