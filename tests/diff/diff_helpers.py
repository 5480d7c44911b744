"""Helpers shared by the diff and amendment tests."""

from __future__ import annotations

from typing import Any

from taqyeem_rules import Guide
from taqyeem_rules.guide.amend import apply_amendments


def amend(base: Guide, *ops: dict[str, Any]) -> Guide:
    """``base`` with the operations applied as amendments A1, A2, …"""
    return apply_amendments(base, [{"id": f"A{k}", "rationale": "test", **op} for k, op in enumerate(ops, 1)])


def label(en: str, ar: str) -> dict[str, str]:
    return {"en": en, "ar": ar}
