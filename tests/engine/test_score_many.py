"""``Guide.score_many``: the batch API gives ``score``'s results, lazily, one model's work
done once, and an invalid centre's own error when it is reached."""

from __future__ import annotations

import copy
import decimal
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import taqyeem_rules
from shared import ROOT
from taqyeem_rules import EvidenceError, ScoringError
from taqyeem_rules.guide.evidence import load_evidence

EXAMPLES = sorted((ROOT / "criteria" / "2024" / "examples").glob("*.yaml"))


@pytest.fixture(scope="module")
def g2024() -> taqyeem_rules.Guide:
    return taqyeem_rules.load_guide("2024")


def _as_data(ev: Any) -> dict[str, Any]:
    data = ev.to_data()
    data["inputs"] = copy.deepcopy(dict(ev.inputs))
    if data["centre"]["name"] is None:
        del data["centre"]["name"]
    return data


def _canonical(result: Any) -> str:
    return json.dumps(result.to_dict(), sort_keys=True)


@pytest.mark.parametrize("trace", [True, False])
def test_score_many_gives_score_results_for_every_kind_of_item(g2024: taqyeem_rules.Guide, trace: bool) -> None:
    """Paths, Evidence objects and mappings, models mixed: the same data, in the same order."""
    evidences = [load_evidence(p, g2024) for p in EXAMPLES]
    items: list[Any] = [*EXAMPLES, *evidences, *(_as_data(e) for e in evidences)]
    one_by_one = [_canonical(g2024.score(i, trace=trace)) for i in items]
    batch = [_canonical(r) for r in g2024.score_many(items, trace=trace)]
    assert batch == one_by_one
    assert len({json.loads(b)["model"] for b in batch}) == 2  # both models of 2024 in one batch


def test_score_many_is_lazy(g2024: taqyeem_rules.Guide) -> None:
    """It pulls one item per result: a stream is never read ahead (bounded memory)."""
    pulled: list[int] = []

    def stream() -> Iterator[Path]:
        for k in range(30):
            pulled.append(k)
            yield EXAMPLES[k % len(EXAMPLES)]

    results = g2024.score_many(stream())
    assert pulled == []  # a generator: nothing happens before the first result is asked for
    first = next(results)
    assert pulled == [0] and first.centre_id
    next(results)
    assert pulled == [0, 1]
    assert len(list(results)) == 28 and len(pulled) == 30


def test_score_many_raises_the_invalid_centres_error_after_the_ones_before(g2024: taqyeem_rules.Guide) -> None:
    good = [_as_data(load_evidence(p, g2024)) for p in EXAMPLES]
    bad = copy.deepcopy(good[0])
    bad["centre"]["id"] = "BAD-1"
    first_input = sorted(bad["inputs"])[0]
    bad["inputs"][first_input] = "not a value"
    results = g2024.score_many([good[0], good[1], bad, good[2]])
    got = [next(results).centre_id, next(results).centre_id]
    with pytest.raises(EvidenceError) as caught:
        next(results)
    assert got == [good[0]["centre"]["id"], good[1]["centre"]["id"]]
    with pytest.raises(EvidenceError) as alone:
        g2024.score(bad)
    assert str(caught.value) == str(alone.value)
    assert first_input in str(caught.value)


def test_score_many_raises_scores_own_scoring_error(mini_guide: taqyeem_rules.Guide,
                                                    c1_evidence: taqyeem_rules.Evidence) -> None:
    broken = _as_data(c1_evidence)
    broken["inputs"].pop("waiting_minutes", None)  # a required criterion's input
    try:
        mini_guide.score(broken)
    except (ScoringError, EvidenceError) as exc:
        expected = (type(exc), str(exc))
    else:  # pragma: no cover - the fixture makes it an error
        pytest.fail("removing waiting_minutes should make c1 unscorable")
    with pytest.raises(expected[0]) as caught:
        list(mini_guide.score_many([_as_data(c1_evidence), broken]))
    assert str(caught.value) == expected[1]


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(6)), trace=st.booleans(), prec=st.integers(1, 6))
def test_score_many_is_independent_of_order_and_of_the_callers_context(
    g2024: taqyeem_rules.Guide, order: list[int], trace: bool, prec: int
) -> None:
    """Each centre's result depends on that centre alone — not on its neighbours in the
    batch, on which model came first, or on the calling thread's decimal context."""
    items = [EXAMPLES[k % len(EXAMPLES)] for k in range(6)]
    expected = {k: _canonical(g2024.score(items[k], trace=trace)) for k in range(6)}
    hostile = decimal.Context(prec=prec, rounding=decimal.ROUND_FLOOR, traps=[decimal.Inexact])
    with decimal.localcontext(hostile):
        got = [_canonical(r) for r in g2024.score_many([items[k] for k in order], trace=trace)]
    assert got == [expected[k] for k in order]


def test_results_numbers_are_decimals(g2024: taqyeem_rules.Guide) -> None:
    r = next(g2024.score_many(EXAMPLES[:1]))
    assert isinstance(r.total, Decimal) and isinstance(r.total_exact, Decimal)


def test_on_error_leaves_the_centre_out_and_goes_on(g2024: taqyeem_rules.Guide) -> None:
    good = [_as_data(load_evidence(p, g2024)) for p in EXAMPLES[:3]]
    bad = copy.deepcopy(good[1])
    bad["centre"]["id"] = "BAD-1"
    bad["inputs"][sorted(bad["inputs"])[0]] = "not a value"
    errors: list[Exception] = []
    got = [r.centre_id for r in g2024.score_many([good[0], bad, good[2]], on_error=errors.append)]
    assert got == [good[0]["centre"]["id"], good[2]["centre"]["id"]]
    assert len(errors) == 1 and isinstance(errors[0], EvidenceError)


@pytest.mark.parametrize(("given", "message"), [
    (5, "cannot score int 5: expected many centres' evidence"),
    ({"centre": {"id": "X"}}, "score_many takes many centres, not one dict"),
    ("c1.yaml", "score_many takes many centres, not one str"),
])
def test_score_many_given_no_iterable_of_centres_says_so(g2024: taqyeem_rules.Guide, given: Any,
                                                         message: str) -> None:
    with pytest.raises(taqyeem_rules.UsageError) as info:
        list(g2024.score_many(given))
    assert (info.value.code, info.value.message) == ("usage.evidence", message)
