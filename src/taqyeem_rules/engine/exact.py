"""A scored centre as exact fractions, for the what-if analyses (margins, sensitivity).

Once each criterion's points are known, everything above them is a ratio of sums in the
weights (docs/guide-format.md, "Scoring"):

    percentage       q = (points − min) / (max − min) × 100
    category score   cs = Σ w·q / Σ w                       applicable criteria
    total            T  = Σ W·cs / Σ W                      applicable categories
    basic attainment B  = Σ g·q / Σ g,  g = W·w / Σ w       applicable basic criteria

Here they are computed with :class:`fractions.Fraction` — exactly, with no rounding of
intermediate divisions — and rounded once, at the guide's report scale and rounding, where
the guide says. (Scoring itself works in the guide's decimal context; at 34 digits the two
agree except where an intermediate division's last digit moves a total across a rounding
boundary, 10⁻³⁰ away.) :func:`reach` turns "the rounded value is at least c" into an
exact condition on the unrounded value, so a margin is exact: 89.99 lacks 0.005 when
89.995 rounds to 90.00.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import attrs

from ..dsl import nodes as n
from ..dsl.numbers import ROUNDING_MODES, format_number

if TYPE_CHECKING:  # pragma: no cover
    from .compile import CompiledModel
    from .result import Result

__all__ = ["ExactCentre", "ExactModel", "Gate", "exact_model", "fraction_text", "reach", "round_fraction"]


def round_fraction(x: Fraction, scale: int, rounding: str) -> Fraction:
    """``x`` rounded to ``scale`` places with a guide rounding mode (exact)."""
    unit = Fraction(1, 10**scale) if scale >= 0 else Fraction(10 ** -scale)
    q, r = divmod(x / unit, 1)  # q: floor; r in [0, 1)
    q = int(q)
    if r == 0:
        return q * unit
    neg = x < 0
    mode = ROUNDING_MODES[rounding]
    half = Fraction(1, 2)
    import decimal as _d

    if mode == _d.ROUND_FLOOR:
        k = q
    elif mode == _d.ROUND_CEILING:
        k = q + 1
    elif mode == _d.ROUND_DOWN:
        k = q + 1 if neg else q
    elif mode == _d.ROUND_UP:
        k = q if neg else q + 1
    elif r > half:
        k = q + 1
    elif r < half:
        k = q
    elif mode == _d.ROUND_HALF_UP:
        k = q if neg else q + 1
    elif mode == _d.ROUND_HALF_DOWN:
        k = q + 1 if neg else q
    else:  # half even
        k = q if q % 2 == 0 else q + 1
    return k * unit


def reach(c: Decimal | Fraction, scale: int, rounding: str, *, strict: bool = False) -> tuple[Fraction, bool]:
    """The condition on an unrounded, non-negative value x equivalent to
    ``round(x) >= c`` (``round(x) > c`` when ``strict``): (v, s) meaning ``x > v`` when s
    else ``x >= v``."""
    unit = Fraction(1, 10**scale) if scale >= 0 else Fraction(10 ** -scale)
    c = Fraction(c)
    k = -((-c) // unit)  # ceil(c / unit)
    if strict and k * unit == c:
        k += 1
    r0 = k * unit  # the least reportable value that passes
    mode = rounding
    half = unit / 2
    if mode == "half_up":
        return r0 - half, False
    if mode == "half_down":
        return r0 - half, True
    if mode == "half_even":
        return r0 - half, k % 2 != 0
    if mode in ("up", "ceiling"):
        return r0 - unit, True
    return r0, False  # down, floor


def fraction_text(x: Fraction, places: int = 34) -> str:
    """An exact value as decimal text: every digit when it terminates, else rounded up
    after ``places`` decimal places (so a margin is never understated)."""
    den = x.denominator
    twos = fives = 0
    while den % 2 == 0:
        den //= 2
        twos += 1
    while den % 5 == 0:
        den //= 5
        fives += 1
    if den == 1:
        scale = max(twos, fives)
        digits = x.numerator * 10**scale // x.denominator
    else:
        scale = places
        digits = -((-x.numerator * 10**places) // x.denominator)  # ceiling
    sign = "-" if digits < 0 else ""
    text = str(abs(digits)).rjust(scale + 1, "0")
    if scale == 0:
        return sign + text
    whole, frac = text[:-scale], text[-scale:].rstrip("0")
    return sign + whole + ("." + frac if frac else "")


@attrs.frozen
class Gate:
    """A recognised tier condition: ``what`` (``total``, ``basic_attainment``,
    ``categories.ID`` or ``min(categories)``) at least ``value`` (strictly above when
    ``strict``)."""

    what: str
    value: Decimal
    strict: bool = False

    def text(self) -> str:
        return f"{self.what} {'>' if self.strict else '>='} {format_number(self.value)}"


def recognise(node: n.Node | None) -> tuple[Gate, ...] | None:
    """The gates of a tier's ``require`` when it is a conjunction of lower bounds on the
    total, basic attainment, a category score or ``min(categories)``; None otherwise
    (margins then say "not computed" rather than guess)."""
    if node is None:
        return ()
    if isinstance(node, n.BoolOp) and node.op == "and":
        left, right = recognise(node.left), recognise(node.right)
        return None if left is None or right is None else (*left, *right)
    if isinstance(node, n.Compare) and node.op in (">=", ">", "<=", "<"):
        a, b, op = node.left, node.right, node.op
        if isinstance(a, n.Num) and not isinstance(b, n.Num):
            a, b, op = b, a, {"<=": ">=", "<": ">", ">=": "<=", ">": "<"}[op]
        if not isinstance(b, n.Num) or op not in (">=", ">"):
            return None
        what = _subject(a)
        return None if what is None else (Gate(what, b.value, op == ">"),)
    return None


def _subject(node: n.Node) -> str | None:
    if isinstance(node, n.Name) and node.name in ("total", "basic_attainment"):
        return node.name
    if isinstance(node, n.Path) and isinstance(node.base, n.Name) and node.base.name == "categories":
        return f"categories.{node.member}"
    if isinstance(node, n.Call) and node.name == "min" and len(node.args) == 1 \
            and isinstance(node.args[0], n.Name) and node.args[0].name == "categories":
        return "min(categories)"
    return None


@attrs.frozen
class ExactModel:
    """What the exact computation needs of a compiled model: each criterion's weight,
    category and basic flag; each category's weight; the scale; the report rounding."""

    compiled: Any
    weights: tuple[Fraction, ...]
    category_of: tuple[int, ...]
    basic: tuple[bool, ...]
    category_weights: tuple[Fraction, ...]
    members: tuple[tuple[int, ...], ...]
    pmin: Fraction
    pspan: Fraction
    scale: int
    rounding: str

    def percentage(self, points: Decimal | Fraction) -> Fraction:
        return (Fraction(points) - self.pmin) * 100 / self.pspan

    def round(self, x: Fraction) -> Fraction:
        return round_fraction(x, self.scale, self.rounding)


def exact_model(compiled: CompiledModel) -> ExactModel:
    """The :class:`ExactModel` of a compiled model (kept with it)."""
    cache = compiled.__dict__
    found = cache.get("_exact_model")
    if found is None:
        model, guide = compiled.model, compiled.guide
        infos = compiled.criteria
        members = tuple(tuple(i.index for i in infos if i.category_index == ci) for ci in range(len(model.categories)))
        found = cache["_exact_model"] = ExactModel(
            compiled,
            tuple(Fraction(i.criterion.weight) for i in infos),
            tuple(i.category_index for i in infos),
            tuple(i.criterion.basic for i in infos),
            tuple(Fraction(c.weight) for c in model.categories),
            members,
            Fraction(guide.points.min),
            Fraction(guide.points.max) - Fraction(guide.points.min),
            guide.numbers.report_scale,
            guide.numbers.report_rounding,
        )
    return found


@attrs.frozen
class ExactCentre:
    """A centre's criteria as the exact model sees them: percentage per criterion (None
    where not applicable) and points (None where not applicable)."""

    model: ExactModel
    q: tuple[Fraction | None, ...]
    points: tuple[Decimal | None, ...]

    @classmethod
    def of(cls, result: Result) -> ExactCentre:
        from .compile import S_MISSING_NA, S_NA

        em = exact_model(result._compiled)
        status, points = result._raw[0], result._raw[1]
        qs: list[Fraction | None] = []
        ps: list[Decimal | None] = []
        for i, s in enumerate(status):
            if s in (S_NA, S_MISSING_NA):
                qs.append(None)
                ps.append(None)
            else:
                qs.append(em.percentage(points[i]))
                ps.append(points[i])
        return cls(em, tuple(qs), tuple(ps))

    # ---- the sums ---------------------------------------------------------------------------

    def category_sums(self, q: Sequence[Fraction | None] | None = None) -> list[tuple[Fraction, Fraction]]:
        """(Σ w·q, Σ w) of each category over its applicable criteria."""
        q = self.q if q is None else q
        w = self.model.weights
        out = []
        for members in self.model.members:
            sq = sw = Fraction(0)
            for i in members:
                if q[i] is not None:
                    sq += w[i] * q[i]
                    sw += w[i]
            out.append((sq, sw))
        return out

    def values(self, q: Sequence[Fraction | None] | None = None,
               category_weights: Sequence[Fraction] | None = None) -> tuple[Fraction, Fraction | None, list[Fraction | None]]:
        """(total, basic attainment, category scores), exact, for percentages ``q``
        (default: the centre's) and category weights (default: the guide's)."""
        q = self.q if q is None else q
        cw = self.model.category_weights if category_weights is None else category_weights
        sums = self.category_sums(q)
        cats = [sq / sw if sw else None for sq, sw in sums]
        tn = tw = Fraction(0)
        for ci, cs in enumerate(cats):
            if cs is not None:
                tn += cw[ci] * cs
                tw += cw[ci]
        total = tn / tw if tw else Fraction(0)
        bn = bw = Fraction(0)
        w = self.model.weights
        for i, basic in enumerate(self.model.basic):
            if basic and q[i] is not None:
                ci = self.model.category_of[i]
                g = cw[ci] * w[i] / sums[ci][1]
                bn += g * q[i]
                bw += g
        return total, (bn / bw if bw else None), cats
