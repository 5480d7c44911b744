"""Amendment locality: ``taqyeem verify NEW --against OLD``.

An edition written as amendments of an older one should change what its amendments
name, and nothing else:

- **diff**: the diff of the two guides (:func:`~taqyeem_rules.engine.diff.diff_guides`)
  lists exactly the elements the amendments name — an element the diff shows that no
  amendment names, or an element an amendment names that did not change, is a finding;
- **locality**: a criterion whose own definition (kind, params, ``applicable``,
  ``missing``) is the same in both editions keeps exactly its *points* on every
  generated evidence. When no amendment changed the inputs it reads either, any
  difference is a finding; when an amendment changed one of them (a *shared* input) and
  no amendment names the criterion itself, a difference is a finding too — the
  amendment changes a criterion silently. Its *contribution* may legitimately move with a
  reweight: that is reported as a note. An amendment of ``numbers`` or ``points`` is
  global: it is reported as such, and points are not compared criterion by criterion.

Evidence is generated for the new edition and read by the old one through
:func:`old_evidence`: inputs the old model reads are taken from it when the old guide
admits the value; the others (removed, retyped or re-ranged inputs) are filled with
values drawn from the old guide's own declarations — an assumption the report states.
No compared criterion reads a filled input. (That one function is the place where the
what-if rules of an edition, ``past:`` and ``--assume``, will supply the old values.)
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ..errors import EvidenceError, ScoringError, TaqyeemError
from ..guide.evidence import model_inputs
from ..guide.guide import Guide
from ..guide.inputs import input_type
from ..guide.model import Criterion, Model
from ..guide.serialize import criterion_form, input_data
from ..source import Span
from .diff import diff_guides
from .verify import Counterexample, Finding, Probe, run_property

__all__ = ["AmendmentNames", "CriterionPlan", "LocalityPlan", "old_evidence", "plan_locality", "run_locality"]

Key = tuple[str, str | None, str]


@attrs.frozen
class AmendmentNames:
    """The elements one amendment names: ``direct`` (what it operates on), ``covers``
    (what it adds or removes along with them: a category's criteria, a model's everything)
    and ``moves`` (the lists it reorders)."""

    id: str
    op: str
    direct: frozenset[Key]
    covers: frozenset[Key] = frozenset()
    moves: frozenset[tuple[str, str | None]] = frozenset()
    span: Span | None = attrs.field(default=None, eq=False)
    path: str | None = None

    def names(self, key: Key) -> bool:
        return key in self.direct or key in self.covers


@attrs.frozen
class CriterionPlan:
    """A criterion of both editions whose own definition is the same: compared point for
    point. ``inputs`` are the inputs it reads that an amendment changed (with the
    amendments that name each); ``named_by`` the amendments that name the criterion."""

    id: str
    reads: frozenset[str]
    inputs: tuple[tuple[str, tuple[str, ...]], ...] = ()
    named_by: tuple[str, ...] = ()


@attrs.frozen
class LocalityPlan:
    """What :func:`plan_locality` decided from the two guides alone."""

    new: Guide
    old: Guide
    amended: bool
    amendments: tuple[AmendmentNames, ...]
    global_by: tuple[str, ...]
    models: tuple[Model, ...]
    compared: Mapping[str, tuple[CriterionPlan, ...]]
    changed: Mapping[str, tuple[tuple[str, tuple[str, ...]], ...]]
    diff_findings: tuple[Finding, ...]
    notes: tuple[Finding, ...]


# ---- what amendments name ------------------------------------------------------------------


def _model_of_criterion(cid: str, *guides: Guide) -> str | None:
    for g in guides:
        found = g.criterion(cid)
        if found is not None:
            return found[0].id
    return None


def _category_criteria(model: str, cat: str, *guides: Guide) -> set[Key]:
    out: set[Key] = set()
    for g in guides:
        m = g.model(model)
        c = m.category(cat) if m is not None else None
        if c is not None:
            out |= {("criterion", None, x.id) for x in c.criteria}
    return out


def _model_contents(model: str, *guides: Guide) -> set[Key]:
    out: set[Key] = set()
    for g in guides:
        m = g.model(model)
        if m is None:
            continue
        out |= {("category", model, c.id) for c in m.categories}
        out |= {("criterion", None, c.id) for c in m.criteria()}
        out |= {("tier", model, t.id) for t in m.tiers}
        out |= {("flag", model, f.id) for f in m.flags}
    return out


def amendment_names(amendment: Mapping[str, Any], old: Guide, new: Guide) -> AmendmentNames:
    """What one amendment (as data) names."""
    from ..guide.amend import OPERATIONS

    op_name = next(k for k in amendment if k in OPERATIONS)
    op = amendment[op_name]
    ident = str(amendment.get("id", "?"))
    direct: set[Key] = set()
    covers: set[Key] = set()
    moves: set[tuple[str, str | None]] = set()
    model = op.get("model") if isinstance(op, Mapping) else None
    for name in (op.get("weights") or {}) if isinstance(op, Mapping) else ():
        direct.add(("category", model, name))
    if op_name in ("add_input", "remove_input", "change_input", "move_input"):
        direct.add(("input", None, op["input"]["id"] if op_name == "add_input" else op["id"]))
        if op_name == "move_input":
            moves.add(("input", None))
    elif op_name in ("add_category", "remove_category", "move_category"):
        cat = op["category"]["id"] if op_name == "add_category" else op["id"]
        direct.add(("category", model, cat))
        if op_name == "add_category":
            covers |= {("criterion", None, c["id"]) for c in op["category"].get("criteria", [])}
        elif op_name == "remove_category":
            covers |= _category_criteria(model, cat, old)
        else:
            moves.add(("category", model))
    elif op_name in ("add_criterion", "remove_criterion", "replace_criterion", "change_criterion",
                     "move_criterion", "reweight_criterion"):
        cid = op["criterion"]["id"] if op_name == "add_criterion" else op["id"]
        direct.add(("criterion", None, cid))
        if op_name == "replace_criterion":
            direct.add(("criterion", None, op["criterion"]["id"]))
        if op_name == "move_criterion":
            moves.add(("criterion", model or _model_of_criterion(cid, new, old)))
    elif op_name in ("add_tier", "remove_tier", "change_tier", "move_tier"):
        direct.add(("tier", model, op["tier"]["id"] if op_name == "add_tier" else op["id"]))
        if op_name == "move_tier":
            moves.add(("tier", model))
    elif op_name in ("add_flag", "remove_flag", "change_flag", "move_flag"):
        direct.add(("flag", model, op["flag"]["id"] if op_name == "add_flag" else op["id"]))
        if op_name == "move_flag":
            moves.add(("flag", model))
    elif op_name == "relabel":
        if "input" in op:
            direct.add(("input", None, op["input"]))
        elif "criterion" in op:
            direct.add(("criterion", None, op["criterion"]))
        else:
            for what in ("category", "tier", "flag"):
                if what in op:
                    direct.add((what, model, op[what]))
                    break
            else:
                direct.add(("model", None, model))
    elif op_name in ("change_numbers", "change_points"):
        what = op_name.removeprefix("change_")
        direct.add((what, None, what))
    elif op_name in ("add_model", "remove_model"):
        direct.add(("model", None, model))
        covers |= _model_contents(model, old, new)
    return AmendmentNames(ident, op_name, frozenset(direct), frozenset(covers), frozenset(moves))


def _edit_key(edit: Any) -> Key:
    if edit.what == "item":
        return ("input", None, edit.id.split(".", 1)[0])
    if edit.what in ("input", "criterion", "numbers", "points", "model"):
        return (edit.what, None, edit.id)
    return (edit.what, edit.model, edit.id)


def _move_container(edit: Any) -> tuple[str, str | None]:
    if edit.what == "input":
        return ("input", None)
    return (edit.what, edit.model)


_WHAT_WORDS = {"input": "input", "criterion": "criterion", "category": "category", "tier": "tier",
               "flag": "flag", "model": "model", "numbers": "numbers", "points": "points scale"}


def _diff_findings(old: Guide, new: Guide, names: Sequence[AmendmentNames]) -> list[Finding]:
    """The diff lists exactly the elements the amendments name."""
    diff = diff_guides(old, new)
    out: list[Finding] = []
    seen: set[Key] = set()
    moved: set[tuple[str, str | None]] = set()
    for edit in diff:
        key = _edit_key(edit)
        if edit.kind == "moved":
            moved.add(_move_container(edit))
        seen.add(key)
        covered = any(a.names(key) for a in names) or (
            edit.kind == "moved" and any(_move_container(edit) in a.moves for a in names))
        if not covered:
            span, path = _element_where(key, new, old)
            out.append(Finding.of("diff", "verify.names.extra", model=key[1], span=span, path=path,
                                  element=_WHAT_WORDS.get(key[0], key[0]), id=key[2], change=edit.kind))
    for a in names:
        for key in sorted(a.direct, key=lambda k: (k[0], k[1] or "", k[2])):
            if key in seen or (a.moves and a.moves & moved):
                continue
            out.append(Finding.of("diff", "verify.names.missing", model=key[1], span=a.span, path=a.path,
                                  amendment=a.id, element=_WHAT_WORDS.get(key[0], key[0]), id=key[2]))
    return out


def _element_where(key: Key, *guides: Guide) -> tuple[Span | None, str | None]:
    what, model, ident = key
    for g in guides:
        if what == "input":
            inp = g.input(ident)
            if inp is not None:
                return inp.span, inp.path
        elif what == "criterion":
            found = g.criterion(ident)
            if found is not None:
                return found[2].span, found[2].path
        elif model is not None and g.model(model) is not None:
            m = g.model(model)
            assert m is not None
            items = {"category": m.categories, "tier": m.tiers, "flag": m.flags}.get(what, ())
            for item in items:
                if item.id == ident:
                    return item.span, item.path
    return None, what


def _amendment_spans(new: Guide) -> list[tuple[Span | None, str]]:
    """Where each amendment of ``new`` is written (its operation's key)."""
    from ..guide.amend import OPERATIONS
    from ..guide.schema import path_text
    from ..guide.yamlio import load_document

    out: list[tuple[Span | None, str]] = []
    doc = None
    if new.source is not None and new.source.text:
        try:
            doc = load_document(new.source.text, new.source.name)
        except TaqyeemError:
            doc = None
    for k, a in enumerate(new.amendments):
        op = next((key for key in a if key in OPERATIONS), "")
        path = ("amendments", k, op)
        out.append((doc.key_span(path) if doc is not None else None, path_text(path)))
    return out


def _core(g: Guide) -> dict[str, Any]:
    data = g.to_canonical()
    return {k: data[k] for k in ("numbers", "points", "inputs", "models")}


def _amends(new: Guide, old: Guide) -> bool:
    """Whether ``new``'s amendments, applied to ``old``, give ``new``."""
    if not new.amendments:
        return False
    from ..guide.amend import apply_amendments

    try:
        again = apply_amendments(old, list(new.amendments))
    except TaqyeemError:
        return False
    return _core(again) == _core(new)


# ---- what is compared ------------------------------------------------------------------------


def _own(c: Criterion) -> dict[str, Any]:
    """A criterion's own definition: how its points arise and when it applies."""
    return {"form": criterion_form(c, canonical=True), "kind": c.kind,
            "applicable": c.applicable.canonical if c.applicable is not None else None, "missing": c.missing}


_DECLARATION_NOTES = ("label", "description", "better")


def _declaration(g: Guide, ident: str) -> dict[str, Any] | None:
    inp = g.input(ident)
    if inp is None:
        return None
    data = input_data(inp, canonical=True)
    for key in _DECLARATION_NOTES:
        data.pop(key, None)
    if "items" in data:
        data["items"] = [it["id"] for it in data["items"]]
    return data


def plan_locality(new: Guide, old: Guide) -> LocalityPlan:
    """Decide, from the guides alone, what the locality run compares (and the ``diff``
    property's findings)."""
    amended = _amends(new, old)
    names: list[AmendmentNames] = []
    notes: list[Finding] = []
    if amended:
        for (span, path), a in zip(_amendment_spans(new), new.amendments, strict=True):
            names.append(attrs.evolve(amendment_names(a, old, new), span=span, path=path))
    else:
        notes.append(Finding.of("locality", "verify.note.not-amendments", severity="note", new=new.edition,
                                old=old.edition))
    global_by = tuple(a.id for a in names if a.op in ("change_numbers", "change_points"))
    if not amended and (_core(new)["numbers"] != _core(old)["numbers"] or _core(new)["points"] != _core(old)["points"]):
        global_by = ("(numbers)",)
    if global_by:
        notes.append(Finding.of("locality", "verify.note.global", severity="note", amendments=", ".join(global_by)))
    models = tuple(m for m in new.models if old.model(m.id) is not None)
    compared: dict[str, tuple[CriterionPlan, ...]] = {}
    changed: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {}
    for m in models:
        om = old.model(m.id)
        assert om is not None
        olds = {c.id: c for c in om.criteria()}
        plans, moved = [], []
        for c in m.criteria():
            before = olds.get(c.id)
            if before is None:
                continue
            named_by = tuple(a.id for a in names if a.names(("criterion", None, c.id)))
            if _own(before) != _own(c):
                moved.append((c.id, named_by))
                continue
            reads = set(c.reads()) | set(before.reads())
            inputs = tuple(
                (x, tuple(a.id for a in names if a.names(("input", None, x))))
                for x in sorted(reads) if _declaration(old, x) != _declaration(new, x)
            )
            plans.append(CriterionPlan(c.id, frozenset(reads), inputs, named_by))
        compared[m.id] = tuple(plans)
        changed[m.id] = tuple(moved)
        if moved:
            notes.append(Finding.of("locality", "verify.note.changed", model=m.id, severity="note",
                                    criteria=", ".join(f"{cid} ({', '.join(by) or '—'})" for cid, by in moved)))
    diff_findings = tuple(_diff_findings(old, new, names)) if amended else ()
    return LocalityPlan(new, old, amended, tuple(names), global_by, models if not global_by else (), compared,
                        changed, diff_findings, tuple(notes))


# ---- reading new evidence with the old guide --------------------------------------------------


def old_evidence(evidence: Mapping[str, Any], fill: Mapping[str, Any], old: Guide, model: Model
                 ) -> tuple[dict[str, Any], tuple[str, ...]]:
    """The evidence of a centre under the new edition, as the old edition reads it, and
    the inputs that had to be assumed. An input the old model reads is taken from
    ``evidence`` when the old guide admits its value (absent is admitted when the old
    guide has it optional); otherwise it is taken from ``fill`` — evidence drawn from the
    old guide's own declarations — and named in the second value."""
    given = evidence["inputs"]
    inputs: dict[str, Any] = {}
    filled: list[str] = []
    for inp in model_inputs(old, model):
        value = given.get(inp.id)
        if value is None and not inp.required:
            continue
        if value is not None and input_type(inp).ok(inp, value):
            inputs[inp.id] = value
            continue
        filled.append(inp.id)
        if fill["inputs"].get(inp.id) is not None:
            inputs[inp.id] = fill["inputs"][inp.id]
    data = {"centre": dict(evidence["centre"]), "model": model.id, "edition": old.edition, "inputs": inputs}
    return data, tuple(filled)


@attrs.define
class _Tally:
    examples: int = 0
    contributions: set[str] = attrs.field(factory=set)
    filled: set[str] = attrs.field(factory=set)


def run_locality(plan: LocalityPlan, model: Model, *, seed: int, max_examples: int
                 ) -> tuple[list[Finding], int, list[Finding]]:
    """Compare the points of the criteria of :attr:`LocalityPlan.compared` under both
    editions on generated evidence: (findings, examples, notes)."""
    from hypothesis import strategies as st

    from ..guide.generate import evidence_strategy
    from .score import score

    new, old = plan.new, plan.old
    old_model = old.model(model.id)
    assert old_model is not None
    plans = {p.id: p for p in plan.compared.get(model.id, ())}
    tally = _Tally()
    strategy = st.tuples(evidence_strategy(new, model), evidence_strategy(old, old_model))

    def body(drawn: Any, probe: Probe) -> None:
        ev, fill = drawn
        ev = {"centre": dict(ev["centre"]), "model": ev["model"], "edition": ev["edition"],
              "inputs": dict(ev["inputs"])}
        try:
            r_new = score(new, ev, trace=True)
        except (ScoringError, EvidenceError):
            return  # reported by the new edition's own `scoring` property
        data, filled = old_evidence(ev, fill, old, old_model)
        try:
            r_old = score(old, data, trace=True, other_edition=True)
        except (ScoringError, EvidenceError):
            return
        counting = probe.focus is None
        if counting:
            tally.filled.update(filled)
        a = {c.id: c for c in r_old.criteria}
        b = {c.id: c for c in r_new.criteria}
        for cid, p in plans.items():
            if not probe.wants(cid) or p.reads & set(filled):
                continue
            x, y = a[cid], b[cid]
            if (x.status, x.points) != (y.status, y.points):
                if p.inputs and p.named_by:
                    continue  # named by an amendment: its change is intended
                found = new.criterion(cid)
                crit = found[2] if found is not None else None
                example = Counterexample(ev, data, "old", filled, focus=tuple(sorted(p.reads)))
                common = {"criterion": cid, "old": x.points, "new": y.points, "old_status": x.status,
                          "new_status": y.status, "old_edition": old.edition, "new_edition": new.edition}
                if not p.inputs:
                    probe.fail(cid, Finding.of("locality", "verify.locality.untouched", model=model.id,
                                               span=crit.span if crit else None, path=crit.path if crit else None,
                                               counterexample=example, **common))
                inputs = ", ".join(x for x, _ in p.inputs)
                by = ", ".join(dict.fromkeys(a_ for _, ids in p.inputs for a_ in ids)) or "—"
                probe.fail(cid, Finding.of("locality", "verify.locality.shared", model=model.id,
                                           span=crit.span if crit else None, path=crit.path if crit else None,
                                           counterexample=example, input=inputs, amendment=by, **common))
            elif counting and x.contribution != y.contribution:
                tally.contributions.add(cid)
        if counting:
            tally.examples += 1

    findings, probe = run_property(strategy, body, sorted(plans), seed=seed, max_examples=max_examples)
    examples = probe.examples
    notes: list[Finding] = []
    failed = {f.mapping().get("criterion") for f in findings}
    kept = [p for p in plans.values() if p.id not in failed]
    notes.append(Finding.of("locality", "verify.note.locality", model=model.id, severity="note",
                            compared=len(kept), examples=examples))
    if tally.contributions:
        reweights = [a.id for a in plan.amendments if a.op in (
            "reweight_categories", "reweight_criterion", "add_criterion", "remove_criterion", "add_category",
            "remove_category", "move_criterion") and _in_model(a, model.id, new, old)]
        notes.append(Finding.of("locality", "verify.note.contributions", model=model.id, severity="note",
                                count=len(tally.contributions), amendments=", ".join(reweights) or "—"))
    for p in kept:
        if p.inputs and not p.named_by:
            notes.append(Finding.of("locality", "verify.note.shared-unmoved", model=model.id, severity="note",
                                    criterion=p.id, input=", ".join(x for x, _ in p.inputs),
                                    amendment=", ".join(dict.fromkeys(a for _, ids in p.inputs for a in ids)) or "—",
                                    examples=examples))
    if tally.filled:
        notes.append(Finding.of("locality", "verify.note.filled", model=model.id, severity="note",
                                inputs=", ".join(sorted(tally.filled)), old_edition=old.edition,
                                new_edition=new.edition))
    return findings, examples, notes


def _in_model(a: AmendmentNames, model: str, *guides: Guide) -> bool:
    for what, m, ident in a.direct | a.covers:
        if what == "criterion":
            if _model_of_criterion(ident, *guides) == model:
                return True
        elif m == model:
            return True
    return False
