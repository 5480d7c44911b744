"""The size limits of expressions, in one place.

Every pass after the parser (checker, folding, compiler, interpreter, unparse) walks
the tree recursively; the depth limit keeps that far below Python's recursion limit,
and the generated code below Python's own nesting limits. Over a limit is a clear
:class:`~taqyeem_rules.errors.LimitError`, never a ``RecursionError``.
"""

from __future__ import annotations

import attrs

__all__ = ["ANALYSIS_LIMITS", "DEFAULT_LIMITS", "AnalysisLimits", "Limits"]


@attrs.frozen
class Limits:
    """Size limits of one expression (the defaults are :data:`DEFAULT_LIMITS`)."""

    #: Characters in one expression or decision-table cell.
    max_source_length: int = 4000
    #: Nesting depth of the tree (each operator, call or list nests one level deeper;
    #: redundant parentheses add nothing).
    max_depth: int = 64
    #: Parts (nodes and tokens) in one tree.
    max_nodes: int = 3000


DEFAULT_LIMITS = Limits()


@attrs.frozen
class AnalysisLimits:
    """Limits of the what-if analyses (``taqyeem margins`` and ``taqyeem sensitivity``):
    over a limit is a clear :class:`~taqyeem_rules.errors.UsageError` (exit 2), or, for
    the margins search, an explicit "not computed", never a hang."""

    #: Perturbations one sensitivity analysis may draw (``--samples``).
    max_samples: int = 1_000_000
    #: The largest relative change of a category weight (``--weights``, percent):
    #: below 100, so that every weight stays positive.
    max_weight_bound: int = 90
    #: The largest move of a tier cut-off (``--thresholds``, points of 100).
    max_threshold_bound: int = 50
    #: Subsets the margins search may visit for one centre and tier.
    max_search_nodes: int = 2_000_000


ANALYSIS_LIMITS = AnalysisLimits()
