"""Rewrite the goldens of tests/cli/golden (every command, English and Arabic):

    python tests/cli/make_goldens.py

Run it only after an intended change of output, and read the diff before committing.
"""

from __future__ import annotations

import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent.parent.parent / "src"))

from tests.cli.goldens import GOLDEN, cases, run


def main() -> int:
    GOLDEN.mkdir(exist_ok=True)
    with tempfile.TemporaryDirectory() as tmp:
        for name, _, argv in cases():
            (GOLDEN / name).write_text(run(argv, Path(tmp)), encoding="utf-8")
            print(f"wrote {GOLDEN / name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
