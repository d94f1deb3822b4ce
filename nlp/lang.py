"""The language layer: jieba segmentation and POS tagging in one pass, as a spaCy ``Language``.

spaCy's own Chinese tokenizer runs jieba for words only; here the tokenizer runs the Rust implementation of
jieba (``rjieba``: the same dictionary, DAG + HMM algorithm and tag set as ``jieba.posseg``) once per text and
builds a Doc with ``token.tag_`` = jieba's tag and ``token.pos_`` = :data:`UPOS`.

Speed (``make_nlp().pipe`` on the 1.1M characters of gov_work_reports, see ``tests/bench/bench_segment.py``):
the tokenizer cuts with rjieba and resolves each distinct word once into (ORTH, TAG, POS) hashes
(:class:`_DocBuilder`), so a text costs one dict lookup per token plus one ``Doc(vocab, words=<hashes>)`` and
one ``Doc.from_array``. On a first pass most of the remaining time is spaCy creating a lexeme for each new
word (its ~20 lexical attribute getters, three of which are replaced by exact faster equivalents here).

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
from functools import lru_cache
from operator import itemgetter
from typing import Any

import numpy as np
import rjieba
import spacy.lang.lex_attrs as _base_lex
import spacy.lang.zh.lex_attrs as _zh_lex
from spacy.attrs import LIKE_NUM, LIKE_URL, POS, SHAPE, TAG
from spacy.lang.zh import Chinese
from spacy.language import Language
from spacy.tokens import Doc
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
        return range(start, end)

    def _learn_words(self, text: str, words: list[str]) -> list[int]:
        """Column ids of ``words`` (the cut of ``text``), adding the words not seen before (the cold path)."""
        assert self.tagger is not None
        index = self.by_word
        new = list(dict.fromkeys([w for w in words if w not in index]))
        tags = [self.tagger.tag_of(w) for w in new]
        if None in tags:  # some new word does not stand alone: take its tag from the text it came from
            in_text = dict(self.tagger.tag(text))
            tags = [in_text[w] if t is None else t for w, t in zip(new, tags)]
        index.update(zip(new, self._append(list(zip(new, tags)))))
        return list(map(index.__getitem__, words))

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
        try:
            ids = list(map(self.by_word.__getitem__, words))
        except KeyError:
            ids = self._learn_words(text, words)
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


# spaCy computes ~20 lexical attributes in Python for every new lexeme, and that is most of the cost of a first
# pass over a corpus (24k new words in 1.1M characters). Three of spaCy's getters are needlessly slow on Chinese
# words: zh ``like_num`` rebuilds and re-looks-up its regex on every call, ``like_url`` scans the word character
# by character for a ".", and ``word_shape`` walks every character. The replacements below return exactly what
# spaCy's do (same regex and word list, or a shortcut only where the answer is certain; tested against the
# originals on jieba's whole dictionary) and are only installed over spaCy's own functions.
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
    """spaCy's zh ``like_num`` with its regex compiled once and its word list as a set."""
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
    """spaCy's ``like_url``, answering False at once for a word with no "." that is not http(s)://."""
    if "." not in text and not text.startswith(("http://", "https://")):
        return False
    return _base_lex.like_url(text)


_CJK_WORD = re.compile(r"[\u4e00-\u9fff]+")


def _word_shape(text: str) -> str:
    """spaCy's ``word_shape``, at once for a word of CJK ideographs (letters with no case: ``x`` up to 4)."""
    if len(text) < 100 and _CJK_WORD.fullmatch(text):
        return "x" * min(len(text), 4)
    return _base_lex.word_shape(text)


def _speed_up_lex_attrs(vocab: Vocab) -> None:
    getters = vocab.lex_attr_getters
    if getters.get(SHAPE) is _base_lex.word_shape:
        getters[SHAPE] = _word_shape
    if getters.get(LIKE_NUM) is _zh_lex.like_num:
        getters[LIKE_NUM] = _zh_like_num
    if getters.get(LIKE_URL) is _base_lex.like_url:
        getters[LIKE_URL] = _like_url


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
