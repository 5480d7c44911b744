"""``taqyeem check GUIDE``: every error and warning of a guide, with file:line:col."""

from __future__ import annotations

import argparse

from . import _common as c

ORDER = 10
KIND = "check"
#: The line ``taqyeem --help`` shows for this command.
HELP = "check a guide: schema, names, types, decision tables, weights, tiers"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "check",
        help=HELP,
        description="Load a guide and report every error and warning with file:line:col.",
        epilog="example: taqyeem check 2024; taqyeem check path/to/guide.yaml --format json",
    )
    c.add_guide(p)
    c.add_format(p, KIND)
    p.add_argument("-q", "--quiet", action="store_true", help="do not show warnings")
    c.add_lang(p)


def run(args: argparse.Namespace) -> int:
    from ..errors import GuideError
    from ..present import check as present

    try:
        guide = c.load_guide(args.guide, check=False)
    except GuideError as exc:
        checked = present.Checked(args.guide, exc.diagnostics, None, args.quiet)
    else:
        checked = present.Checked(args.guide, guide.check().diagnostics, guide, args.quiet)
    c.output(args, KIND, checked)
    return c.EXIT_FINDING if checked.errors else c.EXIT_OK
