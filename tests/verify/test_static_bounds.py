"""Static bounds: interval arithmetic over declared ranges, the rows a table can choose,
each criterion's highest points and a model's highest total."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shared import VERIFY
from taqyeem_rules import dsl, load_guide
from taqyeem_rules.dsl.interpreter import interpret
from taqyeem_rules.guide.bounds import (
    Interval,
    highest_total,
    input_env,
    interval,
    points_bound,
    table_domains,
)
from taqyeem_rules.guide.model import BandRow, Bands
from taqyeem_rules.guide.tables import Domain, row_reach

D = Decimal


def bound(text: str, env: dict[str, object]) -> Interval | None:
    return interval(dsl.parse(text), env)


ENV = {
    "pct": Interval(D(0), D(100)),
    "rating": Interval(D(1), D(5)),
    "hours": Interval(D(0), None),
    "waits": input_env([load_guide("2023").input("ms_waiting_minutes")])["ms_waiting_minutes"],  # type: ignore[list-item]
    "sign": Interval(D(-2), D(3)),
}


@pytest.mark.parametrize(("text", "lo", "hi"), [
    ("pct / 25", "0", "4"),
    ("rating - 1", "0", "4"),
    ("clamp(4 - (mean(waits) - 10) / 5, 0, 4)", "0", "4"),
    ("(11 - rating) * 0.4", "2.4", "4"),
    ("if pct > 50 then 4 else rating", "1", "5"),
    ("abs(sign)", "0", "3"),
    ("max(waits)", "0", "240"),
    ("round_half_up(pct / 3, 1)", "0", "33.4"),
    ("-rating", "-5", "-1"),
    ("min(pct, rating)", "0", "5"),
    ("hours + 1", "1", None),
])
def test_interval_of_an_expression(text: str, lo: str | None, hi: str | None) -> None:
    got = bound(text, ENV)
    assert got == Interval(None if lo is None else D(lo), None if hi is None else D(hi))


@pytest.mark.parametrize("text", ["pct / sign", "unknown_name + 1", "sqrt(pct)", "hours * 2", "pct ** 2"])
def test_what_cannot_be_bounded_says_so(text: str) -> None:
    assert bound(text, ENV) is None


@given(st.decimals(0, 100, places=3), st.decimals(1, 5, places=2), st.decimals(-2, 3, places=2))
def test_every_value_lies_within_its_interval(pct: Decimal, rating: Decimal, sign: Decimal) -> None:
    values = {"pct": pct, "rating": rating, "sign": sign}
    for text in ("pct / 25 - rating", "(pct + rating) * sign", "clamp(pct / rating, 0, 4)",
                 "if sign > 0 then pct / (sign + 3) else rating * sign", "abs(sign) * rating"):
        got = bound(text, ENV)
        assert got is not None and got.lo is not None and got.hi is not None
        value = interpret(dsl.parse(text), values)
        assert got.lo <= value <= got.hi, (text, value, got)


def _table(hit: str, *rows: tuple[str, int]) -> Bands:
    return Bands(on=(), rows=tuple(BandRow(when=(dsl.parse_unary_tests(c),), points=D(p)) for c, p in rows), hit=hit)


def test_row_reach_finds_dead_and_shadowed_rows_under_either_hit_policy() -> None:
    pct = [Domain("number", D(0), D(100), "pct")]
    unique = _table("unique", ("[0..50)", 0), ("[50..100]", 4), ("> 100", 4))
    reach = row_reach(unique, pct)
    assert reach is not None and reach[2] is None
    # Each witness matches its row (and, under `first`, no row above it).
    first = _table("first", (">= 90", 4), (">= 75", 3), (">= 95", 2), ("-", 0))
    reach = row_reach(first, pct)
    assert reach is not None and reach[2] is None
    for k, found in enumerate(reach):
        if found is None:
            continue
        assert interpret(first.rows[k].when[0], {}, tested=found[0]) is True
        assert not any(interpret(r.when[0], {}, tested=found[0]) is True for r in first.rows[:k])
    assert row_reach(first, [Domain("unknown", name="x")]) is None


def test_a_tables_tested_value_gets_the_domain_it_really_has() -> None:
    g = load_guide("2023")
    _, _, c = g.criterion("access_opening_hours")  # type: ignore[misc]
    assert table_domains(c, g) == [Domain("number", D(0), D(168), "weekly_opening_hours")]
    _, _, c = g.criterion("cm_tawasul_response")  # type: ignore[misc]
    assert [(d.name, d.low, d.high) for d in table_domains(c, g)] == [  # type: ignore[union-attr]
        ("on_time_rate", 0, 100), ("satisfaction_rate", 0, 100)]


def test_points_bounds_use_attainable_points_and_declared_ranges() -> None:
    g = load_guide(VERIFY / "unreachable-tier")
    assert points_bound(g.criterion("waiting")[2], g) == Interval(D(0), D(2))  # type: ignore[index]
    assert points_bound(g.criterion("survey_staff")[2], g) == Interval(D(0), D(2))  # type: ignore[index]
    g = load_guide("2023")
    # `service_courtesy`: ms_courtesy_rating (1 to 5) - 1; `env_cleanliness`: median rating - 1.
    for cid in ("service_courtesy", "env_cleanliness", "service_waiting_time", "eff_chat_wait"):
        assert points_bound(g.criterion(cid)[2], g) == Interval(D(0), D(4)), cid  # type: ignore[index]


def test_highest_total_leaves_out_what_may_be_not_applicable_only_when_that_helps() -> None:
    g = load_guide(VERIFY / "unreachable-tier")
    bound_ = highest_total(g.model("onsite"), g)  # type: ignore[arg-type]
    # access can reach 100 (parking applies when it helps); service at most 50 (2 of 4);
    # the survey (at most 50) may be not applicable, so it is left out: (40×100 + 40×50)/80.
    assert bound_.total == 75 and bound_.reported == D("75.00")
    assert set(bound_.left_out) == {"survey_overall", "survey_staff"}
    sound = load_guide(VERIFY / "sound")
    assert highest_total(sound.model("onsite"), sound).reported == 100  # type: ignore[arg-type]
