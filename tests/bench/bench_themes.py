"""Throughput of theme / instrument coding (nlp.themes.code_document) with both built-in schemes.

Run:  .venv/bin/python tests/bench/bench_themes.py [--docs 20] [--repeat 5] [--impl OLD_themes.py]
Builds the first ``--docs`` State Council regulations (../shared/corpora/state_council_regulations/行政法规/*.md)
the way the pipeline does (build_document -> structure_tables -> tokens_stage), then times code_document
alone with both built-in schemes (best of ``--repeat`` passes, CPU time of this process, which is steadier than
wall time on the shared machine) and prints characters per second and rows per document. ``--impl`` times
the code_document of another copy of nlp/themes.py (e.g. a saved earlier version) on the same documents.

Figures (2-core shared machine, 20 regulations, 123,586 characters, 5,421 rows), BEFORE_CHARS_PER_S below:
  before: every code's own regex run on every sentence, unit sums over every code x block
  after:  one trie regex scan per sentence for all codes of a scheme, rules/tokens/exclusions only where they
          can apply, units summed over the codes present (nlp/themes.py, "fast matching")
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from nlp.themes import code_document, load_schemes
from pipelines.stages import build_document, structure_tables, tokens_stage
from pipelines.workspace import load_config

CORPUS = ROOT.parent / "shared" / "corpora" / "state_council_regulations" / "行政法规"
BEFORE_CHARS_PER_S = 312_000  # the previous implementation, measured with --impl (see the module docstring)
AFTER_CHARS_PER_S = 1_170_000


def _load_impl(path: str) -> Callable[..., list[Any]]:
    """code_document of the module file ``path`` (a copy of nlp/themes.py)."""
    spec = importlib.util.spec_from_file_location("themes_impl", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["themes_impl"] = module  # dataclasses look their module up while the class is built
    spec.loader.exec_module(module)
    return module.code_document  # type: ignore[no-any-return]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--docs", type=int, default=20)
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--impl", default="", help="time code_document of this copy of nlp/themes.py instead")
    args = ap.parse_args()
    cfg = dict(load_config(None), _workspace="/tmp")
    docs = []
    for path in sorted(CORPUS.glob("*.md"))[: args.docs]:
        d = build_document(path, sha256="", size=1)
        tables = structure_tables(d)
        tables.update(tokens_stage(d, cfg, tables))
        docs.append((d, {r["para"]: r["tokens"] for r in tables["tokens"]}))
    schemes = load_schemes({}, None)
    code = _load_impl(args.impl) if args.impl else code_document
    chars = sum(len(d.text) for d, _ in docs)
    code(docs[0][0], schemes, tokens=docs[0][1])  # warm-up (imports, regex compilation)
    best, rows = float("inf"), 0
    for _ in range(args.repeat):
        t0 = time.process_time()
        rows = sum(len(code(d, schemes, tokens=t)) for d, t in docs)
        best = min(best, time.process_time() - t0)
    print(f"{args.impl or 'nlp/themes.py'}: {len(docs)} documents, {chars:,} characters, {rows:,} rows")
    print(
        f"code_document: {best:.3f} s = {chars / best:,.0f} chars/s (recorded: before {BEFORE_CHARS_PER_S:,}, after {AFTER_CHARS_PER_S:,})"
    )


if __name__ == "__main__":
    main()
