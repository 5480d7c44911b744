"""``taqyeem impact OLD NEW EVIDENCE…``: the same centres under two guides, and who
changes tier."""

from __future__ import annotations

import argparse
from typing import Any

from . import _common as c

ORDER = 80
KIND = "impact"
#: The line ``taqyeem --help`` shows for this command.
HELP = "score the same centres under two guides and show who changes tier"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "impact",
        help=HELP,
        description="Score every centre under OLD and NEW (evidence of either edition; inputs a guide "
        "does not read are left out for it) and report old and new total and tier, the change, the "
        "criteria that moved each total most, and the tier transitions. Centres whose tier changes "
        "come first.",
        epilog='example: taqyeem impact 2023 2024 "$(taqyeem examples 2023)" --assume-missing not_applicable; '
        "every assumption used is printed in the report",
    )
    p.add_argument("old", metavar="OLD", help="the earlier guide (an edition or a file)")
    p.add_argument("new", metavar="NEW", help="the later guide (an edition or a file)")
    c.add_evidence(p)
    c.add_format(p, KIND)
    p.add_argument("--top", type=c.count, default=3, help="criteria to name per centre (default 3)")
    p.add_argument("--assume", action="append", metavar="INPUT=VALUE",
                   help="read INPUT as VALUE where the evidence lacks it (the input's evidence form; a checklist "
                   "as its ticked items, e.g. digital_promotion=[staff_refer_to_eservices]); repeatable")
    p.add_argument("--assume-missing", choices=("not_applicable", "lowest"),
                   help="for inputs the evidence lacks that no --assume or past: covers: make the criteria "
                   "reading them not applicable, or give them the lowest points they can attain")
    c.add_output(p)
    c.add_lang(p)


def assumptions(args: argparse.Namespace) -> dict[str, Any]:
    """``--assume INPUT=VALUE`` options as data (each input once)."""
    from ..engine.assume import parse_assumption
    from ..errors import UsageError

    out: dict[str, Any] = {}
    for text in args.assume or []:
        name, value = parse_assumption(text)
        if name in out:
            raise UsageError(f"--assume {name} is given twice", hint="give each input one value")
        out[name] = value
    return out


def run(args: argparse.Namespace) -> int:
    from ..engine.impact import impact
    from ..guide.evidence import load_evidences_either
    from ..present import impact as present
    from ..present.catalogue import text

    assume = assumptions(args)
    old = c.load_guide(args.old)
    new = c.load_guide(args.new)
    with c.progress(None, "loading evidence") as bar:
        loading = bar.add_task("loading evidence", total=None)
        evidences = load_evidences_either(
            args.evidence, (old, new), progress=lambda done, total: bar.update(loading, completed=done, total=total))
        task = bar.add_task("scoring under both guides", total=len(evidences))
        result = impact(old, new, evidences, top=args.top, progress=lambda: bar.advance(task),
                        assume=assume, assume_missing=args.assume_missing)
    c.output(args, KIND, present.ImpactView(old, new, result))
    if result.failures:
        c.say(c.console(stderr=True), text("impact.unscored", args.lang, count=len(result.failures)))
        return c.EXIT_FINDING
    return c.EXIT_OK
