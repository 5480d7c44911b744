"""The result of scoring one centre, and the explanation of every number in it.

A :class:`Result` wraps the tuple the generated scorer returns and builds its views
(categories, criteria, the trace) only when asked, so scoring 10,000 centres does not
pay for objects nobody reads. :meth:`Result.to_dict` is the canonical form: sorted
keys, numbers as strings — reported values at the guide's report scale (``"87.50"``),
exact values without trailing zeros.
"""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ..dsl.numbers import canonical, format_number
from ..errors import UnknownIdError
from ..guide.model import Category, Criterion, Text, Tier
from .formats import RESULT_FORMAT, RESULT_FORMATS, result_format_name

if TYPE_CHECKING:  # pragma: no cover
    from ..guide.evidence import Evidence
    from .compile import CompiledModel

__all__ = ["CategoryResult", "CriterionResult", "Result", "report_text"]


def report_text(value: Decimal | None) -> str | None:
    """A reported (rounded) value as text: its fixed scale kept (``87.50``)."""
    return None if value is None else format_number(value)


def exact_text(value: Decimal | None) -> str | None:
    """An exact value as canonical text (no exponent, no trailing zeros)."""
    return None if value is None else canonical(value)


@attrs.frozen
class CriterionResult:
    """How one criterion scored, and why."""

    id: str
    category: str
    label: Text
    status: str
    points: Decimal | None
    percentage: Decimal | None
    weight: Decimal
    basic: bool
    form: str
    #: 1-based row of the decision table that matched (None for an expression).
    row: int | None
    #: The inputs it read and their values (None: absent).
    inputs: dict[str, Any]
    effective_weight: Decimal | None = None
    contribution: Decimal | None = None
    criterion: Criterion | None = attrs.field(default=None, eq=False, repr=False)
    #: The trace the criterion's kind records beyond points and inputs (a survey's
    #: responses and index, each assessor's rating…), as data; None for most kinds.
    detail: dict[str, Any] | None = None
    #: The kind's raw trace value (what its explanation reads).
    raw_detail: Any = attrs.field(default=None, eq=False, repr=False)

    @property
    def applicable(self) -> bool:
        return self.status in ("scored", "missing_zero")

    def to_dict(self, format: int = RESULT_FORMAT) -> dict[str, Any]:
        """The criterion's canonical data in a result data form (see engine/formats.py):
        keys sorted, numbers as strings."""
        out: dict[str, Any] = {"basic": self.basic, "category": self.category}
        if self.effective_weight is not None or self.contribution is not None:
            out["contribution"] = exact_text(self.contribution)
            out["effective_weight"] = exact_text(self.effective_weight)
        if format >= 2 and self.detail is not None:
            out["detail"] = value_data(self.detail)
            out = dict(sorted(out.items()))
        out.update(
            form=self.form,
            id=self.id,
            inputs={k: value_data(v) for k, v in sorted(self.inputs.items())},
            percentage=exact_text(self.percentage),
            points=exact_text(self.points),
            row=self.row,
            status=self.status,
            weight=exact_text(self.weight),
        )
        return out


@attrs.frozen
class CategoryResult:
    """How one category scored: its weight, its reported and exact score, its criteria."""

    id: str
    label: Text
    weight: Decimal
    score: Decimal | None
    score_exact: Decimal | None
    criteria: tuple[str, ...]
    category: Category | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def applicable(self) -> bool:
        return self.score is not None

    def to_dict(self) -> dict[str, Any]:
        """The category's canonical data: keys sorted, numbers as strings."""
        return {
            "applicable": self.applicable,
            "criteria": list(self.criteria),
            "id": self.id,
            "score": report_text(self.score),
            "score_exact": exact_text(self.score_exact),
            "weight": exact_text(self.weight),
        }


def _unknown(what: str, name: str, ids: list[str], model: str, other: list[str]) -> UnknownIdError:
    from ..dsl.hints import did_you_mean

    if other:
        hint = f"`{name}` is a {what} of model `{other[0]}`; this centre was scored with model `{model}`"
    else:
        hint = did_you_mean(str(name), ids) or f"its {what} ids: " + ", ".join(ids)
    return UnknownIdError(f"model `{model}` has no {what} `{name}`", code=f"result.unknown-{what}", hint=hint)


def value_data(v: Any) -> Any:
    """A value as a result's canonical data: decimals as canonical text, mappings with
    sorted keys, lists item by item."""
    t = type(v)
    if t is Decimal:
        return canonical(v)
    if t is str or t is bool or v is None:
        return v
    if isinstance(v, Decimal):
        return canonical(v)
    if isinstance(v, list):
        return [value_data(x) for x in v]
    if isinstance(v, dict):
        return {k: value_data(x) for k, x in sorted(v.items())}
    return v


class Result:
    """The score of one centre under one guide: total, tier, categories, criteria."""

    __slots__ = ("_cats", "_compiled", "_crits", "_env", "_evidence", "_raw", "_trace", "_traced")

    def __init__(
        self,
        compiled: CompiledModel,
        evidence: Evidence,
        env: dict[str, Any],
        raw: tuple[Any, ...],
        traced: bool,
    ) -> None:
        self._compiled = compiled
        self._evidence = evidence
        self._env = env
        self._raw = raw
        self._traced = traced
        self._cats: tuple[CategoryResult, ...] | None = None
        self._crits: tuple[CriterionResult, ...] | None = None
        self._trace: tuple[tuple[Decimal | None, ...], tuple[Decimal | None, ...]] | None = None

    # ---- headline numbers -------------------------------------------------------------

    @property
    def evidence(self) -> Evidence:
        return self._evidence

    @property
    def centre_id(self) -> str:
        return self._evidence.centre_id

    @property
    def model(self) -> str:
        return self._compiled.model.id

    @property
    def edition(self) -> str:
        return self._compiled.guide.edition

    @property
    def guide_fingerprint(self) -> str:
        return self._compiled.guide.fingerprint

    @property
    def total(self) -> Decimal:
        """The total, rounded as the guide reports it."""
        return self._raw[7]

    @property
    def total_exact(self) -> Decimal:
        return self._raw[6]

    @property
    def basic_attainment(self) -> Decimal | None:
        return self._raw[9]

    @property
    def basic_attainment_exact(self) -> Decimal | None:
        return self._raw[8]

    @property
    def tier(self) -> Tier | None:
        index = self._raw[10]
        return self._compiled.model.tiers[index] if index >= 0 else None

    @property
    def tier_id(self) -> str | None:
        t = self.tier
        return t.id if t is not None else None

    @property
    def flags(self) -> dict[str, bool | None]:
        return {f.id: v for f, v in zip(self._compiled.model.flags, self._raw[11], strict=True)}

    def _trace_values(self) -> tuple[tuple[Decimal | None, ...], tuple[Decimal | None, ...]]:
        """Effective weights and contributions: the trace is the scorer's compact tuple,
        expanded (by the model's generated trace function) only when it is read."""
        if self._trace is None:
            self._trace = self._compiled.trace_values(self._raw)
        return self._trace

    @property
    def traced(self) -> bool:
        return self._traced

    # ---- detail ---------------------------------------------------------------------------

    @property
    def categories(self) -> tuple[CategoryResult, ...]:
        if self._cats is None:
            model = self._compiled.model
            exact, rounded = self._raw[4], self._raw[5]
            if rounded is None:
                rounded = tuple(self._compiled.round_report(x) for x in exact)
            self._cats = tuple(
                CategoryResult(
                    cat.id,
                    cat.label,
                    cat.weight,
                    rounded[k],
                    exact[k],
                    tuple(c.id for c in cat.criteria),
                    cat,
                )
                for k, cat in enumerate(model.categories)
            )
        return self._cats

    @property
    def criteria(self) -> tuple[CriterionResult, ...]:
        if self._crits is None:
            from .compile import STATUS

            status, points, rows, pct = self._raw[0], self._raw[1], self._raw[2], self._raw[3]
            eff, contrib = self._trace_values() if self._traced else (None, None)
            cats = self._compiled.model.categories
            out = []
            for info in self._compiled.criteria:
                i, c = info.index, info.criterion
                kind = info.kind
                out.append(
                    CriterionResult(
                        id=c.id,
                        category=cats[info.category_index].id,
                        label=c.label,
                        status=STATUS[status[i]],
                        points=points[i] if STATUS[status[i]] != "missing_not_applicable" else None,
                        percentage=pct[i],
                        weight=c.weight,
                        basic=c.basic,
                        form=c.form,
                        row=kind.row(rows[i]),
                        inputs={name: self._read(name) for name in info.reads},
                        effective_weight=eff[i] if eff is not None else None,
                        contribution=contrib[i] if contrib is not None else None,
                        criterion=c,
                        detail=kind.detail_data(c.params, rows[i]),
                        raw_detail=rows[i],
                    )
                )
            self._crits = tuple(out)
        return self._crits

    def _read(self, name: str) -> Any:
        return self._env.get(name)

    def category(self, category_id: str) -> CategoryResult:
        """The result of one category of the centre's model, by id.

        Raises :class:`~taqyeem_rules.errors.UnknownIdError` (a ``KeyError``) with the
        nearest id when the model has no such category."""
        found = next((c for c in self.categories if c.id == category_id), None)
        if found is None:
            other = [m.id for m in self._compiled.guide.models if any(c.id == category_id for c in m.categories)]
            raise _unknown("category", category_id, [c.id for c in self.categories], self.model, other)
        return found

    def criterion(self, criterion_id: str) -> CriterionResult:
        """The result of one criterion of the centre's model, by id.

        Raises :class:`~taqyeem_rules.errors.UnknownIdError` (a ``KeyError``) with the
        nearest id when the model has no such criterion."""
        found = next((c for c in self.criteria if c.id == criterion_id), None)
        if found is None:
            where = self._compiled.guide.criterion(criterion_id) if isinstance(criterion_id, str) else None
            other = [where[0].id] if where is not None else []
            raise _unknown("criterion", criterion_id, [c.id for c in self.criteria], self.model, other)
        return found

    # ---- canonical data ---------------------------------------------------------------------

    def to_dict(self, format: int = RESULT_FORMAT) -> dict[str, Any]:
        """The canonical form of the result, in a result data form
        (:data:`~taqyeem_rules.engine.formats.RESULT_FORMATS`; the newest by default):
        every number as a string, and every mapping's keys in sorted order (so the dict
        prints, and serialises without ``sort_keys``, in the same order as the canonical
        JSON). Replay writes a recorded result again in its record's form."""
        if format not in RESULT_FORMATS:
            raise ValueError(f"unknown result format {format!r}; this version writes {RESULT_FORMATS}")
        ev = self._evidence
        raw = self._raw
        compiled = self._compiled
        statics = compiled.result_statics()
        rounded = raw[5]
        if rounded is None:
            round_report = compiled.round_report
            rounded = tuple(round_report(x) for x in raw[4])
        categories = [
            {"applicable": r is not None, "criteria": list(ids), "id": cid,
             "score": None if r is None else format_number(r), "score_exact": exact_text(x), "weight": weight}
            for (cid, ids, weight), r, x in zip(statics.categories, rounded, raw[4], strict=True)
        ]
        plugins = [dict(p) for p in (statics.plugins if format >= 2 else statics.plugins_v1)]
        flags = dict(sorted(zip(statics.flags, raw[11], strict=True)))
        name = ev.centre_name
        basic = None if raw[9] is None else format_number(raw[9])
        centre = {"id": ev.centre_id, "name": name.to_data() if isinstance(name, Text) else name}
        tier = statics.tiers[raw[10]] if raw[10] >= 0 else None
        out = {  # (written in sorted key order: no sorting afterwards)
            "basic_attainment": basic,
            "basic_attainment_exact": exact_text(raw[8]),
            "categories": categories,
            "centre": centre,
            "criteria": self._criteria_data(format),
            "edition": statics.edition,
            "evidence_fingerprint": ev.fingerprint,
            "flags": flags,
            "format": result_format_name(format) if format >= 3 else None,
            "guide_fingerprint": statics.guide_fingerprint,
            "guide_status": statics.guide_status,
            "model": statics.model,
            "plugins": plugins,
            "tier": tier,
            "total": format_number(raw[7]),
            "total_exact": exact_text(raw[6]),
            "traced": self._traced,
        }
        if format < 3:  # (the forms before 3 name neither; the others keep their order)
            del out["format"], out["guide_status"]
        return out

    @property
    def guide_status(self) -> str:
        """``official`` or ``illustrative``: the status of the numbers of the guide that
        scored this centre (its ``provenance.status``)."""
        return self._compiled.guide.provenance.status

    def _criteria_data(self, format: int) -> list[dict[str, Any]]:
        """``[c.to_dict(format) for c in self.criteria]``, built straight from the scorer's
        tuple when the criteria have not been built as objects (the common case: a result
        written as JSON or recorded). ``tests/engine`` holds the two ways equal."""
        if self._crits is not None:
            return [c.to_dict(format) for c in self._crits]
        raw, traced = self._raw, self._traced
        write = self._compiled.criteria_writer(traced, format)
        eff, contrib = self._trace_values() if traced else (None, None)
        return write(raw[0], raw[1], raw[2], raw[3], eff, contrib, self._env, self._evidence.canonical_inputs())

    # ---- explanation -------------------------------------------------------------------------

    def explain(self, lang: str = "en", *, exact: bool = False) -> str:
        """A plain-text tree of how every number arose, in English or Arabic (``lang``).

        Numbers are shown at the guide's report precision; ``exact=True`` shows every
        digit (as :meth:`to_dict` holds them). (A convenience that reaches up to the
        presentation layer, which renders :func:`~taqyeem_rules.engine.explain.explain_tree`
        through the message catalogue.)"""
        from ..present.explain import explain_text
        from .explain import explain_tree

        return explain_text(explain_tree(self), lang, exact=exact)

    def __repr__(self) -> str:
        return (
            f"<Result {self.centre_id} {self.edition}/{self.model}: total {report_text(self.total)}, "
            f"tier {self.tier_id}>"
        )
