"""The golden output of every command in English and Arabic (tests/cli/golden/), on the
small hand-made guides of tests/fixtures: what a person reads on a 100-column terminal.

    python tests/cli/make_goldens.py      (rewrite them after an intended change; read the diff)
"""

from __future__ import annotations

import contextlib
import io
import os
import re
from pathlib import Path

from tests import shared

ROOT = shared.ROOT
GOLDEN = Path(__file__).resolve().parent / "golden"
FIX = shared.FIXTURES
MINI = str(shared.MINI_YAML)
AMENDED = str(shared.MINI_AMENDED / "guide.yaml")
C1 = str(shared.C1)
SOUND = str(shared.VERIFY / "sound" / "guide.yaml")
COLUMNS = "100"

#: name → the command's arguments (``{tmp}``: a temporary folder).
COMMANDS: dict[str, list[str]] = {
    "check": ["check", MINI],
    "score": ["score", MINI, C1],
    "explain": ["explain", MINI, C1],
    "schema": ["schema", "evidence", MINI],
    "record": ["record", MINI, C1, "--cycle", "Mini 1", "-o", "{tmp}/cycle.json"],
    "replay": ["replay", "{tmp}/cycle.json"],
    "diff": ["diff", MINI, AMENDED],
    "impact": ["impact", MINI, AMENDED, C1, "--assume-missing", "not_applicable"],
    "margins": ["margins", MINI, C1],
    "sensitivity": ["sensitivity", MINI, C1, "--samples", "9"],
    "test": ["test", SOUND],
    "verify": ["verify", SOUND, "--max-examples", "5"],
    "eval": ["eval", "x * 2 > 3", "--var", "x=2"],
}
#: Commands whose output has no words to translate (data): one golden, not two.
ONE_LANGUAGE = {"schema"}


def run(argv: list[str], tmp: Path) -> str:
    """The command's standard output and error, as a 100-column terminal shows them
    (the temporary folder written ``TMP``; the hypothesis version ``H``)."""
    from taqyeem_rules.cli import main

    before = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = COLUMNS
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
            code = main([a.replace("{tmp}", str(tmp)) for a in argv])
    finally:
        if before is None:
            del os.environ["COLUMNS"]
        else:
            os.environ["COLUMNS"] = before
    text = out.getvalue().replace(str(tmp), "TMP").replace(str(ROOT), "ROOT")
    text = re.sub(r"hypothesis \d+\.\d+\.\d+", "hypothesis H", text)
    return f"{text}exit {code}\n"


def cases() -> list[tuple[str, str, list[str]]]:
    """(golden file name, language, arguments), record before replay."""
    out = []
    for name, argv in COMMANDS.items():
        for lang in ("en",) if name in ONE_LANGUAGE else ("en", "ar"):
            args = argv if lang == "en" or name in ONE_LANGUAGE else [*argv, "--lang", "ar"]
            out.append((f"{name}.{lang}.txt", lang, args))
    return out
