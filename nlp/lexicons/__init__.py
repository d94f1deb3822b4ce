"""Lexicons of zhcorpus: the domain dictionary, the stop-word list and per-workspace additions, with one loader.

Data files live beside this module:

- ``domain_dict.txt``: policy / trade / economy / governance terms in jieba's user-dictionary format
  (``word [freq] tag``), compiled for this project;
- ``stopwords_extra.txt``: a few additions to the maintained stopwords-iso Chinese list (PyPI ``stopwordsiso``);
- ``query_words.txt``: question-frame words that search drops from queries and small synonym groups it adds.

Per-workspace additions come from the plain config dict (``zhcorpus.toml``)::

    [lexicon]
    user_words = ["某某试验区", "某某试验区 ns", "某某试验区 800 ns"]   # "word", "word tag" or "word freq tag"
    stopwords = ["某词"]
    user_dict = "user_dict.txt"   # optional jieba-format file, relative to the workspace root

``terms discover --add`` appends accepted terms to the workspace's ``user_dict.txt`` (see :func:`append_user_dict`).
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from nlp.errors import ConfigError

__all__ = [
    "DEFAULT_FREQ",
    "DEFAULT_TAG",
    "LEXICON_DIR",
    "USER_DICT_NAME",
    "Entry",
    "append_user_dict",
    "domain_entries",
    "lexicon_entries",
    "lexicon_fingerprint",
    "parse_entry",
    "query_words",
    "read_dict_file",
    "stopwords",
    "user_entries",
]

LEXICON_DIR = Path(__file__).resolve().parent
DOMAIN_DICT = LEXICON_DIR / "domain_dict.txt"
STOPWORDS_EXTRA = LEXICON_DIR / "stopwords_extra.txt"
QUERY_WORDS = LEXICON_DIR / "query_words.txt"
USER_DICT_NAME = "user_dict.txt"

# Frequency given to a dictionary word that states none. jieba's own suggestion (the smallest frequency that
# makes the word beat its pieces in isolation) is often 1, which loses to the pieces in some contexts; 2000 is
# about the frequency of a common two-character word in jieba's dictionary, high enough to keep domain terms
# whole in context and low enough not to glue ordinary words (checked by tests/bench/eval_cws.py).
DEFAULT_FREQ = 2000
DEFAULT_TAG = "nz"


@dataclass(frozen=True, slots=True)
class Entry:
    """One dictionary word: its frequency (None = DEFAULT_FREQ) and its jieba tag."""

    word: str
    freq: int | None = None
    tag: str = DEFAULT_TAG


def parse_entry(line: str) -> Entry | None:
    """Parse ``word [freq] [tag]`` (jieba's user-dictionary line); None for blank lines and comments."""
    line = line.strip()
    if not line or line.startswith("#"):
        return None
    parts = line.split()
    word, rest = parts[0], parts[1:]
    freq: int | None = None
    tag = DEFAULT_TAG
    if rest and rest[0].isdigit():
        freq = int(rest.pop(0))
    if rest:
        tag = rest[0]
    if len(rest) > 1:
        raise ConfigError(f"dictionary line must be 'word [freq] [tag]', got {line!r}")
    return Entry(word, freq, tag)


def read_dict_file(path: str | Path) -> list[Entry]:
    """Entries of a jieba-format dictionary file (UTF-8, or GB18030/GBK as Notepad on Chinese Windows saves it)."""
    from nlp.readers import read_text_file

    entries = []
    for line in read_text_file(path).splitlines():
        entry = parse_entry(line)
        if entry is not None:
            entries.append(entry)
    return entries


@lru_cache(maxsize=1)
def domain_entries() -> tuple[Entry, ...]:
    """The built-in domain dictionary (``domain_dict.txt``)."""
    return tuple(read_dict_file(DOMAIN_DICT))


def _lexicon_section(config: Mapping[str, Any] | None) -> Mapping[str, Any]:
    if not config:
        return {}
    section = config.get("lexicon", {})
    if not isinstance(section, Mapping):
        raise ConfigError(f"[lexicon] must be a table, got {type(section).__name__}")
    return section


def _str_list(section: Mapping[str, Any], key: str) -> list[str]:
    value = section.get(key, [])
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"lexicon.{key} must be a list of strings, got {value!r}")
    return value


def user_entries(config: Mapping[str, Any] | None, *, root: str | Path | None = None) -> list[Entry]:
    """Per-workspace words: ``lexicon.user_words`` and the ``lexicon.user_dict`` file (relative to ``root``).

    When ``root`` is given and holds ``user_dict.txt`` (written by ``terms discover --add``), that file is read
    too, so that every process building a segmenter from the same workspace gets the same dictionary.
    """
    section = _lexicon_section(config)
    entries = [e for e in (parse_entry(w) for w in _str_list(section, "user_words")) if e is not None]
    files: list[Path] = []
    if section.get("user_dict"):
        path = Path(str(section["user_dict"]))
        if not path.is_absolute() and root is not None:
            path = Path(root) / path
        if not path.exists():
            raise ConfigError(f"lexicon.user_dict {str(path)!r} does not exist")
        files.append(path)
    if root is not None and (Path(root) / USER_DICT_NAME).exists():
        default = Path(root) / USER_DICT_NAME
        if default not in files:
            files.append(default)
    for path in files:
        entries.extend(read_dict_file(path))
    return entries


def _config_root(config: Mapping[str, Any] | None) -> str | None:
    # The workspace may pass its root under the private key "_root" so the nlp layer can resolve user_dict.
    if config and isinstance(config.get("_root"), (str, Path)):
        return str(config["_root"])
    return None


def lexicon_entries(config: Mapping[str, Any] | None = None) -> tuple[Entry, ...]:
    """The domain dictionary followed by the workspace's words (later entries win on the same word)."""
    return domain_entries() + tuple(user_entries(config, root=_config_root(config)))


def lexicon_fingerprint(entries: Sequence[Entry]) -> str:
    """A short stable hash of a dictionary, to key caches and to tell when stored tokens are stale."""
    digest = hashlib.sha1()
    for e in entries:
        digest.update(f"{e.word}\t{e.freq}\t{e.tag}\n".encode())
    return digest.hexdigest()[:16]


@lru_cache(maxsize=1)
def _base_stopwords() -> frozenset[str]:
    import stopwordsiso

    words = set(stopwordsiso.stopwords("zh"))
    for line in STOPWORDS_EXTRA.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.add(line)
    return frozenset(words)


@lru_cache(maxsize=1)
def query_words() -> tuple[frozenset[str], tuple[tuple[str, ...], ...]]:
    """(frame words, synonym groups) of ``query_words.txt``: what search drops from a query and what it adds."""
    frame: set[str] = set()
    groups: list[tuple[str, ...]] = []
    part = None
    for line in QUERY_WORDS.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.startswith("[") and line.endswith("]"):
            part = line[1:-1]
        elif part == "frame":
            frame.update(line.split())
        elif part == "synonyms" and len(line.split()) > 1:
            groups.append(tuple(line.split()))
    return frozenset(frame), tuple(groups)


def stopwords(config: Mapping[str, Any] | None = None) -> frozenset[str]:
    """stopwords-iso Chinese + the project's additions + ``lexicon.stopwords`` from the config."""
    extra = _str_list(_lexicon_section(config), "stopwords")
    base = _base_stopwords()
    return base | frozenset(extra) if extra else base


def append_user_dict(path: str | Path, words: Iterable[str | Entry], *, tag: str = DEFAULT_TAG) -> list[str]:
    """Append words not already there to a jieba-format user dictionary; returns the words written."""
    from nlp.readers import read_text_file

    path = Path(path)
    before = read_text_file(path) if path.exists() else ""
    existing = {e.word for e in read_dict_file(path)} if before else set()
    lines, added = [], []
    for item in words:
        entry = item if isinstance(item, Entry) else Entry(item.strip(), None, tag)
        if not entry.word or entry.word in existing:
            continue
        existing.add(entry.word)
        added.append(entry.word)
        lines.append(f"{entry.word} {entry.freq} {entry.tag}" if entry.freq else f"{entry.word} {entry.tag}")
    if lines:
        # written back whole in UTF-8: appending UTF-8 to a GBK file would mix two encodings in one file, and a
        # last line without its newline would swallow the first new word
        if before and not before.endswith("\n"):
            before += "\n"
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(before + "\n".join(lines) + "\n", encoding="utf-8")
        tmp.replace(path)  # atomic: an interrupted write never leaves half a dictionary
    return added
