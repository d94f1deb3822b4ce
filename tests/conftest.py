"""Shared fixtures. Tests that read ../shared skip with a reason naming the missing folder."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
GOLD_DEV = SHARED / "gold" / "dev"
CORPORA = SHARED / "corpora"
DEMO = ROOT / "corpus" / "demo"


def _need(path: Path) -> Path:
    if not path.exists():
        pytest.skip(f"needs {path} (the ../shared folder beside the clone is missing)")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return _need(SHARED)


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    return _need(SEEDS)


@pytest.fixture(scope="session")
def seed_paths(seeds_dir: Path) -> list[Path]:
    return sorted(seeds_dir.glob("*.txt"))


@pytest.fixture(scope="session")
def gold_dev_dir() -> Path:
    return _need(GOLD_DEV)


@pytest.fixture(scope="session")
def corpora_dir() -> Path:
    return _need(CORPORA)


@pytest.fixture(scope="session")
def demo_dir() -> Path:
    return DEMO
