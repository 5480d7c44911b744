"""The ``taqyeem`` command line: a rich front end that only formats what the core returns.

Exit codes: 0 success, 1 a finding (invalid guide or expression, failed replay),
2 bad usage. A user's mistake never ends in a Python traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console

from ._version import __version__
from .errors import TaqyeemError, UsageError

__all__ = ["main"]

EXIT_OK, EXIT_FINDING, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors get our formatting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        hint = f"run `{self.prog} --help` for usage"
        if "expression" in message and "required" in message:
            hint = "an expression that starts with `-` goes after `--`: taqyeem eval --var x=3 -- '-x'"
        raise UsageError(message, hint=hint)


def _console(stderr: bool = False) -> Console:
    """A console for people: never reads text as emoji codes (``:100:``) or highlights it;
    user text reaches it only through :func:`_say` and :func:`_cell` (never as markup)."""
    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


Piece = str | tuple[str, str]


def _rich(*pieces: Piece) -> Any:
    """Rich text from pieces: a string is shown as it is, with its control characters
    made visible (:func:`~taqyeem_rules._text.visible_lines`); ``(text, style)`` is the
    program's own text in a style. Nothing is read as markup."""
    from rich.text import Text as RichText

    from ._text import visible_lines

    return RichText.assemble(*(
        (visible_lines(p), "") if isinstance(p, str) else (visible_lines(p[0]), p[1]) for p in pieces
    ))


def _say(console: Console, *pieces: Piece) -> None:
    """One line (or block) of text for people, on ``console``."""
    console.print(_rich(*pieces))


def _cell(text: str, style: str = "") -> Any:
    """A table cell (or title) for people: one value on one line, shown as it is."""
    from rich.text import Text as RichText

    from ._text import visible

    return RichText(visible(text), style=style)


def _write_data(text: str) -> None:
    """Data (JSON, CSV, Markdown, YAML) on standard output: the same bytes as ``-o``
    writes, never through the terminal library. (That standard output takes UTF-8 was
    checked before the command ran: see :func:`_check_stdout`.)"""
    from ._io import data_bytes

    payload = data_bytes(text if text.endswith("\n") else text + "\n")
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is None:  # pragma: no cover - a text-only stream (checked to be UTF-8)
        sys.stdout.write(payload.decode("utf-8"))
    else:
        buffer.write(payload)
        buffer.flush()


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        from .dsl.numbers import format_number

        return format_number(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(data: Any) -> str:
    """JSON as every command prints it: sorted keys, decimals as strings, UTF-8 kept."""
    return json.dumps(data, default=_json_default, ensure_ascii=False, indent=2, sort_keys=True)


def dumps_numbers(data: Any) -> str:
    """JSON with decimals written as JSON numbers, digit for digit (for JSON Schemas,
    whose `minimum` and `maximum` must be numbers)."""
    from .dsl.numbers import format_number

    marks: dict[str, str] = {}

    def mark(value: Any) -> Any:
        if isinstance(value, Decimal):
            key = f"\u0000dec{len(marks)}\u0000"
            marks[key] = format_number(value)
            return key
        if isinstance(value, dict):
            return {k: mark(v) for k, v in value.items()}
        if isinstance(value, list):
            return [mark(v) for v in value]
        return value

    text = json.dumps(mark(data), ensure_ascii=False, indent=2, sort_keys=True)
    for key, digits in marks.items():
        text = text.replace(json.dumps(key), digits)
    return text


# ---- eval --------------------------------------------------------------------------


def _parse_var(text: str) -> tuple[str, Any]:
    from . import dsl

    name, sep, value = text.partition("=")
    name = name.strip()
    if not sep or not name.isidentifier():
        raise UsageError(
            f"--var {text!r}: expected NAME=VALUE",
            hint="for example --var waiting_minutes=12 --var items='[1, 2]'",
        )
    try:
        return name, dsl.evaluate(value)
    except TaqyeemError as exc:
        raise UsageError(
            f"--var {name}: the value {value!r} is not a FEEL literal ({exc.message})",
            hint='write a number, "a string" in double quotes, true, false, null or a list like [1, 2]',
        ) from None


def _show_value(value: Any) -> str:
    from .dsl.numbers import format_number

    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format_number(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_show_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k}: {_show_value(v)}" for k, v in value.items()) + "}"
    return str(value)


def cmd_eval(args: argparse.Namespace) -> int:
    from . import dsl

    variables = dict(_parse_var(v) for v in args.var or [])
    types = {}
    for t in args.type or []:
        name, sep, written = t.partition("=")
        if not sep:
            raise UsageError(f"--type {t!r}: expected NAME=TYPE", hint="for example --type x='number?'")
        types[name.strip()] = written.strip()
    value = dsl.evaluate(args.expression, variables, types=types or None)
    declared = {k: dsl.type_of_value(v) for k, v in variables.items()}
    declared.update({k: dsl.parse_type(v) for k, v in types.items()})
    static = dsl.check(args.expression, declared)
    if args.format == "json":
        _write_data(dumps({"value": value, "type": dsl.feel_type_name(value), "static_type": str(static)}))
    else:
        out = _console()
        _say(out, _show_value(value))
        _say(out, (f"{dsl.feel_type_name(value)} (static type {static})", "dim"))
    return EXIT_OK


# ---- check --------------------------------------------------------------------------------


def _load_guide_arg(spec: str, *, check: bool = True) -> Any:
    from .guide import load_guide

    return load_guide(spec, check=check)


def cmd_check(args: argparse.Namespace) -> int:
    from .errors import GuideError
    from .guide import load_guide

    try:
        guide = load_guide(args.guide, check=False)
    except GuideError as exc:
        return _print_findings(args, args.guide, exc.diagnostics, None)
    report = guide.check()
    return _print_findings(args, args.guide, report.diagnostics, guide)


def _print_findings(args: argparse.Namespace, name: str, diagnostics: Sequence[Any], guide: Any) -> int:
    errors = [d for d in diagnostics if d.severity == "error"]
    warnings = [d for d in diagnostics if d.severity == "warning"]
    if args.format == "json":
        data: dict[str, Any] = {
            "guide": name,
            "ok": not errors,
            "errors": len(errors),
            "warnings": len(warnings),
            "diagnostics": [d.to_dict() for d in diagnostics],
        }
        if guide is not None:
            data["edition"] = guide.edition
            data["fingerprint"] = guide.fingerprint
            data["models"] = {m.id: len(m.criteria()) for m in guide.models}
        _write_data(dumps(data))
        return EXIT_FINDING if errors else EXIT_OK
    out = _console()
    err = _console(stderr=True)
    for d in diagnostics:
        if d.severity == "warning" and args.quiet:
            continue
        _say(err, d.render())
        err.print()
    if guide is not None:
        models = ", ".join(f"{m.id} ({len(m.categories)} categories, {len(m.criteria())} criteria)" for m in guide.models)
        _say(out, f"guide {guide.edition}: {models}")
        _say(out, f"fingerprint {guide.fingerprint}")
        if guide.illustrative:
            _say(out, ("provenance: illustrative — the weights and thresholds are not the official ones", "yellow"))
    status = ("invalid", "red") if errors else ("valid", "green")
    _say(out, status, f": {len(errors)} error(s), {len(warnings)} warning(s)")
    return EXIT_FINDING if errors else EXIT_OK


# ---- score ---------------------------------------------------------------------------------

_HEADERS = {
    "en": {"centre": "Centre", "name": "Name", "model": "Model", "total": "Total", "tier": "Tier",
           "basic": "Basic", "flags": "Flags", "none": "—", "title": "Taqyeem scores"},
    "ar": {"centre": "المركز", "name": "الاسم", "model": "النموذج", "total": "المجموع", "tier": "الفئة",
           "basic": "الأساسية", "flags": "المؤشرات", "none": "—", "title": "نتائج تقييم"},
}


def _progress(total: int | None, description: str = "") -> Any:
    """A transient progress bar on stderr, shown only on a terminal and for real work
    (``total`` None: not known yet, set later)."""
    from rich.progress import (
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeRemainingColumn,
    )

    console = _console(stderr=True)
    return Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal or (total is not None and total < 2),
    )


def _score_all(guide: Any, evidences: list[Any], *, trace: bool, other_edition: bool = False) -> tuple[list[Any], list[Any]]:
    from .engine import score

    results, failures = [], []
    with _progress(len(evidences), "scoring") as progress:
        task = progress.add_task("scoring", total=len(evidences))
        for ev in evidences:
            try:
                results.append(score(guide, ev, trace=trace, other_edition=other_edition))
            except TaqyeemError as exc:
                failures.append(exc)
            progress.advance(task)
    return results, failures


def _tier_label(result: Any, lang: str) -> str:
    tier = result.tier
    return tier.label.get(lang) if tier is not None else _HEADERS[lang]["none"]


def _summary_rows(results: list[Any], lang: str) -> tuple[list[str], list[list[str]]]:
    from .engine.result import report_text

    h = _HEADERS[lang]
    header = [h["centre"], h["name"], h["model"], h["total"], h["tier"], h["basic"], h["flags"]]
    rows = []
    for r in results:
        flags = ", ".join(k for k, v in r.flags.items() if v) or h["none"]
        rows.append([
            r.centre_id, r.evidence.name(lang), r.model, report_text(r.total) or "",
            _tier_label(r, lang), report_text(r.basic_attainment) or h["none"], flags,
        ])
    return header, rows


def _markdown_table(header: list[str], rows: list[list[str]]) -> str:
    from ._text import markdown_cell

    lines = ["| " + " | ".join(markdown_cell(c) for c in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(markdown_cell(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _csv_table(header: list[str], rows: list[list[str]]) -> str:
    from ._text import csv_text

    return csv_text([header, *rows])


def _emit(args: argparse.Namespace, text: str) -> None:
    """Data to ``-o FILE`` (atomically) or to standard output: the same bytes either way."""
    if getattr(args, "output", None) not in (None, "-"):  # `-o -`: the terminal, as usual
        from ._io import atomic_write

        atomic_write(args.output, text if text.endswith("\n") else text + "\n")
    else:
        _write_data(text)


def _warn_unread(guide: Any, evidences: list[Any]) -> None:
    """Warn (on stderr) about inputs given that the guide declares but no criterion reads."""
    from .guide.evidence import unread_given

    err = _console(stderr=True)
    for ev in evidences:
        for d in unread_given(ev, guide):
            err.print(d.render(), markup=False)
            err.print()


def cmd_score(args: argparse.Namespace) -> int:
    from .guide import load_evidences

    guide = _load_guide_arg(args.guide)
    evidences = load_evidences(args.evidence, guide)
    _warn_unread(guide, evidences)
    results, failures = _score_all(guide, evidences, trace=not args.no_trace)
    lang = args.lang
    if args.format == "json":
        _emit(args, dumps([r.to_dict() for r in results]))
    elif args.format in ("csv", "markdown"):
        header, rows = _summary_rows(results, lang)
        if args.format == "csv":
            header = ["centre_id", "centre_name", "model", "total", "tier", "basic_attainment", "flags"]
            rows = [[*row[:4], r.tier_id or "", *row[5:]] for row, r in zip(rows, results, strict=True)]
            _emit(args, _csv_table(header, rows))
        else:
            _emit(args, _markdown_table(header, rows))
    else:
        from rich.table import Table

        header, rows = _summary_rows(results, lang)
        table = Table(title=_cell(f"{_HEADERS[lang]['title']} — {guide.edition}"), show_lines=False)
        for k, col in enumerate(header):
            table.add_column(_cell(col), justify="right" if k in (3, 5) else "left", no_wrap=k in (0, 3))
        for row in rows:
            table.add_row(*(_cell(c) for c in row))
        out = _console()
        out.print(table)
        if guide.illustrative:
            _say(out, ("illustrative guide: weights and thresholds are not the official ones", "dim"))
    err = _console(stderr=True)
    for f in failures:
        _say(err, f.render())
        err.print()
    if failures:
        _say(err, f"{len(failures)} centre(s) could not be scored")
        return EXIT_FINDING
    return EXIT_OK


# ---- explain --------------------------------------------------------------------------------


def _rich_tree(root: Any) -> Any:
    """An explanation's lines (engine.explain) as a rich Tree."""
    from rich.tree import Tree

    tree = Tree(_cell(root.text, root.style))
    stack = [(tree, root)]
    while stack:
        node, line = stack.pop()
        for child in line.children:
            stack.append((node.add(_cell(child.text, child.style)), child))
    return tree


def cmd_explain(args: argparse.Namespace) -> int:
    from .engine import score
    from .engine.explain import explain_tree
    from .guide import load_evidences
    from .present.explain import explain_lines, explain_text

    guide = _load_guide_arg(args.guide)
    evidences = load_evidences(args.evidence, guide)
    _warn_unread(guide, evidences)
    from ._text import visible

    out = _console()
    for k, ev in enumerate(evidences):
        result = score(guide, ev, trace=True)
        if args.format == "json":
            _write_data(dumps(result.to_dict()))
            continue
        if args.format == "text" or not out.is_terminal:
            # Piped output gets the plain tree: rich would crop long lines. Each line's
            # text is shown as it is, control characters made visible.
            text = explain_text(explain_tree(result), args.lang, exact=args.exact, escape=visible)
            sys.stdout.write(text + "\n")
            continue
        out.print(_rich_tree(explain_lines(explain_tree(result), args.lang, exact=args.exact)))
        if k + 1 < len(evidences):
            out.print()
    return EXIT_OK


# ---- schema ---------------------------------------------------------------------------------


def cmd_schema(args: argparse.Namespace) -> int:
    if args.kind == "guide":
        from .guide import guide_schema

        _emit(args, json.dumps(guide_schema(), indent=2, ensure_ascii=False))
        return EXIT_OK
    if not args.guide:
        raise UsageError("`taqyeem schema evidence` needs a GUIDE", hint="e.g. taqyeem schema evidence 2024")
    from .guide import evidence_schema

    guide = _load_guide_arg(args.guide)
    if args.model and guide.model(args.model) is None:
        raise UsageError(f"guide {guide.edition} has no model {args.model!r}",
                         hint="models: " + ", ".join(m.id for m in guide.models))
    _emit(args, dumps_numbers(evidence_schema(guide, args.model)))
    return EXIT_OK


# ---- examples ------------------------------------------------------------------------


def cmd_examples(args: argparse.Namespace) -> int:
    """The folder of an edition's bundled example evidence (inside the installed package),
    or a copy of it in DIR; the path is printed alone, for `$(taqyeem examples 2024)`."""
    from pathlib import Path

    from .errors import GuideError
    from .guide.loader import bundled_examples

    try:
        folder = bundled_examples(args.edition)
    except GuideError as exc:
        raise UsageError(exc.message, hint=exc.hint) from None
    files = sorted(
        f for f in folder.iterdir() if f.is_file() and f.suffix.lower() in (".yaml", ".yml", ".json", ".csv")
    )
    out = _console()
    if args.copy is None:
        out.print(str(folder), markup=False)
        return EXIT_OK
    target = Path(args.copy)
    if target.exists() and not target.is_dir():
        raise UsageError(f"--copy {target}: this is a file, not a folder",
                         hint="give a folder to copy the examples into (it is created if need be)")
    there = [f.name for f in files if (target / f.name).exists()]
    if there:
        shown = ", ".join(there[:3]) + (f" and {len(there) - 3} more" if len(there) > 3 else "")
        raise UsageError(f"--copy {target}: {shown} already there; nothing was copied",
                         hint="copy into a new or empty folder, or remove those files first")
    from ._io import atomic_write

    try:
        target.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise TaqyeemError(f"--copy {target}: cannot create the folder: {exc.strerror or exc}",
                           code="io.folder", hint="choose a folder you can write in") from None
    for f in files:
        atomic_write(target / f.name, f.read_bytes())
    out.print(str(target), markup=False)
    return EXIT_OK


# ---- record and replay ---------------------------------------------------------------


def cmd_record(args: argparse.Namespace) -> int:
    from .engine import record_cycle
    from .guide import load_evidences

    guide = _load_guide_arg(args.guide)
    evidences = load_evidences(args.evidence, guide)
    _warn_unread(guide, evidences)
    with _progress(len(evidences), "recording") as progress:
        task = progress.add_task("recording", total=len(evidences))
        rec = record_cycle(
            guide,
            evidences,
            cycle=args.cycle,
            path=args.output,
            progress=lambda done, total: progress.update(task, completed=done),
        )
    if args.format == "json":
        _write_data(dumps(rec.to_dict()))
        return EXIT_OK
    models = ", ".join(
        f"{m.id} {n}" for m in guide.models if (n := sum(1 for e in evidences if e.model == m.id))
    )
    out = _console()
    _say(out, f"recorded cycle {rec.cycle!r}: {rec.count} centre(s) ({models}) scored with guide "
         f"{rec.edition} ({rec.guide_fingerprint[:12]}…)")
    _say(out, f"wrote {rec.path} ({rec.size:,} bytes)")
    _say(out, f"fingerprint {rec.fingerprint}")
    _say(out, ("publish the fingerprint: `taqyeem replay RECORD --fingerprint …` checks it", "dim"))
    return EXIT_OK


def _replay_progress() -> tuple[Any, Callable[[int, int], None]]:
    bar = _progress(None)
    task = bar.add_task("replaying", total=None)
    return bar, lambda done, total: bar.update(task, completed=done, total=total)


def cmd_replay(args: argparse.Namespace) -> int:
    from .engine import replay

    if args.limit < 0:
        raise UsageError("--limit must be 0 or more", hint="e.g. --limit 50")
    bar, advance = _replay_progress()
    with bar:
        report = replay(args.record, expected_fingerprint=args.fingerprint, progress=advance)
    if args.format == "json":
        _write_data(dumps(report.to_dict()))
        return EXIT_OK if report.ok else EXIT_FINDING
    _print_replay(report, args.limit)
    return EXIT_OK if report.ok else EXIT_FINDING


def _replay_value(value: Any) -> str:
    from .engine.record_report import show_value

    return show_value(value)


def _difference_text(d: Any) -> str:
    if d.note:
        return d.note
    text = f"{d.path}: {_replay_value(d.recorded)} → {_replay_value(d.replayed)}"
    if d.inputs:
        text += " (reads " + ", ".join(f"{k} = {_replay_value(v)}" for k, v in d.inputs.items()) + ")"
    return text


def _print_replay(report: Any, limit: int) -> None:
    from rich.table import Table

    out = _console()
    _say(out, (f"replay of {report.source}", "bold"))
    engine = report.engine
    plugins = ", ".join(f"{p['name']}() {p['plugin']} {p['version']}" for p in report.plugins) or "none"
    for label, value in (
        ("cycle", report.cycle),
        ("format", report.format),
        ("guide", f"{report.edition or '?'}  {report.guide_fingerprint}  (rebuilt from the record)"),
        ("recorded by", f"{engine['name']} {engine['version']}; replayed with taqyeem_rules {report.engine_version}"),
        ("plugins", plugins),
        ("centres", f"{report.count:,}"),
        ("fingerprint", report.fingerprint),
    ):
        _say(out, f"  {label:<12} {value}")
    out.print()
    _say(out, ("integrity", "bold"))
    if report.integrity:
        for f in report.integrity:
            _say(out, "  ", ("✗", "red"), f" {f.message}")
    else:
        n = len(report.centres)
        _say(out, "  ", ("✓", "green"), f" every fingerprint verifies: the guide, {n} evidence, {n} result(s) "
             "and the whole record")
    differing = [c for c in report.centres if not c.matches]
    if differing:
        out.print()
        table = Table(title="centres that differ", title_justify="left")
        for col in ("centre", "model", "recorded", "tier", "replayed", "tier ", "differences"):
            table.add_column(col, justify="right" if col in ("recorded", "replayed", "differences") else "left")
        for c in differing[:limit]:
            table.add_row(*(_cell(x) for x in (
                c.centre, c.model, c.total or "—", c.tier or "—", c.replayed_total or "—",
                c.replayed_tier or "—", str(c.differences) if not c.note else "not re-scored",
            )))
        out.print(table)
        if len(differing) > limit:
            _say(out, f"  … and {len(differing) - limit} more centre(s)")
    if report.differences:
        out.print()
        _say(out, ("differences", "bold"), " (recorded → replayed)")
        current = None
        for d in report.differences[:limit]:
            if (d.index, d.centre) != current:
                current = (d.index, d.centre)
                _say(out, f"  {d.centre} ({d.model})")
            _say(out, f"    {_difference_text(d)}")
        if report.difference_count > limit:
            _say(out, f"  … and {report.difference_count - limit:,} more difference(s)")
    out.print()
    if report.ok:
        _say(out, ("OK", "green"), f": {report.summary()}")
    else:
        _say(out, ("FAILED", "red"), f": {report.summary()}")


# ---- diff and impact ------------------------------------------------------------------


def cmd_diff(args: argparse.Namespace) -> int:
    from .engine.diff import diff_guides, diff_to_amendments
    from .guide.serialize import amendments_yaml

    old = _load_guide_arg(args.old)
    new = _load_guide_arg(args.new)
    diff = diff_guides(old, new)
    if args.format == "json":
        _emit(args, dumps(diff.to_dict()))
    elif args.format == "markdown":
        _emit(args, diff.to_markdown(args.lang))
    elif args.format == "amendments":
        _emit(args, amendments_yaml(diff_to_amendments(old, new)))
    else:
        from rich.table import Table

        out = _console()
        header = ("element", "id", "change", "old", "new") if args.lang == "en" else (
            "العنصر", "المعرّف", "التغيير", "قبل", "بعد")
        table = Table(title=_cell(f"{old.edition} → {new.edition}"), show_lines=False)
        for k, col in enumerate(header):
            table.add_column(col, overflow="fold", no_wrap=k == 1)
        for row in diff.rows(args.lang):
            table.add_row(*(_cell(cell) for cell in row))
        if diff:
            out.print(table)
        else:
            _say(out, f"no changes: {old.edition} and {new.edition} score alike")
        weights = diff.changed_weights()
        if weights:
            wt = Table(title="effective weights (share of the model total)" if args.lang == "en" else "الأوزان الفعلية")
            for col in ("model", "criterion", "old", "new", "Δ"):
                wt.add_column(col, justify="right" if col in ("old", "new", "Δ") else "left")
            for w in weights:
                wt.add_row(*(_cell(x) for x in (w.model, w.id, *w.text())))
            out.print(wt)
        counts = ", ".join(f"{k} {v}" for k, v in diff.counts().items() if v) or "none"
        _say(out, (f"{len(diff)} edit(s): {counts}", "dim"))
    return EXIT_OK


def _assumptions(args: argparse.Namespace) -> dict[str, Any]:
    """``--assume INPUT=VALUE`` options as data (each input once)."""
    from .engine.assume import parse_assumption

    out: dict[str, Any] = {}
    for text in args.assume or []:
        name, value = parse_assumption(text)
        if name in out:
            raise UsageError(f"--assume {name} is given twice", hint="give each input one value")
        out[name] = value
    return out


def cmd_impact(args: argparse.Namespace) -> int:
    from .engine.impact import impact
    from .guide.evidence import load_evidences_either
    from .present.catalogue import catalogue
    from .present.impact_assumptions import assumption_rows, note_rows, summary_line

    assume = _assumptions(args)
    old = _load_guide_arg(args.old)
    new = _load_guide_arg(args.new)
    with _progress(None, "loading evidence") as progress:
        loading = progress.add_task("loading evidence", total=None)
        evidences = load_evidences_either(
            args.evidence, (old, new), progress=lambda done, total: progress.update(loading, completed=done, total=total))
        task = progress.add_task("scoring under both guides", total=len(evidences))
        result = impact(old, new, evidences, top=args.top, progress=lambda: progress.advance(task),
                        assume=assume, assume_missing=args.assume_missing)
    if args.format == "json":
        _emit(args, dumps(result.to_dict()))
    elif args.format == "csv":
        _emit(args, result.to_csv())
    elif args.format == "markdown":
        _emit(args, result.to_markdown(args.lang))
    else:
        from rich.table import Table

        from ._text import visible

        out = _console()
        for model in result.models():
            header, rows = result.transition_table(model)
            t = Table(title=_cell(f"tier transitions — {model} ({old.edition} → {new.edition})"))
            for k, col in enumerate(header):
                t.add_column(_cell(col), justify="right" if k else "left")
            for row in rows:
                t.add_row(*(_cell(c) for c in row))
            out.print(t)
        for (header, rows), title in ((assumption_rows(result, args.lang), "impact.assumptions"),
                                      (note_rows(result, args.lang), "impact.notes")):
            if rows:
                t = Table(title=catalogue().text(title, args.lang))
                for k, col in enumerate(header):
                    t.add_column(col, justify="right" if k == len(header) - 1 else "left", overflow="fold")
                for row in rows:
                    t.add_row(*(_cell(cell) for cell in row))
                out.print(t)
        header, rows = result.rows(args.lang)
        t = Table(title=summary_line(result, args.lang))
        last = len(header) - 1  # the criteria that moved the total most: one per line
        for k, col in enumerate(header):
            # Numbers stay whole; the criteria that moved the total get room to be read.
            t.add_column(col, justify="right" if k in (3, 4, 5) else "left", overflow="fold",
                         no_wrap=k in (3, 4, 5), min_width=12 if k == last else None)
        for row, c in zip(rows, result.centres, strict=True):
            cells = [_cell(x) for x in row[:last]]
            cells.append(_rich("\n".join(visible(m) for m in row[last].split(", "))))
            t.add_row(*cells, style="bold" if c.tier_changed else ("red" if not c.ok else None))
        out.print(t)
    if result.failures:
        _say(_console(stderr=True), f"{len(result.failures)} centre(s) could not be scored under both guides "
                                    "(listed as unscored; no summary counts them)")
        return EXIT_FINDING
    return EXIT_OK


# ---- margins and sensitivity -------------------------------------------------------


def _print_rows(title: str, header: list[str], rows: list[list[str]], numeric: set[int], lines: list[str]) -> None:
    """A people's table of the rows (user text never read as markup), and lines under it."""
    from rich.table import Table

    out = _console()
    t = Table(title=_cell(title))
    for k, col in enumerate(header):
        t.add_column(_cell(col), justify="right" if k in numeric else "left", overflow="fold")
    for row in rows:
        t.add_row(*(_cell(cell) for cell in row))
    out.print(t)
    for line in lines:
        out.print(_cell(line, "dim"))


def cmd_margins(args: argparse.Namespace) -> int:
    from .engine.margins import margins
    from .guide import load_evidences
    from .present import margins as fmt

    guide = _load_guide_arg(args.guide)
    evidences = load_evidences(args.evidence, guide)
    with _progress(len(evidences), "margins") as progress:
        task = progress.add_task("margins", total=len(evidences))
        result = margins(guide, evidences, progress=lambda: progress.advance(task))
    if args.format == "json":
        _emit(args, dumps(result.to_dict()))
    elif args.format == "csv":
        _emit(args, fmt.margins_csv(result))
    elif args.format == "markdown":
        _emit(args, fmt.margins_markdown(result, args.lang))
    else:
        header, rows = fmt.margins_rows(result, args.lang)
        _print_rows(f"{fmt._t('margins.title', args.lang)} — {guide.edition}", header, rows, {3, 6, 9},
                    fmt.notes(result, args.lang))
    return EXIT_FINDING if result.failures else EXIT_OK


def _whole(text: str) -> int:
    """A whole number (an argparse type; the range is checked by the analysis)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a whole number, not {text!r}") from None


def cmd_sensitivity(args: argparse.Namespace) -> int:
    from .engine.sensitivity import check_bounds, sensitivity
    from .guide import load_evidences
    from .present import sensitivity as fmt

    check_bounds(args.weights, args.thresholds, args.samples, args.seed)  # bad usage before any work
    guide = _load_guide_arg(args.guide)
    evidences = load_evidences(args.evidence, guide)
    with _progress(len(evidences), "sensitivity") as progress:
        task = progress.add_task("sensitivity", total=len(evidences))
        result = sensitivity(guide, evidences, weights=args.weights, thresholds=args.thresholds,
                             samples=args.samples, seed=args.seed, method=args.method,
                             progress=lambda: progress.advance(task))
    if args.format == "json":
        _emit(args, dumps(result.to_dict()))
    elif args.format == "csv":
        _emit(args, fmt.sensitivity_csv(result))
    elif args.format == "markdown":
        _emit(args, fmt.sensitivity_markdown(result, args.lang))
    else:
        header, rows = fmt.sensitivity_rows(result, args.lang)
        lines = fmt.header_lines(result, args.lang)
        _print_rows(f"{fmt._t('sens.title', args.lang)} — {guide.edition}", header, rows, {3, 5, 7}, [])
        header, rows = fmt.summary_rows(result, args.lang)
        _print_rows(fmt._t("sens.expected", args.lang), header, rows, {2}, lines)
    return EXIT_FINDING if result.failures else EXIT_OK


# ---- the parser -----------------------------------------------------------------------

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": cmd_check,
    "score": cmd_score,
    "explain": cmd_explain,
    "schema": cmd_schema,
    "record": cmd_record,
    "replay": cmd_replay,
    "diff": cmd_diff,
    "impact": cmd_impact,
    "margins": cmd_margins,
    "sensitivity": cmd_sensitivity,
    "eval": cmd_eval,
    "examples": cmd_examples,
}


def _count(text: str) -> int:
    """A whole number, 0 or more (an argparse type)."""
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        raise argparse.ArgumentTypeError(f"expected a whole number, 0 or more, not {text!r}")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="taqyeem",
        description=(
            "Score Bahrain government service centres against the Taqyeem evaluation "
            "guides: deterministic, explainable, replayable."
        ),
        epilog="GUIDE is an edition (2019, 2023, 2024) or a path to a guide YAML file.",
    )
    parser.add_argument("--version", action="version", version=f"taqyeem_rules {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    def lang(p: argparse.ArgumentParser) -> None:
        p.add_argument("--lang", choices=("en", "ar"), default="en", help="language of labels (default en)")

    def guide(p: argparse.ArgumentParser) -> None:
        p.add_argument("guide", metavar="GUIDE", help="an edition (2019, 2023, 2024) or a guide file")

    def evidence(p: argparse.ArgumentParser) -> None:
        p.add_argument("evidence", metavar="EVIDENCE", nargs="+", help="evidence files (.yaml, .json, .csv) or folders")

    p = sub.add_parser(
        "check",
        help="check a guide: schema, names, types, decision tables, weights, tiers",
        description="Load a guide and report every error and warning with file:line:col.",
        epilog="example: taqyeem check 2024; taqyeem check path/to/guide.yaml --format json",
    )
    guide(p)
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-q", "--quiet", action="store_true", help="do not show warnings")

    p = sub.add_parser(
        "score",
        help="score centres from their evidence files",
        description="Score every centre in the evidence files, folders and CSVs given.",
        epilog='example: taqyeem score 2024 "$(taqyeem examples 2024)" --format markdown',
    )
    guide(p)
    evidence(p)
    p.add_argument("--format", choices=("table", "json", "csv", "markdown"), default="table")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of the terminal")
    p.add_argument("--no-trace", action="store_true", help="leave effective weights and contributions out")
    lang(p)

    p = sub.add_parser(
        "explain",
        help="show how every number of a centre's score arose",
        description="Score centres and print, as a tree, the inputs read, the band row matched, "
        "the points, weights and contributions behind every number.",
        epilog='example: taqyeem explain 2024 "$(taqyeem examples 2024)/c01-centre-a.yaml" --lang ar',
    )
    guide(p)
    evidence(p)
    p.add_argument("--format", choices=("tree", "text", "json"), default="tree")
    p.add_argument("--exact", action="store_true",
                   help="show every digit of every number (default: the guide's report precision)")
    lang(p)

    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of guide files or of a guide's evidence files",
        description="Print a JSON Schema (draft-07) for editors and other systems.",
        epilog="example: taqyeem schema guide; taqyeem schema evidence 2024 --model remote",
    )
    p.add_argument("kind", choices=("guide", "evidence"), help="the schema of guide files, or of evidence files for GUIDE")
    p.add_argument("guide", metavar="GUIDE", nargs="?", help="the guide (for `evidence`)")
    p.add_argument("--model", help="only this model's evidence")
    p.add_argument("-o", "--output", metavar="FILE")

    p = sub.add_parser(
        "record",
        help="score a cycle's centres and write its self-contained, fingerprinted record",
        description="Score every centre and write one JSON record holding the guide, every "
        "centre's evidence and result, the engine and plugin versions and their fingerprints. "
        "The same inputs give a byte-identical record on any machine.",
        epilog='example: taqyeem record 2024 "$(taqyeem examples 2024)" --cycle "Taqyeem 5" -o cycle.json',
    )
    guide(p)
    evidence(p)
    p.add_argument("--cycle", required=True, help='the cycle\'s name, e.g. "Taqyeem 5"')
    p.add_argument("-o", "--output", metavar="FILE", required=True, help="the record to write (atomically)")
    p.add_argument("--format", choices=("table", "json"), default="table", help="how to print the summary")

    p = sub.add_parser(
        "replay",
        help="verify a cycle record and re-score every centre in it",
        description="Check every fingerprint in a cycle record, re-score every centre with the guide "
        "the record holds (not the current files) and compare every number. Exit 0 when everything "
        "matches, 1 when anything differs or the record was altered.",
        epilog="example: taqyeem replay cycle.json --fingerprint 757fa2c2…",
    )
    p.add_argument("record", metavar="RECORD", help="a record written by `taqyeem record`")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("--fingerprint", metavar="SHA256", help="the record fingerprint published when the cycle closed")
    p.add_argument("--limit", type=_count, default=50, help="differences to show in the table (default 50)")

    p = sub.add_parser(
        "diff",
        help="what changed between two editions of the guide, keyed by ids",
        description="Compare two guides element by element (inputs, categories, criteria, tiers, "
        "flags, numbers, points, labels): added, removed, moved, reweighted, changed (expressions "
        "compared as trees) and relabelled, with every criterion's effective weight before and after.",
        epilog="example: taqyeem diff 2023 2024 --format markdown -o changes.md; "
        "--format amendments prints the amendments that turn OLD into NEW",
    )
    p.add_argument("old", metavar="OLD", help="the earlier guide (an edition or a file)")
    p.add_argument("new", metavar="NEW", help="the later guide (an edition or a file)")
    p.add_argument("--format", choices=("table", "markdown", "json", "amendments"), default="table")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of the terminal")
    lang(p)

    p = sub.add_parser(
        "impact",
        help="score the same centres under two guides and show who changes tier",
        description="Score every centre under OLD and NEW (evidence of either edition; inputs a guide "
        "does not read are left out for it) and report old and new total and tier, the change, the "
        "criteria that moved each total most, and the tier transitions. Centres whose tier changes "
        "come first.",
        epilog='example: taqyeem impact 2023 2024 "$(taqyeem examples 2023)" --assume-missing not_applicable; '
        "every assumption used is printed in the report",
    )
    p.add_argument("old", metavar="OLD", help="the earlier guide (an edition or a file)")
    p.add_argument("new", metavar="NEW", help="the later guide (an edition or a file)")
    evidence(p)
    p.add_argument("--format", choices=("table", "json", "csv", "markdown"), default="table")
    p.add_argument("--top", type=_count, default=3, help="criteria to name per centre (default 3)")
    p.add_argument("--assume", action="append", metavar="INPUT=VALUE",
                   help="read INPUT as VALUE where the evidence lacks it (the input's evidence form; a checklist "
                   "as its ticked items, e.g. digital_promotion=[staff_refer_to_eservices]); repeatable")
    p.add_argument("--assume-missing", choices=("not_applicable", "lowest"),
                   help="for inputs the evidence lacks that no --assume or past: covers: make the criteria "
                   "reading them not applicable, or give them the lowest points they can attain")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of the terminal")
    lang(p)

    p = sub.add_parser(
        "margins",
        help="how far each centre is from the next tier, and the fewest criteria to get there",
        description="For each centre: its tier, the next tier (or why it is unreachable), the exact points "
        "the total lacks against the rounded total the tiers read, the gates that bind, the fewest criteria "
        "to raise (each to the lowest value its kind can attain above today) to reach it, and how far the "
        "total can fall and keep the current tier. Criteria are treated as independent.",
        epilog='example: taqyeem margins 2023 "$(taqyeem examples 2023)" --format markdown',
    )
    guide(p)
    evidence(p)
    p.add_argument("--format", choices=("table", "json", "csv", "markdown"), default="table")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of the terminal")
    lang(p)

    p = sub.add_parser(
        "sensitivity",
        help="how stable each centre's tier is when category weights and tier cut-offs move",
        description="Perturb the category weights (each by up to ±P%, renormalised to 100) and the tier "
        "cut-offs (each by up to ±X points) — one set of perturbations per model, shared by every centre: a "
        "grid when small, seeded samples otherwise — and report, exactly, the share of perturbations that "
        "keep each centre's tier, the closest one that changes it, and the expected tier counts.",
        epilog='example: taqyeem sensitivity 2024 "$(taqyeem examples 2024)" --weights 10 --thresholds 1 '
        "--samples 10000 --seed 1",
    )
    guide(p)
    evidence(p)
    p.add_argument("--weights", default="10", metavar="P",
                   help="each category weight moves by up to ±P%% of itself (default 10; at most 90)")
    p.add_argument("--thresholds", default="1", metavar="X",
                   help="each tier cut-off moves by up to ±X points (default 1; at most 50)")
    p.add_argument("--samples", type=_whole, default=1000, metavar="N",
                   help="perturbations per model, at most (default 1000; from 1 to 1,000,000)")
    p.add_argument("--seed", type=_whole, default=0, metavar="S", help="seed of the samples (default 0)")
    p.add_argument("--method", choices=("auto", "grid", "sample"), default="auto",
                   help="a grid when 3^dimensions ≤ N (auto, the default), always a grid, or always samples")
    p.add_argument("--format", choices=("table", "json", "csv", "markdown"), default="table")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of the terminal")
    lang(p)

    p = sub.add_parser(
        "examples",
        help="print the folder of an edition's bundled example evidence (or copy it)",
        description="Print the path of the example centres' evidence bundled with an edition, "
        "so they can be scored from any install; with --copy DIR, copy them into DIR (created "
        "if need be; nothing is overwritten) and print DIR.",
        epilog='example: taqyeem score 2024 "$(taqyeem examples 2024)"; '
        "taqyeem examples 2024 --copy my-centres",
    )
    p.add_argument("edition", metavar="EDITION", help="a bundled edition (2019, 2023, 2024)")
    p.add_argument("--copy", metavar="DIR", help="copy the example files into DIR and print DIR")

    p = sub.add_parser(
        "eval",
        help="evaluate one expression of the scoring language",
        description="Evaluate an expression and print its value and type.",
        epilog='example: taqyeem eval "round_half_up(mean(w), 1)" --var w="[4, 7, 9]"',
    )
    p.add_argument("expression", help="a FEEL expression, e.g. \"x between 1 and 10\"")
    p.add_argument("--var", action="append", metavar="NAME=VALUE", help="a variable (FEEL literal); repeatable")
    p.add_argument("--type", action="append", metavar="NAME=TYPE", help="declare a variable's type, e.g. x='number?'")
    p.add_argument("--format", choices=("table", "json"), default="table")
    return parser


#: The formats that are data: written unchanged, in UTF-8, never through the terminal library.
DATA_FORMATS = frozenset({"json", "csv", "markdown", "amendments"})


def _writes_data(args: argparse.Namespace) -> str | None:
    """The data format this command writes to standard output, if it writes one there."""
    fmt = "json" if args.command == "schema" else getattr(args, "format", None)
    if fmt not in DATA_FORMATS:
        return None
    if args.command != "record" and getattr(args, "output", None) not in (None, "-"):
        return None  # written to the -o file
    return str(fmt)


def _check_stdout(args: argparse.Namespace) -> None:
    """Data formats are written in UTF-8, unchanged: when standard output takes another
    encoding, the command stops before anything is written (or computed)."""
    import codecs

    fmt = _writes_data(args)
    encoding = getattr(sys.stdout, "encoding", None)
    if fmt is None or not encoding:
        return
    try:
        name = codecs.lookup(encoding).name
    except LookupError:
        name = encoding
    if name == "utf-8":
        return
    has_output = hasattr(args, "output") and args.command != "record"  # (record's -o is the record)
    raise UsageError(
        f"standard output takes the encoding {encoding}, but {fmt} output is written in UTF-8, "
        "unchanged; nothing was written",
        code="usage.encoding",
        hint=("write it to a file with -o FILE, or " if has_output else "")
        + "set PYTHONIOENCODING=utf-8 (or PYTHONUTF8=1) so that standard output takes UTF-8",
    )


@contextlib.contextmanager
def _lenient_streams() -> Iterator[None]:
    """Text for people degrades instead of failing: a character the terminal's encoding
    cannot show is written as an escape (``\\u0628``). (Data never goes this way.)"""
    changed = []
    for stream in (sys.stdout, sys.stderr):
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            try:
                stream.reconfigure(errors="backslashreplace")
            except (ValueError, OSError):  # pragma: no cover - a closed or odd stream
                continue
            changed.append(stream)
    try:
        yield
    finally:
        for stream in changed:
            with contextlib.suppress(ValueError, OSError):
                stream.reconfigure(errors="strict")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    with _lenient_streams():
        return _main(argv)


def _main(argv: Sequence[str] | None) -> int:
    err = _console(stderr=True)
    try:
        parser = build_parser()
        try:
            args = parser.parse_args(argv)
        except SystemExit as exc:  # --help and --version
            return int(exc.code or 0)
        if not args.command:
            parser.print_help()
            return EXIT_USAGE
        if args.command != "record" and getattr(args, "format", None) == "table" and getattr(args, "output", None):
            raise UsageError(
                "the table is for the terminal: -o needs another --format",
                hint=f"add --format json or markdown (taqyeem {args.command} --help lists them)",
            )
        _check_stdout(args)
        return COMMANDS[args.command](args)
    except UsageError as exc:
        _say(err, exc.render())
        return EXIT_USAGE
    except TaqyeemError as exc:
        _say(err, exc.render(limit=20))
        return EXIT_FINDING
    except KeyboardInterrupt:
        _say(err, "interrupted")
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        sys.stderr.close()
        return EXIT_OK
