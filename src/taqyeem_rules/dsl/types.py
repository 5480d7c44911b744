"""Static types of the expression language.

``number``, ``boolean``, ``string``, ``null`` (the type of the literal ``null``),
``any`` (unknown, e.g. the elements of ``[]``), ``list<T>``, ``range<T>`` and
``context{field: T, …}`` (checklists, result records). Every type may be *nullable*
(written ``T?``): an optional input is ``number?``; an operation on a nullable value
gives a nullable result, as FEEL's null propagation says.

Types are small frozen values compared structurally; :func:`parse_type` reads the
written form used in guides and on the command line (``"list<number>"``, ``"number?"``).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..errors import ExpressionTypeError
from .numbers import to_decimal

__all__ = [
    "ANY",
    "BOOLEAN",
    "NULL",
    "NUMBER",
    "STRING",
    "ContextType",
    "ListType",
    "RangeType",
    "Scalar",
    "Type",
    "checklist",
    "is_assignable",
    "non_null",
    "nullable",
    "parse_type",
    "type_of_value",
    "unify",
]


@attrs.frozen
class Type:
    """Base of every type; ``nullable`` marks a value that may be null."""

    nullable: bool = attrs.field(default=False, kw_only=True)

    @property
    def kind(self) -> str:
        raise NotImplementedError

    def __str__(self) -> str:
        return self._text() + ("?" if self.nullable and not isinstance(self, _Null) else "")

    def _text(self) -> str:
        return self.kind


@attrs.frozen
class Scalar(Type):
    """number, boolean or string (``nullable`` adds null: ``number?``)."""

    name: str

    @property
    def kind(self) -> str:
        return self.name


@attrs.frozen
class _Null(Type):
    nullable: bool = attrs.field(default=True, kw_only=True)

    @property
    def kind(self) -> str:
        return "null"


@attrs.frozen
class _Any(Type):
    @property
    def kind(self) -> str:
        return "any"


@attrs.frozen
class ListType(Type):
    """A list whose items all have the type ``elem`` (``list<number>``)."""

    elem: Type

    @property
    def kind(self) -> str:
        return "list"

    def _text(self) -> str:
        return f"list<{self.elem}>"


@attrs.frozen
class RangeType(Type):
    """A range of numbers or strings (only after `in` and in cells)."""

    elem: Type

    @property
    def kind(self) -> str:
        return "range"

    def _text(self) -> str:
        return f"range<{self.elem}>"


@attrs.frozen
class ContextType(Type):
    """A record with named fields; ``checklist`` marks a checklist input."""

    fields: tuple[tuple[str, Type], ...]
    checklist: bool = False

    @property
    def kind(self) -> str:
        return "checklist" if self.checklist else "context"

    def field(self, name: str) -> Type | None:
        for key, value in self.fields:
            if key == name:
                return value
        return None

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.fields)

    def _text(self) -> str:
        if self.checklist:
            return "checklist{" + ", ".join(self.names) + "}"
        return "context{" + ", ".join(f"{k}: {v}" for k, v in self.fields) + "}"


NUMBER = Scalar("number")
BOOLEAN = Scalar("boolean")
STRING = Scalar("string")
NULL: Type = _Null()
ANY: Type = _Any()


def checklist(items: list[str] | tuple[str, ...], *, optional: bool = False) -> ContextType:
    """The type of a checklist input: a context of boolean items."""
    return ContextType(tuple((i, BOOLEAN) for i in items), True, nullable=optional)


def nullable(t: Type) -> Type:
    return t if t.nullable else attrs.evolve(t, nullable=True)


def non_null(t: Type) -> Type:
    if isinstance(t, _Null) or not t.nullable:
        return t
    return attrs.evolve(t, nullable=False)


def is_null(t: Type) -> bool:
    return isinstance(t, _Null)


def is_any(t: Type) -> bool:
    return isinstance(t, _Any)


def unify(a: Type, b: Type) -> Type | None:
    """The least type holding both, or None when they do not mix (number and string)."""
    if is_null(a):
        return nullable(b) if not is_null(b) else NULL
    if is_null(b):
        return nullable(a)
    either_null = a.nullable or b.nullable
    if is_any(a):
        return attrs.evolve(b, nullable=either_null) if not is_any(b) else ANY
    if is_any(b):
        return attrs.evolve(a, nullable=either_null)
    if type(a) is not type(b):
        return None
    if isinstance(a, Scalar):
        if a.name != b.name:  # type: ignore[attr-defined]
            return None
        return attrs.evolve(a, nullable=either_null)
    if isinstance(a, ListType | RangeType):
        elem = unify(a.elem, b.elem)  # type: ignore[attr-defined]
        if elem is None:
            return None
        return attrs.evolve(a, elem=elem, nullable=either_null)
    if isinstance(a, ContextType):
        if a != attrs.evolve(b, nullable=a.nullable):
            return None
        return attrs.evolve(a, nullable=either_null)
    return None  # pragma: no cover


def is_assignable(value: Type, target: Type) -> bool:
    """True when a value of type ``value`` may be passed where ``target`` is expected.

    Nullability is not part of assignability: FEEL propagates null, and the checker
    tracks nullability separately through the result type.
    """
    if is_any(target) or is_any(value) or is_null(value):
        return True
    if isinstance(target, Scalar):
        return isinstance(value, Scalar) and value.name == target.name
    if isinstance(target, ListType):
        if isinstance(value, ContextType) and not value.checklist and value.fields:
            # A record of numbers stands for the list of its values, so that a tier
            # gate can say min(categories) >= 60.
            return all(is_assignable(t, target.elem) for _, t in value.fields)
        return isinstance(value, ListType) and is_assignable(value.elem, target.elem)
    if isinstance(target, RangeType):
        return isinstance(value, RangeType) and is_assignable(value.elem, target.elem)
    if isinstance(target, ContextType):
        if not isinstance(value, ContextType):
            return False
        if target.checklist and not target.fields:
            # "any checklist": a context whose fields are all booleans.
            return all(
                isinstance(t, Scalar) and t.name == "boolean" for _, t in value.fields
            )
        return value.fields == target.fields
    return False  # pragma: no cover


_SCALARS = {"number": NUMBER, "boolean": BOOLEAN, "string": STRING, "any": ANY, "null": NULL}
_TOKEN = re.compile(r"\s*(list|range|context|checklist|number|boolean|string|any|null|<|>|\{|\}|,|:|\?|[A-Za-z_]\w*)")


def parse_type(text: str | Type) -> Type:
    """Read a written type: ``number``, ``number?``, ``list<number>``,
    ``checklist{a, b}``, ``context{total: number, tier: string?}``."""
    if isinstance(text, Type):
        return text
    tokens: list[str] = []
    pos = 0
    while pos < len(text):
        if text[pos:].strip() == "":
            break
        m = _TOKEN.match(text, pos)
        if not m:
            raise ExpressionTypeError(
                f"cannot read the type {text!r} at character {pos + 1}",
                code="type.syntax",
                hint="write number, boolean, string, list<number>, number? or checklist{a, b}",
            )
        tokens.append(m.group(1))
        pos = m.end()
    result, rest = _parse_type_tokens(tokens, text)
    if rest:
        raise ExpressionTypeError(
            f"unexpected {' '.join(rest)!r} in the type {text!r}", code="type.syntax"
        )
    return result


def _parse_type_tokens(tokens: list[str], text: str) -> tuple[Type, list[str]]:
    def fail() -> ExpressionTypeError:
        return ExpressionTypeError(
            f"cannot read the type {text!r}",
            code="type.syntax",
            hint="write number, boolean, string, list<number>, number? or checklist{a, b}",
        )

    if not tokens:
        raise fail()
    head, rest = tokens[0], tokens[1:]
    result: Type
    if head in _SCALARS:
        result = _SCALARS[head]
    elif head in ("list", "range"):
        if not rest or rest[0] != "<":
            raise fail()
        elem, rest = _parse_type_tokens(rest[1:], text)
        if not rest or rest[0] != ">":
            raise fail()
        rest = rest[1:]
        result = ListType(elem) if head == "list" else RangeType(elem)
    elif head in ("checklist", "context"):
        if not rest or rest[0] != "{":
            raise fail()
        rest = rest[1:]
        fields: list[tuple[str, Type]] = []
        while rest and rest[0] != "}":
            name, rest = rest[0], rest[1:]
            if head == "checklist":
                fields.append((name, BOOLEAN))
            else:
                if not rest or rest[0] != ":":
                    raise fail()
                ftype, rest = _parse_type_tokens(rest[1:], text)
                fields.append((name, ftype))
            if rest and rest[0] == ",":
                rest = rest[1:]
        if not rest:
            raise fail()
        rest = rest[1:]
        result = ContextType(tuple(fields), head == "checklist")
    else:
        raise fail()
    if rest and rest[0] == "?":
        result = nullable(result)
        rest = rest[1:]
    return result, rest


def type_of_value(value: Any, *, where: str = "value") -> Type:
    """Infer the type of a Python value given as a variable (for ``dsl.evaluate``).

    ``Decimal`` and ``int`` are numbers; ``float`` is refused (it would bring binary
    rounding into a decimal world); ``dict`` is a context; ``None`` is null.
    """
    if value is None:
        return NULL
    if isinstance(value, bool):
        return BOOLEAN
    if isinstance(value, Decimal | int):
        return NUMBER
    if isinstance(value, float):
        raise ExpressionTypeError(
            f"{where} is a float ({value!r}); numbers must be exact decimals",
            code="number.float",
            hint=f"pass Decimal({str(value)!r}) instead",
        )
    if isinstance(value, str):
        return STRING
    if isinstance(value, list | tuple):
        elem: Type = ANY
        for i, item in enumerate(value):
            t = type_of_value(item, where=f"{where}[{i}]")
            merged = unify(elem, t)
            if merged is None:
                raise ExpressionTypeError(
                    f"{where} mixes {elem} and {t} items; a list holds one type",
                    code="type.mixed-list",
                )
            elem = merged
        return ListType(elem)
    if isinstance(value, Mapping):
        fields = tuple(
            (str(k), type_of_value(v, where=f"{where}.{k}")) for k, v in sorted(value.items())
        )
        is_checklist = bool(fields) and all(t == BOOLEAN for _, t in fields)
        return ContextType(fields, is_checklist)
    raise ExpressionTypeError(
        f"{where} has an unsupported type {type(value).__name__}",
        code="type.unsupported-value",
        hint="use Decimal, int, bool, str, None, lists and dicts of these",
    )


def normalize_value(value: Any, *, where: str = "value") -> Any:
    """A Python value in the language's terms: ints become Decimals, floats are refused."""
    if isinstance(value, bool) or value is None or isinstance(value, str | Decimal):
        if isinstance(value, Decimal):
            return to_decimal(value, where=where)
        return value
    if isinstance(value, int):
        return to_decimal(value, where=where)
    if isinstance(value, float):
        type_of_value(value, where=where)  # raises the float error
    if isinstance(value, list | tuple):
        return [normalize_value(v, where=f"{where}[{i}]") for i, v in enumerate(value)]
    if isinstance(value, Mapping):
        return {str(k): normalize_value(v, where=f"{where}.{k}") for k, v in value.items()}
    type_of_value(value, where=where)  # raises the unsupported-type error
    return value  # pragma: no cover
