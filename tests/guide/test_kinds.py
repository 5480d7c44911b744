"""The built-in criterion kinds: expression and bands (and their shorthands), survey,
tawasul and assessors — exact scores, N/A, explanations, evidence rules with positions,
checks of their params, their data form, records, CSV, and the shipped schema."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import taqyeem_rules
from shared import FIXTURES, MINI_YAML
from taqyeem_rules import (
    Evidence,
    EvidenceError,
    Guide,
    GuideError,
    load_evidence,
    load_guide,
    record_cycle,
    replay,
)
from taqyeem_rules.guide.amend import apply_amendments
from taqyeem_rules.guide.loader import guide_from_canonical

HERE = Path(__file__).resolve().parent
KINDS = FIXTURES / "kinds"

D = Decimal


@pytest.fixture(scope="module")
def kinds_guide() -> taqyeem_rules.Guide:
    return load_guide(KINDS)


def _evidence(**inputs: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "waiting_minutes": 12,
        "survey_answers": {"very_dissatisfied": 2, "dissatisfied": 3, "neutral": 10, "satisfied": 40,
                           "very_satisfied": 45},
        "tawasul_cases": {"received": 40, "replied": 38, "replied_in_time": 37, "closed": 35, "satisfied": 32},
        "cleanliness_ratings": [{"assessor": "A", "rating": 3}, {"assessor": "B", "rating": 4},
                                {"assessor": "C", "rating": 2}],
    }
    base.update(inputs)
    return {"centre": {"id": "K-9"}, "model": "onsite", "inputs": {k: v for k, v in base.items() if v is not None}}


# ---- shorthands and the kind: form -------------------------------------------------------


def test_kind_forms_of_the_builtins_mean_the_same_as_their_shorthands(
        tmp_path: Path, mini_guide: Guide, c1_evidence: Evidence) -> None:
    text = MINI_YAML.read_text("utf-8")
    long = text.replace(
        '            score: "checked(facilities)"\n',
        '            kind: expression\n            params: {score: "checked(facilities)"}\n',
    ).replace(
        "            bands:\n              on: waiting_minutes\n              hit: first\n              rows:\n",
        "            kind: bands\n            params:\n              on: waiting_minutes\n              hit: first\n"
        "              rows:\n",
    )
    assert long.count("kind:") == 2
    path = tmp_path / "guide.yaml"
    path.write_text(long, encoding="utf-8")
    short, written_long = mini_guide, load_guide(path)
    assert written_long.fingerprint == short.fingerprint
    assert written_long.to_canonical() == short.to_canonical()
    assert written_long.score(c1_evidence).to_dict() == short.score(c1_evidence).to_dict()


# ---- the kinds' scores, exactly ----------------------------------------------------------


def test_each_kind_scores_the_fixture_exactly(kinds_guide: taqyeem_rules.Guide) -> None:
    r = kinds_guide.score(load_evidence(KINDS / "k1.yaml", kinds_guide))
    by = {c.id: c for c in r.criteria}
    # survey: values 1..5; Σ n(v−1) = 3 + 20 + 120 + 180 = 323 of 4 × 100 → index 80.75
    survey = by["survey_overall"]
    assert survey.form == "survey" and survey.points == 3 and survey.row == 2
    assert survey.detail["responses"] == 100 and survey.detail["index"] == D("80.75")
    assert survey.detail["margin_of_error"] == D("4.396781536395443742570612465068542")
    # tawasul: 37/40 on time = 92.5 %, 32/38 satisfied = 84.2… % → row 1, 4 points
    t = by["tawasul_response"]
    assert (t.points, t.row) == (4, 1)
    assert t.detail["on_time_rate"] == D("92.5") and t.detail["reply_days"] == 5
    assert t.detail["satisfaction_rate"] == D("84.21052631578947368421052631578947")
    # assessors: median of 3, 4, 2 is 3; spread 2 > 1 → disagreement
    a = by["cleanliness"]
    assert a.points == 3 and a.detail["disagreement"] is True and a.detail["spread"] == 2
    assert [x["assessor"] for x in a.detail["ratings"]] == ["A", "B", "C"]
    assert (str(r.total), str(r.basic_attainment)) == ("72.29", "64.29")


def test_a_survey_below_its_minimum_is_not_applicable(kinds_guide: taqyeem_rules.Guide) -> None:
    few = {"very_dissatisfied": 0, "dissatisfied": 1, "neutral": 2, "satisfied": 3, "very_satisfied": 3}
    r = kinds_guide.score(_evidence(survey_answers=few))
    c = r.criterion("survey_overall")
    assert c.status == "not_applicable" and c.points is None and c.detail["responses"] == 9
    assert "9 responses, fewer than the 10 required: not applicable" in r.explain()
    assert "9 استجابة، أقل من الحد الأدنى 10: لا ينطبق" in r.explain("ar")
    nobody = dict.fromkeys(few, 0)
    assert kinds_guide.score(_evidence(survey_answers=nobody)).criterion("survey_overall").status == "not_applicable"


def test_tawasul_without_cases_is_not_applicable(kinds_guide: taqyeem_rules.Guide) -> None:
    zero = {"received": 0, "replied": 0, "replied_in_time": 0, "closed": 0, "satisfied": 0}
    r = kinds_guide.score(_evidence(tawasul_cases=zero))
    assert r.criterion("tawasul_response").status == "not_applicable"
    assert "no Tawasul case received: not applicable" in r.explain()
    # nothing replied: satisfaction is 0 (documented), not a division by zero
    none_replied = {"received": 5, "replied": 0, "replied_in_time": 0, "closed": 0, "satisfied": 0}
    c = kinds_guide.score(_evidence(tawasul_cases=none_replied)).criterion("tawasul_response")
    assert c.detail["satisfaction_rate"] == 0 and c.points == 0


@pytest.mark.parametrize(
    ("ratings", "consensus", "disagreement"),
    [([4, 2], D(3), True), ([3, 3, 4, 4], D("3.5"), False), ([1], D(1), False), ([4, 3, 2, 1, 0], D(2), True)],
)
def test_assessors_median_of_an_even_count_is_the_mean_of_the_middle_two(
    kinds_guide: taqyeem_rules.Guide, ratings: list[int], consensus: Decimal, disagreement: bool
) -> None:
    given = [{"assessor": f"A{k}", "rating": v} for k, v in enumerate(ratings)]
    c = kinds_guide.score(_evidence(cleanliness_ratings=given)).criterion("cleanliness")
    assert c.points == consensus and c.detail["disagreement"] is disagreement


# ---- evidence rules ------------------------------------------------------------------------


def _evidence_error(tmp_path: Path, guide: taqyeem_rules.Guide, old: str, new: str) -> Any:
    text = (KINDS / "k1.yaml").read_text("utf-8")
    assert old in text
    path = tmp_path / "k.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        load_evidence(path, guide)
    return info.value.diagnostics


def test_replies_cannot_outnumber_cases(tmp_path: Path, kinds_guide: taqyeem_rules.Guide) -> None:
    (d,) = _evidence_error(tmp_path, kinds_guide, "replied: 38,", "replied: 41,")
    assert d.code == "evidence.inconsistent"
    assert d.message == "`tawasul_cases.replied` is 41, more than `tawasul_cases.received` (40)"
    assert (d.span.line, d.span.col) == (7, 18)


def test_counts_are_whole_numbers_of_zero_or_more(tmp_path: Path, kinds_guide: taqyeem_rules.Guide) -> None:
    (d,) = _evidence_error(tmp_path, kinds_guide, "neutral: 10,", "neutral: -1,")
    assert d.code == "evidence.range"
    assert d.message == "inputs.survey_answers.neutral must be at least 0, not -1"
    assert (d.span.line, d.span.col) == (6, 68)
    (d,) = _evidence_error(tmp_path, kinds_guide, "neutral: 10,", "neutral: 2.5,")
    assert d.code == "evidence.type" and "whole number" in d.message


def test_an_assessor_rating_has_only_assessor_and_rating(tmp_path: Path, kinds_guide: taqyeem_rules.Guide) -> None:
    (d,) = _evidence_error(tmp_path, kinds_guide, "{assessor: B, rating: 4}", "{assessor: B, rating: 4, mood: 1}")
    assert d.code == "evidence.unknown-key" and "`mood`" in d.message
    assert (d.span.line, d.span.col) == (10, 32)
    (d,) = _evidence_error(tmp_path, kinds_guide, "{assessor: C, rating: 2}", "{assessor: A, rating: 2}")
    assert d.code == "evidence.inconsistent"
    assert d.message == "assessor `A` rates `cleanliness_ratings` twice"
    assert d.span.line == 8


# ---- checks of the params -------------------------------------------------------------------


def _guide_errors(tmp_path: Path, old: str, new: str) -> list[Any]:
    text = (KINDS / "guide.yaml").read_text("utf-8")
    assert old in text, old
    path = tmp_path / "guide.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    with pytest.raises(GuideError) as info:
        load_guide(path)
    return list(info.value.diagnostics)


def test_a_survey_reads_a_counts_input(tmp_path: Path) -> None:
    found = _guide_errors(tmp_path, "answers: survey_answers", "answers: waiting_minutes")
    (d,) = [d for d in found if d.code == "type.input"]
    assert d.message == (
        "criterion `survey_overall`: the survey's answers `waiting_minutes` is a number input; it must be counts"
    )
    assert (d.span.line, d.span.col) == (84, 24)
    found = _guide_errors(tmp_path, "answers: survey_answers", "answers: survey_answer")
    (d,) = [d for d in found if d.code == "name.unknown"]
    assert d.hint == "did you mean `survey_answers`?"


def test_a_survey_table_is_checked_over_the_whole_index(tmp_path: Path) -> None:
    found = _guide_errors(tmp_path, '- {when: "< 50", points: 0}', '- {when: "< 40", points: 0}')
    (d,) = [d for d in found if d.code == "guide.table-gap"]
    assert "index in [40..50)" in d.message


def test_tawasul_cases_must_have_the_five_counts(tmp_path: Path) -> None:
    found = _guide_errors(tmp_path, '      - {id: closed, label: {en: "Closed", ar: "المغلقة"}}\n', "")
    (d,) = [d for d in found if d.code == "guide.tawasul-cases"]
    assert "received, replied, replied_in_time, closed, satisfied" in d.message
    assert (d.span.line, d.span.col) == (96, 22)


def test_a_kinds_params_are_checked_by_its_schema(tmp_path: Path) -> None:
    found = _guide_errors(tmp_path, "min_responses: 10", 'min_responses: "ten"')
    (d,) = found
    assert d.code == "guide.type"
    assert d.message.startswith("models.onsite.categories[1].criteria[0].params.min_responses must be a whole number")
    assert (d.span.line, d.span.col) == (85, 30)


def test_assessors_points_stay_on_the_scale(tmp_path: Path) -> None:
    found = _guide_errors(tmp_path, "    range: [0, 4]\n    min_items: 1", "    range: [0, 5]\n    min_items: 1")
    (d,) = [d for d in found if d.code == "guide.points-range"]
    assert "`cleanliness_ratings` is not bounded within the scale 0 to 4" in d.message


# ---- data forms, records, CSV ----------------------------------------------------------------


def test_the_detail_is_in_result_format_2_only(kinds_guide: taqyeem_rules.Guide) -> None:
    r = kinds_guide.score(load_evidence(KINDS / "k1.yaml", kinds_guide))
    v2 = {c["id"]: c for c in r.to_dict()["criteria"]}
    v1 = {c["id"]: c for c in r.to_dict(format=1)["criteria"]}
    assert "detail" in v2["survey_overall"] and "detail" not in v1["survey_overall"]
    assert "detail" not in v2["waiting"] and v2["waiting"]["row"] == 2
    assert {k: v for k, v in v2["survey_overall"].items() if k != "detail"} == v1["survey_overall"]
    assert list(v2["survey_overall"]) == sorted(v2["survey_overall"])
    v3 = r.to_dict(format=3)
    assert (v3["format"], v3["guide_status"]) == ("taqyeem-result/3", "illustrative")
    assert {k: v for k, v in v3.items() if k not in ("format", "guide_status")} == r.to_dict(format=2)
    assert "format" not in r.to_dict(format=2) and list(v3) == sorted(v3)
    with pytest.raises(ValueError, match="unknown result format 4"):
        r.to_dict(format=4)


def test_a_record_of_the_new_kinds_replays_and_names_an_altered_detail(
    tmp_path: Path, kinds_guide: taqyeem_rules.Guide
) -> None:
    out = tmp_path / "cycle.json"
    record_cycle(kinds_guide, [load_evidence(KINDS / "k1.yaml", kinds_guide)], cycle="Kinds", path=out)
    text = out.read_text("utf-8")
    assert text.startswith('{"format":"taqyeem-record/3",')
    assert replay(out).ok
    altered = text.replace('"index":"80.75"', '"index":"80.76"')
    assert altered != text
    out.write_text(altered, encoding="utf-8")
    report = replay(out)
    assert not report.ok
    assert any("detail.index" in (d.path or "") for d in report.differences)


def test_counts_and_ratings_come_from_csv_cells(tmp_path: Path, kinds_guide: taqyeem_rules.Guide) -> None:
    header = ["centre_id", "model", "waiting_minutes"]
    header += [f"survey_answers.{k}" for k in ("very_dissatisfied", "dissatisfied", "neutral", "satisfied",
                                                "very_satisfied")]
    header += [f"tawasul_cases.{k}" for k in ("received", "replied", "replied_in_time", "closed", "satisfied")]
    header += ["cleanliness_ratings"]
    row = ["K-01", "onsite", "12", "2", "3", "10", "40", "45", "40", "38", "37", "35", "32", "A:3;B:4;C:2"]
    path = tmp_path / "k.csv"
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n", encoding="utf-8")
    (ev,) = taqyeem_rules.load_evidences([path], kinds_guide)
    same = load_evidence(KINDS / "k1.yaml", kinds_guide)
    assert ev.inputs == same.inputs
    assert kinds_guide.score(ev).total == kinds_guide.score(same).total
    path.write_text(",".join(header) + "\n" + ",".join([*row[:-1], "A3"]) + "\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        taqyeem_rules.load_evidences([path], kinds_guide)
    (d,) = info.value.diagnostics
    assert "'A3' is not assessor:rating" in d.message and d.span.col == len(",".join(row[:-1])) + 2


# ---- the shipped schema, the check memo ---------------------------------------------------


def test_the_shipped_schema_is_assembled_from_the_builtin_kinds() -> None:
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_schema", HERE / "make_schema.py")
    module = importlib.util.module_from_spec(spec)  # type: ignore[arg-type]
    spec.loader.exec_module(module)  # type: ignore[union-attr]
    assert module.FILE.read_text("utf-8") == module.schema_text(), "run python tests/guide/make_schema.py"
    schema = json.loads(module.FILE.read_text("utf-8"))
    kinds = [b["if"]["properties"]["kind"]["const"] for b in schema["definitions"]["criterion"]["allOf"]]
    assert kinds == ["assessors", "bands", "expression", "survey", "tawasul"]


def test_a_refused_amendment_leaves_no_trace_in_the_check_memo(kinds_guide: taqyeem_rules.Guide) -> None:
    """Kinds check their own names in scopes made as they go; a freed scope's id must never
    stand for another scope (found by the diff property: a flag then failed to check)."""
    flag = {"id": "F", "rationale": "r", "add_flag": {"model": "onsite", "flag": {
        "id": "f", "label": {"en": "F", "ar": "ف"}, "when": "criteria.cleanliness = null"}}}
    g = apply_amendments(kinds_guide, [flag])
    add = [{"id": "I", "rationale": "r", "add_input": {"input": {
        "id": "spare", "type": "number", "source": "field_visit", "label": {"en": "x", "ar": "س"}}}}]
    h = apply_amendments(g, add)
    with pytest.raises(taqyeem_rules.AmendmentError):
        apply_amendments(h, [{"id": "R", "rationale": "r", "remove_criterion": {"id": "cleanliness"}}])
    assert apply_amendments(g, add).fingerprint == h.fingerprint


# ---- properties over generated guides ----------------------------------------------------


@settings(max_examples=30, deadline=None)
@given(data=st.data())
def test_the_canonical_form_reads_back_to_the_same_guide(data: st.DataObject) -> None:
    from tests.engine.engine_strategies import guide_specs, load_spec

    spec = data.draw(guide_specs())
    guide = load_spec(spec.data)
    again = guide_from_canonical(json.loads(guide.canonical_json(), parse_float=Decimal))
    assert again.fingerprint == guide.fingerprint
    assert again == guide


# ---- what an amendment may change -----------------------------------------------------------


def _change(guide: taqyeem_rules.Guide, cid: str, params: dict[str, Any]) -> taqyeem_rules.Guide:
    return apply_amendments(guide, [{"id": "C1", "rationale": "r", "change_criterion": {"id": cid, "params": params}}])


def test_change_criterion_sets_the_params_a_kind_allows(kinds_guide: taqyeem_rules.Guide) -> None:
    g = _change(kinds_guide, "survey_overall", {"min_responses": 200, "confidence": None})
    p = g.criterion("survey_overall")[2].params
    assert (p.min_responses, p.confidence, p.answers) == (200, None, "survey_answers")
    ev = load_evidence(KINDS / "k1.yaml", g)
    assert g.score(ev).criterion("survey_overall").status == "not_applicable"  # 100 < 200
    g = _change(kinds_guide, "waiting", {"rows": [{"when": "-", "points": 1}]})
    assert g.score(ev).criterion("waiting").points == 1
    g = _change(kinds_guide, "cleanliness", {"consensus": "mean"})
    assert g.score(ev).criterion("cleanliness").points == 3  # (3 + 4 + 2) / 3
    assert g.criterion("cleanliness")[2].label == kinds_guide.criterion("cleanliness")[2].label


def test_change_criterion_refuses_what_the_kind_does_not_allow(kinds_guide: taqyeem_rules.Guide) -> None:
    with pytest.raises(taqyeem_rules.AmendmentError) as info:
        _change(kinds_guide, "survey_overall", {"answers": "other"})
    d = info.value.primary
    assert d.code == "amendment.not-amendable"
    assert "cannot set `answers` of a `survey` criterion" in d.message
    assert d.hint == (
        "a `survey` criterion's params an amendment may change: min_responses, confidence, values, points, "
        "bands; use replace_criterion to change more"
    )
    with pytest.raises(taqyeem_rules.AmendmentError) as info:
        _change(kinds_guide, "survey_overall", {"min_responses": "many"})
    assert info.value.primary.code == "amendment.schema"
    assert "params.min_responses must be a whole number" in info.value.primary.message


@settings(max_examples=200, deadline=None)
@given(
    values=st.lists(st.decimals(-10, 10, places=1, allow_nan=False, allow_infinity=False), min_size=2, max_size=6,
                    unique=True),
    data=st.data(),
    z=st.sampled_from([None, Decimal("1.645"), Decimal("1.960"), Decimal("2.576")]),
)
def test_survey_statistics_of_a_criterion_are_the_reference_ones(values: list[Decimal], data: st.DataObject,
                                                                  z: Decimal | None) -> None:
    """The compiled form (levels worked out once) gives the reference function's numbers."""
    from taqyeem_rules.dsl.numbers import make_context
    from taqyeem_rules.guide.kinds.survey import survey_statistics, survey_statistics_of

    items = tuple(f"l{k}" for k in range(len(values)))
    counts = data.draw(st.lists(st.integers(0, 10_000).map(Decimal), min_size=len(items), max_size=len(items)))
    answers = dict(zip(items, counts, strict=True))
    for ctx in (make_context(34), make_context(12, "down")):
        compiled = survey_statistics_of(ctx, items, tuple(values), z)
        assert compiled(answers) == survey_statistics(ctx, items, tuple(values), z, answers)
        assert compiled(None) is None
