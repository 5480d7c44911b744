"""The ``survey`` kind: a customer opinion survey's answers → a satisfaction index → points.

The evidence is a ``counts`` input: how many respondents gave each answer level::

    inputs:
      - id: survey_answers
        type: counts
        source: customer_survey
        items:
          - {id: very_dissatisfied, label: …}
          - …
          - {id: very_satisfied, label: …}

    - id: survey_overall
      kind: survey
      params:
        answers: survey_answers
        min_responses: 30          # fewer → not applicable, with the reason in the trace
        confidence: 95             # optional: report the index's margin of error
        bands:                     # the index (0–100) → points, first matching row
          - {when: ">= 90", points: 4}
          - {when: "[75..90)", points: 3}
          - …

**The satisfaction index.** Each answer level has a value — by default the items in
their declared order are 1, 2, …, n; ``values:`` may give others. With ``n_k``
responses at level ``k`` of value ``v_k``, ``N = Σ n_k`` responses and the lowest and
highest values ``v_min``, ``v_max``::

    index = 100 × Σ n_k × (v_k − v_min) / (N × (v_max − v_min))

the mean answer rescaled to 0–100 (0: everyone gave the lowest answer; 100: everyone
the highest). Computed in the guide's decimal context, exactly as written.

**Margin of error** (when ``confidence`` is 90, 95 or 99): with each answer's score
``x_k = 100 × (v_k − v_min) / (v_max − v_min)``, the sample standard deviation
``s = √(Σ n_k (x_k − index)² / (N − 1))`` and ``z`` = 1.645, 1.96 or 2.576,
``margin = z × s / √N`` (index points). It is shown in the trace; it never changes the
points.

**Points** come from ``bands:`` (rows of FEEL unary tests over the index, ``hit:
first``, checked for gaps over 0–100) or ``points:`` (an expression over ``index`` and
``responses``).
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ...dsl import nodes as n
from ...dsl.numbers import canonical
from ...dsl.types import NUMBER
from ...errors import Diagnostic
from ...source import Span
from ..model import Bands, Criterion, Expr
from ..tables import Domain
from .bands import TABLE_MESSAGES, check_table, load_table, rows_file_data, table_canonical
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

__all__ = ["KIND", "Z_SCORES", "SurveyKind", "SurveyParams", "survey_statistics", "survey_statistics_of"]

#: The normal quantiles of the confidence levels a survey may declare.
Z_SCORES = {90: Decimal("1.645"), 95: Decimal("1.96"), 99: Decimal("2.576")}

#: The names a survey's points (expression or table) read.
LOCAL_NAMES = ("index", "responses")

_INDEX = Expr(n.Name("index"), "index")

MESSAGES = {
    "en": {
        "survey.responses": "{responses} responses → satisfaction index {index}",
        "survey.margin": "margin of error ± {margin} at {confidence}% confidence",
        "survey.below_minimum": "{responses} responses, fewer than the {minimum} required: not applicable",
        "survey.points": "points: {expression} = {points}",
        **TABLE_MESSAGES["en"],
    },
    "ar": {
        "survey.responses": "{responses} استجابة ← مؤشر الرضا {index}",
        "survey.margin": "هامش الخطأ ± {margin} بمستوى ثقة {confidence}٪",
        "survey.below_minimum": "{responses} استجابة، أقل من الحد الأدنى {minimum}: لا ينطبق",
        "survey.points": "النقاط: {expression} = {points}",
        **TABLE_MESSAGES["ar"],
    },
}


@attrs.frozen
class SurveyParams:
    """The params of a ``survey`` criterion."""

    answers: str
    min_responses: int
    #: The value of each answer level, as written (None: items in order are 1…n).
    values: tuple[tuple[str, Decimal], ...] | None = None
    confidence: int | None = None
    points: Expr | None = None
    bands: Bands | None = None
    span: Span | None = attrs.field(default=None, eq=False, repr=False)
    answers_span: Span | None = attrs.field(default=None, eq=False, repr=False)
    path: str = attrs.field(default="", eq=False, repr=False)


def level_values(params: SurveyParams, items: tuple[str, ...]) -> tuple[Decimal, ...]:
    """The value of each answer level, in the input's item order."""
    if params.values is None:
        return tuple(Decimal(k + 1) for k in range(len(items)))
    given = dict(params.values)
    return tuple(given.get(item, Decimal(0)) for item in items)


def survey_statistics(
    ctx: decimal.Context,
    items: tuple[str, ...],
    values: tuple[Decimal, ...],
    z: Decimal | None,
    answers: Mapping[str, Decimal] | None,
) -> tuple[Decimal, Decimal | None, Decimal | None] | None:
    """(responses, index, margin of error) of a survey's answers, in ``ctx``; the index
    is None when nobody answered; None when the answers are absent."""
    if answers is None:
        return None
    lo, hi = min(values), max(values)
    span = ctx.subtract(hi, lo)
    total = Decimal(0)
    weighted = Decimal(0)
    for item, value in zip(items, values, strict=True):
        count = answers[item]
        total = ctx.add(total, count)
        weighted = ctx.add(weighted, ctx.multiply(count, ctx.subtract(value, lo)))
    if not total:
        return (total, None, None)
    index = ctx.multiply(ctx.divide(weighted, ctx.multiply(total, span)), Decimal(100))
    margin = None
    if z is not None and total > 1:
        squares = Decimal(0)
        for item, value in zip(items, values, strict=True):
            score = ctx.multiply(ctx.divide(ctx.subtract(value, lo), span), Decimal(100))
            deviation = ctx.subtract(score, index)
            squares = ctx.add(squares, ctx.multiply(answers[item], ctx.multiply(deviation, deviation)))
        variance = ctx.divide(squares, ctx.subtract(total, Decimal(1)))
        margin = ctx.divide(ctx.multiply(z, ctx.sqrt(variance)), ctx.sqrt(total))
    return (total, index, margin)


def survey_statistics_of(
    ctx: decimal.Context, items: tuple[str, ...], values: tuple[Decimal, ...], z: Decimal | None,
) -> Callable[[Mapping[str, Decimal] | None], tuple[Decimal, Decimal | None, Decimal | None] | None]:
    """:func:`survey_statistics` of one criterion, with what depends on its levels alone
    (each level's offset from the lowest value and its score on 0–100) worked out once:
    the same operations on the answers in the same order, so the same numbers (the
    engine's property tests hold it to the reference scorer)."""
    lo, hi = min(values), max(values)
    span = ctx.subtract(hi, lo)
    hundred = Decimal(100)
    levels = tuple((item, ctx.subtract(value, lo)) for item, value in zip(items, values, strict=True))
    scores = tuple((item, ctx.multiply(ctx.divide(offset, span), hundred)) for item, offset in levels)
    add, multiply, divide, subtract = ctx.add, ctx.multiply, ctx.divide, ctx.subtract
    one = Decimal(1)

    def statistics(answers: Mapping[str, Decimal] | None) -> tuple[Decimal, Decimal | None, Decimal | None] | None:
        if answers is None:
            return None
        total = weighted = Decimal(0)
        for item, offset in levels:
            count = answers[item]
            total = add(total, count)
            weighted = add(weighted, multiply(count, offset))
        if not total:
            return (total, None, None)
        index = multiply(divide(weighted, multiply(total, span)), hundred)
        margin = None
        if z is not None and total > 1:
            squares = Decimal(0)
            for item, score in scores:
                deviation = subtract(score, index)
                squares = add(squares, multiply(answers[item], multiply(deviation, deviation)))
            margin = divide(multiply(z, ctx.sqrt(divide(squares, subtract(total, one)))), ctx.sqrt(total))
        return (total, index, margin)

    return statistics


class SurveyKind(CriterionKind):
    """A customer opinion survey: answers per level → satisfaction index → points."""

    name = "survey"
    amendable = ("min_responses", "confidence", "values", "points", "bands")
    messages = MESSAGES
    codes: ClassVar[Mapping[str, str]] = {
        "guide.survey-values":
            "a survey criterion's answer levels, values or margin settings do not fit together",
    }

    def params_schema(self) -> dict[str, Any]:
        return {
            "type": "object",
            "additionalProperties": False,
            "required": ["answers", "min_responses"],
            "properties": {
                "answers": {"$ref": "#/definitions/id", "description": "A `counts` input: responses per answer level."},
                "values": {
                    "type": "object",
                    "additionalProperties": {"type": "number"},
                    "description": "The value of each answer level (default: the items in order are 1, 2, …).",
                },
                "min_responses": {"type": "integer", "minimum": 1,
                                  "description": "Fewer responses make the criterion not applicable."},
                "confidence": {"enum": sorted(Z_SCORES),
                               "description": "Report the index's margin of error at this confidence (%)."},
                "points": {"anyOf": [{"$ref": "#/definitions/expression"}, {"type": "number"}],
                           "description": "Points as an expression over `index` and `responses`."},
                "bands": {
                    "type": "array",
                    "minItems": 1,
                    "description": "Points by rows of unary tests over the index (first match).",
                    "items": {
                        "type": "object",
                        "additionalProperties": False,
                        "required": ["when", "points"],
                        "properties": {
                            "when": {"anyOf": [{"type": "string", "minLength": 1}, {"type": "number"}]},
                            "points": {"anyOf": [{"type": "number"}, {"$ref": "#/definitions/expression"}]},
                            "note": {"type": "string"},
                        },
                    },
                },
            },
            "oneOf": [{"required": ["points"]}, {"required": ["bands"]}],
        }

    def load(self, ctx: LoadContext, path: Path) -> SurveyParams:
        d = ctx.get(path)
        values = None
        if d.get("values") is not None:
            values = tuple((str(k), ctx.number(v)) for k, v in d["values"].items())
        return SurveyParams(
            answers=str(d["answers"]),
            min_responses=int(d["min_responses"]),
            values=values,
            confidence=int(d["confidence"]) if d.get("confidence") is not None else None,
            points=ctx.expr((*path, "points")) if d.get("points") is not None else None,
            bands=load_table(ctx, path, on=(_INDEX,), rows_path=(*path, "bands"), hit="first")
            if d.get("bands") is not None else None,
            span=ctx.key_span(path),
            answers_span=ctx.span((*path, "answers")),
            path=ctx.path_text(path),
        )

    # ---- what it reads ------------------------------------------------------------------

    def input_names(self, params: SurveyParams) -> tuple[str, ...]:
        return (params.answers,)

    def expressions(self, params: SurveyParams) -> tuple[Role, ...]:
        return local_roles(params.points, params.bands)

    def _scope(self, ctx: Any) -> Any:
        return ctx.scope(dict.fromkeys(LOCAL_NAMES, NUMBER))

    # ---- checks ---------------------------------------------------------------------------

    def check(self, criterion: Criterion, params: SurveyParams, ctx: CheckContext) -> Iterator[Diagnostic]:
        yield from check_input(criterion, ctx, params.answers, ("counts",), params.answers_span,
                               f"{params.path}.answers", "the survey's answers")
        inp = ctx.guide.input(params.answers)
        if inp is not None and inp.type == "counts":
            items = tuple(it.id for it in inp.items)
            if params.values is not None:
                given = [k for k, _ in params.values]
                unknown = sorted(set(given) - set(items))
                missing = [i for i in items if i not in given]
                if unknown or missing:
                    yield Diagnostic(
                        "guide.survey-values",
                        f"criterion `{criterion.id}`: `values` must give every answer level of "
                        f"`{params.answers}` ({', '.join(items)})"
                        + (f"; unknown: {', '.join(unknown)}" if unknown else "")
                        + (f"; missing: {', '.join(missing)}" if missing else ""),
                        params.span,
                        None,
                        "error",
                        f"{params.path}.values",
                    )
            values = level_values(params, items)
            if len(set(values)) < 2:
                yield Diagnostic(
                    "guide.survey-values",
                    f"criterion `{criterion.id}`: the answer levels of `{params.answers}` need at "
                    "least two different values",
                    params.span,
                    "give `values` that tell the lowest answer from the highest",
                    "error",
                    f"{params.path}.values",
                )
        if params.confidence is not None and params.min_responses < 2:
            yield Diagnostic(
                "guide.survey-values",
                f"criterion `{criterion.id}`: a margin of error needs `min_responses` of at least 2",
                params.span,
                None,
                "error",
                f"{params.path}.min_responses",
            )
        scope = self._scope(ctx)
        if params.points is not None:
            ctx.run(params.points, scope, NUMBER, f"the points of criterion `{criterion.id}`",
                    f"{params.path}.points")
        if params.bands is not None:
            domain = Domain("number", Decimal(0), Decimal(100), "index")
            yield from check_table(criterion, params.bands, ctx, f"{params.path}.bands",
                                   scope=scope, domains=[domain])

    # ---- scoring ----------------------------------------------------------------------------

    def may_be_not_applicable(self, params: SurveyParams) -> bool:
        return True

    def compile(self, params: SurveyParams, cc: CompileContext) -> Compiled:
        b = cc.builder
        inp = cc.guide.input(params.answers)
        assert inp is not None
        items = tuple(it.id for it in inp.items)
        z = Z_SCORES[params.confidence] if params.confidence is not None else None
        stats = cc.const(survey_statistics_of(b.ctx, items, level_values(params, items), z))
        t = b.tmp()
        local = b.tmp()
        b.emit(f"{t} = {stats}(env[{cc.const(params.answers)}])")
        b.emit(f"if {t} is None:")
        with b.block():
            b.emit(f"{cc.points} = None; {cc.detail} = -1")
        b.emit(f"elif {t}[0] < {cc.const(Decimal(params.min_responses))} or {t}[1] is None:")
        with b.block():
            b.emit(f"{cc.not_applicable()}; {cc.detail} = ({t}[0], None, None, -1)")
        b.emit("else:")
        with b.block():
            b.emit(f"{local} = {{'index': {t}[1], 'responses': {t}[0]}}")
            done, row = local_points(params.points, params.bands, cc, self._scope(cc), local)
            b.emit(f"{cc.detail} = ({t}[0], {t}[1], {t}[2], {row})")
        return Compiled(may_be_null=True, on_scale=done.on_scale, may_be_not_applicable=True)

    def null_reason(self, params: SurveyParams) -> tuple[str, str]:
        if params.bands is not None:
            return ("no row of its table matched the satisfaction index",
                    "check the rows against the index (0–100), or set a `missing:` policy")
        return super().null_reason(params)

    # ---- results -----------------------------------------------------------------------------

    def row(self, detail: Any) -> int | None:
        return local_detail_row(detail[3]) if isinstance(detail, tuple) else None

    def detail_data(self, params: SurveyParams, detail: Any) -> dict[str, Any] | None:
        if not isinstance(detail, tuple):
            return None
        responses, index, margin, _ = detail
        out: dict[str, Any] = {
            "responses": responses,
            "index": index,
            "min_responses": Decimal(params.min_responses),
        }
        if params.confidence is not None:
            out["margin_of_error"] = margin
            out["confidence"] = Decimal(params.confidence)
        return out

    def explain(self, criterion: Criterion, params: SurveyParams, outcome: Outcome) -> list[Message]:
        detail = outcome.detail
        if not isinstance(detail, tuple):
            return []
        responses, index, margin, _ = detail
        if index is None or responses < params.min_responses:
            return [Message.of("survey.below_minimum", responses=responses, minimum=Decimal(params.min_responses))]
        out = [Message.of("survey.responses", responses=responses, index=index)]
        if margin is not None:
            out.append(Message.of("survey.margin", margin=margin, confidence=Decimal(params.confidence or 0)))
        line = local_explain(params.points, params.bands, self.row(detail), outcome.points, "survey.points")
        return [*out, line] if line is not None else out

    # ---- forms ---------------------------------------------------------------------------------

    def canonical(self, params: SurveyParams) -> dict[str, Any]:
        out: dict[str, Any] = {
            "answers": params.answers,
            "min_responses": params.min_responses,
            "values": {k: canonical(v) for k, v in params.values} if params.values is not None else None,
            "confidence": params.confidence,
        }
        if params.points is not None:
            out["points"] = params.points.canonical
        if params.bands is not None:
            # one tested value (the index): each row's cell is written on its own
            out["bands"] = [{**row, "when": row["when"][0]} for row in table_canonical(params.bands)["rows"]]
        return out

    def file_data(self, params: SurveyParams) -> dict[str, Any]:
        out: dict[str, Any] = {"answers": params.answers, "min_responses": params.min_responses}
        if params.values is not None:
            out["values"] = dict(params.values)  # numbers in a guide file, not text
        if params.confidence is not None:
            out["confidence"] = params.confidence
        if params.points is not None:
            out["points"] = params.points.canonical
        if params.bands is not None:
            out["bands"] = rows_file_data(params.bands)
        return out

    def compare(self, a: SurveyParams | None, b: SurveyParams | None) -> Iterator[FieldChange]:
        ca = self.canonical(a) if a is not None else {}
        cb = self.canonical(b) if b is not None else {}
        for k, key in enumerate(("answers", "min_responses", "values", "confidence")):
            if ca.get(key) != cb.get(key):
                yield FieldChange(f"params.{key}", ca.get(key), cb.get(key), 20 + k)
        yield from local_changes(a.points if a else None, b.points if b else None,
                                 a.bands if a else None, b.bands if b else None, 24)

    def table(self, params: SurveyParams) -> Bands | None:
        return params.bands

    def local_domains(self, params: SurveyParams, guide: Any) -> dict[str, Any]:
        return {
            "index": Domain("number", Decimal(0), Decimal(100), "index"),
            "responses": Domain("integer", Decimal(params.min_responses), None, "responses"),
        }

    def attainable(self, params: SurveyParams, guide: Any) -> tuple[Decimal, ...] | None:
        return local_attainable(params.points, params.bands)


KIND = SurveyKind()
