"""Decision tables checked for gaps, overlaps and shadowed rows.

Each tested value has a *domain*: the declared range of a numeric input (whole numbers
for an ``integer`` input, ``0..n`` for ``checked(checklist)``), ``{true, false}`` for a
boolean, or all numbers for an expression whose range is not known. The constants in
the cells cut the domain into elementary pieces (points and the open intervals between
them); every cell matches all or none of a piece. One representative value per piece
is tested with the language's own semantics (the reference interpreter), so this check
cannot disagree with scoring. Then:

- a *gap* is a combination of pieces that no row matches;
- under ``hit: unique``, an *overlap* is a combination two rows both match;
- under ``hit: first``, a row is *shadowed* when every combination it matches is
  matched by an earlier row, so it can never be chosen.

Cells that depend on other inputs cannot be analysed; the table is then skipped with a
warning saying so.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..dsl import nodes as n
from ..dsl.fold import fold
from ..dsl.interpreter import interpret
from ..dsl.numbers import EXACT_CONTEXT, canonical
from ..dsl.types import Scalar, Type
from ..errors import Diagnostic, TaqyeemError
from .model import Bands, Input

__all__ = ["MAX_COMBINATIONS", "Domain", "analyse_table", "row_reach"]

#: Above this many piece combinations a table is not analysed (a warning says so).
MAX_COMBINATIONS = 50_000


@attrs.frozen
class Domain:
    """The values one column of a table can take."""

    kind: str  # "number" | "integer" | "boolean" | "unknown"
    low: Decimal | None = None
    high: Decimal | None = None
    name: str = "value"


@attrs.frozen
class _Piece:
    value: Any
    text: str
    #: Where the piece lies: "point" (lo = hi = the value), "open" (lo..hi, ends
    #: excluded), "below" (< hi), "above" (> lo), "any" or "bool".
    shape: str = "bool"
    lo: Decimal | None = None
    hi: Decimal | None = None


def domain_of(on: n.Node, inputs: Mapping[str, Input], on_type: Type | None) -> Domain:
    """The domain of a tested expression."""
    label = n.unparse(on)
    if isinstance(on, n.Name) and on.name in inputs:
        inp = inputs[on.name]
        if inp.type == "boolean":
            return Domain("boolean", name=label)
        if inp.numeric:
            lo, hi = inp.bounds
            return Domain("integer" if inp.type == "integer" else "number", lo, hi, label)
        return Domain("unknown", name=label)
    if isinstance(on, n.Call) and on.name == "checked" and len(on.args) == 1:
        arg = on.args[0]
        if isinstance(arg, n.Name) and arg.name in inputs and inputs[arg.name].type == "checklist":
            return Domain("integer", Decimal(0), Decimal(len(inputs[arg.name].items)), label)
    if on_type is not None and isinstance(on_type, Scalar):
        if on_type.name == "boolean":
            return Domain("boolean", name=label)
        if on_type.name == "number":
            return Domain("number", name=label)
    return Domain("unknown", name=label)


def _constants(node: n.Node) -> set[Decimal] | None:
    """Breakpoints of a cell, or None when the cell depends on something but ``?``."""
    out: set[Decimal] = set()
    for sub in n.walk(node):
        if isinstance(sub, n.Name | n.Path | n.Call):
            return None
        if isinstance(sub, n.Num):
            out.add(sub.value)
        if isinstance(sub, n.BinOp):
            # ``? * 2 > 5`` cuts at 2.5, not at 2 or 5: not analysable piecewise.
            if n.uses_qmark(sub):
                return None
    return out


def _pieces(domain: Domain, cuts: set[Decimal]) -> list[_Piece]:
    if domain.kind == "boolean":
        return [_Piece(True, "true"), _Piece(False, "false")]
    lo, hi = domain.low, domain.high
    points = sorted(c for c in cuts if (lo is None or c >= lo) and (hi is None or c <= hi))
    for bound in (lo, hi):
        if bound is not None and bound not in points:
            points.append(bound)
    points.sort()
    integer = domain.kind == "integer"
    pieces: list[_Piece] = []

    def add_open(a: Decimal | None, b: Decimal | None) -> None:
        if a is None and b is None:
            pieces.append(_Piece(Decimal(0), "any value", "any"))
            return
        if a is None:
            assert b is not None
            below = EXACT_CONTEXT.subtract(b, 1)
            rep = below.to_integral_value(rounding="ROUND_FLOOR") if integer else below
            pieces.append(_Piece(rep, f"< {canonical(b)}", "below", None, b))
            return
        if b is None:
            above = EXACT_CONTEXT.add(a.to_integral_value(rounding="ROUND_FLOOR") if integer else a, 1)
            rep = above
            pieces.append(_Piece(rep, f"> {canonical(a)}", "above", a, None))
            return
        if integer:
            rep = EXACT_CONTEXT.add(a.to_integral_value(rounding="ROUND_FLOOR"), 1)
            if rep >= b:
                return
        else:
            rep = EXACT_CONTEXT.divide(EXACT_CONTEXT.add(a, b), 2)
        pieces.append(_Piece(rep, f"({canonical(a)}..{canonical(b)})", "open", a, b))

    if not points:
        add_open(None, None)
        return pieces
    if lo is None:
        add_open(None, points[0])
    for i, p in enumerate(points):
        if not integer or p == p.to_integral_value():
            pieces.append(_Piece(p, canonical(p), "point", p, p))
        if i + 1 < len(points):
            add_open(p, points[i + 1])
    if hi is None:
        add_open(points[-1], None)
    return pieces


def _matches(cell: n.UnaryTests, value: Any) -> bool:
    try:
        return interpret(cell, {}, tested=value) is True
    except TaqyeemError:
        return False


def analyse_table(
    bands: Bands,
    domains: list[Domain],
    *,
    path: str,
) -> Iterator[Diagnostic]:
    """Diagnostics for gaps, overlaps (``unique``) and shadowed rows (``first``)."""
    rows = bands.rows
    width = len(domains)
    if any(len(r.when) != width for r in rows):
        return  # reported by the loader (table-shape)
    cells = [[fold(r.when[j]) for j in range(width)] for r in rows]
    for domain in domains:
        if domain.kind == "unknown":
            yield Diagnostic(
                "guide.table-unchecked",
                f"cannot check the table for gaps: the tested value `{domain.name}` has no "
                "known range",
                bands.span,
                "test a numeric or boolean input directly, or give the input a `range`",
                "warning",
                path,
            )
            return
    cut_sets: list[set[Decimal]] = [set() for _ in domains]
    for r, row in enumerate(cells):
        for j, cell in enumerate(row):
            consts = _constants(cell)
            if consts is None:
                yield Diagnostic(
                    "guide.table-unchecked",
                    f"cannot check the table for gaps: row {r + 1} depends on other inputs",
                    rows[r].span,
                    "cells made of constants can be checked; this one is trusted as written",
                    "warning",
                    path,
                )
                return
            cut_sets[j] |= consts
    pieces = [_pieces(d, cut_sets[j]) for j, d in enumerate(domains)]
    total = 1
    for p in pieces:
        total *= len(p)
    if total > MAX_COMBINATIONS:
        yield Diagnostic(
            "guide.table-unchecked",
            f"the table is too large to check ({total} combinations of values)",
            bands.span,
            None,
            "warning",
            path,
        )
        return
    # match[r][j][k]: does row r's cell j match piece k of column j?
    match = [
        [[_matches(cells[r][j], piece.value) for piece in pieces[j]] for j in range(width)]
        for r in range(len(rows))
    ]

    def describe(combo: tuple[int, ...]) -> str:
        parts = []
        for j, k in enumerate(combo):
            piece = pieces[j][k]
            name = domains[j].name
            if piece.text.startswith(("(", "<", ">", "any")):
                parts.append(f"{name} {piece.text if not piece.text.startswith('(') else 'in ' + piece.text}"
                             f" (e.g. {canonical(piece.value) if isinstance(piece.value, Decimal) else piece.value})")
            else:
                parts.append(f"{name} = {piece.text}")
        return ", ".join(parts)

    combos = list(itertools.product(*(range(len(p)) for p in pieces)))
    covered_by: dict[tuple[int, ...], list[int]] = {}
    for combo in combos:
        covered_by[combo] = [
            r for r in range(len(rows)) if all(match[r][j][k] for j, k in enumerate(combo))
        ]

    gaps = [c for c in combos if not covered_by[c]]
    if gaps:
        runs = _gap_runs(gaps)
        shown = "; ".join(_describe_run(run, pieces, domains) for run in runs[:3])
        more = f" and {len(runs) - 3} more" if len(runs) > 3 else ""
        yield Diagnostic(
            "guide.table-gap",
            f"no row of the table matches {shown}{more}",
            bands.span,
            "add a row for these values, or a last row with `-` (anything)",
            "error",
            path,
        )
    if bands.hit == "unique":
        reported: set[tuple[int, int]] = set()
        for combo in combos:
            hits = covered_by[combo]
            for a, b in itertools.combinations(hits, 2):
                if (a, b) in reported:
                    continue
                reported.add((a, b))
                yield Diagnostic(
                    "guide.table-overlap",
                    f"rows {a + 1} and {b + 1} both match {describe(combo)}; "
                    "with `hit: unique` exactly one row may match",
                    rows[b].span,
                    "make the ranges disjoint (e.g. [10..20) and [20..30]), or use `hit: first`",
                    "error",
                    path,
                )
    else:
        for r in range(len(rows)):
            own = [c for c in combos if r in covered_by[c]]
            if not own:
                yield Diagnostic(
                    "guide.table-dead-row",
                    f"row {r + 1} matches no possible value of the tested input(s)",
                    rows[r].span,
                    "check the row against the inputs' declared ranges",
                    "error",
                    path,
                )
            elif all(covered_by[c][0] < r for c in own):
                earlier = sorted({covered_by[c][0] + 1 for c in own})
                yield Diagnostic(
                    "guide.table-shadowed",
                    f"row {r + 1} can never be chosen: row(s) {', '.join(map(str, earlier))} "
                    "above it match every value it matches (hit: first)",
                    rows[r].span,
                    "reorder the rows or narrow the earlier ones",
                    "error",
                    path,
                )


def row_reach(bands: Bands, domains: list[Domain]) -> tuple[tuple[Any, ...] | None, ...] | None:
    """For each row, values of the tested values (one per column) for which that row is
    the one chosen — the first that matches under ``hit: first``, a matching one under
    ``hit: unique`` — or None for a row that no value of the domains reaches. None when
    the table cannot be analysed (a domain of unknown range, cells that read inputs, too
    many combinations). Unlike :func:`analyse_table` this looks at every hit policy, so it
    also finds the dead rows of a ``unique`` table."""
    rows = bands.rows
    width = len(domains)
    if any(len(r.when) != width for r in rows) or any(d.kind == "unknown" for d in domains):
        return None
    cells = [[fold(r.when[j]) for j in range(width)] for r in rows]
    cut_sets: list[set[Decimal]] = [set() for _ in domains]
    for row in cells:
        for j, cell in enumerate(row):
            consts = _constants(cell)
            if consts is None:
                return None
            cut_sets[j] |= consts
    pieces = [_pieces(d, cut_sets[j]) for j, d in enumerate(domains)]
    total = 1
    for p in pieces:
        total *= len(p)
    if total > MAX_COMBINATIONS:
        return None
    match = [
        [[_matches(cells[r][j], piece.value) for piece in pieces[j]] for j in range(width)]
        for r in range(len(rows))
    ]
    found: list[tuple[Any, ...] | None] = [None] * len(rows)
    for combo in itertools.product(*(range(len(p)) for p in pieces)):
        hits = [r for r in range(len(rows)) if all(match[r][j][k] for j, k in enumerate(combo))]
        chosen = hits[:1] if bands.hit == "first" else hits
        for r in chosen:
            if found[r] is None:
                found[r] = tuple(pieces[j][k].value for j, k in enumerate(combo))
    return tuple(found)


# ---- wording the gaps --------------------------------------------------------------------


def _gap_runs(gaps: list[tuple[int, ...]]) -> list[tuple[tuple[int, ...], int]]:
    """Gaps as runs along the last column: (first combination, number of adjacent pieces),
    so ``(15..20)`` and ``20`` read as the one interval ``(15..20]``."""
    runs: list[tuple[tuple[int, ...], int]] = []
    for combo in gaps:  # in itertools.product order: the last column varies fastest
        if runs:
            first, size = runs[-1]
            if combo[:-1] == first[:-1] and combo[-1] == first[-1] + size:
                runs[-1] = (first, size + 1)
                continue
        runs.append((combo, 1))
    return runs


def _describe_run(run: tuple[tuple[int, ...], int], pieces: list[list[_Piece]], domains: list[Domain]) -> str:
    first, size = run
    parts = []
    for j, k in enumerate(first):
        last = len(first) - 1
        span = pieces[j][k : k + size] if j == last else [pieces[j][k]]
        parts.append(_describe_pieces(domains[j].name, span))
    return ", ".join(parts)


def _describe_pieces(name: str, span: list[_Piece]) -> str:
    """``name = 20``, ``name in (15..20] (e.g. 17.5)``, ``name < 10 (e.g. 9)``, …"""
    a, b = span[0], span[-1]
    example = next((p for p in span if p.shape != "point"), a).value
    if isinstance(example, Decimal):
        example_text = f" (e.g. {canonical(example)})"
    else:
        example_text = ""
    if len(span) == 1 and a.shape in ("point", "bool"):
        return f"{name} = {a.text}"
    if a.shape == "bool":
        return f"{name}: true or false"
    if a.shape == "any" or (a.shape == "below" and b.shape == "above"):
        return f"{name}: any value"
    if a.shape == "below":
        if b.shape == "point":
            return f"{name} <= {canonical(b.hi)}{example_text}"  # type: ignore[arg-type]
        return f"{name} < {canonical(b.hi)}{example_text}"  # type: ignore[arg-type]
    if b.shape == "above":
        if a.shape == "point":
            return f"{name} >= {canonical(a.lo)}{example_text}"  # type: ignore[arg-type]
        return f"{name} > {canonical(a.lo)}{example_text}"  # type: ignore[arg-type]
    left = "[" if a.shape == "point" else "("
    right = "]" if b.shape == "point" else ")"
    return f"{name} in {left}{canonical(a.lo)}..{canonical(b.hi)}{right}{example_text}"  # type: ignore[arg-type]
