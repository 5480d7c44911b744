"""The ``taqyeem`` program: the parser built from the command modules, and ``main``."""

from __future__ import annotations

import argparse
import contextlib
import importlib
import os
import sys
from collections.abc import Callable, Iterator, Sequence
from types import ModuleType
from typing import Any

from . import _common as c

__all__ = ["COMMANDS", "build_parser", "main"]


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors get our formatting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        from ..errors import UsageError

        hint = f"run `{self.prog} --help` for usage"
        if "expression" in message and "required" in message:
            hint = "an expression that starts with `-` goes after `--`: taqyeem eval --var x=3 -- '-x'"
        raise UsageError(message, hint=hint)


def _modules() -> list[ModuleType]:
    """The command modules: every public module of this package, in their ``ORDER``."""
    from . import __name__ as package
    from . import __path__ as here

    names = sorted({entry.name[:-3] for folder in here for entry in os.scandir(folder)
                    if entry.name.endswith(".py") and not entry.name.startswith("_")})
    found = [importlib.import_module(f"{package}.{name}") for name in names]
    return sorted(found, key=lambda m: m.ORDER)


class _Commands(dict):  # type: ignore[type-arg]
    """name → the command's ``run``, filled from the command modules when first read."""

    def _fill(self) -> None:
        if dict.__len__(self) == 0:
            for module in _modules():
                dict.__setitem__(self, module.__name__.rsplit(".", 1)[1], module.run)

    def __getitem__(self, key: str) -> Callable[[argparse.Namespace], int]:
        self._fill()
        return dict.__getitem__(self, key)  # type: ignore[no-any-return]

    def __iter__(self) -> Iterator[str]:
        self._fill()
        return dict.__iter__(self)

    def __len__(self) -> int:
        self._fill()
        return dict.__len__(self)


#: Each command's ``run`` by name.
COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = _Commands()


class _CommandChoice(argparse._SubParsersAction):  # type: ignore[type-arg]
    """The COMMAND argument. A command's own parser — its arguments, the formats it
    writes — is built when that command is the one given: ``taqyeem --help`` lists the
    commands from their ``HELP`` alone, and ``taqyeem score`` loads nothing of ``diff``."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        #: name → the command module whose parser is still a placeholder.
        self.pending: dict[str, ModuleType] = {}

    def defer(self, module: ModuleType) -> None:
        """List the command (name and help line); build its parser when it is chosen."""
        name = module.__name__.rsplit(".", 1)[1]
        self.add_parser(name, help=module.HELP)
        self.pending[name] = module

    def build(self, name: str) -> None:
        """The command's real parser in place of its placeholder (once)."""
        module = self.pending.pop(name, None)
        if module is None:
            return
        listed = list(self._choices_actions)
        del self._name_parser_map[name]
        module.add_parser(self)
        self._choices_actions[:] = listed  # its help line is listed once, in its place

    def __call__(self, parser: argparse.ArgumentParser, namespace: argparse.Namespace,
                 values: Any, option_string: str | None = None) -> None:
        if values:
            self.build(values[0])
        super().__call__(parser, namespace, values, option_string)


def build_parser(*, lazy: bool = False) -> argparse.ArgumentParser:
    """The argument parser: the program's options, and each command module's parser
    (with ``lazy``, built only for the command given, when it is parsed)."""
    from .._version import __version__

    parser = _Parser(
        prog="taqyeem",
        description=(
            "Score Bahrain government service centres against the Taqyeem evaluation "
            "guides: deterministic, explainable, replayable."
        ),
        epilog="GUIDE is an edition (2019, 2023, 2024) or a path to a guide YAML file.",
    )
    parser.add_argument("--version", action="version", version=f"taqyeem_rules {__version__}")
    parser.register("action", "parsers", _CommandChoice)
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    assert isinstance(sub, _CommandChoice)
    for module in _modules():
        if lazy:
            sub.defer(module)
        else:
            module.add_parser(sub)
    return parser


def _kind(args: argparse.Namespace) -> str | None:
    module = sys.modules.get(f"{__package__}.{args.command}")
    return getattr(module, "KIND", None)


def _writes_data(args: argparse.Namespace) -> str | None:
    """The data format this command writes to standard output, if it writes one there."""
    from ..present import formatters

    kind, fmt = _kind(args), getattr(args, "format", None)
    if kind is None or fmt is None or not formatters.get(kind, fmt).data:
        return None
    if args.command != "record" and getattr(args, "output", None) not in (None, "-"):
        return None  # written to the -o file
    return str(fmt)


def _check_output(args: argparse.Namespace) -> None:
    """``-o`` is for data: a table for people goes to the terminal."""
    from ..present import formatters

    kind, fmt = _kind(args), getattr(args, "format", None)
    if args.command == "record" or kind is None or fmt is None or not getattr(args, "output", None):
        return
    if not formatters.get(kind, fmt).data:
        from ..errors import UsageError

        raise UsageError(
            "the table is for the terminal: -o needs another --format",
            hint=f"add --format json or markdown (taqyeem {args.command} --help lists them)",
        )


def _check_stdout(args: argparse.Namespace) -> None:
    """Data formats are written in UTF-8, unchanged: when standard output takes another
    encoding, the command stops before anything is written (or computed)."""
    import codecs

    fmt = _writes_data(args)
    encoding = getattr(sys.stdout, "encoding", None)
    if fmt is None or not encoding:
        return
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = encoding
    if name == "utf-8":
        return
    has_output = hasattr(args, "output") and args.command != "record"  # (record's -o is the record)
    from ..errors import UsageError

    raise UsageError(
        f"standard output takes the encoding {encoding}, but {fmt} output is written in UTF-8, "
        "unchanged; nothing was written",
        code="usage.encoding",
        hint=("write it to a file with -o FILE, or " if has_output else "")
        + "set PYTHONIOENCODING=utf-8 (or PYTHONUTF8=1) so that standard output takes UTF-8",
    )


@contextlib.contextmanager
def _lenient_streams() -> Iterator[None]:
    """Text for people degrades instead of failing: a character the terminal's encoding
    cannot show is written as an escape (``\\u0628``). (Data never goes this way.)"""
    changed = []
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a closed or odd stream
                continue
            changed.append(stream)
    try:
        yield
    finally:
        for stream in changed:
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="strict")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    with _lenient_streams():
        return _main(argv)


def _check_text(args: Sequence[str]) -> None:
    """Every argument is text: bytes that are not UTF-8 (which Python keeps as lone
    surrogates) could not be written into a record, a JSON result or a message."""
    for k, arg in enumerate(args, start=1):
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError as exc:
            from ..errors import UsageError

            code = ord(arg[exc.start])
            if 0xDC80 <= code <= 0xDCFF:  # a byte that is not UTF-8, as Python decoded argv
                what = f"byte 0x{code - 0xDC00:02x}"
                shown = arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
            else:
                what = f"a lone surrogate U+{code:04X}"
                shown = arg.encode("utf-8", "backslashreplace").decode("utf-8")
            raise UsageError(
                f"argument {k} ({shown}) is not UTF-8 text: {what} at character {exc.start + 1}",
                hint="give names, cycles and values in UTF-8 (a file whose name is not UTF-8: rename it)",
            ) from None


def _main(argv: Sequence[str] | None) -> int:
    args_given = list(sys.argv[1:] if argv is None else argv)
    if args_given == ["--version"]:  # no parser to build: the version alone
        from .._version import __version__

        sys.stdout.write(f"taqyeem_rules {__version__}\n")
        return c.EXIT_OK
    try:
        _check_text(args_given)
        parser = build_parser(lazy=True)
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help and --version
            return int(exc.code or 0)
        if not args.command:
            parser.print_help()
            return c.EXIT_USAGE
        _check_output(args)
        _check_stdout(args)
        return COMMANDS[args.command](args)
    except Exception as exc:  # the library's errors, imported only when one is raised
        from ..errors import TaqyeemError, UsageError

        if isinstance(exc, UsageError):
            c.say(c.console(stderr=True), exc.render())
            return c.EXIT_USAGE
        if isinstance(exc, TaqyeemError):
            c.say(c.console(stderr=True), exc.render(limit=20))
            return c.EXIT_FINDING
        if isinstance(exc, BrokenPipeError):  # pragma: no cover - e.g. piped into head
            sys.stderr.close()
            return c.EXIT_OK
        raise
    except KeyboardInterrupt:
        c.say(c.console(stderr=True), "interrupted")
        return 130
