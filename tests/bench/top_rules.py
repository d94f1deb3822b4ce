"""The 20 most-cited rules over state_council_docs and gov_work_reports, plus extraction cost vs segmentation.

Usage:  .venv/bin/python tests/bench/top_rules.py [--top 20] [--no-timing]

Reads ../shared/corpora/state_council_docs/*.jsonl (field "text") and gov_work_reports/reports/*.txt, runs
nlp.extract.rules.extract_rules on each document and prints a table: canonical, kind, documents citing,
mentions. With timing on, also reports rule and measure extraction time as a share of jieba segmentation
time on gov_work_reports (measures get the jieba.posseg tokens, as in the pipeline).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "bench"))
CORPORA = ROOT.parent / "shared" / "corpora"

from score_rules_measures import build_document_from_text

from nlp.extract.measures import extract_measures
from nlp.extract.rules import extract_rules


def iter_texts():
    for p in sorted((CORPORA / "state_council_docs").glob("*.jsonl")):
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines()):
            if line.strip():
                row = json.loads(line)
                yield f"scd_{row.get('id', i)}", row["text"]
    for p in sorted((CORPORA / "gov_work_reports" / "reports").glob("*.txt")):
        yield f"gwr_{p.stem}", p.read_text(encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=20)
    ap.add_argument("--no-timing", action="store_true")
    args = ap.parse_args()
    docs_citing: Counter[str] = Counter()
    mentions: Counter[str] = Counter()
    kinds: dict[str, Counter[str]] = defaultdict(Counter)
    n_docs = 0
    gwr_docs = []
    t_rules = 0.0
    for name, text in iter_texts():
        document = build_document_from_text(name, text)
        n_docs += 1
        t0 = time.perf_counter()
        refs = extract_rules(document)
        t_rules_doc = time.perf_counter() - t0
        if name.startswith("gwr_"):
            gwr_docs.append(document)
            t_rules += t_rules_doc
        for r in refs:
            c = r.canonical.removeprefix("中华人民共和国")  # across documents: 个人所得税法 = 中华人民共和国个人所得税法
            docs_citing[c] += 1
            mentions[c] += r.mentions
            kinds[c][r.kind] += 1
    print(f"{n_docs} documents; {len(docs_citing)} distinct rules\n")
    print("| # | canonical | kind | documents | mentions |\n|---|---|---|---|---|")
    ranked = sorted(docs_citing, key=lambda c: (-docs_citing[c], -mentions[c], c))[: args.top]
    for i, c in enumerate(ranked, 1):
        print(f"| {i} | {c} | {kinds[c].most_common(1)[0][0]} | {docs_citing[c]} | {mentions[c]} |")
    if args.no_timing:
        return 0
    import jieba
    import jieba.posseg as pseg

    jieba.initialize()
    chars = sum(len(d.text) for d in gwr_docs)
    t0 = time.perf_counter()
    for d in gwr_docs:
        for b in d.blocks:
            list(jieba.cut(b.text))
    t_seg = time.perf_counter() - t0
    toks = [[[(p.word, p.flag) for p in pseg.cut(b.text)] for b in d.blocks] for d in gwr_docs]
    t0 = time.perf_counter()
    for d, tk in zip(gwr_docs, toks):
        extract_measures(d, tokens=tk)
    t_meas = time.perf_counter() - t0
    print(f"\ngov_work_reports: {len(gwr_docs)} documents, {chars} chars")
    print(f"segmentation (jieba.cut): {t_seg:.2f}s = {chars / t_seg / 1e6:.2f}M chars/s")
    print(f"rules extraction: {t_rules:.2f}s = {100 * t_rules / t_seg:.1f}% of segmentation")
    print(f"measures extraction (with given tokens): {t_meas:.2f}s = {100 * t_meas / t_seg:.1f}% of segmentation")
    print(f"rules + measures: {100 * (t_rules + t_meas) / t_seg:.1f}% of segmentation")
    return 0


if __name__ == "__main__":
    sys.exit(main())
