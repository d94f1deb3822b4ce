"""A report printed to PDF reads back as the same document: paragraphs, headings, facts.

Each test typesets a text (one paragraph per line) as a real multi-page PDF with reportlab, the way a report is
printed: a 38-character column, lines broken mid-word and mid-number, the title as a running header on every
page, a page number under each page, and the first line of each paragraph indented, either by two ideographic
spaces that the text layer keeps (``glyph``, as a document typed in Word or WPS has them) or only by position
(``position``: the text layer shows no indent, as in the seeds). It then reads the PDF through the pipeline
(pypdfium2 -> cleaning -> structure -> facts) and compares with the same text read as a plain file.

With the indent in the text layer, every paragraph must come back whole. Without it, a sentence that ends at
the right margin cannot be told from a paragraph end, so there only the text, the headings and the facts'
values are compared.
"""

from __future__ import annotations

import io
import re
from collections import Counter
from pathlib import Path

import pytest

from nlp.extract.numbers import extract_facts
from pipelines.stages import build_document
from tests.bench.rewrap import fill_lines

_FLAT = re.compile(r"\s+")
FONT, SIZE, COLUMN, LINES = "STSong-Light", 10.5, 38, 40


def _flat(text: str) -> str:
    return _FLAT.sub("", text)


def _wrap(
    paragraph: str, *, indent: bool, glyph: bool, size: float = SIZE, column: int = COLUMN
) -> list[str]:
    from reportlab.pdfbase import pdfmetrics

    def width_of(ch: str) -> float:
        return pdfmetrics.stringWidth(ch, FONT, size)

    first, used = ("\u3000\u3000" if indent and glyph else ""), (2 * size if indent else 0.0)
    return fill_lines(paragraph, width_of, column * size, first=first, used=used)


def typeset(
    paragraphs: list[str], *, header: str, glyph: bool, size: float = SIZE, column: int = COLUMN
) -> bytes:
    """A PDF of ``paragraphs`` (the first is the title, not indented) with ``header`` on every page, in a column
    of ``column`` ideographs of ``size`` points."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    lines: list[tuple[bool, str]] = []
    for i, paragraph in enumerate(paragraphs):
        wrapped = _wrap(paragraph, indent=i > 0, glyph=glyph, size=size, column=column)
        lines += [(j == 0 and i > 0, line) for j, line in enumerate(wrapped)]
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    for n, start in enumerate(range(0, len(lines), LINES), 1):
        c.setFont(FONT, 9)
        c.drawString(72, 800, header)
        c.setFont(FONT, size)
        for i, (first, line) in enumerate(lines[start : start + LINES]):
            x = 72 + (2 * size if first and not glyph else 0)
            c.drawString(x, 770 - 17 * i, line)
        c.setFont(FONT, 9)
        c.drawString(290, 60, f"— {n} —")
        c.showPage()
    c.save()
    return buffer.getvalue()


def _fact_keys(doc: object, *, context: bool = True) -> Counter[tuple[object, ...]]:
    facts = extract_facts(doc)  # type: ignore[arg-type]
    if context:
        return Counter((_flat(f.sentence), f.value, f.unit, f.year, f.indicator, f.region) for f in facts)
    return Counter((f.value, f.unit) for f in facts)


def _rule_keys(doc: object) -> Counter[tuple[object, ...]]:
    from nlp.extract.rules import extract_rules

    return Counter((r.canonical, r.kind, r.level, r.mentions) for r in extract_rules(doc))  # type: ignore[arg-type]


def _round_trip(
    tmp_path: Path,
    text_path: Path,
    paragraphs: list[str],
    *,
    glyph: bool,
    size: float = SIZE,
    column: int = COLUMN,
) -> tuple[object, object]:
    pdf = tmp_path / (text_path.stem + (".glyph" if glyph else ".position") + ".pdf")
    pdf.write_bytes(typeset(paragraphs, header=paragraphs[0], glyph=glyph, size=size, column=column))
    as_text = build_document(text_path, sha256="t", size=1)
    as_pdf = build_document(pdf, sha256="p", size=1)
    return as_text, as_pdf


def _blocks(doc: object) -> list[str]:
    return [_flat(b.text) for b in doc.blocks]  # type: ignore[attr-defined]


def _headings(doc: object) -> list[tuple[int | None, str]]:
    return [(b.level, _flat(b.text)) for b in doc.blocks if b.kind == "heading"]  # type: ignore[attr-defined]


# --------------------------------------------------------------------------------- a report written here
# The sentences below are this project's own; numbers vary by paragraph so every fact is distinct.
_TOPICS = ["数字服务贸易", "跨境电商", "服务外包", "数字内容出口", "软件和信息技术服务", "知识产权服务"]


def _own_report() -> list[str]:
    paras = ["某市2024年数字贸易发展情况报告", "来源：某市商务局", "各位代表：", "一、2023年工作回顾"]
    for i, topic in enumerate(_TOPICS):
        a, b, c = 120 + 37 * i, 5 + i, 30 + 11 * i
        paras.append(
            f"（{'一二三四五六'[i]}）推动{topic}提质增效。2023年，全市{topic}进出口额达到{a}.{i}亿元，同比增长{b}.{i}%，"
            f"占全市服务贸易的比重为{c}%；新增{topic}重点企业{12 + i}家，培育国家级示范企业{2 + i}家。"
            f"我们持续完善{topic}统计监测和政策支持体系，推动{topic}与制造业、农业深度融合，"
            f"支持企业开拓共建“一带一路”国家市场，全年组织专题对接活动{20 + i}场，带动签约项目{40 + 3 * i}个，"
            f"协议金额{60 + 7 * i}亿元。"
        )
        paras.append(
            f"{topic}园区建设取得新进展。新建{topic}公共服务平台{1 + i}个，入驻企业{150 + 9 * i}家，"
            f"从业人员超过{3 + i}万人，园区营业收入增长{10 + i}%。"
        )
    paras.append("二、2024年主要任务")
    paras.append(
        "2024年，全市数字贸易进出口额力争增长8%以上，数字服务出口占服务出口的比重提高到45%，"
        "新增数字贸易重点企业50家，建设国家数字服务出口基地1个。"
    )
    return paras


# (points, ideographs per line): a report in 10.5 pt; a dense one in 9 pt across the page (52 to a line, wider than
# the 45 that the test of hard-wrapped text once took as the widest column)
COLUMNS = [(SIZE, COLUMN), (9.0, 52)]


def _own_report_round_trip(tmp_path: Path, *, glyph: bool, size: float, column: int) -> tuple[object, object]:
    """The own report read as a text file and as the PDF typeset from it."""
    paras = _own_report()
    text_path = tmp_path / "report.txt"
    text_path.write_text("\n".join(paras) + "\n", encoding="utf-8")
    return _round_trip(tmp_path, text_path, paras, glyph=glyph, size=size, column=column)


@pytest.mark.parametrize(("size", "column"), COLUMNS)
def test_own_report_round_trips_through_a_pdf_with_typed_indents(
    tmp_path: Path, size: float, column: int
) -> None:
    as_text, as_pdf = _own_report_round_trip(tmp_path, glyph=True, size=size, column=column)
    assert _blocks(as_pdf) == _blocks(as_text)
    assert _headings(as_pdf) == _headings(as_text)
    assert as_pdf.meta.title == as_text.meta.title == "某市2024年数字贸易发展情况报告"
    facts = _fact_keys(as_text)
    assert sum(facts.values()) >= 60 and _fact_keys(as_pdf) == facts


@pytest.mark.parametrize(("size", "column"), COLUMNS)
def test_own_report_round_trips_through_a_pdf_with_positional_indents(
    tmp_path: Path, size: float, column: int
) -> None:
    as_text, as_pdf = _own_report_round_trip(tmp_path, glyph=False, size=size, column=column)
    assert "".join(_blocks(as_pdf)) == "".join(_blocks(as_text))  # no character lost, added or moved
    assert _headings(as_pdf) == _headings(as_text)
    assert as_pdf.meta.title == as_text.meta.title
    assert _fact_keys(as_pdf, context=False) == _fact_keys(as_text, context=False)


def test_front_matter_speaker_line_wrapped_in_a_pdf_is_joined(tmp_path: Path) -> None:
    speaker = "——2024年1月18日在某市第十六届人民代表大会第四次会议上某市人民政府市长"
    paras = [
        "某市2024年政府工作报告",
        "来源：某市日报",
        speaker + "王某某作政府工作报告",
        "各位代表：",
        *_own_report()[4:],
    ]
    text_path = tmp_path / "speech.txt"
    text_path.write_text("\n".join(paras) + "\n", encoding="utf-8")
    for glyph in (True, False):
        as_text, as_pdf = _round_trip(tmp_path, text_path, paras, glyph=glyph)
        assert _blocks(as_pdf)[:4] == _blocks(as_text)[:4] == [_flat(p) for p in paras[:4]]
        assert as_pdf.meta.title == "某市2024年政府工作报告"


def test_statistical_bulletin_docx_and_its_pdf_give_the_same_facts(demo_dir: Path, tmp_path: Path) -> None:
    """The demo's DOCX bulletin printed to PDF (its table as rows of cells set in columns): the same facts,
    table cells included, each cell with its column's year and its row's unit."""
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    source = build_document(demo_dir / "04_statistical_bulletin_2023.docx", sha256="d", size=1)
    pdfmetrics.registerFont(UnicodeCIDFont(FONT))
    buffer = io.BytesIO()
    c = canvas.Canvas(buffer)
    c.setFont(FONT, SIZE)
    y = 780
    for block in source.blocks:
        if block.kind == "table":
            for row in block.rows or []:
                for j, cell in enumerate(row):
                    c.drawString(72 + (0 if j == 0 else 120 + 70 * j), y, cell)
                y -= 17
            continue
        for line in _wrap(block.text, indent=False, glyph=True):
            c.drawString(72, y, line)
            y -= 17
            if y < 80:
                c.showPage()
                c.setFont(FONT, SIZE)
                y = 780
    c.save()
    pdf = tmp_path / "bulletin.pdf"
    pdf.write_bytes(buffer.getvalue())
    printed = build_document(pdf, sha256="p", size=1)

    def keys(doc: object) -> Counter[tuple[object, ...]]:
        return Counter((f.value, f.unit, f.year, f.indicator, f.source) for f in extract_facts(doc))  # type: ignore[arg-type]

    facts = keys(source)
    table = [k for k in facts.elements() if k[-1] == "table"]
    assert len(table) == 25 and (1865.0, "亿元", "2023", "数字经济核心产业增加值", "table") in table
    assert keys(printed) == facts


# --------------------------------------------------------------------------- real reports (../shared)
_REPORTS = ["四川省", "广东省", "浙江省", "上海市", "吉林省", "湖北省", "安徽省"]


@pytest.mark.parametrize("province", _REPORTS)
def test_provincial_report_round_trips_through_a_pdf(
    corpora_dir: Path, tmp_path: Path, province: str
) -> None:
    path = corpora_dir / "provincial_gwr_2025" / f"2025年{province}政府工作报告.txt"
    paras = [line.strip() for line in path.read_text(encoding="utf-8").split("\n") if line.strip()]
    as_text, as_pdf = _round_trip(tmp_path, path, paras, glyph=True)
    assert _blocks(as_pdf) == _blocks(as_text)
    assert _headings(as_pdf) == _headings(as_text)
    assert as_pdf.meta.title == as_text.meta.title
    assert _fact_keys(as_pdf) == _fact_keys(as_text)
    assert _rule_keys(as_pdf) == _rule_keys(as_text)  # 安徽: R + CEP cut at the margin is RCEP again

    as_text, as_pdf = _round_trip(tmp_path, path, paras, glyph=False)
    assert "".join(_blocks(as_pdf)) == "".join(_blocks(as_text))
    assert as_pdf.meta.title == as_text.meta.title
    facts, back = _fact_keys(as_text), _fact_keys(as_pdf)
    # paragraphs cut where a sentence ends at the margin may move a year or a place to the next sentence
    assert sum((facts & back).values()) >= 0.97 * sum(facts.values())
    assert _fact_keys(as_pdf, context=False) == _fact_keys(as_text, context=False)


def _paper_with_references() -> list[str]:
    paras = ["数字贸易规则对接研究", "一、引言"]
    topics = ["数据跨境流动", "知识产权保护", "数字基础设施", "跨境电商", "数字人民币", "算力网络"]
    for i, topic in enumerate(topics):
        paras.append(
            f"{topic}是数字贸易规则对接的第{i + 1}个重点领域，本节结合广东省{2015 + i}年以来的实践，"
            f"分析{topic}面临的挑战，并提出{3 + i}条政策建议。"
        )
    paras.append("参考文献")
    for i in range(1, 7):
        paras.append(
            f"[{i}] 作者{i}, 李四. 数字贸易规则的演进与中国的选择[J]. 国际经济评论, 20{10 + i}({i}): {10 + i}-{20 + i}."
        )
    return paras


@pytest.mark.parametrize("glyph", [True, False])
def test_reference_list_entries_stay_apart(tmp_path: Path, glyph: bool) -> None:
    # each [N] entry after the end of the one before is a paragraph of its own, in the text file and its PDF
    paras = _paper_with_references()
    text_path = tmp_path / "paper.txt"
    text_path.write_text("\n".join(paras), encoding="utf-8")
    as_text, as_pdf = _round_trip(tmp_path, text_path, paras, glyph=glyph)
    for doc in (as_text, as_pdf):
        refs = [b for b in _blocks(doc) if b.startswith("[")]
        assert [r[:3] for r in refs] == [f"[{i}]" for i in range(1, 7)], refs
        assert refs == [_flat(p) for p in paras[-6:]]
        # the one page's running header above the same title goes: the title is read once
        assert _blocks(doc)[:2] == [_flat(paras[0]), _flat(paras[1])]
