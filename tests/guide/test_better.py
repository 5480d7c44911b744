"""`better: higher|lower` on inputs: part of the canonical form only when declared (a guide
without it keeps its fingerprint), refused where it has no single direction, amendable and
diffed like any other field of an input."""

from __future__ import annotations

from pathlib import Path

import pytest

from shared import MINI_YAML
from taqyeem_rules import Guide, GuideError, diff_guides, diff_to_amendments, load_guide
from taqyeem_rules.guide.amend import apply_amendments


def variant(tmp_path: Path, old: str, new: str) -> Path:
    text = MINI_YAML.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / "guide.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


WAIT = "    unit: minutes\n    source: mystery_shopper\n"


def test_better_is_in_the_canonical_form_only_when_declared(tmp_path: Path, mini_guide: Guide) -> None:
    plain = mini_guide
    assert all("better" not in i for i in plain.to_canonical()["inputs"])
    declared = load_guide(variant(tmp_path, WAIT, WAIT + "    better: lower\n"))
    (wait,) = [i for i in declared.to_canonical()["inputs"] if i["id"] == "waiting_minutes"]
    assert wait["better"] == "lower" and declared.input("waiting_minutes").better == "lower"  # type: ignore[union-attr]
    assert declared.fingerprint != plain.fingerprint
    # The rest of the canonical form is untouched by the field.
    del wait["better"]
    assert declared.to_canonical() == plain.to_canonical()


def test_better_on_counts_is_refused_at_the_input(tmp_path: Path) -> None:
    path = variant(tmp_path, "  - id: reply_within_deadline\n", """\
  - id: answers
    type: counts
    source: customer_survey
    better: higher
    label: {en: "Answers", ar: "الإجابات"}
    items:
      - {id: yes, label: {en: "Yes", ar: "نعم"}}
  - id: reply_within_deadline
""")
    with pytest.raises(GuideError) as info:
        load_guide(path)
    (d,) = [d for d in info.value.diagnostics if d.code == "guide.input-field"]
    assert d.message.startswith("counts input `answers` cannot declare `better`")
    line = path.read_text(encoding="utf-8").splitlines().index("  - id: answers") + 1
    assert d.span is not None and (d.span.line, d.span.col) == (line, 9)


def test_a_direction_that_is_not_higher_or_lower_is_a_schema_error(tmp_path: Path) -> None:
    path = variant(tmp_path, WAIT, WAIT + "    better: less\n")
    with pytest.raises(GuideError) as info:
        load_guide(path)
    d = info.value.primary
    assert (d.code, d.span.line, d.span.col) == ("guide.value", 21, 13)  # type: ignore[union-attr]
    assert d.message == "inputs[0].better is the text `less`; expected one of: higher, lower"


def test_better_is_amended_diffed_and_planned_like_any_input_field(tmp_path: Path, mini_guide: Guide) -> None:
    plain = mini_guide
    amended = apply_amendments(plain, [{"id": "B1", "rationale": "shorter waits are better",
                                        "change_input": {"id": "waiting_minutes", "set": {"better": "lower"}}}])
    assert amended.input("waiting_minutes").better == "lower"  # type: ignore[union-attr]
    (edit,) = diff_guides(plain, amended).edits
    assert (edit.kind, edit.what, edit.id, edit.field, edit.old, edit.new) == (  # type: ignore[attr-defined]
        "changed", "input", "waiting_minutes", "better", None, "lower")
    plan = diff_to_amendments(plain, amended)
    assert plan == [{"id": "D1", "rationale": "Change input `waiting_minutes` (better).",
                     "change_input": {"id": "waiting_minutes", "set": {"better": "lower"}}}]
    assert apply_amendments(plain, plan).fingerprint == amended.fingerprint
    back = apply_amendments(amended, [{"id": "B2", "rationale": "undeclared again",
                                       "change_input": {"id": "waiting_minutes", "set": {"better": None}}}])
    assert back.fingerprint == plain.fingerprint
