"""JSON Schema validation with positions and messages in the user's words.

The guide schema ships in the package (``guide.schema.json``, draft-07). Validation
errors are translated from jsonschema's wording into diagnostics that name the key, say
what was expected, suggest the nearest valid key or value, and point at the YAML line.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from importlib import resources
from typing import Any

import jsonschema
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match

from ..dsl.hints import did_you_mean
from ..errors import Diagnostic, PluginError
from .yamlio import Document

__all__ = [
    "assemble",
    "ecma_pattern",
    "fast_check",
    "from_canonical",
    "guide_schema",
    "path_text",
    "schema_diagnostic",
    "validate",
    "validator_for",
]


def _is_integer(checker: Any, instance: Any) -> bool:
    if isinstance(instance, bool):
        return False
    if isinstance(instance, Decimal):
        return instance.is_finite() and instance == instance.to_integral_value()
    return isinstance(instance, int)


def _is_number(checker: Any, instance: Any) -> bool:
    if isinstance(instance, bool):
        return False
    return isinstance(instance, int | Decimal)


_TYPE_CHECKER = Draft7Validator.TYPE_CHECKER.redefine_many(
    {"integer": _is_integer, "number": _is_number}
)


@functools.lru_cache(maxsize=64)
def ecma_pattern(pattern: str) -> re.Pattern[str]:
    """A JSON Schema ``pattern`` compiled with its ECMA-262 meaning: ``$`` matches at the
    very end only. (In Python, ``$`` also matches before a trailing newline, so
    ``^[a-z]+$`` would accept ``"abc\\n"``; here every ``$`` outside a character class
    becomes ``\\Z``.)"""
    out, escaped, in_class = [], False, False
    for ch in pattern:
        if escaped:
            out.append(ch)
            escaped = False
        elif ch == "\\":
            out.append(ch)
            escaped = True
        elif in_class:
            out.append(ch)
            in_class = ch != "]"
        elif ch == "[":
            out.append(ch)
            in_class = True
        else:
            out.append(r"\Z" if ch == "$" else ch)
    return re.compile("".join(out))


def _pattern(validator: Any, pattern: str, instance: Any, schema: Any) -> Iterator[ValidationError]:
    if validator.is_type(instance, "string") and not ecma_pattern(pattern).search(instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


_Validator = jsonschema.validators.extend(
    Draft7Validator, validators={"pattern": _pattern}, type_checker=_TYPE_CHECKER
)


@functools.cache
def _shipped_schema() -> dict[str, Any]:
    text = resources.files("taqyeem_rules.guide").joinpath("guide.schema.json").read_text("utf-8")
    return json.loads(text)


def guide_schema(kinds: Iterable[str] | None = None) -> dict[str, Any]:
    """The JSON Schema of guide files (draft-07), assembled from the criterion kinds.

    The shipped ``guide.schema.json`` holds the built-in kinds (editors can bind it);
    this adds the params of plugin kinds: every installed kind, or only those named in
    ``kinds``. A kind that cannot be loaded is left out (the guide's checks report it).
    """
    from .kinds import kind_registry

    registry = kind_registry()
    names = registry.names() if kinds is None else sorted(set(kinds))
    key = (tuple(names), registry.version)
    cached = _ASSEMBLED.get(key)
    if cached is None:
        plugins = []
        for name in names:
            try:
                info = registry.info(name)
            except PluginError:
                continue
            if info is not None and not info.builtin:
                plugins.append(info.kind)
        base = _shipped_schema()
        cached = assemble(base, [*_builtin_kinds(base), *plugins]) if plugins else base
        _ASSEMBLED.clear()  # one assembly is kept: guides name the same few kinds
        _ASSEMBLED[key] = cached
    return copy.deepcopy(cached)


_ASSEMBLED: dict[Any, dict[str, Any]] = {}


def _builtin_kinds(base: Mapping[str, Any]) -> list[Any]:
    from .kinds import BUILTIN_ENTRY_POINTS, kind_registry

    return [kind_registry().get(name) for name in sorted(BUILTIN_ENTRY_POINTS)]


def _kind_branch(kind: Any) -> dict[str, Any]:
    return {
        "if": {"properties": {"kind": {"const": kind.name}}, "required": ["kind"]},
        "then": {"required": ["params"], "properties": {"params": kind.params_schema()}},
    }


def _is_kind_branch(branch: Any) -> bool:
    return (
        isinstance(branch, dict)
        and isinstance(branch.get("if"), dict)
        and "kind" in branch["if"].get("properties", {})
    )


def assemble(base: Mapping[str, Any], kinds: Iterable[Any]) -> dict[str, Any]:
    """``base`` with the criterion definition made of ``kinds``: each kind's shorthand
    key (``score``, ``bands``) and, for ``kind: NAME``, its ``params`` schema."""
    schema = copy.deepcopy(dict(base))
    crit = schema["definitions"]["criterion"]
    ordered = sorted(kinds, key=lambda k: k.name)
    shorthands = [k for k in ordered if k.shorthand]
    for kind in shorthands:
        crit["properties"][kind.shorthand] = kind.shorthand_schema()
    crit["oneOf"] = [{"required": [k.shorthand]} for k in shorthands] + [{"required": ["kind"]}]
    crit["allOf"] = [b for b in crit.get("allOf", []) if not _is_kind_branch(b)] + [
        _kind_branch(k) for k in ordered
    ]
    return schema


def kind_names(data: Any) -> set[str]:
    """The kinds a guide document names with ``kind:`` (criteria, and criteria inside
    amendments)."""
    found: set[str] = set()
    stack = [data]
    while stack:
        item = stack.pop()
        if isinstance(item, dict):
            kind = item.get("kind")
            if isinstance(kind, str) and "weight" in item:
                found.add(kind)
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return found


def validator_for(schema: Mapping[str, Any]) -> Any:
    return _Validator(schema)


def _inline_refs(node: Any, definitions: Mapping[str, Any]) -> Any:
    """The schema with every local ``$ref`` replaced by its definition (the guide schema
    is not recursive). jsonschema resolves each ``$ref`` at every use, which dominated
    validation time; the inlined schema validates identically."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/"):
            # (Draft-07 ignores a $ref's siblings; a kind's params may give one a description.)
            inlined = _inline_refs(definitions[ref.rsplit("/", 1)[1]], definitions)
            notes = {k: v for k, v in node.items() if k in ("description", "title")}
            return {**inlined, **notes} if notes else inlined
        return {k: _inline_refs(v, definitions) for k, v in node.items() if k != "definitions"}
    if isinstance(node, list):
        return [_inline_refs(v, definitions) for v in node]
    return node


def _guide_validator(kinds: frozenset[str] = frozenset()) -> Any:
    """The validator of guide files that name ``kinds`` (refs inlined; kept per set of
    plugin kinds and registry version)."""
    return _guide_checks(kinds)[0]


def _guide_checks(kinds: frozenset[str] = frozenset()) -> tuple[Any, Callable[[Any], bool] | None]:
    """The validator of guide files that name ``kinds``, and the fast check of the same
    schema (None when the schema uses a keyword the fast check does not know); both kept
    per set of plugin kinds and registry version."""
    from .kinds import BUILTIN_ENTRY_POINTS, kind_registry

    plugins = frozenset(k for k in kinds if k not in BUILTIN_ENTRY_POINTS)
    key = (plugins, kind_registry().version if plugins else -1)
    found = _VALIDATORS.get(key)
    if found is None:
        schema = guide_schema(plugins) if plugins else _shipped_schema()
        found = _VALIDATORS[key] = (
            _Validator(_inline_refs(schema, schema.get("definitions", {}))),
            fast_check(schema),
        )
    return found


_VALIDATORS: dict[Any, tuple[Any, Callable[[Any], bool] | None]] = {}


def fast_check(schema: Mapping[str, Any]) -> Callable[[Any], bool] | None:
    """A predicate true exactly when :func:`validator_for` finds no error in a document
    (compiled by :mod:`~taqyeem_rules.guide.schema_fast`), or None when the schema uses a
    keyword it does not know: jsonschema then decides alone."""
    from .schema_fast import Refused, compile_check

    try:
        return compile_check(schema, ecma_pattern)
    except Refused:
        return None


def _surely_valid(check: Callable[[Any], bool] | None, data: Any) -> bool:
    """Whether the fast check says ``data`` is valid (any doubt, even an exception inside
    it — e.g. a trapped signal comparing a NaN — is left to jsonschema)."""
    if check is None:
        return False
    try:
        return check(data) is True
    except Exception:  # jsonschema, run next, meets the same value and says what it does
        return False


def _resolve(node: Any, definitions: Mapping[str, Any]) -> Any:
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        node = definitions.get(node["$ref"].rsplit("/", 1)[-1], {})
    return node


def _branches(node: Any, definitions: Mapping[str, Any]) -> list[Any]:
    """A schema node and the branches it combines (anyOf, oneOf, allOf), resolved."""
    node = _resolve(node, definitions)
    out = [node] if isinstance(node, dict) else []
    for key in ("anyOf", "oneOf", "allOf"):
        for branch in node.get(key, []) if isinstance(node, dict) else []:
            out.extend(_branches(branch, definitions))
    return out


def _wants_number(node: Any, definitions: Mapping[str, Any]) -> bool:
    for branch in _branches(node, definitions):
        kind = branch.get("type")
        kinds = kind if isinstance(kind, list) else [kind]
        if "number" in kinds or "integer" in kinds:
            return True
    return False


def _holds(condition: dict[str, Any], data: dict[str, Any]) -> bool:
    """Whether a mapping meets an ``if`` made of ``const`` properties (and ``required``)."""
    if any(key not in data for key in condition.get("required", ())):
        return False
    props = condition.get("properties", {})
    if not props:
        return False
    return all(isinstance(p, dict) and "const" in p and data.get(k) == p["const"] for k, p in props.items())


def _child(node: Any, key: str | int, definitions: Mapping[str, Any], data: Any = None) -> Any:
    """The schema of one member of a mapping or list whose schema is ``node`` (``data``,
    the mapping, decides ``if``/``then`` branches that test a constant, such as a
    criterion's ``kind`` choosing the schema of its ``params``)."""
    if isinstance(key, str) and isinstance(data, dict):
        for branch in _branches(node, definitions):
            condition, then = branch.get("if"), branch.get("then")
            if isinstance(condition, dict) and isinstance(then, dict) and _holds(condition, data):
                props = _resolve(then, definitions).get("properties", {})
                if key in props:
                    return props[key]
    for branch in _branches(node, definitions):
        if isinstance(key, str):
            props = branch.get("properties", {})
            if key in props:
                return props[key]
            extra = branch.get("additionalProperties")
            if isinstance(extra, dict):
                return extra
        else:
            items = branch.get("items")
            if isinstance(items, list) and key < len(items):
                return items[key]
            if isinstance(items, dict):
                return items
    return {}


def from_canonical(data: Any, schema: Any = None, path: tuple[Any, ...] = ()) -> Any:
    """Canonical guide data (:meth:`Guide.to_canonical`: decimals as strings, absent
    values as null) as the data of a guide document, so that it can go through the same
    schema and checks as a guide file: a string is read as a number (by the one number
    reader) where the schema wants a number — the schema assembled with the kinds the
    guide names, so a kind's params are read by its own schema — and a key whose value is
    null is left out. Text that is not number text stays text (the schema then says what
    is wrong); a number beyond the range is a :class:`~taqyeem_rules.errors.GuideError`
    (``yaml.number``)."""
    root = guide_schema(kind_names(data)) if schema is None else schema
    return _from_canonical(data, root, root.get("definitions", {}), path)


def _from_canonical(data: Any, node: Any, definitions: Mapping[str, Any], path: tuple[Any, ...]) -> Any:
    from ..dsl.numbers import NUMBER_TEXT, NumberTextError, read_number
    from ..errors import GuideError

    if isinstance(data, dict):
        return {
            k: _from_canonical(v, _child(node, k, definitions, data), definitions, (*path, k))
            for k, v in data.items()
            if v is not None
        }
    if isinstance(data, list):
        return [_from_canonical(v, _child(node, k, definitions), definitions, (*path, k))
                for k, v in enumerate(data)]
    if isinstance(data, str) and NUMBER_TEXT.fullmatch(data) and _wants_number(node, definitions):
        try:
            return read_number(data)
        except NumberTextError as exc:
            raise GuideError(f"{path_text(path)}: {exc.message}", code="yaml.number",
                             path=path_text(path)) from None
    return data


def path_text(path: tuple[Any, ...] | list[Any]) -> str:
    """``("models", "onsite", "categories", 2)`` → ``models.onsite.categories[2]``."""
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += ("." if out else "") + str(part)
    return out or "(top)"


_TYPE_WORDS = {
    "string": "text",
    "number": "a number",
    "integer": "a whole number",
    "boolean": "true or false",
    "object": "a mapping (key: value)",
    "array": "a list",
    "null": "nothing",
}


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"`{'true' if value else 'false'}`"
    if isinstance(value, Decimal):
        return f"the number {value}"
    if isinstance(value, str):
        shown = value if len(value) <= 40 else value[:37] + "…"
        return f"the text `{shown}`"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)


#: Explains an unknown key better than "did you mean": (path of its mapping, key) →
#: (message, hint), or None for the default wording.
UnknownKey = Callable[[tuple[Any, ...], str], "tuple[str, str | None] | None"]


def schema_diagnostic(
    error: ValidationError,
    doc: Document,
    code_prefix: str,
    *,
    extra_key: str | None = None,
    unknown_key: UnknownKey | None = None,
) -> Diagnostic:
    """One jsonschema error in the user's words, at its place in ``doc``."""
    path = tuple(error.absolute_path)
    validator = error.validator
    instance = error.instance
    span = doc.span(path)
    hint: str | None = None
    code = f"{code_prefix}.schema"
    where = path_text(path) if path else "the top level"
    within = f"in {where}" if path else "at the top level"
    message = error.message

    if validator == "additionalProperties" and isinstance(instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in instance if k not in allowed)
        key = extra_key if extra_key is not None else (extra[0] if extra else "")
        span = doc.key_span((*path, key)) if extra else span
        message = (
            f"unknown input `{key}`" if path and path[-1] == "inputs" and code_prefix == "evidence"
            else f"unknown key `{key}` {within}"
        )
        hint = did_you_mean(key, allowed) or ("allowed keys: " + ", ".join(sorted(allowed)))
        better = unknown_key(path, key) if unknown_key is not None and extra else None
        if better is not None:
            message, hint = better
        code = f"{code_prefix}.unknown-key"
        where = path_text((*path, key))
    elif validator == "required" and isinstance(instance, dict):
        # jsonschema reports each missing key on its own; every one of them gets the same
        # diagnostic, naming them all (``validate`` keeps one), so all are reported at once.
        missing = [k for k in error.validator_value if k not in instance]
        if len(missing) == 1:
            message = f"missing required key `{missing[0]}` {within}"
        else:
            message = f"missing {len(missing)} required keys {within}: " + ", ".join(f"`{k}`" for k in missing)
        code = f"{code_prefix}.missing-key"
        # A key of the mapping that is not valid there and looks like a missing one
        # (a valid key, or an input of another model or edition, is not a misspelling).
        allowed = set(error.schema.get("properties", {}))
        near = []
        for k in instance:
            if k in allowed:
                continue
            if unknown_key is not None and unknown_key(path, k) is not None:
                continue  # an input of another model or edition, said so on its own line
            match = did_you_mean(k, missing)
            if match:
                near.append(f"`{k}` looks like a misspelling of {match[len('did you mean '):-1]}")
        if near:
            hint = "; ".join(near)
    elif validator == "type":
        want = error.validator_value
        wants = [want] if isinstance(want, str) else list(want)
        message = f"{where} must be {' or '.join(_TYPE_WORDS.get(w, w) for w in wants)}, not {_describe(instance)}"
        code = f"{code_prefix}.type"
        if "number" in wants and isinstance(instance, str):
            hint = f"write numbers without quotes: {instance.strip()}"
        if "boolean" in wants and isinstance(instance, str) and instance.lower() in ("yes", "no", "on", "off", "y", "n"):
            hint = "write true or false (yes, no, on and off are text here)"
    elif validator == "enum":
        choices = [str(c) for c in error.validator_value]
        message = f"{where} is {_describe(instance)}; expected one of: {', '.join(choices)}"
        code = f"{code_prefix}.value"
        hint = did_you_mean(str(instance), choices)
    elif validator == "const":
        message = f"{where} must be `{error.validator_value}`, not {_describe(instance)}"
        code = f"{code_prefix}.value"
    elif validator == "pattern":
        message = f"{where}: {_describe(instance)} is not a valid identifier"
        code = f"{code_prefix}.id"
        hint = "use letters, digits and underscores, not starting with a digit (e.g. waiting_minutes)"
        if path and path[-1] in ("from", "to", "accessed"):
            message = f"{where}: {_describe(instance)} is not a date"
            hint = 'write dates as "YYYY-MM-DD"'
            code = f"{code_prefix}.date"
        elif path and path[-1] == "edition":
            message = f"{where}: {_describe(instance)} is not a valid edition id"
            hint = 'an edition is a short id such as "2024"'
    elif validator == "maxLength" and isinstance(instance, str):
        message = (f"{where} is {len(instance):,} characters long; the limit is "
                   f"{error.validator_value:,}")
        code = f"{code_prefix}.too-long"
        hint = "ids and editions are short names (e.g. waiting_minutes, 2024)"
    elif validator in ("minProperties", "maxProperties") and len(path) == 2 and path[0] == "amendments":
        message = f"amendment {path[1] + 1} needs an id, a rationale and exactly one operation"
        code = "amendment.operation"
    elif validator in ("minItems", "minProperties"):
        message = f"{where} needs at least {error.validator_value} item(s)"
        code = f"{code_prefix}.empty"
    elif validator in ("maxItems", "additionalItems"):
        size = len(instance) if isinstance(instance, list) else "too many"
        if path and path[-1] == "range":
            message = f"{where} has {size} items; a range is [min, max]"
        else:
            message = f"{where} has {size} items; too many"
        code = f"{code_prefix}.schema"
    elif validator == "maxProperties":
        message = f"{where} has too many keys"
        code = f"{code_prefix}.schema"
    elif validator in ("exclusiveMinimum", "minimum", "maximum"):
        bound = error.validator_value
        word = {"exclusiveMinimum": "greater than", "minimum": "at least", "maximum": "at most"}[validator]
        message = f"{where} must be {word} {bound}, not {instance}"
        code = f"{code_prefix}.range"
    elif validator == "oneOf" and isinstance(instance, dict) and "weight" in instance:
        forms = [next(iter(b["required"])) for b in error.validator_value if b.get("required")]
        present = [k for k in instance if k in forms]  # in the order they are written
        if present:
            message = f"criterion `{instance.get('id', '?')}` has both " + " and ".join(f"`{p}`" for p in present)
            hint = ("a criterion is scored by an expression (`score`) OR a decision table (`bands`) "
                    "OR another kind (`kind` with `params`); keep one")
        else:
            message = f"criterion `{instance.get('id', '?')}` has no `score` or `bands`"
            hint = "add `score: <expression>`, a `bands:` decision table, or `kind:` with `params:`"
        code = f"{code_prefix}.criterion-form"
    elif validator == "anyOf" and path == ():
        if isinstance(instance, dict) and "extends" in instance:
            extra = [k for k in ("numbers", "points", "inputs", "models") if k in instance]
            if extra:
                message = f"an amended edition (`extends`) cannot have its own `{extra[0]}`"
                hint = "change numbers, points, inputs and models through `amendments`"
                span = doc.key_span((extra[0],))
            else:
                message = "an amended edition (`extends`) needs `amendments`"
            code = f"{code_prefix}.extends"
        else:
            message = "the guide needs `numbers`, `points`, `inputs` and `models` (or `extends`)"
            code = f"{code_prefix}.missing-key"
    elif validator in ("anyOf", "oneOf") and error.context:
        inner = best_match(error.context)
        if inner is not None:
            return schema_diagnostic(inner, doc, code_prefix, unknown_key=unknown_key)
    return Diagnostic(code, message, span, hint, "error", path_text(path) if path else None)


def _diagnostics(error: ValidationError, doc: Document, code_prefix: str,
                 unknown_key: UnknownKey | None) -> Iterator[Diagnostic]:
    """The diagnostics of one error: one per unknown key (each at its own line), else one."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        if len(extra) > 1:
            for key in extra:
                yield schema_diagnostic(error, doc, code_prefix, extra_key=key, unknown_key=unknown_key)
            return
    yield schema_diagnostic(error, doc, code_prefix, unknown_key=unknown_key)


def validate(
    doc: Document,
    schema: Mapping[str, Any] | None = None,
    *,
    code_prefix: str = "guide",
    unknown_key: UnknownKey | None = None,
) -> Iterator[Diagnostic]:
    """Every schema violation of ``doc``, as diagnostics with positions: every unknown key
    and every missing key, not only the first. ``unknown_key`` may word an unknown key
    better than "did you mean" (e.g. an input of another model)."""
    if schema is None:
        validator, check = _guide_checks(frozenset(kind_names(doc.data)))
        if _surely_valid(check, doc.data):
            return  # valid: jsonschema, the reference, only runs to word errors
    else:
        validator = validator_for(schema)
    seen: set[tuple[str, str, str | None]] = set()
    for error in validator.iter_errors(doc.data):
        for d in _diagnostics(error, doc, code_prefix, unknown_key):
            key = (d.code, d.message, d.path, d.span.start if d.span else -1)
            if key not in seen:  # two keywords can word the same problem the same way
                seen.add(key)
                yield d
