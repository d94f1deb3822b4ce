"""Collocates of a term and a term co-occurrence network (GEXF / CSV edge list for Gephi).

Both work on segmented paragraphs (columns doc, idx, section, text, tokens, tags; tokens are computed once
when absent). Only content tokens count: punctuation, whitespace, numbers and stop words are skipped, so
a window of 5 means five content words on each side.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping
from itertools import combinations
from pathlib import Path
from typing import Any
from xml.sax.saxutils import quoteattr

import pandas as pd

from nlp.lang import SENTENCE_END, paragraph_frame
from nlp.lexicons import stopwords as load_stopwords

__all__ = ["collocates", "cooccurrence", "write_edges_csv", "write_gexf"]

SKIP_TAGS = frozenset(
    {"x", "m", "mq", "mg", "u", "ud", "ug", "uj", "ul", "uv", "uz", "p", "c", "y", "e", "o"}
)


def _content_units(
    frame: pd.DataFrame, *, unit: str, stop: frozenset[str], min_len: int = 2
) -> Iterator[list[str]]:
    """Content-token lists per paragraph or per sentence (sentence = split at 。！？；)."""
    for tokens, tags in zip(frame["tokens"], frame["tags"]):
        current: list[str] = []
        for w, t in zip(tokens, tags):
            if unit == "sentence" and (w in SENTENCE_END or w == "\n"):
                if current:
                    yield current
                current = []
                continue
            if t in SKIP_TAGS or len(w) < min_len or w in stop or w.isspace():
                continue
            current.append(w)
        if current:
            yield current


def _ll_2x2(a: float, b: float, c: float, d: float) -> float:
    """Dunning's log-likelihood G2 of a 2x2 contingency table."""
    n = a + b + c + d
    total = 0.0
    for obs, row, col in ((a, a + b, a + c), (b, a + b, b + d), (c, c + d, a + c), (d, c + d, b + d)):
        expected = row * col / n if n else 0.0
        if obs > 0 and expected > 0:
            total += obs * math.log(obs / expected)
    return 2.0 * total


def collocates(
    paragraphs: Any,
    term: str,
    *,
    window: int = 5,
    min_count: int = 2,
    config: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Collocates of ``term`` (a token) within ``window`` content tokens on either side.

    Columns: collocate, count (co-occurrences), freq (collocate frequency), expected, mi (log2 O/E),
    log_likelihood (G2 of the window contingency table), t_score; sorted by log_likelihood.
    """
    frame = paragraph_frame(paragraphs, tokens=True, config=config)
    stop = load_stopwords(config) - {term}
    freq: Counter[str] = Counter()
    near: Counter[str] = Counter()
    n_tokens = 0
    span_total = 0
    for unit in _content_units(frame, unit="paragraph", stop=stop, min_len=1):
        freq.update(unit)
        n_tokens += len(unit)
        for i, w in enumerate(unit):
            if w != term:
                continue
            ctx = unit[max(0, i - window) : i] + unit[i + 1 : i + 1 + window]
            span_total += len(ctx)
            near.update(c for c in ctx if c != term)
    columns = ["collocate", "count", "freq", "expected", "mi", "log_likelihood", "t_score"]
    if not near or n_tokens == 0:
        return pd.DataFrame(columns=columns)
    rows = []
    for c, o in near.items():
        if o < min_count or len(c) < 2:
            continue
        f = freq[c]
        expected = span_total * f / n_tokens
        a, b = o, span_total - o
        cc, d = f - o, max(n_tokens - span_total - (f - o), 0)
        rows.append(
            {
                "collocate": c,
                "count": o,
                "freq": f,
                "expected": expected,
                "mi": math.log2(o / expected) if expected > 0 else 0.0,
                "log_likelihood": _ll_2x2(a, b, max(cc, 0), d),
                "t_score": (o - expected) / math.sqrt(o),
            }
        )
    out = pd.DataFrame(rows, columns=columns)
    return out.sort_values(["log_likelihood", "count"], ascending=False).reset_index(drop=True)


def cooccurrence(
    paragraphs: Any,
    *,
    unit: str = "sentence",
    top_terms: int = 200,
    min_weight: int = 2,
    config: Mapping[str, Any] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """A co-occurrence network of the ``top_terms`` most frequent content terms.

    Two terms are linked when they occur in the same ``unit`` ("sentence" or "paragraph"); the edge weight
    is the number of units they share (edges below ``min_weight`` are dropped); ``pmi`` is log2 of the
    shared count over its expectation. Returns (nodes: term, freq, units; edges: source, target, weight, pmi).
    """
    if unit not in ("sentence", "paragraph"):
        raise ValueError(f"unit must be 'sentence' or 'paragraph', got {unit!r}")
    frame = paragraph_frame(paragraphs, tokens=True, config=config)
    stop = load_stopwords(config)
    freq: Counter[str] = Counter()
    for u in _content_units(frame, unit=unit, stop=stop):
        freq.update(u)
    keep = {w for w, _ in freq.most_common(top_terms)}
    unit_freq: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    n_units = 0
    for u in _content_units(frame, unit=unit, stop=stop):
        n_units += 1
        present = sorted(set(u) & keep)
        unit_freq.update(present)
        pairs.update(combinations(present, 2))
    nodes = pd.DataFrame(
        [{"term": w, "freq": freq[w], "units": unit_freq[w]} for w in sorted(keep, key=lambda w: -freq[w])],
        columns=["term", "freq", "units"],
    )
    edges = pd.DataFrame(
        [
            {
                "source": a,
                "target": b,
                "weight": n,
                "pmi": math.log2(n * n_units / (unit_freq[a] * unit_freq[b])),
            }
            for (a, b), n in pairs.items()
            if n >= min_weight
        ],
        columns=["source", "target", "weight", "pmi"],
    )
    edges = edges.sort_values("weight", ascending=False).reset_index(drop=True)
    return nodes, edges


def write_edges_csv(edges: pd.DataFrame, path: str | Path) -> Path:
    """The edge list as CSV (UTF-8 with BOM so Excel reads the Chinese; Gephi imports it as an edge table)."""
    path = Path(path)
    edges.rename(columns={"source": "Source", "target": "Target", "weight": "Weight"}).to_csv(
        path, index=False, encoding="utf-8-sig"
    )
    return path


def write_gexf(nodes: pd.DataFrame, edges: pd.DataFrame, path: str | Path) -> Path:
    """Write an undirected weighted GEXF 1.3 graph (node attribute freq, edge weight) for Gephi."""
    path = Path(path)
    ids = {term: f"n{i}" for i, term in enumerate(nodes["term"])}
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gexf xmlns="http://gexf.net/1.3" version="1.3">',
        '  <graph mode="static" defaultedgetype="undirected">',
        '    <attributes class="node"><attribute id="freq" title="freq" type="integer"/></attributes>',
        "    <nodes>",
    ]
    for term, f in zip(nodes["term"], nodes["freq"]):
        lines.append(
            f'      <node id="{ids[term]}" label={quoteattr(str(term))}>'
            f'<attvalues><attvalue for="freq" value="{int(f)}"/></attvalues></node>'
        )
    lines.append("    </nodes>")
    lines.append("    <edges>")
    for i, (s, t, w) in enumerate(zip(edges["source"], edges["target"], edges["weight"])):
        if s in ids and t in ids:
            lines.append(f'      <edge id="e{i}" source="{ids[s]}" target="{ids[t]}" weight="{float(w)}"/>')
    lines += ["    </edges>", "  </graph>", "</gexf>", ""]
    path.write_text("\n".join(lines), encoding="utf-8")
    return path
