"""``taqyeem diff OLD NEW``: what changed between two editions of the guide, keyed by ids."""

from __future__ import annotations

import argparse

from . import _common as c

ORDER = 70
KIND = "diff"
#: The line ``taqyeem --help`` shows for this command.
HELP = "what changed between two editions of the guide, keyed by ids"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "diff",
        help=HELP,
        description="Compare two guides element by element (inputs, categories, criteria, tiers, "
        "flags, numbers, points, labels): added, removed, moved, reweighted, changed (expressions "
        "compared as trees) and relabelled, with every criterion's effective weight before and after.",
        epilog="example: taqyeem diff 2023 2024 --format markdown -o changes.md; "
        "--format amendments prints the amendments that turn OLD into NEW",
    )
    p.add_argument("old", metavar="OLD", help="the earlier guide (an edition or a file)")
    p.add_argument("new", metavar="NEW", help="the later guide (an edition or a file)")
    c.add_format(p, KIND)
    c.add_output(p)
    c.add_lang(p)


def run(args: argparse.Namespace) -> int:
    from ..engine.diff import diff_guides, diff_to_amendments
    from ..present import diff as present

    old = c.load_guide(args.old)
    new = c.load_guide(args.new)
    c.output(args, KIND, present.Compared(old, new, diff_guides(old, new), lambda: diff_to_amendments(old, new)))
    return c.EXIT_OK
