"""What every extractor shares: the provenance fields of its records and its spaCy component registration.

Every extracted record (a fact, a rule reference, a measure, one of their mentions) starts with the same six
provenance fields, in the same order, so that the exports line up and a record always leads back to its sentence.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any


@dataclass(slots=True)
class Provenance:
    """Where a record comes from: the source file, the heading path, the paragraph index, the sentence text, and
    the character offsets of the mention in the cleaned document text."""

    doc: str
    section: str
    paragraph: int
    sentence: str
    char_start: int
    char_end: int


def register_span_component(name: str, component: Callable[[Any], Any], *, extension: str | None = None) -> None:
    """Register ``component`` as the spaCy pipeline component ``name`` (it writes ``doc.spans``), and the
    ``Span._.<extension>`` attribute it fills, if any. Does nothing when spaCy is not installed: the record
    extractors work without it."""
    try:
        from spacy.language import Language
        from spacy.tokens import Span
    except ImportError:
        return
    if extension and not Span.has_extension(extension):
        Span.set_extension(extension, default=None)
    if name not in Language.factories:
        Language.component(name, assigns=["doc.spans"])(component)
