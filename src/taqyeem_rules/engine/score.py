"""Scoring a centre: validate its evidence, run the compiled model, wrap the result."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from typing import Any

from ..dsl.interpreter import interpret
from ..dsl.numbers import format_number
from ..errors import EvaluationError, ScoringError, TaqyeemError, UsageError
from ..guide.evidence import Evidence, evidence_from_data, load_evidence, validated
from ..guide.guide import Guide
from ..guide.model import Criterion, Expr
from .compile import CompiledModel, ScoreFailure, compile_model
from .result import Result

__all__ = ["prepare", "score", "score_many"]


def _env(compiled: CompiledModel, evidence: Evidence) -> dict[str, Any]:
    key = (compiled.guide.fingerprint, compiled.model.id)
    env = evidence.memo.envs.get(key)
    if env is None:
        values = evidence.inputs
        env = {i: values.get(i) for i in compiled.input_ids}
        evidence.memo.envs[key] = env
    return env


def prepare(
    guide: Guide, evidence: Evidence | Mapping[str, Any] | str | os.PathLike[str], *, other_edition: bool = False
) -> Evidence:
    """The evidence, validated against the guide: an :class:`Evidence`, a mapping shaped
    like an evidence file (Python data is converted first), or the path of one centre's
    evidence file (YAML or JSON), which is loaded."""
    if isinstance(evidence, Evidence):
        return validated(evidence, guide, other_edition=other_edition)
    if isinstance(evidence, Mapping):
        return evidence_from_data(evidence, guide, other_edition=other_edition)
    if isinstance(evidence, str | os.PathLike):
        return load_evidence(evidence, guide, other_edition=other_edition)
    raise UsageError(
        f"cannot score {type(evidence).__name__} {_short_repr(evidence)}: expected one centre's "
        "evidence",
        code="usage.evidence",
        hint="pass an Evidence (load_evidence(path, guide)), a mapping shaped like an evidence "
        "file ({'centre': {'id': …}, 'model': 'onsite', 'inputs': {…}}), or the path of an "
        "evidence file; for many centres, guide.score_many(load_evidences([...], guide))",
    )


def _short_repr(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "…"


def score(
    guide: Guide,
    evidence: Evidence | Mapping[str, Any] | str | os.PathLike[str],
    *,
    trace: bool = True,
    other_edition: bool = False,
) -> Result:
    """Score one centre: ``evidence`` is an :class:`Evidence`, a mapping shaped like an
    evidence file, or the path of one centre's evidence file. Raises
    :class:`~taqyeem_rules.errors.EvidenceError` for invalid evidence,
    :class:`~taqyeem_rules.errors.UsageError` for anything else, and :class:`~taqyeem_rules.errors.ScoringError` when a criterion cannot be
    scored (a required value is missing, points fall off the scale…)."""
    ev = prepare(guide, evidence, other_edition=other_edition)
    model = guide.model(ev.model)
    assert model is not None  # validated
    compiled = compile_model(guide, model)
    return _run(compiled, compiled.function(), compiled.input_ids, ev, _env(compiled, ev), trace)


def _run(compiled: CompiledModel, fn: Any, input_ids: tuple[str, ...], ev: Evidence, env: dict[str, Any],
         trace: bool) -> Result:
    try:
        raw = fn(env)
    except ScoreFailure as failure:
        raise _failure_error(compiled, ev, env, failure) from None
    except TaqyeemError:
        raise
    except Exception as exc:
        raise _locate(compiled, ev, env, exc) from None
    return Result(compiled, ev, env, raw, trace)


def score_many(
    guide: Guide,
    evidences: Iterable[Evidence | Mapping[str, Any] | str | os.PathLike[str]],
    *,
    trace: bool = True,
    other_edition: bool = False,
    on_error: Callable[[TaqyeemError], None] | None = None,
) -> Iterator[Result]:
    """Score many centres: a generator that takes ``evidences`` (any iterable — a list, or
    a stream such as :func:`~taqyeem_rules.guide.evidence.iter_evidences` reading a large
    CSV or JSON Lines file) one at a time and yields each centre's :class:`Result` as soon
    as it is scored, so memory stays bounded by one centre however many there are.

    Each item is what :func:`score` takes (an Evidence, a mapping, a path). The work a
    call of :func:`score` repeats per centre — finding the model, its compiled scorer and
    the inputs it reads — is done once per model. Results are those :func:`score` gives,
    number for number. An invalid or unscorable centre raises its error (the one
    :func:`score` raises) when it is reached, after the results before it were yielded —
    or, with ``on_error``, its error is handed to it, the centre is left out and the
    others go on; validate a whole set first with
    :func:`~taqyeem_rules.guide.evidence.load_evidences` to collect every error at once."""
    if isinstance(evidences, Evidence | Mapping | str | os.PathLike):
        raise UsageError(
            f"score_many takes many centres, not one {type(evidences).__name__}",
            code="usage.evidence",
            hint="put it in a list, or score one centre with guide.score(...)",
        )
    try:
        items = iter(evidences)
    except TypeError:
        raise UsageError(
            f"cannot score {type(evidences).__name__} {_short_repr(evidences)}: expected many centres' evidence",
            code="usage.evidence",
            hint="give an iterable of Evidence, mappings shaped like evidence files, or paths "
                 "(e.g. iter_evidences(paths, guide))",
        ) from None
    models: dict[str, tuple[CompiledModel, Any, tuple[str, ...]]] = {}
    for item in items:
        try:
            ev = prepare(guide, item, other_edition=other_edition)
            entry = models.get(ev.model)
            if entry is None:
                model = guide.model(ev.model)
                assert model is not None  # validated
                compiled = compile_model(guide, model)
                entry = models[ev.model] = (compiled, compiled.function(), compiled.input_ids)
            compiled, fn, input_ids = entry
            values = ev.inputs
            result = _run(compiled, fn, input_ids, ev, {i: values.get(i) for i in input_ids}, trace)
        except TaqyeemError as exc:
            if on_error is None:
                raise
            on_error(exc)
            continue
        yield result


# ---- errors with context ----------------------------------------------------------------


def _value_text(v: Any) -> str:
    """A value inside an error message: the presentation layer's rule for diagnostics
    (:func:`taqyeem_rules.present.values.diagnostic_value`), reached only when an error
    is built."""
    from ..present.values import diagnostic_value

    return diagnostic_value(v)


def _inputs_text(reads: tuple[str, ...], env: Mapping[str, Any]) -> str:
    return ", ".join(f"{r} = {_value_text(env.get(r))}" for r in reads) or "no inputs"


def _failure_error(compiled: CompiledModel, ev: Evidence, env: Mapping[str, Any], f: ScoreFailure) -> ScoringError:
    centre = f"centre {ev.centre_id}"
    if f.index < 0:
        return ScoringError(
            f"{centre}: every category of model `{compiled.model.id}` is not applicable",
            code="scoring.all-not-applicable",
            hint="check the centre's evidence: at least one criterion must apply",
        )
    info = compiled.criteria[f.index]
    c = info.criterion
    reads = info.reads
    missing = [r for r in reads if env.get(r) is None]
    where = ev.span_of(missing[0]) if missing else None
    if f.kind == "missing":
        if missing:
            message = (
                f"{centre}: criterion `{c.id}` cannot be scored: input "
                + ", ".join(f"`{m}`" for m in missing)
                + " is missing"
            )
            hint = (
                "add the input to the centre's evidence, or give the criterion "
                "`missing: zero` or `missing: not_applicable` in the guide"
            )
        else:
            what, hint = info.kind.null_reason(c.params)
            message = f"{centre}: criterion `{c.id}` cannot be scored: {what} ({_inputs_text(reads, env)})"
        return ScoringError(message, span=where or c.span, code="scoring.missing", hint=hint,
                            path=c.path)
    if f.kind == "applicable-null":
        return ScoringError(
            f"{centre}: whether criterion `{c.id}` applies cannot be decided: "
            + (", ".join(f"`{m}`" for m in missing) + " is missing" if missing else "its condition gave null"),
            span=where or ((c.applicable.node.span or c.applicable.span) if c.applicable else c.span),
            code="scoring.applicable-null",
            hint="provide the input, or write the condition so a missing input gives true or false",
            path=c.path,
        )
    if f.kind == "range":
        p = compiled.guide.points
        return ScoringError(
            f"{centre}: criterion `{c.id}` gave {_value_text(f.value)} points, outside the scale "
            f"{format_number(p.min)} to {format_number(p.max)} ({_inputs_text(reads, env)})",
            span=_points_span(c),
            code="scoring.points-range",
            hint="keep the points on the scale, e.g. with clamp(x, min, max)",
            path=c.path,
        )
    # A failure the criterion's kind raised: the kind words it.
    what, hint = info.kind.failure(c, c.params, f.kind, f.value, _inputs_text(reads, env))
    return ScoringError(
        f"{centre}: {what}",
        span=getattr(c.params, "span", None) or c.span,
        code=_FAILURE_CODES.get(f.kind, f"scoring.{f.kind}"),
        hint=hint,
        path=c.path,
    )


#: Error codes of the failures kinds raise (a kind's own reasons become scoring.REASON).
_FAILURE_CODES = {"overlap": "scoring.table-overlap"}


def _points_span(c: Criterion) -> Any:
    """Where a criterion's points are written: its first expression read over inputs
    (the score of an expression criterion), else the criterion."""
    for role in c.roles():
        if not role.local and isinstance(role.expr, Expr):
            return role.expr.node.span or role.expr.span
    return c.span


def _locate(compiled: CompiledModel, ev: Evidence, env: Mapping[str, Any], exc: BaseException) -> TaqyeemError:
    """Find the expression that failed, with the reference interpreter, and name it."""
    ctx_guide = compiled.guide
    from ..dsl.numbers import make_context

    ctx = make_context(ctx_guide.numbers.precision, ctx_guide.numbers.rounding)
    for info in compiled.criteria:
        c = info.criterion
        exprs: list[Expr] = [c.applicable] if c.applicable is not None else []
        exprs += [r.expr for r in c.roles() if not r.local and isinstance(r.expr, Expr)]
        for e in exprs:
            try:
                interpret(e.node, env, ctx=ctx)
            except EvaluationError as err:
                d = err.primary
                return EvaluationError(
                    f"centre {ev.centre_id}, criterion `{c.id}`: {d.message}",
                    span=d.span or e.span,
                    code=d.code,
                    hint=d.hint or f"inputs: {_inputs_text(info.reads, env)}",
                )
    return TaqyeemError(  # pragma: no cover - a compiler bug, loudly
        f"internal error while scoring centre {ev.centre_id}: {type(exc).__name__}: {exc}",
        code="internal.engine",
        hint="please report this with the guide and the evidence",
    )

