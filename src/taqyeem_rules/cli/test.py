"""``taqyeem test GUIDE [CASES…]``: a guide's test cases and what they cover."""

from __future__ import annotations

import argparse

from . import _common as c

ORDER = 120
KIND = "test"
#: The line ``taqyeem --help`` shows for this command.
HELP = "run a guide's test cases and show what they cover"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "test",
        help=HELP,
        description="Score each test case (evidence and the outcome the guide must give it) and report "
        "every mismatch down to the criterion, then the coverage: criteria scored, not applicable and "
        "missing, decision-table rows matched, tiers and flags reached, tier gates passing and failing, "
        "and what no case reaches. Exit 1 on any mismatch (or coverage under --fail-under).",
        epilog="example: taqyeem test 2024; taqyeem test my/guide.yaml my/cases --fail-under 90 --format markdown",
    )
    c.add_guide(p)
    p.add_argument("cases", metavar="CASES", nargs="*",
                   help="case files (.yaml, .json) or folders (default: the tests/ folder next to the guide)")
    c.add_format(p, KIND)
    p.add_argument("--fail-under", type=c.percent, metavar="PCT",
                   help="exit 1 when coverage is under PCT percent")
    p.add_argument("--limit", type=c.count, default=20, help="targets not reached to list in the table (default 20)")
    c.add_output(p)
    c.add_lang(p)


def run(args: argparse.Namespace) -> int:
    from ..engine.testing import run_cases
    from ..errors import CaseError
    from ..guide.cases import case_files, cases_folder, load_cases
    from ..present import testing as present

    guide = c.load_guide(args.guide)
    paths = args.cases or [cases_folder(args.guide)]
    if not args.cases and not paths[0].is_dir():
        raise CaseError(f"guide {guide.edition} has no test cases: there is no folder {paths[0]}",
                        code="case.none", hint="put case files in a tests/ folder next to the guide file, or "
                        "name case files or folders after GUIDE (docs/testing.md)")
    if not case_files(paths):
        raise CaseError("no test case files (.yaml, .yml, .json) in " + ", ".join(map(str, paths)),
                        code="case.none", hint="docs/testing.md shows what a case file holds")
    cases = load_cases(paths, guide)
    with c.progress(len(cases), "testing") as bar:
        task = bar.add_task("testing", total=len(cases))
        report = run_cases(guide, cases, progress=lambda: bar.advance(task))
    c.output(args, KIND, present.Tested(guide, report), limit=args.limit)
    under = args.fail_under is not None and report.coverage.percent < args.fail_under
    if under:
        from ..dsl.numbers import canonical
        from ..present.catalogue import text

        c.console(stderr=True).print(text("coverage.under", args.lang, percent=canonical(
            report.coverage.percent), limit=canonical(args.fail_under)), markup=False)
    return c.EXIT_FINDING if not report.ok or under else c.EXIT_OK
