"""Decision-table checks: gaps, overlaps and shadowed rows of large tables.

    python benchmarks/bench_tables.py [--rows 250 1000 2000] [--rounds 3]

For each size, a guide with one criterion scored by a table of that many rows on one
numeric input (``[k*10..(k+1)*10)``, the last closed), under ``hit: first`` and
``hit: unique``, and a two-input table of the same size (whose analysis is bounded by
the number of value combinations, ``MAX_TABLE_COMBINATIONS``). Times ``guide.check()``
(the analysis runs in ``check``, ``score``, ``diff`` and ``impact`` alike: loading a
guide checks it). Issue 10 measured 2.5 s at 250 rows, 36 s at 1,000 and over 2
minutes at 2,000 before the analysis sorted interval ends.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from taqyeem_rules import load_guide  # noqa: E402

HEAD = """format: taqyeem-guide/1
edition: "bench"
title: {en: "Table benchmark", ar: "قياس الجداول"}
effective: {from: "2024-01-01"}
provenance: {status: illustrative, sources: [{title: "generated"}]}
numbers: {precision: 34, rounding: half_even, report: {scale: 2, rounding: half_up}}
points: {min: 0, max: 4}
inputs:
  - {id: x, type: number, range: [0, %(top)d], source: field_visit, label: {en: "x", ar: "س"}}
  - {id: y, type: integer, range: [0, 3], source: field_visit, label: {en: "y", ar: "ص"}}
models:
  onsite:
    label: {en: "On-site", ar: "المقر"}
    tiers: [{id: gold, label: {en: "Gold", ar: "ذهبي"}, min: 90}]
    categories:
      - id: c
        label: {en: "C", ar: "ف"}
        weight: 100
        criteria:
          - id: t
            label: {en: "T", ar: "ت"}
            weight: 1
            bands:
              on: %(on)s
              hit: %(hit)s
              rows:
"""


def guide_text(rows: int, hit: str, inputs: int) -> str:
    on = "x" if inputs == 1 else "[x, y]"
    lines = [HEAD % {"top": rows * 10, "on": on, "hit": hit}]
    for k in range(rows):
        close = "]" if k == rows - 1 else ")"
        cell = f"[{k * 10}..{(k + 1) * 10}{close}"
        when = f'"{cell}"' if inputs == 1 else f'["{cell}", "-"]'
        lines.append(f"                - {{when: {when}, points: {k % 5}}}\n")
    return "".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, nargs="+", default=[250, 1000, 2000])
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        for rows in args.rows:
            for hit, inputs in (("first", 1), ("unique", 1), ("first", 2)):
                path = Path(tmp) / f"g{rows}{hit}{inputs}.yaml"
                path.write_text(guide_text(rows, hit, inputs), encoding="utf-8")
                best = float("inf")
                for _ in range(args.rounds):
                    guide = load_guide(path, check=False)
                    t = time.perf_counter()
                    report = guide.check()
                    best = min(best, time.perf_counter() - t)
                assert report.ok, report.diagnostics[0].render()
                label = f"{rows:>5} rows, {inputs} input(s), hit {hit}"
                print(f"{label:<34} check {best:8.3f} s", flush=True)


if __name__ == "__main__":
    main()
