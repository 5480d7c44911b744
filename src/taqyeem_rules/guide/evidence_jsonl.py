"""Evidence from a JSON Lines file (``.jsonl``): one centre per line, each line the JSON
of one evidence file (``{"centre": {"id": …}, "model": …, "inputs": {…}}``), read one
line at a time.

A line is read by the standard ``json`` module with the one number reader (numbers
exactly as written, as ``Decimal``; a float is never made), and checked as Python data —
the fast path. A line the fast path does not accept (invalid JSON, a duplicate key, a
number beyond the language's range, evidence that is not valid) is read again as a
document with positions, so every finding names ``file.jsonl:LINE:COL`` as a ``.json``
evidence file's would.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .._text import json_too_deep
from ..dsl.limits import MAX_DEPTH, MAX_STREAM_RECORD
from ..dsl.numbers import NumberTextError, read_number
from ..errors import EvidenceError
from ..source import Source, Span
from .evidence import Evidence, evidence_from_data, evidence_from_document, relocated
from .yamlio import load_document

if TYPE_CHECKING:  # pragma: no cover
    from .guide import Guide

__all__ = ["jsonl_items"]


class _NotFast(Exception):
    """The line needs the document reader (to be read exactly, or to word an error)."""


def _number(text: str) -> Decimal:
    try:
        return read_number(text)
    except NumberTextError:
        raise _NotFast from None


def _constant(text: str) -> Any:  # NaN, Infinity: not numbers the language reads
    raise _NotFast


def _pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out = dict(pairs)
    if len(out) != len(pairs):  # a key given twice: the document reader says which
        raise _NotFast
    return out


def jsonl_items(lines: Iterable[str], name: str, guide: Guide, *, other_edition: bool
                ) -> Iterator[Evidence | EvidenceError]:
    """Every centre of a JSON Lines text given line by line, one at a time (blank lines
    skipped): its :class:`Evidence`, or the :class:`EvidenceError` of a line that is not
    valid evidence, every finding at its line and column."""
    any_centre = False
    for number, line in enumerate(lines, start=1):
        if len(line) > MAX_STREAM_RECORD:
            yield EvidenceError(
                f"line {number} of {name} holds {len(line):,} characters; the limit for one centre is "
                f"{MAX_STREAM_RECORD:,}",
                span=Span(Source(name, line[:200], number), 0, 1), code="evidence.too-large",
                hint="one line holds one centre's evidence")
            return
        text = line.rstrip("\n")
        if not text.strip():
            continue
        any_centre = True
        where = f"{name}:{number}"
        try:
            if json_too_deep(text.encode("utf-8", "surrogatepass"), MAX_DEPTH):
                raise _NotFast  # (Python's decoder would recurse once per level)
            data = json.loads(text, parse_float=_number, parse_int=_number, parse_constant=_constant,
                              object_pairs_hook=_pairs)
            if not isinstance(data, dict):
                raise _NotFast
            ev = evidence_from_data(data, guide, name=where, other_edition=other_edition)
        except (_NotFast, ValueError, RecursionError, EvidenceError):
            try:
                doc = load_document(text, name, error=EvidenceError, first_line=number)
                ev = evidence_from_document(doc, guide, other_edition=other_edition)
            except EvidenceError as exc:
                yield exc
                continue
        yield ev if ev.path == where else relocated(ev, source=ev.source, path=where)
    if not any_centre:
        yield EvidenceError(f"no centres in {name}: it is empty", code="evidence.no-centres",
                            hint="each line of a JSON Lines file is one centre's evidence, as a .json file holds it")
