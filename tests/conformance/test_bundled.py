"""Conformance over the bundled guides: every guide under criteria/ checks cleanly, every
example scores to its golden result and to the outcome its header states.

The headers were written with the examples, from a separate scorer, before this engine
scored them: `# Intended outcome: on-site model, Gold.` and
`#   total 89.995 exact -> 90.00 after report rounding`.
"""

from __future__ import annotations

import functools
import json
import re
from pathlib import Path

import pytest

from taqyeem_rules import load_evidence
from taqyeem_rules import load_guide as _load_guide
from taqyeem_rules.guide.loader import bundled_editions, criteria_root

from .make_goldens import HERE, golden_text

load_guide = functools.cache(_load_guide)  # guides are immutable: load each once

EDITIONS = bundled_editions()
EXAMPLES = [(e, p) for e in EDITIONS for p in sorted((criteria_root() / e / "examples").glob("*.yaml"))]

OUTCOME = re.compile(r"# Intended outcome: (on-site|remote) model, (.+)\.")
TOTAL = re.compile(r"#\s+total .* -> ([0-9.]+) after report rounding")
BASIC = re.compile(r"#\s+basic attainment .* -> ([0-9.]+)")


def test_the_three_editions_are_bundled() -> None:
    assert EDITIONS == ["2019", "2023", "2024"]


@pytest.mark.parametrize("edition", EDITIONS)
def test_guide_checks_without_errors_or_warnings(edition: str) -> None:
    guide = load_guide(edition)
    report = guide.check()
    assert report.diagnostics == ()
    assert guide.provenance.status == "illustrative"
    assert all(len(m.criteria()) >= 25 for m in guide.models)


@pytest.mark.parametrize("edition", EDITIONS)
def test_examples_cover_what_the_issue_asks(edition: str) -> None:
    guide = load_guide(edition)
    results = [guide.score(load_evidence(p, guide)) for e, p in EXAMPLES if e == edition]
    assert len(results) >= 8
    for model in guide.models:
        reached = {r.tier_id for r in results if r.model == model.id}
        assert reached >= {t.id for t in model.tiers} | {None}, model.id
    statuses = {c.status for r in results for c in r.criteria}
    assert {"not_applicable", "missing_zero"} <= statuses or {"not_applicable", "missing_not_applicable"} <= statuses
    # A total that reaches a tier only after rounding.
    assert any(
        r.tier is not None and r.total_exact < r.tier.min <= r.total for r in results
    )


@pytest.mark.parametrize(("edition", "path"), EXAMPLES, ids=lambda x: x if isinstance(x, str) else x.stem)
def test_example_matches_its_stated_outcome(edition: str, path: Path) -> None:
    header = path.read_text(encoding="utf-8")
    model, tier = OUTCOME.search(header).groups()  # type: ignore[union-attr]
    guide = load_guide(edition)
    result = guide.score(load_evidence(path, guide))
    assert result.model == {"on-site": "onsite", "remote": "remote"}[model]
    assert (result.tier.label.en if result.tier else "no tier") == tier
    assert str(result.total) == TOTAL.search(header).group(1)  # type: ignore[union-attr]
    basic = BASIC.search(header)
    if basic:
        assert str(result.basic_attainment) == basic.group(1)


@pytest.mark.parametrize(("edition", "path"), EXAMPLES, ids=lambda x: x if isinstance(x, str) else x.stem)
def test_example_matches_its_golden_result(edition: str, path: Path) -> None:
    golden = HERE / "golden" / edition / f"{path.stem}.json"
    guide = load_guide(edition)
    result = guide.score(load_evidence(path, guide))
    assert golden.is_file(), f"no golden for {path}: run python tests/conformance/make_goldens.py"
    assert golden_text(result) == golden.read_text(encoding="utf-8")


# ---- faithful to the programme (issue 11) ------------------------------------------------

#: The Arabic category labels that the primary sources give in the programme's own words
#: (shared/sources 004_… for the on-site categories, 001_… for the survey and the remote ones).
PUBLISHED_LABELS = {
    "onsite": {
        "access": "سهولة الوصول إلى المركز",
        "service": "التميز في توفير الخدمة",
        "environment": "ملاءمة بيئة المركز",
        "customers": "سلاسة إدارة العملاء",
        "admin": "فاعلية العمليات الإدارية",
        "survey": "استطلاع آراء العملاء",
    },
    "remote": {
        "design": "تصميم تجربة العملاء",
        "communication": "فاعلية عملية التواصل",
        "efficiency": "كفاءة خدمة العملاء",
    },
}


@pytest.mark.parametrize("edition", EDITIONS)
def test_arabic_labels_use_the_programmes_wording(edition: str) -> None:
    guide = load_guide(edition)
    for model in guide.models:
        for cat in model.categories:
            assert cat.label.ar == PUBLISHED_LABELS[model.id][cat.id], (model.id, cat.id)
    # The sources say العملاء for customers, never المتعاملين.
    assert "متعامل" not in json.dumps(guide.to_canonical(), ensure_ascii=False)


@pytest.mark.parametrize(("edition", "path"), EXAMPLES, ids=lambda x: x if isinstance(x, str) else x.stem)
def test_example_centres_are_evidently_fictional(edition: str, path: Path) -> None:
    guide = load_guide(edition)
    ev = load_evidence(path, guide)
    letter = ev.centre_id.rsplit("-", 1)[-1]
    assert re.fullmatch(rf"EX-{edition}-[A-L]", ev.centre_id)
    assert ev.name("en").startswith("Example ") and ev.name("en").endswith(f" {letter}")
    assert "المثال" in ev.name("ar")
    assert path.stem.endswith(f"-{letter.lower()}")


@pytest.mark.parametrize("edition", EDITIONS)
def test_readme_states_the_current_fingerprint(edition: str) -> None:
    """A change of labels or provenance changes the fingerprint: the README says which."""
    readme = (criteria_root() / edition / "README.md").read_text(encoding="utf-8")
    assert f"**Fingerprint** `{load_guide(edition).fingerprint}`" in readme


# ---- test cases, coverage and directions (issue 14) -----------------------------------------

#: The inputs of each edition that declare no `better:` — each for the reason its README gives.
UNDECLARED = {
    "2019": {"has_parking_area", "serves_walk_in", "sla_service_minutes", "survey_responses"},
    "2023": {"has_parking_area", "serves_walk_in", "sla_service_minutes", "tawasul_cases", "survey_overall_answers",
             "survey_staff_answers", "survey_time_answers", "survey_environment_answers",
             "survey_information_answers"},
}
UNDECLARED["2024"] = UNDECLARED["2023"]


@pytest.mark.parametrize("edition", EDITIONS)
def test_every_input_with_a_clear_direction_declares_it(edition: str) -> None:
    guide = load_guide(edition)
    assert {i.id for i in guide.inputs if i.better is None} == UNDECLARED[edition]
    lower = {i.id for i in guide.inputs if i.better == "lower"}
    assert lower <= {"bus_stop_distance_m", "ms_waiting_minutes", "ms_service_minutes", "tawasul_avg_close_days",
                     "ivr_steps_to_agent", "social_media_response_hours", "hotline_answer_seconds",
                     "abandonment_pct", "chat_wait_minutes"}
    assert "ms_waiting_minutes" in lower


@pytest.mark.parametrize("edition", EDITIONS)
def test_the_bundled_cases_pass(edition: str) -> None:
    from taqyeem_rules import load_cases, run_cases
    from taqyeem_rules.guide.cases import cases_folder

    guide = load_guide(edition)
    report = run_cases(guide, load_cases([cases_folder(edition)], guide))
    assert report.ok, [m.to_dict() for o in report.outcomes for m in o.mismatches]
    examples = sorted(p.stem for e, p in EXAMPLES if e == edition)
    assert sorted(o.case.name for o in report.outcomes) == examples
    # Each case states every criterion of its model, and the headline numbers.
    for o in report.outcomes:
        whats = {e.what for e in o.case.expects}
        assert {"total", "total_exact", "tier", "basic_attainment", "flag", "category", "criterion.points"} <= whats
        stated = {e.id for e in o.case.expects if e.what == "criterion.points"}
        assert stated == {c.id for c in guide.model(o.case.model).criteria()}  # type: ignore[union-attr]


@pytest.mark.parametrize(("edition", "path"), EXAMPLES, ids=lambda x: x if isinstance(x, str) else x.stem)
def test_case_file_is_what_make_goldens_writes(edition: str, path: Path) -> None:
    from .make_goldens import case_text

    guide = load_guide(edition)
    case = criteria_root() / edition / "tests" / f"{path.stem}.yaml"
    assert case.is_file(), f"no case for {path}: run python tests/conformance/make_goldens.py"
    expected = case_text(edition, path.stem, path.read_text(encoding="utf-8"), guide.score(load_evidence(path, guide)))
    assert case.read_text(encoding="utf-8") == expected


@pytest.mark.parametrize("edition", EDITIONS)
def test_readme_shows_the_current_coverage(edition: str) -> None:
    from .make_goldens import coverage_block

    readme = (criteria_root() / edition / "README.md").read_text(encoding="utf-8")
    assert coverage_block(edition) in readme


@pytest.mark.parametrize("edition", EDITIONS)
def test_verify_finds_nothing_in_the_bundled_edition(edition: str) -> None:
    """A few examples each (the default run, 100 per property, is in benchmarks/bench_verify.py)."""
    from taqyeem_rules import verify

    report = verify(load_guide(edition), max_examples=4)
    assert report.ok, [f.to_dict() for f in report.findings]
    assert {r.property for r in report.runs} == {"tiers", "rows", "scoring", "ranges", "weights", "order",
                                                 "monotonicity"}
