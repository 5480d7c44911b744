"""The hand-written fast parser against the Lark reference parser.

``dsl/fastparse.py`` must never change what an expression means or where its parts
are: whatever it accepts, Lark accepts, with an equal tree and the same span on every
node; whatever it does not accept goes to Lark, so every syntax error keeps its one
source. These tests draw text from the grammar (and damage it), run every expression of
the fixture files through both, and pin that the usual expressions do take the fast path
(an optimisation that silently stopped applying would pass every other test).
"""

from __future__ import annotations

import re

import pytest
from dsl_cases import load_cases
from dsl_strategies import grammar_texts, syntax_trees
from hypothesis import example, given
from hypothesis import strategies as st

from taqyeem_rules.dsl import nodes as n
from taqyeem_rules.dsl import parser as P
from taqyeem_rules.dsl.fastparse import Bail, _tokens, fast_parse
from taqyeem_rules.dsl.limits import DEFAULT_LIMITS, Limits
from taqyeem_rules.errors import ExpressionSyntaxError
from taqyeem_rules.source import Source


def _source(text: str, start: str) -> Source:
    return Source("<expression>" if start == "expression" else "<cell>", text)


def fast(text: str, start: str = "expression", limits: Limits = DEFAULT_LIMITS) -> n.Node | None:
    """The fast parser's tree (offset 3, to check placement too), or None if it bails."""
    try:
        return fast_parse(text, start, _source(text, start), lambda i: i + 3, limits)
    except Bail:
        return None


def lark(text: str, start: str = "expression", limits: Limits = DEFAULT_LIMITS) -> n.Node:
    """The Lark path's tree, offset the same way (raises its syntax errors)."""
    source = _source(text, start)

    def fail(err: P._Syntax) -> ExpressionSyntaxError:
        return ExpressionSyntaxError(err.message, code=err.code)

    return P._lark_parse(text, start, source, lambda i: i + 3, limits, fail)


def spans(node: n.Node) -> list[tuple[str, int, int]]:
    return [
        (type(x).__name__, x.span.start, x.span.end)  # type: ignore[union-attr]
        for x in n.walk(node)
    ]


def agree(text: str, start: str = "expression", limits: Limits = DEFAULT_LIMITS) -> bool:
    """Assert the two parsers agree on ``text``; True when the fast path took it."""
    quick = fast(text, start, limits)
    if quick is None:
        return False
    try:
        reference, error = lark(text, start, limits), None
    except ExpressionSyntaxError as exc:
        reference, error = None, exc.code
    if error is not None:
        # Only what parse() checks after either parser (`?` outside a cell, …) may fail.
        with pytest.raises(P._Syntax) as after:
            P._validate(quick, start)
        assert after.value.code == error, text
        return True
    assert reference is not None
    assert quick == reference, text
    assert spans(quick) == spans(reference), text
    return True


# ---- generated text ---------------------------------------------------------------------


@example("if waiting_minutes = null then 0 else round half up(clamp(4 - (w - 20) / 10, 0, 2), 1)")
@example("(a) between (1) and [2][0]")
@example("-x ** 2 ** -y")
@example("not(x).y")
@example("[1...5]")
@example("1.5.x")
@given(grammar_texts("expression"))
def test_grammar_text(text: str) -> None:
    agree(text)


@example("-")
@example("not(< 5, 7)")
@example("not(5)")
@example("- 5, ? * 2 in [1..? + 1)")
@given(grammar_texts("unary_tests"))
def test_grammar_cells(text: str) -> None:
    agree(text, "unary_tests")


_DAMAGE = ["", " ", "(", ")", "[", "]", ",", "..", ".", "-", "and", "in", "not", "if", '"', "\\", "0"]


@given(
    grammar_texts("expression", budget=20),
    st.integers(0, 200),
    st.integers(0, 3),
    st.sampled_from(_DAMAGE),
    st.booleans(),
)
def test_damaged_text(text: str, at: int, cut: int, insert: str, cell: bool) -> None:
    """Text near the grammar: a piece cut out and something put in its place."""
    at = min(at, len(text))
    damaged = text[:at] + insert + text[at + cut :]
    agree(damaged, "unary_tests" if cell else "expression")


@given(syntax_trees(max_leaves=20))
def test_canonical_text_of_any_tree(tree: n.Node) -> None:
    """Canonical text (the shape guides are written in) takes the fast path, unless it
    holds a string escape, and means the same."""
    text = n.unparse(tree)
    assert agree(text) or "\\" in text


@given(syntax_trees(max_leaves=12), st.integers(-4, 12), st.integers(1, 16))
def test_small_limits(tree: n.Node, slack: int, depth: int) -> None:
    """Limits drawn around the text's own size: where the fast path takes the text, Lark
    with the same limits must take it too (no limit error) and build the same tree."""
    text = n.unparse(tree)
    try:
        tokens = len(_tokens(text))
    except Bail:
        return
    agree(text, limits=Limits(max_depth=depth, max_nodes=max(1, 2 * tokens + 3 + slack)))


def test_limits_at_the_fast_paths_boundary() -> None:
    """At the bound the fast path takes the text (and Lark agrees); one part less and it
    steps aside, leaving the exact check to Lark."""
    for text in [*FAST, "1 + 2", "((((x))))", "f(g(h(1)))"]:
        tokens = len(_tokens(text))
        at = Limits(max_depth=64, max_nodes=2 * tokens + 3)
        assert agree(text, limits=at), text
        assert fast(text, limits=Limits(max_depth=64, max_nodes=2 * tokens + 2)) is None, text
    assert agree("1 + 2", limits=Limits(max_depth=7, max_nodes=9))
    assert fast("1 + 2", limits=Limits(max_depth=6, max_nodes=9)) is None


# ---- the fixture files -----------------------------------------------------------------

_FILES = ("arithmetic", "cells", "eval_errors", "functions", "logic", "paths", "syntax_errors",
          "type_errors", "types", "unparse")


@pytest.mark.parametrize("name", _FILES)
def test_fixture_expressions(name: str) -> None:
    cases = load_cases(name)
    taken = 0
    for case in cases:
        start = case.header("start", "expression") or "expression"
        taken += agree(case.input, start)
    if name not in ("syntax_errors",):
        assert taken >= 0.6 * len(cases), f"{name}: only {taken} of {len(cases)} fast"


# ---- what must take the fast path, and what must not -----------------------------------

FAST = [
    "if waiting_minutes = null then 0 else if waiting_minutes <= 10 then 4 else "
    "round_half_up(clamp(4 - (waiting_minutes - 20) / 10, 0, 2) * checked(signage) / 5, 1)",
    "round half up(x, 2)",
    "list contains([1, 2], 2)",
    "x in [1..5) or x in (5..10] or x in < 0 or x in [1, 2]",
    "a between 1 and 5 and not(b)",
    "centre.visits.count >= 3",
    '"مرحبا" = name',
    "[]",
    "f()",
    "- - 1",
]
CELLS = ["-", "< 10", "[10..15)", ">= 90", "not(1, 2)", '"a", "b"', "? > 3", "not(< 5)"]


@pytest.mark.parametrize("text", FAST)
def test_usual_expressions_take_the_fast_path(text: str) -> None:
    assert agree(text)


@pytest.mark.parametrize("text", CELLS)
def test_usual_cells_take_the_fast_path(text: str) -> None:
    assert agree(text, "unary_tests")


@pytest.mark.parametrize(
    "text",
    [
        '"a\\nb"',  # escapes are the builder's
        "0and 1",  # Lark's keywords need a word boundary
        "some x",  # unsupported FEEL words get their own message
        "x\u00a0+ 1",  # only Lark's whitespace is whitespace
        "1 + ",
        "(1, 2)",
        "a < b < c",
        "round up",
        "x.5",
        "1 +" * 40 + "1",  # deep: Lark's exact limit check decides
    ],
)
def test_left_to_lark(text: str) -> None:
    assert fast(text) is None


def test_errors_come_from_lark_unchanged() -> None:
    """A syntax error is reported by the Lark path, with its label and position."""
    with pytest.raises(ExpressionSyntaxError) as info:
        P.parse("round(1, ")
    assert info.value.code.startswith("syntax.")
    assert re.search(r"1:\d+", str(info.value))
