"""Impact across editions that add, retype or remove inputs: `past:`, --assume,
--assume-missing, the up-front error, and bad usage (exit 2, nothing written)."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from shared import C1, MINI, MINI_AMENDED, ROOT, Cli
from taqyeem_rules import Evidence, Guide, MissingInputsError, UsageError, impact, load_guide
from taqyeem_rules.guide.amend import apply_amendments

D = Decimal


@pytest.fixture(scope="module")
def amended() -> Guide:
    return load_guide(MINI_AMENDED)


def with_past(base: Guide, past: Any) -> Guide:
    return apply_amendments(base, [{"id": "P", "rationale": "r",
                                    "change_input": {"id": "courtesy", "set": {"past": past}}}])


def test_past_is_in_the_canonical_form_only_when_said(amended: Guide) -> None:
    assert "past" not in json.dumps(amended.to_canonical())
    valued = with_past(amended, {"value": 3})
    assert valued.input("courtesy").past.value == D(3)
    assert valued.to_canonical()["inputs"][1]["past"] == {"value": D(3)}
    assert valued.fingerprint != amended.fingerprint
    na = with_past(amended, "not_applicable")
    assert na.to_canonical()["inputs"][1]["past"] == "not_applicable"
    assert len({amended.fingerprint, valued.fingerprint, na.fingerprint}) == 3


def test_past_value_is_used_for_older_evidence_only(mini_guide: Guide, amended: Guide, c1_evidence: Evidence) -> None:
    guide = with_past(amended, {"value": 5})
    result = impact(mini_guide, guide, [c1_evidence])
    (c,) = result.centres
    assert c.ok and c.assumptions == (f"{guide.edition}:courtesy",)
    (a,) = result.assumptions
    assert (a.input, a.reason, a.how, a.source, a.value, a.criteria, a.centres) == (
        "courtesy", "added", "value", "past", D(5), ("courtesy_level",), 1)
    # the same as the evidence with courtesy 5, scored under the guide
    data = {"centre": {"id": "M-01"}, "model": "onsite", "edition": guide.edition,
            "inputs": {**dict(c1_evidence.inputs.items()), "courtesy": 5}}
    assert c.new_total == guide.score(data).total
    # --assume wins over past:
    again = impact(mini_guide, guide, [c1_evidence], assume={"courtesy": 1})
    assert again.assumptions[0].source == "assume" and again.centres[0].new_total != c.new_total


def test_past_not_applicable_and_assume_missing(mini_guide: Guide, amended: Guide, c1_evidence: Evidence) -> None:
    na = impact(mini_guide, with_past(amended, "not_applicable"), [c1_evidence])
    by_missing = impact(mini_guide, amended, [c1_evidence], assume_missing="not_applicable")
    assert na.centres[0].new_total == by_missing.centres[0].new_total
    assert by_missing.assumptions[0].how == "not_applicable" and by_missing.assumptions[0].source == "assume-missing"
    # not applicable: the criterion's weight is shared out, as for any N/A criterion
    data = {"centre": {"id": "M-01"}, "model": "onsite", "inputs": {**c1_evidence.inputs, "courtesy": 1}}
    zero = amended.score(data)  # courtesy 1 → 0 points, counted
    assert by_missing.centres[0].new_total > zero.total
    lowest = impact(mini_guide, amended, [c1_evidence], assume_missing="lowest")
    (a,) = lowest.assumptions
    assert a.how == "lowest" and a.points == (("courtesy_level", D(0), "scale"),)
    assert lowest.centres[0].new_total == zero.total  # the scale's minimum: what courtesy 1 gives


def test_removed_and_retyped_inputs(mini_guide: Guide, c1_evidence: Evidence) -> None:
    retyped = apply_amendments(mini_guide, [
        {"id": "R", "rationale": "r", "remove_criterion": {"id": "tawasul"}},
        {"id": "R2", "rationale": "r", "remove_input": {"id": "reply_within_deadline"}},
        {"id": "R3a", "rationale": "r", "replace_criterion": {"id": "satisfaction_level", "criterion": {
            "id": "satisfaction_level", "label": {"en": "s", "ar": "s"}, "weight": 1, "score": "4"}}},
        {"id": "R3", "rationale": "r", "change_input": {"id": "satisfaction", "set": {"type": "boolean"}}},
        {"id": "R4", "rationale": "r", "replace_criterion": {"id": "satisfaction_level", "criterion": {
            "id": "satisfaction_level", "label": {"en": "s", "ar": "s"}, "weight": 1,
            "score": "if satisfaction then 4 else 0"}}},
    ])
    with pytest.raises(MissingInputsError) as info:
        impact(mini_guide, retyped, [c1_evidence])
    assert "edition mini has it as a percent" in info.value.diagnostics[1].message
    result = impact(mini_guide, retyped, [c1_evidence], assume={"satisfaction": True})
    (a,) = result.assumptions
    assert (a.input, a.reason, a.how, a.value) == ("satisfaction", "retyped", "value", True)
    (note,) = result.notes
    assert (note.edition, note.input, note.centres) == (retyped.edition, "reply_within_deadline", 1)
    assert result.centres[0].ok
    data = result.to_dict()
    assert data["notes"] == [{"edition": retyped.edition, "input": "reply_within_deadline", "note": "removed",
                              "centres": 1}]


def test_every_assumption_is_in_every_format(mini_guide: Guide, amended: Guide, c1_evidence: Evidence) -> None:
    result = impact(mini_guide, amended, [c1_evidence], assume={"courtesy": 4})
    data = json.loads(json.dumps(result.to_dict()))
    assert data["assumptions"][0]["value"] == "4" and data["centres"][0]["assumptions"] == ["mini-amended:courtesy"]
    rows = list(csv.DictReader(io.StringIO(result.to_csv())))
    assert rows[0]["assumptions"] == 'mini-amended:courtesy="4"'
    md = result.to_markdown()
    assert "## Assumptions" in md and "| mini-amended | courtesy | not in the evidence's edition | the value 4 |" in md
    assert "## الافتراضات" in result.to_markdown("ar")


@pytest.mark.parametrize(("assume", "message"), [
    ({"courtsey": 3}, "`courtsey` is not an input of guide mini or mini-amended"),
    ({"courtesy": 9}, "9 is not a valid value of input `courtesy` (integer)"),
    ({"courtesy": "many"}, "many is not a valid value of input `courtesy` (integer)"),
])
def test_bad_assumptions_are_usage_errors(mini_guide: Guide, amended: Guide, c1_evidence: Evidence, assume: dict[str, Any],
                                          message: str) -> None:
    with pytest.raises(UsageError) as info:
        impact(mini_guide, amended, [c1_evidence], assume=assume)
    assert message in info.value.message


@pytest.mark.parametrize(("args", "message", "hint"), [
    (["--assume", "courtsey=3"], "--assume courtsey: `courtsey` is not an input of guide mini or mini-amended",
     "did you mean `courtesy`?"),
    (["--assume", "courtesy=[a, b]"], "--assume courtesy: [a, b] is not a valid value of input `courtesy` (integer)",
     "within [1, 5]"),
    (["--assume", "courtesy=7"], "7 is not a valid value of input `courtesy`", "within [1, 5]"),
    (["--assume", "courtesy"], "--assume 'courtesy': expected INPUT=VALUE", "e.g."),
    (["--assume", "courtesy="], "--assume courtesy: no value after `=`", ""),
    (["--assume", "courtesy=3", "--assume", "courtesy=4"], "--assume courtesy is given twice", ""),
    (["--assume-missing", "zero"], "invalid choice: 'zero'", ""),
])
def test_impact_bad_usage_exits_2_and_writes_nothing(cli: Cli, tmp_path: Path,
                                                     args: list[str], message: str, hint: str) -> None:
    target = tmp_path / "impact.json"
    code, out, err = cli("impact", str(MINI), str(MINI_AMENDED), str(C1), *args,
                         "--format", "json", "-o", str(target))
    assert code == 2, err
    assert message in err and hint in err and out == "" and "Traceback" not in err
    assert not target.exists()


def test_checklist_assumed_as_its_ticked_items(cli: Cli) -> None:
    examples = str(ROOT / "criteria" / "2023" / "examples")
    code, out, err = cli("impact", "2023", "2024", examples, "--format", "json",
                         "--assume", "digital_promotion=[staff_refer_to_eservices]",
                         "--assume-missing", "lowest")
    assert code == 0, err
    data = json.loads(out)
    by_input = {a["input"]: a for a in data["assumptions"]}
    assert by_input["digital_promotion"]["value"] == {"assisted_eservice_corner": False, "digital_first_signage": False,
                                                      "qr_links_displayed": False, "staff_refer_to_eservices": True}
    assert by_input["virtual_assistant"]["how"] == "lowest"
    assert by_input["virtual_assistant"]["points"] == [{"criterion": "design_virtual_assistant", "points": "0",
                                                        "from": "attainable"}]
    assert data["unscored"] == 0 and data["scored"] == 11
