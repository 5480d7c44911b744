"""Text → tree: the fast path, the Lark LALR parser, the node builder, limits and labelled errors.

The Lark tree never leaves this module (and :mod:`.syntax_errors`). Syntax errors are
named by what went wrong ("missing closing parenthesis", "operator without right
operand", …) with the position of the culprit and a hint, by
:func:`~.syntax_errors.name_syntax_error`; the catalogue is in ``docs/errors.md`` and
each label has a test in ``tests/dsl/fixtures/syntax_errors.txt``.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..errors import ExpressionSyntaxError, LimitError
from ..source import Source, Span
from . import nodes as n
from .builtins import canonical_function_name
from .fastparse import Bail, fast_parse
from .limits import DEFAULT_LIMITS, Limits
from .numbers import ARABIC_INDIC
from .syntax_errors import SyntaxProblem, name_syntax_error
from .words import RESERVED, UNSUPPORTED

if TYPE_CHECKING:
    from lark import Lark, Token, Tree

__all__ = ["RESERVED", "UNSUPPORTED", "parse", "parse_unary_tests"]

Locate = Callable[[int], int]


@functools.cache
def _lark() -> Lark:
    """The Lark parser of ``feel.lark`` (built once). Lark is imported only here and on
    the paths below that use its trees: the hand-written fast path
    (:mod:`taqyeem_rules.dsl.fastparse`) parses every expression of the bundled guides,
    so scoring them never loads it."""
    from lark import Lark

    return Lark.open_from_package(
        "taqyeem_rules.dsl",
        "feel.lark",
        parser="lalr",
        start=["expression", "unary_tests"],
        propagate_positions=False,
        keep_all_tokens=True,
        maybe_placeholders=True,
    )


@functools.lru_cache(maxsize=4096)
def _parse_tree(text: str, start: str) -> Tree:
    """The Lark tree of a text (cached: guides repeat cells such as ``-`` or ``>= 90``).

    Trees are never mutated; nodes and their spans are built from them per occurrence.
    """
    return _lark().parse(text, start=start)


# ---- building nodes ----------------------------------------------------------


#: Raised inside the builder, the limits and the naming of errors.
_Syntax = SyntaxProblem


_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "/": "/"}


_HEX4 = re.compile(r"[0-9a-fA-F]{4}")
_LOW = re.compile(r"\\u[dD][c-fC-F][0-9a-fA-F]{2}")


def _unescape(raw: str, start: int) -> str:
    out: list[str] = []
    i = 0
    while i < len(raw):
        ch = raw[i]
        if ch != "\\":
            out.append(ch)
            i += 1
            continue
        nxt = raw[i + 1] if i + 1 < len(raw) else ""
        if nxt in _ESCAPES:
            out.append(_ESCAPES[nxt])
            i += 2
        elif nxt == "u" and _HEX4.fullmatch(raw, i + 2, i + 6):
            code = int(raw[i + 2 : i + 6], 16)
            i += 6
            if 0xD800 <= code <= 0xDFFF:
                # UTF-16 surrogates: only a high one followed by a low one is a character.
                low = int(raw[i + 2 : i + 6], 16) if _LOW.fullmatch(raw, i, i + 6) else None
                if code > 0xDBFF or low is None:
                    pos = start + 1 + i - 6
                    raise _Syntax(
                        "syntax.string-escape",
                        f"`\\u{raw[i - 4 : i]}` is half of a UTF-16 surrogate pair",
                        pos,
                        pos + 6,
                        "write the character itself, or both halves (\\ud83d\\ude00)",
                    )
                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                i += 6
            out.append(chr(code))
        else:
            pos = start + 1 + i
            raise _Syntax(
                "syntax.string-escape",
                f"unknown escape `\\{nxt}` in a string",
                pos,
                pos + 2,
                'use \\" \\\\ \\n \\t or \\uXXXX',
            )
    return "".join(out)


_VALUE_TOKENS = frozenset({"NUMBER", "STRING", "NAME", "MULTIWORD_FUNCTION"})


class _Builder:
    """Lark tree (every token kept, no positions propagated) → nodes with spans: the
    rules of Lark's ``Transformer_NonRecursive``, joined to it by :func:`_transformer`
    when Lark is first used. (A Lark ``Token`` is a ``str``; nothing else in a tree is.)

    Lark's own position propagation cost almost half of the parse; here each node's
    extent is computed from its tokens and its children's extents instead, so a node's
    span also covers its keywords and brackets (`if … else …`, `not(…)`, `[a, b]`).
    """

    def __init__(self, source: Source, locate: Locate) -> None:
        super().__init__()
        self.source = source
        self.locate = locate
        #: Text extent of every node built (by identity), parentheses included.
        self.extent: dict[int, tuple[int, int]] = {}

    def _extent(self, children: list[Any]) -> tuple[int, int]:
        lo, hi = -1, -1
        for c in children:
            if isinstance(c, str):  # a Token
                s, e = c.start_pos, c.end_pos
            elif isinstance(c, n.Node):
                s, e = self.extent[id(c)]
            elif isinstance(c, list) and c:
                s, e = self._extent(c)
            else:
                continue
            if lo < 0 or s < lo:
                lo = s
            if e > hi:
                hi = e
        return lo, hi

    def _values(self, children: list[Any]) -> list[Any]:
        return [
            c for c in children
            if not isinstance(c, str) or c.type in _VALUE_TOKENS
        ]

    def _node(self, cls: type, children: list[Any], *args: Any) -> n.Node:
        lo, hi = self._extent(children)
        span = Span(self.source, self.locate(lo), self.locate(hi)) if lo >= 0 else None
        node = cls(*args, span=span)
        self.extent[id(node)] = (lo, hi)
        return node

    # literals and names
    def number(self, c: list[Any]) -> n.Node:
        return self._node(n.Num, c, Decimal(str(c[0]).translate(ARABIC_INDIC)))

    def string(self, c: list[Any]) -> n.Node:
        tok = c[0]
        return self._node(n.Str, c, _unescape(str(tok)[1:-1], tok.start_pos))

    def true(self, c: list[Any]) -> n.Node:
        return self._node(n.Bool, c, True)

    def false(self, c: list[Any]) -> n.Node:
        return self._node(n.Bool, c, False)

    def null(self, c: list[Any]) -> n.Node:
        return self._node(n.Null, c)

    def qmark(self, c: list[Any]) -> n.Node:
        return self._node(n.QMark, c)

    def _check_name(self, tok: Token) -> str:
        name = str(tok)
        if name in UNSUPPORTED:
            raise _Syntax("syntax.unsupported", UNSUPPORTED[name], tok.start_pos, tok.end_pos)
        if name in RESERVED:  # pragma: no cover - NAME excludes the keywords
            raise _Syntax(
                "syntax.reserved-word",
                f"`{name}` is a reserved word and cannot be used as a name here",
                tok.start_pos,
                tok.end_pos,
                "check the expression around it for a missing operand or a misplaced keyword",
            )
        return name

    def name(self, c: list[Any]) -> n.Node:
        return self._node(n.Name, c, self._check_name(c[0]))

    def path(self, c: list[Any]) -> n.Node:
        base, member = self._values(c)
        return self._node(n.Path, c, base, self._check_name(member))

    def function_name(self, c: list[Any]) -> Token:
        tok = c[0]
        if tok.type == "NAME":
            self._check_name(tok)
        return tok

    def arguments(self, c: list[Any]) -> list[n.Node]:
        return [x for x in c if isinstance(x, n.Node)]

    def call(self, c: list[Any]) -> n.Node:
        values = self._values(c)
        tok, args = values[0], values[1] if len(values) > 1 else None
        return self._node(n.Call, c, canonical_function_name(str(tok)), tuple(args or ()))

    def atom(self, c: list[Any]) -> n.Node:
        # A parenthesised expression: the node itself keeps its span; its extent (what a
        # parent's span covers) includes the parentheses.
        inner = next(x for x in c if isinstance(x, n.Node))
        self.extent[id(inner)] = self._extent(c)
        return inner

    def list_(self, c: list[Any]) -> n.Node:
        items = tuple(x for x in c if isinstance(x, n.Node))
        return self._node(n.ListLit, c, items)

    def _range(self, c: list[Any], lc: bool, hc: bool) -> n.Node:
        low, high = (x for x in c if isinstance(x, n.Node))
        return self._node(n.Range, c, low, high, lc, hc)

    def range_cc(self, c: list[Any]) -> n.Node:
        return self._range(c, True, True)

    def range_co(self, c: list[Any]) -> n.Node:
        return self._range(c, True, False)

    def range_oc(self, c: list[Any]) -> n.Node:
        return self._range(c, False, True)

    def range_oo(self, c: list[Any]) -> n.Node:
        return self._range(c, False, False)

    # operators
    def neg(self, c: list[Any]) -> n.Node:
        return self._node(n.Neg, c, self._values(c)[0])

    def not_(self, c: list[Any]) -> n.Node:
        tests = [x for x in c if isinstance(x, n.Node)]
        if len(tests) == 1 and not isinstance(tests[0], n.CmpTest):
            return self._node(n.Not, c, tests[0])
        return self._node(n.NotTests, c, tuple(tests))

    def _bin(op: str) -> Callable[..., n.Node]:  # type: ignore[misc]
        def build(self: _Builder, c: list[Any]) -> n.Node:
            left, right = self._values(c)
            return self._node(n.BinOp, c, op, left, right)

        return build

    def _cmp(op: str) -> Callable[..., n.Node]:  # type: ignore[misc]
        def build(self: _Builder, c: list[Any]) -> n.Node:
            left, right = self._values(c)
            return self._node(n.Compare, c, op, left, right)

        return build

    def _test(op: str) -> Callable[..., n.Node]:  # type: ignore[misc]
        def build(self: _Builder, c: list[Any]) -> n.Node:
            return self._node(n.CmpTest, c, op, self._values(c)[0])

        return build

    add, sub, mul, div, pow = _bin("+"), _bin("-"), _bin("*"), _bin("/"), _bin("**")
    eq, ne, lt, le, gt, ge = _cmp("="), _cmp("!="), _cmp("<"), _cmp("<="), _cmp(">"), _cmp(">=")
    lt_test, le_test, gt_test, ge_test = _test("<"), _test("<="), _test(">"), _test(">=")

    def and_(self, c: list[Any]) -> n.Node:
        left, right = self._values(c)
        return self._node(n.BoolOp, c, "and", left, right)

    def or_(self, c: list[Any]) -> n.Node:
        left, right = self._values(c)
        return self._node(n.BoolOp, c, "or", left, right)

    def if_(self, c: list[Any]) -> n.Node:
        cond, then, otherwise = self._values(c)
        return self._node(n.If, c, cond, then, otherwise)

    def between(self, c: list[Any]) -> n.Node:
        value, low, high = self._values(c)
        return self._node(n.Between, c, value, low, high)

    def in_(self, c: list[Any]) -> n.Node:
        value, test = self._values(c)
        return self._node(n.In, c, value, test)

    # unary tests
    def any_test(self, c: list[Any]) -> n.Node:
        test = self._node(n.AnyTest, c)
        return self._node(n.UnaryTests, c, (test,))

    def tests(self, c: list[Any]) -> n.Node:
        items = [x for x in c if isinstance(x, n.Node)]
        if len(items) == 1 and isinstance(items[0], n.NotTests):
            return self._node(n.UnaryTests, c, items[0].tests, True)
        if len(items) == 1 and isinstance(items[0], n.Not):
            return self._node(n.UnaryTests, c, (items[0].operand,), True)
        return self._node(n.UnaryTests, c, tuple(items))


@functools.cache
def _transformer() -> type:
    """:class:`_Builder` joined to Lark's iterative transformer (made once, when Lark is
    first needed)."""
    from lark import Transformer_NonRecursive

    return type("_LarkBuilder", (_Builder, Transformer_NonRecursive), {})


# ---- limits ------------------------------------------------------------------------


def _check_limits(tree: Tree, limits: Limits) -> None:
    """Depth and node count of the Lark tree, iteratively (no recursion)."""
    from lark import Token, Tree

    count = 0
    stack: list[tuple[Any, int]] = [(tree, 1)]
    while stack:
        node, depth = stack.pop()
        # Parts are rules and value tokens; brackets, commas and keywords are not.
        if (isinstance(node, Tree) and node.data != "atom") or (isinstance(node, Token) and node.type in _VALUE_TOKENS):
            count += 1
        if count > limits.max_nodes:
            raise _Syntax(
                "limit.nodes",
                f"expression has more than {limits.max_nodes} parts",
                _start(node),
                _end(node),
                "split it into several criteria or use a decision table",
            )
        if isinstance(node, Tree):
            if node.data == "atom":  # parentheses add no nesting
                depth -= 1
            if depth > limits.max_depth:
                raise _Syntax(
                    "limit.depth",
                    f"expression nests deeper than {limits.max_depth} levels",
                    _start(node),
                    _end(node),
                    "nest less: use sum([...]) instead of a long chain of +, or split the criterion",
                )
            for child in node.children:
                if child is not None:
                    stack.append((child, depth + 1))


def _tokens_of(node: Any) -> Iterator[Token]:
    from lark import Token, Tree

    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, Token):
            yield current
        elif isinstance(current, Tree):
            stack.extend(c for c in current.children if c is not None)


def _start(node: Any) -> int:
    return min((t.start_pos for t in _tokens_of(node)), default=0)


def _end(node: Any) -> int:
    return max((t.end_pos for t in _tokens_of(node)), default=0)


# ---- the entry points -----------------------------------------------------------------


def parse(
    text: str,
    *,
    start: str = "expression",
    source: Source | None = None,
    offset: int | Locate = 0,
    limits: Limits = DEFAULT_LIMITS,
) -> n.Node:
    """Parse an expression (``start="expression"``) or a decision-table cell
    (``start="unary_tests"``) into a tree.

    ``source`` and ``offset`` place the text inside a larger document (a YAML guide):
    spans then point into that document. ``offset`` is the document offset of the
    text's first character, or a function mapping text offsets to document offsets.
    """
    if start not in ("expression", "unary_tests"):
        raise ValueError(f"start must be 'expression' or 'unary_tests', not {start!r}")
    if not isinstance(text, str):
        raise ExpressionSyntaxError(
            f"an expression must be text, not {type(text).__name__}", code="syntax.not-text"
        )
    if source is None:
        source = Source("<expression>" if start == "expression" else "<cell>", text)
    locate: Locate = offset if callable(offset) else (lambda i, base=offset: base + i)

    def fail(err: _Syntax) -> ExpressionSyntaxError:
        cls = LimitError if err.code.startswith("limit.") else ExpressionSyntaxError
        if err.located:
            span = Span(source, err.start, max(err.end, err.start + 1))
        else:
            span = Span(source, locate(err.start), locate(max(err.end, err.start + 1)))
        return cls(err.message, span=span, hint=err.hint, code=err.code)

    if len(text) > limits.max_source_length:
        raise fail(
            _Syntax(
                "limit.source-length",
                f"expression is {len(text)} characters long; the limit is "
                f"{limits.max_source_length}",
                limits.max_source_length,
                limits.max_source_length + 1,
                "split it into several criteria or use a decision table",
            )
        )
    if not text.strip():
        what = "expression" if start == "expression" else "decision-table cell"
        raise fail(
            _Syntax(
                "syntax.empty",
                f"empty {what}",
                0,
                1,
                "write `-` to match anything" if start == "unary_tests" else None,
            )
        )
    try:
        node = fast_parse(text, start, source, locate, limits)
    except Bail:
        return _lark_parse(text, start, source, locate, limits, fail)
    try:
        _validate(node, start)
    except _Syntax as err:
        raise fail(err) from None
    return node


def _lark_parse(
    text: str,
    start: str,
    source: Source,
    locate: Locate,
    limits: Limits,
    fail: Callable[[_Syntax], ExpressionSyntaxError],
) -> n.Node:
    """The reference path: Lark's parse, the exact limits, and every syntax error named."""
    from lark.exceptions import UnexpectedInput, VisitError

    try:
        tree = _parse_tree(text, start)
    except UnexpectedInput as exc:
        raise fail(name_syntax_error(text, exc, start, _lark())) from None
    try:
        _check_limits(tree, limits)
        try:
            node = _transformer()(source, locate).transform(tree)
        except VisitError as exc:
            if isinstance(exc.orig_exc, _Syntax):
                raise exc.orig_exc from None
            raise
        _validate(node, start)
    except _Syntax as err:
        raise fail(err) from None
    return node


def parse_unary_tests(text: str, **kwargs: Any) -> n.UnaryTests:
    """Parse a decision-table cell (``< 10``, ``[10..15)``, ``-``, ``not(1, 2)``)."""
    node = parse(text, start="unary_tests", **kwargs)
    assert isinstance(node, n.UnaryTests)
    return node


def _validate(node: n.Node, start: str) -> None:
    top_tests = node.tests if isinstance(node, n.UnaryTests) else ()
    for sub in n.walk(node):
        if isinstance(sub, n.NotTests):
            raise _Syntax(
                "syntax.test-outside-cell",
                "`not(...)` with tests only stands alone as a whole decision-table cell",
                *_pos(sub),
                "in an expression write not(x < 5) or x != 5",
                located=True,
            )
        if isinstance(sub, n.QMark) and start == "expression":
            raise _Syntax(
                "syntax.qmark-outside-cell",
                "`?` stands for the tested value and only appears in decision-table cells",
                *_pos(sub),
                "name the input instead",
                located=True,
            )
        if isinstance(sub, n.AnyTest) and sub not in top_tests:
            raise _Syntax(  # pragma: no cover - the grammar allows `-` only alone
                "syntax.dash-not-alone", "`-` must stand alone in a cell", *_pos(sub), located=True
            )


def _pos(node: n.Node) -> tuple[int, int]:
    # Document offsets: the builder's spans are already located.
    if node.span is None:  # pragma: no cover
        return (0, 1)
    return (node.span.start, node.span.end)
