"""Sensitivity (:func:`taqyeem_rules.engine.sensitivity.sensitivity`) as people read it,
in English or Arabic: table rows, the cycle summary, Markdown and CSV."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from .catalogue import catalogue
from .formatters import Formatter, Options, formatter
from .margins import format_number, shown
from .tables import Column, Table, csv_table, dumps, markdown_table, rich_table
from .words import caveat, model_name, tier_name, with_caveat

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.sensitivity import CentreSensitivity, Sensitivity

__all__ = ["SensitivityView", "header_lines", "sensitivity_csv", "sensitivity_markdown", "sensitivity_rows", "summary_rows"]



def _t(key: str, lang: str, **values: Any) -> str:
    return catalogue().text(key, lang, **values)


def _pct(x: Fraction) -> str:
    """A share as a percentage at 2 places (rounded down: "keeps" is never overstated)."""
    return shown(x * 100, 2, up=False) + "%"


def _tier(tier: str | None, model: str, lang: str, guides: Sequence[Any]) -> str:
    return tier_name(tier, lang, model=model, guides=guides) if tier else _t("sens.no_tier", lang)


def _flip(c: CentreSensitivity, lang: str, guides: Sequence[Any] = ()) -> str:
    p = c.nearest_flip
    if p is None:
        return _t("sens.stable", lang)
    weights = ", ".join(f"{k} {shown(v, 2, up=False)}" for k, v in p.weights)
    cutoffs = ", ".join(f"{k} {shown(v, 2, up=False)}" for k, v in p.cutoffs)
    return _t("sens.flip", lang, tier=_tier(c.flip_tier, c.model, lang, guides),
              distance=shown(p.distance * 100, 2, up=False), weights=weights, cutoffs=cutoffs)


def header_lines(s: Sensitivity, lang: str = "en") -> list[str]:
    """The bounds, the perturbations of each model, and the summary."""
    out = [_t("sens.bounds", lang, weights=format_number(s.weights), thresholds=format_number(s.thresholds),
              seed=s.seed)]
    for p in s.plans:
        out.append(_t(f"sens.plan.{p.method}", lang, model=model_name(p.model, lang), levels=p.levels, dims=len(p.dimensions),
                      count=f"{p.count:,}"))
    out.append(_t("sens.summary", lang, fragile=len(s.fragile), centres=len(s.centres)))
    for cid, error in s.failures:
        out.append(f"{cid}: " + _t("sens.unscored", lang, error=error))
    return out


def sensitivity_rows(s: Sensitivity, lang: str = "en", guides: Sequence[Any] = ()
                     ) -> tuple[list[str], list[list[str]]]:
    """One row per centre, least stable first: centre, name, model, total, tier, the share
    that keeps it, the closest change, the largest move of the total."""
    header = [_t(f"sens.col.{k}", lang) for k in ("centre", "name", "model", "total", "tier", "keeps", "flip",
                                                    "change")]
    order = sorted(s.centres, key=lambda c: (c.share, c.model != "onsite", c.model, c.centre_id))
    rows = [[c.centre_id, c.display_name(lang), model_name(c.model, lang), format_number(c.total),
             _tier(c.tier, c.model, lang, guides), _pct(c.share), _flip(c, lang, guides),
             shown(c.max_total_change, 2)]
            for c in order]
    return header, rows


def summary_rows(s: Sensitivity, lang: str = "en", guides: Sequence[Any] = ()) -> tuple[list[str], list[list[str]]]:
    """Expected tier counts: model, tier, expected count (2 places, half even)."""
    header = [_t("sens.col.model", lang), _t("sens.col.tier", lang), _t("sens.col.expected", lang)]
    from ..engine.exact import round_fraction

    rows = [[model_name(m, lang), _tier(t, m, lang, guides), shown(round_fraction(v, 2, "half_even"), 2)]
            for m in s.models() for t, v in s.expected(m)]
    return header, rows


def _columns(header: list[str], numeric: set[int], keep: set[int]) -> list[Column]:
    return [Column(h, numeric=k in numeric, keep=k in keep, squeeze=k not in numeric | keep)
            for k, h in enumerate(header)]


def sensitivity_markdown(s: Sensitivity, lang: str = "en", guides: Sequence[Any] = ()) -> str:
    """The report as Markdown: bounds, perturbations, one row per centre, expected counts."""
    lines = [f"# {_t('sens.title', lang)} — {s.edition}", "", f"- `{s.fingerprint}`"]
    lines += [f"- {x}" for x in header_lines(s, lang)]
    header, rows = sensitivity_rows(s, lang, guides)
    lines += ["", markdown_table(_columns(header, {3, 5, 7}, {0, 2, 4}), rows), "", f"## {_t('sens.expected', lang)}",
              ""]
    header, rows = summary_rows(s, lang, guides)
    lines.append(markdown_table(_columns(header, {2}, {0, 1}), rows))
    return "\n".join(lines) + "\n"


def sensitivity_csv(s: Sensitivity) -> str:
    """One line per centre (ids, exact values in full; an empty cell where there is
    none); the last
    column is the ``guide_status`` (``illustrative`` or ``official``)."""
    from ..engine.exact import fraction_text

    header = ["centre_id", "centre_name", "model", "total", "tier", "perturbations", "kept", "share",
              "flip_tier", "flip_distance", "max_total_change"]
    rows = [[c.centre_id, c.display_name("en"), c.model, format_number(c.total), c.tier or "",
             str(c.perturbations), str(c.kept), fraction_text(c.share), c.flip_tier or "",
             "" if c.nearest_flip is None else fraction_text(c.nearest_flip.distance),
             fraction_text(c.max_total_change)] for c in s.centres]
    header.append("guide_status")
    rows = [[*row, s.guide_status] for row in rows]
    return csv_table(header, rows)


# ---- the formatters of `taqyeem sensitivity` -----------------------------------------------------


@dataclass(frozen=True)
class SensitivityView:
    """What ``taqyeem sensitivity`` shows: the guide and the analysis."""

    guide: Any
    sensitivity: Sensitivity


@formatter("sensitivity", "table")
class SensitivityTable(Formatter):
    """One row per centre, least stable first; the expected tier counts; the bounds and
    the perturbations under them; the caveat."""

    def render(self, subject: SensitivityView, options: Options) -> list[Any]:
        from .lines import line

        lang, s, guides = options.lang, subject.sensitivity, (subject.guide,)
        header, rows = sensitivity_rows(s, lang, guides)
        parts: list[Any] = [rich_table(Table.of(_columns(header, {3, 5, 7}, {0, 2, 4}), rows,
                                                f"{_t('sens.title', lang)} — {subject.guide.edition}"))]
        header, rows = summary_rows(s, lang, guides)
        parts.append(rich_table(Table.of(_columns(header, {2}, {0, 1}), rows, _t("sens.expected", lang))))
        parts += [line((x, "dim")) for x in header_lines(s, lang)]
        note = caveat(lang, subject.guide)
        if note:
            parts.append(line((note, "dim")))
        return parts


@formatter("sensitivity", "json")
class SensitivityJson(Formatter):
    """The analysis' data, and the status of the guide's numbers."""

    data = True

    def render(self, subject: SensitivityView, options: Options) -> str:
        return dumps(subject.sensitivity.to_dict())


@formatter("sensitivity", "csv")
class SensitivityCsv(Formatter):
    """One line per centre, with a ``guide_status`` column."""

    data = True

    def render(self, subject: SensitivityView, options: Options) -> str:
        return sensitivity_csv(subject.sensitivity)


@formatter("sensitivity", "markdown")
class SensitivityMarkdown(Formatter):
    """The report for the committee (with the caveat of an illustrative guide)."""

    data = True

    def render(self, subject: SensitivityView, options: Options) -> str:
        text = sensitivity_markdown(subject.sensitivity, options.lang, (subject.guide,))
        return with_caveat(text, options.lang, subject.guide)
