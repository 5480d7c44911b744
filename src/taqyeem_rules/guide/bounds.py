"""Static bounds: the values an expression, a criterion's points or a model's total can
take, decided from the guide alone (declared input ranges, attainable points, decision
tables) — never by sampling evidence, which almost never reaches the extremes.

- :func:`interval` bounds a numeric expression from the intervals of the names it reads
  (interval arithmetic, rounded outwards, so the bound is sound);
- :func:`table_domains` gives each value a criterion's decision table tests the domain
  it really has (``mean(ms_waiting_minutes)`` lies in the list's declared range), so
  :func:`~taqyeem_rules.guide.tables.row_reach` finds rows no admissible value reaches;
- :func:`points_bound` bounds a criterion's points on the guide's scale;
- :func:`highest_total` is the highest total a model can give: the best attainable points
  of every criterion, with the criteria that may be not applicable left in or out,
  whichever raises the weighted means (a tier whose ``min`` lies above it can never be
  awarded).
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from ..dsl import nodes as n
from ..dsl.numbers import ROUNDING_MODES, canonical
from .model import Criterion, Expr, Input, Model
from .tables import Domain, row_reach

__all__ = [
    "Interval",
    "ModelBound",
    "highest_total",
    "input_env",
    "interval",
    "live_rows",
    "may_be_not_applicable",
    "points_bound",
    "table_domains",
]

_DOWN = decimal.Context(prec=60, rounding=decimal.ROUND_FLOOR)
_UP = decimal.Context(prec=60, rounding=decimal.ROUND_CEILING)


@attrs.frozen
class Interval:
    """A closed interval of numbers; None is an open (unbounded) end."""

    lo: Decimal | None = None
    hi: Decimal | None = None

    def hull(self, other: Interval) -> Interval:
        """The smallest interval holding both."""
        lo = None if self.lo is None or other.lo is None else min(self.lo, other.lo)
        hi = None if self.hi is None or other.hi is None else max(self.hi, other.hi)
        return Interval(lo, hi)

    def clip(self, lo: Decimal, hi: Decimal) -> Interval:
        """The interval cut to [lo, hi] (a value outside it is refused elsewhere)."""
        a = lo if self.lo is None else min(max(self.lo, lo), hi)
        b = hi if self.hi is None else max(min(self.hi, hi), lo)
        return Interval(a, b)

    def domain(self, name: str, *, integer: bool = False) -> Domain:
        """The interval as a table column's domain."""
        return Domain("integer" if integer else "number", self.lo, self.hi, name)

    def text(self) -> str:
        """``[0, 240]``, ``[1, ∞)``."""
        left = "(-∞" if self.lo is None else f"[{canonical(self.lo)}"
        right = "∞)" if self.hi is None else f"{canonical(self.hi)}]"
        return f"{left}, {right}"


@attrs.frozen
class _List:
    """A list of numbers (or of ratings): the interval of each element."""

    element: Interval
    min_items: int = 0


@attrs.frozen
class _Checklist:
    items: int


def input_env(inputs: Sequence[Input]) -> dict[str, Any]:
    """What :func:`interval` knows of each input: numbers their declared range, lists and
    ratings their elements' range, checklists their item count, counts their items."""
    env: dict[str, Any] = {}
    for inp in inputs:
        lo, hi = inp.bounds
        if inp.type in ("number", "integer", "percent"):
            env[inp.id] = Interval(lo, hi)
        elif inp.type in ("list", "ratings"):
            env[inp.id] = _List(Interval(lo, hi), inp.min_items or 0)
        elif inp.type == "checklist":
            env[inp.id] = _Checklist(len(inp.items))
        elif inp.type == "counts":
            low = lo if lo is not None and lo > 0 else Decimal(0)
            env[inp.id] = {it.id: Interval(low, hi) for it in inp.items}
    return env


def _mul(a: Decimal, b: Decimal, ctx: decimal.Context) -> Decimal:
    return ctx.multiply(a, b)


def _arith(op: str, a: Interval, b: Interval) -> Interval | None:
    if op == "+":
        lo = None if a.lo is None or b.lo is None else _DOWN.add(a.lo, b.lo)
        hi = None if a.hi is None or b.hi is None else _UP.add(a.hi, b.hi)
        return Interval(lo, hi)
    if op == "-":
        lo = None if a.lo is None or b.hi is None else _DOWN.subtract(a.lo, b.hi)
        hi = None if a.hi is None or b.lo is None else _UP.subtract(a.hi, b.lo)
        return Interval(lo, hi)
    if None in (a.lo, a.hi, b.lo, b.hi):
        return None  # products and quotients of open intervals: not bounded here
    assert a.lo is not None and a.hi is not None and b.lo is not None and b.hi is not None
    if op == "*":
        corners_lo = [_mul(x, y, _DOWN) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
        corners_hi = [_mul(x, y, _UP) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
        return Interval(min(corners_lo), max(corners_hi))
    if op == "/":
        if b.lo <= 0 <= b.hi:
            return None
        corners_lo = [_DOWN.divide(x, y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
        corners_hi = [_UP.divide(x, y) for x in (a.lo, a.hi) for y in (b.lo, b.hi)]
        return Interval(min(corners_lo), max(corners_hi))
    return None


def _lo_max(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _hi_min(a: Decimal | None, b: Decimal | None) -> Decimal | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def _max_of(items: list[Interval]) -> Interval:
    lo: Decimal | None = None
    for x in items:
        lo = _lo_max(lo, x.lo)
    hi = None if any(x.hi is None for x in items) else max(x.hi for x in items)  # type: ignore[type-var]
    return Interval(lo, hi)


def _min_of(items: list[Interval]) -> Interval:
    hi: Decimal | None = None
    for x in items:
        hi = _hi_min(hi, x.hi)
    lo = None if any(x.lo is None for x in items) else min(x.lo for x in items)  # type: ignore[type-var]
    return Interval(lo, hi)


def _rounded(x: Interval, places: int) -> Interval:
    step = Decimal(1).scaleb(-places)
    lo = None if x.lo is None else x.lo.quantize(step, rounding=decimal.ROUND_FLOOR, context=_DOWN)
    hi = None if x.hi is None else x.hi.quantize(step, rounding=decimal.ROUND_CEILING, context=_UP)
    return Interval(lo, hi)


_ROUNDING = {"decimal", "floor", "ceiling", "round_up", "round_down", "round_half_up", "round_half_down"}


def interval(node: n.Node, env: Mapping[str, Any]) -> Interval | None:
    """The interval the value of a numeric expression lies in, when every name it reads
    is bounded in ``env`` (see :func:`input_env`); None when it cannot be bounded (a
    function this analysis does not know, a division by an interval holding 0, …)."""
    if isinstance(node, n.Num):
        return Interval(node.value, node.value)
    if isinstance(node, n.Name):
        found = env.get(node.name)
        return found if isinstance(found, Interval) else None
    if isinstance(node, n.Path) and isinstance(node.base, n.Name):
        found = env.get(node.base.name)
        if isinstance(found, Mapping):
            member = found.get(node.member)
            return member if isinstance(member, Interval) else None
        return None
    if isinstance(node, n.Neg):
        x = interval(node.operand, env)
        return None if x is None else Interval(None if x.hi is None else -x.hi, None if x.lo is None else -x.lo)
    if isinstance(node, n.BinOp):
        a, b = interval(node.left, env), interval(node.right, env)
        return None if a is None or b is None else _arith(node.op, a, b)
    if isinstance(node, n.If):
        a, b = interval(node.then, env), interval(node.otherwise, env)
        return None if a is None or b is None else a.hull(b)
    if isinstance(node, n.Call):
        return _call(node, env)
    return None


def _list_arg(node: n.Node, env: Mapping[str, Any]) -> _List | None:
    if isinstance(node, n.Name):
        found = env.get(node.name)
        return found if isinstance(found, _List) else None
    return None


def _call(node: n.Call, env: Mapping[str, Any]) -> Interval | None:
    name, args = node.name, node.args
    if name == "checked" and len(args) == 1 and isinstance(args[0], n.Name):
        found = env.get(args[0].name)
        return Interval(Decimal(0), Decimal(found.items)) if isinstance(found, _Checklist) else None
    if name in ("mean", "median", "min", "max") and len(args) == 1:
        listed = _list_arg(args[0], env)
        return None if listed is None else listed.element
    if name == "count" and len(args) == 1:
        listed = _list_arg(args[0], env)
        return Interval(Decimal(listed.min_items if listed else 0), None)
    if name == "clamp" and len(args) == 3:
        x, lo, hi = (interval(a, env) for a in args)
        if lo is None or hi is None:
            return None
        if x is None:
            return Interval(lo.lo, hi.hi)
        return _min_of([_max_of([x, lo]), hi])
    if name in ("min", "max", "mean", "median") and len(args) > 1:
        parts = [interval(a, env) for a in args]
        if any(p is None for p in parts):
            return None
        known = [p for p in parts if p is not None]
        if name == "min":
            return _min_of(known)
        if name == "max":
            return _max_of(known)
        out = known[0]
        for p in known[1:]:
            out = out.hull(p)
        return out
    if name == "abs" and len(args) == 1:
        x = interval(args[0], env)
        if x is None:
            return None
        if x.lo is not None and x.lo >= 0:
            return x
        if x.hi is not None and x.hi <= 0:
            return Interval(-x.hi, None if x.lo is None else -x.lo)
        top = None if x.lo is None or x.hi is None else max(-x.lo, x.hi)
        return Interval(Decimal(0), top)
    if name in _ROUNDING and args:
        x = interval(args[0], env)
        if x is None:
            return None
        places = 0
        if len(args) > 1:
            if not isinstance(args[1], n.Num) or args[1].value != args[1].value.to_integral_value():
                return None
            places = int(args[1].value)
        return _rounded(x, places)
    return None


# ---- criteria ------------------------------------------------------------------------------


def _env_for(c: Criterion, guide: Any, local: bool) -> dict[str, Any]:
    env = input_env(guide.inputs)
    if local:
        kind = c.kind_object
        domains = kind.local_domains(c.params, guide) if kind is not None else {}
        env = {name: Interval(d.low, d.high) for name, d in domains.items()}
    return env


def table_domains(c: Criterion, guide: Any) -> list[Domain] | None:
    """The domain of each value the criterion's decision table tests (None: no table, or
    a tested value that cannot be bounded)."""
    kind = c.kind_object
    table = kind.table(c.params) if kind is not None else None
    if table is None:
        return None
    local = kind.local_domains(c.params, guide)
    inputs = {i.id: i for i in guide.inputs}
    env = input_env(guide.inputs)
    out = []
    for on in table.on:
        node = on.node
        if local:
            if isinstance(node, n.Name) and node.name in local:
                out.append(local[node.name])
                continue
            found = interval(node, {k: Interval(d.low, d.high) for k, d in local.items()})
        elif isinstance(node, n.Name) and node.name in inputs and inputs[node.name].type == "boolean":
            out.append(Domain("boolean", name=node.name))
            continue
        else:
            found = interval(node, env)
        if found is None:
            return None
        integer = isinstance(node, n.Name) and node.name in inputs and inputs[node.name].type == "integer"
        if isinstance(node, n.Call) and node.name == "checked":
            integer = True
        out.append(found.domain(n.unparse(node), integer=integer))
    return out


def live_rows(c: Criterion, guide: Any) -> tuple[tuple[Any, ...] | None, ...] | None:
    """For each row of the criterion's table, values of the tested values that choose it
    (None for a row no admissible value reaches); None when there is no table or it
    cannot be analysed."""
    kind = c.kind_object
    table = kind.table(c.params) if kind is not None else None
    domains = table_domains(c, guide)
    if table is None or domains is None:
        return None
    return row_reach(table, domains)


def points_bound(c: Criterion, guide: Any) -> Interval:
    """The points a criterion can give, within the guide's scale: its attainable points
    (the rows some value reaches, for a table), else the bounds of its points expression
    over the declared ranges, else the whole scale."""
    scale = guide.points
    kind = c.kind_object
    if kind is None:
        return Interval(scale.min, scale.max)
    table = kind.table(c.params)
    if table is not None and all(isinstance(r.points, Decimal) for r in table.rows):
        reach = live_rows(c, guide)
        rows = [r for k, r in enumerate(table.rows) if reach is None or reach[k] is not None]
        values = [r.points for r in rows] or [r.points for r in table.rows]
        return Interval(min(values), max(values)).clip(scale.min, scale.max)  # type: ignore[type-var, arg-type]
    attainable = kind.attainable(c.params, guide)
    if attainable:
        return Interval(min(attainable), max(attainable)).clip(scale.min, scale.max)
    found: Interval | None = None
    for role in kind.expressions(c.params):
        if role.field not in ("score", "points") and not role.field.endswith(".points"):
            continue
        node = role.expr.node if isinstance(role.expr, Expr) else role.expr
        part = interval(node, _env_for(c, guide, role.local))
        if part is None:
            return Interval(scale.min, scale.max)
        found = part if found is None else found.hull(part)
    if found is None:
        return Interval(scale.min, scale.max)
    return found.clip(scale.min, scale.max)


def may_be_not_applicable(c: Criterion) -> bool:
    """Whether a criterion can be not applicable (its weight then shared out): it has an
    ``applicable`` condition, ``missing: not_applicable``, or a kind that can say so."""
    if c.applicable is not None and not (isinstance(c.applicable.node, n.Bool) and c.applicable.node.value):
        return True
    kind = c.kind_object
    return c.missing == "not_applicable" or (kind is not None and kind.may_be_not_applicable(c.params))


# ---- the highest total -----------------------------------------------------------------------


@attrs.frozen
class ModelBound:
    """The highest total a model can give, and what it is made of."""

    model: str
    #: The exact highest total (before report rounding).
    total: Fraction
    #: The highest total as reported (the guide's report scale and rounding).
    reported: Decimal
    #: Each criterion's highest points (on the scale).
    points: Mapping[str, Decimal]
    #: The criteria left out (not applicable) to reach that total.
    left_out: tuple[str, ...]


def _best_mean(forced: list[tuple[Fraction, Fraction, str]], optional: list[tuple[Fraction, Fraction, str]]
               ) -> tuple[Fraction | None, list[str]]:
    """The highest weighted mean of ``forced`` items plus any subset of ``optional`` ones
    (weight, value, id): optional items in decreasing value, while they raise the mean."""
    weight = sum((w for w, _, _ in forced), Fraction(0))
    total = sum((w * v for w, v, _ in forced), Fraction(0))
    taken: list[str] = [ident for _, _, ident in forced]
    for w, v, ident in sorted(optional, key=lambda t: (-t[1], t[2])):
        if w == 0:
            continue
        if weight == 0 or v >= total / weight:
            weight += w
            total += w * v
            taken.append(ident)
    if weight == 0:
        return None, taken
    return total / weight, taken


def highest_total(model: Model, guide: Any) -> ModelBound:
    """The highest total ``model`` can give (see the module's docstring): a tier whose
    ``min`` is above :attr:`ModelBound.reported` can never be awarded."""
    scale = guide.points
    span = Fraction(scale.max - scale.min)
    points: dict[str, Decimal] = {}
    cats_forced: list[tuple[Fraction, Fraction, str]] = []
    cats_optional: list[tuple[Fraction, Fraction, str]] = []
    kept: set[str] = set()
    for cat in model.categories:
        forced, optional = [], []
        for c in cat.criteria:
            best = points_bound(c, guide).hi
            assert best is not None
            points[c.id] = best
            pct = (Fraction(best) - Fraction(scale.min)) / span * 100
            (optional if may_be_not_applicable(c) else forced).append((Fraction(c.weight), pct, c.id))
        mean, taken = _best_mean(forced, optional)
        if mean is None:
            continue
        kept.update(taken)
        (cats_forced if forced else cats_optional).append((Fraction(cat.weight), mean, cat.id))
    total, taken_cats = _best_mean(cats_forced, cats_optional)
    total = total if total is not None else Fraction(0)
    in_cats = {c.id for cat in model.categories if cat.id in taken_cats for c in cat.criteria}
    left_out = tuple(c.id for c in model.criteria() if c.id not in kept or c.id not in in_cats)
    exact = decimal.Context(prec=60).divide(Decimal(total.numerator), Decimal(total.denominator))
    nums = guide.numbers
    step = Decimal(1).scaleb(-nums.report_scale)
    reported = exact.quantize(step, rounding=ROUNDING_MODES[nums.report_rounding],
                              context=decimal.Context(prec=60))
    return ModelBound(model.id, total, reported, points, left_out)
