"""What every command shares: the consoles, the one place output is written (data byte
for byte to standard output or ``-o``; people's parts through rich), progress bars, the
guide and evidence arguments, and the argparse types."""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ..errors import TaqyeemError, UsageError

__all__ = ["EXIT_FINDING", "EXIT_OK", "EXIT_USAGE", "console", "output", "progress", "say"]

EXIT_OK, EXIT_FINDING, EXIT_USAGE = 0, 1, 2


def console(stderr: bool = False) -> Any:
    """A console for people: never reads text as emoji codes (``:100:``) or highlights it;
    user text reaches it only as rich Text made by :mod:`taqyeem_rules.present` (never
    as markup)."""
    from rich.console import Console

    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


def say(out: Any, *pieces: Any) -> None:
    """One line of text for people (pieces as :func:`taqyeem_rules.present.lines.line`)."""
    from ..present.lines import line

    out.print(line(*pieces))


def write_data(text: str) -> None:
    """Data (JSON, CSV, Markdown, YAML) on standard output: the same bytes as ``-o``
    writes, never through the terminal library. (That standard output takes UTF-8 was
    checked before the command ran.)"""
    from .._io import data_bytes

    payload = data_bytes(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # pragma: no cover - a text-only stream (checked to be UTF-8)
        sys.stdout.write(payload.decode("utf-8"))
    else:
        buffer.write(payload)
        buffer.flush()


def emit(args: argparse.Namespace, text: str) -> None:
    """Data to ``-o FILE`` (atomically; a line on standard error says what was written)
    or to standard output: the same bytes either way."""
    if getattr(args, "output", None) not in (None, "-"):  # `-o -`: the terminal, as usual
        from .._io import atomic_write, data_bytes
        from ..present.catalogue import text as words

        payload = text if text.endswith("\n") else text + "\n"
        atomic_write(args.output, payload)
        size = len(data_bytes(payload))
        console(stderr=True).print(words("common.wrote", getattr(args, "lang", "en"), path=args.output,
                                         size=f"{size:,}"), markup=False, highlight=False)
    else:
        write_data(text)


def stream(args: argparse.Namespace, kind: str, guide: Any, results: Any) -> None:
    """Results written as they come, by a formatter that streams (``-o FILE``: into a
    temporary file that replaces FILE only once complete; else straight to standard
    output) — the same bytes either way, and the same as the formatter writes whole."""
    from .._io import atomic_output, data_bytes
    from ..present import formatters

    fmt = formatters.get(kind, args.format)
    # (a streaming formatter writes data: the terminal library is not loaded for it)
    options = formatters.Options(lang=getattr(args, "lang", "en"), terminal=False)
    pieces = fmt.stream(guide, results, options)
    if getattr(args, "output", None) not in (None, "-"):
        from ..present.catalogue import text as words

        size = 0
        with atomic_output(args.output, folder_code="io.folder") as handle:
            for piece in pieces:
                payload = data_bytes(piece)
                handle.write(payload)
                size += len(payload)
        console(stderr=True).print(words("common.wrote", getattr(args, "lang", "en"), path=args.output,
                                         size=f"{size:,}"), markup=False, highlight=False)
        return
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    for piece in pieces:
        if buffer is None:  # pragma: no cover - a text-only stream (checked to be UTF-8)
            sys.stdout.write(piece)
        else:
            buffer.write(data_bytes(piece))
    sys.stdout.flush()


def show(parts: list[Any]) -> None:
    """People's parts (see :mod:`taqyeem_rules.present.formatters`) on the terminal."""
    from ..present.formatters import Plain, ToStderr, Wrapped

    out, err = console(), None
    for part in parts:
        target = out
        if isinstance(part, ToStderr):
            err = err or console(stderr=True)
            target, part = err, part.part
        if isinstance(part, Plain):
            target.file.write(part.text + "\n")
        elif isinstance(part, Wrapped):
            target.print(part.renderable, soft_wrap=False)
        else:
            target.print(part)


def output(args: argparse.Namespace, kind: str, subject: Any, **settings: Any) -> None:
    """Format ``subject`` (a result of type ``kind``) as ``--format`` asks — the
    formatter is chosen once, here — and write it."""
    from ..present import formatters

    fmt = formatters.get(kind, args.format)
    # (data never goes through the terminal library: it is not loaded for it)
    terminal = False if fmt.data else console().is_terminal
    options = formatters.Options(lang=getattr(args, "lang", "en"), terminal=terminal,
                                 settings=tuple(sorted(settings.items())))
    rendered = fmt.render(subject, options)
    if fmt.data:
        emit(args, rendered)
    else:
        show(rendered)


class _NoProgress:
    """The progress bar where none is shown (no terminal, or one item): it does nothing,
    and loads nothing."""

    def __enter__(self) -> _NoProgress:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def add_task(self, description: str, total: float | None = None, **fields: Any) -> int:
        return 0

    def advance(self, task: int, advance: float = 1) -> None:
        return None

    def update(self, task: int, **fields: Any) -> None:
        return None


#: Environment variables by which rich treats standard error as a terminal although it
#: is not one (a progress bar may then show).
_TERMINAL_ANYWAY = ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")


def progress(total: int | None, description: str = "") -> Any:
    """A transient progress bar on stderr, shown only on a terminal and for real work
    (``total`` None: not known yet, set later)."""
    import os

    if (total is not None and total < 2) or (
        not _isatty(sys.stderr) and not any(os.environ.get(v) is not None for v in _TERMINAL_ANYWAY)
    ):
        return _NoProgress()
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    err = console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        transient=True,
        disable=not err.is_terminal or (total is not None and total < 2),
    )


def _isatty(stream: Any) -> bool:
    try:
        return bool(stream.isatty())
    except (AttributeError, ValueError, OSError):
        return False


def load_guide(spec: str, *, check: bool = True) -> Any:
    from ..guide import load_guide as load

    return load(spec, check=check)


def warn_unread(guide: Any, evidences: list[Any]) -> None:
    """Warn (on stderr) about inputs given that the guide declares but no criterion reads."""
    from ..guide.evidence import unread_given

    err = None
    for ev in evidences:
        for d in unread_given(ev, guide):
            err = err or console(stderr=True)
            err.print(d.render(), markup=False)
            err.print()


def failures(errors: list[TaqyeemError], message: str) -> None:
    """Each error with its position (stderr), then ``message``."""
    if not errors:
        return
    err = console(stderr=True)
    for f in errors:
        say(err, f.render())
        err.print()
    say(err, message)


# ---- arguments ----------------------------------------------------------------------------


def formats_of(kind: str) -> tuple[str, ...]:
    """The ``--format`` choices of a result type (its formatters, registered by
    :mod:`taqyeem_rules.present`; the first is the default)."""
    from ..present import formatters

    return formatters.formats(kind)


def add_format(p: argparse.ArgumentParser, kind: str, **kwargs: Any) -> None:
    from ..present import formatters

    choices = formats_of(kind)
    if "help" not in kwargs:
        is_data = {f: formatters.get(kind, f).data for f in choices}
        people = [f for f in choices if not is_data[f]]
        data = [f for f in choices if is_data[f]]
        parts = [f"{', '.join(people)} for people"] if people else []
        if data:
            parts.append(f"{', '.join(data)} as data (plain text: the same bytes on the terminal as in -o)")
        kwargs["help"] = f"{'; '.join(parts)} (default {choices[0]})"
    p.add_argument("--format", choices=choices, default=choices[0], **kwargs)


def add_lang(p: argparse.ArgumentParser) -> None:
    p.add_argument("--lang", choices=("en", "ar"), default="en", help="language of labels (default en)")


def add_guide(p: argparse.ArgumentParser) -> None:
    p.add_argument("guide", metavar="GUIDE", help="an edition (2019, 2023, 2024) or a guide file")


def add_evidence(p: argparse.ArgumentParser) -> None:
    p.add_argument("evidence", metavar="EVIDENCE", nargs="+", help="evidence files (.yaml, .json, .csv, .jsonl) or folders")


def add_output(p: argparse.ArgumentParser) -> None:
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of the terminal")


def count(text: str) -> int:
    """A whole number, 0 or more (an argparse type)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, not {text!r}")
    return value


def at_least_one(text: str) -> int:
    """A whole number, 1 or more (an argparse type)."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        raise argparse.ArgumentTypeError(f"expected a whole number, 1 or more, not {text!r}")
    return value


def whole(text: str) -> int:
    """A whole number (an argparse type; the range is checked by the analysis)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None


def percent(text: str) -> Decimal:
    """A percentage, 0 to 100 (an argparse type)."""
    from ..dsl.numbers import NumberTextError, read_number

    try:
        value = read_number(text.strip())
    except NumberTextError:
        value = None
    if value is None or not 0 <= value <= 100:
        raise argparse.ArgumentTypeError(f"expected a percentage from 0 to 100, not {text!r}")
    return value


def usage(message: str, hint: str) -> UsageError:
    from ..errors import UsageError

    return UsageError(message, hint=hint)
