"""Decision tables checked for gaps, overlaps and shadowed rows.

Each tested value has a *domain*: the declared range of a numeric input (whole numbers
for an ``integer`` input, ``0..n`` for ``checked(checklist)``), ``{true, false}`` for a
boolean, or all numbers for an expression whose range is not known. The constants in
the cells cut the domain into elementary pieces (points and the open intervals between
them); every cell matches all or none of a piece. A cell gives one answer between two
of its own constants, so it is tested once per such region — at a piece's value, with
the language's own semantics (the reference interpreter), so this check cannot disagree
with scoring — and what it matches is kept as runs of pieces. Then:

- a *gap* is a combination of pieces that no row matches;
- under ``hit: unique``, an *overlap* is a combination two rows both match;
- under ``hit: first``, a row is *shadowed* when every combination it matches is
  matched by an earlier row, so it can never be chosen.

A table testing one value is analysed by sorting the ends of the runs (O(n log n) in
the rows, whatever the size); a table testing several values over every combination of
pieces, up to :data:`~taqyeem_rules.dsl.limits.MAX_TABLE_COMBINATIONS` (a warning says
when a table is over it). Overlapping pairs and the rows that shadow a row are listed up
to :data:`~taqyeem_rules.dsl.limits.MAX_REPORTED`.

Cells that depend on other inputs cannot be analysed; the table is then skipped with a
warning saying so.
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Iterator, Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..dsl import nodes as n
from ..dsl.fold import fold
from ..dsl.interpreter import interpret
from ..dsl.limits import MAX_REPORTED, MAX_TABLE_COMBINATIONS
from ..dsl.numbers import EXACT_CONTEXT, canonical
from ..dsl.types import Scalar, Type
from ..errors import Diagnostic, TaqyeemError
from .model import Bands, Input

__all__ = ["MAX_COMBINATIONS", "Domain", "analyse_table", "row_reach"]

#: Above this many piece combinations a table testing several values is not analysed
#: (a warning says so); the limit lives with the others in dsl/limits.py.
MAX_COMBINATIONS = MAX_TABLE_COMBINATIONS


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


def constants(node: n.Node) -> set[Decimal] | None:
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


def _runs(cell: n.UnaryTests, consts: set[Decimal], pieces: list[_Piece], domain: Domain,
          values: list[Decimal]) -> list[tuple[int, int]]:
    """The pieces a cell matches, as sorted runs ``[start, end)`` of piece indices.

    A cell made of constants gives the same answer for every value between two of its
    own constants, so it is tested once per such region (at the region's first piece),
    not once per piece: O(k log n) for a cell of k constants among n pieces.
    """
    size = len(pieces)
    flags: list[tuple[int, int, bool]] = []
    if domain.kind == "boolean":
        flags = [(k, k + 1, _matches(cell, piece.value)) for k, piece in enumerate(pieces)]
    else:
        at = 0
        for c in sorted(consts):
            lo, hi = bisect.bisect_left(values, c, at), bisect.bisect_right(values, c, at)
            for start, end in ((at, lo), (lo, hi)):  # the values below c, then c itself
                if start < end:
                    flags.append((start, end, _matches(cell, pieces[start].value)))
            at = hi
        if at < size:
            flags.append((at, size, _matches(cell, pieces[at].value)))
    runs: list[tuple[int, int]] = []
    for start, end, hit in flags:
        if not hit:
            continue
        if runs and runs[-1][1] == start:
            runs[-1] = (runs[-1][0], end)
        else:
            runs.append((start, end))
    return runs


def analyse_table(
    bands: Bands,
    domains: list[Domain],
    *,
    path: str,
) -> Iterator[Diagnostic]:
    """Diagnostics for gaps, overlaps (``unique``) and shadowed rows (``first``).

    A table testing one value is analysed by sorting the ends of the intervals its rows
    match (O(n log n) in the rows), whatever its size. A table testing several values is
    analysed over every combination of their pieces, with each piece's matching rows as
    a bit set; above :data:`MAX_TABLE_COMBINATIONS` combinations it is not analysed, and
    a warning says so.
    """
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
    consts: list[list[set[Decimal]]] = []
    cut_sets: list[set[Decimal]] = [set() for _ in domains]
    for r, row in enumerate(cells):
        consts.append([])
        for j, cell in enumerate(row):
            found = constants(cell)
            if found is None:
                yield Diagnostic(
                    "guide.table-unchecked",
                    f"cannot check the table for gaps: row {r + 1} depends on other inputs",
                    rows[r].span,
                    "cells made of constants can be checked; this one is trusted as written",
                    "warning",
                    path,
                )
                return
            consts[r].append(found)
            cut_sets[j] |= found
    pieces = [_pieces(d, cut_sets[j]) for j, d in enumerate(domains)]
    total = 1
    for p in pieces:
        total *= len(p)
    if width > 1 and total > MAX_TABLE_COMBINATIONS:
        yield Diagnostic(
            "guide.table-unchecked",
            f"the table is too large to check for gaps and overlaps: its {width} tested values "
            f"have {total:,} combinations of values, and tables testing several values are "
            f"checked up to {MAX_TABLE_COMBINATIONS:,}",
            bands.span,
            "split the table, or test fewer values together (a table testing one value is "
            "checked whatever its size)",
            "warning",
            path,
        )
        return
    values = [
        [piece.value for piece in column] if domain.kind != "boolean" else []
        for column, domain in zip(pieces, domains, strict=True)
    ]
    # runs[r][j]: the pieces of column j that row r's cell j matches.
    runs = [
        [_runs(cells[r][j], consts[r][j], pieces[j], domains[j], values[j]) for j in range(width)]
        for r in range(len(rows))
    ]
    analysis = _Sweep if width == 1 else _Product
    yield from analysis(bands, domains, pieces, runs, path).diagnostics()


class _Analysis:
    """What both analyses share: the table, its pieces, and how findings are worded."""

    def __init__(self, bands: Bands, domains: list[Domain], pieces: list[list[_Piece]],
                 runs: list[list[list[tuple[int, int]]]], path: str) -> None:
        self.bands, self.domains, self.pieces, self.runs, self.path = bands, domains, pieces, runs, path
        self.rows = bands.rows

    def describe(self, combo: tuple[int, ...]) -> str:
        parts = []
        for j, k in enumerate(combo):
            piece = self.pieces[j][k]
            name = self.domains[j].name
            if piece.text.startswith(("(", "<", ">", "any")):
                parts.append(f"{name} {piece.text if not piece.text.startswith('(') else 'in ' + piece.text}"
                             f" (e.g. {canonical(piece.value) if isinstance(piece.value, Decimal) else piece.value})")
            else:
                parts.append(f"{name} = {piece.text}")
        return ", ".join(parts)

    def gap(self, gaps: list[tuple[tuple[int, ...], int]], count: int) -> Diagnostic:
        """Gaps as runs along the last tested value, so ``(15..20)`` and ``20`` read as
        the one interval ``(15..20]``: the first three runs, and how many there are."""
        shown = "; ".join(_describe_run(run, self.pieces, self.domains) for run in gaps[:3])
        more = f" and {count - 3} more" if count > 3 else ""
        return Diagnostic(
            "guide.table-gap",
            f"no row of the table matches {shown}{more}",
            self.bands.span,
            "add a row for these values, or a last row with `-` (anything)",
            "error",
            self.path,
        )

    def overlap(self, a: int, b: int, combo: tuple[int, ...]) -> Diagnostic:
        return Diagnostic(
            "guide.table-overlap",
            f"rows {a + 1} and {b + 1} both match {self.describe(combo)}; "
            "with `hit: unique` exactly one row may match",
            self.rows[b].span,
            "make the ranges disjoint (e.g. [10..20) and [20..30]), or use `hit: first`",
            "error",
            self.path,
        )

    def more_overlaps(self) -> Diagnostic:
        return Diagnostic(
            "guide.table-overlap",
            f"more rows overlap: only the first {MAX_REPORTED} overlapping pairs are listed",
            self.bands.span,
            "make the ranges disjoint, or use `hit: first`",
            "error",
            self.path,
        )

    def dead(self, r: int) -> Diagnostic:
        return Diagnostic(
            "guide.table-dead-row",
            f"row {r + 1} matches no possible value of the tested input(s)",
            self.rows[r].span,
            "check the row against the inputs' declared ranges",
            "error",
            self.path,
        )

    def shadowed(self, r: int, earlier: list[int], complete: bool) -> Diagnostic:
        listed = ", ".join(str(e + 1) for e in earlier) + ("" if complete else ", …")
        return Diagnostic(
            "guide.table-shadowed",
            f"row {r + 1} can never be chosen: row(s) {listed} "
            "above it match every value it matches (hit: first)",
            self.rows[r].span,
            "reorder the rows or narrow the earlier ones",
            "error",
            self.path,
        )


class _Sweep(_Analysis):
    """One tested value: every finding from the sorted ends of the rows' runs."""

    def diagnostics(self) -> Iterator[Diagnostic]:
        size = len(self.pieces[0])
        runs = [r[0] for r in self.runs]
        # Gaps: pieces no run covers (coverage counted from the run ends).
        cover = [0] * (size + 1)
        for row_runs in runs:
            for start, end in row_runs:
                cover[start] += 1
                cover[end] -= 1
        gaps = _Gaps()
        level = 0
        for k in range(size):
            level += cover[k]
            if level == 0:
                gaps.add((k,))
        if gaps.count:
            yield self.gap(gaps.runs, gaps.count)
        if self.bands.hit == "unique":
            yield from self._overlaps(runs)
        else:
            yield from self._shadowed(runs, size)

    def _overlaps(self, runs: list[list[tuple[int, int]]]) -> Iterator[Diagnostic]:
        # Events in piece order (a run's end before a start at the same piece): when a run
        # starts, every active row overlaps it, first at this piece.
        events = sorted(
            (k, kind, r) for r, row_runs in enumerate(runs)
            for start, end in row_runs for k, kind in ((start, 1), (end, 0))
        )
        active: dict[int, int] = {}  # row → runs of it open (a row's runs never overlap)
        reported: set[tuple[int, int]] = set()
        for k, kind, r in events:
            if kind == 0:
                del active[r]
                continue
            for a in active:
                pair = (min(a, r), max(a, r))
                if pair in reported:
                    continue
                if len(reported) == MAX_REPORTED:
                    yield self.more_overlaps()
                    return
                reported.add(pair)
                yield self.overlap(pair[0], pair[1], (k,))
            active[r] = 1

    def _shadowed(self, runs: list[list[tuple[int, int]]], size: int) -> Iterator[Diagnostic]:
        # Paint each piece with the first row that matches it ("next unpainted piece"
        # pointers, so each piece is painted once): a row that paints nothing is shadowed.
        first = [-1] * size
        after = list(range(size + 1))

        def unpainted(k: int) -> int:
            root = k
            while after[root] != root:
                root = after[root]
            while after[k] != root:
                after[k], k = root, after[k]
            return root

        painted = [False] * len(runs)
        for r, row_runs in enumerate(runs):
            for start, end in row_runs:
                k = unpainted(start)
                while k < end:
                    first[k] = r
                    painted[r] = True
                    after[k] = k + 1
                    k = unpainted(k + 1)
        # Segments of equal first rows, to list who shadows a row.
        seg_starts: list[int] = []
        seg_rows: list[int] = []
        for k, r in enumerate(first):
            if not seg_rows or seg_rows[-1] != r:
                seg_starts.append(k)
                seg_rows.append(r)
        for r, row_runs in enumerate(runs):
            if not row_runs:
                yield self.dead(r)
            elif not painted[r]:
                earlier: set[int] = set()
                budget = 10 * MAX_REPORTED  # segments looked at, for the message only
                complete = True
                for start, end in row_runs:
                    s = bisect.bisect_right(seg_starts, start) - 1
                    while s < len(seg_starts) and seg_starts[s] < end:
                        if budget == 0 or len(earlier) == MAX_REPORTED:
                            complete = False
                            break
                        earlier.add(seg_rows[s])
                        budget -= 1
                        s += 1
                    if not complete:
                        break
                yield self.shadowed(r, sorted(earlier), complete)


class _Product(_Analysis):
    """Several tested values: every combination of their pieces, each with the set of
    rows matching it as the bits of an integer."""

    def diagnostics(self) -> Iterator[Diagnostic]:
        width = len(self.pieces)
        masks: list[list[int]] = []
        for j in range(width):
            toggles: dict[int, int] = {}
            for r, row_runs in enumerate(self.runs):
                for start, end in row_runs[j]:
                    toggles[start] = toggles.get(start, 0) ^ (1 << r)
                    toggles[end] = toggles.get(end, 0) ^ (1 << r)
            column, mask = [], 0
            for k in range(len(self.pieces[j])):
                mask ^= toggles.get(k, 0)
                column.append(mask)
            masks.append(column)
        gaps = _Gaps()
        unique = self.bands.hit == "unique"
        reported: set[tuple[int, int]] = set()
        overlapping = unique
        seen = 0  # rows matched somewhere
        won: dict[int, int] = {}  # first row → the rows it beats somewhere
        for combo in itertools.product(*(range(len(p)) for p in self.pieces)):
            m = masks[0][combo[0]]
            for j in range(1, width):
                m &= masks[j][combo[j]]
            if not m:
                gaps.add(combo)
                continue
            low = m & -m
            if unique:
                if overlapping and m != low:
                    for d in self._pairs(m, combo, reported):
                        yield d
                        if d.message.startswith("more rows overlap"):
                            overlapping = False
            else:
                seen |= m
                winner = low.bit_length() - 1
                won[winner] = won.get(winner, 0) | (m ^ low)
        if gaps.count:
            yield self.gap(gaps.runs, gaps.count)
        if unique:
            return
        winners = sorted(won)
        for r in range(len(self.rows)):
            if not seen >> r & 1:
                yield self.dead(r)
            elif r not in won:
                earlier = [w for w in winners if w < r and won[w] >> r & 1]
                complete = len(earlier) <= MAX_REPORTED
                yield self.shadowed(r, earlier[:MAX_REPORTED], complete)

    def _pairs(self, m: int, combo: tuple[int, ...], reported: set[tuple[int, int]]) -> Iterator[Diagnostic]:
        """Overlaps of the rows in ``m`` not reported yet (at most MAX_REPORTED in all)."""
        bits: list[int] = []
        while m:
            low = m & -m
            b = low.bit_length() - 1
            m ^= low
            for a in bits:
                if (a, b) in reported:
                    continue
                if len(reported) == MAX_REPORTED:
                    yield self.more_overlaps()
                    return
                reported.add((a, b))
                yield self.overlap(a, b, combo)
            bits.append(b)


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
            consts = constants(cell)
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


class _Gaps:
    """Gaps found in product order (the last tested value varies fastest), gathered into
    runs of adjacent pieces along the last value: the first three are kept to be shown,
    all are counted."""

    def __init__(self) -> None:
        self.runs: list[tuple[tuple[int, ...], int]] = []
        self.count = 0
        self._last: tuple[tuple[int, ...], int] | None = None

    def add(self, combo: tuple[int, ...]) -> None:
        last = self._last
        if last is not None and combo[:-1] == last[0][:-1] and combo[-1] == last[0][-1] + last[1]:
            self._last = (last[0], last[1] + 1)
            if self.count <= 3:
                self.runs[-1] = self._last
            return
        self._last = (combo, 1)
        self.count += 1
        if self.count <= 3:
            self.runs.append(self._last)


def _describe_run(run: tuple[tuple[int, ...], int], pieces: list[list[_Piece]], domains: list[Domain]) -> str:
    first, size = run
    parts = []
    last = len(first) - 1
    for j, k in enumerate(first):
        span = pieces[j][k : k + size] if j == last else [pieces[j][k]]
        parts.append(_describe_pieces(domains[j].name, span))
    return ", ".join(parts)


def _describe_pieces(name: str, span: list[_Piece]) -> str:
    """``name = 20``, ``name in (15..20] (e.g. 17.5)``, ``name < 10 (e.g. 9)``, …"""
    a, b = span[0], span[-1]
    example = next((p for p in span if p.shape != "point"), a).value
    example_text = f" (e.g. {canonical(example)})" if isinstance(example, Decimal) else ""
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
