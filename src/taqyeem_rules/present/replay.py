"""A replay report (:func:`taqyeem_rules.engine.record.replay`) as people read it."""

from __future__ import annotations

import json
from typing import Any

from ..engine.record import ABSENT, ReplayDifference, ReplayReport, plain

__all__ = ["difference_message", "replay_summary", "show"]


def show(value: Any) -> str:
    """A value as the report shows it: text as it is, anything else as JSON."""
    if value is ABSENT:
        return "(absent)"
    if isinstance(value, str) and value and value.strip() == value:
        return value
    return json.dumps(plain(value), ensure_ascii=False, sort_keys=True, default=str)


def difference_message(self: ReplayDifference) -> str:
    """A difference in words."""
    where = f"centre {self.centre} ({self.model})"
    if self.note:
        return f"{where}: {self.note}"
    text = f"{where}: {self.path or 'result'}: recorded {show(self.recorded)}, replayed {show(self.replayed)}"
    if self.inputs:
        text += (
            " (reads " + ", ".join(f"{k} = {show(v)}" for k, v in self.inputs.items()) + ")"
        )
    return text


def replay_summary(self: ReplayReport) -> str:
    """The outcome in one line."""
    if self.ok:
        return (
            f"{self.source}: all {len(self.centres)} centres of {self.cycle} replayed exactly; "
            "every fingerprint verifies"
        )
    parts = []
    if self.integrity:
        parts.append(f"{len(self.integrity)} integrity finding(s)")
    differing = len(self.centres) - self.matching
    if differing:
        parts.append(
            f"{differing} of {len(self.centres)} centre(s) differ ({self.difference_count} difference(s))"
        )
    if not self.replayed:
        parts.append("the centres could not be re-scored")
    return f"{self.source}: " + "; ".join(parts)
