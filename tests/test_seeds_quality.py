"""Quality of cleaning and structure on the three seed documents (real PDF extractions).

(a) CJK characters kept, (b) prose paragraphs end with sentence-final punctuation, (c) no space between CJK
characters, (d) numbers broken across lines come back whole inside one paragraph, (e) the flattened table of
000 is one table block; plus heading levels, headline collapse.
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from nlp.clean import clean_and_structure
from nlp.document import Block, RawText
from nlp.structure import ends_sentence, is_note

_CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def cleaned(seed_paths: list[Path]) -> dict[str, tuple]:
    if not seed_paths:
        pytest.skip("no seed documents")
    out = {}
    for p in seed_paths:
        raw = p.read_text(encoding="utf-8")
        out[p.name[:3]] = (raw, *clean_and_structure(RawText(raw, "txt")))
    return out


def _doc(cleaned: dict[str, tuple], key: str) -> tuple:
    if key not in cleaned:
        pytest.skip(f"seed {key} missing")
    return cleaned[key]


@pytest.mark.parametrize("key", ["000", "001", "002"])
def test_offsets_invariant(cleaned: dict[str, tuple], key: str) -> None:
    _, text, blocks, sentences, _ = _doc(cleaned, key)
    assert text == "\n".join(b.text for b in blocks)
    assert all(text[b.char_start : b.char_end] == b.text for b in blocks)
    assert all(text[s.char_start : s.char_end] == s.text for s in sentences)


@pytest.mark.parametrize("key", ["000", "001", "002"])
def test_a_cjk_characters_kept_and_losses_listed(cleaned: dict[str, tuple], key: str) -> None:
    raw, text, _, _, removals = _doc(cleaned, key)
    before, after = Counter(_CJK.findall(raw)), Counter(_CJK.findall(text))
    assert sum((before & after).values()) / sum(before.values()) >= 0.995
    removed: Counter[str] = Counter()
    for r in removals:
        removed.update({ch: n * r.count for ch, n in Counter(_CJK.findall(r.text)).items()})
    assert not (before - after) - removed, "a CJK character went missing without a Removal record"


@pytest.mark.parametrize("key", ["000", "001", "002"])
def test_b_prose_paragraphs_end_a_sentence(cleaned: dict[str, tuple], key: str) -> None:
    _, _, blocks, _, _ = _doc(cleaned, key)
    prose = [b for b in blocks if b.kind == "prose" and not is_note(b.text)]
    assert len(prose) >= 10
    ok = sum(1 for b in prose if ends_sentence(b.text))
    assert ok / len(prose) >= 0.95, [b.text[-20:] for b in prose if not ends_sentence(b.text)]


@pytest.mark.parametrize("key", ["000", "001", "002"])
def test_c_no_space_between_cjk(cleaned: dict[str, tuple], key: str) -> None:
    _, text, _, _, _ = _doc(cleaned, key)
    # tabs separate table cells by contract; no space (or ideographic space) may sit between CJK characters
    assert not re.search(r"[\u4e00-\u9fff][ \u3000]+[\u4e00-\u9fff]", text)


@pytest.mark.parametrize("needle", ["2019年的28.74%", "2023年的8433.00亿元", "2023年迅猛增长至6084.07亿元"])
def test_d_numbers_broken_across_lines_sit_whole_in_one_paragraph(
    cleaned: dict[str, tuple], needle: str
) -> None:
    _, _, blocks, sentences, _ = _doc(cleaned, "000")
    holders = [b for b in blocks if needle in b.text]
    assert len(holders) == 1 and holders[0].kind == "prose"
    (sentence,) = [s for s in sentences if needle in s.text]
    assert sentence.para == holders[0].idx
    assert ends_sentence(sentence.text)


def test_e_table_of_000_has_nine_year_rows(cleaned: dict[str, tuple]) -> None:
    _, _, blocks, _, _ = _doc(cleaned, "000")
    tables = [b for b in blocks if b.kind == "table" and b.rows and any(r[0] == "2015" for r in b.rows)]
    assert len(tables) == 1
    rows = tables[0].rows
    year_rows = [r for r in rows if re.fullmatch(r"(?:19|20)\d{2}", r[0])]
    assert [r[0] for r in year_rows] == [str(y) for y in range(2015, 2024)]
    assert all(len(r) == 4 for r in year_rows)
    assert year_rows[-1] == ["2023", "8433", "6084.07", "2348.93"]
    assert rows[0][0].startswith("表")  # the caption travels with the table
    # the numbers are not glued into prose anywhere
    assert not any("335.05" in b.text for b in blocks if b.kind != "table")


def _heading(blocks: list[Block], prefix: str) -> Block:
    (h,) = [b for b in blocks if b.kind == "heading" and b.text.replace(" ", "").startswith(prefix)]
    return h


def test_headings_of_000(cleaned: dict[str, tuple]) -> None:
    _, _, blocks, _, _ = _doc(cleaned, "000")
    assert _heading(blocks, "1研究背景").level == 1
    assert _heading(blocks, "2文献综述").level == 1
    h31 = _heading(blocks, "3.1")
    assert h31.level == 2 and h31.section[-1].startswith("3")
    h3 = _heading(blocks, "3.广东跨境电子商务")
    assert h3.level > h31.level and h3.section[0].startswith("3粤港澳")
    # a heading wrapped by its larger font comes back whole
    assert _heading(blocks, "4粤港澳").text.endswith("存在的问题")
    assert _heading(blocks, "5.2").text.endswith("数字贸易规则")


def test_headings_of_001_follow_numbering_not_hash_marks(cleaned: dict[str, tuple]) -> None:
    _, _, blocks, _, _ = _doc(cleaned, "001")
    # "## （二）" and "### （一）" are siblings whatever their # marks say
    first = [b for b in blocks if b.kind == "heading" and b.text.startswith("（一）数字贸易规模稳步增长")]
    second = [b for b in blocks if b.kind == "heading" and b.text.startswith("（二）跨境电商连续8年")]
    assert first and second
    assert first[-1].level == second[-1].level
    assert first[-1].section == second[-1].section
    assert first[-1].section[-1].startswith("一")
    assert any(b.kind == "heading" and b.text == "前言" for b in blocks)
    # tab tables are table blocks with cells
    t1 = [b for b in blocks if b.kind == "table" and b.rows and ["2018", "31", "25", "27"] in b.rows]
    assert len(t1) == 1


def test_doubled_headlines_of_002_collapse(cleaned: dict[str, tuple]) -> None:
    _, text, blocks, _, removals = _doc(cleaned, "002")
    assert blocks[0].kind == "heading" and blocks[0].text == "促进数字贸易改革创新发展"
    assert text.count("促进数字贸易改革创新发展") == 1
    assert any(b.kind == "heading" and b.text == "完善数字基础设施夯实底座" for b in blocks)
    assert {r.kind for r in removals} == {"duplicate_headline"}


def test_box_title_and_byline_of_002_stay_apart(cleaned: dict[str, tuple]) -> None:
    _, _, blocks, _, _ = _doc(cleaned, "002")
    # a short title line followed by an author line: the title is a heading, the name its own paragraph
    titled = [b for b in blocks if b.kind == "heading" and b.text == "推动数据跨境流动安全有序"]
    assert len(titled) == 1
    after = blocks[titled[0].idx + 1]
    assert after.kind == "prose" and after.text == "崔艳新"
    assert blocks[titled[0].idx + 2].text.startswith("数据是数字经济时代的关键生产要素。")


def test_marked_heading_cut_across_a_page_of_001_is_whole(cleaned: dict[str, tuple]) -> None:
    _, _, blocks, _, _ = _doc(cleaned, "001")
    cut = [b for b in blocks if "加快培育信" in b.text]
    assert len(cut) == 1 and cut[0].kind == "heading"
    assert cut[0].text.endswith("加快培育信创产业龙头。")
    assert not any(b.text == "创产业龙头。" for b in blocks)
