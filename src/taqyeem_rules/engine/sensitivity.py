"""Sensitivity: how stable each centre's tier is when the committee's own choices move.

The choices are the category weights and the tier cut-offs. Each category weight is
multiplied by a factor in ``[1 − P/100, 1 + P/100]`` (``weights=P``, percent) and the
weights renormalised to 100; each tier's ``min`` moves by up to ``±X`` points
(``thresholds=X``). Gates written in ``require`` keep their constants (they read the
perturbed basic attainment).

One set of perturbations per model is shared by every centre, so a result never depends
on the order of the evidence: a grid (every dimension at ``L`` evenly spaced levels from
``−bound`` to ``+bound``, ``L`` odd, the largest with ``L^d ≤ samples``) when ``3^d ≤
samples``, else ``samples`` points drawn from a lattice of the box by a generator seeded
with ``seed`` and the model's id. The identity (every offset 0) is the guide as it is: its
outcome is the centre's scored tier.

Exact and fast: once each criterion's points are known, a centre's category scores do
not depend on the category weights, and its total and basic attainment are ratios of
sums in them. They are computed with exact integers (fractions brought to a common
denominator), rounded once as the guide says (``numbers.report``) and compared with the
cut-offs — with no re-scoring of criteria per perturbation.

For each centre: the share of perturbations that keep its tier, the count of each tier,
the perturbation closest to the original that changes it (distance: the largest offset
as a share of its bound; then the sum of those shares; then the order drawn), and the
largest change of the total the bounds can cause (exact, from the box's vertices). For
the cycle: the centres whose tier is fragile (kept in fewer than all perturbations) and
the expected count of each tier. The data form is ``"format": "taqyeem-sensitivity/2"``
(1, the first form; 2 adds ``guide_status``: ``illustrative`` or ``official``, the
guide's ``provenance.status``).
"""

from __future__ import annotations

import itertools
import operator
import random
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from ..dsl.limits import ANALYSIS_LIMITS
from ..dsl.numbers import EXACT_CONTEXT, format_number, in_analysis_context
from ..errors import TaqyeemError, UsageError
from ..guide.evidence import Evidence
from ..guide.guide import Guide
from ..guide.model import Text, centre_name
from .exact import ExactCentre, fraction_text, recognise, round_fraction
from .result import Result
from .score import score

__all__ = ["SENSITIVITY_FORMAT", "CentreSensitivity", "Perturbation", "Sensitivity", "sensitivity"]

#: The data form of :meth:`Sensitivity.to_dict`.
SENSITIVITY_FORMAT = "taqyeem-sensitivity/2"
#: The lattice of drawn offsets: each offset is k / RESOLUTION of its bound.
RESOLUTION = 10_000


def _fr(x: Fraction) -> str:
    return fraction_text(x)


@attrs.frozen
class Perturbation:
    """One perturbation of a model: the category weights (renormalised to 100, exact) and
    the tier cut-offs it gives, and its distance from the guide (the largest offset as a
    share of its bound)."""

    index: int
    weights: tuple[tuple[str, Fraction], ...]
    cutoffs: tuple[tuple[str, Fraction], ...]
    distance: Fraction

    def to_dict(self) -> dict[str, Any]:
        return {"index": self.index, "weights": {k: _fr(v) for k, v in self.weights},
                "cutoffs": {k: _fr(v) for k, v in self.cutoffs}, "distance": _fr(self.distance)}


@attrs.frozen
class CentreSensitivity:
    """How stable one centre's tier is (see the module's documentation)."""

    centre_id: str
    name: Text | str | None
    model: str
    total: Decimal
    tier: str | None
    perturbations: int
    kept: int
    #: How many perturbations give each tier (None: no tier), in the model's tier order.
    tiers: tuple[tuple[str | None, int], ...]
    #: The closest perturbation that changes the tier, the tier and rounded total it gives.
    nearest_flip: Perturbation | None
    flip_tier: str | None
    flip_total: Decimal | None
    #: The largest change of the (exact) total the bounds can cause.
    max_total_change: Fraction
    max_basic_change: Fraction | None

    @property
    def share(self) -> Fraction:
        """The share of perturbations that keep the tier."""
        return Fraction(self.kept, self.perturbations)

    @property
    def fragile(self) -> bool:
        return self.kept < self.perturbations

    def display_name(self, lang: str = "en") -> str:
        """The centre's name in ``lang`` (its id when it has none)."""
        return centre_name(self.name, self.centre_id, lang)

    def to_dict(self) -> dict[str, Any]:
        return {
            "centre": self.centre_id,
            "name": self.name.to_data() if isinstance(self.name, Text) else self.name,
            "model": self.model,
            "total": format_number(self.total),
            "tier": self.tier,
            "perturbations": self.perturbations,
            "kept": self.kept,
            "share": _fr(self.share),
            "fragile": self.fragile,
            "tiers": [{"tier": t, "count": k} for t, k in self.tiers],
            "nearest_flip": None if self.nearest_flip is None else {
                **self.nearest_flip.to_dict(), "tier": self.flip_tier,
                "total": None if self.flip_total is None else format_number(self.flip_total)},
            "max_total_change": _fr(self.max_total_change),
            "max_basic_change": None if self.max_basic_change is None else _fr(self.max_basic_change),
        }


@attrs.frozen
class ModelPlan:
    """The perturbations of one model: ``method`` (``identity``, ``grid`` or
    ``sample``), their count, the grid's levels per dimension."""

    model: str
    method: str
    count: int
    levels: int | None
    dimensions: tuple[str, ...]

    def to_dict(self) -> dict[str, Any]:
        return {"model": self.model, "method": self.method, "perturbations": self.count, "levels": self.levels,
                "dimensions": list(self.dimensions)}


@attrs.frozen
class Sensitivity:
    """Every centre's stability, the perturbations used and the cycle summary."""

    edition: str
    fingerprint: str
    weights: Decimal
    thresholds: Decimal
    samples: int
    seed: int
    plans: tuple[ModelPlan, ...]
    centres: tuple[CentreSensitivity, ...]
    failures: tuple[tuple[str, str], ...] = ()
    #: Tiers of each model, best first (for tables).
    tier_order: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    #: ``illustrative`` or ``official``: the guide's ``provenance.status``.
    guide_status: str = "official"

    def __iter__(self) -> Any:
        return iter(self.centres)

    def __len__(self) -> int:
        return len(self.centres)

    def centre(self, centre_id: str) -> CentreSensitivity:
        """One centre's result by id (KeyError when absent)."""
        for c in self.centres:
            if c.centre_id == centre_id:
                return c
        raise KeyError(centre_id)

    @property
    def fragile(self) -> tuple[CentreSensitivity, ...]:
        """The centres whose tier changes under some perturbation, least stable first."""
        return tuple(sorted((c for c in self.centres if c.fragile),
                            key=lambda c: (c.share, c.model != "onsite", c.model, c.centre_id)))

    def expected(self, model: str) -> tuple[tuple[str | None, Fraction], ...]:
        """The expected count of each tier of a model over the perturbations (exact)."""
        order: list[str | None] = [*self.tier_order.get(model, ()), None]
        totals = dict.fromkeys(order, Fraction(0))
        for c in self.centres:
            if c.model == model:
                for t, k in c.tiers:
                    totals[t] += Fraction(k, c.perturbations)
        return tuple((t, totals[t]) for t in order)

    def models(self) -> list[str]:
        return [p.model for p in self.plans]

    def to_dict(self) -> dict[str, Any]:
        return {
            "format": SENSITIVITY_FORMAT,
            "guide_status": self.guide_status,
            "edition": self.edition,
            "fingerprint": self.fingerprint,
            "bounds": {"weights_percent": format_number(self.weights), "thresholds": format_number(self.thresholds)},
            "samples": self.samples,
            "seed": self.seed,
            "models": [p.to_dict() for p in self.plans],
            "centres": [c.to_dict() for c in self.centres],
            "fragile": [c.centre_id for c in self.fragile],
            "expected": {m: [{"tier": t, "count": _fr(v)} for t, v in self.expected(m)] for m in self.models()},
            "failures": [{"centre": c, "error": e} for c, e in self.failures],
        }


# ---- bounds ---------------------------------------------------------------------------------


def check_bounds(weights: Any, thresholds: Any, samples: Any, seed: Any) -> tuple[Decimal, Decimal, int, int]:
    """The bounds as numbers, or a UsageError: each a magnitude (not negative) within
    :data:`~taqyeem_rules.dsl.limits.ANALYSIS_LIMITS`."""
    lim = ANALYSIS_LIMITS
    out = []
    for name, value, top, unit in (("weights", weights, lim.max_weight_bound, "%"),
                                   ("thresholds", thresholds, lim.max_threshold_bound, " points")):
        d = _number(name, value)
        if d < 0:
            raise UsageError(f"--{name} {format_number(d)}: a bound is a size, not a direction",
                             code="usage.bounds", hint=f"give {format_number(-d)} for ±{format_number(-d)}{unit}")
        if d > top:
            raise UsageError(f"--{name} {format_number(d)}: above the limit of {top}{unit}", code="usage.bounds",
                             hint=(f"category weights change by at most ±{top}% (every weight stays positive)"
                                   if name == "weights" else f"cut-offs move by at most ±{top} points"))
        out.append(d)
    if isinstance(samples, bool) or not isinstance(samples, int) or not 1 <= samples <= lim.max_samples:
        raise UsageError(f"--samples {samples}: expected a whole number from 1 to {lim.max_samples:,}",
                         code="usage.samples", hint="e.g. --samples 10000")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UsageError(f"--seed {seed}: expected a whole number, 0 or more", code="usage.seed", hint="e.g. --seed 1")
    return out[0], out[1], samples, seed


def _number(name: str, value: Any) -> Decimal:
    if isinstance(value, Decimal):
        d = value
    elif isinstance(value, int) and not isinstance(value, bool):
        d = Decimal(value)
    elif isinstance(value, str):
        text = value.strip().lstrip("±").rstrip("%").strip()
        try:
            d = Decimal(text)
        except ArithmeticError:
            raise UsageError(f"--{name} {value!r}: not a number", code="usage.bounds",
                             hint="e.g. --weights 10 (±10%) --thresholds 1 (±1 point)") from None
    else:
        raise UsageError(f"{name}={value!r}: expected a Decimal, an int or a number as text", code="usage.bounds")
    if not d.is_finite():
        raise UsageError(f"--{name} {value!r}: not a finite number", code="usage.bounds")
    return d


# ---- perturbations ----------------------------------------------------------------------------


#: How perturbations are chosen: a grid when small (``auto``), always a grid, always samples.
METHODS = ("auto", "grid", "sample")


def _offsets(dims: int, samples: int, seed: int, model: str, method: str = "auto"
             ) -> tuple[str, int | None, int, list[tuple[int, ...]]]:
    """(method, levels, resolution, offsets): each offset a tuple of integers in
    [−resolution, resolution], the share of its bound being offset / resolution."""
    if dims == 0:
        return "identity", None, 1, [()]
    if method == "grid" and 3**dims > samples:
        raise UsageError(f"a grid of {dims} dimensions needs at least 3^{dims} = {3**dims:,} perturbations; "
                         f"--samples is {samples:,}", code="usage.samples",
                         hint=f"give --samples {3**dims} or more, or --method sample")
    if method != "sample" and 3**dims <= samples:
        levels = 3
        while (levels + 2) ** dims <= samples:
            levels += 2
        half = levels // 2
        grid = list(itertools.product(range(-half, half + 1), repeat=dims))
        return "grid", levels, half, grid
    rng = random.Random(f"taqyeem-sensitivity:{seed}:{model}")
    r = RESOLUTION
    return "sample", None, r, [tuple(rng.randint(-r, r) for _ in range(dims)) for _ in range(samples)]


class _ModelSet:
    """The shared perturbations of one model, as integers ready for every centre."""

    def __init__(self, guide: Guide, model_id: str, weights: Decimal, thresholds: Decimal, samples: int,
                 seed: int, method: str = "auto") -> None:
        model = guide.model(model_id)
        assert model is not None
        self.model = model
        cats = [c.id for c in model.categories]
        tiers = [t.id for t in model.tiers]
        wdims = cats if weights else []
        tdims = tiers if thresholds else []
        self.method, self.levels, res, offsets = _offsets(len(wdims) + len(tdims), samples, seed, model_id, method)
        self.plan = ModelPlan(model_id, self.method, len(offsets), self.levels,
                              (*(f"weight:{c}" for c in wdims), *(f"cutoff:{t}" for t in tdims)))
        self.scale = guide.numbers.report_scale
        self.rounding = guide.numbers.report_rounding
        self.res = res
        self.offsets = offsets
        self.nw = len(wdims)
        p, x = Fraction(weights) / 100, Fraction(thresholds)
        self.bounds = (p, x)
        # integers only: a weight is ∝ W·(pd·R + pn·a); a cut-off c = min + x·b/R passes
        # when the total's units reach ceil(c × 10^scale)
        base_w = [Fraction(c.weight) for c in model.categories]
        dw = _lcm_den(base_w)
        w_int = [int(w * dw) for w in base_w]
        pn, pd = p.numerator, p.denominator
        xn, xd = x.numerator, x.denominator
        unit = 10**self.scale
        mins = [Fraction(t.min) for t in model.tiers]
        self.weights_int: list[tuple[int, ...]] = []
        self.cut_units: list[tuple[int, ...]] = []
        self.distance: list[tuple[int, int]] = []
        self.identity: list[bool] = []
        nw = self.nw
        zeros_w = (0,) * len(w_int)
        zeros_t = (0,) * len(mins)
        base = pd * res
        for off in offsets:
            wo = off[:nw] or zeros_w
            to = off[nw:] or zeros_t
            self.weights_int.append(tuple(w * (base + pn * a) for w, a in zip(w_int, wo, strict=True)))
            cuts = []
            for m, bb in zip(mins, to, strict=True):
                num = (m.numerator * xd * res + xn * bb * m.denominator) * unit
                den = m.denominator * xd * res
                cuts.append(-((-num) // den))
            self.cut_units.append(tuple(cuts))
            self.distance.append((max(map(abs, off), default=0), sum(map(abs, off))))
            self.identity.append(not any(off))
        self.cat_ids = cats
        self.tier_ids = tiers

    def perturbation(self, k: int) -> Perturbation:
        """The perturbation ``k`` as weights renormalised to 100 and cut-offs (exact)."""
        p, x = self.bounds
        off = self.offsets[k]
        wo = off[: self.nw] or (0,) * len(self.cat_ids)
        to = off[self.nw:] or (0,) * len(self.tier_ids)
        ws = [Fraction(c.weight) * (1 + p * Fraction(a, self.res)) for c, a in zip(self.model.categories, wo,
                                                                                     strict=True)]
        total = sum(ws, Fraction(0))
        cuts = [Fraction(t.min) + x * Fraction(b, self.res) for t, b in zip(self.model.tiers, to, strict=True)]
        return Perturbation(k, tuple((c, w * 100 / total) for c, w in zip(self.cat_ids, ws, strict=True)),
                            tuple(zip(self.tier_ids, cuts, strict=True)), Fraction(self.distance[k][0], self.res))


def _gcd(a: int, b: int) -> int:
    import math

    return math.gcd(a, b)


def _round_units(num: int, den: int, scale_pow: int, mode: str) -> int:
    """round(num / den × 10^scale) with a guide rounding mode, for num, den ≥ 0, den > 0."""
    q, r = divmod(num * scale_pow, den)
    if r == 0:
        return q
    if mode == "half_up":
        return q + (2 * r >= den)
    if mode == "half_even":
        twice = 2 * r
        return q + (twice > den or (twice == den and q % 2 == 1))
    if mode == "half_down":
        return q + (2 * r > den)
    if mode in ("up", "ceiling"):
        return q + 1
    return q  # down, floor


def _lcm_den(values: Iterable[Fraction]) -> int:
    den = 1
    for v in values:
        den = den * v.denominator // _gcd(den, v.denominator)
    return den


class _CentreEval:
    """One centre's integers: Σ A·n / (D·Σ A) is its total under weights A."""

    def __init__(self, result: Result, ms: _ModelSet) -> None:
        x = ExactCentre.of(result)
        self.x = x
        sums = x.category_sums()
        cats = [sq / sw if sw else None for sq, sw in sums]
        self.app = [cs is not None for cs in cats]
        live = [cs for cs in cats if cs is not None]
        d = _lcm_den(live)
        self.n = tuple(int(cs * d) if cs is not None else 0 for cs in cats)
        self.d = d
        self.cats = cats
        em = x.model
        # basic attainment: Σ A·bx / Σ A·by
        bx, by = [], []
        for ci, members in enumerate(em.members):
            sw = sums[ci][1]
            xs = ys = Fraction(0)
            for i in members:
                if em.basic[i] and x.q[i] is not None:
                    xs += em.weights[i] * x.q[i] / sw
                    ys += em.weights[i] / sw
            bx.append(xs)
            by.append(ys)
        self.has_basic = any(by)
        den = _lcm_den([*bx, *by])
        self.bx = tuple(int(v * den) for v in bx)
        self.by = tuple(int(v * den) for v in by)
        self.bxf, self.byf = bx, by
        self.rounded_cats = [None if c is None else round_fraction(c, em.scale, em.rounding) for c in cats]

    def total_units(self, a: Sequence[int], scale_pow: int, mode: str) -> int:
        num = sum(map(operator.mul, a, self.n))
        den = self.d * sum(itertools.compress(a, self.app))
        return _round_units(num, den, scale_pow, mode)

    def basic_units(self, a: Sequence[int], scale_pow: int, mode: str) -> int | None:
        if not self.has_basic:
            return None
        return _round_units(sum(map(operator.mul, a, self.bx)), sum(map(operator.mul, a, self.by)), scale_pow, mode)


def _extreme(values: Sequence[Fraction], weights: Sequence[Fraction], p: Fraction,
             dens: Sequence[Fraction] | None = None) -> tuple[Fraction, Fraction]:
    """The least and greatest of Σ W(1+u)·v / Σ W(1+u)·y (y = 1 when ``dens`` is None)
    over u in [−p, p]^k: a ratio of linear functions is extreme at a vertex, and at the
    best vertex the factors split by the ratio v/y (all up above a level, all down
    below), so the sorted splits are enough."""
    ys = dens if dens is not None else [Fraction(1)] * len(values)
    idx = [i for i in range(len(values)) if ys[i] != 0 or values[i] != 0]
    if not idx:
        return Fraction(0), Fraction(0)
    ratio = {i: (values[i] / ys[i] if ys[i] else values[i]) for i in idx}
    order = sorted(idx, key=lambda i: ratio[i])
    out = []
    for split in range(len(order) + 1):
        for low, high in ((1 - p, 1 + p), (1 + p, 1 - p)):
            f = {i: (low if k < split else high) for k, i in enumerate(order)}
            num = sum((weights[i] * f[i] * values[i] for i in idx), Fraction(0))
            den = sum((weights[i] * f[i] * ys[i] for i in idx), Fraction(0))
            if den:
                out.append(num / den)
    return min(out), max(out)


@in_analysis_context
def sensitivity(
    guide: Guide,
    evidences: Iterable[Evidence | Mapping[str, Any]],
    *,
    weights: Decimal | int | str = 10,
    thresholds: Decimal | int | str = 1,
    samples: int = 1000,
    seed: int = 0,
    method: str = "auto",
    progress: Callable[[], None] | None = None,
) -> Sensitivity:
    """How stable every centre's tier is under perturbations of the category weights
    (``±weights`` percent of each) and the tier cut-offs (``±thresholds`` points), with
    ``samples`` perturbations at most per model (a grid when small) drawn with ``seed``
    (see the module's documentation). Bounds must be 0 or more and within
    :data:`~taqyeem_rules.dsl.limits.ANALYSIS_LIMITS` (else a UsageError). A centre that
    cannot be scored is listed in ``failures``; ``progress`` is called once per centre.
    ``method``: ``auto`` (a grid when ``3^d ≤ samples``, else samples), ``grid`` or
    ``sample``."""
    w, x, n, s = check_bounds(weights, thresholds, samples, seed)
    if method not in METHODS:
        raise UsageError(f"method={method!r}: expected one of {', '.join(METHODS)}", code="usage.method")
    sets: dict[str, _ModelSet] = {}
    out: list[CentreSensitivity] = []
    failures: list[tuple[str, str]] = []
    for ev in evidences:
        try:
            result = score(guide, ev, trace=False)
        except TaqyeemError as exc:
            cid = ev.centre_id if isinstance(ev, Evidence) else str(ev.get("centre", {}).get("id", "?"))
            failures.append((cid, exc.message))
        else:
            ms = sets.get(result.model)
            if ms is None:
                ms = sets[result.model] = _ModelSet(guide, result.model, w, x, n, s, method)
            out.append(_centre(result, ms))
        if progress is not None:
            progress()
    out.sort(key=lambda c: (c.model != "onsite", c.model, c.centre_id))
    failures.sort()
    plans = tuple(sets[m].plan for m in sorted(sets, key=lambda m: (m != "onsite", m)))
    order = {m.id: tuple(t.id for t in m.tiers) for m in guide.models}
    return Sensitivity(guide.edition, guide.fingerprint, w, x, n, s, plans, tuple(out), tuple(failures), order,
                       guide.provenance.status)


def _centre(result: Result, ms: _ModelSet) -> CentreSensitivity:
    from ..dsl.interpreter import interpret

    ce = _CentreEval(result, ms)
    tiers = ms.model.tiers
    scale_pow = 10**ms.scale
    mode = ms.rounding
    unit = Fraction(1, scale_pow)
    # each tier's gate: a test of (total units, basic units) — recognised gates directly,
    # others through the interpreter (memoised on the two rounded values)
    gate_tests: list[Callable[[int, int | None], bool]] = []
    needs_basic = False
    for t in tiers:
        gates = recognise(t.require.node) if t.require is not None else ()
        if gates is None:
            needs_basic = True
            gate_tests.append(_interpreted(t, ce, ms, unit, interpret, result))
            continue
        checks = []
        for g in gates:
            c = Fraction(g.value)
            if g.what == "basic_attainment":
                needs_basic = True
                checks.append(_basic_check(c, g.strict, unit))
            elif g.what == "total":
                checks.append(lambda tu, bu, c=c, st=g.strict: (tu * unit > c) if st else (tu * unit >= c))
            else:
                vals = ce.rounded_cats if g.what == "min(categories)" else \
                    [ce.rounded_cats[ms.cat_ids.index(g.what.split(".", 1)[1])]]
                ok = all(v is not None and (v > c if g.strict else v >= c) for v in vals)
                checks.append(lambda tu, bu, ok=ok: ok)
        gate_tests.append(lambda tu, bu, checks=tuple(checks): all(f(tu, bu) for f in checks))
    current = result.tier_id
    counts: dict[str | None, int] = {}
    kept = 0
    best: tuple[int, int, int] | None = None
    best_tier: str | None = None
    best_units: int | None = None
    total_units = ce.total_units
    basic_units = ce.basic_units
    for k, (a, cuts) in enumerate(zip(ms.weights_int, ms.cut_units, strict=True)):
        if ms.identity[k]:
            tier = current
        else:
            tu = total_units(a, scale_pow, mode)
            bu = basic_units(a, scale_pow, mode) if needs_basic else None
            tier = None
            for j, t in enumerate(tiers):
                if tu >= cuts[j] and gate_tests[j](tu, bu):
                    tier = t.id
                    break
            if tier != current:
                dist, l1 = ms.distance[k]
                key = (dist, l1, k)
                if best is None or key < best:
                    best, best_tier, best_units = key, tier, tu
        counts[tier] = counts.get(tier, 0) + 1
        if tier == current:
            kept += 1
    order: list[str | None] = [*ms.tier_ids, None]
    p, _ = ms.bounds
    base_w = [Fraction(c.weight) for c in ms.model.categories]
    live = [i for i, ok in enumerate(ce.app) if ok]
    lo, hi = _extreme([ce.cats[i] for i in live], [base_w[i] for i in live], p)  # type: ignore[misc]
    total, basic, _ = ce.x.values()
    max_total = max(hi - total, total - lo)
    max_basic = None
    if ce.has_basic and basic is not None:
        blo, bhi = _extreme(ce.bxf, base_w, p, ce.byf)
        max_basic = max(bhi - basic, basic - blo)
    return CentreSensitivity(
        result.centre_id, result.evidence.centre_name, result.model, result.total, current, len(ms.weights_int), kept,
        tuple((t, counts[t]) for t in order if t in counts),
        None if best is None else ms.perturbation(best[2]), best_tier,
        None if best_units is None else Decimal(best_units).scaleb(-ms.scale, EXACT_CONTEXT),
        max_total, max_basic,
    )


def _basic_check(c: Fraction, strict: bool, unit: Fraction) -> Callable[[int, int | None], bool]:
    def check(tu: int, bu: int | None) -> bool:
        if bu is None:
            return False
        v = bu * unit
        return v > c if strict else v >= c

    return check


def _interpreted(t: Any, ce: _CentreEval, ms: _ModelSet, unit: Fraction, interpret: Any,
                 result: Result) -> Callable[[int, int | None], bool]:
    memo: dict[tuple[int, int | None], bool] = {}
    ctx = result._compiled.ctx
    cats = {c: None if v is None else ctx.divide(Decimal(v.numerator), Decimal(v.denominator))
            for c, v in zip(ms.cat_ids, ce.rounded_cats, strict=True)}
    crits = {info.criterion.id: (None if q is None else ctx.divide(Decimal(q.numerator), Decimal(q.denominator)))
             for info, q in zip(result._compiled.criteria, ce.x.q, strict=True)}

    def check(tu: int, bu: int | None) -> bool:
        key = (tu, bu)
        found = memo.get(key)
        if found is None:
            env = {"total": Decimal(tu).scaleb(-ms.scale, EXACT_CONTEXT),
                   "basic_attainment": None if bu is None else Decimal(bu).scaleb(-ms.scale, EXACT_CONTEXT),
                   "categories": cats, "criteria": crits}
            found = memo[key] = interpret(t.require.node, env, ctx=ctx) is True
        return found

    return check
