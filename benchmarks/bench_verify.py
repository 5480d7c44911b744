"""`taqyeem verify` speed on the bundled editions, and `taqyeem test`.

    python benchmarks/bench_verify.py [--max-examples 100] [--seed 0] [--rounds 1]

For each bundled edition, the default run of `verify` (every property, 100 examples per
property and model), and `verify 2024 --against 2023` (the single-guide properties of 2024
plus locality and the diff); also `test` on each edition. Target: a default `verify` run
on a bundled edition under 30 s. Each line shows the time per property, the seed and the
hypothesis version (a seed reproduces a run within one version).
"""

from __future__ import annotations

import argparse
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from taqyeem_rules import cases_folder, load_cases, load_guide, run_cases, verify  # noqa: E402
from taqyeem_rules.engine.verify import hypothesis_version  # noqa: E402


def timed_verify(edition: str, against: str | None, max_examples: int, seed: int) -> tuple[float, dict[str, float], bool]:
    guide = load_guide(edition)
    old = load_guide(against) if against else None
    steps: dict[str, float] = defaultdict(float)
    last = [time.perf_counter(), ""]

    def progress(name: str, done: int, total: int) -> None:
        now = time.perf_counter()
        if last[1]:
            steps[str(last[1]).split(" ")[0]] += now - float(last[0])
        last[0], last[1] = now, name

    start = time.perf_counter()
    report = verify(guide, against=old, seed=seed, max_examples=max_examples, progress=progress)
    return time.perf_counter() - start, dict(steps), report.ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--max-examples", type=int, default=100)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args()
    print(f"verify: seed {args.seed}, hypothesis {hypothesis_version()}, {args.max_examples} examples per "
          "property and model (best of %d)" % args.rounds)
    runs = [("2019", None), ("2023", None), ("2024", None), ("2024", "2023")]
    for edition, against in runs:
        best = None
        for _ in range(args.rounds):
            got = timed_verify(edition, against, args.max_examples, args.seed)
            best = got if best is None or got[0] < best[0] else best
        assert best is not None
        total, steps, ok = best
        name = f"{edition} --against {against}" if against else edition
        parts = ", ".join(f"{k} {v:.1f}s" for k, v in steps.items())
        verdict = "OK" if ok else "FINDINGS"
        target = "" if against else ("  (target < 30 s: met)" if total < 30 else "  (target < 30 s: MISSED)")
        print(f"  verify {name:<26} {total:6.2f} s  {verdict}{target}\n      {parts}")
    for edition in ("2019", "2023", "2024"):
        guide = load_guide(edition)
        start = time.perf_counter()
        report = run_cases(guide, load_cases([cases_folder(edition)], guide))
        took = time.perf_counter() - start
        print(f"  test {edition}: {len(report.outcomes)} cases, coverage {report.coverage.percent}%, "
              f"{took:.2f} s")


if __name__ == "__main__":
    main()
