"""Theme / instrument coding: matching, rules, thresholds, scheme overrides, outline, agreement, corpora."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pandas as pd
import pytest

from nlp.document import Block, Document, Sentence
from nlp.errors import ConfigError
from nlp.themes import (
    agreement,
    code_document,
    code_sentences,
    code_text,
    cooccurrence_matrix,
    detect_region,
    doc_theme_matrix,
    expand_code,
    instrument_crosstab,
    load_schemes,
    outline,
    parse_scheme,
    read_hand_labels,
    records_frame,
    section_labels,
    theme_by_year,
)

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="module")
def schemes():
    return load_schemes({}, None)


def tiny(**codes) -> object:
    """A one-level scheme built by hand: sentence labels at raw >= 2."""
    return parse_scheme("t", {"levels": ["sentence", "paragraph", "section", "document"], "codes": codes})


def hits(recs, level="sentence"):
    return {(r.code, r.raw) for r in recs if r.level == level}


def make_doc(parts: list[tuple[str, str, int | None]]) -> Document:
    """Blocks from (kind, text, level); sentences split on 。; section paths from heading levels."""
    blocks, sentences, pos, stack = [], [], 0, []
    for idx, (kind, text, level) in enumerate(parts):
        if idx:
            pos += 1
        if kind == "heading":
            stack = [h for h in stack if h[0] < level]
            section = tuple(t for _, t in stack)
            stack.append((level, text))
        else:
            section = tuple(t for _, t in stack)
        blocks.append(Block(idx, kind, text, section, level, None, pos, pos + len(text)))
        start = 0
        for piece in [p + "。" for p in text.split("。") if p] if kind == "prose" else [text]:
            s = text.index(piece.rstrip("。"), start)
            e = min(len(text), s + len(piece))
            sentences.append(Sentence(idx, len(sentences), text[s:e], pos + s, pos + e))
            start = e
        pos += len(text)
    return Document("d.txt", "", "", 0, "\n".join(p[1] for p in parts), blocks, sentences)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("加强人才培养。", {("talent", 2.0)}),  # a term inside a compound counts
        ("培养复合型人才。", {("talent", 3.0)}),  # the longest term wins, counted once
        ("人才引进与人才培养并重。", {("talent", 4.0)}),  # every occurrence counts
        ("发展数字经济。", set()),
    ],
)
def test_themes_substring_and_compound_matching(schemes, text, expected):
    got = {(c, r) for c, r in hits(code_text(text, schemes["themes"])) if c == "talent"}
    assert got == expected


def test_themes_exact_terms_use_tokens():
    scheme = tiny(tax={"exact": {"税": 2}})
    doc = make_doc([("prose", "减税降费。税收增加。", None)])
    # with tokens: only the whole token 税 counts, not 税 inside 减税 / 税收
    recs = code_document(doc, scheme, tokens={0: ["减", "税", "降费", "。", "税收", "增加", "。"]})
    assert hits(recs) == {("tax", 2.0)}
    recs = code_document(doc, scheme, tokens={0: ["减税", "降费", "。", "税收", "增加", "。"]})
    assert hits(recs) == set()


@pytest.mark.parametrize(
    ("expr", "text", "fires"),
    [
        ("人才 & 引进", "大力引进高层次人才。", True),
        ("人才 & 引进", "大力培养人才。", False),
        ("人才 & (引进 | 培养)", "大力培养人才。", True),
        ("人才 & !市场", "发展人才市场。", False),
        ("人才 and not 市场", "培养人才。", True),
        ("!(数据 | 信息)", "培养人才。", True),
    ],
)
def test_themes_rules_and_or_not(expr, text, fires):
    scheme = tiny(c={"rules": [{"expr": expr, "weight": 2}]})
    assert bool(hits(code_text(text, scheme))) is fires


def test_themes_rule_scope_paragraph_spans_sentences():
    sent = tiny(c={"rules": [{"expr": "人才 & 基础设施", "scope": "sentence"}]})
    para = tiny(c={"rules": [{"expr": "人才 & 基础设施", "scope": "paragraph", "weight": 3}]})
    text = "培养人才。建设基础设施。"
    assert not [r for r in code_text(text, sent) if r.level == "paragraph"]
    assert [(r.code, r.raw) for r in code_text(text, para) if r.level == "paragraph"] == [("c", 3.0)]


def test_themes_exclude_voids_sentence():
    scheme = tiny(c={"terms": {"人才": 2}, "exclude": ["人才市场"]})
    assert hits(code_text("培养人才。", scheme)) == {("c", 2.0)}
    assert hits(code_text("整顿人才市场。", scheme)) == set()


@pytest.mark.parametrize("bad", ["人才 &", "(人才 | 引进", "& 人才", ""])
def test_themes_bad_rule_is_config_error(bad):
    with pytest.raises(ConfigError):
        tiny(c={"rules": [bad]})


def test_themes_thresholds_raw_and_density():
    scheme = parse_scheme(
        "t",
        {
            "codes": {"c": {"terms": {"人才": 2, "培训": 1}}},
            "thresholds": {"min_raw": {"sentence": 2, "document": 4}, "min_score": {"document": 5}},
            "min_chars": 100,
        },
    )
    recs = {(r.level, r.code): r for r in code_text("开展培训。", scheme)}
    assert not recs[("sentence", "c")].labelled  # one supporting term: raw 1 < 2
    recs = {(r.level, r.code): r for r in code_text("培养人才。开展培训。引进人才。", scheme)}
    doc = recs[("document", "c")]
    assert doc.raw == 5.0 and doc.score == 50.0 and doc.labelled  # 5 per 100-char floor = 50 per 1,000
    long_text = "培养人才。引进人才。" + "发展经济。" * 200  # same raw, diluted in a long document
    doc = {(r.level, r.code): r for r in code_text(long_text, scheme)}[("document", "c")]
    assert doc.raw == 4.0 and doc.score < 5 and not doc.labelled


def test_themes_evidence_and_offsets(schemes):
    text = "培养复合型人才。发展经济。建设5G基站。"
    recs = code_text(text, schemes["themes"])
    sent = next(r for r in recs if r.level == "sentence" and r.code == "infrastructure")
    assert sent.evidence == ["建设5G基站。"] and text[sent.char_start : sent.char_end] == "建设5G基站。"
    doc = next(r for r in recs if r.level == "document" and r.code == "talent")
    assert doc.evidence == ["培养复合型人才。"]


def test_themes_sections_include_subsections_and_run_in_headings(schemes):
    doc = make_doc(
        [
            ("heading", "1 研究背景", 1),
            ("prose", "本文研究数字经济。", None),
            ("heading", "2 对策", 1),
            ("heading", "2.1 加强人才培养", 2),
            ("prose", "引进复合型人才，开展职业技能培训。", None),
            ("prose", "加快新基建。建设5G基站和数据中心，提升算力。", None),
        ]
    )
    heads = outline(doc)
    assert [(h.text, h.level, h.kind) for h in heads] == [
        ("1 研究背景", 1, "heading"),
        ("2 对策", 1, "heading"),
        ("2.1 加强人才培养", 2, "heading"),
        ("加快新基建", 3, "run-in"),
    ]
    table = section_labels(records_frame(code_document(doc, schemes)))
    got = {row.heading: set(row.themes) for row in table.itertuples()}
    assert got["2 对策"] >= {"talent", "infrastructure"}  # a parent section holds its subsections
    assert "talent" in got["2.1 加强人才培养"] and got["加快新基建"] == {"infrastructure"}
    assert "1 研究背景" not in got or not got["1 研究背景"]


def test_themes_workspace_overrides_and_extends(tmp_path):
    (tmp_path / "themes").mkdir()
    (tmp_path / "themes" / "green.toml").write_text(
        'name = "green"\n[codes.carbon]\nterms = { "碳达峰" = 3, "碳中和" = 3 }\n', encoding="utf-8"
    )
    config = {
        "themes": {
            "themes": {
                "codes": {
                    "talent": {"terms": {"工匠": 2}},
                    "ip_protection": {"replace": True, "terms": {"专利": 2}},
                    "green_finance": {"terms": {"绿色金融": 3}},
                }
            }
        }
    }
    schemes = load_schemes(config, tmp_path)
    assert {"themes", "instruments", "green"} <= set(schemes)
    codes = schemes["themes"].codes
    assert codes["talent"].terms["工匠"] == 2 and codes["talent"].terms["人才"] == 2  # extended, not replaced
    assert set(codes["ip_protection"].terms) == {"专利"}  # replaced
    assert "green_finance" in codes
    assert hits(code_text("弘扬工匠精神。", schemes["themes"])) == {("talent", 2.0)}
    assert hits(code_text("实现碳达峰。", schemes["green"])) == {("carbon", 3.0)}
    with pytest.raises(ConfigError):
        load_schemes({"themes": {"themes": {"codes": {"talent": {"terms": {"人才": "high"}}}}}}, None)


def test_themes_builtin_schemes_have_the_gold_codes(schemes):
    assert set(schemes["themes"].codes) == {
        "rule_alignment",
        "talent",
        "infrastructure",
        "cross_border_ecommerce",
        "data_flows",
        "technology_innovation",
        "industry_ecosystem",
        "finance_payment",
        "ip_protection",
        "regional_coordination",
        "trade_scale",
    }
    assert {c.group for c in schemes["instruments"].codes.values()} == {"supply", "environment", "demand"}


def test_themes_instruments_exclusive_one_label_per_sentence(schemes):
    recs = code_text("对符合条件的企业给予税收优惠，并加强人才培训。", schemes["instruments"])
    labelled = [r for r in recs if r.level == "sentence" and r.labelled]
    assert len(labelled) == 1
    assert code_sentences(["政府采购优先购买创新产品。", "今天天气很好。"], schemes["instruments"]) == [
        "demand",
        None,
    ]


def test_themes_corpus_tables(schemes):
    recs = []
    for i, text in enumerate(
        ["培养人才，引进人才。建设5G基站和数据中心。鼓励出口。", "建设数据中心和5G网络。完善基础设施。"]
    ):
        recs += code_text(text, schemes, doc=f"d{i}")
    frame = records_frame(recs)
    mat = doc_theme_matrix(frame)
    assert mat.loc["d0", "talent"] > 0 and mat.loc["d1", "talent"] == 0
    by_year = theme_by_year(frame, pd.DataFrame({"doc": ["d0", "d1"], "year": [2011, 2019]}), bin_years=10)
    assert list(by_year.index) == [2010]
    co = cooccurrence_matrix(frame, level="document")
    assert co.loc["infrastructure", "infrastructure"] == 2
    ct = instrument_crosstab(frame, by="doc")
    assert set(ct.index) <= {"supply", "environment", "demand"}
    by_theme = instrument_crosstab(frame, by="theme")
    assert by_theme.values.sum() >= 1


def test_themes_detect_region():
    assert detect_region("2025年广西壮族自治区政府工作报告") == "广西"
    assert detect_region(None, "浙江浙江浙江，上海。") == "浙江"
    assert detect_region("政府工作报告", "北京、上海、广州") is None


def test_themes_expand_code_proposes_new_terms(schemes):
    from nlp.vectors import train_vectors

    base = [
        ["培养", "人才", "引进", "专家"],
        ["人才", "工匠", "培训"],
        ["引进", "工匠", "人才", "专家"],
        ["建设", "基站", "网络"],
        ["基站", "光纤", "网络"],
    ]
    kv = train_vectors(base * 30, vector_size=16, min_count=1, epochs=20)
    table = expand_code("talent", kv, schemes["themes"], top=5)
    assert list(table.columns) == ["term", "similarity", "seeds"]
    assert "人才" not in set(table["term"]) and 0 < len(table) <= 5
    with pytest.raises(KeyError):
        expand_code("nope", kv, schemes["themes"])


def test_themes_agreement_cohen_kappa():
    hand = pd.DataFrame(
        {"doc": ["a"] * 4, "text": ["s1", "s2", "s3", "s4"], "label": ["supply", "supply", "demand", "none"]}
    )
    tool = pd.DataFrame(
        {"doc": ["a"] * 4, "text": ["s1", "s2", "s3", "s4"], "labels": [["supply"], [], ["demand"], []]}
    )
    out = agreement(tool, hand).set_index("code")
    assert out.loc["demand", "kappa"] == 1.0
    assert out.loc["supply", "kappa"] == 0.5  # po = .75, pe = .5
    assert out.loc["ALL", "units"] == 4


def test_themes_instrument_precision_on_hand_labels(schemes):
    hand = read_hand_labels(DATA / "instruments_labels.csv")
    assert len(hand) == 60 and set(hand["label"]) <= {"supply", "environment", "demand", "none"}
    pred = code_sentences(hand["sentence"], schemes["instruments"])
    labelled = [(p, gold) for p, gold in zip(pred, hand["label"], strict=True) if p]
    precision = sum(p == gold for p, gold in labelled) / len(labelled)
    print(
        f"instrument precision {precision:.3f} on {len(labelled)} labelled of {len(hand)} hand-labelled sentences"
    )
    assert len(labelled) >= 30 and precision >= 0.75


def test_themes_cli_agree(tmp_path):
    from typer.testing import CliRunner

    from pipelines.cli import app

    result = CliRunner().invoke(
        app, ["--workspace", str(tmp_path), "themes", "agree", str(DATA / "instruments_labels.csv")]
    )
    assert result.exit_code == 0, result.output
    assert "kappa" in result.output and "environment" in result.output
    # the same labels saved by Excel on Chinese Windows (GBK): the same table
    gbk = tmp_path / "labels_gbk.csv"
    gbk.write_bytes((DATA / "instruments_labels.csv").read_text(encoding="utf-8").encode("gb18030"))
    again = CliRunner().invoke(app, ["--workspace", str(tmp_path), "themes", "agree", str(gbk)])
    assert again.exit_code == 0 and again.output == result.output


@pytest.mark.shared
def test_themes_codes_all_52_government_work_reports(corpora_dir, schemes):
    reports = sorted((corpora_dir / "gov_work_reports" / "reports").glob("*.txt"))
    assert len(reports) == 52
    scheme = replace(schemes["themes"], levels=("document",))
    frame = records_frame(
        r for p in reports for r in code_text(p.read_text(encoding="utf-8"), scheme, doc=p.name)
    )
    mat = doc_theme_matrix(frame)
    assert len(mat) == 52
    years = pd.DataFrame({"doc": [p.name for p in reports], "year": [int(p.stem) for p in reports]})
    decades = theme_by_year(frame, years, bin_years=10)
    # talent and infrastructure are stronger in the reform era than in the 1950s-70s reports
    assert decades.loc[2010, "talent"] > decades.loc[1950, "talent"]
    assert decades.loc[2020, "rule_alignment"] > decades.loc[1980, "rule_alignment"]


def test_one_scan_gives_each_codes_own_matches():
    """The single scan over all codes (nlp.themes._match_all) must give every code exactly the weight and terms
    of matching that code alone (_match_sentence): overlapping terms of different codes, a shorter term inside
    a longer one of the same code, whole-token terms, rules (with NOT) and exclusions."""
    import random

    from nlp.themes import _index, _match_all, _match_sentence

    scheme = parse_scheme(
        "t",
        {
            "codes": {
                "a": {
                    "terms": {"数据": 2, "数据跨境": 3, "跨境": 1, "安全": 0.5},
                    "exact": {"税": 1.5},
                    "rules": [{"expr": "国际 & !地方", "weight": 1}],
                },
                "b": {"terms": {"跨境电商": 3, "电商": 2, "商务": 1, "数": 0.5}, "exclude": ["禁止"]},
                "c": {"terms": ["据跨", "境电", "数据跨境电商平台"], "rules": ["!平台"]},
            }
        },
    )
    ix = _index(scheme)
    pieces = ["数据", "跨境", "电商", "平台", "国际", "地方", "税", "禁止", "安全", "商务", "的", "。", "数"]
    rng = random.Random(7)
    for _ in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 12)))
        tokens = list(text)  # single characters: 税 is a whole token, 数据 is not
        fast = {ci: (raw, terms) for ci, raw, terms in _match_all(ix, text, lambda t=tokens: t, text)}
        for ci, (name, code) in enumerate(scheme.codes.items()):
            ref = _match_sentence(code, text, tokens)
            got = fast.get(ci, (0.0, []))
            assert (got[0], got[1]) == (ref.raw, ref.terms), (name, text)


def test_code_document_rows_do_not_depend_on_the_scheme_index_cache(schemes):
    """Editing a code after a first run changes the next run (the compiled index is keyed on the content)."""
    scheme = tiny(x={"terms": {"跨境电商": 2}})
    doc = make_doc([("prose", "发展跨境电商。加强人才培养。", None)])
    assert hits(code_document(doc, scheme)) == {("x", 2.0)}
    scheme.codes["x"].terms["人才"] = 3
    scheme.codes["x"].compile()
    assert hits(code_document(doc, scheme)) == {("x", 2.0), ("x", 3.0)}


def _two_schemes():
    a = parse_scheme(
        "a",
        {
            "codes": {
                "x": {
                    "terms": {"数据": 2, "数据跨境": 3, "跨境": 1, "安全": 0.5},
                    "exact": {"税": 1.5},
                    "rules": [{"expr": "国际 & !地方", "weight": 1}, {"expr": "!平台"}],
                },
                "y": {"terms": {"跨境电商": 3, "电商": 2, "商务": 1, "数": 0.5}, "exclude": ["禁止"]},
            }
        },
    )
    b = parse_scheme(
        "b",
        {
            "exclusive": True,
            "codes": {
                "z": {"terms": ["据跨", "境电", "数据跨境电商平台", "电商"], "exact": {"数据": 1}},
                "w": {"terms": {"平台": 2, "国际": 1}, "rules": [{"expr": "税 | 地方", "weight": 2}]},
            },
        },
    )
    return a, b


def test_block_scan_of_all_schemes_equals_matching_each_sentence_alone():
    """_match_block (one scan of the paragraph for the terms of every scheme, tokens placed once) gives every
    sentence exactly what _match_all gives it scheme by scheme, also for terms and tokens that run across a
    sentence end and for sentences that are not slices of their paragraph."""
    import itertools
    import random

    from nlp.themes import _bundle, _index, _match_all, _match_block, _sentence_tokens

    schemes = _two_schemes()
    indexes = [_index(s) for s in schemes]
    bundle = _bundle(indexes)
    pieces = ["数据", "跨境", "电商", "平台", "国际", "地方", "税", "禁止", "安全", "商务", "的", "数", "。"]
    rng = random.Random(11)
    for trial in range(300):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 16)))
        base = 5
        block = Block(0, "prose", text, (), None, None, base, base + len(text))
        cuts = sorted({0, len(text), *(rng.randrange(len(text) + 1) for _ in range(rng.randint(0, 3)))})
        sentences = [
            Sentence(0, k, text[a:e], base + a, base + e)
            for k, (a, e) in enumerate(itertools.pairwise(cuts))
            if e > a
        ]
        if trial % 10 == 0 and sentences:  # a sentence whose text is not its slice of the paragraph
            s0 = sentences[0]
            sentences[0] = Sentence(0, 0, s0.text[::-1], s0.char_start, s0.char_end)
        toks, pos = [], 0
        while pos < len(text):  # random chunks: a token may run across a sentence end
            n = rng.randint(1, 3)
            toks.append(text[pos : pos + n])
            pos += n
        for tokens in (toks, None):
            got = {s.idx: hits for s, hits in _match_block(bundle, block, sentences, tokens)}
            split = _sentence_tokens(sentences, block, tokens)
            for k, s in enumerate(sentences):
                expected = []
                for ix, off in zip(indexes, bundle.offsets, strict=True):
                    one = _match_all(ix, s.text, (lambda t=split[k]: t) if tokens is not None else None, text)
                    expected.extend((off + ci, raw, terms) for ci, raw, terms in one if raw > 0)
                assert got.get(s.idx, []) == expected, (text, s.text, tokens)


def test_split_trie_finds_the_longest_term_at_every_position():
    """Tries split by first character (several smaller regexes) find, together, the same (position, longest
    term) as the single trie over all terms."""
    import random

    from nlp.themes import _scan, _split_trie, _trie_pattern

    terms = [
        "数据",
        "数据跨境",
        "跨境",
        "跨境电商",
        "电商",
        "商务",
        "数",
        "平台",
        "台",
        "5G",
        "%",
        "税收",
        "税",
    ]
    ordered = sorted(terms, key=lambda t: (-len(t), t))
    single = _trie_pattern(ordered)
    split = _split_trie(ordered, group_chars=2)
    assert len(split) > 1
    rng = random.Random(3)
    for _ in range(200):
        text = "".join(rng.choice(terms + ["的", "G", "跨"]) for _ in range(rng.randint(0, 10)))
        ref, m = [], single.search(text)
        while m is not None:
            ref.append((m.start(), m.group()))
            m = single.search(text, m.start() + 1)
        assert _scan([p.search for p in split], text) == ref, text


def test_code_document_with_several_schemes_equals_each_scheme_alone():
    """Coding with several schemes at once (one bundle) gives each scheme exactly its rows when coded alone."""
    a, b = _two_schemes()
    doc = make_doc(
        [
            ("heading", "数据跨境与电商平台", 1),
            ("prose", "发展跨境电商平台。加强数据安全。国际税收合作。", None),
            ("heading", "地方商务", 2),
            ("prose", "禁止电商数据跨境。地方平台的税。", None),
        ]
    )
    both = code_document(doc, {"a": a, "b": b})
    assert both == code_document(doc, a) + code_document(doc, b)
    assert {r.scheme for r in both} == {"a", "b"}


def test_themes_parent_section_is_the_union_of_its_subsections_not_more():
    """A parent section takes its subsections' labels and what its own text earns, but not a code that only
    adds up across subsections (one supporting term in each part is no theme of any part, nor of the whole)."""
    scheme = parse_scheme(
        "t",
        {
            "codes": {"c": {"terms": {"人才": 3, "培训": 1.5}}, "d": {"terms": {"算力": 3}}},
            "thresholds": {"min_raw": {"section": 3}, "min_score": {"section": 1}},
        },
    )
    doc = make_doc(
        [
            ("heading", "2 对策", 1),
            ("prose", "本节提出对策。", None),
            ("heading", "2.1 第一方面", 2),
            ("prose", "一方面，开展培训，提升算力。", None),
            ("heading", "2.2 第二方面", 2),
            ("prose", "另一方面，开展培训，引进人才。", None),
        ]
    )
    rows = {(r.heading, r.code): r for r in code_document(doc, scheme) if r.level == "section"}
    assert rows[("2.1 第一方面", "d")].labelled and not rows[("2.1 第一方面", "c")].labelled
    assert rows[("2.2 第二方面", "c")].labelled
    parent_c, parent_d = rows[("2 对策", "c")], rows[("2 对策", "d")]
    assert parent_c.labelled and parent_d.labelled  # the union of 2.1 {d} and 2.2 {c}
    assert parent_c.raw == 6.0  # raw and score stay those of the whole section
    doc2 = make_doc(
        [
            ("heading", "2 对策", 1),
            ("prose", "本节提出对策。", None),
            ("heading", "2.1 第一方面", 2),
            ("prose", "一方面，开展培训。", None),
            ("heading", "2.2 第二方面", 2),
            ("prose", "另一方面，组织培训。", None),
        ]
    )
    rows = {(r.heading, r.code): r for r in code_document(doc2, scheme) if r.level == "section"}
    assert rows[("2 对策", "c")].raw == 3.0 and not rows[("2 对策", "c")].labelled  # adds up, no part has it


def test_themes_parent_own_text_counts_for_its_label():
    scheme = parse_scheme(
        "t",
        {
            "codes": {"c": {"terms": {"人才": 3}}},
            "thresholds": {"min_raw": {"section": 3}, "min_score": {"section": 1}},
        },
    )
    doc = make_doc(
        [
            ("heading", "3 问题", 1),
            ("prose", "当前，人才短缺是首要问题。", None),
            ("heading", "3.1 规模", 2),
            ("prose", "当前，贸易规模较小。", None),
        ]
    )
    rows = {(r.heading, r.code): r for r in code_document(doc, scheme) if r.level == "section"}
    assert rows[("3 问题", "c")].labelled and ("3.1 规模", "c") not in rows


def test_themes_untitled_speaker_turn_closes_the_open_sections(schemes):
    """In a panel, an expert whose headline was lost does not become part of the previous expert's section."""
    doc = make_doc(
        [
            ("heading", "完善数字基础设施", 1),
            ("prose", "许某（北京大学教授）：建设5G基站和数据中心，提升算力。", None),
            ("prose", "苏某（中国社会科学院研究员）：积极对接国际高标准经贸规则，参与规则制定。", None),
            ("heading", "推动数据跨境流动", 1),
            ("prose", "崔某（研究院研究员）：推动数据跨境安全有序流动。", None),
        ]
    )
    table = section_labels(records_frame(code_document(doc, schemes)))
    got = {row.heading: set(row.themes) for row in table.itertuples()}
    assert "infrastructure" in got["完善数字基础设施"] and "rule_alignment" not in got["完善数字基础设施"]
    # a speaker right after a heading opens that heading's section
    assert "data_flows" in got["推动数据跨境流动"]


@pytest.mark.parametrize(
    ("text", "ip"),
    [
        ("知识产权使用费进口额增长。", 0.0),  # royalties: a trade-in-services category
        ("企业拥有自主知识产权。", 0.0),  # a firm's own technology, not protection
        ("加强知识产权保护。", 3.0),
        ("完善知识产权制度。", 2.0),
    ],
)
def test_themes_ip_protection_is_protection_not_every_mention(schemes, text, ip):
    recs = code_text(text, schemes["themes"])
    got = sum(r.raw for r in recs if r.level == "sentence" and r.code == "ip_protection")
    assert got == ip


def _sentence_raw(schemes, text, code):
    return sum(r.raw for r in code_text(text, schemes["themes"]) if r.level == "sentence" and r.code == code)


@pytest.mark.parametrize(
    ("text", "items", "head"),
    [
        (
            "做大做强科技服务、金融服务、物流服务、商务服务等生产性服务业。",
            ["科技服务", "金融服务", "物流服务", "商务服务"],
            "生产性服务业",
        ),
        (
            "积极拓展中间品贸易、服务贸易、绿色贸易和数字贸易。",
            ["间品贸易", "服务贸易", "绿色贸易", "数字贸易"],
            "",
        ),
        ("加快5G网络、光纤宽带网络、数据中心建设。", ["加快5G网络", "光纤宽带网络", "数据中心建设"], ""),
        ("运用大数据、云计算等前沿技术。", None, None),  # two items: no enumeration
        (
            "完善中小金融机构功能定位和治理机制、落实无还本续贷扩围政策、完善支持小微企业融资协调机制。",
            None,
            None,
        ),
    ],
)
def test_enumerations_items_and_head_noun(text, items, head):
    """An enumeration is 3+ short items separated by 、 in one clause (a last 和 splits one more); the first item
    is cut to the other items' width (the verb before it is not an item); the head noun follows 等."""
    from nlp.themes import _enumerations

    found = _enumerations(text)
    if items is None:
        assert found == ()
        return
    assert len(found) == 1
    *spans, (ha, he) = found[0]
    assert [text[a:e] for a, e in spans] == items
    assert text[ha:he].rstrip("。") == head


@pytest.mark.parametrize(
    ("text", "code", "raw"),
    [
        # one item of a list of service categories: 金融 (1.5) counts half
        ("做大做强科技服务、金融服务、物流服务、商务服务、会计服务等生产性服务业。", "finance_payment", 0.75),
        # a list about infrastructure counts in full (5G, 光纤, 宽带, 数据中心: 2 each)
        ("加快5G网络、光纤宽带网络、数据中心建设。", "infrastructure", 8.0),
        # the head noun after 等 names the code: every item is an industry (产业 1 + 产业 1)
        ("支持生物医药、高端装备、新能源汽车、新材料等产业发展，壮大产业。", "industry_ecosystem", 2.0),
        # outside an enumeration nothing changes
        ("强化金融服务实体经济。", "finance_payment", 1.5),
        # 科技创新 (3) is one of four capacities listed: half
        ("强化科技创新、高端制造、现代服务、人文交往等能力。", "technology_innovation", 1.5),
    ],
)
def test_themes_minority_item_of_an_enumeration_counts_less(schemes, text, code, raw):
    assert _sentence_raw(schemes, text, code) == pytest.approx(raw)


def test_list_weight_is_a_scheme_option_and_one_turns_it_off(schemes):
    text = "做大做强科技服务、金融服务、物流服务、商务服务等生产性服务业。"
    off = parse_scheme("themes", {"list_weight": 1.0}, base=schemes["themes"])
    assert schemes["themes"].list_weight == 0.5
    got = sum(r.raw for r in code_text(text, off) if r.level == "sentence" and r.code == "finance_payment")
    assert got == 1.5


def test_enumeration_discount_is_the_same_in_every_matching_path():
    """_match_sentence (one code), _match_all (one scan per scheme) and _match_block (one scan per paragraph for
    every scheme) give identical weights with a list weight, on random texts full of 、 lists."""
    import itertools
    import random

    from nlp.themes import _bundle, _index, _match_all, _match_block, _match_sentence

    a = parse_scheme(
        "a",
        {
            "list_weight": 0.5,
            "codes": {
                "x": {
                    "terms": {"数据": 2, "数据跨境": 3, "跨境": 1},
                    "rules": [{"expr": "国际", "weight": 1}],
                },
                "y": {"terms": {"电商": 2, "商务": 1, "数": 0.5}, "exclude": ["禁止"]},
            },
        },
    )
    b = parse_scheme("b", {"list_weight": 0.25, "codes": {"z": {"terms": {"平台": 2, "产业": 1}}}})
    indexes = [_index(a), _index(b)]
    bundle = _bundle(indexes)
    pieces = [
        "数据",
        "跨境",
        "电商",
        "平台",
        "国际",
        "商务",
        "产业",
        "的",
        "、",
        "、",
        "、",
        "等",
        "和",
        "，",
        "。",
    ]
    rng = random.Random(5)
    for _ in range(400):
        text = "".join(rng.choice(pieces) for _ in range(rng.randint(1, 18)))
        for scheme, ix in zip((a, b), indexes, strict=True):
            fast = {ci: raw for ci, raw, _ in _match_all(ix, text, None, text)}
            for ci, code in enumerate(scheme.codes.values()):
                ref = _match_sentence(code, text, None, list_weight=scheme.list_weight).raw
                assert fast.get(ci, 0.0) == ref, (text, code.name)
        base = 3
        block = Block(0, "prose", text, (), None, None, base, base + len(text))
        cuts = sorted({0, len(text), *(rng.randrange(len(text) + 1) for _ in range(rng.randint(0, 2)))})
        sentences = [
            Sentence(0, k, text[s:e], base + s, base + e)
            for k, (s, e) in enumerate(itertools.pairwise(cuts))
            if e > s
        ]
        got = {s.idx: h for s, h in _match_block(bundle, block, sentences, None)}
        for s in sentences:
            expected = []
            for ix, off in zip(indexes, bundle.offsets, strict=True):
                expected.extend(
                    (off + ci, raw, t) for ci, raw, t in _match_all(ix, s.text, None, text) if raw > 0
                )
            assert got.get(s.idx, []) == expected, (text, s.text)


def test_outline_bracketed_ordinal_sentence_is_a_run_in_heading_even_with_commas():
    """Government work reports open each sub-point with a bracketed ordinal and a two-clause title sentence."""
    doc = make_doc(
        [
            ("heading", "一、2024年工作回顾", 1),
            (
                "prose",
                "（三）推动工业稳健运行、结构优化，全球先进制造业基地建设扎实推进。加快培育先进制造业集群。",
                None,
            ),
            (
                "prose",
                "（四）推进高水平创新型省份建设，新质生产力发展势头良好。新增全国重点实验室18家。",
                None,
            ),
            (
                "prose",
                "各位代表，过去一年的成绩来之不易，根本在于团结奋斗，我们将高度重视并采取有力措施加以解决。此外还有。",
                None,
            ),
        ]
    )
    heads = [(h.text, h.level, h.kind) for h in outline(doc)]
    assert heads == [
        ("一、2024年工作回顾", 1, "heading"),
        ("（三）推动工业稳健运行、结构优化，全球先进制造业基地建设扎实推进", 2, "run-in"),
        ("（四）推进高水平创新型省份建设，新质生产力发展势头良好", 2, "run-in"),
    ]


@pytest.mark.parametrize(
    ("text", "trade"),
    [
        ("研发投入强度达3.2%，覆盖率82.4%，增长8%。", 0.0),  # percentages of anything are no trade statistic
        ("货物贸易出口增长9.5%。", 2.5),  # 货物贸易 1 + 出口 1.5, nothing for the percentage
    ],
)
def test_themes_a_percentage_alone_is_no_trade_statistic(schemes, text, trade):
    assert _sentence_raw(schemes, text, "trade_scale") == trade


@pytest.mark.parametrize(
    ("text", "trade"),
    [
        ("推动人工智能技术出口和应用推广。", 0.0),  # a passing mention: no figure, no size word
        ("积极发展服务贸易和数字贸易。", 0.0),  # one field of a plan
        ("全年货物出口增长7%。", 1.5),  # a figure next to the trade word
        ("外贸出口规模稳居全国前列。", 3.0),  # a size word (外贸 1.5 + 出口 1.5)
        ("服务贸易结构持续优化。", 1.0),  # a structure word
    ],
)
def test_themes_trade_word_needs_a_figure_or_size_word(schemes, text, trade):
    """trade_scale describes trade size and structure: a trade word alone in its sentence does not count."""
    assert _sentence_raw(schemes, text, "trade_scale") == pytest.approx(trade)


@pytest.mark.parametrize(
    ("text", "regional"),
    [
        ("提升国家区域医疗中心功能。", 0.5),  # a region-sized facility: 区域 alone is a weak cue
        ("提高城乡居民基础养老金。", 0.5),  # a welfare category: 城乡 alone is a weak cue
        ("推进城乡融合和区域协同。", 3.5),  # a coordination word carries the code (区域协同 3 + 城乡 0.5)
    ],
)
def test_themes_naming_a_space_is_no_regional_coordination(schemes, text, regional):
    assert _sentence_raw(schemes, text, "regional_coordination") == pytest.approx(regional)


@pytest.mark.parametrize(
    ("text", "tech"),
    [
        # using named technologies is not innovating: 大数据 0.5 + 云计算 0.5 + 前沿技术 1.5 + 创新 0.25
        ("运用大数据、云计算等前沿技术，推动管理手段创新。", 2.75),
        ("健全原始创新、应用创新制度安排。", 0.5),  # bare 创新 of a reform: 0.25 each
        ("加强关键核心技术攻关。", 5.0),  # innovation words carry the code (3 + 2)
    ],
)
def test_themes_naming_a_technology_is_no_innovation(schemes, text, tech):
    """A sentence that only names technologies stays below a section's core-term threshold (3)."""
    assert _sentence_raw(schemes, text, "technology_innovation") == pytest.approx(tech)
    assert (tech >= schemes["themes"].min_raw["section"]) == ("攻关" in text)


def test_outline_unnumbered_run_ins_after_a_bracketed_one_are_its_sub_points():
    """（一）X。 then 做实项目…。 / 实施提振消费…。 paragraphs: the bold sub-points belong to （一）."""
    doc = make_doc(
        [
            ("heading", "二、2025年工作安排", 1),
            ("prose", "（一）全方位扩大内需，稳住经济大盘。依托优势用好政策机遇。", None),
            ("prose", "做实项目支撑扩大有效投资。持续开展项目攻坚行动。", None),
            ("prose", "实施提振消费专项行动。推动消费品以旧换新。", None),
            ("prose", "（二）建设现代化产业体系。推动产业升级。", None),
            ("heading", "三、加强政府自身建设", 1),
            ("prose", "坚持依法行政。推进政务公开。", None),
        ]
    )
    heads = [(h.text, h.level) for h in outline(doc)]
    assert heads == [
        ("二、2025年工作安排", 1),
        ("（一）全方位扩大内需，稳住经济大盘", 2),
        ("做实项目支撑扩大有效投资", 3),
        ("实施提振消费专项行动", 3),
        ("（二）建设现代化产业体系", 2),
        ("三、加强政府自身建设", 1),
        ("坚持依法行政", 2),  # a new heading: no bracketed point is open
    ]


def test_outline_bold_leads_may_join_aims_with_a_list_comma_or_quote_a_name():
    doc = make_doc(
        [
            ("heading", "二、2025年工作安排", 1),
            ("prose", "深化川渝相互赋能、一体发展。实施320个年度共建项目。", None),
            ("prose", "打造新时代更高水平“天府粮仓”。建设粮油高产示范片。", None),
            ("prose", "加快发展，全面提升能力。推进各项工作。", None),  # a comma: a sentence, no heading
        ]
    )
    heads = [h.text for h in outline(doc)]
    assert heads == ["二、2025年工作安排", "深化川渝相互赋能、一体发展", "打造新时代更高水平“天府粮仓”"]


def test_outline_arabic_numbered_and_colon_led_run_ins():
    """State Council opinions number their sub-points 1. 2. under （一）, and list items after a colon title."""
    doc = make_doc(
        [
            ("heading", "四、主要任务", 1),
            ("heading", "（一）统筹两个市场，打造加工制造中心。", 2),
            ("prose", "1.拓展两个市场。积极稳妥地在综合保税区推广试点。", None),
            ("prose", "2.提前适用政策。对入区企业进口自用的机器设备按现行规定执行。", None),
            ("heading", "（四）军民深度融合方面6项。", 2),
            ("prose", "（五）管理体制创新方面3项：允许地方高校自主开展人才引进；以地方立法形式建立容错机制。", None),
            ("prose", "1.2023年完成投资100亿元，增长12%。", None),
        ]
    )
    heads = [(h.text, h.level) for h in outline(doc)]
    assert heads == [
        ("四、主要任务", 1),
        ("（一）统筹两个市场，打造加工制造中心。", 2),
        ("1.拓展两个市场", 3),
        ("2.提前适用政策", 3),
        ("（四）军民深度融合方面6项。", 2),
        ("（五）管理体制创新方面3项", 2),  # a sibling of （四）, titled before its colon
    ]


def test_themes_export_lists_every_section_also_without_themes(tmp_path):
    """The themes table has one row per section heading: heading blocks and run-in titles, with or without themes."""
    import json

    from pipelines.exports import export_table
    from pipelines.runner import ingest
    from pipelines.store import Store
    from pipelines.workspace import Workspace

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "意见.txt").write_text(
        "关于加快发展体育产业的意见\n\n一、总体要求\n\n（一）指导思想。坚持以人民为中心的发展思想，推动体育事业发展。\n\n"
        "（二）引导消费理念。鼓励各类媒体播出体育赛事节目，普及运动项目文化和观赛礼仪。\n\n"
        "二、加强人才队伍建设\n\n（三）培养复合型人才。加强体育人才培养和引进，建设高水平人才队伍。\n",
        encoding="utf-8",
    )
    ws = Workspace(tmp_path)
    ingest(ws, executor="inline")
    out = tmp_path / "themes.jsonl"
    with Store.open(ws.store_path, read_only=True) as store:
        export_table(store, "themes", "jsonl", out)
    rows = {r["heading"]: r["themes"] for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
    assert {"（一）指导思想", "（二）引导消费理念", "（三）培养复合型人才"} <= set(rows), rows
    assert rows["（二）引导消费理念"] == [] and "talent" in rows["（三）培养复合型人才"]
