"""What the tests share: where their files are (import these where a fixture cannot be
used: at import time, in hypothesis strategies, in helper modules) and the command-line
runner behind the ``cli`` fixture. The fixtures of ``tests/conftest.py`` (``cli``,
``mini_guide``, ``c1_evidence``) give a test the runner and the loaded files."""

from __future__ import annotations

import contextlib
import io
from pathlib import Path
from typing import Any, NamedTuple

import pytest

#: The clone: ``src/``, ``criteria/``, ``docs/``, ``tests/``.
ROOT = Path(__file__).resolve().parents[1]
#: The hand-made guides and evidence of the tests.
FIXTURES = ROOT / "tests" / "fixtures"
#: The hand-made mini guide's folder (``guide.yaml`` and ``c1.yaml``).
MINI = FIXTURES / "mini"
#: The mini guide's file.
MINI_YAML = MINI / "guide.yaml"
#: The evidence of the mini guide's one centre, C1 (M-01, edition mini).
C1 = MINI / "c1.yaml"
#: The mini guide with amendments (``extends: mini``).
MINI_AMENDED = FIXTURES / "mini-amended"
#: The guides of ``taqyeem test`` and ``taqyeem verify``.
VERIFY = FIXTURES / "verify"


# ---- the command line ------------------------------------------------------------------------


class Run(NamedTuple):
    """What one ``taqyeem`` command did: its exit code, standard output and standard error
    (text, as UTF-8 decodes them)."""

    code: int
    out: str
    err: str


class RunBytes(NamedTuple):
    """What one ``taqyeem`` command did, its streams as the bytes written."""

    code: int
    out: bytes
    err: bytes


class Cli:
    """Runs ``taqyeem ARGV`` in-process (``cli("score", ...)``; ``cli.bytes(...)`` for the
    bytes written). Standard output and error are captured as pytest's ``capsys`` does (a
    UTF-8 text stream over a byte buffer), for this command alone; no traceback may reach
    either of them."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self._monkeypatch = monkeypatch

    def bytes(self, *argv: str, columns: int | None = None) -> RunBytes:
        """The command's exit code and the bytes of its standard output and error
        (``columns``: the terminal width, as ``COLUMNS`` says it)."""
        from taqyeem_rules.cli import main

        out, err = _stream(), _stream()
        with self._monkeypatch.context() as patch:
            if columns is not None:
                patch.setenv("COLUMNS", str(columns))
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                code = main(list(argv))
        result = RunBytes(code, out.buffer.getvalue(), err.buffer.getvalue())
        for stream in (result.out, result.err):
            assert b"Traceback" not in stream, stream.decode("utf-8", "backslashreplace")
        return result

    def __call__(self, *argv: str, columns: int | None = None) -> Run:
        """The command's exit code, standard output and standard error."""
        code, out, err = self.bytes(*argv, columns=columns)
        return Run(code, out.decode("utf-8"), err.decode("utf-8"))


def _stream() -> Any:
    """A stream like pytest's capture (and a terminal's): UTF-8 text over a byte buffer."""
    return io.TextIOWrapper(io.BytesIO(), encoding="UTF-8", newline="", write_through=True)
