"""An explanation (:func:`taqyeem_rules.engine.explain.explain_tree`) as text, in
English or Arabic: each step's message rendered through the catalogue."""

from __future__ import annotations

from typing import Any

import attrs

from ..engine.explain import Step
from ..guide.kinds import Message
from ..guide.model import Text
from .catalogue import catalogue
from .values import show_value

__all__ = ["Line", "explain_lines", "explain_text", "render_message"]


@attrs.define
class Line:
    """A rendered step: its text, its children and a style for terminals."""

    text: str
    children: list[Line] = attrs.field(factory=list)
    style: str = ""


def _text(value: Any, lang: str, absent: str = "word.none") -> str:
    if isinstance(value, Message):
        return render_message(value, lang)
    if value is None:
        return catalogue().text(absent, lang)
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, str):
        return value
    return show_value(value, lang)


def _prepare(key: str, values: dict[str, Any], lang: str) -> dict[str, str]:
    """Values of a built-in message as text (optional parts filled from the catalogue)."""
    cat = catalogue()
    out = {k: _text(v, lang) for k, v in values.items()}
    if key in ("explain.criterion", "explain.criterion.na"):
        out["basic"] = cat.text("explain.criterion.basic", lang) if values.get("basic") else ""
        c = values.get("contribution")
        out["contribution"] = (
            cat.text("explain.criterion.contribution", lang, contribution=c) if c is not None else ""
        )
    elif key == "explain.total":
        tier = values.get("tier")
        out["tier"] = _text(tier, lang) if tier is not None else cat.text("explain.no_tier", lang)
    elif key == "explain.tier":
        out["mark"] = "✓" if values.get("reached") else "·"
        req = values.get("require")
        out["require"] = cat.text("explain.tier.require", lang, require=req) if req is not None else ""
    elif key == "explain.centre":
        model = values.get("model")
        if cat.has(f"model.{model}", lang):
            out["model"] = cat.text(f"model.{model}", lang)
    elif key == "explain.inputs":
        out["inputs"] = ", ".join(f"{k} = {show_value(v, lang)}" for k, v in values["inputs"])
    elif key == "explain.flag":
        out["value"] = show_value(values.get("value"), lang)
    return out


def render_message(message: Message, lang: str = "en") -> str:
    """One message in a language."""
    values = message.mapping()
    return catalogue().text(message.key, lang, **_prepare(message.key, values, lang))


def explain_lines(step: Step, lang: str = "en") -> Line:
    """A tree of steps as a tree of rendered lines."""
    return Line(render_message(step.message, lang), [explain_lines(c, lang) for c in step.children], step.style)


def explain_text(step: Step, lang: str = "en") -> str:
    """The explanation as indented plain text."""
    out: list[str] = []

    def walk(line: Line, prefix: str, last: bool, top: bool) -> None:
        if top:
            out.append(line.text)
            child_prefix = ""
        else:
            out.append(prefix + ("└── " if last else "├── ") + line.text)
            child_prefix = prefix + ("    " if last else "│   ")
        for k, child in enumerate(line.children):
            walk(child, child_prefix, k == len(line.children) - 1, False)

    walk(explain_lines(step, lang), "", True, True)
    return "\n".join(out)
