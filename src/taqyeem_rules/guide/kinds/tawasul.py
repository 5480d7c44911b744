"""The ``tawasul`` kind: complaint handling in the Tawasul system → points.

Tawasul, the national suggestions and complaints system, gives every case a tracking
number and a reply deadline, and asks complainants for their opinion of the reply
(source ``003_f10b9817e3404ab0.txt``). The evidence is one ``counts`` input with five
items — every one required, whole numbers ≥ 0::

    inputs:
      - id: tawasul_cases
        type: counts
        source: tawasul
        items:
          - {id: received, label: …}          # cases received in the period
          - {id: replied, label: …}           # cases that got a reply
          - {id: replied_in_time, label: …}   # … within the service level (reply_days)
          - {id: closed, label: …}            # cases closed
          - {id: satisfied, label: …}         # complainants satisfied with the reply

    - id: cm_tawasul_response
      kind: tawasul
      params:
        cases: tawasul_cases
        reply_days: 5
        bands:
          on: [on_time_rate, satisfaction_rate]
          rows:
            - {when: [">= 95", ">= 80"], points: 4}
            - …

Evidence must be consistent: ``replied``, ``closed`` ≤ ``received``;
``replied_in_time``, ``satisfied`` ≤ ``replied`` (an error at the input otherwise).
With no case received the criterion is not applicable (the trace says why).

**Rates** (percentages, exact): ``reply_rate = 100 × replied / received``,
``on_time_rate = 100 × replied_in_time / received``, ``closure_rate = 100 × closed /
received``, ``satisfaction_rate = 100 × satisfied / replied`` (0 when nothing was
replied). Points come from ``bands:`` (a decision table over the rates and
``received``) or ``points:`` (an expression over the same names).
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ...dsl import nodes as n
from ...dsl.types import NUMBER
from ...errors import Diagnostic
from ...source import Span
from ..model import Bands, Criterion, Expr
from ..tables import Domain
from .bands import TABLE_MESSAGES, check_table, load_table, table_canonical, table_file_data
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
from .local import (
    local_attainable,
    local_changes,
    local_detail_row,
    local_explain,
    local_points,
    local_roles,
)

__all__ = ["ITEMS", "KIND", "RATES", "TawasulKind", "TawasulParams", "tawasul_rates"]

#: The items the ``cases`` input must declare.
ITEMS = ("received", "replied", "replied_in_time", "closed", "satisfied")
#: The rates a tawasul criterion's points read (percentages), and ``received``.
RATES = ("reply_rate", "on_time_rate", "closure_rate", "satisfaction_rate")
#: At most (left) ≤ (right): the consistency rules of the counts.
RULES = (("replied", "received"), ("closed", "received"), ("replied_in_time", "replied"),
         ("satisfied", "replied"))

MESSAGES = {
    "en": {
        "tawasul.none": "no Tawasul case received: not applicable",
        "tawasul.cases": (
            "{received} cases: {replied} replied ({reply_rate}%), {replied_in_time} within "
            "{reply_days} days ({on_time_rate}%), {closed} closed ({closure_rate}%), "
            "{satisfied} satisfied with the reply ({satisfaction_rate}%)"
        ),
        "tawasul.points": "points: {expression} = {points}",
        **TABLE_MESSAGES["en"],
    },
    "ar": {
        "tawasul.none": "لم ترد أي حالة عبر تواصل: لا ينطبق",
        "tawasul.cases": (
            "{received} حالة: رُدّ على {replied} ({reply_rate}٪)، منها {replied_in_time} خلال "
            "{reply_days} أيام ({on_time_rate}٪)، وأُغلقت {closed} ({closure_rate}٪)، "
            "ورضي {satisfied} عن الرد ({satisfaction_rate}٪)"
        ),
        "tawasul.points": "النقاط: {expression} = {points}",
        **TABLE_MESSAGES["ar"],
    },
}


@attrs.frozen
class TawasulParams:
    """The params of a ``tawasul`` criterion."""

    cases: str
    reply_days: int
    points: Expr | None = None
    bands: Bands | None = None
    span: Span | None = attrs.field(default=None, eq=False, repr=False)
    cases_span: Span | None = attrs.field(default=None, eq=False, repr=False)
    path: str = attrs.field(default="", eq=False, repr=False)


def tawasul_rates(ctx: decimal.Context, cases: Mapping[str, Decimal] | None) -> dict[str, Decimal] | None:
    """The counts and rates of a centre's Tawasul cases (None when absent)."""
    if cases is None:
        return None
    received, replied = cases["received"], cases["replied"]
    out = {k: cases[k] for k in ITEMS}
    if not received:
        return out

    def pct(part: Decimal, whole: Decimal) -> Decimal:
        return ctx.multiply(ctx.divide(part, whole), Decimal(100)) if whole else Decimal(0)

    out["reply_rate"] = pct(replied, received)
    out["on_time_rate"] = pct(cases["replied_in_time"], received)
    out["closure_rate"] = pct(cases["closed"], received)
    out["satisfaction_rate"] = pct(cases["satisfied"], replied)
    return out


class TawasulKind(CriterionKind):
    """Complaint handling in Tawasul: cases and replies → rates → points."""

    name = "tawasul"
    amendable = ("reply_days", "points", "bands")
    messages = MESSAGES
    codes: ClassVar[Mapping[str, str]] = {
        "guide.tawasul-cases":
            "the counts input a Tawasul criterion reads lacks the case items it needs, or has others",
    }

    def params_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": ["cases", "reply_days"],
            "properties": {
                "cases": {"$ref": "#/definitions/id",
                          "description": "A `counts` input with items " + ", ".join(ITEMS) + "."},
                "reply_days": {"type": "integer", "minimum": 1,
                               "description": "The reply deadline `replied_in_time` is counted against (days)."},
                "points": {"anyOf": [{"$ref": "#/definitions/expression"}, {"type": "number"}],
                           "description": "Points as an expression over the rates and `received`."},
                "bands": {"$ref": "#/definitions/bands"},
            },
            "oneOf": [{"required": ["points"]}, {"required": ["bands"]}],
        }

    def load(self, ctx: LoadContext, path: Path) -> TawasulParams:
        d = ctx.get(path)
        return TawasulParams(
            cases=str(d["cases"]),
            reply_days=int(d["reply_days"]),
            points=ctx.expr((*path, "points")) if d.get("points") is not None else None,
            bands=load_table(ctx, (*path, "bands")) if d.get("bands") is not None else None,
            span=ctx.key_span(path),
            cases_span=ctx.span((*path, "cases")),
            path=ctx.path_text(path),
        )

    def input_names(self, params: TawasulParams) -> tuple[str, ...]:
        return (params.cases,)

    def expressions(self, params: TawasulParams) -> tuple[Role, ...]:
        return local_roles(params.points, params.bands)

    def _scope(self, ctx: Any) -> Any:
        return ctx.scope(dict.fromkeys((*RATES, "received"), NUMBER))

    def check(self, criterion: Criterion, params: TawasulParams, ctx: CheckContext) -> Iterator[Diagnostic]:
        yield from check_input(criterion, ctx, params.cases, ("counts",), params.cases_span,
                               f"{params.path}.cases", "the Tawasul cases")
        inp = ctx.guide.input(params.cases)
        if inp is not None and inp.type == "counts":
            have = [it.id for it in inp.items]
            if sorted(have) != sorted(ITEMS):
                yield Diagnostic(
                    "guide.tawasul-cases",
                    f"criterion `{criterion.id}`: the input `{params.cases}` must have exactly the items "
                    f"{', '.join(ITEMS)} (it has {', '.join(have)})",
                    params.cases_span or params.span,
                    "declare those five counts under the input's `items`",
                    "error",
                    f"{params.path}.cases",
                )
        scope = self._scope(ctx)
        if params.points is not None:
            ctx.run(params.points, scope, NUMBER, f"the points of criterion `{criterion.id}`",
                    f"{params.path}.points")
        if params.bands is not None:
            domains = []
            for on in params.bands.on:
                node = on.node
                if isinstance(node, n.Name) and node.name in RATES:
                    domains.append(Domain("number", Decimal(0), Decimal(100), node.name))
                elif isinstance(node, n.Name) and node.name == "received":
                    domains.append(Domain("integer", Decimal(1), None, node.name))
                else:
                    domains.append(Domain("unknown", name=n.unparse(node)))
            yield from check_table(criterion, params.bands, ctx, f"{params.path}.bands",
                                   scope=scope, domains=domains)

    def check_evidence(self, params: TawasulParams, values: Mapping[str, Any]) -> Iterator[tuple[str, str, str | None]]:
        cases = values.get(params.cases)
        if not isinstance(cases, Mapping):
            return
        for part, whole in RULES:
            a, b = cases.get(part), cases.get(whole)
            if isinstance(a, Decimal) and isinstance(b, Decimal) and a > b:
                yield (
                    params.cases,
                    f"`{params.cases}.{part}` is {a}, more than `{params.cases}.{whole}` ({b})",
                    f"{part} counts are part of the {whole} cases; check the figures from Tawasul",
                )

    def may_be_not_applicable(self, params: TawasulParams) -> bool:
        return True

    def compile(self, params: TawasulParams, cc: CompileContext) -> Compiled:
        b = cc.builder
        rates = cc.const(functools.partial(tawasul_rates, b.ctx))
        local = b.tmp()
        b.emit(f"{local} = {rates}(env[{cc.const(params.cases)}])")
        b.emit(f"if {local} is None:")
        with b.block():
            b.emit(f"{cc.points} = None; {cc.detail} = -1")
        b.emit(f"elif not {local}['received']:")
        with b.block():
            b.emit(f"{cc.not_applicable()}; {cc.detail} = ({local}, -1)")
        b.emit("else:")
        with b.block():
            done, row = local_points(params.points, params.bands, cc, self._scope(cc), local)
            b.emit(f"{cc.detail} = ({local}, {row})")
        return Compiled(may_be_null=True, on_scale=done.on_scale, may_be_not_applicable=True)

    def row(self, detail: Any) -> int | None:
        return local_detail_row(detail[1]) if isinstance(detail, tuple) else None

    def detail_data(self, params: TawasulParams, detail: Any) -> dict[str, Any] | None:
        if not isinstance(detail, tuple):
            return None
        return {**detail[0], "reply_days": Decimal(params.reply_days)}

    def explain(self, criterion: Criterion, params: TawasulParams, outcome: Outcome) -> list[Message]:
        detail = outcome.detail
        if not isinstance(detail, tuple):
            return []
        data = detail[0]
        if not data["received"]:
            return [Message.of("tawasul.none")]
        out = [Message.of("tawasul.cases", reply_days=Decimal(params.reply_days), **data)]
        line = local_explain(params.points, params.bands, self.row(detail), outcome.points, "tawasul.points")
        return [*out, line] if line is not None else out

    def canonical(self, params: TawasulParams) -> dict[str, Any]:
        out: dict[str, Any] = {"cases": params.cases, "reply_days": params.reply_days}
        if params.points is not None:
            out["points"] = params.points.canonical
        if params.bands is not None:
            out["bands"] = table_canonical(params.bands)
        return out

    def file_data(self, params: TawasulParams) -> dict[str, Any]:
        out = self.canonical(params)
        if params.bands is not None:
            out["bands"] = table_file_data(params.bands)
        return out

    def compare(self, a: TawasulParams | None, b: TawasulParams | None) -> Iterator[FieldChange]:
        for k, key in enumerate(("cases", "reply_days")):
            va, vb = getattr(a, key, None), getattr(b, key, None)
            if va != vb:
                yield FieldChange(f"params.{key}", va, vb, 20 + k)
        yield from local_changes(a.points if a else None, b.points if b else None,
                                 a.bands if a else None, b.bands if b else None, 22)

    def table(self, params: TawasulParams) -> Bands | None:
        return params.bands

    def local_domains(self, params: TawasulParams, guide: Any) -> dict[str, Any]:
        out = {rate: Domain("number", Decimal(0), Decimal(100), rate) for rate in RATES}
        out["received"] = Domain("integer", Decimal(1), None, "received")
        return out

    def attainable(self, params: TawasulParams, guide: Any) -> tuple[Decimal, ...] | None:
        return local_attainable(params.points, params.bands)

    def evidence(self, params: TawasulParams, guide: Any) -> Any:
        """Consistent counts: replied and closed within received; on time and satisfied
        within replied."""
        from hypothesis import strategies as st

        @st.composite
        def cases(draw: Any) -> dict[str, Any]:
            received = draw(st.integers(0, 300))
            replied = draw(st.integers(0, received))
            return {params.cases: {
                "received": Decimal(received),
                "replied": Decimal(replied),
                "replied_in_time": Decimal(draw(st.integers(0, replied))),
                "closed": Decimal(draw(st.integers(0, received))),
                "satisfied": Decimal(draw(st.integers(0, replied))),
            }}

        inp = guide.input(params.cases)
        if inp is not None and not inp.required:
            return st.one_of(st.just({}), cases())
        return cases()


KIND = TawasulKind()
