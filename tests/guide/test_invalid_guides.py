"""Invalid guides: each fixture pins the error code, the message and file:line:col.

Every file in tests/fixtures/invalid/ is the mini guide with one defect and a header::

    # code: guide.weights
    # message: the category weights of model `onsite` sum to 95, not 100
    # at: 46:3
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shared import FIXTURES, Cli
from taqyeem_rules import GuideError, load_guide

INVALID = sorted((FIXTURES / "invalid").glob("*.yaml"))
HEADER = re.compile(r"# (code|message|at): (.*)")


def expectations(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines()[:3]:
        m = HEADER.fullmatch(line)
        assert m, f"{path.name}: bad header line {line!r}"
        found[m.group(1)] = m.group(2)
    return found


def test_there_are_at_least_twenty_fixtures() -> None:
    assert len(INVALID) >= 20


@pytest.mark.parametrize("path", INVALID, ids=lambda p: p.stem)
def test_invalid_guide_is_rejected_with_position(path: Path) -> None:
    want = expectations(path)
    line, col = (int(x) for x in want["at"].split(":"))
    with pytest.raises(GuideError) as info:
        load_guide(path)
    diags = info.value.diagnostics
    matching = [d for d in diags if d.code == want["code"] and d.message == want["message"]]
    assert matching, f"no {want['code']} with that message among:\n" + "\n".join(
        f"  {d.code}: {d.message}" for d in diags
    )
    d = matching[0]
    assert d.span is not None
    assert (d.span.line, d.span.col) == (line, col)
    assert d.span.file.endswith(path.name)
    rendered = d.render()
    assert rendered.startswith(f"{d.span.file}:{line}:{col}: error[{want['code']}]: ")
    # The caret sits under the reported column.
    snippet = rendered.splitlines()
    caret_line = next(s for s in snippet if s.strip().startswith("|") and "^" in s)
    source_line = snippet[snippet.index(caret_line) - 1]
    assert caret_line.index("^") - caret_line.index("|") == col + 1
    assert source_line.split("|", 1)[0].strip() == str(line)


@pytest.mark.parametrize("path", INVALID[:6], ids=lambda p: p.stem)
def test_cli_check_reports_and_exits_one(path: Path, cli: Cli) -> None:
    want = expectations(path)
    code, _, err = cli("check", str(path))
    assert code == 1
    assert f":{want['at']}: error[{want['code']}]" in err
