"""Evidence validation alone: µs per centre for ``evidence_from_data`` on plain data.

    python benchmarks/bench_evidence.py [--centres 2000] [--rounds 7]

The same centres as ``bench_e2e.py`` (the 2024 edition, both models, and the generated
30-criterion guide), given as the plain dicts an evidence file holds (numbers as Decimal),
and the same dicts with whole numbers given as ``int`` (converted to Decimal on the way
in). For each guide it prints the time of ``evidence_from_data`` (what ``Guide.score``
does first with a mapping) and, when this release has one, of the general path alone (the
YAML-document path that words errors), each the best of alternating rounds.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_e2e  # noqa: E402
import bench_score  # noqa: E402
from taqyeem_rules import load_guide  # noqa: E402
from taqyeem_rules.guide import evidence as ev_module  # noqa: E402


def as_ints(value: Any) -> Any:
    """The same data with whole-number Decimals written as int (as Python callers often do)."""
    if type(value) is Decimal and value == value.to_integral_value():
        return int(value)
    if isinstance(value, dict):
        return {k: as_ints(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_ints(v) for v in value]
    return value


def best_of(fns: dict[str, Callable[[], Any]], rounds: int) -> dict[str, float]:
    best: dict[str, float] = {}
    for _ in range(rounds):
        for name, fn in fns.items():
            t = time.perf_counter()
            fn()
            best[name] = min(best.get(name, float("inf")), time.perf_counter() - t)
    return best


def run(title: str, guide: Any, data: list[dict[str, Any]], rounds: int) -> None:
    ints = [as_ints(d) for d in data]
    general = getattr(ev_module, "_evidence_from_data_general", None)

    def loop(fn: Callable[..., Any], items: list[dict[str, Any]]) -> Callable[[], None]:
        def go() -> None:
            for d in items:
                fn(d, guide)
        return go

    fns = {
        "evidence_from_data, Decimal": loop(ev_module.evidence_from_data, data),
        "evidence_from_data, int": loop(ev_module.evidence_from_data, ints),
    }
    if general is not None:
        fns["general path, Decimal"] = loop(general, data)
        fns["general path, int"] = loop(general, ints)
    for d in data[:50]:  # warm up (the checker is generated on first use)
        ev_module.evidence_from_data(d, guide)
    best = best_of(fns, rounds)
    n = len(data)
    print(f"\n{title}: {n} centres, best of {rounds} alternating rounds")
    for name, t in best.items():
        print(f"  {name:32} {1e6 * t / n:8.1f} µs/centre")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--centres", type=int, default=2000)
    ap.add_argument("--rounds", type=int, default=7)
    args = ap.parse_args()
    g24 = load_guide("2024")
    data24 = bench_score.synthesise(g24, args.centres)
    for d in data24:  # evidence gives only what the model reads, as its file would
        d["inputs"] = {k: v for k, v in d["inputs"].items() if v is not None}
    run("2024 edition (two models)", g24, data24, args.rounds)
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "guide.yaml"
        path.write_text(bench_e2e.generated_guide_yaml(), encoding="utf-8")
        g30 = load_guide(path)
    run("generated guide (30 criteria)", g30, bench_e2e.generated_evidence(args.centres), args.rounds)


if __name__ == "__main__":
    main()
