"""Replaying records: tampering is detected and named; unreadable records are clear errors."""

from __future__ import annotations

import copy
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from record_helpers import (
    get,
    layout,
    leaves,
    mini_evidences,
    mutate,
    parse,
    put,
    refingerprint_all,
)

from shared import C1, FIXTURES, MINI_YAML, ROOT
from taqyeem_rules import RecordError, load_evidences, load_guide, record_cycle, replay
from taqyeem_rules.dsl import function
from taqyeem_rules.dsl.plugins import default_registry
from taqyeem_rules.engine.record import RECORD_FORMAT

# A small record (mini guide, 3 centres) as bytes and as data, made once.
MINI_RECORD = record_cycle(load_guide(MINI_YAML), mini_evidences(3), cycle="Mini cycle").data
assert MINI_RECORD is not None
MINI_DATA = parse(MINI_RECORD)


def test_mini_record_replays() -> None:
    report = replay(MINI_RECORD)
    assert report.ok, report.summary()
    assert [c.centre for c in report.centres] == ["M-01", "M-02", "M-03"]
    assert report.integrity == ()
    assert report.to_dict()["ok"] is True


def test_layout_helper_reproduces_the_record() -> None:
    assert layout(MINI_DATA) == MINI_RECORD
    assert layout(MINI_DATA, refingerprint=True) == MINI_RECORD


def _replay_altered(path: tuple[Any, ...], value: Any = None, *, refingerprint: bool = False) -> Any:
    data = copy.deepcopy(MINI_DATA)
    put(data, path, mutate(get(data, path)) if value is None else value)
    return replay(layout(data, refingerprint=refingerprint))


def _parts(report: Any) -> set[tuple[str, int | None]]:
    return {(f.part, f.index) for f in report.integrity}


# ---- tampering, one part at a time ----------------------------------------------------------------


def test_altered_evidence_value_is_named() -> None:
    report = _replay_altered(("centres", 1, "evidence", "inputs", "waiting_minutes"), "30")
    assert not report.ok
    finding = next(f for f in report.integrity if f.part == "evidence")
    assert (finding.index, finding.centre, finding.model) == (1, "M-02", "onsite")
    assert finding.field == "inputs.waiting_minutes"
    assert "M-02" in finding.message and "inputs.waiting_minutes" in finding.message
    # and the re-scored numbers say what the altered value changes, down to the input
    paths = {d.path for d in report.differences if d.centre == "M-02"}
    assert "criteria.waiting.inputs.waiting_minutes" in paths
    assert "criteria.waiting.points" in paths
    d = next(d for d in report.differences if d.path == "criteria.waiting.points")
    assert (d.criterion, d.category, d.recorded, d.replayed) == ("waiting", "service", "3", "1")
    assert d.inputs == {"waiting_minutes": "30"}
    d = next(d for d in report.differences if d.path.endswith("inputs.waiting_minutes"))
    assert (d.criterion, d.input) == ("waiting", "waiting_minutes")


def test_altered_checklist_item_is_named() -> None:
    report = _replay_altered(("centres", 0, "evidence", "inputs", "facilities", "ramp"), False)
    finding = next(f for f in report.integrity if f.part == "evidence")
    assert finding.field == "inputs.facilities.ramp"


def test_altered_result_value_is_named() -> None:
    report = _replay_altered(("centres", 2, "result", "total"), "99.99")
    assert not report.ok
    finding = next(f for f in report.integrity if f.part == "result")
    assert (finding.index, finding.centre, finding.field) == (2, "M-03", "total")
    [d] = report.differences
    assert (d.centre, d.path, d.recorded) == ("M-03", "total", "99.99")
    assert d.replayed == MINI_DATA["centres"][2]["result"]["total"]


def test_altered_criterion_result_is_named() -> None:
    criteria = MINI_DATA["centres"][0]["result"]["criteria"]
    k = next(i for i, c in enumerate(criteria) if c["id"] == "tawasul")
    report = _replay_altered(("centres", 0, "result", "criteria", k, "points"), "2")
    finding = next(f for f in report.integrity if f.part == "result")
    assert finding.field == "criteria.tawasul.points"
    [d] = report.differences
    assert (d.criterion, d.category, d.recorded, d.replayed) == ("tawasul", "service", "2", "4")
    assert d.inputs == {"reply_within_deadline": "88"}


def test_altered_guide_weight_is_detected_and_its_effect_named() -> None:
    path = ("guide", "models", "onsite", "categories", 1, "criteria", 0, "weight")
    report = _replay_altered(path, "5")
    assert not report.ok
    assert ("guide", None) in _parts(report)
    paths = {d.path for d in report.differences}
    assert "criteria.waiting.weight" in paths  # named down to the criterion
    assert "guide_fingerprint" in paths
    assert all(c.differences for c in report.centres)


def test_altered_bundled_guide_names_the_field() -> None:
    """For a bundled edition (unchanged since), the altered guide field itself is named."""
    guide = load_guide("2024")
    examples = sorted((ROOT / "criteria" / "2024" / "examples").iterdir())[:2]
    rec = record_cycle(guide, load_evidences(examples, guide), cycle="c")
    assert rec.data is not None
    data = parse(rec.data)
    cat = data["guide"]["models"]["onsite"]["categories"][0]
    cat["label"]["en"] += " (edited)"
    report = replay(layout(data))
    finding = next(f for f in report.integrity if f.part == "guide")
    assert finding.field == "models.onsite.categories.0.label.en".replace(".0.", f".{cat['id']}.")


def test_guide_that_cannot_be_rebuilt_is_a_finding_not_a_traceback() -> None:
    path = ("guide", "models", "onsite", "categories", 0, "criteria", 0, "score")
    report = _replay_altered(path, "checked(facilities")
    assert not report.ok
    assert not report.replayed or report.differences
    assert any(f.part == "guide" for f in report.integrity)


@pytest.mark.parametrize(
    ("path", "part", "index"),
    [
        (("centres", 1, "evidence_fingerprint"), "evidence_fingerprint", 1),
        (("centres", 2, "result_fingerprint"), "result_fingerprint", 2),
        (("guide_fingerprint",), "guide_fingerprint", None),
        (("fingerprint",), "record", None),
    ],
)
def test_altered_fingerprint_is_named(path: tuple[Any, ...], part: str, index: int | None) -> None:
    value = get(MINI_DATA, path)
    report = _replay_altered(path, value[:-1] + ("0" if value[-1] != "0" else "1"))
    assert not report.ok
    assert (part, index) in _parts(report)
    if part != "record":
        assert report.difference_count == 0 or part == "guide_fingerprint"


@pytest.mark.parametrize(
    ("path", "value"), [(("cycle",), "Another cycle"), (("engine", "version"), "9.9"), (("count",), 2)]
)
def test_altered_header_is_detected(path: tuple[Any, ...], value: Any) -> None:
    report = _replay_altered(path, value)
    assert not report.ok
    assert ("record", None) in _parts(report)
    if path == ("count",):
        assert ("count", None) in _parts(report)


def test_removed_centre_is_detected() -> None:
    data = copy.deepcopy(MINI_DATA)
    del data["centres"][1]
    report = replay(layout(data, refingerprint=True))
    assert not report.ok
    assert ("count", None) in _parts(report)


def test_reordered_centres_are_detected() -> None:
    data = copy.deepcopy(MINI_DATA)
    data["centres"].reverse()
    report = replay(layout(data, refingerprint=True))
    assert any(f.part == "order" for f in report.integrity)


def test_consistent_forgery_is_caught_by_the_published_fingerprint() -> None:
    """A forger who recomputes every fingerprint still changes the record's fingerprint."""
    data = copy.deepcopy(MINI_DATA)
    data["centres"][0]["result"]["total"] = "99.99"
    forged = layout(refingerprint_all(data), refingerprint=True)
    report = replay(forged)
    assert not report.ok  # the re-scored total still differs
    assert [d.path for d in report.differences] == ["total"]
    published = MINI_DATA["fingerprint"]
    assert replay(MINI_RECORD, expected_fingerprint=published).ok
    report = replay(forged, expected_fingerprint=published)
    assert any(f.code == "record.expected-fingerprint" for f in report.integrity)


_LEAVES = [p for p in leaves(MINI_DATA) if p != ("format",)]


def _expected_part(path: tuple[Any, ...]) -> tuple[set[str], int | None]:
    head = path[0]
    if head == "centres":
        return {path[2]}, path[1]
    if head == "guide":
        return {"guide"}, None
    if head == "guide_fingerprint":
        return {"guide_fingerprint"}, None
    if head == "count":
        return {"count"}, None
    return {"record"}, None


@given(st.sampled_from(_LEAVES))
def test_any_single_altered_value_is_detected_and_named(path: tuple[Any, ...]) -> None:
    """Change any one value anywhere in a record: the replay is not ok and names the part."""
    report = _replay_altered(path)
    assert not report.ok
    parts, index = _expected_part(path)
    named = {f.part for f in report.integrity if f.index == index}
    assert named & parts, (path, [f.message for f in report.integrity])


@given(st.sampled_from(_LEAVES))
def test_altered_value_with_record_refingerprinted_is_still_named(path: tuple[Any, ...]) -> None:
    parts, index = _expected_part(path)
    if parts == {"record"}:  # cycle, engine: only the record fingerprint (published) covers them
        return
    report = _replay_altered(path, refingerprint=True)
    assert not report.ok
    named = {f.part for f in report.integrity if f.index == index}
    assert named & parts, (path, [f.message for f in report.integrity])


# ---- records that cannot be read ----------------------------------------------------------------


def _error(data: bytes | str | Path) -> RecordError:
    with pytest.raises(RecordError) as info:
        replay(data if not isinstance(data, str) else data.encode())
    error = info.value
    assert error.hint, error
    assert "Traceback" not in str(error)
    return error


@pytest.mark.parametrize(
    ("fmt", "words"),
    [("taqyeem-record/99", "reads taqyeem-record/1, taqyeem-record/2"), ("something-else", "unknown record format")],
)
def test_unknown_format_version(fmt: str, words: str) -> None:
    data = copy.deepcopy(MINI_DATA)
    data["format"] = fmt
    error = _error(layout(data, refingerprint=True))
    assert error.code == "record.format"
    assert any(w in error.message for w in words.split("|")), error.message
    assert RECORD_FORMAT in error.message or RECORD_FORMAT in (error.hint or "")


@pytest.mark.parametrize("cut", [0.999, 0.75, 0.5, 0.1, 0.01])
def test_truncated_record(cut: float) -> None:
    error = _error(MINI_RECORD[: int(len(MINI_RECORD) * cut)])
    assert error.code in ("record.truncated", "record.corrupt")
    if error.code == "record.truncated":
        assert "truncated" in error.message


def test_record_missing_its_last_newline_is_truncated() -> None:
    assert _error(MINI_RECORD[:-1]).code == "record.truncated"


@given(st.integers(min_value=0, max_value=len(MINI_RECORD) - 1))
def test_any_truncation_is_a_record_error(size: int) -> None:
    with pytest.raises(RecordError):
        replay(MINI_RECORD[:size])


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.json"
    path.write_bytes(b"")
    error = _error(path)
    assert error.code == "record.truncated"
    assert str(path) in error.message


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (b'"result":{', b'"result":{{'),
        (b'"evidence":{"centre"', b'"evidence":{centre'),
        (b'"total":"', b'"total":'),
        (b"],\n\"fingerprint\"", b"],\n\"fingerprint\"\""),
    ],
)
def test_invalid_json(old: bytes, new: bytes) -> None:
    assert old in MINI_RECORD
    error = _error(MINI_RECORD.replace(old, new, 1))
    assert error.code in ("record.corrupt", "record.layout")
    assert "line" in error.message


def test_not_utf8() -> None:
    error = _error(MINI_RECORD.replace(b"Centre 2", b"Centre \xff", 1))
    assert "UTF-8" in error.message


@pytest.mark.parametrize(
    ("path", "value", "what"),
    [
        (("count",), "3", "count"),
        (("cycle",), 5, "cycle"),
        (("engine",), "taqyeem_rules", "engine"),
        (("plugins",), {}, "plugins"),
        (("guide",), [], "guide"),
        (("centres", 0, "evidence"), [], "evidence"),
        (("centres", 0, "evidence", "inputs"), [], "evidence"),
        (("centres", 0, "result"), [], "result"),
        (("centres", 1, "evidence_fingerprint"), 12, "fingerprint"),
        (("fingerprint",), None, "fingerprint"),
    ],
)
def test_wrong_types(path: tuple[Any, ...], value: Any, what: str) -> None:
    data = copy.deepcopy(MINI_DATA)
    put(data, path, value)
    error = _error(layout(data))
    assert error.code == "record.type"
    assert what in error.message


def test_reformatted_json_is_not_in_the_record_layout(tmp_path: Path) -> None:
    path = tmp_path / "pretty.json"
    path.write_text(json.dumps(json.loads(MINI_RECORD), indent=2, ensure_ascii=False), encoding="utf-8")
    error = _error(path)
    assert error.code == "record.layout"
    assert "reformat" in (error.hint or "")


def test_not_a_record_at_all() -> None:
    error = _error(C1.read_bytes())
    assert error.code == "record.not-a-record"


def test_binary_file_is_named_as_such() -> None:
    """A binary file is said to be one; its bytes are not printed into the message."""
    error = _error(bytes(range(256)) * 2)
    assert error.code == "record.not-a-record"
    assert "binary data, not text" in error.message
    assert "\ufffd" not in error.message and "\\x" not in error.message


def test_trailing_data() -> None:
    assert _error(MINI_RECORD + b"{}\n").code == "record.trailing"


def test_missing_file(tmp_path: Path) -> None:
    error = _error(tmp_path / "nope.json")
    assert error.code == "record.not-found"


# ---- plugins ---------------------------------------------------------------------------------------

PLUGIN_GUIDE = MINI_YAML.read_text(encoding="utf-8").replace(
    'score: "round_half_up(reply_within_deadline / 25, 0)"', 'score: "replies_bonus(reply_within_deadline)"'
)


def _register(version: str) -> None:
    @function("replies_bonus", params=["number"], returns="number", version=version)
    def replies_bonus(pct: Decimal) -> Decimal:
        """Points for complaints answered on time (test plugin)."""
        return min(Decimal(4), (pct / 25).quantize(Decimal(1)))


@pytest.fixture
def plugin_record(tmp_path: Path) -> bytes:
    """A record made with the plugin replies_bonus() 1.0 (unregistered again afterwards)."""
    _register("1.0")
    try:
        path = tmp_path / "guide.yaml"
        path.write_text(PLUGIN_GUIDE, encoding="utf-8")
        guide = load_guide(path)
        data = record_cycle(guide, mini_evidences(2), cycle="with a plugin").data
    finally:
        default_registry().unregister("replies_bonus")
    assert data is not None
    return data


def test_plugins_are_recorded_and_checked(plugin_record: bytes) -> None:
    data = parse(plugin_record)
    [plugin] = data["plugins"]
    assert (plugin["name"], plugin["version"]) == ("replies_bonus", "1.0")
    assert data["centres"][0]["result"]["plugins"] == [plugin]
    _register("1.0")
    try:
        assert replay(plugin_record).ok
    finally:
        default_registry().unregister("replies_bonus")


def test_missing_plugin(plugin_record: bytes) -> None:
    error = _error(plugin_record)
    assert error.code == "record.plugin-missing"
    assert "replies_bonus()" in error.message and "1.0" in error.message
    assert "install" in (error.hint or "")


def test_plugin_of_another_version(plugin_record: bytes) -> None:
    _register("2.0")
    try:
        error = _error(plugin_record)
    finally:
        default_registry().unregister("replies_bonus")
    assert error.code == "record.plugin-version"
    assert "2.0" in error.message and "1.0" in error.message


def test_plugin_list_edited_and_refingerprinted() -> None:
    """A record that names a plugin this installation does not have."""
    data = copy.deepcopy(MINI_DATA)
    data["plugins"] = [{"name": "acme_bonus", "plugin": "acme-rules", "version": "3.1"}]
    error = _error(layout(data, refingerprint=True))
    assert error.code == "record.plugin-missing"
    assert "acme-rules 3.1" in error.message
    assert "acme-rules==3.1" in (error.hint or "")


def test_plugin_of_another_version_edited_and_refingerprinted(plugin_record: bytes) -> None:
    data = parse(plugin_record)
    data["plugins"][0]["version"] = "0.9"
    _register("1.0")
    try:
        error = _error(layout(data, refingerprint=True))
    finally:
        default_registry().unregister("replies_bonus")
    assert error.code == "record.plugin-version"
    assert "0.9" in error.message


@pytest.mark.parametrize("fmt", [1, 2, 3])
def test_a_record_is_compared_in_the_result_form_it_was_written_in(fmt: int) -> None:
    """A record of an earlier format replays clean: its results are re-scored and written
    in that format's data form before being compared (engine/formats.py)."""
    from taqyeem_rules import load_evidence
    from taqyeem_rules.engine.formats import RECORD_FORMATS

    kinds = FIXTURES / "kinds"
    guide = load_guide(kinds)
    rec = record_cycle(guide, [load_evidence(kinds / "k1.yaml", guide)], cycle="Kinds")
    data = parse(rec.data)
    data["format"] = next(name for name, form in RECORD_FORMATS.items() if form == fmt)
    result = data["centres"][0]["result"]
    data["centres"][0]["result"] = guide.score(load_evidence(kinds / "k1.yaml", guide)).to_dict(format=fmt)
    assert ("guide_status" in data["centres"][0]["result"]) is (fmt >= 3)
    assert any("detail" in c for c in data["centres"][0]["result"]["criteria"]) is (fmt >= 2)
    assert (data["centres"][0]["result"] == result) is (fmt == 3)
    report = replay(layout(refingerprint_all(data), refingerprint=True))
    assert report.ok, [d.message for d in report.differences]
    assert report.format == data["format"]
    # a result in another form than its record's is a difference, named
    data["centres"][0]["result"] = guide.score(load_evidence(kinds / "k1.yaml", guide)).to_dict(
        format=3 if fmt != 3 else 2
    )
    report = replay(layout(refingerprint_all(data), refingerprint=True))
    assert not report.ok
