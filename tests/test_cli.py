"""CLI: every command documents itself with an example; export/status work over a real workspace."""

from __future__ import annotations

import json

import pytest
import typer
from typer.testing import CliRunner

from pipelines.cli import app

runner = CliRunner()


def _commands(group: typer.Typer, prefix: tuple[str, ...] = ()):
    for cmd in group.registered_commands:
        name = cmd.name or cmd.callback.__name__.replace("_cli", "").replace("_", "-")
        yield prefix + (name,), cmd.callback
    for sub in group.registered_groups:
        yield from _commands(sub.typer_instance, prefix + (sub.name,))


ALL = list(_commands(app))


def test_cli_has_the_core_commands():
    names = {c[0][0] for c in ALL}
    assert {"ingest", "run", "export", "status"} <= names


@pytest.mark.parametrize("path,callback", ALL, ids=[" ".join(p) for p, _ in ALL])
def test_every_command_has_help_with_an_example(path, callback):
    doc = callback.__doc__ or ""
    assert "Example" in doc, f"{' '.join(path)} has no example in its docstring"
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0, result.output
    assert "Example" in result.output


def test_cli_status_and_export_on_a_workspace(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "a.txt").write_text("一、总体要求\n\n加快建设国家数字服务出口基地。\n", encoding="utf-8")
    (corpus / "b.txt").write_text("一、人才\n\n" + "引进高端人才，培养复合型人才，完善人才评价机制。" * 12 + "\n", encoding="utf-8")
    res = runner.invoke(app, ["--workspace", str(tmp_path), "ingest", "--executor", "inline"])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["--workspace", str(tmp_path), "status", "--json"])
    info = json.loads(res.stdout)
    assert info["by_status"] == {"ok": 2}
    res = runner.invoke(app, ["--workspace", str(tmp_path), "themes", "--level", "section", "--doc", "b", "--json"])
    rows = [json.loads(line) for line in res.stdout.splitlines()]
    assert rows and {r["doc"] for r in rows} == {"b.txt"} and "talent" in rows[0]["themes"]
    res = runner.invoke(app, ["--workspace", str(tmp_path), "themes", "--level", "section", "--doc", "b"])
    assert res.exit_code == 0 and "人才" in res.stdout and "a.txt" not in res.stdout  # codes by their Chinese label
    res = runner.invoke(app, ["--workspace", str(tmp_path), "themes", "--level", "sentence", "--json"])
    evidence = [json.loads(line)["evidence"] for line in res.stdout.splitlines()]
    assert evidence and all(isinstance(e, list) and all(isinstance(x, str) for x in e) for e in evidence)
    res = runner.invoke(app, ["--workspace", str(tmp_path), "themes", "--doc", "c"])
    assert res.exit_code == 1 and "'c' matches no document" in res.output
    out = tmp_path / "p.csv"
    res = runner.invoke(app, ["--workspace", str(tmp_path), "export", "paragraphs", "--format", "csv", "-o", str(out)])
    assert res.exit_code == 0, res.output
    assert "国家数字服务出口基地" in out.read_text(encoding="utf-8-sig")


def test_cli_ingest_exits_non_zero_and_names_the_bad_file(tmp_path):
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    (corpus / "good.txt").write_text("加快建设国家数字服务出口基地。\n", encoding="utf-8")
    (corpus / "bad.txt").write_bytes(b"\x00\x01\x02" * 100)
    res = runner.invoke(app, ["--workspace", str(tmp_path), "ingest", "--executor", "inline"])
    assert res.exit_code == 1
    assert "bad.txt" in res.output and "1 processed" in res.output


def test_every_command_is_documented_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    missing = [" ".join(p) for p, _ in ALL if f"zhcorpus {' '.join(p)}" not in readme]
    assert not missing, f"commands missing from README.md: {missing}"


def test_segment_file_reads_like_ingest_and_names_a_bad_file(tmp_path):
    gbk = tmp_path / "gbk.txt"
    gbk.write_bytes("推动跨境电商综合试验区建设。".encode("gb18030"))
    res = runner.invoke(app, ["segment", "--file", str(gbk), "--json"])
    assert res.exit_code == 0, res.output
    assert "跨境电商综合试验区" in [t["text"] for t in json.loads(res.stdout)["tokens"]]
    bad = tmp_path / "bad.pdf"
    bad.write_text("not a pdf", encoding="utf-8")
    res = runner.invoke(app, ["segment", "--file", str(bad)])
    assert res.exit_code == 1 and "bad.pdf: not a PDF" in res.output and "Traceback" not in res.output
    assert res.output.count("\n") == 1  # one line, however long the path (no wrapping at the terminal width)


def test_run_without_a_corpus_folder_or_without_documents_says_so(tmp_path):
    res = runner.invoke(app, ["--workspace", str(tmp_path), "run", "--executor", "inline"])
    assert res.exit_code == 1 and "no corpus folder" in res.output and "Traceback" not in res.output
    (tmp_path / "corpus").mkdir()
    res = runner.invoke(app, ["--workspace", str(tmp_path), "run", "--executor", "inline"])
    # nothing to read: the corpus stages are skipped rather than failing one after another on an empty store
    assert res.exit_code == 0 and "corpus stages skipped" in res.output and "stage failed" not in res.output
