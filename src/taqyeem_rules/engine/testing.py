"""Running a guide's test cases, and what they cover.

:func:`run_cases` scores each case's evidence and compares the result with what the case
expects (:mod:`taqyeem_rules.guide.cases`), down to the criterion; a mismatch names the
line of the case that states the value. It also measures **coverage**: what the cases
exercise of the guide —

- every criterion **scored**, and **not applicable** (when it can be: an ``applicable``
  condition, or a kind that can say so) and **missing** (when its ``missing:`` policy is
  not ``error``);
- every **row** of every decision table matched;
- every **tier** of each model awarded, and no tier;
- every **flag** raised and not raised;
- every **gate** of every tier — its ``min`` and its ``require`` — both passing and failing;

and lists what no case reaches, each with its place in the guide.
"""

from __future__ import annotations

import decimal
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..dsl import nodes as n
from ..dsl.interpreter import interpret
from ..dsl.numbers import canonical, in_analysis_context, make_context
from ..errors import Diagnostic, EvaluationError, TaqyeemError
from ..guide.cases import Case, Expectation
from ..guide.guide import Guide
from ..guide.model import Model
from ..source import Span
from .result import Result
from .score import score

__all__ = ["CaseOutcome", "CaseReport", "Coverage", "CoverageTarget", "Mismatch", "coverage", "percent", "run_cases"]

_WIDE = decimal.Context(prec=100, Emax=999_999, Emin=-999_999)

#: The sections of coverage, in the order they are reported.
SECTIONS = ("criterion", "row", "tier", "flag", "gate")


def _data(value: Any) -> Any:
    if isinstance(value, Decimal):
        return canonical(value)
    return value


def _where(span: Span | None, path: str | None) -> str | None:
    return str(span) if span is not None else (path or None)


@attrs.frozen
class Mismatch:
    """A value of a result that is not what its case expects."""

    expect: Expectation
    actual: Any

    @property
    def what(self) -> str:
        return self.expect.what

    @property
    def id(self) -> str | None:
        return self.expect.id

    def to_dict(self) -> dict[str, Any]:
        return {
            "what": self.expect.what,
            "id": self.expect.id,
            "expected": _data(self.expect.value),
            "actual": _data(self.actual),
            "tolerance": canonical(self.expect.tolerance),
            "where": _where(self.expect.span, self.expect.path),
        }


@attrs.frozen
class CaseOutcome:
    """How one case went: its result and every mismatch, or why it could not be scored."""

    case: Case
    result: Result | None
    mismatches: tuple[Mismatch, ...] = ()
    error: Diagnostic | None = None

    @property
    def ok(self) -> bool:
        return self.error is None and not self.mismatches

    def to_dict(self) -> dict[str, Any]:
        c = self.case
        r = self.result
        return {
            "name": c.name,
            "file": c.path,
            "evidence": c.evidence_path,
            "centre": c.evidence.centre_id,
            "model": c.model,
            "ok": self.ok,
            "checked": len(c.expects),
            "total": None if r is None else _data(r.total),
            "tier": None if r is None else r.tier_id,
            "mismatches": [m.to_dict() for m in self.mismatches],
            "error": None if self.error is None else self.error.to_dict(),
        }


@attrs.frozen
class CoverageTarget:
    """One thing coverage asks the cases to reach.

    ``section`` is ``criterion`` (``detail``: scored, not_applicable, missing), ``row``
    (``row``: its 1-based number), ``tier`` (``id`` None: no tier), ``flag`` (raised,
    not_raised) or ``gate`` (min_passes, min_fails, require_passes, require_fails)."""

    section: str
    model: str
    id: str | None
    detail: str
    row: int | None = None
    reached: bool = False
    #: The cases that reach it, by name.
    by: tuple[str, ...] = ()
    span: Span | None = attrs.field(default=None, eq=False)
    path: str | None = attrs.field(default=None, eq=False)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "section": self.section,
            "model": self.model,
            "id": self.id,
            "detail": self.detail,
            "reached": self.reached,
            "cases": list(self.by),
            "where": _where(self.span, self.path),
        }
        if self.row is not None:
            out["row"] = self.row
        return out


def percent(part: int, whole: int) -> Decimal:
    """``part`` of ``whole`` in percent, one decimal place, rounded down."""
    if not whole:
        return Decimal(100)
    # Rounded down: coverage is never shown higher than it is (99.96 % is not 100.0 %).
    return _WIDE.divide(Decimal(part * 100), Decimal(whole)).quantize(Decimal("0.1"), rounding=decimal.ROUND_FLOOR,
                                                                       context=_WIDE)


@attrs.frozen
class Coverage:
    """What the cases reach of a guide, target by target."""

    targets: tuple[CoverageTarget, ...]

    @property
    def reached(self) -> int:
        return sum(1 for t in self.targets if t.reached)

    @property
    def percent(self) -> Decimal:
        """The share of targets reached, in percent (one decimal place, rounded down)."""
        return percent(self.reached, len(self.targets))

    @property
    def unreached(self) -> tuple[CoverageTarget, ...]:
        return tuple(t for t in self.targets if not t.reached)

    def sections(self) -> list[tuple[str, str, int, int]]:
        """(model, section, reached, targets) for each model and section that has targets."""
        out = []
        models = list(dict.fromkeys(t.model for t in self.targets))
        for model in models:
            for section in SECTIONS:
                mine = [t for t in self.targets if t.model == model and t.section == section]
                if mine:
                    out.append((model, section, sum(1 for t in mine if t.reached), len(mine)))
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "percent": canonical(self.percent),
            "reached": self.reached,
            "targets": len(self.targets),
            "sections": [
                {"model": m, "section": s, "reached": r, "targets": t, "percent": canonical(percent(r, t))}
                for m, s, r, t in self.sections()
            ],
            "unreached": [t.to_dict() for t in self.unreached],
        }


@attrs.frozen
class CaseReport:
    """Every case of a guide run, and the coverage they reach."""

    edition: str
    fingerprint: str
    outcomes: tuple[CaseOutcome, ...]
    coverage: Coverage

    @property
    def ok(self) -> bool:
        """True when every case gives what it expects."""
        return all(o.ok for o in self.outcomes)

    @property
    def failed(self) -> tuple[CaseOutcome, ...]:
        return tuple(o for o in self.outcomes if not o.ok)

    def to_dict(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "fingerprint": self.fingerprint,
            "ok": self.ok,
            "cases": len(self.outcomes),
            "passed": len(self.outcomes) - len(self.failed),
            "failed": len(self.failed),
            "outcomes": [o.to_dict() for o in self.outcomes],
            "coverage": self.coverage.to_dict(),
        }


# ---- comparing ------------------------------------------------------------------------------


def _actual(result: Result, e: Expectation) -> Any:
    what = e.what
    if what == "model":
        return result.model
    if what == "total":
        return result.total
    if what == "total_exact":
        return result.total_exact
    if what == "basic_attainment":
        return result.basic_attainment
    if what == "tier":
        return result.tier_id
    if what == "flag":
        return result.flags.get(e.id or "")
    if what == "category":
        return result.category(e.id or "").score
    c = result.criterion(e.id or "")
    if what == "criterion.points":
        return c.points
    if what == "criterion.status":
        return c.status
    return c.row


def _same(e: Expectation, actual: Any) -> bool:
    expected = e.value
    if isinstance(expected, Decimal) and isinstance(actual, Decimal):
        return _WIDE.compare(abs(_WIDE.subtract(actual, expected)), e.tolerance) <= 0
    if isinstance(expected, bool) or isinstance(actual, bool):
        return expected is actual
    return bool(expected == actual)


def _compare(case: Case, result: Result) -> tuple[Mismatch, ...]:
    out = []
    for e in case.expects:
        actual = _actual(result, e)
        if not _same(e, actual):
            out.append(Mismatch(e, actual))
    return tuple(out)


@in_analysis_context
def run_cases(guide: Guide, cases: Sequence[Case], *, progress: Any = None) -> CaseReport:
    """Score every case and compare each result with what the case expects; measure the
    coverage of the cases that could be scored. ``progress`` (optional) is called once
    per case."""
    outcomes = []
    for case in cases:
        try:
            result = score(guide, case.evidence, trace=True)
        except TaqyeemError as exc:
            outcomes.append(CaseOutcome(case, None, (), exc.primary))
        else:
            outcomes.append(CaseOutcome(case, result, _compare(case, result)))
        if progress is not None:
            progress()
    scored = [(o.case.name, o.result) for o in outcomes if o.result is not None]
    return CaseReport(guide.edition, guide.fingerprint, tuple(outcomes), coverage(guide, scored))


# ---- coverage --------------------------------------------------------------------------------


def _gate_env(result: Result) -> dict[str, Any]:
    """What a tier's ``require`` reads, as the scorer gives it: reported total and basic
    attainment, reported category scores, criteria percentages."""
    return {
        "total": result.total,
        "basic_attainment": result.basic_attainment,
        "categories": {c.id: c.score for c in result.categories},
        "criteria": {c.id: c.percentage for c in result.criteria},
    }


def _targets(guide: Guide, model: Model) -> list[CoverageTarget]:
    out: list[CoverageTarget] = []
    for c in model.criteria():
        kind = c.kind_object
        out.append(CoverageTarget("criterion", model.id, c.id, "scored", span=c.span, path=c.path))
        can_na = (c.applicable is not None and not isinstance(c.applicable.node, n.Bool)) or (
            kind is not None and kind.may_be_not_applicable(c.params))
        if can_na:
            out.append(CoverageTarget("criterion", model.id, c.id, "not_applicable", span=c.span, path=c.path))
        if c.missing != "error":
            out.append(CoverageTarget("criterion", model.id, c.id, "missing", span=c.span, path=c.path))
        table = kind.table(c.params) if kind is not None else None
        if table is not None:
            for k, row in enumerate(table.rows):
                out.append(CoverageTarget("row", model.id, c.id, "matched", k + 1, span=row.span or c.span,
                                  path=row.path or c.path))
    for t in model.tiers:
        out.append(CoverageTarget("tier", model.id, t.id, "awarded", span=t.span, path=t.path))
    out.append(CoverageTarget("tier", model.id, None, "awarded", span=model.span, path=model.path))
    for f in model.flags:
        out.append(CoverageTarget("flag", model.id, f.id, "raised", span=f.span, path=f.path))
        out.append(CoverageTarget("flag", model.id, f.id, "not_raised", span=f.span, path=f.path))
    for t in model.tiers:
        out.append(CoverageTarget("gate", model.id, t.id, "min_passes", span=t.span, path=t.path))
        out.append(CoverageTarget("gate", model.id, t.id, "min_fails", span=t.span, path=t.path))
        if t.require is not None:
            where = t.require.node.span or t.require.span or t.span
            out.append(CoverageTarget("gate", model.id, t.id, "require_passes", span=where, path=f"{t.path}.require"))
            out.append(CoverageTarget("gate", model.id, t.id, "require_fails", span=where, path=f"{t.path}.require"))
    return out


def _reaches(guide: Guide, model: Model, result: Result) -> set[tuple[str, str | None, str, int | None]]:
    """The targets one result reaches, as (section, id, detail, row)."""
    got: set[tuple[str, str | None, str, int | None]] = set()
    for c in result.criteria:
        status = {"missing_zero": "missing", "missing_not_applicable": "missing"}.get(c.status, c.status)
        got.add(("criterion", c.id, status, None))
        if c.row is not None:
            got.add(("row", c.id, "matched", c.row))
    got.add(("tier", result.tier_id, "awarded", None))
    for fid, value in result.flags.items():
        got.add(("flag", fid, "raised" if value is True else "not_raised", None))
    nums = guide.numbers
    ctx = make_context(nums.precision, nums.rounding)
    env = _gate_env(result)
    for t in model.tiers:
        got.add(("gate", t.id, "min_passes" if result.total >= t.min else "min_fails", None))
        if t.require is not None:
            try:
                passes = interpret(t.require.node, env, ctx=ctx) is True
            except EvaluationError:
                passes = False
            got.add(("gate", t.id, "require_passes" if passes else "require_fails", None))
    return got


def coverage(guide: Guide, results: Iterable[tuple[str, Result]]) -> Coverage:
    """What some results (each with the name of its case) reach of the guide."""
    by_model: dict[str, list[tuple[str, Result]]] = {}
    for name, r in results:
        by_model.setdefault(r.model, []).append((name, r))
    targets: list[CoverageTarget] = []
    for model in guide.models:
        reached: dict[tuple[str, str | None, str, int | None], list[str]] = {}
        for name, r in by_model.get(model.id, []):
            for key in _reaches(guide, model, r):
                reached.setdefault(key, []).append(name)
        for t in _targets(guide, model):
            who = reached.get((t.section, t.id, t.detail, t.row), [])
            targets.append(attrs.evolve(t, reached=bool(who), by=tuple(sorted(set(who)))))
    return Coverage(tuple(targets))

