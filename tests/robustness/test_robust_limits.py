"""The limits live in one place (dsl/limits.py) and docs/errors.md lists them with their
codes ("Limits of files and data"): the table must say what the code does."""

from __future__ import annotations

import re
from pathlib import Path

from shared import ROOT
from taqyeem_rules.dsl import limits

DOC = (ROOT / "docs" / "errors.md").read_text(encoding="utf-8")
_UNITS = {"MiB": 1024**2, "GiB": 1024**3}


def _section() -> str:
    """The section "Limits of files and data", up to the next section."""
    start = DOC.index("## Limits of files and data")
    end = DOC.find("\n## ", start + 1)
    return DOC[start : end if end >= 0 else len(DOC)]


def _documented() -> dict[str, int]:
    section = _section()
    out = {}
    for name, value in re.findall(r"^\| `(MAX_[A-Z_]+)` \| ([^|]+) \|", section, re.MULTILINE):
        number, _, unit = value.strip().partition(" ")
        out[name] = int(number.replace(",", "")) * _UNITS.get(unit, 1)
    return out


def test_every_limit_is_documented_with_its_value() -> None:
    constants = {name: getattr(limits, name) for name in limits.__all__ if name.startswith("MAX_")}
    assert _documented() == constants


def test_every_code_of_the_table_is_raised_somewhere() -> None:
    section = _section()
    codes = set(re.findall(r"`((?:guide|evidence|record|yaml|number)\.[a-z-]+)`", section))
    source = "\n".join(p.read_text(encoding="utf-8")
                       for p in (Path(limits.__file__).parents[1]).rglob("*.py"))
    for code in sorted(codes):
        rest = code.partition(".")[2]
        # written whole ("record.depth"), or built from a prefix ("{prefix}.too-large")
        assert any(form in source for form in (f'"{code}"', f'{{prefix}}.{rest}"', f'{{code_prefix}}.{rest}"')), code
