"""Item 1 of issue 10: one reader of number text, with one range rule (FEEL's exponent
range), for every place numbers come in — a guide, YAML and JSON evidence, CSV cells,
records and ``dsl.to_decimal``. A number beyond the range is a clear error with its
position, never a ``decimal.InvalidOperation`` traceback."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from robust_helpers import (
    MINI_CENTRE,
    MINI_CSV_HEADER,
    MINI_CSV_ROW,
    MINI_GUIDE,
    mini_record,
    position,
    replaced,
    write,
)

import taqyeem_rules
from taqyeem_rules import dsl
from taqyeem_rules.dsl.numbers import NumberTextError, read_number
from taqyeem_rules.errors import EvidenceError, GuideError, RecordError, TaqyeemError
from taqyeem_rules.guide.yamlio import load_document

HUGE = "1e+9999999999999999999999"


def test_a_huge_exponent_in_a_guide_is_a_number_error_at_its_place(tmp_path: Path) -> None:
    text = replaced(MINI_GUIDE, "weight: 40", f"weight: {HUGE}")
    with pytest.raises(GuideError) as info:
        taqyeem_rules.load_guide(write(tmp_path, "guide.yaml", text))
    d = info.value.primary
    assert (d.code, d.message) == ("yaml.number", f"`{HUGE}` is too large a number (the limit is 1E+6144)")
    assert (d.span.line, d.span.col) == position(text, HUGE)


def test_a_quoted_number_in_a_guide_is_read_by_the_same_reader(tmp_path: Path) -> None:
    """Row points written as text ("4") are constants; out of range they are an error."""
    text = replaced(MINI_GUIDE, '{when: "<= 10", points: 4}', '{when: "<= 10", points: "1e-99999"}')
    with pytest.raises(GuideError) as info:
        taqyeem_rules.load_guide(write(tmp_path, "guide.yaml", text))
    d = info.value.primary
    assert (d.code, d.message) == ("yaml.number", "`1e-99999` is too small a number (the limit is 1E-6143)")
    assert (d.span.line, d.span.col) == position(text, '"1e-99999"')


@pytest.mark.parametrize("suffix", [".yaml", ".json"])
def test_a_huge_exponent_in_evidence_is_a_number_error_at_its_place(
    mini_guide: taqyeem_rules.Guide, tmp_path: Path, suffix: str
) -> None:
    if suffix == ".yaml":
        text = replaced(MINI_CENTRE, "waiting_minutes: 12", f"waiting_minutes: {HUGE}")
    else:
        data = yaml.safe_load(MINI_CENTRE)
        text = json.dumps(data, indent=2).replace('"waiting_minutes": 12', f'"waiting_minutes": {HUGE}')
    path = write(tmp_path, "centre" + suffix, text)
    with pytest.raises(EvidenceError) as info:
        taqyeem_rules.load_evidence(path, mini_guide)
    d = info.value.primary
    assert (d.code, d.message) == ("yaml.number", f"`{HUGE}` is too large a number (the limit is 1E+6144)")
    assert (d.span.line, d.span.col) == position(text, HUGE)


def test_a_huge_exponent_in_a_csv_cell_is_a_number_error_at_its_cell(
    mini_guide: taqyeem_rules.Guide, tmp_path: Path
) -> None:
    row = replaced(MINI_CSV_ROW, ",12,", f",{HUGE},")
    text = f"{MINI_CSV_HEADER}\n{row}\n"
    with pytest.raises(EvidenceError) as info:
        taqyeem_rules.load_evidences([write(tmp_path, "centres.csv", text)], mini_guide)
    d = info.value.primary
    assert (d.code, d.message) == (
        "evidence.number",
        f"`waiting_minutes` on row 2: `{HUGE}` is too large a number (the limit is 1E+6144)",
    )
    assert (d.span.line, d.span.col) == position(text, HUGE)


def test_to_decimal_refuses_numbers_beyond_the_range() -> None:
    with pytest.raises(TaqyeemError) as info:
        dsl.to_decimal("1e99999")
    assert (info.value.code, info.value.message) == (
        "number.range", "value: `1e99999` is too large a number (the limit is 1E+6144)")
    with pytest.raises(TaqyeemError) as info:
        dsl.to_decimal(10**7000)
    assert info.value.code == "number.range"
    with pytest.raises(TaqyeemError) as info:
        dsl.to_decimal(HUGE)
    assert info.value.code == "number.range"
    # Digits of other scripts are not number text (the one pattern is ASCII).
    with pytest.raises(TaqyeemError) as info:
        dsl.to_decimal("１２")
    assert info.value.code == "number.type"


def test_rounding_to_34_digits_cannot_overflow() -> None:
    """9.99…9E+6144 (40 nines) is within the exponent range but rounds to 1E+6145."""
    with pytest.raises(NumberTextError) as info:
        read_number("9" * 40 + "e6105")
    assert info.value.code == "number.range"


def _record_with(text: bytes, old: bytes, new: bytes) -> bytes:
    assert text.count(old) >= 1
    return text.replace(old, new, 1)


def test_a_huge_exponent_in_a_record_is_a_record_error(tmp_path: Path, mini_guide: taqyeem_rules.Guide) -> None:
    bad = _record_with(mini_record(mini_guide, 2), b'"count":2', f'"count":{HUGE}'.encode())
    with pytest.raises(RecordError) as info:
        taqyeem_rules.replay(bad)
    assert (info.value.code, info.value.message) == (
        "record.number",
        f"<record>, line 7: the `count` value holds a number out of range: `{HUGE}` is too large a "
        "number (the limit is 1E+6144)",
    )


# ---- one reader: every door agrees -----------------------------------------------------

_number_text = st.one_of(
    st.from_regex(r"\A[-+]?(?:[0-9]{1,40}(?:\.[0-9]{0,40})?|\.[0-9]{1,40})(?:[eE][-+]?[0-9]{1,25})?\Z"),
    st.sampled_from([HUGE, "1e6144", "1e6145", "1e-6143", "1e-6144", "0e99999", "-0", "+.5", "5."]),
)


def _yaml_value(text: str) -> Decimal | str:
    try:
        return load_document(f"x: {text}\n", "<t>").data["x"]
    except TaqyeemError as exc:
        return "refused" if exc.code == "yaml.number" else exc.code


def _to_decimal(text: str) -> Decimal | str:
    try:
        return dsl.to_decimal(text)
    except TaqyeemError as exc:
        return "refused" if exc.code == "number.range" else exc.code


def _reader(text: str) -> Decimal | str:
    try:
        return read_number(text)
    except NumberTextError as exc:
        return "refused" if exc.code == "number.range" else exc.code


@given(_number_text)
def test_every_door_reads_number_text_alike(text: str) -> None:
    expected = _reader(text)
    assert _yaml_value(text) == expected
    assert _to_decimal(text) == expected
    if expected != "refused":
        # within the range: the value is exactly the text's, and rounds safely
        assert expected == Decimal(text)
        dsl.numbers.FEEL_CONTEXT.plus(expected)
