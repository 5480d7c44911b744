"""Writing files atomically (taqyeem_rules._io): the output of `-o` and cycle records."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from taqyeem_rules._io import atomic_write
from taqyeem_rules.errors import TaqyeemError


def test_a_failed_write_keeps_the_old_file_and_is_a_taqyeem_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    target = tmp_path / "out.json"
    target.write_text("old\n", encoding="utf-8")

    def refuse(src: str, dst: str) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(os, "replace", refuse)
    with pytest.raises(TaqyeemError) as info:
        atomic_write(target, "new\n")
    assert info.value.code == "io.write"
    assert "Permission denied" in info.value.message
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.json"]  # no temporary file left


def test_a_missing_folder_is_named(tmp_path: Path) -> None:
    with pytest.raises(TaqyeemError) as info:
        atomic_write(tmp_path / "nowhere" / "out.json", "x")
    assert info.value.code == "io.folder"
    assert "mkdir -p" in (info.value.hint or "")


def test_a_replaced_file_keeps_its_permissions(tmp_path: Path) -> None:
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    atomic_write(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert target.stat().st_mode & 0o777 == 0o640
