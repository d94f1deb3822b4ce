"""One rule for which documents --doc, --vs and `similar DOC` name (pipelines.selection)."""

import pytest

from nlp.errors import ZhcorpusError
from pipelines.selection import match_docs, select_docs

NAMES = ["2019.txt", "2020.txt", "2025年广东省政府工作报告.txt", "a.b.pdf", "notes"]
IDS = ["corpus/2019.txt", "corpus/2020.txt", "corpus/2025年广东省政府工作报告.txt", "corpus/x/a.b.pdf", "corpus/notes"]


@pytest.mark.parametrize(
    "spec, expected",
    [
        ("2019.txt", ["2019.txt"]),  # the name
        ("corpus/2020.txt", ["2020.txt"]),  # the store key
        ("2025年广东省政府工作报告", ["2025年广东省政府工作报告.txt"]),  # the name without its extension
        ("a.b", ["a.b.pdf"]),  # only the last extension goes
        ("notes", ["notes"]),  # a name with no extension
        ("20*", ["2019.txt", "2020.txt", "2025年广东省政府工作报告.txt"]),  # a glob, in the given order
        ("2025年*省*", ["2025年广东省政府工作报告.txt"]),
        ("corpus/x/*", ["a.b.pdf"]),  # a glob over keys
        ("*.PDF", []),  # globs are case-sensitive, as names are
        ("2019", ["2019.txt"]),
        ("201", []),  # no prefix matching: a prefix is a glob (201*)
        ("广东", []),
    ],
)
def test_which_documents_a_spec_names(spec, expected):
    assert match_docs(spec, NAMES, IDS) == expected


def test_a_spec_that_names_nothing_is_an_error_with_the_closest_names():
    with pytest.raises(ZhcorpusError, match=r"--vs '2025广东省政府工作报告' matches no document; closest: 2025年广东"):
        select_docs("2025广东省政府工作报告", NAMES, option="--vs")
    with pytest.raises(ZhcorpusError, match=r"--doc 'zzz' matches no document; 5 documents in the store"):
        select_docs("zzz", NAMES)
