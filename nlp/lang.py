"""The language layer: jieba segmentation and POS tagging in one pass, as a spaCy ``Language``.

spaCy's own Chinese tokenizer runs jieba for words only; here the tokenizer runs the Rust implementation of
jieba (``rjieba``: the same dictionary, DAG + HMM algorithm and tag set as ``jieba.posseg``) once per text and
builds a Doc with ``token.tag_`` = jieba's tag and ``token.pos_`` = :data:`UPOS`.

Speed (``make_nlp().pipe`` on the 1.1M characters of gov_work_reports, see ``tests/bench/bench_segment.py``):
the tokenizer cuts with rjieba and resolves each distinct word once into (ORTH, TAG, POS) hashes
(:class:`_DocBuilder`), so a text costs one dict lookup per token plus one ``Doc(vocab, words=<hashes>)`` and
one ``Doc.from_array``. On a first pass (cold vocab) the extra cost is per new word: learning its tag
(rjieba) and spaCy building its lexeme, i.e. calling its 23 lexical attribute getters and interning their string
values. make_nlp installs exact equivalents of those getters (C-level callables, or a shortcut for words of plain
CJK ideographs), so every lexeme attribute is the same as with spaCy's own getters, at about half the cost; and the
tokenizer creates the lexemes of new plain words itself, before ``Doc()`` would, calling only the 8 getters whose
value is not False for such a word, with the word's own hash for lower / norm / short suffixes and hashed
constants for shape and lang (``_DocBuilder._make_plain_lexemes``): 8% fewer instructions on the cold pass over
gov_work_reports (callgrind: 3.92 against 4.27 billion), a fifth less than before beyond the warm pass.
Building lexemes column by column for a batch of new words and learning words a batch at a time were tried and
measured: no gain (callgrind instruction counts within 2%), so they are not here; nor is a prebuilt vocab (spaCy
3 does not serialise lexemes: loading one would rebuild every lexeme, ~350k for jieba's dictionary against ~24k
new words in the 1.1M-character benchmark corpus).

Why rjieba and not ``jieba.posseg`` (figures from ``tests/bench/bench_segment.py`` on the seeds): token
boundaries agree at F 0.977 and 98.6% of shared tokens get the same tag; they differ mainly where rjieba keeps
numbers, codes and ranges together (``5G``, ``2014-2019``, ``COVID-19``) which jieba.posseg splits, and on a few
tags (``家``/``个`` q vs m); rjieba is hundreds of times faster (jieba.posseg's POS Viterbi runs at only a few
thousand chars/s on the government reports). The domain dictionary is added with ``add_word`` on a private
``rjieba.Jieba`` instance, built deterministically from the config, so that every worker process segments
identically. ``add_word`` does not change the tag of a word jieba already knows (``安全法`` stays ``nr``), so
lexicon tags are applied as overrides after tagging.

Every token of the text is kept (whitespace too, tagged ``x`` / ``SPACE``), so ``"".join(tokens) == text`` and
``doc.text == text``: stored token streams can be turned back into Docs (:func:`docs_from_tokens`) and
offsets computed without segmenting again.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from functools import lru_cache, partial
from itertools import filterfalse
from operator import itemgetter
from typing import Any

import numpy as np
import rjieba
import spacy.lang.lex_attrs as _base_lex
import spacy.lang.zh.lex_attrs as _zh_lex
from spacy.attrs import LANG, LOWER, NORM, POS, PREFIX, SUFFIX, TAG
from spacy.lang.zh import Chinese
from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import _get_attr_unless_lookup
from spacy.vocab import Vocab

from nlp.lexicons import DEFAULT_FREQ, Entry, lexicon_entries, lexicon_fingerprint

__all__ = [
    "UPOS",
    "JiebaTagger",
    "JiebaTokenizer",
    "docs_from_tokens",
    "get_tagger",
    "make_nlp",
    "paragraph_frame",
    "segment",
    "split_sentences",
    "tag_texts",
    "upos",
]

# jieba (ICTCLAS / PKU) tag -> Universal POS. Choices that are not one-to-one, and why:
#   vn (verb used as noun, 建设 in 基础设施建设) and an (adjective used as noun, 困难) -> NOUN, their use;
#   f (localiser 上/中/内) -> ADP, as UD Chinese treats localisers as postpositions;
#   q (measure word 个/项) -> NOUN, as UD Chinese does for classifiers (NounType=Clf);
#   b (non-predicate adjective 单一/大型) -> ADJ;  j (abbreviation 人大/发改委) -> PROPN;
#   i (idiom) and l (fixed phrase) have no single category -> X;  eng (Latin letters) -> X;
#   x (non-word) -> PUNCT, or SPACE when the token is whitespace (decided per token).
UPOS: dict[str, str] = {
    "a": "ADJ", "ad": "ADV", "ag": "ADJ", "an": "NOUN", "b": "ADJ", "bg": "ADJ",
    "c": "CCONJ", "cc": "CCONJ",
    "d": "ADV", "df": "ADV", "dg": "ADV",
    "e": "INTJ", "eng": "X",
    "f": "ADP", "g": "NOUN", "h": "PART", "i": "X", "j": "PROPN", "k": "PART", "l": "X",
    "m": "NUM", "mg": "NUM", "mq": "NUM",
    "n": "NOUN", "ng": "NOUN", "nr": "PROPN", "nrfg": "PROPN", "nrt": "PROPN", "ns": "PROPN",
    "nt": "PROPN", "nz": "PROPN",
    "o": "X", "p": "ADP", "q": "NOUN",
    "r": "PRON", "rg": "PRON", "rr": "PRON", "rz": "PRON",
    "s": "NOUN", "t": "NOUN", "tg": "NOUN",
    "u": "PART", "ud": "PART", "ug": "PART", "uj": "PART", "ul": "PART", "uv": "PART", "uz": "PART",
    "v": "VERB", "vd": "VERB", "vg": "VERB", "vi": "VERB", "vn": "NOUN", "vq": "VERB",
    "x": "PUNCT", "y": "PART", "yg": "PART", "z": "ADJ", "zg": "ADJ",
}  # fmt: skip


def upos(tag: str, word: str = "") -> str:
    """The Universal POS of a jieba tag (``x`` is SPACE for whitespace, PUNCT otherwise; unknown -> X)."""
    if tag == "x" and word.isspace():
        return "SPACE"
    return UPOS.get(tag, "X")


class JiebaTagger:
    """rjieba with the project's lexicon: ``tag(text) -> [(word, tag), ...]``.

    Build it with :func:`get_tagger` (cached per dictionary) rather than directly.
    """

    def __init__(self, entries: Sequence[Entry], *, hmm: bool = True) -> None:
        self.hmm = hmm
        self.fingerprint = lexicon_fingerprint(entries)
        self._jieba = rjieba.Jieba()
        overrides: dict[str, str] = {}
        for e in entries:
            if self._jieba.has_word(e.word):
                # rjieba keeps the tag of a word it knows (安全法 stays nr): override it after tagging,
                # but only where jieba's own tag differs, to keep the override check cheap.
                known = self._jieba.tag(e.word, False)
                if len(known) != 1 or known[0][1] != e.tag:
                    overrides[e.word] = e.tag
                else:
                    overrides.pop(e.word, None)
            self._jieba.add_word(e.word, e.freq if e.freq else DEFAULT_FREQ, e.tag)
        self._overrides = overrides
        # rjieba loads its part-of-speech HMM the first time it tags an unknown word (~26 ms): do it now, with the
        # dictionary, so that it counts as start-up rather than as part of the first text
        self._jieba.tag("\U00020000", hmm)

    def tag(self, text: str) -> list[tuple[str, str]]:
        """Segment and tag one text with jieba semantics (HMM for unknown words by default)."""
        pairs = self._jieba.tag(text, self.hmm)
        ov = self._overrides
        if ov and not ov.keys().isdisjoint(map(itemgetter(0), pairs)):
            return [(w, ov[w]) if w in ov else (w, t) for w, t in pairs]
        return pairs

    def tag_of(self, word: str) -> str | None:
        """The tag :meth:`tag` gives ``word`` wherever it is a token, or None if jieba splits it when alone.

        In rjieba a token's tag depends on the word only (a dictionary lookup, or ``x`` / ``m`` / ``eng`` from
        its characters), so tagging the word alone gives its tag in any text, provided it stays one token.
        """
        pairs = self._jieba.tag(word, self.hmm)
        if len(pairs) != 1:
            return None
        return self._overrides.get(word, pairs[0][1])

    def knows(self, word: str) -> bool:
        """Whether ``word`` is in the dictionary (jieba's own or the lexicon's), as opposed to found by the HMM."""
        return bool(self._jieba.has_word(word))

    def cut(self, text: str) -> list[str]:
        """Segment only (faster when tags are not needed)."""
        return self._jieba.cut(text, self.hmm)


@lru_cache(maxsize=8)
def _tagger_for(entries: tuple[Entry, ...], hmm: bool) -> JiebaTagger:
    return JiebaTagger(entries, hmm=hmm)


def get_tagger(config: Mapping[str, Any] | None = None) -> JiebaTagger:
    """The tagger for a config's lexicon, built once per process and dictionary (deterministic in workers)."""
    hmm = bool((config or {}).get("lang", {}).get("hmm", True))
    return _tagger_for(lexicon_entries(config), hmm)


def tag_texts(
    texts: Iterable[str], *, config: Mapping[str, Any] | None = None
) -> list[list[tuple[str, str]]]:
    """Segment and tag many texts: the fast path for the store stage (no spaCy objects)."""
    tagger = get_tagger(config)
    return [tagger.tag(text) for text in texts]


def segment(text: str, *, config: Mapping[str, Any] | None = None) -> list[dict[str, str]]:
    """Tokens of one text as the pipeline produces them: ``[{"text", "tag", "pos"}, ...]``."""
    return [{"text": w, "tag": t, "pos": upos(t, w)} for w, t in get_tagger(config).tag(text)]


class _DocBuilder:
    """Builds Docs through a per-vocab table of (ORTH, TAG, POS) hash columns, one column per distinct token.

    A token is resolved once (string hashes, lexicon tag override, UPOS, SPACE for whitespace); a text then
    costs one dict lookup per token, one ``numpy.take``, ``Doc(vocab, words=<orth ids>)`` (no re-hashing of
    each word: about 4x cheaper than passing strings) and one ``Doc.from_array`` for TAG and POS (about 20x
    cheaper than ``Doc(tags=, pos=)``).

    Texts are segmented with ``cut`` (words only, about 30% faster than ``tag``) and the table is keyed by the
    word: in rjieba a word's tag is a function of the word alone (``Jieba.tag`` is ``cut`` followed by a
    dictionary lookup per word, or a guess from its characters: ``x`` / ``m`` / ``eng``), so the tag learnt the
    first time a word is seen is the tag ``tag`` would give it anywhere. A new word's tag is learnt by tagging
    the word alone, or, when jieba would split it when alone, by tagging the whole text once.
    Tokens with caller-given tags (:meth:`from_pairs`) are keyed by (word, tag) and taken verbatim.

    Strings are added as permanent (not memory-zone transient) because the table outlives any zone. The table
    grows with the number of distinct tokens seen, like the vocab itself.
    """

    def __init__(self, vocab: Vocab, tagger: JiebaTagger | None = None) -> None:
        self.vocab = vocab
        self.tagger = tagger
        self.by_word: dict[str, int] = {}  # column of each word segmented by the tagger
        self.by_pair: dict[tuple[str, str], int] = {}  # column of each (word, tag) taken verbatim
        self.table = np.zeros((3, 1024), dtype="uint64")
        self.size = 0
        self._tag_rows: dict[tuple[str, bool], tuple[int, int]] = {}  # (tag, is space) -> TAG, POS hashes
        self._getters_seen: tuple[Any, ...] = ()
        self._plain_tables: tuple[tuple[dict[int, Any], tuple[int, ...]], ...] | None = None

    def _append(self, pairs: Sequence[tuple[str, str]]) -> range:
        """New table columns for (word, final tag) pairs, written in one numpy assignment.

        (Element-wise writes of 64-bit hashes into numpy cost about as much as all the rest together.)
        """
        start, end = self.size, self.size + len(pairs)
        if end > self.table.shape[1]:
            grown = np.zeros((3, max(end, 2 * self.table.shape[1])), dtype="uint64")
            grown[:, :start] = self.table[:, :start]
            self.table = grown
        strings, tag_rows = self.vocab.strings, self._tag_rows
        orths, tag_ids, pos_ids = [], [], []
        for word, tag in pairs:
            key = (tag, tag == "x" and word.isspace())
            rows = tag_rows.get(key)
            if rows is None:
                rows = tag_rows[key] = (strings.add(tag, allow_transient=False), strings[upos(tag, word)])
            orths.append(strings.add(word, allow_transient=False))
            tag_ids.append(rows[0])
            pos_ids.append(rows[1])
        self.table[:, start:end] = np.array([orths, tag_ids, pos_ids], dtype="uint64")
        self.size = end
        self._make_plain_lexemes([word for word, _ in pairs], orths)
        return range(start, end)

    def _make_plain_lexemes(self, words: Sequence[str], orths: Sequence[int]) -> None:
        """Create the lexemes of the plain words among ``words`` now, with only the getters a plain word needs.

        spaCy would create them in ``Doc()``, calling all 23 getters of each new word; for a plain word 15 of
        them return False, which a new (zero-filled) lexeme already holds, and most of the rest have cheaper
        exact forms (:func:`_plain_lex_attr_getters`). The vocab's getters are swapped for the call and put back.
        Nothing is done when a getter is not make_nlp's own (checked on every call: getters may be changed).
        Like the vocab itself, this is not for several threads at once (the getters are swapped for the call).
        """
        vocab = self.vocab
        getters = vocab.lex_attr_getters
        if not getters:
            return
        signature = tuple(getters.items())
        if signature != self._getters_seen:
            plain = _plain_lex_attr_getters(getters)
            self._getters_seen = signature
            self._plain_tables = None if plain is None else _plain_tables(plain, vocab.strings)
        tables = self._plain_tables
        if tables is None:
            return
        groups: tuple[dict[str, int], ...] = ({}, {}, {}, {})  # plain words of 1, 2, 3, 4+ characters
        plain_word = _PLAIN_WORD  # (not _is_plain: these words are new, its cache would not hold them)
        for word, orth in zip(words, orths):
            if plain_word(word) is not None:
                groups[min(len(word), 4) - 1][word] = orth
        try:
            for group, (template, own) in zip(groups, tables):
                if group:
                    table = dict(template)
                    table.update(dict.fromkeys(own, group.__getitem__))  # the word's own hash, C-level
                    vocab.lex_attr_getters = table
                    for orth in group.values():
                        vocab[orth]  # creates the lexeme unless the vocab has it
        finally:
            vocab.lex_attr_getters = getters

    def _learn_words(self, text: str, words: list[str], ids: list[int]) -> None:
        """Complete ``ids``, the columns of ``words`` (the cut of ``text``) up to the first new word, adding the
        new words among the rest (the cold path: only the words from the first new one on are looked at again)."""
        assert self.tagger is not None
        index = self.by_word
        rest = words[len(ids) :]
        new = list(dict.fromkeys(filterfalse(index.__contains__, rest)))
        tags = [self.tagger.tag_of(w) for w in new]
        if None in tags:  # some new word does not stand alone: take its tag from the text it came from
            in_text = dict(self.tagger.tag(text))
            tags = [in_text[w] if t is None else t for w, t in zip(new, tags)]
        index.update(zip(new, self._append(list(zip(new, tags)))))
        ids.extend(map(index.__getitem__, rest))

    def _doc(self, ids: list[int]) -> Doc:
        cols = self.table.take(ids, axis=1)
        doc = Doc(self.vocab, words=cols[0].tolist(), spaces=[False] * len(ids))
        doc.from_array([TAG, POS], cols[1:].T)  # (n, 2) view of C-contiguous rows: no copy in from_array
        return doc

    def from_text(self, text: str) -> Doc:
        """Segment and tag ``text`` with the tagger into a Doc (no spaces between tokens)."""
        assert self.tagger is not None
        words = self.tagger.cut(text)
        if not words:
            return Doc(self.vocab, words=[], spaces=[])
        ids: list[int] = []
        try:
            ids.extend(map(self.by_word.__getitem__, words))  # (extend keeps the ids before a new word)
        except KeyError:
            self._learn_words(text, words, ids)
        return self._doc(ids)

    def from_pairs(self, words: Sequence[str], tags: Sequence[str]) -> Doc:
        """A Doc of the given tokens and tags, taken verbatim (no lexicon override)."""
        if len(words) != len(tags):
            raise ValueError(f"tokens and tags must have the same length, got {len(words)} and {len(tags)}")
        if not words:
            return Doc(self.vocab, words=[], spaces=[])
        pairs = list(zip(words, tags))
        index = self.by_pair
        try:
            ids = list(map(index.__getitem__, pairs))
        except KeyError:
            new = list(dict.fromkeys([p for p in pairs if p not in index]))
            index.update(zip(new, self._append(new)))
            ids = list(map(index.__getitem__, pairs))
        return self._doc(ids)


# Lexical attributes. spaCy fills ~23 attributes of every new lexeme by calling one Python getter per
# attribute (``Vocab.lex_attr_getters``); on a first pass over a corpus (24k new words in 1.1M characters)
# that was most of the cost beyond segmentation. make_nlp installs exact equivalents of spaCy's getters:
#   * C-level callables where spaCy's getter is a one-line wrapper (``str.lower``, ``str.isalpha``, ...,
#     ``operator.itemgetter`` for prefix/suffix, ``frozenset.__contains__`` for the bracket/quote lists): no
#     Python frame at all;
#   * for the others, a shortcut for the common case, a word made only of "plain" CJK ideographs (U+4E00-U+9FFF,
#     letters without case, no numeral character): such a word has no digit, punctuation, currency sign, "." or
#     "@", so like_num / like_url / like_email / is_punct / is_currency are False and its shape is "x" repeated
#     (at most 4); any other word goes to spaCy's own function (or a verbatim copy of it);
#   * for a new plain word, only the getters that can give it something other than False (``_ON_PLAIN``).
# Every getter returns what spaCy's returns (tests/test_lang.py checks them on jieba's dictionary words and edge
# cases), so token attributes are unchanged. A getter is only replaced when it is the spaCy function it stands
# for; anything else (another language, a custom getter) is kept.
_ZH_NUMERAL_CHARS = frozenset(
    "".join(_zh_lex._single_num_words + _zh_lex._count_num_words + _zh_lex._base_num_words)
)


def _plain_ideograph_class() -> str:
    """A regex class of the CJK ideographs a shortcut may rely on (checked against this Python's Unicode data)."""
    block = map(chr, range(0x4E00, 0xA000))
    chars = [c for c in block if c.isalpha() and not c.isdigit() and not c.isupper() and c.lower() == c]
    chars = [c for c in chars if c not in _ZH_NUMERAL_CHARS]
    runs: list[list[str]] = []
    for ch in chars:
        if runs and ord(ch) == ord(runs[-1][1]) + 1:
            runs[-1][1] = ch
        else:
            runs.append([ch, ch])
    return "[" + "".join(a if a == b else f"{a}-{b}" for a, b in runs) + "]"


_PLAIN_WORD = re.compile(_plain_ideograph_class() + "{1,99}").fullmatch
# spaCy calls the getters one after another on the same new word, and several of them ask whether it is plain:
# remember the recent answers (bounded: cleared when full; a pure function of the string, so never stale).
_PLAIN_CACHE: dict[str, bool] = {}
_PLAIN_CACHE_SIZE = 1 << 14


def _is_plain(text: str) -> bool:
    """Whether ``text`` is 1-99 plain CJK ideographs (the shortcut case of the getters below)."""
    answer = _PLAIN_CACHE.get(text)
    if answer is None:
        if len(_PLAIN_CACHE) >= _PLAIN_CACHE_SIZE:
            _PLAIN_CACHE.clear()
        answer = _PLAIN_CACHE[text] = _PLAIN_WORD(text) is not None
    return answer


_ZH_NUM = re.compile(
    "^(("
    + "|".join(_zh_lex._count_num_words)
    + "){1}("
    + "|".join(_zh_lex._base_num_words)
    + "){1})+("
    + "|".join(_zh_lex._count_num_words)
    + ")?$"
)
_ZH_SINGLE_NUM = frozenset(_zh_lex._single_num_words)


def _zh_like_num(text: str) -> bool:
    """spaCy's zh ``like_num`` (regex compiled once, word list as a set), False at once for plain words."""
    if _is_plain(text):
        return False
    if text.startswith(("+", "-", "±", "~")):
        text = text[1:]
    text = text.replace(",", "").replace(".", "").replace("，", "").replace("。", "")
    if text.isdigit():
        return True
    if text.count("/") == 1:
        num, denom = text.split("/")
        if num.isdigit() and denom.isdigit():
            return True
    return text in _ZH_SINGLE_NUM or _ZH_NUM.match(text) is not None


def _like_url(text: str) -> bool:
    """spaCy's ``like_url``, False at once for a word with no "." that is not http(s)://."""
    if "." not in text and not text.startswith(("http://", "https://")):
        return False
    return _base_lex.like_url(text)


def _like_email(text: str) -> bool:
    """spaCy's ``like_email`` (its regex needs an "@")."""
    return "@" in text and _base_lex._like_email(text) is not None


def _is_punct(text: str) -> bool:
    """spaCy's ``is_punct``, False at once for plain words."""
    return not _is_plain(text) and _base_lex.is_punct(text)


def _is_currency(text: str) -> bool:
    """spaCy's ``is_currency``, False at once for plain words."""
    return not _is_plain(text) and _base_lex.is_currency(text)


_PLAIN_SHAPES = ("", "x", "xx", "xxx", "xxxx")


def _word_shape(text: str) -> str:
    """spaCy's ``word_shape``: a plain word (letters without case) is ``x`` repeated, at most 4 times."""
    if _is_plain(text):
        return _PLAIN_SHAPES[min(len(text), 4)]
    return _base_lex.word_shape(text)


def _stop_getter(stops: Iterable[str]) -> Any:
    stop_set = frozenset(stops)

    def is_stop(text: str) -> bool:
        """spaCy's ``is_stop``: the lower-cased word is a stop word."""
        return text.lower() in stop_set

    is_stop.on_plain = stop_set.__contains__  # type: ignore[attr-defined]  # a plain word is its own lower case
    return is_stop


def _norm_getter(default: Any, lookups: Sequence[Mapping[str, str]]) -> Any:
    table: dict[str, str] = {}
    for lookup in reversed(lookups):  # spaCy takes the first table holding the word
        table.update(lookup)
    fallback = _fast_getter(default)

    def norm(text: str) -> str:
        """spaCy's norm: the exception table's entry, else the default (lower case)."""
        value = table.get(text)
        return fallback(text) if value is None else value

    if fallback is str.lower and not any(_is_plain(key) for key in table):
        norm.on_plain = str.lower  # type: ignore[attr-defined]  # no plain word has an exception
    return norm


# spaCy's getter -> an exact equivalent (the tuples are spaCy's own lists, see spacy/lang/lex_attrs.py).
_SAME_AS: dict[Any, Any] = {
    _base_lex.lower: str.lower,
    _base_lex.prefix: itemgetter(0),
    _base_lex.suffix: itemgetter(slice(-3, None)),
    _base_lex.is_alpha: str.isalpha,
    _base_lex.is_digit: str.isdigit,
    _base_lex.is_lower: str.islower,
    _base_lex.is_space: str.isspace,
    _base_lex.is_title: str.istitle,
    _base_lex.is_upper: str.isupper,
    _base_lex.is_ascii: str.isascii,
    _base_lex.is_bracket: frozenset(("(", ")", "[", "]", "{", "}", "<", ">")).__contains__,
    _base_lex.is_quote: frozenset(
        ('"', "'", "`", "«", "»", "‘", "’", "‚", "‛", "“", "”", "„", "‟", "‹", "›", "❮", "❯", "''", "``")
    ).__contains__,
    _base_lex.is_left_punct: frozenset(
        ("(", "[", "{", "<", '"', "'", "«", "‘", "‚", "‛", "“", "„", "‟", "‹", "❮", "``")
    ).__contains__,
    _base_lex.is_right_punct: frozenset(
        (")", "]", "}", ">", '"', "'", "»", "’", "”", "›", "❯", "''")
    ).__contains__,
    _base_lex.is_punct: _is_punct,
    _base_lex.is_currency: _is_currency,
    _base_lex.like_email: _like_email,
    _base_lex.like_url: _like_url,
    _base_lex.word_shape: _word_shape,
    _zh_lex.like_num: _zh_like_num,
}


def _fast_getter(getter: Any) -> Any:
    """The exact, faster equivalent of one of spaCy's lexical attribute getters, or ``getter`` itself."""
    try:
        same = _SAME_AS.get(getter)
    except TypeError:  # an unhashable custom getter
        return getter
    if same is not None:
        return same
    if isinstance(getter, partial) and not getter.args:
        if getter.func is _base_lex.is_stop and set(getter.keywords) == {"stops"}:
            return _stop_getter(getter.keywords["stops"])
        lang = getter.keywords.get("lang")
        if getter.func is _base_lex.get_lang and set(getter.keywords) == {"lang"} and "{" not in str(lang):
            return str(lang).format  # a C-level "return lang" (str.format ignores unused arguments)
    if isinstance(getter, partial) and getter.func is _get_attr_unless_lookup and len(getter.args) == 2:
        default, lookups = getter.args
        if all(isinstance(t, Mapping) for t in lookups):
            return _norm_getter(default, lookups)
    return getter


def _plain_shape(text: str) -> str:
    """``word_shape`` of a plain word."""
    return _PLAIN_SHAPES[min(len(text), 4)]


# What each of the fast getters above gives a plain word: the same getter (a string or True), a cheaper one, or
# False/0 for every plain word (None here): such a getter need not be called at all, because spaCy allocates a
# new lexeme zero-filled and setting a flag to False leaves it as it was.
_ON_PLAIN: dict[Any, Any] = {
    str.lower: str.lower,
    _SAME_AS[_base_lex.prefix]: _SAME_AS[_base_lex.prefix],
    _SAME_AS[_base_lex.suffix]: _SAME_AS[_base_lex.suffix],
    str.isalpha: str.isalpha,
    _word_shape: _plain_shape,
    **{
        _SAME_AS[getter]: None
        for getter in (
            _base_lex.is_digit, _base_lex.is_lower, _base_lex.is_space, _base_lex.is_title, _base_lex.is_upper,
            _base_lex.is_ascii, _base_lex.is_bracket, _base_lex.is_quote, _base_lex.is_left_punct,
            _base_lex.is_right_punct, _base_lex.is_punct, _base_lex.is_currency, _base_lex.like_email,
            _base_lex.like_url, _zh_lex.like_num,
        )
    },
}  # fmt: skip


def _constant(value: int) -> Any:
    """A C-level callable returning ``value`` whatever its argument (``getattr(value, "real", word)``)."""
    return partial(getattr, value, "real")


def _plain_tables(
    plain: Mapping[int, Any], strings: Any
) -> tuple[tuple[dict[int, Any], tuple[int, ...]], ...]:
    """Per length of plain word (1, 2, 3, 4+ characters): the getters, and the attributes whose value is the
    word itself (lower, norm; the suffix up to 3 characters; the prefix of a 1-character word) and so can be
    read as the word's hash from a table. Values that are the same for every plain word of that length (shape,
    lang) become constants, hashed here once: spaCy would hash and look up the same string for every word."""
    own_if = {
        LOWER: str.lower, NORM: str.lower, SUFFIX: _SAME_AS[_base_lex.suffix], PREFIX: _SAME_AS[_base_lex.prefix]
    }  # fmt: skip
    out = []
    for n in (1, 2, 3, 4):
        sample = "经" * n  # any plain word of n characters gives the same constants
        template: dict[int, Any] = {}
        own = []
        for attr, getter in plain.items():
            if own_if.get(attr) is getter and (attr != SUFFIX or n <= 3) and (attr != PREFIX or n == 1):
                own.append(attr)
            elif getter is _plain_shape or (attr == LANG and getattr(getter, "__name__", "") == "format"):
                template[attr] = _constant(strings.add(getter(sample), allow_transient=False))
            else:
                template[attr] = getter
        out.append((template, tuple(own)))
    return tuple(out)


def _plain_lex_attr_getters(getters: Mapping[int, Any]) -> dict[int, Any] | None:
    """The getters that give a new lexeme of a plain word all its attributes (see :data:`_ON_PLAIN`), or None
    when some getter is not one of make_nlp's fast getters (a custom getter must be called on every word)."""
    plain: dict[int, Any] = {}
    for attr, getter in getters.items():
        if getattr(getter, "__name__", "") == "format" and isinstance(getattr(getter, "__self__", None), str):
            plain[attr] = getter  # LANG: the same string for every word
            continue
        try:
            known = getter in _ON_PLAIN
        except TypeError:  # an unhashable custom getter
            return None
        if known:
            cheaper = _ON_PLAIN[getter]
        elif callable(getattr(getter, "on_plain", None)):
            cheaper = getter.on_plain
        else:
            return None
        if cheaper is not None:
            plain[attr] = cheaper
    return plain


def _speed_up_lex_attrs(vocab: Vocab) -> None:
    """Swap the vocab's lexical attribute getters for exact faster equivalents, keeping their order."""
    getters = vocab.lex_attr_getters
    for attr, getter in list(getters.items()):
        getters[attr] = _fast_getter(getter)


class JiebaTokenizer:
    """spaCy tokenizer: one rjieba pass gives words and tags; ``doc.text`` equals the input text."""

    def __init__(self, vocab: Vocab, tagger: JiebaTagger) -> None:
        self.vocab = vocab
        self.tagger = tagger
        self._builder = _DocBuilder(vocab, tagger)

    def __call__(self, text: str) -> Doc:
        return self._builder.from_text(text)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self._builder.from_text(text)

    def from_tokens(self, words: Sequence[str], tags: Sequence[str]) -> Doc:
        return self._builder.from_pairs(words, tags)

    # spaCy calls these when saving / loading a pipeline; the tokenizer is rebuilt from the config instead.
    def to_bytes(self, **kwargs: Any) -> bytes:
        return b""

    def from_bytes(self, data: bytes, **kwargs: Any) -> JiebaTokenizer:
        return self

    def to_disk(self, path: Any, **kwargs: Any) -> None:
        return None

    def from_disk(self, path: Any, **kwargs: Any) -> JiebaTokenizer:
        return self


def make_nlp(config: Mapping[str, Any] | None = None) -> Language:
    """A blank Chinese spaCy pipeline whose tokenizer segments and tags with jieba and the project lexicon.

    ``config`` is the workspace config dict (``[lexicon] user_words / stopwords / user_dict``); components
    are added by name afterwards (``nlp.add_pipe(...)``). The lexicon fingerprint is in ``nlp.meta``.
    """
    nlp = Chinese()
    _speed_up_lex_attrs(nlp.vocab)
    tagger = get_tagger(config)
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, tagger)
    nlp.meta["zhcorpus_lexicon"] = tagger.fingerprint
    return nlp


def docs_from_tokens(nlp: Language, tokens: Sequence[str], tags: Sequence[str]) -> Doc:
    """Rebuild a Doc from stored tokens and tags without segmenting again."""
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, JiebaTokenizer):
        return tokenizer.from_tokens(tokens, tags)
    return _DocBuilder(nlp.vocab).from_pairs(tokens, tags)


PARAGRAPH_COLUMNS = ("doc", "idx", "kind", "section", "text")
SENTENCE_END = frozenset("。！？；!?;")


def paragraph_frame(paragraphs: Any, *, tokens: bool = False, config: Mapping[str, Any] | None = None) -> Any:
    """Paragraphs as a DataFrame with columns doc, idx, kind, section, text (+ tokens, tags when asked).

    Accepts a DataFrame, or any iterable of dicts / records with those fields (missing ones get defaults:
    doc "", idx = position, kind "prose", section ""). When ``tokens`` is true and the frame has no
    ``tokens``/``tags`` columns (or some rows lack them), the missing rows are segmented once here.
    The store's ``tokens`` table (doc, para, tokens, tags) can be merged in beforehand by the caller.
    """
    import pandas as pd

    if isinstance(paragraphs, pd.DataFrame):
        frame = paragraphs.copy()
    else:
        rows = [p if isinstance(p, Mapping) else _record_dict(p) for p in paragraphs]
        frame = pd.DataFrame(rows)
    if "text" not in frame.columns:
        raise ValueError(f"paragraphs need a 'text' column, got columns {list(frame.columns)}")
    if "para" in frame.columns and "idx" not in frame.columns:
        frame = frame.rename(columns={"para": "idx"})
    defaults = {"doc": "", "idx": None, "kind": "prose", "section": ""}
    for col, default in defaults.items():
        if col not in frame.columns:
            frame[col] = range(len(frame)) if col == "idx" else default
    frame["text"] = frame["text"].fillna("").astype(str)
    frame["section"] = frame["section"].fillna("").astype(str)
    if tokens:
        if "tokens" not in frame.columns:
            frame["tokens"] = None
        if "tags" not in frame.columns:
            frame["tags"] = None
        missing = [
            i
            for i, (tok, tag) in enumerate(zip(frame["tokens"], frame["tags"]))
            if tok is None or tag is None
        ]
        if missing:
            tagged = tag_texts([frame["text"].iat[i] for i in missing], config=config)
            tok_col, tag_col = list(frame["tokens"]), list(frame["tags"])
            for i, pairs in zip(missing, tagged):
                tok_col[i] = [w for w, _ in pairs]
                tag_col[i] = [t for _, t in pairs]
            frame["tokens"], frame["tags"] = tok_col, tag_col
        frame["tokens"] = [list(t) for t in frame["tokens"]]
        frame["tags"] = [list(t) for t in frame["tags"]]
    return frame.reset_index(drop=True)


def _record_dict(record: Any) -> dict[str, Any]:
    if hasattr(record, "__dataclass_fields__"):
        return {name: getattr(record, name) for name in record.__dataclass_fields__}
    if isinstance(record, str):
        return {"text": record}
    raise ValueError(
        f"a paragraph must be a mapping, a dataclass record or a str, got {type(record).__name__}"
    )


def split_sentences(text: str) -> list[tuple[int, int]]:
    """(start, end) character spans of the sentences of a paragraph (split after 。！？；!?; and newlines)."""
    spans, start = [], 0
    for i, ch in enumerate(text):
        if ch in SENTENCE_END or ch == "\n":
            spans.append((start, i + 1))
            start = i + 1
    if start < len(text):
        spans.append((start, len(text)))
    return spans
