"""The decimal number model: FEEL's 34 significant digits, round half even, no floats.

All arithmetic goes through an explicit :class:`decimal.Context` (never the thread's
current context), so a caller that changes ``decimal.getcontext()`` cannot change a
score. Division by zero, invalid operations and overflow are trapped and turned into
:class:`~taqyeem_rules.errors.EvaluationError` by the evaluators, worded by
:func:`decimal_error`. The texts of numbers live here too: :func:`canonical` (data and
fingerprints), :func:`format_number` (as FEEL writes a number) and
:func:`canonical_number` (the fewest digits, for canonical expression text).
"""

from __future__ import annotations

import decimal
import functools
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any, TypeVar

from ..errors import TaqyeemError

__all__ = [
    "ANALYSIS_CONTEXT",
    "ARABIC_INDIC",
    "DECIMAL_ERRORS",
    "FEEL_CONTEXT",
    "NUMBER_TEXT",
    "ROUNDING_MODES",
    "SAFE_ADJUSTED",
    "NumberTextError",
    "canonical",
    "canonical_number",
    "check_range",
    "decimal_error",
    "display_round",
    "format_number",
    "in_analysis_context",
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


#: The context the analyses run in (impact, margins, sensitivity, diff, verify, test
#: cases, records): Python's default settings, written out and fixed, so that what the
#: calling thread's context says — fewer digits, another rounding, traps — changes
#: nothing they compute. (Scoring never reads a thread's context: it runs in the guide's.)
ANALYSIS_CONTEXT = decimal.Context(
    prec=28, rounding=decimal.ROUND_HALF_EVEN, Emin=-999_999, Emax=999_999, capitals=1, clamp=0,
    flags=[], traps=[decimal.InvalidOperation, decimal.DivisionByZero, decimal.Overflow],
)

_F = TypeVar("_F", bound=Callable[..., Any])


def in_analysis_context(fn: _F) -> _F:
    """Run ``fn`` in a copy of :data:`ANALYSIS_CONTEXT` (the public entry points of the
    analyses wear it; their results' methods that compute do too)."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        with decimal.localcontext(ANALYSIS_CONTEXT):
            return fn(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


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


def canonical(value: Decimal) -> str:
    """A canonical text of a decimal: no exponent, no trailing fractional zeros, no -0.

    The common case (at most 34 digits, no exponent in its engineering text) is read
    off the decimal's own text: its digits are then all there, so trimming the fractional
    zeros is what ``normalize`` would do. Anything else goes through ``normalize`` in FEEL's context
    (``tests/dsl`` holds the two ways equal on every decimal). No cache: hashing a fresh
    decimal costs more than writing it."""
    text = str(value)  # (an exponent is E or e, as the thread's context capitalises)
    if "E" not in text and "e" not in text and value.is_finite():
        if "." in text:
            # at most 34 digits (a sign and the point are not digits; leading zeros are
            # counted, which only sends a few exact texts the slow way)
            if len(text) - (text[0] == "-") <= 35:
                text = text.rstrip("0").rstrip(".")
                return "0" if text == "-0" else text
        elif len(text) - (text[0] == "-") <= 34:
            return "0" if text == "-0" else text
    if value.is_finite() and value.is_zero():
        return "0"
    return format(value.normalize(FEEL_CONTEXT), "f")


# ---- numbers as text and arithmetic errors as words ------------------------------------------


def format_number(value: Decimal) -> str:
    """A decimal as FEEL writes it: plain digits, no exponent, and no sign on zero (FEEL
    makes no distinction between -0 and 0)."""
    if value.is_zero() and value.is_signed():
        value = value.copy_abs()
    return format(value, "f")


def canonical_number(value: Decimal) -> str:
    """A decimal with the fewest digits: ``25.0`` → ``25``, ``1E+2`` → ``100``, -0 → ``0``."""
    if value.is_zero():
        return "0"
    text = format(value, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


DECIMAL_ERRORS: dict[type, tuple[str, str]] = {
    decimal.DivisionByZero: ("eval.division-by-zero", "division by zero"),
    decimal.DivisionUndefined: ("eval.division-by-zero", "division of zero by zero"),
    decimal.Overflow: ("eval.overflow", "the result is too large for a decimal"),
    decimal.Underflow: ("eval.underflow", "the result is too small for a decimal (it would silently become 0)"),
    decimal.InvalidOperation: ("eval.invalid", "invalid arithmetic"),
}


def decimal_error(exc: decimal.DecimalException) -> tuple[str, str]:
    """The code and wording of a trapped decimal signal."""
    # The C decimal module raises the trapped signal (InvalidOperation for 0/0) and
    # lists the conditions behind it (DivisionUndefined) in its first argument.
    raised: list[type] = [type(exc)]
    if exc.args and isinstance(exc.args[0], list):
        raised += [c for c in exc.args[0] if isinstance(c, type)]
    for cls, found in DECIMAL_ERRORS.items():
        if any(issubclass(r, cls) for r in raised):
            return found
    return ("eval.invalid", "arithmetic error")  # pragma: no cover
