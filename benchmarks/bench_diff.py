"""Diff and impact speed.

    python benchmarks/bench_diff.py [--criteria 1000] [--centres 10000] [--rounds 3]

1. The semantic diff of two generated 1,000-criterion guides (the second a reworked copy
   of the first: changed expressions and tables, reweights, moves, additions and
   removals). Target: under 1 s. Also shown: the Markdown paper and diff_to_amendments.
2. Impact of 2023 → 2024 over 10,000 synthetic centres of the 2024 edition, against
   scoring the same centres once under 2024 (trace on, as impact needs contributions).
   Target: impact within 2.2x.
"""

from __future__ import annotations

import argparse
import random
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

import yaml  # noqa: E402

from bench_score import synthesise  # noqa: E402
from taqyeem_rules import diff_guides, diff_to_amendments, impact, load_guide  # noqa: E402
from taqyeem_rules.engine import score  # noqa: E402
from taqyeem_rules.guide.evidence import evidence_from_data  # noqa: E402

D = Decimal


def best(fn: Callable[[], Any], rounds: int) -> tuple[float, Any]:
    times, out = [], None
    for _ in range(rounds):
        t = time.perf_counter()
        out = fn()
        times.append(time.perf_counter() - t)
    return min(times), out


# ---- generated guides -----------------------------------------------------------------------


def text(en: str) -> dict[str, str]:
    return {"en": en, "ar": f"نص {en}"}


def big_guide(criteria: int, *, seed: int, rework: bool) -> dict[str, Any]:
    """One on-site model: 20 categories of criteria/20 criteria over 200 inputs.
    ``rework`` changes about a fifth of it, reproducibly (from ``seed``)."""
    per = criteria // 20
    inputs = [{"id": f"x{k}", "type": "number", "range": [D(0), D(100)], "source": "field_visit",
               "label": text(f"Input {k}")} for k in range(200)]
    cats = []
    for c in range(20):
        crits = []
        for j in range(per):
            k = c * per + j
            x = f"x{k % 200}"
            crit: dict[str, Any] = {"id": f"c{k}", "label": text(f"Criterion {k}"), "weight": D(1 + k % 3),
                                    "basic": k % 7 == 0}
            if k % 4 == 0:
                crit["bands"] = {"on": x, "rows": [{"when": "< 25", "points": D(0)}, {"when": "[25..75)", "points": D(2)},
                                                   {"when": ">= 75", "points": D(4)}]}
            else:
                crit["score"] = f"clamp({x} / {10 + k % 15}, 0, 4)"
            crits.append(crit)
        cats.append({"id": f"cat{c}", "label": text(f"Category {c}"), "weight": D(5), "criteria": crits})
    if rework:
        rng2 = random.Random(seed + 1)
        for cat in cats:
            for crit in cat["criteria"]:
                roll = rng2.random()
                if roll < 0.08 and "score" in crit:
                    crit["score"] = crit["score"].replace(", 0, 4)", ", 0, 3)")
                elif roll < 0.12 and "bands" in crit:
                    crit["bands"]["rows"][1]["points"] = D(3)
                elif roll < 0.17:
                    crit["weight"] = D(4)
                elif roll < 0.19:
                    crit["label"] = text(f"{crit['label']['en']} (reworded)")
        # moves between categories, removals, additions
        for _ in range(20):
            a, b = rng2.sample(range(20), 2)
            if len(cats[a]["criteria"]) > 1:
                cats[b]["criteria"].insert(0, cats[a]["criteria"].pop(rng2.randrange(len(cats[a]["criteria"]))))
        for cat in cats[:10]:
            cat["criteria"].pop()
            cat["criteria"].append({"id": f"new_{cat['id']}", "label": text("New"), "weight": D(2),
                                    "score": "clamp(x1 / 20, 0, 4)"})
        for k, cat in enumerate(cats):
            cat["weight"] = D(4) if k < 10 else D(6)
    return {
        "format": "taqyeem-guide/1", "edition": "big", "title": text("Big generated guide"),
        "effective": {"from": "2024-01-01"},
        "provenance": {"status": "illustrative", "sources": [{"title": "benchmark"}]},
        "numbers": {"precision": 34, "rounding": "half_even", "report": {"scale": 2, "rounding": "half_up"}},
        "points": {"min": D(0), "max": D(4)},
        "inputs": inputs,
        "models": {"onsite": {
            "label": text("On-site"), "categories": cats,
            "tiers": [{"id": "gold", "label": text("Gold"), "min": D(88 if rework else 90),
                       "require": "basic_attainment >= 75"},
                      {"id": "silver", "label": text("Silver"), "min": D(80)}],
        }},
    }


class _Dumper(yaml.SafeDumper):
    pass


_Dumper.add_representer(
    Decimal,
    lambda d, v: d.represent_scalar("tag:yaml.org,2002:float" if "." in f"{v:f}" else "tag:yaml.org,2002:int",
                                    f"{v:f}"),
)


def load_data(data: dict[str, Any], folder: Path, name: str) -> Any:
    path = folder / f"{name}.yaml"
    path.write_text(yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return load_guide(path)


# ---- main --------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--criteria", type=int, default=1000)
    ap.add_argument("--centres", type=int, default=10_000)
    ap.add_argument("--rounds", type=int, default=3)
    args = ap.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        t = time.perf_counter()
        old = load_data(big_guide(args.criteria, seed=1, rework=False), Path(tmp), "old")
        new = load_data(big_guide(args.criteria, seed=1, rework=True), Path(tmp), "new")
        t_load = time.perf_counter() - t
    n_old = sum(len(m.criteria()) for m in old.models)
    n_new = sum(len(m.criteria()) for m in new.models)
    t_diff, d = best(lambda: diff_guides(old, new), args.rounds)
    t_md, _ = best(lambda: d.to_markdown(), args.rounds)
    t_amend, amendments = best(lambda: diff_to_amendments(old, new), args.rounds)

    print(f"taqyeem_rules diff and impact benchmark (best of {args.rounds})")
    print()
    print(f"diff: generated guides of {n_old} and {n_new} criteria (loaded and checked in {t_load:.1f} s)")
    counts = ", ".join(f"{k} {v}" for k, v in d.counts().items() if v)
    print(f"  diff_guides            {t_diff:8.3f} s   {len(d)} edits ({counts})   (target < 1 s)")
    print(f"  Diff.to_markdown       {t_md:8.3f} s")
    print(f"  diff_to_amendments     {t_amend:8.3f} s   {len(amendments)} amendments")

    g23, g24 = load_guide("2023"), load_guide("2024")
    data = synthesise(g24, args.centres)

    def evidences() -> list[Any]:
        return [evidence_from_data(x, g24) for x in data]

    t_ev = time.perf_counter()
    once_evs = evidences()
    t_ev = time.perf_counter() - t_ev
    impact_evs = evidences()
    # warm the compiled models (not part of either timing)
    impact(g23, g24, [evidence_from_data(data[0], g24), evidence_from_data(data[1], g24)])

    def once() -> list[Any]:
        out = []
        for ev in once_evs:
            try:
                out.append(score(g24, ev, trace=True))
            except Exception:  # a centre the engine refuses still counts as work done
                out.append(None)
        return out

    # interleaved rounds, so that a busy machine slows both alike; the best of each
    t_once = t_impact = float("inf")
    for _ in range(args.rounds):
        t, results = best(once, 1)
        t_once = min(t_once, t)
        t, result = best(lambda: impact(g23, g24, impact_evs), 1)
        t_impact = min(t_impact, t)
    scored = sum(r is not None for r in results)
    print()
    print(f"impact: {len(data)} synthetic centres of edition 2024 ({scored} scorable; evidence built and "
          f"validated in {t_ev:.1f} s, not timed)")
    print(f"  score once under 2024  {t_once:8.3f} s   {len(data) / t_once:8.0f} centres/s")
    print(f"  impact 2023 → 2024     {t_impact:8.3f} s   {len(data) / t_impact:8.0f} centres/s   "
          f"{len(result.changed)} tier changes, {len(result.failures)} not scored")
    print(f"  impact / score once    {t_impact / t_once:8.2f}x   (target ≤ 2.2x)")
    t_movers = time.perf_counter()
    named = sum(len(c.movers) for c in result)
    t_movers = time.perf_counter() - t_movers
    print(f"  + every centre's movers {t_movers:7.3f} s   ({named} named; worked out when first read) "
          f"→ {(t_impact + t_movers) / t_once:.2f}x in all")
    transitions = ", ".join(f"{t.model} {t.old_tier or '—'}→{t.new_tier or '—'} {t.count}"
                            for t in result.transitions if t.old_tier != t.new_tier)
    print(f"  tier transitions: {transitions}")


if __name__ == "__main__":
    main()
