"""Items 8, 9, 10, 12 and 15 of issue 10: what is written out.

- data formats (JSON, CSV, Markdown) are plain text, byte-identical to ``-o``, never
  rewritten by the terminal library (a centre named ``:warning:`` stays text; diagnostics
  at ``file:100:9`` do not become an emoji);
- CSV cells a spreadsheet would run as formulas are neutralised;
- when standard output cannot take UTF-8, data commands stop before anything is
  written; tables for people degrade (escapes) instead of failing;
- control characters and bidirectional overrides in names are shown escaped in tables,
  explanations and diagnostics;
- a newline in a name keeps a Markdown table row on one line.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from robust_helpers import MINI_CENTRE, position, replaced, write

from shared import MINI, MINI_AMENDED, MINI_YAML, Cli
from taqyeem_rules import Guide
from taqyeem_rules._text import csv_cell, markdown_cell, visible

HOSTILE = ":warning: file:100:9 \x1b[31mred\x1b[0m \u202eevil\u202c [bold]x[/bold]\nsecond line"


def centre(folder: Path, *, centre_id: str = "M-01", name: str = HOSTILE, courtesy: bool = False) -> Path:
    """A centre of the mini guide; with ``courtesy``, of the amended mini guide (which
    reads `courtesy`; impact scores it under the mini guide too, leaving it out)."""
    data = {"centre": {"id": centre_id, "name": name}, "model": "onsite",
            "inputs": {"waiting_minutes": 12, "facilities": {"parking": True, "ramp": True, "signage": False,
                                                             "seating": True},
                       "has_parking_area": True, "satisfaction": 91.5, "reply_within_deadline": 88,
                       **({"courtesy": 4} if courtesy else {})}}
    return write(folder, "centre.json", json.dumps(data, ensure_ascii=False))


# ---- item 8: data formats are plain text, identical to -o ------------------------------


@pytest.mark.parametrize(("command", "fmt"), [
    ("score", "json"), ("score", "csv"), ("score", "markdown"),
    ("impact", "json"), ("impact", "csv"), ("impact", "markdown"),
])
def test_data_on_stdout_is_byte_identical_to_the_file(tmp_path: Path, cli: Cli,
                                                      command: str, fmt: str) -> None:
    evidence = str(centre(tmp_path, courtesy=command == "impact"))
    guides = [str(MINI)] if command == "score" else [str(MINI), str(MINI_AMENDED / "guide.yaml")]
    code, out, _ = cli.bytes(command, *guides, evidence, "--format", fmt)
    assert code == 0
    target = tmp_path / f"out.{fmt}"
    assert cli.bytes(command, *guides, evidence, "--format", fmt, "-o", str(target))[0] == 0
    assert out == target.read_bytes()
    assert b":warning:" in out and "⚠".encode() not in out


def test_json_of_every_command_is_the_data_unchanged(tmp_path: Path, cli: Cli, mini_guide: Guide) -> None:
    from taqyeem_rules import load_evidence
    from taqyeem_rules.cli import dumps

    evidence = centre(tmp_path)
    result = mini_guide.score(load_evidence(evidence, mini_guide))
    code, out, _ = cli.bytes("explain", str(MINI), str(evidence), "--format", "json")
    assert (code, out) == (0, (dumps([result.to_dict()]) + "\n").encode())  # one document: a list
    code, out, _ = cli.bytes("eval", '":warning: 1:100:9"', "--format", "json")
    assert json.loads(out)["value"] == ":warning: 1:100:9"
    record = tmp_path / "r.json"
    assert cli.bytes("record", str(MINI), str(evidence), "--cycle", ":100:", "-o", str(record))[0] == 0
    code, out, _ = cli.bytes("replay", str(record), "--format", "json")
    assert json.loads(out)["cycle"] == ":100:" and b"\xf0\x9f\x92\xaf" not in out  # no 💯


def test_diagnostics_keep_their_positions(tmp_path: Path, cli: Cli) -> None:
    """`guide.yaml:100:9` used to print as `guide.yaml💯9`."""
    mini = MINI_YAML.read_text(encoding="utf-8")
    text = "# comment\n" * (100 - position(mini, "weight: 40")[0]) + replaced(mini, "weight: 40", "weight: forty")
    path = write(tmp_path, "guide.yaml", text)
    line, col = position(text, "forty")
    assert line == 100
    code, _, err = cli.bytes("check", str(path))
    assert code == 1
    assert f"guide.yaml:100:{col}: error[guide.type]".encode() in err
    assert "💯".encode() not in err


# ---- item 9: CSV formula injection ------------------------------------------------------


@pytest.mark.parametrize(("cell", "written"), [
    ("=cmd|' /C calc'!A0", "'=cmd|' /C calc'!A0"),
    ("@SUM(1+1)", "'@SUM(1+1)"),
    ("+1+1", "'+1+1"),
    ("-2+3", "'-2+3"),
    ("\tx", "'\tx"),
    ("\rx", "'\rx"),
    ("-3.25", "-3.25"),
    ("+1.5", "+1.5"),
    ("Isa Town", "Isa Town"),
])
def test_csv_cells_are_neutralised(cell: str, written: str) -> None:
    assert csv_cell(cell) == written


def test_score_and_impact_csv_neutralise_ids_and_names(tmp_path: Path, cli: Cli) -> None:
    import csv
    import io

    for argv in (["score", str(MINI)], ["impact", str(MINI), str(MINI_AMENDED / "guide.yaml")]):
        evidence = str(centre(tmp_path, centre_id="=cmd|' /C calc'!A0", name="@SUM(1+1)",
                              courtesy=argv[0] == "impact"))
        code, out, _ = cli.bytes(*argv, evidence, "--format", "csv")
        assert code == 0
        rows = list(csv.reader(io.StringIO(out.decode())))
        assert rows[1][:2] == ["'=cmd|' /C calc'!A0", "'@SUM(1+1)"]
        assert not any(cell.startswith(("=", "@")) for row in rows for cell in row)


# ---- item 10: standard output without UTF-8 -----------------------------------------------


def _cli(env: dict[str, str], *argv: str, cwd: Path) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run([sys.executable, "-m", "taqyeem_rules", *argv], capture_output=True,
                          env={**os.environ, **env, "PYTHONUTF8": "0"}, cwd=cwd, check=False, timeout=120)


def test_data_formats_stop_before_writing_anything(tmp_path: Path) -> None:
    evidence = str(centre(tmp_path, name="مركز اختبار"))
    env = {"PYTHONIOENCODING": "latin-1"}
    done = _cli(env, "score", str(MINI), evidence, "--format", "json", cwd=tmp_path)
    assert (done.returncode, done.stdout) == (2, b"")
    assert done.stderr.decode("latin-1").startswith(
        "error[usage.encoding]: standard output takes the encoding iso8859-1, but json output is "
        "written in UTF-8, unchanged; nothing was written\n"
        "  hint: write it to a file with -o FILE, or set PYTHONIOENCODING=utf-8 (or PYTHONUTF8=1)")
    done = _cli(env, "record", str(MINI), evidence, "--cycle", "C", "-o", "r.json", "--format", "json", cwd=tmp_path)
    assert done.returncode == 2 and not (tmp_path / "r.json").exists()
    done = _cli(env, "score", str(MINI), evidence, "--format", "json", "-o", "s.json", cwd=tmp_path)
    assert done.returncode == 0 and json.loads((tmp_path / "s.json").read_text(encoding="utf-8"))


def test_tables_for_people_degrade(tmp_path: Path) -> None:
    evidence = str(centre(tmp_path, name="مركز"))
    done = _cli({"PYTHONIOENCODING": "latin-1"}, "score", str(MINI), evidence, "--lang", "ar", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert b"\\u0645\\u0631\\u0643\\u0632" in done.stdout  # مركز, escaped
    done = _cli({"PYTHONIOENCODING": "latin-1"}, "record", str(MINI), evidence, "--cycle", "C", "-o", "r.json",
                cwd=tmp_path)
    assert done.returncode == 0 and (tmp_path / "r.json").exists()


# ---- item 12: escapes and bidi controls are shown, not obeyed ------------------------------


def test_visible_escapes_controls_and_bidi() -> None:
    assert visible("a\x1b[31mb\u202ec\u2066d\x7f\n") == "a\\u001b[31mb\\u202ec\\u2066d\\u007f\\u000a"
    assert visible("مركز اختبار — Isa Town") == "مركز اختبار — Isa Town"


@pytest.mark.parametrize("argv", [["score"], ["explain", "--format", "text"], ["explain", "--format", "tree"]])
def test_names_reach_the_terminal_escaped(tmp_path: Path, cli: Cli,
                                          argv: list[str]) -> None:
    evidence = str(centre(tmp_path))
    code, out, _ = cli.bytes(argv[0], str(MINI), evidence, *argv[1:])
    assert code == 0
    assert b"\x1b" not in out and "\u202e".encode() not in out
    assert b"\\u001b[31m" in out and b"\\u202e" in out and b"[bold]x[/bold]" in out


def test_diagnostics_reach_the_terminal_escaped(tmp_path: Path, cli: Cli) -> None:
    text = replaced(MINI_CENTRE, "waiting_minutes: 12", 'waiting_minutes: "\\e[31m\u202e12"')
    path = write(tmp_path, "c.yaml", text)
    code, _, err = cli.bytes("score", str(MINI), str(path))
    assert code == 1
    assert b"\x1b" not in err and "\u202e".encode() not in err
    assert b"\\u001b[31m\\u202e12" in err


# ---- item 15: Markdown rows ----------------------------------------------------------------


def test_markdown_cells_stay_on_their_row() -> None:
    assert markdown_cell("a|b\nc\r\nd\re\u2028f") == "a\\|b c d e f"


@pytest.mark.parametrize("command", ["score", "impact"])
def test_a_newline_in_a_name_keeps_the_markdown_row(tmp_path: Path, cli: Cli,
                                                    command: str) -> None:
    evidence = str(centre(tmp_path, name="Isa\nTown\r\nEast|West", courtesy=command == "impact"))
    guides = [str(MINI)] if command == "score" else [str(MINI), str(MINI_AMENDED / "guide.yaml")]
    code, out, _ = cli.bytes(command, *guides, evidence, "--format", "markdown")
    assert code == 0
    rows = [line for line in out.decode().splitlines() if "M-01" in line]
    assert len(rows) == 1 and "Isa Town East\\|West" in rows[0]
