"""Scoring, results and their explanation, cycle records and their replay, diff and impact."""

from .compile import CompiledModel, compile_model
from .diff import (
    Added,
    Changed,
    Diff,
    Edit,
    EffectiveWeight,
    Moved,
    Relabelled,
    Removed,
    Reweighted,
    diff_guides,
    diff_to_amendments,
    effective_weights,
)
from .impact import CentreImpact, CriterionShift, Impact, TierTransition, impact
from .margins import CentreMargin, Margins, margins
from .record import record_cycle
from .record_report import (
    CentreReplay,
    CycleRecord,
    IntegrityFinding,
    ReplayDifference,
    ReplayReport,
)
from .replayer import replay
from .result import CategoryResult, CriterionResult, Result
from .score import score, score_many
from .sensitivity import CentreSensitivity, Sensitivity, sensitivity
from .testing import CaseOutcome, CaseReport, Coverage, CoverageTarget, Mismatch, run_cases
from .verify import CheckRun, Counterexample, Finding, VerifyReport, verify

__all__ = [
    "Added",
    "CaseOutcome",
    "CaseReport",
    "CategoryResult",
    "CentreImpact",
    "CentreMargin",
    "CentreReplay",
    "CentreSensitivity",
    "Changed",
    "CheckRun",
    "CompiledModel",
    "Counterexample",
    "Coverage",
    "CoverageTarget",
    "CriterionResult",
    "CriterionShift",
    "CycleRecord",
    "Diff",
    "Edit",
    "EffectiveWeight",
    "Finding",
    "Impact",
    "IntegrityFinding",
    "Margins",
    "Mismatch",
    "Moved",
    "Relabelled",
    "Removed",
    "ReplayDifference",
    "ReplayReport",
    "Result",
    "Reweighted",
    "Sensitivity",
    "TierTransition",
    "VerifyReport",
    "compile_model",
    "diff_guides",
    "diff_to_amendments",
    "effective_weights",
    "impact",
    "margins",
    "record_cycle",
    "replay",
    "run_cases",
    "score",
    "score_many",
    "sensitivity",
    "verify",
]
