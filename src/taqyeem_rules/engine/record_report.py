"""What writing a cycle record and replaying one report: :class:`CycleRecord` and
:class:`ReplayReport`, with its :class:`IntegrityFinding`, :class:`CentreReplay` and
:class:`ReplayDifference` items. The record's byte layout is in :mod:`.record`; the
replay engine that fills these in is :mod:`.replayer`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from .jsondiff import MISSING

__all__ = [
    "ABSENT",
    "CentreReplay",
    "CycleRecord",
    "IntegrityFinding",
    "ReplayDifference",
    "ReplayReport",
    "plain",
    "plain_value",
]


@attrs.frozen
class CycleRecord:
    """What :func:`record_cycle` wrote: where, how many centres, and the fingerprints.

    ``data`` holds the record's bytes when it was not written to a file (``path=None``).
    """

    cycle: str
    edition: str
    guide_fingerprint: str
    fingerprint: str
    count: int
    size: int
    path: str | None = None
    data: bytes | None = attrs.field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle,
            "edition": self.edition,
            "guide_fingerprint": self.guide_fingerprint,
            "fingerprint": self.fingerprint,
            "count": self.count,
            "size": self.size,
            "path": self.path,
        }



@attrs.frozen
class IntegrityFinding:
    """A part of the record that does not match its fingerprint (or is out of place).

    ``part`` is one of ``guide``, ``guide_fingerprint``, ``evidence``,
    ``evidence_fingerprint``, ``result``, ``result_fingerprint``, ``order``, ``count``,
    ``plugins`` or ``record``; for a centre's part, ``index`` is its 0-based position in
    the record and ``centre``/``model`` name it; ``field`` names the altered field when
    it can be told.
    """

    code: str
    part: str
    message: str
    index: int | None = None
    centre: str | None = None
    model: str | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class ReplayDifference:
    """One value that the replay computed differently from the record.

    ``path`` is where in the result (``total``, ``categories.access.score``,
    ``criteria.W1.points``, ``criteria.W1.inputs.waiting_minutes``); ``criterion`` and
    ``input`` name the criterion and input concerned, and ``inputs`` the values the
    criterion read in the replay. ``note`` explains a centre that could not be replayed.
    """

    index: int
    centre: str
    model: str
    path: str
    recorded: Any
    replayed: Any
    criterion: str | None = None
    category: str | None = None
    input: str | None = None
    inputs: Mapping[str, Any] | None = None
    note: str | None = None

    @property
    def message(self) -> str:
        """The difference in words (English; a convenience made by
        :func:`taqyeem_rules.present.replay.difference_message`)."""
        from ..present.replay import difference_message

        return difference_message(self)

    def to_dict(self) -> dict[str, Any]:
        out = attrs.asdict(self)
        out["recorded"] = plain_value(self.recorded)
        out["replayed"] = plain_value(self.replayed)
        out["inputs"] = plain_value(self.inputs)
        out["message"] = self.message
        return out


@attrs.frozen
class CentreReplay:
    """The outcome for one centre: did the replay give back the recorded result?"""

    index: int
    centre: str
    model: str
    matches: bool
    total: str | None
    tier: str | None
    replayed_total: str | None = None
    replayed_tier: str | None = None
    differences: int = 0
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


def plain_value(value: Any) -> Any:
    """A recorded or replayed value as JSON data (decimals as text, an absent one as ``(absent)``)."""
    if value is MISSING:
        return "(absent)"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {k: plain_value(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [plain_value(v) for v in value]
    return value


#: A value absent from the record or the replay (not the same as null).
ABSENT = MISSING


def plain(value: Any) -> Any:
    """A value of a replay difference as JSON data (decimals as strings; an absent value
    as ``"(absent)"``)."""
    return plain_value(value)


@attrs.frozen
class ReplayReport:
    """The outcome of :func:`replay`: the record's integrity, then every centre re-scored.

    ``ok`` holds when every fingerprint verifies and every centre's result is
    reproduced exactly. ``differences`` keeps the first ``max_differences`` differences;
    ``difference_count`` counts them all.
    """

    source: str
    format: str
    cycle: str
    edition: str | None
    engine: Mapping[str, Any]
    engine_version: str
    plugins: tuple[Mapping[str, str], ...]
    guide_fingerprint: str
    fingerprint: str
    computed_fingerprint: str
    count: int
    integrity: tuple[IntegrityFinding, ...]
    centres: tuple[CentreReplay, ...]
    differences: tuple[ReplayDifference, ...]
    difference_count: int
    replayed: bool = True
    #: ``official`` or ``illustrative``: the recorded guide's ``provenance.status``
    #: (None when the guide could not be rebuilt).
    guide_status: str | None = None

    @property
    def ok(self) -> bool:
        return (
            self.replayed
            and not self.integrity
            and self.difference_count == 0
            and all(c.matches for c in self.centres)
        )

    @property
    def matching(self) -> int:
        return sum(1 for c in self.centres if c.matches)

    def summary(self) -> str:
        """The outcome in one line (English; a convenience made by
        :func:`taqyeem_rules.present.replay.replay_summary`)."""
        from ..present.replay import replay_summary

        return replay_summary(self)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "source": self.source,
            "format": self.format,
            "cycle": self.cycle,
            "edition": self.edition,
            "engine": dict(self.engine),
            "engine_version": self.engine_version,
            "plugins": [dict(p) for p in self.plugins],
            "guide_fingerprint": self.guide_fingerprint,
            "fingerprint": self.fingerprint,
            "computed_fingerprint": self.computed_fingerprint,
            "count": self.count,
            "replayed": self.replayed,
            "guide_status": self.guide_status,
            "matching": self.matching,
            "integrity": [f.to_dict() for f in self.integrity],
            "difference_count": self.difference_count,
            "differences": [d.to_dict() for d in self.differences],
            "centres": [c.to_dict() for c in self.centres],
            "summary": self.summary(),
        }
