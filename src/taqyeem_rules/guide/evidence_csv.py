"""Evidence from a CSV file: one centre per row, one column per input (a checklist: one
per item, ``input.item``), besides ``centre_id``, ``centre_name``, ``model`` and
``edition``.

The text is split into cells with their offsets (and cross-checked with the csv
module), so every finding points at its cell (``file.csv:3:14``); each row is then
validated as the evidence data it holds (:func:`~.evidence.evidence_from_data`).
Each input type reads its own cells (:meth:`~.inputs.InputType.from_csv`).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..dsl.limits import MAX_CSV_CELL, MAX_CSV_COLUMNS, MAX_REPORTED, MAX_STREAM_RECORD
from ..errors import Diagnostic, EvidenceError
from ..source import Source, Span
from .evidence import Evidence, allowed_inputs, evidence_from_data, explain_unknown_input, relocated
from .inputs import CsvEmptyItem, CsvOutOfRange, input_type
from .model import Input, Model

if TYPE_CHECKING:  # pragma: no cover
    from .guide import Guide

__all__ = ["csv_items", "csv_records", "load_csv"]

_FIXED = ("centre_id", "centre_name", "model", "edition")


def _csv_cells(source: Source) -> list[list[tuple[str, int, int]]]:
    """Rows of (value, start offset, end offset), following the csv module's dialect. A
    cell over MAX_CSV_CELL characters, or a row over MAX_CSV_COLUMNS cells, is an error
    at its place."""
    text = source.text
    rows: list[list[tuple[str, int, int]]] = []
    row: list[tuple[str, int, int]] = []
    i, size = 0, len(text)
    while i < size:
        start = i
        if text[i] == '"':
            i += 1
            buf = []
            while i < size:
                if text[i] == '"':
                    if i + 1 < size and text[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(text[i])
                i += 1
            value = "".join(buf)
            while i < size and text[i] not in ",\r\n":
                i += 1
        else:
            while i < size and text[i] not in ",\r\n":
                i += 1
            value = text[start:i]
        row.append((value, start, i))
        if i - start > MAX_CSV_CELL:
            raise EvidenceError(
                f"a cell of {source.name} holds {i - start:,} characters; the limit is {MAX_CSV_CELL:,}",
                span=Span(source, start, start + 1), code="evidence.csv-cell",
                hint="a cell holds one value (a list: numbers separated by `;`)")
        if len(row) > MAX_CSV_COLUMNS:
            raise EvidenceError(
                f"a row of {source.name} has more than {MAX_CSV_COLUMNS:,} cells, the limit",
                span=Span(source, start, start + 1), code="evidence.csv-columns",
                hint="one column per input (a checklist: one per item), besides centre_id, model, …")
        if i < size and text[i] == ",":
            i += 1
            if i >= size:  # a last empty cell at the end of the text (else the loop reads it)
                row.append(("", i, i))
            continue
        if i < size and text[i] == "\r":
            i += 1
        if i < size and text[i] == "\n":
            i += 1
        if any(v for v, _, _ in row):  # blank lines and rows of empty cells hold no centre
            rows.append(row)
        row = []
    if any(v for v, _, _ in row):
        rows.append(row)
    return rows


def csv_records(lines: Iterable[str], name: str) -> Iterator[tuple[int, str] | EvidenceError]:
    """The records of a CSV text given line by line: ``(number of its first line, its
    text)`` — one line, or several when a quoted cell holds line breaks (a record ends
    where its quotes balance). A record over :data:`MAX_STREAM_RECORD` characters (a
    quote never closed swallows the rest of the file) is an error, and ends the reading."""
    buf: list[str] = []
    size = quotes = 0
    first = number = 1
    for line in lines:
        if not buf:
            first = number
        buf.append(line)
        size += len(line)
        quotes += line.count('"')
        number += 1
        if size > MAX_STREAM_RECORD:
            source = Source(name, buf[0][:200], first)
            yield EvidenceError(
                f"a row of {name} starting on line {first} runs over {MAX_STREAM_RECORD:,} characters, the limit",
                span=Span(source, 0, 1), code="evidence.csv-cell",
                hint="a quote opened in a cell and never closed makes the rest of the file one cell; "
                "close it (a quote inside a cell is written twice: \"\")")
            return
        if quotes % 2 == 0:
            yield first, "".join(buf)
            buf, size, quotes = [], 0, 0
    if buf:
        yield first, "".join(buf)


def csv_items(lines: Iterable[str], name: str, guide: Guide, *, other_edition: bool
              ) -> Iterator[Evidence | EvidenceError]:
    """Every centre of a CSV text given line by line, one at a time — the streaming
    path: memory holds one row (and the header). A row that is not valid evidence is
    yielded as its :class:`EvidenceError`, every finding at its cell, and the reading
    goes on; a finding about the header (an unknown column) is given once, with the
    first row it spoils. A CSV that cannot be read on (quoting the csv module reads
    otherwise, a header without ``centre_id``) ends with its error."""
    header: list[tuple[str, int, int]] | None = None
    header_source: Source | None = None
    columns: list[str] = []
    unknown: dict[str, list[Diagnostic]] = {}
    reported: set[tuple[str, str, int]] = set()
    row_number = 1
    for record in csv_records(lines, name):
        if isinstance(record, EvidenceError):
            yield record
            return
        first, text = record
        source = Source(name, text, first)
        try:
            rows = _csv_cells(source)
        except EvidenceError as exc:
            yield exc
            return
        # Cross-check with the csv module: the two readers must agree on the values.
        try:
            reference = [r for r in csv.reader(io.StringIO(text)) if any(r)]
        except csv.Error:  # (cells are within its size limit: checked above)
            reference = None
        if reference is None or [[v for v, _, _ in r] for r in rows] != reference:
            yield EvidenceError(f"{name}: cannot read this CSV (unusual quoting)",
                                span=Span(source, 0, max(1, min(len(text.rstrip("\n")), 200))),
                                code="evidence.csv", hint="save it as plain comma-separated values, UTF-8")
            return
        for row in rows:  # (one, unless a stray quote in an unquoted cell joined lines)
            if header is None:
                header, header_source = row, source
                problem = _header_problem(header, header_source, name)
                if problem is not None:
                    yield problem
                    return
                columns = [v.strip() for v, _, _ in header]
                continue
            row_number += 1
            assert header_source is not None
            try:
                yield _csv_row(row, columns, header, source, guide, row_number, other_edition=other_edition,
                               unknown=unknown, header_source=header_source)
            except EvidenceError as exc:
                # A bad header cell is found again on every row: report it once.
                fresh = []
                for d in exc.diagnostics:
                    if d.span is not None and d.span.source is header_source:
                        key = (d.code, d.message, d.span.start)
                        if key in reported:
                            continue
                        reported.add(key)
                    fresh.append(d)
                if fresh:  # (else the row is spoilt only by the header, reported already)
                    yield EvidenceError(diagnostics=fresh)
    if row_number == 1:
        span = None
        if header is not None and header_source is not None:
            span = Span(header_source, 0, max(1, header[-1][2]))
        yield EvidenceError(
            f"no centres in {name}" + (": it has a header and no rows" if header is not None else ": it is empty"),
            span=span,
            code="evidence.no-centres",
            hint="the first line names the columns (centre_id, centre_name, model, edition, inputs…); "
            "each line after it is one centre",
        )


def _header_problem(header: list[tuple[str, int, int]], source: Source, name: str) -> EvidenceError | None:
    columns = [v.strip() for v, _, _ in header]
    index: dict[str, int] = {}
    for k, column in enumerate(columns):
        if column in index:
            first = header[index[column]]
            return EvidenceError(
                f"{name}: the column `{column}` is named twice in the header",
                span=Span(source, header[k][1], max(header[k][2], header[k][1] + 1)),
                code="evidence.csv",
                hint=f"the first is at column {first[1] + 1} of line 1; keep one",
            )
        index[column] = k
    missing = [c for c in ("centre_id", "model") if c not in columns]
    if missing:
        return EvidenceError(f"{name}: the header has no `{missing[0]}` column",
                             span=Span(source, 0, max(1, header[-1][2])), code="evidence.csv",
                             hint="the first line names the columns: centre_id, centre_name, model, edition, inputs…")
    return None


def load_csv(text: str, name: str, guide: Guide, *, other_edition: bool) -> Iterator[Evidence]:
    """Every centre of a CSV file's text (one per row after the header), validated against
    ``guide``; every finding of every row is raised together, each at its cell."""
    diags: list[Diagnostic] = []
    for item in csv_items(io.StringIO(text, newline="\n"), name, guide, other_edition=other_edition):
        if isinstance(item, EvidenceError):
            diags.extend(item.diagnostics)
        else:
            yield item
    if diags:
        raise EvidenceError(diagnostics=diags)


def _unknown_columns(columns: list[str], header: list[tuple[str, int, int]], source: Source,
                     guide: Guide, model: Model, inputs: Mapping[str, Input]) -> list[Diagnostic]:
    """The header's columns that are no input of ``model``: the first MAX_REPORTED with a
    "did you mean" hint, the rest counted in one more finding (so hint work is bounded)."""
    from ..dsl.hints import did_you_mean

    found = [k for k, col in enumerate(columns)
             if col not in _FIXED and col.partition(".")[0] not in inputs]
    out = []
    for k in found[:MAX_REPORTED]:
        base = columns[k].partition(".")[0]
        # an input of another model or edition is named as such, not as a misspelling
        better = explain_unknown_input(guide, model, base)
        out.append(Diagnostic(
            "evidence.unknown-key",
            f"unknown input column `{columns[k]}`: {better[0]}" if better
            else f"unknown input column `{columns[k]}` for model {model.id}",
            Span(source, header[k][1], max(header[k][2], header[k][1] + 1)),
            better[1] if better else did_you_mean(base, inputs),
        ))
    if len(found) > MAX_REPORTED:
        k = found[MAX_REPORTED]
        out.append(Diagnostic(
            "evidence.unknown-key",
            f"{len(found) - MAX_REPORTED:,} more unknown input columns for model {model.id}",
            Span(source, header[k][1], max(header[k][2], header[k][1] + 1)),
            f"the columns are centre_id, centre_name, model, edition and the inputs of the model "
            f"(`taqyeem schema evidence {guide.edition}` lists them)",
        ))
    return out


def _csv_row(row: list[tuple[str, int, int]], columns: list[str], header: list[tuple[str, int, int]],
             source: Source, guide: Guide, line: int, *, other_edition: bool,
             unknown: dict[str, list[Diagnostic]] | None = None, header_source: Source | None = None) -> Evidence:
    if len(row) != len(columns):
        raise EvidenceError(f"row {line} has {len(row)} cells but the header has {len(columns)}",
                            span=Span(source, row[0][1], row[-1][2]), code="evidence.csv")
    cells = {columns[k]: row[k] for k in range(len(columns))}
    model_id = cells["model"][0].strip()
    model = guide.model(model_id)
    if model is None:
        from ..dsl.hints import did_you_mean

        raise EvidenceError(f"guide {guide.edition} has no model `{model_id}`",
                            span=Span(source, cells["model"][1], cells["model"][2]), code="evidence.model",
                            hint=did_you_mean(model_id, [m.id for m in guide.models])
                            or "models: " + ", ".join(m.id for m in guide.models))
    inputs_by_id = {i.id: i for i, _ in allowed_inputs(guide, model)}
    values: dict[str, Any] = {}
    spans: dict[str, Span] = {}
    memo = {} if unknown is None else unknown
    if model.id not in memo:
        memo[model.id] = _unknown_columns(columns, header, header_source or source, guide, model, inputs_by_id)
    diags: list[Diagnostic] = list(memo[model.id])
    for col, (raw, start, end) in cells.items():
        if col in _FIXED:
            continue
        span = Span(source, start, max(end, start + 1))
        base, _, item = col.partition(".")
        inp = inputs_by_id.get(base)
        if inp is None:
            continue  # (reported above, once per model)
        value = raw.strip()
        if value == "":
            continue
        try:
            parsed = _csv_value(inp, value, item)
        except CsvEmptyItem as exc:
            # The place of the empty item in the file (exact for an unquoted cell).
            at = start + (source.text[start] == '"') + (len(raw) - len(raw.lstrip())) + exc.offset
            diags.append(Diagnostic(
                "evidence.list-item", f"`{col}` on row {line}: item {exc.item} of the list is empty",
                Span(source, at, at + 1),
                "write the numbers separated by `;` (20;30), with a number between every two `;`"))
            continue
        except ValueError as exc:
            code = "evidence.number" if isinstance(exc, CsvOutOfRange) else "evidence.type"
            diags.append(Diagnostic(code, f"`{col}` on row {line}: {exc}", span))
            continue
        if item:
            values.setdefault(base, {})[item] = parsed
        else:
            values[base] = parsed
        spans.setdefault(base, span)
    if diags:
        raise EvidenceError(diagnostics=diags)
    name_cell = cells.get("centre_name")
    data = {
        "centre": {"id": cells["centre_id"][0].strip(), **({"name": name_cell[0]} if name_cell and name_cell[0] else {})},
        "model": model_id,
        "inputs": values,
    }
    if "edition" in cells and cells["edition"][0].strip():
        data["edition"] = cells["edition"][0].strip()
    try:
        ev = evidence_from_data(data, guide, name=f"{source.name}:{line}", other_edition=other_edition)
    except EvidenceError as exc:
        # Schema findings come without positions (the data has none): point at the cell.
        raise EvidenceError(diagnostics=[
            d if d.span is not None else attrs.evolve(d, span=_csv_cell_span(d, cells, source, row))
            for d in exc.diagnostics
        ]) from None
    ev = relocated(ev, source=source, path=f"{source.name}:{line}")
    ev.memo.spans = spans
    return ev


def _csv_cell_span(d: Diagnostic, cells: dict[str, tuple[str, int, int]], source: Source,
                   row: list[tuple[str, int, int]]) -> Span:
    """The cell a schema diagnostic of a CSV row is about (the whole row if none fits)."""
    parts = [p for p in re.split(r"[.\[\]]", d.path or "") if p]
    if parts[:1] == ["inputs"]:
        parts = parts[1:]
    missing = re.search(r"missing required key `([^`]+)`", d.message)
    names = [".".join([*parts[:1], missing.group(1)])] if missing else []
    if parts:
        names += [parts[0], "centre_id" if parts[0] == "centre" else parts[0] + "."]
    for name in names:
        for col, (_, start, end) in cells.items():
            if col == name or (name.endswith(".") and col.startswith(name)):
                return Span(source, start, max(end, start + 1))
    return Span(source, row[0][1], max(row[-1][2], row[0][1] + 1))


def _csv_value(inp: Input, text: str, item: str) -> Any:
    return input_type(inp).from_csv(inp, text, item)
