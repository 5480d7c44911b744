"""``taqyeem replay RECORD``: verify a cycle record and re-score every centre in it."""

from __future__ import annotations

import argparse

from . import _common as c

ORDER = 60
KIND = "replay"
#: The line ``taqyeem --help`` shows for this command.
HELP = "verify a cycle record and re-score every centre in it"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "replay",
        help=HELP,
        description="Check every fingerprint in a cycle record, re-score every centre with the guide "
        "the record holds (not the current files) and compare every number. Exit 0 when everything "
        "matches, 1 when anything differs or the record was altered.",
        epilog="example: taqyeem replay cycle.json --fingerprint 757fa2c2…",
    )
    p.add_argument("record", metavar="RECORD", help="a record written by `taqyeem record`")
    c.add_format(p, KIND)
    p.add_argument("--fingerprint", metavar="SHA256", help="the record fingerprint published when the cycle closed")
    p.add_argument("--limit", type=c.count, default=50, help="differences to show in the table (default 50)")
    c.add_lang(p)


def run(args: argparse.Namespace) -> int:
    from ..engine import replay
    from ..errors import UsageError

    if args.limit < 0:
        raise UsageError("--limit must be 0 or more", hint="e.g. --limit 50")
    bar = c.progress(None)
    task = bar.add_task("replaying", total=None)
    with bar:
        report = replay(args.record, expected_fingerprint=args.fingerprint,
                        progress=lambda done, total: bar.update(task, completed=done, total=total))
    c.output(args, KIND, report, limit=args.limit)
    return c.EXIT_OK if report.ok else c.EXIT_FINDING
