"""What is worked out once and kept with a guide or an evidence: typed memos.

A :class:`~.guide.Guide` and an :class:`~.evidence.Evidence` never change, so what is
derived from one — indexes, the canonical form and the fingerprint, the check report,
compiled models, evidence schemas — is computed on first use and kept in its memo. Each
memo is an attrs class with one typed field per thing kept (no shared dict with string
keys); the module that computes a value is the one that fills its field. A memo takes
no part in equality, is never copied by ``attrs.evolve`` (a changed guide starts with an
empty one) and only ever saves time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:  # pragma: no cover
    from ..dsl.types import Type
    from ..engine.compile import CompiledModel
    from ..source import Span
    from .checks import CheckReport
    from .model import Category, Criterion, Input, Model

__all__ = ["EvidenceMemo", "GuideMemo"]


@attrs.define(eq=False, repr=False)
class GuideMemo:
    """What a guide keeps of its own (:attr:`Guide.memo <taqyeem_rules.Guide.memo>`)."""

    # ---- guide/guide.py
    #: Inputs, models and criteria by id, and the type of every input.
    inputs: dict[str, Input] | None = None
    models: dict[str, Model] | None = None
    criteria: dict[str, tuple[Model, Category, Criterion]] | None = None
    input_types: dict[str, Type] | None = None
    #: The canonical data and its SHA-256.
    canonical: dict[str, Any] | None = None
    fingerprint: str | None = None
    #: The check report, with the version of the function registry it was made with
    #: (registering a plugin invalidates it); kept by ``Guide.check`` and ``amend``.
    report: tuple[int, CheckReport] | None = None
    #: Checked expressions and tables: shared with the editions that amend this one, so
    #: they re-check only what their amendments change.
    check_memo: dict[Any, Any] | None = None

    # ---- engine/compile.py
    #: The compiled form of each model, by model id.
    compiled: dict[str, CompiledModel] = attrs.field(factory=dict)

    # ---- guide/evidence.py
    #: The inputs each model reads, by model id; the inputs no model reads.
    model_inputs: dict[str, tuple[Input, ...]] = attrs.field(factory=dict)
    unread_inputs: tuple[Input, ...] | None = None
    #: (input, required) for the inputs each model's evidence may give, by model id.
    allowed_inputs: dict[str, tuple[tuple[Input, bool], ...]] = attrs.field(factory=dict)
    #: The criterion kinds' rules across inputs ((kind, params) pairs), by model id.
    kind_rules: dict[str, tuple[tuple[Any, Any], ...]] = attrs.field(factory=dict)
    #: The generated checker of each model's evidence given as Python data, by model id
    #: (guide/evidence_fast.py).
    evidence_checkers: dict[str, Any] = attrs.field(factory=dict)
    #: The evidence JSON Schema, by model id (None: every model).
    evidence_schemas: dict[str | None, dict[str, Any]] = attrs.field(factory=dict)

    def checks(self) -> dict[Any, Any]:
        """The memo of checked expressions and tables (made on first use)."""
        if self.check_memo is None:
            self.check_memo = {}
        return self.check_memo


@attrs.define(eq=False, repr=False)
class EvidenceMemo:
    """What an evidence keeps of its own (:attr:`Evidence.memo <taqyeem_rules.Evidence.memo>`)."""

    # ---- guide/evidence.py
    #: The inputs as canonical data (numbers as text, mappings sorted), by input id.
    data_inputs: dict[str, Any] | None = None
    #: The canonical JSON and its SHA-256.
    json: str | None = None
    fingerprint: str | None = None
    #: Where each input is in the file it was read from.
    spans: dict[str, Span | None] | None = None
    #: The fingerprints of the guides this evidence is known valid for.
    valid_for: set[str] = attrs.field(factory=set)

    # ---- engine/score.py
    #: The scoring function's environment, by (guide fingerprint, model id).
    envs: dict[tuple[str, str], dict[str, Any]] = attrs.field(factory=dict)

    # ---- engine/assume.py
    #: The inputs it gives.
    input_keys: frozenset[str] | None = None
