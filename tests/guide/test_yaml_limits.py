"""YAML that would crash or stall a reader: each is a GuideError with a position."""

from __future__ import annotations

from pathlib import Path

import pytest

import taqyeem_rules
from shared import MINI_YAML
from taqyeem_rules.errors import GuideError

MINI = MINI_YAML.read_text(encoding="utf-8")


def load(tmp_path: Path, text: str) -> GuideError:
    path = tmp_path / "guide.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GuideError) as info:
        taqyeem_rules.load_guide(path)
    return info.value


@pytest.mark.parametrize(("number", "words"), [("1e999999999", "too large"), ("1e-999999999", "too small")])
def test_a_number_beyond_the_decimal_range(tmp_path: Path, number: str, words: str) -> None:
    assert MINI.count("weight: 40") == 1
    error = load(tmp_path, MINI.replace("weight: 40", f"weight: {number}"))
    d = error.primary
    assert d.code == "yaml.number" and words in d.message
    line = MINI[: MINI.index("weight: 40")].count("\n") + 1
    assert (d.span.line, d.span.col) == (line, MINI.split("\n")[line - 1].index("40") + 1)


def test_a_control_character_is_placed(tmp_path: Path) -> None:
    text = MINI.replace('edition: "mini"', 'edition: "mi\x07ni"', 1)
    assert text != MINI
    d = load(tmp_path, text).primary
    assert d.code == "yaml.syntax" and "U+0007" in d.message
    line = text[: text.index("\x07")].count("\n") + 1
    assert (d.span.file, d.span.line) == (str(tmp_path / "guide.yaml").removeprefix(str(Path.cwd()) + "/"), line)


def test_aliases_cannot_expand_without_end(tmp_path: Path) -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x, x]"]
    for k in range(1, 8):  # 10**8 values once expanded
        prev = "a" if k == 1 else f"b{k - 1}"
        lines.append(f"b{k}: &b{k} [" + ", ".join([f"*{prev}"] * 10) + "]")
    d = load(tmp_path, "\n".join(lines) + "\n").primary  # (stops at the limit, not after 10**8)
    assert d.code == "yaml.size" and d.span is not None
