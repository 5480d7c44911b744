"""`verify NEW --against OLD`: amendments change only what they name. An amendment that
reaches an unnamed criterion through a shared input is caught, with a counter-example
that scores differently under the two editions; the bundled 2024 edition passes against
2023; the diff is held to the elements the amendments name."""

from __future__ import annotations

import functools
from decimal import Decimal
from pathlib import Path

from shared import VERIFY
from taqyeem_rules import load_guide, verify
from taqyeem_rules.engine.locality import (
    AmendmentNames,
    _diff_findings,
    old_evidence,
    plan_locality,
)

guide = functools.cache(lambda spec: load_guide(VERIFY / spec if "/" not in spec and not spec.isdigit() else spec))


def test_a_change_through_a_shared_input_is_caught() -> None:
    new, old = guide("shared-input"), guide("sound")
    report = verify(new, against=old, max_examples=40, properties=["locality", "diff"])
    (f,) = report.findings
    values = f.mapping()
    assert (f.property, f.key) == ("locality", "verify.locality.shared")
    assert (values["criterion"], values["input"], values["amendment"]) == ("survey_staff", "survey_answers", "S1")
    # Where the criterion is written (it comes from the sound guide, unchanged).
    lines = (VERIFY / "sound" / "guide.yaml").read_text(encoding="utf-8").splitlines()
    assert f.span is not None and f.span.file.endswith("sound/guide.yaml")
    assert lines[f.span.line - 1].strip() == "- id: survey_staff"
    # The counter-example, scored under both editions, moves survey_staff's points, and only
    # because of the amendment: the same answers, nothing assumed.
    ce = f.counterexample
    assert ce is not None and ce.other_is == "old" and ce.assumed == ()
    assert ce.other["inputs"] == ce.evidence["inputs"]  # type: ignore[index]
    under_new = new.score(ce.evidence).criterion("survey_staff")
    under_old = old.score(ce.other).criterion("survey_staff")  # type: ignore[arg-type]
    assert under_new.points != under_old.points
    assert (under_old.points, under_new.points) == (values["old"], values["new"])
    # survey_overall reads the same input but names each level's value: it did not move.
    assert ce.evidence["inputs"]["survey_answers"]
    assert new.score(ce.evidence).criterion("survey_overall").points == old.score(
        ce.other).criterion("survey_overall").points  # type: ignore[arg-type]
    notes = {n.key: n.mapping() for n in report.notes}
    assert notes["verify.note.shared-unmoved"]["criterion"] == "survey_overall"
    # The diff shows the reordered items of survey_answers, which S1 names: nothing more.
    assert [r.findings for r in report.runs if r.property == "diff"] == [0]


def test_the_bundled_2024_edition_changes_only_what_its_amendments_name() -> None:
    report = verify(guide("2024"), against=guide("2023"), max_examples=8, properties=["locality", "diff"])
    assert report.ok, [f.to_dict() for f in report.findings]
    notes = [(n.key, n.model, n.mapping()) for n in report.notes]
    compared = {m: v["compared"] for k, m, v in notes if k == "verify.note.locality"}
    assert compared == {"onsite": 41, "remote": 28}  # every criterion of 2023 in 2024
    moved = {m: v for k, m, v in notes if k == "verify.note.contributions"}
    # Contributions moved only where the amendments reweight, in their order in the guide.
    assert moved["onsite"]["amendments"] == "A6, A7, A11"
    assert moved["remote"]["amendments"] == "A9, A10"
    assert not [k for k, _, _ in notes if k in ("verify.note.filled", "verify.note.global")]


def test_the_diff_property_names_what_no_amendment_names_and_what_did_not_change() -> None:
    new, old = guide("2024"), guide("2023")
    plan = plan_locality(new, old)
    assert plan.amended and [a.id for a in plan.amendments] == [f"A{k}" for k in range(1, 12)]
    assert _diff_findings(old, new, plan.amendments) == []
    # Without A7 the diff shows a reweight nobody names; A7 pointed at another criterion
    # names one that did not change.
    names = [a for a in plan.amendments if a.id != "A7"]
    wrong = AmendmentNames("A7", "reweight_criterion", frozenset({("criterion", None, "admin_training")}))
    found = _diff_findings(old, new, [*names, wrong])
    got = sorted((f.key, f.mapping()["id"]) for f in found)
    assert got == [("verify.names.extra", "admin_eservice_coverage"), ("verify.names.missing", "admin_training")]
    extra = next(f for f in found if f.key == "verify.names.extra")
    assert extra.span is not None and extra.span.file == "criteria/2023/guide.yaml"


def amended(tmp_path: Path, amendments: str) -> Path:
    """An edition of the sound guide with the amendments given (YAML text)."""
    text = (VERIFY / "shared-input" / "guide.yaml").read_text(encoding="utf-8")
    head = text.split("amendments:")[0].replace('extends: "../sound/guide.yaml"',
                                                f'extends: "{VERIFY / "sound" / "guide.yaml"}"')
    folder = tmp_path / "amended"
    folder.mkdir()
    (folder / "guide.yaml").write_text(head + "amendments:\n" + amendments, encoding="utf-8")
    return folder


def test_an_amendment_that_changes_nothing_is_a_diff_finding(tmp_path: Path) -> None:
    new = load_guide(amended(tmp_path, (
        '  - id: R1\n    rationale: "Weights restated."\n'
        "    reweight_categories: {model: onsite, weights: {access: 40, service: 40}}\n")))
    report = verify(new, against=guide("sound"), max_examples=5, properties=["diff"])
    got = sorted((f.key, f.mapping()["id"], f.mapping()["amendment"]) for f in report.findings)
    assert got == [("verify.names.missing", "access", "R1"), ("verify.names.missing", "service", "R1")]
    lines = (tmp_path / "amended" / "guide.yaml").read_text(encoding="utf-8").splitlines()
    for f in report.findings:
        assert f.span is not None and f.span.file.endswith("amended/guide.yaml")
        assert lines[f.span.line - 1].strip().startswith("reweight_categories:")


def test_a_numbers_amendment_is_global(tmp_path: Path) -> None:
    new = load_guide(amended(tmp_path, (
        '  - id: N1\n    rationale: "One decimal place."\n'
        "    change_numbers: {set: {report: {scale: 1, rounding: half_up}}}\n")))
    report = verify(new, against=guide("sound"), max_examples=5, properties=["locality", "diff"])
    assert report.ok
    assert [n.mapping() for n in report.notes if n.key == "verify.note.global"] == [{"amendments": "N1"}]
    assert not [r for r in report.runs if r.property == "locality"]  # not compared point by point


def test_an_edition_not_written_as_amendments_is_compared_by_definitions() -> None:
    report = verify(guide("2023"), against=guide("2019"), max_examples=5, properties=["locality", "diff"])
    assert next(n.key for n in report.notes) == "verify.note.not-amendments"
    assert [r.property for r in report.runs] == ["locality"]  # the diff is not held to amendments
    assert report.ok


def test_old_evidence_fills_only_what_the_old_guide_cannot_read() -> None:
    old = guide("sound")
    model = old.model("onsite")
    new_evidence = {"centre": {"id": "X"}, "model": "onsite", "edition": "next",
                    "inputs": {"waiting_minutes": Decimal(500),  # beyond the old range [0, 240]
                               "facilities": {"parking": True, "ramp": True, "signage": True, "seating": True},
                               "has_parking_area": True, "brand_new_input": Decimal(1)}}
    fill = {"inputs": {"waiting_minutes": Decimal(12), "trained_pct": Decimal(50),
                       "facilities": {"parking": False, "ramp": False, "signage": False, "seating": False}}}
    data, filled = old_evidence(new_evidence, fill, old, model)
    assert filled == ("waiting_minutes", "trained_pct")  # refused, and required but absent
    assert data["inputs"] == {"waiting_minutes": Decimal(12), "facilities": new_evidence["inputs"]["facilities"],
                              "has_parking_area": True, "trained_pct": Decimal(50)}
    assert data["edition"] == "sound"
    old.score(data)  # what the old guide reads it admits


def test_the_diff_names_a_moved_item_with_its_input() -> None:
    from taqyeem_rules import diff_guides

    edits = diff_guides(guide("sound"), guide("shared-input")).edits
    assert [(e.kind, e.what, e.id, e.old_parent, e.new_parent) for e in edits] == [  # type: ignore[attr-defined]
        ("moved", "item", f"survey_answers.{item}", "survey_answers", "survey_answers")
        for item in ("very_satisfied", "satisfied", "neutral", "dissatisfied")
    ]
