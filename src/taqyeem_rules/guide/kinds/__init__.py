"""Criterion kinds: one object per kind owns everything about its criteria.

The built-in kinds — ``expression`` and ``bands`` (the ``score:`` and ``bands:``
shorthands), ``survey``, ``tawasul`` and ``assessors`` — are registered through the
entry-point group ``taqyeem_rules.criteria``, as any third party's kind is. See
:mod:`taqyeem_rules.guide.kinds.base` for the protocol and docs/plugins.md for how to
write one.
"""

from .base import (
    CheckContext,
    CompileContext,
    Compiled,
    CriterionKind,
    Exact,
    FieldChange,
    LoadContext,
    Message,
    Outcome,
    Role,
)
from .registry import (
    BUILTIN_ENTRY_POINTS,
    ENTRY_POINT_GROUP,
    KindInfo,
    KindRegistry,
    criterion_kind,
    kind_registry,
    register_kind,
)

__all__ = [
    "BUILTIN_ENTRY_POINTS",
    "ENTRY_POINT_GROUP",
    "CheckContext",
    "CompileContext",
    "Compiled",
    "CriterionKind",
    "Exact",
    "FieldChange",
    "KindInfo",
    "KindRegistry",
    "LoadContext",
    "Message",
    "Outcome",
    "Role",
    "criterion_kind",
    "kind_registry",
    "register_kind",
]
