"""Items 13, 14 and 16 of issue 10: ids, editions and YAML tags.

- schema patterns match the whole text (ECMA-262 ``$``): `access_location_info\\n` is not
  an id, `"2019\\n"` not an edition;
- YAML tags are errors (as documented): ``!!str 50`` is not read as 50, ``!!binary`` and
  ``!!python/object:…`` on mappings are not accepted silently;
- ids are bounded (128 characters) and so is the work of a "did you mean" hint: an
  unknown 100,000-character id or 8,000 unknown CSV columns are answered at once.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from robust_helpers import (
    MINI_CENTRE,
    MINI_CSV_HEADER,
    MINI_CSV_ROW,
    MINI_GUIDE,
    position,
    replaced,
    write,
)

import taqyeem_rules
from shared import MINI_AMENDED
from taqyeem_rules.dsl.checker import did_you_mean
from taqyeem_rules.dsl.limits import MAX_ID_LENGTH, MAX_NAME_LENGTH, MAX_REPORTED
from taqyeem_rules.errors import EvidenceError, GuideError
from taqyeem_rules.guide.schema import ecma_pattern, guide_schema


def guide_error(tmp_path: Path, text: str) -> GuideError:
    with pytest.raises(GuideError) as info:
        taqyeem_rules.load_guide(write(tmp_path, "guide.yaml", text))
    return info.value


# ---- item 13: whole-text patterns -----------------------------------------------------


def test_an_id_with_a_trailing_newline_is_not_an_id(tmp_path: Path) -> None:
    text = replaced(MINI_GUIDE, "- id: waiting_minutes", '- id: "waiting_minutes\\n"')
    d = guide_error(tmp_path, text).primary
    assert (d.code, d.message) == ("guide.id", "inputs[0].id: the text `waiting_minutes\n` is not a valid identifier")
    assert (d.span.line, d.span.col) == position(text, '"waiting_minutes')


def test_an_edition_with_a_trailing_newline_is_refused(tmp_path: Path) -> None:
    text = replaced(MINI_GUIDE, 'edition: "mini"', 'edition: "2019\\n"')
    d = guide_error(tmp_path, text).primary
    assert (d.code, d.message) == ("guide.id", "edition: the text `2019\n` is not a valid edition id")
    assert (d.span.line, d.span.col) == position(text, '"2019')


def test_patterns_keep_their_meaning_otherwise() -> None:
    assert ecma_pattern("^[A-Za-z_][A-Za-z0-9_]*$").search("waiting_minutes")
    assert not ecma_pattern("^[A-Za-z_][A-Za-z0-9_]*$").search("waiting_minutes\n")
    assert ecma_pattern(r"^a[$]\$$").search("a$$")  # a `$` in a class or escaped is a dollar
    assert not ecma_pattern(r"^a[$]\$$").search("a$$\n")


# ---- item 14: YAML tags --------------------------------------------------------------


@pytest.mark.parametrize(("old", "new", "tag"), [
    ("weight: 40", "weight: !!str 40", "!!str"),
    ("weight: 40", "weight: !!int 40", "!!int"),
    ("weight: 40", "weight: &w !!float 40", "!!float"),
    ("weight: 40", "weight: ! 40", "!"),
    ("points: {min: 0, max: 4}", "points: !!binary {min: 0, max: 4}", "!!binary"),
    ("numbers:\n", "numbers: !!python/object:decimal.Decimal\n", "!!python/object:decimal.Decimal"),
    ("  - id: waiting_minutes", "  - !!map\n    id: waiting_minutes", "!!map"),
    ("rounding: half_even", "!!str rounding: half_even", "!!str"),
])
def test_yaml_tags_are_errors(tmp_path: Path, old: str, new: str, tag: str) -> None:
    text = replaced(MINI_GUIDE, old, new)
    d = guide_error(tmp_path, text).primary
    assert (d.code, d.message) == ("yaml.tag", f"YAML tags are not allowed (`{tag}`)")
    assert (d.span.line, d.span.col) == position(text, tag, text.index(new))


def test_a_tag_in_evidence_is_an_error(tmp_path: Path, mini_guide: taqyeem_rules.Guide) -> None:
    guide = mini_guide
    text = replaced(MINI_CENTRE, "waiting_minutes: 12", "waiting_minutes: !!str 12")
    with pytest.raises(EvidenceError) as info:
        taqyeem_rules.load_evidence(write(tmp_path, "c.yaml", text), guide)
    assert info.value.code == "yaml.tag"


def test_text_that_looks_like_a_tag_is_text(tmp_path: Path) -> None:
    text = replaced(MINI_GUIDE, '{title: "Hand-made test fixture"}', '{title: "!!str is text here"}')
    assert taqyeem_rules.load_guide(write(tmp_path, "guide.yaml", text)).provenance.sources[0].title == "!!str is text here"


# ---- item 16: bounded ids and hints ----------------------------------------------------


def test_the_schema_bounds_ids_as_the_limits_say() -> None:
    schema = guide_schema()
    assert schema["definitions"]["id"]["maxLength"] == MAX_ID_LENGTH
    assert schema["properties"]["edition"]["maxLength"] == MAX_ID_LENGTH
    assert schema["properties"]["extends"]["maxLength"] == MAX_ID_LENGTH
    assert schema["definitions"]["amendment"]["properties"]["id"]["maxLength"] == MAX_ID_LENGTH


def test_a_long_id_is_refused_by_its_length(tmp_path: Path) -> None:
    long_id = "w" * (MAX_ID_LENGTH + 1)
    text = replaced(MINI_GUIDE, "- id: waiting_minutes", f"- id: {long_id}")
    error = guide_error(tmp_path, text)
    (d,) = [d for d in error.diagnostics if d.code == "guide.too-long"]
    assert d.message == f"inputs[0].id is {MAX_ID_LENGTH + 1} characters long; the limit is {MAX_ID_LENGTH}"
    assert (d.span.line, d.span.col) == position(text, long_id)
    at_limit = replaced(MINI_GUIDE, "waiting_minutes", "w" * MAX_ID_LENGTH) if MINI_GUIDE.count("waiting_minutes") == 1 else None
    assert at_limit is None or taqyeem_rules.load_guide(write(tmp_path, "ok.yaml", at_limit))


def test_an_unknown_huge_id_in_an_amendment_is_answered_at_once(tmp_path: Path) -> None:
    amended = (MINI_AMENDED / "guide.yaml").read_text(encoding="utf-8")
    huge = "x" * 100_000
    text = amended + f"""  - id: A99
    rationale: "Remove a criterion that is not there."
    remove_criterion:
      id: {huge}
"""
    folder = tmp_path / "amended"
    folder.mkdir()
    error = guide_error(folder, text)
    (d,) = [d for d in error.diagnostics if d.code == "guide.too-long"]
    assert d.message == "amendments[6].remove_criterion.id is 100,000 characters long; the limit is 128"
    assert (d.span.line, d.span.col) == position(text, huge)
    assert all(d.hint is None or huge not in d.hint for d in error.diagnostics)


def test_did_you_mean_bounds_its_work() -> None:
    assert did_you_mean("x" * (MAX_NAME_LENGTH + 1), ["x" * (MAX_NAME_LENGTH + 1)]) is None
    assert did_you_mean("waitng_minutes", ["waiting_minutes", "w" * 100_000]) == "did you mean `waiting_minutes`?"
    many = [f"input_{k}" for k in range(50_000)] + ["waiting_minutes"]
    assert did_you_mean("waitng_minutes", many) == "did you mean `waiting_minutes`?"


def test_thousands_of_unknown_csv_columns_are_reported_in_bounds(tmp_path: Path, mini_guide: taqyeem_rules.Guide) -> None:
    guide = mini_guide
    extra = [f"unknown_column_{k}" for k in range(1980)]
    header = MINI_CSV_HEADER + "," + ",".join(extra)
    rows = [f"M-{k:02d}" + MINI_CSV_ROW[4:] + "," * len(extra) for k in range(30)]
    path = write(tmp_path, "wide.csv", "\n".join([header, *rows]) + "\n")
    with pytest.raises(EvidenceError) as info:
        taqyeem_rules.load_evidences([path], guide)
    diags = info.value.diagnostics
    assert len(diags) == MAX_REPORTED + 1  # found once, not once per row
    assert diags[-1].message == f"{1980 - MAX_REPORTED:,} more unknown input columns for model onsite"
    assert diags[0].message == "unknown input column `unknown_column_0` for model onsite"


def test_a_centre_id_is_bounded(tmp_path: Path, mini_guide: taqyeem_rules.Guide) -> None:
    guide = mini_guide
    long_id = "C" * (MAX_ID_LENGTH + 1)
    text = replaced(MINI_CENTRE, 'id: "M-01"', f'id: "{long_id}"')
    with pytest.raises(EvidenceError) as info:
        taqyeem_rules.load_evidence(write(tmp_path, "c.yaml", text), guide)
    assert (info.value.code, info.value.message) == (
        "evidence.too-long", f"centre.id is {MAX_ID_LENGTH + 1} characters long; the limit is {MAX_ID_LENGTH}")
    assert json.dumps(taqyeem_rules.evidence_schema(guide)["properties"]["centre"]["properties"]["id"]) == (
        f'{{"type": "string", "minLength": 1, "maxLength": {MAX_ID_LENGTH}}}')
