"""Every error code the library can raise is registered and documented, and every documented
code is raised somewhere.

- the codes raised: read from the source's syntax trees by ``tests/codescan.py`` (keyword
  ``code=…``, the ``code`` parameter of any function or class, tables of codes, the
  f-strings ``f"{prefix}.io"`` expanded over the prefixes actually passed, an error class's
  default code when it is raised without one);
- the registry: :mod:`taqyeem_rules.codes` (the library's codes) and the codes the
  built-in criterion kinds declare (``CriterionKind.codes``);
- the documentation: docs/errors.md, where a code is documented by a ``###`` heading or
  the first cell of a table row, in the section of its category.

The checks are functions of (codes raised, registry, document), so the tests at the end
run them on deliberately altered copies and show that each one fails when it should.
"""

from __future__ import annotations

import functools
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

import pytest

from codescan import CODE_TEXT, Scan, scan
from shared import ROOT
from taqyeem_rules.codes import CATEGORIES, LIBRARY, CodeRegistry, ErrorCode
from taqyeem_rules.guide.kinds import CriterionKind, kind_registry
from taqyeem_rules.guide.kinds.registry import BUILTIN_ENTRY_POINTS

SRC = ROOT / "src" / "taqyeem_rules"
DOC = ROOT / "docs" / "errors.md"
KIND_MODULES = {name: f"taqyeem_rules/guide/kinds/{name}.py" for name in BUILTIN_ENTRY_POINTS}


def builtin_kinds() -> dict[str, CriterionKind]:
    registry = kind_registry()
    return {name: registry.get(name) for name in sorted(BUILTIN_ENTRY_POINTS)}  # type: ignore[misc]


def registered() -> dict[str, ErrorCode]:
    """The library's codes and the built-in kinds' (what the registry lists without plugins)."""
    reg = CodeRegistry()
    kinds = builtin_kinds()
    reg.add_source(lambda: [(f"kind {k.name}", k.codes) for k in kinds.values()])
    return {c.code: c for c in reg}


def namespaces(codes: Iterable[str]) -> set[str]:
    return {c.split(".")[0] for c in codes if "." in c}


def scan_source(src: Path = SRC) -> Scan:
    if src == SRC:
        return _scan_of_the_source()
    return scan(src, namespaces(registered()))


@functools.cache
def _scan_of_the_source() -> Scan:
    return scan(SRC, namespaces(registered()))


# ---- reading docs/errors.md ----------------------------------------------------------------

_BACKTICKED = re.compile(r"`([^`]+)`")


def documented(text: str) -> dict[str, list[str]]:
    """Each code documented in the page → the ``##`` sections that document it. A code is
    documented by a ``###`` heading naming it, or by the first cell of a table row."""
    out: dict[str, list[str]] = {}
    section = ""
    fenced = False
    for line in text.splitlines():
        if line.lstrip().startswith(("```", "~~~")):
            fenced = not fenced
            continue
        if fenced:
            continue
        if line.startswith("## "):
            section = line[3:].strip()
            continue
        if line.startswith("### "):
            cell = line[4:]
        elif line.startswith("|") and not re.fullmatch(r"\|[\s|:-]+\|?", line.strip()):
            cell = line.strip().strip("|").split("|")[0]
        else:
            continue
        for token in _BACKTICKED.findall(cell):
            if CODE_TEXT.fullmatch(token) and ("." in token or token in ("usage", "error")):
                out.setdefault(token, []).append(section)
    return out


# ---- the checks --------------------------------------------------------------------------


def unregistered(raised: Mapping[str, object], registry: Mapping[str, ErrorCode]) -> list[str]:
    return sorted(set(raised) - set(registry))


def undocumented(registry: Mapping[str, ErrorCode], docs: Mapping[str, list[str]]) -> list[str]:
    """Registered codes the page does not document in the section of their category."""
    out = []
    for code, entry in sorted(registry.items()):
        if code not in docs:
            out.append(f"{code}: not documented (a `###` heading or a table row in `## {entry.section}`)")
        elif entry.section not in docs[code]:
            out.append(f"{code}: documented in {docs[code]}, not in its section `## {entry.section}`")
    return out


def unused(names: Iterable[str], raised: Mapping[str, object]) -> list[str]:
    return sorted(set(names) - set(raised))


# ---- the tests ---------------------------------------------------------------------------------


def test_the_scan_reads_every_code_template() -> None:
    result = scan_source()
    assert result.problems == []
    # The scan sees the ways codes are written (a code per form, checked by hand).
    found = result.codes()
    by_form = {
        "syntax.missing-then": "SyntaxProblem() argument 1",    # a helper's `code` parameter
        "eval.overflow": "a string of a code namespace",          # a table of codes
        "record.io": "code= f'{prefix}.io'",                      # an f-string over prefixes
        "evidence.missing-key": "assigned to a code f'{code_prefix}.missing-key'",
        "usage": "UsageError() without a code",                   # a class's default code
        "impact.missing-inputs": "MissingInputsError() without a code",
        "scoring.table-overlap": "assigned to a code",            # _FAILURE_CODES
        "amendment.apply": "default of code",
        "syntax.unmatched-closing-paren": "SyntaxProblem() argument 1 f\"syntax.unmatched-closing-{(",
        "result.unknown-criterion": "code= f'result.unknown-{what}'",
    }
    for code, how in by_form.items():
        assert any(u.how.startswith(how) for u in found[code]), (code, [u.how for u in found[code]])
    # Prefixes are expanded over what each function is given, not every string anywhere.
    assert "bands.io" not in found and "amendment.not-found" not in found
    assert {"guide.io", "evidence.io", "record.io", "amendment.io"} <= set(found)


def test_every_code_raised_is_registered() -> None:
    assert unregistered(scan_source().codes(), registered()) == []


def test_every_registered_code_is_raised_somewhere() -> None:
    assert unused(registered(), scan_source().codes()) == []


def test_every_registered_code_is_documented_in_its_section() -> None:
    assert undocumented(registered(), documented(DOC.read_text(encoding="utf-8"))) == []


def test_every_documented_code_is_raised_somewhere() -> None:
    assert unused(documented(DOC.read_text(encoding="utf-8")), scan_source().codes()) == []


def test_the_page_has_a_section_per_category() -> None:
    text = DOC.read_text(encoding="utf-8")
    sections = [line[3:].strip() for line in text.splitlines() if line.startswith("## ")]
    assert [s for s in sections if s in CATEGORIES.values()] == list(CATEGORIES.values())


def test_each_builtin_kind_declares_the_codes_its_module_raises() -> None:
    """A kind's module raises library codes and the kind's own; the kind declares exactly
    its own (nothing the library already has, nothing it never raises)."""
    found = scan_source().uses
    for name, kind in builtin_kinds().items():
        raised = {u.code for u in found if u.file == KIND_MODULES[name]}
        assert set(kind.codes) == raised - set(LIBRARY), name
    declared = [code for kind in builtin_kinds().values() for code in kind.codes]
    assert len(declared) == len(set(declared)), "two built-in kinds declare one code"


# ---- the checks fail when they should ------------------------------------------------------


@pytest.fixture(scope="module")
def altered_source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the source with new codes raised in several forms."""
    root = tmp_path_factory.mktemp("src") / "taqyeem_rules"
    shutil.copytree(SRC, root, ignore=shutil.ignore_patterns("__pycache__", "*.json"))
    (root / "guide" / "extra.py").write_text(
        "from ..errors import Diagnostic, EvidenceError, GuideError\n"
        "TABLE = {'x': ('guide.from-a-table', 'words')}\n"
        "def f(prefix):\n"
        "    raise GuideError('m', code='guide.brand-new')\n"
        "def g():\n"
        "    return Diagnostic('evidence.positional', 'm')\n"
        "def h(prefix):\n"
        "    raise EvidenceError('m', code=f'{prefix}.templated')\n"
        "def k():\n"
        "    h(prefix='evidence')\n"
        "def u(thing):\n"
        "    raise EvidenceError('m', code=f'evidence.{thing.attr}')\n",
        encoding="utf-8",
    )
    # One code no longer raised: record.trailing's only use removed.
    record = root / "engine" / "record.py"
    text = record.read_text(encoding="utf-8")
    assert text.count('code="record.trailing"') == 1
    record.write_text(text.replace('code="record.trailing"', 'code="record.layout"'), encoding="utf-8")
    return root


def test_the_checks_fail_on_an_altered_source(altered_source: Path) -> None:
    result = scan_source(altered_source)
    assert unregistered(result.codes(), registered()) == [
        "evidence.positional", "evidence.templated", "guide.brand-new", "guide.from-a-table",
    ]
    assert result.problems == [
        "taqyeem_rules/guide/extra.py:12: cannot expand the code f'evidence.{thing.attr}'"
    ]
    assert unused(registered(), result.codes()) == ["record.trailing"]
    assert unused(documented(DOC.read_text(encoding="utf-8")), result.codes()) == ["record.trailing"]


def test_the_checks_fail_on_an_altered_page() -> None:
    text = DOC.read_text(encoding="utf-8")
    reg = registered()
    # A code's heading removed, a code moved to another section, a code raised nowhere added.
    assert "### `guide.weights`" in text and "### `eval.overflow`" in text
    altered = text.replace("### `guide.weights`", "### The weights")
    altered = altered.replace("### `eval.overflow`", "### Overflow")
    altered = altered.replace("## Internal errors", "## Internal errors\n\n### `eval.overflow`\n\n### `guide.never-raised`\n", 1)
    docs = documented(altered)
    assert undocumented(reg, docs) == [
        "eval.overflow: documented in ['Internal errors'], not in its section `## Evaluation errors`",
        "guide.weights: not documented (a `###` heading or a table row in `## Guide errors`)",
    ]
    assert unused(docs, scan_source().codes()) == ["guide.never-raised"]
    # A table row documents its first cell's codes, not the codes it mentions later.
    assert documented("## Evaluation errors\n| `eval.a`, `eval.b` | see `eval.c` |\n") == {
        "eval.a": ["Evaluation errors"], "eval.b": ["Evaluation errors"]}
    # Code blocks do not document.
    assert documented("## S\n```\n### `eval.a`\n```\n") == {}
