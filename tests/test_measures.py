"""Named policy measures: tables of sentences -> expected measures (own sentences plus short real quotes)."""

from __future__ import annotations

import pytest

from nlp.document import Block, Document, Sentence
from nlp.extract.measures import canonical_measure, extract_measures, find_measure_mentions, measure_kind


def make_doc(text: str) -> Document:
    block = Block(idx=0, kind="prose", text=text, char_start=0, char_end=len(text))
    return Document(doc="t.txt", path="t.txt", sha256="", size=len(text), text=text, blocks=[block],
                    sentences=[Sentence(para=0, idx=0, text=text, char_start=0, char_end=len(text))])


def canon(text: str) -> dict[str, str]:
    return {m.canonical: m.kind for m in extract_measures(make_doc(text))}


@pytest.mark.parametrize(
    ("text", "canonical", "kind"),
    [
        ("国务院同意新设一批跨境电子商务综合试验区。", "跨境电子商务综合试验区", "zone"),
        ("做强做优国家数字服务出口基地，推动发展。", "国家数字服务出口基地", "base"),
        ("全面推进东数西算工程建设。", "东数西算工程", "program"),
        ("推广国际贸易单一窗口建设经验。", "单一窗口", "mechanism"),
        ("建立数据跨境流动“白名单”制度，明确规则。", "数据跨境流动白名单制度", "mechanism"),
        ("全面实行准入前国民待遇加负面清单管理制度。", "准入前国民待遇加负面清单管理制度", "mechanism"),
        ("开展服务贸易创新发展试点，积累经验。", "服务贸易创新发展试点", "pilot"),
        ("实施数字贸易领航计划，培育龙头企业。", "数字贸易领航计划", "program"),
        ("设立跨区域数字基建专项基金，支持建设。", "跨区域数字基建专项基金", "fund"),
        ("建设大湾区跨境数据互信互任平台。", "大湾区跨境数据互信互任平台", "platform"),
        ("中国（浙江）自由贸易试验区金义片区加快发展。", "中国（浙江）自由贸易试验区", "zone"),
        ("天津自贸试验区在医疗数据领域先行先试。", "中国（天津）自由贸易试验区", "zone"),
        ("推进海南自贸港建设。", "海南自由贸易港", "zone"),
        ("打造数据出境“绿色通道”。", "数据出境绿色通道", "mechanism"),
        # real sentences (gov_work_reports 2019)
        ("首届中国国际进口博览会成功举办，海南自贸试验区启动建设", "中国（海南）自由贸易试验区", "zone"),
        ("新设一批跨境电商综合试验区", "跨境电子商务综合试验区", "zone"),
        ("赋予自贸试验区更大改革创新自主权，增设上海自贸试验区新片区", "自由贸易试验区", "zone"),
    ],
)
def test_measures_found_with_kind(text: str, canonical: str, kind: str) -> None:
    found = canon(text)
    assert canonical in found, found
    assert found[canonical] == kind


@pytest.mark.parametrize(
    "text",
    [
        "加强人才培养，优化贸易结构。",  # generic goals
        "华为公司发布新一代操作系统。",  # companies, technologies
        "广州市天河区位于珠江北岸。",  # places
        "5G、区块链等技术快速发展。",
        "国务院印发《数字贸易试验区建设方案》。",  # inside a rule title: belongs to rules
        "要不断完善体制机制，健全工作制度。",  # generic mechanisms
        "我国建成全球规模最大的数据中心。",
        # the head word is a modifier of what follows (real sentences, gov_work_reports 1980s-2012)
        "在坚持社会主义计划经济的前提下，各企业之间互相竞争。",
        "要彻底改变计划经济的传统观念和做法。",
        "进一步清理规范地方政府融资平台公司。",
        "国际货币基金组织发布了报告。",  # an organisation, not a fund
    ],
)
def test_measures_negatives(text: str) -> None:
    assert extract_measures(make_doc(text)) == []


def test_measures_variants_merge_and_count() -> None:
    text = "广州获批跨境电商综合试验区。跨境电子商务综合试验区带动出口，综试区数量增加。"
    ms = extract_measures(make_doc(text))
    assert len(ms) == 1
    assert ms[0].canonical == "跨境电子商务综合试验区" and ms[0].mentions == 3 and ms[0].surface == "跨境电商综合试验区"


def test_measures_ftz_abbreviations_merge() -> None:
    ms = {m.canonical: m.mentions for m in extract_measures(make_doc("各地自由贸易试验区积极探索，自贸区经验复制推广，自贸试验区扩容。"))}
    assert ms == {"自由贸易试验区": 3}


@pytest.mark.parametrize(
    ("surface", "canonical", "kind"),
    [
        ("跨境电商综试区", "跨境电子商务综合试验区", "zone"),
        ("上海自贸试验区", "中国（上海）自由贸易试验区", "zone"),
        ("“一带一路”", "一带一路", "program"),
        ("某某产业引导基金", "某某产业引导基金", "fund"),
    ],
)
def test_measures_canonical(surface: str, canonical: str, kind: str) -> None:
    assert canonical_measure(surface) == (canonical, kind)


def test_measures_kind_from_head() -> None:
    assert measure_kind("国家级文化产业示范基地") == "base"
    assert measure_kind("营商环境创新试点") == "pilot"
    assert measure_kind("什么都不是") == "other"


def test_measures_given_tokens_are_used() -> None:
    text = "建立双边电子商务合作机制。"
    tokens = [("建立", "v"), ("双边", "n"), ("电子商务", "n"), ("合作", "vn"), ("机制", "n"), ("。", "x")]
    got = find_measure_mentions(text, tokens)
    assert [(c.surface, c.kind) for c in got] == [("双边电子商务合作机制", "mechanism")]


def test_measures_provenance() -> None:
    doc = make_doc("前文。全面推进东数西算工程。")
    m = extract_measures(doc)[0]
    assert doc.text[m.char_start : m.char_end] == m.surface == "东数西算工程"
    assert m.paragraph == 0 and m.doc == "t.txt"


def test_measures_spacy_component_writes_spans() -> None:
    pytest.importorskip("spacy")
    from spacy.language import Language
    from spacy.tokens import Doc
    from spacy.vocab import Vocab

    from nlp.extract.measures import measures_component

    assert "zh_measures" in Language.factories
    words = ["推进", "海南", "自贸港", "和", "东数西算", "工程", "建设", "。"]
    doc = measures_component(Doc(Vocab(), words=words, spaces=[False] * len(words)))
    assert [(s.text, s.label_) for s in doc.spans["measures"]] == [("海南自贸港", "zone"), ("东数西算工程", "program")]


def test_measures_paragraph_without_head_is_skipped_without_tagging(monkeypatch: pytest.MonkeyPatch) -> None:
    """The pre-filter: no head and no gazetteer name -> no tagging, no candidates."""
    import nlp.extract.measures as mod

    def fail(text: str) -> None:
        raise AssertionError("tagged a paragraph without any measure head")

    monkeypatch.setattr(mod, "_tag_block", fail)
    assert find_measure_mentions("经济运行总体平稳，就业形势稳定。") == []


def test_measures_token_bounds() -> None:
    from nlp.extract.measures import _token_bounds

    assert _token_bounds([("综合", "n"), ("试验区", "n"), ("。", "x")]) == [0, 2, 5, 6]
    assert _token_bounds([]) == [0]


def test_measures_misaligned_tokens_are_retagged() -> None:
    text = "设立跨境电子商务综合试验区。"
    good = find_measure_mentions(text)
    assert [c.canonical for c in find_measure_mentions(text, [("设立", "v")])] == [c.canonical for c in good]


def test_measures_document_scan_equals_per_block() -> None:
    """One scan of the whole document text (blocks joined by newlines) finds what per-paragraph scanning finds."""
    from nlp.extract.measures import iter_measure_mentions

    paras = ["建设跨境电子商务综合试验区。", "经济运行总体平稳。", "推进海南自贸港和“东数西算”工程，设立国家数字服务出口基地。"]
    text = "\n".join(paras)
    blocks, pos = [], 0
    for i, p in enumerate(paras):
        blocks.append(Block(idx=i, kind="prose", text=p, char_start=pos, char_end=pos + len(p)))
        pos += len(p) + 1
    doc = Document(doc="t.txt", path="t.txt", sha256="", size=len(text), text=text, blocks=blocks, sentences=[])
    whole = [(m.char_start, m.char_end, m.canonical) for m in iter_measure_mentions(doc)]
    per_block = [
        (c.start, c.end, c.canonical)
        for b in blocks
        for c in find_measure_mentions(b.text, offset=b.char_start)
    ]
    assert whole == per_block
    assert [c for _, _, c in whole] == ["跨境电子商务综合试验区", "海南自由贸易港", "东数西算工程", "国家数字服务出口基地"]


def test_measures_literal_scan_equals_regex() -> None:
    """The heads and gazetteer names found at the three-character scanner's candidates by startswith are exactly
    HEAD_RE's and the gazetteer regex's finditer matches (longest alternative first, no overlaps)."""
    from nlp.extract.measures import HEAD_RE, _literal_matches, load_gazetteer

    text = (
        "建立健全行动计划机制，设立中国（上海）自由贸易试验区和自贸试验区，国家数字服务出口基地与国家文化出口基地；"
        "专项行动专项资金专项，经济特区、国家级新区，市场准入负面清单制度。\n人民币跨境支付系统（CIPS）上线。"
    )
    heads, names = _literal_matches(text)
    assert heads == [(m.start(), m.end(), m.group()) for m in HEAD_RE.finditer(text)]
    rx = load_gazetteer().regex
    assert rx is not None
    assert names == [(m.start(), m.end(), m.group()) for m in rx.finditer(text)]
    assert names  # the sentence does name gazetteer entries


def test_start_scanner_three_character_prefix() -> None:
    """prefix=3 keeps a superset of the true starts (so iter_matches_at still equals finditer) and drops
    positions that only share a two-character opening; non-exact groups are left as with prefix=2."""
    import re

    from nlp.extract.scan import StartScanner, iter_matches_at

    text = "国家统计局、国家文化出口基地和国家；法规与法典，经济特区经济"
    groups = [("国家文化出口基地", "经济特区", "法典"), ("法",)]
    two, three = StartScanner(groups).starts(text), StartScanner(groups, prefix=3).starts(text)
    assert set(three[0]) <= set(two[0]) and len(three[0]) < len(two[0])
    assert three[1] == two[1]
    for literals, cands in zip(groups, three, strict=True):
        rx = re.compile("|".join(sorted(literals, key=len, reverse=True)))
        assert [m.span() for m in iter_matches_at(rx, text, cands)] == [m.span() for m in rx.finditer(text)]
    with pytest.raises(ValueError):
        StartScanner(groups, prefix=4)


@pytest.mark.parametrize(
    ("text", "surface"),
    [
        # jieba's dictionary tags these verb phrases as nouns or names (充分发挥 n, 全面实施 n): not part of the name
        ("充分发挥国家高新技术开发区作用。", "国家高新技术开发区"),
        ("全面实施跨境服务贸易负面清单。", "跨境服务贸易负面清单"),
    ],
)
def test_measures_left_edge_stops_at_a_verb_phrase_tagged_as_noun(text: str, surface: str) -> None:
    assert [m.surface for m in extract_measures(make_doc(text))] == [surface]


def test_quoted_names_in_a_row_stay_apart_and_english_words_end_a_name() -> None:
    text = (
        "推动“跨境数据登记管理系统”“跨境电子签名认证系统”对接。"
        "统筹重点行业 and 大型企业云计算数据中心，建成全省唯一国家级海洋创新中心。"
    )
    names = [c.canonical for c in find_measure_mentions(text)]
    assert "跨境数据登记管理系统" in names and "跨境电子签名认证系统" in names
    assert not any("系统跨境" in n or "and" in n or "唯一" in n for n in names), names


def test_a_quoted_name_keeps_its_verbs_and_the_qualifier_before_the_quotes() -> None:
    names = [c.canonical for c in find_measure_mentions("探索建立数据出境“绿色通道”，推出“电子签约备案平台”。")]
    assert "数据出境绿色通道" in names
    assert "电子签约备案平台" in names


def test_pejorative_projects_are_no_measures() -> None:
    names = [c.canonical for c in find_measure_mentions("坚决反对搞面子工程、形象工程，实施城市更新工程。")]
    assert names == ["城市更新工程"]


def test_a_preposition_glued_to_an_unknown_place_name_is_cut_off() -> None:
    """jieba's HMM reads 以琶洲 / 对琶洲 as one unknown word; the name starts after the preposition."""
    text = "海珠区以琶洲试验区为核心。2021年琶洲试验区新增企业，建设对外贸易综合服务平台。"
    names = [c.canonical for c in find_measure_mentions(text)]
    assert "琶洲试验区" in names, names
    assert not any(n.startswith(("以", "年")) for n in names), names
    assert "对外贸易综合服务平台" in names  # a dictionary word starting with 对 stays whole


def test_a_counted_group_and_a_project_phase_are_no_part_of_a_name() -> None:
    names = [c.canonical for c in find_measure_mentions("建成视觉创新中心等四大人工智能研发平台，启动港口二期工程。")]
    assert not any("四大" in n for n in names) and "二期工程" not in names, names


def test_an_acronym_in_brackets_belongs_to_the_name_and_merges_with_the_bare_name() -> None:
    text = "建设人民币跨境支付系统（CIPS），推广人民币跨境支付系统。"
    names = [c.canonical for c in find_measure_mentions(text)]
    assert names[0] == "人民币跨境支付系统（CIPS）"
    doc = make_doc(text)
    measures = extract_measures(doc)
    assert [(m.canonical, m.mentions) for m in measures] == [("人民币跨境支付系统（CIPS）", 2)]


def test_an_action_verb_leading_a_name_is_trimmed_but_kept_inside() -> None:
    names = [c.canonical for c in find_measure_mentions("扩大人民币跨境支付系统覆盖面，开展服务业扩大开放综合试点。")]
    assert names == ["人民币跨境支付系统", "服务业扩大开放综合试点"]


def test_words_inside_the_quotes_of_a_known_name_qualify_it() -> None:
    found = [(c.surface, c.canonical) for c in find_measure_mentions("推进“数字化中欧班列”建设，开行中欧班列500列。")]
    assert found == [("“数字化中欧班列”", "数字化中欧班列"), ("中欧班列", "中欧班列")]


# --- generalisation fixes (session 4): patterns counted on seed 001, provincial 2025 reports, State Council docs ---


@pytest.mark.parametrize(
    "text",
    [
        "依托国家工程实验室开展研究。",  # 工程 modifies 实验室
        "发展海洋工程结构物租赁。",  # 工程 modifies 结构物
        "用好地方政府专项债，推进集中式饮用水水源地专项整治。",  # 专项 modifies 债 / 整治
        "设立8个改革试验区域。",  # 试验区域 is 区域
        "完善数据资源全链条制度体系。",  # 制度 modifies 体系
    ],
)
def test_a_head_that_modifies_the_next_noun_is_no_measure(text: str) -> None:
    assert extract_measures(make_doc(text)) == [], canon(text)


@pytest.mark.parametrize(
    "text",
    [
        "建立数据要素高效流通体系，打造高端工业软件服务体系。",  # 体系 as a goal
        "支持郑州建设中西部国际交往中心，建设数字贸易中心。",  # a city's role
        "积极规划布局高密度数据中心、大型企业云计算数据中心。",  # a kind of facility
        "打造物流分拨中心。",  # too short to be a name
        "来自医保基金的比例；推动政府股权基金投向初创企业；回购地方政府产业投资基金所持股权。",  # kinds of fund
        "带动十五个特色功能区发展，推动重大水利工程、重大创新平台建设。",  # a level word before a category
        "开工黄河干流防洪二期工程，建成袁湾水库主体工程。",  # construction works
        "扩大对外工程承包，加强流动人口计划生育服务，防止出现“半拉子”工程。",  # 工程承包, 计划生育, pejorative
    ],
)
def test_categories_goals_and_facilities_are_no_measures(text: str) -> None:
    assert extract_measures(make_doc(text)) == [], canon(text)


def test_a_quoted_or_national_system_is_kept() -> None:
    found = canon("不断完善“苏适养老”服务体系。着力打造全国一体化大数据中心协同创新体系。")
    assert found.get("苏适养老服务体系") == "program"
    assert found.get("全国一体化大数据中心协同创新体系") == "program"


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        # a verb that jieba tags as a noun, a name or an idiom does not lead the name
        ("各地严格执行市场准入负面清单。", "市场准入负面清单"),
        ("重庆如期完成国家服务业扩大开放综合试点任务。", "服务业扩大开放综合试点"),
        ("六部作品荣获“五个一工程”优秀奖。", "五个一工程"),
    ],
)
def test_a_governing_verb_tagged_as_a_noun_ends_the_name(text: str, canonical: str) -> None:
    assert list(canon(text)) == [canonical]


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("琶洲已被认定为国家新型工业化产业示范基地。", "国家新型工业化产业示范基地"),
        ("获批国家新一代人工智能创新发展试验区。", "国家新一代人工智能创新发展试验区"),
        ("加快建设南沙粤港澳全面合作示范区。", "南沙粤港澳全面合作示范区"),
        # a conjunction inside a name that a place opens
        ("建设广东人工智能和数字经济产业基地。", "广东人工智能和数字经济产业基地"),
    ],
)
def test_an_adjective_or_conjunction_inside_a_name_keeps_it_whole(text: str, canonical: str) -> None:
    assert canonical in canon(text), canon(text)


def test_a_conjunction_does_not_join_a_noun_or_another_name_onto_a_name() -> None:
    names = list(
        canon(
            "完善数据和个人信息保护制度。改革完善公立医院运行机制和医务人员激励机制。深圳和上海自贸试验区。"
            "建设国务院部门和地方政府信息系统。"
        )
    )
    assert not any("和" in n for n in names), names


def test_national_prefix_and_abbreviations_merge_with_the_known_name() -> None:
    text = "广州获批国家跨境电商综合试验区，跨境电商综试区发展迅速。作为国家自贸区，南沙先行先试。新增一批省级高新区，省级高新技术产业开发区扩容。"
    ms = {m.canonical: m.mentions for m in extract_measures(make_doc(text))}
    assert ms["跨境电子商务综合试验区"] == 2
    assert ms["自由贸易试验区"] == 1
    assert ms["省级高新技术产业开发区"] == 2


# --- recall pass: catalogues, mutual recognition, Silk Road initiatives, named funds ------------------------------


@pytest.mark.parametrize(
    ("text", "canonical", "kind"),
    [
        ("抓紧修订外商投资产业目录，鼓励外资投向高新技术。", "外商投资产业目录", "mechanism"),
        ("动态优化国家职业资格目录，降低就业门槛。", "国家职业资格目录", "mechanism"),
        ("制定政府部门权责清单，完善督查机制。", "政府部门权责清单", "mechanism"),
        ("要求完善重要数据目录。", "重要数据目录", "mechanism"),
    ],
)
def test_a_catalogue_completed_or_revised_is_named(text: str, canonical: str, kind: str) -> None:
    assert canon(text).get(canonical) == kind


def test_a_catalogue_needs_a_specific_object_and_a_verb_acting_on_it() -> None:
    assert canon("完善目录管理。") == {}
    assert canon("优化服务清单。") == {}  # object too short
    assert "外商投资产业目录" not in canon("外商投资产业目录的条目增加。")  # no verb acting on it


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("探索与主要经济体实现数据保护可信认证互认。", "数据保护可信认证互认"),
        ("推进粤港电子签名证书互认。", "粤港电子签名证书互认"),
        ("推动医疗机构检查检验结果互认。", "医疗机构检查检验结果互认"),
    ],
)
def test_mutual_recognition_of_a_named_object_is_a_mechanism(text: str, canonical: str) -> None:
    assert canon(text).get(canonical) == "mechanism"


def test_mutual_recognition_without_its_object_is_not_named() -> None:
    assert canon("促进绿电使用和国际互认。") == {}
    assert canon("推动信用报告区域互认。") == {}


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("中国—东盟信息港、中阿网上丝绸之路建设成效显著。", "中阿网上丝绸之路"),
        ("实施空中丝绸之路建设三年行动。", "空中丝绸之路"),
        ("围绕建设“绿色丝绸之路”，协同共建。", "绿色丝绸之路"),
        ("打造新时代数字丝绸之路的核心枢纽。", "数字丝绸之路"),
        ("推进丝绸之路经济带和21世纪海上丝绸之路建设。", "丝绸之路经济带"),
    ],
)
def test_a_named_silk_road_initiative_is_a_program(text: str, canonical: str) -> None:
    assert canon(text).get(canonical) == "program"


def test_the_historical_silk_road_is_not_an_initiative() -> None:
    assert canon("作为海上丝绸之路的发源地，广州历史悠久。") == {}
    assert canon("沿着古代丝绸之路前行。") == {}


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("努力筹集和管好、用好全国社会保障基金。", "全国社会保障基金"),  # no set-up verb, national fund
        ("今年国家从粮食风险基金中拿出100亿元。", "粮食风险基金"),
        ("充分发挥中以生物产业基金引导带动作用。", "中以生物产业基金"),  # country pair 中以 kept
        ("推进服务贸易创新发展引导基金与社会资本协同配合。", "服务贸易创新发展引导基金"),  # 引导 before 基金
        ("海河产业基金带动多只母基金投资。", "海河产业基金"),
        ("国家自然科学基金资助项目突破千项。", "国家自然科学基金"),
        ("将民航发展基金征收标准降低20%。", "民航发展基金"),
    ],
)
def test_a_fund_with_a_specific_qualifier_is_named_without_a_set_up_verb(text: str, canonical: str) -> None:
    assert canon(text).get(canonical) == "fund"


@pytest.mark.parametrize(
    "text",
    [
        "发挥好股票、债券、产业基金等融资工具的作用。",
        "用好失业保险基金结余，增加稳就业资金。",
        "严格控制消费基金的盲目增长。",
        "鼓励社会资本发起设立股权投资基金。",
        "新设政府投资基金扩展至多个领域。",
        "加强与境外主权财富基金合作。",
        "深化与国家自然科学基金委员会合作。",  # a body, not the fund
    ],
)
def test_a_kind_of_fund_is_not_a_named_fund(text: str) -> None:
    assert not [c for c, k in canon(text).items() if k == "fund"]


def test_a_country_pair_opens_a_name() -> None:
    assert "中俄国际合作先行区" in canon("加快中俄国际合作先行区建设。")
    assert canon("其中以生物产业基地为主。").keys() <= {"生物产业基地"}  # 其中 is no country pair


def test_a_pilot_assessment_is_not_a_pilot() -> None:
    assert canon("政府应及时建立地方创新发展试点工作考核指标体系。") == {}
    assert canon("开展数据资产评估试点工作。").get("数据资产评估试点") == "pilot"


def test_a_bracketed_short_name_counts_as_the_measure() -> None:
    text = "发布自贸试验区数据出境管理清单（负面清单）。进一步完善负面清单。"
    ms = extract_measures(make_doc(text))
    by_name = {m.canonical: m.mentions for m in ms}
    assert by_name.get("数据出境管理清单（负面清单）") == 2
    assert "负面清单" not in by_name


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        # a verb or one-character word inside the name, between it and the verb that sets it up (own sentences)
        ("今年将实施提振旅游专项行动。", "提振旅游专项行动"),
        ("全面完成清理拖欠工程款专项行动。", "清理拖欠工程款专项行动"),
        ("深化减污降碳协同创新区建设。", "减污降碳协同创新区"),
        ("开展自然保护地“清风”行动。", "自然保护地清风行动"),
        ("开展服务类养老救助试点。", "服务类养老救助试点"),
        ("实施乡村建设提质工程。", "乡村建设提质工程"),
        ("加快黑瞎子岛中俄国际合作先行区建设。", "黑瞎子岛中俄国际合作先行区"),
    ],
)
def test_a_name_reaches_back_to_the_verb_that_sets_it_up(text: str, canonical: str) -> None:
    assert canonical in canon(text)


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("加快建设国家技术创新中心。", "国家技术创新中心"),  # 建设 is the predicate, not the name
        ("加快推行个人养老金制度。", "个人养老金制度"),  # nor is a second set-up verb
        ("推动县市区建设适老生活体验中心。", "适老生活体验中心"),  # a place and its verb
    ],
)
def test_a_predicate_before_a_name_stays_out_of_it(text: str, canonical: str) -> None:
    assert canonical in canon(text)


def test_a_complement_of_the_verb_is_not_bridged_into_a_name() -> None:
    assert not any(c.startswith("好") for c in canon("电力公司要实施好“强网”行动。"))  # 实施好


def test_a_compound_set_up_verb_is_not_bridged_into_a_name() -> None:
    assert not any(c.startswith("建立") for c in canon("加快建立健全维护职工权益机制。"))


def test_a_scope_phrase_is_not_bridged_into_a_name() -> None:
    assert "国际区域内数据保护可信认证互认" not in canon("推动国际区域内数据保护可信认证互认。")


@pytest.mark.parametrize(
    "text",
    [
        "优先在公共交通等公共领域试点运营换电技术。",
        "制定实施先进制造业高质量发展行动方案。",
        "打造透明稳定可预期制度环境。",
    ],
)
def test_a_head_used_as_a_modifier_is_no_measure(text: str) -> None:
    assert canon(text) == {}


# --------------------------------------------------------------------------------------------------------------
# the fast paths give exactly the answers of the plain code they replace


@pytest.mark.parametrize(
    "w",
    ["建设国家", "充分利用", "新建", "建", "and", "andy", "o", "", "示范区", "自贸试验区", "试验区域", "综合保税区", "区",
     "推进建设", "建立健全", "国家级开发区", "园区"],
)
def test_measures_affix_sets_match_startswith_endswith(w: str) -> None:
    from nlp.extract import measures as m

    assert m._has_prefix(w, m._LEADING_VERBS) is w.startswith(m.LEADING_VERBS)
    assert m._has_suffix(w, m._ZONE_HEAD_END) is w.endswith(m.ZONE_HEAD_END)


@pytest.mark.parametrize("s", ["跨境电商综合试验区", "跨境 电商", "数据\u3000中心", "a\tb\nc", "x\xa0y", "", "  ", "“平台”"])
def test_measures_flat_fast_path(s: str) -> None:
    from nlp.extract.measures import _flat
    from nlp.extract.rules import flat

    assert _flat(s) == flat(s)


@pytest.mark.parametrize("name", ["国家级经济技术开发区", "跨境电子商务综合试验区（CIPS）", "行动计划", "自贸港", "“白名单”制度",
                                  "双创示范基地", "专项行动", "名录", "清单", "某某", "中心"])
def test_measures_kind_is_the_longest_head_the_name_ends_with(name: str) -> None:
    from nlp.extract import measures as m
    from nlp.extract.rules import flat

    core = m.TRAIL_BRACKET_RE.sub("", flat(name).strip("“”\"'"))
    expected = next((m.HEADS[h] for h in m.HEADS_LONGEST_FIRST if core.endswith(h)), "other")
    assert measure_kind(name) == expected


def test_measures_longest_first_matches_a_character_mask() -> None:
    """Overlaps resolved longest-first (ties: earlier first) keep what a character mask keeps, in text order."""
    import random

    from nlp.extract.measures import _Cand, _longest_first
    from nlp.extract.rules import Mask

    rng = random.Random(7)
    for _ in range(300):
        spans = [(s, s + rng.randint(0, 6)) for s in (rng.randint(0, 30) for _ in range(rng.randint(0, 7)))]
        cands = [_Cand(s, e, str(i), str(i), "zone") for i, (s, e) in enumerate(spans)]
        ordered = sorted(cands, key=lambda c: (-(c.end - c.start), c.start))
        taken, expected = Mask(40), []
        for c in ordered:
            if taken.free(c.start, c.end):
                taken.take(c.start, c.end)
                expected.append(c)
        expected.sort(key=lambda c: c.start)
        assert [c.surface for c in _longest_first(list(cands))] == [c.surface for c in expected]


@pytest.mark.parametrize(
    ("w", "tag"),
    [("提振", "v"), ("消费", "vn"), ("实施", "v"), ("深入实施", "v"), ("乡村建设", "vn"), ("建设", "vn"), ("的", "uj"),
     ("以琶洲", "ns"), ("“", "x"), ("）", "x"), ("类", "q"), ("高水平", "n"), ("扩大", "v"), ("CIPS", "eng")],
)
def test_measures_token_flags_are_the_per_token_decisions(w: str, tag: str) -> None:
    from nlp.extract import measures as m

    flags = m._token_flags((w, tag))
    assert bool(flags & m._NAME) is m._name_token(w, tag)
    assert bool(flags & m._BRIDGE) is m._bridge_token(w, tag, leading=False)
    assert bool(flags & m._BRIDGE_LEAD) is m._bridge_token(w, tag, leading=True)
    assert bool(flags & m._OPENS_BRIDGE) is m._bridge_setup(w)
    assert bool(flags & m._MARK) is (w in m._MARKS)
    assert bool(flags & m._GLUED_CANDIDATE) is (m._name_token(w, tag) and len(w) > 2 and w[0] in "以对在年将把向与和从由于及")


# A set-up verb governs every item of a 、-list whose first item it sets up (generic heads need such a verb).
@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("建设跨境电商综合试验区、海外仓、跨境电商公共分拨中心。", {"跨境电子商务公共分拨中心"}, set()),
        (
            "打造国家数据管理中心、国家数据资源中心和国家数据流通交易中心。",
            {"国家数据资源中心", "国家数据流通交易中心"},
            set(),
        ),
        # no set-up verb before the list: generic heads stay out
        ("加快数据中心、跨境电商公共分拨中心建设。", set(), {"跨境电子商务公共分拨中心"}),
        # the first item is no recognised measure: the verb is not known to set up a list of measures
        ("建设海外仓、跨境电商公共分拨中心。", set(), {"跨境电子商务公共分拨中心"}),
        # the name is not the whole item
        ("建设跨境电商综合试验区、跨境电商公共分拨中心建设单位。", set(), {"跨境电子商务公共分拨中心"}),
        # a generic facility stays generic in a list
        ("建设跨境电商综合试验区、大数据中心。", set(), {"大数据中心"}),
    ],
)
def test_list_items_share_the_set_up_verb(text: str, present: set[str], absent: set[str]) -> None:
    got = set(canon(text))
    assert present <= got
    assert not absent & got


@pytest.mark.parametrize(
    ("text", "canonical", "not_canonical"),
    [
        # a known name followed by a generic head word is the known name
        ("落实高质量共建“一带一路”机制，积极开展交流合作。", "一带一路", "一带一路机制"),
        # the addressee of a reporting duty belongs to its name
        (
            "建立向人大报告国有资产管理情况制度。",
            "向人大报告国有资产管理情况制度",
            "人大报告国有资产管理情况制度",
        ),
        # 和 inside a national zone's name
        ("国家文化和科技融合试验区创建工作稳步推进。", "国家文化和科技融合试验区", "科技融合试验区"),
    ],
)
def test_boundaries(text: str, canonical: str, not_canonical: str) -> None:
    got = canon(text)
    assert canonical in got
    assert not_canonical not in got


def test_conjunction_after_generic_national_opener_outside_zones() -> None:
    # 国家 opens a joined name only for zones: 完善国家数据和个人信息保护制度 is no single name
    assert "国家数据和个人信息保护制度" not in canon("完善国家数据和个人信息保护制度。")


# --- session 5: names with verbs and conjunctions, packages, bodies, nodes; generic names and places -------------


@pytest.mark.parametrize(
    ("text", "canonical", "kind"),
    [
        # a two-character verb inside a name, after a noun (溯源, 报关, 转化)
        ("高标准建设全球溯源中心，形成新工具。", "全球溯源中心", "platform"),
        ("建设海关溯源辅助信息系统、搭建服务平台。", "海关溯源辅助信息系统", "platform"),
        ("建设全球优品分拨中心和全球报关服务系统。", "全球报关服务系统", "platform"),
        ("衔接企业数据直报系统，定期开展分析。", "企业数据直报系统", "platform"),
        # 与/及 joining two domains of one name
        ("探索社会管理与公共服务标准化试点。", "社会管理与公共服务标准化试点", "pilot"),
        ("集中力量建设国家级自动驾驶与智慧交通示范区。", "国家级自动驾驶与智慧交通示范区", "zone"),
        ("构建“国家级自动驾驶及智慧交通示范区”。", "国家级自动驾驶及智慧交通示范区", "zone"),
        ("设立数据流通与治理沙盒试验区。", "数据流通与治理沙盒试验区", "zone"),
        ("依托面向5G技术的物联网与智慧城市应用示范区。", "物联网与智慧城市应用示范区", "zone"),
        ("推动国际商务与数字经济仲裁中心尽快落地。", "国际商务与数字经济仲裁中心", "platform"),
        # a place with a bracketed qualifier, a national programme's number
        ("建设广州（国际）科技成果转化天河基地。", "广州（国际）科技成果转化天河基地", "base"),
        ("获批国家863软件专业孵化器基地。", "国家863软件专业孵化器基地", "base"),
        # the pilot's application pilot names the pilot
        ("开展金融科技创新监管试点应用试点。", "金融科技创新监管试点", "pilot"),
        # public facilities, national nodes, data exchanges, quoted short names
        ("加快建设人工智能公共算力中心等新型基础设施。", "人工智能公共算力中心", "platform"),
        ("推动工业互联网标识解析国家顶级节点扩能增效。", "工业互联网标识解析国家顶级节点", "platform"),
        ("布局粤港澳大湾区算力网络国家枢纽节点。", "粤港澳大湾区算力网络国家枢纽节点", "platform"),
        ("争取广东数据交易所落户。", "广东数据交易所", "platform"),
        ("推出“微警认证”系统。", "微警认证系统", "platform"),
        # a practice named in quotes with 模式 (not 房地产发展新模式); a glued adverb + verb (大力发展/nz) goes
        ("大力发展“跨境电子商务+产业带”模式。", "跨境电子商务+产业带模式", "mechanism"),
        ("探索“房票”模式。", "房票模式", "mechanism"),
        # national mechanisms and programmes of the seed gazetteer (variants merged)
        ("全面推行证明事项告知承诺制。", "告知承诺制", "mechanism"),
        ("深化落实河湖长制、林长制。", "河湖长制", "mechanism"),
        ("深入实施“千万工程”。", "千万工程", "program"),
        ("持续改进“最多跑一次”改革。", "最多跑一次", "mechanism"),
        ("优化海关特殊监管区域布局。", "海关特殊监管区域", "zone"),
        # designations of enterprises (as 专精特新中小企业): a government title that brings support
        ("新增国家制造业单项冠军44家。", "制造业单项冠军", "other"),
        ("全市高新技术企业达到1.2万家。", "高新技术企业", "other"),
        # organisational mechanisms
        ("成立信息基础设施发展领导小组，统筹推进。", "信息基础设施发展领导小组", "mechanism"),
        ("依托市政府牵头的全面深化服务贸易创新发展领导小组，对接工作。", "全面深化服务贸易创新发展领导小组", "mechanism"),
        ("成立海珠区信息基础设施建设工作领导小组。", "海珠区信息基础设施建设工作领导小组", "mechanism"),
        ("积极对接粤港澳联席合作机制。", "粤港澳联席合作机制", "mechanism"),
        # 由/经/对 inside a word of a body's name (自由, 经济, 对外) do not cut it
        ("国务院自由贸易试验区工作部际联席会议办公室要发挥作用。", "国务院自由贸易试验区工作部际联席会议", "mechanism"),
        ("成立对外开放工作领导小组。", "对外开放工作领导小组", "mechanism"),
        # a verb phrase before a head that names a measure by itself goes (综合运用 + 综合保税区)
        ("综合运用综合保税区政策功能优势。", "综合保税区", "zone"),
        ("“两新”工作被国家部际联席会议通报表扬。", "国家部际联席会议", "mechanism"),
        # numbered and versioned policy packages
        ("出台“5G产业化10条”“新基建10条”等政策。", "5G产业化10条", "program"),
        ("出台“5G产业化10条”“新基建10条”等政策。", "新基建10条", "program"),
        ("制定“电竞游戏双10条”。", "电竞游戏双10条", "program"),
        ("金融管理部门发布“科创板八条”。", "科创板八条", "program"),
        ("落实人才振兴60条，技能人才总量增长。", "人才振兴60条", "program"),
        ("黄埔区出台跨境电商扶持政策2.0，每年安排资金。", "跨境电商扶持政策2.0", "program"),
        ("海珠区推出“8+1”系列政策措施，在都市工业等领域。", "8+1系列政策措施", "program"),
        ("落实“1+5”政策体系，扩大经费自主权。", "1+5政策体系", "program"),
        # a package named with what its articles are (措施, 举措, 政策): the whole name, after the last verb
        ("出台促进房地产市场止跌回稳22条举措，市场出现积极变化。", "促进房地产市场止跌回稳22条举措", "program"),
        ("出台服务业高质量发展30条措施，服务业增加值增长。", "服务业高质量发展30条措施", "program"),
        ("落实落细民营经济32条政策，推动民营企业发展。", "民营经济32条政策", "program"),
        ("兑现促进民营经济发展壮大36条政策措施。", "促进民营经济发展壮大36条政策措施", "program"),
    ],
)
def test_session5_names_found(text: str, canonical: str, kind: str) -> None:
    found = canon(text)
    assert found.get(canonical) == kind, found


@pytest.mark.parametrize(
    "text",
    [
        # counts and article references are not packages
        "出台20条措施，新开集装箱航线14条、客运航线13条。",
        "依照第十条规定执行，这三条要大家再议。",
        "落实国家一揽子增量政策的26条措施。",
        # engineering and construction works are no programme; 从事 and 方面 end a name
        "放宽外商投资建设工程设计企业外籍技术人员的比例要求，将建筑工程施工许可下放。",
        "允许劳务派遣员工从事企业研发中心研发岗位临时性工作。",
        "鼓励在服务项目收费等方面先行试点。",
        "构建房地产发展新模式，创新招商引资模式。",
        "数字贸易属“规则密集型”贸易模式，拓展“数字+服务”新模式新业态。",
        # a X行动计划 is a plan document (rules), not a programme
        "实施大气污染防治行动计划，落实职业教育东西协作行动计划。",
        "出台20条措施，修订12条意见。",
        # names that only say the thing innovates, develops or serves
        "建设创新示范区和创新创业基地。",
        "打造制度创新示范区，建设信息共享平台，发展服务创新区。",
        # development areas named by their place are places
        "广州开发区、天河高新区和广州保税区加快发展。",
        "长沙高新区和株洲经开区入选全国百强。",
        # a verb after a subject or before a quoted name is the predicate
        "城市申请试点，企业使用平台。",
        "丹东鸭绿江口列入世界自然遗产名录。",
        # 及 joining two objects of a verb
        "有效推动存量债务缓释化解及融资平台整合压降。",
        "引进标志性重大产业项目及研发中心。",
        # a device counted, a kind of facility
        "安装化粪池安全监测系统1271台。",
        "打造物流分拨中心。",
    ],
)
def test_session5_negatives(text: str) -> None:
    assert extract_measures(make_doc(text)) == [], canon(text)


def test_session5_quoted_name_keeps_its_verb_outside() -> None:
    found = canon("落实高质量共建“一带一路”机制，国家签署“数字丝绸之路”合作文件。")
    assert "一带一路" in found and "数字丝绸之路" in found, found
    assert not any(k.startswith(("高质量", "国家签署")) for k in found), found


def test_session5_designations_of_development_areas_stay() -> None:
    found = canon("获批国家级经济技术开发区，新增省级高新技术产业开发区。")
    assert "国家级经济技术开发区" in found and "省级高新技术产业开发区" in found, found
    assert "数字产业集聚区" in canon("建设数字产业集聚区。")  # a domain word makes the name specific


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("实施新消费品牌培育行动。", "新消费品牌培育行动"),  # the verb a programme is named by, before its head
        ("实施农村公路提升行动。", "农村公路提升行动"),
        ("实施未来产业培育计划。", "未来产业培育计划"),
        ("实施湿地保护修复工程。", "湿地保护修复工程"),
    ],
)
def test_a_programme_named_by_its_verb(text: str, name: str) -> None:
    assert [m.surface for m in find_measure_mentions(text)] == [name]


@pytest.mark.parametrize("text", ["实施修复工程。", "实施扩容工程。", "开展提升行动。"])
def test_a_programme_verb_and_head_alone_name_nothing(text: str) -> None:
    assert find_measure_mentions(text) == []


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("深化“最多跑一次”改革。", ["“最多跑一次”改革"]),  # a quoted slogan and its head
        ("推动“四港”联动。", ["“四港”联动"]),
        ("深化政务服务增值化改革。", ["政务服务增值化改革"]),  # a named reform
        ("深化国资国企改革。", []),  # a reform with no quoted name: a policy area, not a named measure
        ("培育先进制造业集群。", []),
    ],
)
def test_quoted_slogans_and_named_reforms(text: str, names: list[str]) -> None:
    assert [m.surface for m in find_measure_mentions(text)] == names


@pytest.mark.parametrize(
    ("text", "names"),
    [
        ("建设花都汽车产业基地。", []),  # a district's own industrial base: a place
        ("打造白云新城总部经济集聚区。", []),
        ("建设万鹏高新技术企业孵化基地。", []),  # a company's
        ("建设数字产业集聚区。", ["数字产业集聚区"]),  # no place or proper name before it
        ("认定国家数字服务出口基地。", ["国家数字服务出口基地"]),  # a designation
        ("建设广州（国际）科技成果转化天河基地。", ["广州（国际）科技成果转化天河基地"]),
    ],
)
def test_a_park_a_district_or_company_names_for_itself_is_a_place(text: str, names: list[str]) -> None:
    assert [m.surface for m in find_measure_mentions(text)] == names


@pytest.mark.parametrize(
    ("text", "canonical", "not_canonical"),
    [
        # a count jieba glued to the name's first word (三大省/ns) is no part of the name
        ("布局物理、合成生物三大省科技创新示范区。", "省科技创新示范区", "生物三大省科技创新示范区"),
        # a formula label in front of the name, unquoted
        ("推进1+X证书制度试点。", "1+X证书制度试点", "证书制度试点"),
        ("建设1+3+N低空经济发展平台，拓展应用场景。", "1+3+N低空经济发展平台", "低空经济发展平台"),
        # a quoted stretch of up to 18 characters inside the name
        ("启动“学历证书+若干职业技能等级证书”制度试点。", "学历证书+若干职业技能等级证书制度试点", "证书制度试点"),
        # jieba's tags 本科/r and 层次/m are corrected in the domain dictionary, so the walk goes on
        ("开展本科层次职业教育试点。", "本科层次职业教育试点", "职业教育试点"),
        # 减污降碳 is one word of the domain dictionary (jieba cut 减污降/碳)
        ("开展减污降碳协同创新试点。", "减污降碳协同创新试点", "协同创新试点"),
    ],
)
def test_session8_boundaries(text: str, canonical: str, not_canonical: str) -> None:
    got = canon(text)
    assert canonical in got
    assert not_canonical not in got


@pytest.mark.parametrize(
    ("text", "absent"),
    [
        # the reform of a quoted programme is no measure besides the programme
        ("“百县千镇万村高质量发展工程”集成式改革成效显现。", "百县千镇万村高质量发展工程集成式改革"),
        # a quota, not a programme
        ("全省本科招生计划新增2万余个。", "全省本科招生计划"),
        ("制定辖区年度抽查工作计划。", "辖区年度抽查工作计划"),
        # a combination of means described as a model
        ("推行“人脸识别技术+定制化政务服务”模式。", "人脸识别技术+定制化政务服务模式"),
        # a goal a place sets itself (成为 …) is no zone set up
        ("天河中央商务区打造成为粤港澳大湾区服务贸易自由化示范区。", "粤港澳大湾区服务贸易自由化示范区"),
        ("将建设成为全国一流的数字经济示范区。", "数字经济示范区"),
        # a company's reputation is no part of a name
        ("2016年收购美国知名移动原生广告平台。", "美国知名移动原生广告平台"),
        # a park and a platform joined by 与 are two things
        ("大数据产业园与大数据平台建设提质。", "大数据产业园与大数据平台"),
    ],
)
def test_session8_not_measures(text: str, absent: str) -> None:
    assert absent not in canon(text)


def test_session8_quoted_programme_before_its_reform_stays() -> None:
    assert "百县千镇万村高质量发展工程" in canon("“百县千镇万村高质量发展工程”集成式改革成效显现。")


def test_session8_a_declared_short_name_counts_as_the_measure() -> None:
    text = "启动“学历证书+若干职业技能等级证书”制度试点（以下称1+X证书制度试点）工作。深化1+X证书制度试点。"
    [m] = extract_measures(make_doc(text))
    assert m.canonical == "学历证书+若干职业技能等级证书制度试点"
    assert m.mentions == 3


@pytest.mark.parametrize(
    ("text", "canonical", "kind"),
    [
        ("支持综合保税区培育创建国家产业创新中心、国家技术创新中心等研发机构。", "国家技术创新中心", "platform"),
        ("累计获批牵头建设全国重点实验室44家。", "全国重点实验室", "platform"),
        ("新获批国家先进制造业集群4个。", "国家先进制造业集群", "other"),
        ("247个项目得到国家超长期特别国债资金支持。", "超长期特别国债", "fund"),
    ],
)
def test_session8_national_designations_from_the_gazetteer(text: str, canonical: str, kind: str) -> None:
    assert canon(text).get(canonical) == kind


@pytest.mark.parametrize(
    ("text", "canonical", "not_canonical"),
    [
        ("落实中央教育工作领导小组各项要求。", "中央教育工作领导小组", "落实中央教育工作领导小组"),
        ("工作进展情况要定期报告国务院深化医药卫生体制改革领导小组。", "国务院深化医药卫生体制改革领导小组",
         "工作进展情况要定期报告国务院深化医药卫生体制改革领导小组"),
    ],
)
def test_session8_a_verb_governing_a_body_is_not_in_its_name(text: str, canonical: str, not_canonical: str) -> None:
    got = canon(text)
    assert canonical in got
    assert not_canonical not in got


def test_session8_no_body_name_from_a_reporting_clause() -> None:
    assert not any("报告" in n for n in canon("重大事项按程序报批，落实情况定期报告联席会议。"))


def test_session8_a_four_character_nr_word_is_no_proper_name_of_a_local_park() -> None:
    # jieba's dictionary tags 体育竞赛 nr (as it does thousands of four-character words): no company or place
    assert canon("培育一批体育竞赛表演产业集聚区。").get("体育竞赛表演产业集聚区") == "zone"


def test_session8_a_zone_set_up_is_still_a_measure() -> None:
    assert "粤港澳大湾区服务贸易自由化示范区" in canon("支持天河中央商务区建设粤港澳大湾区服务贸易自由化示范区。")


# ---------------------------------------------------------------- quoted names (session 10)
@pytest.mark.parametrize(
    ("text", "surfaces"),
    [
        # numbers inside the quotes are part of the name, not a count
        ("加快培育“415X”先进制造业集群。", ["“415X”先进制造业集群"]),
        ("深入实施“双一流196”工程。", ["“双一流196”工程"]),
        ("深化“15分钟品质文化生活圈”建设。", ["“15分钟品质文化生活圈”"]),
        # the walk stops at a count inside the quotes: the quotes bound the name
        ("扎实推进“十项重大工程”。", ["“十项重大工程”"]),
        # a governing verb before the quote stays out
        ("学习运用“千万工程”经验。", ["“千万工程”"]),
        # 建设 between a quoted thing and a pilot's head belongs to the name, the verb before the quote does not
        ("稳妥推进“好房子”建设试点。", ["“好房子”建设试点"]),
        ("关于印发“无废城市”建设试点工作安排的通知", ["“无废城市”建设试点"]),
        ("促进形成“无废城市”建设长效机制。", []),
        # a name spans one quoted stretch, not two
        ("建设“东数西算”长三角枢纽“1+4”算力平台。", ["东数西算", "长三角枢纽“1+4”算力平台"]),
    ],
)
def test_session10_a_quoted_name_is_whole(text: str, surfaces: list[str]) -> None:
    assert [m.surface for m in find_measure_mentions(text)] == surfaces


@pytest.mark.parametrize(
    ("text", "canonical"),
    [
        ("狠抓“两重”项目实施。", "两重"),
        ("落实“两新”政策。", "两新"),
        ("推出“33条”增量政策。", None),  # a bare count in quotes names nothing
        ("举办“苏新消费”系列活动。", "苏新消费"),
        ("谋划“十五五”重大项目。", None),  # a plan period
        ("落实“两新”等政策。", "两新"),  # a list of one (see the list test)
        ("打击“台独”分裂活动。", None),  # an event with a word between
        ("发布“揭榜挂帅”项目榜单。", "揭榜挂帅"),  # a known name: the gazetteer's, not 揭榜挂帅项目
    ],
)
def test_session10_quoted_name_before_a_project_or_policy(text: str, canonical: str | None) -> None:
    got = canon(text)
    if canonical is None:
        assert got == {}
    else:
        assert canonical in got
        assert len(got) == 1


def test_session10_quoted_names_listed_before_a_measure_head() -> None:
    got = canon("出台“城新贷”“交运贷”“设备担”等金融支持政策。")
    assert got == {"城新贷": "program", "交运贷": "program", "设备担": "program"}
    # the last head that closes the list says the kind: 等项目建设模式 -> 模式
    assert canon("推行“策划+融资+运营”等项目建设模式。") == {"策划+融资+运营": "mechanism"}
    # events are not measures, nor numbers or plan periods
    assert canon("打击“台独”“两国论”等分裂活动。") == {}
    assert canon("加强“两重”“十五五”等重大项目谋划。") == {"两重": "program"}
    # a head that is a modifier here names no kind: 专项整治 is an action on the listed things
    assert canon("排查“生命通道”“老旧管线”等安全隐患专项整治。") == {}


def test_session10_a_campaign_launched_by_kaizhan() -> None:
    assert canon("开展基础教育扩优提质行动。") == {"基础教育扩优提质行动": "program"}
    assert canon("开展提质行动。") == {}  # the verb and a two-character aim name no campaign
