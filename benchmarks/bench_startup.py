"""Start-up time of the ``taqyeem`` command, against ``python -c pass`` in the same run.

    python benchmarks/bench_startup.py [--rounds 15]

Each command runs in a fresh process; the figure is the median wall time of the rounds
(targets, on the project's 2-core machine: ``--version`` and ``--help`` under 100 ms,
``score 2024 "$(taqyeem examples 2024)"`` under 500 ms). The machine is shared: run it
several times and compare each figure to ``python -c pass`` of the same run.

The package's bytecode is compiled first (``compileall``), as installing a wheel does: a
source tree run with ``PYTHONDONTWRITEBYTECODE=1`` would otherwise compile every module
it imports on every start (for ``score``, 100 ms or more).
"""

from __future__ import annotations

import argparse
import compileall
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TAQYEEM = [sys.executable, "-c", "import sys; from taqyeem_rules.cli import main; sys.exit(main())"]
COMMANDS = {
    "python -c pass": [sys.executable, "-c", "pass"],
    "taqyeem --version": [*TAQYEEM, "--version"],
    "taqyeem --help": [*TAQYEEM, "--help"],
    "taqyeem score 2024 criteria/2024/examples": [*TAQYEEM, "score", "2024", str(ROOT / "criteria/2024/examples")],
}
TARGETS = {"taqyeem --version": 0.100, "taqyeem --help": 0.100, "taqyeem score 2024 criteria/2024/examples": 0.500}


def median_time(argv: list[str], rounds: int) -> float:
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=15)
    args = parser.parse_args()
    import taqyeem_rules

    compileall.compile_dir(Path(taqyeem_rules.__file__).parent, quiet=1)  # as an install does
    base = None
    for name, argv in COMMANDS.items():
        t = median_time(argv, args.rounds)
        base = base if base is not None else t
        target = TARGETS.get(name)
        mark = "" if target is None else f"  target < {target * 1000:.0f} ms: {'met' if t < target else 'NOT met'}"
        print(f"{name:45} {t * 1000:7.1f} ms  ({t / base:5.1f}x python -c pass){mark}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
