"""The README's first command on a fresh clone produces the report from the demo corpus (as CI does)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def readme_commands() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    return re.findall(r"```bash\n(.*?)\n```", text, flags=re.DOTALL)[:2]


def test_readme_opens_with_the_two_commands_and_ci_runs_the_second():
    run_cmd, test_cmd = readme_commands()
    assert run_cmd.strip().endswith("zhcorpus run")
    ci = [ln for ln in (ROOT / ".ci" / "run").read_text().splitlines() if ln.strip() and not ln.startswith("#")]
    assert test_cmd.strip() in ci


@pytest.mark.slow
def test_fresh_clone_runs_the_demo_and_writes_the_report(tmp_path):
    if not (ROOT / ".git").exists() or shutil.which("git") is None:
        pytest.skip("needs a git checkout of the project (.git is missing)")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", str(ROOT), str(clone)], check=True)
    # The clone's code must be what runs: put it first on the path (the venv may hold an editable install).
    env = dict(os.environ, PYTHONPATH=str(clone))
    proc = subprocess.run(
        [sys.executable, "-m", "pipelines.cli", "run"], cwd=clone, env=env, capture_output=True, text=True, timeout=600
    )
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert "8 processed" in proc.stderr and "0 failed" in proc.stderr
    assert (clone / "zhcorpus.duckdb").exists()
    html = (clone / "reports" / "index.html").read_text(encoding="utf-8")
    assert len(html) > 10_000 and "语料概览" in html and "<script src=" not in html  # offline: nothing fetched
    assert (clone / "reports" / "zhcorpus.xlsx").exists()
    assert (clone / "models" / "search").exists() and (clone / "models" / "topics").exists()
    # nothing generated is tracked by git
    status = subprocess.run(["git", "status", "--porcelain"], cwd=clone, capture_output=True, text=True).stdout
    assert status.strip() == "", status
