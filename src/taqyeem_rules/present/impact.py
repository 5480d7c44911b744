"""An impact (:func:`taqyeem_rules.engine.impact.impact`) as people read it, in English
or Arabic — the tier transition tables, one row per centre, Markdown and CSV — and the
formatters of ``taqyeem impact``."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .catalogue import catalogue
from .formatters import Formatter, Options, formatter
from .tables import Column, Table, csv_table, dumps, markdown_table, rich_table
from .values import NONE
from .words import caveat, model_name, tier_name, with_caveat

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.impact import Impact

__all__ = ["ImpactView", "impact_csv", "impact_markdown", "impact_rows", "transition_table"]


def _w(key: str, lang: str, **values: Any) -> str:
    return catalogue().text(f"impact.{key}", lang, **values)


def transition_table(result: Impact, model: str, lang: str = "en", guides: Sequence[Any] = ()
                     ) -> tuple[list[str], list[list[str]]]:
    """A from (rows) × to (columns) count table for one model; ``—`` is no tier (tier ids
    in English, their labels in Arabic when ``guides`` are given)."""
    order = [*result.tier_order.get(model, ()), None]
    seen = {t for tr in result.transitions if tr.model == model for t in (tr.old_tier, tr.new_tier)}
    order = [t for t in order if t in seen or t is None] + sorted(
        t for t in seen if t is not None and t not in order
    )
    counts = {(tr.old_tier, tr.new_tier): tr.count for tr in result.transitions if tr.model == model}

    def name(t: str | None) -> str:
        return tier_name(t, lang, model=model, guides=guides)

    header = [_w("from_to", lang), *[name(t) for t in order]]
    rows = [[name(a), *[str(counts.get((a, b), 0)) for b in order]] for a in order]
    return header, rows


def _columns(lang: str) -> list[Column]:
    return [Column(_w("col.centre", lang), keep=True), Column(_w("col.name", lang), squeeze=True),
            Column(_w("col.model", lang), keep=True), Column(_w("col.old", lang), numeric=True),
            Column(_w("col.new", lang), numeric=True), Column(_w("col.delta", lang), numeric=True),
            Column(_w("col.old_tier", lang), keep=True), Column(_w("col.new_tier", lang), keep=True),
            Column(_w("col.movers", lang), keep=True)]


def impact_rows(result: Impact, lang: str = "en", guides: Sequence[Any] = ()
                ) -> tuple[list[str], list[list[str]]]:
    """One row per centre: centre, name, model, old, new, Δ, old tier, new tier, movers."""
    from ..dsl.numbers import display_round

    header = [c.title for c in _columns(lang)]
    rows = []
    for c in result.centres:
        rows.append([
            c.centre_id, c.display_name(lang), model_name(c.model, lang),
            _num(c.old_total), _num(c.new_total), _signed(c.delta),
            tier_name(c.old_tier, lang, model=c.model, guides=guides[:1]),
            tier_name(c.new_tier, lang, model=c.model, guides=guides[1:]),
            c.error if c.error else ", ".join(f"{m.id} {_signed(display_round(m.delta))}" for m in c.movers),
        ])
    return header, rows


def impact_csv(result: Impact) -> str:
    """One line per centre, machine-readable (ids, not labels; an empty cell where there
    is none); the last
    column is the ``guide_status`` (``illustrative`` or ``official``)."""
    from ..dsl.nodes import format_number
    from ..dsl.numbers import canonical

    header = ["centre_id", "centre_name", "model", "old_total", "new_total", "delta", "old_tier",
              "new_tier", "scored", "tier_changed", "movers", "error", "assumptions"]
    rows = []
    for c in result.centres:
        rows.append([
            c.centre_id, c.display_name("en"), c.model, _num(c.old_total, ""), _num(c.new_total, ""),
            "" if c.delta is None else format_number(c.delta), c.old_tier or "", c.new_tier or "",
            "true" if c.scored else "false",
            "" if c.tier_changed is None else ("true" if c.tier_changed else "false"),
            ";".join(f"{m.id}={canonical(m.delta)}" for m in c.movers), c.error or "",
            ";".join(_assumption_cell(result, k) for k in c.assumptions),
        ])
    header.append("guide_status")
    rows = [[*row, result.guide_status] for row in rows]
    return csv_table(header, rows)


def impact_markdown(result: Impact, lang: str = "en", guides: Sequence[Any] = ()) -> str:
    """A Markdown report: the transition tables, then every centre."""
    from .impact_assumptions import assumptions_markdown

    lines = [f"# {_w('title', lang)}: {result.old_edition} → {result.new_edition}", "",
             f"- {_w('fingerprint', lang)} {result.old_edition}: `{result.old_fingerprint}`",
             f"- {_w('fingerprint', lang)} {result.new_edition}: `{result.new_fingerprint}`",
             f"- {_w('centres', lang)}: {len(result.centres)}; {_w('scored', lang)}: {len(result.scored)}; "
             f"{_w('tier_changes', lang)}: {len(result.changed)}"
             + (f"; {_w('failures', lang)}: {len(result.failures)}" if result.failures else ""), ""]
    section = assumptions_markdown(result, lang)
    if section:
        lines += [section, ""]
    for model in result.models():
        header, rows = transition_table(result, model, lang, guides)
        columns = [Column(h, numeric=k >= 1) for k, h in enumerate(header)]
        lines += [f"## {_w('transitions', lang)} — {model_name(model, lang)}", "", markdown_table(columns, rows), ""]
    header, rows = impact_rows(result, lang, guides)
    columns = [Column(h, numeric=k in (3, 4, 5)) for k, h in enumerate(header)]
    lines += [f"## {_w('centres_head', lang)}", "", markdown_table(columns, rows), ""]
    return "\n".join(lines)


def _assumption_cell(result: Impact, key: str) -> str:
    """``EDITION:INPUT=HOW`` (a value as canonical JSON) for the CSV."""
    from ..guide.serialize import canonical_json

    found = next((a for a in result.assumptions if a.key == key), None)
    if found is None:
        return key
    if found.how == "value":
        return f"{key}={canonical_json(found.to_dict()['value'])}"
    return f"{key}={found.how}"


def _num(d: Decimal | None, none: str = NONE) -> str:
    from ..dsl.nodes import format_number

    return none if d is None else format_number(d)


def _signed(d: Decimal | None) -> str:
    from ..dsl.nodes import format_number

    if d is None:
        return NONE
    text = format_number(d)
    return text if text.startswith("-") or d == 0 else "+" + text


# ---- the formatters of `taqyeem impact` ----------------------------------------------------------


@dataclass(frozen=True)
class ImpactView:
    """What ``taqyeem impact`` shows: the two guides and the impact."""

    old: Any
    new: Any
    impact: Impact

    @property
    def guides(self) -> tuple[Any, Any]:
        return (self.old, self.new)


@formatter("impact", "table")
class ImpactTable(Formatter):
    """The transition tables, the assumptions and inputs ignored, every centre (numbers
    whole; the criteria that moved each total one per line), the caveat."""

    def render(self, subject: ImpactView, options: Options) -> list[Any]:
        from .impact_assumptions import assumption_rows, note_rows, summary_line
        from .lines import line

        lang, result = options.lang, subject.impact
        parts: list[Any] = []
        for model in result.models():
            header, rows = transition_table(result, model, lang, subject.guides)
            columns = [Column(h, numeric=k > 0, keep=k == 0) for k, h in enumerate(header)]
            title = _w("transitions.title", lang, model=model_name(model, lang), old=subject.old.edition,
                       new=subject.new.edition)
            parts.append(rich_table(Table.of(columns, rows, title)))
        for (header, rows), title in ((assumption_rows(result, lang), "impact.assumptions"),
                                      (note_rows(result, lang), "impact.notes")):
            if rows:
                last = len(header) - 1  # guide, input, (why, read as,) stated by, criteria: ids kept whole
                columns = [Column(h, numeric=k == last, keep=k in (0, 1, last - 2, last - 1) and k != 2,
                                  squeeze=k in (2, 3) and last > 3) for k, h in enumerate(header)]
                parts.append(rich_table(Table.of(columns, rows, catalogue().text(title, lang))))
        header, rows = impact_rows(result, lang, subject.guides)
        last = len(header) - 1  # the criteria that moved the total most: one per line
        rows = [[*row[:last], "\n".join(row[last].split(", "))] for row in rows]
        styles = ["bold" if c.tier_changed else ("red" if not c.ok else None) for c in result.centres]
        parts.append(rich_table(Table.of(_columns(lang), rows, summary_line(result, lang), styles)))
        note = caveat(lang, *subject.guides)
        if note:
            parts.append(line((note, "dim")))
        return parts


@formatter("impact", "json")
class ImpactJson(Formatter):
    """The impact's data, and the status of the guides' numbers (``guide_status``)."""

    data = True

    def render(self, subject: ImpactView, options: Options) -> str:
        return dumps(subject.impact.to_dict())


@formatter("impact", "csv")
class ImpactCsv(Formatter):
    """One line per centre (ids), with a ``guide_status`` column."""

    data = True

    def render(self, subject: ImpactView, options: Options) -> str:
        return impact_csv(subject.impact)


@formatter("impact", "markdown")
class ImpactMarkdown(Formatter):
    """The report for the committee (with the caveat of an illustrative guide)."""

    data = True

    def render(self, subject: ImpactView, options: Options) -> str:
        text = impact_markdown(subject.impact, options.lang, subject.guides)
        return with_caveat(text, options.lang, *subject.guides)
