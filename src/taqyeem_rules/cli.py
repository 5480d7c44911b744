"""The ``taqyeem`` command line: a rich front end that only formats what the core returns.

Exit codes: 0 success, 1 a finding (invalid guide or expression, failed replay),
2 bad usage. A user's mistake never ends in a Python traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console

from . import __version__
from .errors import TaqyeemError, UsageError

__all__ = ["main"]

EXIT_OK, EXIT_FINDING, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors get our formatting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message, hint=f"run `{self.prog} --help` for usage")


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        from .dsl.nodes import format_number

        return format_number(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(data: Any) -> str:
    """JSON as every command prints it: sorted keys, decimals as strings, UTF-8 kept."""
    return json.dumps(data, default=_json_default, ensure_ascii=False, indent=2, sort_keys=True)


# ---- eval --------------------------------------------------------------------------


def _parse_var(text: str) -> tuple[str, Any]:
    from . import dsl

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


def _show_value(value: Any) -> str:
    from .dsl.nodes import format_number

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_show_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def cmd_eval(args: argparse.Namespace) -> int:
    from . import dsl

    variables = dict(_parse_var(v) for v in args.var or [])
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
    if args.format == "json":
        _console().print(
            dumps({"value": value, "type": dsl.feel_type_name(value), "static_type": str(static)}),
            markup=False,
        )
    else:
        out = _console()
        out.print(f"{_show_value(value)}", markup=False)
        out.print(f"[dim]{dsl.feel_type_name(value)} (static type {static})[/dim]")
    return EXIT_OK


# ---- the parser -----------------------------------------------------------------------

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "eval": cmd_eval,
}


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="taqyeem",
        description=(
            "Score Bahrain government service centres against the Taqyeem evaluation "
            "guides: deterministic, explainable, replayable."
        ),
        epilog="GUIDE is an edition (2019, 2023, 2024) or a path to a guide YAML file.",
    )
    parser.add_argument("--version", action="version", version=f"taqyeem_rules {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    p = sub.add_parser(
        "eval",
        help="evaluate one expression of the scoring language",
        description="Evaluate an expression and print its value and type.",
        epilog='example: taqyeem eval "round_half_up(mean(w), 1)" --var w="[4, 7, 9]"',
    )
    p.add_argument("expression", help="a FEEL expression, e.g. \"x between 1 and 10\"")
    p.add_argument("--var", action="append", metavar="NAME=VALUE", help="a variable (FEEL literal); repeatable")
    p.add_argument("--type", action="append", metavar="NAME=TYPE", help="declare a variable's type, e.g. x='number?'")
    p.add_argument("--format", choices=("table", "json"), default="table")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    err = _console(stderr=True)
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        if not args.command:
            parser.print_help()
            return EXIT_USAGE
        return COMMANDS[args.command](args)
    except UsageError as exc:
        err.print(exc.render(), markup=False)
        return EXIT_USAGE
    except TaqyeemError as exc:
        err.print(exc.render(limit=20), markup=False)
        return EXIT_FINDING
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        sys.stderr.close()
        return EXIT_OK
