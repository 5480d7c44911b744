"""Cycle records, the format: one self-contained JSON file per evaluation cycle, written and read.

A record holds everything needed to recompute a cycle years later: the canonical
materialised guide, every centre's evidence and traced result, the engine and plugin
versions, and SHA-256 fingerprints of every part. It is canonical by construction —
centres in the guide's model order then by centre id, sorted keys, decimals as strings,
no clock, no machine data — so the same inputs give byte-identical files anywhere.

The layout is one JSON document written one part per line, so that 10,000 centres are
written and read back a line at a time, never held in memory together::

    {"format":"taqyeem-record/1",
    "cycle":"Taqyeem 5",
    "engine":{"name":"taqyeem_rules","version":"0.1.0"},
    "plugins":[],
    "guide_fingerprint":"<sha-256 of the guide's canonical JSON>",
    "guide":{…the canonical guide…},
    "count":12,
    "centres":[
    {"evidence":{…},"evidence_fingerprint":"…","result":{…},"result_fingerprint":"…"},
    …
    {"evidence":{…},"evidence_fingerprint":"…","result":{…},"result_fingerprint":"…"}
    ],
    "fingerprint":"<sha-256 of every byte above this line>"}

Every value is canonical JSON (UTF-8, sorted keys, no spaces). The evidence and result
fingerprints are the SHA-256 of their JSON text exactly as it stands in the file; the
record fingerprint is the SHA-256 of all the lines before the last one
(``head -n -1 cycle.json | sha256sum``).

This module is the record's format: the writer (:func:`record_cycle`) and the
line-framed reader (:class:`RecordReader`), so the byte layout lives in one place.
:func:`replay` (in :mod:`.replayer`) reads a record with the reader, rebuilds the guide
from it (never from the current files), checks every fingerprint, re-scores every centre
and compares the results exactly; it reports in the types of :mod:`.record_report`.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import attrs

from .._io import atomic_output, open_regular, path_kind, size_text
from .._text import json_too_deep
from .._version import __version__
from ..dsl.limits import MAX_DEPTH, MAX_RECORD_BYTES, MAX_RECORD_LINE
from ..dsl.numbers import NumberTextError, in_analysis_context, read_number
from ..errors import Diagnostic, EvidenceError, RecordError, ScoringError, TaqyeemError
from ..guide.evidence import Evidence, check_unique_centres
from ..guide.guide import Guide
from ..guide.serialize import canonical_json
from .compile import compile_model
from .formats import RECORD_FORMAT, RECORD_FORMATS, RESULT_FORMAT
from .record_report import (
    CentreReplay,
    CycleRecord,
    IntegrityFinding,
    ReplayDifference,
    ReplayReport,
    plain_value,
)
from .score import prepare, score

__all__ = [
    "RECORD_FORMAT",
    "CentreLine",
    "CentreReplay",
    "CycleRecord",
    "IntegrityFinding",
    "RecordReader",
    "ReplayDifference",
    "ReplayReport",
    "centre_line",
    "open_record",
    "record_cycle",
]

ENGINE_NAME = "taqyeem_rules"

Progress = Callable[[int, int], None]


class _NumberError(Exception):
    """A number in a record's JSON beyond the language's range (raised while decoding)."""


def _json_number(text: str) -> Decimal:
    try:
        return read_number(text)
    except NumberTextError as exc:
        raise _NumberError(exc.message) from None


def _json_int(text: str) -> int | Decimal:
    # Python's int() refuses more than 4,300 digits; no whole number of a record has 19.
    return int(text) if len(text) <= 18 else _json_number(text)


_DECODER = json.JSONDecoder(parse_float=_json_number, parse_int=_json_int)
_EVIDENCE_OPEN = '{"evidence":'
_EVIDENCE_FP = ',"evidence_fingerprint":'
_RESULT_OPEN = ',"result":'
_RESULT_FP = ',"result_fingerprint":'
_CENTRES_OPEN = b'"centres":[\n'
_CENTRES_CLOSE = b"],\n"
_FINGERPRINT_KEY = b'"fingerprint":'


def fingerprint_of(data: bytes) -> str:
    """The SHA-256 (hex) of bytes: every fingerprint of a record."""
    return hashlib.sha256(data).hexdigest()


# ---- writing ---------------------------------------------------------------------------------


def _canonical_order(
    guide: Guide, evidences: Iterable[Evidence | Mapping[str, Any]]
) -> list[Evidence]:
    """Validate every centre and put them in the record's order: the guide's model order,
    then centre id (by code point). The order the files were given in does not matter."""
    items: list[Evidence] = []
    diags: list[Diagnostic] = []
    for ev in evidences:
        try:
            items.append(prepare(guide, ev))
        except EvidenceError as exc:
            diags.extend(exc.diagnostics)
    if diags:
        raise EvidenceError(diagnostics=diags)
    order = {m.id: k for k, m in enumerate(guide.models)}
    items.sort(key=lambda e: (order.get(e.model, len(order)), e.centre_id))
    check_unique_centres(items)
    return items


def _header_lines(
    guide: Guide, cycle: str, plugins: list[dict[str, str]], count: int
) -> list[bytes]:
    parts: list[tuple[str, Any]] = [
        ("format", RECORD_FORMAT),
        ("cycle", cycle),
        ("engine", {"name": ENGINE_NAME, "version": __version__}),
        ("plugins", plugins),
        ("guide_fingerprint", guide.fingerprint),
        ("guide", guide.to_canonical()),
        ("count", count),
    ]
    lines = []
    for k, (key, value) in enumerate(parts):
        lines.append(f'{"{" if k == 0 else ""}"{key}":{canonical_json(value)},\n'.encode())
    return lines


def centre_line(evidence: Evidence, result_data: Mapping[str, Any]) -> str:
    """One centre's line (without its separator): canonical JSON of evidence, result and
    their fingerprints."""
    r_json = canonical_json(result_data)
    return (
        f'{_EVIDENCE_OPEN}{evidence.canonical_json()}{_EVIDENCE_FP}"{evidence.fingerprint}"'
        f'{_RESULT_OPEN}{r_json}{_RESULT_FP}"{fingerprint_of(r_json.encode())}"}}'
    )


def _write_record(
    out: IO[bytes], guide: Guide, items: list[Evidence], cycle: str, progress: Progress | None
) -> tuple[str, int]:
    models = [guide.model(m) for m in dict.fromkeys(e.model for e in items)]
    plugins = sorted({p for m in models if m is not None for p in compile_model(guide, m).plugins})
    plugin_data = [{"name": n, "plugin": p, "version": v} for n, p, v in plugins]
    digest = hashlib.sha256()
    size = 0

    def put(data: bytes) -> None:
        nonlocal size
        digest.update(data)
        out.write(data)
        size += len(data)

    for line in _header_lines(guide, cycle, plugin_data, len(items)):
        put(line)
    put(_CENTRES_OPEN)
    failures: list[Diagnostic] = []
    last = len(items) - 1
    for k, ev in enumerate(items):
        try:
            result = score(guide, ev, trace=True)
        except TaqyeemError as exc:
            failures.extend(exc.errors or exc.diagnostics)
        else:
            if not failures:
                put((centre_line(ev, result.to_dict(RESULT_FORMAT)) + (",\n" if k < last else "\n")).encode())
        if progress is not None:
            progress(k + 1, len(items))
    if failures:
        raise ScoringError(diagnostics=failures)
    put(_CENTRES_CLOSE)
    fingerprint = digest.hexdigest()
    tail = f'"fingerprint":"{fingerprint}"}}\n'.encode()
    out.write(tail)
    return fingerprint, size + len(tail)


@in_analysis_context
def record_cycle(
    guide: Guide,
    evidences: Iterable[Evidence | Mapping[str, Any]],
    *,
    cycle: str,
    path: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
) -> CycleRecord:
    """Score every centre and write the cycle's record (see the module docs for the layout).

    With ``path``, the record is written atomically (a temporary file, flushed to disk,
    then renamed over ``path``); without, its bytes are returned in ``CycleRecord.data``.
    Raises :class:`~taqyeem_rules.errors.EvidenceError` for invalid or duplicate evidence
    and :class:`~taqyeem_rules.errors.ScoringError` (naming every centre that failed)
    when a centre cannot be scored; nothing is written then. ``progress(done, total)`` is
    called after each centre.
    """
    if not isinstance(cycle, str) or not cycle.strip():
        raise RecordError(
            "a cycle record needs the cycle's name",
            code="record.cycle",
            hint='for example cycle="Taqyeem 5"',
        )
    try:
        cycle.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise RecordError(
            f"the cycle's name is not Unicode text: {cycle[exc.start]!r} at character {exc.start + 1}",
            code="record.cycle",
            hint="a lone surrogate is what bytes that are not UTF-8 become when decoded; give the name as text",
        ) from None
    items = _canonical_order(guide, evidences)
    if not items:
        raise RecordError(
            "there are no centres to record",
            code="record.empty",
            hint="give the evidence of at least one centre",
        )
    if path is None:
        buffer = io.BytesIO()
        fingerprint, size = _write_record(buffer, guide, items, cycle, progress)
        data: bytes | None = buffer.getvalue()
        where = None
    else:
        with atomic_output(path, error=RecordError, code="record.io") as handle:
            fingerprint, size = _write_record(handle, guide, items, cycle, progress)
        data, where = None, os.fspath(path)
    return CycleRecord(
        cycle, guide.edition, guide.fingerprint, fingerprint, len(items), size, where, data
    )


# ---- reading ---------------------------------------------------------------------------------


@attrs.frozen
class CentreLine:
    """One centre's line as read: its evidence (decoded), the evidence and result JSON texts
    exactly as they stand in the file (the fingerprints are over these), and the
    fingerprints recorded beside them."""

    evidence: Any
    evidence_text: str
    evidence_fingerprint: str
    result_text: str
    result_fingerprint: str


class RecordReader:
    """A record's lines, numbered, hashed as they are read, with clear errors: the
    reading half of the format, part by part in the order :func:`record_cycle` writes them
    (:meth:`field` for each header line, :meth:`open_centres`, :meth:`centre` until it
    gives None, :meth:`fingerprint`)."""

    def __init__(self, handle: IO[Any], name: str) -> None:
        self._handle = handle
        self.name = name
        self.number = 0
        self.size = 0
        self.digest = hashlib.sha256()
        self._centres = 0
        self._last_had_comma = False

    # ---- lines -----------------------------------------------------------------------------

    def _read(self) -> bytes:
        """The next line, read only up to the limits (size of a line, of the record)."""
        try:
            line = self._handle.readline(MAX_RECORD_LINE + 1)
        except OSError as exc:
            raise RecordError(f"cannot read {self.name}: {exc}", code="record.io") from None
        if isinstance(line, str):
            line = line.encode("utf-8")
        self.size += len(line)
        if len(line) > MAX_RECORD_LINE:
            self.number += 1
            raise self.error(
                f"the line is longer than {size_text(MAX_RECORD_LINE)}, the limit for one line "
                "of a record", code="record.too-large",
                hint="the limits are listed in docs/errors.md (Limits of files and data)")
        if self.size > MAX_RECORD_BYTES:
            raise RecordError(
                f"{self.name} is larger than {size_text(MAX_RECORD_BYTES)}, the limit for a record file",
                code="record.too-large",
                hint="the limits are listed in docs/errors.md (Limits of files and data)")
        return line

    def next(self, what: str, *, hash_it: bool = True) -> bytes:
        line = self._read()
        if not line:
            raise self.truncated(what)
        self.number += 1
        if not line.endswith(b"\n"):
            raise self.truncated(what, partial=True)
        if json_too_deep(line, MAX_DEPTH):
            raise self.error(f"the line nests deeper than {MAX_DEPTH} levels, the limit",
                             code="record.depth",
                             hint="a record written by `taqyeem record` nests a dozen levels; this one was altered")
        if hash_it:
            self.digest.update(line)
        return line

    def end(self) -> None:
        extra = self._read()
        if not extra:
            return
        raise self.error(
            f"there is more after the end of the record (line {self.number + 1}: {_clip(extra)})",
            code="record.trailing",
            hint="a record ends with its fingerprint line; remove what follows",
        )

    def truncated(self, what: str, *, partial: bool = False) -> RecordError:
        where = (
            f"in the middle of line {self.number} ({what})"
            if partial
            else f"after line {self.number}: expected {what}"
        )
        message = f"{self.name} ends early, {where}; the record is truncated"
        if self.number == 0 and not partial:
            message = f"{self.name} is empty: it is not a cycle record"
        return RecordError(
            message,
            code="record.truncated",
            hint="the file was cut short (an interrupted copy or download?); use the complete file",
        )

    def error(
        self, message: str, *, code: str = "record.corrupt", hint: str | None = None
    ) -> RecordError:
        return RecordError(
            f"{self.name}, line {self.number}: {message}",
            code=code,
            hint=hint
            or "the record is damaged; replay an intact copy (its fingerprint is on the last line)",
        )

    def type_error(self, what: str, expected: str, value: Any) -> RecordError:
        """``what`` (a part just read) is not of the type the format says."""
        text = json.dumps(plain_value(value), ensure_ascii=False, default=str)
        return self.error(f"{what} must be {expected}, not {_clip(text)}", code="record.type")

    def decode(self, raw: bytes) -> str:
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise self.error(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None

    # ---- the parts -------------------------------------------------------------------------

    def field(self, key: str, *, first: bool = False) -> tuple[Any, bytes]:
        """Read ``"key":value,`` (the value's JSON bytes kept for hashing)."""
        raw = self.next(f"the `{key}` line")
        prefix = ("{" if first else "") + f'"{key}":'
        bprefix = prefix.encode()
        if not raw.startswith(bprefix) or not raw.endswith(b",\n"):
            if first:
                if raw.lstrip().startswith(b"{"):
                    raise self.error(
                        f"not a cycle record in its canonical layout (it starts with {_shown(raw)}, "
                        f'not {{"format":…)',
                        code="record.layout",
                        hint="a record must be kept exactly as `taqyeem record` wrote it; do not reformat it",
                    )
                raise self.error(
                    f"not a cycle record (it starts with {_shown(raw)})",
                    code="record.not-a-record",
                    hint="give a file written by `taqyeem record`",
                )
            raise self.error(
                f"expected the `{key}` line, found {_shown(raw)}",
                code="record.layout",
                hint="a record must be kept exactly as `taqyeem record` wrote it; do not reformat it",
            )
        body = raw[len(bprefix) : -2]
        try:
            value = _DECODER.decode(self.decode(body))
        except json.JSONDecodeError as exc:
            raise self.error(
                f"the `{key}` value is not valid JSON ({exc.msg}; column {exc.colno + len(prefix)})"
            ) from None
        except _NumberError as exc:
            raise self.error(f"the `{key}` value holds a number out of range: {exc}",
                             code="record.number") from None
        return value, body

    def format(self) -> str:
        """The first line: the record's format, one this version reads."""
        value = self.field("format", first=True)[0]
        if not isinstance(value, str):
            raise self.type_error("the format", "a string", value)
        if value not in RECORD_FORMATS:
            known = ", ".join(RECORD_FORMATS)
            if value.startswith("taqyeem-record/"):
                raise RecordError(
                    f"{self.name} is a record of format {value}; this version of taqyeem_rules "
                    f"({__version__}) reads {known}",
                    code="record.format",
                    hint="replay it with the taqyeem_rules version that wrote it, or a newer one",
                )
            raise RecordError(
                f"{self.name}: unknown record format {value!r}",
                code="record.format",
                hint=f"this version of taqyeem_rules reads {known}",
            )
        return value

    def open_centres(self) -> None:
        raw = self.next("the `centres` line")
        if raw != _CENTRES_OPEN:
            raise self.error(
                f"expected the `centres` line, found {_shown(raw)}", code="record.layout"
            )

    def centre(self) -> CentreLine | None:
        """The next centre's line, or None at the end of the centres."""
        raw = self.next("a centre or the end of the centres (`],`)")
        if raw == _CENTRES_CLOSE:
            if self._centres and self._last_had_comma:
                raise self.error(
                    "the last centre is followed by a comma", code="record.layout"
                )
            return None
        if self._centres and not self._last_had_comma:
            raise self.error(
                "a centre follows the last one without a comma", code="record.layout"
            )
        text = self.decode(raw)
        self._last_had_comma = text.endswith(",\n")
        body = text[:-2] if self._last_had_comma else text[:-1]
        self._centres += 1
        return self._split(body)

    def _split(self, body: str) -> CentreLine:
        if not body.startswith(_EVIDENCE_OPEN):
            raise self.error(
                f"expected a centre ({_EVIDENCE_OPEN}…), found {_shown(body)}",
                code="record.layout",
            )
        start = len(_EVIDENCE_OPEN)
        try:
            evidence, end = _DECODER.raw_decode(body, start)
            if not body.startswith(_EVIDENCE_FP, end):
                raise ValueError("expected the evidence fingerprint after the evidence")
            e_fp, r_start = _DECODER.raw_decode(body, end + len(_EVIDENCE_FP))
            if not body.startswith(_RESULT_OPEN, r_start):
                raise ValueError("expected the result after the evidence fingerprint")
            r_start += len(_RESULT_OPEN)
            cut = body.rfind(_RESULT_FP)
            if cut < r_start or not body.endswith("}"):
                raise ValueError("expected the result fingerprint at the end of the line")
            r_fp = _DECODER.decode(body[cut + len(_RESULT_FP) : -1])
        except json.JSONDecodeError as exc:
            raise self.error(
                f"the centre is not valid JSON ({exc.msg}; column {exc.colno})"
            ) from None
        except ValueError as exc:
            raise self.error(str(exc), code="record.layout") from None
        except _NumberError as exc:
            raise self.error(f"the centre holds a number out of range: {exc}",
                             code="record.number") from None
        for what, value in (("the evidence fingerprint", e_fp), ("the result fingerprint", r_fp)):
            if not isinstance(value, str):
                raise self.type_error(what, "a string", value)
        return CentreLine(evidence, body[start:end], e_fp, body[r_start:cut], r_fp)

    def result(self, text: str) -> dict[str, Any]:
        """A centre's result text (:attr:`CentreLine.result_text`) decoded."""
        try:
            data = _DECODER.decode(text)
        except json.JSONDecodeError as exc:
            raise self.error(f"the centre's result is not valid JSON ({exc.msg})") from None
        except _NumberError as exc:  # pragma: no cover - _split decoded the same text
            raise self.error(f"the centre's result holds a number out of range: {exc}",
                             code="record.number") from None
        if not isinstance(data, dict):
            raise self.type_error("the result", "an object", data)
        return data

    def fingerprint(self) -> tuple[str, str]:
        """The last line: (the recorded fingerprint, the fingerprint of every line before
        it); nothing may follow."""
        computed = self.digest.hexdigest()
        raw = self.next("the fingerprint line", hash_it=False)
        if not raw.startswith(_FINGERPRINT_KEY) or not raw.endswith(b"}\n"):
            raise self.error(
                f"expected the fingerprint line, found {_shown(raw)}", code="record.layout"
            )
        try:
            fingerprint = _DECODER.decode(self.decode(raw[len(_FINGERPRINT_KEY) : -2]))
        except json.JSONDecodeError as exc:
            raise self.error(f"the fingerprint is not valid JSON ({exc.msg})") from None
        except _NumberError as exc:
            raise self.error(f"the fingerprint is a number out of range: {exc}",
                             code="record.number") from None
        if not isinstance(fingerprint, str):
            raise self.type_error("the fingerprint", "a string", fingerprint)
        self.end()
        return fingerprint, computed


def _clip(raw: bytes | str, size: int = 60) -> str:
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else raw
    text = text.rstrip("\n")
    if any(ch == "\ufffd" or (not ch.isprintable() and ch not in "\t\r") for ch in text[:size]):
        return _BINARY
    return text if len(text) <= size else text[:size] + "…"


_BINARY = "binary data, not text"


def _shown(raw: bytes | str) -> str:
    """The start of a line, quoted, for a message (or that it is not text)."""
    text = _clip(raw)
    return text if text == _BINARY else repr(text)


def open_record(record: Any) -> tuple[IO[Any], str, bool]:
    """(a binary handle, the name to report, whether to close it) for what :func:`replay` takes."""
    if isinstance(record, CycleRecord):
        if record.data is not None:
            return io.BytesIO(record.data), record.path or "<record>", True
        if record.path is None:  # pragma: no cover - a CycleRecord always has one or the other
            raise RecordError("this CycleRecord has neither data nor a path", code="record.io")
        record = record.path
    if isinstance(record, bytes | bytearray | memoryview):
        return io.BytesIO(bytes(record)), "<record>", True
    if isinstance(record, str | os.PathLike):
        path = Path(record)
        kind = path_kind(path, error=RecordError, prefix="record", what="record")
        if kind is None:
            raise RecordError(
                f"no record at {path}",
                code="record.not-found",
                hint="give the path of a file written by `taqyeem record`",
            )
        if kind == "folder":
            raise RecordError(f"{path} is a folder, not a record", code="record.not-a-file",
                              hint="give the path of a file written by `taqyeem record`")
        handle = open_regular(path, what="record", error=RecordError, prefix="record",
                              limit=MAX_RECORD_BYTES)
        return handle, os.fspath(record), True
    if hasattr(record, "read"):
        return record, getattr(record, "name", "<record>"), False
    raise RecordError(
        f"cannot replay an object of type {type(record).__name__}",
        code="record.usage",
        hint="give a path, the record's bytes, or a CycleRecord",
    )


def __getattr__(name: str) -> Any:
    # `replay` is importable from here, where the format is (the replay engine imports
    # this module's reader, so it is looked up when asked for).
    if name == "replay":
        from .replayer import replay

        return replay
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
