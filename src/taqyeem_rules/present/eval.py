"""One expression's value (``taqyeem eval``): the value as the expression language
writes it and its type, or the same as JSON."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .catalogue import catalogue
from .formatters import Formatter, Options, formatter
from .tables import dumps
from .values import feel_value

__all__ = ["Evaluated"]


@dataclass(frozen=True)
class Evaluated:
    """A value, its type's name and the expression's static type."""

    value: Any
    type: str
    static: str


@formatter("eval", "table")
class EvalText(Formatter):
    """The value, then its type (dim)."""

    def render(self, subject: Evaluated, options: Options) -> list[Any]:
        from .lines import line

        return [line(feel_value(subject.value)),
                line((catalogue().text("eval.type", options.lang, type=subject.type, static=subject.static), "dim"))]


@formatter("eval", "json")
class EvalJson(Formatter):
    """``{"value", "type", "static_type"}``."""

    data = True

    def render(self, subject: Evaluated, options: Options) -> str:
        return dumps({"value": subject.value, "type": subject.type, "static_type": subject.static})
