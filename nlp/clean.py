"""Cleaning of PDF/markdown damage, and the one entry point that turns a RawText into structured text.

Each cleaner is a small pure ``str -> str`` function named after what it touches (textacy style); they are
composed explicitly in :func:`clean_and_structure`, which also records every removal as a
:class:`~nlp.document.Removal` so what cleaning dropped can be counted (nothing is dropped silently).

Order matters: zero-width and full-width characters are fixed first; markup is stripped per line; running
headers/footers are removed while lines still look as the reader gave them; tables are found before spaces are
removed (spaces separate their cells); then spaces between CJK characters go and wrapped lines are joined into
paragraphs.

Joining depends on the source: in DOCX and HTML every line is a paragraph and nothing is joined; in txt/md lines
are joined by width only when the text is hard-wrapped (a PDF column), otherwise only a long clause line cut at a
page break is. The front matter (title, issuer, author and date lines before the first punctuated line) and
author lines are never joined to anything.
"""

from __future__ import annotations

import bisect
import re
from collections import Counter, defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise

from nlp import structure as st
from nlp.document import Block, RawText, Removal, Sentence

__all__ = [
    "clean_and_structure",
    "collapse_doubled_line",
    "find_running_lines",
    "join_pieces",
    "join_spaced_digits",
    "normalize_spaces",
    "normalize_width",
    "remove_cjk_spaces",
    "strip_heading_marks",
    "strip_html_comments",
    "strip_html_tags",
    "strip_markdown_emphasis",
    "strip_zero_width",
]

# ---------------------------------------------------------------- character-level cleaners

_ZERO_WIDTH = re.compile("[\u200b\u200c\u200d\u200e\u200f\u2060\u00ad\ufeff]")
_FULLWIDTH_ALNUM = {c: c - 0xFEE0 for c in range(0xFF10, 0xFF1A)}
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF21, 0xFF3B)})
_FULLWIDTH_ALNUM.update({c: c - 0xFEE0 for c in range(0xFF41, 0xFF5B)})
_FULLWIDTH_ANY = re.compile("[\uff10-\uff19\uff21-\uff3a\uff41-\uff5a]")
_ODD_SPACES = re.compile("[\u00a0\u2000-\u200a\u202f\u205f\u3000]")
_HTML_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
_SUP = re.compile(r"<sup>\s*([^<]{0,6}?)\s*</sup>", re.IGNORECASE)
_BR = re.compile(r"<br\s*/?>", re.IGNORECASE)
_HTML_TAG = re.compile(
    r"</?(?:sup|sub|span|div|p|b|i|u|em|strong|font|a|img|center|small|big|hr|mark|del|ins|s|tt|code)\b[^>]*>",
    re.IGNORECASE,
)
_EMPHASIS = re.compile(r"(\*\*|__)(?=\S)(.+?)(?<=\S)\1")
_HEADING_MARK = re.compile(r"^\s{0,3}#{1,6}(?:\s+|(?=[^\s#]))")
_RULE_LINE = re.compile(r"^\s*(?:[-=_*]{3,}[\s\t]*)+$")

# CJK ideographs, CJK/full-width punctuation and the quotes/dashes Chinese text uses
_CJK = "\u2e80-\u2fff\u3001-\u303f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65\u2014\u2018\u2019\u201c\u201d\u2026\u00b7"
# (?<=[CJK])[ \t]+(?=\S)|(?<=\S)[ \t]+(?=[CJK]), written to open with the space so that the regex engine
# skips to the next space or tab at C speed instead of trying both lookbehinds at every character
_CJK_SPACE = re.compile(rf"[ \t](?:(?<=[{_CJK}][ \t])[ \t]*(?=\S)|(?<=\S[ \t])[ \t]*(?=[{_CJK}]))")
_CJK_CHAR = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")


def strip_zero_width(text: str) -> str:
    """Remove zero-width spaces/joiners, BOMs, direction marks and soft hyphens."""
    return _ZERO_WIDTH.sub("", text)


def normalize_width(text: str) -> str:
    """Full-width digits and Latin letters to ASCII (１９９８ -> 1998); Chinese punctuation is left alone."""
    return text.translate(_FULLWIDTH_ALNUM) if _FULLWIDTH_ANY.search(text) else text


# A number whose digits a PDF extraction spaced out: 7 4 7 7 2 亿元, 8 ．8 ％, 1 9 9 7 年
_SPACED_DIGITS = re.compile(r"(?<![0-9A-Za-z.．])[0-9](?: [.．]?[0-9])+(?![0-9A-Za-z.．])")
# the evidence that a document has this damage: three or more spaced digits before a unit or date character
_SPACED_EVIDENCE = re.compile(r"(?<![0-9A-Za-z.．])[0-9](?: [.．]?[0-9]){2,} ?[年月日万亿元％%个人项家吨]")


def join_spaced_digits(text: str, *, min_evidence: int = 3) -> str:
    """Close up numbers whose digits a PDF extraction spaced out (``1 9 9 7 年`` -> ``1997 年``, ``8 ．8 ％`` ->
    ``8．8 ％``), but only in a text that shows this damage at least ``min_evidence`` times: three or more
    spaced digits before a unit or date character. A single ``1 2 3`` (a list, a flattened table row) in an
    undamaged text stays as written."""
    if len(_SPACED_EVIDENCE.findall(text)) < min_evidence:
        return text
    return _SPACED_DIGITS.sub(lambda m: m.group().replace(" ", ""), text)


def normalize_spaces(text: str) -> str:
    """NBSP, ideographic space (U+3000) and other odd spaces become a plain space; CR/LF become LF."""
    return _ODD_SPACES.sub(" ", text.replace("\r\n", "\n").replace("\r", "\n"))


def strip_html_comments(text: str) -> str:
    """Remove HTML comments such as ``<!-- INFO END -->`` (also across lines)."""
    return _HTML_COMMENT.sub("", text)


def strip_html_tags(text: str) -> str:
    """Remove inline HTML: footnote markers ``<sup>①</sup>`` go entirely, ``<br>`` becomes a newline,
    other formatting tags are dropped and their content kept."""
    return _HTML_TAG.sub("", _BR.sub("\n", _SUP.sub("", text)))


def strip_markdown_emphasis(text: str) -> str:
    """``**bold**`` / ``__bold__`` -> ``bold``."""
    return _EMPHASIS.sub(r"\2", text)


def strip_heading_marks(line: str) -> str:
    """Leading markdown heading marks: ``### 标题`` -> ``标题``."""
    return _HEADING_MARK.sub("", line, count=1)


def remove_cjk_spaces(text: str) -> str:
    """Remove spaces next to CJK characters or CJK punctuation (``跨 境 电 商`` -> ``跨境电商``, ``2019 年`` ->
    ``2019年``, ``依托 5G技术`` -> ``依托5G技术``); spaces between Latin words or numbers stay."""
    return _CJK_SPACE.sub("", text) if (" " in text or "\t" in text) else text


def collapse_doubled_line(line: str) -> str:
    """A line that is one phrase written twice (a PDF artefact of bold headlines) -> the phrase once."""
    s = line.strip()
    half = len(s) // 2
    if len(s) >= 8 and len(s) % 2 == 0 and s[:half] == s[half:] and _CJK_CHAR.search(s):
        return s[:half]
    return line


def join_pieces(left: str, right: str) -> str:
    """Join two pieces of one paragraph broken across lines: no separator, except a space between two
    Latin words. A number broken across lines (``对比 20`` + ``19 年``) comes back whole, and so does a Latin
    token set in Chinese text (``开拓R`` + ``CEP等``, ``1.5EF`` + ``lops，``: no space on either side of the cut,
    so one token)."""
    if (
        left
        and right
        and left[-1].isascii()
        and left[-1].isalpha()
        and right[0].isascii()
        and right[0].isalpha()
    ):
        head = _LATIN_TAIL.search(left)
        tail = _LATIN_HEAD.match(right)
        if (
            head
            and tail
            and (head.start() == 0 or head.group("before"))
            and (tail.group("after") or tail.end() == len(right))
        ):
            return left + right  # 开拓R + CEP等 -> 开拓RCEP等
        return f"{left} {right}"
    return left + right


# the Latin run that ends a line, with what stands before it; the one that starts the next, with what follows
_LATIN_TAIL = re.compile(r"(?:(?P<before>[^\x00-\x7f\s]|[0-9])|^)[A-Za-z]+$")
_LATIN_HEAD = re.compile(r"^[A-Za-z]+(?P<after>[^\x00-\x7f\s]|$)")


# ---------------------------------------------------------------- running headers, footers, page numbers

_PAGE_NUMBER = re.compile(
    r"^(?:[-—–－\s]*\d{1,4}[-—–－\s]*|第\s*\d{1,4}\s*页(?:\s*[,，/]?\s*共\s*\d{1,4}\s*页)?|\d{1,4}\s*/\s*\d{1,4}"
    r"|(?:Page|P\.)\s*\d{1,4}(?:\s*of\s*\d{1,4})?)$",
    re.IGNORECASE,
)
_DECORATED_PAGE = re.compile(
    r"^(?:[-—–－]\s*\d{1,4}\s*[-—–－]|第\s*\d{1,4}\s*页.*|\d{1,4}\s*/\s*\d{1,4}|(?:Page|P\.)\s*\d.*)$",
    re.IGNORECASE,
)
_MASTHEAD = re.compile(
    r"(?:19|20)\d{2}\s*年\s*(?:第\s*)?\d{1,3}\s*卷\s*(?:第\s*)?\d{1,3}\s*期|第\s*\d{1,3}\s*卷\s*第\s*\d{1,3}\s*期"
    r"|Vol\.?\s*\d+\s*,?\s*No\.?\s*\d+",
    re.IGNORECASE,
)


_SPACES = re.compile(r"\s+")
_DIGIT_RUN = re.compile(r"\d+")


def _line_key(line: str) -> str:
    return _DIGIT_RUN.sub("#", _SPACES.sub("", line))


def _is_furniture_candidate(line: str) -> bool:
    s = line.strip()
    return (
        0 < len(s) <= 80
        and (len(s) <= 40 or st.display_width(s) <= 40)  # a width never exceeds the length
        and not st.ends_sentence(s)
        and not st.is_caption(s)
        and st.numbering(s) is None
        and st.tab_row(line) is None
        and st.numeric_row(s) is None
    )


def find_running_lines(lines: Sequence[str], *, min_repeats: int = 4) -> set[int]:
    """Indices of lines that repeat through a document without page boundaries: running headers/footers.

    A short line (not a sentence, heading, caption or table row) is furniture when its digit-blind form occurs
    ``min_repeats`` times or more spread over the document and either its numbers vary (a page-numbered
    header) or it recurs verbatim at least ``min_repeats + 1`` times.
    """
    groups: dict[str, list[int]] = defaultdict(list)
    for i, line in enumerate(lines):
        if _is_furniture_candidate(line):
            groups[_line_key(line)].append(i)
    n = max(1, len(lines))
    out: set[int] = set()
    for key, idxs in groups.items():
        if len(idxs) < min_repeats or key == "#" or (idxs[-1] - idxs[0]) < n / 3:
            continue
        variants = {_SPACES.sub("", lines[i]) for i in idxs}
        if (len(variants) > 1 and "#" in key) or len(idxs) > min_repeats:
            out.update(idxs)
    return out


def _page_furniture(pages: Sequence[str], *, edge: int = 3, min_share: float = 0.4) -> list[list[int]]:
    """Per page, indices of lines among its first/last ``edge`` non-blank lines that recur (digit-blind) at a
    page edge on enough pages: running headers, footers and page numbers.

    Enough is ``min_share`` of the pages and 3 pages or more in a document of 5 pages or more; in a shorter
    document (2-4 pages) a line must recur on half of the pages and at least 2, and must not be a numbered
    heading or a caption, since two short pages leave little evidence. The title of a short report is often
    printed as its running header: when the very first line of the document recurs verbatim, its first
    occurrence is kept (as the title) and only the repeats are removed; the first of two identical lines that
    open the document (a header printed above the same title) goes too.
    """
    n = len(pages)
    edges: list[list[int]] = []
    counts: Counter[str] = Counter()
    split = [p.split("\n") for p in pages]
    for lines in split:
        nb = [i for i, s in enumerate(lines) if s.strip()]
        idx = sorted(set(nb[:edge] + nb[-edge:]))
        edges.append(idx)
        counts.update({_line_key(lines[i]) for i in idx})
    short = n < 5
    need = max(2, -(-n // 2)) if short else max(3, int(min_share * n + 0.999))
    out: list[list[int]] = []
    for lines, idx in zip(split, edges, strict=True):
        out.append(
            [
                i
                for i in idx
                if counts[_line_key(lines[i])] >= need
                and st.display_width(lines[i]) <= 60
                and not st.ends_sentence(lines[i])
                and not (short and (st.numbering(lines[i].strip()) or st.is_caption(lines[i])))
            ]
        )
    first = next((i for i, s in enumerate(split[0]) if s.strip()), None) if split else None
    if first is not None and first in out[0] and not _PAGE_NUMBER.match(split[0][first].strip()):
        head = _SPACES.sub("", split[0][first])
        if any(
            _SPACES.sub("", lines[i]) == head
            for lines, drop in zip(split[1:], out[1:], strict=True)
            for i in drop
        ):
            out[0].remove(first)
    if split:
        # a one-page document whose header repeats the title right above it: the title stays once
        top = [i for i, s in enumerate(split[0]) if s.strip()][:2]
        if (
            len(top) == 2
            and not set(top) & set(out[0])
            and _SPACES.sub("", split[0][top[0]]) == _SPACES.sub("", split[0][top[1]])
            and st.display_width(split[0][top[0]]) <= 60
        ):
            out[0] = sorted([*out[0], top[0]])
    return out


_PAGE_START = frozenset("-—–－第Pp")  # what a decorated page number can start with, besides a digit
_NUMERIC_LINE = re.compile(r"[\d.,%\s]+")


def _page_number_lines(lines: Sequence[str]) -> set[int]:
    """Page-number lines: decorated ones (- 3 -, 第3页, 3/20) always; bare 1-3 digit lines only when three or
    more of them stand isolated (non-numeric neighbours) and mostly increase, as page numbers do."""
    out: set[int] = set()
    bare: list[int] = []
    nonblank = [i for i, s in enumerate(lines) if s.strip()]
    for k, i in enumerate(nonblank):
        s = lines[i].strip()
        first = s[0]
        if (first in _PAGE_START or first.isdecimal()) and _DECORATED_PAGE.match(s):
            out.add(i)
        elif len(s) <= 3 and s.isdecimal():  # re.fullmatch(r"\d{1,3}", s): \d is a Unicode decimal digit
            prev_num = k > 0 and _NUMERIC_LINE.fullmatch(lines[nonblank[k - 1]].strip())
            next_num = k + 1 < len(nonblank) and _NUMERIC_LINE.fullmatch(lines[nonblank[k + 1]].strip())
            if not prev_num and not next_num:
                bare.append(i)
    if len(bare) >= 3:
        values = [int(lines[i]) for i in bare]
        ups = sum(1 for a, b in pairwise(values) if 0 < b - a <= 5)
        if ups >= 0.7 * (len(values) - 1):
            out.update(bare)
    return out


# ---------------------------------------------------------------- the entry point


@dataclass(slots=True)
class _Line:
    text: str
    marked: bool = False  # the source marked it as a heading (#)
    doubled: bool = False  # a doubled headline was collapsed
    footnote: bool = False  # starts with a footnote marker that was a <sup>
    number: str = ""  # a leading arabic heading number that a space separated from its title ("3.1 标题")
    byline: bool = False  # only author names ("张明远　李晓晴"), seen before spaces are removed
    stop_peers: bool = False  # numbered, and the document's headings of its numbering style end with 。
    width: float = 0.0
    indent: bool = False  # set in from the left by spaces (a PDF text layer keeps a typed 　　 indent)
    # cached once the text is final (joining asks about each line as the end of one pair and the start of the
    # next): a caption or a bare title word; a line that starts a block of its own (see _starts_block)
    titled: bool | None = None
    opens: bool | None = None


class _Log:
    """Counts removals by (kind, text)."""

    def __init__(self) -> None:
        self.counts: Counter[tuple[str, str]] = Counter()

    def add(self, kind: str, text: str, count: int = 1) -> None:
        if text and count:
            self.counts[(kind, text)] += count

    def matches(self, kind: str, pattern: re.Pattern[str], text: str) -> None:
        for m in pattern.finditer(text):
            self.add(kind, m.group(0))

    def records(self) -> list[Removal]:
        return [Removal(kind, text, n) for (kind, text), n in self.counts.items()]


def clean_and_structure(raw: RawText) -> tuple[str, list[Block], list[Sentence], list[Removal]]:
    """Clean a RawText and split it into blocks and sentences.

    Returns (text, blocks, sentences, removals) with ``text == "\\n".join(b.text for b in blocks)`` and every
    char_start/char_end an offset into ``text``. Removals list each distinct removed string with its count.
    """
    log = _Log()
    text = _remove_page_furniture(raw.pages, log) if raw.pages else raw.text
    text = normalize_spaces(text)
    log.matches("markup", _HTML_COMMENT, text)
    text = strip_html_comments(text)
    log.matches("zero_width", _ZERO_WIDTH, text)
    text = join_spaced_digits(normalize_width(strip_zero_width(text)))
    lines = _clean_lines(text.split("\n"), log)
    # in DOCX and HTML every line is a paragraph of the source: there is nothing to rejoin
    units = _paragraphs([ln.text for ln in lines], lines, log, join=raw.format not in _PARAGRAPH_FORMATS)
    doc_text, blocks = st.build_blocks(st.fold_contents(st.merge_bare_divisions(units)))
    return doc_text, blocks, st.split_sentences(blocks), log.records()


def _remove_page_furniture(pages: Sequence[str], log: _Log) -> str:
    kept: list[str] = []
    for page, drop in zip(pages, _page_furniture(pages), strict=True):
        lines = page.split("\n")
        for i in drop:
            kind = "page_number" if _PAGE_NUMBER.match(lines[i].strip()) else "header_footer"
            log.add(kind, lines[i].strip())
        dropped = set(drop)
        kept.append("\n".join(s for i, s in enumerate(lines) if i not in dropped))
    return "\n".join(kept)


_PARAGRAPH_FORMATS = frozenset({"docx", "html"})
_LEADING_SUP = re.compile(r"^\s*<sup>", re.IGNORECASE)


def _clean_lines(raw_lines: list[str], log: _Log) -> list[_Line]:
    """Markup per line, then page numbers, mastheads and running lines (blank lines are kept as "")."""
    out: list[_Line] = []
    for raw in raw_lines:
        if "<" not in raw:
            out.append(_line_markup(raw, False, log))
            continue
        footnote = bool(_LEADING_SUP.match(raw))
        line = raw
        if footnote:
            line = _SUP.sub(r"\1 ", line, count=1)
        log.matches("markup", _SUP, line)
        if st.pipe_row(line.strip()) is not None:
            line = _BR.sub(" ", line)
        log.matches("markup", _BR, line)
        log.matches("markup", _HTML_TAG, line)
        for piece in strip_html_tags(line).split("\n"):
            out.append(_line_markup(piece, footnote, log))
            footnote = False
    texts = [ln.text for ln in out]
    drop = _page_number_lines(texts)
    for i in drop:
        log.add("page_number", texts[i].strip())
    running = find_running_lines(texts) - drop
    for i in running:
        log.add("header_footer", texts[i].strip())
    masthead = _masthead_lines(texts) - drop - running
    for i in masthead:
        log.add("header_footer", texts[i].strip())
    licence = licence_trailer(texts)
    if licence:
        log.add("licence", "".join(texts[i].strip() for i in sorted(licence)))
    for i in drop | running | masthead | licence:
        out[i].text = ""
    return out


# A licence or copyright notice that a site or a publisher appends after the text (Wikisource's public-domain
# notice, Creative Commons lines, "版权所有"). Its own words would otherwise become facts and rule references
# (the notice cites 《著作权法》 in every Wikisource report).
_LICENCE = re.compile(
    r"本作品.{0,80}?(?:公有领域|许可协议|著作权|版权)|版权所有|Public domain|Creative Commons|CC BY|GFDL|维基文库|Wikisource",
    re.IGNORECASE,
)


def licence_trailer(lines: Sequence[str], *, max_chars: int = 800, max_lines: int = 80) -> set[int]:
    """Indices of the trailing lines that form a licence notice: from the first line that starts one (within the
    last ``max_lines`` non-blank lines) to the end, when that tail is short (at most ``max_chars`` characters);
    the notice may be broken over many short lines, so the tail is matched as one joined string."""
    tail: list[int] = []  # the last max_lines non-blank lines, found from the end
    for i in range(len(lines) - 1, -1, -1):
        if len(tail) >= max_lines:
            break
        if lines[i].strip():
            tail.append(i)
    tail.reverse()
    if not tail:
        return set()
    starts, parts, pos = [], [], 0
    for i in tail:
        starts.append(pos)
        piece = lines[i].strip()
        parts.append(piece)
        pos += len(piece)
    joined = "".join(parts)
    first = _licence_scan_start(joined)
    if first is None:
        return set()
    for m in _LICENCE.finditer(joined, first):
        if len(joined) - m.start() > max_chars:
            continue
        k = bisect.bisect_right(starts, m.start()) - 1
        if starts[k] != m.start() and not (
            m.group().startswith("本作品") and _starts_notice(parts[k], m.start() - starts[k])
        ):
            continue
        return set(tail[k:])
    return set()


# What a _LICENCE match can start with: 本作品 / 版权所有 / 维基文库, or the first letter of Public domain,
# Creative Commons, CC BY, GFDL or Wikisource in either case (these letters have no other case forms).
_LICENCE_WORDS = ("本作品", "版权所有", "维基文库")
_LICENCE_LETTER = re.compile("[PpCcGgWw]")


def _licence_scan_start(text: str) -> int | None:
    """Where a scan for :data:`_LICENCE` can start (no match starts earlier), or None when nothing can match.

    The pattern is case-blind, so the regex engine tries it at every character; the words and letters that
    open its alternatives are found at C speed instead."""
    starts = [i for i in (text.find(w) for w in _LICENCE_WORDS) if i >= 0]
    letter = _LICENCE_LETTER.search(text)
    if letter is not None:
        starts.append(letter.start())
    return min(starts) if starts else None


def _starts_notice(line: str, offset: int) -> bool:
    """A notice may start mid-line only after the end of a sentence (``…。本作品…``)."""
    return offset > 0 and line[offset - 1] in "。！？.!?"


def _line_markup(piece: str, footnote: bool, log: _Log) -> _Line:
    marked = "#" in piece[:4] and bool(_HEADING_MARK.match(piece)) and not piece.lstrip().startswith("#" * 7)
    if marked:
        log.add("markup", "#")
        piece = strip_heading_marks(piece)
    if "**" in piece or "__" in piece:
        log.matches("markup", _EMPHASIS, piece)
        piece = strip_markdown_emphasis(piece)
    if piece[:1] in "-=_* " and _RULE_LINE.match(piece):
        log.add("markup", piece.strip())
        piece = ""
    line = _Line(piece.strip(" "), marked, False, footnote)  # (text, marked, doubled, footnote)
    line.indent = piece[:2] == "  " and piece[2:3] not in ("", " ")
    return line


def _masthead_lines(lines: Sequence[str]) -> set[int]:
    """Journal mastheads (``XX出版社 2024 年 1 卷 12 期``) and the short un-punctuated lines of the same band."""
    out: set[int] = set()
    for i, s in enumerate(lines):
        # every masthead holds 期 or a Vol (any case): test for them before the pattern
        if (
            ("期" in s or "v" in s or "V" in s)
            and _MASTHEAD.search(s)
            and st.display_width(s.strip()) <= 40
            and not st.ends_sentence(s)
        ):
            out.add(i)
            for step in (-1, 1):
                j = i + step
                while 0 <= j < len(lines) and not lines[j].strip():
                    j += step
                if (
                    0 <= j < len(lines)
                    and _is_furniture_candidate(lines[j])
                    and not _CJK_CHAR.search(lines[j][:1])
                ):
                    out.add(j)
    return out


# ---------------------------------------------------------------- lines -> paragraphs


def _paragraphs(texts: list[str], lines: list[_Line], log: _Log, *, join: bool = True) -> list[st.Unit]:
    """Tables first (on raw lines), then wrapped lines joined into paragraphs (unless ``join`` is False:
    every line is a paragraph) and classified."""
    units: list[st.Unit] = []
    spans = st.find_tables(texts)
    in_table = {i for span in spans for i in range(span.start, span.end)}
    prose = [_sized(ln) for i, ln in enumerate(lines) if i not in in_table and ln.text.strip()]
    wrapped = join and _is_wrapped(prose)
    indented = wrapped and _indent_starts_paragraphs(prose)
    _mark_stop_peers(prose)
    pos = 0
    for span in [*spans, None]:
        end = span.start if span else len(texts)
        units.extend(
            _prose_units(lines[pos:end], log, wrapped=wrapped, join=join, front=pos == 0, indented=indented)
        )
        if span:
            rows = [[remove_cjk_spaces(c) for c in r] for r in span.rows]
            units.append(st.Unit("table", "", rows=rows))
            pos = span.end
    return [u for u in units if u.text or u.rows]


_CN_DIGITS = frozenset("一二三四五六七八九十")
_SPACED_NUMBER = re.compile(
    r"^(\d{1,2}(?:[.．]\d{1,2}){0,2}[.．]?|[一二三四五六七八九十]{1,3})\s+(?=[\u4e00-\u9fff])"
)


def _sized(ln: _Line) -> _Line:
    """Set the line's layout width (spaces included); :func:`_prose_units` relies on it."""
    ln.width = st.display_width(ln.text.strip())
    return ln


def _prose_units(
    lines: Sequence[_Line],
    log: _Log,
    *,
    wrapped: bool,
    join: bool = True,
    front: bool = False,
    indented: bool = False,
) -> list[st.Unit]:
    """Lines -> paragraph units: wrapped lines joined (when ``join``), pull-quote boxes and fragment runs
    found, each unit classified. ``front``: the lines open the document, so its front matter (the leading
    title lines, see :func:`_front_matter`) is kept one paragraph per line. ``indented``: the document indents
    its paragraphs' first lines (see :func:`_indent_starts_paragraphs`)."""
    items: list[_Line] = []
    for ln in lines:
        stripped = ln.text.strip()
        if not stripped:
            continue
        ln.byline = st.is_byline(stripped)
        # the layout width (spaces included: they took room on the page) is what _sized set
        m = _SPACED_NUMBER.match(stripped) if stripped[0].isdecimal() or stripped[0] in _CN_DIGITS else None
        ln.number = m.group(1) if m else ""
        text = remove_cjk_spaces(stripped)
        once = collapse_doubled_line(text)
        if once != text:
            log.add("duplicate_headline", once)
            ln.text, ln.doubled = once, True
            ln.width = st.display_width(once)
        else:
            ln.text, ln.doubled = once, False
        items.append(ln)
    if not items:
        return []
    if not join:
        units_: list[st.Unit] = []
        for ln in items:
            units_.append(_classify(ln.text, [ln]))
            _mark_short_title(units_)
        return units_
    local = _local_widths(items)
    units: list[st.Unit] = []
    n_front = _front_matter(items, wrapped=wrapped, indented=indented) if front else 0
    for ln in items[:n_front]:
        units.append(_classify(ln.text, [ln]))
        _mark_short_title(units)
    cur: list[_Line] = []
    floating: list[_Line] = []

    def flush() -> None:
        if cur:
            text = cur[0].text
            for piece in cur[1:]:
                text = join_pieces(text, piece.text)
            units.append(_classify(text, cur))
            cur.clear()
            _mark_short_title(units)
        for f in floating:
            units.append(_classify(f.text, [f]))
        floating.clear()

    runs = dict(_fragment_runs(items)) if wrapped else {}
    skip_to = n_front
    for k, ln in enumerate(items):
        if k < skip_to:
            continue
        if k in runs:
            flush()
            rows = [[x.text] for x in items[k : runs[k]]]
            units.append(st.Unit("table", "", rows=rows))
            skip_to = runs[k]
            continue
        if cur and ln.footnote and _continues(cur[-1], None, local[k - 1], wrapped):
            floating.append(ln)
            continue
        if cur and _continues(
            cur[-1], ln, local[k - 1] if k else 0, wrapped, first=cur[0] is cur[-1], indented=indented
        ):
            cur.append(ln)
            continue
        flush()
        end = _box_run(items, k, local) if wrapped else 0
        if end:
            cur.extend(items[k:end])
            flush()
            skip_to = end
            continue
        cur.append(ln)
    flush()
    return units


def _box_run(items: Sequence[_Line], k: int, local: Sequence[float], *, max_lines: int = 6) -> int:
    """End of a pull-quote box starting at ``k``: 2-6 lines narrower than the column, of similar width,
    none ending a sentence but the last (a question or quote set in a narrow box). 0 when there is none."""
    j = k
    while j < len(items) and j - k < max_lines:
        ln = items[j]
        if (j > k and _starts_block(ln)) or ln.width >= 0.74 * local[j] or ln.doubled:
            return 0
        if st.ends_sentence(ln.text):
            break
        j += 1
    else:
        return 0
    if j == k or j >= len(items) or st.heading_style(items[k].text) or _starts_block(items[k]):
        return 0
    widths = [ln.width for ln in items[k:j]]
    if max(widths) > 1.3 * min(widths) or items[j].width > 1.25 * max(widths):
        return 0
    return j + 1


def _is_wrapped(items: Sequence[_Line]) -> bool:
    """Hard-wrapped text (a PDF column): most lines are short, of similar width, and end mid-sentence."""
    if len(items) < 6:
        return False
    widths = sorted(ln.width for ln in items)
    median = widths[len(widths) // 2]
    p75 = widths[(3 * len(widths)) // 4]
    column = sum(1 for w in widths if 0.74 * p75 <= w <= 1.1 * p75) / len(widths)
    open_end = sum(1 for ln in items if not st.ends_sentence(ln.text)) / len(items)
    return median <= 60 and open_end >= 0.4 and column >= 0.5


def _local_widths(items: Sequence[_Line], *, radius: int = 6) -> list[float]:
    """The column width around each line: the upper quartile of the widths within ``radius`` lines, outliers
    (wider than 1.2 x the window's median) left out, so a wide abstract or lead paragraph does not hide the
    column and one long line does not make its neighbours look short."""
    widths = [ln.width for ln in items]
    n = len(widths)
    out: list[float] = []
    window = sorted(widths[: radius + 1])  # sorted widths[i - radius : i + radius + 1], slid along
    for i in range(n):
        if i > radius:
            del window[bisect.bisect_left(window, widths[i - radius - 1])]
        if i > 0 and i + radius < n:
            bisect.insort(window, widths[i + radius])
        cap = 1.2 * window[len(window) // 2]
        # the widths <= cap are a prefix of the sorted window
        kept = bisect.bisect_right(window, cap) or len(window)
        out.append(window[(3 * kept) // 4])  # a typical full line of the column
    return out


def _fragment_runs(items: Sequence[_Line], *, min_run: int = 6) -> list[tuple[int, int]]:
    """Runs [start, end) of short fragments in a hard-wrapped column: a table or figure whose cells the PDF
    extraction put one per line. A run has ``min_run`` lines or more, most of them under 0.4 x the column
    width, none with a full stop, and is kept as one table block rather than glued into prose."""
    if not items:
        return []
    widths = sorted(ln.width for ln in items)
    column = widths[int(0.75 * (len(widths) - 1))]
    short = [ln.width < 0.4 * column and "。" not in ln.text and not ln.marked for ln in items]
    fits = [ln.width < 0.85 * column and "。" not in ln.text and not ln.marked for ln in items]
    runs: list[tuple[int, int]] = []
    i = 0
    while i < len(items):
        if not short[i]:
            i += 1
            continue
        j = i + 1
        while j < len(items) and (
            short[j] or (fits[j] and j + 1 < len(items) and short[j + 1] and short[j - 1])
        ):
            j += 1
        if j - i >= min_run:
            if (
                i > 0
                and st.is_caption(items[i - 1].text)
                and not items[i - 1].text.startswith(("数据", "资料", "来源"))
            ):
                i -= 1
            runs.append((i, j))
        i = j
    return runs


def _caption_or_title_word(ln: _Line) -> bool:
    """``st.is_caption(ln.text) or st.is_title_word(ln.text)``, cached on the line (its text is final)."""
    if ln.titled is None:
        ln.titled = st.is_caption(ln.text) or st.is_title_word(ln.text)
    return ln.titled


def _starts_block(ln: _Line) -> bool:
    """A caption, a title word, a label line (摘要：), a marked heading or a footnote: never a continuation.
    Cached on the line (its text is final)."""
    if ln.opens is None:
        s = ln.text
        ln.opens = (
            ln.marked
            or ln.footnote
            or _caption_or_title_word(ln)
            or (s[:1] in _LABEL_FIRST and bool(_LABEL_LINE.match(s)))
        )
    return ln.opens


# the label of an entry of a reference list, and how the entry before it ends (a page range, a year, a full stop)
_REFERENCE_START = re.compile(r"[\[［]\d{1,3}[\]］]\s*\S")
_REFERENCE_END = frozenset(".。．)）0123456789")
_LABEL_LINE = re.compile(r"^(?:摘\s*要|关键词|关键字|Abstract|Keywords)\s*[:：]", re.IGNORECASE)
_LABEL_FIRST = frozenset("摘关AaKk\u212a")  # what _LABEL_LINE can start with (K also matches the Kelvin sign)
_ANY_PUNCT = re.compile(r"[，。；：！？、,.;:!?]")
_CLAUSE_PUNCT = re.compile(r"[，、；]")
_ENUMERATED_LEAD = re.compile(rf"^(?:第[{st.CN_NUM}\d]+[，、,]|[{st.CN_NUM}]+是|首先|其次|再次|最后)")


# a numbered line that opens with a short label and a colon (1.六大优势产业：省委…): a run-in note, not a heading
_RUN_IN_LABEL = re.compile(r"^\S{1,4}?[^，。；：:]{2,16}[：:]")


def _continues(
    a: _Line, b: _Line | None, width: float, wrapped: bool, *, first: bool = False, indented: bool = False
) -> bool:
    """Does line ``b`` continue the paragraph whose last line is ``a``? (``b=None``: could anything?)

    ``indented``: the document marks its paragraphs' first lines with an indent, so an indented ``b`` starts
    one, and a full line that ends a sentence is followed by more of its paragraph when ``b`` is not indented
    (a sentence that happened to end at the right margin)."""
    if a.doubled or _caption_or_title_word(a) or (b is not None and _starts_block(b)):
        return False
    if b is not None and _REFERENCE_START.match(b.text) and a.text.rstrip()[-1:] in _REFERENCE_END:
        return False  # [2] 张三. 题名[J]. 刊名, 2021(3): 12-18. after the end of entry [1]: a reference list
    if indented and b is not None:
        if b.indent:
            return False
        if (
            a.width >= 0.85 * width
            and not a.marked
            and not b.byline
            and not (st.heading_style(b.text) and b.width < 0.74 * width)  # a short numbered line: a heading
            and not (st.ends_sentence(a.text) and st.heading_style(a.text))
        ):
            return (
                True  # a full line, then no indent: the paragraph goes on (also after a numbered first line)
            )
    if a.footnote and first and not wrapped:
        return False
    if b is not None and (b.byline or a.byline):
        return False  # an author line is a paragraph of its own: it never ends a title or a paragraph
    text = a.text
    if b is not None and first and _cut_heading(a, b):
        return True
    full = wrapped and a.width >= max(6.0, 0.74 * width)
    if st.ends_sentence(text):
        # a full line ending with ：or ； in a PDF column is usually mid-paragraph
        return full and text.rstrip()[-1] in "：；" and (b is None or st.heading_style(b.text) is None)
    if (
        b is not None
        and first
        and st.heading_style(text)
        and a.width >= 0.6 * width
        and b.width <= max(3.0, 0.35 * width)
        and not _ANY_PUNCT.search(b.text)
    ):
        return True  # a numbered heading set in a larger font wraps early: "…存在的问" + "题"
    if full:
        if (
            b is not None
            and st.heading_style(b.text)
            and b.width < 0.74 * width
            and not st.ends_sentence(b.text)
        ):
            return False  # a short numbered line after a full one is a heading, not the paragraph's tail
        if b is not None and text[-1:].isdigit() and b.text[:1].isdigit():
            return True  # a number cut at the margin (约100 + 0辆): never a paragraph end
        # a wide heading followed by a full line: the heading does not wrap, unless it fills the column (and is
        # as wide as that line) to the margin, or nearly and it is a run-in note (1.六大优势产业：省委…培育形成
        # + 电子信息…)
        return not (
            b is not None
            and first
            and st.heading_style(text)
            and b.width >= 0.82 * width
            and (
                a.width < 0.9 * max(width, b.width)
                or (a.width < 0.95 * max(width, b.width) and not _RUN_IN_LABEL.match(text))
            )
        )
    clause = (
        a.width >= 24
        and _CLAUSE_PUNCT.search(text) is not None
        and st.numbering(text) is None
        and not _ENUMERATED_LEAD.match(text)
    )
    if not wrapped and ((a.width >= 40 and _ANY_PUNCT.search(text)) or clause) and not a.marked:
        # a long line cut at a page break; a numbered line never continues a paragraph in unwrapped text,
        # and a short unfinished line followed by a short full sentence is a list lead, not a cut
        if b is None:
            return True
        if st.numbering(b.text) is not None:
            return False
        return a.width >= 40 or b.width >= 24 or not st.ends_sentence(b.text)
    return False


def _indent_starts_paragraphs(items: Sequence[_Line], *, min_lines: int = 5) -> bool:
    """Whether a wrapped text marks its paragraphs by indenting their first lines: at least ``min_lines``
    indented lines, no more than half of all lines, and nearly all of them (90%) right after a line that can end
    a paragraph (one that ends a sentence, or stops short of the column: a heading, a title line). Chinese
    documents typed with a two-character indent keep it in their PDF text layer; a text whose indents are
    scattered (quotes, centred lines) does not qualify."""
    starts = [i for i, ln in enumerate(items) if ln.indent]
    if len(starts) < min_lines or len(starts) > 0.5 * len(items):
        return False
    local = _local_widths(items)
    after_end = sum(
        1
        for i in starts
        if i == 0 or st.ends_sentence(items[i - 1].text) or items[i - 1].width < 0.85 * local[i - 1]
    )
    return after_end >= 0.9 * len(starts)


def _front_matter(
    items: Sequence[_Line], *, wrapped: bool = False, indented: bool = False, max_lines: int = 8
) -> int:
    """How many lines at the start of a document are front matter: title, subtitle, issuer, author and date
    lines set one under another. They are short (at most 40 wide) and carry no punctuation at all (book-title
    marks, brackets, dashes and digits are allowed) but for a label's colon (来源：四川日报); the first line with
    punctuation starts the text. Such lines are never joined, neither to each other nor to the text after them,
    whatever their widths say, except that in a hard-wrapped text (``wrapped``) a line as wide as the column (the upper quartile of all widths: the
    lines around the front matter are too few to tell) wraps a long speaker and date
    line when what follows is not indented (``indented``: the text indents its paragraphs), or is a short tail
    (…省人民政府省长 + 王凯作政府工作报告。, …会议上的讲 + 话): the two are then left to the joining rules."""
    widths = sorted(ln.width for ln in items)
    column = widths[int(0.75 * (len(widths) - 1))]
    n = 0
    for k, ln in enumerate(items[:max_lines]):
        if ln.footnote or ln.width > 40:
            break
        nxt = items[k + 1] if k + 1 < len(items) else None
        if (
            wrapped
            and nxt is not None
            and max(20.0, 0.9 * column) <= ln.width <= 1.1 * column
            and not nxt.byline
        ):
            if indented and not nxt.indent:
                break
            tail = nxt.text.rstrip("。")
            if nxt.width <= 0.5 * column and not _ANY_PUNCT.search(tail) and not tail.startswith("——"):
                break
        if (_ANY_PUNCT.search(ln.text) or st.ends_sentence(ln.text)) and not _FRONT_LABEL.fullmatch(ln.text):
            break
        n += 1
    return n


# a labelled front-matter line (来源：四川日报, 作者：王某, 发布时间：2024-03-05): its colon ends no sentence
_FRONT_LABEL = re.compile(
    r"(?:来源|作者|记者|编辑|责任编辑|发布|发布时间|发布日期|发文日期|日期|时间|索引号|发文机关|发布机构)\s*[:：]\s*"
    r"[^，。；！？,;!?：:]{1,30}"
)


def _mark_stop_peers(items: Sequence[_Line]) -> None:
    """Flag the numbered lines whose numbering style, in this document, is used by short headings that end
    with 。 (``1. 完善顶层设计。``): a line of that style that does not end is likely cut."""
    ended: Counter[str] = Counter()
    total: Counter[str] = Counter()
    styles: list[str | None] = []
    for ln in items:
        found = st.numbering(ln.text.strip())
        style = found[0] if found and found[0] != "article" else None
        styles.append(style)
        if style and st.display_width(ln.text) <= 40:
            total[style] += 1
            ended[style] += ln.text.rstrip().endswith("。")
    for ln, style in zip(items, styles, strict=True):
        ln.stop_peers = bool(style) and total[style] >= 2 and ended[style] >= 0.5 * total[style]


def _cut_heading(a: _Line, b: _Line) -> bool:
    """A numbered heading of several clauses cut at a page break: ``2. 构建…，打造…，加快培育信`` followed by a
    short sentence tail ``创产业龙头。`` with no punctuation of its own and no numbering, in a document whose
    headings of that numbering style end with 。 (elsewhere a short sentence after a heading is its text)."""
    tail = b.text.rstrip()
    found = st.numbering(a.text)
    return (
        a.stop_peers
        and found is not None
        and _CLAUSE_PUNCT.search(found[1]) is not None
        and not st.ends_sentence(a.text)
        and b.width <= 12
        and tail[-1:] in "。！？"
        and not _ANY_PUNCT.search(tail[:-1])
        and st.numbering(tail) is None
        and not b.marked
    )


# A year may open a short title (2024年工作回顾, 2025年工作安排): the rest is then at least 4 characters.
_SHORT_TITLE = re.compile(
    r"^(?:(?:19|20)\d{2}年(?=[^，。；：！？、,;:!?（）()“”\d]{4,25}$)|(?=[^，。；：！？、,;:!?（）()“”\d]{6,25}$))"
)
_TITLE_YEAR = re.compile(r"^(?:19|20)\d{2}年")


def _classify(text: str, pieces: Sequence[_Line]) -> st.Unit:
    """Heading (numbered, title word, doubled headline, or a marked short line) or prose."""
    single = len(pieces) == 1
    width = st.display_width(text)
    style = st.heading_style(text) if width <= 48 else None
    if style == "article" and not single:
        style = None
    num = pieces[0].number
    if style is None and single and num and num[0] in _CN_DIGITS and width <= 48 and text.startswith(num):
        # 一 南沙区: a Chinese numeral that only a space set off from its title (the space went with the others)
        spaced = f"{num} {text[len(num) :]}"
        style = st.heading_style(spaced)
        if style is None and pieces[0].marked and width <= 30 and not st.ends_sentence(text):
            style = "cn"  # ## 二 天河区: marked as a heading, so 二 天 is no "two days"
        if style == "cn":
            return st.Unit("heading", text, style=style)  # the text keeps no space between CJK characters
        style = None
    if style is None and pieces[0].marked and width <= 64:
        style = _marked_numbered_heading(text)
    if style:
        num = pieces[0].number
        if num and text.startswith(num) and not text[len(num) :].startswith(" "):
            text = f"{num} {text[len(num) :]}"
        return st.Unit("heading", text, style=style)
    if st.is_title_word(text) or (pieces[0].doubled and single):
        return st.Unit("heading", text, style="title")
    if single and pieces[0].marked and width <= 64 and not st.ends_sentence(text):
        return st.Unit("heading", text, style="title")
    return st.Unit("prose", text, single=single, byline=single and pieces[0].byline)


def _marked_numbered_heading(text: str) -> str | None:
    """The numbering style of a line the source marked as a heading (#) that is numbered but too long for
    :func:`~nlp.structure.heading_style` (a heading of several clauses ending with 。), else None. An article
    with its text stays prose."""
    found = st.numbering(text)
    if found is None or found[0] == "article" or not found[1]:
        return None
    title = found[1].rstrip("。")
    if "。" in title or "；" in title or title[-1:] in "，、：,;:":
        return None
    return found[0]


def _mark_short_title(units: list[st.Unit]) -> None:
    """Promote the unit before the last one to an unnumbered heading when it is a short title line: a lone
    line of 6-25 CJK characters without any punctuation or digits (or a year and 4-25 such characters, as in
    2024年工作回顾, except as the first line, the document's title), after a finished paragraph (or at the
    start), followed by a prose paragraph. Reports and panels title their sections this way."""
    if len(units) < 2:
        return
    title, nxt = units[-2], units[-1]
    before = units[-3] if len(units) >= 3 else None
    if title.byline and before is not None and nxt.kind == "prose" and not nxt.byline:
        # title, author line, text: "推动数据跨境流动安全有序" / "崔艳新" / "数据是……"
        title, before = before, units[-4] if len(units) >= 4 else None
    if (
        title.kind == "prose"
        and title.single
        and not title.byline
        and not nxt.byline
        and _SHORT_TITLE.match(title.text)
        and (
            before is not None or not _TITLE_YEAR.match(title.text)
        )  # a first line 2025年…报告 is the document title
        and len(_CJK_CHAR.findall(_TITLE_YEAR.sub("", title.text)))
        >= 0.8 * len(_TITLE_YEAR.sub("", title.text))
        and nxt.kind == "prose"
        and not st.is_caption(nxt.text)
        and st.display_width(nxt.text) > st.display_width(title.text)
        and (before is None or before.kind != "prose" or st.ends_sentence(before.text))
    ):
        title.kind, title.style = "heading", "title"
