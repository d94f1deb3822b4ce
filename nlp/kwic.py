"""Key word in context over the cleaned text of paragraphs.

Matching is on characters, not tokens: ``人才`` finds 人才培养 and 复合型高端人才 whatever the segmenter
did, and the number of hits equals ``text.count(term)`` (non-overlapping, left to right) summed over the
paragraphs. A regular expression can be given instead (``regex=True``).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pandas as pd

from nlp.lang import paragraph_frame, split_sentences

__all__ = ["KWIC_COLUMNS", "iter_kwic", "kwic", "kwic_counts"]

KWIC_COLUMNS = ["doc", "para", "section", "sentence", "start", "end", "left", "keyword", "right"]


def _pattern(term: str, *, regex: bool) -> re.Pattern[str]:
    if not term:
        raise ValueError("the KWIC term must be a non-empty string")
    try:
        return re.compile(term if regex else re.escape(term))
    except re.error as exc:
        raise ValueError(f"invalid regular expression {term!r}: {exc}") from exc


def iter_kwic(
    paragraphs: Any, term: str, *, regex: bool = False, window: int = 15
) -> Iterator[dict[str, Any]]:
    """Yield one hit per match: doc, para, section, sentence, start/end (in the paragraph), left/keyword/right.

    ``window`` is the number of characters of context on each side (within the paragraph; newlines of
    table rows are shown as spaces).
    """
    pattern = _pattern(term, regex=regex)
    frame = paragraph_frame(paragraphs)
    for doc, para, section, text in zip(frame["doc"], frame["idx"], frame["section"], frame["text"]):
        sentences = None
        for m in pattern.finditer(text):
            if m.end() == m.start():
                continue  # an empty regex match is not a hit
            if sentences is None:
                sentences = split_sentences(text)
            sentence = next((text[s:e] for s, e in sentences if s <= m.start() < e), "")
            yield {
                "doc": doc,
                "para": para,
                "section": section,
                "sentence": sentence.strip(),
                "start": m.start(),
                "end": m.end(),
                "left": text[max(0, m.start() - window) : m.start()].replace("\n", " "),
                "keyword": m.group(0),
                "right": text[m.end() : m.end() + window].replace("\n", " "),
            }


def kwic(paragraphs: Any, term: str, *, regex: bool = False, window: int = 15) -> pd.DataFrame:
    """All hits of ``term`` as a DataFrame with :data:`KWIC_COLUMNS`."""
    return pd.DataFrame(list(iter_kwic(paragraphs, term, regex=regex, window=window)), columns=KWIC_COLUMNS)


def kwic_counts(hits: pd.DataFrame) -> pd.DataFrame:
    """Hits per document and per matched form (useful with ``regex=True``)."""
    if hits.empty:
        return pd.DataFrame(columns=["doc", "keyword", "count"])
    return (
        hits.groupby(["doc", "keyword"])
        .size()
        .rename("count")
        .reset_index()
        .sort_values("count", ascending=False)
    )
