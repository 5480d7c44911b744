"""Sensitivity (:func:`taqyeem_rules.engine.sensitivity.sensitivity`) as people read it,
in English or Arabic: table rows, the cycle summary, Markdown and CSV."""

from __future__ import annotations

import csv
import io
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..dsl.numbers import format_number
from .catalogue import catalogue
from .margins import shown

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.sensitivity import CentreSensitivity, Sensitivity

__all__ = ["MESSAGES", "header_lines", "sensitivity_csv", "sensitivity_markdown", "sensitivity_rows", "summary_rows"]

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        "sens.title": "Sensitivity of the tiers",
        "sens.bounds": "Category weights ±{weights}% each (renormalised to 100), tier cut-offs ±{thresholds} "
                       "points; seed {seed}.",
        "sens.plan.grid": "{model}: a grid of {levels} levels on {dims} dimension(s), {count} perturbations",
        "sens.plan.sample": "{model}: {count} seeded samples on {dims} dimension(s)",
        "sens.plan.identity": "{model}: no perturbation (bounds of 0): the guide as it is",
        "sens.col.centre": "Centre",
        "sens.col.name": "Name",
        "sens.col.model": "Model",
        "sens.col.total": "Total",
        "sens.col.tier": "Tier",
        "sens.col.keeps": "Keeps its tier",
        "sens.col.flip": "Closest change",
        "sens.col.change": "Total moves by at most",
        "sens.flip": "→ {tier} at {distance}% of the bounds ({weights}; {cutoffs})",
        "sens.stable": "stable",
        "sens.no_tier": "no tier",
        "sens.summary": "{fragile} of {centres} centre(s) have a fragile tier (changed by some perturbation)",
        "sens.expected": "Expected tier counts",
        "sens.col.expected": "Expected",
        "sens.unscored": "not scored: {error}",
    },
    "ar": {
        "sens.title": "حساسية الفئات",
        "sens.bounds": "أوزان المحاور ±{weights}٪ لكل منها (يعاد توزيعها إلى 100)، وحدود الفئات ±{thresholds} "
                       "نقطة؛ البذرة {seed}.",
        "sens.plan.grid": "{model}: شبكة من {levels} مستويات على {dims} بُعد، {count} اضطراباً",
        "sens.plan.sample": "{model}: {count} عينة مبذورة على {dims} بُعد",
        "sens.plan.identity": "{model}: بلا اضطراب (حدود صفرية): الدليل كما هو",
        "sens.col.centre": "المركز",
        "sens.col.name": "الاسم",
        "sens.col.model": "النموذج",
        "sens.col.total": "المجموع",
        "sens.col.tier": "الفئة",
        "sens.col.keeps": "يحتفظ بفئته",
        "sens.col.flip": "أقرب تغيير",
        "sens.col.change": "أقصى تغير للمجموع",
        "sens.flip": "← {tier} عند {distance}٪ من الحدود ({weights}؛ {cutoffs})",
        "sens.stable": "مستقر",
        "sens.no_tier": "بلا فئة",
        "sens.summary": "{fragile} من {centres} مركزاً فئتها هشة (يغيّرها اضطراب ما)",
        "sens.expected": "العدد المتوقع لكل فئة",
        "sens.col.expected": "المتوقع",
        "sens.unscored": "لم يُقيَّم: {error}",
    },
}


def _t(key: str, lang: str, **values: Any) -> str:
    cat = catalogue()
    if not cat.has("sens.title"):
        cat.register(MESSAGES)
    return cat.text(key, lang, **values)


def _pct(x: Fraction) -> str:
    """A share as a percentage at 2 places (rounded down: "keeps" is never overstated)."""
    return shown(x * 100, 2, up=False) + "%"


def _flip(c: CentreSensitivity, lang: str) -> str:
    p = c.nearest_flip
    if p is None:
        return _t("sens.stable", lang)
    weights = ", ".join(f"{k} {shown(v, 2, up=False)}" for k, v in p.weights)
    cutoffs = ", ".join(f"{k} {shown(v, 2, up=False)}" for k, v in p.cutoffs)
    return _t("sens.flip", lang, tier=c.flip_tier or _t("sens.no_tier", lang),
              distance=shown(p.distance * 100, 2, up=False), weights=weights, cutoffs=cutoffs)


def header_lines(s: Sensitivity, lang: str = "en") -> list[str]:
    """The bounds, the perturbations of each model, and the summary."""
    out = [_t("sens.bounds", lang, weights=format_number(s.weights), thresholds=format_number(s.thresholds),
              seed=s.seed)]
    for p in s.plans:
        out.append(_t(f"sens.plan.{p.method}", lang, model=p.model, levels=p.levels, dims=len(p.dimensions),
                      count=f"{p.count:,}"))
    out.append(_t("sens.summary", lang, fragile=len(s.fragile), centres=len(s.centres)))
    for cid, error in s.failures:
        out.append(f"{cid}: " + _t("sens.unscored", lang, error=error))
    return out


def sensitivity_rows(s: Sensitivity, lang: str = "en") -> tuple[list[str], list[list[str]]]:
    """One row per centre, least stable first: centre, name, model, total, tier, the share
    that keeps it, the closest change, the largest move of the total."""
    header = [_t(f"sens.col.{k}", lang) for k in ("centre", "name", "model", "total", "tier", "keeps", "flip",
                                                    "change")]
    order = sorted(s.centres, key=lambda c: (c.share, c.model != "onsite", c.model, c.centre_id))
    rows = [[c.centre_id, c.display_name(lang), c.model, format_number(c.total),
             c.tier or _t("sens.no_tier", lang), _pct(c.share), _flip(c, lang), shown(c.max_total_change, 2)]
            for c in order]
    return header, rows


def summary_rows(s: Sensitivity, lang: str = "en") -> tuple[list[str], list[list[str]]]:
    """Expected tier counts: model, tier, expected count (2 places, half even)."""
    header = [_t("sens.col.model", lang), _t("sens.col.tier", lang), _t("sens.col.expected", lang)]
    from ..engine.exact import round_fraction

    rows = [[m, t or _t("sens.no_tier", lang), shown(round_fraction(v, 2, "half_even"), 2)]
            for m in s.models() for t, v in s.expected(m)]
    return header, rows


def _md(header: list[str], rows: list[list[str]], numeric: set[int]) -> list[str]:
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|").replace("\n", " ")

    return ["| " + " | ".join(esc(h) for h in header) + " |",
            "|" + "|".join("---:" if k in numeric else "---" for k in range(len(header))) + "|",
            *("| " + " | ".join(esc(x) for x in row) + " |" for row in rows)]


def sensitivity_markdown(s: Sensitivity, lang: str = "en") -> str:
    lines = [f"# {_t('sens.title', lang)} — {s.edition}", "", f"- `{s.fingerprint}`"]
    lines += [f"- {x}" for x in header_lines(s, lang)]
    header, rows = sensitivity_rows(s, lang)
    lines += ["", *_md(header, rows, {3, 5, 7}), "", f"## {_t('sens.expected', lang)}", ""]
    header, rows = summary_rows(s, lang)
    lines += _md(header, rows, {2})
    return "\n".join(lines) + "\n"


def sensitivity_csv(s: Sensitivity) -> str:
    """One line per centre (ids, exact values in full)."""
    from ..engine.exact import fraction_text

    buf = io.StringIO()
    out = csv.writer(buf, lineterminator="\n")
    out.writerow(["centre_id", "centre_name", "model", "total", "tier", "perturbations", "kept", "share",
                  "flip_tier", "flip_distance", "max_total_change"])
    for c in s.centres:
        out.writerow([c.centre_id, c.display_name("en"), c.model, format_number(c.total), c.tier or "",
                      c.perturbations, c.kept, fraction_text(c.share), c.flip_tier or "",
                      "" if c.nearest_flip is None else fraction_text(c.nearest_flip.distance),
                      fraction_text(c.max_total_change)])
    return buf.getvalue()
