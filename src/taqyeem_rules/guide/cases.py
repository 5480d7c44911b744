"""Test cases of a guide: one centre's evidence and the outcome the guide must give it.

A guide folder may hold a ``tests/`` folder of case files (YAML or JSON, one case each),
read by ``taqyeem test``::

    # tests/c01-centre-a.yaml
    name: "Example Centre A: a clear Gold"
    evidence: ../examples/c01-centre-a.yaml      # or the evidence itself, inline
    expect:
      total: 92.52                               # as reported; or {value: 92.5, tolerance: 0.1}
      tier: gold                                 # null: no tier
      basic_attainment: 94.65
      flags: {improvement_plan: false}
      categories: {access: 97.5}
      criteria:
        access_location_info: 4                  # points
        access_parking: {points: 4, status: scored}
        access_opening_hours: {points: 4, row: 5}

The shape is checked by the shipped JSON Schema (``case.schema.json``,
``taqyeem schema case``); every id is checked against the model of the case's evidence
(an unknown criterion, tier, category or flag is an error at its line, with the nearest
id). What a case does not state is not checked.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterable, Mapping
from decimal import Decimal
from importlib import resources
from pathlib import Path as FsPath
from typing import Any

import attrs

from .._io import display_path, read_text
from ..dsl.checker import did_you_mean
from ..dsl.limits import MAX_FILE_BYTES
from ..errors import CaseError, Diagnostic, EvidenceError
from ..source import Span
from .evidence import Evidence, evidence_from_document, load_evidence
from .guide import Guide
from .loader import display_name, resolve_guide_path
from .model import Model
from .schema import path_text, validate
from .yamlio import Document, Path, load_document

__all__ = ["CASE_FORMAT", "CASE_SUFFIXES", "Case", "Expectation", "case_files", "case_schema", "cases_folder", "load_case",
           "load_cases"]

CASE_FORMAT = "taqyeem-case/1"
#: The files read as cases.
CASE_SUFFIXES = (".yaml", ".yml", ".json")
#: The folder of cases next to a guide file.
CASES_FOLDER = "tests"

#: What an expectation is about.
WHATS = ("model", "total", "total_exact", "basic_attainment", "tier", "flag", "category",
         "criterion.points", "criterion.status", "criterion.row")


@functools.cache
def _shipped() -> dict[str, Any]:
    text = resources.files("taqyeem_rules.guide").joinpath("case.schema.json").read_text("utf-8")
    return json.loads(text)


def case_schema() -> dict[str, Any]:
    """The JSON Schema (draft-07) of a test case file."""
    return json.loads(json.dumps(_shipped()))


@attrs.frozen
class Expectation:
    """One thing a case states: what (``total``, ``tier``, ``criterion.points``…), of which
    id (a criterion, category or flag; None for the centre's headline values), the value
    expected and how far the actual one may be from it."""

    what: str
    id: str | None
    value: Any
    tolerance: Decimal = Decimal(0)
    span: Span | None = attrs.field(default=None, eq=False)
    path: str = attrs.field(default="", eq=False)

    def label(self) -> str:
        """``total``, ``criterion access_parking: points``, ``flag improvement_plan``."""
        if self.id is None:
            return self.what
        head, _, field = self.what.partition(".")
        return f"{head} {self.id}" + (f": {field}" if field else "")


@attrs.frozen
class Case:
    """A test case: a name, one centre's evidence and what the guide must give it."""

    name: str
    evidence: Evidence
    expects: tuple[Expectation, ...]
    #: The case file, as shown to people (None for a case built in Python).
    path: str | None = None
    description: str | None = None
    #: The evidence file the case reads (None when the evidence is inline).
    evidence_path: str | None = None
    span: Span | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def model(self) -> str:
        return self.evidence.model


def cases_folder(guide: str | os.PathLike[str]) -> FsPath:
    """The folder of test cases of a guide (an edition or a guide file): ``tests/`` next
    to the guide file. It may not exist."""
    return resolve_guide_path(guide).parent / CASES_FOLDER


def case_files(paths: Iterable[str | os.PathLike[str]]) -> list[FsPath]:
    """The case files among files and folders (a folder's YAML and JSON files, sorted)."""
    out: list[FsPath] = []
    for p in paths:
        path = FsPath(p)
        if path.is_dir():
            out.extend(sorted(f for f in path.iterdir() if f.is_file() and f.suffix.lower() in CASE_SUFFIXES))
        elif path.is_file():
            out.append(path)
        else:
            raise CaseError(f"no test case file or folder at {display_path(path)}", code="case.not-found",
                            hint="give case files (.yaml, .json) or a folder of them")
    return out


def load_cases(paths: Iterable[str | os.PathLike[str]], guide: Guide) -> list[Case]:
    """Every case in the files and folders given, checked against the guide. Raises
    :class:`~taqyeem_rules.errors.CaseError` with every problem of every file."""
    cases: list[Case] = []
    problems: list[Diagnostic] = []
    for file in case_files(paths):
        try:
            cases.append(load_case(file, guide))
        except CaseError as exc:
            problems.extend(exc.diagnostics)
    if problems:
        raise CaseError(diagnostics=problems)
    seen: dict[str, Case] = {}
    for case in cases:
        if case.name in seen:
            problems.append(Diagnostic("case.duplicate-name", f"two cases are named {case.name!r}", case.span,
                                       f"the other is {seen[case.name].path}; give each case its own `name`"))
        seen[case.name] = case
    if problems:
        raise CaseError(diagnostics=problems)
    return cases


def load_case(path: str | os.PathLike[str], guide: Guide) -> Case:
    """One case file, checked against the guide (its shape, its evidence, every id)."""
    file = FsPath(path)
    text = read_text(file, what="test case", error=CaseError, prefix="case", limit=MAX_FILE_BYTES)
    doc = load_document(text, display_name(file), error=CaseError)
    diags = list(validate(doc, _shipped(), code_prefix="case"))
    if diags:
        raise CaseError(diagnostics=diags)
    data = doc.data
    evidence, evidence_path = _evidence(doc, file, guide)
    model = guide.model(evidence.model)
    assert model is not None  # the evidence was validated against the guide
    expects, problems = _expects(doc, guide, model)
    if problems:
        raise CaseError(diagnostics=problems)
    return Case(
        name=str(data.get("name") or file.stem),
        evidence=evidence,
        expects=tuple(expects),
        path=doc.source.name,
        description=data.get("description"),
        evidence_path=evidence_path,
        span=doc.span(()),
    )


def _evidence(doc: Document, file: FsPath, guide: Guide) -> tuple[Evidence, str | None]:
    value = doc.data["evidence"]
    if isinstance(value, str):
        target = FsPath(os.path.normpath(file.parent / value))
        if not target.is_file():
            looked = display_path(target)
            raise CaseError(f"the evidence file {value} is not there (looked for {looked})",
                            span=doc.span(("evidence",)), code="case.evidence",
                            hint="give the evidence file's path relative to the case file, or the evidence inline")
        try:
            return load_evidence(target, guide), display_name(target)
        except EvidenceError as exc:
            raise CaseError(
                f"the evidence of this case ({value}) is not valid for guide {guide.edition}",
                span=doc.span(("evidence",)), code="case.evidence", hint=exc.primary.render(snippet=False),
                diagnostics=exc.diagnostics,
            ) from None
    nodes = {p[1:]: node for p, node in doc.nodes.items() if p[:1] == ("evidence",)}
    sub = Document(doc.source, value, nodes)
    try:
        return evidence_from_document(sub, guide), None
    except EvidenceError as exc:
        raise CaseError(diagnostics=[attrs.evolve(d, path=f"evidence.{d.path}" if d.path else "evidence")
                                     for d in exc.diagnostics]) from None


def _value(raw: Any) -> tuple[Any, Decimal]:
    if isinstance(raw, Mapping) and "value" in raw:
        return raw["value"], raw.get("tolerance", Decimal(0))
    return raw, Decimal(0)


def _unknown_id(what: str, ident: str, known: list[str], other: Mapping[str, list[str]], model: Model,
             span: Span | None, path: Path) -> Diagnostic:
    elsewhere = [m for m, ids in other.items() if ident in ids]
    if elsewhere:
        hint = f"`{ident}` is a {what} of model `{elsewhere[0]}`; this case's evidence is for model `{model.id}`"
    else:
        hint = did_you_mean(ident, known) or (f"the {what}s of model `{model.id}`: " + ", ".join(known)
                                              if known else f"model `{model.id}` has no {what}s")
    return Diagnostic(f"case.unknown-{what}", f"model `{model.id}` has no {what} `{ident}`", span, hint,
                      path=path_text(path))


def _expects(doc: Document, guide: Guide, model: Model) -> tuple[list[Expectation], list[Diagnostic]]:
    expect = doc.data["expect"]
    out: list[Expectation] = []
    problems: list[Diagnostic] = []

    def add(what: str, ident: str | None, raw: Any, path: Path) -> None:
        value, tolerance = _value(raw)
        out.append(Expectation(what, ident, value, tolerance, doc.span(path), path_text(path)))

    others = [m for m in guide.models if m.id != model.id]
    for key in ("model", "total", "total_exact", "basic_attainment"):
        if key in expect:
            add(key, None, expect[key], ("expect", key))
    if "tier" in expect:
        tier = expect["tier"]
        known = [t.id for t in model.tiers]
        if tier is not None and tier not in known:
            problems.append(_unknown_id("tier", tier, known, {m.id: [t.id for t in m.tiers] for m in others},
                                     model, doc.span(("expect", "tier")), ("expect", "tier")))
        else:
            add("tier", None, tier, ("expect", "tier"))
    sections: tuple[tuple[str, str, list[str], dict[str, list[str]]], ...] = (
        ("flags", "flag", [f.id for f in model.flags], {m.id: [f.id for f in m.flags] for m in others}),
        ("categories", "category", [c.id for c in model.categories],
         {m.id: [c.id for c in m.categories] for m in others}),
    )
    for key, what, known, other in sections:
        for ident, raw in (expect.get(key) or {}).items():
            path: Path = ("expect", key, ident)
            if ident not in known:
                problems.append(_unknown_id("flag" if what == "flag" else "category", ident, known, other, model,
                                            doc.key_span(path), path))
                continue
            add(what, ident, raw, path)
    criteria = {c.id: c for c in model.criteria()}
    other_criteria = {m.id: [c.id for c in m.criteria()] for m in others}
    for ident, raw in (expect.get("criteria") or {}).items():
        path = ("expect", "criteria", ident)
        c = criteria.get(ident)
        if c is None:
            problems.append(_unknown_id("criterion", ident, list(criteria), other_criteria, model,
                                     doc.key_span(path), path))
            continue
        if not isinstance(raw, Mapping):
            add("criterion.points", ident, raw, path)
            continue
        tolerance = raw.get("tolerance", Decimal(0))
        if "points" in raw:
            out.append(Expectation("criterion.points", ident, raw["points"], tolerance, doc.span((*path, "points")),
                              path_text((*path, "points"))))
        elif "tolerance" in raw:
            problems.append(Diagnostic("case.tolerance", f"criterion `{ident}`: a tolerance without `points`",
                                       doc.key_span((*path, "tolerance")), "state the points the tolerance is about",
                                       path=path_text((*path, "tolerance"))))
        if "status" in raw:
            add("criterion.status", ident, raw["status"], (*path, "status"))
        if "row" in raw:
            kind = c.kind_object
            table = kind.table(c.params) if kind is not None else None
            row = raw["row"]
            if table is None:
                problems.append(Diagnostic("case.row", f"criterion `{ident}` has no decision table: it has no rows",
                                           doc.span((*path, "row")), "remove `row`, or expect its points",
                                           path=path_text((*path, "row"))))
            elif row is not None and int(row) > len(table.rows):
                problems.append(Diagnostic(
                    "case.row", f"criterion `{ident}` has {len(table.rows)} rows, not {row}",
                    doc.span((*path, "row")), f"rows are numbered 1 to {len(table.rows)}",
                    path=path_text((*path, "row"))))
            else:
                add("criterion.row", ident, None if row is None else int(row), (*path, "row"))
    return out, problems
