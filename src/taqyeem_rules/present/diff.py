"""A diff (:func:`taqyeem_rules.engine.diff.diff_guides`) as people read it, in English
or Arabic: table rows, the Markdown paper for the committee, effective weights as text."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..dsl import nodes as n
from ..dsl.numbers import canonical, display_round
from ..engine.diff import (
    Added,
    Changed,
    Diff,
    Edit,
    EffectiveWeight,
    Moved,
    Relabelled,
    Removed,
    Reweighted,
)
from ..guide.model import Text

__all__ = ["diff_markdown", "diff_rows", "weight_texts"]


def diff_rows(diff: Diff, lang: str = "en") -> list[tuple[str, str, str, str, str]]:
    """One row per edit for tables: (element, id, change, old, new)."""
    return [_row(e, lang) for e in diff.edits]


def diff_markdown(diff: Diff, lang: str = "en") -> str:
    """The diff as a Markdown paper for the committee."""
    return _markdown(diff, lang)


def weight_texts(w: EffectiveWeight) -> tuple[str, str, str]:
    """(old, new, signed delta) at 2 places, half up, for tables (``—`` where absent)."""
    delta = _weight_text(w.delta)
    if not delta.startswith("-") and delta != "0.00":
        delta = "+" + delta
    return _weight_text(w.old), _weight_text(w.new), delta


def _is_expression_field(name: str) -> bool:
    """A changed field that holds expressions (shown as code): a score, a condition, a
    gate, the values a table tests, a kind's points formula."""
    return name in ("score", "applicable", "require", "when") or name.endswith((".on", ".points", ".score"))




_WORDS = {
    "en": {
        "numbers": "numbers", "points": "points scale", "input": "input", "item": "checklist item",
        "model": "model", "category": "category", "criterion": "criterion", "tier": "tier", "flag": "flag",
        "added": "added", "removed": "removed", "moved": "moved", "reweighted": "reweighted",
        "changed": "changed", "relabelled": "relabelled", "position": "position",
        "onsite": "on-site", "remote": "remote",
        "title": "Changes to the evaluation guide", "from": "from edition", "to": "to edition",
        "fingerprint": "fingerprint", "summary": "Summary", "edits": "Edits",
        "weights": "Effective weights", "none": "No changes: the two guides score alike.",
        "weights_note": "A criterion's share of its model's total when every criterion applies "
                        "(category weight × criterion weight ÷ Σ criterion weights of its category).",
        "element": "Element", "id": "Id", "change": "Change", "old": "Old", "new": "New", "delta": "Δ",
        "count": "Count", "no_weights": "No effective weight changed.", "category_col": "Category",
        "model_col": "Model", "criterion_col": "Criterion",
    },
    "ar": {
        "numbers": "إعدادات الأرقام", "points": "سلّم النقاط", "input": "مدخل", "item": "بند قائمة",
        "model": "نموذج", "category": "محور", "criterion": "معيار", "tier": "فئة", "flag": "مؤشر",
        "added": "أُضيف", "removed": "حُذف", "moved": "نُقل", "reweighted": "تغيّر الوزن",
        "changed": "تغيّر", "relabelled": "تغيّرت التسمية", "position": "الموضع",
        "onsite": "المقر", "remote": "عن بعد",
        "title": "التغييرات على دليل التقييم", "from": "من الإصدار", "to": "إلى الإصدار",
        "fingerprint": "البصمة", "summary": "الملخص", "edits": "التغييرات",
        "weights": "الأوزان الفعلية", "none": "لا تغييرات: الدليلان متطابقان في التقييم.",
        "weights_note": "حصة المعيار من المجموع الكلي لنموذجه عند انطباق جميع المعايير "
                        "(وزن المحور × وزن المعيار ÷ مجموع أوزان معايير المحور).",
        "element": "العنصر", "id": "المعرّف", "change": "التغيير", "old": "قبل", "new": "بعد", "delta": "الفرق",
        "count": "العدد", "no_weights": "لم يتغير أي وزن فعلي.", "category_col": "المحور",
        "model_col": "النموذج", "criterion_col": "المعيار",
    },
}


def _words(lang: str) -> dict[str, str]:
    return _WORDS["ar" if lang == "ar" else "en"]


def _show(value: Any, lang: str) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, tuple | list):
        return "; ".join(_show(v, lang) for v in value)
    return str(value)


def _where(e: Edit, lang: str) -> str:
    w = _words(lang)
    return w[e.what] if e.model is None or e.what == "model" else f"{w[e.what]} ({w[e.model]})"


def _row(e: Edit, lang: str) -> tuple[str, str, str, str, str]:
    w = _words(lang)
    change = w[e.kind]
    old = new = ""
    if isinstance(e, Added):
        new = _show(e.label, lang)
        if e.parent:
            new += f" [{e.parent}]"
        if e.weight is not None and e.what in ("category", "criterion"):
            new += f" ({_show(e.weight, lang)})"
    elif isinstance(e, Removed):
        old = _show(e.label, lang)
        if e.parent:
            old += f" [{e.parent}]"
        if e.weight is not None and e.what in ("category", "criterion"):
            old += f" ({_show(e.weight, lang)})"
    elif isinstance(e, Moved):
        if e.old_parent != e.new_parent:
            old, new = e.old_parent or "", e.new_parent or ""
        else:
            old = f"{w['position']} {e.old_position + 1}"
            new = f"{w['position']} {e.new_position + 1}"
    elif isinstance(e, Reweighted | Relabelled):
        old, new = _show(e.old, lang), _show(e.new, lang)
    elif isinstance(e, Changed):
        change = f"{w['changed']}: {e.field}"
        old, new = _show(e.old, lang), _show(e.new, lang)
        if e.subtrees and e.field.endswith("rows"):  # a table's rows, of any kind: paired
            old = "; ".join(_show(a, lang) for a, _ in e.subtrees)
            new = "; ".join(_show(b, lang) for _, b in e.subtrees)
        elif e.subtrees:
            old += " (" + ", ".join(_show(a, lang) for a, _ in e.subtrees) + ")"
            new += " (" + ", ".join(_show(b, lang) for _, b in e.subtrees) + ")"
    return (_where(e, lang), e.id, change, old, new)


def _md_escape(text: str) -> str:
    from .._text import markdown_cell

    return markdown_cell(text)


def _md_code(text: str) -> str:
    if not text or text == "—":
        return text
    return f"`{text}`" if "`" not in text else text


def _weight_text(d: Decimal | None) -> str:
    if d is None:
        return "—"
    return n.format_number(display_round(d))


def _markdown(diff: Diff, lang: str) -> str:
    w = _words(lang)
    lines = [f"# {w['title']}: {diff.old_edition} → {diff.new_edition}", ""]
    if diff.old_title is not None and diff.new_title is not None:
        lines += [f"- {w['from']} {diff.old_edition}: {diff.old_title.get(lang)}",
                  f"- {w['to']} {diff.new_edition}: {diff.new_title.get(lang)}"]
    lines += [
        f"- {w['fingerprint']} {diff.old_edition}: `{diff.old_fingerprint}`",
        f"- {w['fingerprint']} {diff.new_edition}: `{diff.new_fingerprint}`",
        "",
        f"## {w['summary']}",
        "",
    ]
    if diff.empty:
        lines += [w["none"], ""]
    else:
        lines += [f"| {w['change']} | {w['count']} |", "|---|---:|"]
        lines += [f"| {w[k]} | {c} |" for k, c in diff.counts().items() if c]
        lines += ["", f"## {w['edits']}", ""]
        current = None
        for e in diff.edits:
            head = _section(e, lang)
            if head != current:
                if current is not None:
                    lines.append("")
                lines += [f"### {head}", "", f"| {w['id']} | {w['change']} | {w['old']} | {w['new']} |",
                          "|---|---|---|---|"]
                current = head
            _, ident, change, old, new = _row(e, lang)
            if isinstance(e, Changed) and _is_expression_field(e.field):
                old, new = _md_code_expr(e, "old"), _md_code_expr(e, "new")
            lines.append(f"| `{ident}` | {_md_escape(change)} | {_md_escape(old)} | {_md_escape(new)} |")
        lines.append("")
    lines += [f"## {w['weights']}", "", w["weights_note"], ""]
    changed = diff.changed_weights()
    if not changed:
        lines += [w["no_weights"], ""]
    else:
        lines += [f"| {w['model_col']} | {w['criterion_col']} | {w['category_col']} | {w['old']} | {w['new']} | {w['delta']} |",
                  "|---|---|---|---:|---:|---:|"]
        for ew in changed:
            cat = ew.new_category or ew.old_category or ""
            if ew.old_category and ew.new_category and ew.old_category != ew.new_category:
                cat = f"{ew.old_category} → {ew.new_category}"
            old, new, delta = ew.text()
            lines.append(f"| {w[ew.model]} | `{ew.id}` | {cat} | {old} | {new} | {delta} |")
        lines.append("")
    return "\n".join(lines)


def _md_code_expr(e: Changed, side: str) -> str:
    whole = e.old if side == "old" else e.new
    text = _md_code(_show(whole, "en"))
    if e.subtrees:
        parts = [a if side == "old" else b for a, b in e.subtrees]
        text += " (" + ", ".join(_md_code(_show(p, "en")) for p in parts) + ")"
    return text


def _section(e: Edit, lang: str) -> str:
    w = _words(lang)
    plural = {
        "en": {"numbers": "Numbers", "points": "Points scale", "input": "Inputs", "item": "Inputs",
               "model": "Model", "category": "Categories", "criterion": "Criteria", "tier": "Tiers",
               "flag": "Flags"},
        "ar": {"numbers": "إعدادات الأرقام", "points": "سلّم النقاط", "input": "المدخلات", "item": "المدخلات",
               "model": "النموذج", "category": "المحاور", "criterion": "المعايير", "tier": "الفئات",
               "flag": "المؤشرات"},
    }["ar" if lang == "ar" else "en"]
    head = plural[e.what]
    if e.model is not None:
        head += f" — {w[e.model]}"
    return head
