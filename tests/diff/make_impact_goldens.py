"""Regenerate the golden outputs of `taqyeem impact` with assumptions, in tests/diff/golden/:
the bundled 2023 examples under 2023 and 2024, whose inputs 2024 adds are read with
`--assume-missing not_applicable` (table, Markdown and JSON; English and Arabic).

Run from the repository root, after a deliberate change to a bundled guide, its
examples or the impact's outputs:

    python tests/diff/make_impact_goldens.py

then read the changes (`git diff tests/diff/golden`) before committing them.
"""

from __future__ import annotations

import contextlib
import io
import os
import sys
from pathlib import Path

from taqyeem_rules.cli import main
from taqyeem_rules.guide.loader import bundled_examples

GOLDEN = Path(__file__).resolve().parent / "golden"
#: The terminal width the tables are drawn at.
COLUMNS = "160"


def _argv(*extra: str) -> list[str]:
    return ["impact", "2023", "2024", str(bundled_examples("2023")), "--assume-missing", "not_applicable", *extra]


#: golden file → the command line that produces it.
CASES: dict[str, list[str]] = {
    "impact-2023-2024-assumed.txt": _argv(),
    "impact-2023-2024-assumed.ar.txt": _argv("--lang", "ar"),
    "impact-2023-2024-assumed.md": _argv("--format", "markdown"),
    "impact-2023-2024-assumed.ar.md": _argv("--format", "markdown", "--lang", "ar"),
    "impact-2023-2024-assumed.json": _argv("--format", "json"),
}


def output(argv: list[str]) -> tuple[int, str]:
    """What the command prints (the table at a fixed width)."""
    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = COLUMNS
    buf = io.StringIO()
    try:
        with contextlib.redirect_stdout(buf):
            code = main(argv)
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before
    return code, buf.getvalue()


def run() -> int:
    GOLDEN.mkdir(exist_ok=True)
    for name, argv in CASES.items():
        code, text = output(argv)
        if code != 0:
            print(f"taqyeem {' '.join(argv)} exited {code}", file=sys.stderr)
            return code
        (GOLDEN / name).write_text(text, encoding="utf-8")
        print(f"wrote {GOLDEN / name}")
    return 0


if __name__ == "__main__":
    sys.exit(run())
