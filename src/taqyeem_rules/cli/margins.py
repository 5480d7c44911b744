"""``taqyeem margins GUIDE EVIDENCE…``: how far each centre is from the next tier."""

from __future__ import annotations

import argparse

from . import _common as c

ORDER = 90
KIND = "margins"
#: The line ``taqyeem --help`` shows for this command.
HELP = "how far each centre is from the next tier, and the fewest criteria to get there"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "margins",
        help=HELP,
        description="For each centre: its tier, the next tier (or why it is unreachable), the exact points "
        "the total lacks against the rounded total the tiers read, the gates that bind, the fewest criteria "
        "to raise (each to the lowest value its kind can attain above today) to reach it, and how far the "
        "total can fall and keep the current tier. Criteria are treated as independent.",
        epilog='example: taqyeem margins 2023 "$(taqyeem examples 2023)" --format markdown',
    )
    c.add_guide(p)
    c.add_evidence(p)
    c.add_format(p, KIND)
    c.add_output(p)
    c.add_lang(p)


def run(args: argparse.Namespace) -> int:
    from ..engine.margins import margins
    from ..guide import load_evidences
    from ..present import margins as present

    guide = c.load_guide(args.guide)
    evidences = load_evidences(args.evidence, guide)
    with c.progress(len(evidences), "margins") as bar:
        task = bar.add_task("margins", total=len(evidences))
        result = margins(guide, evidences, progress=lambda: bar.advance(task))
    c.output(args, KIND, present.MarginsView(guide, result))
    return c.EXIT_FINDING if result.failures else c.EXIT_OK
