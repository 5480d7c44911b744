"""The :class:`Guide`: one materialised edition of the evaluation guide."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any

import attrs

from ..dsl.types import Type
from ..source import Source
from .memo import GuideMemo
from .model import (
    Category,
    Criterion,
    Input,
    Model,
    Numbers,
    Points,
    Provenance,
    Text,
)
from .serialize import canonical_guide, canonical_json

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.result import Result
    from ..errors import TaqyeemError
    from .checks import CheckReport
    from .evidence import Evidence

__all__ = ["FORMAT", "Guide"]

FORMAT = "taqyeem-guide/1"


@attrs.frozen
class Guide:
    """A checked evaluation guide: inputs, models, categories, criteria and tiers.

    Guides compare equal when everything that is scored or shown is equal; formatting,
    comments, key order and expression spacing do not count. :attr:`fingerprint` is the
    SHA-256 of the canonical JSON form (:meth:`to_canonical`).
    """

    edition: str
    title: Text
    effective_from: str
    effective_to: str | None
    provenance: Provenance
    numbers: Numbers
    points: Points
    inputs: tuple[Input, ...]
    models: tuple[Model, ...]
    format: str = FORMAT
    #: For an amended edition: the edition it extends, and its amendments (as data).
    extends: str | None = None
    amendments: tuple[Any, ...] = ()
    source: Source | None = attrs.field(default=None, eq=False, repr=False)
    path: str | None = attrs.field(default=None, eq=False, repr=False)
    #: What is worked out once and kept with the guide (indexes, fingerprint, check
    #: report, compiled models, evidence schemas): see :class:`~.memo.GuideMemo`.
    memo: GuideMemo = attrs.field(factory=GuideMemo, eq=False, repr=False, init=False)

    # ---- lookups ---------------------------------------------------------------------

    def input(self, input_id: str) -> Input | None:
        index = self.memo.inputs
        if index is None:
            index = self.memo.inputs = {i.id: i for i in self.inputs}
        return index.get(input_id)

    def model(self, model_id: str) -> Model | None:
        index = self.memo.models
        if index is None:
            index = self.memo.models = {m.id: m for m in self.models}
        return index.get(model_id)

    def criterion(self, criterion_id: str) -> tuple[Model, Category, Criterion] | None:
        index = self.memo.criteria
        if index is None:
            index = self.memo.criteria = {
                c.id: (m, cat, c) for m in self.models for cat in m.categories for c in cat.criteria
            }
        return index.get(criterion_id)

    def input_types(self) -> dict[str, Type]:
        """The type of every input, as expressions see it."""
        types = self.memo.input_types
        if types is None:
            types = self.memo.input_types = {i.id: i.dsl_type() for i in self.inputs}
        return types

    @property
    def illustrative(self) -> bool:
        return self.provenance.status == "illustrative"

    # ---- checking and scoring --------------------------------------------------------

    def check(self) -> CheckReport:
        """Run every semantic check; the report lists all findings (errors and warnings).

        The report is kept: a guide never changes, so checking it again gives the same
        findings (unless plugins were registered since, which invalidates the report).
        """
        from ..dsl.plugins import default_registry
        from .checks import run_checks

        stamp = default_registry().version
        cached = self.memo.report
        if cached is None or cached[0] != stamp:
            # The memo of checked expressions and tables is kept, so an edition that
            # amends this one re-checks only what its amendments change.
            cached = self.memo.report = (stamp, run_checks(self, memo=self.memo.checks()))
        return cached[1]

    def score(
        self, evidence: Evidence | Mapping[str, Any] | str | os.PathLike[str], *, trace: bool = True
    ) -> Result:
        """Score one centre's evidence: an :class:`Evidence`, a mapping shaped like an
        evidence file (numbers as ``Decimal``, ``int`` or digit strings), or the path of one
        centre's evidence file (YAML or JSON), which is loaded and validated."""
        from ..engine.score import score

        return score(self, evidence, trace=trace)

    def score_many(
        self, evidences: Iterable[Evidence | Mapping[str, Any] | str | os.PathLike[str]], *, trace: bool = True,
        on_error: Callable[[TaqyeemError], None] | None = None,
    ) -> Iterator[Result]:
        """Score many centres, one at a time: a generator of :class:`Result`, each yielded
        as soon as it is scored (memory bounded by one centre, whatever the number). Takes
        any iterable of what :meth:`score` takes — a list, or a stream such as
        ``iter_evidences(paths, guide)`` over a large CSV or JSON Lines file — and does the
        per-model work once. The results are :meth:`score`'s, number for number; an invalid
        centre raises its error when it is reached (or, with ``on_error``, is handed to it
        and left out while the others go on)."""
        from ..engine.score import score_many

        return score_many(self, evidences, trace=trace, on_error=on_error)

    # ---- canonical form ----------------------------------------------------------------

    def to_canonical(self) -> dict[str, Any]:
        """The canonical data of the guide: what the fingerprint is computed over."""
        cached = self.memo.canonical
        if cached is None:
            cached = self.memo.canonical = canonical_guide(self)
        return cached

    def canonical_json(self) -> str:
        """Canonical JSON text: sorted keys, decimals as strings, no insignificant space."""
        return canonical_json(self.to_canonical())

    @property
    def fingerprint(self) -> str:
        """SHA-256 (hex) of :meth:`canonical_json`."""
        cached = self.memo.fingerprint
        if cached is None:
            digest = hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()
            cached = self.memo.fingerprint = digest
        return cached

    def __repr__(self) -> str:
        models = ", ".join(m.id for m in self.models)
        return f"<Guide {self.edition} ({models}) {self.fingerprint[:12]}>"
