"""CLI command groups; each module defines ``register(app)`` and is added by :mod:`pipelines.cli`."""

MODULES = ("lang", "themes", "explore", "report")
