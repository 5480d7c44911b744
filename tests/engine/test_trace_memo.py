"""The effective weights of a pattern of applicability are worked out once per compiled
model and kept (``MAX_TRACE_PATTERNS`` patterns at most): every centre's trace is the one
worked out afresh, whether its pattern was kept, found, or left out past the bound."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

import taqyeem_rules
from shared import C1, MINI_YAML
from taqyeem_rules.engine import compile as compile_module


def _centres(guide: taqyeem_rules.Guide) -> list[dict[str, Any]]:
    """C1 under every pattern of the mini guide's optional criteria (parking applicable
    or not; satisfaction given or not), each twice."""
    c1 = taqyeem_rules.load_evidence(C1, guide)
    out = []
    for k, (parking, satisfaction) in enumerate(itertools.product((True, False), (True, False))):
        for again in range(2):
            data = {"centre": {"id": f"P{k}-{again}"}, "model": c1.model,
                    "inputs": {key: dict(v) if isinstance(v, dict) else v for key, v in c1.inputs.items()}}
            data["inputs"]["has_parking_area"] = parking
            if not satisfaction:
                del data["inputs"]["satisfaction"]
            out.append(data)
    return out


def _results(guide: taqyeem_rules.Guide) -> list[dict[str, Any]]:
    return [guide.score(c).to_dict() for c in _centres(guide)]


@pytest.mark.parametrize("bound", [0, 1, 2, 1024])
def test_kept_patterns_give_the_traces_worked_out_afresh(bound: int, monkeypatch: pytest.MonkeyPatch) -> None:
    fresh = _results(taqyeem_rules.load_guide(MINI_YAML))
    monkeypatch.setattr(compile_module, "MAX_TRACE_PATTERNS", bound)
    guide = taqyeem_rules.load_guide(MINI_YAML)  # compiled anew, under the bound
    assert _results(guide) == fresh
    model = guide.model("onsite")
    compiled = compile_module.compile_model(guide, model)
    kept = compiled._trace_built()[0].__globals__["_E"]
    patterns = {tuple(c["status"] for c in r["criteria"]) for r in fresh}
    assert len(patterns) == 4  # (the centres do reach four patterns)
    assert len(kept) == min(bound, 4)
    # a kept pattern is one tuple, shared by the centres of that pattern
    first, second = (guide.score(c) for c in _centres(guide)[:2])
    assert (first.criteria[0].effective_weight is second.criteria[0].effective_weight) == (bound > 0)
