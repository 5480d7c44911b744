"""The data forms of impact, margins and sensitivity name their version, and the version
names one form: the API's ``to_dict()`` and the command's JSON are the same document
(``guide_status`` included), and the CSV's last column is the same status."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path
from typing import Any

import pytest

from shared import C1, MINI_AMENDED, MINI_YAML, Cli
from taqyeem_rules import impact, load_evidence, load_guide, margins, sensitivity

AMENDED = MINI_AMENDED / "guide.yaml"

#: The form each analysis writes, and what each version added.
FORMATS = {
    "impact": "taqyeem-impact/3",
    "margins": "taqyeem-margins/2",
    "sensitivity": "taqyeem-sensitivity/2",
}


def _official(tmp_path: Path) -> Path:
    """The mini guide with its numbers said to be official (a copy; the fixture is illustrative)."""
    text = MINI_YAML.read_text(encoding="utf-8")
    marked = "  status: illustrative\n  illustrative: [weights, thresholds, criteria]\n"
    assert marked in text
    folder = tmp_path / "official"
    folder.mkdir()
    target = folder / "guide.yaml"
    target.write_text(text.replace(marked, "  status: official\n"), encoding="utf-8")
    return target


def _analyses(old: Path, new: Path) -> dict[str, tuple[Any, list[str]]]:
    """Each analysis by the API, and the command line that makes the same one."""
    g_old, g_new = load_guide(str(old)), load_guide(str(new))
    ev = load_evidence(str(C1), g_old)
    return {
        "impact": (impact(g_old, g_new, [ev], assume_missing="not_applicable"),
                   ["impact", str(old), str(new), str(C1), "--assume-missing", "not_applicable"]),
        "margins": (margins(g_old, [ev]), ["margins", str(old), str(C1)]),
        "sensitivity": (sensitivity(g_old, [ev], samples=9), ["sensitivity", str(old), str(C1), "--samples", "9"]),
    }


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_the_command_writes_the_api_form_under_its_version(name: str, tmp_path: Path, cli: Cli) -> None:
    result, argv = _analyses(MINI_YAML, AMENDED)[name]
    data = json.loads(json.dumps(result.to_dict()))
    assert data["format"] == FORMATS[name] and data["guide_status"] == "illustrative"
    code, out, _ = cli(*argv, "--format", "json")
    assert code == 0 and json.loads(out) == data  # one form under one marker, API and CLI alike
    code, out, _ = cli(*argv, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0][-1] == "guide_status" and len(rows) > 1
    assert all(row[-1] == "illustrative" for row in rows[1:])


@pytest.mark.parametrize("name", sorted(FORMATS))
def test_an_official_guide_says_official(name: str, tmp_path: Path, cli: Cli) -> None:
    official = _official(tmp_path)
    result, argv = _analyses(official, official)[name]
    assert result.guide_status == "official" and result.to_dict()["guide_status"] == "official"
    code, out, _ = cli(*argv, "--format", "csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert code == 0 and rows[0][-1] == "guide_status" and {row[-1] for row in rows[1:]} == {"official"}


def test_an_impact_is_illustrative_when_either_guide_is(tmp_path: Path) -> None:
    official = _official(tmp_path)
    g_official, g_illustrative = load_guide(str(official)), load_guide(str(AMENDED))
    ev = load_evidence(str(C1), g_official)
    for old, new in ((g_official, g_illustrative), (g_illustrative, g_official)):
        moved = impact(old, new, [ev], assume_missing="not_applicable")
        assert moved.guide_status == "illustrative"
        assert list(csv.reader(io.StringIO(moved.to_csv())))[1][-1] == "illustrative"
