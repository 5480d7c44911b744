"""Writing cycle records: the layout, determinism, atomic writes, and usage errors."""

from __future__ import annotations

import hashlib
import json
import random
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from record_helpers import HEADER, mini_evidences, parse, sha

import taqyeem_rules.engine.record as record_module
from shared import ROOT
from taqyeem_rules import (
    CycleRecord,
    EvidenceError,
    Guide,
    RecordError,
    ScoringError,
    load_evidences,
    load_guide,
    record_cycle,
    replay,
)
from taqyeem_rules.engine.record import RECORD_FORMAT
from taqyeem_rules.guide import canonical_json

EXAMPLES_2024 = ROOT / "criteria" / "2024" / "examples"


@pytest.fixture(scope="module")
def guide_2024() -> Any:
    return load_guide("2024")


@pytest.fixture(scope="module")
def record_2024(guide_2024: Any) -> bytes:
    rec = record_cycle(guide_2024, load_evidences([EXAMPLES_2024], guide_2024), cycle="Taqyeem 5")
    assert rec.data is not None
    return rec.data


# ---- the layout -----------------------------------------------------------------------------


def test_record_is_one_json_document_with_every_part(record_2024: bytes, guide_2024: Any) -> None:
    data = parse(record_2024)
    assert list(data) == [*HEADER, "centres", "fingerprint"]
    assert data["format"] == RECORD_FORMAT
    assert data["cycle"] == "Taqyeem 5"
    assert data["engine"]["name"] == "taqyeem_rules"
    assert data["plugins"] == []
    assert data["guide_fingerprint"] == guide_2024.fingerprint
    assert data["guide"] == json.loads(guide_2024.canonical_json())
    assert data["count"] == len(data["centres"]) == len(list(EXAMPLES_2024.iterdir()))
    for c in data["centres"]:
        assert list(c) == ["evidence", "evidence_fingerprint", "result", "result_fingerprint"]
        assert c["evidence_fingerprint"] == sha(canonical_json(c["evidence"]))
        assert c["result_fingerprint"] == sha(canonical_json(c["result"]))
        assert c["result"]["evidence_fingerprint"] == c["evidence_fingerprint"]
        assert c["result"]["guide_fingerprint"] == guide_2024.fingerprint
        assert c["result"]["traced"] is True


def test_one_part_per_line_and_the_fingerprint_covers_every_line_above_it(record_2024: bytes) -> None:
    lines = record_2024.split(b"\n")
    assert lines[-1] == b""  # ends with a newline
    lines = lines[:-1]
    data = parse(record_2024)
    assert len(lines) == len(HEADER) + 1 + data["count"] + 2
    assert lines[0].startswith(b'{"format":')
    assert lines[len(HEADER)] == b'"centres":['
    assert lines[-2] == b"],"
    # `head -n -1 record.json | sha256sum`
    body = b"".join(line + b"\n" for line in lines[:-1])
    assert lines[-1] == f'"fingerprint":"{hashlib.sha256(body).hexdigest()}"}}'.encode()
    # every centre line is the canonical JSON of its entry
    for k, line in enumerate(lines[len(HEADER) + 1 : -2]):
        text = line.decode().removesuffix(",")
        assert text == canonical_json(data["centres"][k])


def test_centres_are_in_canonical_order_whatever_the_input_order(guide_2024: Any, record_2024: bytes) -> None:
    centres = parse(record_2024)["centres"]
    keys = [(c["evidence"]["model"], c["evidence"]["centre"]["id"]) for c in centres]
    order = [m.id for m in guide_2024.models]
    assert keys == sorted(keys, key=lambda k: (order.index(k[0]), k[1]))
    assert {k[0] for k in keys} == set(order)  # both models


def test_numbers_are_strings_and_there_is_no_float(record_2024: bytes) -> None:
    def walk(value: Any) -> None:
        assert not isinstance(value, float | Decimal)
        if isinstance(value, dict):
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(json.loads(record_2024))


def test_written_file_equals_returned_bytes(tmp_path: Path, guide_2024: Any, record_2024: bytes) -> None:
    path = tmp_path / "cycle.json"
    rec = record_cycle(guide_2024, load_evidences([EXAMPLES_2024], guide_2024), cycle="Taqyeem 5", path=path)
    assert path.read_bytes() == record_2024
    assert rec.data is None
    assert rec.path == str(path)
    assert rec.size == len(record_2024)
    assert rec.fingerprint == parse(record_2024)["fingerprint"]
    assert rec.count == parse(record_2024)["count"]
    assert rec.edition == "2024"


def test_record_and_replay_round_trip_in_memory(guide_2024: Any) -> None:
    rec = record_cycle(guide_2024, load_evidences([EXAMPLES_2024], guide_2024), cycle="Taqyeem 5")
    assert isinstance(rec, CycleRecord)
    report = replay(rec)
    assert report.ok
    assert report.fingerprint == rec.fingerprint == report.computed_fingerprint
    assert replay(rec.data).ok  # the bytes themselves


# ---- determinism ---------------------------------------------------------------------------


def _reverse_keys(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _reverse_keys(v) for k, v in reversed(list(value.items()))}
    if isinstance(value, list):
        return [_reverse_keys(v) for v in value]
    return value


def test_same_cycle_gives_byte_identical_records(tmp_path: Path, guide_2024: Any, record_2024: bytes) -> None:
    """Evidence files given in another order, with their YAML keys reordered: same bytes."""
    files = sorted(EXAMPLES_2024.iterdir())
    shuffled = tmp_path / "shuffled"
    shuffled.mkdir()
    copies = []
    for k, f in enumerate(files):
        data = yaml.safe_load(f.read_text(encoding="utf-8"))
        text = yaml.safe_dump(_reverse_keys(data), allow_unicode=True, sort_keys=False, default_flow_style=False)
        assert text.index("inputs") < text.index("centre")  # keys really reordered
        copy = shuffled / f"{len(files) - k:02d}-{f.name}"
        copy.write_text("# re-ordered copy\n" + text, encoding="utf-8")
        copies.append(copy)
    random.Random(7).shuffle(copies)
    again = record_cycle(guide_2024, load_evidences(copies, guide_2024), cycle="Taqyeem 5")
    assert again.data == record_2024
    # and from a freshly loaded guide
    fresh = load_guide(ROOT / "criteria" / "2024" / "guide.yaml")
    third = record_cycle(fresh, reversed(load_evidences([EXAMPLES_2024], fresh)), cycle="Taqyeem 5")
    assert third.data == record_2024


def test_evidence_as_python_data_in_any_order_gives_the_same_record(mini_guide: Guide) -> None:
    a = record_cycle(mini_guide, mini_evidences(3), cycle="c").data
    b = record_cycle(mini_guide, list(reversed(mini_evidences(3))), cycle="c").data
    assert a == b
    assert replay(a).ok


def test_record_holds_no_clock_or_machine_data(record_2024: bytes) -> None:
    import getpass
    import os
    import platform

    text = record_2024.decode()
    for secret in {platform.node(), getpass.getuser(), os.getcwd(), str(Path.home())}:
        if len(secret) > 3:
            assert secret not in text


# ---- atomic writes --------------------------------------------------------------------------


def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.mark.parametrize("error", [RuntimeError, KeyboardInterrupt])
def test_interrupted_write_leaves_previous_record_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, error: type[BaseException],
    mini_guide: Guide,
) -> None:
    path = tmp_path / "cycle.json"
    record_cycle(mini_guide, mini_evidences(3), cycle="first", path=path)
    before = path.read_bytes()

    real = record_module.centre_line
    calls = 0

    def failing(*args: Any) -> str:
        nonlocal calls
        calls += 1
        if calls == 3:
            raise error("interrupted mid-write")
        return real(*args)

    monkeypatch.setattr(record_module, "centre_line", failing)
    with pytest.raises(error):
        record_cycle(mini_guide, mini_evidences(5), cycle="second", path=path)
    assert calls == 3
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []
    assert replay(path).ok


def test_write_failure_before_any_file_leaves_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mini_guide: Guide) -> None:
    def failing(*args: Any) -> str:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(record_module, "centre_line", failing)
    with pytest.raises(RuntimeError):
        record_cycle(mini_guide, mini_evidences(2), cycle="c", path=tmp_path / "new.json")
    assert list(tmp_path.iterdir()) == []


def test_invalid_evidence_aborts_the_record(tmp_path: Path, mini_guide: Guide) -> None:
    path = tmp_path / "cycle.json"
    record_cycle(mini_guide, mini_evidences(2), cycle="c", path=path)
    before = path.read_bytes()
    bad = mini_evidences(4)
    bad[1]["inputs"]["waiting_minutes"] = Decimal(-1)  # outside the declared range → invalid evidence
    with pytest.raises(EvidenceError) as info:
        record_cycle(mini_guide, bad, cycle="c", path=path)
    assert "waiting_minutes" in str(info.value)
    assert path.read_bytes() == before
    assert _leftovers(tmp_path) == []


def test_scoring_failures_are_all_named(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    guide = load_guide("2024")
    evidences = load_evidences([EXAMPLES_2024], guide)
    path = tmp_path / "cycle.json"

    real = record_module.score
    failing_ids = {evidences[2].centre_id, evidences[5].centre_id}

    def score(guide: Any, ev: Any, **kw: Any) -> Any:
        if ev.centre_id in failing_ids:
            raise ScoringError(f"centre {ev.centre_id}: cannot be scored", code="scoring.missing")
        return real(guide, ev, **kw)

    monkeypatch.setattr(record_module, "score", score)
    with pytest.raises(ScoringError) as info:
        record_cycle(guide, evidences, cycle="c", path=path)
    assert all(i in str(info.value) for i in failing_ids)
    assert not path.exists()
    assert _leftovers(tmp_path) == []


# ---- usage errors -------------------------------------------------------------------------------


def test_duplicate_centre_is_an_evidence_error(mini_guide: Guide) -> None:
    evs = mini_evidences(2)
    evs.append(mini_evidences(1)[0])
    with pytest.raises(EvidenceError) as info:
        record_cycle(mini_guide, evs, cycle="c")
    assert info.value.code == "evidence.duplicate-centre"
    assert "M-01" in info.value.message


@pytest.mark.parametrize("cycle", ["", "   "])
def test_cycle_name_is_required(cycle: str, mini_guide: Guide) -> None:
    with pytest.raises(RecordError) as info:
        record_cycle(mini_guide, mini_evidences(1), cycle=cycle)
    assert info.value.code == "record.cycle"
    assert info.value.hint


def test_no_centres_is_an_error(mini_guide: Guide) -> None:
    with pytest.raises(RecordError) as info:
        record_cycle(mini_guide, [], cycle="c")
    assert info.value.code == "record.empty"


def test_missing_folder_is_a_record_error(tmp_path: Path, mini_guide: Guide) -> None:
    with pytest.raises(RecordError) as info:
        record_cycle(mini_guide, mini_evidences(1), cycle="c", path=tmp_path / "nope" / "c.json")
    assert info.value.code == "record.io"
    assert "no folder" in info.value.message
