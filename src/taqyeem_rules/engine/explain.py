"""The explanation of a result as a tree: how each number arose.

:func:`explain_tree` gives a neutral structure (:class:`Line` with children) that the
CLI draws with rich and :func:`explain_text` renders as plain text. Labels follow the
language asked for (``en`` or ``ar``); identifiers stay as written in the guide.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from ..dsl.nodes import format_number, unparse
from ..dsl.numbers import canonical
from ..guide.model import Expr
from .result import CriterionResult, Result

__all__ = ["Line", "explain_text", "explain_tree"]

_WORDS = {
    "en": {
        "centre": "Centre",
        "total": "Total",
        "exact": "exact",
        "tier": "tier",
        "no_tier": "no tier",
        "basic": "Basic attainment",
        "weight": "weight",
        "score": "score",
        "na": "not applicable",
        "points": "points",
        "row": "row",
        "contributes": "contributes",
        "of_total": "to the total",
        "inputs": "inputs",
        "missing_zero": "missing → 0 points (missing: zero)",
        "missing_na": "missing → not applicable (missing: not_applicable)",
        "basic_mark": "basic",
        "flags": "Flags",
        "require": "require",
        "min": "min",
        "guide": "guide",
    },
    "ar": {
        "centre": "المركز",
        "total": "المجموع",
        "exact": "القيمة الدقيقة",
        "tier": "الفئة",
        "no_tier": "بلا فئة",
        "basic": "نسبة تحقق المعايير الأساسية",
        "weight": "الوزن",
        "score": "الدرجة",
        "na": "لا ينطبق",
        "points": "نقاط",
        "row": "الصف",
        "contributes": "يسهم بـ",
        "of_total": "في المجموع",
        "inputs": "المدخلات",
        "missing_zero": "مفقود ← صفر (missing: zero)",
        "missing_na": "مفقود ← لا ينطبق (missing: not_applicable)",
        "basic_mark": "أساسي",
        "flags": "المؤشرات",
        "require": "شرط",
        "min": "الحد الأدنى",
        "guide": "الدليل",
    },
}


@attrs.define
class Line:
    text: str
    children: list[Line] = attrs.field(factory=list)
    style: str = ""


def _x(value: Decimal | None) -> str:
    return "—" if value is None else canonical(value)


def _r(value: Decimal | None) -> str:
    return "—" if value is None else format_number(value)


def _v(value: Any) -> str:
    if value is None:
        return "missing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_v(x)}" for k, x in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(_v(x) for x in value) + "]"
    return str(value)


def _criterion_line(cr: CriterionResult, w: dict[str, str], lang: str, scale_max: Decimal) -> Line:
    c = cr.criterion
    label = cr.label.get(lang)
    mark = f" [{w['basic_mark']}]" if cr.basic else ""
    if cr.status in ("not_applicable", "missing_not_applicable"):
        head = f"{cr.id} — {label}{mark}: {w['na']}"
        line = Line(head, style="dim")
        if cr.status == "missing_not_applicable":
            line.children.append(Line(w["missing_na"]))
    else:
        head = (
            f"{cr.id} — {label}{mark}: {_x(cr.points)}/{format_number(scale_max)} {w['points']}"
            f" = {_x(cr.percentage)}%"
        )
        if cr.contribution is not None:
            head += f", {w['contributes']} {_x(cr.contribution)} {w['of_total']}"
        line = Line(head)
        if cr.status == "missing_zero":
            line.children.append(Line(w["missing_zero"]))
    if c is not None:
        if c.applicable is not None:
            line.children.append(Line(f"applicable: {c.applicable.canonical}"))
        if c.bands is not None and cr.row is not None:
            row = c.bands.rows[cr.row - 1]
            cells = " | ".join(row.cells_text())
            pts = _x(row.points) if isinstance(row.points, Decimal) else row.points.canonical
            on = ", ".join(o.canonical for o in c.bands.on)
            line.children.append(Line(f"{w['row']} {cr.row} of the table on {on}: {cells} → {pts}"))
        elif isinstance(c.score, Expr) and cr.status == "scored":
            line.children.append(Line(f"score: {unparse(c.score.node)} = {_x(cr.points)}"))
    if cr.effective_weight is not None:
        line.children.append(
            Line(f"{w['weight']} {_x(cr.weight)} in its category → {_x(cr.effective_weight)} of 100")
        )
    if cr.inputs:
        line.children.append(
            Line(f"{w['inputs']}: " + ", ".join(f"{k} = {_v(v)}" for k, v in cr.inputs.items()))
        )
    return line


def explain_tree(result: Result, lang: str = "en") -> Line:
    """The explanation of a result as a tree of lines."""
    w = _WORDS.get(lang, _WORDS["en"])
    ev = result.evidence
    model = result._compiled.model
    guide = result._compiled.guide
    tier = result.tier
    root = Line(
        f"{w['centre']} {ev.centre_id} — {ev.name(lang)} ({model.id}, {w['guide']} {guide.edition}, "
        f"{guide.fingerprint[:12]})",
        style="bold",
    )
    tier_text = tier.label.get(lang) if tier is not None else w["no_tier"]
    total = Line(
        f"{w['total']} {_r(result.total)} ({w['exact']} {_x(result.total_exact)}) → {w['tier']}: {tier_text}",
        style="bold",
    )
    for t in model.tiers:
        cond = f"{w['min']} {format_number(t.min)}"
        if t.require is not None:
            cond += f", {w['require']} {t.require.canonical}"
        mark = "✓" if tier is not None and t.id == tier.id else "·"
        total.children.append(Line(f"{mark} {t.label.get(lang)} ({t.id}): {cond}"))
    root.children.append(total)
    root.children.append(
        Line(f"{w['basic']} {_r(result.basic_attainment)} ({w['exact']} {_x(result.basic_attainment_exact)})")
    )
    crits = {c.id: c for c in result.criteria}
    for cat in result.categories:
        if cat.applicable:
            head = f"{cat.label.get(lang)} ({cat.id}) — {w['weight']} {_x(cat.weight)}, {w['score']} {_r(cat.score)}"
        else:
            head = f"{cat.label.get(lang)} ({cat.id}) — {w['weight']} {_x(cat.weight)}: {w['na']}"
        line = Line(head, style="bold cyan" if cat.applicable else "dim")
        for cid in cat.criteria:
            line.children.append(_criterion_line(crits[cid], w, lang, guide.points.max))
        root.children.append(line)
    if result.flags:
        flags = Line(w["flags"])
        for f in model.flags:
            flags.children.append(Line(f"{f.label.get(lang)} ({f.id}): {_v(result.flags[f.id])} — {f.when.canonical}"))
        root.children.append(flags)
    return root


def explain_text(result: Result, lang: str = "en", *, escape: Callable[[str], str] | None = None) -> str:
    """The explanation as indented plain text (each line's text through ``escape``, if
    given: the CLI makes control characters visible for a terminal)."""
    out: list[str] = []

    def walk(line: Line, prefix: str, last: bool, top: bool) -> None:
        text = line.text if escape is None else escape(line.text)
        if top:
            out.append(text)
            child_prefix = ""
        else:
            out.append(prefix + ("└── " if last else "├── ") + text)
            child_prefix = prefix + ("    " if last else "│   ")
        for k, child in enumerate(line.children):
            walk(child, child_prefix, k == len(line.children) - 1, False)

    walk(explain_tree(result, lang), "", True, True)
    return "\n".join(out)
