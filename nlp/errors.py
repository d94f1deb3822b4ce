"""Named errors of zhcorpus, in one place.

Every error that concerns one input file carries the file and a one-line reason, so the runner can record
it and go on with the other files.
"""

from __future__ import annotations


class ZhcorpusError(Exception):
    """Base class of every zhcorpus error."""


class ReadError(ZhcorpusError):
    """A file could not be read into text (bad encoding, truncated PDF, scanned PDF, empty ...)."""

    def __init__(self, path: str, reason: str) -> None:
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


class UnsupportedFormat(ReadError):
    """The file extension has no reader."""


class WorkspaceBusy(ZhcorpusError):
    """Another process holds the workspace lock."""


class StoreError(ZhcorpusError):
    """The store could not be opened or written."""


class ConfigError(ZhcorpusError):
    """zhcorpus.toml is malformed or has unknown values."""
