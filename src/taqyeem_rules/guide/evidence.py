"""A centre's evidence: loading (YAML, JSON, CSV), its JSON Schema, and validation.

The schema of evidence files is generated from a guide's ``inputs``
(``taqyeem schema evidence 2024``): for each model, the inputs that model reads, their
types and ranges, which are required, and no others (a misspelt input is an error,
not a silently ignored key).
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
import re
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

import attrs

from .._io import display_path, path_kind, read_text
from ..dsl.limits import MAX_CSV_CELL, MAX_CSV_COLUMNS, MAX_FILE_BYTES, MAX_ID_LENGTH, MAX_REPORTED
from ..dsl.numbers import NumberTextError, canonical, read_number
from ..errors import Diagnostic, EvidenceError
from ..source import Source, Span
from .model import Input, Model, Text
from .schema import validate
from .yamlio import Document, load_document

if TYPE_CHECKING:  # pragma: no cover
    from .guide import Guide

__all__ = [
    "Evidence",
    "evidence_from_data",
    "evidence_schema",
    "load_evidence",
    "load_evidences",
    "model_inputs",
]

EVIDENCE_FORMAT = "taqyeem-evidence/1"


@attrs.frozen
class Evidence:
    """One centre's evidence for one model of one edition."""

    centre_id: str
    centre_name: Text | str | None
    model: str
    edition: str
    #: Input values by id: Decimal, bool, list of Decimal, dict of bool (checklists).
    inputs: Mapping[str, Any] = attrs.field(converter=lambda m: dict(sorted(m.items())))
    source: Source | None = attrs.field(default=None, eq=False, repr=False)
    path: str | None = attrs.field(default=None, eq=False, repr=False)
    _cache: dict[str, Any] = attrs.field(factory=dict, eq=False, repr=False, init=False)

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def name(self, lang: str = "en") -> str:
        if isinstance(self.centre_name, Text):
            return self.centre_name.get(lang)
        return self.centre_name or self.centre_id

    def to_data(self) -> dict[str, Any]:
        """Canonical data: decimals as canonical strings, sorted keys."""
        name: Any = self.centre_name.to_data() if isinstance(self.centre_name, Text) else self.centre_name
        return {
            "centre": {"id": self.centre_id, "name": name},
            "model": self.model,
            "edition": self.edition,
            "inputs": {k: _canon_value(v) for k, v in sorted(self.inputs.items())},
        }

    def canonical_json(self) -> str:
        """The canonical JSON of :meth:`to_data` (what records hold and fingerprints cover)."""
        cached = self._cache.get("json")
        if cached is None:
            from .guide import canonical_json

            cached = self._cache["json"] = canonical_json(self.to_data())
        return cached

    @property
    def fingerprint(self) -> str:
        """SHA-256 of :meth:`canonical_json`."""
        cached = self._cache.get("fingerprint")
        if cached is None:
            text = self.canonical_json().encode("utf-8")
            cached = self._cache["fingerprint"] = hashlib.sha256(text).hexdigest()
        return cached

    def span_of(self, input_id: str) -> Span | None:
        spans = self._cache.get("spans")
        if spans:
            return spans.get(input_id)
        return None

    def where(self) -> str:
        return self.path or f"centre {self.centre_id}"


def _canon_value(v: Any) -> Any:
    if isinstance(v, Decimal):
        return canonical(v)
    if isinstance(v, list):
        return [_canon_value(x) for x in v]
    if isinstance(v, dict):
        return {k: _canon_value(x) for k, x in sorted(v.items())}
    return v


# ---- the schema ---------------------------------------------------------------------------


def model_inputs(guide: Guide, model: Model) -> tuple[Input, ...]:
    """The inputs a model reads (in the guide's order)."""
    cache_key = f"model-inputs:{model.id}"
    cached = guide._cache.get(cache_key)
    if cached is not None:
        return cached
    names = {name for c in model.criteria() for name in c.reads()}
    out = tuple(i for i in guide.inputs if i.id in names)
    guide._cache[cache_key] = out
    return out


def _num(d: Decimal) -> int | Decimal:
    return int(d) if d == d.to_integral_value() else d


def _input_schema(inp: Input) -> dict[str, Any]:
    def numeric(kind: str) -> dict[str, Any]:
        schema: dict[str, Any] = {"type": "integer" if kind == "integer" else "number"}
        lo, hi = inp.bounds
        if lo is not None:
            schema["minimum"] = _num(lo)
        if hi is not None:
            schema["maximum"] = _num(hi)
        return schema

    schema: dict[str, Any]
    if inp.type in ("number", "integer", "percent"):
        schema = numeric(inp.type)
    elif inp.type == "boolean":
        schema = {"type": "boolean"}
    elif inp.type == "checklist":
        schema = {
            "type": "object",
            "properties": {it.id: {"type": "boolean", "title": it.label.en} for it in inp.items},
            "required": [it.id for it in inp.items],
            "additionalProperties": False,
        }
    else:  # list
        schema = {"type": "array", "items": numeric(inp.of or "number")}
        if inp.min_items is not None:
            schema["minItems"] = inp.min_items
    if not inp.required:
        # A type list, not anyOf: the bounds still apply to numbers, and an out-of-range
        # value is reported as such (anyOf's best match was "must be nothing").
        schema["type"] = [schema["type"], "null"]
    schema["title"] = inp.label.en
    schema["description"] = f"{inp.label.ar} — source: {inp.source}" + (f"; unit: {inp.unit}" if inp.unit else "")
    return schema


def evidence_schema(guide: Guide, model: str | None = None) -> dict[str, Any]:
    """The JSON Schema (draft-07) of evidence files for a guide (one model, or all)."""
    models = [m for m in guide.models if model is None or m.id == model]
    branches = []
    for m in models:
        inputs = model_inputs(guide, m)
        branches.append(
            {
                "if": {"properties": {"model": {"const": m.id}}, "required": ["model"]},
                "then": {
                    "properties": {
                        "inputs": {
                            "type": "object",
                            "properties": {i.id: _input_schema(i) for i in inputs},
                            "required": [i.id for i in inputs if i.required],
                            "additionalProperties": False,
                        }
                    }
                },
            }
        )
    text = {
        "type": "object",
        "required": ["en", "ar"],
        "properties": {"en": {"type": "string"}, "ar": {"type": "string"}},
        "additionalProperties": False,
    }
    return {
        "$schema": "http://json-schema.org/draft-07/schema#",
        "title": f"Evidence of a centre for the Taqyeem guide {guide.edition}",
        "type": "object",
        "required": ["centre", "model", "inputs"],
        "additionalProperties": False,
        "properties": {
            "format": {"const": EVIDENCE_FORMAT},
            "centre": {
                "type": "object",
                "required": ["id"],
                "additionalProperties": False,
                "properties": {
                    "id": {"type": "string", "minLength": 1, "maxLength": MAX_ID_LENGTH},
                    "name": {"anyOf": [{"type": "string"}, text]},
                },
            },
            "model": {"enum": [m.id for m in models]},
            "edition": {"type": "string"},
            "cycle": {"type": "string"},
            "notes": {"type": "string"},
            "inputs": {"type": "object"},
        },
        "allOf": branches,
    }


# ---- validation ---------------------------------------------------------------------------


def _check_doc(doc: Document, guide: Guide, *, other_edition: bool) -> tuple[list[Diagnostic], Model | None]:
    data = doc.data
    diags: list[Diagnostic] = []
    if not isinstance(data, dict):
        return [Diagnostic("evidence.schema", "an evidence file is a mapping (centre, model, inputs)",
                           doc.span(()))], None
    model_id = data.get("model")
    model = guide.model(model_id) if isinstance(model_id, str) else None
    if isinstance(model_id, str) and model is None:
        from ..dsl.checker import did_you_mean

        diags.append(Diagnostic(
            "evidence.model",
            f"guide {guide.edition} has no model `{model_id}`",
            doc.span(("model",)),
            did_you_mean(model_id, [m.id for m in guide.models])
            or "models: " + ", ".join(m.id for m in guide.models),
            path="model",
        ))
        return diags, None
    if model is None or not fast_valid(data, guide, model):
        # The full JSON Schema validation, which also words the errors; valid evidence
        # (the common case) is recognised by fast_valid without it.
        schema = _schema_cached(guide, model.id if model else None)
        diags.extend(validate(doc, schema, code_prefix="evidence"))
    edition = data.get("edition")
    if edition is not None and str(edition) != guide.edition and not other_edition:
        diags.append(Diagnostic(
            "evidence.edition",
            f"this evidence is for edition {edition}, but the guide is edition {guide.edition}",
            doc.span(("edition",)),
            "score it with the guide of its edition, or change `edition`",
            path="edition",
        ))
    return diags, model


_TOP_KEYS = frozenset({"format", "centre", "model", "edition", "cycle", "notes", "inputs"})


def _number_ok(value: Any, kind: str, lo: Decimal | None, hi: Decimal | None) -> bool:
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        return False
    if isinstance(value, Decimal):
        if not value.is_finite():
            return False
        if kind == "integer" and value != value.to_integral_value():
            return False
    return (lo is None or value >= lo) and (hi is None or value <= hi)


def _input_ok(inp: Input, value: Any) -> bool:
    if value is None:
        return not inp.required
    kind = inp.type
    if kind in ("number", "integer", "percent"):
        lo, hi = inp.bounds
        return _number_ok(value, kind, lo, hi)
    if kind == "boolean":
        return isinstance(value, bool)
    if kind == "checklist":
        return (
            isinstance(value, dict)
            and len(value) == len(inp.items)
            and all(isinstance(value.get(it.id), bool) for it in inp.items)
        )
    if not isinstance(value, list) or (inp.min_items is not None and len(value) < inp.min_items):
        return False
    lo, hi = inp.bounds
    of = inp.of or "number"
    return all(_number_ok(v, of, lo, hi) for v in value)


def fast_valid(data: Any, guide: Guide, model: Model) -> bool:
    """True when evidence data is valid for the model — the same answer as the generated
    JSON Schema (a property test holds them together), computed directly, without
    jsonschema. When it says False, the schema is run to word the errors."""
    if not isinstance(data, dict) or not data.keys() <= _TOP_KEYS:
        return False
    if "format" in data and data["format"] != EVIDENCE_FORMAT:
        return False
    for key in ("edition", "cycle", "notes"):
        if key in data and not isinstance(data[key], str):
            return False
    centre, inputs = data.get("centre"), data.get("inputs")
    if data.get("model") != model.id or not isinstance(centre, dict) or not isinstance(inputs, dict):
        return False
    if not centre.keys() <= {"id", "name"} or not isinstance(centre.get("id"), str) or not centre["id"]:
        return False
    if len(centre["id"]) > MAX_ID_LENGTH:
        return False
    if "name" in centre:
        name = centre["name"]
        if not isinstance(name, str) and not (
            isinstance(name, dict)
            and name.keys() == {"en", "ar"}
            and all(isinstance(v, str) for v in name.values())
        ):
            return False
    known = {i.id: i for i in model_inputs(guide, model)}
    if not inputs.keys() <= known.keys():
        return False
    for inp in known.values():
        if inp.id in inputs:
            if not _input_ok(inp, inputs[inp.id]):
                return False
        elif inp.required:
            return False
    return True


def _schema_cached(guide: Guide, model: str | None) -> dict[str, Any]:
    key = f"evidence-schema:{model}"
    schema = guide._cache.get(key)
    if schema is None:
        schema = guide._cache[key] = evidence_schema(guide, model)
    return schema


def _text_or_str(value: Any) -> Text | str | None:
    if isinstance(value, dict):
        return Text(en=str(value.get("en", "")), ar=str(value.get("ar", "")))
    return None if value is None else str(value)


def evidence_from_document(doc: Document, guide: Guide, *, other_edition: bool = False) -> Evidence:
    """Validate a parsed evidence document against a guide and build the Evidence."""
    diags, model = _check_doc(doc, guide, other_edition=other_edition)
    if diags or model is None:
        raise EvidenceError(diagnostics=diags or [Diagnostic("evidence.schema", "invalid evidence", doc.span(()))])
    data = doc.data
    inputs = {k: v for k, v in data["inputs"].items() if v is not None}
    ev = Evidence(
        centre_id=str(data["centre"]["id"]),
        centre_name=_text_or_str(data["centre"].get("name")),
        model=model.id,
        edition=str(data.get("edition", guide.edition)),
        inputs=inputs,
        source=doc.source,
        path=doc.source.name,
    )
    ev._cache["spans"] = {k: doc.span(("inputs", k)) for k in data["inputs"]}
    ev._cache[f"valid:{guide.fingerprint}"] = True
    return ev


def evidence_from_data(data: Mapping[str, Any], guide: Guide, *, name: str = "<evidence>",
                       other_edition: bool = False) -> Evidence:
    """Validate evidence given as Python data (numbers as Decimal, int or digit strings)."""
    from ..dsl import normalize_value
    from ..errors import TaqyeemError

    try:
        plain = normalize_value(dict(data), where="evidence")
    except TaqyeemError as exc:
        raise EvidenceError(exc.message, code="evidence.value", hint=exc.hint) from None
    # Data given in Python has no positions: diagnostics name the path instead.
    doc = Document(Source(name, ""), plain, {})
    return evidence_from_document(doc, guide, other_edition=other_edition)


def validated(evidence: Evidence, guide: Guide, *, other_edition: bool = False) -> Evidence:
    """The evidence, validated against ``guide`` (once; the answer is cached)."""
    key = f"valid:{guide.fingerprint}"
    if evidence._cache.get(key) and (other_edition or evidence.edition == guide.edition):
        return evidence
    # The values themselves, not to_data() (whose numbers are strings the schema refuses).
    data = evidence.to_data()
    data["inputs"] = dict(evidence.inputs)
    if data["centre"]["name"] is None:
        del data["centre"]["name"]
    name = evidence.path or f"centre-{evidence.centre_id}"
    checked = evidence_from_data(data, guide, name=name, other_edition=other_edition)
    evidence._cache[key] = True
    return checked


# ---- files --------------------------------------------------------------------------------


def load_evidence(path: str | os.PathLike[str], guide: Guide, *, other_edition: bool = False) -> Evidence:
    """Load and validate one centre's evidence file (YAML or JSON)."""
    items = list(_load_file(FsPath(path), guide, other_edition=other_edition))
    if len(items) != 1:
        raise EvidenceError(
            f"{path} holds {len(items)} centres",
            code="evidence.many",
            hint="use load_evidences() for a CSV or a folder",
        )
    return items[0]


def evidence_files(paths: Iterable[str | os.PathLike[str]]) -> list[FsPath]:
    """The evidence files named by ``paths``: files as given, folders expanded (sorted)."""
    out: list[FsPath] = []
    for p in paths:
        path = FsPath(p)
        kind = path_kind(path, error=EvidenceError, prefix="evidence", what="evidence")
        if kind == "folder":
            found = sorted(
                f for f in path.iterdir()
                if f.suffix.lower() in (".yaml", ".yml", ".json", ".csv")
                and path_kind(f, error=EvidenceError, prefix="evidence", what="evidence") == "file"
            )
            if not found:
                raise EvidenceError(f"no evidence files (.yaml, .json, .csv) in {path}", code="evidence.not-found")
            out.extend(found)
        elif kind is not None:  # a file (anything else is refused when it is read)
            out.append(path)
        else:
            raise EvidenceError(f"no evidence file or folder at {path}", code="evidence.not-found")
    return out


def load_evidences(
    paths: Iterable[str | os.PathLike[str]], guide: Guide, *, other_edition: bool = False
) -> list[Evidence]:
    """Load every centre from files, folders and CSVs; all errors are collected."""
    out: list[Evidence] = []
    diags: list[Diagnostic] = []
    for file in evidence_files(paths):
        try:
            out.extend(_load_file(file, guide, other_edition=other_edition))
        except EvidenceError as exc:
            diags.extend(exc.diagnostics)
    if diags:
        raise EvidenceError(diagnostics=diags)
    check_unique_centres(out)
    return out


def check_unique_centres(items: list[Evidence]) -> None:
    """Each centre once per model: a second one is an error naming both files."""
    seen: dict[tuple[str, str], Evidence] = {}
    for ev in items:
        key = (ev.centre_id, ev.model)
        if key in seen:
            raise EvidenceError(
                f"centre {ev.centre_id} ({ev.model}) appears twice: in {seen[key].where()} and {ev.where()}",
                code="evidence.duplicate-centre",
                hint="each centre is scored once per cycle; remove one",
            )
        seen[key] = ev


def _load_file(path: FsPath, guide: Guide, *, other_edition: bool) -> Iterator[Evidence]:
    text = read_text(path, what="evidence", error=EvidenceError, prefix="evidence", encoding="utf-8-sig",
                     limit=MAX_FILE_BYTES)
    name = display_path(path)
    if path.suffix.lower() == ".csv":
        yield from _load_csv(text, name, guide, other_edition=other_edition)
        return
    doc = load_document(text, name, error=EvidenceError)
    yield evidence_from_document(doc, guide, other_edition=other_edition)


# ---- CSV -------------------------------------------------------------------------------------

_FIXED = ("centre_id", "centre_name", "model", "edition")


def _csv_cells(source: Source) -> list[list[tuple[str, int, int]]]:
    """Rows of (value, start offset, end offset), following the csv module's dialect. A
    cell over MAX_CSV_CELL characters, or a row over MAX_CSV_COLUMNS cells, is an error
    at its place."""
    text = source.text
    rows: list[list[tuple[str, int, int]]] = []
    row: list[tuple[str, int, int]] = []
    i, size = 0, len(text)
    while i < size:
        start = i
        if text[i] == '"':
            i += 1
            buf = []
            while i < size:
                if text[i] == '"':
                    if i + 1 < size and text[i + 1] == '"':
                        buf.append('"')
                        i += 2
                        continue
                    i += 1
                    break
                buf.append(text[i])
                i += 1
            value = "".join(buf)
            while i < size and text[i] not in ",\r\n":
                i += 1
        else:
            while i < size and text[i] not in ",\r\n":
                i += 1
            value = text[start:i]
        row.append((value, start, i))
        if i - start > MAX_CSV_CELL:
            raise EvidenceError(
                f"a cell of {source.name} holds {i - start:,} characters; the limit is {MAX_CSV_CELL:,}",
                span=Span(source, start, start + 1), code="evidence.csv-cell",
                hint="a cell holds one value (a list: numbers separated by `;`)")
        if len(row) > MAX_CSV_COLUMNS:
            raise EvidenceError(
                f"a row of {source.name} has more than {MAX_CSV_COLUMNS:,} cells, the limit",
                span=Span(source, start, start + 1), code="evidence.csv-columns",
                hint="one column per input (a checklist: one per item), besides centre_id, model, …")
        if i < size and text[i] == ",":
            i += 1
            if i >= size:  # a last empty cell at the end of the text (else the loop reads it)
                row.append(("", i, i))
            continue
        if i < size and text[i] == "\r":
            i += 1
        if i < size and text[i] == "\n":
            i += 1
        if any(v for v, _, _ in row):  # blank lines and rows of empty cells hold no centre
            rows.append(row)
        row = []
    if any(v for v, _, _ in row):
        rows.append(row)
    return rows


def _load_csv(text: str, name: str, guide: Guide, *, other_edition: bool) -> Iterator[Evidence]:
    source = Source(name, text)
    rows = _csv_cells(source)
    # Cross-check with the csv module: the two readers must agree on the values.
    try:
        reference = [r for r in csv.reader(io.StringIO(text)) if any(r)]
    except csv.Error:  # (cells are within its size limit: checked above)
        reference = None
    if reference is None or [[v for v, _, _ in r] for r in rows] != reference:
        raise EvidenceError(f"{name}: cannot read this CSV (unusual quoting)", code="evidence.csv",
                            hint="save it as plain comma-separated values, UTF-8")
    if len(rows) < 2:
        raise EvidenceError(
            f"no centres in {name}" + (": it has a header and no rows" if rows else ": it is empty"),
            span=Span(source, 0, max(1, rows[0][-1][2])) if rows else None,
            code="evidence.no-centres",
            hint="the first line names the columns (centre_id, centre_name, model, edition, inputs…); "
            "each line after it is one centre",
        )
    header = rows[0]
    columns = [v.strip() for v, _, _ in header]
    index: dict[str, int] = {}
    for k, column in enumerate(columns):
        if column in index:
            first = header[index[column]]
            raise EvidenceError(
                f"{name}: the column `{column}` is named twice in the header",
                span=Span(source, header[k][1], max(header[k][2], header[k][1] + 1)),
                code="evidence.csv",
                hint=f"the first is at column {first[1] + 1} of line 1; keep one",
            )
        index[column] = k
    missing = [c for c in ("centre_id", "model") if c not in columns]
    if missing:
        raise EvidenceError(f"{name}: the header has no `{missing[0]}` column",
                            span=Span(source, 0, max(1, header[-1][2])), code="evidence.csv",
                            hint="the first line names the columns: centre_id, centre_name, model, edition, inputs…")
    diags: list[Diagnostic] = []
    unknown: dict[str, list[Diagnostic]] = {}  # the unknown columns of each model, found once
    for r, row in enumerate(rows[1:], start=2):
        try:
            yield _csv_row(row, columns, header, source, guide, r, other_edition=other_edition,
                           unknown=unknown)
        except EvidenceError as exc:
            diags.extend(exc.diagnostics)
    if diags:
        # A bad header cell is found again on every row: report it once.
        once = {(d.code, d.message, d.span.start if d.span else -1): d for d in diags}
        raise EvidenceError(diagnostics=list(once.values()))


def _unknown_columns(columns: list[str], header: list[tuple[str, int, int]], source: Source,
                     guide: Guide, model: Model, inputs: Mapping[str, Input]) -> list[Diagnostic]:
    """The header's columns that are no input of ``model``: the first MAX_REPORTED with a
    "did you mean" hint, the rest counted in one more finding (so hint work is bounded)."""
    from ..dsl.checker import did_you_mean

    found = [k for k, col in enumerate(columns)
             if col not in _FIXED and col.partition(".")[0] not in inputs]
    out = [
        Diagnostic("evidence.unknown-key", f"unknown input column `{columns[k]}` for model {model.id}",
                   Span(source, header[k][1], max(header[k][2], header[k][1] + 1)),
                   did_you_mean(columns[k].partition(".")[0], inputs))
        for k in found[:MAX_REPORTED]
    ]
    if len(found) > MAX_REPORTED:
        k = found[MAX_REPORTED]
        out.append(Diagnostic(
            "evidence.unknown-key",
            f"{len(found) - MAX_REPORTED:,} more unknown input columns for model {model.id}",
            Span(source, header[k][1], max(header[k][2], header[k][1] + 1)),
            f"the columns are centre_id, centre_name, model, edition and the inputs of the model "
            f"(`taqyeem schema evidence {guide.edition}` lists them)",
        ))
    return out


def _csv_row(row: list[tuple[str, int, int]], columns: list[str], header: list[tuple[str, int, int]],
             source: Source, guide: Guide, line: int, *, other_edition: bool,
             unknown: dict[str, list[Diagnostic]] | None = None) -> Evidence:
    if len(row) != len(columns):
        raise EvidenceError(f"row {line} has {len(row)} cells but the header has {len(columns)}",
                            span=Span(source, row[0][1], row[-1][2]), code="evidence.csv")
    cells = {columns[k]: row[k] for k in range(len(columns))}
    model_id = cells["model"][0].strip()
    model = guide.model(model_id)
    if model is None:
        from ..dsl.checker import did_you_mean

        raise EvidenceError(f"guide {guide.edition} has no model `{model_id}`",
                            span=Span(source, cells["model"][1], cells["model"][2]), code="evidence.model",
                            hint=did_you_mean(model_id, [m.id for m in guide.models])
                            or "models: " + ", ".join(m.id for m in guide.models))
    inputs_by_id = {i.id: i for i in model_inputs(guide, model)}
    values: dict[str, Any] = {}
    spans: dict[str, Span] = {}
    memo = {} if unknown is None else unknown
    if model.id not in memo:
        memo[model.id] = _unknown_columns(columns, header, source, guide, model, inputs_by_id)
    diags: list[Diagnostic] = list(memo[model.id])
    for col, (raw, start, end) in cells.items():
        if col in _FIXED:
            continue
        span = Span(source, start, max(end, start + 1))
        base, _, item = col.partition(".")
        inp = inputs_by_id.get(base)
        if inp is None:
            continue  # (reported above, once per model)
        value = raw.strip()
        if value == "":
            continue
        try:
            parsed = _csv_value(inp, value, item)
        except _EmptyItem as exc:
            # The place of the empty item in the file (exact for an unquoted cell).
            at = start + (source.text[start] == '"') + (len(raw) - len(raw.lstrip())) + exc.offset
            diags.append(Diagnostic(
                "evidence.list-item", f"`{col}` on row {line}: item {exc.item} of the list is empty",
                Span(source, at, at + 1),
                "write the numbers separated by `;` (20;30), with a number between every two `;`"))
            continue
        except ValueError as exc:
            code = "evidence.number" if isinstance(exc, _OutOfRange) else "evidence.type"
            diags.append(Diagnostic(code, f"`{col}` on row {line}: {exc}", span))
            continue
        if item:
            values.setdefault(base, {})[item] = parsed
        else:
            values[base] = parsed
        spans.setdefault(base, span)
    if diags:
        raise EvidenceError(diagnostics=diags)
    name_cell = cells.get("centre_name")
    data = {
        "centre": {"id": cells["centre_id"][0].strip(), **({"name": name_cell[0]} if name_cell and name_cell[0] else {})},
        "model": model_id,
        "inputs": values,
    }
    if "edition" in cells and cells["edition"][0].strip():
        data["edition"] = cells["edition"][0].strip()
    try:
        ev = evidence_from_data(data, guide, name=f"{source.name}:{line}", other_edition=other_edition)
    except EvidenceError as exc:
        # Schema findings come without positions (the data has none): point at the cell.
        raise EvidenceError(diagnostics=[
            d if d.span is not None else attrs.evolve(d, span=_csv_cell_span(d, cells, source, row))
            for d in exc.diagnostics
        ]) from None
    ev = attrs.evolve(ev, source=source, path=f"{source.name}:{line}")
    ev._cache["spans"] = spans
    return ev


def _csv_cell_span(d: Diagnostic, cells: dict[str, tuple[str, int, int]], source: Source,
                   row: list[tuple[str, int, int]]) -> Span:
    """The cell a schema diagnostic of a CSV row is about (the whole row if none fits)."""
    parts = [p for p in re.split(r"[.\[\]]", d.path or "") if p]
    if parts[:1] == ["inputs"]:
        parts = parts[1:]
    missing = re.search(r"missing required key `([^`]+)`", d.message)
    names = [".".join([*parts[:1], missing.group(1)])] if missing else []
    if parts:
        names += [parts[0], "centre_id" if parts[0] == "centre" else parts[0] + "."]
    for name in names:
        for col, (_, start, end) in cells.items():
            if col == name or (name.endswith(".") and col.startswith(name)):
                return Span(source, start, max(end, start + 1))
    return Span(source, row[0][1], max(row[-1][2], row[0][1] + 1))


class _OutOfRange(ValueError):
    """A CSV cell holds a number beyond the language's range."""


class _EmptyItem(ValueError):
    """An empty item in a CSV list (``20;;30``): item ``item`` (1-based), at ``offset``
    characters into the cell's text."""

    def __init__(self, item: int, offset: int) -> None:
        super().__init__(f"item {item} of the list is empty")
        self.item, self.offset = item, offset


def _csv_value(inp: Input, text: str, item: str) -> Any:
    def number(t: str) -> Decimal:
        # As YAML and JSON write numbers (ASCII digits, no `1_000`, no `NaN`).
        t = t.strip()
        try:
            return read_number(t)
        except NumberTextError as exc:
            if exc.code == "number.type":
                raise ValueError(f"{t!r} is not a number") from None
            raise _OutOfRange(exc.message) from None

    def boolean(t: str) -> bool:
        low = t.lower()
        if low in ("true", "false"):
            return low == "true"
        raise ValueError(f"{t!r} is not true or false")

    if inp.type == "checklist":
        if not item:
            raise ValueError("a checklist is given item by item, in columns named checklist.item")
        return boolean(text)
    if item:
        raise ValueError(f"`{inp.id}` is not a checklist")
    if inp.type == "boolean":
        return boolean(text)
    if inp.type == "list":
        out, at = [], 0
        for k, part in enumerate(text.split(";"), start=1):
            if not part.strip():
                raise _EmptyItem(k, at)
            out.append(number(part))
            at += len(part) + 1
        return out
    return number(text)
