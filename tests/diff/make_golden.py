"""Regenerate the golden outputs of `taqyeem diff` in tests/diff/golden/.

Run from the repository root, after a deliberate change to a bundled guide or to the
diff's Markdown:

    python -m tests.diff.make_golden      (or: python tests/diff/make_golden.py)

then read the changes (`git diff tests/diff/golden`) before committing them.
"""

from __future__ import annotations

import sys
from pathlib import Path

from taqyeem_rules.cli import main

GOLDEN = Path(__file__).resolve().parent / "golden"

#: golden file → the command line that produces it (written with -o FILE).
CASES: dict[str, list[str]] = {
    "diff-2023-2024.md": ["diff", "2023", "2024", "--format", "markdown"],
    "diff-2023-2024.ar.md": ["diff", "2023", "2024", "--format", "markdown", "--lang", "ar"],
}


def write(target: Path, argv: list[str]) -> int:
    return main([*argv, "-o", str(target)])


def run() -> int:
    GOLDEN.mkdir(exist_ok=True)
    for name, argv in CASES.items():
        code = write(GOLDEN / name, argv)
        if code != 0:
            print(f"taqyeem {' '.join(argv)} exited {code}", file=sys.stderr)
            return code
        print(f"wrote {GOLDEN / name}")
    return 0


if __name__ == "__main__":
    sys.exit(run())
