"""A hand-written parser for well-formed expressions: the fast path of :func:`parse`.

``feel.lark`` is the language's grammar and the Lark LALR parser in ``parser.py`` its
reference implementation; it also names every syntax error. Lark's table-driven parse
of a 200-character expression takes about half a millisecond (each literal is reduced
through the nine precedence levels), more than checking and compiling it together.

This module parses the same language by precedence climbing, directly into the same
nodes with the same spans, and gives up (:class:`Bail`) at the first thing it does not
expect: anything unusual, wrong, or close to a limit goes to the Lark path, which then
parses it or reports the error exactly as before. It never raises a syntax error of its
own, so the error catalogue has one source. ``tests/dsl/test_fastparse.py`` checks the
two parsers against each other on text drawn from the grammar and on mutations of it:
whatever this module accepts, Lark accepts with an equal tree and equal spans.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal

from ..source import Source, Span
from . import nodes as n
from .builtins import canonical_function_name
from .limits import Limits
from .numbers import ARABIC_INDIC
from .words import RESERVED, UNSUPPORTED

__all__ = ["Bail", "fast_parse"]


class Bail(Exception):
    """Not handled here: parse with Lark instead (which reports any error)."""


# The Lark terminals, in the same regular expressions (feel.lark). Whitespace is only
# what Lark's common.WS ignores; any other character ends the fast path.
_TOKEN = re.compile(
    r"""
    (?P<ws>[ \t\f\r\n]+)
  | (?P<MW>round[ \t]+half[ \t]+(?:up|down)(?!\w)|round[ \t]+(?:up|down)(?!\w)|list[ \t]+contains(?!\w))
  | (?P<word>[^\W\d]\w*)
  | (?P<NUM>[0-9]+(?:\.[0-9]+)?|\.[0-9]+|[\u0660-\u0669]+(?:\.[\u0660-\u0669]+)?|\.[\u0660-\u0669]+)
  | (?P<STR>"(?:[^"\\\n]|\\.)*")
  | (?P<op>\*\*|<=|>=|!=|\.\.|[-+*/=<>()\[\],.?])
    """,
    re.VERBOSE,
)

_COMPARE = frozenset({"=", "!=", "<", "<=", ">", ">="})
_TESTS = frozenset({"<", "<=", ">", ">="})
_OR, _AND = frozenset({"or"}), frozenset({"and"})
_SUM, _PRODUCT, _POWER = frozenset({"+", "-"}), frozenset({"*", "/"}), frozenset({"**"})

#: A token: (kind, text, start, end). The kind of a keyword or operator is its text;
#: values are NUM, STR, NAME and MW (a multi-word function name).
Tok = tuple[str, str, int, int]


def _tokens(text: str) -> list[Tok]:
    out: list[Tok] = []
    pos, size = 0, len(text)
    match = _TOKEN.match
    prev_num_end = -1
    while pos < size:
        m = match(text, pos)
        if m is None:
            raise Bail
        kind = m.lastgroup
        end = m.end()
        if kind == "ws":
            pos = end
            continue
        value = m.group()
        if kind == "word":
            if pos == prev_num_end:  # `0and`: Lark's keywords and names need a word boundary
                raise Bail
            if value in RESERVED:
                kind = value
            elif value in UNSUPPORTED:
                raise Bail
            else:
                kind = "NAME"
        elif kind == "op":
            kind = value
        elif kind == "NUM":
            prev_num_end = end
        elif kind == "MW" and pos == prev_num_end:
            raise Bail
        out.append((kind, value, pos, end))  # type: ignore[arg-type]
        pos = end
    return out


R = tuple[n.Node, int, int, int]
"""What each parse method returns: the node, its extent in the text (for a parenthesised
node the extent includes the parentheses: a parent's span covers them, the node's own
span does not, as in the Lark builder) and the depth of its tree."""


class _Parser:
    __slots__ = ("i", "locate", "max_depth", "nesting", "source", "toks")

    def __init__(
        self, toks: list[Tok], source: Source, locate: Callable[[int], int], max_depth: int
    ) -> None:
        end = toks[-1][3] if toks else 0
        self.toks = [*toks, ("", "", end, end)]  # a sentinel: no bounds checks below
        self.i = 0
        self.source = source
        self.locate = locate
        self.nesting = 0
        self.max_depth = max_depth

    def span(self, lo: int, hi: int) -> Span:
        return Span(self.source, self.locate(lo), self.locate(hi))

    def take(self, kind: str) -> Tok:
        tok = self.toks[self.i]
        if tok[0] != kind:
            raise Bail
        self.i += 1
        return tok

    def deeper(self, depth: int) -> int:
        """The depth of a node over children this deep; too deep is Lark's to judge."""
        if depth >= self.max_depth:
            raise Bail
        return depth + 1

    def expression(self) -> R:
        # Parentheses and brackets nest the parser's calls without nesting the tree.
        self.nesting += 1
        if self.nesting > self.max_depth:
            raise Bail
        if self.toks[self.i][0] == "if":
            lo = self.take("if")[2]
            cond = self.expression()
            self.take("then")
            then = self.expression()
            self.take("else")
            other = self.expression()
            hi = other[2]
            node = n.If(cond[0], then[0], other[0], span=self.span(lo, hi))
            result = (node, lo, hi, self.deeper(max(cond[3], then[3], other[3])))
        else:
            result = self.disjunction()
        self.nesting -= 1
        return result

    def left_assoc(self, operand: Callable[[], R], ops: frozenset[str], cls: type) -> R:
        """``operand (op operand)*`` for the operators ``ops`` of one precedence level,
        grouped to the left (``a - b - c`` is ``(a - b) - c``)."""
        left, lo, hi, d = operand()
        op = self.toks[self.i][0]
        while op in ops:
            self.i += 1
            right, _, hi, e = operand()
            left, d = cls(op, left, right, span=self.span(lo, hi)), self.deeper(max(d, e))
            op = self.toks[self.i][0]
        return left, lo, hi, d

    def disjunction(self) -> R:
        return self.left_assoc(self.conjunction, _OR, n.BoolOp)

    def conjunction(self) -> R:
        return self.left_assoc(self.comparison, _AND, n.BoolOp)

    def comparison(self) -> R:
        left, lo, hi, d = self.sum()
        op = self.toks[self.i][0]
        if op in _COMPARE:
            self.i += 1
            right, _, hi, e = self.sum()
            return n.Compare(op, left, right, span=self.span(lo, hi)), lo, hi, self.deeper(max(d, e))
        if op == "between":
            self.i += 1
            low, _, _, e = self.sum()
            self.take("and")
            high, _, hi, f = self.sum()
            node = n.Between(left, low, high, span=self.span(lo, hi))
            return node, lo, hi, self.deeper(max(d, e, f))
        if op == "in":
            self.i += 1
            test, _, hi, e = self.cmp_test() if self.toks[self.i][0] in _TESTS else self.sum()
            return n.In(left, test, span=self.span(lo, hi)), lo, hi, self.deeper(max(d, e))
        return left, lo, hi, d

    def cmp_test(self) -> R:
        op, _, lo, _ = self.toks[self.i]
        self.i += 1
        value, _, hi, d = self.sum()
        return n.CmpTest(op, value, span=self.span(lo, hi)), lo, hi, self.deeper(d)

    def sum(self) -> R:
        return self.left_assoc(self.product, _SUM, n.BinOp)

    def product(self) -> R:
        return self.left_assoc(self.power, _PRODUCT, n.BinOp)

    def power(self) -> R:
        return self.left_assoc(self.unary, _POWER, n.BinOp)

    def unary(self) -> R:
        if self.toks[self.i][0] != "-":
            return self.postfix()
        lo = self.toks[self.i][2]
        self.i += 1
        self.nesting += 1
        if self.nesting > self.max_depth:
            raise Bail
        operand, _, hi, d = self.unary()
        self.nesting -= 1
        return n.Neg(operand, span=self.span(lo, hi)), lo, hi, self.deeper(d)

    def postfix(self) -> R:
        node, lo, hi, d = self.atom()
        while self.toks[self.i][0] == ".":
            self.i += 1
            _, member, _, hi = self.take("NAME")
            node, d = n.Path(node, member, span=self.span(lo, hi)), self.deeper(d)
        return node, lo, hi, d

    def atom(self) -> R:
        kind, text, lo, hi = self.toks[self.i]
        self.i += 1
        if kind == "NAME" or kind == "MW":
            if self.toks[self.i][0] == "(":
                return self.call(text, lo)
            if kind == "MW":
                raise Bail
            return n.Name(text, span=self.span(lo, hi)), lo, hi, 1
        if kind == "NUM":
            return n.Num(Decimal(text.translate(ARABIC_INDIC)), span=self.span(lo, hi)), lo, hi, 1
        if kind == "STR":
            if "\\" in text:
                raise Bail  # escapes (and their errors) are the builder's
            return n.Str(text[1:-1], span=self.span(lo, hi)), lo, hi, 1
        if kind == "true" or kind == "false":
            return n.Bool(kind == "true", span=self.span(lo, hi)), lo, hi, 1
        if kind == "null":
            return n.Null(span=self.span(lo, hi)), lo, hi, 1
        if kind == "?":
            return n.QMark(span=self.span(lo, hi)), lo, hi, 1
        if kind == "(":
            inner, _, _, d = self.expression()
            if self.toks[self.i][0] == "..":
                return self.range(inner, d, lo, False)
            hi = self.take(")")[3]
            return inner, lo, hi, d
        if kind == "[":
            if self.toks[self.i][0] == "]":
                hi = self.take("]")[3]
                return n.ListLit((), span=self.span(lo, hi)), lo, hi, 1
            first, _, _, d = self.expression()
            if self.toks[self.i][0] == "..":
                return self.range(first, d, lo, True)
            items = [first]
            d, _ = self.more(items, self.expression, d)
            hi = self.take("]")[3]
            return n.ListLit(tuple(items), span=self.span(lo, hi)), lo, hi, self.deeper(d)
        if kind == "not":
            self.take("(")
            first, _, _, d = self.positive_test()
            tests = [first]
            d, _ = self.more(tests, self.positive_test, d)
            hi = self.take(")")[3]
            span = self.span(lo, hi)
            if len(tests) == 1 and not isinstance(first, n.CmpTest):
                return n.Not(first, span=span), lo, hi, self.deeper(d)
            return n.NotTests(tuple(tests), span=span), lo, hi, self.deeper(d)
        raise Bail

    def range(self, low: n.Node, d: int, lo: int, low_closed: bool) -> R:
        self.take("..")
        high, _, _, e = self.expression()
        close, _, _, hi = self.toks[self.i]
        if close != "]" and close != ")":
            raise Bail
        self.i += 1
        node = n.Range(low, high, low_closed, close == "]", span=self.span(lo, hi))
        return node, lo, hi, self.deeper(max(d, e))

    def call(self, name: str, lo: int) -> R:
        self.take("(")
        args: list[n.Node] = []
        d = 0
        if self.toks[self.i][0] != ")":
            arg, _, _, d = self.expression()
            args.append(arg)
            d, _ = self.more(args, self.expression, d)
        hi = self.take(")")[3]
        node = n.Call(canonical_function_name(name), tuple(args), span=self.span(lo, hi))
        return node, lo, hi, self.deeper(d)

    def more(self, items: list[n.Node], item: Callable[[], R], depth: int) -> tuple[int, int]:
        """The items after the first of a comma-separated list, appended to ``items``:
        the deepest item's depth (``depth`` is the first's) and where the last one ends
        (-1 when there is none)."""
        end = -1
        while self.toks[self.i][0] == ",":
            self.i += 1
            node, _, end, e = item()
            items.append(node)
            depth = max(depth, e)
        return depth, end

    def positive_test(self) -> R:
        if self.toks[self.i][0] in _TESTS:
            return self.cmp_test()
        return self.expression()

    def unary_tests(self) -> tuple[n.Node, int]:
        toks = self.toks
        if len(toks) == 2 and toks[0][0] == "-":
            lo, hi = toks[0][2], toks[0][3]
            self.i = 1
            test = n.AnyTest(span=self.span(lo, hi))
            return n.UnaryTests((test,), span=self.span(lo, hi)), 2
        first, lo, hi, d = self.positive_test()
        items = [first]
        d, last = self.more(items, self.positive_test, d)
        span = self.span(lo, max(hi, last))
        if len(items) == 1 and isinstance(first, n.NotTests):
            return n.UnaryTests(first.tests, True, span=span), d
        if len(items) == 1 and isinstance(first, n.Not):
            return n.UnaryTests((first.operand,), True, span=span), d
        return n.UnaryTests(tuple(items), span=span), self.deeper(d)


def fast_parse(
    text: str, start: str, source: Source, locate: Callable[[int], int], limits: Limits
) -> n.Node:
    """The tree of ``text``, or :class:`Bail` when Lark should parse it instead.

    Only text well inside the limits is taken: Lark's tree has at most about twice the
    nodes and the depth of this one, so anything that might come near a limit is left
    to the exact check on Lark's tree.
    """
    toks = _tokens(text)
    if not toks or 2 * len(toks) + 3 > limits.max_nodes or limits.max_depth < 3:
        raise Bail
    # Lark's tree is at most twice as deep as this one, plus one: stay two levels clear.
    parser = _Parser(toks, source, locate, (limits.max_depth - 3) // 2)
    if start == "unary_tests":
        node, _ = parser.unary_tests()
    else:
        node = parser.expression()[0]
    if parser.i != len(toks):
        raise Bail
    return node
