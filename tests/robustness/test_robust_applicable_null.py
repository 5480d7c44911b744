"""Null applicability (issue 10): an `applicable` condition that comes out null stops
scoring the centre (`scoring.applicable-null`, documented in docs/guide-format.md,
"A null condition"), and `taqyeem check` warns about every condition that can be null.
A condition that says what an absent value means (`x != null and …`, `x = null or …`)
is never null — the checker knows it, and the warning stays away."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from robust_helpers import MINI_GUIDE, position, replaced, write

import taqyeem_rules
from taqyeem_rules import dsl
from taqyeem_rules.dsl import nodes as n
from taqyeem_rules.errors import ScoringError

CENTRE = {"centre": {"id": "M-09"}, "model": "onsite",
          "inputs": {"waiting_minutes": 12, "has_parking_area": True, "reply_within_deadline": 88,
                     "facilities": {"parking": True, "ramp": True, "signage": False, "seating": True}}}


def centre(guide: taqyeem_rules.Guide) -> dict[str, Any]:
    """CENTRE with only the inputs the guide reads (no `satisfaction`: it is absent)."""
    from taqyeem_rules.guide.evidence import model_inputs

    reads = {i.id for i in model_inputs(guide, guide.models[0])}
    return {**CENTRE, "inputs": {k: v for k, v in CENTRE["inputs"].items() if k in reads}}


def guide_with(tmp_path: Path, condition: str) -> tuple[taqyeem_rules.Guide, str]:
    text = replaced(MINI_GUIDE, 'applicable: "has_parking_area"', f'applicable: "{condition}"')
    return taqyeem_rules.load_guide(write(tmp_path, "guide.yaml", text)), text


def test_check_warns_about_a_condition_that_can_be_null(tmp_path: Path) -> None:
    guide, text = guide_with(tmp_path, "satisfaction > 50")
    (d,) = [d for d in guide.check().warnings if d.code == "guide.applicable-null"]
    assert d.message == ("`applicable` of criterion `parking_close` can be null (when optional input "
                         "`satisfaction` is absent): a centre for which it is null cannot be scored")
    assert d.hint == ("say what an absent `satisfaction` means: `satisfaction != null and …` makes the "
                      "criterion not applicable, `satisfaction = null or …` applicable")
    assert (d.span.line, d.span.col) == position(text, "satisfaction > 50")
    with pytest.raises(ScoringError) as info:
        guide.score(centre(guide))
    assert info.value.code == "scoring.applicable-null"


@pytest.mark.parametrize(("condition", "status"), [
    ("satisfaction != null and satisfaction > 50", "not_applicable"),
    ("satisfaction = null or satisfaction > 50", "scored"),
    ("has_parking_area", "scored"),
    ("if satisfaction = null then false else satisfaction > 50", "not_applicable"),
])
def test_a_condition_that_decides_null_is_not_warned_about(tmp_path: Path, condition: str, status: str) -> None:
    guide, _ = guide_with(tmp_path, condition)
    assert not [d for d in guide.check().diagnostics if d.code == "guide.applicable-null"]
    assert guide.score(centre(guide)).criterion("parking_close").status == status


# ---- the checker's claim holds: and/or typed without null are never null --------------

_TYPES = {"x": "number?", "y": "number?", "p": "boolean"}
_x, _y = n.Name("x"), n.Name("y")
_num = st.sampled_from([Decimal(-1), Decimal(0), Decimal(3)]).map(n.Num)
_atom = st.one_of(
    st.builds(n.Compare, st.sampled_from(["=", "!="]), st.sampled_from([_x, _y]), st.just(n.Null())),
    st.builds(n.Compare, st.sampled_from(["<", ">=", "="]), st.sampled_from([_x, _y]), _num),
    st.just(n.Name("p")),
)
_conditions = st.recursive(
    _atom,
    lambda inner: st.one_of(st.builds(n.BoolOp, st.sampled_from(["and", "or"]), inner, inner),
                            st.builds(n.Not, inner)),
    max_leaves=5,
)
_values = st.fixed_dictionaries({
    "x": st.sampled_from([None, Decimal(-1), Decimal(3)]),
    "y": st.sampled_from([None, Decimal(0), Decimal(5)]),
    "p": st.booleans(),
})


@given(_conditions, _values)
def test_a_condition_typed_without_null_is_never_null(cond: n.Node, env: dict[str, Any]) -> None:
    static = dsl.check_node(cond, dsl.Scope.of(_TYPES))
    assert static.ok
    value = dsl.interpret(cond, env)
    compiled = dsl.compile(cond, _TYPES)(env)
    assert compiled == value
    if not static.type.nullable:
        assert value is not None, dsl.unparse(cond)
