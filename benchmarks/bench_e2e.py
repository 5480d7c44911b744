"""End-to-end scoring speed: evidence in as plain data, result out, against hand-written Python.

    python benchmarks/bench_e2e.py [--centres 5000] [--rounds 5]

Two guides: the bundled 2024 edition (both models, 71 criteria, the survey, Tawasul and
assessors kinds) and a generated 30-criterion guide (expressions, decision tables and
checklists). Each centre's evidence is plain data — the mapping its JSON file holds, numbers
as Decimal — and each measured call takes it all the way: validation and conversion,
scoring, the trace, and (where said) the result as data (``to_dict()``).

Baselines, in the same process, on the same dicts, alternating round by round with the
engine to cancel the machine's drift:

- **hand-written float**: a careful hand-written scorer of the same guide that reads the
  dicts as such a program does — ``float()`` of each value, no schema, no trace;
- **hand-written Decimal**: the same scorer with ``Decimal`` arithmetic under one context
  (what exactness alone costs).

Before timing, the engine's totals are compared with the hand-written Decimal scorer's for
every centre: a benchmark of scorers that disagree would be meaningless. Prints evaluations
per second and every ratio; the figures go in the closing note, never in a timed test.
"""

from __future__ import annotations

import argparse
import decimal
import random
import sys
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "benchmarks"))

import bench_score  # noqa: E402
from taqyeem_rules import load_guide  # noqa: E402

D = Decimal

# ---- a generated 30-criterion guide -------------------------------------------------------------

_CATEGORIES = (("service", 40), ("environment", 30), ("customers", 30))


def generated_guide_yaml() -> str:
    """A guide of 3 categories x 10 criteria: every third criterion a decision table on an
    integer, every third a checklist count, the rest a clamped expression on a percent."""
    inputs, cats = [], []
    for ci, (cid, weight) in enumerate(_CATEGORIES):
        crits = []
        for k in range(10):
            n = ci * 10 + k
            basic = "true" if k < 3 else "false"
            if k % 3 == 0:
                inputs.append(f"  - {{id: x{n}, type: integer, range: [0, 60], source: field_visit, "
                              f"label: {{en: 'Input {n}', ar: 'مدخل {n}'}}}}")
                crits.append(
                    f"          - id: c{n}\n            label: {{en: 'Criterion {n}', ar: 'معيار {n}'}}\n"
                    f"            weight: {1 + k % 3}\n            basic: {basic}\n"
                    f"            bands:\n              on: x{n}\n              rows:\n"
                    "                - {when: '<= 10', points: 4}\n                - {when: '(10..20]', points: 3}\n"
                    "                - {when: '(20..40]', points: 1}\n                - {when: '> 40', points: 0}"
                )
            elif k % 3 == 1:
                inputs.append(f"  - {{id: x{n}, type: checklist, source: field_visit, label: {{en: 'Input {n}', "
                              f"ar: 'مدخل {n}'}}, items: [{{id: a, label: {{en: A, ar: أ}}}}, "
                              "{id: b, label: {en: B, ar: ب}}, {id: c, label: {en: C, ar: ج}}, "
                              "{id: d, label: {en: D, ar: د}}]}")
                crits.append(
                    f"          - id: c{n}\n            label: {{en: 'Criterion {n}', ar: 'معيار {n}'}}\n"
                    f"            weight: {1 + k % 3}\n            basic: {basic}\n"
                    f"            score: 'checked(x{n})'"
                )
            else:
                inputs.append(f"  - {{id: x{n}, type: percent, source: customer_survey, "
                              f"label: {{en: 'Input {n}', ar: 'مدخل {n}'}}}}")
                crits.append(
                    f"          - id: c{n}\n            label: {{en: 'Criterion {n}', ar: 'معيار {n}'}}\n"
                    f"            weight: {1 + k % 3}\n            basic: {basic}\n"
                    f"            score: 'clamp((x{n} - 50) / 10, 0, 4)'"
                )
        cats.append(f"      - id: {cid}\n        label: {{en: '{cid}', ar: 'محور {ci}'}}\n        weight: {weight}\n"
                    "        criteria:\n" + "\n".join(crits))
    return (
        "format: taqyeem-guide/1\nedition: bench30\n"
        "title: {en: 'Benchmark guide (generated)', ar: 'دليل قياس (مولد)'}\n"
        "effective: {from: '2024-01-01'}\n"
        "provenance: {status: illustrative, sources: [{title: 'generated for benchmarks/bench_e2e.py'}]}\n"
        "numbers: {precision: 34, rounding: half_even, report: {scale: 2, rounding: half_up}}\n"
        "points: {min: 0, max: 4}\n"
        "inputs:\n" + "\n".join(inputs) + "\n"
        "models:\n  onsite:\n    label: {en: 'On-site', ar: 'المقر'}\n    categories:\n" + "\n".join(cats) + "\n"
        "    tiers:\n      - {id: gold, label: {en: Gold, ar: الفئة الذهبية}, min: 80, require: 'basic_attainment >= 75'}\n"
        "    flags:\n      - {id: improvement_plan, label: {en: Improvement plan, ar: خطة تحسين}, "
        "when: 'total < 75 or basic_attainment < 75'}\n"
    )


def generated_evidence(count: int, seed: int = 30) -> list[dict[str, Any]]:
    rng = random.Random(seed)
    out = []
    for k in range(count):
        inputs: dict[str, Any] = {}
        for n in range(30):
            if n % 10 % 3 == 0:
                inputs[f"x{n}"] = D(rng.randint(0, 60))
            elif n % 10 % 3 == 1:
                inputs[f"x{n}"] = {i: rng.random() < 0.8 for i in "abcd"}
            else:
                inputs[f"x{n}"] = D(rng.randint(400, 1000)) / 10
        out.append({"centre": {"id": f"G-{k:05d}"}, "model": "onsite", "edition": "bench30", "inputs": inputs})
    return out


def generated_scorer(N: Callable[[Any], Any], round2: Callable[[Any], Any]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """What a careful programmer writes for the generated guide: straight-line code per
    criterion kind, the documented formulas, over number type N."""
    n0, n1, n3, n4, n10, n50, n100 = (N(x) for x in (0, 1, 3, 4, 10, 50, 100))
    weights = [N(1 + k % 3) for k in range(10)]
    cat_weights = [N(w) for _, w in _CATEGORIES]
    sw = sum(weights, n0)

    keys = [[f"x{ci * 10 + k}" for k in range(10)] for ci in range(3)]

    def score(inputs: dict[str, Any]) -> tuple[Any, ...]:
        tn = n0
        bn = bw = n0
        for ci in range(3):
            sn = n0
            row = keys[ci]
            for k in range(10):
                v = inputs[row[k]]
                if k % 3 == 0:
                    x = N(v)
                    p = n4 if x <= 10 else n3 if x <= 20 else n1 if x <= 40 else n0
                elif k % 3 == 1:
                    p = N(sum(1 for t in v.values() if t))
                else:
                    x = (N(v) - n50) / n10
                    p = n0 if x < n0 else n4 if x > n4 else x
                q = p / n4 * n100
                sn += weights[k] * q
                if k < 3:
                    g = cat_weights[ci] * weights[k] / sw
                    bn += g * q
                    bw += g
            tn += cat_weights[ci] * (sn / sw)
        total = tn / n100
        basic = bn / bw
        total_r, basic_r = round2(total), round2(basic)
        tier = "gold" if total_r >= 80 and basic_r >= 75 else None
        return total, total_r, basic, tier, total_r < 75 or basic_r < 75

    return score


def float_readers(guide: Any) -> dict[str, Callable[[Any], Any]]:
    """What a careful hand-written program does with each value it reads: ``float()`` of
    each number, chosen once per input by its type (no schema, no checks)."""
    def same(v: Any) -> Any:
        return v

    def numbers(v: list[Any]) -> list[float]:
        return [float(x) for x in v]

    def counts(v: dict[str, Any]) -> dict[str, float]:
        return {k: float(x) for k, x in v.items()}

    def ratings(v: list[dict[str, Any]]) -> list[dict[str, Any]]:
        return [{"assessor": r["assessor"], "rating": float(r["rating"])} for r in v]

    by_type = {"checklist": same, "boolean": same, "list": numbers, "counts": counts, "ratings": ratings}
    return {i.id: by_type.get(i.type, float) for i in guide.inputs}


# ---- timing -------------------------------------------------------------------------------------


def rounds(fns: dict[str, Callable[[], Any]], count: int) -> dict[str, float]:
    """The best time of each function over ``count`` alternating rounds."""
    best: dict[str, float] = {}
    for _ in range(count):
        for name, fn in fns.items():
            t = time.perf_counter()
            fn()
            t = time.perf_counter() - t
            best[name] = min(best.get(name, t), t)
    return best


def measure(title: str, guide: Any, data: list[dict[str, Any]], float_fn: Callable[[dict[str, Any]], Any],
            dec_fn: Callable[[dict[str, Any]], Any], check: Callable[[Any, Any], bool], n_rounds: int) -> None:
    ctx = decimal.Context(prec=34, rounding=decimal.ROUND_HALF_EVEN)
    plain = [d["inputs"] for d in data]
    # agreement first
    agree = 0
    with decimal.localcontext(ctx):
        for d, p in zip(data, plain, strict=True):
            agree += check(guide.score(d, trace=False), dec_fn(p))

    def engine(trace: bool, as_data: bool) -> Callable[[], None]:
        def run() -> None:
            for d in data:
                r = guide.score(d, trace=trace)
                if as_data:
                    r.to_dict()
        return run

    def hand_float() -> None:
        for p in plain:
            float_fn(p)

    def hand_dec() -> None:
        with decimal.localcontext(ctx):
            for p in plain:
                dec_fn(p)

    best = rounds({
        "engine, trace off": engine(False, False),
        "engine, trace on": engine(True, False),
        "engine, trace on + to_dict()": engine(True, True),
        "hand-written Decimal": hand_dec,
        "hand-written float": hand_float,
    }, n_rounds)
    n = len(data)
    print(f"\n{title}: {n} centres, best of {n_rounds} alternating rounds; "
          f"engine and hand-written Decimal agree on {agree}/{n}")
    print(f"  {'':32} {'evals/s':>10} {'µs/eval':>9} {'/ float':>8} {'/ Decimal':>10}")
    f, dd = best["hand-written float"], best["hand-written Decimal"]
    for name, t in best.items():
        print(f"  {name:32} {n / t:10.0f} {1e6 * t / n:9.1f} {t / f:7.2f}x {t / dd:9.2f}x")
    if agree != n:
        raise SystemExit(f"{title}: {n - agree} centres disagree with the hand-written scorer")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--centres", type=int, default=5000)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args()

    quant = D("0.01")

    # the 2024 edition
    g24 = load_guide("2024")
    data24 = bench_score.synthesise(g24, args.centres)
    dec24 = bench_score.make_scorer(Decimal, lambda x: x.quantize(quant, rounding=decimal.ROUND_HALF_UP))
    flt24 = bench_score.make_scorer(float, lambda x: round(x, 2))
    inputs_of = [{i.id: d["inputs"].get(i.id) for i in g24.inputs} for d in data24]
    data24b = [dict(d, inputs=p) for d, p in zip(data24, inputs_of, strict=True)]
    for d in data24b:  # evidence gives only what the model reads, as its file would
        d["inputs"] = {k: v for k, v in d["inputs"].items() if v is not None}

    readers = float_readers(g24)

    def by_model(fns: dict[str, Any], floats: bool) -> Callable[[dict[str, Any]], Any]:
        onsite, remote = fns["onsite"], fns["remote"]
        if floats:
            def run_float(p: dict[str, Any]) -> Any:
                e = {k: readers[k](v) for k, v in p.items()}
                return (remote if "remote_channels" in e else onsite)(e)
            return run_float

        def run(p: dict[str, Any]) -> Any:
            return (remote if "remote_channels" in p else onsite)(p)
        return run

    measure("2024 edition (71 criteria, two models)", g24, data24b, by_model(flt24, True), by_model(dec24, False),
            lambda r, e: (r.total_exact, r.total) == (e[0], e[1]), args.rounds)

    # the generated 30-criterion guide
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "guide.yaml"
        path.write_text(generated_guide_yaml(), encoding="utf-8")
        g30 = load_guide(path)
    data30 = generated_evidence(args.centres)
    dec30 = generated_scorer(Decimal, lambda x: x.quantize(quant, rounding=decimal.ROUND_HALF_UP))
    flt30 = generated_scorer(float, lambda x: round(x, 2))
    measure("generated guide (30 criteria)", g30, data30, flt30,
            dec30, lambda r, e: (r.total_exact, r.total, r.tier_id) == (e[0], e[1], e[3]), args.rounds)
    print("\ntargets (issue 15): trace on ≤ 8x float, trace off ≤ 6x float; "
          "to_dict() of a full 2024 result under 100 µs")


if __name__ == "__main__":
    main()
