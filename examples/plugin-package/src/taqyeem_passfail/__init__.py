"""An example plugin for taqyeem_rules (docs/plugins.md walks through it).

- ``pass_fail``, a criterion kind: full points when a yes/no input holds, none (or
  ``fail`` points) when it does not::

      - id: env_fire_certificate
        label: {en: "Valid civil-defence certificate", ar: "شهادة دفاع مدني سارية"}
        weight: 1
        kind: pass_fail
        params: {check: fire_certificate, fail: 0}

- ``share(part, whole)``, a function: ``part / whole × 100``, null when ``whole`` is 0.

Both are registered through entry points in ``pyproject.toml``; installing the package
(``pip install ./examples/plugin-package``) makes them available to every guide.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import attrs

from taqyeem_rules.dsl import function
from taqyeem_rules.errors import Diagnostic
from taqyeem_rules.guide.kinds import (
    CheckContext,
    CompileContext,
    Compiled,
    CriterionKind,
    FieldChange,
    LoadContext,
    Message,
    Outcome,
)
from taqyeem_rules.guide.kinds.base import Path, check_input
from taqyeem_rules.guide.model import Criterion
from taqyeem_rules.source import Span

__all__ = ["KIND", "PassFailKind", "PassFailParams", "share"]


@function("share", params=["number", "number"], returns="number?", version="1.0.0", register=False)
def share(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole × 100; null when whole is 0."""
    if not whole:
        return None
    return part / whole * 100


@attrs.frozen
class PassFailParams:
    """The params of a ``pass_fail`` criterion: the yes/no input, and the points of a fail
    (full points for a pass are the guide's scale maximum)."""

    check: str
    fail: Decimal
    span: Span | None = attrs.field(default=None, eq=False, repr=False)
    path: str = attrs.field(default="", eq=False, repr=False)


class PassFailKind(CriterionKind):
    """Full points when a boolean input holds, ``fail`` points when it does not."""

    name = "pass_fail"
    version = "1.0.0"
    amendable = ("fail",)
    messages = {  # noqa: RUF012 - read-only templates
        "en": {"pass_fail.result": "{check} is {value}: {outcome}",
               "pass_fail.pass": "pass", "pass_fail.fail": "fail"},
        "ar": {"pass_fail.result": "{check} = {value}: {outcome}",
               "pass_fail.pass": "ناجح", "pass_fail.fail": "غير ناجح"},
    }

    def params_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": ["check"],
            "properties": {
                "check": {"$ref": "#/definitions/id", "description": "A boolean input."},
                "fail": {"type": "number", "description": "Points when the check fails (default 0)."},
            },
        }

    def load(self, ctx: LoadContext, path: Path) -> PassFailParams:
        data = ctx.get(path)
        return PassFailParams(
            check=str(data["check"]),
            fail=ctx.number(data.get("fail", 0)),
            span=ctx.span((*path, "check")),
            path=ctx.path_text(path),
        )

    def input_names(self, params: PassFailParams) -> tuple[str, ...]:
        return (params.check,)

    def check(self, criterion: Criterion, params: PassFailParams, ctx: CheckContext) -> Iterator[Diagnostic]:
        yield from check_input(criterion, ctx, params.check, ("boolean",), params.span,
                               f"{params.path}.check", "the check")
        p = ctx.guide.points
        if not p.min <= params.fail <= p.max:
            yield Diagnostic("guide.points-range",
                             f"criterion `{criterion.id}`: `fail` gives {params.fail} points, off the scale",
                             params.span, None, "error", f"{params.path}.fail")

    def compile(self, params: PassFailParams, cc: CompileContext) -> Compiled:
        value = f"env[{cc.const(params.check)}]"
        full, fail = cc.const(cc.guide.points.max), cc.const(params.fail)
        cc.emit(f"{cc.points} = None if {value} is None else ({full} if {value} else {fail})")
        cc.emit(f"{cc.detail} = -1")
        return Compiled(may_be_null=True, on_scale=True)

    def explain(self, criterion: Criterion, params: PassFailParams, outcome: Outcome) -> list[Message]:
        value = outcome.inputs.get(params.check)
        if value is None:
            return []
        return [Message.of("pass_fail.result", check=params.check, value=value,
                           outcome=Message.of("pass_fail.pass" if value else "pass_fail.fail"))]

    def canonical(self, params: PassFailParams) -> dict[str, Any]:
        return {"check": params.check, "fail": str(params.fail.normalize()) if params.fail else "0"}

    def file_data(self, params: PassFailParams) -> dict[str, Any]:
        return {"check": params.check, "fail": params.fail}

    def compare(self, a: PassFailParams | None, b: PassFailParams | None) -> Iterator[FieldChange]:
        for order, key in enumerate(("check", "fail")):
            old, new = getattr(a, key, None), getattr(b, key, None)
            if old != new:
                yield FieldChange(f"params.{key}", old, new, 20 + order)

    def attainable(self, params: PassFailParams, guide: Any) -> tuple[Decimal, ...]:
        return tuple(sorted({params.fail, guide.points.max}))


KIND = PassFailKind()
