"""``taqyeem score GUIDE EVIDENCE…``: every centre's total, tier and flags."""

from __future__ import annotations

import argparse
from typing import Any

from . import _common as c

ORDER = 20
KIND = "score"
#: The line ``taqyeem --help`` shows for this command.
HELP = "score centres from their evidence files"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "score",
        help=HELP,
        description="Score every centre in the evidence files, folders and CSVs given.",
        epilog='example: taqyeem score 2024 "$(taqyeem examples 2024)" --format markdown',
    )
    c.add_guide(p)
    c.add_evidence(p)
    c.add_format(p, KIND)
    c.add_output(p)
    p.add_argument("--no-trace", action="store_true", help="leave effective weights and contributions out")
    c.add_lang(p)


def score_all(guide: Any, evidences: list[Any], *, trace: bool) -> tuple[list[Any], list[Any]]:
    """Every centre scored (with a progress bar); the centres that could not be, apart."""
    from ..engine import score
    from ..errors import TaqyeemError

    results, failures = [], []
    with c.progress(len(evidences), "scoring") as bar:
        task = bar.add_task("scoring", total=len(evidences))
        for ev in evidences:
            try:
                results.append(score(guide, ev, trace=trace))
            except TaqyeemError as exc:
                failures.append(exc)
            bar.advance(task)
    return results, failures


def run(args: argparse.Namespace) -> int:
    from ..guide import load_evidences
    from ..present import score as present
    from ..present.catalogue import text

    guide = c.load_guide(args.guide)
    evidences = load_evidences(args.evidence, guide)
    c.warn_unread(guide, evidences)
    results, failures = score_all(guide, evidences, trace=not args.no_trace)
    c.output(args, KIND, present.Scores(guide, results))
    c.failures(failures, text("score.failures", args.lang, count=len(failures)))
    return c.EXIT_FINDING if failures else c.EXIT_OK
