"""Theme and policy-instrument coding: coding schemes as data, matching, scores per unit, corpus tables.

A *scheme* is a set of *codes*; each code is a list of weighted terms plus optional boolean *rules*
(``AND`` / ``OR`` / ``NOT`` within a sentence or a paragraph, after KH Coder's coding rules). Schemes are TOML
files: two are built in (``nlp/lexicons/themes/themes.toml`` and ``instruments.toml``) and a workspace adds or
overrides them without code, with files under ``<workspace>/themes/*.toml`` or ``[themes.<scheme>]`` tables in
``zhcorpus.toml`` (see :func:`load_schemes`).

Matching
    A term matches as a substring of the sentence, so a term that is part of a compound counts
    (人才 inside 人才培养); at one position the longest term of a code wins, so 复合型人才 is not counted twice.
    Terms listed under ``exact`` match whole tokens only (a short word such as 税 would otherwise match
    inside unrelated words); tokens come from the ``tokens`` argument (the language layer's segmentation)
    or, when absent, from jieba.
Scores
    ``raw`` = the sum of the weights of the matched terms and rules in the unit; a heading's own matches count
    ``heading_weight`` times (a term in a heading says what the section is about). ``score`` = ``raw`` per
    1,000 characters of the unit (the unit length is floored at ``min_chars``, so a short unit is not blown up).
    A code's terms inside an enumeration of 3+ items ("A、B、C等X") count ``list_weight`` times when the code
    names fewer than half of the items and the head noun X does not name it (see :func:`_enumerations`).
Labels (the documented threshold)
    A unit is labelled with a code when ``raw >= min_raw[level]`` AND ``score >= min_score[level]``; both come
    from the scheme's ``[thresholds]`` table. Built-in themes: a sentence or paragraph needs one core term
    (weight 2) or two supporting terms (weight 1); a section needs raw 3 and 5 per 1,000 characters (a
    theme recurs in its section, one passing mention in a long section is not enough); a document needs raw 6
    and 0.5 per 1,000 characters.
Sections
    A section runs from its heading to the next heading of the same or a higher level, or to an untitled
    speaker's turn in a panel ("某某（…研究员）：…"), which closes every open section. A section with
    subsections is labelled with the union of its subsections' labels and of the labels its own text (heading
    + text before the first subsection) earns at the section threshold; its raw and score stay those of the
    whole section. Schemes with ``exclusive = true`` (instruments) give a
    sentence at most one label, the code with the highest raw weight, as in clause-level instrument coding.
Evidence
    Every record carries its evidence sentences (the matching sentences with the highest weight, up to
    ``max_evidence``, in document order).

``code_document`` is a pure function of one Document (it runs in worker processes); the ``*_table`` /
``*_matrix`` / ``*_crosstab`` functions build corpus-level pandas DataFrames from its records.
"""

from __future__ import annotations

import csv
import re
import tomllib
from bisect import bisect_left
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from nlp.document import Block, Document, Sentence
from nlp.errors import ConfigError
from nlp.extract.regions import PROVINCES

__all__ = [
    "BUILTIN_DIR",
    "LEVELS",
    "PROVINCES",
    "Code",
    "Heading",
    "Rule",
    "Scheme",
    "ThemeLabel",
    "agreement",
    "code_document",
    "code_sentences",
    "code_text",
    "cooccurrence_matrix",
    "detect_region",
    "doc_theme_matrix",
    "document_from_text",
    "expand_code",
    "instrument_crosstab",
    "label_texts",
    "labels_of",
    "load_schemes",
    "outline",
    "parse_scheme",
    "read_hand_labels",
    "records_frame",
    "section_labels",
    "theme_by_region",
    "theme_by_year",
    "train_vectors",
]

BUILTIN_DIR = Path(__file__).resolve().parent / "lexicons" / "themes"
LEVELS = ("sentence", "paragraph", "section", "document")
_SCOPES = ("sentence", "paragraph")

# --- scheme model ----------------------------------------------------------------------------------------------


class _Expr:
    """A parsed boolean rule: ``op`` is "term", "and", "or" or "not"."""

    __slots__ = ("args", "op", "term")

    def __init__(self, op: str, args: tuple[_Expr, ...] = (), term: str = "") -> None:
        self.op, self.args, self.term = op, args, term

    def terms(self) -> set[str]:
        if self.op == "term":
            return {self.term}
        return set().union(*(a.terms() for a in self.args))

    def evaluate(self, present: Mapping[str, bool]) -> bool:
        if self.op == "term":
            return present[self.term]
        if self.op == "not":
            return not self.args[0].evaluate(present)
        if self.op == "and":
            return all(a.evaluate(present) for a in self.args)
        return any(a.evaluate(present) for a in self.args)


_RULE_TOKEN = re.compile(r"\s*(\(|\)|&|\||!|[^\s()&|!]+)")
_WORD_OPS = {"and": "&", "or": "|", "not": "!"}


def _parse_rule(expr: str) -> _Expr:
    """Parse ``"人才 & (培养 | 引进) & !市场"``; the words and / or / not (any case) work as the operators."""
    tokens: list[str] = []
    pos = 0
    expr = expr.strip()
    while pos < len(expr):
        m = _RULE_TOKEN.match(expr, pos)
        if not m:
            raise ConfigError(f"rule {expr!r}: cannot read from position {pos}")
        tok = m.group(1)
        tokens.append(_WORD_OPS.get(tok.lower(), tok))
        pos = m.end()
        while pos < len(expr) and expr[pos].isspace():
            pos += 1
    i = 0

    def peek() -> str | None:
        return tokens[i] if i < len(tokens) else None

    def take() -> str:
        nonlocal i
        if i >= len(tokens):
            raise ConfigError(f"rule {expr!r}: unexpected end")
        i += 1
        return tokens[i - 1]

    def parse_or() -> _Expr:
        args = [parse_and()]
        while peek() == "|":
            take()
            args.append(parse_and())
        return args[0] if len(args) == 1 else _Expr("or", tuple(args))

    def parse_and() -> _Expr:
        args = [parse_not()]
        while peek() == "&":
            take()
            args.append(parse_not())
        return args[0] if len(args) == 1 else _Expr("and", tuple(args))

    def parse_not() -> _Expr:
        if peek() == "!":
            take()
            return _Expr("not", (parse_not(),))
        return parse_atom()

    def parse_atom() -> _Expr:
        tok = take()
        if tok == "(":
            node = parse_or()
            if take() != ")":
                raise ConfigError(f"rule {expr!r}: expected ')'")
            return node
        if tok in {")", "&", "|"}:
            raise ConfigError(f"rule {expr!r}: expected a term, got {tok!r}")
        return _Expr("term", term=tok)

    if not tokens:
        raise ConfigError("empty rule")
    node = parse_or()
    if i != len(tokens):
        raise ConfigError(f"rule {expr!r}: unexpected {tokens[i]!r}")
    return node


@dataclass(slots=True)
class Rule:
    """A boolean coding rule: when ``expr`` holds within one ``scope`` unit, the unit gains ``weight``."""

    expr: str
    scope: str = "sentence"  # sentence | paragraph
    weight: float = 2.0
    tree: _Expr | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        if self.scope not in _SCOPES:
            raise ConfigError(f"rule {self.expr!r}: scope must be one of {_SCOPES}, got {self.scope!r}")
        if self.tree is None:
            self.tree = _parse_rule(self.expr)


@dataclass(slots=True)
class Code:
    """One code of a scheme: weighted substring terms, whole-token terms, rules and sentence-level exclusions."""

    name: str
    label: str = ""
    parent: str = ""  # the group a sub-code belongs to (instruments: supply | environment | demand)
    terms: dict[str, float] = field(default_factory=dict)
    exact: dict[str, float] = field(default_factory=dict)
    rules: list[Rule] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)  # a sentence containing one of these does not count
    pattern: re.Pattern[str] | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        self.compile()

    def compile(self) -> None:
        terms = sorted((t for t in self.terms if t), key=lambda t: (-len(t), t))
        self.pattern = re.compile("|".join(map(re.escape, terms))) if terms else None

    @property
    def group(self) -> str:
        return self.parent or self.name


@dataclass(slots=True)
class Scheme:
    """A coding scheme (see the module docstring for the thresholds)."""

    name: str
    description: str = ""
    codes: dict[str, Code] = field(default_factory=dict)
    levels: tuple[str, ...] = LEVELS
    exclusive: bool = False
    heading_weight: float = 2.0
    min_chars: int = 200
    max_evidence: int = 3
    min_raw: dict[str, float] = field(default_factory=dict)
    min_score: dict[str, float] = field(default_factory=dict)
    list_weight: float = 1.0  # weight of a code's terms in an enumeration it is a minority of (1 = off)

    def labelled(self, level: str, raw: float, score: float) -> bool:
        return raw >= self.min_raw.get(level, 2.0) and score >= self.min_score.get(level, 0.0)


def _weights(value: Any, where: str) -> dict[str, float]:
    """Terms as ``{term = weight}`` or as a list of terms (weight 1)."""
    if value is None:
        return {}
    if isinstance(value, Mapping):
        try:
            return {str(k): float(v) for k, v in value.items()}
        except (TypeError, ValueError) as exc:
            raise ConfigError(f"{where}: term weights must be numbers ({exc})") from exc
    if isinstance(value, list):
        return {str(k): 1.0 for k in value}
    raise ConfigError(
        f"{where}: expected a table of term = weight or a list of terms, got {type(value).__name__}"
    )


def _parse_code(name: str, data: Mapping[str, Any], where: str, base: Code | None = None) -> Code:
    if not isinstance(data, Mapping):
        raise ConfigError(f"{where}: code {name!r} must be a table")
    code = (
        Code(name)
        if base is None
        else Code(
            name,
            base.label,
            base.parent,
            dict(base.terms),
            dict(base.exact),
            list(base.rules),
            list(base.exclude),
        )
    )
    if data.get("replace"):  # start from nothing instead of extending the built-in code
        code = Code(name)
    code.label = str(data.get("label", code.label))
    code.parent = str(data.get("parent", code.parent))
    code.terms.update(_weights(data.get("terms"), f"{where}.{name}.terms"))
    code.exact.update(_weights(data.get("exact"), f"{where}.{name}.exact"))
    for t in data.get("remove", []):  # drop inherited terms
        code.terms.pop(t, None)
        code.exact.pop(t, None)
    code.exclude.extend(str(t) for t in data.get("exclude", []))
    for r in data.get("rules", []):
        if isinstance(r, str):
            code.rules.append(Rule(r))
        elif isinstance(r, Mapping) and "expr" in r:
            code.rules.append(
                Rule(str(r["expr"]), str(r.get("scope", "sentence")), float(r.get("weight", 2.0)))
            )
        else:
            raise ConfigError(f"{where}.{name}.rules: each rule is a string or a table with 'expr'")
    code.compile()
    return code


def parse_scheme(
    name: str, data: Mapping[str, Any], *, base: Scheme | None = None, where: str = ""
) -> Scheme:
    """Build a Scheme from a TOML table; with ``base`` the table extends/overrides that scheme code by code."""
    where = where or f"scheme {name}"
    if base is None:
        scheme = Scheme(name)
    else:
        scheme = Scheme(
            name,
            base.description,
            dict(base.codes),
            base.levels,
            base.exclusive,
            base.heading_weight,
            base.min_chars,
            base.max_evidence,
            dict(base.min_raw),
            dict(base.min_score),
            base.list_weight,
        )
    scheme.description = str(data.get("description", scheme.description))
    if "levels" in data:
        bad = [lv for lv in data["levels"] if lv not in LEVELS]
        if bad:
            raise ConfigError(f"{where}: unknown levels {bad}; expected some of {LEVELS}")
        scheme.levels = tuple(data["levels"])
    for key in ("exclusive", "heading_weight", "min_chars", "max_evidence", "list_weight"):
        if key in data:
            setattr(scheme, key, type(getattr(scheme, key))(data[key]))
    thresholds = data.get("thresholds", {})
    scheme.min_raw.update({k: float(v) for k, v in thresholds.get("min_raw", {}).items()})
    scheme.min_score.update({k: float(v) for k, v in thresholds.get("min_score", {}).items()})
    for code_name, code_data in (data.get("codes") or {}).items():
        scheme.codes[code_name] = _parse_code(code_name, code_data, where, scheme.codes.get(code_name))
    for code_name in data.get("drop_codes", []):
        scheme.codes.pop(code_name, None)
    if not scheme.codes:
        raise ConfigError(f"{where}: no codes")
    return scheme


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML ({exc})") from exc


def load_schemes(
    workspace_config: Mapping[str, Any] | None = None, workspace_dir: Path | None = None
) -> dict[str, Scheme]:
    """The built-in schemes, extended or overridden by the workspace.

    Order (later wins, code by code): ``nlp/lexicons/themes/*.toml``, then ``<workspace_dir>/themes/*.toml``
    (scheme name = ``name`` in the file or the file stem), then ``[themes.<scheme>]`` tables of zhcorpus.toml.
    A workspace table naming an existing code adds terms/rules to it (``replace = true`` starts the code
    afresh, ``remove = [...]`` drops terms, ``drop_codes = [...]`` drops codes); a new name adds a code or scheme.
    """
    sources: list[tuple[str, Mapping[str, Any], str]] = []
    for path in sorted(BUILTIN_DIR.glob("*.toml")):
        data = _read_toml(path)
        sources.append((str(data.get("name", path.stem)), data, str(path)))
    if workspace_dir is not None:
        for path in sorted((Path(workspace_dir) / "themes").glob("*.toml")):
            data = _read_toml(path)
            sources.append((str(data.get("name", path.stem)), data, str(path)))
    for name, data in ((workspace_config or {}).get("themes") or {}).items():
        if not isinstance(data, Mapping):
            raise ConfigError(f"zhcorpus.toml [themes.{name}] must be a table")
        sources.append((str(name), data, f"zhcorpus.toml [themes.{name}]"))
    schemes: dict[str, Scheme] = {}
    for name, data, where in sources:
        schemes[name] = parse_scheme(name, data, base=schemes.get(name), where=where)
    return schemes


# --- records ---------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class ThemeLabel:
    """A code's weight in one unit (sentence | paragraph | section | document) of one document.

    Sentence rows are the hits (evidence = that sentence); ``labelled`` says whether the unit passes the
    scheme's threshold. ``group`` is the code's parent (instrument type) or the code itself.
    """

    doc: str
    scheme: str
    level: str
    code: str
    group: str
    score: float  # raw per 1,000 characters
    raw: float
    labelled: bool
    section: str = ""  # heading path joined with " > "
    heading: str = ""
    paragraph: int | None = None
    sentence: int | None = None  # sentence idx within the paragraph (sentence level)
    terms: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)
    char_start: int | None = None
    char_end: int | None = None


def records_frame(records: Iterable[ThemeLabel | Mapping[str, Any]]) -> pd.DataFrame:
    """Records (or dict rows read from the store) as a DataFrame with the ThemeLabel columns."""
    rows = [asdict(r) if isinstance(r, ThemeLabel) else dict(r) for r in records]
    cols = list(ThemeLabel.__dataclass_fields__)
    return pd.DataFrame(rows, columns=cols) if rows else pd.DataFrame(columns=cols)


# --- matching --------------------------------------------------------------------------------------------------


@dataclass(slots=True)
class _Hit:
    raw: float
    terms: list[str]


def _segment(text: str) -> list[str]:
    import jieba

    return jieba.lcut(text)


# --- enumerations: "A、B、C等X" ---------------------------------------------------------------------------------
#
# A list of category names ("生物医药、高端装备、新能源汽车、新材料等产业", "科技服务、金融服务、物流服务、商务服务等")
# names what the sentence is about only as a whole: one item of it does not make its code a theme of the
# section. A code's terms inside an enumeration of at least three items count ``list_weight`` times unless the
# code names at least half of the items: a list that is about the code ("5G网络、光纤宽带网络、数据中心" for
# infrastructure) still counts in full.

_CLAUSE = re.compile(r"[^，,。；;：:！？!?（）()“”\"《》]+")
_LIST_MIN_ITEMS = 3
_LIST_ITEM_CHARS = 10  # an item longer than this is a clause, not a name: no enumeration
_LIST_JOIN = re.compile(r"[和及与]")

_Enum = tuple[tuple[int, int], ...]  # item spans (start, end) in the sentence, then the head noun's span
_LIST_HEAD_CHARS = 6


def _enumerations(text: str) -> tuple[_Enum, ...]:
    """The enumerations of ``text``: in one clause, at least three short items separated by 、 (the last one
    may be joined by 和/及/与 and ends at 等), each as its item spans followed by the span of the head noun
    after 等 (empty without 等). The first item is cut to the width of the longest middle item (what precedes
    it is the verb), the last one at 等 or at that width."""
    if text.count("、") < _LIST_MIN_ITEMS - 2:
        return ()
    out: list[_Enum] = []
    for m in _CLAUSE.finditer(text):
        parts = m.group().split("、")
        if len(parts) < 2:
            continue
        spans, p = [], m.start()
        for part in parts:
            spans.append((p, p + len(part)))
            p += len(part) + 1
        middle = spans[1:-1]
        if any(not 0 < e - a <= _LIST_ITEM_CHARS for a, e in middle):
            continue
        (a0, e0), (al, el) = spans[0], spans[-1]
        if e0 == a0 or el == al:
            continue
        j = _LIST_JOIN.search(text, al + 1, min(el, al + _LIST_ITEM_CHARS + 1))
        join = j.start() if j is not None and j.start() < el - 1 else -1  # "B和C": two items
        width = max([e - a for a, e in middle] or [join - al if join > 0 else min(e0 - a0, el - al)])
        stop = text.find("等", join + 1 if join > 0 else al + 1, el)
        head = (stop + 1, min(el, stop + 1 + _LIST_HEAD_CHARS))
        if stop < 0 or stop - max(al, join + 1) > 2 * width + 1:
            # no 等 (or too far): the last item is as wide as the others, what follows it is no head noun
            stop = min(el, max(al, join + 1) + width)
            head = (stop, stop)
        items = [(max(a0, e0 - width), e0), *middle]
        items += [(al, join), (join + 1, stop)] if join > 0 else [(al, stop)]
        if len(items) >= _LIST_MIN_ITEMS:
            out.append((*items, head))
    return tuple(out)


def _list_cuts(
    enums: Sequence[_Enum], found: Sequence[tuple[int, int, float]], weight: Callable[[int], float]
) -> dict[int, float]:
    """How much to take off each code's raw weight: ``found`` = (code, position, weight) of its term matches in
    order; per enumeration, a code naming fewer than half of the items keeps ``weight(code)`` of its matches
    there, unless the head noun after 等 names the code too ("…等产业": every item is one). The same sums in
    the same order in every matching path, so they give identical floats."""
    cuts: dict[int, float] = {}
    for enum in enums:
        items, (ha, he) = enum[:-1], enum[-1]
        lo, hi = items[0][0], items[-1][1]
        named: dict[int, set[int]] = {}
        sums: dict[int, float] = {}
        for g, p, w in found:
            if ha <= p < he:
                named.setdefault(g, set()).update(range(len(items)))
            elif lo <= p < hi:
                for k, (a, e) in enumerate(items):
                    if a <= p < e:
                        named.setdefault(g, set()).add(k)
                        sums[g] = sums.get(g, 0.0) + w
                        break
        for g, ks in named.items():
            lw = weight(g)
            if lw != 1.0 and 2 * len(ks) < len(items):
                cuts[g] = cuts.get(g, 0.0) + (1.0 - lw) * sums[g]
    return cuts


def _match_sentence(code: Code, text: str, tokens: Sequence[str] | None, *, list_weight: float = 1.0) -> _Hit:
    """Weight of ``code`` in one sentence (terms, discounted in enumerations it is a minority of, see
    :func:`_enumerations`; + whole-token terms + sentence rules), or 0 when an exclusion term occurs."""
    if any(x in text for x in code.exclude):
        return _Hit(0.0, [])
    raw, found = 0.0, []
    if code.pattern is not None:
        enums = _enumerations(text) if list_weight != 1.0 else ()
        at: list[tuple[int, int, float]] = []
        for m in code.pattern.finditer(text):
            w = code.terms[m.group(0)]
            raw += w
            found.append(m.group(0))
            if enums:
                at.append((0, m.start(), w))
        if at:
            raw -= _list_cuts(enums, at, lambda g: list_weight).get(0, 0.0)
    if code.exact:
        toks = tokens if tokens is not None else _segment(text)
        for tok in toks:
            if tok in code.exact:
                raw += code.exact[tok]
                found.append(tok)
    for rule in code.rules:
        if rule.scope == "sentence" and _rule_holds(rule, text, tokens):
            raw += rule.weight
            found.append(f"[{rule.expr}]")
    return _Hit(raw, found)


def _rule_holds(rule: Rule, text: str, tokens: Sequence[str] | None) -> bool:
    assert rule.tree is not None
    toks = set(tokens) if tokens is not None else set()
    return rule.tree.evaluate({t: (t in text or t in toks) for t in rule.tree.terms()})


# --- fast matching: one scan per sentence for all codes of a scheme --------------------------------------------
#
# Speed: :func:`_match_sentence` is the definition of a code's weight in a sentence, but running it for every
# code on every sentence costs (codes x sentences) regex scans. :func:`_match_all` gives the same weights with
# one scan: a single alternation over the terms of all codes (longest first) finds, at each position where
# any term starts, the longest term L starting there; every term starting at that position is then a prefix
# of L (precomputed, flattened to (length, code, weight, term)), which yields the per-code candidates. Each
# code then keeps, as ``finditer`` over its own longest-first pattern does, the leftmost-longest
# non-overlapping matches.
# Per paragraph (:func:`_match_block`), work that does not depend on the sentence is done once: which
# whole-token terms and which sentence rules can apply at all (a rule is skipped when none of the terms it
# needs occurs in the paragraph, see :func:`_needs`), and where the language-layer tokens that can matter
# (whole-token terms, rule terms) start (:class:`_TokenIndex`, built only when such a term occurs), so a
# sentence's tokens are never materialised. Units (paragraph, section, document) reuse per paragraph and code
# the sum order, terms and best evidence candidates instead of re-sorting every hit of every unit.


@dataclass(slots=True)
class _SentenceRule:
    """A sentence-scope rule of code ``code``, compiled: ``need`` = terms of which one must occur for the rule
    to hold (None = no such guarantee, e.g. a rule that is a NOT)."""

    code: int
    rule: Rule
    test: _Test
    need: tuple[str, ...] | None


@dataclass(slots=True)
class _Index:
    """A scheme compiled for :func:`_match_all` (codes by position in ``scheme.codes``)."""

    names: tuple[str, ...]
    codes: tuple[Code, ...]
    pattern: re.Pattern[str] | None  # every term of every code, longest first
    # longest term at a position -> (length, code, weight, term) of each term that is a prefix of it, longest
    # first, codes in scheme order
    starts: dict[str, tuple[tuple[int, int, float, str], ...]]
    exact: dict[
        str, tuple[tuple[int, float], ...]
    ]  # whole-token term -> (code, weight), codes in scheme order
    excludes: tuple[tuple[str, ...], ...]  # per code
    sentence_rules: tuple[_SentenceRule, ...]  # in code order, then rule order
    token_terms: frozenset[str]  # terms looked up among tokens: whole-token terms and sentence rule terms
    paragraph_rules: tuple[tuple[int, Code, Rule], ...]
    list_weight: float = 1.0  # the scheme's (see _enumerations)


_INDEXES: dict[tuple[Any, ...], _Index] = {}


def _index_key(scheme: Scheme) -> tuple[Any, ...]:
    """Everything :class:`_Index` depends on, so an edited scheme gets a fresh index."""
    return (scheme.list_weight,) + tuple(
        (
            name,
            tuple(c.terms.items()),
            tuple(c.exact.items()),
            tuple(c.exclude),
            tuple((r.expr, r.scope, r.weight, id(r.tree)) for r in c.rules),
        )
        for name, c in scheme.codes.items()
    )


def _index(scheme: Scheme) -> _Index:
    """The compiled index of ``scheme`` (cached on the scheme's content)."""
    key = _index_key(scheme)
    ix = _INDEXES.get(key)
    if ix is None:
        if len(_INDEXES) > 64:
            _INDEXES.clear()
        ix = _INDEXES[key] = _build_index(scheme)
    return ix


def _prefix_table(
    owners: Mapping[str, list[tuple[int, float]]],
) -> tuple[list[str], dict[str, tuple[tuple[int, int, float, str], ...]]]:
    """Terms longest first, and for each term every term that is a prefix of it (itself included) as
    (length, code, weight, term): a match of the longest term at a position stands for all of them."""
    ordered = sorted(owners, key=lambda t: (-len(t), t))
    starts = {
        longest: tuple(
            (len(t), code, w, t)
            for t in ordered
            if len(t) <= len(longest) and longest.startswith(t)
            for code, w in owners[t]
        )
        for longest in ordered
    }
    return ordered, starts


def _build_index(scheme: Scheme) -> _Index:
    names = tuple(scheme.codes)
    codes = tuple(scheme.codes.values())
    owners: dict[str, list[tuple[int, float]]] = defaultdict(list)
    exact: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for ci, code in enumerate(codes):
        for term, weight in code.terms.items():
            if term:
                owners[term].append((ci, weight))
        for term, weight in code.exact.items():
            exact[term].append((ci, weight))
    ordered, starts = _prefix_table(owners)
    rules = tuple(
        _SentenceRule(ci, r, _test(r.tree), _needs(r.tree))
        for ci, c in enumerate(codes)
        for r in c.rules
        if r.scope == "sentence" and r.tree
    )
    return _Index(
        names,
        codes,
        _trie_pattern(ordered) if ordered else None,
        starts,
        {t: tuple(v) for t, v in exact.items()},
        tuple(tuple(c.exclude) for c in codes),
        rules,
        frozenset(exact).union(*(r.rule.tree.terms() for r in rules if r.rule.tree)),
        tuple((ci, c, r) for ci, c in enumerate(codes) for r in c.rules if r.scope == "paragraph"),
        scheme.list_weight,
    )


_Test = Callable[[Callable[[str], bool]], bool]


def _test(node: _Expr) -> _Test:
    """``node`` as a function of a term-presence test (short-circuiting; same truth value as evaluate)."""
    if node.op == "term":
        term = node.term
        return lambda has: has(term)
    subs = tuple(_test(a) for a in node.args)
    if node.op == "not":
        sub = subs[0]
        return lambda has: not sub(has)
    if node.op == "and":

        def every(has: Callable[[str], bool]) -> bool:
            for f in subs:
                if not f(has):
                    return False
            return True

        return every

    def some(has: Callable[[str], bool]) -> bool:
        for f in subs:
            if f(has):
                return True
        return False

    return some


def _needs(node: _Expr) -> tuple[str, ...] | None:
    """Terms of which at least one is present whenever ``node`` holds (None when the rule can hold with none of
    its terms present, as a NOT can): a term needs itself, OR needs what any branch needs, AND needs what its
    most selective branch needs. A paragraph without any of them cannot satisfy the rule in any sentence."""
    if node.op == "term":
        return (node.term,)
    if node.op == "not":
        return None
    subs = [_needs(a) for a in node.args]
    if node.op == "or":
        if any(s is None for s in subs):
            return None
        return tuple(dict.fromkeys(t for s in subs for t in s if s is not None))
    known = [s for s in subs if s is not None]
    return min(known, key=len) if known else None


def _trie_pattern(terms: Iterable[str]) -> re.Pattern[str]:
    """One regex matching, at a position, the longest of ``terms`` starting there (as the alternation of the
    terms longest first does), written as a character trie so the engine tries one branch per first
    character instead of one per term."""
    trie: dict[str, Any] = {}
    for term in terms:
        node = trie
        for ch in term:
            node = node.setdefault(ch, {})
        node[""] = {}

    def rx(node: dict[str, Any]) -> str:
        alts = [re.escape(ch) + rx(sub) for ch, sub in sorted(node.items()) if ch]
        if not alts:
            return ""
        body = alts[0] if len(alts) == 1 else "(?:" + "|".join(alts) + ")"
        if "" in node:  # a term ends here: try the longer terms first, greedily
            return "(?:" + body + ")?"
        return body

    return re.compile(rx(trie))


_GROUP_CHARS = 40


def _split_trie(terms: Sequence[str], *, group_chars: int = _GROUP_CHARS) -> tuple[re.Pattern[str], ...]:
    """:func:`_trie_pattern` of ``terms`` split into patterns of at most ``group_chars`` first characters.

    Speed: at a position whose character starts some term, Python's regex engine tries every top-level
    alternative of the trie (about 1 microsecond for 150 first characters) even though only one can match;
    several smaller tries, each scanned separately (a scan skips characters outside its first-character set
    cheaply), cost less in total. Every position is matched by at most one of the patterns, with the same
    longest term as the single trie."""
    firsts = sorted({t[0] for t in terms})
    n = max(1, -(-len(firsts) // group_chars))
    groups = [set(firsts[k::n]) for k in range(n)]
    return tuple(_trie_pattern([t for t in terms if t[0] in g]) for g in groups if g)


_Found = list[tuple[int, float, list[str]]]


def _scan(searches: Sequence[Callable[..., re.Match[str] | None]], text: str) -> list[tuple[int, str]]:
    """(position, longest term starting there) of every position of ``text`` where a term starts, in order
    (``searches`` = the ``search`` of each pattern of :func:`_split_trie`)."""
    at: list[tuple[int, str]] = []
    for search in searches:
        m = search(text)
        while m is not None:
            p = m.start()
            at.append((p, m.group()))
            m = search(text, p + 1)
    if len(searches) > 1:
        at.sort()  # positions are distinct: only the pattern of text[p]'s group can match at p
    return at


def _match_terms(ix: _Index, text: str) -> tuple[dict[int, float], dict[int, list[str]]]:
    """Raw weight and matched terms per code of the substring terms in ``text`` (codes without a match absent)."""
    raw: dict[int, float] = {}
    found: dict[int, list[str]] = {}
    if ix.pattern is None:
        return raw, found
    last: dict[int, int] = {}  # code -> end of its last match (non-overlapping, as finditer)
    search, starts = ix.pattern.search, ix.starts
    enums = _enumerations(text) if ix.list_weight != 1.0 else ()
    at: list[tuple[int, int, float]] = []
    m = search(text)
    while m is not None:
        p = m.start()
        for n, ci, weight, term in starts[m.group()]:
            if p >= last.get(ci, 0):
                last[ci] = p + n
                if enums:
                    at.append((ci, p, weight))
                if ci in raw:
                    raw[ci] += weight
                    found[ci].append(term)
                else:
                    raw[ci] = 0.0 + weight
                    found[ci] = [term]
        m = search(text, p + 1)
    if at:
        lw = ix.list_weight
        for ci, cut in _list_cuts(enums, at, lambda g: lw).items():
            raw[ci] -= cut
    return raw, found


def _finish(
    ix: _Index,
    text: str,
    raw: dict[int, float],
    found: dict[int, list[str]],
    exact_tokens: Sequence[str],
    rules: Sequence[_SentenceRule],
    has: Callable[[str], bool],
) -> _Found:
    """Add whole-token terms (``exact_tokens``: the sentence's tokens, or those of them that are whole-token
    terms, in order) and the ``rules`` that hold (``has`` = term presence) to the term matches; drop codes
    with an exclusion term in ``text``; (code, raw, terms) in scheme order."""
    exact = ix.exact
    for tok in exact_tokens:
        owners = exact.get(tok)
        if owners:
            for ci, weight in owners:
                raw[ci] = raw.get(ci, 0.0) + weight
                found.setdefault(ci, []).append(tok)
    for sr in rules:
        if sr.test(has):
            ci = sr.code
            raw[ci] = raw.get(ci, 0.0) + sr.rule.weight
            found.setdefault(ci, []).append(f"[{sr.rule.expr}]")
    excludes = ix.excludes
    out = []
    for ci in sorted(raw):
        ex = excludes[ci]
        if not ex or not any(x in text for x in ex):
            out.append((ci, raw[ci], found[ci]))
    return out


def _match_all(ix: _Index, text: str, tokens: Callable[[], Sequence[str]] | None, scope: str) -> _Found:
    """(code, raw, terms) of every code with a term or rule in the sentence ``text``, in scheme order; the
    same raw and terms as :func:`_match_sentence` (codes not listed have raw 0).

    ``tokens`` returns the sentence's language-layer tokens (each a substring of ``scope``, the paragraph
    text); None = no tokens (whole-token terms are segmented with jieba, rules see the text only).
    """
    raw, found = _match_terms(ix, text)
    exact_tokens: Sequence[str] = ()
    if ix.exact and any(t in (scope if tokens is not None else text) for t in ix.exact):
        exact_tokens = tokens() if tokens is not None else _segment(text)
    tokset: set[str] | None = None

    def has(term: str) -> bool:
        nonlocal tokset
        if term in text:
            return True
        if tokens is None or term not in scope:
            return False
        if tokset is None:
            tokset = set(tokens())
        return term in tokset

    return _finish(ix, text, raw, found, exact_tokens, ix.sentence_rules, has)


class _TokenIndex:
    """Where a paragraph's language-layer tokens that can matter (whole-token and rule terms) start.

    Tokens are placed in the paragraph as :func:`_sentence_tokens` places them (each found after the previous
    one; tokens not found are dropped); a sentence's tokens are those starting inside it. When the tokens
    spell the paragraph exactly (the usual case), their starts are running sums of their lengths.
    """

    __slots__ = ("positions", "starts", "tokens")

    def __init__(self, block: Block, tokens: Sequence[str], terms: frozenset[str]) -> None:
        self.starts: list[int] = []  # of the kept tokens, non-decreasing
        self.tokens: list[str] = []
        self.positions: dict[str, list[int]] = {}
        if terms.isdisjoint(tokens):
            return
        base, text = block.char_start, block.text
        if "".join(tokens) == text:
            pos = base
            for tok in tokens:
                if tok in terms:
                    self.starts.append(pos)
                    self.tokens.append(tok)
                pos += len(tok)
        else:
            pos, find = 0, text.find
            for tok in tokens:
                start = find(tok, pos)
                if start < 0:
                    continue
                if tok in terms:
                    self.starts.append(base + start)
                    self.tokens.append(tok)
                pos = start + len(tok)
        for p, tok in zip(self.starts, self.tokens, strict=True):
            self.positions.setdefault(tok, []).append(p)

    def within(self, start: int, end: int) -> list[str]:
        """The kept tokens starting in [start, end), in order."""
        if not self.starts:
            return []
        return self.tokens[bisect_left(self.starts, start) : bisect_left(self.starts, end)]

    def has(self, term: str, start: int, end: int) -> bool:
        """Whether a token equal to ``term`` starts in [start, end)."""
        ps = self.positions.get(term)
        if not ps:
            return False
        k = bisect_left(ps, start)
        return k < len(ps) and ps[k] < end


@dataclass(slots=True)
class _Bundle:
    """The schemes of one :func:`code_document` call compiled together, so every sentence is scanned once for
    the terms of all of them. Bundle code ``g`` is code ``g - offsets[k]`` of scheme ``k``; codes are numbered
    scheme by scheme, so bundle order is scheme order, then code order."""

    indexes: tuple[_Index, ...]
    offsets: tuple[int, ...]
    scheme_of: tuple[int, ...]  # g -> k
    patterns: tuple[
        re.Pattern[str], ...
    ]  # the terms of all schemes, split by first character (see _split_trie)
    starts: dict[str, tuple[tuple[int, int, float, str], ...]]  # longest term -> (length, g, weight, term)
    exact: dict[str, tuple[tuple[int, float], ...]]  # whole-token term -> (g, weight)
    excludes: tuple[tuple[str, ...], ...]  # per g
    rules: tuple[tuple[int, _SentenceRule], ...]  # (g, rule), in g order then rule order
    token_terms: frozenset[str]
    list_weights: tuple[float, ...] = ()  # per g: its scheme's list_weight


_BUNDLES: dict[tuple[int, ...], _Bundle] = {}


def _bundle(indexes: Sequence[_Index]) -> _Bundle:
    """The bundle of ``indexes`` (cached; a bundle keeps its indexes alive, so their ids stay unique)."""
    key = tuple(id(ix) for ix in indexes)
    b = _BUNDLES.get(key)
    if b is None:
        if len(_BUNDLES) > 64:
            _BUNDLES.clear()
        b = _BUNDLES[key] = _build_bundle(tuple(indexes))
    return b


def _build_bundle(indexes: tuple[_Index, ...]) -> _Bundle:
    offsets: list[int] = []
    scheme_of: list[int] = []
    for k, ix in enumerate(indexes):
        offsets.append(len(scheme_of))
        scheme_of.extend(k for _ in ix.codes)
    owners: dict[str, list[tuple[int, float]]] = defaultdict(list)  # term -> (g, weight), in g order
    exact: dict[str, list[tuple[int, float]]] = defaultdict(list)
    for k, ix in enumerate(indexes):
        for longest, entries in ix.starts.items():
            for n, ci, w, t in entries:
                if t == longest:
                    owners[t].append((offsets[k] + ci, w))
        for t, pairs in ix.exact.items():
            exact[t].extend((offsets[k] + ci, w) for ci, w in pairs)
    ordered, starts = _prefix_table(owners)
    return _Bundle(
        indexes,
        tuple(offsets),
        tuple(scheme_of),
        _split_trie(ordered),
        starts,
        {t: tuple(v) for t, v in exact.items()},
        tuple(x for ix in indexes for x in ix.excludes),
        tuple((offsets[k] + sr.code, sr) for k, ix in enumerate(indexes) for sr in ix.sentence_rules),
        frozenset().union(*(ix.token_terms for ix in indexes)),
        tuple(ix.list_weight for ix in indexes for _ in ix.codes),
    )


def _match_block(
    bundle: _Bundle, block: Block, sentences: Sequence[Sentence], tokens: Sequence[str] | None
) -> list[tuple[Sentence, _Found]]:
    """(sentence, [(g, raw, terms) of every bundle code with a positive weight, in g order]) of the sentences of
    a paragraph with a match; per scheme the same as :func:`_match_all`, with the paragraph-wide work done
    once (see the "fast matching" notes)."""
    out: list[tuple[Sentence, _Found]] = []
    if not sentences:
        return out
    btext, base = block.text, block.char_start
    # the paragraph-wide shortcuts assume (as the cleaning stage guarantees) that sentences are slices of it
    sliced = all(s.char_start >= base and btext.startswith(s.text, s.char_start - base) for s in sentences)
    exact = bundle.exact
    exact_on = bool(exact) and (not sliced or any(t in btext for t in exact))
    rules = tuple(
        gr for gr in bundle.rules if not sliced or gr[1].need is None or any(t in btext for t in gr[1].need)
    )
    where: _TokenIndex | None = None
    if tokens is not None and (exact_on or rules):
        where = _TokenIndex(block, tokens, bundle.token_terms)
    starts, excludes = bundle.starts, bundle.excludes
    searches = [p.search for p in bundle.patterns]
    lws = bundle.list_weights
    lists_on = any(w != 1.0 for w in lws) and "、" in btext
    extra = exact_on or bool(rules)
    if sliced:  # one scan of the paragraph; each sentence takes the matches starting inside it
        in_block = _scan(searches, btext)
        if not in_block and not extra:
            return out
        positions = [p for p, _ in in_block]
    for s in sentences:
        text = s.text
        if sliced:
            a = s.char_start - base
            e = a + len(text)
            at = in_block[bisect_left(positions, a) : bisect_left(positions, e)]
        else:
            at, e = _scan(searches, text), len(text)
        if not at and not extra:
            continue
        raw: dict[int, float] = {}
        found: dict[int, list[str]] = {}
        if at:
            last: dict[int, int] = {}  # code -> end of its last match (non-overlapping, as finditer)
            enums = _enumerations(text) if lists_on else ()
            shift = a if sliced else 0  # positions in the sentence
            listed: list[tuple[int, int, float]] = []
            for p, longest in at:
                entries = starts[longest]
                if p + len(longest) > e:  # runs past the sentence: only the terms that end inside it
                    entries = tuple(x for x in entries if p + x[0] <= e)
                for n, g, weight, term in entries:
                    if p >= last.get(g, 0):
                        last[g] = p + n
                        if enums:
                            listed.append((g, p - shift, weight))
                        if g in raw:
                            raw[g] += weight
                            found[g].append(term)
                        else:
                            raw[g] = 0.0 + weight
                            found[g] = [term]
            if listed:
                for g, cut in _list_cuts(enums, listed, lws.__getitem__).items():
                    raw[g] -= cut
        if exact_on:
            if where is not None:
                toks: Sequence[str] = where.within(s.char_start, s.char_end)
            else:
                toks = _segment(text) if any(t in text for t in exact) else ()
            for tok in toks:
                owners = exact.get(tok)
                if owners:
                    for g, weight in owners:
                        raw[g] = raw.get(g, 0.0) + weight
                        found.setdefault(g, []).append(tok)
        if rules:
            cs, ce = s.char_start, s.char_end

            def has(term: str, text: str = text, cs: int = cs, ce: int = ce) -> bool:
                if term in text:
                    return True
                return where is not None and term in btext and where.has(term, cs, ce)

            for g, sr in rules:
                if sr.test(has):
                    raw[g] = raw.get(g, 0.0) + sr.rule.weight
                    found.setdefault(g, []).append(f"[{sr.rule.expr}]")
        if not raw:
            continue
        hits = []
        for g in sorted(raw):
            r = raw[g]
            if r > 0:
                ex = excludes[g]
                if not ex or not any(x in text for x in ex):
                    hits.append((g, r, found[g]))
        if hits:
            out.append((s, hits))
    return out


def _never(term: str) -> bool:
    return False


def _sentence_tokens(
    sentences: Sequence[Sentence], block: Block, tokens: Sequence[str] | None
) -> list[list[str] | None]:
    """Split a paragraph's tokens among its sentences by character offsets (None when no tokens)."""
    if tokens is None:
        return [None] * len(sentences)
    starts: list[int] = []
    toks: list[str] = []
    pos, find, base = 0, block.text.find, block.char_start
    for tok in tokens:
        start = find(tok, pos)
        if start < 0:
            continue
        starts.append(base + start)  # non-decreasing, so a sentence's tokens are one slice
        toks.append(tok)
        pos = start + len(tok)
    return [toks[bisect_left(starts, s.char_start) : bisect_left(starts, s.char_end)] for s in sentences]


def _unit_sentences(document: Document) -> dict[int, list[Sentence]]:
    """Sentences per block; a block without sentences (heading, table) is one sentence."""
    by_para: dict[int, list[Sentence]] = defaultdict(list)
    for s in document.sentences:
        by_para[s.para].append(s)
    for b in document.blocks:
        if b.idx not in by_para and b.text.strip():
            by_para[b.idx] = [Sentence(b.idx, 0, b.text, b.char_start, b.char_end)]
    return by_para


def _per_1000(raw: float, chars: int, scheme: Scheme, level: str) -> float:
    floor = 1 if level == "sentence" else scheme.min_chars
    return round(raw * 1000.0 / max(chars, floor), 4)


def _hit_key(h: tuple[float, int, str]) -> tuple[float, int]:
    return (-h[0], h[1])


def _hit_pos(h: tuple[float, int, str]) -> int:
    return h[1]


def _evidence(hits: list[tuple[float, int, str]], n: int) -> list[str]:
    """The ``n`` heaviest matching sentences, in document order."""
    best = sorted(hits, key=_hit_key)[:n]
    return [text for _, _, text in sorted(best, key=_hit_pos)]


def code_document(
    document: Document,
    schemes: Mapping[str, Scheme] | Scheme,
    *,
    tokens: Mapping[int, Sequence[str]] | None = None,
) -> list[ThemeLabel]:
    """Code one document with every scheme; return ThemeLabel rows for every unit with a positive weight.

    ``tokens`` maps a paragraph (block idx) to its tokens from the language layer; without it, substring
    matching is used and whole-token terms are segmented with jieba. Pure: safe in worker processes.
    Rows come scheme by scheme: sentence rows in document order, then paragraph, section and document rows.
    """
    if isinstance(schemes, Scheme):
        schemes = {schemes.name: schemes}
    lay = _Layout.of(document)
    indexes = [_index(s) for s in schemes.values()]
    bundle = _bundle(indexes)
    coders = [
        _Coder(document, scheme, ix, lay, offset)
        for scheme, ix, offset in zip(schemes.values(), indexes, bundle.offsets, strict=True)
    ]
    scheme_of = bundle.scheme_of
    single = len(coders) == 1
    path: tuple[str, ...] = ()
    section, heading = "", ""
    for b in document.blocks:
        if b.idx in lay.head_at:
            path = lay.head_at[b.idx].path
            section = " > ".join(path)
            heading = path[-1] if path else ""
        btoks = tokens.get(b.idx) if tokens is not None else None
        for s, hits in _match_block(bundle, b, lay.sents.get(b.idx, ()), btoks):
            if single:
                coders[0].sentence(b, s, hits, 0, len(hits), section, heading)
                continue
            k0, first = scheme_of[hits[0][0]], 0  # hits are in bundle order: one run per scheme
            for j in range(1, len(hits)):
                k = scheme_of[hits[j][0]]
                if k != k0:
                    coders[k0].sentence(b, s, hits, first, j, section, heading)
                    k0, first = k, j
            coders[k0].sentence(b, s, hits, first, len(hits), section, heading)
        for c in coders:
            c.end_block(b, btoks)
    out: list[ThemeLabel] = []
    for c in coders:
        out.extend(c.rows)
        out.extend(c.unit_rows())
    return out


@dataclass(slots=True)
class _Layout:
    """What every scheme needs of a document's structure: sentences per block, blocks by idx, the outline
    (headings, the heading starting at a block) and the sections with their blocks."""

    sents: dict[int, list[Sentence]]
    blocks: dict[int, Block]
    heads: list[Heading]
    head_at: dict[int, Heading]
    sections: list[tuple[Heading, list[int]]]
    order: dict[int, int]  # block idx -> position in document.blocks
    prefix: list[int]  # prefix[k] = characters of the first k blocks
    span: dict[int, tuple[int, int]]  # block idx -> lowest and highest position a hit in it can have

    def chars(self, idxs: Sequence[int]) -> int:
        """Characters of the blocks ``idxs`` (a run of consecutive blocks in O(1), as units always are)."""
        first, last = self.order[idxs[0]], self.order[idxs[-1]]
        if last - first + 1 == len(idxs):
            return self.prefix[last + 1] - self.prefix[first]
        return sum(len(self.blocks[i].text) for i in idxs)

    @classmethod
    def of(cls, document: Document) -> _Layout:
        heads = outline(document)
        head_at: dict[int, Heading] = {}
        for h in heads:
            head_at.setdefault(h.idx, h)
        prefix = [0]
        for b in document.blocks:
            prefix.append(prefix[-1] + len(b.text))
        sents = _unit_sentences(document)
        span = {}
        for b in document.blocks:
            starts = [s.char_start for s in sents.get(b.idx, ())]
            span[b.idx] = (min(starts, default=b.char_start), max(starts, default=b.char_start))
            span[b.idx] = (min(span[b.idx][0], b.char_start), max(span[b.idx][1], b.char_start))
        return cls(
            sents,
            {b.idx: b for b in document.blocks},
            heads,
            head_at,
            _sections(heads, document.blocks),
            {b.idx: k for k, b in enumerate(document.blocks)},
            prefix,
            span,
        )


class _CodeHits:
    """One code's sentence (and paragraph-rule) hits in one paragraph: (raw, position, text) in document order,
    their terms, and (on first use) the paragraph's best evidence candidates."""

    __slots__ = ("hits", "terms", "top")

    def __init__(self) -> None:
        self.hits: list[tuple[float, int, str]] = []
        self.terms: list[str] = []
        self.top: list[tuple[float, int, str]] | None = None

    def best(self, n: int) -> list[tuple[float, int, str]]:
        """The ``n`` heaviest hits ordered as :func:`_evidence` ranks them: the best of any run of paragraphs
        is among the best of each of its paragraphs, so units merge these instead of sorting every hit."""
        if self.top is None:
            self.top = sorted(self.hits, key=_hit_key)[:n]
        return self.top


class _Coder:
    """The rows of one scheme in one document: sentence rows as the paragraphs are matched
    (:meth:`sentence`), the hits kept per paragraph and code (:meth:`end_block`), then the paragraph, section
    and document rows (:meth:`unit_rows`)."""

    def __init__(self, document: Document, scheme: Scheme, ix: _Index, lay: _Layout, offset: int = 0) -> None:
        self.document, self.scheme, self.ix, self.lay = document, scheme, ix, lay
        self.offset = offset  # bundle code of the scheme's first code
        self.doc, self.name = document.doc, scheme.name
        self.groups = tuple(c.group for c in ix.codes)
        self.with_sentences = "sentence" in scheme.levels
        self.sent_raw = scheme.min_raw.get("sentence", 2.0)
        self.sent_score_ok = 0.0 >= scheme.min_score.get("sentence", 0.0)
        self.rows: list[ThemeLabel] = []
        self.para_hits: dict[int, dict[int, _CodeHits]] = {}  # block -> code -> its hits there
        self.bh: dict[int, _CodeHits] = {}  # the current block's

    def sentence(
        self, b: Block, s: Sentence, hits: _Found, lo: int, hi: int, section: str, heading: str
    ) -> None:
        """Rows and kept hits of one sentence: ``hits[lo:hi]`` = (bundle code, raw > 0, terms) of this scheme's
        codes, in code order."""
        off = self.offset
        best = None
        if self.scheme.exclusive:
            best = max(hits[lo:hi], key=_raw_of)[0] - off
        bh, names, groups = self.bh, self.ix.names, self.groups
        text, start = s.text, s.char_start
        for j in range(lo, hi):
            g, raw, terms = hits[j]
            ci = g - off
            ch = bh.get(ci)
            if ch is None:
                ch = bh[ci] = _CodeHits()
            ch.hits.append((raw, start, text))
            ch.terms.extend(terms)
            if self.with_sentences:
                self.rows.append(
                    ThemeLabel(
                        self.doc,
                        self.name,
                        "sentence",
                        names[ci],
                        groups[ci],
                        round(raw * 1000.0 / max(len(text), 1), 4),
                        raw,
                        raw >= self.sent_raw and self.sent_score_ok and (best is None or ci == best),
                        section,
                        heading,
                        b.idx,
                        s.idx,
                        sorted(set(terms)) if len(terms) > 1 else [terms[0]],
                        [text],
                        start,
                        s.char_end,
                    )
                )

    def end_block(self, b: Block, btoks: Sequence[str] | None) -> None:
        """Paragraph-scope rules of the block, then keep its hits."""
        bh = self.bh
        for ci, code, rule in self.ix.paragraph_rules:
            excluded = any(x in b.text for x in code.exclude)
            if not excluded and _rule_holds(rule, b.text, btoks):
                ch = bh.get(ci)
                if ch is None:
                    ch = bh[ci] = _CodeHits()
                ch.hits.append((rule.weight, b.char_start, b.text))
                ch.terms.append(f"[{rule.expr}]")
        if bh:
            self.para_hits[b.idx] = bh
            self.bh = {}

    def unit_rows(self) -> list[ThemeLabel]:
        scheme, document = self.scheme, self.document
        out: list[ThemeLabel] = []
        if "paragraph" in scheme.levels:
            for b in document.blocks:
                if b.idx in self.para_hits and b.kind != "heading":
                    out.extend(
                        self._unit(
                            "paragraph",
                            [b.idx],
                            None,
                            " > ".join(b.section),
                            b.section[-1] if b.section else "",
                            b.idx,
                            b.char_start,
                            b.char_end,
                        )
                    )
        if "section" in scheme.levels:
            out.extend(self._section_rows())
        if "document" in scheme.levels and document.blocks:
            out.extend(
                self._unit(
                    "document", [b.idx for b in document.blocks], None, "", "", None, 0, len(document.text)
                )
            )
        return out

    def _section_rows(self) -> list[ThemeLabel]:
        """Section rows. raw, score and evidence are those of the whole section (subsections included); the
        label of a section with subsections is the union of its subsections' labels and of the labels its own
        text (heading + text before the first subsection) earns as a unit. Why: a parent section is about
        what its parts are about; judged as one long unit it either collects every passing mention of its
        parts (low threshold) or, under a density threshold, loses themes that only one part develops."""
        lay = self.lay
        sections = lay.sections
        levels = [h.level for h, _ in sections]
        rows: list[list[ThemeLabel]] = []
        labels: list[set[str]] = [set() for _ in sections]
        ends: list[int] = []
        for k, (head, members) in enumerate(sections):
            inside = set(members)
            e = k + 1
            while e < len(sections) and levels[e] > levels[k] and sections[e][0].idx in inside:
                e += 1
            ends.append(e)
            args = (
                " > ".join(head.path),
                head.text,
                head.idx,
                head.char_start,
                lay.blocks[members[-1]].char_end,
            )
            whole = self._unit("section", members, head, *args)
            rows.append(whole)
            if e == k + 1:  # no subsections: the section's own threshold decides
                labels[k] = {r.code for r in whole if r.labelled}
                continue
            first_child = sections[k + 1][0].idx
            own = members[: members.index(first_child)] if first_child in members else []
            if own:
                labels[k] = {r.code for r in self._unit("section", own, head, *args) if r.labelled}
        for k in range(len(sections) - 1, -1, -1):  # children before parents: unions propagate upwards
            for j in range(k + 1, ends[k]):
                labels[k] |= labels[j]
        out: list[ThemeLabel] = []
        for k, whole in enumerate(rows):
            for r in whole:
                r.labelled = r.code in labels[k]
            out.extend(whole)
        return out

    def _unit(
        self,
        level: str,
        idxs: list[int],
        head: Heading | None,
        section: str,
        heading: str,
        paragraph: int | None,
        start: int,
        end: int,
    ) -> list[ThemeLabel]:
        """Rows of one unit (a run of blocks): per code, raw = its hits summed one by one in document order (a
        hit in the section's own heading counts ``heading_weight`` times), evidence, terms."""
        scheme, lay, para_hits = self.scheme, self.lay, self.para_hits
        n_ev, hw = scheme.max_evidence, scheme.heading_weight
        acc: dict[int, tuple[list[float], list[tuple[float, int, str]], set[str]]] = {}
        for i in idxs:
            ph = para_hits.get(i)
            if not ph:
                continue
            weigh = False
            if head is not None:
                lo, hi = lay.span[i]
                weigh = i == head.idx or (lo < head.char_end and hi >= head.char_start)
            for ci, ch in ph.items():
                a = acc.get(ci)
                if a is None:
                    a = acc[ci] = ([0.0], [], set())
                total, cands, terms = a
                if weigh:
                    assert head is not None
                    cut = i == head.idx
                    weighted = []
                    for r, pos, t in ch.hits:
                        if cut and pos < head.char_start:
                            continue  # text of the block before a run-in heading belongs to the previous section
                        inside = head.char_start <= pos < head.char_end
                        r *= hw if inside else 1.0
                        total[0] += r
                        weighted.append((r, pos, t))
                    cands.extend(sorted(weighted, key=_hit_key)[:n_ev])
                else:
                    t = total[0]
                    for h in ch.hits:
                        t += h[0]
                    total[0] = t
                    cands.extend(ch.best(n_ev))
                terms.update(ch.terms)
        if not acc:
            return []
        chars = lay.chars(idxs)
        if head is not None and idxs:  # a run-in section starts at its heading, not at the block start
            chars -= head.char_start - lay.blocks[idxs[0]].char_start
        names, groups = self.ix.names, self.groups
        rows = []
        for ci in sorted(acc):
            total, cands, terms = acc[ci]
            raw = total[0]
            if raw <= 0:
                continue
            score = _per_1000(raw, chars, scheme, level)
            rows.append(
                ThemeLabel(
                    self.doc,
                    self.name,
                    level,
                    names[ci],
                    groups[ci],
                    score,
                    round(raw, 4),
                    scheme.labelled(level, raw, score),
                    section,
                    heading,
                    paragraph,
                    None,
                    sorted(terms),
                    _evidence(cands, n_ev),
                    start,
                    end,
                )
            )
        return rows


def _raw_of(hit: tuple[int, float, list[str]]) -> float:
    return hit[1]


# --- outline: headings, including run-in headings ----------------------------------------------------------------


@dataclass(slots=True)
class Heading:
    """A section start: a heading block, a short headline paragraph, or a run-in heading (the short first
    sentence of a paragraph, e.g. "加强顶层设计与政策支持。…" or "第一，加快完善政策体系。…")."""

    idx: int  # block where the section starts
    text: str
    level: int
    char_start: int
    char_end: int
    kind: str = "heading"  # heading | headline | run-in
    path: tuple[str, ...] = ()


_END = "。！？；!?;"
# the two numberings of sub-point titles: （一） / (3), and 1. / 2、 (not the 1.5 of a number)
_BRACKET_NUM = r"[（(](?:[一二三四五六七八九十]+|\d{1,2})[）)]"
_ARABIC_NUM = r"\d{1,2}[.．、](?!\d)"
_ORDINAL = re.compile(
    r"^(?:第[一二三四五六七八九十\d]+|[一二三四五六七八九十]+是|首先|其次|再次|最后|[（(][一二三四五六七八九十\d]+[）)]"
    rf"|{_ARABIC_NUM})[，,、：:]?"
)
# a numbered sub-point title that ends in a colon and lists its items (（一）知识产权保护方面5项：A；B；C。)
_COLON_TITLE = re.compile(rf"^(?:{_BRACKET_NUM}|{_ARABIC_NUM})[^，,。；;：:]{{4,30}}[：:]")
_NOT_TITLE = re.compile(r"[（()）：:《》“”\"\d%]")


_BRACKET_ORDINAL = re.compile("^" + _BRACKET_NUM)
_BRACKETED_MAX = 50


_ARABIC_ORDINAL = re.compile("^" + _ARABIC_NUM)


def _same_numbering(a: str, b: str) -> bool:
    """Whether two titles open with the same kind of ordinal (（一） and （四）, 1. and 2.)."""
    return bool(
        (_BRACKET_ORDINAL.match(a) and _BRACKET_ORDINAL.match(b))
        or (_ARABIC_ORDINAL.match(a) and _ARABIC_ORDINAL.match(b))
    )


def _title_like(text: str, *, max_chars: int) -> bool:
    """Short, no inner comma (an ordinal prefix may carry one), no brackets/quotes/colons/digits, not a question.

    A first sentence opened by a bracketed Chinese ordinal ("（三）推动工业稳健运行、结构优化，全球先进制造业基地
    建设扎实推进。") is a numbered sub-point title as government work reports write them: it may be up to
    ``_BRACKETED_MAX`` characters long, carry commas, quotes and figures."""
    if _BRACKET_ORDINAL.match(text.strip()):
        body = _BRACKET_ORDINAL.sub("", text.strip()).rstrip(_END)
        return 4 <= len(body) <= _BRACKETED_MAX and not re.search(r"[。；;？?！!：:]", body)
    body = _ORDINAL.sub("", text.strip()).rstrip(_END)
    if not (4 <= len(body) <= max_chars) or text.strip().endswith(("？", "?")):
        return False
    # a bold lead of a government work report may join two aims with 、 or quote a name (深化川渝相互赋能、一体发展,
    # 打造新时代更高水平“天府粮仓”); commas, colons, brackets and digits still mark a sentence
    return not re.search(r"[，,；;。]", body) and not _NOT_TITLE.search(body.replace("“", "").replace("”", ""))


def outline(document: Document, *, run_in: bool = True, max_chars: int = 20) -> list[Heading]:
    """The section headings of a document in order, with levels and heading paths.

    Heading blocks come from the structure stage. With ``run_in`` (policy papers and newspaper panels title
    their sub-points inside the paragraph) two more kinds are added: a *headline* = a short prose block that
    reads as a title (no sentence end, <= ``max_chars``, no comma, not a question), a sibling of the previous
    heading; a *run-in heading* = the short, title-like first sentence of a prose block, one level below the
    current heading, when body text follows it. A block cut mid-heading by line wrapping ("第一，加快完善政策体" + "系。推动…") is joined.
    """
    by_para: dict[int, list[Sentence]] = defaultdict(list)
    for s in document.sentences:
        by_para[s.para].append(s)
    blocks = document.blocks
    heads: list[Heading] = []
    stack: list[Heading] = []
    current = 0  # level of the last real heading or headline
    current_text = ""  # and its text
    numbered = 0  # level of the last run-in opened by a bracketed ordinal ((一)…), 0 when none since `current`
    skip: set[int] = set()

    def run_in_level(title: str) -> int:
        """（一）X。 is one level below the current heading; the unnumbered run-ins after it (做实项目支撑…。) are
        its sub-points, one level further down, as government work reports lay them out."""
        nonlocal numbered
        level = current + 1 if current else 1
        if current and _same_numbering(title, current_text):
            level = current  # （五）X after the heading （四）Y: a sibling, not a sub-point
        if _BRACKET_ORDINAL.match(title):
            numbered = level
            return level
        return numbered + 1 if numbered else level

    def push(h: Heading) -> None:
        while stack and stack[-1].level >= h.level:
            stack.pop()
        h.path = tuple(x.text for x in stack) + (h.text,)
        stack.append(h)
        heads.append(h)

    for i, b in enumerate(blocks):
        if b.idx in skip:
            continue
        if b.kind == "heading":
            current = b.level or 1
            current_text = b.text.strip()
            numbered = 0
            push(Heading(b.idx, b.text.strip(), current, b.char_start, b.char_end, "heading"))
            continue
        if not run_in or b.kind != "prose":
            continue
        text = b.text.strip()
        nxt = blocks[i + 1] if i + 1 < len(blocks) else None
        first = by_para.get(b.idx, [])[:1]
        if not text or text[-1] not in _END and len(text) <= max_chars:
            # a fragment: joined with the first sentence of the next block, or a headline on its own
            nfirst = by_para.get(nxt.idx, [])[:1] if nxt is not None and nxt.kind == "prose" else []
            joined = text + (nfirst[0].text if nfirst else "")
            if nfirst and joined.endswith(("？", "?")):
                continue  # part of a question (a moderator's question is not a heading)
            if (
                nfirst
                and nfirst[0].text[-1:] in _END
                and _title_like(joined, max_chars=max_chars + 4)
                and len(nfirst[0].text) <= 8
            ):
                level = run_in_level(joined)
                push(Heading(b.idx, joined.rstrip(_END), level, b.char_start, nfirst[0].char_end, "run-in"))
                continue
            if _title_like(text, max_chars=max_chars):
                current = current or 1
                numbered = 0
                push(Heading(b.idx, text, current, b.char_start, b.char_end, "headline"))
            continue
        body_follows = len(by_para.get(b.idx, [])) > 1 or (nxt is not None and nxt.kind == "prose")
        colon = _COLON_TITLE.match(text) if first else None
        if colon and len(text) > colon.end() + 4:
            level = run_in_level(colon.group())
            start = first[0].char_start
            push(Heading(b.idx, colon.group()[:-1], level, start, start + colon.end() - 1, "run-in"))
            continue
        if (
            first
            and body_follows
            and first[0].text[-1:] in _END
            and _title_like(first[0].text, max_chars=max_chars)
        ):
            level = run_in_level(first[0].text)
            push(
                Heading(
                    b.idx, first[0].text.rstrip(_END), level, first[0].char_start, first[0].char_end, "run-in"
                )
            )
    return heads


# A speaker's turn in an interview or expert panel: "苏庆义（中国社会科学院…研究员）：…"
_SPEAKER = re.compile(r"^[\u4e00-\u9fff·]{2,5}[（(][^（）()]{2,40}[）)][：:]")


def _speaker_breaks(heads: Sequence[Heading], blocks: Sequence[Block]) -> list[int]:
    """Positions (in ``blocks``) where an untitled section starts: a speaker's turn that does not directly
    follow a heading. In a panel each expert answers under their own headline; when the extraction lost a
    headline, the next expert's answer is not part of the previous expert's last section."""
    starts = {h.idx for h in heads}
    out = []
    for i, b in enumerate(blocks):
        if (
            i
            and b.kind == "prose"
            and b.idx not in starts
            and blocks[i - 1].idx not in starts
            and _SPEAKER.match(b.text.lstrip())
        ):
            out.append(i)
    return out


def _sections(heads: Sequence[Heading], blocks: Sequence[Block]) -> list[tuple[Heading, list[int]]]:
    """Each heading with the blocks of its section: from its block up to the next heading of the same or a
    higher level (so a parent section includes its subsections), or up to an untitled speaker's turn
    (:func:`_speaker_breaks`), which closes every open section."""
    order = {b.idx: i for i, b in enumerate(blocks)}
    breaks = _speaker_breaks(heads, blocks)
    out = []
    for k, h in enumerate(heads):
        end = len(blocks)
        for nxt in heads[k + 1 :]:
            if nxt.level <= h.level:
                end = order[nxt.idx]
                break
        cut = bisect_left(breaks, order[h.idx] + 1)
        if cut < len(breaks):
            end = min(end, breaks[cut])
        members = [b.idx for b in blocks[order[h.idx] : end]]
        out.append((h, members or [h.idx]))
    return out


# --- plain text ------------------------------------------------------------------------------------------------

_SENT_END = re.compile(r"[^。！？；!?;\n]*(?:[。！？；!?;]+[”’」』）)]*|\n|$)")


def _split_sentences(text: str, offset: int, para: int) -> list[Sentence]:
    out = []
    for m in _SENT_END.finditer(text):
        chunk = m.group(0)
        if not chunk.strip():
            continue
        lead = len(chunk) - len(chunk.lstrip())
        body = chunk.strip()
        start = offset + m.start() + lead
        out.append(Sentence(para, len(out), body, start, start + len(body)))
    return out


def document_from_text(text: str, *, doc: str = "text") -> Document:
    """A minimal Document from plain text: one prose block per non-empty line, sentences split on 。！？；.

    For coding loose text (hand-label files, quick document-level runs) without the cleaning stage.
    """
    blocks, sentences, parts, pos = [], [], [], 0
    for line in (ln.strip() for ln in text.splitlines()):
        if not line:
            continue
        if parts:
            pos += 1  # the "\n" joining blocks
        idx = len(blocks)
        blocks.append(Block(idx, "prose", line, (), None, None, pos, pos + len(line)))
        sentences.extend(_split_sentences(line, pos, idx))
        parts.append(line)
        pos += len(line)
    joined = "\n".join(parts)
    return Document(doc, "", "", len(joined.encode()), joined, blocks, sentences)


def code_text(text: str, schemes: Mapping[str, Scheme] | Scheme, *, doc: str = "text") -> list[ThemeLabel]:
    """:func:`code_document` over plain text (see :func:`document_from_text`)."""
    return code_document(document_from_text(text, doc=doc), schemes)


def label_texts(texts: Iterable[str], scheme: Scheme) -> list[list[str]]:
    """The labels of each text taken as one unit at sentence level: for an exclusive scheme the best code's
    group (e.g. ["supply"]), otherwise every labelled code (e.g. ["talent", "infrastructure"])."""
    if scheme.exclusive:
        return [[g] if g else [] for g in code_sentences(texts, scheme)]
    out = []
    for text in texts:
        raws = _sentence_raws(scheme, text)
        out.append(
            [
                n
                for n, raw in sorted(raws.items(), key=lambda kv: -kv[1])
                if scheme.labelled("sentence", raw, 0.0)
            ]
        )
    return out


def _sentence_raws(scheme: Scheme, text: str) -> dict[str, float]:
    """The raw weight of every code of ``scheme`` in ``text`` taken as one sentence (0 when absent)."""
    ix = _index(scheme)
    raws = dict.fromkeys(ix.names, 0.0)
    for ci, raw, _ in _match_all(ix, text, None, text):
        raws[ix.names[ci]] = raw
    return raws


def code_sentences(texts: Iterable[str], scheme: Scheme) -> list[str | None]:
    """The label of each text taken as one sentence: the best labelled code's group (None when none).

    This is clause-level coding for instruments (a label is the instrument type: supply / environment /
    demand) and a quick check of a scheme against hand-labelled sentences.
    """
    out: list[str | None] = []
    for text in texts:
        ok = {
            n: raw for n, raw in _sentence_raws(scheme, text).items() if scheme.labelled("sentence", raw, 0.0)
        }
        out.append(scheme.codes[max(ok, key=lambda n: ok[n])].group if ok else None)
    return out


# --- corpus-level tables ---------------------------------------------------------------------------------------


def doc_theme_matrix(frame: pd.DataFrame, *, scheme: str = "themes", value: str = "score") -> pd.DataFrame:
    """Document x code matrix of document-level ``score`` (or ``raw``, or ``labelled`` as 0/1); 0 when absent."""
    df = frame[(frame["scheme"] == scheme) & (frame["level"] == "document")]
    if df.empty:
        return pd.DataFrame()
    vals = df.assign(_v=df[value].astype(float))
    return vals.pivot_table(index="doc", columns="code", values="_v", aggfunc="sum", fill_value=0.0)


def section_labels(frame: pd.DataFrame, *, scheme: str = "themes", level: str = "section") -> pd.DataFrame:
    """One row per section (or paragraph): doc, heading, section, themes (labelled codes, heaviest first),
    scores ({code: score} of every code with a weight)."""
    df = frame[(frame["scheme"] == scheme) & (frame["level"] == level)]
    cols = ["doc", "heading", "section", "paragraph", "themes", "scores"]
    if df.empty:
        return pd.DataFrame(columns=cols)
    rows = []
    for (doc, para), g in df.groupby(["doc", "paragraph"], sort=False):
        g = g.sort_values("raw", ascending=False)
        rows.append(
            {
                "doc": doc,
                "heading": g["heading"].iloc[0],
                "section": g["section"].iloc[0],
                "paragraph": int(para),
                "themes": [c for c, ok in zip(g["code"], g["labelled"], strict=True) if ok],
                "scores": {c: float(s) for c, s in zip(g["code"], g["score"], strict=True)},
            }
        )
    return pd.DataFrame(rows, columns=cols).sort_values(["doc", "paragraph"], ignore_index=True)


def theme_by_year(
    frame: pd.DataFrame, documents: pd.DataFrame, *, scheme: str = "themes", bin_years: int = 1
) -> pd.DataFrame:
    """Year (or ``bin_years``-wide bin, e.g. 10 for decades) x code: mean document score; documents without a
    weight count as 0. ``documents`` needs columns doc and year."""
    mat = doc_theme_matrix(frame, scheme=scheme)
    docs = documents.dropna(subset=["year"])[["doc", "year"]].drop_duplicates("doc").set_index("doc")
    mat = mat.reindex(docs.index, fill_value=0.0)
    period = (docs["year"].astype(int) // bin_years) * bin_years
    return mat.groupby(period.rename("year")).mean().round(4)


def theme_by_region(
    frame: pd.DataFrame, regions: Mapping[str, str | None], *, scheme: str = "themes"
) -> pd.DataFrame:
    """Region x code: mean document score; ``regions`` maps doc -> region (see :func:`detect_region`)."""
    mat = doc_theme_matrix(frame, scheme=scheme)
    reg = pd.Series({d: r for d, r in regions.items() if r}, name="region")
    mat = mat.reindex(reg.index, fill_value=0.0)
    return mat.groupby(reg).mean().round(4)


def cooccurrence_matrix(
    frame: pd.DataFrame, *, scheme: str = "themes", level: str = "section"
) -> pd.DataFrame:
    """Code x code: number of units (sections by default) labelled with both codes; the diagonal = units."""
    df = frame[(frame["scheme"] == scheme) & (frame["level"] == level) & frame["labelled"].astype(bool)]
    unit_cols = ["doc", "paragraph", "sentence"] if level == "sentence" else ["doc", "paragraph"]
    units = df.groupby(unit_cols, dropna=False)["code"].apply(lambda s: sorted(set(s)))
    codes = sorted(set(df["code"]))
    mat = pd.DataFrame(0, index=codes, columns=codes)
    for cs in units:
        for a in cs:
            for b in cs:
                mat.loc[a, b] += 1
    return mat


def instrument_crosstab(
    frame: pd.DataFrame,
    *,
    by: str = "doc",
    scheme: str = "instruments",
    detail: bool = False,
    documents: pd.DataFrame | None = None,
    themes_scheme: str = "themes",
) -> pd.DataFrame:
    """Counts of labelled instrument sentences: instrument (``group``, or sub-``code`` with ``detail``) x
    ``by`` = "doc" | "year" (needs ``documents`` with doc, year) | "theme" (the theme codes of the same
    sentence, from the ``themes_scheme`` sentence rows of ``frame``)."""
    col = "code" if detail else "group"
    inst = frame[
        (frame["scheme"] == scheme) & (frame["level"] == "sentence") & frame["labelled"].astype(bool)
    ]
    if by == "doc":
        return pd.crosstab(inst[col], inst["doc"])
    if by == "year":
        if documents is None:
            raise ValueError("instrument_crosstab(by='year') needs documents (doc, year)")
        years = documents.drop_duplicates("doc").set_index("doc")["year"]
        inst = inst.assign(year=inst["doc"].map(years)).dropna(subset=["year"])
        return pd.crosstab(inst[col], inst["year"].astype(int))
    if by == "theme":
        th = frame[
            (frame["scheme"] == themes_scheme)
            & (frame["level"] == "sentence")
            & frame["labelled"].astype(bool)
        ]
        merged = inst[["doc", "paragraph", "sentence", col]].merge(
            th[["doc", "paragraph", "sentence", "code"]].rename(columns={"code": "theme"}),
            on=["doc", "paragraph", "sentence"],
        )
        if col == "code":
            merged = merged.rename(columns={"code_x": "code"}) if "code_x" in merged else merged
        return pd.crosstab(merged[col], merged["theme"])
    raise ValueError(f"by must be 'doc', 'year' or 'theme', got {by!r}")


# --- regions ---------------------------------------------------------------------------------------------------


def detect_region(
    title: str | None, text: str = "", *, min_mentions: int = 3, min_share: float = 0.4
) -> str | None:
    """The province a document is about: the one named in its title, else the dominant one mentioned in the
    text (at least ``min_mentions`` mentions and ``min_share`` of all province mentions); else None.

    A title naming 江西 also contains no other province, but 山西/陕西 and 广东/广西 are distinct strings, so
    plain substring search is safe; 吉林 inside 吉林省 is fine, and 海南 is checked before shorter names need be.
    """
    if title:
        named = [p for p in PROVINCES if p in title]
        if len(named) == 1:
            return named[0]
    counts = Counter({p: text.count(p) for p in PROVINCES})
    total = sum(counts.values())
    if not total:
        return None
    top, n = counts.most_common(1)[0]
    return top if n >= min_mentions and n / total >= min_share else None


# --- scheme expansion ------------------------------------------------------------------------------------------


def train_vectors(token_lists: Iterable[list[str]], **options: Any) -> Any:
    """Word2Vec vectors trained on the corpus (delegates to :func:`nlp.vectors.train_vectors`)."""
    from nlp.vectors import train_vectors as _train

    return _train(token_lists, **options)


_JUNK = re.compile(r"^[\W\d_a-zA-Z]*$")


def expand_code(
    code: str, vectors: Any, scheme: Scheme, top: int = 20, *, min_chars: int = 2
) -> pd.DataFrame:
    """Propose new terms for ``code``: nearest neighbours of the code's terms in the corpus word vectors.

    Returns term, similarity (cosine to the mean of the seed terms), seeds (the code's terms that are in
    the vocabulary and nearest to the term), for the researcher to accept. Terms already in the scheme's
    code, numbers and punctuation are left out.
    """
    if code not in scheme.codes:
        raise KeyError(f"scheme {scheme.name!r} has no code {code!r}; codes: {sorted(scheme.codes)}")
    c = scheme.codes[code]
    known = set(c.terms) | set(c.exact)
    seeds = [t for t in known if t in vectors.key_to_index]
    cols = ["term", "similarity", "seeds"]
    if not seeds:
        return pd.DataFrame(columns=cols)
    rows = []
    for term, sim in vectors.most_similar(positive=seeds, topn=top * 5 + len(known)):
        if term in known or len(term) < min_chars or _JUNK.match(term) or any(term in k for k in known):
            continue
        near = sorted(seeds, key=lambda s: -float(vectors.similarity(term, s)))[:3]
        rows.append({"term": term, "similarity": round(float(sim), 4), "seeds": near})
        if len(rows) >= top:
            break
    return pd.DataFrame(rows, columns=cols)


# --- inter-coder agreement -------------------------------------------------------------------------------------

_TEXT_COLS = ("text", "sentence", "heading")
_LABEL_COLS = ("labels", "label", "themes", "codes", "code")


def labels_of(value: Any) -> set[str]:
    """A label cell as a set: a list, or a string split on ; , | 、 and spaces; none / 无 / - mean no label."""
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return set()
    if isinstance(value, list | tuple | set):
        items = [str(v) for v in value]
    else:
        items = re.split(r"[;,|，；、\s]+", str(value))
    return {v.strip() for v in items if v.strip() and v.strip().lower() not in {"none", "无", "-"}}


def _unit_labels(df: pd.DataFrame) -> dict[tuple[str, str], set[str]]:
    tcol = next((c for c in _TEXT_COLS if c in df.columns), None)
    lcol = next((c for c in _LABEL_COLS if c in df.columns), None)
    if tcol is None or lcol is None:
        raise ValueError(
            f"labels need a text column {_TEXT_COLS} and a label column {_LABEL_COLS}; got {list(df.columns)}"
        )
    out: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in df.itertuples(index=False):
        d = getattr(row, "doc", "") if "doc" in df.columns else ""
        key = (str(d or ""), re.sub(r"\s+", "", str(getattr(row, tcol))))
        out[key] |= labels_of(getattr(row, lcol))
    return out


def read_hand_labels(path: str | Path) -> pd.DataFrame:
    """A hand-label CSV (UTF-8, or GB18030/GBK as Excel saves CSV on Chinese Windows; lines starting with # are
    comments): doc, text|sentence|heading, label(s)."""
    from nlp.readers import read_text_file

    lines = [ln for ln in read_text_file(path).splitlines(keepends=True) if not ln.lstrip().startswith("#")]
    return pd.DataFrame(list(csv.DictReader(lines)))


def agreement(tool_labels_df: pd.DataFrame, hand_labels_csv: str | Path | pd.DataFrame) -> pd.DataFrame:
    """Cohen's kappa per code between the tool's labels and a researcher's hand labels.

    Both sides are tables of units (doc, text) with their labels (``labels``/``label``/``themes``, a list or a
    ";"-separated string; "none" or empty = no label). Units are matched on doc and whitespace-free text; only
    units present in both are compared. Each code is a yes/no decision per unit. Returns one row per code:
    code, units, hand (units the researcher labelled), tool, both, agreement (share of equal decisions),
    kappa (NaN when both coders never vary), plus a row "ALL" with the mean kappa.
    """
    from sklearn.metrics import cohen_kappa_score

    hand_df = (
        hand_labels_csv if isinstance(hand_labels_csv, pd.DataFrame) else read_hand_labels(hand_labels_csv)
    )
    hand, tool = _unit_labels(hand_df), _unit_labels(tool_labels_df)
    keys = [k for k in hand if k in tool]
    if not keys:
        raise ValueError("no unit of the hand labels is in the tool labels (match on doc and text)")
    codes = sorted(set().union(*(hand[k] for k in keys), *(tool[k] for k in keys)))
    rows = []
    for code in codes:
        h = [int(code in hand[k]) for k in keys]
        t = [int(code in tool[k]) for k in keys]
        varies = len(set(h) | set(t)) > 1
        kappa = (
            float(cohen_kappa_score(h, t))
            if varies and (len(set(h)) > 1 or len(set(t)) > 1)
            else float("nan")
        )
        rows.append(
            {
                "code": code,
                "units": len(keys),
                "hand": sum(h),
                "tool": sum(t),
                "both": sum(a & b for a, b in zip(h, t, strict=True)),
                "agreement": round(sum(a == b for a, b in zip(h, t, strict=True)) / len(keys), 4),
                "kappa": round(kappa, 4),
            }
        )
    out = pd.DataFrame(rows)
    mean = out["kappa"].mean(skipna=True)
    total = pd.DataFrame(
        [
            {
                "code": "ALL",
                "units": len(keys),
                "hand": out["hand"].sum(),
                "tool": out["tool"].sum(),
                "both": out["both"].sum(),
                "agreement": round(out["agreement"].mean(), 4),
                "kappa": round(float(mean), 4),
            }
        ]
    )
    return pd.concat([out, total], ignore_index=True)
