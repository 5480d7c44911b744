"""Impact of a guide change: the same centres scored under the old and the new guide.

:func:`impact` scores every centre's evidence under both guides (the evidence may name
either edition; inputs one guide does not read are left out for it), and reports for
each centre the old and new total and tier, the change of total, and the criteria whose
contribution to the total moved most. Centres whose tier changes come first. A summary
counts the tier transitions (from → to) of each model, over the centres scored under both.

Evidence of one edition scored under a guide that adds, retypes or removes inputs is
read under stated assumptions (``assume``, ``assume_missing``, the guide's ``past:``;
see :mod:`taqyeem_rules.engine.assume`); every assumption used is part of the impact.
A centre that cannot be scored under one of the guides is *unscored*: it is listed, with
the reason, and counted in no summary.

The data form (:meth:`Impact.to_dict`) is versioned: ``"format": "taqyeem-impact/3"``
(the form of earlier releases, without a marker, is 1; 2 adds the assumptions, notes,
``scored`` per centre and ``tier_changed`` null for an unscored centre; 3 adds
``guide_status``, ``illustrative`` when either guide is). A change to the form is a new
version, never a new meaning for an old one.
"""

from __future__ import annotations

import functools
import heapq
import itertools
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal, localcontext
from typing import Any

import attrs

from ..dsl.numbers import canonical, format_number, in_analysis_context, make_context
from ..errors import TaqyeemError, UsageError
from ..guide.evidence import Evidence, evidence_from_data, model_inputs
from ..guide.guide import Guide
from ..guide.model import Input, Text, centre_name
from .assume import (
    ASSUME_MISSING,
    Assumption,
    InputNote,
    Plan,
    Planner,
    check_assumptions,
    input_keys,
    missing_inputs_error,
)
from .compile import CompiledModel, compile_model
from .score import score

__all__ = ["IMPACT_FORMAT", "CentreImpact", "CriterionShift", "Impact", "TierTransition", "impact"]

#: The data form of :meth:`Impact.to_dict`.
IMPACT_FORMAT = "taqyeem-impact/3"

NONE_TIER = "—"
#: Wide enough to subtract two 34-digit values exactly.
_WIDE = make_context(80)


@attrs.frozen
class CriterionShift:
    """How much one criterion's contribution to a centre's total moved (points of 100).
    ``old``/``new`` are None where the criterion does not exist or does not apply."""

    id: str
    category: str | None
    old: Decimal | None
    new: Decimal | None

    @property
    def delta(self) -> Decimal:
        """new − old, exactly (a missing side counts as 0)."""
        with localcontext(_WIDE):
            return (self.new or Decimal(0)) - (self.old or Decimal(0))

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "category": self.category,
            "old": None if self.old is None else canonical(self.old),
            "new": None if self.new is None else canonical(self.new),
            "delta": canonical(self.delta),
        }


@attrs.frozen
class CentreImpact:
    """One centre under both guides. ``error`` says why it could not be scored under one
    of them (its totals and tiers are then None on that side).

    :attr:`movers` — the criteria whose contribution to the total moved most — are worked
    out when first read (like a Result's detail), so an impact over many centres does not
    pay for the ones nobody reads; they are derived data and take no part in equality.
    """

    centre_id: str
    name: Text | str | None
    model: str
    old_total: Decimal | None
    new_total: Decimal | None
    old_tier: str | None
    new_tier: str | None
    _movers: tuple[CriterionShift, ...] | Callable[[], tuple[CriterionShift, ...]] = attrs.field(
        default=(), eq=False, repr=False, alias="movers")
    error: str | None = None
    #: The assumptions used for this centre (:attr:`Assumption.key`: ``EDITION:INPUT``).
    assumptions: tuple[str, ...] = ()
    _cache: dict[str, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    @property
    def movers(self) -> tuple[CriterionShift, ...]:
        """The criteria whose contribution changed most, largest change first."""
        found = self._movers
        if callable(found):
            cached = self._cache.get("movers")
            if cached is None:
                cached = self._cache["movers"] = found()
            return cached
        return found

    @property
    def delta(self) -> Decimal | None:
        """new total − old total (reported values), None when a side failed."""
        if self.old_total is None or self.new_total is None:
            return None
        return _WIDE.subtract(self.new_total, self.old_total)  # (exact: never the thread's context)

    @property
    def tier_changed(self) -> bool | None:
        """Whether the tier changes; None for an unscored centre (never "unchanged")."""
        if self.error is not None:
            return None
        return self.old_tier != self.new_tier

    @property
    def ok(self) -> bool:
        """Scored under both guides."""
        return self.error is None

    @property
    def scored(self) -> bool:
        """Scored under both guides (the same as :attr:`ok`)."""
        return self.error is None

    def display_name(self, lang: str = "en") -> str:
        """The centre's name in ``lang`` (its id when it has none)."""
        return centre_name(self.name, self.centre_id, lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "centre": self.centre_id,
            "name": self.name.to_data() if isinstance(self.name, Text) else self.name,
            "model": self.model,
            "old_total": None if self.old_total is None else format_number(self.old_total),
            "new_total": None if self.new_total is None else format_number(self.new_total),
            "delta": None if self.delta is None else format_number(self.delta),
            "old_tier": self.old_tier,
            "new_tier": self.new_tier,
            "scored": self.scored,
            "tier_changed": self.tier_changed,
            "movers": [m.to_dict() for m in self.movers],
            "error": self.error,
            "assumptions": list(self.assumptions),
        }


@attrs.frozen
class TierTransition:
    """How many centres of a model went from one tier to another (None: no tier)."""

    model: str
    old_tier: str | None
    new_tier: str | None
    count: int

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "from": self.old_tier, "to": self.new_tier, "count": self.count}


@attrs.frozen
class Impact:
    """Every centre under both guides (tier changes first, then the largest moves) and the
    tier transitions of each model."""

    old_edition: str
    new_edition: str
    old_fingerprint: str
    new_fingerprint: str
    centres: tuple[CentreImpact, ...]
    transitions: tuple[TierTransition, ...]
    #: The tiers of each model, in the order of the new guide then the old: for tables.
    tier_order: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict, eq=False)
    #: Every assumption used (see :mod:`taqyeem_rules.engine.assume`), old guide first.
    assumptions: tuple[Assumption, ...] = ()
    #: Inputs of the evidence a guide does not declare (ignored under it).
    notes: tuple[InputNote, ...] = ()
    #: ``illustrative`` when either guide's numbers are (its ``provenance.status``), else
    #: ``official``.
    guide_status: str = "official"

    def __iter__(self) -> Any:
        return iter(self.centres)

    def __len__(self) -> int:
        return len(self.centres)

    @property
    def changed(self) -> tuple[CentreImpact, ...]:
        """The centres whose tier changes."""
        return tuple(c for c in self.centres if c.tier_changed)

    @property
    def failures(self) -> tuple[CentreImpact, ...]:
        """The unscored centres (not scored under one of the guides)."""
        return tuple(c for c in self.centres if not c.ok)

    @property
    def scored(self) -> tuple[CentreImpact, ...]:
        """The centres scored under both guides: the only ones summaries count."""
        return tuple(c for c in self.centres if c.ok)

    def transition_table(self, model: str) -> tuple[list[str], list[list[str]]]:
        """A from (rows) × to (columns) count table for one model; ``—`` is no tier.
        (A convenience: the table is made by :mod:`taqyeem_rules.present.impact`.)"""
        from ..present.impact import transition_table

        return transition_table(self, model)


    def models(self) -> list[str]:
        return sorted({c.model for c in self.centres}, key=lambda m: (m != "onsite", m))

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": IMPACT_FORMAT,
            "guide_status": self.guide_status,
            "old": {"edition": self.old_edition, "fingerprint": self.old_fingerprint},
            "new": {"edition": self.new_edition, "fingerprint": self.new_fingerprint},
            "assumptions": [a.to_dict() for a in self.assumptions],
            "notes": [x.to_dict() for x in self.notes],
            "centres": [c.to_dict() for c in self.centres],
            "transitions": [t.to_dict() for t in self.transitions],
            "scored": len(self.scored),
            "unscored": len(self.failures),
            "tier_changes": len(self.changed),
        }

    def rows(self, lang: str = "en") -> tuple[list[str], list[list[str]]]:
        """One row per centre: centre, name, model, old, new, Δ, old tier, new tier, movers.
        (A convenience: the words are :mod:`taqyeem_rules.present.impact`'s.)"""
        from ..present.impact import impact_rows

        return impact_rows(self, lang)

    def to_csv(self) -> str:
        """One line per centre, machine-readable (ids, not labels), the last column the
        ``guide_status``. (A convenience: :func:`taqyeem_rules.present.impact.impact_csv`.)"""
        from ..present.impact import impact_csv

        return impact_csv(self)

    def to_markdown(self, lang: str = "en") -> str:
        """A Markdown report: the transition tables, then every centre. (A convenience:
        :func:`taqyeem_rules.present.impact.impact_markdown`.)"""
        from ..present.impact import impact_markdown

        return impact_markdown(self, lang)


# ---- scoring under both guides ------------------------------------------------------------------


def _validation_key(inp: Input) -> tuple[Any, ...]:
    """What evidence validation reads of an input (not its labels)."""
    return (inp.type, inp.required, inp.bounds, tuple(i.id for i in inp.items), inp.of, inp.min_items)


class _Side:
    """One guide (or its variant under assumptions), and how evidence of either edition
    is made to fit it.

    Inputs the guide's model does not read are left out. Evidence already validated
    against the other guide is not validated again when every input this guide reads is
    declared alike in both (same type, bounds, items, …), is optional and absent, or is
    given by an assumption (checked when it was made): the other guide's schema already
    checked the same values. Such evidence is scored by the compiled model directly;
    anything else (and any failure, for its message) goes through
    :func:`~taqyeem_rules.engine.score.score`.
    """

    def __init__(self, guide: Guide, other: Guide) -> None:
        self.guide = guide
        self.other = other
        self.key = guide.fingerprint
        self.other_key = other.fingerprint
        self.reads: dict[str, dict[str, tuple[Any, ...]] | None] = {}
        self.other_reads: dict[str, dict[str, tuple[Any, ...]]] = {}
        self.compiled: dict[str, tuple[CompiledModel, Callable[..., tuple[Any, ...]], tuple[str, ...]]] = {}
        self.trusted: dict[tuple[Any, ...], bool] = {}

    def _model_reads(self, model: str) -> dict[str, tuple[Any, ...]] | None:
        if model not in self.reads:
            m = self.guide.model(model)
            self.reads[model] = None if m is None else {i.id: _validation_key(i) for i in model_inputs(self.guide, m)}
            om = self.other.model(model)
            self.other_reads[model] = {} if om is None else {
                i.id: _validation_key(i) for i in model_inputs(self.other, om)}
            if m is not None:
                compiled = compile_model(self.guide, m)
                self.compiled[model] = (compiled, compiled.function(True), compiled.input_ids)
        return self.reads[model]

    def _valid(self, ev: Evidence, reads: Mapping[str, tuple[Any, ...]], plan: Plan | None) -> bool:
        """Whether the evidence (as the plan reads it) is known valid for this guide."""
        valid_for = ev.memo.valid_for
        if plan is None and self.key in valid_for:
            return True
        if self.other_key not in valid_for:
            return False
        shape = (ev.model, input_keys(ev), None if plan is None else id(plan))
        found = self.trusted.get(shape)
        if found is None:
            other = self.other_reads[ev.model]
            present = set(shape[1])
            assumed: set[str] = set()
            if plan is not None:
                present -= set(plan.drop)
                assumed = {k for k, _ in plan.values}
            found = self.trusted[shape] = all(
                i in assumed or (i in present and other.get(i) == key) or (i not in present and not key[1])
                for i, key in reads.items()
            )
        return found

    def fit(self, ev: Evidence, plan: Plan | None = None) -> Evidence:
        reads = self._model_reads(ev.model)
        if reads is None:
            raise TaqyeemError(f"guide {self.guide.edition} has no model `{ev.model}`", code="impact.model")
        inputs = dict(ev.inputs)
        if plan is not None:
            for k in plan.drop:
                inputs.pop(k, None)
            inputs.update(plan.values)
        if not reads.keys() >= inputs.keys() or plan is not None:
            ev = attrs.evolve(ev, inputs={k: v for k, v in inputs.items() if k in reads})
        return ev

    def input_ids(self, model: str) -> tuple[str, ...]:
        return self.compiled[model][2] if self._model_reads(model) is not None else ()

    def run(self, ev: Evidence, env: Mapping[str, Any], plan: Plan | None = None
            ) -> tuple[tuple[Any, ...], CompiledModel]:
        """The raw result of scoring ``ev`` (see :class:`~taqyeem_rules.engine.result.Result`);
        ``env`` maps every input either guide reads to its value (None when absent)."""
        reads = self._model_reads(ev.model)
        if plan is not None and (plan.drop or plan.values):
            env = dict(env)
            for k in plan.drop:
                env[k] = None
            env.update(plan.values)
        if reads is not None and self._valid(ev, reads, plan):
            compiled, fn, _ = self.compiled[ev.model]
            try:
                return fn(env), compiled
            except Exception:  # scored again below, for the error and its message
                pass
        result = score(self.guide, self.fit(ev, plan), trace=True, other_edition=True)
        return result._raw, result._compiled


# Positions in the raw result of a compiled model (see engine/result.py).
_TOTAL, _TIER = 7, 10


def _getter(indices: list[int]) -> Callable[[tuple[Any, ...]], tuple[Any, ...]]:
    """A C-speed ``t → tuple(t[i] for i in indices)``."""
    if not indices:
        return lambda t: ()
    if len(indices) == 1:
        k = indices[0]
        return lambda t: (t[k],)
    return operator.itemgetter(*indices)


@attrs.frozen
class _Alignment:
    """Which criterion of the old model is which of the new one (by id), for movers."""

    #: (criterion, category) of every criterion of either model, new order then removed ones.
    rows: tuple[tuple[str, str], ...]
    #: Rows of the criteria in both models, and getters of their contributions in each.
    both: tuple[int, ...]
    old_values: Callable[[tuple[Any, ...]], tuple[Any, ...]]
    new_values: Callable[[tuple[Any, ...]], tuple[Any, ...]]
    #: (row, index) of the criteria only in the old, or only in the new model.
    only_old: tuple[tuple[int, int], ...]
    only_new: tuple[tuple[int, int], ...]


def _alignment(old: CompiledModel, new: CompiledModel) -> _Alignment:
    old_index = {info.criterion.id: info for info in old.criteria}
    rows: list[tuple[str, str]] = []
    both: list[int] = []
    old_at: list[int] = []
    new_at: list[int] = []
    only_old, only_new = [], []
    for info in new.criteria:
        o = old_index.get(info.criterion.id)
        if o is not None:
            both.append(len(rows))
            old_at.append(o.index)
            new_at.append(info.index)
        else:
            only_new.append((len(rows), info.index))
        rows.append((info.criterion.id, new.model.categories[info.category_index].id))
    seen = {info.criterion.id for info in new.criteria}
    for info in old.criteria:
        if info.criterion.id not in seen:
            only_old.append((len(rows), info.index))
            rows.append((info.criterion.id, old.model.categories[info.category_index].id))
    return _Alignment(tuple(rows), tuple(both), _getter(old_at), _getter(new_at), tuple(only_old),
                      tuple(only_new))


def _movers(al: _Alignment, run_old: tuple[tuple[Any, Any], CompiledModel],
            run_new: tuple[tuple[Any, Any], CompiledModel], top: int) -> tuple[CriterionShift, ...]:
    """The ``top`` largest contribution changes (ties in the new guide's order); the
    contributions are the trace of each side ((percentages, category scores) of its
    scorer's tuple, and its compiled model), worked out now that they are read."""
    ko = run_old[1].trace_from(*run_old[0])[1]
    kn = run_new[1].trace_from(*run_new[0])[1]
    with localcontext(_WIDE):
        return _largest_changes(al, ko, kn, top)


def _largest_changes(al: _Alignment, ko: tuple[Any, ...], kn: tuple[Any, ...], top: int) -> tuple[CriterionShift, ...]:
    found = []
    olds, news = al.old_values(ko), al.new_values(kn)
    # only the criteria whose contribution differs, found at C speed
    for k in itertools.compress(range(len(olds)), map(operator.ne, olds, news)):
        a, b = olds[k], news[k]
        d = b if a is None else (-a if b is None else b - a)
        if d:
            found.append((abs(d), -al.both[k], a, b))
    for j, i_old in al.only_old:
        a = ko[i_old]
        if a:
            found.append((abs(a), -j, a, None))
    for j, i_new in al.only_new:
        b = kn[i_new]
        if b:
            found.append((abs(b), -j, None, b))
    best = heapq.nlargest(top, found) if len(found) > top else sorted(found, reverse=True)
    rows = al.rows
    return tuple(CriterionShift(*rows[-j], a, b) for _, j, a, b in best)


def _tier_id(run: tuple[tuple[Any, ...], CompiledModel] | None) -> str | None:
    if run is None:
        return None
    k = run[0][_TIER]
    return run[1].model.tiers[k].id if k >= 0 else None


def _as_evidence(ev: Evidence | Mapping[str, Any], old: Guide, new: Guide) -> Evidence:
    if isinstance(ev, Evidence):
        return ev
    edition = str(ev.get("edition", "")) if isinstance(ev, Mapping) else ""
    first, second = (new, old) if edition == new.edition else (old, new)
    try:
        return evidence_from_data(ev, first, other_edition=True)
    except TaqyeemError:
        return evidence_from_data(ev, second, other_edition=True)


@in_analysis_context
def impact(
    old: Guide,
    new: Guide,
    evidences: Iterable[Evidence | Mapping[str, Any]],
    *,
    top: int = 3,
    progress: Callable[[], None] | None = None,
    assume: Mapping[str, Any] | None = None,
    assume_missing: str | None = None,
) -> Impact:
    """Score every centre under ``old`` and ``new`` and compare.

    ``evidences`` are :class:`Evidence` (e.g. from ``load_evidences(paths, guide,
    other_edition=True)``) or mappings shaped like evidence files, of either edition.
    ``top`` is how many criteria to name per centre; ``progress`` is called once per
    centre (for a progress bar).

    Evidence that lacks inputs a guide reads (the guide added or retyped them) is read
    under assumptions (:mod:`taqyeem_rules.engine.assume`): ``assume`` maps an input id
    to a value in the input's evidence form (a checklist may be the list of its ticked
    items); ``assume_missing`` (``"not_applicable"`` or ``"lowest"``) covers the inputs
    that neither ``assume`` nor the guide's ``past:`` covers. When a required input is
    left unresolved, :class:`~taqyeem_rules.engine.assume.MissingInputsError` is raised
    before anything is scored. An unknown input in ``assume``, a value of the wrong type
    or an unknown ``assume_missing`` is a :class:`~taqyeem_rules.errors.UsageError`.

    A centre that cannot be scored under one of the guides is listed as unscored, with
    the error (after the others), not raised; summaries count only centres scored under
    both.
    """
    if assume_missing is not None and assume_missing not in ASSUME_MISSING:
        raise UsageError(f"assume_missing={assume_missing!r}: expected one of {', '.join(ASSUME_MISSING)}",
                         code="usage.assume", hint="not_applicable or lowest")
    given = check_assumptions(assume or {}, (old, new))
    items = [_as_evidence(item, old, new) for item in evidences]
    pa = Planner(old, new, later=False, assume=given, assume_missing=assume_missing)
    pb = Planner(new, old, later=True, assume=given, assume_missing=assume_missing)
    plans = [(pa.plan(ev), pb.plan(ev)) for ev in items]
    if pa.unresolved or pb.unresolved:
        raise missing_inputs_error([pa, pb], len(items))
    sides: dict[int, _Side] = {}

    def side_of(plan: Plan | None, base: Guide, other: Guide) -> _Side:
        guide = base if plan is None else plan.guide
        found = sides.get(id(guide))
        if found is None:
            found = sides[id(guide)] = _Side(guide, other)
        return found

    centres: list[CentreImpact] = []
    alignments: dict[tuple[int, int], _Alignment] = {}
    blank: dict[str, dict[str, None]] = {}  # every input either guide reads, by model
    a0, b0 = side_of(None, old, new), side_of(None, new, old)
    for ev, (plan_a, plan_b) in zip(items, plans, strict=True):
        template = blank.get(ev.model)
        if template is None:
            template = blank[ev.model] = dict.fromkeys([*a0.input_ids(ev.model), *b0.input_ids(ev.model)])
        env = template.copy()
        env.update(ev.inputs)  # (inputs neither guide reads are never looked at)
        errors = []
        r_old = r_new = None
        try:
            r_old = side_of(plan_a, old, new).run(ev, env, plan_a)
        except TaqyeemError as exc:
            errors.append(f"{old.edition}: {exc.message}")
        try:
            r_new = side_of(plan_b, new, old).run(ev, env, plan_b)
        except TaqyeemError as exc:
            errors.append(f"{new.edition}: {exc.message}")
        movers: tuple[CriterionShift, ...] | Callable[[], tuple[CriterionShift, ...]] = ()
        if r_old is not None and r_new is not None:
            pair = (id(r_old[1]), id(r_new[1]))
            al = alignments.get(pair)
            if al is None:
                al = alignments[pair] = _alignment(r_old[1], r_new[1])
            # (only what the trace reads is kept: the scorer's whole tuple, kept for every
            # centre, made the garbage collector's passes a third of impact's time)
            movers = functools.partial(_movers, al, ((r_old[0][3], r_old[0][4]), r_old[1]),
                                       ((r_new[0][3], r_new[0][4]), r_new[1]), top)
        used = tuple(f"{g.edition}:{k}" for g, plan in ((old, plan_a), (new, plan_b)) if plan is not None
                     for k in plan.assumptions)
        centres.append(CentreImpact(
            ev.centre_id, ev.centre_name, ev.model,
            r_old[0][_TOTAL] if r_old else None, r_new[0][_TOTAL] if r_new else None,
            _tier_id(r_old), _tier_id(r_new), movers, "; ".join(errors) or None, used,
        ))
        if progress is not None:
            progress()
    centres.sort(key=lambda c: (
        not c.ok, not c.tier_changed, -(abs(c.delta) if c.delta is not None else Decimal(0)), c.model, c.centre_id,
    ))
    counts = Counter((c.model, c.old_tier, c.new_tier) for c in centres if c.ok)
    order: dict[str, tuple[str, ...]] = {}
    for g in (new, old):
        for m in g.models:
            order[m.id] = tuple(dict.fromkeys([*order.get(m.id, ()), *(t.id for t in m.tiers)]))

    def rank(model: str, tier: str | None) -> int:
        tiers = order.get(model, ())
        return tiers.index(tier) if tier in tiers else len(tiers)

    transitions = tuple(
        TierTransition(m, x, y, k)
        for (m, x, y), k in sorted(counts.items(), key=lambda kv: (kv[0][0] != "onsite", kv[0][0],
                                                                   rank(kv[0][0], kv[0][1]), rank(kv[0][0], kv[0][2])))
    )
    status = "illustrative" if "illustrative" in (old.provenance.status, new.provenance.status) else "official"
    return Impact(old.edition, new.edition, old.fingerprint, new.fingerprint, tuple(centres), transitions, order,
                  (*pa.assumptions(), *pb.assumptions()), (*pa.notes(), *pb.notes()), status)
