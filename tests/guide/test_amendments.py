"""Amended editions: materialisation, every operation, and errors that name the amendment."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shared import C1, FIXTURES, MINI, MINI_AMENDED
from taqyeem_rules import AmendmentError, GuideError, load_evidences, load_guide
from taqyeem_rules.guide.amend import OPERATIONS, apply_amendments


def amend(guide: Any, op: str, body: dict[str, Any], ident: str = "T1") -> Any:
    return apply_amendments(guide, [{"id": ident, "rationale": "test", op: body}])


# ---- the bundled 2024 edition -------------------------------------------------------------


def test_2024_is_2023_plus_amendments_with_the_complete_files_fingerprint() -> None:
    amended = load_guide("2024")
    complete = load_guide(FIXTURES / "guide-2024-complete")
    assert amended.extends == "2023"
    assert [a["id"] for a in amended.amendments] == [f"A{k}" for k in range(1, 12)]
    assert all(a["rationale"].strip() for a in amended.amendments)
    assert amended.fingerprint == complete.fingerprint
    assert amended.to_canonical() == complete.to_canonical()


def test_2024_examples_score_the_same_under_both_forms() -> None:
    amended = load_guide("2024")
    complete = load_guide(FIXTURES / "guide-2024-complete")
    evidences = load_evidences([Path("criteria/2024/examples")], amended)
    for ev in evidences:
        a, b = amended.score(ev), complete.score(ev)
        assert a.to_dict() == b.to_dict()


def test_amended_elements_point_into_the_amending_file() -> None:
    g = load_guide(MINI_AMENDED)
    added = g.criterion("courtesy_level")
    base = g.criterion("waiting")
    assert added is not None and base is not None
    assert added[2].span.file.endswith("mini-amended/guide.yaml")
    assert base[2].span.file.endswith("mini/guide.yaml")
    assert base[2].label.en == "Waiting time before service"
    assert [t.id for t in g.model("onsite").tiers] == ["platinum", "gold"]
    assert [c.id for c in g.model("onsite").category("service").criteria] == [
        "waiting", "courtesy_level", "satisfaction_level", "tawasul"
    ]
    assert [i.id for i in g.inputs][:2] == ["waiting_minutes", "courtesy"]
    assert [c.weight for c in g.model("onsite").categories] == [Decimal(30), Decimal(70)]


# ---- operations -------------------------------------------------------------------------------


def test_every_documented_operation_is_implemented() -> None:
    from taqyeem_rules.guide.amend import _Applier
    from taqyeem_rules.guide.schema import guide_schema

    schema_ops = {k for k in guide_schema()["definitions"]["amendment"]["properties"] if k not in ("id", "rationale")}
    assert schema_ops == set(OPERATIONS)
    assert all(callable(getattr(_Applier, op, None)) for op in OPERATIONS)


def test_reweight_criterion_and_change_tier(mini_guide: Any) -> None:
    g = amend(mini_guide, "reweight_criterion", {"id": "tawasul", "weight": 3})
    assert g.criterion("tawasul")[2].weight == 3
    g = amend(g, "change_tier", {"model": "onsite", "id": "gold", "set": {"min": 88, "require": None}})
    gold = g.model("onsite").tiers[0]
    assert (gold.min, gold.require) == (Decimal(88), None)
    assert mini_guide.model("onsite").tiers[0].min == 90  # the base is untouched


def test_move_criterion_to_another_category(mini_guide: Any) -> None:
    g = amend(mini_guide, "move_criterion", {"id": "tawasul", "category": "access", "before": "parking_close"})
    assert [c.id for c in g.model("onsite").category("access").criteria] == [
        "facilities_score", "tawasul", "parking_close"
    ]
    assert "tawasul" not in [c.id for c in g.model("onsite").category("service").criteria]


def test_add_and_remove_category_with_weights(mini_guide: Any) -> None:
    category = {
        "id": "survey",
        "label": {"en": "Survey", "ar": "الاستبيان"},
        "weight": 20,
        "criteria": [
            {"id": "survey_score", "label": {"en": "Survey", "ar": "الاستبيان"}, "weight": 1,
             "score": "if satisfaction = null then 0 else satisfaction / 25"}
        ],
    }
    g = amend(mini_guide, "add_category", {"model": "onsite", "category": category, "after": "access",
                                       "weights": {"access": 30, "service": 50}})
    assert [(c.id, c.weight) for c in g.model("onsite").categories] == [
        ("access", 30), ("survey", 20), ("service", 50)
    ]
    h = amend(g, "remove_category", {"model": "onsite", "id": "survey", "weights": {"access": 40, "service": 60}})
    assert h.fingerprint == mini_guide.fingerprint


def test_change_input_and_relabel_item(mini_guide: Any) -> None:
    g = amend(mini_guide, "change_input", {"id": "waiting_minutes", "set": {"range": [0, 180], "unit": "min"}})
    inp = g.input("waiting_minutes")
    assert inp.range == (Decimal(0), Decimal(180))
    assert inp.unit == "min"
    g = amend(g, "relabel", {"input": "facilities", "item": "ramp",
                             "label": {"en": "Wheelchair ramp", "ar": "منحدر للكراسي المتحركة"}})
    assert g.input("facilities").items[1].label.en == "Wheelchair ramp"


def test_numbers_points_flags_and_models(mini_guide: Any) -> None:
    g = amend(mini_guide, "change_numbers", {"set": {"report": {"scale": 1, "rounding": "half_even"}}})
    assert (g.numbers.report_scale, g.numbers.report_rounding) == (1, "half_even")
    g = amend(g, "change_flag", {"model": "onsite", "id": "improvement_plan", "set": {"when": "total < 70"}})
    assert g.model("onsite").flags[0].when.canonical == "total < 70"
    g = amend(g, "remove_flag", {"model": "onsite", "id": "improvement_plan"})
    assert g.model("onsite").flags == ()


def test_null_in_numbers_and_points_resets_or_is_refused(mini_guide: Any) -> None:
    """`null` removes a field, as in change_input: an optional one goes back to its
    default, a required one is an AmendmentError — never a crash or a broken guide."""
    changed = amend(mini_guide, "change_numbers", {"set": {"precision": 20}})
    g = amend(changed, "change_numbers", {"set": {"precision": None, "rounding": None}})
    assert (g.numbers.precision, g.numbers.rounding) == (34, "half_even")
    assert g.score(load_evidences([C1], g)[0]).total == Decimal("85.83")
    g = amend(mini_guide, "change_numbers", {"set": {"report": None}})  # optional: its default
    assert (g.numbers.report_scale, g.numbers.report_rounding) == (2, "half_up")
    for body in ({"set": {"min": None}}, {"set": {"levels": None, "max": None}}):
        with pytest.raises(AmendmentError) as info:
            amend(mini_guide, "change_points", body)
        assert info.value.primary.code == "amendment.schema"


def test_order_operations(mini_guide: Any) -> None:
    g = amend(mini_guide, "move_input", {"id": "satisfaction", "before": "waiting_minutes"})
    assert g.inputs[0].id == "satisfaction"
    g = amend(mini_guide, "move_category", {"model": "onsite", "id": "service", "before": "access"})
    assert [c.id for c in g.model("onsite").categories] == ["service", "access"]
    assert g.fingerprint != mini_guide.fingerprint


# ---- errors -------------------------------------------------------------------------------------


def test_moving_silver_above_gold_makes_gold_unreachable(mini_guide: Any) -> None:
    with pytest.raises(AmendmentError) as info:
        amend(mini_guide, "move_tier", {"model": "onsite", "id": "silver", "before": "gold"})
    codes = {d.code for d in info.value.diagnostics}
    assert info.value.code == "amendment.check"
    assert "guide.tier-unreachable" in codes
    assert info.value.message.endswith("tier `gold` can never be awarded: every centre that reaches it "
                                       "already gets `silver` (min 80) listed before it")


def test_unknown_id_with_suggestion(mini_guide: Any) -> None:
    with pytest.raises(AmendmentError) as info:
        amend(mini_guide, "remove_criterion", {"id": "waitng"})
    assert info.value.code == "amendment.unknown-id"
    assert info.value.message == "amendment `T1` cannot apply: there is no criterion `waitng`"
    assert info.value.hint == "did you mean `waiting`?"


def test_reweight_that_breaks_the_sum_is_rejected_and_one_that_keeps_it_accepted(mini_guide: Any) -> None:
    before = mini_guide.fingerprint
    with pytest.raises(AmendmentError) as info:
        amend(mini_guide, "reweight_categories", {"model": "onsite", "weights": {"access": 45}})
    assert info.value.message == (
        "amendment `T1` (reweight_categories) cannot apply: "
        "the category weights of model `onsite` sum to 105, not 100"
    )
    assert "guide.weights" in {d.code for d in info.value.diagnostics}
    assert mini_guide.fingerprint == before
    ok = amend(mini_guide, "reweight_categories", {"model": "onsite", "weights": {"access": 45, "service": 55}})
    assert [c.weight for c in ok.model("onsite").categories] == [45, 55]


def test_removing_an_input_still_read_names_the_reader(mini_guide: Any) -> None:
    with pytest.raises(AmendmentError) as info:
        amend(mini_guide, "remove_input", {"id": "satisfaction"})
    readers = [d for d in info.value.diagnostics if d.code == "name.unknown"]
    assert readers
    assert readers[0].message == "unknown name `satisfaction`"
    assert readers[0].span.file.endswith("mini/guide.yaml")


def test_several_operations_in_one_amendment(mini_guide: Any) -> None:
    with pytest.raises(AmendmentError) as info:
        apply_amendments(mini_guide, [{"id": "X", "rationale": "r", "remove_tier": {"model": "onsite", "id": "silver"},
                                 "remove_flag": {"model": "onsite", "id": "improvement_plan"}}])
    assert info.value.code == "amendment.operation"
    assert "has several operations (remove_tier, remove_flag)" in info.value.message


def test_misspelt_operation(mini_guide: Any) -> None:
    with pytest.raises(AmendmentError) as info:
        apply_amendments(mini_guide, [{"id": "X", "rationale": "r", "remove_critrion": {"id": "waiting"}}])
    d = info.value.primary
    assert d.code == "amendment.unknown-key"
    assert d.hint == "did you mean `remove_criterion`?"


def test_emptying_a_category_is_refused(mini_guide: Any) -> None:
    g = amend(mini_guide, "remove_criterion", {"id": "parking_close"})
    with pytest.raises(AmendmentError) as info:
        amend(g, "remove_criterion", {"id": "facilities_score"})
    assert info.value.code == "amendment.empty-category"


def _write(tmp: Path, name: str, text: str) -> Path:
    folder = tmp / name
    folder.mkdir()
    (folder / "guide.yaml").write_text(text, encoding="utf-8")
    return folder


HEADER = """format: taqyeem-guide/1
edition: "{edition}"
extends: "{base}"
title: {{en: "T", ar: "ت"}}
effective: {{from: "2025-01-01"}}
provenance: {{status: illustrative, sources: [{{title: "test"}}]}}
"""


def test_error_points_at_the_amendments_line(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(MINI, tmp_path / "mini")
    text = HEADER.format(edition="x", base="mini") + """amendments:
  - id: A1
    rationale: "fine"
    reweight_criterion: {id: tawasul, weight: 2}
  - id: A2
    rationale: "breaks the sum"
    reweight_categories: {model: onsite, weights: {service: 70}}
"""
    folder = _write(tmp_path, "x", text)
    with pytest.raises(AmendmentError) as info:
        load_guide(folder)
    span = info.value.span
    assert (span.line, span.col) == (13, 26)
    assert span.file.endswith("x/guide.yaml")
    assert str(info.value).splitlines()[1].strip().startswith("13 |     reweight_categories:")


def test_extends_cycle_and_missing_base(tmp_path: Path) -> None:
    a = _write(tmp_path, "a", HEADER.format(edition="a", base="b") + "amendments: []\n")
    _write(tmp_path, "b", HEADER.format(edition="b", base="a") + "amendments: []\n")
    with pytest.raises(AmendmentError) as info:
        load_guide(a)
    assert info.value.code == "amendment.cycle"
    c = _write(tmp_path, "c", HEADER.format(edition="c", base="nowhere") + "amendments: []\n")
    with pytest.raises(AmendmentError) as info:
        load_guide(c)
    assert info.value.code == "amendment.base"
    assert (info.value.span.line, info.value.span.col) == (3, 10)


def test_amended_edition_cannot_bring_its_own_models(tmp_path: Path) -> None:
    text = HEADER.format(edition="d", base="2023") + "amendments: []\nmodels: {}\n"
    folder = _write(tmp_path, "d", text)
    with pytest.raises(GuideError) as info:
        load_guide(folder)
    assert info.value.primary.message == "an amended edition (`extends`) cannot have its own `models`"
    assert (info.value.span.line, info.value.span.col) == (8, 1)
