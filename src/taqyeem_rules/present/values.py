"""One way to show a value to people: numbers, booleans, lists, checklists, absence."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from ..dsl.numbers import canonical
from ..guide.model import Text
from .catalogue import catalogue

__all__ = ["show_value"]


def show_value(value: Any, lang: str = "en", *, absent: str = "word.missing") -> str:
    """A value as people read it: exact numbers canonically (``4.5``), ``true``/``false``
    (in the language), lists ``[a, b]``, mappings ``{k: v}``, bilingual text in the
    language; None as the catalogue word ``absent`` (``missing`` or ``—``)."""
    cat = catalogue()
    if value is None:
        return cat.text(absent, lang)
    if isinstance(value, bool):
        return cat.text("word.true" if value else "word.false", lang)
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {show_value(x, lang)}" for k, x in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show_value(x, lang) for x in value) + "]"
    return str(value)
