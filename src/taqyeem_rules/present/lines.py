"""Lines of text for people: pieces of the program's own text, optionally styled, and
user text shown as it is — never read as markup, control characters made visible."""

from __future__ import annotations

from typing import Any

__all__ = ["Piece", "line"]

#: A piece of a line: text shown as it is, or ``(text, style)``.
Piece = str | tuple[str, str]


def line(*pieces: Piece) -> Any:
    """Rich text from pieces: a string is shown as it is, with its control characters
    made visible (:func:`~taqyeem_rules._text.visible_lines`); ``(text, style)`` is the
    program's own text in a style. Nothing is read as markup."""
    from rich.text import Text as RichText

    from .._text import visible_lines

    return RichText.assemble(*(
        (visible_lines(p), "") if isinstance(p, str) else (visible_lines(p[0]), p[1]) for p in pieces
    ))
