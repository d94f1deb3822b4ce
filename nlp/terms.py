"""Term discovery: multi-word terms the dictionary lacks, proposed from corpus statistics.

Candidates are n-grams of 2..``max_tokens`` content tokens (as segmented with the current dictionary)
that are not already one dictionary word. Each is scored by:

- frequency (``freq``) in the corpus;
- internal cohesion: the smallest pointwise mutual information over the ways of splitting it in two
  (``pmi``, in bits): a term's parts occur together far more than chance;
- freedom at its edges: the entropy of the tokens just left and right of it (``left_entropy``,
  ``right_entropy``): a term appears in varied contexts, a fragment of a longer unit always beside the same
  word.

``score = log2(freq) * pmi_clipped * min(left_entropy, right_entropy)``; ranked best first. Accepted terms are
written to the workspace dictionary with :func:`add_terms` (nlp.lexicons.append_user_dict).
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from nlp.lang import get_tagger, paragraph_frame
from nlp.lexicons import append_user_dict, lexicon_entries
from nlp.lexicons import stopwords as load_stopwords

__all__ = ["TERM_COLUMNS", "add_terms", "affected_paragraphs", "discover_terms"]

TERM_COLUMNS = ["term", "tokens", "freq", "pmi", "left_entropy", "right_entropy", "score"]

# Tokens a term may be built from (content words); a term must end on a nominal head.
_PART_TAGS = frozenset({"n", "nz", "nt", "ns", "ng", "vn", "v", "an", "a", "b", "j", "l", "eng", "nr", "nrt"})
_HEAD_TAGS = frozenset({"n", "nz", "nt", "ns", "ng", "vn", "an", "j", "l", "eng"})
_BOUNDARY = "\x00"


def _entropy(counter: Counter[str]) -> float:
    total = sum(counter.values())
    if not total:
        return 0.0
    return -sum(c / total * math.log2(c / total) for c in counter.values())


def discover_terms(
    paragraphs: Any,
    *,
    top: int = 50,
    min_freq: int = 5,
    max_tokens: int = 3,
    min_chars: int = 3,
    config: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Rank multi-token candidate terms missing from the dictionary (columns :data:`TERM_COLUMNS`).

    The whole candidate table is kept in memory (counts of 2..max_tokens-grams), which is fine for corpora
    of a few hundred documents; counts are gathered in one pass over the tokens.
    """
    frame = paragraph_frame(paragraphs, tokens=True, config=config)
    stop = load_stopwords(config)
    tagger = get_tagger(config)
    known = {e.word for e in lexicon_entries(config)}
    unigrams: Counter[str] = Counter()
    grams: Counter[tuple[str, ...]] = Counter()
    left: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    right: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    total = 0
    for tokens, tags in zip(frame["tokens"], frame["tags"]):
        n = len(tokens)
        ok = [t in _PART_TAGS and w not in stop and not w.isspace() for w, t in zip(tokens, tags)]
        for i in range(n):
            unigrams[tokens[i]] += 1
            total += 1
            if not ok[i] or tags[i] == "v" and len(tokens[i]) == 1:
                continue
            for k in range(2, max_tokens + 1):
                j = i + k
                if j > n or not ok[j - 1]:
                    break
                gram = tuple(tokens[i:j])
                grams[gram] += 1
                left[gram][tokens[i - 1] if i > 0 else _BOUNDARY] += 1
                right[gram][tokens[j] if j < n else _BOUNDARY] += 1
    if not total:
        return pd.DataFrame(columns=TERM_COLUMNS)
    head_ok = {w for w, t in zip(_flat(frame["tokens"]), _flat(frame["tags"])) if t in _HEAD_TAGS}
    rows = []
    for gram, f in grams.items():
        term = "".join(gram)
        if f < min_freq or len(term) < min_chars or term in known or tagger._jieba.has_word(term):
            continue
        if gram[-1] not in head_ok:
            continue
        pmi = min(
            math.log2(f * total / (_count(gram[:s], grams, unigrams) * _count(gram[s:], grams, unigrams)))
            for s in range(1, len(gram))
        )
        le, re_ = _entropy(left[gram]), _entropy(right[gram])
        score = math.log2(f) * max(min(pmi, 12.0), 0.0) * min(le, re_)
        rows.append(
            {
                "term": term,
                "tokens": " ".join(gram),
                "freq": f,
                "pmi": pmi,
                "left_entropy": le,
                "right_entropy": re_,
                "score": score,
            }
        )
    out = pd.DataFrame(rows, columns=TERM_COLUMNS)
    out = out[out["score"] > 0].sort_values(["score", "freq"], ascending=False)
    out = _drop_nested(out)
    return out.head(top).reset_index(drop=True)


def _flat(column: Iterable[list[str]]) -> Iterable[str]:
    for items in column:
        yield from items


def _count(part: tuple[str, ...], grams: Counter[tuple[str, ...]], unigrams: Counter[str]) -> int:
    return unigrams[part[0]] if len(part) == 1 else max(grams.get(part, 0), 1)


def _drop_nested(ranked: pd.DataFrame) -> pd.DataFrame:
    """Drop a candidate contained in a better-ranked one with nearly the same frequency (a fragment)."""
    kept: list[tuple[str, int]] = []
    keep_rows = []
    for idx, term, freq in zip(ranked.index, ranked["term"], ranked["freq"]):
        if any(term in k and freq <= kf * 1.2 for k, kf in kept):
            continue
        kept.append((term, freq))
        keep_rows.append(idx)
    return ranked.loc[keep_rows]


def add_terms(terms: Iterable[str], user_dict: str | Path, *, tag: str = "nz") -> list[str]:
    """Append accepted terms to the workspace dictionary file; returns the terms actually added."""
    return append_user_dict(user_dict, list(terms), tag=tag)


def affected_paragraphs(paragraphs: Any, terms: Iterable[str]) -> pd.DataFrame:
    """The paragraphs whose text contains any of ``terms``: those to segment again after a dictionary change."""
    frame = paragraph_frame(paragraphs)
    words = [t for t in terms if t]
    if not words:
        return frame.iloc[0:0]
    mask = frame["text"].map(lambda text: any(w in text for w in words))
    return frame[mask].reset_index(drop=True)
