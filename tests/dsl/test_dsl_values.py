"""Data-driven value tests: every fixture case through every way of evaluating it.

An expression is evaluated compiled (folded and not), by the reference interpreter
(on the folded and on the parsed tree) and through ``dsl.evaluate``; a decision-table
cell by the interpreter and by generated code (``CodeBuilder.cell``), folded and not.
All must give the fixture's value.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from dsl_cases import Case, case_bindings, load_cases, params, read_value, same_value

from taqyeem_rules import dsl
from taqyeem_rules.dsl import nodes as n
from taqyeem_rules.errors import EvaluationError

VALUE_FILES = ("arithmetic", "logic", "functions", "paths")
VALUE_CASES = [c for name in VALUE_FILES for c in load_cases(name)]
CELL_CASES = load_cases("cells")


def environment(case: Case) -> tuple[dict[str, Any], dict[str, Any], Any]:
    """(declared types, values, tested value) of a case; ``?`` is the tested value."""
    types: dict[str, Any] = {}
    values: dict[str, Any] = {}
    tested: Any = None
    for b in case_bindings(case, case.fields[1:]).values():
        assert b.has_value or b.type, f"{case.id}: variable {b.name} has no type or value"
        declared = dsl.parse_type(b.type) if b.type else dsl.type_of_value(b.value)
        if b.name == "?":
            types["?"], tested = declared, b.value
        elif b.has_value:
            types[b.name], values[b.name] = declared, b.value
        else:  # declared, but no value given
            types[b.name] = declared
    return types, values, tested


def context_options(case: Case) -> dict[str, Any]:
    out: dict[str, Any] = {}
    if case.header("precision"):
        out["precision"] = int(case.header("precision") or 34)
    if case.header("rounding"):
        out["rounding"] = case.header("rounding")
    return out


def outcome(case: Case, run: Callable[[], Any]) -> str | None:
    """None when ``run()`` gives the case's expected value (or error), else what it gave."""
    expected = case.fields[0]
    try:
        got = run()
    except EvaluationError as exc:
        if expected.startswith("!") and exc.code == expected[1:].strip():
            return None
        return f"raised {exc.code}: {exc.message}"
    if expected.startswith("!"):
        return f"gave {got!r}, no error"
    want = read_value(expected)
    return None if same_value(got, want) else f"gave {got!r}, expected {want!r}"


def check_routes(case: Case, routes: dict[str, Callable[[], Any]]) -> None:
    """Every route must give the expected outcome; the message names those that do not."""
    problems = {name: outcome(case, run) for name, run in routes.items()}
    failed = {name: p for name, p in problems.items() if p is not None}
    assert not failed, f"{case.id} expects {case.fields[0]}: " + "; ".join(
        f"{name} {p}" for name, p in failed.items()
    )


# ---- expressions ----------------------------------------------------------------------

def expression_routes(case: Case) -> dict[str, Callable[[], Any]]:
    types, values, _ = environment(case)
    opts = context_options(case)
    text = case.input
    routes: dict[str, Callable[[], Any]] = {
        "compiled": lambda: dsl.compile(text, types, **opts)(values),
        "compiled-unfolded": lambda: dsl.compile(text, types, fold=False, **opts)(values),
        "interpreter-folded": lambda: dsl.compile(text, types, **opts).interpret(values),
        "interpreter": lambda: dsl.compile(text, types, fold=False, **opts).interpret(values),
    }
    if not opts:
        routes["evaluate"] = lambda: dsl.evaluate(text, values, types=types)
    return routes


@pytest.mark.parametrize("case", params(VALUE_CASES))
def test_expression_value(case: Case) -> None:
    check_routes(case, expression_routes(case))


def test_fixture_size() -> None:
    """The issue asks for at least 200 cases covering every construct and built-in."""
    assert len(VALUE_CASES) + len(CELL_CASES) >= 200
    trees = [dsl.parse(c.input) for c in VALUE_CASES]
    trees += [dsl.parse_unary_tests(c.input) for c in CELL_CASES]
    seen = [x for tree in trees for x in n.walk(tree)]
    called = {x.name for x in seen if isinstance(x, n.Call)}
    assert called >= set(dsl.BUILTINS), set(dsl.BUILTINS) - called
    # Every node class the parser can produce (NotTests only exists inside a parse).
    classes = {c for c in vars(n).values() if isinstance(c, type) and issubclass(c, n.Node)}
    missing = classes - {type(x) for x in seen} - {n.Node, n.NotTests}
    assert not missing, missing


# ---- decision-table cells ---------------------------------------------------------------


def compile_cell(node: n.UnaryTests, types: dict[str, Any]) -> Callable[..., Any]:
    """Generated code for a cell, as the engine builds it: ``fn(env, tested)``."""
    tested_type = types.get("?", dsl.ANY)
    variables = {k: v for k, v in types.items() if k != "?"}
    checked = dsl.check_node(node, dsl.Scope.of(variables, tested=tested_type))
    checked.raise_for_errors()
    builder = dsl.CodeBuilder()
    builder.types.update(checked.types)
    may_be_null = tested_type.nullable or tested_type in (dsl.ANY, dsl.NULL)
    result = builder.cell(node, "tested", may_be_null)
    return builder.build("cell", "env, tested", result, dsl.unparse(node))


@pytest.mark.parametrize("case", params(CELL_CASES))
def test_cell_value(case: Case) -> None:
    assert case.header("start") == "unary_tests"
    types, values, tested = environment(case)
    assert "?" in types, f"{case.id}: a cell case needs the tested value `?`"
    node = dsl.parse_unary_tests(case.input)
    check_routes(
        case,
        {
            "interpreter": lambda: dsl.interpret(node, values, tested=tested),
            "interpreter-folded": lambda: dsl.interpret(dsl.fold(node), values, tested=tested),
            "compiled": lambda: compile_cell(node, types)(values, tested),
            "compiled-folded": lambda: compile_cell(dsl.fold(node), types)(values, tested),
        },
    )


# ---- static types -----------------------------------------------------------------------


@pytest.mark.parametrize("case", params(load_cases("types")))
def test_static_type(case: Case) -> None:
    types = {b.name: b.type for b in case_bindings(case).values()}
    assert str(dsl.check(case.input, types)) == case.fields[0]
    # The compiled expression reports the same type (before folding).
    assert str(dsl.compile(case.input, types, fold=False).type) == case.fields[0]


# ---- unparse -----------------------------------------------------------------------------


@pytest.mark.parametrize("case", params(load_cases("unparse")))
def test_unparse(case: Case) -> None:
    start = case.header("start", "expression") or "expression"
    tree = dsl.parse(case.input, start=start)
    canonical = case.fields[0]
    assert dsl.unparse(tree) == canonical
    # The canonical text is a fixed point and means the same tree.
    assert dsl.parse(canonical, start=start) == tree
