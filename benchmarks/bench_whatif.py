"""What-if speed: impact at the command line against score, margins, and sensitivity.

    python benchmarks/bench_whatif.py [--centres 5000] [--sensitivity-centres 100]
                                      [--samples 10000] [--rounds 3]

1. ``taqyeem impact 2023 2024 FILES --format csv`` end to end (a fresh process: start-up,
   loading every file, matching it to its edition, scoring under both guides, writing)
   against ``taqyeem score 2024 FILES --format csv`` of the same files, on generated
   evidence files of edition 2024 (one YAML file per centre). Target: impact within 2.5x.
   The same for files of edition 2023 scored under 2024 with ``--assume-missing lowest``
   (against ``taqyeem score 2023``).
2. ``margins()`` over the same centres (API, after loading).
3. ``sensitivity()`` of 100 centres x 10,000 perturbations (category weights ±10 %,
   cut-offs ±1 point, seeded samples). Target: under 10 s.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import yaml  # noqa: E402

from bench_score import synthesise  # noqa: E402
from taqyeem_rules import load_evidences, load_guide, margins, sensitivity  # noqa: E402


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    Decimal,
    lambda d, v: d.represent_scalar("tag:yaml.org,2002:float" if "." in f"{v:f}" else "tag:yaml.org,2002:int",
                                    f"{v:f}"),
)


def write_files(edition: str, count: int, folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    for k, data in enumerate(synthesise(load_guide(edition), count, seed=int(edition))):
        (folder / f"c{k:05d}.yaml").write_text(yaml.dump(data, Dumper=_Dumper, sort_keys=False), encoding="utf-8")
    return folder


def command(*args: str) -> float:
    t = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "taqyeem_rules", *args], capture_output=True, text=True)
    elapsed = time.perf_counter() - t
    if done.returncode not in (0, 1):
        raise SystemExit(f"taqyeem {' '.join(args)} failed ({done.returncode}):\n{done.stderr[-2000:]}")
    return elapsed


def best_command(rounds: int, *args: str) -> float:
    return min(command(*args) for _ in range(rounds))


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--centres", type=int, default=5000)
    ap.add_argument("--sensitivity-centres", type=int, default=100)
    ap.add_argument("--samples", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()
    print(f"taqyeem_rules what-if benchmark (best of {args.rounds})")
    with tempfile.TemporaryDirectory() as tmp:
        e24 = write_files("2024", args.centres, Path(tmp) / "e24")
        e23 = write_files("2023", args.centres, Path(tmp) / "e23")
        print()
        print(f"1. the command, end to end, on {args.centres:,} generated evidence files")
        for label, guide, folder, extra in (("2024 files", "2024", e24, []),
                                            ("2023 files", "2023", e23, ["--assume-missing", "lowest"])):
            # interleaved, so that a busy machine slows both alike
            t_score = t_impact = float("inf")
            for _ in range(args.rounds):
                t_score = min(t_score, command("score", guide, str(folder), "--format", "csv"))
                t_impact = min(t_impact, command("impact", "2023", "2024", str(folder), "--format", "csv", *extra))
            print(f"  {label}: taqyeem score {guide}  {t_score:7.2f} s")
            print(f"  {label}: taqyeem impact 2023 2024 {' '.join(extra)}  {t_impact:7.2f} s   "
                  f"impact / score {t_impact / t_score:5.2f}x   (target ≤ 2.5x)")
        g24 = load_guide("2024")
        evidences = load_evidences([e24], g24)
        t = time.perf_counter()
        m = margins(g24, evidences)
        t_margins = time.perf_counter() - t
        reachable = sum(c.reachable for c in m)
        print()
        print(f"2. margins() of {len(evidences):,} centres (2024)  {t_margins:7.2f} s   "
              f"{len(evidences) / t_margins:8.0f} centres/s   ({reachable} with steps)")
        some: list[Any] = evidences[: args.sensitivity_centres]
        times = []
        for _ in range(args.rounds):
            t = time.perf_counter()
            s = sensitivity(g24, some, weights=10, thresholds=1, samples=args.samples, seed=1, method="sample")
            times.append(time.perf_counter() - t)
        plans = ", ".join(f"{p.model} {p.method} {p.count:,}" for p in s.plans)
        print()
        print(f"3. sensitivity() of {len(some)} centres x {args.samples:,} perturbations ({plans})  "
              f"{min(times):7.2f} s   (target < 10 s)   {len(s.fragile)} fragile")


if __name__ == "__main__":
    main()
