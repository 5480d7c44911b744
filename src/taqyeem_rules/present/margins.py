"""Margins (:func:`taqyeem_rules.engine.margins.margins`) as people read them, in
English or Arabic: table rows, Markdown and CSV. Exact values are shown rounded *up*
after a few places beyond the report scale (a margin is never understated); JSON keeps
every digit."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..dsl.numbers import format_number
from .catalogue import catalogue

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.margins import CentreMargin, Margins

__all__ = ["MESSAGES", "margins_csv", "margins_markdown", "margins_rows", "reason_text", "shown"]

#: Places shown beyond the guide's report scale (2 → 6 places).
EXTRA_PLACES = 4

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "margins.title": "Margins to the next tier",
        "margins.objective": "Steps: the fewest criteria, then the fewest points of the total gained, then guide "
                             "order; each criterion raised to the lowest value its kind can attain above today.",
        "margins.assumption": "Criteria are treated as independent: the inputs they share and the applicability "
                              "they change are held fixed.",
        "margins.col.centre": "Centre",
        "margins.col.name": "Name",
        "margins.col.model": "Model",
        "margins.col.total": "Total",
        "margins.col.tier": "Tier",
        "margins.col.next": "Next tier",
        "margins.col.lacks": "Total lacks",
        "margins.col.gates": "Gates that bind",
        "margins.col.steps": "Steps",
        "margins.col.keep": "Can lose",
        "margins.step": "{criterion} {from_points}→{to_points} (+{gain})",
        "margins.more_than": "more than {value}",
        "margins.gate.lacks": "{gate} (lacks {lacks})",
        "margins.gate.unknown": "{gate} (not computed)",
        "margins.none": "—",
        "margins.reason.top": "already in the highest tier",
        "margins.reason.no-tiers": "the model has no tiers",
        "margins.reason.not-computed": "not computed: tier {tier} requires `{require}`, which is not a bound on the "
                                       "total, basic attainment or category scores",
        "margins.reason.never": "unreachable: tier {tier} requires `{gate}` and {value} is not applicable",
        "margins.reason.not-enough": "unreachable by raising every criterion one level",
        "margins.reason.search-limit": "not computed: the search went over its limit ({limit} subsets)",
        "margins.not_considered": "not considered (their kind lists no attainable points): {criteria}",
        "margins.note.exact-tier": "exact arithmetic gives another tier than scoring (a total on a rounding "
                                   "boundary); margins follow exact arithmetic",
        "margins.unscored": "not scored: {error}",
    },
    "ar": {
        "margins.title": "الهوامش حتى الفئة التالية",
        "margins.objective": "الخطوات: أقل عدد من المعايير، ثم أقل زيادة في المجموع، ثم ترتيب الدليل؛ يُرفع كل معيار "
                             "إلى أدنى قيمة يبلغها نوعه فوق قيمته الحالية.",
        "margins.assumption": "تُعامل المعايير على أنها مستقلة: المدخلات المشتركة بينها وانطباقها ثابتة.",
        "margins.col.centre": "المركز",
        "margins.col.name": "الاسم",
        "margins.col.model": "النموذج",
        "margins.col.total": "المجموع",
        "margins.col.tier": "الفئة",
        "margins.col.next": "الفئة التالية",
        "margins.col.lacks": "ينقص المجموع",
        "margins.col.gates": "شروط غير متحققة",
        "margins.col.steps": "الخطوات",
        "margins.col.keep": "يمكن أن يفقد",
        "margins.step": "{criterion} {from_points}←{to_points} (+{gain})",
        "margins.more_than": "أكثر من {value}",
        "margins.gate.lacks": "{gate} (ينقصه {lacks})",
        "margins.gate.unknown": "{gate} (لم يُحسب)",
        "margins.none": "—",
        "margins.reason.top": "في أعلى فئة بالفعل",
        "margins.reason.no-tiers": "لا فئات في النموذج",
        "margins.reason.not-computed": "لم يُحسب: الفئة {tier} تشترط `{require}`، وهو ليس حداً أدنى للمجموع أو "
                                       "نسبة المعايير الأساسية أو درجات المحاور",
        "margins.reason.never": "غير قابلة للبلوغ: الفئة {tier} تشترط `{gate}` و{value} لا ينطبق",
        "margins.reason.not-enough": "غير قابلة للبلوغ برفع كل معيار مستوى واحداً",
        "margins.reason.search-limit": "لم يُحسب: تجاوز البحث حده ({limit} مجموعة)",
        "margins.not_considered": "لم تُحتسب (نوعها لا يحدد النقاط الممكنة): {criteria}",
        "margins.note.exact-tier": "الحساب الدقيق يعطي فئة غير فئة التقييم (مجموع على حد التقريب)؛ الهوامش "
                                   "تتبع الحساب الدقيق",
        "margins.unscored": "لم يُقيَّم: {error}",
    },
}


def _t(key: str, lang: str, **values: Any) -> str:
    cat = catalogue()
    if not cat.has("margins.title"):
        cat.register(MESSAGES)
    return cat.text(key, lang, **values)


def shown(x: Fraction | None, places: int, *, up: bool = True) -> str:
    """An exact value cut after ``places`` decimal places, rounded up (a margin is never
    understated) or down; trailing zeros kept to the report scale."""
    if x is None:
        return "—"
    scaled = x * 10**places
    k = -((-scaled.numerator) // scaled.denominator) if up else scaled.numerator // scaled.denominator
    from decimal import Decimal

    return format_number(Decimal(k).scaleb(-places))


def reason_text(c: CentreMargin, lang: str = "en") -> str:
    """Why the next tier is not reached by steps (empty when it is)."""
    if c.reason is None:
        return ""
    return _t(f"margins.reason.{c.reason}", lang, **dict(c.reason_values))


def _places(m: Margins) -> int:
    return 2 + EXTRA_PLACES


def _steps_text(c: CentreMargin, lang: str, places: int) -> str:
    if c.steps is None:
        return reason_text(c, lang)
    return "; ".join(_t("margins.step", lang, criterion=s.criterion, from_points=format_number(s.from_points),
                        to_points=format_number(s.to_points), gain=shown(s.total_gain, places))
                     for s in c.steps) or _t("margins.none", lang)


def _gates_text(c: CentreMargin, lang: str, places: int) -> str:
    parts = []
    for g in c.gates:
        if not g.computed:
            if g.holds is not True:
                parts.append(_t("margins.gate.unknown", lang, gate=g.gate))
        elif not g.holds:
            parts.append(_t("margins.gate.lacks", lang, gate=g.gate, lacks=shown(g.lacks, places)))
    return "; ".join(parts) or _t("margins.none", lang)


def _lacks_text(c: CentreMargin, lang: str, places: int) -> str:
    if c.points_to_next_tier is None:
        return _t("margins.none", lang)
    value = shown(c.points_to_next_tier, places)
    return _t("margins.more_than", lang, value=value) if c.strictly_more else value


def margins_rows(m: Margins, lang: str = "en") -> tuple[list[str], list[list[str]]]:
    """One row per centre: centre, name, model, total, tier, next tier, total lacks,
    gates that bind, steps (or why none), how much the total can lose and keep its tier."""
    places = _places(m)
    header = [_t(f"margins.col.{k}", lang) for k in
              ("centre", "name", "model", "total", "tier", "next", "lacks", "gates", "steps", "keep")]
    rows = []
    for c in m.centres:
        rows.append([
            c.centre_id, c.display_name(lang), c.model, format_number(c.total), c.tier or _t("margins.none", lang),
            c.next_tier or reason_text(c, lang), _lacks_text(c, lang, places), _gates_text(c, lang, places),
            _steps_text(c, lang, places) if c.next_tier else _t("margins.none", lang),
            shown(c.total_margin, places, up=False) if c.total_margin is not None else _t("margins.none", lang),
        ])
    return header, rows


def notes(m: Margins, lang: str = "en") -> list[str]:
    """The lines under the table: objective, assumption, per-centre notes and criteria
    not considered, unscored centres."""
    out = [_t("margins.objective", lang), _t("margins.assumption", lang)]
    for c in m.centres:
        if c.note:
            out.append(f"{c.centre_id}: " + _t(f"margins.note.{c.note}", lang))
        if c.not_considered and c.next_tier:
            out.append(f"{c.centre_id}: " + _t("margins.not_considered", lang, criteria=", ".join(c.not_considered)))
    for cid, error in m.failures:
        out.append(f"{cid}: " + _t("margins.unscored", lang, error=error))
    return out


def margins_markdown(m: Margins, lang: str = "en") -> str:
    header, rows = margins_rows(m, lang)

    def esc(cell: str) -> str:
        return cell.replace("|", "\\|").replace("\n", " ")

    lines = [f"# {_t('margins.title', lang)} — {m.edition}", "", f"- `{m.fingerprint}`", ""]
    lines += [f"- {x}" for x in notes(m, lang)]
    lines += ["", "| " + " | ".join(esc(h) for h in header) + " |",
              "|" + "|".join("---:" if k in (3, 6, 9) else "---" for k in range(len(header))) + "|"]
    lines += ["| " + " | ".join(esc(x) for x in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def margins_csv(m: Margins) -> str:
    """One line per centre, machine-readable (ids; exact values in full)."""
    from ..engine.exact import fraction_text

    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["centre_id", "centre_name", "model", "total", "tier", "next_tier", "reachable",
                  "points_to_next_tier", "strictly_more", "binding_gates", "steps", "reason", "total_margin"])
    for c in m.centres:
        out.writerow([
            c.centre_id, c.display_name("en"), c.model, format_number(c.total), c.tier or "", c.next_tier or "",
            "true" if c.reachable else "false",
            "" if c.points_to_next_tier is None else fraction_text(c.points_to_next_tier),
            "true" if c.strictly_more else "false",
            ";".join(g.gate for g in c.gates if g.holds is not True),
            ";".join(f"{s.criterion}:{format_number(s.from_points)}>{format_number(s.to_points)}"
                     for s in c.steps or ()),
            c.reason or "",
            "" if c.total_margin is None else fraction_text(c.total_margin),
        ])
    return buf.getvalue()
