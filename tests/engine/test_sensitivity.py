"""sensitivity(): exact stability of tiers under shared, seeded perturbations of category
weights and tier cut-offs; properties over generated guides, exactness at a rounding
boundary, and bad usage at the command line (exit 2, nothing written)."""

from __future__ import annotations

import json
import random
from decimal import ROUND_DOWN, Context, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from engine_strategies import GuideSpec, evidence_data, guide_specs, load_spec
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import taqyeem_rules
from shared import ROOT, Cli
from taqyeem_rules import ScoringError, UsageError, load_evidences, load_guide, sensitivity

D = Decimal
MODES = {"half_even": "ROUND_HALF_EVEN", "half_up": "ROUND_HALF_UP", "half_down": "ROUND_HALF_DOWN",
         "up": "ROUND_UP", "down": "ROUND_DOWN", "ceiling": "ROUND_CEILING", "floor": "ROUND_FLOOR"}
SETTINGS = settings(max_examples=20, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def scored(guide: taqyeem_rules.Guide, spec: GuideSpec, data: st.DataObject, n: int = 4) -> list[Any]:
    out = []
    for k in range(n):
        ev = data.draw(evidence_data(spec, centre=f"C-{k}"), label=f"evidence {k}")
        try:
            guide.score(ev)
        except ScoringError:
            continue
        out.append(ev)
    return out


@SETTINGS
@given(spec=guide_specs(), data=st.data())
def test_bounds_of_zero_keep_every_tier(spec: GuideSpec, data: st.DataObject) -> None:
    guide = load_spec(spec.data)
    evs = scored(guide, spec, data)
    s = sensitivity(guide, evs, weights=0, thresholds=0, samples=data.draw(st.integers(1, 50)))
    assert len(s) == len(evs)
    for c in s:
        assert (c.kept, c.perturbations, c.share, c.nearest_flip) == (1, 1, 1, None)
        assert c.tier == guide.score(next(e for e in evs if e["centre"]["id"] == c.centre_id)).tier_id


def _round(x: Fraction, guide: taqyeem_rules.Guide) -> Decimal:
    approx = Context(prec=200, rounding=ROUND_DOWN).divide(D(x.numerator), D(x.denominator))
    return approx.quantize(D(1).scaleb(-guide.numbers.report_scale), rounding=MODES[guide.numbers.report_rounding],
                           context=Context(prec=250))


@SETTINGS
@given(spec=guide_specs(requires=False), data=st.data())
def test_a_centre_far_from_both_cutoffs_keeps_its_tier(spec: GuideSpec, data: st.DataObject) -> None:
    """When the distances to the cut-offs around a centre exceed the largest change the
    bounds can cause (computed) plus the cut-offs' move and half a reporting unit, the
    tier is kept in every perturbation. (Stability is not monotone in the bounds in
    general: renormalised totals are ratios. This does not assume it.)"""
    guide = load_spec(spec.data)
    evs = scored(guide, spec, data)
    weights = data.draw(st.sampled_from([D(0), D(1), D(5), D("12.5"), D(40)]))
    thresholds = data.draw(st.sampled_from([D(0), D("0.5"), D(1), D(3)]))
    s = sensitivity(guide, evs, weights=weights, thresholds=thresholds, samples=200, seed=data.draw(st.integers(0, 9)))
    model = guide.model(spec.model)
    unit = Fraction(1, 10**guide.numbers.report_scale)
    for c in s:
        result = guide.score(next(e for e in evs if e["centre"]["id"] == c.centre_id))
        total = Fraction(result.total_exact)
        room = c.max_total_change + Fraction(thresholds) + unit
        k = next((i for i, t in enumerate(model.tiers) if t.id == c.tier), len(model.tiers))
        above = [Fraction(t.min) for t in model.tiers[:k]]
        below = Fraction(model.tiers[k].min) if k < len(model.tiers) else None
        far = all(m - total > room for m in above) and (below is None or total - below > room)
        if far:
            assert c.kept == c.perturbations, (c.centre_id, c.tier, total, room)
        # and the computed bound is an upper bound of what the bounds can do
        assert c.max_total_change >= 0


@SETTINGS
@given(spec=guide_specs(), data=st.data())
def test_results_do_not_depend_on_evidence_order(spec: GuideSpec, data: st.DataObject) -> None:
    guide = load_spec(spec.data)
    evs = scored(guide, spec, data, n=5)
    args = {"weights": D(20), "thresholds": D(2), "samples": 120, "seed": data.draw(st.integers(0, 5))}
    first = sensitivity(guide, evs, **args).to_dict()
    shuffled = list(evs)
    random.Random(data.draw(st.integers(0, 99))).shuffle(shuffled)
    assert sensitivity(guide, shuffled, **args).to_dict() == first
    assert sensitivity(guide, evs, **args).to_dict() == first  # identical output for identical arguments


def test_exact_at_a_rounding_boundary() -> None:
    """Centre G of 2023 totals exactly 89.995, reported 90.00: gold. Cut-offs moved by a
    few thousandths decide it exactly; weights moved by a millionth of themselves flip it
    whenever the total falls below 89.995 — checked against the reported perturbation."""
    guide = load_guide("2023")
    (g,) = [e for e in load_evidences([ROOT / "criteria" / "2023" / "examples"], guide) if e.centre_id == "EX-2023-G"]
    result = guide.score(g)
    assert result.total == D("90.00") and result.tier_id == "gold"
    s = sensitivity(guide, [g], weights=0, thresholds=D("0.004"), samples=9, method="grid")
    c = s.centre("EX-2023-G")
    # gold's cut-off at 89.996, 90, 90.004 (silver's anywhere near 80): 90.00 >= cut-off twice in three
    assert (c.perturbations, c.kept) == (9, 6)
    assert c.flip_tier == "silver" and c.nearest_flip is not None
    assert dict(c.nearest_flip.cutoffs)["gold"] == Fraction("90.004")
    s = sensitivity(guide, [g], weights=D("0.0001"), thresholds=0, samples=500, seed=3)
    c = s.centre("EX-2023-G")
    assert 0 < c.kept < c.perturbations
    flip = c.nearest_flip
    assert flip is not None
    cats = {x.id: Fraction(x.score_exact) for x in result.categories}
    w = dict(flip.weights)
    total = sum((w[k] * v for k, v in cats.items()), Fraction(0)) / sum(w.values(), Fraction(0))
    assert total < Fraction("89.995") and _round(total, guide) == D("89.99")
    assert c.flip_total == D("89.99")


def test_expected_counts_and_fragile_summary() -> None:
    guide = load_guide("2024")
    evs = load_evidences([ROOT / "criteria" / "2024" / "examples"], guide)
    s = sensitivity(guide, evs, weights=5, thresholds="0.5", samples=500, seed=1)
    for m in s.models():
        expected = dict(s.expected(m))
        assert sum(expected.values(), Fraction(0)) == sum(1 for c in s if c.model == m)
    assert all(c.fragile for c in s.fragile) and [c.share for c in s.fragile] == sorted(c.share for c in s.fragile)
    data = s.to_dict()
    assert data["format"] == "taqyeem-sensitivity/2" and data["seed"] == 1
    assert data["bounds"] == {"weights_percent": "5", "thresholds": "0.5"}


@pytest.mark.parametrize("kwargs", [{"weights": -1}, {"weights": 91}, {"thresholds": "-0.5"}, {"thresholds": 51},
                                    {"samples": 0}, {"samples": 1_000_001}, {"seed": -1}, {"weights": "x"},
                                    {"method": "random"}])
def test_bad_bounds_are_usage_errors(kwargs: dict[str, Any]) -> None:
    guide = load_guide("2024")
    with pytest.raises(UsageError):
        sensitivity(guide, [], **kwargs)


# ---- the command line -------------------------------------------------------------------------


@pytest.mark.parametrize(("args", "message"), [
    (["--weights", "-5"], "--weights -5: a bound is a size, not a direction"),
    (["--weights", "500"], "--weights 500: above the limit of 90%"),
    (["--thresholds", "-1"], "--thresholds -1: a bound is a size, not a direction"),
    (["--thresholds", "1e9"], "above the limit of 50 points"),
    (["--samples", "0"], "--samples 0: expected a whole number from 1 to 1,000,000"),
    (["--samples", "1000001"], "--samples 1000001: expected a whole number from 1 to 1,000,000"),
    (["--samples", "many"], "expected a whole number, not 'many'"),
    (["--seed", "-2"], "--seed -2: expected a whole number, 0 or more"),
])
def test_sensitivity_bad_usage_exits_2_and_writes_nothing(cli: Cli, tmp_path: Path,
                                                          args: list[str], message: str) -> None:
    target = tmp_path / "out.json"
    code, out, err = cli("sensitivity", "2024", str(ROOT / "criteria" / "2024" / "examples"), *args,
                         "--format", "json", "-o", str(target))
    assert code == 2 and out == "" and message in err and "Traceback" not in err
    assert not target.exists()


def test_sensitivity_cli_formats(cli: Cli, tmp_path: Path) -> None:
    examples = str(ROOT / "criteria" / "2024" / "examples")
    code, out, _ = cli("sensitivity", "2024", examples, "--samples", "200", "--seed", "4", "--format", "json")
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "taqyeem-sensitivity/2" and len(data["centres"]) == 12
    target = tmp_path / "s.json"
    assert cli("sensitivity", "2024", examples, "--samples", "200", "--seed", "4", "--format", "json",
               "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == out
    code, out, _ = cli("sensitivity", "2024", examples, "--samples", "200", "--format", "csv")
    assert code == 0 and out.startswith("centre_id,centre_name,model,total,tier,perturbations,kept,share")
    code, out, _ = cli("sensitivity", "2024", examples, "--samples", "200", "--format", "markdown",
                       "--lang", "ar")
    assert code == 0 and "حساسية الفئات" in out and "العدد المتوقع لكل فئة" in out
