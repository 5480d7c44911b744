"""One root error, :class:`TaqyeemError`, and the :class:`Diagnostic` it carries.

Errors are data first and text second: every error holds one or more diagnostics
(code, message, span, hint, severity, path) and builds its message in ``__str__``::

    criteria/2024/guide.yaml:12:18: error[name.unknown]: unknown name `waitng_time`
     12 |     score: waitng_time < 10
        |            ^^^^^^^^^^^
      hint: did you mean `waiting_time`?

Checks *collect* diagnostics; the convenience calls raise one error that carries all of
them, led by the most relevant (:func:`best_match`: errors before warnings, then by
file and position, then by code — an order that does not depend on the order in which
checks ran).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import attrs

from .codes import ErrorCode, lookup
from .source import Span, render_snippet

__all__ = [
    "AmendmentError",
    "CaseError",
    "Diagnostic",
    "ErrorCode",
    "EvaluationError",
    "EvidenceError",
    "ExpressionError",
    "ExpressionSyntaxError",
    "ExpressionTypeError",
    "GuideError",
    "LimitError",
    "MissingInputsError",
    "PluginError",
    "RecordError",
    "ScoringError",
    "TaqyeemError",
    "UnknownIdError",
    "UsageError",
    "best_match",
    "lookup_code",
]

SEVERITIES = ("error", "warning")


@attrs.frozen
class Diagnostic:
    """One finding: a stable ``code``, a message, where it is, and how to fix it."""

    code: str
    message: str
    span: Span | None = None
    hint: str | None = None
    severity: str = "error"
    #: Where in the document (e.g. ``models.onsite.categories[2].criteria[0].score``).
    path: str | None = None

    def location(self) -> str:
        if self.span is not None:
            return str(self.span)
        return self.path or ""

    def render(self, *, snippet: bool = True) -> str:
        """``file:line:col: error[code]: message``, the line with a caret, and the hint."""
        head = f"{self.severity}[{self.code}]: {self.message}"
        loc = self.location()
        lines = [f"{loc}: {head}" if loc else head]
        if self.span is not None and snippet and self.span.source.text:
            lines.append(render_snippet(self.span))
        if self.span is not None and self.path:
            lines.append(f"  at: {self.path}")
        if self.hint:
            lines.append(f"  hint: {self.hint}")
        return "\n".join(lines)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }
        if self.span is not None:
            out.update(self.span.to_dict())
        if self.path:
            out["path"] = self.path
        if self.hint:
            out["hint"] = self.hint
        return out

    def sort_key(self) -> tuple[Any, ...]:
        span = self.span
        return (
            SEVERITIES.index(self.severity) if self.severity in SEVERITIES else 9,
            span.file if span else "",
            (span.line, span.col) if span else (-1, -1),  # (a part of a file read alone keeps its lines)
            self.path or "",
            self.code,
            self.message,
        )


def lookup_code(code: str) -> ErrorCode | None:
    """What an error code means — its category, one-line meaning and who reports it
    (the library, or a criterion kind) — or None for a code no one registers. Every code
    is listed, with an example and the fix, in docs/errors.md."""
    # The criterion kinds' codes are registered when the kind registry is loaded (as
    # plugins are discovered: by name, at run time, so this bottom layer imports nothing
    # above it); the package loads lazily, so load it here if nothing has yet.
    import importlib

    importlib.import_module("taqyeem_rules.guide.kinds.registry")
    return lookup(code)


def best_match(diagnostics: Iterable[Diagnostic]) -> Diagnostic | None:
    """The most relevant diagnostic, by a documented, order-independent key."""
    return min(diagnostics, key=Diagnostic.sort_key, default=None)


class TaqyeemError(Exception):
    """The root of every error the library raises for a user's mistake or bad data.

    Build it from a message (``TaqyeemError("…", span=…, hint=…, code=…)``) or from a
    collection of diagnostics (``TaqyeemError(diagnostics=[…])``). ``str(error)``
    renders every error diagnostic with its caret snippet.
    """

    default_code = "error"

    def __init__(
        self,
        message: str | None = None,
        *,
        span: Span | None = None,
        hint: str | None = None,
        code: str | None = None,
        path: str | None = None,
        diagnostics: Iterable[Diagnostic] | None = None,
    ) -> None:
        diags = sorted(diagnostics or (), key=Diagnostic.sort_key)
        if message is not None:
            diags.insert(
                0,
                Diagnostic(code or self.default_code, message, span, hint, "error", path),
            )
        if not diags:
            diags = [Diagnostic(code or self.default_code, self.__class__.__name__)]
        self.diagnostics: tuple[Diagnostic, ...] = tuple(diags)
        super().__init__(self.diagnostics[0].message)

    # The primary diagnostic's fields, for callers that want one answer.
    @property
    def primary(self) -> Diagnostic:
        return self.diagnostics[0]

    @property
    def message(self) -> str:
        return self.primary.message

    @property
    def span(self) -> Span | None:
        return self.primary.span

    @property
    def hint(self) -> str | None:
        return self.primary.hint

    @property
    def code(self) -> str:
        return self.primary.code

    @property
    def errors(self) -> tuple[Diagnostic, ...]:
        return tuple(d for d in self.diagnostics if d.severity == "error")

    def render(self, *, snippet: bool = True, limit: int | None = None) -> str:
        shown = self.errors or self.diagnostics
        if limit is not None and len(shown) > limit:
            more = len(shown) - limit
            parts = [d.render(snippet=snippet) for d in shown[:limit]]
            parts.append(f"… and {more} more")
            return "\n\n".join(parts)
        return "\n\n".join(d.render(snippet=snippet) for d in shown)

    def __str__(self) -> str:
        return self.render()

    def to_dict(self) -> dict[str, Any]:
        return {
            "error": self.__class__.__name__,
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }

    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self.__class__, self.diagnostics))


def _rebuild(cls: type[TaqyeemError], diagnostics: tuple[Diagnostic, ...]) -> TaqyeemError:
    error = cls.__new__(cls)
    error.diagnostics = diagnostics
    Exception.__init__(error, diagnostics[0].message)
    return error


class ExpressionError(TaqyeemError):
    """An error in an expression of the scoring language."""

    default_code = "expression"


class ExpressionSyntaxError(ExpressionError):
    """The expression text does not parse."""

    default_code = "syntax"


class LimitError(ExpressionSyntaxError):
    """The expression is over a size limit (source length, nesting depth, node count)."""

    default_code = "limit"


class ExpressionTypeError(ExpressionError):
    """The expression parses but does not type-check against its environment."""

    default_code = "type"


class EvaluationError(ExpressionError):
    """An expression failed while being evaluated (division by zero, missing variable…)."""

    default_code = "eval"


class PluginError(TaqyeemError):
    """A plugin could not be registered, loaded, or did something it declared it would not."""

    default_code = "plugin"


class GuideError(TaqyeemError):
    """A guide file is invalid (YAML, schema or semantic checks)."""

    default_code = "guide"


class AmendmentError(GuideError):
    """An amendment of a guide cannot be applied."""

    default_code = "amendment"


class EvidenceError(TaqyeemError):
    """A centre's evidence file is invalid for the guide it names."""

    default_code = "evidence"


class CaseError(TaqyeemError):
    """A test case of a guide is invalid (its shape, its evidence, an id the guide does
    not have)."""

    default_code = "case"


class ScoringError(TaqyeemError):
    """Scoring a centre failed (a required value came out null, and the like)."""

    default_code = "scoring"


class RecordError(TaqyeemError):
    """A cycle record is unreadable, of an unknown format, or cannot be replayed."""

    default_code = "record"


class MissingInputsError(TaqyeemError):
    """Evidence lacks inputs a guide reads and nothing says how to read them (impact):
    one diagnostic per input, with how many centres lack it; the hint gives the options."""

    default_code = "impact.missing-inputs"


class UsageError(TaqyeemError):
    """The command line or API call was used wrongly."""

    default_code = "usage"


class UnknownIdError(TaqyeemError, KeyError):
    """An id that the guide or the result does not have (``result.criterion("nope")``).

    Also a :class:`KeyError`, so ``except KeyError`` works; the message names the id and
    the hint suggests the nearest one."""

    default_code = "lookup.unknown-id"
