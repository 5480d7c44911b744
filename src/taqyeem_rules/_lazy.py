"""Packages whose public names are imported the first time they are used (PEP 562).

A command imports what it uses and nothing else: ``taqyeem score`` needs the scorer, not
the diff, the verifier or the record reader, although ``taqyeem_rules.engine`` offers
them all. A package calls :func:`lazy_package` with where each public name lives; the
name is imported from that module when first read, then kept.

A public name may be a module's own name too (``engine.score`` is the function and
``engine/score.py`` its module). When that module is imported, the import system binds
the module on the package under that name; the package keeps the public name instead,
as an eager ``from .score import score`` would have left it.
"""

from __future__ import annotations

import importlib
import sys
import types
from collections.abc import Mapping
from typing import Any

__all__ = ["lazy_package"]


class _LazyPackage(types.ModuleType):
    """A package module whose public names are imported on first use."""

    _lazy_exports: Mapping[str, str]

    def __getattr__(self, name: str) -> Any:
        exports = self.__dict__.get("_lazy_exports", {})
        module = exports.get(name)
        if module is None:
            raise AttributeError(f"module {self.__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(f"{self.__name__}.{module}"), name)
        self.__dict__[name] = value
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        exports = self.__dict__.get("_lazy_exports", {})
        if (name in exports and isinstance(value, types.ModuleType)
                and value.__name__ == f"{self.__name__}.{name}"):
            # the import system binding submodule `name`: the public name of that
            # name (its function) is what the package offers.
            return
        super().__setattr__(name, value)

    def __dir__(self) -> list[str]:
        return sorted(set(self.__dict__) | set(self.__dict__.get("_lazy_exports", {})))


def lazy_package(name: str, exports: Mapping[str, str]) -> None:
    """Make the package ``name`` (call it with ``__name__`` from its ``__init__``) import
    each public name from its module (``exports``: name → module, relative to the
    package) the first time it is read."""
    module = sys.modules[name]
    module.__dict__["_lazy_exports"] = dict(exports)
    module.__class__ = _LazyPackage
