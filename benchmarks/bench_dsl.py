"""Expression speed: compiled expressions against hand-written Python with Decimal.

    python benchmarks/bench_dsl.py [--envs 500] [--rounds 7] [--compile-runs 300]

For each scoring-style expression (band lookups, weighted means, checklists, null
handling, ranges, tier gates) the compiled expression (``dsl.compile``) and a
hand-written Python function with the same semantics (Decimal arithmetic under one
decimal context set once, FEEL null rules) evaluate the same variables in the same
run. Before timing, both are compared on every set of variables: a benchmark of code
that disagrees would be meaningless. Each timing is the best of several rounds; the
table prints microseconds per evaluation and the ratio compiled / hand-written
(target: within 1.5x). Then parse + check + fold + compile of a ~200-character
expression: the median of many runs (target: under 1 ms), with the time of each pass.
"""

from __future__ import annotations

import argparse
import decimal
import random
import statistics
import sys
import time
import timeit
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from taqyeem_rules import dsl  # noqa: E402
from taqyeem_rules.dsl import parser as dsl_parser  # noqa: E402

TARGET_RATIO = 1.5
TARGET_COMPILE_MS = 1.0

D0, D1, D2, D3, D4, D5, D10, D25, D100 = (Decimal(k) for k in (0, 1, 2, 3, 4, 5, 10, 25, 100))


_EXPONENTS = {k: Decimal(1).scaleb(-k) for k in range(4)}


def _half_up(value: Decimal, places: int) -> Decimal:
    return value.quantize(_EXPONENTS[places], rounding=decimal.ROUND_HALF_UP)


# ---- the expressions and their hand-written twins ------------------------------------------
# Each case: name, expression, declared types, hand-written function, variables generator.

Case = tuple[str, str, dict[str, str], Callable[[dict[str, Any]], Any], Callable[[random.Random], dict[str, Any]]]


def band(v: dict[str, Any]) -> Any:
    w = v["w"]
    if w <= 10:
        return D4
    if w <= 20:
        return D3
    if w <= 30:
        return D2
    if w <= 45:
        return D1
    return D0


def weighted(v: dict[str, Any]) -> Any:
    return (v["a"] * 3 + v["b"] * 2 + v["c"] * 5) / 10


def checklist(v: dict[str, Any]) -> Any:
    items = v["cl"].values()
    if None in items:
        return None
    return _half_up(Decimal(sum(items)) / 5 * 4, 0)


def optional(v: dict[str, Any]) -> Any:
    s = v["s"]
    if s is None:
        return D0
    x = s / 25
    return D0 if x < 0 else D4 if x > 4 else x


def ranges(v: dict[str, Any]) -> Any:
    p = v["pct"]
    if 90 <= p <= 100:
        return D4
    if 75 <= p < 90:
        return D3
    if 50 <= p < 75:
        return D2
    return D1


def mean_rating(v: dict[str, Any]) -> Any:
    r = v["ratings"]
    if not r or None in r:
        return None
    return _half_up(sum(r) / len(r), 2)


def gate(v: dict[str, Any]) -> Any:
    if not v["total"] >= 85:
        return False
    cats = v["cats"].values()
    return min(cats) >= 60


def flags(v: dict[str, Any]) -> Any:
    signage, ramp = v["signage"], v["ramp"]
    if signage and ramp:
        return D4
    if signage or ramp:
        return D2
    return D0


def reply(v: dict[str, Any]) -> Any:
    d = v["days"]
    if d is None:  # null between … is null: every `if` takes its else branch
        return D0
    if 0 <= d <= 2:
        return D4
    if 3 <= d <= 5:
        return D2
    return D0


def percent(v: dict[str, Any]) -> Any:
    done, total = v["done"], v["total_cases"]
    if total == 0:
        return D0
    return _half_up(done / total * 100, 1)


def _num(rng: random.Random, hi: int = 100) -> Decimal:
    return Decimal(rng.randint(0, hi * 10)) / 10


CASES: list[Case] = [
    (
        "band lookup",
        "if w <= 10 then 4 else if w <= 20 then 3 else if w <= 30 then 2 else if w <= 45 then 1 else 0",
        {"w": "number"},
        band,
        lambda rng: {"w": _num(rng, 60)},
    ),
    (
        "weighted mean",
        "(a * 3 + b * 2 + c * 5) / 10",
        {"a": "number", "b": "number", "c": "number"},
        weighted,
        lambda rng: {"a": _num(rng), "b": _num(rng), "c": _num(rng)},
    ),
    (
        "checklist",
        "round_half_up(checked(cl) / 5 * 4, 0)",
        {"cl": "checklist{a, b, c, d, e}"},
        checklist,
        lambda rng: {"cl": {k: rng.random() < 0.7 for k in "abcde"}},
    ),
    (
        "optional input",
        "if s = null then 0 else clamp(s / 25, 0, 4)",
        {"s": "number?"},
        optional,
        lambda rng: {"s": None if rng.random() < 0.2 else _num(rng, 120)},
    ),
    (
        "in ranges",
        "if pct in [90..100] then 4 else if pct in [75..90) then 3 "
        "else if pct in [50..75) then 2 else 1",
        {"pct": "number"},
        ranges,
        lambda rng: {"pct": _num(rng)},
    ),
    (
        "mean of a list",
        "round_half_up(mean(ratings), 2)",
        {"ratings": "list<number>"},
        mean_rating,
        lambda rng: {"ratings": [Decimal(rng.randint(1, 5)) for _ in range(rng.randint(1, 6))]},
    ),
    (
        "tier gate",
        "total >= 85 and min(cats) >= 60",
        {"total": "number", "cats": "context{access: number, service: number, environment: number}"},
        gate,
        lambda rng: {
            "total": _num(rng),
            "cats": {"access": _num(rng), "service": _num(rng), "environment": _num(rng)},
        },
    ),
    (
        "yes/no flags",
        "if signage and ramp then 4 else if signage or ramp then 2 else 0",
        {"signage": "boolean", "ramp": "boolean"},
        flags,
        lambda rng: {"signage": rng.random() < 0.6, "ramp": rng.random() < 0.6},
    ),
    (
        "between, nullable",
        "if days between 0 and 2 then 4 else if days between 3 and 5 then 2 else 0",
        {"days": "number?"},
        reply,
        lambda rng: {"days": None if rng.random() < 0.1 else Decimal(rng.randint(0, 9))},
    ),
    (
        "percentage",
        "if total_cases = 0 then 0 else round_half_up(done / total_cases * 100, 1)",
        {"done": "number", "total_cases": "number"},
        percent,
        lambda rng: (lambda t: {"total_cases": Decimal(t), "done": Decimal(rng.randint(0, t))})(
            rng.randint(0, 50)
        ),
    ),
]

#: About 200 characters, as long as a real criterion's score.
COMPILE_TEXT = (
    "if waiting_minutes = null then 0 else if waiting_minutes <= 10 then 4 "
    "else if waiting_minutes <= 20 then 3 else round_half_up(clamp(4 - "
    "(waiting_minutes - 20) / 10, 0, 2) * checked(signage) / 5, 1)"
)
COMPILE_TYPES = {"waiting_minutes": "number?", "signage": "checklist{a, b, c, d, e}"}


def _same(a: Any, b: Any) -> bool:
    if isinstance(a, bool) or isinstance(b, bool) or a is None or b is None:
        return a is b
    return bool(a == b)


def _best(stmt: Callable[[], Any], rounds: int, number: int) -> float:
    """Seconds per call of ``stmt``: the best of ``rounds`` rounds of ``number`` calls."""
    return min(timeit.repeat(stmt, repeat=rounds, number=number)) / number


def bench_expressions(envs: int, rounds: int) -> list[tuple[str, float, float, float]]:
    """Per expression: seconds per evaluation called as ``compiled(v)``, as
    ``compiled.evaluate(v)`` (the generated function itself) and by hand."""
    rng = random.Random(2024)
    rows = []
    for name, text, types, hand, make in CASES:
        compiled = dsl.compile(text, types)
        variables = [make(rng) for _ in range(envs)]
        for v in variables:
            want, got, fast = hand(v), compiled(v), compiled.evaluate(v)
            if not (_same(want, got) and _same(want, fast)):
                raise SystemExit(f"{name}: compiled gives {got!r}, hand-written {want!r} for {v}")

        def loop(fn: Callable[[Any], Any], vs: list[Any] = variables) -> Callable[[], None]:
            def run() -> None:
                for v in vs:
                    fn(v)

            return run

        runs = {"call": loop(compiled), "evaluate": loop(compiled.evaluate), "hand": loop(hand)}
        best = dict.fromkeys(runs, float("inf"))
        # Interleave the three, so that all see the same machine state.
        for _ in range(rounds):
            for key, timed in runs.items():
                best[key] = min(best[key], _best(timed, 1, 5) / envs)
        rows.append((name, best["call"], best["evaluate"], best["hand"]))
    return rows


def bench_compile(runs: int) -> tuple[float, float, dict[str, float]]:
    """Median seconds of parse + check + fold + compile, the median of each pass, and the
    median of the Lark reference parse alone (what the hand-written fast path replaces
    for well-formed text; Lark's tree cache cleared each time: a guide's expressions are
    all different)."""
    from taqyeem_rules.dsl import _Work  # the pipeline's state, to time each pass
    from taqyeem_rules.source import Source

    totals: list[float] = []
    for _ in range(runs):
        start = time.perf_counter()
        dsl.compile(COMPILE_TEXT, COMPILE_TYPES)
        totals.append(time.perf_counter() - start)
    passes: dict[str, list[float]] = {p.__name__.strip("_").removesuffix("_pass"): [] for p in dsl.PIPELINE}
    for _ in range(runs):
        work = _Work(
            COMPILE_TEXT, dsl.Scope.of(COMPILE_TYPES), dsl.FEEL_CONTEXT, dsl.DEFAULT_LIMITS
        )
        for step, name in zip(dsl.PIPELINE, passes, strict=True):
            start = time.perf_counter()
            step(work)
            passes[name].append(time.perf_counter() - start)
    lark: list[float] = []
    source = Source("<expression>", COMPILE_TEXT)
    for _ in range(runs):
        dsl_parser._parse_tree.cache_clear()
        start = time.perf_counter()
        dsl_parser._lark_parse(
            COMPILE_TEXT, "expression", source, lambda i: i, dsl.DEFAULT_LIMITS, None  # type: ignore[arg-type]
        )
        lark.append(time.perf_counter() - start)
    medians = {k: statistics.median(v) for k, v in passes.items()}
    return statistics.median(totals), statistics.median(lark), medians


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--envs", type=int, default=500, help="sets of variables per expression")
    ap.add_argument("--rounds", type=int, default=7, help="timing rounds (the best counts)")
    ap.add_argument("--compile-runs", type=int, default=300, help="runs of the compile timing")
    args = ap.parse_args()

    # The hand-written code computes in the thread's context: FEEL's, set once.
    decimal.setcontext(dsl.make_context())

    rows = bench_expressions(args.envs, args.rounds)
    print(f"Expressions: µs per evaluation, best of {args.rounds} rounds over {args.envs} variable sets")
    print("  compiled(v): the CompiledExpression object; .evaluate(v): its generated function")
    head = f"{'expression':<20} {'compiled(v)':>12} {'.evaluate(v)':>13} {'by hand':>9} {'ratio':>7} {'ratio':>7}"
    print(head)
    print(f"{'':<20} {'':>12} {'':>13} {'':>9} {'call':>7} {'eval.':>7}")
    print("-" * len(head))
    call_ratios, eval_ratios = [], []
    for name, tc, te, th in rows:
        call_ratios.append(tc / th)
        eval_ratios.append(te / th)
        flag = "" if te / th <= TARGET_RATIO else "  > target"
        print(
            f"{name:<20} {tc * 1e6:>12.2f} {te * 1e6:>13.2f} {th * 1e6:>9.2f}"
            f" {tc / th:>6.2f}x {te / th:>6.2f}x{flag}"
        )
    total_c, total_e, total_h = (sum(r[k] for r in rows) for k in (1, 2, 3))
    print("-" * len(head))
    print(
        f"{'all (sum of times)':<20} {total_c * 1e6:>12.2f} {total_e * 1e6:>13.2f} {total_h * 1e6:>9.2f}"
        f" {total_c / total_h:>6.2f}x {total_e / total_h:>6.2f}x"
    )
    print(
        f"{'geometric mean':<20} {'':>12} {'':>13} {'':>9}"
        f" {statistics.geometric_mean(call_ratios):>6.2f}x {statistics.geometric_mean(eval_ratios):>6.2f}x"
    )
    worst = max(eval_ratios)
    print(
        f"target: compiled within {TARGET_RATIO}x of hand-written -> "
        f"overall {'met' if total_e / total_h <= TARGET_RATIO else 'missed'} "
        f"({total_e / total_h:.2f}x), worst expression {worst:.2f}x"
    )

    median, lark, passes = bench_compile(args.compile_runs)
    print()
    print(f"Compile: a {len(COMPILE_TEXT)}-character expression, median of {args.compile_runs} runs")
    print(f"{'parse + check + fold + compile':<32} {median * 1e3:>8.3f} ms")
    for name, t in passes.items():
        print(f"  {name:<30} {t * 1e3:>8.3f} ms")
    print(f"{'(parse by the Lark reference path':<32} {lark * 1e3:>8.3f} ms  used for errors and near limits)")
    print(f"target: under {TARGET_COMPILE_MS} ms -> {'met' if median * 1e3 < TARGET_COMPILE_MS else 'missed'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
