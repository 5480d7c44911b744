"""Scoring the hand-made mini guide (tests/fixtures/mini), with expectations worked out by
hand from docs/guide-format.md ("Scoring") in the comments — not pasted engine output.

The mini guide: points 0–4; category `access` (weight 40) holds facilities_score
(w 2, basic, checked(facilities)) and parking_close (w 1, applicable: has_parking_area);
category `service` (weight 60) holds waiting (w 3, basic, bands on waiting_minutes),
satisfaction_level (w 2, missing: not_applicable, bands on the optional satisfaction) and
tawasul (w 1, round_half_up(reply_within_deadline / 25, 0)). Tiers: gold (min 90,
basic_attainment >= 75), silver (min 80). Flag improvement_plan: total < 75 or
basic_attainment < 75. Report: 2 places, half_up.
"""

from __future__ import annotations

import copy
import decimal
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import taqyeem_rules
from shared import MINI_YAML
from taqyeem_rules import EvidenceError, ScoringError

GUIDE_TEXT = MINI_YAML.read_text(encoding="utf-8")

# c1.yaml, as Python data
C1: dict[str, Any] = {
    "centre": {"id": "M-01", "name": {"en": "Test centre", "ar": "مركز اختبار"}},
    "model": "onsite",
    "edition": "mini",
    "inputs": {
        "waiting_minutes": 12,
        "facilities": {"parking": True, "ramp": True, "signage": False, "seating": True},
        "has_parking_area": True,
        "satisfaction": Decimal("91.5"),
        "reply_within_deadline": 88,
    },
}


def evidence(**inputs: Any) -> dict[str, Any]:
    """C1 with some inputs changed (a value of ... removes the input)."""
    data = copy.deepcopy(C1)
    for key, value in inputs.items():
        if value is ...:
            data["inputs"].pop(key, None)
        else:
            data["inputs"][key] = value
    return data


def variant(tmp_path: Path, *replacements: tuple[str, str]) -> taqyeem_rules.Guide:
    """The mini guide with pieces of its text replaced, loaded from a temporary file."""
    text = GUIDE_TEXT
    for old, new in replacements:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    path = tmp_path / "guide.yaml"
    path.write_text(text, encoding="utf-8")
    return taqyeem_rules.load_guide(path)


def line_of(text: str, needle: str) -> int:
    return text[: text.index(needle)].count("\n") + 1


# ---- the c1 centre ----------------------------------------------------------------------------


def test_c1_centre(mini_guide: taqyeem_rules.Guide) -> None:
    # facilities_score: 3 of 4 items → 3 points → 3/4 × 100 = 75 %
    # parking_close: applicable, parking ticked → 4 → 100 %
    # access = (2 × 75 + 1 × 100) / 3 = 250 / 3 = 83.333…
    # waiting: 12 minutes → row 2 "(10..20]" → 3 → 75 %
    # satisfaction_level: 91.5 → row 1 "[90..100]" → 4 → 100 %
    # tawasul: 88 / 25 = 3.52 → round_half_up(…, 0) = 4 → 100 %
    # service = (3 × 75 + 2 × 100 + 1 × 100) / 6 = 525 / 6 = 87.5
    # total = (40 × 83.333…33 + 60 × 87.5) / 100; 40 × 83.33333333333333333333333333333333
    #   = 3333.333333333333333333333333333333 (34 digits) → + 5250 → / 100
    #   = 85.83333333333333333333333333333333 → 85.83 → silver (gold needs 90)
    # basic: g(facilities) = 40 × 2 / 3 = 26.666…67, g(waiting) = 60 × 3 / 6 = 30; both 75 %
    #   → basic attainment 75 (the last-digit error of g is below half a unit) → 75.00
    result = mini_guide.score(C1)
    assert str(result.total) == "85.83"
    assert result.total_exact == Decimal("85.83333333333333333333333333333333")
    assert result.tier_id == "silver"
    assert str(result.basic_attainment) == "75.00"
    assert result.basic_attainment_exact == 75
    assert result.flags == {"improvement_plan": False}
    access, service = result.categories
    assert (access.id, str(access.score)) == ("access", "83.33")
    assert access.score_exact == Decimal("83.33333333333333333333333333333333")
    assert (service.id, str(service.score), service.score_exact) == ("service", "87.50", 87.5)
    got = {c.id: (c.status, c.points, c.percentage, c.row) for c in result.criteria}
    assert got == {
        "facilities_score": ("scored", 3, 75, None),
        "parking_close": ("scored", 4, 100, None),
        "waiting": ("scored", 3, 75, 2),
        "satisfaction_level": ("scored", 4, 100, 1),
        "tawasul": ("scored", 4, 100, None),
    }


def test_c1_effective_weights_and_contributions(mini_guide: taqyeem_rules.Guide) -> None:
    # effective weight = g × 100 / 100 (both categories apply) = g:
    #   facilities 26.666…67, parking 40 × 1 / 3 = 13.333…33, waiting 30, satisfaction 20, tawasul 10
    # contribution = effective weight × percentage / 100:
    #   26.666…67 × 75 = 2000.00000000000000000000000000000025 → 2000.000… (34 digits) → 20;
    #   13.333…33; 30 × 75 / 100 = 22.5; 20; 10 → Σ = 85.8333…33 = the exact total
    result = mini_guide.score(C1)
    crit = {c.id: c for c in result.criteria}
    third = Decimal("13.33333333333333333333333333333333")
    assert crit["facilities_score"].effective_weight == Decimal("26.66666666666666666666666666666667")
    assert crit["parking_close"].effective_weight == third
    assert [crit[c].effective_weight for c in ("waiting", "satisfaction_level", "tawasul")] == [30, 20, 10]
    assert [c.contribution for c in result.criteria] == [20, third, Decimal("22.5"), 20, 10]
    with decimal.localcontext() as ctx:
        ctx.prec = 60
        assert sum(c.contribution for c in result.criteria) == result.total_exact


def test_c1_from_the_evidence_file(mini_guide: taqyeem_rules.Guide, c1_evidence: taqyeem_rules.Evidence) -> None:
    from_file = mini_guide.score(c1_evidence)
    assert from_file.to_dict() == mini_guide.score(C1).to_dict()


# ---- N/A and missing values -----------------------------------------------------------------


def test_not_applicable_criterion_shares_its_weight_inside_its_category(mini_guide: taqyeem_rules.Guide) -> None:
    # has_parking_area false → parking_close N/A; access = facilities alone = 75 (weight 40 kept)
    # total = (40 × 75 + 60 × 87.5) / 100 = (3000 + 5250) / 100 = 82.5 → 82.50 → silver
    # effective weight of facilities: g = 40 × 2 / 2 = 40 → 40 × 100 / 100 = 40
    # basic: g 40 × 75 and 30 × 75 → 75.00
    result = mini_guide.score(evidence(has_parking_area=False))
    parking = result.criterion("parking_close")
    assert (parking.status, parking.points, parking.percentage) == ("not_applicable", None, None)
    assert parking.effective_weight is None and parking.contribution is None
    assert not parking.applicable
    access = result.category("access")
    assert (access.weight, access.score_exact, str(access.score)) == (40, 75, "75.00")
    assert result.category("service").score_exact == Decimal("87.5")
    assert result.total_exact == Decimal("82.5")
    assert str(result.total) == "82.50"
    assert result.tier_id == "silver"
    assert result.criterion("facilities_score").effective_weight == 40
    assert str(result.basic_attainment) == "75.00"


def test_missing_optional_input_not_applicable(mini_guide: taqyeem_rules.Guide) -> None:
    # satisfaction absent → no row matches → missing: not_applicable → N/A
    # service = (3 × 75 + 1 × 100) / 4 = 325 / 4 = 81.25
    # total = (3333.333333333333333333333333333333 + 60 × 81.25) / 100
    #       = 8208.333333333333333333333333333333 / 100 = 82.08333333333333333333333333333333
    # basic: g(facilities) 26.666…67, g(waiting) = 60 × 3 / 4 = 45; both 75 % → 75.00
    for ev in (evidence(satisfaction=...), evidence(satisfaction=None)):
        result = mini_guide.score(ev)
        sat = result.criterion("satisfaction_level")
        assert (sat.status, sat.points, sat.percentage, sat.row) == ("missing_not_applicable", None, None, None)
        assert sat.inputs == {"satisfaction": None}
        assert result.category("service").score_exact == Decimal("81.25")
        assert result.total_exact == Decimal("82.08333333333333333333333333333333")
        assert str(result.total) == "82.08"
        assert result.tier_id == "silver"
        assert str(result.basic_attainment) == "75.00"
        assert result.criterion("waiting").effective_weight == 45


def test_missing_zero(tmp_path: Path) -> None:
    guide = variant(tmp_path, ("            missing: not_applicable\n", "            missing: zero\n"))
    # satisfaction absent → missing: zero → points.min = 0 → 0 %
    # service = (225 + 0 + 100) / 6 = 54.1666…67; 60 × 54.16666666666666666666666666666667
    #   = 3250.0000000000000000000000000000002 → 3250.000… ; total = (3333.333…333 + 3250) / 100
    #   = 65.83333333333333333333333333333333 → 65.83 → no tier; total < 75 → improvement plan
    result = guide.score(evidence(satisfaction=...))
    sat = result.criterion("satisfaction_level")
    assert (sat.status, sat.points, sat.percentage) == ("missing_zero", 0, 0)
    assert sat.applicable
    assert result.category("service").score_exact == Decimal("54.16666666666666666666666666666667")
    assert result.total_exact == Decimal("65.83333333333333333333333333333333")
    assert str(result.total) == "65.83"
    assert result.tier_id is None
    assert result.flags == {"improvement_plan": True}
    assert "missing → 0 points" in result.explain()


def test_missing_error_names_the_criterion_and_the_input(tmp_path: Path) -> None:
    guide = variant(tmp_path, ("            missing: not_applicable\n", "            missing: error\n"))
    assert any(d.code == "guide.optional-input" for d in guide.check().warnings)
    with pytest.raises(ScoringError) as info:
        guide.score(evidence(satisfaction=...))
    d = info.value.primary
    assert d.code == "scoring.missing"
    assert "`satisfaction_level`" in d.message
    assert "`satisfaction`" in d.message
    assert "missing: zero" in d.hint
    # present, it scores as before
    assert str(guide.score(C1).total) == "85.83"


def test_an_expression_that_handles_null_needs_no_missing_policy(tmp_path: Path) -> None:
    """`if satisfaction = null then 0 else …` never gives null: the checker types the else
    branch with satisfaction known present, so the optional-input warning is not given,
    and a centre without the survey scores 0 points there instead of an error."""
    table = (
        "            missing: not_applicable\n"
        "            bands:\n"
        "              on: satisfaction\n"
        "              hit: unique\n"
        "              rows:\n"
        '                - {when: "[90..100]", points: 4}\n'
        '                - {when: "[75..90)", points: 2}\n'
        '                - {when: "[0..75)", points: 0}\n'
    )
    guarded = '            score: "if satisfaction = null then 0 else round_half_up(satisfaction / 25, 0)"\n'
    guide = variant(tmp_path, (table, guarded))
    assert not [d for d in guide.check().diagnostics if d.code == "guide.optional-input"]
    sat = guide.score(evidence(satisfaction=...)).criterion("satisfaction_level")
    assert (sat.status, sat.points) == ("scored", 0)
    # 91.5 / 25 = 3.66 → 4 points
    assert guide.score(C1).criterion("satisfaction_level").points == 4
    # Without the guard the expression can give null, and the warning is back.
    unguarded = '            score: "round_half_up(satisfaction / 25, 0)"\n'
    guide = variant(tmp_path, (table, unguarded))
    assert any(d.code == "guide.optional-input" for d in guide.check().warnings)


def test_missing_error_is_the_default(tmp_path: Path) -> None:
    guide = variant(tmp_path, ("            missing: not_applicable\n", ""))
    with pytest.raises(ScoringError) as info:
        guide.score(evidence(satisfaction=...))
    assert info.value.primary.code == "scoring.missing"


def test_points_out_of_range(tmp_path: Path) -> None:
    old = 'score: "round_half_up(reply_within_deadline / 25, 0)"'
    new = 'score: "reply_within_deadline / 20"'
    guide = variant(tmp_path, (old, new))
    # 88 / 20 = 4.4 > points.max 4
    with pytest.raises(ScoringError) as info:
        guide.score(C1)
    d = info.value.primary
    assert d.code == "scoring.points-range"
    assert "`tawasul`" in d.message
    assert "4.4" in d.message
    assert "0 to 4" in d.message
    text = GUIDE_TEXT.replace(old, new)
    assert (d.span.file.endswith("guide.yaml"), d.span.line) == (True, line_of(text, new))
    # 80 / 20 = 4: on the scale
    assert guide.score(evidence(reply_within_deadline=80)).criterion("tawasul").points == 4


def test_applicable_null(tmp_path: Path) -> None:
    guide = variant(tmp_path, ('applicable: "has_parking_area"', 'applicable: "satisfaction > 50"'))
    # has_parking_area is declared but no criterion reads it any more (`taqyeem check`
    # warns): evidence may still give it, as before the change; it is kept, read by nothing;
    # and the condition can be null (satisfaction is optional): check warns about that too
    assert sorted(d.code for d in guide.check().diagnostics) == ["guide.applicable-null", "guide.unused-input"]
    kept = guide.score(C1)
    assert "has_parking_area" in kept.evidence.inputs
    assert all("has_parking_area" not in c.inputs for c in kept.criteria)
    with pytest.raises(ScoringError) as info:
        guide.score(evidence(satisfaction=..., has_parking_area=...))
    d = info.value.primary
    assert d.code == "scoring.applicable-null"
    assert "`parking_close`" in d.message
    assert "`satisfaction`" in d.message
    # with the input: 91.5 > 50 → applicable; 40 → not
    assert guide.score(evidence(has_parking_area=...)).criterion("parking_close").status == "scored"
    na = guide.score(evidence(satisfaction=40, has_parking_area=...))
    assert na.criterion("parking_close").status == "not_applicable"


def test_every_category_not_applicable(tmp_path: Path) -> None:
    # every criterion applies only with a parking area: without one nothing is left to score
    guide = variant(
        tmp_path,
        ('            score: "checked(facilities)"', '            applicable: "has_parking_area"\n            score: "checked(facilities)"'),
        ("            basic: true\n            bands:", "            basic: true\n            applicable: \"has_parking_area\"\n            bands:"),
        ("            missing: not_applicable\n", "            missing: not_applicable\n            applicable: \"has_parking_area\"\n"),
        ('            score: "round_half_up(', '            applicable: "has_parking_area"\n            score: "round_half_up('),
    )
    assert str(guide.score(C1).total) == "85.83"
    with pytest.raises(ScoringError) as info:
        guide.score(evidence(has_parking_area=False))
    d = info.value.primary
    assert d.code == "scoring.all-not-applicable"
    assert d.message == "centre M-01: every category of model `onsite` is not applicable"


def test_precision_too_small_for_the_report_scale_is_a_clear_error(tmp_path: Path) -> None:
    # 4 significant digits cannot hold a total reported with 3 places (85.833 has 5)
    # (a fix may refuse the guide when it is loaded, or the centre when it is scored)
    def load_and_score() -> None:
        guide = variant(tmp_path, ("precision: 34", "precision: 4"), ("report: {scale: 2,", "report: {scale: 3,"))
        guide.score(C1)

    with pytest.raises(taqyeem_rules.TaqyeemError) as info:
        load_and_score()
    assert info.value.primary.code == "guide.numbers"
    assert info.value.primary.message == (
        "numbers.precision 4 cannot hold a score such as 100 with 3 decimal place(s), which needs 6 digits"
    )


# ---- decision tables decided at run time ------------------------------------------------------------

SATISFACTION_TABLE = """\
              hit: unique
              rows:
                - {when: "[90..100]", points: 4}
                - {when: "[75..90)", points: 2}
                - {when: "[0..75)", points: 0}"""


@pytest.mark.parametrize(
    ("satisfaction", "expected"),
    [
        (Decimal("91.5"), ("scored", 4, 1)),  # 91.5 >= 88
        (60, ("scored", 2, 2)),  # 60 < 88, 60 > 88 / 2 = 44
        (30, ("scored", 1, 3)),  # 30 <= 44, in [0..50]
        (..., ("scored", 0, 4)),  # absent: only `-` matches null (the others are null, not true)
    ],
)
def test_cells_reading_other_inputs_hit_first(tmp_path: Path, satisfaction: Any, expected: tuple) -> None:
    guide = variant(tmp_path, (SATISFACTION_TABLE, """\
              hit: first
              rows:
                - {when: ">= reply_within_deadline", points: 4}
                - {when: "? > reply_within_deadline / 2", points: 2}
                - {when: "[0..50]", points: 1}
                - {when: "-", points: 0}"""))
    assert [d.code for d in guide.check().warnings] == ["guide.table-unchecked"]
    sat = guide.score(evidence(satisfaction=satisfaction)).criterion("satisfaction_level")
    assert (sat.status, sat.points, sat.row) == expected


def test_cells_reading_other_inputs_hit_unique(tmp_path: Path) -> None:
    guide = variant(tmp_path, (SATISFACTION_TABLE, """\
              hit: unique
              rows:
                - {when: ">= reply_within_deadline", points: 4}
                - {when: "[0..50]", points: 1}
                - {when: "< reply_within_deadline", points: 0}"""))
    def sat(value: Any) -> tuple:
        c = guide.score(evidence(satisfaction=value)).criterion("satisfaction_level")
        return (c.status, c.points, c.row)

    assert sat(Decimal("91.5")) == ("scored", 4, 1)  # only row 1
    assert sat(60) == ("scored", 0, 3)  # 60 < 88, not in [0..50]
    assert sat(...) == ("missing_not_applicable", None, None)  # no row: missing policy
    # 45 is both in [0..50] and below 88: two rows under `unique`
    with pytest.raises(ScoringError) as info:
        guide.score(evidence(satisfaction=45))
    d = info.value.primary
    assert d.code == "scoring.table-overlap"
    assert d.message.startswith("centre M-01: rows 2 and 3 of criterion `satisfaction_level` both match")
    assert "satisfaction = 45" in d.message


# ---- tiers, rounding, flags ---------------------------------------------------------------------

BOUNDARY = {
    # access: facilities 4/4 → 100 %, parking → 100 % → 100
    "facilities": {"parking": True, "ramp": True, "signage": True, "seating": True},
    # waiting 5 → row 1 → 4 → 100 %; satisfaction 50 → row 3 "[0..75)" → 0 %
    "waiting_minutes": 5,
    "satisfaction": 50,
    # tawasul (variant: reply / 25, unrounded): 99.95 / 25 = 3.998 → 99.95 %
    "reply_within_deadline": Decimal("99.95"),
}
TAWASUL_UNROUNDED = ('score: "round_half_up(reply_within_deadline / 25, 0)"', 'score: "reply_within_deadline / 25"')


@pytest.mark.parametrize(
    ("report_rounding", "total", "tier"),
    [
        ("half_up", "80.00", "silver"),
        ("half_even", "80.00", "silver"),  # 79.99|5: the kept 9 is odd → up
        ("ceiling", "80.00", "silver"),
        ("half_down", "79.99", None),
        ("down", "79.99", None),
    ],
)
def test_tier_is_decided_on_the_rounded_total(
    tmp_path: Path, report_rounding: str, total: str, tier: str | None
) -> None:
    # service = (3 × 100 + 2 × 0 + 1 × 99.95) / 6 = 399.95 / 6 = 66.65833333333333333333333333333333
    # 60 × that = 3999.4999999999999999999999999999998 → 34 digits → 3999.500000000000000000000000000000
    # total = (40 × 100 + 3999.5) / 100 = 79.995 exactly → rounded per `report.rounding`;
    # silver needs 80 (the rounded total)
    guide = variant(
        tmp_path,
        TAWASUL_UNROUNDED,
        ("report: {scale: 2, rounding: half_up}", f"report: {{scale: 2, rounding: {report_rounding}}}"),
    )
    result = guide.score(evidence(**BOUNDARY))
    assert result.total_exact == Decimal("79.995")
    assert str(result.total) == total
    assert result.tier_id == tier


def test_report_scale(tmp_path: Path) -> None:
    # the same centre at scale 0: 79.995 → 80 (half_up); at scale 3: 79.995
    guide0 = variant(tmp_path, TAWASUL_UNROUNDED, ("report: {scale: 2,", "report: {scale: 0,"))
    assert str(guide0.score(evidence(**BOUNDARY)).total) == "80"
    guide3 = variant(tmp_path, TAWASUL_UNROUNDED, ("report: {scale: 2,", "report: {scale: 3,"))
    result = guide3.score(evidence(**BOUNDARY))
    assert (str(result.total), str(result.category("access").score)) == ("79.995", "100.000")


def test_gold_needs_its_gate(tmp_path: Path, mini_guide: taqyeem_rules.Guide) -> None:
    # waiting 5 → 100 %: service = (300 + 200 + 100) / 6 = 100; total = 33.333…33 + 60 = 93.33
    # basic = (26.666…67 × 75 + 30 × 100) / 56.666…67 = 5000 / 56.666… = 88.235… ≥ 75 → gold
    gold = mini_guide.score(evidence(waiting_minutes=5))
    assert (str(gold.total), gold.tier_id, str(gold.basic_attainment)) == ("93.33", "gold", "88.24")
    # with the gate raised to 90, the same centre falls through to silver
    guide = variant(tmp_path, ('require: "basic_attainment >= 75"', 'require: "basic_attainment >= 90"'))
    silver = guide.score(evidence(waiting_minutes=5))
    assert (str(silver.total), silver.tier_id) == ("93.33", "silver")
    assert "✓ Silver (silver)" in silver.explain()


def test_flag_from_basic_attainment(mini_guide: taqyeem_rules.Guide) -> None:
    # facilities 1 of 4 → 25 %; access = (2 × 25 + 100) / 3 = 50; waiting 5 → 100 %
    # service = 100; total = 0.4 × 50 + 60 = 80 → silver
    # basic = (26.666…67 × 25 + 30 × 100) / 56.666…67 = 3666.67 / 56.67 = 64.705… → 64.71 < 75
    facilities = {"parking": True, "ramp": False, "signage": False, "seating": False}
    result = mini_guide.score(evidence(facilities=facilities, waiting_minutes=5))
    assert str(result.total) == "80.00"
    assert result.tier_id == "silver"
    assert str(result.basic_attainment) == "64.71"
    assert result.flags == {"improvement_plan": True}


def test_na_category_and_null_basic_attainment(tmp_path: Path) -> None:
    # variant: waiting is not basic; facilities_score applies only with a parking area.
    # has_parking_area false → both access criteria N/A → the category is N/A and its
    # weight goes to service: total = 60 × 87.5 / 60 = 87.5 → 87.50.
    # No basic criterion applies → basic_attainment null → gold's gate is null (not met)
    # → silver; the flag `total < 75 or null` is null (FEEL three-valued `or`) …
    guide = variant(
        tmp_path,
        ('            basic: true\n            score: "checked(facilities)"',
         '            basic: true\n            applicable: "has_parking_area"\n            score: "checked(facilities)"'),
        ("            basic: true\n            bands:", "            bands:"),
    )
    result = guide.score(evidence(has_parking_area=False))
    access = result.category("access")
    assert (access.applicable, access.score, access.score_exact, access.weight) == (False, None, None, 40)
    assert result.total_exact == Decimal("87.5")
    assert str(result.total) == "87.50"
    assert result.basic_attainment is None and result.basic_attainment_exact is None
    assert result.tier_id == "silver"
    assert result.flags == {"improvement_plan": None}
    data = result.to_dict()
    assert (data["basic_attainment"], data["categories"][0]["score"]) == (None, None)
    assert data["flags"] == {"improvement_plan": None}
    # effective weights: waiting g = 60 × 3 / 6 = 30 → 30 × 100 / 60 = 50; satisfaction 33.3…; tawasul 16.6…
    assert result.criterion("waiting").effective_weight == 50
    assert "Ease of access (access) — weight 40: not applicable" in result.explain()
    # … and true for a total under 75: waiting 45 → 0 %, tawasul 0 → 0 %, satisfaction 100 %
    # → service = 200 / 6 = 33.33 → total 33.33
    low = guide.score(evidence(has_parking_area=False, waiting_minutes=45, reply_within_deadline=0))
    assert str(low.total) == "33.33"
    assert low.flags == {"improvement_plan": True}


# ---- explanation and canonical form ---------------------------------------------------------------


def test_explain_mentions_the_matched_rows(mini_guide: taqyeem_rules.Guide) -> None:
    text = mini_guide.score(C1).explain()
    assert "row 2 of the table on waiting_minutes: (10..20] → 3" in text
    assert "row 1 of the table on satisfaction: [90..100] → 4" in text
    # For people, numbers at report precision; every digit with exact=True.
    assert "Total 85.83 (exact 85.833333…)" in text
    assert "Total 85.83 (exact 85.83333333333333333333333333333333)" in mini_guide.score(C1).explain(exact=True)
    assert "score: checked(facilities) = 3" in text
    assert "waiting_minutes = 12" in text
    na = mini_guide.score(evidence(has_parking_area=False)).explain()
    assert "parking_close — Parking close to entrance: not applicable" in na
    arabic = mini_guide.score(C1).explain("ar")
    assert "الفئة الفضية" in arabic


def _walk(value: Any, key: str = "") -> None:
    """Every number in a result's canonical form is a string (the 1-based row an int)."""
    assert not isinstance(value, Decimal | float), (key, value)
    if isinstance(value, int) and not isinstance(value, bool):
        assert key == "row", (key, value)
    if isinstance(value, dict):
        for k, v in value.items():
            _walk(v, k)
    if isinstance(value, list):
        for v in value:
            _walk(v, key)


def test_to_dict_is_json_with_numbers_as_strings(mini_guide: taqyeem_rules.Guide) -> None:
    data = mini_guide.score(C1).to_dict()
    _walk(data)
    text = json.dumps(data)  # no default= needed
    assert json.loads(text) == data
    assert data["total"] == "85.83"
    assert data["total_exact"] == "85.83333333333333333333333333333333"
    assert data["basic_attainment"] == "75.00"
    assert data["categories"][1]["score"] == "87.50"
    assert data["categories"][1]["score_exact"] == "87.5"
    waiting = data["criteria"][2]
    assert (waiting["id"], waiting["points"], waiting["percentage"], waiting["row"]) == ("waiting", "3", "75", 2)
    assert waiting["inputs"] == {"waiting_minutes": "12"}
    assert data["criteria"][3]["inputs"] == {"satisfaction": "91.5"}


def test_to_dict_is_deterministic(mini_guide: taqyeem_rules.Guide) -> None:
    first = json.dumps(mini_guide.score(C1).to_dict(), ensure_ascii=False)
    # a fresh load of the guide, the evidence from its file, keys in another order
    again = taqyeem_rules.load_guide(MINI_YAML)
    reordered = {
        "inputs": dict(reversed(list(C1["inputs"].items()))),
        "edition": "mini",
        "model": "onsite",
        "centre": C1["centre"],
    }
    reordered["inputs"]["facilities"] = dict(reversed(list(C1["inputs"]["facilities"].items())))
    assert json.dumps(again.score(reordered).to_dict(), ensure_ascii=False) == first
    assert json.dumps(mini_guide.score(C1, trace=True).to_dict(), ensure_ascii=False) == first


def test_trace_off_keeps_the_numbers(mini_guide: taqyeem_rules.Guide) -> None:
    on, off = mini_guide.score(C1, trace=True), mini_guide.score(C1, trace=False)
    assert (on.total, on.total_exact, on.tier_id, on.basic_attainment) == (
        off.total, off.total_exact, off.tier_id, off.basic_attainment,
    )
    assert all(c.effective_weight is None and c.contribution is None for c in off.criteria)
    assert "effective_weight" not in off.to_dict()["criteria"][0]
    assert on.to_dict()["criteria"][0]["effective_weight"] == "26.66666666666666666666666666666667"


# ---- evidence given as Python data; the thread's decimal context ------------------------------------


def test_python_ints_are_numbers_and_floats_are_refused(mini_guide: taqyeem_rules.Guide) -> None:
    assert mini_guide.score(C1).criterion("waiting").inputs == {"waiting_minutes": Decimal(12)}
    with pytest.raises(EvidenceError) as info:
        mini_guide.score(evidence(satisfaction=91.5))
    d = info.value.primary
    assert d.code == "evidence.value"
    assert "float" in d.message
    assert "'91.5'" in d.hint


def test_scores_do_not_depend_on_the_threads_decimal_context(tmp_path: Path) -> None:
    # criterion weights 3 + 2.25 + 1 = 6.25 need 3 digits; compiled (on first use) while the
    # caller's context has 2 digits, the category weight must still be 6.25, not 6.2.
    # satisfaction_level always scored (missing: zero) so the sum is a compile-time constant.
    guide = variant(
        tmp_path,
        ("            weight: 2\n            missing: not_applicable\n", "            weight: 2.25\n            missing: zero\n"),
    )
    # service = (3 × 75 + 2.25 × 0 + 1 × 100) / 6.25 = 325 / 6.25 = 52
    with decimal.localcontext() as ctx:
        ctx.prec = 2
        ctx.rounding = decimal.ROUND_DOWN
        hostile = guide.score(evidence(satisfaction=50))
    assert hostile.category("service").score_exact == 52
    fresh = variant(
        tmp_path,
        ("            weight: 2\n            missing: not_applicable\n", "            weight: 2.25\n            missing: zero\n"),
    )
    assert hostile.to_dict() == fresh.score(evidence(satisfaction=50)).to_dict()
