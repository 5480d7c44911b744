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
    "ARABIC_INDIC",
    "FEEL_CONTEXT",
    "NUMBER_TEXT",
    "ROUNDING_MODES",
    "SAFE_ADJUSTED",
    "NumberTextError",
    "canonical",
    "check_range",
    "display_round",
    "make_context",
    "out_of_range",
    "power",
    "read_number",
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
    """Why a decimal cannot be a number of the language — its exponent is beyond the
    range of FEEL's context (the guide's context has the same range) — or None when it
    can. The rule is the same for zero: ``0E+9999`` is out of range too."""
    if not value.is_finite():
        return "is not a finite number"
    exponent = value.adjusted()
    if FEEL_CONTEXT.Emin + FEEL_CONTEXT.prec < exponent < FEEL_CONTEXT.Emax:
        return None  # the common case (rounding moves the exponent by one at most)
    large = f"is too large a number (the limit is 1E+{FEEL_CONTEXT.Emax})"
    small = f"is too small a number (the limit is 1E{FEEL_CONTEXT.Emin})"
    if exponent > FEEL_CONTEXT.Emax:
        return large
    if exponent < FEEL_CONTEXT.Emin:
        return small
    try:  # rounded to 34 digits, it must still be in range (9.99…9E+6144 is not)
        FEEL_CONTEXT.plus(value)
    except decimal.Overflow:
        return large
    except decimal.Underflow:
        return small
    return None


#: Number text as data is written (YAML, JSON, CSV cells, records, strings given to the
#: API): an optional sign, ASCII digits with an optional fraction, an optional exponent.
#: The one pattern of number text; :func:`read_number` is its one reader.
NUMBER_TEXT = re.compile(r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?")

#: Arabic-Indic digits (U+0660..U+0669) → ASCII, for the expression language, which
#: accepts a number written in either (never both in one number).
ARABIC_INDIC = str.maketrans("٠١٢٣٤٥٦٧٨٩", "0123456789")

#: Exponent digits beyond which a number is out of range whatever its digits (the
#: digits cannot move the exponent this far); the value is then never built.
_EXPONENT_DIGITS = 9
_NUMBER_MATCH = NUMBER_TEXT.fullmatch
#: Adjusted exponents certainly in range, even once rounded to the context's digits: a
#: finite decimal ``d`` with ``low < d.adjusted() < high`` is a number of the language
#: (:func:`out_of_range` says None); outside, it decides the edges.
SAFE_ADJUSTED: tuple[int, int] = (FEEL_CONTEXT.Emin + FEEL_CONTEXT.prec, FEEL_CONTEXT.Emax)
_SAFE_LOW, _SAFE_HIGH = SAFE_ADJUSTED


class NumberTextError(ValueError):
    """Text that is not a number, or a number beyond the language's range. ``code`` is
    ``number.type`` or ``number.range``; each reader turns it into its own error, with
    the position of the text."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message, self.code = message, code


def _shown(text: str) -> str:
    return text if len(text) <= 40 else text[:37] + "…"


def check_range(value: Decimal, text: str | None = None) -> Decimal:
    """``value`` when it is within the range of the language's numbers; otherwise a
    :class:`NumberTextError` (``number.range``) naming ``text`` (or the value)."""
    problem = out_of_range(value)
    if problem:
        shown = _shown(text) if text is not None else _shown(str(value))
        raise NumberTextError(f"`{shown}` {problem}", "number.range")
    return value


def read_number(text: str) -> Decimal:
    """The exact number written in ``text`` (:data:`NUMBER_TEXT`, nothing around it).

    The one reader of number text: the guide loader, YAML and JSON documents, CSV
    cells, cycle records and :func:`to_decimal` all read numbers with it. A number
    whose exponent is beyond FEEL's range (``1e+9999999999``) is refused, before the
    value is built, with a :class:`NumberTextError`; so is text that is not a number.
    """
    if _NUMBER_MATCH(text) is None:
        raise NumberTextError(f"`{_shown(text)}` is not a number", "number.type")
    if "e" in text or "E" in text:
        exponent = text.lower().partition("e")[2].lstrip("+-").lstrip("0")
        if len(exponent) > _EXPONENT_DIGITS:
            size = "small" if "e-" in text.lower() else "large"
            limit = f"1E{FEEL_CONTEXT.Emin}" if size == "small" else f"1E+{FEEL_CONTEXT.Emax}"
            raise NumberTextError(
                f"`{_shown(text)}` is too {size} a number (the limit is {limit})", "number.range"
            )
    value = Decimal(text)
    if _SAFE_LOW < value.adjusted() < _SAFE_HIGH:  # the common case, decided here
        return value
    return check_range(value, text)


def to_decimal(value: object, *, where: str = "value") -> Decimal:
    """An exact Decimal from an int, a Decimal or a string of digits (read by
    :func:`read_number`). Floats are refused, and so are numbers beyond FEEL's range."""
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
        number = Decimal(value)
        problem = out_of_range(number)
        if problem:
            raise TaqyeemError(f"{where} {problem}", code="number.range")
        return number
    if isinstance(value, str):
        try:
            return read_number(value.strip())
        except NumberTextError as exc:
            if exc.code == "number.range":
                raise TaqyeemError(f"{where}: {exc.message}", code="number.range") from None
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
