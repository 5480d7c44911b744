"""Evidence validation compiled per model: one generated function checks and converts.

The evidence a model takes is known once the guide is loaded: which top-level keys,
which inputs (required or not), each input's type, range, items and sizes, the rules
criterion kinds set across inputs. From that checked data alone this module generates,
per model, one Python function (the way :mod:`taqyeem_rules.engine.compile` generates
the scorer: source text, ``compile()``, constants bound as globals, registered in
:mod:`linecache`) that takes evidence given as plain Python data and, in a single pass,

- answers the inputs the general path's :class:`~taqyeem_rules.guide.evidence.Evidence`
  would hold (ints as Decimal, inputs given as None dropped, lists and mappings copied),
  when the evidence is certainly valid; or
- answers None, when it is not — or when it is not sure: a dict subclass, a tuple, an
  IntEnum, a Decimal subclass, a number near the edge of the language's range. The
  general path (``normalize_value``, the YAML document, the JSON Schema, the kinds'
  rules) then decides and words the errors, so errors, positions and messages are the
  general path's by construction.

Each input type writes its own fragment (:meth:`~taqyeem_rules.guide.inputs.InputType.check_code`);
this module assembles the top level: ``format``, ``centre``, ``model``, ``edition``,
``cycle``, ``notes``, ``inputs``, the edition against the guide's, unknown and missing
inputs, and the kinds' rules. Only exact types pass (``type(v) is str``), so a bool is
never a number nor an int a bool, and no float passes anywhere. Nothing in the code
reads the caller's decimal context. The text is deterministic: the same guide gives the
same source; no text of the guide's or of the evidence is written into it except as a
``repr`` in its first comment (ids, items and bounds are bound as constants).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..dsl.limits import MAX_ID_LENGTH
from .inputs import CHECK_GLOBALS, input_type
from .model import Input, Model

if TYPE_CHECKING:  # pragma: no cover
    from .guide import Guide

__all__ = ["EvidenceChecker", "build_evidence_checker", "evidence_checker"]

#: ``checker(data, other_edition)``: the converted inputs of valid evidence, else None.
EvidenceChecker = Callable[[Any, bool], "dict[str, Any] | None"]

#: Top-level keys that are optional text (only their type is checked).
_TEXT_KEYS = ("cycle", "notes")


def build_evidence_checker(
    edition: str,
    model_id: str,
    allowed: tuple[tuple[Input, bool], ...],
    kind_checks: tuple[tuple[Any, Any], ...],
    evidence_format: str,
) -> EvidenceChecker:
    """Generate the checker of one model's evidence.

    ``allowed``: (input, required) for each input the model's evidence may give, in
    guide order; ``kind_checks``: (kind, params) of each criterion whose kind has rules
    across inputs (:meth:`CriterionKind.check_evidence`); ``evidence_format``: the only
    ``format`` value allowed. The function's source is ``fn.__taqyeem_source__``."""
    from ..dsl.compiler import CodeBuilder

    b = CodeBuilder()
    b.globals.update(CHECK_GLOBALS)
    b.globals["_missing"] = _Missing()
    emit = b.emit
    k_model, k_edition, k_format = b.const(model_id), b.const(edition), b.const(evidence_format)
    # The top level: a plain dict with `centre`, `model` and `inputs`, and optional keys.
    emit("if type(data) is not dict: return None")
    emit("centre = data.get('centre'); inputs = data.get('inputs'); model = data.get('model')")
    emit("if type(centre) is not dict or type(inputs) is not dict or type(model) is not str: return None")
    emit(f"if model != {k_model}: return None")
    emit("n = 3")
    emit("v = data.get('format', _missing)")
    emit("if v is not _missing:")
    with b.block():
        emit(f"if type(v) is not str or v != {k_format}: return None")
        emit("n += 1")
    emit("v = data.get('edition', _missing)")
    emit("if v is not _missing:")
    with b.block():
        emit("if type(v) is not str: return None")
        emit(f"if v != {k_edition} and not other_edition: return None")
        emit("n += 1")
    for key in _TEXT_KEYS:
        emit(f"v = data.get({key!r}, _missing)")
        emit("if v is not _missing:")
        with b.block():
            emit("if type(v) is not str: return None")
            emit("n += 1")
    emit("if len(data) != n: return None")
    # The centre: an id (text, 1 to MAX_ID_LENGTH characters) and perhaps a name (text,
    # or {en, ar} texts).
    emit("v = centre.get('id')")
    emit(f"if type(v) is not str or not 0 < len(v) <= {MAX_ID_LENGTH}: return None")
    emit("if len(centre) != 1:")
    with b.block():
        emit("v = centre.get('name')")
        emit("if len(centre) != 2: return None")
        emit("if type(v) is not str:")
        with b.block():
            emit("if type(v) is not dict or len(v) != 2: return None")
            emit("if type(v.get('en')) is not str or type(v.get('ar')) is not str: return None")
    # The inputs, each checked and converted by its type's fragment.
    emit("out = {}")
    optional = any(not required for _, required in allowed)
    if optional:
        emit("nones = False")
    # In the order of their ids: the order Evidence keeps them in (so it sorts nothing).
    for inp, required in sorted(allowed, key=lambda pair: pair[0].id):
        key = b.const(inp.id)
        emit(f"v = inputs.get({key})")
        fragment = input_type(inp).check_code(inp, "v", b)
        if required:
            emit("if v is None: return None")
            for line in fragment:
                emit(line)
            emit(f"out[{key}] = v")
        else:
            emit("if v is not None:")
            with b.block():
                for line in fragment:
                    emit(line)
                emit(f"out[{key}] = v")
            emit(f"elif {key} in inputs:")
            with b.block():
                emit(f"out[{key}] = None; nones = True")
    # Every key given is one of the inputs (each one was counted in `out`).
    emit("if len(inputs) != len(out): return None")
    if kind_checks:
        # The kinds' rules across inputs, on the values the general path gives them
        # (inputs given as None included); any finding: the general path words it.
        checks = b.const(tuple((kind.check_evidence, params) for kind, params in kind_checks))
        emit(f"for check, params in {checks}:")
        with b.block():
            emit("for _finding in check(params, out): return None")
    if optional:
        emit("if nones: out = {k: x for k, x in out.items() if x is not None}")
    fn = b.build(
        "check_evidence",
        "data, other_edition=False",
        "out",
        f"evidence of model {model_id} of guide {edition}",
    )
    return fn


class _Missing:
    """The mark of a key not given (distinct from a key given as None)."""

    __slots__ = ()

    def __repr__(self) -> str:
        return "<missing>"


def evidence_checker(guide: Guide, model: Model) -> EvidenceChecker:
    """The generated checker of ``model``'s evidence (built on first use, kept with the
    guide: a guide never changes)."""
    fn = guide.memo.evidence_checkers.get(model.id)
    if fn is None:
        from .evidence import EVIDENCE_FORMAT, allowed_inputs, kind_checks

        fn = guide.memo.evidence_checkers[model.id] = build_evidence_checker(
            guide.edition, model.id, allowed_inputs(guide, model), kind_checks(guide, model), EVIDENCE_FORMAT
        )
    return fn
