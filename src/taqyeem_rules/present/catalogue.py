"""The one bilingual message catalogue.

Every user-visible sentence of an explanation has a key and a template per language
(``{name}`` placeholders). The built-in entries are below; each criterion kind brings
its own (:attr:`~taqyeem_rules.guide.kinds.CriterionKind.messages`), registered here
the first time the catalogue is used, so third-party kinds are translatable too. A key
missing in Arabic falls back to English; a key missing everywhere is shown as the key
and its values, never dropped.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

__all__ = ["BUILTIN", "LANGUAGES", "Catalogue", "catalogue"]

LANGUAGES = ("en", "ar")

#: The built-in entries, by language.
BUILTIN: dict[str, dict[str, str]] = {
    "en": {
        "word.true": "true",
        "word.false": "false",
        "word.missing": "missing",
        "word.none": "—",
        "model.onsite": "onsite",
        "model.remote": "remote",
        "explain.centre": "Centre {id} — {name} ({model}, guide {edition}, {fingerprint})",
        "explain.illustrative": "illustrative guide: its weights and thresholds are not the official ones",
        "explain.total": "Total {total} (exact {exact}) → tier: {tier}",
        "explain.no_tier": "no tier",
        "explain.tier": "{mark} {label} ({id}): min {min}{require}",
        "explain.tier.require": ", require {require}",
        "explain.basic": "Basic attainment {value} (exact {exact})",
        "explain.category": "{label} ({id}) — weight {weight}, score {score}",
        "explain.category.na": "{label} ({id}) — weight {weight}: not applicable",
        "explain.criterion": "{id} — {label}{basic}: {points}/{max} points = {percentage}%{contribution}",
        "explain.criterion.na": "{id} — {label}{basic}: not applicable",
        "explain.criterion.basic": " [basic]",
        "explain.criterion.contribution": ", contributes {contribution} to the total",
        "explain.missing.zero": "missing → 0 points (missing: zero)",
        "explain.missing.na": "missing → not applicable (missing: not_applicable)",
        "explain.applicable": "applicable: {expression}",
        "explain.weight": "weight {weight} in its category → {effective} of 100",
        "explain.inputs": "inputs: {inputs}",
        "explain.flags": "Flags",
        "explain.flag": "{label} ({id}): {value} — {when}",
    },
    "ar": {
        "word.true": "نعم",
        "word.false": "لا",
        "word.missing": "مفقود",
        "word.none": "—",
        "model.onsite": "المقر",
        "model.remote": "عن بعد",
        "explain.centre": "المركز {id} — {name} ({model}، الدليل {edition}، {fingerprint})",
        "explain.illustrative": "دليل توضيحي: أوزانه وحدوده ليست الرسمية",
        "explain.total": "المجموع {total} (القيمة الدقيقة {exact}) ← الفئة: {tier}",
        "explain.no_tier": "بلا فئة",
        "explain.tier": "{mark} {label} ({id}): الحد الأدنى {min}{require}",
        "explain.tier.require": "، شرط {require}",
        "explain.basic": "نسبة تحقق المعايير الأساسية {value} (القيمة الدقيقة {exact})",
        "explain.category": "{label} ({id}) — الوزن {weight}، الدرجة {score}",
        "explain.category.na": "{label} ({id}) — الوزن {weight}: لا ينطبق",
        "explain.criterion": "{id} — {label}{basic}: {points}/{max} نقاط = {percentage}٪{contribution}",
        "explain.criterion.na": "{id} — {label}{basic}: لا ينطبق",
        "explain.criterion.basic": " [أساسي]",
        "explain.criterion.contribution": "، يسهم بـ {contribution} في المجموع",
        "explain.missing.zero": "مفقود ← صفر نقاط (missing: zero)",
        "explain.missing.na": "مفقود ← لا ينطبق (missing: not_applicable)",
        "explain.applicable": "ينطبق إذا: {expression}",
        "explain.weight": "الوزن {weight} داخل المحور ← {effective} من 100",
        "explain.inputs": "المدخلات: {inputs}",
        "explain.flags": "المؤشرات",
        "explain.flag": "{label} ({id}): {value} — {when}",
    },
}


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
