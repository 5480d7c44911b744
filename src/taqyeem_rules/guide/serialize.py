"""A guide as data: its canonical form and the form a guide file writes.

One place for each data shape of the guide's parts:

- one function per part (:func:`input_data`, :func:`criterion_data`,
  :func:`category_data`, :func:`tier_data`, :func:`flag_data`, :func:`model_data`,
  :func:`numbers_data`, :func:`points_data`), in two forms: the **canonical form**
  (``canonical=True``; :func:`canonical_guide`, :func:`canonical_json`), what the
  fingerprint is computed over and what a cycle record holds — decimals as canonical
  strings, every field present; and the **file form**, the data a guide file writes —
  decimals as :class:`~decimal.Decimal`, what is not said left out — which
  ``taqyeem diff --format amendments`` proposes;
- the **amendments YAML** (:func:`amendments_yaml`) those are written in.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ..dsl.numbers import canonical as canonical_text
from .model import (
    Category,
    Criterion,
    Expr,
    Flag,
    Input,
    Model,
    Numbers,
    Points,
    Text,
    Tier,
)

if TYPE_CHECKING:  # pragma: no cover
    from .guide import Guide

__all__ = [
    "amendments_yaml",
    "canonical_guide",
    "canonical_json",
    "category_data",
    "criterion_data",
    "criterion_form",
    "decimal_data",
    "flag_data",
    "input_data",
    "model_data",
    "numbers_data",
    "past_data",
    "points_data",
    "text_data",
    "tier_data",
]


# ---- numbers, texts, expressions ------------------------------------------------------------


def canonical_json(data: Any) -> str:
    """JSON with sorted keys, decimals as canonical strings, compact separators, UTF-8."""

    def default(value: Any) -> Any:
        if isinstance(value, Decimal):
            return canonical_text(value)
        raise TypeError(f"not canonical data: {type(value).__name__}")

    return json.dumps(data, default=default, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def decimal_data(value: Decimal) -> Decimal:
    """A decimal without exponent or trailing zeros (``3E+1`` → ``30``), for data and display."""
    return Decimal(canonical_text(value))


def _num(value: Decimal | None, canonical: bool) -> Decimal | str | None:
    """A number of the canonical form (its canonical text) or of the file form (a decimal)."""
    if value is None:
        return None
    return canonical_text(value) if canonical else decimal_data(value)


def text_data(t: Text) -> dict[str, str]:
    """A bilingual label or text: ``{en, ar}``."""
    return {"en": t.en, "ar": t.ar}


def _expr(e: Expr | None) -> str | None:
    return None if e is None else e.canonical


# ---- the guide's parts ------------------------------------------------------------------------
#
# ``canonical=True`` gives the canonical form (what the fingerprint covers: numbers as
# canonical strings, a criterion's `applicable` and a tier's `require` always present);
# otherwise the file form (numbers as decimals, what is not said left out).


def past_data(i: Input) -> Any:
    """An input's ``past:`` as data (None when it says none)."""
    return None if i.past is None else i.past.to_data()


def input_data(i: Input, *, canonical: bool = False) -> dict[str, Any]:
    """An input as data."""
    out: dict[str, Any] = {"id": i.id, "type": i.type, "source": i.source, "required": i.required,
                           "label": text_data(i.label)}
    if i.range is not None:
        out["range"] = [_num(x, canonical) for x in i.range]
    if i.unit is not None:
        out["unit"] = i.unit
    if i.items:
        out["items"] = [{"id": it.id, "label": text_data(it.label)} for it in i.items]
    if i.of is not None:
        out["of"] = i.of
    if i.min_items is not None:
        out["min_items"] = i.min_items
    if i.description is not None:
        out["description"] = text_data(i.description)
    if i.past is not None:  # only when said: guides without it keep their fingerprints
        out["past"] = i.past.to_data()
    if i.better is not None:  # only when declared: a guide without it keeps its fingerprint
        out["better"] = i.better
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


def criterion_data(c: Criterion, *, canonical: bool = False) -> dict[str, Any]:
    """A criterion as data: its fields, then how its points arise (:func:`criterion_form`)."""
    out: dict[str, Any] = {"id": c.id, "label": text_data(c.label), "weight": _num(c.weight, canonical),
                           "basic": c.basic, "missing": c.missing}
    if canonical or c.applicable is not None:
        out["applicable"] = _expr(c.applicable)
    out.update(criterion_form(c, canonical=canonical))
    if c.description is not None:
        out["description"] = text_data(c.description)
    return out


def category_data(cat: Category, criteria: Sequence[dict[str, Any]] | None = None, *,
                  canonical: bool = False) -> dict[str, Any]:
    """A category as data, with its criteria (or the ``criteria`` data given)."""
    return {
        "id": cat.id,
        "label": text_data(cat.label),
        "weight": _num(cat.weight, canonical),
        "criteria": list(criteria) if criteria is not None
        else [criterion_data(c, canonical=canonical) for c in cat.criteria],
    }


def tier_data(t: Tier, *, canonical: bool = False) -> dict[str, Any]:
    """A tier as data."""
    out: dict[str, Any] = {"id": t.id, "label": text_data(t.label), "min": _num(t.min, canonical)}
    if canonical or t.require is not None:
        out["require"] = _expr(t.require)
    return out


def flag_data(f: Flag) -> dict[str, Any]:
    """A flag as data (the same in both forms)."""
    return {"id": f.id, "label": text_data(f.label), "when": _expr(f.when)}


def model_data(m: Model, *, canonical: bool = False) -> dict[str, Any]:
    """A model as data (a guide file names it by its key under ``models``; the canonical
    form says its id and always lists its flags)."""
    out: dict[str, Any] = {"id": m.id} if canonical else {}
    out["label"] = text_data(m.label)
    out["categories"] = [category_data(c, canonical=canonical) for c in m.categories]
    out["tiers"] = [tier_data(t, canonical=canonical) for t in m.tiers]
    if canonical or m.flags:
        out["flags"] = [flag_data(f) for f in m.flags]
    return out


def numbers_data(x: Numbers) -> dict[str, Any]:
    """The arithmetic context and report rounding as data (the same in both forms)."""
    return {"precision": x.precision, "rounding": x.rounding,
            "report": {"scale": x.report_scale, "rounding": x.report_rounding}}


def points_data(p: Points, *, canonical: bool = False) -> dict[str, Any]:
    """The points scale as data (the canonical form of a scale without levels has no
    ``levels``)."""
    out: dict[str, Any] = {"min": _num(p.min, canonical), "max": _num(p.max, canonical)}
    if p.levels or not canonical:
        out["levels"] = [
            {"value": _num(lv.value, canonical), "en": lv.label.en, "ar": lv.label.ar} for lv in p.levels
        ]
    return out


def canonical_guide(g: Guide) -> dict[str, Any]:
    """The canonical data of a materialised guide (:meth:`Guide.to_canonical`)."""
    prov = g.provenance
    return {
        "format": g.format,
        "edition": g.edition,
        "title": text_data(g.title),
        "effective": {"from": g.effective_from, "to": g.effective_to},
        "provenance": {
            "status": prov.status,
            "illustrative": list(prov.illustrative),
            "notes": prov.notes,
            "sources": [attrs.asdict(s) for s in prov.sources],
        },
        "numbers": numbers_data(g.numbers),
        "points": points_data(g.points, canonical=True),
        "inputs": [input_data(i, canonical=True) for i in g.inputs],
        "models": {m.id: model_data(m, canonical=True) for m in g.models},
    }


# ---- amendments as YAML -----------------------------------------------------------------


def amendments_yaml(amendments: list[dict[str, Any]]) -> str:
    """Amendments (as :func:`~taqyeem_rules.engine.diff_to_amendments` plans them) as the
    YAML of a guide file's ``amendments:`` (``taqyeem diff --format amendments``): keys
    in the order given, decimals as YAML numbers written canonically, Arabic as it is."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
        text = canonical_text(value)
        return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)

    Dumper.add_representer(Decimal, decimal)
    return yaml.dump({"amendments": amendments}, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
