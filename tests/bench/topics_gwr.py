"""Topic models on the government work reports 1954-2025: K sweep, engine comparison, topics, shares by decade.

Run once (several minutes; not part of the test suite):

    PYTHONPATH=. .venv/bin/python tests/bench/topics_gwr.py [--sweep 5:40:5] [--out reports]

Writes OUT/topics_gwr_sweep.svg (the coherence curve), OUT/topics_gwr.json (all figures) and OUT/topics_gwr.md.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from pathlib import Path

import numpy as np
import rjieba

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nlp.topics import TopicModel, filter_by_tags, parse_sweep, sweep_k, sweep_svg, topic_shares

REPORTS = ROOT.parent / "shared" / "corpora" / "gov_work_reports" / "reports"


class Paragraphs:
    """Re-iterable token lists of every paragraph (segmented once, kept as a list: this corpus is small)."""

    def __init__(self, folder: Path, *, min_chars: int = 20, nouns: bool = False) -> None:
        self.keys: list[tuple[str, int, int]] = []  # (file, paragraph, year)
        self.tokens: list[list[str]] = []
        for path in sorted(folder.glob("*.txt")):
            year = int(re.match(r"\d{4}", path.stem).group(0))
            lines = [ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()]
            for i, line in enumerate(ln for ln in lines if len(ln) >= min_chars):
                self.keys.append((path.name, i, year))
                if (
                    nouns
                ):  # jieba POS tags, noun-like tokens only (as `zhcorpus topics` does with a tagged store)
                    pairs = rjieba.tag(line)
                    self.tokens.append(filter_by_tags([w for w, _ in pairs], [t for _, t in pairs]))
                else:
                    self.tokens.append(rjieba.cut(line))

    def __iter__(self):
        return iter(self.tokens)

    def __len__(self) -> int:
        return len(self.tokens)


def timed_fit(texts, **params):
    t0 = time.perf_counter()
    model = TopicModel(**params).fit(texts)
    return model, round(time.perf_counter() - t0, 2)


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sweep", default="5:40:5")
    ap.add_argument("--iterations", type=int, default=300)
    ap.add_argument("--out", default=str(ROOT / "reports"))
    ap.add_argument("--nouns", action="store_true", help="keep noun-like tokens only (jieba POS tags)")
    ap.add_argument("--skip-gensim-10", action="store_true", help="skip the slow gensim 10-pass comparison")
    args = ap.parse_args()
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)

    t0 = time.perf_counter()
    texts = Paragraphs(REPORTS, nouns=args.nouns)
    stem = "topics_gwr_nouns" if args.nouns else "topics_gwr"
    seg_s = round(time.perf_counter() - t0, 2)
    n_tok = sum(len(t) for t in texts.tokens)
    print(f"{len(texts)} paragraphs, {n_tok} tokens from {REPORTS} (segmented in {seg_s} s)", flush=True)

    ks = parse_sweep(args.sweep)
    t0 = time.perf_counter()
    sweep = sweep_k(texts, ks, engine="tomotopy", iterations=args.iterations, seed=1)
    sweep_s = round(time.perf_counter() - t0, 1)
    (out / f"{stem}_sweep.svg").write_text(
        sweep_svg(sweep, title="Government work reports: tomotopy LDA coherence by K"), encoding="utf-8"
    )
    print("sweep:", json.dumps(sweep.to_dict()), f"total {sweep_s} s", flush=True)
    k = sweep.best_k

    # the chosen engine beside gensim at the same K, same preprocessing, same run
    engines = {}
    for name, params in {
        f"tomotopy (Gibbs, {args.iterations} sweeps)": {
            "engine": "tomotopy",
            "iterations": args.iterations,
        },
        "tomotopy (Gibbs, 10 sweeps)": {"engine": "tomotopy", "iterations": 10},
        "gensim LdaModel default (1 pass)": {"engine": "gensim", "passes": 1, "eta": None},
        "gensim LdaModel (10 passes)": {"engine": "gensim", "passes": 10, "eta": None},
    }.items():
        if args.skip_gensim_10 and "10 passes" in name:
            continue
        model, secs = timed_fit(texts, k=k, seed=1, **params)
        coh = model.coherence(texts)
        engines[name] = {"fit_s": secs, "engine_s": model.timings_["train_s"], **coh, "model": model}
        print(f"{name}: K={k} fit {secs} s, engine {model.timings_['train_s']} s, {coh}", flush=True)

    # determinism: tomotopy with workers=1 twice, and workers=2 twice
    det = {}
    for workers in (1, 2):
        a = TopicModel(k=k, seed=7, iterations=100, workers=workers).fit(texts)
        b = TopicModel(k=k, seed=7, iterations=100, workers=workers).fit(texts)
        det[f"workers={workers}"] = bool(
            a.topics_ == b.topics_ and np.array_equal(a.doc_topic_, b.doc_topic_)
        )
    print("determinism (same seed, two fits identical):", det, flush=True)

    chosen = engines[f"tomotopy (Gibbs, {args.iterations} sweeps)"]["model"]
    decades = [f"{(y // 10) * 10}s" for _, _, y in texts.keys]
    shares = topic_shares(chosen.doc_topic_, decades, weights=chosen.unit_lengths_, labels=chosen.labels_)
    topics = [{"topic": t, "label": chosen.labels_[t], "terms": chosen.top_terms(t, 10)} for t in range(k)]

    lines = [
        f"# Topics of the government work reports ({len(texts)} paragraphs, {n_tok} tokens)",
        "",
        f"K sweep {args.sweep} (tomotopy, {args.iterations} sweeps, seed 1), {sweep_s} s in all; chosen K = {k}",
        "",
        "| K | c_v | c_npmi | train s |",
        "|---|---|---|---|",
    ]
    lines += [
        f"| {kk} | {cv} | {np_} | {s} |"
        for kk, cv, np_, s in zip(sweep.ks, sweep.c_v, sweep.c_npmi, sweep.seconds)
    ]
    lines += [
        "",
        f"Engines at K={k} (same preprocessing, coherence on the same texts):",
        "",
        "| engine | fit s (with preprocessing) | engine s | c_v | c_npmi |",
        "|---|---|---|---|---|",
    ]
    lines += [
        f"| {n} | {e['fit_s']} | {e['engine_s']} | {e['c_v']} | {e['c_npmi']} |" for n, e in engines.items()
    ]
    lines += ["", f"Determinism: {det}", "", "## Topics", ""]
    lines += [f"{t['topic']:>2} **{t['label']}**: {' '.join(t['terms'])}" for t in topics]
    lines += ["", "## Leading topics by decade (share of tokens)", ""]
    for dec, row in shares.iterrows():
        best = row.sort_values(ascending=False).head(4)
        lines.append(f"- {dec}: " + "; ".join(f"{lab} {100 * v:.0f}%" for lab, v in best.items()))
    lines += ["", "## Topic shares by decade (%)", ""]
    top_cols = shares.columns.tolist()
    lines.append("| decade | " + " | ".join(top_cols) + " |")
    lines.append("|---" * (len(top_cols) + 1) + "|")
    for dec, row in shares.iterrows():
        lines.append(f"| {dec} | " + " | ".join(f"{100 * v:.1f}" for v in row.tolist()) + " |")
    md = "\n".join(lines)
    (out / f"{stem}.md").write_text(md + "\n", encoding="utf-8")
    payload = {
        "paragraphs": len(texts),
        "tokens": n_tok,
        "segment_s": seg_s,
        "sweep": sweep.to_dict(),
        "sweep_s": sweep_s,
        "engines": {n: {kk: v for kk, v in e.items() if kk != "model"} for n, e in engines.items()},
        "determinism": det,
        "topics": topics,
        "shares_by_decade": {str(d): dict(zip(top_cols, map(float, r))) for d, r in shares.iterrows()},
    }
    (out / f"{stem}.json").write_text(json.dumps(payload, ensure_ascii=False, indent=1), encoding="utf-8")
    print(md)


if __name__ == "__main__":
    main()
