"""Test configuration shared by every test package: the hypothesis profiles.

``default`` keeps the suite quick; ``ci`` runs more examples; ``fuzz`` is the deep run
of the fuzz test (thousands of mutated guides and records). Choose one with the
``HYPOTHESIS_PROFILE`` environment variable (``HYPOTHESIS_PROFILE=ci pytest``).
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

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
