"""Guides: the YAML format, its schema, the frozen model, the checks, and evidence."""

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
