"""Guides: the YAML format, its schema, the frozen model, the checks, and evidence.

Only what a command uses is imported: scoring loads no test-case reader
(:mod:`taqyeem_rules._lazy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_package

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
    from .cases import Case, Expectation, case_schema, cases_folder, load_case, load_cases
    from .checks import CHECKS, CheckReport, run_checks
    from .evidence import Evidence, evidence_schema, iter_evidences, load_evidence, load_evidences
    from .guide import Guide
    from .loader import (
        bundled_editions,
        bundled_examples,
        criteria_root,
        load_guide,
        resolve_guide_path,
    )
    from .schema import guide_schema
    from .serialize import canonical_json

__all__ = [
    "CHECKS",
    "Case",
    "CheckReport",
    "Evidence",
    "Expectation",
    "Guide",
    "bundled_editions",
    "bundled_examples",
    "canonical_json",
    "case_schema",
    "cases_folder",
    "criteria_root",
    "evidence_schema",
    "guide_schema",
    "iter_evidences",
    "load_case",
    "load_cases",
    "load_evidence",
    "load_evidences",
    "load_guide",
    "resolve_guide_path",
    "run_checks",
]

#: Where each public name lives (imported when first used).
_EXPORTS: dict[str, str] = {
    "CHECKS": "checks",
    "Case": "cases",
    "CheckReport": "checks",
    "Evidence": "evidence",
    "Expectation": "cases",
    "Guide": "guide",
    "bundled_editions": "loader",
    "bundled_examples": "loader",
    "canonical_json": "serialize",
    "case_schema": "cases",
    "cases_folder": "cases",
    "criteria_root": "loader",
    "evidence_schema": "evidence",
    "guide_schema": "schema",
    "iter_evidences": "evidence",
    "load_case": "cases",
    "load_cases": "cases",
    "load_evidence": "evidence",
    "load_evidences": "evidence",
    "load_guide": "loader",
    "resolve_guide_path": "loader",
    "run_checks": "checks",
}

lazy_package(__name__, _EXPORTS)
