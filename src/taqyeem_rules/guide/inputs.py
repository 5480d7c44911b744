"""Input types: what each type of evidence is, in one place.

Each type of input a guide declares (``number``, ``integer``, ``percent``, ``boolean``,
``checklist``, ``list``, ``counts``, ``ratings``) is one object here that knows its
JSON Schema in evidence files, how to recognise a valid value without jsonschema (the
fast path of evidence validation, held equal to the schema by a property test), its
fragment of the evidence checker generated per model (:meth:`InputType.check_code`,
assembled by :mod:`taqyeem_rules.guide.evidence_fast`), how to read a value back from a record (numbers written as text), how to read it from a CSV
cell, its type in expressions, and how to generate admissible values (for property
checks). Evidence, records, CSV and criterion kinds all go through this table.

The two types criterion kinds need beyond the expression language's scalars:

- ``counts`` — named whole numbers ≥ 0, one per declared item: the answers of a survey
  per scale level (``{very_satisfied: 120, satisfied: 64, …}``) or the case counts of
  Tawasul (``{received: 40, replied_in_time: 36, …}``). Every item is required.
- ``ratings`` — a list of ``{assessor, rating}``: one criterion rated independently by
  several assessors (``[{assessor: A, rating: 3}, {assessor: B, rating: 4}]``); the
  declared ``range`` bounds each rating and ``min_items`` the number of assessors.
"""

from __future__ import annotations

import decimal
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from ..dsl.numbers import SAFE_ADJUSTED, NumberTextError, format_number, read_number
from ..dsl.types import BOOLEAN, NUMBER, STRING, ContextType, ListType, Type, checklist, nullable

if TYPE_CHECKING:  # pragma: no cover
    from ..dsl.compiler import CodeBuilder
    from .model import Input

__all__ = ["CHECK_GLOBALS", "INPUT_TYPES", "InputType", "flow_text", "input_type", "written_value"]


def _num(d: Decimal) -> int | Decimal:
    return int(d) if d == d.to_integral_value() else d


def _number_ok(value: Any, kind: str, lo: Decimal | None, hi: Decimal | None) -> bool:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        return False
    if isinstance(value, Decimal):
        if not value.is_finite():
            return False
        if kind == "integer" and value != value.to_integral_value():
            return False
    return (lo is None or value >= lo) and (hi is None or value <= hi)


#: The names the generated evidence checker binds, which every :meth:`InputType.check_code`
#: fragment may use (the generated code has no builtins of its own). ``_low``/``_high``:
#: the adjusted exponents certainly in the language's range; ``_bits``: the bit length of
#: an int certainly in it; ``_ictx``: a context for ``to_integral_value`` (which signals
#: nothing and rounds an integral value to itself), so no check reads the caller's context.
CHECK_GLOBALS: dict[str, Any] = {
    "type": type,
    "len": len,
    "dict": dict,
    "list": list,
    "str": str,
    "bool": bool,
    "int": int,
    "Decimal": Decimal,
    "_low": SAFE_ADJUSTED[0],
    "_high": SAFE_ADJUSTED[1],
    "_bits": (10 ** SAFE_ADJUSTED[1]).bit_length() - 1,
    "_ictx": decimal.Context(rounding=decimal.ROUND_DOWN, traps=[]),
}


def _indent(lines: list[str], levels: int = 1) -> list[str]:
    return ["    " * levels + line for line in lines]


def _number_code(kind: str, lo: Decimal | None, hi: Decimal | None, var: str, b: CodeBuilder) -> list[str]:
    """Statements checking the number in ``var`` as :func:`_number_ok` does after
    ``normalize_value`` (ints become Decimal, floats, bools and subclasses are refused,
    so is a number beyond the language's range), rebinding ``var`` to the Decimal.
    Only exact types pass (``type(v) is int``, never ``isinstance``): anything unusual
    is left to the general path. Comparisons of finite decimals are exact and
    ``Decimal(int)`` is exact: nothing here reads the caller's decimal context."""
    lines = [
        f"if type({var}) is Decimal:",
        f"    if not {var}.is_finite() or not _low < {var}.adjusted() < _high: return None",
    ]
    if kind == "integer":
        lines.append(f"    if {var} != {var}.to_integral_value(context=_ictx): return None")
    lines += [
        f"elif type({var}) is int and {var}.bit_length() <= _bits:",
        f"    {var} = Decimal({var})",
        "else:",
        "    return None",
    ]
    if lo is not None and hi is not None:
        lines.append(f"if not {b.const(lo)} <= {var} <= {b.const(hi)}: return None")
    elif lo is not None:
        lines.append(f"if {var} < {b.const(lo)}: return None")
    elif hi is not None:
        lines.append(f"if {var} > {b.const(hi)}: return None")
    return lines


def _number_schema(kind: str, lo: Decimal | None, hi: Decimal | None) -> dict[str, Any]:
    schema: dict[str, Any] = {"type": "integer" if kind == "integer" else "number"}
    if lo is not None:
        schema["minimum"] = _num(lo)
    if hi is not None:
        schema["maximum"] = _num(hi)
    return schema


def _record_number(v: Any) -> Any:
    """Number text of a record, by the one number reader (text that is no number stays
    text: the evidence schema then says so; one beyond the range is an error)."""
    if isinstance(v, str):
        try:
            return read_number(v)
        except NumberTextError as exc:
            if exc.code == "number.range":
                from ..errors import EvidenceError

                raise EvidenceError(exc.message, code="evidence.number") from None
            return v
    return v


class CsvOutOfRange(ValueError):
    """A CSV cell holds a number beyond the language's range."""


class CsvEmptyItem(ValueError):
    """An empty item in a CSV list (``20;;30``): item ``item`` (1-based), at ``offset``
    characters into the cell's text."""

    def __init__(self, item: int, offset: int) -> None:
        super().__init__(f"item {item} of the list is empty")
        self.item, self.offset = item, offset


def csv_number(text: str) -> Decimal:
    """A number in a CSV cell, as YAML and JSON write numbers (ASCII digits, no
    ``1_000``, no ``NaN``), read by the one number reader; ValueError otherwise
    (CsvOutOfRange for a number beyond the range)."""
    t = text.strip()
    try:
        return read_number(t)
    except NumberTextError as exc:
        if exc.code == "number.type":
            raise ValueError(f"{t!r} is not a number") from None
        raise CsvOutOfRange(exc.message) from None


def csv_items(text: str) -> list[tuple[str, int]]:
    """The ``;``-separated items of a CSV cell with their offsets; an empty one is a
    CsvEmptyItem (never silently dropped)."""
    out, at = [], 0
    for k, part in enumerate(text.split(";"), start=1):
        if not part.strip():
            raise CsvEmptyItem(k, at)
        out.append((part, at))
        at += len(part) + 1
    return out


def _csv_boolean(t: str) -> bool:
    low = t.lower()
    if low in ("true", "false"):
        return low == "true"
    raise ValueError(f"{t!r} is not true or false")


class InputType:
    """One type of input. ``name`` is what guides write after ``type:``."""

    name = ""
    #: Whether values are numbers (so ``range`` bounds them and tables can analyse them).
    numeric = False
    #: Whether the input declares ``items`` (checklist, counts).
    itemised = False
    #: Whether ``range`` is allowed (bounds the numbers the value holds).
    ranged = False

    def schema(self, inp: Input) -> dict[str, Any]:
        """The JSON Schema of a value in evidence files."""
        raise NotImplementedError

    def ok(self, inp: Input, value: Any) -> bool:
        """True when ``value`` (not None) is valid: the same answer as :meth:`schema`."""
        raise NotImplementedError

    def check_code(self, inp: Input, var: str, b: CodeBuilder) -> list[str]:
        """The fragment of the evidence checker generated per model for this input:
        Python statements (indented from column 0) that check the value held by the local
        ``var`` (never None) and rebind ``var`` to the value the general path keeps (ints
        as Decimal, lists and mappings copied), or ``return None`` when the value is not
        certainly valid — the general path then decides and words the errors. Exactly the
        values :meth:`ok` accepts after ``normalize_value`` may pass, never more; a fragment
        may refuse more (subclasses, tuples). Constants go through ``b.const`` (no text of
        the guide's is written into the code); the names of :data:`CHECK_GLOBALS` may be
        used. A type without a fragment leaves every value to the general path."""
        return ["return None"]

    def from_record(self, inp: Input, value: Any) -> Any:
        """A value as a record writes it (numbers as text) back in the engine's terms."""
        return value

    def from_csv(self, inp: Input, text: str, item: str) -> Any:
        """A CSV cell (of column ``input`` or, for itemised inputs, ``input.item``)."""
        if item:
            raise ValueError(f"`{inp.id}` has no items")
        return self._csv(inp, text)

    def _csv(self, inp: Input, text: str) -> Any:
        raise NotImplementedError

    def dsl_type(self, inp: Input) -> Type:
        """The type of a present value in expressions."""
        raise NotImplementedError

    def strategy(self, inp: Input) -> Any:
        """A hypothesis strategy of admissible values."""
        raise NotImplementedError


def _bounded_decimals(kind: str, lo: Decimal | None, hi: Decimal | None) -> Any:
    from hypothesis import strategies as st

    lo = lo if lo is not None else Decimal(-1000)
    hi = hi if hi is not None else max(lo, Decimal(0)) + 1000
    if kind == "integer":
        return st.integers(int(lo.to_integral_value("ROUND_CEILING")), int(hi.to_integral_value("ROUND_FLOOR"))).map(Decimal)
    return st.decimals(lo, hi, places=2, allow_nan=False, allow_infinity=False).map(
        lambda d: d.normalize() if d else Decimal(0)
    )


class _Number(InputType):
    numeric = True
    ranged = True

    def __init__(self, name: str) -> None:
        self.name = name

    def schema(self, inp: Input) -> dict[str, Any]:
        lo, hi = inp.bounds
        return _number_schema(self.name, lo, hi)

    def ok(self, inp: Input, value: Any) -> bool:
        lo, hi = inp.bounds
        return _number_ok(value, self.name, lo, hi)

    def check_code(self, inp: Input, var: str, b: CodeBuilder) -> list[str]:
        lo, hi = inp.bounds
        return _number_code(self.name, lo, hi, var, b)

    def from_record(self, inp: Input, value: Any) -> Any:
        return _record_number(value)

    def _csv(self, inp: Input, text: str) -> Any:
        return csv_number(text)

    def dsl_type(self, inp: Input) -> Type:
        return NUMBER

    def strategy(self, inp: Input) -> Any:
        lo, hi = inp.bounds
        return _bounded_decimals(self.name, lo, hi)


class _Boolean(InputType):
    name = "boolean"

    def schema(self, inp: Input) -> dict[str, Any]:
        return {"type": "boolean"}

    def ok(self, inp: Input, value: Any) -> bool:
        return isinstance(value, bool)

    def check_code(self, inp: Input, var: str, b: CodeBuilder) -> list[str]:
        return [f"if type({var}) is not bool: return None"]

    def _csv(self, inp: Input, text: str) -> Any:
        return _csv_boolean(text)

    def dsl_type(self, inp: Input) -> Type:
        return BOOLEAN

    def strategy(self, inp: Input) -> Any:
        from hypothesis import strategies as st

        return st.booleans()


class _Checklist(InputType):
    name = "checklist"
    itemised = True

    def schema(self, inp: Input) -> dict[str, Any]:
        return {
            "type": "object",
            "properties": {it.id: {"type": "boolean", "title": it.label.en} for it in inp.items},
            "required": [it.id for it in inp.items],
            "additionalProperties": False,
        }

    def ok(self, inp: Input, value: Any) -> bool:
        return (
            isinstance(value, dict)
            and len(value) == len(inp.items)
            and all(isinstance(value.get(it.id), bool) for it in inp.items)
        )

    def check_code(self, inp: Input, var: str, b: CodeBuilder) -> list[str]:
        # Every item once (as many keys as items, each one of them), each true or false;
        # the copy keeps the caller's order, as the general path does.
        items = b.const(frozenset(it.id for it in inp.items))
        k, x = b.tmp(), b.tmp()
        return [
            f"if type({var}) is not dict or len({var}) != {len(inp.items)}: return None",
            f"for {k}, {x} in {var}.items():",
            f"    if type({x}) is not bool or type({k}) is not str or {k} not in {items}: return None",
            f"{var} = dict({var})",
        ]

    def from_csv(self, inp: Input, text: str, item: str) -> Any:
        if not item:
            raise ValueError("a checklist is given item by item, in columns named checklist.item")
        return _csv_boolean(text)

    def dsl_type(self, inp: Input) -> Type:
        return checklist([i.id for i in inp.items])

    def strategy(self, inp: Input) -> Any:
        from hypothesis import strategies as st

        return st.fixed_dictionaries({it.id: st.booleans() for it in inp.items})


class _List(InputType):
    name = "list"
    numeric = True
    ranged = True

    def schema(self, inp: Input) -> dict[str, Any]:
        lo, hi = inp.bounds
        schema: dict[str, Any] = {"type": "array", "items": _number_schema(inp.of or "number", lo, hi)}
        if inp.min_items is not None:
            schema["minItems"] = inp.min_items
        return schema

    def ok(self, inp: Input, value: Any) -> bool:
        if not isinstance(value, list) or (inp.min_items is not None and len(value) < inp.min_items):
            return False
        lo, hi = inp.bounds
        of = inp.of or "number"
        return all(_number_ok(v, of, lo, hi) for v in value)

    def check_code(self, inp: Input, var: str, b: CodeBuilder) -> list[str]:
        lo, hi = inp.bounds
        x, out = b.tmp(), b.tmp()
        size = f" or len({var}) < {inp.min_items}" if inp.min_items is not None else ""
        return [
            f"if type({var}) is not list{size}: return None",
            f"{out} = []",
            f"for {x} in {var}:",
            *_indent(_number_code(inp.of or "number", lo, hi, x, b)),
            f"    {out}.append({x})",
            f"{var} = {out}",
        ]

    def from_record(self, inp: Input, value: Any) -> Any:
        return [_record_number(v) for v in value] if isinstance(value, list) else value

    def _csv(self, inp: Input, text: str) -> Any:
        return [csv_number(part) for part, _ in csv_items(text)]

    def dsl_type(self, inp: Input) -> Type:
        return ListType(NUMBER)

    def strategy(self, inp: Input) -> Any:
        from hypothesis import strategies as st

        lo, hi = inp.bounds
        return st.lists(_bounded_decimals(inp.of or "number", lo, hi), min_size=inp.min_items or 0, max_size=8)


class _Counts(InputType):
    """Named whole numbers ≥ 0, one per declared item (every item required)."""

    name = "counts"
    itemised = True
    numeric = True
    ranged = True

    def _bounds(self, inp: Input) -> tuple[Decimal, Decimal | None]:
        lo, hi = inp.range if inp.range is not None else (None, None)
        return (lo if lo is not None and lo > 0 else Decimal(0)), hi

    def schema(self, inp: Input) -> dict[str, Any]:
        lo, hi = self._bounds(inp)
        return {
            "type": "object",
            "properties": {
                it.id: {**_number_schema("integer", lo, hi), "title": it.label.en} for it in inp.items
            },
            "required": [it.id for it in inp.items],
            "additionalProperties": False,
        }

    def ok(self, inp: Input, value: Any) -> bool:
        lo, hi = self._bounds(inp)
        return (
            isinstance(value, dict)
            and len(value) == len(inp.items)
            and all(it.id in value and _number_ok(value[it.id], "integer", lo, hi) for it in inp.items)
        )

    def check_code(self, inp: Input, var: str, b: CodeBuilder) -> list[str]:
        lo, hi = self._bounds(inp)
        items = b.const(frozenset(it.id for it in inp.items))
        k, x, out = b.tmp(), b.tmp(), b.tmp()
        return [
            f"if type({var}) is not dict or len({var}) != {len(inp.items)}: return None",
            f"{out} = {{}}",
            f"for {k}, {x} in {var}.items():",
            f"    if type({k}) is not str or {k} not in {items}: return None",
            *_indent(_number_code("integer", lo, hi, x, b)),
            f"    {out}[{k}] = {x}",
            f"{var} = {out}",
        ]

    def from_record(self, inp: Input, value: Any) -> Any:
        return {k: _record_number(v) for k, v in value.items()} if isinstance(value, dict) else value

    def from_csv(self, inp: Input, text: str, item: str) -> Any:
        if not item:
            raise ValueError("counts are given item by item, in columns named counts.item")
        return csv_number(text)

    def dsl_type(self, inp: Input) -> Type:
        return ContextType(tuple((it.id, NUMBER) for it in inp.items))

    def strategy(self, inp: Input) -> Any:
        from hypothesis import strategies as st

        lo, hi = self._bounds(inp)
        top = int(hi) if hi is not None else int(lo) + 200
        return st.fixed_dictionaries(
            {it.id: st.integers(int(lo), top).map(Decimal) for it in inp.items}
        )


class _Ratings(InputType):
    """A list of ``{assessor, rating}``: independent ratings of one thing."""

    name = "ratings"
    numeric = True
    ranged = True

    def schema(self, inp: Input) -> dict[str, Any]:
        lo, hi = inp.bounds
        schema: dict[str, Any] = {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["assessor", "rating"],
                "additionalProperties": False,
                "properties": {
                    "assessor": {"type": "string", "minLength": 1},
                    "rating": _number_schema("number", lo, hi),
                },
            },
        }
        if inp.min_items is not None:
            schema["minItems"] = inp.min_items
        return schema

    def ok(self, inp: Input, value: Any) -> bool:
        if not isinstance(value, list) or (inp.min_items is not None and len(value) < inp.min_items):
            return False
        lo, hi = inp.bounds
        return all(
            isinstance(v, dict)
            and v.keys() == {"assessor", "rating"}
            and isinstance(v["assessor"], str)
            and v["assessor"] != ""
            and _number_ok(v["rating"], "number", lo, hi)
            for v in value
        )

    def check_code(self, inp: Input, var: str, b: CodeBuilder) -> list[str]:
        lo, hi = inp.bounds
        r, who, x, first, second, out = (b.tmp() for _ in range(6))
        size = f" or len({var}) < {inp.min_items}" if inp.min_items is not None else ""
        # Two keys, `assessor` (text, not empty) and `rating` (a number): the copy has
        # them in the caller's order.
        return [
            f"if type({var}) is not list{size}: return None",
            f"{out} = []",
            f"for {r} in {var}:",
            f"    if type({r}) is not dict or len({r}) != 2: return None",
            f"    {who} = {r}.get('assessor')",
            f"    if type({who}) is not str or not {who}: return None",
            f"    {x} = {r}.get('rating')",
            *_indent(_number_code("number", lo, hi, x, b)),
            f"    {first}, {second} = {r}",
            f"    if type({first}) is not str or type({second}) is not str: return None",
            f"    {out}.append({{'assessor': {who}, 'rating': {x}}} if {first} == 'assessor' "
            f"else {{'rating': {x}, 'assessor': {who}}})",
            f"{var} = {out}",
        ]

    def from_record(self, inp: Input, value: Any) -> Any:
        if not isinstance(value, list):
            return value
        return [
            {**v, "rating": _record_number(v["rating"])} if isinstance(v, dict) and "rating" in v else v
            for v in value
        ]

    def _csv(self, inp: Input, text: str) -> Any:
        out = []
        for part, _ in csv_items(text):
            who, sep, rating = part.partition(":")
            if not sep or not who.strip():
                raise ValueError(f"{part.strip()!r} is not assessor:rating (e.g. A:3;B:4)")
            out.append({"assessor": who.strip(), "rating": csv_number(rating)})
        return out

    def dsl_type(self, inp: Input) -> Type:
        return ListType(ContextType((("assessor", STRING), ("rating", NUMBER))))

    def strategy(self, inp: Input) -> Any:
        from hypothesis import strategies as st

        lo, hi = inp.bounds
        ratings = _bounded_decimals("number", lo, hi)
        low = max(inp.min_items or 1, 1)
        return st.lists(ratings, min_size=low, max_size=max(low, 5)).map(
            lambda rs: [{"assessor": f"A{k + 1}", "rating": r} for k, r in enumerate(rs)]
        )


#: Every input type, by the name guides write.
INPUT_TYPES: dict[str, InputType] = {
    t.name: t
    for t in (
        _Number("number"),
        _Number("integer"),
        _Number("percent"),
        _Boolean(),
        _Checklist(),
        _List(),
        _Counts(),
        _Ratings(),
    )
}


def input_type(inp: Input) -> InputType:
    """The type object of an input."""
    return INPUT_TYPES[inp.type]


def written_value(inp: Input, value: Any) -> Any:
    """A value written for an input outside an evidence file (an input's ``past:``, an
    ``--assume``) in the input's evidence form: as evidence writes it, or, for a
    checklist, also as the list of its ticked items (``[staff_refer_to_eservices]``),
    which becomes the mapping with those items true and the others false. A list
    naming an unknown item is returned as it is (and is then not :meth:`~InputType.ok`)."""
    if inp.type == "checklist" and isinstance(value, list):
        ids = [it.id for it in inp.items]
        if all(isinstance(v, str) and v in ids for v in value):
            return {i: i in value for i in ids}
    if isinstance(value, int) and not isinstance(value, bool):
        return Decimal(value)
    return value


def optional(t: Type, inp: Input) -> Type:
    return t if inp.required else nullable(t)


def flow_text(value: Any) -> str:
    """A value as YAML flow text, the way ``past:`` and ``--assume`` values are written
    (``true``, ``12.5``, ``[a, b]``, ``{a: true, b: false}``, ``null``), for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {flow_text(x)}" for k, x in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(flow_text(x) for x in value) + "]"
    return "null" if value is None else str(value)
