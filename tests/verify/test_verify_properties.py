"""`verify` on one guide: a sound guide passes; a guide broken on purpose for each property
is caught with the position of the element concerned and a counter-example that, scored,
exhibits the violation; runs are reproducible; bad arguments are clear errors."""

from __future__ import annotations

import functools
import json
from decimal import Decimal
from pathlib import Path

import pytest

from shared import VERIFY
from taqyeem_rules import ScoringError, UsageError, load_guide, verify
from taqyeem_rules.engine.verify import Finding, VerifyReport
from taqyeem_rules.guide.bounds import highest_total
from taqyeem_rules.guide.tables import row_reach

guide = functools.cache(lambda name: load_guide(VERIFY / name))


def line_of(name: str, text: str, nth: int = 1) -> int:
    """The 1-based line of the nth line holding ``text`` in a fixture guide."""
    lines = (VERIFY / name / "guide.yaml").read_text(encoding="utf-8").splitlines()
    hits = [k + 1 for k, line in enumerate(lines) if text in line]
    return hits[nth - 1]


def only(report: VerifyReport, prop: str) -> list[Finding]:
    return [f for f in report.findings if f.property == prop]


def test_sound_guide_holds_every_property() -> None:
    report = verify(guide("sound"), max_examples=40)
    assert report.ok, [f.to_dict() for f in report.findings]
    assert {r.property for r in report.runs} == {"tiers", "rows", "scoring", "ranges", "weights", "order",
                                                 "monotonicity"}
    assert all(r.examples >= 40 for r in report.runs if not r.static)
    # Every input that declares a direction was improved, applicability unchanged, many times.
    (mono,) = [r for r in report.runs if r.property == "monotonicity"]
    tried = dict(mono.tried)
    assert set(tried) == {"waiting_minutes", "facilities", "trained_pct"}
    assert min(tried.values()) >= 10


def test_non_monotone_band_table_is_caught_with_the_row_and_a_counterexample() -> None:
    g = guide("non-monotone")
    report = verify(g, max_examples=60, properties=["monotonicity"])
    (f,) = only(report, "monotonicity")
    values = f.mapping()
    assert f.key == "verify.monotone.criterion"
    assert values["input"] == "waiting_minutes" and values["criterion"] == "waiting"
    # The row that gives fewer points for a shorter wait: `<= 20 → 2`.
    assert f.span is not None and f.span.file.endswith("non-monotone/guide.yaml")
    assert f.span.line == line_of("non-monotone", '{when: "<= 20", points: 2}')
    assert f.path == "models.onsite.categories[1].criteria[0].bands.rows[1]"
    # The counter-example, scored, exhibits the violation: only the input moved, the right way.
    ce = f.counterexample
    assert ce is not None and ce.other_is == "improved"
    before, after = ce.evidence["inputs"], ce.other["inputs"]  # type: ignore[index]
    assert {k for k in before if before[k] != after[k]} == {"waiting_minutes"}
    assert after["waiting_minutes"] < before["waiting_minutes"]
    a, b = g.score(ce.evidence), g.score(ce.other)  # type: ignore[arg-type]
    assert b.criterion("waiting").points < a.criterion("waiting").points
    assert (a.criterion("waiting").points, b.criterion("waiting").points) == (values["old"], values["new"])
    # Shrunk: the shortest wait in the `<= 30` row, improved onto the edge of the `<= 20` row.
    assert (before["waiting_minutes"], after["waiting_minutes"]) == (Decimal("20.01"), Decimal("20"))


def test_unreachable_tier_is_decided_statically_and_the_bound_is_attained() -> None:
    g = guide("unreachable-tier")
    report = verify(g, max_examples=5, properties=["tiers"])
    found = only(report, "tiers")
    assert [(f.mapping()["tier"], f.span.line if f.span else None) for f in found] == [
        ("gold", line_of("unreachable-tier", "id: gold")),
        ("silver", line_of("unreachable-tier", "id: silver")),
    ]
    assert found[0].key == "verify.tier.unreachable"
    assert found[0].mapping()["highest"] == Decimal("75.00")
    # The bound is tight: the best evidence the guide admits scores exactly it, below both tiers.
    best = g.score({
        "centre": {"id": "BEST"}, "model": "onsite",
        "inputs": {"waiting_minutes": 0, "facilities": {"parking": True, "ramp": True, "signage": True,
                                                        "seating": True},
                   "has_parking_area": True, "trained_pct": 100},
    })
    assert best.total == highest_total(g.model("onsite"), g).reported == Decimal("75.00")
    assert best.tier_id is None
    # The sound guide, whose criteria reach the top, can give 100.
    assert highest_total(guide("sound").model("onsite"), guide("sound")).reported == 100


def test_unreachable_row_is_caught_where_check_sees_nothing() -> None:
    g = guide("unreachable-row")
    assert g.check().diagnostics == ()  # no gap, no overlap: `taqyeem check` is content
    report = verify(g, max_examples=5, properties=["rows"])
    (f,) = only(report, "rows")
    assert f.key == "verify.row.dead"
    assert f.mapping()["row"] == 4 and f.mapping()["cells"] == "> 100"
    assert f.span is not None and f.span.line == line_of("unreachable-row", '{when: "> 100", points: 4}')
    assert "trained_pct in [0, 100]" in f.mapping()["tested"]
    # Every value the input admits is chosen by another row, and none by row 4.
    _, _, c = g.criterion("training")  # type: ignore[misc]
    reach = row_reach(c.params, [__import__("taqyeem_rules.guide.tables", fromlist=["Domain"]).Domain(
        "number", Decimal(0), Decimal(100), "trained_pct")])
    assert reach is not None and reach[3] is None and all(r is not None for r in reach[:3])


def _variant(tmp_path: Path, name: str, *replacements: tuple[str, str]) -> Path:
    text = (VERIFY / "sound" / "guide.yaml").read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text
        text = text.replace(old, new)
    path = tmp_path / name / "guide.yaml"
    path.parent.mkdir()
    path.write_text(text, encoding="utf-8")
    return path


def test_tiers_out_of_order_are_a_finding(tmp_path: Path) -> None:
    path = _variant(tmp_path, "order", ("        min: 80\n", "        min: 95\n"))
    g = load_guide(path)
    report = verify(g, max_examples=5, properties=["tiers"])
    (f,) = only(report, "tiers")
    assert f.key == "verify.tier.order"
    assert (f.mapping()["tier"], f.mapping()["previous"], f.mapping()["min"]) == ("silver", "gold", 95)
    assert f.span is not None and f.span.line == line_of("sound", "id: silver")


def test_admissible_evidence_that_cannot_be_scored_is_a_finding(tmp_path: Path) -> None:
    # trained_pct made optional, but `training` keeps `missing: error`: a warning for
    # `check`, a counter-example for `verify`.
    path = _variant(tmp_path, "optional", ("    better: higher\n    label: {en: \"Staff trained\"",
                                           "    better: higher\n    required: false\n    label: {en: \"Staff trained\""))
    g = load_guide(path)
    assert [d.code for d in g.check().warnings] == ["guide.optional-input"]
    report = verify(g, max_examples=60, properties=["scoring"])
    (f,) = only(report, "scoring")
    assert f.mapping()["code"] == "scoring.missing"
    ce = f.counterexample
    assert ce is not None and "trained_pct" not in ce.evidence["inputs"]
    assert ce.focus == ("trained_pct",)
    with pytest.raises(ScoringError, match="`training` cannot be scored"):
        g.score(ce.evidence)


def test_range_and_order_violations_are_caught(monkeypatch: pytest.MonkeyPatch) -> None:
    """The engine keeps these by construction; a scorer that broke them is caught."""
    from taqyeem_rules.engine import result as result_module

    real = result_module.Result.total_exact
    monkeypatch.setattr(result_module.Result, "total_exact",
                        property(lambda self: real.fget(self) + 100))  # type: ignore[attr-defined]
    report = verify(guide("sound"), max_examples=20, properties=["ranges"])
    (f,) = only(report, "ranges")
    assert f.key == "verify.range.total" and f.mapping()["total"] > 100
    monkeypatch.setattr(result_module.Result, "total_exact", real)

    to_dict = result_module.Result.to_dict

    def leaky(self, format=2):  # type: ignore[no-untyped-def]
        data = to_dict(self, format)
        data["centre"]["order"] = list(self.evidence.inputs["facilities"])  # the given order leaks out
        return data

    monkeypatch.setattr(result_module.Result, "to_dict", leaky)
    report = verify(guide("sound"), max_examples=40, properties=["order"])
    (f,) = only(report, "order")
    assert f.key == "verify.order"
    ce = f.counterexample
    assert ce is not None and ce.other_is == "reordered"
    assert list(ce.evidence["inputs"]["facilities"]) != list(ce.other["inputs"]["facilities"])  # type: ignore[index]


def test_verify_is_reproducible_for_a_seed() -> None:
    g = guide("non-monotone")
    a = verify(g, seed=7, max_examples=30, properties=["monotonicity", "scoring"])
    b = verify(g, seed=7, max_examples=30, properties=["monotonicity", "scoring"])
    assert a.to_dict() == b.to_dict()
    assert a.seed == 7 and a.hypothesis == __import__("hypothesis").__version__


@pytest.mark.parametrize("bad", [0, -1, True, "10"])
def test_max_examples_must_be_a_whole_number_of_1_or_more(bad: object) -> None:
    with pytest.raises(UsageError) as info:
        verify(guide("sound"), max_examples=bad)  # type: ignore[arg-type]
    assert info.value.code == "usage.max-examples"


def test_unknown_property_is_a_usage_error() -> None:
    with pytest.raises(UsageError, match="unknown property 'monotony'") as info:
        verify(guide("sound"), properties=["monotony"])
    assert info.value.hint == "did you mean `monotonicity`?"


def test_verify_is_reproducible_across_processes(tmp_path: Path) -> None:
    """The same report whatever the process's hash seed (no set or dict order leaks in)."""
    import os
    import subprocess
    import sys

    code = (
        "import json, sys\n"
        "from taqyeem_rules import load_guide, verify\n"
        f"g = load_guide({str(VERIFY / 'non-monotone')!r})\n"
        "r = verify(g, seed=3, max_examples=25, properties=['monotonicity', 'order'])\n"
        "sys.stdout.write(json.dumps(r.to_dict(), sort_keys=True))\n"
    )
    outputs = {
        subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                       env={**os.environ, "PYTHONHASHSEED": seed}).stdout
        for seed in ("1", "2")
    }
    assert len(outputs) == 1
    data = json.loads(outputs.pop())
    assert [f["property"] for f in data["findings"]] == ["monotonicity"]


def test_verify_draws_do_not_depend_on_the_modules_loaded(tmp_path: Path) -> None:
    """Hypothesis mixes constants harvested from the process's "local" modules into its
    draws; verify empties that pool, so a run is the same whatever was imported before it
    (the command line imports more than the API; a caller's own modules differ). Shown on
    the bundled 2024 against 2023, where the import of a module of constants changed the
    examples drawn (and a note's count) before."""
    import os
    import subprocess
    import sys

    (tmp_path / "lots_of_constants.py").write_text(
        "CONSTANTS = [" + ", ".join(str(n) for n in (255, 256, 1023, 1024, 2000, 4096, 65535, 65536, 99999)) + "]\n"
        "WORDS = ['received', 'replied', 'onsite', 'remote']\n",
        encoding="utf-8",
    )
    code = (
        "import importlib, json, sys\n"
        "for name in sys.argv[1:]:\n"
        "    importlib.import_module(name)\n"
        "from taqyeem_rules import load_guide, verify\n"
        "r = verify(load_guide('2024'), against=load_guide('2023'), seed=0, max_examples=10,"
        " properties=['locality'])\n"
        "sys.stdout.write(json.dumps(r.to_dict(), sort_keys=True))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])}
    outputs = [
        subprocess.run([sys.executable, "-c", code, *extra], capture_output=True, text=True, check=True,
                       env=env, cwd=tmp_path).stdout
        for extra in ([], ["lots_of_constants", "taqyeem_rules.cli"])
    ]
    assert outputs[0] == outputs[1]
    assert json.loads(outputs[0])["notes"]  # the run compared something
