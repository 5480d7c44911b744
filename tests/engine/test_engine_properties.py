"""Scoring invariants over generated valid guides (hypothesis).

Each example generates one guide (see ``engine_strategies``), writes it as YAML, loads it
(so it passes every check) and scores several evidences against it, because loading and
compiling a guide costs far more than scoring a centre.
"""

from __future__ import annotations

import json
import random
from decimal import ROUND_DOWN, Decimal, Inexact, Rounded, localcontext
from typing import Any

from engine_strategies import (
    GuideSpec,
    evidence_data,
    guide_specs,
    guide_yaml,
    load_spec,
    shuffled,
    temp_file,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reference import RefError, RefResult, reference_score

import taqyeem_rules
from taqyeem_rules import ScoringError
from taqyeem_rules.dsl import interpret, make_context
from taqyeem_rules.engine.formats import RESULT_FORMATS

EVIDENCES_PER_GUIDE = 4

SETTINGS = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


def _score(guide: taqyeem_rules.Guide, ev: dict[str, Any], *, trace: bool = True) -> Any:
    """The result, or the ScoringError raised."""
    try:
        return guide.score(ev, trace=trace)
    except ScoringError as exc:
        return exc


def _reference(guide: taqyeem_rules.Guide, spec: GuideSpec, ev: dict[str, Any]) -> RefResult | RefError:
    try:
        return reference_score(guide, spec.model, ev["inputs"])
    except RefError as exc:
        return exc


def _tolerance(guide: taqyeem_rules.Guide) -> Decimal:
    # 1e-30 at FEEL's 34 digits; proportionally looser for a guide with fewer digits.
    return Decimal(10) ** -(guide.numbers.precision - 4)


def _exact_sum(values: list[Decimal]) -> Decimal:
    with localcontext() as ctx:
        ctx.prec = 300
        return sum(values, Decimal(0))


def _without_trace(d: dict[str, Any]) -> dict[str, Any]:
    d = dict(d)
    d.pop("traced")
    d["criteria"] = [
        {k: v for k, v in c.items() if k not in ("effective_weight", "contribution")} for c in d["criteria"]
    ]
    return d


def same_reported(a: Decimal | None, b: Decimal | None) -> bool:
    """Equal values at the same scale (``80.00`` is not ``80``); the sign of a zero is free."""
    if a is None or b is None:
        return a is b
    return a == b and a.as_tuple().exponent == b.as_tuple().exponent


def assert_matches_reference(result: Any, ref: RefResult | RefError, *, traced: bool) -> None:
    if isinstance(ref, RefError):
        assert isinstance(result, ScoringError), f"engine scored, the reference raised {ref.code}"
        assert result.primary.code == ref.code
        if ref.criterion is not None:
            assert f"`{ref.criterion}`" in result.primary.message
        return
    assert not isinstance(result, ScoringError), f"engine raised {result!r}, reference scored"
    # reported values: equal and at the same scale ("80.00" is not "80")
    assert same_reported(result.total, ref.total), (result.total, ref.total)
    assert result.total_exact == ref.total_exact
    assert same_reported(result.basic_attainment, ref.basic), (result.basic_attainment, ref.basic)
    assert result.basic_attainment_exact == ref.basic_exact
    assert result.tier_id == ref.tier
    assert result.flags == ref.flags
    for cat in result.categories:
        rc = ref.categories[cat.id]
        assert cat.score_exact == rc.score_exact, cat.id
        assert same_reported(cat.score, rc.score), (cat.id, cat.score, rc.score)
        assert cat.weight == rc.weight
    for cr in result.criteria:
        rc = ref.criteria[cr.id]
        assert (cr.status, cr.points, cr.percentage, cr.row) == (rc.status, rc.points, rc.percentage, rc.row), cr.id
        if traced:
            assert cr.effective_weight == rc.effective_weight, cr.id
            assert cr.contribution == rc.contribution, cr.id
        else:
            assert cr.effective_weight is None
            assert cr.contribution is None


def assert_bounds(result: Any) -> None:
    zero, hundred = Decimal(0), Decimal(100)
    assert zero <= result.total_exact <= hundred
    assert zero <= result.total <= hundred
    for cat in result.categories:
        if cat.applicable:
            assert zero <= cat.score_exact <= hundred
            assert zero <= cat.score <= hundred
    if result.basic_attainment is not None:
        assert zero <= result.basic_attainment_exact <= hundred
        assert zero <= result.basic_attainment <= hundred
    for cr in result.criteria:
        if cr.percentage is not None:
            assert zero <= cr.percentage <= hundred


def assert_trace_sums(guide: taqyeem_rules.Guide, result: Any) -> None:
    tol = _tolerance(guide)
    live = [cr for cr in result.criteria if cr.percentage is not None]
    assert all(cr.effective_weight is not None and cr.contribution is not None for cr in live)
    assert all(cr.effective_weight is None for cr in result.criteria if cr.percentage is None)
    assert abs(_exact_sum([cr.contribution for cr in live]) - result.total_exact) <= tol
    assert abs(_exact_sum([cr.effective_weight for cr in live]) - 100) <= tol


@SETTINGS
@given(spec=guide_specs(), data=st.data())
def test_engine_agrees_with_reference_trace_on_and_off(spec: GuideSpec, data: st.DataObject) -> None:
    """Compiled engine == reference scorer (every number, status and row), with the trace
    on and off; trace on and off give identical numbers; bounds; trace sums.

    The model is compiled (on its first score) while the thread's decimal context has 1
    digits and rounds down: nothing may depend on it."""
    guide = load_spec(spec.data)
    with localcontext() as hostile:
        hostile.prec, hostile.rounding = 1, ROUND_DOWN
        _score(guide, data.draw(evidence_data(spec), label="compiling evidence"))
    for k in range(EVIDENCES_PER_GUIDE):
        ev = data.draw(evidence_data(spec, centre=f"C-{k}"), label=f"evidence {k}")
        ref = _reference(guide, spec, ev)
        # Scored, and its lazily computed trace read, under a hostile context in the
        # calling thread (1 digit, rounding down, trapping any rounding): the generated
        # code's arithmetic runs in a copy of the guide's context, never the thread's.
        with localcontext() as hostile:
            hostile.prec, hostile.rounding = 1, ROUND_DOWN
            hostile.traps[Inexact] = hostile.traps[Rounded] = True
            traced = _score(guide, ev, trace=True)
            seen_hostile = None if isinstance(traced, ScoringError) else json.dumps(traced.to_dict())
        fast = _score(guide, ev, trace=False)
        assert_matches_reference(traced, ref, traced=True)
        assert_matches_reference(fast, ref, traced=False)
        if isinstance(ref, RefError):
            assert traced.primary.code == fast.primary.code
            assert traced.primary.message == fast.primary.message
            continue
        assert json.dumps(traced.to_dict()) == seen_hostile
        assert _without_trace(traced.to_dict()) == _without_trace(fast.to_dict())
        assert traced.to_dict()["traced"] is True
        assert fast.to_dict()["traced"] is False
        assert_bounds(traced)
        assert_trace_sums(guide, traced)
        for trace, built in ((True, traced), (False, fast)):
            # to_dict() of a fresh result writes the criteria's and categories' data
            # straight from the scorer's tuple (generated writers); it must say what the
            # objects say, in every result form, keys in the same (sorted) order.
            for fmt in RESULT_FORMATS:
                fresh = _score(guide, ev, trace=trace)
                written = fresh.to_dict(fmt)
                assert fresh._crits is None and fresh._cats is None
                assert json.dumps(written["criteria"]) == json.dumps([c.to_dict(fmt) for c in built.criteria])
                assert json.dumps(written["categories"]) == json.dumps([c.to_dict() for c in built.categories])
                assert list(written) == sorted(written)


def _tier_index(guide: taqyeem_rules.Guide, result: Any) -> int:
    """Position of the awarded tier (0 is the best); no tier ranks after every tier."""
    tiers = [t.id for t in guide.model(result.model).tiers]
    return tiers.index(result.tier_id) if result.tier_id is not None else len(tiers)


def _gates(guide: taqyeem_rules.Guide, result: Any) -> tuple[bool, ...]:
    """Whether each tier's `require` holds for a result (True for a tier without one)."""
    ctx = make_context(guide.numbers.precision, guide.numbers.rounding)
    renv = {
        "total": result.total,
        "basic_attainment": result.basic_attainment,
        "categories": {c.id: c.score for c in result.categories},
        "criteria": {c.id: c.percentage for c in result.criteria},
    }
    model = guide.model(result.model)
    return tuple(
        t.require is None or interpret(t.require.node, renv, ctx=ctx) is True for t in model.tiers
    )


@SETTINGS
@given(spec=guide_specs(requires=False, flags=False), data=st.data())
def test_higher_total_never_gets_a_lower_tier_without_gates(spec: GuideSpec, data: st.DataObject) -> None:
    """With tiers that have no `require`, the tier index is monotone non-increasing in the
    rounded total (tier 0 is the best; no tier ranks last)."""
    guide = load_spec(spec.data)
    results = []
    for k in range(6):
        r = _score(guide, data.draw(evidence_data(spec, centre=f"C-{k}")), trace=False)
        if not isinstance(r, ScoringError):
            results.append(r)
    for a in results:
        for b in results:
            if a.total >= b.total:
                assert _tier_index(guide, a) <= _tier_index(guide, b), (a.total, a.tier_id, b.total, b.tier_id)


@SETTINGS
@given(spec=guide_specs(flags=False), data=st.data())
def test_higher_total_never_gets_a_lower_tier_under_the_same_gates(
    spec: GuideSpec, data: st.DataObject
) -> None:
    """Among centres whose tier `require` gates come out the same, a higher rounded total
    never gets a lower tier."""
    guide = load_spec(spec.data)
    results = []
    for k in range(6):
        r = _score(guide, data.draw(evidence_data(spec, centre=f"C-{k}")), trace=False)
        if not isinstance(r, ScoringError):
            results.append((r, _gates(guide, r)))
    for a, ga in results:
        for b, gb in results:
            if ga == gb and a.total >= b.total:
                assert _tier_index(guide, a) <= _tier_index(guide, b), (a.total, a.tier_id, b.total, b.tier_id, ga)


def _category_share(result: Any, category: str) -> Decimal:
    """Σ effective weight of a category's applicable criteria: its share of the total."""
    return _exact_sum(
        [c.effective_weight for c in result.criteria if c.category == category and c.percentage is not None]
    )


@SETTINGS
@given(spec=guide_specs(na_toggle=True), data=st.data())
def test_not_applicable_criterion_keeps_other_weights(spec: GuideSpec, data: st.DataObject) -> None:
    """Marking one criterion N/A shares its weight out inside its category only: the other
    categories' effective weights, scores and criteria are untouched, and its category's
    score is the weighted mean of its remaining applicable criteria."""
    guide = load_spec(spec.data)
    ctx = make_context(guide.numbers.precision, guide.numbers.rounding)
    tol = _tolerance(guide)
    target = spec.na_target
    assert target is not None
    _, home, _ = guide.criterion(target)
    for k in range(EVIDENCES_PER_GUIDE):
        ev = data.draw(evidence_data(spec, centre=f"C-{k}"))
        on = _score(guide, {**ev, "inputs": {**ev["inputs"], "na_toggle": True}})
        off = _score(guide, {**ev, "inputs": {**ev["inputs"], "na_toggle": False}})
        if isinstance(on, ScoringError):
            continue
        if isinstance(off, ScoringError):
            # every other criterion scored under `on`: only "nothing left" can fail now
            assert off.primary.code == "scoring.all-not-applicable"
            continue
        t_off = off.criterion(target)
        assert (t_off.status, t_off.points, t_off.percentage, t_off.effective_weight) == (
            "not_applicable", None, None, None,
        )
        home_off = off.category(home.id)
        home_on = on.category(home.id)
        assert home_off.weight == home_on.weight == home.weight
        rest = [c for c in off.criteria if c.category == home.id and c.percentage is not None]
        if rest:
            for cat_on, cat_off in zip(on.categories, off.categories):
                if cat_on.id == home.id:
                    continue
                assert cat_on.score_exact == cat_off.score_exact
                for cid in cat_on.criteria:
                    a, b = on.criterion(cid), off.criterion(cid)
                    assert (a.status, a.percentage, a.effective_weight, a.contribution) == (
                        b.status, b.percentage, b.effective_weight, b.contribution,
                    )
            # the category's score: Σ weight × percentage / Σ weight over what remains
            num, den = None, None
            for c in rest:
                term = ctx.multiply(c.weight, c.percentage)
                num = term if num is None else ctx.add(num, term)
                den = c.weight if den is None else ctx.add(den, c.weight)
            assert home_off.score_exact == ctx.divide(num, den)
            # … and its share of the total is unchanged
            assert abs(_category_share(on, home.id) - _category_share(off, home.id)) <= tol
        else:
            # the whole category went N/A: its weight goes to the other categories
            assert home_off.score is None and home_off.score_exact is None
            live = [c for c in off.categories if c.applicable]
            num = None
            for c in live:
                term = ctx.multiply(c.weight, c.score_exact)
                num = term if num is None else ctx.add(num, term)
            den = None
            for c in live:
                den = c.weight if den is None else ctx.add(den, c.weight)
            assert off.total_exact == ctx.divide(num, den)


@SETTINGS
@given(spec=guide_specs(), data=st.data(), seed=st.integers(0, 2**32 - 1), flow=st.booleans())
def test_key_order_does_not_matter(spec: GuideSpec, data: st.DataObject, seed: int, flow: bool) -> None:
    """Reordering every mapping's keys in the guide YAML and in the evidence changes
    neither the guide's fingerprint nor any result."""
    rnd = random.Random(seed)
    guide_a = load_spec(spec.data)
    guide_b = load_spec(shuffled(spec.data, rnd), flow=flow)
    assert guide_a.fingerprint == guide_b.fingerprint
    assert guide_a == guide_b
    for k in range(3):
        ev = data.draw(evidence_data(spec, centre=f"C-{k}"))
        ev_shuffled = shuffled(ev, rnd)
        a = _score(guide_a, ev)
        b = _score(guide_b, ev_shuffled)
        if isinstance(a, ScoringError):
            assert isinstance(b, ScoringError)
            assert (a.primary.code, a.primary.message) == (b.primary.code, b.primary.message)
            continue
        assert json.dumps(a.to_dict()) == json.dumps(b.to_dict())
        assert json.dumps(_score(guide_a, ev_shuffled).to_dict()) == json.dumps(a.to_dict())


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(spec=guide_specs(), data=st.data(), seed=st.integers(0, 2**32 - 1), flow=st.booleans())
def test_evidence_yaml_file_scores_like_the_data(spec: GuideSpec, data: st.DataObject, seed: int, flow: bool) -> None:
    """Evidence written as a YAML file (keys shuffled, block or flow style) and loaded with
    load_evidence scores exactly like the same evidence given as Python data."""
    guide = load_spec(spec.data)
    ev = data.draw(evidence_data(spec))
    path = temp_file(guide_yaml(shuffled(ev, random.Random(seed)), flow=flow), ".yaml")
    loaded = taqyeem_rules.load_evidence(path, guide)
    a, b = _score(guide, ev), _score(guide, loaded)
    if isinstance(a, ScoringError):
        assert isinstance(b, ScoringError)
        assert (a.primary.code, a.primary.message) == (b.primary.code, b.primary.message)
    else:
        assert a.to_dict() == b.to_dict()
