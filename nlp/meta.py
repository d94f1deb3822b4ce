"""Document metadata from the cleaned text: title, year, genre, issuer, document number (文号) and date.

Every field is read from the *frame* of the document (its first and last lines, labelled fields, the title,
the file name), never from the first match anywhere in the body: a policy notice cites other notices'
文号 and dates, a paper's references are full of years. Each field has a short, ordered list of sources and
the first one that answers wins (see the ``_*_from_*`` helpers).

    >>> m = extract_meta("国务院办公厅关于加快发展数字贸易的意见\\n国办发[2024]3号\\n……\\n国务院办公厅\\n2024年1月5日", [], "a.txt")
    >>> (m.issuer, m.doc_number, m.date, m.year, m.genre)
    ('国务院办公厅', '国办发〔2024〕3号', '2024-01-05', 2024, 'policy')
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from pathlib import PurePath

from nlp.document import Block, DocMeta

__all__ = ["extract_meta", "guess_genre", "normalise_doc_number", "parse_date"]

_HEAD_LINES = 12  # lines looked at for the title, 文号, issuer and a head date
_TAIL_LINES = 12  # lines looked at for the signature (issuer + date)
_MIN_YEAR, _MAX_YEAR = 1900, 2099

# ------------------------------------------------------------------------------------------------ dates

_CN_DIGITS = {
    "〇": 0,
    "○": 0,
    "零": 0,
    "Ｏ": 0,
    "O": 0,
    "一": 1,
    "二": 2,
    "三": 3,
    "四": 4,
    "五": 5,
    "六": 6,
    "七": 7,
    "八": 8,
    "九": 9,
}
_CN_YEAR = "[〇○零Ｏ一二三四五六七八九]{4}"
_CN_SMALL = "[一二三四五六七八九十]{1,3}"
_DATE_PATTERNS = (
    re.compile(r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月\s*(?P<d>\d{1,2})\s*日"),
    re.compile(rf"(?P<y>{_CN_YEAR})\s*年\s*(?P<m>{_CN_SMALL})\s*月\s*(?P<d>{_CN_SMALL})\s*日"),
    re.compile(r"(?<![\d.])(?P<y>\d{4})[-/.](?P<m>\d{1,2})[-/.](?P<d>\d{1,2})(?![\d])"),
    re.compile(r"(?<!\d)(?P<y>\d{4})\s*年\s*(?P<m>\d{1,2})\s*月(?!\s*\d{1,2}\s*日)"),
)
_DATE_ANY = re.compile(
    "|".join(
        f"(?:{p.pattern})".replace("?P<y>", "?:").replace("?P<m>", "?:").replace("?P<d>", "?:")
        for p in _DATE_PATTERNS
    )
)
# Every date above starts with four digits (Arabic or Chinese): its leftmost match starts at or after the
# first such run, so the search for it can start there (this pattern has a fast character-set scan).
_DATE_HINT = re.compile(r"[\d〇○零Ｏ一二三四五六七八九][\d〇○零Ｏ一二三四五六七八九]{3}")


def _date_search(line: str) -> re.Match[str] | None:
    """``_DATE_ANY.search(line)``, faster: the search starts at the first run of four digits."""
    hint = _DATE_HINT.search(line)
    return None if hint is None else _DATE_ANY.search(line, hint.start())


_DATE_LABEL = re.compile(
    r"(?:成文日期|发布日期|印发日期|发文日期|公布日期|发布时间|成文时间|日期)\s*[:：]\s*(?P<rest>.*)"
)
# A head line that dates the document itself: a date alone, or a date followed by 公布/通过/会议上 ...
_HEAD_DATE_CUES = ("公布", "发布", "通过", "印发", "会议上", "施行", "修订", "讯", "来源")


def _cn_number(text: str) -> int:
    """一 .. 三十一 as an int (only what month and day numbers need)."""
    if "十" in text:
        tens, _, ones = text.partition("十")
        return (_CN_DIGITS.get(tens, 1) if tens else 1) * 10 + (_CN_DIGITS.get(ones, 0) if ones else 0)
    return _CN_DIGITS.get(text, 0)


def parse_date(text: str) -> str | None:
    """The first date in ``text`` as ISO "yyyy-mm-dd" (or "yyyy-mm" when no day is given), else None.

    Understands 2019年1月22日, 一九九六年六月二十九日, 2019-01-22, 2019/1/22, 2019.01.22 and 2019年3月.
    """
    best: tuple[int, str] | None = None
    for pattern in _DATE_PATTERNS:
        match = pattern.search(text)
        if match is None:
            continue
        iso = _iso(match)
        if iso is not None and (best is None or match.start() < best[0]):
            best = (match.start(), iso)
    return best[1] if best else None


def _iso(match: re.Match[str]) -> str | None:
    y, m = match.group("y"), match.group("m")
    d = match.groupdict().get("d")
    year = int(y) if y.isdigit() else int("".join(str(_CN_DIGITS[c]) for c in y))
    month = int(m) if m.isdigit() else _cn_number(m)
    if not (_MIN_YEAR <= year <= _MAX_YEAR and 1 <= month <= 12):
        return None
    if d is None:
        return f"{year:04d}-{month:02d}"
    day = int(d) if d.isdigit() else _cn_number(d)
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


# ----------------------------------------------------------------------------------------- doc numbers

_OPEN = "〔［\\[（(【"
_CLOSE = "〕］\\]）)】"
_DOC_NUMBER = re.compile(
    rf"(?P<prefix>[\u4e00-\u9fff]{{1,12}})\s*[{_OPEN}]\s*(?P<year>(?:19|20)\d\d)\s*[{_CLOSE}]\s*"
    r"(?:第\s*)?(?P<num>\d{1,5})\s*号"
)
_ORDER_NUMBER = re.compile(r"(?P<prefix>[\u4e00-\u9fff]{1,20}令)\s*(?:\n\s*)?第\s*(?P<num>\d{1,5})\s*号")
_DOC_NUMBER_LABEL = re.compile(r"(?:发文字号|文\s*号)\s*[:：]\s*(?P<rest>.*)")
_OPEN_CHARS = "〔［[（(【"  # the characters of _OPEN (it is escaped for a character class)
# Words that end a sentence fragment rather than begin a 文号 prefix ("根据国办发〔…〕" -> "国办发").
_PREFIX_LEADERS = re.compile(r"^.*?(?:根据|按照|依据|依照|参照|执行|落实|贯彻|印发|转发|见|和|及|与)")
_ORDER_PREFIXES = {"中华人民共和国国务院令": "国令", "国务院令": "国令"}


def _doc_number_search(line: str) -> re.Match[str] | None:
    """``_DOC_NUMBER.search(line) or _ORDER_NUMBER.search(line)``, with cheap tests first: both end with 号,
    a 文号 holds an opening bracket, an order number holds 令."""
    if "号" not in line:
        return None
    match = _DOC_NUMBER.search(line) if any(c in line for c in _OPEN_CHARS) else None
    if match is None and "令" in line:
        match = _ORDER_NUMBER.search(line)
    return match


def normalise_doc_number(text: str) -> str | None:
    """The first 文号 in ``text`` in canonical form: any bracket pair becomes 〔〕, spaces go.

    >>> normalise_doc_number("国办发[2019] 5号"), normalise_doc_number("京政发（2020）12号")
    ('国办发〔2019〕5号', '京政发〔2020〕12号')
    """
    match = _DOC_NUMBER.search(text)
    if match is not None:
        prefix = _PREFIX_LEADERS.sub("", match.group("prefix")) or match.group("prefix")
        return f"{prefix}〔{match.group('year')}〕{int(match.group('num'))}号"
    match = _ORDER_NUMBER.search(text)
    if match is not None:
        prefix = match.group("prefix")
        return f"{_ORDER_PREFIXES.get(prefix, prefix)}第{int(match.group('num'))}号"
    return None


# ------------------------------------------------------------------------------------------- issuers

_ORG_SUFFIX = (
    "人民政府办公厅|人民政府办公室|人民政府|办公厅|办公室|委员会|常务委员会|总局|管理局|统计局|研究院|研究所|"
    "研究中心|中心|协会|促进会|学会|商会|集团|公司|银行|大学|学院|"
    "国务院|中央军委|院|部|委|厅|局|署|办|会|府|行"
)
_ORG = rf"[\u4e00-\u9fff（）()]{{1,30}}?(?:{_ORG_SUFFIX})"
_TITLE_ISSUER = re.compile(rf"^(?P<org>{_ORG}(?:[、，　 ]{_ORG})*)\s*(?:关于|转发|印发|批转|对)")
_ORG_LINE = re.compile(rf"^(?:{_ORG})(?:[、，\s　]+{_ORG})*$")
_ISSUER_LABEL = re.compile(r"(?:发文机关|发布机构|发文单位|发布单位|制发机关)\s*[:：]\s*(?P<rest>.*)")
_DOC_PREFIX_ISSUER = {
    "国发": "国务院",
    "国函": "国务院",
    "国令": "国务院",
    "国办发": "国务院办公厅",
    "国办函": "国务院办公厅",
    "国办发明电": "国务院办公厅",
}
# Short lines that look like an organisation but are not an issuer.
_NOT_ISSUER = re.compile(r"(?:各位代表|此件公开发布|本文有删减|目录|前言|附件)")

# ---------------------------------------------------------------------------------------------- titles

_MD_HEADING = re.compile(r"^\s{0,3}#\s+(?P<t>.+?)\s*#*\s*$")
_NUMBERED = re.compile(
    r"^\s*(?:[一二三四五六七八九十百]+[、.．]|[（(][一二三四五六七八九十\d]+[)）]|\d+(?:\.\d+)*[\s、.．]|"
    r"第[一二三四五六七八九十百\d]+[章节条部分篇])"
)
_TITLE_ENDINGS = re.compile(
    r"(?:通知|意见|办法|规定|条例|决定|报告|方案|批复|复函|函|公告|通告|通报|纲要|规划|细则|规则|答复|"
    r"公报|研究|分析|证据|探析|综述|措施|计划|指引|指南|命令|法|决议|讲话|(?:（[^）]{1,20}）))$"
)
_SENTENCE_END = re.compile(r"[。；;：:！!？?，,]$")
_CJK_SPACE = re.compile(r"(?<=[\u4e00-\u9fff])[ \u3000]+(?=[\u4e00-\u9fff])")
_TITLE_CUT = re.compile(
    r"(?:通知|意见|办法|规定|条例|决定|报告|方案|批复|复函|公告|通告|通报|纲要|规划|细则|公报|研究|分析|证据|"
    r"探析|综述|措施|计划|指引|指南)(?:[（(][^）)]{1,20}[）)])?"
)
_FRONT_MATTER_TAIL = re.compile(
    rf"^(?:——|[（(]|\d{{4}}\s*年|{_ORG}|[\u4e00-\u9fff]{{2,4}}(?:[　 、，]?[\u4e00-\u9fff]{{2,4}}){{0,3}}$)"
)
_TITLE_LABEL = re.compile(r"^标\s*题\s*[:：]\s*(?P<rest>.*)")
_ACADEMIC_TITLE = re.compile(r"(?:研究|分析|探析|探讨|综述|证据|实证|机制|路径|影响)(?:[—-].*)?$")
_SKIP_TITLE = re.compile(r"^(?:来源|作者|发布|日期|索引号|主题分类|标\s*题|记者|编辑|责任编辑|摘要|关键词)")

# ----------------------------------------------------------------------------------------------- genre

_ARTICLE = re.compile(r"^\s*第[一二三四五六七八九十百零〇\d]+条")
_CHAPTER = re.compile(r"^\s*第[一二三四五六七八九十百零〇\d]+章")
_REGULATION_TITLE = re.compile(r"(?:条例|办法|规定|细则|规则|法|章程)(?:（[^）]*）)?$")
_POLICY_TITLE = re.compile(r"(?:通知|意见|决定|批复|复函|函|公告|通告|通报|方案|措施|计划|答复)$")
_YEAR = re.compile(r"(?<!\d)((?:19|20)\d\d)(?!\d)")
_FILE_DATE = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.](\d{1,2})[-_.](\d{1,2})(?!\d)")
_FILE_YEAR = re.compile(r"(?<![0-9A-Za-z])((?:19|20)\d\d)(?![0-9A-Za-z])")


def extract_meta(text: str, blocks: Sequence[Block], file_name: str) -> DocMeta:
    """Title, year, genre, issuer, 文号 and date of one cleaned document.

    ``blocks`` (from the structure step) are used for headings and tables; ``text`` alone is enough when
    they are empty. ``file_name`` is a fallback for the title and the source of explicit dates/years.
    """
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    head, tail = lines[:_HEAD_LINES], lines[-_TAIL_LINES:]
    doc_number, number_line = _doc_number(head, text)
    title = _title(head, blocks, number_line, file_name)
    date = _date(head, tail, file_name)
    issuer = _issuer(head, tail, title, doc_number)
    year = _year(date, doc_number, title, file_name)
    genre = guess_genre(text, blocks, title=title, doc_number=doc_number, lines=lines)
    return DocMeta(title=title, year=year, genre=genre, issuer=issuer, doc_number=doc_number, date=date)


# ------------------------------------------------------------------------------------------- doc number


def _doc_number(head: list[str], text: str) -> tuple[str | None, int | None]:
    """文号 from a 文号: label, else a head line that is (almost) only a 文号. Returns it and its line."""
    for i, line in enumerate(head):
        label = _DOC_NUMBER_LABEL.search(line) if "号" in line else None
        if label:
            value = label.group("rest") or (head[i + 1] if i + 1 < len(head) else "")
            number = normalise_doc_number(value)
            if number:
                return number, i
    for i, line in enumerate(head):
        match = _doc_number_search(line)
        if match is None and i + 1 < len(head) and line.endswith("令"):
            joined = line + head[i + 1]
            if _ORDER_NUMBER.fullmatch(joined.strip()):
                return normalise_doc_number(joined), i + 1
        if match is not None and len(line) - (match.end() - match.start()) <= 6:
            return normalise_doc_number(match.group(0)), i
    return None, None


# ------------------------------------------------------------------------------------------------ title


def _title(head: list[str], blocks: Sequence[Block], number_line: int | None, file_name: str) -> str | None:
    for line in head[:10]:
        match = _MD_HEADING.match(line)
        if match:
            return _tidy_title(match.group("t"))
    for i, line in enumerate(head):
        label = _TITLE_LABEL.match(line)
        if label:
            value = label.group("rest") or (head[i + 1] if i + 1 < len(head) else "")
            if value.strip():
                return _tidy_title(value)
    if number_line is not None and number_line >= 1 and head[number_line - 1].endswith("令"):
        # A State Council order: "…国务院令 / 第707号 / 现公布… / 总理 / date / <title of the regulation>".
        for line in head[number_line + 1 :]:
            if _title_like(line) and _TITLE_ENDINGS.search(line):
                return _tidy_title(line)
    # A gov document: the title is every line above its 文号 (it is often broken over 2-3 lines).
    if number_line is not None and 0 < number_line <= 4:
        above = head[:number_line]
        if all(not _SENTENCE_END.search(ln) and not _date_search(ln) for ln in above):
            joined = "".join(above)
            if len(joined) <= 100:
                return _tidy_title(joined)
    for block in blocks[:5]:
        if block.kind != "heading" and _SENTENCE_END.search(block.text):
            break  # the body has begun: a heading after it (2024年工作回顾) names a section, not the document
        if block.kind == "heading" and _title_like(block.text) and not _NUMBERED.match(block.text):
            return _tidy_title(block.text)
    for i, line in enumerate(head[:8]):
        if not _title_like(line):
            continue
        title = line
        # Join a title broken over lines: this line does not end like a title, the next one does.
        for nxt in head[i + 1 : i + 3]:
            if _TITLE_ENDINGS.search(title) or not _title_like(nxt) or len(title + nxt) > 80:
                break
            if _TITLE_ENDINGS.search(nxt) or nxt.startswith(("关于", "——")):
                title += nxt
        return _tidy_title(title)
    stem = PurePath(file_name).stem
    stem = re.sub(r"[（(]\s*\d{4}[-_.]\d{1,2}[-_.]\d{1,2}\s*[)）]", "", stem).strip()
    return stem if re.search(r"[\u4e00-\u9fff]{2}", stem) else None


def _split_front_matter(line: str) -> str:
    """Cut a title off a head line that also carries authors, issuer or date (lines merged by cleaning).

    "某市2023年…统计公报某市统计局2024年3月20日" -> "某市2023年…统计公报"; a line without such a tail is kept.
    """
    if _SENTENCE_END.search(line) or len(line) < 12:
        return line
    for match in _TITLE_CUT.finditer(line):
        rest = line[match.end() :]
        # a rest that itself ends like a title means the match was inside the title (计划|生育技术服务管理条例)
        if (
            rest
            and rest[0] not in "的和与及之"
            and _FRONT_MATTER_TAIL.match(rest)
            and not _TITLE_ENDINGS.search(rest)
        ):
            return line[: match.end()]
    return line


def _title_like(line: str) -> bool:
    if not 4 <= len(line) <= 80 or not re.search(r"[\u4e00-\u9fff]", line):
        return False
    if _SENTENCE_END.search(line) or _NUMBERED.match(line) or _SKIP_TITLE.match(line):
        return False
    if _doc_number_search(line) or _DATE_ANY.match(line):
        return False
    if line.startswith(("各", "——", "（", "(", "|")):
        return False
    return sum(ch.isdigit() for ch in line) < len(line) / 2


def _tidy_title(title: str) -> str:
    title = _split_front_matter(_CJK_SPACE.sub("", title.strip().strip("#").strip()))
    half = len(title) // 2
    if len(title) % 2 == 0 and half >= 4 and title[:half] == title[half:]:
        title = title[:half]  # a headline printed twice by a PDF extraction
    return title


# ------------------------------------------------------------------------------------------------- date


def _date(head: list[str], tail: list[str], file_name: str) -> str | None:
    """Labelled date, then the signature date, then a dated head line, then a full date in the file name."""
    for i, line in enumerate(head + tail):
        label = _DATE_LABEL.search(line)
        if label:
            frame = head + tail
            value = label.group("rest") or (frame[i + 1] if i + 1 < len(frame) else "")
            date = parse_date(value)
            if date:
                return date
    file_date = _FILE_DATE.search(PurePath(file_name).stem)
    if file_date:
        iso = parse_date("-".join(file_date.groups()))
        if iso:
            return iso
    for line in reversed(tail):
        if _is_date_line(line):
            return parse_date(line)
    for line in head:
        match = _date_search(line)
        if match is None:
            continue
        starts_line = match.start() <= 2
        if _is_date_line(line) or (starts_line and any(cue in line for cue in _HEAD_DATE_CUES)):
            return parse_date(line)
        if any(cue in line for cue in ("讯", "电", "来源")) and match.start() < 12:
            return parse_date(line)
        # Front matter merged into one line by cleaning: "…公报某市统计局2024年3月20日", "…——2024年1月18日在…".
        if match.end() == len(line) or line[max(0, match.start() - 2) : match.start()] == "——":
            return parse_date(line[match.start() :])
    return None


def _is_date_line(line: str) -> bool:
    """A line that is a date and little else (a signature date, "（2019年1月22日）", "2023-10-20 09:30")."""
    match = _date_search(line)
    if match is None:
        return False
    rest = (line[: match.start()] + line[match.end() :]).strip(" 　()（）\t")
    return len(rest) <= 6 or bool(re.fullmatch(r"[\d:：\s]+.*?(?:来源[:：].*)?", rest)) and len(rest) <= 30


# ----------------------------------------------------------------------------------------------- issuer


def _issuer(head: list[str], tail: list[str], title: str | None, doc_number: str | None) -> str | None:
    for i, line in enumerate(head):
        label = _ISSUER_LABEL.search(line)
        if label:
            value = (label.group("rest") or (head[i + 1] if i + 1 < len(head) else "")).strip()
            if value:
                return value
    if title:
        match = _TITLE_ISSUER.match(title)
        if match:
            return _join_orgs(match.group("org"))
    if doc_number:
        prefix = re.sub(r"[〔第].*$", "", doc_number)
        if prefix in _DOC_PREFIX_ISSUER:
            return _DOC_PREFIX_ISSUER[prefix]
    signature = _signature_issuer(tail)
    if signature:
        return signature
    for line in head[1:8]:
        if (
            line != title
            and _ORG_LINE.match(line)
            and not _NOT_ISSUER.search(line)
            and len(line) <= 30
            and "的" not in line
            and "关于" not in line
        ):
            return _join_orgs(line.split()[0] if " " in line else line)
    return None


def _signature_issuer(tail: list[str]) -> str | None:
    """The organisation line(s) just above the last date line of the document."""
    for i in range(len(tail) - 1, 0, -1):
        if _is_date_line(tail[i]):
            candidate = tail[i - 1]
            if _ORG_LINE.match(candidate) and not _NOT_ISSUER.search(candidate) and len(candidate) <= 40:
                return _join_orgs(candidate)
            return None
    return None


def _join_orgs(text: str) -> str:
    """Joint issuers as one "、"-separated string; names that cleaning glued together (the gap between them was
    a space) are split where a full organisation name is followed by another that starts with a place or a
    national prefix (某市统计局某市工业和信息化局 -> 某市统计局、某市工业和信息化局)."""
    parts = [p for p in re.split(r"[、，,\s　]+", text.strip()) if p]
    return "、".join(q for p in parts for q in _split_glued_orgs(p))


_ORG_FULL = re.compile(rf"{_ORG}")
_ORG_HEAD = re.compile(
    r"(?:[\u4e00-\u9fff]{1,6}?(?:省|市|自治区|县|区|州|盟)|国家|中共|中国)[\u4e00-\u9fff]{2,}"
)
_BRANCH = re.compile(
    r"(?:分局|分行|分署|分会|分院|分中心|分公司|支行|办事处)$"
)  # 国家外汇管理局广东省分局 is one body


def _split_glued_orgs(name: str) -> list[str]:
    for i in range(len(name) - 4, 3, -1):
        if (
            _ORG_FULL.fullmatch(name[:i])
            and _ORG_HEAD.match(name[i:])
            and _ORG_FULL.fullmatch(name[i:])
            and not _BRANCH.search(name[i:])
        ):
            return [*_split_glued_orgs(name[:i]), name[i:]]
    return [name]


# ------------------------------------------------------------------------------------------------- year


def _year(date: str | None, doc_number: str | None, title: str | None, file_name: str) -> int | None:
    if date:
        return int(date[:4])
    if doc_number:
        match = re.search(r"〔(\d{4})〕", doc_number)
        if match:
            return int(match.group(1))
    if title:
        match = re.match(r"^\s*((?:19|20)\d\d)\s*年", title) or re.search(r"((?:19|20)\d\d)\s*年度?", title)
        if match:
            return int(match.group(1))
    match = _FILE_YEAR.search(PurePath(file_name).stem)
    if match:
        return int(match.group(1))
    return None


# ------------------------------------------------------------------------------------------------ genre


# Academic cues, each with a cheap necessary condition tested first on the whole text: a character or word
# every match holds (b/B, y/Y have no other case forms under IGNORECASE).
_ACADEMIC_CUES: tuple[tuple[Callable[[str], bool], re.Pattern[str]], ...] = (
    (lambda t: "摘" in t, re.compile(r"^\s*摘\s*要\s*[:：]", re.MULTILINE)),
    (lambda t: "键" in t, re.compile(r"关\s*键\s*[词字]\s*[:：]")),
    (lambda t: "参考文献" in t, re.compile(r"参考文献")),
    (lambda t: "中图分类号" in t, re.compile(r"中图分类号")),
    (lambda t: "b" in t or "B" in t, re.compile(r"abstract", re.IGNORECASE)),
    (lambda t: "y" in t or "Y" in t, re.compile(r"key\s*words", re.IGNORECASE)),
)
_PLEASE_IMPLEMENT = re.compile(r"请.{0,12}(?:认真贯彻|贯彻落实|遵照执行|贯彻执行)")
_ON_LAST_YEAR = re.compile(r"比上年(?:末)?(?:增长|下降|增加|减少|提高)")


def guess_genre(
    text: str,
    blocks: Sequence[Block] = (),
    *,
    title: str | None = None,
    doc_number: str | None = None,
    lines: list[str] | None = None,
) -> str:
    """policy | academic | news | statistical | regulation | report | other, from weighted surface cues.

    Cues: 摘要+关键词+参考文献 -> academic; 第X条 with a 条例/办法/规定 title or 第X章 -> regulation;
    a 文号, a 通知/意见 title, "各省、自治区" -> policy; 统计公报 or tables dominating -> statistical;
    记者 / 日电 / 讯 near the top -> news; 政府工作报告 / 各位代表 / 发展报告 -> report.
    """
    if lines is None:
        lines = [line.strip() for line in text.split("\n") if line.strip()]
    head_text = "\n".join(lines[:_HEAD_LINES])
    title = title or ""
    scores = dict.fromkeys(("policy", "academic", "news", "statistical", "regulation", "report"), 0.0)

    academic_cues = sum(hint(text) and pattern.search(text) is not None for hint, pattern in _ACADEMIC_CUES)
    scores["academic"] = 2.0 * academic_cues + (2.0 if _ACADEMIC_TITLE.search(title) else 0.0)

    articles = sum(1 for line in lines if _ARTICLE.match(line))
    chapters = sum(1 for line in lines if _CHAPTER.match(line))
    if articles >= 3:
        scores["regulation"] = (
            3.0 + (3.0 if _REGULATION_TITLE.search(title) else 0.0) + (1.0 if chapters else 0.0)
        )
        scores["regulation"] += min(articles, 20) / 10

    if doc_number:
        scores["policy"] += 3.0
    if _POLICY_TITLE.search(title):
        scores["policy"] += 3.0
    if re.search(r"各省、?(?:市、)?自治区|各有关单位|各市(?:商务)?主管部门|各区人民政府|各县", text[:3000]):
        scores["policy"] += 2.0
    if ("贯彻" in text or "遵照执行" in text) and _PLEASE_IMPLEMENT.search(text):
        scores["policy"] += 1.0

    if "统计公报" in title or "统计公报" in head_text:
        scores["statistical"] += 6.0
    table_chars = sum(len(b.text) for b in blocks if b.kind == "table")
    if blocks and table_chars > 0.4 * max(1, sum(len(b.text) for b in blocks)):
        scores["statistical"] += 3.0
    if "比上年" in text and len(_ON_LAST_YEAR.findall(text)) >= 5:
        scores["statistical"] += 2.0

    if re.search(
        r"（记者|记者\s*[\u4e00-\u9fff]{2,3}|\d{1,2}日电|本报讯|[\u4e00-\u9fff]{2}\d{1,2}月\d{1,2}日讯|新华社",
        head_text,
    ):
        scores["news"] += 5.0
    if "责任编辑" in text or "通讯员" in text:
        scores["news"] += 1.5

    if "政府工作报告" in title or re.search(r"作政府工作报告|向大会报告", head_text):
        scores["report"] += 5.0
    if "各位代表" in head_text:
        scores["report"] += 2.0
    if re.search(r"(?:发展|研究|年度|白皮|蓝皮)报告|白皮书|蓝皮书", title):
        scores["report"] += 4.0

    genre, score = max(scores.items(), key=lambda item: item[1])
    return genre if score >= 3.0 else "other"
