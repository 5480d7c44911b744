"""A model of a guide → one generated Python function that scores a centre.

Everything a score needs is straight-line code in one function: each criterion's
applicability, points (expression or decision table), missing-value policy and range
check; percentages; category scores; the total; basic attainment; report rounding;
tier gates and flags. The function is built by the expression compiler's
:class:`~taqyeem_rules.dsl.compiler.CodeBuilder` from checked nodes only.

Two variants are compiled per model: with the trace on, the function also computes
each criterion's effective weight and contribution; the rest of the explanation (inputs
read, the band row matched, the points) is recorded either way.

The formulas, in their exact order of operations (docs/guide-format.md, "Scoring"):

    percentage       = ((points − min) / (max − min)) × 100
    category score   = (Σ weight × percentage) / (Σ weight)           applicable criteria
    total            = (Σ cat weight × cat score) / (Σ cat weight)     applicable categories
    g                = (cat weight × weight) / (Σ weight)              applicable criteria
    basic attainment = (Σ g × percentage) / (Σ g)                      applicable basic criteria
    effective weight = (g × 100) / (Σ cat weight)                      applicable categories
    contribution     = (effective weight × percentage) / 100
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs

from ..dsl import check_and_fold
from ..dsl import nodes as n
from ..dsl.checker import Checked, Scope, check_node
from ..dsl.compiler import CodeBuilder
from ..dsl.limits import MAX_TRACE_PATTERNS
from ..dsl.numbers import ROUNDING_MODES, make_context
from ..dsl.plugins import FunctionRegistry, default_registry
from ..errors import ExpressionTypeError, TaqyeemError
from ..guide.checks import result_types
from ..guide.guide import Guide
from ..guide.kinds import kind_registry
from ..guide.model import Criterion, Expr, Model

__all__ = ["STATUS", "CompiledModel", "ScoreFailure", "compile_model"]

#: Criterion status codes in the raw result.
STATUS = ("scored", "not_applicable", "missing_zero", "missing_not_applicable")
S_SCORED, S_NA, S_ZERO, S_MISSING_NA = range(4)


class ScoreFailure(Exception):
    """Raised by generated code; the engine turns it into a ScoringError with context."""

    def __init__(self, index: int, kind: str, value: Any = None) -> None:
        super().__init__(index, kind, value)
        self.index, self.kind, self.value = index, kind, value


@attrs.frozen
class ResultStatics:
    """What a result's canonical data says whatever the evidence (for ``Result.to_dict``)."""

    edition: str
    model: str
    guide_fingerprint: str
    guide_status: str
    #: (id, criterion ids, weight as canonical text) per category.
    categories: tuple[tuple[str, tuple[str, ...], str], ...]
    #: Flag ids and tier ids, in the model's order.
    flags: tuple[str, ...]
    tiers: tuple[str, ...]
    #: The plugin entries of result forms 2 and later, and of form 1 (no ``kind:``).
    plugins: tuple[tuple[tuple[str, str], ...], ...]
    plugins_v1: tuple[tuple[tuple[str, str], ...], ...]


@attrs.frozen
class CriterionInfo:
    """What the engine knows statically about one criterion."""

    index: int
    criterion: Criterion
    category_index: int
    #: Input ids (and checklist paths) the criterion reads, sorted.
    reads: tuple[str, ...]
    #: The criterion's kind (a CriterionKind).
    kind: Any = None


class CompiledModel:
    """A model compiled for scoring: the two scoring functions (built on first use) and
    what is known statically about each criterion."""

    def __init__(self, guide: Guide, model: Model, functions: FunctionRegistry) -> None:
        from ..guide.evidence import model_inputs

        self.guide = guide
        self.model = model
        self.functions = functions
        #: The guide's arithmetic context.
        self.ctx = make_context(guide.numbers.precision, guide.numbers.rounding)
        self._cache: dict[tuple[int, str], Checked] = {}
        self._built: tuple[Callable[..., tuple[Any, ...]], str] | None = None
        self._trace: tuple[Callable[..., tuple[Any, ...]], str] | None = None
        self._compiler: _ModelCompiler | None = None
        self._plugins: dict[str, tuple[str, str, str]] = {}
        infos = []
        index = 0
        for ci, cat in enumerate(model.categories):
            for c in cat.criteria:
                infos.append(CriterionInfo(index, c, ci, c.reads(), c.kind_object))
                index += 1
        self.criteria: tuple[CriterionInfo, ...] = tuple(infos)
        self._criteria_data: tuple[tuple[Any, ...], ...] | None = None
        self._writers: dict[tuple[bool, bool], Callable[..., list[dict[str, Any]]]] = {}
        self._statics: ResultStatics | None = None
        self.input_ids: tuple[str, ...] = tuple(i.id for i in model_inputs(guide, model))

    def _build(self) -> tuple[Callable[..., tuple[Any, ...]], str]:
        # One scorer serves the trace on and off: the trace is computed from its tuple
        # when it is read.
        built = self._built
        if built is None:
            compiler = _ModelCompiler(self.guide, self.model, self.functions, self._cache)
            fn, source = compiler.build(self.criteria)
            self._plugins.update(compiler.plugins)
            self._compiler = compiler
            built = self._built = (fn, source)
        return built

    def _trace_built(self) -> tuple[Callable[..., tuple[Any, ...]], str]:
        built = self._trace
        if built is None:
            self._build()
            built = self._trace = self._compiler.build_trace(self.criteria)
            self._compiler = None
        return built

    def trace_values(self, raw: tuple[Any, ...]) -> tuple[tuple[Decimal | None, ...], tuple[Decimal | None, ...]]:
        """The effective weight and contribution of every criterion of a scored centre
        (``raw``: the scorer's tuple), computed by the generated trace function."""
        return self.trace_from(raw[3], raw[4])

    def trace_from(self, percentages: tuple[Any, ...], categories: tuple[Any, ...]
                   ) -> tuple[tuple[Decimal | None, ...], tuple[Decimal | None, ...]]:
        """:meth:`trace_values` from the two parts of the scorer's tuple it reads: the
        criteria's percentages and the category scores (what a caller keeps of many
        centres to read their trace later)."""
        return self._trace_built()[0](percentages, categories)  # type: ignore[no-any-return]

    def criteria_data(self) -> tuple[tuple[Any, ...], ...]:
        """What a result's canonical data says of each criterion whatever the evidence:
        (index, id, category id, weight as text, basic, form, inputs read (sorted, unique),
        the kind's row of a detail, the kind's detail data of a detail or None when the
        kind records none)."""
        data = self._criteria_data
        if data is None:
            from ..dsl.numbers import canonical
            from ..guide.kinds import CriterionKind

            cats = self.model.categories
            out = []
            for info in self.criteria:
                kind, params = info.kind, info.criterion.params
                detail_of = None
                if type(kind).detail_data is not CriterionKind.detail_data:
                    detail_of = functools.partial(kind.detail_data, params)
                out.append((
                    info.index,
                    info.criterion.id,
                    cats[info.category_index].id,
                    canonical(info.criterion.weight),
                    info.criterion.basic,
                    info.criterion.form,
                    info.reads,
                    kind.row,
                    detail_of,
                ))
            data = self._criteria_data = tuple(out)
        return data

    def result_statics(self) -> ResultStatics:
        """The parts of a result's canonical data fixed by the guide (computed once)."""
        statics = self._statics
        if statics is None:
            from ..dsl.numbers import canonical

            m = self.model
            plugins = tuple(
                (("name", name), ("plugin", plugin), ("version", version)) for name, plugin, version in self.plugins
            )
            statics = self._statics = ResultStatics(
                edition=self.guide.edition,
                model=m.id,
                guide_fingerprint=self.guide.fingerprint,
                guide_status=self.guide.provenance.status,
                categories=tuple((c.id, tuple(x.id for x in c.criteria), canonical(c.weight)) for c in m.categories),
                flags=tuple(f.id for f in m.flags),
                tiers=tuple(t.id for t in m.tiers),
                plugins=plugins,
                plugins_v1=tuple(p for p in plugins if not p[0][1].startswith("kind:")),
            )
        return statics

    def criteria_writer(self, traced: bool, format: int) -> Callable[..., list[dict[str, Any]]]:
        """A generated function writing the criteria of a result as canonical data —
        ``write(status, points, rows, pct, eff, contrib, env, data)`` over the scorer's
        raw tuple, the centre's values and its evidence's canonical inputs, the same list as ``[c.to_dict(format) for c in
        result.criteria]`` (``tests/engine`` holds the two equal) in straight-line code:
        the texts that depend on the guide alone are constants, and each input's value
        is the evidence's canonical data of it (worked out once per centre)."""
        key = (traced, format >= 2)
        fn = self._writers.get(key)
        if fn is None:
            fn = self._writers[key] = _criteria_writer(self, traced, format >= 2)
        return fn

    def round_report(self, value: Decimal | None) -> Decimal | None:
        """A value rounded as the guide reports it (None stays None)."""
        if value is None:
            return None
        nums = self.guide.numbers
        return value.quantize(
            Decimal(1).scaleb(-nums.report_scale),
            rounding=ROUNDING_MODES[nums.report_rounding],
            context=self.ctx,
        )

    def function(self, trace: bool = False) -> Callable[..., tuple[Any, ...]]:
        """The scoring function, the same whatever ``trace`` says (kept for callers that
        pass it): with the trace on, a result computes its effective weights and
        contributions from the function's tuple when they are read."""
        return self._build()[0]

    def source(self, trace: bool = True) -> str:
        """The generated Python source of the scoring function; with ``trace``, followed by
        that of the trace function."""
        if not trace:
            return self._build()[1]
        return self._build()[1] + "\n\n" + self._trace_built()[1]

    @property
    def plugins(self) -> tuple[tuple[str, str, str], ...]:
        """Plugin functions the model calls: (function, plugin, version), sorted."""
        self._build()
        return tuple(sorted(self._plugins.values()))


class _ModelCompiler:
    def __init__(
        self,
        guide: Guide,
        model: Model,
        functions: FunctionRegistry,
        cache: dict[tuple[int, str], Checked] | None = None,
    ) -> None:
        self.cache: dict[tuple[int, str], Checked] = cache if cache is not None else {}
        self.guide = guide
        self.model = model
        self.ctx = make_context(guide.numbers.precision, guide.numbers.rounding)
        self.b = CodeBuilder(self.ctx, functions, operators=True)
        self.functions = functions
        self.scope = Scope(guide.input_types(), functions)
        self.rscope = Scope(result_types(model), functions)
        self.plugins: dict[str, tuple[str, str, str]] = {}
        #: Criteria whose points come from constant table rows: index → constant name of
        #: the rows' percentages.
        self.row_pct: dict[int, str] = {}
        #: Criteria whose kind can make them not applicable by itself.
        self.kind_na: set[int] = set()
        self.kinds = kind_registry()
        b = self.b
        b.globals["_Fail"] = ScoreFailure
        b.globals["_quantize"] = Decimal.quantize
        self.k_report_exp = b.const(Decimal(1).scaleb(-guide.numbers.report_scale))
        self.k_report_mode = b.const(ROUNDING_MODES[guide.numbers.report_rounding])
        self.k_zero = b.const(Decimal(0))
        self.k_100 = b.const(Decimal(100))
        pts = guide.points
        self.k_min = b.const(pts.min)
        self.k_max = b.const(pts.max)
        self.k_span = b.const(self.ctx.subtract(pts.max, pts.min))

    # ---- helpers -------------------------------------------------------------------------

    def checked(self, expr: Expr | n.Node, scope: Scope) -> Checked:
        """The checked, folded tree of an expression (shared by both variants)."""
        node = expr.node if isinstance(expr, Expr) else expr
        key = (id(node), "result" if scope is self.rscope else str(scope.tested),
               None if scope.variables is self.scope.variables else tuple(sorted(scope.variables.items())))
        cached = self.cache.get(key)
        if cached is None:
            cached = self.cache[key] = self._check_and_fold(node, scope)
        return cached

    def _check_and_fold(self, node: n.Node, scope: Scope) -> Checked:
        try:
            # The dsl pipeline's check → fold → check again (the functions called are
            # those of the tree as written, folded calls included).
            checked = check_and_fold(node, scope, self.ctx)
        except ExpressionTypeError:
            checked = check_node(node, scope)
            if not checked.ok:  # the guide's checks already reported it
                raise TaqyeemError(diagnostics=checked.diagnostics) from None
            # (a folded tree that no longer checks: the tree as written is compiled)
        for fn in checked.functions:
            if fn.is_plugin:
                self.plugins[fn.name] = (fn.name, fn.plugin or "", fn.version or "")
        return checked

    def value(self, expr: Expr | n.Node, scope: Scope | None = None, env: str = "env") -> tuple[str, bool]:
        """Emit an expression; return (python expression, may be null)."""
        chk = self.checked(expr, scope or self.scope)
        code = self.b.expression(chk, env=env)
        return code, self.b.nullable(chk.node)

    def _pct(self, p: Decimal) -> Decimal:
        """The percentage formula, evaluated at compile time in the scoring context."""
        ctx, pts = self.ctx, self.guide.points
        return ctx.multiply(ctx.divide(ctx.subtract(p, pts.min), ctx.subtract(pts.max, pts.min)), Decimal(100))

    def round_report(self, x: str) -> str:
        return f"_quantize({x}, {self.k_report_exp}, {self.k_report_mode}, _ctx)"

    # ---- criteria ------------------------------------------------------------------------

    def criterion(self, i: int, c: Criterion) -> None:
        b = self.b
        b.emit(f"# criterion {i}")
        # s{i}: status, p{i}: points (None when N/A), r{i}: band row (-1 if none)
        if c.applicable is not None:
            a, a_null = self.value(c.applicable)
            app = b.bind(a)
            if a_null:
                b.emit(f"if {app} is None:")
                with b.block():
                    b.emit(f"raise _Fail({i}, 'applicable-null')")
            b.emit(f"if {app}:")
            with b.block():
                self.points(i, c)
            b.emit("else:")
            with b.block():
                b.emit(f"s{i} = {S_NA}; p{i} = None; r{i} = -1")
        else:
            self.points(i, c)

    def points(self, i: int, c: Criterion) -> None:
        b = self.b
        b.emit(f"s{i} = {S_SCORED}")
        kind = c.kind_object
        if kind is None:  # the guide's checks reported it; a guide with errors is not compiled
            raise TaqyeemError(f"criterion `{c.id}` has an unknown kind `{c.kind}`",
                               code="guide.criterion-kind", span=c.span)
        info = self.kinds.info(c.kind)
        if info is not None and not info.builtin:
            self.plugins[f"kind:{c.kind}"] = (f"kind:{c.kind}", info.plugin, info.version)
        done = kind.compile(c.params, _KindCompiler(self, i, c))
        if done.percentages is not None:
            self.row_pct[i] = done.percentages
        if done.may_be_not_applicable:
            self.kind_na.add(i)
            b.emit(f"if s{i} == {S_SCORED}:")
            b.indent += 1
        if done.on_scale:
            if done.may_be_null:
                b.emit(f"if p{i} is None:")
                with b.block():
                    self._missing(i, c)
            elif done.may_be_not_applicable:
                b.emit("pass")
        else:
            if done.may_be_null:
                b.emit(f"if p{i} is None:")
                with b.block():
                    self._missing(i, c)
                b.emit(f"elif not ({self.k_min} <= p{i} <= {self.k_max}):")
            else:
                b.emit(f"if not ({self.k_min} <= p{i} <= {self.k_max}):")
            with b.block():
                b.emit(f"raise _Fail({i}, 'range', p{i})")
        if done.may_be_not_applicable:
            b.indent -= 1

    def _missing(self, i: int, c: Criterion) -> None:
        b = self.b
        if c.missing == "zero":
            b.emit(f"p{i} = {self.k_min}; s{i} = {S_ZERO}")
        elif c.missing == "not_applicable":
            b.emit(f"s{i} = {S_MISSING_NA}")
        else:
            b.emit(f"raise _Fail({i}, 'missing')")

    # ---- the whole model -----------------------------------------------------------------

    def build(self, infos: tuple[CriterionInfo, ...]) -> tuple[Callable[..., Any], str]:
        """The scoring function of the model, and its source; ``infos`` are the model's
        criteria in order (CompiledModel.criteria)."""
        b = self.b
        m = self.model
        index = 0
        cat_ranges: list[tuple[int, int]] = []
        for cat in m.categories:
            start = index
            for c in cat.criteria:
                self.criterion(index, c)
                index += 1
            cat_ranges.append((start, index))
        count = index
        # Percentages.
        b.emit("# percentages")
        for i in range(count):
            # The documented formula, step by step: even `p − 0` matters, since under
            # rounding `floor` it turns 0 into −0.
            diff = f"(p{i} - {self.k_min})"
            always = _always_scored(infos[i].criterion)
            pct = f"(({diff} / {self.k_span}) * {self.k_100})"
            if i in self.row_pct:
                # Zero points from a missing-value policy have the scale's minimum: 0 %.
                pct = f"({self.row_pct[i]}[r{i}] if r{i} >= 0 else {self.k_zero})"
            if always:
                b.emit(f"q{i} = {pct}")
            else:
                b.emit(f"q{i} = {pct} if p{i} is not None else None")
        # Categories.
        b.emit("# categories")
        for ci in range(len(m.categories)):
            lo, hi = cat_ranges[ci]
            members = list(range(lo, hi))
            if all(_always_scored(infos[i].criterion) for i in members):
                total_w = _ctx_sum(self.ctx, (infos[i].criterion.weight for i in members))
                terms = [f"({b.const(infos[i].criterion.weight)} * q{i})" for i in members]
                _emit_sum(b, f"sn{ci}", terms)
                b.emit(f"cs{ci} = (sn{ci} / {b.const(total_w)})")
                b.emit(f"cw{ci} = {b.const(total_w)}")
            else:
                b.emit(f"sn{ci} = {self.k_zero}; cw{ci} = {self.k_zero}")
                for i in members:
                    w = b.const(infos[i].criterion.weight)
                    b.emit(f"if q{i} is not None:")
                    with b.block():
                        b.emit(f"sn{ci} = (sn{ci} + ({w} * q{i})); cw{ci} = (cw{ci} + {w})")
                b.emit(f"cs{ci} = (sn{ci} / cw{ci}) if cw{ci} else None")
        # Total.
        b.emit("# total")
        cats = list(range(len(m.categories)))
        if all(self._category_always(ci, infos, cat_ranges) for ci in cats):
            terms = [f"({b.const(m.categories[ci].weight)} * cs{ci})" for ci in cats]
            total_cw = _ctx_sum(self.ctx, (c.weight for c in m.categories))
            _emit_sum(b, "tn", terms)
            b.emit(f"tw = {b.const(total_cw)}")
        else:
            b.emit(f"tn = {self.k_zero}; tw = {self.k_zero}")
            for ci in cats:
                w = b.const(m.categories[ci].weight)
                b.emit(f"if cs{ci} is not None:")
                with b.block():
                    b.emit(f"tn = (tn + ({w} * cs{ci})); tw = (tw + {w})")
            b.emit("if not tw:")
            with b.block():
                b.emit("raise _Fail(-1, 'all-na')")
        b.emit("total = (tn / tw)")
        # Basic attainment.
        b.emit("# basic attainment")
        basics = [i for i in range(count) if infos[i].criterion.basic]
        b.emit(f"bn = {self.k_zero}; bw = {self.k_zero}")
        ctx = self.ctx
        for i in basics:
            ci = infos[i].category_index
            product = ctx.multiply(m.categories[ci].weight, infos[i].criterion.weight)
            guard = "" if _always_scored(infos[i].criterion) else f"if q{i} is not None: "
            if self._category_always(ci, infos, cat_ranges):
                lo, hi = cat_ranges[ci]
                total_w = _ctx_sum(ctx, (infos[k].criterion.weight for k in range(lo, hi)))
                g = b.const(ctx.divide(product, total_w))
                b.emit(f"{guard}bn = (bn + ({g} * q{i})); bw = (bw + {g})")
            else:
                b.emit(
                    f"{guard}g = ({b.const(product)} / cw{ci}); bn = (bn + (g * q{i})); bw = (bw + g)"
                )
        b.emit("basic = (bn / bw) if bw else None")
        # Report rounding.
        b.emit("# report rounding")
        b.emit(f"total_r = {self.round_report('total')}")
        b.emit(f"basic_r = {self.round_report('basic')} if basic is not None else None")
        needs = self._result_names()
        # Rounded category scores are computed here only when a gate reads them; the
        # Result rounds them (the same way) when they are asked for.
        if "categories" in needs:
            for ci in cats:
                b.emit(f"csr{ci} = {self.round_report(f'cs{ci}')} if cs{ci} is not None else None")
        # Tiers and flags.
        if needs:
            b.emit("renv = {}")
            b.emit("renv['total'] = total_r")
            b.emit("renv['basic_attainment'] = basic_r")
            if "categories" in needs:
                items = ", ".join(f"{b.const(c.id)}: csr{ci}" for ci, c in enumerate(m.categories))
                b.emit(f"renv['categories'] = {{{items}}}")
            if "criteria" in needs:
                items = ", ".join(f"{b.const(infos[i].criterion.id)}: q{i}" for i in range(count))
                b.emit(f"renv['criteria'] = {{{items}}}")
        b.emit("tier = -1")
        for k, t in enumerate(m.tiers):
            b.emit(f"if tier < 0 and total_r >= {b.const(t.min)}:")
            with b.block():
                if t.require is not None:
                    code, null = self._result_value(t.require)
                    b.emit(f"if {code}{' is True' if null else ''}:")
                    with b.block():
                        b.emit(f"tier = {k}")
                else:
                    b.emit(f"tier = {k}")
        flags = []
        for k, f in enumerate(m.flags):
            code, null = self._result_value(f.when)
            b.emit(f"f{k} = {code}")
            flags.append(f"f{k}")
        result = (
            f"(({_tuple(f's{i}' for i in range(count))}), "
            f"({_tuple(f'p{i}' for i in range(count))}), "
            f"({_tuple(f'r{i}' for i in range(count))}), "
            f"({_tuple(f'q{i}' for i in range(count))}), "
            f"({_tuple(f'cs{ci}' for ci in cats)}), "
            f"{'(' + _tuple(f'csr{ci}' for ci in cats) + ')' if 'categories' in needs else 'None'}, "
            f"total, total_r, basic, basic_r, tier, ({_tuple(flags)}))"
        )
        name = f"score_{self.guide.edition}_{m.id}".replace("-", "_").replace(".", "_")
        if not name.isidentifier():
            name = f"score_{m.id}"
        fn = b.build(name, "env", result, f"guide {self.guide.edition} model {m.id}")
        self.cat_ranges = cat_ranges
        return fn, fn.__taqyeem_source__

    def build_trace(self, infos: tuple[CriterionInfo, ...]) -> tuple[Callable[..., Any], str]:
        """The trace function of the model — ``trace(q, cs)`` over the scorer's
        percentages and category scores, returning every criterion's effective weight and
        contribution — and its source. Run only when a result's trace is read, it
        recomputes the weight sums the scorer summed, in the same order of operations in
        the same context: the numbers are those the scorer would have given (the engine's
        property tests hold them to the reference)."""
        m, ctx = self.model, self.ctx
        ranges = self.cat_ranges
        count = len(infos)
        t = CodeBuilder(self.ctx, self.functions, operators=True)
        zero, hundred = t.const(Decimal(0)), t.const(Decimal(100))
        t.emit(f"{_tuple(f'q{i}' for i in range(count))} = q")
        t.emit(f"{_tuple(f'cs{ci}' for ci in range(len(m.categories)))} = cs")
        # The effective weights depend only on which criteria count (not on their points):
        # they are worked out once per such pattern and kept (the same tuple object, so a
        # result writer can keep their texts too).
        optional = [i for i in range(count) if not _always_scored(infos[i].criterion)]
        memo = "_E"
        t.globals[memo] = {}
        t.globals["_len"] = len
        t.emit(f"key = ({_tuple(f'q{i} is None' for i in optional)})" if optional else "key = ()")
        t.emit(f"E = {memo}.get(key)")
        t.emit("if E is None:")
        with t.block():
            # The sums of weights of the applicable criteria, as the scorer added them.
            for ci in range(len(m.categories)):
                if self._category_always(ci, infos, ranges):
                    continue
                lo, hi = ranges[ci]
                t.emit(f"cw{ci} = {zero}")
                for i in range(lo, hi):
                    w = t.const(infos[i].criterion.weight)
                    t.emit(f"if q{i} is not None:")
                    with t.block():
                        t.emit(f"cw{ci} = (cw{ci} + {w})")
            cats = range(len(m.categories))
            if all(self._category_always(ci, infos, ranges) for ci in cats):
                t.emit(f"tw = {t.const(_ctx_sum(ctx, (c.weight for c in m.categories)))}")
            else:
                t.emit(f"tw = {zero}")
                for ci in cats:
                    w = t.const(m.categories[ci].weight)
                    t.emit(f"if cs{ci} is not None:")
                    with t.block():
                        t.emit(f"tw = (tw + {w})")
            for i in range(count):
                ci = infos[i].category_index
                product = ctx.multiply(m.categories[ci].weight, infos[i].criterion.weight)
                if self._category_always(ci, infos, ranges):
                    lo, hi = ranges[ci]
                    total_w = _ctx_sum(ctx, (infos[k].criterion.weight for k in range(lo, hi)))
                    scaled = t.const(ctx.multiply(ctx.divide(product, total_w), Decimal(100)))
                    t.emit(f"e{i} = ({scaled} / tw) if q{i} is not None else None")
                else:
                    t.emit(f"e{i} = ((({t.const(product)} / cw{ci}) * {hundred}) / tw) if q{i} is not None else None")
            t.emit(f"E = ({_tuple(f'e{i}' for i in range(count))})")
            t.emit(f"if _len({memo}) < {MAX_TRACE_PATTERNS}:")
            with t.block():
                t.emit(f"{memo}[key] = E")
        for i in range(count):
            t.emit(f"k{i} = ((E[{i}] * q{i}) / {hundred}) if q{i} is not None else None")
        result = f"(E, ({_tuple(f'k{i}' for i in range(count))}))"
        name = f"trace_{self.guide.edition}_{m.id}".replace("-", "_").replace(".", "_")
        if not name.isidentifier():
            name = f"trace_{m.id}"
        fn = t.build(name, "q, cs", result, f"guide {self.guide.edition} model {m.id} (trace)")
        return fn, fn.__taqyeem_source__

    def _category_always(self, ci: int, infos: tuple[CriterionInfo, ...], ranges: list[tuple[int, int]]) -> bool:
        lo, hi = ranges[ci]
        return all(_always_scored(infos[i].criterion) for i in range(lo, hi))

    def _result_names(self) -> set[str]:
        names: set[str] = set()
        for t in self.model.tiers:
            if t.require is not None:
                names |= set(n.free_names(t.require.node))
        for f in self.model.flags:
            names |= set(n.free_names(f.when.node))
        return names

    def _result_value(self, expr: Expr) -> tuple[str, bool]:
        chk = self.checked(expr, self.rscope)
        code = self.b.expression(chk, env="renv")
        return code, self.b.nullable(chk.node)


class _KindCompiler:
    """The :class:`~taqyeem_rules.guide.kinds.CompileContext` handed to a criterion's
    kind: the model's code builder, the names to assign, and expression emission."""

    def __init__(self, compiler: _ModelCompiler, index: int, criterion: Criterion) -> None:
        self._c = compiler
        self.index = index
        self.guide = compiler.guide
        self.criterion = criterion
        self.points = f"p{index}"
        self.detail = f"r{index}"
        self.builder = compiler.b
        self.input_scope = compiler.scope

    def scope(self, variables: Any, tested: Any = None) -> Scope:
        return Scope(variables, self._c.functions, tested)

    def checked(self, expr: Expr | n.Node, scope: Scope | None = None) -> Checked:
        return self._c.checked(expr, scope or self._c.scope)

    def value(self, expr: Expr | n.Node, scope: Scope | None = None, env: str = "env") -> tuple[str, bool]:
        return self._c.value(expr, scope, env)

    def emit(self, line: str) -> None:
        self.builder.emit(line)

    def block(self) -> Any:
        return self.builder.block()

    def const(self, value: Any) -> str:
        return self.builder.const(value)

    def fail(self, reason: str, value: str = "None") -> str:
        return f"raise _Fail({self.index}, {reason!r}, {value})"

    def not_applicable(self) -> str:
        return f"s{self.index} = {S_NA}; p{self.index} = None"

    def percentage(self, points: Decimal) -> Decimal:
        return self._c._pct(points)


def _criteria_writer(compiled: CompiledModel, traced: bool, detail: bool) -> Callable[..., list[dict[str, Any]]]:
    """Generate :meth:`CompiledModel.criteria_writer` (from checked guide data only: ids
    are written with ``repr``, anything else is bound as a constant). Each criterion is
    one dict display in sorted key order; the keys a criterion may lack (its contribution
    and effective weight when it counts for nothing, its kind's detail when there is
    none) choose between displays."""
    from ..dsl.numbers import canonical
    from ..guide.kinds import CriterionKind
    from .result import exact_text, value_data

    inputs = {i.id: i for i in compiled.guide.inputs}
    env_ids = set(compiled.input_ids)
    consts: dict[str, Any] = {"_x": exact_text, "_c": canonical, "_data": value_data, "_S": STATUS}
    lines = ["def write(status, points, rows, pct, eff, contrib, env, data):", "    out = []", "    add = out.append"]
    if traced:
        # The effective weights of a pattern of applicability are one kept tuple (the
        # trace function's memo): their texts are written once per tuple, kept with it.
        consts["_ET"] = {}
        lines += [
            "    et = _ET.get(id(eff))",
            "    if et is None or et[0] is not eff:",
            "        et = (eff, tuple(None if e is None else _c(e) for e in eff))",
            f"        if len(_ET) < {MAX_TRACE_PATTERNS}:",
            "            _ET[id(eff)] = et",
            "    et = et[1]",
        ]
    for i, cid, cat, weight, basic, form, reads, _row_of, _detail_of in compiled.criteria_data():
        kind = compiled.criteria[i].kind
        lines.append(f"    s = status[{i}]")
        for k, name in enumerate(reads):
            if name not in inputs:
                lines.append(f"    v{k} = env[{name!r}]" if name in env_ids else f"    v{k} = env.get({name!r})")
        cells = []
        for k, name in enumerate(reads):
            # an input's value as the evidence's canonical data holds it (worked out once
            # per centre, shared with its fingerprint); anything else written here
            cells.append(f"{name!r}: " + (f"data.get({name!r})" if name in inputs else f"_data(v{k})"))
        if type(kind).row is CriterionKind.row:
            row = "None"
        else:
            consts[f"_row{i}"] = kind.row
            row = f"_row{i}(rows[{i}])"
        has_detail = detail and type(kind).detail_data is not CriterionKind.detail_data
        if has_detail:
            consts[f"_detail{i}"] = functools.partial(kind.detail_data, compiled.criteria[i].criterion.params)
            lines.append(f"    dt = _detail{i}(rows[{i}])")
        if traced:
            lines += [f"    e = eff[{i}]", f"    c = contrib[{i}]"]

        def display(with_trace: str | None, with_detail: bool, i: int = i, cat: str = cat, basic: bool = basic,
                    form: str = form, cid: str = cid, weight: str = weight, row: str = row,
                    cells: list[str] = cells) -> str:
            items = [f"'basic': {basic!r}", f"'category': {cat!r}"]
            if with_trace:
                items.append(f"'contribution': {with_trace}(c)")
            if with_detail:
                items.append("'detail': _data(dt)")
            if with_trace:
                items.append(f"'effective_weight': et[{i}]")
            items += [
                f"'form': {form!r}", f"'id': {cid!r}", "'inputs': {" + ", ".join(cells) + "}",
                f"'percentage': None if (p := pct[{i}]) is None else _c(p)",
                f"'points': None if s == {S_MISSING_NA} or (q := points[{i}]) is None else _c(q)",
                f"'row': {row}", "'status': _S[s]", f"'weight': {weight!r}",
            ]
            return "add({" + ", ".join(items) + "})"

        branches = []
        # the trace's texts: both values (canonical() straight), one of them (exact_text,
        # which passes None on), or none
        tests = {"_c": "e is not None and c is not None", "_x": "(e is not None or c is not None)",
                 None: "e is None and c is None"}
        for t in (("_c", "_x", None) if traced else (None,)):
            for dd in ((True, False) if has_detail else (False,)):
                test = " and ".join(
                    ([tests[t]] if traced else [])
                    + ([("dt is not None" if dd else "dt is None")] if has_detail else [])
                )
                branches.append((test, display(t, dd)))
        if len(branches) == 1:
            lines.append(f"    {branches[0][1]}")
        else:
            for k, (test, code) in enumerate(branches):
                if k == len(branches) - 1:
                    lines += ["    else:", f"        {code}"]
                else:
                    lines += [f"    {'if' if k == 0 else 'elif'} {test}:", f"        {code}"]
    lines.append("    return out")
    source = "\n".join(lines) + "\n"
    namespace: dict[str, Any] = {"__builtins__": {"None": None, "id": id, "len": len, "tuple": tuple}, **consts}
    exec(compile(source, f"<taqyeem write {compiled.guide.edition}:{compiled.model.id}>", "exec"), namespace)
    fn = namespace["write"]
    fn.source = source
    return fn  # type: ignore[no-any-return]


def _tuple(items: Any) -> str:
    items = list(items)
    if not items:
        return ""
    return ", ".join(items) + ("," if len(items) == 1 else "")


def _emit_sum(b: CodeBuilder, name: str, terms: list[str]) -> None:
    """``name = t0 + t1 + …`` added left to right, one statement per term: a nested
    ``_add(_add(…))`` would nest as deep as the guide is long, and Python's parser
    refuses code nested about 200 levels deep."""
    b.emit(f"{name} = {terms[0]}")
    for t in terms[1:]:
        b.emit(f"{name} = ({name} + {t})")


def _ctx_sum(ctx: decimal.Context, items: Any) -> Decimal:
    """Σ in the guide's context (never the thread's current one), as the generated code adds."""
    total = Decimal(0)
    for item in items:
        total = ctx.add(total, item)
    return total


def _always_scored(c: Criterion) -> bool:
    """True when the criterion can never be N/A (so its weight is always counted)."""
    if c.applicable is not None or c.missing == "not_applicable":
        return False
    kind = c.kind_object
    return kind is None or not kind.may_be_not_applicable(c.params)


def compile_model(guide: Guide, model: Model) -> CompiledModel:
    """The compiled form of a model of a guide, with the process's function registry
    (cached on the guide; the scoring functions themselves are generated on first use)."""
    cached = guide.memo.compiled.get(model.id)
    if cached is None:
        cached = guide.memo.compiled[model.id] = CompiledModel(guide, model, default_registry())
    return cached
