"""A workspace: one folder holding the input corpus, the store, models, reports and an optional config.

    <root>/corpus/          input documents (any depth)
    <root>/models/          trained models and indexes
    <root>/reports/         generated reports
    <root>/zhcorpus.duckdb  the store
    <root>/zhcorpus.toml    optional configuration
    <root>/zhcorpus.lock    held by the one process writing the workspace
"""

from __future__ import annotations

import fcntl
import os
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.errors import ConfigError, WorkspaceBusy

CONFIG_NAME = "zhcorpus.toml"
STORE_NAME = "zhcorpus.duckdb"
LOCK_NAME = "zhcorpus.lock"

DEFAULT_CONFIG: dict[str, Any] = {
    "lexicon": {"user_words": [], "stopwords": []},
    "run": {"workers": 2, "executor": "local", "batch_size": 16},
}


def _merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _merge(out[key], value)
        else:
            out[key] = value
    return out


def load_config(path: Path | None) -> dict[str, Any]:
    """Read ``zhcorpus.toml`` (when it exists) over the defaults; a malformed file is a ConfigError."""
    config = _merge(DEFAULT_CONFIG, {})
    if path is not None and path.exists():
        try:
            with path.open("rb") as fh:
                config = _merge(config, tomllib.load(fh))
        except tomllib.TOMLDecodeError as exc:
            raise ConfigError(f"{path}: not valid TOML ({exc})") from exc
    return config


@dataclass
class Workspace:
    root: Path
    config: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.root = Path(self.root).resolve()
        if not self.config:
            self.config = load_config(self.config_path)

    @property
    def corpus_dir(self) -> Path:
        return self.root / "corpus"

    @property
    def models_dir(self) -> Path:
        return self.root / "models"

    @property
    def reports_dir(self) -> Path:
        return self.root / "reports"

    @property
    def store_path(self) -> Path:
        return self.root / STORE_NAME

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def lock_path(self) -> Path:
        return self.root / LOCK_NAME

    def ensure(self) -> Workspace:
        """Create the output folders (the corpus folder is the user's)."""
        for d in (self.models_dir, self.reports_dir):
            d.mkdir(parents=True, exist_ok=True)
        return self

    def doc_id(self, path: Path) -> str:
        """Stable key of a source file: its path relative to the workspace when inside it, else absolute."""
        path = Path(path).resolve()
        try:
            return path.relative_to(self.root).as_posix()
        except ValueError:
            return path.as_posix()

    @contextmanager
    def lock(self) -> Iterator[None]:
        """Hold the workspace's write lock; a second writer gets WorkspaceBusy at once."""
        self.root.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                holder = os.pread(fd, 64, 0).decode(errors="replace").strip() or "?"
                raise WorkspaceBusy(
                    f"workspace {self.root} is busy: another zhcorpus process (pid {holder}) is writing it"
                ) from None
            os.ftruncate(fd, 0)
            os.pwrite(fd, str(os.getpid()).encode(), 0)
            yield
        finally:
            try:
                fcntl.flock(fd, fcntl.LOCK_UN)
            finally:
                os.close(fd)
