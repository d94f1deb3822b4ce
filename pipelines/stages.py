"""Per-document stages: a pure function of one file, safe to run in any worker process.

``process_path`` reads, cleans and structures one file and runs every per-document stage over it, returning
plain rows per table (:class:`DocResult`). It never touches the store: the main process writes the result in
one transaction. Heavy objects (the jieba/spaCy pipeline) are cached per worker process.
"""

from __future__ import annotations

import contextlib
import dataclasses
import gc
import hashlib
import json
import operator
import time
import traceback
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from nlp.document import Document
from nlp.errors import ReadError, ZhcorpusError
from pipelines.store import section_label

# Bump a stage's version when its output changes: documents processed by an older pipeline are redone.
STAGE_VERSIONS: dict[str, str] = {"structure": "10", "tokens": "2", "facts": "13", "rules": "10", "measures": "13", "themes": "10"}


def pipeline_version(config: dict[str, Any] | None = None) -> str:
    """Stage versions plus a fingerprint of the config parts that change per-document output.

    A document stored under another version (new stage, edited theme scheme, other settings) is redone. The
    workspace's own dictionary words are left out on purpose: a word added or removed changes only the documents
    that contain it, and the runner marks exactly those stale (:func:`user_words`, ``Store.mark_stale``).
    """
    stages = ",".join(f"{k}={v}" for k, v in sorted(STAGE_VERSIONS.items()))
    config = config or {}
    lexicon = {k: v for k, v in (config.get("lexicon") or {}).items() if k not in ("user_words", "user_dict")}
    relevant = {k: config.get(k) for k in ("lang", "themes", "extract")}
    relevant["lexicon"] = lexicon or None
    ws = config.get("_workspace")
    if ws:  # scheme files in <workspace>/themes/ change the output too
        tdir = Path(ws) / "themes"
        if tdir.is_dir():
            relevant["theme_files"] = sorted((p.name, _file_digest(p)) for p in tdir.glob("*.toml"))
    digest = hashlib.sha256(_config_key(relevant).encode()).hexdigest()[:12]
    return f"{stages};cfg={digest}"


def user_words(config: dict[str, Any] | None) -> dict[str, str]:
    """The workspace's own dictionary (``lexicon.user_words`` and ``user_dict.txt``) as word -> "freq tag"."""
    from nlp.lexicons import user_entries

    root = (config or {}).get("_root") or (config or {}).get("_workspace")
    return {e.word: f"{e.freq} {e.tag}" for e in user_entries(config, root=root)}


def changed_words(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """Words added, removed or given another frequency or tag between two dictionaries."""
    return sorted(w for w in before.keys() | after.keys() if before.get(w) != after.get(w))


def _file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()[:16]


@dataclass
class DocResult:
    """What a worker sends back for one file."""

    doc_id: str
    row: dict[str, Any]
    tables: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    error: str | None = None
    cpu: dict[str, float] = field(default_factory=dict)  # stage -> CPU seconds spent on this file


def sha256_file(path: Path, *, chunk: int = 1 << 20) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        while block := fh.read(chunk):
            h.update(block)
    return h.hexdigest()


_FIELD_GETTERS: dict[type, tuple[tuple[str, ...], Callable[[Any], tuple[Any, ...]]]] = {}


def record_dict(record: Any) -> dict[str, Any]:
    """A dataclass record as a dict, shallow (faster than dataclasses.asdict, and keeps lists as they are)."""
    cls = type(record)
    known = _FIELD_GETTERS.get(cls)
    if known is None:
        names = tuple(f.name for f in dataclasses.fields(record))
        getter = operator.attrgetter(*names)
        known = _FIELD_GETTERS[cls] = (names, getter if len(names) > 1 else lambda r: (getter(r),))
    names, get = known
    return dict(zip(names, get(record)))


# --- stages ---------------------------------------------------------------------------------------------------


def build_document(path: Path, *, sha256: str, size: int) -> Document:
    """read -> clean -> structure -> metadata."""
    from nlp.clean import clean_and_structure
    from nlp.meta import extract_meta
    from nlp.readers import read_file

    raw = read_file(path)
    text, blocks, sentences, removals = clean_and_structure(raw)
    if not text.strip():
        raise ReadError(str(path), "no text left after cleaning")
    meta = extract_meta(text, blocks, path.name)
    return Document(
        doc=path.name,
        path=str(path),
        sha256=sha256,
        size=size,
        text=text,
        blocks=blocks,
        sentences=sentences,
        meta=meta,
        removals=removals,
        format=raw.format,
        encoding=raw.encoding,
    )


def structure_tables(document: Document) -> dict[str, list[dict[str, Any]]]:
    doc = document.doc
    paragraphs = [
        {
            "doc": doc,
            "idx": b.idx,
            "kind": b.kind,
            "level": b.level,
            "section": section_label(b.section),
            "section_path": list(b.section),
            "text": b.text,
            "rows": b.rows,
            "char_start": b.char_start,
            "char_end": b.char_end,
        }
        for b in document.blocks
    ]
    sentences = [
        {"doc": doc, "para": s.para, "idx": s.idx, "text": s.text, "char_start": s.char_start, "char_end": s.char_end}
        for s in document.sentences
    ]
    removals = [{"doc": doc, "kind": r.kind, "text": r.text, "count": r.count} for r in document.removals]
    return {
        "texts": [{"doc": doc, "text": document.text}],
        "paragraphs": paragraphs,
        "sentences": sentences,
        "removals": removals,
    }


# Later stages: functions (document, config, tables_so_far) -> dict of extra tables. Registered in order.
DocStage = Callable[[Document, dict[str, Any], dict[str, list[dict[str, Any]]]], dict[str, list[dict[str, Any]]]]


def _config_key(config: dict[str, Any]) -> str:
    return json.dumps(config, sort_keys=True, ensure_ascii=False, default=str)


def tokens_stage(document: Document, config: dict[str, Any], tables: dict[str, list[dict[str, Any]]]):  # type: ignore[no-untyped-def]
    """Segment and tag every block once; later stages and corpus-level models reuse these streams."""
    from nlp.lang import tag_texts

    tagged = tag_texts([b.text for b in document.blocks], config=config)
    doc = document.doc
    rows = []
    for b, pairs in zip(document.blocks, tagged, strict=True):
        words, tags = (list(column) for column in zip(*pairs)) if pairs else ([], [])
        rows.append({"doc": doc, "para": b.idx, "tokens": words, "tags": tags})
    global _LAST_PAIRS
    _LAST_PAIRS = (rows, tagged)
    return {"tokens": rows}


# The (word, tag) lists of the last document's token rows: facts, rules and measures all read them, and building
# them from the rows costs about a sixth of segmentation each time (600k tokens in the 52 government work reports).
# One tuple swapped whole, so a thread of another document never sees a half-written pair.
_LAST_PAIRS: tuple[list[dict[str, Any]], list[list[tuple[str, str]]]] | None = None


def _block_pairs(tables: dict[str, list[dict[str, Any]]]) -> list[list[tuple[str, str]]]:
    """Per-block (word, tag) lists of ``tables["tokens"]``, built once per document (see ``_LAST_PAIRS``)."""
    global _LAST_PAIRS
    rows = tables["tokens"]
    last = _LAST_PAIRS
    if last is not None and last[0] is rows:
        return last[1]
    pairs = [list(zip(r["tokens"], r["tags"], strict=True)) for r in rows]
    _LAST_PAIRS = (rows, pairs)
    return pairs


_SCHEMES: dict[str, Any] = {}


def _schemes(config: dict[str, Any]) -> Any:
    from nlp.themes import load_schemes

    key = _config_key(config)
    if key not in _SCHEMES:
        ws = config.get("_workspace")
        _SCHEMES[key] = load_schemes(config, Path(ws) if ws else None)
    return _SCHEMES[key]


def themes_stage(document: Document, config: dict[str, Any], tables: dict[str, list[dict[str, Any]]]):  # type: ignore[no-untyped-def]
    """Code themes and policy instruments (sentence .. document levels) with their evidence."""
    from nlp.themes import code_document

    tokens = {r["para"]: r["tokens"] for r in tables["tokens"]}
    labels = code_document(document, _schemes(config), tokens=tokens)
    return {"themes": [record_dict(r) for r in labels]}


def facts_stage(document: Document, config: dict[str, Any], tables: dict[str, list[dict[str, Any]]]):  # type: ignore[no-untyped-def]
    """Numeric facts from prose sentences and table cells."""
    from nlp.extract.numbers import extract_facts

    return {"facts": [record_dict(f) for f in extract_facts(document)]}  # character-level: no tokens needed


def rules_stage(document: Document, config: dict[str, Any], tables: dict[str, list[dict[str, Any]]]):  # type: ignore[no-untyped-def]
    """Rule references (one row per distinct rule, with mention counts) and every mention (for networks)."""
    from nlp.extract.rules import extract_rules, iter_rule_mentions

    return {
        "rules": [record_dict(r) for r in extract_rules(document)],  # regex over characters: no tokens needed
        "rule_mentions": [record_dict(m) for m in iter_rule_mentions(document)],
    }


def measures_stage(document: Document, config: dict[str, Any], tables: dict[str, list[dict[str, Any]]]):  # type: ignore[no-untyped-def]
    """Named policy measures, recognised over the tagged tokens."""
    from nlp.extract.measures import extract_measures

    return {"measures": [record_dict(m) for m in extract_measures(document, tokens=_block_pairs(tables))]}


DOC_STAGES: list[tuple[str, DocStage]] = [
    ("tokens", tokens_stage),
    ("facts", facts_stage),
    ("rules", rules_stage),
    ("measures", measures_stage),
    ("themes", themes_stage),
]


def document_row(
    document: Document, path: Path, *, sha256: str, size: int, document_config: dict[str, Any] | None = None
) -> dict[str, Any]:
    m = document.meta
    return {
        "doc": path.name,
        "path": str(path),
        "title": m.title,
        "year": m.year,
        "genre": m.genre,
        "issuer": m.issuer,
        "doc_number": m.doc_number,
        "date": m.date,
        "sha256": sha256,
        "size": size,
        "chars": len(document.text),
        "format": document.format,
        "encoding": document.encoding,
        "pipeline": pipeline_version(document_config),
    }


def process_path(task: tuple[str, str, str, dict[str, Any]]) -> DocResult:
    """Run every per-document stage over one file. ``task`` = (path, doc_id, sha256, config).

    Never raises for a bad file: the error becomes ``DocResult.error``, a one-line reason.
    """
    path_s, doc_id, sha256, config = task
    with _collector_paused():
        return _process_path(path_s, doc_id, sha256, config)


@contextlib.contextmanager
def _collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while one document is processed.

    The stages build hundreds of thousands of small objects per document (token tuples, rows, records) that all
    live until the document is done; each burst of allocations triggers collections that scan the whole heap
    (the dictionary, the vocab, the schemes), and they found nothing to free. Reference counting still frees
    everything at once when the document's tables are dropped; the collector runs again between documents.
    Measured on the 52 gov_work_reports (one process, alternating runs): per-document CPU about 8% lower, the
    tokens stage about 30%. The previous state is restored, so a caller that disabled the collector keeps it off.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _process_path(path_s: str, doc_id: str, sha256: str, config: dict[str, Any]) -> DocResult:
    path = Path(path_s)
    base_row = {"doc": path.name, "path": path_s, "sha256": sha256, "pipeline": pipeline_version(config)}
    try:
        size = path.stat().st_size
        base_row["size"] = size
        clock = time.process_time()
        document = build_document(path, sha256=sha256, size=size)
        tables = structure_tables(document)
        cpu = {"structure": time.process_time() - clock}
        for name, stage in DOC_STAGES:
            clock = time.process_time()
            try:
                tables.update(stage(document, config, tables))
            except ZhcorpusError:
                raise
            except Exception as exc:  # a bug in a stage: report it for this file, keep the run going
                raise ZhcorpusError(f"{path}: stage {name} failed: {type(exc).__name__}: {exc}") from exc
            cpu[name] = time.process_time() - clock
        row = document_row(document, path, sha256=sha256, size=size, document_config=config)
        return DocResult(doc_id, row, tables, cpu=cpu)
    except ReadError as exc:
        return DocResult(doc_id, base_row, error=f"{path.name}: {exc.reason}")
    except ZhcorpusError as exc:
        return DocResult(doc_id, base_row, error=_one_line(str(exc)))
    except MemoryError:
        return DocResult(doc_id, base_row, error=f"{path.name}: out of memory while processing")
    except Exception as exc:
        last = traceback.extract_tb(exc.__traceback__)[-1]
        where = f"{Path(last.filename).name}:{last.lineno}"
        return DocResult(doc_id, base_row, error=_one_line(f"{path.name}: {type(exc).__name__} at {where}: {exc}"))


def _one_line(text: str) -> str:
    return " ".join(text.split())[:500]


def result_to_json(result: DocResult) -> str:
    """Serialise a result (used by executors that move results as text)."""
    return json.dumps(dataclasses.asdict(result), ensure_ascii=False, default=str)


def _register_tables() -> None:
    """Declare the tables of the per-document stages and their exports (fields = the record's fields)."""
    from nlp.extract.measures import Measure
    from nlp.extract.numbers import Fact
    from nlp.extract.rules import RuleMention, RuleRef
    from nlp.themes import ThemeLabel
    from pipelines.exports import register_derived, register_export
    from pipelines.store import register_table, spec_from_record

    for name, record, order in [
        ("facts", Fact, "doc_id, char_start"),
        ("rules", RuleRef, "doc_id, char_start"),
        ("rule_mentions", RuleMention, "doc_id, char_start"),
        ("measures", Measure, "doc_id, char_start"),
        ("themes", ThemeLabel, "doc_id, scheme, level, code"),
    ]:
        spec = register_table(spec_from_record(name, record))
        export_name = "theme_codes" if name == "themes" else name  # `themes` exports the section labels
        register_export(export_name, name, [c.name for c in spec.columns if c.name != "doc_id"], order)
    register_derived("themes", section_theme_labels, ["doc", "heading", "section", "paragraph", "themes", "scores"])
    register_derived("instruments", instrument_sentences, INSTRUMENT_FIELDS)


INSTRUMENT_FIELDS = ["doc", "section", "paragraph", "sentence", "group", "code", "score", "evidence", "char_start", "char_end"]


def section_theme_labels(store: Any) -> Any:
    """Section-level theme labels: doc, heading, section, themes (labelled codes), scores."""
    import pandas as pd

    from nlp.themes import records_frame, section_labels

    rows = store.query("SELECT * EXCLUDE (doc_id) FROM themes WHERE scheme = 'themes' AND level = 'section'")
    labels = section_labels(records_frame(rows.to_dict("records")))
    # a section where no theme term occurs has no coded rows; it is still a section, with no themes (its
    # heading a heading block or a run-in title: the outline is read again from the stored paragraphs)
    coded = set(zip(labels["doc"], labels["paragraph"].astype(int), strict=True))
    empty = [
        {"doc": doc, "heading": h.text, "section": " > ".join(h.path), "paragraph": h.idx}
        for doc, heads in _stored_outlines(store)
        for h in heads
        if (doc, h.idx) not in coded
    ]
    if not empty:
        return labels
    extra = pd.DataFrame(empty).assign(themes=[[] for _ in empty], scores=[{} for _ in empty])[labels.columns]
    out = pd.concat([labels, extra], ignore_index=True) if len(labels) else extra
    return out.sort_values(["doc", "paragraph"], ignore_index=True)


def _stored_outlines(store: Any) -> Iterator[tuple[str, list[Any]]]:
    """Per document, its section headings (nlp.themes.outline) rebuilt from the stored paragraphs and sentences."""
    from nlp.document import Block, Document, Sentence
    from nlp.themes import outline

    paras = store.query("SELECT doc, idx, kind, section, text FROM paragraphs ORDER BY doc, idx")
    sents = store.query("SELECT doc, para, idx, text, char_start, char_end FROM sentences ORDER BY doc, para, idx")
    by_doc: dict[str, list[Sentence]] = {}
    for r in sents.itertuples(index=False):
        sentence = Sentence(int(r.para), int(r.idx), r.text, int(r.char_start), int(r.char_end))
        by_doc.setdefault(r.doc, []).append(sentence)
    for doc, group in paras.groupby("doc", sort=True):
        blocks = []
        for r in group.itertuples(index=False):
            parents = tuple(x for x in (r.section or "").split(" > ") if x)
            level = len(parents) + 1 if r.kind == "heading" else None
            blocks.append(Block(int(r.idx), r.kind, r.text, parents, level))
        document = Document(doc, "", "", 0, "", blocks, by_doc.get(doc, []))
        yield doc, outline(document)


def instrument_sentences(store: Any) -> Any:
    """Sentences coded with a policy instrument (supply / environment / demand and the sub-code)."""
    cols = ", ".join(f'"{c}"' for c in INSTRUMENT_FIELDS)
    return store.query(
        f"SELECT {cols} FROM themes WHERE scheme = 'instruments' AND level = 'sentence' AND labelled "
        "ORDER BY doc_id, paragraph, sentence"
    )


_register_tables()
