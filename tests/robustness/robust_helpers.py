"""Shared helpers of the robustness tests (issue 10): the mini guide and its centre as
text, files written in a temporary folder, and positions of text in them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from shared import C1, MINI_YAML

MINI_GUIDE = MINI_YAML.read_text(encoding="utf-8")
MINI_CENTRE = C1.read_text(encoding="utf-8")
MINI_CSV_HEADER = (
    "centre_id,centre_name,model,waiting_minutes,facilities.parking,facilities.ramp,"
    "facilities.signage,facilities.seating,has_parking_area,satisfaction,reply_within_deadline"
)
MINI_CSV_ROW = "M-01,Test centre,onsite,12,true,true,false,true,true,91.5,88"


def write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def position(text: str, needle: str, start: int = 0) -> tuple[int, int]:
    """1-based (line, column) of the first ``needle`` in ``text`` at or after ``start``."""
    at = text.index(needle, start)
    return text[:at].count("\n") + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def replaced(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def mini_centres(count: int = 2) -> list[dict]:
    """``count`` centres for the mini guide, as Python data."""
    from decimal import Decimal

    return [
        {
            "centre": {"id": f"M-{k + 1:02d}", "name": f"Centre {k + 1}"},
            "model": "onsite",
            "edition": "mini",
            "inputs": {
                "waiting_minutes": Decimal(8 + 7 * k),
                "facilities": {"parking": True, "ramp": k == 0, "signage": False, "seating": True},
                "has_parking_area": True,
                "satisfaction": Decimal("91.5") - k,
                "reply_within_deadline": Decimal(88 - k),
            },
        }
        for k in range(count)
    ]


def mini_record(guide: Any, count: int = 2) -> bytes:
    """The bytes of a record of ``count`` centres of the mini guide (``guide``: the
    ``mini_guide`` fixture)."""
    import taqyeem_rules

    rec = taqyeem_rules.record_cycle(guide, mini_centres(count), cycle="T")
    assert rec.data is not None
    return rec.data


#: The mini guide with a list input, `reply_days` (read by a criterion `reply_speed`).
LIST_GUIDE = MINI_GUIDE.replace(
    "models:\n",
    """  - id: reply_days
    type: list
    of: number
    range: [0, 60]
    required: false
    source: tawasul
    label: {en: "Days to reply", ar: "أيام الرد"}
models:
""",
).replace(
    """            score: "round_half_up(reply_within_deadline / 25, 0)"
""",
    """            score: "round_half_up(reply_within_deadline / 25, 0)"
          - id: reply_speed
            label: {en: "Reply speed", ar: "سرعة الرد"}
            weight: 1
            missing: not_applicable
            score: "clamp(4 - mean(reply_days) / 2, 0, 4)"
""",
)
