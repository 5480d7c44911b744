"""Exact edit lists for hand-made pairs of guides: one test per kind of edit.

Each new guide is the mini guide (tests/fixtures/mini) with a few amendments applied,
so the pairs differ in exactly the ways named.
"""

from __future__ import annotations

import json
from decimal import Decimal, localcontext
from typing import Any

from diff_helpers import amend, label

from taqyeem_rules import (
    Added,
    Changed,
    Diff,
    Guide,
    Moved,
    Relabelled,
    Removed,
    Reweighted,
    diff_guides,
)
from taqyeem_rules.dsl import parse
from taqyeem_rules.dsl.numbers import make_context
from taqyeem_rules.dsl.treediff import subtree_changes
from taqyeem_rules.guide.model import Text

D = Decimal


def edits(a: Guide, b: Guide) -> list[Any]:
    return list(diff_guides(a, b).edits)


def t(en: str, ar: str) -> Text:
    return Text(en=en, ar=ar)


# ---- categories and criteria ------------------------------------------------------------------


def test_reweighted_categories(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"reweight_categories": {"model": "onsite", "weights": {"access": 30, "service": 70}}})
    assert edits(mini_guide, new) == [
        Reweighted(what="category", id="access", model="onsite", old=D(40), new=D(30)),
        Reweighted(what="category", id="service", model="onsite", old=D(60), new=D(70)),
    ]


def test_added_input_and_criterion(mini_guide: Guide) -> None:
    new = amend(
        mini_guide,
        {"add_input": {"after": "waiting_minutes", "input": {
            "id": "courtesy", "type": "integer", "range": [1, 5], "source": "mystery_shopper",
            "label": label("Staff courtesy", "لباقة الموظفين")}}},
        {"add_criterion": {"model": "onsite", "category": "service", "after": "waiting", "criterion": {
            "id": "courtesy_level", "label": label("Courtesy", "اللباقة"), "weight": 1, "score": "courtesy - 1"}}},
    )
    assert edits(mini_guide, new) == [
        Added(what="input", id="courtesy", position=1, label=t("Staff courtesy", "لباقة الموظفين")),
        Added(what="criterion", id="courtesy_level", model="onsite", parent="service", position=1,
              label=t("Courtesy", "اللباقة"), weight=D(1)),
    ]


def test_removed_criterion_and_input(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"remove_criterion": {"id": "tawasul"}}, {"remove_input": {"id": "reply_within_deadline"}})
    assert edits(mini_guide, new) == [
        Removed(what="input", id="reply_within_deadline", position=4,
                label=t("Complaints answered within the deadline", "الشكاوى المجاب عليها ضمن المهلة")),
        Removed(what="criterion", id="tawasul", model="onsite", parent="service", position=2,
                label=t("Tawasul replies", "الرد عبر تواصل"), weight=D(1)),
    ]


def test_criterion_moved_to_another_category(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"move_criterion": {"id": "parking_close", "category": "service"}})
    assert edits(mini_guide, new) == [
        Moved(what="criterion", id="parking_close", model="onsite", old_parent="access", new_parent="service",
              old_position=1, new_position=3),
    ]


def test_criterion_moved_to_a_new_position(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"move_criterion": {"id": "tawasul", "before": "waiting"}})
    assert edits(mini_guide, new) == [
        Moved(what="criterion", id="tawasul", model="onsite", old_parent="service", new_parent="service",
              old_position=2, new_position=0),
    ]


def test_insertions_and_removals_are_not_moves(mini_guide: Guide) -> None:
    new = amend(
        mini_guide,
        {"remove_criterion": {"id": "waiting"}},
        {"add_criterion": {"model": "onsite", "category": "service", "before": "satisfaction_level", "criterion": {
            "id": "first", "label": label("First", "الأول"), "weight": 1, "score": "2"}}},
    )
    assert [e.kind for e in edits(mini_guide, new)] == ["removed", "added"]


def test_reweighted_criterion(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"reweight_criterion": {"id": "waiting", "weight": 4}})
    assert edits(mini_guide, new) == [Reweighted(what="criterion", id="waiting", model="onsite", old=D(3), new=D(4))]


def test_expression_change_is_a_change_of_the_tree(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"replace_criterion": {"id": "tawasul", "criterion": {
        "id": "tawasul", "label": label("Tawasul replies", "الرد عبر تواصل"), "weight": 1,
        "score": "round_half_up(reply_within_deadline / 30, 0)"}}})
    assert edits(mini_guide, new) == [
        Changed(what="criterion", id="tawasul", model="onsite", field="score",
                old="round_half_up(reply_within_deadline / 25, 0)",
                new="round_half_up(reply_within_deadline / 30, 0)",
                subtrees=(("25", "30"),)),
    ]


def test_reformatted_expression_is_no_change(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"replace_criterion": {"id": "tawasul", "criterion": {
        "id": "tawasul", "label": label("Tawasul replies", "الرد عبر تواصل"), "weight": D("1.0"),
        "score": "round_half_up( reply_within_deadline/25 ,0 )"}}})
    assert edits(mini_guide, new) == []
    assert new.fingerprint == mini_guide.fingerprint


def test_subtree_changes() -> None:
    assert subtree_changes(parse("a + b"), parse("a+b")) == ()
    assert subtree_changes(parse("clamp(x / 25, 0, 4)"), parse("clamp(x / 20, 0, 4)")) == (("25", "20"),)
    assert subtree_changes(parse("if a then 1 else 2"), parse("if b then 1 else 3")) == (("a", "b"), ("2", "3"))
    # a different construct at the root: the whole tree changed, no finer pairs
    assert subtree_changes(parse("a + b"), parse("a * b")) == ()
    assert subtree_changes(parse("max([a, b])"), parse("max([a, b, c])")) == (("[a, b]", "[a, b, c]"),)


def test_decision_table_row_change(mini_guide: Guide) -> None:
    waiting = mini_guide.criterion("waiting")
    assert waiting is not None
    new = amend(mini_guide, {"replace_criterion": {"id": "waiting", "criterion": {
        "id": "waiting", "label": label("Waiting time", "مدة الانتظار"), "weight": 3, "basic": True,
        "bands": {"on": "waiting_minutes", "rows": [
            {"when": "<= 10", "points": D(4)}, {"when": "(10..20]", "points": D(2)},
            {"when": "(20..30]", "points": D(1)}, {"when": "> 30", "points": D(0)}]}}}})
    assert edits(mini_guide, new) == [
        Changed(what="criterion", id="waiting", model="onsite", field="bands.rows",
                old=("<= 10 → 4", "(10..20] → 3", "(20..30] → 1", "> 30 → 0"),
                new=("<= 10 → 4", "(10..20] → 2", "(20..30] → 1", "> 30 → 0"),
                subtrees=(("row 2: (10..20] → 3", "row 2: (10..20] → 2"),)),
    ]


def test_criterion_fields_change(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"replace_criterion": {"id": "satisfaction_level", "criterion": {
        "id": "satisfaction_level", "label": label("Satisfaction", "الرضا"), "weight": 2, "basic": True,
        "missing": "zero", "applicable": "has_parking_area",
        "bands": {"on": "satisfaction", "hit": "first", "rows": [
            {"when": "[90..100]", "points": D(4)}, {"when": "[75..90)", "points": D(2)},
            {"when": "[0..75)", "points": D(0)}]}}}})
    assert edits(mini_guide, new) == [
        Changed(what="criterion", id="satisfaction_level", model="onsite", field="basic", old=False, new=True),
        Changed(what="criterion", id="satisfaction_level", model="onsite", field="missing",
                old="not_applicable", new="zero"),
        Changed(what="criterion", id="satisfaction_level", model="onsite", field="applicable",
                old=None, new="has_parking_area"),
        Changed(what="criterion", id="satisfaction_level", model="onsite", field="bands.hit",
                old="unique", new="first"),
    ]


def test_score_becomes_a_table(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"replace_criterion": {"id": "tawasul", "criterion": {
        "id": "tawasul", "label": label("Tawasul replies", "الرد عبر تواصل"), "weight": 1,
        "bands": {"on": "reply_within_deadline", "rows": [
            {"when": ">= 90", "points": D(4)}, {"when": "-", "points": D(0)}]}}}})
    assert edits(mini_guide, new) == [
        Changed(what="criterion", id="tawasul", model="onsite", field="score",
                old="round_half_up(reply_within_deadline / 25, 0)", new=None),
        Changed(what="criterion", id="tawasul", model="onsite", field="bands",
                old=None, new=("on reply_within_deadline (hit first)", ">= 90 → 4", "- → 0")),
    ]


# ---- inputs --------------------------------------------------------------------------------


def test_input_fields_change(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"change_input": {"id": "waiting_minutes", "set": {"range": [0, 300], "unit": "min"}}})
    assert edits(mini_guide, new) == [
        Changed(what="input", id="waiting_minutes", field="range", old="[0, 240]", new="[0, 300]"),
        Changed(what="input", id="waiting_minutes", field="unit", old="minutes", new="min"),
    ]


def test_checklist_item_added_and_relabelled(mini_guide: Guide) -> None:
    items = [{"id": i.id, "label": i.label.to_data()} for i in mini_guide.input("facilities").items]  # type: ignore[union-attr]
    items[0]["label"] = label("Car park", "موقف سيارات")
    items.append({"id": "lift", "label": label("Lift", "مصعد")})
    new = amend(mini_guide, {"change_input": {"id": "facilities", "set": {"items": items}}})
    assert edits(mini_guide, new) == [
        Relabelled(what="item", id="facilities.parking", old=t("Parking", "مواقف"), new=t("Car park", "موقف سيارات")),
        Added(what="item", id="facilities.lift", parent="facilities", position=4, label=t("Lift", "مصعد")),
    ]


def test_input_moved(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"move_input": {"id": "satisfaction", "before": "waiting_minutes"}})
    assert edits(mini_guide, new) == [Moved(what="input", id="satisfaction", old_position=3, new_position=0)]


# ---- labels ------------------------------------------------------------------------------------


def test_relabelled_everything(mini_guide: Guide) -> None:
    new = amend(
        mini_guide,
        {"relabel": {"criterion": "waiting", "label": label("Waiting before service", "الانتظار قبل الخدمة")}},
        {"relabel": {"model": "onsite", "category": "access", "label": label("Access", "الوصول")}},
        {"relabel": {"input": "has_parking_area", "label": label("Parking area", "موقف")}},
        {"relabel": {"model": "onsite", "tier": "gold", "label": label("Gold class", "الفئة الذهبية")}},
        {"relabel": {"model": "onsite", "label": label("On-site", "المقر")}},
        {"relabel": {"model": "onsite", "flag": "improvement_plan", "label": label("Plan", "خطة")}},
    )
    assert edits(mini_guide, new) == [
        Relabelled(what="input", id="has_parking_area", old=t("Centre has a parking area", "يوجد موقف سيارات"),
                   new=t("Parking area", "موقف")),
        Relabelled(what="model", id="onsite", model="onsite", old=t("On-site centres", "مراكز المقر"),
                   new=t("On-site", "المقر")),
        Relabelled(what="category", id="access", model="onsite", old=t("Ease of access", "سهولة الوصول"),
                   new=t("Access", "الوصول")),
        Relabelled(what="criterion", id="waiting", model="onsite", old=t("Waiting time", "مدة الانتظار"),
                   new=t("Waiting before service", "الانتظار قبل الخدمة")),
        Relabelled(what="tier", id="gold", model="onsite", old=t("Gold", "الفئة الذهبية"),
                   new=t("Gold class", "الفئة الذهبية")),
        Relabelled(what="flag", id="improvement_plan", model="onsite", old=t("Improvement plan", "خطة تحسين"),
                   new=t("Plan", "خطة")),
    ]


# ---- tiers and flags ------------------------------------------------------------------------------

PLATINUM = {"id": "platinum", "label": label("Platinum", "البلاتينية"), "min": 95, "require": "basic_attainment >= 90"}


def test_tier_threshold_and_gate_change(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"change_tier": {"model": "onsite", "id": "gold", "set": {"min": 92, "require": None}}})
    assert edits(mini_guide, new) == [
        Changed(what="tier", id="gold", model="onsite", field="min", old=D(90), new=D(92)),
        Changed(what="tier", id="gold", model="onsite", field="require", old="basic_attainment >= 75", new=None),
    ]


def test_tier_added_removed_and_moved(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"add_tier": {"model": "onsite", "before": "gold", "tier": PLATINUM}},
                {"remove_tier": {"model": "onsite", "id": "silver"}})
    assert edits(mini_guide, new) == [
        Added(what="tier", id="platinum", model="onsite", position=0, label=t("Platinum", "البلاتينية")),
        Removed(what="tier", id="silver", model="onsite", position=1, label=t("Silver", "الفئة الفضية")),
    ]
    bronze = {"id": "bronze", "label": label("Bronze", "البرونزية"), "min": 70, "require": "basic_attainment >= 90"}
    first = amend(mini_guide, {"add_tier": {"model": "onsite", "tier": bronze}})
    second = amend(first, {"move_tier": {"model": "onsite", "id": "bronze", "before": "gold"}})
    assert edits(first, second) == [Moved(what="tier", id="bronze", model="onsite", old_position=2, new_position=0)]


def test_flag_changes(mini_guide: Guide) -> None:
    new = amend(
        mini_guide,
        {"change_flag": {"model": "onsite", "id": "improvement_plan", "set": {"when": "total < 70 or basic_attainment < 75"}}},
        {"add_flag": {"model": "onsite", "flag": {"id": "low_service", "label": label("Low service", "خدمة ضعيفة"),
                                                  "when": "categories.service < 50"}}},
    )
    assert edits(mini_guide, new) == [
        Changed(what="flag", id="improvement_plan", model="onsite", field="when",
                old="total < 75 or basic_attainment < 75", new="total < 70 or basic_attainment < 75",
                subtrees=(("75", "70"),)),
        Added(what="flag", id="low_service", model="onsite", position=1, label=t("Low service", "خدمة ضعيفة")),
    ]
    assert edits(new, mini_guide)[-1] == Removed(what="flag", id="low_service", model="onsite", position=1,
                                           label=t("Low service", "خدمة ضعيفة"))


# ---- numbers, points, models ------------------------------------------------------------------------


def test_number_settings_change(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"change_numbers": {"set": {"precision": 28, "report": {"scale": 1, "rounding": "half_even"}}}})
    assert edits(mini_guide, new) == [
        Changed(what="numbers", id="numbers", field="precision", old=34, new=28),
        Changed(what="numbers", id="numbers", field="report.scale", old=2, new=1),
        Changed(what="numbers", id="numbers", field="report.rounding", old="half_up", new="half_even"),
    ]


def test_points_scale_change(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"change_points": {"set": {"max": 5, "levels": [
        {"value": 0, "en": "Not met", "ar": "غير متحقق"}, {"value": 5, "en": "Met", "ar": "متحقق"}]}}})
    assert edits(mini_guide, new) == [
        Changed(what="points", id="points", field="max", old=D(4), new=D(5)),
        Changed(what="points", id="points", field="levels", old=(),
                new=("0: Not met / غير متحقق", "5: Met / متحقق")),
    ]


def test_model_added_with_its_elements(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"add_model": {"model": "remote", "definition": {
        "label": label("Remote", "عن بعد"),
        "categories": [{"id": "design", "label": label("Design", "التصميم"), "weight": 100, "criteria": [
            {"id": "remote_wait", "label": label("Wait", "الانتظار"), "weight": 1, "basic": True,
             "score": "clamp(4 - waiting_minutes / 10, 0, 4)"}]}],
        "tiers": [{"id": "gold", "label": label("Gold", "الذهبية"), "min": 90}]}}})
    assert edits(mini_guide, new) == [
        Added(what="model", id="remote", model="remote", label=t("Remote", "عن بعد")),
        Added(what="category", id="design", model="remote", position=0, label=t("Design", "التصميم"), weight=D(100)),
        Added(what="criterion", id="remote_wait", model="remote", parent="design", position=0,
              label=t("Wait", "الانتظار"), weight=D(1)),
        Added(what="tier", id="gold", model="remote", position=0, label=t("Gold", "الذهبية")),
    ]
    assert [e.kind for e in edits(new, mini_guide)] == ["removed"] * 4


# ---- order, weights, output ------------------------------------------------------------------------


def test_edits_come_in_a_fixed_order(mini_guide: Guide) -> None:
    new = amend(
        mini_guide,
        {"add_tier": {"model": "onsite", "before": "gold", "tier": PLATINUM}},
        {"reweight_categories": {"model": "onsite", "weights": {"access": 30, "service": 70}}},
        {"change_numbers": {"set": {"precision": 28}}},
        {"relabel": {"criterion": "waiting", "label": label("W", "الانتظار")}},
        {"reweight_criterion": {"id": "waiting", "weight": 4}},
        {"move_input": {"id": "satisfaction", "before": "waiting_minutes"}},
    )
    got = [(e.what, e.kind, e.id) for e in edits(mini_guide, new)]
    assert got == [
        ("numbers", "changed", "numbers"),
        ("input", "moved", "satisfaction"),
        ("category", "reweighted", "access"),
        ("category", "reweighted", "service"),
        ("criterion", "reweighted", "waiting"),
        ("criterion", "relabelled", "waiting"),
        ("tier", "added", "platinum"),
    ]


def test_the_diff_does_not_depend_on_hash_order() -> None:
    """The same diff, as JSON, from processes with different string hash seeds."""
    import json
    import os
    import subprocess
    import sys

    code = (
        "import json, taqyeem_rules as t; "
        "print(json.dumps(t.diff_guides(t.load_guide('2023'), t.load_guide('2024')).to_dict(), "
        "sort_keys=True, default=str))"
    )
    outputs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True,
            env={**os.environ, "PYTHONHASHSEED": seed},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outputs) == 1
    assert json.loads(outputs.pop())  # (something to compare: the editions differ)


def test_effective_weights_before_and_after(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"reweight_categories": {"model": "onsite", "weights": {"access": 30, "service": 70}}})
    d = diff_guides(mini_guide, new)
    by_id = {w.id: w for w in d.weights}
    assert [w.id for w in d.weights] == ["facilities_score", "parking_close", "waiting", "satisfaction_level", "tawasul"]
    assert by_id["waiting"].old == D(30)
    assert by_id["waiting"].new == D(35)
    with localcontext(make_context(34)):  # the guide's arithmetic
        assert by_id["facilities_score"].old == D(80) / D(3)
        assert by_id["facilities_score"].new == D(20)
        assert by_id["tawasul"].delta == D(70) / D(6) - D(10)
    for g, side in ((mini_guide, "old"), (new, "new")):
        total = sum(getattr(w, side) for w in d.weights)
        assert abs(total - 100) < D("1e-30"), g
    removed = diff_guides(mini_guide, amend(mini_guide, {"remove_criterion": {"id": "tawasul"}}))
    gone = next(w for w in removed.weights if w.id == "tawasul")
    assert (gone.old, gone.new, gone.old_category, gone.new_category) == (D(10), None, "service", None)
    assert {w.id for w in removed.changed_weights()} == {"waiting", "satisfaction_level", "tawasul"}


def test_diff_data_and_text(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"reweight_criterion": {"id": "waiting", "weight": 4}},
                {"change_tier": {"model": "onsite", "id": "gold", "set": {"min": 92}}})
    d: Diff = diff_guides(mini_guide, new)
    data = json.loads(json.dumps(d.to_dict()))
    assert data["old"]["fingerprint"] == mini_guide.fingerprint
    assert data["counts"]["reweighted"] == 1
    assert data["edits"][0] == {"kind": "reweighted", "what": "criterion", "id": "waiting", "model": "onsite",
                                "old": "3", "new": "4"}
    assert data["edits"][1]["field"] == "min"
    assert len(d) == 2 and bool(d) and not d.empty
    assert d.of("tier") == (d.edits[1],)
    assert d.of(kind="reweighted") == (d.edits[0],)
    assert d.rows("en")[0] == ("criterion (on-site)", "waiting", "reweighted", "3", "4")
    assert d.rows("ar")[0] == ("معيار (المقر)", "waiting", "تغيّر الوزن", "3", "4")
    md = d.to_markdown()
    assert "| `waiting` | reweighted | 3 | 4 |" in md
    assert "| `gold` | changed: min | 90 | 92 |" in md
    assert "## Effective weights" in md
    assert "## الأوزان الفعلية" in d.to_markdown("ar")
    assert "No changes" in diff_guides(mini_guide, mini_guide).to_markdown()
