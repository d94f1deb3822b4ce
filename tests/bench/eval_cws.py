"""Word segmentation accuracy on SIGHAN 2005 (PKU and MSR test sets against their gold): word-level P/R/F.

Rows: plain jieba (jieba.lcut, HMM on, its own dictionary), rjieba without the domain dictionary, and the
project's pipeline (nlp.lang.tag_texts: rjieba + the domain dictionary). A word is correct when its
character span is in the gold segmentation (the standard bakeoff measure). The domain dictionary must not
cost more than 0.5 F points against plain jieba on either set.

Usage:  .venv/bin/python tests/bench/eval_cws.py
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
CWS = ROOT.parent / "shared" / "corpora" / "cws_sighan2005"


def spans(words: list[str]) -> set[tuple[int, int]]:
    out, pos = set(), 0
    for w in words:
        out.add((pos, pos + len(w)))
        pos += len(w)
    return out


def score(pred_lines: list[list[str]], gold_lines: list[list[str]]) -> tuple[float, float, float]:
    correct = n_pred = n_gold = 0
    for pred, gold in zip(pred_lines, gold_lines):
        ps, gs = spans(pred), spans(gold)
        correct += len(ps & gs)
        n_pred += len(ps)
        n_gold += len(gs)
    p, r = correct / n_pred, correct / n_gold
    return p, r, 2 * p * r / (p + r)


def main() -> None:
    import jieba
    import rjieba

    from nlp.lang import tag_texts

    jieba.setLogLevel(60)
    plain_r = rjieba.Jieba()
    systems = {
        "plain jieba (jieba.lcut)": lambda lines: [jieba.lcut(x) for x in lines],
        "rjieba, no domain dict": lambda lines: [plain_r.cut(x) for x in lines],
        "zhcorpus pipeline (rjieba + domain dict)": lambda lines: [
            [w for w, _ in p] for p in tag_texts(lines)
        ],
    }
    results: dict[str, dict[str, tuple[float, float, float]]] = {}
    for name in ("pku", "msr"):
        gold = [
            line.split()
            for line in (CWS / "gold" / f"{name}_test_gold.utf8").read_text(encoding="utf-8").splitlines()
        ]
        keep = [i for i, g in enumerate(gold) if g]
        gold = [gold[i] for i in keep]
        raw = ["".join(g) for g in gold]  # the test text without spaces, aligned with the gold lines
        for sys_name, run in systems.items():
            t = time.process_time()
            pred = [[w for w in words if not w.isspace()] for words in run(raw)]
            results.setdefault(sys_name, {})[name] = score(pred, gold)
            results[sys_name][name + "_s"] = (time.process_time() - t, 0, 0)
    print("SIGHAN 2005 test sets, word-level P / R / F (%), lines from gold with spaces removed")
    print(
        f"{'system':44s} {'PKU P':>6s} {'PKU R':>6s} {'PKU F':>6s}   {'MSR P':>6s} {'MSR R':>6s} {'MSR F':>6s}"
    )
    base = results["plain jieba (jieba.lcut)"]
    for sys_name, res in results.items():
        cells = [f"{v * 100:6.2f}" for k in ("pku", "msr") for v in res[k]]
        print(f"{sys_name:44s} {' '.join(cells[:3])}   {' '.join(cells[3:])}")
    ours = results["zhcorpus pipeline (rjieba + domain dict)"]
    for k in ("pku", "msr"):
        delta = (ours[k][2] - base[k][2]) * 100
        print(
            f"{k.upper()}: pipeline F - plain jieba F = {delta:+.2f} points ({'OK' if delta >= -0.5 else 'FAILS'} the -0.5 limit)"
        )


if __name__ == "__main__":
    main()
