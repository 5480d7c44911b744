"""``taqyeem record GUIDE EVIDENCE… --cycle NAME -o FILE``: a cycle's self-contained,
fingerprinted record."""

from __future__ import annotations

import argparse

from . import _common as c

ORDER = 50
KIND = "record"
#: The line ``taqyeem --help`` shows for this command.
HELP = "score a cycle's centres and write its self-contained, fingerprinted record"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "record",
        help=HELP,
        description="Score every centre and write one JSON record holding the guide, every "
        "centre's evidence and result, the engine and plugin versions and their fingerprints. "
        "The same inputs give a byte-identical record on any machine.",
        epilog='example: taqyeem record 2024 "$(taqyeem examples 2024)" --cycle "Taqyeem 5" -o cycle.json',
    )
    c.add_guide(p)
    c.add_evidence(p)
    p.add_argument("--cycle", required=True, help='the cycle\'s name, e.g. "Taqyeem 5"')
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="the record to write (atomically)")
    c.add_format(p, KIND, help="how to print the summary")
    c.add_lang(p)


def run(args: argparse.Namespace) -> int:
    from ..engine import record_cycle
    from ..guide import load_evidences
    from ..present import record as present

    guide = c.load_guide(args.guide)
    evidences = load_evidences(args.evidence, guide)
    c.warn_unread(guide, evidences)
    with c.progress(len(evidences), "recording") as bar:
        task = bar.add_task("recording", total=len(evidences))
        rec = record_cycle(guide, evidences, cycle=args.cycle, path=args.output,
                           progress=lambda done, total: bar.update(task, completed=done))
    summary = argparse.Namespace(**{**vars(args), "output": None})  # -o was the record: the summary is printed
    c.output(summary, KIND, present.Recorded(guide, evidences, rec))
    return c.EXIT_OK
