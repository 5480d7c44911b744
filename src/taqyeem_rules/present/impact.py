"""An impact (:func:`taqyeem_rules.engine.impact.impact`) as people read it, in English
or Arabic: the tier transition tables, one row per centre, Markdown and CSV."""

from __future__ import annotations

from decimal import Decimal

from ..dsl.nodes import format_number
from ..dsl.numbers import canonical, display_round
from ..engine.impact import NONE_TIER, Impact

__all__ = ["impact_csv", "impact_markdown", "impact_rows", "transition_table"]


def transition_table(self: Impact, model: str) -> tuple[list[str], list[list[str]]]:
    """A from (rows) × to (columns) count table for one model; ``—`` is no tier."""
    order = [*self.tier_order.get(model, ()), None]
    seen = {t for tr in self.transitions if tr.model == model for t in (tr.old_tier, tr.new_tier)}
    order = [t for t in order if t in seen or t is None] + sorted(
        t for t in seen if t is not None and t not in order
    )
    counts = {(tr.old_tier, tr.new_tier): tr.count for tr in self.transitions if tr.model == model}
    header = ["from \\ to", *[t or NONE_TIER for t in order]]
    rows = [[a or NONE_TIER, *[str(counts.get((a, b), 0)) for b in order]] for a in order]
    return header, rows


def impact_rows(self: Impact, lang: str = "en") -> tuple[list[str], list[list[str]]]:
    """One row per centre: centre, name, model, old, new, Δ, old tier, new tier, movers."""
    w = _words(lang)
    header = [w["centre"], w["name"], w["model"], w["old"], w["new"], w["delta"], w["old_tier"],
              w["new_tier"], w["movers"]]
    rows = []
    for c in self.centres:
        rows.append([
            c.centre_id, c.display_name(lang), c.model,
            _num(c.old_total), _num(c.new_total), _signed(c.delta),
            c.old_tier or NONE_TIER, c.new_tier or NONE_TIER,
            c.error if c.error else ", ".join(f"{m.id} {_signed(display_round(m.delta))}" for m in c.movers),
        ])
    return header, rows

def impact_csv(self: Impact) -> str:
    """One line per centre, machine-readable (ids, not labels)."""
    from .._text import csv_text

    rows = [["centre_id", "centre_name", "model", "old_total", "new_total", "delta", "old_tier",
             "new_tier", "scored", "tier_changed", "movers", "error", "assumptions"]]
    for c in self.centres:
        rows.append([
            c.centre_id, c.display_name("en"), c.model, _num(c.old_total, ""), _num(c.new_total, ""),
            "" if c.delta is None else format_number(c.delta), c.old_tier or "", c.new_tier or "",
            "true" if c.scored else "false",
            "" if c.tier_changed is None else ("true" if c.tier_changed else "false"),
            ";".join(f"{m.id}={canonical(m.delta)}" for m in c.movers), c.error or "",
            ";".join(_assumption_cell(self, k) for k in c.assumptions),
        ])
    return csv_text(rows)

def impact_markdown(self: Impact, lang: str = "en") -> str:
    """A Markdown report: the transition tables, then every centre."""
    w = _words(lang)
    lines = [f"# {w['title']}: {self.old_edition} → {self.new_edition}", "",
             f"- {w['fingerprint']} {self.old_edition}: `{self.old_fingerprint}`",
             f"- {w['fingerprint']} {self.new_edition}: `{self.new_fingerprint}`",
             f"- {w['centres']}: {len(self.centres)}; {w['scored']}: {len(self.scored)}; "
             f"{w['tier_changes']}: {len(self.changed)}"
             + (f"; {w['failures']}: {len(self.failures)}" if self.failures else ""), ""]
    from .impact_assumptions import assumptions_markdown

    section = assumptions_markdown(self, lang)
    if section:
        lines += [section, ""]
    for model in self.models():
        header, rows = transition_table(self, model)
        lines += [f"## {w['transitions']} — {model}", "", _md(header, rows, numeric_from=1), ""]
    header, rows = impact_rows(self, lang)
    lines += [f"## {w['centres_head']}", "", _md(header, rows, numeric_cols={3, 4, 5}), ""]
    return "\n".join(lines)


_WORDS = {
    "en": {"centre": "Centre", "name": "Name", "model": "Model", "old": "Old total", "new": "New total",
           "delta": "Δ", "old_tier": "Old tier", "new_tier": "New tier", "movers": "Moved most",
           "title": "Impact of the guide change", "fingerprint": "fingerprint", "centres": "centres",
           "tier_changes": "tier changes", "failures": "unscored", "transitions": "Tier transitions",
           "scored": "scored under both",
           "centres_head": "Centres (tier changes first)"},
    "ar": {"centre": "المركز", "name": "الاسم", "model": "النموذج", "old": "المجموع السابق", "new": "المجموع الجديد",
           "delta": "الفرق", "old_tier": "الفئة السابقة", "new_tier": "الفئة الجديدة", "movers": "الأكثر تأثيراً",
           "title": "أثر تعديل الدليل", "fingerprint": "البصمة", "centres": "المراكز",
           "tier_changes": "تغيّر الفئة", "failures": "لم تُقيَّم",
           "scored": "قُيّمت بالدليلين", "transitions": "انتقالات الفئات",
           "centres_head": "المراكز (تغيّر الفئة أولاً)"},
}


def _assumption_cell(result: Impact, key: str) -> str:
    """``EDITION:INPUT=HOW`` (a value as canonical JSON) for the CSV."""
    from ..guide.guide import canonical_json

    found = next((a for a in result.assumptions if a.key == key), None)
    if found is None:
        return key
    if found.how == "value":
        return f"{key}={canonical_json(found.to_dict()['value'])}"
    return f"{key}={found.how}"


def _words(lang: str) -> dict[str, str]:
    return _WORDS["ar" if lang == "ar" else "en"]


def _num(d: Decimal | None, none: str = NONE_TIER) -> str:
    return none if d is None else format_number(d)


def _signed(d: Decimal | None) -> str:
    if d is None:
        return NONE_TIER
    text = format_number(d)
    return text if text.startswith("-") or d == 0 else "+" + text


def _md(header: list[str], rows: list[list[str]], *, numeric_from: int | None = None,
        numeric_cols: set[int] | None = None) -> str:
    from .._text import markdown_cell as esc

    def align(k: int) -> str:
        if (numeric_from is not None and k >= numeric_from) or (numeric_cols and k in numeric_cols):
            return "---:"
        return "---"

    lines = ["| " + " | ".join(esc(h) for h in header) + " |",
             "|" + "|".join(align(k) for k in range(len(header))) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)
