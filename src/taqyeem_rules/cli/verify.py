"""``taqyeem verify GUIDE``: the properties every sound guide has, on generated evidence."""

from __future__ import annotations

import argparse

from . import _common as c

ORDER = 130
KIND = "verify"
#: The line ``taqyeem --help`` shows for this command.
HELP = "check the properties every sound guide has, on generated evidence"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "verify",
        help=HELP,
        description="Decide statically that every tier can be awarded and every decision-table row "
        "chosen; then, on evidence generated from the guide's own declarations (hypothesis, seeded), "
        "check that it scores, stays within its ranges, keeps weights summing to 100, ignores key "
        "order, and that improving an input that declares `better:` never lowers a score. With "
        "--against OLD, also check that the amendments change only what they name. Exit 1 on any "
        "finding; each comes with its place in the guide and a shrunk counter-example.",
        epilog="example: taqyeem verify 2024 --against 2023; taqyeem verify my/guide.yaml --max-examples 500 --seed 7",
    )
    c.add_guide(p)
    p.add_argument("--against", metavar="OLD",
                   help="the edition GUIDE amends (an edition or a file): also check locality and the diff")
    p.add_argument("--max-examples", type=c.at_least_one, default=100, metavar="N",
                   help="generated examples per property and model (default 100)")
    p.add_argument("--seed", type=c.count, default=0, help="the seed of the generated evidence (default 0)")
    p.add_argument("--property", action="append", metavar="NAME",
                   choices=("tiers", "rows", "scoring", "ranges", "weights", "order", "monotonicity", "locality",
                            "diff"),
                   help="check only this property (repeatable): tiers, rows, scoring, ranges, weights, order, "
                   "monotonicity, locality, diff")
    p.add_argument("--counterexamples", metavar="DIR", help="write each counter-example as evidence files into DIR")
    c.add_format(p, KIND)
    c.add_output(p)
    c.add_lang(p)


def run(args: argparse.Namespace) -> int:
    from ..engine.verify import verify
    from ..errors import TaqyeemError
    from ..present import testing as present

    guide = c.load_guide(args.guide)
    old = c.load_guide(args.against) if args.against else None
    bar = c.progress(None)
    task = bar.add_task("verifying", total=None)

    def advance(name: str, done: int, total: int) -> None:
        bar.update(task, description=f"verifying: {name}", completed=done, total=total)

    with bar:
        report = verify(guide, against=old, seed=args.seed, max_examples=args.max_examples,
                        properties=args.property or None, progress=advance)
    c.output(args, KIND, present.Verified(guide, report, old))
    if args.counterexamples:
        from pathlib import Path

        from .._io import atomic_write

        folder = Path(args.counterexamples)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise TaqyeemError(f"--counterexamples {folder}: cannot create the folder: {exc.strerror or exc}",
                               code="io.folder", hint="choose a folder you can write in") from None
        files = present.counterexample_files(report)
        for name, text in files:
            atomic_write(folder / name, text)
        c.console(stderr=True).print(f"{len(files)} counter-example file(s) written to {folder}", markup=False)
    return c.EXIT_OK if report.ok else c.EXIT_FINDING
