"""A plain reference scorer, written from docs/guide-format.md ("Scoring"), not from the engine.

It walks the guide model directly and evaluates every expression and decision-table
cell with the tree-walking interpreter (``taqyeem_rules.dsl.interpret``), doing the
arithmetic of the documented formulas one decimal operation at a time, in the guide's
``numbers`` context and in the documented order:

    percentage       = ((points − min) / (max − min)) × 100
    category score   = (Σ weight × percentage) / (Σ weight)            applicable criteria
    total            = (Σ category weight × category score) / (Σ category weight)
    g                = (category weight × weight) / (Σ weight of applicable criteria)
    basic attainment = (Σ g × percentage) / (Σ g)                      applicable basic criteria
    effective weight = (g × 100) / (Σ category weight of applicable categories)
    contribution     = (effective weight × percentage) / 100

Sums run left to right in the order the guide lists things. Category scores, the total
and basic attainment are rounded to ``numbers.report`` once; tiers and flags read the
rounded values (and exact criterion percentages).

Nothing here is optimised: it is meant to be obviously right, so the compiled engine
can be checked against it digit for digit.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from taqyeem_rules.dsl import interpret, make_context

__all__ = ["RefCategory", "RefCriterion", "RefError", "RefResult", "reference_score"]

# The guide's rounding names, mapped here independently of the library.
_MODES = {
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_up": decimal.ROUND_HALF_UP,
    "half_down": decimal.ROUND_HALF_DOWN,
    "up": decimal.ROUND_UP,
    "down": decimal.ROUND_DOWN,
    "ceiling": decimal.ROUND_CEILING,
    "floor": decimal.ROUND_FLOOR,
}


class RefError(Exception):
    """A centre the reference cannot score: the error code the engine should give."""

    def __init__(self, code: str, criterion: str | None = None) -> None:
        super().__init__(f"{code} ({criterion})")
        self.code = code
        self.criterion = criterion


@dataclass
class RefCriterion:
    id: str
    category: str
    status: str  # scored | not_applicable | missing_zero | missing_not_applicable
    points: Decimal | None = None
    percentage: Decimal | None = None
    row: int | None = None  # 1-based matched row of a decision table
    g: Decimal | None = None
    effective_weight: Decimal | None = None
    contribution: Decimal | None = None


@dataclass
class RefCategory:
    id: str
    weight: Decimal
    score_exact: Decimal | None
    score: Decimal | None
    weight_sum: Decimal | None  # Σ weight of its applicable criteria


@dataclass
class RefResult:
    total_exact: Decimal
    total: Decimal
    basic_exact: Decimal | None
    basic: Decimal | None
    tier: str | None
    flags: dict[str, bool | None]
    categories: dict[str, RefCategory] = field(default_factory=dict)
    criteria: dict[str, RefCriterion] = field(default_factory=dict)


def _plain(value: Any) -> Any:
    """Evidence values in the language's terms (ints → Decimal), as the engine sees them."""
    if isinstance(value, bool) or value is None or isinstance(value, Decimal | str):
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    raise TypeError(f"unexpected evidence value {value!r}")


def _sum(ctx: decimal.Context, values: list[Decimal]) -> Decimal:
    """Σ left to right, every addition in ``ctx`` (the first term as it is)."""
    total = values[0]
    for v in values[1:]:
        total = ctx.add(total, v)
    return total


def _round(value: Decimal, numbers: Any, ctx: decimal.Context) -> Decimal:
    exponent = Decimal(1).scaleb(-numbers.report_scale)
    return value.quantize(exponent, rounding=_MODES[numbers.report_rounding], context=ctx)


_NA = object()  # a kind made the criterion not applicable itself


def _table(table: Any, env: Mapping[str, Any], ctx: decimal.Context, cid: str) -> tuple[Decimal | None, int | None]:
    """The points of the first matching row (all matching rows under `hit: unique`)."""
    tested = [interpret(on.node, env, ctx=ctx) for on in table.on]
    matched = []
    for r, row in enumerate(table.rows):
        if all(interpret(cell, env, ctx=ctx, tested=t) is True for cell, t in zip(row.when, tested, strict=True)):
            matched.append(r)
    if table.hit == "unique" and len(matched) > 1:
        raise RefError("scoring.table-overlap", cid)
    if not matched:
        return None, None
    row = table.rows[matched[0]]
    if isinstance(row.points, Decimal):
        return row.points, matched[0] + 1
    return interpret(row.points.node, env, ctx=ctx), matched[0] + 1


def _local_points(p: Any, local: Mapping[str, Any], ctx: decimal.Context, cid: str) -> tuple[Any, int | None]:
    if p.bands is not None:
        return _table(p.bands, local, ctx, cid)
    return interpret(p.points.node, local, ctx=ctx), None


def _points(guide: Any, c: Any, env: Mapping[str, Any], ctx: decimal.Context) -> tuple[Any, int | None]:
    """A criterion's points (None: null; _NA: not applicable) and the matched row (1-based)."""
    p = c.params
    if c.kind == "expression":
        return interpret(p.score.node, env, ctx=ctx), None
    if c.kind == "bands":
        return _table(p, env, ctx, c.id)
    if c.kind == "survey":
        # docs: index = 100 × Σ n_k (v_k − v_min) / (N × (v_max − v_min)); items in order are
        # 1, 2, …, n unless `values` says otherwise; N/A below min_responses (or N = 0).
        answers = env.get(p.answers)
        if answers is None:
            return None, None
        items = [it.id for it in guide.input(p.answers).items]
        values = dict(p.values) if p.values is not None else {it: Decimal(k + 1) for k, it in enumerate(items)}
        n = Decimal(0)
        for it in items:
            n = ctx.add(n, answers[it])
        if n < p.min_responses or n == 0:
            return _NA, None
        lo, hi = min(values.values()), max(values.values())
        top = Decimal(0)
        for it in items:
            top = ctx.add(top, ctx.multiply(answers[it], ctx.subtract(values[it], lo)))
        index = ctx.multiply(ctx.divide(top, ctx.multiply(n, ctx.subtract(hi, lo))), Decimal(100))
        return _local_points(p, {"index": index, "responses": n}, ctx, c.id)
    if c.kind == "tawasul":
        # docs: N/A with no case received; rates as percentages of received (satisfaction:
        # of replied, 0 when nothing was replied).
        cases = env.get(p.cases)
        if cases is None:
            return None, None
        received = cases["received"]
        if received == 0:
            return _NA, None

        def rate(part: Decimal, whole: Decimal) -> Decimal:
            return Decimal(0) if whole == 0 else ctx.multiply(ctx.divide(part, whole), Decimal(100))

        local = {
            "received": received,
            "reply_rate": rate(cases["replied"], received),
            "on_time_rate": rate(cases["replied_in_time"], received),
            "closure_rate": rate(cases["closed"], received),
            "satisfaction_rate": rate(cases["satisfied"], cases["replied"]),
        }
        return _local_points(p, local, ctx, c.id)
    assert c.kind == "assessors", c.kind
    # docs: median (of an even count, the mean of the two middle ratings) or mean.
    ratings = env.get(p.ratings)
    if not ratings:
        return None, None
    values = sorted(r["rating"] for r in ratings)
    if p.consensus == "mean":
        consensus = ctx.divide(_sum(ctx, values), Decimal(len(values)))
    elif len(values) % 2:
        consensus = values[len(values) // 2]
    else:
        consensus = ctx.divide(ctx.add(values[len(values) // 2 - 1], values[len(values) // 2]), Decimal(2))
    if p.points is None:
        return consensus, None
    local = {"consensus": consensus, "spread": ctx.subtract(values[-1], values[0]), "count": Decimal(len(values))}
    return interpret(p.points.node, local, ctx=ctx), None


def reference_score(guide: Any, model_id: str, inputs: Mapping[str, Any]) -> RefResult:
    """Score one centre of ``model_id`` with evidence ``inputs`` (input id → value).

    Raises :class:`RefError` with the error code the engine should raise.
    """
    ctx = make_context(guide.numbers.precision, guide.numbers.rounding)
    model = next(m for m in guide.models if m.id == model_id)
    env = {i.id: _plain(inputs.get(i.id)) for i in guide.inputs}
    pmin, pmax = guide.points.min, guide.points.max
    span = ctx.subtract(pmax, pmin)
    hundred = Decimal(100)

    criteria: dict[str, RefCriterion] = {}
    # 1. points and status of each criterion, in guide order (the first failure wins)
    for cat in model.categories:
        for c in cat.criteria:
            rc = RefCriterion(c.id, cat.id, "scored")
            criteria[c.id] = rc
            if c.applicable is not None:
                applies = interpret(c.applicable.node, env, ctx=ctx)
                if applies is None:
                    raise RefError("scoring.applicable-null", c.id)
                if applies is False:
                    rc.status = "not_applicable"
                    continue
            points, row = _points(guide, c, env, ctx)
            rc.row = row
            if points is _NA:
                rc.status = "not_applicable"
                continue
            if points is None:
                if c.missing == "zero":
                    rc.status, rc.points = "missing_zero", pmin
                elif c.missing == "not_applicable":
                    rc.status = "missing_not_applicable"
                    continue
                else:
                    raise RefError("scoring.missing", c.id)
            else:
                if not pmin <= points <= pmax:
                    raise RefError("scoring.points-range", c.id)
                rc.points = points
            # 2. percentage
            rc.percentage = ctx.multiply(ctx.divide(ctx.subtract(rc.points, pmin), span), hundred)

    # 3. category scores over applicable criteria
    categories: dict[str, RefCategory] = {}
    for cat in model.categories:
        live = [c for c in cat.criteria if criteria[c.id].percentage is not None]
        if not live:
            categories[cat.id] = RefCategory(cat.id, cat.weight, None, None, None)
            continue
        num = _sum(ctx, [ctx.multiply(c.weight, criteria[c.id].percentage) for c in live])
        den = _sum(ctx, [c.weight for c in live])
        score = ctx.divide(num, den)
        categories[cat.id] = RefCategory(cat.id, cat.weight, score, _round(score, guide.numbers, ctx), den)

    # 4. total over applicable categories
    live_cats = [cat for cat in model.categories if categories[cat.id].score_exact is not None]
    if not live_cats:
        raise RefError("scoring.all-not-applicable")
    total_num = _sum(ctx, [ctx.multiply(cat.weight, categories[cat.id].score_exact) for cat in live_cats])
    total_den = _sum(ctx, [cat.weight for cat in live_cats])
    total = ctx.divide(total_num, total_den)

    # 5. g, effective weights, contributions; basic attainment
    for cat in model.categories:
        rcat = categories[cat.id]
        for c in cat.criteria:
            rc = criteria[c.id]
            if rc.percentage is None:
                continue
            rc.g = ctx.divide(ctx.multiply(cat.weight, c.weight), rcat.weight_sum)
            rc.effective_weight = ctx.divide(ctx.multiply(rc.g, hundred), total_den)
            rc.contribution = ctx.divide(ctx.multiply(rc.effective_weight, rc.percentage), hundred)
    basics = [
        criteria[c.id] for c in model.criteria() if c.basic and criteria[c.id].percentage is not None
    ]
    basic = None
    if basics:
        basic = ctx.divide(
            _sum(ctx, [ctx.multiply(rc.g, rc.percentage) for rc in basics]),
            _sum(ctx, [rc.g for rc in basics]),
        )

    # 6. report rounding, then tiers and flags on the rounded values
    total_r = _round(total, guide.numbers, ctx)
    basic_r = None if basic is None else _round(basic, guide.numbers, ctx)
    renv = {
        "total": total_r,
        "basic_attainment": basic_r,
        "categories": {cat.id: categories[cat.id].score for cat in model.categories},
        "criteria": {c.id: criteria[c.id].percentage for c in model.criteria()},
    }
    tier = None
    for t in model.tiers:
        if total_r >= t.min and (t.require is None or interpret(t.require.node, renv, ctx=ctx) is True):
            tier = t.id
            break
    flags = {f.id: interpret(f.when.node, renv, ctx=ctx) for f in model.flags}
    return RefResult(total, total_r, basic, basic_r, tier, flags, categories, criteria)
