"""Make the archived cycle records that the test suite replays.

Each bundled edition's example centres (``criteria/<edition>/examples``) are recorded once
per record format into ``tests/records/archive/<edition>.record-<N>.json`` (the first
archives, of format 1, are ``<edition>.json``). From then on ``test_archives.py`` replays
them all: a change to the engine, the loader or a plugin that alters any past number fails
the suite. Editing a bundled guide does not: the record keeps its own copy of the guide.
Archives are history: an old one is never rewritten when a new format comes; the new
format's archive is added beside it.

    python tests/records/make_archives.py              # write the archives that are missing
    python tests/records/make_archives.py --force      # rewrite them all
    python tests/records/make_archives.py --edition 2024 --force

Rewrite an existing archive only when a change of past numbers is intended and explained
(CHANGELOG); say so in the commit.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from taqyeem_rules import bundled_editions, load_evidences, load_guide, record_cycle
from taqyeem_rules.engine.formats import RECORD_FORMAT
from taqyeem_rules.guide import criteria_root

ARCHIVE = Path(__file__).resolve().parent / "archive"

#: The Taqyeem cycle each edition's guide was used for (DESIGN.md).
CYCLES = {"2019": "Taqyeem 2", "2023": "Taqyeem 4", "2024": "Taqyeem 5"}


def cycle_name(edition: str) -> str:
    return f"{CYCLES.get(edition, 'Taqyeem')} ({edition} guide, example centres)"


def archive_name(edition: str) -> str:
    """The archive of an edition in the record format written today."""
    return f"{edition}.record-{RECORD_FORMAT.rsplit('/', 1)[1]}.json"


def make(edition: str, *, force: bool = False) -> str:
    target = ARCHIVE / archive_name(edition)
    if target.exists() and not force:
        return f"{target.name}: kept (use --force to rewrite)"
    examples = criteria_root() / edition / "examples"
    if not examples.is_dir() or not any(examples.iterdir()):
        return f"{edition}: no example centres, nothing to record"
    guide = load_guide(edition)
    evidences = load_evidences([examples], guide)
    ARCHIVE.mkdir(exist_ok=True)
    rec = record_cycle(guide, evidences, cycle=cycle_name(edition), path=target)
    return f"{target.name}: {rec.count} centres, fingerprint {rec.fingerprint}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--edition", action="append", help="only this edition (repeatable)")
    parser.add_argument("--force", action="store_true", help="rewrite archives that exist")
    args = parser.parse_args(argv)
    for edition in args.edition or bundled_editions():
        print(make(edition, force=args.force))
    return 0


if __name__ == "__main__":
    sys.exit(main())
