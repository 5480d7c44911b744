"""Item 4 of issue 10: replay checks the guide inside a record like any guide — schema,
limits and checks — before any arithmetic. A record asking for 100,000,000 digits of
precision or a report scale of 100,000 is refused at once with the reason; the archived
records (written by earlier releases) still pass these checks unchanged."""

from __future__ import annotations

import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest
from robust_helpers import mini_record

import taqyeem_rules
from shared import ROOT
from taqyeem_rules.errors import RecordError
from taqyeem_rules.guide import canonical_json
from taqyeem_rules.guide.loader import guide_from_canonical

ARCHIVE = ROOT / "tests" / "records" / "archive"


def forged(data: bytes, change: Any, *, refingerprint: bool) -> bytes:
    """The record with its guide changed by ``change(guide_data)``; with
    ``refingerprint``, the guide fingerprint is made to match (as a forger would)."""
    lines = data.split(b"\n")
    k = next(i for i, line in enumerate(lines) if line.startswith(b'"guide":'))
    guide = json.loads(lines[k][len(b'"guide":') : -1], parse_float=Decimal)
    change(guide)
    text = canonical_json(guide)
    lines[k] = b'"guide":' + text.encode() + b","
    if refingerprint:
        fp = hashlib.sha256(text.encode()).hexdigest()
        lines[k - 1] = f'"guide_fingerprint":"{fp}",'.encode()
    return b"\n".join(lines)


def set_numbers(**values: Any) -> Any:
    def change(guide: dict[str, Any]) -> None:
        for key, value in values.items():
            if key == "scale":
                guide["numbers"]["report"]["scale"] = value
            else:
                guide["numbers"][key] = value
    return change


@pytest.mark.parametrize(("change", "message"), [
    (set_numbers(precision=100_000_000), "numbers.precision must be at most 999, not 100000000"),
    (set_numbers(scale=100_000), "numbers.report.scale must be at most 12, not 100000"),
])
def test_a_forged_guide_is_refused_before_any_arithmetic(change: Any, message: str, mini_guide: taqyeem_rules.Guide) -> None:
    bad = forged(mini_record(mini_guide, 2), change, refingerprint=True)
    with pytest.raises(RecordError) as info:
        taqyeem_rules.replay(bad)
    assert info.value.code == "record.guide"
    assert info.value.message == (
        "<record>: this version of taqyeem_rules (0.1.0) cannot rebuild the recorded guide: " + message)


def test_an_altered_guide_that_fails_the_checks_is_an_integrity_finding(mini_guide: taqyeem_rules.Guide) -> None:
    bad = forged(mini_record(mini_guide, 2), set_numbers(precision=100_000_000), refingerprint=False)
    report = taqyeem_rules.replay(bad)
    assert not report.ok and not report.replayed
    (finding,) = [f for f in report.integrity if f.part == "guide"]
    assert finding.code == "record.guide-altered"
    assert "numbers.precision must be at most 999, not 100000000" in finding.message


def test_a_guide_that_fails_the_semantic_checks_is_refused(mini_guide: taqyeem_rules.Guide) -> None:
    """Category weights summing to 90: the schema allows it, the checks do not."""
    def change(guide: dict[str, Any]) -> None:
        guide["models"]["onsite"]["categories"][0]["weight"] = "30"

    bad = forged(mini_record(mini_guide, 2), change, refingerprint=True)
    with pytest.raises(RecordError) as info:
        taqyeem_rules.replay(bad)
    assert info.value.code == "record.guide"
    assert info.value.message.endswith("the category weights of model `onsite` sum to 90, not 100")


def test_canonical_numbers_out_of_range_are_number_errors(mini_guide: taqyeem_rules.Guide) -> None:
    guide = json.loads(mini_guide.canonical_json())
    guide["points"]["max"] = "1e99999"
    with pytest.raises(taqyeem_rules.GuideError) as info:
        guide_from_canonical(guide)
    assert (info.value.code, info.value.message) == (
        "yaml.number", "points.max: `1e99999` is too large a number (the limit is 1E+6144)")


@pytest.mark.parametrize("edition", ["2019", "2023", "2024"])
def test_the_archived_guides_pass_the_checks_unchanged(edition: str) -> None:
    lines = (ARCHIVE / f"{edition}.json").read_bytes().split(b"\n")
    raw = next(line for line in lines if line.startswith(b'"guide":'))[len(b'"guide":') : -1]
    guide = guide_from_canonical(json.loads(raw, parse_float=Decimal))
    assert guide.check().ok
    fp = next(line for line in lines if line.startswith(b'"guide_fingerprint":'))
    assert guide.fingerprint == json.loads(fp[len(b'"guide_fingerprint":') : -1])
    assert taqyeem_rules.replay(ARCHIVE / f"{edition}.json").ok
