"""The assumptions an impact used, and the inputs it ignored, as people read them
(English and Arabic, through the catalogue): rows for tables, a Markdown section, and
the summary line of who was scored."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .catalogue import catalogue
from .values import show_value

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.assume import Assumption
    from ..engine.impact import Impact

__all__ = ["MESSAGES", "assumption_rows", "assumptions_markdown", "note_rows", "summary_line"]

#: The templates of this module, registered in the catalogue when first used.
MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "impact.assumptions": "Assumptions",
        "impact.assumptions.lead": "Evidence of one edition lacks inputs the other guide reads; "
                                   "it was scored under these assumptions.",
        "impact.notes": "Inputs ignored",
        "impact.col.guide": "Guide",
        "impact.col.input": "Input",
        "impact.col.why": "Why",
        "impact.col.read": "Read as",
        "impact.col.source": "Stated by",
        "impact.col.criteria": "Criteria",
        "impact.col.centres": "Centres",
        "impact.col.note": "Note",
        "impact.why.added": "not in the evidence's edition",
        "impact.why.retyped": "of another type in the evidence's edition",
        "impact.read.value": "the value {value}",
        "impact.read.not_applicable": "its criteria not applicable",
        "impact.read.lowest": "lowest points: {points}",
        "impact.read.absent": "absent (each criterion's missing: policy)",
        "impact.points.attainable": "{criterion} {points}",
        "impact.points.scale": "{criterion} {points} (the scale's minimum: its kind lists no points)",
        "impact.source.assume": "--assume",
        "impact.source.past": "past: in guide {edition}",
        "impact.source.assume-missing": "--assume-missing",
        "impact.source.optional": "the input is optional",
        "impact.note.removed": "not declared by guide {edition}: ignored",
        "impact.summary": "{changed} of {scored} centre(s) scored under both guides change tier",
        "impact.summary.unscored": "; {unscored} unscored (not counted)",
    },
    "ar": {
        "impact.assumptions": "الافتراضات",
        "impact.assumptions.lead": "أدلة إصدار تنقصها مدخلات يقرؤها الدليل الآخر؛ قُيّمت وفق هذه الافتراضات.",
        "impact.notes": "مدخلات أُهملت",
        "impact.col.guide": "الدليل",
        "impact.col.input": "المدخل",
        "impact.col.why": "السبب",
        "impact.col.read": "قُرئ على أنه",
        "impact.col.source": "بحسب",
        "impact.col.criteria": "المعايير",
        "impact.col.centres": "المراكز",
        "impact.col.note": "ملاحظة",
        "impact.why.added": "غير موجود في إصدار الأدلة",
        "impact.why.retyped": "من نوع آخر في إصدار الأدلة",
        "impact.read.value": "القيمة {value}",
        "impact.read.not_applicable": "معاييره لا تنطبق",
        "impact.read.lowest": "أدنى النقاط: {points}",
        "impact.read.absent": "غائب (وفق سياسة missing: لكل معيار)",
        "impact.points.attainable": "{criterion} {points}",
        "impact.points.scale": "{criterion} {points} (الحد الأدنى للمقياس: نوعه لا يحدد نقاطه)",
        "impact.source.assume": "--assume",
        "impact.source.past": "past: في الدليل {edition}",
        "impact.source.assume-missing": "--assume-missing",
        "impact.source.optional": "المدخل اختياري",
        "impact.note.removed": "غير معرّف في الدليل {edition}: أُهمل",
        "impact.summary": "{changed} من {scored} مركزاً قُيّمت بالدليلين تتغير فئتها",
        "impact.summary.unscored": "؛ {unscored} لم تُقيَّم (غير محسوبة)",
    },
}


def _t(key: str, lang: str, **values: Any) -> str:
    cat = catalogue()
    if not cat.has("impact.assumptions"):
        cat.register(MESSAGES)
    return cat.text(key, lang, **values)


def _read_as(a: Assumption, lang: str) -> str:
    if a.how == "value":
        return _t("impact.read.value", lang, value=show_value(a.value, lang))
    if a.how == "lowest":
        points = ", ".join(_t(f"impact.points.{w}", lang, criterion=c, points=show_value(p, lang))
                           for c, p, w in a.points)
        return _t("impact.read.lowest", lang, points=points)
    return _t(f"impact.read.{a.how}", lang)


def _source(a: Assumption, lang: str) -> str:
    return _t(f"impact.source.{a.source}", lang, edition=a.edition)


def assumption_rows(result: Impact, lang: str = "en") -> tuple[list[str], list[list[str]]]:
    """One row per assumption: guide, input, why, read as, stated by, criteria, centres."""
    header = [_t(f"impact.col.{k}", lang) for k in ("guide", "input", "why", "read", "source", "criteria", "centres")]
    rows = [[a.edition, a.input, _t(f"impact.why.{a.reason}", lang), _read_as(a, lang), _source(a, lang),
             ", ".join(a.criteria), str(a.centres)] for a in result.assumptions]
    return header, rows


def note_rows(result: Impact, lang: str = "en") -> tuple[list[str], list[list[str]]]:
    """One row per input ignored under a guide: guide, input, note, centres."""
    header = [_t(f"impact.col.{k}", lang) for k in ("guide", "input", "note", "centres")]
    rows = [[x.edition, x.input, _t("impact.note.removed", lang, edition=x.edition), str(x.centres)]
            for x in result.notes]
    return header, rows


def summary_line(result: Impact, lang: str = "en") -> str:
    """``N of M centre(s) scored under both guides change tier; K unscored``."""
    text = _t("impact.summary", lang, changed=len(result.changed), scored=len(result.scored))
    if result.failures:
        text += _t("impact.summary.unscored", lang, unscored=len(result.failures))
    return text


def _md(header: list[str], rows: list[list[str]], numeric: int) -> str:
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|").replace("\n", " ")

    lines = ["| " + " | ".join(esc(h) for h in header) + " |",
             "|" + "|".join("---:" if k == numeric else "---" for k in range(len(header))) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def assumptions_markdown(result: Impact, lang: str = "en") -> str:
    """The Markdown section of the assumptions and ignored inputs ("" when none)."""
    parts = []
    if result.assumptions:
        header, rows = assumption_rows(result, lang)
        parts += [f"## {_t('impact.assumptions', lang)}", "", _t("impact.assumptions.lead", lang), "",
                  _md(header, rows, len(header) - 1)]
    if result.notes:
        header, rows = note_rows(result, lang)
        if parts:
            parts.append("")
        parts += [f"## {_t('impact.notes', lang)}", "", _md(header, rows, len(header) - 1)]
    return "\n".join(parts)
