"""nlp.clean: each cleaner with a table of input/output pairs, then the entry point on hand-made documents."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from nlp.clean import (
    clean_and_structure,
    collapse_doubled_line,
    find_running_lines,
    join_pieces,
    join_spaced_digits,
    normalize_spaces,
    normalize_width,
    remove_cjk_spaces,
    strip_heading_marks,
    strip_html_comments,
    strip_html_tags,
    strip_markdown_emphasis,
    strip_zero_width,
)
from nlp.document import RawText


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("数字\u200b贸易", "数字贸易"),
        ("\ufeff标题", "标题"),
        ("数\u200c字\u200d贸\u2060易", "数字贸易"),
        ("co\u00adoperation", "cooperation"),
        ("无零宽字符", "无零宽字符"),
    ],
)
def test_strip_zero_width(text: str, expected: str) -> None:
    assert strip_zero_width(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("１９９８年", "1998年"),
        ("ＧＤＰ增长５％", "GDP增长5％"),
        ("ａｂｃ", "abc"),
        ("第一，数字贸易：（一）《规划》；。", "第一，数字贸易：（一）《规划》；。"),
        ("２０２３年，我国数字贸易额达３．６万亿元。", "2023年，我国数字贸易额达3．6万亿元。"),
    ],
)
def test_normalize_width_keeps_chinese_punctuation(text: str, expected: str) -> None:
    assert normalize_width(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("跨 境 电 商 进 出 口 额", "跨境电商进出口额"),
        ("2019 年", "2019年"),
        ("依托 5G技术", "依托5G技术"),
        ("增长 39.87% 。", "增长39.87%。"),
        ("加快与 CPTPP 和 DEPA 成员", "加快与CPTPP和DEPA成员"),
        ("Digital Economy Partnership Agreement", "Digital Economy Partnership Agreement"),
        ("《Digital Economy Partnership Agreement》", "《Digital Economy Partnership Agreement》"),
        ("2015 335.05 244.6", "2015 335.05 244.6"),
        ("Python 3 版本", "Python 3版本"),
        ("第 一 ，加 快 完 善", "第一，加快完善"),
    ],
)
def test_remove_cjk_spaces(text: str, expected: str) -> None:
    assert remove_cjk_spaces(text) == expected


_SPACED = "从1 9 9 3 年3 月起。1 9 9 7 年产值达到7 4 7 7 2 亿元，增长8 ．8 ％，降到1 0 ．0 6 ‰，共3 0 0 多个城市。"


def test_join_spaced_digits_repairs_a_damaged_text() -> None:
    assert join_spaced_digits(_SPACED) == "从1993 年3 月起。1997 年产值达到74772 亿元，增长8．8 ％，降到10．06 ‰，共300 多个城市。"


@pytest.mark.parametrize(
    "text",
    [
        "排名 1 2 3，共 3 5 个",  # no evidence of the damage: a list or a table row stays
        "1 9 9 7 年粮食产量 4 9 2 5 0 万吨",  # twice is not enough
        "2015 335.05 244.6 2016 1 2 3",
    ],
)
def test_join_spaced_digits_leaves_undamaged_text(text: str) -> None:
    assert join_spaced_digits(text) == text


def test_clean_and_structure_reads_spaced_numbers() -> None:
    text, _, _, _ = clean_and_structure(RawText(_SPACED, "txt"))
    assert "1997年产值达到74772亿元" in text and "8．8％" in text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("促进数字贸易改革创新发展促进数字贸易改革创新发展", "促进数字贸易改革创新发展"),
        ("完善数字基础设施夯实底座完善数字基础设施夯实底座", "完善数字基础设施夯实底座"),
        ("哈哈哈哈", "哈哈哈哈"),  # too short to be a headline
        ("数字贸易数字经济", "数字贸易数字经济"),
        ("研究研究", "研究研究"),
    ],
)
def test_collapse_doubled_line(text: str, expected: str) -> None:
    assert collapse_doubled_line(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("规模<sup>①</sup>从2018年", "规模从2018年"),
        ("第一行<br>第二行", "第一行\n第二行"),
        ("<p>正文</p>", "正文"),
        ("<span class='x'>数字</span>贸易", "数字贸易"),
        ("a < b 且 c > d", "a < b 且 c > d"),
    ],
)
def test_strip_html_tags(text: str, expected: str) -> None:
    assert strip_html_tags(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("施行\n\n<!-- INFO END -->\n\n第一章", "施行\n\n\n\n第一章"),
        ("a<!-- x\ny -->b", "ab"),
    ],
)
def test_strip_html_comments(text: str, expected: str) -> None:
    assert strip_html_comments(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("**重点任务**", "重点任务"), ("__加粗__文字", "加粗文字"), ("2*3*4", "2*3*4")],
)
def test_strip_markdown_emphasis(text: str, expected: str) -> None:
    assert strip_markdown_emphasis(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("## （二）跨境电商", "（二）跨境电商"),
        ("#标题", "标题"),
        ("##### 1. 方面。", "1. 方面。"),
        ("C# 语言", "C# 语言"),
    ],
)
def test_strip_heading_marks(text: str, expected: str) -> None:
    assert strip_heading_marks(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [("发布\u3000", "发布 "), ("a\u00a0b", "a b"), ("一\r\n二\r三", "一\n二\n三")],
)
def test_normalize_spaces(text: str, expected: str) -> None:
    assert normalize_spaces(text) == expected


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ("对比20", "19年的28.74%", "对比2019年的28.74%"),
        ("增长至2023年的8", "433.00亿元", "增长至2023年的8433.00亿元"),
        ("在粤港澳", "大湾区背景下", "在粤港澳大湾区背景下"),
        ("Digital Economy", "Partnership", "Digital Economy Partnership"),
        ("大力开拓R", "CEP等新兴市场", "大力开拓RCEP等新兴市场"),  # an acronym cut at the margin
        ("徽商大会、R", "CEP", "徽商大会、RCEP"),
        ("（Digital", "Economy Partnership", "（Digital Economy Partnership"),
        ("参加WTO", "and RCEP talks", "参加WTO and RCEP talks"),
    ],
)
def test_join_pieces(left: str, right: str, expected: str) -> None:
    assert join_pieces(left, right) == expected


def test_find_running_lines_flags_a_page_numbered_header() -> None:
    lines = []
    for page in range(1, 7):
        lines += [f"广州数字贸易发展报告 {page}", "正文内容，说明情况。" * 3, "另一段正文。"]
    found = find_running_lines(lines)
    assert found == {i for i, s in enumerate(lines) if s.startswith("广州数字贸易发展报告")}


def test_find_running_lines_keeps_repeated_content_that_is_rare() -> None:
    lines = ["数据来源：中国商务年鉴", "正文。", "数据来源：中国商务年鉴", "正文二。"]
    assert find_running_lines(lines) == set()


# ---------------------------------------------------------------- the entry point


def _run(text: str, pages: list[str] | None = None):
    out = clean_and_structure(RawText(text, "pdf" if pages else "txt", pages=pages))
    doc, blocks, sentences, _ = out
    assert doc == "\n".join(b.text for b in blocks)
    for b in blocks:
        assert doc[b.char_start : b.char_end] == b.text
    for s in sentences:
        assert doc[s.char_start : s.char_end] == s.text
    return out


WRAPPED = (
    "1 研究背景\n\n"
    "2019年中国中央、国务院正式印发《粤港澳大湾区\n\n发展规划纲要》，标志着广东省进入粤港澳一体化发展\n\n"
    "的新时期。在此背景下，广东省要充分抓住此次契机，\n\n依托 5G技术、人工智能技术、大数据技术大力发展数\n\n"
    "字贸易，数字贸易进出口总额占比为 50.9%，对比 20\n\n19 年的 28.74%的占比，比重有了大幅度提升。具体\n\n"
    "表现为跨境电商进出口总额由 2019 年 1107.90 亿元增长至2023 年的 8\n\n433.00亿元，增速十分显著，从而为广东外贸\n\n"
    "发展寻找新的经济增长点。\n\n"
    "2 文献综述\n\n关于数字贸易的概念界定学界众说纷纭，尚存较多\n\n争议，本文采用通行的定义。\n"
)


def test_wrapped_lines_join_into_paragraphs_and_numbers_rejoin() -> None:
    _, blocks, _, _ = _run(WRAPPED)
    kinds = [(b.kind, b.text[:6]) for b in blocks]
    assert kinds == [
        ("heading", "1 研究背景"),
        ("prose", "2019年中"),
        ("heading", "2 文献综述"),
        ("prose", "关于数字贸易"),
    ]
    assert "依托5G技术" in blocks[1].text
    assert "对比2019年的28.74%的占比" in blocks[1].text
    assert "2023年的8433.00亿元" in blocks[1].text
    assert blocks[1].text.endswith("发展寻找新的经济增长点。")
    assert blocks[1].section == ("1 研究背景",)


# a report set across the page in a small font: about 50 ideographs to a line, wider than the 45 once taken as
# the widest column of hard-wrapped text (the sentences are this project's own)
WIDE = (
    "一、2024年工作回顾\n"
    "过去一年，全市坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，经济运行总体平稳，城市建设持续\n"
    "推进，民生保障不断加强。实施排水管网建设改造攻坚行动，建立完善厂网一体运行机制，新建和改造供水管网60\n"
    "0公里、排水管网2500公里，完成城镇老旧小区改造120个，新增城市绿地300万平方米，建成社区口袋公\n"
    "园45个，群众居住环境明显改善。加快建设新型数字基础设施，新建5G基站3000个，推动千兆光网覆盖所有乡镇\n"
    "和重点行政村，建成智能算力中心两个，新增数据中心标准机架八千架，全市算力总规模达到1.5EF\n"
    "lops，培育数字经济核心产业企业200家，数字经济核心产业增加值占地区生产总值的比重提高到12%，\n"
    "数字化转型取得明显成效。\n"
    "二、2025年主要任务\n"
    "今年全市经济社会发展的主要预期目标是：地区生产总值增长5%左右，城镇新增就业12万人以上，城镇调查失业\n"
    "率控制在百分之五点五以内，居民消费价格涨幅百分之三左右，居民收入增长和经济增长同步，单位地区生产总值能\n"
    "耗下降百分之二点五，粮食产量稳定在一百八十万吨以上，主要污染物排放总量继续减少，生态环境质量持续改善。\n"
)


def test_wide_wrapped_column_joins_numbers_and_latin_units_cut_at_the_margin() -> None:
    _, blocks, _, _ = _run(WIDE)
    assert [(b.kind, b.text[:6]) for b in blocks] == [
        ("heading", "一、2024"),
        ("prose", "过去一年，全"),
        ("heading", "二、2025"),
        ("prose", "今年全市经济"),
    ]
    assert "供水管网600公里、排水管网2500公里" in blocks[1].text  # 60 + 0公里、 is no numbered item
    assert "达到1.5EFlops，培育" in blocks[1].text  # a unit cut after its number's digits: one token
    assert blocks[1].text.endswith("数字化转型取得明显成效。")


def test_clean_paragraphs_are_never_joined() -> None:
    text = (
        "# 某某条例\n\n1991年3月4日 国务院令第76号发布　\n\n2018年9月6日 国务院常务会议修订通过\n\n"
        "<!-- INFO END -->\n\n## 第一章 总则\n\n第一条 为了规范代理行为，制定本条例。\n\n"
        "第二条 代理机构应当符合下列条件：\n\n(一)有名称；\n\n(二)有章程。\n\n专利代理机构依法执业受法律保护。\n"
    )
    _, blocks, _, removals = _run(text)
    raw_lines = [re.sub(r"^#+\s*|\s", "", s) for s in text.split("\n") if s.strip() and "<!--" not in s]
    assert [re.sub(r"\s", "", b.text) for b in blocks] == raw_lines
    assert ("markup", "<!-- INFO END -->") in {(r.kind, r.text) for r in removals}


def test_page_headers_footers_and_numbers_removed_and_counted() -> None:
    pages = [
        f"聚知刊出版社 2024 年 1 卷 12 期\n第{i}段的正文，内容在这里继续写下去。\n- {i} -"
        for i in range(1, 6)
    ]
    doc, blocks, _, removals = _run("\n".join(pages), pages=pages)
    assert "聚知刊" not in doc
    counted = {(r.kind, r.text): r.count for r in removals}
    assert counted[("header_footer", "聚知刊出版社 2024 年 1 卷 12 期")] == 5
    assert sum(n for (k, _), n in counted.items() if k == "page_number") == 5
    assert len(blocks) == 5


def test_masthead_removed_without_pages() -> None:
    text = (
        "正文第一段。\n\n聚知刊出版社 2024 年 1 卷 12 期\n\nJZK publishing 社会企业经济发展\n\n正文第二段。\n"
    )
    doc, _, _, removals = _run(text)
    assert doc == "正文第一段。\n正文第二段。"
    assert {r.kind for r in removals} == {"header_footer"}


def test_removals_account_for_every_lost_cjk_character() -> None:
    text = "促 进 数 字 贸 易 发 展促 进 数 字 贸 易 发 展\n规模<sup>①</sup>扩大\u200b。\n"
    doc, blocks, _, removals = _run(text)
    assert blocks[0].text == "促进数字贸易发展" and blocks[0].kind == "heading"
    lost = Counter(re.findall(r"[\u4e00-\u9fff]", text)) - Counter(re.findall(r"[\u4e00-\u9fff]", doc))
    removed = Counter()
    for r in removals:
        removed.update({ch: r.count for ch in re.findall(r"[\u4e00-\u9fff]", r.text)})
    assert not lost - removed
    kinds = {r.kind for r in removals}
    assert {"duplicate_headline", "markup", "zero_width"} <= kinds


def test_empty_input() -> None:
    assert _run("") == ("", [], [], [])


# ---------------------------------------------------------------- paragraphs per format, front matter, bylines

FRONT = "某市2023年数字经济发展统计公报\n某市统计局\u3000某市工业和信息化局\n2024年3月20日\n一、总体情况\n"
# a 24+ wide clause line that does not end: in txt it is taken for a line cut at a page break and joined
CUT = "全年软件业务收入增长12.3%，电子信息制造业增加值增长8.1%，\n数字经济核心产业保持较快增长。\n"


@pytest.mark.parametrize("fmt", ["docx", "html"])
def test_docx_and_html_lines_are_paragraphs_never_joined(fmt: str) -> None:
    text = FRONT + CUT
    _, blocks, _, _ = clean_and_structure(RawText(text, fmt))
    assert [b.text for b in blocks] == [
        "某市2023年数字经济发展统计公报",
        "某市统计局某市工业和信息化局",
        "2024年3月20日",
        "一、总体情况",
        "全年软件业务收入增长12.3%，电子信息制造业增加值增长8.1%，",
        "数字经济核心产业保持较快增长。",
    ]
    assert blocks[3].kind == "heading"


def test_txt_still_joins_a_line_cut_at_a_page_break_but_not_its_front_matter() -> None:
    _, blocks, _, _ = _run(FRONT + CUT)
    assert [b.text for b in blocks][:4] == [
        "某市2023年数字经济发展统计公报",
        "某市统计局某市工业和信息化局",
        "2024年3月20日",
        "一、总体情况",
    ]
    assert blocks[-1].text.endswith("增长8.1%，数字经济核心产业保持较快增长。")


def test_long_title_without_punctuation_is_not_joined_to_the_next_line() -> None:
    text = "某市推进国家数字服务出口基地建设深化数字贸易规则对接和制度型开放的实施方案的补充规定\n某府办〔2024〕3号\n各区人民政府：\n"
    _, blocks, _, _ = _run(text)
    assert [b.text for b in blocks] == text.strip().split("\n")


# a hard-wrapped PDF column (about 20 characters) under four front-matter lines
COLUMN = (
    "某市人民政府2024年政府工作报告\n"
    "2024年某市政府工作报告（节选）\n"
    "——2024年1月18日在某市第十六届人民代表大会第四次会议上\n"
    "某市市长 王某某\n"
    "各位代表：\n"
    "现在，我代表市人民政府，向大会报告工作，请予审\n"
    "议，并请市政协委员提出意见。\n"
    "过去一年，面对复杂严峻的外部环境，我们坚持稳中\n"
    "求进工作总基调，全市经济运行持续回升向好。全年\n"
    "地区生产总值达到16050亿元，比上年增长5.6%；一\n"
    "般公共预算收入1280亿元，增长6.2%；城镇新增就\n"
    "业23.5万人，城镇调查失业率控制在5.5%以内。\n"
    "数字经济加快发展。数字经济核心产业增加值占地区\n"
    "生产总值比重达到11.6%，比上年提高0.7个百分点。\n"
)


def test_front_matter_of_wrapped_text_stays_one_paragraph_per_line() -> None:
    _, blocks, _, _ = _run(COLUMN)
    texts = [b.text for b in blocks]
    assert texts[:5] == [
        "某市人民政府2024年政府工作报告",
        "2024年某市政府工作报告（节选）",
        "——2024年1月18日在某市第十六届人民代表大会第四次会议上",
        "某市市长王某某",
        "各位代表：",
    ]
    assert texts[5] == "现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员提出意见。"
    assert texts[6].endswith("城镇调查失业率控制在5.5%以内。") and len(texts) == 8


def test_two_page_pdf_running_header_removed_but_kept_once_as_the_title() -> None:
    header = "某市人民政府\u30002024年政府工作报告"
    lines = COLUMN.split("\n")[1:-1]
    pages = [
        "\n".join([header, "— 1 —", *lines[:9]]),
        "\n".join([header, "— 2 —", *lines[9:]]),
    ]
    doc, blocks, _, removals = _run("\n".join(pages), pages=pages)
    counted = {(r.kind, r.text): r.count for r in removals}
    assert counted[("header_footer", header)] == 1  # the repeat on page 2
    assert counted[("page_number", "— 1 —")] == counted[("page_number", "— 2 —")] == 1
    assert blocks[0].text == "某市人民政府2024年政府工作报告"
    assert doc.count("政府工作报告") == 2  # the header once (as the title), and the report's own title
    # the paragraph cut by the page break (and the header) comes back whole
    assert any(b.text.startswith("过去一年") and b.text.endswith("以内。") for b in blocks)


def test_two_page_pdf_without_a_repeated_line_keeps_everything() -> None:
    pages = ["一、总体要求\n正文第一段，内容在这里。", "二、重点任务\n正文第二段，内容在这里。"]
    doc, _, _, removals = _run("\n".join(pages), pages=pages)
    assert removals == [] and "一、总体要求" in doc and "二、重点任务" in doc


@pytest.mark.parametrize(
    "title",
    [
        "粤港澳大湾区城市数字贸易规则对接、制度型开放与数字服务出口增长的实证研究",
        # wider than 40: still the title heading
        "国务院关于外商投资企业和外国企业适用增值税、消费税、营业税等税收暂行条例有关问题的通知",
    ],
)
def test_markdown_title_is_the_first_block_at_level_one(title: str) -> None:
    from nlp.meta import extract_meta

    out = clean_and_structure(RawText(f"# {title}\n\n## 一、总则\n\n正文一句。\n", "md"))
    _, blocks, _, _ = out
    assert (blocks[0].kind, blocks[0].level, blocks[0].text) == ("heading", 1, title)
    assert blocks[1].section == ()  # the title does not become the parent of the numbered sections
    if len(title) <= 40:  # nlp.meta cuts longer titles at an inner 条例/规定 (reported to its owner)
        assert extract_meta(out[0], blocks, "x.md").title == title


def test_byline_is_not_glued_to_the_title_above_it() -> None:
    column = (
        "些努力？\n推动数据跨境流动安全有序\n崔艳新\n数据是数字经济时代的关\n键生产要素。推动数据跨境安\n"
        "全有序流动，有助于促进我国\n数字贸易高质量发展，更好释\n放数字经济发展潜力，塑造国\n际经济合作和竞争新优势。\n"
    )
    _, blocks, _, _ = _run("前面的段落结束了，我们做了哪\n" + column)
    by_text = {b.text: b for b in blocks}
    assert by_text["推动数据跨境流动安全有序"].kind == "heading"
    assert by_text["崔艳新"].kind == "prose"
    assert blocks[-1].text.startswith("数据是数字经济时代的关键生产要素。")


def test_markdown_byline_is_not_a_title() -> None:
    text = "# 数字贸易规则对接研究\n\n张明远\u3000李晓晴\n\n摘要：本文研究数字贸易规则对接问题，并提出政策建议。\n"
    _, blocks, _, _ = _run(text)
    assert [(b.kind, b.text) for b in blocks][:2] == [
        ("heading", "数字贸易规则对接研究"),
        ("prose", "张明远李晓晴"),
    ]


def test_marked_heading_cut_at_a_page_break_is_rejoined() -> None:
    text = (
        "### 1. 完善顶层设计。\n\n正文一句，说明情况。\n\n"
        "### 2. 构建全链条信创生态圈，打造国家级信创产业基地，加快培育信\n\n创产业龙头。\n\n正文二句，说明情况。\n"
    )
    _, blocks, _, _ = _run(text)
    heads = [b for b in blocks if b.kind == "heading"]
    assert [h.text for h in heads] == [
        "1. 完善顶层设计。",
        "2. 构建全链条信创生态圈，打造国家级信创产业基地，加快培育信创产业龙头。",
    ]
    assert heads[0].level == heads[1].level


def test_demo_front_matter_lines_stay_their_own_paragraphs(demo_dir) -> None:
    from nlp.meta import extract_meta
    from nlp.readers import read_file

    paths = sorted(p for p in demo_dir.iterdir() if p.suffix in {".txt", ".md", ".html", ".docx", ".pdf"})
    if not paths:
        pytest.skip("corpus/demo is empty")
    for path in paths:
        raw = read_file(path)
        text, blocks, _, removals = clean_and_structure(raw)
        removed = {r.text for r in removals}
        texts = {b.text for b in blocks}
        head = [s.strip() for s in raw.text.split("\n") if s.strip() and s.strip() not in removed][:3]
        for line in head:
            line = remove_cjk_spaces(normalize_spaces(strip_heading_marks(line))).strip()
            assert line in texts, (path.name, line)
        meta = extract_meta(text, blocks, path.name)
        if raw.format == "md":  # the "# " title is the first heading, at level 1, and the title
            first = next(b for b in blocks if b.kind == "heading")
            assert first.idx == 0 and first.level == 1 and meta.title == first.text


def test_licence_trailer_broken_over_lines_is_removed_and_logged():
    body = ["第一段正文，讲述本年度的主要工作。", "第二段正文，提出下一年的任务和目标。"]
    notice = ["本作品是某国的", "法律", "、", "法规", "，根据《某国著作权法》第五条，属于", "公有领域", "。", "", "Public domain", "false"]
    text, blocks, _, removals = clean_and_structure(RawText("\n\n".join(body) + "\n\n\n" + "\n".join(notice), "txt"))
    assert "著作权法" not in text and "Public domain" not in text
    assert [b.text for b in blocks] == body
    (licence,) = [r for r in removals if r.kind == "licence"]
    assert licence.text.startswith("本作品是某国的法律") and licence.text.endswith("false")


def test_licence_words_inside_the_text_are_kept():
    # "版权所有" inside an article and a notice-like sentence far from the end are text, not a trailer
    article = "第九条 合同应当写明版权所有的归属、转让方式和报酬。"
    early = "本作品所述的规定属于公有领域的讨论。" + "这一段很长的正文。" * 120
    for lines in ([article], ["前言。", early, "结束语。"]):
        text, *_ = clean_and_structure(RawText("\n\n".join(lines), "txt"))
        assert "版权所有" in text or "公有领域" in text


def test_a_year_may_open_a_short_title_line_but_not_the_document_title() -> None:
    text = (
        "2025年某省政府工作报告\n"
        "各位代表：现在，我代表省人民政府，向大会报告政府工作，请予审议。\n"
        "2024年工作回顾\n"
        "过去一年，全省地区生产总值增长5.2%，经济运行稳中有进，民生持续改善。\n"
        "2025年工作安排\n"
        "今年经济社会发展的主要预期目标是：地区生产总值增长5%左右。\n"
        "2024年增长5.2%\n"  # digits after the year: a number, not a title
        "这是一个说明性的句子，用来结束文本。\n"
    )
    _, blocks, _, _ = _run(text)
    kinds = {b.text: b.kind for b in blocks}
    assert kinds["2024年工作回顾"] == kinds["2025年工作安排"] == "heading"
    assert kinds["2025年某省政府工作报告"] != "heading"
    assert kinds["2024年增长5.2%"] == "prose"
    section = next(b.section for b in blocks if b.text.startswith("过去一年"))
    assert section[-1] == "2024年工作回顾"
