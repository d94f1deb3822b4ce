"""Search benchmark: index build time and median query latency at 10k / 100k (/ 1M) paragraphs; topic training.

Paragraphs are sentences sampled from ../shared/corpora (government work reports, provincial reports, State
Council documents and regulations, CSL abstracts); above the number of distinct sentences, random pairs of
sentences are joined. Latency is per query end to end: search-mode segmentation, BM25 scoring, top-k and
building the result records. Queries are 2-4 consecutive words of held-out sentences (so most have matches).

    PYTHONPATH=. .venv/bin/python tests/bench/bench_search.py [--sizes 10000,100000,1000000] [--topics]
"""

from __future__ import annotations

import argparse
import json
import random
import re
import resource
import statistics
import sys
import time
from pathlib import Path

import rjieba

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nlp.search import Passage, SearchIndex

CORPORA = ROOT.parent / "shared" / "corpora"
_SPLIT = re.compile(r"(?<=[。！？；])|(?<=[\u4e00-\u9fff][.;])|\n")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def corpus_sentences(min_chars: int = 12) -> list[str]:
    texts: list[str] = []
    for sub in (
        "gov_work_reports/reports",
        "provincial_gwr_2025",
        "state_council_docs",
        "state_council_regulations",
    ):
        for path in sorted((CORPORA / sub).rglob("*")):
            if path.is_file() and path.suffix in (".txt", ".md"):
                texts.append(path.read_text(encoding="utf-8", errors="ignore"))
            elif path.is_file() and path.suffix == ".jsonl":
                for line in path.read_text(encoding="utf-8", errors="ignore").splitlines():
                    try:
                        row = json.loads(line)
                    except ValueError:
                        continue
                    texts += [v for v in row.values() if isinstance(v, str) and len(v) > 50]
    csl = CORPORA / "csl" / "csl_merged.jsonl"
    if csl.exists():
        for line in csl.read_text(encoding="utf-8", errors="ignore").splitlines():
            try:
                row = json.loads(line)
            except ValueError:
                continue
            texts += [v for v in row.values() if isinstance(v, str) and len(v) > 50]
    out = []
    for t in texts:
        out += [s.strip() for s in _SPLIT.split(t) if s and len(_CJK.findall(s)) >= min_chars]
    return list(dict.fromkeys(out))


def make_paragraphs(sentences: list[str], n: int, rng: random.Random) -> list[Passage]:
    if n <= len(sentences):
        chosen = rng.sample(sentences, n)
    else:
        chosen = list(sentences) + [
            rng.choice(sentences) + rng.choice(sentences) for _ in range(n - len(sentences))
        ]
    return [Passage(doc=f"d{i // 50}", paragraph=i % 50, text=t) for i, t in enumerate(chosen)]


def make_queries(sentences: list[str], n: int, rng: random.Random) -> list[str]:
    out = []
    while len(out) < n:
        words = [w for w in rjieba.cut(rng.choice(sentences)) if re.search(r"[\u4e00-\u9fff]", w)]
        if len(words) >= 4:
            i = rng.randrange(len(words) - 3)
            out.append("".join(words[i : i + rng.randint(2, 4)]))
    return out


def bench(size: int, sentences: list[str], queries: list[str], rng: random.Random) -> dict:
    paragraphs = make_paragraphs(sentences, size, rng)
    t0 = time.perf_counter()
    index = SearchIndex().fit(paragraphs)
    build = time.perf_counter() - t0
    del paragraphs
    for q in queries[:20]:  # warm-up (jieba dictionary, numpy caches)
        index.search(q)
    lat = []
    empty = 0
    for q in queries:
        t0 = time.perf_counter()
        hits = index.search(q, top=10)
        lat.append((time.perf_counter() - t0) * 1000)
        empty += not hits
    lat.sort()
    return {
        "paragraphs": size,
        "build_s": round(build, 1),
        "median_ms": round(statistics.median(lat), 2),
        "p90_ms": round(lat[int(0.9 * len(lat))], 2),
        "queries": len(queries),
        "no_hit": empty,
        "vocabulary": len(index.vocab_),
        "tokens": len(index._ids),
        "max_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024),
    }


def bench_topics(sentences: list[str], rng: random.Random, n: int = 10_000, k: int = 20) -> dict:
    from nlp.topics import TopicModel

    texts = [rjieba.cut(p.text) for p in make_paragraphs(sentences, n, rng)]
    out = {}
    for name, params in {
        "tomotopy 300 sweeps": {"engine": "tomotopy", "iterations": 300},
        "gensim LdaModel 10 passes": {"engine": "gensim", "passes": 10, "eta": None},
    }.items():
        model = TopicModel(k=k, seed=1, **params).fit(texts)
        out[name] = {**model.timings_, **model.coherence(texts)}
    return {"paragraphs": n, "k": k, "engines": out}


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--sizes", default="10000,100000")
    ap.add_argument("--queries", type=int, default=300)
    ap.add_argument("--topics", action="store_true", help="also time topic training on 10k paragraphs")
    args = ap.parse_args()
    rng = random.Random(42)
    t0 = time.perf_counter()
    sentences = corpus_sentences()
    print(
        f"{len(sentences)} distinct sentences from {CORPORA} ({time.perf_counter() - t0:.1f} s)", flush=True
    )
    rng.shuffle(sentences)
    held_out, pool = sentences[:2000], sentences[2000:]
    queries = make_queries(held_out, args.queries, rng)
    topics_done = not args.topics
    for size in sorted(int(s) for s in args.sizes.split(",")):
        if size > 100_000 and not topics_done:  # the topic figure before the long 1M run
            print(json.dumps(bench_topics(pool, random.Random(7)), ensure_ascii=False), flush=True)
            topics_done = True
        print(json.dumps(bench(size, pool, queries, rng)), flush=True)
    if not topics_done:
        print(json.dumps(bench_topics(pool, random.Random(7)), ensure_ascii=False), flush=True)


if __name__ == "__main__":
    main()
