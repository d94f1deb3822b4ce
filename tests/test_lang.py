"""Segmentation and tagging: jieba semantics, the domain dictionary, the spaCy Doc contract."""

from __future__ import annotations

import re

import pytest

from nlp.lang import UPOS, docs_from_tokens, get_tagger, make_nlp, segment, tag_texts, upos


@pytest.fixture(scope="module")
def nlp():
    return make_nlp()


DOMAIN_TERMS = ["粤港澳大湾区", "跨境电商", "单一窗口", "综合试验区", "数据跨境流动"]


def _boundaries(tokens):
    pos, cuts = 0, set()
    for token in tokens:
        pos += len(token)
        cuts.add(pos)
    return cuts


@pytest.mark.parametrize(
    "text",
    [
        "加快建设粤港澳大湾区国际科技创新中心",
        "推动跨境电商高质量发展",
        "完善国际贸易单一窗口功能",
        "支持综合试验区先行先试",
        "规范数据跨境流动管理",
    ],
)
def test_domain_terms_are_never_cut_inside(nlp, text):
    doc = nlp(text)
    cuts = _boundaries([t.text for t in doc])
    for term in DOMAIN_TERMS:
        for m in re.finditer(term, text):
            assert not any(m.start() < c < m.end() for c in cuts), [t.text for t in doc]


def test_domain_terms_survive_on_the_seeds(seed_paths):
    found = 0
    for path in seed_paths:
        for para in path.read_text(encoding="utf-8").split("\n"):
            if not any(term in para for term in DOMAIN_TERMS):
                continue
            tokens = [w for w, _ in tag_texts([para])[0]]
            cuts = _boundaries(tokens)
            for term in DOMAIN_TERMS:
                for m in re.finditer(term, para):
                    found += 1
                    assert not any(m.start() < c < m.end() for c in cuts), (term, tokens)
    assert found > 50


def test_security_law_is_not_a_person_name(nlp):
    doc = nlp("贯彻实施数据安全法和网络安全法，安全法规定")
    tags = {t.text: t.tag_ for t in doc}
    assert all(tag != "nr" for tag in tags.values()), tags
    assert tags.get("安全法") == "nz"


def test_doc_text_round_trips_including_whitespace(nlp):
    text = "第一条\u3000为了规范 数据处理活动，\n保障数据安全。GDP增长5.2%"
    doc = nlp(text)
    assert doc.text == text
    assert "".join(w for w, _ in tag_texts([text])[0]) == text
    spaces = [t for t in doc if t.text.isspace()]
    assert spaces and all(t.pos_ == "SPACE" for t in spaces)


def test_tags_and_pos_follow_jieba_and_the_upos_table(nlp):
    doc = nlp("政府积极推动经济发展")
    assert [t.tag_ for t in doc] == [t for _, t in get_tagger().tag("政府积极推动经济发展")]
    for token in doc:
        assert token.pos_ == UPOS[token.tag_]
    assert upos("，") == "X" and upos("x", "，") == "PUNCT" and upos("x", " ") == "SPACE"


def test_user_words_from_config_are_honoured():
    text = "推进甲乙丙丁示范园建设"
    assert "甲乙丙丁示范园" not in [w for w, _ in tag_texts([text])[0]]
    config = {"lexicon": {"user_words": ["甲乙丙丁示范园 ns"]}}
    assert ("甲乙丙丁示范园", "ns") in tag_texts([text], config=config)[0]
    assert ("甲乙丙丁示范园", "ns") in [(t.text, t.tag_) for t in make_nlp(config)(text)]


def test_segment_returns_text_tag_pos():
    tokens = segment("跨境电商发展")
    assert tokens[0] == {"text": "跨境电商", "tag": "n", "pos": "NOUN"}


def test_docs_from_tokens_rebuilds_without_resegmenting(nlp):
    text = "推动跨境电商 高质量发展"
    pairs = tag_texts([text])[0]
    tokens, tags = [w for w, _ in pairs], [t for _, t in pairs]
    doc = docs_from_tokens(nlp, tokens, tags)
    again = nlp(text)
    assert [(t.text, t.tag_, t.pos_) for t in doc] == [(t.text, t.tag_, t.pos_) for t in again]
    custom = docs_from_tokens(nlp, ["甲乙", "丙"], ["n", "v"])
    assert [t.text for t in custom] == ["甲乙", "丙"] and custom[1].pos_ == "VERB"
    with pytest.raises(ValueError):
        docs_from_tokens(nlp, ["a"], [])


def test_pipe_handles_empty_and_batches(nlp):
    docs = list(nlp.pipe(["", "数字贸易", "服务贸易和货物贸易"], batch_size=2))
    assert len(docs[0]) == 0
    assert [t.text for t in docs[2]] == ["服务贸易", "和", "货物贸易"]
