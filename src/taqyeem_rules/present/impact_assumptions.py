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

__all__ = ["assumption_rows", "assumptions_markdown", "note_rows", "summary_line"]



def _t(key: str, lang: str, **values: Any) -> str:
    return catalogue().text(key, lang, **values)


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
