"""Document structure: heading numbering, table detection, blocks and sentences.

Headings are recognised from their numbering (``一、`` ``（一）`` ``1.`` ``1 标题`` ``（1）`` ``3.1`` ``3.1.1``
``第X章`` ``第X节`` ...), never from markdown ``#`` marks, because extracted reports carry ``#`` marks that do not
match the numbering. Levels follow the order in which numbering styles first appear in the document (the first
style seen is level 1, the next new style level 2, ...), which is how a reader infers the hierarchy too.

Article units (``第一条 为了规范……``): an article with its text on the same line is a *prose* paragraph (its
number is part of the sentence a rule extractor wants to quote); it does not open a section. A bare article
number on its own line (``第一条``) is a heading.

Unnumbered headings are short title lines: the usual front/back matter words (摘要 前言 参考文献 结语 ...), lines
the source marked as headings (``#``) that carry no numbering, and doubled headlines (a PDF artefact of bold
titles). They sit at level 1 beside the first numbering style. A numbered line the source marked with ``#`` is
a heading even when it is too long or ends with 。 for an unmarked one (the mark confirms the numbering).
Author lines (:func:`is_byline`) are never titles.

Tables are detected on raw lines (before spaces are removed, since spaces separate the cells): markdown pipe
tables, tab-separated rows, tables of contents (dot leaders + page number) and flattened PDF tables (a leading
label or year followed by several numeric cells), with the header lines and the ``表 N`` caption just before them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from functools import lru_cache

from nlp.document import Block, Sentence

CN_NUM = "一二三四五六七八九十百零〇两"
_CN = f"[{CN_NUM}]{{1,4}}"

# (style name, pattern). The pattern matches the numbering at the start of a line; group "title" is the rest.
# Order matters: more specific patterns first.
_NUMBERINGS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("part", re.compile(rf"^第\s*(?:{_CN}|\d{{1,2}})\s*(?:部分|篇|编)\s*(?P<title>.*)$")),
    # 专题一：广州推进…研究 (the studies of a report's second part)
    ("topic", re.compile(rf"^专题\s*(?:{_CN}|\d{{1,2}})\s*[：:、.．]?\s*(?P<title>.*)$")),
    ("chapter", re.compile(rf"^第\s*(?:{_CN}|\d{{1,3}})\s*章\s*(?P<title>.*)$")),
    ("section", re.compile(rf"^第\s*(?:{_CN}|\d{{1,3}})\s*节\s*(?P<title>.*)$")),
    ("article", re.compile(rf"^第\s*(?:{_CN}|\d{{1,4}})\s*条(?:之[{CN_NUM}]+)?\s*(?P<title>.*)$")),
    ("cn", re.compile(rf"^{_CN}\s*[、．.]\s*(?P<title>.*)$|^{_CN}\s+(?P<title2>\S.*)$")),
    ("paren_cn", re.compile(rf"^[（(]\s*{_CN}\s*[）)]\s*[、．.]?\s*(?P<title>.*)$")),
    ("n.n.n", re.compile(r"^\d{1,2}[.．]\d{1,2}[.．]\d{1,2}(?![\d.．])\s*(?P<title>.*)$")),
    ("n.n", re.compile(r"^\d{1,2}[.．]\d{1,2}(?![\d.．%])\s*(?P<title>.*)$")),
    ("n.", re.compile(r"^\d{1,2}\s*[.．、](?![\d.．])\s*(?P<title>.*)$")),
    ("paren_n", re.compile(r"^[（(]\s*\d{1,2}\s*[）)]\s*(?P<title>.*)$")),
    ("n)", re.compile(r"^\d{1,2}\s*[）)]\s*(?P<title>.*)$")),
    ("circled", re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳]\s*(?P<title>.*)$")),
    ("n", re.compile(r"^\d{1,2}\s*(?P<title>[\u4e00-\u9fff].*)$")),
)
# a bare number followed by these is a quantity or a date, not a heading number ("3 年", "12月", "5G").
_UNIT_AFTER_NUMBER = re.compile(
    r"^(?:[年月日号个亿万千百元倍项家次条天周岁人名所座台只种期届]|%|％|[A-Za-z])"
)
TITLE_WORDS = frozenset(
    [
        "摘要",
        "关键词",
        "关键字",
        "前言",
        "引言",
        "序言",
        "序",
        "导言",
        "导论",
        "绪论",
        "目录",
        "参考文献",
        "结语",
        "结论",
        "结束语",
        "致谢",
        "后记",
        "附录",
        "附件",
        "附表",
        "内容提要",
        "提要",
        "编者按",
        "总结",
        "小结",
        "展望",
        "Abstract",
        "Keywords",
        "References",
        "Contents",
    ]
)
_NUMBER_SPACE = re.compile(r"^\d{1,2}\s")
_TITLE_NOISE = re.compile(r"[\s:：]")
_WORDISH = re.compile(r"[\u4e00-\u9fffA-Za-z]")
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
SENTENCE_END = "。！？；…!?;"
_CLOSERS = "”’」』）)》〕】\"'"
TERMINAL_PUNCT = SENTENCE_END + "："
_MAX_HEADING_WIDTH = 40.0


def display_width(text: str) -> float:
    """Width of a line as laid out: ASCII counts 1/2, every other character 1 (CJK, full-width, quotes)."""
    return len(text) - 0.5 * len(text.encode("ascii", "ignore"))


def ends_sentence(text: str) -> bool:
    """True when the text ends with sentence-final punctuation (。！？；：… or a closer right after one)."""
    t = text.rstrip()
    while t and t[-1] in _CLOSERS:
        t = t[:-1]
    return bool(t) and t[-1] in TERMINAL_PUNCT


_NUMBER_START = frozenset("0123456789（(第专①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳" + CN_NUM)
# The numbering patterns a line can match, by its first character (each pattern opens with one of these
# character classes), in the order of _NUMBERINGS: a line is tried only against the patterns it can match.
_STYLES_BY_START: dict[str, tuple[tuple[str, re.Pattern[str]], ...]] = {
    ch: tuple(
        (style, pattern)
        for style, pattern in _NUMBERINGS
        if (ch == "第" and style in ("part", "chapter", "section", "article"))
        or (ch == "专" and style == "topic")
        or (ch in CN_NUM and style == "cn")
        or (ch in "（(" and style in ("paren_cn", "paren_n"))
        or (ch in "0123456789" and style in ("n.n.n", "n.n", "n.", "n)", "n"))
        or (ch in _CIRCLED and style == "circled")
    )
    for ch in _NUMBER_START
}
_UNIT_CHECKED = frozenset(("n", "n.", "n.n", "n)", "cn"))
_SEPARATED = re.compile(rf"^(?:{_CN}|\d{{1,2}})\s*、")


def numbering(line: str) -> tuple[str, str] | None:
    """The numbering style of a line and the title after the number, or None when it is not numbered."""
    if not line or line[0] not in _STYLES_BY_START:
        return None
    return _numbering(line)


@lru_cache(maxsize=4096)
def _numbering(line: str) -> tuple[str, str] | None:
    """:func:`numbering` of a line that starts like a number. Cached: cleaning asks about the same line in
    several passes (running lines, heading peers, joining, classifying)."""
    for style, pattern in _STYLES_BY_START[line[0]]:
        m = pattern.match(line)
        if not m:
            continue
        title = (m.group("title") or (m.group("title2") if style == "cn" else None) or "").strip()
        # 一人, 3 年, 1.5倍 are quantities; after a separator (一、人才队伍建设, 三、项目管理, 2、条件) it is a title
        if style in _UNIT_CHECKED and _UNIT_AFTER_NUMBER.match(title) and not _SEPARATED.match(line):
            return None
        if style == "n" and not _NUMBER_SPACE.match(line) and len(title) < 2:
            return None
        return style, title
    return None


def is_title_word(line: str) -> bool:
    """A bare front/back-matter title such as 摘要, 参考文献, 前言 (spaces inside ignored)."""
    return len(line) <= 16 and _TITLE_NOISE.sub("", line) in TITLE_WORDS


def heading_style(line: str) -> str | None:
    """The numbering style when ``line`` reads as a numbered heading, else None.

    A numbered heading is short and is not a list item or sentence: it does not end with ，、；：, and when it
    ends with 。 it is a single short clause ("1. 完善顶层设计。").
    """
    found = numbering(line)
    if found is None:
        return None
    style, title = found
    if not title:
        return style if style in _NAMED_STYLES or style == "article" else None
    width = display_width(title)
    if style == "article":
        return style if width <= 20 and not ends_sentence(title) else None
    if width > _MAX_HEADING_WIDTH:
        return None
    if title[-1] in "，、；：,;:" or "。" in title[:-1] or "；" in title:
        return None
    if title[-1] in "。！？" and width > 30:
        return None
    if not _WORDISH.search(title):
        return None
    if style == "circled" and _CITED.match(title):
        return None  # ①《…》作者.报刊, 2020.07.31: a footnote citing a source, not a heading
    return style


# a footnote's citation: 《title》 alone or followed by author / publisher / date
_CITED = re.compile(r"^《[^》]+》(?:$|.*(?:(?:19|20)\d\d|出版社|日报|晚报|报社|杂志|期刊|学报|[.．]))")


# ---------------------------------------------------------------- tables

_NUM_CELL = re.compile(r"^[-+−]?(?:\d[\d,，]*(?:\.\d+)?|\.\d+)(?:%|％|‰)?$|^[-—–/…×]+$|^N/?A$", re.IGNORECASE)
YEAR_CELL = re.compile(r"^(?:19|20)\d{2}(?:年(?:度)?)?$")  # a table cell that is a year (2019, 2019年, 2019年度)
_CAPTION = re.compile(
    r"^(?:续?表|附表|图|Table|Figure|Fig\.)\s*\d+(?:[.\-]\d+)?(?![\d.%年月日])|^[（(]续表[）)]$"
)
_SOURCE = re.compile(r"^(?:数据|资料)?来源\s*[:：]|^注\s*[:：]")
# the characters a caption / a source line can start with (a cheap test before the patterns)
_CAPTION_FIRST = frozenset("续表附图TF（(")
_SOURCE_FIRST = frozenset("数资来注")
_TOC_ENTRY = re.compile(r"^(?P<entry>.*?\S)\s*(?:\.{3,}|…{2,}|·{2,}|·)\s*(?P<page>\d{1,4})$")
_PIPE_ROW = re.compile(r"^\|.*\|$")
_PIPE_RULE = re.compile(r"^\|?\s*:?-{2,}:?\s*(?:\|\s*:?-{2,}:?\s*)*\|?$")


def is_caption(line: str) -> bool:
    """A figure/table caption (图 1 …, 表2 …, (续表)) or a source/note line (数据来源：…, 注：…).

    A caption is short and is not a sentence: "表1显示，…。" is prose that mentions a table."""
    s = line.strip()
    first = s[:1]
    if first in _SOURCE_FIRST and _SOURCE.match(s):
        return True
    return (
        first in _CAPTION_FIRST
        and bool(_CAPTION.match(s))
        and "。" not in s
        and "，" not in s
        and display_width(s) <= 60
    )


def is_note(text: str) -> bool:
    """Captions, source lines, footnotes (① … at the start), bracketed notes such as （作者系……） and
    bylines: paragraphs that are not running prose, so they need not end with a full stop."""
    s = text.strip()
    return (
        is_caption(s)
        or s[:1] in _CIRCLED
        or (s[:1] in "（(" and s[-1:] in "）)" and display_width(s) <= 80)
        or is_byline(s)
    )


# Common Chinese surnames (the ~150 most frequent single ones and the usual compound ones): enough to tell a
# byline ("崔艳新", "张明远 李晓晴") from the short tail of a title or a paragraph.
_SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任"
    "沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "向汤常温康施文牛樊葛邢安齐易乔伍庞颜倪庄聂章鲁岳翟殷詹申欧耿关兰焦俞左柳甘祝包宁尚符舒阮柯纪梅童凌"
    "毕单季裴霍涂成苗谷盛曲翁冉骆蓝路游辛靳管柴蒙鲍华喻祁蒲房滕屈饶解牟艾尤阳时穆农司卓古吉缪简车项连芦"
    "麦褚娄窦戚岑景党宫费卜冷晏席卫米柏宗瞿桂全佟应臧闵苟邬边卞姬师和仇栾隋商刁沙荣巫寇桑郎甄丛仲虞敖巩"
    "明佘池查麻苑迟邝"
)
_COMPOUND_SURNAMES = "欧阳|司马|上官|诸葛|东方|皇甫|令狐|慕容|尉迟|公孙|长孙|宇文|司徒|夏侯|端木|轩辕"
_NAME = rf"(?:(?:{_COMPOUND_SURNAMES})[\u4e00-\u9fff]{{1,2}}|[{_SURNAMES}][\u4e00-\u9fff]{{1,2}})"
_NAME_FIRST = frozenset(_SURNAMES) | {name[0] for name in _COMPOUND_SURNAMES.split("|")}
_BYLINE_SPACED = re.compile(rf"^{_NAME}(?:\s*[\s、，,]\s*{_NAME}){{0,7}}$")
# one glued name: three characters (two-character words after a surname character are too common: 方面, 安全),
# not ending in a character that closes ordinary words (高质量, 全方位, 和平区)
_BYLINE_GLUED = re.compile(
    rf"^(?:(?:{_COMPOUND_SURNAMES})[\u4e00-\u9fff]{{1,2}}|[{_SURNAMES}][\u4e00-\u9fff]{{2}})(?<![区省市县镇量平化性面业类型级度率额元家位])$"
)


def is_byline(line: str) -> bool:
    """A line that is only a person's name or a list of names (an author line): ``崔艳新``,
    ``张明远　李晓晴``, ``王磊、陈静``. Names are 2-3 characters after a common surname; a glued line of two
    names cannot be told from a word, so a lone name counts only with three characters and a list only when
    a space or 、 separates its names."""
    s = line.strip()
    if not s or len(s) > 40 or s[0] not in _NAME_FIRST:
        return False
    return bool(_BYLINE_GLUED.match(s) or (len(s) > 4 and _BYLINE_SPACED.match(s)))


def numeric_row(line: str) -> list[str] | None:
    """Cells of a flattened table row: a short label (or year) then >= 2 numeric cells, else None."""
    cells = line.split()
    if len(cells) < 3 or display_width(cells[0]) > 24:
        return None
    if not all(_NUM_CELL.match(c) for c in cells[1:]):
        return None
    if sum(1 for c in cells[1:] if re.search(r"\d", c)) < 2:
        return None
    if _NUM_CELL.match(cells[0]) and not YEAR_CELL.match(cells[0]):
        return None
    return cells


def tab_row(line: str, *, min_cells: int = 2) -> list[str] | None:
    """Cells of a tab-separated row (empty cells kept in place, trailing ones dropped), or None when it has
    fewer than ``min_cells`` non-empty cells."""
    if "\t" not in line:
        return None
    cells = [c.strip() for c in line.strip(" ").split("\t")]
    while cells and not cells[-1]:
        cells.pop()
    return cells if sum(1 for c in cells if c) >= min_cells else None


def pipe_row(line: str) -> list[str] | None:
    """Cells of a markdown pipe-table row, else None (the |---| rule line returns [])."""
    s = line.strip()
    if _PIPE_RULE.match(s) and "|" in s:
        return []
    if not _PIPE_ROW.match(s) or s.count("|") < 3:
        return None
    return [c.strip() for c in s[1:-1].split("|")]


def toc_row(line: str) -> list[str] | None:
    """A table-of-contents entry (title, dot leader, page number) as two cells, else None."""
    m = _TOC_ENTRY.match(line.strip())
    if not m or not re.search(r"[\u4e00-\u9fffA-Za-z]", m.group("entry")):
        return None
    return [re.sub(r"^[-*•]\s*", "", m.group("entry")).strip(), m.group("page")]


_TOC_LINE = re.compile(r"^(?P<entry>.*[\u4e00-\u9fffA-Za-z].*?)\t(?P<page>\d{1,4})$")


def is_toc_text(text: str, *, min_lines: int = 2) -> bool:
    """Whether a table block's text is a table of contents: every line an entry and its page number (the dot
    leaders gone), the page numbers never decreasing, and most entries opening with a section numbering."""
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < min_lines:
        return False
    pages = []
    numbered = 0
    for ln in lines:
        m = _TOC_LINE.match(ln.strip())
        if m is None:
            if "\t" in ln or not _WORDISH.search(ln):
                return False
            numbered += 1  # a part or chapter title set between the entries (see fold_contents)
            continue
        pages.append(int(m.group("page")))
        numbered += any(rx.match(m.group("entry")) for _, rx in _NUMBERINGS) or m.group("entry").startswith(("专题", "第"))
    return len(pages) >= min_lines and pages == sorted(pages) and numbered * 2 >= len(lines)


@dataclass(slots=True)
class TableSpan:
    """A run of lines [start, end) that forms one table; rows are its cells (caption/header rows first)."""

    start: int
    end: int
    rows: list[list[str]] = field(default_factory=list)


def _merge_header_lines(lines: Sequence[str]) -> list[str]:
    """Header cells from wrapped header lines: a line opening with （ or following an unclosed （ continues."""
    cells: list[str] = []
    for raw in lines:
        s = re.sub(r"\s+", "", raw)
        if not s:
            continue
        if cells and (s[0] in "（(）)" or cells[-1].count("（") > cells[-1].count("）")):
            cells[-1] += s
        else:
            cells.append(s)
    return cells


def find_tables(lines: Sequence[str], *, max_header_lines: int = 12) -> list[TableSpan]:
    """Tables in a list of lines (blank lines allowed inside a table). Spans do not overlap."""
    spans: list[TableSpan] = []
    n = len(lines)
    i = 0
    while i < n:
        kind, first = _row_kind(lines[i])
        if kind is None:
            i += 1
            continue
        rows = [first] if first else []
        j, last = i + 1, i
        while j < n:
            if not lines[j].strip():
                j += 1
                continue
            k, cells = _row_kind(lines[j])
            if k is None and kind == "tab":
                cells = tab_row(lines[j], min_cells=1) or []
                k = "tab" if cells else None
            if k != kind and not (kind == "tab" and k == "numeric"):
                break
            if cells:
                rows.append(cells)
            last = j
            j += 1
        start = i
        if len(rows) >= 2 or (kind == "pipe" and rows):
            floor = spans[-1].end if spans else 0
            if kind == "tab":
                # tabbed lines just above with a single filled cell belong to the table too: a header cell
                # (项目名称\t) or a category row (一、基础设施项目（2项）\t), not a heading above it
                lead: list[list[str]] = []
                k = i - 1
                while k >= floor:
                    if lines[k].strip():
                        cells = tab_row(lines[k], min_cells=1)
                        if not cells:
                            break
                        lead.append(cells)
                        i = k
                    k -= 1
                rows = lead[::-1] + rows
            if kind in ("numeric", "tab"):
                start, head = _table_head(lines, i, floor, max_header_lines, len(rows[0]))
                rows = head + rows
            spans.append(TableSpan(start, last + 1, rows))
            i = last + 1
        else:
            i += 1
    return spans


def _row_kind(line: str) -> tuple[str | None, list[str]]:
    s = line.strip()
    if not s:
        return None, []
    if "|" in s and (cells := pipe_row(s)) is not None:
        return "pipe", cells
    if s[-1].isdigit() and ("..." in s or "…" in s or "·" in s) and (cells := toc_row(s)) is not None:
        return "toc", cells
    if "\t" in line and (cells := tab_row(line)) is not None:
        return "tab", cells
    if s.count(" ") >= 2 and (cells := numeric_row(s)) is not None:
        return "numeric", cells
    return None, []


def _table_head(
    lines: Sequence[str], first_row: int, floor: int, max_lines: int, n_cells: int
) -> tuple[int, list[list[str]]]:
    """Caption and header rows just above the first data row: back to a 表 N caption within ``max_lines``."""
    j = first_row - 1
    nonblank: list[int] = []
    while j >= floor and len(nonblank) < max_lines:
        s = lines[j].strip()
        if s:
            if _CAPTION.match(s) and not _SOURCE.match(s):
                header = [lines[k] for k in reversed(nonblank)]
                rows: list[list[str]] = [[re.sub(r"\s+", " ", s)]]
                cells = _merge_header_lines(header)
                if cells:
                    tabbed = [tab_row(h) for h in header]
                    spaced = header[0].split() if len(header) == 1 else []
                    if len(header) == 1 and tabbed[0]:
                        rows.append(tabbed[0])
                    elif len(spaced) in (n_cells, n_cells - 1) and len(spaced) >= 3:
                        rows.append(spaced)  # one header line, its cells spaced as the data's: 指标 2019年 2020年 …
                    else:
                        rows.append(cells)
                return j, rows
            if s[-1] in "。！？!?" or "。" in s or display_width(s) > 40:
                break
            nonblank.append(j)
        j -= 1
    # no caption: keep one immediately preceding short header line when its cells line up with the data
    if nonblank:
        k = nonblank[0]
        cells = tab_row(lines[k]) or lines[k].split()
        if len(cells) in (n_cells, n_cells - 1) and len(cells) >= 2:
            return k, [cells]
    return first_row, []


# ---------------------------------------------------------------- hierarchy and blocks


@dataclass(slots=True)
class Unit:
    """A paragraph-level unit before it becomes a Block: its kind, text, rows and heading style."""

    kind: str  # heading | prose | table
    text: str
    rows: list[list[str]] | None = None
    style: str | None = None  # numbering style for headings ("title" for unnumbered headings)
    single: bool = False  # prose made of one source line
    byline: bool = False  # a line of author names (never promoted to a title)


# named divisions rank above every numbering by their names, whenever they first appear: 第一部分 > 专题一 > 第一章 > 第一节
_NAMED_STYLES = ("part", "topic", "chapter", "section")


def assign_levels(units: Sequence[Unit]) -> list[tuple[int | None, tuple[str, ...]]]:
    """(level, section chain) per unit: named divisions (部分, 专题, 章, 节) rank by name above the other numbering
    styles, which rank by first appearance; titles are level 1.

    A named division first seen late (专题一 after 第二部分 and 一、…) goes above the styles already seen below
    it, so that the 一、… under 专题一 nest in it."""
    ranked: list[str] = []  # styles from the top: named ones by their rank, then the others by first appearance
    stack: list[tuple[int, str]] = []
    out: list[tuple[int | None, tuple[str, ...]]] = []
    section: tuple[str, ...] = ()  # the titles on the stack, rebuilt only when a heading changes it
    for u in units:
        if u.kind != "heading":
            out.append((None, section))
            continue
        style = u.style or "title"
        if style == "title":
            level = 1
        else:
            if style not in ranked:
                if style in _NAMED_STYLES:
                    rank = _NAMED_STYLES.index(style)
                    at = sum(1 for s in ranked if s in _NAMED_STYLES and _NAMED_STYLES.index(s) < rank)
                    ranked.insert(at, style)
                else:
                    ranked.append(style)
            level = ranked.index(style) + 1
        while stack and stack[-1][0] >= level:
            stack.pop()
        out.append((level, tuple(t for _, t in stack)))
        stack.append((level, u.text))
        section = tuple(t for _, t in stack)
    return out


def merge_bare_divisions(units: Sequence[Unit]) -> list[Unit]:
    """A named division on a line of its own (第二部分, 专题一) and the title line right after it (专题篇,
    广州推进…研究) become one heading ("第二部分专题篇"): the title is the division's, not a section of its own."""
    out: list[Unit] = []
    for u in units:
        prev = out[-1] if out else None
        if (
            prev is not None
            and u.kind == "heading"
            and (u.style or "title") == "title"
            and prev.kind == "heading"
            and prev.style in _NAMED_STYLES
            and (found := numbering(prev.text)) is not None
            and not found[1]
        ):
            sep = " " if prev.text[-1:].isascii() or u.text[:1].isascii() else ""  # no space between CJK
            out[-1] = Unit("heading", f"{prev.text}{sep}{u.text}", style=prev.style)
            continue
        out.append(u)
    return out


_CONTENTS_TITLE = re.compile(r"目\s*录|目\s*次|contents|table\s+of\s+contents", re.IGNORECASE)


def _toc_table(u: Unit) -> bool:
    """A table unit whose rows are table-of-contents entries (an entry and its page number)."""
    return u.kind == "table" and bool(u.rows) and all(len(r) == 2 and r[1].isdigit() for r in u.rows or ())


def fold_contents(units: Sequence[Unit]) -> list[Unit]:
    """A table of contents as one table: the headings set between its entries (### 第1部分 综述篇, #### 一、…
    above their dotted entries) become rows of it, not sections of the document.

    The contents run from a 目录 / CONTENTS heading over headings and entry tables to the last entry table;
    each heading in it becomes a one-cell row. Without this, every part and chapter title appears twice in the
    outline, and the first copy (with no text under it) is the one a reader or a scorer finds first."""
    out = list(units)
    i = 0
    while i < len(out):
        u = out[i]
        if u.kind != "heading" or not _CONTENTS_TITLE.fullmatch(u.text.strip()):
            i += 1
            continue
        j, last = i + 1, None
        entries: dict[int, list[str]] = {}  # a lone entry line (… ..... 9) left as a paragraph or heading
        while j < len(out):
            v = out[j]
            if _toc_table(v):
                last = j
            elif v.kind != "table" and (row := toc_row(v.text)) is not None:
                entries[j], last = row, j
            elif v.kind != "heading":
                break
            j += 1
        if last is None:
            i += 1
            continue
        start = i + 1
        while start < last and out[start].kind == "heading" and _CONTENTS_TITLE.fullmatch(out[start].text.strip()):
            start += 1  # CONTENTS + 目录: both titles of the same contents
        rows: list[list[str]] = []
        for k in range(start, last + 1):
            v = out[k]
            if k in entries:
                rows.append(entries[k])
            else:
                rows += [list(r) for r in v.rows or ()] if v.kind == "table" else [[v.text]]
        out[start : last + 1] = [Unit("table", "", rows=rows)]
        i = start + 1
    return out


def build_blocks(units: Sequence[Unit]) -> tuple[str, list[Block]]:
    """Blocks with offsets into the document text, which is the blocks' texts joined by newlines."""
    levels = assign_levels(units)
    blocks: list[Block] = []
    pos = 0
    for idx, (u, (level, section)) in enumerate(zip(units, levels, strict=True)):
        text = "\n".join("\t".join(r) for r in u.rows) if u.kind == "table" and u.rows else u.text
        end = pos + len(text)
        rows = [list(r) for r in u.rows] if u.rows else None
        # positional: (idx, kind, text, section, level, rows, char_start, char_end)
        blocks.append(Block(idx, u.kind, text, section, level, rows, pos, end))  # type: ignore[arg-type]
        pos = end + 1
    return "\n".join(b.text for b in blocks), blocks


# ---------------------------------------------------------------- sentences

_OPEN_TITLE, _CLOSE_TITLE = "《〈", "》〉"


_SENTENCE_BREAK = re.compile(rf"[{re.escape(SENTENCE_END)}]+[{re.escape(_CLOSERS)}]*")


def sentence_spans(text: str) -> Iterator[tuple[int, int]]:
    """(start, end) of the sentences of a paragraph.

    Splits after 。！？；… ! ? ; (a run of them counts once) and keeps the closing quotes/brackets that follow
    with the sentence. Never splits inside 《》 titles; ASCII '.' is not a splitter so 3.5 stays whole.
    Leading/trailing whitespace is left out of the spans.
    """
    yield from _sentence_list(text)


_WHITESPACE = re.compile(r"\s")


def _sentence_list(text: str) -> list[tuple[int, int]]:
    """:func:`sentence_spans` as a list (what :func:`split_sentences` iterates)."""
    titled = "《" in text or "〈" in text or "》" in text or "〉" in text
    if not titled and _WHITESPACE.search(text) is None:
        # no title to stay inside and nothing to trim: the sentences end where the breaks end
        ends = [m.end() for m in _SENTENCE_BREAK.finditer(text)]
        if (ends[-1] if ends else 0) < len(text):
            ends.append(len(text))
        return list(zip([0, *ends[:-1]], ends))
    out: list[tuple[int, int]] = []
    start = 0
    last = depth = 0
    for m in _SENTENCE_BREAK.finditer(text):
        if titled:
            pos = m.start()
            depth += (
                text.count("《", last, pos)
                + text.count("〈", last, pos)
                - text.count("》", last, pos)
                - text.count("〉", last, pos)
            )
            last = pos
            if depth > 0:
                continue
            depth = 0
        end = m.end()
        if text[start].isspace() or text[end - 1].isspace():
            _append_trimmed(out, text, start, end)
        else:
            out.append((start, end))  # nothing to trim (start < end: a match is never empty)
        start = end
    if start < len(text):
        _append_trimmed(out, text, start, len(text))
    return out


def _append_trimmed(out: list[tuple[int, int]], text: str, start: int, end: int) -> None:
    """Append (start, end) without leading/trailing whitespace, unless nothing is left."""
    if start < end and text[start].isspace():
        while start < end and text[start].isspace():
            start += 1
    if end > start and text[end - 1].isspace():
        while end > start and text[end - 1].isspace():
            end -= 1
    if end > start:
        out.append((start, end))


def split_sentences(blocks: Sequence[Block]) -> list[Sentence]:
    """Sentences of every block, offsets into the document text.

    Prose is split with :func:`sentence_spans`; a heading is one sentence; each table row is one sentence (its
    cells joined by tabs), so facts read from tables keep a row as their provenance.
    """
    out: list[Sentence] = []
    for b in blocks:
        text, para, base = b.text, b.idx, b.char_start
        spans = _sentence_list(text) if b.kind == "prose" else _line_spans(text)
        n = len(out)
        out.extend(Sentence(para, n + k, text[s:e], base + s, base + e) for k, (s, e) in enumerate(spans))
    return out


def _line_spans(text: str) -> list[tuple[int, int]]:
    out: list[tuple[int, int]] = []
    pos = 0
    for line in text.split("\n"):
        _append_trimmed(out, text, pos, pos + len(line))
        pos += len(line) + 1
    return out
