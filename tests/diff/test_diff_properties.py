"""Properties of amendments, fingerprints and the diff over generated guides (hypothesis).

Each example loads small generated guides from YAML (so they pass every check), then
amends, reformats and diffs them.
"""

from __future__ import annotations

import hashlib
from decimal import Decimal
from typing import Any

import attrs
import pytest
from diff_strategies import amendment_op, guide_data, guide_yaml, load_text, reformat, weights_100
from hypothesis import HealthCheck, assume, event, given, settings
from hypothesis import strategies as st

from taqyeem_rules import AmendmentError, Guide, diff_guides, diff_to_amendments
from taqyeem_rules.guide.amend import apply_amendments
from taqyeem_rules.guide.serialize import canonical_guide, canonical_json

# Loading, amending and re-checking guides is slow next to scoring: 2/5 of the profile's
# examples (25 under the default profile, 120 under `ci`).
SETTINGS = settings(
    max_examples=max(10, settings.default.max_examples * 2 // 5),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.filter_too_much],
)


def fresh_fingerprint(g: Guide) -> str:
    """The fingerprint recomputed from the guide's current state (not the cached one)."""
    return hashlib.sha256(canonical_json(canonical_guide(g)).encode("utf-8")).hexdigest()


def amend_step_by_step(g: Guide, data: Any, steps: int) -> tuple[Guide, int]:
    """Apply drawn amendments one at a time, keeping those that apply."""
    h, kept = g, 0
    for k in range(steps):
        ops = amendment_op(data.draw, h, k)
        if not ops:
            continue
        try:
            h = apply_amendments(h, ops)
            kept += 1
        except AmendmentError:
            continue
    return h, kept


def assert_reaches(old: Guide, new: Guide) -> list[dict[str, Any]]:
    amendments = diff_to_amendments(old, new)
    before = fresh_fingerprint(old)
    result = apply_amendments(old, amendments)
    assert result.fingerprint == new.fingerprint, amendments
    assert diff_guides(result, new).empty
    assert fresh_fingerprint(old) == before
    return amendments


@SETTINGS
@given(guide_data())
def test_generated_guides_pass_check(data: dict[str, Any]) -> None:
    g = load_text(guide_yaml(data))
    assert g.check().ok


@SETTINGS
@given(guide_data())
def test_diff_of_a_guide_with_itself_is_empty(data: dict[str, Any]) -> None:
    g = load_text(guide_yaml(data))
    d = diff_guides(g, g)
    assert d.empty
    assert not d
    assert list(d) == []
    assert all(not w.changed for w in d.weights)
    assert len(d.weights) == sum(len(m.criteria()) for m in g.models)
    assert diff_to_amendments(g, g) == []


@SETTINGS
@given(guide_data(), st.integers(0, 2**32 - 1))
def test_reformatting_changes_neither_fingerprint_nor_diff(data: dict[str, Any], seed: int) -> None:
    """Key order, quoting style, comments, flow/block style, expression spacing
    (``a+b``/``a + b``) and ``20``/``20.0`` weights are not changes."""
    g = load_text(guide_yaml(data))
    h = load_text(reformat(data, seed))
    assert h.fingerprint == g.fingerprint
    assert h == g
    assert diff_guides(g, h).empty
    assert diff_guides(h, g).empty
    assert diff_to_amendments(g, h) == []


@SETTINGS
@given(guide_data(), st.data())
def test_amendment_sequences_apply_or_fail_cleanly(data: dict[str, Any], draw: st.DataObject) -> None:
    """Applying a drawn sequence yields a guide that passes check, or raises
    AmendmentError — and the base guide is unchanged either way."""
    g = load_text(guide_yaml(data))
    before = fresh_fingerprint(g)
    sequence: list[dict[str, Any]] = []
    for k in range(draw.draw(st.integers(1, 5))):
        sequence += amendment_op(draw.draw, g, k)
    failure: AmendmentError | None = None
    try:
        h = apply_amendments(g, sequence)
    except AmendmentError as exc:
        failure = exc
    if failure is not None:
        assert failure.diagnostics
        assert failure.primary.code.startswith(("amendment", "guide"))
    else:
        assert h.check().ok
        assert fresh_fingerprint(attrs.evolve(h)) == h.fingerprint
    assert fresh_fingerprint(g) == before
    assert g.fingerprint == before


@SETTINGS
@given(guide_data(), st.data())
def test_diff_to_amendments_turns_a_guide_into_its_amended_version(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    g = load_text(guide_yaml(data))
    h, kept = amend_step_by_step(g, draw, draw.draw(st.integers(1, 8)))
    assume(kept > 0)  # (no amendment kept: the identity, which its own test covers)
    event(f"amendments kept: {min(kept, 4)}{'+' if kept >= 4 else ''}")
    amendments = assert_reaches(g, h)
    for a in amendments:
        event(f"planned: {next(k for k in a if k not in ('id', 'rationale'))}")
    d = diff_guides(g, h)
    # the diff is empty exactly when the fingerprints agree
    assert d.empty == (g.fingerprint == h.fingerprint) == (amendments == [])
    ids = {i.id for x in (g, h) for i in x.inputs} | {m.id for x in (g, h) for m in x.models}
    ids |= {e.id for x in (g, h) for m in x.models for e in (*m.categories, *m.criteria(), *m.tiers, *m.flags)}
    for e in d:
        assert e.id in ids or e.what in ("numbers", "points", "item")
    # and back again
    assert_reaches(h, g)


@settings(SETTINGS, max_examples=20)
@given(guide_data(), guide_data())
def test_diff_to_amendments_between_unrelated_guides(a: dict[str, Any], b: dict[str, Any]) -> None:
    old, new = load_text(guide_yaml(a)), load_text(guide_yaml(b))
    for x in assert_reaches(old, new):
        event(f"planned: {next(k for k in x if k not in ('id', 'rationale'))}")


@SETTINGS
@given(guide_data(), st.data())
def test_reweight_summing_to_100_is_accepted_and_otherwise_rejected(
    data: dict[str, Any], draw: st.DataObject
) -> None:
    g = load_text(guide_yaml(data))
    before = fresh_fingerprint(g)
    m = draw.draw(st.sampled_from(list(g.models)))
    ids = [c.id for c in m.categories]
    weights = dict(zip(ids, weights_100(draw.draw, len(ids)), strict=True))
    h = apply_amendments(g, [{"id": "W1", "rationale": "r", "reweight_categories": {"model": m.id, "weights": weights}}])
    assert h.check().ok
    hm = h.model(m.id)
    assert hm is not None
    assert {c.id: c.weight for c in hm.categories} == weights
    bump = draw.draw(st.sampled_from([Decimal(1), Decimal("0.5"), Decimal(-1), Decimal("0.01")]))
    target = draw.draw(st.sampled_from(ids))
    bad = {**weights, target: weights[target] + bump}
    if bad[target] <= 0:
        bad[target] = weights[target] + 1
    with pytest.raises(AmendmentError) as info:
        apply_amendments(g, [{"id": "W2", "rationale": "r", "reweight_categories": {"model": m.id, "weights": bad}}])
    assert "W2" in str(info.value)
    assert any(d.code == "guide.weights" for d in info.value.diagnostics)
    assert fresh_fingerprint(g) == before
