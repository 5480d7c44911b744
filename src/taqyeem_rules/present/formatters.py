"""The formatters: one object per result type and output format, looked up by name.

A formatter turns what the core returns into text. It is chosen once — the command
asks :func:`get` for ``(result type, --format)`` — and then only called; nothing else
branches on the format (jsonschema's CLI formatters, flake8's report plugins). Each
result type's formatters live in its own module of this package and register
themselves with :func:`formatter`::

    @formatter("score", "html")
    class ScoreHtml(Formatter):
        data = True

        def render(self, subject: Scores, options: Options) -> str:
            ...

Adding that class is all a new output format needs: ``taqyeem score --format html``
lists and uses it. A formatter is either for **data** (``data = True``: it returns the
text, written byte for byte to standard output or ``-o``) or for **people** (it returns
a list of parts for the terminal: rich renderables, :class:`Plain` text written as it
is, :class:`Wrapped` renderables that wrap at the terminal's width, and parts for
standard error in :class:`ToStderr`).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, ClassVar

__all__ = ["Formatter", "Options", "Plain", "ToStderr", "Wrapped", "formats", "formatter", "get"]


@dataclass(frozen=True)
class Options:
    """What a command asks of its formatter: the language, and its own settings
    (``exact`` digits, a ``limit`` of rows listed, …; :meth:`get` with a default)."""

    lang: str = "en"
    #: Standard output is a terminal (people's formats may lay out for it).
    terminal: bool = True
    settings: tuple[tuple[str, Any], ...] = ()

    def get(self, name: str, default: Any = None) -> Any:
        return dict(self.settings).get(name, default)


@dataclass(frozen=True)
class Plain:
    """Text for people written as it is (already made safe for a terminal)."""

    text: str


@dataclass(frozen=True)
class Wrapped:
    """A renderable printed wrapped at the terminal's width (a tree of long lines)."""

    renderable: Any


@dataclass(frozen=True)
class ToStderr:
    """A part for standard error (diagnostics, warnings), not standard output."""

    part: Any


class Formatter:
    """Turns one result type into one format. ``data`` formatters return text;
    people's formatters return a list of parts."""

    #: Written as data (byte for byte, to standard output or ``-o``), never through rich.
    data: ClassVar[bool] = False
    #: The result type and the format's name (set by :func:`formatter`).
    kind: ClassVar[str] = ""
    name: ClassVar[str] = ""

    def render(self, subject: Any, options: Options) -> Any:  # pragma: no cover - abstract
        raise NotImplementedError


_REGISTRY: dict[str, dict[str, type[Formatter]]] = {}
#: The module of this package holding a result type's built-in formatters, where its name
#: is not the type's own (``present/score.py`` holds ``score``'s): imported on first lookup,
#: so a command loads the formatters of its own result type and no others.
_HOMES: dict[str, str] = {"test": "testing", "verify": "testing"}


def _load(kind: str) -> None:
    """Import the module of this package that registers ``kind``'s built-in formatters
    (once; a type with no such module — a plugin's — is left to register itself)."""
    import importlib
    import importlib.util

    name = f"{__package__}.{_HOMES.get(kind, kind)}"
    if name.rsplit(".", 1)[1].isidentifier() and importlib.util.find_spec(name) is not None:
        importlib.import_module(name)


def formatter(kind: str, name: str) -> Callable[[type[Formatter]], type[Formatter]]:
    """Register a formatter class for result type ``kind`` and format ``name`` (the
    first registered format of a type is its default)."""

    def register(cls: type[Formatter]) -> type[Formatter]:
        cls.kind, cls.name = kind, name
        _REGISTRY.setdefault(kind, {})[name] = cls
        return cls

    return register


def formats(kind: str) -> tuple[str, ...]:
    """The formats of a result type, in the order they were registered."""
    if kind not in _REGISTRY:
        _load(kind)
    return tuple(_REGISTRY.get(kind, ()))


def get(kind: str, name: str) -> Formatter:
    """The formatter of ``kind`` in format ``name``."""
    if kind not in _REGISTRY:
        _load(kind)
    try:
        return _REGISTRY[kind][name]()
    except KeyError:
        raise KeyError(f"no {name!r} formatter for {kind!r}; formats: {', '.join(formats(kind))}") from None
