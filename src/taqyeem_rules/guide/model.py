"""The guide model: frozen attrs classes, one per concept of docs/guide-format.md.

Every element keeps the span it was read from (excluded from equality), so a check
that finds a problem long after loading still points at ``file:line:col``. Numbers
are normalised when read (``20.0`` and ``20`` are the same weight), expressions are
parsed trees compared as trees (``a+b`` equals ``a + b``).
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from ..dsl import nodes as n
from ..dsl.types import Type, nullable
from ..source import Span

__all__ = [
    "BETTER",
    "EVIDENCE_SOURCES",
    "INPUT_TYPES",
    "MODEL_IDS",
    "BandRow",
    "Bands",
    "Category",
    "ChecklistItem",
    "Criterion",
    "Expr",
    "Flag",
    "Input",
    "Level",
    "Model",
    "Numbers",
    "Past",
    "Points",
    "Provenance",
    "SourceRef",
    "Text",
    "Tier",
    "centre_name",
]

INPUT_TYPES = ("number", "integer", "percent", "boolean", "checklist", "list", "counts", "ratings")
#: The directions an input may declare with ``better:``.
BETTER = ("higher", "lower")
EVIDENCE_SOURCES = ("field_visit", "mystery_shopper", "customer_survey", "document_review", "tawasul")
MODEL_IDS = ("onsite", "remote")

_span = attrs.field(default=None, eq=False, repr=False, kw_only=True)
_path = attrs.field(default="", eq=False, repr=False, kw_only=True)


@attrs.frozen
class Text:
    """Bilingual text."""

    en: str
    ar: str

    def get(self, lang: str = "en") -> str:
        return self.ar if lang == "ar" else self.en

    def to_data(self) -> dict[str, str]:
        return {"ar": self.ar, "en": self.en}


def centre_name(name: Text | str | None, centre_id: str, lang: str = "en") -> str:
    """How a centre is named to people: its name in ``lang`` (a bilingual name), as
    given (a plain one), or its id when it has none."""
    if isinstance(name, Text):
        return name.get(lang)
    return name or centre_id


@attrs.frozen
class SourceRef:
    title: str
    publisher: str | None = None
    url: str | None = None
    supports: str | None = None
    accessed: str | None = None


@attrs.frozen
class Provenance:
    status: str
    sources: tuple[SourceRef, ...] = ()
    illustrative: tuple[str, ...] = ()
    notes: str | None = None


@attrs.frozen
class Numbers:
    """Arithmetic context and the rounding of reported scores."""

    precision: int = 34
    rounding: str = "half_even"
    report_scale: int = 2
    report_rounding: str = "half_up"
    span: Span | None = _span


@attrs.frozen
class Level:
    value: Decimal
    label: Text


@attrs.frozen
class Points:
    """The criterion scale."""

    min: Decimal
    max: Decimal
    levels: tuple[Level, ...] = ()
    span: Span | None = _span


@attrs.frozen
class ChecklistItem:
    id: str
    label: Text
    span: Span | None = _span


@attrs.frozen
class Past:
    """How evidence of an older edition that lacks an input is read (an input's
    ``past:``): as ``value`` (in the input's evidence form), or, when
    ``not_applicable``, by making every criterion that reads the input not applicable.
    Used only when older evidence is scored under the guide (impact), never by ordinary
    scoring."""

    not_applicable: bool = False
    value: Any = None

    def to_data(self) -> Any:
        """The canonical data: ``"not_applicable"`` or ``{"value": …}``."""
        if self.not_applicable:
            return "not_applicable"
        return {"value": _value_data(self.value)}


def _value_data(v: Any) -> Any:
    if isinstance(v, dict):
        return {k: _value_data(x) for k, x in sorted(v.items())}
    if isinstance(v, list):
        return [_value_data(x) for x in v]
    return v


@attrs.frozen
class Input:
    """One piece of evidence the guide reads."""

    id: str
    type: str
    source: str
    label: Text
    required: bool = True
    range: tuple[Decimal | None, Decimal | None] | None = None
    unit: str | None = None
    items: tuple[ChecklistItem, ...] = ()
    of: str | None = None
    min_items: int | None = None
    description: Text | None = None
    #: How older evidence that lacks the input is read (None: it is not said).
    past: Past | None = None
    #: Which way is better for the centre (``higher`` or ``lower``), where it is clear:
    #: ``taqyeem verify`` checks that improving the input never lowers a score.
    better: str | None = None
    span: Span | None = _span
    path: str = _path

    @property
    def numeric(self) -> bool:
        return self.type in ("number", "integer", "percent")

    @property
    def bounds(self) -> tuple[Decimal | None, Decimal | None]:
        """The declared range (percent implies [0, 100]); None for an open end."""
        if self.range is not None:
            return self.range
        if self.type == "percent" or (self.type in ("list", "ratings") and self.of == "percent"):
            return (Decimal(0), Decimal(100))
        return (None, None)

    def dsl_type(self) -> Type:
        """The type of this input in expressions."""
        from .inputs import input_type

        t = input_type(self).dsl_type(self)
        return t if self.required else nullable(t)


@attrs.frozen
class Expr:
    """An expression: its tree (compared) and the text it was written as (not compared)."""

    node: n.Node
    text: str = attrs.field(eq=False)
    span: Span | None = _span

    @property
    def canonical(self) -> str:
        """The canonical text: spacing, parentheses and number spellings normalised."""
        return n.unparse(self.node, canonical_numbers=True)

    def __str__(self) -> str:
        return self.canonical


@attrs.frozen
class BandRow:
    """One row of a decision table: a cell per tested value, and the points."""

    when: tuple[n.UnaryTests, ...]
    points: Decimal | Expr
    note: str | None = None
    when_text: tuple[str, ...] = attrs.field(default=(), eq=False)
    span: Span | None = _span
    path: str = _path

    def cells_text(self) -> tuple[str, ...]:
        return tuple(n.unparse(c, canonical_numbers=True) for c in self.when)


@attrs.frozen
class Bands:
    """A decision table over one or more tested values."""

    on: tuple[Expr, ...]
    rows: tuple[BandRow, ...]
    hit: str = "first"
    span: Span | None = _span
    #: Where the table is written (``….bands`` or ``….params``).
    path: str = _path


@attrs.frozen
class Criterion:
    """One criterion: its weight and policies, and how its points arise — a *kind*
    (``expression``, ``bands`` or a plugin kind) and that kind's params model."""

    id: str
    label: Text
    weight: Decimal
    basic: bool = False
    applicable: Expr | None = None
    missing: str = "error"
    #: The kind's name (``score:`` and ``bands:`` are the shorthands of ``expression``
    #: and ``bands``).
    kind: str = "expression"
    #: The kind's params model (for ``expression`` an ExpressionParams, for ``bands`` a
    #: :class:`Bands`).
    params: Any = None
    description: Text | None = None
    span: Span | None = _span
    path: str = _path

    @property
    def kind_object(self) -> Any:
        """The :class:`~taqyeem_rules.guide.kinds.CriterionKind` of the criterion (None
        when no installed kind has its name)."""
        from .kinds import kind_registry

        try:
            return kind_registry().get(self.kind)
        except Exception:  # a plugin that cannot load: reported by the loader
            return None

    def roles(self) -> tuple[Any, ...]:
        """The kind's expressions with where they sit (see ``CriterionKind.expressions``)."""
        kind = self.kind_object
        return kind.expressions(self.params) if kind is not None else ()

    def expressions(self) -> tuple[n.Node, ...]:
        """Every expression tree of the criterion: applicability, then the kind's
        expressions (scores, tested values, cells, row points)."""
        out: list[n.Node] = [self.applicable.node] if self.applicable is not None else []
        for role in self.roles():
            out.append(role.expr if isinstance(role.expr, n.Node) else role.expr.node)
        return tuple(out)

    def reads(self, *, applicability: bool = True) -> tuple[str, ...]:
        """The inputs the criterion reads, sorted (``applicability=False`` leaves out those
        read only by its ``applicable`` condition)."""
        kind = self.kind_object
        names: set[str] = set(kind.reads(self.params)) if kind is not None else set()
        if applicability and self.applicable is not None:
            names.update(n.free_names(self.applicable.node))
        return tuple(sorted(names))

    @property
    def form(self) -> str:
        """The kind's name (``expression``, ``bands`` or a plugin kind): results call it
        the criterion's form."""
        return self.kind


@attrs.frozen
class Category:
    id: str
    label: Text
    weight: Decimal
    criteria: tuple[Criterion, ...]
    span: Span | None = _span
    path: str = _path


@attrs.frozen
class Tier:
    id: str
    label: Text
    min: Decimal
    require: Expr | None = None
    span: Span | None = _span
    path: str = _path


@attrs.frozen
class Flag:
    id: str
    label: Text
    when: Expr
    span: Span | None = _span
    path: str = _path


@attrs.frozen
class Model:
    id: str
    label: Text
    categories: tuple[Category, ...]
    tiers: tuple[Tier, ...] = ()
    flags: tuple[Flag, ...] = ()
    span: Span | None = _span
    path: str = _path

    def criteria(self) -> tuple[Criterion, ...]:
        return tuple(c for cat in self.categories for c in cat.criteria)

    def category(self, cid: str) -> Category | None:
        return next((c for c in self.categories if c.id == cid), None)
