"""Constant folding, its own pass: ``2 * 50`` becomes ``100`` before compilation.

A subtree is folded when it reads no variable and calls only pure (built-in)
functions; it is evaluated with the reference interpreter and replaced by a literal
carrying the subtree's span. ``if``/``and``/``or`` with a constant condition lose the
branch that can never run. A constant subtree that fails (``1 / 0``) is left alone,
so the error still surfaces, with its position, when the expression runs.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import Any

import attrs

from ..errors import TaqyeemError
from . import nodes as n
from .interpreter import interpret
from .numbers import FEEL_CONTEXT
from .plugins import FunctionRegistry, default_registry

__all__ = ["fold"]


class _Impossible(Exception):
    """The node cannot be turned into a constant."""


def _literal(value: Any, span: Any) -> n.Node:
    if value is None:
        return n.Null(span=span)
    if isinstance(value, bool):
        return n.Bool(value, span=span)
    if isinstance(value, Decimal):
        return n.Num(value, span=span)
    if isinstance(value, str):
        return n.Str(value, span=span)
    if isinstance(value, list):
        return n.ListLit(tuple(_literal(v, span) for v in value), span=span)
    raise _Impossible


def _is_const(node: n.Node) -> bool:
    if isinstance(node, n.Num | n.Str | n.Bool | n.Null):
        return True
    if isinstance(node, n.ListLit):
        return all(_is_const(i) for i in node.items)
    return False


#: Nodes never replaced: literals (already values), names (never constant), ranges and
#: the parts of cells (kept as written; their bounds are folded).
_KEPT = (
    n.Num, n.Str, n.Bool, n.Null, n.ListLit, n.Range, n.Name,
    n.UnaryTests, n.CmpTest, n.AnyTest, n.NotTests, n.QMark,
)


class _Folder:
    def __init__(self, ctx: decimal.Context, functions: FunctionRegistry) -> None:
        self.ctx = ctx
        self.functions = functions

    def fold(self, node: n.Node) -> n.Node:
        if isinstance(node, n.UnaryTests):
            # A cell's test that uses `?` is a condition; folded to a constant it would be
            # read as "equal to that constant". Such a test keeps its `?`.
            folded = []
            for t in node.tests:
                f = self.fold(t)
                folded.append(t if n.uses_qmark(t) and not n.uses_qmark(f) else f)
            tests = tuple(folded)
            if all(a is b for a, b in zip(tests, node.tests, strict=True)):
                return node
            return attrs.evolve(node, tests=tests)
        # Fold children first.
        changes: dict[str, Any] = {}
        for field in node.children_fields:
            value = getattr(node, field)
            if isinstance(value, tuple):
                new = tuple(self.fold(v) for v in value)
                if any(a is not b for a, b in zip(new, value, strict=True)):
                    changes[field] = new
            elif isinstance(value, n.Node):
                new_node = self.fold(value)
                if new_node is not value:
                    changes[field] = new_node
        if changes:
            node = attrs.evolve(node, **changes)
        return self._fold_here(node)

    def _fold_here(self, node: n.Node) -> n.Node:
        if isinstance(node, _KEPT):
            return node
        match node:
            case n.If(cond=n.Bool(value=True), then=then):
                return then
            case n.If(cond=n.Bool(value=False) | n.Null(), otherwise=otherwise):
                return otherwise
            case n.BoolOp(op="and", left=n.Bool(value=False)):
                return n.Bool(False, span=node.span)
            case n.BoolOp(op="or", left=n.Bool(value=True)):
                return n.Bool(True, span=node.span)
        if isinstance(node, n.Call):
            fn = self.functions.get(node.name)
            if fn is None or not fn.pure:
                return node
        if not all(_is_const(c) or (isinstance(c, n.Range) and _range_const(c)) for c in node.children()):
            return node
        try:
            value = interpret(node, {}, ctx=self.ctx, functions=self.functions)
            return _literal(value, node.span)
        except (TaqyeemError, _Impossible):
            return node


def _range_const(node: n.Range) -> bool:
    return _is_const(node.low) and _is_const(node.high)


def fold(
    node: n.Node,
    *,
    ctx: decimal.Context = FEEL_CONTEXT,
    functions: FunctionRegistry | None = None,
) -> n.Node:
    """The tree with every constant subtree replaced by its value."""
    return _Folder(ctx, functions or default_registry()).fold(node)
