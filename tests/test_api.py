"""The public API: `__all__` is the contract, and every name in it is documented."""

from __future__ import annotations

import inspect
import types

import pytest

import taqyeem_rules
from taqyeem_rules import dsl


@pytest.mark.parametrize("module", [taqyeem_rules, dsl], ids=lambda m: m.__name__)
def test_all_names_exist(module: types.ModuleType) -> None:
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []


@pytest.mark.parametrize("module", [taqyeem_rules, dsl], ids=lambda m: m.__name__)
def test_all_is_complete(module: types.ModuleType) -> None:
    """Every public class or function the module exposes is listed in __all__."""
    exposed = {
        name
        for name, value in vars(module).items()
        if not name.startswith("_")
        and (inspect.isclass(value) or inspect.isfunction(value))
        and getattr(value, "__module__", "").startswith("taqyeem_rules")
    }
    assert sorted(exposed - set(module.__all__)) == []


@pytest.mark.parametrize("module", [taqyeem_rules, dsl], ids=lambda m: m.__name__)
def test_public_api_is_documented(module: types.ModuleType) -> None:
    """Each class and function has a docstring of its own (``inspect.getdoc`` would take
    a parent class's)."""

    def own_doc(value: object) -> str:
        doc = vars(value).get("__doc__") if inspect.isclass(value) else value.__doc__
        return (doc or "").strip()

    undocumented = [
        name
        for name in module.__all__
        if (inspect.isclass(getattr(module, name)) or inspect.isfunction(getattr(module, name)))
        and not own_doc(getattr(module, name))
    ]
    assert undocumented == []


def test_design_api_is_importable() -> None:
    """The calls DESIGN.md promises to other committee systems."""
    from taqyeem_rules import Guide, Result, load_evidence, load_guide

    assert callable(load_guide)
    assert callable(load_evidence)
    assert callable(Guide.check)
    assert callable(Guide.score)
    for attr in ("total", "tier", "categories", "criteria", "explain", "to_dict"):
        assert hasattr(Result, attr)
    assert callable(dsl.evaluate)
    assert callable(dsl.check)


def test_errors_share_one_root() -> None:
    errors = [
        getattr(taqyeem_rules, name)
        for name in taqyeem_rules.__all__
        if name.endswith("Error") and inspect.isclass(getattr(taqyeem_rules, name))
    ]
    assert len(errors) >= 10
    assert all(issubclass(e, taqyeem_rules.TaqyeemError) for e in errors)
