"""Library versions recorded beside every saved model, so a model can be traced to what built it."""

from __future__ import annotations

import importlib.metadata as md


def library_versions(*names: str) -> dict[str, str]:
    """``{package: version}`` for the named packages ("absent" when one is not installed)."""
    out = {}
    for name in names:
        try:
            out[name] = md.version(name)
        except md.PackageNotFoundError:
            out[name] = "absent"
    return out
