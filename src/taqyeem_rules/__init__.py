"""taqyeem_rules: declarative, checked, versioned rules for Bahrain's Government Service
Centres Evaluation programme (Taqyeem), and an engine that scores centres with them —
deterministically, explainably and replayably.

>>> from taqyeem_rules import load_guide
>>> guide = load_guide("2024")            # doctest: +SKIP
>>> result = guide.score(evidence)        # doctest: +SKIP
>>> result.total, result.tier_id          # doctest: +SKIP
"""

from __future__ import annotations

__version__ = "0.1.0"

from . import dsl
from .engine import (
    Added,
    CategoryResult,
    CentreImpact,
    CentreReplay,
    Changed,
    CriterionResult,
    CriterionShift,
    CycleRecord,
    Diff,
    Edit,
    EffectiveWeight,
    Impact,
    IntegrityFinding,
    Moved,
    Relabelled,
    Removed,
    ReplayDifference,
    ReplayReport,
    Result,
    Reweighted,
    TierTransition,
    diff_guides,
    diff_to_amendments,
    impact,
    record_cycle,
    replay,
    score,
)
from .errors import (
    AmendmentError,
    Diagnostic,
    EvaluationError,
    EvidenceError,
    ExpressionError,
    ExpressionSyntaxError,
    ExpressionTypeError,
    GuideError,
    LimitError,
    PluginError,
    RecordError,
    ScoringError,
    TaqyeemError,
    UnknownIdError,
    UsageError,
)
from .guide import (
    CheckReport,
    Evidence,
    Guide,
    bundled_editions,
    evidence_schema,
    load_evidence,
    load_evidences,
    load_guide,
)
from .source import Source, Span

__all__ = [
    "Added",
    "AmendmentError",
    "CategoryResult",
    "CentreImpact",
    "CentreReplay",
    "Changed",
    "CheckReport",
    "CriterionResult",
    "CriterionShift",
    "CycleRecord",
    "Diagnostic",
    "Diff",
    "Edit",
    "EffectiveWeight",
    "EvaluationError",
    "Evidence",
    "EvidenceError",
    "ExpressionError",
    "ExpressionSyntaxError",
    "ExpressionTypeError",
    "Guide",
    "GuideError",
    "Impact",
    "IntegrityFinding",
    "LimitError",
    "Moved",
    "PluginError",
    "RecordError",
    "Relabelled",
    "Removed",
    "ReplayDifference",
    "ReplayReport",
    "Result",
    "Reweighted",
    "ScoringError",
    "Source",
    "Span",
    "TaqyeemError",
    "TierTransition",
    "UnknownIdError",
    "UsageError",
    "__version__",
    "bundled_editions",
    "diff_guides",
    "diff_to_amendments",
    "dsl",
    "evidence_schema",
    "impact",
    "load_evidence",
    "load_evidences",
    "load_guide",
    "record_cycle",
    "replay",
    "score",
]
