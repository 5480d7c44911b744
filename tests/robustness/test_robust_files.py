"""Items 2 and 11 of issue 10: paths and files that are not what they seem.

- a file name over 255 bytes, given as an argument or in `extends:`, is a clear error
  (``*.name-too-long``), not ``OSError: File name too long``;
- only regular files are read, and only up to a documented size, checked before
  reading: a FIFO, ``/dev/zero`` or an oversized file is refused at once (``*.not-a-file``,
  ``*.too-large``), never read until memory runs out or waited on forever.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from robust_helpers import position, write

import taqyeem_rules
from shared import C1, MINI, MINI_AMENDED, Cli
from taqyeem_rules.dsl.limits import MAX_FILE_BYTES, MAX_RECORD_BYTES
from taqyeem_rules.errors import EvidenceError, GuideError, RecordError

LONG = "x" * 300 + ".yaml"


# ---- item 2: names too long ----------------------------------------------------------


def test_a_guide_name_too_long_is_a_clear_error(cli: Cli) -> None:
    with pytest.raises(GuideError) as info:
        taqyeem_rules.load_guide(LONG)
    assert (info.value.code, info.value.message) == (
        "guide.name-too-long",
        "the guide file name `xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx…` is too long (305 bytes; file names "
        "have at most 255)",
    )
    code, _, err = cli("check", LONG)
    assert code == 1 and "error[guide.name-too-long]" in err and "Traceback" not in err


def test_an_evidence_name_too_long_is_a_clear_error(cli: Cli, mini_guide: taqyeem_rules.Guide) -> None:
    with pytest.raises(EvidenceError) as info:
        taqyeem_rules.load_evidences([LONG], mini_guide)
    assert info.value.code == "evidence.name-too-long"
    code, _, err = cli("score", str(MINI), LONG)
    assert code == 1 and "error[evidence.name-too-long]" in err


def test_a_record_name_too_long_is_a_clear_error() -> None:
    with pytest.raises(RecordError) as info:
        taqyeem_rules.replay("r" * 300 + ".json")
    assert info.value.code == "record.name-too-long"


def test_an_output_name_too_long_is_a_clear_error(tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / ("o" * 300)
    code, _, err = cli("score", str(MINI), str(C1), "--format", "json", "-o", str(target))
    assert code == 1
    assert err.startswith("error[io.name-too-long]: the output file name `ooooooooooooooooooooooooooooooooooooo…` "
                          "is too long (300 bytes; file names have at most 255)")
    code, _, err = cli("record", str(MINI), str(C1), "--cycle", "C", "-o", str(target))
    assert code == 1 and err.startswith("error[record.name-too-long]")


def test_extends_too_long_is_an_error_at_extends(tmp_path: Path) -> None:
    amended = (MINI_AMENDED / "guide.yaml").read_text(encoding="utf-8")
    start = amended.index("extends:")
    line = amended[start : amended.index("\n", start)]
    text = amended.replace(line, f'extends: "{"e" * 300}"', 1)
    folder = tmp_path / "amended"
    folder.mkdir()
    with pytest.raises(GuideError) as info:
        taqyeem_rules.load_guide(write(folder, "guide.yaml", text))
    d = info.value.primary  # (the schema bounds `extends` before any file is looked for)
    assert (d.code, d.message) == ("guide.too-long", "extends is 300 characters long; the limit is 128")
    assert (d.span.line, d.span.col) == position(text, '"eee')


# ---- item 11: regular files only, within a size ------------------------------------------


def _fifo(tmp_path: Path, name: str) -> Path:
    if not hasattr(os, "mkfifo"):
        pytest.skip("no FIFOs on this system")
    path = tmp_path / name
    os.mkfifo(path)
    return path


def _cli(*argv: str) -> subprocess.CompletedProcess[str]:
    """The command in its own process, bounded in time and memory: without the checks,
    a FIFO would block and /dev/zero would be read until memory runs out."""
    code = (
        "import resource, sys\n"
        "resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))\n"
        "from taqyeem_rules.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n"
    )
    return subprocess.run([sys.executable, "-c", code, *argv], capture_output=True, text=True,
                          timeout=60, check=False)


@pytest.mark.parametrize("what", ["guide", "evidence", "record"])
def test_a_fifo_is_refused_without_waiting(tmp_path: Path, what: str) -> None:
    fifo = _fifo(tmp_path, f"{what}.yaml" if what != "record" else "record.json")
    argv = {"guide": ["check", str(fifo)], "evidence": ["score", str(MINI), str(fifo)],
            "record": ["replay", str(fifo)]}[what]
    done = _cli(*argv)
    assert done.returncode == 1, done.stderr
    assert f"error[{what}.not-a-file]: {fifo} is a pipe (FIFO), not a regular {what} file" in done.stderr


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
@pytest.mark.parametrize("what", ["guide", "evidence", "record"])
def test_dev_zero_is_refused_before_reading(what: str) -> None:
    argv = {"guide": ["check", "/dev/zero"], "evidence": ["score", str(MINI), "/dev/zero"],
            "record": ["replay", "/dev/zero"]}[what]
    done = _cli(*argv)
    assert done.returncode == 1, done.stderr
    assert f"error[{what}.not-a-file]: /dev/zero is a device or socket, not a regular {what} file" in done.stderr


def _sparse(path: Path, size: int) -> Path:
    with path.open("wb") as f:
        f.truncate(size)  # no data is written: the size alone is over the limit
    return path


def test_a_file_over_the_limit_is_refused_before_reading(tmp_path: Path, mini_guide: taqyeem_rules.Guide) -> None:
    guide = _sparse(tmp_path / "guide.yaml", MAX_FILE_BYTES + 1)
    with pytest.raises(GuideError) as info:
        taqyeem_rules.load_guide(guide)
    assert (info.value.code, info.value.message) == (
        "guide.too-large", f"{guide} is larger than 64 MiB, the limit for a guide file")
    centre = _sparse(tmp_path / "c.yaml", MAX_FILE_BYTES + 1)
    with pytest.raises(EvidenceError) as info:
        taqyeem_rules.load_evidences([centre], mini_guide)
    assert info.value.code == "evidence.too-large"
    record = _sparse(tmp_path / "r.json", MAX_RECORD_BYTES + 1)
    with pytest.raises(RecordError) as info:
        taqyeem_rules.replay(record)
    assert (info.value.code, info.value.message) == (
        "record.too-large", f"{record} is larger than 4 GiB, the limit for a record file")


def test_the_size_limit_is_inclusive_and_growth_is_caught(tmp_path: Path) -> None:
    from taqyeem_rules._io import read_text

    path = tmp_path / "c.yaml"
    path.write_bytes(b"a: 1\r\nb: 2\r\n")  # 12 bytes; line ends read as text mode reads them
    assert read_text(path, what="evidence", error=EvidenceError, prefix="evidence", limit=12) == "a: 1\nb: 2\n"
    with pytest.raises(EvidenceError) as info:
        read_text(path, what="evidence", error=EvidenceError, prefix="evidence", limit=11)
    assert info.value.code == "evidence.too-large"
