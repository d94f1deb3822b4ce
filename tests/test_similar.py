"""Similar documents and passages (TF-IDF cosine)."""

from __future__ import annotations

import re
import time

import pytest
import rjieba

from nlp.similar import SimilarityIndex, parse_key

ROWS = [
    ("a.txt", 0, ["数字贸易", "跨境电商", "出口", "发展"]),
    ("a.txt", 1, ["数据安全", "跨境流动", "规则", "监管"]),
    ("b.txt", 0, ["跨境电商", "出口", "数字贸易", "平台"]),
    ("b.txt", 1, ["人才", "培养", "高校"]),
    ("c.txt", 0, ["粮食", "农业", "农村", "收入"]),
    ("c.txt", 1, ["农业", "粮食", "水利", "农村"]),
]


@pytest.mark.parametrize(
    "key,expected", [("a.txt", ("a.txt", None)), ("a.txt#3", ("a.txt", 3)), ("x#y.txt", ("x#y.txt", None))]
)
def test_parse_key(key, expected):
    assert parse_key(key) == expected


def test_similar_passages_and_documents(tmp_path):
    index = SimilarityIndex(min_df=1, max_df=1.0, stopwords=[]).fit(ROWS)
    top = index.similar("a.txt#0", top=2)
    assert top[0].key == "b.txt#0"
    assert index.similar("c.txt#0")[0].key == "c.txt#1"
    docs = index.similar("a.txt", top=2)
    assert docs[0].doc == "b.txt" and all(d.doc != "a.txt" for d in docs)
    index.save(tmp_path / "similar")
    again = SimilarityIndex.load(tmp_path / "similar")
    assert [h.key for h in again.similar("a.txt#0", top=2)] == [h.key for h in top]
    with pytest.raises(KeyError):
        index.similar("nope.txt")


def _report_rows(folder):
    for path in sorted(folder.glob("*.txt")):
        for i, line in enumerate(ln.strip() for ln in path.read_text(encoding="utf-8").splitlines()):
            if line:
                yield path.name, i, rjieba.cut(line)


@pytest.mark.shared
def test_similar_reports_are_close_in_time(corpora_dir):
    """Sanity check of the engine: most reports' nearest other report is within 4 years of it."""
    folder = corpora_dir / "gov_work_reports" / "reports"
    t0 = time.perf_counter()
    index = SimilarityIndex(passages=False).fit(_report_rows(folder))
    years = {d: int(re.match(r"\d{4}", d).group(0)) for d in index.docs_}
    close = sum(abs(years[index.similar(d, top=1)[0].doc] - years[d]) <= 4 for d in index.docs_)
    share = close / len(index.docs_)
    print(
        f"\n{len(index.docs_)} reports: nearest other report within 4 years for {close} "
        f"({share:.0%}), {time.perf_counter() - t0:.1f} s"
    )
    assert len(index.docs_) >= 50
    assert share >= 0.8
