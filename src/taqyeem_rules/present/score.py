"""Scores (``taqyeem score``) as people read them and as data: the table, Markdown, CSV
and JSON formatters."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any

from .catalogue import catalogue
from .formatters import Formatter, Options, formatter
from .tables import Column, Table, dumps, markdown_table, rich_table
from .values import NONE
from .words import caveat, join, model_name, with_caveat

__all__ = ["ScoreCsv", "ScoreJson", "ScoreJsonLines", "Scores", "score_rows"]


@dataclass(frozen=True)
class Scores:
    """What ``taqyeem score`` shows: the guide and the results of its centres."""

    guide: Any
    results: Sequence[Any]


def _flags(result: Any, guide: Any, lang: str) -> list[str]:
    """The raised flags: ids in English, labels in Arabic."""
    on = [k for k, v in result.flags.items() if v]
    if lang == "en":
        return on
    model = guide.model(result.model)
    labels = {f.id: f.label for f in (model.flags if model is not None else ())}
    return [labels[k].get(lang) if k in labels else k for k in on]


def _columns(lang: str) -> list[Column]:
    t = catalogue().text
    return [Column(t("score.col.centre", lang), keep=True), Column(t("score.col.name", lang), squeeze=True),
            Column(t("score.col.model", lang), keep=True), Column(t("score.col.total", lang), numeric=True),
            Column(t("score.col.tier", lang), keep=True), Column(t("score.col.basic", lang), numeric=True),
            Column(t("score.col.flags", lang), squeeze=True)]


def score_rows(scores: Scores, lang: str = "en") -> list[list[str]]:
    """One row per centre for people: centre, name, model, total, tier, basic, flags."""
    from ..engine.result import report_text

    rows = []
    for r in scores.results:
        rows.append([
            r.centre_id, r.evidence.name(lang), model_name(r.model, lang), report_text(r.total) or "",
            r.tier.label.get(lang) if r.tier is not None else NONE, report_text(r.basic_attainment) or NONE,
            join(_flags(r, scores.guide, lang), lang) or NONE,
        ])
    return rows


@formatter("score", "table")
class ScoreTable(Formatter):
    """A table for the terminal, and the caveat of an illustrative guide under it."""

    def render(self, subject: Scores, options: Options) -> list[Any]:
        lang = options.lang
        title = catalogue().text("score.title", lang, edition=subject.guide.edition)
        parts: list[Any] = [rich_table(Table.of(_columns(lang), score_rows(subject, lang), title))]
        note = caveat(lang, subject.guide)
        if note:
            from .lines import line

            parts.append(line((note, "dim")))
        return parts


class _Streamed(Formatter):
    """A data format written result by result: :meth:`stream` yields the text in pieces
    as the results come (memory holds one result), and :meth:`render` is the same text
    whole — byte for byte, so standard output and ``-o`` agree however it was written."""

    data = True

    def stream(self, guide: Any, results: Iterable[Any], options: Options) -> Iterator[str]:  # pragma: no cover
        raise NotImplementedError

    def render(self, subject: Scores, options: Options) -> str:
        return "".join(self.stream(subject.guide, subject.results, options))


@formatter("score", "json")
class ScoreJson(_Streamed):
    """Every result in its data form (each carries its ``guide_status``), as one JSON list."""

    def stream(self, guide: Any, results: Iterable[Any], options: Options) -> Iterator[str]:
        first = True
        for r in results:
            # An item of the list as json.dumps(list, indent=2) writes it: one level in.
            item = "  " + dumps(r.to_dict()).replace("\n", "\n  ")
            yield ("[\n" if first else ",\n") + item
            first = False
        yield "[]\n" if first else "\n]\n"


@formatter("score", "jsonl")
class ScoreJsonLines(_Streamed):
    """JSON Lines: each result's data form on one line (keys sorted, no spaces), a line
    per centre — for a pipe or a large set."""

    def stream(self, guide: Any, results: Iterable[Any], options: Options) -> Iterator[str]:
        for r in results:
            yield json.dumps(r.to_dict(), ensure_ascii=False, sort_keys=True, separators=(",", ":")) + "\n"


@formatter("score", "csv")
class ScoreCsv(_Streamed):
    """One line per centre: ids, the name in the language, numbers; an empty cell where
    there is none; the guide's status on every line."""

    HEADER = ("centre_id", "centre_name", "model", "total", "tier", "basic_attainment", "flags", "guide_status")

    def stream(self, guide: Any, results: Iterable[Any], options: Options) -> Iterator[str]:
        from .._text import csv_text
        from ..engine.result import report_text

        yield csv_text([self.HEADER])
        for r in results:
            yield csv_text([[r.centre_id, r.evidence.name(options.lang), r.model, report_text(r.total) or "",
                             r.tier_id or "", report_text(r.basic_attainment) or "",
                             ", ".join(k for k, v in r.flags.items() if v), r.guide_status]])


@formatter("score", "markdown")
class ScoreMarkdown(Formatter):
    """A Markdown table, and the caveat of an illustrative guide as its last line."""

    data = True

    def render(self, subject: Scores, options: Options) -> str:
        text = markdown_table([c.title for c in _columns(options.lang)], score_rows(subject, options.lang)) + "\n"
        return with_caveat(text, options.lang, subject.guide)

