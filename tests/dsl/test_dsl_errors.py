"""Error fixtures (syntax, type, evaluation), limits, and how errors render."""

from __future__ import annotations

import pickle
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from dsl_cases import Case, assert_error, case_bindings, load_cases, params

from taqyeem_rules import dsl
from taqyeem_rules.errors import (
    EvaluationError,
    ExpressionSyntaxError,
    ExpressionTypeError,
    LimitError,
    TaqyeemError,
)
from taqyeem_rules.source import Source

# ---- syntax ---------------------------------------------------------------------------

SYNTAX_CASES = load_cases("syntax_errors")


@pytest.mark.parametrize("case", params(SYNTAX_CASES))
def test_syntax_error(case: Case) -> None:
    start = case.header("start", "expression") or "expression"
    with pytest.raises(ExpressionSyntaxError) as info:
        dsl.parse(case.input, start=start)
    assert not isinstance(info.value, LimitError)
    assert_error(info.value, case.fields, case=case)
    if start == "expression":
        # The pipeline reports the same error.
        with pytest.raises(ExpressionSyntaxError) as again:
            dsl.compile(case.input, {})
        assert again.value.diagnostics == info.value.diagnostics


def _codes_in_parser() -> set[str]:
    """Every `syntax.*` / `limit.*` code written in the parser's source (the parser and
    the naming of syntax errors)."""
    import re
    from pathlib import Path

    import taqyeem_rules.dsl.parser as parser
    import taqyeem_rules.dsl.syntax_errors as syntax_errors

    text = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (parser, syntax_errors))
    codes = set(re.findall(r'"((?:syntax|limit)\.[a-z-]+)"', text))
    # f"syntax.unmatched-closing-{'paren' if … else 'bracket'}"
    if "syntax.unmatched-closing-{" in text:
        codes |= {"syntax.unmatched-closing-paren", "syntax.unmatched-closing-bracket"}
    return codes


#: Codes tested in this module rather than in the fixture file.
CODES_TESTED_HERE = {"limit.source-length", "limit.depth", "limit.nodes", "syntax.not-text"}
#: Codes the parser can never produce (reported; kept in the parser as a safety net).
UNREACHABLE = {
    # NAME excludes the reserved words, so _check_name never sees one.
    "syntax.reserved-word",
}


def test_every_syntax_label_has_a_fixture() -> None:
    covered = {c.fields[0] for c in SYNTAX_CASES} | CODES_TESTED_HERE
    missing = _codes_in_parser() - covered - UNREACHABLE
    assert not missing, f"syntax error labels without a fixture: {sorted(missing)}"


def test_whitespace_is_empty() -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        dsl.parse(" \t\n ")
    assert info.value.code == "syntax.empty"


def test_not_text() -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        dsl.parse(123)  # type: ignore[arg-type]
    assert info.value.code == "syntax.not-text"
    assert info.value.message == "an expression must be text, not int"


def test_unknown_start_rule_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="start must be"):
        dsl.parse("1", start="cell")


# ---- limits ----------------------------------------------------------------------------


def test_source_length_limit() -> None:
    text = "1+" * 2000 + "1"  # 4001 characters
    with pytest.raises(LimitError) as info:
        dsl.parse(text)
    err = info.value
    assert isinstance(err, ExpressionSyntaxError)
    assert err.code == "limit.source-length"
    assert err.message == "expression is 4001 characters long; the limit is 4000"
    assert err.hint == "split it into several criteria or use a decision table"
    assert (err.span.line, err.span.col) == (1, 4001)
    dsl.parse("x" * 4000)  # 4000 characters are fine


def test_source_length_limit_is_configurable() -> None:
    limits = dsl.Limits(max_source_length=10)
    with pytest.raises(LimitError, match="11 characters long; the limit is 10"):
        dsl.compile("1 + 2 + 345", limits=limits)
    assert dsl.compile("1 + 2 + 34", limits=limits)() == 37


def test_depth_limit() -> None:
    with pytest.raises(LimitError) as info:
        dsl.parse("-" * 70 + "1")
    err = info.value
    assert err.code == "limit.depth"
    assert err.message == "expression nests deeper than 64 levels"
    assert err.hint == "nest less: use sum([...]) instead of a long chain of +, or split the criterion"
    # The first node past the limit: the 65th minus sign.
    assert (err.span.line, err.span.col) == (1, 65)


def test_depth_limit_is_configurable() -> None:
    text = "1 + 2 + 3 + 4 + 5"
    with pytest.raises(LimitError, match="deeper than 3 levels"):
        dsl.parse(text, limits=dsl.Limits(max_depth=3))
    assert dsl.compile(text, limits=dsl.Limits(max_depth=10))() == 15


def test_node_limit() -> None:
    text = "[" + "1," * 1600 + "1]"  # within the 4000-character limit
    with pytest.raises(LimitError) as info:
        dsl.parse(text)
    assert info.value.code == "limit.nodes"
    assert info.value.message == "expression has more than 3000 parts"
    with pytest.raises(LimitError, match="more than 10 parts"):
        dsl.parse("1 + 2 + 3 + 4 + 5 + 6", limits=dsl.Limits(max_nodes=10))


@pytest.mark.parametrize(
    "text",
    [
        "(" * 5000,
        "-" * 5000,
        "not(" * 3000,
        "1+" * 3000,
        "-" * 3999 + "1",
        "not(" * 900 + "true" + ")" * 900,
        "[" * 1999 + "]" * 1999,
        "if true then " * 300 + "1" + " else 2" * 300,
        "x." * 1999 + "y",
        "f(" * 1999 + ")" * 1999,
    ],
    ids=lambda t: f"{t[:12]}…{len(t)}",
)
def test_huge_and_deep_input_is_a_clear_error(text: str) -> None:
    """Over a limit is a LimitError or a syntax error, never a RecursionError."""
    with pytest.raises(ExpressionSyntaxError):
        dsl.compile(text, {"x": "number"})


def test_parentheses_do_not_nest_the_tree() -> None:
    """Redundant parentheses cost characters, not depth: they are not nodes."""
    text = "(" * 1999 + "x" + ")" * 1999
    assert dsl.parse(text) == dsl.parse("x")
    assert dsl.compile(text, {"x": "number"})({"x": Decimal(7)}) == 7


@pytest.mark.parametrize(
    ("template", "base"),
    [
        ("-{}", "x"),
        ("not({})", "x > 0"),
        ("{} + 1", "x"),
        ("1 - {}", "x"),
        ("{} ** 1", "x"),
        ("abs({})", "x"),
        ("[{}]", "x"),
        ("if x > 0 then {} else x", "x"),
        ("if x > ({}) then x else 0", "x"),
        ("max({}, x)", "x"),
        ("(if n = null then {} else n)", "x"),
        ("n + {}", "x"),
        ("decimal({}, 2)", "x"),
        ("{} and n > 0", "x > 0"),
        ("n > 0 or ({})", "x > 0"),
        ("({}) = (x in [n..x])", "x > 0"),
        ("{}.a", "r"),
    ],
)
def test_deepest_allowed_expressions_compile_and_run(template: str, base: str) -> None:
    """Right at the depth limit, every pass (check, fold, compile, run) still works."""
    previous = base
    while True:
        candidate = template.format(previous)
        try:
            dsl.parse(candidate)
        except LimitError:
            break
        previous = candidate
    record: Any = Decimal(1)  # r.a.a.a…: a nested record
    for _ in range(previous.count(".a")):
        record = {"a": record}
    values = [
        {"x": Decimal(1), "n": None, "r": record},
        {"x": Decimal(-1), "n": Decimal(2), "r": record},
    ]
    types = {"x": "number", "n": "number?", "r": dsl.type_of_value(record)}
    compiled = dsl.compile(previous, types)
    unfolded = dsl.compile(previous, types, fold=False)
    for env in values:
        assert compiled(env) == unfolded(env) == unfolded.interpret(env)


# ---- types -------------------------------------------------------------------------------


def declared_types(case: Case) -> tuple[dict[str, str | None], Any]:
    types = {b.name: b.type for b in case_bindings(case).values() if b.name != "?"}
    tested = next((b.type for b in case.variables if b.name == "?"), None)
    return types, tested


@pytest.mark.parametrize("case", params(load_cases("type_errors")))
def test_type_error(case: Case) -> None:
    types, tested = declared_types(case)
    if case.header("start") == "unary_tests":
        node = dsl.parse_unary_tests(case.input)
        checked = dsl.check_node(node, dsl.Scope.of(types, tested=tested))
        with pytest.raises(ExpressionTypeError) as info:
            checked.raise_for_errors()
        assert_error(info.value, case.fields, case=case)
        return
    with pytest.raises(ExpressionTypeError) as info:
        dsl.check(case.input, types)
    assert_error(info.value, case.fields, case=case)
    with pytest.raises(ExpressionTypeError) as again:
        dsl.compile(case.input, types)
    assert again.value.diagnostics == info.value.diagnostics


def test_every_error_is_collected() -> None:
    with pytest.raises(ExpressionTypeError) as info:
        dsl.check('zzz + 1 = "a" and yyy', {})
    codes = [(d.code, d.span.col) for d in info.value.diagnostics]
    # Ordered by position, whatever order the checker found them in.
    assert codes == [("name.unknown", 1), ("name.unknown", 19)]


def test_an_error_does_not_cascade() -> None:
    """An unknown name types as `any`, so `zzz + 1 > 2` reports one error only."""
    with pytest.raises(ExpressionTypeError) as info:
        dsl.check("zzz + 1 > 2 and zzz * 2 < 1", {})
    assert [d.code for d in info.value.diagnostics] == ["name.unknown", "name.unknown"]


def test_qmark_needs_a_tested_type() -> None:
    node = dsl.parse_unary_tests("? > 5")
    checked = dsl.check_node(node, dsl.Scope.of({}))
    assert [d.code for d in checked.diagnostics] == ["name.qmark"]


@pytest.mark.parametrize(
    ("value", "code", "message"),
    [
        (1.5, "number.float", "variable `x` is a float (1.5); numbers must be exact decimals"),
        ({1, 2}, "type.unsupported-value", "variable `x` has an unsupported type set"),
        ([1, "a"], "type.mixed-list", "variable `x` mixes number and string items; a list holds one type"),
    ],
)
def test_bad_python_values(value: Any, code: str, message: str) -> None:
    with pytest.raises(ExpressionTypeError) as info:
        dsl.evaluate("x", {"x": value})
    assert (info.value.code, info.value.message) == (code, message)


def test_float_hint_shows_the_decimal_to_write() -> None:
    with pytest.raises(ExpressionTypeError) as info:
        dsl.evaluate("x + 1", {"x": 0.1})
    assert info.value.hint == "pass Decimal('0.1') instead"


@pytest.mark.parametrize("written", ["list<", "numbr", "number??", "context{a}", "list<number"])
def test_unreadable_type(written: str) -> None:
    with pytest.raises(ExpressionTypeError) as info:
        dsl.compile("x", {"x": written})
    assert info.value.code == "type.syntax"


# ---- evaluation ---------------------------------------------------------------------------

EVAL_CASES = load_cases("eval_errors")


def eval_routes(case: Case) -> dict[str, Callable[[], Any]]:
    bindings = case_bindings(case)
    types = {b.name: b.type for b in bindings.values()}
    values = {b.name: b.value for b in bindings.values() if b.has_value}
    text = case.input
    routes: dict[str, Callable[[], Any]] = {
        "compiled": lambda: dsl.compile(text, types)(values),
        "compiled-unfolded": lambda: dsl.compile(text, types, fold=False)(values),
    }
    if case.header("paths") != "compiled":
        routes["interpreter"] = lambda: dsl.compile(text, types, fold=False).interpret(values)
        routes["interpret"] = lambda: dsl.interpret(dsl.parse(text), values)
    return routes


@pytest.mark.parametrize("case", params(EVAL_CASES))
def test_evaluation_error(case: Case) -> None:
    for route, run in eval_routes(case).items():
        with pytest.raises(EvaluationError) as info:
            run()
        try:
            assert_error(info.value, case.fields, case=case)
        except AssertionError as exc:
            raise AssertionError(f"{route}: {exc}\n{info.value}") from None


def test_error_fixture_codes() -> None:
    """Every evaluation error code the library documents appears in the fixtures."""
    codes = {c.fields[0] for c in EVAL_CASES}
    assert codes >= {
        "eval.division-by-zero",
        "eval.domain",
        "eval.scale",
        "eval.precision",
        "eval.unbound",
        "eval.variable-type",
        "eval.overflow",
        "eval.underflow",
        "eval.invalid",
        "eval.type",
    }


def test_errors_stop_inside_functions_too() -> None:
    """A failing argument is reported at the argument, not at the call."""
    with pytest.raises(EvaluationError) as info:
        dsl.evaluate("max(1, 2 / x)", {"x": 0})
    assert info.value.span.col == 8
    assert info.value.message == "division by zero in `2 / x`"


# ---- rendering ---------------------------------------------------------------------------


def test_caret_rendering_of_a_name_error() -> None:
    with pytest.raises(ExpressionTypeError) as info:
        dsl.check("1 + waitng < 10", {"waiting": "number"})
    assert str(info.value) == (
        "<expression>:1:5: error[name.unknown]: unknown name `waitng`\n"
        " 1 | 1 + waitng < 10\n"
        "   |     ^^^^^^\n"
        "  hint: did you mean `waiting`?"
    )


def test_caret_rendering_on_a_later_line() -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        dsl.parse("if x > 1\nthen 4\nelse 2 2")
    assert str(info.value) == (
        "<expression>:3:8: error[syntax.missing-operator]: missing operator between `2` and `2`\n"
        " 3 | else 2 2\n"
        "   |        ^\n"
        "  hint: add an operator such as + - * / = and or, or a `,` inside a list"
    )


def test_caret_rendering_of_an_evaluation_error() -> None:
    with pytest.raises(EvaluationError) as info:
        dsl.evaluate("points / visits", {"points": 10, "visits": 0})
    assert str(info.value) == (
        "<expression>:1:1: error[eval.division-by-zero]: division by zero in `points / visits`\n"
        " 1 | points / visits\n"
        "   | ^^^^^^^^^^^^^^^"
    )


def test_caret_rendering_of_a_cell() -> None:
    with pytest.raises(ExpressionSyntaxError) as info:
        dsl.parse_unary_tests("-, 1")
    assert str(info.value).splitlines()[0] == (
        "<cell>:1:1: error[syntax.dash-not-alone]: `-` (anything) must stand alone in a cell"
    )


def test_positions_inside_a_document() -> None:
    """An expression read from a YAML scalar points into the YAML file."""
    doc = Source("guide.yaml", "criteria:\n  score: 1 + + 2\n")
    with pytest.raises(ExpressionSyntaxError) as info:
        dsl.parse("1 + + 2", source=doc, offset=doc.text.index("1 +"))
    err = info.value
    assert str(err.span) == "guide.yaml:2:12"
    assert str(err).splitlines()[1:3] == [" 2 |   score: 1 + + 2", "   |            ^"]


def test_errors_survive_pickling() -> None:
    for run in (
        lambda: dsl.parse("1 +"),
        lambda: dsl.check("zzz", {}),
        lambda: dsl.evaluate("1 / x", {"x": 0}),
    ):
        with pytest.raises(TaqyeemError) as info:
            run()
        copy = pickle.loads(pickle.dumps(info.value))
        assert type(copy) is type(info.value)
        assert copy.diagnostics == info.value.diagnostics
        assert str(copy) == str(info.value)


def test_error_as_data() -> None:
    with pytest.raises(ExpressionTypeError) as info:
        dsl.check("zzz", {"zz": "number"})
    assert info.value.to_dict() == {
        "error": "ExpressionTypeError",
        "diagnostics": [
            {
                "code": "name.unknown",
                "severity": "error",
                "message": "unknown name `zzz`",
                "file": "<expression>",
                "line": 1,
                "col": 1,
                "end_line": 1,
                "end_col": 4,
                "hint": "did you mean `zz`?",
            }
        ],
    }
