"""Numeric facts: tables of sentences -> expected facts, and sentences that hold no fact."""

from __future__ import annotations

import pytest

from nlp.document import Block, DocMeta, Document, Sentence
from nlp.extract.cn_numbers import parse_number, split_magnitude, year_in_digits
from nlp.extract.numbers import extract_facts, facts_in_table, facts_in_text
from nlp.extract.regions import find_regions


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("4295.58亿", 429558000000.0),
        ("1.7万亿", 1.7e12),
        ("两百", 200.0),
        ("三千", 3000.0),
        ("一千二百三十四万", 12340000.0),
        ("六十四万零一百四十三", 640143.0),
        ("二〇二三", 2023.0),
        ("1,234.5", 1234.5),
        ("百分之三十", 30.0),
        ("肆佰叁拾萬", 4300000.0),
    ],
)
def test_parse_number(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("百分之七十七点五", 77.5),
        ("七十七点五", 77.5),
        ("三点零五", 3.05),
        ("零点八", 0.8),
        ("一点二万", 12000.0),
        ("二点五亿", 2.5e8),
        ("一百七十八点六", 178.6),
    ],
)
def test_parse_number_reads_dian_as_the_decimal_point(text: str, value: float) -> None:
    assert parse_number(text) == value  # exact: the digits after 点 are read as written


@pytest.mark.parametrize("text", ["七十七点", "点", "七十点五点三"])
def test_parse_number_rejects_a_dian_without_decimals(text: str) -> None:
    with pytest.raises(ValueError):
        parse_number(text)


def test_percent_in_words_with_decimals_is_a_fact() -> None:
    facts = facts_in_text("现代工业的产值增长了百分之七十七点五，手工业增长百分之四十八点五。")
    assert [(f.number, f.value, f.unit, f.kind, f.comparison) for f in facts] == [
        ("百分之七十七点五", 77.5, "%", "percent", "增长"),
        ("百分之四十八点五", 48.5, "%", "percent", "增长"),
    ]


def test_split_magnitude_moves_wan_yi_to_the_unit() -> None:
    assert split_magnitude("4295.58亿") == ("4295.58", "亿")
    assert split_magnitude("万亿") == ("", "万亿")


# (sentence, number, value, value_max, unit, kind, approx, year, region, comparison, indicator)
FACT_CASES = [
    (
        "2021年江苏省软件业务收入为1.2万亿元。",
        "1.2",
        1.2,
        None,
        "万亿元",
        "money",
        False,
        "2021",
        "江苏省",
        None,
        "软件业务收入",
    ),
    (
        "截至2022年底，全省共有高新技术企业超4.4万家。",
        "4.4",
        4.4,
        None,
        "万家",
        "count",
        True,
        "2022年底",
        None,
        None,
        "高新技术企业",
    ),
    (
        "2019年成都市实际利用外资约85亿美元。",
        "85",
        85.0,
        None,
        "亿美元",
        "money",
        True,
        "2019",
        "成都市",
        None,
        "实际利用外资",
    ),
    (
        "2020年深圳进出口总额3.05万亿元，同比增长2.4%。",
        "2.4",
        2.4,
        None,
        "%",
        "percent",
        False,
        "2020",
        "深圳市",
        "同比增长",
        "进出口总额增速",
    ),
    (
        "2018年服务外包收入占服务贸易总额的35.2%。",
        "35.2",
        35.2,
        None,
        "%",
        "percent",
        False,
        "2018",
        None,
        "占比",
        "服务外包收入占服务贸易总额比重",
    ),
    ("审批时限压缩至7-10天。", "7-10", 7.0, 10.0, "天", "duration", False, None, None, None, None),
    (
        "西部地区累计建成两百余个物流园区。",
        "两百余",
        200.0,
        None,
        "个",
        "count",
        True,
        None,
        "西部地区",
        None,
        "物流园区",
    ),
    (
        "2022年全市网络零售额较上年增长近1.5倍。",
        "1.5",
        1.5,
        None,
        "倍",
        "multiple",
        True,
        "2022",
        None,
        "同比增长",
        None,
    ),
    (
        "2023年上半年我国光缆线路长度达6000万公里。",
        "6000",
        6000.0,
        None,
        "万公里",
        "length",
        False,
        "2023年上半年",
        "我国",
        None,
        "光缆线路长度",
    ),
    (
        "今年1月至9月，跨境电商进口额下降3.2个百分点。",
        "3.2",
        3.2,
        None,
        "个百分点",
        "percent",
        False,
        "2024年1月至9月",
        None,
        "下降",
        None,
    ),
    (
        "预计2025年市场规模将突破万亿元。",
        "万亿",
        1.0,
        None,
        "万亿元",
        "money",
        True,
        "2025",
        None,
        None,
        "市场规模",
    ),
    (
        "全国数据中心算力达到197EFLOPS。",
        "197",
        197.0,
        None,
        "EFLOPS",
        "compute",
        False,
        None,
        "全国",
        None,
        "数据中心算力",
    ),
    (
        "2015-2019年，该省数字服务出口年均增长12.5%。",
        "12.5",
        12.5,
        None,
        "%",
        "percent",
        False,
        "2015-2019",
        None,
        "年均增速",
        "数字服务出口年均增速",
    ),
    ("新建5G基站3000个以上。", "3000", 3000.0, None, "个", "count", True, None, None, None, "新建5G基站"),
    # a word that opens with a conjunction's character keeps it (和美乡村, 及时率); a conjunction does not
    ("和美乡村覆盖率达60%以上。", "60", 60.0, None, "%", "percent", True, None, None, None, "和美乡村覆盖率"),
    ("投诉处理及时率达98%。", "98", 98.0, None, "%", "percent", False, None, None, None, "投诉处理及时率"),
    ("、和蔬菜产量达5万吨。", "5", 5.0, None, "万吨", "other", False, None, None, None, "蔬菜产量"),
    # 提升 after a works verb upgrades the things counted: no comparison (a rise keeps its own)
    ("改造提升老旧厂房40处。", "40", 40.0, None, "处", "count", False, None, None, None, "改造提升老旧厂房"),
    ("改造提升后客流量增长12%。", "12", 12.0, None, "%", "percent", False, None, None, "增长", "改造提升后客流量增速"),
]


@pytest.mark.parametrize(
    (
        "text",
        "number",
        "value",
        "value_max",
        "unit",
        "kind",
        "approx",
        "year",
        "region",
        "comparison",
        "indicator",
    ),
    FACT_CASES,
)
def test_fact_from_sentence(
    text: str,
    number: str,
    value: float,
    value_max: float | None,
    unit: str,
    kind: str,
    approx: bool,
    year: str | None,
    region: str | None,
    comparison: str | None,
    indicator: str | None,
) -> None:
    facts = facts_in_text(text, doc_year=2024)
    match = [f for f in facts if f.number == number and f.unit == unit]
    assert match, [(f.number, f.unit) for f in facts]
    f = match[-1]
    assert f.value == pytest.approx(value)
    assert f.value_max == (pytest.approx(value_max) if value_max is not None else None)
    assert (f.kind, f.approx, f.year, f.region, f.comparison) == (kind, approx, year, region, comparison)
    if indicator is not None:
        assert f.indicator == indicator
    assert text[f.char_start : f.char_end].startswith(number[0])


def test_scaled_value_and_currency() -> None:
    (f,) = facts_in_text("广东省数字服务贸易进出口总额为4295.58亿元。")
    assert f.scaled_unit == "CNY" and f.scaled_value == pytest.approx(429558000000.0)
    (g,) = facts_in_text("香港的投资额达120亿港元。")
    assert g.scaled_unit == "HKD" and g.scaled_value == pytest.approx(1.2e10)


def test_list_sharing_one_unit() -> None:
    facts = facts_in_text("各领域用户规模分别为7.99亿、4.54亿和2.65亿户。")
    assert [(f.value, f.unit) for f in facts] == [(7.99, "亿户"), (4.54, "亿户"), (2.65, "亿户")]
    assert len({f.indicator for f in facts}) == 1


def test_relative_year_kept_literal_without_document_year() -> None:
    (f,) = facts_in_text("今年全市新增企业1200家。")
    assert f.year == "今年"
    (g,) = facts_in_text("今年全市新增企业1200家。", doc_year=2021)
    assert g.year == "2021"


def test_fraction_and_ratio() -> None:
    (f,) = facts_in_text("数字经济约占地区生产总值的1/5。")
    assert f.number == "1/5" and f.value == pytest.approx(0.2)
    (g,) = facts_in_text("男女比例为1:3。")
    assert g.value == pytest.approx(1 / 3)
    # typeset text writes a ratio with the ratio sign (U+2236) and a fraction with a full-width slash
    (h,) = facts_in_text("城乡居民收入比缩小至2.04∶1。")
    assert (h.number, h.indicator) == ("2.04∶1", "城乡居民收入比") and h.value == pytest.approx(2.04)
    (i,) = facts_in_text("服务业约占地区生产总值的1／4。")
    assert i.number == "1／4" and i.value == pytest.approx(0.25)


NOT_FACTS = [
    "2019年中共中央、国务院印发规划纲要。",  # a year alone
    "马忠述（2018年）认为数字贸易经历了两个发展阶段。",  # citation year, enumeration
    "详见第3章第2节和图4。",  # section and figure numbers
    "第二届进博会于上海举行。",  # ordinal
    "一是加强顶层设计，二是完善政策体系。",  # list ordinals
    "依托5G技术和6G研发，推进“十四五”规划。",  # numbers inside names
    "根据《中国数字贸易发展报告2022》和《“十四五”服务贸易发展规划》。",  # inside titles
    "落实“两个毫不动摇”。",  # quoted term
    "开展一批试点，形成一个机制。",  # 一 as an article
    "近5年来发展迅速，实施三年行动计划。",  # time windows, programme names
    "请拨打12345热线或访问v2.0版本。",  # phone and version numbers
    "算力达每秒百亿亿次浮点运算。",  # a rate's denominator
    "在全国排名前10名。",  # a rank
    "落实落细民营经济32条政策，出台服务业高质量发展30条措施。",  # numbers inside the names of policy packages
    "落实人才振兴60条，出台“营商环境创新提升59条”。",
]


def test_medal_tally_counts_each_medal_of_the_games() -> None:
    facts = facts_in_text("我省运动员在2024年巴黎奥运会上斩获8金4银4铜、金牌数居全国首位，引进3金融机构。")
    got = [(f.number, f.unit, f.kind, f.indicator, f.year) for f in facts]
    assert got == [
        ("8", "金", "count", "巴黎奥运会金牌数", "2024"),
        ("4", "银", "count", "巴黎奥运会银牌数", "2024"),
        ("4", "铜", "count", "巴黎奥运会铜牌数", "2024"),
    ]
    assert [(f.number, f.indicator) for f in facts_in_text("在世界技能大赛上获得1金。")] == [("1", "世界技能大赛金牌数")]


def test_share_written_as_a_fraction_of_a_whole() -> None:
    facts = facts_in_text("新能源汽车产量增长43%、占全国1/4。")
    share = [f for f in facts if f.number == "1/4"]
    assert len(share) == 1 and share[0].value == 0.25 and share[0].comparison == "占比"
    assert share[0].indicator == "新能源汽车产量占全国比重"


def test_a_count_of_the_places_listed_takes_none_of_them_as_region() -> None:
    text = "京津冀、上海、广东（珠三角）、四川（成德绵）、湖北武汉、辽宁沈阳等8个区域开展改革试验。"
    (fact,) = facts_in_text(text)
    assert (fact.number, fact.unit, fact.region) == ("8", "个", None)
    assert facts_in_text("成都新增企业300个。")[0].region == "成都市"


def test_a_count_of_measures_is_still_a_fact() -> None:
    # no name before the number: 20条措施 counts measures (and 14条 counts routes)
    got = [(f.number, f.unit) for f in facts_in_text("出台20条措施，新开集装箱航线14条。")]
    assert got == [("20", "条"), ("14", "条")]


@pytest.mark.parametrize("text", NOT_FACTS)
def test_not_a_fact(text: str) -> None:
    assert facts_in_text(text) == []


def test_regions_gazetteer() -> None:
    found = [(r.surface, r.canonical) for r in find_regions("广州和粤港澳大湾区、中西部地区以及大同市。")]
    assert found == [
        ("广州", "广州市"),
        ("粤港澳大湾区", "粤港澳大湾区"),
        ("中西部地区", "中西部地区"),
        ("大同市", "大同市"),
    ]
    assert find_regions("世界大同，全球规模最大") == []  # bare 大同 is a word; 全球最大 is a rank


def _doc(blocks: list[Block], sentences: list[Sentence], year: int | None = None) -> Document:
    text = "\n".join(b.text for b in blocks)
    return Document("t.txt", "t.txt", "", len(text), text, blocks, sentences, DocMeta(year=year))


def test_table_facts_take_indicator_year_and_unit_from_headers() -> None:
    rows = [
        ["表1 广东省跨境电商"],
        ["年份", "出口总额（单位：亿元）", "进口总额（单位：亿元）"],
        ["2020", "1286.26", "486.43"],
    ]
    block = Block(idx=0, kind="table", text="\n".join("\t".join(r) for r in rows), rows=rows)
    facts = facts_in_table(block, doc="t.txt")
    assert [(f.value, f.unit, f.year, f.indicator, f.source) for f in facts] == [
        (1286.26, "亿元", "2020", "跨境电商出口总额", "table"),  # the caption's subject + a short column
        (486.43, "亿元", "2020", "跨境电商进口总额", "table"),
    ]
    assert facts[0].region == "广东省"
    assert block.text[facts[1].char_start : facts[1].char_end] == "486.43"


def test_extract_facts_provenance_and_paragraph_context() -> None:
    p0 = "截至2023年底，江苏省5G基站达18万个。占全省移动基站的25%。"
    blocks = [Block(idx=0, kind="prose", text=p0, section=("一、基础设施",), char_start=0, char_end=len(p0))]
    cut = p0.index("。") + 1
    sents = [Sentence(0, 0, p0[:cut], 0, cut), Sentence(0, 1, p0[cut:], cut, len(p0))]
    facts = extract_facts(_doc(blocks, sents, year=2024))
    assert [(f.value, f.unit) for f in facts] == [(18.0, "万个"), (25.0, "%")]
    second = facts[1]
    assert second.year == "2023年底" and second.region == "江苏省"  # inherited from the first sentence
    assert second.section == "一、基础设施" and second.paragraph == 0
    assert p0[second.char_start : second.char_end] == "25%"
    assert "5G基站" in (second.indicator or "")


def test_spacy_component_writes_fact_spans() -> None:
    spacy = pytest.importorskip("spacy")
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from nlp.extract.numbers import facts_component

    words = ["我国", "网上", "零售额", "达", "15.42", "万亿", "元", "，", "增长", "11", "%", "。"]
    doc = facts_component(Doc(Vocab(), words=words, spaces=[False] * len(words)))
    assert [(s.text, s.label_) for s in doc.spans["facts"]] == [("15.42万亿元", "money"), ("11%", "percent")]
    assert doc.spans["facts"][0]._.fact.value == 15.42
    nlp = spacy.blank("zh")
    nlp.add_pipe("zh_facts")
    assert len(nlp("跨境电商主体已超10万家。").spans["facts"]) == 1


def test_section_heading_year_is_the_fallback_and_none_is_invented() -> None:
    heading = "一、2023年工作回顾"
    p1 = "全年国内生产总值超过126万亿元。"
    p2 = "城镇新增就业1244万人。"
    blocks = [
        Block(idx=0, kind="heading", text=heading, section=(), char_start=0, char_end=len(heading)),
        Block(idx=1, kind="prose", text=p1, section=(heading,)),
        Block(idx=2, kind="prose", text=p2, section=()),
    ]
    pos = 0
    sents = []
    for b in blocks:
        b.char_start, b.char_end = pos, pos + len(b.text)
        sents.append(Sentence(b.idx, 0, b.text, b.char_start, b.char_end))
        pos = b.char_end + 1
    facts = extract_facts(_doc(blocks, sents, year=2024))
    assert [(f.value, f.year) for f in facts] == [(126.0, "2023"), (1244.0, None)]  # no heading year: none


def test_relative_heading_year_resolved_against_the_document_year() -> None:
    heading = "二、今年政府工作任务"
    p1 = "国内生产总值增长5%左右。"
    blocks = [
        Block(idx=0, kind="heading", text=heading, char_start=0, char_end=len(heading)),
        Block(idx=1, kind="prose", text=p1, section=(heading,), char_start=len(heading) + 1),
    ]
    blocks[1].char_end = blocks[1].char_start + len(p1)
    sents = [Sentence(1, 0, p1, blocks[1].char_start, blocks[1].char_end)]
    assert [f.year for f in extract_facts(_doc(blocks, sents, year=2024))] == ["2024"]
    assert [f.year for f in extract_facts(_doc(blocks, sents, year=None))] == [None]


def test_magnitude_before_a_unit_that_starts_with_a_numeral() -> None:
    facts = facts_in_text("发电能力将为四百零六万千瓦，电动机从六十四万千瓦增加到一百零五万千瓦。")
    assert [(f.number, f.value, f.unit, f.scaled_value) for f in facts] == [
        ("四百零六万", 406.0, "万千瓦", 4060000.0),
        ("六十四万", 64.0, "万千瓦", 640000.0),
        ("一百零五万", 105.0, "万千瓦", 1050000.0),
    ]


def test_region_inside_a_title_does_not_place_the_fact() -> None:
    p0 = "实施《中国制造2025》。淘汰落后产能9000多万吨。"
    cut = p0.index("。") + 1
    blocks = [Block(idx=0, kind="prose", text=p0, char_start=0, char_end=len(p0))]
    sents = [Sentence(0, 0, p0[:cut], 0, cut), Sentence(0, 1, p0[cut:], cut, len(p0))]
    facts = extract_facts(_doc(blocks, sents))
    assert [(f.value, f.region) for f in facts] == [(9000.0, None)]


@pytest.mark.parametrize(
    "text",
    [case[0] for case in FACT_CASES]
    + [
        "占比约为三分之一。",
        "两者之比为1:3。",
        "两者之比为2.04∶1。",
        "投资超过百分之二十。",
        "7.99亿、4.54亿和2.65亿户。",
        "突破万亿元。",
    ],
)
def test_fact_filter_never_skips_a_fact(text: str) -> None:
    from nlp.extract.numbers import _Scan

    facts = facts_in_text(text)
    assert facts  # the case has a fact ...
    may_start = set(_Scan(text).fact.tolist())  # ... so the sentence/paragraph filter must let it through
    assert all(f.char_start in may_start for f in facts), (text, sorted(may_start))


@pytest.mark.parametrize(
    "text",
    [
        "坚持一个中心，完善三项制度。",
        "统一部署，全面推进。",
        "五年来推进一批项目。",  # 五年, 一批: a lone numeral before a unit that is no money
    ],
)
def test_fact_filter_skips_text_without_quantities(text: str) -> None:
    from nlp.extract.numbers import _Scan

    assert len(_Scan(text).fact) == 0 and facts_in_text(text) == []


def test_scan_starts_give_exactly_the_finditer_matches(seed_paths) -> None:  # type: ignore[no-untyped-def]
    """CANDIDATE, TIME_RE, LIST hints and the gazetteer are tried only where the scan says they may start."""
    from nlp.extract import numbers as n
    from nlp.extract.regions import load_gazetteer
    from nlp.extract.scan import iter_matches_at

    gaz = load_gazetteer().pattern
    texts = [case[0] for case in FACT_CASES] + [
        "２０２３年增长５％，近５年、前三季度。",
        "今年1-9月，全球第一。",
    ]
    for path in seed_paths[:3]:
        texts += [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()][:80]
    for text in texts:
        scan = n._Scan(text)
        for rx, starts in [
            (n.CANDIDATE, scan.num),
            (n.TIME_RE, scan.time),
            (gaz, scan.region),
            (n.LIST_RE, scan.digit),
            (n._LIST_HINT, scan.digit_mag),
        ]:
            assert [m.span() for m in iter_matches_at(rx, text, starts)] == [
                m.span() for m in rx.finditer(text)
            ], (rx.pattern[:40], text)


def test_fast_paths_give_the_same_facts_as_the_sentence_loop_on_the_seeds(seed_paths) -> None:  # type: ignore[no-untyped-def]
    """extract_facts skips paragraphs and sentences by one scan's fact filter: reading every sentence finds no more."""
    import re

    from nlp.extract.numbers import _Context

    for path in seed_paths[:4]:
        paragraphs = [p for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]
        blocks, sents, pos = [], [], 0
        for i, para in enumerate(paragraphs):
            blocks.append(Block(idx=i, kind="prose", text=para, char_start=pos, char_end=pos + len(para)))
            for m in re.finditer(r"[^。！？；]+[。！？；]?", para):
                sents.append(Sentence(i, len(sents), m.group(), pos + m.start(), pos + m.end()))
            pos += len(para) + 1
        fast = extract_facts(_doc(blocks, sents))
        slow = []
        for b in blocks:
            ctx = _Context()
            for s in (s for s in sents if s.para == b.idx):
                slow.extend(
                    facts_in_text(s.text, offset=s.char_start, paragraph=b.idx, context=ctx, doc="t.txt")
                )
        assert [(f.char_start, f.value, f.unit) for f in fast] == [
            (f.char_start, f.value, f.unit) for f in slow
        ]


def test_speed_guards_never_hide_a_regex_match() -> None:
    """The first/last-character guards in front of regex calls must be supersets of what the regexes accept."""
    import re

    from nlp.extract import numbers as n
    from nlp.extract.regions import _dispatch_regex, load_gazetteer, trie_regex

    for pattern, first in [
        (n._LEAD, n._LEAD_FIRST),
        (n.ORDINAL_BEFORE, n._ORDINAL_FIRST),
        (n.APPROX_BEFORE, n._APPROX_FIRST),
        (n._WINDOW_BEFORE, n._WINDOW_BEFORE_FIRST),
        (n._ANY_COMPARISON, n._COMPARISON_FIRST),
    ]:
        assert first is not None
        words = re.findall(r"[\u4e00-\u9fffA-Za-z]+", pattern.pattern)
        for w in words:
            m = pattern.search(w)
            assert m is None or m.group()[:1] in first, (pattern.pattern, w)
    for w in re.findall(r"[\u4e00-\u9fff]+", n._TRAIL.pattern):
        assert n._strip_trail("指标" + w) == "指标"  # each filler ends in a character of _TRAIL_LAST
    for w in ["以上", "左右", "上下", "多", "余", "之多", "以内", "以下"]:
        assert n._approx_after("x" + w, 1) and n._approx_after("x " + w, 1)
    gaz = load_gazetteer()
    fast, plain = gaz.pattern, re.compile(trie_regex(list(gaz.names)))
    text = "2023年广东省、深圳市和全国的全球最大港口，内蒙古自治区与粤港澳大湾区。"
    assert [m.span() for m in fast.finditer(text)] == [m.span() for m in plain.finditer(text)]
    words = ["a", "ab", "abc", "b", "bcd", "ca"]
    d, t = re.compile(_dispatch_regex(words, group=2)), re.compile(trie_regex(words))
    for s in ["abcabca", "bcdab", "cab", "xabcdy", "caab"]:
        assert [m.span() for m in d.finditer(s)] == [m.span() for m in t.finditer(s)]


def test_comparison_in_one_pass_is_the_first_listed_pattern_found() -> None:
    """_comparison narrows the alternation of COMPARISONS step by step; a loop over the patterns is the reference."""
    import random

    from nlp.extract import numbers as n

    words = [
        "高于",
        "拉动",
        "复合增速",
        "年均增长",
        "同比增长",
        "较上年同期增长",
        "同比下降",
        "比重",
        "占比",
        "占全国",
    ]
    words += ["低于", "贡献率", "增速", "提高", "下降", "回落", "收入", "，", "的"]
    rng = random.Random(0)
    for _ in range(3000):
        prefix = "".join(rng.choice(words) for _ in range(rng.randint(0, 5)))
        expected = next((label for pat, label in n.COMPARISONS if pat.search(prefix)), None)
        if expected is None and n._SHARE_AFTER.match("的比重"):
            expected = "占比"
        assert n._comparison(prefix, "的比重") == expected, prefix


def test_fact_fields_keep_the_order_the_extractor_fills_them_in() -> None:
    """facts_in_text builds Fact positionally (speed): a change of the field order must show here."""
    from dataclasses import fields

    from nlp.extract.numbers import Fact

    assert [f.name for f in fields(Fact)] == [
        "doc", "section", "paragraph", "sentence", "char_start", "char_end", "number", "value", "value_max",
        "unit", "kind", "scaled_value", "scaled_unit", "approx", "year", "indicator", "region", "comparison",
        "source",
    ]  # fmt: skip


def test_candidate_units_as_tries_match_as_the_flat_alternations(seed_paths) -> None:  # type: ignore[no-untyped-def]
    """CANDIDATE reads magnitudes and units with trie-shaped alternations (speed); the flat longest-first
    alternations are the reference: same matches, same groups."""
    import re

    from nlp.extract import numbers as n

    unit = f"(?:{n._MAG_TRIE})?(?:{n._UNIT_TRIE})"
    assert n.CANDIDATE.pattern.count(unit) == 1
    flat = re.compile(n.CANDIDATE.pattern.replace(unit, f"(?:{n._MAG_RE})?(?:{n._UNIT_ALT})"), re.VERBOSE)
    texts = [case[0] for case in FACT_CASES] + ["五十万千瓦，3千万元，1.5万亿美元，2万标准箱，8个百分点。"]
    for path in seed_paths[:3]:
        texts.append(path.read_text(encoding="utf-8")[:20000])
    for text in texts:
        assert [m.groupdict() | {"span": m.span()} for m in n.CANDIDATE.finditer(text)] == [
            m.groupdict() | {"span": m.span()} for m in flat.finditer(text)
        ]


def test_comparison_search_at_matches_plain_search():
    """The position-guarded search used by _comparison finds what a plain regex search finds."""
    from nlp.extract import numbers as n

    prefixes = [
        "同比增长",
        "全市地区生产总值比上年增长",
        "占全国的",
        "其中出口",
        "较去年同期下降",
        "高于全国增速",
        "",
    ]
    for p in prefixes:
        for rx in n._ANY_FIRST_K[1:]:
            for pos in range(len(p) + 1):
                want, got = rx.search(p, pos), n._search_at(rx, p, pos)
                assert (want and (want.span(), want.lastindex)) == (got and (got.span(), got.lastindex))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the values after 分别 take the years listed before it, in order, and share the indicator between them
        (
            "2018年、2019年和2020年广州数字贸易增速分别为51.7%、70.6%和49.7%。",
            [
                ("51.7", "2018", "数字贸易增速"),
                ("70.6", "2019", "数字贸易增速"),
                ("49.7", "2020", "数字贸易增速"),
            ],
        ),
        ("一季度、二季度GDP分别增长5.3%和4.7%。", [("5.3", "一季度", "GDP增速"), ("4.7", "二季度", "GDP增速")]),
        (
            "单位国内生产总值能耗和化学需氧量排放量比上年分别下降3.14%和4.66%。",
            [
                # one item per value: each value gets its item (a percent change is named as a rate)
                ("3.14", None, "单位国内生产总值能耗降幅"),
                ("4.66", None, "化学需氧量排放量降幅"),
            ],
        ),
    ],
)
def test_respectively_enumerations_get_their_years_and_indicator(text, expected):
    facts = facts_in_text(text)
    assert [(f.number, f.year, f.indicator) for f in facts] == expected
    assert all(f.comparison for f in facts)  # 分别增长/下降 is read once, before the first value


def test_respectively_stops_at_a_comma():
    facts = facts_in_text("二氧化硫、氮氧化物排放量分别下降5.6%和4%，74个重点城市细颗粒物浓度下降。")
    # the head 排放量 the last item shows goes with every item
    assert [f.indicator for f in facts][:2] == ["二氧化硫排放量降幅", "氮氧化物排放量降幅"]
    assert "排放量" not in (facts[2].indicator or "")


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("服务贸易增速分别为5.1%、9.3%和-4.9%。", [("5.1", 5.1), ("9.3", 9.3), ("-4.9", -4.9)]),
        ("全市GDP增长-2.1%。", [("-2.1", -2.1)]),
        ("2014-2019年增长12%。", [("12", 12.0)]),  # a range of years, no minus sign
    ],
)
def test_negative_numbers_after_a_verb_or_separator(text, numbers):
    assert [(f.number, f.value) for f in facts_in_text(text)] == numbers


@pytest.mark.parametrize(
    ("text", "numbers"),
    [
        ("营收超十亿元企业13家。", ["13"]),  # the amount defines the category of firms
        ("全市亿元以上项目120个，总投资达到5000亿元。", ["120", "5000"]),
        ("全年完成投资300亿元的项目建设。", ["300"]),  # an amount, not a threshold
    ],
)
def test_money_that_defines_a_category_is_not_a_fact(text, numbers):
    assert [f.number for f in facts_in_text(text)] == numbers


def test_indicator_drops_trailing_adverbs_but_keeps_per_capita():
    (fact,) = facts_in_text("2019年，全市软件业增加值占GDP比重均在6%以下。")
    assert fact.indicator.endswith("比重")
    (fact,) = facts_in_text("2023年城镇居民人均可支配收入达到5.2万元。")
    assert fact.indicator == "城镇居民人均可支配收入"


def test_region_is_the_subject_not_the_whole_of_a_share_nor_a_word_tail() -> None:
    """占全国…比重 names what the share is taken of; 其中国家级 holds no 中国; 其他 keeps its 其."""
    facts = facts_in_text("深圳市软件业务收入占全国比重为9.5%，其中国家级企业超120家。其他服务进出口额为3.2亿美元。")
    by_number = {f.number: f for f in facts}
    assert by_number["9.5"].region == "深圳市"
    assert by_number["120"].region == "深圳市"
    assert by_number["3.2"].indicator == "其他服务进出口额"


def test_second_share_of_the_same_whole_does_not_repeat_it() -> None:
    facts = facts_in_text("佛山市家电出口规模占全省家电出口比重从2019年的12%提高到2021年的15%。")
    assert [f.indicator for f in facts] == ["家电出口规模占全省家电出口比重"] * 2
    assert [f.year for f in facts] == ["2019", "2021"]


def test_a_listed_count_takes_the_noun_after_the_list_word() -> None:
    facts = facts_in_text("全区共有市级示范企业21家和市级重点培育企业35家。")
    assert [(f.number, f.indicator) for f in facts] == [("21", "市级示范企业"), ("35", "市级重点培育企业")]


def test_respectively_a_share_of_the_quantities_before() -> None:
    """…A 300家，B 80亿元，分别占全市12%和25%: each share belongs to the quantity before it, in order."""
    facts = facts_in_text("2022年全区规模以上物流企业300家，物流业营业收入80亿元，分别占全市12%和25%。")
    shares = [f for f in facts if f.unit == "%"]
    assert [(f.indicator, f.comparison) for f in shares] == [
        ("规模以上物流企业占全市比重", "占比"),
        ("物流业营业收入占全市比重", "占比"),
    ]


def test_table_column_units_in_brackets_and_a_text_cell_naming_the_row_item() -> None:
    rows = [
        ["年份", "第1名", "金额", "同比 (%)", "第2名", "金额", "同比 (%)"],
        ["2021", "运输服务", "3.5", "-2.1", "旅行服务", "1.25", "40.5"],
    ]
    block = Block(idx=0, kind="table", text="\n".join("\t".join(r) for r in rows), rows=rows)
    facts = facts_in_table(block, doc="t.txt", header_lines=["表3 服务贸易主要类别（金额单位：亿美元）"])
    assert [(f.value, f.unit, f.indicator, f.comparison) for f in facts] == [
        (3.5, "亿美元", "运输服务（金额）", None),
        (-2.1, "%", "运输服务（同比）", "同比增长"),
        (1.25, "亿美元", "旅行服务（金额）", None),
        (40.5, "%", "旅行服务（同比）", "同比增长"),
    ]


def test_table_with_year_columns_takes_each_column_year_and_the_row_label_unit() -> None:
    # the transposed layout of a statistical bulletin: indicators in rows (their unit in brackets), years in columns
    rows = [
        ["表1 2019—2023年全市数字经济主要指标"],
        ["指标", "2019年", "2020年", "2021年", "2022年", "2023年"],
        ["数字经济核心产业增加值（亿元）", "1210", "1336", "1528", "1698", "1865"],
        ["5G基站（个）", "3200", "12600", "24800", "35100", "43700"],
    ]
    block = Block(idx=0, kind="table", text="\n".join("\t".join(r) for r in rows), rows=rows)
    facts = facts_in_table(block, doc="t.txt")
    assert [(f.value, f.unit, f.year, f.indicator) for f in facts[:5]] == [
        (1210.0, "亿元", "2019", "数字经济核心产业增加值"),
        (1336.0, "亿元", "2020", "数字经济核心产业增加值"),
        (1528.0, "亿元", "2021", "数字经济核心产业增加值"),
        (1698.0, "亿元", "2022", "数字经济核心产业增加值"),
        (1865.0, "亿元", "2023", "数字经济核心产业增加值"),  # 1865 under 2023年 is an amount, not a year
    ]
    assert facts[0].scaled_value == 1210e8 and facts[0].scaled_unit == "CNY"
    assert [(f.value, f.unit, f.year) for f in facts[5:]] == [
        (3200.0, "个", "2019"),
        (12600.0, "个", "2020"),
        (24800.0, "个", "2021"),
        (35100.0, "个", "2022"),
        (43700.0, "个", "2023"),
    ]


def test_table_caption_bracket_unit_and_subject_qualify_short_columns() -> None:
    rows = [["", "进出口", "出口"], ["2020", "31", "25"]]
    block = Block(idx=0, kind="table", text="\n".join("\t".join(r) for r in rows), rows=rows)
    facts = facts_in_table(block, doc="t.txt", header_lines=["表2 东莞市数字贸易占服务贸易比重（%）"])
    assert [(f.value, f.unit, f.kind, f.indicator) for f in facts] == [
        (31.0, "%", "percent", "数字贸易占服务贸易比重（进出口）"),
        (25.0, "%", "percent", "数字贸易占服务贸易比重（出口）"),
    ]


def test_from_a_to_b_over_a_year_range_dates_each_end() -> None:
    facts = facts_in_text("2010—2020年，全省外贸进出口总额由3.2万亿元增长至7.1万亿元，年均增长8.3%。")
    assert [(f.number, f.year) for f in facts] == [("3.2", "2010"), ("7.1", "2020"), ("8.3", "2010-2020")]


def test_an_amount_over_a_threshold_that_defines_a_category_is_no_fact() -> None:
    facts = facts_in_text("全市营收超亿元的制造和服务企业超过620家，建成总投资80亿元的港口项目。")
    assert [(f.number, f.unit) for f in facts] == [("620", "家"), ("80", "亿元")]


def test_a_rate_of_change_is_named_as_a_rate_and_a_rank_is_no_region() -> None:
    facts = facts_in_text("力争社会消费品零售总额增长6%，单位生产总值能耗下降3.2%，外贸规模居全国前列的企业达120家。")
    assert [(f.number, f.indicator) for f in facts[:2]] == [("6", "社会消费品零售总额增速"), ("3.2", "单位生产总值能耗降幅")]
    assert facts[-1].region != "全国"


def test_an_earlier_sentence_national_rank_does_not_place_a_provincial_fact() -> None:
    from nlp.extract.numbers import _Context

    ctx = _Context()
    facts_in_text("数字经济规模居全国第三位。", context=ctx, fallback_region="浙江省")
    facts = facts_in_text("新认定绿色工厂39家。", context=ctx, fallback_region="浙江省")
    assert [(f.number, f.region) for f in facts] == [("39", "浙江省")]
    ctx = _Context()
    facts_in_text("全国跨境电商进出口规模再创新高。", context=ctx)
    facts = facts_in_text("其中出口额为1.8万亿元。", context=ctx)  # a national text keeps the national context
    assert [(f.number, f.region) for f in facts] == [("1.8", "全国")]


def test_a_number_with_a_leading_zero_is_a_code_not_a_quantity() -> None:
    assert facts_in_text("咨询电话010-1234个，编号012项。") == []
    assert [f.number for f in facts_in_text("增长0.5个百分点，达0.35亿元。")] == ["0.5", "0.35"]


def test_a_second_share_in_another_whole_keeps_the_subject() -> None:
    facts = facts_in_text("2015—2022年，服务外包在全省服务出口中的占比从20%上升至31%，在全国服务外包中的占比从5%上升至7%。")
    assert [f.indicator for f in facts][2:] == ["服务外包在全国服务外包中的占比"] * 2


def test_enumerators_and_lead_verbs_are_no_part_of_an_indicator() -> None:
    facts = facts_in_text("八是推动农业保险覆盖率达到60%以上。")
    assert [(f.number, f.indicator) for f in facts] == [("60", "农业保险覆盖率")]


def test_respectively_items_with_a_shared_tail_each_get_their_own_indicator() -> None:
    facts = facts_in_text("截至2023年底，应用于智慧交通、智慧医疗等领域的规模分别为1.2亿和0.8亿户。")
    assert [f.indicator for f in facts] == ["智慧交通领域规模", "智慧医疗领域规模"]
    facts = facts_in_text("教育、卫生和文化事业的支出分别为120亿元、80亿元和30亿元。")
    assert [f.indicator for f in facts] == ["教育支出", "卫生支出", "文化事业支出"]


def test_a_bracketed_aside_starts_no_clause_and_value_added_is_no_rise() -> None:
    facts = facts_in_text("2020年南沙实现地区生产总值（GDP）1846.11亿元，同比增长7.1%；第二产业增加值为447.81亿元。")
    assert [(f.number, f.indicator, f.comparison) for f in facts] == [
        ("1846.11", "地区生产总值", None),
        ("7.1", "地区生产总值增速", "同比增长"),
        ("447.81", "第二产业增加值", None),
    ]


def test_a_share_in_brackets_belongs_to_the_count_just_before_it() -> None:
    facts = facts_in_text("全区共有国家级示范企业4家（占全省六分之一）、省级示范企业6家（占全省四分之一），为12家企业融资达2.5亿元。")
    assert [(f.number, f.indicator) for f in facts if "分之" in f.number] == [
        ("六分之一", "国家级示范企业占全省比重"),
        ("四分之一", "省级示范企业占全省比重"),
    ]
    assert next(f.indicator for f in facts if f.number == "12") == "企业融资"


def test_a_level_reached_is_no_rate_and_bare_items_alone_take_the_shared_head() -> None:
    facts = facts_in_text("新注册企业增长27.6%，民间投资比重上升到63%，广义货币M2预期增长13%左右。")
    assert [f.indicator for f in facts] == ["新注册企业增速", "民间投资比重", "广义货币M2增速"]
    facts = facts_in_text("单位国内生产总值用水量、能耗、二氧化碳排放量分别下降23%、15%、18%。")
    assert [f.indicator for f in facts] == ["单位国内生产总值用水量降幅", "能耗降幅", "二氧化碳排放量降幅"]


@pytest.mark.parametrize(
    "text, indicator",
    [
        ("我国的钢产量在一九五二年是一百三十五万吨。", "钢产量"),  # the 的 after a place that went
        ("服务业增加值占国内生产总值比重上升到51.6%。", "服务业增加值占国内生产总值比重"),  # no second 比重
        ("优化能源结构，煤炭消费比重下降2个百分点。", "煤炭消费比重"),
        ("财政性教育经费占国内生产总值比例继续保持在4%以上。", "财政性教育经费占国内生产总值比例"),
        ("耕地面积保持在18.2亿亩以上。", "耕地面积"),
        ("粮食产量继续保持在1.3万亿斤以上。", "粮食产量"),
        ("确保粮食播种面积稳定在8200万亩以上。", "粮食播种面积"),
        ("限额以上的建设单位共有六百九十四个。", "限额以上的建设单位"),
    ],
)
def test_indicators_lose_particles_and_the_verbs_after_a_share(text: str, indicator: str) -> None:
    assert [f.indicator for f in facts_in_text(text)] == [indicator]


def test_a_change_from_one_year_to_another_after_its_subject_clause() -> None:
    # the measure set off by a comma before 由/从 + a year: both values are of it, and the second is the level
    # reached (提高到), not a rate of change
    text = "全国研究与试验开发经费，从1997年的509亿元增加到2002年的1161亿元。研发投入强度，由2020年的2.4%提高到2024年的2.7%。"
    assert [(f.number, f.indicator) for f in facts_in_text(text)] == [
        ("509", "研究与试验开发经费"),
        ("1161", "研究与试验开发经费"),
        ("2.4", "研发投入强度"),
        ("2.7", "研发投入强度"),
    ]


def test_rate_names_drop_comparison_leftovers_but_keep_averages() -> None:
    facts = facts_in_text("进出口总额比1952年增长37.1%，养老金继续提高10%，营收两年平均增长11.4%，数字贸易占比增长2%。")
    assert [f.indicator for f in facts] == ["进出口总额增速", "养老金增速", "营收两年平均增速", "数字贸易占比增速"]


def test_full_width_digits_and_decimal_points_are_read_and_kept_as_written() -> None:
    from nlp.extract.numbers import ascii_digits

    text = "１９８７年国内财政收入达到２２４３．６亿元，劳动生产率将比上年提高17．2％。３．10种有色金属。"
    assert ascii_digits(text) == "1987年国内财政收入达到2243.6亿元，劳动生产率将比上年提高17.2％。3．10种有色金属。"
    doc = _doc(
        [Block(idx=0, kind="prose", text=text, section=("一",), char_start=0, char_end=len(text))],
        [Sentence(para=0, idx=0, text=text, char_start=0, char_end=len(text))],
    )
    facts = extract_facts(doc)
    assert [(f.number, f.value, f.unit, f.year) for f in facts] == [
        ("２２４３．６", 2243.6, "亿元", "1987"),
        ("17．2", 17.2, "％", "1987"),
        ("10", 10.0, "种", "1987"),
    ]
    assert facts[1].indicator == "劳动生产率增速"
    assert all(f.sentence == text and text[f.char_start : f.char_end].startswith(f.number) for f in facts)


def test_table_cells_with_full_width_digits() -> None:
    rows = [["年份", "收入（单位：亿元）"], ["１９８７", "２２４３．６"], ["1988", "2357.2"]]
    block = Block(idx=0, kind="table", text="\n".join("\t".join(r) for r in rows), rows=rows)
    facts = facts_in_table(block, doc="t.txt")
    assert [(f.number, f.value, f.year, f.unit) for f in facts] == [
        ("２２４３．６", 2243.6, "1987", "亿元"),
        ("2357.2", 2357.2, "1988", "亿元"),
    ]
    assert block.text[facts[0].char_start : facts[0].char_end] == "２２４３．６"


# ------------------------------------------------------------------ generalisation (session 4): patterns found by
# reading the facts of unseen reports (seed 001, provincial work reports, State Council documents)
def _one_paragraph(text: str, title: str = "") -> Document:
    """A document of one prose paragraph, its sentences split at 。 (title: the document's title, for its place)."""
    block = Block(idx=0, kind="prose", text=text, section=(), char_start=0, char_end=len(text))
    sents, start = [], 0
    for i, part in enumerate(text.split("。")):
        if part:
            end = start + len(part) + (1 if start + len(part) < len(text) else 0)
            sents.append(Sentence(0, i, text[start:end], start, end))
            start = end
    return Document("t.txt", "t.txt", "", len(text), text, [block], sents, DocMeta(title=title or None))


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("亚太信息引擎等228个大型数据中心进展顺利。", "大型数据中心"),  # the predicate is no part of the noun
        ("带动十五个特色功能区多点发展。", "特色功能区"),
        ("今年57个项目要加快建设。", "项目"),
        ("首批10个营商环境改革试点落地。", "营商环境改革试点"),
        ("在全国105个跨境电商综试区城市中，广州位列首位。", "跨境电商综试区城市"),
        # a predicate that defines what is counted stays (the gold names 建立…机制的国家数)
        ("我国已与30个国家建立双边电子商务合作机制。", "国家建立双边电子商务合作机制"),
        ("12家医院位列国家公立综合医院百强。", "医院位列国家公立综合医院百强"),
        ("4部作品获全国精神文明建设“五个一工程”奖。", "作品获全国精神文明建设“五个一工程”奖"),  # a quoted name
        # guarded words inside nouns
        ("惠及6.1万户城乡居民。", "城乡居民"),
        ("新增100个重点建设项目。", "重点建设项目"),
        ("建成3所示范性普通高中。", "示范性普通高中"),
    ],
)
def test_count_indicator_stops_where_the_predicate_starts(text: str, indicator: str) -> None:
    facts = facts_in_text(text)
    assert [f.indicator for f in facts] == [indicator]


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("软件和信息服务业实现营业收入4913.58亿元。", "软件和信息服务业营业收入"),  # 实现 joins subject and measure
        ("行业从业人员53.8万人。", "行业从业人员"),  # 从业 is no 从…到
        ("城镇调查失业率平均为5.1%。", "城镇调查失业率"),
        ("企业出口退税办理时间压缩至6个工作日。", "企业出口退税办理时间"),
        ("财政性教育经费支出占国内生产总值比例为4%。", "财政性教育经费支出占国内生产总值比例"),  # no 比例比重
    ],
)
def test_indicator_drops_joining_verbs_and_trailing_fillers(text: str, indicator: str) -> None:
    assert [f.indicator for f in facts_in_text(text)] == [indicator]


def test_rank_lists_and_rank_phrases_name_no_place() -> None:
    assert find_regions("海格等六家企业入选中国软件百强") == []
    assert find_regions("培育全国领军企业超50家") == []
    assert find_regions("3家入选2021全球独角兽榜") == []
    assert find_regions("成为中国在线音频第一股") == []
    assert [r.surface for r in find_regions("2021年中国数字贸易规模")] == ["中国"]
    assert [r.surface for r in find_regions("奋力谱写中国式现代化福建篇章")] == ["福建"]


def test_a_place_named_in_passing_does_not_place_the_next_sentences() -> None:
    # a province's report: 深圳 is named mid-sentence; the next sentence's counts are the province's
    text = "低空经济加快发展，深圳获批建设国家低空经济产业综合示范区。新增8个省产业园。"
    facts = extract_facts(_one_paragraph(text, title="2025年广东省政府工作报告"))
    assert [(f.number, f.region) for f in facts] == [("8", "广东省")]
    # a place that opens its sentence is the topic of that sentence, not of the next ones
    text = "2021年，深圳获批建设国家低空经济产业综合示范区，新增6个产业园。新增8个产业园。"
    facts = extract_facts(_one_paragraph(text, title="2025年广东省政府工作报告"))
    assert [(f.number, f.region) for f in facts] == [("6", "深圳市"), ("8", "广东省")]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("有序推进城市更新，成都列为示范城市，在18个设区城市开展城市体检。", "四川省"),  # another clause's place
        ("成都获批试点城市，新增12个示范县。", "成都市"),  # a place that opens the sentence binds it
        ("作为国家自贸区，南沙区聚集了约300家人工智能企业。", "南沙新区"),  # after an adverbial opener
        ("全省算力总规模达到15EFlops。", "四川省"),
        ("以成都为中心，全省新建5G基站3万个。", "四川省"),  # 全省 is nearer than the named place
        ("乐山至马边等高速公路通车，通车总里程突破1万公里。", "四川省"),  # a route
        ("成都美术学院等7个重大项目纳入规划。", "四川省"),  # a school
        ("东西部协作投入帮扶资金34.4亿元。", "四川省"),  # 东西部 is no 西部地区
        ("28家全国重点实验室完成优化重组。", "四川省"),  # a designation, not the country
        ("川渝通办事项扩展至355项。", "川渝地区"),
    ],
)
def test_a_provincial_fact_takes_its_own_clause_place_or_the_province(text: str, region: str) -> None:
    facts = extract_facts(_one_paragraph(text, title="2025年四川省政府工作报告"))
    assert [f.region for f in facts][-1:] == [region]


@pytest.mark.parametrize(
    "text",
    [
        "相当于5年前1.5个百分点的增量。",  # N年前: a time, not a duration
        "东莞长安成为全省第3个地区生产总值超千亿元镇。",  # an amount that defines a category of places
    ],
)
def test_time_references_and_category_thresholds_are_no_facts(text: str) -> None:
    assert [(f.number, f.unit) for f in facts_in_text(text) if f.unit in ("年", "亿元", "千亿元")] == []


# ------------------------------------------------------------------------------------- recall: session 4
def _read(text: str, doc_year: int | None = None) -> list[tuple]:
    return [(f.number, f.value, f.unit, f.kind, f.approx) for f in facts_in_text(text, doc_year=doc_year)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # a magnitude with no unit word: the unit is the magnitude as written, the kind from what is measured
        ("全年网络零售额突破6000亿。", [("6000", 6000.0, "亿", "money", True)]),
        ("平台用户突破3.5亿，同比增长5%。", [("3.5", 3.5, "亿", "count", True), ("5", 5.0, "%", "percent", False)]),
        ("拥有4亿的音乐用户。", [("4", 4.0, "亿", "count", False)]),
        ("全省数字经济规模达1.2万亿。", [("1.2", 1.2, "万亿", "money", False)]),
        ("新增30.2万农村居民落户城镇。", [("30.2", 30.2, "万人", "count", False)]),
        ("粮食总产量达1.2亿左右。", [("1.2", 1.2, "亿", "other", True)]),
        # 余/多 after the magnitude: 2万余场 is 2 万场, approximate
        ("举办文化活动2万余场，节省资金8亿多元。", [("2", 2.0, "万场", "count", True), ("8", 8.0, "亿元", "money", True)]),
    ],
)
def test_magnitude_without_unit_word_is_a_fact(text: str, expected: list[tuple]) -> None:
    assert _read(text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "培育1个400亿级产业集群。",  # a category: only 1个 is a fact
        "营收超50亿以上企业20家。",
        "营收超1亿的企业有20家。",
    ],
)
def test_magnitude_without_unit_word_that_names_a_category_is_no_fact(text: str) -> None:
    assert all(f.unit not in ("亿", "万", "亿人", "万人", "亿户", "万户") for f in facts_in_text(text))


def test_unitless_people_count_takes_the_people_as_indicator() -> None:
    facts = facts_in_text("惠及4386万异地务工人员，63万失能老人、158万残疾人。")
    assert [(f.value, f.unit, f.kind, f.indicator) for f in facts] == [
        (4386.0, "万人", "count", "异地务工人员"),
        (63.0, "万人", "count", "失能老人"),
        (158.0, "万人", "count", "残疾人"),
    ]


def test_list_sharing_its_unit_still_gives_every_item_the_unit() -> None:
    facts = facts_in_text("用户分别为7.99亿、4.54亿和2.65亿户。")
    assert [(f.value, f.unit) for f in facts] == [(7.99, "亿户"), (4.54, "亿户"), (2.65, "亿户")]


def test_unitless_amount_before_a_growth_rate_names_the_rate() -> None:
    facts = facts_in_text("数字经济规模达1.2万亿，同比增长10%。")
    assert [f.indicator for f in facts] == ["数字经济规模", "数字经济规模增速"]


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("百分之三十六點九", 36.9),
        ("十二點四", 12.4),
        ("一百零八億", 1.08e10),
        ("三百零三萬", 3.03e6),
        ("兩百", 200.0),
        ("參拾", 30.0),
    ],
)
def test_parse_number_reads_traditional_characters(text: str, value: float) -> None:
    assert parse_number(text) == pytest.approx(value)


def test_traditional_character_facts() -> None:
    assert _read("工業總産值平均每年遞增百分之三十六點九。生鐵三百零三萬噸，等於一九四九年的十二點四倍；電力一百零八億度。") == [
        ("百分之三十六點九", 36.9, "%", "percent", False),
        ("三百零三萬", 303.0, "萬噸", "other", False),
        ("十二點四", 12.4, "倍", "multiple", False),
        ("一百零八億", 108.0, "億度", "other", False),
    ]


@pytest.mark.parametrize(
    ("text", "value", "unit"),
    [
        ("钢增长二点一倍。", 2.1, "倍"),  # not 一 + 二倍
        ("原煤一亿一千三百万吨。", 11300.0, "万吨"),  # 1.13亿吨 read in 万吨, not 1亿 + 1300
        ("猪肉将增加约六亿二千万斤。", 62000.0, "万斤"),
    ],
)
def test_chinese_decimals_and_mixed_magnitudes(text: str, value: float, unit: str) -> None:
    facts = facts_in_text(text)
    assert [(f.value, f.unit) for f in facts] == [(value, unit)]


def test_a_chinese_year_before_liang_nian_is_no_duration() -> None:
    assert [f.number for f in facts_in_text("其中在一九五三和一九五四两年合计就有二百亿元。")] == ["二百亿"]


def test_respectively_over_a_year_range_gives_each_value_its_year() -> None:
    facts = facts_in_text("2019-2021年，全省数字经济规模分别为1.1万亿元、1.3万亿元和1.5万亿元。")
    assert [f.year for f in facts] == ["2019", "2020", "2021"]
    facts = facts_in_text("2019年至2021年，全省数字经济规模分别为1.1万亿元和1.3万亿元。")
    assert [f.year for f in facts] == ["2019-2021", "2019-2021"]  # two values, three years: no split


def test_respectively_over_a_year_range_with_as_many_items_keeps_the_range() -> None:
    facts = facts_in_text("2019-2021年，工业、农业和服务业增加值分别为1亿元、2亿元和3亿元。")
    assert [f.year for f in facts] == ["2019-2021"] * 3


@pytest.mark.parametrize(
    ("text", "doc_year", "year"),
    [
        ("去年全省地区生产总值增长5%。", 2024, "2023"),
        ("今年全省GDP增长5.5%。", 2024, "2024"),
        ("去年全省地区生产总值增长5%。", None, "去年"),  # kept literal when the document's year is unknown
        ("今年1-9月，全省GDP比去年同期增长5%。", 2024, "2024年1-9月"),  # 去年 is the term of comparison
        ("2024年1至9月，全省GDP增长5%。", None, "2024年1至9月"),
        ("2023年全省GDP比2020年增长30%。", None, "2020-2023"),
        ("1957年的工业总产值比1956年将增长百分之四点五，达到六百零三亿元。", None, "1957"),
    ],
)
def test_relative_and_compared_years(text: str, doc_year: int | None, year: str) -> None:
    assert facts_in_text(text, doc_year=doc_year)[-1].year == year


def test_a_year_compared_with_but_holding_its_own_value_is_that_year() -> None:
    facts = facts_in_text("2020年占比达50.9%，对比2019年的28.74%，比重有了大幅提高。")
    assert [f.year for f in facts] == ["2020", "2019"]


@pytest.mark.parametrize(
    ("text", "unit", "kind"),
    [
        ("粮食产量达436亿斤。", "亿斤", "other"),
        ("集装箱吞吐量突破2000万标箱。", "万标箱", "count"),
        ("PM2.5平均浓度降至20.6微克/立方米。", "微克/立方米", "other"),
        ("算力总规模达到9.4万P。", "万P", "compute"),
        ("中欧班列累计开行超1.1万列。", "万列", "count"),
        ("勇夺13块金牌。", "块", "count"),
        ("全年开展各类文艺演出活动2.3万多场次。", "万场次", "count"),
    ],
)
def test_units_found_missing_in_provincial_reports(text: str, unit: str, kind: str) -> None:
    assert [(f.unit, f.kind) for f in facts_in_text(text)][-1:] == [(unit, kind)]


def test_unitless_threshold_of_a_category_is_no_fact() -> None:
    assert [f.number for f in facts_in_text("在9个人口20万以上的县建设高中。")] == ["9"]
    assert [(f.value, f.indicator) for f in facts_in_text("为近3.6万农民工追回工资。")] == [(3.6, "农民工")]


@pytest.mark.parametrize(
    ("heading", "year"),
    [("一、过去一年工作回顾", "2004"), ("一、去年主要工作回顾", "2004"), ("一、过去一年的形势", None)],
)
def test_heading_past_year_review_resolves_against_document_year(heading: str, year: str | None) -> None:
    p1 = "城镇新增就业980万人。"
    blocks = [
        Block(idx=0, kind="heading", text=heading, section=(), char_start=0, char_end=len(heading)),
        Block(idx=1, kind="prose", text=p1, section=(heading,), char_start=len(heading) + 1),
    ]
    blocks[1].char_end = blocks[1].char_start + len(p1)
    sents = [Sentence(b.idx, 0, b.text, b.char_start, b.char_end) for b in blocks]
    facts = extract_facts(_doc(blocks, sents, year=2005))
    assert [(f.value, f.year) for f in facts] == [(980.0, year)]


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("规上工业增加值增长8.3%，高于全国2.5个百分点。", "山东省"),
        ("居民收入增速高于全国平均水平，城镇新增就业68万人。", "山东省"),
        ("在全国率先建设8个中医优势专科集群。", "山东省"),
        ("全国粮食产量达1.4万亿斤。", "全国"),  # the whole country as the subject stays
    ],
)
def test_whole_country_as_yardstick_does_not_place_a_provincial_fact(text: str, region: str) -> None:
    facts = facts_in_text(text, fallback_region="山东省")
    assert facts and facts[-1].region == region


# ------------------------------------------------------------------ indicators: the audit's frequent generic errors
@pytest.mark.parametrize(
    ("text", "indicators"),
    [
        # a contracted list (城乡 = 城镇 + 农村, 粮肉奶) gives one item per value
        ("城乡居民人均可支配收入分别增长5%、6%。", ["城镇居民人均可支配收入增速", "农村居民人均可支配收入增速"]),
        ("粮肉奶产量分别稳定在800亿斤、60亿斤、160亿斤以上。", ["粮食产量", "肉类产量", "奶类产量"]),
        # an approximation word may close an item of the run; a one-character item stands for the last's first
        ("其中一、二、三产增加值分别增长3.5%以上、7%左右、5%以上。", ["一产增加值增速", "二产增加值增速", "三产增加值增速"]),
        # the measure named after 分别 goes with every item, its verb dropped
        ("交通、能源、水利分别完成投资3252亿元、2140亿元、748亿元。", ["交通投资", "能源投资", "水利投资"]),
        # 及 inside 普及率 lists nothing
        ("农村自来水普及率、规模化供水工程覆盖率分别达98%和92%。", ["农村自来水普及率", "规模化供水工程覆盖率"]),
        ("“保交楼”“保交房”交付率分别达100%和88.2%。", ["“保交楼”交付率", "“保交房”交付率"]),
        ("进口、出口通关时间分别压减67%和92%。", ["进口通关时间", "出口通关时间"]),
        # a threshold before the name is part of it (20户 defines the villages: no fact); a rate's head is the word before 率
        ("20户及以上自然村千兆光纤和5G网络通达率分别达100%和91.5%。", ["20户及以上自然村千兆光纤通达率", "5G网络通达率"]),
    ],
)
def test_respectively_splits_contracted_quoted_and_verb_separated_lists(text: str, indicators: list[str]) -> None:
    got = [f.indicator for f in facts_in_text(text)]
    assert got[-len(indicators) :] == indicators


@pytest.mark.parametrize(
    ("text", "indicators"),
    [
        # an item that names a whole phrase takes the head only (not 六大优势产业产业增加值)
        ("六大优势产业、高技术制造业增加值分别增长6.9%、8.4%。", ["六大优势产业增加值增速", "高技术制造业增加值增速"]),
        # words after 分别 that name no measure (稳定在) are not appended
        ("粮食、油料产量分别稳定在800亿斤、60亿斤以上。", ["粮食产量", "油料产量"]),
        # a name made of fillers only (也将) is no name: the run keeps what the clause gave it
        ("木材和水泥的产量，也将分别比上年增长9.4%和14.5%。", None),
    ],
)
def test_respectively_negative_cases(text: str, indicators: list[str] | None) -> None:
    got = [f.indicator for f in facts_in_text(text)]
    if indicators is None:
        assert not any(i and i.startswith("也将") for i in got)
    else:
        assert got == indicators


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("新增“百亿县”4个、总数达到40个。", "“百亿县”"),
        ("免费开展妇女“两癌”筛查397万人次。", "免费开展妇女“两癌”筛查"),
        ("国家首批部署的13个“一件事”改革实现多端上线运行。", "“一件事”改革"),  # the count's quoted noun, cut at 实现
        ("新改建“四好农村路”4330公里。", "新改建“四好农村路”"),
        ("11家企业入选“中国服务外包百强企业”。", "企业入选“中国服务外包百强企业”"),
    ],
)
def test_a_short_quoted_name_is_part_of_the_indicator(text: str, indicator: str) -> None:
    assert facts_in_text(text)[0].indicator == indicator


def test_deng_inside_a_word_is_no_list_word() -> None:
    assert facts_in_text("新增4所普通高等学校，普通高中录取比例提高。")[0].indicator == "普通高等学校"
    # the list word 等 still closes a list of items
    facts = facts_in_text("公共服务、车联网等领域的规模分别为1.2亿和0.8亿户。")
    assert [f.indicator for f in facts] == ["公共服务领域规模", "车联网领域规模"]


@pytest.mark.parametrize(
    ("text", "indicators"),
    [
        # a bare verb before the value: its object follows the value ...
        ("新建2.7万亩粮食生产无人农场。", ["新建粮食生产无人农场"]),
        ("延续15%企业和个人所得税。", ["延续企业和个人所得税"]),
        ("全省469个政务服务事项实现一网通办、覆盖90%政务服务办件。", ["政务服务事项", "覆盖政务服务办件"]),
        # ... or is the one of the same kind of value just before
        ("提请审议地方性法规14部、废止11部，出台政府规章5部、废止7部。", ["提请审议地方性法规", "废止地方性法规", "出台政府规章", "废止政府规章"]),
        # negative: the value before names no object (基本建成), and 用于 starts no object
        ("基本建成500万套，新开工700万套以上。", ["基本建成", "新开工"]),
        ("投入5亿元用于农村道路建设。", ["投入"]),
    ],
)
def test_a_bare_verb_takes_its_object(text: str, indicators: list[str]) -> None:
    assert [f.indicator for f in facts_in_text(text)] == indicators


def test_a_yardstick_after_the_measure_is_dropped() -> None:
    facts = facts_in_text("社会消费品零售总额增长4.1%，增速高于全国0.6个百分点。")
    assert [f.indicator for f in facts] == ["社会消费品零售总额增速", "社会消费品零售总额增速"]
    facts = facts_in_text("软件业营收增长12.5%，两年平均增长11.4%。")
    assert [f.indicator for f in facts] == ["软件业营收增速", "软件业营收两年平均增速"]


@pytest.mark.parametrize(
    ("text", "indicators"),
    [
        # no punctuation between two facts: a verb opens the next clause, and a number ends the noun after a count
        ("省级专精特新中小企业1000家新增规上工业企业2500家。", ["省级专精特新中小企业", "规上工业企业"]),
        ("科技突围起步成势，5个点位36项重点任务全面推进。", ["点位", "重点任务全面推进"]),
        # a change from … to … that opens its clause: the clause before names the subject
        ("组建城市合作银行的大中城市，由35个增加到100个。", ["组建城市合作银行的大中城市"] * 2),
        # a value in brackets counts what the clause before them names (not a heading's numeral)
        ("一、推广的改革举措（共23项）", ["推广的改革举措"]),
    ],
)
def test_indicators_where_the_text_has_little_punctuation(text: str, indicators: list[str]) -> None:
    assert [f.indicator for f in facts_in_text(text)] == indicators


def test_the_next_number_is_no_noun_of_a_count() -> None:
    facts = facts_in_text("共13个村民小组，505户1748人。")
    assert facts[1].indicator != "1748人"


def test_listed_nouns_before_a_value_are_kept_but_listed_values_and_clauses_are_not() -> None:
    facts = facts_in_text("改造老旧小区、低收入群体危房、抗震宜居农房等3.5万余户。")
    assert facts[0].indicator == "改造老旧小区、低收入群体危房、抗震宜居农房等"
    facts = facts_in_text("城镇新增就业50万人、失业人员实现再就业10万人。")
    assert "城镇" not in (facts[1].indicator or "")
    facts = facts_in_text("中央对地方一般性转移支付规模大幅增加、专项转移支付项目减少三分之二。")
    assert "一般性" not in (facts[-1].indicator or "")


def test_a_change_from_last_year_takes_the_subject_of_the_clause_before() -> None:
    facts = facts_in_text("今年中央财政用于教育的投入，将由去年的1076亿元增加到1562亿元。")
    assert [f.indicator for f in facts] == ["中央财政用于教育的投入"] * 2


# ------------------------------------------------------------------------------------------------- year (session 4)
def _facts_of_paragraph(text: str, *, year: int | None = 2025) -> list:  # type: ignore[type-arg]
    """facts_in_text over the sentences of one paragraph (cut after 。), sharing the paragraph context."""
    from nlp.extract.numbers import _Context

    ctx, out, pos = _Context(), [], 0
    for part in text.split("。"):
        if part:
            out += facts_in_text(part + "。", doc_year=year, context=ctx, offset=pos)
        pos += len(part) + 1
    return out


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("全省提前一年实现森林覆盖率达到25%的目标。", [None]),  # 提前一年: ahead of time, not a year
        ("提前一年完成“十四五”规划目标，单位GDP能耗下降14%。", [None]),
        ("近三年，全省研发投入年均增长12%。", ["近三年"]),  # a window stays the year of a rate (NOTES 3)
        ("前三年，出口年均增长8%。", ["前三年"]),
        ("“十四五”时期，全省地区生产总值年均增长6.5%。", ["2021-2025"]),
        ("十三五期间，累计建成5G基站10万个。", ["2016-2020"]),
        ("到“十五五”末，数字经济占比达到15%。", ["2030年底"]),
        ("“十四五”规划提出，研发投入增长7%。", [None]),  # a plan's name is no period
        ("截至2024年底，全省5G基站达到12万个。", ["2024年底"]),
        ("到2027年，数字经济规模达到1万亿元，2024年已达到8000亿元。", ["2027", "2024"]),
    ],
)
def test_year_of_windows_targets_and_plan_periods(text: str, years: list[str | None]) -> None:
    assert [f.year for f in facts_in_text(text, doc_year=2025)] == years


@pytest.mark.parametrize(
    ("text", "years"),
    [
        # a record's yardstick (1961年以来最强) neither dates the fact nor carries to the next sentence
        ("有效应对1961年以来最强暴雨灾害。信访事项化解率达到96.4%。", [None]),
        ("用电量创2011年以来新高，达到9.8万亿千瓦时。", [None]),
        ("2019年以来，累计建成5G基站10万个。", ["2019"]),  # a period's start stays
        # a list of years does not tell the next sentences which year they mean
        ("制定2024年、2025年重大项目清单。旅游总花费增长13.3%。", [None]),
        ("制定2024年、“十五五”期间项目清单。旅游总花费增长13.3%。", [None]),
        ("2023年全省GDP增长5%。出口增长8%。", ["2023", "2023"]),  # one year carries over
        # the ground of what follows (在…基础上) is not what the next sentences are about
        ("在2022年考评第一的好成绩基础上，继续推进改革。新建学校12所。", [None]),
        ("在2021年增长5%的基础上，2022年又增长6%。新建学校12所。", ["2021", "2022", "2022"]),
    ],
)
def test_year_carried_through_a_paragraph(text: str, years: list[str | None]) -> None:
    assert [f.year for f in _facts_of_paragraph(text)] == years


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("全国每出口4辆汽车就有1辆安徽造。", []),  # a share in words
        ("平均每3人就有1人使用手机银行，用户达到500万人。", ["500万人"]),
        ("每万人拥有5家企业。", ["5家"]),  # a rate's value stays
        ("计算方法：死亡例数/病例数×100%。", []),  # a formula's scale
        ("出口占比达到100%。", ["100%"]),
        ("建成南港百万吨乙烯项目。", []),  # a size in a project's name
        ("建成年产30万吨乙烯装置，总投资50亿元。", ["30万吨", "50亿元"]),  # a plant's capacity
        ("关停5000万千瓦小火电机组。", ["5000万千瓦"]),  # units counted by their capacity
        ("包括年炼钢300万吨的宝钢二期工程。", ["300万吨"]),
        ("建设10个项目。", ["10个"]),
    ],
)
def test_not_facts_share_formula_and_project_names(text: str, kept: list[str]) -> None:
    assert [f.number + f.unit for f in facts_in_text(text)] == kept


def _sectioned_doc(sections: list[tuple[str, list[str]]], year: int | None) -> Document:
    """A document of headings, each followed by its prose paragraphs (one sentence each)."""
    blocks: list[Block] = []
    pos = 0
    for heading, paras in sections:
        for kind, text, sec in [("heading", heading, ())] + [("prose", p, (heading,)) for p in paras]:
            blocks.append(Block(idx=len(blocks), kind=kind, text=text, section=sec, char_start=pos))
            blocks[-1].char_end = pos + len(text)
            pos += len(text) + 1
    sents = [Sentence(b.idx, 0, b.text, b.char_start, b.char_end) for b in blocks]
    return _doc(blocks, sents, year=year)


def test_section_year_from_its_lead_paragraph_when_the_heading_names_none() -> None:
    doc = _sectioned_doc(
        [
            ("一、牢记嘱托，建设取得新成效", ["一年来，我们扎实工作。", "新建污水管网234公里。"]),
            ("二、牢记使命，奋勇争先", ["2025年是收官之年。", "完成投资260亿元以上。"]),
            ("三、保障民生", ["2020年，市政府印发实施意见。", "新增就业10万人。"]),  # a dated event: no lead
            ("四、过去一年和五年工作回顾", ["过去一年，我们扎实工作。", "新设152个综试区。"]),  # 年 in heading
        ],
        year=2025,
    )
    assert [(f.number + f.unit, f.year) for f in extract_facts(doc)] == [
        ("234公里", "2024"),
        ("260亿元", "2025"),
        ("10万人", None),
        ("152个", None),
    ]


def test_glossary_notes_take_no_year_from_the_section_before_them() -> None:
    doc = _sectioned_doc(
        [("二、2025年工作安排", ["新增就业50万人。", "名词解释", "学生在高职学校就读3年、本科院校就读2年。"])],
        year=2025,
    )
    assert [(f.number + f.unit, f.year) for f in extract_facts(doc)] == [("50万人", "2025"), ("3年", None), ("2年", None)]


def test_a_numbered_note_label_running_into_a_number_is_no_decimal() -> None:
    doc = _sectioned_doc(
        [
            (
                "二、2025年工作安排",
                [
                    "名词解释",
                    "7.“两新”：指设备更新和消费品以旧换新。",
                    "8.6个重点专项：实施人工智能等6个重点专项。",
                    "9.2025年12件民生实事：提高养老服务水平。",
                    "3.5万人参加技能培训，比上年增加。",  # no neighbour numbered 2. or 4.: a decimal
                ],
            )
        ],
        year=2025,
    )
    assert [f.number + f.unit for f in extract_facts(doc)] == ["6个", "6个", "12件", "3.5万人"]


@pytest.mark.parametrize(
    ("heading", "year"),
    [
        ("二、“十四五”时期主要目标任务", "2021-2025"),
        ("一、“十三五”时期发展成就和“十四五”时期主要目标任务", None),  # two periods: the text must say
        ("一、1998年工作回顾和1999年工作的总体要求", None),
    ],
)
def test_heading_period_and_ambiguous_headings(heading: str, year: str | None) -> None:
    doc = _sectioned_doc([(heading, ["城镇化率达到60%。"])], year=2021)
    assert [f.year for f in extract_facts(doc)] == [year]


# ------------------------------------------------------------------------------------- categories (session 5)
@pytest.mark.parametrize(
    ("text", "kept"),
    [
        # a threshold on an amount that modifies a noun names a kind of thing: no quantity
        ("人均纯收入1万元以下且有劳动能力的脱贫户基本实现动态清零。", []),
        ("在全国率先实现20户以上自然村应急广播全覆盖。", []),  # 户 counts households, not villages
        ("年销售收入超10亿元农业产业化龙头企业达到100家。", ["100家"]),
        ("开工建设10亿元以上重大产业项目26个。", ["26个"]),
        ("全省有30户以上的自然村128个。", ["128个"]),
        ("82个预增产值过10亿元的重大增长点稳定发力。", ["82个"]),  # counted: a category
        ("基本完成20年以上老化燃气管道更新改造。", []),
        ("钦州港首次满载靠泊30万吨级超大型油轮。", []),
        ("年产煤一百万吨以上的就有三十一个。", ["三十一个"]),
        ("力争开工建设国能宁煤70万吨煤制烯烃和80万吨煤制油升级示范。", []),  # sizes in project names
        ("哈密400万吨/年煤制油、1500万吨/年煤炭分质分级利用项目启动建设。", []),
        # quantities stay: predicated of a subject, shares, counts of the noun itself, amounts of a measure noun
        ("企业营收超10亿元。", ["10亿元"]),
        ("实施100个以上关键技术攻关项目。", ["100个"]),
        ("新增财力80%以上用于民生领域。", ["80%"]),
        ("争取中央资金100亿元以上用于项目建设。", ["100亿元"]),
        ("城市经济规模进入了5万亿元以上的新阶段。", ["5万亿元"]),
        ("投资超过550亿元的新能源基地开工建设。", ["550亿元"]),  # one named thing, not counted
        ("超10亿元补贴直达消费者。", ["10亿元"]),
        ("完成营造林100万亩以上、其中绿化工程20万亩。", ["100万亩", "20万亩"]),
        ("今年要完成1000万以上农村贫困人口脱贫任务。", ["1000万人"]),
        ("甲、乙等总投资500亿元以上的精细化工项目。", ["500亿元"]),  # the sum over named projects
        ("全年生产钢材500万吨和水泥产品结构调整项目。", ["500万吨"]),
    ],
)
def test_amounts_that_define_a_category_are_no_facts(text: str, kept: list[str]) -> None:
    assert [f.number + f.unit for f in facts_in_text(text)] == kept


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("五年来，全省地区生产总值年均增长6.5%。", ["五年来"]),  # N年来 is a window, as 近N年
        ("三十年来，出口增长了30倍。", ["三十年来"]),
        ("前两年，出口年均增长8%。", ["前两年"]),
        ("近两年，出口年均增长8%。", ["近两年"]),
        ("2015年来华留学生达到40万人。", ["2015"]),  # a year, not a window
        # a baseline year against the paragraph's year: the change over both
        ("2024年是关键一年。全省单位地区生产总值能耗较2020年下降11.7%。", ["2020-2024"]),
        ("2024年全省GDP增长5%。出口比上年增长8%。", ["2024", "2024"]),
        # from X to Y in a plan period: X is the year before the plan, Y its last year
        ("“十二五”时期，城镇化率从47.5％提高到51.5%。", ["2010", "2015"]),
        ("2005—2019年，出口规模由12027.60亿美元增长至31925.86亿美元。", ["2005", "2019"]),  # a range as written
    ],
)
def test_year_of_windows_since_baselines_and_plan_from_to(text: str, years: list[str | None]) -> None:
    assert [f.year for f in _facts_of_paragraph(text)] == years


# ------------------------------------------------------------------------------- years in Chinese digits (session 6)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一九七八年", "1978年"),
        ("一九七一年到一九七八年", "1971年到1978年"),
        ("二〇二三年底", "2023年底"),  # 〇 U+3007
        ("二○二○年一月至九月", "2020年一月至九月"),  # ○ U+25CB; the month stays as written
        ("二零二零年", "2020年"),
        ("一九八Ｏ年", "1980年"),
        ("一八四〇年", "1840年"),
        ("三三三三年", "三三三三年"),  # no year
        ("二三四五年", "二三四五年"),
        ("六十四万零一百四十三", "六十四万零一百四十三"),  # a number, not digit by digit
        ("一九七", "一九七"),
    ],
)
def test_year_in_digits(text: str, expected: str) -> None:
    assert year_in_digits(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("一九七八年全国粮食产量达到六千零九十五亿斤。", [("六千零九十五亿", "1978")]),
        ("一九七一年到一九七八年，钢产量平均每年增长百分之五点三。", [("百分之五点三", "1971-1978")]),
        ("一九七八——一九八五年，科技投入增长三倍。", [("三", "1978-1985")]),
        ("到二〇二三年底，全省公路总里程达到12万公里。", [("12", "2023年底")]),
        ("二○二○年一月至九月，出口增长8%。", [("8", "2020年一月至九月")]),
        ("二零二零年，出口增长8%。", [("8", "2020")]),
        ("一九五五年第一季度，钢产量为九十万吨。", [("九十万", "1955年第一季度")]),
        # baselines and ranges read as with Arabic digits: the change spans both years
        ("一九五四年比一九五三年增长百分之十五点九。", [("百分之十五点九", "1953-1954")]),
        ("一九八五年工农业总产值比一九八○年增长百分之二十一。", [("百分之二十一", "1980-1985")]),
        ("一九八○比一九七五年增加二百二十六亿元。", [("二百二十六亿", "1975-1980")]),
        ("从一九八○年至一九八五年，原煤产量由六亿二千万吨增加到八亿五千万吨。", [("六亿二千万", "1980"), ("八亿五千万", "1985")]),
        # two years listed as two: their range (also in Arabic digits); not when they are not consecutive
        ("一九七九和一九八○两年合计近三百亿元。", [("三百亿", "1979-1980")]),
        ("仅一九八一、一九八二两年就节约了四千万吨标准煤。", [("四千万", "1981-1982")]),
        ("2022年和2023年两年累计投资300亿元。", [("300", "2022-2023")]),
        ("一九七八和一九八○两年合计近三百亿元。", [("三百亿", "1980")]),
        # four year digits without 年 that open a clause are a year; elsewhere they are left alone
        ("一九五八粮食的指标为三千九百二十亿斤。", [("三千九百二十亿", "1958")]),
        ("其中，一九五八号项目投资三亿元。", [("三亿", None)]),
        ("项目编号为一九五八，投资三亿元。", [("三亿", None)]),
    ],
)
def test_years_in_chinese_digits_are_read_as_years(text: str, expected: list[tuple[str, str | None]]) -> None:
    assert [(f.number, f.year) for f in facts_in_text(text)] == expected


@pytest.mark.parametrize(
    "text",
    [
        "一九七八年全国粮食产量达到六千零九十五亿斤。",
        "一九五八年又比一九五七年增加百分之五十，达到六十六万人。",
        "从一九八○年至一九八五年，原煤产量由六亿二千万吨增加到八亿五千万吨。",
        "二○二○年一月至九月，出口增长8%。",
        "一九五八年上半年，钢产量为三百万吨。",
    ],
)
def test_a_sentence_in_chinese_year_digits_reads_as_its_arabic_twin(text: str) -> None:
    def read(t: str) -> list[tuple]:  # type: ignore[type-arg]
        return [(f.value, f.unit, f.year, f.indicator) for f in facts_in_text(t)]

    assert read(text) == read(year_in_digits(text))


@pytest.mark.parametrize(
    "text",
    [
        "一九七八年十二月，党的十一届三中全会召开。",
        "二〇二三年底前完成。",
        "二○二○年是全面建成小康社会之年。",
        "一九五三和一九五四两年是计划的头两年。",
        "一九五八，将积极发展燃料工业。",
    ],
)
def test_a_year_in_chinese_digits_is_no_fact(text: str) -> None:
    assert facts_in_text(text) == []


def test_a_section_takes_a_chinese_year_from_its_heading_or_lead() -> None:
    doc = _sectioned_doc(
        [
            ("一、一九五八年国民经济计划", ["钢产量计划为七百一十万吨。"]),
            ("二、关于财政", ["一九五七年是完成计划的一年。", "财政收入达到三百亿元。"]),
        ],
        year=1958,
    )
    assert [(f.number, f.year) for f in extract_facts(doc)] == [("七百一十万", "1958"), ("三百亿", "1957")]


# ------------------------------------------------------------------------- generic leftovers (session 4, years)
@pytest.mark.parametrize(
    ("text", "years"),
    [
        # the plans before 九五 are periods too; the plan's name alone is none (as 十四五规划提出)
        ("六五期间，工农业总产值平均每年增长百分之十一。", ["1981-1985"]),
        ("“七五”时期，国民生产总值年均增长7.5%。", ["1986-1990"]),
        ("在“七五”计划期间，钢产量增加到7000万吨。", ["1986-1990"]),
        ("八五计划时期，粮食产量年均增长2%。", ["1991-1995"]),
        ("“八五”计划末，钢产量达到1亿吨。", ["1995年底"]),
        ("七五计划提出，钢产量达到7000万吨。", [None]),
        ("一九七五期间，钢产量达到2000万吨。", [None]),  # not the plan 七五
        # a price base is not the year of the value
        ("按一九五二年不变价格计算，工农业总产值增长百分之十。", [None]),
        ("一九五七年，按一九五二年不变价格计算，工农业总产值达到一千二百四十一亿元。", ["1957"]),
        ("2023年地区生产总值按2020年价格计算增长6%。", ["2023"]),
        ("按2020年价格计算，地区生产总值增长6%。", [None]),
        ("2020年价格总水平上涨2.5%。", ["2020"]),  # prices of 2020: the year of the fact
        # years before 1900 in digits, where 年 follows; not an amount nor a length of time
        ("1840年以来，人口增长了3倍。", ["1840"]),
        ("1883—1885年，出口增长了30%。", ["1883-1885"]),
        ("在过去的1500年间，茶叶出口增长了3倍。", [None]),
        ("1500年来，茶叶出口增长了3倍。", [None]),  # not the window 500年来
    ],
)
def test_year_of_old_plans_price_bases_and_old_years(text: str, years: list[str | None]) -> None:
    assert [f.year for f in facts_in_text(text)] == years


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1500吨钢材运抵港口。", ["1500吨"]),
        ("1840万人参加培训。", ["1840万人"]),
        ("茶叶已有1500年历史。", ["1500年"]),
        ("使用寿命在1700年以上。", ["1700年"]),
    ],
)
def test_four_digits_before_1900_are_no_year_without_year_wording(text: str, expected: list[str]) -> None:
    assert [f.number + f.unit for f in facts_in_text(text)] == expected


@pytest.mark.parametrize(
    ("text", "indicators"),
    [
        # 比 goes with the year it compares with; a rate in words is named as one in digits
        ("工农业总产值比一九五七年增长百分之六十。", ["工农业总产值增速"]),
        ("一九五九年工农业总产值比一九五七年增长百分之六十。", ["工农业总产值增速"]),
        ("工农业总产值比一九五七年增长60%。", ["工农业总产值增速"]),
        ("农村贫困人口比上年减少245万人。", ["农村贫困人口减少"]),
        ("财政收入一九八○比一九七五年增加二百二十六亿元。", ["财政收入增加"]),  # 比 inside a range of years
        ("炼铁焦比由九百五十公斤降到七百零五公斤。", ["炼铁焦比", "炼铁焦比"]),  # a ratio's name keeps 比
        ("2023年地区生产总值按2020年价格计算增长6%。", ["地区生产总值增速"]),
    ],
)
def test_indicator_without_the_baseline_word_and_price_basis(text: str, indicators: list[str]) -> None:
    assert [f.indicator for f in facts_in_text(text)] == indicators


@pytest.mark.parametrize(
    ("text", "years"),
    [
        # a length of years takes no year from an earlier sentence; the facts around it do
        ("2023年GDP增长5%。经过二十年的努力，人均收入增加了三倍。", ["2023", None, "2023"]),
        ("1982年钢产量增长5%。按照确定的二十年分两步走的战略部署，到本世纪末实现翻两番。", ["1982", None]),
        # a measure of time is a value of that year; a length of time in its own sentence keeps that year
        ("2012年粮食增产。15岁以上人口平均受教育年限达到9年以上。", ["2012"]),
        ("2009年粮食再创新高。粮食产量实现连续6年增产。", ["2009"]),
        ("2024年体育成绩突出。时隔12年再夺奥运会金牌2枚。", ["2024", "2024"]),
        ("从1900年到1948年，49年合计的钢产量不过七百六十万吨。", ["1900-1948", "1900-1948"]),
    ],
)
def test_a_length_of_years_takes_no_year_of_an_earlier_sentence(text: str, years: list[str | None]) -> None:
    assert [f.year for f in _facts_of_paragraph(text)] == years


@pytest.mark.parametrize(
    ("text", "years"),
    [
        # a plan period after 比 (in quotes or not) is the term of comparison, not the fact's year
        ("“七五”时期，更新改造投资二千七百六十亿元，比“六五”期间增加百分之八十七。", ["1986-1990", "1986-1990"]),
        ("五年累计实际利用外资2894亿美元，比“八五”时期增长79.6%。", [None, None]),
        ("“六五”期间，进出口贸易总额达到二千三百亿美元。", ["1981-1985"]),
    ],
)
def test_a_plan_period_after_bi_is_a_baseline(text: str, years: list[str | None]) -> None:
    assert [f.year for f in facts_in_text(text)] == years


# ------------------------------------------------------------------------- small indicator leftovers (session 4)
@pytest.mark.parametrize(
    ("text", "years"),
    [
        # the first five plans (the third began in 1966) and the long form 第N个五年计划 name periods too
        ("“一五”时期，工业总产值年均增长18%。", ["1953-1957"]),
        ("二五时期，粮食产量下降了15%。", ["1958-1962"]),
        ("“三五”期间，钢产量增加到1800万吨。", ["1966-1970"]),
        ("四五时期，原油产量年均增长20%。", ["1971-1975"]),
        ("“五五”末，钢产量达到3400万吨。", ["1980年底"]),
        ("第六个五年计划期间，能源生产增长20%。", ["1981-1985"]),
        ("在第一个五年计划时期，钢产量增加到535万吨。", ["1953-1957"]),
        ("第十一个五年规划期间，粮食产量增长12%。", ["2006-2010"]),
        ("第六个五年计划规定，钢产量达到3900万吨。", [None]),  # the plan's name alone is no period
        ("一九五五期间，钢产量达到285万吨。", [None]),  # not the plan 五五
        ("十五五时期，研发投入增长7%。", ["2026-2030"]),  # not 五五
    ],
)
def test_year_of_first_plans_and_the_long_plan_names(text: str, years: list[str | None]) -> None:
    assert [f.year for f in facts_in_text(text)] == years


@pytest.mark.parametrize(
    ("text", "indicators"),
    [
        # a bare count after a comma names none of the count before it (another unit: other things)
        ("马鬃山村共有13个村民小组，505户1748人。", ["村民小组", None, None]),
        ("全县搬迁12个村民小组，505户农户。", ["村民小组", "农户"]),  # its own noun after it
        ("完成投资50亿元，505户。", ["投资", None]),
        # the same unit: the same things (the verb's object of the value before)
        ("审议地方性法规14部，废止11部。", ["审议地方性法规", "废止地方性法规"]),
        ("全市有企业100家，比上年增加20家。", ["企业", "企业"]),
        ("建成5G基站3万个。", ["5G基站"]),  # a name that opens with a digit is no bare value
    ],
)
def test_a_bare_count_takes_no_indicator_of_other_things(text: str, indicators: list[str | None]) -> None:
    assert [f.indicator for f in facts_in_text(text)] == indicators


@pytest.mark.parametrize(
    ("text", "indicators"),
    [
        # a modal or a verb alone is no indicator: the noun after the count is, or none
        ("预计可以有28种新药上市。", ["新药上市"]),
        ("预计可以有28种。", [None]),
        ("粮食产量有望达到6500亿斤。", ["粮食产量"]),
        ("利用外资可望达到50亿美元。", ["利用外资"]),
        ("今年能够新增就业1100万人。", ["就业"]),
        # 就 is a filler, 就业 / 就医 are words
        ("全市就业人员3000万人。", ["就业人员"]),
        ("就医人次达到3000万人次。", ["就医人次"]),
    ],
)
def test_modals_are_no_indicators(text: str, indicators: list[str | None]) -> None:
    assert [f.indicator for f in facts_in_text(text)] == indicators


@pytest.mark.parametrize(
    ("text", "indicators"),
    [
        # a per-quantity inside the name of a 分别 list does not break it
        ("小麦、稻谷最低收购价平均每50公斤分别提高7.4元和16元。", ["小麦最低收购价平均每50公斤", "稻谷最低收购价平均每50公斤"]),
        ("每50公斤小麦、玉米的收购价格分别为60元、55元。", ["小麦收购价格", "玉米收购价格"]),
        ("小麦、玉米每亩产量分别为400公斤和500公斤。", ["小麦每亩产量", "玉米每亩产量"]),
    ],
)
def test_a_per_quantity_in_a_respective_list(text: str, indicators: list[str | None]) -> None:
    assert [f.indicator for f in facts_in_text(text)] == indicators


def test_a_bare_count_after_a_rate_of_the_same_thing_keeps_its_indicator() -> None:
    facts = facts_in_text("小学学生的人数将增长18%，达到6023万人。")
    assert [f.indicator for f in facts] == ["小学学生的人数增速", "小学学生的人数"]


@pytest.mark.parametrize(
    ("text", "years"),
    [
        # 同/与/和 X 相比(较): X is the term of comparison, as after 比; a from/to pair's first value is of X
        (
            "“六五”时期同“五五”时期相比，粮食年平均产量由30530万吨增加到37062万吨，棉花由224万吨增加到432万吨。",
            ["1976-1980", "1981-1985", "1976-1980", "1981-1985"],
        ),
        ("与2015年相比，2020年全市粮食产量由300万吨增加到350万吨。", ["2015", "2020"]),
        ("2005年与2000年相比，国内生产总值增长57.3%。", ["2005"]),
    ],
)
def test_a_time_compared_with_by_tong_xiangbi_is_a_baseline(text: str, years: list[str | None]) -> None:
    assert [f.year for f in facts_in_text(text)] == years


def test_a_period_named_only_as_a_comparison_term_does_not_carry_over() -> None:
    facts = _facts_of_paragraph(
        "教育经费占财政支出的百分之十五点九，比第五个五年计划期间的百分之十一有了较大的提高。今后这方面的经费还要增加20亿元。",
        year=None,
    )
    assert [f.year for f in facts] == [None, "1976-1980", None]


def test_the_baseline_of_a_carried_year_dates_the_from_value_of_the_next_sentences() -> None:
    facts = _facts_of_paragraph(
        "1986年同1978年相比，国民生产总值由3480亿元增加到9380亿元。国民收入由3010亿元增加到7790亿元。"
        "2020年，财政收入由100亿元增加到120亿元。税收由50亿元增加到60亿元。",  # a new year: no baseline
        year=None,
    )
    assert [f.year for f in facts] == ["1978", "1986", "1978", "1986"] + ["2020"] * 4


@pytest.mark.parametrize(
    ("text", "year"),
    [
        ("编制好2035年远景目标纲要。全年粮食产量达到6.9亿吨。", None),  # a year inside a name dates nothing
        ("落实2030年前碳达峰行动方案。单位产值能耗下降3%。", None),
        ("2030年前，单位产值能耗下降3%。", "2030"),  # the same words as a time phrase do
        ("到2035年，人均收入达到2万美元。", "2035"),
    ],
)
def test_a_year_inside_a_plan_name_is_no_time_reference(text: str, year: str | None) -> None:
    (fact,) = facts_in_text(text)
    assert fact.year == year


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("人均预期寿命达到78.5岁。", [("78.5", "岁")]),
        ("平均年龄38岁左右，", [("38", "岁")]),
        ("为60岁以上老人发放补贴。", []),  # an age that names a group
        ("3岁以下婴幼儿照护服务覆盖2万户。", [("2", "万户")]),
        ("为65周岁以上老年人免费体检。", []),  # 周岁 is no week
        ("覆盖4亿网民，惠及120万农户。", [("4", "亿人"), ("120", "万户")]),  # people counted after the number
        ("用户突破3.5亿。", [("3.5", "亿")]),  # named before it: the magnitude as written
    ],
)
def test_ages_and_people_counted_after_a_magnitude(text: str, expected: list[tuple[str, str]]) -> None:
    assert [(f.number, f.unit) for f in facts_in_text(text)] == expected


@pytest.mark.parametrize(
    ("text", "indicator"),
    [
        ("在全省183个县（市、区）划分义务教育学区。", "县（市、区）划分义务教育学区"),  # a bracketed qualifier in the noun
        ("全区共有国家级示范企业4家（占全省六分之一）。", "国家级示范企业"),  # a share in brackets is no qualifier
        ("新增国家高新技术企业1200家，总量达到1.8万家。", "国家高新技术企业总量"),  # a bare total of the count before
    ],
)
def test_count_nouns_with_brackets_and_bare_totals(text: str, indicator: str) -> None:
    assert facts_in_text(text)[-1].indicator == indicator if "总量" in text else facts_in_text(text)[0].indicator == indicator


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("日均车流量超8万辆次。", [("8", "万辆次", "count", None)]),
        ("污水处理能力超30万吨/日，", [("30", "万吨/日", "other", "t/日")]),  # a capacity per unit of time
        ("低保标准提高到740元/月。", [("740", "元/月", "money", "CNY/月")]),
        ("占全国超4成。", [("4", "成", "percent", "tenth")]),  # tenths, after digits only
        ("有效应对14轮强降雨。", [("14", "轮", "count", None)]),
        ("一成不变，三轮车。", []),
    ],
)
def test_rate_units_tenths_and_rounds(text: str, expected: list[tuple]) -> None:
    got = [(f.number, f.unit, f.kind, f.scaled_unit if "/" in f.unit or f.kind == "percent" else None) for f in facts_in_text(text)]
    assert got == expected


@pytest.mark.parametrize(
    ("text", "title", "regions"),
    [
        ("城镇新增就业1200万人以上。", "2024年中华人民共和国国务院政府工作报告", ["全国"]),  # the country's own text
        ("城镇新增就业1200万人以上。", "促进数字贸易发展", [None]),  # no place anywhere: none invented
        ("进出口总额增长9.8%，贡献了全国38.7%的贸易增量。", "2025年广东省政府工作报告", ["广东省", "广东省"]),  # a share of 全国
        ("深圳到中山车程最短缩至30分钟。", "2025年广东省政府工作报告", ["广东省"]),  # a route
        # a place governed by a verb (推动…建设) is the object of the work, not the topic of the next sentence
        ("推动成渝地区双城经济圈建设。改造城镇老旧小区16.7万个。", "2023年国务院政府工作报告", ["全国"]),
        ("推进大湾区国家技术创新中心建设，布局建设7个省中试平台。", "2025年广东省政府工作报告", ["广东省"]),
        ("成渝地区双城经济圈建设提速。新增高铁里程300公里。", "2023年国务院政府工作报告", ["成渝地区双城经济圈"]),
        # a whole (全球, 中国, 全国) or a macro-region opening an event's name is no place of the event's figures
        ("第三届大湾区全球招商大会达成投资项目1933个、总金额2.26万亿元。", "2025年广东省政府工作报告", ["广东省", "广东省"]),
        ("第七届中国国际进口博览会意向成交金额800.1亿美元。", "2025年上海市政府工作报告", ["上海市"]),
        ("在第十二届全国少数民族传统体育运动会获一等奖20项。", "2025年贵州省政府工作报告", ["贵州省"]),
        # 携手港澳: a partner of the text's place
        ("携手港澳联合推介招商，签约项目120个。", "2025年广东省政府工作报告", ["广东省"]),
        # a place named otherwise still places the figure
        ("大湾区货物贸易进出口总额增长5%。", "2025年广东省政府工作报告", ["粤港澳大湾区"]),
        ("全国城镇新增就业1256万人。", "2025年广东省政府工作报告", ["全国"]),
    ],
)
def test_the_place_of_a_figure_in_its_text(text: str, title: str, regions: list) -> None:
    assert [f.region for f in extract_facts(_one_paragraph(text, title=title))] == regions


@pytest.mark.parametrize(
    ("text", "indicators"),
    [
        ("荣获53个奖项、比上次增长47%。", ["奖项", "奖项增速"]),  # a baseline phrase is no indicator
        ("澳资企业超6600户、较3年前增长44%。", ["澳资企业", "澳资企业增速"]),
        ("新承接产业转移项目约700个、总投资约3000亿元。", ["新承接产业转移项目", "新承接产业转移项目总投资"]),
        # a count of groups before a count of the things in them: both count the things named after the second
        ("12类55件民生实事保质保量完成。", ["民生实事", "民生实事"]),
        ("新发布3批18项制度集成创新案例。", ["制度集成创新案例", "制度集成创新案例"]),
        # how the counted things were done is no part of them
        ("年度10件惠民实事全部办结。", ["惠民实事"]),
        ("10大类52项民生实事全部超额完成。", ["民生实事"]),  # (10大类: a list heading, no fact)
        ("首批100个县域医疗卫生次中心建成。", ["县域医疗卫生次中心"]),
        # a count of other things after a count names none of them (505户, 1748人)
        ("涉及13个村民小组，505户1748人。", ["村民小组", None, None]),
    ],
)
def test_what_a_figure_measures(text: str, indicators: list[str | None]) -> None:
    assert [f.indicator for f in facts_in_text(text)] == indicators
