"""A command loads what it uses and nothing else (issue 12, start-up): which modules a
fresh process has imported after ``--help``, ``--version`` and ``score``. (The time
itself is measured by ``benchmarks/bench_startup.py``, never here.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

from shared import ROOT

EXAMPLES = str(ROOT / "criteria" / "2024" / "examples")

#: Runs the command in this process, then prints every module imported, as JSON.
_PROBE = """
import contextlib, io, json, sys
from taqyeem_rules.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    code = main(sys.argv[1:])
print(json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _modules(*argv: str) -> set[str]:
    """The modules a fresh interpreter holds after running ``taqyeem ARGV`` (standard
    error not a terminal, as in a pipe)."""
    env = {k: v for k, v in os.environ.items() if k not in ("FORCE_COLOR", "TTY_COMPATIBLE", "TTY_INTERACTIVE")}
    done = subprocess.run([sys.executable, "-c", _PROBE, *argv], capture_output=True, text=True, env=env,
                          stdin=subprocess.DEVNULL, check=True, timeout=120)
    data = json.loads(done.stdout)
    assert data["code"] == 0, done.stderr
    return set(data["modules"])


def _under(modules: set[str], *packages: str) -> set[str]:
    return {m for m in modules if any(m == p or m.startswith(p + ".") for p in packages)}


@pytest.mark.parametrize("argv", [["--help"], ["--version"]], ids=["help", "version"])
def test_help_and_version_load_no_library(argv: list[str]) -> None:
    loaded = _modules(*argv)
    assert "taqyeem_rules.cli._app" in loaded  # (the probe ran the command)
    assert not _under(loaded, "taqyeem_rules.present", "taqyeem_rules.guide", "taqyeem_rules.engine",
                      "taqyeem_rules.dsl", "taqyeem_rules.errors", "rich", "attr", "attrs", "yaml",
                      "jsonschema", "lark", "hypothesis", "importlib.metadata")


def test_score_loads_neither_the_other_commands_nor_lark_nor_hypothesis() -> None:
    loaded = _modules("score", "2024", EXAMPLES)
    assert {"taqyeem_rules.engine.score", "taqyeem_rules.present.score", "rich.table"} <= loaded
    others = {f"taqyeem_rules.engine.{m}" for m in ("diff", "impact", "margins", "sensitivity", "record",
                                                      "verify", "testing", "assume")}
    others |= {f"taqyeem_rules.present.{m}" for m in ("diff", "impact", "margins", "sensitivity", "replay",
                                                       "testing", "check", "explain")}
    assert not loaded & others
    assert not _under(loaded, "hypothesis", "lark", "rich.progress", "taqyeem_rules.guide.cases")


def test_score_as_data_loads_no_terminal_library() -> None:
    loaded = _modules("score", "2024", EXAMPLES, "--format", "json")
    assert "taqyeem_rules.engine.score" in loaded
    assert not _under(loaded, "rich", "hypothesis", "lark")


_NAMES = """
import json, sys
import taqyeem_rules.engine as engine
import taqyeem_rules.engine.margins  # the module, imported before the name is read
from taqyeem_rules.engine import margins, record, score
from taqyeem_rules.guide import load_guide
try:
    engine.nope
except AttributeError as exc:
    missing = str(exc)
print(json.dumps({"margins": type(margins).__name__, "score": type(score).__name__,
                  "record": type(record).__name__, "engine.margins": type(engine.margins).__name__,
                  "load_guide": load_guide.__module__, "missing": missing,
                  "listed": all(n in dir(engine) for n in engine.__all__)}))
"""


def test_lazy_packages_offer_their_names_as_before() -> None:
    """A public name that is also its module's name stays the function, whichever is
    imported first; a module that is no public name is the module; an unknown name is an
    AttributeError; every public name is listed."""
    done = subprocess.run([sys.executable, "-c", _NAMES], capture_output=True, text=True, check=True, timeout=120)
    assert json.loads(done.stdout) == {
        "margins": "function", "score": "function", "record": "module", "engine.margins": "function",
        "load_guide": "taqyeem_rules.guide.loader",
        "missing": "module 'taqyeem_rules.engine' has no attribute 'nope'", "listed": True,
    }
