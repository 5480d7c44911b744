"""Properties over the grammar and the trees (hypothesis).

* text drawn from the grammar parses or raises ExpressionSyntaxError, nothing else;
* any text, however large or deeply nested, raises only TaqyeemError subclasses;
* unparse → parse is the identity on trees (nodes compare without spans);
* folding and compiling preserve the reference interpreter's value, errors included.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from dsl_cases import same_value
from dsl_strategies import (
    VARIABLES,
    cells,
    grammar_texts,
    null_guarded,
    syntax_trees,
    typed,
    typed_cells,
    values,
)
from hypothesis import HealthCheck, assume, example, given, settings
from hypothesis import strategies as st

from taqyeem_rules import dsl
from taqyeem_rules.dsl import nodes as n
from taqyeem_rules.errors import EvaluationError, ExpressionSyntaxError, TaqyeemError

# The typed strategies are large; hypothesis warns when it prints them.
pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")

# ---- text ------------------------------------------------------------------------------


@given(grammar_texts("expression"))
def test_grammar_text_parses_or_is_a_syntax_error(text: str) -> None:
    try:
        tree = dsl.parse(text)
    except ExpressionSyntaxError:
        return
    assert isinstance(tree, n.Node)
    # What parses also unparses to text meaning the same tree.
    assert dsl.parse(dsl.unparse(tree)) == tree


@given(grammar_texts("unary_tests"))
def test_grammar_cells_parse_or_are_a_syntax_error(text: str) -> None:
    try:
        tree = dsl.parse_unary_tests(text)
    except ExpressionSyntaxError:
        return
    assert isinstance(tree, n.UnaryTests)
    assert dsl.parse_unary_tests(dsl.unparse(tree)) == tree


_PIECES = [
    "x", "1", "0.5", ".5", "5.", '"s"', "'", "(", ")", "[", "]", "..", ".", ",", " ", "\n",
    "+", "-", "*", "**", "/", "=", "==", "!=", "<", ">=", "?", "!", "&&", "{", "}", "@",
    "if", "then", "else", "and", "or", "not", "not(", "in", "between", "true", "null",
    "round half up", "list contains", "sum(", "for", "some", "\\", '"\\q"', "ق",
]
_nested = st.builds(
    lambda prefix, count, rest: prefix * count + rest,
    st.sampled_from(["(", "-", "not(", "1+", "[", "if x then ", "x.", "f(", "- (", "[1..", "x in "]),
    st.integers(0, 3000),
    st.text(alphabet="x1)]", max_size=5),
)
_texts = st.one_of(
    st.text(max_size=60),
    st.lists(st.sampled_from(_PIECES), max_size=25).map("".join),
    _nested,
)


@example(text="(" * 5000, cell=False)
@example(text="-" * 5000, cell=True)
@example(text="not(" * 3000, cell=True)
@example(text="1+" * 3000, cell=False)
@example(text="x." * 60 + "y", cell=False)
@given(text=_texts, cell=st.booleans())
def test_any_text_raises_only_taqyeem_errors(text: str, cell: bool) -> None:
    """Parse, check and compile never fail with anything but a TaqyeemError."""
    try:
        if cell:
            node = dsl.parse_unary_tests(text)
            dsl.check_node(node, dsl.Scope.of({"x": "number"}, tested="number"))
        else:
            dsl.compile(text, {"x": "number", "y": "number?", "f": "number"})
    except TaqyeemError:
        pass


# ---- round trips ---------------------------------------------------------------------


@given(syntax_trees())
def test_unparse_then_parse_is_the_identity(tree: n.Node) -> None:
    text = dsl.unparse(tree)
    try:
        again = dsl.parse(text)
    except ExpressionSyntaxError as exc:  # pragma: no cover - a failure
        raise AssertionError(f"unparse gave unparseable text {text!r}: {exc}") from None
    assert again == tree, text
    assert dsl.unparse(again) == text


@given(cells())
def test_cells_unparse_then_parse(cell: n.UnaryTests) -> None:
    text = dsl.unparse(cell)
    assert dsl.parse_unary_tests(text) == cell, text


@given(syntax_trees())
def test_every_span_holds_its_node(tree: n.Node) -> None:
    """Each node's span is the text of that node (error carets depend on it)."""
    parsed = dsl.parse(dsl.unparse(tree))
    for sub in n.walk(parsed):
        assert sub.span is not None
        if isinstance(sub, n.CmpTest):  # `< 5` alone is not an expression
            continue
        assert dsl.parse(sub.span.text) == sub, sub.span.text


# ---- each pass preserves evaluation ------------------------------------------------------


def run(thunk: Any) -> tuple[str, Any]:
    try:
        return ("value", thunk())
    except EvaluationError as exc:
        return ("error", exc.code)


def same_outcome(a: tuple[str, Any], b: tuple[str, Any]) -> bool:
    if a[0] != b[0]:
        return False
    return a[1] == b[1] if a[0] == "error" else same_value(a[1], b[1])


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    tree=st.sampled_from(["number", "boolean", "string"]).flatmap(lambda k: typed(k, 3)),
    env=values(),
)
@example(tree=dsl.parse("a / b"), env={"a": Decimal(1), "b": Decimal(0)})
@example(tree=dsl.parse("xs = null or a in ys"), env={"xs": [], "ys": None, "a": Decimal(1)})
def test_fold_and_compile_preserve_evaluation(tree: n.Node, env: dict[str, Any]) -> None:
    checked = dsl.check_node(tree, dsl.Scope.of(VARIABLES))
    assert checked.ok, (dsl.unparse(tree), checked.diagnostics)
    reference = run(lambda: dsl.interpret(tree, env))
    outcomes = {
        "folded": run(lambda: dsl.interpret(dsl.fold(tree), env)),
        "compiled": run(lambda: dsl.compile(tree, VARIABLES)(env)),
        "compiled-unfolded": run(lambda: dsl.compile(tree, VARIABLES, fold=False)(env)),
    }
    for route, got in outcomes.items():
        assert same_outcome(got, reference), (route, dsl.unparse(tree), got, reference)


#: A value for every variable of VARIABLES (for the explicit examples).
_NULLS: dict[str, Any] = {
    "a": Decimal(2), "b": Decimal(0), "n": None, "m": None, "p": True, "q": None, "s": "a",
    "t": None, "xs": [], "ys": None, "c": {"x": True, "y": False, "z": True}, "k": None,
    "r": {"total": Decimal(1), "parts": {"u": Decimal(1), "v": Decimal(2)}},
}


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(tree=null_guarded(), env=values())
@example(tree=dsl.parse("if n = null then 0 else n * 2"), env={**_NULLS, "n": None})
@example(tree=dsl.parse("if not(n != null) or a > 1 then 0 else -n"), env={**_NULLS, "n": None})
def test_narrowed_branches_compile_like_the_interpreter(tree: n.Node, env: dict[str, Any]) -> None:
    """Inside an `if` branch whose condition rules null out, the checker gives a name its
    type without null and the compiler drops its null guard: the branch must still only
    run when the name holds a value, so compiled code agrees with the interpreter."""
    checked = dsl.check_node(tree, dsl.Scope.of(VARIABLES))
    assert checked.ok, (dsl.unparse(tree), checked.diagnostics)
    reference = run(lambda: dsl.interpret(tree, env))
    for fold in (True, False):
        got = run(lambda fold=fold: dsl.compile(tree, VARIABLES, fold=fold)(env))
        assert same_outcome(got, reference), (fold, dsl.unparse(tree), got, reference)


@given(tree=st.sampled_from(["number", "boolean"]).flatmap(lambda k: typed(k, 3)))
def test_folding_is_idempotent_and_well_typed(tree: n.Node) -> None:
    folded = dsl.fold(tree)
    assert dsl.fold(folded) == folded
    checked = dsl.check_node(folded, dsl.Scope.of(VARIABLES))
    assert checked.ok, dsl.unparse(folded)


def _compiled_cell(node: n.UnaryTests, fold: bool) -> Any:
    if fold:
        node = dsl.fold(node)  # type: ignore[assignment]
    checked = dsl.check_node(node, dsl.Scope.of(VARIABLES, tested="number?"))
    assert checked.ok, (dsl.unparse(node), checked.diagnostics)
    builder = dsl.CodeBuilder()
    builder.types.update(checked.types)
    return builder.build("cell", "env, tested", builder.cell(node, "tested", True), "cell")


@given(
    cell=typed_cells(),
    env=values(),
    tested=st.none() | st.sampled_from(["0", "1", "2.5", "-3", "10"]).map(Decimal),
)
def test_compiled_cells_agree_with_the_interpreter(
    cell: n.UnaryTests, env: dict[str, Any], tested: Any
) -> None:
    reference = run(lambda: dsl.interpret(cell, env, tested=tested))
    assume(reference[0] == "value")  # compiled cells raise raw errors; the engine maps them
    for fold in (False, True):
        fn = _compiled_cell(cell, fold)
        assert same_value(fn(env, tested), reference[1]), (dsl.unparse(cell), fold, tested)


# ---- canonical text of a decimal -----------------------------------------------------------


def _canonical_by_normalize(value: Decimal) -> str:
    """The definition: normalize in FEEL's context, written without an exponent, no -0."""
    from taqyeem_rules.dsl.numbers import FEEL_CONTEXT

    if value.is_zero():
        return "0"
    return format(value.normalize(FEEL_CONTEXT), "f")


@settings(max_examples=400, deadline=None)
@given(
    st.one_of(
        st.decimals(allow_nan=False, allow_infinity=False),
        st.decimals(allow_nan=False, allow_infinity=False, places=2),
        st.builds(lambda d, e: d.scaleb(e), st.decimals(allow_nan=False, allow_infinity=False), st.integers(-40, 40)),
        st.integers(-10**40, 10**40).map(Decimal),
    ),
    st.booleans(),
)
@example(Decimal("-0.000"), True)
@example(Decimal("1E+2"), False)
@example(Decimal("1E-7"), False)
@example(Decimal("66.66666666666666666666666666666667"), True)
@example(Decimal("123456789012345678901234567890.12345"), True)
@example(Decimal("-1.234567890123456789012345678901234"), True)  # 34 digits, a sign and a point
@example(Decimal("1.2345678901234567890123456789012345"), True)  # 35 digits: normalize rounds
@example(Decimal("-0.5000000000000000000000000000000000"), False)
@example(Decimal("-1234567890123456789012345678901234"), False)
@example(Decimal("12345678901234567890123456789012345"), False)
def test_canonical_text_is_the_normalized_value_whatever_the_context(value: Decimal, capitals: bool) -> None:
    """canonical() reads the common case off str(); it must equal the definition on every
    decimal, under a hostile context in the calling thread (few digits, traps, lower-case
    exponents)."""
    import decimal

    from taqyeem_rules.dsl.numbers import canonical

    expected = _canonical_by_normalize(value)
    hostile = decimal.Context(prec=3, capitals=int(capitals), traps=[decimal.Inexact, decimal.Rounded])
    with decimal.localcontext(hostile):
        assert canonical(value) == expected
