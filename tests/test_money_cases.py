"""JioNLP money gold cases: the parser (>= 95% of money_parser_cases) and the fact scanner (money_extractor_cases)."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from nlp.extract.cn_numbers import parse_money
from nlp.extract.numbers import facts_in_text


def _expected(num: str | list[str]) -> tuple[float, float | None]:
    if isinstance(num, list):
        return float(num[0]), float(num[1])
    return float(num), None


def _same(got: float | None, want: float | None) -> bool:
    if got is None or want is None:
        return got is None and want is None
    return math.isclose(got, want, rel_tol=1e-9, abs_tol=0.01)


def test_money_parser_cases_rate(corpora_dir: Path) -> None:
    data = json.loads((corpora_dir / "jionlp_cases" / "money_parser_cases.json").read_text(encoding="utf-8"))
    cases = [case for group in data["groups"] for case in group["cases"]]
    failures = []
    for text, want in cases:
        lo, hi = _expected(want["num"])
        got = parse_money(text)
        ok = (
            got is not None and _same(got.value, lo) and _same(got.value_max, hi) and got.unit == want["case"]
        )
        if not ok:
            failures.append((text, want, got))
    rate = 1 - len(failures) / len(cases)
    print(f"money parser: {len(cases) - len(failures)}/{len(cases)} = {rate:.1%}; failures: {failures}")
    assert rate >= 0.95, failures


@pytest.mark.parametrize(
    ("text", "value", "value_max", "unit", "definition"),
    [
        ("4295.58亿元", 429558000000.0, None, "元", "accurate"),
        ("1.7万亿元", 1.7e12, None, "元", "accurate"),
        ("约3.5亿美元", 3.5e8, None, "美元", "blur"),
        ("超过500万港币", 5e6, None, "港元", "blur+"),
        ("一千二百三十四万元", 12340000.0, None, "元", "accurate"),
        ("两到三万元", 20000.0, 30000.0, "元", "blur"),
        ("五十多万元", 500000.0, 600000.0, "元", "blur"),
    ],
)
def test_parse_money_table(
    text: str, value: float, value_max: float | None, unit: str, definition: str
) -> None:
    got = parse_money(text)
    assert got is not None
    assert _same(got.value, value) and _same(got.value_max, value_max)
    assert (got.unit, got.definition) == (unit, definition)


def test_parse_money_without_amount_is_none() -> None:
    assert parse_money("人民币") is None


def _span_scores(cases: list) -> tuple[int, int, int, list]:
    """(true positives, false positives, false negatives, misses) of money facts against gold [start, end) spans."""
    tp = fp = fn = 0
    misses = []
    for sentence, gold in cases:
        got = {(f.char_start, f.char_end) for f in facts_in_text(sentence) if f.kind == "money"}
        want = {tuple(g["offset"]) for g in gold}
        tp, fp, fn = tp + len(got & want), fp + len(got - want), fn + len(want - got)
        misses += [sentence[a:b] for a, b in sorted(want - got)]
        misses += [f"FP {sentence[a:b]}" for a, b in sorted(got - want)]
    return tp, fp, fn, misses


def test_money_extractor_cases_spans(corpora_dir: Path) -> None:
    """JioNLP's money-extractor sentences (jionlp_cases/money_extractor_cases.json: 14 sentences, 12 gold spans, 5
    sentences without money) through the fact scanner, money facts only, spans compared exactly.

    Measured: 12/12 spans found, no false positive (P = R = 1.0; before financial numerals, 圆/块钱/整, 元角分,
    ranges with a magnitude on both bounds and Latin k were read: 6/12). The threshold (P >= 0.9, R >= 0.8) leaves
    room for one or two boundary changes; a real regression in any of those forms fails it.
    """
    path = corpora_dir / "jionlp_cases" / "money_extractor_cases.json"
    if not path.exists():
        pytest.skip(f"needs {path.parent} (JioNLP cases, ../shared/corpora/SOURCES.md section 8)")
    data = json.loads(path.read_text(encoding="utf-8"))
    cases = [case for group in data["groups"] for case in group["cases"]]
    tp, fp, fn, misses = _span_scores(cases)
    precision, recall = tp / max(1, tp + fp), tp / max(1, tp + fn)
    print(f"money extractor spans: P {precision:.3f} ({tp}/{tp + fp}) R {recall:.3f} ({tp}/{tp + fn})", misses)
    assert precision >= 0.9 and recall >= 0.8, misses


@pytest.mark.parametrize(
    ("text", "span", "value", "value_max", "unit"),
    [
        ("利息9佰日元。", "9佰日元", 900.0, None, "日元"),
        ("打印费十块钱。", "十块钱", 10.0, None, "块钱"),
        ("税额共计壹仟玖佰圆整，限期缴清。", "壹仟玖佰圆整", 1900.0, None, "圆"),
        ("开销123元1角1分", "123元1角1分", 123.11, None, "元"),
        ("对每家企业给予10万—50万元奖励。", "10万—50万元", 10.0, 50.0, "万元"),
        ("总投资5000万至1亿元。", "5000万至1亿元", 0.5, 1.0, "亿元"),
        ("报账金额在1 万(含)-5 万元之间。", "1 万(含)-5 万元", 1.0, 5.0, "万元"),
        ("薪酬能给到10k~15k。", "10k~15k", 10.0, 15.0, "k"),
        ("投资5亿元整治河道。", "5亿元", 5.0, None, "亿元"),  # 整治: no cheque 整
        ("票价3元1分钟送达。", "3元", 3.0, None, "元"),  # 1分钟 is a duration, no 分 of money
    ],
)
def test_money_forms_in_running_text(
    text: str, span: str, value: float, value_max: float | None, unit: str
) -> None:
    money = [f for f in facts_in_text(text) if f.kind == "money"]
    assert len(money) == 1, money
    (f,) = money
    assert text[f.char_start : f.char_end] == span
    assert _same(f.value, value) and _same(f.value_max, value_max) and f.unit == unit


@pytest.mark.parametrize("text", ["功率5W的灯。", "4K超高清频道。", "建成500kV变电站。", "共修5千米道路。"])
def test_latin_and_small_magnitudes_are_no_money(text: str) -> None:
    assert not [f for f in facts_in_text(text) if f.kind == "money"]
