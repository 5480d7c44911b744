"""A replay report (:func:`taqyeem_rules.engine.record.replay`) as people read it, in
English or Arabic, and the formatters of ``taqyeem replay``."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from .catalogue import catalogue
from .formatters import Formatter, Options, formatter
from .tables import Column, Table, dumps, rich_table
from .values import NONE
from .words import join, model_name

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.record_report import ReplayDifference, ReplayReport

__all__ = ["difference_message", "replay_summary", "show"]


def _t(key: str, lang: str, **values: Any) -> str:
    return catalogue().text(f"replay.{key}", lang, **values)


def show(value: Any, lang: str = "en") -> str:
    """A value as the report shows it: text as it is, anything else as JSON; a value
    absent from the record as ``(absent)``."""
    from ..engine.record_report import ABSENT, plain

    if value is ABSENT:
        return _t("absent", lang)
    if isinstance(value, str) and value and value.strip() == value:
        return value
    return json.dumps(plain(value), ensure_ascii=False, sort_keys=True, default=str)


def _reads(d: ReplayDifference, lang: str) -> str:
    if not d.inputs:
        return ""
    return _t("reads", lang, inputs=", ".join(f"{k} = {show(v, lang)}" for k, v in d.inputs.items()))


def difference_message(d: ReplayDifference, lang: str = "en") -> str:
    """A difference in words, naming its centre."""
    model = model_name(d.model, lang)
    if d.note:
        return _t("difference.note", lang, centre=d.centre, model=model, note=d.note)
    return _t("difference", lang, centre=d.centre, model=model, path=d.path or _t("difference.result", lang),
              recorded=show(d.recorded, lang), replayed=show(d.replayed, lang), reads=_reads(d, lang))


def _difference_text(d: ReplayDifference, lang: str) -> str:
    """A difference under its centre's heading: ``path: recorded → replayed``."""
    if d.note:
        return d.note
    return f"{d.path}: {show(d.recorded, lang)} → {show(d.replayed, lang)}{_reads(d, lang)}"


def replay_summary(report: ReplayReport, lang: str = "en") -> str:
    """The outcome in one line."""
    if report.ok:
        return _t("summary.ok", lang, source=report.source, count=len(report.centres), cycle=report.cycle)
    parts = []
    if report.integrity:
        parts.append(_t("summary.integrity", lang, count=len(report.integrity)))
    differing = len(report.centres) - report.matching
    if differing:
        parts.append(_t("summary.differ", lang, differing=differing, count=len(report.centres),
                        differences=report.difference_count))
    if not report.replayed:
        parts.append(_t("summary.not_replayed", lang))
    return _t("summary.failed", lang, source=report.source, parts="; ".join(parts) if lang == "en" else "؛ ".join(parts))


@formatter("replay", "table")
class ReplayText(Formatter):
    """The record's header, its integrity, the centres that differ and their differences,
    the verdict (and the caveat of an illustrative guide)."""

    def render(self, report: ReplayReport, options: Options) -> list[Any]:
        from .lines import line

        lang, limit = options.lang, options.get("limit", 50)
        out: list[Any] = [line((_t("title", lang, source=report.source), "bold"))]
        engine = report.engine
        plugins = join((f"{p['name']}() {p['plugin']} {p['version']}" for p in report.plugins), lang) or _t("none", lang)
        labels = [_t(k, lang) for k in ("cycle", "format", "guide", "recorded_by", "plugins", "centres", "fingerprint")]
        width = max(12, *(len(x) for x in labels))
        values = (
            report.cycle,
            report.format,
            _t("guide.value", lang, edition=report.edition or "?", fingerprint=report.guide_fingerprint),
            _t("recorded_by.value", lang, engine=engine["name"], version=engine["version"],
               current=report.engine_version),
            plugins,
            f"{report.count:,}",
            report.fingerprint,
        )
        for label, value in zip(labels, values, strict=True):
            out.append(line(f"  {label:<{width}} {value}"))
        out.append(line(""))
        out.append(line((_t("integrity", lang), "bold")))
        if report.integrity:
            for f in report.integrity:
                out.append(line("  ", ("✗", "red"), f" {f.message}"))
        else:
            out.append(line("  ", ("✓", "green"), _t("verifies", lang, count=len(report.centres))))
        differing = [c for c in report.centres if not c.matches]
        if differing:
            out.append(line(""))
            keys = ("centre", "model", "recorded", "tier", "replayed", "replayed_tier", "differences")
            columns = [Column(_t(f"col.{k}", lang), numeric=k in ("recorded", "replayed", "differences"),
                              keep=k not in ("differences",)) for k in keys]
            rows = [[c.centre, model_name(c.model, lang), c.total or NONE, c.tier or NONE, c.replayed_total or NONE,
                     c.replayed_tier or NONE, str(c.differences) if not c.note else _t("not_rescored", lang)]
                    for c in differing[:limit]]
            out.append(rich_table(Table.of(columns, rows, _t("differing", lang), title_left=True)))
            if len(differing) > limit:
                out.append(line(_t("more_centres", lang, count=len(differing) - limit)))
        if report.differences:
            out.append(line(""))
            out.append(line((_t("differences", lang), "bold"), _t("differences.head", lang)))
            current = None
            for d in report.differences[:limit]:
                if (d.index, d.centre) != current:
                    current = (d.index, d.centre)
                    out.append(line(f"  {d.centre} ({model_name(d.model, lang)})"))
                out.append(line(f"    {_difference_text(d, lang)}"))
            if report.difference_count > limit:
                out.append(line(_t("more_differences", lang, count=f"{report.difference_count - limit:,}")))
        out.append(line(""))
        verdict = (_t("ok", lang), "green") if report.ok else (_t("failed", lang), "red")
        out.append(line(verdict, f": {replay_summary(report, lang)}"))
        if report.guide_status == "illustrative":
            out.append(line((catalogue().text("common.caveat", lang), "dim")))
        return out


@formatter("replay", "json")
class ReplayJson(Formatter):
    """The report's data (with the recorded guide's ``guide_status``)."""

    data = True

    def render(self, report: ReplayReport, options: Options) -> str:
        return dumps(report.to_dict())
