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
from ..dsl.numbers import canonical
from ..errors import Diagnostic, EvidenceError
from ..source import Source, Span
from .compiled import evidence_checker
from .inputs import CsvEmptyItem, CsvOutOfRange, input_type
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
    "unread_given",
    "unread_inputs",
]

EVIDENCE_FORMAT = "taqyeem-evidence/1"


def _sorted_inputs(inputs: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of ``inputs`` in the order of their ids (a plain copy when they are in it
    already, as the generated evidence checker gives them)."""
    ids = sorted(inputs)
    if ids == list(inputs):
        return dict(inputs)
    return {k: inputs[k] for k in ids}


@attrs.frozen
class Evidence:
    """One centre's evidence for one model of one edition."""

    centre_id: str
    centre_name: Text | str | None
    model: str
    edition: str
    #: Input values by id: Decimal, bool, list of Decimal, dict of bool (checklists).
    inputs: Mapping[str, Any] = attrs.field(converter=_sorted_inputs)
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


def unread_inputs(guide: Guide) -> tuple[Input, ...]:
    """The inputs a guide declares but no model reads (``taqyeem check`` warns about each,
    ``guide.unused-input``). Evidence of any model may give them — they are kept with the
    evidence and read by no criterion — and need not."""
    cached = guide._cache.get("unread-inputs")
    if cached is None:
        read = {i.id for m in guide.models for i in model_inputs(guide, m)}
        cached = guide._cache["unread-inputs"] = tuple(i for i in guide.inputs if i.id not in read)
    return cached


def unread_given(evidence: Evidence, guide: Guide) -> list[Diagnostic]:
    """Warnings for the inputs ``evidence`` gives that ``guide`` declares but no criterion
    reads: accepted, as ``taqyeem check`` only warns about such an input, and said so."""
    unread = {i.id for i in unread_inputs(guide)}
    return [
        Diagnostic(
            "evidence.unread-input",
            f"`{k}` is declared in guide {guide.edition}, but model `{evidence.model}` does not read it",
            evidence.span_of(k),
            "no criterion reads it (`taqyeem check` warns about the input): its value is kept "
            "with the evidence and changes no score",
            "warning",
            f"inputs.{k}",
        )
        for k in evidence.inputs
        if k in unread
    ]


def _allowed_inputs(guide: Guide, model: Model) -> tuple[tuple[Input, bool], ...]:
    """(input, required) for every input the model's evidence may give, in guide order."""
    key = f"allowed-inputs:{model.id}"
    cached = guide._cache.get(key)
    if cached is None:
        reads = {i.id for i in model_inputs(guide, model)}
        unread = {i.id for i in unread_inputs(guide)}
        cached = guide._cache[key] = tuple(
            (i, i.required and i.id in reads) for i in guide.inputs if i.id in reads or i.id in unread
        )
    return cached


def _input_schema(inp: Input) -> dict[str, Any]:
    schema = input_type(inp).schema(inp)
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
        inputs = _allowed_inputs(guide, m)
        branches.append(
            {
                "if": {"properties": {"model": {"const": m.id}}, "required": ["model"]},
                "then": {
                    "properties": {
                        "inputs": {
                            "type": "object",
                            "properties": {
                                i.id: _input_schema(i if required or not i.required else attrs.evolve(i, required=False))
                                for i, required in inputs
                            },
                            "required": [i.id for i, required in inputs if required],
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
        explain = _UnknownInput(guide, model, data.get("edition"))
        diags.extend(validate(doc, schema, code_prefix="evidence", unknown_key=explain))
    if not diags and model is not None:
        diags.extend(_kind_rules(doc, guide, model))
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


def kind_checks(guide: Guide, model: Model) -> tuple[tuple[Any, Any], ...]:
    """(kind, params) of each criterion of ``model`` whose kind sets rules across its
    inputs (:meth:`~taqyeem_rules.guide.kinds.CriterionKind.check_evidence`)."""
    key = f"kind-rules:{model.id}"
    checks = guide._cache.get(key)
    if checks is None:
        from .kinds import CriterionKind

        checks = guide._cache[key] = tuple(
            (c.kind_object, c.params)
            for c in model.criteria()
            if c.kind_object is not None
            and type(c.kind_object).check_evidence is not CriterionKind.check_evidence
        )
    return checks


def _kind_rules(doc: Document, guide: Guide, model: Model) -> Iterator[Diagnostic]:
    """The rules criterion kinds set across their inputs (Tawasul replies no more than
    cases, one rating per assessor…), on evidence that passed its schema."""
    checks = kind_checks(guide, model)
    if not checks:
        return
    inputs = doc.data["inputs"]
    seen: set[tuple[str, str]] = set()
    for kind, params in checks:
        for input_id, message, hint in kind.check_evidence(params, inputs):
            if (input_id, message) in seen:
                continue
            seen.add((input_id, message))
            yield Diagnostic("evidence.inconsistent", message, doc.span(("inputs", input_id)), hint,
                             path=f"inputs.{input_id}")


class _UnknownInput:
    """Words an unknown input better than "did you mean" when it is an input of another
    model of the guide, or of another bundled edition (the evidence is then probably for
    that model or edition, not misspelt)."""

    def __init__(self, guide: Guide, model: Model | None, edition: Any) -> None:
        self.guide = guide
        self.model = model
        self.edition = str(edition) if edition is not None else None

    def __call__(self, path: tuple[Any, ...], key: str) -> tuple[str, str | None] | None:
        if path != ("inputs",) or self.model is None:
            return None
        return explain_unknown_input(self.guide, self.model, key, self.edition)


def explain_unknown_input(guide: Guide, model: Model, key: str, edition: str | None = None
                          ) -> tuple[str, str | None] | None:
    """(message, hint) for an input that ``model`` does not take but that is an input of
    another model of ``guide`` or of another bundled edition; None otherwise."""
    others = [m.id for m in guide.models if m.id != model.id and any(i.id == key for i in model_inputs(guide, m))]
    if others:
        return (
            f"`{key}` is an input of model `{others[0]}`, not of model `{model.id}`",
            f"this evidence says `model: {model.id}`: check `model`, or leave `{key}` out",
        )
    if guide.input(key) is not None:
        return None
    for other in _other_editions(guide.edition, edition):
        found = _bundled_inputs(other).get(key)
        if found is not None:
            which = f"model `{found[0]}` of edition {other}" if found else f"edition {other}"
            return (
                f"`{key}` is not an input of guide {guide.edition}; it is an input of {which}",
                f"score this evidence with the guide of edition {other}, or leave `{key}` out",
            )
    return None


def _other_editions(current: str, stated: str | None) -> list[str]:
    from .loader import bundled_editions

    editions = [e for e in reversed(bundled_editions()) if e != current]  # newest first
    if stated in editions:
        editions.remove(stated)
        editions.insert(0, stated)
    return editions


_BUNDLED_INPUTS: dict[str, dict[str, tuple[str, ...]]] = {}


def _bundled_inputs(edition: str) -> dict[str, tuple[str, ...]]:
    """input id → the models that read it, for a bundled edition (loaded once; {} if it
    cannot be loaded)."""
    found = _BUNDLED_INPUTS.get(edition)
    if found is None:
        from ..errors import TaqyeemError
        from .loader import load_guide

        try:
            g = load_guide(edition, check=False)
        except TaqyeemError:
            found = {}
        else:
            found = {i.id: tuple(m.id for m in g.models if any(x.id == i.id for x in model_inputs(g, m)))
                     for i in g.inputs}
        _BUNDLED_INPUTS[edition] = found
    return found


_TOP_KEYS = frozenset({"format", "centre", "model", "edition", "cycle", "notes", "inputs"})


def _input_ok(inp: Input, value: Any) -> bool:
    if value is None:
        return not inp.required
    return input_type(inp).ok(inp, value)


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
    known = _allowed_inputs(guide, model)
    if len(inputs) > len(known) or not inputs.keys() <= {i.id for i, _ in known}:
        return False
    for inp, required in known:
        if inp.id in inputs:
            value = inputs[inp.id]
            if not (_input_ok(inp, value) or (value is None and not required)):
                return False
        elif required:
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
    """Validate evidence given as Python data, shaped like an evidence file: numbers as
    ``Decimal`` or ``int`` (never ``float``; text is not a number), true/false as
    ``bool``. ``name`` names the data in errors (which give the path of a bad value).

    Valid evidence is recognised, and converted, by the checker generated for its model
    (:mod:`taqyeem_rules.guide.compiled`); anything else goes the general way, which
    words every error."""
    if type(data) is dict:
        model_id = data.get("model")
        if type(model_id) is str:
            model = guide.model(model_id)
            if model is not None:
                inputs = evidence_checker(guide, model)(data, other_edition)
                if inputs is not None:
                    # The data is valid, hence shaped as the checker saw it.
                    centre = data["centre"]
                    ev = Evidence(
                        centre_id=centre["id"],
                        centre_name=_text_or_str(centre.get("name")),
                        model=model.id,
                        edition=data.get("edition", guide.edition),
                        inputs=inputs,
                        source=Source(name, ""),
                        path=name,
                    )
                    # (No "spans": data given in Python has none; span_of says None.)
                    ev._cache[f"valid:{guide.fingerprint}"] = True
                    return ev
    return _evidence_from_data_general(data, guide, name=name, other_edition=other_edition)


def _evidence_from_data_general(data: Mapping[str, Any], guide: Guide, *, name: str = "<evidence>",
                                other_edition: bool = False) -> Evidence:
    """:func:`evidence_from_data` the general way (the reference, which words errors):
    the data normalised, wrapped in a document without positions, checked as a file is."""
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


def load_evidences_either(
    paths: Iterable[str | os.PathLike[str]], guides: tuple[Guide, ...], *,
    progress: Any = None,
) -> list[Evidence]:
    """Load every centre from files, folders and CSVs, each read with the first of
    ``guides`` it fits (the guide of the edition it states first; for impact). A file is
    read and parsed once; it is matched without building error messages, which are
    worded only for a file that fits no guide (the fewest findings are raised).
    ``progress(done, total)`` is called after each file."""
    files = evidence_files(paths)
    out: list[Evidence] = []
    for k, file in enumerate(files):
        out.extend(_load_either(file, guides))
        if progress is not None:
            progress(k + 1, len(files))
    check_unique_centres(out)
    return out


def _load_either(path: FsPath, guides: tuple[Guide, ...]) -> list[Evidence]:
    if path.suffix.lower() == ".csv":
        errors = []
        for guide in guides:
            try:
                return list(_load_file(path, guide, other_edition=True))
            except EvidenceError as exc:
                errors.append(exc)
        raise min(errors, key=lambda e: len(e.diagnostics))
    text = read_text(path, what="evidence", error=EvidenceError, prefix="evidence", encoding="utf-8-sig",
                     limit=MAX_FILE_BYTES)
    doc = load_document(text, display_path(path), error=EvidenceError)
    data = doc.data
    stated = str(data.get("edition")) if isinstance(data, dict) and data.get("edition") is not None else None
    order = sorted(guides, key=lambda g: g.edition != stated)
    if isinstance(data, dict) and isinstance(data.get("model"), str):
        for guide in order:
            model = guide.model(data["model"])
            if model is not None and fast_valid(data, guide, model):
                try:
                    return [evidence_from_document(doc, guide, other_edition=True)]
                except EvidenceError:
                    continue
    errors = []
    for guide in order:
        try:
            return [evidence_from_document(doc, guide, other_edition=True)]
        except EvidenceError as exc:
            errors.append(exc)
    raise min(errors, key=lambda e: len(e.diagnostics))


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
    out = []
    for k in found[:MAX_REPORTED]:
        base = columns[k].partition(".")[0]
        # an input of another model or edition is named as such, not as a misspelling
        better = explain_unknown_input(guide, model, base)
        out.append(Diagnostic(
            "evidence.unknown-key",
            f"unknown input column `{columns[k]}`: {better[0]}" if better
            else f"unknown input column `{columns[k]}` for model {model.id}",
            Span(source, header[k][1], max(header[k][2], header[k][1] + 1)),
            better[1] if better else did_you_mean(base, inputs),
        ))
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
    inputs_by_id = {i.id: i for i, _ in _allowed_inputs(guide, model)}
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
        except CsvEmptyItem as exc:
            # The place of the empty item in the file (exact for an unquoted cell).
            at = start + (source.text[start] == '"') + (len(raw) - len(raw.lstrip())) + exc.offset
            diags.append(Diagnostic(
                "evidence.list-item", f"`{col}` on row {line}: item {exc.item} of the list is empty",
                Span(source, at, at + 1),
                "write the numbers separated by `;` (20;30), with a number between every two `;`"))
            continue
        except ValueError as exc:
            code = "evidence.number" if isinstance(exc, CsvOutOfRange) else "evidence.type"
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


def _csv_value(inp: Input, text: str, item: str) -> Any:
    return input_type(inp).from_csv(inp, text, item)
