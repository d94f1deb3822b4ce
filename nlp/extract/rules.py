"""Rule references: laws, regulations, plans, policy documents, agreements, standards and reports a text cites.

What is found (regex-first, so extraction stays a small share of segmentation time):
  * 《titles》 (stray whitespace from PDF line breaks inside the marks is tolerated),
  * agreements and foreign rules by acronym or name from a curated lexicon (``data/agreements.toml``),
  * rule names in quotes (“数字经济促进条例”) and “X”合作谅解备忘录-style names,
  * 党的二十大报告 / 政府工作报告 written without marks,
  * unmarked law and regulation names (…保护法, …管理条例, 中华人民共和国…法) behind strict checks,
  * later unmarked repeats of a title already seen in 《》.
Variants are merged under one canonical name (全角/半角, 中华人民共和国 prefix, acronym + full name in brackets);
short aliases (《规划》, 《报告》, 《纲要》, 《意见》) resolve to the most recent full title with that suffix.

Public API: ``extract_rules(document)``, ``iter_rule_mentions(document)``, ``find_rule_mentions(text)`` and the
spaCy component ``"zh_rules"`` writing ``doc.spans["rules"]``.
"""

from __future__ import annotations

import bisect
import re
import tomllib
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

from nlp.document import Document
from nlp.extract.regions import PROVINCES
from nlp.extract.scan import StartScanner, iter_matches_at
from nlp.extract.spans import Provenance, register_span_component

__all__ = [
    "RuleMention",
    "RuleRef",
    "extract_rules",
    "find_rule_mentions",
    "iter_rule_mentions",
    "rule_kind",
    "rule_level",
    "rules_component",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
CJK = "\u4e00-\u9fff\u3400-\u4dbf"
WS_RE = re.compile(r"\s+")


# --------------------------------------------------------------------------------------------------------------
# records


@dataclass(slots=True)
class RuleRef(Provenance):
    """One distinct rule referenced by a document (first mention's provenance, all mentions counted)."""

    surface: str
    canonical: str
    aliases: list[str]
    kind: str
    level: str | None
    doc_number: str | None
    articles: list[str]
    mentions: int


@dataclass(slots=True)
class RuleMention(Provenance):
    """One mention of a rule: the rows of the document-rule network."""

    surface: str
    canonical: str
    kind: str
    level: str | None


@dataclass(slots=True)
class _Hit:
    """A mention found in the text, before and after merging (internal)."""

    start: int
    end: int
    surface: str
    name: str  # the name without 《》 and whitespace
    source: str  # title | lexicon | quoted | unmarked | repeat | acronym
    key: str = ""
    canonical: str = ""
    kind: str = ""
    level: str | None = None
    alias_of_suffix: bool = False
    local: bool = False  # no level shows, and the text says the document's place drafts or issues it
    bare_city: bool = False  # municipal only from a bare 市委/市政府/本市 (no city named): a 直辖市's is provincial
    extra_aliases: list[str] = field(default_factory=list)
    doc_number: str | None = None
    articles: list[str] = field(default_factory=list)


# --------------------------------------------------------------------------------------------------------------
# small shared helpers (measures.py imports these)


def flat(s: str) -> str:
    """Remove every whitespace character (the gold standard's "flat" text)."""
    return WS_RE.sub("", s)


@lru_cache(maxsize=8192)
def merge_key(s: str) -> str:
    """Key under which name variants merge: NFKC width fold, no whitespace, no quotes/marks, lower case.

    Cached: a document asks for the key of the same few names over and over while merging."""
    s = unicodedata.normalize("NFKC", flat(s))
    s = re.sub(r"[《》〈〉<>\"'“”‘’「」『』·・]", "", s)
    s = s.replace("—", "-").replace("–", "-").replace("~", "-").replace("～", "-")
    return s.lower()


class Locator:
    """Maps a character offset of ``Document.text`` to (section, paragraph, sentence) by bisection."""

    __slots__ = ("_bstarts", "_doc", "_sstarts")

    def __init__(self, document: Document) -> None:
        self._doc = document
        self._bstarts = [b.char_start for b in document.blocks]
        self._sstarts = [s.char_start for s in document.sentences]

    def where(self, offset: int) -> tuple[str, int, str]:
        doc = self._doc
        section, paragraph, sentence = "", -1, ""
        if doc.blocks:
            i = max(bisect.bisect_right(self._bstarts, offset) - 1, 0)
            block = doc.blocks[i]
            section, paragraph, sentence = " > ".join(block.section), block.idx, block.text
        if doc.sentences:
            j = max(bisect.bisect_right(self._sstarts, offset) - 1, 0)
            sent = doc.sentences[j]
            if sent.char_start <= offset < max(sent.char_end, sent.char_start + 1):
                sentence = sent.text
        return section, paragraph, sentence


class Mask:
    """Character ranges already claimed by a stronger match, so that weaker passes skip them."""

    __slots__ = ("_m",)

    def __init__(self, n: int) -> None:
        self._m = bytearray(n)

    def free(self, start: int, end: int) -> bool:
        return self._m.find(1, start, end) < 0

    def take(self, start: int, end: int) -> None:
        self._m[start:end] = b"\x01" * (end - start)


# --------------------------------------------------------------------------------------------------------------
# lexicon


@dataclass(slots=True)
class _LexEntry:
    canonical: str
    kind: str
    level: str
    names: list[str]
    acronyms: list[str]


@dataclass(slots=True)
class _Lexicon:
    entries: list[_LexEntry]
    by_key: dict[str, _LexEntry]  # merge_key(name or acronym) -> entry
    names_re: re.Pattern[str] | None  # names that do not start with an ASCII character (Chinese names)
    ascii_names_re: re.Pattern[str] | None  # printable-ASCII names (English), matched case-insensitively
    ascii_min: int  # length of the shortest ASCII name
    acro_re: re.Pattern[str] | None  # acronyms; the caller checks that no letter precedes a match
    scanner: StartScanner  # candidate starts of SCAN_GROUPS in one pass over a document


def _literal_union(names: list[str], *, flags: int = 0) -> re.Pattern[str] | None:
    """One regex for many literal names (longest first).

    A plain alternation of literals whose first characters are uncased lets ``re`` skip to candidate positions
    with its first-character set; a leading lookahead or lookbehind, or case folding of Latin first letters,
    disables that and makes the regex try every position (10-40x slower on a whole report).
    """
    if not names:
        return None
    return re.compile("|".join(re.escape(n) for n in names), flags)


@lru_cache(maxsize=4)
def load_lexicon(path: str | None = None) -> _Lexicon:
    """Load the curated agreement / foreign-rule lexicon (TOML, ``[[entry]]`` tables)."""
    p = Path(path) if path else DATA_DIR / "agreements.toml"
    raw = tomllib.loads(p.read_text(encoding="utf-8"))
    entries: list[_LexEntry] = []
    by_key: dict[str, _LexEntry] = {}
    for row in raw.get("entry", []):
        e = _LexEntry(
            canonical=row["canonical"],
            kind=row.get("kind", "agreement"),
            level=row.get("level", "international"),
            names=list(row.get("names", [])),
            acronyms=list(row.get("acronyms", [])),
        )
        entries.append(e)
        for n in [e.canonical, *e.names, *e.acronyms]:
            by_key.setdefault(merge_key(n), e)
    names = sorted({n for e in entries for n in [e.canonical, *e.names]}, key=len, reverse=True)
    acros = sorted({a for e in entries for a in e.acronyms}, key=len, reverse=True)
    # Names never mix scripts: Chinese names in one pass, printable-ASCII (English) names case-insensitively
    # and only inside runs of printable ASCII (see _lexicon_hits).
    ascii_names = [n for n in names if n.isascii() and n.isprintable()]
    other_names = [n for n in names if n not in set(ascii_names)]
    names_re = _literal_union(other_names, flags=re.IGNORECASE)
    ascii_names_re = _literal_union(ascii_names, flags=re.IGNORECASE)
    ascii_min = min((len(n) for n in ascii_names), default=0)
    # acronyms: case-sensitive, whole tokens; the "no letter before" half is checked by _after_nonletter
    acro_re = re.compile("(?:" + "|".join(re.escape(a) for a in acros) + r")(?![A-Za-z])") if acros else None
    scanner = StartScanner(
        [other_names, (*ASCII_LETTERS, *acros), *UNMARKED_SUFFIX_GROUPS], ignorecase=[True, False, False, False]
    )
    return _Lexicon(entries, by_key, names_re, ascii_names_re, ascii_min, acro_re, scanner)


ASCII_LETTERS = tuple("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz")
# The groups of a lexicon's StartScanner, in order: what each pattern's matches can begin with.
SCAN_NAMES, SCAN_LETTERS, SCAN_UNMARKED_1, SCAN_UNMARKED_2 = range(4)


# --------------------------------------------------------------------------------------------------------------
# kind and level

# Ordered: the first suffix that the (bracket-stripped) title ends with decides. Longer suffixes first.
SUFFIX_KIND: tuple[tuple[str, str], ...] = (
    ("政府工作报告", "policy"),
    ("大报告", "policy"),
    ("实施细则", "regulation"),
    ("细则", "regulation"),
    ("条例", "regulation"),
    ("条令", "regulation"),  # 《中国人民解放军纪律条令》
    ("办法", "regulation"),
    ("规定", "regulation"),
    ("规则", "regulation"),
    ("法规", "regulation"),
    ("法典", "law"),
    ("宪法", "law"),
    ("法案", "law"),
    ("行动计划", "plan"),
    ("规划纲要", "plan"),
    ("纲要", "plan"),
    ("规划", "plan"),
    ("计划", "plan"),
    ("应急预案", "plan"),
    ("预案", "plan"),
    ("实施方案", "policy"),
    ("工作方案", "policy"),
    ("方案", "plan"),
    ("蓝图", "plan"),
    ("指导意见", "policy"),
    ("意见", "policy"),
    ("措施", "policy"),
    ("举措", "policy"),
    ("通知", "policy"),
    ("指南", "policy"),
    ("指引", "policy"),
    ("导则", "policy"),
    ("决定", "policy"),
    ("命令", "policy"),
    ("决议", "policy"),
    ("公告", "policy"),
    ("政策", "policy"),
    ("目录", "policy"),
    ("清单", "policy"),
    ("联合声明", "agreement"),  # 中英《关于香港问题的联合声明》: a treaty between states
    ("谅解备忘录", "agreement"),
    ("备忘录", "agreement"),
    ("协定", "agreement"),
    ("协议", "agreement"),
    ("伙伴关系", "agreement"),
    ("框架", "agreement"),
    ("倡议", "agreement"),
    ("宣言", "agreement"),
    ("公约", "agreement"),
    ("条约", "agreement"),
    ("议定书", "agreement"),
    ("共识", "agreement"),
    ("标准", "standard"),
    ("法通则", "law"),  # 民法通则
    ("通则", "standard"),
    ("准则", "regulation"),  # 《企业会计准则》 (a ministry rule), 《廉政准则》 (the party's)
    ("规范", "standard"),
    ("规程", "standard"),
    ("报告", "report"),
    ("年鉴", "report"),
    ("白皮书", "report"),
    ("蓝皮书", "report"),
    ("绿皮书", "report"),
    ("手册", "report"),
    ("公报", "report"),
    ("年报", "report"),
    ("指数", "report"),
    ("统计", "report"),
    ("资料", "report"),
    ("倡议书", "agreement"),
    ("书", "policy"),
    ("法", "law"),
)
# Works that are neither rules nor sources: magazines, newspapers, games, films.
OTHER_WORK_SUFFIX = (
    "杂志",
    "周刊",
    "月刊",
    "画报",
    "日报",
    "晚报",
    "时报",
    "早报",
    "商报",
    "快报",
    "游戏",
    "电影",
    # forms, licences and certificates a regulation tells people to fill in or obtain (《医疗机构执业许可证》)
    "许可证",
    "执照",
    "登记证",
    "注册证",
    "证书",
    "证明",
    "合格证",
    "登记表",
    "审批表",
    "反馈表",
    "申请表",
    "名单表",
    "税率表",
    "笔录",
    "通知书",
    "决定书",
)
OTHER_WORK_CONTEXT = re.compile(
    r"杂志|期刊|周刊|月刊|游戏|手游|网游|电影|影片|电视剧|纪录片|综艺|节目|动画|动漫|小说|歌曲|专辑|栏目|剧集|主演|上映|玩家|"
    r"话剧|舞剧|音乐剧|戏剧|越剧|粤剧|京剧|歌剧|剧目|文艺作品|文库|展演|热播|播出"
)
# Words that make an unsuffixed title read as a cited study or article (report) rather than a work of art.
RESEARCH_WORDS = re.compile(
    r"研究|分析|发展|建议|对策|路径|机制|影响|问题|探索|实证|视角|测度|评价|理论|经济|贸易|产业|政策|战略|趋势|现状|"
    r"概念|内涵|态势|调查|统计|数据|指标|报告|综述|展望|思考|启示|比较|模式|框架|体系|创新|治理|改革"
)
TRAIL_BRACKET_RE = re.compile(r"(?:[（(][^（）()]{0,20}[)）]|[\d\-~～—–年版第期卷]+)+$")


def _strip_trailing(name: str) -> str:
    """Drop trailing (2021~2022) / （试行） / 2022 / 2023年版 so that the suffix shows."""
    core = TRAIL_BRACKET_RE.sub("", name)
    return core or name


STANDARD_AFTER = re.compile(r"》?(?:[、和及]?《[^》]{1,30}》)*等?[\d一二三四五六七八九十]*[项份个部条]?(?:国家|行业|团体|地方|企业)?标准")
_BINDING_SUFFIXES = ("法", "条例", "规定", "办法", "细则")


# A genre word right before a title: the title is a work of art, whatever its last word (纪录片《两岸家书》).
GENRE_BEFORE_RE = re.compile(
    r"(?:电视剧|连续剧|电影|影片|纪录片|专题片|话剧|舞剧|音乐剧|歌剧|戏剧|越剧|粤剧|京剧|豫剧|黄梅戏|动画片?|歌曲|专辑|"
    r"游戏|手游|综艺|栏目|节目|小说|诗集|图书|丛书|杂志|期刊)$"
)
# 《中共中央关于制定…的建议》: the party's proposal for a five-year plan is a policy document, not a study
PROPOSAL_RE = re.compile(r"关于制定.{4,}建议$")
# Words after 法 that make a method, not a law (工作法, 画法, 执法 …); see also GENERIC_UNMARKED_RE.
NOT_LAW_FA_RE = re.compile(r"(?:方|做|说|想|看|(?<!预)算|手|语|书|画|兵|魔|戏|作|执|写|读|(?<!测)绘|打|玩|吃|疗|技|普)法$")


def _suffix_kind(core: str) -> str | None:
    """Kind that the last word of a bracket-stripped title says, or None (a title without a rule or report
    word: a cited article, a slogan, a work of art)."""
    if PROPOSAL_RE.search(core):
        return "policy"
    for suffix, kind in SUFFIX_KIND:
        if core.endswith(suffix):
            if suffix == "法" and NOT_LAW_FA_RE.search(core):
                return None
            return kind
    return None


def _genre_before(name: str, context: str) -> bool:
    """The context names a genre (电影, 纪录片 …) right before the title ``name``."""
    at = context.find(name)
    return at > 0 and GENRE_BEFORE_RE.search(context[:at].rstrip("《“\"「 ")) is not None


def rule_kind(name: str, context: str = "") -> str:
    """Kind of a cited title from its suffix; titles without a rule suffix are reports or other works."""
    core = _strip_trailing(flat(name).strip("《》“”\"'"))
    if core.endswith(OTHER_WORK_SUFFIX):
        return "other_work"
    if context and _genre_before(flat(name).strip("《》“”\"'"), context):
        return "other_work"
    if context and "标准" in context and not core.endswith(_BINDING_SUFFIXES):
        at = context.find(name)
        if at >= 0 and STANDARD_AFTER.match(context, at + len(name)):
            return "standard"  # 《共建方通则》《建设指南》等8份标准: the text says what they are
    kind = _suffix_kind(core)
    if kind is not None:
        return kind
    if context and OTHER_WORK_CONTEXT.search(context):
        return "other_work"
    if re.search(
        r"[" + CJK + r"](?:19|20)\d\d$", flat(name)
    ):  # 中国制造2025, 健康中国2030: a programme with a horizon
        return "plan"
    if len(core) >= 8 or RESEARCH_WORDS.search(core):
        return "report"
    return "other_work"


CITIES = (
    "广州",
    "深圳",
    "珠海",
    "佛山",
    "东莞",
    "杭州",
    "宁波",
    "温州",
    "南京",
    "苏州",
    "无锡",
    "成都",
    "武汉",
    "西安",
    "长沙",
    "郑州",
    "济南",
    "青岛",
    "厦门",
    "福州",
    "合肥",
    "南昌",
    "昆明",
    "贵阳",
    "南宁",
    "海口",
    "三亚",
    "沈阳",
    "大连",
    "长春",
    "哈尔滨",
    "石家庄",
    "太原",
    "呼和浩特",
    "兰州",
    "西宁",
    "银川",
    "乌鲁木齐",
    "拉萨",
    "义乌",
    "雄安",
)
PROVINCE_RE = re.compile(
    "(?:" + "|".join(PROVINCES) + r")(?:省|市|自治区|壮族自治区|回族自治区|维吾尔自治区|特别行政区)?"
)
CITY_RE = re.compile("(?:" + "|".join(CITIES) + r")市?|[" + CJK + r"]{2,4}(?<!城)市(?!场)")  # 无废城市 is no city
DISTRICT_RE = re.compile(r"[" + CJK + r"]{2,4}(?:(?<!自治)(?<!行政)区|县)(?:人民政府|委员会)")
# a title that opens with a district or county name (天河区推动…, 广州市天河区…, 某某县…), not with a zone word
DISTRICT_TITLE_RE = re.compile(
    r"^(?:[" + CJK + r"]{2,4}市)?(?!自贸|自治|行政|试验|示范|开发|保税|高新|经济|园|片|新|功能|城|市|景|社|街|辖)"
    r"[" + CJK + r"]{1,2}(?![地城园社景郊山牧灾片矿战湾林库疫辖老])[" + CJK + r"](?:区|县)(?![域别间内外])"
)
# a title that opens with a city's new area, development zone or free-trade area (广州南沙新区…, 广州开发区…,
# 上海市浦东新区…): a district-level unit of that city
CITY_ZONE_TITLE_RE = re.compile(
    r"^(?:(?:" + "|".join((*(c for c in CITIES if c != "雄安"), "北京", "天津", "上海", "重庆")) + r")市?|[" + CJK + r"]{2,4}市)"
    r"[" + CJK + r"]{0,4}?(?:新区|开发区|高新区|片区)"
)
NATIONAL_RE = re.compile(
    r"^(?:(?:19|20)\d\d年?)?(?:中华人民共和国|国务院|全国人大|全国人民代表大会|中共中央|中国共产党|中央|国家|全国|中国|我国|“十[一二三四五六七八九]五”|十[一二三四五六七八九]五)|"
    r"中国[（(]|国务院|全国人大|中共中央|党中央|[^省市]部(?:关于|$)|总局|国家[" + CJK + r"]{1,6}局|委员会关于"
)
NATIONAL_OPENING_RE = re.compile(r"(?:(?:19|20)\d\d年?)?(?:中华人民共和国|中国|全国|国家|我国)")
INTERNATIONAL_RE = re.compile(
    r"国际|全球|世界|联合国|世贸|WTO|欧盟|欧洲|美国|日本|韩国|英国|德国|法国|东盟|金砖|上合|二十国|G20|APEC|亚太|"
    r"双边|多边|经合组织|OECD|非洲|拉美|一带一路|伙伴关系|跨太平洋|跨大西洋"
)
# A ministry (商务部, 工业和信息化部), not a region (东西部, 中西部), a part (全部, 内部, 局部) or a verb (部署).
MINISTRY = r"(?<![省市县区东西南北中全内外局干各总本乐头上下基委])部(?![门分署队落位长件])"
ISSUER_NATIONAL_CONTEXT = re.compile(
    r"国务院|中共中央|党中央|全国人大|(?<![省市区州县])人大常委会|" + MINISTRY + r"|国家[" + CJK + r"]{1,8}局|中央|我国"
)
ISSUER_PROVINCE_CONTEXT = re.compile(
    r"省(?:委|政府|人民政府|人大(?:常委会)?|[" + CJK + r"]{1,4}(?:厅|联|办公室|委员会))|自治区(?:党委|政府|人民政府|人大(?:常委会)?)|"
    r"我省|本省|全省"
)
ISSUER_CITY_CONTEXT = re.compile(r"市(?:委|政府|人民政府|人大(?:常委会)?)|我市|本市|全市")
# A title that opens with the bare level word: 省历史文化名城保护条例, 自治区社会信用条例, 省委若干规定.
PROVINCE_OPENING_RE = re.compile(r"^(?:省(?:委|政府|人民政府|人大)?|自治区(?:党委|政府|人民政府)?|全省)(?!份|会|级|内|外|际)")
CITY_OPENING_RE = re.compile(r"^(?:市(?:委|政府|人民政府|人大)|全市)")


def rule_level(name: str, kind: str, context: str = "", *, clause: str = "") -> str | None:
    """Level of a rule from place names and issuers in its title, then from the text just before it.

    ``context`` is the text right before the title (about 20 characters); ``clause`` the whole clause before it
    (back to the last 。；), read for an agreement's parties."""
    level = level_evidence(name, kind, context, clause=clause)
    if level is not None or kind in {"report", "other_work"}:
        return level
    return "national"


def level_evidence(name: str, kind: str, context: str = "", *, clause: str = "") -> str | None:
    """Level that the title, or the issuer just before it, shows; None when nothing shows one (the caller then
    chooses: national for a rule, none for a report, or the document's own place, see ``_home_level``)."""
    core = flat(name).strip("《》")
    if kind == "agreement":
        if not _domestic_agreement(core, clause or context):
            return "international"
        # an MoU or framework agreement between domestic parties: its signer's level (the title's place, the party
        # before 与), else the caller's choice (the document's own place, see ``_LOCAL_KINDS``)
        return _title_place_level(core) or _party_level(clause or context)
    if kind == "other_work":
        return None
    issuer = _publisher_level(context) if kind not in {"law", "report"} else None
    if issuer is not None:
        # an explicit issuer right before the title (国务院印发的《广州南沙…总体方案》) wins over a place in the title,
        # not over a national title (省政府转发《国务院…》 reads no issuer anyway)
        own = level_evidence(name, kind)
        if own in {None, "provincial", "municipal", "district"}:
            return issuer
        return own
    if kind == "report" and _suffix_kind(_strip_trailing(core)) is None:
        # a study or article cited by its title (《打造数字经济发展高地…》 by its authors) has no level, unless it
        # speaks for the country (《中国应对气候变化的政策与行动》, a white paper)
        return "national" if NATIONAL_OPENING_RE.match(core) else None
    if DISTRICT_RE.search(core) or DISTRICT_TITLE_RE.match(core) or CITY_ZONE_TITLE_RE.match(core):
        return "district"
    if kind in {"regulation", "law"} and re.match(
        r"^(?:欧盟|美国|日本|英国|欧洲|德国|法国|韩国|新加坡|澳大利亚|加州|印度)", core
    ):
        return "international"
    if kind == "law":
        # 法 are passed by the national legislature, whatever place they concern (香港特别行政区基本法) and whoever
        # is named before one (本省…符合仲裁法), unless a foreign state passed it (美国制定了所谓《与台湾关系法》)
        if context and FOREIGN_LEGISLATOR_RE.search(context):
            return "international"
        return "national" if NATIONAL_RE.search(core) else None
    if PROVINCE_OPENING_RE.match(core):
        return "provincial"
    if CITY_OPENING_RE.match(core):
        return "municipal"
    zone = FREE_TRADE_ZONE_RE.match(core)
    if zone and kind == "regulation":
        # a free-trade zone's 条例/办法 is its province's (or city's) legislation, while its 总体方案 is the State
        # Council's: 《中国（上海）自由贸易试验区条例》 is Shanghai's
        return _place_level(zone.group(1)) or "provincial"
    if NATIONAL_RE.search(core):
        return "national"
    place = _place_level(core)
    if place:
        return place
    if kind != "report" and re.search(
        r"^(?:联合国|世界|国际|全球|WTO|OECD|经合组织|二十国|G20|APEC|亚太|东盟|金砖|上合)", core
    ):
        return "international"
    if "全省" in core:
        return "provincial"
    return _issuer_level(context) if context else None


# A foreign state passing the law named right after: 美国制定了所谓《…法》, 日本国会通过的《…法》.
FOREIGN_LEGISLATOR_RE = re.compile(
    r"(?:美国|日本|英国|欧盟|德国|法国|韩国|俄罗斯|印度|澳大利亚|加拿大|新加坡)(?:国会|议会|政府|众议院|参议院)?"
    r"[^，。；]{0,3}(?:制定|通过|颁布|出台|签署)[^，。；]{0,4}$"
)
FREE_TRADE_ZONE_RE = re.compile(r"中国[（(]([" + CJK + r"]{2,8})[）)]")

# A foreign party, an international body or a pair of states in an agreement's title or the clause before it.
FOREIGN_STATES = (
    "美国|日本|韩国|朝鲜|英国|德国|法国|意大利|西班牙|葡萄牙|荷兰|比利时|瑞士|瑞典|挪威|芬兰|丹麦|冰岛|爱尔兰|奥地利|希腊|"
    "波兰|匈牙利|捷克|塞尔维亚|俄罗斯|白俄罗斯|乌克兰|土耳其|以色列|伊朗|沙特|阿联酋|卡塔尔|埃及|南非|尼日利亚|埃塞俄比亚|"
    "肯尼亚|印度|巴基斯坦|孟加拉|斯里兰卡|尼泊尔|蒙古|哈萨克斯坦|乌兹别克斯坦|吉尔吉斯斯坦|塔吉克斯坦|土库曼斯坦|越南|老挝|"
    "柬埔寨|缅甸|泰国|马来西亚|新加坡|印度尼西亚|印尼|菲律宾|文莱|澳大利亚|新西兰|加拿大|墨西哥|巴西|阿根廷|智利|秘鲁|古巴"
)
INTERNATIONAL_PARTY_RE = re.compile(
    r"(?:" + FOREIGN_STATES + r")|联合国|世贸|WTO|世界银行|世界卫生|世界贸易|国际货币|经合组织|OECD|欧盟|欧洲|东盟|金砖|上合|"
    r"二十国|G20|APEC|亚太|非洲|拉美|阿拉伯|海合会|中亚|中东欧|一带一路|丝绸之路|沿线|多边|双边|跨太平洋|跨大西洋|"
    r"各国|两国|国与国|成员国|缔约|\d+个国家|[多数几]十?个国家|国际组织|自由贸易协定|自贸协定|投资协定|"
    r"^中[美日韩英德法俄欧非澳新加巴印意荷瑞泰越老柬缅蒙哈乌吉塔土以埃沙阿马菲智秘古]"
)
# Treaty words: an agreement so named is between states, whoever the text names.
TREATY_SUFFIXES = ("公约", "条约", "议定书", "联合声明", "宣言", "协定")
# Domestic signers: a government body, a company, a university, a place.
DOMESTIC_PARTY_RE = re.compile(
    r"公司|集团|大学|学院|研究院|研究所|银行|医院|协会|商会|联合会|政府|管委会|[省市区县](?:委|政府)|"
    r"厅|局|委员会|办公室|中心|[省市区县](?:与|和|同)"
)
DISTRICT_PARTY_RE = re.compile(
    r"(?:区|县)(?:委|政府|人民政府|管委会|管理委员会|[" + CJK + r"]{1,8}局)"
)


def _domestic_agreement(core: str, clause: str) -> bool:
    """An MoU or framework agreement whose signers are domestic (a district bureau and a company, a city and a
    national agency): domestic parties are named in the title or the clause before it and no foreign party, no
    international body and no pair of states is named, and the title is no treaty (公约, 协定 …)."""
    if core.endswith(TREATY_SUFFIXES) or INTERNATIONAL_PARTY_RE.search(core) or INTERNATIONAL_PARTY_RE.search(clause):
        return False
    return DOMESTIC_PARTY_RE.search(core) is not None or DOMESTIC_PARTY_RE.search(clause) is not None


def _party_level(clause: str) -> str | None:
    """Level of the signer named before 与/同/和 in the clause before an agreement (南沙开发区工业和信息化局与…公司签订),
    None when the clause opens with the partner (与国家…中心签署: the signer is the text's own place)."""
    subject = re.split(r"[与同]", clause, maxsplit=1)[0] if re.search(r"[与同]", clause) else ""
    if not subject:
        return None
    if DISTRICT_PARTY_RE.search(subject):
        return "district"
    return _issuer_level(subject)


def _title_place_level(core: str) -> str | None:
    """Level that a place or a bare level word in a title shows (no issuer read)."""
    if DISTRICT_RE.search(core) or DISTRICT_TITLE_RE.match(core) or CITY_ZONE_TITLE_RE.match(core):
        return "district"
    if PROVINCE_OPENING_RE.match(core):
        return "provincial"
    if CITY_OPENING_RE.match(core):
        return "municipal"
    return _place_level(core)


# An issuer that the text says published the title right after it: 国务院印发的《…》, 省政府办公厅近日印发《…》.
PUBLISH_VERB_RE = re.compile(r"(?:印发|发布|颁布|出台|制定|公布)(?:了|的)?[《“]?$")


def _publisher_level(context: str) -> str | None:
    """Level of an issuer named (not 我省/全市: the text's own place) in the clause right before a publishing verb
    that ends ``context``; None when no verb ends it or no issuer precedes the verb."""
    m = PUBLISH_VERB_RE.search(context)
    if m is None:
        return None
    stretch = re.split(r"[，。；、：！？\n]", context[: m.start()])[-1]
    stretch = re.sub(r"我省|本省|全省|我市|本市|全市|我国", "", stretch)
    return _issuer_level(stretch) if stretch else None


# The four municipalities directly under the central government (直辖市) are province-level units: their rules,
# reports and government are coded "provincial" whether a text writes 北京 or 北京市, and a bare 市委/市政府/本市 in a
# document of one of them is provincial too (see ``_with_own_levels``). "municipal" is kept for prefecture-level and
# sub-provincial cities (广州, 深圳). One convention, so that 《北京市…条例》 and 《北京…规划》 count alike.
MUNICIPALITIES = ("北京", "天津", "上海", "重庆")


def _place_level(place: str) -> str | None:
    """The level of a bare place name (广东 and 北京 provincial, 深圳 municipal), as the title tests above read it."""
    if PROVINCE_RE.search(place):
        return "provincial"
    return "municipal" if CITY_RE.search(place) else None


def _bare_city(name: str, kind: str) -> bool:
    """A municipal level that no named city shows: the title opens with 市委/市政府/全市, or only the issuer before
    it (市政府印发…) made it municipal."""
    core = flat(name).strip("《》")
    return CITY_OPENING_RE.match(core) is not None or level_evidence(name, kind) != "municipal"


def _issuer_level(context: str) -> str | None:
    """Level of the issuer named nearest before a title (省工商联等部门联合印发《…》 is provincial)."""
    best, best_end = None, -1
    for rx, level in (
        (ISSUER_CITY_CONTEXT, "municipal"),
        (ISSUER_PROVINCE_CONTEXT, "provincial"),
        (ISSUER_NATIONAL_CONTEXT, "national"),
    ):
        for m in rx.finditer(context):
            if m.end() > best_end:
                best, best_end = level, m.end()
    return best


# --------------------------------------------------------------------------------------------------------------
# patterns

# one line break inside the marks, or one right after 《 and one right before 》 (PDF lines: 《\n国防法\n》)
TITLE_RE = re.compile(r"《(\n?[^《》\n]{1,100}?(?:\n[^《》\n]{0,100}?)?\n?)》")
BRACKET_ACRONYM_RE = re.compile(r"\s*[（(]\s*([A-Za-z][A-Za-z0-9\-\.& ]{1,30}?)\s*[）)]")
DOC_NUMBER_RE = re.compile(
    r"\s*[（(]?\s*(["
    + CJK
    + r"]{1,12}\s*[〔\[［【(（]\s*(?:19|20)\d\d\s*[〕\]］】)）]\s*第?\s*\d{1,4}\s*号)\s*[）)]?"
)
ARTICLES_RE = re.compile(
    r"(?:[、，,和及与至]?\s*第[零〇一二三四五六七八九十百千\d]{1,6}条(?:第[零〇一二三四五六七八九十百千\d]{1,4}款)?(?:第[零〇一二三四五六七八九十\d]{1,4}项)?)+"
)
ARTICLE_RE = re.compile(
    r"第[零〇一二三四五六七八九十百千\d]{1,6}条(?:第[零〇一二三四五六七八九十百千\d]{1,4}款)?(?:第[零〇一二三四五六七八九十\d]{1,4}项)?"
)
QUOTED_SUFFIXES = (
    "法",
    "条例",
    "办法",
    "规定",
    "细则",
    "规划",
    "纲要",
    "行动计划",
    "实施方案",
    "意见",
    "若干措施",
    "协定",
    "协议",
    "公约",
    "倡议",
    "白皮书",
)
QUOTED_RE = re.compile(r"“([^“”\n]{2,40}?(?:" + "|".join(QUOTED_SUFFIXES) + r"))”")
QUOTED_PLUS_RE = re.compile(
    r"“([^“”\n]{2,16})”(["
    + CJK
    + r"]{0,8}?(?:谅解备忘录|备忘录|合作协定|伙伴关系协定|协定|合作协议|协议|宣言|倡议|合作框架|伙伴关系框架))"
)
# Every match ends with 报告 and is at most CONGRESS_MAX characters long (党的第十二次全国代表大会的报告), so it is
# searched only in windows before each 报告 (a lookahead-led alternation would be tried at every position).
CONGRESS_MAX = 16
CONGRESS_REPORT_RE = re.compile(
    r"(?=[党中第一二三四五六七八九十今去本政])(?:党的|中共)?(?:第?[一二三四五六七八九十]{1,3}次全国代表大会|十[一二三四五六七八九]?大|二十大|二十届[一二三四五六七八九]中全会)(?:的)?(?:报告)"
    r"|(?<![《“])(?:今年|去年|本届)?政府工作报告"
)
ALIAS_SUFFIXES = (
    "规划",
    "纲要",
    "报告",
    "意见",
    "条例",
    "办法",
    "方案",
    "决定",
    "通知",
    "计划",
    "规定",
    "细则",
    "协定",
    "措施",
    "若干措施",
    "指南",
    "法",
    "行动计划",
    "实施方案",
    "指导意见",
    "建议",
    "公约",
    "标准",
    "白皮书",
    "决议",
    "年鉴",
)
ALIAS_RE = re.compile(
    r"^(?:本|该|此|上述|这个)?("
    + "|".join(sorted(ALIAS_SUFFIXES, key=len, reverse=True))
    + r")(?:草案|[（(](?:草案|试行|征求意见稿|修订|修正|送审稿)[)）])?$"
)

# Unmarked law / regulation names.
# A match must follow a CJK character; _after_cjk checks that (a leading lookbehind is slow, see _literal_union).
UNMARKED_SUFFIXES = ("法典", "法", "条例", "实施细则", "办法", "规定")  # tried in this order
UNMARKED_SUFFIX_RE = re.compile(
    "(?:" + "|".join(UNMARKED_SUFFIXES) + ")(?!律|规|院|人|官|治|制|庭|学|务|定|理|宝)"
)
# Two scanner groups: a one-character suffix lets any character follow, the others pin their second character.
UNMARKED_SUFFIX_GROUPS = (
    tuple(x for x in UNMARKED_SUFFIXES if len(x) == 1),
    tuple(x for x in UNMARKED_SUFFIXES if len(x) > 1),
)
_CJK_CHAR_RE = re.compile("[" + CJK + "]")
UNMARKED_STOP_CHARS = set("的了在是等并且而也都又其该本这那要应须即把被将向从由及或和与")
# A run of U+4E00-U+9FFF characters other than the stop characters.
UNMARKED_RUN_RE = re.compile("[^\x00-\u4dff\ua000-\U0010ffff" + "".join(sorted(UNMARKED_STOP_CHARS)) + "]*")
UNMARKED_CUT_WORDS = (
    "根据",
    "依据",
    "按照",
    "依照",
    "遵照",
    "贯彻",
    "实施",
    "落实",
    "出台",
    "制定",
    "修订",
    "修改",
    "颁布",
    "印发",
    "发布",
    "通过",
    "施行",
    "执行",
    "违反",
    "遵守",
    "参照",
    "适用",
    "对接",
    "签署",
    "加入",
    "签订",
    "生效",
    "我国",
    "我省",
    "我市",
    "加快",
    "推动",
    "推进",
    "完善",
    "研究",
    "起草",
    "审议",
    "废止",
    "健全",
    "以及",
    "包括",
    "例如",
    "比如",
    "其中",
    "以下简称",
    "成立",
    "完成",
    "有权",
    "采取",
    "推广",
    "推行",
    "履行",
    "坚持",
    "符合",
    "对照",
    "违背",
    "依法",
    "下称",
    "简称",
    "新修订",
    "新",
    "有关",
    "相关",
    "这部",
    "该部",
    "一部",
    "首部",
    "全面",
    "认真",
    "严格",
    "深入",
)
CUT_RE = re.compile("|".join(sorted(UNMARKED_CUT_WORDS, key=len, reverse=True)))
UNMARKED_TRIGGER_RE = re.compile(
    r"(?:根据|依据|按照|依照|遵照|贯彻|实施|落实|出台|制定|修订|修改|颁布|印发|发布|审议通过|施行|执行|违反|遵守|参照|适用)["
    + CJK
    + r"]{0,2}$"
)
LEGAL_COMPOUND_RE = re.compile(
    r"(?:保护|安全|促进|管理|组织|诉讼|监督|保障|防治|征收|应对|竞争|投资|贸易|商务|签名|合同|公司|劳动|商标|专利|著作权|"
    r"预算|审计|统计|保险|证券|银行|税|海关|教育|许可|处罚|招标投标|采购|破产|仲裁|物权|反垄断|反洗钱|反恐怖主义|基本)法$"
    r"|(?:管理|实施|暂行|保护|安全|监督|条例实施|登记|办理)(?:条例|办法|细则)$|(?:暂行|若干|管理|补充|实施)规定$"
)
GENERIC_UNMARKED = {
    "管理办法",
    "实施办法",
    "暂行办法",
    "管理条例",
    "实施细则",
    "暂行规定",
    "若干规定",
    "管理规定",
    "补充规定",
    "实施条例",
    "有关规定",
    "相关规定",
    "具体办法",
    "保护法",
    "安全法",
    "促进法",
    "管理法",
    "组织法",
    "诉讼法",
}
# Words ending in 法 that are not laws (执法, 方法 …) and openings of generic phrases (具体办法, 有关规定 …).
GENERIC_UNMARKED_RE = re.compile(
    r"(?:执|立|司|守|违|合|非|依|方|做|说|想|看|(?<!预)算|手|语|书|用|变|兵|魔|戏|网|王|国|宪|军|家|章|刀|笔|疗|技|句|文|作|画|"
    r"(?<!测)绘|写|读|打|玩|吃|普|效|取|施)法$|"
    r"^(?:具体|有关|相关|这些|各项|配套|一些|若干|其他|其它|上述|下列|以下|现行|原有|新的|各种|各类)"
)
# Three-character law names whose first two characters name a legal field (仲裁法, 证券法), not a function (保护法).
SHORT_LAW_FIELDS = (
    r"(?:合同|公司|劳动|商标|专利|预算|审计|统计|保险|证券|银行|海关|教育|破产|仲裁|物权|票据|信托|担保|兵役|国防|档案|测绘|"
    r"森林|草原|渔业|土地|种子|药品|律师|法官|检察官|警察|公证|会计|外资|对外贸易)法$"
)
SHORT_LAW_RE = re.compile("^" + SHORT_LAW_FIELDS)
# a verb or preposition glued before such a law (镇人民政府有统计法第三十八条…, 按统计法): the law starts after it
SHORT_LAW_AFTER_VERB_RE = re.compile(r"[有无按依照据对凭用经](?=" + SHORT_LAW_FIELDS + ")")
SHORT_LAWS = (
    "宪法",
    "刑法",
    "民法典",
    "民法通则",
    "物权法",
    "合同法",
    "公司法",
    "劳动法",
    "商标法",
    "专利法",
    "税法",
)


def _title_hits(text: str, mask: Mask) -> list[_Hit]:
    hits = []
    for m in TITLE_RE.finditer(text):
        name = flat(m.group(1))
        if not name or len(name) > 80:
            continue
        hits.append(_Hit(m.start(), m.end(), flat(m.group(0)), name, "title"))
        mask.take(m.start(), _bracket_end(text, m.end()))
    return hits


@lru_cache(maxsize=8)
def _ascii_run_re(min_len: int) -> re.Pattern[str]:
    return re.compile(rf"[A-Za-z][ -~]{{{max(min_len - 1, 0)},}}")


def _ascii_name_matches(text: str, lex: _Lexicon, letters: list[int]) -> Iterator[re.Match[str]]:
    """English lexicon names, searched only in runs of printable ASCII long enough to hold one.

    Every such name starts with a letter and is printable ASCII, so each match lies inside a run that starts
    at a letter (``letters``: the offsets of every ASCII letter); case-insensitive alternations cannot skip ahead
    by first character, hence the runs.
    """
    rx = lex.ascii_names_re
    if rx is None:
        return
    for run in iter_matches_at(_ascii_run_re(lex.ascii_min), text, letters):
        yield from rx.finditer(text, run.start(), run.end())


def _after_nonletter(text: str, start: int) -> bool:
    """No Latin letter right before ``start`` (the ``(?<![A-Za-z])`` of acronyms)."""
    return start == 0 or not (text[start - 1].isascii() and text[start - 1].isalpha())


def _lexicon_hits(text: str, mask: Mask, lex: _Lexicon, starts: list[list[int]]) -> list[_Hit]:
    hits = []
    letters = starts[SCAN_LETTERS]
    passes = (
        (iter_matches_at(lex.names_re, text, starts[SCAN_NAMES]) if lex.names_re else (), "lexicon"),
        (_ascii_name_matches(text, lex, letters), "lexicon"),
        (iter_matches_at(lex.acro_re, text, letters, accept=_after_nonletter) if lex.acro_re else (), "acronym"),
    )
    for matches, source in passes:
        for m in matches:
            if mask.free(m.start(), m.end()):
                hits.append(_Hit(m.start(), m.end(), m.group(0), m.group(0), source))
                mask.take(m.start(), _bracket_end(text, m.end()))
    return hits


def _bracket_end(text: str, end: int) -> int:
    """End of a bracketed acronym right after a name (《…》（DEPA）), so the acronym is not a second mention."""
    m = BRACKET_ACRONYM_RE.match(text, end)
    return m.end() if m else end


def _alias_fits(suffix: str, name: str) -> bool:
    core = _strip_trailing(name)
    return core.endswith(suffix) or (suffix == "规划" and "规划" in core)


def _quoted_hits(text: str, mask: Mask) -> list[_Hit]:
    hits = []
    for rx in (QUOTED_PLUS_RE, QUOTED_RE):
        for m in rx.finditer(text):
            if not mask.free(m.start(), m.end()):
                continue
            if rx is QUOTED_RE:
                s, e, surface, name = m.start(1), m.end(1), flat(m.group(1)), flat(m.group(1))
                if len(name) < 4 or rule_kind(name) in {"report", "other_work"}:
                    continue
            else:
                s, e, surface = m.start(), m.end(), flat(m.group(0))
                name = surface
            hits.append(_Hit(s, e, surface, name, "quoted"))
            mask.take(m.start(), m.end())
    for core in _PLAN_PERIOD_CORE_RE.finditer(text) if "五" in text else ():
        # the core opens with a literal 十 (a fast scan); the quote and the place word before it are read after
        s, e = core.start(), core.end()
        if s and text[s - 1] in "“\"":
            s -= 1
        lead = _PLAN_PREFIX_RE.search(text, max(0, s - 2), s)
        prefix = lead.group() if lead is not None else ""
        s -= len(prefix)
        if not mask.free(s, e) or (s and not prefix and not _plan_ref_start(text, s)):
            continue  # 科技创新“十四五”规划 is the tail of a longer (unmarked) name, not the five-year plan
        surface = flat(text[s:e])
        # a bare “十四五”规划 in a province's or a city's text is its own plan (国家“十四五”规划 is the country's)
        hits.append(_Hit(s, e, surface, surface, "quoted", local=prefix not in ("国家", "全国")))
        mask.take(s, e)
    for m in _congress_matches(text):
        if mask.free(m.start(), m.end()):
            surface = m.group(0)
            name = re.sub(r"^(?:今年|去年|本届)", "", surface)
            hits.append(_Hit(m.end() - len(name), m.end(), name, name, "unmarked"))
            mask.take(m.start(), m.end())
    return hits


# a five-year plan named by its period: “十四五”规划, 国家“十四五”规划纲要, 十五五规划
_PLAN_PERIOD_RULE_RE = re.compile(
    r"(?P<prefix>国家|全国|全省|全市|我省|我市|省|市)?[“\"]?十[一二三四五]五[”\"]?(?:时期)?(?:发展)?规划(?:纲要)?"
)
_PLAN_PERIOD_CORE_RE = re.compile(r"十[一二三四五]五[”\"]?(?:时期)?(?:发展)?规划(?:纲要)?")
_PLAN_PREFIX_RE = re.compile(r"(?:国家|全国|全省|全市|我省|我市|省|市)$")
# what may stand right before such a reference: punctuation, or a verb / particle that governs it
_PLAN_REF_BEFORE = re.compile(
    r"(?:编制|制定|实施|完成|落实|对接|衔接|谋划|编好|推进|贯彻|按照|根据|依据|围绕|对标|纳入|列入|开局|收官|是|的|和|与|及|、)$"
)


def _plan_ref_start(text: str, start: int) -> bool:
    """A five-year plan reference may start here: after punctuation or space, or a verb or particle governing it."""
    prev = text[start - 1]
    return not ("\u4e00" <= prev <= "\u9fff") or _PLAN_REF_BEFORE.search(text, max(0, start - 2), start) is not None


# A plan or policy document named without 《》: right after the verb that issues, adopts or carries it out
# (出台新一轮义乌国际贸易综合改革总体方案, 实施宁波舟山港总体规划, 制定促进…的指导意见), or opening its clause and
# approved or issued right after (，宁波舟山港总体规划正式获批). The name ends with a document word that no programme
# or goal ends with and runs back to the last such verb or to the clause start; found from the document words (a
# literal scan), not by trying a name at every position.
_DOC_SUFFIX_SCAN_RE = re.compile(
    r"总体方案|实施方案|行动方案|工作方案|总体规划|发展规划|专项规划|指导意见|实施意见|若干措施|若干政策|若干意见"
    r"|行动计划|政策措施|增量举措|任务清单"
)
_DOC_SUFFIX_RE = re.compile(rf"(?:{_DOC_SUFFIX_SCAN_RE.pattern})$")
_DOC_VERB_RE = re.compile(r"出台|制定|印发|发布|编制|获批|批复|修订|实施|落实|贯彻|推出|完成|对照|按照|依据|根据")
_DOC_PREPOSITIONS = frozenset({"对照", "按照", "依据", "根据"})  # (对照…实施方案和“十四五”规划, 根据国家电力发展规划)
_CLAUSE_VERB_RE = re.compile(r"及时|完善|加强|调整|优化|研究|抓紧|尽快")
# a description before the name: 出台全国首份数据经纪人试点工作方案
_DOC_LEAD_RE = re.compile(r"(?:全国|全省|全市|国内|省内)?(?:首份|首个|首部|第一份|第一个)")
_DOC_AFTER_VERB_RE = re.compile(r"(?:正式|顺利)?(?:获批|获国务院批复|印发|出台|发布)")
_DOC_NAME_STOP = frozenset("，。；：、“”《》（）()\n\t ")
_DOC_NAME_END = re.compile(r"[，。；、）)]|$|和|及|等")
_NOT_DOC_START = frozenset("在并和及于将把对向从为与内")
_DOC_LIST_RE = re.compile(r"等|一系列|新一轮总体")
# 和/及 after a document word lists two documents (出台产业政策和三年行动计划); between two aims it is inside one
# name (制造业智能化改造和数字化转型三年行动计划)
_DOC_PAIR_RE = re.compile(r"(?:政策|方案|规划|计划|意见|办法|措施|举措|任务|清单|决定|条例|细则|法|纲要)(?:和|及|以及)|^(?:和|及)")
_DESCRIBED_MEASURES = re.compile(r"的|各项|系列|有关|相关")
# what opens a generic reference (有关规划, 相关实施方案, 配套政策): no one document
_GENERIC_DOC_START = re.compile(
    r"^(?:相关|有关|配套|各项|各类|一批|系列|专项|年度|本地|各地|本级|上级|省级|市级|县级|地方|中长期|总体)"
)


def _generic_doc(name: str, suffix: str) -> bool:
    """A reference to no one document: a generic opener and at most two characters before the document word
    (相关实施方案, 省级专项规划, 配套政策措施); 省级航运服务业发展规划 names one."""
    g = _GENERIC_DOC_START.match(name)
    return g is not None and len(name) - g.end() - len(suffix) < 3


def _short_pair(lead: str) -> bool:
    """和/及 with at most two characters on a side (财政和金融政策措施, 规划及实施方案): a list of kinds, not one name."""
    parts = re.split("和|及", lead)
    return len(parts) > 1 and min(len(p) for p in parts[:-1]) <= 2


def _unmarked_doc_hits(text: str, mask: Mask) -> list[_Hit]:
    hits = []
    for m in _DOC_SUFFIX_SCAN_RE.finditer(text):
        e = m.end()
        if not _DOC_NAME_END.match(text, e) and not _DOC_AFTER_VERB_RE.match(text, e):
            continue
        lo = m.start()
        while lo > 0 and m.start() - lo < 48 and text[lo - 1] not in _DOC_NAME_STOP:
            lo -= 1
        run = text[lo : m.start()]  # the clause up to the document word
        verbs = list(_DOC_VERB_RE.finditer(run))
        if not verbs and lo > 0 and text[lo - 1] == "、":
            # a title that lists two aims (制定实施促进人才有序流动、推动教科人一体化发展的指导意见): its verb is before the 、
            lo2 = lo - 1
            while lo2 > 0 and m.start() - lo2 < 48 and text[lo2 - 1] not in _DOC_NAME_STOP:
                lo2 -= 1
            wider = list(_DOC_VERB_RE.finditer(text, lo2, lo - 1))
            if wider:
                lo, run = lo2, text[lo2 : m.start()]
                verbs = [v for v in _DOC_VERB_RE.finditer(run)]
        if verbs:  # 制定并有序实施三大攻坚战三年行动方案: the name starts after the last verb that governs it
            cut = verbs[-1].end()
            while cut < len(run) and run[cut] in "了好":
                cut += 1
        elif (lo == 0 or text[lo - 1] in "，。；：\n") and _DOC_AFTER_VERB_RE.match(text, e):
            cut = 0  # ，宁波舟山港总体规划正式获批
        else:
            continue
        s = lo + cut
        if not mask.free(s, e):  # 出台A行动计划和B政策措施: the second of two documents the verb issues
            j = max(text.rfind("和", s, m.start()), text.rfind("及", s, m.start()))
            if j < 0 or mask.free(j - 1, j) or not mask.free(j + 1, e):
                continue
            s, run, cut = j + 1, text[j + 1 : m.start()], 0
        lead = _DOC_LEAD_RE.match(text, s, m.start())
        if lead is not None:
            s = lead.end()
        name = text[s:e]
        if (
            len(name) < 6
            or not mask.free(s, e)
            or _generic_doc(name, m.group())
            or name[0] in _NOT_DOC_START
            or _DOC_LIST_RE.search(run[cut:])
            or _DOC_PAIR_RE.search(run[cut:])
            or _short_pair(run[cut:])
            or _DOC_SUFFIX_RE.fullmatch(name[2:])  # 在全国范围内实施方案: 实施 is the verb, no 实施方案 is named
            # 政策措施 is a document's name only when it says whose and what for, without 的 (支持南京江北新区高质量
            # 建设政策措施); 解决农民工问题的政策措施, 中央的各项政策措施 describe policies
            or (m.group() == "政策措施" and _DESCRIBED_MEASURES.search(name))
            # after a preposition (根据, 对照 …) the clause may go on with its own verb: 根据…新情况及时完善政策措施
            or (verbs and verbs[-1].group() in _DOC_PREPOSITIONS and _CLAUSE_VERB_RE.search(name))
        ):
            continue
        hits.append(_Hit(s, e, name, name, "unmarked"))
        mask.take(s, e)
    return hits


def _congress_matches(text: str) -> Iterator[re.Match[str]]:
    """``CONGRESS_REPORT_RE.finditer(text)``, scanning only the merged windows that end at a 报告."""
    windows: list[list[int]] = []
    i = text.find("报告")
    while i >= 0:
        lo, hi = max(0, i + 2 - CONGRESS_MAX), i + 2
        if windows and lo <= windows[-1][1]:
            windows[-1][1] = hi
        else:
            windows.append([lo, hi])
        i = text.find("报告", i + 1)
    for lo, hi in windows:
        yield from CONGRESS_REPORT_RE.finditer(text, lo, hi)


# Left edges of unmarked names.
QUOTE_BEFORE_RE = re.compile(r"[“\"][^“”\"\n]{1,12}[”\"]$")  # a quoted stretch ending right before a run
JOINERS = "及和与"
JOIN_VERB_RE = re.compile(
    r"根据|依据|按照|依照|遵照|贯彻|落实|出台|制定|修订|修改|颁布|印发|发布|施行|执行|实施"
)
# a stretch before 及 that is a rule or an institution of its own: two objects, not one name (修订公司法及证券法)
RULE_WORD_ENDINGS = (
    "法", "条例", "办法", "规定", "细则", "规划", "意见", "方案", "政策", "措施", "制度", "标准", "规则", "机制",
    "方针", "原则", "精神", "要求", "战略", "路线", "纲领", "法律", "法规", "章程", "决定", "部署", "程序",
)  # fmt: skip
# an article number glued before a name (第九条仲裁法施行前: the heading of an article, then the law)
ARTICLE_CUT_RE = re.compile(r"第[零〇一二三四五六七八九十百千\d]{1,6}[条款项章节]")
# a preposition glued before a name (自仲裁法施行之日起, 对仲裁法…), unless it opens a word of the name
# (自然, 自由, 自治, 对外, 经济, 就业, 当事人 …)
LEADING_FUNCTION_RE = re.compile(
    r"(?:随着|对于|由于|基于|鉴于|关于|至于|自(?![然由治主贸愿动定])|对(?![外])|经(?![济营纪])|就(?![业])|当(?![事])|为(?![民])|以(?![色])|按|凭|据|于|随|凡|因|若)"
)
# Head words of a rule that only says what it regulates in general (考核评价办法, 自定奖售办法, 运行管理办法): an
# unmarked name with nothing but these before its suffix names no concrete rule.
GENERIC_HEAD_WORDS = (
    "考核|评价|考评|评估|评比|评选|选拔|奖惩|奖励|奖补|奖售|激励|问责|自定|处理|处置|分配|计算|核算|结算|补偿|补助|"
    "收费|管理|实施|暂行|试行|具体|操作|工作|运行|运营|认定|审核|审批|验收|监督|监管|检查|登记|申报|使用|执行|统一|"
    "分级|分类|配套|考勤|内部|日常|综合|专项|临时|过渡"
)
GENERIC_HEAD_RE = re.compile(r"^(?:" + GENERIC_HEAD_WORDS + r")*(?:实施细则|办法|规定|细则|条例)$")


GENERIC_RULES_BEFORE_RE = re.compile(r"(?:有关|关于|违反|遵守|符合|国家)$")
COUNTED_RE = re.compile(r"[一二两三四五六七八九十几多][个部项]")


def _generic_head(core: str) -> bool:
    """``core`` (an unmarked name) is only generic head words and a regulation suffix: 考核评价办法, 运行管理办法."""
    return GENERIC_HEAD_RE.match(core) is not None


# Words inside names that hold a stop character (自由贸易试验区, 数据要素, 应急管理, 等级保护, 从业人员): their stop
# character is masked so that the left walk does not stop inside them.
STOP_WORDS_IN_NAMES_RE = re.compile(
    r"中华人民共和国|自由|要素|重要|主要|应急|供应|响应|适应|从业|等级|同等|平等|都市|首都|并购|合并|和平|和谐|在线|"
    r"基本|资本|成本|样本|文本|版本|日本|普及|参与|导向|面向|即时|将军"
)
_MASK_TABLE = str.maketrans({c: "龘" for c in UNMARKED_STOP_CHARS})


def _mask_stop_words(s: str) -> str:
    """``s`` with the stop characters inside STOP_WORDS_IN_NAMES_RE words replaced (same length)."""
    return STOP_WORDS_IN_NAMES_RE.sub(lambda m: m.group(0).translate(_MASK_TABLE), s)


def _run_start(window: str, end: int) -> int:
    """Start of the name-like run that ends at ``end`` in ``window``: CJK characters other than stop characters,
    and quoted stretches (“二线口岸”运行管理办法: the quotes belong to the name)."""
    while True:
        # the trailing run of CJK characters that are not stop characters (matched on the reversed window)
        cut = end - UNMARKED_RUN_RE.match(window[:end][::-1]).end()
        if cut > 0 and window[cut - 1] in "”\"":
            q = QUOTE_BEFORE_RE.search(window, 0, cut)
            if q is not None:
                end = q.start()
                continue
        return cut


def _joined_start(window: str, cut: int) -> int:
    """Extend a run over a joining 及/和/与 (“零关税”进口交通工具及游艇管理办法) when a governing verb opens the stretch
    before it and that stretch is not a rule of its own (修订公司法及证券法 names two laws)."""
    if cut < 2 or window[cut - 1] not in JOINERS:
        return cut
    if window.endswith("法") and not window.endswith("办法"):
        return cut  # law names hold no 及 (按照“一国两制”方针和澳门基本法)
    left = _run_start(window, cut - 1)
    part = window[left : cut - 1]
    verbs = list(JOIN_VERB_RE.finditer(part))
    if not verbs or part.endswith(RULE_WORD_ENDINGS):
        return cut
    rest = part[verbs[-1].end() :]
    if len(rest) < 2 or len(rest) > 14 or CUT_RE.search(rest):
        return cut
    return left + verbs[-1].end()


_RULE_OF = ("法", "条例", "规定")  # …法实施条例, …条例实施细则: 实施 inside the name of a rule's implementing rule
_IMPLEMENTING = ("实施条例", "实施细则", "实施办法")


def _unmarked_name(text: str, end: int) -> tuple[int, str] | None:
    """Walk left from the end of a law/regulation suffix to a plausible left edge; None when implausible."""
    start = max(0, end - 30)
    window = _mask_stop_words(text[start:end])
    cut = _run_start(window, len(window))
    cut = _joined_start(window, cut)
    name = window[cut:]
    # cut after the last governing verb / function word / article number inside the run, unless the name is a
    # line of its own (the title line of a regulation: 行政法规制定程序条例)
    best = 0
    heading = (start + cut == 0 or text[start + cut - 1] == "\n") and (end == len(text) or text[end] in "\r\n")
    for mc in () if heading else CUT_RE.finditer(name):
        if mc.end() < len(name) - 1 and not (mc.group() == "实施" and name[: mc.start()].endswith(_RULE_OF)):
            best = max(best, mc.end())
    for mc in ARTICLE_CUT_RE.finditer(name):
        best = max(best, mc.end())
    lead = LEADING_FUNCTION_RE.match(text, start + cut + best)  # on the unmasked text: 自由 is no 自 + 由
    if lead is not None and end - lead.end() >= 3:
        best = lead.end() - start - cut
    s = start + cut + best
    if s > 0 and text[s].isascii() is False and text[s] in "年月日" and text[s - 1].isdigit():
        s += 1  # 1993年完成基本法: the run began inside a date
    glued = SHORT_LAW_AFTER_VERB_RE.search(text, s, end)
    if glued is not None:
        s = glued.end()
    name = text[s:end]
    core = name.removeprefix("中华人民共和国")
    if len(core) < 2:
        return None
    if COUNTED_RE.search(core):
        return None  # 两个基本法, 这三部条例: a count of rules, not one named rule
    if name.startswith("中华人民共和国") or core in SHORT_LAWS or SHORT_LAW_RE.match(core):
        return s, name
    if (
        len(core) < 4
        or core in GENERIC_UNMARKED
        or GENERIC_UNMARKED_RE.search(core)
        or _generic_head(core)
    ):
        return None
    if core.endswith("规定") and (core.startswith("国家") or GENERIC_RULES_BEFORE_RE.search(text, max(0, s - 6), s)):
        return None  # 违反国家有关安全管理规定, 遵守…管理规定: rules of that kind in general, not one rule
    if heading and best == 0 and len(core) >= 6:
        return s, name  # a line that is only a rule's name: a title line
    if LEGAL_COMPOUND_RE.search(core) or UNMARKED_TRIGGER_RE.search(text[max(0, s - 6) : s]):
        if core.endswith("规定") and not re.search(r"(?:暂行|若干|管理|补充|实施)规定$", core):
            return None
        return s, name
    return None


def _after_cjk(text: str, start: int) -> bool:
    """A CJK character right before ``start`` (the ``(?<=[CJK])`` of unmarked suffixes)."""
    return start > 0 and _CJK_CHAR_RE.match(text, start - 1) is not None


def _unmarked_hits(text: str, mask: Mask, starts: list[list[int]]) -> list[_Hit]:
    hits = []
    cands = sorted(set(starts[SCAN_UNMARKED_1]).union(starts[SCAN_UNMARKED_2]))
    for m in iter_matches_at(UNMARKED_SUFFIX_RE, text, cands, accept=_after_cjk):
        e = m.end()
        if not mask.free(m.start(), e) or (
            GENERIC_UNMARKED_RE.search(text, max(0, m.start() - 1), e)
            and not text.endswith(SHORT_LAWS, 0, e)
        ):
            continue
        if text.startswith(_IMPLEMENTING, e):
            continue  # 个人所得税法实施条例 is the regulation that implements the law, found at its own suffix
        # "…法规定" is a law followed by the verb 规定: the law ends before 规定
        found = _unmarked_name(text, e)
        if found is None:
            continue
        s, name = found
        if not mask.free(s, e):
            continue
        hits.append(_Hit(s, e, name, name, "unmarked"))
        mask.take(s, e)
    return hits


def _repeat_hits(text: str, mask: Mask, names: set[str]) -> list[_Hit]:
    """Unmarked repeats of names already seen (titles of 6+ characters, acronyms given in brackets)."""
    hits = []
    for name in sorted(names, key=len, reverse=True):
        i = text.find(name)
        while i >= 0:
            e = i + len(name)
            if mask.free(i, e):
                hits.append(_Hit(i, e, name, name, "repeat"))
                mask.take(i, e)
            i = text.find(name, e)
    return hits


# An unmarked short name introduced right after a rule: 《中华人民共和国仲裁法》（以下简称仲裁法）, …（简称“十四五”规划）.
SHORT_NAME_RE = re.compile(
    r"\s*[（(]\s*(?:以下)?(?:简称|下称)为?\s*((?:[“\"][^“”\"《》\n]{1,20}[”\"])?[" + CJK + r"A-Za-z0-9“”\-]{2,20}?)\s*[)）]"
)


def _short_name_hits(text: str, mask: Mask, hits: list[_Hit]) -> list[_Hit]:
    """Unmarked short names that a text introduces for a rule just mentioned (``SHORT_NAME_RE``); ``_merge`` joins
    each to that rule, and later repeats of the short name are found with the other repeats."""
    out = []
    for h in hits:
        m = SHORT_NAME_RE.match(text, h.end)
        if m is None or not mask.free(m.start(1), m.end(1)):
            continue
        name = flat(m.group(1))
        out.append(_Hit(m.start(1), m.end(1), name, name, "short"))
        mask.take(m.start(1), m.end(1))
    return out


def _whole_word_spans(text: str, word: str) -> Iterator[tuple[int, int]]:
    """Spans of ``re.finditer(r"(?<![A-Za-z])WORD(?![A-Za-z])", text)``, found with ``str.find`` (fast)."""
    i = text.find(word)
    while i >= 0:
        e = i + len(word)
        if _after_nonletter(text, i) and not (e < len(text) and text[e].isascii() and text[e].isalpha()):
            yield i, e
            i = text.find(word, e)
        else:
            i = text.find(word, i + 1)


def _attach_tail(text: str, hit: _Hit) -> int:
    """Attach a bracketed acronym, a 文号 and article references right after a mention; returns the new end."""
    end = hit.end
    m = BRACKET_ACRONYM_RE.match(text, end)
    if m and re.fullmatch(r"[A-Z][A-Za-z0-9\-\.&]{1,15}", m.group(1).replace(" ", "")):
        hit.extra_aliases.append(m.group(1).replace(" ", ""))
        end = m.end()
    m = DOC_NUMBER_RE.match(text, end)
    if m:
        hit.doc_number = flat(m.group(1))
        end = m.end()
    m = ARTICLES_RE.match(text, end)
    if m:
        hit.articles.extend(ARTICLE_RE.findall(m.group(0)))
    return end


def find_rule_mentions(text: str, *, lexicon_path: str | None = None) -> list[_Hit]:
    """Every rule mention in ``text``, in order, each with its merged canonical name, kind and level."""
    return list(_cached_mentions(text, lexicon_path))


@lru_cache(maxsize=4)
def _cached_mentions(text: str, lexicon_path: str | None) -> tuple[_Hit, ...]:
    """The rules stage asks for the same document twice (distinct rules, then every mention): find them once.

    Callers must treat the hits as read-only."""
    return tuple(_find_rule_mentions(text, lexicon_path=lexicon_path))


def _find_rule_mentions(text: str, *, lexicon_path: str | None = None) -> list[_Hit]:
    lex = load_lexicon(lexicon_path)
    starts = lex.scanner.starts(text)
    mask = Mask(len(text))
    hits = _title_hits(text, mask)
    hits += _lexicon_hits(text, mask, lex, starts)
    hits += _quoted_hits(text, mask)
    hits += _unmarked_hits(text, mask, starts)
    hits += _unmarked_doc_hits(text, mask)
    hits += _short_name_hits(text, mask, hits)
    ends: dict[int, int] = {}
    acronyms: set[str] = set()
    for h in hits:
        e = _attach_tail(text, h)
        if e > h.end:
            mask.take(h.end, e)
        acronyms.update(a for a in h.extra_aliases if merge_key(a) not in lex.by_key)
        ends[h.start] = e
    repeat_names = {
        h.name for h in hits if h.source == "title" and len(h.name) >= 6 and not ALIAS_RE.match(h.name)
    }
    repeat_names |= {h.name for h in hits if h.source == "unmarked"}
    # a short name of 3+ characters that is not a bare suffix (（以下简称条例） would match every 本条例)
    repeat_names |= {h.name for h in hits if h.source == "short" and len(h.name) >= 3 and not ALIAS_RE.match(h.name)}
    repeats = _repeat_hits(text, mask, repeat_names)
    acro_repeats = []
    for a in acronyms:
        for s, e in _whole_word_spans(text, a):
            if mask.free(s, e):
                acro_repeats.append(_Hit(s, e, a, a, "acronym"))
                mask.take(s, e)
    hits = sorted(hits + repeats + acro_repeats, key=lambda h: h.start)
    _merge(hits, lex, text)
    return hits


CLAUSE_MAX = 60


def _clause_before(text: str, start: int) -> str:
    """The clause that ends at ``start`` (back to the last 。；！？ or line break, at most CLAUSE_MAX characters)."""
    lo = max(0, start - CLAUSE_MAX)
    window = text[lo:start]
    cut = max(window.rfind(c) for c in "。；！？\n")
    return window[cut + 1 :]


# A local body drafting or issuing a rule: 推动出台X条例, 编制《…规划》. Where no level shows in the name or the issuer,
# the rule is the document's own place's (a provincial report's 推动制定民营经济促进条例 is that province's).
LOCAL_ACTION_RE = re.compile(r"(?:出台|制定|修订|修改|编制|起草|审议|提请|印发|颁布)(?:了|实施|出台)?[《“]?$")
_LOCAL_KINDS = frozenset(["regulation", "plan", "policy"])  # 法 are passed by the national legislature only


def _merge(hits: list[_Hit], lex: _Lexicon, text: str) -> None:
    """Assign each hit a merge key, canonical name, kind and level (in place)."""
    key_of: dict[str, str] = {}  # variant key -> group key
    display: dict[str, str] = {}  # group key -> canonical display name
    group_kind: dict[str, str] = {}
    group_level: dict[str, str | None] = {}
    group_local: dict[str, bool] = {}
    group_bare_city: dict[str, bool] = {}
    group_unset: dict[str, bool] = {}  # no level shows in the title or before it: national by default
    group_years: dict[str, str | None] = {}  # group key -> the year range its titles carry (2019-2021)
    ranges: dict[str, set[str]] = {}  # key of a title without its year range -> the ranges it appears with
    recent_full: list[_Hit] = []

    def group_for(variant: str) -> str | None:
        k = merge_key(variant)
        if k in key_of:
            return key_of[k]
        k2 = k.removeprefix("中华人民共和国")
        return key_of.get(k2)

    prev: _Hit | None = None
    for h in hits:
        if (
            prev is not None
            and h.source in {"title", "short", "unmarked"}
            and SHORT_FOR_RE.fullmatch(text, prev.end, h.start)
        ):
            # 《…纲要》（以下简称《广州市十四五发展规划》）: the short title names the one just before
            h.alias_of_suffix = True
            h.key = prev.key
            key_of.setdefault(merge_key(h.name), prev.key)  # later mentions of the short title join it too
            continue
        prev = h
        alias = ALIAS_RE.match(h.name) if h.source == "title" else None
        if alias:
            suffix = alias.group(1)
            target = next((f for f in reversed(recent_full) if _alias_fits(suffix, f.name)), None)
            if target is None:
                target = next(
                    (
                        f
                        for f in hits
                        if f.start > h.start
                        and f.source == "title"
                        and not ALIAS_RE.match(f.name)
                        and _alias_fits(suffix, f.name)
                    ),
                    None,
                )
            if target is not None:
                h.alias_of_suffix = True
                h.key = target.key or merge_key(target.name).removeprefix("中华人民共和国")
                if not target.key:  # a forward reference: the target gets its key later, under the same value
                    key_of[h.key] = h.key
                    display.setdefault(h.key, target.name)
                continue
        entry = lex.by_key.get(merge_key(h.name)) or next(
            (lex.by_key[merge_key(a)] for a in h.extra_aliases if merge_key(a) in lex.by_key), None
        )
        if entry is None and h.name.startswith(("欧盟", "《欧盟")):
            entry = lex.by_key.get(merge_key(h.name.removeprefix("欧盟")))
        g = group_for(h.name)
        years = _year_range(h.name)
        bare = YEAR_RANGE_RE.sub("", h.name) if entry is None else h.name
        if bare != h.name and rule_kind(bare) in _DATED_EDITION_KINDS:
            bare = h.name  # a report's years name its edition: 《…年鉴（2021-2022）》 is not 《…年鉴》
        if years is not None and bare != h.name:
            ranges.setdefault(merge_key(bare), set()).add(years)
        if g is None and bare != h.name:
            # 《…三年行动计划（2019—2021年）》 and 《…三年行动计划》 are one plan; two different ranges are two plans
            g2 = group_for(bare)
            if g2 is not None and group_years.setdefault(g2, years) == years:
                g = g2
        if g is None:
            for a in h.extra_aliases:
                g = group_for(a)
                if g:
                    break
        if g is None and entry is not None:
            g = group_for(entry.canonical)
        if g is None:
            g = merge_key(entry.canonical) if entry else merge_key(h.name).removeprefix("中华人民共和国")
        if years is not None:
            group_years.setdefault(g, years)
        for variant in [h.name, *h.extra_aliases, *([entry.canonical] if entry else []), *([bare] if bare != h.name else [])]:
            key_of.setdefault(merge_key(variant), g)
            key_of.setdefault(merge_key(variant).removeprefix("中华人民共和国"), g)
        h.key = g
        if entry is not None:
            display[g] = entry.canonical
            group_kind[g] = entry.kind
            group_level[g] = entry.level
        elif h.source != "acronym":
            cur = display.get(g)
            if cur is None or (len(h.name) > len(cur) and g not in group_kind):
                display[g] = h.name
        if h.source in {"title", "quoted", "unmarked"}:
            recent_full.append(h)
    _merge_dropped_characters(hits, display, group_kind)
    _merge_issuer_variants(hits, display, group_kind)
    for h in hits:
        name = display.get(h.key, h.name)
        if h.key not in group_kind:
            ctx = text[max(0, h.start - 12) : h.end + 12]
            group_kind[h.key] = rule_kind(name, ctx)
            before = text[max(0, h.start - 20) : h.start]
            kind = group_kind[h.key]
            clause = _clause_before(text, h.start) if kind == "agreement" else ""
            own_plan = h.local and _PLAN_PERIOD_RULE_RE.fullmatch(name) is not None
            evidence = None if own_plan else level_evidence(name, kind, before, clause=clause)
            group_level[h.key] = rule_level(name, kind, before, clause=clause)
            group_local[h.key] = evidence is None and (
                (kind in _LOCAL_KINDS and LOCAL_ACTION_RE.search(before) is not None)
                or kind == "agreement"
                or h.local  # found as its place's own (a bare “十四五”规划)
            )
            group_unset[h.key] = evidence is None and kind in _LOCAL_KINDS
            group_bare_city[h.key] = group_level[h.key] == "municipal" and _bare_city(name, group_kind[h.key])
    _list_levels(hits, text, display, group_kind, group_level, group_local, group_unset)
    for h in hits:
        name = display.get(h.key, h.name)
        h.kind = group_kind[h.key]
        h.level = group_level[h.key]
        h.local = group_local.get(h.key, False)
        h.bare_city = group_bare_city.get(h.key, False)
        if len(ranges.get(merge_key(YEAR_RANGE_RE.sub("", name)), ())) < 2:
            name = _without_year_range(name, h.kind)  # unless two plans differ by their years only
        h.canonical = national_short_name(name, h.kind)


# What may separate two titles of one list: 《A》《B》, 《A》、《B》, 《A》和《B》.
LIST_GAP_RE = re.compile(r"\s*(?:[、，,和及与]|以及)?\s*")
_SUBNATIONAL = frozenset(["provincial", "municipal", "district"])
_MIN_AGREEING_SIBLINGS = 2


def _title_runs(hits: list[_Hit], text: str) -> list[list[_Hit]]:
    """Lists of two or more 《titles》 written one after the other (``LIST_GAP_RE`` between them)."""
    runs: list[list[_Hit]] = []
    cur: list[_Hit] = []
    for h in hits:
        if h.source != "title":
            continue
        if cur and LIST_GAP_RE.fullmatch(text, cur[-1].end, h.start):
            cur.append(h)
            continue
        if len(cur) > 1:
            runs.append(cur)
        cur = [h]
    if len(cur) > 1:
        runs.append(cur)
    return runs


def _list_levels(
    hits: list[_Hit],
    text: str,
    display: dict[str, str],
    group_kind: dict[str, str],
    group_level: dict[str, str | None],
    group_local: dict[str, bool],
    group_unset: dict[str, bool],
) -> None:
    """Give a title that shows no level the level its list shows (in place): the issuer or drafting verb before
    the list's first title (省政府印发《A》《B》, 出台《A》《B》) holds for every title of the list, and a list whose
    titles name one province (city, district) and no higher level, in at least two of them, is that place's
    (江西's “1+7” policy: 《关于…的通知》《江西省…办法》《江西省…规定》《关于…的实施意见》)."""
    for run in _title_runs(hits, text):
        unset = [h for h in run if group_unset.get(h.key)]
        if not unset:
            continue
        first = run[0]
        kind = group_kind[first.key]
        title_only = level_evidence(display.get(first.key, first.name), kind)
        if group_local.get(first.key):
            for h in unset:
                group_local[h.key] = True
            continue
        if not group_unset.get(first.key) and title_only is None and group_level.get(first.key) in _SUBNATIONAL:
            level: str | None = group_level[first.key]  # an issuer before the list
        else:
            shown = [
                level_evidence(display.get(h.key, h.name), group_kind[h.key]) for h in run if not group_unset.get(h.key)
            ]
            shown = [x for x in shown if x is not None]
            level = shown[0] if shown and len(set(shown)) == 1 and len(shown) >= _MIN_AGREEING_SIBLINGS else None
            if level not in _SUBNATIONAL:
                continue
        for h in unset:
            group_level[h.key] = level
            group_unset[h.key] = False


# A year range in brackets inside or after a title: （2019—2021年）, (2021-2025), （2023~2025年）.
YEAR_RANGE_RE = re.compile(
    r"\s*[（(]\s*(?:19|20)\d\d\s*年?\s*[-—–~～至到－]{1,2}\s*(?:(?:19|20)?\d\d)\s*年?\s*[)）]"
)
_DATED_EDITION_KINDS = frozenset(["report", "other_work", "standard"])  # a report's years name its edition


def _year_range(name: str) -> str | None:
    """The year range in brackets in ``name`` as ``YYYY-YY..``, digits only (None when there is none)."""
    m = YEAR_RANGE_RE.search(name)
    return "-".join(re.findall(r"\d+", m.group(0))) if m else None


def _without_year_range(name: str, kind: str) -> str:
    """A rule's canonical name without the year range in brackets (the plan is the same with or without it);
    reports, standards and other works keep it (a yearbook's years name its edition)."""
    if kind in _DATED_EDITION_KINDS:
        return name
    bare = YEAR_RANGE_RE.sub("", name)
    return bare if len(bare) >= 4 else name


_MIN_SLIP_LEN = 8  # shorter titles differ by one character too often on purpose (民法 / 民法典)


def _merge_dropped_characters(hits: list[_Hit], display: dict[str, str], group_kind: dict[str, str]) -> None:
    """Merge a title that is another title of the same document less one character (《州市推动…若干措施》,
    《…若措施》: characters a PDF or a typist dropped) into that longer title (in place). Lexicon entries and
    acronyms are left alone."""
    names: dict[str, str] = {}
    for h in hits:
        if h.source != "acronym" and h.key not in group_kind:
            names.setdefault(h.key, display.get(h.key, h.name))
    if len(names) < 2:
        return
    by_name = {n: g for g, n in names.items()}
    shorter = {n for n in by_name if len(n) >= _MIN_SLIP_LEN}
    into: dict[str, str] = {}
    for name, g in by_name.items():
        if len(name) <= _MIN_SLIP_LEN or not shorter:
            continue
        for i in range(len(name)):
            cut = name[:i] + name[i + 1 :]
            if cut in shorter and by_name[cut] != g:
                into.setdefault(by_name[cut], g)
    for h in hits:
        target = into.get(h.key)
        if target is not None and target not in into:  # one step only: no chains of slips
            h.key = target


# "（以下简称" between the end of a title and a following title, nothing else (the short name it introduces).
SHORT_FOR_RE = re.compile(r"\s*[（(]\s*(?:以下)?(?:简称|下称|称)为?\s*")
# An issuer before 关于: 广州市人民政府办公厅关于…, 湖北省人民政府关于…, or a bare place (广州市加快…).
ISSUER_PREFIX_RE = re.compile(
    r"^[" + CJK + r"]{2,20}?(?:人民政府|政府|办公厅|办公室|委员会|党委|市委|省委|厅|局|部|院|署|会)(?:办公厅|办公室)?关于$"
    r"|^[" + CJK + r"]{1,8}(?:省|市|自治区|区|县)(?:关于)?$"
)
_MIN_ISSUER_CORE = 8


def _merge_issuer_variants(hits: list[_Hit], display: dict[str, str], group_kind: dict[str, str]) -> None:
    """Merge a title that opens with 关于 into the same title written with its issuer (《关于促进大数据发展的实施意见》
    and 《广州市人民政府办公厅关于促进大数据发展的实施意见》, 《关于加快打造…若干措施》 and 《广州市加快打造…若干措施》),
    when the document holds exactly one such longer title (in place)."""
    names: dict[str, str] = {}
    for h in hits:
        if h.source != "acronym" and h.key not in group_kind:
            names.setdefault(h.key, display.get(h.key, h.name))
    shorts = {g: n for g, n in names.items() if n.startswith("关于") and len(n) - 2 >= _MIN_ISSUER_CORE}
    if not shorts:
        return
    into: dict[str, str] = {}
    for g, short in shorts.items():
        core = short[2:]
        longer = [
            g2 for g2, n in names.items() if g2 != g and n.endswith(core) and ISSUER_PREFIX_RE.match(n[: -len(core)])
        ]
        if len(longer) == 1:
            into[g] = longer[0]
    for h in hits:
        target = into.get(h.key)
        if target is not None and target not in into:
            h.key = target


_PRC = "中华人民共和国"


def national_short_name(name: str, kind: str) -> str:
    """The canonical form of a national law or regulation is its name without the 中华人民共和国 prefix, whether a
    document writes it or not, so that 《数据安全法》 in one report and 《中华人民共和国数据安全法》 in another count
    as one rule across the corpus. Names where the prefix is a party (中华人民共和国和某国政府…协定) keep it."""
    if kind == "law" and name in ("香港基本法", "澳门基本法"):
        return name[:2] + "特别行政区基本法"  # the short and the full name of one law count as one across the corpus
    if kind not in ("law", "regulation") or not name.startswith(_PRC):
        return name
    rest = name[len(_PRC) :]
    if len(rest) < 2 or rest[0] in "和与同及、" or rest.startswith("政府"):
        return name
    return rest


# --------------------------------------------------------------------------------------------------------------
# document-level API


_LEVEL_OF_PLACE = {"province": "provincial", "city": "municipal", "district": "district"}
_GENERIC_OWN_TITLES = frozenset(["政府工作报告"])
# another body's report of that name: 国务院政府工作报告, 中央政府工作报告, 总理在政府工作报告中
_ISSUER_BEFORE_OWN = re.compile(r"(?:国务院|中央|总理|全国两会|国家)(?:的)?[“《]?$")


def _own_title_levels(document: Document) -> dict[str, str]:
    """{generic title: level} for a document that is itself such a title of a place: in 2025年浙江省政府工作报告, a
    bare 政府工作报告 is the province's own report, not the State Council's (national, as elsewhere)."""
    title = document.meta.title if document.meta else None
    if not title:
        return {}
    from nlp.extract.regions import find_regions

    own = [t for t in _GENERIC_OWN_TITLES if t in title]
    places = [r for r in find_regions(title) if r.level in _LEVEL_OF_PLACE] if own else []
    return {t: _LEVEL_OF_PLACE[places[-1].level] for t in own} if places else {}


def _home_place(document: Document):  # type: ignore[no-untyped-def]
    """The place a document speaks for (a RegionMention): the last province, city or district in its title
    (2025年吉林省政府工作报告, 广州数字贸易发展报告), else in its issuer; None when neither names one."""
    from nlp.extract.regions import find_regions

    meta = document.meta
    for text in (meta.title, meta.issuer) if meta else ():
        if text:
            places = [r for r in find_regions(text) if r.level in _LEVEL_OF_PLACE]
            if places:
                return places[-1]
    return None


def _home_level(document: Document) -> str | None:
    """Level of the place a document speaks for (see :func:`_home_place`)."""
    place = _home_place(document)
    return _LEVEL_OF_PLACE[place.level] if place is not None else None


def _home_is_municipality(document: Document) -> bool:
    """The document speaks for 北京, 天津, 上海 or 重庆 (see ``MUNICIPALITIES``)."""
    place = _home_place(document)
    return place is not None and place.level == "province" and place.canonical.startswith(MUNICIPALITIES)


def _with_own_levels(hits: list[_Hit], document: Document) -> list[_Hit]:
    """``hits`` with the level of the document's own generic title (see :func:`_own_title_levels`) and of rules
    its own place drafts or issues (see ``LOCAL_ACTION_RE``); changed hits are copies (the hits of a text are
    cached and shared)."""
    levels = _own_title_levels(document) if hits else {}
    home = _home_level(document) if any(h.local for h in hits) else None
    municipality = any(h.bare_city for h in hits) and _home_is_municipality(document)
    title = (document.meta.title or "") if document.meta else ""
    own = {t for t in _GENERIC_OWN_TITLES if t in title}
    if not levels and home is None and not municipality and not own:
        return hits
    out = []
    for h in hits:
        if h.canonical in own and (
            document.text.endswith(title, 0, h.end)
            or not _ISSUER_BEFORE_OWN.search(document.text, max(0, h.start - 8), h.start)
        ):
            continue  # its title line, 完成了《政府工作报告》确定的目标: the report itself, not a rule it cites
        if h.canonical in levels:
            h = replace(h, level=levels[h.canonical])
        elif h.local and home is not None:
            h = replace(h, level=home)
        elif h.bare_city and municipality:
            h = replace(h, level="provincial")  # 市政府印发的《…》 in Beijing's report: a 直辖市 is province-level
        out.append(h)
    return out


def iter_rule_mentions(document: Document, *, lexicon_path: str | None = None) -> Iterator[RuleMention]:
    """Every mention of every rule in a document, with provenance (for the document-rule network)."""
    loc = Locator(document)
    for h in _with_own_levels(find_rule_mentions(document.text, lexicon_path=lexicon_path), document):
        section, paragraph, sentence = loc.where(h.start)
        yield RuleMention(
            document.doc,
            section,
            paragraph,
            sentence,
            h.start,
            h.end,
            h.surface,
            h.canonical,
            h.kind,
            h.level,
        )


def extract_rules(
    document: Document, *, tokens: list[list[tuple[str, str]]] | None = None, lexicon_path: str | None = None
) -> list[RuleRef]:
    """Distinct rules referenced by ``document``, first mention first, mentions counted over all surfaces.

    ``tokens`` is accepted for symmetry with the other extractors; rule finding is regex-only.
    """
    del tokens
    loc = Locator(document)
    groups: dict[str, list[_Hit]] = {}
    for h in _with_own_levels(find_rule_mentions(document.text, lexicon_path=lexicon_path), document):
        groups.setdefault(h.key, []).append(h)
    out: list[RuleRef] = []
    for hs in groups.values():
        first = next((h for h in hs if not h.alias_of_suffix), hs[0])
        section, paragraph, sentence = loc.where(first.start)
        aliases: list[str] = []
        for h in hs:
            for s in [h.surface, *h.extra_aliases]:
                if s != first.surface and s not in aliases:
                    aliases.append(s)
        articles: list[str] = []
        for h in hs:
            articles.extend(a for a in h.articles if a not in articles)
        out.append(
            RuleRef(
                doc=document.doc,
                section=section,
                paragraph=paragraph,
                sentence=sentence,
                char_start=first.start,
                char_end=first.end,
                surface=first.surface,
                canonical=first.canonical,
                aliases=aliases,
                kind=first.kind,
                level=first.level,
                doc_number=next((h.doc_number for h in hs if h.doc_number), None),
                articles=articles,
                mentions=len(hs),
            )
        )
    out.sort(key=lambda r: r.char_start)
    return out


# --------------------------------------------------------------------------------------------------------------
# spaCy component


def rules_component(doc):  # type: ignore[no-untyped-def]
    """spaCy component: writes every rule mention to ``doc.spans["rules"]`` (label = kind, kb_id = canonical)."""
    spans = []
    for h in find_rule_mentions(doc.text):
        span = doc.char_span(h.start, h.end, label=h.kind, kb_id=h.canonical, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans["rules"] = spans
    return doc


register_span_component("zh_rules", rules_component)
