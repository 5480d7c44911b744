"""`taqyeem record` and `taqyeem replay`: output, exit codes, no tracebacks."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from record_helpers import ARCHIVE, layout, parse

from shared import C1, MINI_YAML, Cli

GUIDE = MINI_YAML


@pytest.fixture
def recorded(tmp_path: Path, cli: Cli) -> Path:
    path = tmp_path / "cycle.json"
    code, out, err = cli("record", str(GUIDE), str(C1), "--cycle", "Mini 1", "-o", str(path))
    assert code == 0, err
    assert "recorded cycle 'Mini 1': 1 centre(s) (onsite 1)" in out
    assert f"wrote {path}" in out
    return path


def test_record_prints_the_fingerprint(recorded: Path) -> None:
    data = parse(recorded.read_bytes())
    assert data["cycle"] == "Mini 1"
    assert data["count"] == 1


def test_record_json_summary(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "c.json"
    code, out, _ = cli("record", str(GUIDE), str(C1), "--cycle", "x", "-o", str(path), "--format", "json")
    assert code == 0
    summary = json.loads(out)
    assert summary["fingerprint"] == parse(path.read_bytes())["fingerprint"]
    assert summary["count"] == 1


def test_replay_ok_exits_0(recorded: Path, cli: Cli) -> None:
    code, out, err = cli("replay", str(recorded))
    assert code == 0, out + err
    assert "every fingerprint verifies" in out
    assert "OK:" in out
    assert "Mini 1" in out


def test_replay_archive_json(cli: Cli) -> None:
    code, out, _ = cli("replay", str(ARCHIVE / "2024.json"), "--format", "json")
    assert code == 0
    report = json.loads(out)
    assert report["ok"] is True
    assert report["edition"] == "2024"
    assert report["matching"] == report["count"] == len(report["centres"])
    assert report["integrity"] == []
    assert report["differences"] == []


def test_replay_with_published_fingerprint(recorded: Path, cli: Cli) -> None:
    fingerprint = parse(recorded.read_bytes())["fingerprint"]
    assert cli("replay", str(recorded), "--fingerprint", fingerprint)[0] == 0
    code, out, _ = cli("replay", str(recorded), "--fingerprint", "0" * 64)
    assert code == 1
    assert "not the record that was published" in out


def test_replay_tampered_exits_1(recorded: Path, cli: Cli) -> None:
    data = parse(recorded.read_bytes())
    data["centres"][0]["evidence"]["inputs"]["waiting_minutes"] = "25"
    recorded.write_bytes(layout(data))
    code, out, _ = cli("replay", str(recorded))
    assert code == 1
    assert "centre M-01 (onsite): the evidence does not match its fingerprint" in out
    assert "inputs.waiting_minutes" in out
    assert "criteria.waiting.points: 3 → 1 (reads waiting_minutes = 25)" in out
    assert "FAILED" in out
    code, out, _ = cli("replay", str(recorded), "--format", "json")
    assert code == 1
    report = json.loads(out)
    assert report["ok"] is False
    assert report["integrity"][0]["part"] == "evidence"
    assert any(d["criterion"] == "waiting" for d in report["differences"])


def test_replay_limit(recorded: Path, cli: Cli) -> None:
    data = parse(recorded.read_bytes())
    data["centres"][0]["evidence"]["inputs"]["waiting_minutes"] = "25"
    recorded.write_bytes(layout(data))
    code, out, _ = cli("replay", str(recorded), "--limit", "1")
    assert code == 1
    assert "more difference(s)" in out


def test_replay_unreadable_record_exits_1_without_traceback(tmp_path: Path, cli: Cli) -> None:
    path = tmp_path / "cut.json"
    path.write_bytes((ARCHIVE / "2024.json").read_bytes()[:5000])
    code, out, err = cli("replay", str(path))
    assert code == 1
    assert "error[record.truncated]" in err
    assert "hint:" in err
    assert "Traceback" not in out + err


def test_replay_missing_file(tmp_path: Path, cli: Cli) -> None:
    code, _, err = cli("replay", str(tmp_path / "none.json"))
    assert code == 1
    assert "error[record.not-found]" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["record", "2024", "criteria/2024/examples", "-o", "x.json"],  # no --cycle
        ["record", "2024", "criteria/2024/examples", "--cycle", "c"],  # no -o
        ["record", "2024"],
        ["replay"],
        ["replay", "a.json", "--format", "yaml"],
        ["replay", "a.json", "--limit", "-1"],
    ],
)
def test_usage_errors_exit_2(argv: list[str], cli: Cli) -> None:
    code, _, err = cli(*argv)
    assert code == 2
    assert "error[usage]" in err
    assert "Traceback" not in err


def test_record_invalid_evidence_exits_1_and_writes_nothing(tmp_path: Path, cli: Cli) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(C1.read_text(encoding="utf-8").replace("waiting_minutes: 12", "waiting_minutes: -5"), encoding="utf-8")
    out_path = tmp_path / "cycle.json"
    code, _, err = cli("record", str(GUIDE), str(bad), "--cycle", "c", "-o", str(out_path))
    assert code == 1
    assert "waiting_minutes" in err
    assert not out_path.exists()
    assert list(tmp_path.iterdir()) == [bad]


def test_help_lists_record_and_replay(cli: Cli) -> None:
    code, out, _ = cli("--help")
    assert code == 0
    assert "record" in out and "replay" in out
