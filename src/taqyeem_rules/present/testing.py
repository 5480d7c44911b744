"""What people read of ``taqyeem test`` and ``taqyeem verify``, in English and Arabic.

The core returns data (:class:`~taqyeem_rules.engine.testing.CaseReport`,
:class:`~taqyeem_rules.engine.verify.VerifyReport`); this module words it: rich
renderables for the terminal, Markdown, and the JSON data with every finding's message
in the language asked for. The wording lives in the
one catalogue (:mod:`taqyeem_rules.present.catalogue`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from .catalogue import Catalogue, catalogue
from .formatters import Formatter, Options, formatter
from .tables import Column, Table, dumps, markdown_table, rich_table
from .values import show_value
from .words import caveat, model_name, tier_name, with_caveat

if TYPE_CHECKING:  # pragma: no cover
    from ..engine.testing import CaseReport, CoverageTarget
    from ..engine.verify import Finding, VerifyReport
    from ..guide.cases import Expectation


def canonical(value: Decimal) -> str:
    """A number canonically (:func:`taqyeem_rules.dsl.numbers.canonical`)."""
    from ..dsl.numbers import canonical as text

    return text(value)


def format_number(value: Decimal) -> str:
    """A number with every digit (:func:`taqyeem_rules.dsl.nodes.format_number`)."""
    from ..dsl.nodes import format_number as text

    return text(value)

__all__ = [
    "Tested",
    "Verified",
    "case_report_data",
    "case_report_markdown",
    "case_report_rich",
    "counterexample_files",
    "finding_text",
    "target_text",
    "verify_data",
    "verify_markdown",
    "verify_rich",
]



def _cat() -> Catalogue:
    return catalogue()


def _show(value: Any, lang: str) -> str:
    return show_value(value, lang)


def _model(model: str | None, lang: str) -> str:
    """A model's name in a language (``onsite`` → ``المقر``)."""
    return model_name(model, lang)


# ---- taqyeem test ---------------------------------------------------------------------------


def expect_label(e: Expectation, lang: str = "en") -> str:
    """``criterion access_parking: points`` in a language."""
    return _cat().text(f"test.what.{e.what}", lang, id=e.id or "")


def _mismatch_lines(report: CaseReport, lang: str) -> list[tuple[str | None, str]]:
    cat = _cat()
    out: list[tuple[str | None, str]] = []
    for o in report.outcomes:
        if o.error is not None:
            out.append((o.error.location() or o.case.path, cat.text("test.error", lang, case=o.case.name,
                                                                      message=o.error.message)))
        for m in o.mismatches:
            e = m.expect
            tol = cat.text("test.tolerance", lang, tolerance=canonical(e.tolerance)) if e.tolerance else ""
            where = str(e.span) if e.span is not None else (o.case.path or "")
            out.append((where, cat.text("test.mismatch", lang, case=o.case.name, label=expect_label(e, lang),
                                        expected=_show(e.value, lang), actual=_show(m.actual, lang),
                                        tolerance=tol)))
    return out


def target_text(t: CoverageTarget, lang: str = "en") -> str:
    """One coverage target in words (``row 3 of access_opening_hours``)."""
    cat = _cat()
    if t.section == "tier" and t.id is None:
        return cat.text("target.tier.none", lang)
    return cat.text(f"target.{t.section}.{t.detail}", lang, id=t.id or "", row=str(t.row or ""))


def _case_rows(report: CaseReport, lang: str, guides: Sequence[Any] = ()) -> tuple[list[str], list[list[str]]]:
    cat = _cat()
    header = [cat.text(k, lang) for k in ("test.case", "test.centre", "test.model", "test.total", "test.tier",
                                          "test.checked", "test.result")]
    rows = []
    for o in report.outcomes:
        r = o.result
        rows.append([
            o.case.name, o.case.evidence.centre_id, _model(o.case.model, lang),
            format_number(r.total) if r is not None else "—",
            (tier_name(r.tier_id, lang, model=o.case.model, guides=guides) if r.tier_id
             else cat.text("target.tier.none", lang)) if r is not None else "—",
            str(len(o.case.expects)),
            cat.text("test.pass" if o.ok else "test.fail", lang),
        ])
    return header, rows


def _coverage_rows(report: CaseReport, lang: str) -> tuple[list[str], list[list[str]]]:
    cat = _cat()
    header = [cat.text(k, lang) for k in ("coverage.model", "coverage.section", "coverage.reached",
                                          "coverage.percent")]
    rows = []
    for model, section, reached, targets in report.coverage.sections():
        from ..engine.testing import percent

        pct = canonical(percent(reached, targets))
        rows.append([_model(model, lang), cat.text(f"coverage.section.{section}", lang), f"{reached} / {targets}", pct])
    return header, rows


def _summary(report: CaseReport, lang: str) -> str:
    return _cat().text("test.summary", lang, cases=str(len(report.outcomes)),
                       passed=str(len(report.outcomes) - len(report.failed)), failed=str(len(report.failed)))


def _coverage_title(report: CaseReport, lang: str) -> str:
    c = report.coverage
    return _cat().text("coverage.title", lang, percent=canonical(c.percent), reached=str(c.reached),
                       targets=str(len(c.targets)))


def case_report_data(report: CaseReport, lang: str = "en") -> dict[str, Any]:
    """The report as JSON data, each mismatch and unreached target also in words."""
    data = report.to_dict()
    for o, od in zip(report.outcomes, data["outcomes"], strict=True):
        for m, md in zip(o.mismatches, od["mismatches"], strict=True):
            md["label"] = expect_label(m.expect, lang)
    for t, td in zip(report.coverage.unreached, data["coverage"]["unreached"], strict=True):
        td["text"] = target_text(t, lang)
    return data


def case_report_markdown(report: CaseReport, lang: str = "en", *, unreached: bool = True,
                         guides: Sequence[Any] = ()) -> str:
    """The report as Markdown: the cases, the mismatches, the coverage by section and
    (``unreached``) every target no case reaches, with its place in the guide."""
    cat = _cat()
    out = [f"# {cat.text('test.title', lang, edition=report.edition)}", "", _summary(report, lang), ""]
    header, rows = _case_rows(report, lang, guides)
    out += [markdown_table(header, rows), ""]
    lines = _mismatch_lines(report, lang)
    if lines:
        out += [f"## {cat.text('test.mismatches', lang)}", ""]
        out += [f"- `{where}`: {text}" if where else f"- {text}" for where, text in lines]
        out.append("")
    out += [f"## {_coverage_title(report, lang)}", ""]
    header, rows = _coverage_rows(report, lang)
    out += [markdown_table(header, rows), ""]
    missed = report.coverage.unreached
    if unreached and missed:
        out += [f"### {cat.text('coverage.unreached', lang, count=str(len(missed)))}", ""]
        out += [f"- {target_text(t, lang)} ({_model(t.model, lang)}) — `{t.span or t.path}`" for t in missed]
        out.append("")
    return "\n".join(out)


def case_report_rich(report: CaseReport, lang: str = "en", *, limit: int = 20, guides: Sequence[Any] = ()
                     ) -> list[Any]:
    """The report for a terminal: rich tables and lines (at most ``limit`` unreached
    targets are listed)."""
    from .lines import line

    cat = _cat()
    out: list[Any] = []
    header, rows = _case_rows(report, lang, guides)
    columns = [Column(h, numeric=k in (3, 5), keep=k in (1, 2, 4, 6), squeeze=k == 0) for k, h in enumerate(header)]
    out.append(rich_table(Table.of(columns, rows, cat.text("test.title", lang, edition=report.edition),
                                   [None if o.ok else "red" for o in report.outcomes], title_left=True)))
    for where, text in _mismatch_lines(report, lang):
        out.append(line((f"{where}: {text}" if where else text, "red")))
    out.append(line((_summary(report, lang), "bold")))
    header, rows = _coverage_rows(report, lang)
    columns = [Column(h, numeric=k >= 2, keep=k == 0, squeeze=k == 1) for k, h in enumerate(header)]
    out.append(rich_table(Table.of(columns, rows, _coverage_title(report, lang), title_left=True)))
    missed = report.coverage.unreached
    if missed and limit:
        out.append(line((cat.text("coverage.unreached", lang, count=str(len(missed))), "bold")))
        for t in missed[:limit]:
            out.append(line(f"  {t.span or t.path}: {target_text(t, lang)} ({_model(t.model, lang)})"))
        if len(missed) > limit:
            out.append(line(("  " + cat.text("coverage.more", lang, count=str(len(missed) - limit)), "dim")))
    return out


# ---- taqyeem verify --------------------------------------------------------------------------


def finding_text(f: Finding, lang: str = "en") -> str:
    """A finding (or note) in words."""
    cat = _cat()
    values: dict[str, str] = {}
    for k, v in f.values:
        if k == "direction":
            values[k] = cat.text(f"verify.better.{v}", lang)
        elif k == "highest" and isinstance(v, Decimal):
            values[k] = format_number(v)
        elif k in ("old", "new") and f.key == "verify.monotone.tier":
            values[k] = v if v is not None else cat.text("target.tier.none", lang)
        else:
            values[k] = _show(v, lang)
    if f.model is not None and "model" not in values:
        values["model"] = f.model
    return cat.text(f.key, lang, **values)


def _focus_text(f: Finding, lang: str) -> str | None:
    ce = f.counterexample
    if ce is None:
        return None
    cat = _cat()
    names = ce.focus or tuple(ce.evidence.get("inputs", {}))
    given = ce.evidence.get("inputs", {})
    parts = [f"{k} = {_show(given.get(k), lang)}" for k in names]
    text = f"{cat.text('verify.counterexample', lang)}: " + ", ".join(parts)
    if ce.other is not None and ce.other_is == "old":
        other = ce.other.get("inputs", {})
        changed = [k for k in names if other.get(k) != given.get(k)]
        if changed:
            edition = str(ce.other.get("edition", ""))
            text += "; " + cat.text("verify.counterexample.old", lang, edition=edition) + ": " + ", ".join(
                f"{k} = {_show(other.get(k), lang)}" for k in changed)
    if ce.assumed:
        text += "; " + cat.text("verify.counterexample.assumed", lang, inputs=", ".join(ce.assumed))
    return text


def _run_rows(report: VerifyReport, lang: str) -> tuple[list[str], list[list[str]]]:
    cat = _cat()
    header = [cat.text(k, lang) for k in ("verify.property", "verify.model", "verify.examples", "verify.result")]
    rows = []
    for r in report.runs:
        rows.append([
            cat.text(f"verify.property.{r.property}", lang),
            _model(r.model, lang),
            cat.text("verify.static", lang) if r.static else str(r.examples),
            cat.text("verify.holds", lang) if not r.findings else cat.text("verify.findings", lang,
                                                                          count=str(r.findings)),
        ])
    return header, rows


def _verify_head(report: VerifyReport, lang: str) -> tuple[str, str]:
    cat = _cat()
    title = (cat.text("verify.title", lang, edition=report.edition) if report.against is None else
             cat.text("verify.title", lang, edition=cat.text("verify.against", lang, edition=report.edition,
                                                             old=report.against)))
    repro = cat.text("verify.repro", lang, seed=str(report.seed), hypothesis=report.hypothesis,
                     examples=str(report.max_examples))
    return title, repro


def _verdict(report: VerifyReport, lang: str) -> str:
    cat = _cat()
    if report.ok:
        return cat.text("verify.ok", lang)
    return cat.text("verify.failed", lang, count=str(len(report.findings)))


def verify_data(report: VerifyReport, lang: str = "en") -> dict[str, Any]:
    """The report as JSON data, with every finding's and note's message in ``lang``."""
    data = report.to_dict()
    for f, fd in zip(report.findings, data["findings"], strict=True):
        fd["message"] = finding_text(f, lang)
    for f, fd in zip(report.notes, data["notes"], strict=True):
        fd["message"] = finding_text(f, lang)
    return data


def verify_markdown(report: VerifyReport, lang: str = "en") -> str:
    """The report as Markdown."""
    cat = _cat()
    title, repro = _verify_head(report, lang)
    out = [f"# {title}", "", f"- {repro}", f"- `{report.fingerprint}`", ""]
    header, rows = _run_rows(report, lang)
    out += [markdown_table(header, rows), ""]
    for f in report.findings:
        out.append(f"- `{f.where}`: {finding_text(f, lang)}")
        focus = _focus_text(f, lang)
        if focus:
            out.append(f"  - {focus}")
    if report.findings:
        out.append("")
    if report.notes:
        out += [f"## {cat.text('verify.notes', lang)}", ""]
        out += [f"- {_model(f.model, lang) + ': ' if f.model else ''}{finding_text(f, lang)}" for f in report.notes]
        out.append("")
    out += [f"**{_verdict(report, lang)}** — "
            + cat.text("verify.rerun", lang, seed=str(report.seed), hypothesis=report.hypothesis), ""]
    return "\n".join(out)


def verify_rich(report: VerifyReport, lang: str = "en") -> list[Any]:
    """The report for a terminal."""
    from .lines import line

    cat = _cat()
    title, repro = _verify_head(report, lang)
    out: list[Any] = [line((title, "bold")), line((repro, "dim"))]
    header, rows = _run_rows(report, lang)
    columns = [Column(h, numeric=k == 2, keep=k == 1, squeeze=k in (0, 3)) for k, h in enumerate(header)]
    out.append(rich_table(Table.of(columns, rows, None, ["red" if r.findings else None for r in report.runs])))
    for f in report.findings:
        out.append(line((f"{f.where}: {finding_text(f, lang)}", "red")))
        focus = _focus_text(f, lang)
        if focus:
            out.append(line(f"  {focus}"))
    if report.notes:
        out.append(line((cat.text("verify.notes", lang), "bold")))
        for f in report.notes:
            model = f"{_model(f.model, lang)}: " if f.model else ""
            out.append(line((f"  {model}{finding_text(f, lang)}", "dim")))
    out.append(line((_verdict(report, lang), "bold green" if report.ok else "bold red")))
    out.append(line((cat.text("verify.rerun", lang, seed=str(report.seed), hypothesis=report.hypothesis), "dim")))
    return out


def counterexample_files(report: VerifyReport) -> list[tuple[str, str]]:
    """Each finding's counter-example as evidence files (name, YAML text): the evidence,
    and the other side (improved, or as the older edition read it) — ready for
    ``taqyeem explain``."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
        text = canonical(value)
        return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)

    Dumper.add_representer(Decimal, decimal)
    out: list[tuple[str, str]] = []
    for k, f in enumerate(report.findings, 1):
        ce = f.counterexample
        if ce is None:
            continue
        ident = str(f.mapping().get("criterion") or f.mapping().get("input") or f.property)
        stem = f"{k:02d}-{f.property}-{f.model or 'all'}-{ident}"
        head = f"# {finding_text(f, 'en')}\n# guide: {f.where}; seed {report.seed}, hypothesis {report.hypothesis}\n"
        sides = [("", ce.evidence)] + ([(f"-{ce.other_is or 'other'}", ce.other)] if ce.other is not None else [])
        for suffix, evidence in sides:
            text = yaml.dump(dict(evidence), Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
            out.append((f"{stem}{suffix}.yaml", head + text))
    return out


# ---- the formatters of `taqyeem test` and `taqyeem verify` ---------------------------------------


@dataclass(frozen=True)
class Tested:
    """What ``taqyeem test`` shows: the guide and the report of its cases."""

    guide: Any
    report: CaseReport


@formatter("test", "table")
class TestTable(Formatter):
    """The cases, the mismatches, the coverage and what no case reaches; the caveat."""

    def render(self, subject: Tested, options: Options) -> list[Any]:
        from .lines import line

        parts = case_report_rich(subject.report, options.lang, limit=options.get("limit", 20),
                                 guides=(subject.guide,))
        note = caveat(options.lang, subject.guide)
        return parts + [line((note, "dim"))] if note else parts


@formatter("test", "json")
class TestJson(Formatter):
    """The report's data (each mismatch and unreached target in words), and the
    status of the guide's numbers."""

    data = True

    def render(self, subject: Tested, options: Options) -> str:
        data = case_report_data(subject.report, options.lang)
        return dumps({**data, "guide_status": subject.guide.provenance.status})


@formatter("test", "markdown")
class TestMarkdown(Formatter):
    """The report as Markdown (with the caveat of an illustrative guide)."""

    data = True

    def render(self, subject: Tested, options: Options) -> str:
        text = case_report_markdown(subject.report, options.lang, guides=(subject.guide,))
        return with_caveat(text, options.lang, subject.guide)


@dataclass(frozen=True)
class Verified:
    """What ``taqyeem verify`` shows: the guide (and the one it amends) and the report."""

    guide: Any
    report: VerifyReport
    against: Any = None


@formatter("verify", "table")
class VerifyTable(Formatter):
    """The properties, the findings with their counter-examples, the notes, the verdict;
    the caveat."""

    def render(self, subject: Verified, options: Options) -> list[Any]:
        from .lines import line

        parts = verify_rich(subject.report, options.lang)
        note = caveat(options.lang, subject.guide)
        return parts + [line((note, "dim"))] if note else parts


@formatter("verify", "json")
class VerifyJson(Formatter):
    """The report's data (each finding in words), and the status of the guide's numbers."""

    data = True

    def render(self, subject: Verified, options: Options) -> str:
        data = verify_data(subject.report, options.lang)
        return dumps({**data, "guide_status": subject.guide.provenance.status})


@formatter("verify", "markdown")
class VerifyMarkdown(Formatter):
    """The report as Markdown (with the caveat of an illustrative guide)."""

    data = True

    def render(self, subject: Verified, options: Options) -> str:
        return with_caveat(verify_markdown(subject.report, options.lang), options.lang, subject.guide)
