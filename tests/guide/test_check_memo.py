"""Loading an amended edition reuses the checks of the edition it extends (the check memo
goes with the base guide into the amendments) and finds exactly what a fresh check of the
complete guide finds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from taqyeem_rules import load_guide
from taqyeem_rules.dsl import function
from taqyeem_rules.dsl.plugins import default_registry
from taqyeem_rules.guide.checks import run_checks
from taqyeem_rules.guide.kinds import bands

ROOT = Path(__file__).resolve().parents[2]


def test_the_base_editions_tables_are_analysed_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """2024 extends 2023: each of 2023's decision tables is analysed for gaps and overlaps
    when 2023 is checked, and not again for each of 2024's amendments."""
    seen: Counter[tuple[int, str]] = Counter()
    real = bands.analyse_table

    def counting(table: Any, domains: Any, *, path: str) -> Any:
        seen[(id(table), path)] += 1
        return real(table, domains, path=path)

    monkeypatch.setattr(bands, "analyse_table", counting)
    guide = load_guide("2024")
    tables = {(id(b), p) for b, p in _tables(guide)}
    assert tables and tables <= set(seen)  # every table of the result was analysed…
    assert max(seen.values()) == 1  # …and none twice


def _tables(guide: Any) -> list[tuple[Any, str]]:
    out = []
    for m in guide.models:
        for c in m.criteria():
            if c.kind == "bands":
                out.append((c.params, c.params.path or f"{c.path}.bands"))
    return out


def _with_warnings(tmp_path: Path) -> Path:
    """mini-amended, changed so that its amendments leave warnings behind: an input no
    criterion reads, an Arabic label in Latin letters."""
    (tmp_path / "mini").mkdir()
    (tmp_path / "mini" / "guide.yaml").write_text(
        (ROOT / "tests" / "fixtures" / "mini" / "guide.yaml").read_text("utf-8"), "utf-8")
    text = (ROOT / "tests" / "fixtures" / "mini-amended" / "guide.yaml").read_text("utf-8")
    text = text.replace('score: "courtesy - 1"', 'score: "4"').replace(
        'ar: "مدة الانتظار قبل الخدمة"', 'ar: "Waiting time"')
    (tmp_path / "amended").mkdir()
    (tmp_path / "amended" / "guide.yaml").write_text(text, "utf-8")
    return tmp_path / "amended"


@pytest.mark.parametrize("where", ["2024", ROOT / "tests" / "fixtures" / "mini-amended", None])
def test_the_reused_checks_find_what_a_fresh_check_finds(where: Any, tmp_path: Path) -> None:
    guide = load_guide(where if where is not None else _with_warnings(tmp_path))
    kept = guide.check()
    fresh = run_checks(guide)  # no memo: every expression and table checked from scratch
    assert kept.diagnostics == fresh.diagnostics
    if where is None:  # not a vacuous equality
        assert {d.code for d in fresh.warnings} == {"guide.unused-input", "guide.label-script"}


def test_a_function_registered_since_is_seen_by_the_next_check(tmp_path: Path) -> None:
    """The memo does not keep an expression's findings across a change of the function
    registry: a guide checked again after a plugin function is registered finds it."""
    text = (ROOT / "tests" / "fixtures" / "mini" / "guide.yaml").read_text("utf-8")
    assert 'score: "if facilities.parking then 4 else 0"' in text
    (tmp_path / "guide.yaml").write_text(
        text.replace('score: "if facilities.parking then 4 else 0"', 'score: "memo_probe(4)"'), "utf-8")
    guide = load_guide(tmp_path / "guide.yaml", check=False)
    assert [d.code for d in guide.check().errors] == ["name.unknown-function"]
    function("memo_probe", params=["number"])(lambda x: x)
    try:
        assert guide.check().errors == ()
    finally:
        default_registry().unregister("memo_probe")
    assert [d.code for d in guide.check().errors] == ["name.unknown-function"]
