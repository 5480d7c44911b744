"""The scoring expression language: a FEEL subset with decimal numbers.

>>> from taqyeem_rules import dsl
>>> dsl.evaluate("0.1 + 0.2 = 0.3")
True
>>> dsl.evaluate("round_half_up(mean(waits), 1)", {"waits": [4, 7, 9]})
Decimal('6.7')
>>> str(dsl.check("if x > 10 then 0 else x", {"x": "number"}))
'number'

The pipeline from text to a callable is a visible tuple of small passes
(:data:`PIPELINE`): parse → check → fold constants → check the folded tree →
generate code. ``compile(..., fold=False)`` leaves the folding pass out.
"""

from __future__ import annotations

import decimal
from collections.abc import Callable, Mapping
from typing import Any

import attrs

from ..errors import ExpressionTypeError as _ExpressionTypeError
from .builtins import BUILTINS, Function, Signature
from .checker import Checked, Scope, check_node
from .compiler import CodeBuilder, CompiledExpression
from .fold import fold
from .interpreter import RangeValue, feel_type_name, interpret
from .limits import DEFAULT_LIMITS, Limits
from .nodes import Node, free_names, unparse
from .nodes import UnaryTests as _UnaryTests
from .numbers import FEEL_CONTEXT, canonical, make_context, to_decimal
from .parser import parse, parse_unary_tests
from .plugins import FunctionRegistry, default_registry, function, make_function
from .types import (
    ANY,
    BOOLEAN,
    NULL,
    NUMBER,
    STRING,
    ContextType,
    ListType,
    Type,
    checklist,
    normalize_value,
    parse_type,
    type_of_value,
)

__all__ = [
    "ANY",
    "BOOLEAN",
    "BUILTINS",
    "DEFAULT_LIMITS",
    "FEEL_CONTEXT",
    "NULL",
    "NUMBER",
    "PIPELINE",
    "STRING",
    "Checked",
    "CodeBuilder",
    "CompiledExpression",
    "ContextType",
    "Function",
    "FunctionRegistry",
    "Limits",
    "ListType",
    "Node",
    "RangeValue",
    "Scope",
    "Signature",
    "Type",
    "canonical",
    "check",
    "check_and_fold",
    "check_node",
    "checklist",
    "compile",
    "default_registry",
    "evaluate",
    "feel_type_name",
    "fold",
    "free_names",
    "function",
    "interpret",
    "make_context",
    "make_function",
    "normalize_value",
    "parse",
    "parse_type",
    "parse_unary_tests",
    "to_decimal",
    "type_of_value",
    "unparse",
]


@attrs.define
class _Work:
    """What the passes hand each other."""

    text: str | Node
    scope: Scope
    ctx: decimal.Context
    limits: Limits
    start: str = "expression"
    node: Node | None = None
    original: Node | None = None
    checked: Checked | None = None
    compiled: CompiledExpression | None = None
    fold: bool = True


def _parse_pass(w: _Work) -> None:
    w.node = w.text if isinstance(w.text, Node) else parse(w.text, start=w.start, limits=w.limits)
    w.original = w.node


def _check_pass(w: _Work) -> None:
    assert w.node is not None
    if isinstance(w.node, _UnaryTests):
        raise _ExpressionTypeError(
            f"`{unparse(w.node)}` is a decision-table cell, not an expression",
            span=w.node.span,
            code="type.cell",
            hint="test a value against it with dsl.interpret(cell, variables, tested=value)",
        )
    _check_tree(w)


def _check_tree(w: _Work) -> None:
    assert w.node is not None
    w.checked = check_node(w.node, w.scope)
    w.checked.raise_for_errors()


def _fold_pass(w: _Work) -> None:
    assert w.node is not None
    if w.fold:
        w.node = fold(w.node, ctx=w.ctx, functions=w.scope.functions)


def _recheck_pass(w: _Work) -> None:
    # Folding keeps a tree well-typed; checking again gives the folded nodes types.
    assert w.node is not None and w.checked is not None
    if w.node is not w.checked.node:
        names, functions = w.checked.names, w.checked.functions
        w.checked = attrs.evolve(check_node(w.node, w.scope), names=names, functions=functions)
        w.checked.raise_for_errors()


def _generate_pass(w: _Work) -> None:
    assert w.checked is not None
    text = w.text if isinstance(w.text, str) else unparse(w.text)
    w.compiled = CompiledExpression(
        w.checked,
        text,
        w.scope.variables,
        ctx=w.ctx,
        functions=w.scope.functions,
        original=w.original,
    )


#: The passes from text to a callable, in order.
PIPELINE: tuple[Callable[[_Work], None], ...] = (
    _parse_pass,
    _check_pass,
    _fold_pass,
    _recheck_pass,
    _generate_pass,
)


def check_and_fold(node: Node, scope: Scope, ctx: decimal.Context = FEEL_CONTEXT, *, fold: bool = True) -> Checked:
    """The middle of :data:`PIPELINE` for a tree already parsed — check, fold the
    constants, check the folded tree — also for a decision-table cell (``scope.tested``
    set), which the pipeline's own check refuses. The model compiler builds its scoring
    function from these checked trees.

    Raises :class:`~taqyeem_rules.errors.ExpressionTypeError` when the tree (or the
    folded tree) does not check.
    """
    work = _Work(node, scope, ctx, DEFAULT_LIMITS, node=node, original=node, fold=fold)
    for step in (_check_tree, _fold_pass, _recheck_pass):
        step(work)
    assert work.checked is not None
    return work.checked


def check(
    expression: str | Node,
    types: Mapping[str, Type | str] | None = None,
    *,
    functions: FunctionRegistry | None = None,
) -> Type:
    """The static type of an expression in an environment of declared variable types.

    Raises :class:`~taqyeem_rules.errors.ExpressionSyntaxError` or
    :class:`~taqyeem_rules.errors.ExpressionTypeError` (carrying every diagnostic).
    """
    node = expression if isinstance(expression, Node) else parse(expression)
    checked = check_node(node, Scope.of(types, functions))
    checked.raise_for_errors()
    return checked.type


def compile(
    expression: str | Node,
    types: Mapping[str, Type | str] | None = None,
    *,
    functions: FunctionRegistry | None = None,
    precision: int = 34,
    rounding: str = "half_even",
    fold: bool = True,
    limits: Limits = DEFAULT_LIMITS,
) -> CompiledExpression:
    """Parse, check, fold and compile an expression into a callable."""
    ctx = FEEL_CONTEXT if (precision, rounding) == (34, "half_even") else make_context(precision, rounding)
    work = _Work(expression, Scope.of(types, functions), ctx, limits, fold=fold)
    for step in PIPELINE:
        step(work)
    assert work.compiled is not None
    return work.compiled


def evaluate(
    expression: str | Node,
    variables: Mapping[str, Any] | None = None,
    *,
    types: Mapping[str, Type | str] | None = None,
    functions: FunctionRegistry | None = None,
) -> Any:
    """Evaluate an expression with variables; undeclared types are inferred from values.

    Numbers come back as :class:`decimal.Decimal`, booleans as ``bool``, null as ``None``.
    """
    values = {k: normalize_value(v, where=f"variable `{k}`") for k, v in (variables or {}).items()}
    declared: dict[str, Type | str] = {k: type_of_value(v, where=f"variable `{k}`") for k, v in values.items()}
    declared.update(types or {})
    return compile(expression, declared, functions=functions)(values)

