"""Fixtures shared by the diff, amendment and impact tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from taqyeem_rules import Guide, load_guide

FIXTURES = Path(__file__).parent.parent / "fixtures"


@pytest.fixture(scope="module")
def mini() -> Guide:
    """The hand-made mini guide (tests/fixtures/mini)."""
    return load_guide(FIXTURES / "mini")
