"""Margins: how far each centre is from the next tier, and from losing its own.

For each centre :func:`margins` reports its tier, the next tier up (the one listed just
before it; or an explicit "unreachable" with the reason), the exact points the total
lacks — against the *rounded* total the tiers read, so 89.99 lacks 0.005 when 89.995
rounds to 90.00 —, the next tier's gates and which bind now, and the *steps*: the
criteria to improve, each raised to the lowest value its kind can attain that is higher
than today (:meth:`~taqyeem_rules.guide.kinds.CriterionKind.attainable`), with the total
and basic-attainment points each gains. Also the margin to losing the current tier: how
far the total (and each gate's value) can fall and keep it.

The objective of the steps is: the fewest criteria, then the fewest points of the total
gained (the least improvement that suffices), then the guide's order. Whether a set of
steps reaches a tier is decided exactly from the criteria's points, as scoring computes
the values again from them; the margins shown are measured from the scored values. Criteria are
treated as independent: the inputs they share and the applicability they change are held
fixed (the output says so). The search is exact — not greedy, which fails once a gate is
involved — over every improvable criterion, for gates on the total, category scores,
``min(categories)`` and basic attainment; a tier whose ``require`` is anything else gets
"not computed" rather than a guess, and so does a criterion whose kind cannot list the
points it can attain. A tier listed before the next one that the same steps would reach
counts as reaching it (first tier that holds wins).

Totals are computed with exact fractions (:mod:`taqyeem_rules.engine.exact`). The data
form is marked ``"format": "taqyeem-margins/2"`` (1, the first form; 2 adds
``guide_status``: ``illustrative`` or ``official``, the guide's ``provenance.status``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from ..dsl.limits import ANALYSIS_LIMITS
from ..dsl.numbers import format_number, in_analysis_context
from ..guide.evidence import Evidence
from ..guide.guide import Guide
from ..guide.model import Text, Tier, centre_name
from .exact import ExactCentre, Gate, fraction_text, reach, recognise
from .result import Result
from .score import score

__all__ = ["MARGINS_FORMAT", "CentreMargin", "GateStatus", "Margins", "Step", "margins"]

#: The data form of :meth:`Margins.to_dict`.
MARGINS_FORMAT = "taqyeem-margins/2"

#: What the steps hold fixed, as the output says it.
ASSUMPTION = "criteria are treated as independent: inputs they share and applicability they change are held fixed"
OBJECTIVE = "fewest criteria, then fewest points of the total gained, then guide order"


def _text(x: Fraction | None) -> str | None:
    return None if x is None else fraction_text(x)


@attrs.frozen
class Step:
    """One criterion raised to the lowest value its kind can attain above today."""

    criterion: str
    category: str
    basic: bool
    from_points: Decimal
    to_points: Decimal
    #: Points of the total (of 100) the step adds, exactly.
    total_gain: Fraction
    #: Points of basic attainment it adds (None for a criterion that is not basic).
    basic_gain: Fraction | None

    def to_dict(self) -> dict[str, Any]:
        return {"criterion": self.criterion, "category": self.category, "basic": self.basic,
                "from": format_number(self.from_points), "to": format_number(self.to_points),
                "total_gain": fraction_text(self.total_gain), "basic_gain": _text(self.basic_gain)}


@attrs.frozen
class GateStatus:
    """A tier condition for a centre now: ``holds`` (None when not computed), and by how
    much the unrounded value ``lacks`` it (when it does not hold) or may fall and keep it
    (``slack``, when it does)."""

    tier: str
    gate: str
    holds: bool | None
    lacks: Fraction | None = None
    slack: Fraction | None = None
    computed: bool = True

    def to_dict(self) -> dict[str, Any]:
        return {"tier": self.tier, "gate": self.gate, "holds": self.holds, "lacks": _text(self.lacks),
                "slack": _text(self.slack), "computed": self.computed}


@attrs.frozen
class CentreMargin:
    """The margins of one centre (see the module's documentation).

    ``reason`` (a code) and ``reason_values`` say why the next tier is not reached by
    steps when ``reachable`` is False: ``top`` (already in the first tier), ``no-tiers``,
    ``not-computed`` (a condition margins cannot search), ``never`` (a gate reads a value
    that is not applicable), ``not-enough`` (raising every improvable criterion one level
    is not enough), ``search-limit`` (the search went over its limit)."""

    centre_id: str
    name: Text | str | None
    model: str
    total: Decimal
    total_exact: Fraction
    basic_attainment: Decimal | None
    tier: str | None
    next_tier: str | None
    reachable: bool
    points_to_next_tier: Fraction | None
    #: True when the total must exceed ``points_to_next_tier`` (a rounding that goes
    #: down on the boundary), not merely reach it.
    strictly_more: bool
    gates: tuple[GateStatus, ...]
    steps: tuple[Step, ...] | None
    #: The tier the steps give (the next tier, or one listed before it).
    reaches: str | None
    reason: str | None
    reason_values: tuple[tuple[str, str], ...] = ()
    #: Criteria the search could not consider: their kind lists no attainable points.
    not_considered: tuple[str, ...] = ()
    #: How far the total can fall and keep the current tier (None without a tier).
    total_margin: Fraction | None = None
    #: The current tier's gates, with their slack.
    keep_gates: tuple[GateStatus, ...] = ()
    #: Set when the exact computation gives another tier than scoring did.
    note: str | None = None

    def display_name(self, lang: str = "en") -> str:
        """The centre's name in ``lang`` (its id when it has none)."""
        return centre_name(self.name, self.centre_id, lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "centre": self.centre_id,
            "name": self.name.to_data() if isinstance(self.name, Text) else self.name,
            "model": self.model,
            "total": format_number(self.total),
            "total_exact": fraction_text(self.total_exact),
            "basic_attainment": None if self.basic_attainment is None else format_number(self.basic_attainment),
            "tier": self.tier,
            "next_tier": self.next_tier,
            "reachable": self.reachable,
            "points_to_next_tier": _text(self.points_to_next_tier),
            "strictly_more": self.strictly_more,
            "gates": [g.to_dict() for g in self.gates],
            "steps": None if self.steps is None else [s.to_dict() for s in self.steps],
            "reaches": self.reaches,
            "reason": self.reason,
            "reason_values": dict(self.reason_values),
            "not_considered": list(self.not_considered),
            "total_margin": _text(self.total_margin),
            "keep_gates": [g.to_dict() for g in self.keep_gates],
            "note": self.note,
        }


@attrs.frozen
class Margins:
    """The margins of every centre of a guide (sorted by model, then centre id)."""

    edition: str
    fingerprint: str
    centres: tuple[CentreMargin, ...]
    failures: tuple[tuple[str, str], ...] = ()
    #: ``illustrative`` or ``official``: the guide's ``provenance.status``.
    guide_status: str = "official"

    def __iter__(self) -> Any:
        return iter(self.centres)

    def __len__(self) -> int:
        return len(self.centres)

    def centre(self, centre_id: str) -> CentreMargin:
        """The margins of one centre, by id (KeyError when absent)."""
        for c in self.centres:
            if c.centre_id == centre_id:
                return c
        raise KeyError(centre_id)

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": MARGINS_FORMAT,
            "guide_status": self.guide_status,
            "edition": self.edition,
            "fingerprint": self.fingerprint,
            "objective": OBJECTIVE,
            "assumption": ASSUMPTION,
            "centres": [c.to_dict() for c in self.centres],
            "failures": [{"centre": c, "error": e} for c, e in self.failures],
        }


# ---- the search ----------------------------------------------------------------------------


@attrs.frozen
class _Dim:
    """One condition: Σ gains over the chosen criteria ≥ need (> when strict)."""

    need: Fraction
    strict: bool
    gains: Mapping[int, Fraction]

    def met(self, s: Fraction) -> bool:
        return s > self.need if self.strict else s >= self.need


class _TooLarge(Exception):
    pass


def _search(cands: Sequence[int], dims: Sequence[_Dim], cost: Mapping[int, Fraction],
            budget: int) -> tuple[int, ...] | None:
    """The best subset of ``cands`` (guide order) meeting every dim: fewest members,
    then least Σ cost, then lexicographically first; None when none does."""
    n = len(cands)
    if not all(d.met(sum((d.gains.get(i, Fraction(0)) for i in cands), Fraction(0))) for d in dims):
        return None
    if all(d.met(Fraction(0)) for d in dims):
        return ()
    # suffix tables: the r largest gains of each dim, the r smallest costs, among cands[p:]
    top: list[list[list[Fraction]]] = []
    for d in dims:
        rows = []
        for p in range(n + 1):
            vals = sorted((d.gains.get(i, Fraction(0)) for i in cands[p:]), reverse=True)
            acc = [Fraction(0)]
            for v in vals:
                acc.append(acc[-1] + v)
            rows.append(acc)
        top.append(rows)
    low = []
    for p in range(n + 1):
        vals = sorted(cost[i] for i in cands[p:])
        acc = [Fraction(0)]
        for v in vals:
            acc.append(acc[-1] + v)
        low.append(acc)
    # the fewest members any subset needs, from the largest gains alone
    k0 = 1
    while k0 <= n and not all(d.met(top[j][0][k0]) for j, d in enumerate(dims)):
        k0 += 1
    visited = [0]
    for k in range(k0, n + 1):
        best: list[Any] = [None, None]  # (cost, subset)

        def dfs(pos: int, chosen: list[int], sums: list[Fraction], c: Fraction, k: int = k,
                best: list[Any] = best) -> None:
            visited[0] += 1
            if visited[0] > budget:
                raise _TooLarge
            left = k - len(chosen)
            if left == 0:
                if all(d.met(sums[j]) for j, d in enumerate(dims)) and (best[0] is None or c < best[0]):
                    best[0], best[1] = c, tuple(chosen)
                return
            for p in range(pos, n - left + 1):
                if best[0] is not None and c + low[p][left] >= best[0]:
                    return  # later positions cost no less (the suffix shrinks)
                if not all(d.met(sums[j] + top[j][p][left]) for j, d in enumerate(dims)):
                    return  # later positions can gain no more
                i = cands[p]
                chosen.append(i)
                dfs(p + 1, chosen, [sums[j] + d.gains.get(i, Fraction(0)) for j, d in enumerate(dims)],
                    c + cost[i])
                chosen.pop()

        dfs(0, [], [Fraction(0)] * len(dims), Fraction(0))
        if best[1] is not None:
            return best[1]
    return None


# ---- one centre ---------------------------------------------------------------------------------


class _Centre:
    def __init__(self, result: Result) -> None:
        self.result = result
        self.x = ExactCentre.of(result)
        self.em = self.x.model
        self.compiled = result._compiled
        self.model = self.compiled.model
        self.guide = self.compiled.guide
        # The values the tiers read are the scored ones (the guide's decimal context): a
        # margin is *shown* from them, so it reads as the result does (89.995 lacks
        # 0.005), not from the exact rational of the same points, which may differ in a
        # 35th digit. Which steps reach a tier is decided in exact arithmetic from the
        # criteria's points (self.exact_*), as scoring computes the values again from
        # the points — never by adding exact gains to a rounded value (33.33…33 + 50/3
        # falls short of the 50 that scoring gives).
        self.exact_total, self.exact_basic, self.exact_cats = self.x.values()
        self.total = Fraction(result.total_exact)
        self.basic = None if result.basic_attainment_exact is None else Fraction(result.basic_attainment_exact)
        self.cats = [
            None if e is None or cat.score_exact is None else Fraction(cat.score_exact)
            for e, cat in zip(self.exact_cats, result.categories, strict=True)
        ]
        self.sums = self.x.category_sums()

    def value(self, what: str, *, exact: bool = False) -> Fraction | None:
        """A value the tiers read, as scored (or ``exact``: from the points, exactly)."""
        if what == "total":
            return self.exact_total if exact else self.total
        if what == "basic_attainment":
            return self.exact_basic if exact else self.basic
        if what.startswith("categories."):
            ids = [c.id for c in self.model.categories]
            return (self.exact_cats if exact else self.cats)[ids.index(what.split(".", 1)[1])]
        raise AssertionError(what)

    def tier_index(self, total: Fraction, basic: Fraction | None, cats: Sequence[Fraction | None],
                   q: Sequence[Fraction | None] | None = None) -> int:
        """The first tier that holds for exact values (rounded as the guide reports)."""
        from ..dsl.interpreter import interpret

        em = self.em
        rt = em.round(total)
        rb = None if basic is None else em.round(basic)
        rc = [None if c is None else em.round(c) for c in cats]
        env: dict[str, Any] | None = None
        for k, t in enumerate(self.model.tiers):
            if rt < Fraction(t.min):
                continue
            if t.require is None:
                return k
            gates = recognise(t.require.node)
            if gates is not None:
                if all(self._gate_holds(g, rt, rb, rc) for g in gates):
                    return k
                continue
            if env is None:
                env = self._renv(rt, rb, rc, self.x.q if q is None else q)
            if interpret(t.require.node, env, ctx=self.compiled.ctx) is True:
                return k
        return -1

    def _gate_holds(self, g: Gate, rt: Fraction, rb: Fraction | None, rc: Sequence[Fraction | None]) -> bool:
        if g.what == "min(categories)":
            vals = list(rc)
        elif g.what == "total":
            vals = [rt]
        elif g.what == "basic_attainment":
            vals = [rb]
        else:
            ids = [c.id for c in self.model.categories]
            vals = [rc[ids.index(g.what.split(".", 1)[1])]]
        c = Fraction(g.value)
        return all(v is not None and (v > c if g.strict else v >= c) for v in vals)

    def _renv(self, rt: Fraction, rb: Fraction | None, rc: Sequence[Fraction | None],
              q: Sequence[Fraction | None]) -> dict[str, Any]:
        ctx = self.compiled.ctx

        def dec(x: Fraction | None) -> Decimal | None:
            return None if x is None else ctx.divide(Decimal(x.numerator), Decimal(x.denominator))

        return {
            "total": dec(rt),
            "basic_attainment": dec(rb),
            "categories": {c.id: dec(rc[k]) for k, c in enumerate(self.model.categories)},
            "criteria": {info.criterion.id: dec(q[info.index]) for info in self.compiled.criteria},
        }

    # ---- gates as dimensions -------------------------------------------------------------

    def dims(self, tier: Tier, gains: dict[str, dict[int, Fraction]]) -> tuple[list[_Dim], list[GateStatus], str | None,
                                                                              tuple[tuple[str, str], ...]]:
        """The conditions of ``tier`` as search dimensions (needs from the exact values),
        their status now (what each lacks from the scored values), and a reason (code,
        values) when the tier cannot be searched."""
        em = self.em
        v, s = reach(tier.min, em.scale, em.rounding)
        dims = [_Dim(v - self.exact_total, s, gains["total"])]
        statuses: list[GateStatus] = []
        gates = recognise(tier.require.node) if tier.require is not None else ()
        if gates is None:
            assert tier.require is not None
            holds = self._require_now(tier)
            statuses.append(GateStatus(tier.id, tier.require.canonical, holds, computed=False))
            return dims, statuses, "not-computed", (("tier", tier.id), ("require", tier.require.canonical))
        reason = None
        values: tuple[tuple[str, str], ...] = ()
        for g in gates:
            subjects = ([f"categories.{c.id}" for c in self.model.categories] if g.what == "min(categories)"
                        else [g.what])
            gv, gs = reach(g.value, em.scale, em.rounding, strict=g.strict)
            worst: Fraction | None = Fraction(0)
            holds = True
            for subject in subjects:
                now = self.value(subject)
                if now is None:
                    holds, worst = False, None
                    reason = reason or "never"
                    values = values or (("tier", tier.id), ("gate", g.text()), ("value", subject))
                    continue
                need = gv - now
                met = need < 0 or (need == 0 and not gs)
                if not met:
                    holds = False
                    if worst is not None:
                        worst = max(worst, need)
                exact_now = self.value(subject, exact=True)
                assert exact_now is not None  # (applicable exactly when scored)
                dims.append(_Dim(gv - exact_now, gs, gains[subject]))
            statuses.append(GateStatus(tier.id, g.text(), holds, lacks=None if holds else worst))
        return dims, statuses, reason, values

    def _require_now(self, tier: Tier) -> bool | None:
        from ..dsl.interpreter import interpret

        em = self.em
        env = self._renv(em.round(self.total), None if self.basic is None else em.round(self.basic),
                         [None if c is None else em.round(c) for c in self.cats], self.x.q)
        assert tier.require is not None
        value = interpret(tier.require.node, env, ctx=self.compiled.ctx)
        return value if isinstance(value, bool) else None

    def keep(self, k: int) -> tuple[Fraction, list[GateStatus]]:
        """How far the total and each gate's value can fall and keep tier ``k``."""
        em = self.em
        tier = self.model.tiers[k]
        v, _ = reach(tier.min, em.scale, em.rounding)
        out = []
        gates = recognise(tier.require.node) if tier.require is not None else ()
        if gates is None:
            assert tier.require is not None
            out.append(GateStatus(tier.id, tier.require.canonical, self._require_now(tier), computed=False))
        else:
            for g in gates:
                gv, _ = reach(g.value, em.scale, em.rounding, strict=g.strict)
                subjects = ([f"categories.{c.id}" for c in self.model.categories] if g.what == "min(categories)"
                            else [g.what])
                nows = [self.value(s) for s in subjects]
                slack = min((x - gv for x in nows if x is not None), default=None)
                out.append(GateStatus(tier.id, g.text(), True, slack=slack))
        return self.total - v, out


def _gains(c: _Centre, step_to: Mapping[int, Decimal]) -> dict[str, dict[int, Fraction]]:
    """For each subject (total, basic attainment, each category), what each improvable
    criterion's step adds to it, exactly (applicability held fixed)."""
    em, x = c.em, c.x
    cw = em.category_weights
    tw = sum((cw[ci] for ci, cs in enumerate(c.cats) if cs is not None), Fraction(0))
    bw = Fraction(0)
    for i, basic in enumerate(em.basic):
        if basic and x.q[i] is not None:
            ci = em.category_of[i]
            bw += cw[ci] * em.weights[i] / c.sums[ci][1]
    out: dict[str, dict[int, Fraction]] = {"total": {}, "basic_attainment": {}}
    for cat in c.model.categories:
        out[f"categories.{cat.id}"] = {}
    for i, to in step_to.items():
        q_old = x.q[i]
        assert q_old is not None
        dq = em.percentage(to) - q_old
        ci = em.category_of[i]
        sw = c.sums[ci][1]
        dcat = em.weights[i] * dq / sw
        out[f"categories.{c.model.categories[ci].id}"][i] = dcat
        out["total"][i] = cw[ci] * dcat / tw
        if em.basic[i] and bw:
            out["basic_attainment"][i] = cw[ci] * em.weights[i] / sw * dq / bw
    return out


def _next_values(c: _Centre) -> tuple[dict[int, Decimal], tuple[str, ...]]:
    """The next attainable value of each improvable criterion, and the applicable
    criteria whose kind lists no attainable points."""
    step_to: dict[int, Decimal] = {}
    unknown: list[str] = []
    cache = c.compiled.__dict__.setdefault("_attainable", {})
    for info in c.compiled.criteria:
        i = info.index
        p = c.x.points[i]
        if p is None:
            continue
        if i not in cache:
            kind = info.kind
            cache[i] = kind.attainable(info.criterion.params, c.guide) if kind is not None else None
        values = cache[i]
        if values is None:
            unknown.append(info.criterion.id)
            continue
        higher = [v for v in values if v > p]
        if higher:
            step_to[i] = min(higher)
    return step_to, tuple(unknown)


@in_analysis_context
def centre_margin(result: Result, *, budget: int | None = None) -> CentreMargin:
    """The margins of one scored centre (see :func:`margins`)."""
    c = _Centre(result)
    budget = ANALYSIS_LIMITS.max_search_nodes if budget is None else budget
    tiers = c.model.tiers
    k = c.tier_index(c.total, c.basic, c.cats)
    note = None
    if (tiers[k].id if k >= 0 else None) != result.tier_id:
        note = "exact-tier"
    current = tiers[k].id if k >= 0 else None
    base = {"centre_id": result.centre_id, "name": result.evidence.centre_name, "model": result.model,
                "total": result.total, "total_exact": c.total, "basic_attainment": result.basic_attainment, "tier": current,
                "note": note}
    total_margin, keep_gates = (c.keep(k) if k >= 0 else (None, []))
    base.update(total_margin=total_margin, keep_gates=tuple(keep_gates))
    if not tiers:
        return CentreMargin(**base, next_tier=None, reachable=False, points_to_next_tier=None, strictly_more=False,
                            gates=(), steps=None, reaches=None, reason="no-tiers")
    if k == 0:
        return CentreMargin(**base, next_tier=None, reachable=False, points_to_next_tier=None, strictly_more=False,
                            gates=(), steps=None, reaches=None, reason="top")
    target = (k if k > 0 else len(tiers)) - 1
    nxt = tiers[target]
    step_to, unknown = _next_values(c)
    gains = _gains(c, step_to)
    dims, statuses, reason, values = c.dims(nxt, gains)
    need_total, strict_total = reach(nxt.min, c.em.scale, c.em.rounding)
    need_total -= c.total  # (shown from the scored total)
    points = max(need_total, Fraction(0)) if not (need_total == 0 and strict_total) else Fraction(0)
    common = dict(base, next_tier=nxt.id, points_to_next_tier=points, strictly_more=strict_total and need_total >= 0,
                  gates=tuple(statuses), not_considered=unknown)
    # the next tier, or any listed before it, by the fewest steps
    cands = sorted(step_to)
    cost = gains["total"]
    best: tuple[tuple[Any, ...], tuple[int, ...], int] | None = None
    first_reason = (reason, values)
    for j in range(target, -1, -1):
        t = tiers[j]
        jdims, _, jreason, _ = c.dims(t, gains) if j != target else (dims, statuses, reason, values)
        if jreason is not None:
            continue
        try:
            found = _search(cands, jdims, cost, budget)
        except _TooLarge:
            if j == target:
                first_reason = ("search-limit", (("limit", str(budget)),))
            continue
        if found is None:
            continue
        key = (len(found), sum((cost[i] for i in found), Fraction(0)), found)
        if best is None or key < best[0]:
            best = (key, found, j)
    if best is None:
        why, why_values = first_reason
        if why is None:
            why, why_values = "not-enough", ()
        return CentreMargin(**common, reachable=False, steps=None, reaches=None, reason=why,
                            reason_values=tuple(why_values))
    chosen = best[1]
    cats = c.model.categories
    steps = tuple(
        Step(c.compiled.criteria[i].criterion.id, cats[c.em.category_of[i]].id, c.em.basic[i],
             c.x.points[i], step_to[i], gains["total"][i],  # type: ignore[arg-type]
             gains["basic_attainment"].get(i) if c.em.basic[i] else None)
        for i in chosen
    )
    q = list(c.x.q)
    for i in chosen:
        q[i] = c.em.percentage(step_to[i])
    t2, b2, cats2 = c.x.values(q)
    reached = c.tier_index(t2, b2, cats2, q)
    return CentreMargin(**common, reachable=True, steps=steps,
                        reaches=tiers[reached].id if reached >= 0 else None, reason=None)


@in_analysis_context
def margins(
    guide: Guide,
    evidences: Iterable[Evidence | Mapping[str, Any]],
    *,
    progress: Callable[[], None] | None = None,
) -> Margins:
    """The margins of every centre (see the module's documentation): for each, its tier,
    the next tier (or why it is unreachable), the exact points to it against the rounded
    total, the gates that bind, the fewest criterion steps that reach it, and the margin
    to losing the current tier. A centre that cannot be scored is listed in ``failures``
    (centre id, error). ``progress`` is called once per centre."""
    from ..errors import TaqyeemError

    out: list[CentreMargin] = []
    failures: list[tuple[str, str]] = []
    for ev in evidences:
        try:
            result = score(guide, ev, trace=False)
        except TaqyeemError as exc:
            cid = ev.centre_id if isinstance(ev, Evidence) else str(ev.get("centre", {}).get("id", "?"))
            failures.append((cid, exc.message))
        else:
            out.append(centre_margin(result))
        if progress is not None:
            progress()
    out.sort(key=lambda m: (m.model != "onsite", m.model, m.centre_id))
    failures.sort()
    return Margins(guide.edition, guide.fingerprint, tuple(out), tuple(failures), guide.provenance.status)
