"""Named policy packages: a policy named by its theme and its number of articles or its version.

“5G产业化10条”, 落实人才振兴60条, 民营经济32条政策, 出台跨境电商扶持政策2.0, “8+1”系列政策措施. The measures
extractor keeps them as programmes; the facts extractor does not read their number as a count (32条 in 民营经济32条政策
is part of a name, as 5G or 十四五 are).
"""

from __future__ import annotations

import re

# Named policy packages (program): a package is named by its theme and its number of articles or its version,
# written in quotes or right after the verb that issues or applies it: “5G产业化10条”, “电竞游戏双10条”, 落实人才振兴
# 60条, 出台跨境电商扶持政策2.0, “8+1”系列政策措施 (产业带启航十条). Not an article reference (第十条) nor a count
# (出台20条措施, 航线41条): unquoted, the number must end the phrase and a name of two or more words precede it.
PACKAGE_NUMERALS = frozenset("0123456789一二三四五六七八九十")
PACKAGE_NUMBER_RE = re.compile(r"\d{1,2}|[一二三四五六七八九十]{1,3}")
PACKAGE_VERSIONED = ("政策", "措施")  # …政策2.0
PACKAGE_FORMULA_HEADS = ("系列政策措施", "系列政策", "政策措施", "政策体系", "系列措施")  # “8+1”系列政策措施
PACKAGE_NAME_RE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]{2,12}")
PACKAGE_NOT_NAME_RE = re.compile(r"[的等和与及了在是为这每共近前后各第约超达至多余]|[线路链]$")
PACKAGE_FORMULA_RE = re.compile(r"[0-9N]{1,3}(?:[+＋][0-9N]{1,3}){1,3}")
PACKAGE_VERBS = frozenset(
    {"落实", "落细", "实施", "出台", "推出", "制定", "发布", "兑现", "用好", "贯彻", "修订", "印发", "升级", "迭代"}
)  # fmt: skip
PACKAGE_END_RE = re.compile(r"[，。；、）)：:,;]|等|和|及|$")
# what a package's number may be followed by as part of its name: 民营经济32条政策, 服务业高质量发展30条措施
PACKAGE_AFTER = ("政策措施", "举措", "措施", "政策", "意见")
_PACKAGE_QUOTE = 14  # characters between a package's opening quote and its number


def package_anchors(text: str) -> list[tuple[int, int]]:
    """Spans of the package numbers (10条, 双10条, 政策2.0) and formula heads (”系列政策措施) in ``text``, in
    order. Found with ``str.find`` on their literal characters (条, .0, ”): a regex tried at every position of a
    whole report costs more than the rest of the extraction."""
    out: list[tuple[int, int]] = []
    i = text.find("条")
    while i >= 0:
        j = i
        while j > 0 and i - j < 3 and text[j - 1] in PACKAGE_NUMERALS:
            j -= 1
        if j < i and PACKAGE_NUMBER_RE.fullmatch(text, j, i):
            out.append((j - 1 if j > 0 and text[j - 1] in "双新" else j, i + 1))
        i = text.find("条", i + 1)
    i = text.find(".0")
    while i >= 0:
        if i >= 3 and text[i - 1].isdigit() and text[i - 3 : i - 1] in PACKAGE_VERSIONED:
            out.append((i - 3, i + 3 if text.startswith("版", i + 2) else i + 2))
        i = text.find(".0", i + 1)
    i = text.find("”")
    while i >= 0:
        for head in PACKAGE_FORMULA_HEADS:
            if text.startswith(head, i + 1):
                out.append((i, i + 1 + len(head)))
                break
        i = text.find("”", i + 1)
    out.sort()
    return out


def package_matches(text: str) -> list[tuple[int, int, str]]:
    """The named policy packages of ``text`` as (start, end, surface) (see PACKAGE_NUMERALS …)."""
    out: list[tuple[int, int, str]] = []
    for a, b in package_anchors(text):
        if text[a] == "”":  # “8+1”系列政策措施
            q = text.rfind("“", max(0, a - 10), a)
            if q >= 0 and PACKAGE_FORMULA_RE.fullmatch(text, q + 1, a):
                out.append((q, b, text[q:b]))
            continue
        if b < len(text) and text[b] == "”":  # “5G产业化10条”
            q = text.rfind("“", max(0, a - _PACKAGE_QUOTE), a)
            if q >= 0 and package_name(text[q + 1 : a]):
                out.append((q, b + 1, text[q : b + 1]))
            continue
        if not PACKAGE_END_RE.match(text, b):
            after = next((w for w in PACKAGE_AFTER if text.startswith(w, b)), None)
            if after is None or text[b - 1] != "条" or not PACKAGE_END_RE.match(text, b + len(after)):
                continue
            b += len(after)
        # the longest name right after an issuing verb (落实人才振兴60条), after the last verb (落实落细民营经济32条政策)
        for k in range(max(0, a - 12), a - 1):
            if (
                text[k - 2 : k] in PACKAGE_VERBS
                and text[k : k + 2] not in PACKAGE_VERBS
                and package_name(text[k:a])
            ):
                out.append((k, b, text[k:b]))
                break
    return out


def package_name(name: str) -> bool:
    """Is ``name`` (before a package's number) a theme: two or more name characters, one of them Chinese, and no
    function word, ordinal or count noun (第, 的, 等 …, …线/路/链)?"""
    return (
        PACKAGE_NAME_RE.fullmatch(name) is not None
        and PACKAGE_NOT_NAME_RE.search(name) is None
        and any("\u4e00" <= ch <= "\u9fff" for ch in name)
    )
