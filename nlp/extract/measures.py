"""Named policy measures: zones, bases, pilots, programmes, mechanisms, platforms and funds a text names.

A measure is recognised from its head (…试验区/示范区/基地/试点/工程/计划/机制/制度/清单/平台/中心/基金…) found by
regex in the paragraph text, extended to the left over the jieba tokens of the name (nouns and the few verbs that
occur inside names, e.g. 创新/示范/联动), stopping at governing verbs (建设, 打造, 成立…), function words and
punctuation; plus a seed gazetteer (``data/measures_seed.txt``) for well-known names and abbreviations.
Inside a name the walk also takes a two-character verb after a noun (全球溯源中心), 与/及 joining two domains
(数据流通与治理沙盒试验区) and a bracketed qualifier after a place (广州（国际）…基地); bodies (…领导小组, …联席会议)
run back to the verb that sets them up. Named policy packages (“5G产业化10条”, 落实人才振兴60条, …扶持政策2.0,
“8+1”系列政策措施) are found from their number. Names that only say the thing innovates or serves (创新示范区,
信息共享平台) and development areas named by their place (广州开发区, 天河高新区) are not measures.
Variants merge under one canonical (跨境电商综合试验区 = 跨境电子商务综合试验区 = 综试区; 自贸区 = 自由贸易试验区;
上海自贸试验区 = 中国（上海）自由贸易试验区). Mentions inside 《titles》 belong to rules and are skipped.

Public API: ``extract_measures(document, tokens=None)``, ``iter_measure_mentions(document, tokens=None)``,
``find_measure_mentions(text, tokens=None)`` and the spaCy component ``"zh_measures"`` (``doc.spans["measures"]``).
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import accumulate
from operator import add, attrgetter, itemgetter
from pathlib import Path

from nlp.document import Document
from nlp.extract.packages import package_matches
from nlp.extract.rules import PROVINCES, TITLE_RE, Locator, Mask, flat
from nlp.extract.scan import StartScanner, iter_matches_at
from nlp.extract.spans import Provenance, register_span_component

__all__ = [
    "Measure",
    "MeasureMention",
    "canonical_measure",
    "extract_measures",
    "find_measure_mentions",
    "iter_measure_mentions",
    "measure_kind",
    "measures_component",
]

DATA_DIR = Path(__file__).resolve().parent / "data"
Tokens = list[tuple[str, str]]


def _affixes(words: tuple[str, ...]) -> tuple[frozenset[str], tuple[int, ...]]:
    """``words`` as a set with their lengths, for ``_has_prefix``/``_has_suffix``: a few slices and set look-ups
    instead of ``str.startswith(words)``, which compares every one of ~100 words in turn."""
    return frozenset(words), tuple(sorted({len(w) for w in words}))


def _has_prefix(w: str, affixes: tuple[frozenset[str], tuple[int, ...]]) -> bool:
    """``w.startswith(words)`` (a prefix of ``w`` of one of the lengths is one of the words)."""
    words, lengths = affixes
    for n in lengths:
        if w[:n] in words:
            return True
    return False


def _has_suffix(w: str, affixes: tuple[frozenset[str], tuple[int, ...]]) -> bool:
    """``w.endswith(words)`` (a suffix of ``w`` of one of the lengths is one of the words)."""
    words, lengths = affixes
    for n in lengths:
        if w[-n:] in words:
            return True
    return False



@dataclass(slots=True)
class Measure(Provenance):
    """One distinct named measure in a document (first mention's provenance, all mentions counted)."""

    surface: str
    canonical: str
    kind: str
    mentions: int


@dataclass(slots=True)
class MeasureMention(Provenance):
    """One mention of a measure with provenance."""

    surface: str
    canonical: str
    kind: str


@dataclass(slots=True)
class _Cand:
    start: int
    end: int
    surface: str
    canonical: str
    kind: str


# head -> kind; the regex tries longer heads first.
HEADS: dict[str, str] = {
    "综合保税区": "zone",
    "自由贸易试验区": "zone",
    "自贸试验区": "zone",
    "自由贸易港": "zone",
    "自贸港": "zone",
    "自贸区": "zone",
    "综合试验区": "zone",
    "试验区": "zone",
    "示范区": "zone",
    "先行区": "zone",
    "先导区": "zone",
    "集聚区": "zone",
    "创新区": "zone",
    "合作区": "zone",
    "功能区": "zone",
    "开发区": "zone",
    "高新区": "zone",
    "保税区": "zone",
    "示范基地": "base",
    "示范园区": "base",  # a designation (文化产业示范园区, 服务外包示范园区), unlike a park's own name
    "基地": "base",
    "试点": "pilot",
    "示范城市": "pilot",
    "工程": "program",
    "行动计划": "program",
    "计划": "program",
    "专项行动": "program",
    "行动": "program",
    "机制": "mechanism",
    "制度": "mechanism",
    "清单": "mechanism",
    "目录": "mechanism",
    "名录": "mechanism",
    "绿色通道": "mechanism",
    "单一窗口": "mechanism",
    "互认": "mechanism",
    "平台": "platform",
    "交换中心": "platform",
    "中心": "platform",
    "信息港": "platform",
    "专用通道": "platform",
    "系统": "platform",
    "体系": "program",
    "基金": "fund",
    "专项资金": "fund",
    "专项": "program",
    "丝绸之路": "program",  # named Silk Road initiatives: 数字丝绸之路, 中阿网上丝绸之路, 空中丝绸之路
    # organisational mechanisms: 全面深化服务贸易创新发展领导小组, 部际联席会议
    "领导小组": "mechanism",
    "联席会议": "mechanism",
    # national network nodes and the data exchanges set up as policy: 工业互联网标识解析国家顶级节点,
    # 算力网络国家枢纽节点, 广东数据交易所
    "国家顶级节点": "platform",
    "国家枢纽节点": "platform",
    "数据交易所": "platform",
    # named reforms (政务服务增值化改革, 强村富民乡村集成改革) and, when their name is quoted, the slogans a province
    # governs by (“最多跑一次”改革, “415X”先进制造业集群, “四港”联动, “15分钟品质文化生活圈”): see QUOTED_ONLY_HEADS
    "集成改革": "program",
    "增值化改革": "program",
    "改革": "program",
    "集群": "program",
    "联动": "mechanism",
    "生活圈": "program",
    "模式": "mechanism",  # only quoted: 科技成果“先用后转”模式, “管委会+公司”模式 (not 房地产发展新模式)
    # a quoted nickname of a programme or a policy package: “两重”项目, “两新”政策, “苏新消费”系列活动
    "项目": "program",
    "政策": "program",
    "活动": "program",
}
# Heads of plan documents: a X行动计划 is a rule (a plan, nlp.extract.rules), not a programme
DOCUMENT_HEADS = frozenset({"行动计划"})
# Heads that name a measure with no modifier: a leading verb may be trimmed off down to the head alone
STANDALONE_HEADS = frozenset({"综合保税区", "自由贸易试验区", "自贸试验区", "自由贸易港", "自贸港", "自贸区", "单一窗口"})
# Heads that are a measure only with a quoted name (“最多跑一次”改革 and not 国资国企改革 or 产业集群)
QUOTED_ONLY_HEADS = frozenset({"改革", "集群", "联动", "生活圈", "模式", "项目", "政策", "活动"})
# ... and of those, the heads that follow their quote closely (a closing quote at most this far before the head:
# “两重”项目, “33条”增量政策, “苏新消费”系列活动; not 共建“一带一路”重大合作项目)
QUOTE_NEAR_HEADS = frozenset({"项目", "政策", "活动"})
QUOTE_NEAR_GAP = 2
QUOTED_ONLY_REACH = 24  # how far before such a head a quote of its name may stand
# words before a quoted …模式 that describe a way of doing things rather than name a practice
DESCRIBED_BEFORE_RE = re.compile(r"(?:属|是|为|形成|拓展|培育出|称为|称作)$")
_QUOTE_CHARS = frozenset("“”")
HEAD_RE = re.compile("|".join(sorted(HEADS, key=len, reverse=True)))
ZONE_HEAD_END = tuple(h for h, k in HEADS.items() if k == "zone")
_ZONE_HEAD_END = _affixes(ZONE_HEAD_END)
# Heads that are common nouns in running text: the name in front of them must be long and specific.
GENERIC_HEADS = {
    "机制": 4,
    "制度": 4,
    "清单": 4,
    "目录": 4,
    "名录": 4,
    "平台": 4,
    "中心": 4,
    "系统": 5,
    "体系": 6,
    "行动": 4,
    "计划": 4,
    "专项": 4,
    "工程": 2,
    "互认": 6,
    "试点": 4,
    "基地": 4,
    "丝绸之路": 2,
    "领导小组": 4,
    "联席会议": 4,
}
# Heads of bodies whose names hold verbs and run back to the verb that sets them up or to 的 (成立海珠区信息基础设施
# 建设工作领导小组, …牵头的全面深化服务贸易创新发展领导小组): the left walk goes on over Chinese characters up to
# BODY_NAME_MAX characters before the head.
BODY_HEADS = frozenset({"领导小组", "联席会议"})
BODY_NAME_MAX = 24
BODY_STOP_CHARS = frozenset("的由经向对在或被即为是将")  # (和 stays: 就业促进和劳动保护工作领导小组)
# words of a body's name that hold one of those characters: 自由贸易试验区, 经济, 对外开放
BODY_WORDS = frozenset({"自由", "经济", "经贸", "经营", "对外", "对口", "为民"})
BODY_STOP_VERBS = frozenset(
    {*("成立", "设立", "组建", "建立", "依托", "牵头", "对接", "召开", "发挥", "通过", "健全", "完善"), "调整", "充分",
     # a verb governing the body (落实中央教育工作领导小组各项要求, 定期报告联席会议): not in its name
     *("落实", "贯彻", "服从", "按照", "根据", "执行", "配合", "参加", "参与", "报请", "报告", "报送", "提交", "提请")}
)
NEED_SETUP = {"机制", "制度", "体系", "平台", "中心", "系统", "目录", "名录", "清单", "互认", "行动"}
# Lists and catalogues are named by what they list: revising or completing one (完善重要数据目录, 修订外商投资产业
# 目录) names it as much as setting it up does, given a specific object of four or more characters.
CATALOGUE_HEADS = {"目录", "名录", "清单"}
CAMPAIGN_HEADS = frozenset({"行动"})  # launched by 开展 (开展基础教育扩优提质行动), unlike a system or a list
CATALOGUE_MIN = 4
AMEND_VERB_RE = re.compile(r"(?:完善|健全|优化|修订|编制|制定|细化|调整|更新|公布|出台)$")
# 互认 (mutual recognition) is a measure when it names what is recognised: 数据保护可信认证互认, 电子签名证书互认,
# 检查检验结果互认; not 国际互认, 区域互认.
RECOGNISED_OBJECT_RE = re.compile(r"(?:认证|证书|资格|资质|结果|标签|许可|证照|标准)$")
MIN_MODIFIER = 2
QUOTED_MIN = 3
REPEATED_HEAD_GAP = 3
# The government functions that name a system (the system is set up to serve them): …直报系统, …报关服务系统.
FUNCTION_SYSTEM_RE = re.compile(
    r"(?:直报|报关|通关|溯源|追溯|申报|备案|审批|登记|征信)(?:服务|信息|管理|辅助|应用)*$"
)
MAX_MODIFIER = 16
# Verbs that occur inside names; any other verb ends the name.
NAME_VERBS = {
    "创新",
    "示范",
    "联动",
    "集聚",
    "发展",
    "合作",
    "开放",
    "出口",
    "进口",
    "服务",
    "交易",
    "流动",
    "评估",
    "认证",
    "保护",
    "管理",
    "监管",
    "孵化",
    "试验",
    "转型",
    "融合",
    "协同",
    "共享",
    "采购",
    "支付",
    "结算",
    "投资",
    "研发",
    "可信",
    "便利化",
    "引导",
    "扶持",
    "振兴",
    "创业",
    "就业",
    "培训",
    "交换",
    "互联",
    "通关",
    "备案",
    "分拨",
    "登记",
    "监测",
    "出境",
    "入境",
    "跨境",
    "互认",
    "协作",
    "应用",
    "领航",
    "启航",
    "保障",
    "改革",
    "扩大",
    "贸易",
    "通用",
    "审查",
}
STOP_TAGS = {
    "x",
    "p",
    "c",
    "u",
    "uj",
    "ul",
    "uz",
    "ud",
    "ug",
    "uv",
    "r",
    "d",
    "m",
    "q",
    "mq",
    "y",
    "e",
    "o",
    "w",
    "zg",
    "f",
    "t",
    "tg",
    "ad",  # 坚决 杜绝…, 积极 融入…: adverbs of the governing verb
    "vd",
}
# One-character tokens rarely start a name; these place abbreviations do.
ONE_CHAR_OK = set("全大跨区粤港澳穗深京津沪渝冀苏浙闽琼湘鄂川滇黔桂陕甘宁青新藏蒙辽吉黑皖赣鲁豫晋中欧美亚非")
# Generic heads are accepted only right after a verb that sets the thing up, in quotes, or with a long name.
SETUP_VERB_RE = re.compile(
    r"(?:建立|建设|打造|设立|成立|构建|搭建|推出|实施|建成|推行|实行|发布|扩容|启动|创建|设置|组建|开通|上线|"
    r"出台|批复|获批|落地|推广|用好|依托|运营|升级|入选|认定|布局|纳入|加入|申建|试行)"
    r"(?:[\u4e00-\u9fff]{0,8}(?:区|港|省|市|县)|一批|一个|首个|多个)?$"
)
LONG_NAME = 9
STOP_WORDS = {
    "方面",  # 收费等方面先行试点
    "知名",  # 收购美国知名移动原生广告平台: a company's reputation
    "建设",
    "打造",
    "建立",
    "推进",
    "推动",
    "设立",
    "开展",
    "完善",
    "发布",
    "实施",
    "支持",
    "扩容",
    "加快",
    "探索",
    "成立",
    "培育",
    "做强",
    "做优",
    "创建",
    "申报",
    "获批",
    "批准",
    "布局",
    "参与",
    "加入",
    "构建",
    "形成",
    "健全",
    "优化",
    "深化",
    "提升",
    "强化",
    "加强",
    "依托",
    "利用",
    "通过",
    "围绕",
    "用好",
    "办好",
    "建好",
    "落实",
    "启动",
    "设置",
    "组建",
    "搭建",
    "建成",
    "入选",
    "纳入",
    "升级",
    "促进",
    "鼓励",
    "引导",
    "着力",
    "积极",
    "主动",
    "进一步",
    "不断",
    "全面",
    "作为",
    "成为",
    "包括",
    "以及",
    "其中",
    "之一",
    "目前",
    "已",
    "相关",
    "有关",
    "各类",
    "各地",
    "各",
    "新型",
    "一批",
    "一系列",
    "多个",
    "重点",
    "主要",
    "现有",
    "我国",
    "全国性",
    "首批",
    "首个",
    "首家",
    "该",
    "本",
    "各项",
    "有效",
    "唯一",  # 全省唯一国家级制造业创新中心
    "力争",
    "上线",
    "全部",
    # verbs that jieba tags as nouns, names or idioms (荣获 nr, 超额完成 l, 委托 n, 面向 n)
    "完成",
    "超额完成",
    "如期完成",
    "荣获",
    "获得",
    "执行",
    "严格执行",
    "杜绝",
    "委托",
    "面向",
    "坚决",
    "严格",
    "防止",
    "出现",
    "and",  # PDF text keeps English words between names: 重点行业 and 大型企业云计算数据中心
    "or",
}
LONG_STOP_WORDS = tuple(w for w in STOP_WORDS if len(w) > 1)
LEADING_VERBS = (*LONG_STOP_WORDS, "充分", "新建")
_LEADING_VERBS = _affixes(LEADING_VERBS)
TRIM_LEADING = {
    "综合运用",  # 综合运用综合保税区政策: a verb phrase jieba tags vn vn
    "充分运用",
    # verbs that may sit inside a name (服务业扩大开放综合试点) but, leading it, act on it (扩大人民币跨境支付系统…)
    "扩大",
    "引导",
    "扶持",
    "国内",
    "境内",
    "重要",
    "良好",
    "便利",
    "健康",
    "高效",
    "统一",
    "完整",
    "总体",
    # time words inside a name (国家现代煤化工示范区) that only describe it at its front (现代服务业集聚区)
    "现代",
    "当代",
    # an adverb and a set-up verb that jieba's dictionary glues into one word (大力开展/nt 科技领军企业培育行动)
    "大力开展",
    "大力实施",
    "深入开展",
    "深入实施",
    "全面开展",
    "全面实施",
    "大力发展",  # nz
    "大力推广",  # nz
    "大力加强",  # nr
    "大力支持",  # nr
    "全面推行",  # n
}
GENERIC_NAMES = {
    # construction works in general, not a programme
    "建设工程",
    "建筑工程",
    "所有工程",
    # a programme verb and its head with nothing that names the programme
    "修复工程",
    "扩容工程",
    "改造工程",
    "提质工程",
    "提升工程",
    "提升行动",
    "培育行动",
    "培育计划",
    "一期工程",
    "二期工程",
    "三期工程",
    # pejoratives for what a government should not build
    "面子工程",
    "形象工程",
    "政绩工程",
    "豆腐渣工程",
    "数据中心",
    "大数据中心",
    "云计算中心",
    "计算中心",
    "算力中心",
    "研发中心",
    "运营中心",
    "物流中心",
    "创新中心",
    "体制机制",
    "长效机制",
    "工作机制",
    "协调机制",
    "合作机制",
    "管理机制",
    "激励机制",
    "保障机制",
    "运行机制",
    "管理制度",
    "基本制度",
    "相关制度",
    "规章制度",
    "监管制度",
    "管理体系",
    "服务体系",
    "监管体系",
    "规则体系",
    "政策体系",
    "治理体系",
    "标准体系",
    "产业体系",
    "支撑体系",
    "服务平台",
    "应用平台",
    "交易平台",
    "电商平台",
    "电子商务平台",
    "跨境电商平台",
    "跨境电子商务平台",
    "互联网平台",
    "平台",
    "重点工程",
    "重大工程",
    "系统工程",
    "行动计划",
    "工作计划",
    "国际合作机制",
    "数据基础制度",
    "监测评估系统",
    "安全监测评估系统",
    "支付系统",
    "数字支付系统",
    "操作系统",
    "信息系统",
    "生态系统",
    "系统",
    "中心",
    "多边合作机制",
    "国际规则",
    "网络基础设施",
    # categories that a level word (国家级, 省级, 重大 …) in front does not make a name: 重大水利工程, 重大创新平台
    # (zone designations stay measures, like the seed gazetteer's 国家级新区: 国家级经济技术开发区, 省级高新区)
    "创新平台",
    "开放平台",
    "公共服务平台",
    "水利工程",
    "劣质工程",
    "半拉子工程",
    "投资计划",
    "年度计划",
    "产业基地",
    "示范基地",
    "试点",
    # kinds of fund, not funds: 社保基金, 政府股权基金, 地方政府产业投资基金
    "基金",
    "产业基金",
    "投资基金",
    "股权基金",
    "种子基金",
    "专项基金",
    "引导基金",
    "产业投资基金",
    "风险投资基金",
    "创业投资基金",
    "政府股权基金",
    "政府引导基金",
    "政府投资基金",
    "社保基金",
    "医保基金",
    "养老基金",
    # the historical routes, not an initiative (21世纪海上丝绸之路 is one, in the seed gazetteer)
    "海上丝绸之路",
    "陆上丝绸之路",
    "古丝绸之路",
    "新丝绸之路",
}
# A fund is named by what it is for or whose it is (粮食风险基金, 中以生物产业基金, 国家自然科学基金, 海河产业基金),
# not by its kind (产业基金, 政府引导基金, 消费基金, 失业保险基金). The kind words are stripped from the end of the
# name, the level words from its front; what remains (the qualifier) must say something and not be an accounting or
# insurance category. 全国/国家/中央 in front name the national fund of that kind (全国社会保障基金).
FUND_KIND_RE = re.compile(
    r"(?:产业|投资|发展|引导|风险|创业|股权|专项|调节|合作|保障|补偿|担保|种子|天使|并购|创投|科创|综合|建设|母|"
    r"信托|基础)+$"
)
FUND_NATIONAL_RE = re.compile(r"^(?:全国|国家|中央)")
FUND_NOT_NAMED_RE = re.compile(
    r"保险|医保|社保|社会|消费|工资|折旧|积累|福利|信贷|私募|公募|政府|企业|个人|部分|其他|各项|经营性|市场化|行业|"
    r"国资|生产|职工|居民|信托|资本|证券|货币|备案|扩大|提高|适度|力争|专用|财政|预算外|主权|财富"
)
FUND_QUALIFIER_MIN = 2
FUND_BARE_MIN = 4  # a qualifier without a kind word must be longer: 自然科学基金, not 工资基金


# Level and scope words that qualify a category without naming one (stripped before the GENERIC_NAMES check).
LEVEL_PREFIX_RE = re.compile(
    r"^(?:国家级|省级|市级|县级|区级|国家|全国|全省|全市|省|市|区域性|新一轮|年度|重大|重点|一批|特色|战略性|地方政府|地方|政府)+"
)
# Centres that name a city's role (国际交往中心, 数字贸易中心, 华南地区科技教育文化中心) or a kind of facility
# (数据中心, 算力中心, 信息中心), not a policy measure.
NOT_A_MEASURE_CENTRE_RE = re.compile(  # (a public one is set up as policy: 人工智能公共算力中心)
    r"(?<!公共)(?:交往|金融|贸易|航运|消费|商贸|科创|文化|教育|物流|经济|交通|数据|算力|计算|超算|信息)中心$"
)
# A construction phase or part (二期工程, 主体工程, 扩建工程) is a works, not a measure.
WORKS_RE = re.compile(r"(?:[一二三四五六七八九十\d]期|主体|扩建|改扩建|配套)工程$")
# 体系 (a system of …) names a goal in running text; it is a measure only when quoted or a national programme with
# a long name (全国一体化大数据中心协同创新体系).
SYSTEM_SCOPE = ("全国", "国家")
SYSTEM_MIN = 6
CENTRE_MIN = 5
# A four-character centre name is a measure when it opens with its scope (建设全球溯源中心, 国家医学中心), not a kind
# of facility (打造物流分拨中心).
SCOPED_CENTRE_RE = re.compile(r"(?:全球|国际|国家|全国)[\u4e00-\u9fff]{2}$")
CANON_REPLACE = (
    ("跨境电商", "跨境电子商务"),
    ("自贸试验区", "自由贸易试验区"),
    ("自贸区", "自由贸易试验区"),
    ("自贸港", "自由贸易港"),
    ("综试区", "综合试验区"),
    ("高新区", "高新技术产业开发区"),
    ("经开区", "经济技术开发区"),
)
NATIONAL_PREFIXES = ("国家级", "国家", "全国", "新时代")  # 新时代数字丝绸之路 = 数字丝绸之路
# Precompiled patterns of the per-head checks (the re module's cache lookup costs more than the match).
TRAIL_BRACKET_RE = re.compile(r"[（(][^（）()]*[)）]$")
NAME_TOKEN_RE = re.compile(r"^[\u4e00-\u9fffA-Za-z0-9+]+$")
ACRONYM_BRACKET_RE = re.compile(r"[（(]([A-Z][A-Za-z0-9\-]{1,11})[）)]")
TRAIL_ACRONYM_RE = re.compile(r"（[A-Z][A-Za-z0-9\-]{1,11}）$")
BRACKET_SYNONYM_RE = re.compile(r"[（(]([\u4e00-\u9fff]{2,8})[）)]")
# (a digit is a count or a company's name, except a national programme's number: 国家863软件专业孵化器基地)
NOT_A_MEASURE_MODIFIER_RE = re.compile(r"(?<!国家)(?<!国家\d)(?<!国家\d\d)\d|公司|集团|大学|学院|研究院|医院|协会|[省市县]政府")
HEADS_LONGEST_FIRST = tuple(sorted(HEADS, key=len, reverse=True))
_PROGRAMME_LIKE_HEADS = tuple(
    h for h in HEADS_LONGEST_FIRST if HEADS[h] in {"program", "zone", "pilot", "base"} and h not in QUOTED_ONLY_HEADS
)
_HEAD_LENGTHS = tuple(sorted({len(h) for h in HEADS}, reverse=True))
PLACE_FTZ_RE = re.compile(r"^(?:中国)?[（(]?(" + "|".join(PROVINCES) + r")[）)]?(?:省|市)?自由贸易试验区$")


@dataclass(slots=True)
class _Gazetteer:
    by_variant: dict[str, tuple[str, str]]  # surface -> (canonical, kind)
    regex: re.Pattern[str] | None
    canonical: dict[str, tuple[str, str]] = field(default_factory=dict)  # canonical_measure's answers, by surface


@lru_cache(maxsize=4)
def load_gazetteer(path: str | None = None) -> _Gazetteer:
    """Load the seed gazetteer: ``canonical<TAB>kind<TAB>variant|variant`` per line, ``#`` comments."""
    p = Path(path) if path else DATA_DIR / "measures_seed.txt"
    by_variant: dict[str, tuple[str, str]] = {}
    for line in p.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        parts = line.split("\t")
        canonical, kind = parts[0].strip(), parts[1].strip()
        variants = [v.strip() for v in parts[2].split("|")] if len(parts) > 2 else []
        for v in [canonical, *variants]:
            if v:
                by_variant[v] = (canonical, kind)
    names = sorted(by_variant, key=len, reverse=True)
    rx = re.compile("|".join(re.escape(n) for n in names)) if names else None
    return _Gazetteer(by_variant, rx)


def measure_kind(name: str) -> str:
    """Kind of a measure from the head its name ends with (``other`` when no head is known)."""
    core = _flat(name).strip("“”\"'")
    if core.endswith(_BRACKET_CLOSE):
        core = TRAIL_BRACKET_RE.sub("", core)
    n = len(core)
    for length in _HEAD_LENGTHS:  # the longest head the name ends with (no two heads of one length both do)
        if length <= n:
            kind = HEADS.get(core[-length:])
            if kind is not None:
                return kind
    return "other"


def canonical_measure(surface: str, *, gazetteer: _Gazetteer | None = None) -> tuple[str, str]:
    """(canonical name, kind) of a measure surface: gazetteer first, then abbreviation expansion.

    Cached per gazetteer: a corpus names the same measures again and again."""
    gaz = gazetteer or load_gazetteer()
    hit = gaz.canonical.get(surface)
    if hit is None:
        if len(gaz.canonical) >= 100_000:
            gaz.canonical.clear()
        hit = gaz.canonical[surface] = _canonical_measure(surface, gaz)
    return hit


def _canonical_measure(surface: str, gaz: _Gazetteer) -> tuple[str, str]:
    s = _flat(surface)
    hit = gaz.by_variant.get(s)
    if hit:
        return hit
    s = s.replace("“", "").replace("”", "").replace('"', "")
    hit = gaz.by_variant.get(s)
    if hit:
        return hit
    for a, b in CANON_REPLACE:
        if a in s and b not in s:
            s = s.replace(a, b)
    m = PLACE_FTZ_RE.match(s) if s.endswith("自由贸易试验区") else None
    if m:
        s = f"中国（{m.group(1)}）自由贸易试验区"
    s = s.replace("(", "（").replace(")", "）")
    hit = gaz.by_variant.get(s)
    if hit:
        return hit
    for prefix in NATIONAL_PREFIXES:  # 国家自贸区, 国家跨境电商综合试验区: the known name (unless it is 国家… itself)
        if s.startswith(prefix):
            hit = gaz.by_variant.get(s[len(prefix) :])
            if hit and not hit[0].startswith(prefix):
                return hit
            break
    return s, measure_kind(s)


NEXT_BLOCK = re.compile(r"经济|企业|公司|组织|化|型|性|论|人员|资格|单位|域|实验室|咨询|体系")  # 基金组织, 试验区域, 制度体系
# Per head, words after it that make the head a modifier of a longer noun: 国家工程实验室/研究中心, 工程结构物,
# 专项债/专项整治/专项培训/专项政策 (a named 专项 ends the noun phrase), 基金会, 体系研究.
HEAD_FOLLOWERS: dict[str, re.Pattern[str]] = {
    # (工程设计/施工/勘察/监理/审批: engineering work, not a programme)
    "工程": re.compile(r"研究|技术|实验|咨询|院|师|造价|结构|领域|承包|设计|施工|勘察|监理|审批|质量|招标"),
    "计划": re.compile(r"生育|单列"),
    "专项": re.compile(r"[\u4e00-\u9fff](?<![和及与等])"),
    "基金": re.compile(r"会|制|组织|委"),
    # 试点工作考核指标体系: an assessment, not a pilot; 试点运营: an adverb
    "试点": re.compile(r"工作(?:考核|评估|评价|指标)|运营|运行"),
    "体系": re.compile(r"研究|建设|绩效"),
    "制度": re.compile(r"基础|环境"),  # 可预期制度环境
    "系统": re.compile(r"治理|工程"),  # 一体化系统治理: system-wide governance
    "行动": re.compile(r"方案"),
    "中心": re.compile(r"城市|城区"),  # 全球研发中心城市: a city's role  # 行动方案 is a document (rules), not the programme
}


# Per head, NEXT_BLOCK and its HEAD_FOLLOWERS as one pattern (either matching after the head: a modifier).
_MODIFIER_AFTER: dict[str, re.Pattern[str]] = {
    head: re.compile(f"(?:{NEXT_BLOCK.pattern})|(?:{follower.pattern})")
    for head, follower in HEAD_FOLLOWERS.items()
}

# Per head: the pattern of the words after it that make it a modifier, and the shortest name in front of it.
_HEAD_RULES: dict[str, tuple[re.Pattern[str], int]] = {
    head: (_MODIFIER_AFTER.get(head, NEXT_BLOCK), GENERIC_HEADS.get(head, MIN_MODIFIER)) for head in HEADS
}

_WORD = itemgetter(0)
LiteralMatch = tuple[int, int, str]  # (start, end, matched literal) of a head or a gazetteer name


def _token_bounds(tokens: Tokens) -> list[int]:
    """Character offsets of the token boundaries: token i spans [b[i], b[i + 1]); b[-1] is the tokens' length.
    One list built by C-level iterators (blocks with a head have ~200 tokens, and there are thousands)."""
    return list(accumulate(map(len, map(_WORD, tokens)), initial=0))


@dataclass(frozen=True, slots=True)
class _LiteralTables:
    """The one-pass candidate scan of heads and gazetteer names, and each alternation's literals by opening."""

    scanner: StartScanner  # group 0: heads, group 1: the seed gazetteer's names
    heads: dict[str, tuple[str, ...]] | None  # first two characters -> HEAD_RE's alternatives, in its order
    names: dict[str, tuple[str, ...]] | None  # the same for the gazetteer regex (None: match with the regex)


@lru_cache(maxsize=1)
def _literal_tables() -> _LiteralTables:
    """Candidate starts of the heads (group 0) and of the seed gazetteer's names (group 1), in one pass; a
    three-character opening filter (``prefix=3``) leaves about one candidate per true start."""
    names = tuple(load_gazetteer().by_variant)
    scanner = StartScanner([tuple(HEADS), names], prefix=3)
    return _LiteralTables(
        scanner, _by_opening(HEADS_LONGEST_FIRST), _by_opening(sorted(names, key=len, reverse=True))
    )


def _by_opening(alternatives: list[str] | tuple[str, ...]) -> dict[str, tuple[str, ...]] | None:
    """A literal alternation's alternatives grouped by their first two characters, in alternation order (so the
    first one that ``startswith`` finds is the one ``re`` would match); None when one is shorter than two."""
    if any(len(a) < 2 for a in alternatives):
        return None
    out: dict[str, list[str]] = {}
    for a in alternatives:
        out.setdefault(a[:2], []).append(a)
    return {k: tuple(v) for k, v in out.items()}


def _first_literals(
    text: str, starts: list[int], by_opening: dict[str, tuple[str, ...]]
) -> list[LiteralMatch]:
    """``finditer`` of a plain literal alternation tried only at ``starts``, without the regex: at each start
    the first alternative (in alternation order) that the text continues with, then on after the match."""
    out: list[LiteralMatch] = []
    pos = 0
    get = by_opening.get
    for s in starts:
        if s < pos:
            continue
        for lit in get(text[s : s + 2], ()):
            if text.startswith(lit, s):
                pos = s + len(lit)
                out.append((s, pos, lit))
                break
    return out


def _quote_before(text: str, hs: int) -> bool:
    """Whether a QUOTE_NEAR_HEADS head (项目, 政策, 活动: common words) at ``hs`` may close a quoted name or a quoted
    list; the rest (nearly all) are dropped at the scan, before any paragraph work."""
    return "”" in text[max(0, hs - QUOTE_NEAR_GAP - 1) : hs] or "”等" in text[max(0, hs - QUOTED_LIST_REACH) : hs]


def _literal_matches(text: str) -> tuple[list[LiteralMatch], list[LiteralMatch]]:
    """``HEAD_RE.finditer(text)`` and the gazetteer regex's ``finditer(text)``, tried only where they may start.

    Neither heads nor gazetteer names hold a newline, so on a whole ``Document.text`` (blocks joined by
    newlines) the matches are exactly those of the blocks, shifted by the blocks' offsets."""
    tables = _literal_tables()
    head_starts, name_starts = tables.scanner.starts(text)
    if tables.heads is not None:
        heads = _first_literals(text, head_starts, tables.heads)
    else:
        heads = [(m.start(), m.end(), m.group()) for m in iter_matches_at(HEAD_RE, text, head_starts)]
    heads = [h for h in heads if h[2] not in QUOTE_NEAR_HEADS or _quote_before(text, h[0])]
    rx = load_gazetteer().regex
    if rx is None:
        names: list[LiteralMatch] = []
    elif tables.names is not None:
        names = _first_literals(text, name_starts, tables.names)
    else:
        names = [(m.start(), m.end(), m.group()) for m in iter_matches_at(rx, text, name_starts)]
    return heads, names


def _tag_block(text: str) -> Tokens:
    """``text`` segmented and tagged as the tokens stage does it (nlp.lang: rjieba with the project lexicon)."""
    from nlp.lang import tag_texts

    return list(tag_texts([text])[0])


def _aligned_tokens(text: str, tokens: Tokens | None) -> tuple[Tokens, list[int]]:
    """``tokens`` with their boundaries when they spell ``text`` exactly; otherwise ``text`` tagged afresh."""
    if tokens:
        bounds = _token_bounds(tokens)
        if bounds[-1] == len(text):
            return tokens, bounds
    tokens = _tag_block(text)
    return tokens, _token_bounds(tokens)


# (word, jieba tag) -> the token's flags for the left walk (see _token_flags); bounded by _NAME_TOKEN_MAX.
_NAME_TOKEN: dict[tuple[str, str], int] = {}
_NAME_TOKEN_MAX = 200_000
_TRIM_LENGTHS = tuple(sorted({len(t) for t in TRIM_LEADING}, reverse=True))
_TRIM_MIN = _TRIM_LENGTHS[-1]
_bisect_right = bisect.bisect_right


_GLUED_FUNCTION_CHARS = frozenset("以对在年将把向与和从由于及")
_GLUED: dict[str, bool] = {}


def _glued_function_word(w: str) -> bool:
    """Whether ``w``, starting with a preposition (or 年), is jieba's HMM gluing it to the front of a word it did
    not know: the token is no dictionary word (以琶洲 = 以 + 琶洲; 对外贸易 and 以色列 are words, kept whole)."""
    answer = _GLUED.get(w)
    if answer is None:
        from nlp.lang import get_tagger

        if len(_GLUED) >= _NAME_TOKEN_MAX:
            _GLUED.clear()
        answer = _GLUED[w] = not get_tagger().knows(w)
    return answer


_COUNTED = re.compile(r"^[一二三四五六七八九十两几多数]+[大个项类批家座条]$")  # 四大 …平台, 三个 …工程
# A count jieba glued to the first word of a name (合成生物 三大省/ns 基础科学中心): the name starts after it.
_COUNTED_PREFIX = re.compile(r"^[一二三四五六七八九十两几多数]+[大个项类批家座条](?=[\u4e00-\u9fff])")


def _name_token(w: str, tag: str) -> bool:
    """May the token ``w``/``tag`` stand inside a measure name (left of its head)? A pure function of the token,
    cached in ``_NAME_TOKEN``: a corpus repeats the same few thousand tokens before its heads."""
    if tag in STOP_TAGS or w in STOP_WORDS or not NAME_TOKEN_RE.match(w) or _COUNTED.match(w):
        return False
    if tag in {"l", "i"} and any(s in w for s in LONG_STOP_WORDS):
        return False
    # a verb phrase that jieba's dictionary tags as a noun or a name (充分利用 n, 建立健全 nr, 新建 ns)
    if len(w) > 1 and tag not in {"nt", "nz"} and _has_prefix(w, _LEADING_VERBS) and w not in HEADS:
        return False
    if len(w) == 1 and w not in ONE_CHAR_OK:
        return False
    if tag.startswith("v") and tag != "vn" and w not in NAME_VERBS and w != "跨" and not w.startswith("互"):
        return False
    if _has_suffix(w, _ZONE_HEAD_END) and w not in HEADS:
        return False
    return not (w in HEADS and HEADS[w] == "zone")


INNER_ADJECTIVES = {"新型", "新一代", "全面"}  # stop words at a name's edge, inside it after a name token
CONJUNCTIONS = {"与", "和", "及"}
CONJUNCT_TAGS = {"n", "nz", "vn", "an"}
PLACE_TAGS = {"ns", "nt"}
BODIES = {"部门", "政府", "地方政府", "企业", "单位", "机构"}  # 国务院部门和地方政府信息系统: two owners
GENERIC_PLACES = {"城市", "地区", "国家", "国际", "全国", "区域", "地方", "农村", "城乡"}


def _cached_flags(token: tuple[str, str]) -> int:
    """The token's flags, cached in ``_NAME_TOKEN``: at least _NAME (see ``_token_flags``)."""
    flags = _NAME_TOKEN.get(token)
    if flags is None:
        if len(_NAME_TOKEN) >= _NAME_TOKEN_MAX:
            _NAME_TOKEN.clear()
        flags = _NAME_TOKEN[token] = _name_flags(token)
    return flags


def _name_flags(token: tuple[str, str]) -> int:
    """_NAME, with _GLUED_CANDIDATE for a name token that may be a preposition glued to a name (see
    ``_glued_function_word``); _MARK for a quote or closing bracket (never a name token)."""
    w = token[0]
    if not _name_token(w, token[1]):
        return _MARK if w in _MARKS else 0
    if len(w) > 2 and _COUNTED_PREFIX.match(w):
        return _NAME | _GLUED_COUNT
    return _NAME | _GLUED_CANDIDATE if len(w) > 2 and w[0] in _GLUED_FUNCTION_CHARS else _NAME


def _cached_bridge_flags(token: tuple[str, str]) -> int:
    """The token's flags with the bridge ones (see ``_token_flags``), cached in ``_NAME_TOKEN``: only tokens
    left of a walked name need them, so they are added to a token's entry when first asked for."""
    flags = _NAME_TOKEN.get(token)
    if flags is None or not flags & _BRIDGE_KNOWN:
        if len(_NAME_TOKEN) >= _NAME_TOKEN_MAX:
            _NAME_TOKEN.clear()
        flags = _NAME_TOKEN[token] = _token_flags(token, name_flags=flags)
    return flags


def _cached_name_token(token: tuple[str, str]) -> bool:
    return (_cached_flags(token) & _NAME) != 0


NATIONAL_OPENERS = {"国家", "国家级"}  # open a zone's name that joins two domains: 国家文化和科技融合试验区
# 与/及 join two domains inside one name far more often than they join two names (数据流通与治理沙盒试验区,
# 社会管理与公共服务标准化试点, 国际商务与数字经济仲裁中心): the opener may be any name word there; 和 still needs
# a place or 国家 (完善数据和个人信息保护制度 is two objects of 完善).
NAME_CONJUNCTIONS = {"与", "及"}
# Tags of the words a verb inside a name follows (全球 溯源 中心, 海关 溯源 辅助信息系统, 自动 驾驶 与…).
NOUN_TAGS = frozenset({"n", "nz", "ns", "nt", "vn", "j", "nr", "b", "an", "ng", "nrt"})
# Verbs that, after a noun, read as its predicate rather than as a word of a name (城市 申请 试点, 企业 使用 平台).
NOT_INNER_VERBS = frozenset(
    {*("申请", "争取", "使用", "进入", "进行", "享受", "给予", "提供", "承担", "承接", "参加", "加大"),
     *("实现", "达到", "取得", "进一步", "需要", "要求", "统筹", "对接", "覆盖", "支撑", "带动"),
     *("突破", "成为", "作为", "获批", "入选", "落户", "落地", "形成", "认定", "命名", "授予", "列为"),
     *("列入", "接入", "入驻", "进驻", "新增", "开工", "签署", "共建", "共享", "力争", "上线", "挂牌"),
     *("从事", "运用")}
)
PREDICATE_VERB_RE = re.compile(r"^[建做用办抓管搞][好强优实大细成]$|好$")  # 建强, 做好, 用好: the predicate
# Words that end or open a conjunct only as a list of objects (引进重大产业项目及研发中心, 企业及电商平台).
NOT_CONJUNCT_ENDS = ("项目", "企业", "单位", "机构", "部门", "政府", "团队", "人才", "资金", "主体", "园", "园区")
_INNER_VERB: dict[str, bool] = {}


def _inner_verb_word(w: str) -> bool:
    """Is ``w`` (tagged v) a two-character verb that may stand inside a name after a noun (溯源, 驾驶, 报关, 治理,
    转化)? Not a governing, set-up or leading verb (建设, 推广, 充分), nor one that reads as a predicate."""
    answer = _INNER_VERB.get(w)
    if answer is None:
        answer = _INNER_VERB[w] = (
            len(w) == 2
            and NAME_TOKEN_RE.match(w) is not None
            and w not in STOP_WORDS
            and w not in NOT_INNER_VERBS
            and w not in TRIM_LEADING
            and SETUP_VERB_RE.fullmatch(w) is None
            and not _has_prefix(w, _LEADING_VERBS)
            and not _bridge_setup(w)
            and PREDICATE_VERB_RE.search(w) is None
        )
    return answer


def _inner_verb(tokens: Tokens, i: int) -> bool:
    """May token ``i``, a verb, stand inside a name? A two-character verb between a noun that opens or continues
    the name on its left and the name on its right: 全球溯源中心, 工业互联网标识解析国家顶级节点."""
    token = tokens[i]
    if token[1] != "v" or i == 0 or not _inner_verb_word(token[0]):
        return False
    prev = tokens[i - 1]
    if prev[0] in NAME_CONJUNCTIONS:  # 数据流通与 治理 沙盒试验区: the verb opens the second domain
        return i >= 3 and _inner_word(tokens, i - 1)
    if prev[1] == "v" and _inner_verb_word(prev[0]):  # 科技成果 转移 转化 示范区: two verbs after the noun
        return i >= 2 and _noun_before_verb(tokens[i - 2])
    return _noun_before_verb(prev)


def _noun_before_verb(token: tuple[str, str]) -> bool:
    """May ``token`` be the noun an inner verb follows (全球 in 全球溯源中心)? A name word of two or more characters
    tagged as a noun, not a body (企业, 政府 …: the subject of the verb)."""
    return token[1] in NOUN_TAGS and token[0] not in BODIES and len(token[0]) > 1 and _cached_name_token(token)


# Time words that jieba tags t but that name a domain inside a name: 未来产业培育计划, 粤港澳青年创新创业基地.
NAME_TIME_WORDS = frozenset({"未来", "青年", "现代", "当代"})


def _inner_single(tokens: Tokens, i: int) -> bool:
    """May token ``i``, a one-character noun, stand inside a name? After a longer name word it is the end of a word
    jieba split (区块 链, 物 联网 is the other way round) or a word of the name: 区块链发展先行示范区."""
    w, tag = tokens[i]
    if len(w) != 1 or tag != "n" or w in STOP_WORDS or w in BRIDGE_NOT or i == 0:  # 区域 内: a place phrase
        return False
    prev = tokens[i - 1]
    return len(prev[0]) > 1 and prev[1] in NOUN_TAGS and _cached_name_token(prev)


def _conjunct_word(token: tuple[str, str]) -> bool:
    """A word that may end or open one of the two domains an inner 与/及 joins: a name word or an inner verb."""
    if len(token[0]) < 2 or token[0] in HEADS or token[0].endswith(NOT_CONJUNCT_ENDS):
        return False
    return _cached_name_token(token) or (token[1] == "v" and _inner_verb_word(token[0]))


def _inner_word(tokens: Tokens, i: int, *, zone: bool = False) -> bool:
    """May token ``i``, which cannot start a name, stand inside one (tokens right of it already taken)?

    An adjective that is a stop word at the edge (建设新型…) reads as part of the name between name tokens
    (国家新型工业化产业示范基地); a conjunction joins two domain nouns of one name that a place or body opens
    (广州人工智能与数字经济试验区), not a noun and a name (完善数据和个人信息保护制度) nor two places (深圳和上海…);
    a ``zone`` head's name may open with 国家 instead (国家文化和科技融合试验区)."""
    w = tokens[i][0]
    prev = tokens[i - 1]
    if w in INNER_ADJECTIVES:
        return _cached_name_token(prev)
    if w not in CONJUNCTIONS or i < 2 or i + 1 >= len(tokens):
        return False
    nxt, opener = tokens[i + 1], tokens[i - 2]
    if (
        w in NAME_CONJUNCTIONS
        and _conjunct_word(prev)
        # 缓释化解及融资平台: 及 after a verb joins two predicates, unless the verb is inside a name (自动驾驶及…)
        and (w == "与" or prev[1] != "v" or _noun_before_verb(opener))
        and _conjunct_word(nxt)
        and HEAD_RE.search(prev[0]) is None
        and not (prev[1] in PLACE_TAGS and nxt[1] in PLACE_TAGS)  # 深圳与上海: two places
        # the word before opens the first domain: a name word, an inner verb or a noun jieba split off (物/n 联网);
        # a zone's name may also open with a one-word domain before 与 (物联网与智慧城市应用示范区)
        and (
            _cached_name_token(opener)
            or _inner_verb(tokens, i - 2)
            or opener[1] in NOUN_TAGS
            or (zone and w == "与" and len(prev[0]) > 1 and prev[1] in NOUN_TAGS)
        )
    ):
        return True
    return (
        (
            (opener[1] in PLACE_TAGS and opener[0] not in GENERIC_PLACES)
            or (zone and opener[0] in NATIONAL_OPENERS)
        )
        and HEAD_RE.search(prev[0]) is None  # 运行机制和激励机制: two names
        and prev[0] not in BODIES
        and nxt[0] not in BODIES
        and _cached_name_token(opener)
        and prev[1] in CONJUNCT_TAGS
        and nxt[1] in CONJUNCT_TAGS
        and len(prev[0]) > 1
        and len(nxt[0]) > 1
        and prev[0] not in HEADS
        and _cached_name_token(prev)
    )


# Verbs that stand inside a name right before its head (and nowhere else in it): 引导基金.
# the verb a programme is named by, right before its head (新消费品牌培育行动, 农村公路提升行动, 未来产业培育计划)
_PROGRAMME_VERBS = frozenset(
    {"培育", "提升", "促进", "提质", "攻坚", "振兴", "整治", "改造", "更新", "修复", "倍增", "赋能", "培塑", "扩容", "增量"}
)
HEAD_INNER_VERBS = {"基金": frozenset({"引导"}), "行动": _PROGRAMME_VERBS, "计划": _PROGRAMME_VERBS, "工程": _PROGRAMME_VERBS}
_HEAD_INNER_VERB_WORDS = frozenset().union(*HEAD_INNER_VERBS.values())
# One-character country abbreviations after 中 in a bilateral name: 中以 (Israel), 中非, 中阿 (Arab states), 中新.
COUNTRY_CHARS = frozenset("以非俄法德美日韩欧阿英意葡巴澳新泰越老柬缅印蒙哈乌吉塔土沙瑞丹芬荷比奥希")


def _country_pair(tokens: Tokens, i: int) -> bool:
    """Do tokens ``i - 1`` and ``i`` (left of a name) spell a 中X country pair that jieba split (中/f + 以/p)?
    中 standing alone as a token rules out 其中/集中/之中, which jieba keeps whole."""
    return tokens[i - 1][0] == "中" and len(tokens[i][0]) == 1 and tokens[i][0] in COUNTRY_CHARS


def _country_token(w: str) -> bool:
    """Is ``w`` a 中X country pair glued into one token with a tag that stops names (中以/p)?"""
    return len(w) == 2 and w[0] == "中" and w[1] in COUNTRY_CHARS


# A programme's name may hold verbs and one-character words that end the left walk (提振消费专项行动, 清理拖欠企业账款
# 专项行动, 减污降碳协同创新区, 赣鄱文明考古探源工程, 服务类社会救助试点): when a short stretch of such words, and
# nothing else, separates the walked name from the verb that sets the programme up (实施, 开展, 创建 …), that stretch
# is part of the name. A stretch that itself opens with a set-up verb (加快 建设 国家…中心) is the predicate.
BRIDGE_SETUP = (
    *("实施", "开展", "启动", "推进", "深化", "创建"),
    *("争创", "完成", "发起", "推动", "打造", "加快"),
)
BRIDGE_MAX_TOKENS = 4
PLACE_ENDS = ("省", "市", "县", "区", "州")
BRIDGE_MAX_CHARS = 8
BRIDGE_STOP_TAGS = frozenset(STOP_TAGS - {"d", "q", "zg"})  # 自然/d 保护地, 服务 类/q, 蛋白质 组/zg
# 区域内: a place phrase; 实施好, 深化拓展, 启动运行: the predicate; 高能级…平台: a goal
BRIDGE_NOT = frozenset("的等和与及或各新在为好内外间上下中里前后") | {
    *("拓展", "列入", "运行", "年度"),
    *("高能级", "高水平", "高质量", "高标准", "一流"),
}


def _bridge_token(w: str, tag: str, *, leading: bool) -> bool:
    """May the token ``w``/``tag`` stand in a bridged stretch (see BRIDGE_SETUP)? A verbal noun that is a
    set-up verb elsewhere (乡村建设/vn) may, except as the stretch's first word."""
    if tag in BRIDGE_STOP_TAGS or w in BRIDGE_NOT or not NAME_TOKEN_RE.match(w) or _COUNTED.match(w):
        return False
    if w.isascii():
        return False
    if w in TRIM_LEADING:
        return False
    if w in STOP_WORDS or SETUP_VERB_RE.fullmatch(w):
        return tag == "vn" and not leading  # 加快 推行 个人养老金制度: the predicate's second verb
    return len(w) <= 2 or not _has_prefix(w, _LEADING_VERBS)  # 加快 建立健全 …机制


def _bridge_setup(w: str) -> bool:
    """Is ``w`` a set-up verb that opens a programme's name on its right (实施, 深入实施, 全面完成)?"""
    return w in BRIDGE_SETUP or (2 < len(w) <= 4 and w.endswith(BRIDGE_SETUP))


# Per-token flags of the left walk, cached per (word, tag) in _NAME_TOKEN: a corpus repeats the same few thousand
# tokens before its heads. _NAME is always there; the bridge flags once _BRIDGE_KNOWN is set.
_NAME = 1  # _name_token: may stand inside a name
_BRIDGE = 2  # _bridge_token(leading=False): may stand in a bridged stretch
_BRIDGE_LEAD = 4  # _bridge_token(leading=True): may open one
_OPENS_BRIDGE = 8  # _bridge_setup: a set-up verb that opens a programme's name on its right
_BRIDGE_KNOWN = 16
_GLUED_CANDIDATE = 32  # a name token of three or more characters opening with a preposition (以琶洲)
_MARK = 64  # one of _MARKS
_GLUED_COUNT = 128  # a name token that opens with a count glued to it (三大省): see _COUNTED_PREFIX


def _token_flags(token: tuple[str, str], *, name_flags: int | None = None) -> int:
    """The pure per-token decisions of the left walk as one bit set (_NAME, _BRIDGE, _BRIDGE_LEAD, _OPENS_BRIDGE);
    ``name_flags``: the token's ``_name_flags`` when known. A token that may open a stretch may stand in one, so
    _BRIDGE_LEAD is only asked for with _BRIDGE."""
    w, tag = token
    flags = _BRIDGE_KNOWN | (_name_flags(token) if name_flags is None else name_flags)
    if _bridge_token(w, tag, leading=False):
        flags |= _BRIDGE | (_BRIDGE_LEAD if _bridge_token(w, tag, leading=True) else 0)
    return flags | (_OPENS_BRIDGE if _bridge_setup(w) else 0)


def _bridge_left(tokens: Tokens, starts: list[int], i: int, hs: int) -> int | None:
    """Start of the stretch ``tokens[k..i]`` that a set-up verb at ``k - 1`` opens (see BRIDGE_SETUP), or None."""
    cache = _NAME_TOKEN
    chars = 0
    for k in range(i, max(-1, i - BRIDGE_MAX_TOKENS), -1):
        token = tokens[k]
        w = token[0]
        chars += len(w)
        if chars > BRIDGE_MAX_CHARS or hs - starts[k] > MAX_MODIFIER:
            return None
        flags = cache.get(token)
        if flags is None or not flags & _BRIDGE_KNOWN:
            flags = _cached_bridge_flags(token)
        if not flags & _BRIDGE:
            return None
        if k == 0:
            return None  # no token left of the stretch to open it
        prev = tokens[k - 1]
        if w in STOP_WORDS and (prev[1] in PLACE_TAGS or prev[0].endswith(PLACE_ENDS)):
            return None  # 县市区 建设 …中心: a place and its verb, not 乡村建设…工程
        opens = cache.get(prev)
        if opens is None or not opens & _BRIDGE_KNOWN:
            opens = _cached_bridge_flags(prev)
        if opens & _OPENS_BRIDGE:
            return starts[k] if flags & _BRIDGE_LEAD else None
    return None


PROGRAMME_NUMBER_RE = re.compile(r"\d{3}$")  # 国家863…, 国家973…
BRACKET_QUALIFIER_RE = re.compile(r"国际|中国|国家|[\u4e00-\u9fff]{1,2}[省市]")  # 广州（国际）…, 中国（广东）…
# The longest quoted stretch inside a name: “学历证书+若干职业技能等级证书”制度试点 (15 characters)
QUOTED_MAX = 18
# ... but a longer quote before 模式 describes a way of working (“人脸识别技术+定制化政务服务”模式)
QUOTED_MODEL_MAX = 12
# A formula label in front of a name, unquoted: 1+X证书制度试点, 1+N产业体系
_FORMULA = r"(?:\d{1,2}|[A-Z])(?:\+(?:\d{1,2}|[A-Z]))+"
FORMULA_BEFORE_RE = re.compile(r"(?<![0-9A-Za-z+])" + _FORMULA + "$")
_FORMULA_LEAD_RE = re.compile(_FORMULA)


def _formula_end(modifier: str) -> int:
    """Where a modifier's leading formula label (1+X in 1+X证书制度) ends: its digits are no count."""
    if not modifier[:1].isascii():
        return 0
    lead = _FORMULA_LEAD_RE.match(modifier)
    return lead.end() if lead is not None else 0


# the inside of a quoted name before its head: no quote or clause punctuation
_QUOTED_NAME_RE = re.compile(r"[^“”，。；、,;：:（）()]*")
_QUOTED_RE = re.compile(r"“[^“”]*”")
_MARKS = frozenset(("”", "“", "）", ")"))  # tokens the left walk treats apart (quotes, a closing bracket)


BUILD_HEADS = frozenset({"试点", "工程", "行动", "计划"})


def _built_quote(text: str, tokens: Tokens, starts: list[int], i: int, hs: int) -> bool:
    """Whether token ``i`` is 建设 between a closing quote and the head at ``hs`` of a pilot or programme
    (“好房子”建设试点, “无废城市”建设试点; not “无废城市”建设长效机制, a mechanism for the building)."""
    return (
        tokens[i][0] == "建设"
        and starts[i + 1] == hs
        and i > 0
        and tokens[i - 1][0] == "”"
        and text[hs : hs + 2] in BUILD_HEADS
    )


def _left_edge(text: str, hs: int, he: int, tokens: Tokens, starts: list[int]) -> int:
    """Left edge of the name whose head starts at ``hs`` (``hs`` itself when no name token precedes the head).

    ``starts`` are the token boundaries (``_token_bounds``): token i spans [starts[i], starts[i + 1])."""
    ntokens = len(tokens)
    i = _bisect_right(starts, hs - 1, 0, ntokens) - 1 if hs > 0 else -1
    left = hs
    if (
        i >= 0 and starts[i] < hs < starts[i + 1]
    ):  # the head splits a token (管理机制): its front half is part of the name
        left = starts[i]
        i -= 1
    elif i >= 0 and starts[i + 1] > hs:
        i -= 1
    ntok = 0
    quoted_head = he < len(text) and text[he] == "”" and "“" in text[max(0, hs - 10) : hs]
    quoted_max = QUOTED_MODEL_MAX if text.startswith("模式", hs) else QUOTED_MAX
    quote = -1
    built = False
    if quoted_head:
        # the head closes a quote: the quoted stretch is the name whole, numbers and all (“十项重大工程”,
        # “15分钟品质文化生活圈”) when the walk stops inside it, unless it opens with a governing verb (“打造…平台”)
        quote = text.rfind("“", max(0, hs - quoted_max), hs)
        if quote >= 0 and not (
            _QUOTED_NAME_RE.fullmatch(text, quote + 1, hs) and not _has_prefix(text[quote + 1 : hs], _LEADING_VERBS)
        ):
            quote = -1
    cache = _NAME_TOKEN
    reach = hs - MAX_MODIFIER  # the furthest a name token may start
    while i >= 0 and ntok < 7 and starts[i] >= reach:
        token = tokens[i]
        flags = cache.get(token)
        if flags is None:
            flags = _cached_flags(token)
        if flags & _NAME:
            if flags & _GLUED_CANDIDATE and _glued_function_word(token[0]):
                left = starts[i] + 1  # 以琶洲, 对琶洲: jieba's HMM glued a preposition to an unknown name
                break
            if flags & _GLUED_COUNT:
                left = starts[i] + _COUNTED_PREFIX.match(token[0]).end()  # type: ignore[union-attr]
                break
        elif flags & _MARK:  # a quote or a closing bracket: the name goes on only in these cases
            w = token[0]
            if w == "”":  # a quoted stretch inside the name: “白名单”制度, “境内关外”离岸…
                if "“" in text[left:hs]:
                    break  # a quoted stretch is taken already: the quote before it closes another name (“A系统”“B系统”,
                    # “东数西算”长三角枢纽“1+4”算力平台)
                j = text.rfind("“", max(0, starts[i] - quoted_max), starts[i])
                if j < 0:
                    break
                left = j
                if built:
                    break  # “无废城市”建设试点: the quoted thing opens the name (not 印发“无废城市”…)
                i = _bisect_right(starts, j, 0, ntokens) - 2
                ntok += 1
                continue
            if w == "“":
                if quoted_head:
                    left = starts[i]
                    if left and text[left - 1] == "”":
                        break  # another quoted name ends right before: “电子发票管理系统”“电子支付系统”
                    i -= 1
                    quoted_head = False
                    continue
            elif i >= 2:  # 中国（浙江）自由贸易试验区, 广州（国际）科技成果转化天河基地
                j = text.rfind("（", max(0, starts[i] - 6), starts[i])
                if j >= 2 and text[j - 2 : j] == "中国":
                    left = j - 2
                elif j > 0 and ntok and BRACKET_QUALIFIER_RE.fullmatch(text, j + 1, starts[i]):
                    k = _bisect_right(starts, j - 1, 0, ntokens) - 1  # the token right before the bracket
                    if k >= 0 and starts[k + 1] == j and tokens[k][1] == "ns" and len(tokens[k][0]) > 1:
                        left = starts[k]
            break
        elif not (
            # inside the quotes of a quoted name a verb is part of it (“电子支付系统”), 打造 still is not
            (quoted_head and token[1].startswith("v") and len(token[0]) > 1 and token[0] not in STOP_WORDS)
            # 服务贸易创新发展引导基金: the kind of fund in front of its head
            or (
                not ntok
                and token[0] in _HEAD_INNER_VERB_WORDS
                and token[0] in HEAD_INNER_VERBS.get(text[hs:he], ())
            )
            # 国家新型工业化产业示范基地, 琶洲人工智能与数字经济试验区
            or (ntok and i > 0 and _inner_word(tokens, i, zone=text[hs:he] in ZONE_HEAD_END))
            # 全球溯源中心, 海关溯源辅助信息系统: a verb between a noun and the name (not before a quoted name:
            # 共建“一带一路”…, 签署“数字丝绸之路”)
            or (not text.startswith("“", left) and _inner_verb(tokens, i))
            or _inner_single(tokens, i)
            or (token[1] == "t" and token[0] in NAME_TIME_WORDS)
            # “好房子”建设试点: the building of a quoted thing, right before the head, is the pilot's name
            or (built := _built_quote(text, tokens, starts, i, hs))
            # 国家863软件专业孵化器基地: a national programme's number after 国家
            or (token[1] == "m" and i > 0 and tokens[i - 1][0] == "国家" and PROGRAMME_NUMBER_RE.match(token[0]))
        ):
            break
        left = starts[i]
        ntok += 1
        i -= 1
    if quote >= 0 and left > quote + 1:
        return quote  # the walk stopped inside the quoted name (at 十项/m, 15/m): the quotes bound it
    if ntok and i >= 0 and text[left - 1].isascii():
        formula = FORMULA_BEFORE_RE.search(text, max(0, left - 8), left)
        if formula is not None:
            left = formula.start()
            i = _bisect_right(starts, left, 0, ntokens) - 2
    if ntok and i >= 0:
        w = tokens[i][0]
        if len(w) == 2 and w[0] == "中" and w[1] in COUNTRY_CHARS:
            left = starts[i]  # 中以生物产业基金: the pair glued into one token (中以/p)
            i -= 1
        elif len(w) == 1 and i >= 1 and _country_pair(tokens, i):
            left = starts[i - 1]  # 中俄国际合作先行区: jieba splits the pair into 中/f and 俄/p
            i -= 2
        if i >= 0 and starts[i + 1] == left:
            flags = cache.get(tokens[i])
            if flags is None or not flags & _BRIDGE_KNOWN:
                flags = _cached_bridge_flags(tokens[i])
            if flags & _BRIDGE:  # most walks end at a word no stretch holds (的, 建设, a comma): no bridge
                bridged = _bridge_left(tokens, starts, i, hs)
                if bridged is not None:
                    left = bridged
    # trim leading generic words (国内, 重要 …) while a name of two or more characters remains, or none at all
    # before a head that names a measure by itself (综合运用 综合保税区)
    rest = -1 if text[hs:he] in STANDALONE_HEADS else 1
    while hs - left > _TRIM_MIN + rest:
        for n in _TRIM_LENGTHS:
            if hs - left > n + rest and text[left : left + n] in TRIM_LEADING:
                left += n
                break
        else:
            break
    return left


def _flat(s: str) -> str:
    """``flat(s)`` without the regex for the usual string that holds no whitespace: every whitespace character
    but the space is unprintable, so a printable string without a space has none (checked at C speed)."""
    return s if s.isprintable() and " " not in s else flat(s)


_BRACKET_OPEN = ("（", "(")
_BRACKET_CLOSE = (")", "）")


def _pattern_cands(
    text: str,
    tokens: Tokens | None,
    titles: Mask | None,
    heads: list[LiteralMatch],
    listed: list[_Cand] | None = None,
) -> list[_Cand]:
    """Measures found from their heads (``heads``: the head matches in ``text``); tokens are aligned lazily,
    only when a head outside titles needs its left edge.

    The checks after the left edge are pure filters, so the cheap ones (on the modifier) run before the
    canonical name is looked up, and the set-up verb before the name is searched once, only when asked.
    ``listed`` collects the candidates that failed only for want of a set-up verb and stand right after a 、
    (items of a list, see ``_list_items``)."""
    gaz = load_gazetteer()
    known = gaz.canonical
    out: list[_Cand] = []
    aligned: tuple[Tokens, list[int]] | None = None
    n = len(text)
    toks: Tokens = []
    bounds: list[int] = []
    for hs, he, head in heads:
        if titles is not None and not titles.free(hs, he):
            continue
        if head in DOCUMENT_HEADS:
            continue  # 大气污染防治行动计划: a plan document (a rule), and no shorter head inside it (行动, 计划) is tried
        modifier_after, need = _HEAD_RULES[head]
        if modifier_after.match(text, he):  # the head word is a modifier here: 平台经济, 中心城市, 制度型开放
            continue  # (NEXT_BLOCK), and per head (HEAD_FOLLOWERS): 国家工程实验室, 行动方案
        if head in QUOTED_ONLY_HEADS and not _QUOTE_CHARS.intersection(text[max(0, hs - QUOTED_ONLY_REACH) : he + 1]):
            continue  # 改革, 集群 …: no quote near it, so no quoted name (the check below, without the left walk)
        if head in QUOTE_NEAR_HEADS:
            left = _quote_near_left(text, hs)  # the quoted name and what stands between it and the head
            if left < 0:
                continue
        else:
            if aligned is None:
                aligned = toks, bounds = _aligned_tokens(text, tokens)
            left = _left_edge(text, hs, he, toks, bounds)
        if head in BODY_HEADS:
            left = _body_left(text, left, hs)
        if left > 0 and text[left - 1] == "向" and REPORT_TO_RE.match(text, left, hs):
            left -= 1  # 向人大报告国有资产管理情况制度: the addressee of a reporting duty belongs to its name
        if hs - left < need:  # the modifier (text[left:hs] less whitespace and quotes) can only be shorter
            continue
        end = he
        if end < n:
            nxt = text[end]
            if nxt == "”" and "“" in text[left:hs]:
                end += 1
                nxt = text[end] if end < n else ""
            if nxt in _BRACKET_OPEN:
                # 数据出境管理清单（负面清单）: a bracketed synonym belongs to the name
                mb = BRACKET_SYNONYM_RE.match(text, end, end + 12)
                if mb and HEAD_RE.search(mb.group(1)) and mb.group(1).endswith(head):
                    end = mb.end()
                else:  # 人民币跨境支付系统（CIPS）: the acronym in brackets belongs to the name
                    mb = ACRONYM_BRACKET_RE.match(text, end, end + 14)
                    if mb:
                        end = mb.end()
        modifier = _flat(text[left:hs]).strip("“”")
        if len(modifier) < need and not (len(modifier) >= QUOTED_MIN and text.startswith("“", left)):
            continue  # a quoted name may be short: “微警认证”系统
        if head in modifier and len(modifier) - modifier.rindex(head) - len(head) <= REPEATED_HEAD_GAP:
            continue  # 金融科技创新监管试点应用试点: the pilot's application, the inner name is the measure
        if NOT_A_MEASURE_MODIFIER_RE.search(modifier, _formula_end(modifier)) and (
            # a number inside quotes is part of the name (“415X”先进制造业集群, “双一流196”工程): look outside them
            "“" not in text[left:hs] or NOT_A_MEASURE_MODIFIER_RE.search(_QUOTED_RE.sub("", _flat(text[left:end])))
        ):
            continue
        if head in NEED_SETUP and modifier in gaz.by_variant:
            continue  # 共建“一带一路”机制: a known name and a generic word after it; the name is the measure
        if titles is not None and not titles.free(left, end):
            continue
        quoted = "“" in text[left:end]
        if HEADS[head] == "zone" and GOAL_BEFORE_RE.search(text, max(0, left - GOAL_REACH), left):
            continue  # 建设成为世界一流的数字经济示范区: a goal the place sets itself, not a zone set up
        if head in QUOTED_ONLY_HEADS and not quoted:
            continue
        if head == "改革" and _quotes_a_measure(text, left, hs):
            continue  # “百县千镇万村高质量发展工程”集成式改革: the quoted name is the measure, its reform is not
        if head == "模式" and DESCRIBED_BEFORE_RE.search(text, max(0, left - 3), left):
            continue  # 属“规则密集型”贸易模式, 拓展“数字+服务”新模式: a model described, not a named practice (推广“房票”模式)
        setup: bool | None = None  # a set-up verb right before the name (searched when a check needs it)
        item = False  # a list item that needs the list's set-up verb (decided in _list_items)
        if head in NEED_SETUP and not quoted and len(modifier) < LONG_NAME:
            before = text[max(0, left - 16) : left]
            setup = SETUP_VERB_RE.search(before) is not None or (head in CAMPAIGN_HEADS and before.endswith("开展"))
            if not setup and not _named_without_setup(head, modifier, before):
                if listed is None or not before.endswith(ITEM_OPENERS):
                    continue
                item = True
        if head == "基金" and not quoted:
            if setup is None:
                setup = SETUP_VERB_RE.search(text[max(0, left - 16) : left]) is not None
            if not _named_fund(modifier, setup=setup):
                continue
        surface = _flat(text[left:end])
        hit = known.get(surface)
        canonical, kind = hit if hit is not None else canonical_measure(surface, gazetteer=gaz)
        if head in QUOTE_NEAR_HEADS:  # “两重”项目, “两新”政策: the quoted name is the measure's name
            canonical = _flat(text[left + 1 : text.rfind("”", left, hs)])
        if surface.endswith(_BRACKET_CLOSE):
            acronym = TRAIL_ACRONYM_RE.search(surface.replace("(", "（").replace(")", "）"))
            if acronym and not canonical.endswith(acronym.group()):
                canonical += acronym.group()
        if canonical in GENERIC_NAMES:
            continue
        if canonical.endswith(_BRACKET_CLOSE) and TRAIL_BRACKET_RE.sub("", canonical) in GENERIC_NAMES:
            continue
        if _not_a_name(canonical, head, modifier, quoted=quoted):
            continue
        if item and listed is not None:
            listed.append(_Cand(left, end, surface, canonical, kind))
            continue
        out.append(_Cand(left, end, surface, canonical, kind))
    return out


# A reporting duty's name opens with its addressee: (向)人大报告…, (向)社会公开… (the walk stops at 向/p).
REPORT_TO_RE = re.compile(r"[\u4e00-\u9fff]{1,6}?(?:报告|通报|述职)")
LIST_SEPARATOR = "、"
# What may stand right before a list item: the separator, or the conjunction before the last item (A、B和C).
ITEM_OPENERS = (LIST_SEPARATOR, "和", "及")
# Characters that end a clause, and so a list: an item's list lies between two of them.
CLAUSE_END_RE = re.compile(r"[，。；：！？,;:!?（）()《》\n]")
# What may follow a list item: the next separator, the clause's end, or a closing word (等, 和/及 + next item).
ITEM_END_RE = re.compile(r"[、，。；：,;:]|等|和|及|以及")


def _list_items(text: str, cands: list[_Cand], listed: list[_Cand]) -> list[_Cand]:
    """The list items among ``listed`` that a set-up verb governs through their list.

    In 建设跨境电商综合试验区、海外仓、跨境电商公共分拨中心 the verb sets up every item, but a generic head
    (中心, 平台, 机制 …) is accepted only right after such a verb. An item is taken when it passed every other
    check on its own, fills its item whole (from the 、 before it to the next separator), and the list's first
    item is a recognised measure (``cands``) that a set-up verb right before it governs."""
    out: list[_Cand] = []
    for c in listed:
        if c.end < len(text) and not ITEM_END_RE.match(text, c.end):
            continue  # the name is not the whole item: 、数据中心建设
        clause = max((m.end() for m in CLAUSE_END_RE.finditer(text, 0, c.start)), default=0)
        first_end = text.find(LIST_SEPARATOR, clause, c.start)
        if first_end < 0:
            if text[c.start - 1] not in ITEM_OPENERS:
                continue
            first_end = c.start - 1  # two items: 建设全球优品分拨中心和全球报关服务系统
        for f in cands:
            if clause <= f.start and f.end == first_end:
                if SETUP_VERB_RE.search(text, max(clause, f.start - 16), f.start):
                    out.append(c)
                break
    return out


def _body_left(text: str, left: int, hs: int) -> int:
    """Left edge of a body's name (see BODY_HEADS): from the walked ``left`` on over Chinese characters up to a
    setting-up verb, a function character or BODY_NAME_MAX characters before the head ``hs``."""
    j = left
    while j > 0 and hs - j < BODY_NAME_MAX:
        ch = text[j - 1]
        if not "\u4e00" <= ch <= "\u9fff" or text[j - 2 : j] in BODY_STOP_VERBS:
            break
        if ch in BODY_STOP_CHARS and text[j - 2 : j] not in BODY_WORDS and text[j - 1 : j + 1] not in BODY_WORDS:
            break
        j -= 1
    for verb in BODY_STOP_VERBS:  # one inside the walked stretch too (定期 报告/n 联席会议)
        k = text.rfind(verb, j, hs)
        if k >= 0:
            j = k + len(verb)
    return j


def _named_without_setup(head: str, modifier: str, before: str) -> bool:
    """Whether a generic head with a short name and no set-up verb before it still names a measure: a list or
    catalogue being completed or revised (完善重要数据目录, 修订外商投资产业目录), or a mutual recognition that
    names what is recognised (数据保护可信认证互认)."""
    if head in CATALOGUE_HEADS:
        return len(modifier) >= CATALOGUE_MIN and AMEND_VERB_RE.search(before) is not None
    if head == "互认":
        return len(modifier) >= CATALOGUE_MIN and RECOGNISED_OBJECT_RE.search(modifier) is not None
    if head == "系统":  # a system named by the government function it serves: 服贸数据直报系统, 海关溯源辅助信息系统
        return len(modifier) >= CATALOGUE_MIN and FUNCTION_SYSTEM_RE.search(modifier) is not None
    return "联席" in modifier  # 粤港澳联席合作机制: a standing joint body's mechanism


def _named_fund(modifier: str, *, setup: bool) -> bool:
    """Whether ``modifier`` + 基金 names one fund rather than a kind of fund (see FUND_KIND_RE): a qualifier of
    at least two characters that is no accounting or insurance category and, without a kind word after it or a
    set-up verb before the name, at least four (自然科学基金 yes, 工资基金 no); the national fund of a kind
    (全国社会保障基金) is named whatever its qualifier."""
    national = FUND_NATIONAL_RE.match(modifier) is not None
    core = LEVEL_PREFIX_RE.sub("", modifier)
    qualifier = FUND_KIND_RE.sub("", core)
    if len(qualifier) < FUND_QUALIFIER_MIN:
        return False
    if national:
        return True
    if FUND_NOT_NAMED_RE.search(qualifier):
        return False
    return setup or qualifier != core or len(qualifier) >= FUND_BARE_MIN


# A name whose words only say that the thing innovates, develops or serves names no designation: 创新示范区,
# 创新创业基地, 信息共享平台, 服务创新区, 制度创新示范区 (but 数字产业集聚区, 国际科技合作基地 name a domain).
GENERIC_MODIFIER_RE = re.compile(
    r"(?:创新|创业|发展|制度|服务|信息|共享|综合|示范|合作|开放|改革|先行|引领|高质量|产业|协同|融合|建设|应用)+"
)
# A development area named by its place is a place (广州开发区, 天河高新区, 广州保税区); the designation itself is a
# measure (国家级经济技术开发区, 省级高新技术产业开发区), and so is a comprehensive bonded zone (综合保税区).
GENERIC_MODIFIER_KINDS = frozenset({"zone", "base", "platform"})  # (创新融合行动 is a programme's name)
AREA_HEADS = frozenset({"开发区", "高新区", "保税区"})
AREA_CATEGORY_RE = re.compile(r"(?:经济技术|高新技术产业|高新技术)?(?:开发区|保税区)$")
AREA_PLACE_MAX = 6


@lru_cache(maxsize=4096)
def _is_place(name: str) -> bool:
    """Is ``name`` only place names (jieba tags every word ns, or it ends with a place suffix like 区/市/县)?"""
    if not name or len(name) > AREA_PLACE_MAX:
        return False
    if name.endswith(PLACE_ENDS) and len(name) > 1:
        return True
    return all(tag == "ns" for _, tag in _tag_name(name))


@lru_cache(maxsize=4096)
def _tag_name(name: str) -> tuple[tuple[str, str], ...]:
    """A short name segmented and tagged by the project's tagger (rjieba, loaded once per process by the tokens
    stage), not by jieba.posseg, whose first call in a worker costs seconds."""
    from nlp.lang import tag_texts

    return tuple(tag_texts([name])[0])


# Heads of industrial parks and bases, which a district or a company names for itself (花都汽车产业基地,
# 白云新城总部经济集聚区, 万鹏高新技术企业孵化基地): places, not measures, unless a designation shows in the name
PARK_HEADS = frozenset({"基地", "集聚区"})
PARK_DESIGNATION_RE = re.compile(r"国家|中国|全国|国际|省|示范|试点|试验|先行|先导|综合|出口|特色|创新发展|粤港澳|大湾区")


@lru_cache(maxsize=4096)
def _local_park(name: str) -> bool:
    """Whether ``name`` is a park or base a place below the province or a company names for itself: its first
    word is a place or a proper name (jieba ns/nr/nz) other than a province, and no designation word shows."""
    if PARK_DESIGNATION_RE.search(name):
        return False
    words = _tag_name(name)
    if not words or words[0][1] not in {"ns", "nr", "nz"} or len(words[0][0]) < 2:
        return False
    if words[0][1] == "nr" and len(words[0][0]) >= 4:
        return False  # jieba's dictionary tags thousands of four-character words nr (体育竞赛, 顾全大局): no names
    from nlp.extract.regions import find_regions

    first = find_regions(words[0][0])
    return not (first and first[0].level in ("province", "macro", "national"))  # 广东…基地: a province's designation


def _quotes_a_measure(text: str, left: int, hs: int) -> bool:
    """Does the quoted stretch in ``text[left:hs]`` end with the head of a programme, zone, pilot or base of its
    own (“…工程”集成式改革)?"""
    q = text.rfind("”", left, hs)
    return q > left and text.endswith(_PROGRAMME_LIKE_HEADS, left, q)


# What a goal opens with, in the clause before a zone's name: 建设成为世界一流的数字经济示范区
GOAL_BEFORE_RE = re.compile(r"成为[^，。；：、]*$")
GOAL_REACH = 12


# A 计划 that is a quota or a schedule, not a programme: 本科招生计划, 年度投资计划, 发债计划
QUOTA_PLANS = ("招生", "投资", "工作", "生产", "采购", "发行", "发债", "用款", "预算", "用地", "供地")


def _not_a_name(canonical: str, head: str, modifier: str, *, quoted: bool) -> bool:
    """Whether a head-found candidate names a category, a goal or a facility rather than a measure: a level word
    before a category (国家级高新区, 重大水利工程, 地方政府产业投资基金), a construction phase (二期工程), and, unless
    quoted, a 体系 that is no national programme (数据要素高效流通体系) or a centre that is a city's role, a kind
    of facility or too short to be a name (国际交往中心, 高密度数据中心, 物流分拨中心)."""
    core = TRAIL_BRACKET_RE.sub("", canonical) if canonical.endswith(_BRACKET_CLOSE) else canonical
    level = LEVEL_PREFIX_RE.match(core)  # anchored at the start: sub() removes this one match
    if level is not None:
        stripped = core[level.end() :]
        if stripped in GENERIC_NAMES or stripped in HEADS:
            return True
    if core.endswith("工程") and WORKS_RE.search(core):
        return True
    if quoted:
        return False
    if HEADS[head] in GENERIC_MODIFIER_KINDS and GENERIC_MODIFIER_RE.fullmatch(LEVEL_PREFIX_RE.sub("", modifier)):
        return True
    if head in AREA_HEADS and _is_place(AREA_CATEGORY_RE.sub("", core)):
        return True
    if head in PARK_HEADS and _local_park(core):
        return True
    if head == "体系":
        return not (modifier.startswith(SYSTEM_SCOPE) and len(modifier) >= SYSTEM_MIN)
    if head == "计划" and modifier.endswith(QUOTA_PLANS):
        return True
    if head == "中心":
        if len(modifier) < CENTRE_MIN and SCOPED_CENTRE_RE.match(modifier) is None:
            return True
        return NOT_A_MEASURE_CENTRE_RE.search(core) is not None
    return False


def _gazetteer_cands(text: str, titles: Mask | None, names: list[LiteralMatch]) -> list[_Cand]:
    """Measures named by the seed gazetteer (``names``: its matches in ``text``), outside titles; a Latin name
    must not continue a Latin word or number."""
    by_variant = load_gazetteer().by_variant
    out: list[_Cand] = []
    for s, e, name in names:
        if titles is not None and not titles.free(s, e):
            continue
        if name[0].isascii() and name[0].isalpha() and s > 0 and text[s - 1].isascii() and text[s - 1].isalnum():
            continue
        canonical, kind = by_variant[name]
        if kind == "other" and _DESIGNATION_NEXT.match(text, e):
            continue  # 高新技术企业孵化基地: the designation names what the park or body is for
        if e < len(text) and text[e] == "”":
            # “数字化中欧班列”: words inside the same quotes qualify the known name
            q = text.rfind("“", max(0, s - _QUOTED_QUALIFIER), s)
            if q >= 0 and q + 1 < s and _QUALIFIER_RE.fullmatch(text, q + 1, s):
                qualified = flat(text[q + 1 : e])
                out.append(_Cand(q, e + 1, flat(text[q : e + 1]), qualified, kind))
                continue
        out.append(_Cand(s, e, name, canonical, kind))
    return out


_QUOTED_QUALIFIER = 6  # characters between an opening quote and a known name
_DESIGNATION_NEXT = re.compile(r"孵化|基地|园|集聚|中心|协会|联盟|培育库")
_QUALIFIER_RE = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]+")


# Quoted names listed before 等 and the kind of measure they are: “城新贷”“交运贷”“设备担”等金融支持政策,
# “最多跑一次”“一网通办”等改革. The list ends right before 等; a few words may stand between 等 and the head.
QUOTED_LIST_RE = re.compile(r"(?:“[^“”，。；、,;:：]{2,12}”[、和及与]?)+等[\u4e00-\u9fff]{0,6}$")
QUOTED_LIST_REACH = 72
# heads that do not say what the listed names are: a plan document, and events (“台湾独立”“两国论”等分裂活动)
NOT_LIST_HEADS = DOCUMENT_HEADS | {"活动"}
_QUOTED_ITEM_RE = re.compile(r"“([^“”]+)”")


_NOT_IN_GAP = frozenset("等的和及与之各类")  # between a quoted name and its head: none of these
_HEAD_ENDINGS = tuple(HEADS)
# a plan period or a bare number in quotes names no measure: “十五五”重大项目, “20条”等
_NOT_A_QUOTED_NAME_RE = re.compile(r"十[一二三四五六七八九]五|[\d一二三四五六七八九十百千万]+[条项个]?")


def _quote_near_left(text: str, hs: int) -> int:
    """Left edge (the opening quote) of the quoted name that a QUOTE_NEAR_HEADS head at ``hs`` follows, with at
    most QUOTE_NEAR_GAP Chinese characters between (“两重”项目, “33条”增量政策); -1 when there is none."""
    k = text.rfind("”", max(0, hs - QUOTE_NEAR_GAP - 1), hs)
    if k < 0 or not all("\u4e00" <= ch <= "\u9fff" and ch not in _NOT_IN_GAP for ch in text[k + 1 : hs]):
        return -1  # (“两新”等政策, “走出去”的政策: the head is no part of the name)
    j = text.rfind("“", max(0, k - QUOTED_MAX), k)
    if j < 0 or k - j < 2 or not _QUOTED_NAME_RE.fullmatch(text, j + 1, k):
        return -1
    if _NOT_A_QUOTED_NAME_RE.fullmatch(text, j + 1, k) or _flat(text[j + 1 : k]) in load_gazetteer().by_variant:
        return -1  # (“揭榜挂帅”项目: the known name is the measure, the gazetteer finds it)
    if text[j + 1 : k].endswith(_HEAD_ENDINGS):
        return -1  # “国家山水工程”江苏项目: the quoted name is a measure by its own head (found from it)
    if text.startswith("活动", hs) and k + 1 < hs and not text.startswith("系列", k + 1):
        return -1  # an event with a word between: “台独”分裂活动 (but “苏新消费”系列活动)
    return j


def _quoted_list_cands(text: str, titles: Mask | None, heads: list[LiteralMatch]) -> list[_Cand]:
    """The quoted names of a list that 等 + a measure head closes (see QUOTED_LIST_RE): each names a measure of
    the head's kind, with its quotes as its surface; a name the gazetteer knows is left to it."""
    lists: dict[int, tuple[re.Match[str], str]] = {}  # list start -> (its match, the last head that closes it)
    for hs, he, head in heads:
        window = max(0, hs - QUOTED_LIST_REACH)
        if "”等" not in text[window:hs] or head in NOT_LIST_HEADS:
            continue
        if _HEAD_RULES[head][0].match(text, he):
            continue  # the head word is a modifier here: “生命通道”等安全隐患专项整治 (no 专项 is named)
        m = QUOTED_LIST_RE.search(text, window, hs)
        if m is not None:
            lists[m.start()] = m, head  # 等系统工程: 工程, not 系统; 等项目建设模式: 模式
    out: list[_Cand] = []
    by_variant = load_gazetteer().by_variant
    for m, head in lists.values():
        for item in _QUOTED_ITEM_RE.finditer(text, m.start(), m.end()):
            name = _flat(item.group(1))
            if titles is not None and not titles.free(item.start(), item.end()):
                continue
            if name in by_variant or name in GENERIC_NAMES or _NOT_A_QUOTED_NAME_RE.fullmatch(name):
                continue
            out.append(_Cand(item.start(), item.end(), item.group(), name, HEADS[head]))
    return out


def _package_cands(text: str, titles: Mask | None, packages: list[LiteralMatch]) -> list[_Cand]:
    """Candidates of the named policy packages (``packages``: ``package_matches`` of ``text``) outside titles."""
    out = []
    for s, e, surface in packages:
        if titles is None or titles.free(s, e):
            out.append(_Cand(s, e, surface, surface.replace("“", "").replace("”", ""), "program"))
    return out


def _title_mask(text: str) -> Mask | None:
    """The 《titles》 of a paragraph (measures inside them belong to rules); None when it has none."""
    if "《" not in text:
        return None
    titles = Mask(len(text))
    for m in TITLE_RE.finditer(text):
        titles.take(m.start(), m.end())
    return titles


def _block_mentions(
    text: str,
    tokens: Tokens | None,
    heads: list[LiteralMatch],
    names: list[LiteralMatch],
    offset: int,
    packages: list[LiteralMatch] | None = None,
) -> list[_Cand]:
    """Measure mentions of one paragraph from its head, gazetteer and package matches, overlaps resolved
    longest-first."""
    if not heads and not names and not packages:  # most paragraphs: nothing to tag, nothing to check
        return []
    titles = _title_mask(text)
    listed: list[_Cand] = []
    cands = _pattern_cands(text, tokens, titles, heads, listed) if heads else []
    if heads and "”等" in text:
        cands += _quoted_list_cands(text, titles, heads)
    if names:
        cands += _gazetteer_cands(text, titles, names)
    if packages:
        cands += _package_cands(text, titles, packages)
    if listed:
        cands += _list_items(text, cands, listed)
    if len(cands) <= 1:
        for c in cands:
            c.start += offset
            c.end += offset
        return cands
    kept = _longest_first(cands)
    for c in kept:
        c.start += offset
        c.end += offset
    return kept


def _longest_key(c: _Cand) -> tuple[int, int]:
    return c.start - c.end, c.start


_CAND_START = attrgetter("start")


def _longest_first(cands: list[_Cand]) -> list[_Cand]:
    """The candidates that no longer (or, as long, earlier) one overlaps, in text order. A paragraph has a few
    candidates, so each is checked against the kept spans directly (no character mask)."""
    cands.sort(key=_longest_key)
    kept: list[_Cand] = []
    spans: list[tuple[int, int]] = []  # the kept candidates' spans
    for c in cands:
        start, end = c.start, c.end
        if start >= end:  # an empty span overlaps nothing and claims nothing
            kept.append(c)
            continue
        for ks, ke in spans:
            if ks < end and start < ke:
                break
        else:
            kept.append(c)
            spans.append((start, end))
    kept.sort(key=_CAND_START)
    return kept


def find_measure_mentions(text: str, tokens: Tokens | None = None, *, offset: int = 0) -> list[_Cand]:
    """Measure mentions in one paragraph ``text`` (offsets shifted by ``offset``), overlaps resolved longest-first.

    ``tokens`` are the paragraph's (word, jieba tag) pairs; the paragraph is tagged afresh when they do not spell
    ``text`` (and only when a head needs them)."""
    if not text:
        return []
    heads, names = _literal_matches(text)
    return _block_mentions(text, tokens, heads, names, offset, package_matches(text))


def _blocks_in_text(document: Document) -> bool:
    """Does every block's text stand at its ``char_start`` in ``document.text``, in increasing order (as
    ``Document.text == "\n".join(blocks)`` makes it)? Then the whole text can be scanned at once."""
    text, prev = document.text, -1
    for b in document.blocks:
        if b.char_start <= prev or not text.startswith(b.text, b.char_start):
            return False
        prev = b.char_start
    return True


def _matches_by_block(
    document: Document, matches: list[LiteralMatch], spans: tuple[list[int], list[int]] | None = None
) -> dict[int, list[LiteralMatch]]:
    """Document-level matches grouped by block index, in block-relative offsets (ones outside blocks dropped);
    ``spans``: the blocks' starts and ends (``_block_spans``), when the caller has them."""
    bstarts, bends = spans if spans is not None else _block_spans(document)
    out: dict[int, list[LiteralMatch]] = {}
    bi, nblocks = -1, len(bstarts)
    cs = ce = -1
    for s, e, lit in matches:  # ascending starts: walk the blocks along
        while s >= ce and bi + 1 < nblocks and bstarts[bi + 1] <= s:
            bi += 1
            cs = bstarts[bi]
            ce = bends[bi]
        if cs <= s and e <= ce:
            out.setdefault(bi, []).append((s - cs, e - cs, lit))
    return out


_CHAR_START = attrgetter("char_start")
_TEXT = attrgetter("text")


def _block_spans(document: Document) -> tuple[list[int], list[int]]:
    """Start and end offsets of the document's blocks (end = start + length of the block's text)."""
    starts = list(map(_CHAR_START, document.blocks))
    return starts, list(map(add, starts, map(len, map(_TEXT, document.blocks))))


def _iter_block_mentions(document: Document, tokens: list[Tokens] | None) -> Iterator[list[_Cand]]:
    """Per block with any mention, its mentions in document offsets; the heads and gazetteer names are found in
    one pass over the whole text, so blocks without any are never looked at again."""
    blocks = document.blocks
    if not _blocks_in_text(document):
        for bi, block in enumerate(blocks):
            btoks = tokens[bi] if tokens is not None and bi < len(tokens) else None
            yield find_measure_mentions(block.text, btoks, offset=block.char_start)
        return
    heads, names = _literal_matches(document.text)
    spans = _block_spans(document)
    heads_in, names_in = _matches_by_block(document, heads, spans), _matches_by_block(document, names, spans)
    packages_in = _matches_by_block(document, package_matches(document.text), spans)
    for bi in sorted(heads_in.keys() | names_in.keys() | packages_in.keys()):
        block = blocks[bi]
        btoks = tokens[bi] if tokens is not None and bi < len(tokens) else None
        yield _block_mentions(
            block.text, btoks, heads_in.get(bi, []), names_in.get(bi, []), block.char_start, packages_in.get(bi)
        )


def iter_measure_mentions(
    document: Document, *, tokens: list[Tokens] | None = None
) -> Iterator[MeasureMention]:
    """Every measure mention of a document with provenance; ``tokens`` = per block (word, jieba tag) lists."""
    loc = Locator(document)
    for cands in _iter_block_mentions(document, tokens):
        for c in cands:
            section, paragraph, sentence = loc.where(c.start)
            yield MeasureMention(
                document.doc, section, paragraph, sentence, c.start, c.end, c.surface, c.canonical, c.kind
            )


_START = attrgetter("char_start")


def _merge_bracket_synonyms(groups: dict[str, list[MeasureMention]]) -> None:
    """Count the short name a document gives a measure in brackets as that measure: after
    数据出境管理清单（负面清单）, a bare 负面清单 in the same document is that list (merged in place)."""
    for key in [k for k in groups if "（" in k]:
        for synonym in BRACKET_SYNONYM_RE.findall(key):
            if synonym != key and synonym in groups and key in groups:
                groups[key].extend(groups.pop(synonym))


# A short name declared right after a measure: …制度试点（以下称1+X证书制度试点）, …综合试验区（简称“综试区”）
SHORT_NAME_RE = re.compile(r"[（(](?:以下)?(?:简称|下称|称)为?[“\"]?([^（）()“”\"\n]{2,20}?)[”\"]?[）)]")


def _merge_declared_short_names(text: str, groups: dict[str, list[MeasureMention]]) -> None:
    """Count the mentions of a short name that the text declares for a measure (（以下称X）) as that measure's."""
    by_canonical = {_flat(ms[0].surface): key for key, ms in groups.items()}
    for key in list(groups):
        ms = groups.get(key)
        if not ms:
            continue
        for m in ms:
            declared = SHORT_NAME_RE.match(text, m.char_end, m.char_end + 26)
            if declared is None:
                continue
            short = canonical_measure(_flat(declared.group(1)))[0]
            other = short if short in groups else by_canonical.get(_flat(declared.group(1)))
            if other is not None and other != key and other in groups:
                ms.extend(groups.pop(other))
            break


def extract_measures(document: Document, *, tokens: list[Tokens] | None = None) -> list[Measure]:
    """Distinct named measures of a document, first mention first, mentions counted per canonical name."""
    groups: dict[str, list[MeasureMention]] = {}
    for m in iter_measure_mentions(document, tokens=tokens):
        # a name with and without its acronym in brackets is one measure (named with the acronym)
        key = TRAIL_ACRONYM_RE.sub("", m.canonical) if m.canonical.endswith("）") else m.canonical
        groups.setdefault(key, []).append(m)
    _merge_bracket_synonyms(groups)
    _merge_declared_short_names(document.text, groups)
    out = []
    for ms in groups.values():
        if len(ms) == 1:
            f = ms[0]
            canonical = f.canonical
        else:
            f = min(ms, key=_START)
            canonical = max((m.canonical for m in ms), key=len)
        out.append(
            Measure(
                f.doc,
                f.section,
                f.paragraph,
                f.sentence,
                f.char_start,
                f.char_end,
                f.surface,
                canonical,
                f.kind,
                len(ms),
            )
        )
    out.sort(key=lambda m: m.char_start)
    return out


def measures_component(doc):  # type: ignore[no-untyped-def]
    """spaCy component: measure mentions as ``doc.spans["measures"]`` (label = kind, kb_id = canonical).

    Uses the Doc's own tokens and their ``tag_`` (jieba tags when the tokenizer sets them)."""
    tokens = [(t.text_with_ws, t.tag_ or "n") for t in doc]
    spans = []
    for c in find_measure_mentions(doc.text, tokens):
        span = doc.char_span(c.start, c.end, label=c.kind, kb_id=c.canonical, alignment_mode="expand")
        if span is not None:
            spans.append(span)
    doc.spans["measures"] = spans
    return doc


register_span_component("zh_measures", measures_component)
