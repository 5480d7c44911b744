"""Hypothesis strategies for expression trees.

Two families:

* :func:`syntax_trees` / :func:`cells`: any tree the parser can produce (for the
  unparse → parse round trip). Every node class of ``dsl/nodes.py`` appears here;
  a new node type must join these strategies.
* :func:`typed` with :data:`VARIABLES` and :func:`values`: well-typed trees over a
  fixed set of variables, and values for those variables (null included), for "each
  pass preserves evaluation".
"""

from __future__ import annotations

import functools
from decimal import Decimal
from typing import Any

from hypothesis import strategies as st
from hypothesis.extra.lark import LarkStrategy, from_lark
from lark.grammar import NonTerminal, Terminal

from taqyeem_rules.dsl import BUILTINS
from taqyeem_rules.dsl import nodes as n
from taqyeem_rules.dsl.parser import RESERVED, UNSUPPORTED, _lark

# ---- text from the grammar -------------------------------------------------------------

#: Terminal strategies: edge cases of each token; keywords mostly spaced out (two
#: keywords written together lex as one name, which is worth trying now and then).
GRAMMAR_TERMINALS: dict[str, st.SearchStrategy[str]] = {
    "WS": st.sampled_from([" ", "  ", "\n", "\t", "\r\n", "\x0c"]),
    "NAME": st.sampled_from(["x", "y", "total", "andy", "inner", "round", "sum", "وقت", "_1"]),
    "NUMBER": st.sampled_from(["0", "1", "2.5", ".5", "007", "10.000", "٣"]),
    "STRING": st.sampled_from(['""', '"a"', '"\\n"', '"\\q"', '"\\u0041"', '"\\\\"', '"ق"']),
    "MULTIWORD_FUNCTION": st.sampled_from(
        ["round half up", "round  half\tdown", "round up", "round down", "list contains"]
    ),
} | {
    f"_{kw.upper()}": st.sampled_from([f" {kw} ", f" {kw} ", f" {kw} ", kw])
    for kw in sorted(RESERVED)
}


class _BudgetedLark(LarkStrategy):
    """``from_lark``'s strategy with a size budget.

    After ``budget`` rule expansions every rule takes its shortest expansion (one of
    terminals only where there is one), so each draw ends. Plain ``from_lark`` expands
    this recursive grammar until hypothesis's buffer overflows, so most draws fail and
    a handful of examples take tens of seconds.
    """

    def __init__(self, strategy: LarkStrategy, budget: int) -> None:
        self.__dict__.update(strategy.__dict__)
        self.budget = budget
        self._left = budget
        self._full = self.nonterminal_strategies

        def key(expansion: Any) -> tuple[bool, int]:
            return (not all(isinstance(s, Terminal) for s in expansion), len(expansion))

        self._shortest = {
            name: st.just(min(s.elements, key=key))  # type: ignore[attr-defined]
            for name, s in self._full.items()
        }

    def do_draw(self, data: Any) -> str:
        self._left = self.budget
        self.nonterminal_strategies = self._full
        return super().do_draw(data)

    def draw_symbol(self, data: Any, symbol: Any, draw_state: list[str]) -> None:
        if isinstance(symbol, NonTerminal):
            self._left -= 1
            if self._left < 0:
                self.nonterminal_strategies = self._shortest
        super().draw_symbol(data, symbol, draw_state)


def grammar_texts(start: str, budget: int = 40) -> st.SearchStrategy[str]:
    """Text drawn from ``feel.lark`` (``from_lark``), of bounded size."""
    strategy = from_lark(_lark(), start=start, explicit=GRAMMAR_TERMINALS)
    return _BudgetedLark(strategy.wrapped_strategy, budget)  # type: ignore[attr-defined]

# ---- leaves ---------------------------------------------------------------------------

_NAME_START = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_وقتمركز"
_NAME_REST = _NAME_START + "0123456789٠١٢"

names = (
    st.builds(
        lambda head, tail: head + tail,
        st.sampled_from(_NAME_START),
        st.text(alphabet=_NAME_REST, max_size=6),
    )
    .filter(lambda s: s not in RESERVED and s not in UNSUPPORTED)
    | st.sampled_from(["inner", "android", "nullable", "iffy", "notes", "round", "sum", "x"])
)

#: Non-negative decimals as the parser reads them (a sign is the unary minus).
numbers = st.one_of(
    st.integers(0, 10**40).map(Decimal),
    st.decimals(min_value=0, max_value=10**12, allow_nan=False, allow_infinity=False),
    st.sampled_from(["0", "0.5", "1.50", "007", "0.000001", "123.456"]).map(Decimal),
).filter(lambda d: not d.is_signed())

strings = st.text(max_size=12)

function_names = st.sampled_from(sorted(BUILTINS) + ["bonus", "f", "round"])


def _literals() -> st.SearchStrategy[n.Node]:
    return st.one_of(
        numbers.map(n.Num),
        strings.map(n.Str),
        st.booleans().map(n.Bool),
        st.just(n.Null()),
        names.map(n.Name),
    )


def _tuples(children: st.SearchStrategy[n.Node], max_size: int = 3) -> Any:
    return st.lists(children, max_size=max_size).map(tuple)


def _ranges(children: st.SearchStrategy[n.Node]) -> st.SearchStrategy[n.Node]:
    return st.builds(n.Range, children, children, st.booleans(), st.booleans())


def _cmp_tests(children: st.SearchStrategy[n.Node]) -> st.SearchStrategy[n.Node]:
    return st.builds(n.CmpTest, st.sampled_from(n.ORDER_OPS), children)


def _compound(children: st.SearchStrategy[n.Node]) -> st.SearchStrategy[n.Node]:
    return st.one_of(
        st.builds(n.BinOp, st.sampled_from(n.ARITH_OPS), children, children),
        st.builds(n.Compare, st.sampled_from(n.COMPARE_OPS), children, children),
        st.builds(n.BoolOp, st.sampled_from(["and", "or"]), children, children),
        st.builds(n.Neg, children),
        st.builds(n.Not, children),
        st.builds(n.If, children, children, children),
        st.builds(n.Between, children, children, children),
        st.builds(
            n.In, children, st.one_of(children, _ranges(children), _cmp_tests(children))
        ),
        st.builds(n.Call, function_names, _tuples(children)),
        st.builds(n.ListLit, _tuples(children)),
        st.builds(n.Path, children, names),
        _ranges(children),
    )


def syntax_trees(*, qmark: bool = False, max_leaves: int = 12) -> st.SearchStrategy[n.Node]:
    """Trees of expressions as the parser builds them (``?`` only with ``qmark``)."""
    leaves = (_literals() | st.just(n.QMark())) if qmark else _literals()
    return st.recursive(leaves, _compound, max_leaves=max_leaves)


@st.composite
def cells(draw: st.DrawFn, max_leaves: int = 8) -> n.UnaryTests:
    """Decision-table cells as the parser builds them."""
    if draw(st.integers(0, 9)) == 0:
        return n.UnaryTests((n.AnyTest(),))
    expr = syntax_trees(qmark=True, max_leaves=max_leaves)
    test = st.one_of(expr, _cmp_tests(expr), _ranges(expr))
    tests = tuple(draw(st.lists(test, min_size=1, max_size=3)))
    negated = draw(st.booleans())
    if not negated and len(tests) == 1 and isinstance(tests[0], n.Not):
        # `not(x)` alone is the negated cell of x: the same text, one tree.
        return n.UnaryTests((tests[0].operand,), True)
    return n.UnaryTests(tests, negated)


# ---- well-typed trees -----------------------------------------------------------------

#: The variables of typed trees, with their declared types.
VARIABLES: dict[str, str] = {
    "a": "number",
    "b": "number",
    "n": "number?",
    "m": "number?",
    "p": "boolean",
    "q": "boolean?",
    "s": "string",
    "t": "string?",
    "xs": "list<number>",
    "ys": "list<number>?",
    "c": "checklist{x, y, z}",
    "k": "checklist{x, y}?",
    "r": "context{total: number, parts: context{u: number, v: number}}",
}

_small = st.one_of(
    st.sampled_from(["0", "1", "2", "3", "0.5", "10", "100", "0.1", "2.5", "1.005"]).map(Decimal),
    st.decimals(min_value=0, max_value=1000, places=2, allow_nan=False, allow_infinity=False),
)
_any_number = st.one_of(_small, _small.map(lambda d: -d))


def values() -> st.SearchStrategy[dict[str, Any]]:
    """Values for :data:`VARIABLES` (nullable ones are sometimes null)."""
    nums = st.lists(_any_number, max_size=4)
    return st.fixed_dictionaries(
        {
            "a": _any_number,
            "b": _any_number,
            "n": st.none() | _any_number,
            "m": st.none() | _any_number,
            "p": st.booleans(),
            "q": st.none() | st.booleans(),
            "s": st.sampled_from(["", "a", "b", "gold", "سلام"]),
            "t": st.none() | st.sampled_from(["", "a", "z"]),
            "xs": nums,
            "ys": st.none() | nums,
            "c": st.fixed_dictionaries({k: st.booleans() for k in "xyz"}),
            "k": st.none() | st.fixed_dictionaries({k: st.booleans() for k in "xy"}),
            "r": st.fixed_dictionaries(
                {
                    "total": _any_number,
                    "parts": st.fixed_dictionaries({"u": _any_number, "v": _any_number}),
                }
            ),
        }
    )


_NUMBER_LEAVES = ("a", "b", "n", "m")
_ROUNDING = ("decimal", "round_up", "round_down", "round_half_up", "round_half_down")
_AGGREGATES = ("sum", "product", "mean", "median", "min", "max")


def _path(*parts: str) -> n.Node:
    node: n.Node = n.Name(parts[0])
    for part in parts[1:]:
        node = n.Path(node, part)
    return node


@functools.cache
def typed(kind: str, depth: int = 3, *, qmark: bool = False) -> st.SearchStrategy[n.Node]:
    """Well-typed trees of a kind (number, boolean, string); ``?`` is a number."""
    if kind == "number":
        leaves = st.one_of(
            _small.map(n.Num),
            st.sampled_from(_NUMBER_LEAVES).map(n.Name),
            st.sampled_from([_path("r", "total"), _path("r", "parts", "u"), n.Null()]),
            *([st.just(n.QMark())] if qmark else []),
        )
    elif kind == "boolean":
        leaves = st.one_of(
            st.booleans().map(n.Bool),
            st.sampled_from(["p", "q"]).map(n.Name),
            st.sampled_from([_path("c", "x"), _path("c", "z"), _path("k", "y"), n.Null()]),
        )
    else:
        leaves = st.one_of(
            st.sampled_from(["", "a", "b", "ق"]).map(n.Str),
            st.sampled_from(["s", "t"]).map(n.Name),
            st.just(n.Null()),
        )
    if depth == 0:
        return leaves
    num = typed("number", depth - 1, qmark=qmark)
    boolean = typed("boolean", depth - 1, qmark=qmark)
    string = typed("string", depth - 1, qmark=qmark)
    lists = st.one_of(
        st.lists(num, max_size=3).map(lambda xs: n.ListLit(tuple(xs))),
        st.sampled_from(["xs", "ys"]).map(n.Name),
    )
    # A record of numbers stands for the list of its values where a list is expected.
    nums = lists | st.just(_path("r", "parts"))
    if kind == "number":
        small_int = st.sampled_from(["0", "1", "2", "3"]).map(lambda s: n.Num(Decimal(s)))
        scale = st.one_of(small_int, num)
        composite = st.one_of(
            st.builds(n.BinOp, st.sampled_from(["+", "-", "*", "/"]), num, num),
            st.builds(n.BinOp, st.just("**"), num, small_int | small_int.map(n.Neg)),
            st.builds(n.Neg, num),
            st.builds(n.If, boolean, num, num),
            st.builds(lambda f, x: n.Call(f, (x,)), st.sampled_from(_AGGREGATES), nums),
            st.builds(
                lambda f, xs: n.Call(f, tuple(xs)),
                st.sampled_from(_AGGREGATES),
                st.lists(num, min_size=1, max_size=3),
            ),
            st.builds(lambda x: n.Call("count", (x,)), nums),
            st.builds(lambda f, x: n.Call(f, (x,)), st.sampled_from(["abs", "floor", "ceiling", "sqrt"]), num),
            st.builds(lambda f, x, d: n.Call(f, (x, d)), st.sampled_from(_ROUNDING + ("floor", "ceiling")), num, scale),
            st.builds(lambda x, lo, hi: n.Call("clamp", (x, lo, hi)), num, num, num),
            st.builds(lambda x, y: n.Call("modulo", (x, y)), num, num),
            st.sampled_from(["c", "k"]).map(lambda v: n.Call("checked", (n.Name(v),))),
            st.lists(boolean, max_size=3).map(lambda bs: n.Call("checked", (n.ListLit(tuple(bs)),))),
        )
    elif kind == "boolean":
        test = st.one_of(
            num,
            lists,
            st.builds(n.Range, num, num, st.booleans(), st.booleans()),
            st.builds(n.CmpTest, st.sampled_from(n.ORDER_OPS), num),
        )
        composite = st.one_of(
            st.builds(n.Compare, st.sampled_from(n.COMPARE_OPS), num, num),
            st.builds(n.Compare, st.sampled_from(n.COMPARE_OPS), string, string),
            st.builds(n.Compare, st.sampled_from(["=", "!="]), boolean, boolean),
            st.builds(n.BoolOp, st.sampled_from(["and", "or"]), boolean, boolean),
            st.builds(n.Not, boolean),
            st.builds(n.If, boolean, boolean, boolean),
            st.builds(n.Between, num, num, num),
            st.builds(n.In, num, test),
            st.builds(
                lambda f, bs: n.Call(f, (n.ListLit(tuple(bs)),)),
                st.sampled_from(["all", "any"]),
                st.lists(boolean, max_size=3),
            ),
            st.builds(lambda xs, x: n.Call("list_contains", (xs, x)), nums, num),
        )
    else:
        composite = st.one_of(
            st.builds(n.BinOp, st.just("+"), string, string),
            st.builds(n.If, boolean, string, string),
        )
    return st.one_of(leaves, composite)


@st.composite
def typed_cells(draw: st.DrawFn) -> n.UnaryTests:
    """Well-typed cells testing a nullable number."""
    if draw(st.integers(0, 9)) == 0:
        return n.UnaryTests((n.AnyTest(),))
    num = typed("number", 2)
    test = st.one_of(
        num,
        st.builds(n.CmpTest, st.sampled_from(n.ORDER_OPS), num),
        st.builds(n.Range, num, num, st.booleans(), st.booleans()),
        st.lists(num, max_size=3).map(lambda xs: n.ListLit(tuple(xs))),
        typed("boolean", 2, qmark=True).filter(
            lambda t: any(isinstance(x, n.QMark) for x in n.walk(t))
        ),
    )
    return n.UnaryTests(tuple(draw(st.lists(test, min_size=1, max_size=3))), draw(st.booleans()))


@st.composite
def null_guarded(draw: st.DrawFn) -> n.Node:
    """``if <condition> then A else B`` where the condition rules a nullable name in or
    out (``n = null``, ``n > 2``, ``n between a and b``, combined with and/or/not) and the
    branches compute with that name — what the checker narrows and the compiler then
    leaves unguarded."""
    name = draw(st.sampled_from(["n", "m", "t", "q"]))
    kind = {"n": "number", "m": "number", "t": "string", "q": "boolean"}[name]
    x = n.Name(name)
    num = typed("number", 1)
    null_test = st.builds(n.Compare, st.sampled_from(["=", "!="]), st.just(x), st.just(n.Null())) | st.builds(
        n.Compare, st.sampled_from(["=", "!="]), st.just(n.Null()), st.just(x)
    )
    if kind == "number":
        value_test = st.one_of(
            st.builds(n.Compare, st.sampled_from(n.ORDER_OPS), st.just(x), num),
            st.builds(n.Compare, st.just("="), st.just(x), _small.map(n.Num)),
            st.builds(n.Between, st.just(x), num, num),
            st.builds(n.In, st.just(x), st.builds(n.Range, num, num, st.booleans(), st.booleans())),
            st.builds(n.In, st.just(x), st.builds(n.CmpTest, st.sampled_from(n.ORDER_OPS), num)),
        )
        tests = null_test | value_test
    else:
        tests = null_test
    other = typed("boolean", 1)
    cond = draw(
        st.one_of(
            tests,
            st.builds(n.Not, tests),
            st.builds(n.BoolOp, st.sampled_from(["and", "or"]), tests, other),
            st.builds(n.BoolOp, st.sampled_from(["and", "or"]), other, tests),
            st.builds(n.BoolOp, st.sampled_from(["and", "or"]), tests, tests),
        )
    )
    if kind == "number":
        use = st.one_of(
            st.builds(n.BinOp, st.sampled_from(["+", "-", "*"]), st.just(x), num),
            st.builds(n.Neg, st.just(x)),
            st.builds(lambda v: n.Call("abs", (v,)), st.just(x)),
            num,
        )
    elif kind == "string":
        use = st.builds(n.BinOp, st.just("+"), st.just(x), st.sampled_from(["", "a"]).map(n.Str))
    else:
        use = st.builds(n.BoolOp, st.sampled_from(["and", "or"]), st.just(x), other) | st.builds(n.Not, st.just(x))
    return n.If(cond, draw(use), draw(use))
