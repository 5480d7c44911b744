"""A centre's evidence: loading (YAML, JSON, CSV), its JSON Schema, and validation.

The schema of evidence files is generated from a guide's ``inputs``
(``taqyeem schema evidence 2024``): for each model, the inputs that model reads, their
types and ranges, which are required, and no others (a misspelt input is an error,
not a silently ignored key).
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path as FsPath
from typing import TYPE_CHECKING, Any

import attrs

from .._io import display_path, open_regular, path_kind, read_text
from ..dsl.limits import MAX_FILE_BYTES, MAX_ID_LENGTH, MAX_STREAM_BYTES, MAX_STREAM_RECORD
from ..dsl.numbers import canonical
from ..errors import Diagnostic, EvidenceError
from ..source import Source, Span
from .evidence_fast import evidence_checker
from .inputs import input_type
from .memo import EvidenceMemo
from .model import Input, Model, Text, centre_name
from .schema import validate
from .serialize import canonical_json
from .yamlio import Document, load_document

if TYPE_CHECKING:  # pragma: no cover
    from .guide import Guide

__all__ = [
    "Evidence",
    "evidence_from_data",
    "evidence_schema",
    "iter_evidences",
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
    #: What is worked out once and kept with the evidence (its canonical JSON and
    #: fingerprint, where each input was read, the guides it is valid for): see
    #: :class:`~.memo.EvidenceMemo`.
    memo: EvidenceMemo = attrs.field(factory=EvidenceMemo, eq=False, repr=False, init=False)

    def __hash__(self) -> int:
        return hash(self.fingerprint)

    def name(self, lang: str = "en") -> str:
        """The centre's name in ``lang`` (its id when it has none)."""
        return centre_name(self.centre_name, self.centre_id, lang)

    def to_data(self) -> dict[str, Any]:
        """Canonical data: decimals as canonical strings, sorted keys."""
        name: Any = self.centre_name.to_data() if isinstance(self.centre_name, Text) else self.centre_name
        return {
            "centre": {"id": self.centre_id, "name": name},
            "model": self.model,
            "edition": self.edition,
            "inputs": self.canonical_inputs(),
        }

    def canonical_inputs(self) -> dict[str, Any]:
        """The inputs as canonical data, by id in sorted order: numbers as canonical
        text, mappings in sorted key order (worked out once: the fingerprint and every
        result's data read it)."""
        found = self.memo.data_inputs
        if found is None:
            # (the inputs are in the order of their ids already: see _sorted_inputs)
            found = self.memo.data_inputs = {k: _canon_value(v) for k, v in self.inputs.items()}
        return found

    def canonical_json(self) -> str:
        """The canonical JSON of :meth:`to_data` (what records hold and fingerprints cover)."""
        cached = self.memo.json
        if cached is None:
            cached = self.memo.json = canonical_json(self.to_data())
        return cached

    @property
    def fingerprint(self) -> str:
        """SHA-256 of :meth:`canonical_json`."""
        cached = self.memo.fingerprint
        if cached is None:
            text = self.canonical_json().encode("utf-8")
            cached = self.memo.fingerprint = hashlib.sha256(text).hexdigest()
        return cached

    def span_of(self, input_id: str) -> Span | None:
        spans = self.memo.spans
        if spans:
            return spans.get(input_id)
        return None

    def where(self) -> str:
        return self.path or f"centre {self.centre_id}"


def _canon_value(v: Any) -> Any:
    t = type(v)
    if t is Decimal:
        return canonical(v)
    if t is bool or t is str or v is None:
        return v
    if t is dict:  # (a checklist's ticks, a survey's counts: one level, no call per bool)
        return {k: x if type(x) is bool else _canon_value(x) for k, x in sorted(v.items())}
    if t is list:
        return [canonical(x) if type(x) is Decimal else _canon_value(x) for x in v]
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
    cached = guide.memo.model_inputs.get(model.id)
    if cached is not None:
        return cached
    names = {name for c in model.criteria() for name in c.reads()}
    out = tuple(i for i in guide.inputs if i.id in names)
    guide.memo.model_inputs[model.id] = out
    return out


def unread_inputs(guide: Guide) -> tuple[Input, ...]:
    """The inputs a guide declares but no model reads (``taqyeem check`` warns about each,
    ``guide.unused-input``). Evidence of any model may give them — they are kept with the
    evidence and read by no criterion — and need not."""
    cached = guide.memo.unread_inputs
    if cached is None:
        read = {i.id for m in guide.models for i in model_inputs(guide, m)}
        cached = guide.memo.unread_inputs = tuple(i for i in guide.inputs if i.id not in read)
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


def allowed_inputs(guide: Guide, model: Model) -> tuple[tuple[Input, bool], ...]:
    """(input, required) for every input the model's evidence may give, in guide order."""
    cached = guide.memo.allowed_inputs.get(model.id)
    if cached is None:
        reads = {i.id for i in model_inputs(guide, model)}
        unread = {i.id for i in unread_inputs(guide)}
        cached = guide.memo.allowed_inputs[model.id] = tuple(
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
        inputs = allowed_inputs(guide, m)
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
        from ..dsl.hints import did_you_mean

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
    checks = guide.memo.kind_rules.get(model.id)
    if checks is None:
        from .kinds import CriterionKind

        checks = guide.memo.kind_rules[model.id] = tuple(
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
    known = allowed_inputs(guide, model)
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
    schema = guide.memo.evidence_schemas.get(model)
    if schema is None:
        schema = guide.memo.evidence_schemas[model] = evidence_schema(guide, model)
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
    ev.memo.spans = {k: doc.span(("inputs", k)) for k in data["inputs"]}
    ev.memo.valid_for.add(guide.fingerprint)
    return ev


def evidence_from_data(data: Mapping[str, Any], guide: Guide, *, name: str = "<evidence>",
                       other_edition: bool = False) -> Evidence:
    """Validate evidence given as Python data, shaped like an evidence file: numbers as
    ``Decimal`` or ``int`` (never ``float``; text is not a number), true/false as
    ``bool``. ``name`` names the data in errors (which give the path of a bad value).

    Valid evidence is recognised, and converted, by the checker generated for its model
    (:mod:`taqyeem_rules.guide.evidence_fast`); anything else goes the general way, which
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
                    ev.memo.valid_for.add(guide.fingerprint)
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


def relocated(evidence: Evidence, *, source: Source | None, path: str) -> Evidence:
    """The same evidence said to come from ``path`` (a row of a CSV, a line of a JSON
    Lines file): its values, and so its validity for the guides it was checked against,
    unchanged (the memo is not copied by ``attrs.evolve``; what holds of the values is
    carried over)."""
    moved = attrs.evolve(evidence, source=source, path=path)
    moved.memo.valid_for |= evidence.memo.valid_for
    return moved


def validated(evidence: Evidence, guide: Guide, *, other_edition: bool = False) -> Evidence:
    """The evidence, validated against ``guide`` (once; the answer is cached)."""
    if guide.fingerprint in evidence.memo.valid_for and (other_edition or evidence.edition == guide.edition):
        return evidence
    # The values themselves, not to_data() (whose numbers are strings the schema refuses).
    data = evidence.to_data()
    data["inputs"] = dict(evidence.inputs)
    if data["centre"]["name"] is None:
        del data["centre"]["name"]
    name = evidence.path or f"centre-{evidence.centre_id}"
    checked = evidence_from_data(data, guide, name=name, other_edition=other_edition)
    evidence.memo.valid_for.add(guide.fingerprint)
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
    from ..errors import UsageError

    if isinstance(paths, str | bytes | os.PathLike):
        raise UsageError(
            f"expected a list of paths, got one path: {os.fsdecode(paths)!r}",
            code="usage.evidence",
            hint=f"put it in a list: [{os.fsdecode(paths)!r}]",
        )
    out: list[FsPath] = []
    for p in paths:
        if not isinstance(p, str | os.PathLike):
            raise UsageError(
                f"expected the path of an evidence file or folder, got {type(p).__name__}",
                code="usage.evidence",
                hint="paths are read from disk; for evidence given as Python data, "
                     "use guide.score(data) or taqyeem_rules.guide.evidence.evidence_from_data(data, guide)",
            )
        path = FsPath(p)
        kind = path_kind(path, error=EvidenceError, prefix="evidence", what="evidence")
        if kind == "folder":
            found = sorted(
                f for f in path.iterdir()
                if f.suffix.lower() in (".yaml", ".yml", ".json", ".csv", ".jsonl")
                and path_kind(f, error=EvidenceError, prefix="evidence", what="evidence") == "file"
            )
            if not found:
                raise EvidenceError(f"no evidence files (.yaml, .json, .csv, .jsonl) in {path}",
                                    code="evidence.not-found")
            out.extend(found)
        elif kind is not None:  # a file (anything else is refused when it is read)
            out.append(path)
        else:
            raise EvidenceError(f"no evidence file or folder at {path}", code="evidence.not-found")
    return out


def load_evidences(
    paths: Iterable[str | os.PathLike[str]], guide: Guide, *, other_edition: bool = False
) -> list[Evidence]:
    """Load every centre from files, folders, CSVs and JSON Lines files; all errors are
    collected and raised together (for one centre at a time, see :func:`iter_evidences`)."""
    diags: list[Diagnostic] = []
    out = list(iter_evidences(paths, guide, other_edition=other_edition,
                              on_error=lambda exc: diags.extend(exc.diagnostics), unique=False))
    if diags:
        raise EvidenceError(diagnostics=diags)
    check_unique_centres(out)
    return out


#: The suffixes of evidence files read a centre at a time.
STREAMED = (".csv", ".jsonl")


def iter_evidences(
    paths: Iterable[str | os.PathLike[str]],
    guide: Guide,
    *,
    other_edition: bool = False,
    on_error: Callable[[EvidenceError], None] | None = None,
    unique: bool = True,
) -> Iterator[Evidence]:
    """Every centre of files, folders, CSVs and JSON Lines files (``.jsonl``: one
    evidence per line), one at a time — the streaming path: a CSV or JSON Lines file is
    read row by row (up to :data:`~taqyeem_rules.dsl.limits.MAX_STREAM_BYTES`), so memory
    holds one centre however large the file; a YAML or JSON file holds one centre.

    A centre that is not valid raises its :class:`EvidenceError` (every finding with its
    file, line and column) when it is reached — or, with ``on_error``, is handed to it
    and left out, and the reading goes on. With ``unique`` (the default) a centre met a
    second time for the same model is such an error too (``evidence.duplicate-centre``);
    the ids seen are all that is kept."""
    seen: dict[tuple[str, str], str] = {}

    def fail(exc: EvidenceError) -> None:
        if on_error is None:
            raise exc
        on_error(exc)

    for file in evidence_files(paths):
        try:
            items = _file_items(file, guide, other_edition=other_edition)
            for item in items:
                if isinstance(item, EvidenceError):
                    fail(item)
                    continue
                if unique:
                    key = (item.centre_id, item.model)
                    if key in seen:
                        fail(EvidenceError(
                            f"centre {item.centre_id} ({item.model}) appears twice: in {seen[key]} and {item.where()}",
                            code="evidence.duplicate-centre",
                            hint="each centre is scored once per cycle; remove one",
                        ))
                        continue
                    seen[key] = item.where()
                yield item
        except EvidenceError as exc:  # the file itself: not found, not readable, too large
            fail(exc)


def _file_items(path: FsPath, guide: Guide, *, other_edition: bool) -> Iterator[Evidence | EvidenceError]:
    """The centres of one file, or the errors of those that are not valid."""
    suffix = path.suffix.lower()
    if suffix not in STREAMED:
        try:
            yield from _load_file(path, guide, other_edition=other_edition)
        except EvidenceError as exc:
            yield exc
        return
    from .evidence_csv import csv_items  # (they build each centre's evidence with this module)
    from .evidence_jsonl import jsonl_items

    name = display_path(path)
    read = csv_items if suffix == ".csv" else jsonl_items
    yield from read(_text_lines(path), name, guide, other_edition=other_edition)


def _text_lines(path: FsPath) -> Iterator[str]:
    """The lines of a UTF-8 text file, read as they are needed (line ends as text mode
    reads them; a byte-order mark dropped). A file over MAX_STREAM_BYTES, a line over
    MAX_STREAM_RECORD characters, a line that is not UTF-8 or a file that cannot be read
    is an :class:`EvidenceError` naming the line (the lines before it have been given)."""
    limit = 4 * MAX_STREAM_RECORD + 4  # bytes: (a UTF-8 character takes up to 4)
    with open_regular(path, what="evidence", error=EvidenceError, prefix="evidence",
                      limit=MAX_STREAM_BYTES) as handle:
        number = 0
        while True:
            try:
                raw = handle.readline(limit)
            except OSError as exc:
                raise EvidenceError(f"cannot read {path}: {exc.strerror}", code="evidence.io") from None
            if not raw:
                return
            number += 1
            if len(raw) >= limit and not raw.endswith(b"\n"):
                raise EvidenceError(
                    f"line {number} of {path} runs over {MAX_STREAM_RECORD:,} characters, the limit for one centre",
                    code="evidence.too-large", hint="one line holds one centre (a CSV row, a JSON Lines line)")
            try:
                text = raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError as exc:
                raise EvidenceError(
                    f"{path} is not UTF-8 text ({exc.reason} on line {number})",
                    code="evidence.encoding", hint="save the evidence file as UTF-8",
                ) from None
            if "\r" in text:  # line ends as text mode reads them (universal newlines)
                parts = text.replace("\r\n", "\n").split("\r")
                for part in parts[:-1]:
                    yield part + "\n"
                if parts[-1]:
                    yield parts[-1]
                continue
            yield text


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
        from .evidence_csv import load_csv  # (it builds each row's evidence with this module)

        yield from load_csv(text, name, guide, other_edition=other_edition)
        return
    if path.suffix.lower() == ".jsonl":
        import io

        from .evidence_jsonl import jsonl_items

        diags: list[Diagnostic] = []
        for item in jsonl_items(io.StringIO(text, newline="\n"), name, guide, other_edition=other_edition):
            if isinstance(item, EvidenceError):
                diags.extend(item.diagnostics)
            else:
                yield item
        if diags:
            raise EvidenceError(diagnostics=diags)
        return
    doc = load_document(text, name, error=EvidenceError)
    yield evidence_from_document(doc, guide, other_edition=other_edition)
