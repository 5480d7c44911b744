"""A plain tree-walking interpreter: the reference semantics of the language.

The compiler (``compiler.py``) must agree with it on every tree; property tests check
that. It is also the compiler's slow path: when compiled code fails, the same
expression is interpreted to find the node that failed, so a user gets
``division by zero in `a / b``` with a caret, while the fast path carries no
bookkeeping.

Semantics in brief (FEEL): arithmetic on null is null; ``=`` treats null as a value
(``null = null`` is true); ordering with null is null; ``and``/``or`` are three-valued
and evaluate their right side only when the left does not decide; ``if`` takes the else
branch on a null condition; a decision-table cell is satisfied only when a test is true.
"""

from __future__ import annotations

import decimal
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..errors import EvaluationError, PluginError
from . import nodes as n
from .numbers import DECIMAL_ERRORS, FEEL_CONTEXT, decimal_error, power
from .plugins import FunctionRegistry, default_registry

__all__ = ["DECIMAL_ERRORS", "RangeValue", "decimal_error", "feel_type_name", "interpret"]

_NO_TESTED = object()


@attrs.frozen
class RangeValue:
    """The value of a range such as ``[1..5)``: its ends and whether each is closed."""

    low: Any
    high: Any
    low_closed: bool
    high_closed: bool

    def contains(self, v: Any) -> bool | None:
        if v is None or self.low is None or self.high is None:
            return None
        lo_ok = self.low <= v if self.low_closed else self.low < v
        hi_ok = v <= self.high if self.high_closed else v < self.high
        return lo_ok and hi_ok


def feel_type_name(value: Any) -> str:
    """The FEEL type of a runtime value, for messages and the CLI."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, Decimal):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        inner = {feel_type_name(v) for v in value if v is not None}
        return f"list<{inner.pop() if len(inner) == 1 else 'any'}>"
    if isinstance(value, dict):
        return "context"
    if isinstance(value, RangeValue):
        return "range"
    return type(value).__name__


def _decimal_error(exc: decimal.DecimalException, node: n.Node) -> EvaluationError:
    code, text = decimal_error(exc)
    return EvaluationError(f"{text} in `{n.unparse(node)}`", span=node.span, code=code)


class _Interpreter:
    def __init__(
        self,
        variables: Mapping[str, Any],
        ctx: decimal.Context,
        functions: FunctionRegistry,
    ) -> None:
        self.vars = variables
        self.ctx = ctx
        self.functions = functions
        self.tested: Any = _NO_TESTED

    def fail(self, node: n.Node, message: str, code: str, hint: str | None = None) -> EvaluationError:
        return EvaluationError(message, span=node.span, code=code, hint=hint)

    def num(self, node: n.Node, value: Any) -> Decimal:
        if not isinstance(value, Decimal) or isinstance(value, bool):
            raise self.fail(
                node,
                f"`{n.unparse(node)}` is a {feel_type_name(value)}, not a number",
                "eval.type",
            )
        return value

    def boolean(self, node: n.Node, value: Any) -> bool | None:
        if value is not None and not isinstance(value, bool):
            raise self.fail(
                node,
                f"`{n.unparse(node)}` is a {feel_type_name(value)}, not a boolean",
                "eval.type",
            )
        return value

    def ev(self, node: n.Node) -> Any:
        try:
            return self._ev(node)
        except decimal.DecimalException as exc:
            raise _decimal_error(exc, node) from None
        except TypeError:
            # Values of an `any` variable that cannot be compared or ordered.
            raise self.fail(
                node,
                f"`{n.unparse(node)}` cannot be evaluated: its operands have different types",
                "eval.type",
            ) from None

    def _ev(self, node: n.Node) -> Any:
        match node:
            case n.Num(value=value):
                return value
            case n.Str(value=value) | n.Bool(value=value):
                return value
            case n.Null():
                return None
            case n.Name(name=name):
                try:
                    return self.vars[name]
                except KeyError:
                    raise self.fail(
                        node,
                        f"no value was given for `{name}`",
                        "eval.unbound",
                        "pass every input the expression reads (null for a missing one)",
                    ) from None
            case n.QMark():
                if self.tested is _NO_TESTED:
                    raise self.fail(node, "`?` outside a decision-table cell", "eval.qmark")
                return self.tested
            case n.Path(base=base, member=member):
                value = self.ev(base)
                if value is None:
                    return None
                if not isinstance(value, Mapping):
                    raise self.fail(
                        node,
                        f"`{n.unparse(base)}` is a {feel_type_name(value)}, it has no items",
                        "eval.type",
                    )
                if member not in value:
                    raise self.fail(
                        node,
                        f"`{n.unparse(base)}` has no item `{member}`",
                        "eval.unbound",
                    )
                return value[member]
            case n.ListLit(items=items):
                return [self.ev(i) for i in items]
            case n.Range(low=low, high=high, low_closed=lc, high_closed=hc):
                return RangeValue(self.ev(low), self.ev(high), lc, hc)
            case n.Neg(operand=operand):
                v = self.ev(operand)
                return None if v is None else self.ctx.minus(self.num(operand, v))
            case n.Not(operand=operand):
                v = self.boolean(operand, self.ev(operand))
                return None if v is None else not v
            case n.BinOp(op=op, left=left, right=right):
                a, b = self.ev(left), self.ev(right)
                if a is None or b is None:
                    return None
                if op == "+" and isinstance(a, str) and isinstance(b, str):
                    return a + b
                a, b = self.num(left, a), self.num(right, b)
                ctx = self.ctx
                if op == "+":
                    return ctx.add(a, b)
                if op == "-":
                    return ctx.subtract(a, b)
                if op == "*":
                    return ctx.multiply(a, b)
                if op == "/":
                    return ctx.divide(a, b)
                return power(ctx, a, b)
            case n.Compare(op=op, left=left, right=right):
                a, b = self.ev(left), self.ev(right)
                return _compare(op, a, b)
            case n.BoolOp(op="and", left=left, right=right):
                a = self.boolean(left, self.ev(left))
                if a is False:
                    return False
                b = self.boolean(right, self.ev(right))
                if b is False:
                    return False
                return None if a is None or b is None else True
            case n.BoolOp(op="or", left=left, right=right):
                a = self.boolean(left, self.ev(left))
                if a is True:
                    return True
                b = self.boolean(right, self.ev(right))
                if b is True:
                    return True
                return None if a is None or b is None else False
            case n.If(cond=cond, then=then, otherwise=otherwise):
                c = self.boolean(cond, self.ev(cond))
                return self.ev(then) if c is True else self.ev(otherwise)
            case n.Between(value=value, low=low, high=high):
                v, lo, hi = self.ev(value), self.ev(low), self.ev(high)
                if v is None or lo is None or hi is None:
                    return None
                return lo <= v <= hi
            case n.In(value=value, test=test):
                return self.test(test, self.ev(value), cell=False)
            case n.Call():
                return self.call(node)
            case n.UnaryTests():
                if self.tested is _NO_TESTED:
                    raise self.fail(node, "decision-table cell without a tested value", "eval.qmark")
                return self.cell(node, self.tested)
        raise self.fail(node, f"cannot evaluate `{n.unparse(node)}` here", "eval.node")

    def cell(self, node: n.UnaryTests, v: Any) -> bool | None:
        """Three-valued: True when a test is true; negated cells invert."""
        result: bool | None = False
        for test in node.tests:
            if isinstance(test, n.AnyTest):
                return True
            r = self.test(test, v, cell=True)
            if r is True:
                result = True
                break
            if r is None:
                result = None
        if node.negated:
            return None if result is None else not result
        return result

    def test(self, test: n.Node, v: Any, *, cell: bool) -> bool | None:
        """One positive unary test on ``v``. In a cell (``cell=True``) a test that uses
        ``?`` is a boolean condition; elsewhere (after ``in``) ``?`` is simply the cell's
        tested value, like any other name."""
        if isinstance(test, n.CmpTest):
            return _compare(test.op, v, self.ev(test.value))
        if isinstance(test, n.Range):
            return self.ev(test).contains(v)
        if cell and n.uses_qmark(test):
            return self.boolean(test, self.ev(test))
        value = self.ev(test)
        if isinstance(value, list):
            return v in value
        if isinstance(value, RangeValue):  # pragma: no cover - ranges are Range nodes
            return value.contains(v)
        return v == value

    def call(self, node: n.Call) -> Any:
        fn = self.functions.get(node.name)
        if fn is None:
            raise self.fail(node, f"unknown function `{node.name}`", "eval.function")
        args = [self.ev(a) for a in node.args]
        if not fn.null_safe and any(a is None for a in args):
            return None
        try:
            return fn.impl(self.ctx, *args)
        except EvaluationError as exc:
            raise EvaluationError(
                f"{exc.message} in `{n.unparse(node)}`", span=node.span, code=exc.code,
                hint=exc.hint,
            ) from None
        except PluginError as exc:
            raise PluginError(
                f"{exc.message} in `{n.unparse(node)}`", span=node.span, code=exc.code, hint=exc.hint
            ) from None
        except decimal.DecimalException as exc:
            raise _decimal_error(exc, node) from None
        except (TypeError, ValueError, AttributeError) as exc:
            raise self.fail(
                node, f"{fn.name}() failed on its arguments: {exc}", "eval.function"
            ) from None


def _compare(op: str, a: Any, b: Any) -> bool | None:
    if op == "=":
        return a == b
    if op == "!=":
        return a != b
    if a is None or b is None:
        return None
    if op == "<":
        return a < b
    if op == "<=":
        return a <= b
    if op == ">":
        return a > b
    return a >= b


def interpret(
    node: n.Node,
    variables: Mapping[str, Any] | None = None,
    *,
    ctx: decimal.Context = FEEL_CONTEXT,
    functions: FunctionRegistry | None = None,
    tested: Any = _NO_TESTED,
) -> Any:
    """Evaluate a tree by walking it. ``tested`` is the value a cell is tested against."""
    it = _Interpreter(variables or {}, ctx, functions or default_registry())
    it.tested = tested
    if isinstance(node, n.UnaryTests) and tested is _NO_TESTED:
        raise EvaluationError("a decision-table cell needs a tested value", code="eval.qmark")
    return it.ev(node)  # (a cell too: ev turns a TypeError into an error at the node)
