"""Scoring, results and their explanation (and, later, diff, impact and cycle records)."""

from .compile import CompiledModel, compile_model
from .result import CategoryResult, CriterionResult, Result
from .score import score, score_many

__all__ = [
    "CategoryResult",
    "CompiledModel",
    "CriterionResult",
    "Result",
    "compile_model",
    "score",
    "score_many",
]
