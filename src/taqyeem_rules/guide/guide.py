"""The :class:`Guide`: one materialised edition of the evaluation guide."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ..dsl.numbers import canonical
from ..dsl.types import Type
from ..source import Source
from .model import (
    Category,
    Criterion,
    Expr,
    Input,
    Model,
    Numbers,
    Points,
    Provenance,
    Text,
)

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.result import Result
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
    _cache: dict[str, Any] = attrs.field(factory=dict, eq=False, repr=False, init=False)

    # ---- lookups ---------------------------------------------------------------------

    def input(self, input_id: str) -> Input | None:
        return self._index("inputs", lambda: {i.id: i for i in self.inputs}).get(input_id)

    def model(self, model_id: str) -> Model | None:
        return self._index("models", lambda: {m.id: m for m in self.models}).get(model_id)

    def criterion(self, criterion_id: str) -> tuple[Model, Category, Criterion] | None:
        index = self._index(
            "criteria",
            lambda: {
                c.id: (m, cat, c) for m in self.models for cat in m.categories for c in cat.criteria
            },
        )
        return index.get(criterion_id)

    def _index(self, key: str, build: Any) -> dict[str, Any]:
        value = self._cache.get(key)
        if value is None:
            value = self._cache[key] = build()
        return value

    def input_types(self) -> dict[str, Type]:
        """The type of every input, as expressions see it."""
        return self._index("types", lambda: {i.id: i.dsl_type() for i in self.inputs})

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
        cached = self._cache.get("report")
        if cached is None or cached[0] != stamp:
            # The memo of checked expressions and tables is kept, so an edition that
            # amends this one re-checks only what its amendments change.
            memo = self._cache.setdefault("check-memo", {})
            cached = self._cache["report"] = (stamp, run_checks(self, memo=memo))
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
        self, evidences: Iterable[Evidence | Mapping[str, Any] | str | os.PathLike[str]], *, trace: bool = True
    ) -> Iterator[Result]:
        """Score many centres, one at a time: a generator of :class:`Result`, each yielded
        as soon as it is scored (memory bounded by one centre, whatever the number). Takes
        any iterable of what :meth:`score` takes — a list, or a stream such as
        ``iter_evidences(paths, guide)`` over a large CSV or JSON Lines file — and does the
        per-model work once. The results are :meth:`score`'s, number for number; an invalid
        centre raises its error when it is reached."""
        from ..engine.score import score_many

        return score_many(self, evidences, trace=trace)

    # ---- canonical form ----------------------------------------------------------------

    def to_canonical(self) -> dict[str, Any]:
        """The canonical data of the guide: what the fingerprint is computed over."""
        cached = self._cache.get("canonical")
        if cached is None:
            cached = self._cache["canonical"] = _canonical_guide(self)
        return cached

    def canonical_json(self) -> str:
        """Canonical JSON text: sorted keys, decimals as strings, no insignificant space."""
        return canonical_json(self.to_canonical())

    @property
    def fingerprint(self) -> str:
        """SHA-256 (hex) of :meth:`canonical_json`."""
        cached = self._cache.get("fingerprint")
        if cached is None:
            digest = hashlib.sha256(self.canonical_json().encode("utf-8")).hexdigest()
            cached = self._cache["fingerprint"] = digest
        return cached

    def __repr__(self) -> str:
        models = ", ".join(m.id for m in self.models)
        return f"<Guide {self.edition} ({models}) {self.fingerprint[:12]}>"


def canonical_json(data: Any) -> str:
    """JSON with sorted keys, decimals as canonical strings, compact separators, UTF-8."""

    def default(value: Any) -> Any:
        if isinstance(value, Decimal):
            return canonical(value)
        raise TypeError(f"not canonical data: {type(value).__name__}")

    return json.dumps(data, default=default, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def _dec(value: Decimal | None) -> str | None:
    return None if value is None else canonical(value)


def _expr(e: Expr | None) -> str | None:
    return None if e is None else e.canonical


def _criterion(c: Criterion) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": c.id,
        "label": c.label.to_data(),
        "weight": _dec(c.weight),
        "basic": c.basic,
        "missing": c.missing,
        "applicable": _expr(c.applicable),
    }
    if c.description is not None:
        out["description"] = c.description.to_data()
    out.update(criterion_form(c, canonical=True))
    return out


def criterion_form(c: Criterion, *, canonical: bool) -> dict[str, Any]:
    """How a criterion's points arise, as data: a built-in kind's shorthand
    (``{"score": …}``, ``{"bands": …}``) or ``{"kind": NAME, "params": …}``.

    ``canonical`` gives what the fingerprint covers; otherwise the form a guide file
    writes (``diff --format amendments``). A kind that is not installed keeps its
    params as they were written."""
    kind = c.kind_object
    if kind is None:
        return {"kind": c.kind, "params": c.params}
    data = kind.canonical(c.params) if canonical else kind.file_data(c.params)
    if kind.shorthand:
        return kind.shorthand_data(data)
    return {"kind": c.kind, "params": data}


def _model(m: Model) -> dict[str, Any]:
    return {
        "id": m.id,
        "label": m.label.to_data(),
        "categories": [
            {
                "id": cat.id,
                "label": cat.label.to_data(),
                "weight": _dec(cat.weight),
                "criteria": [_criterion(c) for c in cat.criteria],
            }
            for cat in m.categories
        ],
        "tiers": [
            {"id": t.id, "label": t.label.to_data(), "min": _dec(t.min), "require": _expr(t.require)}
            for t in m.tiers
        ],
        "flags": [{"id": f.id, "label": f.label.to_data(), "when": _expr(f.when)} for f in m.flags],
    }


def _input(i: Input) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": i.id,
        "type": i.type,
        "source": i.source,
        "required": i.required,
        "label": i.label.to_data(),
    }
    if i.range is not None:
        out["range"] = [_dec(i.range[0]), _dec(i.range[1])]
    if i.unit is not None:
        out["unit"] = i.unit
    if i.items:
        out["items"] = [{"id": it.id, "label": it.label.to_data()} for it in i.items]
    if i.of is not None:
        out["of"] = i.of
    if i.min_items is not None:
        out["min_items"] = i.min_items
    if i.description is not None:
        out["description"] = i.description.to_data()
    if i.past is not None:  # only when said: guides without it keep their fingerprints
        out["past"] = i.past.to_data()
    if i.better is not None:  # only when declared: a guide without it keeps its fingerprint
        out["better"] = i.better
    return out


def _numbers(x: Numbers) -> dict[str, Any]:
    return {"precision": x.precision, "rounding": x.rounding,
            "report": {"scale": x.report_scale, "rounding": x.report_rounding}}


def _points(p: Points) -> dict[str, Any]:
    out: dict[str, Any] = {"min": _dec(p.min), "max": _dec(p.max)}
    if p.levels:
        out["levels"] = [
            {"value": _dec(lv.value), "en": lv.label.en, "ar": lv.label.ar} for lv in p.levels
        ]
    return out


def _canonical_guide(g: Guide) -> dict[str, Any]:
    prov = g.provenance
    return {
        "format": g.format,
        "edition": g.edition,
        "title": g.title.to_data(),
        "effective": {"from": g.effective_from, "to": g.effective_to},
        "provenance": {
            "status": prov.status,
            "illustrative": list(prov.illustrative),
            "notes": prov.notes,
            "sources": [attrs.asdict(s) for s in prov.sources],
        },
        "numbers": _numbers(g.numbers),
        "points": _points(g.points),
        "inputs": [_input(i) for i in g.inputs],
        "models": {m.id: _model(m) for m in g.models},
    }

