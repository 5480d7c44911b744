"""Static checking: resolve every name, type every node, check every call.

The checker runs when a guide is loaded, not when it is scored. It *collects*
diagnostics (every unknown name, every mismatched operand) and gives each node a
type; on an error the node's type becomes ``any`` so one mistake does not cascade.
An unknown name gets a "did you mean …?" hint from the names in scope.
"""

from __future__ import annotations

from collections.abc import Mapping

import attrs

from ..errors import Diagnostic, ExpressionTypeError
from . import nodes as n
from .builtins import Function, Signature
from .hints import did_you_mean
from .plugins import FunctionRegistry, default_registry
from .types import (
    ANY,
    BOOLEAN,
    NULL,
    NUMBER,
    STRING,
    ContextType,
    ListType,
    RangeType,
    Scalar,
    Type,
    is_any,
    is_assignable,
    is_null,
    non_null,
    nullable,
    parse_type,
    unify,
)

__all__ = ["Checked", "Scope", "check_node", "did_you_mean"]


@attrs.frozen
class Scope:
    """What an expression may refer to."""

    variables: Mapping[str, Type]
    functions: FunctionRegistry = attrs.field(factory=default_registry)
    #: The type of ``?`` (the value under test) in a decision-table cell.
    tested: Type | None = None

    @classmethod
    def of(
        cls,
        types: Mapping[str, Type | str] | None = None,
        functions: FunctionRegistry | None = None,
        tested: Type | str | None = None,
    ) -> Scope:
        return cls(
            {k: parse_type(v) for k, v in (types or {}).items()},
            functions or default_registry(),
            parse_type(tested) if tested is not None else None,
        )


@attrs.frozen
class Checked:
    """The outcome of checking one tree."""

    node: n.Node
    type: Type
    diagnostics: tuple[Diagnostic, ...]
    #: The type of every node, by identity (for the compiler).
    types: dict[int, Type] = attrs.field(eq=False, repr=False)
    #: Functions called, by name (plugins among them are recorded in results).
    functions: tuple[Function, ...] = ()
    names: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        return not any(d.severity == "error" for d in self.diagnostics)

    def raise_for_errors(self) -> None:
        if not self.ok:
            raise ExpressionTypeError(diagnostics=self.diagnostics)


def _orderable(t: Type) -> bool:
    return is_any(t) or is_null(t) or (isinstance(t, Scalar) and t.name in ("number", "string"))


_NONE: frozenset[str] = frozenset()


def _null_facts(cond: n.Node) -> tuple[frozenset[str], frozenset[str]]:
    """The names that cannot be null where ``cond`` is true, and where it is not true
    (false or null) — from the tests ``x = null`` and ``x != null`` in it.

    ``x = null`` is never null itself: it is true exactly when x is null. ``a and b`` is
    true when both are, and not true when either is not; ``a or b`` the other way round;
    ``not(c)`` is true when c is false.
    """
    match cond:
        case n.Compare(op="=" | "!=" as op, left=n.Name(name=x), right=n.Null()) | n.Compare(
            op="=" | "!=" as op, left=n.Null(), right=n.Name(name=x)
        ):
            fact = frozenset((x,))
            return (_NONE, fact) if op == "=" else (fact, _NONE)
        case n.Compare(op="<" | "<=" | ">" | ">=", left=a, right=b):
            # An order comparison with null is null, never true.
            return _names(a, b), _NONE
        case n.Compare(op="=", left=a, right=b) if _literal(a) or _literal(b):
            # null = 5 is false: equal to a value that is not null, x is not null.
            return _names(a, b), _NONE
        case n.Between(value=a) | n.In(value=a, test=n.Range() | n.CmpTest()):
            return _names(a), _NONE
        case n.BoolOp(op="and", left=a, right=b):
            (ta, fa), (tb, fb) = _null_facts(a), _null_facts(b)
            return ta | tb, fa & fb
        case n.BoolOp(op="or", left=a, right=b):
            (ta, fa), (tb, fb) = _null_facts(a), _null_facts(b)
            return ta & tb, fa | fb
        case n.Not(operand=c):
            tc, fc = _null_facts(c)
            # not(c) is not true when c is true — or null, which a null test never is.
            never_null = isinstance(c, n.Compare) and (
                isinstance(c.left, n.Null) or isinstance(c.right, n.Null)
            )
            return fc, (tc if never_null else _NONE)
    return _NONE, _NONE


def _names(*nodes: n.Node) -> frozenset[str]:
    return frozenset(x.name for x in nodes if isinstance(x, n.Name))


def _literal(node: n.Node) -> bool:
    return isinstance(node, n.Num | n.Str | n.Bool)


class _Checker:
    def __init__(self, scope: Scope) -> None:
        self.scope = scope
        self.diags: list[Diagnostic] = []
        self.types: dict[int, Type] = {}
        self.functions: dict[str, Function] = {}
        self.names: set[str] = set()
        #: Names known not to be null here: inside the branch of an `if` whose condition
        #: rules null out (`if x = null then 0 else x * 2`: in the else branch x is a number).
        self.non_null: frozenset[str] = frozenset()

    def _nullable_with(self, node: n.Node, non_null: frozenset[str]) -> bool:
        """Whether ``node`` can be null when the names ``non_null`` are not (checked on
        the side: the types and findings of this checker are left as they are)."""
        if non_null <= self.non_null:
            return True  # nothing more is known than where it was checked (nullable)
        side = _Checker(self.scope)
        side.non_null = non_null
        return side.check(node).nullable

    def error(self, code: str, message: str, node: n.Node, hint: str | None = None) -> Type:
        self.diags.append(Diagnostic(code, message, node.span, hint))
        return ANY

    def check(self, node: n.Node, *, in_test: bool = False) -> Type:
        t = self._check(node, in_test)
        seen = self.types.get(id(node))
        if seen is not None and seen.nullable and not t.nullable:
            # One node object in two places of a tree (trees built in code can share
            # subtrees), narrowed in one of them: the compiler, which reads types by node,
            # must keep its null guard for the other place.
            return t
        self.types[id(node)] = t
        return t

    def _expect(self, node: n.Node, want: Type, what: str) -> Type:
        t = self.check(node)
        if not is_assignable(t, want):
            self.error(
                "type.mismatch",
                f"{what} must be a {want}, but `{n.unparse(node)}` is a {t}",
                node,
            )
            return ANY
        return t

    def _check(self, node: n.Node, in_test: bool) -> Type:
        match node:
            case n.Num():
                return NUMBER
            case n.Str():
                return STRING
            case n.Bool():
                return BOOLEAN
            case n.Null():
                return NULL
            case n.Name(name=name):
                return self._name(node, name)
            case n.QMark():
                if self.scope.tested is None:
                    return self.error(
                        "name.qmark",
                        "`?` is only defined in a decision-table cell",
                        node,
                    )
                return self.scope.tested
            case n.Path(base=base, member=member):
                return self._path(node, base, member)
            case n.ListLit(items=items):
                return self._list(node, items)
            case n.Range():
                if not in_test:
                    return self.error(
                        "type.range-context",
                        "a range is only used after `in` or in a decision-table cell",
                        node,
                        "write x in [low..high]",
                    )
                return self._range(node)
            case n.Neg(operand=operand):
                t = self._expect(operand, NUMBER, "the operand of unary `-`")
                return NUMBER if is_any(t) else attrs.evolve(NUMBER, nullable=t.nullable)
            case n.Not(operand=operand):
                t = self._expect(operand, BOOLEAN, "the argument of not()")
                return nullable(BOOLEAN) if t.nullable else BOOLEAN
            case n.BinOp():
                return self._binop(node)
            case n.Compare():
                return self._compare(node)
            case n.BoolOp(op=op, left=left, right=right):
                lt = self._expect(left, BOOLEAN, f"each side of `{op}`")
                rt = self._expect(right, BOOLEAN, f"each side of `{op}`")
                if lt.nullable or not rt.nullable:
                    return nullable(BOOLEAN) if lt.nullable or rt.nullable else BOOLEAN
                # FEEL's three-valued logic: with a left side never null, `a and b` is false
                # where a is, and b where a is true; `a or b` is true where a is, and b where
                # a is false. So the result is never null when b is never null wherever it
                # decides the result (`x != null and x > 0`, `x = null or x > 0`).
                when_true, when_not = _null_facts(left)
                known = self.non_null | (when_true if op == "and" else when_not)
                return BOOLEAN if not self._nullable_with(right, known) else nullable(BOOLEAN)
            case n.If(cond=cond, then=then, otherwise=otherwise):
                self._expect(cond, BOOLEAN, "the condition of `if`")
                when_true, when_not = _null_facts(cond)
                outer = self.non_null
                # Each branch runs only when the condition is (not) true: a name it rules
                # null out has its type without null there. Only `if` narrows: it is the
                # one construct whose branches are evaluated only under their condition.
                self.non_null = outer | when_true
                tt = self.check(then)
                self.non_null = outer | when_not
                et = self.check(otherwise)
                self.non_null = outer
                merged = unify(tt, et)
                if merged is None:
                    return self.error(
                        "type.branches",
                        f"the branches of `if` give different types: {tt} and {et}",
                        node,
                        "make both branches numbers (or both booleans, or both strings)",
                    )
                return merged
            case n.Between(value=value, low=low, high=high):
                ts = [self.check(value), self.check(low), self.check(high)]
                merged = _unify_all(ts)
                if merged is None or not _orderable(merged):
                    return self.error(
                        "type.mismatch",
                        "`between` needs three numbers (or three strings), got "
                        + ", ".join(str(t) for t in ts),
                        node,
                    )
                return nullable(BOOLEAN) if merged.nullable else BOOLEAN
            case n.In(value=value, test=test):
                vt = self.check(value)
                ok_null = self._test(test, vt, cell=False)
                return nullable(BOOLEAN) if (vt.nullable or ok_null) else BOOLEAN
            case n.Call():
                return self._call(node)
            case n.UnaryTests(tests=tests):
                tested = self.scope.tested or ANY
                for test in tests:
                    if not isinstance(test, n.AnyTest):
                        self._test(test, tested, cell=True)
                return BOOLEAN
            case n.CmpTest() | n.NotTests() | n.AnyTest():  # pragma: no cover - parser rejects
                return self.error("type.test-context", "a test outside a cell", node)
        raise TypeError(f"check: not a node: {node!r}")  # pragma: no cover

    # ---- names ----------------------------------------------------------------

    def _name(self, node: n.Node, name: str) -> Type:
        t = self.scope.variables.get(name)
        if t is None:
            candidates = list(self.scope.variables)
            hint = did_you_mean(name, candidates)
            if hint is None and name in self.scope.functions:
                hint = f"`{name}` is a function: call it as {name}(...)"
            return self.error("name.unknown", f"unknown name `{name}`", node, hint)
        self.names.add(name)
        if t.nullable and name in self.non_null:
            return non_null(t)
        return t

    def _path(self, node: n.Node, base: n.Node, member: str) -> Type:
        bt = self.check(base)
        if is_any(bt):
            return ANY
        if not isinstance(bt, ContextType):
            return self.error(
                "type.path",
                f"`{n.unparse(base)}` is a {bt}; only checklists and records have items",
                node,
            )
        ft = bt.field(member)
        if ft is None:
            what = "checklist" if bt.checklist else "record"
            hint = did_you_mean(member, bt.names)
            if hint is None and bt.names:
                hint = "its items are " + ", ".join(f"`{x}`" for x in bt.names[:12])
            item = node
            if node.span is not None and node.span.text.endswith(member):
                item = n.Name(member, span=type(node.span)(node.span.source, node.span.end - len(member), node.span.end))
            return self.error(
                "name.unknown-item",
                f"{what} `{n.unparse(base)}` has no item `{member}`",
                item,
                hint,
            )
        if isinstance(base, n.Name):
            self.names.add(f"{base.name}.{member}")
        return nullable(ft) if bt.nullable else ft

    # ---- compound values --------------------------------------------------------

    def _list(self, node: n.Node, items: tuple[n.Node, ...]) -> Type:
        elem: Type = ANY
        for item in items:
            it = self.check(item)
            merged = unify(elem, it)
            if merged is None:
                return self.error(
                    "type.mixed-list",
                    f"a list holds one type, but this one mixes {elem} and {it}",
                    item,
                )
            elem = merged
        return ListType(elem)

    def _range(self, node: n.Range) -> Type:
        lt, ht = self.check(node.low), self.check(node.high)
        merged = unify(lt, ht)
        if merged is None or not _orderable(merged):
            return self.error(
                "type.range",
                f"range ends must both be numbers (or strings), got {lt} and {ht}",
                node,
            )
        return RangeType(non_null(merged), nullable=merged.nullable)

    # ---- operators ---------------------------------------------------------------

    def _binop(self, node: n.BinOp) -> Type:
        lt, rt = self.check(node.left), self.check(node.right)
        if is_any(lt) or is_any(rt):
            return ANY
        nl = lt.nullable or rt.nullable
        kinds = {non_null(lt), non_null(rt)} - {NULL}
        if not kinds:  # null + null is null, and may meet a number or a string
            return NULL
        if kinds <= {NUMBER}:
            return nullable(NUMBER) if nl else NUMBER
        if node.op == "+" and kinds <= {STRING}:
            return nullable(STRING) if nl else STRING
        what = "two numbers" if node.op != "+" else "two numbers (or two strings)"
        return self.error(
            "type.mismatch",
            f"`{node.op}` needs {what}, but gets {lt} and {rt}",
            node,
            _operand_hint(lt, rt),
        )

    def _compare(self, node: n.Compare) -> Type:
        lt, rt = self.check(node.left), self.check(node.right)
        merged = unify(lt, rt)
        if merged is None:
            return self.error(
                "type.incomparable",
                f"`{node.op}` compares a {lt} with a {rt}; they are never equal or ordered",
                node,
                _operand_hint(lt, rt),
            )
        if node.op in ("=", "!="):
            return BOOLEAN  # FEEL: null = null is true, 1 = null is false
        if not _orderable(merged):
            return self.error(
                "type.unordered",
                f"`{node.op}` orders numbers or strings, not {merged}",
                node,
            )
        return nullable(BOOLEAN) if merged.nullable else BOOLEAN

    def _test(self, test: n.Node, tested: Type, *, cell: bool) -> bool:
        """Check one positive unary test against the tested type; True if it may be null.

        In a cell, a test that uses ``?`` is a boolean condition; after ``in``, ``?`` is
        just the cell's tested value."""
        if isinstance(test, n.CmpTest):
            vt = self.check(test.value)
            self.types[id(test)] = BOOLEAN
            merged = unify(tested, vt)
            if merged is None or not _orderable(merged):
                self.error(
                    "type.incomparable",
                    f"`{test.op} {n.unparse(test.value)}` compares a {tested} with a {vt}",
                    test,
                )
            return vt.nullable
        if isinstance(test, n.Range):
            rt = self.check(test, in_test=True)
            if isinstance(rt, RangeType) and unify(tested, rt.elem) is None:
                self.error(
                    "type.incomparable",
                    f"range `{n.unparse(test)}` holds {rt.elem}s but the value tested is a {tested}",
                    test,
                )
            return rt.nullable
        uses_q = cell and n.uses_qmark(test)
        t = self.check(test)
        if uses_q:
            if not is_assignable(t, BOOLEAN):
                self.error(
                    "type.mismatch",
                    f"a test using `?` must be a boolean, but `{n.unparse(test)}` is a {t}",
                    test,
                )
            return t.nullable
        if isinstance(t, ListType):
            if unify(tested, t.elem) is None:
                self.error(
                    "type.incomparable",
                    f"the list holds {t.elem}s but the value tested is a {tested}",
                    test,
                )
            return t.nullable
        if unify(tested, t) is None:
            self.error(
                "type.incomparable",
                f"`{n.unparse(test)}` is a {t} but the value tested is a {tested}",
                test,
            )
        return False

    # ---- calls ---------------------------------------------------------------------

    def _call(self, node: n.Call) -> Type:
        fn = self.scope.functions.get(node.name)
        arg_types = [self.check(a) for a in node.args]
        if fn is None:
            hint = did_you_mean(node.name, self.scope.functions.names())
            if node.name == "round":
                hint = (
                    "FEEL names the rounding: decimal(n, scale) rounds half even; round_half_up, "
                    "round_half_down, round_up, round_down, floor and ceiling take (n, scale)"
                )
            if hint is None and node.name in self.scope.variables:
                hint = f"`{node.name}` is an input, not a function"
            return self.error("name.unknown-function", f"unknown function `{node.name}`", node, hint)
        self.functions[fn.name] = fn
        sig = _pick(fn.signatures, arg_types)
        if sig is None:
            got = ", ".join(str(t) for t in arg_types) or "no arguments"
            return self.error(
                "type.call",
                f"{fn.name}() cannot take ({got})",
                node,
                "it takes " + "; or ".join(f"{fn.name}{s}" for s in fn.signatures),
            )
        result = sig.returns
        if any(_may_hold_null(t) for t in arg_types):
            result = nullable(result)
        return result


def _operand_hint(lt: Type, rt: Type) -> str | None:
    types = {non_null(lt), non_null(rt)}
    if STRING in types and NUMBER in types:
        return "numbers are written without quotes: 10, not \"10\""
    if BOOLEAN in types and NUMBER in types:
        return "use `if cond then 1 else 0` to turn a yes/no into a number"
    if any(isinstance(t, ContextType) for t in types):
        return "use checked(x) to count a checklist's ticked items, or x.item for one item"
    if any(isinstance(t, ListType) for t in types):
        return "use sum(), mean(), min() or max() to reduce a list to a number"
    return None


def _unify_all(ts: list[Type]) -> Type | None:
    out: Type | None = ts[0]
    for t in ts[1:]:
        if out is None:
            return None
        out = unify(out, t)
    return out


def _may_hold_null(t: Type) -> bool:
    if t.nullable:
        return True
    if isinstance(t, ListType):
        return _may_hold_null(t.elem)
    return False


def _pick(signatures: tuple[Signature, ...], args: list[Type]) -> Signature | None:
    for sig in signatures:
        if not sig.accepts_count(len(args)):
            continue
        if all(is_assignable(a, sig.param(i)) for i, a in enumerate(args)):
            return sig
    return None


def check_node(node: n.Node, scope: Scope) -> Checked:
    """Check a parsed tree in a scope; never raises for the user's mistakes."""
    checker = _Checker(scope)
    t = checker.check(node)
    return Checked(
        node,
        t,
        tuple(sorted(checker.diags, key=Diagnostic.sort_key)),
        checker.types,
        tuple(checker.functions[k] for k in sorted(checker.functions)),
        tuple(sorted(checker.names)),
    )
