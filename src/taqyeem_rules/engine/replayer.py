"""Replaying a cycle record: every fingerprint checked, every centre re-scored.

:func:`replay` reads a record with the format's reader (:class:`~.record.RecordReader`),
rebuilds the guide from the record (never from the current files), checks every
fingerprint, re-scores every centre with the rebuilt guide and compares the results
exactly, leaf by leaf (:mod:`.jsondiff`). What it finds is a
:class:`~.record_report.ReplayReport`.
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from decimal import Decimal
from typing import IO, Any

from .._version import __version__
from ..dsl.numbers import in_analysis_context
from ..errors import EvidenceError, RecordError, TaqyeemError
from ..guide.evidence import Evidence, evidence_from_data
from ..guide.guide import Guide
from ..guide.inputs import input_type
from ..guide.serialize import canonical_json
from .compile import compile_model
from .formats import RECORD_FORMATS
from .jsondiff import MISSING, leaf_changes, leaf_paths
from .record import CentreLine, Progress, RecordReader, fingerprint_of, open_record
from .record_report import (
    CentreReplay,
    CycleRecord,
    IntegrityFinding,
    ReplayDifference,
    ReplayReport,
)
from .score import score

__all__ = ["replay"]


def _check_plugins(lines: RecordReader, plugins: Any) -> tuple[dict[str, str], ...]:
    from ..dsl.plugins import default_registry

    if not isinstance(plugins, list) or not all(
        isinstance(p, dict)
        and set(p) == {"name", "plugin", "version"}
        and all(isinstance(v, str) for v in p.values())
        for p in plugins
    ):
        raise lines.type_error("`plugins`", "a list of {name, plugin, version}", plugins)
    registry = default_registry()
    for p in plugins:
        name, dist, version = p["name"], p["plugin"], p["version"]
        if name.startswith("kind:"):
            _check_kind_plugin(name[len("kind:"):], dist, version)
            continue

        def find(name: str = name) -> tuple[str | None, str | None] | None:
            fn = registry.get(name)
            return None if fn is None or not fn.is_plugin else (fn.plugin, fn.version)

        _check_installed(f"the plugin function {name}()", find, dist, version)
    return tuple(plugins)


def _check_kind_plugin(name: str, dist: str, version: str) -> None:
    """A plugin criterion kind the record was made with is installed, in its version."""
    from ..guide.kinds import kind_registry

    def find() -> tuple[str | None, str | None] | None:
        info = kind_registry().info(name)
        return None if info is None or info.builtin else (info.plugin, info.version)

    _check_installed(f"the criterion kind `{name}`", find, dist, version)


def _check_installed(what: str, find: Callable[[], tuple[str | None, str | None] | None], dist: str,
                     version: str) -> None:
    """A plugin the record was made with (``what``: a function or a criterion kind) is
    installed here, in the version it was made with. ``find()`` gives the (plugin,
    version) installed, or None; it raises PluginError when the plugin cannot be loaded."""
    from ..errors import PluginError

    try:
        found = find()
    except PluginError as exc:
        raise RecordError(
            f"the record was made with {what} from {dist} {version}, "
            f"which cannot be loaded here: {exc.message}",
            code="record.plugin-missing",
            hint=f"install {dist} {version} and replay again",
        ) from None
    if found is None:
        raise RecordError(
            f"the record was made with {what} from {dist} {version}, "
            "which is not installed",
            code="record.plugin-missing",
            hint=f"install {dist} {version} (e.g. pip install '{dist}=={version}') and replay again",
        )
    if found != (dist, version):
        raise RecordError(
            f"{what} here is {found[0]} {found[1]}, but the record "
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


@in_analysis_context
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
    handle, name, close = open_record(record)
    try:
        return _Replay(RecordReader(handle, name), expected_fingerprint, progress, max_differences).run()
    finally:
        if close:
            handle.close()


class _Replay:
    def __init__(
        self, lines: RecordReader, expected: str | None, progress: Progress | None, limit: int
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
        fmt = lines.format()
        # Results are compared in the data form the record was written with.
        self.result_format = RECORD_FORMATS[fmt]
        cycle, _ = lines.field("cycle")
        if not isinstance(cycle, str):
            raise lines.type_error("the cycle", "a string", cycle)
        engine, _ = lines.field("engine")
        if not (
            isinstance(engine, dict)
            and all(isinstance(engine.get(k), str) for k in ("name", "version"))
        ):
            raise lines.type_error("`engine`", "{name, version}", engine)
        plugins = _check_plugins(lines, lines.field("plugins")[0])
        guide_fp, _ = lines.field("guide_fingerprint")
        if not isinstance(guide_fp, str):
            raise lines.type_error("`guide_fingerprint`", "a string", guide_fp)
        guide_data, guide_bytes = lines.field("guide")
        if not isinstance(guide_data, dict):
            raise lines.type_error("`guide`", "an object (the canonical guide)", guide_data)
        count, _ = lines.field("count")
        if not isinstance(count, int) or isinstance(count, bool) or count < 0:
            raise lines.type_error("`count`", "a whole number", count)
        lines.open_centres()

        text_fp = fingerprint_of(guide_bytes)
        self.guide_text_fp, self.guide_fp, self.guide_data = text_fp, guide_fp, guide_data
        replayable = self._rebuild(guide_data, guide_fp, text_fp, lines.name)
        edition = guide_data.get("edition") if isinstance(guide_data.get("edition"), str) else None

        n = self._centres(count, replayable)
        fingerprint, computed = lines.fingerprint()
        self._finish(n, count, plugins, fingerprint, computed)
        return ReplayReport(
            source=lines.name,
            format=fmt,
            cycle=cycle,
            edition=edition,
            engine=engine,
            engine_version=__version__,
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
            guide_status=self.guide.provenance.status if self.guide is not None else None,
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
                f"{name}: this version of taqyeem_rules ({__version__}) cannot rebuild the recorded "
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
        paths = leaf_paths(json.loads(bundled.canonical_json(), parse_float=Decimal), data)
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
            line = lines.centre()
            if line is None:
                return index
            key = self._centre(index, line, replayable)
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

    def _centre(self, index: int, line: CentreLine, replayable: bool) -> tuple[int, str] | None:
        lines = self.lines
        evidence_raw, e_text, e_fp = line.evidence, line.evidence_text, line.evidence_fingerprint
        r_text, r_fp = line.result_text, line.result_fingerprint
        if not isinstance(evidence_raw, dict):
            raise lines.type_error("the evidence", "an object", evidence_raw)
        e_text_fp = fingerprint_of(e_text.encode())
        r_text_fp = fingerprint_of(r_text.encode())
        centre = evidence_raw.get("centre")
        centre_id = centre.get("id") if isinstance(centre, dict) else None
        model = evidence_raw.get("model")
        if not isinstance(centre_id, str) or not isinstance(model, str):
            raise lines.type_error(
                "the evidence", "{centre: {id}, model, edition, inputs}", evidence_raw
            )
        where = {"index": index, "centre": centre_id, "model": model}
        recorded: dict[str, Any] | None = None

        def recorded_result() -> dict[str, Any]:
            nonlocal recorded
            if recorded is None:
                recorded = lines.result(r_text)
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
                raise lines.type_error(
                    "the evidence", "{centre: {id}, model, edition, inputs}", evidence_raw
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
                    [p for p, _, _ in leaf_changes(recorded_result(), new_data)]
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


def _diff_result(
    recorded: dict[str, Any], replayed: dict[str, Any], index: int, centre: str, model: str
) -> list[ReplayDifference]:
    criteria = {
        c["id"]: c for c in replayed.get("criteria", ()) if isinstance(c, dict) and "id" in c
    }
    out = []
    for path, a, b in leaf_changes(recorded, replayed):
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
        if k in rec_centre and centre.get(k, MISSING) != rec_centre[k]:
            fields.append(f"centre.{k}")
    for k in ("model", "edition"):
        if k in recorded and evidence.get(k, MISSING) != recorded[k]:
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
            [p for p, _, _ in leaf_changes(b, a, f"inputs.{k}")]
            if isinstance(a, dict) and isinstance(b, dict)
            else []
        )
        fields.extend(changes or [f"inputs.{k}"])
    return fields
