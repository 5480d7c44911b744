"""Test cases of a guide (`tests/` next to it): loading with positions, comparing down to
the criterion, tolerances, and the coverage the cases reach."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path

import pytest

from shared import VERIFY
from taqyeem_rules import CaseError, load_cases, load_guide, run_cases
from taqyeem_rules.guide.cases import cases_folder, load_case

SOUND = VERIFY / "sound"
EVIDENCE = SOUND / "centres" / "silver.yaml"

guide = functools.cache(lambda: load_guide(SOUND))


def case(tmp_path: Path, body: str, name: str = "case.yaml") -> Path:
    path = tmp_path / name
    path.write_text(body.replace("EVIDENCE", str(EVIDENCE)), encoding="utf-8")
    return path


def errors(path: Path) -> list[tuple[str, int, int, str, str | None]]:
    with pytest.raises(CaseError) as info:
        load_case(path, guide())
    return [(d.code, d.span.line, d.span.col, d.message, d.hint) if d.span else (d.code, 0, 0, d.message, d.hint)
            for d in info.value.diagnostics]


def test_the_sound_guides_cases_pass_with_their_coverage() -> None:
    cases = load_cases([cases_folder(SOUND / "guide.yaml")], guide())
    assert [c.name for c in cases] == ["every criterion at the top: Gold",
                                       "no parking area, no survey: no tier, improvement plan",
                                       "a 15-minute wait and a lukewarm survey: Silver"]
    assert cases[0].evidence_path is None and cases[2].evidence_path is not None
    report = run_cases(guide(), cases)
    assert report.ok and [len(o.case.expects) for o in report.outcomes] == [10, 13, 10]
    cov = report.coverage
    assert (cov.reached, len(cov.targets), cov.percent) == (23, 29, Decimal("79.3"))
    assert sorted((t.section, t.id, t.detail, t.row) for t in cov.unreached) == [
        ("criterion", "survey_overall", "not_applicable", None),
        ("criterion", "survey_staff", "not_applicable", None),
        ("gate", "gold", "require_fails", None),
        ("row", "training", "matched", 1),
        ("row", "waiting", "matched", 3),
        ("row", "waiting", "matched", 4),
    ]
    # Each reached target names the cases that reach it.
    tiers = {t.id: t.by for t in cov.targets if t.section == "tier"}
    assert tiers == {"gold": ("every criterion at the top: Gold",),
                     "silver": ("a 15-minute wait and a lukewarm survey: Silver",),
                     None: ("no parking area, no survey: no tier, improvement plan",)}
    missing = {t.detail for t in cov.targets if t.section == "criterion" and t.id == "survey_overall"}
    assert missing == {"scored", "not_applicable", "missing"}


def test_a_mismatch_is_reported_down_to_the_criterion_with_its_line(tmp_path: Path) -> None:
    path = case(tmp_path, """\
evidence: EVIDENCE
expect:
  total: 88.13
  tier: gold
  criteria:
    waiting: {points: 3, row: 1}
    survey_staff: {points: 3, tolerance: 0.1}
    survey_overall: {points: 3, tolerance: 0.125}
""")
    report = run_cases(guide(), [load_case(path, guide())])
    (outcome,) = report.outcomes
    assert not outcome.ok and not report.ok
    got = [(m.expect.label(), m.expect.value, m.actual, m.expect.span.line, m.expect.span.col)  # type: ignore[union-attr]
           for m in outcome.mismatches]
    assert got == [
        ("tier", "gold", "silver", 4, 9),
        ("criterion waiting: row", 1, 2, 6, 31),
        ("criterion survey_staff: points", Decimal(3), Decimal("3.125"), 7, 28),
    ]  # survey_overall: 3.125 is within 0.125 of 3


def test_expected_values_are_compared_as_numbers_and_exactly_by_default(tmp_path: Path) -> None:
    path = case(tmp_path, """\
evidence: EVIDENCE
expect:
  total: 88.130
  total_exact: 88.125
  categories: {survey: 78.125}
""")
    (outcome,) = run_cases(guide(), [load_case(path, guide())]).outcomes
    # 88.130 is the reported 88.13; the survey category is reported at 2 places: 78.13.
    assert [(m.expect.label(), m.actual) for m in outcome.mismatches] == [("category survey", Decimal("78.13"))]


def test_a_case_that_cannot_be_scored_fails_with_the_reason(tmp_path: Path) -> None:
    text = EVIDENCE.read_text(encoding="utf-8").replace("  trained_pct: 95\n", "")
    (tmp_path / "ev.yaml").write_text(text, encoding="utf-8")
    g = load_guide(_optional_training(tmp_path))
    path = case(tmp_path, "evidence: ev.yaml\nexpect: {tier: silver}\n")
    (outcome,) = run_cases(g, [load_case(path, g)]).outcomes
    assert not outcome.ok and outcome.result is None
    assert outcome.error is not None and outcome.error.code == "scoring.missing"


def _optional_training(tmp_path: Path) -> Path:
    text = (SOUND / "guide.yaml").read_text(encoding="utf-8").replace(
        '    better: higher\n    label: {en: "Staff trained"', '    better: higher\n    required: false\n    label: {en: "Staff trained"')
    path = tmp_path / "g" / "guide.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def test_unknown_ids_are_errors_at_their_line_with_the_nearest_id(tmp_path: Path) -> None:
    path = case(tmp_path, """\
evidence: EVIDENCE
expect:
  tier: platinum
  flags: {improvement: true}
  categories: {acess: 100}
  criteria:
    waitng: 3
    training: {row: 4}
    facilities_score: {row: 1}
""")
    assert errors(path) == [
        ("case.unknown-tier", 3, 9, "model `onsite` has no tier `platinum`", "the tiers of model `onsite`: gold, silver"),
        ("case.unknown-flag", 4, 11, "model `onsite` has no flag `improvement`", "did you mean `improvement_plan`?"),
        ("case.unknown-category", 5, 16, "model `onsite` has no category `acess`", "did you mean `access`?"),
        ("case.unknown-criterion", 7, 5, "model `onsite` has no criterion `waitng`", "did you mean `waiting`?"),
        ("case.row", 8, 21, "criterion `training` has 3 rows, not 4", "rows are numbered 1 to 3"),
        ("case.row", 9, 29, "criterion `facilities_score` has no decision table: it has no rows",
         "remove `row`, or expect its points"),
    ]


def test_negative_tolerances_and_wrong_shapes_are_schema_errors_at_their_value(tmp_path: Path) -> None:
    path = case(tmp_path, """\
evidence: EVIDENCE
expect:
  total: {value: 88, tolerance: -0.5}
  criteria:
    waiting: {points: 3, tolerance: -1}
    training: {status: scord}
    survey_staff: {tolerance: 1}
""")
    got = errors(path)
    assert [(code, line, col) for code, line, col, _, _ in got] == [
        ("case.range", 3, 33), ("case.range", 5, 37), ("case.value", 6, 24),
    ]
    assert got[0][3] == "expect.total.tolerance must be at least 0, not -0.5"
    assert got[2][4] == "did you mean `scored`?"
    path = case(tmp_path, "evidence: EVIDENCE\nexpect:\n  criteria:\n    survey_staff: {tolerance: 1}\n")
    assert errors(path) == [("case.tolerance", 4, 20, "criterion `survey_staff`: a tolerance without `points`",
                             "state the points the tolerance is about")]
    path = case(tmp_path, "evidence: EVIDENCE\nexpect: {}\nexpected: {tier: gold}\n")
    assert [(c, line) for c, line, _, _, _ in errors(path)] == [("case.empty", 2), ("case.unknown-key", 3)]


def test_evidence_problems_point_into_the_case_or_its_evidence(tmp_path: Path) -> None:
    path = case(tmp_path, "evidence: missing.yaml\nexpect: {tier: gold}\n")
    ((code, line, col, message, _),) = errors(path)
    assert (code, line, col) == ("case.evidence", 1, 11)
    assert message.startswith("the evidence file missing.yaml is not there")
    path = case(tmp_path, """\
evidence:
  centre: {id: X}
  model: onsite
  inputs: {waiting_minutes: 300, facilities: {parking: true, ramp: true, signage: true, seating: true},
           has_parking_area: true, trained_pct: 50}
expect: {tier: gold}
""")
    ((code, line, col, message, _),) = errors(path)
    assert (code, line, col) == ("evidence.range", 4, 29)
    assert message == "inputs.waiting_minutes must be at most 240, not 300"


def test_two_cases_of_one_name_are_an_error(tmp_path: Path) -> None:
    for stem in ("a", "b"):
        case(tmp_path, 'name: "same"\nevidence: EVIDENCE\nexpect: {tier: silver}\n', f"{stem}.yaml")
    with pytest.raises(CaseError, match="two cases are named 'same'"):
        load_cases([tmp_path], guide())
