"""The ``taqyeem`` command line: arguments in, a call to the core, a formatter out.

One module per command (``check.py``, ``score.py``, …): each declares its arguments
(``add_parser``) and runs (``run``): it parses, calls the core, and hands the result to
the formatter ``--format`` names (:mod:`taqyeem_rules.present`). Nothing here words or
lays out a result. A new command is one new module here: the parser finds it.

Exit codes: 0 success, 1 a finding (invalid guide or expression, failed replay),
2 bad usage. A user's mistake never ends in a Python traceback.
"""

from __future__ import annotations

from typing import Any

from ._app import COMMANDS, build_parser, main
from ._common import EXIT_FINDING, EXIT_OK, EXIT_USAGE

__all__ = ["COMMANDS", "EXIT_FINDING", "EXIT_OK", "EXIT_USAGE", "build_parser", "dumps", "dumps_numbers", "main"]


def __getattr__(name: str) -> Any:
    """``dumps`` and ``dumps_numbers`` (:mod:`taqyeem_rules.present.tables`), imported
    when first used: the command's start loads no formatter it does not need."""
    if name in ("dumps", "dumps_numbers"):
        from ..present import tables

        return getattr(tables, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
