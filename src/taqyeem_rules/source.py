"""Source texts, spans and the one caret renderer every error message uses.

A :class:`Source` is a named text (a guide file, an evidence file, or an expression
typed at the command line). A :class:`Span` is a half-open range of character offsets
into one source; line and column numbers (1-based) are derived from the offsets, so a
span found inside a YAML scalar can be re-based onto the YAML file by adding the
scalar's start offset.
"""

from __future__ import annotations

import bisect
from typing import Any

__all__ = ["Source", "Span", "render_snippet"]


class Source:
    """A named text with a line index. Equal when name, text and first line are equal.

    ``first_line`` is the number of the text's first line in its file: a part of a file
    read on its own (one row of a CSV or one line of a JSON Lines file, streamed) keeps
    the file's line numbers in its messages without holding the rest of the file."""

    __slots__ = ("_line_starts", "first_line", "name", "text")

    def __init__(self, name: str, text: str, first_line: int = 1) -> None:
        self.name = name
        self.text = text
        self.first_line = first_line
        self._line_starts: list[int] | None = None

    def _starts(self) -> list[int]:
        if self._line_starts is None:
            starts = [0]
            text = self.text
            i = text.find("\n")
            while i >= 0:
                starts.append(i + 1)
                i = text.find("\n", i + 1)
            self._line_starts = starts
        return self._line_starts

    def line_col(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        starts = self._starts()
        index = bisect.bisect_right(starts, offset) - 1
        return index + self.first_line, offset - starts[index] + 1

    def offset(self, line: int, col: int) -> int:
        """Character offset of a 1-based (line, column)."""
        starts = self._starts()
        line = max(1, min(line - self.first_line + 1, len(starts)))
        return min(starts[line - 1] + col - 1, len(self.text))

    def line_text(self, line: int) -> str:
        """The text of a 1-based line, without its newline."""
        starts = self._starts()
        line -= self.first_line - 1
        if not 1 <= line <= len(starts):
            return ""
        start = starts[line - 1]
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)].rstrip("\r")

    def span(self, start: int, end: int | None = None) -> Span:
        """A span of this source from ``start`` to ``end`` (default: one character)."""
        return Span(self, start, start + 1 if end is None else end)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Source) and (self.name, self.text, self.first_line) == (
            other.name, other.text, other.first_line)

    def __hash__(self) -> int:
        return hash((self.name, len(self.text)))

    def __repr__(self) -> str:
        return f"Source({self.name!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        return (Source, (self.name, self.text, self.first_line))


class Span:
    """A half-open range ``[start, end)`` of character offsets in a :class:`Source`."""

    __slots__ = ("end", "source", "start")

    def __init__(self, source: Source, start: int, end: int) -> None:
        self.source = source
        self.start = start
        self.end = max(end, start)

    @property
    def file(self) -> str:
        return self.source.name

    @property
    def line(self) -> int:
        return self.source.line_col(self.start)[0]

    @property
    def col(self) -> int:
        return self.source.line_col(self.start)[1]

    @property
    def end_line(self) -> int:
        return self.source.line_col(self.end)[0]

    @property
    def end_col(self) -> int:
        return self.source.line_col(self.end)[1]

    @property
    def text(self) -> str:
        return self.source.text[self.start : self.end]

    def to(self, other: Span) -> Span:
        """The span covering this one and ``other`` (same source)."""
        return Span(self.source, min(self.start, other.start), max(self.end, other.end))

    def to_dict(self) -> dict[str, Any]:
        return {
            "file": self.file,
            "line": self.line,
            "col": self.col,
            "end_line": self.end_line,
            "end_col": self.end_col,
        }

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.col}"

    def __repr__(self) -> str:
        return f"Span({self.file!r}, {self.line}:{self.col}-{self.end_line}:{self.end_col})"

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, Span)
            and self.source.name == other.source.name
            and (self.source.first_line, self.start, self.end) == (other.source.first_line, other.start, other.end)
        )

    def __hash__(self) -> int:
        return hash((self.source.name, self.source.first_line, self.start, self.end))

    def __reduce__(self) -> tuple[Any, ...]:
        return (Span, (self.source, self.start, self.end))


def render_snippet(span: Span) -> str:
    """The span's first line with a gutter and a caret line under the spanned columns.

    ::

          12 |     score: waitng_time < 10
             |            ^^^^^^^^^^^
    """
    line = span.line
    text = span.source.line_text(line)
    col = span.col
    if span.end_line == line:
        width = max(1, span.end_col - col)
    else:
        width = max(1, len(text) - col + 1)
    # Tabs would misalign the caret; show them as single spaces.
    shown = text.replace("\t", " ")
    gutter = str(line)
    pad = " " * len(gutter)
    caret = " " * (col - 1) + "^" * width
    return f" {gutter} | {shown}\n {pad} | {caret}"
