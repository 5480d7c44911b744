"""Semantic diff between two editions of a guide, keyed by ids.

:func:`diff_guides` compares two materialised guides the way sqlglot's ``diff.py``
compares trees, except that every element of a guide already has a stable id, so
matching is trivial: elements with the same id are the same element. The result is a
frozen, ordered :class:`Diff` of edits — :class:`Added`, :class:`Removed`,
:class:`Moved`, :class:`Reweighted`, :class:`Changed`, :class:`Relabelled` — plus the
effective weight of every criterion (its share of the model total when everything
applies) before and after.

Expressions are compared as trees, never as text: ``a+b`` and ``a + b`` are the same
expression, and a changed expression is reported with its old and new canonical text
and the smallest sub-expressions that differ (``25 → 20`` inside
``clamp(x / 25, 0, 4)``). Trees are only compared inside elements whose ids match.

:func:`diff_to_amendments`, the inverse of :mod:`~taqyeem_rules.guide.amend`, plans the
amendments that turn one guide into the other; it lives in :mod:`taqyeem_rules.guide.plan`
and is importable from here.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal, localcontext
from typing import Any, ClassVar

import attrs

from ..dsl import nodes as n
from ..dsl.numbers import canonical, in_analysis_context, make_context
from ..dsl.treediff import subtree_changes
from ..guide.guide import Guide
from ..guide.kinds import FieldChange
from ..guide.model import (
    MODEL_IDS,
    Category,
    Criterion,
    Expr,
    Flag,
    Input,
    Model,
    Points,
    Text,
    Tier,
)
from ..guide.plan import diff_to_amendments, out_of_order
from ..guide.serialize import (
    decimal_data,
    past_data,
)

__all__ = [
    "Added",
    "Changed",
    "Diff",
    "Edit",
    "EffectiveWeight",
    "Moved",
    "Relabelled",
    "Removed",
    "Reweighted",
    "diff_guides",
    "diff_to_amendments",
    "effective_weights",
]

#: The kinds of element a diff names, in the order they are reported.
ELEMENTS = ("numbers", "points", "input", "item", "model", "category", "criterion", "tier", "flag")
#: Wide enough to subtract two 34-digit values exactly.
_WIDE = make_context(80)


# ---- the edits ---------------------------------------------------------------------------------


def _value_data(value: Any) -> Any:
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, Text):
        return value.to_data()
    if isinstance(value, tuple):
        return [_value_data(v) for v in value]
    if isinstance(value, dict):
        return {k: _value_data(v) for k, v in value.items()}
    return value


@attrs.frozen(kw_only=True)
class Edit:
    """One difference between two guides, keyed by the id of the element it concerns.

    ``what`` is the kind of element (one of :data:`ELEMENTS`), ``id`` its id (a checklist
    item is ``input.item``), ``model`` the model it belongs to (None for inputs,
    numbers and points).
    """

    kind: ClassVar[str] = "edit"

    what: str
    id: str
    model: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly data: numbers as canonical strings, labels as ``{en, ar}``."""
        out: dict[str, Any] = {"kind": self.kind}
        for field in attrs.fields(type(self)):
            out[field.name] = _value_data(getattr(self, field.name))
        return out


@attrs.frozen(kw_only=True)
class Added(Edit):
    """An element of the new guide that the old one does not have."""

    kind: ClassVar[str] = "added"

    #: The category of an added criterion (None for other elements).
    parent: str | None = None
    #: 0-based position in its list in the new guide (a criterion's, in its category).
    position: int = 0
    label: Text | None = None
    #: The weight of an added category or criterion.
    weight: Decimal | None = None


@attrs.frozen(kw_only=True)
class Removed(Edit):
    """An element of the old guide that the new one does not have."""

    kind: ClassVar[str] = "removed"

    parent: str | None = None
    #: 0-based position in its list in the old guide (a criterion's, in its category).
    position: int = 0
    label: Text | None = None
    weight: Decimal | None = None


@attrs.frozen(kw_only=True)
class Moved(Edit):
    """An element that changed place: a criterion to another category, or any element to
    another position relative to the elements kept around it."""

    kind: ClassVar[str] = "moved"

    old_parent: str | None = None
    new_parent: str | None = None
    old_position: int = 0
    new_position: int = 0


@attrs.frozen(kw_only=True)
class Reweighted(Edit):
    """A category's weight or a criterion's relative weight changed."""

    kind: ClassVar[str] = "reweighted"

    old: Decimal
    new: Decimal


@attrs.frozen(kw_only=True)
class Changed(Edit):
    """A field of an element changed (``field`` names it: ``score``, ``bands.rows``,
    ``min``, ``range``, ``report.scale``…). Expressions are given as canonical text;
    ``subtrees`` lists the smallest differing sub-expressions as (old, new) pairs."""

    kind: ClassVar[str] = "changed"

    field: str
    old: Any = None
    new: Any = None
    subtrees: tuple[tuple[str | None, str | None], ...] = ()


@attrs.frozen(kw_only=True)
class Relabelled(Edit):
    """An element's bilingual label changed."""

    kind: ClassVar[str] = "relabelled"

    old: Text
    new: Text


EDIT_KINDS: tuple[type[Edit], ...] = (Removed, Added, Moved, Reweighted, Changed, Relabelled)
_KIND_RANK = {cls.kind: k for k, cls in enumerate(EDIT_KINDS)}


@attrs.frozen
class EffectiveWeight:
    """A criterion's share of its model's total (points of 100) when everything applies:
    category weight × criterion weight / Σ criterion weights of its category.
    ``old``/``new`` are None where the criterion does not exist."""

    model: str
    id: str
    old_category: str | None
    new_category: str | None
    old: Decimal | None
    new: Decimal | None
    label: Text | None = attrs.field(default=None, eq=False)

    @property
    def delta(self) -> Decimal:
        """new − old, exactly (a missing side counts as 0)."""
        with localcontext(_WIDE):
            return (self.new or Decimal(0)) - (self.old or Decimal(0))

    @property
    def changed(self) -> bool:
        return self.old != self.new

    def text(self) -> tuple[str, str, str]:
        """(old, new, signed delta) at 2 places, half up, for tables (``—`` where absent).
        (A convenience: the text is made by :mod:`taqyeem_rules.present.diff`.)"""
        from ..present.diff import weight_texts

        return weight_texts(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model,
            "id": self.id,
            "old_category": self.old_category,
            "new_category": self.new_category,
            "old": None if self.old is None else canonical(self.old),
            "new": None if self.new is None else canonical(self.new),
            "delta": canonical(self.delta),
        }


@attrs.frozen
class Diff:
    """The edits that turn one guide into another, in a fixed order, and the effective
    weights of every criterion before and after. Iterating gives the edits; a diff is
    false (and :attr:`empty`) when the guides score alike in every respect."""

    old_edition: str
    new_edition: str
    old_fingerprint: str
    new_fingerprint: str
    edits: tuple[Edit, ...]
    weights: tuple[EffectiveWeight, ...]
    old_title: Text | None = attrs.field(default=None, eq=False)
    new_title: Text | None = attrs.field(default=None, eq=False)

    def __iter__(self) -> Iterator[Edit]:
        return iter(self.edits)

    def __len__(self) -> int:
        return len(self.edits)

    def __bool__(self) -> bool:
        return bool(self.edits)

    @property
    def empty(self) -> bool:
        return not self.edits

    def of(self, what: str | None = None, kind: str | None = None) -> tuple[Edit, ...]:
        """The edits about one kind of element and/or of one kind (``"added"``…)."""
        return tuple(
            e for e in self.edits if (what is None or e.what == what) and (kind is None or e.kind == kind)
        )

    def counts(self) -> dict[str, int]:
        """How many edits of each kind (``added``, ``removed``…), in the reporting order."""
        out = {cls.kind: 0 for cls in EDIT_KINDS}
        for e in self.edits:
            out[e.kind] += 1
        return out

    def changed_weights(self) -> tuple[EffectiveWeight, ...]:
        return tuple(w for w in self.weights if w.changed)

    def to_dict(self) -> dict[str, Any]:
        """JSON-friendly data of the whole diff."""
        return {
            "old": {"edition": self.old_edition, "fingerprint": self.old_fingerprint},
            "new": {"edition": self.new_edition, "fingerprint": self.new_fingerprint},
            "counts": self.counts(),
            "edits": [e.to_dict() for e in self.edits],
            "effective_weights": [w.to_dict() for w in self.weights],
        }

    def rows(self, lang: str = "en") -> list[tuple[str, str, str, str, str]]:
        """One row per edit for tables: (element, id, change, old, new). (A convenience:
        the words are :mod:`taqyeem_rules.present.diff`'s.)"""
        from ..present.diff import diff_rows

        return diff_rows(self, lang)

    def to_markdown(self, lang: str = "en") -> str:
        """The diff as a Markdown paper for the committee. (A convenience that reaches up
        to the presentation layer: :func:`taqyeem_rules.present.diff.diff_markdown`.)"""
        from ..present.diff import diff_markdown

        return diff_markdown(self, lang)


# ---- comparing expressions -------------------------------------------------------------------


def _expr_node(e: Expr | None) -> n.Node | None:
    return None if e is None else e.node


def _expr_text(e: Expr | None) -> str | None:
    return None if e is None else e.canonical


# ---- ordering helpers --------------------------------------------------------------------------


def _merged_order(old_ids: Sequence[str], new_ids: Sequence[str]) -> dict[str, tuple[int, int, int]]:
    """A sort key for every id of either list: new order, removed ids after the kept id
    that preceded them in the old list."""
    new_pos = {i: k for k, i in enumerate(new_ids)}
    out: dict[str, tuple[int, int, int]] = {i: (k, 0, 0) for i, k in new_pos.items()}
    anchor = -1
    for k, i in enumerate(old_ids):
        if i in new_pos:
            anchor = new_pos[i]
        else:
            out[i] = (anchor, 1, k)
    return out


# ---- effective weights -----------------------------------------------------------------------


def _category_shares(guide: Guide, model: Model) -> dict[str, tuple[str, Decimal]]:
    ctx = make_context(guide.numbers.precision, guide.numbers.rounding)
    out: dict[str, tuple[str, Decimal]] = {}
    with localcontext(ctx):
        for cat in model.categories:
            total = sum((c.weight for c in cat.criteria), Decimal(0))
            for c in cat.criteria:
                out[c.id] = (cat.id, decimal_data(cat.weight * c.weight / total) if total else Decimal(0))
    return out


@in_analysis_context
def effective_weights(old: Guide, new: Guide) -> tuple[EffectiveWeight, ...]:
    """Every criterion's effective weight (share of its model's total when everything
    applies) in both guides, in the order of the new guide (removed criteria where they were)."""
    out: list[EffectiveWeight] = []
    for mid in MODEL_IDS:
        mo, mn = old.model(mid), new.model(mid)
        if mo is None and mn is None:
            continue
        so = _category_shares(old, mo) if mo is not None else {}
        sn = _category_shares(new, mn) if mn is not None else {}
        old_ids = [c.id for c in mo.criteria()] if mo is not None else []
        new_ids = [c.id for c in mn.criteria()] if mn is not None else []
        order = _merged_order(old_ids, new_ids)
        labels = {c.id: c.label for m in (mo, mn) if m is not None for c in m.criteria()}
        for cid in sorted(order, key=order.__getitem__):
            a, b = so.get(cid), sn.get(cid)
            out.append(EffectiveWeight(
                mid, cid, a[0] if a else None, b[0] if b else None,
                a[1] if a else None, b[1] if b else None, labels.get(cid),
            ))
    return tuple(out)


# ---- the diff ----------------------------------------------------------------------------------


def _positions(ids: Sequence[str], parent: Mapping[str, str] | None) -> list[int]:
    if parent is None:
        return list(range(len(ids)))
    seen: Counter[str] = Counter()
    out = []
    for i in ids:
        out.append(seen[parent[i]])
        seen[parent[i]] += 1
    return out


def _weight_of(item: Any) -> Decimal | None:
    w = getattr(item, "weight", None)
    return None if w is None else Decimal(canonical(w))


class _Differ:
    def __init__(self) -> None:
        self.edits: list[tuple[tuple[Any, ...], Edit]] = []

    def add(self, key: tuple[Any, ...], edit: Edit, sub: int = 0) -> None:
        self.edits.append(((*key, _KIND_RANK[edit.kind], sub), edit))

    def result(self) -> tuple[Edit, ...]:
        self.edits.sort(key=lambda pair: pair[0])
        return tuple(e for _, e in self.edits)

    # generic id-keyed lists ------------------------------------------------------------------

    def keyed(
        self,
        section: tuple[Any, ...],
        what: str,
        model: str | None,
        old_items: Sequence[Any],
        new_items: Sequence[Any],
        compare: Callable[[tuple[Any, ...], Any, Any], None],
        *,
        parent_old: Mapping[str, str] | None = None,
        parent_new: Mapping[str, str] | None = None,
        added: Callable[[Any, int], Edit] | None = None,
        removed: Callable[[Any, int], Edit] | None = None,
        on_moved: Callable[[Any, int, int], Edit] | None = None,
    ) -> None:
        old_ids = [i.id for i in old_items]
        new_ids = [i.id for i in new_items]
        # positions count within the parent (a criterion's place in its category)
        old_by = {i.id: (k, i) for k, i in zip(_positions(old_ids, parent_old), old_items)}
        new_by = {i.id: (k, i) for k, i in zip(_positions(new_ids, parent_new), new_items)}
        order = _merged_order(old_ids, new_ids)
        for ident in new_ids:
            if ident not in old_by:
                k, item = new_by[ident]
                edit = added(item, k) if added else Added(
                    what=what, id=ident, model=model, position=k, label=getattr(item, "label", None),
                    parent=parent_new.get(ident) if parent_new else None,
                    weight=_weight_of(item))
                self.add((*section, order[ident]), edit)
        for ident in old_ids:
            if ident not in new_by:
                k, item = old_by[ident]
                edit = removed(item, k) if removed else Removed(
                    what=what, id=ident, model=model, position=k, label=getattr(item, "label", None),
                    parent=parent_old.get(ident) if parent_old else None,
                    weight=_weight_of(item))
                self.add((*section, order[ident]), edit)
        # moves: to another parent, or out of the order of the kept elements of a parent
        moved: set[str] = set()
        if parent_old is not None and parent_new is not None:
            moved |= {i for i in new_ids if i in old_by and parent_old[i] != parent_new[i]}
            groups: dict[str, tuple[list[str], list[str]]] = {}
            for i in old_ids:
                if i in new_by and i not in moved:
                    groups.setdefault(parent_old[i], ([], []))[0].append(i)
            for i in new_ids:
                if i in old_by and i not in moved:
                    groups.setdefault(parent_new[i], ([], []))[1].append(i)
            for olds, news in groups.values():
                moved |= set(out_of_order(olds, news))
        else:
            moved |= set(out_of_order(old_ids, new_ids))
        for ident in new_ids:
            if ident in old_by:
                ko, io = old_by[ident]
                kn, inew = new_by[ident]
                key = (*section, order[ident])
                if ident in moved:
                    self.add(key, on_moved(inew, ko, kn) if on_moved else Moved(
                        what=what, id=ident, model=model,
                        old_parent=parent_old.get(ident) if parent_old else None,
                        new_parent=parent_new.get(ident) if parent_new else None,
                        old_position=ko, new_position=kn))
                compare(key, io, inew)

    def relabel(self, key: tuple[Any, ...], what: str, ident: str, model: str | None, a: Text, b: Text) -> None:
        if a != b:
            self.add(key, Relabelled(what=what, id=ident, model=model, old=a, new=b))

    def change(self, key: tuple[Any, ...], what: str, ident: str, model: str | None, field: str,
               old: Any, new: Any, sub: int, subtrees: tuple[tuple[str | None, str | None], ...] = ()) -> None:
        self.add(key, Changed(what=what, id=ident, model=model, field=field, old=old, new=new,
                              subtrees=subtrees), sub)

    def expr(self, key: tuple[Any, ...], what: str, ident: str, model: str | None, field: str,
             a: Expr | None, b: Expr | None, sub: int) -> None:
        na, nb = _expr_node(a), _expr_node(b)
        if na != nb:
            self.change(key, what, ident, model, field, _expr_text(a), _expr_text(b), sub,
                        subtree_changes(na, nb))


def _levels(p: Points) -> tuple[str, ...]:
    return tuple(f"{canonical(lv.value)}: {lv.label.en} / {lv.label.ar}" for lv in p.levels)


def _range_text(i: Input) -> str | None:
    if i.range is None:
        return None
    lo, hi = i.range
    return f"[{'' if lo is None else canonical(lo)}, {'' if hi is None else canonical(hi)}]"


@in_analysis_context
def diff_guides(old: Guide, new: Guide) -> Diff:
    """The semantic diff of two guides: edits keyed by ids, in a fixed order (numbers,
    points, inputs, then each model's categories, criteria, tiers and flags), and every
    criterion's effective weight before and after."""
    d = _Differ()
    # numbers and points
    no, nn = old.numbers, new.numbers
    for sub, (field, a, b) in enumerate((
        ("precision", no.precision, nn.precision),
        ("rounding", no.rounding, nn.rounding),
        ("report.scale", no.report_scale, nn.report_scale),
        ("report.rounding", no.report_rounding, nn.report_rounding),
    )):
        if a != b:
            d.change((0,), "numbers", "numbers", None, field, a, b, sub)
    po, pn = old.points, new.points
    for sub, (field, a, b) in enumerate((("min", decimal_data(po.min), decimal_data(pn.min)), ("max", decimal_data(po.max), decimal_data(pn.max)),
                                          ("levels", _levels(po), _levels(pn)))):
        if a != b:
            d.change((1,), "points", "points", None, field, a, b, sub)

    # inputs
    def compare_input(key: tuple[Any, ...], a: Input, b: Input) -> None:
        fields = (
            ("type", a.type, b.type),
            ("range", _range_text(a), _range_text(b)),
            ("required", a.required, b.required),
            ("unit", a.unit, b.unit),
            ("source", a.source, b.source),
            ("of", a.of, b.of),
            ("min_items", a.min_items, b.min_items),
            ("description", a.description, b.description),
            ("past", past_data(a), past_data(b)),
            ("better", a.better, b.better),
        )
        for sub, (field, x, y) in enumerate(fields):
            if x != y:
                d.change(key, "input", a.id, None, field, x, y, sub)
        d.relabel(key, "input", a.id, None, a.label, b.label)

        def compare_item(ikey: tuple[Any, ...], x: Any, y: Any) -> None:
            d.relabel(ikey, "item", f"{a.id}.{x.id}", None, x.label, y.label)

        if a.items != b.items:
            d.keyed(
                (*key, 9), "item", None, a.items, b.items, compare_item,
                added=lambda it, k: Added(what="item", id=f"{a.id}.{it.id}", position=k, label=it.label, parent=a.id),
                removed=lambda it, k: Removed(what="item", id=f"{a.id}.{it.id}", position=k, label=it.label,
                                              parent=a.id),
                on_moved=lambda it, ko, kn: Moved(what="item", id=f"{a.id}.{it.id}", old_parent=a.id,
                                                  new_parent=a.id, old_position=ko, new_position=kn),
            )

    d.keyed((2,), "input", None, old.inputs, new.inputs, compare_input)

    # models
    for rank, mid in enumerate(MODEL_IDS):
        mo, mn = old.model(mid), new.model(mid)
        if mo is None and mn is None:
            continue
        _diff_model(d, (3, rank), mid, mo, mn)
    return Diff(
        old.edition, new.edition, old.fingerprint, new.fingerprint, d.result(), effective_weights(old, new),
        old.title, new.title,
    )


def _empty_model(mid: str, label: Text) -> Model:
    return Model(mid, label, ())


def _diff_model(d: _Differ, section: tuple[int, int], mid: str, mo: Model | None, mn: Model | None) -> None:
    if mo is None:
        assert mn is not None
        d.add((*section, 0, (0, 0, 0)), Added(what="model", id=mid, model=mid, label=mn.label))
        mo = _empty_model(mid, mn.label)
    elif mn is None:
        d.add((*section, 0, (0, 0, 0)), Removed(what="model", id=mid, model=mid, label=mo.label))
        mn = _empty_model(mid, mo.label)
    else:
        d.relabel((*section, 0, (0, 0, 0)), "model", mid, mid, mo.label, mn.label)

    def compare_category(key: tuple[Any, ...], a: Category, b: Category) -> None:
        if a.weight != b.weight:
            d.add(key, Reweighted(what="category", id=a.id, model=mid, old=decimal_data(a.weight), new=decimal_data(b.weight)))
        d.relabel(key, "category", a.id, mid, a.label, b.label)

    d.keyed((*section, 1), "category", mid, mo.categories, mn.categories, compare_category)

    def compare_criterion(key: tuple[Any, ...], a: Criterion, b: Criterion) -> None:
        if a == b:
            return
        if a.weight != b.weight:
            d.add(key, Reweighted(what="criterion", id=a.id, model=mid, old=decimal_data(a.weight), new=decimal_data(b.weight)))
        _compare_criterion(d, key, mid, a, b)
        d.relabel(key, "criterion", a.id, mid, a.label, b.label)

    parent_old = {c.id: cat.id for cat in mo.categories for c in cat.criteria}
    parent_new = {c.id: cat.id for cat in mn.categories for c in cat.criteria}
    d.keyed((*section, 2), "criterion", mid, mo.criteria(), mn.criteria(), compare_criterion,
            parent_old=parent_old, parent_new=parent_new)

    def compare_tier(key: tuple[Any, ...], a: Tier, b: Tier) -> None:
        if a.min != b.min:
            d.change(key, "tier", a.id, mid, "min", decimal_data(a.min), decimal_data(b.min), 0)
        d.expr(key, "tier", a.id, mid, "require", a.require, b.require, 1)
        d.relabel(key, "tier", a.id, mid, a.label, b.label)

    d.keyed((*section, 3), "tier", mid, mo.tiers, mn.tiers, compare_tier)

    def compare_flag(key: tuple[Any, ...], a: Flag, b: Flag) -> None:
        d.expr(key, "flag", a.id, mid, "when", a.when, b.when, 0)
        d.relabel(key, "flag", a.id, mid, a.label, b.label)

    d.keyed((*section, 4), "flag", mid, mo.flags, mn.flags, compare_flag)


def _compare_criterion(d: _Differ, key: tuple[Any, ...], mid: str, a: Criterion, b: Criterion) -> None:
    cid = a.id
    if a.basic != b.basic:
        d.change(key, "criterion", cid, mid, "basic", a.basic, b.basic, 0)
    if a.missing != b.missing:
        d.change(key, "criterion", cid, mid, "missing", a.missing, b.missing, 1)
    d.expr(key, "criterion", cid, mid, "applicable", a.applicable, b.applicable, 2)
    for change in _kind_changes(a, b):
        d.change(key, "criterion", cid, mid, change.field, change.old, change.new,
                 change.order, change.subtrees)
    if a.description != b.description:
        d.change(key, "criterion", cid, mid, "description", a.description, b.description, 10)


def _kind_changes(a: Criterion, b: Criterion) -> Iterator[FieldChange]:
    """How the points of two versions of a criterion arise differently, as their kinds
    compare them. A change of kind is the old kind's fields removed and the new one's
    added (and ``kind`` itself, when either is written ``kind: NAME``)."""
    ka, kb = a.kind_object, b.kind_object
    if a.kind == b.kind:
        if ka is not None:
            yield from ka.compare(a.params, b.params)
        elif a.params != b.params:
            yield FieldChange("params", a.params, b.params, 9)
        return
    if (ka is None or not ka.shorthand) or (kb is None or not kb.shorthand):
        yield FieldChange("kind", a.kind, b.kind, 8)
    if ka is not None:
        yield from ka.compare(a.params, None)
    if kb is not None:
        yield from kb.compare(None, b.params)


