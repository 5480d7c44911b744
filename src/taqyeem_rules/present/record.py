"""A written cycle record (``taqyeem record``): what was recorded, where, and the
fingerprint to publish; or the same as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .catalogue import catalogue
from .formatters import Formatter, Options, formatter
from .tables import dumps
from .words import caveat, join, model_name

__all__ = ["Recorded"]


@dataclass(frozen=True)
class Recorded:
    """The guide, the evidence recorded and the record written."""

    guide: Any
    evidences: Sequence[Any]
    record: Any


@formatter("record", "table")
class RecordText(Formatter):
    """Four lines (and the caveat of an illustrative guide)."""

    def render(self, subject: Recorded, options: Options) -> list[Any]:
        from .lines import line

        t, lang, rec = catalogue().text, options.lang, subject.record
        models = join((t("record.model", lang, model=model_name(m.id, lang), count=n) for m in subject.guide.models
                       if (n := sum(1 for e in subject.evidences if e.model == m.id))), lang)
        parts = [
            line(t("record.recorded", lang, cycle=repr(rec.cycle), count=rec.count, models=models, edition=rec.edition,
                   fingerprint=rec.guide_fingerprint[:12])),
            line(t("record.wrote", lang, path=str(rec.path), size=f"{rec.size:,}")),
            line(t("record.fingerprint", lang, fingerprint=rec.fingerprint)),
            line((t("record.publish", lang), "dim")),
        ]
        note = caveat(lang, subject.guide)
        if note:
            parts.append(line((note, "dim")))
        return parts


@formatter("record", "json")
class RecordJson(Formatter):
    """The record's summary data, and the status of the guide's numbers."""

    data = True

    def render(self, subject: Recorded, options: Options) -> str:
        return dumps({**subject.record.to_dict(), "guide_status": subject.guide.provenance.status})
