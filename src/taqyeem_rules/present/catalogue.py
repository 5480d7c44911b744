"""The one bilingual message catalogue.

Every word and sentence people read — headers, statuses, model and tier words, flags,
explanations, summaries, report lines — has a key and a template per language
(``{name}`` placeholders). The built-in entries live in
:mod:`taqyeem_rules.present.messages`; each criterion kind brings its own
(:attr:`~taqyeem_rules.guide.kinds.CriterionKind.messages`), registered here the first
time the catalogue is used, so third-party kinds are translatable too. A key missing in
Arabic falls back to English; a key missing everywhere is shown as the key and its
values, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["BUILTIN", "LANGUAGES", "Catalogue", "catalogue", "text"]

from .messages import BUILTIN

LANGUAGES = ("en", "ar")


class _Values(dict):  # type: ignore[type-arg]
    """Template values; a placeholder with no value shows as itself."""

    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


class Catalogue:
    """Message templates by language and key; extensible (kinds, plugins)."""

    def __init__(self, entries: Mapping[str, Mapping[str, str]] | None = None) -> None:
        self._entries: dict[str, dict[str, str]] = {lang: {} for lang in LANGUAGES}
        if entries:
            self.register(entries)

    def register(self, entries: Mapping[str, Mapping[str, str]], *, replace: bool = False) -> None:
        """Add templates (``{lang: {key: template}}``); an existing key is kept unless
        ``replace``."""
        for lang, items in entries.items():
            table = self._entries.setdefault(lang, {})
            for key, template in items.items():
                if replace or key not in table:
                    table[key] = template

    def has(self, key: str, lang: str = "en") -> bool:
        return key in self._entries.get(lang, {}) or key in self._entries["en"]

    def template(self, key: str, lang: str = "en") -> str | None:
        """The template of ``key`` in ``lang`` (English when it has no translation)."""
        found = self._entries.get(lang, {}).get(key)
        return found if found is not None else self._entries["en"].get(key)

    def text(self, key: str, lang: str = "en", /, **values: Any) -> str:
        """The text of ``key`` in ``lang`` with ``values`` (already rendered as text)."""
        template = self.template(key, lang)
        if template is None:
            shown = ", ".join(f"{k}={v}" for k, v in sorted(values.items()))
            return f"{key}({shown})" if shown else key
        return template.format_map(_Values(values))


_DEFAULT: Catalogue | None = None
_KINDS_VERSION: int | None = None


def text(key: str, lang: str = "en", /, **values: Any) -> str:
    """``catalogue().text(key, lang, **values)``: the text of one message."""
    return catalogue().text(key, lang, **values)


def catalogue() -> Catalogue:
    """The process-wide catalogue: built-in entries and every loaded kind's messages."""
    global _DEFAULT, _KINDS_VERSION
    from ..guide.kinds import kind_registry

    if _DEFAULT is None:
        _DEFAULT = Catalogue(BUILTIN)
    registry = kind_registry()
    if registry.version != _KINDS_VERSION:
        for info in registry.loaded():
            _DEFAULT.register(info.kind.messages)
        _KINDS_VERSION = registry.version
    return _DEFAULT
