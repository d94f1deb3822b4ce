"""Rule references: tables of sentences -> expected references (own sentences plus short real quotes)."""

from __future__ import annotations

import pytest

from nlp.document import Block, Document, Sentence
from nlp.extract.rules import (
    RuleRef,
    extract_rules,
    find_rule_mentions,
    iter_rule_mentions,
    rule_kind,
    rule_level,
)


def make_doc(text: str, name: str = "t.txt") -> Document:
    """One prose block, one sentence per 。-terminated stretch."""
    sentences, start = [], 0
    for i, part in enumerate(text.split("。")):
        if not part:
            continue
        end = min(start + len(part) + 1, len(text))
        sentences.append(Sentence(para=0, idx=i, text=text[start:end], char_start=start, char_end=end))
        start = end
    block = Block(idx=0, kind="prose", text=text, section=("一、总体要求",), char_start=0, char_end=len(text))
    return Document(
        doc=name, path=name, sha256="", size=len(text), text=text, blocks=[block], sentences=sentences
    )


def by_canonical(text: str) -> dict[str, RuleRef]:
    return {r.canonical: r for r in extract_rules(make_doc(text))}


@pytest.mark.parametrize(
    ("text", "canonical", "kind"),
    [
        ("我国出台《数据安全法》，加强数据保护。", "数据安全法", "law"),
        ("国务院印发《“十四五”数字经济发展规划》。", "“十四五”数字经济发展规划", "plan"),
        ("按照《数据出境安全评估办法》要求开展申报。", "数据出境安全评估办法", "regulation"),
        (
            "商务部等部门印发《关于拓展跨境电商出口推进海外仓建设的意见》。",
            "关于拓展跨境电商出口推进海外仓建设的意见",
            "policy",
        ),
        ("《金砖国家数字经济伙伴关系框架》获得通过。", "金砖国家数字经济伙伴关系框架", "agreement"),
        ("参照《信息安全技术 个人信息安全规范》执行。", "信息安全技术个人信息安全规范", "standard"),
        ("据《中国商务年鉴》统计，进出口增长。", "中国商务年鉴", "report"),
        ("他喜欢玩《梦幻西游》。", "梦幻西游", "other_work"),
        ("美国《快公司》杂志评选创新企业。", "快公司", "other_work"),
        ("今年的《政府工作报告》对发展数字贸易作出部署。", "政府工作报告", "policy"),
        ("党的二十大报告提出，发展数字贸易。", "党的二十大报告", "policy"),
        ("实施《中国制造2025》。", "中国制造2025", "plan"),
        # stray whitespace from a PDF line break inside the marks
        ("2019年印发《粤港澳大湾区\n发展规划纲要》，标志着新时期。", "粤港澳大湾区发展规划纲要", "plan"),
        ("依据 《数字经济 促进条例》开展工作。", "数字经济促进条例", "regulation"),
        # quoted titles and unmarked names
        ("深圳出台“数字经济产业促进条例”，推动发展。", "数字经济产业促进条例", "regulation"),
        ("与多个国家签署“数字丝绸之路”合作谅解备忘录。", "“数字丝绸之路”合作谅解备忘录", "agreement"),
        ("加快制定个人信息保护法，完善配套制度。", "个人信息保护法", "law"),
        ("依照中华人民共和国电子商务法的规定办理。", "电子商务法", "law"),
        # real sentences (gov_work_reports 2019, state_council_docs)
        (
            "对无证无照经营，有关部门应当按照《无证无照经营查处办法》等法律法规的规定予以查处",
            "无证无照经营查处办法",
            "regulation",
        ),
        ("现将《国家职业教育改革实施方案》印发给你们，请认真贯彻执行", "国家职业教育改革实施方案", "policy"),
        (
            "全面贯彻落实习近平总书记在《告台湾同胞书》发表40周年纪念会上的重要讲话精神",
            "告台湾同胞书",
            "policy",
        ),
        (
            "2018年11月，党中央、国务院印发《关于学前教育深化改革规范发展的若干意见》，提出规范小区配套幼儿园建设使用",
            "关于学前教育深化改革规范发展的若干意见",
            "policy",
        ),
    ],
)
def test_rules_found_with_kind(text: str, canonical: str, kind: str) -> None:
    refs = by_canonical(text)
    assert canonical in refs, refs.keys()
    assert refs[canonical].kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "各级政府要严格依法行政，改进工作方法。",
        "要想办法解决问题，按照有关规定办理。",
        "改善行政执法活动，制定具体管理办法。",
        "推进立法工作，加强司法保障。",
    ],
)
def test_rules_negatives_find_nothing(text: str) -> None:
    assert extract_rules(make_doc(text)) == []


def test_rules_acronym_and_full_name_merge() -> None:
    text = "主动对接《数字经济伙伴关系协定》（DEPA）等规则。加快与DEPA成员的谈判磋商。"
    refs = extract_rules(make_doc(text))
    assert len(refs) == 1
    r = refs[0]
    assert r.canonical == "数字经济伙伴关系协定" and r.kind == "agreement" and r.level == "international"
    assert "DEPA" in r.aliases and r.mentions == 2  # 《…》（DEPA） counts once


def test_rules_unknown_acronym_in_brackets_becomes_alias() -> None:
    text = "《欧洲数据法》（EDA）提出新规则，EDA 将于明年实施。"
    refs = extract_rules(make_doc(text))
    assert len(refs) == 1 and refs[0].mentions == 2 and "EDA" in refs[0].aliases


def test_rules_lexicon_acronym_alone() -> None:
    refs = by_canonical("我国申请加入CPTPP，并推动RCEP生效实施。")
    assert set(refs) == {"全面与进步跨太平洋伙伴关系协定", "区域全面经济伙伴关系协定"}
    assert all(r.kind == "agreement" for r in refs.values())


def test_rules_prc_prefix_and_width_variants_merge() -> None:
    text = "《数据安全法》第十二条规定了义务。《中华人民共和国数据安全法》自2021年施行。《数据安全法》明确了责任。"
    refs = extract_rules(make_doc(text))
    assert len(refs) == 1
    assert refs[0].canonical == "数据安全法" and refs[0].mentions == 3
    assert refs[0].articles == ["第十二条"] and refs[0].surface == "《数据安全法》"


def test_rules_short_alias_resolves_to_recent_full_title() -> None:
    text = "国务院印发《“十四五”数字贸易发展规划》。《规划》提出到2025年的目标。本文还引用《中国数字贸易发展报告2022》，《报告》显示增长。"
    refs = by_canonical(text)
    assert refs["“十四五”数字贸易发展规划"].mentions == 2
    assert refs["中国数字贸易发展报告2022"].mentions == 2
    assert "规划" not in refs and "报告" not in refs


def test_rules_alias_without_full_title_is_kept() -> None:
    refs = by_canonical("《意见》要求各地抓好落实。")
    assert "意见" in refs


def test_rules_doc_number_attached() -> None:
    text = "认真贯彻落实《国务院关于促进融资担保行业加快发展的意见》（国发〔2015〕43号），按照要求推进。"
    r = extract_rules(make_doc(text))[0]
    assert r.doc_number == "国发〔2015〕43号" and r.level == "national"


def test_rules_title_repeat_without_marks_counts() -> None:
    text = "《广东对外经济贸易研究报告（2021~2022）》显示增长。据广东对外经济贸易研究报告（2021~2022）统计，出口上升。"
    r = extract_rules(make_doc(text))[0]
    assert r.mentions == 2 and r.level == "provincial" and r.kind == "report"


def test_rules_mention_inside_other_title_not_counted() -> None:
    text = "《关于实施数据安全法的意见》发布。"
    refs = by_canonical(text)
    assert list(refs) == ["关于实施数据安全法的意见"]


def test_rules_provenance_fields() -> None:
    doc = make_doc("第一句。根据《网络安全法》开展工作。")
    r = extract_rules(doc)[0]
    assert doc.text[r.char_start : r.char_end] == "《网络安全法》"
    assert r.sentence == "根据《网络安全法》开展工作。" and r.section == "一、总体要求" and r.paragraph == 0
    mentions = list(iter_rule_mentions(doc))
    assert len(mentions) == 1 and mentions[0].canonical == "网络安全法"


@pytest.mark.parametrize(
    ("name", "kind", "level"),
    [
        ("广东省数字经济促进条例", "regulation", "provincial"),
        ("广州市数字经济促进条例", "regulation", "municipal"),
        ("国务院关于加快发展服务贸易的若干意见", "policy", "national"),
        ("区域全面经济伙伴关系协定", "agreement", "international"),
    ],
)
def test_rules_kind_and_level_from_title(name: str, kind: str, level: str) -> None:
    k = rule_kind(name)
    assert k == kind
    assert rule_level(name, k) == level


def test_rules_spacy_component_writes_spans() -> None:
    pytest.importorskip("spacy")
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    import nlp.extract.rules  # noqa: F401  (registers "zh_rules")

    words = ["我国", "出台", "《", "数据", "安全法", "》", "和", "CPTPP", "。"]
    doc = Doc(Vocab(), words=words, spaces=[False] * len(words))
    from spacy.language import Language

    assert "zh_rules" in Language.factories
    from nlp.extract.rules import rules_component

    doc = rules_component(doc)
    spans = doc.spans["rules"]
    assert [s.text for s in spans] == ["《数据安全法》", "CPTPP"]
    assert spans[0].label_ == "law" and spans[1].kb_id_ == "全面与进步跨太平洋伙伴关系协定"


def test_rules_mentions_found_in_order() -> None:
    hits = find_rule_mentions("《规划》一词。国务院印发《全国国土规划纲要》。")
    assert [h.surface for h in hits] == ["《规划》", "《全国国土规划纲要》"]
    assert hits[0].canonical == "全国国土规划纲要"  # forward reference when nothing precedes


# ---- fast scanners must find exactly what the plain regexes they replace find


@pytest.mark.parametrize(
    "text",
    [
        "认真学习党的二十大报告和今年政府工作报告。",
        "《政府工作报告》不重复；“政府工作报告”也不。十九大报告报告报告。",
        "报告",
        "党的第十二次全国代表大会的报告指出。",
    ],
)
def test_rules_congress_windows_equal_full_scan(text: str) -> None:
    from nlp.extract.rules import CONGRESS_REPORT_RE, _congress_matches

    assert [m.span() for m in _congress_matches(text)] == [
        m.span() for m in CONGRESS_REPORT_RE.finditer(text)
    ]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("加入RCEP和DEPA。", ["RCEP", "DEPA"]),
        ("XRCEP不是协定，RCEPs也不是。", []),
        ("签署Digital Economy Partnership Agreement。", ["Digital Economy Partnership Agreement"]),
        ("the digital economy partnership agreement (lower case)", ["digital economy partnership agreement"]),
    ],
)
def test_rules_lexicon_scanners_whole_tokens_and_case(text: str, found: list[str]) -> None:
    assert [h.surface for h in find_rule_mentions(text)] == found


def test_rules_unmarked_suffix_needs_cjk_before() -> None:
    # 法 after a Latin letter is no law name; after Chinese text the checks run as before
    assert find_rule_mentions("ABC法。") == []
    assert [h.name for h in find_rule_mentions("依据个人信息保护法，开展工作。")] == ["个人信息保护法"]


def test_rules_mentions_found_once_per_text() -> None:
    """extract_rules and iter_rule_mentions share one scan of the same text; callers get independent lists."""
    doc = make_doc("根据《数据安全法》和RCEP。")
    first = find_rule_mentions(doc.text)
    first.clear()
    assert len(find_rule_mentions(doc.text)) == 2
    assert [r.canonical for r in extract_rules(doc)] == [m.canonical for m in iter_rule_mentions(doc)]


def test_start_scanner_matches_equal_finditer() -> None:
    """Scanning only at StartScanner candidates gives exactly re.finditer's matches (incl. case folding)."""
    import re

    from nlp.extract.scan import StartScanner, iter_matches_at

    text = "依据《数据安全法》和数据安全法规定，参照GDPR与gdpr、欧盟Gdpr条例及法。法典"
    groups = [("数据安全法", "数据安全"), ("gdpr",), ("法",)]
    scanner = StartScanner(groups, ignorecase=[False, True, False])
    starts = scanner.starts(text)
    for literals, flags, cands in zip(groups, (0, re.IGNORECASE, 0), starts, strict=True):
        rx = re.compile("|".join(sorted(literals, key=len, reverse=True)), flags)
        assert [m.span() for m in iter_matches_at(rx, text, cands)] == [m.span() for m in rx.finditer(text)]
    assert scanner.starts("") == [[], [], []]


def test_national_laws_share_one_canonical_across_documents() -> None:
    from nlp.extract.rules import national_short_name

    a = {r.canonical for r in extract_rules(make_doc("根据《中华人民共和国数据安全法》开展评估。", "a.txt"))}
    b = {r.canonical for r in extract_rules(make_doc("落实《数据安全法》的要求。", "b.txt"))}
    assert a == b == {"数据安全法"}
    # the prefix stays where the state is a party, or the name is not a law
    assert national_short_name("中华人民共和国和新加坡共和国政府自由贸易协定", "agreement").startswith(
        "中华人民共和国"
    )
    assert national_short_name("中华人民共和国政府和某国政府关于投资的条例", "regulation").startswith(
        "中华人民共和国"
    )


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("天河区推动经济高质量发展的若干政策意见", "district"),
        ("广州市天河区软件产业发展规划（2020-2025年）", "district"),
        ("某某县乡村振兴规划", "district"),
        ("广州市数字经济促进条例", "municipal"),
        ("西部地区开发规划", "national"),  # a region, not a district
        ("试验区建设方案", "national"),  # a zone word, not a place
    ],
)
def test_rule_level_of_a_title_opening_with_a_district(name: str, level: str) -> None:
    assert rule_level(name, "policy") == level


def test_titles_the_text_calls_standards_are_standards() -> None:
    text = "全球溯源体系《共建方通则》《服务通则》《建设指南》等8份标准获得认可。依据《民法通则》处理。按照《数据安全管理指南》执行。"
    kinds = {r.canonical: r.kind for r in extract_rules(make_doc(text))}
    assert kinds == {
        "共建方通则": "standard",
        "服务通则": "standard",
        "建设指南": "standard",
        "民法通则": "law",
        "数据安全管理指南": "policy",
    }


def test_a_title_less_one_dropped_character_merges_into_the_full_title() -> None:
    """PDFs and typists drop characters: 《山市推动…》 and 《…若措施》 are the title mentioned in full elsewhere."""
    text = (
        "《佛山市推动跨境电子商务高质量发展若干措施》提出，……依据《山市推动跨境电子商务高质量发展若干措施》"
        "和《佛山市推动跨境电子商务高质量发展若措施》。此外，《民法》《民法典》都有规定。"
    )
    refs = by_canonical(text)
    full = refs["佛山市推动跨境电子商务高质量发展若干措施"]
    assert full.mentions == 3
    assert full.level == "municipal"
    assert "民法" in refs and "民法典" in refs  # short titles are not merged


def test_a_report_does_not_cite_itself_by_its_generic_title() -> None:
    from nlp.document import DocMeta

    text = "2025年浙江省政府工作报告\n现在，我代表省人民政府，向大会报告工作，请予审议。完成了《政府工作报告》确定的目标任务。"
    own = make_doc(text)
    own.meta = DocMeta(title="2025年浙江省政府工作报告")
    assert "政府工作报告" not in {r.canonical for r in extract_rules(own)}  # its title line and itself
    assert "政府工作报告" not in {m.canonical for m in iter_rule_mentions(own)}
    cited = make_doc("落实国务院《政府工作报告》部署。")  # the State Council's report in a province's report
    cited.meta = DocMeta(title="2025年浙江省政府工作报告")
    assert {r.canonical for r in extract_rules(cited)} == {"政府工作报告"}
    other = make_doc(text)
    other.meta = DocMeta(title="数字贸易发展研究")
    assert {r.canonical: r.level for r in extract_rules(other)}["政府工作报告"] == "national"


def test_a_five_year_plan_named_by_its_period_is_a_rule() -> None:
    found = [
        (h.surface, h.kind)
        for h in find_rule_mentions("高质量完成“十四五”规划目标任务，科学编制“十五五”规划。")
    ]
    assert found == [("“十四五”规划", "plan"), ("“十五五”规划", "plan")]
    assert find_rule_mentions("“十四五”时期经济增长6%。") == []  # a period, no plan
    assert find_rule_mentions("制定广州市科技创新“十四五”规划。") == [] or all(
        h.surface != "“十四五”规划" for h in find_rule_mentions("制定广州市科技创新“十四五”规划。")
    )  # the tail of a longer name is not the five-year plan


# ---- generalisation fixes (session 4): levels, works of art, method words, title variants


def test_a_place_report_drafting_an_unplaced_regulation_gives_it_the_place_level() -> None:
    from nlp.document import DocMeta

    text = "推动出台民营经济促进条例，编制《青年发展友好型省份建设规划》。落实网络安全法。国务院印发《数据要素行动方案》。"
    doc = make_doc(text)
    doc.meta = DocMeta(title="2025年吉林省政府工作报告")
    levels = {r.canonical: r.level for r in extract_rules(doc)}
    assert levels["民营经济促进条例"] == "provincial"
    assert levels["青年发展友好型省份建设规划"] == "provincial"
    assert levels["网络安全法"] == "national"  # laws are the national legislature's
    assert levels["数据要素行动方案"] == "national"  # the issuer says so
    assert {m.canonical: m.level for m in iter_rule_mentions(doc)}["民营经济促进条例"] == "provincial"
    plain = make_doc(text)  # no place of its own: the old default
    assert {r.canonical: r.level for r in extract_rules(plain)}["民营经济促进条例"] == "national"


@pytest.mark.parametrize(
    ("name", "context", "level"),
    [
        ("自治区社会信用条例", "", "provincial"),  # 自治区 is a province, not a district
        ("内蒙古自治区人民政府关于加强安全生产的意见", "", "provincial"),
        ("省历史文化名城名镇名村保护条例", "", "provincial"),
        ("关于进一步加强全省安全生产宣传教育的通知", "", "provincial"),
        ("行政复议护航企业高质量发展十二项举措", "省司法厅、省工商联等部门联合印发", "provincial"),
        ("盐湖产业高质量发展促进条例", "提请省人大常委会审议出台", "provincial"),
        ("2022年中国游戏出海情况报告", "", "national"),
        ("全面对接国际高标准经贸规则推进中国（上海）自由贸易试验区高水平制度型开放总体方案", "", "national"),
    ],
)
def test_rule_level_from_level_words_and_the_nearest_issuer(name: str, context: str, level: str) -> None:
    assert rule_level(name, rule_kind(name), context) == level


def test_an_article_cited_by_its_title_has_no_level() -> None:
    text = "①《打造数字经济发展高地助力国际一流智慧城市建设》张三，南方日报。据《广州市统计年鉴》统计。"
    refs = by_canonical(text)
    assert refs["打造数字经济发展高地助力国际一流智慧城市建设"].kind == "report"
    assert refs["打造数字经济发展高地助力国际一流智慧城市建设"].level is None
    assert refs["广州市统计年鉴"].level == "municipal"
    assert rule_level("中国应对气候变化的政策与行动", "report") == "national"  # a white paper of the country


@pytest.mark.parametrize(
    ("text", "canonical", "kind"),
    [
        ("推出电视纪录片《两岸家书》，反响热烈。", "两岸家书", "other_work"),
        ("话剧《生命册》获奖。", "生命册", "other_work"),
        ("做好《国家破坏性地震应急预案》的落实工作。", "国家破坏性地震应急预案", "plan"),
        ("印发《人工智能与数字经济试验区产业发展导则》。", "人工智能与数字经济试验区产业发展导则", "policy"),
        (
            "①《中共广州市委关于制定广州市国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议》",
            "中共广州市委关于制定广州市国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议",
            "policy",
        ),
    ],
)
def test_rules_kind_from_genre_word_and_more_suffixes(text: str, canonical: str, kind: str) -> None:
    refs = by_canonical(text)
    assert refs[canonical].kind == kind


@pytest.mark.parametrize(
    "text",
    [
        "项目建设“四全工作法”全面推广。",
        "构建“科技哨兵+精准执法”智慧监管新模式。",
        "按照世界各国国界线画法参考样图绘制。",
        "锚定“一本三基四梁八柱”战略框架，推进发展。",
    ],
)
def test_rules_method_words_and_strategy_frameworks_are_no_rules(text: str) -> None:
    assert extract_rules(make_doc(text)) == []


def test_a_short_title_introduced_by_jiancheng_merges_into_the_title_before_it() -> None:
    text = "根据《某市国民经济和社会发展第十四个五年规划和2035年远景目标纲要》（以下简称《某市十四五规划》），……《某市十四五规划》提出目标。"
    refs = extract_rules(make_doc(text))
    assert len(refs) == 1 and refs[0].mentions == 3
    assert refs[0].canonical.endswith("远景目标纲要") and "《某市十四五规划》" in refs[0].aliases


def test_a_guanyu_title_merges_into_the_same_title_with_its_issuer() -> None:
    text = (
        "《关于促进大数据发展的实施意见》提出建设平台。①《广州市人民政府办公厅关于促进大数据发展的实施意见》。"
        "《关于加快打造数字经济创新引领型城市的若干措施》与《广州市加快打造数字经济创新引领型城市的若干措施》一致。"
        "《关于推进贸易高质量发展的若干措施》和《关于推进贸易高质量发展的行动方案》不同。"
    )
    refs = by_canonical(text)
    full = refs["广州市人民政府办公厅关于促进大数据发展的实施意见"]
    assert full.mentions == 2 and full.level == "municipal"
    assert refs["广州市加快打造数字经济创新引领型城市的若干措施"].mentions == 2
    assert "关于推进贸易高质量发展的若干措施" in refs and "关于推进贸易高质量发展的行动方案" in refs
    assert "关于促进大数据发展的实施意见" not in refs


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("《中国（上海）自由贸易试验区总体方案》", "national"),  # the State Council's plan for the zone
        ("《中国（上海）自由贸易试验区条例》", "provincial"),  # the zone's own legislation is its place's
        ("《中国（深圳）自由贸易试验区管理办法》", "municipal"),
    ],
)
def test_free_trade_zone_plans_are_national_and_their_regulations_local(name: str, level: str) -> None:
    assert rule_level(name, rule_kind(name.strip("《》"))) == level


# --------------------------------------------------------------------------------------------------------------
# left edges, short names, generic heads, 直辖市 (session 4)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("落实“二线口岸”运行管理办法，完善监管。", "“二线口岸”运行管理办法"),  # the quotes belong to the name
        ("修订“零关税”进口交通工具及游艇管理办法，推动优化。", "“零关税”进口交通工具及游艇管理办法"),
        ("第九条仲裁法施行前设立的仲裁机构。", "仲裁法"),  # an article number is no part of the name
        ("未重新组建的，自仲裁法施行之日起届满1年。", "仲裁法"),  # nor a preposition
        ("随着义务教育法的实施，办学条件改善。", "义务教育法"),
        ("镇人民政府有统计法第三十八条规定情形的。", "统计法"),
        ("坚持以香港特别行政区基本法为依据。", "香港特别行政区基本法"),
        ("推进自由贸易试验区管理办法修订。", "自由贸易试验区管理办法"),  # 自由 is no 自 + 由
        ("制定数据要素市场管理办法。", "数据要素市场管理办法"),
        ("依照自然保护区条例办理。", "自然保护区条例"),
        ("全省推广“蜀安·焊”动火作业规范管理办法。", "“蜀安·焊”动火作业规范管理办法"),
    ],
)
def test_unmarked_names_get_their_left_edge(text: str, canonical: str) -> None:
    assert list(by_canonical(text)) == [canonical]


def test_two_rules_joined_by_ji_stay_two() -> None:
    assert set(by_canonical("修订公司法及证券法。")) == {"公司法", "证券法"}
    assert set(by_canonical("按照“一国两制”方针和澳门基本法的规定。")) == {"澳门特别行政区基本法"}


def test_an_unmarked_short_name_after_yixia_jiancheng_joins_its_title() -> None:
    text = "根据《中华人民共和国仲裁法》（以下简称仲裁法）制定。符合仲裁法第十三条规定的人员。"
    refs = extract_rules(make_doc(text))
    assert len(refs) == 1
    r = refs[0]
    assert (
        r.canonical == "仲裁法" and r.mentions == 3 and "仲裁法" in r.aliases and r.articles == ["第十三条"]
    )
    text = "实施《某省数字经济发展规划（2021-2025年）》（以下简称数字经济规划）。数字经济规划提出目标。"
    refs = extract_rules(make_doc(text))
    assert len(refs) == 1 and refs[0].mentions == 3 and "数字经济规划" in refs[0].aliases
    # a bare suffix as the short name is linked but not searched again (本条例 is every regulation's own)
    refs = extract_rules(make_doc("根据《某某条例》（以下简称条例）制定。本条例自公布之日起施行。"))
    assert len(refs) == 1 and refs[0].mentions == 2


@pytest.mark.parametrize(
    "text",
    [
        "列入年度绩效考核，制定考核评价办法。",
        "执行自定奖售办法的生产队。",
        "制定运行管理办法。",
        "国家颁布暂行条例、决定、指示等。",
        "应当符合国家有关安全管理规定。",
        "违反国家进出口管理规定的。",
        "这两个基本法规定了方针。全面贯彻香港、澳门两个基本法。",
        "深入落实“八五”普法任务。",
    ],
)
def test_generic_rule_phrases_are_no_rules(text: str) -> None:
    assert extract_rules(make_doc(text)) == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("依照《中华人民共和国预算法》的规定。", "law"),  # 算法 is a method, 预算法 a law
        ("根据《中华人民共和国测绘法》制定。", "law"),
        ("领取《企业法人营业执照》。", "other_work"),  # forms and licences are no rules
        ("核发《医疗机构执业许可证》。", "other_work"),
        ("依照《中国人民解放军纪律条令》处理。", "regulation"),
        ("国务院发布《关于统一计量制度的命令》。", "policy"),
        ("中英两国政府签订的《关于香港问题的联合声明》。", "agreement"),
    ],
)
def test_kinds_of_licences_orders_and_declarations(text: str, kind: str) -> None:
    assert [r.kind for r in extract_rules(make_doc(text))] == [kind]


def test_laws_are_national_whatever_place_or_issuer_is_named() -> None:
    refs = by_canonical(
        "《香港特别行政区基本法》正在拟订。应当在本省范围内符合仲裁法第十三条规定的人员中聘任。"
    )
    assert refs["香港特别行政区基本法"].level == "national" and refs["仲裁法"].level == "national"
    assert by_canonical("美国制定了所谓《与台湾关系法》，继续售武。")["与台湾关系法"].level == "international"


def test_titles_broken_over_lines_inside_the_marks() -> None:
    assert list(by_canonical("我国第一部《\n国防法\n》开始实施。")) == ["国防法"]


def test_a_regulation_title_line_keeps_its_verbs() -> None:
    assert list(by_canonical("行政法规制定程序条例\n2001年11月16日公布")) == ["行政法规制定程序条例"]


def test_municipalities_are_province_level_with_or_without_shi() -> None:
    from nlp.document import DocMeta

    text = "出台《北京市数字经济促进条例》和《上海数字经济发展规划》。市政府印发《关于加快发展的若干措施》。"
    refs = by_canonical(text)
    assert refs["北京市数字经济促进条例"].level == refs["上海数字经济发展规划"].level == "provincial"
    assert refs["关于加快发展的若干措施"].level == "municipal"  # a bare 市政府: no place known
    doc = make_doc(text)
    doc.meta = DocMeta(title="2025年北京市政府工作报告")
    levels = {r.canonical: r.level for r in extract_rules(doc)}
    assert levels["关于加快发展的若干措施"] == "provincial"  # Beijing's 市政府 is province-level
    assert {m.level for m in iter_rule_mentions(doc)} == {"provincial"}
    doc.meta = DocMeta(title="2025年广州市政府工作报告")
    assert {r.canonical: r.level for r in extract_rules(doc)}["关于加快发展的若干措施"] == "municipal"
    assert rule_level("重庆市国土空间规划", "plan") == rule_level("重庆国土空间规划", "plan") == "provincial"
    assert rule_level("深圳市数据条例", "regulation") == "municipal"


def test_an_implementing_regulation_is_not_its_law() -> None:
    assert list(by_canonical("中华人民共和国个人所得税法实施条例\n2018年12月18日")) == [
        "个人所得税法实施条例"
    ]
    assert list(by_canonical("依照统计法实施条例第十条的规定。")) == ["统计法实施条例"]
    assert list(by_canonical("严格按照香港基本法办事。")) == ["香港特别行政区基本法"]


# --------------------------------------------------------------------------------------------------------------
# session 4 audit: issuer before the title, lists of titles, domestic agreements, city zones, year ranges


def _levels(text: str, title: str = "") -> dict[str, str | None]:
    from nlp.document import DocMeta

    doc = make_doc(text)
    if title:
        doc.meta = DocMeta(title=title)
    return {r.canonical: r.level for r in extract_rules(doc)}


@pytest.mark.parametrize(
    ("text", "name", "level"),
    [
        (
            "国务院印发的《广州南沙深化对外合作总体方案》提出，要加快发展。",
            "广州南沙深化对外合作总体方案",
            "national",
        ),
        (
            "国务院近日印发《关于支持福建探索海峡两岸融合发展的意见》。",
            "关于支持福建探索海峡两岸融合发展的意见",
            "national",
        ),
        ("省政府印发《广州都市圈发展规划》，加快发展。", "广州都市圈发展规划", "provincial"),
        # negatives: no publishing verb, or only the text's own place (我省) before it, or a national title
        ("国务院批复《广州市国土空间总体规划》。", "广州市国土空间总体规划", "municipal"),
        ("我省出台《广州南沙深化对外合作总体方案》。", "广州南沙深化对外合作总体方案", "municipal"),
        ("认真落实《广东省数字经济促进条例》。", "广东省数字经济促进条例", "provincial"),
    ],
)
def test_an_issuer_that_published_the_title_wins_over_a_place_inside_it(
    text: str, name: str, level: str
) -> None:
    assert _levels(text)[name] == level


def test_a_title_in_a_list_of_one_provinces_titles_is_that_provinces() -> None:
    text = (
        "“7”即《关于进一步加强全省安全生产宣传教育的通知》《江西省加强安全生产检查工作办法》"
        "《江西省生产经营单位安全生产主体责任规定》《关于进一步加强冷库安全监管的实施意见》。"
    )
    assert _levels(text)["关于进一步加强冷库安全监管的实施意见"] == "provincial"
    # one provincial sibling against a national one proves nothing: the default holds
    mixed = "贯彻《中华人民共和国安全生产法》《江西省安全生产条例》《关于进一步加强冷库安全监管的实施意见》。"
    assert _levels(mixed)["关于进一步加强冷库安全监管的实施意见"] == "national"
    alone = "《关于进一步加强冷库安全监管的实施意见》提出，要加强监管。"
    assert _levels(alone)["关于进一步加强冷库安全监管的实施意见"] == "national"


def test_the_issuer_or_drafting_verb_before_a_list_holds_for_every_title() -> None:
    text = "省政府办公厅印发《关于加快数字经济发展的实施意见》《关于促进平台经济健康发展的若干措施》。"
    levels = _levels(text)
    assert levels["关于促进平台经济健康发展的若干措施"] == "provincial"
    drafted = "今年出台《关于加快数字经济发展的实施意见》《关于促进平台经济健康发展的若干措施》。"
    assert _levels(drafted, "2025年浙江省政府工作报告")["关于促进平台经济健康发展的若干措施"] == "provincial"
    assert _levels(drafted)["关于促进平台经济健康发展的若干措施"] == "national"  # no own place known


@pytest.mark.parametrize(
    ("text", "name", "level"),
    [
        (
            "南沙开发区工业和信息化局与广州某某数据有限公司签订了《关于共建跨境数据平台的战略合作框架协议》。",
            "关于共建跨境数据平台的战略合作框架协议",
            "district",
        ),
        (
            "并与国家市场监督管理总局信息中心签署《全球溯源中心战略合作备忘录》。",
            "全球溯源中心战略合作备忘录",
            "municipal",
        ),
        ("省政府与中山大学签署《战略合作框架协议》。", "战略合作框架协议", "provincial"),
        # a foreign party, an international body, a pair of states or a treaty word: international
        ("广州市政府与新加坡企业发展局签署《数字经济合作备忘录》。", "数字经济合作备忘录", "international"),
        ("与东盟秘书处签署《数字经济合作备忘录》。", "数字经济合作备忘录", "international"),
        ("签署《中美贸易合作备忘录》。", "中美贸易合作备忘录", "international"),
        ("签署《关于数字经济合作的谅解备忘录》。", "关于数字经济合作的谅解备忘录", "international"),
        ("公司加入《数字贸易协定》。", "数字贸易协定", "international"),
    ],
)
def test_agreements_between_domestic_parties_are_not_international(text: str, name: str, level: str) -> None:
    assert (
        _levels(text, "广州市海珠区数字经济发展报告" if "溯源" not in text else "广州数字贸易发展报告")[name]
        == level
    )


def test_a_place_the_text_drafts_a_rule_for_is_not_hidden_by_a_region_word_before_it() -> None:
    # 东西部 / 中西部 are regions, not a ministry (部): the drafting verb makes the rule the report's own place's
    text = "充分发挥东西部科技合作引领区作用，出台知识产权保护条例，强化政策保障。"
    assert _levels(text, "2025年宁夏政府工作报告")["知识产权保护条例"] == "provincial"
    assert rule_level("数据条例", "regulation", "商务部印发") == "national"
    assert rule_level("数据条例", "regulation", "按照省委部署，") == "provincial"


@pytest.mark.parametrize(
    ("name", "level"),
    [
        ("广州南沙新区（自贸片区）促进人工智能产业发展扶持办法", "district"),
        ("广州开发区促进数字经济发展办法", "district"),
        ("上海市浦东新区促进无驾驶人智能网联汽车创新应用规定", "district"),
        ("广州南沙人工智能产业发展三年行动计划", "municipal"),
        ("河北雄安新区条例", "provincial"),
        ("“无废城市”建设试点工作方案", "national"),
    ],
)
def test_a_citys_new_area_or_development_zone_is_district_level(name: str, level: str) -> None:
    assert rule_level(name, rule_kind(name)) == level


def test_a_year_range_in_brackets_does_not_split_a_rule() -> None:
    text = (
        "落实《广州市加快5G发展三年行动计划（2019—2021年）》要求。"
        "陆续颁布《广州市加快5G发展三年行动计划》《广州市加快5G产业发展若干措施》。"
    )
    rules = extract_rules(make_doc(text))
    plan = [r for r in rules if "三年行动计划" in r.canonical]
    assert len(plan) == 1 and plan[0].mentions == 2
    assert plan[0].canonical == "广州市加快5G发展三年行动计划"
    assert plan[0].surface == "《广州市加快5G发展三年行动计划（2019—2021年）》"  # the first surface kept
    # two plans that differ by their years only stay two, with their years
    two = "实施《某市数字经济三年行动计划（2019-2021年）》和《某市数字经济三年行动计划（2022-2024年）》。"
    assert sorted(r.canonical for r in extract_rules(make_doc(two))) == [
        "某市数字经济三年行动计划（2019-2021年）",
        "某市数字经济三年行动计划（2022-2024年）",
    ]
    # a report's years name its edition
    rep = "《广东对外经济贸易研究报告（2021~2022）》和《广东对外经济贸易研究报告》。"
    assert len(extract_rules(make_doc(rep))) == 2


@pytest.mark.parametrize(
    ("text", "names"),
    [
        (
            "出台新一轮义乌国际贸易综合改革总体方案。",
            ["新一轮义乌国际贸易综合改革总体方案"],
        ),  # after its verb
        (
            "加快建设强港，宁波舟山港总体规划正式获批，",
            ["宁波舟山港总体规划"],
        ),  # a subject approved right after
        ("制定并有序实施三大攻坚战三年行动方案。", ["三大攻坚战三年行动方案"]),  # after the last verb
        ("制定相关实施方案。", []),  # generic
        ("推广经验，在全国范围内实施方案。", []),
        ("出台监督检查等专项工作方案。", []),  # a kind of document
    ],
)
def test_unmarked_plans_and_policies_named_with_their_verb(text: str, names: list[str]) -> None:
    assert [h.surface for h in find_rule_mentions(text)] == names


def test_the_two_cepas_are_two_agreements():
    refs = by_canonical(
        "在《内地与香港关于建立更紧密经贸关系的安排》、《内地与澳门关于建立更紧密经贸关系的安排》下，深化CEPA合作。"
    )
    hk, macao = refs["内地与香港关于建立更紧密经贸关系的安排"], refs["内地与澳门关于建立更紧密经贸关系的安排"]
    assert hk.kind == macao.kind == "agreement"
    assert hk.mentions == 2 and macao.mentions == 1  # the bare acronym is the Hong Kong one's


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # an unmarked plan or package after the verb that issues or applies it; a second one joined by 和
        (
            "出台新一轮宁镇扬一体化发展三年行动计划和支持南京江北新区高质量建设政策措施，促进沿海地区发展。",
            {"新一轮宁镇扬一体化发展三年行动计划": "plan", "支持南京江北新区高质量建设政策措施": "policy"},
        ),
        ("落实职业教育东西协作行动计划，办好内地班。", {"职业教育东西协作行动计划": "plan"}),
        (
            "出台支持昆山深化两岸产业合作试验区创新发展的增量举措。",
            {"支持昆山深化两岸产业合作试验区创新发展的增量举措": "policy"},
        ),
        # a title listing two aims with 、; a level opener before a named plan; the eight-point regulation
        (
            "制定实施促进人才有序流动、推动教科人一体化发展的指导意见，省实验室建设加快。",
            {"促进人才有序流动、推动教科人一体化发展的指导意见": "policy"},
        ),
        ("出台省级航运服务业发展规划，吞吐量增长。", {"省级航运服务业发展规划": "plan"}),
        ("严格落实中央八项规定精神。", {"中央八项规定": "regulation"}),
        # policies described, not named; generic references
        ("认真落实中央的各项政策措施，出台解决农民工问题的政策措施。", {}),
        ("制定相关实施方案，编制省级专项规划。", {}),
        # 和 between two aims stays inside one name; after a document word, or with a one-word side, it lists two
        ("如期完成农业机械化和智能化提升三年行动计划，新增农机5万台。", {"农业机械化和智能化提升三年行动计划": "plan"}),
        ("出台产业扶持政策和三年行动计划，推进改革。", {}),
        ("出台财政和金融政策措施，稳定预期。", {}),
        ("落实中央改革决定和省委实施意见，推进改革。", {}),
        # a task list issued as a document
        ("率先出台营商环境优化提升任务清单，推进改革。", {"营商环境优化提升任务清单": "policy"}),
        # a document the work is measured against (对照, 根据 …), but not a clause that goes on with its own verb
        ("我们对照乡村振兴示范省建设实施方案和年度计划，逐项推进。", {"乡村振兴示范省建设实施方案": "policy"}),
        ("根据国家能源电力发展规划，有序建设电源。", {"国家能源电力发展规划": "plan"}),
        ("根据市场运行新情况及时完善政策措施。", {}),
    ],
)
def test_unmarked_plans_and_policy_packages(text: str, expected: dict[str, str]) -> None:
    assert {c: r.kind for c, r in by_canonical(text).items()} == expected


@pytest.mark.parametrize(
    ("text", "name", "not_name"),
    [
        # a description before an unmarked plan's name is not part of it
        ("率先出台全国首份数据经纪人试点工作方案，发挥试验区作用。", "数据经纪人试点工作方案", "全国首份数据经纪人试点工作方案"),
        # 完成 governs an unmarked plan as 实施 does
        ("如期完成百万人才进海南行动计划，人才总量稳步增长。", "百万人才进海南行动计划", "如期完成百万人才进海南行动计划"),
    ],
)
def test_session8_unmarked_plan_edges(text: str, name: str, not_name: str) -> None:
    got = by_canonical(text)
    assert name in got
    assert not_name not in got
