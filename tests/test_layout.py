"""Module boundaries, read from the source (the AST of every module of ``src/``).

- No module uses a ``_private`` name of another module: neither ``from m import _x`` nor
  ``m._x`` on an imported module. A helper two modules share gets a public name in the
  module it belongs to (docs/architecture.md says where each concept lives).
- Imports flow one way: ``errors/source ← dsl ← guide ← engine ← present ← cli``. An
  import up the layers is allowed only for typing (``if TYPE_CHECKING:``) or as one of
  the documented conveniences, inside the function that needs it.
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

from shared import ROOT

SRC = ROOT / "src"
PACKAGE = SRC / "taqyeem_rules"

#: `module._name` uses of another module's private name (none left since the CLI and
#: presentation rework). Kept exact: an entry that no longer occurs fails too.
KNOWN_PRIVATE: set[tuple[str, str]] = set()

#: The layers, bottom up; a module's layer is that of its first name below the package.
LAYERS = {
    "errors": 0, "codes": 0, "source": 0, "_version": 0, "_io": 0, "_text": 0, "_lazy": 0,
    "dsl": 1,
    "guide": 2,
    "engine": 3,
    "present": 4,
    "cli": 5, "__main__": 5,
}

#: Imports up the layers, inside a function: the documented conveniences (importer,
#: imported). Kept exact, like KNOWN_PRIVATE.
CONVENIENCES: set[tuple[str, str]] = {
    # Guide.score(evidence): the engine's score, lazily.
    ("taqyeem_rules.guide.guide", "taqyeem_rules.engine.score"),
    # Result.explain(): the explanation rendered by the presentation layer.
    ("taqyeem_rules.engine.result", "taqyeem_rules.present.explain"),
    # Impact.rows()/to_csv()/to_markdown(), Diff.to_markdown()/rows(), ReplayDifference.message
    # and ReplayReport.summary(): thin methods over the renderers in present/ (English).
    ("taqyeem_rules.engine.impact", "taqyeem_rules.present.impact"),
    ("taqyeem_rules.engine.diff", "taqyeem_rules.present.diff"),
    ("taqyeem_rules.engine.record_report", "taqyeem_rules.present.replay"),
    # A scoring error quotes the values a criterion read as every report writes them (the
    # one value renderer).
    ("taqyeem_rules.engine.score", "taqyeem_rules.present.values"),
}


def _name(path: Path) -> str:
    parts = list(path.relative_to(SRC).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _is_module(dotted: str) -> bool:
    path = SRC.joinpath(*dotted.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def _private(name: str) -> bool:
    return name.startswith("_") and not (name.startswith("__") and name.endswith("__"))


def _target(me: str, package: bool, node: ast.ImportFrom) -> str:
    """The absolute name of the module an ``ImportFrom`` imports from."""
    if not node.level:
        return node.module or ""
    base = me.split(".") if package else me.split(".")[:-1]
    base = base[: len(base) - (node.level - 1)]
    return ".".join([*base, node.module] if node.module else base)


def _layer(module: str) -> int | None:
    parts = module.split(".")
    if parts[0] != "taqyeem_rules":
        return None
    if len(parts) == 1:
        return len(LAYERS)  # the package's face re-exports everything: the top
    return LAYERS.get(parts[1])


def _imports(tree: ast.Module) -> Iterator[tuple[ast.ImportFrom | ast.Import, str]]:
    """Every import with where it stands: ``module`` (run on import), ``typing`` (under
    ``if TYPE_CHECKING:``) or ``function`` (inside a function or method)."""

    def walk(nodes: list[ast.stmt], where: str) -> Iterator[tuple[ast.ImportFrom | ast.Import, str]]:
        for node in nodes:
            if isinstance(node, ast.Import | ast.ImportFrom):
                yield node, where
            elif isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
                yield from walk(node.body, "function")
            elif isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                yield from walk(node.body, "typing")
                yield from walk(node.orelse, where)
            else:
                for field in ("body", "orelse", "finalbody", "handlers"):
                    inner = getattr(node, field, None)
                    if isinstance(inner, list):
                        yield from walk([x for x in inner if isinstance(x, ast.stmt | ast.ExceptHandler)], where)
                if isinstance(node, ast.ExceptHandler):
                    yield from walk(node.body, where)

    yield from walk(tree.body, "module")


Module = tuple[str, bool, ast.Module]  # (name, is a package's __init__, tree)


@functools.cache
def _modules() -> list[Module]:
    return [(_name(p), p.name == "__init__.py", ast.parse(p.read_text(encoding="utf-8")))
            for p in sorted(PACKAGE.rglob("*.py"))]


def _bindings(me: str, package: bool, nodes: list[ast.AST]) -> tuple[dict[str, str], set[str]]:
    """The modules the imports among ``nodes`` bind (local name → module), and the
    private names they import from other modules."""
    bound: dict[str, str] = {}
    private: set[str] = set()
    for node in nodes:
        if isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("taqyeem_rules"):
                    bound[alias.asname or alias.name.split(".")[0]] = alias.name if alias.asname else "taqyeem_rules"
        elif isinstance(node, ast.ImportFrom):
            target = _target(me, package, node)
            if not target.startswith("taqyeem_rules"):
                continue
            for alias in node.names:
                whole = f"{target}.{alias.name}"
                if _is_module(whole):  # a module (a package's own `_io` too): bound to its name
                    bound[alias.asname or alias.name] = whole
                elif _private(alias.name) and target != me:
                    private.add(whole)
    return bound, private


def _attributes(me: str, nodes: list[ast.AST], bound: dict[str, str]) -> set[tuple[str, str]]:
    """``module._name`` among ``nodes``, for the modules ``bound`` names."""
    found = set()
    for node in nodes:
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and _private(node.attr):
            module = bound.get(node.value.id)
            if module is not None and module != me and not _is_module(f"{module}.{node.attr}"):
                found.add((me, f"{module}.{node.attr}"))
    return found


def private_uses(modules: list[Module] | None = None) -> set[tuple[str, str]]:
    """(importer, module.name) for every private name of one module used by another."""
    found: set[tuple[str, str]] = set()
    for me, package, tree in modules if modules is not None else _modules():
        functions = [f for f in ast.walk(tree) if isinstance(f, ast.FunctionDef | ast.AsyncFunctionDef)]
        inside = {id(x) for f in functions for x in ast.walk(f) if x is not f}
        top = [x for x in ast.walk(tree) if id(x) not in inside]
        module_bound, private = _bindings(me, package, top)
        found |= {(me, name) for name in private} | _attributes(me, top, module_bound)
        # A function sees the module's imports and its own (one local name may stand for
        # different modules in different functions).
        for f in functions:
            nodes = list(ast.walk(f))
            own, private = _bindings(me, package, nodes)
            found |= {(me, name) for name in private} | _attributes(me, nodes, {**module_bound, **own})
    return found


def upward_imports() -> dict[str, set[tuple[str, str]]]:
    """Imports from a higher layer, by where they stand (module, typing, function)."""
    out: dict[str, set[tuple[str, str]]] = {"module": set(), "typing": set(), "function": set()}
    for me, package, tree in _modules():
        mine = _layer(me)
        assert mine is not None, me
        for node, where in _imports(tree):
            if isinstance(node, ast.Import):
                targets = [a.name for a in node.names]
            else:
                base = _target(me, package, node)
                targets = [f"{base}.{a.name}" if _is_module(f"{base}.{a.name}") else base for a in node.names]
            for target in targets:
                theirs = _layer(target)
                if theirs is not None and theirs > mine:
                    out[where].add((me, target))
    return out


def test_no_private_name_is_used_across_modules() -> None:
    found = private_uses()
    assert found - KNOWN_PRIVATE == set(), "private names used across modules: give them a public name"
    assert KNOWN_PRIVATE - found == set(), "no longer used: remove these from KNOWN_PRIVATE"


def test_the_scan_sees_every_form_of_crossing() -> None:
    """The scan itself, on a made-up module: a private name imported (at the top or in a
    function), and one read from an imported module; its own private names are not."""
    source = (
        "from .loader import _Builder, load_guide\n"
        "from . import schema as s\n"
        "from ..engine import record\n"
        "def _own():\n"
        "    return 1\n"
        "def f():\n"
        "    from ..engine.record import _show\n"
        "    from .amend import _Applier\n"
        "    return s._diagnostic, record.replay, _own()\n"
        "def g():\n"
        "    from .. import dsl as s\n"
        "    return s._Work\n"
    )
    found = private_uses([("taqyeem_rules.guide.amend", False, ast.parse(source))])
    assert found == {
        ("taqyeem_rules.guide.amend", "taqyeem_rules.guide.loader._Builder"),
        ("taqyeem_rules.guide.amend", "taqyeem_rules.engine.record._show"),
        ("taqyeem_rules.guide.amend", "taqyeem_rules.guide.schema._diagnostic"),
        ("taqyeem_rules.guide.amend", "taqyeem_rules.dsl._Work"),
    }


def test_imports_flow_one_way() -> None:
    up = upward_imports()
    assert up["module"] == set(), "a module imports one of a higher layer when it is loaded"
    assert up["function"] - CONVENIENCES == set(), "an import up the layers that is no documented convenience"
    assert CONVENIENCES - up["function"] == set(), "no longer imported: remove these from CONVENIENCES"


@pytest.mark.parametrize("module", ["taqyeem_rules._version", "taqyeem_rules.errors", "taqyeem_rules.source"])
def test_the_bottom_layer_imports_nothing_of_the_package_above_it(module: str) -> None:
    up = upward_imports()
    assert not any(importer == module for where in up.values() for importer, _ in where)
