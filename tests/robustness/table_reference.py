"""The decision-table analysis as it was before issue 10 (quadratic: every row tested
against every piece with the interpreter), kept as the oracle the sorted-ends analysis
is tested against. Copied from src/taqyeem_rules/guide/tables.py at commit d655a0c; the
gaps are worded as the library words them now (runs of adjacent pieces, issue 11), which
is presentation, not the analysis this oracle checks."""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from decimal import Decimal

from taqyeem_rules.dsl.fold import fold
from taqyeem_rules.dsl.numbers import canonical
from taqyeem_rules.errors import Diagnostic
from taqyeem_rules.guide.model import Bands
from taqyeem_rules.guide.tables import Domain, _describe_run, _Gaps, _matches, _pieces, constants

MAX_COMBINATIONS = 50_000


def reference_analysis(
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
            consts = constants(cell)
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

    gaps = _Gaps()
    for c in combos:
        if not covered_by[c]:
            gaps.add(c)
    if gaps.count:
        shown = "; ".join(_describe_run(run, pieces, domains) for run in gaps.runs)
        more = f" and {gaps.count - 3} more" if gaps.count > 3 else ""
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
