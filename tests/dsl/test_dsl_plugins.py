"""Plugin functions: the decorator, private registries, entry points."""

from __future__ import annotations

import decimal
import importlib.metadata
import sys
import types
from decimal import Decimal
from typing import Any

import pytest

from shared import MINI_YAML
from taqyeem_rules import dsl
from taqyeem_rules.dsl import nodes as n
from taqyeem_rules.dsl.plugins import ENTRY_POINT_GROUP
from taqyeem_rules.errors import EvaluationError, ExpressionTypeError, PluginError


@pytest.fixture
def registry() -> dsl.FunctionRegistry:
    """A private registry with one plugin, `bonus(points, cap)`."""
    reg = dsl.FunctionRegistry(entry_points=False)

    @dsl.function("bonus", params=["number", "number"], returns="number", version="1.2", registry=reg)
    def bonus(points: Decimal, cap: Decimal) -> Decimal:
        """Twice the points, at most `cap`."""
        return min(points * 2, cap)

    return reg


def test_the_decorator_returns_the_function_unchanged() -> None:
    reg = dsl.FunctionRegistry(entry_points=False)

    @dsl.function("twice", params=["number"], registry=reg)
    def twice(x: Decimal) -> Decimal:
        return x * 2

    assert twice(Decimal(4)) == 8
    assert twice.__taqyeem_function__ is reg.get("twice")  # type: ignore[attr-defined]


def test_a_plugin_is_called_by_compiled_code(registry: dsl.FunctionRegistry) -> None:
    compiled = dsl.compile("bonus(x, 5) + 1", {"x": "number"}, functions=registry)
    assert compiled({"x": Decimal(2)}) == 5
    assert compiled({"x": Decimal(3)}) == 6
    assert compiled.interpret({"x": Decimal(2)}) == 5
    assert "_f_bonus" in compiled.python_source
    (plugin,) = compiled.plugins
    assert (plugin.name, plugin.version, plugin.is_plugin) == ("bonus", "1.2", True)
    assert plugin.doc == "Twice the points, at most `cap`."


def test_a_plugin_is_type_checked_like_a_builtin(registry: dsl.FunctionRegistry) -> None:
    with pytest.raises(ExpressionTypeError) as info:
        dsl.check('bonus("a", 5)', {}, functions=registry)
    err = info.value
    assert err.code == "type.call"
    assert err.message == "bonus() cannot take (string, number)"
    assert err.hint == "it takes bonus(number, number) -> number"
    with pytest.raises(ExpressionTypeError, match=r"bonus\(\) cannot take \(number\)"):
        dsl.check("bonus(1)", {}, functions=registry)
    # Its declared result type is used like a built-in's.
    with pytest.raises(ExpressionTypeError) as info:
        dsl.check('bonus(1, 2) + "a"', {}, functions=registry)
    assert info.value.code == "type.mismatch"
    assert str(dsl.check("bonus(x, 2)", {"x": "number?"}, functions=registry)) == "number?"


def test_a_private_registry_stays_private(registry: dsl.FunctionRegistry) -> None:
    with pytest.raises(ExpressionTypeError) as info:
        dsl.check("bonus(1, 2)", {})
    assert info.value.code == "name.unknown-function"


def test_a_plugin_is_not_called_with_null(registry: dsl.FunctionRegistry) -> None:
    compiled = dsl.compile("bonus(x, 5)", {"x": "number?"}, functions=registry)
    assert compiled({"x": None}) is None


def test_plugin_calls_are_not_folded(registry: dsl.FunctionRegistry) -> None:
    """Only built-ins are known to be pure; a plugin runs when the expression runs."""
    folded = dsl.fold(dsl.parse("bonus(1, 2) + (1 + 1)"), functions=registry)
    assert folded == n.BinOp("+", n.Call("bonus", (n.Num(Decimal(1)), n.Num(Decimal(2)))), n.Num(Decimal(2)))


def test_a_float_result_is_refused() -> None:
    reg = dsl.FunctionRegistry(entry_points=False)

    @dsl.function("ratio", params=["number"], registry=reg)
    def ratio(x: Decimal) -> float:
        return float(x) / 3

    for run in (
        lambda: dsl.compile("1 + ratio(x)", {"x": "number"}, functions=reg)({"x": Decimal(1)}),
        lambda: dsl.compile("1 + ratio(x)", {"x": "number"}, functions=reg).interpret({"x": Decimal(1)}),
    ):
        with pytest.raises(PluginError) as info:
            run()
        err = info.value
        assert not isinstance(err, EvaluationError)
        assert err.code == "plugin.result-type"
        assert "ratio() returned a float" in err.message
        assert err.hint == "build numbers with decimal.Decimal, never float"
        # Both paths point at the call.
        assert (err.span.line, err.span.col, err.span.end_col) == (1, 5, 13)


@pytest.mark.parametrize(
    ("value", "words"),
    [([Decimal(1), 1.5], "[1] is a float"), (Decimal("NaN"), "not a finite number"), ([Decimal("Infinity")], "not a finite number")],
)
def test_a_float_or_non_finite_number_inside_the_result_is_refused(value: object, words: str) -> None:
    reg = dsl.FunctionRegistry(entry_points=False)
    dsl.function("odd", returns="list<number>" if isinstance(value, list) else "number", registry=reg)(lambda: value)
    with pytest.raises(PluginError) as info:
        dsl.compile("odd()", functions=reg)()
    assert info.value.code == "plugin.result-type"
    assert "odd() returned an invalid value" in info.value.message and words in info.value.message


def test_an_int_result_becomes_a_decimal() -> None:
    reg = dsl.FunctionRegistry(entry_points=False)
    dsl.function("seven", registry=reg)(lambda: 7)
    value = dsl.compile("seven()", functions=reg)()
    assert type(value) is Decimal and value == 7


def test_a_failing_plugin_is_named() -> None:
    reg = dsl.FunctionRegistry(entry_points=False)

    @dsl.function("boom", params=["number"], registry=reg)
    def boom(x: Decimal) -> Decimal:
        raise KeyError("missing table")

    with pytest.raises(PluginError) as info:
        dsl.compile("boom(1)", functions=reg)()
    assert info.value.code == "plugin.failed"
    assert "boom() failed: KeyError" in info.value.message


def test_a_plugin_computes_in_the_expression_context() -> None:
    """The caller's thread context (here 5 digits) does not change a plugin's result."""
    reg = dsl.FunctionRegistry(entry_points=False)

    @dsl.function("third", params=["number"], registry=reg)
    def third(x: Decimal) -> Decimal:
        return x / 3

    compiled = dsl.compile("third(1)", functions=reg)
    with decimal.localcontext(decimal.Context(prec=5)):
        assert compiled() == Decimal("0.3333333333333333333333333333333333")


def test_a_builtin_cannot_be_replaced() -> None:
    reg = dsl.FunctionRegistry(entry_points=False)
    with pytest.raises(PluginError) as info:

        @dsl.function("sum", params=["number"], registry=reg)
        def my_sum(x: Decimal) -> Decimal:
            return x

    assert info.value.code == "plugin.shadows-builtin"
    with pytest.raises(PluginError) as info:
        reg.register(dsl.make_function("round_half_up", lambda x: x, params=["number"]))
    assert info.value.code == "plugin.shadows-builtin"
    with pytest.raises(PluginError):
        reg.unregister("sum")
    assert reg.get("sum") is dsl.BUILTINS["sum"]


def test_a_second_registration_needs_replace(registry: dsl.FunctionRegistry) -> None:
    other = dsl.make_function("bonus", lambda p, c: p, params=["number", "number"])
    with pytest.raises(PluginError) as info:
        registry.register(other)
    assert info.value.code == "plugin.duplicate"
    registry.register(other, replace=True)
    assert dsl.compile("bonus(3, 10)", functions=registry)() == 3
    registry.unregister("bonus")
    assert "bonus" not in registry


@pytest.mark.parametrize("name", ["not a name", "1st", ""])
def test_a_plugin_name_must_be_an_identifier(name: str) -> None:
    with pytest.raises(PluginError) as info:
        dsl.make_function(name, lambda: 1)
    assert info.value.code == "plugin.name"


# ---- entry points --------------------------------------------------------------------


def _triple(x: Decimal) -> Decimal:
    return x * 3


@pytest.fixture
def entry_points(monkeypatch: pytest.MonkeyPatch) -> list[importlib.metadata.EntryPoint]:
    """Fake installed distributions: a module with a plugin, and the entry points."""
    module = types.ModuleType("taqyeem_test_plugins")
    module.triple = dsl.function("triple", params=["number"], register=False)(_triple)  # type: ignore[attr-defined]
    module.not_a_function = 42  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "taqyeem_test_plugins", module)
    eps = [
        importlib.metadata.EntryPoint("triple", "taqyeem_test_plugins:triple", ENTRY_POINT_GROUP),
        importlib.metadata.EntryPoint("broken", "taqyeem_no_such_module:fn", ENTRY_POINT_GROUP),
        importlib.metadata.EntryPoint("odd", "taqyeem_test_plugins:not_a_function", ENTRY_POINT_GROUP),
    ]

    def fake(**kwargs: Any) -> list[importlib.metadata.EntryPoint]:
        return eps if kwargs.get("group") == ENTRY_POINT_GROUP else []

    monkeypatch.setattr(importlib.metadata, "entry_points", fake)
    return eps


def test_entry_points_load_lazily_by_name(entry_points: list[Any]) -> None:
    reg = dsl.FunctionRegistry()
    assert {"triple", "broken", "odd"} <= set(reg.names())
    assert "triple" in reg
    # A broken plugin stops only the expressions that call it.
    assert dsl.compile("1 + 1", functions=reg)() == 2
    compiled = dsl.compile("triple(x) + 1", {"x": "number"}, functions=reg)
    assert compiled({"x": Decimal(2)}) == 7
    (plugin,) = compiled.plugins
    assert (plugin.name, plugin.plugin, plugin.version) == ("triple", "taqyeem_test_plugins", "0")
    with pytest.raises(ExpressionTypeError) as info:
        dsl.check('triple("a")', {}, functions=reg)
    assert info.value.code == "type.call"


def test_a_broken_entry_point_is_a_plugin_error(entry_points: list[Any]) -> None:
    reg = dsl.FunctionRegistry()
    with pytest.raises(PluginError) as info:
        dsl.compile("broken(1)", functions=reg)
    assert info.value.code == "plugin.load"
    assert "cannot load the plugin function broken()" in info.value.message
    with pytest.raises(PluginError) as info:
        dsl.compile("odd(1)", functions=reg)
    assert info.value.code == "plugin.load"
    assert info.value.message == (
        "entry point odd = taqyeem_test_plugins:not_a_function is not a taqyeem function"
    )


def test_entry_points_can_be_switched_off(entry_points: list[Any]) -> None:
    reg = dsl.FunctionRegistry(entry_points=False)
    assert "triple" not in reg
    with pytest.raises(ExpressionTypeError):
        dsl.compile("triple(1)", functions=reg)


def test_a_broken_plugin_in_a_guide_is_a_diagnostic_at_its_call(
    entry_points: list[Any], tmp_path: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`taqyeem check` collects every problem: a plugin that cannot be loaded is one of
    them, at the expression that calls it, and the other diagnostics are not lost."""

    from taqyeem_rules import load_guide
    from taqyeem_rules.dsl import plugins
    from taqyeem_rules.errors import GuideError

    monkeypatch.setattr(plugins, "_DEFAULT", dsl.FunctionRegistry())  # sees the fake plugins

    text = MINI_YAML.read_text(encoding="utf-8")
    old = 'score: "round_half_up(reply_within_deadline / 25, 0)"'
    assert text.count(old) == 1
    text = text.replace(old, 'score: "broken(reply_within_deadline)"')
    text = text.replace("checked(facilities)", "checked(facilitiez)")  # another problem
    (tmp_path / "guide.yaml").write_text(text, encoding="utf-8")
    with pytest.raises(GuideError) as info:
        load_guide(tmp_path / "guide.yaml")
    codes = {d.code for d in info.value.diagnostics}
    assert {"plugin.load", "name.unknown"} <= codes
    (load,) = [d for d in info.value.diagnostics if d.code == "plugin.load"]
    assert load.span is not None and load.span.line == text[: text.index("broken(")].count("\n") + 1
