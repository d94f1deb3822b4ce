"""Document metadata: hand-written snippets, the demo corpus, and State Council records with known fields."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.document import Block
from nlp.meta import extract_meta, guess_genre, normalise_doc_number, parse_date

NOTICE = """某省商务厅关于加快推进跨境电子商务
综合试验区高质量发展的通知
某商务贸发［2023］27号
各市商务主管部门：
根据《国务院关于同意在某市设立跨境电子商务综合试验区的批复》（国函〔2019〕18号），现将有关事项通知如下。
一、总体要求
到2025年，全省跨境电商进出口额突破3000亿元。
请认真贯彻执行。
某省商务厅
2023年6月15日
（此件公开发布）"""

PAPER = """# 数字贸易规则对接与制度型开放研究
张三　李四
摘要：本文基于2018—2022年的面板数据，考察规则对接对数字服务出口的影响。
关键词：数字贸易；规则对接
1 引言
数字贸易增长迅速。
参考文献
[1] 王磊. 数字贸易规则比较[J]. 研究, 2021(5): 12-25."""

NEWS = """深圳前三季度跨境电商进出口同比增长逾两成
本报深圳10月19日讯（记者 林晓）记者19日从深圳市商务局获悉，前三季度跨境电商进出口额达到2360亿元。
（责任编辑：周洁）"""

REGULATION = """某省数据要素市场促进条例
（2023年11月28日某省第十四届人民代表大会常务委员会第六次会议通过）
第一章　总则
第一条　为了培育数据要素市场，根据《中华人民共和国数据安全法》，制定本条例。
第二条　本条例适用于本省。
第三条　县级以上人民政府应当加强领导。
第二章　附则
第四条　本条例自2024年3月1日起施行。"""

BULLETIN = """某市2023年数字经济发展统计公报
某市统计局
2024年3月20日
一、总体情况
数字经济核心产业增加值比上年增长9.8%。"""

REPORT = """2025年某省政府工作报告
——2025年1月14日在某省第十四届人民代表大会第三次会议上
各位代表：
现在，我代表省人民政府，向大会报告政府工作，请予审议。"""

ORDER = """中华人民共和国国务院令
第707号
现公布修订后的《某某条例》，自2019年1月1日起施行。
总理　某某某
2018年12月18日
某某管理条例
第一条　为了规范管理，制定本条例。"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019年1月22日", "2019-01-22"),
        ("于 2019 年 1 月 2 日发布", "2019-01-02"),
        ("一九九六年六月二十九日", "1996-06-29"),
        ("二〇〇四年十月十五日", "2004-10-15"),
        ("2023-10-20 09:30", "2023-10-20"),
        ("2019/3/24", "2019-03-24"),
        ("2023年12月", "2023-12"),
        ("2023年13月1日", None),
        ("没有日期", None),
    ],
)
def test_parse_date(text: str, expected: str | None) -> None:
    assert parse_date(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("国办发〔2019〕5号", "国办发〔2019〕5号"),
        ("国办发[2019]5号", "国办发〔2019〕5号"),
        ("京政发（2020）12号", "京政发〔2020〕12号"),
        ("粤商务贸函［2023］ 058号", "粤商务贸函〔2023〕58号"),
        ("根据国发(2018)41号文件", "国发〔2018〕41号"),
        ("中华人民共和国国务院令第656号", "国令第656号"),
        ("2023年第5号", None),
    ],
)
def test_normalise_doc_number(text: str, expected: str | None) -> None:
    assert normalise_doc_number(text) == expected


def test_extract_meta_policy_notice() -> None:
    meta = extract_meta(NOTICE, [], "notice.txt")
    assert meta.title == "某省商务厅关于加快推进跨境电子商务综合试验区高质量发展的通知"
    assert meta.doc_number == "某商务贸发〔2023〕27号"  # bracket variant normalised; the cited 国函 ignored
    assert meta.issuer == "某省商务厅"
    assert meta.date == "2023-06-15" and meta.year == 2023
    assert meta.genre == "policy"


def test_extract_meta_state_council_order() -> None:
    meta = extract_meta(ORDER, [], "order.txt")
    assert meta.doc_number == "国令第707号"
    assert meta.issuer == "国务院"
    assert meta.title == "某某管理条例"
    assert meta.date == "2018-12-18"


@pytest.mark.parametrize(
    ("text", "file_name", "genre", "title", "year"),
    [
        (PAPER, "paper.md", "academic", "数字贸易规则对接与制度型开放研究", None),
        (NEWS, "news.html", "news", "深圳前三季度跨境电商进出口同比增长逾两成", None),
        (REGULATION, "reg.txt", "regulation", "某省数据要素市场促进条例", 2023),
        (BULLETIN, "bulletin.docx", "statistical", "某市2023年数字经济发展统计公报", 2024),
        (REPORT, "gwr.txt", "report", "2025年某省政府工作报告", 2025),
    ],
)
def test_extract_meta_genres(text: str, file_name: str, genre: str, title: str, year: int | None) -> None:
    meta = extract_meta(text, [], file_name)
    assert meta.genre == genre
    assert meta.title == title
    assert meta.year == year


def test_extract_meta_ignores_years_in_body_and_references() -> None:
    meta = extract_meta(PAPER, [], "paper.md")
    assert meta.year is None and meta.date is None


@pytest.mark.parametrize(
    ("file_name", "year", "date"),
    [
        ("不动产登记暂行条例(2019-03-24).md", 2019, "2019-03-24"),
        ("2025年某省政府工作报告.txt", 2025, None),
        ("1954.txt", 1954, None),
        ("000_3798f088bfc62e9e.txt", None, None),
    ],
)
def test_extract_meta_year_from_file_name(file_name: str, year: int | None, date: str | None) -> None:
    meta = extract_meta("某某条例\n第一条　为了规范管理，制定本条例。", [], file_name)
    assert (meta.year, meta.date) == (year, date)


def test_extract_meta_title_from_heading_block_and_file_name() -> None:
    blocks = [Block(idx=0, kind="heading", text="某市数字经济发展报告", level=1)]
    assert extract_meta("某市数字经济发展报告\n正文。", blocks, "x.txt").title == "某市数字经济发展报告"
    assert extract_meta("正文第一句话很长很长。", [], "某市数字贸易报告.txt").title == "某市数字贸易报告"


def test_guess_genre_tables_dominate_means_statistical() -> None:
    table = "指标\t2022年\t2023年\n" + "\n".join(f"指标{i}\t{i}.1\t{i}.2" for i in range(30))
    blocks = [
        Block(idx=0, kind="heading", text="某市主要经济指标", level=1),
        Block(idx=1, kind="table", text=table),
        Block(idx=2, kind="prose", text="注：数据为初步统计数。"),
    ]
    text = "\n".join(b.text for b in blocks)
    assert guess_genre(text, blocks, title="某市主要经济指标") == "statistical"
    assert guess_genre("今天天气很好。", [], title="随笔") == "other"


def test_extract_meta_demo_corpus(demo_dir: Path) -> None:
    from nlp.readers import read_file

    paths = {p.name: p for p in demo_dir.iterdir()}
    if not paths:
        pytest.skip("corpus/demo is empty (run corpus/make_demo.py)")
    genres = {}
    for name, path in paths.items():
        genres[name] = extract_meta(read_file(path).text, [], name).genre
    assert genres["01_policy_notice_cbec.txt"] == "policy"
    assert genres["02_academic_rule_alignment.md"] == "academic"
    assert genres["03_news_shenzhen_cbec.html"] == "news"
    assert genres["04_statistical_bulletin_2023.docx"] == "statistical"
    assert genres["05_regulation_data_market.txt"] == "regulation"
    meta = extract_meta(read_file(paths["07_implementation_plan_digital_services.txt"]).text, [], "07.txt")
    assert (meta.doc_number, meta.issuer, meta.date) == (
        "某府办〔2024〕3号",
        "某市人民政府办公室",
        "2024-02-06",
    )


@pytest.mark.shared
def test_extract_meta_state_council_records(corpora_dir: Path) -> None:
    """doc_number / issuer / title of the gov.cn records are known; nearly all must come out exactly."""
    path = corpora_dir / "state_council_docs" / "gov_cn_zhengce_60docs.jsonl"
    if not path.exists():
        pytest.skip(f"needs {path}")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    misses = {"doc_number": [], "issuer": [], "title": []}
    for record in records:
        meta = extract_meta(record["text"], [], f"{record['id']}.txt")
        for field, missed in misses.items():
            if getattr(meta, field) != record[field]:
                missed.append((record["id"], getattr(meta, field), record[field]))
    for field, missed in misses.items():
        assert len(missed) <= 0.05 * len(records), f"{field}: {missed[:5]}"


@pytest.mark.parametrize(
    ("first_line", "title", "date"),
    [
        (
            "某市2023年数字经济发展统计公报某市统计局2024年3月20日",
            "某市2023年数字经济发展统计公报",
            "2024-03-20",
        ),
        ("数字贸易规则对接研究张明远李晓晴", "数字贸易规则对接研究", None),
        ("某市数字经济发展报告（2023）某市数字经济研究院", "某市数字经济发展报告（2023）", None),
        ("关于2023年工作报告的决议", "关于2023年工作报告的决议", None),
    ],
)
def test_extract_meta_front_matter_merged_into_one_line(
    first_line: str, title: str, date: str | None
) -> None:
    """Cleaning may join the title with the author/issuer/date lines; the title and date still come out."""
    meta = extract_meta(first_line + "\n正文第一段，内容若干。", [], "x.txt")
    assert (meta.title, meta.date) == (title, date)


@pytest.mark.parametrize(
    ("glued", "issuers"),
    [
        ("某市统计局某市工业和信息化局", "某市统计局、某市工业和信息化局"),
        ("国家统计局国家发展改革委", "国家统计局、国家发展改革委"),
        ("国家外汇管理局广东省分局", "国家外汇管理局广东省分局"),  # a branch is one body
        ("某市人民政府办公室", "某市人民政府办公室"),
    ],
)
def test_joint_issuers_glued_by_cleaning_are_split(glued, issuers):
    text = f"某市2023年数字经济发展统计公报\n{glued}\n2024年3月20日\n一、总体情况\n全市数字经济保持较快增长。"
    blocks = [Block(idx=i, kind="prose", text=line) for i, line in enumerate(text.split("\n"))]
    assert extract_meta(text, blocks, "bulletin.docx").issuer == issuers


@pytest.mark.parametrize(
    "title", ["计划生育技术服务管理条例", "村庄和集镇规划建设管理条例", "保障措施条例", "涉外海洋科学研究管理规定"]
)
def test_title_with_an_inner_title_word_is_not_cut(title):
    text = f"{title}\n2001年6月13日 国务院令第309号公布\n第一章 总则\n第一条 为了加强管理，制定本条例。"
    blocks = [Block(idx=i, kind="prose", text=line) for i, line in enumerate(text.split("\n"))]
    assert extract_meta(text, blocks, "x.md").title == title


def test_titles_of_all_state_council_regulations(corpora_dir):
    """The title found in the text equals the one in the file name (without the date), 中华人民共和国 aside."""
    import re

    from nlp.clean import clean_and_structure
    from nlp.readers import read_file

    files = sorted((corpora_dir / "state_council_regulations").rglob("*.md"))
    assert len(files) > 500
    wrong = []
    for f in files:
        expect = re.sub(r"\(\d{4}-\d{2}-\d{2}\)$", "", f.stem)
        text, blocks, _, _ = clean_and_structure(read_file(f))
        title = extract_meta(text, blocks, f.name).title or ""
        if title.replace("中华人民共和国", "") != expect.replace("中华人民共和国", ""):
            wrong.append((expect, title))
    print(f"\n{len(files) - len(wrong)}/{len(files)} titles right; wrong: {wrong[:5]}")
    assert len(wrong) <= len(files) * 0.01, wrong[:10]
