"""Table writers: one for each way a table is written — a rich table for people, Markdown,
CSV — and the JSON writer every command uses.

Data (JSON, CSV, Markdown) is plain UTF-8 text, made here with the escaping rules of
:mod:`taqyeem_rules._text` (CSV cells neutralised against formulas, Markdown cells kept
on their row) and never passed through the terminal library. People's tables go
through rich: every cell's text is shown as it is (never read as markup; control
characters made visible), and a cell holding Arabic text is isolated (U+2068 … U+2069)
so that right-to-left text inside a left-to-right table keeps its place. The isolation
is for the terminal only: data formats never carry it.

At 80 columns a rich table keeps the columns marked ``keep`` (ids, models, tiers) and
``numeric`` whole, and squeezes the others (names, explanations), which wrap.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

__all__ = [
    "Column",
    "Table",
    "cell",
    "csv_table",
    "dumps",
    "dumps_numbers",
    "isolate",
    "markdown_table",
    "rich_table",
]

#: Letters of the Arabic script (Arabic, its supplement and extended blocks, and the
#: presentation forms).
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
#: First strong isolate … pop directional isolate (Unicode bidi, UAX #9).
FSI, PDI = "\u2068", "\u2069"


@dataclass(frozen=True)
class Column:
    """A column of a table: its title and how it lays out."""

    title: str
    #: Right-aligned (``---:`` in Markdown) and never wrapped: numbers.
    numeric: bool = False
    #: Never wrapped nor cut at 80 columns: ids, models, tiers.
    keep: bool = False
    #: Wrapped onto several lines when the terminal is narrow: names, sentences.
    squeeze: bool = False


@dataclass(frozen=True)
class Table:
    """A table for people: columns, rows of text, a title; ``styles`` gives each row's
    style on a terminal (None: plain)."""

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]
    title: str | None = None
    styles: tuple[str | None, ...] | None = None
    #: The title at the left (over a report), not centred.
    title_left: bool = False
    #: Whole columns exactly as wide as their widest cell (or header word), their headers
    #: wrapping: all the room a narrow terminal leaves goes to the squeezed columns.
    snug: bool = False

    @classmethod
    def of(cls, columns: Sequence[Column] | Sequence[str], rows: Sequence[Sequence[str]], title: str | None = None,
           styles: Sequence[str | None] | None = None, *, title_left: bool = False, snug: bool = False) -> Table:
        cols = tuple(c if isinstance(c, Column) else Column(c) for c in columns)
        return cls(cols, tuple(tuple(r) for r in rows), title, None if styles is None else tuple(styles), title_left,
                   snug)

    @property
    def header(self) -> list[str]:
        return [c.title for c in self.columns]


def isolate(text: str) -> str:
    """Text holding Arabic letters between U+2068 and U+2069 (for a terminal's table
    cell); any other text as it is."""
    return f"{FSI}{text}{PDI}" if _ARABIC.search(text) else text


def cell(text: str, style: str = "") -> Any:
    """A table cell (or title) for people: one value on one line, shown as it is
    (control characters visible), Arabic text isolated."""
    from rich.text import Text as RichText

    from .._text import visible

    return RichText(isolate(visible(text)), style=style)


def rich_table(table: Table) -> Any:
    """A rich table: ``numeric`` and ``keep`` columns stay whole, the others wrap."""
    from rich.table import Table as RichTable

    out = RichTable(title=cell(table.title) if table.title is not None else None,
                    title_justify="left" if table.title_left else "center")
    for k, col in enumerate(table.columns):
        whole = col.numeric or col.keep
        widest = max((_widest_line(r[k]) for r in table.rows), default=0)
        if whole and table.snug:
            from rich.cells import cell_len

            fixed = {"width": max(widest, *(cell_len(w) for w in col.title.split()), 1)}
        else:
            fixed = {"min_width": min(max(widest, 1), 24) if whole else (min(widest, 6) if col.squeeze else None)}
        out.add_column(
            cell(col.title),
            justify="right" if col.numeric else "left",
            no_wrap=False,  # a header may wrap; the cells never do: the column is as wide as its widest cell
            overflow="fold",
            **fixed,
        )
    styles = table.styles or (None,) * len(table.rows)
    for row, style in zip(table.rows, styles, strict=True):
        out.add_row(*(_cells(text) for text in row), style=style)
    return out


def _widest_line(text: str) -> int:
    from rich.cells import cell_len

    return max((cell_len(line) for line in text.split("\n")), default=0)


def _cells(text: str) -> Any:
    """A cell of several lines (``\\n``): each line made visible and isolated alone."""
    if "\n" not in text:
        return cell(text)
    from rich.text import Text as RichText

    from .._text import visible

    return RichText("\n".join(isolate(visible(line)) for line in text.split("\n")))


def markdown_table(columns: Sequence[Column] | Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """A Markdown table (no final newline): numeric columns right-aligned, every cell
    kept on its row (:func:`~taqyeem_rules._text.markdown_cell`)."""
    from .._text import markdown_cell

    cols = [c if isinstance(c, Column) else Column(c) for c in columns]
    lines = ["| " + " | ".join(markdown_cell(c.title) for c in cols) + " |",
             "|" + "|".join("---:" if c.numeric else "---" for c in cols) + "|"]
    lines += ["| " + " | ".join(markdown_cell(x) for x in row) + " |" for row in rows]
    return "\n".join(lines)


def csv_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    """CSV text (header first), every cell neutralised against formulas."""
    from .._text import csv_text

    return csv_text([header, *rows])


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        from ..dsl.nodes import format_number

        return format_number(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(data: Any) -> str:
    """JSON as every command prints it: sorted keys, decimals as strings, UTF-8 kept."""
    return json.dumps(data, default=_json_default, ensure_ascii=False, indent=2, sort_keys=True)


def dumps_numbers(data: Any) -> str:
    """JSON with decimals written as JSON numbers, digit for digit (for JSON Schemas,
    whose `minimum` and `maximum` must be numbers)."""
    from ..dsl.nodes import format_number

    marks: dict[str, str] = {}

    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            key = f"\u0000dec{len(marks)}\u0000"
            marks[key] = format_number(value)
            return key
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    text = json.dumps(mark(data), ensure_ascii=False, indent=2, sort_keys=True)
    for key, digits in marks.items():
        text = text.replace(json.dumps(key), digits)
    return text
