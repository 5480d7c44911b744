"""The ``expression`` kind: the points are one expression over the inputs.

Written ``score: EXPR`` (the shorthand) or ``kind: expression`` with
``params: {score: EXPR}``; both mean the same and have the same canonical form::

    - id: service_waiting_time
      score: "clamp(4 - (mean(ms_waiting_minutes) - 10) / 5, 0, 4)"
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs

from ...dsl import nodes as n
from ...dsl.numbers import format_number
from ...dsl.treediff import subtree_changes
from ...dsl.types import NUMBER
from ...errors import Diagnostic
from ..model import Criterion, Expr
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
)

__all__ = ["KIND", "ExpressionKind", "ExpressionParams", "constant_points", "on_scale"]


@attrs.frozen
class ExpressionParams:
    """The params of an ``expression`` criterion: its score expression."""

    score: Expr
    #: Where the params are written (``….score`` is the expression's path).
    path: str = attrs.field(default="", eq=False, repr=False)


def constant_points(node: n.Node) -> tuple[Decimal, ...] | None:
    """The values an expression can give when every branch ends in a constant number
    (``4``, ``if a then 4 else 2``), sorted; None otherwise."""
    if isinstance(node, n.Num):
        return (node.value,)
    if isinstance(node, n.If):
        a, b = constant_points(node.then), constant_points(node.otherwise)
        if a is not None and b is not None:
            return tuple(sorted(set(a) | set(b)))
    return None


def on_scale(node: n.Node, ctx: Any) -> bool:
    """True when an expression provably stays on the guide's scale (so no check is
    needed): ``checked(c)`` of a checklist with at most ``max`` items (from a scale
    starting at 0), ``clamp(x, lo, hi)`` with constant bounds on the scale, a constant."""
    guide = ctx.guide
    pts = guide.points
    if isinstance(node, n.Call) and node.name == "clamp" and len(node.args) == 3:
        lo, hi = node.args[1], node.args[2]
        return (
            isinstance(lo, n.Num) and isinstance(hi, n.Num)
            and pts.min <= lo.value <= hi.value <= pts.max
        )
    if isinstance(node, n.Call) and node.name == "checked" and len(node.args) == 1:
        arg = node.args[0]
        inp = guide.input(arg.name) if isinstance(arg, n.Name) else None
        return inp is not None and inp.type == "checklist" and pts.min <= 0 and len(inp.items) <= pts.max
    if isinstance(node, n.Num):
        return bool(pts.min <= node.value <= pts.max)
    return False


MESSAGES = {
    "en": {"expression.score": "score: {expression} = {points}"},
    "ar": {"expression.score": "الدرجة: {expression} = {points}"},
}


class ExpressionKind(CriterionKind):
    """Points from one expression (the built-in kind behind ``score:``)."""

    name = "expression"
    shorthand = "score"
    amendable = ("score",)
    messages = MESSAGES

    def params_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": ["score"],
            "properties": {
                "score": {"anyOf": [{"$ref": "#/definitions/expression"}, {"type": "number"}]},
            },
        }

    def shorthand_schema(self) -> dict[str, Any]:
        return self.params_schema()["properties"]["score"]

    def shorthand_data(self, data: dict[str, Any]) -> dict[str, Any]:
        return data  # `score:` sits on the criterion itself

    def shorthand_path(self, criterion_path: Path) -> Path:
        # `score:` sits on the criterion itself: the criterion is the params mapping.
        return criterion_path

    def load(self, ctx: LoadContext, path: Path) -> ExpressionParams:
        return ExpressionParams(ctx.expr((*path, "score")), path=ctx.path_text(path))

    def expressions(self, params: ExpressionParams) -> tuple[Role, ...]:
        return (Role("score", params.score),)

    def check(self, criterion: Criterion, params: ExpressionParams, ctx: CheckContext) -> Iterator[Diagnostic]:
        ctx.run(params.score, ctx.input_scope, NUMBER, f"the score of criterion `{criterion.id}`",
                f"{params.path}.score")
        node = params.score.node
        if isinstance(node, n.Num):
            p = ctx.guide.points
            if not p.min <= node.value <= p.max:
                yield Diagnostic(
                    "guide.points-range",
                    f"criterion `{criterion.id}` always gives {format_number(node.value)} points; "
                    f"the scale is {format_number(p.min)} to {format_number(p.max)}",
                    criterion.span,
                    None,
                    "error",
                    criterion.path,
                )

    def never_null(self, params: ExpressionParams, ctx: CheckContext) -> bool:
        checked = ctx.checked(params.score)
        return checked is not None and checked.ok and not checked.type.nullable

    def compile(self, params: ExpressionParams, cc: CompileContext) -> Compiled:
        code, may_be_null = cc.value(params.score)
        cc.emit(f"{cc.points} = {code}")
        cc.emit(f"{cc.detail} = -1")
        return Compiled(may_be_null=may_be_null, on_scale=on_scale(cc.checked(params.score).node, cc))

    def explain(self, criterion: Criterion, params: ExpressionParams, outcome: Outcome) -> list[Message]:
        if outcome.status != "scored":
            return []
        return [Message.of("expression.score", expression=n.unparse(params.score.node), points=outcome.points)]

    def canonical(self, params: ExpressionParams) -> dict[str, Any]:
        return {"score": params.score.canonical}

    def compare(self, a: ExpressionParams | None, b: ExpressionParams | None) -> Iterator[FieldChange]:
        na = a.score.node if a is not None else None
        nb = b.score.node if b is not None else None
        if na != nb:
            yield FieldChange(
                "score",
                a.score.canonical if a is not None else None,
                b.score.canonical if b is not None else None,
                3,
                subtree_changes(na, nb),
            )

    def attainable(self, params: ExpressionParams, guide: Any) -> tuple[Decimal, ...] | None:
        node = params.score.node
        if isinstance(node, n.Call) and node.name == "checked" and len(node.args) == 1:
            arg = node.args[0]
            inp = guide.input(arg.name) if isinstance(arg, n.Name) else None
            if inp is not None and inp.type == "checklist":
                return tuple(Decimal(k) for k in range(len(inp.items) + 1))
        return constant_points(node)


KIND = ExpressionKind()
