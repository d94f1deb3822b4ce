"""The lexicon loader: dictionary format, workspace additions, stop words."""

from __future__ import annotations

import pytest

from nlp.errors import ConfigError
from nlp.lexicons import (
    Entry,
    append_user_dict,
    domain_entries,
    lexicon_entries,
    lexicon_fingerprint,
    parse_entry,
    read_dict_file,
    stopwords,
    user_entries,
)


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("粤港澳大湾区 ns", Entry("粤港澳大湾区", None, "ns")),
        ("单一窗口 3000 n", Entry("单一窗口", 3000, "n")),
        ("某某试验区", Entry("某某试验区", None, "nz")),
        ("  # comment", None),
        ("", None),
    ],
)
def test_parse_entry_reads_jieba_user_dict_lines(line, expected):
    assert parse_entry(line) == expected


def test_parse_entry_rejects_extra_fields():
    with pytest.raises(ConfigError):
        parse_entry("词 1 n extra")


def test_domain_dictionary_has_core_terms_with_tags():
    entries = {e.word: e.tag for e in domain_entries()}
    assert 300 <= len(entries) <= 3000
    for word in ["粤港澳大湾区", "跨境电商", "单一窗口", "综合试验区", "数据跨境流动", "商务部", "海关总署"]:
        assert word in entries
    assert entries["商务部"] == "nt"
    assert entries["粤港澳大湾区"] == "ns"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])  # Notepad on Chinese Windows: GBK
def test_user_words_and_user_dict_file_are_added(tmp_path, encoding):
    (tmp_path / "user_dict.txt").write_text("甲乙丙试验区 ns\r\n", encoding=encoding)
    config = {"lexicon": {"user_words": ["丁戊己园区 nt", "庚辛壬"]}, "_root": str(tmp_path)}
    words = {e.word: e.tag for e in lexicon_entries(config)}
    assert words["丁戊己园区"] == "nt"
    assert words["庚辛壬"] == "nz"
    assert words["甲乙丙试验区"] == "ns"
    assert lexicon_fingerprint(lexicon_entries(config)) != lexicon_fingerprint(lexicon_entries(None))


def test_bad_lexicon_config_raises_config_error():
    with pytest.raises(ConfigError):
        user_entries({"lexicon": {"user_words": "not a list"}})
    with pytest.raises(ConfigError):
        user_entries({"lexicon": {"user_dict": "/nonexistent/dict.txt"}})


def test_append_user_dict_skips_words_already_there(tmp_path):
    path = tmp_path / "user_dict.txt"
    assert append_user_dict(path, ["新词甲", "新词乙"]) == ["新词甲", "新词乙"]
    assert append_user_dict(path, ["新词乙", "新词丙"]) == ["新词丙"]
    assert [e.word for e in read_dict_file(path)] == ["新词甲", "新词乙", "新词丙"]


def test_append_user_dict_to_a_gbk_file_without_a_last_newline(tmp_path):
    # the researcher's own file: GBK, last line unterminated; the result is one UTF-8 file with every word
    path = tmp_path / "user_dict.txt"
    path.write_bytes("旧词甲 ns\r\n旧词乙 nz".encode("gb18030"))
    assert append_user_dict(path, ["旧词乙", "新词丙"]) == ["新词丙"]
    assert [e.word for e in read_dict_file(path)] == ["旧词甲", "旧词乙", "新词丙"]
    assert path.read_text(encoding="utf-8") == "旧词甲 ns\n旧词乙 nz\n新词丙 nz\n"


def test_stopwords_come_from_stopwordsiso_plus_config():
    base = stopwords()
    assert {"的", "了", "和", "我们"} <= base
    assert "数字贸易" not in base
    assert "某某" in stopwords({"lexicon": {"stopwords": ["某某"]}})
