"""Cycle records: one self-contained JSON file per evaluation cycle, and its replay.

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

:func:`replay` rebuilds the guide from the record (never from the current files), checks
every fingerprint, re-scores every centre and compares the results exactly.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

import attrs

from .._io import atomic_output, open_regular, path_kind, size_text
from ..dsl.limits import MAX_DEPTH, MAX_RECORD_BYTES, MAX_RECORD_LINE
from ..dsl.numbers import NumberTextError, read_number
from ..errors import Diagnostic, EvidenceError, RecordError, ScoringError, TaqyeemError
from ..guide.evidence import Evidence, check_unique_centres, evidence_from_data
from ..guide.guide import Guide
from ..guide.inputs import input_type
from ..guide.serialize import canonical_json
from .compile import compile_model
from .formats import RECORD_FORMAT, RECORD_FORMATS, RESULT_FORMAT
from .score import prepare, score

__all__ = [
    "RECORD_FORMAT",
    "CentreReplay",
    "CycleRecord",
    "IntegrityFinding",
    "ReplayDifference",
    "ReplayReport",
    "record_cycle",
    "replay",
]

ENGINE_NAME = "taqyeem_rules"

Progress = Callable[[int, int], None]

_HEX64 = re.compile(r"[0-9a-f]{64}")


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


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _version() -> str:
    from .._version import __version__

    return __version__


# ---- writing ---------------------------------------------------------------------------------


@attrs.frozen
class CycleRecord:
    """What :func:`record_cycle` wrote: where, how many centres, and the fingerprints.

    ``data`` holds the record's bytes when it was not written to a file (``path=None``).
    """

    cycle: str
    edition: str
    guide_fingerprint: str
    fingerprint: str
    count: int
    size: int
    path: str | None = None
    data: bytes | None = attrs.field(default=None, repr=False)

    def to_dict(self) -> dict[str, Any]:
        return {
            "cycle": self.cycle,
            "edition": self.edition,
            "guide_fingerprint": self.guide_fingerprint,
            "fingerprint": self.fingerprint,
            "count": self.count,
            "size": self.size,
            "path": self.path,
        }


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
        ("engine", {"name": ENGINE_NAME, "version": _version()}),
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
        f'{_RESULT_OPEN}{r_json}{_RESULT_FP}"{_sha(r_json.encode())}"}}'
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


# ---- the replay report -----------------------------------------------------------------------


@attrs.frozen
class IntegrityFinding:
    """A part of the record that does not match its fingerprint (or is out of place).

    ``part`` is one of ``guide``, ``guide_fingerprint``, ``evidence``,
    ``evidence_fingerprint``, ``result``, ``result_fingerprint``, ``order``, ``count``,
    ``plugins`` or ``record``; for a centre's part, ``index`` is its 0-based position in
    the record and ``centre``/``model`` name it; ``field`` names the altered field when
    it can be told.
    """

    code: str
    part: str
    message: str
    index: int | None = None
    centre: str | None = None
    model: str | None = None
    field: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


@attrs.frozen
class ReplayDifference:
    """One value that the replay computed differently from the record.

    ``path`` is where in the result (``total``, ``categories.access.score``,
    ``criteria.W1.points``, ``criteria.W1.inputs.waiting_minutes``); ``criterion`` and
    ``input`` name the criterion and input concerned, and ``inputs`` the values the
    criterion read in the replay. ``note`` explains a centre that could not be replayed.
    """

    index: int
    centre: str
    model: str
    path: str
    recorded: Any
    replayed: Any
    criterion: str | None = None
    category: str | None = None
    input: str | None = None
    inputs: Mapping[str, Any] | None = None
    note: str | None = None

    @property
    def message(self) -> str:
        where = f"centre {self.centre} ({self.model})"
        if self.note:
            return f"{where}: {self.note}"
        text = f"{where}: {self.path or 'result'}: recorded {_show(self.recorded)}, replayed {_show(self.replayed)}"
        if self.inputs:
            text += (
                " (reads " + ", ".join(f"{k} = {_show(v)}" for k, v in self.inputs.items()) + ")"
            )
        return text

    def to_dict(self) -> dict[str, Any]:
        out = attrs.asdict(self)
        out["recorded"] = _plain(self.recorded)
        out["replayed"] = _plain(self.replayed)
        out["inputs"] = _plain(self.inputs)
        out["message"] = self.message
        return out


@attrs.frozen
class CentreReplay:
    """The outcome for one centre: did the replay give back the recorded result?"""

    index: int
    centre: str
    model: str
    matches: bool
    total: str | None
    tier: str | None
    replayed_total: str | None = None
    replayed_tier: str | None = None
    differences: int = 0
    note: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return attrs.asdict(self)


_MISSING = object()


def _plain(value: Any) -> Any:
    if value is _MISSING:
        return "(absent)"
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


def _show(value: Any) -> str:
    """A value as the report shows it: text as it is, anything else as JSON."""
    if value is _MISSING:
        return "(absent)"
    if isinstance(value, str) and value and value.strip() == value:
        return value
    return json.dumps(_plain(value), ensure_ascii=False, sort_keys=True, default=str)


@attrs.frozen
class ReplayReport:
    """The outcome of :func:`replay`: the record's integrity, then every centre re-scored.

    ``ok`` holds when every fingerprint verifies and every centre's result is
    reproduced exactly. ``differences`` keeps the first ``max_differences`` differences;
    ``difference_count`` counts them all.
    """

    source: str
    format: str
    cycle: str
    edition: str | None
    engine: Mapping[str, Any]
    engine_version: str
    plugins: tuple[Mapping[str, str], ...]
    guide_fingerprint: str
    fingerprint: str
    computed_fingerprint: str
    count: int
    integrity: tuple[IntegrityFinding, ...]
    centres: tuple[CentreReplay, ...]
    differences: tuple[ReplayDifference, ...]
    difference_count: int
    replayed: bool = True

    @property
    def ok(self) -> bool:
        return (
            self.replayed
            and not self.integrity
            and self.difference_count == 0
            and all(c.matches for c in self.centres)
        )

    @property
    def matching(self) -> int:
        return sum(1 for c in self.centres if c.matches)

    def summary(self) -> str:
        if self.ok:
            return (
                f"{self.source}: all {len(self.centres)} centres of {self.cycle} replayed exactly; "
                "every fingerprint verifies"
            )
        parts = []
        if self.integrity:
            parts.append(f"{len(self.integrity)} integrity finding(s)")
        differing = len(self.centres) - self.matching
        if differing:
            parts.append(
                f"{differing} of {len(self.centres)} centre(s) differ ({self.difference_count} difference(s))"
            )
        if not self.replayed:
            parts.append("the centres could not be re-scored")
        return f"{self.source}: " + "; ".join(parts)

    def to_dict(self) -> dict[str, Any]:
        return {
            "ok": self.ok,
            "source": self.source,
            "format": self.format,
            "cycle": self.cycle,
            "edition": self.edition,
            "engine": dict(self.engine),
            "engine_version": self.engine_version,
            "plugins": [dict(p) for p in self.plugins],
            "guide_fingerprint": self.guide_fingerprint,
            "fingerprint": self.fingerprint,
            "computed_fingerprint": self.computed_fingerprint,
            "count": self.count,
            "replayed": self.replayed,
            "matching": self.matching,
            "integrity": [f.to_dict() for f in self.integrity],
            "difference_count": self.difference_count,
            "differences": [d.to_dict() for d in self.differences],
            "centres": [c.to_dict() for c in self.centres],
            "summary": self.summary(),
        }


# ---- reading -----------------------------------------------------------------------------------


class _Lines:
    """The record's lines, numbered, hashed as they are read, with clear errors."""

    def __init__(self, handle: IO[Any], name: str) -> None:
        self._handle = handle
        self.name = name
        self.number = 0
        self.size = 0
        self.digest = hashlib.sha256()

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
        if _too_deep(line):
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


_JSON_ESCAPE = re.compile(rb"\\.")
_NOT_STRUCTURE = bytes(b for b in range(256) if b not in b'"[]{}')
_SQUARE = bytes.maketrans(b"{}", b"[]")


def _too_deep(line: bytes) -> bool:
    """Whether the JSON of a line may nest deeper than MAX_DEPTH (brackets outside
    strings), found before the line is decoded: Python's decoder recurses once per level,
    also into brackets that are never closed."""
    if line.count(b"[") + line.count(b"{") <= MAX_DEPTH:
        return False
    if b"\\" in line:  # escapes first: `\"` does not end a string
        line = _JSON_ESCAPE.sub(b"", line)
    # Outside strings: every other piece between quotes (escapes are gone).
    brackets = b"".join(line.translate(None, _NOT_STRUCTURE).split(b'"')[::2]).translate(_SQUARE)
    levels = 0  # each pass removes the innermost level of closed brackets everywhere
    while levels <= MAX_DEPTH:
        inner = brackets.replace(b"[]", b"")
        if len(inner) == len(brackets):
            break
        brackets, levels = inner, levels + 1
    # What is left cannot pair any more (`]]…[[`): each `[` left is a level never closed.
    return levels + brackets.count(b"[") > MAX_DEPTH


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


def _decode(lines: _Lines, raw: bytes) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise lines.error(f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None


def _header(lines: _Lines, key: str, *, first: bool = False) -> tuple[Any, bytes]:
    """Read ``"key":value,`` (the value's JSON bytes kept for hashing)."""
    raw = lines.next(f"the `{key}` line")
    prefix = ("{" if first else "") + f'"{key}":'
    bprefix = prefix.encode()
    if not raw.startswith(bprefix) or not raw.endswith(b",\n"):
        if first:
            if raw.lstrip().startswith(b"{"):
                raise lines.error(
                    f"not a cycle record in its canonical layout (it starts with {_shown(raw)}, "
                    f'not {{"format":…)',
                    code="record.layout",
                    hint="a record must be kept exactly as `taqyeem record` wrote it; do not reformat it",
                )
            raise lines.error(
                f"not a cycle record (it starts with {_shown(raw)})",
                code="record.not-a-record",
                hint="give a file written by `taqyeem record`",
            )
        raise lines.error(
            f"expected the `{key}` line, found {_shown(raw)}",
            code="record.layout",
            hint="a record must be kept exactly as `taqyeem record` wrote it; do not reformat it",
        )
    body = raw[len(bprefix) : -2]
    try:
        value = _DECODER.decode(_decode(lines, body))
    except json.JSONDecodeError as exc:
        raise lines.error(
            f"the `{key}` value is not valid JSON ({exc.msg}; column {exc.colno + len(prefix)})"
        ) from None
    except _NumberError as exc:
        raise lines.error(f"the `{key}` value holds a number out of range: {exc}",
                          code="record.number") from None
    return value, body


def _type_error(lines: _Lines, what: str, expected: str, value: Any) -> RecordError:
    text = json.dumps(_plain(value), ensure_ascii=False, default=str)
    return lines.error(f"{what} must be {expected}, not {_clip(text)}", code="record.type")


def _check_format(lines: _Lines, value: Any) -> str:
    if not isinstance(value, str):
        raise _type_error(lines, "the format", "a string", value)
    if value not in RECORD_FORMATS:
        known = ", ".join(RECORD_FORMATS)
        if value.startswith("taqyeem-record/"):
            raise RecordError(
                f"{lines.name} is a record of format {value}; this version of taqyeem_rules "
                f"({_version()}) reads {known}",
                code="record.format",
                hint="replay it with the taqyeem_rules version that wrote it, or a newer one",
            )
        raise RecordError(
            f"{lines.name}: unknown record format {value!r}",
            code="record.format",
            hint=f"this version of taqyeem_rules reads {known}",
        )
    return value


def _check_plugins(lines: _Lines, plugins: Any) -> tuple[dict[str, str], ...]:
    from ..dsl.plugins import default_registry
    from ..errors import PluginError

    if not isinstance(plugins, list) or not all(
        isinstance(p, dict)
        and set(p) == {"name", "plugin", "version"}
        and all(isinstance(v, str) for v in p.values())
        for p in plugins
    ):
        raise _type_error(lines, "`plugins`", "a list of {name, plugin, version}", plugins)
    registry = default_registry()
    for p in plugins:
        name, dist, version = p["name"], p["plugin"], p["version"]
        if name.startswith("kind:"):
            _check_kind_plugin(name[len("kind:"):], dist, version)
            continue
        try:
            fn = registry.get(name)
        except PluginError as exc:
            raise RecordError(
                f"the record was made with the plugin function {name}() from {dist} {version}, "
                f"which cannot be loaded here: {exc.message}",
                code="record.plugin-missing",
                hint=f"install {dist} {version} and replay again",
            ) from None
        if fn is None or not fn.is_plugin:
            raise RecordError(
                f"the record was made with the plugin function {name}() from {dist} {version}, "
                "which is not installed",
                code="record.plugin-missing",
                hint=f"install {dist} {version} (e.g. pip install '{dist}=={version}') and replay again",
            )
        if (fn.plugin, fn.version) != (dist, version):
            raise RecordError(
                f"the plugin function {name}() here is {fn.plugin} {fn.version}, but the record "
                f"was made with {dist} {version}",
                code="record.plugin-version",
                hint=f"install {dist} {version} to replay this record: another version may compute other numbers",
            )
    return tuple(plugins)


def _check_kind_plugin(name: str, dist: str, version: str) -> None:
    """A plugin criterion kind the record was made with is installed, in its version."""
    from ..errors import PluginError
    from ..guide.kinds import kind_registry

    try:
        info = kind_registry().info(name)
    except PluginError as exc:
        raise RecordError(
            f"the record was made with the criterion kind `{name}` from {dist} {version}, "
            f"which cannot be loaded here: {exc.message}",
            code="record.plugin-missing",
            hint=f"install {dist} {version} and replay again",
        ) from None
    if info is None or info.builtin:
        raise RecordError(
            f"the record was made with the criterion kind `{name}` from {dist} {version}, "
            "which is not installed",
            code="record.plugin-missing",
            hint=f"install {dist} {version} (e.g. pip install '{dist}=={version}') and replay again",
        )
    if (info.plugin, info.version) != (dist, version):
        raise RecordError(
            f"the criterion kind `{name}` here is {info.plugin} {info.version}, but the record "
            f"was made with {dist} {version}",
            code="record.plugin-version",
            hint=f"install {dist} {version} to replay this record: another version may compute other numbers",
        )


def _evidence_data(guide: Guide, data: Any) -> dict[str, Any] | None:
    """The recorded evidence as data for :func:`evidence_from_data` (None: wrong shape)."""
    if not isinstance(data, dict) or not isinstance(data.get("inputs"), dict):
        return None
    centre = data.get("centre")
    if not isinstance(centre, dict) or not isinstance(centre.get("id"), str):
        return None
    if not isinstance(data.get("model"), str) or not isinstance(data.get("edition"), str):
        return None
    inputs = {}
    for k, v in data["inputs"].items():
        inp = guide.input(k)
        inputs[k] = input_type(inp).from_record(inp, v) if inp is not None else v
    out_centre = {"id": centre["id"]}
    if centre.get("name") is not None:
        out_centre["name"] = centre["name"]
    extra = {k: v for k, v in data.items() if k not in ("centre", "model", "edition", "inputs")}
    return {
        "centre": out_centre,
        "model": data["model"],
        "edition": data["edition"],
        "inputs": inputs,
        **extra,
    }


def _open(record: Any) -> tuple[IO[Any], str, bool]:
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
            raise RecordError(f"{path} is a folder, not a record", code="record.not-found")
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


def replay(
    record: str | os.PathLike[str] | bytes | CycleRecord | IO[bytes],
    *,
    expected_fingerprint: str | None = None,
    progress: Progress | None = None,
    max_differences: int = 10_000,
) -> ReplayReport:
    """Verify a cycle record and re-score every centre in it with the guide it holds.

    ``record`` is a path, the record's bytes, a :class:`CycleRecord` or a binary file.
    Integrity problems (a part that does not match its fingerprint) and differences in
    any reproduced value are reported, not raised; ``expected_fingerprint`` is the record
    fingerprint published when the cycle closed, if any. A file that is not a readable
    record — unknown format, truncated, invalid JSON, wrong types — or a plugin that is
    missing or of another version raises :class:`~taqyeem_rules.errors.RecordError`.
    """
    handle, name, close = _open(record)
    try:
        return _Replay(_Lines(handle, name), expected_fingerprint, progress, max_differences).run()
    finally:
        if close:
            handle.close()


class _Replay:
    def __init__(
        self, lines: _Lines, expected: str | None, progress: Progress | None, limit: int
    ) -> None:
        self.lines = lines
        self.expected = expected
        self.progress = progress
        self.limit = limit
        self.integrity: list[IntegrityFinding] = []
        self.differences: list[ReplayDifference] = []
        self.difference_count = 0
        self.centres: list[CentreReplay] = []
        self.guide: Guide | None = None
        self.model_order: dict[str, int] = {}
        self.seen_guide_fps: set[str] = set()
        self.plugins_used: set[tuple[str, str, str]] = set()

    # ---- the header ------------------------------------------------------------------------

    def run(self) -> ReplayReport:
        lines = self.lines
        fmt = _check_format(lines, _header(lines, "format", first=True)[0])
        # Results are compared in the data form the record was written with.
        self.result_format = RECORD_FORMATS[fmt]
        cycle, _ = _header(lines, "cycle")
        if not isinstance(cycle, str):
            raise _type_error(lines, "the cycle", "a string", cycle)
        engine, _ = _header(lines, "engine")
        if not (
            isinstance(engine, dict)
            and all(isinstance(engine.get(k), str) for k in ("name", "version"))
        ):
            raise _type_error(lines, "`engine`", "{name, version}", engine)
        plugins = _check_plugins(lines, _header(lines, "plugins")[0])
        guide_fp, _ = _header(lines, "guide_fingerprint")
        if not isinstance(guide_fp, str):
            raise _type_error(lines, "`guide_fingerprint`", "a string", guide_fp)
        guide_data, guide_bytes = _header(lines, "guide")
        if not isinstance(guide_data, dict):
            raise _type_error(lines, "`guide`", "an object (the canonical guide)", guide_data)
        count, _ = _header(lines, "count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise _type_error(lines, "`count`", "a whole number", count)
        raw = lines.next("the `centres` line")
        if raw != _CENTRES_OPEN:
            raise lines.error(
                f"expected the `centres` line, found {_shown(raw)}", code="record.layout"
            )

        text_fp = _sha(guide_bytes)
        self.guide_text_fp, self.guide_fp, self.guide_data = text_fp, guide_fp, guide_data
        replayable = self._rebuild(guide_data, guide_fp, text_fp, lines.name)
        edition = guide_data.get("edition") if isinstance(guide_data.get("edition"), str) else None

        n = self._centres(count, replayable)
        computed = lines.digest.hexdigest()
        raw = lines.next("the fingerprint line", hash_it=False)
        if not raw.startswith(_FINGERPRINT_KEY) or not raw.endswith(b"}\n"):
            raise lines.error(
                f"expected the fingerprint line, found {_shown(raw)}", code="record.layout"
            )
        try:
            fingerprint = _DECODER.decode(_decode(lines, raw[len(_FINGERPRINT_KEY) : -2]))
        except json.JSONDecodeError as exc:
            raise lines.error(f"the fingerprint is not valid JSON ({exc.msg})") from None
        except _NumberError as exc:
            raise lines.error(f"the fingerprint is a number out of range: {exc}",
                              code="record.number") from None
        if not isinstance(fingerprint, str):
            raise _type_error(lines, "the fingerprint", "a string", fingerprint)
        lines.end()
        self._finish(n, count, plugins, fingerprint, computed)
        return ReplayReport(
            source=lines.name,
            format=fmt,
            cycle=cycle,
            edition=edition,
            engine=engine,
            engine_version=_version(),
            plugins=plugins,
            guide_fingerprint=guide_fp,
            fingerprint=fingerprint,
            computed_fingerprint=computed,
            count=count,
            integrity=tuple(self.integrity),
            centres=tuple(self.centres),
            differences=tuple(self.differences),
            difference_count=self.difference_count,
            replayed=replayable,
        )

    def _rebuild(self, data: dict[str, Any], recorded_fp: str, text_fp: str, name: str) -> bool:
        """Rebuild the guide from the record; False when it was altered beyond scoring."""
        from ..guide.loader import guide_from_canonical

        altered = text_fp != recorded_fp
        try:
            guide = guide_from_canonical(data, name=f"{name} (guide)")
            for m in guide.models:
                compile_model(guide, m)
        except Exception as exc:  # an altered guide can fail anywhere; say so, never a traceback
            reason = (
                exc.message if isinstance(exc, TaqyeemError) else f"{type(exc).__name__}: {exc}"
            )
            if altered:
                self.integrity.append(
                    IntegrityFinding(
                        "record.guide-altered",
                        "guide",
                        f"the guide in the record does not match its fingerprint, and cannot be scored any "
                        f"more ({reason}); the centres were not re-scored",
                        field=self._guide_field(data),
                    )
                )
                return False
            raise RecordError(
                f"{name}: this version of taqyeem_rules ({_version()}) cannot rebuild the recorded "
                f"guide: {reason}",
                code="record.guide",
                hint="replay the record with the taqyeem_rules version that wrote it (see `engine` in the record)",
            ) from None
        self.guide = guide
        self.model_order = {m.id: k for k, m in enumerate(guide.models)}
        if not altered and guide.fingerprint != recorded_fp:
            self.integrity.append(
                IntegrityFinding(
                    "record.guide-rebuild",
                    "guide",
                    f"the recorded guide reads back with fingerprint {guide.fingerprint[:12]}…, not "
                    f"{recorded_fp[:12]}… (this version of taqyeem_rules reads it differently)",
                )
            )
        return True

    def _guide_field(self, data: dict[str, Any]) -> str | None:
        """Name the altered field of the guide, when a bundled guide has the recorded
        fingerprint (diagnosis only: the replay never scores with the current files)."""
        from ..guide.loader import bundled_editions, load_guide

        edition = data.get("edition")
        if not isinstance(edition, str) or edition not in bundled_editions():
            return None
        try:
            bundled = load_guide(edition, check=False)
        except TaqyeemError:
            return None
        if bundled.fingerprint != self.guide_fp:
            return None
        paths = _leaf_diff(json.loads(bundled.canonical_json(), parse_float=Decimal), data)
        return (
            ", ".join(paths[:5]) + (f" (and {len(paths) - 5} more)" if len(paths) > 5 else "")
            if paths
            else None
        )

    # ---- the centres -----------------------------------------------------------------------

    def _centres(self, count: int, replayable: bool) -> int:
        lines = self.lines
        index = 0
        previous: tuple[int, str] | None = None
        while True:
            raw = lines.next("a centre or the end of the centres (`],`)")
            if raw == _CENTRES_CLOSE:
                if index and self._last_had_comma:
                    raise lines.error(
                        "the last centre is followed by a comma", code="record.layout"
                    )
                return index
            if index and not self._last_had_comma:
                raise lines.error(
                    "a centre follows the last one without a comma", code="record.layout"
                )
            text = _decode(lines, raw)
            self._last_had_comma = text.endswith(",\n")
            body = text[:-2] if self._last_had_comma else text[:-1]
            key = self._centre(index, body, replayable)
            if key is not None:
                if previous is not None and key <= previous:
                    c = self.centres[-1]
                    self.integrity.append(
                        IntegrityFinding(
                            "record.order",
                            "order",
                            f"centre {c.centre} ({c.model}) is out of order or repeated: a record lists "
                            "centres by model, then centre id, each once",
                            index=index,
                            centre=c.centre,
                            model=c.model,
                        )
                    )
                previous = key
            index += 1
            if self.progress is not None:
                self.progress(index, count)

    _last_had_comma = False

    def _split(self, body: str) -> tuple[Any, str, Any, str, Any]:
        """(evidence data, evidence text, evidence fingerprint, result text, result fingerprint)."""
        lines = self.lines
        if not body.startswith(_EVIDENCE_OPEN):
            raise lines.error(
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
            raise lines.error(
                f"the centre is not valid JSON ({exc.msg}; column {exc.colno})"
            ) from None
        except ValueError as exc:
            raise lines.error(str(exc), code="record.layout") from None
        except _NumberError as exc:
            raise lines.error(f"the centre holds a number out of range: {exc}",
                              code="record.number") from None
        for what, value in (("the evidence fingerprint", e_fp), ("the result fingerprint", r_fp)):
            if not isinstance(value, str):
                raise _type_error(lines, what, "a string", value)
        return evidence, body[start:end], e_fp, body[r_start:cut], r_fp

    def _parse_result(self, text: str) -> dict[str, Any]:
        try:
            data = _DECODER.decode(text)
        except json.JSONDecodeError as exc:
            raise self.lines.error(f"the centre's result is not valid JSON ({exc.msg})") from None
        except _NumberError as exc:  # pragma: no cover - _split decoded the same text
            raise self.lines.error(f"the centre's result holds a number out of range: {exc}",
                                   code="record.number") from None
        if not isinstance(data, dict):
            raise _type_error(self.lines, "the result", "an object", data)
        return data

    def _centre(self, index: int, body: str, replayable: bool) -> tuple[int, str] | None:
        lines = self.lines
        evidence_raw, e_text, e_fp, r_text, r_fp = self._split(body)
        if not isinstance(evidence_raw, dict):
            raise _type_error(lines, "the evidence", "an object", evidence_raw)
        e_text_fp = _sha(e_text.encode())
        r_text_fp = _sha(r_text.encode())
        centre = evidence_raw.get("centre")
        centre_id = centre.get("id") if isinstance(centre, dict) else None
        model = evidence_raw.get("model")
        if not isinstance(centre_id, str) or not isinstance(model, str):
            raise _type_error(
                lines, "the evidence", "{centre: {id}, model, edition, inputs}", evidence_raw
            )
        where = {"index": index, "centre": centre_id, "model": model}
        recorded: dict[str, Any] | None = None

        def recorded_result() -> dict[str, Any]:
            nonlocal recorded
            if recorded is None:
                recorded = self._parse_result(r_text)
            return recorded

        # Replay: rebuild the evidence, re-score, and compare the canonical texts.
        new_text: str | None = None
        new_data: dict[str, Any] | None = None
        note: str | None = None
        evidence: Evidence | None = None
        if replayable and self.guide is not None:
            guide = self.guide
            try:
                data = _evidence_data(guide, evidence_raw)
                failure = None
            except EvidenceError as exc:  # a number out of range
                data, failure = {}, exc
            if data is None:
                raise _type_error(
                    lines, "the evidence", "{centre: {id}, model, edition, inputs}", evidence_raw
                )
            try:
                if failure is not None:
                    raise failure
                evidence = evidence_from_data(data, guide, name=f"{lines.name}:{lines.number}")
                result = score(guide, evidence, trace=True)
                new_data = result.to_dict(self.result_format)
                new_text = canonical_json(new_data)
                self.plugins_used.update(result._compiled.plugins)
            except TaqyeemError as exc:
                note = f"could not be re-scored: {exc.primary.render(snippet=False)}"
            except Exception as exc:  # a damaged record must not end in a traceback
                note = f"could not be re-scored: {type(exc).__name__}: {exc}"

        # Integrity: each part against its fingerprint.
        if e_text_fp != e_fp:
            if r_text_fp == r_fp and recorded_result().get("evidence_fingerprint") == e_text_fp:
                self.integrity.append(
                    IntegrityFinding(
                        "record.evidence-fingerprint",
                        "evidence_fingerprint",
                        f"centre {centre_id} ({model}): the evidence fingerprint was altered "
                        "(the evidence itself matches the fingerprint its result recorded)",
                        field="evidence_fingerprint",
                        **where,
                    )
                )
            else:
                fields = _evidence_fields(evidence_raw, recorded_result())
                self.integrity.append(
                    IntegrityFinding(
                        "record.evidence-altered",
                        "evidence",
                        f"centre {centre_id} ({model}): the evidence does not match its fingerprint: it was altered"
                        + (f" ({', '.join(fields[:5])})" if fields else ""),
                        field=", ".join(fields) or None,
                        **where,
                    )
                )
        elif evidence is not None and evidence.fingerprint != e_fp:
            self.integrity.append(
                IntegrityFinding(
                    "record.evidence-rebuild",
                    "evidence",
                    f"centre {centre_id} ({model}): the evidence reads back with another fingerprint "
                    "(this version of taqyeem_rules reads it differently)",
                    **where,
                )
            )
        matches = new_text is not None and r_text == new_text
        if r_text_fp != r_fp:
            if matches:
                self.integrity.append(
                    IntegrityFinding(
                        "record.result-fingerprint",
                        "result_fingerprint",
                        f"centre {centre_id} ({model}): the result fingerprint was altered (the result itself "
                        "is reproduced exactly)",
                        field="result_fingerprint",
                        **where,
                    )
                )
            else:
                fields = (
                    [p for p, _, _ in _leaf_changes(recorded_result(), new_data)]
                    if new_data is not None
                    else []
                )
                self.integrity.append(
                    IntegrityFinding(
                        "record.result-altered",
                        "result",
                        f"centre {centre_id} ({model}): the result does not match its fingerprint: it was altered"
                        + (f" ({', '.join(fields[:5])})" if fields else ""),
                        field=", ".join(fields) or None,
                        **where,
                    )
                )

        # Which guide fingerprint did the recorded results carry?
        if matches:
            self.seen_guide_fps.add(self.guide.fingerprint if self.guide else "")
        else:
            fp = recorded_result().get("guide_fingerprint")
            if isinstance(fp, str):
                self.seen_guide_fps.add(fp)

        # Differences.
        total = tier = None
        n_diff = 0
        if matches:
            assert new_data is not None
            total, tier = new_data.get("total"), new_data.get("tier")
        else:
            rec = recorded_result()
            total, tier = _text_or_none(rec.get("total")), _text_or_none(rec.get("tier"))
            if new_data is not None:
                diffs = _diff_result(rec, new_data, index, centre_id, model)
                if not diffs:
                    diffs = [
                        ReplayDifference(
                            index,
                            centre_id,
                            model,
                            "",
                            None,
                            None,
                            note="the recorded result's text is not in canonical form "
                            "(spacing, key order or number format)",
                        )
                    ]
            elif note is not None:
                diffs = [ReplayDifference(index, centre_id, model, "", None, None, note=note)]
            else:
                diffs = []
            n_diff = len(diffs)
            self.difference_count += n_diff
            room = self.limit - len(self.differences)
            if room > 0:
                self.differences.extend(diffs[:room])
        self.centres.append(
            CentreReplay(
                index,
                centre_id,
                model,
                matches,
                total,
                tier,
                new_data.get("total") if new_data else None,
                new_data.get("tier") if new_data else None,
                n_diff,
                note,
            )
        )
        return (self.model_order.get(model, len(self.model_order)), centre_id)

    # ---- the end ---------------------------------------------------------------------------

    def _finish(
        self,
        n: int,
        count: int,
        plugins: tuple[dict[str, str], ...],
        fingerprint: str,
        computed: str,
    ) -> None:
        if n != count:
            self.integrity.append(
                IntegrityFinding(
                    "record.count",
                    "count",
                    f"the record says it holds {count} centre(s) but it holds {n}: centres were added or removed",
                    field="count",
                )
            )
        if self.guide_text_fp != self.guide_fp:
            if self.seen_guide_fps == {self.guide_text_fp}:
                self.integrity.insert(
                    0,
                    IntegrityFinding(
                        "record.guide-fingerprint",
                        "guide_fingerprint",
                        "the guide fingerprint was altered (the guide itself matches the fingerprint in every result)",
                        field="guide_fingerprint",
                    ),
                )
            elif not any(f.part == "guide" for f in self.integrity):
                field = self._guide_field(self.guide_data)
                self.integrity.insert(
                    0,
                    IntegrityFinding(
                        "record.guide-altered",
                        "guide",
                        "the guide in the record does not match its fingerprint: it was altered"
                        + (f" ({field})" if field else ""),
                        field=field,
                    ),
                )
        if self.guide is not None:
            recorded = {(p["name"], p["plugin"], p["version"]) for p in plugins}
            if self.plugins_used - recorded:
                extra = ", ".join(
                    f"{a}() from {b} {c}" for a, b, c in sorted(self.plugins_used - recorded)
                )
                self.integrity.append(
                    IntegrityFinding(
                        "record.plugins",
                        "plugins",
                        f"the results use plugin functions the record does not list: {extra}",
                        field="plugins",
                    )
                )
        if computed != fingerprint:
            explained = bool(self.integrity)
            self.integrity.append(
                IntegrityFinding(
                    "record.fingerprint",
                    "record",
                    "the record does not match its fingerprint"
                    + (
                        ""
                        if explained
                        else ": its header (cycle, engine, plugins) or the fingerprint itself "
                        "was altered"
                    ),
                    field="fingerprint",
                )
            )
        if self.expected is not None and self.expected.strip().lower() != fingerprint:
            self.integrity.append(
                IntegrityFinding(
                    "record.expected-fingerprint",
                    "record",
                    f"the record's fingerprint {fingerprint[:12]}… is not the expected {self.expected.strip()[:12]}…: "
                    "this is not the record that was published",
                    field="fingerprint",
                )
            )


def _text_or_none(value: Any) -> str | None:
    return value if isinstance(value, str) else None


# ---- comparing -----------------------------------------------------------------------------------


def _leaf_changes(a: Any, b: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Every leaf where ``a`` and ``b`` differ, exactly (``1`` is not ``true``), in the
    order of ``b``; lists of objects with ids are matched by id (``criteria.W1.points``)."""
    if isinstance(a, dict) and isinstance(b, dict):
        for k in list(b) + [k for k in a if k not in b]:
            sub = f"{path}.{k}" if path else str(k)
            if k not in a:
                yield sub, _MISSING, b[k]
            elif k not in b:
                yield sub, a[k], _MISSING
            else:
                yield from _leaf_changes(a[k], b[k], sub)
        return
    if isinstance(a, list) and isinstance(b, list):
        if _keyed(a) and _keyed(b):
            ka, kb = {x["id"]: x for x in a}, {x["id"]: x for x in b}
            for k in list(kb) + [k for k in ka if k not in kb]:
                sub = f"{path}.{k}" if path else str(k)
                if k not in ka:
                    yield sub, _MISSING, kb[k]
                elif k not in kb:
                    yield sub, ka[k], _MISSING
                else:
                    yield from _leaf_changes(ka[k], kb[k], sub)
            if [x["id"] for x in a] != [x["id"] for x in b] and set(ka) == set(kb):
                yield f"{path}(order)", [x["id"] for x in a], [x["id"] for x in b]
            return
        for k in range(max(len(a), len(b))):
            sub = f"{path}[{k}]"
            if k >= len(a):
                yield sub, _MISSING, b[k]
            elif k >= len(b):
                yield sub, a[k], _MISSING
            else:
                yield from _leaf_changes(a[k], b[k], sub)
        return
    if type(a) is not type(b) or a != b:
        yield path, a, b


def _keyed(items: list[Any]) -> bool:
    if not items or not all(isinstance(x, dict) and isinstance(x.get("id"), str) for x in items):
        return False
    return len({x["id"] for x in items}) == len(items)


def _leaf_diff(a: Any, b: Any) -> list[str]:
    return [p for p, _, _ in _leaf_changes(a, b)]


def _diff_result(
    recorded: dict[str, Any], replayed: dict[str, Any], index: int, centre: str, model: str
) -> list[ReplayDifference]:
    criteria = {
        c["id"]: c for c in replayed.get("criteria", ()) if isinstance(c, dict) and "id" in c
    }
    out = []
    for path, a, b in _leaf_changes(recorded, replayed):
        criterion = category = input_id = None
        inputs = None
        parts = path.split(".")
        if parts[0] == "criteria" and len(parts) > 1:
            criterion = parts[1]
            c = criteria.get(criterion)
            if c is not None:
                category = c.get("category")
                inputs = c.get("inputs")
            if len(parts) > 3 and parts[2] == "inputs":
                input_id = parts[3]
        elif parts[0] == "categories" and len(parts) > 1:
            category = parts[1]
        out.append(
            ReplayDifference(
                index,
                centre,
                model,
                path,
                a,
                b,
                criterion,
                category,
                input_id,
                inputs if input_id is None else None,
            )
        )
    return out


def _evidence_fields(evidence: dict[str, Any], recorded: dict[str, Any]) -> list[str]:
    """Fields of altered evidence that disagree with what its recorded result read."""
    fields = []
    centre = evidence.get("centre") if isinstance(evidence.get("centre"), dict) else {}
    rec_centre = recorded.get("centre") if isinstance(recorded.get("centre"), dict) else {}
    for k in ("id", "name"):
        if k in rec_centre and centre.get(k, _MISSING) != rec_centre[k]:
            fields.append(f"centre.{k}")
    for k in ("model", "edition"):
        if k in recorded and evidence.get(k, _MISSING) != recorded[k]:
            fields.append(k)
    read: dict[str, Any] = {}
    for c in recorded.get("criteria", ()):
        if isinstance(c, dict) and isinstance(c.get("inputs"), dict):
            read.update(c["inputs"])
    inputs = evidence.get("inputs") if isinstance(evidence.get("inputs"), dict) else {}
    for k in sorted(set(read) | set(inputs)):
        a, b = inputs.get(k), read.get(k)
        if a == b and type(a) is type(b):
            continue
        changes = (
            [p for p, _, _ in _leaf_changes(b, a, f"inputs.{k}")]
            if isinstance(a, dict) and isinstance(b, dict)
            else []
        )
        fields.extend(changes or [f"inputs.{k}"])
    return fields
