"""``taqyeem sensitivity GUIDE EVIDENCE…``: how stable each centre's tier is."""

from __future__ import annotations

import argparse

from . import _common as c

ORDER = 100
KIND = "sensitivity"
#: The line ``taqyeem --help`` shows for this command.
HELP = "how stable each centre's tier is when category weights and tier cut-offs move"


def add_parser(sub: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    p = sub.add_parser(
        "sensitivity",
        help=HELP,
        description="Perturb the category weights (each by up to ±P%, renormalised to 100) and the tier "
        "cut-offs (each by up to ±X points) — one set of perturbations per model, shared by every centre: a "
        "grid when small, seeded samples otherwise — and report, exactly, the share of perturbations that "
        "keep each centre's tier, the closest one that changes it, and the expected tier counts.",
        epilog='example: taqyeem sensitivity 2024 "$(taqyeem examples 2024)" --weights 10 --thresholds 1 '
        "--samples 10000 --seed 1",
    )
    c.add_guide(p)
    c.add_evidence(p)
    p.add_argument("--weights", default="10", metavar="P",
                   help="each category weight moves by up to ±P%% of itself (default 10; at most 90)")
    p.add_argument("--thresholds", default="1", metavar="X",
                   help="each tier cut-off moves by up to ±X points (default 1; at most 50)")
    p.add_argument("--samples", type=c.whole, default=1000, metavar="N",
                   help="perturbations per model, at most (default 1000; from 1 to 1,000,000)")
    p.add_argument("--seed", type=c.whole, default=0, metavar="S", help="seed of the samples (default 0)")
    p.add_argument("--method", choices=("auto", "grid", "sample"), default="auto",
                   help="a grid when 3^dimensions ≤ N (auto, the default), always a grid, or always samples")
    c.add_format(p, KIND)
    c.add_output(p)
    c.add_lang(p)


def run(args: argparse.Namespace) -> int:
    from ..engine.sensitivity import check_bounds, sensitivity
    from ..guide import load_evidences
    from ..present import sensitivity as present

    check_bounds(args.weights, args.thresholds, args.samples, args.seed)  # bad usage before any work
    guide = c.load_guide(args.guide)
    evidences = load_evidences(args.evidence, guide)
    with c.progress(len(evidences), "sensitivity") as bar:
        task = bar.add_task("sensitivity", total=len(evidences))
        result = sensitivity(guide, evidences, weights=args.weights, thresholds=args.thresholds,
                             samples=args.samples, seed=args.seed, method=args.method,
                             progress=lambda: bar.advance(task))
    c.output(args, KIND, present.SensitivityView(guide, result))
    return c.EXIT_FINDING if result.failures else c.EXIT_OK
