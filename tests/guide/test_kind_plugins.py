"""Criterion kinds as plugins, discovered for real: a throw-away distribution (a
``*.dist-info`` with ``entry_points.txt`` on ``sys.path``) installs the example package of
``examples/plugin-package``, and a guide that uses its kind loads, checks, scores,
explains, diffs, records and replays. A kind that is unknown, that fails to import, or
whose params break its schema is reported at the criterion, with the other findings."""

from __future__ import annotations

import importlib
import json
import shutil
import sys
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest

import taqyeem_rules
from shared import ROOT
from taqyeem_rules import GuideError, RecordError, diff_guides, load_guide, record_cycle, replay
from taqyeem_rules.dsl.plugins import default_registry
from taqyeem_rules.guide.kinds import kind_registry
from taqyeem_rules.guide.kinds.registry import BUILTIN_ENTRY_POINTS, KindRegistry

EXAMPLE = ROOT / "examples" / "plugin-package"


def _install(site: Path, *, module_text: str | None = None, name: str = "taqyeem-passfail",
             version: str = "1.0.0", kinds: dict[str, str] | None = None) -> None:
    """A distribution as pip would leave it: the package, and its dist-info."""
    pkg = site / "taqyeem_passfail"
    pkg.mkdir(parents=True)
    source = EXAMPLE / "src" / "taqyeem_passfail" / "__init__.py"
    (pkg / "__init__.py").write_text(module_text or source.read_text("utf-8"), encoding="utf-8")
    info = site / f"{name.replace('-', '_')}-{version}.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n", "utf-8")
    kinds = kinds if kinds is not None else {"pass_fail": "taqyeem_passfail:KIND"}
    lines = ["[taqyeem_rules.criteria]", *(f"{k} = {v}" for k, v in kinds.items()),
             "", "[taqyeem_rules.functions]", "share = taqyeem_passfail:share", ""]
    (info / "entry_points.txt").write_text("\n".join(lines), "utf-8")


def _activate(site: Path) -> None:
    sys.path.insert(0, str(site))
    importlib.invalidate_caches()
    kind_registry().rescan()
    default_registry().rescan()


def _deactivate(site: Path) -> None:
    sys.path.remove(str(site))
    sys.modules.pop("taqyeem_passfail", None)
    importlib.invalidate_caches()
    kind_registry().rescan()
    kind_registry().unregister("pass_fail")
    default_registry().rescan()
    default_registry().unregister("share")


@pytest.fixture
def installed(tmp_path: Path) -> Iterator[Path]:
    site = tmp_path / "site"
    _install(site)
    _activate(site)
    try:
        yield site
    finally:
        _deactivate(site)


def _guide_copy(tmp_path: Path, replace: tuple[str, str] | None = None) -> Path:
    text = (EXAMPLE / "guide.yaml").read_text("utf-8")
    if replace is not None:
        assert replace[0] in text
        text = text.replace(*replace)
    path = tmp_path / "guide.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_plugin_kind_works_end_to_end(installed: Path, tmp_path: Path) -> None:
    guide = load_guide(EXAMPLE / "guide.yaml")
    assert guide.check().ok
    # loads into the kind's own params model, read by name
    c = guide.criterion("fire_certificate_valid")[2]
    assert c.kind == "pass_fail" and type(c.params).__name__ == "PassFailParams"
    assert c.reads() == ("fire_certificate",)
    # scores
    ev = taqyeem_rules.load_evidence(EXAMPLE / "centre.yaml", guide)
    result = guide.score(ev)
    assert result.criterion("fire_certificate_valid").points == Decimal(4)
    assert result.criterion("answered_share").points == Decimal("3.6")
    assert result.total == Decimal("95.00") and result.tier_id == "gold"
    # the plugins the result used: the kind and the function, with their distribution
    plugins = result.to_dict()["plugins"]
    assert {"name": "kind:pass_fail", "plugin": "taqyeem-passfail", "version": "1.0.0"} in plugins
    assert {"name": "share", "plugin": "taqyeem-passfail", "version": "1.0.0"} in plugins
    assert all(not p["name"].startswith("kind:") for p in result.to_dict(format=1)["plugins"])
    # explains, in both languages, through the kind's own messages
    assert "fire_certificate is true: pass" in result.explain()
    assert "fire_certificate = نعم: ناجح" in result.explain("ar")
    failed = guide.score({"centre": {"id": "X"}, "model": "onsite", "inputs": {
        "fire_certificate": False, "complaints_answered": 1, "complaints_received": 2}})
    assert failed.criterion("fire_certificate_valid").points == 0
    assert "fire_certificate is false: fail" in failed.explain()
    # diffs: a changed param is named by the kind
    changed = load_guide(_guide_copy(tmp_path, ("fail: 0}", "fail: 1}")))
    edits = [(e.kind, e.id, getattr(e, "field", None)) for e in diff_guides(guide, changed)]
    assert edits == [("changed", "fire_certificate_valid", "params.fail")]
    # records, and replays with the plugin installed
    out = tmp_path / "cycle.json"
    record_cycle(guide, [ev], cycle="Plugin cycle", path=out)
    header = json.loads(out.read_text("utf-8").split("\n")[3].rstrip(",").partition(":")[2])
    assert {"name": "kind:pass_fail", "plugin": "taqyeem-passfail", "version": "1.0.0"} in header
    report = replay(out)
    assert report.ok, report
    shutil.copy(out, tmp_path / "kept.json")


def test_a_record_needs_the_kind_it_was_made_with(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _install(site)
    _activate(site)
    try:
        guide = load_guide(EXAMPLE / "guide.yaml")
        out = tmp_path / "cycle.json"
        record_cycle(guide, [taqyeem_rules.load_evidence(EXAMPLE / "centre.yaml", guide)], cycle="c", path=out)
    finally:
        _deactivate(site)
    with pytest.raises(RecordError) as info:
        replay(out)
    assert info.value.code == "record.plugin-missing"
    assert "taqyeem-passfail 1.0.0" in info.value.hint
    # another version installed: refused, naming both
    other = tmp_path / "other"
    _install(other, version="2.0.0")
    _activate(other)
    try:
        with pytest.raises(RecordError) as info:
            replay(out)
        assert info.value.code == "record.plugin-version"
    finally:
        _deactivate(other)


def _errors(path: Path) -> list:
    with pytest.raises(GuideError) as info:
        load_guide(path)
    return list(info.value.diagnostics)


def test_an_unknown_kind_is_reported_at_the_criterion_with_the_rest(tmp_path: Path) -> None:
    # no plugin installed: pass_fail is unknown; a second problem (weights) is kept
    path = _guide_copy(tmp_path, ("weight: 50\n        criteria:\n          - id: answered_share",
                                  "weight: 40\n        criteria:\n          - id: answered_share"))
    found = _errors(path)
    codes = {d.code for d in found}
    assert {"guide.criterion-kind", "guide.weights"} <= codes
    d = next(d for d in found if d.code == "guide.criterion-kind")
    assert d.message == "criterion `fire_certificate_valid` has an unknown kind `pass_fail`"
    assert (d.span.line, d.span.col) == (37, 17)
    assert "installed kinds:" in (d.hint or "")
    # a misspelt built-in kind gets a suggestion
    found = _errors(_guide_copy(tmp_path, ("kind: pass_fail\n            params: {check: fire_certificate, fail: 0}",
                                           'kind: expresion\n            params: {score: "4"}')))
    d = next(d for d in found if d.code == "guide.criterion-kind")
    assert d.hint == "did you mean `expression`?"


def test_a_kind_that_cannot_be_imported_is_reported_at_the_criterion(tmp_path: Path) -> None:
    site = tmp_path / "site"
    _install(site, module_text="raise ImportError('broken on purpose')\n")
    _activate(site)
    try:
        path = _guide_copy(tmp_path, ("weight: 50\n        criteria:\n          - id: answered_share",
                                      "weight: 40\n        criteria:\n          - id: answered_share"))
        found = _errors(path)
        d = next(d for d in found if d.code == "plugin.kind-load")
        assert "criterion `fire_certificate_valid`" in d.message and "broken on purpose" in d.message
        assert (d.span.line, d.span.col) == (37, 17)
        assert any(x.code == "guide.weights" for x in found)
    finally:
        _deactivate(site)


def test_params_that_break_the_kinds_schema_are_reported_at_their_position(installed: Path, tmp_path: Path) -> None:
    path = _guide_copy(tmp_path, ("params: {check: fire_certificate, fail: 0}",
                                  "params: {check: fire_certificate, fail: \"none\"}"))
    found = _errors(path)
    d = next(d for d in found if d.code == "guide.type")
    assert d.message.startswith("models.onsite.categories[0].criteria[0].params.fail must be a number")
    assert (d.span.line, d.span.col) == (42, 53)
    # and a kind's own check: the input it names must be boolean
    found = _errors(_guide_copy(tmp_path, ("{check: fire_certificate,", "{check: complaints_received,")))
    d = next(d for d in found if d.code == "type.input")
    assert d.message == (
        "criterion `fire_certificate_valid`: the check `complaints_received` is an integer input; it must be boolean"
    )
    assert (d.span.line, d.span.col) == (42, 29)


def test_the_builtin_kinds_come_through_the_entry_point_group() -> None:
    import tomllib

    data = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    declared = data["project"]["entry-points"]["taqyeem_rules.criteria"]
    assert declared == BUILTIN_ENTRY_POINTS
    import importlib.metadata

    dist = importlib.metadata.distribution("taqyeem-rules")
    installed = {ep.name: ep.value for ep in dist.entry_points if ep.group == "taqyeem_rules.criteria"}
    assert installed == BUILTIN_ENTRY_POINTS, "reinstall the package: pip install -e ."
    for name in BUILTIN_ENTRY_POINTS:
        info = kind_registry().info(name)
        assert info is not None and info.builtin and info.kind.name == name


def test_the_builtin_kinds_are_found_without_installed_metadata(monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.metadata

    def missing(name: str) -> None:
        raise importlib.metadata.PackageNotFoundError(name)

    monkeypatch.setattr(importlib.metadata, "distribution", missing)
    registry = KindRegistry(entry_points=False)
    assert set(BUILTIN_ENTRY_POINTS) <= set(registry.names())
    for name in BUILTIN_ENTRY_POINTS:
        assert registry.get(name).name == name  # type: ignore[union-attr]
    assert registry.get("no_such_kind") is None


def test_a_plugin_cannot_take_a_builtin_name() -> None:
    from taqyeem_rules.errors import PluginError
    from taqyeem_rules.guide.kinds.survey import SurveyKind

    with pytest.raises(PluginError) as info:
        KindRegistry(entry_points=False).register(SurveyKind())
    assert info.value.code == "plugin.shadows-builtin"
