"""The fast evidence check and the generated JSON Schema always give the same answer."""

from __future__ import annotations

import copy
import functools
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from taqyeem_rules import load_evidences, load_guide
from taqyeem_rules.guide.evidence import _schema_cached, fast_valid
from taqyeem_rules.guide.loader import criteria_root
from taqyeem_rules.guide.schema import validator_for


@functools.cache
def setup() -> tuple[Any, list[dict[str, Any]]]:
    guide = load_guide("2024")
    samples = []
    for ev in load_evidences([criteria_root() / "2024" / "examples"], guide):
        data = {"centre": {"id": ev.centre_id, "name": ev.centre_name.to_data()}, "model": ev.model,
                "edition": ev.edition, "inputs": copy.deepcopy(dict(ev.inputs))}
        samples.append(data)
    return guide, samples


ODD_VALUES = st.sampled_from(
    [None, True, False, "12", Decimal("-1"), Decimal("0"), Decimal("2.5"), Decimal("1E+9"), Decimal(100),
     Decimal(101), 7, [], [Decimal(1)], [Decimal(-5)], {}, {"x": True}, "text"]
)


@st.composite
def mutated(draw: st.DrawFn) -> dict[str, Any]:
    _, samples = setup()
    data = copy.deepcopy(draw(st.sampled_from(samples)))
    for _ in range(draw(st.integers(0, 3))):
        kind = draw(st.sampled_from(["drop", "set", "extra", "top", "item", "centre"]))
        inputs = data["inputs"]
        if kind == "drop" and inputs:
            del inputs[draw(st.sampled_from(sorted(inputs)))]
        elif kind == "set" and inputs:
            inputs[draw(st.sampled_from(sorted(inputs)))] = draw(ODD_VALUES)
        elif kind == "extra":
            inputs[draw(st.sampled_from(["waitng", "ramp", "survey_responses"]))] = draw(ODD_VALUES)
        elif kind == "top":
            data[draw(st.sampled_from(["format", "notes", "cycle", "edition", "extra"]))] = draw(
                st.sampled_from(["taqyeem-evidence/1", "x", Decimal(1)]))
        elif kind == "item":
            lists = [k for k, v in inputs.items() if isinstance(v, dict | list) and v]
            if lists:
                key = draw(st.sampled_from(sorted(lists)))
                value = inputs[key]
                if isinstance(value, dict):
                    value[draw(st.sampled_from(sorted(value)))] = draw(ODD_VALUES)
                else:
                    value[0] = draw(ODD_VALUES)
        elif kind == "centre":
            data["centre"] = draw(st.sampled_from(
                [{"id": ""}, {"id": "X"}, {"id": 5}, {"id": "X", "name": "N"}, {"id": "X", "name": {"en": "a"}},
                 {"id": "X", "other": 1}, "X"]))
    return data


@settings(max_examples=300, deadline=None)
@given(mutated())
def test_fast_check_agrees_with_the_schema(data: dict[str, Any]) -> None:
    guide, _ = setup()
    model = guide.model(data["model"])
    schema_says = not list(validator_for(_schema_cached(guide, model.id)).iter_errors(data))
    assert fast_valid(data, guide, model) == schema_says


def test_every_example_is_fast_valid() -> None:
    guide, samples = setup()
    assert all(fast_valid(d, guide, guide.model(d["model"])) for d in samples)
