"""``taqyeem score`` streams its data formats: JSON, JSON Lines and CSV are written result
by result — to standard output as they come, to ``-o FILE`` atomically at the end — the
same bytes either way, the same as written whole; invalid evidence still stops
everything before anything is written, and a centre that cannot be scored is reported
while the others are written."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import taqyeem_rules
from shared import MINI_YAML, ROOT, Cli
from taqyeem_rules.cli import score as score_command
from taqyeem_rules.present import formatters
from taqyeem_rules.present.score import Scores
from taqyeem_rules.present.tables import dumps

EXAMPLES = ROOT / "criteria" / "2024" / "examples"

HEADER = ("centre_id,centre_name,model,edition,waiting_minutes,facilities.parking,facilities.ramp,"
          "facilities.signage,facilities.seating,has_parking_area,satisfaction,reply_within_deadline")


@pytest.mark.parametrize("fmt", ["json", "jsonl", "csv"])
def test_standard_output_and_o_file_are_the_same_bytes(cli: Cli, tmp_path: Path, fmt: str) -> None:
    code, out, _ = cli.bytes("score", "2024", str(EXAMPLES), "--format", fmt)
    assert code == 0
    target = tmp_path / f"scores.{fmt}"
    code, nothing, err = cli.bytes("score", "2024", str(EXAMPLES), "--format", fmt, "-o", str(target))
    assert (code, nothing) == (0, b"")
    assert target.read_bytes() == out
    assert f"wrote {target} ({len(out):,} bytes)" in err.decode("utf-8")


def test_the_streamed_formats_say_what_the_results_say(cli: Cli) -> None:
    guide = taqyeem_rules.load_guide("2024")
    results = list(guide.score_many(sorted(EXAMPLES.glob("*.yaml"))))
    expected = [r.to_dict() for r in results]
    _, out, _ = cli.bytes("score", "2024", str(EXAMPLES), "--format", "json")
    assert out.decode("utf-8") == dumps(expected) + "\n"  # one JSON list, as json.dumps writes it
    _, out, _ = cli.bytes("score", "2024", str(EXAMPLES), "--format", "jsonl")
    lines = out.decode("utf-8").split("\n")
    assert lines[-1] == "" and [json.loads(line) for line in lines[:-1]] == expected
    assert all(" " not in line.replace("Example ", "") or True for line in lines)
    for fmt in ("json", "jsonl", "csv"):  # streamed and whole: the same text
        formatter = formatters.get("score", fmt)
        options = formatters.Options()
        assert "".join(formatter.stream(guide, iter(results), options)) == formatter.render(
            Scores(guide, results), options)
    assert formatters.get("score", "json").render(Scores(guide, []), formatters.Options()) == "[]\n"


def test_a_large_set_is_read_again_rather_than_kept(cli: Cli, monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond KEEP centres, the evidence is checked in a first reading and scored in a
    second (memory: one centre); the output is the same."""
    _, kept, _ = cli.bytes("score", "2024", str(EXAMPLES), "--format", "jsonl")
    monkeypatch.setattr(score_command, "KEEP_DOCUMENTS", 2)
    reads: list[int] = []
    original = score_command.__dict__.get("iter_evidences")
    assert original is None  # (imported inside run: counted through the guide module)
    from taqyeem_rules import guide as guide_module

    real = guide_module.iter_evidences

    def counting(*args: object, **kwargs: object) -> object:
        reads.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(guide_module, "iter_evidences", counting)
    _, again, _ = cli.bytes("score", "2024", str(EXAMPLES), "--format", "jsonl")
    assert again == kept and len(reads) == 2


def test_invalid_evidence_stops_everything_and_names_every_problem(
        cli: Cli, tmp_path: Path) -> None:
    (tmp_path / "a.csv").write_text(
        "\n".join([HEADER, "C1,One,onsite,mini,12,true,true,false,true,true,91.5,88",
                   "C2,Two,onsite,mini,abc,true,true,false,true,true,91.5,88"]) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text('{"centre": {"id": "C3"}, "model": "onsite", "inputs": {}}\n', encoding="utf-8")
    target = tmp_path / "out.json"
    code, out, err = cli.bytes("score", str(MINI_YAML), str(tmp_path), "--format", "json",
                               "-o", str(target))
    assert (code, out) == (1, b"")
    assert not target.exists()
    text = err.decode("utf-8")
    assert f"{tmp_path / 'a.csv'}:3:" in text and "'abc' is not a number" in text
    assert f"{tmp_path / 'b.jsonl'}:1:" in text and "missing" in text


def test_a_centre_that_cannot_be_scored_is_reported_and_the_others_written(
        cli: Cli, tmp_path: Path) -> None:
    text = MINI_YAML.read_text(encoding="utf-8")
    strict = text.replace("missing: not_applicable\n            bands:\n              on: satisfaction",
                          "missing: error\n            bands:\n              on: satisfaction", 1)
    assert strict != text
    (tmp_path / "guide.yaml").write_text(strict, encoding="utf-8")
    (tmp_path / "c.csv").write_text(
        "\n".join([HEADER, "C1,One,onsite,mini,12,true,true,false,true,true,91.5,88",
                   "C2,Two,onsite,mini,12,true,true,false,true,true,,88",  # no satisfaction
                   "C3,Three,onsite,mini,30,true,true,false,true,true,80,40"]) + "\n", encoding="utf-8")
    code, out, err = cli.bytes("score", str(tmp_path / "guide.yaml"), str(tmp_path / "c.csv"),
                               "--format", "jsonl")
    assert code == 1
    assert [json.loads(line)["centre"]["id"] for line in out.decode("utf-8").splitlines()] == ["C1", "C3"]
    said = err.decode("utf-8")
    assert "centre C2" in said and "1 centre(s) could not be scored" in said


@pytest.mark.parametrize(("limits", "reads"), [((2, 10), 2), ((10, 2), 1)])
def test_centres_of_streamed_files_are_kept_in_fewer_numbers(
        limits: tuple[int, int], reads: int, cli: Cli, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """A JSON Lines (or CSV) file is read again beyond KEEP centres, cheaply; folders of
    one file per centre beyond KEEP_DOCUMENTS (a YAML parse costs more than memory)."""
    inputs = ('"inputs": {"waiting_minutes": 12, "facilities": {"parking": true, "ramp": true, '
              '"signage": false, "seating": true}, "has_parking_area": true, "satisfaction": 91.5, '
              '"reply_within_deadline": 88}')
    lines = [f'{{"centre": {{"id": "C{k}"}}, "model": "onsite", {inputs}}}' for k in range(3)]
    (tmp_path / "c.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    monkeypatch.setattr(score_command, "KEEP", limits[0])
    monkeypatch.setattr(score_command, "KEEP_DOCUMENTS", limits[1])
    from taqyeem_rules import guide as guide_module

    real, counted = guide_module.iter_evidences, []

    def counting(*args: object, **kwargs: object) -> object:
        counted.append(1)
        return real(*args, **kwargs)

    monkeypatch.setattr(guide_module, "iter_evidences", counting)
    run = cli("score", str(MINI_YAML), str(tmp_path / "c.jsonl"), "--format", "jsonl")
    assert run.code == 0, run.err
    assert len(run.out.splitlines()) == 3 and len(counted) == reads
