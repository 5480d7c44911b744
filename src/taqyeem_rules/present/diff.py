"""A diff (:func:`taqyeem_rules.engine.diff.diff_guides`) as people read it, in English
or Arabic — table rows, the Markdown paper for the committee, effective weights as
text — and the formatters of ``taqyeem diff`` (table, Markdown, JSON, amendments)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .catalogue import catalogue
from .formatters import Formatter, Options, formatter
from .tables import Column, Table, dumps, rich_table
from .values import NONE, show_value
from .words import caveat, guide_status, join, with_caveat

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.diff import Changed, Diff, Edit, EffectiveWeight

__all__ = ["Compared", "amendments_yaml", "diff_markdown", "diff_rows", "weight_texts"]


def _w(key: str, lang: str) -> str:
    return catalogue().text(f"diff.{key}", lang)


def diff_rows(diff: Diff, lang: str = "en") -> list[tuple[str, str, str, str, str]]:
    """One row per edit for tables: (element, id, change, old, new)."""
    return [_row(e, lang) for e in diff.edits]


def diff_markdown(diff: Diff, lang: str = "en") -> str:
    """The diff as a Markdown paper for the committee."""
    return _markdown(diff, lang)


def weight_texts(w: EffectiveWeight) -> tuple[str, str, str]:
    """(old, new, signed delta) at 2 places, half up, for tables (``—`` where absent)."""
    delta = _weight_text(w.delta)
    if not delta.startswith("-") and delta != "0.00":
        delta = "+" + delta
    return _weight_text(w.old), _weight_text(w.new), delta


def _is_expression_field(name: str) -> bool:
    """A changed field that holds expressions (shown as code): a score, a condition, a
    gate, the values a table tests, a kind's points formula."""
    return name in ("score", "applicable", "require", "when") or name.endswith((".on", ".points", ".score"))


def _model(model: str, lang: str) -> str:
    key = f"diff.model.{model}"
    return catalogue().text(key, lang) if catalogue().has(key, lang) else model


def _show(value: Any, lang: str) -> str:
    """A value of an edit: :func:`~taqyeem_rules.present.values.show_value`, a list's
    items joined by ``;``."""
    if isinstance(value, tuple | list):
        return "; ".join(_show(v, lang) for v in value)
    return show_value(value, lang)


def _where(e: Edit, lang: str) -> str:
    return _w(e.what, lang) if e.model is None or e.what == "model" else f"{_w(e.what, lang)} ({_model(e.model, lang)})"


def _row(e: Edit, lang: str) -> tuple[str, str, str, str, str]:
    from ..engine.diff import Added, Changed, Moved, Relabelled, Removed, Reweighted

    change = _w(e.kind, lang)
    old = new = ""
    if isinstance(e, Added):
        new = _show(e.label, lang)
        if e.parent:
            new += f" [{e.parent}]"
        if e.weight is not None and e.what in ("category", "criterion"):
            new += f" ({_show(e.weight, lang)})"
    elif isinstance(e, Removed):
        old = _show(e.label, lang)
        if e.parent:
            old += f" [{e.parent}]"
        if e.weight is not None and e.what in ("category", "criterion"):
            old += f" ({_show(e.weight, lang)})"
    elif isinstance(e, Moved):
        if e.old_parent != e.new_parent:
            old, new = e.old_parent or "", e.new_parent or ""
        else:
            old = f"{_w('position', lang)} {e.old_position + 1}"
            new = f"{_w('position', lang)} {e.new_position + 1}"
    elif isinstance(e, Reweighted | Relabelled):
        old, new = _show(e.old, lang), _show(e.new, lang)
    elif isinstance(e, Changed):
        change = f"{_w('changed', lang)}: {e.field}"
        old, new = _show(e.old, lang), _show(e.new, lang)
        if e.subtrees and e.field.endswith("rows"):  # a table's rows, of any kind: paired
            old = "; ".join(_show(a, lang) for a, _ in e.subtrees)
            new = "; ".join(_show(b, lang) for _, b in e.subtrees)
        elif e.subtrees:
            old += " (" + ", ".join(_show(a, lang) for a, _ in e.subtrees) + ")"
            new += " (" + ", ".join(_show(b, lang) for _, b in e.subtrees) + ")"
    return (_where(e, lang), e.id, change, old, new)


def _md_escape(text: str) -> str:
    from .._text import markdown_cell

    return markdown_cell(text)


def _md_code(text: str) -> str:
    if not text or text == NONE:
        return text
    return f"`{text}`" if "`" not in text else text


def _weight_text(d: Decimal | None) -> str:
    from ..dsl.nodes import format_number
    from ..dsl.numbers import display_round

    if d is None:
        return NONE
    return format_number(display_round(d))


def _markdown(diff: Diff, lang: str) -> str:
    from ..engine.diff import Changed

    def w(key: str) -> str:
        return _w(key, lang)

    lines = [f"# {w('title')}: {diff.old_edition} → {diff.new_edition}", ""]
    if diff.old_title is not None and diff.new_title is not None:
        lines += [f"- {w('from')} {diff.old_edition}: {diff.old_title.get(lang)}",
                  f"- {w('to')} {diff.new_edition}: {diff.new_title.get(lang)}"]
    lines += [
        f"- {w('fingerprint')} {diff.old_edition}: `{diff.old_fingerprint}`",
        f"- {w('fingerprint')} {diff.new_edition}: `{diff.new_fingerprint}`",
        "",
        f"## {w('summary')}",
        "",
    ]
    if diff.empty:
        lines += [w("none"), ""]
    else:
        lines += [f"| {w('change')} | {w('count')} |", "|---|---:|"]
        lines += [f"| {w(k)} | {c} |" for k, c in diff.counts().items() if c]
        lines += ["", f"## {w('edits')}", ""]
        current = None
        for e in diff.edits:
            head = _section(e, lang)
            if head != current:
                if current is not None:
                    lines.append("")
                lines += [f"### {head}", "", f"| {w('id')} | {w('change')} | {w('old')} | {w('new')} |",
                          "|---|---|---|---|"]
                current = head
            _, ident, change, old, new = _row(e, lang)
            if isinstance(e, Changed) and _is_expression_field(e.field):
                old, new = _md_code_expr(e, "old"), _md_code_expr(e, "new")
            lines.append(f"| `{ident}` | {_md_escape(change)} | {_md_escape(old)} | {_md_escape(new)} |")
        lines.append("")
    lines += [f"## {w('weights')}", "", w("weights_note"), ""]
    changed = diff.changed_weights()
    if not changed:
        lines += [w("no_weights"), ""]
    else:
        lines += [f"| {w('model_col')} | {w('criterion_col')} | {w('category_col')} | {w('old')} | {w('new')} "
                  f"| {w('delta')} |", "|---|---|---|---:|---:|---:|"]
        for ew in changed:
            cat = ew.new_category or ew.old_category or ""
            if ew.old_category and ew.new_category and ew.old_category != ew.new_category:
                cat = f"{ew.old_category} → {ew.new_category}"
            old, new, delta = weight_texts(ew)
            lines.append(f"| {_model(ew.model, lang)} | `{ew.id}` | {cat} | {old} | {new} | {delta} |")
        lines.append("")
    return "\n".join(lines)


def _md_code_expr(e: Changed, side: str) -> str:
    whole = e.old if side == "old" else e.new
    text = _md_code(_show(whole, "en"))
    if e.subtrees:
        parts = [a if side == "old" else b for a, b in e.subtrees]
        text += " (" + ", ".join(_md_code(_show(p, "en")) for p in parts) + ")"
    return text


def _section(e: Edit, lang: str) -> str:
    head = _w(f"section.{e.what}", lang)
    if e.model is not None:
        head += f" — {_model(e.model, lang)}"
    return head


def amendments_yaml(amendments: list[dict[str, Any]]) -> str:
    """Amendments (data, numbers as Decimal) as the YAML of a guide's ``amendments:``."""
    import yaml

    from ..dsl.numbers import canonical

    class Dumper(yaml.SafeDumper):
        pass

    def decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
        text = canonical(value)
        return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)

    Dumper.add_representer(Decimal, decimal)
    return yaml.dump({"amendments": amendments}, Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)


# ---- the formatters of `taqyeem diff` ------------------------------------------------------------


@dataclass(frozen=True)
class Compared:
    """What ``taqyeem diff`` shows: the two guides, their diff, and (asked for only by
    the amendments format) the amendments that turn the old into the new."""

    old: Any
    new: Any
    diff: Diff
    amendments: Callable[[], list[dict[str, Any]]] = field(compare=False)


@formatter("diff", "table")
class DiffTable(Formatter):
    """The edits, the effective weights that change, and a count of the edits."""

    def render(self, subject: Compared, options: Options) -> list[Any]:
        from .lines import line

        lang, diff, t = options.lang, subject.diff, catalogue().text
        parts: list[Any] = []
        if diff:
            columns = [Column(t("diff.table.element", lang), squeeze=True), Column(t("diff.table.id", lang), keep=True),
                       Column(t("diff.table.change", lang)), Column(t("diff.table.old", lang), squeeze=True),
                       Column(t("diff.table.new", lang), squeeze=True)]
            parts.append(rich_table(Table.of(columns, diff_rows(diff, lang),
                                             f"{subject.old.edition} → {subject.new.edition}")))
        else:
            parts.append(line(t("diff.table.none", lang, old=subject.old.edition, new=subject.new.edition)))
        weights = diff.changed_weights()
        if weights:
            columns = [Column(t("diff.table.model", lang), keep=True), Column(t("diff.table.criterion", lang), keep=True),
                       Column(t("diff.table.old", lang), numeric=True), Column(t("diff.table.new", lang), numeric=True),
                       Column(t("diff.delta", lang), numeric=True)]
            rows = [[_model_word(w.model, lang), w.id, *weight_texts(w)] for w in weights]
            parts.append(rich_table(Table.of(columns, rows, t("diff.table.weights", lang))))
        counts = join((t("diff.table.kind", lang, kind=_w(k, lang), count=v)
                       for k, v in diff.counts().items() if v), lang) or t("common.none", lang)
        parts.append(line((t("diff.table.count", lang, count=len(diff), counts=counts), "dim")))
        note = caveat(lang, subject.old, subject.new)
        if note:
            parts.append(line((note, "dim")))
        return parts


def _model_word(model: str, lang: str) -> str:
    from .words import model_name

    return model_name(model, lang)


@formatter("diff", "markdown")
class DiffMarkdown(Formatter):
    """The paper for the committee (with the caveat of an illustrative guide)."""

    data = True

    def render(self, subject: Compared, options: Options) -> str:
        return with_caveat(diff_markdown(subject.diff, options.lang), options.lang, subject.old, subject.new)


@formatter("diff", "json")
class DiffJson(Formatter):
    """The diff's data, and the status of the guides' numbers."""

    data = True

    def render(self, subject: Compared, options: Options) -> str:
        return dumps({**subject.diff.to_dict(), "guide_status": guide_status(subject.old, subject.new)})


@formatter("diff", "amendments")
class DiffAmendments(Formatter):
    """The amendments that turn OLD into NEW, as YAML."""

    data = True

    def render(self, subject: Compared, options: Options) -> str:
        return amendments_yaml(subject.amendments())
