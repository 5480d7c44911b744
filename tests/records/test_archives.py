"""The archived records of past cycles replay exactly, with today's library.

The archives under ``archive/`` were made once by ``make_archives.py`` from each bundled
edition's example centres. If this test fails, a change altered a past number (or the way
a record or its guide is read): fix the change, or — if the new numbers are intended —
explain it in the CHANGELOG and regenerate with ``python tests/records/make_archives.py
--force``.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from make_archives import archive_name
from record_helpers import ARCHIVE

from taqyeem_rules import bundled_editions, replay
from taqyeem_rules.guide import criteria_root

ARCHIVES = sorted(ARCHIVE.glob("*.json"))


def _explain(report) -> str:  # type: ignore[no-untyped-def]
    lines = [report.summary()]
    lines += [f.message for f in report.integrity]
    lines += [d.message for d in report.differences[:30]]
    return "\n".join(lines)


def test_every_edition_with_examples_has_an_archive() -> None:
    missing = [
        edition
        for edition in bundled_editions()
        if (criteria_root() / edition / "examples").is_dir()
        and any((criteria_root() / edition / "examples").iterdir())
        and not (ARCHIVE / archive_name(edition)).exists()
    ]
    assert missing == [], "run `python tests/records/make_archives.py` to archive " + ", ".join(missing)


@pytest.mark.parametrize("path", ARCHIVES, ids=lambda p: p.stem)
def test_archived_record_replays_exactly(path: Path) -> None:
    report = replay(path)
    assert report.ok, _explain(report)
    assert report.edition == path.name.split(".")[0]
    assert report.count == len(report.centres) > 0
    assert report.difference_count == 0
    assert all(c.matches and c.total == c.replayed_total and c.tier == c.replayed_tier for c in report.centres)


def test_archives_of_every_format_are_kept() -> None:
    """Archives are history: the first format's stay beside the newer ones."""
    from taqyeem_rules.engine.formats import RECORD_FORMATS

    formats = {path.read_bytes().split(b",", 1)[0] for path in ARCHIVES}
    assert formats == {f'{{"format":"{f}"'.encode() for f in RECORD_FORMATS if f != "taqyeem-record/2"}


def test_replay_never_reads_the_current_guide_files(monkeypatch: pytest.MonkeyPatch) -> None:
    """The record's own guide is scored, so amending a bundled guide cannot change a replay."""
    from taqyeem_rules.guide import loader

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("replay read a guide file")

    monkeypatch.setattr(loader, "load_guide", refuse)
    monkeypatch.setattr(loader, "read_guide", refuse)
    monkeypatch.setattr(loader, "resolve_guide_path", refuse)
    assert ARCHIVES, "no archived records"
    assert replay(ARCHIVES[-1]).ok
