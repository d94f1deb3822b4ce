"""Topic model: determinism, save/load round trip, shares, sweep parsing (small synthetic corpus, fast)."""

from __future__ import annotations

import random

import numpy as np
import pytest

from nlp.topics import TopicModel, group_units, parse_sweep, sweep_k, sweep_svg, topic_shares

THEMES = {
    "trade": ["数字贸易", "跨境电商", "出口", "进口", "关税", "口岸", "外贸", "订单"],
    "data": ["数据安全", "跨境流动", "隐私", "算力", "数据中心", "个人信息", "监管", "算法"],
    "talent": ["人才", "高校", "培训", "引进", "教育", "科研", "实验室", "博士"],
}


def make_corpus(n: int = 150, seed: int = 7) -> list[list[str]]:
    """Paragraph token lists drawn mostly from one theme each, with a recurring bigram (粤港澳 大湾区)."""
    rng = random.Random(seed)
    names = sorted(THEMES)
    docs = []
    for i in range(n):
        theme = THEMES[names[i % 3]]
        other = THEMES[names[(i + 1) % 3]]
        toks = [rng.choice(theme) for _ in range(18)] + [rng.choice(other) for _ in range(3)]
        if i % 4 == 0:
            toks += ["粤港澳", "大湾区"]
        toks += ["的", "。", "2023"]  # stop word, punctuation and a number: filtered out
        docs.append(toks)
    return docs


@pytest.fixture(scope="module")
def corpus() -> list[list[str]]:
    return make_corpus()


@pytest.mark.parametrize("engine", ["tomotopy", "gensim"])
def test_topics_same_seed_same_topics(corpus, engine):
    params = {
        "k": 3,
        "engine": engine,
        "seed": 11,
        "iterations": 60,
        "passes": 3,
        "min_df": 2,
        "phrase_min_count": 3,
    }
    a = TopicModel(**params).fit(corpus)
    b = TopicModel(**params).fit(corpus)
    assert a.topics_ == b.topics_
    assert np.array_equal(a.doc_topic_, b.doc_topic_)
    assert a.fingerprint_ == b.fingerprint_


def test_topics_recover_planted_themes(corpus):
    model = TopicModel(k=3, seed=1, iterations=100, min_df=2, phrase_min_count=3, phrase_threshold=1.0).fit(
        corpus
    )
    found = set()
    for t in range(3):
        top = set(model.top_terms(t, 5))
        owners = [name for name, words in THEMES.items() if len(top & set(words)) >= 4]
        assert len(owners) == 1, (t, top)
        found.add(owners[0])
    assert found == set(THEMES)
    assert all(model.labels_) and len(set(model.labels_)) == 3
    assert np.allclose(model.doc_topic_.sum(axis=1), 1.0)
    vocab = set(model.vocab_)
    assert "粤港澳_大湾区" in vocab  # bigram phrase learned
    assert not {"的", "。", "2023"} & vocab


@pytest.mark.parametrize("engine", ["tomotopy", "gensim"])
def test_topics_save_load_round_trip(corpus, tmp_path, engine):
    model = TopicModel(k=3, engine=engine, seed=3, iterations=50, passes=2, min_df=2).fit(corpus)
    model.save(tmp_path / "topics", meta={"unit": "paragraph"})
    loaded = TopicModel.load(tmp_path / "topics")
    assert loaded.get_params() == model.get_params()
    assert loaded.topics_ == model.topics_
    assert loaded.labels_ == model.labels_
    assert loaded.fingerprint_ == model.fingerprint_
    assert np.array_equal(loaded.doc_topic_, model.doc_topic_)
    new = loaded.transform(corpus[:5])
    assert new.shape == (5, 3) and np.allclose(new.sum(axis=1), 1.0)
    # the loaded model assigns a trade paragraph to the same topic as the fitted one
    assert int(np.argmax(new[0])) == int(np.argmax(model.transform(corpus[:1])[0]))


def test_topics_reject_one_shot_iterator(corpus):
    with pytest.raises(TypeError, match="re-iterable"):
        TopicModel(k=2).fit(iter(corpus))


def test_topic_shares_weighted_by_group():
    dt = np.array([[1.0, 0.0], [0.0, 1.0], [0.5, 0.5]])
    out = topic_shares(dt, [1990, 1990, 2000], weights=[3, 1, 2], labels=["a", "b"])
    assert out.loc[1990, "a"] == pytest.approx(0.75)
    assert out.loc[2000, "b"] == pytest.approx(0.5)


def test_sweep_scores_each_k_and_draws_svg(corpus):
    result = sweep_k(corpus, [2, 3, 4], seed=1, iterations=40, min_df=2, sample=200)
    assert result.ks == [2, 3, 4] and len(result.c_v) == 3 and result.best_k in (2, 3, 4)
    assert all(0 <= v <= 1 for v in result.c_v)
    svg = sweep_svg(result)
    assert svg.startswith("<svg") and svg.count("<polyline") == 2


@pytest.mark.parametrize("spec,expected", [("5:20:5", [5, 10, 15, 20]), ("4,8", [4, 8]), ("3:5", [3, 4, 5])])
def test_parse_sweep(spec, expected):
    assert parse_sweep(spec) == expected


def test_group_units_document_concatenates_rows():
    rows = [
        {"doc": "a", "para": 0, "tokens": ["x"]},
        {"doc": "a", "para": 1, "tokens": ["y"]},
        {"doc": "b", "para": 0, "tokens": ["z"]},
    ]
    assert list(group_units(rows, unit="document")) == [("a", ["x", "y"]), ("b", ["z"])]
    assert list(group_units(rows))[1] == ("a#1", ["y"])


def test_filter_by_tags_keeps_nouns_when_tags_align():
    from nlp.topics import filter_by_tags

    assert filter_by_tags(["加强", "人才", "改革", "CPTPP"], ["v", "n", "vn", "eng"]) == [
        "人才",
        "改革",
        "CPTPP",
    ]
    assert filter_by_tags(["加强", "人才"], None) == ["加强", "人才"]
    rows = [{"doc": "a", "para": 0, "tokens": ["加强", "人才"], "tags": ["v", "n"]}]
    assert list(group_units(rows, keep_tags=("n",))) == [("a#0", ["人才"])]


def test_sweep_keeps_only_the_best_model_by_default(corpus):
    result = sweep_k(corpus, [2, 3], seed=1, iterations=30, min_df=2, sample=100)
    assert list(result.models) == [result.best_k]
    assert result.models[result.best_k].k == result.best_k


def test_choose_k_prefers_the_smallest_k_on_a_flat_curve():
    from nlp.topics import _choose_k

    assert _choose_k([5, 10, 20, 40], [0.50, 0.62, 0.659, 0.6595], [0, 0, 0, 0], 0.005) == 20
    assert _choose_k([5, 10, 20], [0.50, 0.62, 0.60], [0, 0, 0], 0.0) == 10


def test_topics_stage_switches_to_streamed_gensim_past_the_configured_size(tmp_path):
    """The corpus-level stage picks gensim's online LDA over the streamed store when the corpus has more units
    than ``[topics] gensim_above_units`` (tomotopy keeps every unit in memory)."""
    import json

    from pipelines.corpus_stages import topics_stage
    from pipelines.runner import ingest
    from pipelines.store import Store
    from pipelines.workspace import Workspace

    (tmp_path / "zhcorpus.toml").write_text("[topics]\nk = 3\ngensim_above_units = 10\n", encoding="utf-8")
    ws = Workspace(tmp_path)
    ws.corpus_dir.mkdir(parents=True)
    rng = random.Random(3)
    for d in range(4):
        paras = ["".join(rng.choice(THEMES[name]) for _ in range(12)) + "。" for name in sorted(THEMES) for _ in range(4)]
        (ws.corpus_dir / f"d{d}.txt").write_text("\n\n".join(paras), encoding="utf-8")
    ingest(ws, executor="inline")
    with Store.open(ws.store_path) as store:
        topics_stage(ws, store)
        shares = store.query("SELECT doc, sum(share) AS s FROM topics GROUP BY doc")
    info = json.loads((ws.models_dir / "topics" / "model.json").read_text(encoding="utf-8"))
    assert info["params"]["engine"] == "gensim"
    assert len(shares) == 4 and np.allclose(shares["s"], 1.0)
