"""JioNLP money-parser gold cases: >= 95% must parse to the same amount(s) and currency."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from nlp.extract.cn_numbers import parse_money


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
