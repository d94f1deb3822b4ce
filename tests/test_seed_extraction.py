"""Extraction on seed 001 (a city's digital-trade report, no dev gold): facts, rules and measures that a careful
reading of the document expects, kept as regressions. Reads ../shared/seeds (skips with the folder named when
it is absent)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from nlp.extract.measures import extract_measures
from nlp.extract.numbers import extract_facts
from nlp.extract.rules import extract_rules
from nlp.lang import tag_texts
from pipelines.stages import build_document


@pytest.fixture(scope="module")
def seed001(seed_paths: list[Path]):  # type: ignore[no-untyped-def]
    path = next((p for p in seed_paths if p.name.startswith("001")), None)
    if path is None:
        pytest.skip("seed 001 missing from ../shared/seeds")
    data = path.read_bytes()
    return build_document(path, sha256=hashlib.sha256(data).hexdigest(), size=len(data))


def _fact(facts, number: str, unit: str, near: str):  # type: ignore[no-untyped-def]
    return next(f for f in facts if f.number == number and f.unit == unit and near in f.sentence)


def test_seed001_facts(seed001) -> None:  # type: ignore[no-untyped-def]
    facts = extract_facts(seed001)
    # the share's subject is the city, not the whole after 占; the second share does not repeat the whole
    share = _fact(facts, "8", "%", "占全国数字服务贸易比重")
    assert (share.region, share.year, share.indicator) == ("广州市", "2020", "数字贸易规模占全国数字服务贸易比重")
    # 其中国家高新技术企业: no 中国 in 其中|国家
    assert _fact(facts, "700", "家", "其中国家高新技术企业").region == "广州市"
    # a (%) table: unit from the caption, the caption's subject qualifies the short column labels
    cell = next(f for f in facts if f.source == "table" and f.number == "31" and f.year == "2018")
    assert (cell.unit, cell.kind, cell.indicator) == ("%", "percent", "数字贸易占服务贸易比重（进出口）")
    # 由A增长至B over 2005—2019年: each end gets its year
    assert _fact(facts, "12027.60", "亿美元", "由12027.60").year == "2005"
    assert _fact(facts, "31925.86", "亿美元", "由12027.60").year == "2019"
    # 分别占全市26.5%和40.6%: each share belongs to the quantity before it
    assert _fact(facts, "26.5", "%", "分别占全市").indicator == "规模以上文化产业法人单位占全市比重"
    # a category threshold (营收超亿元的…企业) is no fact
    assert not any(f.number == "亿" and "营收超亿元的" in f.sentence for f in facts)


def test_seed001_rules_merge_titles_with_a_dropped_character(seed001) -> None:  # type: ignore[no-untyped-def]
    rules = {r.canonical: r for r in extract_rules(seed001)}
    assert "州市推动跨境电子商务高质量发展若干措施" not in rules
    assert rules["广州市推动跨境电子商务高质量发展若干措施"].mentions == 4


def test_seed001_measures_have_clean_edges(seed001) -> None:  # type: ignore[no-untyped-def]
    tokens = tag_texts([b.text for b in seed001.blocks])
    measures = {m.canonical: m for m in extract_measures(seed001, tokens=tokens)}
    names = set(measures)
    # 琶洲人工智能与数字经济试验区（以下简称琶洲试验区）: the short name's mentions are the zone's
    assert "琶洲试验区" not in names
    assert measures["琶洲人工智能与数字经济试验区"].mentions >= 4
    assert not any(n.startswith(("以琶洲", "年琶洲")) or "and" in n for n in names), sorted(names)
    assert "电子发票管理系统" in names
