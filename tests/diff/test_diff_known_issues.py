"""Problems found outside the diff while writing it, pinned as tests (they were strict
xfails until fixed).
"""

from __future__ import annotations

from typing import Any

import pytest

from taqyeem_rules import AmendmentError, Guide, diff_guides
from taqyeem_rules.guide.amend import apply_amendments


def tawasul(score: str) -> dict[str, Any]:
    return {"id": "A1", "rationale": "r", "replace_criterion": {"id": "tawasul", "criterion": {
        "id": "tawasul", "label": {"en": "Tawasul replies", "ar": "الرد عبر تواصل"}, "weight": 1, "score": score}}}


def test_number_spelling_in_an_expression_keeps_the_fingerprint(mini_guide: Guide) -> None:
    respelt = apply_amendments(mini_guide, [tawasul("round_half_up(reply_within_deadline / 25.0, 0)")])
    assert respelt == mini_guide
    assert diff_guides(mini_guide, respelt).empty
    assert respelt.fingerprint == mini_guide.fingerprint


def test_int_points_in_amendment_data(mini_guide: Guide) -> None:
    bands = {"on": "reply_within_deadline", "rows": [{"when": "-", "points": 4}]}
    op = {"id": "A1", "rationale": "r", "replace_criterion": {"id": "tawasul", "criterion": {
        "id": "tawasul", "label": {"en": "Tawasul replies", "ar": "الرد عبر تواصل"}, "weight": 1, "bands": bands}}}
    amended = apply_amendments(mini_guide, [op])
    criterion = amended.criterion("tawasul")[2]
    assert criterion.kind == "bands"
    row = criterion.params.rows[0]
    assert row.points == 4
    assert not hasattr(row.points, "node")  # a constant, not an expression


def test_change_input_dropping_items_is_an_amendment_error(mini_guide: Guide) -> None:
    with pytest.raises(AmendmentError):
        apply_amendments(mini_guide, [{"id": "A1", "rationale": "r", "change_input": {
            "id": "facilities", "set": {"type": "number", "items": None}}}])
