"""Words shared by every formatter: a model's and a tier's name in a language, a list
joined in the language, and the caveat of an illustrative guide.

English keeps ids (``onsite``, ``gold``) where the tables always showed them; Arabic
shows the model's Arabic name (``المقر``) and the tier's Arabic label, so that no line
of an Arabic report mixes in English words.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from .catalogue import catalogue

__all__ = ["caveat", "guide_status", "illustrative", "join", "model_name", "tier_name", "with_caveat"]


def model_name(model: str | None, lang: str = "en") -> str:
    """A model's name: its id in English, its name in Arabic (``onsite`` → ``المقر``);
    a model the catalogue does not know shows as its id."""
    if model is None:
        return catalogue().text("tier.none", lang)
    if lang == "en":
        return model
    key = f"model.{model}"
    return catalogue().text(key, lang) if catalogue().has(key, lang) else model


def tier_name(tier: str | None, lang: str = "en", *, model: str | None = None, guides: Iterable[Any] = ()) -> str:
    """A tier's name: its id in English, its label in Arabic (looked up in ``guides``,
    the first that has it); no tier is ``—``."""
    if tier is None:
        return catalogue().text("tier.none", lang)
    if lang == "en":
        return tier
    for guide in guides:
        for m in guide.models:
            if model is not None and m.id != model:
                continue
            for t in m.tiers:
                if t.id == tier:
                    return str(t.label.get(lang))
    return tier


def join(items: Iterable[str], lang: str = "en") -> str:
    """Items joined as a list reads in the language (``a, b`` / ``a، b``)."""
    return catalogue().text("common.list", lang).join(items)


def illustrative(*guides: Any) -> list[str]:
    """The editions among ``guides`` whose numbers are illustrative."""
    return [g.edition for g in guides if g is not None and g.provenance.status == "illustrative"]


def caveat(lang: str = "en", *guides: Any) -> str | None:
    """The caveat line when any of ``guides`` is illustrative (None when none is): one
    guide — "Illustrative guide: …"; two (diff, impact) name the editions."""
    editions = illustrative(*guides)
    if not editions:
        return None
    if len(guides) == 1:
        return catalogue().text("common.caveat", lang)
    return catalogue().text("common.caveat.either", lang, editions=join(editions, lang))


def guide_status(*guides: Any) -> str:
    """``illustrative`` when any of ``guides`` is, else ``official``: the ``guide_status``
    of an output built from them."""
    return "illustrative" if illustrative(*guides) else "official"


def with_caveat(markdown: str, lang: str, *guides: Any) -> str:
    """Markdown with the caveat of an illustrative guide as its last line (a footnote)."""
    note = caveat(lang, *guides)
    if not note:
        return markdown
    return markdown.rstrip("\n") + "\n\n" + note + "\n"
