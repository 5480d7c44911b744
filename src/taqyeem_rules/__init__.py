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
from .engine import CategoryResult, CriterionResult, Result, score
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
    "AmendmentError",
    "CategoryResult",
    "CheckReport",
    "CriterionResult",
    "Diagnostic",
    "EvaluationError",
    "Evidence",
    "EvidenceError",
    "ExpressionError",
    "ExpressionSyntaxError",
    "ExpressionTypeError",
    "Guide",
    "GuideError",
    "LimitError",
    "PluginError",
    "RecordError",
    "Result",
    "ScoringError",
    "Source",
    "Span",
    "TaqyeemError",
    "UsageError",
    "__version__",
    "bundled_editions",
    "dsl",
    "evidence_schema",
    "load_evidence",
    "load_evidences",
    "load_guide",
    "score",
]
