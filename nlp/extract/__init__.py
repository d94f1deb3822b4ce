"""Issue-4 extractors: numeric facts (``numbers``), rule references (``rules``) and policy measures (``measures``).

Each extractor works on a :class:`nlp.document.Document` and returns typed records with provenance; each also
registers a spaCy component (``zh_facts``, ``zh_rules`` ...) when its module is imported.
"""

from __future__ import annotations

from nlp.extract.cn_numbers import Money, parse_cn_int, parse_money, parse_number
from nlp.extract.numbers import Fact, extract_facts, facts_component, facts_in_table, facts_in_text
from nlp.extract.regions import find_regions, load_gazetteer

__all__ = [
    "Fact",
    "Money",
    "extract_facts",
    "facts_component",
    "facts_in_table",
    "facts_in_text",
    "find_regions",
    "load_gazetteer",
    "parse_cn_int",
    "parse_money",
    "parse_number",
]
