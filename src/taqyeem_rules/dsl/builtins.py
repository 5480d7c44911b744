"""Built-in functions, with FEEL behaviour and declared signatures.

Each function declares one or more :class:`Signature` s; the checker picks the first
that fits the argument types and uses its result type, so built-ins and plugins are
checked the same way. Implementations take the arithmetic context first, then the
arguments; unless a function is ``null_safe`` they are only called with non-null
arguments (a null argument gives a null result, as in FEEL).

Where FEEL returns null for an invalid operation on non-null values (a scale out of
range, ``clamp`` with low above high, the square root of a negative number), this
library raises :class:`~taqyeem_rules.errors.EvaluationError` instead: a silent null
in a score is worse than a stopped run.
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..errors import EvaluationError
from .types import ANY, BOOLEAN, NUMBER, ContextType, ListType, Type, nullable

__all__ = ["BUILTINS", "MULTIWORD_NAMES", "Function", "Signature", "canonical_function_name"]


@attrs.frozen
class Signature:
    """Parameter types, optional variadic tail, and the result type."""

    params: tuple[Type, ...]
    returns: Type
    variadic: Type | None = None

    def __str__(self) -> str:
        parts = [str(p) for p in self.params]
        if self.variadic is not None:
            parts.append(f"{self.variadic}...")
        return f"({', '.join(parts)}) -> {self.returns}"

    def accepts_count(self, n: int) -> bool:
        if self.variadic is None:
            return n == len(self.params)
        return n >= len(self.params)

    def param(self, i: int) -> Type:
        if i < len(self.params):
            return self.params[i]
        assert self.variadic is not None
        return self.variadic


@attrs.frozen
class Function:
    """A function the language can call: built-in or plugin."""

    name: str
    signatures: tuple[Signature, ...]
    impl: Callable[..., Any] = attrs.field(eq=False, repr=False)
    doc: str = ""
    #: Called even when an argument is null (the function handles null itself).
    null_safe: bool = False
    #: Deterministic and free of side effects, so calls on constants may be folded.
    pure: bool = True
    #: For plugins: the distribution (or module) that provides it, and its version.
    plugin: str | None = None
    version: str | None = None

    @property
    def is_plugin(self) -> bool:
        return self.plugin is not None

    def describe(self) -> str:
        return " | ".join(f"{self.name}{s}" for s in self.signatures)


# ---- implementations -----------------------------------------------------------

_ANY_CHECKLIST = ContextType((), True)
_NUMS = ListType(NUMBER)
_BOOLS = ListType(BOOLEAN)


def _flatten(args: Sequence[Any]) -> list[Any] | None:
    """The items of ``f(list)`` or ``f(a, b, c)``; None when the list itself is null."""
    if len(args) == 1 and isinstance(args[0], list):
        return args[0]
    if len(args) == 1 and isinstance(args[0], dict):
        # A record of numbers stands for its values, in the record's order.
        return list(args[0].values())
    if len(args) == 1 and args[0] is None:
        return None
    return list(args)


def _numbers(args: Sequence[Any]) -> list[Decimal] | None:
    items = _flatten(args)
    if items is None or None in items:
        return None
    return items


def _total(ctx: decimal.Context, items: list[Decimal]) -> Decimal:
    """items[0] + items[1] + …, each step rounded in ``ctx`` (then the total itself)."""
    return ctx.plus(functools.reduce(ctx.add, items))


def _sum(ctx: decimal.Context, *args: Any) -> Decimal | None:
    items = _numbers(args)
    if not items:
        return None
    return _total(ctx, items)


def _product(ctx: decimal.Context, *args: Any) -> Decimal | None:
    items = _numbers(args)
    if not items:
        return None
    return ctx.plus(functools.reduce(ctx.multiply, items))


def _mean(ctx: decimal.Context, *args: Any) -> Decimal | None:
    items = _numbers(args)
    if not items:
        return None
    return ctx.divide(_total(ctx, items), Decimal(len(items)))


def _median(ctx: decimal.Context, *args: Any) -> Decimal | None:
    items = _numbers(args)
    if not items:
        return None
    ordered = sorted(items)
    mid = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[mid]
    return ctx.divide(ctx.add(ordered[mid - 1], ordered[mid]), Decimal(2))


def _min(ctx: decimal.Context, *args: Any) -> Decimal | None:
    items = _numbers(args)
    return min(items) if items else None


def _max(ctx: decimal.Context, *args: Any) -> Decimal | None:
    items = _numbers(args)
    return max(items) if items else None


def _count(ctx: decimal.Context, items: list[Any] | dict[str, Any] | None) -> Decimal | None:
    return None if items is None else Decimal(len(items))


def _all(ctx: decimal.Context, *args: Any) -> bool | None:
    items = _flatten(args)
    if items is None:
        return None
    if any(i is False for i in items):
        return False
    if any(i is None for i in items):
        return None
    return True


def _any(ctx: decimal.Context, *args: Any) -> bool | None:
    items = _flatten(args)
    if items is None:
        return None
    if any(i is True for i in items):
        return True
    if any(i is None for i in items):
        return None
    return False


#: The rounding built-ins and their modes.
ROUNDING_FUNCTIONS: dict[str, str] = {
    "decimal": decimal.ROUND_HALF_EVEN,
    "floor": decimal.ROUND_FLOOR,
    "ceiling": decimal.ROUND_CEILING,
    "round_up": decimal.ROUND_UP,
    "round_down": decimal.ROUND_DOWN,
    "round_half_up": decimal.ROUND_HALF_UP,
    "round_half_down": decimal.ROUND_HALF_DOWN,
}


def valid_scale(scale: Decimal) -> bool:
    """A rounding scale: a whole number of places within the decimal128 exponent range."""
    return scale == scale.to_integral_value() and -6111 <= scale <= 6176


def _scale(scale: Decimal, fname: str) -> int:
    if not valid_scale(scale):
        raise EvaluationError(
            f"{fname}: the scale must be a whole number from -6111 to 6176, not {scale}",
            code="eval.scale",
        )
    return int(scale)


def _rounder(mode: str, fname: str) -> Callable[..., Decimal]:
    exponents: dict[Decimal, Decimal] = {}  # 10**-scale, by scale

    def impl(ctx: decimal.Context, n: Decimal, scale: Decimal = Decimal(0)) -> Decimal:
        exp = exponents.get(scale)
        if exp is None:
            exp = Decimal(1).scaleb(-_scale(scale, fname))
            if len(exponents) < 64:
                exponents[scale] = exp
        try:
            return n.quantize(exp, rounding=mode, context=ctx)
        except decimal.InvalidOperation:
            raise EvaluationError(
                f"{fname}({n}, {scale}): the result would need more than "
                f"{ctx.prec} significant digits",
                code="eval.precision",
            ) from None

    return impl


def _abs(ctx: decimal.Context, n: Decimal) -> Decimal:
    return ctx.abs(n)


def _modulo(ctx: decimal.Context, dividend: Decimal, divisor: Decimal) -> Decimal:
    if divisor.is_zero():
        raise EvaluationError(f"modulo({dividend}, 0): division by zero", code="eval.division-by-zero")
    rem = ctx.remainder(dividend, divisor)
    if not rem.is_zero() and (rem < 0) != (divisor < 0):
        rem = ctx.add(rem, divisor)
    return rem


def _sqrt(ctx: decimal.Context, n: Decimal) -> Decimal:
    if n < 0:
        raise EvaluationError(f"sqrt({n}): the square root of a negative number", code="eval.domain")
    return ctx.sqrt(n)


def _clamp(ctx: decimal.Context, x: Decimal, lo: Decimal, hi: Decimal) -> Decimal:
    if lo > hi:
        raise EvaluationError(f"clamp: the low bound {lo} is above the high bound {hi}", code="eval.domain")
    return lo if x < lo else hi if x > hi else x


_SMALL = tuple(Decimal(k) for k in range(65))


def _checked(ctx: decimal.Context, value: Any) -> Decimal | None:
    if value is None:
        return None
    items = value.values() if isinstance(value, dict) else value
    if None in items:
        return None
    # Items are booleans (the checker and the evidence schema see to it): summing them
    # counts the true ones, in C.
    count = sum(items)
    return _SMALL[count] if count < len(_SMALL) else Decimal(count)


def _same(a: Any, b: Any) -> bool:
    """FEEL equality of two values; unlike Python's, a boolean never equals a number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return bool(a == b)


def _list_contains(
    ctx: decimal.Context, items: list[Any] | dict[str, Any] | None, element: Any
) -> bool | None:
    if items is None:
        return None
    if isinstance(items, dict):  # a record of numbers stands for its values
        items = list(items.values())
    return any(_same(item, element) for item in items)


def _sig(params: Sequence[Type], returns: Type, variadic: Type | None = None) -> Signature:
    return Signature(tuple(params), returns, variadic)


_N_OPT = nullable(NUMBER)
_B_OPT = nullable(BOOLEAN)


def _aggregate(name: str, impl: Callable[..., Any], doc: str) -> Function:
    return Function(
        name,
        (_sig([_NUMS], _N_OPT), _sig([NUMBER], NUMBER, NUMBER)),
        impl,
        doc,
        null_safe=True,
    )


def _rounding(name: str, doc: str, *, optional_scale: bool) -> Function:
    sigs = [_sig([NUMBER, NUMBER], NUMBER)]
    if optional_scale:
        sigs.insert(0, _sig([NUMBER], NUMBER))
    return Function(name, tuple(sigs), _rounder(ROUNDING_FUNCTIONS[name], name), doc)


_FUNCTIONS = [
    _aggregate("sum", _sum, "Sum of the numbers; null for an empty list."),
    _aggregate("product", _product, "Product of the numbers; null for an empty list."),
    _aggregate("mean", _mean, "Arithmetic mean; null for an empty list."),
    _aggregate("median", _median, "Median (mean of the middle two for an even count); null for []."),
    _aggregate("min", _min, "Smallest number; null for an empty list."),
    _aggregate("max", _max, "Largest number; null for an empty list."),
    Function("count", (_sig([ListType(ANY)], NUMBER),), _count, "Number of items (nulls count).", null_safe=True),
    Function(
        "all",
        (_sig([_BOOLS], _B_OPT), _sig([BOOLEAN], _B_OPT, BOOLEAN)),
        _all,
        "True when every item is true; false if any is false; else null. all([]) = true.",
        null_safe=True,
    ),
    Function(
        "any",
        (_sig([_BOOLS], _B_OPT), _sig([BOOLEAN], _B_OPT, BOOLEAN)),
        _any,
        "True when some item is true; false if all are false; else null. any([]) = false.",
        null_safe=True,
    ),
    Function("abs", (_sig([NUMBER], NUMBER),), _abs, "Absolute value."),
    Function("modulo", (_sig([NUMBER, NUMBER], NUMBER),), _modulo, "Remainder with the sign of the divisor."),
    Function("sqrt", (_sig([NUMBER], NUMBER),), _sqrt, "Square root (34 digits)."),
    _rounding("decimal", "Round to `scale` places, half even.", optional_scale=False),
    _rounding("floor", "Round down towards -infinity (optionally to `scale` places).", optional_scale=True),
    _rounding("ceiling", "Round up towards +infinity (optionally to `scale` places).", optional_scale=True),
    _rounding("round_up", "Round away from zero to `scale` places.", optional_scale=False),
    _rounding("round_down", "Round towards zero to `scale` places.", optional_scale=False),
    _rounding("round_half_up", "Round to `scale` places, halves away from zero.", optional_scale=False),
    _rounding("round_half_down", "Round to `scale` places, halves towards zero.", optional_scale=False),
    Function("clamp", (_sig([NUMBER, NUMBER, NUMBER], NUMBER),), _clamp, "`x` limited to [lo, hi]."),
    Function(
        "checked",
        (_sig([_ANY_CHECKLIST], NUMBER), _sig([_BOOLS], NUMBER)),
        _checked,
        "Number of items of a checklist that are true; null if any item is null.",
        null_safe=True,
    ),
    Function(
        "list_contains",
        (_sig([ListType(ANY), ANY], BOOLEAN),),
        _list_contains,
        "True when the list holds the element.",
        null_safe=True,
    ),
]

#: The built-in functions by canonical (snake case) name.
BUILTINS: dict[str, Function] = {f.name: f for f in _FUNCTIONS}

#: FEEL's multi-word spellings and the snake case names they stand for.
MULTIWORD_NAMES = {
    "round half up": "round_half_up",
    "round half down": "round_half_down",
    "round up": "round_up",
    "round down": "round_down",
    "list contains": "list_contains",
}


def canonical_function_name(text: str) -> str:
    """``round  half up`` → ``round_half_up``; snake case names are unchanged."""
    words = " ".join(text.split())
    return MULTIWORD_NAMES.get(words, words)
