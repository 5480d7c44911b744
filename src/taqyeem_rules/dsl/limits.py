"""The size limits of expressions, in one place.

Every pass after the parser (checker, folding, compiler, interpreter, unparse) walks
the tree recursively; the depth limit keeps that far below Python's recursion limit,
and the generated code below Python's own nesting limits. Over a limit is a clear
:class:`~taqyeem_rules.errors.LimitError`, never a ``RecursionError``.
"""

from __future__ import annotations

import attrs

__all__ = ["DEFAULT_LIMITS", "Limits"]


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
