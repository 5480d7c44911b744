"""Checked trees → Python functions.

The pipeline is a visible tuple of small passes (:data:`PIPELINE`): parse → check →
fold constants → check the folded tree → generate code. Code is generated only from
checked nodes, and no text of the user's reaches the generated source: constants,
variable names and item names are passed in through the function's globals, so the
source holds nothing but generated identifiers. The source is registered in
:mod:`linecache` under a readable name (``<taqyeem expression 1>``) so tracebacks and
profilers show it.

Static types decide the shape of the code: a value that cannot be null is used
directly; a nullable one is bound to a local and tested (FEEL null propagation).
Arithmetic goes through the explicit decimal context's methods, never the thread's
context.

When compiled code raises, the same expression is run by the reference interpreter to
find and name the failing node; the fast path carries no bookkeeping.
"""

from __future__ import annotations

import decimal
import functools
import itertools
import linecache
import operator
import weakref
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from ..errors import EvaluationError, PluginError, TaqyeemError
from . import nodes as n
from .builtins import BUILTINS, ROUNDING_FUNCTIONS, Function, valid_scale
from .checker import Checked
from .interpreter import feel_type_name, interpret
from .numbers import FEEL_CONTEXT, power
from .plugins import FunctionRegistry, default_registry
from .types import (
    ContextType,
    ListType,
    Scalar,
    Type,
    is_any,
    is_null,
)

__all__ = ["MAX_INDENT", "CodeBuilder", "CompiledExpression"]

_counter = itertools.count(1)

#: Python refuses more than 100 levels of indentation; the tree depth limit keeps
#: generated blocks far below this.
MAX_INDENT = 90

_ARITH = {"+": "_add", "-": "_sub", "*": "_mul", "/": "_div", "**": "_pow"}

def _may_be_null(t: Type | None) -> bool:
    return t is None or t.nullable or is_any(t) or is_null(t)


class CodeBuilder:
    """Emits Python statements for checked trees into one function body.

    The engine uses one builder for a whole model, so a centre is scored by a single
    generated function; :class:`CompiledExpression` uses one per expression.
    """

    def __init__(
        self,
        ctx: decimal.Context = FEEL_CONTEXT,
        functions: FunctionRegistry | None = None,
        *,
        inline_rounding: bool = False,
        operators: bool = False,
    ) -> None:
        self.ctx = ctx
        self.registry = functions or default_registry()
        #: Inline decimal(), round_*(), floor() and ceiling() with a literal scale as one
        #: quantize. Its only possible failure (a result wider than the precision) then
        #: surfaces as decimal.InvalidOperation rather than EvaluationError: for callers
        #: that explain raw exceptions with the interpreter, as CompiledExpression does.
        self.inline_rounding = inline_rounding
        #: Write arithmetic with Python's operators (``a + b``, half the cost of
        #: ``ctx.add(a, b)``), the function's body running in a local copy of ``ctx``
        #: (``decimal.localcontext``): the same digits, rounding and traps, whatever
        #: context the calling thread has. Without it, every operation names ``ctx``.
        self.operators = operators
        self._env = "env"
        self.lines: list[str] = []
        self.indent = 1
        self._tmp = itertools.count()
        self._const_names: dict[tuple[str, str], str] = {}
        self.globals: dict[str, Any] = {
            "__builtins__": {},
            "_ctx": ctx,
            "_add": ctx.add,
            "_sub": ctx.subtract,
            "_mul": ctx.multiply,
            "_div": ctx.divide,
            "_pow": functools.partial(power, ctx),
            "_minus": ctx.minus,
            "_plus": ctx.plus,
            "Decimal": Decimal,
        }
        if operators:
            # (code written outside this builder's templates calls these names)
            self.globals.update({
                "_add": operator.add, "_sub": operator.sub, "_mul": operator.mul,
                "_div": operator.truediv, "_minus": operator.neg, "_plus": operator.pos,
                "_localcontext": decimal.localcontext,
            })
        self.types: dict[int, Type] = {}
        self.tested: str | None = None

    # ---- emission primitives -----------------------------------------------------

    def emit(self, line: str) -> None:
        if self.indent > MAX_INDENT:  # pragma: no cover - prevented by the depth limit
            raise TaqyeemError("expression too deeply nested to compile", code="limit.depth")
        self.lines.append("    " * self.indent + line)

    @contextmanager
    def block(self) -> Iterator[None]:
        self.indent += 1
        try:
            yield
        finally:
            self.indent -= 1

    @contextmanager
    def capture(self) -> Iterator[list[str]]:
        """Collect the statements emitted inside, instead of appending them."""
        saved = self.lines
        self.lines = []
        captured = self.lines
        try:
            yield captured
        finally:
            self.lines = saved

    def tmp(self) -> str:
        return f"t{next(self._tmp)}"

    def const(self, value: Any) -> str:
        """A global name holding ``value`` (deduplicated by type and exact text)."""
        key = (type(value).__name__, repr(value) if not isinstance(value, Decimal) else str(value))
        name = self._const_names.get(key)
        if name is None:
            name = f"_k{len(self._const_names)}"
            self._const_names[key] = name
            self.globals[name] = value
        return name

    def function(self, fn: Function) -> str:
        name = f"_f_{fn.name}"
        self.globals[name] = fn.impl
        return name

    def bind(self, expr: str) -> str:
        """A local holding the value of ``expr`` (evaluated once, here)."""
        if expr.isidentifier() or expr in ("True", "False", "None"):
            return expr
        name = self.tmp()
        self.emit(f"{name} = {expr}")
        return name

    def guard(
        self, operands: list[tuple[str, bool]], *, bind_all: bool = False
    ) -> tuple[list[str], str]:
        """Bind the operands (in order) and the condition under which one is null.

        ``bind_all`` binds them even when none may be null: for a chained comparison
        (``lo <= v <= hi``), which would otherwise skip ``hi`` when ``lo <= v`` fails,
        where the interpreter evaluates (and may fail on) every operand."""
        if bind_all or any(maybe_null for _, maybe_null in operands):
            # Bind all, in order, so every operand is evaluated exactly as the
            # interpreter does (both sides of an arithmetic operator always run).
            bound = [self.bind(e) for e, _ in operands]
        else:
            bound = [e for e, _ in operands]
        cond = " or ".join(
            f"{b} is None" for b, (_, maybe_null) in zip(bound, operands, strict=True) if maybe_null
        )
        return bound, cond

    def type_of(self, node: n.Node) -> Type | None:
        return self.types.get(id(node))

    def nullable(self, node: n.Node) -> bool:
        if isinstance(node, n.Num | n.Str | n.Bool):
            return False
        return _may_be_null(self.type_of(node))

    # ---- expressions --------------------------------------------------------------

    def expression(self, checked: Checked, env: str = "env") -> str:
        """Emit the statements of a checked tree; return the expression of its value."""
        self.types.update(checked.types)
        self._env = env
        return self.expr(checked.node)

    def expr(self, node: n.Node) -> str:
        match node:
            case n.Num(value=value) | n.Str(value=value):
                return self.const(value)
            case n.Bool(value=value):
                return "True" if value else "False"
            case n.Null():
                return "None"
            case n.Name(name=name):
                return f"{self._env}[{self.const(name)}]"
            case n.QMark():
                assert self.tested is not None
                return self.tested
            case n.Path(base=base, member=member):
                b = self.expr(base)
                key = self.const(member)
                if self.nullable(base):
                    tb = self.bind(b)
                    return f"(None if {tb} is None else {tb}[{key}])"
                return f"{b}[{key}]"
            case n.ListLit(items=items):
                return "[" + ", ".join(self.expr(i) for i in items) + "]"
            case n.Neg(operand=operand):
                return self._unary(operand, "(-{})" if self.operators else "_minus({})")
            case n.Not(operand=operand):
                return self._unary(operand, "(not {})")
            case n.BinOp(op=op, left=left, right=right):
                return self._binop(node, op, left, right)
            case n.Compare(op=op, left=left, right=right):
                a, b = self.expr(left), self.expr(right)
                if op in ("=", "!=") and (isinstance(left, n.Null) or isinstance(right, n.Null)):
                    # Only null equals null: `x = null` is an identity test.
                    other = b if isinstance(left, n.Null) else a
                    return f"({other} {'is' if op == '=' else 'is not'} None)"
                if op in ("=", "!="):
                    return f"({a} {'==' if op == '=' else '!='} {b})"
                return self._ordered(op, a, b, self.nullable(left), self.nullable(right))
            case n.BoolOp(op=op, left=left, right=right):
                return self._boolop(op, left, right)
            case n.If(cond=cond, then=then, otherwise=otherwise):
                return self._if(cond, then, otherwise)
            case n.Between(value=value, low=low, high=high):
                (tv, tlo, thi), cond = self.guard(
                    [
                        (self.expr(value), self.nullable(value)),
                        (self.expr(low), self.nullable(low)),
                        (self.expr(high), self.nullable(high)),
                    ],
                    bind_all=True,
                )
                body = f"{tlo} <= {tv} <= {thi}"
                return f"(None if {cond} else {body})" if cond else f"({body})"
            case n.In(value=value, test=test):
                v = self.bind(self.expr(value))
                return self.test(test, v, self.nullable(value), cell=False)
            case n.Call():
                return self._call(node)
        raise TaqyeemError(  # pragma: no cover - the checker rejects everything else
            f"cannot compile `{n.unparse(node)}`", span=node.span, code="compile.node"
        )

    def _unary(self, operand: n.Node, template: str) -> str:
        (x,), cond = self.guard([(self.expr(operand), self.nullable(operand))])
        return f"(None if {cond} else {template.format(x)})" if cond else template.format(x)

    def _binop(self, node: n.Node, op: str, left: n.Node, right: n.Node) -> str:
        a, b = self.expr(left), self.expr(right)
        t = self.type_of(node)
        if t is not None and isinstance(t, Scalar) and t.name == "string":
            template = "({} + {})"
        elif t is not None and (is_any(t) or is_null(t)):
            template = f"_arith_any(_ctx, {self.const(op)}, {{}}, {{}})"
            self.globals["_arith_any"] = _arith_any
        elif self.operators and op != "**":
            template = "({} " + op + " {})"
        else:
            template = _ARITH[op] + "({}, {})"
        (ta, tb), cond = self.guard([(a, self.nullable(left)), (b, self.nullable(right))])
        body = template.format(ta, tb)
        return f"(None if {cond} else {body})" if cond else body

    def _ordered(self, op: str, a: str, b: str, a_null: bool, b_null: bool) -> str:
        (ta, tb), cond = self.guard([(a, a_null), (b, b_null)])
        return f"(None if {cond} else {ta} {op} {tb})" if cond else f"({ta} {op} {tb})"

    def _boolop(self, op: str, left: n.Node, right: n.Node) -> str:
        a = self.expr(left)
        with self.capture() as right_lines, self.block():
            b = self.expr(right)
        # With a left side that is never null, Python's `and`/`or` are FEEL's: the
        # result is the left side when it decides, else the right side, null or not.
        three_valued = self.nullable(left)
        if not three_valued and not right_lines:
            return f"({a} {op} {b})"
        stop = "False" if op == "and" else "True"
        r = self.tmp()
        self.emit(f"{r} = {a}")
        if not three_valued:
            self.emit(f"if {'' if op == 'and' else 'not '}{r}:")
            self.lines.extend(right_lines)
            with self.block():
                self.emit(f"{r} = {b}")
            return r
        self.emit(f"if {r} is not {stop}:")
        self.lines.extend(right_lines)
        with self.block():
            rr = self.bind(b)
            other = "True" if op == "and" else "False"
            self.emit(
                f"{r} = {stop} if {rr} is {stop} else "
                f"(None if {r} is None or {rr} is None else {other})"
            )
        return r

    def _if(self, cond: n.Node, then: n.Node, otherwise: n.Node) -> str:
        c = self.expr(cond)
        test = f"{c} is True" if self.nullable(cond) else c
        with self.capture() as then_lines, self.block():
            t = self.expr(then)
        with self.capture() as else_lines, self.block():
            e = self.expr(otherwise)
        if not then_lines and not else_lines:
            return f"({t} if {test} else {e})"
        r = self.tmp()
        self.emit(f"if {test}:")
        self.lines.extend(then_lines)
        with self.block():
            self.emit(f"{r} = {t}")
        self.emit("else:")
        self.lines.extend(else_lines)
        with self.block():
            self.emit(f"{r} = {e}")
        return r

    def _call(self, node: n.Call) -> str:
        fn = self.registry.get(node.name)
        if fn is None:  # pragma: no cover - the checker rejects unknown functions
            raise TaqyeemError(f"unknown function `{node.name}`", span=node.span)
        if fn is BUILTINS.get(fn.name):
            inlined = self._inline(node)
            if inlined is not None:
                return inlined
        f = self.function(fn)
        args = [(self.expr(a), not fn.null_safe and self.nullable(a)) for a in node.args]
        bound, cond = self.guard(args)
        call = f"{f}(_ctx{''.join(', ' + a for a in bound)})"
        return f"(None if {cond} else {call})" if cond else call

    def _inline(self, node: n.Call) -> str | None:
        """Built-in calls written out in place, where that cannot change a result or an
        error: clamp() with literal bounds, rounding with a literal scale."""
        args = node.args
        if node.name == "clamp" and len(args) == 3 and _literal_numbers(args[1:]):
            lo, hi = args[1].value, args[2].value  # type: ignore[attr-defined]
            if lo > hi:  # an error at run time: leave it to the built-in
                return None
            (x,), cond = self.guard([(self.expr(args[0]), self.nullable(args[0]))])
            x = self.bind(x)
            klo, khi = self.const(lo), self.const(hi)
            body = f"({klo} if {x} < {klo} else ({khi} if {x} > {khi} else {x}))"
            return f"(None if {cond} else {body})" if cond else body
        if self.inline_rounding and node.name in ROUNDING_FUNCTIONS and 1 <= len(args) <= 2:
            if len(args) == 1:
                scale = Decimal(0)
            elif _literal_numbers(args[1:]):
                scale = args[1].value  # type: ignore[attr-defined]
            else:
                return None
            if not valid_scale(scale):
                return None  # eval.scale at run time, from the built-in
            mode = ROUNDING_FUNCTIONS[node.name]
            quantize = f"_quantize_{mode.lower()}"
            if quantize not in self.globals:
                rounding_ctx = self.ctx.copy()
                rounding_ctx.rounding = mode
                self.globals[quantize] = rounding_ctx.quantize
            exp = self.const(Decimal((0, (1,), -int(scale))))  # 10**-scale, exactly
            (x,), cond = self.guard([(self.expr(args[0]), self.nullable(args[0]))])
            body = f"{quantize}({x}, {exp})"
            return f"(None if {cond} else {body})" if cond else body
        return None

    # ---- unary tests -----------------------------------------------------------------

    def test(self, test: n.Node, v: str, v_nullable: bool, *, cell: bool = True) -> str:
        """The three-valued result of one positive unary test on the value ``v`` (in a
        cell, a test using ``?`` is a boolean condition on the cell's tested value)."""
        if isinstance(test, n.CmpTest):
            e = self.expr(test.value)
            return self._ordered(test.op, v, e, v_nullable, self.nullable(test.value))
        if isinstance(test, n.Range):
            lop = "<=" if test.low_closed else "<"
            hop = "<=" if test.high_closed else "<"
            (tv, tlo, thi), cond = self.guard(
                [
                    (v, v_nullable),
                    (self.expr(test.low), self.nullable(test.low)),
                    (self.expr(test.high), self.nullable(test.high)),
                ],
                bind_all=True,
            )
            body = f"{tlo} {lop} {tv} {hop} {thi}"
            return f"(None if {cond} else {body})" if cond else f"({body})"
        if cell and n.uses_qmark(test):
            return self.expr(test)
        t = self.type_of(test)
        if isinstance(test, n.ListLit) and all(
            isinstance(i, n.Num | n.Str | n.Bool | n.Null) for i in test.items
        ):
            values = [i.value if not isinstance(i, n.Null) else None for i in test.items]  # type: ignore[attr-defined]
            return f"({v} in {self.const(tuple(values))})"
        e = self.expr(test)
        if isinstance(t, ListType):
            if _may_be_null(t):
                # A null list is a null value: the test is `v = null` (as interpreted).
                te = self.bind(e)
                return f"({v} is None if {te} is None else {v} in {te})"
            return f"({v} in {e})"
        return f"({v} == {e})"

    def cell(self, cell: n.UnaryTests, v: str, v_nullable: bool) -> str:
        """The three-valued result of a whole decision-table cell on the value ``v``."""
        if any(isinstance(t, n.AnyTest) for t in cell.tests):
            return "True"
        first, *rest = cell.tests
        saved, self.tested = self.tested, v
        try:
            return self._cell_tests(cell, first, rest, v, v_nullable)
        finally:
            self.tested = saved

    def _cell_tests(self, cell: n.UnaryTests, first: n.Node, rest: list[n.Node], v: str, v_nullable: bool) -> str:
        result = self.test(first, v, v_nullable)
        if rest:
            fresh = self.tmp()
            self.emit(f"{fresh} = {result}")
            result = fresh
            for test in rest:
                with self.capture() as lines, self.block():
                    e = self.test(test, v, v_nullable)
                self.emit(f"if {result} is not True:")
                self.lines.extend(lines)
                with self.block():
                    rr = self.bind(e)
                    self.emit(
                        f"{result} = True if {rr} is True else "
                        f"(None if {result} is None or {rr} is None else False)"
                    )
        if cell.negated:
            r = self.bind(result)
            return f"(None if {r} is None else not {r})"
        return result

    # ---- building -----------------------------------------------------------------------

    def build(
        self,
        name: str,
        params: str,
        body_result: str | None,
        label: str,
        *,
        on_error: Callable[[Any, BaseException], BaseException] | None = None,
    ) -> Callable[..., Any]:
        """Compile the emitted body into a function ``name(params)``.

        With ``on_error``, the body runs in a ``try`` whose handler raises
        ``on_error(<first parameter>, exception)`` (no wrapper call on the fast path).
        """
        header = [f"# {label!r}"[:200].replace("\n", " "), f"def {name}({params}):"]
        body = list(self.lines)
        if body_result is not None:
            body.append(f"    return {body_result}")
        if not body:
            body.append("    pass")
        if self.operators:  # the arithmetic reads the thread's context: a copy of ctx
            body = ["    with _localcontext(_ctx):"] + ["    " + line for line in body]
        if on_error is not None:
            self.globals["_on_error"] = on_error
            self.globals["_Exception"] = Exception
            first = params.split(",")[0].split("=")[0].strip()
            body = (
                ["    try:"]
                + ["    " + line for line in body]
                + ["    except _Exception as exc:", f"        raise _on_error({first}, exc) from None"]
            )
        source = "\n".join(header + body) + "\n"
        filename = f"<taqyeem {name} {next(_counter)}>"
        try:
            code = compile(source, filename, "exec")
        except (SyntaxError, RecursionError, MemoryError) as exc:  # a compiler bug: never a traceback
            raise TaqyeemError(
                f"internal error: the code generated for {label} does not compile "
                f"({type(exc).__name__}: {exc})",
                code="internal.compiler",
                hint="please report it, with the guide",
            ) from None
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        namespace = dict(self.globals)
        exec(code, namespace)
        fn = namespace[name]
        fn.__taqyeem_source__ = source
        # The source stays readable for tracebacks while the function lives, no longer.
        weakref.finalize(fn, linecache.cache.pop, filename, None)
        return fn


def _literal_numbers(nodes: tuple[n.Node, ...]) -> bool:
    return all(isinstance(a, n.Num) for a in nodes)


def _arith_any(ctx: decimal.Context, op: str, a: Any, b: Any) -> Any:
    if op == "+" and isinstance(a, str) and isinstance(b, str):
        return a + b
    if op == "**":
        return power(ctx, a, b)
    return {"+": ctx.add, "-": ctx.subtract, "*": ctx.multiply, "/": ctx.divide}[op](a, b)


_NO_VARIABLES: Mapping[str, Any] = {}


class CompiledExpression:
    """A checked, folded and compiled expression: call it with the variables."""

    def __init__(
        self,
        checked: Checked,
        source: str,
        declared: Mapping[str, Type],
        *,
        ctx: decimal.Context = FEEL_CONTEXT,
        functions: FunctionRegistry | None = None,
        original: n.Node | None = None,
    ) -> None:
        self.node = checked.node
        self.original = original if original is not None else checked.node
        self.type = checked.type
        self.source = source
        self.names = checked.names
        self.functions = checked.functions
        self.declared = dict(declared)
        self.ctx = ctx
        self.registry = functions or default_registry()
        builder = CodeBuilder(ctx, self.registry, inline_rounding=True)
        result = builder.expression(checked)
        #: The generated function itself: ``evaluate(variables)``, the fastest way to
        #: call the expression (errors are explained as by calling the object).
        self.evaluate: Callable[[Mapping[str, Any]], Any] = builder.build(
            "expression", "env", result, source, on_error=self._explain
        )
        self.python_source: str = self.evaluate.__taqyeem_source__  # type: ignore[attr-defined]

    @property
    def plugins(self) -> tuple[Function, ...]:
        return tuple(f for f in self.functions if f.is_plugin)

    def __call__(self, variables: Mapping[str, Any] | None = None) -> Any:
        return self.evaluate(variables if variables is not None else _NO_VARIABLES)

    def interpret(self, variables: Mapping[str, Any] | None = None) -> Any:
        """Evaluate with the reference interpreter (for tests and diagnosis)."""
        return interpret(self.node, variables or {}, ctx=self.ctx, functions=self.registry)

    def _explain(self, env: Mapping[str, Any], exc: BaseException) -> TaqyeemError:
        """Turn a failure of the fast path into an error naming the node."""
        if isinstance(exc, PluginError):
            # The interpreter names the call that failed (plugins are deterministic).
            try:
                interpret(self.original, env, ctx=self.ctx, functions=self.registry)
            except PluginError as located:
                return located
            except TaqyeemError:
                pass
            return exc
        for name in sorted(set(self.declared) & {x.split(".")[0] for x in self.names}):
            if name not in env:
                continue
            problem = _value_problem(env[name], self.declared[name])
            if problem:
                return EvaluationError(
                    f"variable `{name}` {problem}",
                    code="eval.variable-type",
                    hint=f"its declared type is {self.declared[name]}",
                )
        try:
            # The tree as written (before folding), so the message quotes the user's text.
            value = interpret(self.original, env, ctx=self.ctx, functions=self.registry)
        except TaqyeemError as err:
            return err
        return TaqyeemError(  # pragma: no cover - a compiler bug, loudly
            f"internal error: compiled code failed ({type(exc).__name__}: {exc}) where the "
            f"reference interpreter gives {value!r} for `{self.source}`",
            code="internal.compiler",
            hint="please report this with the expression and the variables",
        )

    def __repr__(self) -> str:
        return f"CompiledExpression({self.source!r}, type={self.type})"


def _value_problem(value: Any, t: Type) -> str | None:
    """Why a runtime value does not fit a declared type (None when it fits)."""
    if value is None:
        return None if _may_be_null(t) else f"is null, but its type {t} is not nullable"
    if isinstance(value, float):
        return f"is a float ({value!r}); numbers must be Decimal"
    if isinstance(t, Scalar) and t.name in ("number", "boolean", "string"):
        if t.name == "boolean":
            ok = isinstance(value, bool)
        elif t.name == "number":
            ok = isinstance(value, Decimal | int) and not isinstance(value, bool)
        else:
            ok = isinstance(value, str)
        return None if ok else f"is a {feel_type_name(value)}, not a {t.name}"
    if isinstance(t, ListType):
        if not isinstance(value, list):
            return f"is a {type(value).__name__}, not a list"
        for i, item in enumerate(value):
            p = _value_problem(item, t.elem)
            if p:
                return f"item {i + 1} {p}"
        return None
    if isinstance(t, ContextType):
        if not isinstance(value, Mapping):
            return f"is a {type(value).__name__}, not a {t.kind}"
        for key, ft in t.fields:
            if key not in value:
                return f"has no item `{key}`"
            p = _value_problem(value[key], ft)
            if p:
                return f"item `{key}` {p}"
    return None

