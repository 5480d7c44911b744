"""JSON Schema validation with positions and messages in the user's words.

The guide schema ships in the package (``guide.schema.json``, draft-07). Validation
errors are translated from jsonschema's wording into diagnostics that name the key, say
what was expected, suggest the nearest valid key or value, and point at the YAML line.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from importlib import resources
from typing import Any

import jsonschema
from jsonschema import Draft7Validator
from jsonschema.exceptions import ValidationError, best_match

from ..dsl.checker import did_you_mean
from ..errors import Diagnostic
from .yamlio import Document

__all__ = ["guide_schema", "path_text", "validate", "validator_for"]


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
_Validator = jsonschema.validators.extend(Draft7Validator, type_checker=_TYPE_CHECKER)


@functools.cache
def guide_schema() -> dict[str, Any]:
    """The JSON Schema of guide files (draft-07)."""
    text = resources.files("taqyeem_rules.guide").joinpath("guide.schema.json").read_text("utf-8")
    return json.loads(text)


def validator_for(schema: Mapping[str, Any]) -> Any:
    return _Validator(schema)


def _inline_refs(node: Any, definitions: Mapping[str, Any]) -> Any:
    """The schema with every local ``$ref`` replaced by its definition (the guide schema
    is not recursive). jsonschema resolves each ``$ref`` at every use, which dominated
    validation time; the inlined schema validates identically."""
    if isinstance(node, dict):
        ref = node.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/definitions/") and len(node) == 1:
            return _inline_refs(definitions[ref.rsplit("/", 1)[1]], definitions)
        return {k: _inline_refs(v, definitions) for k, v in node.items() if k != "definitions"}
    if isinstance(node, list):
        return [_inline_refs(v, definitions) for v in node]
    return node


@functools.cache
def _guide_validator() -> Any:
    schema = guide_schema()
    return _Validator(_inline_refs(schema, schema.get("definitions", {})))


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


def _diagnostic(
    error: ValidationError,
    doc: Document,
    code_prefix: str,
    *,
    extra_key: str | None = None,
    unknown_key: UnknownKey | None = None,
) -> Diagnostic:
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
        # (a valid key is not a misspelling of another).
        allowed = set(error.schema.get("properties", {}))
        near = []
        for k in instance:
            if k in allowed:
                continue
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
        present = [k for k in ("score", "bands", "kind") if k in instance]
        if present:
            message = f"criterion `{instance.get('id', '?')}` has both " + " and ".join(f"`{p}`" for p in present)
            hint = "a criterion is scored by an expression (`score`) OR a decision table (`bands`); keep one"
        else:
            message = f"criterion `{instance.get('id', '?')}` has no `score` or `bands`"
            hint = "add `score: <expression>` or a `bands:` decision table"
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
            return _diagnostic(inner, doc, code_prefix, unknown_key=unknown_key)
    return Diagnostic(code, message, span, hint, "error", path_text(path) if path else None)


def _diagnostics(error: ValidationError, doc: Document, code_prefix: str,
                 unknown_key: UnknownKey | None) -> Iterator[Diagnostic]:
    """The diagnostics of one error: one per unknown key (each at its own line), else one."""
    if error.validator == "additionalProperties" and isinstance(error.instance, dict):
        allowed = set(error.schema.get("properties", {}))
        extra = sorted(k for k in error.instance if k not in allowed)
        if len(extra) > 1:
            for key in extra:
                yield _diagnostic(error, doc, code_prefix, extra_key=key, unknown_key=unknown_key)
            return
    yield _diagnostic(error, doc, code_prefix, unknown_key=unknown_key)


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
    validator = _guide_validator() if schema is None else validator_for(schema)
    seen: set[tuple[str, str, str | None]] = set()
    for error in validator.iter_errors(doc.data):
        for d in _diagnostics(error, doc, code_prefix, unknown_key):
            key = (d.code, d.message, d.path, d.span.start if d.span else -1)
            if key not in seen:  # two keywords can word the same problem the same way
                seen.add(key)
                yield d
