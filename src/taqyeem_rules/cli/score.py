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
        description="Score every centre in the evidence files, folders, CSV and JSON Lines files given.",
        epilog='example: taqyeem score 2024 "$(taqyeem examples 2024)" --format markdown',
    )
    c.add_guide(p)
    c.add_evidence(p)
    c.add_format(p, KIND)
    c.add_output(p)
    p.add_argument("--no-trace", action="store_true", help="leave effective weights and contributions out")
    c.add_lang(p)


#: Centres kept in memory between checking them all and scoring them, when any comes
#: from a CSV or JSON Lines file; a larger set is read again (memory then holds one
#: centre at a time), which for those files costs little.
KEEP = 1000
#: The same when every centre has a YAML or JSON file of its own: parsing a file again
#: costs more than keeping its centre (about 30 KiB), so many more are kept.
KEEP_DOCUMENTS = 20_000


def run(args: argparse.Namespace) -> int:
    from ..errors import EvidenceError
    from ..guide import iter_evidences
    from ..guide.evidence import STREAMED, evidence_files
    from ..present import formatters
    from ..present import score as present
    from ..present.catalogue import text

    guide = c.load_guide(args.guide)
    files = evidence_files(args.evidence)  # (folders listed once, for both readings)
    streamed = any(f.suffix.lower() in STREAMED for f in files)
    keep = KEEP if streamed else KEEP_DOCUMENTS
    # First every centre is read and checked, so that invalid evidence is reported whole
    # and nothing is written; then the centres are scored and written as they come.
    problems: list[EvidenceError] = []
    kept: list[Any] | None = []
    count = 0
    with c.progress(None, "reading") as bar:
        task = bar.add_task(text("progress.reading", args.lang), total=None)
        for ev in iter_evidences(files, guide, on_error=problems.append):
            count += 1
            c.warn_unread(guide, [ev])
            if kept is not None:
                kept.append(ev)
                if len(kept) > keep:
                    kept = None
            bar.advance(task)
    if problems:
        raise EvidenceError(diagnostics=[d for p in problems for d in p.diagnostics])
    evidences = kept if kept is not None else iter_evidences(files, guide)
    failures: list[Any] = []
    with c.progress(count, "scoring") as bar:
        task = bar.add_task(text("progress.scoring", args.lang), total=count)

        def advancing(items: Any) -> Any:
            for item in items:
                yield item
                bar.advance(task)

        results = advancing(guide.score_many(evidences, trace=not args.no_trace, on_error=failures.append))
        if hasattr(formatters.get(KIND, args.format), "stream"):
            c.stream(args, KIND, guide, results)
        else:
            c.output(args, KIND, present.Scores(guide, list(results)))
    c.failures(failures, text("score.failures", args.lang, count=len(failures)))
    return c.EXIT_FINDING if failures else c.EXIT_OK
