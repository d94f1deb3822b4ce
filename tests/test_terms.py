"""Term discovery and adding accepted terms to the workspace dictionary."""

from __future__ import annotations

from nlp.lang import tag_texts
from nlp.terms import TERM_COLUMNS, add_terms, affected_paragraphs, discover_terms


def _corpus():
    contexts = ["推进", "完善", "建设", "支持", "优化", "加快"]
    tails = ["工作。", "体系。", "机制。", "建设。", "改革。", "发展。"]
    texts = [f"{a}甲乙丙丁飞地经济{b}" for a in contexts for b in tails]
    texts += ["经济发展平稳。", "甲乙丙丁和飞地各自独立。"]
    return [{"doc": "d", "idx": i, "text": t} for i, t in enumerate(texts)]


def test_discover_terms_finds_a_cohesive_free_unit():
    table = discover_terms(_corpus(), top=10, min_freq=3)
    assert list(table.columns) == TERM_COLUMNS
    assert table.iloc[0]["term"] in {"甲乙丙丁飞地经济", "飞地经济"}
    assert (table["score"].diff().dropna() <= 0).all()
    assert all(len(t) >= 3 for t in table["term"])


def test_known_dictionary_words_are_not_proposed():
    table = discover_terms([{"text": "推进跨境电商发展。"} for _ in range(10)], min_freq=2)
    assert "跨境电商" not in set(table["term"])


def test_add_terms_makes_the_segmenter_keep_them(tmp_path):
    text = "推进甲乙丙丁飞地经济发展"
    assert "甲乙丙丁飞地经济" not in [w for w, _ in tag_texts([text])[0]]
    assert add_terms(["甲乙丙丁飞地经济"], tmp_path / "user_dict.txt") == ["甲乙丙丁飞地经济"]
    config = {"_root": str(tmp_path)}
    assert ("甲乙丙丁飞地经济", "nz") in tag_texts([text], config=config)[0]
    affected = affected_paragraphs(_corpus(), ["甲乙丙丁飞地经济"])
    assert len(affected) == 36
