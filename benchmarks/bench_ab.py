"""A/B: the engine's scoring speed in this tree against another checkout, same machine, same run.

    git worktree add /tmp/before <commit>
    python benchmarks/bench_ab.py --before /tmp/before [--edition 2019] [--centres 5000] [--rounds 5]

Each side scores the same synthetic centres of an edition (valid evidence drawn from the
edition's own input declarations, seeded) in a fresh process, trace off and on; the sides
alternate round by round, to cancel the machine's drift, and the best time of each is
compared. Used to check that a change to the engine does not slow an unchanged guide
(issue 9: the 2019 guide before and after criterion kinds).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = r'''
import json, random, sys, time
from decimal import Decimal
sys.path.insert(0, sys.argv[1])
from taqyeem_rules import load_guide
from taqyeem_rules.engine import score
from taqyeem_rules.guide.evidence import evidence_from_data, model_inputs

edition, count = sys.argv[2], int(sys.argv[3])
guide = load_guide(edition)
rng = random.Random(2019)
data = []
for k in range(count):
    model = guide.models[k % len(guide.models)]
    values = {}
    for inp in model_inputs(guide, model):
        lo, hi = inp.bounds
        lo = lo if lo is not None else Decimal(0)
        hi = hi if hi is not None else Decimal(100)
        if inp.type == "boolean":
            values[inp.id] = rng.random() < 0.8
        elif inp.type == "checklist":
            values[inp.id] = {it.id: rng.random() < 0.8 for it in inp.items}
        elif inp.type == "list":
            values[inp.id] = [Decimal(rng.randint(int(lo), min(int(hi), 40))) for _ in range(rng.randint(1, 4))]
        elif inp.type == "integer":
            values[inp.id] = Decimal(rng.randint(int(lo), min(int(hi), 400)))
        else:
            values[inp.id] = (lo + (hi - lo) * Decimal(rng.randint(600, 1000)) / 1000).quantize(Decimal("0.1"))
    data.append({"centre": {"id": f"S-{k:05d}"}, "model": model.id, "edition": edition, "inputs": values})
evidences = [evidence_from_data(d, guide) for d in data]
out = {}
for trace in (False, True):
    for ev in evidences:
        score(guide, ev, trace=trace)
    t = time.perf_counter()
    for ev in evidences:
        score(guide, ev, trace=trace)
    out["on" if trace else "off"] = time.perf_counter() - t
print(json.dumps(out))
'''


def run(src: Path, edition: str, count: int) -> dict[str, float]:
    done = subprocess.run([sys.executable, "-c", CHILD, str(src), edition, str(count)],
                          check=True, capture_output=True, text=True)
    return json.loads(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--before", required=True, type=Path, help="the other checkout (its src/ is imported)")
    ap.add_argument("--edition", default="2019")
    ap.add_argument("--centres", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()
    best: dict[str, dict[str, float]] = {"before": {}, "after": {}}
    for _ in range(args.rounds):
        for side, src in (("before", args.before / "src"), ("after", ROOT / "src")):
            for key, t in run(src, args.edition, args.centres).items():
                best[side][key] = min(best[side].get(key, t), t)
    n = args.centres
    print(f"engine A/B — guide {args.edition}, {n} synthetic centres, best of {args.rounds} alternating rounds")
    print(f"{'':12} {'before µs/centre':>17} {'after µs/centre':>16} {'after / before':>15}")
    for key, name in (("off", "trace off"), ("on", "trace on")):
        b, a = best["before"][key], best["after"][key]
        print(f"{name:12} {1e6 * b / n:17.1f} {1e6 * a / n:16.1f} {a / b:14.2f}x")


if __name__ == "__main__":
    main()
