"""The ``taqyeem`` command line: a rich front end that only formats what the core returns.

Exit codes: 0 success, 1 a finding (invalid guide or expression, failed replay),
2 bad usage. A user's mistake never ends in a Python traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from rich.console import Console

from . import __version__
from .errors import TaqyeemError, UsageError

__all__ = ["main"]

EXIT_OK, EXIT_FINDING, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse that raises instead of exiting, so usage errors get our formatting."""

    def error(self, message: str) -> None:  # type: ignore[override]
        raise UsageError(message, hint=f"run `{self.prog} --help` for usage")


def _console(stderr: bool = False) -> Console:
    return Console(stderr=stderr, highlight=False, soft_wrap=True)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        from .dsl.nodes import format_number

        return format_number(value)
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(data: Any) -> str:
    """JSON as every command prints it: sorted keys, decimals as strings, UTF-8 kept."""
    return json.dumps(data, default=_json_default, ensure_ascii=False, indent=2, sort_keys=True)


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
    from .dsl.nodes import format_number

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
        _console().print(
            dumps({"value": value, "type": dsl.feel_type_name(value), "static_type": str(static)}),
            markup=False,
        )
    else:
        out = _console()
        out.print(f"{_show_value(value)}", markup=False)
        out.print(f"[dim]{dsl.feel_type_name(value)} (static type {static})[/dim]")
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
        _console().print(dumps(data), markup=False)
        return EXIT_FINDING if errors else EXIT_OK
    out = _console()
    err = _console(stderr=True)
    for d in diagnostics:
        if d.severity == "warning" and args.quiet:
            continue
        err.print(d.render(), markup=False)
        err.print()
    if guide is not None:
        models = ", ".join(f"{m.id} ({len(m.categories)} categories, {len(m.criteria())} criteria)" for m in guide.models)
        out.print(f"guide {guide.edition}: {models}", markup=False)
        out.print(f"fingerprint {guide.fingerprint}", markup=False)
        if guide.illustrative:
            out.print("[yellow]provenance: illustrative — the weights and thresholds are not the official ones[/yellow]")
    status = "[red]invalid[/red]" if errors else "[green]valid[/green]"
    out.print(f"{status}: {len(errors)} error(s), {len(warnings)} warning(s)")
    return EXIT_FINDING if errors else EXIT_OK


# ---- score ---------------------------------------------------------------------------------

_HEADERS = {
    "en": {"centre": "Centre", "name": "Name", "model": "Model", "total": "Total", "tier": "Tier",
           "basic": "Basic", "flags": "Flags", "none": "—", "title": "Taqyeem scores"},
    "ar": {"centre": "المركز", "name": "الاسم", "model": "النموذج", "total": "المجموع", "tier": "الفئة",
           "basic": "الأساسية", "flags": "المؤشرات", "none": "—", "title": "نتائج تقييم"},
}


def _progress(total: int, description: str) -> Any:
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
        disable=not console.is_terminal or total < 2,
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
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|")

    lines = ["| " + " | ".join(esc(c) for c in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines) + "\n"


def _csv_table(header: list[str], rows: list[list[str]]) -> str:
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return buf.getvalue()


def _emit(args: argparse.Namespace, text: str) -> None:
    if getattr(args, "output", None):
        from ._io import atomic_write

        atomic_write(args.output, text if text.endswith("\n") else text + "\n")
    else:
        _console().print(text, markup=False, end="" if text.endswith("\n") else "\n")


def cmd_score(args: argparse.Namespace) -> int:
    from .guide import load_evidences

    guide = _load_guide_arg(args.guide)
    evidences = load_evidences(args.evidence, guide)
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
        table = Table(title=f"{_HEADERS[lang]['title']} — {guide.edition}", show_lines=False)
        for k, col in enumerate(header):
            table.add_column(col, justify="right" if k in (3, 5) else "left", no_wrap=k in (0, 3))
        for row in rows:
            table.add_row(*row)
        out = _console()
        out.print(table)
        if guide.illustrative:
            out.print("[dim]illustrative guide: weights and thresholds are not the official ones[/dim]")
    err = _console(stderr=True)
    for f in failures:
        err.print(f.render(), markup=False)
        err.print()
    if failures:
        err.print(f"{len(failures)} centre(s) could not be scored", markup=False)
        return EXIT_FINDING
    return EXIT_OK


# ---- explain --------------------------------------------------------------------------------


def cmd_explain(args: argparse.Namespace) -> int:
    from rich.tree import Tree

    from .engine import score
    from .engine.explain import explain_tree
    from .guide import load_evidences

    guide = _load_guide_arg(args.guide)
    evidences = load_evidences(args.evidence, guide)
    out = _console()
    for k, ev in enumerate(evidences):
        result = score(guide, ev, trace=True)
        if args.format == "json":
            out.print(dumps(result.to_dict()), markup=False)
            continue
        if args.format == "text" or not out.is_terminal:
            # Piped output gets the plain tree: rich would crop long lines.
            out.print(result.explain(args.lang), markup=False)
            continue
        root = explain_tree(result, args.lang)

        def grow(node: Any, line: Any) -> None:
            from rich.text import Text as RichText

            for child in line.children:
                grow(node.add(RichText(child.text, style=child.style)), child)

        from rich.text import Text as RichText

        tree = Tree(RichText(root.text, style=root.style))
        grow(tree, root)
        out.print(tree)
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
    _emit(args, dumps(evidence_schema(guide, args.model)))
    return EXIT_OK


# ---- the parser -----------------------------------------------------------------------

COMMANDS: dict[str, Callable[[argparse.Namespace], int]] = {
    "check": cmd_check,
    "score": cmd_score,
    "explain": cmd_explain,
    "schema": cmd_schema,
    "eval": cmd_eval,
}


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

    p = sub.add_parser(
        "check",
        help="check a guide: schema, names, types, decision tables, weights, tiers",
        description="Load a guide and report every error and warning with file:line:col.",
        epilog="example: taqyeem check 2024; taqyeem check path/to/guide.yaml --format json",
    )
    p.add_argument("guide", metavar="GUIDE", help="an edition (2019, 2023, 2024) or a guide file")
    p.add_argument("--format", choices=("table", "json"), default="table")
    p.add_argument("-q", "--quiet", action="store_true", help="do not show warnings")

    p = sub.add_parser(
        "score",
        help="score centres from their evidence files",
        description="Score every centre in the evidence files, folders and CSVs given.",
        epilog="example: taqyeem score 2024 criteria/2024/examples --format markdown",
    )
    p.add_argument("guide", metavar="GUIDE", help="an edition (2019, 2023, 2024) or a guide file")
    p.add_argument("evidence", metavar="EVIDENCE", nargs="+", help="evidence files (.yaml, .json, .csv) or folders")
    p.add_argument("--format", choices=("table", "json", "csv", "markdown"), default="table")
    p.add_argument("-o", "--output", metavar="FILE", help="write to FILE (atomically) instead of the terminal")
    p.add_argument("--no-trace", action="store_true", help="leave effective weights and contributions out")
    lang(p)

    p = sub.add_parser(
        "explain",
        help="show how every number of a centre's score arose",
        description="Score centres and print, as a tree, the inputs read, the band row matched, "
        "the points, weights and contributions behind every number.",
        epilog="example: taqyeem explain 2024 criteria/2024/examples/c01-isa-town.yaml --lang ar",
    )
    p.add_argument("guide", metavar="GUIDE")
    p.add_argument("evidence", metavar="EVIDENCE", nargs="+")
    p.add_argument("--format", choices=("tree", "text", "json"), default="tree")
    lang(p)

    p = sub.add_parser(
        "schema",
        help="print the JSON Schema of guide files or of a guide's evidence files",
        description="Print a JSON Schema (draft-07) for editors and other systems.",
        epilog="example: taqyeem schema guide; taqyeem schema evidence 2024 --model remote",
    )
    p.add_argument("kind", choices=("guide", "evidence"))
    p.add_argument("guide", metavar="GUIDE", nargs="?", help="the guide (for `evidence`)")
    p.add_argument("--model", help="only this model's evidence")
    p.add_argument("-o", "--output", metavar="FILE")

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


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
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
        return COMMANDS[args.command](args)
    except UsageError as exc:
        err.print(exc.render(), markup=False)
        return EXIT_USAGE
    except TaqyeemError as exc:
        err.print(exc.render(limit=20), markup=False)
        return EXIT_FINDING
    except KeyboardInterrupt:
        err.print("interrupted", markup=False)
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. piped into head
        sys.stderr.close()
        return EXIT_OK
