"""diff_to_amendments on hand-made and bundled pairs: the amendments reach the new guide,
in an order that passes the checks after every step, and read like the documented format."""

from __future__ import annotations

import functools
import itertools
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest
from diff_helpers import amend, label

from shared import MINI_AMENDED, MINI_YAML
from taqyeem_rules import (
    AmendmentError,
    Guide,
    bundled_editions,
    diff_guides,
    diff_to_amendments,
    load_guide,
)
from taqyeem_rules.guide.amend import OPERATIONS, apply_amendments

D = Decimal


def with_header(base: Guide, like: Guide) -> Guide:
    """``base`` carrying the header (edition, title, dates, provenance) of ``like``."""
    return attrs.evolve(base, edition=like.edition, title=like.title, effective_from=like.effective_from,
                        effective_to=like.effective_to, provenance=like.provenance)


def reach(old: Guide, new: Guide) -> list[dict[str, Any]]:
    amendments = diff_to_amendments(old, new)
    result = apply_amendments(with_header(old, new), amendments)
    assert result.fingerprint == new.fingerprint
    assert diff_guides(result, new).empty
    for a in amendments:
        ops = [k for k in a if k in OPERATIONS]
        assert len(ops) == 1 and set(a) == {"id", "rationale", ops[0]}
        assert a["rationale"]
    assert len({a["id"] for a in amendments}) == len(amendments)
    return amendments


def ops(amendments: list[dict[str, Any]]) -> list[str]:
    return [next(k for k in a if k in OPERATIONS) for a in amendments]


def test_identical_guides_need_no_amendment(mini_guide: Guide) -> None:
    assert diff_to_amendments(mini_guide, mini_guide) == []


def test_the_amended_fixture(mini_guide: Guide) -> None:
    new = load_guide(MINI_AMENDED)
    amendments = reach(mini_guide, new)
    assert ops(amendments) == ["remove_tier", "add_input", "add_criterion", "relabel", "reweight_categories", "add_tier"]
    assert amendments[4]["reweight_categories"] == {"model": "onsite", "weights": {"access": D(30), "service": D(70)}}
    assert amendments[5]["add_tier"]["before"] == "gold"
    assert [a["id"] for a in amendments] == [f"D{k}" for k in range(1, 7)]
    assert [a["id"] for a in diff_to_amendments(mini_guide, new, prefix="A2025-")][:2] == ["A2025-1", "A2025-2"]


def test_a_pure_reweight_is_one_reweight(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"reweight_categories": {"model": "onsite", "weights": {"access": 45, "service": 55}}})
    assert reach(mini_guide, new) == [{"id": "D1", "rationale": "Reweight the categories of the onsite model.",
                                 "reweight_categories": {"model": "onsite",
                                                         "weights": {"access": D(45), "service": D(55)}}}]


def test_category_added_and_removed_keep_weights_at_100(mini_guide: Guide) -> None:
    comfort = {"id": "comfort", "label": label("Comfort", "الراحة"), "weight": 40, "criteria": [
        {"id": "seats", "label": label("Seats", "المقاعد"), "weight": 1, "basic": True,
         "score": "if facilities.seating then 4 else 0"}]}
    new = amend(
        mini_guide,
        {"add_category": {"model": "onsite", "category": comfort, "weights": {"access": 20, "service": 40}}},
        {"move_criterion": {"id": "facilities_score", "category": "comfort"}},
        {"remove_category": {"model": "onsite", "id": "access", "weights": {"comfort": 35, "service": 65}}},
    )
    amendments = reach(mini_guide, new)
    assert ops(amendments) == ["add_category", "move_criterion", "remove_category"]
    add, _, remove = amendments
    assert sum(add["add_category"]["weights"].values()) == 100
    assert remove["remove_category"]["weights"] == {"comfort": D(35), "service": D(65)}


def test_order_changes_are_moves(mini_guide: Guide) -> None:
    new = amend(
        mini_guide,
        {"move_category": {"model": "onsite", "id": "service", "before": "access"}},
        {"move_criterion": {"id": "tawasul", "before": "waiting"}},
        {"move_input": {"id": "satisfaction", "before": "waiting_minutes"}},
    )
    assert ops(reach(mini_guide, new)) == ["move_category", "move_criterion", "move_input"]


def test_readers_are_parked_while_an_input_changes_type(mini_guide: Guide, tmp_path: Path) -> None:
    text = MINI_YAML.read_text(encoding="utf-8")
    text = re.sub(
        r"  - id: facilities\n    type: checklist\n(.*\n)*?(?=  - id: has_parking_area)",
        "  - id: facilities\n    type: integer\n    range: [0, 4]\n    source: field_visit\n"
        '    label: {en: "Facilities", ar: "المرافق"}\n',
        text,
    )
    text = text.replace('score: "checked(facilities)"', 'score: "facilities"')
    text = text.replace('score: "if facilities.parking then 4 else 0"', 'score: "if facilities > 2 then 4 else 0"')
    (tmp_path / "guide.yaml").write_text(text, encoding="utf-8")
    new = load_guide(tmp_path / "guide.yaml")
    amendments = reach(mini_guide, new)
    assert ops(amendments) == [
        "replace_criterion", "replace_criterion",  # parked on a constant
        "remove_input", "add_input",  # the input changes type
        "replace_criterion", "replace_criterion",  # the new definitions
    ]
    assert amendments[0]["replace_criterion"]["criterion"]["score"] == "0"
    assert amendments[3]["add_input"]["after"] == "waiting_minutes"


def test_range_change_parks_the_tables_that_read_the_input(mini_guide: Guide) -> None:
    new = amend(mini_guide, {"change_input": {"id": "waiting_minutes", "set": {"range": [0, 480], "unit": "min"}}})
    amendments = reach(mini_guide, new)
    assert ops(amendments) == ["replace_criterion", "change_input", "replace_criterion"]
    assert amendments[1]["change_input"] == {"id": "waiting_minutes", "set": {"range": [D(0), D(480)], "unit": "min"}}
    harmless = amend(mini_guide, {"change_input": {"id": "waiting_minutes", "set": {"unit": "min", "source": "tawasul"}}})
    assert ops(reach(mini_guide, harmless)) == ["change_input"]


def test_criterion_moving_to_another_model(mini_guide: Guide) -> None:
    remote = {"label": label("Remote", "عن بعد"), "categories": [
        {"id": "replies", "label": label("Replies", "الردود"), "weight": 100, "criteria": [
            {"id": "tawasul", "label": label("Tawasul replies", "الرد عبر تواصل"), "weight": 1,
             "score": "round_half_up(reply_within_deadline / 25, 0)"}]}], "tiers": []}
    new = amend(mini_guide, {"remove_criterion": {"id": "tawasul"}}, {"add_model": {"model": "remote", "definition": remote}})
    amendments = reach(mini_guide, new)
    assert ops(amendments) == ["replace_criterion", "remove_criterion", "add_model"]
    renamed = amendments[0]["replace_criterion"]
    assert renamed["id"] == "tawasul" and renamed["criterion"]["id"] != "tawasul"
    # and back: the remote model goes, the criterion returns to the on-site model
    assert ops(reach(new, mini_guide)) == ["replace_criterion", "add_criterion", "remove_model"]


def test_tiers_rearranged_without_an_unreachable_step(mini_guide: Guide) -> None:
    new = amend(
        mini_guide,
        {"change_tier": {"model": "onsite", "id": "gold", "set": {"require": None}}},
        {"remove_tier": {"model": "onsite", "id": "silver"}},
        {"add_tier": {"model": "onsite", "before": "gold", "tier": {
            "id": "silver", "label": label("Silver", "الفئة الفضية"), "min": 95}}},
    )
    # changing silver's threshold in place would leave it below gold for a step
    assert ops(reach(mini_guide, new)) == ["change_tier", "remove_tier", "add_tier"]
    assert ops(reach(new, mini_guide)) == ["remove_tier", "change_tier", "add_tier"]


def test_gates_naming_a_removed_category_go_first(mini_guide: Guide) -> None:
    gated = amend(mini_guide, {"change_tier": {"model": "onsite", "id": "silver", "set": {"require": "categories.access >= 50"}}})
    new = amend(
        mini_guide,
        {"add_category": {"model": "onsite", "category": {"id": "comfort", "label": label("Comfort", "الراحة"),
                                                          "weight": 40, "criteria": [
            {"id": "seats", "label": label("Seats", "المقاعد"), "weight": 1, "basic": True,
             "score": "if facilities.seating then 4 else 0"}]}, "weights": {"access": 20, "service": 40}}},
        {"remove_category": {"model": "onsite", "id": "access", "weights": {"comfort": 40, "service": 60}}},
    )
    amendments = reach(gated, new)
    assert ops(amendments)[0] == "remove_tier"
    assert ops(amendments)[-1] == "add_tier"


@functools.cache
def edition(name: str) -> Guide:
    return load_guide(name)


@pytest.mark.parametrize(("old", "new"), list(itertools.permutations(["2019", "2023", "2024"], 2)))
def test_bundled_editions(old: str, new: str) -> None:
    assert {"2019", "2023", "2024"} <= set(bundled_editions())
    reach(edition(old), edition(new))


def test_amendments_fail_loudly_on_the_wrong_base(mini_guide: Guide) -> None:
    new = load_guide(MINI_AMENDED)
    amendments = diff_to_amendments(mini_guide, new)
    with pytest.raises(AmendmentError):
        apply_amendments(new, amendments)
