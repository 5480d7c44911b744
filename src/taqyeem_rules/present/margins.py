"""Margins (:func:`taqyeem_rules.engine.margins.margins`) as people read them, in
English or Arabic: table rows, Markdown and CSV. Exact values are shown rounded *up*
after a few places beyond the report scale (a margin is never understated); JSON keeps
every digit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

from ..dsl.numbers import EXACT_CONTEXT
from .catalogue import catalogue
from .formatters import Formatter, Options, formatter
from .tables import Column, Table, csv_table, dumps, markdown_table, rich_table
from .words import caveat, model_name, tier_name, with_caveat

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.margins import CentreMargin, Margins

__all__ = ["MarginsView", "margins_csv", "margins_markdown", "margins_rows", "reason_text", "shown"]

#: The columns of numbers (total, what the total lacks, what it can lose).
NUMERIC = (3, 6, 9)


def format_number(value: Decimal) -> str:
    """A number with every digit (:func:`taqyeem_rules.dsl.nodes.format_number`)."""
    from ..dsl.nodes import format_number as exact

    return exact(value)

#: Places shown beyond the guide's report scale (2 → 6 places).
EXTRA_PLACES = 4



def _t(key: str, lang: str, **values: Any) -> str:
    return catalogue().text(key, lang, **values)


def shown(x: Fraction | None, places: int, *, up: bool = True) -> str:
    """An exact value cut after ``places`` decimal places, rounded up (a margin is never
    understated) or down; trailing zeros kept to the report scale."""
    if x is None:
        return "—"
    scaled = x * 10**places
    k = -((-scaled.numerator) // scaled.denominator) if up else scaled.numerator // scaled.denominator
    return format_number(Decimal(k).scaleb(-places, EXACT_CONTEXT))


def reason_text(c: CentreMargin, lang: str = "en") -> str:
    """Why the next tier is not reached by steps (empty when it is)."""
    if c.reason is None:
        return ""
    return _t(f"margins.reason.{c.reason}", lang, **dict(c.reason_values))


def _places(m: Margins) -> int:
    return 2 + EXTRA_PLACES


def _steps(c: CentreMargin, lang: str, places: int) -> list[str]:
    """Each step as people read it (none when there are no steps)."""
    return [_t("margins.step", lang, criterion=s.criterion, from_points=format_number(s.from_points),
               to_points=format_number(s.to_points), gain=shown(s.total_gain, places)) for s in c.steps or ()]


def _steps_text(c: CentreMargin, lang: str, places: int) -> str:
    if c.steps is None:
        return reason_text(c, lang)
    return "; ".join(_steps(c, lang, places)) or _t("margins.none", lang)


def _gates(c: CentreMargin, lang: str, places: int) -> list[str]:
    """Each gate of the next tier that does not hold (or is not computed)."""
    parts = []
    for g in c.gates:
        if not g.computed:
            if g.holds is not True:
                parts.append(_t("margins.gate.unknown", lang, gate=g.gate))
        elif not g.holds:
            parts.append(_t("margins.gate.lacks", lang, gate=g.gate, lacks=shown(g.lacks, places)))
    return parts


def _gates_text(c: CentreMargin, lang: str, places: int) -> str:
    return "; ".join(_gates(c, lang, places)) or _t("margins.none", lang)


def _lacks_text(c: CentreMargin, lang: str, places: int) -> str:
    if c.points_to_next_tier is None:
        return _t("margins.none", lang)
    value = shown(c.points_to_next_tier, places)
    return _t("margins.more_than", lang, value=value) if c.strictly_more else value


def margins_rows(m: Margins, lang: str = "en", guides: Sequence[Any] = ()) -> tuple[list[str], list[list[str]]]:
    """One row per centre: centre, name, model, total, tier, next tier, total lacks,
    gates that bind, steps (or why none), how much the total can lose and keep its tier
    (models and tiers named in Arabic when ``lang`` is, from ``guides``)."""
    places = _places(m)
    header = [_t(f"margins.col.{k}", lang) for k in
              ("centre", "name", "model", "total", "tier", "next", "lacks", "gates", "steps", "keep")]
    rows = []
    for c in m.centres:
        rows.append([
            c.centre_id, c.display_name(lang), model_name(c.model, lang), format_number(c.total),
            tier_name(c.tier, lang, model=c.model, guides=guides) if c.tier else _t("margins.none", lang),
            tier_name(c.next_tier, lang, model=c.model, guides=guides) if c.next_tier else reason_text(c, lang),
            _lacks_text(c, lang, places), _gates_text(c, lang, places),
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


def margins_markdown(m: Margins, lang: str = "en", guides: Sequence[Any] = ()) -> str:
    """The margins as a Markdown report: the notes, then one row per centre."""
    header, rows = margins_rows(m, lang, guides)
    lines = [f"# {_t('margins.title', lang)} — {m.edition}", "", f"- `{m.fingerprint}`", ""]
    lines += [f"- {x}" for x in notes(m, lang)]
    lines += ["", markdown_table(_columns(header), rows)]
    return "\n".join(lines) + "\n"


#: The columns of the terminal's tables, one table per model: centre, name, total, tier,
#: what the total lacks, what it can lose (the next tier, its gates and the steps follow
#: the tables, centre by centre).
SUMMARY = (0, 1, 3, 4, 6, 9)


def _blocks(m: Margins, lang: str, guides: Sequence[Any]) -> list[Any]:
    """Under the tables: for each centre with a next tier, the gates that bind and the
    steps, one per line (ids and numbers whole); for one without, why."""
    from .lines import line

    places, out = _places(m), []
    for c in m.centres:
        if not c.next_tier:
            out += [line(""), line((f"{c.centre_id}: {reason_text(c, lang)}", "bold"))]
            continue
        tier = tier_name(c.next_tier, lang, model=c.model, guides=guides)
        out += [line(""), line((_t("margins.block", lang, centre=c.centre_id, tier=tier), "bold"))]
        for title, items in ((_t("margins.col.gates", lang), _gates(c, lang, places)),
                             (_t("margins.col.steps", lang),
                              _steps(c, lang, places) if c.steps is not None else None)):
            if items is None:  # no steps: why
                out.append(line(f"  {title}: {reason_text(c, lang)}"))
            elif not items:
                out.append(line(f"  {title}: {_t('margins.none', lang)}"))
            else:
                out.append(line(f"  {title}:"))
                out += [line(f"    {x}") for x in items]
    return out


def _columns(header: list[str]) -> list[Column]:
    """Centre, model and tiers kept whole; numbers right-aligned; the rest squeezed."""
    return [Column(h, numeric=k in NUMERIC, keep=k in (0, 2, 4), squeeze=k in (1, 5, 7, 8))
            for k, h in enumerate(header)]


def margins_csv(m: Margins) -> str:
    """One line per centre, machine-readable (ids; exact values in full; an empty cell
    where there is none); the last
    column is the ``guide_status`` (``illustrative`` or ``official``)."""
    from ..engine.exact import fraction_text

    header = ["centre_id", "centre_name", "model", "total", "tier", "next_tier", "reachable",
              "points_to_next_tier", "strictly_more", "binding_gates", "steps", "reason", "total_margin"]
    rows = []
    for c in m.centres:
        rows.append([
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
    header.append("guide_status")
    rows = [[*row, m.guide_status] for row in rows]
    return csv_table(header, rows)


# ---- the formatters of `taqyeem margins` ---------------------------------------------------------


@dataclass(frozen=True)
class MarginsView:
    """What ``taqyeem margins`` shows: the guide and the margins of its centres."""

    guide: Any
    margins: Margins


@formatter("margins", "table")
class MarginsTable(Formatter):
    """A table per model (centre, name, total, tier, what the total lacks, what it can
    lose), then each centre's next tier, gates and steps, one per line — readable at 80
    columns, ids and numbers whole (ten columns in one table were not); then the notes,
    the caveat."""

    def render(self, subject: MarginsView, options: Options) -> list[Any]:
        from .lines import line

        lang, m, guides = options.lang, subject.margins, (subject.guide,)
        title = f"{_t('margins.title', lang)} — {subject.guide.edition}"
        header, rows = margins_rows(m, lang, guides)
        columns = _columns(header)
        parts: list[Any] = []
        for model in dict.fromkeys(c.model for c in m.centres):
            mine = [[row[k] for k in SUMMARY] for row, c in zip(rows, m.centres, strict=True) if c.model == model]
            parts.append(rich_table(Table.of([columns[k] for k in SUMMARY], mine,
                                             f"{title} — {model_name(model, lang)}", snug=True)))
        if not m.centres:
            parts.append(rich_table(Table.of([columns[k] for k in SUMMARY], [], title, snug=True)))
        parts += _blocks(m, lang, guides)
        parts += [line(""), *(line((x, "dim")) for x in notes(m, lang))]
        note = caveat(lang, subject.guide)
        if note:
            parts.append(line((note, "dim")))
        return parts


@formatter("margins", "json")
class MarginsJson(Formatter):
    """The margins' data (every digit), and the status of the guide's numbers."""

    data = True

    def render(self, subject: MarginsView, options: Options) -> str:
        return dumps(subject.margins.to_dict())


@formatter("margins", "csv")
class MarginsCsv(Formatter):
    """One line per centre, with a ``guide_status`` column."""

    data = True

    def render(self, subject: MarginsView, options: Options) -> str:
        return margins_csv(subject.margins)


@formatter("margins", "markdown")
class MarginsMarkdown(Formatter):
    """The report for the committee (with the caveat of an illustrative guide)."""

    data = True

    def render(self, subject: MarginsView, options: Options) -> str:
        text = margins_markdown(subject.margins, options.lang, (subject.guide,))
        return with_caveat(text, options.lang, subject.guide)
