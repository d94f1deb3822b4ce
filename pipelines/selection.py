"""Which documents a ``--doc`` / ``--vs`` / ``similar DOC`` argument names: one rule for every command.

A researcher types a document the way she sees it: the file name (``2019.txt``), the name without its extension
(``2025年广东省政府工作报告``), the path under the workspace that the store keys it by (``corpus/2019.txt``), or a
shell glob over names (``"2025年*省*"``, ``"*.pdf"``). Before, each command had its own rule (exact name only;
exact or glob; exact only, silently returning nothing), so the same argument worked in one command and found
nothing in the next. A spec that names no document is an error that lists the closest names.

Example::

    >>> match_docs("2019", ["2019.txt", "2020.txt"])
    ['2019.txt']
    >>> match_docs("20*", ["2019.txt", "2020.txt"])
    ['2019.txt', '2020.txt']
"""

from __future__ import annotations

import difflib
import fnmatch
from collections.abc import Iterable
from pathlib import PurePosixPath

from nlp.errors import ZhcorpusError

__all__ = ["match_docs", "select_docs"]

_GLOB_CHARS = frozenset("*?[")


def _stem(name: str) -> str:
    """The name without its last extension (``报告.txt`` -> ``报告``; a name with none is itself)."""
    return PurePosixPath(name).stem if PurePosixPath(name).suffix else name


def match_docs(spec: str, names: Iterable[str], ids: Iterable[str] = ()) -> list[str]:
    """The document names (in the order given) that ``spec`` selects, or ``[]``.

    ``names`` are the documents' names; ``ids`` (optional, parallel to ``names``) their store keys (paths under
    the workspace). Tried in order, the first rule that selects something wins: the exact name or key; the
    name without its extension; a glob (when ``spec`` holds ``*``, ``?`` or ``[``) over names and keys.
    """
    names = list(names)
    keys = list(ids) or names
    exact = [n for n, k in zip(names, keys) if spec in (n, k)]
    if exact:
        return exact
    by_stem = [n for n in names if _stem(n) == spec]
    if by_stem:
        return by_stem
    if _GLOB_CHARS.intersection(spec):
        return [n for n, k in zip(names, keys) if fnmatch.fnmatchcase(n, spec) or fnmatch.fnmatchcase(k, spec)]
    return []


def select_docs(spec: str, names: Iterable[str], ids: Iterable[str] = (), *, option: str = "--doc") -> list[str]:
    """:func:`match_docs`, or a :class:`ZhcorpusError` naming the spec and the closest document names."""
    names = list(names)
    found = match_docs(spec, names, ids)
    if found:
        return found
    close = difflib.get_close_matches(spec, names, n=3, cutoff=0.4) or difflib.get_close_matches(
        spec, [_stem(n) for n in names], n=3, cutoff=0.4
    )
    hint = f"; closest: {', '.join(close)}" if close else f"; {len(names)} documents in the store"
    raise ZhcorpusError(f"{option} {spec!r} matches no document{hint}")
