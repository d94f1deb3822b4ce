"""nlp.structure: numbering styles, headings, tables, levels and sentence splitting."""

from __future__ import annotations

import pytest

from nlp.document import Block
from nlp.structure import (
    Unit,
    assign_levels,
    build_blocks,
    ends_sentence,
    find_tables,
    heading_style,
    is_byline,
    is_caption,
    is_note,
    numeric_row,
    sentence_spans,
    split_sentences,
)


@pytest.mark.parametrize(
    ("line", "style"),
    [
        ("一、广州数字贸易发展特征与趋势", "cn"),
        ("一 广州数字贸易发展特征与趋势", "cn"),
        ("（一）数字贸易规模稳步增长", "paren_cn"),
        ("(二)跨境电商连续8年蝉联全国第一", "paren_cn"),
        ("1. 数字贸易基础设施方面。", "n."),
        ("1．完善顶层设计", "n."),
        ("1 研究背景", "n"),
        ("3粤港澳大湾区背景下广东数字贸易发展现状", "n"),
        ("（1）加强统筹组织。", "paren_n"),
        ("3.1 数字贸易业态界定", "n.n"),
        ("3.1.1 概念", "n.n.n"),
        ("第一章 总则", "chapter"),
        ("第二节 一般规定", "section"),
        ("第1部分 综述篇", "part"),
        ("第一部分", "part"),
        ("第十条", "article"),
        # not headings
        ("2019年中国中央、国务院正式印发", None),
        ("3.5亿元的投资", None),
        ("5G技术", None),
        ("(一)有符合法律、行政法规规定的专利代理机构名称；", None),
        ("第一条 为了规范专利代理行为，制定本条例。", None),
        ("一是通过切入全球细分市场融入全球价值链。以广州某软件公司为例，软件全球价值链可以分为架构。", None),
        ("12月底前完成", None),
        ("摘要", None),
    ],
)
def test_heading_style(line: str, style: str | None) -> None:
    assert heading_style(line) == style


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("增长显著。", True),
        ("如何？", True),
        ("具备下列条件：", True),
        ("“数字政府”。”", True),
        ("（作者系研究员。）", True),
        ("粤港澳大湾区", False),
        ("《规划》", False),
        ("发展，", False),
    ],
)
def test_ends_sentence(text: str, expected: bool) -> None:
    assert ends_sentence(text) is expected


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("表 2 2015~2023 年广东省跨境电商进出口状况", True),
        ("图1：2014-2019年广东数字产品进出口总额", True),
        ("数据来源：中国商务年鉴", True),
        ("(续表)", True),
        ("表1显示，数字服务贸易占比明显提高。", False),
        ("图书出版", False),
    ],
)
def test_is_caption(line: str, expected: bool) -> None:
    assert is_caption(line) is expected


@pytest.mark.parametrize(
    ("line", "cells"),
    [
        ("2015 335.05 244.6 90.45", ["2015", "335.05", "244.6", "90.45"]),
        ("广州 12.5% 3,200 -", ["广州", "12.5%", "3,200", "-"]),
        ("2019 年 1107.90 亿元", None),
        ("1 2 3", None),
        ("增长 5", None),
    ],
)
def test_numeric_row(line: str, cells: list[str] | None) -> None:
    assert numeric_row(line) == cells


def test_flattened_table_with_caption_and_wrapped_header() -> None:
    lines = [
        "具体数据可看表 2。",
        "表 2 2015~2017 年跨境电商进出口状况",
        "年份",
        "进出口总额",
        "（单位：亿元）",
        "出口总额（单位：",
        "亿元）",
        "",
        "2015 335.05 244.6",
        "",
        "2016 496.87 368.83",
        "2017 630.12 442.32",
        "数据来源：iFind 金融数据库",
    ]
    (span,) = find_tables(lines)
    assert (span.start, span.end) == (1, 12)
    assert span.rows[0] == ["表 2 2015~2017 年跨境电商进出口状况"]
    assert span.rows[1] == ["年份", "进出口总额（单位：亿元）", "出口总额（单位：亿元）"]
    assert [r[0] for r in span.rows[2:]] == ["2015", "2016", "2017"]


def test_pipe_and_tab_tables() -> None:
    lines = [
        "| 区域 | 平台 |",
        "|---|---|",
        "| 海珠区 | 琶洲 |",
        "正文。",
        "\t进出口\t出口",
        "2018\t31\t25",
        "2019\t18\t28",
    ]
    pipe, tab = find_tables(lines)
    assert pipe.rows == [["区域", "平台"], ["海珠区", "琶洲"]]
    assert (tab.start, tab.end) == (4, 7)
    assert tab.rows == [["", "进出口", "出口"], ["2018", "31", "25"], ["2019", "18", "28"]]


def test_table_of_contents_is_a_table() -> None:
    lines = ["（一）数字贸易规模稳步增长 ..... 4", "（二）跨境电商连续8年蝉联全国第一 .....\t6"]
    (span,) = find_tables(lines)
    assert span.rows == [["（一）数字贸易规模稳步增长", "4"], ["（二）跨境电商连续8年蝉联全国第一", "6"]]


def test_levels_follow_first_appearance_of_numbering_styles() -> None:
    units = [
        Unit("heading", "第一章 总则", style="chapter"),
        Unit("heading", "一、背景", style="cn"),
        Unit("heading", "（一）现状", style="paren_cn"),
        Unit("prose", "正文。"),
        Unit("heading", "二、问题", style="cn"),
        Unit("prose", "正文二。"),
        Unit("heading", "第二章 措施", style="chapter"),
        Unit("heading", "参考文献", style="title"),
    ]
    levels = assign_levels(units)
    assert [lv for lv, _ in levels] == [1, 2, 3, None, 2, None, 1, 1]
    assert levels[3][1] == ("第一章 总则", "一、背景", "（一）现状")
    assert levels[5][1] == ("第一章 总则", "二、问题")
    assert levels[7][1] == ()


def test_build_blocks_offsets_and_table_text() -> None:
    units = [Unit("heading", "1 标题", style="n"), Unit("table", "", rows=[["年份", "值"], ["2015", "3.5"]])]
    text, blocks = build_blocks(units)
    assert text == "1 标题\n年份\t值\n2015\t3.5"
    assert [text[b.char_start : b.char_end] for b in blocks] == [b.text for b in blocks]
    assert blocks[1].section == ("1 标题",)


@pytest.mark.parametrize(
    ("text", "sentences"),
    [
        ("数字贸易增长。跨境电商发展！是否可行？", ["数字贸易增长。", "跨境电商发展！", "是否可行？"]),
        ("他说：“要发展数字贸易。”随后离开。", ["他说：“要发展数字贸易。”", "随后离开。"]),
        ("增长3.5个百分点。占比50.9%。", ["增长3.5个百分点。", "占比50.9%。"]),
        (
            "出台《促进和规范！数据跨境流动规定》，效果明显。",
            ["出台《促进和规范！数据跨境流动规定》，效果明显。"],
        ),
        ("一是完善政策；二是加强监管……三是扩大开放", ["一是完善政策；", "二是加强监管……", "三是扩大开放"]),
        ("What? Yes! OK; done", ["What?", "Yes!", "OK;", "done"]),
        ("（见附件。）下一句。", ["（见附件。）", "下一句。"]),
    ],
)
def test_sentence_spans(text: str, sentences: list[str]) -> None:
    assert [text[s:e] for s, e in sentence_spans(text)] == sentences


def test_split_sentences_offsets_are_document_offsets() -> None:
    text = "标题\n第一句。第二句。"
    blocks = [
        Block(0, "heading", "标题", level=1, char_start=0, char_end=2),
        Block(1, "prose", "第一句。第二句。", char_start=3, char_end=11),
    ]
    sents = split_sentences(blocks)
    assert [(s.para, s.idx, s.text) for s in sents] == [
        (0, 0, "标题"),
        (1, 1, "第一句。"),
        (1, 2, "第二句。"),
    ]
    assert all(text[s.char_start : s.char_end] == s.text for s in sents)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("崔艳新", True),
        ("张明远\u3000李晓晴", True),
        ("王磊、陈静", True),
        ("欧阳明", True),
        # not bylines: words after a surname character, titles, glued names, sentences
        ("王磊", False),  # two characters alone: too often a word (方面, 安全)
        ("方面", False),
        ("高质量", False),
        ("全方位", False),
        ("张明远李晓晴", False),
        ("推动数据跨境流动安全有序", False),
        ("刘江宁（对外经济贸易大学教授）：作为数", False),
        ("些努力？", False),
    ],
)
def test_is_byline(line: str, expected: bool) -> None:
    assert is_byline(line) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("崔艳新", True),
        ("数据来源：中国商务年鉴", True),
        ("①参见某某报告", True),
        ("（作者系研究员）", True),
        ("推动数据跨境流动安全有序", False),
    ],
)
def test_is_note(text: str, expected: bool) -> None:
    assert is_note(text) is expected


def test_a_circled_footnote_citing_a_source_is_no_heading() -> None:
    from nlp.structure import heading_style

    assert heading_style("①《数字经济育新机广东迎来“数字蝶变”》某某.某某日报, 2020.07.31") is None
    assert heading_style("① 《某市人民政府办公厅关于促进大数据发展的实施意见》") is None
    assert heading_style("①加强统筹组织") == "circled"
    assert heading_style("①《数据安全法》落实情况") == "circled"


def test_tabbed_lines_with_one_cell_just_above_a_table_belong_to_it() -> None:
    from nlp.structure import find_tables

    lines = [
        "建设一批重大项目。",
        "项目名称\t",
        "一、基础设施项目（2项）\t",
        "1\t某市轨道交通二期工程",
        "2\t某港区配套设施",
        "二、产业建设项目（1项）\t",
        "3\t某机器人产业园",
    ]
    (span,) = find_tables(lines)
    assert (span.start, span.end) == (1, 7)
    assert span.rows[:3] == [["项目名称"], ["一、基础设施项目（2项）"], ["1", "某市轨道交通二期工程"]]


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("一、人才队伍建设", ("cn", "人才队伍建设")),  # 人 after a separator: a title, not 一人
        ("三、项目管理", ("cn", "项目管理")),
        ("六、千方百计扩大出口", ("cn", "千方百计扩大出口")),
        ("2、条件与程序", ("n.", "条件与程序")),
        ("一人", None),  # quantities stay quantities
        ("3 年", None),
        ("1.5倍", None),
        ("12月", None),
    ],
)
def test_a_unit_character_after_a_numbering_separator_starts_a_title(line: str, expected) -> None:
    from nlp.structure import numbering

    assert numbering(line) == expected


def test_is_toc_text_tells_a_table_of_contents_from_a_two_column_table():
    from nlp.structure import is_toc_text

    assert is_toc_text("（一）指导思想\t33\n（二）发展原则\t33\n（三）目标定位\t34")
    assert is_toc_text("专题一：政策体系研究\t48\n专题二：重点区域研究\t62")
    assert not is_toc_text("广州\t140\n深圳\t120")  # labels and values
    assert not is_toc_text("（一）指导思想\t33\n（二）发展原则\t20")  # pages never go back


def test_named_divisions_nest_their_numbered_sections_and_take_their_title_line():
    from nlp.clean import clean_and_structure
    from nlp.document import RawText

    lines = ["一、总体情况", "正文一段。", "第二部分", "# 专题篇", "## 专题一", "# 政策体系研究", "## 一 政策体系"]
    lines += ["正文二段。", "## 二 天河区", "正文三段。"]
    text = "\n\n".join(lines)
    _, blocks, _, _ = clean_and_structure(RawText(text, "md"))
    heads = {b.text: b for b in blocks if b.kind == "heading"}
    assert "第二部分专题篇" in heads and "专题一政策体系研究" in heads  # a bare division and its title line
    assert heads["一政策体系"].section == ("第二部分专题篇", "专题一政策体系研究")  # 一 set off by a space
    assert heads["二天河区"].section == ("第二部分专题篇", "专题一政策体系研究")  # 二 天 is no "two days"


def test_a_section_first_seen_after_numbered_items_still_ranks_below_its_chapter():
    units = [
        Unit("heading", "第一章 总则", style="chapter"),
        Unit("heading", "（一）定义", style="paren_cn"),
        Unit("heading", "第二章 管制", style="chapter"),
        Unit("heading", "第一节 许可", style="section"),
        Unit("heading", "（一）申请", style="paren_cn"),
    ]
    assert [section for _, section in assign_levels(units)][-1] == ("第二章 管制", "第一节 许可")


def test_headings_set_between_contents_entries_fold_into_the_contents() -> None:
    from nlp.clean import clean_and_structure
    from nlp.document import Document
    from nlp.extract.numbers import extract_facts
    from nlp.readers import RawText
    from nlp.structure import is_toc_text

    text = (
        "# 某市数字贸易发展报告\n\n# 目录\n\n### 第1部分 综述篇\n\n#### 一、发展特征\n\n"
        "- (一) 规模稳步增长 ..... 4\n- (二) 结构持续优化 ..... 6\n\n#### 二、存在的不足\n\n"
        "- (一) 人才缺乏 ..... 9\n\n## 第2部分 专题篇\n\n专题一：政策体系研究 ..... 12\n\n"
        "# 第一部分 综述篇\n\n## 一、发展特征\n\n### （一）规模稳步增长\n\n2023年全市数字贸易进出口额达到120亿元。\n"
    )
    doc, blocks, sentences, _ = clean_and_structure(RawText(text, "md"))
    headings = [b.text for b in blocks if b.kind == "heading"]
    assert headings == ["某市数字贸易发展报告", "目录", "第一部分综述篇", "一、发展特征", "（一）规模稳步增长"]
    (contents,) = [b for b in blocks if b.kind == "table"]
    assert contents.section[-1] == "目录"
    assert contents.text.split("\n")[:2] == ["第1部分综述篇", "一、发展特征"] and is_toc_text(contents.text)
    document = Document(
        doc="t.md", path="t.md", sha256="", size=len(doc), text=doc, blocks=blocks, sentences=sentences
    )
    assert [f.number + f.unit for f in extract_facts(document)] == ["120亿元"]  # no page number is a fact
