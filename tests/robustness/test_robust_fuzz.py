"""The fuzz test of issue 10: mutated guides through load → check → score → diff, and
damaged records through replay. Anything but a ``TaqyeemError`` or a correct result
fails.

Mutations of the bundled guides: keys deleted, values retyped, extreme numbers, odd
unicode, aliases, YAML tags, huge decision tables, broken expressions. Damaged records:
bytes flipped, deleted or inserted (deep nesting, numbers of thousands of digits,
exponents beyond the range), lines repeated or lost, the file cut short.

The work of each example is bounded by the library's limits, not by timing; the
per-example deadline only detects a hang. The suite runs a few dozen examples; a deeper
run, on demand:

    HYPOTHESIS_PROFILE=fuzz python -m pytest tests/robustness/test_robust_fuzz.py

(the ``fuzz`` profile of tests/conftest.py: thousands of examples, every failure printed
with the blob that reproduces it).
"""

from __future__ import annotations

import json
import os
import tempfile
from datetime import timedelta
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

import taqyeem_rules
from taqyeem_rules import diff_guides, load_evidences, load_guide, record_cycle, replay
from taqyeem_rules.errors import TaqyeemError
from taqyeem_rules.guide.loader import criteria_root

DEEP = os.environ.get("HYPOTHESIS_PROFILE") == "fuzz"
FUZZ = settings(
    max_examples=settings().max_examples if DEEP else 20,
    deadline=timedelta(seconds=120),  # a hang detector only: the work is bounded by the limits
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
EDITIONS = ("2019", "2023", "2024")


@cache
def original_text(edition: str) -> str:
    return (criteria_root() / edition / "guide.yaml").read_text(encoding="utf-8")


@cache
def original(edition: str) -> taqyeem_rules.Guide:
    return load_guide(edition)


# ---- guide mutations ----------------------------------------------------------------------

#: Raw YAML text put in place of a value (after the data is dumped).
RAW_VALUES = [
    "1e+9999999999999999999999", "-1e-9999999999", "1e6145", "9" * 40 + "e6105", "0e99999",
    "1" * 5000, "0x" + "f" * 3000, ".inf", "-.nan", "0o777", "!!str 50", "!!binary aGVsbG8=",
    "!!python/object:os.system {}", "! 5", "!custom [1, 2]", "&anchor 5", "*nowhere",
    '"\\e[31mred\\u202e"', '"\\ud800"', "[" * 100 + "]" * 100, "{a: 1, a: 2}", "<<: {a: 1}",
    "|\n  multi\n  line", '"" ', "null", "~", "yes", "2024-01-01",
]
TRICKY_EXPRESSIONS = [
    "1١ + 2", "１+２", "𝟏𝟐", "(" * 300 + "1" + ")" * 300, "a" * 5000, "x" + " + x" * 1000,
    "?", "- ", "1 +", "if x then", "x between 1", "not(", "sum([" + ", ".join(["1"] * 2000) + "])",
    "round_half_up(1, 100000)", "decimal(1, -5)", "1 / 0", "2 ** 99999", "\u202e", "null", "true",
    "waiting_minutes > 1e5", '"text" + 1', "[1..2]", "satisfaction != null and satisfaction > 50",
]
TWEAKS = [("<=", "<"), ("<", "<="), (">=", ">"), ("and", "or"), ("or", "and"), ("..", ".."), ("[", "("),
          (")", "]"), ("4", "3"), ("0", "1"), ("-", "[0..1]"), ("first", "unique"), ("true", "false"),
          ("min", "max"), (" ", "  "), ("_", "")]
ODD_TEXT = st.text(
    alphabet=st.sampled_from(["a", " ", "\n", "\r", "\t", "\x1b", "\u202e", "\u2066", "١", "１", "|", ":",
                              "%", "\\", '"', "'", "{", "[", "\u0000", "\ufeff", "😀", "ب"]),
    max_size=12,
)


def _paths(value: Any, prefix: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    out = [prefix]
    if isinstance(value, dict):
        for k, v in value.items():
            out += _paths(v, (*prefix, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _paths(v, (*prefix, i))
    return out


def _parent(data: Any, path: tuple[Any, ...]) -> tuple[Any, Any]:
    node = data
    for part in path[:-1]:
        node = node[part]
    return node, path[-1]


class Raw:
    """Raw YAML text to put in place of a value: each gets a marker in the data, replaced
    in the dumped text."""

    def __init__(self) -> None:
        self.texts: list[str] = []

    def mark(self, text: str) -> str:
        self.texts.append(text)
        return f"RAW{len(self.texts) - 1}MARK"

    def apply(self, dumped: str) -> str:
        for k, text in enumerate(self.texts):
            dumped = dumped.replace(f"RAW{k}MARK", text)
        return dumped


def _table_rows(count: int, kind: str) -> list[dict[str, Any]]:
    if kind == "ranges":
        return [{"when": f"[{k}..{k + 1})", "points": k % 5} for k in range(count)] + [{"when": "-", "points": 0}]
    if kind == "overlapping":
        return [{"when": "-", "points": k % 5} for k in range(count)]
    return [{"when": f"{k}, {k + 1}", "points": 1} for k in range(count)]


@st.composite
def mutated_guides(draw: st.DrawFn) -> tuple[str, str]:
    """(edition, the text of a mutated guide file of that edition)."""
    edition = draw(st.sampled_from(EDITIONS))
    data = yaml.safe_load(original_text(edition))
    raw = Raw()
    for _ in range(draw(st.integers(1, 3))):
        paths = _paths(data)[1:]
        if not paths:
            break
        path = draw(st.sampled_from(paths))
        parent, key = _parent(data, path)
        value = parent[key]
        op = draw(st.sampled_from(["delete", "retype", "raw", "unicode", "alias", "table", "expression",
                                   "tweak", "tweak"]))
        if op == "tweak":  # a small change that often keeps the guide valid: scored and diffed
            if isinstance(value, bool) or value is None:
                parent[key] = not value
            elif isinstance(value, int | float):
                parent[key] = draw(st.sampled_from([0, 0.5, 1, 2, 4, 25, 50, 75, 100, 1000, -1]))
            elif isinstance(value, str):
                old, new = draw(st.sampled_from(TWEAKS))
                parent[key] = value.replace(old, new, 1)
        elif op == "delete":
            del parent[key]
        elif op == "retype":
            parent[key] = draw(st.one_of(st.none(), st.booleans(), st.integers(-10**30, 10**30),
                                         st.just([]), st.just({}), st.just("text"), st.just([1, 2])))
        elif op == "raw":
            parent[key] = raw.mark(draw(st.sampled_from(RAW_VALUES)))
        elif op == "unicode":
            parent[key] = draw(ODD_TEXT) if isinstance(value, str) or draw(st.booleans()) else value
            if isinstance(key, str) and isinstance(parent, dict) and draw(st.booleans()):
                parent[draw(ODD_TEXT) or "x"] = parent.pop(key)  # an odd key as well
        elif op == "alias":
            others = [o for o in _paths(data) if o != path[: len(o)]]  # not an ancestor: no cycle
            if not others:
                continue
            other = draw(st.sampled_from(others))
            source = data
            for part in other:
                source = source[part]
            parent[key] = source  # the same object twice: dumped as &id001 / *id001
        elif op == "table":
            tables = [p for p in _paths(data) if p and p[-1] == "rows"]
            if tables:
                rows_parent, rows_key = _parent(data, draw(st.sampled_from(tables)))
                count = draw(st.integers(50, 2000 if DEEP else 400))
                rows_parent[rows_key] = _table_rows(count, draw(st.sampled_from(["ranges", "overlapping", "lists"])))
        else:  # expression
            parent[key] = draw(st.one_of(st.sampled_from(TRICKY_EXPRESSIONS), ODD_TEXT))
    try:
        dumped = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=10_000)
    except yaml.YAMLError:
        dumped = original_text(edition)
    return edition, raw.apply(dumped)


def _score_checked(guide: taqyeem_rules.Guide, edition: str) -> None:
    try:
        centres = load_evidences([criteria_root() / edition / "examples"], guide)
    except TaqyeemError:
        return
    for centre in centres:
        try:
            result = guide.score(centre)
        except TaqyeemError:
            continue
        assert Decimal(0) <= result.total <= Decimal(100), result.total
        for c in result.criteria:
            assert c.percentage is None or Decimal(0) <= c.percentage <= Decimal(100)
        json.dumps(result.to_dict(), default=str)


@FUZZ
@given(mutated_guides())
def test_mutated_guides_give_taqyeem_errors_or_correct_results(mutated: tuple[str, str]) -> None:
    edition, text = mutated
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / edition
        folder.mkdir()
        path = folder / "guide.yaml"
        path.write_text(text, encoding="utf-8")
        try:
            guide = load_guide(path, check=False)
            report = guide.check()
        except TaqyeemError as exc:
            event(f"refused when loaded: {exc.code}")
            return
        for d in report.diagnostics:
            d.render()
        if not report.ok:
            event(f"refused by the checks: {report.errors[0].code}")
            return
        event("valid: scored and diffed")
        _score_checked(guide, edition)
        try:
            diff = diff_guides(original(edition), guide)
        except TaqyeemError:
            return
        json.dumps(diff.to_dict(), default=str)
        diff.to_markdown("en")
        diff.to_markdown("ar")
        diff.rows("en")


# ---- record mutations ---------------------------------------------------------------------------


@cache
def record_bytes() -> bytes:
    guide = original("2019")
    centres = load_evidences([criteria_root() / "2019" / "examples"], guide)[:3]
    data = record_cycle(guide, centres, cycle="Taqyeem 2 (fuzz)").data
    assert data is not None
    return data


INSERTS = [b"[" * 5000, b"{" * 100, b"1" * 5000, b"1e+9999999999999999999999", b"-0", b"\x00", b"\xff\xfe",
           b'"', b"\\", b",", b"\n", b"null", b"true", b"\"\\ud800\"", b"\xe2\x80\xae"]


def _refingerprint(data: bytes) -> bytes:
    """The record with its last line made to match the lines above (as a forger who
    knows the outer hash would): only the fingerprints inside can tell."""
    import hashlib

    head, sep, _ = data.rstrip(b"\n").rpartition(b"\n")
    if not sep:
        return data
    body = head + b"\n"
    return body + b'"fingerprint":"' + hashlib.sha256(body).hexdigest().encode() + b'"}\n'


@st.composite
def damaged_records(draw: st.DrawFn) -> tuple[bytes, bool]:
    """(the damaged record, whether its outer fingerprint was recomputed)."""
    data = bytearray(record_bytes())
    for _ in range(draw(st.integers(1, 3))):
        if not data:
            break
        op = draw(st.sampled_from(["flip", "digit", "digit", "delete", "insert", "line", "number", "truncate"]))
        at = draw(st.integers(0, len(data) - 1))
        if op == "digit":  # the JSON stays valid: only the fingerprints can tell
            digits = [k for k in range(at, min(len(data), at + 4000)) if 0x30 <= data[k] <= 0x39]
            if digits:
                data[digits[0]] = 0x30 + (data[digits[0]] - 0x30 + draw(st.integers(1, 9))) % 10
        elif op == "flip":
            data[at] = draw(st.integers(0, 255))
        elif op == "delete":
            del data[at : at + draw(st.integers(1, 200))]
        elif op == "insert":
            data[at:at] = draw(st.sampled_from(INSERTS))
        elif op == "line":
            lines = bytes(data).split(b"\n")
            k = draw(st.integers(0, len(lines) - 1))
            if draw(st.booleans()):
                lines.insert(k, lines[k])
            else:
                del lines[k]
            data = bytearray(b"\n".join(lines))
        elif op == "number":
            text = bytes(data)
            start = text.find(b'"', at)
            if start >= 0:
                data[start : start + 1] = b'"' + draw(st.sampled_from([b"1e99999", b"-1", b"100.00000001", b"0"]))
        else:
            del data[at:]
    forged = draw(st.booleans())
    return (_refingerprint(bytes(data)) if forged else bytes(data)), forged


@FUZZ
@given(damaged_records())
def test_damaged_records_give_record_errors_or_a_failed_replay(damaged: tuple[bytes, bool]) -> None:
    data, forged = damaged
    try:
        report = replay(data)
    except TaqyeemError as exc:
        event(f"refused: {exc.code}")
        return
    event("replayed: ok" if report.ok else "replayed: failed")
    json.dumps(report.to_dict(), default=str)
    report.summary()
    original = record_bytes()
    if not forged or data.split(b"\n")[4:-2] != original.split(b"\n")[4:-2]:
        # Altered anywhere but the first lines (format, cycle, engine, plugins), which only
        # the outer fingerprint on the last line covers — and a forger recomputed that one.
        assert report.ok == (data == original), report.summary()
