"""Item 6 of issue 10: the generated scoring code does not nest with the guide's size.
200 or more criteria in one category (or categories in one model) used to pass `check`
and crash `score` with ``SyntaxError: too many nested parentheses``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from robust_helpers import write

import taqyeem_rules
from shared import Cli

HEAD = """format: taqyeem-guide/1
edition: "big"
title: {en: "Big guide", ar: "دليل كبير"}
effective: {from: "2024-01-01"}
provenance: {status: illustrative, sources: [{title: "generated"}]}
numbers: {precision: 34, rounding: half_even, report: {scale: 2, rounding: half_up}}
points: {min: 0, max: 4}
inputs:
  - {id: x, type: integer, range: [0, 4], source: field_visit, label: {en: "x", ar: "س"}}
models:
  onsite:
    label: {en: "On-site", ar: "المقر"}
    tiers: [{id: gold, label: {en: "Gold", ar: "ذهبي"}, min: 90}]
    categories:
"""


def criterion(k: int) -> str:
    return (f"          - {{id: c{k}, label: {{en: \"C{k}\", ar: \"م{k}\"}}, weight: {k % 3 + 1}, "
            f"basic: true, score: \"min(x, {k % 5})\"}}\n")


def big_guide(categories: int, per_category: int) -> str:
    text = [HEAD]
    weight = Decimal(100) / categories
    k = 0
    for c in range(categories):
        text.append(f"      - id: cat{c}\n        label: {{en: \"Cat {c}\", ar: \"فئة {c}\"}}\n"
                    f"        weight: {weight}\n        criteria:\n")
        for _ in range(per_category):
            text.append(criterion(k))
            k += 1
    return "".join(text)


def expected_total(categories: int, per_category: int, x: int) -> Decimal:
    """The documented formulas, in plain decimals (every criterion and category applies),
    rounded to the report scale (2 places, half up)."""
    ctx = taqyeem_rules.dsl.make_context()
    k, total, cat_weights = 0, Decimal(0), Decimal(0)
    weight = Decimal(100) / categories
    for _ in range(categories):
        num = den = Decimal(0)
        for _ in range(per_category):
            w = Decimal(k % 3 + 1)
            pct = ctx.multiply(ctx.divide(Decimal(min(x, k % 5)), Decimal(4)), Decimal(100))
            num, den = ctx.add(num, ctx.multiply(w, pct)), ctx.add(den, w)
            k += 1
        total = ctx.add(total, ctx.multiply(weight, ctx.divide(num, den)))
        cat_weights = ctx.add(cat_weights, weight)
    return ctx.divide(total, cat_weights).quantize(Decimal("0.01"), rounding="ROUND_HALF_UP")


@pytest.mark.parametrize(("categories", "per_category"), [(1, 260), (250, 1), (4, 300)])
def test_big_guides_score(tmp_path: Path, cli: Cli,
                          categories: int, per_category: int) -> None:
    path = write(tmp_path, "guide.yaml", big_guide(categories, per_category))
    guide = taqyeem_rules.load_guide(path)
    assert guide.check().ok
    data = {"centre": {"id": "B-1"}, "model": "onsite", "inputs": {"x": 3}}
    result = guide.score(data)
    assert result.total == expected_total(categories, per_category, 3)
    centre = write(tmp_path, "c.yaml", "centre: {id: B-1}\nmodel: onsite\ninputs: {x: 3}\n")
    code, out, _ = cli("score", str(path), str(centre), "--format", "json")
    assert code == 0
    assert f'"total": "{result.total}"' in out


def test_generated_code_that_does_not_compile_is_an_internal_error() -> None:
    """Defence in depth: a compiler bug is a TaqyeemError naming what it compiled."""
    from taqyeem_rules.dsl.compiler import CodeBuilder
    from taqyeem_rules.dsl.numbers import FEEL_CONTEXT
    from taqyeem_rules.errors import TaqyeemError

    b = CodeBuilder(FEEL_CONTEXT)
    b.emit("x = " + "(" * 300 + "1" + ")" * 300)
    with pytest.raises(TaqyeemError) as info:
        b.build("f", "env", "x", "guide big model onsite")
    assert info.value.code == "internal.compiler"
    assert info.value.message.startswith(
        "internal error: the code generated for guide big model onsite does not compile (SyntaxError: ")
