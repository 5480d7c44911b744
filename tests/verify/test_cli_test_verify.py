"""`taqyeem test` and `taqyeem verify` on the command line: exit codes, formats (data
written as plain text, byte-identical to `-o`), both languages, clear usage errors."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from shared import VERIFY, Cli
from taqyeem_rules import load_evidence, load_guide

SOUND = str(VERIFY / "sound" / "guide.yaml")


# ---- taqyeem test ------------------------------------------------------------------------


def test_test_passes_and_shows_coverage(cli: Cli) -> None:
    code, out, err = cli("test", SOUND)
    assert code == 0, err
    assert "3 case(s): 3 passed, 0 failed" in out
    assert "Coverage 79.3% (23 of 29)" in out
    assert "sound/guide.yaml:88:26: row 3 of waiting (onsite)" in out


def test_test_fails_on_a_mismatch_and_names_its_line(tmp_path: Path, cli: Cli) -> None:
    shutil.copytree(VERIFY / "sound", tmp_path / "sound")
    case = tmp_path / "sound" / "tests" / "silver.yaml"
    case.write_text(case.read_text(encoding="utf-8").replace("tier: silver", "tier: gold"), encoding="utf-8")
    code, out, _ = cli("test", str(tmp_path / "sound"), "--format", "markdown")
    assert code == 1
    assert "3 case(s): 2 passed, 1 failed" in out
    line = next(k for k, text in enumerate(case.read_text(encoding="utf-8").splitlines(), 1) if "tier: gold" in text)
    assert f"silver.yaml:{line}:9`: a 15-minute wait and a lukewarm survey: Silver: tier: expected gold, got silver" in out


def test_fail_under_and_its_usage_errors(cli: Cli) -> None:
    code, _, err = cli("test", SOUND, "--fail-under", "80")
    assert code == 1
    assert "coverage 79.3% is under --fail-under 80%" in err
    code, _, _ = cli("test", SOUND, "--fail-under", "79.3")
    assert code == 0
    for bad in ("101", "-1", "much"):
        code, _, err = cli("test", SOUND, "--fail-under", bad)
        assert code == 2
        assert f"expected a percentage from 0 to 100, not '{bad}'" in err


def test_test_json_and_markdown_are_plain_text_identical_to_o(tmp_path: Path, cli: Cli) -> None:
    for fmt in ("json", "markdown"):
        code, out, _ = cli("test", SOUND, "--format", fmt)
        assert code == 0
        target = tmp_path / f"report.{fmt}"
        assert cli("test", SOUND, "--format", fmt, "-o", str(target))[0] == 0
        assert target.read_text(encoding="utf-8") == out
    data = json.loads((tmp_path / "report.json").read_text(encoding="utf-8"))
    assert (data["passed"], data["failed"], data["coverage"]["percent"]) == (3, 0, "79.3")
    assert data["coverage"]["unreached"][0]["text"] == "row 3 of waiting"


def test_test_in_arabic(cli: Cli) -> None:
    code, out, _ = cli("test", SOUND, "--lang", "ar", "--format", "markdown")
    assert code == 0
    assert "حالات اختبار الدليل sound" in out
    assert "3 حالة: نجحت 3، وفشلت 0" in out
    assert "الصف 3 من waiting" in out


def test_test_without_cases_and_with_given_cases(tmp_path: Path, cli: Cli) -> None:
    code, _, err = cli("test", str(VERIFY / "non-monotone"))
    assert code == 1
    assert "error[case.none]: guide non-monotone has no test cases" in err
    code, out, _ = cli("test", SOUND, str(VERIFY / "sound" / "tests" / "gold.yaml"))
    assert code == 0 and "1 case(s): 1 passed" in out
    (tmp_path / "bad.yaml").write_text("evidence: x.yaml\nexpect: {tier: bronze}\n", encoding="utf-8")
    code, _, err = cli("test", SOUND, str(tmp_path / "bad.yaml"))
    assert code == 1
    assert "bad.yaml:1:11: error[case.evidence]" in err
    assert "Traceback" not in err


def test_schema_case_prints_the_case_schema(cli: Cli) -> None:
    code, out, _ = cli("schema", "case")
    assert code == 0
    schema = json.loads(out)
    assert schema["title"] == "Taqyeem guide test case"
    assert schema["definitions"]["tolerance"]["minimum"] == 0


# ---- taqyeem verify ----------------------------------------------------------------------


def test_verify_reports_a_finding_with_its_line_and_exits_1(cli: Cli) -> None:
    code, out, _ = cli("verify", str(VERIFY / "non-monotone"), "--property", "monotonicity")
    assert code == 1
    assert ("non-monotone/guide.yaml:87:26: improving `waiting_minutes` (lower is better) from 20.01 to 20 "
            "lowers criterion `waiting` from 3 to 2 points") in out
    assert "counter-example: waiting_minutes = 20.01" in out
    assert "FAILED: 1 finding(s)" in out
    assert "reproduce with --seed 0 and hypothesis" in out


def test_verify_a_sound_guide_exits_0(cli: Cli) -> None:
    code, out, _ = cli("verify", SOUND, "--max-examples", "20")
    assert code == 0
    assert "OK: every property holds" in out
    assert "seed 0, hypothesis" in out and "20 examples per property and model" in out


def test_verify_json_markdown_arabic_and_o(tmp_path: Path, cli: Cli) -> None:
    args = ("verify", str(VERIFY / "unreachable-tier"), "--property", "tiers")
    code, out, _ = cli(*args, "--format", "json", "--lang", "ar")
    assert code == 1
    data = json.loads(out)
    assert [f["values"]["tier"] for f in data["findings"]] == ["gold", "silver"]
    assert data["findings"][0]["message"].startswith("الفئة `gold` تتطلب مجموعاً لا يقل عن 90")
    assert data["findings"][0]["where"].endswith("unreachable-tier/guide.yaml:124:13")
    assert (data["seed"], data["max_examples"]) == (0, 100)
    target = tmp_path / "v.json"
    assert cli(*args, "--format", "json", "--lang", "ar", "-o", str(target))[0] == 1
    assert target.read_text(encoding="utf-8") == out
    code, out, _ = cli(*args, "--format", "markdown")
    assert "the highest total model `onsite` can give is 75.00" in out


def test_verify_writes_counterexamples_that_exhibit_the_violation(tmp_path: Path,
                                                                 cli: Cli) -> None:
    folder = tmp_path / "ce"
    code, _, err = cli("verify", str(VERIFY / "non-monotone"), "--property", "monotonicity",
                       "--counterexamples", str(folder))
    assert code == 1
    assert f"2 counter-example file(s) written to {folder}" in err
    names = sorted(p.name for p in folder.iterdir())
    assert names == ["01-monotonicity-onsite-waiting-improved.yaml", "01-monotonicity-onsite-waiting.yaml"]
    g = load_guide(VERIFY / "non-monotone")
    before = g.score(load_evidence(folder / names[1], g)).criterion("waiting").points
    after = g.score(load_evidence(folder / names[0], g)).criterion("waiting").points
    assert after < before


@pytest.mark.parametrize(("args", "message"), [
    (("--max-examples", "0"), "argument --max-examples: expected a whole number, 1 or more, not '0'"),
    (("--seed", "-3"), "argument --seed: expected a whole number, 0 or more, not '-3'"),
    (("--property", "monotony"), "argument --property: invalid choice: 'monotony'"),
])
def test_verify_usage_errors(cli: Cli, args: tuple[str, ...], message: str) -> None:
    code, _, err = cli("verify", SOUND, *args)
    assert code == 2
    assert message in err
    assert "Traceback" not in err
