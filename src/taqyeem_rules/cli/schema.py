"""``taqyeem schema guide|evidence|case``: a JSON Schema for editors and other systems."""

from __future__ import annotations

import argparse

from . import _common as c

ORDER = 40
KIND = "schema"
#: The line ``taqyeem --help`` shows for this command.
HELP = "print the JSON Schema of guide files or of a guide's evidence files"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "schema",
        help=HELP,
        description="Print a JSON Schema (draft-07) for editors and other systems.",
        epilog="example: taqyeem schema guide; taqyeem schema evidence 2024 --model remote; taqyeem schema case",
    )
    p.add_argument("kind", choices=("guide", "evidence", "case"),
                   help="the schema of guide files, of evidence files for GUIDE, or of test case files")
    p.add_argument("guide", metavar="GUIDE", nargs="?", help="the guide (for `evidence`)")
    p.add_argument("--model", help="only this model's evidence")
    p.add_argument("-o", "--output", metavar="FILE")
    p.set_defaults(format="json")


def run(args: argparse.Namespace) -> int:
    from ..errors import UsageError
    from ..present import schema as present

    if args.kind == "guide":
        from ..guide import guide_schema

        c.output(args, KIND, present.Schema(guide_schema()))
        return c.EXIT_OK
    if args.kind == "case":
        from ..guide.cases import case_schema

        c.output(args, KIND, present.Schema(case_schema()))
        return c.EXIT_OK
    if not args.guide:
        raise UsageError("`taqyeem schema evidence` needs a GUIDE", hint="e.g. taqyeem schema evidence 2024")
    from ..guide import evidence_schema

    guide = c.load_guide(args.guide)
    if args.model and guide.model(args.model) is None:
        raise UsageError(f"guide {guide.edition} has no model {args.model!r}",
                         hint="models: " + ", ".join(m.id for m in guide.models))
    c.output(args, KIND, present.Schema(evidence_schema(guide, args.model), numbers=True))
    return c.EXIT_OK
