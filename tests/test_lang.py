"""Segmentation and tagging: jieba semantics, the domain dictionary, the spaCy Doc contract."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

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


def test_pipe_handles_empty_and_batches():
    # A fresh pipeline: the later texts hold known words before and between new ones (the cold path keeps the
    # columns of the words before the first new one and looks again only at the rest).
    fresh, tagger = make_nlp(), get_tagger()
    texts = ["", "数字贸易", "服务贸易和货物贸易", "数字贸易和服务贸易以及离岸贸易、数字贸易与转口贸易2025年"]
    docs = list(fresh.pipe(texts, batch_size=2))
    assert len(docs[0]) == 0
    assert [t.text for t in docs[2]] == ["服务贸易", "和", "货物贸易"]
    assert [[(t.text, t.tag_) for t in doc] for doc in docs] == [tagger.tag(text) for text in texts]


def _seed_paragraphs(seed_paths):
    return [p for path in seed_paths for p in path.read_text(encoding="utf-8").split("\n") if p.strip()]


def test_docs_equal_the_tagger_on_the_seeds_first_and_second_time(seed_paths):
    # The tokenizer cuts, then takes each word's tag from a per-word cache filled the first time a word is
    # seen: a fresh pipeline exercises that cold path, the second pass the cached one.
    fresh, tagger = make_nlp(), get_tagger()
    paras = _seed_paragraphs(seed_paths)
    assert len(paras) > 100
    for _ in range(2):
        for para in paras:
            doc = fresh(para)
            assert doc.text == para
            assert [(t.text, t.tag_) for t in doc] == tagger.tag(para)
            assert all(t.pos_ == upos(t.tag_, t.text) for t in doc)


def test_words_jieba_splits_when_alone_keep_their_tag_in_context():
    # 时区 and 看表 are dictionary words that jieba cuts in two when tagged alone, so their tag is learnt
    # from the text they came from.
    fresh, tagger = make_nlp(), get_tagger()
    for text in ["满足各主要时区的人民币业务发展", "具体数据可看表2。"]:
        assert any(tagger.tag_of(w) is None for w in tagger.cut(text))
        assert [(t.text, t.tag_) for t in fresh(text)] == tagger.tag(text)


def test_docs_from_tokens_keep_caller_tags_verbatim(nlp):
    doc = docs_from_tokens(nlp, ["安全法", "安全法", "发展", "发展"], ["nr", "nz", "v", "vn"])
    assert [(t.text, t.tag_, t.pos_) for t in doc] == [
        ("安全法", "nr", "PROPN"),
        ("安全法", "nz", "PROPN"),
        ("发展", "v", "VERB"),
        ("发展", "vn", "NOUN"),
    ]


def test_docs_after_a_memory_zone_are_unchanged():
    fresh = make_nlp()
    text = "推动跨境电商高质量发展，GDP增长5.2%"
    with fresh.memory_zone():
        inside = [(t.text, t.tag_, t.pos_, t.like_num) for t in fresh(text)]
    after = [(t.text, t.tag_, t.pos_, t.like_num) for t in fresh(text)]
    assert after == inside


EDGE_WORDS = {
    "三百", "一千二百三十四", "十", "十四五", "一是", "1/2", "+3", "-5", "±2", "~7", "5.2%", "１２", "1,000", "3.", "5G",
    "Ⅲ", "①", "²", "〇", "www.gov.cn", "http://x", "https://y.z", "a@b.com", "x.org/", ".cn", "gov.", "ABC中文",
    "Apple", "GDP", "A", "Lex", "Ｒ．Ｌ．", "“", "”", "(", "》", "``", "''", "$", "¥", "€", "￥", "，", "。", "——", "…",
    "\u3000", " ", "\n", "\t", "一" * 120, "发" * 120, "经济" * 3, "中国ABC", "ǅ", "ß", "İ", "\u9fff", "\u4e00",
}  # fmt: skip


def _lexeme_fields(lex):
    return (
        lex.orth_,
        lex.flags,
        lex.lower_,
        lex.norm_,
        lex.shape_,
        lex.prefix_,
        lex.suffix_,
        lex.lang_,
        lex.rank,
    )


def _dictionary_sample(step=25):
    import jieba

    path = Path(jieba.__file__).parent / "dict.txt"
    lines = path.read_text(encoding="utf-8").splitlines()[::step]
    return {line.split(" ")[0] for line in lines if line.strip()}


def test_lexemes_equal_spacys_own(seed_paths):
    # make_nlp swaps spaCy's lexical attribute getters for faster ones: every field of every lexeme must agree
    # with a plain spaCy Chinese vocab (flags hold is_alpha, is_stop, like_num, is_punct, like_url, ...).
    from spacy.lang.zh import Chinese

    ours, plain = make_nlp().vocab, Chinese().vocab
    tagger = get_tagger()
    words = {w for para in _seed_paragraphs(seed_paths) for w in tagger.cut(para)}
    words |= EDGE_WORDS | _dictionary_sample()
    assert len(words) > 15_000
    for word in sorted(words):
        assert _lexeme_fields(ours[word]) == _lexeme_fields(plain[word]), word


def test_lexemes_made_by_the_tokenizer_equal_spacys_own(seed_paths):
    # the lexemes the tokenizer's Docs create (from hashes, through the fast getters) agree with spaCy's own
    from spacy.lang.zh import Chinese

    nlp, plain = make_nlp(), Chinese().vocab
    words = {t.text for doc in nlp.pipe(_seed_paragraphs(seed_paths)) for t in doc}
    edge = sorted(EDGE_WORDS | _dictionary_sample())
    assert [t.text for t in docs_from_tokens(nlp, edge, ["x"] * len(edge))] == edge
    words |= set(edge)
    assert len(words) > 15_000
    for word in sorted(words):
        assert _lexeme_fields(nlp.vocab[word]) == _lexeme_fields(plain[word]), word


def test_plain_words_take_the_short_path_and_their_lexemes_equal_spacys_own():
    # the tokenizer creates the lexemes of plain CJK words itself, with 8 getters instead of 23 and hashes for
    # lower / norm / short suffixes: every field must still be what spaCy's own vocab gives, for each length class
    from spacy.lang.zh import Chinese

    from nlp.lang import _is_plain

    nlp, plain = make_nlp(), Chinese().vocab
    getters = nlp.vocab.lex_attr_getters
    words = sorted(_dictionary_sample(step=10) | EDGE_WORDS)
    doc = docs_from_tokens(nlp, words, ["n"] * len(words))
    assert [t.text for t in doc] == words
    assert nlp.vocab.lex_attr_getters is getters and len(getters) == 23  # put back as it was
    assert nlp.tokenizer._builder._plain_tables is not None  # the short path was taken
    by_length = Counter(min(len(w), 4) for w in words if _is_plain(w))
    assert all(by_length[n] >= 50 for n in (1, 2, 3, 4)), by_length
    for word in words:
        assert _lexeme_fields(nlp.vocab[word]) == _lexeme_fields(plain[word]), word


def test_getters_that_a_plain_word_skips_are_false_for_every_plain_word():
    from nlp.lang import _ON_PLAIN, _is_plain

    skipped = [getter for getter, cheaper in _ON_PLAIN.items() if cheaper is None]
    assert len(skipped) == 15
    words = [w for w in _dictionary_sample(step=5) if _is_plain(w)]
    assert len(words) > 50_000
    for getter in skipped:
        assert not any(map(getter, words)), getter


def test_a_custom_getter_turns_the_short_path_off():
    from spacy.attrs import IS_STOP

    nlp = make_nlp()
    nlp("经济发展")  # the short path is set up for make_nlp's own getters
    nlp.vocab.lex_attr_getters[IS_STOP] = lambda text: text == "规则"
    doc = nlp("规则对接")
    assert [(t.text, t.is_stop) for t in doc] == [("规则", True), ("对接", False)]
    assert nlp.tokenizer._builder._plain_tables is None


def test_lexical_attribute_getters_return_what_spacys_return(seed_paths):
    from spacy.lang.zh import Chinese

    ours, plain = make_nlp().vocab.lex_attr_getters, Chinese().vocab.lex_attr_getters
    assert list(ours) == list(plain)
    assert any(ours[attr] is not plain[attr] for attr in ours)
    words = sorted(
        EDGE_WORDS | {w for para in _seed_paragraphs(seed_paths)[:200] for w in get_tagger().cut(para)}
    )
    for attr in ours:
        for word in words:
            a, b = ours[attr](word), plain[attr](word)
            assert (a, type(a)) == (b, type(b)), (attr, word)


def test_custom_lexical_getters_are_kept():
    from spacy.attrs import IS_STOP, LIKE_NUM

    from nlp.lang import _fast_getter

    def mine(text):
        return text == "x"

    assert _fast_getter(mine) is mine
    nlp = make_nlp()
    nlp.vocab.lex_attr_getters[IS_STOP] = mine
    assert nlp.vocab["x"].is_stop and not nlp.vocab["的"].is_stop
    assert nlp.vocab.lex_attr_getters[LIKE_NUM]("三百")


def test_vocab_with_fast_getters_pickles():
    import pickle

    vocab = pickle.loads(pickle.dumps(make_nlp().vocab))
    assert vocab.lang == "zh"
    assert (vocab["经济"].shape_, vocab["三百"].like_num, vocab["的"].is_stop) == ("xx", True, True)
