"""The amendments that turn one guide into another: the inverse of :mod:`.amend`.

:func:`diff_to_amendments` plans the ordered list of amendments (data in the
documented format, see docs/guide-format.md, "Amendments") that turns one guide into
the other. The guide is checked after every amendment, so the order is planned:
inputs are added before the criteria that read them and removed after, category
additions and removals carry ``weights`` that keep every intermediate sum at 100,
criteria that read an input whose type or range changes are parked on a constant
placeholder while the input changes, and tiers are rearranged so that none is ever
unreachable on the way. The elements are written in the guide's file form
(:mod:`.serialize`); ``taqyeem diff --format amendments`` prints the plan as YAML.
"""

from __future__ import annotations

import bisect
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..dsl import nodes as n
from ..dsl.numbers import canonical, in_analysis_context
from .checks import unreachable_tier
from .guide import Guide
from .model import MODEL_IDS, Criterion, Expr, Flag, Input, Model, Points, Text, Tier
from .serialize import (
    category_data,
    criterion_data,
    decimal_data,
    flag_data,
    input_data,
    model_data,
    numbers_data,
    points_data,
    text_data,
    tier_data,
)

__all__ = ["diff_to_amendments", "out_of_order"]


# ---- ordering ------------------------------------------------------------------------------


def _lis_keep(seq: Sequence[int]) -> set[int]:
    """Indices (into ``seq``) of one longest strictly increasing subsequence, O(n log n).

    Ties are broken towards the earliest elements, so the choice is deterministic."""
    tails: list[int] = []  # values
    tail_at: list[int] = []  # index into seq of each tail
    prev = [-1] * len(seq)
    for i, v in enumerate(seq):
        k = bisect.bisect_left(tails, v)
        if k == len(tails):
            tails.append(v)
            tail_at.append(i)
        else:
            tails[k] = v
            tail_at[k] = i
        prev[i] = tail_at[k - 1] if k > 0 else -1
    keep: set[int] = set()
    i = tail_at[-1] if tail_at else -1
    while i >= 0:
        keep.add(i)
        i = prev[i]
    return keep


def out_of_order(old_ids: Sequence[str], new_ids: Sequence[str]) -> list[str]:
    """Ids kept in both lists whose relative order changed (those outside one longest
    common subsequence of the kept ids), in the new order."""
    old_pos = {i: k for k, i in enumerate(old_ids)}
    kept = [i for i in new_ids if i in old_pos]
    keep = _lis_keep([old_pos[i] for i in kept])
    return [i for k, i in enumerate(kept) if k not in keep]


def _expr_node(e: Expr | None) -> n.Node | None:
    return None if e is None else e.node


def _expr_text(e: Expr | None) -> str | None:
    return None if e is None else e.canonical


# ---- the plan ----------------------------------------------------------------------------------


def _reads(c: Criterion) -> set[str]:
    return set(c.reads())


def _result_refs(e: Expr | None) -> tuple[set[str], set[str], bool]:
    """The categories and criteria a tier gate or flag names, and whether it reads basic attainment."""
    cats: set[str] = set()
    crits: set[str] = set()
    if e is None:
        return cats, crits, False
    for node in n.walk(e.node):
        if isinstance(node, n.Path) and isinstance(node.base, n.Name):
            if node.base.name == "categories":
                cats.add(node.member)
            elif node.base.name == "criteria":
                crits.add(node.member)
    return cats, crits, "basic_attainment" in n.free_names(e.node)


def _lasting(e: Expr | None, cats: set[str], crits: set[str], basic_ok: bool) -> bool:
    """Whether a tier gate or flag keeps resolving while the guide changes."""
    c, k, basic = _result_refs(e)
    return c <= cats and k <= crits and (basic_ok or not basic)


def _tiers_valid(tiers: Sequence[Tier]) -> bool:
    """The guide checks' reachability rule (checks.unreachable_tier), on a list of tiers."""
    return all(unreachable_tier(tiers, k) is None for k in range(len(tiers)))


def _split_100(ids: Sequence[str]) -> dict[str, Decimal]:
    """Positive weights summing to exactly 100 (nearly equal; integers when possible)."""
    count = len(ids)
    unit = Decimal(1)
    while Decimal(100) / unit < count:
        unit /= 10
    whole = int(Decimal(100) / unit)
    base, extra = divmod(whole, count)
    return {i: decimal_data(Decimal(base + (1 if k < extra else 0)) * unit) for k, i in enumerate(ids)}


_HARMLESS_INPUT_FIELDS = {"label", "unit", "source", "description", "past", "better"}


@attrs.define
class _SimCategory:
    id: str
    weight: Decimal
    label: Text
    criteria: list[str]


@attrs.define
class _SimModel:
    id: str
    label: Text
    categories: list[_SimCategory]
    tiers: list[Tier]
    flags: list[Flag]

    def category(self, cid: str) -> _SimCategory:
        return next(c for c in self.categories if c.id == cid)

    def home(self, crit: str) -> _SimCategory:
        return next(c for c in self.categories if crit in c.criteria)


class _Planner:
    """Plans the amendments, keeping a light simulation of the guide being amended."""

    def __init__(self, old: Guide, new: Guide) -> None:
        self.old, self.new = old, new
        self.ops: list[tuple[str, dict[str, Any], str]] = []
        self.inputs: list[Input] = list(old.inputs)
        self.points: Points = old.points
        self.models: dict[str, _SimModel] = {
            m.id: _SimModel(
                m.id, m.label,
                [_SimCategory(c.id, c.weight, c.label, [x.id for x in c.criteria]) for c in m.categories],
                list(m.tiers), list(m.flags),
            )
            for m in old.models
        }
        #: The current definition of every criterion (a Criterion, or placeholder data).
        self.crit: dict[str, Criterion | dict[str, Any]] = {c.id: c for m in old.models for c in m.criteria()}
        self.final: dict[str, tuple[str, str, Criterion]] = {
            c.id: (m.id, cat.id, c) for m in new.models for cat in m.categories for c in cat.criteria
        }
        taken = set(self.crit) | set(self.final)
        taken |= {i.id for g in (old, new) for i in g.inputs}
        self.taken = taken
        self.counter = 0

    # ---- helpers ----------------------------------------------------------------------------

    def emit(self, op: str, body: dict[str, Any], why: str) -> None:
        self.ops.append((op, body, why))

    def fresh(self, stem: str) -> str:
        while True:
            self.counter += 1
            ident = f"{stem}_{self.counter}"
            if ident not in self.taken:
                self.taken.add(ident)
                return ident

    def placeholder(self, ident: str, label: Text, weight: Decimal, basic: bool) -> dict[str, Any]:
        return {"id": ident, "label": text_data(label), "weight": weight, "basic": basic,
                "missing": "error", "score": canonical(self.points.min)}

    @staticmethod
    def place(current: Sequence[str], final: Sequence[str], ident: str) -> dict[str, str]:
        """``after``/``before`` that puts ``ident`` next to its final neighbours."""
        present = set(current)
        k = final.index(ident)
        for prev in reversed(final[:k]):
            if prev in present:
                return {"after": prev}
        for nxt in final[k + 1 :]:
            if nxt in present:
                return {"before": nxt}
        return {}

    @staticmethod
    def insert(current: list[Any], item: Any, where: Mapping[str, str], key: Callable[[Any], str]) -> None:
        ids = [key(x) for x in current]
        if "after" in where:
            current.insert(ids.index(where["after"]) + 1, item)
        elif "before" in where:
            current.insert(ids.index(where["before"]), item)
        else:
            current.append(item)

    def reorder(self, current: list[Any], final_ids: Sequence[str], key: Callable[[Any], str],
                emit_move: Callable[[str, dict[str, str]], None]) -> None:
        """Move the elements out of order (outside one longest common subsequence)."""
        ids = [key(x) for x in current]
        moving = out_of_order(ids, final_ids)
        anchored = set(ids) - set(moving)  # in order already: the moves are placed among these
        for ident in moving:
            k = [key(x) for x in current].index(ident)
            item = current.pop(k)
            placed = [i for i in final_ids if i in anchored or i == ident]
            where = self.place([key(x) for x in current], placed, ident)
            self.insert(current, item, where, key)
            anchored.add(ident)
            emit_move(ident, where)

    # ---- the plan ------------------------------------------------------------------------------

    def run(self) -> list[tuple[str, dict[str, Any], str]]:
        old, new = self.old, self.new
        if numbers_data(old.numbers) != numbers_data(new.numbers):
            self.emit("change_numbers", {"set": numbers_data(new.numbers)}, "Change the arithmetic context and report rounding.")
        if old.points != new.points:
            lo, hi = min(old.points.min, new.points.min), max(old.points.max, new.points.max)
            if (lo, hi) != (old.points.min, old.points.max):
                self.emit("change_points", {"set": {"min": decimal_data(lo), "max": decimal_data(hi)}},
                          "Widen the points scale while criteria change.")
                self.points = attrs.evolve(self.points, min=lo, max=hi)
        self.clear_results()
        self.rename_across_models()
        changed_inputs = self.park_readers()
        self.inputs_in(changed_inputs)
        for mid in MODEL_IDS:
            if mid in self.models and new.model(mid) is not None:
                self.model(mid)
        for m in new.models:
            if m.id not in self.models:
                self.emit("add_model", {"model": m.id, "definition": model_data(m)}, f"Add the {m.id} model.")
                self.models[m.id] = _SimModel(m.id, m.label, [], [], [])
        for mid in list(self.models):
            if new.model(mid) is None:
                self.emit("remove_model", {"model": mid}, f"Remove the {mid} model.")
                del self.models[mid]
        self.inputs_out()
        if self.points != new.points:
            self.emit("change_points", {"set": points_data(new.points)}, "Set the points scale.")
            self.points = new.points
        self.reorder(self.inputs, [i.id for i in new.inputs], lambda i: i.id,
                     lambda ident, where: self.emit("move_input", {"id": ident, **where}, f"Reorder input `{ident}`."))
        return self.ops

    def clear_results(self) -> None:
        """Remove tier gates and flags that name something about to disappear."""
        new = self.new
        for mid, sm in self.models.items():
            mn = new.model(mid)
            old_m = self.old.model(mid)
            assert old_m is not None
            if mn is None:
                keep_cats = {c.id for c in old_m.categories}
                keep_crits = {c.id for c in old_m.criteria() if self.final.get(c.id, (mid,))[0] == mid}
                basic_ok = True
            else:
                keep_cats = {c.id for c in old_m.categories} & {c.id for c in mn.categories}
                keep_crits = {c.id for c in old_m.criteria()} & {c.id for c in mn.criteria()}
                basic_ok = any(c.basic for c in mn.criteria())
            final_tiers = {t.id for t in mn.tiers} if mn is not None else set()
            final_flags = {f.id for f in mn.flags} if mn is not None else set()

            lasting = (keep_cats, keep_crits, basic_ok)
            for t in list(sm.tiers):
                if (mn is not None and t.id not in final_tiers) or not _lasting(t.require, *lasting):
                    self.emit("remove_tier", {"model": mid, "id": t.id}, f"Remove tier `{t.id}` of the {mid} model.")
                    sm.tiers.remove(t)
            for f in list(sm.flags):
                if (mn is not None and f.id not in final_flags) or not _lasting(f.when, *lasting):
                    self.emit("remove_flag", {"model": mid, "id": f.id}, f"Remove flag `{f.id}` of the {mid} model.")
                    sm.flags.remove(f)

    def rename_across_models(self) -> None:
        """A criterion id that moves to another model: rename the old one out of the way."""
        for mid, sm in self.models.items():
            for cat in sm.categories:
                for k, cid in enumerate(cat.criteria):
                    target = self.final.get(cid)
                    if target is None or target[0] == mid:
                        continue
                    tmp = self.fresh(f"{cid}_old")
                    current = self.crit.pop(cid)
                    assert isinstance(current, Criterion)
                    data = {**criterion_data(current), "id": tmp}
                    self.emit("replace_criterion", {"id": cid, "criterion": data},
                              f"Criterion `{cid}` moves to the {target[0]} model: rename the old one.")
                    # Still the criterion (under its new id): if it reads an input that
                    # changes, park_readers parks it like any other.
                    self.crit[tmp] = attrs.evolve(current, id=tmp)
                    cat.criteria[k] = tmp

    def park_readers(self) -> set[str]:
        """Criteria reading an input whose type, range or other checked field changes are
        parked on a constant placeholder while the input changes."""
        new_inputs = {i.id: i for i in self.new.inputs}
        changed: set[str] = set()
        for i in self.old.inputs:
            j = new_inputs.get(i.id)
            if j is None or i == j:
                continue
            a, b = input_data(i), input_data(j)
            fields = {k for k in set(a) | set(b) if a.get(k) != b.get(k)}
            if fields - _HARMLESS_INPUT_FIELDS:
                changed.add(i.id)
        if not changed:
            return changed
        for sm in self.models.values():
            for cat in sm.categories:
                for cid in cat.criteria:
                    current = self.crit[cid]
                    if isinstance(current, Criterion) and _reads(current) & changed:
                        data = self.placeholder(cid, current.label, decimal_data(current.weight), current.basic)
                        self.emit("replace_criterion", {"id": cid, "criterion": data},
                                  f"Park criterion `{cid}` while the inputs it reads change.")
                        self.crit[cid] = data
        return changed

    def inputs_in(self, changed: set[str]) -> None:
        new = self.new
        final_ids = [i.id for i in new.inputs]
        for j in new.inputs:
            ids = [i.id for i in self.inputs]
            if j.id not in ids:
                where = self.place(ids, final_ids, j.id)
                self.emit("add_input", {"input": input_data(j), **where}, f"Add input `{j.id}`.")
                self.insert(self.inputs, j, where, lambda i: i.id)
        for k, i in enumerate(list(self.inputs)):
            j = new.input(i.id)
            if j is None or i == j:
                continue
            a, b = input_data(i), input_data(j)
            fields = sorted(k2 for k2 in set(a) | set(b) if a.get(k2) != b.get(k2))
            items_relabel = (
                fields == ["items"] or set(fields) == {"items", "label"}
            ) and [it.id for it in i.items] == [it.id for it in j.items]
            if fields == ["label"] or items_relabel:
                if i.label != j.label:
                    self.emit("relabel", {"input": i.id, "label": text_data(j.label)}, f"Relabel input `{i.id}`.")
                for x, y in zip(i.items, j.items):
                    if x.label != y.label:
                        self.emit("relabel", {"input": i.id, "item": x.id, "label": text_data(y.label)},
                                  f"Relabel item `{x.id}` of input `{i.id}`.")
            elif i.type != j.type:
                # a new type: a new input of the same id (its readers are parked)
                ids = [x.id for x in self.inputs]
                where = {"after": ids[k - 1]} if k > 0 else ({"before": ids[k + 1]} if k + 1 < len(ids) else {})
                self.emit("remove_input", {"id": i.id}, f"Input `{i.id}` changes type: remove it …")
                self.emit("add_input", {"input": input_data(j), **where}, f"… and add it back as a {j.type}.")
            else:
                spec = {f: b.get(f) for f in fields}
                self.emit("change_input", {"id": i.id, "set": spec}, f"Change input `{i.id}` ({', '.join(fields)}).")
            self.inputs[k] = j

    def inputs_out(self) -> None:
        final = {i.id for i in self.new.inputs}
        for i in list(self.inputs):
            if i.id not in final:
                self.emit("remove_input", {"id": i.id}, f"Remove input `{i.id}`, no longer read.")
                self.inputs.remove(i)

    # ---- one model --------------------------------------------------------------------------

    def model(self, mid: str) -> None:
        sm = self.models[mid]
        mn = self.new.model(mid)
        assert mn is not None
        final_cats = [c.id for c in mn.categories]
        final_weights = {c.id: decimal_data(c.weight) for c in mn.categories}
        final_members = {c.id: [x.id for x in c.criteria] for c in mn.categories}
        present = {cid for cat in sm.categories for cid in cat.criteria}
        added_cats = [c for c in mn.categories if c.id not in {x.id for x in sm.categories}]
        removed_cats = [c.id for c in sm.categories if c.id not in final_weights]
        placeholders: list[str] = []

        # new categories, with their new criteria (or a placeholder) and weights summing to 100
        for k, cat in enumerate(added_cats):
            crits = [criterion_data(c) for c in cat.criteria if c.id not in present]
            members = [c["id"] for c in crits]
            if not crits:
                tmp = self.fresh("placeholder")
                crits = [self.placeholder(tmp, Text("Placeholder", "عنصر مؤقت"), Decimal(1), False)]
                members = [tmp]
                placeholders.append(tmp)
            where = self.place([c.id for c in sm.categories], final_cats, cat.id)
            ids = [c.id for c in sm.categories] + [cat.id]
            last = k == len(added_cats) - 1 and not removed_cats
            weights = {i: final_weights[i] for i in ids} if last else _split_100(ids)
            self.emit("add_category", {"model": mid, "category": category_data(cat, crits), "weights": weights,
                                       **where}, f"Add category `{cat.id}` to the {mid} model.")
            self.insert(sm.categories, _SimCategory(cat.id, cat.weight, cat.label, members), where, lambda c: c.id)
            for c in sm.categories:
                c.weight = weights[c.id]
            for c in cat.criteria:
                if c.id not in present:
                    self.crit[c.id] = c
                    present.add(c.id)

        # new criteria in the categories that were already there
        for cat in mn.categories:
            for c in cat.criteria:
                if c.id in present:
                    continue
                target = sm.category(cat.id)
                where = self.place(target.criteria, final_members[cat.id], c.id)
                self.emit("add_criterion", {"model": mid, "category": cat.id, "criterion": criterion_data(c),
                                            **where}, f"Add criterion `{c.id}`.")
                self.insert(target.criteria, c.id, where, lambda x: x)
                self.crit[c.id] = c
                present.add(c.id)

        # criteria that change category (never leaving a category empty on the way)
        pending = [c.id for c in mn.criteria() if sm.home(c.id).id != self.final[c.id][1]]
        while pending:
            for cid in pending:
                if len(sm.home(cid).criteria) > 1:
                    break
            else:
                cid = pending[0]
                src = sm.home(cid)
                tmp = self.fresh("placeholder")
                self.emit("add_criterion", {
                    "model": mid, "category": src.id,
                    "criterion": self.placeholder(tmp, Text("Placeholder", "عنصر مؤقت"), Decimal(1), False),
                }, f"Hold category `{src.id}` open while its criteria move.")
                src.criteria.append(tmp)
                self.crit[tmp] = {}
                placeholders.append(tmp)
            pending.remove(cid)
            dest_id = self.final[cid][1]
            sm.home(cid).criteria.remove(cid)
            dest = sm.category(dest_id)
            where = self.place(dest.criteria, final_members[dest_id], cid)
            self.emit("move_criterion", {"id": cid, "category": dest_id, **where},
                      f"Move criterion `{cid}` to category `{dest_id}`.")
            self.insert(dest.criteria, cid, where, lambda x: x)

        # criteria whose definition changes (those becoming basic first)
        changes = []
        for c in mn.criteria():
            current = self.crit[c.id]
            if isinstance(current, Criterion) and criterion_data(current) == criterion_data(c):
                continue
            changes.append(c)
        changes.sort(key=lambda c: not c.basic)
        for c in changes:
            current = self.crit[c.id]
            if isinstance(current, Criterion):
                a, b = criterion_data(current), criterion_data(c)
                fields = {k for k in set(a) | set(b) if a.get(k) != b.get(k)}
            else:
                fields = {"definition"}  # a criterion new here: replaced as a whole
            if fields and fields <= {"weight", "label"}:
                if "weight" in fields:
                    self.emit("reweight_criterion", {"id": c.id, "weight": decimal_data(c.weight)},
                              f"Reweight criterion `{c.id}`.")
                if "label" in fields:
                    self.emit("relabel", {"criterion": c.id, "label": text_data(c.label)},
                              f"Relabel criterion `{c.id}`.")
            elif fields:
                self.emit("replace_criterion", {"id": c.id, "criterion": criterion_data(c)},
                          f"Replace criterion `{c.id}`.")
            self.crit[c.id] = c

        # criteria that go (the categories that go take theirs with them)
        gone_cats = set(removed_cats)
        for cat in sm.categories:
            if cat.id in gone_cats:
                continue
            for cid in list(cat.criteria):
                if cid not in final_members[cat.id]:
                    self.emit("remove_criterion", {"id": cid},
                              "Remove a temporary placeholder." if cid in placeholders else f"Remove criterion `{cid}`.")
                    cat.criteria.remove(cid)
                    self.crit.pop(cid, None)
        for k, cid in enumerate(removed_cats):
            rest = [c.id for c in sm.categories if c.id != cid]
            last = k == len(removed_cats) - 1
            weights = {i: final_weights[i] for i in rest} if last else _split_100(rest)
            self.emit("remove_category", {"model": mid, "id": cid, "weights": weights},
                      f"Remove category `{cid}` from the {mid} model.")
            gone = sm.category(cid)
            for x in gone.criteria:
                self.crit.pop(x, None)
            sm.categories.remove(gone)
            for c in sm.categories:
                c.weight = weights[c.id]

        changed_weights = {c.id: final_weights[c.id] for c in sm.categories if c.weight != final_weights[c.id]}
        if changed_weights:
            self.emit("reweight_categories", {"model": mid, "weights": changed_weights},
                      f"Reweight the categories of the {mid} model.")
            for c in sm.categories:
                c.weight = final_weights[c.id]

        self.reorder(sm.categories, final_cats, lambda c: c.id,
                     lambda ident, where: self.emit("move_category", {"model": mid, "id": ident, **where},
                                                    f"Reorder category `{ident}` of the {mid} model."))
        for cat in sm.categories:
            self.reorder(cat.criteria, final_members[cat.id], lambda x: x,
                         lambda ident, where: self.emit("move_criterion", {"id": ident, **where},
                                                        f"Reorder criterion `{ident}`."))
        for cat, fc in zip(sm.categories, mn.categories, strict=True):
            if cat.label != fc.label:
                self.emit("relabel", {"model": mid, "category": cat.id, "label": text_data(fc.label)},
                          f"Relabel category `{cat.id}` of the {mid} model.")
                cat.label = fc.label
        if sm.label != mn.label:
            self.emit("relabel", {"model": mid, "label": text_data(mn.label)}, f"Relabel the {mid} model.")
            sm.label = mn.label
        self.tiers(sm, mn)
        self.flags(sm, mn)

    def tiers(self, sm: _SimModel, mn: Model) -> None:
        mid = sm.id
        final = {t.id: t for t in mn.tiers}
        final_ids = [t.id for t in mn.tiers]
        readd: set[str] = set()

        def remove(t: Tier, why: str) -> None:
            self.emit("remove_tier", {"model": mid, "id": t.id}, why)
            sm.tiers.remove(t)

        for t in list(sm.tiers):
            if t.id not in final:
                remove(t, f"Remove tier `{t.id}` of the {mid} model.")
        for t in list(sm.tiers):
            f = final[t.id]
            if (t.min, _expr_node(t.require)) == (f.min, _expr_node(f.require)) and (
                _expr_text(t.require) == _expr_text(f.require)
            ):
                continue
            trial = [f if x.id == t.id else x for x in sm.tiers]
            if _tiers_valid(trial):
                spec: dict[str, Any] = {}
                if t.min != f.min:
                    spec["min"] = decimal_data(f.min)
                if _expr_text(t.require) != _expr_text(f.require):
                    spec["require"] = _expr_text(f.require)
                if t.label != f.label:
                    spec["label"] = text_data(f.label)
                self.emit("change_tier", {"model": mid, "id": t.id, "set": spec}, f"Change tier `{t.id}` of the {mid} model.")
                sm.tiers[sm.tiers.index(t)] = f
            else:
                remove(t, f"Tier `{t.id}` changes: remove it, to add it back in place.")
                readd.add(t.id)
        ids = [t.id for t in sm.tiers]
        moving = out_of_order(ids, final_ids)
        anchored = set(ids) - set(moving)
        for ident in moving:
            k = [t.id for t in sm.tiers].index(ident)
            trial = list(sm.tiers)
            item = trial.pop(k)
            placed = [i for i in final_ids if i in anchored or i == ident]
            where = self.place([t.id for t in trial], placed, ident)
            self.insert(trial, item, where, lambda t: t.id)
            if _tiers_valid(trial):
                self.emit("move_tier", {"model": mid, "id": ident, **where}, f"Reorder tier `{ident}` of the {mid} model.")
                sm.tiers = trial
                anchored.add(ident)
            else:
                remove(sm.tiers[k], f"Tier `{ident}` moves: remove it, to add it back in place.")
        for ident in final_ids:
            ids = [t.id for t in sm.tiers]
            if ident not in ids:
                where = self.place(ids, final_ids, ident)
                self.emit("add_tier", {"model": mid, "tier": tier_data(final[ident]), **where},
                          f"Add tier `{ident}` to the {mid} model.")
                self.insert(sm.tiers, final[ident], where, lambda t: t.id)
        for t in list(sm.tiers):
            f = final[t.id]
            if t.label != f.label:
                self.emit("relabel", {"model": mid, "tier": t.id, "label": text_data(f.label)},
                          f"Relabel tier `{t.id}` of the {mid} model.")
                sm.tiers[sm.tiers.index(t)] = f

    def flags(self, sm: _SimModel, mn: Model) -> None:
        mid = sm.id
        final = {f.id: f for f in mn.flags}
        final_ids = [f.id for f in mn.flags]
        for f in list(sm.flags):
            if f.id not in final:
                self.emit("remove_flag", {"model": mid, "id": f.id}, f"Remove flag `{f.id}` of the {mid} model.")
                sm.flags.remove(f)
        for k, f in enumerate(sm.flags):
            g = final[f.id]
            spec: dict[str, Any] = {}
            if f.when.canonical != g.when.canonical:
                spec["when"] = g.when.canonical
            if f.label != g.label:
                spec["label"] = text_data(g.label)
            if spec:
                self.emit("change_flag", {"model": mid, "id": f.id, "set": spec}, f"Change flag `{f.id}` of the {mid} model.")
                sm.flags[k] = g
        self.reorder(sm.flags, final_ids, lambda f: f.id,
                     lambda ident, where: self.emit("move_flag", {"model": mid, "id": ident, **where},
                                                    f"Reorder flag `{ident}` of the {mid} model."))
        for ident in final_ids:
            ids = [f.id for f in sm.flags]
            if ident not in ids:
                where = self.place(ids, final_ids, ident)
                self.emit("add_flag", {"model": mid, "flag": flag_data(final[ident]), **where},
                          f"Add flag `{ident}` to the {mid} model.")
                self.insert(sm.flags, final[ident], where, lambda f: f.id)


@in_analysis_context
def diff_to_amendments(old: Guide, new: Guide, *, prefix: str = "D") -> list[dict[str, Any]]:
    """The ordered amendments (data in the documented format, numbers as Decimal) that turn
    ``old`` into ``new``: ``apply_amendments(old, diff_to_amendments(old, new))`` has the
    fingerprint of ``new`` (when the two share their header — edition, title, effective
    dates and provenance belong to the amending file, not to its amendments).

    Amendment ids are ``prefix`` + a number; each rationale says what the step does.
    """
    planner = _Planner(old, new)
    return [
        {"id": f"{prefix}{k}", "rationale": why, op: body}
        for k, (op, body, why) in enumerate(planner.run(), 1)
    ]
