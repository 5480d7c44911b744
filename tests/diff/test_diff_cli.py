"""`taqyeem diff` and `taqyeem impact`: formats, exit codes, and the golden committee paper.

The golden files in tests/diff/golden/ are regenerated with
``python -m tests.diff.make_golden`` (see that script) after a deliberate change.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml

from shared import C1, MINI, MINI_AMENDED, Cli
from taqyeem_rules import Guide, diff_guides, load_guide

HERE = Path(__file__).parent
GOLDEN = HERE / "golden"


# ---- golden ----------------------------------------------------------------------------------

GOLDEN_CASES = {
    "diff-2023-2024.md": ["diff", "2023", "2024", "--format", "markdown"],
    "diff-2023-2024.ar.md": ["diff", "2023", "2024", "--format", "markdown", "--lang", "ar"],
}


@pytest.mark.parametrize("name", sorted(GOLDEN_CASES))
def test_golden_committee_paper(name: str, tmp_path: Path, cli: Cli) -> None:
    from make_golden import CASES

    assert CASES == GOLDEN_CASES
    golden = GOLDEN / name
    assert golden.is_file(), f"missing {golden}: run `python -m tests.diff.make_golden`"
    target = tmp_path / name
    assert cli(*GOLDEN_CASES[name], "-o", str(target)).code == 0
    assert target.read_text(encoding="utf-8") == golden.read_text(encoding="utf-8"), (
        "the diff of 2023 and 2024 changed; if that is intended, run `python -m tests.diff.make_golden`"
    )


def test_golden_paper_names_the_fingerprints() -> None:
    text = (GOLDEN / "diff-2023-2024.md").read_text(encoding="utf-8")
    assert load_guide("2023").fingerprint in text
    assert load_guide("2024").fingerprint in text
    assert text.startswith("# Changes to the evaluation guide: 2023 → 2024\n")


# ---- diff --------------------------------------------------------------------------------------


def test_diff_table(cli: Cli) -> None:
    code, out, err = cli("diff", str(MINI), str(MINI_AMENDED))
    assert code == 0, err
    for word in ("courtesy_level", "reweighted", "platinum", "silver", "effective weights", "7 edit(s)"):
        assert word in out
    assert "[service]" in out  # not swallowed as console markup


def test_diff_of_a_guide_with_itself(cli: Cli) -> None:
    code, out, _ = cli("diff", str(MINI), str(MINI))
    assert code == 0
    assert "no changes" in out


def test_diff_json(cli: Cli) -> None:
    code, out, _ = cli("diff", str(MINI), str(MINI_AMENDED), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["counts"] == {"removed": 1, "added": 3, "moved": 0, "reweighted": 2, "changed": 0, "relabelled": 1}
    assert data["new"]["fingerprint"] == load_guide(MINI_AMENDED).fingerprint
    assert {e["kind"] for e in data["edits"]} == {"removed", "added", "reweighted", "relabelled"}


def test_diff_markdown_to_file(tmp_path: Path, cli: Cli, mini_guide: Guide) -> None:
    target = tmp_path / "paper.md"
    code, out, err = cli("diff", str(MINI), str(MINI_AMENDED), "--format", "markdown", "-o", str(target))
    assert code == 0 and out == ""
    written = target.read_bytes()
    assert err == f"wrote {target} ({len(written):,} bytes)\n"  # -o says what it wrote
    paper = diff_guides(mini_guide, load_guide(MINI_AMENDED)).to_markdown()
    caveat = "Illustrative guide (mini, mini-amended): its weights and thresholds are not the official ones.\n"
    assert written.decode("utf-8") == paper.rstrip("\n") + "\n\n" + caveat


def test_diff_arabic(cli: Cli) -> None:
    code, out, _ = cli("diff", str(MINI), str(MINI_AMENDED), "--lang", "ar")
    assert code == 0
    assert "تغيّر الوزن" in out


def test_diff_amendments_make_an_amended_edition(tmp_path: Path, cli: Cli) -> None:
    """The amendments printed by `--format amendments`, under the amended edition's header,
    are an `extends` file that loads to the same fingerprint."""
    code, out, _ = cli("diff", str(MINI), str(MINI_AMENDED), "--format", "amendments")
    assert code == 0
    amendments = yaml.safe_load(out)["amendments"]
    assert [a["id"] for a in amendments] == [f"D{k}" for k in range(1, 7)]
    shutil.copytree(MINI, tmp_path / "mini")
    header = (MINI_AMENDED / "guide.yaml").read_text(encoding="utf-8").split("amendments:")[0]
    (tmp_path / "new").mkdir()
    (tmp_path / "new" / "guide.yaml").write_text(header + out, encoding="utf-8")
    assert load_guide(tmp_path / "new" / "guide.yaml").fingerprint == load_guide(MINI_AMENDED).fingerprint


def test_diff_unknown_guide_is_not_a_traceback(cli: Cli) -> None:
    code, _, err = cli("diff", "2023", "1999")
    assert code in (1, 2)
    assert "Traceback" not in err and "1999" in err


def test_diff_needs_two_guides(cli: Cli) -> None:
    code, _, err = cli("diff", "2023")
    assert code == 2
    assert "NEW" in err or "new" in err


# ---- impact ----------------------------------------------------------------------------------


@pytest.fixture
def evidence(tmp_path: Path) -> Path:
    """Two centres: one of the amended edition (with courtesy), and c1 (without)."""
    folder = tmp_path / "evidence"
    folder.mkdir()
    shutil.copy(C1, folder / "c1.yaml")
    text = C1.read_text(encoding="utf-8")
    text = text.replace('id: "M-01"', 'id: "M-02"').replace('edition: "mini"', 'edition: "mini-amended"')
    text = text.replace("waiting_minutes: 12", "waiting_minutes: 4\n  courtesy: 5")
    (folder / "c2.yaml").write_text(text, encoding="utf-8")
    return folder


def test_impact_without_assumptions_exits_1_and_says_what_is_missing(
        evidence: Path, cli: Cli) -> None:
    code, out, err = cli("impact", str(MINI), str(MINI_AMENDED), str(evidence))
    assert code == 1 and out == ""  # c1 has no courtesy: nothing is scored, nothing printed
    assert "guide mini-amended reads `courtesy`" in err and "1 of 2 centre(s) lack it (M-01)" in err
    assert "--assume-missing not_applicable" in err and "Traceback" not in err


def test_impact_table_with_an_assumption(evidence: Path, cli: Cli,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "200")
    code, out, err = cli("impact", str(MINI), str(MINI_AMENDED), str(evidence), "--assume", "courtesy=3")
    assert code == 0, err
    assert "M-01" in out and "M-02" in out and "tier transitions" in out
    assert "Assumptions" in out and "courtesy" in out and "the value 3" in out and "--assume" in out
    assert "of 2 centre(s) scored under both guides change tier" in out


def test_impact_formats(evidence: Path, cli: Cli) -> None:
    ok = evidence / "c2.yaml"
    code, out, _ = cli("impact", str(MINI), str(MINI_AMENDED), str(ok), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert [c["centre"] for c in data["centres"]] == ["M-02"]
    assert data["centres"][0]["old_tier"] is not None
    code, out, _ = cli("impact", str(MINI), str(MINI_AMENDED), str(ok), "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0][0] == "centre_id" and rows[1][0] == "M-02"
    code, out, _ = cli("impact", str(MINI), str(MINI_AMENDED), str(ok), "--format", "markdown", "--top", "1")
    assert code == 0 and "## Tier transitions — onsite" in out


def test_impact_bundled_examples(cli: Cli) -> None:
    examples = HERE.parents[1] / "criteria" / "2024" / "examples"
    code, out, _ = cli("impact", "2023", "2024", str(examples), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["unscored"] == 0 and len(data["centres"]) >= 10
    changed = [c for c in data["centres"] if c["tier_changed"]]
    assert data["centres"][: len(changed)] == changed


def test_impact_unknown_evidence_path(cli: Cli) -> None:
    code, _, err = cli("impact", str(MINI), str(MINI_AMENDED), "no/such/folder")
    assert code == 1
    assert "Traceback" not in err


def test_impact_table_lists_one_moved_criterion_per_line(
    cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The table keeps totals whole and gives each criterion that moved a total its own
    line, so a reader can take them in at a terminal's width."""
    monkeypatch.setenv("COLUMNS", "140")
    examples = HERE.parents[1] / "criteria" / "2024" / "examples"
    code, out, _ = cli("impact", "2023", "2024", str(examples), "--top", "2")
    assert code == 0
    row = next(line for line in out.splitlines() if "EX-2024-B" in line)
    following = out.splitlines()[out.splitlines().index(row) + 1]
    assert "82.56" in row and "81.63" in row and "-0.93" in row
    assert re.search(r"│ \S+ [+-]\d+\.\d\d\s+│$", row), row
    assert re.search(r"│ \S+ [+-]\d+\.\d\d\s+│$", following), following
    assert "," not in row.rsplit("│", 2)[1]
