"""Benchmark: segment + tag into spaCy Docs, one process and two, beside raw jieba on the same text.

Also measures how rjieba (the engine of nlp.lang) agrees with jieba.posseg on the seeds: token boundaries
(F1 of character spans) and tags on identical spans, with examples of where they differ.

Text: ../shared/corpora/gov_work_reports/reports/*.txt split into paragraphs (lines).
jieba.posseg is slow, so it runs on a prefix subset of ``--posseg-chars`` characters (on these reports it
measures only a few thousand chars/s: >90% of its time is its POS Viterbi, ``jieba/posseg/viterbi.py``).
Single-process rates use CPU time (time.process_time) so that other load on the shared machine does not
distort them; the two-process rate is wall time (compare it with the single-process CPU rate x2).

Usage:  .venv/bin/python tests/bench/bench_segment.py [--posseg-chars 100000]
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import Counter
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
SHARED = ROOT.parent / "shared"


def _paragraphs(paths: list[Path]) -> list[str]:
    out = []
    for path in paths:
        out.extend(line for line in path.read_text(encoding="utf-8").split("\n") if line.strip())
    return out


def _init_worker() -> None:
    from nlp.lang import get_tagger

    get_tagger()  # load the dictionary before the clock starts, as a long-lived worker would have


def _docs_worker(paras: list[str]) -> tuple[int, int, float]:
    """Docs for ``paras`` with a fresh pipeline (cold vocab, like the 1-process first pass); CPU seconds used."""
    from nlp.lang import make_nlp

    t = time.process_time()
    nlp = make_nlp()
    n_tok = 0
    for doc in nlp.pipe(paras, batch_size=256):
        n_tok += len(doc)
    return sum(map(len, paras)), n_tok, time.process_time() - t


def _rate(chars: int, seconds: float) -> str:
    return f"{chars / seconds:>12,.0f} chars/s"


def _spans(tokens: list[str]) -> list[tuple[int, int]]:
    out, pos = [], 0
    for t in tokens:
        out.append((pos, pos + len(t)))
        pos += len(t)
    return out


def agreement(texts: list[str]) -> None:
    import jieba.posseg as pseg
    import rjieba

    r = rjieba.Jieba()
    gold_n = test_n = both = tag_same = 0
    diffs_seg: Counter[tuple[str, str]] = Counter()
    diffs_tag: Counter[tuple[str, str, str]] = Counter()
    for text in texts:
        a = [(p.word, p.flag) for p in pseg.cut(text)]
        b = r.tag(text)
        sa = dict(zip(_spans([w for w, _ in a]), [t for _, t in a]))
        sb = dict(zip(_spans([w for w, _ in b]), [t for _, t in b]))
        gold_n += len(sa)
        test_n += len(sb)
        common = sa.keys() & sb.keys()
        both += len(common)
        for span in common:
            if sa[span] == sb[span]:
                tag_same += 1
            else:
                diffs_tag[(text[span[0] : span[1]], sa[span], sb[span])] += 1
        for span in sb.keys() - sa.keys():
            inner = " ".join(w for (s, e), w in zip(sa, [w for w, _ in a]) if s >= span[0] and e <= span[1])
            diffs_seg[(text[span[0] : span[1]], inner)] += 1
    p, rec = both / test_n, both / gold_n
    print(f"rjieba vs jieba.posseg on the seeds (same dictionary, no domain words): "
          f"boundary P {p:.4f} R {rec:.4f} F {2 * p * rec / (p + rec):.4f}; "
          f"same tag on {tag_same / both:.4f} of shared tokens")  # fmt: skip
    print("  most frequent boundary differences (rjieba token <- jieba.posseg tokens):")
    for (tok, inner), n in diffs_seg.most_common(8):
        print(f"    {n:4d}  {tok!r} <- {inner!r}")
    print("  most frequent tag differences (token, posseg tag, rjieba tag):")
    for (tok, ta, tb), n in diffs_tag.most_common(8):
        print(f"    {n:4d}  {tok} {ta} -> {tb}")


def main() -> None:
    import jieba
    import jieba.posseg as pseg

    ap = argparse.ArgumentParser()
    ap.add_argument("--posseg-chars", type=int, default=100_000)
    args = ap.parse_args()
    jieba.setLogLevel(60)
    jieba.initialize()
    paths = sorted((SHARED / "corpora" / "gov_work_reports" / "reports").glob("*.txt"))
    paras = _paragraphs(paths)
    chars = sum(map(len, paras))
    print(f"text: {len(paths)} reports, {len(paras)} paragraphs, {chars:,} characters")

    from nlp.lang import make_nlp, tag_texts

    nlp = make_nlp()
    list(nlp.pipe(paras[:200]))  # warm the vocab a little, as a long run would
    t = time.process_time()
    n_tok = sum(len(d) for d in nlp.pipe(paras, batch_size=256))
    one = time.process_time() - t
    print(
        f"nlp.lang make_nlp().pipe -> spaCy Docs (tags+UPOS), 1 process: {_rate(chars, one)}  ({n_tok:,} tokens; "
        f"first pass: {len(nlp.vocab):,} new lexemes built)"
    )
    t = time.process_time()
    sum(len(d) for d in nlp.pipe(paras, batch_size=256))
    again = time.process_time() - t
    print(f"  same pipeline, second pass (vocab and token table warm):     {_rate(chars, again)}")

    t = time.process_time()
    tagged = tag_texts(paras)
    fast = time.process_time() - t
    print(f"nlp.lang tag_texts (word, tag) lists, 1 process:            {_rate(chars, fast)}")
    same = sum(
        [(tok.text, tok.tag_) for tok in doc] == pairs and doc.text == text
        for doc, pairs, text in zip(make_nlp().pipe(paras), tagged, paras)
    )
    print(
        f"  Docs of a fresh pipeline equal tag_texts (tokens, tags, text) on {same:,} of {len(paras):,} texts"
    )

    halves = [paras[0::2], paras[1::2]]
    with ProcessPoolExecutor(2, initializer=_init_worker) as pool:
        t = time.perf_counter()
        results = list(pool.map(_docs_worker, halves))
        two = time.perf_counter() - t
    cpu = ", ".join(_rate(c, s).strip() for c, _, s in results)
    print(f"nlp.lang spaCy Docs, 2 processes (wall):                    {_rate(chars, two)}  "
          f"(speed-up {one / two:.2f}x over 1 process; includes per-worker make_nlp, cold vocab)")  # fmt: skip
    print(f"  per worker (CPU time): {cpu}  (wall < 2x when other load shares the 2 cores)")

    t = time.process_time()
    for p in paras:
        jieba.lcut(p)
    cut = time.process_time() - t
    print(f"raw jieba.cut, 1 process:                                   {_rate(chars, cut)}")

    subset, size = [], 0
    for p in paras:
        if size >= args.posseg_chars:
            break
        subset.append(p)
        size += len(p)
    t = time.process_time()
    for p in subset:
        list(pseg.cut(p))
    ps = time.process_time() - t
    print(f"raw jieba.posseg on {size:,} chars, 1 process:              {_rate(size, ps)}")
    print(f"ratios: Docs/jieba.cut {(chars / one) / (chars / cut):.1f}x, "
          f"Docs/jieba.posseg {(chars / one) / (size / ps):.1f}x, tag_texts/jieba.posseg {(chars / fast) / (size / ps):.1f}x")  # fmt: skip

    seeds = _paragraphs(sorted((SHARED / "seeds").glob("*.txt")))
    agreement(seeds)


if __name__ == "__main__":
    main()
