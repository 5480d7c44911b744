"""Test configuration shared by every test package: the hypothesis profiles, the one
command-line runner (``cli``) and the mini guide and its centre C1 (``mini_path``,
``mini_guide``, ``c1_path``, ``c1_evidence``; their paths, for import-time use, are in
``tests/shared.py``).

``default`` keeps the suite quick; ``ci`` runs more examples; ``fuzz`` is the deep run
of the fuzz test (thousands of mutated guides and records). Choose one with the
``HYPOTHESIS_PROFILE`` environment variable (``HYPOTHESIS_PROFILE=ci pytest``).
"""

from __future__ import annotations

import os
from typing import TYPE_CHECKING

import pytest
from hypothesis import HealthCheck, settings

from shared import C1, MINI, Cli

if TYPE_CHECKING:
    from taqyeem_rules import Evidence, Guide

settings.register_profile(
    "default",
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=300,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", max_examples=20, deadline=None)
# The deep run of the fuzz test (tests/robustness/test_robust_fuzz.py), on demand:
# HYPOTHESIS_PROFILE=fuzz python -m pytest tests/robustness/test_robust_fuzz.py
settings.register_profile(
    "fuzz",
    max_examples=3000,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "default"))


# ---- the command line ------------------------------------------------------------------------


@pytest.fixture
def cli(monkeypatch: pytest.MonkeyPatch) -> Cli:
    """The command line, in-process: ``cli("score", guide, evidence).out``."""
    return Cli(monkeypatch)


# ---- the mini guide and its centre C1 ---------------------------------------------------------


@pytest.fixture(scope="session")
def mini_guide() -> Guide:
    """The hand-made mini guide, loaded once (a Guide is immutable)."""
    from taqyeem_rules import load_guide

    return load_guide(MINI)


@pytest.fixture(scope="session")
def c1_evidence(mini_guide: Guide) -> Evidence:
    """The mini guide's centre C1, loaded once."""
    from taqyeem_rules import load_evidence

    return load_evidence(C1, mini_guide)
