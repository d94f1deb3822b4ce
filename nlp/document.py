"""Typed records of the document model: document -> paragraphs (blocks) -> sentences.

The cleaned document text is the paragraphs' texts joined with "\\n"; every ``char_start``/``char_end`` is an
offset into that text, so provenance survives all later stages (tokens, facts, rules, themes).
A table block's text is its rows joined with "\\n", cells joined with "\\t".
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any, Literal

BlockKind = Literal["heading", "prose", "table"]
Genre = Literal["policy", "academic", "news", "statistical", "regulation", "report", "other"]


@dataclass(slots=True)
class RawText:
    """What a reader returns: the extracted text, and the pages when the format has pages (PDF)."""

    text: str
    format: str  # txt | md | pdf | docx | html
    encoding: str | None = None
    pages: list[str] | None = None


@dataclass(slots=True)
class Removal:
    """Something cleaning removed, so that nothing is dropped silently."""

    kind: str  # header_footer | page_number | duplicate_headline | markup | zero_width | blank ...
    text: str
    count: int = 1


@dataclass(slots=True)
class Block:
    """A paragraph-level unit: a heading, a prose paragraph or a table."""

    idx: int
    kind: BlockKind
    text: str
    section: tuple[str, ...] = ()  # chain of headings above (for a heading: its parents)
    level: int | None = None  # heading level (1 = top) for headings
    rows: list[list[str]] | None = None  # table cells for tables
    char_start: int = 0
    char_end: int = 0


@dataclass(slots=True)
class Sentence:
    para: int
    idx: int
    text: str
    char_start: int
    char_end: int


@dataclass(slots=True)
class DocMeta:
    title: str | None = None
    year: int | None = None
    genre: str | None = None
    issuer: str | None = None
    doc_number: str | None = None
    date: str | None = None  # ISO yyyy-mm-dd or yyyy-mm when only that is stated


@dataclass(slots=True)
class Document:
    """One cleaned, structured document."""

    doc: str  # source file name
    path: str
    sha256: str
    size: int
    text: str
    blocks: list[Block]
    sentences: list[Sentence]
    meta: DocMeta = field(default_factory=DocMeta)
    removals: list[Removal] = field(default_factory=list)
    format: str = ""
    encoding: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)
