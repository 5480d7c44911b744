"""Evidence validation compiled per model (guide/evidence_fast.py) against the general path.

The generated checker answers the converted inputs of evidence it is sure is valid, and
None otherwise; the general path (``normalize_value``, the document, the JSON Schema, the
kinds' rules) is the reference. Properties over the bundled guides (2019, 2023, 2024), the
tests' guides (mini, kinds, the complete 2024 fixture, an amended edition, every input
shape) and the generated 30-criterion guide of ``benchmarks/bench_e2e.py``:

- valid evidence (drawn from each guide's own declarations) is accepted by the checker,
  which gives exactly the general path's inputs (types, values, order), the same Evidence
  and the same fingerprint;
- mutated evidence (wrong types, floats, bools, subclasses, NaN, huge exponents, unknown
  and missing keys, wrong edition, long ids…) is never accepted when the general path
  refuses it, and ``evidence_from_data`` and ``Guide.score`` raise exactly the general
  path's errors (message, code, path, position) — or give the same result;
- the same holds under a hostile decimal context in the calling thread;
- the generated source is deterministic, differs between models and holds no guide text.
"""

from __future__ import annotations

import ast
import contextlib
import copy
import decimal
import enum
import functools
import hashlib
import importlib.util
import io
import os
import subprocess
import sys
import tempfile
import tokenize
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import taqyeem_rules
from taqyeem_rules import EvidenceError, TaqyeemError, load_evidence, load_guide
from taqyeem_rules.engine.score import score as engine_score
from taqyeem_rules.guide import evidence as ev_module
from taqyeem_rules.guide import evidence_fast as compiled
from taqyeem_rules.guide.evidence import (
    EVIDENCE_FORMAT,
    _evidence_from_data_general,
    allowed_inputs,
    evidence_from_data,
    kind_checks,
    validated,
)
from taqyeem_rules.guide.evidence_fast import build_evidence_checker, evidence_checker
from taqyeem_rules.guide.generate import evidence_strategy
from taqyeem_rules.guide.inputs import CHECK_GLOBALS, input_type
from taqyeem_rules.source import Source

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures"

GUIDE_NAMES = ["2019", "2023", "2024", "mini", "kinds", "guide-2024-complete", "mini-amended", "every-input",
               "bench30"]


def _bench_e2e() -> Any:
    """benchmarks/bench_e2e.py as a module (sys.path as it was afterwards)."""
    saved = list(sys.path)
    try:
        spec = importlib.util.spec_from_file_location("_bench_e2e_for_tests", ROOT / "benchmarks" / "bench_e2e.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
    finally:
        sys.path[:] = saved
    return module


def _load(name: str) -> taqyeem_rules.Guide:
    if name in ("2019", "2023", "2024"):
        return load_guide(name)
    if name == "bench30":
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / "guide.yaml"
            path.write_text(_bench_e2e().generated_guide_yaml(), encoding="utf-8")
            return load_guide(path)
    return load_guide(FIXTURES / name / "guide.yaml")


@functools.cache
def guide(name: str) -> taqyeem_rules.Guide:
    return _load(name)


@contextlib.contextmanager
def general_only() -> Iterator[None]:
    """The fast path switched off: every call goes the general way."""
    saved = ev_module.evidence_checker
    ev_module.evidence_checker = lambda g, m: (lambda data, other_edition=False: None)
    try:
        yield
    finally:
        ev_module.evidence_checker = saved


# ---- comparing values exactly --------------------------------------------------------------


def typed(value: Any) -> Any:
    """A value with every type and every order made visible (Decimal(1) == 1 == True in
    Python; 1.0 and 1 are equal Decimals but not the same number text)."""
    if isinstance(value, dict):
        return (type(value), [(type(k), k, typed(v)) for k, v in value.items()])
    if isinstance(value, list | tuple):
        return (type(value), [typed(v) for v in value])
    if isinstance(value, Decimal):
        return (type(value), str(value))
    return (type(value), value)


def evidence_view(ev: Any) -> Any:
    return (
        typed(ev.centre_id), typed(ev.centre_name), ev.model, typed(ev.edition), typed(dict(ev.inputs)),
        ev.fingerprint, ev.path, ev.source, {k: ev.span_of(k) for k in ev.inputs}, ev.where(),
    )


def outcome(fn: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """What a call gives: the Evidence (every field, typed) or the error (type, every
    diagnostic with its position, the rendered text)."""
    try:
        ev = fn(*args, **kwargs)
    except TaqyeemError as exc:
        return ("error", type(exc), exc.to_dict(), str(exc))
    return ("ok", evidence_view(ev))


def score_outcome(g: Any, data: Any, other_edition: bool) -> Any:
    try:
        result = engine_score(g, data, other_edition=other_edition)
    except TaqyeemError as exc:
        return ("error", type(exc), exc.to_dict(), str(exc))
    return ("ok", result.to_dict())


# ---- valid evidence -------------------------------------------------------------------------


def _walk(value: Any, rnd: Any) -> Any:
    """The same data with its dicts' keys in another order and whole Decimals now and then
    given as ints (as Python callers write them)."""
    if type(value) is dict:
        items = list(value.items())
        rnd.shuffle(items)
        return {k: _walk(v, rnd) for k, v in items}
    if type(value) is list:
        return [_walk(v, rnd) for v in value]
    if type(value) is Decimal and value == value.to_integral_value() and rnd.random() < 0.5:
        return int(value)
    return value


@st.composite
def valid_data(draw: Any, name: str) -> tuple[Any, Any, dict[str, Any]]:
    g = guide(name)
    model = draw(st.sampled_from(g.models))
    data = draw(evidence_strategy(g, model))
    inputs = data["inputs"]
    reads = {r for c in model.criteria() for r in c.reads()}
    for inp, required in allowed_inputs(g, model):
        if inp.id in inputs:
            continue
        if not required and draw(st.integers(0, 2)) == 0:
            inputs[inp.id] = None  # an optional input given as null
        elif inp.id not in reads and draw(st.booleans()):
            inputs[inp.id] = draw(input_type(inp).strategy(inp))  # read by no criterion: kept
    data["centre"]["name"] = draw(st.sampled_from([None, "Centre", {"en": "E", "ar": "ع"}, {"ar": "ع", "en": "E"}]))
    if data["centre"]["name"] is None:
        del data["centre"]["name"]
    data["centre"]["id"] = draw(st.sampled_from(["GEN-1", "C", "x" * 128, "مركز ١"]))
    for key, value in (("format", EVIDENCE_FORMAT), ("cycle", "2024"), ("notes", "note")):
        if draw(st.booleans()):
            data[key] = value
    if draw(st.booleans()):
        del data["edition"]
    data = _walk(data, draw(st.randoms(use_true_random=False)))
    return g, model, data


@pytest.mark.parametrize("name", GUIDE_NAMES)
@settings(max_examples=40, deadline=None)
@given(data=st.data())
def test_valid_evidence_takes_the_fast_path(name: str, data: Any) -> None:
    g, model, evidence = data.draw(valid_data(name))
    other_edition = data.draw(st.booleans())
    before = typed(evidence)
    fast = evidence_checker(g, model)(evidence, other_edition)
    assert typed(evidence) == before  # nothing given is changed
    general = outcome(_evidence_from_data_general, copy.deepcopy(evidence), g, name="n", other_edition=other_edition)
    assert general[0] == "ok", general
    assert fast is not None
    assert typed(dict(sorted(fast.items()))) == general[1][4]
    public = outcome(evidence_from_data, evidence, g, name="n", other_edition=other_edition)
    assert public == general
    ev = evidence_from_data(evidence, g, name="n", other_edition=other_edition)
    assert ev == _evidence_from_data_general(evidence, g, name="n", other_edition=other_edition)
    assert validated(ev, g, other_edition=other_edition) is ev  # marked valid, as the general path marks it
    with general_only():
        reference = score_outcome(g, evidence, other_edition)
    assert score_outcome(g, evidence, other_edition) == reference


# ---- mutated evidence -------------------------------------------------------------------------


class DictSub(dict):  # type: ignore[type-arg]
    pass


class ListSub(list):  # type: ignore[type-arg]
    pass


class StrSub(str):
    pass


class DecSub(Decimal):
    pass


class IntSub(int):
    pass


class Level(enum.IntEnum):
    THREE = 3


ODD_VALUES = [
    None, True, False, 0, 1, -1, 3, 7, 120, 10**5000, -(2**30000), 5.0, 0.5, float("nan"), float("inf"),
    "12", "", "text", "true",
    Decimal("NaN"), Decimal("sNaN"), Decimal("-Infinity"), Decimal("Infinity"),
    Decimal("1E+6144"), Decimal("9.99E+6144"), Decimal("1E+6145"), Decimal("1E+6143"), Decimal("1E-6109"),
    Decimal("1E-6110"), Decimal("1E-6200"), Decimal("0E+9999"), Decimal("-0"), Decimal("0.0"), Decimal("2.5"),
    Decimal("1.0"), Decimal("3.000"), Decimal("3E+1"), Decimal("100"), Decimal("101"), Decimal("-5.5"),
    Decimal("-5.6"), Decimal("4"), Decimal("5"), Decimal("499"), Decimal("501"), Decimal("1E+5"),
    DecSub("3"), IntSub(3), Level.THREE, StrSub("A"),
    [], [Decimal(1)], [1, 2], [Decimal("2.5")], [True], (Decimal(1), Decimal(2)), ListSub([Decimal(1)]),
    {}, {"assessor": "A", "rating": Decimal(3)}, {"a": True, "b2": False}, DictSub(a=True, b2=False),
    [{"assessor": "A", "rating": 3}, {"assessor": "A", "rating": 4}], [{"assessor": "", "rating": 3}],
    [{"rating": 3, "assessor": "B"}], [{"assessor": "A", "rating": 3, "note": "x"}],
    {"en": "E", "ar": "ع"}, {"en": "E"}, b"bytes", object(),
]

EXTRA_KEYS = ["extra", "x0", "a", "w", "spare", "parking", "rating", "name", "edition", "waitng", 1,
              StrSub("notes")]


def _slots(value: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[tuple[Any, ...], Any]]:
    yield path, value
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _slots(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _slots(v, (*path, i))


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for p in path:
        data = data[p]
    return data


def _set(data: Any, path: tuple[Any, ...], value: Any) -> Any:
    if not path:
        return value
    _get(data, path[:-1])[path[-1]] = value
    return data


@st.composite
def mutated_data(draw: Any, name: str) -> tuple[Any, Any, Any]:
    g, model, data = draw(valid_data(name))
    for _ in range(draw(st.integers(1, 2))):
        slots = list(_slots(data))
        # Half the time a place of the shape itself (the top, the centre, the inputs, an
        # input), else any value however deep.
        shape = [(p, v) for p, v in slots if len(p) <= 1 or (p[0] == "inputs" and len(p) == 2)]
        path, value = draw(st.one_of(st.sampled_from(shape), st.sampled_from(slots)))
        kind = draw(st.sampled_from(["replace", "replace", "delete", "extra", "wrap", "key", "grow", "top"]))
        if kind == "replace" and path:
            # (a copy: a later mutation must not change the shared sample, which made
            # cycles — a list holding itself — across examples)
            data = _set(data, path, copy.deepcopy(draw(st.sampled_from(ODD_VALUES))))
        elif kind == "delete" and path and isinstance(_get(data, path[:-1]), dict):
            del _get(data, path[:-1])[path[-1]]
        elif kind == "delete" and path:
            _get(data, path[:-1]).pop(path[-1])
        elif kind == "extra" and isinstance(value, dict):
            value[draw(st.sampled_from(EXTRA_KEYS))] = copy.deepcopy(draw(st.sampled_from(ODD_VALUES)))
        elif kind == "wrap" and path and isinstance(value, dict | list):
            wrapper = draw(st.sampled_from([DictSub, tuple] if isinstance(value, dict) else [ListSub, tuple]))
            data = _set(data, path, wrapper(value) if wrapper is not tuple else tuple(value))
        elif kind == "key" and isinstance(value, dict) and value:
            key = draw(st.sampled_from(sorted(value, key=str)))
            swapped = draw(st.sampled_from([StrSub(key), str(key).upper(), key + " " if isinstance(key, str) else key]))
            data = _set(data, path, {(swapped if k == key else k): v for k, v in value.items()})
        elif kind == "grow" and isinstance(value, list):
            if value and draw(st.booleans()):
                value.append(copy.deepcopy(value[0]))  # the same assessor twice, one more number
            elif value:
                value.pop()  # below min_items, perhaps
        elif kind == "top":
            what = draw(st.sampled_from(["edition", "format", "id", "long-id", "model", "centre"]))
            if what == "edition":
                data["edition"] = draw(st.sampled_from(["2023", "other", g.edition, StrSub(g.edition)]))
            elif what == "format":
                data["format"] = draw(st.sampled_from(["taqyeem-evidence/2", EVIDENCE_FORMAT, StrSub(EVIDENCE_FORMAT)]))
            elif what == "id" and isinstance(data.get("centre"), dict):
                data["centre"]["id"] = draw(st.sampled_from(["", "x" * 128, StrSub("C"), 5, Decimal(5)]))
            elif what == "long-id" and isinstance(data.get("centre"), dict):
                data["centre"]["id"] = "x" * 129
            elif what == "model":
                data["model"] = draw(st.sampled_from([m.id for m in g.models] + ["nope", StrSub(model.id)]))
            elif what == "centre":
                data["centre"] = copy.deepcopy(draw(st.sampled_from([
                    {"id": "C", "name": None}, {"id": "C", "other": 1}, "C", {"id": "C", "name": {"en": "E", "ar": 5}}])))
    if isinstance(data, dict) and draw(st.integers(0, 19)) == 0:
        data = DictSub(data)
    return g, model, data


@pytest.mark.parametrize("name", GUIDE_NAMES)
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_mutated_evidence_is_never_accepted_when_the_general_path_refuses_it(name: str, data: Any) -> None:
    g, model, evidence = data.draw(mutated_data(name))
    other_edition = data.draw(st.booleans())
    before = typed(evidence)
    fast = evidence_checker(g, model)(evidence, other_edition)
    assert typed(evidence) == before
    general = outcome(_evidence_from_data_general, copy.deepcopy(evidence), g, name="n", other_edition=other_edition)
    if fast is not None:
        assert general[0] == "ok", general
        assert typed(dict(sorted(fast.items()))) == general[1][4]
    assert outcome(evidence_from_data, evidence, g, name="n", other_edition=other_edition) == general
    with general_only():
        reference = score_outcome(g, evidence, other_edition)
    assert score_outcome(g, evidence, other_edition) == reference


# ---- a hostile decimal context in the caller's thread ----------------------------------------


HOSTILE = decimal.Context(
    prec=3, rounding=decimal.ROUND_05UP,
    traps=[decimal.Inexact, decimal.Rounded, decimal.InvalidOperation, decimal.Overflow, decimal.DivisionByZero,
           decimal.FloatOperation, decimal.Clamped, decimal.Subnormal, decimal.Underflow],
)


@pytest.mark.parametrize("name", ["2024", "every-input", "kinds"])
@settings(max_examples=60, deadline=None)
@given(data=st.data())
def test_a_hostile_decimal_context_changes_nothing(name: str, data: Any) -> None:
    g, model, evidence = data.draw(st.one_of(valid_data(name), mutated_data(name)))
    other_edition = data.draw(st.booleans())

    def everything() -> Any:
        fast = evidence_checker(g, model)(evidence, other_edition)
        return (
            None if fast is None else typed(fast),
            outcome(evidence_from_data, evidence, g, name="n", other_edition=other_edition),
            outcome(_evidence_from_data_general, evidence, g, name="n", other_edition=other_edition),
            score_outcome(g, evidence, other_edition),
        )

    calm = everything()
    with decimal.localcontext(HOSTILE) as ctx:
        hostile = everything()
        assert not any(ctx.flags.values())  # not even a flag raised in the caller's context
    assert hostile == calm


# ---- the generated source -----------------------------------------------------------------------


def _source(g: Any, model: Any) -> str:
    return evidence_checker(g, model).__taqyeem_source__


@pytest.mark.parametrize("name", GUIDE_NAMES)
def test_the_source_is_the_same_for_the_same_guide(name: str) -> None:
    g, again = guide(name), _load(name)  # two separately loaded guide objects
    assert g is not again and g == again
    for model in g.models:
        text = _source(g, model)
        assert _source(again, again.model(model.id)) == text
        rebuilt = build_evidence_checker(g.edition, model.id, allowed_inputs(g, model), kind_checks(g, model),
                                         EVIDENCE_FORMAT)
        assert rebuilt.__taqyeem_source__ == text
        assert rebuilt is not evidence_checker(g, model)
        assert evidence_checker(g, model) is evidence_checker(g, model)  # kept with the guide


def test_the_source_is_the_same_in_another_process() -> None:
    """Set iteration order changes with PYTHONHASHSEED; the text must not."""
    script = (
        "import hashlib, sys\n"
        "from taqyeem_rules import load_guide\n"
        "from taqyeem_rules.guide.evidence_fast import evidence_checker\n"
        "for e in ('2019', '2023', '2024'):\n"
        "    g = load_guide(e)\n"
        "    for m in g.models:\n"
        "        src = evidence_checker(g, m).__taqyeem_source__\n"
        "        print(e, m.id, hashlib.sha256(src.encode()).hexdigest())\n"
    )
    here = [f"{e} {m.id} {hashlib.sha256(_source(guide(e), m).encode()).hexdigest()}"
            for e in ("2019", "2023", "2024") for m in guide(e).models]
    for seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True)
        assert done.stdout.splitlines() == here


def test_the_source_differs_between_models() -> None:
    for name in ("2023", "2024", "guide-2024-complete"):
        g = guide(name)
        texts = {_source(g, m) for m in g.models}
        assert len(texts) == len(g.models) == 2
    # and between guides whose models take different inputs
    assert _source(guide("mini"), guide("mini").models[0]) != _source(guide("kinds"), guide("kinds").models[0])


#: The only string literals and names generated code may hold: the evidence format's own
#: keys, the locals of the function, the names it binds, constants and temporaries.
_LITERALS = {"centre", "inputs", "model", "format", "edition", "cycle", "notes", "id", "name", "en", "ar",
             "assessor", "rating"}
_NAMES = {"data", "other_edition", "centre", "inputs", "model", "n", "v", "out", "nones", "check", "params",
          "_finding", "k", "x", "_missing", *CHECK_GLOBALS}


@pytest.mark.parametrize("name", GUIDE_NAMES)
def test_no_text_of_the_guide_is_written_into_the_code(name: str) -> None:
    g = guide(name)
    for model in g.models:
        text = _source(g, model)
        first, _, body = text.partition("\n")
        assert first == "# " + repr(f"evidence of model {model.id} of guide {g.edition}")
        tree = ast.parse(body)
        literals = {node.value for node in ast.walk(tree) if isinstance(node, ast.Constant) and isinstance(node.value, str)}
        assert literals <= _LITERALS
        names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
        strange = {n for n in names if n not in _NAMES and not n.lstrip("_kt").isdigit()}
        assert not strange
        comments = [t.string for t in tokenize.generate_tokens(io.StringIO(body).readline)
                    if t.type == tokenize.COMMENT]
        assert comments == []
        # every input of the model is checked, by a constant bound to its id
        consts = {v for k, v in evidence_checker(g, model).__globals__.items() if k.startswith("_k")}
        assert {i.id for i, _ in allowed_inputs(g, model)} <= consts


# ---- examples ---------------------------------------------------------------------------------


def mini_data(**inputs: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "waiting_minutes": 12,
        "facilities": {"parking": True, "ramp": True, "signage": False, "seating": True},
        "has_parking_area": True,
        "satisfaction": Decimal("91.5"),
        "reply_within_deadline": 88,
    }
    base.update(inputs)
    return {"centre": {"id": "M-01", "name": {"en": "Test centre", "ar": "مركز اختبار"}}, "model": "onsite",
            "edition": "mini", "inputs": {k: v for k, v in base.items() if v is not ...}}


def test_python_data_and_its_file_give_the_same_evidence() -> None:
    g = guide("mini")
    from_file = load_evidence(FIXTURES / "mini" / "c1.yaml", g)
    data = mini_data()
    assert evidence_checker(g, g.models[0])(data) is not None
    ev = evidence_from_data(data, g, name="c1")
    assert ev == from_file and ev.fingerprint == from_file.fingerprint
    assert ev.inputs["waiting_minutes"] == Decimal(12) and type(ev.inputs["waiting_minutes"]) is Decimal
    assert ev.source == Source("c1", "") and ev.path == "c1" and ev.span_of("waiting_minutes") is None


def test_an_optional_input_given_as_none_is_dropped() -> None:
    g = guide("mini")
    inputs = evidence_checker(g, g.models[0])(mini_data(satisfaction=None))
    assert inputs is not None and "satisfaction" not in inputs
    assert evidence_from_data(mini_data(satisfaction=None), g).inputs == evidence_from_data(
        mini_data(satisfaction=...), g).inputs


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (Decimal("12.5"), None),
        (Decimal("1E+1"), None),
        (Level.THREE, None),  # an IntEnum: left to the general path, which takes it as 3
        (DecSub("3"), None),
        (Decimal("1E+6144"), "evidence.range: inputs.waiting_minutes must be at most 240, not 1E+6144"),
        (12.5, "evidence.value: evidence.inputs.waiting_minutes is a float (12.5); numbers must be exact decimals"),
        (True, "evidence.type: inputs.waiting_minutes must be a number, not `true`"),
        ("12", "evidence.type: inputs.waiting_minutes must be a number, not the text `12`"),
        (Decimal("NaN"), "evidence.value: evidence.inputs.waiting_minutes is NaN, not a finite number"),
        (Decimal(241), "evidence.range: inputs.waiting_minutes must be at most 240, not 241"),
    ],
)
def test_a_number_input(value: Any, error: str | None) -> None:
    g = guide("mini")
    data = mini_data(waiting_minutes=value)
    fast = evidence_checker(g, g.models[0])(data)
    if type(value) is Decimal and error is None:
        assert fast is not None and fast["waiting_minutes"] is value
    else:
        assert fast is None  # refused, or not sure: the general path decides
    if error is None:
        assert g.score(data).total_exact == g.score(mini_data(waiting_minutes=Decimal(value))).total_exact
        return
    with pytest.raises(EvidenceError) as info:
        g.score(data)
    assert f"{info.value.code}: {info.value.message}" == error
    with general_only(), pytest.raises(EvidenceError) as reference:
        g.score(data)
    assert info.value.to_dict() == reference.value.to_dict()


def test_a_bool_is_no_number_and_an_int_no_bool() -> None:
    g = guide("mini")
    with pytest.raises(EvidenceError, match="must be true or false, not the number 1"):
        g.score(mini_data(has_parking_area=1))
    assert evidence_checker(g, g.models[0])(mini_data(has_parking_area=1)) is None


def test_the_edition() -> None:
    g = guide("mini")
    check = evidence_checker(g, g.models[0])
    other = {**mini_data(), "edition": "2024"}
    assert check(other) is None
    with pytest.raises(EvidenceError, match="this evidence is for edition 2024, but the guide is edition mini"):
        evidence_from_data(other, g)
    assert check(other, True) is not None
    assert evidence_from_data(other, g, other_edition=True).edition == "2024"
    del other["edition"]
    assert evidence_from_data(other, g).edition == "mini"


def test_the_centre_id_is_at_most_128_characters() -> None:
    g = guide("mini")
    check = evidence_checker(g, g.models[0])
    data = mini_data()
    data["centre"]["id"] = "x" * 128
    assert check(data) is not None
    data["centre"]["id"] = "x" * 129
    assert check(data) is None
    with pytest.raises(EvidenceError) as info:
        evidence_from_data(data, g)
    assert info.value.to_dict()["diagnostics"] == [{
        "code": "evidence.too-long", "severity": "error", "path": "centre.id",
        "message": "centre.id is 129 characters long; the limit is 128",
        "hint": "ids and editions are short names (e.g. waiting_minutes, 2024)",
    }]


def test_a_checklist_keeps_the_order_it_was_given_in() -> None:
    """(A scoring error names the values read, in the order given.)"""
    g = guide("mini")
    given_order = {"seating": True, "signage": False, "ramp": True, "parking": True}
    ev = evidence_from_data(mini_data(facilities=given_order), g)
    assert list(ev.inputs["facilities"]) == list(given_order)
    assert ev.inputs["facilities"] is not given_order  # a copy
    assert evidence_checker(g, g.models[0])(mini_data(facilities={**given_order, "extra": True})) is None


def test_kind_rules_across_inputs_go_the_general_way() -> None:
    g = guide("kinds")
    data = {"centre": {"id": "K-1"}, "model": "onsite", "inputs": {
        "waiting_minutes": 5,
        "survey_answers": {"very_dissatisfied": 1, "dissatisfied": 2, "neutral": 3, "satisfied": 4, "very_satisfied": 5},
        "tawasul_cases": {"received": 10, "replied": 12, "replied_in_time": 5, "closed": 5, "satisfied": 5},
        "cleanliness_ratings": [{"assessor": "A", "rating": 3}],
    }}
    assert evidence_checker(g, g.models[0])(data) is None
    with pytest.raises(EvidenceError) as info:
        evidence_from_data(data, g)
    assert info.value.code == "evidence.inconsistent"
    assert "`tawasul_cases.replied` is 12, more than `tawasul_cases.received` (10)" in info.value.message
    data["inputs"]["tawasul_cases"]["replied"] = 9
    inputs = evidence_checker(g, g.models[0])(data)
    assert inputs is not None and inputs["cleanliness_ratings"] == [{"assessor": "A", "rating": Decimal(3)}]
    data["inputs"]["cleanliness_ratings"].append({"rating": 4, "assessor": "A"})
    assert evidence_checker(g, g.models[0])(data) is None
    with pytest.raises(EvidenceError, match="assessor `A` rates `cleanliness_ratings` twice"):
        evidence_from_data(data, g)


def test_the_checker_is_kept_in_one_place() -> None:
    g = _load("mini")
    model = g.models[0]
    fn = evidence_checker(g, model)
    assert g.memo.evidence_checkers[model.id] is fn
    assert compiled.evidence_checker is ev_module.evidence_checker
