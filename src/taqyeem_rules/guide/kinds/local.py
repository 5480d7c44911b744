"""Points from a kind's own names: a formula (``points:``) or rows (``bands:``).

The ``survey`` and ``tawasul`` kinds compute values of their own — a satisfaction index,
reply rates — and let a guide turn them into points either by an expression over those
names or by a decision table testing them. Everything about that choice is here once:
the roles (for names and checks), the code, the diff, the attainable points and the
explanation line.
"""

from __future__ import annotations

from collections.abc import Iterator
from decimal import Decimal
from typing import Any

from ...dsl import nodes as n
from ...dsl.checker import Scope
from ...dsl.treediff import subtree_changes
from ..model import Bands, Expr
from .bands import compile_table, row_message, table_attainable, table_changes, table_roles
from .base import CompileContext, Compiled, FieldChange, Message, Role
from .expression import constant_points

__all__ = ["local_attainable", "local_changes", "local_explain", "local_points", "local_roles"]


def local_roles(points: Expr | None, bands: Bands | None) -> tuple[Role, ...]:
    """The expressions of a formula or a table over the kind's own names (not inputs)."""
    out: list[Role] = []
    if points is not None:
        out.append(Role("points", points, True))
    if bands is not None:
        out += table_roles(bands, "bands", local=True)
    return tuple(out)


def local_points(points: Expr | None, bands: Bands | None, cc: CompileContext, scope: Scope,
                 env: str) -> tuple[Compiled, str]:
    """Emit the points from the names in the dict ``env``: (what was emitted, the Python
    expression of the matched row, ``-1`` without a table)."""
    if bands is not None:
        row = cc.builder.tmp()
        return compile_table(bands, cc, scope=scope, env=env, row_var=row), row
    assert points is not None
    code, null = cc.value(points, scope, env)
    cc.emit(f"{cc.points} = {code}")
    return Compiled(may_be_null=null), "-1"


def local_changes(a_points: Expr | None, b_points: Expr | None, a_bands: Bands | None,
                  b_bands: Bands | None, order: int) -> Iterator[FieldChange]:
    """How the formula and the table of two versions differ (``params.points``,
    ``params.bands…``)."""
    na = a_points.node if a_points is not None else None
    nb = b_points.node if b_points is not None else None
    if na != nb:
        yield FieldChange("params.points", a_points.canonical if a_points else None,
                          b_points.canonical if b_points else None, order, subtree_changes(na, nb))
    yield from table_changes(a_bands, b_bands, "params.bands", order + 1)


def local_attainable(points: Expr | None, bands: Bands | None) -> tuple[Decimal, ...] | None:
    """The points a table's rows or a formula's constant branches can give."""
    if bands is not None:
        return table_attainable(bands)
    return constant_points(points.node) if points is not None else None


def local_explain(points: Expr | None, bands: Bands | None, row: int | None, value: Decimal | None,
                  key: str) -> Message | None:
    """The line saying how the points arose: the matched row, or the formula's value
    (message ``key``, with ``expression`` and ``points``)."""
    if bands is not None and row is not None:
        return row_message(bands, row)
    if points is not None and value is not None:
        return Message.of(key, expression=n.unparse(points.node), points=value)
    return None


def local_detail_row(row: Any) -> int | None:
    """A 0-based row kept in a detail tuple, as the 1-based row results show (None: none)."""
    return int(row) + 1 if isinstance(row, int) and row >= 0 else None
