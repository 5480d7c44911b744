"""Evidence: loading YAML, JSON and CSV, its errors (code, message, line:col), Python data,
and the generated JSON Schema — against the mini guide (tests/fixtures/mini)."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml

import taqyeem_rules
from shared import C1, MINI_YAML
from taqyeem_rules import EvidenceError, evidence_schema, load_evidence, load_evidences

GUIDE_TEXT = MINI_YAML.read_text(encoding="utf-8")

# Line numbers below refer to this text (line 1 is `centre:`).
BASE = """\
centre: {id: "M-01", name: "Test centre"}
model: onsite
edition: "mini"
inputs:
  waiting_minutes: 12
  facilities: {parking: true, ramp: true, signage: false, seating: true}
  has_parking_area: true
  satisfaction: 91.5
  reply_within_deadline: 88
"""


def write(tmp_path: Path, text: str, name: str = "centre.yaml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def pos(text: str, needle: str) -> tuple[int, int]:
    """1-based (line, column) of the first occurrence of ``needle``."""
    start = text.index(needle)
    return text[:start].count("\n") + 1, start - (text.rfind("\n", 0, start) + 1) + 1


def edited(old: str, new: str) -> str:
    assert BASE.count(old) == 1, old
    return BASE.replace(old, new)


def errors_of(guide: taqyeem_rules.Guide, path: Path) -> list[tuple[str, str, int | None, int | None]]:
    with pytest.raises(EvidenceError) as info:
        load_evidence(path, guide)
    return [
        (d.code, d.message, d.span.line if d.span else None, d.span.col if d.span else None)
        for d in info.value.diagnostics
    ]


def only_error(guide: taqyeem_rules.Guide, path: Path) -> Any:
    with pytest.raises(EvidenceError) as info:
        load_evidence(path, guide)
    assert len(info.value.diagnostics) == 1, info.value.diagnostics
    return info.value.primary


# ---- a valid file -------------------------------------------------------------------------------


def test_base_evidence_loads(mini_guide: taqyeem_rules.Guide, c1_evidence: taqyeem_rules.Evidence, tmp_path: Path) -> None:
    ev = load_evidence(write(tmp_path, BASE), mini_guide)
    assert (ev.centre_id, ev.name(), ev.model, ev.edition) == ("M-01", "Test centre", "onsite", "mini")
    assert ev.inputs["satisfaction"] == Decimal("91.5")
    assert isinstance(ev.inputs["waiting_minutes"], Decimal)
    assert ev.inputs["facilities"] == {"parking": True, "ramp": True, "signage": False, "seating": True}
    # the same centre as the fixture c1.yaml (whose name is bilingual)
    assert c1_evidence.inputs == ev.inputs
    assert c1_evidence.name("ar") == "مركز اختبار"


def test_json_evidence(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    data = yaml.safe_load(BASE)
    text = json.dumps(data).replace("91.5", "91.50")
    ev = load_evidence(write(tmp_path, text, "centre.json"), mini_guide)
    assert ev.inputs["satisfaction"] == Decimal("91.5")  # read from its text, not as a float
    assert mini_guide.score(ev).to_dict() == mini_guide.score(load_evidence(write(tmp_path, BASE), mini_guide)).to_dict()


def test_optional_input_may_be_null_or_absent(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    absent = load_evidence(write(tmp_path, edited("  satisfaction: 91.5\n", ""), "a.yaml"), mini_guide)
    null = load_evidence(write(tmp_path, edited("satisfaction: 91.5", "satisfaction: null"), "b.yaml"), mini_guide)
    assert "satisfaction" not in absent.inputs
    assert absent.inputs == null.inputs
    assert absent.fingerprint == null.fingerprint


# ---- errors: code, message and line:col -----------------------------------------------------------


def test_unknown_input_with_did_you_mean(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    path = write(tmp_path, edited("  has_parking_area: true", "  has_parkng_area: true"))
    with pytest.raises(EvidenceError) as info:
        load_evidence(path, mini_guide)
    by_code = {d.code: d for d in info.value.diagnostics}
    unknown = by_code["evidence.unknown-key"]
    assert unknown.message == "unknown input `has_parkng_area`"
    assert (unknown.span.line, unknown.span.col) == (7, 3)
    assert unknown.hint == "did you mean `has_parking_area`?"
    # … and the required input it was meant to be is missing, with the same suggestion
    missing = by_code["evidence.missing-key"]
    assert missing.message == "missing required key `has_parking_area` in inputs"
    assert (missing.span.line, missing.span.col) == (4, 1)
    assert "has_parkng_area" in missing.hint
    assert missing.span.file.endswith("centre.yaml")
    assert ":4:1: error[evidence.missing-key]: missing required key `has_parking_area`" in str(info.value)


def test_number_given_as_text(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    d = only_error(mini_guide, write(tmp_path, edited("waiting_minutes: 12", 'waiting_minutes: "12"')))
    assert d.code == "evidence.type"
    assert d.message == "inputs.waiting_minutes must be a number, not the text `12`"
    assert (d.span.line, d.span.col) == (5, 20)
    assert d.hint == "write numbers without quotes: 12"


@pytest.mark.parametrize(
    ("old", "new", "message", "col"),
    [
        ("waiting_minutes: 12", "waiting_minutes: 241", "inputs.waiting_minutes must be at most 240, not 241", 20),
        ("waiting_minutes: 12", "waiting_minutes: -1", "inputs.waiting_minutes must be at least 0, not -1", 20),
        ("satisfaction: 91.5", "satisfaction: 100.5", "inputs.satisfaction must be at most 100, not 100.5", 17),
    ],
)
def test_out_of_range(mini_guide: taqyeem_rules.Guide, tmp_path: Path, old: str, new: str, message: str, col: int) -> None:
    # satisfaction is an optional percent: still range-checked (not "must be nothing")
    d = only_error(mini_guide, write(tmp_path, edited(old, new)))
    assert (d.code, d.message) == ("evidence.range", message)
    assert (d.span.line, d.span.col) == (BASE[: BASE.index(old)].count("\n") + 1, col)


def test_missing_required_input(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    d = only_error(mini_guide, write(tmp_path, edited("  reply_within_deadline: 88\n", "")))
    assert d.code == "evidence.missing-key"
    assert d.message == "missing required key `reply_within_deadline` in inputs"
    assert (d.span.line, d.span.col) == (4, 1)


def test_checklist_item_missing(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    d = only_error(mini_guide, write(tmp_path, edited("signage: false, ", "")))
    assert (d.code, d.message) == ("evidence.missing-key", "missing required key `signage` in inputs.facilities")
    assert (d.span.line, d.span.col) == (6, 15)


def test_unknown_model(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    d = only_error(mini_guide, write(tmp_path, edited("model: onsite", "model: onsight")))
    assert (d.code, d.message) == ("evidence.model", "guide mini has no model `onsight`")
    assert (d.span.line, d.span.col) == (2, 8)
    assert d.hint == "did you mean `onsite`?"


def test_edition_mismatch(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    path = write(tmp_path, edited('edition: "mini"', 'edition: "2023"'))
    d = only_error(mini_guide, path)
    assert d.code == "evidence.edition"
    assert d.message == "this evidence is for edition 2023, but the guide is edition mini"
    assert (d.span.line, d.span.col) == (3, 10)
    # accepted when the caller says so (impact analysis scores under another edition)
    assert load_evidence(path, mini_guide, other_edition=True).edition == "2023"


def test_yaml_syntax_error(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    d = only_error(mini_guide, write(tmp_path, edited("  waiting_minutes: 12", "  waiting_minutes: [12")))
    assert d.code == "yaml.syntax"
    assert d.message == "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"
    assert (d.span.line, d.span.col) == (6, 13)
    assert "unclosed" in d.hint


def test_duplicate_key(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    d = only_error(mini_guide, write(tmp_path, edited("  has_parking_area: true\n", "  has_parking_area: true\n  waiting_minutes: 13\n")))
    assert (d.code, d.message) == ("yaml.duplicate-key", "key `waiting_minutes` is given twice in this mapping")
    assert (d.span.line, d.span.col) == (8, 3)
    assert d.hint == "the first `waiting_minutes` is on line 5; keep one"


@pytest.mark.parametrize(
    ("old", "new", "where", "line", "col"),
    [
        ("has_parking_area: true", "has_parking_area: yes", "inputs.has_parking_area", 7, 21),
        ("has_parking_area: true", "has_parking_area: no", "inputs.has_parking_area", 7, 21),
        ("parking: true,", "parking: on,", "inputs.facilities.parking", 6, 25),
        ("signage: false,", "signage: off,", "inputs.facilities.signage", 6, 52),
    ],
)
def test_yes_and_no_are_not_booleans(
    mini_guide: taqyeem_rules.Guide, tmp_path: Path, old: str, new: str, where: str, line: int, col: int
) -> None:
    # YAML 1.2 core schema: only true/false are booleans; yes/no/on/off stay text
    text = edited(old, new)
    word = new.split(": ")[1].rstrip(",")
    at_line, at_col = pos(text, new)
    assert (at_line, at_col + new.index(": ") + 2) == (line, col)
    d = only_error(mini_guide, write(tmp_path, text))
    assert (d.code, d.message) == ("evidence.type", f"{where} must be true or false, not the text `{word}`")
    assert (d.span.line, d.span.col) == (line, col)


def test_unknown_top_level_key(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    d = only_error(mini_guide, write(tmp_path, BASE + "extra: 1\n"))
    assert (d.code, d.message) == ("evidence.unknown-key", "unknown key `extra` at the top level")
    assert (d.span.line, d.span.col) == (10, 1)


def test_not_a_mapping(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    d = only_error(mini_guide, write(tmp_path, "- a\n- b\n"))
    assert d.code == "evidence.schema"
    assert (d.span.line, d.span.col) == (1, 1)


def test_several_errors_are_all_reported(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    text = edited("waiting_minutes: 12", "waiting_minutes: 300").replace("has_parking_area: true", "has_parking_area: yes")
    assert [(c, line, col) for c, _, line, col in errors_of(mini_guide, write(tmp_path, text))] == [
        ("evidence.range", 5, 20),
        ("evidence.type", 7, 21),
    ]


# ---- evidence given as Python data ------------------------------------------------------------------


def data(**inputs: Any) -> dict[str, Any]:
    out = {
        "centre": {"id": "M-01"},
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
    out["inputs"].update(inputs)
    return copy.deepcopy(out)


def test_python_data_with_ints(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    result = mini_guide.score(data())
    assert str(result.total) == "85.83"
    from_file = mini_guide.score(load_evidence(write(tmp_path, BASE), mini_guide))
    assert result.total_exact == from_file.total_exact
    assert result.criterion("waiting").inputs == {"waiting_minutes": Decimal(12)}


def test_python_floats_are_refused(mini_guide: taqyeem_rules.Guide) -> None:
    with pytest.raises(EvidenceError) as info:
        mini_guide.score(data(satisfaction=91.5))
    d = info.value.primary
    assert d.code == "evidence.value"
    assert "float" in d.message and "satisfaction" in d.message
    assert "Decimal('91.5')" in d.hint


def test_python_data_errors_name_the_path(mini_guide: taqyeem_rules.Guide) -> None:
    with pytest.raises(EvidenceError) as info:
        mini_guide.score(data(waiting_minutes=241))
    d = info.value.primary
    assert (d.code, d.message, d.path) == (
        "evidence.range", "inputs.waiting_minutes must be at most 240, not 241", "inputs.waiting_minutes"
    )
    assert d.span is None  # Python data has no positions


def test_loaded_evidence_is_validated_again_for_another_guide(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    # the same Evidence object scored by a variant guide whose range is narrower
    narrow = write(tmp_path, GUIDE_TEXT.replace("range: [0, 240]", "range: [0, 40]"), "guide.yaml")
    other = taqyeem_rules.load_guide(narrow)
    ev = load_evidence(write(tmp_path, edited("waiting_minutes: 12", "waiting_minutes: 50")), mini_guide)
    mini_guide.score(ev)
    with pytest.raises(EvidenceError) as info:
        other.score(ev)
    assert info.value.primary.code == "evidence.range"


# ---- CSV ------------------------------------------------------------------------------------------------

# The mini guide plus an optional list input, read by one more criterion.
LIST_GUIDE = GUIDE_TEXT.replace(
    "models:\n",
    """  - id: reply_days
    type: list
    of: number
    range: [0, 60]
    min_items: 1
    required: false
    source: tawasul
    label: {en: "Days to reply", ar: "أيام الرد"}
models:
""",
).replace(
    """            score: "round_half_up(reply_within_deadline / 25, 0)"
""",
    """            score: "round_half_up(reply_within_deadline / 25, 0)"
          - id: reply_speed
            label: {en: "Reply speed", ar: "سرعة الرد"}
            weight: 1
            missing: not_applicable
            score: "clamp(4 - mean(reply_days) / 2, 0, 4)"
""",
)

HEADER = (
    "centre_id,centre_name,model,edition,waiting_minutes,facilities.parking,facilities.ramp,"
    "facilities.signage,facilities.seating,has_parking_area,satisfaction,reply_within_deadline,reply_days"
)
CSV_ROWS = [
    'C1,"Centre One, Example Town",onsite,mini,12,true,true,false,true,true,91.5,88,2;3;1',
    "C2,Two,onsite,mini,35,false,TRUE,false,false,false,,40,",  # empty cells: absent inputs
    "C3,,onsite,,8,true,true,true,true,true,75,100, 7 ",
]
# The same three centres as YAML files.
YAML_CENTRES = [
    """centre: {id: C1, name: "Centre One, Example Town"}
model: onsite
edition: mini
inputs:
  waiting_minutes: 12
  facilities: {parking: true, ramp: true, signage: false, seating: true}
  has_parking_area: true
  satisfaction: 91.5
  reply_within_deadline: 88
  reply_days: [2, 3, 1]
""",
    """centre: {id: C2, name: Two}
model: onsite
edition: mini
inputs:
  waiting_minutes: 35
  facilities: {parking: false, ramp: true, signage: false, seating: false}
  has_parking_area: false
  reply_within_deadline: 40
""",
    """centre: {id: C3}
model: onsite
inputs:
  waiting_minutes: 8
  facilities: {parking: true, ramp: true, signage: true, seating: true}
  has_parking_area: true
  satisfaction: 75
  reply_within_deadline: 100
  reply_days: [7]
""",
]


@pytest.fixture(scope="module")
def list_guide(tmp_path_factory: pytest.TempPathFactory) -> taqyeem_rules.Guide:
    path = tmp_path_factory.mktemp("list-guide") / "guide.yaml"
    path.write_text(LIST_GUIDE, encoding="utf-8")
    return taqyeem_rules.load_guide(path)


def test_csv_scores_like_the_equivalent_yaml(list_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    csv_path = write(tmp_path, "\n".join([HEADER, *CSV_ROWS]) + "\n", "centres.csv")
    from_csv = load_evidences([csv_path], list_guide)
    assert [ev.centre_id for ev in from_csv] == ["C1", "C2", "C3"]
    assert from_csv[0].inputs["reply_days"] == [2, 3, 1]
    assert "satisfaction" not in from_csv[1].inputs and "reply_days" not in from_csv[1].inputs
    assert from_csv[0].name() == "Centre One, Example Town"
    from_yaml = [
        load_evidence(write(tmp_path, text, f"c{k}.yaml"), list_guide) for k, text in enumerate(YAML_CENTRES)
    ]
    for a, b in zip(from_csv, from_yaml, strict=True):
        assert a.inputs == b.inputs
        assert a.fingerprint == b.fingerprint
        assert list_guide.score(a).to_dict() == list_guide.score(b).to_dict()
    # C1: reply_days mean 2 → 4 − 1 = 3 points; C2: no reply_days → N/A; C3: 4 − 3.5 = 0.5
    speeds = [list_guide.score(ev).criterion("reply_speed") for ev in from_csv]
    assert [(s.status, s.points) for s in speeds] == [
        ("scored", 3), ("missing_not_applicable", None), ("scored", Decimal("0.5")),
    ]


def test_csv_with_crlf_and_a_blank_last_cell(list_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    # a row whose last cell is empty (here C2's reply_days), CRLF line ends, a row of empty cells
    text = "\r\n".join([HEADER, *CSV_ROWS[:2], ",,,,,,,,,,,,", ""])
    loaded = load_evidences([write(tmp_path, text, "centres.csv")], list_guide)
    assert [ev.centre_id for ev in loaded] == ["C1", "C2"]


def csv_errors(guide: taqyeem_rules.Guide, path: Path) -> list[tuple[str, str, int, int]]:
    with pytest.raises(EvidenceError) as info:
        load_evidences([path], guide)
    out = []
    for d in info.value.diagnostics:
        assert d.span is not None, d  # every CSV finding has a position
        assert d.span.file.endswith("bad.csv")
        out.append((d.code, d.message, d.span.line, d.span.col))
    return out


def test_csv_errors_have_positions(list_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    rows = [
        "C1,One,onsite,mini,abc,true,true,false,true,true,91.5,88,2",  # not a number
        "C2,Two,onsite,mini,300,true,true,false,true,true,91.5,88,2",  # out of range
        "C3,Three,onsite,mini,12,true,,false,true,true,91.5,88,2",  # a checklist item left empty
        "C4,Four,onsite,mini,12,yes,true,false,true,true,91.5,88,2",  # not a boolean
        "C5,Five,onsite,mini,12,true,true,false,true,true,91.5,,2",  # required input empty
        "C6,Six,onsight,mini,12,true,true,false,true,true,91.5,88,2",  # unknown model
        "C7,Seven,onsite,mini,12,true,true,false,true,true,91.5,88",  # a cell short
        "C8,Eight,onsite,mini,12,true,true,false,true,true,91.5,88,2;x",  # a list item
    ]
    path = write(tmp_path, "\n".join([HEADER, *rows]) + "\n", "bad.csv")
    columns = HEADER.split(",")

    def col(row: int, column: str) -> int:
        """1-based column where the cell of ``column`` starts on data row ``row`` (1-based)."""
        cells = rows[row - 1].split(",")
        return len(",".join(cells[: columns.index(column)])) + (2 if columns.index(column) else 1)

    assert (col(1, "waiting_minutes"), col(3, "facilities.ramp"), col(5, "reply_within_deadline")) == (20, 30, 55)
    assert csv_errors(list_guide, path) == [
        ("evidence.type", "`waiting_minutes` on row 2: 'abc' is not a number", 2, col(1, "waiting_minutes")),
        ("evidence.range", "inputs.waiting_minutes must be at most 240, not 300", 3, col(2, "waiting_minutes")),
        ("evidence.missing-key", "missing required key `ramp` in inputs.facilities", 4, col(3, "facilities.ramp")),
        ("evidence.type", "`facilities.parking` on row 5: 'yes' is not true or false", 5, col(4, "facilities.parking")),
        ("evidence.missing-key", "missing required key `reply_within_deadline` in inputs", 6,
         col(5, "reply_within_deadline")),
        ("evidence.model", "guide mini has no model `onsight`", 7, col(6, "model")),
        ("evidence.csv", "row 8 has 12 cells but the header has 13", 8, 1),
        ("evidence.type", "`reply_days` on row 9: 'x' is not a number", 9, col(8, "reply_days")),
    ]


def test_csv_unknown_column_reported_once_with_did_you_mean(list_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    header = HEADER.replace("waiting_minutes", "waiting_minute")
    path = write(tmp_path, "\n".join([header, *CSV_ROWS]) + "\n", "bad.csv")
    with pytest.raises(EvidenceError) as info:
        load_evidences([path], list_guide)
    (d,) = info.value.diagnostics
    assert (d.code, d.message) == ("evidence.unknown-key", "unknown input column `waiting_minute` for model onsite")
    assert (d.span.line, d.span.col) == (1, 37)
    assert d.hint == "did you mean `waiting_minutes`?"


def test_csv_column_named_twice_is_refused(list_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    """Two `waiting_minutes` columns: which one counts would be a guess, so neither does."""
    path = write(tmp_path, f"{HEADER},waiting_minutes\n{CSV_ROWS[0]},4\n", "twice.csv")
    with pytest.raises(EvidenceError) as info:
        load_evidences([path], list_guide)
    d = info.value.primary
    assert d.code == "evidence.csv"
    assert d.message.endswith("twice.csv: the column `waiting_minutes` is named twice in the header")
    assert (d.span.line, d.span.col) == (1, len(HEADER) + 2)


def test_csv_numbers_are_written_as_in_yaml_and_json(list_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    """`1_2`, Arabic-Indic digits and out-of-range exponents are not numbers in a CSV
    either; each is reported at its cell."""
    for cell, words in (("1_2", "is not a number"), ("١٢", "is not a number"), ("1e999999999", "too large")):
        row = CSV_ROWS[0].replace(",12,", f",{cell},", 1)
        assert row != CSV_ROWS[0]
        path = write(tmp_path, f"{HEADER}\n{row}\n", "n.csv")
        with pytest.raises(EvidenceError) as info:
            load_evidences([path], list_guide)
        d = info.value.primary
        assert words in d.message and d.span is not None and d.span.line == 2, d.message


def test_csv_edition_mismatch_points_at_the_cell(list_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    row = "C1,One,onsite,2023,12,true,true,false,true,true,91.5,88,2"
    path = write(tmp_path, "\n".join([HEADER, row]) + "\n", "bad.csv")
    assert csv_errors(list_guide, path) == [
        ("evidence.edition", "this evidence is for edition 2023, but the guide is edition mini", 2, 15),
    ]


def test_csv_without_centre_id_column(list_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    path = write(tmp_path, HEADER.replace("centre_id,", "id,") + "\n" + CSV_ROWS[0] + "\n", "bad.csv")
    with pytest.raises(EvidenceError) as info:
        load_evidences([path], list_guide)
    assert info.value.primary.code == "evidence.csv"
    assert "centre_id" in info.value.primary.message
    assert info.value.primary.span.line == 1


# ---- folders ----------------------------------------------------------------------------------------------


def test_load_evidences_from_a_folder(list_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    folder = tmp_path / "centres"
    folder.mkdir()
    write(folder, YAML_CENTRES[0], "a.yaml")
    write(folder, json.dumps(yaml.safe_load(YAML_CENTRES[1])), "b.json")
    write(folder, "\n".join([HEADER, CSV_ROWS[2].replace("C3", "C4"), CSV_ROWS[2]]) + "\n", "c.csv")
    write(folder, "not evidence", "notes.txt")  # ignored: not .yaml/.json/.csv
    loaded = load_evidences([folder], list_guide)
    assert [ev.centre_id for ev in loaded] == ["C1", "C2", "C4", "C3"]
    assert list_guide.score(loaded[0]).tier_id == "silver"  # C1: 84.76
    # the same centre twice is an error
    write(folder, YAML_CENTRES[0], "d.yaml")
    with pytest.raises(EvidenceError) as info:
        load_evidences([folder], list_guide)
    assert info.value.primary.code == "evidence.duplicate-centre"
    assert "C1" in info.value.primary.message


def test_load_evidences_collects_errors_from_every_file(list_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    folder = tmp_path / "centres"
    folder.mkdir()
    write(folder, YAML_CENTRES[0].replace("waiting_minutes: 12", "waiting_minutes: 999"), "a.yaml")
    write(folder, YAML_CENTRES[2].replace("model: onsite", "model: remote"), "b.yaml")
    with pytest.raises(EvidenceError) as info:
        load_evidences([folder], list_guide)
    found = sorted((Path(d.span.file).name, d.code, d.span.line) for d in info.value.diagnostics)
    assert found == [("a.yaml", "evidence.range", 5), ("b.yaml", "evidence.model", 2)]


def test_load_evidences_empty_folder_and_missing_path(list_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as info:
        load_evidences([tmp_path], list_guide)
    assert info.value.primary.code == "evidence.not-found"
    with pytest.raises(EvidenceError) as info:
        load_evidences([tmp_path / "nope.yaml"], list_guide)
    assert info.value.primary.code == "evidence.not-found"


def test_load_evidence_refuses_a_csv_of_several_centres(list_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    path = write(tmp_path, "\n".join([HEADER, *CSV_ROWS]) + "\n", "centres.csv")
    with pytest.raises(EvidenceError) as info:
        load_evidence(path, list_guide)
    assert info.value.primary.code == "evidence.many"


# ---- the JSON Schema of evidence ------------------------------------------------------------------------


@pytest.mark.parametrize("model", [None, "onsite"])
def test_evidence_schema_validates_c1(mini_guide: taqyeem_rules.Guide, model: str | None) -> None:
    schema = evidence_schema(mini_guide, model)
    jsonschema.Draft7Validator.check_schema(schema)
    c1 = yaml.safe_load(C1.read_text(encoding="utf-8"))
    jsonschema.validate(c1, schema, cls=jsonschema.Draft7Validator)
    no_optional = copy.deepcopy(c1)
    del no_optional["inputs"]["satisfaction"]
    jsonschema.validate(no_optional, schema, cls=jsonschema.Draft7Validator)
    null_optional = copy.deepcopy(c1)
    null_optional["inputs"]["satisfaction"] = None
    jsonschema.validate(null_optional, schema, cls=jsonschema.Draft7Validator)


def _broken(change: str) -> dict[str, Any]:
    c1 = yaml.safe_load(C1.read_text(encoding="utf-8"))
    inputs = c1["inputs"]
    if change == "range":
        inputs["waiting_minutes"] = 241
    elif change == "optional-range":
        inputs["satisfaction"] = 100.5
    elif change == "unknown":
        inputs["has_parkng_area"] = inputs.pop("has_parking_area")
    elif change == "missing":
        del inputs["reply_within_deadline"]
    elif change == "text-number":
        inputs["waiting_minutes"] = "12"
    elif change == "yes":
        inputs["has_parking_area"] = "yes"
    elif change == "checklist-item":
        del inputs["facilities"]["ramp"]
    elif change == "checklist-extra":
        inputs["facilities"]["lift"] = True
    elif change == "model":
        c1["model"] = "onsight"
    elif change == "centre":
        del c1["centre"]["id"]
    elif change == "top-level":
        c1["extra"] = 1
    return c1


@pytest.mark.parametrize(
    "change",
    ["range", "optional-range", "unknown", "missing", "text-number", "yes", "checklist-item",
     "checklist-extra", "model", "centre", "top-level"],
)
def test_evidence_schema_rejects_bad_data(mini_guide: taqyeem_rules.Guide, change: str) -> None:
    schema = evidence_schema(mini_guide)
    errors = list(jsonschema.Draft7Validator(schema).iter_errors(_broken(change)))
    assert errors, change


def test_evidence_schema_describes_the_inputs(mini_guide: taqyeem_rules.Guide) -> None:
    schema = evidence_schema(mini_guide, "onsite")
    (branch,) = schema["allOf"]
    inputs = branch["then"]["properties"]["inputs"]
    assert inputs["required"] == ["waiting_minutes", "facilities", "has_parking_area", "reply_within_deadline"]
    assert inputs["additionalProperties"] is False
    assert inputs["properties"]["waiting_minutes"]["maximum"] == 240
    assert inputs["properties"]["satisfaction"]["type"] == ["number", "null"]
    assert inputs["properties"]["facilities"]["required"] == ["parking", "ramp", "signage", "seating"]
    json.dumps(schema)  # plain JSON data
