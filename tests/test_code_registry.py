"""The registry of error codes (:mod:`taqyeem_rules.codes`): its entries, the lookup
tools use, and the codes criterion kinds declare (``CriterionKind.codes``), built-in or
plugin. Whether every code raised is registered and documented is
``tests/test_error_codes.py``."""

from __future__ import annotations

import re
from collections.abc import Mapping
from pathlib import Path
from typing import ClassVar

import pytest

from taqyeem_rules import codes as codes_module
from taqyeem_rules.codes import (
    CATEGORIES,
    CODE_PATTERN,
    LIBRARY,
    CodeRegistry,
    ErrorCode,
    code_registry,
)
from taqyeem_rules.errors import PluginError, lookup_code
from taqyeem_rules.guide.kinds import CriterionKind, kind_registry
from taqyeem_rules.guide.kinds.registry import BUILTIN_ENTRY_POINTS, KindRegistry


def registered() -> dict[str, ErrorCode]:
    """The library's codes and the built-in kinds'."""
    reg = CodeRegistry()
    registry = kind_registry()
    kinds = [registry.get(name) for name in sorted(BUILTIN_ENTRY_POINTS)]
    reg.add_source(lambda: [(f"kind {k.name}", k.codes) for k in kinds if k is not None])
    return {c.code: c for c in reg}


def test_registry_entries_are_well_formed() -> None:
    every = registered()
    assert len(every) >= 250
    for code, entry in every.items():
        assert CODE_PATTERN.fullmatch(code) and entry.code == code
        assert entry.category in CATEGORIES, code
        assert entry.meaning.strip() and "\n" not in entry.meaning and not entry.meaning.endswith("."), code
        assert entry.meaning[0].islower() or entry.meaning[0] in "`aN", code
    assert all(e.owner == "taqyeem_rules" for e in LIBRARY.values())


def test_lookup_code() -> None:
    entry = lookup_code("name.unknown")
    assert entry is not None
    assert (entry.category, entry.section, entry.owner) == ("names-types", "Names and types", "taqyeem_rules")
    survey = lookup_code("guide.survey-values")
    assert survey is not None and (survey.owner, survey.category) == ("kind survey", "guide")
    assert lookup_code("guide.no-such-code") is None
    assert "guide.table-shape" in code_registry() and "nope" not in code_registry()
    assert len(code_registry()) == len(registered())


class _CountsKind(CriterionKind):
    name = "counted_for_codes"
    codes: ClassVar[Mapping[str, str]] = {
        "scoring.too-few": "fewer responses than the criterion needs",
        "name.unknown": "a kind may declare a library code: the library's meaning stays",
    }


def test_a_plugin_kind_declares_its_codes() -> None:
    registry = kind_registry()
    registry.register(_CountsKind(), replace=True)
    try:
        entry = lookup_code("scoring.too-few")
        assert entry == ErrorCode("scoring.too-few", "scoring", "fewer responses than the criterion needs",
                                  "kind counted_for_codes")
        assert entry.section == "Scoring errors"
        library = lookup_code("name.unknown")
        assert library is not None and library.owner == "taqyeem_rules"
    finally:
        registry.unregister("counted_for_codes")
    assert lookup_code("scoring.too-few") is None


@pytest.mark.parametrize(("codes", "wording"), [
    ({"Guide.Bad": "x"}, "'Guide.Bad' is not an error code (write words joined by dots: guide.my-check)"),
    ({"nodot": "x"}, "'nodot' is not an error code (write words joined by dots: guide.my-check)"),
    ({"guide.ok": ""}, "the meaning of guide.ok must be one line of text"),
    ({"guide.ok": "two\nlines"}, "the meaning of guide.ok must be one line of text"),
])
def test_a_kind_with_malformed_codes_is_refused(codes: dict[str, str], wording: str) -> None:
    kind = type("BadCodes", (CriterionKind,), {"name": "bad_codes", "codes": codes})()
    with pytest.raises(PluginError) as info:
        KindRegistry(entry_points=False).register(kind)
    assert info.value.code == "plugin.kind-codes"
    assert info.value.message == f"criterion kind `bad_codes` declares {wording}"
    assert info.value.hint == 'e.g. codes = {"guide.my-check": "what it means"}'


def test_a_kind_whose_codes_are_not_a_mapping_is_refused() -> None:
    kind = type("BadCodes", (CriterionKind,), {"name": "bad_codes", "codes": ["guide.x"]})()
    with pytest.raises(PluginError) as info:
        KindRegistry(entry_points=False).register(kind)
    assert info.value.code == "plugin.kind-codes"
    assert info.value.message == "criterion kind `bad_codes`: `codes` must map each error code to its meaning"


def test_the_registry_module_imports_nothing_of_the_package() -> None:
    source = Path(codes_module.__file__).read_text(encoding="utf-8")
    assert not re.search(r"^\s*(from \.|import taqyeem_rules|from taqyeem_rules)", source, re.M)
