"""``taqyeem examples EDITION``: the folder of an edition's bundled example evidence."""

from __future__ import annotations

import argparse

from . import _common as c

ORDER = 110
KIND = None
#: The line ``taqyeem --help`` shows for this command.
HELP = "print the folder of an edition's bundled example evidence (or copy it)"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "examples",
        help=HELP,
        description="Print the path of the example centres' evidence bundled with an edition, "
        "so they can be scored from any install; with --copy DIR, copy them into DIR (created "
        "if need be; nothing is overwritten) and print DIR.",
        epilog='example: taqyeem score 2024 "$(taqyeem examples 2024)"; '
        "taqyeem examples 2024 --copy my-centres",
    )
    p.add_argument("edition", metavar="EDITION", help="a bundled edition (2019, 2023, 2024)")
    p.add_argument("--copy", metavar="DIR", help="copy the example files into DIR and print DIR")


def run(args: argparse.Namespace) -> int:
    """The folder of an edition's bundled example evidence (inside the installed package),
    or a copy of it in DIR; the path is printed alone, for `$(taqyeem examples 2024)`."""
    from pathlib import Path

    from ..errors import GuideError, TaqyeemError, UsageError
    from ..guide.loader import bundled_examples

    try:
        folder = bundled_examples(args.edition)
    except GuideError as exc:
        raise UsageError(exc.message, hint=exc.hint) from None
    files = sorted(
        f for f in folder.iterdir() if f.is_file() and f.suffix.lower() in (".yaml", ".yml", ".json", ".csv")
    )
    out = c.console()
    if args.copy is None:
        out.print(str(folder), markup=False)
        return c.EXIT_OK
    target = Path(args.copy)
    if target.exists() and not target.is_dir():
        raise UsageError(f"--copy {target}: this is a file, not a folder",
                         hint="give a folder to copy the examples into (it is created if need be)")
    there = [f.name for f in files if (target / f.name).exists()]
    if there:
        shown = ", ".join(there[:3]) + (f" and {len(there) - 3} more" if len(there) > 3 else "")
        raise UsageError(f"--copy {target}: {shown} already there; nothing was copied",
                         hint="copy into a new or empty folder, or remove those files first")
    from .._io import atomic_write

    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TaqyeemError(f"--copy {target}: cannot create the folder: {exc.strerror or exc}",
                           code="io.folder", hint="choose a folder you can write in") from None
    for f in files:
        atomic_write(target / f.name, f.read_bytes())
    out.print(str(target), markup=False)
    return c.EXIT_OK
