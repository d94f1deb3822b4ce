"""The language layer: jieba segmentation and POS tagging in one pass, as a spaCy ``Language``.

spaCy's own Chinese tokenizer runs jieba for words only; here the tokenizer runs the Rust implementation of
jieba (``rjieba``: the same dictionary, DAG + HMM algorithm and tag set as ``jieba.posseg``) once per text and
builds ``Doc(vocab, words, spaces)`` with ``token.tag_`` = jieba's tag and ``token.pos_`` = :data:`UPOS`.

Why rjieba and not ``jieba.posseg`` (figures from ``tests/bench/bench_segment.py`` on the seeds): both give
the same tokens on >99.7% of the text and the same tag on >99% of shared tokens; they differ mainly where
rjieba keeps a range or hyphenated code together (``2014-2019``, ``COVID-19``) which jieba.posseg splits into
three tokens, and rjieba is about 40x faster. The domain dictionary is added with ``add_word`` on a private
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
from typing import Any

import numpy as np
import rjieba
from spacy.attrs import POS, TAG
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
        if ov and not ov.keys().isdisjoint([w for w, _ in pairs]):
            return [(w, ov[w]) if w in ov else (w, t) for w, t in pairs]
        return pairs

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


_WHITESPACE = re.compile(r"\s")
_SPACE_KEY = "\x00space"  # table key of whitespace tokens (tag x, UPOS SPACE)


class _TagTable:
    """(tag hash, UPOS id) rows per jieba tag for one vocab, so a Doc is filled with one array call.

    Filling TAG and POS through ``Doc.from_array`` with a row index per token is about twice as fast as
    passing ``tags=`` / ``pos=`` strings to ``Doc(...)``; it is what keeps Doc building above 1M chars/s.
    """

    def __init__(self, vocab: Vocab) -> None:
        self.vocab = vocab
        self.index: dict[str, int] = {}
        self.rows = np.zeros((0, 2), dtype="uint64")

    def _add(self, key: str) -> None:
        strings = self.vocab.strings
        if key == _SPACE_KEY:
            row = (strings.add("x"), strings["SPACE"])
        else:
            row = (strings.add(key), strings[UPOS.get(key, "X")])
        self.index[key] = len(self.index)
        self.rows = np.vstack([self.rows, np.asarray([row], dtype="uint64")])

    def fill(self, doc: Doc, words: Sequence[str], tags: Sequence[str], *, text: str | None = None) -> Doc:
        if not words:
            return doc
        index = self.index
        try:
            ids = [index[t] for t in tags]
        except KeyError:
            for t in set(tags) - index.keys():
                self._add(t)
            ids = [index[t] for t in tags]
        if text is None or _WHITESPACE.search(text):
            for i, w in enumerate(words):
                if tags[i] == "x" and w.isspace():
                    if _SPACE_KEY not in index:
                        self._add(_SPACE_KEY)
                    ids[i] = index[_SPACE_KEY]
        doc.from_array([TAG, POS], self.rows[np.asarray(ids, dtype=np.intp)])
        return doc


def _build_doc(
    vocab: Vocab, table: _TagTable, words: Sequence[str], tags: Sequence[str], *, text: str | None = None
) -> Doc:
    doc = Doc(vocab, words=list(words), spaces=[False] * len(words))
    return table.fill(doc, words, tags, text=text)


class JiebaTokenizer:
    """spaCy tokenizer: one rjieba pass gives words and tags; ``doc.text`` equals the input text."""

    def __init__(self, vocab: Vocab, tagger: JiebaTagger) -> None:
        self.vocab = vocab
        self.tagger = tagger
        self._table = _TagTable(vocab)

    def __call__(self, text: str) -> Doc:
        pairs = self.tagger.tag(text)
        if not pairs:
            return Doc(self.vocab, words=[], spaces=[])
        words, tags = zip(*pairs)
        return _build_doc(self.vocab, self._table, words, tags, text=text)

    def pipe(self, texts: Iterable[str], batch_size: int = 1000) -> Iterator[Doc]:
        for text in texts:
            yield self(text)

    def from_tokens(self, words: Sequence[str], tags: Sequence[str]) -> Doc:
        if len(words) != len(tags):
            raise ValueError(f"tokens and tags must have the same length, got {len(words)} and {len(tags)}")
        return _build_doc(self.vocab, self._table, words, tags)

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
    tagger = get_tagger(config)
    nlp.tokenizer = JiebaTokenizer(nlp.vocab, tagger)
    nlp.meta["zhcorpus_lexicon"] = tagger.fingerprint
    return nlp


def docs_from_tokens(nlp: Language, tokens: Sequence[str], tags: Sequence[str]) -> Doc:
    """Rebuild a Doc from stored tokens and tags without segmenting again."""
    tokenizer = nlp.tokenizer
    if isinstance(tokenizer, JiebaTokenizer):
        return tokenizer.from_tokens(tokens, tags)
    if len(tokens) != len(tags):
        raise ValueError(f"tokens and tags must have the same length, got {len(tokens)} and {len(tags)}")
    return _build_doc(nlp.vocab, _TagTable(nlp.vocab), tokens, tags)


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
