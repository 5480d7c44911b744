"""The dsl package's face: trees, the pipeline and its passes, values in and out."""

from __future__ import annotations

import decimal
import gc
import linecache
import re
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from taqyeem_rules import dsl
from taqyeem_rules.dsl import nodes as n
from taqyeem_rules.errors import EvaluationError, ExpressionTypeError, TaqyeemError

ONE, TWO = n.Num(Decimal(1)), n.Num(Decimal(2))


def test_trees_compare_without_spans() -> None:
    assert dsl.parse("a + 1") == n.BinOp("+", n.Name("a"), ONE)
    assert dsl.parse("a+1") == dsl.parse("  a \n +  1 ")
    assert dsl.parse("a + 1").span.text == "a + 1"  # type: ignore[union-attr]
    assert hash(dsl.parse("a + 1")) == hash(n.BinOp("+", n.Name("a"), ONE))


def test_cells_are_trees_too() -> None:
    assert dsl.parse_unary_tests("< 10, [1..2)") == n.UnaryTests(
        (n.CmpTest("<", n.Num(Decimal(10))), n.Range(ONE, TWO, True, False))
    )
    assert dsl.parse_unary_tests("not(1, 2)") == n.UnaryTests((ONE, TWO), negated=True)
    assert dsl.parse_unary_tests("-") == n.UnaryTests((n.AnyTest(),))


def test_free_names() -> None:
    assert dsl.free_names(dsl.parse("b + a.x * sum([a, c])")) == ("a", "b", "c")


def test_the_pipeline_is_a_tuple_of_passes() -> None:
    assert [p.__name__ for p in dsl.PIPELINE] == [
        "_parse_pass",
        "_check_pass",
        "_fold_pass",
        "_recheck_pass",
        "_generate_pass",
    ]


def test_folding_can_be_switched_off() -> None:
    folded = dsl.compile("2 * 50 + x", {"x": "number"})
    unfolded = dsl.compile("2 * 50 + x", {"x": "number"}, fold=False)
    assert folded.node == n.BinOp("+", n.Num(Decimal(100)), n.Name("x"))
    assert unfolded.node == dsl.parse("2 * 50 + x") == folded.original
    assert folded({"x": Decimal(1)}) == unfolded({"x": Decimal(1)}) == 101


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("2 * 50", "100"),
        ("2 * 50 + x", "100 + x"),
        ("if true then x else y", "x"),
        ("if 1 > 2 then x else y", "y"),
        ("if null then x else y", "y"),
        ("false and x > 1", "false"),
        ("true or x > 1", "true"),
        ("sum([1, 2, 3]) * x", "6 * x"),
        ("[1 + 1, x]", "[2, x]"),
        ('"a" + "b"', '"ab"'),
        ("x in [1 + 1..2 * 3]", "x in [2..6]"),
        # A constant that fails is left alone: the error surfaces, with its position,
        # when the expression runs.
        ("1 / 0 + x", "1 / 0 + x"),
        ("sqrt(-1)", "sqrt(-1)"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    tree = dsl.fold(dsl.parse(text))
    assert dsl.unparse(tree) == folded
    # A folded node keeps the span of what it replaces (a pruned `if`, its branch's).
    assert tree.span is not None
    assert tree.span.text == (folded if folded in ("x", "y") else text)


def test_a_folded_failure_is_reported_at_its_place() -> None:
    compiled = dsl.compile("x + 1 / 0", {"x": "number"})
    with pytest.raises(EvaluationError) as info:
        compiled({"x": Decimal(1)})
    assert (info.value.code, info.value.span.col) == ("eval.division-by-zero", 5)


def test_generated_code_holds_no_user_text() -> None:
    compiled = dsl.compile('s + "evil()" = "x"', {"s": "string"})
    code_lines = [ln for ln in compiled.python_source.splitlines() if not ln.startswith("#")]
    assert not any("evil" in ln for ln in code_lines)
    assert compiled({"s": "a"}) is False
    # The source is registered for tracebacks and profilers.
    filename = compiled.evaluate.__code__.co_filename
    assert filename.startswith("<taqyeem ")
    assert linecache.getlines(filename) == compiled.python_source.splitlines(True)
    # … for as long as the function lives: thousands of one-off evaluations leave nothing.
    del compiled
    gc.collect()
    assert filename not in linecache.cache


def test_compiled_expression_facts() -> None:
    compiled = dsl.compile("checked(c) + sum(xs)", {"c": "checklist{a, b}", "xs": "list<number>"})
    assert str(compiled.type) == "number?"
    assert compiled.names == ("c", "xs")
    assert [f.name for f in compiled.functions] == ["checked", "sum"]
    assert compiled.plugins == ()
    assert repr(compiled) == "CompiledExpression('checked(c) + sum(xs)', type=number?)"
    assert dsl.compile("c.a", {"c": "checklist{a, b}"}).names == ("c", "c.a")


def test_a_cell_is_not_an_expression() -> None:
    with pytest.raises(ExpressionTypeError) as info:
        dsl.compile(dsl.parse_unary_tests("< 5"))
    assert info.value.code == "type.cell"


def test_a_cell_needs_a_tested_value() -> None:
    with pytest.raises(EvaluationError) as info:
        dsl.interpret(dsl.parse_unary_tests("< 5"), {})
    assert info.value.code == "eval.qmark"


def test_interpreting_a_cell_on_values_of_the_wrong_type_is_an_error_at_the_cell() -> None:
    """What the `type.cell` hint tells users to call; unchecked values of another type
    end in an EvaluationError with the cell's position, not a Python TypeError."""
    for text, variables in (("< w", {"w": [1]}), ('[1.."a"]', {})):
        with pytest.raises(EvaluationError) as info:
            dsl.interpret(dsl.parse_unary_tests(text), variables, tested=Decimal(3))
        assert info.value.code == "eval.type"
        assert info.value.primary.span is not None and info.value.primary.span.col == 1


def test_check_returns_the_type() -> None:
    assert str(dsl.check("if x > 10 then 0 else x", {"x": "number"})) == "number"
    assert dsl.check(dsl.parse("1 = 1")) == dsl.BOOLEAN


# ---- values in and out --------------------------------------------------------------------


def test_evaluate_takes_python_values() -> None:
    assert dsl.evaluate("x + 1", {"x": 2}) == 3
    assert type(dsl.evaluate("x + 1", {"x": 2})) is Decimal
    assert dsl.evaluate("sum(xs)", {"xs": (1, 2, 3)}) == 6
    assert dsl.evaluate("c.a and not(c.b)", {"c": {"a": True, "b": False}}) is True
    assert dsl.evaluate("r.total", {"r": {"total": Decimal("82.5"), "tier": "gold"}}) == Decimal("82.5")
    assert dsl.evaluate("x", {"x": None}) is None
    assert dsl.evaluate('s + "!"', {"s": "hi"}) == "hi!"


def test_the_thread_context_does_not_change_results() -> None:
    compiled = dsl.compile("1 / 3 + x", {"x": "number"})
    with decimal.localcontext(decimal.Context(prec=3, rounding=decimal.ROUND_UP)):
        assert compiled({"x": Decimal(0)}) == Decimal("0.3333333333333333333333333333333333")
        assert dsl.evaluate("2 / 3") == Decimal("0.6666666666666666666666666666666667")


def test_an_unknown_rounding_mode_is_refused() -> None:
    with pytest.raises(TaqyeemError) as info:
        dsl.compile("1", rounding="bankers")
    assert info.value.code == "number.rounding"


def test_to_decimal_and_canonical() -> None:
    assert dsl.to_decimal("1.50") == Decimal("1.50")
    assert dsl.to_decimal(3) == 3
    with pytest.raises(TaqyeemError):
        dsl.to_decimal(0.1)
    assert dsl.canonical(Decimal("1.500")) == "1.5"
    assert dsl.canonical(Decimal("-0.00")) == "0"
    assert dsl.canonical(Decimal("1E+3")) == "1000"


@given(st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_canonical_text_is_the_same_from_the_cache(value: Decimal) -> None:
    """canonical() remembers texts by value: equal decimals written differently (1.0 and
    1, 1E+2 and 100) share one, and a remembered text is the one worked out afresh."""
    fresh = dsl.canonical(value)
    # The canonical form: plain digits, no exponent, no trailing zeros, no -0; the value
    # itself where it fits in 34 digits.
    assert re.fullmatch(r"-?(0|[1-9][0-9]*)(\.[0-9]*[1-9])?", fresh), fresh
    assert fresh != "-0"
    if len(value.normalize(decimal.Context(prec=100)).as_tuple().digits) <= 34:
        assert Decimal(fresh) == value
    assert dsl.canonical(value) == fresh  # the second time from the cache
    sign, digits, exponent = value.as_tuple()
    other = Decimal((sign, (*digits, 0), exponent - 1))  # the same value, one more zero
    assert other == value and str(other) != str(value)
    assert dsl.canonical(other) == fresh


@pytest.mark.parametrize(
    ("written", "shown"),
    [
        ("number", "number"),
        ("number?", "number?"),
        ("list<number?>", "list<number?>"),
        ("list<number>?", "list<number>?"),
        ("checklist{a, b}", "checklist{a, b}"),
        ("context{total: number, tier: string?}", "context{total: number, tier: string?}"),
        ("range<number>", "range<number>"),
        ("any", "any"),
    ],
)
def test_types_read_and_print(written: str, shown: str) -> None:
    assert str(dsl.parse_type(written)) == shown


def test_builtins_inlined_where_nothing_can_change() -> None:
    """clamp() with literal bounds and rounding with a literal scale are written out in
    place; the results and errors are the interpreter's (see the property tests)."""
    compiled = dsl.compile("round_half_up(clamp(x, 0, 4), 1) + decimal(x, s)", {"x": "number", "s": "number"})
    assert "_f_clamp" not in compiled.python_source
    assert "_f_round_half_up" not in compiled.python_source
    assert "_f_decimal" in compiled.python_source  # the scale is not a literal
    env = {"x": Decimal("4.25"), "s": Decimal(1)}
    assert compiled(env) == compiled.interpret(env) == Decimal("8.2")
    # clamp with low above high stays a call: the error is the built-in's.
    assert "_f_clamp" in dsl.compile("clamp(x, 4, 0)", {"x": "number"}).python_source
    # The engine's builder keeps rounding as calls (their errors are EvaluationErrors).
    builder = dsl.CodeBuilder()
    checked = dsl.check_node(dsl.parse("round_half_up(x, 1)"), dsl.Scope.of({"x": "number"}))
    assert builder.expression(checked).startswith("_f_round_half_up(")
