"""Fast candidate search for the extractors: where literal-led patterns may start, found for many at once.

Python's ``re`` scans a pattern led by a character class at about 10 ns per character and every pattern costs its
own pass; the extractors run many such patterns over every document. :class:`StartScanner` finds the candidate
start positions of up to 8 pattern groups in one numpy pass; :func:`iter_matches_at` then tries each pattern only
there, giving exactly ``finditer``'s matches.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Sequence

import numpy as np

__all__ = ["StartScanner", "iter_matches_at"]


class StartScanner:
    """Where the matches of several literal-led patterns may start in a text, found for all of them in one pass.

    Each group is the set of literals that one pattern's matches begin with. A position is a candidate of a group
    when its character may start one of the group's literals and the next character may be that literal's second
    one (any character after a one-character literal). ``re`` scans a pattern led by a character class at about
    10 ns per character whatever the class (only a single literal first character is searched fast), and every
    pattern costs its own scan; two table look-ups over the text's code points (numpy) serve every group at once
    in a fraction of one such scan. The candidates are a superset of the true starts: callers still match the
    pattern at each one (``iter_matches_at``). At most 8 groups.

    ``prefix=3`` (keyword-only, default 2: the behaviour above) also checks the third character of the literals
    longer than two characters, in an exact group (no one-character literal, no case folding): for a gazetteer of
    names such as 国家…/经济…/中国… this drops most candidates that only share a common two-character opening.
    """

    __slots__ = ("_bigrams", "_first", "_groups", "_second", "_trigrams")

    def __init__(
        self, groups: Sequence[Iterable[str]], *, ignorecase: Sequence[bool] = (), prefix: int = 2
    ) -> None:
        if len(groups) > 8:
            raise ValueError("StartScanner takes at most 8 groups")
        if prefix not in (2, 3):
            raise ValueError("StartScanner prefix must be 2 or 3")
        self._groups = len(groups)
        self._first = np.zeros(0x110000, dtype=np.uint8)
        self._second = np.zeros(0x110000, dtype=np.uint8)
        # per group, the exact two-character openings of its literals (None: a one-character literal, or a cased
        # opening under case folding): the table test pairs any first with any second character, this one does not
        self._bigrams: list[np.ndarray | None] = []  # sorted codes ord(first) << 21 | ord(second)
        # with prefix=3, per exact group: (two-character literals' codes, three-character openings' codes of the
        # longer literals, ord(a) << 42 | ord(b) << 21 | ord(c)); None when the group is not exact
        self._trigrams: list[tuple[np.ndarray, np.ndarray] | None] = []
        for g, literals in enumerate(groups):
            bit = np.uint8(1 << g)
            fold = g < len(ignorecase) and ignorecase[g]
            literals = list(literals)
            exact = all(len(x) > 1 and not (fold and x[:2].lower() != x[:2].upper()) for x in literals)
            codes = sorted({ord(x[0]) << 21 | ord(x[1]) for x in literals}) if exact else None
            self._bigrams.append(np.array(codes, dtype=np.int64) if codes is not None else None)
            tri = None
            if exact and prefix == 3 and not (fold and any(x[:3].lower() != x[:3].upper() for x in literals)):
                two = sorted({ord(x[0]) << 21 | ord(x[1]) for x in literals if len(x) == 2})
                three = sorted(
                    {ord(x[0]) << 42 | ord(x[1]) << 21 | ord(x[2]) for x in literals if len(x) > 2}
                )
                tri = (np.array(two, dtype=np.int64), np.array(three, dtype=np.int64))
            self._trigrams.append(tri)
            for lit in literals:
                if not lit:
                    raise ValueError("StartScanner literals must not be empty")
                _set_bit(self._first, lit[0], bit, fold=fold)
                if len(lit) == 1:
                    self._second |= bit
                else:
                    _set_bit(self._second, lit[1], bit, fold=fold)

    def starts(self, text: str) -> list[list[int]]:
        """Candidate start offsets in ``text``, ascending, one list per group.

        With ``prefix=3`` a group whose literals are all exact (no one-character literal, no case folding) keeps
        only the positions where a two-character literal, or the first three characters of a longer one,
        stand: still a superset of the true starts, usually a much smaller one."""
        if not text:
            return [[] for _ in range(self._groups)]
        n = len(text)
        cps = np.frombuffer((text + "\0\0").encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
        flags = np.take(self._first, cps[:n])  # np.take: faster than fancy indexing
        flags &= np.take(self._second, cps[1 : n + 1])
        pos = np.flatnonzero(flags != 0)
        bits = flags[pos]
        out = []
        for g, codes in enumerate(self._bigrams):
            cands = pos[(bits & (1 << g)) != 0]
            if codes is not None and len(cands):
                found = (cps[cands].astype(np.int64) << 21) | cps[cands + 1]
                tri = self._trigrams[g]
                if tri is None:
                    cands = cands[_isin_sorted(found, codes)]
                else:
                    two, three = tri
                    keep = _isin_sorted(found, two)
                    keep |= _isin_sorted((found << 21) | cps[cands + 2], three)
                    cands = cands[keep]
            out.append(cands.tolist())
        return out


def _isin_sorted(values: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Which ``values`` are among the sorted ``codes`` (a boolean array; all False when ``codes`` is empty)."""
    if not len(codes):
        return np.zeros(len(values), dtype=bool)
    at = np.minimum(np.searchsorted(codes, values), len(codes) - 1)
    return codes[at] == values


def _set_bit(table: np.ndarray, ch: str, bit: np.uint8, *, fold: bool) -> None:
    """Mark ``ch`` in ``table``; under case folding also every character ``re.IGNORECASE`` may equate with it
    (ASCII letters: both cases and the few non-ASCII folds; any other cased character: every character)."""
    if not fold or ch.lower() == ch.upper():
        table[ord(ch)] |= bit
    elif ch.isascii():
        for v in {ch.lower(), ch.upper(), *_ASCII_FOLD_EXTRA.get(ch.lower(), "")}:
            table[ord(v)] |= bit
    else:
        table |= bit


_ASCII_FOLD_EXTRA = {"i": "\u0130\u0131", "k": "\u212a", "s": "\u017f"}


def iter_matches_at(
    rx: re.Pattern[str],
    text: str,
    starts: Iterable[int],
    *,
    accept: Callable[[str, int], bool] | None = None,
    endpos: int | None = None,
) -> Iterator[re.Match[str]]:
    """``rx.finditer(text)``, trying ``rx`` only at ``starts`` (ascending; must hold every position where a match
    can begin, e.g. from :class:`StartScanner`). ``rx`` must not match the empty string. With ``endpos`` the
    matches are those in ``text[:endpos]`` (without slicing the text: look-behinds still see the characters before).

    ``accept(text, start)`` emulates a leading lookbehind without its per-position cost: a match it rejects fails at
    its start and the scan resumes one character later, as ``rx.search`` would with the lookbehind in the pattern.
    """
    pos = 0
    match = rx.match
    end = len(text) if endpos is None else endpos
    for s in starts:
        if s < pos:
            continue
        m = match(text, s, end)
        if m is None:
            continue
        if accept is not None and not accept(text, s):
            pos = s + 1
            continue
        yield m
        pos = max(m.end(), s + 1)
