"""An explanation (:func:`taqyeem_rules.engine.explain.explain_tree`) as text, in
English or Arabic: each step's message rendered through the catalogue."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .catalogue import catalogue
from .formatters import Formatter, Options, Plain, Wrapped, formatter
from .tables import dumps
from .values import show_value

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.explain import Step
    from ..guide.kinds import Message

#: Decimal places an exact value keeps in a human-facing line before it is cut with "…"
#: (beyond the guide's report scale); ``exact=True`` shows every digit.
EXACT_EXTRA_PLACES = 4

__all__ = ["Explained", "Line", "explain_lines", "explain_text", "render_message"]


@dataclass
class Line:
    """A rendered step: its text, its children and a style for terminals."""

    text: str
    children: list[Line] = field(default_factory=list)
    style: str = ""


@dataclass(frozen=True)
class Numbers:
    """How numbers read: derived values at the guide's report precision (trailing zeros
    dropped), exact values cut after a few places — or every digit (``exact``)."""

    scale: int = 2
    rounding: str = "half_up"
    exact: bool = False

    def derived(self, value: Decimal) -> str:
        from ..dsl.numbers import ROUNDING_MODES, canonical, make_context

        if self.exact:
            return canonical(value)
        step = Decimal(1).scaleb(-self.scale)
        ctx = make_context(max(34, value.adjusted() + self.scale + 2))
        return canonical(value.quantize(step, rounding=ROUNDING_MODES[self.rounding], context=ctx))

    def exact_of(self, value: Decimal) -> str:
        from ..dsl.numbers import canonical

        text = canonical(value)
        if self.exact:
            return text
        whole, dot, frac = text.partition(".")
        places = self.scale + EXACT_EXTRA_PLACES
        return text if len(frac) <= places else f"{whole}{dot}{frac[:places]}…"


def _text(value: Any, lang: str, nums: Numbers, absent: str = "word.none") -> str:
    from ..guide.kinds import Exact, Message
    from ..guide.model import Text

    if isinstance(value, Message):
        return render_message(value, lang, nums)
    if isinstance(value, Exact):
        return catalogue().text(absent, lang) if value.value is None else nums.exact_of(value.value)
    if value is None:
        return catalogue().text(absent, lang)
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, str):
        return value
    if isinstance(value, Decimal):
        return nums.derived(value)
    return show_value(value, lang)


def _prepare(key: str, values: dict[str, Any], lang: str, nums: Numbers) -> dict[str, str]:
    """Values of a built-in message as text (optional parts filled from the catalogue)."""
    cat = catalogue()
    out = {k: _text(v, lang, nums) for k, v in values.items()}
    if key in ("explain.criterion", "explain.criterion.na"):
        out["basic"] = cat.text("explain.criterion.basic", lang) if values.get("basic") else ""
        c = values.get("contribution")
        out["contribution"] = (
            cat.text("explain.criterion.contribution", lang, contribution=_text(c, lang, nums))
            if c is not None else ""
        )
    elif key == "explain.total":
        tier = values.get("tier")
        out["tier"] = _text(tier, lang, nums) if tier is not None else cat.text("explain.no_tier", lang)
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


def render_message(message: Message, lang: str = "en", nums: Numbers | None = None) -> str:
    """One message in a language (numbers as ``nums`` says; report precision, 2 places,
    by default)."""
    values = message.mapping()
    nums = nums or Numbers()
    return catalogue().text(message.key, lang, **_prepare(message.key, values, lang, nums))


def explain_lines(step: Step, lang: str = "en", *, exact: bool = False, nums: Numbers | None = None) -> Line:
    """A tree of steps as a tree of rendered lines. Derived numbers show at the guide's
    report precision (from the root step); ``exact=True`` shows every digit."""
    if nums is None:
        nums = Numbers(step.scale if step.scale is not None else 2, step.rounding or "half_up", exact)
    return Line(
        render_message(step.message, lang, nums),
        [explain_lines(c, lang, nums=nums) for c in step.children],
        step.style,
    )


def explain_text(step: Step, lang: str = "en", *, exact: bool = False,
                 escape: Callable[[str], str] | None = None) -> str:
    """The explanation as indented plain text (``exact``: as in :func:`explain_lines`;
    each line's text through ``escape``, if given: the CLI makes control characters
    visible for a terminal)."""
    out: list[str] = []

    def walk(line: Line, prefix: str, last: bool, top: bool) -> None:
        text = line.text if escape is None else escape(line.text)
        if top:
            out.append(text)
            child_prefix = ""
        else:
            out.append(prefix + ("└── " if last else "├── ") + text)
            child_prefix = prefix + ("    " if last else "│   ")
        for k, child in enumerate(line.children):
            walk(child, child_prefix, k == len(line.children) - 1, False)

    walk(explain_lines(step, lang, exact=exact), "", True, True)
    return "\n".join(out)


# ---- the formatters of `taqyeem explain` ---------------------------------------------------


@dataclass(frozen=True)
class Explained:
    """What ``taqyeem explain`` shows: the results of its centres (scored with the trace)."""

    results: Sequence[Any]


def _tree(line: Line) -> Any:
    """A rendered explanation as a rich Tree (each line's text shown as it is)."""
    from rich.tree import Tree

    from .tables import cell

    tree = Tree(cell(line.text, line.style))
    stack = [(tree, line)]
    while stack:
        node, current = stack.pop()
        for child in current.children:
            stack.append((node.add(cell(child.text, child.style)), child))
    return tree


@formatter("explain", "tree")
class ExplainTree(Formatter):
    """A tree per centre that wraps at the terminal's width (nothing is cut); piped, the
    plain text of :class:`ExplainText`."""

    def render(self, subject: Explained, options: Options) -> list[Any]:
        if not options.terminal:
            return ExplainText().render(subject, options)
        from ..engine.explain import explain_tree

        parts: list[Any] = []
        for k, result in enumerate(subject.results):
            if k:
                parts.append(Plain(""))
            parts.append(Wrapped(_tree(explain_lines(explain_tree(result), options.lang,
                                                     exact=options.get("exact", False)))))
        return parts


@formatter("explain", "text")
class ExplainText(Formatter):
    """The explanation as indented plain text, each line whole (control characters
    shown as ``\\uXXXX``)."""

    def render(self, subject: Explained, options: Options) -> list[Any]:
        from .._text import visible
        from ..engine.explain import explain_tree

        return [Plain(explain_text(explain_tree(r), options.lang, exact=options.get("exact", False), escape=visible))
                for r in subject.results]


@formatter("explain", "json")
class ExplainJson(Formatter):
    """One JSON document: the list of the centres' results, each with its trace."""

    data = True

    def render(self, subject: Explained, options: Options) -> str:
        return dumps([r.to_dict() for r in subject.results])
