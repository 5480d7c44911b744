"""One way to show a value, with one rule per format for "no value".

===========================================  ===========  ===============  ==================
format                                       no value     booleans         numbers
===========================================  ===========  ===============  ==================
people's text: tables, trees, Markdown,      ``—``        ``true``/        canonical (``4.5``)
reports (:func:`show_value`)                              ``false``, in
                                                          the language
CSV (:func:`csv_value`)                      empty cell   ``true``/        canonical
                                                          ``false``
JSON (:func:`~taqyeem_rules.present.tables.  ``null``     ``true``/        strings, every
dumps`)                                                   ``false``        digit
the expression language, ``taqyeem eval``    ``null``     ``true``/        canonical; text
(:func:`feel_value`)                                      ``false``        in double quotes
diagnostics, error messages in English       ``missing``  ``true``/        every digit
(:func:`diagnostic_value`)                                ``false``
===========================================  ===========  ===============  ==================

Lists read ``[a, b]`` and mappings ``{k: v}`` in every text format; bilingual text shows
in the language asked for.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

__all__ = ["NONE", "csv_value", "diagnostic_value", "feel_value", "show_value"]

#: No value, in people's text (both languages).
NONE = "—"


def _text_of(value: Any, lang: str) -> str | None:
    """Bilingual text (a guide's ``Text``) in ``lang``; None for anything else."""
    get = getattr(value, "get", None)
    if get is not None and hasattr(value, "en") and hasattr(value, "ar"):
        return str(get(lang))
    return None


def show_value(value: Any, lang: str = "en", *, absent: str = "word.none") -> str:
    """A value as people read it: exact numbers canonically (``4.5``), ``true``/``false``
    (in the language), lists ``[a, b]``, mappings ``{k: v}``, bilingual text in the
    language; no value as the catalogue word ``absent`` (``—``)."""
    from ..dsl.numbers import canonical
    from .catalogue import catalogue

    if value is None:
        return catalogue().text(absent, lang)
    if isinstance(value, bool):
        return catalogue().text("word.true" if value else "word.false", lang)
    if isinstance(value, Decimal):
        return canonical(value)
    text = _text_of(value, lang)
    if text is not None:
        return text
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {show_value(x, lang)}" for k, x in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(show_value(x, lang) for x in value) + "]"
    return str(value)


def csv_value(value: Any) -> str:
    """A value as a CSV cell: no value is an empty cell; booleans ``true``/``false``;
    numbers canonical; lists ``a;b``."""
    from ..dsl.numbers import canonical

    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, list | tuple):
        return ";".join(csv_value(x) for x in value)
    return str(value)


def feel_value(value: Any) -> str:
    """A value as the expression language writes it (``taqyeem eval``): ``null``,
    ``true``, ``"text"``, ``[1, 2]``, ``{k: v}``; numbers with every digit."""
    from ..dsl.nodes import format_number

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(feel_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {feel_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def diagnostic_value(value: Any) -> str:
    """A value inside an error message (English): an input not given is ``missing``;
    numbers with every digit."""
    from ..dsl.nodes import format_number

    if value is None:
        return "missing"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {diagnostic_value(x)}" for k, x in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(diagnostic_value(x) for x in value) + "]"
    return format_number(value) if not isinstance(value, str) else value
