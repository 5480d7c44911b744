"""``taqyeem explain GUIDE EVIDENCE…``: how every number of a centre's score arose."""

from __future__ import annotations

import argparse

from . import _common as c

ORDER = 30
KIND = "explain"
#: The line ``taqyeem --help`` shows for this command.
HELP = "show how every number of a centre's score arose"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "explain",
        help=HELP,
        description="Score centres and print, as a tree, the inputs read, the band row matched, "
        "the points, weights and contributions behind every number.",
        epilog='example: taqyeem explain 2024 "$(taqyeem examples 2024)/c01-centre-a.yaml" --lang ar',
    )
    c.add_guide(p)
    c.add_evidence(p)
    c.add_format(p, KIND)
    p.add_argument("--exact", action="store_true",
                   help="show every digit of every number (default: the guide's report precision)")
    c.add_lang(p)


def run(args: argparse.Namespace) -> int:
    from ..engine import score
    from ..guide import load_evidences
    from ..present import explain as present

    guide = c.load_guide(args.guide)
    evidences = load_evidences(args.evidence, guide)
    c.warn_unread(guide, evidences)
    results = [score(guide, ev, trace=True) for ev in evidences]
    c.output(args, KIND, present.Explained(results), exact=args.exact)
    return c.EXIT_OK
