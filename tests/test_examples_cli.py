"""`taqyeem examples EDITION [--copy DIR]`: the bundled example evidence, from any install."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from shared import ROOT, Cli
from taqyeem_rules.guide.loader import bundled_editions, criteria_root


@pytest.mark.parametrize("edition", ["2019", "2023", "2024"])
def test_examples_prints_the_bundled_folder_alone(edition: str, cli: Cli) -> None:
    code, out, err = cli("examples", edition)
    assert (code, err) == (0, "")
    assert out == f"{criteria_root() / edition / 'examples'}\n"  # one line: usable as $(…)
    folder = Path(out.strip())
    assert folder.is_absolute() and len(list(folder.glob("*.yaml"))) >= 8


def test_the_printed_folder_scores(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, cli: Cli) -> None:
    monkeypatch.chdir(tmp_path)  # anywhere, not in the clone
    _, folder, _ = cli("examples", "2024")
    code, out, err = cli("score", "2024", folder.strip(), "--format", "csv")
    assert (code, err) == (0, "")
    assert out.count("\n") == 1 + 12
    assert "EX-2024-A,Example Centre A,onsite,91.93,gold" in out


def test_copy_copies_every_file_and_prints_the_folder(tmp_path: Path, cli: Cli) -> None:
    target = tmp_path / "new" / "centres"
    code, out, err = cli("examples", "2023", "--copy", str(target))
    assert (code, out, err) == (0, f"{target}\n", "")
    source = criteria_root() / "2023" / "examples"
    assert sorted(p.name for p in target.iterdir()) == sorted(p.name for p in source.iterdir())
    for p in source.iterdir():
        assert (target / p.name).read_bytes() == p.read_bytes()
    code, out, _ = cli("score", "2023", str(target), "--format", "csv")
    assert code == 0 and out.count("\n") == 1 + 11


def test_copy_never_overwrites(tmp_path: Path, cli: Cli) -> None:
    (tmp_path / "c02-centre-b.yaml").write_text("mine\n", encoding="utf-8")
    code, out, err = cli("examples", "2024", "--copy", str(tmp_path))
    assert (code, out) == (2, "")
    assert f"error[usage]: --copy {tmp_path}: c02-centre-b.yaml already there; nothing was copied" in err
    assert "hint: copy into a new or empty folder" in err
    assert [p.name for p in tmp_path.iterdir()] == ["c02-centre-b.yaml"]
    assert (tmp_path / "c02-centre-b.yaml").read_text(encoding="utf-8") == "mine\n"


def test_copy_onto_a_file_is_refused(tmp_path: Path, cli: Cli) -> None:
    f = tmp_path / "file"
    f.write_text("x", encoding="utf-8")
    code, _, err = cli("examples", "2024", "--copy", str(f))
    assert code == 2
    assert f"error[usage]: --copy {f}: this is a file, not a folder" in err


def test_an_unknown_edition_lists_the_bundled_ones(cli: Cli) -> None:
    code, out, err = cli("examples", "2025")
    assert (code, out) == (2, "")
    assert err == (
        "error[usage]: no bundled edition '2025'\n  hint: bundled editions with examples: "
        + ", ".join(bundled_editions()) + "\n"
    )


def test_bundled_examples_from_python() -> None:
    from taqyeem_rules import GuideError, bundled_examples

    assert bundled_examples("2024") == criteria_root() / "2024" / "examples"
    with pytest.raises(GuideError) as info:
        bundled_examples("1999")
    assert (info.value.code, info.value.message) == ("guide.not-found", "no bundled edition '1999'")


def test_the_wheel_carries_the_examples() -> None:
    """`criteria/` (guides, READMEs and examples) is force-included in the wheel, so the
    command works from an installed package, not only from a clone."""
    config = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert config["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]["criteria"] == (
        "taqyeem_rules/criteria"
    )
