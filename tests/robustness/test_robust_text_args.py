"""Arguments and API values that are not text, and paths given where a list is expected:
each a clear error, never a traceback (found by trying hostile input)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from shared import ROOT, Cli
from taqyeem_rules import EvidenceError, RecordError, UsageError, load_evidences, load_guide
from taqyeem_rules.engine import record_cycle

EXAMPLES = ROOT / "criteria" / "2024" / "examples"


def test_an_argument_of_bytes_that_are_not_utf8_is_refused_before_anything_runs(
        tmp_path: Path, cli: Cli) -> None:
    out = tmp_path / "r.json"
    cycle = os.fsdecode(b"D\xc3\xa9mo \xff")  # what Python makes of such bytes in argv
    code, _, err = cli("record", "2024", str(EXAMPLES), "--cycle", cycle, "-o", str(out))
    assert code == 2
    assert "error[usage]: argument 5 (Démo \\xff) is not UTF-8 text: byte 0xff at character 6" in err
    assert "Traceback" not in err
    assert not out.exists()


def test_record_cycle_refuses_a_name_that_is_not_unicode_text(tmp_path: Path) -> None:
    guide = load_guide("2024")
    evidences = load_evidences([EXAMPLES], guide)
    with pytest.raises(RecordError) as info:
        record_cycle(guide, evidences, cycle="Demo \udcff", path=tmp_path / "r.json")
    assert info.value.code == "record.cycle"
    assert info.value.message == "the cycle's name is not Unicode text: '\\udcff' at character 6"
    assert not (tmp_path / "r.json").exists()


@pytest.mark.parametrize(("paths", "message"), [
    (str(EXAMPLES), f"expected a list of paths, got one path: {str(EXAMPLES)!r}"),
    (EXAMPLES, f"expected a list of paths, got one path: {str(EXAMPLES)!r}"),
    ([{"centre": {"id": "X"}, "model": "onsite", "inputs": {}}],
     "expected the path of an evidence file or folder, got dict"),
    ([3], "expected the path of an evidence file or folder, got int"),
])
def test_load_evidences_wants_a_list_of_paths(paths: object, message: str) -> None:
    with pytest.raises(UsageError) as info:
        load_evidences(paths, load_guide("2024"))  # type: ignore[arg-type]
    assert (info.value.code, info.value.message) == ("usage.evidence", message)


def test_file_messages_take_the_right_article(tmp_path: Path) -> None:
    guide = load_guide("2024")
    with pytest.raises(EvidenceError) as info:
        load_evidences([os.devnull], guide)
    assert info.value.hint == "give the path of an evidence file"


def test_a_folder_without_a_guide_says_so(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "g").mkdir()
    code, _, err = cli("check", str(tmp_path / "g"))
    assert code == 1
    assert f"error[guide.not-found]: the folder {tmp_path / 'g'} holds no guide.yaml" in err
    assert "give the path of a guide YAML file, or of a folder with a guide.yaml; bundled editions: 2019" in err


def test_a_folder_given_as_a_record_is_not_a_file(tmp_path: Path, cli: Cli) -> None:
    run = cli("replay", str(tmp_path))
    assert run.code == 1
    assert f"error[record.not-a-file]: {tmp_path} is a folder, not a record" in run.err
    assert "give the path of a file written by `taqyeem record`" in run.err
