"""Text → tree: the fast path, the Lark LALR parser, the node builder, limits and labelled errors.

The Lark tree never leaves this module. Syntax errors are named by what went wrong
("missing closing parenthesis", "operator without right operand", …) with the
position of the culprit and a hint; the catalogue is in ``docs/errors.md`` and each
label has a test in ``tests/dsl/fixtures/syntax_errors.txt``.
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
from .words import RESERVED, UNSUPPORTED

if TYPE_CHECKING:
    from lark import Lark, Token, Tree
    from lark.exceptions import UnexpectedInput

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


class _Syntax(Exception):
    """Raised inside the builder; turned into ExpressionSyntaxError with a span."""

    def __init__(
        self,
        code: str,
        message: str,
        start: int,
        end: int,
        hint: str | None = None,
        *,
        located: bool = False,
    ) -> None:
        self.code, self.message, self.start, self.end, self.hint = code, message, start, end, hint
        #: True when start/end are already offsets in the document (not in the text).
        self.located = located


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
        raise fail(_classify(text, exc, start)) from None
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


# ---- naming syntax errors -------------------------------------------------------------

_LEX = re.compile(
    r"""
    (?P<ws>\s+)
  | (?P<num>[0-9]+(?:\.[0-9]+)?|\.[0-9]+|[\u0660-\u0669]+(?:\.[\u0660-\u0669]+)?|\.[\u0660-\u0669]+)
  | (?P<str>"(?:[^"\\\n]|\\.)*")
  | (?P<name>[^\W\d]\w*)
  | (?P<op>\*\*|<=|>=|!=|\.\.|[-+*/=<>()\[\],.?!{}&|'\#;:@$%^~`])
  | (?P<other>.)
    """,
    re.VERBOSE | re.DOTALL,
)

_BINARY = {"+", "-", "*", "/", "**", "=", "!=", "<", "<=", ">", ">=", "and", "or", "between", "in"}
_COMPARISON = {"=", "!=", "<", "<=", ">", ">="}
_OPENERS = {"(": ")", "[": "]"}
_CLOSERS = {")", "]"}
_LITERAL_WORDS = {"true", "false", "null"}


class _Tok:
    __slots__ = ("end", "kind", "start", "text")

    def __init__(self, kind: str, text: str, start: int, end: int) -> None:
        self.kind, self.text, self.start, self.end = kind, text, start, end

    @property
    def is_operand_end(self) -> bool:
        if self.kind in ("num", "str"):
            return True
        if self.kind == "name":
            return self.text not in RESERVED or self.text in _LITERAL_WORDS
        return self.text in (")", "]", "?")

    @property
    def is_operand_start(self) -> bool:
        if self.kind in ("num", "str"):
            return True
        if self.kind == "name":
            return self.text not in RESERVED or self.text in _LITERAL_WORDS | {"not", "if"}
        return self.text in ("(", "[", "?")

    @property
    def is_binary(self) -> bool:
        return self.text in _BINARY


def _tokens(text: str) -> list[_Tok]:
    out = []
    for m in _LEX.finditer(text):
        kind = m.lastgroup or "other"
        if kind != "ws":
            out.append(_Tok(kind, m.group(), m.start(), m.end()))
    return out


def _q(text: str) -> str:
    return f"`{text}`"


def _cut(toks: list[_Tok], text: str, at: int) -> list[_Tok]:
    """The tokens with the one that straddles offset ``at`` split in two there."""
    out: list[_Tok] = []
    for t in toks:
        if not t.start < at < t.end:
            out.append(t)
            continue
        for start, end in ((t.start, at), (at, t.end)):
            piece = text[start:end]
            m = _LEX.match(piece)
            kind = m.lastgroup if m is not None and m.end() == len(piece) else None
            out.append(_Tok(kind or t.kind, piece, start, end))
    return out


_KEYWORD_AT = re.compile("(?:" + "|".join(sorted(RESERVED, key=len, reverse=True)) + r")(?!\w)")


_IF_HINT = "write if <condition> then <value> else <value>"
#: The text ends right after this token: (code, message, hint).
_DANGLING = {
    "then": ("syntax.missing-right-operand", "`then` needs an expression after it", _IF_HINT),
    "else": ("syntax.missing-right-operand", "`else` needs an expression after it", _IF_HINT),
    "if": ("syntax.missing-right-operand", "`if` needs an expression after it", _IF_HINT),
    ",": (
        "syntax.trailing-comma",
        "missing item after `,`",
        "remove the trailing comma or add the missing item",
    ),
    "..": ("syntax.range-bound", "range without an upper bound", "write both ends: [low..high]"),
    ".": ("syntax.path-member", "`.` without a name after it", "write checklist.item"),
}


#: A run of digits and dots that is not part of a name (digits of any script).
_DIGIT_RUN = re.compile(r"(?<!\w)\.?\d[\d.]*")


def _digit_script(ch: str) -> str:
    if "0" <= ch <= "9":
        return "ascii"
    return "arabic" if "\u0660" <= ch <= "\u0669" else "other"


def _digits(text: str) -> _Syntax | None:
    """Digits the language does not read: of another script than 0-9 and ٠-٩ (`１`, `𝟏`),
    or of both in one number (`1١`)."""
    for m in _DIGIT_RUN.finditer(text):
        run = m.group().rstrip(".")
        scripts = [_digit_script(ch) for ch in run if ch != "."]
        if "other" in scripts:
            at = m.start() + next(k for k, ch in enumerate(run) if ch != "." and _digit_script(ch) == "other")
            return _Syntax(
                "syntax.digits",
                f"`{text[at]}` is not a digit the language reads",
                at,
                at + 1,
                "write numbers with the digits 0-9, or the Arabic-Indic digits ٠-٩",
            )
        if len(set(scripts)) > 1:
            return _Syntax(
                "syntax.mixed-digits",
                f"the number `{run}` mixes digits of two scripts",
                m.start(),
                m.start() + len(run),
                "write all its digits in 0-9 or all in ٠-٩",
            )
    return None


def _classify(text: str, exc: UnexpectedInput, start: str) -> _Syntax:
    """Name a syntax error by what went wrong, and point at the culprit."""
    from lark.exceptions import UnexpectedCharacters, UnexpectedToken

    digits = _digits(text)
    if digits is not None:
        return digits
    toks = _tokens(text)
    in_cell = start == "unary_tests"

    for t in toks:
        if t.kind == "name" and t.text in UNSUPPORTED:
            return _Syntax("syntax.unsupported", UNSUPPORTED[t.text], t.start, t.end)

    if isinstance(exc, UnexpectedCharacters):
        pos = exc.pos_in_stream
        ch = text[pos]
        if ch == '"':
            return _Syntax(
                "syntax.unterminated-string",
                "unterminated string",
                pos,
                len(text) if "\n" not in text[pos:] else text.index("\n", pos),
                'close it with `"` on the same line (write \\" for a quote inside)',
            )
        if ch == "'":
            return _Syntax(
                "syntax.single-quotes",
                "strings are written in double quotes",
                pos,
                pos + 1,
                'write "text", not \'text\'',
            )
        two = text[pos : pos + 2]
        if two in ("&&", "||") or ch in "&|":
            word = "and" if ch == "&" else "or"
            return _Syntax(
                "syntax.c-operator",
                f"{_q(two if two in ('&&', '||') else ch)} is not an operator here",
                pos,
                pos + (2 if two in ("&&", "||") else 1),
                f"write `{word}`",
            )
        if ch == "!":
            return _Syntax(
                "syntax.c-operator",
                "`!` is not an operator here",
                pos,
                pos + 1,
                "write not(x) for negation and != for inequality",
            )
        if ch == "{":
            return _Syntax(
                "syntax.unsupported",
                "contexts `{…}` are not part of taqyeem's FEEL subset",
                pos,
                pos + 1,
                "name inputs directly; checklist items are read as checklist.item",
            )
        glued = _KEYWORD_AT.match(text, pos)
        if glued and pos and (text[pos - 1].isdigit() or text[pos - 1] == "."):
            word = glued.group()
            number = re.search(r"[\d.]+$", text[:pos]).group()  # type: ignore[union-attr]
            return _Syntax(
                "syntax.missing-space",
                f"missing space between the number `{number}` and `{word}`",
                pos,
                pos + len(word),
                f"write `{number} {word}`",
            )
        return _Syntax(
            "syntax.unknown-character",
            f"unexpected character {_q(ch)}",
            pos,
            pos + 1,
            None,
        )

    # UnexpectedToken / UnexpectedEOF
    if isinstance(exc, UnexpectedToken) and exc.token.type != "$END":
        tok_pos = exc.token.start_pos
        at_end = False
        # Lark's contextual lexer may split what the regex above joins (`x.5` is
        # `x` `.` `5` to Lark, `x` `.5` here): cut our tokens at Lark's token.
        toks = _cut(_cut(toks, text, tok_pos), text, exc.token.end_pos)
    else:
        tok_pos = len(text)
        at_end = True
    expected = set(getattr(exc, "expected", None) or getattr(exc, "accepts", None) or ())
    before = [t for t in toks if t.end <= tok_pos]
    prev = before[-1] if before else None
    cur = None if at_end else next((t for t in toks if t.start >= tok_pos), None)

    # Delimiters and keywords still open before the error.
    opened: list[_Tok] = []
    ifs: list[tuple[_Tok, str]] = []  # (if token, stage: "if" | "then")
    betweens: list[_Tok] = []
    for t in before:
        if t.text in _OPENERS:
            opened.append(t)
        elif t.text in _CLOSERS and opened:
            opened.pop()
        elif t.text == "if":
            ifs.append((t, "if"))
        elif t.text == "then" and ifs:
            ifs[-1] = (ifs[-1][0], "then")
        elif t.text == "else" and ifs:
            ifs.pop()
        elif t.text == "between":
            betweens.append(t)
        elif t.text == "and" and betweens:
            betweens.pop()

    def expects(*names: str) -> bool:
        return any(e in expected for e in names)

    # An `if` or `between` missing its keyword.
    if ifs and ifs[-1][1] == "if" and expects("_THEN") and (at_end or (cur and cur.text != "then")):
        t = ifs[-1][0]
        where = tok_pos if not at_end else len(text)
        return _Syntax(
            "syntax.missing-then",
            "`if` without `then`",
            t.start if at_end else where,
            t.end if at_end else where + 1,
            "write if <condition> then <value> else <value>",
        )
    if ifs and ifs[-1][1] == "then" and expects("_ELSE") and (at_end or (cur and cur.text != "else")):
        t = ifs[-1][0]
        return _Syntax(
            "syntax.missing-else",
            "`if … then` without `else`",
            t.start if at_end else tok_pos,
            t.end if at_end else tok_pos + 1,
            "FEEL's if always has an else branch: if <condition> then <value> else <value>",
        )
    if betweens and expects("_AND") and not (cur and cur.text == "and"):
        t = betweens[-1]
        return _Syntax(
            "syntax.missing-between-and",
            "`between` without `and`",
            t.start if at_end else tok_pos,
            t.end if at_end else tok_pos + 1,
            "write x between <low> and <high>",
        )

    if at_end:
        if prev is not None and in_cell and prev.text == "," and len(before) >= 1:
            return _Syntax(
                "syntax.trailing-comma", "missing test after `,`", prev.start, prev.end,
                "remove the trailing comma",
            )
        if prev is not None and (prev.is_binary or prev.text in ("not",)):
            return _Syntax(
                "syntax.missing-right-operand",
                f"operator {_q(prev.text)} without right operand",
                prev.start,
                prev.end,
                "add the value it applies to, or remove the operator",
            )
        if prev is not None and prev.text in _DANGLING:
            code, message, hint = _DANGLING[prev.text]
            return _Syntax(code, message, prev.start, prev.end, hint)
        if opened:
            o = opened[-1]
            if o.text == "(":
                return _Syntax(
                    "syntax.missing-closing-paren",
                    "missing closing parenthesis",
                    o.start,
                    o.end,
                    "this `(` is never closed; add `)`",
                )
            return _Syntax(
                "syntax.missing-closing-bracket",
                "missing closing bracket",
                o.start,
                o.end,
                "this `[` is never closed; add `]` (or `)` to end an open range)",
            )
        end = len(text)
        return _Syntax(
            "syntax.unexpected-end",
            "the expression ends too early",
            max(0, end - 1),
            end,
            _expected_hint(expected),
        )

    assert cur is not None
    # Closing delimiters.
    if cur.text in _CLOSERS:
        if prev is not None and prev.text == "..":
            return _Syntax(
                "syntax.range-bound",
                "range without an upper bound",
                prev.start,
                prev.end,
                "write both ends: [low..high]",
            )
        if prev is not None and prev.text == ",":
            return _Syntax(
                "syntax.trailing-comma",
                "trailing comma",
                prev.start,
                prev.end,
                "remove the `,` or add the missing item",
            )
        if prev is not None and prev.is_binary:
            return _Syntax(
                "syntax.missing-right-operand",
                f"operator {_q(prev.text)} without right operand",
                prev.start,
                prev.end,
                "add the value it applies to, or remove the operator",
            )
        if prev is not None and prev.text == "(" and cur.text == ")":
            return _Syntax(
                "syntax.empty-parens",
                "empty parentheses",
                prev.start,
                cur.end,
                "put an expression inside, or remove them",
            )
        if not opened:
            word = "parenthesis" if cur.text == ")" else "bracket"
            return _Syntax(
                f"syntax.unmatched-closing-{'paren' if cur.text == ')' else 'bracket'}",
                f"unexpected closing {word} {_q(cur.text)}",
                cur.start,
                cur.end,
                f"there is no opening {_q('(' if cur.text == ')' else '[')} for it",
            )
        o = opened[-1]
        return _Syntax(
            "syntax.mismatched-delimiters",
            f"{_q(o.text)} closed by {_q(cur.text)}",
            cur.start,
            cur.end,
            f"close it with {_q(_OPENERS[o.text])}, or write a range as [a..b), (a..b]",
        )

    # Doubled equals, C-style operators spelled with valid characters.
    if cur.text == "=" and prev is not None and prev.text == "=" and prev.end == cur.start:
        return _Syntax(
            "syntax.double-equals",
            "`==` is not a FEEL operator",
            prev.start,
            cur.end,
            "FEEL compares with a single `=`",
        )
    if cur.text == "==":  # pragma: no cover - the lexer splits `==`
        return _Syntax("syntax.double-equals", "`==` is not a FEEL operator", cur.start, cur.end)

    # An operator where an operand should be.
    if cur.is_binary and cur.text != "-":
        if prev is None or prev.text in ("(", "[", ",", "if", "then", "else", "not"):
            if cur.text in ("<", "<=", ">", ">=") and not in_cell:
                return _Syntax(
                    "syntax.test-outside-cell",
                    f"comparison test {_q(cur.text + ' …')} without a left operand",
                    cur.start,
                    cur.end,
                    "tests like `< 5` stand alone only in decision-table cells, or right after `in` (x in < 5)",
                )
            return _Syntax(
                "syntax.missing-left-operand",
                f"operator {_q(cur.text)} without left operand",
                cur.start,
                cur.end,
                "add the value it applies to, or remove the operator",
            )
        if prev.is_binary:
            return _Syntax(
                "syntax.missing-right-operand",
                f"operator {_q(prev.text)} without right operand (followed by {_q(cur.text)})",
                prev.start,
                prev.end,
                "two operators in a row: remove one or put a value between them",
            )
        if cur.text in _COMPARISON | {"between", "in"}:
            # a < b < c: look back for a comparison at the same nesting level.
            depth = 0
            for t in reversed(before):
                if t.text in _CLOSERS:
                    depth += 1
                elif t.text in _OPENERS:
                    if depth == 0:
                        break
                    depth -= 1
                elif depth == 0 and t.text in ("and", "or", ",", "if", "then", "else"):
                    break
                elif depth == 0 and t.text in _COMPARISON | {"between", "in"}:
                    return _Syntax(
                        "syntax.chained-comparison",
                        "comparisons cannot be chained",
                        cur.start,
                        cur.end,
                        f"write `a {t.text} b and b {cur.text} c`, or use `between`",
                    )

    if cur.text == "..":
        return _Syntax(
            "syntax.bare-range",
            "a range needs brackets",
            cur.start,
            cur.end,
            "write [low..high], (low..high), [low..high) or (low..high]",
        )
    if cur.text in ("then", "else") and not ifs:
        return _Syntax(
            "syntax.missing-if",
            f"{_q(cur.text)} without `if`",
            cur.start,
            cur.end,
            "write if <condition> then <value> else <value>",
        )
    if in_cell and prev is not None and prev.text == "-" and cur.text == "," and len(before) == 1:
        return _Syntax(
            "syntax.dash-not-alone",
            "`-` (anything) must stand alone in a cell",
            prev.start,
            prev.end,
            "remove the other tests, or remove the `-`",
        )
    if cur.text == "," and not in_cell and not opened:
        return _Syntax(
            "syntax.unexpected-comma",
            "unexpected `,` outside a list or a call",
            cur.start,
            cur.end,
            "lists are written [a, b]; several tests are only allowed in decision-table cells",
        )
    if prev is not None and prev.is_operand_end and cur.is_operand_start:
        return _Syntax(
            "syntax.missing-operator",
            f"missing operator between {_q(prev.text)} and {_q(cur.text)}",
            cur.start,
            cur.end,
            "add an operator such as + - * / = and or, or a `,` inside a list",
        )
    if cur.kind == "name" and cur.text in RESERVED:
        return _Syntax(
            "syntax.misplaced-keyword",
            f"unexpected keyword {_q(cur.text)}",
            cur.start,
            cur.end,
            _expected_hint(expected),
        )
    return _Syntax(
        "syntax.unexpected",
        f"unexpected {_q(cur.text)}",
        cur.start,
        cur.end,
        _expected_hint(expected),
    )


_TERMINAL_WORDS = {
    "NUMBER": "a number",
    "STRING": "a string",
    "NAME": "a name",
    "MULTIWORD_FUNCTION": "a function name",
    "LPAR": "`(`",
    "RPAR": "`)`",
    "LSQB": "`[`",
    "RSQB": "`]`",
    "COMMA": "`,`",
    "DOT": "`.`",
    "PLUS": "`+`",
    "MINUS": "`-`",
    "STAR": "`*`",
    "SLASH": "`/`",
    "EQUAL": "`=`",
    "LESSTHAN": "`<`",
    "MORETHAN": "`>`",
    "QMARK": "`?`",
    "$END": "the end",
    **{f"_{w.upper()}": f"`{w}`" for w in ("and", "or", "not", "if", "then", "else", "between", "in", "true", "false", "null")},
}


def _expected_hint(expected: set[str]) -> str | None:
    if not expected:
        return None
    words: set[str] = set()
    lark = _lark()
    for name in expected:
        if name in _TERMINAL_WORDS:
            words.add(_TERMINAL_WORDS[name])
            continue
        try:
            pattern = lark.get_terminal(name).pattern
        except KeyError:
            continue
        if pattern.type == "str":
            words.add(_q(pattern.value))
    if not words:
        return None
    shown = sorted(words)
    if len(shown) > 8:
        shown = shown[:8] + ["…"]
    return "expected " + ", ".join(shown)

