"""Admissible evidence, generated from a guide's own declarations (for property checks).

Each input type knows its admissible values (:mod:`taqyeem_rules.guide.inputs`); each
criterion kind adds the rules across its inputs (replies no more than cases). These
strategies need hypothesis, imported only when they are used.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from .inputs import input_type

if TYPE_CHECKING:  # pragma: no cover
    from .guide import Guide
    from .model import Model

__all__ = ["evidence_strategy", "inputs_strategy"]


def inputs_strategy(guide: Guide, input_ids: Iterable[str], *, optional_absent: bool = True) -> Any:
    """Values ``{input id: value}`` for some inputs, each admissible on its own; an
    optional input may be left out (``optional_absent``)."""
    from hypothesis import strategies as st

    required: dict[str, Any] = {}
    optional: dict[str, Any] = {}
    for ident in sorted(set(input_ids)):
        inp = guide.input(ident)
        if inp is None:
            continue
        strategy = input_type(inp).strategy(inp)
        if inp.required or not optional_absent:
            required[ident] = strategy
        else:
            optional[ident] = strategy
    return st.fixed_dictionaries(required, optional=optional)


def evidence_strategy(guide: Guide, model: Model) -> Any:
    """Evidence data for a model of a guide: a centre, the model and admissible inputs,
    each criterion's kind drawing the inputs it reads with its own rules (inputs read
    by several criteria take the first criterion's draw)."""
    from hypothesis import strategies as st

    parts = []
    seen: set[str] = set()
    for c in model.criteria():
        kind = c.kind_object
        if kind is None:
            continue
        own = [r for r in kind.reads(c.params) if r not in seen]
        seen.update(own)
        others = [r for r in c.reads() if r not in seen]  # read by `applicable` only
        seen.update(others)
        if own:
            parts.append(kind.evidence(c.params, guide).map(
                lambda d, keep=frozenset(own): {k: v for k, v in d.items() if k in keep}
            ))
        if others:
            parts.append(inputs_strategy(guide, others))

    def merge(dicts: list[dict[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for d in dicts:
            out.update(d)
        return out

    return st.tuples(*parts).map(lambda ds: {
        "centre": {"id": "GEN-1"},
        "model": model.id,
        "edition": guide.edition,
        "inputs": merge(list(ds)),
    })
