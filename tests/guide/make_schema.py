"""Write the shipped guide schema with the built-in criterion kinds' parts assembled.

    python tests/guide/make_schema.py

``src/taqyeem_rules/guide/guide.schema.json`` is what editors bind; its criterion
definition (the shorthand keys, and each built-in kind's ``params``) is assembled from
the kinds themselves. ``tests/guide/test_kinds.py`` fails when the file is out of date.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "src"))

from taqyeem_rules.guide.kinds import BUILTIN_ENTRY_POINTS, kind_registry  # noqa: E402
from taqyeem_rules.guide.schema import assemble  # noqa: E402

FILE = ROOT / "src" / "taqyeem_rules" / "guide" / "guide.schema.json"


def schema_text() -> str:
    base = json.loads(FILE.read_text("utf-8"))
    kinds = [kind_registry().get(name) for name in sorted(BUILTIN_ENTRY_POINTS)]
    return json.dumps(assemble(base, kinds), indent=2, ensure_ascii=False) + "\n"


if __name__ == "__main__":
    FILE.write_text(schema_text(), encoding="utf-8")
    print(f"wrote {FILE.relative_to(ROOT)}")
