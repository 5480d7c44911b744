"""Semantic checks of a guide: one small function each, listed in :data:`CHECKS`.

Each check yields diagnostics; :func:`run_checks` runs them all and sorts the findings
by a documented, order-independent key (errors first, then file position). A check
never raises for a problem in the guide.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..dsl import nodes as n
from ..dsl.checker import Checked, Scope, check_node
from ..dsl.hints import did_you_mean
from ..dsl.numbers import exact_sum, format_number
from ..dsl.plugins import FunctionRegistry, default_registry
from ..dsl.types import ANY, BOOLEAN, NUMBER, ContextType, Type, is_any, is_assignable, nullable
from ..errors import Diagnostic, PluginError
from .guide import Guide
from .inputs import flow_text, input_type
from .model import Criterion, Expr, Input, Model, Tier

__all__ = ["CHECKS", "CheckReport", "result_types", "run_checks"]


@attrs.frozen
class CheckReport:
    """Every finding of the checks, errors and warnings, in a stable order."""

    diagnostics: tuple[Diagnostic, ...]

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    @property
    def warnings(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "warning")

    @property
    def ok(self) -> bool:
        return not self.errors


@attrs.define
class _Context:
    guide: Guide
    functions: FunctionRegistry
    input_scope: Scope
    #: Checked expressions, by id of the Expr (filled by check_expressions).
    checked: dict[int, Checked] = attrs.field(factory=dict)
    #: Results kept between runs over successive versions of a guide (amendments):
    #: unchanged expressions and tables are not checked again.
    memo: dict[Any, Any] = attrs.field(factory=dict)

    _vars_keys: dict[int, Any] = attrs.field(factory=dict)
    #: Diagnostics of the expressions run so far (see :meth:`run`).
    found: list[Diagnostic] = attrs.field(factory=list)

    # ---- the CheckContext criterion kinds check their params with ------------------

    def scope(self, variables: Any, tested: Type | None = None) -> Scope:
        """A scope over ``variables`` with the guide's functions."""
        return Scope(variables, self.functions, tested)

    def checked_expr(self, expr: Expr) -> Checked | None:
        return self.checked.get(id(expr))

    def run(self, expr: Expr, sc: Scope, want: Type | None, what: str, path: str) -> Checked:
        """Check one expression in a scope, keep its result and its diagnostics."""
        try:
            checked = self.check(expr.node, sc)
        except PluginError as exc:  # an installed plugin that cannot load: this expression's problem
            d = Diagnostic(exc.code, exc.message, expr.node.span or expr.span, exc.hint)
            checked = Checked(expr.node, ANY, (d,), {})
        self.checked[id(expr)] = checked
        for d in checked.diagnostics:
            self.found.append(attrs.evolve(d, path=path))
        if checked.ok and want is not None and not is_any(checked.type) and not is_assignable(checked.type, want):
            hint = None
            if want == NUMBER and is_assignable(checked.type, BOOLEAN):
                hint = "turn it into points with `if … then 4 else 0`"
            self.found.append(
                Diagnostic(
                    "type.result",
                    f"{what} must be {'a number' if want == NUMBER else 'true or false'}, "
                    f"but `{expr.canonical}` is a {checked.type}",
                    expr.node.span or expr.span,
                    hint,
                    path=path,
                )
            )
        return checked

    def reads(self, c: Criterion) -> set[str]:
        """The inputs a criterion reads outside `applicable` (memoised by criterion)."""
        key = ("reads", id(c))
        found = self.memo.get(key)
        if found is None or found[0] is not c:
            found = self.memo[key] = (c, set(c.reads(applicability=False)))
        return found[1]

    def check(self, node: n.Node, scope: Scope) -> Checked:
        known = self._vars_keys.get(id(scope.variables))
        if known is not None and known[0] is scope.variables:
            vkey = known[1]
        else:
            # The scope's content, interned to a small number once per run: hashing the
            # whole content at every lookup would cost more than the checks it saves. The
            # mapping is kept with its key, so a freed one's id is never taken for another
            # (kinds build scopes of their own names as they check).
            intern = self.memo.setdefault("interned-scopes", {})
            content = tuple(sorted(scope.variables.items()))
            vkey = intern.setdefault(content, len(intern))
            self._vars_keys[id(scope.variables)] = (scope.variables, vkey)
        # (The registry's version too: a function registered since changes the answer.)
        functions = (id(scope.functions), getattr(scope.functions, "version", None))
        key = ("expr", id(node), vkey, scope.tested, functions)
        found = self.memo.get(key)
        if found is None or found[0] is not node:
            # A clean result depends only on the types of the names the expression reads
            # (the rest of the scope only words an unknown name's "did you mean"): kept
            # under those types too, it is reused when an amendment changes other inputs.
            variables = scope.variables
            reads = ("expr-reads", id(node), tuple(variables.get(name) for name in self._names(node)),
                     scope.tested, functions)
            found = self.memo.get(reads)
            if found is None or found[0] is not node:
                found = (node, check_node(node, scope))
                if not found[1].diagnostics:
                    self.memo[reads] = found
            self.memo[key] = found
        return found[1]

    def _names(self, node: n.Node) -> tuple[str, ...]:
        """Every name the tree refers to (variables and functions), once each, sorted."""
        key = ("names", id(node))
        found = self.memo.get(key)
        if found is None or found[0] is not node:
            names = {x.name for x in n.walk(node) if isinstance(x, n.Name | n.Call)}
            found = self.memo[key] = (node, tuple(sorted(names)))
        return found[1]



def result_types(model: Model) -> dict[str, Type]:
    """The names a tier ``require`` or a flag ``when`` can read."""
    n_num = nullable(NUMBER)
    return {
        "total": NUMBER,
        "basic_attainment": n_num,
        "categories": ContextType(tuple((c.id, n_num) for c in model.categories)),
        "criteria": ContextType(tuple((c.id, n_num) for c in model.criteria())),
    }


def _num(d: Decimal | None) -> str:
    return "null" if d is None else format_number(d)


def _diag(code: str, message: str, where: object, hint: str | None = None,
          severity: str = "error") -> Diagnostic:
    return Diagnostic(code, message, getattr(where, "span", None), hint, severity,
                      getattr(where, "path", None) or None)


# ---- the checks -----------------------------------------------------------------------


def check_unique_ids(ctx: _Context) -> Iterator[Diagnostic]:
    """Ids are unique: inputs, checklist items, categories and tiers per model, criteria
    in the whole guide."""
    g = ctx.guide

    def dups(items: list, what: str) -> Iterator[Diagnostic]:
        seen: dict[str, object] = {}
        for item in items:
            first = seen.get(item.id)
            if first is not None:
                where = getattr(first, "span", None)
                yield _diag(
                    "guide.duplicate-id",
                    f"{what} id `{item.id}` is used twice",
                    item,
                    f"the first is at {where}" if where else "ids must be unique",
                )
            else:
                seen[item.id] = item

    yield from dups(list(g.inputs), "input")
    for inp in g.inputs:
        yield from dups(list(inp.items), f"item of checklist `{inp.id}`:")
    yield from dups([c for m in g.models for c in m.criteria()], "criterion")
    for m in g.models:
        yield from dups(list(m.categories), "category")
        yield from dups(list(m.tiers), "tier")
        yield from dups(list(m.flags), "flag")


def check_inputs(ctx: _Context) -> Iterator[Diagnostic]:
    """Declared ranges make sense for their types."""
    for inp in ctx.guide.inputs:
        if inp.range is not None:
            lo, hi = inp.range
            if lo is not None and hi is not None and lo > hi:
                yield _diag("guide.input-range",
                            f"input `{inp.id}` has range [{_num(lo)}, {_num(hi)}] with min above max", inp)
            if inp.type in ("integer",) or inp.of == "integer":
                for bound in (lo, hi):
                    if bound is not None and bound != bound.to_integral_value():
                        yield _diag("guide.input-range",
                                    f"integer input `{inp.id}` has a fractional bound {_num(bound)}", inp)
            if inp.type == "percent" or inp.of == "percent":
                if (lo is not None and lo < 0) or (hi is not None and hi > 100):
                    yield _diag("guide.input-range", f"percent input `{inp.id}` has a range outside [0, 100]", inp)
        kind = input_type(inp)
        if not kind.ranged and inp.range is not None:
            yield _diag("guide.input-range", f"a {inp.type} input (`{inp.id}`) has no range", inp,
                        "remove `range`", "warning")
        if inp.type not in ("list", "ratings") and (inp.of is not None or inp.min_items is not None):
            yield _diag("guide.input-field",
                        f"`of` and `min_items` only apply to list and ratings inputs (`{inp.id}`)", inp)
        if not kind.itemised and inp.items:
            yield _diag("guide.input-field", f"`items` only apply to checklist and counts inputs (`{inp.id}`)", inp)
        if inp.better is not None and inp.type == "counts":
            yield _diag(
                "guide.input-field",
                f"counts input `{inp.id}` cannot declare `better`: its items do not move one way "
                "(more answers at the top of a survey is better, more complaints received is not)",
                inp,
                "remove `better`; the criteria reading the counts are checked through their own rules",
            )
        if inp.past is not None and not inp.past.not_applicable and not kind.ok(inp, inp.past.value):
            yield _diag("guide.input-past",
                        f"the `past` value of input `{inp.id}` is not a valid {inp.type} value: {flow_text(inp.past.value)}",
                        inp, _past_hint(inp))


def _past_hint(inp: Input) -> str:
    """How a valid ``past`` value of an input is written."""
    if inp.type == "checklist":
        return ("write the ticked items, e.g. past: {value: [" + ", ".join(it.id for it in inp.items[:1])
                + "]}, or `past: not_applicable`")
    lo, hi = inp.bounds
    where = f" within [{_num(lo)}, {_num(hi)}]" if lo is not None or hi is not None else ""
    return f"write a value as the centre's evidence would give it{where}, or `past: not_applicable`"


def check_points(ctx: _Context) -> Iterator[Diagnostic]:
    """The criterion scale is a proper interval and its level names lie on it."""
    p = ctx.guide.points
    if p.min >= p.max:
        yield Diagnostic("guide.points", f"points.min ({_num(p.min)}) must be below points.max ({_num(p.max)})", p.span,
                         path="points")
    for level in p.levels:
        if not p.min <= level.value <= p.max:
            yield Diagnostic("guide.points", f"level {_num(level.value)} is outside the scale [{_num(p.min)}, {_num(p.max)}]",
                             p.span, path="points.levels")


def check_numbers(ctx: _Context) -> Iterator[Diagnostic]:
    """The arithmetic precision can hold a score of 100 at the report scale."""
    nums = ctx.guide.numbers
    need = 3 + nums.report_scale
    if nums.precision < need:
        yield Diagnostic(
            "guide.numbers",
            f"numbers.precision {nums.precision} cannot hold a score such as 100 with "
            f"{nums.report_scale} decimal place(s), which needs {need} digits",
            nums.span,
            f"use a precision of at least {need} (FEEL's is 34)",
            path="numbers.precision",
        )


def check_weights(ctx: _Context) -> Iterator[Diagnostic]:
    """Category weights of each model sum to exactly 100."""
    for m in ctx.guide.models:
        total = exact_sum(c.weight for c in m.categories)
        if total != 100:
            parts = " + ".join(f"{c.id} {format_number(c.weight)}" for c in m.categories)
            yield Diagnostic(
                "guide.weights",
                f"the category weights of model `{m.id}` sum to {format_number(total)}, not 100",
                m.span,
                f"{parts} = {format_number(total)}; adjust them to sum to 100",
                path=f"models.{m.id}.categories",
            )


def check_expressions(ctx: _Context) -> Iterator[Diagnostic]:
    """Every expression resolves its names and type-checks in its place; each
    criterion's kind checks its own params (tables for gaps and overlaps, points on the
    scale, …)."""
    g = ctx.guide
    scope = ctx.input_scope
    kind_found: list[Diagnostic] = []
    for m in g.models:
        rscope = Scope(result_types(m), ctx.functions)
        for cat in m.categories:
            for c in cat.criteria:
                if c.applicable is not None:
                    ctx.run(c.applicable, scope, BOOLEAN, f"`applicable` of criterion `{c.id}`",
                            f"{c.path}.applicable")
                kind = c.kind_object
                if kind is not None:
                    kind_found.extend(kind.check(c, c.params, _KindChecks(ctx)))
        for t in m.tiers:
            if t.require is not None:
                ctx.run(t.require, rscope, BOOLEAN, f"`require` of tier `{t.id}`", f"{t.path}.require")
        for f in m.flags:
            ctx.run(f.when, rscope, BOOLEAN, f"`when` of flag `{f.id}`", f"{f.path}.when")
    yield from ctx.found
    yield from kind_found


@attrs.frozen
class _KindChecks:
    """The :class:`~taqyeem_rules.guide.kinds.CheckContext` handed to a kind."""

    ctx: _Context

    @property
    def guide(self) -> Guide:
        return self.ctx.guide

    @property
    def input_scope(self) -> Scope:
        return self.ctx.input_scope

    @property
    def memo(self) -> dict[Any, Any]:
        return self.ctx.memo

    def scope(self, variables: Any, tested: Type | None = None) -> Scope:
        return self.ctx.scope(variables, tested)

    def run(self, expr: Expr, scope: Scope, want: Type | None, what: str, path: str) -> Checked:
        return self.ctx.run(expr, scope, want, what, path)

    def checked(self, expr: Expr) -> Checked | None:
        return self.ctx.checked_expr(expr)


def check_kinds(ctx: _Context) -> Iterator[Diagnostic]:
    """Every criterion's kind is installed and loads."""
    from .kinds import kind_registry

    registry = kind_registry()
    for m in ctx.guide.models:
        for c in m.criteria():
            try:
                found = registry.get(c.kind)
            except PluginError as exc:
                yield _diag(exc.code, f"criterion `{c.id}`: {exc.message}", c, exc.hint)
                continue
            if found is None:
                hint = did_you_mean(c.kind, registry.names())
                yield _diag(
                    "guide.criterion-kind",
                    f"criterion `{c.id}` has an unknown kind `{c.kind}`",
                    c,
                    hint or "install the plugin that provides it; installed kinds: " + ", ".join(registry.names()),
                )


def unreachable_tier(tiers: Sequence[Tier], k: int) -> tuple[str, str | None] | None:
    """Why tier ``k`` of a model's list can never be awarded (message, hint), or None.

    Tiers are reachable when within 0–100 and not swallowed by an earlier tier. The
    amendment planner (engine/diff.py) keeps tier lists valid with this same rule.
    """
    t = tiers[k]
    if t.min > 100:
        return (f"tier `{t.id}` needs a total of at least {format_number(t.min)}, above 100",
                "totals lie between 0 and 100")
    if isinstance(t.require, Expr) and isinstance(t.require.node, n.Bool) and not t.require.node.value:
        return f"tier `{t.id}` requires `false`", None
    for earlier in tiers[:k]:
        same_gate = earlier.require is None or (
            t.require is not None and earlier.require.node == t.require.node
        )
        if earlier.min <= t.min and same_gate:
            return (
                f"tier `{t.id}` can never be awarded: every centre that reaches it "
                f"already gets `{earlier.id}` (min {format_number(earlier.min)}) listed before it",
                "list tiers from the highest to the lowest threshold",
            )
    return None


def check_tiers(ctx: _Context) -> Iterator[Diagnostic]:
    """Tiers are reachable: within 0–100 and not swallowed by an earlier tier."""
    for m in ctx.guide.models:
        for k, t in enumerate(m.tiers):
            why = unreachable_tier(m.tiers, k)
            if why is not None:
                yield _diag("guide.tier-unreachable", why[0], t, why[1])


def check_policies(ctx: _Context) -> Iterator[Diagnostic]:
    """`applicable` and `missing` are consistent with the inputs they read."""
    optional = {i.id for i in ctx.guide.inputs if not i.required}
    for m in ctx.guide.models:
        for c in m.criteria():
            if c.applicable is not None and isinstance(c.applicable.node, n.Bool):
                if not c.applicable.node.value:
                    yield _diag("guide.never-applicable", f"criterion `{c.id}` is never applicable", c,
                                "remove it, or give `applicable` a condition", "warning")
            if c.applicable is not None:
                yield from _applicable_null(ctx, c, optional)
            reads = ctx.reads(c)
            opt = sorted(reads & optional)
            if opt and c.missing == "error" and not _handles_null(ctx, c):
                yield _diag(
                    "guide.optional-input",
                    f"criterion `{c.id}` reads optional input `{opt[0]}` but has `missing: error`: "
                    "a centre without it cannot be scored",
                    c,
                    "set `missing: zero` or `missing: not_applicable`, or handle null in the expression",
                    "warning",
                )


def _applicable_null(ctx: _Context, c: Criterion, optional: set[str]) -> Iterator[Diagnostic]:
    """An `applicable` condition that can come out null (it reads an optional input):
    a null condition stops scoring the centre (``scoring.applicable-null``), so say so
    when the guide is checked (docs/guide-format.md, "Applicability")."""
    assert c.applicable is not None
    checked = ctx.checked.get(id(c.applicable))
    if checked is None or not checked.ok or not checked.type.nullable:
        return
    absent = sorted(set(n.free_names(c.applicable.node)) & optional)
    x = absent[0] if absent else None
    yield Diagnostic(
        "guide.applicable-null",
        f"`applicable` of criterion `{c.id}` can be null"
        + (f" (when optional input `{x}` is absent)" if x else "")
        + ": a centre for which it is null cannot be scored",
        c.applicable.node.span or c.applicable.span or c.span,
        (f"say what an absent `{x}` means: `{x} != null and …` makes the criterion not applicable, "
         f"`{x} = null or …` applicable" if x else
         "make the condition true or false for every centre (test null with `= null`)"),
        "warning",
        f"{c.path}.applicable" if c.path else None,
    )


def _handles_null(ctx: _Context, c: Criterion) -> bool:
    """Whether a criterion's points never come out null, whatever is absent (an
    expression such as ``if x = null then 0 else …``): its `missing` policy then never
    applies."""
    kind = c.kind_object
    return kind is not None and kind.never_null(c.params, _KindChecks(ctx))


def check_unused_inputs(ctx: _Context) -> Iterator[Diagnostic]:
    """Every declared input is read by some criterion."""
    used: set[str] = set()
    for m in ctx.guide.models:
        for c in m.criteria():
            used |= ctx.reads(c)
            if c.applicable is not None:
                used |= set(n.free_names(c.applicable.node))
    for inp in ctx.guide.inputs:
        if inp.id not in used:
            yield _diag("guide.unused-input", f"input `{inp.id}` is declared but no criterion reads it", inp,
                        "remove it, or use it", "warning")


_ARABIC = re.compile(r"[\u0600-\u06FF]")


def check_labels(ctx: _Context) -> Iterator[Diagnostic]:
    """Arabic labels are written in Arabic script."""
    g = ctx.guide
    items: list[tuple[object, str, str]] = [(inp, inp.label.ar, inp.id) for inp in g.inputs]
    for m in g.models:
        items += [(cat, cat.label.ar, cat.id) for cat in m.categories]
        items += [(c, c.label.ar, c.id) for c in m.criteria()]
        items += [(t, t.label.ar, t.id) for t in m.tiers]
    for where, text, ident in items:
        if not _ARABIC.search(text):
            yield _diag("guide.label-script", f"the Arabic label of `{ident}` has no Arabic letters", where,
                        "write the `ar` label in Arabic", "warning")


def check_model_basics(ctx: _Context) -> Iterator[Diagnostic]:
    """A model whose tiers read basic attainment has basic criteria."""
    for m in ctx.guide.models:
        uses = any(
            "basic_attainment" in n.free_names(x.node)
            for x in [t.require for t in m.tiers if t.require] + [f.when for f in m.flags]
        )
        if uses and not any(c.basic for c in m.criteria()):
            yield _diag("guide.no-basic", f"model `{m.id}` reads basic_attainment but has no basic criteria", m,
                        "mark the basic criteria with `basic: true`")


#: The semantic checks, in the order they run (findings are sorted afterwards).
CHECKS: tuple[Callable[[_Context], Iterator[Diagnostic]], ...] = (
    check_unique_ids,
    check_inputs,
    check_points,
    check_numbers,
    check_weights,
    check_kinds,
    check_expressions,
    check_tiers,
    check_policies,
    check_unused_inputs,
    check_labels,
    check_model_basics,
)


def run_checks(
    guide: Guide,
    *,
    functions: FunctionRegistry | None = None,
    memo: dict[Any, Any] | None = None,
) -> CheckReport:
    """Run :data:`CHECKS` over a guide.

    ``memo`` (any dict, reused across calls) keeps the results of unchanged expressions
    and tables between runs over successive versions of a guide.
    """
    registry = functions or default_registry()
    if memo is None:
        types = guide.input_types()
    else:
        # Successive versions of a guide mostly share their inputs: their types are
        # worked out once per version of the inputs.
        key = ("input-types", id(guide.inputs))
        found = memo.get(key)
        if found is None or found[0] is not guide.inputs:
            found = memo[key] = (guide.inputs, guide.input_types())
        types = found[1]
    ctx = _Context(guide, registry, Scope(types, registry))
    if memo is not None:
        ctx.memo = memo
    found: list[Diagnostic] = []
    for check in CHECKS:
        found.extend(check(ctx))
    unique = list(dict.fromkeys(found))
    unique.sort(key=Diagnostic.sort_key)
    return CheckReport(tuple(unique))
