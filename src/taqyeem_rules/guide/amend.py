"""Amended editions: ``extends`` + ordered ``amendments`` → one materialised guide.

Each amendment has an ``id``, a ``rationale`` and exactly one operation
(docs/guide-format.md, "Amendments"). Materialising applies them in order to the
frozen model of the extended edition — elements that come from the base keep their
positions in the base file, elements an amendment adds point into the amending file —
and checks the guide after every amendment, so a problem is an
:class:`~taqyeem_rules.errors.AmendmentError` that names the amendment that caused it
(an unknown id, weights no longer summing to 100, an expression left reading a removed
input…). Guides are immutable: a failed amendment leaves nothing half-applied.
"""

from __future__ import annotations

import contextvars
import os
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path as FsPath
from typing import Any

import attrs

from .._io import path_kind
from ..dsl.hints import did_you_mean
from ..errors import AmendmentError, Diagnostic, GuideError
from ..source import Source
from .checks import run_checks
from .guide import Guide
from .loader import ModelBuilder, criteria_root, normal_decimal, text_of
from .model import Criterion, Flag, Input, Model, Tier
from .schema import guide_schema, kind_names, path_text, validate, validator_for
from .serialize import input_data, numbers_data, points_data
from .yamlio import Document, Path

__all__ = ["OPERATIONS", "apply_amendments", "materialise"]

#: Every amendment operation, in the order they are documented.
OPERATIONS = (
    "add_input",
    "remove_input",
    "change_input",
    "move_input",
    "add_category",
    "remove_category",
    "move_category",
    "reweight_categories",
    "add_criterion",
    "remove_criterion",
    "replace_criterion",
    "change_criterion",
    "move_criterion",
    "reweight_criterion",
    "add_tier",
    "remove_tier",
    "change_tier",
    "move_tier",
    "add_flag",
    "remove_flag",
    "change_flag",
    "move_flag",
    "relabel",
    "change_numbers",
    "change_points",
    "add_model",
    "remove_model",
)

_chain: contextvars.ContextVar[tuple[str, ...]] = contextvars.ContextVar("taqyeem_extends_chain", default=())


class _Fail(Exception):
    def __init__(self, message: str, field: str | None = None, hint: str | None = None, code: str = "amendment.apply"):
        super().__init__(message)
        self.message, self.field, self.hint, self.code = message, field, hint, code


# ---- positions in a tuple of items with ids -------------------------------------------------


def _ids(items: Sequence[Any]) -> list[str]:
    return [i.id for i in items]


def _index(items: Sequence[Any], ident: str, what: str, field: str = "id") -> int:
    for k, item in enumerate(items):
        if item.id == ident:
            return k
    raise _Fail(f"there is no {what} `{ident}`", field, did_you_mean(ident, _ids(items)) or
                ("known: " + ", ".join(_ids(items)) if items else None), "amendment.unknown-id")


def _insert(items: tuple[Any, ...], item: Any, op: Mapping[str, Any], what: str) -> tuple[Any, ...]:
    if item.id in _ids(items):
        raise _Fail(f"{what} `{item.id}` already exists", None, "choose another id, or use a replace/change operation",
                    "amendment.duplicate-id")
    before, after = op.get("before"), op.get("after")
    if before is not None and after is not None:
        raise _Fail("give `before` or `after`, not both", "before")
    if before is not None:
        k = _index(items, before, what, "before")
    elif after is not None:
        k = _index(items, after, what, "after") + 1
    else:
        k = len(items)
    return (*items[:k], item, *items[k:])


def _remove(items: tuple[Any, ...], ident: str, what: str) -> tuple[tuple[Any, ...], Any]:
    k = _index(items, ident, what)
    return (*items[:k], *items[k + 1 :]), items[k]


def _move(items: tuple[Any, ...], ident: str, op: Mapping[str, Any], what: str) -> tuple[Any, ...]:
    rest, item = _remove(items, ident, what)
    if op.get("before") == ident or op.get("after") == ident:
        raise _Fail(f"a {what} cannot be moved next to itself", "before" if "before" in op else "after")
    return _insert(rest, item, op, what)


def _replace(items: tuple[Any, ...], k: int, item: Any) -> tuple[Any, ...]:
    return (*items[:k], item, *items[k + 1 :])


# ---- the guide's parts ------------------------------------------------------------------------


def _model_index(g: Guide, mid: str, field: str = "model") -> int:
    for k, m in enumerate(g.models):
        if m.id == mid:
            return k
    raise _Fail(f"guide {g.edition} has no model `{mid}`", field, None, "amendment.unknown-id")


def _with_model(g: Guide, k: int, model: Model) -> Guide:
    return attrs.evolve(g, models=_replace(g.models, k, model))


def _find_criterion(g: Guide, cid: str, field: str = "id") -> tuple[int, int, int]:
    for mk, m in enumerate(g.models):
        for ck, cat in enumerate(m.categories):
            for k, c in enumerate(cat.criteria):
                if c.id == cid:
                    return mk, ck, k
    every = [c.id for m in g.models for c in m.criteria()]
    raise _Fail(f"there is no criterion `{cid}`", field, did_you_mean(cid, every), "amendment.unknown-id")


def _set_criteria(g: Guide, mk: int, ck: int, criteria: tuple[Criterion, ...]) -> Guide:
    m = g.models[mk]
    if not criteria:
        raise _Fail(f"category `{m.categories[ck].id}` would be left without criteria", None,
                    "remove the category instead (remove_category)", "amendment.empty-category")
    cat = attrs.evolve(m.categories[ck], criteria=criteria)
    return _with_model(g, mk, attrs.evolve(m, categories=_replace(m.categories, ck, cat)))


def _apply_weights(model: Model, weights: Mapping[str, Any] | None) -> Model:
    if not weights:
        return model
    cats = model.categories
    for cid, w in weights.items():
        k = _index(cats, cid, f"category of model {model.id}", "weights")
        cats = _replace(cats, k, attrs.evolve(cats[k], weight=normal_decimal(w)))
    return attrs.evolve(model, categories=cats)


# ---- applying one amendment ------------------------------------------------------------------


class _Applier:
    def __init__(self, builder: ModelBuilder, doc: Document) -> None:
        self.b = builder
        self.doc = doc

    def apply(self, g: Guide, op_name: str, op: Mapping[str, Any], path: Path) -> Guide:
        return getattr(self, op_name)(g, op, (*path, op_name))

    # inputs
    def add_input(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        inp = self.b.input_at((*path, "input"))
        return attrs.evolve(g, inputs=_insert(g.inputs, inp, op, "input"))

    def remove_input(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        inputs, _ = _remove(g.inputs, op["id"], "input")
        return attrs.evolve(g, inputs=inputs)

    def change_input(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        k = _index(g.inputs, op["id"], "input")
        old = g.inputs[k]
        if "id" in op["set"] and op["set"]["id"] != old.id:
            raise _Fail("change_input cannot rename an input", "set", "add a new input and remove the old one")
        # `null` in `set` removes a field (back to its default: required true, no range…).
        merged = self._validate_part({**input_data(old, canonical=True), **op["set"]}, "input", (*path, "set"))
        new = ModelBuilder(_detached(merged)).input_at(())
        new = attrs.evolve(new, span=self.doc.span((*path, "set")) or old.span, path=old.path)
        return attrs.evolve(g, inputs=_replace(g.inputs, k, new))

    def move_input(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        return attrs.evolve(g, inputs=_move(g.inputs, op["id"], op, "input"))

    # categories
    def add_category(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk = _model_index(g, op["model"])
        m = g.models[mk]
        cat = self.b.category((*path, "category"))
        m = attrs.evolve(m, categories=_insert(m.categories, cat, op, f"category of model {m.id}"))
        return _with_model(g, mk, _apply_weights(m, op.get("weights")))

    def remove_category(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk = _model_index(g, op["model"])
        m = g.models[mk]
        cats, _ = _remove(m.categories, op["id"], f"category of model {m.id}")
        if not cats:
            raise _Fail(f"model `{m.id}` would be left without categories", "id", "remove the model instead")
        return _with_model(g, mk, _apply_weights(attrs.evolve(m, categories=cats), op.get("weights")))

    def move_category(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk = _model_index(g, op["model"])
        m = g.models[mk]
        return _with_model(g, mk, attrs.evolve(m, categories=_move(m.categories, op["id"], op, "category")))

    def reweight_categories(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk = _model_index(g, op["model"])
        return _with_model(g, mk, _apply_weights(g.models[mk], op["weights"]))

    # criteria
    def add_criterion(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk = _model_index(g, op["model"])
        m = g.models[mk]
        ck = _index(m.categories, op["category"], f"category of model {m.id}", "category")
        c = self.b.criterion((*path, "criterion"))
        every = [x.id for mm in g.models for x in mm.criteria()]
        if c.id in every:
            raise _Fail(f"criterion `{c.id}` already exists", "criterion",
                        "criterion ids are unique in the guide; use replace_criterion to change it",
                        "amendment.duplicate-id")
        crits = _insert(m.categories[ck].criteria, c, op, "criterion")
        return _set_criteria(g, mk, ck, crits)

    def remove_criterion(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk, ck, k = _find_criterion(g, op["id"])
        crits = g.models[mk].categories[ck].criteria
        return _set_criteria(g, mk, ck, (*crits[:k], *crits[k + 1 :]))

    def replace_criterion(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk, ck, k = _find_criterion(g, op["id"])
        c = self.b.criterion((*path, "criterion"))
        if c.id != op["id"] and c.id in [x.id for mm in g.models for x in mm.criteria()]:
            raise _Fail(f"criterion `{c.id}` already exists", "criterion", None, "amendment.duplicate-id")
        return _set_criteria(g, mk, ck, _replace(g.models[mk].categories[ck].criteria, k, c))

    def change_criterion(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        """Set some of a criterion's params — those its kind lets an amendment change on
        their own (``amendable``); anything else takes ``replace_criterion``."""
        mk, ck, k = _find_criterion(g, op["id"])
        old = g.models[mk].categories[ck].criteria[k]
        kind = old.kind_object
        if kind is None:  # pragma: no cover - a guide with an unknown kind does not load
            raise _Fail(f"criterion `{old.id}` has an unknown kind `{old.kind}`", "id")
        given = op["params"]
        refused = sorted(key for key in given if key not in kind.amendable)
        if refused:
            allowed = ", ".join(kind.amendable) or "none"
            raise _Fail(
                f"change_criterion cannot set `{refused[0]}` of a `{kind.name}` criterion",
                "params",
                f"a `{kind.name}` criterion's params an amendment may change: {allowed}; "
                "use replace_criterion to change more",
                "amendment.not-amendable",
            )
        params = {**kind.file_data(old.params), **given}
        params = {key: value for key, value in params.items() if value is not None}
        # Built from the kind's written form: validated by its schema like any criterion.
        data = {"id": old.id, "label": old.label.to_data(), "weight": old.weight, "kind": kind.name,
                "params": params}
        plain = self._validate_part(data, "criterion", (*path, "params"), "params")
        built = ModelBuilder(_detached(plain)).criterion(())
        new = attrs.evolve(old, kind=built.kind, params=built.params)
        crits = g.models[mk].categories[ck].criteria
        return _set_criteria(g, mk, ck, _replace(crits, k, new))

    def move_criterion(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk, ck, k = _find_criterion(g, op["id"])
        m = g.models[mk]
        c = m.categories[ck].criteria[k]
        target = ck
        if op.get("category") is not None:
            target = _index(m.categories, op["category"], f"category of model {m.id}", "category")
        if target == ck:
            return _set_criteria(g, mk, ck, _move(m.categories[ck].criteria, c.id, op, "criterion"))
        src = m.categories[ck].criteria
        g = _set_criteria(g, mk, ck, (*src[:k], *src[k + 1 :]))
        m = g.models[mk]
        return _set_criteria(g, mk, target, _insert(m.categories[target].criteria, c, op, "criterion"))

    def reweight_criterion(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk, ck, k = _find_criterion(g, op["id"])
        crits = g.models[mk].categories[ck].criteria
        c = attrs.evolve(crits[k], weight=normal_decimal(op["weight"]))
        return _set_criteria(g, mk, ck, _replace(crits, k, c))

    # tiers and flags
    def _model_list(self, g: Guide, op: Mapping[str, Any], attr: str) -> tuple[int, Model, tuple[Any, ...]]:
        mk = _model_index(g, op["model"])
        m = g.models[mk]
        return mk, m, getattr(m, attr)

    def add_tier(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk, m, tiers = self._model_list(g, op, "tiers")
        tier = self.b.tier((*path, "tier"))
        return _with_model(g, mk, attrs.evolve(m, tiers=_insert(tiers, tier, op, f"tier of model {m.id}")))

    def remove_tier(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk, m, tiers = self._model_list(g, op, "tiers")
        rest, _ = _remove(tiers, op["id"], f"tier of model {m.id}")
        return _with_model(g, mk, attrs.evolve(m, tiers=rest))

    def change_tier(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk, m, tiers = self._model_list(g, op, "tiers")
        k = _index(tiers, op["id"], f"tier of model {m.id}")
        tier: Tier = tiers[k]
        changes: dict[str, Any] = {}
        spec = op["set"]
        if "min" in spec:
            changes["min"] = normal_decimal(spec["min"])
        if "require" in spec:
            changes["require"] = None if spec["require"] is None else self.b.expr((*path, "set", "require"))
        if "label" in spec:
            changes["label"] = text_of(spec["label"])
        return _with_model(g, mk, attrs.evolve(m, tiers=_replace(tiers, k, attrs.evolve(tier, **changes))))

    def move_tier(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk, m, tiers = self._model_list(g, op, "tiers")
        return _with_model(g, mk, attrs.evolve(m, tiers=_move(tiers, op["id"], op, f"tier of model {m.id}")))

    def add_flag(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk, m, flags = self._model_list(g, op, "flags")
        flag = self.b.flag((*path, "flag"))
        return _with_model(g, mk, attrs.evolve(m, flags=_insert(flags, flag, op, f"flag of model {m.id}")))

    def remove_flag(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk, m, flags = self._model_list(g, op, "flags")
        rest, _ = _remove(flags, op["id"], f"flag of model {m.id}")
        return _with_model(g, mk, attrs.evolve(m, flags=rest))

    def change_flag(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk, m, flags = self._model_list(g, op, "flags")
        k = _index(flags, op["id"], f"flag of model {m.id}")
        flag: Flag = flags[k]
        changes: dict[str, Any] = {}
        if "when" in op["set"]:
            changes["when"] = self.b.expr((*path, "set", "when"))
        if "label" in op["set"]:
            changes["label"] = text_of(op["set"]["label"])
        return _with_model(g, mk, attrs.evolve(m, flags=_replace(flags, k, attrs.evolve(flag, **changes))))

    def move_flag(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mk, m, flags = self._model_list(g, op, "flags")
        return _with_model(g, mk, attrs.evolve(m, flags=_move(flags, op["id"], op, f"flag of model {m.id}")))

    # labels, numbers, points, models
    def relabel(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        label = text_of(op["label"])
        targets = [k for k in ("input", "category", "criterion", "tier", "flag") if k in op]
        if "item" in op and "input" not in op:
            raise _Fail("relabelling a checklist item needs `input` too", "item")
        if len(targets) > 1:
            raise _Fail("relabel one thing at a time: give one of input, category, criterion, tier, flag", targets[1])
        if not targets:
            if "model" not in op:
                raise _Fail("say what to relabel: input, item, category, criterion, tier, flag or model", None)
            mk = _model_index(g, op["model"])
            return _with_model(g, mk, attrs.evolve(g.models[mk], label=label))
        what = targets[0]
        if what == "input":
            k = _index(g.inputs, op["input"], "input", "input")
            inp: Input = g.inputs[k]
            if "item" in op:
                j = _index(inp.items, op["item"], f"item of checklist {inp.id}", "item")
                items = _replace(inp.items, j, attrs.evolve(inp.items[j], label=label))
                return attrs.evolve(g, inputs=_replace(g.inputs, k, attrs.evolve(inp, items=items)))
            return attrs.evolve(g, inputs=_replace(g.inputs, k, attrs.evolve(inp, label=label)))
        if what == "criterion":
            mk, ck, k = _find_criterion(g, op["criterion"], "criterion")
            crits = g.models[mk].categories[ck].criteria
            return _set_criteria(g, mk, ck, _replace(crits, k, attrs.evolve(crits[k], label=label)))
        if "model" not in op:
            raise _Fail(f"relabelling a {what} needs `model`", what)
        mk = _model_index(g, op["model"])
        m = g.models[mk]
        attr = {"category": "categories", "tier": "tiers", "flag": "flags"}[what]
        items = getattr(m, attr)
        k = _index(items, op[what], f"{what} of model {m.id}", what)
        return _with_model(g, mk, attrs.evolve(m, **{attr: _replace(items, k, attrs.evolve(items[k], label=label))}))

    def change_numbers(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        merged = self._validate_part({**numbers_data(g.numbers), **op["set"]}, "numbers", (*path, "set"))
        return attrs.evolve(g, numbers=self.b.numbers(merged))

    def change_points(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        merged = self._validate_part({**points_data(g.points, canonical=True), **op["set"]}, "points", (*path, "set"))
        points = ModelBuilder(_detached({"points": merged})).points(merged)
        return attrs.evolve(g, points=attrs.evolve(points, span=self.doc.span((*path, "set"))))

    def add_model(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        mid = op["model"]
        if g.model(mid) is not None:
            raise _Fail(f"model `{mid}` already exists", "model", None, "amendment.duplicate-id")
        model = self.b.model_at((*path, "definition"), mid)
        order = {"onsite": 0, "remote": 1}
        models = tuple(sorted((*g.models, model), key=lambda m: order[m.id]))
        return attrs.evolve(g, models=models)

    def remove_model(self, g: Guide, op: Mapping[str, Any], path: Path) -> Guide:
        k = _model_index(g, op["model"])
        if len(g.models) == 1:
            raise _Fail("a guide needs at least one model", "model")
        return attrs.evolve(g, models=(*g.models[:k], *g.models[k + 1 :]))

    def _validate_part(self, data: Mapping[str, Any], definition: str, path: Path, field: str = "set") -> Any:
        """``data`` as plain values (a null drops its key), checked against the schema's
        ``definition``: what the changed part is then built from."""
        schema = guide_schema(kind_names(data))
        if definition == "numbers":
            sub = schema["properties"]["numbers"]
        elif definition == "points":
            sub = schema["properties"]["points"]
        else:
            sub = {"$ref": f"#/definitions/{definition}"}
        validator = validator_for({**sub, "definitions": schema["definitions"]})
        plain = _plain(data)
        errors = sorted(validator.iter_errors(plain), key=lambda e: list(e.absolute_path))
        if errors:
            from .schema import schema_diagnostic

            d = schema_diagnostic(errors[0], _detached(plain), "amendment")
            raise _Fail(f"the {definition} it sets would be invalid: {d.message}", field, d.hint, "amendment.schema")
        return plain


def _plain(data: Any) -> Any:
    """Canonical strings back to numbers where the schema wants numbers."""
    if isinstance(data, dict):
        return {k: _plain(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_plain(v) for v in data]
    if isinstance(data, str):
        try:
            d = Decimal(data)
        except ArithmeticError:
            return data
        return d if d.is_finite() and data.strip() == data and data[:1] in "-0123456789." else data
    return data


def _detached(data: Any) -> Document:
    return Document(Source("<amended>", ""), data, {})


# ---- materialising ------------------------------------------------------------------------------


def _op_of(amendment: Mapping[str, Any]) -> str | None:
    ops = [k for k in amendment if k in OPERATIONS]
    return ops[0] if len(ops) == 1 else None


def _check_shape(amendments: Sequence[Any], doc: Document) -> list[Diagnostic]:
    """Exactly one known operation per amendment, unique ids (before the schema runs)."""
    diags: list[Diagnostic] = []
    seen: dict[str, int] = {}
    for k, a in enumerate(amendments):
        path: Path = ("amendments", k)
        if not isinstance(a, Mapping):
            continue
        known = [key for key in a if key in OPERATIONS]
        unknown = [key for key in a if key not in OPERATIONS and key not in ("id", "rationale")]
        if len(known) != 1 and not unknown:
            what = "no operation" if not known else "several operations (" + ", ".join(known) + ")"
            diags.append(Diagnostic(
                "amendment.operation",
                f"amendment `{a.get('id', k + 1)}` has {what}; give exactly one",
                doc.span(path), "operations: " + ", ".join(OPERATIONS), path=path_text(path)))
        ident = a.get("id")
        if isinstance(ident, str):
            if ident in seen:
                diags.append(Diagnostic("amendment.duplicate-id", f"amendment id `{ident}` is used twice",
                                        doc.span((*path, "id")), "number amendments uniquely",
                                        path=path_text(path)))
            seen[ident] = k
    return diags


def apply_amendments(
    base: Guide,
    amendments: Sequence[Mapping[str, Any]],
    *,
    doc: Document | None = None,
    start: int = 0,
) -> Guide:
    """Apply amendments (as data, or the ``amendments`` of ``doc``) to a guide, checking the
    guide after each one. Returns the new guide; ``base`` is never changed."""
    if doc is None:
        from ..dsl import normalize_value
        from ..errors import TaqyeemError

        try:
            # Python data: ints become Decimals; floats are refused.
            amendments = normalize_value(list(amendments), where="amendments")
        except TaqyeemError as exc:
            raise AmendmentError(exc.message, code="amendment.value", hint=exc.hint) from None
        doc = Document(Source("<amendments>", ""), {"amendments": list(amendments)}, {})
        diags = _check_shape(amendments, doc) or list(
            validate(doc, _amendments_schema(frozenset(kind_names(amendments))), code_prefix="amendment")
        )
        if diags:
            raise AmendmentError(diagnostics=diags)
    builder = ModelBuilder(doc)
    applier = _Applier(builder, doc)
    # Start from the base's own check memo: its expressions and tables are checked already.
    memo: dict[Any, Any] = base.memo.checks()
    guide = base
    report = None
    for k, amendment in enumerate(amendments):
        path: Path = ("amendments", start + k)
        op_name = _op_of(amendment)
        assert op_name is not None  # checked above
        ident = amendment.get("id", str(k + 1))
        try:
            candidate = applier.apply(guide, op_name, amendment[op_name], path)
        except _Fail as fail:
            where = (*path, op_name, fail.field) if fail.field else (*path, op_name)
            raise AmendmentError(
                f"amendment `{ident}` cannot apply: {fail.message}",
                span=doc.span(where),
                code=fail.code,
                hint=fail.hint,
                path=path_text(where),
            ) from None
        if builder.diags:
            raise AmendmentError(
                f"amendment `{ident}` cannot apply: {builder.diags[0].message}",
                span=doc.span((*path, op_name)),
                code="amendment.expression",
                path=path_text((*path, op_name)),
                diagnostics=builder.diags,
            )
        report = run_checks(candidate, memo=memo)
        if not report.ok:
            first = report.errors[0]
            raise AmendmentError(
                f"amendment `{ident}` ({op_name}) cannot apply: {first.message}",
                span=doc.span((*path, op_name)),
                code="amendment.check",
                hint=first.hint,
                path=path_text((*path, op_name)),
                diagnostics=report.errors,
            )
        guide = candidate
    if report is not None:
        from ..dsl.plugins import default_registry

        guide.memo.report = (default_registry().version, report)
        guide.memo.check_memo = memo
    return guide


def _amendments_schema(kinds: frozenset[str]) -> dict[str, Any]:
    """The schema of an amendment list whose criteria name ``kinds``."""
    schema = guide_schema(kinds)
    return {
        "type": "object",
        "properties": {"amendments": {"type": "array", "items": {"$ref": "#/definitions/amendment"}}},
        "definitions": schema["definitions"],
    }


def _resolve_base(spec: str, file: FsPath, doc: Document) -> FsPath:
    """``extends:`` → the base guide file. An edition name is looked up as a folder next
    to this guide's folder (``../2023/guide.yaml``), then as a bundled edition; a path (it
    has a ``/`` or ends in ``.yaml``/``.yml``) is taken relative to this guide's file, and
    may name the guide file or its folder."""
    def found(path: FsPath) -> bool:
        try:
            return path_kind(path, error=AmendmentError, prefix="amendment", what="guide") == "file"
        except AmendmentError as exc:  # a name too long for the file system: point at it
            raise AmendmentError(exc.message, span=doc.span(("extends",)), code=exc.code,
                                 hint=exc.hint) from None

    here = file.resolve().parent
    is_path = "/" in spec or "\\" in spec or spec.endswith((".yaml", ".yml"))
    if is_path:
        target = here / spec
        if found(target / "guide.yaml"):
            return target / "guide.yaml"
        if found(target):
            return target
    else:
        sibling = here.parent / spec / "guide.yaml"
        if found(sibling):
            return sibling
        bundled = criteria_root() / spec / "guide.yaml"
        if found(bundled):
            return bundled
    from .loader import bundled_editions

    editions = ", ".join(bundled_editions())
    looked = (f"no guide file at {os.path.normpath(here / spec)}" if is_path
              else f"no folder {spec}/ with a guide.yaml next to this guide's folder, and no bundled edition {spec}")
    raise AmendmentError(
        f"the guide this edition extends, {spec!r}, was not found: {looked}",
        span=doc.span(("extends",)),
        code="amendment.base",
        hint="`extends` takes an edition name (a folder next to this guide's folder, or a bundled "
        f"edition: {editions}) or the path of a guide file relative to this one, "
        'e.g. extends: "../2023/guide.yaml"',
    )


def materialise(doc: Document, file: FsPath, load: Callable[..., Guide]) -> Guide:
    """The complete guide of an amended edition (``extends`` + ``amendments``)."""
    data = doc.data
    diags = _check_shape(data.get("amendments", []) if isinstance(data.get("amendments"), list) else [], doc)
    shaped = {d.path for d in diags}
    # The shape check already words "exactly one operation" better than the schema can.
    diags += [d for d in validate(doc) if not (d.code == "amendment.operation" and d.path in shaped)]
    if diags:
        raise GuideError(diagnostics=diags)
    spec = str(data["extends"])
    base_file = _resolve_base(spec, file, doc)
    chain = _chain.get()
    key = str(base_file.resolve())
    if key in chain or str(file.resolve()) == key:
        raise AmendmentError(
            f"edition {data['edition']} extends {spec}, which extends it back",
            span=doc.span(("extends",)),
            code="amendment.cycle",
            hint="an edition may only extend an earlier one",
        )
    token = _chain.set((*chain, str(file.resolve())))
    try:
        base = load(base_file)
    finally:
        _chain.reset(token)
    header = ModelBuilder(doc)
    start = attrs.evolve(
        base,
        edition=str(data["edition"]),
        title=text_of(data["title"]),
        effective_from=data["effective"]["from"],
        effective_to=data["effective"].get("to"),
        provenance=header.provenance(data["provenance"]),
        format=data.get("format", base.format),
        extends=spec,
        amendments=tuple(data["amendments"]),
        source=doc.source,
        path=doc.source.name,
    )
    # The evolved guide starts with an empty memo: hand it the base's check memo, so the
    # base's checked expressions and analysed tables are reused, not redone.
    start.memo.check_memo = base.memo.checks()
    return apply_amendments(start, data["amendments"], doc=doc)

