"""Golden outputs of `taqyeem impact` with assumptions on the bundled 2023 examples
(table, Markdown, JSON; English and Arabic). After a deliberate change (a bundled guide,
its examples, the impact's wording): `python tests/diff/make_impact_goldens.py`."""

from __future__ import annotations

import pytest
from make_impact_goldens import CASES, GOLDEN, output


@pytest.mark.parametrize("name", sorted(CASES))
def test_impact_with_assumptions_golden(name: str) -> None:
    golden = GOLDEN / name
    assert golden.is_file(), f"missing {golden}: run `python tests/diff/make_impact_goldens.py`"
    code, text = output(CASES[name])
    assert code == 0
    assert text == golden.read_text(encoding="utf-8"), (
        f"taqyeem {' '.join(CASES[name][:3])} … changed ({name}); if that is intended, run "
        "`python tests/diff/make_impact_goldens.py` and read the diff"
    )
