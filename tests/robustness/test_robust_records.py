"""Item 3 of issue 10: the record reader bounds depth and size before decoding — deeply
nested JSON, a number of thousands of digits, a line or a record over its size limit are
clear ``RecordError`` s naming the line, never a ``RecursionError`` or ``ValueError``."""

from __future__ import annotations

import json
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from robust_helpers import mini_record

import taqyeem_rules
from taqyeem_rules._text import json_too_deep
from taqyeem_rules.engine import record as record_module
from taqyeem_rules.errors import RecordError


def replay_error(data: bytes) -> RecordError:
    with pytest.raises(RecordError) as info:
        taqyeem_rules.replay(data)
    return info.value


def centre_line(data: bytes) -> int:
    """The 1-based number of the first centre's line."""
    return data[: data.index(b'{"evidence":')].count(b"\n") + 1


def test_deep_nesting_on_a_centre_line_is_refused_before_decoding(mini_guide: taqyeem_rules.Guide) -> None:
    data = mini_record(mini_guide, 2)
    line = centre_line(data)
    deep = b"[" * 100_000 + b"]" * 100_000
    start = data.index(b'{"evidence":')
    bad = data[:start] + b'{"evidence":' + deep + data[start + len(b'{"evidence":'):]
    error = replay_error(bad)
    assert (error.code, error.message) == (
        "record.depth", f"<record>, line {line}: the line nests deeper than 64 levels, the limit")


def test_deep_nesting_in_a_header_line_is_refused(mini_guide: taqyeem_rules.Guide) -> None:
    data = mini_record(mini_guide, 1)
    bad = data.replace(b'"plugins":[]', b'"plugins":' + b"[" * 5000 + b"]" * 5000, 1)
    error = replay_error(bad)
    assert (error.code, error.message) == (
        "record.depth", "<record>, line 4: the line nests deeper than 64 levels, the limit")


def test_brackets_inside_strings_do_not_count(mini_guide: taqyeem_rules.Guide) -> None:
    """A centre named with 100 brackets is not nested: the record replays clean."""
    centres = [{"centre": {"id": "M-01", "name": "[" * 100 + "{" * 100 + '\\"'},
                "model": "onsite", "edition": "mini",
                "inputs": {"waiting_minutes": 8, "facilities": {"parking": True, "ramp": True,
                           "signage": True, "seating": True}, "has_parking_area": True,
                           "reply_within_deadline": 88}}]
    rec = taqyeem_rules.record_cycle(mini_guide, centres, cycle="T")
    assert taqyeem_rules.replay(rec).ok


def test_a_number_of_thousands_of_digits_is_not_a_traceback(mini_guide: taqyeem_rules.Guide) -> None:
    data = mini_record(mini_guide, 2)
    within = replay_error(data.replace(b'"count":2', b'"count":' + b"1" * 5000, 1))
    assert within.code == "record.type"  # a whole number too large to be a count
    assert within.message.startswith("<record>, line 7: `count` must be a whole number, not ")
    beyond = replay_error(data.replace(b'"count":2', b'"count":' + b"1" * 7000, 1))
    assert beyond.code == "record.number"
    assert beyond.message.startswith("<record>, line 7: the `count` value holds a number out of range: ")


def test_a_line_over_the_limit_is_refused_before_decoding(monkeypatch: pytest.MonkeyPatch, mini_guide: taqyeem_rules.Guide) -> None:
    data = mini_record(mini_guide, 2)
    monkeypatch.setattr(record_module, "MAX_RECORD_LINE", 1024**2)  # 1 MiB, for the message
    assert taqyeem_rules.replay(data).ok
    monkeypatch.setattr(record_module, "MAX_RECORD_LINE", 1000)
    lines = data.split(b"\n")
    first = next(k for k, x in enumerate(lines, start=1) if len(x) + 1 > 1000)
    error = replay_error(data)
    assert (error.code, error.message) == (
        "record.too-large",
        f"<record>, line {first}: the line is longer than 1,000 bytes, the limit for one line of a record",
    )


def test_a_record_over_the_limit_is_refused_while_reading(monkeypatch: pytest.MonkeyPatch, mini_guide: taqyeem_rules.Guide) -> None:
    data = mini_record(mini_guide, 2)
    monkeypatch.setattr(record_module, "MAX_RECORD_BYTES", len(data) - 1)
    error = replay_error(data)
    assert (error.code, error.message) == (
        "record.too-large", f"<record> is larger than {len(data) - 1:,} bytes, the limit for a record file")
    monkeypatch.setattr(record_module, "MAX_RECORD_BYTES", len(data))
    assert taqyeem_rules.replay(data).ok


def _json_depth(value: object) -> int:
    if isinstance(value, list):
        return 1 + max((_json_depth(v) for v in value), default=0)
    if isinstance(value, dict):
        return 1 + max((_json_depth(v) for v in value.values()), default=0)
    return 0


_text = st.text(alphabet=st.sampled_from('[]{}"\\\n ab'), max_size=8)
_leaf = st.one_of(st.none(), st.booleans(), st.integers(), _text)
_json = st.recursive(_leaf, lambda inner: st.one_of(st.lists(inner, max_size=3),
                                                    st.dictionaries(_text, inner, max_size=3)),
                     max_leaves=12)


@given(_json, st.lists(st.sampled_from(["list", "dict"]), min_size=55, max_size=75), _text)
def test_the_depth_bound_agrees_with_the_json(value: object, wraps: list[str], key: str) -> None:
    """Brackets, quotes and backslashes inside strings never count; the bound is exact."""
    for kind in wraps:
        value = [value] if kind == "list" else {key: value}
    line = json.dumps(value, ensure_ascii=False).encode() + b"\n"
    assert json_too_deep(line, 64) == (_json_depth(value) > 64)


def test_brackets_never_closed_count_too(mini_guide: taqyeem_rules.Guide) -> None:
    """Found by the fuzz test: 5,000 `[` that are never closed made the decoder recurse
    before it could find them unbalanced."""
    data = mini_record(mini_guide, 1)
    bad = data.replace(b'"engine":', b'"engine":' + b"[" * 5000, 1)
    error = replay_error(bad)
    assert (error.code, error.message) == (
        "record.depth", "<record>, line 3: the line nests deeper than 64 levels, the limit")


@given(st.integers(0, 80), st.integers(0, 80))
def test_open_brackets_and_closed_ones_add_up(unclosed: int, closed: int) -> None:
    line = b'{"a":' + b"[" * unclosed + b"[" * closed + b"]" * closed + b"}\n"
    assert json_too_deep(line, 64) == (1 + unclosed + closed > 64)


def _depth_reference(line: bytes, limit: int) -> bool:
    """json_too_deep the plain way: escapes out, every other piece between quotes kept,
    then levels of closed brackets removed one at a time."""
    if line.count(b"[") + line.count(b"{") <= limit:
        return False
    line = re.sub(rb"\\.", b"", line)
    outside = b"".join(line.split(b'"')[::2])
    brackets = bytes(b for b in outside.replace(b"{", b"[").replace(b"}", b"]") if b in b"[]")
    levels = 0
    while levels <= limit:
        inner = brackets.replace(b"[]", b"")
        if inner == brackets:
            break
        brackets, levels = inner, levels + 1
    return levels + brackets.count(b"[") > limit


@settings(max_examples=500, deadline=None)
@given(line=st.binary(max_size=80).map(lambda b: bytes(b"[]{}\"a\\,"[x % 8] for x in b)),
       limit=st.integers(0, 6))
def test_the_nesting_check_is_the_plain_one(line: bytes, limit: int) -> None:
    """The quick path (strings leave `""` once their bracket-free content is gone) and the
    split on quotes agree with the plain computation on any mix of brackets, quotes and
    escapes."""
    assert json_too_deep(line, limit) == _depth_reference(line, limit)
