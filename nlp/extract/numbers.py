"""Numeric facts: quantities stated in prose sentences and in table cells, with provenance.

``extract_facts(document)`` walks ``document.sentences`` (prose and heading blocks) and the table blocks and
returns one :class:`Fact` per stated quantity: 4295.58亿元, 50.9%, 1.6个百分点, 超10万家, 两百余个, 7-10天,
230EFLOPS, 1/5 ... Each fact carries what a researcher copies into a spreadsheet by hand: the number as written,
its value and unit, a kind, a scaled value (429558000000 CNY), approximation, the year or period it refers to,
the indicator (what is measured), the region, the comparison (同比增长, 占比 ...) and where it was found.

Design:
- one precompiled candidate regex (number + optional 余/多 + unit) over each sentence; no segmentation needed;
  a magnitude with no unit word (用户突破3.5亿, 30.2万农村居民) is a fact with the magnitude as its unit, its kind
  read from what it measures (count / money / other); Chinese numerals may be traditional (三十六點九, 三百萬噸);
- speed (extraction runs beside segmentation on every paragraph): ONE numpy pass over a document's sentences
  (``_Scan``: a table look-up per character pair) finds where a fact may start at all, so that paragraphs and
  sentences without one are skipped (most of them), and where CANDIDATE, TIME_RE and the region names may
  match, so that each is tried there only (exactly the matches of ``finditer``); candidates are checked on
  their surrounding characters before anything else of the sentence is read; year and region of earlier
  sentences are read lazily, newest first, only when a fact needs them; Chinese numerals are parsed once;
  ``tests/bench/bench_extract.py`` measures it against segmentation;
- explicit exclusion rules for what is not a fact (years and dates alone, 第N/每N, numbers inside 《titles》 and
  short quoted terms, 5G-like names, single Chinese digits used as articles or enumerations 一个/三个方面);
- year, region and indicator are read from the clause before the number, then the sentence, then the earlier
  sentences of the same paragraph (figures in a paragraph usually share the year and place stated once); the
  year then falls back to the section heading (一、2023年工作回顾; 今年… resolved with the document's year),
  never to a year the text does not state; a year right after 比/较 followed by a change (比去年同期增长5%) is the
  term of comparison, not the fact's year; regions inside 《titles》 do not place a fact; a year written in Chinese
  digits (一九七八年, 二〇二三年底) is read as the same year and labelled in Arabic digits (1978, 2023年底).
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import pairwise
from operator import attrgetter

import numpy as np

from nlp.document import Block, Document
from nlp.extract.cn_numbers import CN_YEAR_DIGITS, parse_number, split_magnitude, year_in_digits
from nlp.extract.packages import package_matches
from nlp.extract.regions import RegionMention, find_regions, load_gazetteer, region_prefix, trie_regex
from nlp.extract.scan import iter_matches_at
from nlp.extract.spans import Provenance, register_span_component
from nlp.structure import YEAR_CELL, is_toc_text

__all__ = ["UNIT_KINDS", "Fact", "extract_facts", "facts_in_table", "facts_in_text"]


@dataclass(slots=True)
class Fact(Provenance):
    """One numeric fact with its provenance (field names are the export schema)."""

    number: str
    value: float
    value_max: float | None
    unit: str
    kind: str  # money | percent | count | multiple | duration | area | length | data | compute | other
    scaled_value: float | None
    scaled_unit: str | None
    approx: bool
    year: str | None
    indicator: str | None
    region: str | None
    comparison: str | None
    source: str  # text | table


# ------------------------------------------------------------------------------------------------- units
# base unit -> (kind, scaled unit). Magnitude prefixes (万, 亿, 千万 ...) are written into the unit (亿元) and
# multiplied into scaled_value.
UNIT_KINDS: dict[str, tuple[str, str]] = {}


def _units(kind: str, scaled: str, names: str) -> None:
    for name in names.split():
        UNIT_KINDS[name] = (kind, scaled)


_units("money", "CNY", "元 元人民币 人民币")
_units("money", "USD", "美元")
_units("money", "HKD", "港元 港币")
_units("money", "EUR", "欧元")
_units("money", "JPY", "日元")
_units("money", "GBP", "英镑")
_units("money", "TWD", "新台币")
_units("money", "KRW", "韩元")
_units("money", "RUB", "卢布")
_units("money", "AUD", "澳元")
_units("money", "MOP", "澳门元")
_units("percent", "percent", "% ％")
_units("percent", "permille", "‰")
_units("percent", "percentage_point", "个百分点 百分点")
_units("percent", "tenth", "成")  # 超4成 (four tenths; digits only, see _accept_here)
_units("multiple", "times", "倍")
_units(
    "count",
    "count",
    "个 家 项 户 人 名 次 人次 家次 件 套 台 所 座 条 种 类 批 款 部 场 位 只 张 份 辆 艘 架 枚 颗 处 根 篇 首 "
    "支 株 头 例 起 宗 笔 单 票 标准箱 标准机架 件次 架次 艘次 车次 班次 批次 场次 辆次 轮",
)
_units("duration", "year", "年")
_units("duration", "month", "个月")
_units("duration", "week", "周")
_units("duration", "day", "天 个工作日 工作日")
_units("duration", "hour", "小时 个小时")
_units("duration", "minute", "分钟")
_units("duration", "second", "秒")
_units("duration", "ms", "毫秒 ms")
_units("other", "age", "岁 周岁")  # 人均预期寿命78.5岁 (an age; 60岁以上老人 is a category, see _defines_category)
_units("area", "km2", "平方公里 平方千米")
_units("area", "m2", "平方米")
_units("area", "mu", "亩")
_units("area", "ha", "公顷")
_units("length", "km", "公里 千米 km")
_units("length", "m", "米")
_units("data", "ZB", "ZB 泽字节")
_units("data", "EB", "EB")
_units("data", "PB", "PB")
_units("data", "TB", "TB")
_units("data", "GB", "GB")
_units("data", "MB", "MB")
_units("data", "Gbps", "Gbps Mbps")
_units("compute", "EFLOPS", "EFLOPS EFlops")
_units("compute", "PFLOPS", "PFLOPS PFlops")
_units("compute", "TFLOPS", "TFLOPS TFlops")
_units("other", "t", "吨")
_units("other", "kW", "千瓦 万千瓦")
_units("other", "kWh", "千瓦时 度")
_units("other", "MW", "兆瓦")
_units("other", "GW", "吉瓦")
_units("other", "m3", "立方米")
_units("other", "kg", "公斤 千克")
_units("other", "TEU", "TEU")
_units("other", "jin", "斤")
_units("other", "L", "千升 升")
_units("other", "m3", "方 立方 立方公尺")
_units("length", "m", "公尺")
_units("other", "ug/m3", "微克/立方米 微克每立方米")
_units("count", "count", "标箱 列 块")
_units("count", "medal", "金 银 铜")  # 斩获8金4银4铜: only in a tally or after a verb of winning (see _accept_here)
_units("compute", "PFLOPS", "P")
_units("compute", "core_hours", "核时")
# traditional characters (read as the simplified ones: 億元, 個, 項, 百分點 ...)
_units("count", "count", "個 項 條 種 場 張 臺 輛 筆 處 頭 隻")
_units("percent", "percentage_point", "個百分點 百分點")
_units("duration", "month", "個月")
_units("duration", "hour", "小時 個小時")
_units("duration", "minute", "分鐘")
_units("area", "mu", "畝")
_units("other", "t", "噸")
_units("money", "HKD", "港幣")
_units("money", "EUR", "歐元")
_units("money", "GBP", "英鎊")
_units("money", "RUB", "盧布")
_units("money", "KRW", "韓元")
# more currencies and the colloquial / financial names of the yuan (壹仟玖佰圆整, 十块钱; a bare 块 stays a count:
# 3块屏幕); 角/分 after 元 are read into the amount (123元1角1分, see _SUB_UNIT)
_units("money", "CNY", "圆 块钱")
_units("money", "USD", "美金")
_units("money", "JPY", "日圆")
_units("money", "CAD", "加元")
_units("money", "SGD", "新加坡元")
_units("money", "CHF", "瑞士法郎")
_units("money", "THB", "泰铢")
_units("money", "INR", "卢比")

# magnitude written before the unit (1.7万亿元, 3千万元, 10万家)
_MAG_FACTORS = {
    "万亿": 1e12,
    "千亿": 1e11,
    "百亿": 1e10,
    "亿": 1e8,
    "千万": 1e7,
    "百万": 1e6,
    "十万": 1e5,
    "万": 1e4,
    # traditional characters
    "萬億": 1e12,
    "千億": 1e11,
    "百億": 1e10,
    "億": 1e8,
    "千萬": 1e7,
    "百萬": 1e6,
    "十萬": 1e5,
    "萬": 1e4,
}
_MAG_RE = "|".join(sorted(_MAG_FACTORS, key=len, reverse=True))
# Latin magnitudes of colloquial amounts (薪酬10k~15k, 年薪30w): a fact only when what is measured is money
_LATIN_MAG = {"k": 1e3, "K": 1e3, "w": 1e4, "W": 1e4}
_ANY_MAG = _MAG_FACTORS | _LATIN_MAG
# a one-character unit followed by these characters starts a word instead (家居, 条例, 人口, 部门 ...)
_WORD_AFTER_UNIT: dict[str, str] = {
    "家": "居庭电具长属乡园", "条": "例件款约", "人": "民才员口工类力大", "种": "植类子", "部": "门分署委长",
    "所": "得有以在属", "只": "有是要能", "名": "单称义额", "位": "于置", "处": "理于在", "起": "来步草诉",
    "项": "目", "套": "餐", "份": "额", "类": "型别似", "次": "数序", "台": "湾阶风", "场": "景所地", "款": "项",
    "座": "谈", "张": "家", "批": "准复", "户": "籍", "头": "部", "支": "持付出撑", "首": "先次都", "篇": "章",
    "单": "位", "件": "事", "例": "如", "宗": "教旨", "笔": "记", "票": "据", "年": "度代级", "周": "年边期",
    "度": "过", "天": "然", "米": "粮", "轮": "胎船廓换值流番", "成": "为员本果效立就绩熟交长功都份品型年果", "方": "面式案向法针便位", "列": "入为车", "块": "钱",
    "圆": "满梦周心形桌润融点规", "個": "人体", "項": "目", "條": "例件款約", "種": "植類子", "場": "景所地", "臺": "灣階風",
}  # fmt: skip
_LATIN = "A-Za-z"
_UNIT_ALT = "|".join(re.escape(u) for u in sorted(UNIT_KINDS, key=len, reverse=True))
# the same alternations as tries (the longest word first, as above): a failing position costs a few character
# tests instead of one per unit (CANDIDATE tries every numeral start)
_UNIT_TRIE = trie_regex(list(UNIT_KINDS))
_MAG_TRIE = trie_regex(list(_MAG_FACTORS))
_CN = "零〇一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬億兩貳參"
_CN_CHARS = frozenset(_CN)
_CN_YEAR_CH = CN_YEAR_DIGITS  # digits of a year written in Chinese (一九五六, 二〇二三, 二○二○, 一九八Ｏ)
_AR = r"(?:\d{1,3}(?:[,，]\d{3})+|\d+)(?:\.\d+)?"
_RANGE_SEP = r"\s*(?:-|~|～|—{1,2}|–|至|到)\s*"

# A number followed by a unit (or 百分之N without one). The unit is required, so a run of numerals such as
# 五十万千瓦 backtracks to 五十万 + 千瓦 instead of being read as one unitless number.
# Speed: the pattern starts with ONE character class and the alternatives are chosen by a look-behind on the
# character just read, so the regex engine skips from numeral to numeral with its fast prefix scan instead of
# trying three alternatives at every character (about 3x faster on report text). It reads exactly as
#   百分之[CN]+(?:点[CN]+)? | {_AR}(?:{_RANGE_SEP}{_AR})? | [CN]+(?:[至到][CN]+)?   + 余/多 + unit.
_AR_REST = r"(?:\d{0,2}(?:[,，]\d{3})+|\d*)(?:\.\d+)?"  # _AR after its first digit
# a range whose lower bound carries its own magnitude (10万—50万元, 1 万(含)-5 万元, 5000万至1亿元), with a short
# bracketed aside allowed after it: the lower bound is read in the upper bound's unit (_read_candidates)
_LOW_MAG = rf"\s?(?P<lomag>(?:{_MAG_TRIE})(?=[\s（(\-~～—–至到])|[kKwW](?=\s*[-~～—–至到]))(?:\s?[（(][^（）()\d]{{1,4}}[）)])?"
# digits + a hundreds/thousands numeral before a currency (9佰日元, 5千元; not 5千米, 3千瓦, 2千万元)
_SMALL_MAG = r"[百千佰仟拾](?=\s?(?:元|圆|块钱|[美港欧日韩澳加]元|英镑|人民币))"
CANDIDATE = re.compile(
    rf"""
    (?P<num>
        [\d{_CN}]
        (?:
            (?P<pct>(?<=百)分之[{_CN}]+(?:[点點][{_CN}]+)?)
          | (?<=\d){_AR_REST}(?:{_SMALL_MAG}|(?:{_LOW_MAG})?{_RANGE_SEP}(?P<hi>{_AR}))?
          | (?<=[{_CN}])[{_CN}]*(?:[点點][{_CN}]+|[至到][{_CN}]+)?
        )
    )
    (?P<fuzzy>余|多)?
    \s?
    (?:
        (?P<unit>(?:{_MAG_TRIE})?(?:{_UNIT_TRIE}))
      | (?P<mag>{_MAG_TRIE})(?P<fuzzy2>余|多)(?P<unit2>{_UNIT_TRIE})
      | (?<=[\d余多])(?P<bare>{_MAG_TRIE}|[kKwW](?![A-Za-z0-9]))(?P<fuzzy3>余|多)?
    )?
    (?(unit)|(?(pct)|(?(unit2)|(?(bare)|(?!)))))
    """,
    re.VERBOSE,
)
FRACTION = re.compile(
    r"(?<![\d./:：∶／])(?P<a>\d+(?:\.\d+)?)\s*(?P<sep>[/／:：∶])\s*(?P<b>\d+(?:\.\d+)?)(?![\d./:：∶／])"
)
_FRACTION_SEPS = frozenset("/／:：∶")
CN_FRACTION = re.compile(rf"(?P<b>[{_CN}]+)分之(?P<a>[{_CN}]+)")
# a list sharing one unit at its end: 7.99亿、4.54亿、3.35亿和2.65亿户
LIST_RE = re.compile(
    rf"(?P<items>(?:{_AR}(?:{_MAG_RE})\s*[、，和及与]\s*)+){_AR}(?P<mag>{_MAG_RE})(?P<unit>{_UNIT_ALT})"
)
LIST_ITEM = re.compile(rf"({_AR})({_MAG_RE})")
_LIST_HINT = re.compile(rf"\d(?:{_MAG_RE})\s*[、，和及与]")  # cheap test before LIST_RE (no fast prefix)

APPROX_BEFORE = re.compile(
    r"(?:大约|约为|约合|约|超过|超出|超|将近|接近|近|逾|突破|不足|不到|不少于|不低于|至少|多达)\s*$"
)
APPROX_AFTER = re.compile(r"\s*(?:以上|左右|上下|多|余|之多|以内|以下)")
_APPROX_AFTER_FIRST = frozenset("以左上多余之")  # first characters of APPROX_AFTER's words (after spaces)
ORDINAL_BEFORE = re.compile(
    r"(?:第|(?<![\u4e00-\u9fff])(?:图|表|附表|附件)|卷|No\.?|NO\.?|编号|排名|位列)\s*$"
)
_YEARLIKE = re.compile(r"^(?:1[89]|20)\d\d$")

# ------------------------------------------------------------------------------------------------- time
_CN_YEAR = rf"[{_CN_YEAR_CH}]{{4}}"
# 1000-1899 in digits is a year only where 年 follows (1840年以来, 1883—1885年; not 1500吨, 1840万) and not as a
# length of time (1500年间, 寿命1700年以上, 1000多年)
_OLD_YEAR_AFTER = r"(?=\s*年(?!以上|以下|左右|多|余|之久|历史|的历史|间|时间|来|里|内|前|[〇○零一二两三四五六七八九十\d]))"
_OLD_YEAR_RANGE = r"(?=\s*(?:-|~|～|—{1,2}|–|至|到)\s*1\d\d\d\s*年)"
_YEAR = rf"(?:(?:19|20)\d\d|1[0-8]\d\d{_OLD_YEAR_AFTER}|{_CN_YEAR})"
_PERIOD_TAIL = (
    r"(?:年度|年)(?:底|末|初|上半年|下半年|前三季度|前两季度|第?[一二三四1-4]季度|全年|"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,2})(?:月(?:份|底|末|初)?)?(?:(?:至|到|-|~)(?:\d{1,2}|[一二三四五六七八九十]{1,2})月(?:份|底|末)?)?"
    r"(?<=[月份底末初])"  # 1-9月 as 1月至9月; a month is named
    r")?"
)
# Read as  range: YEAR 年? - YEAR 年, or two years listed as two (一九七九和一九八○两年, 2022年、2023年两个年度) |
# year: YEAR + period tail | rel: 今/去/明/前年... | window: 近/过去/最近/前 N 年
# | since: N 年来 (五年来, 十年来: the window of the N years up to the text's time, as 近N年)
# | cn_bare: a year in Chinese digits without 年 (一九五八，将…: taken only where it opens a clause, see _time_mentions).
# As in CANDIDATE, the first character is read by one class and the alternatives check it by look-behind,
# so that the engine's fast prefix scan applies (group texts start after that first character).
# _YEAR after its first character
_YEAR_REST = (
    rf"(?:(?<=1)9\d\d|(?<=2)0\d\d|(?<=[{_CN_YEAR_CH}])[{_CN_YEAR_CH}]{{3}}"
    rf"|(?<=1)[0-8]\d\d(?:{_OLD_YEAR_AFTER}|{_OLD_YEAR_RANGE}))"
)
TIME_RE = re.compile(
    rf"""
    [1-9{_CN_YEAR_CH}十两今去明前近过最]
    (?:
        (?P<range>{_YEAR_REST}\s*年?\s*(?:
            (?:-|~|～|—{{1,2}}|–|至|到|比)\s*{_YEAR}\s*年(?:度)?
          | (?P<pair>[和、及与])\s*{_YEAR}\s*年?\s*[两兩]个?年(?:度)?))
      | (?P<year>{_YEAR_REST}\s*{_PERIOD_TAIL})
      | (?P<rel>(?<=[今去明前])年(?:(?:\d{{1,2}}|[一二三四五六七八九十]{{1,2}})月?(?:(?:至|到|-)(?:\d{{1,2}}|[一二三四五六七八九十]{{1,2}})月)?(?<=月)(?:份|底|末)?|底|末|初|上半年|前三季度|第?[一二三四]季度)?)
      | (?P<window>(?:(?<=近)|(?<=过)去|(?<=最)近|(?<=(?<!提)前))(?:\d{{1,2}}|[一二两三四五六七八九十]{{1,2}})年)
      | (?P<since>(?<=[1-9一二两三四五六七八九十])(?:\d|[一二两三四五六七八九十]){{0,2}}年以?来)
      | (?P<cn_bare>(?:(?<=一)九|(?<=二)[〇○零Ｏ])[{_CN_YEAR_CH}]{{2}}(?![{_CN_YEAR_CH}年十百千万亿两兩点号次个型项所届期级\d]))
    )
    """,
    re.VERBOSE,
)
_BARE_YEAR_AFTER = frozenset("，,。；;：:！？!?（(“\"　 \n\t")  # what may stand before a year written without 年
_WINDOW_AFTER = re.compile(r"^(?:来|以来|间|里|中|内|前(?![三两]季度)|行动|计划|规划|攻坚)")  # 3年前: a time, not a duration
_WINDOW_BEFORE = re.compile(r"(?:近|过去|最近|未来|今后|这|此后|前|后|之后)\s*$")

# ------------------------------------------------------------------------------------------------- comparison
COMPARISONS: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"高出|高于"), "高出"),
    (re.compile(r"拉动"), "拉动"),
    (re.compile(r"复合增长率|复合增速"), "复合增长率"),
    (re.compile(r"年均(?:增长|增速|增幅|提高)"), "年均增速"),
    (
        re.compile(
            r"同比(?:增长|增長|增加|提高|上升)|(?:较|比)(?:上年|去年|上年同期|去年同期)(?:同期)?(?:增长|增加|提高)"
        ),
        "同比增长",
    ),
    (re.compile(r"同比(?:下降|减少|降低)|(?:较|比)(?:上年|去年)(?:同期)?(?:下降|减少)"), "同比下降"),
    (re.compile(r"比重"), "比重"),
    (re.compile(r"占比|占[^，。；、]{0,20}的?$|占$"), "占比"),
    (re.compile(r"低于"), "低于"),
    (re.compile(r"贡献率"), "贡献率"),
    (re.compile(r"增速|增长|增長|增加(?!值)|提高|提升|上升|增幅"), "增长"),  # 增加值 is value added, not a rise
    (re.compile(r"下降|减少|降低|降幅|回落"), "下降"),
)
_GROWTH = {"同比增长", "增长", "年均增速", "复合增长率", "同比下降", "下降"}

# ------------------------------------------------------------------------------------------------- indicator
_CLAUSE_BOUNDARY = re.compile(r"[，,。；;：:！？!?、（）()\[\]【】“”\"]")
_CLAUSE_START = re.compile(
    rf".*{_CLAUSE_BOUNDARY.pattern}", re.DOTALL
)  # greedy: ends after the last boundary
_BRACKETED = re.compile(r"《[^》]*》|（[^）]*）|\([^)]*\)")
_LEAD = re.compile(
    r"^(?:可以|能够|可望|有望|[一二三四五六七八九十]是|首次|再次|首度|应用于|用于|集中于|分布于|来自于|来自|其中|此外|另外|同时|目前|当前|截至|截止|到了|到|至|于|在|预计|推动|推进|按照|根据|全年|年内|已经|已|将|共|累计|对比|相比|"
    r"与|较|比|具体表现为|表现为|据统计|统计显示|数据显示|显示|实现|完成|形成|建成|构建|拥有|共有|有|是|全部|"
    r"迅猛|快速|大幅|稳步|持续|显著|进一步|分别|同期|均|总体|整体|全市|全省|全区|仅有|只有|仅|约|虽然|但是|但|而且|而|"
    r"并且|并|且|也|还|又|再|就(?![业医学读诊近地])|即|从而|因此|所以|力争|确保|努力|(?:该|本|全|其)(?:省|市|区|县|地区)|其(?![他它余])|该|这|此|共计|合计|总计|新增|"
    r"拥有|完成|达到)"
)
_TRAIL = re.compile(
    r"(?:(?:为|达|达到|已达|将达|有望达到|有望达|有望|可望|约为|约|超|超过|突破|逾|近|接近|增长至|增长到|增至|增加到|增加至|提高到|"
    r"提高至|提升到|提升至|降至|下降到|下降至|减少到|减少至|分别为|分别|是|的|了|已|将|共|计|合计|总计|累计|至|到|"
    r"高达|仅|只有|预计|迅猛|快速|大幅|稳步|持续|显著|实现|完成|规模化|由|从|在|于|都|也|仍|则|迈上|迈入|压缩至|压缩到|缩小至|缩小到|"
    r"缩至|缩短至|缩短到|平均|连续|继续|共有|保持|稳定在|稳定于|\s)+)$"
)
_GROWTH_TAIL = re.compile(
    r"(?:将|要|预计)?(?:同比|比上年|较上年|比去年|较去年|(?<![占对])[都又也还]?比)?[都又也还]?"
    r"(?:要|将|预期|预计|继续|计划)?(?:分别)?"
    r"(?P<avg>年均)?(?:实际)?"
    r"(?P<verb>增长|增加|提高|上升|下降|减少|降低|回落)$"
)
# the verb right before the number (approximation words aside): 增长8.5%, 下降近3% (not 上升到63%)
_RATE_BEFORE = re.compile(r"(?:增长|增加|提高|上升|下降|减少|降低|回落)了?(?:约|近|超过?|逾|达)?$")
_LEVEL_BEFORE = re.compile(
    r"(?:增长|增加|提高|上升|下降|减少|降低|回落|提升)(?:到|至)(?:(?:19|20)\d\d年(?:底|末)?的?)?(?:约|近|超过?|逾)?$"
)  # 提高到63%, 提高到2024年的10%: the level reached
_SHARE_CHANGE = re.compile(r"占比(?:增长|增加|提高|上升|下降|减少|降低)$")  # 占比增长2%: a change of the share
_SHARE_WORDS = ("比重", "占比", "比例", "份额")


# adverbs and verbs of change after a share word, ending a stem: 比重将上升, 比例继续保持, 比例仍将不(超过)
_SHARE_VERB_TAIL = re.compile(
    r"(?<=比重|占比|比例|份额)(?:[将则都仍还又要再也不]|继续|每年|首次|同比|上升|下降|提高|降低|增加|减少|保持|增长|扩大|缩小)+$"
)


def _names_share(stem: str) -> bool:
    """Whether a stem holding 占 names its share already: it ends with a share word, or one follows the 占 (服务业
    增加值占国内生产总值比重上升, …比例继续保持: a verb after the share, which must not get a second 比重)."""
    if stem.endswith(_SHARE_WORDS):
        return True
    after = stem[stem.index("占") + 1 :]
    return any(w in after for w in _SHARE_WORDS)


_RISE_VERBS = frozenset(["增长", "增加", "提高", "上升"])
_COMPARISON_ONLY = re.compile(
    r"^(?:同比|较上年|比上年|较去年|比去年|年均|(?:[两三四五]年)?平均"
    r"|[较比]?(?:上次|上期|上月|上季度|上年同期|去年同期|[\d一二两三四五六七八九十]+年前))?"
    r"(?:增长|增速|增幅|增加|提高|提升|上升|下降|减少|降低|降幅|占比|比重|复合增长率)$"
)
# the noun after a count: word characters and short quoted names (13个“一件事”改革); cut by _NOUN_END, then
# where a number follows a Chinese character (1000家新增规上工业企业2500家: no punctuation between two facts)
# a noun after a value; a short bracketed qualifier may sit inside it (12个县（市、区）, 15个国家级（省级）示范园区)
_AFTER_NOUN = re.compile(
    r"(?:[\u4e00-\u9fffA-Za-z0-9]|“[^“”，。；、]{1,12}”)"
    r"(?:[\u4e00-\u9fffA-Za-z0-9]|“[^“”，。；、]{1,12}”|（(?!占|含|其中|约|共|合计|即|不含)[\u4e00-\u9fff、]{1,6}）)*"
)
_NUMBER_AFTER_WORD = re.compile(r"(?<=[\u4e00-\u9fff”])\d")
# a verb that opens a new clause right after a number, where the text has no punctuation (企业1000家新增…)
_NEW_CLAUSE_VERB = re.compile(r"新增|新建|新开工|建成|完成|实现|累计|达到|培育|打造|引进|开展|实施|推动|推进|带动|惠及")
# what follows a count but is no noun of it: another number (505户1748人) or a new clause's verb (1000家新增…)
_NOT_AFTER_NOUN = re.compile(
    rf"\d+(?:\.\d+)?(?![A-Za-z])|{_NEW_CLAUSE_VERB.pattern}|增加|增长|提高|提升|上升|下降|减少|降低|扩大|缩小|增至|降至|升至"
)
_MAX_INDICATOR = 24
# the last characters of _COMPARISON_ONLY's words (and \n, before which its $ also matches)
_COMPARISON_ONLY_LAST = frozenset(
    [*(w[-1] for w in re.findall(r"[^|()?:^$\[\]]+", _COMPARISON_ONLY.pattern.rsplit("(?:", 1)[1])), "\n"]
)


def _comparison_only(stem: str) -> bool:
    """``_COMPARISON_ONLY.match(stem)``: its last character decides most cases without a regex call."""
    return stem[-1:] in _COMPARISON_ONLY_LAST and _COMPARISON_ONLY.match(stem) is not None


# ------------------------------------------------------------------------------------------------- scanning
# Where CANDIDATE, TIME_RE and the gazetteer names may start, and which characters may start a fact at all, found
# for a whole document in ONE numpy pass over its sentences (a table look-up per character and one per pair of
# characters). Paragraphs and sentences where no fact can start are skipped at once, and each pattern is tried
# only at its starts (nlp.extract.scan.iter_matches_at: exactly the matches of finditer) instead of a regex scan
# of every character per pattern and per sentence. (nlp.extract.scan.StartScanner does the first part for
# literal groups; the fact filter below also looks at the character after a pair, so the pairs are tabled here.)
_B_DIGIT = 1  # a \d: CANDIDATE, LIST_RE and FRACTION start at one
_B_CN_START = 2  # a numeral + what may follow it in a CANDIDATE match (a unit is required)
_B_TIME = 4  # the opening pair of a TIME_RE match
_B_REGION = 8  # the first two characters of a gazetteer name
_B_CN_FACT = 16  # a numeral + a numeral, 至/到, 余/多, a space or 分: a number that _accept_here may take
_B_MONEY = 32  # the opening pair of a money, percent or multiple unit (一亿元, 两倍; not 一个, 五年)
_B_CN = 64  # a numeral
_B_SINCE = 128  # the opening pair of a TIME_RE ``since`` match (N年来): a start only with 年 1-3 chars on
_NIAN = ord("年")


@dataclass(frozen=True, slots=True)
class _PairTable:
    """Bits of each pair of characters: ``bits[cls[a] * k + cls[b]]`` (characters that no rule names share 0)."""

    cls: np.ndarray  # code point -> class (uint16)
    bits: np.ndarray  # flattened k x k uint8
    k: int
    is_mag: np.ndarray  # per class: the first character of a magnitude (万, 亿, 千万 ...)


@lru_cache(maxsize=1)
def _pair_table() -> _PairTable:
    """The pair table of the fact patterns (built once per process: ~0.1 s, it reads every code point)."""
    cps = np.arange(0x110000, dtype=np.uint32)
    every = cps[(cps < 0xD800) | (cps > 0xDFFF)].tobytes().decode("utf-32-le")
    digits = re.findall(r"\d", every)  # what \d accepts: every Unicode decimal digit (０-９ too)
    spaces = re.findall(r"\s", every)
    # CANDIDATE led by a numeral: the next character continues the numeral or a range, is 余/多, a space, a
    # magnitude or a unit's first character, or 分 (百分之; 三分之一 opens CN_FRACTION)
    cont = {*_CN, *"至到余多分点點", *spaces}
    after_cn = cont | {u[0] for u in UNIT_KINDS} | {m[0] for m in _MAG_FACTORS}
    # TIME_RE: 19xx/20xx, four Chinese year digits, 今年/去年/明年/前年, 近/前 + a number of years, 过去, 最近
    times = ["19", "20", "今年", "去年", "明年", "前年", "过去", "最近"]
    times += [a + b for a in _CN_YEAR_CH for b in _CN_YEAR_CH]
    times += [a + b for a in "近前" for b in [*digits, *"一二两三四五六七八九十"]]
    # N年来: a numeral or a digit before 年, or two of them (三十年来, 十五年来, 20年来); and 10-18, which open years
    # 1000-1899 (1840年以来). A pair that opens no other TIME_RE match is a start only where 年 follows within 3
    # characters, or (10-18) two more digits (see _Scan)
    since = [*"123456789", *"一二两三四五六七八九十"]
    since_pairs = [a + b for a in since for b in [*"年0123456789", *"一二两三四五六七八九十"]]
    gaz = load_gazetteer()
    heads = sorted(gaz.heads if gaz.heads is not None else {n[:2] for n in gaz.names})
    money = [u for u, (kind, _) in UNIT_KINDS.items() if kind in ("money", "percent", "multiple")]
    # classes: characters that play the same part share one (the non-ASCII digits, the spaces)
    cls_of = {c: 1 for c in digits if not c.isascii()} | {c: 2 for c in spaces}
    used = "".join(times + since_pairs + heads + money)
    named = {*"0123456789", *after_cn, *used} - cls_of.keys()
    cls_of |= {c: i for i, c in enumerate(sorted(named), start=3)}
    k = len(named) + 3
    cls = np.zeros(0x110000, dtype=np.uint16)
    cls[[ord(c) for c in cls_of]] = list(cls_of.values())
    table = np.zeros((k, k), dtype=np.uint8)

    def ids(chars: Iterable[str]) -> list[int]:
        return sorted({cls_of[c] for c in chars})

    def pairs(literals: Iterable[str], bit: int) -> None:
        for lit in literals:
            if len(lit) == 1:
                table[cls_of[lit], :] |= bit  # any character after a one-character literal
            else:
                table[cls_of[lit[0]], cls_of[lit[1]]] |= bit

    table[ids(digits), :] |= _B_DIGIT
    table[np.ix_(ids(_CN), ids(after_cn))] |= _B_CN_START
    pairs(times, _B_TIME)
    pairs(since_pairs, _B_SINCE)
    pairs(heads if gaz.heads is not None else gaz.names, _B_REGION)
    table[np.ix_(ids(_CN), ids(cont))] |= _B_CN_FACT
    pairs(money, _B_MONEY)
    table[ids(_CN), :] |= _B_CN
    is_mag = np.zeros(k, dtype=bool)
    is_mag[ids(m[0] for m in _MAG_FACTORS)] = True
    return _PairTable(cls=cls, bits=table.ravel(), k=k, is_mag=is_mag)


class _Scan:
    """Candidate starts in one text (a document's sentences joined, or one sentence), ascending.

    ``num``: where CANDIDATE may match (digits and numerals), ``digit``: every \\d, ``time``: TIME_RE,
    ``region``: the default gazetteer's names; ``fact`` (numpy): where a fact may start at all (a superset of
    the starts of accepted CANDIDATE, LIST_RE, FRACTION and CN_FRACTION matches; not of rejected ones).
    """

    __slots__ = ("digit", "digit_mag", "fact", "num", "region", "text", "time")

    def __init__(self, text: str) -> None:
        self.text = text
        table = _pair_table()
        cps = np.frombuffer((text + "\0").encode("utf-32-le", "surrogatepass"), np.uint32)
        ids = np.take(table.cls, cps)
        code = ids[:-1].astype(np.int32)
        code *= table.k
        code += ids[1:]
        bits = np.take(table.bits, code)
        pos = np.flatnonzero(bits)
        found = bits[pos]
        after = np.take(bits, pos + 1, mode="clip")  # the next pair (the last position: itself, a superset)
        money_after = ((found & _B_CN) != 0) & ((after & _B_MONEY) != 0)  # 一亿元, 两倍, 三成 is no unit
        self.fact = pos[((found & (_B_DIGIT | _B_CN_FACT)) != 0) | money_after]
        self.num = pos[(found & (_B_DIGIT | _B_CN_START)) != 0].tolist()
        digits = pos[(found & _B_DIGIT) != 0]
        self.digit = digits.tolist()
        # a digit before a magnitude (7.99亿、...): where _LIST_HINT may match
        self.digit_mag = digits[table.is_mag[np.take(ids, digits + 1)]].tolist()
        timed = found & (_B_TIME | _B_SINCE)
        since_only = np.flatnonzero(timed == _B_SINCE)
        if len(since_only):
            # a pair that only N年来 opens (12, 三十, 五年): that match has 年 1-3 characters after its start
            at = pos[since_only]
            c1, c2, c3 = (np.take(cps, at + i, mode="clip") for i in (1, 2, 3))
            near = (c1 == _NIAN) | (c2 == _NIAN) | (c3 == _NIAN)
            # 1000-1899: 1, one of 0-8, then two \d (any decimal digit: the non-ASCII ones are class 1)
            old_year = (cps[at] == 49) & (c1 >= 48) & (c1 <= 56)
            old_year &= ((c2 >= 48) & (c2 <= 57)) | (np.take(ids, at + 2, mode="clip") == 1)
            old_year &= ((c3 >= 48) & (c3 <= 57)) | (np.take(ids, at + 3, mode="clip") == 1)
            near |= old_year
            timed[since_only[~near]] = 0
        self.time = pos[timed != 0].tolist()
        self.region = pos[(found & _B_REGION) != 0].tolist()


def _window(starts: list[int], a: int, b: int) -> list[int]:
    """The starts in ``[a, b)``."""
    i = bisect_left(starts, a)
    return starts[i : bisect_left(starts, b, i)]


def _local(starts: list[int], a: int, b: int) -> list[int]:
    """The starts in ``[a, b)`` as offsets from ``a``."""
    i = bisect_left(starts, a)
    j = bisect_left(starts, b, i)
    return [p - a for p in starts[i:j]] if a else starts[i:j]


# A sentence inside a scanned text: (the text's scan, the sentence's offset in that text).
_Where = tuple[_Scan, int]


# ================================================================================================= helpers
def _first_chars(pattern: re.Pattern[str]) -> frozenset[str] | None:
    """The characters a match of ``pattern`` can start with (None when that cannot be told simply).

    A cheap guard before a regex call on a short window: ``_FIRST.isdisjoint(window)`` means no match can start
    there. Read from the parsed pattern (literals, classes of literals and small ranges, alternations, groups,
    zero-width assertions skipped); anything else (repeats, categories, case folding) gives None: no guard.
    """
    if pattern.flags & re.IGNORECASE:
        return None
    try:
        from re import _constants as sre_c  # private but stable since 3.11; failures only drop the guard
        from re import _parser as sre_p

        def first(items: list) -> set[str] | None:  # type: ignore[type-arg]
            for op, av in items:
                if op in (sre_c.AT, sre_c.ASSERT, sre_c.ASSERT_NOT):
                    continue  # zero width: the first character comes after
                if op is sre_c.LITERAL:
                    return {chr(av)}
                if op is sre_c.IN:
                    chars: set[str] = set()
                    for op2, av2 in av:
                        if op2 is sre_c.LITERAL:
                            chars.add(chr(av2))
                        elif op2 is sre_c.RANGE and av2[1] - av2[0] <= 256:
                            chars.update(chr(c) for c in range(av2[0], av2[1] + 1))
                        else:
                            return None
                    return chars
                if op is sre_c.BRANCH:
                    out: set[str] = set()
                    for alt in av[1]:
                        sub = first(list(alt))
                        if sub is None:
                            return None
                        out |= sub
                    return out
                if op is sre_c.SUBPATTERN:
                    return first(list(av[3]))
                return None
            return None  # can match the empty string

        found = first(list(sre_p.parse(pattern.pattern, pattern.flags)))
    except Exception:  # noqa: BLE001 (an unreadable pattern only loses the guard)
        return None
    return frozenset(found) if found is not None else None


_TITLE_SPAN = re.compile(r"《[^《》]*》")
_QUOTE_SPAN = re.compile(r"“[^“”]{0,10}”|\"[^\"]{0,10}\"")
_DIGIT = re.compile(r"\d")


_RANGE_SPLIT = re.compile(_RANGE_SEP)
_CN_RANGE_SPLIT = re.compile(r"[至到]")
_SPACES = re.compile(r"\s+")
_YEAR_DIGITS = re.compile(r"\d{4}")  # in a range label (19xx/20xx, or any year once in digits: 一八四〇年)
_PLAIN_YEAR = re.compile(r"(\d{4})年度?")
_SHARE_AFTER = re.compile(r"的?(?:占比|比重)")
_SHARE_AFTER_FIRST = frozenset("的占比")
_REL_PERIOD = re.compile(r"(?:上年|去年|同期|当年|全年)")
_FROM = re.compile(r"(?<=.)(?:由(?!于)|从(?![业事严而未来中头]))")  # 行业从业人员, 由于: no "from"
_SHARE_BEFORE = re.compile(r"(?:占[^，。；、,;：:\d]{0,8}|约|近|超|为|达|的|仅)\s*$")  # 占全国1/4, 约1/3
_CN_YEAR_NUM = re.compile(_CN_YEAR)
_ENUMERATION = re.compile(r"[一二两三四五六七八九十]+(?:是|要|大|方面|批|次会议|届)")
_NOUN_END = re.compile(
    r"(?:的|(?<![高中初同平对相均优次上])等(?![级待同效])|[和及与](?=.*\d)|(?:达到?|为|超过?|约|近|突破|累计)(?=\d))"
)
_OF_NOUN = re.compile(r"的([\u4e00-\u9fff]{2,12})")
_OPT_OF_NOUN = re.compile(r"的?([\u4e00-\u9fff]{2,12})")
_LEAD_FIRST = _first_chars(_LEAD)
_ORDINAL_FIRST = _first_chars(ORDINAL_BEFORE)
_APPROX_FIRST = _first_chars(APPROX_BEFORE)
_APPROX_LAST = frozenset(w[-1] for w in re.findall(r"[^|()?:\\s*$]+", APPROX_BEFORE.pattern))
_WINDOW_BEFORE_FIRST = _first_chars(_WINDOW_BEFORE)
# last characters of the trailing fillers _TRAIL strips (whitespace is tested apart)
_TRAIL_LAST = frozenset(w[-1] for w in re.findall(r"[^|()?:\\s+$]+", _TRAIL.pattern))
# every character the two tail patterns name (a superset of what their matches hold, whitespace aside): a match
# ending the text lies in its longest suffix of these characters, so the search starts there, not at 0
_TRAIL_CHARS = frozenset(_TRAIL.pattern)
_GROWTH_TAIL_CHARS = frozenset(_GROWTH_TAIL.pattern)


def _suffix_start(text: str, chars: frozenset[str]) -> int:
    """Where the longest suffix of ``text`` made of ``chars`` and whitespace starts."""
    j = len(text)
    while j and (text[j - 1] in chars or text[j - 1].isspace()):
        j -= 1
    return j


def _growth_tail(text: str) -> re.Match[str] | None:
    """``_GROWTH_TAIL.search(text)``, started where a match may start (:func:`_suffix_start`)."""
    return _GROWTH_TAIL.search(text, _suffix_start(text, _GROWTH_TAIL_CHARS))


def _spans(pattern: re.Pattern[str], text: str) -> list[tuple[int, int]]:
    """Character ranges of 《titles》 or short “quoted terms” (numbers inside them are names, not facts)."""
    return [m.span() for m in pattern.finditer(text)] if pattern.pattern[0] in text or '"' in text else []


def _inside(pos: int, spans: Sequence[tuple[int, int]]) -> bool:
    for a, b in spans:
        if a <= pos < b:
            return True
    return False


def _parse_value(num: str) -> tuple[float, float | None]:
    """(value, value_max) of a written number; ranges (7-10, 两到三) give both bounds."""
    if num.isascii() and (num.isdigit() or _PLAIN_DECIMAL.fullmatch(num)):
        return float(num), None  # the common case: 4295.58, 50.9
    num = num.replace(",", "").replace("，", "")
    if _DIGIT.search(num):
        parts = _RANGE_SPLIT.split(num, maxsplit=1)
    elif "至" in num or "到" in num:
        parts = _CN_RANGE_SPLIT.split(num, maxsplit=1)
    else:
        parts = [num]  # numerals with no 至/到: no range (_CN_RANGE_SPLIT would not split)
    if len(parts) == 2 and parts[0] and parts[1]:
        return parse_number(parts[0]), parse_number(parts[1])
    return _parse_plain(num), None


_PLAIN_DECIMAL = re.compile(r"\d+(?:\.\d+)?")


def _parse_plain(num: str) -> float:
    """parse_number with a fast path for the common case, a plain ASCII decimal (4295.58, 50.9)."""
    if num.isascii() and (num.isdigit() or _PLAIN_DECIMAL.fullmatch(num)):
        return float(num)
    return _parse_cached(num)


@lru_cache(maxsize=4096)
def _parse_cached(num: str) -> float:
    """Chinese numerals repeat (百分之十, 三十, 两百): read each spelling once per process."""
    return parse_number(num)


@lru_cache(maxsize=1024)
def _split_unit(unit: str) -> tuple[float, str]:
    """(magnitude factor, base unit): 亿元 -> (1e8, 元), 万标准机架 -> (1e4, 标准机架), % -> (1, %); a rate's time
    (万吨/日) is no part of the base unit."""
    if "/" in unit and unit[0] != "/":
        unit = unit.split("/", 1)[0]
    for mag in sorted(_MAG_FACTORS, key=len, reverse=True):
        if unit.startswith(mag) and unit[len(mag) :] in UNIT_KINDS:
            return _MAG_FACTORS[mag], unit[len(mag) :]
    return 1.0, unit


_TIME_GROUPS = (0, "range", "pair", "cn_bare", "year", "rel", "since")


def _time_mentions(
    text: str, blocked: Sequence[tuple[int, int]], where: _Where | None = None
) -> list[tuple[int, int, str, bool]]:
    """(start, end, label, absolute) of year/period expressions outside 《titles》, left to right.

    ``where``: the scan ``text`` is part of (TIME_RE is then tried at its starts only, in the scanned text cut
    at the sentence's end: its look-behinds only read characters of the match); None: scan ``text``.
    """
    out = []
    if where is None:
        matches: Iterable[re.Match[str]] = TIME_RE.finditer(text)
        at = 0
    else:
        scan, at = where
        end_at = at + len(text)
        lo = bisect_left(scan.time, at)
        matches = _matches_in(TIME_RE, scan.text, scan.time[lo : bisect_left(scan.time, end_at, lo)], end_at)
    for m in matches:
        start, end = m.start() - at, m.end() - at
        if _inside(start, blocked):
            continue
        whole, is_range, pair, cn_bare, is_year, rel, since = m.group(*_TIME_GROUPS)  # one call for all
        label = whole if whole.isalnum() else _SPACES.sub("", whole)  # no space in letters and digits
        if is_range:
            years = _YEAR_DIGITS.findall(label)
            if len(years) < 2:
                years = _YEAR_DIGITS.findall(_digit_label(label))  # 一九七一年到一九七八年 -> 1971-1978
            if len(years) == 2:
                a, b = sorted(years)
                if pair and int(b) - int(a) != 1:
                    label = b  # 1978和1980两年: not a span of years (rare; the later one, as without the list)
                else:
                    label = f"{a}-{b}"
            out.append((start, end, label, True))
        elif cn_bare:
            # 一九五八，将…, 一九五八粮食的指标为…: four year digits that open a clause, with no 年 written (a year
            # all the same: numbers in Chinese numerals are written with 十/百/千, not digit by digit); elsewhere
            # (编号一九五八…) they are left alone
            if start and text[start - 1] not in _BARE_YEAR_AFTER:
                continue
            out.append((start, end, _digit_label(label), True))
        elif is_year:
            if text.startswith("以来", end) and _RECORD_AFTER.match(text, end):
                continue
            if text[end : end + 1] in _NAMED_AFTER_YEAR_FIRST and _NAMED_AFTER_YEAR.match(text, end):
                continue  # 2035年远景目标纲要, 2030年前碳达峰行动方案: a year inside a name dates nothing
            if label[0] in _CN_YEAR_CH:
                label = _digit_label(label)  # 一九七八年 -> 1978, 二〇二三年底 -> 2023年底: labels give years in digits
            out.append((start, end, _plain_year(label), True))
        elif rel:
            out.append((start, end, label, False))
        elif since and label[0] == "一" and label[1] == "年":
            continue  # 一年来: the past year (a section's lead reads it against the document's year)
        elif since and start and text[start - 1].isdigit():
            continue  # 1500年来: not 500年来 (a length of time in digits is no window)
        else:
            out.append((start, end, label, False))
    if _has_plan_period(text):
        out = sorted(out + _plan_periods(text, blocked))
    return out


# a year that is part of the name of a goal or plan (2035年远景目标, 2030年可持续发展议程, 2030年前碳达峰行动方案)
_NAMED_AFTER_YEAR = re.compile(r"前?(?:远景目标|可持续发展议程|碳达峰行动|议程)")
_NAMED_AFTER_YEAR_FIRST = frozenset("前远可碳议")


# "十四五"时期 / 期间 / 末, 七五计划时期, 第六个五年计划期间: the years of a five-year plan (plan k runs
# 1966 + 5 (k - 3) ... + 4 from the third on; 一五 1953-1957, 二五 1958-1962); not after a numeral (一九七五期间 is no plan)
_PLAN_PERIOD = re.compile(
    r"(?<![〇○零Ｏ一二三四五六七八九十\d])(?:(?P<plan>十[一二三四五]五|[一二三四五六七八九]五)[”\"]?(?:计划|规划)?"
    r"|第(?P<ordinal>十[一二三四五]?|[一二三四五六七八九])个五年(?:计划|规划))(?P<tail>时期|期间|末)"
)
_PLAN_NUMBER = {"十": 10, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
_EARLY_PLAN_START = {1: 1953, 2: 1958}  # the third plan began in 1966, after three years of readjustment


def _plan_number(numeral: str) -> int:
    """The number of a plan from its numeral (六, 十一, 十四)."""
    return sum(_PLAN_NUMBER[c] for c in numeral)


def _plan_start(k: int) -> int:
    """The first year of the k-th five-year plan."""
    return _EARLY_PLAN_START.get(k, 1966 + 5 * (k - 3))


# 1961年以来最强, 创2011年以来新高: a record's yardstick, not the year a fact (or the next sentence) refers to
_RECORD_AFTER = re.compile(r"以来(?:的|同期)?(?:最|首|新高|新低|罕见|少有|历史)")


def _has_plan_period(text: str) -> bool:
    """Cheap test before :data:`_PLAN_PERIOD` (a five-year plan named with 时期/期间/末)."""
    return "五" in text and ("时期" in text or "期间" in text or "五末" in text or "五”末" in text or "划末" in text)


def _plan_periods(text: str, blocked: Sequence[tuple[int, int]]) -> list[tuple[int, int, str, bool]]:
    """(start, end, label, True) of the five-year plan periods in ``text``: 十四五时期 -> 2021-2025, 十三五末 -> 2020年底."""
    out = []
    for m in _PLAN_PERIOD.finditer(text):
        if _inside(m.start(), blocked):
            continue
        plan = m.group("plan")
        k = _plan_number(plan[:-1] if plan else m.group("ordinal"))
        first = _plan_start(k)
        label = f"{first + 4}年底" if m.group("tail") == "末" else f"{first}-{first + 4}"
        out.append((m.start(), m.end(), label, True))
    return out


# how a year in Chinese digits opens: 一九.., 二〇.. (a sentence opening with one states a time even without 年)
_CN_YEAR_OPENINGS = frozenset(["一九", "二〇", "二○", "二零", "二Ｏ"])


# 按一九五二年不变价格计算, 按2020年价格计算, （1990年可比价）: the prices a value is measured in, not its year
_PRICE_BASE_AFTER = re.compile(r"的?(?:(?P<fixed>不变|可比|固定)价|价格)")
_PRICE_BASE_BEFORE = re.compile(r"(?:按|按照|以|用)\s*$")


def _price_base(text: str, time: tuple[int, int, str, bool]) -> bool:
    """Whether ``time`` (a mention in ``text``) names the price base of a value (按2020年价格计算; a 不变价/可比价
    year needs no 按), which dates no fact."""
    m = _PRICE_BASE_AFTER.match(text, time[1])
    return m is not None and (
        m.group("fixed") is not None or _PRICE_BASE_BEFORE.search(text, max(0, time[0] - 3), time[0]) is not None
    )


def _dated(text: str, times: list[tuple[int, int, str, bool]]) -> list[tuple[int, int, str, bool]]:
    """``times`` less the price bases (:func:`_price_base`); the same list when ``text`` names no price."""
    if "价" not in text:
        return times
    return [t for t in times if not _price_base(text, t)]


def _may_have_time(text: str) -> bool:
    """Whether ``text`` may state a year or a period (a 年, a five-year plan's period, or a sentence that opens
    with a year in Chinese digits: 一九五八粮食的指标为…)."""
    return "年" in text or _has_plan_period(text) or text[:2] in _CN_YEAR_OPENINGS


def _matches_in(rx: re.Pattern[str], text: str, starts: list[int], endpos: int) -> list[re.Match[str]]:
    """The matches of ``rx`` in ``text[:endpos]`` tried at ``starts`` (:func:`nlp.extract.scan.iter_matches_at`)."""
    return list(iter_matches_at(rx, text, starts, endpos=endpos))


@lru_cache(maxsize=1024)
def _digit_label(label: str) -> str:
    """:func:`year_in_digits` of a time label, once per spelling (一九五八年 recurs all through a 1959 report)."""
    return year_in_digits(label)


def _plain_year(label: str) -> str:
    """2020年 -> 2020 (the year alone); periods keep their words: 2023年底, 2024年一季度."""
    if label[-1:] not in ("年", "度"):
        return label  # _PLAIN_YEAR ends with 年 or 年度
    m = _PLAIN_YEAR.fullmatch(label)
    return m.group(1) if m else label


_RELATIVE_YEAR = {"今": 0, "去": -1, "明": 1, "前": -2}
_YEAR_ONLY = re.compile(r"(?:19|20)\d\d")
# a time right after 比/较 (比去年增长, 较2020年, 与上年相比 aside) is the term of a comparison
_BASELINE_BEFORE = re.compile(r"(?:比|较|相比|相较|对比)\s*[“\"]?$")  # 比“六五”期间: a period in quotes


# a change stated between the compared year and the number (比去年增长5%; not 对比2019年的28.74%: that year's value)
_CHANGE_WORD = re.compile(r"增|减|提高|提升|上升|下降|降低|回落|扩大|缩小|高|低|多|少")


# 同/与/和 X 相比(较): X is the term of the comparison, as after 比 (“六五”时期同“五五”时期相比，…由A增加到B)
_COMPARED_WITH_BEFORE = re.compile(r"(?:同|与|和|跟)\s*[“\"]?$")
_COMPARED_WITH_AFTER = re.compile(r"[”\"]?\s*(?:同期|时期|期间)?\s*(?:相比|相较|比较)")


def _time_end(text: str, start: int) -> int:
    """The end of the time expression (a year, a period, a plan's period) at ``start``."""
    m = TIME_RE.match(text, start) or _PLAN_PERIOD.match(text, start)
    return m.end() if m else start


def _compared_with(text: str, start: int) -> bool:
    """Whether the time expression at ``start`` is named with 同/与/和 … 相比 (the term of a comparison)."""
    if not start or _COMPARED_WITH_BEFORE.search(text, max(0, start - 2), start) is None:
        return False
    return _COMPARED_WITH_AFTER.match(text, _time_end(text, start)) is not None


# 在2023年国家考评第三的好成绩基础上: a time named as the ground of what follows, in one clause
_BASIS_BEFORE = re.compile(r"在\s*$")
_BASIS_AFTER = re.compile(r"[^，,。；;：:！？!?]{0,30}?基础上")


def _is_basis(text: str, start: int) -> bool:
    """Whether the time expression at ``start`` opens a 在…基础上 frame (在2023年…的好成绩基础上): what follows builds
    on that year, it is not about it."""
    if not start or _BASIS_BEFORE.search(text, max(0, start - 2), start) is None:
        return False
    return _BASIS_AFTER.match(text, _time_end(text, start)) is not None


def _is_comparison_term(text: str, start: int) -> bool:
    """Whether the time expression at ``start`` is named as a term of comparison (比第五个五年计划期间的百分之十一,
    与2020年相比) or as the ground of what follows (在2023年…基础上): the next sentences are not about it, so it
    does not carry over."""
    if not start:
        return False
    return (
        _BASELINE_BEFORE.search(text, max(0, start - 3), start) is not None
        or _compared_with(text, start)
        or _is_basis(text, start)
    )


def _is_baseline(text: str, start: int) -> bool:
    """Whether the time expression at ``start`` is what a change is measured against (比去年同期增长5%: the fact is
    of this year, not of last year; 与“五五”时期相比: the same)."""
    if not start:
        return False
    if _compared_with(text, start):
        return True
    if _BASELINE_BEFORE.search(text, max(0, start - 3), start) is None:
        return False
    end = _time_end(text, start)
    return _CHANGE_WORD.search(text, end, end + 12) is not None


def _resolve_relative(label: str, doc_year: int | None) -> str:
    """今年 / 去年 / 明年 / 前年 against the document's year: 今年6月 -> 2024年6月 (kept literal when unknown)."""
    if doc_year is None:
        return label
    offset = _RELATIVE_YEAR.get(label[0])
    if offset is None or not label.startswith(label[0] + "年"):
        return label
    return _plain_year(f"{doc_year + offset}年{label[2:]}")


# All COMPARISONS in one pass: the alternation finds the leftmost position where any pattern matches and, there,
# the first listed pattern (group i+1 = pattern i). Patterns listed before it do not match at or before that
# position, so only they are tried on the rest of the prefix, again in one pass (the alternation of the first k
# patterns), until none is found: the first listed pattern found anywhere wins.
_ANY_FIRST_K = [None] + [
    re.compile("|".join(f"({pat.pattern})" for pat, _ in COMPARISONS[:k]))
    for k in range(1, len(COMPARISONS) + 1)
]
_ANY_COMPARISON = _ANY_FIRST_K[-1]
_COMPARISON_FIRST = _first_chars(_ANY_COMPARISON)  # no match can start elsewhere (None: no guard)
_COMPARISON_AT = (
    re.compile("[" + "".join(re.escape(c) for c in sorted(_COMPARISON_FIRST)) + "]") if _COMPARISON_FIRST else None
)


def _search_at(rx: re.Pattern[str], text: str, pos: int) -> re.Match[str] | None:
    """``rx.search(text, pos)`` (one of the COMPARISONS alternations), tried only where ``_COMPARISON_AT`` finds
    a character a match can start with: a plain search tries every alternative at every position (3x slower)."""
    find = _COMPARISON_AT.search  # type: ignore[union-attr]
    match = rx.match
    f = find(text, pos)
    while f is not None:
        i = f.start()
        m = match(text, i)
        if m is not None:
            return m
        f = find(text, i + 1)
    return None


def _comparison(prefix: str, after: str) -> str | None:
    """The comparison a clause states before its number (同比增长, 占比 ...), first listed pattern wins."""
    found = _comparison_before(prefix)
    if found is not None:
        return found
    if after[:1] in _SHARE_AFTER_FIRST and _SHARE_AFTER.match(after):
        return "占比"
    return None


@lru_cache(maxsize=4096)
def _comparison_before(prefix: str) -> str | None:
    """The comparison ``prefix`` states (:func:`_comparison` without what follows the number); cached: a pure
    function of the prefix, and prefixes recur (增长, 比上年增长: a quarter of the calls)."""
    if _COMPARISON_AT is None:
        m = _ANY_COMPARISON.search(prefix)
    else:
        m = _search_at(_ANY_COMPARISON, prefix, 0)
    if m is not None:
        best = m.lastindex or 1
        while best > 1:
            rx = _ANY_FIRST_K[best - 1]
            earlier = (
                rx.search(prefix, m.start() + 1)  # type: ignore[union-attr]
                if _COMPARISON_AT is None
                else _search_at(rx, prefix, m.start() + 1)  # type: ignore[arg-type]
            )
            if earlier is None:
                break
            m, best = earlier, earlier.lastindex or 1
        found = COMPARISONS[best - 1][1]
        if found == "增长" and "提升" in prefix and _UPGRADE.search(prefix):
            return None  # 改造提升老旧厂房40处, 新建提升口袋公园80个: works that upgrade things, counted; no rise
        return found
    return None


# 提升 after a works verb means upgrading things (改造提升高标准农田806万亩), not a rise of what is measured
_UPGRADE = re.compile(r"(?:改造|整治|新建|改建|美化|修缮|扩建)提升(?![^，,。；;、]*(?:增速|增长|提高|上升|增幅))")


def _approx_after(text: str, end: int) -> bool:
    """APPROX_AFTER at ``end`` (以上, 左右, 多 ...); its first character decides most cases without a regex call."""
    nxt = text[end : end + 1]
    if nxt in _APPROX_AFTER_FIRST or nxt.isspace():
        return APPROX_AFTER.match(text, end) is not None
    return False


def _approx_before(text: str, end: int) -> re.Match[str] | None:
    """APPROX_BEFORE ending at ``end``; searched in a short window (the longest qualifier is 3 characters)."""
    if not end:
        return None
    last = text[end - 1]
    if last not in _APPROX_LAST and not last.isspace():
        return None  # a qualifier must end the window (spaces aside): its last character tells, most often not
    start = max(0, end - 10)
    if _APPROX_FIRST is not None and _APPROX_FIRST.isdisjoint(text[start:end]):
        return None  # no qualifier can start in the window
    return APPROX_BEFORE.search(text, start, end)


def _strip_trail(text: str) -> str:
    """Remove trailing verbs and fillers (_TRAIL: 达到, 约为, 的 ...) in one regex call; and a trailing 均 (比重均在),
    but not the one of 人均 / 年均 / 平均."""
    if text[-1:] == "均" and text[-2:-1] not in ("人", "年", "平"):
        return _strip_trail(text[:-1])
    if not text or (text[-1] not in _TRAIL_LAST and not text[-1].isspace()):
        return text  # a filler must end the text: its last character tells (the common case: a noun)
    m = _TRAIL.search(text, _suffix_start(text, _TRAIL_CHARS))
    if m is None:
        return text
    out = text[: m.start()]
    return _strip_trail(out) if out[-1:] == "均" else out  # 参保率均达到


# a measure named right after 实现 (软件业实现营业收入, 南沙实现地区生产总值): the verb is no part of the indicator
_MEASURE_AFTER_VERB = re.compile(
    r"[\u4e00-\u9fffA-Z]{0,8}?(?:收入|营收|产值|总值|增加值|利润|利税|税收|总额|交易额|进出口额|出口额|规模|销售额)"
)


# 比/较 before the year or period a change is measured against (比一九五七年, 较上年同期): it goes with that time
# (not in 一九八○比一九七五年: a range TIME_RE reads as a whole)
_BASELINE_WORD = re.compile(
    rf"(?<![相对占{_CN_YEAR_CH}\d])(?:比|较)(?=\s*(?:{_YEAR}\s*年|1[0-8]\d\d\s*年|上年|去年|前年|同期))"
)
_PRICE_BASIS = re.compile(r"(?:按照?|以)[^，,。；;、]{0,12}?价格?计算")


_DE_WORDS = ("的确", "的士", "的哥")  # words that open with 的 (not the particle)


@lru_cache(maxsize=4096)
def _clean_indicator(text: str) -> str:
    """Strip times, regions, fillers and verbs from a clause prefix, leaving the measured noun phrase.

    Cached: a pure function of the prefix, and prefixes repeat (the same clause start before several numbers).
    """
    if "《" in text or "（" in text or "(" in text:
        text = _BRACKETED.sub("", text)
    if ("比" in text or "较" in text) and _BASELINE_WORD.search(text):
        text = _BASELINE_WORD.sub("", text)  # 工农业总产值比一九五七年增长: 比 goes with the year it compares with
    if "年" in text:
        text = TIME_RE.sub("", text)
        if "年" in text or "同期" in text:  # each of _REL_PERIOD's words holds one
            text = _REL_PERIOD.sub("", text)
    elif text[:1] in "一二" and _CN_YEAR_NUM.match(text):
        text = TIME_RE.sub("", text)  # 一九五八粮食的指标: a year without 年 opens the clause
    elif "同期" in text:
        text = _REL_PERIOD.sub("", text)
    if "价" in text and "计算" in text:
        text = _PRICE_BASIS.sub("", text)  # 地区生产总值按2020年价格计算增长: how it is measured, not what
    text = text.strip()
    # leading place names and fillers: 全市, 其中, 广东省 ... (2020年广东省数字服务贸易... -> 数字服务贸易...)
    for _ in range(12):
        region = region_prefix(text)
        if region:
            text = text[len(region) :].lstrip()
            continue
        m = _LEAD.match(text) if _LEAD_FIRST is None or text[:1] in _LEAD_FIRST else None
        if not m:
            break
        text = text[m.end() :].lstrip()
    if text[:1] == "的" and not text.startswith(_DE_WORDS):
        text = text[1:]  # 我国的钢产量, 一九五七年的工业总产值: the 的 after a place or a time that went
    text = _strip_trail(text)  # trailing verbs and fillers: 达到, 约为, 的 ...
    verb = text.find("实现", 2) if len(text) > 5 else -1
    if verb > 0 and _MEASURE_AFTER_VERB.fullmatch(text, verb + 2):
        text = text[:verb] + text[verb + 2 :]  # 软件业实现营业收入 -> 软件业营业收入 (the verb joins subject and measure)
    cut = _FROM.search(text) if "由" in text or "从" in text else None
    if cut:  # X由2019年…增长至…, X从…增加到…
        text = text[: cut.start()]
    while len(text) > _MAX_INDICATOR and "、" in text[: -_MAX_INDICATOR // 2]:
        text = text[text.index("、") + 1 :]  # a long list of names: its first items go (…、卫生、体育事业的经费)
    if len(text) > _MAX_INDICATOR and "的" in text:
        tail = text[text.rfind("的") + 1 :]
        if len(tail) >= 3:
            text = tail
    return _strip_leading_joiners(text[-_MAX_INDICATOR:])


# words that open with a conjunction's character: 和美乡村覆盖率, 及时率 keep it (not 和美国: "and the US")
_JOINER_WORD = re.compile(r"和美(?!国)|和平|和谐|和睦|及时|与会")


def _strip_leading_joiners(text: str) -> str:
    """Leading list separators and conjunctions (、和及与) off an indicator, but not the first character of a word
    that opens with one (和美乡村, 及时率)."""
    while text[:1] in ("、", "，", ",", "和", "及", "与") and not _JOINER_WORD.match(text):
        text = text[1:]
    return text


# ================================================================================================= context
def _last_absolute_year(text: str, where: _Where | None = None) -> str | None:
    """The last absolute year/period stated in ``text`` outside 《titles》 (None when there is none, or when it
    closes a list of years: see :func:`_carried_year`)."""
    if not _may_have_time(text):
        return None
    times = _dated(text, _time_mentions(text, _spans(_TITLE_SPAN, text), where))
    absolute = [t for t in times if t[3] and not _is_comparison_term(text, t[0])]
    return _carried_year(text, absolute)


_YEAR_LIST_GAP = re.compile(r"\s*(?:、|和|及|与|以及|，)\s*[“\"]?$")


def _carried_year(text: str, absolute: list[tuple[int, int, str, bool]]) -> str | None:
    """The year a sentence hands on to the next ones of its paragraph: its last absolute time, unless that closes
    a list of years (制定2024年、2025年…清单: which of them the next sentences mean is not said)."""
    if not absolute:
        return None
    if len(absolute) > 1 and _YEAR_LIST_GAP.fullmatch(text, absolute[-2][1], absolute[-1][0]):
        return None
    return absolute[-1][2]


@dataclass(slots=True)
class _Context:
    """What earlier sentences of the paragraph said: the last year, region and indicator.

    Sentences without a fact are only queued; they are read (newest first) when a later fact of the paragraph
    finds no year or region of its own, so that paragraphs stating a year once cost one scan, not one per
    sentence. ``default_year`` is what the paragraph inherits from its section heading.
    """

    year: str | None = None
    # what ``year`` is compared with (1986年同1978年相比，…；国民收入由A增加到B: A is of 1978)
    baseline: str | None = None
    region: str | None = None
    indicator: str | None = None
    default_year: str | None = None
    # ``region`` opened its sentence (广州…, 2021年，天河区…): the topic of what follows, not a place named in passing
    region_lead: bool = False
    # sentences after the last known year / region, each with where it was scanned (None: not scanned)
    pending_year: list[tuple[str, _Where | None]] = field(default_factory=list)
    pending_region: list[tuple[str, _Where | None]] = field(default_factory=list)

    def queue(self, text: str, where: _Where | None = None) -> None:
        """A sentence with no fact: its year and region are read later, only if a fact needs them."""
        self.pending_year.append((text, where))
        self.pending_region.append((text, where))

    def last_year(self) -> str | None:
        for text, where in reversed(self.pending_year):
            year = _last_absolute_year(text, where)
            if year:
                self.year = year
                self.baseline = None
                break
        self.pending_year.clear()
        return self.year or self.default_year

    def last_region(self) -> str | None:
        for text, where in reversed(self.pending_region):
            regs = _regions_outside_titles(text, where=where)
            if regs:
                self.region = regs[-1].canonical
                self.region_lead = _leads(text, regs[-1])
                break
        self.pending_region.clear()
        return self.region


# what may stand before a region that opens its sentence: a short time or adverbial phrase and its comma, a filler
_LEAD_BEFORE_REGION = re.compile(
    r"(?:(?:[^，,。；;：:]{0,10}(?:年|月|日|来|期间|时期|方面|以后|以前)|其中|目前|同时|此外|另外|当前|现在"
    r"|(?:作为|据|根据|按照|截至|截止)[^，,。；;：:]{1,12})[，,]){0,2}"
    r"[^，,。；;：:]{0,3}"
)


# verbs that take a place as their object (推动成渝地区双城经济圈建设, 支持海南…): the place is no topic
_GOVERNING_VERB_END = (
    "推动", "推进", "支持", "加快", "深化", "促进", "打造", "实施", "落实", "服务", "助力", "融入", "对接", "参与",
    "振兴", "开发", "保护", "治理", "建设", "办好", "抓好", "发挥",
)  # fmt: skip


def _leads(text: str, region: RegionMention) -> bool:
    """Whether ``region`` opens its sentence (2021年，广州…, 其中，天河区…), so that it is the sentence's topic;
    not when a verb governs it (推动成渝地区双城经济圈建设: the place is the object of the work)."""
    return (
        region.start <= 15
        and _LEAD_BEFORE_REGION.fullmatch(text, 0, region.start) is not None
        and not text.endswith(_GOVERNING_VERB_END, 0, region.start)
    )


def _regions_outside_titles(
    text: str, titles: Sequence[tuple[int, int]] | None = None, *, where: _Where | None = None
) -> list[RegionMention]:
    """Region mentions of a sentence, except inside 《titles》 (《中国制造2025》 does not place a fact) and right
    after 占 (占全国比重: the denominator of a share)."""
    if where is None:
        found = find_regions(text)
    else:
        starts = _local(where[0].region, where[1], where[1] + len(text))
        if not starts:
            return []  # no name starts here (most sentences)
        found = find_regions(text, starts=starts)
    if found and "《" in text:
        spans = _spans(_TITLE_SPAN, text) if titles is None else titles
        found = [r for r in found if not _inside(r.start, spans)]
    if found and "占" in text:
        # 广州…占全国数字服务贸易比重8%: the region after 占 is the whole the share is taken of, not the place
        found = [r for r in found if not (r.start and text[r.start - 1] == "占")]
    if found:
        found = [r for r in found if not _names_something(text, r)]
    return found


# a place name that is part of another name: a route (乐山至马边, 巴中至南充高铁), a line or railway (成渝中线高铁),
# a school or laboratory (广安理工学院), an event (自贡“7·17”火灾), 东西部协作 (the east-west programme)
_NAME_AFTER_REGION = re.compile(r"至|[中东西南北]线|高铁|[\u4e00-\u9fff]{0,2}(?:学院|大学)|实验室|机场|水电站|[“\"]\d")


def _names_something(text: str, r: RegionMention) -> bool:
    """Whether a region mention is part of another name and so places no fact (see _NAME_AFTER_REGION); the
    country's own names are left alone (中国科学院 is a national body)."""
    if r.level == "national":
        # 贡献了全国38.7%的贸易增量, 集聚全国30%以上产业链企业: the whole a share is taken of
        return _SHARE_AFTER_WHOLE.match(text, r.end) is not None
    if _NAME_AFTER_REGION.match(text, r.end):
        return True
    before = text[r.start - 1 : r.start] if r.start else ""
    if before == "到" and r.start > 1 and _ROUTE_START.search(text, max(0, r.start - 6), r.start - 1):
        return True  # 深圳到中山: the end of a route (its start is caught by _ROUTE_START below)
    if text[r.end : r.end + 1] == "到" and _ROUTE_END.match(text, r.end + 1):
        return True
    return before == "至" or (before == "东" and r.surface.startswith("西"))


# a share of a whole named right before it: 全国38.7%, 全国约30%, 全球近四成
_SHARE_AFTER_WHOLE = re.compile(r"(?:约|近|超|超过)?\d+(?:\.\d+)?%")
# X到Y between two city names (深圳到中山车程): a route; the other end is a place name of 2-3 characters + 市/区 or not
_ROUTE_END = re.compile(r"[\u4e00-\u9fff]{2,3}(?:市|区)?(?:车程|通行|航线|高铁|铁路|高速|直达|只需|仅需|全程)")
_ROUTE_START = re.compile(r"[\u4e00-\u9fff]{2,3}$")


# 全国 (全球 ...) as the yardstick of a place's figure, not its place: 增速高于全国, 全国平均水平, 居全国前列, 在全国率先,
# 全国推广, 全国首个 ...
_BENCHMARK_BEFORE = re.compile(r"(?:高于|低于|快于|慢于|超过|超出|居|位居|位列|领跑|领先|跻身|排名?)$")
_BENCHMARK_AFTER = re.compile(r"平均|水平|前列|第|首|推广|领先|率先|同类|同期|最|唯一|排名|总量")


def _is_benchmark(text: str, r: RegionMention) -> bool:
    """Whether a whole-country (or world) mention only measures the fact against the whole."""
    return (
        _BENCHMARK_AFTER.match(text, r.end) is not None
        or _BENCHMARK_BEFORE.search(text, max(0, r.start - 2), r.start) is not None
    )


def _other_clause(text: str, r: RegionMention, pos: int) -> bool:
    """Whether a comma or semicolon stands between region ``r`` and position ``pos`` (another clause)."""
    return "，" in text[r.end : pos] or "；" in text[r.end : pos]


# the text's own place named without its name: 全省, 我市, 本区 (in a province's or city's report)
_OWN_PLACE = re.compile(r"(?:全|我|本)(?:省|市)|(?:我|本)区")


def _own_place_before(text: str, pos: int, region: RegionMention | None) -> bool:
    """Whether 全省/我市/本区… stands before ``pos`` in its clause, nearer than ``region`` (the nearest named place)."""
    lo = region.end if region is not None else 0
    clause = max(text.rfind("，", lo, pos), text.rfind("；", lo, pos), text.rfind("。", lo, pos))
    return _OWN_PLACE.search(text, max(lo, clause + 1), pos) is not None


def _counts_listed_places(regions: Sequence[RegionMention], pos: int, unit: str) -> bool:
    """Whether a count (个) at ``pos`` follows three or more different places: it counts them (8个区域)."""
    return unit == "个" and len({r.canonical for r in regions if r.end <= pos}) >= 3


def _pick_region(
    regions: Sequence[RegionMention],
    pos: int,
    blocked: Sequence[tuple[int, int]],
    *,
    text: str = "",
    local: bool = False,
) -> RegionMention | None:
    """The nearest region before ``pos`` (outside ``blocked``); ``local``: the text is a province's or a city's,
    where 全国/全球 used as a yardstick (增速高于全国0.6个百分点, 全国平均水平) is skipped."""
    for r in reversed(regions):
        if r.end <= pos and not (blocked and _inside(r.start, blocked)):
            if local and r.canonical in _WHOLE_NAMES and _is_benchmark(text, r):
                continue
            return r
    return None


def facts_in_text(
    text: str,
    *,
    doc: str = "",
    section: str = "",
    paragraph: int = 0,
    offset: int = 0,
    doc_year: int | None = None,
    context: _Context | None = None,
    fallback_region: str | None = None,
) -> list[Fact]:
    """Facts in one sentence; ``offset`` is the sentence's start in the document text.

    ``context`` carries the year/region/indicator of earlier sentences of the same paragraph and is updated.
    """
    read = ascii_digits(text)
    facts = _facts_in_sentence(
        read,
        (_Scan(read), 0),
        doc=doc,
        section=section,
        paragraph=paragraph,
        offset=offset,
        doc_year=doc_year,
        context=context,
        fallback_region=fallback_region,
    )
    if read is not text:
        _as_written(facts, read, text, offset)
    return facts


def _cn_fraction_from(text: str) -> int:
    """Where CN_FRACTION's first match may start: the run of numerals before the first 分之 (no match ends
    before it, and 分 is no numeral, so none starts before that run)."""
    i = text.find("分之")
    while i > 0 and text[i - 1] in _CN_CHARS:
        i -= 1
    return i


def _facts_in_sentence(
    text: str,
    where: _Where,
    *,
    doc: str = "",
    section: str = "",
    paragraph: int = 0,
    offset: int = 0,
    doc_year: int | None = None,
    context: _Context | None = None,
    fallback_region: str | None = None,
) -> list[Fact]:
    """:func:`facts_in_text` on a sentence found at ``where`` (its scan, its offset there)."""
    ctx = context if context is not None else _Context()
    scan, at = where
    end_at = at + len(text)
    lo = bisect_left(scan.num, at)
    num_starts = scan.num[lo : bisect_left(scan.num, end_at, lo)]
    candidates = _read_candidates(text, scan.text, num_starts, at) if num_starts else []
    has_fraction = "分之" in text or (not _FRACTION_SEPS.isdisjoint(text) and _DIGIT.search(text))
    mag_starts = _window(scan.digit_mag, at, end_at) if num_starts else None
    list_hint = mag_starts and _matches_in(_LIST_HINT, scan.text, mag_starts, end_at)
    if not candidates and not has_fraction and not list_hint:
        ctx.queue(text, where)  # no quantity here: its year/region are read later only if needed
        return []
    titles = _spans(_TITLE_SPAN, text) if "《" in text else []
    blocked = titles + (_spans(_QUOTE_SPAN, text) if "“" in text or '"' in text else [])
    times = _time_mentions(text, titles, where) if _may_have_time(text) else []
    time_spans = [(a, b) for a, b, _, _ in times]
    times = _dated(text, times) if times else times  # a price base's year is no time of a fact (its span stays)
    baselines = {t[0] for t in times if _is_baseline(text, t[0])} if times and ("比" in text or "较" in text) else set()
    regions: list[RegionMention] | None = None  # found on the first fact (most sentences have none)
    facts: list[Fact] = []
    covered: list[tuple[int, int]] = []
    carried_base: dict[int, str] = {}  # start of a fact whose year an earlier sentence gave -> that year's baseline

    def add(
        start: int,
        end: int,
        num: str,
        value: float,
        vmax: float | None,
        unit: str,
        approx: bool,
        indicator: str | None = None,
        qualified: bool = False,
    ) -> None:
        """Record a fact; ``qualified``: a qualifier before the number (约, 超过 ...) makes it approximate."""
        nonlocal regions
        mag, base = _split_unit(unit)
        kind, scaled_unit = UNIT_KINDS.get(base, ("other", base or "ratio"))
        if "/" in unit and base != unit:
            scaled_unit += unit[unit.index("/") :]  # 30万吨/日 -> 300000 t/日
        clause_start = _clause_start(text, start)
        if facts and facts[-1].char_end - offset > clause_start:
            # 示范企业14家和重点培育企业16家: the second's indicator starts after the first fact (and 和/及/、)
            # (only after a list word: in 从4%发展到8%, 由A增长至B the words between are no indicator)
            prev_end = facts[-1].char_end - offset
            joint = _AFTER_FACT_JOINT.match(text, prev_end, start) if prev_end <= start else None
            if joint and joint.group("joint"):
                clause_start = joint.end()
            elif prev_end <= start:
                # 中小企业1000家新增规上工业企业2500家: no punctuation, but a verb opens the next clause
                skip = APPROX_AFTER.match(text, prev_end, start)
                at = skip.end() if skip else prev_end
                if _NEW_CLAUSE_VERB.match(text, at, start):
                    clause_start = at
        prefix = text[clause_start:start]
        after = text[end : end + 20]
        # year: nearest time expression before the number in the sentence; else earlier in the paragraph
        year = None
        inherited = False  # the year comes from an earlier sentence or the section
        prev_time = base_time = None
        for t in times:
            if t[1] <= start:
                if baselines and t[0] in baselines:
                    # 比去年增长5%, 较2020年: the year compared with, not the year of the fact (the change stated in
                    # the same clause spans both years; 比1956年增长4.5%，达到603亿元: the level is of the year before)
                    same_clause = _CLAUSE_BOUNDARY.search(text, t[1], start) is None
                    base_time = t if same_clause and _CHANGE_WORD.search(text, t[1], start) else base_time
                else:
                    prev_time = t
        if prev_time is not None:
            year = _resolve_relative(prev_time[2], doc_year)
            if base_time is not None and base_time[0] > prev_time[0]:
                # 2023年全省GDP比2020年增长30%: the change over 2020-2023 (as 2023年比2020年 reads)
                a, b = _YEAR_ONLY.fullmatch(base_time[2]), _YEAR_ONLY.fullmatch(year or "")
                if a and b and a.group() != b.group():
                    year = "-".join(sorted((a.group(), b.group())))
        else:
            nxt = next((t for t in times if t[0] >= end), None)
            if nxt is not None and not _CLAUSE_BOUNDARY.search(text, end, nxt[0]):
                year = _resolve_relative(nxt[2], doc_year)
            else:
                year = ctx.last_year()
                inherited = True
                if year is not None and year == ctx.year and ctx.baseline:
                    carried_base[start] = ctx.baseline
            if base_time is not None and year is not None:
                # 较2020年下降13.5% in a section on 2024: the change over 2020-2024 (as 2024年比2020年 reads)
                a, b = _YEAR_ONLY.fullmatch(base_time[2]), _YEAR_ONLY.fullmatch(year)
                if a and b and a.group() < b.group():
                    year = f"{a.group()}-{b.group()}"
        if regions is None:
            regions = _regions_outside_titles(text, titles, where=where)
        local = fallback_region is not None and fallback_region not in _WHOLE_NAMES
        region_m = _pick_region(regions, start, blocked, text=text, local=local) if regions else None
        own = _own_place_before(text, start, region_m) if local else False
        if region_m is not None and _counts_listed_places(regions, start, unit):
            region = fallback_region  # 京津冀、上海、广东…8个区域: the count is of the places listed, none of them
        elif own:
            region = fallback_region  # 全省算力总规模…, 我市新增…: the document's (or section's) own place
        elif region_m is not None and not (local and not _leads(text, region_m) and _other_clause(text, region_m, start)):
            region = region_m.canonical
        elif local:
            # in a province's or a city's text a place binds the facts of its own clause, or of its sentence when
            # it opens it (成都…，…): the other clauses (有序推进城市更新，成都列为…，在18个设区城市…) and the next
            # sentences are the document's (or section's) place
            region = fallback_region
        else:
            region = ctx.last_region()
            if region is None or (region in _WHOLE_NAMES and fallback_region and fallback_region not in _WHOLE_NAMES):
                # in a province's or a city's text, an earlier sentence's 全国/全球 (居全国前列, 全球第二…) does not
                # carry over: the place of the document (or section) does
                region = fallback_region or region
            elif fallback_region and not ctx.region_lead:
                # 深圳获批建设…示范区。新增8个省产业园…: a place named in passing in an earlier sentence does not
                # place the next sentences of a province's (or a city's) text; one that opened its sentence does
                region = fallback_region
        comparison = _comparison(prefix, after)
        if indicator is None:
            qualifier = _approx_before(text, start)
            if qualified and qualifier:
                approx = True
            # the facts before this one (lists and fractions are read after the other candidates)
            before = facts
            if facts and (
                facts[-1].char_start - offset >= start
                or (len(facts) > 1 and facts[-1].char_start < facts[-2].char_start)
            ):
                before = sorted((f for f in facts if f.char_start - offset < start), key=_CHAR_START)
            indicator = _indicator(
                prefix,
                after,
                text,
                start,
                end,
                kind,
                comparison,
                before,
                ctx,
                clause_start,
                qualifier.start() if qualifier else None,
                unit_base=base,
            )
        elif qualified and _approx_before(text, start):
            approx = True
        if (
            inherited
            and year is not None
            and base == "年"
            and kind == "duration"
            and not (indicator and _TIME_MEASURE.search(indicator))
            and not text.endswith(_RUN_UP_TO, 0, start)
        ):
            # 经过二十年的努力, 党的十二大所确定的二十年: a length of time refers to no year an earlier sentence (or
            # the section) names; a measure of time (受教育年限达到9年) and a run up to that year (连续6年增产,
            # 时隔12年再夺金牌) are of that year
            year = None
        # positional, in field order (a dataclass __init__ with 19 keywords costs 4x more per fact)
        facts.append(
            Fact(
                doc,  # doc
                section,  # section
                paragraph,  # paragraph
                text,  # sentence
                offset + start,  # char_start
                offset + end,  # char_end
                num,  # number
                value,  # value
                vmax,  # value_max
                unit,  # unit
                kind,  # kind
                value * mag if kind != "percent" else value,  # scaled_value
                scaled_unit,  # scaled_unit
                approx,  # approx
                year,  # year
                indicator or None,  # indicator
                region,  # region
                comparison,  # comparison
                "text",  # source
            )
        )
        covered.append((start, end))

    def add_unitless(
        start: int, end: int, number: str, value: float, vmax: float | None, unit: str, approx: bool, noun: str
    ) -> None:
        """A magnitude without a unit word (突破6000亿): its kind is read from what it measures."""
        add(start, end, number, value, vmax, unit, approx, noun or None, qualified=True)
        fact = facts[-1]
        # no indicator (首次突破6000亿): the words before the number in the sentence tell the kind
        fact.kind, fact.scaled_unit = _bare_kind(fact.indicator or text[max(0, start - 20) : start], noun, text)
        if unit in _LATIN_MAG and (fact.kind != "money" or noun):
            facts.pop()  # 5W, 4K, 10k: a size, a resolution, a power ... unless an amount of money is measured
            covered.pop()
            return
        fact.scaled_value = value * _ANY_MAG[unit.rstrip("人户")]

    # lists sharing the last unit: 7.99亿、4.54亿和2.65亿户 (their items without a unit word are read after them)
    lists = list(iter_matches_at(LIST_RE, text, _local(scan.digit, at, end_at))) if list_hint else []
    list_items = [(m.start("items"), m.end("items")) for m in lists]
    unitless = []
    for start, end, number, value, vmax, unit, approx, noun in candidates:
        if (blocked and _inside(start, blocked)) or (time_spans and _inside(start, time_spans)):
            continue
        if noun is None:
            add(start, end, number, value, vmax, unit, approx, qualified=True)
        elif list_items and _inside(start, list_items):
            unitless.append((start, end, number, value, vmax, unit, approx, noun))
        else:
            add_unitless(start, end, number, value, vmax, unit, approx, noun)

    for m in lists:
        base = m.group("unit")
        shared: str | None = None
        for item in LIST_ITEM.finditer(m.group("items")):
            s = m.start("items") + item.start()
            e = m.start("items") + item.end()
            if _inside(s, covered) or _inside(s, blocked):
                continue
            add(
                s,
                e,
                item.group(1),
                float(item.group(1).replace(",", "")),
                None,
                item.group(2) + base,
                False,
                shared,
            )
            shared = facts[-1].indicator or ""
        if (
            shared is not None
        ):  # the last item (with the unit) was read on its own: give it the list's indicator
            for f in facts:
                if f.char_start == offset + m.end("items"):
                    f.indicator = shared or f.indicator

    for start, end, number, value, vmax, unit, approx, noun in unitless:
        if not _inside(start, covered):  # not an item of a list that names its unit at the end
            add_unitless(start, end, number, value, vmax, unit, approx, noun)

    # fractions and ratios: 1/5, 1:3, 三分之一
    # (FRACTION starts at a digit: tried at the scan's digits only, as for LIST_RE)
    for m in iter_matches_at(FRACTION, text, _local(scan.digit, at, end_at)) if has_fraction else ():
        s, e = m.start(), m.end()
        if _inside(s, covered) or _inside(s, blocked) or _inside(s, time_spans):
            continue
        before = text[max(0, s - 12) : s]
        slash = m.group("sep") in "/／"
        if slash and not _SHARE_BEFORE.search(before):
            continue
        if not slash and "比" not in before:  # 1:3, 2.04∶1 (the ratio sign U+2236 of typeset text)
            continue
        a, b = float(m.group("a")), float(m.group("b"))
        if not b:
            continue
        add(s, e, m.group(), a / b, None, "", False)
    for m in CN_FRACTION.finditer(text, _cn_fraction_from(text)) if "分之" in text else ():
        s, e = m.start(), m.end()
        if m.group("b") == "百" or _inside(s, covered) or _inside(s, blocked):
            continue
        try:
            a, b = parse_number(m.group("a")), parse_number(m.group("b"))
        except ValueError:
            continue
        if b:
            add(s, e, m.group(), a / b, None, "", False, qualified=True)

    facts.sort(key=lambda f: f.char_start)
    if len(facts) > 1 and ("由" in text or "从" in text):
        _from_to_years(text, facts, offset, [t for t in times if t[0] in baselines], carried_base)
    if "分别" in text and len(facts) > 1:
        _respectively(text, facts, times, offset, doc_year)
    # update the paragraph context
    absolute = [t for t in times if t[3] and not _is_comparison_term(text, t[0])]
    carried = _carried_year(text, absolute)
    if carried:
        ctx.year = carried
        compared = [t[2] for t in times if t[3] and _compared_with(text, t[0])]
        ctx.baseline = compared[-1] if compared else None
        ctx.pending_year.clear()
    if regions is None:
        ctx.pending_region.append((text, where))
    elif regions:
        ctx.region = regions[-1].canonical
        ctx.region_lead = _leads(text, regions[-1])
        ctx.pending_region.clear()
    if facts and facts[-1].indicator:
        ctx.indicator = _base_indicator(facts[-1].indicator)
    return facts


# what a length of time may measure (平均受教育年限, 人均预期寿命, 贷款期限): a value of the year of its context
_TIME_MEASURE = re.compile(r"年限|寿命|期限|工期|周期|年龄|工龄|时长|时限|时间")
_RUN_UP_TO = ("连续", "时隔", "历时")  # a run of years that ends in the year of its context


def _boundary_before(text: str, pos: int) -> int:
    """Where the clause ending at ``pos`` starts: after the last _CLAUSE_BOUNDARY before ``pos`` (0: none)."""
    clause = _CLAUSE_START.match(text, 0, pos)
    return clause.end() if clause else 0


def _clause_start(text: str, start: int) -> int:
    """Where the clause of the number at ``start`` starts. A clause boundary that only sets off a name does not
    start one: a short bracketed aside (地区生产总值（GDP）1846.11亿元), a short quoted name (新增“百亿县”4个,
    新改建“四好农村路”4330公里), and the 、 between listed nouns when no number comes in the list (改造老旧小区、
    低收入群体危房、抗震宜居农房等3.5万户; 示范企业14家、重点企业16家 keeps its 、)."""
    cs = _boundary_before(text, start)
    while cs:
        ch = text[cs - 1]
        if ch in "）)":
            opening = max(text.rfind("（", 0, cs), text.rfind("(", 0, cs))
            if opening < 0 or cs - opening > _MAX_ASIDE:
                break
            cs = _boundary_before(text, opening)
        elif ch in "”\"":
            opening = text.rfind("“" if ch == "”" else '"', 0, cs - 1)
            if opening < 0 or cs - opening > _MAX_QUOTE:
                break
            cs = _boundary_before(text, opening)
        elif ch == "、":
            outer = _clause_start(text, cs - 1)
            if (
                _DIGIT.search(text, outer, cs - 1)
                or text[outer : outer + 1] in _LIST_OPENERS
                or _HEADING_NUMERAL.fullmatch(text, outer, cs - 1)
                or _CLAUSE_IN_LIST.search(text, outer, cs - 1)
            ):
                break  # values listed; names in quotes; 一、推广的改革举措 (a heading's numeral)
            cs = outer
        else:
            break
    return cs


_YEAR_RANGE_LABEL = re.compile(r"((?:19|20)\d\d)-((?:19|20)\d\d)")
# the years of the five-year plans (九五 1996-2000 … 十五五 2026-2030), as _plan_periods labels them
_PLAN_SPANS = frozenset(f"{_plan_start(k)}-{_plan_start(k) + 4}" for k in range(1, 16))
_FROM_BEFORE = re.compile(r"(?:由|从)(?:原来的|原先的|最初的)?$")
_TO_BETWEEN = re.compile(r"[^，,。；;]{0,10}?(?:至|到)(?:了)?")


def _from_to_years(
    text: str,
    facts: list[Fact],
    offset: int,
    baselines: Sequence[tuple[int, int, str, bool]] = (),
    carried_base: Mapping[int, str] | None = None,
) -> None:
    """2005—2019年，出口规模由12027.60亿美元增长至31925.86亿美元: the first value is of 2005, the second of
    2019 (in place). Only a pair that shares a year range and reads 由/从 A … 至/到 B is changed. With an absolute
    term of comparison before the pair (“六五”时期同“五五”时期相比，…由A增加到B), A is of that term's years; so
    is it when the pair's year comes from an earlier sentence that names its term (``carried_base``: start of
    a fact -> the baseline of the year it inherited)."""
    for a, b in pairwise(facts):
        if b.year != a.year or a.unit.replace("％", "%") != b.unit.replace("％", "%"):
            continue
        a_start, a_end, b_start = a.char_start - offset, a.char_end - offset, b.char_start - offset
        from_to = _FROM_BEFORE.search(text, max(0, a_start - 5), a_start)
        if not (from_to and _TO_BETWEEN.fullmatch(text, a_end, b_start)):
            continue
        base = next((t[2] for t in reversed(baselines) if t[3] and t[1] <= a_start), None)
        if base is None and carried_base:
            base = carried_base.get(a_start)
        if base is not None and a.year is not None and base != a.year:
            a.year = base
            continue
        m = _YEAR_RANGE_LABEL.fullmatch(a.year or "")
        if m is not None:
            first = m.group(1)
            if a.year in _PLAN_SPANS and first not in text:
                # “十二五”时期…城镇化率从47.5%提高到51.5%: the value before the plan is the year before its first
                first = str(int(first) - 1)
            a.year, b.year = first, m.group(2)


# "2018年、2019年和2020年广州数字贸易增速分别为51.7%、70.6%和49.7%": the values after 分别 go with the years
# (or nothing else) listed before it, in order, and share the indicator written between the two.
_RESPECTIVELY = re.compile(r"分别(?:为|是|达到|达|增长|下降|实现|占|约为|约)?")
_SHARE_WHOLE = re.compile(r"(?P<whole>[^\d，,。；;、（）()%]{1,10}?)(?:的|比重为?|比例为?)?(?=[\d约近超])")
# not a comma: it ends the clause (…和4%，74个重点城市…); an approximation word may close the item before it
# (分别增长3.5%以上、7%左右)
_LIST_GAP = re.compile(r"(?:以上|以下|左右|上下|以内|之多)?\s*[、和及与]\s*")
# the words between 分别 and its first value (分别完成投资3252亿元, 分别稳定在800亿斤): no value, no clause boundary
_AFTER_RESPECTIVELY = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,8}")
_NAME_EDGES = re.compile(
    r"^(?:其中|和|及?以上|及?以下|及|与|的|是|为|在|[，,、：:\s])+|(?:比上年末?|比去年|较上年|同比|年均|分别|的|是|为|都?要|将|[，,、：:\s])+$"
)
_NUMBER_IN_NAME = re.compile(r"\d[\d.,，%]|%")  # a value inside the name: the split went wrong (70.6%和)
# a threshold inside the name is part of it (20户及以上自然村…通达率, 年收益超10万元、超30万元村集体占比)
# and so is a per-quantity (小麦、稻谷最低收购价每50公斤分别提高…: the price of 50 kg)
_THRESHOLD_IN_NAME = re.compile(
    r"\d+(?:\.\d+)?[万亿千百]?[\u4e00-\u9fff]{1,2}?(?:及以上|以上|以下)|(?<=[超过])\d+(?:\.\d+)?[万亿千百]?元"
    r"|(?<=每)\d+(?:\.\d+)?[万亿千百]?[\u4e00-\u9fff]{1,2}"
)
# greedy, 、 is no boundary and neither are quotes (“保交楼”“保交房”交付率分别达…)
_PER_QUANTITY_LEAD = re.compile(rf"^每\d+(?:\.\d+)?(?:{_MAG_TRIE})?(?:{_UNIT_TRIE})")
_LIST_CLAUSE_START = re.compile(r".*[，,。；;：:！？!?（）()\[\]【】]", re.DOTALL)
_PERIOD = re.compile(r"(?:前三季度|[一二三四1-4]季度|上半年|下半年|全年|[一二三四五六七八九十]{1,2}月|\d{1,2}月)")
_PERIOD_LIST = re.compile(rf"(?:{_PERIOD.pattern}[、和及与至]?)+")


def _respectively(
    text: str, facts: list[Fact], times: list[tuple[int, int, str, bool]], offset: int, doc_year: int | None
) -> None:
    """Years and indicator of an enumeration ``X分别为A、B和C`` (in place). The facts right after 分别, separated
    only by list punctuation, form the enumeration; when as many years are listed before 分别 in the same clause,
    each value gets its year; the text between the years (or the clause start) and 分别 is their indicator."""
    for m in _RESPECTIVELY.finditer(text):
        run: list[Fact] = []
        pos = m.end()
        whole = _SHARE_WHOLE.match(text, pos) if m.group().endswith("占") else None
        if whole:  # 分别占全市26.5%和40.6%
            pos = whole.end()
        measure = ""  # a measure named between 分别 and the first value (分别完成投资3252亿元、…): every item's
        for f in facts:
            start = f.char_start - offset
            if start < pos:
                continue
            gap = text[pos:start]
            if gap and not run and not whole and _AFTER_RESPECTIVELY.fullmatch(gap):
                measure = _respective_measure(gap)
            elif gap and not _LIST_GAP.fullmatch(gap) and not (not run and gap in ("约", "-")):
                break
            run.append(f)
            pos = f.char_end - offset
        if len(run) < 2:
            continue
        if whole:
            # 747家，…营业收入1633.89亿元，分别占全市26.5%和40.6%: the shares of the quantities just before, in order
            earlier = [f for f in facts if f.char_end - offset <= m.start() and f.indicator]
            if len(earlier) >= len(run):
                for f, of in zip(run, earlier[-len(run) :], strict=True):
                    f.indicator = f"{_base_indicator(of.indicator or '')}占{whole.group('whole')}比重"
                    f.comparison = "占比"
            continue
        # the clause of 分别, where the list commas of 2018年、2019年和2020年 do not end it
        clause = _LIST_CLAUSE_START.match(text, 0, m.start())
        head_start = clause.end() if clause else 0
        years = [t for t in times if head_start <= t[0] and t[1] <= m.start()]
        by_year = len(years) == len(run)
        if by_year:
            for f, t in zip(run, years, strict=True):
                f.year = _resolve_relative(t[2], doc_year)
        name_start = years[-1][1] if years else head_start
        for f in facts:  # 20户及以上自然村…通达率分别达…: a value before 分别 in the clause is no part of the name
            if name_start <= f.char_end - offset <= m.start() and f not in run:
                name_start = f.char_end - offset
        name = _NAME_EDGES.sub("", text[name_start : m.start()])
        if name[:1] == "每":  # 每50公斤小麦、玉米的收购价格: the per-quantity qualifies every item, it is none of them
            name = _PER_QUANTITY_LEAD.sub("", name)
        periods = _PERIOD_LIST.match(name)  # 一季度、二季度GDP分别增长5.3%和4.7%
        if periods:
            labels = _PERIOD.findall(periods.group())
            if not by_year and len(labels) == len(run):
                for f, label in zip(run, labels, strict=True):
                    f.year = f"{years[-1][2]}{label}" if years else label
                by_year = True
            name = _NAME_EDGES.sub("", name[periods.end() :])
        valid_name = (
            2 <= len(name) <= 30
            and not _NUMBER_IN_NAME.search(_THRESHOLD_IN_NAME.sub("", name))
            and bool(_clean_indicator(name))
        )
        if not by_year:
            # 2019-2021年，…规模分别为A、B和C: one value per year of the range (unless the name lists as many items)
            per_year = _range_years(run, times, m.start())
            if per_year and not (valid_name and _respective_names(name, len(run))):
                for f, year in zip(run, per_year, strict=True):
                    f.year = year
                by_year = True
        if not valid_name:
            continue
        if run[0].comparison:  # 分别增长8%和5%: the comparison is read once, before the first value
            for f in run[1:]:
                f.comparison = f.comparison or run[0].comparison
        names = None if by_year else _respective_names(name, len(run))
        if names is None:
            # one name for all: the years (or periods) tell the values apart, or the items are not one per value
            shared = _clean_indicator(name) or name
            names = [shared] * len(run)
        if measure:  # 交通、能源、水利分别完成投资…: 交通投资, 能源投资, 水利投资
            names = [n if n.endswith(measure) else n + measure for n in names]
        for f, indicator in zip(run, names, strict=True):
            if f.unit in _MEDAL_UNITS:
                continue  # 分别摘得2金2银1铜: each count names its medal already
            if f.unit in ("%", "％") and f.comparison and not indicator.endswith(_RATE_ENDS):
                tail = _growth_tail(f.comparison)
                if tail or "增速" in f.comparison:
                    rate = "降幅" if tail and tail.group("verb") not in _RISE_VERBS else "增速"
                    indicator = indicator + ("年均" if "年均" in f.comparison else "") + rate
            f.indicator = indicator


def _respective_measure(gap: str) -> str:
    """The measure named in the words between 分别 and its first value, less their verb (完成投资 -> 投资,
    实现营业收入 -> 营业收入); "" when those words name none (稳定在, 保持在: how the values fare)."""
    cleaned = _clean_indicator(gap)
    head = _MEASURE_HEAD.search(cleaned)
    return cleaned if head is not None and len(cleaned) >= 2 and not _growth_tail(cleaned) else ""


def _range_years(run: list[Fact], times: list[tuple[int, int, str, bool]], pos: int) -> list[str] | None:
    """The years of the range all of ``run`` refers to, one per value, when the range is stated in the sentence
    before ``pos`` (分别) and holds exactly as many years as there are values; else None."""
    label = run[0].year or ""
    m = _YEAR_RANGE_LABEL.fullmatch(label)
    if m is None or any(f.year != label for f in run):
        return None
    first, last = int(m.group(1)), int(m.group(2))
    if last - first + 1 != len(run) or not any(t[2] == label and t[1] <= pos for t in times):
        return None
    return [str(y) for y in range(first, last + 1)]


_MEASURE_HEAD = re.compile(
    r"(?:排放量|产量|销量|总量|用量|存量|收入|增加值|产值|总值|总额|金额|规模|人数|人次|数量|能耗|投资|面积|价格|"
    r"指数|利润|税收|营收|余额|进出口额|出口额|进口额|交易额|成交额|零售额|覆盖率|比例|比重|占比|增速|补助标准|标准|率)$"
)
_BARE_ITEM = re.compile(r"[\u4e00-\u9fffA-Za-z0-9.]{1,12}(?<![量额数率值耗价比重入资积])")  # 二氧化硫, not 能耗
_RATE_ENDS = ("增速", "降幅", "增长率", "增幅", "比重", "占比")
# list words between items; 和/及/与 not inside a word (普及率, 涉及, 和谐, 饱和, 参与)
_ITEM_SPLIT = re.compile(r"、|以及|(?<![普涉波危])及(?![时格早]|以[上下])|(?<![饱缓总温平中柔祥])和(?![谐美睦顺])|(?<!参)与(?!会)")
_QUOTED_ITEMS = re.compile(r"(?P<pre>[^“”]*?)(?P<items>(?:“[^“”]{1,12}”[、和及与]?){2,})(?P<tail>[^“”]*)")
_QUOTED_ITEM = re.compile(r"“[^“”]{1,12}”")
# the list word 等 closes a list (公共服务、车联网等领域), not inside a word (普通高等学校, 中等职业, 同等, 平等)
_LIST_DENG = re.compile(r"(?<![高中初同平对相均优次上])等(?![级待同效])")
# a contracted list (城乡居民 = 城镇居民 and 农村居民): one item per character group, in the order written
_CONTRACTIONS = {
    "城乡": ("城镇", "农村"),
    "进出口": ("进口", "出口"),
    "出入境": ("出境", "入境"),
    "产销量": ("产量", "销量"),
    "产销": ("产量", "销量"),
    "存贷款": ("存款", "贷款"),
    "收支": ("收入", "支出"),
    "客货运": ("客运", "货运"),
    "内外资": ("内资", "外资"),
    "中外资": ("中资", "外资"),
    "内外贸": ("内贸", "外贸"),
    "国内外": ("国内", "国外"),
    "大中小学": ("大学", "中学", "小学"),
    "中小学": ("中学", "小学"),
    "本专科": ("本科", "专科"),
    "中高职": ("中职", "高职"),
    "上下半年": ("上半年", "下半年"),
    "省市县": ("省级", "市级", "县级"),
    "县乡村": ("县级", "乡级", "村级"),
    "市县": ("市级", "县级"),
    "县乡": ("县级", "乡级"),
    "粮棉油": ("粮食", "棉花", "油料"),
    "粮肉奶": ("粮食", "肉类", "奶类"),
    "肉蛋奶": ("肉类", "禽蛋", "奶类"),
    "粮油": ("粮食", "油料"),
    "公铁水": ("公路", "铁路", "水路"),
    "农林牧渔": ("农业", "林业", "牧业", "渔业"),
    "一二三产业": ("第一产业", "第二产业", "第三产业"),
    "一二三产": ("一产", "二产", "三产"),
    "二三产业": ("第二产业", "第三产业"),
    "东中西部": ("东部", "中部", "西部"),
    "中西部": ("中部", "西部"),
    "工农业": ("工业", "农业"),
}
_CONTRACTION_RE = re.compile("|".join(sorted(_CONTRACTIONS, key=len, reverse=True)))


def _split_items(name: str, n: int) -> tuple[list[str], str] | None:
    """The ``n`` items a name lists and the words after the last one that go with every item (its 等 or 的
    part): A、B和C; “A”“B”交付率 (quoted names, the words after them shared); 城乡居民收入 (a contracted list).
    None when the name does not list exactly ``n`` items."""
    items = _ITEM_SPLIT.split(name)
    if len(items) == n:
        last, tail = items[-1], ""
        deng = _LIST_DENG.search(last)
        if deng is not None:
            last, tail = last[: deng.start()], last[deng.end() :]
        elif "的" in last:
            last, tail = last.rsplit("的", 1)
        return [*items[:-1], last], tail.replace("的", "")
    if len(items) == 1 and "“" in name:
        q = _QUOTED_ITEM.findall(name)
        m = _QUOTED_ITEMS.fullmatch(name) if len(q) == n else None
        if m is not None:  # “保交楼”“保交房”交付率
            return [m.group("pre") + it for it in q], m.group("tail")
    if len(items) == 1:
        c = _CONTRACTION_RE.search(name)
        if c is not None and len(_CONTRACTIONS[c.group()]) == n:  # 城乡居民收入 -> 城镇居民收入, 农村居民收入
            return [name[: c.start()] + it for it in _CONTRACTIONS[c.group()]], name[c.end() :]
    return None


def _shared_head(items: list[str]) -> list[str]:
    """Give the earlier items the measure that only the last one names: 二氧化硫、氮氧化物排放量 (排放量);
    城镇、农村居民人均可支配收入 (居民人均可支配收入: the words after as many characters as the item has, when
    they are more than the head); 千兆光纤和5G网络通达率 (a rate's head is the word before 率: 通达率)."""
    last = items[-1]
    head = _MEASURE_HEAD.search(last)
    if head is None:
        # 进口、出口通关时间, 小麦、稻谷最低收购价: a short item stands for the last item's first characters
        return [
            it + last[len(it) :] if len(it) <= 2 and len(last) - len(it) >= 2 and not _MEASURE_HEAD.search(it) else it
            for it in items[:-1]
        ] + [last]
    if head.start() == 0:
        return items
    word = head.group() if len(head.group()) > 1 else last[max(0, head.end() - 3) :]
    out = []
    for it in items[:-1]:
        if not _BARE_ITEM.fullmatch(_THRESHOLD_IN_NAME.sub("", it)) or _MEASURE_HEAD.search(it):
            out.append(it)  # 农村自来水普及率, 能耗: the item names its own measure
            continue
        rest = last[len(it) :] if len(it) < head.start() else ""
        # 一、二、三产增加值: a one-character item stands for the last item's first character
        aligned = len(it) <= 2 and rest.endswith(word) and (len(rest) - len(word) >= 2 or len(it) == 1)
        out.append(it + (rest if aligned else word))
    return [*out, last]


def _respective_names(name: str, n: int) -> list[str] | None:
    """One indicator per value of ``A、B和C分别为…`` when the name lists exactly ``n`` items, the words after the
    last item's 等 (or its 的) going with every item: 公共服务、车联网、智慧家居等领域的规模 -> 公共服务领域规模 …;
    教育、卫生和文化事业的支出 -> 教育支出, 卫生支出, 文化事业支出. None when the items do not line up."""
    split = _split_items(name, n)
    if split is None:
        return None
    items, tail = split
    if any(not 1 <= len(it) <= 20 for it in items):
        return None
    if not tail:
        items = _shared_head(items)
    out = []
    for it in items:
        cleaned = _clean_indicator(it + tail) or it + tail
        if len(cleaned) < 2:
            return None
        out.append(cleaned)
    return out


_CANDIDATE_GROUPS = ("num", "fuzzy", "fuzzy2", "fuzzy3", "bare", "unit2", "mag", "unit")


def _read_candidates(
    text: str, full: str, starts: list[int], at: int
) -> list[tuple[int, int, str, float, float | None, str, bool]]:
    """CANDIDATE's matches in ``text`` (found at ``full[at:]``, tried at ``starts``, offsets in ``full``) that the
    characters around accept, read: (start, end, number as written, value, value_max, unit, approx), offsets in
    ``text``. The sentence's spans are checked later.

    The loop is :func:`nlp.extract.scan.iter_matches_at` over ``full`` cut at the sentence's end (``endpos``):
    CANDIDATE's look-behinds only read characters of the match, so the matches are those in ``text``.
    """
    out = []
    match = CANDIDATE.match
    end_at = at + len(text)
    pos = 0
    for s in starts:
        if s < pos:
            continue
        m = match(full, s, end_at)
        if m is None:
            continue
        e = m.end()
        pos = e if e > s else s + 1
        # one group() call for the groups every candidate reads
        num, fuzzy, fuzzy2, fuzzy3, bare, unit2, mag, unit1 = m.group(*_CANDIDATE_GROUPS)
        fuzzy = fuzzy or ""
        late_fuzzy = fuzzy2 or fuzzy3  # 2万余场, 80万余: after the magnitude
        if unit2:
            unit = mag + unit2
        else:
            unit = bare or unit1 or ""
        percent_words = num.startswith("百分之")
        if not unit and not percent_words:
            continue
        start, end = s - at, e - at
        if not _accept_here(text, start, end, num, unit):
            continue
        noun: str | None = None
        if bare and not percent_words:
            noun = _bare_follower(text, start, end)
            if noun is None:
                continue  # 400亿级, 50亿以上企业, 10万标…: no quantity, or one whose unit is unknown
            if noun and text.startswith(noun, end):
                # 30.2万农村居民, 630余万低收入人口: the people counted right after the number make it 万人 (万户 for
                # households), as a researcher tabulates it; 用户突破3.5亿 (the noun before) keeps the magnitude
                unit += "户" if noun.endswith(_HOUSEHOLD_NOUNS) else "人"
        number = num
        if percent_words:
            unit, end = "%", m.end("num") - at
        elif num[0] in _CN_CHARS:  # Chinese numerals (a candidate starting with a digit holds no numeral)
            core, mag = split_magnitude(num)
            unit = mag + unit  # 一千二百三十四万元 -> 1234 万元, as 1234万元 is written
            num = core
        try:
            if m.group("lomag"):
                low = full[s : m.start("lomag")]
                value, vmax = _low_magnitude_range(low, m.group("lomag"), m.group("hi"), unit)
            else:
                value, vmax = _parse_value(num) if num else (1.0, None)  # 突破万亿元: value 1, unit 万亿元
            if num and not num[0].isdigit() and _HIGHER_MAG.search(num):
                value = _in_unit_magnitude(num, unit, value)
        except ValueError:
            continue
        if unit in _YUAN:
            sub = _SUB_UNIT.match(text, end)
            if sub.end() > end:  # 123元1角1分: the whole amount, as written
                value += _sub_unit_value(sub)
                number, end = text[start : sub.end()], sub.end()
        if text[end : end + 1] == "整" and _CHEQUE_END.match(text, end + 1) and _is_money(unit):
            end += 1  # 壹仟玖佰圆整: the amount as a cheque writes it
        if text[end : end + 1] == "/" and (per := _PER_TIME.match(text, end)) is not None and unit:
            unit += per.group()  # 30万吨/日, 130万吨/年: a capacity per unit of time
            end = per.end()
        approx = bool(fuzzy or late_fuzzy) or _approx_after(text, end)
        if num[:1].isdigit() and _minus_sign(text, start):
            # 增速分别为-51.7%、70.6%: a minus sign after a verb or a list separator (not 2014-2019, not A-1)
            start -= 1
            number = "-" + number
            value, vmax = -value, (-vmax if vmax is not None else None)
        out.append((start, end, number + fuzzy, value, vmax, unit, approx, noun))
    return out


_YUAN = frozenset(["元", "圆", "块钱", "元人民币"])
_PER_TIME = re.compile(r"/(?:日|天|年|月|小时|时|秒|分钟)(?![\u4e00-\u9fff])")
_SUB_DIGIT = "0-9零一二两三四五六七八九壹贰叁肆伍陆柒捌玖"
# 角 (or 毛) and 分 right after a whole number of 元, one digit each: 123元1角1分, 5元8角, 3元零5分 (not 3元1分钟)
_SUB_UNIT = re.compile(
    rf"(?:零?(?P<jiao>[{_SUB_DIGIT}])[角毛])?(?:零?(?P<fen>[{_SUB_DIGIT}])分(?![钟之别类析布配数值期局区成子]))?"
)
_CHEQUE_END = re.compile(r"[，,。；;：:！？!?）)”\"\s]|$")


def _sub_unit_value(m: re.Match[str]) -> float:
    """The 角 and 分 of a :data:`_SUB_UNIT` match in 元 (1角1分 -> 0.11)."""
    jiao = parse_number(m.group("jiao")) if m.group("jiao") else 0.0
    fen = parse_number(m.group("fen")) if m.group("fen") else 0.0
    return round(jiao / 10 + fen / 100, 2)


def _low_magnitude_range(low: str, low_mag: str, high: str, unit: str) -> tuple[float, float]:
    """(value, value_max) of a range whose lower bound has its own magnitude, in the unit's magnitude:
    1万-5万元 -> (1, 5) 万元, 5000万至1亿元 -> (0.5, 1) 亿元, 1万-50000元 -> (10000, 50000) 元."""
    factor = _ANY_MAG.get(unit) or _split_unit(unit)[0]
    low_value = _parse_plain(low.strip().replace(",", "").replace("，", "")) * _ANY_MAG[low_mag] / factor
    return low_value, _parse_plain(high.replace(",", "").replace("，", ""))


def _is_money(unit: str) -> bool:
    return UNIT_KINDS.get(_split_unit(unit)[1], ("",))[0] == "money"


_HIGHER_MAG = re.compile("[亿億万萬](?!$)")
_RANGE_WORD = re.compile("[至到]")


def _in_unit_magnitude(num: str, unit: str, value: float) -> float:
    """A Chinese numeral holding a larger magnitude than its unit's, read in that unit: 六亿二千 + 万斤 -> 62000
    (六亿二千万斤 = 62000万斤, not 6亿 and 2000万), 一亿一千三百 + 万吨 -> 11300. Other values are kept."""
    prefix = unit[: len(unit) - len(_split_unit(unit)[1])]
    if prefix not in ("万", "萬", "亿", "億") or _RANGE_WORD.search(num):
        return value
    return parse_number(num + prefix) / _MAG_FACTORS[prefix]


# A magnitude with no unit word after it (突破6000亿，用户突破3.5亿，4亿的音乐用户, 30.2万农村居民落户): the unit is
# the magnitude as written (亿, 万, 万亿). It is a fact when what follows ends the quantity (punctuation, 的,
# 以上/左右, a list word, 大关/台阶) or names the people counted within a few characters; anything else may be a
# unit this module does not know (or a category: 400亿级, 50亿以上企业) and is left alone.
_PEOPLE = (
    "群众|居民|农民工|农民|农户|牧民|农牧户|用户|网民|游客|旅客|乘客|儿女|人民|同胞|劳动力|老人|老年人|儿童|学生|毕业生|"
    "职工|员工|人才|婴幼儿|人员|人口|家庭|残疾人|患者|妇女|工人|青年|市民|村民|会员|粉丝|观众|读者"
)
_HOUSEHOLD_NOUNS = ("户", "家庭")
_BARE_NOUN = re.compile(rf"的?([\u4e00-\u9fffA-Za-z0-9]{{0,8}}(?:{_PEOPLE}))")
_BARE_THRESHOLD = re.compile(r"(?:以上|以下)的?[\u4e00-\u9fff]")  # 人口20万以上的县: a category
_BARE_END = re.compile(r"(?:[，,。；;、：:！？!?）)”\"\s]|以上|以下|左右|上下|之多|和|及|与|或|大关|关口|台阶|的|$)")
# what the indicator says the unitless quantity counts: people and things (count), or an amount (money)
_BARE_COUNT = re.compile(
    rf"(?:{_PEOPLE}|人数|户数|开户数|账户|人次|数量|个数|件数|客流|吞吐量|业务量|访问量|下载量|订单|包裹|快件|数)$|"
    rf"(?:{_PEOPLE}|人数|户数)"
)
_BARE_NOT_MONEY = re.compile(r"算力|产能|产量|面积|里程|容量|能力|浓度|粮食|电量|用电|发电|排放")
_BARE_MONEY = re.compile(
    r"额|薪|工资|报酬|规模|收入|营收|产值|总值|增加值|利润|利税|税收|投资|资金|融资|贷款|存款|市值|估值|GDP|生产总值|经济总量|"
    r"消费|销售|成交|资产|财政|预算|支出|基金|补贴|营业|经费|成本|价值|票房|奖励|债"
)
_CURRENCY_WORDS = (("美元", "USD"), ("港元", "HKD"), ("港币", "HKD"), ("欧元", "EUR"), ("日元", "JPY"))


def _bare_follower(text: str, start: int, end: int) -> str | None:
    """What follows a unitless magnitude: None (no fact here), the people it counts (30.2万农村居民 -> 农村居民),
    or "" (the quantity ends there: 突破6000亿，)."""
    m = _BARE_NOUN.match(text, end)
    if m is not None:
        return m.group(1)
    if _BARE_END.match(text, end) is None or _THRESHOLD_AFTER.match(text, end) or _BARE_THRESHOLD.match(text, end):
        return None
    if text[end : end + 1] == "的":
        if (_THRESHOLD_OF.match(text, end) or _CLASSIFIER_MISMATCH["人"].match(text, end + 1)) and _approx_before(
            text, start
        ):
            return None  # 营收超1亿的企业, 人口超过100万的城市: a category, as for 亿元
        of = _OF_NOUN.match(text, end)
        if of is not None:
            return _noun_head(of.group(1))  # 3000万的海量正版音乐: what is counted
    return ""


def _bare_kind(indicator: str | None, noun: str, sentence: str) -> tuple[str, str | None]:
    """(kind, scaled unit) of a unitless magnitude: count when people are counted or the indicator is a number of
    things (用户, 开户数), money when it is an amount (交易额, 规模, 收入 ...: in the sentence's currency, 元 when
    none is named), else other (粮食产量达1.2亿: the unit is not written)."""
    ind = noun or indicator or ""
    if _BARE_COUNT.search(ind):
        return "count", "count"
    if _BARE_MONEY.search(ind) and not _BARE_NOT_MONEY.search(ind):
        return "money", next((code for word, code in _CURRENCY_WORDS if word in sentence), "CNY")
    if noun:
        return "count", "count"  # 3000万的海量正版音乐: the noun after the number is what is counted
    return "other", None


_AFTER_FACT_JOINT = re.compile(r"(?:以上|以下|左右)?(?P<joint>以及|和|及|与|、|；|;)")
_CHAR_START = attrgetter("char_start")
_MAX_ASIDE = 14  # characters of a bracketed aside, brackets included
_MAX_QUOTE = 14  # characters of a quoted name, quotes included
# words that make a 、-separated part a clause of its own, not a listed noun (规模大幅增加、项目减少三分之二)
_CLAUSE_IN_LIST = re.compile(r"增加|增长|提高|提升|上升|下降|减少|降低|扩大|缩小|达到|突破|占|最|居|位列|排名")
_HEADING_NUMERAL = re.compile(r"\s*[一二三四五六七八九十]{1,3}\s*")
_LIST_OPENERS = frozenset("“\"")  # a 、 list that starts with a quote is a list of names (“美丽庭院”、…)
_WHOLE_NAMES = frozenset(["全国", "我国", "中国", "全球", "世界", "革命老区", "边境地区", "沿海地区"])
_NEGATIVE_BEFORE = re.compile(r"(?:^|[为是达至到长降、，,：:（(和])\s*$")


def _minus_sign(text: str, start: int) -> bool:
    """Whether the character before ``start`` is a minus sign: after a verb, a list separator or nothing
    (增速为-51.7%、-4.9%), not between two numbers or inside a code (2014-2019, A-1)."""
    return start > 0 and text[start - 1] in "-－−" and bool(_NEGATIVE_BEFORE.search(text, 0, start - 1))


def _base_indicator(indicator: str) -> str:
    return indicator[:-2] if indicator.endswith(("增速", "降幅")) else indicator


def _window_before(text: str, start: int) -> bool:
    """_WINDOW_BEFORE ending at ``start`` (近/过去/未来 ... before a number of years), in a 10-character window."""
    s10 = max(0, start - 10)
    if _WINDOW_BEFORE_FIRST is not None and _WINDOW_BEFORE_FIRST.isdisjoint(text[s10:start]):
        return False
    return _WINDOW_BEFORE.search(text, s10, start) is not None


def _accept(
    text: str,
    m: re.Match[str],
    num: str,
    unit: str,
    time_spans: Sequence[tuple[int, int]],
    blocked: Sequence[tuple[int, int]],
) -> bool:
    """Is this number+unit a stated quantity? (years, ordinals, names and articles are not)."""
    start = m.start()
    if (blocked and _inside(start, blocked)) or (time_spans and _inside(start, time_spans)):
        return False
    return _accept_here(text, start, m.end(), num, unit)


_CN_SINGLE = frozenset(_CN) - frozenset(_MAG_FACTORS)  # a numeral that is a core of its own (not 万, 亿)
_THRESHOLD_OF = re.compile(r"的[^，。；;,、\d]{0,12}?(?:企业|公司|项目|单位)")
_THRESHOLD_AFTER = re.compile(
    r"(?:以上|以下)?(?:企业|公司|级|项目|镇|县|城市|园区|集群|产业集群)|(?:以上|以下)?的(?:企业|公司)"
)
_MONEY_LIKE_UNITS = frozenset(
    u for u, (kind, _) in UNIT_KINDS.items() if kind in ("money", "percent", "multiple")
)


# a physical size right before what it names (百万吨乙烯项目, 百万吨级乙烯工程): part of a project's name
# (not 关停5000万千瓦小火电机组: units counted by their capacity)
_NAMED_BY_SIZE = re.compile(
    r"[\u4e00-\u7683\u7685-\u9fff]{1,6}?(?:项目|工程|装置)|/年[\u4e00-\u7683\u7685-\u9fff]{1,10}?(?:项目|工程|装置)|"
    r"[\u4e00-\u7683\u7685-\u9fff]{1,8}?示范(?=[、，。；和及与])"
)  # no 的: 300万吨的宝钢二期工程
# sizes of projects named in a list that ends in a project word (国能宁煤70万吨煤制烯烃和80万吨煤制油升级示范, 哈密400万吨/年
# 煤制油、1500万吨/年煤炭分质分级利用项目, 肥城300兆瓦压缩空气储能、东营津辉500兆瓦电化学储能项目, 百万吨乙烯及产业集群项目)
_NAME_CH = r"[\u4e00-\u7683\u7685-\u9fff]"  # no 的
_SIZE_WORD = r"(?:\d+(?:\.\d+)?|[百千万]+)万?(?:吨|千瓦|兆瓦|吉瓦|立方米)(?:/年)?"
_NAMED_IN_LIST = re.compile(
    rf"(?:/年)?{_NAME_CH}{{1,8}}?(?:和|及|与|、){_NAME_CH}{{0,6}}?(?:{_SIZE_WORD})?{_NAME_CH}{{1,10}}?"
    r"(?:项目|工程|装置|示范(?=[、，。；和及与]))"
)
_SHARE_DENOMINATOR = re.compile(r"每[\u4e00-\u9fff]{0,3}$")  # 每出口 before the count (每3人, 每出口4辆)
_SHARE_NUMERATOR = re.compile(r"就(?:有|是)$")


def _in_share_phrase(text: str, start: int, end: int) -> bool:
    """Whether the count at ``start:end`` is a term of a 每N…就有M phrase (每出口4辆汽车就有1辆安徽造): one share,
    said with two numbers, neither of them a stated quantity."""
    head = text[max(0, start - 24) : start]
    if "每" not in head:
        return False
    if _SHARE_DENOMINATOR.search(head, max(0, len(head) - 4)):
        after = text[end : end + 12]
        stop = _CLAUSE_BOUNDARY.search(after)
        return _SHARE_TERM.search(after[: stop.start() if stop else None]) is not None
    if _SHARE_NUMERATOR.search(head, max(0, len(head) - 2)):
        clause = head[max(head.rfind(c) for c in "，,。；;：:") + 1 :]
        return _SHARE_OPENING.search(clause) is not None
    return False


_SHARE_TERM = re.compile(r"就(?:有|是)")
_SHARE_OPENING = re.compile(rf"每[\u4e00-\u9fff]{{0,3}}?(?:\d|[{_CN}])")


# ------------------------------------------------------------------------------------------------ categories
# A number that defines a category states no quantity of anything: 人均纯收入1万元以下的脱贫户, 30户以上自然村,
# 年销售收入超10亿元龙头企业, 投资在五亿元以上的重大建设项目有九十三个, 30万吨级油轮. The amount carries a threshold
# (以上/以下/以内 after it, 超/过/逾/不足 before it, or 级) and directly modifies a noun naming countable things
# (企业, 项目, 村, 城市, 人才, 机组 ...). A quantity predicated of a subject stays (企业营收超10亿元; 新增财力80%以上
# 用于民生; 实施100个以上重点项目: 个 counts the projects themselves; 完成一亿亩以上荒地: 亩 measures the land).
_CATEGORY_HEAD = re.compile(
    r"企业|公司|项目|单位|工程|园区|集群|基地|产业园|城市|城镇|县|乡镇|镇|(?<!农)村|社区|国家|省份|地区|大队|生产队|"
    r"电站|机组|矿井|煤矿|电厂|炼油厂|工厂|油轮|船舶|船|码头|航道|泊位|港口|人才|管道|电梯|增长点|经营主体|市场主体|"
    r"学校|医院|商户|门店|品牌|景区|设备|住宅|房屋|小区|[农贫困脱监测]户|旱地|坡耕地|家庭|车辆|货车|客车|汽车|线路|部分"
)
# a noun of an amount: the number measures it (超10亿元补贴直达消费者, 打造超1000亿元引导基金集群)
_CATEGORY_AMOUNT_NOUN = re.compile(r"资金|基金|补贴|贷款|投资|资本|收入|奖励|专项债|债券|荒地|耕地|土地|草原|林")
# what a count's classifier cannot count: 30户以上自然村 (households, not villages), 100万人口以上城市
_CLASSIFIER_MISMATCH = {
    "户": re.compile(r"[^，。；、]{0,6}?(?:村|村寨|村组|屯|寨)"),
    "人": re.compile(r"[^，。；、]{0,6}?(?:城市|县|镇|乡|地区|国家)"),
    "口": re.compile(r"[^，。；、]{0,6}?(?:城市|县|镇|乡|地区|国家)"),
}
_CATEGORY_NEXT = frozenset("以及或级")
_CATEGORY_PREV = frozenset("超过逾足到")
_THRESHOLD_TAIL = re.compile(r"(?:及|或)?(?:以上|以下|以内)(?:(?:且|并)[^，。；;,、\d]{0,10}?(?=的))?(?P<of>的)?")
_THRESHOLD_HEAD = re.compile(r"(?:超过|超|过|逾|不足|不到)$")
# a noun phrase after the amount: Chinese characters and short quotes, up to punctuation or a digit
_CATEGORY_NP = re.compile(r"(?:[\u4e00-\u9fff]|“[^“”，。；]{1,10}”)+")
# a verb at the start of what follows: the amount is predicated, not a modifier (资金100亿元以上用于…, 80%以上由企业牵头)
_CATEGORY_VERB = re.compile(
    r"(?:用于|用在|用来|投向|投入|投放|来自|由|在|实现|达到|达|增长|增速|支持|保持|是|为|进入|完成|覆盖|纳入|参与|以|"
    r"作为|可以|可|能|将|要|已|就|还|都|均|被|得到|获得|幅度|水平|速度|目标|新?阶段|规模|台阶|大关)"
)
# a count of the things the category names, right before the threshold phrase or right after the noun phrase
# (82个预增产值过10亿元的重大增长点; 营收超亿元的…企业超过750家; …以上的有四十五个县); not 首个 (one named thing)
_COUNT_BEFORE = re.compile(rf"(?<![首第])(?:\d+|[{_CN}]+)(?:个|家|项|座|所|批|类)[\u4e00-\u9fff]{{0,8}}$")
_COUNT_AFTER = re.compile(
    rf"(?:就|还|共|总共|共计)?(?:有|达到|达|超过|超|增至|增加到|突破|为)?(?:\d+|[{_CN}]+)(?:多|余)?(?:个|家|项|座|所|批|类)|占比|比例|比重"
)
_NEXT_THRESHOLD = re.compile(r"、(?:超过|超|过|逾)?(?P<n>\d+(?:\.\d+)?[万亿千百]?)")
_SUM_OF_LIST = re.compile(r"等(?:总投资|总规模|总产值|合计|共计)(?:超过?|过|逾)?$")  # 甲、乙等总投资500亿元以上的…项目


def _category_head(text: str, pos: int) -> int | None:
    """Where the noun phrase at ``pos`` names countable things: the end of its first category head, None when it
    has none within 14 characters or an amount noun comes first (打造超1000亿元引导基金集群)."""
    m = _CATEGORY_NP.match(text, pos)
    if m is None:
        return None
    np_ = m.group()[:14]
    head = _CATEGORY_HEAD.search(np_)
    if head is None or _CATEGORY_AMOUNT_NOUN.search(np_, 0, head.start()):
        return None
    return pos + head.end()


def _defines_category(text: str, start: int, end: int, base_unit: str) -> bool:
    """Whether the amount at ``start:end`` (unit ``base_unit``) only defines a kind of thing: see _CATEGORY_HEAD.
    Shares (80%以上的县) and counts whose classifier counts the noun (100个以上项目) state quantities."""
    if base_unit in _ANY_MAG:
        return False  # a unitless magnitude: see _bare_follower
    kind = UNIT_KINDS.get(base_unit, ("other", ""))[0] if base_unit else "count"
    if kind in ("percent", "multiple"):
        return False
    nxt = text[end : end + 1]
    if nxt == "级":
        return text[end + 1 : end + 2] not in ("别", "数", "差", "，", "。", "；", "、", "") and kind != "count"
    if kind == "count":
        mismatch = _CLASSIFIER_MISMATCH.get(base_unit)
        if mismatch is None:
            return False
    else:
        mismatch = None
    pos, with_of = end, False
    tail = _THRESHOLD_TAIL.match(text, end)
    thresholded = tail is not None and tail.end() > end
    if thresholded:
        pos, with_of = tail.end(), tail.group("of") is not None
    else:
        if not _THRESHOLD_HEAD.search(text, max(0, start - 2), start):
            return False
        if nxt == "、":
            # 年收益超10万元、超30万元村集体: the first threshold of a list shares the second's noun
            second = _NEXT_THRESHOLD.match(text, end)
            if second is None or not text.startswith(base_unit, second.end()):
                return False
            return _defines_category(text, second.start("n"), second.end() + len(base_unit), base_unit)
        if nxt == "的":
            pos, with_of = end + 1, True
    if _CATEGORY_VERB.match(text, pos) and not (with_of and text[pos : pos + 1] in ("有", "就")):
        return False
    if with_of and _COUNT_AFTER.match(text, pos):
        return True  # 年产煤一百万吨以上的就有三十一个
    if mismatch is not None:
        return mismatch.match(text, pos) is not None
    head_end = _category_head(text, pos)
    if head_end is None:
        return False
    clause_start = max(0, start - 24)
    head = text[clause_start:start]
    cut = max(head.rfind(c) for c in "，,。；;：:！？")
    head = head[cut + 1 :]
    if _SUM_OF_LIST.search(head):
        return False  # 甲、乙等总投资500亿元以上的项目: the sum over named projects
    if thresholded and not with_of:
        return True  # 10亿元以上重大产业项目, 20年以上老化燃气管道
    if not with_of:
        return True  # 年销售收入超10亿元农业产业化龙头企业
    # with 的 the phrase may name one thing (投资超过550亿元的晋北新能源基地开工建设): a category when counted
    if thresholded:
        return True  # 投资在五亿元以上的重大建设项目, 3年以上的人才
    return bool(_COUNT_BEFORE.search(head)) or bool(_COUNT_AFTER.match(text, head_end))


def _range_low(num: str) -> str:
    """The first number of a range as written (``_RANGE_SPLIT.split(num, maxsplit=1)[0]``); digits alone hold no
    separator, so they are the number itself without a regex call."""
    return num if num.isdigit() else _RANGE_SPLIT.split(num, maxsplit=1)[0]


_AGE_UNITS = frozenset(["岁", "周岁"])
# what may follow an age that is a fact: the end of its clause, perhaps after 左右 / 以上 / 以下
_AGE_GROUP_AFTER = re.compile(r"(?!(?:左右|以上|以下|及以上|及以下)?(?:[，,。；;、）)\s]|$))")


_MEDAL_UNITS = frozenset("金银铜")
_MEDAL_NAMES = {"金": "金牌数", "银": "银牌数", "铜": "铜牌数"}
# the games or contest medals are won at: 巴黎奥运会, 残奥会, 世界技能大赛, 全运会 (after a year or place, which go)
_EVENT = re.compile(r"奥运会|残奥会|运动会|全运会|亚运会|大赛|锦标赛|联赛|杯赛|比赛|竞赛|赛事")
_EVENT_LEAD = "年在于的上了和及与获得夺"  # what may stand right before the event's name without qualifying it


def _event_before(text: str, lo: int, hi: int) -> str:
    """The last games or contest named in ``text[lo:hi]`` with up to four characters that qualify it (巴黎奥运会,
    世界技能大赛; not the 在 or year before it), or ""."""
    event = None
    for event in _EVENT.finditer(text, lo, hi):
        pass
    if event is None:
        return ""
    before = text[max(lo, event.start() - 4) : event.start()]
    keep = len(before)
    while keep and "\u4e00" <= before[keep - 1] <= "\u9fff" and before[keep - 1] not in _EVENT_LEAD:
        keep -= 1
    return before[keep:] + event.group()


_MEDAL_NEXT = re.compile(r"\d+[银铜]")
_MEDAL_PREV = re.compile(r"\d[金银]$")
_WIN_BEFORE = re.compile(r"(?:获|夺|摘得|斩获|获得|取得|摘取|收获)$")


def _medal_count(text: str, start: int, end: int) -> bool:
    """Whether the count ending in 金/银/铜 at ``[start, end)`` counts medals: part of a tally (8金4银4铜, 2金1银)
    or right after a verb of winning (获1金)."""
    before = text[max(0, start - 4) : start]
    return (
        _MEDAL_NEXT.match(text, end) is not None
        or _MEDAL_PREV.search(before) is not None
        or _WIN_BEFORE.search(before) is not None
    )


_PACKAGE_REACH = 20  # characters before a package's number that its name (and verb or quote) may take


def _in_package_name(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` (a count of 条) lies inside the name of a policy package (see nlp.extract.packages);
    read in a window around it (a package name is at most ~20 characters)."""
    a = max(0, start - _PACKAGE_REACH)
    window = text[a : end + 8]
    return any(s <= start - a and end - a <= e for s, e, _ in package_matches(window))


def _accept_here(text: str, start: int, end: int, num: str, unit: str) -> bool:
    """:func:`_accept` without the sentence's spans (titles, quotes, times): what the characters around say.

    Tried on every candidate before anything else of the sentence is read: most sentences with numerals hold
    none that passes (一个, 2023年), and they are then only queued for their context.
    """
    base_unit = _split_unit(unit)[1]
    # the two most common rejections first (both are also tried below, in their place)
    if len(num) == 1 and num in _CN_SINGLE and base_unit not in _MONEY_LIKE_UNITS:
        return False  # 一个, 五年, 三项
    if (
        unit[-1:] == "年"
        and base_unit == "年"
        and (_YEARLIKE.match(_range_low(num)) or _CN_YEAR_NUM.match(num))
    ):
        return False  # 2023年, 一九五六年, 一九五四两年 (a year, then 两年)
    if num[0] == "0" and num[1:2].isdigit():
        return False  # 010-1234, 012项: a code or a phone number (a quantity has no leading zero)
    prev = text[start - 1] if start else ""
    nxt = text[end : end + 1]
    # a candidate starts with a digit or a numeral, and only the former hold digits
    has_digit = num[0] not in _CN_CHARS
    if prev and (prev.isascii() and (prev.isalnum() or prev in ".-_/")) and not _minus_sign(text, start):
        return False  # G20, v1.2, 010-1234
    s4 = max(0, start - 4)
    if (
        (_ORDINAL_FIRST is None or not _ORDINAL_FIRST.isdisjoint(text[s4:start]))
        and ORDINAL_BEFORE.search(text, s4, start)
        and not _approx_before(text, start)
    ):
        return False
    if base_unit and base_unit[-1].isascii() and nxt.isascii() and nxt.isalnum():
        return False  # 10GPON, 5GB-like tokens inside names
    if nxt and nxt in _WORD_AFTER_UNIT.get(base_unit, ""):
        return False  # 3条例, 5人口: the unit character starts a word
    if base_unit in _MEDAL_UNITS and not _medal_count(text, start, end):
        return False  # 3金融, 10银行 are words; 8金 counts gold medals only in 8金4银4铜 or after 获/夺
    if base_unit == "条" and _in_package_name(text, start, end):
        return False  # 落实民营经济32条政策, “5G产业化10条”: the number of a named policy package is part of its name
    if base_unit in ("年", "年度"):
        first = _range_low(num)
        if _YEARLIKE.match(first) or _CN_YEAR_NUM.fullmatch(num):
            return False  # 2023年 is a date
        if _WINDOW_AFTER.match(text[end : end + 4]) or _window_before(text, start):
            return False  # 近5年, 五年来, 三年行动: time windows and programme names
        if nxt in "底末初":
            return False
    if base_unit == "成" and not num[:1].isdigit():
        return False  # 一成不变, 八成: 成 counts tenths only after digits (超4成)
    if base_unit in _AGE_UNITS and _AGE_GROUP_AFTER.match(text, end):
        return False  # 60岁以上老人, 0-3岁婴幼儿: an age names a group of people (人均预期寿命78.5岁 is a fact)
    if prev == "每" or (start > 1 and text[start - 2] == "每"):
        return False  # 每秒百亿亿次, 每千人: a rate's denominator
    if prev == "前" and base_unit in ("名", "位", "强"):
        return False  # 前10名: a rank
    if prev in "×*" and base_unit in ("%", "％"):
        return False  # 死亡例数/病例数×100%: a formula's scale, not a quantity
    if "每" in text and _in_share_phrase(text, start, end):
        return False  # 每出口4辆汽车就有1辆…: a share put in words (1 in 4), not two counts
    if (
        nxt
        and UNIT_KINDS.get(base_unit, ("",))[0] == "other"
        and prev != "产"
        and (_NAMED_BY_SIZE.match(text, end) or _NAMED_IN_LIST.match(text, end))
    ):
        return False  # 南港百万吨乙烯项目, 70万吨煤制烯烃和80万吨…示范: sizes naming projects (not 年产30万吨…装置)
    if nxt in "以的企公级项镇县城园集产" and UNIT_KINDS.get(base_unit, ("",))[0] == "money":
        if _THRESHOLD_AFTER.match(text, end):
            return False  # 营收超十亿元企业13家, 亿元以上项目: an amount that defines a category, not a fact
        if nxt == "的" and _THRESHOLD_OF.match(text, end) and text[start - 1 : start] in ("超", "逾", "过"):
            return False  # 营收超亿元的软件和信息服务企业超过750家 (not 总投资80亿元的港口项目: no qualifier)
    if (nxt in _CATEGORY_NEXT or text[start - 1 : start] in _CATEGORY_PREV) and _defines_category(
        text, start, end, base_unit
    ):
        return False  # 30户以上自然村, 超10亿元龙头企业, 30万吨级油轮: a threshold naming a kind of thing
    if not has_digit and not num.startswith("百分之"):
        core, mag = split_magnitude(num)
        kind = UNIT_KINDS.get(base_unit, ("other", ""))[0]
        if not core:
            return bool(_approx_before(text, start)) and kind == "money"  # 突破万亿元 (not 万家灯火)
        if len(core) == 1 and not mag and kind not in ("money", "percent", "multiple"):
            return False  # 一个, 三个方面, 两年, 百家: articles, enumerations and words
        if core[0] in "十百千" and len(core) == 1 and not mag and not (core == "十" and base_unit in _YUAN):
            return False  # 百家, 千年 (十元, 十块钱 are amounts)
        if _ENUMERATION.match(text, start):
            return False
    return True


# Where a predicate that says how the counted things fare starts in the characters after a count (228个大型数据中心
# 进展顺利, 15个特色功能区多点发展, 5家企业均…, 3个项目增至…): progress, adverbs, amounts. A predicate that defines
# what is counted stays (30个国家建立双边电子商务合作机制, 37家企业在主板上市, 12家医院位列…百强, 11个园区被认定
# 为…: the gold names "建立…机制的国家数"). Only a match after the first two characters cuts (the noun keeps at
# least two); words that also occur inside nouns are guarded (影响力, 人均, 平均).
_PREDICATE = re.compile(
    r"进展|顺利|多点|稳步|相继|陆续|正在|已经|(?<![人平年])均|分别|首次|率先|实现|进行|"
    r"影响(?!力)|"
    r"增长|增加|下降|减少|增至|超过|突破|达到|累计|合计|共计"
)
# a predicate at the end only (57个项目要加快建设 -> 项目; 精神文明建设, 100个重点建设项目 keep 建设), and a trailing 中
# (105个综试区城市中)
_PREDICATE_END = re.compile(
    r"要?(?:加快|开始|全面|陆续)(?:开工)?建设$|(?:开工)?(?:落地|签约|开工|投产|上线|启动)$|(?<=....[^集其空高初心途当])中$"
    # 55件民生实事保质保量完成, 30个项目如期建成: the count's things, then how they were done
    r"|(?<=..)(?:保质保量|如期|按期|按时|全部|全面|顺利|基本|超额|高效|圆满){0,2}(?:完成|建成|办结)$"
)
_OPEN_END = re.compile(r"(?:或者|或|和|及|与|并|而|地|的)$")  # a cut there would leave half a phrase


def _noun_before_number(noun: str) -> str:
    """``noun`` up to a number written right after a Chinese character (点位36项…, 企业2500家): another value."""
    cut = _NUMBER_AFTER_WORD.search(noun)
    return noun[: cut.start()] if cut else noun


def _noun_head(noun: str) -> str:
    """The noun phrase at the start of ``noun`` (the characters after a count or a share's 的), cut where its
    predicate starts; unchanged when no predicate follows two characters of noun."""
    if len(noun) <= 3:
        return noun
    m = _PREDICATE.search(noun, 2)
    if m is not None and not _OPEN_END.search(noun, 0, m.start()):
        noun = noun[: m.start()]
    e = _PREDICATE_END.search(noun)
    if e is not None and e.start() >= 2:
        noun = noun[: e.start()]
    return noun


# verbs whose object (what is counted or measured) may come after the number: 新建2.7万亩粮食生产无人农场
_OBJECT_VERBS = (
    "提请审议|审议通过|新改建|改扩建|新开工|新增|新建|建成|建设|完成|延续|覆盖|废止|出台|制定|修订|制修订|培育|打造|"
    "引进|招引|引育|认定|创建|改造|开展|实施|惠及|带动|吸引|吸纳|减免|发放|安排|争取|落实|下达|投入|扶持|帮扶|救助|"
    "资助|解决|办理|受理|审批|签约|签订|组建|设立|成立|开通|开设|淘汰|关闭|化解|清理|整治|治理|修复|种植|营造|培训|"
    "提供|筹集|筹措|撬动|处置|盘活|审议|制修订"
)
_OBJECT_VERB_END = re.compile(rf"(?:{_OBJECT_VERBS})$")
_OBJECT_VERB_MAX = max(map(len, _OBJECT_VERBS.split("|")))


def _verb_at_end(text: str) -> re.Match[str] | None:
    """``_OBJECT_VERB_END.search(text)``, tried only where a verb ending ``text`` can start (its last few characters:
    the same match, without trying the alternation at every character). ``text`` ends with no newline."""
    return _OBJECT_VERB_END.search(text, max(0, len(text) - _OBJECT_VERB_MAX))


_OBJECT_VERB_ANY = re.compile(rf"{_OBJECT_VERBS}|清理|审议")
_FROM_VALUE = re.compile(r"(?:由|从)的?\d")
_FROM_ONLY = re.compile(
    r"\s*(?:将|要|已)?(?:由|从)(?:(?:19|20)\d\d年(?:底|末)?)?[^，,；;。：:\d]{0,8}?的?\s*"
)  # 将由去年的, 由2020年的
_NOT_OBJECT = re.compile(r"用于|用来|以上|以下|左右|用以|作为|等")
# a yardstick after the measure (增速高于全国, 比重高出全省平均): the comparison, not the measured thing
_BENCHMARK_TAIL = re.compile(r"(?:高于|低于|快于|慢于|高出|低出|超出|领先于?)[\u4e00-\u9fff]{0,10}$")
# the longest match (+1: $ also matches before a final newline): no match starts earlier before the end
_BENCHMARK_TAIL_MAX = 3 + 10 + 1


def _same_count(fact: Fact, unit_base: str) -> bool:
    """Whether ``fact`` counts things in the unit ``unit_base`` (a count with no noun of its own may share its
    indicator: 审议法规14部、废止11部)."""
    return fact.kind == "count" and _split_unit(fact.unit)[1] == unit_base


_BARE_VALUE = re.compile(r"[\d.]+(?P<unit>\D{1,4})")


def _bare_value(stem: str) -> bool:
    """Whether ``stem`` is only a number and its unit (505户), no noun phrase (5G基站 is one)."""
    m = _BARE_VALUE.fullmatch(stem)
    return m is not None and _split_unit(m.group("unit"))[1] in UNIT_KINDS


def _object_after(text: str, end: int) -> str:
    """The noun phrase right after a value (its 的 aside), cut where its predicate starts; "" when none."""
    skip = APPROX_AFTER.match(text, end)
    at = skip.end() if skip else end
    if text[at : at + 1] == "的":
        at += 1
    if _NOT_AFTER_NOUN.match(text, at) or _NOT_OBJECT.match(text, at):
        return ""
    m = _AFTER_NOUN.match(text, at)
    noun = _noun_head(_noun_before_number(_NOUN_END.split(m.group(), maxsplit=1)[0])) if m else ""
    return noun if len(noun) >= 2 and noun.strip("“”") else ""


def _indicator(
    prefix: str,
    after: str,
    text: str,
    start: int,
    end: int,
    kind: str,
    comparison: str | None,
    facts: Sequence[Fact],
    ctx: _Context,
    clause_start: int,
    qualifier_start: int | None = None,
    *,
    unit_base: str = "",
) -> str | None:
    """The measured thing: the clause's noun phrase before the number, after it for counts of things.

    ``qualifier_start`` is where an approximation word before the number (约, 超过 ...) starts, if any;
    ``unit_base`` the value's unit less its magnitude (户 of 505户).
    """
    if unit_base in _MEDAL_UNITS:  # 巴黎奥运会上斩获8金4银4铜: the medals of the games or contest named before
        return f"{_event_before(text, clause_start, start)}{_MEDAL_NAMES[unit_base]}"[-_MAX_INDICATOR:]
    if kind == "count":  # 超190套跨境陆缆系统, 30个国家建立…: the classifier's noun is what is counted
        skip = APPROX_AFTER.match(text, end)
        at = skip.end() if skip else end
        if text[at : at + 1] == "的" and skip:
            at += 1  # 1万个左右的行政村
        if unit_base in _GROUP_UNITS and (nested := _NESTED_COUNT.match(text, at)) is not None:
            at = nested.end()  # 12类55件民生实事: the groups of the things the count after them counts
        m = _AFTER_NOUN.match(text, at) if _NOT_AFTER_NOUN.match(text, at) is None else None
        noun = _noun_head(_noun_before_number(_NOUN_END.split(m.group(), maxsplit=1)[0])) if m else ""
        if len(noun) >= 2 and noun.strip("“”"):
            return noun[:_MAX_INDICATOR]
    if qualifier_start is not None and qualifier_start >= clause_start:
        prefix = text[clause_start:qualifier_start]
    stem = _clean_indicator(prefix)
    previous = facts[-1].indicator if facts else ctx.indicator
    previous = _base_indicator(previous) if previous else None
    verb = _verb_at_end(prefix.rstrip()) if len(stem) <= 4 else None
    if verb is not None and (not stem or stem == verb.group()):
        # 新建2.7万亩粮食生产无人农场, 覆盖90%政务服务办件, 延续15%企业和个人所得税: the verb's object follows
        obj = _object_after(text, end)
        if obj:
            return (verb.group() + obj)[:_MAX_INDICATOR]
        if stem and facts and facts[-1].kind == kind and previous:
            # 审议地方性法规14部、废止11部: the object is the one of the same kind of value just before
            verbs = list(_OBJECT_VERB_ANY.finditer(previous))
            obj = previous[verbs[-1].end() :] if verbs else previous
            if len(obj) >= 2:
                return verb.group() + obj
    if stem[:1] in ("由", "从") and _FROM_VALUE.match(stem):
        stem = ""  # 由35个增加到100个: the words before the second value are the first value and the change
    if not stem and clause_start and (text[clause_start - 1] in "（(" or _FROM_ONLY.fullmatch(prefix)):
        # 一、推广的改革举措（共23项）: a value in brackets counts what the clause before them names; so does
        # a change from … to … that opens its clause (组建城市合作银行的大中城市，由35个增加到100个)
        outer = _clause_start(text, clause_start - 1)
        if not _DIGIT.search(text, outer, clause_start - 1):
            stem = _clean_indicator(text[outer : clause_start - 1])
    # each of _BENCHMARK_TAIL's openings holds 于, 出 or 领先
    may_bench = len(stem) > 3 and ("于" in stem or "出" in stem or "领先" in stem)
    bench = _BENCHMARK_TAIL.search(stem, max(0, len(stem) - _BENCHMARK_TAIL_MAX)) if may_bench else None
    if bench is not None and bench.start() >= 2:
        # 增速高于全国0.6个百分点: the yardstick is no part of what is measured
        stem = stem[: bench.start()]
        if previous and _comparison_only(stem):
            return previous + stem
    if stem.startswith("占") and previous:
        # the subject of the share: the previous indicator, less its own 占… part (4% then 8% of 占全国…比重)
        stem = (previous.split("占", 1)[0] or previous) + stem
    elif previous and "在" in previous and prefix.lstrip().startswith("在") and stem.endswith(("占比", "比重")):
        # …数字贸易在全球服务贸易出口总额中的占比从A上升至B，在全部贸易出口总额中的占比从C增长至D
        subject = previous.split("在", 1)[0]
        body = prefix.lstrip()[1:]  # the whole as written (全国…, 全部…: not stripped as a place or a filler)
        cut = _FROM.search(body)
        body = _strip_trail(body[: cut.start()] if cut else body)
        if subject and body.endswith(("占比", "比重")):
            stem = f"{subject}在{body}"
    if "占" in stem and not _names_share(stem) and not _SHARE_CHANGE.search(stem):
        stem = stem.rstrip("的") + "比重"
    if kind == "percent" and text[end : end + 1] == "的" and (not stem or stem in ("占", "有")):
        m = _OF_NOUN.match(text, end)
        if m:  # 仅有11%的企业认为…: the share of what follows (企业, not 企业认为…)
            return m.group(1)
    if previous and stem in ("出口", "进口") and "进出口" in previous:
        return previous.replace("进出口", stem)  # 其中，出口1.83万亿元 after 跨境电商进出口总额
    if kind == "percent" and stem and _LEVEL_BEFORE.search(text, max(0, start - 8), start):
        # 民间投资比重上升到63%: the level reached; the verb is no part of what is measured
        tail = _growth_tail(stem)
        if tail and tail.start() >= 2:
            stem = stem[: tail.start()]
    elif (
        kind == "percent"
        and stem
        and (text[start:end].endswith(("%", "％")) or text.startswith("百分之", start))
        and _RATE_BEFORE.search(text, max(0, start - 8), start)
        and not stem.endswith(_SHARE_WORDS)
    ):
        # 社会消费品零售总额增长3% (增长百分之三) -> 社会消费品零售总额增速 (a rate of change, named as the gold names it); not
        # 比重上升到63% (a level reached) nor a share's change
        tail = _growth_tail(stem)
        if tail and tail.start() >= 2:
            rate = "增速" if tail.group("verb") in _RISE_VERBS else "降幅"
            stem = stem[: tail.start()] + (tail.group("avg") or "") + rate
    if ("比" in stem or "份额" in stem) and (tail := _SHARE_VERB_TAIL.search(stem)) is not None:
        # 煤炭消费比重下降2个百分点, 所占的比重将上升为…: the share is what is measured, the verb its change (a rate of
        # the share's change, 占比增长2%, is named above: 占比增速)
        stem = stem[: tail.start()]
    if kind == "count" and facts and stem[:1].isdigit() and _bare_value(stem):
        stem = ""  # 505户1748人: the words before the second count are the first one
    if not stem and kind == "count" and facts and facts[-1].kind != "percent" and not _same_count(facts[-1], unit_base):
        # 13个村民小组，505户1748人: a bare count of other things names none of the value before it (a rate may:
        # 人数将增长百分之十八，达到六千万人)
        previous = None
    if previous and stem in _AGGREGATE_WORDS and facts and facts[-1].kind == "count" and kind in ("count", "money"):
        # 新增国家高新技术企业1200家，总量达到1.8万家: the total of what the count just before counts
        head = _OBJECT_VERB_LEAD.sub("", previous)
        if len(head) >= 2:
            return (head + stem)[:_MAX_INDICATOR]
    if not stem or _comparison_only(stem):
        if previous:
            if kind == "percent" and comparison in _GROWTH and not stem.endswith(("占比", "比重")):
                if not stem and _LEVEL_BEFORE.search(text, max(0, start - 16), start):
                    return previous  # 从2.1%提高到2.5%: the level reached, of the same measure (no rate)
                if "平均" in stem:  # 营收增长12.5%，两年平均增长11.4%: 营收两年平均增速
                    return previous + stem
                return previous + ("增速" if not stem or "增" in stem or "年均" in stem else stem)
            if stem.endswith(("占比", "比重")):
                return previous + stem
            return previous
        m = _OPT_OF_NOUN.match(text, end) if not _NOT_AFTER_NOUN.match(text, end) else None
        return stem or (m.group(1) if m else None)
    return stem


# a count of groups (类, 批) right before a count of the things in them: 12类55件民生实事, 3批15个项目
_GROUP_UNITS = frozenset(["类", "大类", "批"])
_NESTED_COUNT = re.compile(r"(?:\d+|[一二三四五六七八九十两百]+)[个件项家所条座名户处宗场台套]")


# a bare total that names no thing (总量达到1.8万家), and the verbs that may open the count before it
_AGGREGATE_WORDS = frozenset(["总量", "总数", "总计", "合计", "累计", "数量", "总规模", "总投资", "总金额", "总额"])
_OBJECT_VERB_LEAD = re.compile(r"^(?:新增|新建|新认定|认定|培育|引进|建成|累计|共有|拥有)")


# ================================================================================================= tables
_MEASURE_END = re.compile(r"(?:比重|占比|比例|总额|规模|额|量|率|值|数|增速|情况|指数|结构|分布)$")
_CAPTION_NO = re.compile(r"^\s*表\s*\d+(?:[-.－]\d+)?\s*")
_HAS_CJK = re.compile(r"[\u4e00-\u9fff]")
_UNIT_DECL = re.compile(r"[（(]?\s*单位\s*[：:]\s*(?P<unit>[^）)，,；;\s]+)\s*[）)]?")
_BRACKET_UNIT = re.compile(rf"[（(]\s*(?P<unit>%|％|(?:{_MAG_RE})?(?:{_UNIT_ALT}))\s*[）)]")
_NUMERIC_CELL = re.compile(rf"^\s*(?P<num>[-+]?{_AR})\s*(?P<unit>%|％|(?:{_MAG_RE})?(?:{_UNIT_ALT}))?\s*$")
_ROW_LABEL_WORDS = re.compile(r"^(?:年份|年度|时间|指标|项目|地区|名称|序号|类别|省份|城市|区域)")


def _header_columns(header_text: str, ncols: int) -> list[str] | None:
    """Split flattened header lines into ``ncols`` column labels (PDF tables lose the cell borders)."""
    pieces = [p for p in re.split(r"[（(]\s*单位\s*[：:][^）)]*[）)]", header_text) if p.strip()]
    if pieces:
        pieces[0] = _ROW_LABEL_WORDS.sub("", pieces[0].strip())
        pieces = [p for p in pieces if p.strip()]
    return pieces if len(pieces) == ncols else None


def _year_of(label: str) -> str | None:
    m = TIME_RE.search(label)
    if m and (m.group("year") or m.group("range")):
        return _time_mentions(label, [])[0][2]
    m = re.fullmatch(r"\s*((?:19|20)\d\d)\s*", label)
    return m.group(1) if m else None


def _years_row(row: Sequence[str]) -> bool:
    """A header row of years: two or more cells after the first, each a year (2019, 2019年, 2019年度)."""
    cells = [ascii_digits(c).strip() for c in row[1:] if c.strip()]
    return len(cells) >= 2 and all(YEAR_CELL.match(c) for c in cells)



def _read_cell(cell: str) -> str:
    """A table cell with full-width digits and points read as ASCII (a cell holds no list marker)."""
    out = ascii_digits(cell)
    return out.replace("．", ".") if "．" in out else out


def _column_comparison(label: str) -> str | None:
    """The comparison a column label names (同比 (%) -> 同比增长), or None."""
    if not label:
        return None
    if label.startswith("同比"):
        return "同比增长" if label in ("同比", "同比增长", "同比增速") else _comparison(label, "")
    return _comparison(label, "")


def facts_in_table(
    block: Block,
    *,
    doc: str = "",
    header_lines: Sequence[str] = (),
    doc_year: int | None = None,
    fallback_region: str | None = None,
) -> list[Fact]:
    """Numeric cells of a table block, with indicator and year from the row and column headers.

    ``header_lines`` are the caption and header lines the cleaner left as paragraphs just above the table.
    """
    rows = block.rows or [line.split("\t") for line in block.text.split("\n")]
    if not rows or is_toc_text(block.text):
        return []  # a table of contents: its numbers are page numbers
    # leading rows without numeric cells are the caption and the header row(s); so is a row of years
    # (指标 | 2019年 | 2020年 …: the columns of a table whose rows are indicators)
    n_lead = 0
    while n_lead < len(rows) and (
        not any(_NUMERIC_CELL.match(_read_cell(c)) for c in rows[n_lead][1:])
        or _years_row(rows[n_lead])
    ):
        n_lead += 1
    lead, body = rows[:n_lead], rows[n_lead:]
    if not body:
        return []
    own_lines = ["".join(r) for r in lead if len(r) == 1]
    header_row = next((r for r in reversed(lead) if len(r) > 1), None)
    external = "".join(header_lines)
    external_caption = next((h for h in header_lines if _CAPTION_NO.match(h)), "")
    if (
        header_row is not None or own_lines
    ):  # the table carries its own caption/header: ignore the paragraphs above
        header_lines = own_lines
    header_text = "".join(header_lines) + "".join(header_row or [])
    unit_m = _UNIT_DECL.search(header_text) or _UNIT_DECL.search(external)
    if unit_m is None:  # 表1 广州数字贸易占服务贸易比重（%）: the caption's bracketed unit
        unit_m = _BRACKET_UNIT.search("".join(header_lines)) or _BRACKET_UNIT.search(external_caption)
    default_unit = unit_m.group("unit") if unit_m else ""
    ncols = max((len(r) for r in body), default=0) - 1
    if ncols < 1 or (header_row is None and not header_lines and not default_unit):
        return []  # a list with page numbers (table of contents) or cells nobody labelled
    columns: list[str] | None = None
    if header_row is not None and len(header_row) >= ncols + 1:
        columns = header_row[-ncols:] if ncols > 0 else []
    elif header_lines:
        columns = _header_columns("".join(header_lines), ncols)
    caption = next(
        (h for h in header_lines if re.match(r"^表\s*\d", h)), header_lines[0] if header_lines else ""
    )
    # what the table measures, to qualify a short column label (进出口 -> 数字贸易占服务贸易比重（进出口）)
    subject = _clean_indicator(_CAPTION_NO.sub("", _UNIT_DECL.sub("", caption or external_caption)))
    caption_regions = find_regions(header_text)
    region = caption_regions[0].canonical if caption_regions else fallback_region
    section = " > ".join(block.section)
    out: list[Fact] = []
    line_offsets = []
    pos = 0
    for line in block.text.split("\n"):
        line_offsets.append(pos)
        pos += len(line) + 1
    lines = block.text.split("\n")
    for r_i, row in enumerate(body):
        if not row:
            continue
        label = row[0]
        row_year = _year_of(ascii_digits(label))
        row_unit_m = None if row_year else _BRACKET_UNIT.search(label)  # 数字经济核心产业增加值（亿元）
        line_no = min(r_i + n_lead, len(lines) - 1)
        line_text = lines[line_no] if len(lines) == len(rows) else "\t".join(row)
        cell_pos = 0
        text_cell = ""  # the last text cell left of a number (第1名 | 电信、计算机和信息服务 | 6.73 | -19.89)
        for c_i, cell in enumerate(row):
            found = line_text.find(cell, cell_pos) if cell else -1
            if found >= 0:
                cell_pos = found + len(cell)
            if c_i == 0:
                continue
            m = _NUMERIC_CELL.match(_read_cell(cell))  # same length: m's offsets hold in cell
            if not m:
                text_cell = cell.strip() if _HAS_CJK.search(cell) else text_cell
                continue
            col = columns[c_i - 1] if columns and c_i - 1 < len(columns) else ""
            if (
                _YEARLIKE.match(m.group("num"))
                and not _UNIT_DECL.search(col)
                and not (row_unit_m or YEAR_CELL.match(ascii_digits(col).strip()))
            ):
                continue  # a year cell, not a quantity (1865 under 2023年 in a row of 亿元 is a quantity)
            col_unit_m = _UNIT_DECL.search(col) or _BRACKET_UNIT.search(col)  # 金额（亿元）, 同比 (%)
            unit = m.group("unit") or (
                col_unit_m.group("unit") if col_unit_m else row_unit_m.group("unit") if row_unit_m else default_unit
            )
            col_clean = _BRACKET_UNIT.sub("", _UNIT_DECL.sub("", col)).strip()
            year = row_year or _year_of(col_clean) or _year_of(caption)
            if row_year:
                indicator_src = col_clean or caption
            else:
                indicator_src = label if _year_of(col_clean) else f"{label}{col_clean}"
            regs = find_regions(indicator_src)
            indicator = _clean_indicator(indicator_src) or None
            if row_year and text_cell:
                indicator = f"{text_cell}（{col_clean}）" if col_clean else text_cell
            elif row_year and subject and col_clean and len(col_clean) <= 4:
                # 数字贸易占服务贸易比重 + 出口 -> …（出口）; 跨境电商 + 出口总额 -> 跨境电商出口总额
                measured = _MEASURE_END.search(subject)
                indicator = f"{subject}（{col_clean}）" if measured else subject + (indicator or col_clean)
            cell_region = regs[0].canonical if regs else region
            mag, base = _split_unit(unit)
            kind, scaled_unit = UNIT_KINDS.get(base, ("other", base or None))
            value = float(m.group("num").replace(",", "").replace("，", ""))
            start = block.char_start + line_offsets[line_no] + max(found, 0)
            out.append(
                Fact(
                    doc=doc,
                    section=section,
                    paragraph=block.idx,
                    sentence=line_text,
                    char_start=start,
                    char_end=start + len(cell),
                    number=cell[m.start("num") : m.end("num")],  # as written
                    value=value,
                    value_max=None,
                    unit=unit,
                    kind=kind,
                    scaled_value=value * mag,
                    scaled_unit=scaled_unit,
                    approx=False,
                    year=year,
                    indicator=indicator,
                    region=cell_region,
                    comparison=_column_comparison(col_clean),
                    source="table",
                )
            )
    return out


# ================================================================================================= document
def _table_header_lines(blocks: Sequence[Block], table_idx: int, *, max_lines: int = 10) -> list[str]:
    """Caption and header paragraphs just above a table: back to the 表N caption, a heading or long prose."""
    lines: list[str] = []
    i = table_idx - 1
    while i >= 0 and len(lines) < max_lines:
        b = blocks[i]
        if b.kind != "prose" or len(b.text) > 60 or b.text.endswith("。"):
            break
        lines.insert(0, b.text)
        if re.match(r"^表\s*\d", b.text):
            break
        i -= 1
    return lines


def _heading_year(heading: str, doc_year: int | None) -> str | None:
    """The year a section heading states (一、2023年工作回顾 -> 2023; 今年工作 -> the document's year).

    Facts of the section that state no year of their own (nor their paragraph) refer to it. Time windows
    (近五年) and relative years that the document's year cannot resolve are not used.
    """
    if not _may_have_time(heading):
        return None
    times = _time_mentions(heading, _spans(_TITLE_SPAN, heading))
    if len({label for _, _, label, absolute in times if absolute}) > 1:
        return None  # “十三五”时期发展成就和“十四五”时期主要目标任务: which period a fact is of, the text says
    for _, _, label, absolute in reversed(times):
        if absolute:
            return label
        resolved = _resolve_relative(label, doc_year)
        if resolved != label:
            return resolved
    if doc_year is not None and _PAST_YEAR_HEADING.search(heading):
        return str(doc_year - 1)  # 一、过去一年工作回顾 in a 2025 report: the review of 2024
    return None


_NOTES_LINE = re.compile(r"\s*(?:附[:：]?)?(?:名词解释|名词注释|注释|附注|注解)[:：]?\s*")
# a section's lead paragraph that says which year it is about: 2024年是…, 今年是…, 一年来，… / 过去一年，…
# (not 2020年，广州市政府印发…: a dated event opens the paragraph, not the period the section reviews or plans)
_LEAD_YEAR = re.compile(
    rf"(?P<year>(?:19|20)\d\d|{_CN_YEAR})年是|(?P<this>今年)是|(?P<past>一年来|过去一年)(?:[，,]|里|中)"
)
_LEAD_PARAGRAPHS = 4  # prose paragraphs of a section, before its first subsection, read for its year


def _lead_years(blocks: Sequence[Block], doc_year: int | None) -> dict[tuple[str, ...], str]:
    """The year each section's lead text states, for sections whose headings state none (一、牢记殷殷嘱托… then
    "2024年是…" or "一年来，…"): the first of its first :data:`_LEAD_PARAGRAPHS` prose paragraphs that opens
    with a year (今年 / 一年来 against the document's year)."""
    out: dict[tuple[str, ...], str] = {}
    seen: dict[tuple[str, ...], int] = {}
    for block in blocks:
        sec = block.section
        if block.kind != "prose" or not sec or sec in out:
            continue
        n = seen[sec] = seen.get(sec, 0) + 1
        if n > _LEAD_PARAGRAPHS:
            continue
        m = _LEAD_YEAR.match(block.text)
        if m is None:
            continue
        if m.group("year"):
            year = year_in_digits(m.group("year"))  # 一九七八年是… -> 1978
            if year.isdigit():
                out[sec] = year
        elif doc_year is not None:
            out[sec] = str(doc_year if m.group("this") else doc_year - 1)
    return out


def _section_year(sec: tuple[str, ...], lead_years: dict[tuple[str, ...], str], doc_year: int | None) -> str | None:
    """The year facts of section ``sec`` refer to when they state none: the nearest heading's year, else the
    year the lead text of the nearest section states (see :func:`_lead_years`) when no heading names a time."""
    year = next((y for h in reversed(sec) if (y := _heading_year(h, doc_year))), None)
    if year or any("年" in h for h in sec):
        return year  # 一、过去一年和五年工作回顾: the heading speaks of its period (its lead may not)
    return next((lead_years[sec[:depth]] for depth in range(len(sec), 0, -1) if sec[:depth] in lead_years), None)


_PAST_YEAR_HEADING = re.compile(r"(?:过去一年|上一年|上年|去年)(?:的?主要)?工作(?:回顾|总结)")


_PARA, _TEXT = attrgetter("para"), attrgetter("text")


def _iter_blocks(document: Document) -> Iterator[Block]:
    yield from document.blocks


# a title issued for the whole country: its facts are the country's unless the text names another place
_NATIONAL_TITLE = re.compile(r"中华人民共和国|国务院|全国人民代表大会|全国人大|中共中央|党中央")


def extract_facts(
    document: Document, *, tokens: Iterable[Sequence[tuple[str, str]]] | None = None
) -> list[Fact]:
    """All numeric facts of a document, in text order: prose/heading sentences, then each table's cells.

    ``tokens`` (segmented words per paragraph) is accepted for pipeline symmetry; the extractor works on
    characters with precompiled patterns and does not need them (walking ~600K tokens in Python would cost
    more than the character patterns it could replace).
    """
    del tokens
    doc_year = document.meta.year if document.meta else None
    title = document.meta.title if document.meta and document.meta.title else ""
    title_regions = find_regions(title) if title else []
    doc_region = title_regions[0].canonical if title_regions else None
    if doc_region is None and _NATIONAL_TITLE.search(title):
        doc_region = "全国"  # 中华人民共和国国务院政府工作报告: the country's own text
    blocks = document.blocks
    sentences = document.sentences
    paras = list(map(_PARA, sentences))
    if paras != sorted(paras):  # sentences are in text order; be safe if not
        order = sorted(range(len(sentences)), key=paras.__getitem__)
        sentences = [sentences[i] for i in order]
        paras = [paras[i] for i in order]
    texts = list(map(_TEXT, sentences))
    written = texts  # the sentences as written (records keep them); texts: full-width digits read as ASCII
    joined = "".join(texts)
    if _has_fullwidth_digit(joined):  # any sentence holding one (one test for all)
        texts = list(map(ascii_digits, texts))
    elif "．" in joined:  # only a sentence holding a full-width point can change
        texts = [ascii_digits(t) if "．" in t else t for t in texts]
    labelled = _numbered_item_starts(blocks)
    if labelled:
        texts = list(texts)  # a copy: ``written`` keeps the labels
        for i, sentence in enumerate(sentences):
            width = labelled.get(sentence.char_start)
            if width:
                texts[i] = _ITEM_MASK * width + texts[i][width:]
    # one scan of all sentences (joined) serves every sentence: offs[i] is where sentence i starts in it
    ends = np.cumsum(np.fromiter(map(len, texts), dtype=np.int64, count=len(texts)))
    offs = [0, *ends[:-1].tolist()] if len(texts) else []
    scan = _Scan(joined if texts is written else "".join(texts))
    # the sentences (and so the paragraphs) where a fact may start: the others are read only for their context
    with_fact = set(np.searchsorted(ends, scan.fact, side="right").tolist())
    fact_paras = {paras[i] for i in with_fact}
    out: list[Fact] = []
    section_region: dict[tuple[str, ...], str | None] = {}
    section_year: dict[tuple[str, ...], str | None] = {}
    lead_years = _lead_years(blocks, doc_year)
    in_notes = False  # after a 名词解释 line: glossary notes, which take no year from the section they follow
    for block in blocks:
        if block.kind != "table" and not in_notes and len(block.text) < 8 and _NOTES_LINE.fullmatch(block.text):
            in_notes = True
            section_year = {}
            continue
        if block.kind == "table":
            header = _table_header_lines(blocks, block.idx) if blocks[block.idx] is block else []
            out.extend(
                facts_in_table(
                    block,
                    doc=document.doc,
                    header_lines=header,
                    doc_year=doc_year,
                    fallback_region=doc_region,
                )
            )
            continue
        if block.idx not in fact_paras:
            continue  # no quantity in the paragraph: nothing to extract, no context to keep
        sec = block.section
        if sec not in section_region:
            regs = [r for h in reversed(sec) for r in find_regions(h)]
            section_region[sec] = regs[0].canonical if regs else doc_region
        if sec not in section_year:
            section_year[sec] = None if in_notes else _section_year(sec, lead_years, doc_year)
        ctx = _Context(default_year=section_year[sec])
        section = " > ".join(sec)
        for i in range(bisect_left(paras, block.idx), bisect_right(paras, block.idx)):
            text = texts[i]
            if i not in with_fact:
                ctx.queue(text, (scan, offs[i]))  # read for year/region only if a later fact needs them
                continue
            found = _facts_in_sentence(
                text,
                (scan, offs[i]),
                doc=document.doc,
                section=section,
                paragraph=block.idx,
                offset=sentences[i].char_start,
                doc_year=doc_year,
                context=ctx,
                fallback_region=section_region[sec],
            )
            if written[i] is not text:
                _as_written(found, text, written[i], sentences[i].char_start)
            out.extend(found)
    return out


# the label of a numbered item that runs straight into a number: 8.6个重大科技专项 (item 8: 6个…), 14.2025年…
_ITEM_LABEL = re.compile(r"(\d{1,2})[.．]")
_ITEM_MASK = "\u3000"  # what a masked label reads as: a space, which no pattern takes as part of a number


def _numbered_item_starts(blocks: Sequence[Block]) -> dict[int, int]:
    """{char_start: label width} of the paragraphs whose number label runs into a number (8.6个…, 14.2025年…).

    Such a label is told from a decimal by its neighbours: the paragraph before is item n-1 or the one after is
    item n+1 (7.“两新”：… / 8.6个重大科技专项：… / 9.…), as in the numbered notes (名词解释) of a report."""
    numbers: list[tuple[int, Block, re.Match[str]]] = []
    for block in blocks:
        if block.kind == "table":
            continue
        m = _ITEM_LABEL.match(block.text)
        numbers.append((int(m.group(1)) if m else -1, block, m))  # type: ignore[arg-type]
    out: dict[int, int] = {}
    for k, (n, block, m) in enumerate(numbers):
        if m is None or not block.text[m.end() : m.end() + 1].isdigit():
            continue
        before = numbers[k - 1][0] if k else -1
        after = numbers[k + 1][0] if k + 1 < len(numbers) else -1
        if before == n - 1 or after == n + 1:
            out[block.char_start] = m.end()
    return out


_FULLWIDTH_DIGIT = re.compile("[０-９]")
_FULLWIDTH_DIGITS = "０１２３４５６７８９"


def _has_fullwidth_digit(text: str) -> bool:
    """Whether ``text`` holds a full-width digit (ten substring tests: faster than a regex scan of a document)."""
    return any(d in text for d in _FULLWIDTH_DIGITS)


_TO_ASCII_DIGITS = str.maketrans("０１２３４５６７８９", "0123456789")
_LIST_MARKER_AFTER = frozenset("\n（(。；;：:！？!?")
_FULLWIDTH_POINT = re.compile(r"(?<=\d)．(?=\d)")


def ascii_digits(text: str) -> str:
    """``text`` with full-width digits read as ASCII and a full-width point between digits as a decimal point
    (１１．１％ -> 11.1％, ２２４３．６亿元 -> 2243.6亿元), same length, so offsets hold. A point after digits that
    open the text or a sentence, or follow a line break or bracket, is a list marker (３．10种…) and stays."""
    if not _FULLWIDTH_DIGIT.search(text) and "．" not in text:
        return text
    out = text.translate(_TO_ASCII_DIGITS)

    def point(m: re.Match[str]) -> str:
        j = m.start()
        while j > 0 and out[j - 1].isdigit():
            j -= 1
        return m.group() if j == 0 or out[j - 1] in _LIST_MARKER_AFTER else "."

    return _FULLWIDTH_POINT.sub(point, out) if "．" in out else out


def _as_written(facts: list[Fact], read: str, written: str, offset: int) -> None:
    """Give facts found in ``read`` (:func:`ascii_digits` of ``written``) the sentence and number as written."""
    for f in facts:
        f.sentence = written
        a, b = f.char_start - offset, f.char_end - offset
        i = read.find(f.number, a, b)
        if i >= 0:
            f.number = written[i : i + len(f.number)]


# ================================================================================================= spaCy
def facts_component(doc):  # type: ignore[no-untyped-def]
    """spaCy component: ``doc.spans["facts"]`` gets one Span per fact in the Doc (one paragraph).

    Spans are snapped to tokens (``alignment_mode="expand"``: jieba rarely cuts at 3.5|亿元), ``label_`` is the
    kind and ``span._.fact`` the :class:`Fact` record (offsets relative to the Doc text).
    """
    spans = []
    for fact in facts_in_text(doc.text):
        span = doc.char_span(fact.char_start, fact.char_end, label=fact.kind, alignment_mode="expand")
        if span is not None:
            span._.fact = fact
            spans.append(span)
    doc.spans["facts"] = spans
    return doc


register_span_component("zh_facts", facts_component, extension="fact")
