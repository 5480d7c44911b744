"""Nothing the library computes depends on the calling thread's decimal context.

Scoring runs in the guide's context; the analyses (impact, margins, sensitivity, diff,
verify, test cases, records) in a fixed one (``dsl.numbers.ANALYSIS_CONTEXT``). Each is
run here, with what it returns rendered, once as usual and once under a thread context
of one digit that rounds down and traps any rounding — which would raise at the first
operation that read the thread's context, or change a digit."""

from __future__ import annotations

import decimal
import json
from collections.abc import Callable
from pathlib import Path

import pytest

from shared import ROOT
from taqyeem_rules import load_evidences, load_guide
from taqyeem_rules.engine import (
    diff_guides,
    diff_to_amendments,
    effective_weights,
    impact,
    margins,
    record_cycle,
    replay,
    run_cases,
    sensitivity,
    verify,
)
from taqyeem_rules.guide import cases_folder, load_cases

EX23 = ROOT / "criteria" / "2023" / "examples"
EX24 = ROOT / "criteria" / "2024" / "examples"


def _hostile() -> decimal.Context:
    ctx = decimal.Context(prec=1, rounding=decimal.ROUND_DOWN)
    ctx.traps[decimal.Inexact] = ctx.traps[decimal.Rounded] = True
    return ctx


def _impact() -> str:
    g23, g24 = load_guide("2023"), load_guide("2024")
    found = impact(g23, g24, load_evidences([EX23], g23), assume_missing="not_applicable")
    movers = [[m.to_dict() for m in c.movers] for c in found]
    return "\n".join([json.dumps(found.to_dict()), found.to_markdown(), found.to_csv(), json.dumps(movers),
                      json.dumps([str(c.delta) for c in found])])


def _margins() -> str:
    g = load_guide("2024")
    return json.dumps(margins(g, load_evidences([EX24], g)).to_dict())


def _sensitivity() -> str:
    g = load_guide("2024")
    return json.dumps(sensitivity(g, load_evidences([EX24], g), samples=300, seed=3).to_dict())


def _diff() -> str:
    g23, g24 = load_guide("2023"), load_guide("2024")
    d = diff_guides(g23, g24)
    weights = [str(w) for w in effective_weights(g23, g24)]
    return "\n".join([d.to_markdown(), json.dumps(diff_to_amendments(g23, g24), default=str), *weights])


def _cases() -> str:
    g = load_guide("2024")
    return json.dumps(run_cases(g, load_cases([cases_folder("2024")], g)).to_dict())


def _verify() -> str:
    return json.dumps(verify(load_guide("2024"), max_examples=5, seed=1).to_dict())


def _record(tmp: Path) -> str:
    g = load_guide("2024")
    path = tmp / "cycle.json"
    record_cycle(g, load_evidences([EX24], g), cycle="Hostile", path=path)
    report = replay(path)
    assert report.ok
    return path.read_text(encoding="utf-8") + json.dumps(report.to_dict())


ANALYSES: dict[str, Callable[..., str]] = {
    "impact": _impact, "margins": _margins, "sensitivity": _sensitivity, "diff": _diff,
    "cases": _cases, "verify": _verify,
}


@pytest.mark.parametrize("name", sorted(ANALYSES))
def test_an_analysis_is_the_same_under_any_thread_context(name: str) -> None:
    usual = ANALYSES[name]()
    with decimal.localcontext(_hostile()):
        hostile = ANALYSES[name]()
    assert hostile == usual


def test_a_record_and_its_replay_are_the_same_under_any_thread_context(tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    usual = _record(tmp_path / "a")
    with decimal.localcontext(_hostile()):
        hostile = _record(tmp_path / "b")
    assert hostile.replace(str(tmp_path / "b"), "") == usual.replace(str(tmp_path / "a"), "")


def test_the_hostile_context_is_hostile() -> None:
    """(The check above means something: this context refuses an ordinary division.)"""
    with decimal.localcontext(_hostile()), pytest.raises(decimal.Inexact):
        decimal.Decimal(1) / 3
