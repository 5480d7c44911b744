"""Write the golden result of every bundled example (tests/conformance/golden/).

    python tests/conformance/make_goldens.py

Run it only when a change to the results is intended, and review the diff: the goldens
pin every number, status, row and contribution of every example centre.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))

from taqyeem_rules import load_evidences, load_guide  # noqa: E402
from taqyeem_rules.guide.loader import bundled_editions, criteria_root  # noqa: E402


def golden_text(result: object) -> str:
    return json.dumps(result.to_dict(), sort_keys=True, ensure_ascii=False, indent=1) + "\n"  # type: ignore[attr-defined]


def main() -> None:
    for edition in bundled_editions():
        guide = load_guide(edition)
        out = HERE / "golden" / edition
        out.mkdir(parents=True, exist_ok=True)
        for old in out.glob("*.json"):
            old.unlink()
        for ev in load_evidences([criteria_root() / edition / "examples"], guide):
            name = Path(ev.path or ev.centre_id).stem
            (out / f"{name}.json").write_text(golden_text(guide.score(ev)), encoding="utf-8")
        print(edition, len(list(out.glob("*.json"))), "goldens")


if __name__ == "__main__":
    main()
