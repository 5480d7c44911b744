"""Scoring, results and their explanation, cycle records and their replay, diff and impact.

Only what a command uses is imported: ``from taqyeem_rules.engine import score``
loads the scorer, not the diff, the verifier or the record reader
(:mod:`taqyeem_rules._lazy`).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_package

if TYPE_CHECKING:  # pragma: no cover - for type checkers and editors
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

#: Where each public name lives (imported when first used).
_EXPORTS: dict[str, str] = {
    "Added": "diff",
    "CaseOutcome": "testing",
    "CaseReport": "testing",
    "CategoryResult": "result",
    "CentreImpact": "impact",
    "CentreMargin": "margins",
    "CentreReplay": "record_report",
    "CentreSensitivity": "sensitivity",
    "Changed": "diff",
    "CheckRun": "verify",
    "CompiledModel": "compile",
    "Counterexample": "verify",
    "Coverage": "testing",
    "CoverageTarget": "testing",
    "CriterionResult": "result",
    "CriterionShift": "impact",
    "CycleRecord": "record_report",
    "Diff": "diff",
    "Edit": "diff",
    "EffectiveWeight": "diff",
    "Finding": "verify",
    "Impact": "impact",
    "IntegrityFinding": "record_report",
    "Margins": "margins",
    "Mismatch": "testing",
    "Moved": "diff",
    "Relabelled": "diff",
    "Removed": "diff",
    "ReplayDifference": "record_report",
    "ReplayReport": "record_report",
    "Result": "result",
    "Reweighted": "diff",
    "Sensitivity": "sensitivity",
    "TierTransition": "impact",
    "VerifyReport": "verify",
    "compile_model": "compile",
    "diff_guides": "diff",
    "diff_to_amendments": "diff",
    "effective_weights": "diff",
    "impact": "impact",
    "margins": "margins",
    "record_cycle": "record",
    "replay": "replayer",
    "run_cases": "testing",
    "score": "score",
    "score_many": "score",
    "sensitivity": "sensitivity",
    "verify": "verify",
}

lazy_package(__name__, _EXPORTS)
