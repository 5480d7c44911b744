"""The fast schema check (guide/schema_fast.py) says "valid" exactly when jsonschema finds
no error: on every guide the package, the tests and the docs ship; on mutated guides; on
random documents against every definition of the guide schema; on random small schemas
of the subset it compiles. Equality follows jsonschema's; a keyword it does not know
makes it refuse, and jsonschema alone decides."""

from __future__ import annotations

import copy
import decimal
import functools
import importlib.util
import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any, ClassVar

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from jsonschema._utils import equal as js_equal
from jsonschema._utils import uniq as js_uniq

from taqyeem_rules import GuideError, load_guide
from taqyeem_rules.guide.kinds import kind_registry
from taqyeem_rules.guide.schema import (
    _builtin_kinds,
    _guide_checks,
    _shipped_schema,
    _surely_valid,
    assemble,
    ecma_pattern,
    fast_check,
    kind_names,
    validate,
    validator_for,
)
from taqyeem_rules.guide.schema_fast import Refused, compile_check, json_equal, json_unique
from taqyeem_rules.guide.yamlio import load_document

ROOT = Path(__file__).resolve().parents[2]


def reference(validator: Any, data: Any) -> bool:
    """jsonschema's answer: True when it finds no error (an exception is no answer)."""
    try:
        return next(iter(validator.iter_errors(data)), None) is None
    except RecursionError:  # a $ref that leads back to itself: jsonschema has no answer
        raise
    except Exception:  # e.g. a NaN compared under the default context
        return False


def agree(data: Any) -> tuple[bool, bool]:
    """(fast, jsonschema) for a guide document, with the schema validate() would pick."""
    validator, check = _guide_checks(frozenset(kind_names(data)))
    assert check is not None, "the guide schema compiles"
    return _surely_valid(check, data), reference(validator, data)


# ---- the documents the project ships -------------------------------------------------------


def _shipped_documents() -> Iterator[tuple[str, Any]]:
    files = sorted({*ROOT.glob("criteria/**/*.yaml"), *ROOT.glob("tests/fixtures/**/*.yaml"),
                    *ROOT.glob("examples/**/*.yaml"), *ROOT.glob("tests/fixtures/**/*.json")})
    for file in files:
        try:
            yield str(file.relative_to(ROOT)), load_document(file.read_text("utf-8"), file.name).data
        except Exception:  # a fixture of broken YAML has no data to check
            continue
    for page in [ROOT / "README.md", *sorted((ROOT / "docs").glob("*.md"))]:
        blocks = re.findall(r"```ya?ml\n(.*?)```", page.read_text("utf-8"), re.S)
        for k, block in enumerate(blocks):
            try:
                yield f"{page.name} block {k + 1}", load_document(block, "block.yaml").data
            except Exception:  # a fragment of YAML shown on its own
                continue


@functools.cache
def shipped() -> list[tuple[str, Any]]:
    return list(_shipped_documents())


def test_every_shipped_document_gets_the_same_answer() -> None:
    docs = shipped()
    assert len(docs) > 150  # criteria, fixtures, examples and the docs' blocks
    answers = {}
    for name, data in docs:
        fast, slow = agree(data)
        assert fast == slow, name
        answers[name] = fast
    # Not a vacuous agreement: the bundled guides pass, the invalid fixtures' schema cases fail.
    for edition in ("2019", "2023", "2024"):
        assert answers[f"criteria/{edition}/guide.yaml"] is True
    assert answers["tests/fixtures/guide-2024-complete/guide.yaml"] is True
    assert answers["tests/fixtures/invalid/05-schema-unknown-key.yaml"] is False
    assert answers["tests/fixtures/invalid/07-schema-type.yaml"] is False
    assert sum(answers.values()) >= 10 and sum(not a for a in answers.values()) >= 50


def test_loading_a_guide_does_not_run_jsonschema(monkeypatch: pytest.MonkeyPatch) -> None:
    """The point of it: a valid guide never reaches jsonschema; an invalid one still does,
    and gets jsonschema's words."""
    validator, _ = _guide_checks()
    calls = []
    real = type(validator).iter_errors
    monkeypatch.setattr(type(validator), "iter_errors", lambda self, data: calls.append(1) or real(self, data))
    load_guide(ROOT / "tests" / "fixtures" / "mini")
    assert calls == []
    with pytest.raises(GuideError) as info:
        load_guide(ROOT / "tests" / "fixtures" / "invalid" / "05-schema-unknown-key.yaml")
    assert calls and "guide.unknown-key" in {d.code for d in info.value.diagnostics}


# ---- mutated guides -----------------------------------------------------------------------

_GUIDES = ("criteria/2019/guide.yaml", "criteria/2023/guide.yaml", "criteria/2024/guide.yaml",
           "tests/fixtures/mini/guide.yaml", "tests/fixtures/mini-amended/guide.yaml",
           "tests/fixtures/kinds/guide.yaml", "tests/fixtures/guide-2024-complete/guide.yaml")


@functools.cache
def valid_guides() -> list[Any]:
    out = []
    for name in _GUIDES:
        data = load_document((ROOT / name).read_text("utf-8"), name).data
        assert agree(data) == (True, True), name
        out.append(data)
    return out


def _paths(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _paths(v, (*path, k))
    elif isinstance(data, list):
        for k, v in enumerate(data):
            yield from _paths(v, (*path, k))


def _get(data: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        data = data[part]
    return data


ODD = [None, True, False, 0, 3, Decimal(0), Decimal(1), Decimal("2.0"), Decimal("2.5"), Decimal(-1),
       Decimal("1E+3"), Decimal("NaN"), Decimal("Infinity"), Decimal("-Infinity"), Decimal("sNaN"), 1.0,
       "", "x", "1", "4", "9abc", "a b", "abc\n", "2024-13-01", "2024-01-01", "x" * 129, [], [Decimal(1)],
       ["x"], {}, {"en": "a", "ar": "b"}, {"x": True}]
KEYS = ["extra", "weight", "kind", "params", "score", "bands", "id", "label", "on", "rows", "when",
        "points", "hit", "min", "require", "range", "type", "items", "of", "to", "from"]
KIND_NAMES = ["bands", "expression", "survey", "tawasul", "assessors", "local", "pass_fail", "bandz"]


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    data = copy.deepcopy(draw(st.sampled_from(valid_guides())))
    for _ in range(draw(st.integers(1, 3))):
        paths = list(_paths(data))
        path = draw(st.sampled_from(paths))
        target = _get(data, path)
        parent = _get(data, path[:-1]) if path else None
        op = draw(st.sampled_from(["drop", "extra", "set", "letter", "empty", "long", "swap", "kind", "params"]))
        if op == "drop" and path:
            del parent[path[-1]]
        elif op == "extra" and isinstance(target, dict):
            near = [k + "s" for k in target] + [k[:-1] for k in target if len(k) > 1]
            target[draw(st.sampled_from(KEYS + near))] = copy.deepcopy(draw(st.sampled_from(ODD)))
        elif op == "set" and path:
            parent[path[-1]] = copy.deepcopy(draw(st.sampled_from(ODD)))  # (never the shared sample)
        elif op == "letter" and path and isinstance(target, str) and target:
            k = draw(st.integers(0, len(target) - 1))
            parent[path[-1]] = target[:k] + draw(st.sampled_from(["x", "", "_", "1", " ", "$"])) + target[k + 1:]
        elif op == "empty" and path and isinstance(target, list | dict):
            parent[path[-1]] = type(target)()
        elif op == "long" and path and isinstance(target, str):
            parent[path[-1]] = target * draw(st.sampled_from([2, 50, 500]))
        elif op == "swap" and path:
            parent[path[-1]] = copy.deepcopy(_get(data, draw(st.sampled_from(paths))))
        elif op in ("kind", "params"):
            criteria = [_get(data, p) for p in paths
                        if isinstance(_get(data, p), dict) and "weight" in _get(data, p) and "label" in _get(data, p)]
            if criteria:
                c = draw(st.sampled_from(criteria))
                if op == "kind":
                    c["kind"] = draw(st.sampled_from(KIND_NAMES))
                    if draw(st.booleans()):
                        for short in ("bands", "score"):
                            if short in c:
                                c["params"] = c.pop(short)
                else:
                    other = draw(st.sampled_from(criteria))
                    if "params" in other or "bands" in other:
                        c["params"] = copy.deepcopy(other.get("params", other.get("bands")))
                    else:
                        c.pop("params", None)
    return data


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(mutated())
def test_mutated_guides_get_the_same_answer(data: Any) -> None:
    fast, slow = agree(data)
    assert fast == slow


def test_some_mutations_stay_valid_and_most_do_not() -> None:
    """The mutation strategy reaches both answers (checked on a fixed sample)."""
    answers = []

    @settings(max_examples=150, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
    @given(mutated())
    def collect(data: Any) -> None:
        answers.append(agree(data)[1])

    collect()
    assert 0 < sum(answers) < len(answers) - 20


# ---- random documents against each definition ---------------------------------------------


def _strings(node: Any, out: set[str]) -> set[str]:
    """Every text of a schema: property names, enum and const values."""
    if isinstance(node, dict):
        for k, v in node.items():
            out.add(k)
            _strings(v, out)
    elif isinstance(node, list):
        for v in node:
            _strings(v, out)
    elif isinstance(node, str) and len(node) < 40:
        out.add(node)
    return out


SCHEMA = _shipped_schema()
WORDS = sorted(_strings(SCHEMA, set()) - {"$ref", "$schema", "$id"})


def json_like(words: list[str]) -> st.SearchStrategy[Any]:
    scalars = (st.none() | st.booleans() | st.integers(-3, 200) | st.sampled_from(ODD[5:17])
               | st.decimals(allow_nan=False, places=2, min_value=-5, max_value=150)
               | st.sampled_from(words) | st.text("ab_1 $\n", max_size=4))
    return st.recursive(
        scalars,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(words), inner, max_size=6),
        max_leaves=25,
    )


@functools.cache
def definition_checks(name: str) -> tuple[Any, Any]:
    schema = {"$ref": f"#/definitions/{name}", "definitions": SCHEMA["definitions"]}
    check = fast_check(schema)
    assert check is not None
    return validator_for(schema), check


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(sorted(SCHEMA["definitions"])), json_like(WORDS))
def test_random_documents_get_the_same_answer_under_every_definition(name: str, data: Any) -> None:
    validator, check = definition_checks(name)
    assert _surely_valid(check, data) == reference(validator, data)


# ---- random schemas of the subset ---------------------------------------------------------

WORDS_SMALL = ["a", "b", "c", "kind"]
VALUES = st.recursive(
    st.none() | st.booleans() | st.sampled_from([0, 1, 2, -1, Decimal("1.0"), Decimal("0.5"), Decimal("1E+1"),
                                                 1.0, 0.5, Decimal("NaN"), "", "a", "b", "ab", "a\n", "kind"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(WORDS_SMALL), inner, max_size=3),
    max_leaves=8,
)
TYPES = ["object", "array", "string", "number", "integer", "boolean", "null"]
BOUNDS = st.sampled_from([0, 1, 2, -1, Decimal("0.5"), 1.5, 10])
COUNTS = st.integers(0, 3)


def _leaf_schema() -> st.SearchStrategy[Any]:
    return st.booleans() | st.fixed_dictionaries({}, optional={
        "type": st.sampled_from(TYPES) | st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True),
        "enum": st.lists(VALUES, min_size=1, max_size=3),
        "const": VALUES,
        "minLength": COUNTS, "maxLength": COUNTS,
        "pattern": st.sampled_from(["^a", "b$", "^[a-z]+$", "a|b", "^$"]),
        "minimum": BOUNDS, "maximum": BOUNDS, "exclusiveMinimum": BOUNDS, "exclusiveMaximum": BOUNDS,
        "description": st.just("notes are not read"),
        "$ref": st.just("#/definitions/d"),
    })


def _schema(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    members = st.lists(inner, min_size=1, max_size=3)
    return st.fixed_dictionaries({}, optional={
        "type": st.sampled_from(TYPES) | st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True),
        "properties": st.dictionaries(st.sampled_from(WORDS_SMALL), inner, max_size=3),
        "additionalProperties": inner,
        "required": st.lists(st.sampled_from(WORDS_SMALL), max_size=2),
        "minProperties": COUNTS, "maxProperties": COUNTS,
        "items": inner | st.lists(inner, max_size=2),
        "additionalItems": inner,
        "minItems": COUNTS, "maxItems": COUNTS, "uniqueItems": st.booleans(),
        "anyOf": members, "oneOf": members, "allOf": members, "not": inner,
        "if": inner, "then": inner, "else": inner,
        "enum": st.lists(VALUES, min_size=1, max_size=3),
        "const": VALUES,
    })


SCHEMAS = st.recursive(_leaf_schema(), _schema, max_leaves=8)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(SCHEMAS, _leaf_schema() | _schema(_leaf_schema()), st.lists(VALUES, min_size=1, max_size=6))
@example(  # found once: `d` refers to itself; jsonschema recursed, the fast check answered
    {"not": {"type": "object", "allOf": [{"minLength": 0, "$ref": "#/definitions/d"}]}},
    {"minLength": 0, "$ref": "#/definitions/d"}, [None, {}])
def test_random_schemas_compile_to_the_same_answers(schema: Any, definition: Any, docs: list[Any]) -> None:
    root = {"allOf": [schema], "definitions": {"d": definition}}
    validator = validator_for(root)
    refused = None
    try:
        check = compile_check(root, ecma_pattern)
    except Refused as exc:
        refused = str(exc)
    if refused is not None:  # only the form jsonschema itself would trip on
        assert "additionalItems beside a boolean items" in refused
        return
    for doc in docs:
        try:
            expected = reference(validator, doc)
        except RecursionError:
            # A definition that refers to itself before any other keyword decides (the
            # strategy draws such loops; no schema of the project has one): jsonschema
            # recurses without end, so there is no answer to agree with.
            continue
        assert _surely_valid(check, doc) == expected, (schema, doc)


# ---- equality, uniqueness, keywords one by one --------------------------------------------

PAIRS = [
    (True, 1, False), (False, 0, False), (1, 1.0, True), (Decimal(1), Decimal("1.0"), True),
    (Decimal("1.0"), 1, True), (True, True, True), (None, False, False), ("1", 1, False),
    ([1, True], [1, True], True), ([1], [True], False), ([1, 2], [1], False),
    ({"a": 1}, {"a": Decimal("1.00")}, True), ({"a": 1}, {"a": 1, "b": 2}, False), ({"a": True}, {"a": 1}, False),
    ({"a": [1, {"b": "x"}]}, {"a": [Decimal(1), {"b": "x"}]}, True), ([], {}, False), ("", [], False),
]


@pytest.mark.parametrize(("one", "two", "same"), PAIRS)
def test_equality_is_jsonschemas(one: Any, two: Any, same: bool) -> None:
    assert json_equal(one, two) is same
    assert json_equal(two, one) is same
    assert bool(js_equal(one, two)) is same


@settings(max_examples=300, deadline=None)
@given(VALUES, VALUES)
def test_equality_agrees_with_jsonschema_on_random_values(one: Any, two: Any) -> None:
    try:
        expected = bool(js_equal(one, two))
    except decimal.InvalidOperation:
        return
    assert json_equal(one, two) is expected


@pytest.mark.parametrize(("items", "unique"), [
    ([1, True], True), ([1, Decimal("1.0")], False), ([True, True], False), ([0, False, None], True),
    (["a", "b", "a"], False), ([{"a": 1}, {"a": Decimal(1)}], False), ([[1], [True]], True),
    ([{"a": 1}, "a", 1], True), ([], True),
])
def test_uniqueness_is_jsonschemas(items: list[Any], unique: bool) -> None:
    assert json_unique(items) is unique
    assert js_uniq(items) is unique


@settings(max_examples=300, deadline=None)
@given(st.lists(VALUES, max_size=5))
def test_uniqueness_agrees_with_jsonschema_on_random_lists(items: list[Any]) -> None:
    try:
        expected = js_uniq(items)
    except decimal.InvalidOperation:
        with pytest.raises(decimal.InvalidOperation):
            json_unique(items)
        return
    assert json_unique(items) is expected


@pytest.mark.parametrize(("schema", "valid", "invalid"), [
    ({"const": 1}, [1, Decimal("1.0"), 1.0], [True, "1", [1]]),
    ({"const": True}, [True], [1, Decimal(1), "true"]),
    ({"enum": [1, "a", [True], {"k": None}]}, [Decimal(1), "a", [True], {"k": None}], [True, [1], {"k": False}, "b"]),
    ({"enum": ["a", "b"]}, ["a", "b"], ["c", None, ["a"], {"a": 1}]),
    ({"type": "integer"}, [3, Decimal("3.0"), Decimal("1E+2")], [True, Decimal("2.5"), Decimal("NaN"), 3.0, "3"]),
    ({"type": "number"}, [0, Decimal("2.5"), Decimal("Infinity")], [False, 2.5, "2.5", None]),
    ({"pattern": "^[a-z]+$"}, ["abc", 5], ["abc\n", "ab c", ""]),
    ({"type": ["string", "null"], "minLength": 2, "pattern": "b"}, [None, "ab"], ["a", "aa", 3]),
    ({"type": ["integer", "string"], "minimum": 0, "maxLength": 1}, [0, "a", Decimal(7)], [-1, "ab", None]),
    ({"type": ["array", "object"], "minItems": 1, "required": ["a"]}, [[1], {"a": 1}], [[], {}, "a"]),
    ({"type": "array", "uniqueItems": True}, [[1, True], []], [[1, Decimal(1)], [{"a": 1}, {"a": 1}]]),
    ({"items": [{"type": "string"}], "additionalItems": False}, [[], ["a"]], [["a", "b"], [1]]),
    ({"minimum": 0, "exclusiveMaximum": 10}, [0, Decimal("9.99"), "text"], [Decimal(-1), 10]),
    ({"if": {"properties": {"kind": {"const": "x"}}, "required": ["kind"]}, "then": {"required": ["p"]},
      "else": {"maxProperties": 1}}, [{"kind": "x", "p": 1}, {"a": 1}, 3], [{"kind": "x"}, {"a": 1, "b": 2}]),
    ({"oneOf": [{"required": ["a"]}, {"required": ["b"]}]}, [{"a": 1}, {"b": 1}], [{"a": 1, "b": 1}, {}]),
    ({"$ref": "#/definitions/s", "definitions": {"s": {"type": "array"}}, "items": False, "format": "date"},
     [[1]], ["x"]),  # draft-07: the siblings of $ref are not read (nor refused)
    ({"items": [{"type": "string"}], "additionalItems": {"type": "number"}}, [["a", 1, 2], ["a"], []],
     [["a", "b"], [1]]),
    ({"items": False}, [[], "x"], [[1]]),
    ({"items": {"enum": [1, 2]}, "maxItems": 2}, [[1, Decimal(2)], {}], [[1, 3], [1, 1, 1], [True]]),
    ({"properties": {"a": {"type": "string"}}, "additionalProperties": {"type": "boolean"}},
     [{"a": "x", "b": True}, {}], [{"a": 1}, {"b": "x"}]),
    ({"properties": {"a": False}}, [{"b": 1}], [{"a": None}]),
    ({"minProperties": 1, "maxProperties": 2}, [{"a": 1}, [], "x"], [{}, {"a": 1, "b": 2, "c": 3}]),
    ({"not": {"type": "string"}}, [1, None], ["x"]),
    ({"if": {"type": "string"}, "else": {"type": "null"}}, ["x", None], [1]),
    ({"if": {"type": "string"}}, ["x", 1], []),
    ({"anyOf": [{"type": "string"}, {"minimum": 5}], "allOf": [{"maxLength": 2}, {"maximum": 9}]},
     ["ab", 7, Decimal("5")], ["abc", 3, 10]),
    ({"enum": []}, [], [1, None, "x"]),
    ({"exclusiveMinimum": Decimal("0.5"), "exclusiveMaximum": 1}, [Decimal("0.6"), "x"], [Decimal("0.5"), 1]),
    ({"const": {"a": [1, True]}}, [{"a": [Decimal(1), True]}], [{"a": [1, 1]}, {"a": [1, True], "b": 1}]),
    ({"type": "object", "properties": {"next": {"$ref": "#"}}, "additionalProperties": False},
     [{}, {"next": {"next": {}}}], [{"next": {"other": 1}}, {"next": 1}]),
])
def test_keywords_one_by_one(schema: dict[str, Any], valid: list[Any], invalid: list[Any]) -> None:
    check, validator = compile_check(schema, ecma_pattern), validator_for(schema)
    for doc in valid:
        assert check(doc) is True and reference(validator, doc), doc
    for doc in invalid:
        assert check(doc) is False and not reference(validator, doc), doc


def test_a_nan_or_a_trapped_signal_is_left_to_jsonschema() -> None:
    check = compile_check({"type": "number", "minimum": 0}, ecma_pattern)
    with pytest.raises(decimal.InvalidOperation):
        check(Decimal("NaN"))  # comparing a NaN signals, as in jsonschema
    assert _surely_valid(check, Decimal("NaN")) is False
    with decimal.localcontext() as ctx:
        ctx.traps[decimal.InvalidOperation] = False  # a lenient caller: both say what Python says
        assert _surely_valid(check, Decimal("NaN")) is reference(validator_for({"type": "number", "minimum": 0}),
                                                                 Decimal("NaN")) is True


@pytest.mark.parametrize("schema", [
    {"type": "object", "patternProperties": {"^x": {}}},
    {"properties": {"a": {"anyOf": [{"type": "string"}, {"format": "date"}]}}},
    {"items": {"contains": {"const": 1}}},
    {"multipleOf": 2},
    {"dependencies": {"a": ["b"]}},
    {"propertyNames": {"maxLength": 3}},
    {"$ref": "other.json#/x"},
    {"$ref": "#/definitions/missing"},
    {"type": "decimal"},
    {"allOf": [{"properties": {"a": {"$id": "x", "type": "string"}}}]},
    {"minLength": "3"},
    {"anyOf": []},
    {"items": True, "additionalItems": False},
])
def test_an_unknown_keyword_or_form_is_refused(schema: dict[str, Any]) -> None:
    with pytest.raises(Refused):
        compile_check(schema, ecma_pattern)
    assert fast_check(schema) is None


def _example_kind() -> Any:
    spec = importlib.util.spec_from_file_location(
        "taqyeem_passfail_example", ROOT / "examples" / "plugin-package" / "src" / "taqyeem_passfail" / "__init__.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.KIND


def test_a_plugin_kinds_params_go_through_the_same_compiler() -> None:
    base = _shipped_schema()
    schema = assemble(base, [*_builtin_kinds(base), _example_kind()])
    check, validator = fast_check(schema), validator_for(schema)
    assert check is not None
    data = load_document((ROOT / "examples" / "plugin-package" / "guide.yaml").read_text("utf-8"), "guide.yaml").data
    assert check(data) is True and reference(validator, data)
    crit = next(c for m in data["models"].values() for cat in m["categories"] for c in cat["criteria"]
                if c.get("kind") == "pass_fail")
    for params in ({}, {"check": "x", "fail": "0"}, {"check": "x", "other": 1}, {"check": "9x"}):
        crit["params"] = params
        assert check(data) is False and not reference(validator, data), params
    crit["params"] = {"check": "x", "fail": Decimal(1)}
    assert check(data) is True and reference(validator, data)


def test_a_plugin_kind_with_an_unknown_keyword_keeps_jsonschema(tmp_path: Path) -> None:
    """A params schema beyond the compiler's subset: the guide schema is refused whole,
    and jsonschema validates (and words the errors) as before."""
    kind = _example_kind()

    class Patterned(type(kind)):  # type: ignore[misc]
        name = "patterned"
        codes: ClassVar[dict[str, str]] = {}

        def params_schema(self) -> dict[str, Any]:
            return {"type": "object", "required": ["check"], "patternProperties": {"^x_": {"type": "number"}}}

    registry = kind_registry()
    registry.register(Patterned())
    try:
        _, check = _guide_checks(frozenset({"patterned"}))
        assert check is None
        text = (ROOT / "examples" / "plugin-package" / "guide.yaml").read_text("utf-8")
        data = load_document(text.replace("kind: pass_fail", "kind: patterned"), "guide.yaml").data
        assert "patterned" in kind_names(data)
        doc = load_document(text.replace("kind: pass_fail", "kind: patterned").replace("check:", "chek:"),
                            "guide.yaml")
        errors = list(validate(doc))
        assert [d.code for d in errors] == ["guide.missing-key"] and "`check`" in errors[0].message
    finally:
        registry.unregister("patterned")



def test_every_generated_function_compiles() -> None:
    """Python compiles each generated function on its first call; all of them compile
    (a slip would otherwise only show as a slow fallback to jsonschema)."""
    base = _shipped_schema()
    for schema in (base, assemble(base, [*_builtin_kinds(base), _example_kind()])):
        check = fast_check(schema)
        assert check is not None
        names = re.findall(r"^def (\w+)\(x\):", check.source, re.M)
        assert len(names) > 50
        namespace: dict[str, Any] = {}
        exec(compile(check.source, "<check>", "exec"), namespace)
        assert all(callable(namespace[name]) for name in names)
