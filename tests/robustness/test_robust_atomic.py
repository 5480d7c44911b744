"""Item 17 of issue 10: `-o` onto a symbolic link, and temporary files left behind.

The rule (docs/architecture.md, "Writing out"): a link is followed — the file it points
to is replaced atomically and the link is kept; a folder, FIFO or device is refused. A
write that is killed (``kill -9``) leaves its temporary file, ``.NAME.PID.HEX.tmp``; the
next write of the same target removes it once that process is gone.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from shared import C1, MINI, Cli
from taqyeem_rules._io import atomic_write
from taqyeem_rules.errors import TaqyeemError

pytestmark = pytest.mark.skipif(os.name != "posix", reason="symbolic links, FIFOs and kill -9 are POSIX")



def test_a_link_is_followed_and_kept(tmp_path: Path, cli: Cli) -> None:
    real = tmp_path / "data" / "scores.json"
    real.parent.mkdir()
    real.write_text("old\n", encoding="utf-8")
    link = tmp_path / "link.json"
    link.symlink_to(real)
    chain = tmp_path / "chain.json"
    chain.symlink_to(link)
    assert cli("score", str(MINI), str(C1), "--format", "json", "-o", str(chain)).code == 0
    assert chain.is_symlink() and link.is_symlink()
    assert os.readlink(chain) == str(link) and os.readlink(link) == str(real)
    assert real.read_text(encoding="utf-8").startswith("[\n  {")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["chain.json", "data", "link.json"]
    assert [p.name for p in real.parent.iterdir()] == ["scores.json"]


def test_a_dangling_link_creates_its_target(tmp_path: Path) -> None:
    link = tmp_path / "link.txt"
    link.symlink_to(tmp_path / "new.txt")
    atomic_write(link, "hello\n")
    assert link.is_symlink() and (tmp_path / "new.txt").read_text(encoding="utf-8") == "hello\n"


def test_a_folder_or_fifo_target_is_refused(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    for target, kind in ((fifo, "not a regular file"), (tmp_path, "a folder")):
        with pytest.raises(TaqyeemError) as info:
            atomic_write(target, "x")
        assert (info.value.code, info.value.message) == ("io.write", f"cannot write {target}: it is {kind}")
    assert fifo.exists() and not fifo.is_file()


def test_a_long_target_name_fits_its_temporary_file(tmp_path: Path) -> None:
    target = tmp_path / ("n" * 250 + ".json")
    atomic_write(target, "x\n")
    assert target.read_text(encoding="utf-8") == "x\n"
    assert [p.name for p in tmp_path.iterdir()] == [target.name]


def _dead_pid() -> int:
    done = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True,
                          text=True, check=True)
    return int(done.stdout)


def test_stale_temporary_files_of_the_target_are_removed(tmp_path: Path) -> None:
    target = tmp_path / "cycle.json"
    dead = tmp_path / f".cycle.json.{_dead_pid()}.0123456789ab.tmp"
    alive = tmp_path / f".cycle.json.{os.getpid()}.0123456789ab.tmp"  # a write in progress here
    other = tmp_path / f".other.json.{_dead_pid()}.0123456789ab.tmp"  # another target's
    for p in (dead, alive, other):
        p.write_text("partial", encoding="utf-8")
    atomic_write(target, "done\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["cycle.json", alive.name, other.name])


def test_a_killed_record_leaves_a_temporary_file_the_next_write_removes(tmp_path: Path, cli: Cli) -> None:
    """`kill -9` in the middle of `record`: the previous record is intact, and the next
    record of the same file cleans up."""
    target = tmp_path / "cycle.json"
    target.write_text("previous record\n", encoding="utf-8")
    code = (
        "import os, signal, sys\n"
        "from taqyeem_rules import load_guide, load_evidences, record_cycle\n"
        f"guide = load_guide({str(MINI)!r})\n"
        f"centres = load_evidences([{str(C1)!r}], guide)\n"
        "def progress(done, total):\n"
        "    os.kill(os.getpid(), signal.SIGKILL)\n"
        f"record_cycle(guide, centres, cycle='T', path={str(target)!r}, progress=progress)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, check=False, timeout=120)
    assert done.returncode == -9
    left = [p.name for p in tmp_path.iterdir() if p.name != "cycle.json"]
    assert len(left) == 1 and left[0].startswith(".cycle.json.") and left[0].endswith(".tmp")
    assert target.read_text(encoding="utf-8") == "previous record\n"
    assert cli("record", str(MINI), str(C1), "--cycle", "T", "-o", str(target)).code == 0
    assert [p.name for p in tmp_path.iterdir()] == ["cycle.json"]
