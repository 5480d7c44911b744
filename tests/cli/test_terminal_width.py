"""Terminal output that loses nothing at 80 columns: explain's tree wraps (every line's
points and contribution are there), and tables keep ids, models, tiers and numbers whole."""

from __future__ import annotations

import io
import re

import pytest
from rich.console import Console
from tests.cli.goldens import run

from shared import ROOT, Cli
from taqyeem_rules import load_evidence, load_guide
from taqyeem_rules.engine.explain import explain_tree
from taqyeem_rules.present.explain import Explained, ExplainTree, explain_lines
from taqyeem_rules.present.formatters import Options, Wrapped


def _terminal(parts: list[object], width: int = 80) -> str:
    buffer = io.StringIO()
    console = Console(file=buffer, width=width, force_terminal=False, highlight=False, soft_wrap=True, emoji=False)
    for part in parts:
        if isinstance(part, Wrapped):
            console.print(part.renderable, soft_wrap=False)
        else:
            console.print(part)
    return buffer.getvalue()


def test_explain_tree_wraps_at_80_columns_and_keeps_every_number() -> None:
    guide = load_guide("2024")
    result = guide.score(load_evidence(ROOT / "criteria" / "2024" / "examples" / "c01-centre-a.yaml", guide))
    shown = _terminal(ExplainTree().render(Explained([result]), Options(terminal=True)))
    assert max(len(line) for line in shown.splitlines()) <= 80
    flat = re.sub(r"\s+", " ", re.sub(r"[│├└─]", " ", shown))
    lines = explain_lines(explain_tree(result))
    for criterion in (c for category in lines.children for c in category.children):
        # "… 3/4 points = 75%, contributes 20 to the total": its points and contribution, whole
        tail = criterion.text.split(": ", 1)[-1]
        assert " ".join(tail.split()) in flat, tail


@pytest.mark.parametrize("command", [["margins", "2023", str(ROOT / "criteria" / "2023" / "examples")],
                                     ["score", "2024", str(ROOT / "criteria" / "2024" / "examples")]])
def test_tables_keep_ids_and_numbers_whole_at_80_columns(command: list[str], cli: Cli) -> None:
    code, text, _ = cli(*command, columns=80)
    assert code == 0
    assert max(len(line) for line in text.splitlines() if line[:1] in "┏┃┡│└") <= 80  # the table fits
    for centre in re.findall(r"EX-20\d\d-[A-Z]", text):
        assert re.search(rf"│ {centre} +│", text), centre  # the id whole, on one line
    assert "…" not in text  # nothing cut
    assert re.search(r"│ +\d+\.\d\d │", text)  # totals whole


@pytest.mark.parametrize("lang", ["en", "ar"])
def test_margins_at_80_columns_shows_every_step_whole(lang: str, cli: Cli) -> None:
    """At 80 columns: a table per model that fits (ids, totals, tiers and margins whole,
    one line per centre), then each centre's steps, one whole step per line."""
    from rich.cells import cell_len

    from taqyeem_rules import margins
    from taqyeem_rules.guide import load_evidences
    from taqyeem_rules.present.words import tier_name

    examples = ROOT / "criteria" / "2023" / "examples"
    code, text, _ = cli("margins", "2023", str(examples), "--lang", lang, columns=80)
    assert code == 0
    lines = text.splitlines()
    table = [x for x in lines if x[:1] in "┏┃┡│└"]
    assert table and max(cell_len(x) for x in table) <= 80
    assert "…" not in text
    guide = load_guide("2023")
    result = margins(guide, load_evidences([examples], guide))
    assert {c.model for c in result} == {"onsite", "remote"} and sum(x.startswith("┏") for x in lines) == 2
    for c in result:
        row = next(x for x in table if x.startswith(f"│ {c.centre_id} "))  # the id whole, on its row
        assert f" {c.total:.2f} │" in row  # the total whole, on the same row
        if c.tier:
            tier = tier_name(c.tier, lang, model=c.model, guides=(guide,))
            assert re.search(rf"│ \W?{re.escape(tier)}\W? +│", row), (tier, row)  # the tier whole
        if c.next_tier is None:
            continue
        head = lines.index(next(x for x in lines if x.startswith(c.centre_id + ("," if lang == "en" else "،"))))
        tier = tier_name(c.next_tier, lang, model=c.model, guides=(guide,))
        assert tier in lines[head]
        block = []
        for x in lines[head + 1:]:
            if not x.startswith("  "):
                break
            block.append(x)
        steps = "  " + ("Steps:" if lang == "en" else "الخطوات:")
        if c.steps is None:  # why there are none, on the steps line
            assert any(x.startswith(steps + " ") for x in block), block
            continue
        shown_steps = block[block.index(steps) + 1:]
        assert len(shown_steps) == len(c.steps) and all(x.startswith("    ") for x in shown_steps)
        for k, step in enumerate(c.steps or ()):
            arrow = "→" if lang == "en" else "←"
            assert re.fullmatch(rf"    {step.criterion} {step.from_points}{arrow}{step.to_points} \(\+\d+\.\d{{6}}\)",
                                shown_steps[k]), shown_steps[k]


def test_explain_json_over_several_centres_is_one_document(tmp_path: object) -> None:
    import json

    examples = ROOT / "criteria" / "2024" / "examples"
    text = run(["explain", "2024", str(examples / "c01-centre-a.yaml"), str(examples / "c02-centre-b.yaml"),
                "--format", "json"], tmp_path)  # type: ignore[arg-type]
    data = json.loads(text[: text.rindex("exit")])
    assert [d["centre"]["id"] for d in data] == ["EX-2024-A", "EX-2024-B"]
