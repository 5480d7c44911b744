"""A guide's check (``taqyeem check``): its diagnostics (on standard error), the guide's
models and fingerprint, and the verdict; or the same as JSON."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from .catalogue import catalogue
from .formatters import Formatter, Options, ToStderr, formatter
from .tables import dumps
from .words import join, model_name

__all__ = ["Checked"]


@dataclass(frozen=True)
class Checked:
    """What ``taqyeem check`` shows: the guide as named, its diagnostics, and the guide
    when it could be loaded (None otherwise)."""

    name: str
    diagnostics: Sequence[Any]
    guide: Any = None
    quiet: bool = False

    @property
    def errors(self) -> list[Any]:
        return [d for d in self.diagnostics if d.severity == "error"]

    @property
    def warnings(self) -> list[Any]:
        return [d for d in self.diagnostics if d.severity == "warning"]


@formatter("check", "table")
class CheckText(Formatter):
    """Each diagnostic with its caret (standard error), then the guide and the verdict."""

    def render(self, subject: Checked, options: Options) -> list[Any]:
        from .lines import line

        t, lang = catalogue().text, options.lang
        parts: list[Any] = []
        for d in subject.diagnostics:
            if d.severity == "warning" and subject.quiet:
                continue
            parts += [ToStderr(line(d.render())), ToStderr(line(""))]
        guide = subject.guide
        if guide is not None:
            models = join((t("check.model", lang, model=model_name(m.id, lang), categories=len(m.categories),
                             criteria=len(m.criteria())) for m in guide.models), lang)
            parts.append(line(t("check.guide", lang, edition=guide.edition, models=models)))
            parts.append(line(t("check.fingerprint", lang, fingerprint=guide.fingerprint)))
            if guide.illustrative:
                parts.append(line((t("check.illustrative", lang), "yellow")))
        errors, warnings = subject.errors, subject.warnings
        status = (t("check.invalid", lang), "red") if errors else (t("check.valid", lang), "green")
        parts.append(line(status, t("check.counts", lang, errors=len(errors), warnings=len(warnings))))
        return parts


@formatter("check", "json")
class CheckJson(Formatter):
    """The verdict, the counts, every diagnostic; the guide's edition, fingerprint,
    models and status when it loaded."""

    data = True

    def render(self, subject: Checked, options: Options) -> str:
        errors = subject.errors
        data: dict[str, Any] = {
            "guide": subject.name,
            "ok": not errors,
            "errors": len(errors),
            "warnings": len(subject.warnings),
            "diagnostics": [d.to_dict() for d in subject.diagnostics],
        }
        guide = subject.guide
        if guide is not None:
            data["edition"] = guide.edition
            data["fingerprint"] = guide.fingerprint
            data["models"] = {m.id: len(m.criteria()) for m in guide.models}
            data["guide_status"] = guide.provenance.status
        return dumps(data)
