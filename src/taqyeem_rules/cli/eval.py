"""``taqyeem eval EXPRESSION``: one expression of the scoring language, evaluated."""

from __future__ import annotations

import argparse
from typing import Any

from . import _common as c

ORDER = 140
KIND = "eval"
#: The line ``taqyeem --help`` shows for this command.
HELP = "evaluate one expression of the scoring language"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "eval",
        help=HELP,
        description="Evaluate an expression and print its value and type.",
        epilog='example: taqyeem eval "round_half_up(mean(w), 1)" --var w="[4, 7, 9]"',
    )
    p.add_argument("expression", help="a FEEL expression, e.g. \"x between 1 and 10\"")
    p.add_argument("--var", action="append", metavar="NAME=VALUE", help="a variable (FEEL literal); repeatable")
    p.add_argument("--type", action="append", metavar="NAME=TYPE", help="declare a variable's type, e.g. x='number?'")
    c.add_format(p, KIND)
    c.add_lang(p)


def parse_var(text: str) -> tuple[str, Any]:
    from .. import dsl
    from ..errors import TaqyeemError, UsageError

    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise UsageError(
            f"--var {text!r}: expected NAME=VALUE",
            hint="for example --var waiting_minutes=12 --var items='[1, 2]'",
        )
    try:
        return name, dsl.evaluate(value)
    except TaqyeemError as exc:
        raise UsageError(
            f"--var {name}: the value {value!r} is not a FEEL literal ({exc.message})",
            hint='write a number, "a string" in double quotes, true, false, null or a list like [1, 2]',
        ) from None


def run(args: argparse.Namespace) -> int:
    from .. import dsl
    from ..errors import UsageError
    from ..present import eval as present

    variables = dict(parse_var(v) for v in args.var or [])
    types = {}
    for t in args.type or []:
        name, sep, written = t.partition("=")
        if not sep:
            raise UsageError(f"--type {t!r}: expected NAME=TYPE", hint="for example --type x='number?'")
        types[name.strip()] = written.strip()
    value = dsl.evaluate(args.expression, variables, types=types or None)
    declared = {k: dsl.type_of_value(v) for k, v in variables.items()}
    declared.update({k: dsl.parse_type(v) for k, v in types.items()})
    static = dsl.check(args.expression, declared)
    c.output(args, KIND, present.Evaluated(value, dsl.feel_type_name(value), str(static)))
    return c.EXIT_OK
