"""Text written out: CSV and Markdown cells for data, and text made safe for a terminal.

Data formats (JSON, CSV, Markdown) are plain text, written byte for byte as they are
made; the few rules that keep them well-formed whatever the user wrote live here, one
function each, used by every writer:

- :func:`csv_cell` neutralises a cell a spreadsheet would run as a formula;
- :func:`markdown_cell` keeps a cell on its row of a Markdown table.

Tables and explanations for people go to a terminal, which obeys the control
characters in a text: :func:`visible` shows them (and the bidirectional controls that
can make a table lie about what it shows) as ``\\uXXXX`` instead.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

__all__ = ["csv_cell", "csv_text", "json_too_deep", "markdown_cell", "visible", "visible_lines"]

# ---- CSV ---------------------------------------------------------------------------------

#: The first characters that make a spreadsheet read a cell as a formula (OWASP, "CSV
#: injection"): `=`, `+`, `-`, `@`, a tab or a carriage return.
CSV_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")


def csv_cell(value: str) -> str:
    """A CSV cell that no spreadsheet runs as a formula: text starting with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading apostrophe (``'=cmd…``), as
    spreadsheets themselves do to show such text. A plain number (``-3.25``, ``+1``) is
    left as it is: it is data, not a formula."""
    if value.startswith(CSV_FORMULA_STARTS) and not _PLAIN_NUMBER.fullmatch(value):
        return "'" + value
    return value


def csv_text(rows: Iterable[Sequence[str]]) -> str:
    """Rows (the first is the header) as CSV text, every cell through :func:`csv_cell`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    for row in rows:
        writer.writerow([csv_cell(cell) for cell in row])
    return buffer.getvalue()


# ---- Markdown --------------------------------------------------------------------------


def markdown_cell(text: str) -> str:
    """A Markdown table cell: ``|`` escaped, and line breaks (``\\n``, ``\\r``, and the
    other line separators) written as spaces, so that the cell stays on its row."""
    if any(ch in text for ch in "\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029"):
        text = " ".join(text.splitlines())
    return text.replace("|", "\\|")


# ---- the terminal ------------------------------------------------------------------------

#: Characters a terminal would obey rather than show: C0 and C1 control characters
#: (ESC starts colour and cursor sequences), DEL, and the bidirectional embeddings,
#: overrides and isolates (U+202A-U+202E, U+2066-U+2069), which reorder the text shown.
_HIDDEN = [*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A)]
_VISIBLE = {code: f"\\u{code:04x}" for code in _HIDDEN}
_VISIBLE_KEEP_LINES = {k: v for k, v in _VISIBLE.items() if k != 0x0A}


def visible(text: str) -> str:
    """``text`` with every control character and bidirectional control shown as
    ``\\uXXXX`` (a newline too: one value stays on one line)."""
    return text.translate(_VISIBLE)


def visible_lines(text: str) -> str:
    """As :func:`visible`, keeping the newlines of a text made of several lines."""
    return text.translate(_VISIBLE_KEEP_LINES)


_JSON_ESCAPE = re.compile(rb"\\.")
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
_SQUARE = bytes.maketrans(b"{}", b"[]")


def json_too_deep(line: bytes, limit: int) -> bool:
    """Whether the JSON of a line may nest deeper than ``limit`` (brackets outside
    strings), found before the line is decoded: Python's decoder recurses once per level,
    also into brackets that are never closed (records and JSON Lines evidence)."""
    if line.count(b"[") + line.count(b"{") <= limit:
        return False
    if b"\\" in line:  # escapes first: `\"` does not end a string
        line = _JSON_ESCAPE.sub(b"", line)
    structure = line.translate(None, _NOT_STRUCTURE)  # brackets and quotes (escapes are gone)
    # Outside strings. Most lines hold no bracket inside a string: their strings leave
    # `""` here, and once those are gone no quote is left; else every other piece
    # between quotes.
    bare = structure.replace(b'""', b"")
    if b'"' in bare:
        bare = b"".join(structure.split(b'"')[::2])
    brackets = bare.translate(_SQUARE)
    levels = 0  # each pass removes the innermost level of closed brackets everywhere
    while levels <= limit:
        inner = brackets.replace(b"[]", b"")
        if len(inner) == len(brackets):
            break
        brackets, levels = inner, levels + 1
    # What is left cannot pair any more (`]]…[[`): each `[` left is a level never closed.
    return levels + brackets.count(b"[") > limit
