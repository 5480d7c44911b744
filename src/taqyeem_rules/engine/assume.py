"""What impact assumes when evidence of one edition is scored under another guide.

A later edition may add inputs (2024 adds ``digital_promotion``), retype them (a number
becomes a checklist) or remove them. Evidence collected under the earlier edition
cannot hold what it never asked for, so scoring it under the later guide needs a stated
assumption for every input it lacks. Each lacking input of a guide is resolved, first
that applies:

1. ``assume={input: value}`` (``--assume INPUT=VALUE``): the value, in the input's own
   evidence form (a checklist may be written as the list of its ticked items);
2. the input's ``past:`` in the later guide (``past: {value: …}`` or
   ``past: not_applicable``) — used only for evidence of the earlier edition;
3. ``assume_missing`` (``--assume-missing``): ``not_applicable`` makes every criterion
   reading the input not applicable (its weight is shared out as usual); ``lowest``
   gives every such criterion the lowest points it can attain — the least of the values
   its kind lists (:meth:`~taqyeem_rules.guide.kinds.CriterionKind.attainable`), or the
   scale's minimum where the kind cannot list them (not the input value 0, which may
   score well, as zero waiting minutes does);
4. an optional input is read as absent (each criterion's ``missing:`` policy applies).

A required input that nothing resolves stops the impact before anything is scored
(:class:`MissingInputsError`), naming the input, how many centres lack it, and the
options. Inputs of the evidence that the guide no longer declares are ignored, with a
note. Where one criterion reads several lacking inputs, ``not_applicable`` wins over
``lowest``, which wins over values.

Every assumption used is data (:class:`Assumption`, :class:`InputNote`) that the
impact carries, so every report states its basis.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from ..dsl import nodes as n
from ..dsl.hints import did_you_mean
from ..dsl.numbers import canonical, format_number
from ..errors import Diagnostic, MissingInputsError, TaqyeemError, UsageError
from ..guide.evidence import Evidence, model_inputs
from ..guide.guide import Guide
from ..guide.inputs import flow_text, input_type, written_value
from ..guide.kinds.expression import ExpressionParams
from ..guide.model import Criterion, Expr, Input, Model

__all__ = ["ASSUME_MISSING", "Assumption", "InputNote", "MissingInputsError", "parse_assumption"]

#: The choices of ``assume_missing``.
ASSUME_MISSING = ("not_applicable", "lowest")


@attrs.frozen
class Assumption:
    """One assumption an impact used: how ``input`` was read under guide ``edition``.

    ``reason``: ``added`` (the evidence's edition does not have the input) or
    ``retyped`` (it has it with another type or items). ``how``: ``value``,
    ``not_applicable``, ``lowest`` or ``absent``. ``source``: ``assume`` (given by the
    caller), ``past`` (the guide's ``past:``), ``assume-missing`` or ``optional`` (the
    input is optional in the guide). ``criteria``: the criteria that read the input in
    the centres' models; ``points``: for ``lowest``, the points each got and where they
    come from (``attainable``: the least its kind lists; ``scale``: the scale's minimum).
    ``centres``: how many centres it was used for."""

    edition: str
    input: str
    reason: str
    how: str
    source: str
    value: Any = None
    criteria: tuple[str, ...] = ()
    points: tuple[tuple[str, Decimal, str], ...] = ()
    centres: int = 0

    @property
    def key(self) -> str:
        """``EDITION:INPUT``: how centres refer to it."""
        return f"{self.edition}:{self.input}"

    def to_dict(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "input": self.input,
            "reason": self.reason,
            "how": self.how,
            "source": self.source,
            "value": _data(self.value),
            "criteria": list(self.criteria),
            "points": [{"criterion": c, "points": canonical(p), "from": w} for c, p, w in self.points],
            "centres": self.centres,
        }


@attrs.frozen
class InputNote:
    """An input some centres' evidence gives that guide ``edition`` does not declare:
    ignored when scoring under it."""

    edition: str
    input: str
    centres: int

    def to_dict(self) -> dict[str, Any]:
        return {"edition": self.edition, "input": self.input, "note": "removed", "centres": self.centres}


def _data(v: Any) -> Any:
    if isinstance(v, Decimal):
        return canonical(v)
    if isinstance(v, dict):
        return {k: _data(x) for k, x in sorted(v.items())}
    if isinstance(v, list):
        return [_data(x) for x in v]
    return v


# ---- the caller's assumptions -------------------------------------------------------------


def parse_assumption(text: str) -> tuple[str, Any]:
    """``INPUT=VALUE`` (``--assume``) → (input id, value as data): VALUE is read as YAML
    flow text (``12``, ``true``, ``[a, b]``, ``{a: true}``), numbers as decimals."""
    from ..guide.yamlio import load_document

    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name:
        raise UsageError(f"--assume {text!r}: expected INPUT=VALUE",
                         hint="e.g. --assume digital_promotion=[staff_refer_to_eservices] or --assume bus_stop_distance_m=300",
                         code="usage.assume")
    if not value.strip():
        raise UsageError(f"--assume {name}: no value after `=`", code="usage.assume",
                         hint="give the value as the centre's evidence would, e.g. a number, true/false, or [ticked, items]")
    try:
        doc = load_document(value, f"--assume {name}")
    except TaqyeemError as exc:
        raise UsageError(f"--assume {name}: cannot read the value {value!r}: {exc.message}", code="usage.assume",
                         hint="write it as YAML flow text: 12, true, [a, b] or {a: true, b: false}") from None
    return name, doc.data


def _form_hint(inp: Input) -> str:
    if inp.type == "checklist":
        items = ", ".join(it.id for it in inp.items)
        return f"a checklist: the list of its ticked items, e.g. [{inp.items[0].id}] (items: {items})"
    lo, hi = inp.bounds
    bounds = f" within [{'' if lo is None else format_number(lo)}, {'' if hi is None else format_number(hi)}]" \
        if lo is not None or hi is not None else ""
    return f"a {inp.type} value{bounds}, as the centre's evidence would give it"


def checked_value(inp: Input, value: Any, guide: Guide, where: str) -> Any:
    """``value`` in ``inp``'s evidence form (a checklist's ticked items become its
    mapping), or a :class:`UsageError` naming ``where``."""
    from ..dsl import normalize_value

    try:
        plain = normalize_value(value, where=where)
    except TaqyeemError as exc:
        raise UsageError(f"{where}: {exc.message}", code="usage.assume", hint=_form_hint(inp)) from None
    v = written_value(inp, plain)
    if not input_type(inp).ok(inp, v):
        raise UsageError(
            f"{where}: {flow_text(plain)} is not a valid value of input `{inp.id}` ({inp.type}) in guide {guide.edition}",
            code="usage.assume", hint="give " + _form_hint(inp),
        )
    return v


def check_assumptions(assume: Mapping[str, Any], guides: tuple[Guide, ...]) -> dict[str, Any]:
    """The caller's assumptions, each input known to one of ``guides`` (else a
    UsageError with the nearest id); values are checked where they are used."""
    known = {i.id for g in guides for i in g.inputs}
    for name in sorted(assume):
        if name not in known:
            editions = " or ".join(g.edition for g in guides)
            raise UsageError(f"--assume {name}: `{name}` is not an input of guide {editions}", code="usage.assume",
                             hint=did_you_mean(name, sorted(known)) or "assume a value for an input a guide reads")
    return dict(assume)


# ---- planning per guide --------------------------------------------------------------------


def input_keys(ev: Evidence) -> frozenset[str]:
    """The inputs an evidence gives (kept with it: impact asks for each guide)."""
    found = ev.memo.input_keys
    if found is None:
        found = ev.memo.input_keys = frozenset(ev.inputs)
    return found


def _shape_key(inp: Input) -> tuple[Any, ...]:
    """What makes a value of one guide's input a value of another's (type, items)."""
    return (inp.type, inp.of, tuple(i.id for i in inp.items))


@attrs.frozen
class Plan:
    """How one shape of evidence (model, edition, inputs given) is read under a guide:
    the guide variant to score with (forced criteria), values to add, inputs to drop,
    the assumptions and notes used."""

    guide: Guide
    values: tuple[tuple[str, Any], ...]
    drop: tuple[str, ...]
    assumptions: tuple[str, ...]
    notes: tuple[str, ...]
    unresolved: tuple[str, ...]


class Planner:
    """Resolves, for one guide (``guide``; ``later`` when it is the later edition of
    the pair, whose ``past:`` applies), every lacking input of evidence of the other
    guide ``other``."""

    def __init__(self, guide: Guide, other: Guide, *, later: bool, assume: Mapping[str, Any],
                 assume_missing: str | None) -> None:
        self.guide = guide
        self.other = other
        self.later = later
        self.assume = assume
        self.assume_missing = assume_missing
        self.plans: dict[tuple[Any, ...], Plan] = {}
        self.variants: dict[tuple[Any, ...], Guide] = {}
        #: Assumptions used, by input (centre counts kept separately).
        self.used: dict[str, Assumption] = {}
        self.counts: dict[str, int] = {}
        self.note_counts: dict[str, int] = {}
        self.unresolved: dict[str, list[str]] = {}  # input → centres
        self._values: dict[str, Any] = {}

    def plan(self, ev: Evidence) -> Plan | None:
        """The plan for ``ev`` (None when it needs nothing: evidence of this guide's
        edition, or of an edition whose inputs all fit)."""
        if self.guide.fingerprint in ev.memo.valid_for or (
                ev.edition == self.guide.edition and self.guide.edition != self.other.edition):
            return None
        given = input_keys(ev)
        key = (ev.model, given)
        found = self.plans.get(key)
        if found is None:
            found = self.plans[key] = self._make(ev.model, given)
        for k in found.assumptions:
            self.counts[k] = self.counts.get(k, 0) + 1
        for k in found.notes:
            self.note_counts[k] = self.note_counts.get(k, 0) + 1
        for k in found.unresolved:
            self.unresolved.setdefault(k, []).append(ev.centre_id)
        return found

    def _shape(self, model_id: str) -> tuple[Model, tuple[Input, ...], frozenset[str], frozenset[str]] | None:
        """(model, inputs it reads, those the other guide has with another type or items,
        those the other guide's model reads), once per model."""
        key = f"shape:{model_id}"
        found = self._values.get(key)
        if found is None:
            g, h = self.guide, self.other
            model = g.model(model_id)
            if model is None:
                return None
            h_model = h.model(model_id)
            reads = model_inputs(g, model)
            retyped = frozenset(i.id for i in reads if (t := h.input(i.id)) is not None and _shape_key(t) != _shape_key(i))
            h_reads = frozenset(i.id for i in model_inputs(h, h_model)) if h_model is not None else frozenset()
            found = self._values[key] = (model, reads, retyped, h_reads)
        return found

    def _make(self, model_id: str, given: frozenset[str]) -> Plan:
        g = self.guide
        shape = self._shape(model_id)
        if shape is None:  # the impact reports it per centre
            return Plan(g, (), (), (), (), ())
        model, reads, retyped, h_reads = shape
        lacking: list[tuple[Input, str]] = []
        for inp in reads:
            if inp.id in retyped and inp.id in given:
                lacking.append((inp, "retyped"))
            elif inp.id not in given and inp.id not in h_reads:
                lacking.append((inp, "added"))
        # inputs this guide does not declare: never read under it (a note says so)
        notes = tuple(sorted(i for i in given if g.input(i) is None))
        values: list[tuple[str, Any]] = []
        drop: list[str] = []
        forced: dict[str, str] = {}  # criterion → not_applicable | lowest
        used: list[str] = []
        unresolved: list[str] = []
        for inp, reason in lacking:
            if reason == "retyped":
                drop.append(inp.id)
            how, source, value = self._resolve(inp, reason)
            if how is None:
                unresolved.append(inp.id)
                continue
            readers = tuple(c.id for c in model.criteria() if inp.id in c.reads())
            if how == "value":
                values.append((inp.id, value))
            elif how in ("not_applicable", "lowest"):
                for cid in readers:
                    if forced.get(cid) != "not_applicable":
                        forced[cid] = how
            self._record(inp, reason, how, source, value, readers, model)
            used.append(inp.id)
        variant = self._variant(model, forced, {inp.id for inp, _ in lacking}) if lacking else g
        return Plan(variant, tuple(values), tuple(drop), tuple(used), notes, tuple(unresolved))

    def _resolve(self, inp: Input, reason: str) -> tuple[str | None, str, Any]:
        if inp.id in self.assume:
            value = self._values.get(inp.id)
            if value is None:
                value = self._values[inp.id] = checked_value(inp, self.assume[inp.id], self.guide,
                                                             f"--assume {inp.id}")
            return "value", "assume", value
        if self.later and inp.past is not None:
            if inp.past.not_applicable:
                return "not_applicable", "past", None
            return "value", "past", inp.past.value
        if self.assume_missing is not None:
            return self.assume_missing, "assume-missing", None
        if not inp.required and reason == "added":
            return "absent", "optional", None
        return None, "", None

    def _record(self, inp: Input, reason: str, how: str, source: str, value: Any, readers: tuple[str, ...],
                model: Model) -> None:
        old = self.used.get(inp.id)
        criteria = tuple(sorted({*(old.criteria if old else ()), *readers}))
        points = old.points if old else ()
        if how == "lowest":
            known = {c for c, _, _ in points}
            extra = tuple(lowest_points(c, self.guide) for c in model.criteria() if c.id in readers and c.id not in known)
            points = tuple(sorted({(c, p, w) for c, p, w in (*points, *extra)}))
        self.used[inp.id] = Assumption(self.guide.edition, inp.id, reason, how, source, value, criteria, points)

    def _variant(self, model: Model, forced: Mapping[str, str], lacking: set[str]) -> Guide:
        """The guide with ``forced`` criteria not applicable or at their lowest points,
        and the lacking inputs optional (the evidence may not give them)."""
        key = (model.id, tuple(sorted(forced.items())), tuple(sorted(lacking)))
        found = self.variants.get(key)
        if found is not None:
            return found
        g = self.guide
        models = []
        for m in g.models:
            if m.id != model.id:
                models.append(m)
                continue
            cats = []
            for cat in m.categories:
                crits = tuple(_forced(c, forced.get(c.id), g) for c in cat.criteria)
                cats.append(attrs.evolve(cat, criteria=crits))
            models.append(attrs.evolve(m, categories=tuple(cats)))
        inputs = tuple(attrs.evolve(i, required=False) if i.id in lacking else i for i in g.inputs)
        found = self.variants[key] = attrs.evolve(g, models=tuple(models), inputs=inputs)
        found.memo.check_memo = g.memo.check_memo if g.memo.check_memo is not None else {}
        return found

    def assumptions(self) -> list[Assumption]:
        return [attrs.evolve(a, centres=self.counts.get(k, 0)) for k, a in sorted(self.used.items())
                if self.counts.get(k, 0)]

    def notes(self) -> list[InputNote]:
        return [InputNote(self.guide.edition, k, c) for k, c in sorted(self.note_counts.items())]


def lowest_points(c: Criterion, guide: Guide) -> tuple[str, Decimal, str]:
    """(criterion, the lowest points it can attain, ``attainable`` or ``scale``)."""
    kind = c.kind_object
    found = kind.attainable(c.params, guide) if kind is not None else None
    if found:
        return c.id, min(found), "attainable"
    return c.id, guide.points.min, "scale"


def _forced(c: Criterion, how: str | None, guide: Guide) -> Criterion:
    if how == "not_applicable":
        return attrs.evolve(c, applicable=Expr(n.Bool(False), "false"))
    if how == "lowest":
        _, points, _ = lowest_points(c, guide)
        text = format_number(points)
        return attrs.evolve(c, kind="expression", params=ExpressionParams(Expr(n.Num(points), text)),
                            applicable=None, missing="error")
    return c


def missing_inputs_error(planners: list[Planner], total: int) -> MissingInputsError:
    """The error of an impact whose evidence lacks inputs nothing resolves."""
    diags = []
    names = []
    for p in planners:
        for input_id, centres in sorted(p.unresolved.items()):
            inp = p.guide.input(input_id)
            assert inp is not None
            names.append(input_id)
            readers = sorted({c.id for m in p.guide.models for c in m.criteria() if input_id in c.reads()})
            theirs = p.other.input(input_id)
            why = (f"edition {p.other.edition} has it as a {theirs.type}" if theirs is not None
                   else f"edition {p.other.edition} does not have it")
            shown = ", ".join(centres[:3]) + (f" and {len(centres) - 3} more" if len(centres) > 3 else "")
            diags.append(Diagnostic(
                "impact.missing-input",
                f"guide {p.guide.edition} reads `{input_id}` ({inp.type}, read by {', '.join(readers)}); {why}: "
                f"{len(centres)} of {total} centre(s) lack it ({shown})",
                None,
                f"--assume {input_id}=VALUE gives every such centre a value: " + _form_hint(inp),
            ))
    first = names[0]
    options = (
        f"options: --assume {first}=VALUE (a value for every centre, in the input's evidence form); "
        "--assume-missing not_applicable (each criterion reading such an input is not applicable, its weight "
        "shared out); --assume-missing lowest (each such criterion gets the lowest points it can attain); "
        "or give the input `past:` in the guide that adds it"
    )
    count = len(diags)
    return MissingInputsError(
        f"the evidence lacks {count} input(s) that a guide reads, and nothing says how to read them: "
        + ", ".join(f"`{x}`" for x in names),
        hint=options,
        diagnostics=diags,
    )
