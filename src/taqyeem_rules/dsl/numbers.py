"""The decimal number model: FEEL's 34 significant digits, round half even, no floats.

All arithmetic goes through an explicit :class:`decimal.Context` (never the thread's
current context), so a caller that changes ``decimal.getcontext()`` cannot change a
score. Division by zero, invalid operations and overflow are trapped and turned into
:class:`~taqyeem_rules.errors.EvaluationError` by the evaluators.
"""

from __future__ import annotations

import decimal
import re
from decimal import Decimal

from ..errors import TaqyeemError

__all__ = [
    "FEEL_CONTEXT",
    "ROUNDING_MODES",
    "canonical",
    "display_round",
    "make_context",
    "out_of_range",
    "power",
    "to_decimal",
]

#: Rounding modes by the names used in guides.
ROUNDING_MODES: dict[str, str] = {
    "half_even": decimal.ROUND_HALF_EVEN,
    "half_up": decimal.ROUND_HALF_UP,
    "half_down": decimal.ROUND_HALF_DOWN,
    "up": decimal.ROUND_UP,
    "down": decimal.ROUND_DOWN,
    "ceiling": decimal.ROUND_CEILING,
    "floor": decimal.ROUND_FLOOR,
}

_TRAPS = [decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow, decimal.Underflow]


def make_context(precision: int = 34, rounding: str = "half_even") -> decimal.Context:
    """A decimal context with FEEL's exponent range and traps."""
    if rounding not in ROUNDING_MODES:
        raise TaqyeemError(
            f"unknown rounding mode {rounding!r}",
            code="number.rounding",
            hint="one of " + ", ".join(ROUNDING_MODES),
        )
    return decimal.Context(
        prec=precision,
        rounding=ROUNDING_MODES[rounding],
        Emin=-6143,
        Emax=6144,
        capitals=1,
        clamp=0,
        flags=[],
        traps=list(_TRAPS),
    )


#: The FEEL arithmetic context (IEEE 754-2008 decimal128 precision, half even).
FEEL_CONTEXT = make_context()

def out_of_range(value: Decimal) -> str | None:
    """Why a finite decimal cannot be a number of the language — its exponent is beyond
    the decimal128 range of FEEL's context — or None when it can."""
    if value and value.adjusted() > FEEL_CONTEXT.Emax:
        return f"is too large a number (the limit is 1E+{FEEL_CONTEXT.Emax})"
    if value and value.adjusted() < FEEL_CONTEXT.Emin:
        return f"is too small a number (the limit is 1E{FEEL_CONTEXT.Emin})"
    return None


#: Plain decimal text: ASCII digits, an optional sign and exponent (as YAML and JSON write).
PLAIN_NUMBER = re.compile(r"[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?")

_NUMBER_TEXT = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def to_decimal(value: object, *, where: str = "value") -> Decimal:
    """An exact Decimal from an int, a Decimal or a string of digits. Floats are refused."""
    if isinstance(value, bool):
        raise TaqyeemError(f"{where} is a boolean, not a number", code="number.type")
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise TaqyeemError(f"{where} is {value}, not a finite number", code="number.finite")
        problem = out_of_range(value)
        if problem:
            raise TaqyeemError(f"{where} {problem}", code="number.range")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str) and _NUMBER_TEXT.fullmatch(value.strip()):
        return Decimal(value.strip())
    if isinstance(value, float):
        raise TaqyeemError(
            f"{where} is a float ({value!r}); numbers must be exact decimals",
            code="number.float",
            hint=f"write it as a string or Decimal: {str(value)!r}",
        )
    raise TaqyeemError(f"{where} is not a number: {value!r}", code="number.type")


def power(ctx: decimal.Context, base: Decimal, exponent: Decimal) -> Decimal:
    """``base ** exponent`` in ``ctx``. Zero to a negative power divides by zero: Python's
    decimal gives Infinity there without a signal, which a score must never hold."""
    if not base and exponent < 0:
        raise decimal.DivisionByZero(f"{base} ** {exponent}")
    return ctx.power(base, exponent)


#: A context wide enough that sums and differences of guide numbers are exact.
EXACT_CONTEXT = decimal.Context(prec=200, rounding=decimal.ROUND_HALF_EVEN, Emin=-6143, Emax=6144,
                                traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow])


def exact_sum(values: object) -> Decimal:
    """The sum of decimals, exactly (never in the thread's current context)."""
    total = Decimal(0)
    for v in values:  # type: ignore[attr-defined]
        total = EXACT_CONTEXT.add(total, v)
    return total


_HALF_UP = make_context(34, "half_up")


def display_round(value: Decimal, places: int = 2) -> Decimal:
    """``value`` rounded half up to ``places`` decimal places, for showing a weight or a
    change in a table (never the thread's context: a table must not depend on it)."""
    return value.quantize(Decimal(1).scaleb(-places), context=_HALF_UP)


#: Canonical texts already worked out. The text depends on the value alone (equal
#: decimals such as 1.0 and 1 share it), and results repeat the same weights, points and
#: percentages thousands of times; the cache is bounded and only ever saves time.
_CANONICAL: dict[Decimal, str] = {}
_CANONICAL_SIZE = 1 << 16


def canonical(value: Decimal) -> str:
    """A canonical text of a decimal: no exponent, no trailing fractional zeros, no -0."""
    if not value.is_finite():  # (never hashed: a signalling NaN cannot be)
        return format(value.normalize(FEEL_CONTEXT), "f")
    text = _CANONICAL.get(value)
    if text is None:
        text = "0" if value.is_zero() else format(value.normalize(FEEL_CONTEXT), "f")
        if len(_CANONICAL) < _CANONICAL_SIZE:
            _CANONICAL[value] = text
    return text
