"""Keywords: candidate phrases, phrase TF-IDF estimator, TextRank, keyness, grouping."""

from __future__ import annotations

import pytest

from nlp.keywords import PhraseTfidf, _absorb, candidate_phrases, jieba_reference, keyness, keywords, textrank
from nlp.lang import tag_texts


def test_candidate_phrases_join_nouns_into_terms():
    pairs = tag_texts(["基于卷积神经网络的图像识别方法"])[0]
    phrases = {p for p, _, _ in candidate_phrases(pairs)}
    assert "卷积神经网络" in phrases
    assert "的" not in phrases and not any(p.startswith("的") for p in phrases)


DOCS = [
    "数字贸易规则。数字贸易发展迅速，数字贸易规则亟待完善。",
    "农业生产稳定。粮食产量增加，农业生产条件改善。",
    "城市交通拥堵。城市交通治理需要公共交通优先。",
]


def test_phrase_tfidf_is_an_estimator_and_ranks_distinctive_phrases():
    tagged = tag_texts(DOCS)
    model = PhraseTfidf()
    with pytest.raises(RuntimeError):
        model.score(tagged[0])
    assert model.fit(tagged) is model and model.n_docs_ == 3
    top = [p for p, _ in model.extract(tagged[0], top=3)]
    assert top[0] in {"数字贸易", "数字贸易规则"}
    assert not any("农业" in p for p in top)


def test_textrank_returns_phrases_of_the_text():
    pairs = tag_texts([DOCS[0]])[0]
    ranked = textrank(pairs, top=3)
    assert ranked and all(p in DOCS[0] for p, _ in ranked)


def test_keyness_against_reference_and_jieba_dictionary():
    table = keyness({"数字贸易": 30, "发展": 30}, {"数字贸易": 1, "发展": 300}, min_count=1)
    assert table.iloc[0]["term"] == "数字贸易" and table.iloc[0]["log_ratio"] > 0
    assert table.set_index("term").loc["发展", "log_likelihood"] < 0
    assert jieba_reference()["中国"] > 1000
    vs_jieba = keyness({"跨境电商": 20, "我们": 20}, min_count=1)
    assert vs_jieba.iloc[0]["term"] == "跨境电商"


def test_keywords_by_document_section_and_corpus():
    paras = [
        {"doc": f"d{i}", "idx": j, "kind": "prose", "section": f"s{j % 2}", "text": t}
        for i, t in enumerate(DOCS)
        for j in range(2)
    ]
    by_doc = keywords(paras, by="document", top=3)
    assert set(by_doc["group"]) == {"d0", "d1", "d2"} and by_doc["rank"].max() <= 3
    assert len(set(keywords(paras, by="section", top=2)["group"])) == 6
    corpus = keywords(paras, by="corpus", top=5)
    assert set(corpus["group"]) == {"corpus"}
    vs = keywords(paras[:2], by="corpus", method="keyness", vs=paras[2:], top=5)
    assert any("数字贸易" in t for t in vs["term"])
    assert not keywords(paras, method="textrank", top=2).empty
    with pytest.raises(ValueError):
        keywords(paras, by="page")


def test_heading_boilerplate_is_never_a_keyword():
    docs = [
        "总体要求。推进跨境电商综合试验区建设。重点任务。跨境电商海外仓布局。保障措施。",
        "总体要求。农业生产稳定，粮食产量增加。重点任务。农业生产条件改善。保障措施。",
    ]
    tagged = tag_texts(docs)
    model = PhraseTfidf().fit(tagged)
    top = [p for p, _ in model.extract(tagged[0], top=10, title=tag_texts(["总体要求 重点任务 保障措施"])[0])]
    assert "跨境电商" in top
    assert not {"总体要求", "重点任务", "保障措施"} & set(top)


def test_fragment_is_absorbed_into_the_phrase_that_always_contains_it():
    # 沙星 only ever occurs inside 克林沙星: the fragment must not outrank or replace the whole name.
    scored = [("沙星", 3.0), ("克林沙星", 2.0), ("抗菌", 1.0)]
    out = dict(_absorb(scored, "克林沙星抗菌。克林沙星", max_chars=5))
    assert "沙星" not in out and out["克林沙星"] == 3.0 and "抗菌" in out
    # ... but a phrase that also occurs on its own stays.
    assert "沙星" in dict(_absorb(scored, "克林沙星。沙星类", max_chars=5))


def test_burstiness_favours_phrases_that_recur_within_documents():
    tagged = tag_texts(["数字贸易规则。数字贸易发展，数字贸易壁垒。", "数字贸易。农业生产。", "城市交通。"])
    model = PhraseTfidf().fit(tagged)
    assert model.burstiness("数字贸易") > 1.0 == model.burstiness("城市交通")
    assert model.burstiness("不存在的短语") == 1.0


def test_predicate_verbs_are_never_inside_a_phrase():
    # 具有 / 提出 only predicate: 广州具有 was a top-10 keyword of a seed before; 图像识别 keeps its verb head
    pairs = tag_texts(["邱丹平提出粤港澳大湾区背景下，广州具有建设数字贸易中心的优良条件。图像识别技术进步。"])[0]
    phrases = {p for p, _, _ in candidate_phrases(pairs)}
    assert not any("具有" in p or "提出" in p for p in phrases), phrases
    assert {"数字贸易中心", "图像识别"} <= phrases, phrases


def test_small_corpus_leans_on_general_rarity():
    # with two documents idf cannot tell a general word from a term that both use equally: the general-language
    # prior (jieba's dictionary frequencies) does; with thousands of documents it fades out
    docs = tag_texts(["数据跨境流动和建设。数据跨境流动与建设。", "建设和数据跨境流动。"])

    def ratio(model):
        scores = dict(model.fit(docs).extract(docs[0], top=5))
        return scores["建设"] / scores["数据跨境流动"]

    assert PhraseTfidf().fit(docs).reference_weight_ == 1.0
    assert ratio(PhraseTfidf()) < 0.5 * ratio(PhraseTfidf(reference_weight=0.0))
    assert PhraseTfidf().fit(docs * 2_000).reference_weight_ < 0.01


def test_magnitude_and_unit_are_never_keywords():
    docs = tag_texts(["城镇新增就业118.3万人，技能人才培训达到20万人，数字贸易人才增长。", "农业生产稳定。"])
    model = PhraseTfidf().fit(docs)
    assert "万人" not in [p for p, _ in model.extract(docs[0], top=10)]
