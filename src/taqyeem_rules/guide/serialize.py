"""A guide as data: its canonical form and the form a guide file writes.

One place for each data shape of the guide's parts:

- the **canonical form** (:func:`canonical_guide`, :func:`canonical_json`): what the
  fingerprint is computed over and what a cycle record holds — decimals as canonical
  strings, every field present;
- the **file form** (:func:`input_data`, :func:`criterion_data`, :func:`category_data`,
  :func:`tier_data`, :func:`flag_data`, :func:`model_data`, :func:`points_data`): the
  data a guide file writes, decimals as :class:`~decimal.Decimal`, optional fields left
  out — what ``taqyeem diff --format amendments`` proposes;
- the **amendments YAML** (:func:`amendments_yaml`) those are written in.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from ..dsl.numbers import canonical
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
    "canonical_criterion",
    "canonical_guide",
    "canonical_input",
    "canonical_json",
    "canonical_model",
    "canonical_numbers",
    "canonical_points",
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


# ---- the canonical form -------------------------------------------------------------------


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


def canonical_criterion(c: Criterion) -> dict[str, Any]:
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


def canonical_model(m: Model) -> dict[str, Any]:
    return {
        "id": m.id,
        "label": m.label.to_data(),
        "categories": [
            {
                "id": cat.id,
                "label": cat.label.to_data(),
                "weight": _dec(cat.weight),
                "criteria": [canonical_criterion(c) for c in cat.criteria],
            }
            for cat in m.categories
        ],
        "tiers": [
            {"id": t.id, "label": t.label.to_data(), "min": _dec(t.min), "require": _expr(t.require)}
            for t in m.tiers
        ],
        "flags": [{"id": f.id, "label": f.label.to_data(), "when": _expr(f.when)} for f in m.flags],
    }


def canonical_input(i: Input) -> dict[str, Any]:
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
    return out


def canonical_numbers(x: Numbers) -> dict[str, Any]:
    return {"precision": x.precision, "rounding": x.rounding,
            "report": {"scale": x.report_scale, "rounding": x.report_rounding}}


def canonical_points(p: Points) -> dict[str, Any]:
    out: dict[str, Any] = {"min": _dec(p.min), "max": _dec(p.max)}
    if p.levels:
        out["levels"] = [
            {"value": _dec(lv.value), "en": lv.label.en, "ar": lv.label.ar} for lv in p.levels
        ]
    return out


def canonical_guide(g: Guide) -> dict[str, Any]:
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
        "numbers": canonical_numbers(g.numbers),
        "points": canonical_points(g.points),
        "inputs": [canonical_input(i) for i in g.inputs],
        "models": {m.id: canonical_model(m) for m in g.models},
    }


# ---- the file form ---------------------------------------------------------------------

# Guide-file data of model elements, numbers as Decimal, expressions as canonical text.


def decimal_data(value: Decimal) -> Decimal:
    """A decimal without exponent or trailing zeros (``3E+1`` → ``30``), for data and display."""
    return Decimal(canonical(value))


def text_data(t: Text) -> dict[str, str]:
    return {"en": t.en, "ar": t.ar}


def past_data(i: Input) -> Any:
    """An input's ``past:`` as data (None when it says none)."""
    return None if i.past is None else i.past.to_data()


def input_data(i: Input) -> dict[str, Any]:
    out: dict[str, Any] = {"id": i.id, "type": i.type, "source": i.source, "required": i.required,
                           "label": text_data(i.label)}
    if i.range is not None:
        out["range"] = [None if x is None else decimal_data(x) for x in i.range]
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
    if i.past is not None:
        out["past"] = i.past.to_data()
    return out


def criterion_data(c: Criterion) -> dict[str, Any]:
    out: dict[str, Any] = {"id": c.id, "label": text_data(c.label), "weight": decimal_data(c.weight), "basic": c.basic,
                           "missing": c.missing}
    if c.applicable is not None:
        out["applicable"] = c.applicable.canonical
    out.update(criterion_form(c, canonical=False))
    if c.description is not None:
        out["description"] = text_data(c.description)
    return out


def tier_data(t: Tier) -> dict[str, Any]:
    out: dict[str, Any] = {"id": t.id, "label": text_data(t.label), "min": decimal_data(t.min)}
    if t.require is not None:
        out["require"] = t.require.canonical
    return out


def flag_data(f: Flag) -> dict[str, Any]:
    return {"id": f.id, "label": text_data(f.label), "when": f.when.canonical}


def category_data(cat: Category, criteria: Sequence[dict[str, Any]] | None = None) -> dict[str, Any]:
    return {
        "id": cat.id,
        "label": text_data(cat.label),
        "weight": decimal_data(cat.weight),
        "criteria": list(criteria) if criteria is not None else [criterion_data(c) for c in cat.criteria],
    }


def model_data(m: Model) -> dict[str, Any]:
    out: dict[str, Any] = {"label": text_data(m.label), "categories": [category_data(c) for c in m.categories],
                           "tiers": [tier_data(t) for t in m.tiers]}
    if m.flags:
        out["flags"] = [flag_data(f) for f in m.flags]
    return out


def numbers_data(g: Guide) -> dict[str, Any]:
    return canonical_numbers(g.numbers)


def points_data(p: Points) -> dict[str, Any]:
    return {"min": decimal_data(p.min), "max": decimal_data(p.max),
            "levels": [{"value": decimal_data(lv.value), "en": lv.label.en, "ar": lv.label.ar} for lv in p.levels]}


# ---- amendments as YAML -----------------------------------------------------------------


def amendments_yaml(amendments: list[dict[str, Any]]) -> str:
    """Amendments (as :func:`~taqyeem_rules.engine.diff_to_amendments` plans them) as the
    YAML of a guide file's ``amendments:`` (``taqyeem diff --format amendments``): keys
    in the order given, decimals as YAML numbers written canonically, Arabic as it is."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
        text = canonical(value)
        return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)

    Dumper.add_representer(Decimal, decimal)
    return yaml.dump({"amendments": amendments}, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
