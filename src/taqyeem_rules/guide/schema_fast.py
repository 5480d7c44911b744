"""A fast yes/no check of a document against a JSON Schema (draft-07), compiled to Python.

:func:`compile_check` turns a schema into one predicate that answers the question
jsonschema answers when it finds no error — *is this document valid?* — without building
an error for every branch it tries. jsonschema stays the reference: it runs only when
the predicate says no (or cannot say), to word the errors the user sees
(:func:`taqyeem_rules.guide.schema.validate`).

The compiler knows the subset of draft-07 the guide schema and the criterion kinds'
params schemas use — ``type``, ``$ref`` (to ``#/definitions/NAME`` or ``#``; siblings
ignored, as draft-07 says), ``required``, ``properties``, ``additionalProperties``,
``enum``, ``const``, ``anyOf``, ``oneOf``, ``allOf``, ``not``, ``if``/``then``/``else``,
``items`` (a schema or a list) with ``additionalItems``, ``minItems``/``maxItems``,
``uniqueItems``, ``minLength``/``maxLength``, ``minProperties``/``maxProperties``,
``minimum``/``maximum``/``exclusiveMinimum``/``exclusiveMaximum`` and ``pattern`` (with
ECMA-262's ``$``, as the validator reads it) — and the validator's types: a number is an
``int`` or a ``Decimal`` (a bool is neither), an integer a whole one. A keyword it does
not know makes it refuse the whole schema (:class:`Refused`; the caller keeps
jsonschema for it), never pass silently. Equality (``enum``, ``const``,
``uniqueItems``) is jsonschema's: ``True`` is not ``1``, ``1`` is ``1.0``, mappings and
lists compare deeply.

Each schema node becomes straight-line Python statements (nested schemas inlined, each
definition one function), generated from the schema only — never from a document — and
compiled once per schema by the caller's cache. Every comparison is the one jsonschema
makes (``minimum`` fails on ``x < m``, not passes on ``x >= m``), so a NaN or a
trapped decimal signal behaves the same way in both; an exception inside the
predicate is the caller's cue to ask jsonschema.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

__all__ = ["Refused", "compile_check", "json_equal", "json_unique"]


class Refused(Exception):
    """The schema uses something the compiler does not know (the message says what)."""


# ---- jsonschema's equality -----------------------------------------------------------------

_TRUE, _FALSE = object(), object()


def _unbool(value: Any) -> Any:
    if value is True:
        return _TRUE
    if value is False:
        return _FALSE
    return value


def json_equal(one: Any, two: Any) -> bool:
    """Equality as JSON Schema (and jsonschema) sees it: a bool equals only the same bool,
    numbers compare by value (``1 == 1.0 == Decimal("1.00")``), text only to text,
    lists and mappings member by member."""
    if one is two:
        return True
    if isinstance(one, str) or isinstance(two, str):
        return bool(one == two)
    if isinstance(one, Sequence) and isinstance(two, Sequence):
        return len(one) == len(two) and all(json_equal(a, b) for a, b in zip(one, two))
    if isinstance(one, Mapping) and isinstance(two, Mapping):
        return len(one) == len(two) and all(k in two and json_equal(v, two[k]) for k, v in one.items())
    return bool(_unbool(one) == _unbool(two))


def json_unique(items: Sequence[Any]) -> bool:
    """``uniqueItems`` as jsonschema decides it: sorted neighbours compared with
    :func:`json_equal` when the items sort, every pair otherwise."""
    try:
        ordered = sorted(_unbool(i) for i in items)
        for a, b in zip(ordered, itertools.islice(ordered, 1, None)):
            if json_equal(a, b):
                return False
    except (NotImplementedError, TypeError):
        seen: list[Any] = []
        for item in items:
            item = _unbool(item)
            if any(json_equal(s, item) for s in seen):
                return False
            seen.append(item)
    return True


def _in_enum(value: Any, choices: tuple[Any, ...]) -> bool:
    return any(json_equal(choice, value) for choice in choices)


def _is_integer(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, Decimal):
        return value.is_finite() and value == value.to_integral_value()
    return isinstance(value, int)


# ---- the compiler -------------------------------------------------------------------------

#: Keywords that only annotate (jsonschema does not validate with them).
_NOTES = frozenset({"title", "description", "$comment", "examples", "default", "$schema", "$id",
                    "definitions", "readOnly", "writeOnly"})
_STRING = ("minLength", "maxLength", "pattern")
_NUMBER = ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum")
_ARRAY = ("items", "additionalItems", "minItems", "maxItems", "uniqueItems")
_OBJECT = ("required", "properties", "additionalProperties", "minProperties", "maxProperties")
_KNOWN = frozenset({"$ref", "type", "enum", "const", "anyOf", "oneOf", "allOf", "not", "if",
                    "then", "else", *_STRING, *_NUMBER, *_ARRAY, *_OBJECT}) | _NOTES
#: Keywords of a node simple enough to be one inline expression.
_LEAF = frozenset({"type", "enum", "const", *_STRING, *_NUMBER}) | _NOTES

_TYPE_TEST = {
    "object": "isinstance({v}, dict)",
    "array": "isinstance({v}, list)",
    "string": "isinstance({v}, str)",
    "boolean": "isinstance({v}, bool)",
    "null": "{v} is None",
    "number": "(isinstance({v}, _numeric) and not isinstance({v}, bool))",
    "integer": "_is_integer({v})",
}
#: The type a group of keywords applies to (other values pass them).
_GROUP_TYPE = {"string": "string", "number": "number", "array": "array", "object": "object"}
_GUARD = {
    "string": "isinstance({v}, str)",
    "number": "(isinstance({v}, _numeric) and not isinstance({v}, bool))",
    "array": "isinstance({v}, list)",
    "object": "isinstance({v}, dict)",
}
#: Statement nesting kept well below Python's limit of 20 static blocks.
_MAX_NEST = 12


def _is_count(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def _is_bound(value: Any) -> bool:
    return isinstance(value, int | Decimal | float) and not isinstance(value, bool)


class _Compiler:
    def __init__(self, root: Any, pattern: Callable[[str], re.Pattern[str]]) -> None:
        self.root = root
        self.definitions = root.get("definitions", {}) if isinstance(root, dict) else {}
        self.pattern = pattern
        self.namespace: dict[str, Any] = {
            "_numeric": (int, Decimal),
            "_is_integer": _is_integer,
            "_in_enum": _in_enum,
            "_json_equal": json_equal,
            "_json_unique": json_unique,
            "_M": object(),
        }
        self.functions: dict[Any, str] = {}  # a definition's name (or "#") → its function
        self.pending: list[tuple[str, Any]] = []
        self.source: list[str] = []
        self.count = itertools.count()

    # ---- names ----------------------------------------------------------------------------

    def const(self, value: Any) -> str:
        name = f"_k{next(self.count)}"
        self.namespace[name] = value
        return name

    def temp(self) -> str:
        return f"v{next(self.count)}"

    def ref(self, ref: Any) -> str:
        """The function checking the target of a ``$ref``."""
        if not isinstance(ref, str):
            raise Refused(f"$ref {ref!r} is not text")
        if ref == "#":
            key, target = "#", self.root
        elif ref.startswith("#/definitions/"):
            name = ref[len("#/definitions/"):]
            if not name or any(c in name for c in "/~%") or name not in self.definitions:
                raise Refused(f"$ref {ref!r} is not a definition of this schema")
            key, target = name, self.definitions[name]
        else:
            raise Refused(f"$ref {ref!r} is not local")
        found = self.functions.get(key)
        if found is None:
            found = self.functions[key] = f"_d{next(self.count)}"
            self.pending.append((found, target))
        return found

    # ---- expressions ----------------------------------------------------------------------

    def expr(self, node: Any, v: str) -> str:
        """A boolean expression: whether ``v`` is valid under ``node``."""
        if node is True:
            return "True"
        if node is False:
            return "False"
        if not isinstance(node, dict):
            raise Refused(f"a schema must be a mapping or a boolean, not {node!r}")
        self.known(node)
        if "$ref" in node:
            return f"{self.ref(node['$ref'])}({v})"
        if node.keys() <= _LEAF:
            parts = self.leaf(node, v)
            return "(" + " and ".join(parts) + ")" if parts else "True"
        name = f"_f{next(self.count)}"
        self.pending.append((name, node))
        return f"{name}({v})"

    def known(self, node: dict[str, Any]) -> None:
        if "$ref" in node:  # draft-07: the siblings of $ref are not read
            return
        unknown = sorted(k for k in node if k not in _KNOWN)
        if unknown:
            raise Refused(f"unknown keyword {unknown[0]!r}")
        if "$id" in node and node is not self.root:
            raise Refused("$id below the top (it would move where $ref looks)")

    def types(self, node: dict[str, Any]) -> tuple[str, ...] | None:
        if "type" not in node:
            return None
        kind = node["type"]
        kinds = [kind] if isinstance(kind, str) else kind
        if not isinstance(kinds, list) or not kinds or any(k not in _TYPE_TEST for k in kinds):
            raise Refused(f"type {kind!r}")
        return tuple(kinds)

    def leaf(self, node: dict[str, Any], v: str) -> list[str]:
        """The tests of a node made of type, enum, const, string and number keywords."""
        parts: list[str] = []
        kinds = self.types(node)
        if kinds is not None:
            parts.append("(" + " or ".join(_TYPE_TEST[k].format(v=v) for k in kinds) + ")")
        parts += self.values(node, v)
        for group, keys in (("string", _STRING), ("number", _NUMBER)):
            tests = self.scalar_tests(node, keys, v)
            if not tests:
                continue
            if self.needs_guard(kinds, group):
                parts.append(f"(not {_GUARD[group].format(v=v)} or ({' and '.join(tests)}))")
            elif self.applies(kinds, group):
                parts.extend(tests)
        return parts

    def values(self, node: dict[str, Any], v: str) -> list[str]:
        parts = []
        if "enum" in node:
            choices = node["enum"]
            if not isinstance(choices, list):
                raise Refused("enum is not a list")
            if all(isinstance(c, str) for c in choices):
                parts.append(f"(isinstance({v}, str) and {v} in {self.const(frozenset(choices))})")
            else:
                parts.append(f"_in_enum({v}, {self.const(tuple(choices))})")
        if "const" in node:
            value = node["const"]
            if isinstance(value, str):
                parts.append(f"(isinstance({v}, str) and {v} == {self.const(value)})")
            else:
                parts.append(f"_json_equal({v}, {self.const(value)})")
        return parts

    def scalar_tests(self, node: dict[str, Any], keys: tuple[str, ...], v: str) -> list[str]:
        tests = []
        for key in keys:
            if key not in node:
                continue
            value = node[key]
            if key in ("minLength", "maxLength"):
                if not _is_count(value):
                    raise Refused(f"{key} {value!r}")
                tests.append(f"len({v}) {'>=' if key == 'minLength' else '<='} {value}")
            elif key == "pattern":
                if not isinstance(value, str):
                    raise Refused(f"pattern {value!r}")
                try:
                    compiled = self.pattern(value)
                except re.error as exc:
                    raise Refused(f"pattern {value!r}: {exc}") from None
                tests.append(f"{self.const(compiled)}.search({v}) is not None")
            else:
                if not _is_bound(value):
                    raise Refused(f"{key} {value!r}")
                # Exactly jsonschema's failing comparison, negated (a NaN answers alike).
                fails = {"minimum": "<", "maximum": ">", "exclusiveMinimum": "<=", "exclusiveMaximum": ">="}[key]
                tests.append(f"not ({v} {fails} {self.const(value)})")
        return tests

    @staticmethod
    def applies(kinds: tuple[str, ...] | None, group: str) -> bool:
        """Whether values of some allowed type are of the group's type."""
        if kinds is None:
            return True
        if group == "number":
            return "number" in kinds or "integer" in kinds
        return group in kinds

    @staticmethod
    def needs_guard(kinds: tuple[str, ...] | None, group: str) -> bool:
        """Whether a value that passed ``type`` may still be of another type than the group's."""
        if kinds is None:
            return True
        if group == "number":
            return not all(k in ("number", "integer") for k in kinds) and ("number" in kinds or "integer" in kinds)
        return group in kinds and len(kinds) > 1

    # ---- statements -----------------------------------------------------------------------

    def stmts(self, node: Any, v: str, out: list[str], ind: int) -> None:
        """Statements that ``return False`` when ``v`` is not valid under ``node``."""
        pad = "    " * ind
        if node is True or node == {}:
            return
        if ind > _MAX_NEST or not isinstance(node, dict) or "$ref" in node or node.keys() <= _LEAF:
            test = self.expr(node, v)
            if test != "True":
                out.append(f"{pad}if not {test}: return False")
            return
        self.known(node)
        kinds = self.types(node)
        if kinds is not None:
            out.append(f"{pad}if not (" + " or ".join(_TYPE_TEST[k].format(v=v) for k in kinds) + "): return False")
        for test in self.values(node, v):
            out.append(f"{pad}if not {test}: return False")
        for group, keys in (("string", _STRING), ("number", _NUMBER)):
            tests = self.scalar_tests(node, keys, v)
            if tests and self.applies(kinds, group):
                if self.needs_guard(kinds, group):
                    out.append(f"{pad}if {_GUARD[group].format(v=v)} and not ({' and '.join(tests)}): return False")
                else:
                    out.append(f"{pad}if not ({' and '.join(tests)}): return False")
        for group, emit in (("array", self.array), ("object", self.object)):
            keys = _ARRAY if group == "array" else _OBJECT
            if not any(k in node for k in keys) or not self.applies(kinds, group):
                continue
            if self.needs_guard(kinds, group):
                out.append(f"{pad}if {_GUARD[group].format(v=v)}:")
                body: list[str] = []
                emit(node, v, body, ind + 1)
                out.extend(body or [f"{pad}    pass"])
            else:
                emit(node, v, out, ind)
        for member in self.listed(node, "allOf"):
            self.stmts(member, v, out, ind)
        if "anyOf" in node:
            tests = [self.expr(m, v) for m in self.listed(node, "anyOf")]
            out.append(f"{pad}if not ({' or '.join(tests)}): return False")
        if "oneOf" in node:
            tests = [self.expr(m, v) for m in self.listed(node, "oneOf")]
            out.append(f"{pad}if (" + " + ".join(f"(1 if {t} else 0)" for t in tests) + ") != 1: return False")
        if "not" in node:
            out.append(f"{pad}if {self.expr(node['not'], v)}: return False")
        if "if" in node:
            test = self.expr(node["if"], v)
            then: list[str] = []
            other: list[str] = []
            if "then" in node:
                self.stmts(node["then"], v, then, ind + 1)
            if "else" in node:
                self.stmts(node["else"], v, other, ind + 1)
            if then or other:
                out.append(f"{pad}if {test}:")
                out.extend(then or [f"{pad}    pass"])
                if other:
                    out.append(f"{pad}else:")
                    out.extend(other)
            elif test != "True":
                out.append(f"{pad}{test}")  # evaluated for its exceptions, as jsonschema does

    def listed(self, node: dict[str, Any], key: str) -> list[Any]:
        if key not in node:
            return []
        members = node[key]
        if not isinstance(members, list) or not members:
            raise Refused(f"{key} is not a non-empty list")
        return members

    def array(self, node: dict[str, Any], v: str, out: list[str], ind: int) -> None:
        pad = "    " * ind
        for key, op in (("minItems", "<"), ("maxItems", ">")):
            if key in node:
                if not _is_count(node[key]):
                    raise Refused(f"{key} {node[key]!r}")
                out.append(f"{pad}if len({v}) {op} {node[key]}: return False")
        if "uniqueItems" in node:
            if not isinstance(node["uniqueItems"], bool):
                raise Refused("uniqueItems is not true or false")
            if node["uniqueItems"]:
                out.append(f"{pad}if not _json_unique({v}): return False")
        if "items" not in node:
            return  # (draft-07: additionalItems only counts beside a list of items)
        items = node["items"]
        if isinstance(items, list):
            for k, sub in enumerate(items):
                body: list[str] = []
                item = self.temp()
                self.stmts(sub, item, body, ind + 1)
                if body:
                    out.append(f"{pad}if len({v}) > {k}:")
                    out.append(f"{pad}    {item} = {v}[{k}]")
                    out.extend(body)
            extra = node.get("additionalItems", True)
            if extra is False:
                out.append(f"{pad}if len({v}) > {len(items)}: return False")
            elif extra is not True:
                self.each(extra, f"{v}[{len(items)}:]", out, ind)
        elif isinstance(items, dict | bool):
            if "additionalItems" in node and not isinstance(items, dict):
                raise Refused("additionalItems beside a boolean items")
            self.each(items, v, out, ind)
        else:
            raise Refused(f"items {items!r}")

    def each(self, sub: Any, seq: str, out: list[str], ind: int) -> None:
        pad = "    " * ind
        item = self.temp()
        body: list[str] = []
        self.stmts(sub, item, body, ind + 1)
        if body:
            out.append(f"{pad}for {item} in {seq}:")
            out.extend(body)

    def object(self, node: dict[str, Any], v: str, out: list[str], ind: int) -> None:
        pad = "    " * ind
        required = node.get("required", [])
        if not isinstance(required, list) or not all(isinstance(k, str) for k in required):
            raise Refused("required is not a list of names")
        if required:
            out.append(f"{pad}if not (" + " and ".join(f"{k!r} in {v}" for k in dict.fromkeys(required)) + "): return False")
        for key, op in (("minProperties", "<"), ("maxProperties", ">")):
            if key in node:
                if not _is_count(node[key]):
                    raise Refused(f"{key} {node[key]!r}")
                out.append(f"{pad}if len({v}) {op} {node[key]}: return False")
        props = node.get("properties", {})
        if not isinstance(props, dict):
            raise Refused("properties is not a mapping")
        extra = node.get("additionalProperties", True)
        if extra is False:
            out.append(f"{pad}if not {self.const(frozenset(props))}.issuperset({v}): return False")
        elif extra is not True:
            item, key = self.temp(), self.temp()
            body: list[str] = []
            self.stmts(extra, item, body, ind + 2)
            if body:
                out.append(f"{pad}for {key}, {item} in {v}.items():")
                out.append(f"{pad}    if {key} not in {self.const(frozenset(props))}:")
                out.extend(body)
        for name, sub in props.items():
            item = self.temp()
            body = []
            self.stmts(sub, item, body, ind + 1)
            if body:
                out.append(f"{pad}{item} = {v}.get({name!r}, _M)")
                out.append(f"{pad}if {item} is not _M:")
                out.extend(body)

    # ---- the whole schema -----------------------------------------------------------------

    def build(self) -> Callable[[Any], bool]:
        top = self.expr(self.root, "x")
        functions: list[tuple[str, str]] = []
        done: set[str] = set()
        while self.pending:
            name, node = self.pending.pop()
            if name in done:
                continue
            done.add(name)
            body: list[str] = []
            self.stmts(node, "x", body, 1)
            functions.append((name, f"def {name}(x):\n" + "".join(line + "\n" for line in body) + "    return True\n"))
        # Each function is compiled by Python on its first call (a stub stands in for it
        # until then): a guide reaches only part of the schema — a guide without
        # amendments never the amendments' definitions — and compiling the whole text
        # would cost more than validating a guide with it.
        for name, text in functions:
            self.namespace[name] = _stub(self.namespace, name, text)
        text = f"def _check(x):\n    return {top}\n"
        exec(compile(text, "<schema check>", "exec"), self.namespace)  # generated from the schema only
        check: Callable[[Any], bool] = self.namespace["_check"]
        check.source = "\n".join([text, *(t for _, t in functions)])  # type: ignore[attr-defined]
        return check


def _stub(namespace: dict[str, Any], name: str, text: str) -> Callable[[Any], bool]:
    """A stand-in for the generated function ``name`` that compiles it on its first call,
    puts it in its place (later calls go straight to it) and answers with it."""

    def first_call(x: Any) -> bool:
        if namespace[name] is first_call:
            exec(compile(text, f"<schema check {name}>", "exec"), namespace)  # generated from the schema only
        return namespace[name](x)  # type: ignore[no-any-return]

    return first_call


def compile_check(schema: Any, pattern: Callable[[str], re.Pattern[str]] = re.compile) -> Callable[[Any], bool]:
    """A predicate true exactly when jsonschema (draft-07, the validator's types) finds no
    error in a document. ``pattern`` compiles a ``pattern`` keyword as the validator does.
    Raises :class:`Refused` for a schema with a keyword (or a form of one) it does not know."""
    return _Compiler(schema, pattern).build()
