"""The expression tree: frozen attrs nodes, one class per construct.

Every node carries a :class:`~taqyeem_rules.source.Span` that is excluded from
equality, so ``parse("a + 1") == BinOp("+", Name("a"), Num(Decimal(1)))`` holds and
two texts that differ only in spacing give equal trees. Everything after the parser
dispatches on these classes, never on Lark trees.

:func:`unparse` prints the canonical text of a tree: single spaces around binary
operators, the fewest parentheses that keep the tree, numbers as written.
"""

from __future__ import annotations

import contextvars
from collections.abc import Iterator
from decimal import Decimal
from typing import Any, ClassVar

import attrs

from ..source import Span
from .numbers import canonical_number, format_number

__all__ = [
    "ARITH_OPS",
    "COMPARE_OPS",
    "AnyTest",
    "Between",
    "BinOp",
    "Bool",
    "BoolOp",
    "Call",
    "CmpTest",
    "Compare",
    "If",
    "In",
    "ListLit",
    "Name",
    "Neg",
    "Node",
    "Not",
    "NotTests",
    "Null",
    "Num",
    "Path",
    "QMark",
    "Range",
    "Str",
    "UnaryTests",
    "free_names",
    "unparse",
    "uses_qmark",
    "walk",
]

ARITH_OPS = ("+", "-", "*", "/", "**")
COMPARE_OPS = ("=", "!=", "<", "<=", ">", ">=")
ORDER_OPS = ("<", "<=", ">", ">=")

_span = attrs.field(default=None, eq=False, repr=False, kw_only=True)


@attrs.frozen(cache_hash=True)
class Node:
    """Base class of every expression node."""

    span: Span | None = _span

    #: Names of the fields holding child nodes (or tuples of them), in order.
    children_fields: ClassVar[tuple[str, ...]] = ()

    def children(self) -> Iterator[Node]:
        for name in self.children_fields:
            value = getattr(self, name)
            if isinstance(value, tuple):
                yield from value
            elif value is not None:
                yield value

    def __str__(self) -> str:
        return unparse(self)


# ---- literals and names ------------------------------------------------------


@attrs.frozen(cache_hash=True)
class Num(Node):
    value: Decimal


@attrs.frozen(cache_hash=True)
class Str(Node):
    value: str


@attrs.frozen(cache_hash=True)
class Bool(Node):
    value: bool


@attrs.frozen(cache_hash=True)
class Null(Node):
    pass


@attrs.frozen(cache_hash=True)
class Name(Node):
    """A variable: an input, a result field in a tier gate, a plugin-declared name."""

    name: str


@attrs.frozen(cache_hash=True)
class QMark(Node):
    """``?``: the value under test in a decision-table cell."""


@attrs.frozen(cache_hash=True)
class Path(Node):
    """``base.member``: a checklist item, a result category, a context field."""

    base: Node
    member: str
    children_fields: ClassVar[tuple[str, ...]] = ("base",)


@attrs.frozen(cache_hash=True)
class ListLit(Node):
    items: tuple[Node, ...]
    children_fields: ClassVar[tuple[str, ...]] = ("items",)


@attrs.frozen(cache_hash=True)
class Range(Node):
    """``[low..high]`` with each end open or closed."""

    low: Node
    high: Node
    low_closed: bool = True
    high_closed: bool = True
    children_fields: ClassVar[tuple[str, ...]] = ("low", "high")


# ---- operators -------------------------------------------------------------------


@attrs.frozen(cache_hash=True)
class Neg(Node):
    operand: Node
    children_fields: ClassVar[tuple[str, ...]] = ("operand",)


@attrs.frozen(cache_hash=True)
class Not(Node):
    """``not(x)``: three-valued negation."""

    operand: Node
    children_fields: ClassVar[tuple[str, ...]] = ("operand",)


@attrs.frozen(cache_hash=True)
class BinOp(Node):
    """Arithmetic: ``+ - * / **``."""

    op: str
    left: Node
    right: Node
    children_fields: ClassVar[tuple[str, ...]] = ("left", "right")


@attrs.frozen(cache_hash=True)
class Compare(Node):
    """``= != < <= > >=`` (not chainable)."""

    op: str
    left: Node
    right: Node
    children_fields: ClassVar[tuple[str, ...]] = ("left", "right")


@attrs.frozen(cache_hash=True)
class BoolOp(Node):
    """Three-valued ``and`` / ``or``; the right side is evaluated only when needed."""

    op: str
    left: Node
    right: Node
    children_fields: ClassVar[tuple[str, ...]] = ("left", "right")


@attrs.frozen(cache_hash=True)
class If(Node):
    """``if cond then a else b``; a null condition takes the else branch (FEEL)."""

    cond: Node
    then: Node
    otherwise: Node
    children_fields: ClassVar[tuple[str, ...]] = ("cond", "then", "otherwise")


@attrs.frozen(cache_hash=True)
class Between(Node):
    """``value between low and high`` (both ends inclusive)."""

    value: Node
    low: Node
    high: Node
    children_fields: ClassVar[tuple[str, ...]] = ("value", "low", "high")


@attrs.frozen(cache_hash=True)
class In(Node):
    """``value in test``: test is a range, a list, a comparison test or a value."""

    value: Node
    test: Node
    children_fields: ClassVar[tuple[str, ...]] = ("value", "test")


@attrs.frozen(cache_hash=True)
class Call(Node):
    """A call of a built-in or plugin function, by its canonical (snake case) name."""

    name: str
    args: tuple[Node, ...]
    children_fields: ClassVar[tuple[str, ...]] = ("args",)


# ---- unary tests (decision-table cells) ------------------------------------------


@attrs.frozen(cache_hash=True)
class CmpTest(Node):
    """``< 10``: compares the value under test with ``value``."""

    op: str
    value: Node
    children_fields: ClassVar[tuple[str, ...]] = ("value",)


@attrs.frozen(cache_hash=True)
class NotTests(Node):
    """``not(t1, t2)``: satisfied when none of the tests is."""

    tests: tuple[Node, ...]
    children_fields: ClassVar[tuple[str, ...]] = ("tests",)


@attrs.frozen(cache_hash=True)
class AnyTest(Node):
    """``-``: matches anything, null included."""


@attrs.frozen(cache_hash=True)
class UnaryTests(Node):
    """A whole decision-table cell: satisfied when any test is (or, negated, none is)."""

    tests: tuple[Node, ...]
    negated: bool = False
    children_fields: ClassVar[tuple[str, ...]] = ("tests",)


# ---- traversal -----------------------------------------------------------------------


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, parents before children, left to right (iterative)."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(list(current.children())))


def uses_qmark(node: Node) -> bool:
    """Whether ``?`` (a cell's tested value) occurs in the tree: such a test is a condition."""
    return any(isinstance(x, QMark) for x in walk(node))


def free_names(node: Node) -> tuple[str, ...]:
    """The variable names an expression reads, sorted, without duplicates."""
    return tuple(sorted({n.name for n in walk(node) if isinstance(n, Name)}))


# ---- unparse -----------------------------------------------------------------------

# Binding strength, lowest first. An operand is parenthesised when it binds looser
# than its position requires.
P_IF, P_OR, P_AND, P_CMP, P_SUM, P_PRODUCT, P_POWER, P_UNARY, P_POSTFIX = range(9)

_BINOP_PREC = {"+": P_SUM, "-": P_SUM, "*": P_PRODUCT, "/": P_PRODUCT, "**": P_POWER}


def _prec(node: Node) -> int:
    if isinstance(node, If):
        return P_IF
    if isinstance(node, BoolOp):
        return P_OR if node.op == "or" else P_AND
    if isinstance(node, Compare | Between | In):
        return P_CMP
    if isinstance(node, BinOp):
        return _BINOP_PREC[node.op]
    if isinstance(node, Neg) or (isinstance(node, Num) and node.value.is_signed()):
        return P_UNARY
    return P_POSTFIX


_CANONICAL: contextvars.ContextVar[bool] = contextvars.ContextVar("taqyeem_canonical_numbers", default=False)


def _quote(value: str) -> str:
    out = value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
    return f'"{out}"'


def _wrap(node: Node, minimum: int) -> str:
    text = unparse(node)
    return f"({text})" if _prec(node) < minimum else text


def unparse(node: Node, *, canonical_numbers: bool = False) -> str:
    """The canonical FEEL text of a tree (``parse(unparse(t)) == t``).

    Numbers are printed as written (``25.0``) unless ``canonical_numbers`` is set, which
    prints each with the fewest digits (``25``): the form fingerprints use, since two
    spellings of one number are the same value and score the same.
    """
    if canonical_numbers:
        token = _CANONICAL.set(True)
        try:
            return unparse(node)
        finally:
            _CANONICAL.reset(token)
    match node:
        case Num(value=value):
            if _CANONICAL.get():
                return canonical_number(value)
            return format_number(value)
        case Str(value=value):
            return _quote(value)
        case Bool(value=value):
            return "true" if value else "false"
        case Null():
            return "null"
        case Name(name=name):
            return name
        case QMark():
            return "?"
        case Path(base=base, member=member):
            return f"{_wrap(base, P_POSTFIX)}.{member}"
        case ListLit(items=items):
            return "[" + ", ".join(unparse(i) for i in items) + "]"
        case Range(low=low, high=high, low_closed=lc, high_closed=hc):
            return f"{'[' if lc else '('}{unparse(low)}..{unparse(high)}{']' if hc else ')'}"
        case Neg(operand=operand):
            inner = _wrap(operand, P_UNARY)
            return f"- {inner}" if inner.startswith("-") else f"-{inner}"
        case Not(operand=operand):
            return f"not({unparse(operand)})"
        case BinOp(op=op, left=left, right=right):
            p = _BINOP_PREC[op]
            return f"{_wrap(left, p)} {op} {_wrap(right, p + 1)}"
        case Compare(op=op, left=left, right=right):
            return f"{_wrap(left, P_SUM)} {op} {_wrap(right, P_SUM)}"
        case BoolOp(op=op, left=left, right=right):
            p = P_OR if op == "or" else P_AND
            return f"{_wrap(left, p)} {op} {_wrap(right, p + 1)}"
        case If(cond=cond, then=then, otherwise=otherwise):
            return f"if {unparse(cond)} then {unparse(then)} else {unparse(otherwise)}"
        case Between(value=value, low=low, high=high):
            return f"{_wrap(value, P_SUM)} between {_wrap(low, P_SUM)} and {_wrap(high, P_SUM)}"
        case In(value=value, test=test):
            inner = unparse(test) if isinstance(test, CmpTest) else _wrap(test, P_SUM)
            return f"{_wrap(value, P_SUM)} in {inner}"
        case Call(name=name, args=args):
            return f"{name}(" + ", ".join(unparse(a) for a in args) + ")"
        case CmpTest(op=op, value=value):
            return f"{op} {_wrap(value, P_SUM)}"
        case NotTests(tests=tests):
            return "not(" + ", ".join(unparse(t) for t in tests) + ")"
        case AnyTest():
            return "-"
        case UnaryTests(tests=tests, negated=negated):
            inner = ", ".join(unparse(t) for t in tests)
            return f"not({inner})" if negated else inner
    raise TypeError(f"unparse: not a node: {node!r}")  # pragma: no cover


def to_data(node: Node) -> Any:
    """A JSON-friendly canonical form of a tree (for fingerprints and diffs)."""
    out: dict[str, Any] = {"node": type(node).__name__}
    for field in attrs.fields(type(node)):
        if field.name == "span":
            continue
        value = getattr(node, field.name)
        if isinstance(value, Node):
            out[field.name] = to_data(value)
        elif isinstance(value, tuple):
            out[field.name] = [to_data(v) for v in value]
        elif isinstance(value, Decimal):
            out[field.name] = format_number(value)
        else:
            out[field.name] = value
    return out
