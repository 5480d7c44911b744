"""The command line: formats, exit codes, atomic output, and no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from shared import C1, MINI, Cli


def test_no_command_prints_help_and_exits_2(cli: Cli) -> None:
    code, out, _ = cli()
    assert code == 2
    assert "usage: taqyeem" in out


def test_version(cli: Cli) -> None:
    from taqyeem_rules import __version__

    code, out, _ = cli("--version")
    assert code == 0
    assert __version__ in out


def test_unknown_command_is_usage_error(cli: Cli) -> None:
    code, _, err = cli("scroe", "2024")
    assert code == 2
    assert "error[usage]" in err
    assert "Traceback" not in err


def test_check_valid_guide(cli: Cli) -> None:
    code, out, _ = cli("check", str(MINI))
    assert code == 0
    assert "guide mini: onsite (2 categories, 5 criteria)" in out
    assert "valid: 0 error(s)" in out


def test_check_json(cli: Cli) -> None:
    code, out, _ = cli("check", str(MINI), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert data["ok"] is True
    assert data["models"] == {"onsite": 5}
    assert len(data["fingerprint"]) == 64


def test_unknown_edition_lists_bundled(cli: Cli) -> None:
    code, _, err = cli("score", "1999", str(C1))
    assert code == 1
    assert "no bundled edition '1999'" in err
    assert "hint: bundled editions:" in err


def test_score_table(cli: Cli) -> None:
    code, out, _ = cli("score", str(MINI), str(C1))
    assert code == 0
    assert "M-01" in out
    assert "85.83" in out
    assert "Silver" in out


def test_score_json_is_full_results(cli: Cli) -> None:
    code, out, _ = cli("score", str(MINI), str(C1), "--format", "json")
    data = json.loads(out)
    assert code == 0
    assert [r["total"] for r in data] == ["85.83"]
    assert data[0]["tier"] == "silver"
    assert {c["id"] for c in data[0]["criteria"]} == {
        "facilities_score", "parking_close", "waiting", "satisfaction_level", "tawasul"
    }


def test_score_csv_and_markdown(cli: Cli) -> None:
    code, out, _ = cli("score", str(MINI), str(C1), "--format", "csv")
    assert code == 0
    lines = out.strip().splitlines()
    assert lines[0] == "centre_id,centre_name,model,total,tier,basic_attainment,flags,guide_status"
    assert lines[1] == "M-01,Test centre,onsite,85.83,silver,75.00,,illustrative"  # no flag: an empty cell
    code, out, _ = cli("score", str(MINI), str(C1), "--format", "markdown", "--lang", "ar")
    assert code == 0
    assert out.splitlines()[0].startswith("| المركز | الاسم |")
    assert "| M-01 | مركز اختبار | المقر | 85.83 | الفئة الفضية | 75.00 | — |" in out
    assert out.endswith("\n\nدليل توضيحي: أوزانه وحدوده ليست الرسمية.\n")


def test_score_output_file_is_written_whole(tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "scores.json"
    target.write_text("previous")
    code, out, _ = cli("score", str(MINI), str(C1), "--format", "json", "-o", str(target))
    assert code == 0
    assert out == ""
    assert json.loads(target.read_text())[0]["total"] == "85.83"
    assert [p.name for p in tmp_path.iterdir()] == ["scores.json"]


def test_score_missing_evidence_file(cli: Cli) -> None:
    code, _, err = cli("score", str(MINI), "no/such/file.yaml")
    assert code == 1
    assert "error[evidence.not-found]: no evidence file or folder at no/such/file.yaml" in err


def test_score_reports_unscorable_centre_and_exits_1(tmp_path: Path, cli: Cli) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(C1.read_text().replace("  waiting_minutes: 12\n", "  waiting_minutes: 12\n  waitng: 3\n"))
    code, _, err = cli("score", str(MINI), str(bad))
    assert code == 1
    assert "error[evidence.unknown-key]: unknown input `waitng`" in err
    assert "did you mean `waiting_minutes`?" in err


def test_explain_text(cli: Cli) -> None:
    code, out, _ = cli("explain", str(MINI), str(C1), "--format", "text")
    assert code == 0
    assert out.startswith("Centre M-01 — Test centre (onsite, guide mini,")
    assert "row 2 of the table on waiting_minutes: (10..20] → 3" in out
    assert "score: round_half_up(reply_within_deadline / 25, 0) = 4" in out


def test_explain_arabic(cli: Cli) -> None:
    code, out, _ = cli("explain", str(MINI), str(C1), "--format", "text", "--lang", "ar")
    assert code == 0
    assert "المركز M-01 — مركز اختبار" in out
    assert "الفئة: الفئة الفضية" in out


def test_schema_guide_and_evidence(cli: Cli) -> None:
    import jsonschema

    code, out, _ = cli("schema", "guide")
    assert code == 0
    jsonschema.Draft7Validator.check_schema(json.loads(out))
    code, out, _ = cli("schema", "evidence", str(MINI))
    schema = json.loads(out)
    assert code == 0
    jsonschema.Draft7Validator.check_schema(schema)
    onsite = schema["allOf"][0]["then"]["properties"]["inputs"]
    assert onsite["properties"]["waiting_minutes"]["maximum"] == 240
    assert "satisfaction" not in onsite["required"]


def test_schema_evidence_needs_guide(cli: Cli) -> None:
    code, _, err = cli("schema", "evidence")
    assert code == 2
    assert "needs a GUIDE" in err


@pytest.mark.parametrize("command", [["score", str(MINI), str(C1)], ["diff", str(MINI), str(MINI)],
                                     ["impact", str(MINI), str(MINI), str(C1)]])
def test_output_file_needs_a_file_format(
    command: list[str], tmp_path: Path, cli: Cli
) -> None:
    """The rich table is for the terminal: `-o` with it is a usage error, not a silently
    ignored option."""
    target = tmp_path / "out.txt"
    code, _, err = cli(*command, "-o", str(target))
    assert code == 2
    assert "-o needs another --format" in err and "--format json" in err
    assert not target.exists()


def test_output_dash_is_the_terminal(
    tmp_path: Path, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    code, out, _ = cli("score", str(MINI), str(C1), "--format", "json", "-o", "-")
    assert code == 0
    assert json.loads(out)[0]["centre"]["id"] == "M-01"
    assert list(tmp_path.iterdir()) == []  # no file named "-"


def test_counts_must_be_whole_numbers(cli: Cli) -> None:
    code, _, err = cli("impact", str(MINI), str(MINI), str(C1), "--top", "-1")
    assert code == 2 and "--top: expected a whole number, 0 or more, not '-1'" in err


def test_every_argument_has_help(capsys: pytest.CaptureFixture[str]) -> None:
    """`taqyeem COMMAND --help` says what each positional argument is."""
    from taqyeem_rules.cli import build_parser

    parser = build_parser()
    subparsers = next(a for a in parser._actions if a.dest == "command")
    for name, sub in subparsers.choices.items():  # type: ignore[union-attr]
        for action in sub._actions:
            if not action.option_strings:
                assert action.help, f"{name} {action.metavar or action.dest}"
