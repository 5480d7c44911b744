"""The ``assessors`` kind: one criterion rated independently by several assessors.

Field visits and mystery shoppers may send more than one assessor; each rates the
criterion on their own. The evidence is a ``ratings`` input — a list of
``{assessor, rating}``, each rating within the input's declared ``range``::

    inputs:
      - id: fv_cleanliness_ratings
        type: ratings
        source: field_visit
        range: [0, 4]
        min_items: 1

    - id: env_cleanliness
      kind: assessors
      params:
        ratings: fv_cleanliness_ratings
        consensus: median          # or mean
        max_spread: 1              # ratings further apart than this are flagged

**Consensus**: ``median`` — the middle rating; of an even count, the mean of the two
middle ratings (as FEEL's ``median``) — or ``mean``, the mean of all ratings, both in
the guide's decimal context. **Disagreement** is flagged (in the trace and the result's
detail) when the highest and lowest ratings differ by more than ``max_spread``; it
never changes the points. The points are the consensus, or ``points:`` — an expression
over ``consensus``, ``spread`` and ``count``. Each assessor names themselves once per
centre (a second rating by the same assessor is an error in the evidence).
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ...dsl import nodes as n
from ...dsl.builtins import BUILTINS
from ...dsl.numbers import canonical, format_number
from ...dsl.treediff import subtree_changes
from ...dsl.types import NUMBER
from ...errors import Diagnostic
from ...source import Span
from ..model import Criterion, Expr
from ..tables import Domain
from .base import (
    CheckContext,
    CompileContext,
    Compiled,
    CriterionKind,
    FieldChange,
    LoadContext,
    Message,
    Outcome,
    Path,
    Role,
    check_input,
)
from .expression import constant_points

__all__ = ["CONSENSUS", "KIND", "AssessorsKind", "AssessorsParams", "consensus_of"]

#: The consensus rules, by name.
CONSENSUS = ("median", "mean")

MESSAGES = {
    "en": {
        "assessors.ratings": "ratings: {ratings}",
        "assessors.consensus": "{rule} of {count} ratings = {consensus}",
        "assessors.rule.median": "median",
        "assessors.rule.mean": "mean",
        "assessors.disagreement": "disagreement: the ratings are {spread} apart, more than {limit}",
        "assessors.points": "points: {expression} = {points}",
        "assessors.none": "no rating given",
    },
    "ar": {
        "assessors.ratings": "التقييمات: {ratings}",
        "assessors.consensus": "{rule} {count} تقييمات = {consensus}",
        "assessors.rule.median": "وسيط",
        "assessors.rule.mean": "متوسط",
        "assessors.disagreement": "تباين: الفرق بين التقييمات {spread}، أكثر من {limit}",
        "assessors.points": "النقاط: {expression} = {points}",
        "assessors.none": "لا توجد تقييمات",
    },
}


@attrs.frozen
class AssessorsParams:
    """The params of an ``assessors`` criterion."""

    ratings: str
    consensus: str = "median"
    max_spread: Decimal | None = None
    points: Expr | None = None
    span: Span | None = attrs.field(default=None, eq=False, repr=False)
    ratings_span: Span | None = attrs.field(default=None, eq=False, repr=False)
    path: str = attrs.field(default="", eq=False, repr=False)


def consensus_of(
    ctx: decimal.Context, rule: str, limit: Decimal | None, ratings: Sequence[Mapping[str, Any]] | None
) -> tuple[tuple[tuple[str, Decimal], ...], Decimal | None, Decimal | None, bool] | None:
    """(each assessor's rating, the consensus, the spread, disagreement) of a list of
    ratings, in ``ctx``; None when the ratings are absent; the consensus is None for an
    empty list."""
    if ratings is None:
        return None
    pairs = tuple((str(r["assessor"]), r["rating"]) for r in ratings)
    values = [v for _, v in pairs]
    if not values:
        return (pairs, None, None, False)
    consensus = BUILTINS[rule].impl(ctx, values)
    spread = ctx.subtract(max(values), min(values))
    return (pairs, consensus, spread, limit is not None and spread > limit)


def _local_names(found: tuple[Any, ...]) -> dict[str, Decimal]:
    """The names a ``points`` expression reads: consensus, spread, count."""
    return {"consensus": found[1], "spread": found[2], "count": Decimal(len(found[0]))}


class AssessorsKind(CriterionKind):
    """Independent ratings by several assessors → a consensus → points."""

    name = "assessors"
    amendable = ("consensus", "max_spread", "points")
    messages = MESSAGES

    def params_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": ["ratings"],
            "properties": {
                "ratings": {"$ref": "#/definitions/id", "description": "A `ratings` input."},
                "consensus": {"enum": list(CONSENSUS), "description": "How the ratings combine (default median)."},
                "max_spread": {"type": "number", "minimum": 0,
                               "description": "Ratings further apart than this are flagged as a disagreement."},
                "points": {"anyOf": [{"$ref": "#/definitions/expression"}, {"type": "number"}],
                           "description": "Points from `consensus`, `spread` and `count` (default: the consensus)."},
            },
        }

    def load(self, ctx: LoadContext, path: Path) -> AssessorsParams:
        d = ctx.get(path)
        return AssessorsParams(
            ratings=str(d["ratings"]),
            consensus=str(d.get("consensus", "median")),
            max_spread=ctx.number(d["max_spread"]) if d.get("max_spread") is not None else None,
            points=ctx.expr((*path, "points")) if d.get("points") is not None else None,
            span=ctx.key_span(path),
            ratings_span=ctx.span((*path, "ratings")),
            path=ctx.path_text(path),
        )

    def input_names(self, params: AssessorsParams) -> tuple[str, ...]:
        return (params.ratings,)

    def expressions(self, params: AssessorsParams) -> tuple[Role, ...]:
        return (Role("points", params.points, True),) if params.points is not None else ()

    def _scope(self, ctx: Any) -> Any:
        return ctx.scope({"consensus": NUMBER, "spread": NUMBER, "count": NUMBER})

    def check(self, criterion: Criterion, params: AssessorsParams, ctx: CheckContext) -> Iterator[Diagnostic]:
        yield from check_input(criterion, ctx, params.ratings, ("ratings",), params.ratings_span,
                               f"{params.path}.ratings", "the assessors' ratings")
        if params.points is not None:
            ctx.run(params.points, self._scope(ctx), NUMBER, f"the points of criterion `{criterion.id}`",
                    f"{params.path}.points")
            return
        inp = ctx.guide.input(params.ratings)
        if inp is not None and inp.type == "ratings":
            lo, hi = inp.bounds
            p = ctx.guide.points
            if lo is None or hi is None or lo < p.min or hi > p.max:
                yield Diagnostic(
                    "guide.points-range",
                    f"criterion `{criterion.id}` gives the consensus rating as points, but "
                    f"`{params.ratings}` is not bounded within the scale "
                    f"{format_number(p.min)} to {format_number(p.max)}",
                    params.ratings_span or params.span,
                    f"give `{params.ratings}` a `range` within the scale, or map the rating with `points:`",
                    "error",
                    f"{params.path}.ratings",
                )

    def check_evidence(self, params: AssessorsParams, values: Mapping[str, Any]) -> Iterator[tuple[str, str, str | None]]:
        ratings = values.get(params.ratings)
        if not isinstance(ratings, list):
            return
        seen: set[str] = set()
        for r in ratings:
            who = r.get("assessor") if isinstance(r, Mapping) else None
            if isinstance(who, str):
                if who in seen:
                    yield (params.ratings, f"assessor `{who}` rates `{params.ratings}` twice",
                           "each assessor gives one rating per centre")
                seen.add(who)

    def compile(self, params: AssessorsParams, cc: CompileContext) -> Compiled:
        b = cc.builder
        fn = cc.const(functools.partial(consensus_of, b.ctx, params.consensus, params.max_spread))
        t = b.tmp()
        b.emit(f"{t} = {fn}(env[{cc.const(params.ratings)}])")
        b.emit(f"{cc.detail} = {t} if {t} is not None else -1")
        if params.points is None:
            b.emit(f"{cc.points} = {t}[1] if {t} is not None else None")
            inp = cc.guide.input(params.ratings)
            lo, hi = inp.bounds if inp is not None else (None, None)
            p = cc.guide.points
            bounded = lo is not None and hi is not None and p.min <= lo and hi <= p.max
            return Compiled(may_be_null=True, on_scale=bounded)
        local = b.tmp()
        b.emit(f"if {t} is None or {t}[1] is None:")
        with b.block():
            b.emit(f"{cc.points} = None")
        b.emit("else:")
        with b.block():
            b.emit(f"{local} = {cc.const(_local_names)}({t})")
            code, _ = cc.value(params.points, self._scope(cc), local)
            b.emit(f"{cc.points} = {code}")
        return Compiled(may_be_null=True)

    def null_reason(self, params: AssessorsParams) -> tuple[str, str]:
        return ("no assessor rated it", "add the assessors' ratings, or set a `missing:` policy")

    def detail_data(self, params: AssessorsParams, detail: Any) -> dict[str, Any] | None:
        if not isinstance(detail, tuple):
            return None
        pairs, consensus, spread, disagreement = detail
        return {
            "ratings": [{"assessor": a, "rating": r} for a, r in pairs],
            "consensus": consensus,
            "rule": params.consensus,
            "spread": spread,
            "disagreement": disagreement,
        }

    def explain(self, criterion: Criterion, params: AssessorsParams, outcome: Outcome) -> list[Message]:
        detail = outcome.detail
        if not isinstance(detail, tuple):
            return []
        pairs, consensus, spread, disagreement = detail
        if consensus is None:
            return [Message.of("assessors.none")]
        out = [
            Message.of("assessors.ratings", ratings=", ".join(f"{a} {canonical(r)}" for a, r in pairs)),
            Message.of("assessors.consensus", rule=Message.of(f"assessors.rule.{params.consensus}"),
                       count=Decimal(len(pairs)), consensus=consensus),
        ]
        if disagreement:
            out.append(Message.of("assessors.disagreement", spread=spread, limit=params.max_spread))
        if params.points is not None and outcome.points is not None:
            out.append(Message.of("assessors.points", expression=n.unparse(params.points.node), points=outcome.points))
        return out

    def canonical(self, params: AssessorsParams) -> dict[str, Any]:
        return {
            "ratings": params.ratings,
            "consensus": params.consensus,
            "max_spread": canonical(params.max_spread) if params.max_spread is not None else None,
            "points": params.points.canonical if params.points is not None else None,
        }

    def file_data(self, params: AssessorsParams) -> dict[str, Any]:
        out = {k: v for k, v in self.canonical(params).items() if v is not None}
        if params.max_spread is not None:
            out["max_spread"] = params.max_spread  # a number in a guide file, not text
        return out

    def compare(self, a: AssessorsParams | None, b: AssessorsParams | None) -> Iterator[FieldChange]:
        ca = self.canonical(a) if a is not None else {}
        cb = self.canonical(b) if b is not None else {}
        for k, key in enumerate(("ratings", "consensus", "max_spread")):
            if ca.get(key) != cb.get(key):
                yield FieldChange(f"params.{key}", ca.get(key), cb.get(key), 20 + k)
        pa = a.points if a is not None else None
        pb = b.points if b is not None else None
        if (pa.node if pa else None) != (pb.node if pb else None):
            yield FieldChange("params.points", pa.canonical if pa else None, pb.canonical if pb else None,
                              23, subtree_changes(pa.node if pa else None, pb.node if pb else None))

    def local_domains(self, params: AssessorsParams, guide: Any) -> dict[str, Any]:
        inp = guide.input(params.ratings)
        lo, hi = inp.bounds if inp is not None else (None, None)
        spread_hi = hi - lo if lo is not None and hi is not None else None
        fewest = max(inp.min_items or 1, 1) if inp is not None else 1
        return {
            "consensus": Domain("number", lo, hi, "consensus"),
            "spread": Domain("number", Decimal(0), spread_hi, "spread"),
            "count": Domain("integer", Decimal(fewest), None, "count"),
        }

    def attainable(self, params: AssessorsParams, guide: Any) -> tuple[Decimal, ...] | None:
        if params.points is not None:
            return constant_points(params.points.node)
        return None


KIND = AssessorsKind()
