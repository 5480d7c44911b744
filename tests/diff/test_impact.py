"""impact(): the same centres under two guides, tier changes first, with transitions."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal, localcontext
from typing import Any

import pytest

from shared import MINI_AMENDED
from taqyeem_rules import CentreImpact, Evidence, Guide, Impact, impact, load_guide
from taqyeem_rules.dsl.numbers import make_context
from taqyeem_rules.errors import MissingInputsError
from taqyeem_rules.guide.amend import apply_amendments

D = Decimal


@pytest.fixture(scope="module")
def easier(mini_guide: Guide) -> Guide:
    """Service counts more, and gold needs 85."""
    return apply_amendments(mini_guide, [
        {"id": "A1", "rationale": "r", "reweight_categories": {"model": "onsite", "weights": {"access": 30, "service": 70}}},
        {"id": "A2", "rationale": "r", "change_tier": {"model": "onsite", "id": "gold", "set": {"min": 85}}},
    ])


def centre(cid: str, **inputs: Any) -> dict[str, Any]:
    base = {"waiting_minutes": 12, "facilities": {"parking": True, "ramp": True, "signage": False, "seating": True},
            "has_parking_area": True, "satisfaction": D("91.5"), "reply_within_deadline": 88}
    return {"centre": {"id": cid, "name": f"Centre {cid}"}, "model": "onsite", "edition": "mini",
            "inputs": {**base, **inputs}}


CENTRES = [
    centre("A"),  # 85.83 silver → 86.25 gold
    centre("B", waiting_minutes=5, facilities={"parking": True, "ramp": True, "signage": True, "seating": True},
           reply_within_deadline=100),  # gold both
    centre("C", waiting_minutes=45, satisfaction=D(40), reply_within_deadline=10),  # 33.33 → 25.00
    centre("D", waiting_minutes=25),  # 70.83 → 68.75, no tier either way
]


def test_each_centre_scored_under_both_guides(mini_guide: Guide, easier: Guide) -> None:
    result = impact(mini_guide, easier, CENTRES)
    assert isinstance(result, Impact)
    assert len(result) == 4
    for c in result:
        ev = next(e for e in CENTRES if e["centre"]["id"] == c.centre_id)
        old, new = mini_guide.score(ev), easier.score(ev)
        assert (c.old_total, c.new_total, c.old_tier, c.new_tier) == (old.total, new.total, old.tier_id, new.tier_id)
        assert c.delta == new.total - old.total
        assert c.ok and c.error is None


def test_tier_changes_come_first_then_the_largest_moves(mini_guide: Guide, easier: Guide) -> None:
    result = impact(mini_guide, easier, CENTRES)
    first = result.centres[0]
    assert (first.centre_id, first.old_tier, first.new_tier, first.tier_changed) == ("A", "silver", "gold", True)
    assert result.changed == (first,)
    rest = result.centres[1:]
    assert [abs(c.delta) for c in rest] == sorted((abs(c.delta) for c in rest), reverse=True)  # type: ignore[arg-type]


def test_movers_are_the_largest_contribution_changes(mini_guide: Guide, easier: Guide) -> None:
    result = impact(mini_guide, easier, CENTRES[:1], top=2)
    c = result.centres[0]
    old = {x.id: x.contribution for x in mini_guide.score(CENTRES[0]).criteria}
    new = {x.id: x.contribution for x in easier.score(CENTRES[0]).criteria}
    with localcontext(make_context(80)):
        # largest change first; ties keep the guide's order
        deltas = sorted(((new[k] - old[k], k) for k in new), key=lambda p: -abs(p[0]))
    assert [(m.id, m.delta) for m in c.movers] == [(k, d) for d, k in deltas[:2]]
    assert c.movers[0].old == old[c.movers[0].id]
    assert c.movers[0].category in ("access", "service")


def test_outputs_do_not_depend_on_the_threads_decimal_context(mini_guide: Guide, easier: Guide) -> None:
    """The tables round their changes half up in a context of their own."""
    plain = impact(mini_guide, easier, CENTRES)
    expected = (plain.rows("en"), plain.to_markdown("en"), plain.to_csv())
    with localcontext() as hostile:
        hostile.prec, hostile.rounding = 3, "ROUND_DOWN"
        again = impact(mini_guide, easier, CENTRES)
        assert (again.rows("en"), again.to_markdown("en"), again.to_csv()) == expected


def test_tier_transitions(mini_guide: Guide, easier: Guide) -> None:
    result = impact(mini_guide, easier, CENTRES)
    got = {(t.model, t.old_tier, t.new_tier): t.count for t in result.transitions}
    assert got == {("onsite", "gold", "gold"): 1, ("onsite", "silver", "gold"): 1, ("onsite", None, None): 2}
    assert [(t.old_tier, t.new_tier) for t in result.transitions] == [("gold", "gold"), ("silver", "gold"), (None, None)]
    header, rows = result.transition_table("onsite")
    assert header == ["from \\ to", "gold", "silver", "—"]
    table = {row[0]: dict(zip(header[1:], map(int, row[1:]), strict=True)) for row in rows}
    for (_model, a, b), k in got.items():
        assert table[a or "—"][b or "—"] == k
    assert sum(sum(r.values()) for r in table.values()) == 4


def test_evidence_lacking_an_added_input_stops_before_scoring(mini_guide: Guide, c1_evidence: Evidence) -> None:
    """Nothing says how to read `courtesy` for edition-mini evidence: an error up front
    (naming the input, how many centres lack it, and the options), nothing scored."""
    amended = load_guide(MINI_AMENDED)
    both = centre("N", courtesy=4)
    both["edition"] = "mini-amended"
    calls: list[None] = []
    with pytest.raises(MissingInputsError) as info:
        impact(mini_guide, amended, [c1_evidence, both], progress=lambda: calls.append(None))  # C1: edition mini, no courtesy
    assert calls == []
    err = info.value
    assert err.code == "impact.missing-inputs" and "`courtesy`" in err.message
    detail = err.diagnostics[1]
    assert "guide mini-amended reads `courtesy` (integer, read by courtesy_level)" in detail.message
    assert "1 of 2 centre(s) lack it (M-01)" in detail.message
    assert "--assume-missing not_applicable" in (err.hint or "") and "past:" in (err.hint or "")


def test_evidence_of_either_edition_and_unscored_listed_last(mini_guide: Guide, c1_evidence: Evidence) -> None:
    amended = apply_amendments(load_guide(MINI_AMENDED), [
        {"id": "X", "rationale": "r", "replace_criterion": {"id": "courtesy_level", "criterion": {
            "id": "courtesy_level", "label": {"en": "c", "ar": "c"}, "weight": 1, "score": "courtesy * 2"}}}])
    both = centre("N", courtesy=1)
    both["edition"] = amended.edition
    calls: list[None] = []
    # C1: edition mini, no courtesy
    result = impact(mini_guide, amended, [c1_evidence, both], progress=lambda: calls.append(None), assume={"courtesy": 4})
    assert len(calls) == 2
    ok, failed = result.centres
    assert ok.centre_id == "N" and ok.ok and ok.assumptions == ()
    assert ok.old_total == mini_guide.score({**both, "inputs": {k: v for k, v in both["inputs"].items() if k != "courtesy"},
                                       "edition": "mini"}).total
    assert failed.centre_id == "M-01" and not failed.ok and failed.assumptions == (f"{amended.edition}:courtesy",)
    assert failed.old_total is not None and failed.new_total is None and failed.delta is None
    assert amended.edition in (failed.error or "") and "courtesy_level" in (failed.error or "")
    # unscored is never "unchanged", and no summary counts it
    assert failed.tier_changed is None and failed.to_dict()["tier_changed"] is None
    assert failed.to_dict()["scored"] is False
    assert result.failures == (failed,) and result.scored == (ok,)
    assert sum(t.count for t in result.transitions) == 1
    (used,) = result.assumptions
    assert (used.input, used.how, used.source, used.value, used.centres) == ("courtesy", "value", "assume", D(4), 1)


def test_outputs(mini_guide: Guide, easier: Guide) -> None:
    result = impact(mini_guide, easier, CENTRES)
    data = json.loads(json.dumps(result.to_dict()))
    assert data["tier_changes"] == 1 and data["unscored"] == 0 and data["scored"] == 4
    assert data["format"] == "taqyeem-impact/3" and data["assumptions"] == [] and data["notes"] == []
    assert data["centres"][0]["old_tier"] == "silver" and data["centres"][0]["tier_changed"] is True
    assert data["centres"][0]["delta"] == "0.42"
    rows = list(csv.reader(io.StringIO(result.to_csv())))
    assert rows[0][:8] == ["centre_id", "centre_name", "model", "old_total", "new_total", "delta", "old_tier",
                           "new_tier"]
    assert rows[1][:10] == ["A", "Centre A", "onsite", "85.83", "86.25", "0.42", "silver", "gold", "true", "true"]
    md = result.to_markdown()
    assert "## Tier transitions — onsite" in md
    assert "| A | Centre A | onsite | 85.83 | 86.25 | +0.42 | silver | gold |" in md
    assert "## انتقالات الفئات — المقر" in result.to_markdown("ar")
    header, rows2 = result.rows("en")
    assert header[0] == "Centre" and len(rows2) == 4


def test_no_centres(mini_guide: Guide, easier: Guide) -> None:
    result = impact(mini_guide, easier, [])
    assert len(result) == 0 and result.transitions == () and result.changed == ()


def test_centre_impact_is_data() -> None:
    c = CentreImpact("X", None, "onsite", D("80.00"), D("90.00"), None, "gold")
    assert c.delta == D("10.00") and c.tier_changed and c.display_name() == "X"


def test_evidence_is_revalidated_where_the_guides_differ(mini_guide: Guide, c1_evidence: Evidence) -> None:
    """A value valid under the old guide but outside the new guide's range is an error
    under the new guide, not silently scored."""
    narrower = apply_amendments(mini_guide, [{"id": "A1", "rationale": "r", "change_input": {
        "id": "waiting_minutes", "set": {"range": [0, 200]}}}])
    slow = impact(mini_guide, narrower, [{**centre("S"), "inputs": {**centre("S")["inputs"], "waiting_minutes": 230}}, c1_evidence])
    by_id = {c.centre_id: c for c in slow}
    assert by_id["M-01"].ok
    assert not by_id["S"].ok and "waiting_minutes" in (by_id["S"].error or "")
    assert by_id["S"].old_total is not None and by_id["S"].new_total is None


def test_a_centre_that_fails_to_score_reports_the_engine_error(mini_guide: Guide) -> None:
    strict = apply_amendments(mini_guide, [{"id": "A1", "rationale": "r", "replace_criterion": {
        "id": "satisfaction_level", "criterion": {
            "id": "satisfaction_level", "label": {"en": "Satisfaction", "ar": "الرضا"}, "weight": 2,
            "missing": "error", "bands": {"on": "satisfaction", "hit": "unique", "rows": [
                {"when": "[90..100]", "points": D(4)}, {"when": "[75..90)", "points": D(2)},
                {"when": "[0..75)", "points": D(0)}]}}}}])
    no_survey = centre("Q")
    del no_survey["inputs"]["satisfaction"]
    (c,) = impact(mini_guide, strict, [no_survey])
    assert c.old_total is not None and c.new_total is None
    assert c.error is not None and "satisfaction_level" in c.error and "satisfaction" in c.error
