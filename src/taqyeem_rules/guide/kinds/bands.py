"""The ``bands`` kind: points from a decision table of FEEL unary tests.

Written ``bands: {on, hit, rows}`` (the shorthand) or ``kind: bands`` with the same
settings under ``params:``; both mean the same and have the same canonical form::

    - id: service_waiting_time
      bands:
        on: mean(ms_waiting_minutes)
        hit: first
        rows:
          - {when: "<= 10", points: 4}
          - {when: "(10..20]", points: 2}
          - {when: "> 20", points: 0}

Decision tables are also the way the ``survey`` and ``tawasul`` kinds map their index
or rates to points, so the table machinery of this module — loading, checking (gaps,
overlaps, shadowed rows: :mod:`taqyeem_rules.guide.tables`), compiling, comparing —
is shared by them (:func:`load_table`, :func:`check_table`, :func:`compile_table`,
:func:`table_changes`).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ...dsl import nodes as n
from ...dsl.checker import Scope
from ...dsl.numbers import NUMBER_TEXT, canonical, format_number
from ...dsl.treediff import subtree_changes
from ...dsl.types import NUMBER, Type
from ...errors import Diagnostic
from ..model import BandRow, Bands, Criterion, Expr
from ..tables import Domain, analyse_table, domain_of
from .base import (
    CheckContext,
    CompileContext,
    Compiled,
    CriterionKind,
    FieldChange,
    LoadContext,
    Message,
    Outcome,
    Path,
    Role,
)

__all__ = [
    "KIND",
    "BandsKind",
    "check_table",
    "compile_table",
    "load_table",
    "row_text",
    "table_attainable",
    "table_canonical",
    "table_changes",
    "table_file_data",
    "table_roles",
]

#: Messages of every kind that uses a table (one row line).
TABLE_MESSAGES = {
    "en": {"table.row": "row {row} of the table on {on}: {cells} → {points}"},
    "ar": {"table.row": "الصف {row} من الجدول على {on}: {cells} ← {points}"},
}


# ---- loading -----------------------------------------------------------------------------


def load_table(ctx: LoadContext, path: Path, *, on: Sequence[Expr] | None = None,
               rows_path: Path | None = None, hit: str | None = None) -> Bands:
    """A decision table from the mapping at ``path`` (``on``, ``hit``, ``rows``), or —
    when ``on`` is given — from the list of rows at ``rows_path`` testing those values."""
    if on is None:
        on_value = ctx.get((*path, "on"))
        if isinstance(on_value, list):
            on = tuple(ctx.expr((*path, "on", k)) for k in range(len(on_value)))
        else:
            on = (ctx.expr((*path, "on")),)
        rows_path = (*path, "rows")
        hit = ctx.get(path).get("hit", "first")
    assert rows_path is not None
    rows = []
    for k, row in enumerate(ctx.get(rows_path)):
        rpath: Path = (*rows_path, k)
        when = row["when"]
        if isinstance(when, list):
            cell_paths: list[Path] = [(*rpath, "when", j) for j in range(len(when))]
        else:
            cell_paths = [(*rpath, "when")]
        cells = tuple(ctx.expr(cp, start="unary_tests") for cp in cell_paths)
        if len(cells) != len(on):
            ctx.error(
                "guide.table-shape",
                f"row {k + 1} has {len(cells)} cell(s) but the table tests {len(on)} value(s)",
                (*rpath, "when"),
                "give one cell per value listed in `on` (use \"-\" for any value)",
            )
        points_value = row["points"]
        points: Decimal | Expr
        if isinstance(points_value, Decimal | int) and not isinstance(points_value, bool):
            points = ctx.number(points_value)
        elif isinstance(points_value, str) and NUMBER_TEXT.fullmatch(points_value.strip()):
            # "4" and 4 are the same constant (so a canonical guide reads back equal).
            points = ctx.number(points_value, (*rpath, "points"))
        else:
            points = ctx.expr((*rpath, "points"))
        rows.append(
            BandRow(
                when=tuple(c.node for c in cells),  # type: ignore[misc]
                points=points,
                note=row.get("note"),
                when_text=tuple(c.text for c in cells),
                span=ctx.span((*rpath, "when")),
                path=ctx.path_text(rpath),
            )
        )
    return Bands(on=tuple(on), rows=tuple(rows), hit=hit or "first", span=ctx.key_span(path))


# ---- what a table reads ------------------------------------------------------------------


def table_roles(bands: Bands, prefix: str, *, local: bool = False) -> tuple[Role, ...]:
    """The expressions of a table: tested values, cells and row points.

    ``local``: the tested values and row points read the kind's own names, not inputs."""
    out = [Role(f"{prefix}.on[{k}]", on, local) for k, on in enumerate(bands.on)]
    out += [Role(f"{prefix}.rows[{r}].points", row.points, local)
            for r, row in enumerate(bands.rows) if isinstance(row.points, Expr)]
    out += [Role(f"{prefix}.rows[{r}].when", cell, True)
            for r, row in enumerate(bands.rows) for cell in row.when]
    return tuple(out)


# ---- checks ------------------------------------------------------------------------------


def check_table(
    criterion: Criterion,
    bands: Bands,
    ctx: CheckContext,
    path: str,
    *,
    scope: Scope | None = None,
    domains: Sequence[Domain] | None = None,
) -> Iterator[Diagnostic]:
    """Type-check a table's expressions, then look for gaps, overlaps and shadowed rows
    (memoised across versions of a guide) and constant points off the scale."""
    scope = scope or ctx.input_scope
    on_types: list[Type] = []
    for k, on in enumerate(bands.on):
        chk = ctx.run(on, scope, None, f"the tested value of `{criterion.id}`", f"{path}.on[{k}]")
        on_types.append(chk.type)
    for r, row in enumerate(bands.rows):
        for k, cell in enumerate(row.when):
            tested = on_types[k] if k < len(on_types) else None
            ctx.run(_cell_expr(ctx, cell, row), ctx.scope(scope.variables, tested), None, "a cell",
                    f"{row.path}.when")
        if isinstance(row.points, Expr):
            ctx.run(row.points, scope, NUMBER, f"the points of row {r + 1} of `{criterion.id}`",
                    f"{row.path}.points")
    if domains is None:
        inputs = _inputs_by_id(ctx)
        doms = []
        for on in bands.on:
            chk = ctx.checked(on)
            doms.append(domain_of(on.node, inputs, chk.type if chk is not None else None))
        domains = doms
    key = ("table", id(bands), tuple(domains), path)
    found = ctx.memo.get(key)
    if found is None or found[0] is not bands:
        found = ctx.memo[key] = (bands, list(analyse_table(bands, list(domains), path=path)))
    yield from found[1]
    p = ctx.guide.points
    for r, row in enumerate(bands.rows):
        if isinstance(row.points, Decimal) and not p.min <= row.points <= p.max:
            yield Diagnostic(
                "guide.points-range",
                f"row {r + 1} of `{criterion.id}` gives {format_number(row.points)} points; "
                f"the scale is {format_number(p.min)} to {format_number(p.max)}",
                row.span,
                path=f"{row.path}.points",
            )


def _cell_expr(ctx: CheckContext, cell: n.Node, row: BandRow) -> Expr:
    """A cell as an expression to check (kept in the check memo with its node and row:
    the canonical text is written once per cell, not at every check of a guide that
    amends it)."""
    key = ("cell", id(cell))
    found = ctx.memo.get(key)
    if found is None or found[0] is not cell or found[1] is not row:
        found = ctx.memo[key] = (cell, row, Expr(cell, n.unparse(cell), span=cell.span or row.span))
    return found[2]


def _inputs_by_id(ctx: CheckContext) -> Mapping[str, Any]:
    """The guide's inputs by id (one index per version of the guide's inputs)."""
    inputs = ctx.guide.inputs
    key = ("inputs-by-id", id(inputs))
    found = ctx.memo.get(key)
    if found is None or found[0] is not inputs:
        found = ctx.memo[key] = (inputs, {i.id: i for i in inputs})
    return found[1]


# ---- compiling ---------------------------------------------------------------------------


def _constant_cell(cell: n.Node) -> bool:
    return all(not isinstance(sub, n.Name | n.Path | n.Call) for sub in n.walk(cell))


def compile_table(bands: Bands, cc: CompileContext, *, scope: Scope | None = None,
                  env: str = "env", row_var: str | None = None, points_var: str | None = None) -> Compiled:
    """Emit a decision table: the matched row into the detail variable (-1 for none),
    its points into the points variable (None when no row matched); ``row_var`` and
    ``points_var`` name other variables (a kind whose detail is more than the row)."""
    b = cc.builder
    r_var, p_var = row_var or cc.detail, points_var or cc.points
    scope = scope or cc.input_scope
    tested: list[tuple[str, bool]] = []
    for on in bands.on:
        code, null = cc.value(on, scope, env)
        tested.append((b.bind(code), null))
    on_types = [cc.checked(on, scope).type for on in bands.on]
    conditions: list[tuple[list[str], str]] = []
    for row in bands.rows:
        with b.capture() as lines, b.block():
            parts = []
            for k, cell in enumerate(row.when):
                sc = cc.scope(scope.variables, on_types[k])
                chk = cc.checked(cell, sc)
                b.types.update(chk.types)
                v, v_null = tested[k]
                expr = b.cell(chk.node, v, v_null)
                if expr == "True":
                    continue
                cell_null = v_null or not _constant_cell(chk.node)
                parts.append(f"({expr}) is True" if cell_null else expr)
            cond = " and ".join(parts) if parts else "True"
        conditions.append((lines, cond))
    unique_runtime = bands.hit == "unique" and not all(
        _constant_cell(cell) for row in bands.rows for cell in row.when
    )
    if unique_runtime:
        # Not provable statically: count the matching rows.
        b.emit(f"{r_var} = -1")
        for r, (lines, cond) in enumerate(conditions):
            for line in lines:
                b.lines.append(line[4:])
            b.emit(f"if {cond}:")
            with b.block():
                b.emit(f"if {r_var} >= 0: " + cc.fail("overlap", f"({r_var}, {r})"))
                b.emit(f"{r_var} = {r}")
    elif all(not lines for lines, _ in conditions):
        for r, (_, cond) in enumerate(conditions):
            b.emit(f"{'if' if r == 0 else 'elif'} {cond}:")
            with b.block():
                b.emit(f"{r_var} = {r}")
        b.emit("else:")
        with b.block():
            b.emit(f"{r_var} = -1")
    else:
        # Some cell needs statements: a flat chain, each row tried while none matched.
        b.emit(f"{r_var} = -1")
        for r, (lines, cond) in enumerate(conditions):
            if r:
                b.emit(f"if {r_var} < 0:")
                b.indent += 1
                b.lines.extend(lines)
            else:
                b.lines.extend(line[4:] for line in lines)
            b.emit(f"if {cond}:")
            with b.block():
                b.emit(f"{r_var} = {r}")
            if r:
                b.indent -= 1
    # Points of the matched row.
    const_points = [row.points for row in bands.rows]
    if all(isinstance(p, Decimal) for p in const_points):
        table = b.const(tuple(const_points))
        b.emit(f"{p_var} = {table}[{r_var}] if {r_var} >= 0 else None")
        # The percentage of each row, computed now with the same context and formula;
        # constant row points were checked against the scale when the guide loaded.
        pct = b.const(tuple(cc.percentage(p) for p in const_points))  # type: ignore[arg-type]
        return Compiled(may_be_null=True, on_scale=True, percentages=pct)
    b.emit(f"{p_var} = None")
    for r, row in enumerate(bands.rows):
        b.emit(f"if {r_var} == {r}:")
        with b.block():
            if isinstance(row.points, Decimal):
                b.emit(f"{p_var} = {b.const(row.points)}")
            else:
                code, _ = cc.value(row.points, scope, env)
                b.emit(f"{p_var} = {code}")
    return Compiled(may_be_null=True)


# ---- forms -------------------------------------------------------------------------------


def row_text(row: BandRow) -> str:
    """``cell | cell → points`` (canonical)."""
    points = canonical(row.points) if isinstance(row.points, Decimal) else row.points.canonical
    return f"{' | '.join(row.cells_text())} → {points}"


def _row_key(row: BandRow) -> tuple[Any, ...]:
    points = row.points.node if isinstance(row.points, Expr) else row.points
    return (row.when, points, isinstance(row.points, Expr))


def _points_data(row: BandRow) -> str:
    return canonical(row.points) if isinstance(row.points, Decimal) else row.points.canonical


def table_canonical(b: Bands) -> dict[str, Any]:
    """The canonical data of a table (what fingerprints cover)."""
    return {
        "on": [o.canonical for o in b.on],
        "hit": b.hit,
        "rows": [
            {"when": list(r.cells_text()), "points": _points_data(r), **({"note": r.note} if r.note else {})}
            for r in b.rows
        ],
    }


def rows_file_data(b: Bands) -> list[dict[str, Any]]:
    """The rows as a guide file writes them (one cell without a list)."""
    rows = []
    for r in b.rows:
        cells = list(r.cells_text())
        row: dict[str, Any] = {
            "when": cells[0] if len(cells) == 1 and len(b.on) == 1 else cells,
            "points": _points_data(r),
        }
        if r.note:
            row["note"] = r.note
        rows.append(row)
    return rows


def table_file_data(b: Bands) -> dict[str, Any]:
    """The table as a guide file writes it (one tested value without a list)."""
    on = [o.canonical for o in b.on]
    return {"on": on[0] if len(on) == 1 else on, "hit": b.hit, "rows": rows_file_data(b)}


def table_summary(x: Bands) -> tuple[str, ...]:
    on = ", ".join(o.canonical for o in x.on)
    return (f"on {on} (hit {x.hit})", *(row_text(r) for r in x.rows))


def table_changes(a: Bands | None, b: Bands | None, prefix: str = "bands", order: int = 4) -> Iterator[FieldChange]:
    """How two tables differ: the whole table (one side absent), or its tested values,
    hit policy and rows (with the changed rows paired when the row count is kept)."""
    if a == b:
        return
    if a is None or b is None:
        yield FieldChange(prefix, table_summary(a) if a else None, table_summary(b) if b else None, order)
        return
    on_a, on_b = tuple(o.node for o in a.on), tuple(o.node for o in b.on)
    if on_a != on_b:
        pairs: tuple[tuple[str | None, str | None], ...] = ()
        if len(on_a) == len(on_b):
            pairs = tuple(
                p
                for x, y in zip(on_a, on_b)
                for p in (subtree_changes(x, y) or ((n.unparse(x), n.unparse(y)),))
                if x != y
            )
        yield FieldChange(f"{prefix}.on", ", ".join(o.canonical for o in a.on),
                          ", ".join(o.canonical for o in b.on), order + 1, pairs)
    if a.hit != b.hit:
        yield FieldChange(f"{prefix}.hit", a.hit, b.hit, order + 2)
    rows_a, rows_b = [_row_key(r) for r in a.rows], [_row_key(r) for r in b.rows]
    if rows_a != rows_b or [r.note for r in a.rows] != [r.note for r in b.rows]:
        pairs = ()
        if len(rows_a) == len(rows_b):
            pairs = tuple(
                (f"row {k + 1}: {row_text(x)}", f"row {k + 1}: {row_text(y)}")
                for k, (x, y) in enumerate(zip(a.rows, b.rows))
                if _row_key(x) != _row_key(y) or x.note != y.note
            )
        yield FieldChange(f"{prefix}.rows", tuple(row_text(r) for r in a.rows),
                          tuple(row_text(r) for r in b.rows), order + 3, pairs)


def table_attainable(b: Bands) -> tuple[Decimal, ...] | None:
    """The points a table can give, when every row's points are constant."""
    if all(isinstance(r.points, Decimal) for r in b.rows):
        return tuple(sorted({r.points for r in b.rows}))  # type: ignore[type-var]
    return None


def row_message(bands: Bands, row: int) -> Message:
    """The explanation line of a matched row (1-based)."""
    r = bands.rows[row - 1]
    return Message.of(
        "table.row",
        row=row,
        on=", ".join(o.canonical for o in bands.on),
        cells=" | ".join(r.cells_text()),
        points=canonical(r.points) if isinstance(r.points, Decimal) else r.points.canonical,
    )


class BandsKind(CriterionKind):
    """Points from a decision table (the built-in kind behind ``bands:``)."""

    name = "bands"
    shorthand = "bands"
    amendable = ("on", "hit", "rows")
    messages = TABLE_MESSAGES
    codes: ClassVar[Mapping[str, str]] = {
        "guide.table-shape":
            "a decision-table row with another number of cells than the values it tests",
    }

    def params_schema(self) -> dict[str, Any]:
        return {"$ref": "#/definitions/bands"}

    def load(self, ctx: LoadContext, path: Path) -> Bands:
        return attrs.evolve(load_table(ctx, path), path=ctx.path_text(path))

    def expressions(self, params: Bands) -> tuple[Role, ...]:
        return table_roles(params, params.path or "bands")

    def reads(self, params: Bands) -> tuple[str, ...]:
        nodes = [o.node for o in params.on]
        nodes += [r.points.node for r in params.rows if isinstance(r.points, Expr)]
        nodes += [cell for r in params.rows for cell in r.when]
        return tuple(sorted({name for node in nodes for name in n.free_names(node)}))

    def check(self, criterion: Criterion, params: Bands, ctx: CheckContext) -> Iterator[Diagnostic]:
        yield from check_table(criterion, params, ctx, params.path or f"{criterion.path}.bands")

    def compile(self, params: Bands, cc: CompileContext) -> Compiled:
        return compile_table(params, cc)

    def failure(self, criterion: Criterion, params: Bands, reason: str, value: Any,
                inputs: str) -> tuple[str, str | None]:
        if reason == "overlap":
            a, b = value
            return (f"rows {a + 1} and {b + 1} of criterion `{criterion.id}` both match ({inputs}); "
                    "the table's hit policy is unique", "make the rows disjoint, or use `hit: first`")
        return super().failure(criterion, params, reason, value, inputs)

    def null_reason(self, params: Bands) -> tuple[str, str]:
        return (
            "no row of its decision table matched",
            "check the inputs against the criterion's rows, or set a `missing:` policy",
        )

    def row(self, detail: Any) -> int | None:
        return detail + 1 if isinstance(detail, int) and detail >= 0 else None

    def explain(self, criterion: Criterion, params: Bands, outcome: Outcome) -> list[Message]:
        row = self.row(outcome.detail)
        return [row_message(params, row)] if row is not None else []

    def canonical(self, params: Bands) -> dict[str, Any]:
        return table_canonical(params)

    def file_data(self, params: Bands) -> dict[str, Any]:
        return table_file_data(params)

    def compare(self, a: Bands | None, b: Bands | None) -> Iterator[FieldChange]:
        yield from table_changes(a, b)

    def attainable(self, params: Bands, guide: Any) -> tuple[Decimal, ...] | None:
        return table_attainable(params)

    def table(self, params: Bands) -> Bands:
        return params


KIND = BandsKind()


def bands_of(criterion: Criterion) -> Bands | None:
    """The table of a ``bands`` criterion (None for other kinds)."""
    return criterion.params if isinstance(criterion.params, Bands) else None


def messages_of(kinds: Mapping[str, CriterionKind]) -> dict[str, dict[str, str]]:
    """Every message of some kinds, by language (for the catalogue)."""
    out: dict[str, dict[str, str]] = {}
    for kind in kinds.values():
        for lang, entries in kind.messages.items():
            out.setdefault(lang, {}).update(entries)
    return out
