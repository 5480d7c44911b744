"""The :class:`CriterionKind` protocol: everything about one kind of criterion in one object.

A criterion says how its points arise by its *kind*. ``score:`` and ``bands:`` are
shorthands for the built-in kinds ``expression`` and ``bands``; any kind can be written
``kind: NAME`` with its settings under ``params:``. A kind owns, for its criteria:

================  ================================================================
face              method
================  ================================================================
params schema     :meth:`~CriterionKind.params_schema` (a JSON Schema fragment)
loading           :meth:`~CriterionKind.load` (a frozen model with positions)
static checks     :meth:`~CriterionKind.check` (diagnostics with ``file:line:col``)
inputs read       :meth:`~CriterionKind.expressions` and :meth:`~CriterionKind.reads`
evidence checks   :meth:`~CriterionKind.check_evidence` (rules across its inputs)
compilation       :meth:`~CriterionKind.compile` (straight-line code, trace on and off)
explanation       :meth:`~CriterionKind.explain` (message keys and values, never text)
trace as data     :meth:`~CriterionKind.detail_data` and :meth:`~CriterionKind.row`
canonical form    :meth:`~CriterionKind.canonical` (what the fingerprint covers)
file form         :meth:`~CriterionKind.file_data` (what ``diff --format amendments`` writes)
diff              :meth:`~CriterionKind.compare` (field changes, trees not text)
amendments        :attr:`~CriterionKind.amendable` (params ``change_criterion`` may set)
attainable points :meth:`~CriterionKind.attainable` (for margins)
its table         :meth:`~CriterionKind.table` and :meth:`~CriterionKind.local_domains`
                  (for coverage and static analysis)
evidence          :meth:`~CriterionKind.evidence` (a hypothesis strategy, for properties)
messages          :attr:`~CriterionKind.messages` (English and Arabic templates)
error codes       :attr:`~CriterionKind.codes` (the codes it reports that the library does not)
================  ================================================================

A kind may import ``dsl/`` and ``guide/`` but never ``engine/``: the engine hands a kind
what it needs as the small interfaces below (:class:`LoadContext`,
:class:`CheckContext`, :class:`CompileContext`), so imports keep flowing one way.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import attrs

from ...dsl import nodes as n
from ...dsl.types import Type
from ...errors import Diagnostic
from ...source import Span

if TYPE_CHECKING:  # pragma: no cover
    from ...dsl.checker import Checked, Scope
    from ..guide import Guide
    from ..model import Criterion, Expr, Input, Text

__all__ = [
    "CheckContext",
    "CompileContext",
    "Compiled",
    "CriterionKind",
    "Exact",
    "FieldChange",
    "LoadContext",
    "Message",
    "Outcome",
    "Role",
    "check_input",
]

Path = tuple[str | int, ...]


@attrs.frozen
class Message:
    """One line of an explanation: a catalogue key and the values it shows.

    Values are data (Decimal, bool, str, lists); the presentation layer renders them in
    the language asked for. A kind never formats text for people itself.
    """

    key: str
    values: tuple[tuple[str, Any], ...] = ()

    @classmethod
    def of(cls, key: str, **values: Any) -> Message:
        return cls(key, tuple(sorted(values.items())))

    def mapping(self) -> dict[str, Any]:
        return dict(self.values)


@attrs.frozen
class Exact:
    """A message value that is the exact value behind a reported one: people see it cut
    after a few places (``89.99500000…``), ``--exact`` shows every digit. (A plain
    Decimal in a message is a derived value, shown at the guide's report precision.)"""

    value: Decimal | None


@attrs.frozen
class Role:
    """An expression of a criterion, where it sits, and what its names mean.

    ``local`` is set for expressions over names the kind defines (a survey's ``index``):
    those names are not inputs, and the expression is not read for inputs.
    """

    field: str
    expr: Expr | n.Node
    local: bool = False


@attrs.frozen
class FieldChange:
    """A field of a criterion changed between two guides (for :func:`diff_guides`).

    ``field`` names it (``score``, ``bands.rows``, ``params.min_responses``); ``order``
    sorts the changes of one criterion; ``subtrees`` pairs the changed parts of two
    expression trees (old, new) when the field is an expression.
    """

    field: str
    old: Any
    new: Any
    order: int
    subtrees: tuple[tuple[str | None, str | None], ...] = ()


@attrs.frozen
class Compiled:
    """What the engine needs to know about the code a kind emitted for one criterion.

    ``may_be_null``: the points variable may hold None after the kind's code (the
    criterion's ``missing:`` policy then applies). ``on_scale``: the points provably lie
    on the guide's scale, so no range check is emitted. ``percentages``: the name of a
    constant tuple of percentages indexed by the detail variable (constant table rows),
    or None. ``may_be_not_applicable``: the kind's code may set the status to N/A itself.
    """

    may_be_null: bool = True
    on_scale: bool = False
    percentages: str | None = None
    may_be_not_applicable: bool = False


@attrs.frozen
class Outcome:
    """How one criterion scored, as a kind's :meth:`~CriterionKind.explain` sees it."""

    status: str
    points: Decimal | None
    detail: Any
    inputs: Mapping[str, Any]


class LoadContext(Protocol):
    """What the guide loader gives a kind to build its params (with positions)."""

    def get(self, path: Path) -> Any:
        """The plain data at ``path`` (numbers are Decimal)."""

    def has(self, path: Path) -> bool:
        """Whether ``path`` exists in the document."""

    def span(self, path: Path) -> Span | None:
        """Where the value at ``path`` is written."""

    def key_span(self, path: Path) -> Span | None:
        """Where the key of the value at ``path`` is written."""

    def expr(self, path: Path, *, start: str = "expression") -> Expr:
        """Parse the expression (or, with ``start="unary_tests"``, the cell) at ``path``."""

    def number(self, value: Any, path: Path | None = None) -> Decimal:
        """A normalised decimal (``20.0`` and ``20`` are the same number); number text
        is read by the library's one number reader (an error at ``path`` if beyond the
        range)."""

    def text(self, value: Any) -> Text:
        """Bilingual text from ``{en, ar}``."""

    def path_text(self, path: Path) -> str:
        """``models.onsite.categories[2]`` for a path."""

    def error(self, code: str, message: str, path: Path, hint: str | None = None) -> None:
        """Report a problem found while building (the guide is then not loaded)."""


class CheckContext(Protocol):
    """What the guide checks give a kind."""

    guide: Guide
    #: The scope of the guide's inputs (names are inputs, functions are registered).
    input_scope: Scope
    #: Results kept between runs over successive versions of a guide.
    memo: dict[Any, Any]

    def scope(self, variables: Mapping[str, Type], tested: Type | None = None) -> Scope:
        """A scope of the kind's own names (e.g. ``index``), with the same functions."""

    def run(self, expr: Expr, scope: Scope, want: Type | None, what: str, path: str) -> Checked:
        """Check an expression in a scope; its diagnostics are reported, with ``path``.

        ``want`` (NUMBER or BOOLEAN) adds a ``type.result`` error when the expression
        has another type; ``what`` names it in that message."""

    def checked(self, expr: Expr) -> Checked | None:
        """The result of :meth:`run` for an expression, if it was run."""


class CompileContext(Protocol):
    """What the engine gives a kind to emit its part of a model's scoring function.

    The kind's code runs with the criterion's status variable set to scored; it must
    set :attr:`points` (a Decimal, or None for "no value": the ``missing:`` policy
    decides) and :attr:`detail` (what the trace keeps: a band row, a tuple; ``-1`` for
    nothing), or call :meth:`not_applicable`.
    """

    #: The guide and the criterion being compiled.
    guide: Guide
    criterion: Criterion
    #: Python names the kind's code assigns.
    points: str
    detail: str
    #: The CodeBuilder of the model's function (emit, block, bind, const, capture…).
    builder: Any
    #: The scope of the guide's inputs.
    input_scope: Scope

    def scope(self, variables: Mapping[str, Type], tested: Type | None = None) -> Scope:
        """A scope of the kind's own names."""

    def checked(self, expr: Expr | n.Node, scope: Scope | None = None) -> Checked:
        """The checked, folded tree of an expression (cached for both trace variants)."""

    def value(self, expr: Expr | n.Node, scope: Scope | None = None, env: str = "env") -> tuple[str, bool]:
        """Emit an expression: (Python expression, may be null). Names are read from
        the mapping named ``env`` (the inputs by default; a kind's own names live in a
        dict it builds)."""

    def emit(self, line: str) -> None:
        """Emit one statement at the current indentation."""

    def block(self) -> AbstractContextManager[None]:
        """Indent the statements emitted inside."""

    def const(self, value: Any) -> str:
        """A global name holding ``value``."""

    def fail(self, reason: str, value: str = "None") -> str:
        """A statement that stops scoring this criterion with a ScoringError
        (``reason`` is a code the kind words in :meth:`~CriterionKind.failure`)."""

    def not_applicable(self) -> str:
        """A statement that makes the criterion not applicable (its weight is shared out)."""

    def percentage(self, points: Decimal) -> Decimal:
        """The percentage of constant points on the guide's scale, in the guide's context."""


class CriterionKind:
    """Base of every criterion kind. Subclasses set :attr:`name` and override the faces.

    The defaults suit a kind whose params are a frozen attrs object holding
    :class:`~taqyeem_rules.guide.model.Expr` values: :meth:`reads` is the inputs named
    by :meth:`expressions`; :meth:`compare` compares :meth:`canonical` field by field.
    """

    #: The kind's name, as written after ``kind:`` (an identifier).
    name: ClassVar[str] = ""
    #: The key of the shorthand form (``score``, ``bands``) for built-in kinds, else None.
    shorthand: ClassVar[str | None] = None
    #: The params fields an amendment ``change_criterion`` may set on their own.
    amendable: ClassVar[tuple[str, ...]] = ()
    #: Explanation messages: ``{"en": {key: template}, "ar": {key: template}}``.
    #: Templates use ``{name}`` placeholders filled from a :class:`Message`'s values.
    messages: ClassVar[Mapping[str, Mapping[str, str]]] = {}
    #: The error codes the kind reports that the library does not define, with their
    #: one-line meaning: ``{"guide.survey-values": "…"}`` (a failure ``cc.fail("REASON")``
    #: is reported as ``scoring.REASON``). They join the registry of codes
    #: (:func:`taqyeem_rules.errors.lookup_code`) when the kind is loaded.
    codes: ClassVar[Mapping[str, str]] = {}
    #: The kind's version (recorded for plugin kinds; built-ins follow the engine).
    version: ClassVar[str] = "0"

    # ---- loading -------------------------------------------------------------------

    def params_schema(self) -> dict[str, Any]:
        """The JSON Schema (draft-07) of the kind's ``params`` mapping."""
        return {"type": "object"}

    def shorthand_schema(self) -> dict[str, Any]:
        """The JSON Schema of the shorthand key's value (built-in kinds only)."""
        return self.params_schema()

    def shorthand_path(self, criterion_path: Path) -> Path:
        """Where the params mapping of a criterion written in shorthand form is."""
        return (*criterion_path, self.shorthand or "params")

    def load(self, ctx: LoadContext, path: Path) -> Any:
        """Build the kind's params model from the mapping at ``path``."""
        raise NotImplementedError

    # ---- what it reads ---------------------------------------------------------------

    def expressions(self, params: Any) -> tuple[Role, ...]:
        """Every expression (and cell) of the params, with where it sits."""
        return ()

    def input_names(self, params: Any) -> tuple[str, ...]:
        """Inputs read directly by name (not through an expression), e.g. ``answers``."""
        return ()

    def reads(self, params: Any) -> tuple[str, ...]:
        """The inputs the criterion's points read (sorted, unique)."""
        names = set(self.input_names(params))
        for role in self.expressions(params):
            if not role.local:
                node = role.expr if isinstance(role.expr, n.Node) else role.expr.node
                names.update(n.free_names(node))
        return tuple(sorted(names))

    # ---- checks ------------------------------------------------------------------------

    def check(self, criterion: Criterion, params: Any, ctx: CheckContext) -> Iterator[Diagnostic]:
        """Static checks of the params in the guide (names, types, tables, the scale)."""
        return iter(())

    def never_null(self, params: Any, ctx: CheckContext) -> bool:
        """True when the points can never be null whatever is absent (so ``missing:``
        never applies, and reading optional inputs needs no policy)."""
        return False

    def check_evidence(self, params: Any, values: Mapping[str, Any]) -> Iterator[tuple[str, str, str | None]]:
        """Rules across the kind's inputs in one centre's evidence (e.g. replies no more
        than cases): (input id, message, hint) for each problem."""
        return iter(())

    # ---- scoring -----------------------------------------------------------------------

    def compile(self, params: Any, cc: CompileContext) -> Compiled:
        """Emit the code computing the criterion's points (see :class:`CompileContext`)."""
        raise NotImplementedError

    def failure(self, criterion: Criterion, params: Any, reason: str, value: Any,
                inputs: str) -> tuple[str, str | None]:
        """The message (after ``centre ID: ``) and hint of a :meth:`CompileContext.fail`
        raised by the kind's code; ``inputs`` is the values read, as text."""
        return f"criterion `{criterion.id}` failed: {reason} ({inputs})", None

    def null_reason(self, params: Any) -> tuple[str, str]:
        """Why the points came out null (message part, hint), for ``missing: error``."""
        return (
            "its expression gave null",
            "check the expression for a branch that gives null, or set a `missing:` policy",
        )

    # ---- results -----------------------------------------------------------------------

    def row(self, detail: Any) -> int | None:
        """The 1-based decision-table row a result's detail names (None if none)."""
        return None

    def detail_data(self, params: Any, detail: Any) -> dict[str, Any] | None:
        """The trace detail as canonical data (Decimals kept; the result writes them as
        text), or None when the kind records nothing beyond points and inputs."""
        return None

    def explain(self, criterion: Criterion, params: Any, outcome: Outcome) -> list[Message]:
        """The explanation of one scored criterion, as messages."""
        return []

    # ---- forms -------------------------------------------------------------------------

    def canonical(self, params: Any) -> dict[str, Any]:
        """The canonical data of the params, as under ``params:`` (what the guide's
        fingerprint covers)."""
        raise NotImplementedError

    def file_data(self, params: Any) -> dict[str, Any]:
        """The params as a guide file writes them under ``params:`` (defaults to the
        canonical data)."""
        return self.canonical(params)

    def shorthand_data(self, data: dict[str, Any]) -> dict[str, Any]:
        """A built-in kind's params data in its shorthand form, the criterion's keys
        (``{"bands": table}``); canonical guides write built-in kinds this way."""
        return {self.shorthand or "params": data}

    def compare(self, a: Any, b: Any) -> Iterator[FieldChange]:
        """How two versions of the params differ, field by field."""
        ca, cb = self.canonical(a), self.canonical(b)
        for k, key in enumerate(sorted(set(ca) | set(cb))):
            if ca.get(key) != cb.get(key):
                yield FieldChange(f"params.{key}", ca.get(key), cb.get(key), 20 + k)

    # ---- analysis ------------------------------------------------------------------------

    def attainable(self, params: Any, guide: Guide) -> tuple[Decimal, ...] | None:
        """Every value the kind's scorer can give as points, sorted; None when the
        values are not a known finite set."""
        return None

    def table(self, params: Any) -> Any:
        """The decision table the kind's points come from (a
        :class:`~taqyeem_rules.guide.model.Bands`; its rows are what a result's
        :meth:`row` counts), or None."""
        return None

    def local_domains(self, params: Any, guide: Guide) -> dict[str, Any]:
        """The values each of the kind's own names can take (``index``: 0 to 100), as
        :class:`~taqyeem_rules.guide.tables.Domain` by name: static analysis bounds the
        kind's table and points expression with them."""
        return {}

    def evidence(self, params: Any, guide: Guide) -> Any:
        """A hypothesis strategy of admissible values ``{input id: value}`` for the
        inputs the criterion reads (the default draws each input independently)."""
        from ..generate import inputs_strategy

        return inputs_strategy(guide, self.reads(params))

    def may_be_not_applicable(self, params: Any) -> bool:
        """Whether the kind itself can make the criterion not applicable."""
        return False


def check_input(
    criterion: Criterion,
    ctx: CheckContext,
    input_id: str,
    types: Sequence[str],
    span: Span | None,
    path: str,
    what: str,
) -> Iterator[Diagnostic]:
    """A kind's params name an input (``answers: survey_answers``): it is declared, and
    of one of ``types``."""
    from ...dsl.hints import did_you_mean

    inp = ctx.guide.input(input_id)
    if inp is None:
        hint = did_you_mean(input_id, [i.id for i in ctx.guide.inputs if i.type in types])
        yield Diagnostic(
            "name.unknown",
            f"criterion `{criterion.id}`: {what} `{input_id}` is not an input of the guide",
            span or criterion.span,
            hint or f"declare it under `inputs` with type {' or '.join(types)}",
            "error",
            path,
        )
    elif inp.type not in types:
        yield Diagnostic(
            "type.input",
            f"criterion `{criterion.id}`: {what} `{input_id}` is {'an' if inp.type[0] in 'aeiou' else 'a'} "
            f"{inp.type} input; "
            f"it must be {' or '.join(types)}",
            span or criterion.span,
            f"declare `{input_id}` with `type: {types[0]}`",
            "error",
            path,
        )


def roles_nodes(roles: Sequence[Role]) -> tuple[n.Node, ...]:
    """The trees of some roles."""
    return tuple(r.expr if isinstance(r.expr, n.Node) else r.expr.node for r in roles)


def input_of(guide: Guide, input_id: str) -> Input | None:
    """A guide's input by id."""
    return guide.input(input_id)
