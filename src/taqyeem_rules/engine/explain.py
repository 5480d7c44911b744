"""The explanation of a result as data: a tree of messages, how each number arose.

:func:`explain_tree` gives a neutral structure — :class:`Step` nodes, each a
:class:`~taqyeem_rules.guide.kinds.Message` (a catalogue key and its values) with
children — that the presentation layer renders in English or Arabic
(:mod:`taqyeem_rules.present.explain`). Each criterion's kind contributes the lines
about its own points (a matched table row, a survey's index, each assessor's rating);
the engine adds the weights, contributions and inputs read.

Numbers read the same in every language. Reported values (the total, category scores,
basic attainment) and the guide's own numbers (weights, cut-offs) are given as text
already; a derived value (points, percentage, contribution) is a Decimal, which people
see at the guide's report precision; the exact value behind a reported one is an
:class:`~taqyeem_rules.guide.kinds.Exact`, cut after a few places unless every digit
is asked for. The root step carries the guide's report scale and rounding for that.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import attrs

from ..dsl.numbers import canonical, format_number
from ..guide.kinds import Exact, Message, Outcome
from .result import CriterionResult, Result

__all__ = ["Step", "explain_tree"]


@attrs.define
class Step:
    """One line of an explanation and the lines under it (the root also carries the
    guide's report ``scale`` and ``rounding``, for showing derived numbers)."""

    message: Message
    children: list[Step] = attrs.field(factory=list)
    style: str = ""
    scale: int | None = None
    rounding: str | None = None


def _x(value: Decimal | None) -> str | None:
    return None if value is None else canonical(value)


def _d(value: Decimal | None) -> Decimal | None:
    """A derived value, shown at report precision (None stays None)."""
    return value


def _r(value: Decimal | None) -> str | None:
    return None if value is None else format_number(value)


def _criterion_step(cr: CriterionResult, scale_max: Decimal) -> Step:
    c = cr.criterion
    common = {"id": cr.id, "label": cr.label, "basic": cr.basic}
    if cr.status in ("not_applicable", "missing_not_applicable"):
        step = Step(Message.of("explain.criterion.na", **common), style="dim")
        if cr.status == "missing_not_applicable":
            step.children.append(Step(Message.of("explain.missing.na")))
    else:
        step = Step(Message.of(
            "explain.criterion",
            points=_d(cr.points),
            max=format_number(scale_max),
            percentage=_d(cr.percentage),
            contribution=_d(cr.contribution),
            **common,
        ))
        if cr.status == "missing_zero":
            step.children.append(Step(Message.of("explain.missing.zero")))
    if c is not None:
        if c.applicable is not None:
            step.children.append(Step(Message.of("explain.applicable", expression=c.applicable.canonical)))
        kind = c.kind_object
        if kind is not None:
            outcome = Outcome(cr.status, cr.points, cr.raw_detail, cr.inputs)
            for m in kind.explain(c, c.params, outcome):
                step.children.append(Step(m))
    if cr.effective_weight is not None:
        step.children.append(Step(Message.of(
            "explain.weight", weight=_x(cr.weight), effective=_d(cr.effective_weight)
        )))
    if cr.inputs:
        step.children.append(Step(Message.of("explain.inputs", inputs=tuple(cr.inputs.items()))))
    return step


def explain_tree(result: Result) -> Step:
    """The explanation of a result as a tree of messages."""
    ev = result.evidence
    model = result._compiled.model
    guide = result._compiled.guide
    tier = result.tier
    root = Step(Message.of(
        "explain.centre",
        id=ev.centre_id,
        name=ev.centre_name if ev.centre_name is not None else ev.centre_id,
        model=model.id,
        edition=guide.edition,
        fingerprint=guide.fingerprint[:12],
    ), style="bold", scale=guide.numbers.report_scale, rounding=guide.numbers.report_rounding)

    total = Step(Message.of(
        "explain.total",
        total=_r(result.total),
        exact=Exact(result.total_exact),
        tier=tier.label if tier is not None else None,
    ), style="bold")
    for t in model.tiers:
        total.children.append(Step(Message.of(
            "explain.tier",
            reached=tier is not None and t.id == tier.id,
            label=t.label,
            id=t.id,
            min=format_number(t.min),
            require=t.require.canonical if t.require is not None else None,
        )))
    root.children.append(total)
    root.children.append(Step(Message.of(
        "explain.basic", value=_r(result.basic_attainment), exact=Exact(result.basic_attainment_exact)
    )))
    crits = {c.id: c for c in result.criteria}
    for cat in result.categories:
        step = Step(
            Message.of(
                "explain.category" if cat.applicable else "explain.category.na",
                label=cat.label,
                id=cat.id,
                weight=_x(cat.weight),
                score=_r(cat.score),
            ),
            style="bold cyan" if cat.applicable else "dim",
        )
        for cid in cat.criteria:
            step.children.append(_criterion_step(crits[cid], guide.points.max))
        root.children.append(step)
    if result.flags:
        flags = Step(Message.of("explain.flags"))
        for f in model.flags:
            flags.children.append(Step(Message.of(
                "explain.flag", label=f.label, id=f.id, value=result.flags[f.id], when=f.when.canonical
            )))
        root.children.append(flags)
    if guide.illustrative:
        root.children.append(Step(Message.of("explain.illustrative"), style="dim"))
    return root


def walk(step: Step) -> Any:
    """Every step of a tree, depth first (the root first)."""
    yield step
    for child in step.children:
        yield from walk(child)
