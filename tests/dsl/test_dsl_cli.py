"""`taqyeem eval`: value and type printed; exit 0 ok, 1 a bad expression, 2 bad usage."""

from __future__ import annotations

import json

import pytest

from shared import Cli


@pytest.mark.parametrize(
    ("argv", "lines"),
    [
        (["x * 2", "--var", "x=1.5"], ["3.0", "number (static type number)"]),
        (["0.1 + 0.2 = 0.3"], ["true", "boolean (static type boolean)"]),
        (["1 / 3 * 3"], ["0.9999999999999999999999999999999999", "number (static type number)"]),
        (
            ["round_half_up(mean(w), 1)", "--var", "w=[4, 7, 9]"],
            ["6.7", "number (static type number?)"],
        ),
        (['"a" + s', "--var", 's="b"'], ['"ab"', "string (static type string)"]),
        (["n + 1", "--var", "n=null", "--type", "n=number?"], ["null", "null (static type number?)"]),
        (["[x, x + 1]", "--var", "x=1"], ["[1, 2]", "list<number> (static type list<number>)"]),
        (
            ["x between lo and hi", "--var", "x=5", "--var", "lo=1", "--var", "hi=10"],
            ["true", "boolean (static type boolean)"],
        ),
    ],
)
def test_eval_prints_value_and_type(
    cli: Cli, argv: list[str], lines: list[str]
) -> None:
    code, out, err = cli("eval", *argv)
    assert (code, err) == (0, "")
    assert out.splitlines() == lines


def test_eval_json(cli: Cli) -> None:
    code, out, _ = cli("eval", "x * 2", "--var", "x=1.5", "--format", "json")
    assert code == 0
    assert json.loads(out) == {"value": "3.0", "type": "number", "static_type": "number"}


@pytest.mark.parametrize(
    ("argv", "code_in_message"),
    [
        (["1 +"], "error[syntax.missing-right-operand]"),
        (["x + 1"], "error[name.unknown]"),
        (['1 + "a"'], "error[type.mismatch]"),
        (["1 / x", "--var", "x=0"], "error[eval.division-by-zero]"),
        (["sqrt(-1)"], "error[eval.domain]"),
    ],
)
def test_a_bad_expression_exits_1(
    cli: Cli, argv: list[str], code_in_message: str
) -> None:
    code, out, err = cli("eval", *argv)
    assert code == 1
    assert out == ""
    assert code_in_message in err
    assert err.startswith("<expression>:1:")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["x * 2", "--var", "x=abc"], "--var x: the value 'abc' is not a FEEL literal"),
        (["x * 2", "--var", "x"], "--var 'x': expected NAME=VALUE"),
        (["x * 2", "--var", "2x=1"], "--var '2x=1': expected NAME=VALUE"),
        (["x * 2", "--var", "x=1.5.5"], "--var x: the value '1.5.5' is not a FEEL literal"),
        (["x", "--type", "x"], "--type 'x': expected NAME=TYPE"),
        (["x", "--format", "yaml"], "invalid choice: 'yaml'"),
    ],
)
def test_bad_usage_exits_2(cli: Cli, argv: list[str], message: str) -> None:
    code, out, err = cli("eval", *argv)
    assert code == 2
    assert out == ""
    assert message in err


def test_eval_without_an_expression_is_bad_usage(cli: Cli) -> None:
    code, _, err = cli("eval")
    assert code == 2
    assert "expression" in err
