"""Keyword extraction scored against authors' keywords on CSL (../shared/corpora/csl/csl_merged.jsonl).

For each abstract (title + "。" + abstract as input for every method), P/R/F@5 and @10 of:
  - zhcorpus PhraseTfidf, fitted (document frequencies only, no keywords seen) on ALL abstracts of the file,
    also when ``--limit`` evaluates a subset: short abstracts need corpus-wide idf;
  - zhcorpus textrank;
  - jieba.analyse.extract_tags and jieba.analyse.textrank (topK=k).
P@k = correct / k, R@k = correct / number of author keywords, F = harmonic mean of the macro averages.
Exact string match after lower-casing.

Usage:  .venv/bin/python tests/bench/eval_keywords.py [--limit N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

CSL = ROOT.parent / "shared" / "corpora" / "csl" / "csl_merged.jsonl"


def prf(pred: list[str], gold: list[str], k: int) -> tuple[float, float]:
    gold_set = {g.lower() for g in gold}
    hits = len({p.lower() for p in pred[:k]} & gold_set)
    return hits / k, hits / max(len(gold_set), 1)


def main() -> None:
    import jieba
    import jieba.analyse

    from nlp.keywords import PhraseTfidf, textrank
    from nlp.lang import tag_texts

    ap = argparse.ArgumentParser()
    ap.add_argument("--limit", type=int, default=0, help="evaluate a random subset of this size (0 = all)")
    ap.add_argument("--seed", type=int, default=13)
    ap.add_argument("--skip-baselines", action="store_true", help="only the zhcorpus methods (quick tuning)")
    args = ap.parse_args()
    jieba.setLogLevel(60)
    rows = [json.loads(line) for line in CSL.open(encoding="utf-8")]
    rows = [r for r in rows if r.get("keywords") and r.get("abstract")]
    t0 = time.perf_counter()
    model = PhraseTfidf().fit(tag_texts((r.get("title") or "") + "。" + r["abstract"] for r in rows))
    if args.limit:
        rows = random.Random(args.seed).sample(rows, min(args.limit, len(rows)))
    texts = [((r.get("title") or "") + "。" + r["abstract"]) for r in rows]
    tagged = tag_texts(texts)
    titles = tag_texts([r.get("title") or "" for r in rows])
    methods = {
        "zhcorpus PhraseTfidf": lambda i, k: [p for p, _ in model.extract(tagged[i], top=k, title=titles[i])],
        "zhcorpus textrank": lambda i, k: [p for p, _ in textrank(tagged[i], top=k)],
        "jieba extract_tags": lambda i, k: jieba.analyse.extract_tags(texts[i], topK=k),
        "jieba textrank": lambda i, k: jieba.analyse.textrank(texts[i], topK=k),
    }
    if args.skip_baselines:
        methods = {k: v for k, v in methods.items() if k.startswith("zhcorpus")}
    print(
        f"CSL abstracts evaluated: {len(rows)} (of csl_merged.jsonl; seed {args.seed}; idf fitted on all {model.n_docs_})"
    )
    print(
        f"{'method':24s} {'P@5':>6s} {'R@5':>6s} {'F@5':>6s} {'P@10':>6s} {'R@10':>6s} {'F@10':>6s} {'s':>6s}"
    )
    for name, fn in methods.items():
        start = time.perf_counter()
        sums = {5: [0.0, 0.0], 10: [0.0, 0.0]}
        for i, r in enumerate(rows):
            pred = fn(i, 10)
            for k in (5, 10):
                p, rec = prf(pred, r["keywords"], k)
                sums[k][0] += p
                sums[k][1] += rec
        out = []
        for k in (5, 10):
            p, rec = sums[k][0] / len(rows), sums[k][1] / len(rows)
            f = 2 * p * rec / (p + rec) if p + rec else 0.0
            out += [p, rec, f]
        print(f"{name:24s} " + " ".join(f"{v:6.3f}" for v in out) + f" {time.perf_counter() - start:6.1f}")
    print(f"total {time.perf_counter() - t0:.1f}s")


if __name__ == "__main__":
    main()
