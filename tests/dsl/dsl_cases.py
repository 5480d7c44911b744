"""The one loader of the expression-language fixtures (``tests/dsl/fixtures/*.txt``).

Format (after sqlglot's fixtures)::

    # section: decimal exactness          <- a header: `# key: value`
    # var: x: number? = null              <- declares a variable (repeatable)
    0.1 + 0.2 ; 0.3                        <- a case: input ; expected [; more fields]
    x + 1 ; 3 ; x = 2                      <- extra fields: per-case variables
    1 + \\                                  <- ` \\` at the end of a line continues the input
    2 ; 3                                     on the next line, with a newline in between
    ## prose comment                       <- a comment (so is `#` followed by prose)

Fields are separated by `` ; `` (a semicolon with a space on each side), so a `;` may
appear inside an expression's strings as long as it is not surrounded by spaces.
Headers written before the first ``# section:`` hold for the whole file; those written
inside a section hold until the next ``# section:``. Header keys are checked: an
unknown key (a typo) fails the loading.

Values (expected results and variable values) are written as FEEL literals — numbers
(with an optional minus sign), strings with FEEL escapes, ``true``, ``false``,
``null``, lists ``[…]`` — plus contexts ``{key: value, …}`` for records and checklists.
They are read here, independently of the library under test.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

FIXTURES = Path(__file__).parent / "fixtures"

#: The header keys a fixture file may use.
KNOWN_KEYS = frozenset({"section", "var", "start", "precision", "rounding", "paths"})

_HEADER = re.compile(r"#\s*([a-z][a-z-]*)\s*:\s?(.*)$")
_SEPARATOR = " ; "
_MISSING = object()


@attrs.frozen
class Binding:
    """A variable of a case: ``name[: type] [= value]`` (``?`` is the tested value)."""

    name: str
    type: str | None
    value: Any = _MISSING

    @property
    def has_value(self) -> bool:
        return self.value is not _MISSING


@attrs.frozen
class Case:
    file: str
    line: int
    input: str
    fields: tuple[str, ...]
    headers: Mapping[str, str]
    variables: tuple[Binding, ...]

    @property
    def id(self) -> str:
        shown = self.input.replace("\n", "⏎")
        return f"{self.file}:{self.line}:{shown}"

    def header(self, key: str, default: str | None = None) -> str | None:
        return self.headers.get(key, default)


def load_cases(name: str) -> list[Case]:
    """Every case of ``fixtures/<name>.txt``, in file order."""
    path = FIXTURES / f"{name}.txt"
    lines = path.read_text(encoding="utf-8").split("\n")
    file_headers: dict[str, str] = {}
    file_vars: list[str] = []
    headers: dict[str, str] = {}
    section_vars: list[str] = []
    in_section = False
    cases: list[Case] = []
    i = 0
    while i < len(lines):
        lineno = i + 1
        raw = lines[i].rstrip("\r")
        i += 1
        stripped = raw.strip()
        if not stripped or stripped.startswith("##"):
            continue
        if stripped.startswith("#"):
            m = _HEADER.fullmatch(stripped)
            if m is None:
                continue  # prose comment
            key, value = m.group(1), m.group(2).strip()
            if key not in KNOWN_KEYS:
                raise ValueError(f"{path.name}:{lineno}: unknown header key {key!r}")
            if key == "section":
                in_section = True
                headers = dict(file_headers)
                section_vars = []
                headers["section"] = value
            elif key == "var":
                (section_vars if in_section else file_vars).append(value)
            elif in_section:
                headers[key] = value
            else:
                file_headers[key] = value
                headers[key] = value
            continue
        text = raw
        while text.endswith(" \\") and i < len(lines):
            text = text[:-2] + "\n" + lines[i].rstrip("\r")
            i += 1
        parts = text.split(_SEPARATOR)
        source, fields = parts[0], tuple(p.strip() for p in parts[1:])
        bindings = [read_binding(v, where=f"{path.name}:{lineno}") for v in file_vars + section_vars]
        cases.append(
            Case(path.name, lineno, source.strip(" "), fields, dict(headers), tuple(bindings))
        )
    return cases


def params(cases: list[Case]) -> list[Any]:
    """The cases as pytest parameters, each named by file, line and input."""
    return [pytest.param(c, id=c.id) for c in cases]


# ---- bindings ----------------------------------------------------------------------

_BINDING = re.compile(r"\s*(\?|[^\W\d]\w*)\s*(?::\s*([^=]+?))?\s*(?:=\s*(.+?))?\s*", re.DOTALL)


def read_binding(text: str, *, where: str = "fixture") -> Binding:
    m = _BINDING.fullmatch(text)
    if m is None:
        raise ValueError(f"{where}: cannot read the variable {text!r}")
    name, written_type, value = m.groups()
    return Binding(name, written_type, read_value(value) if value is not None else _MISSING)


def case_bindings(case: Case, extra: tuple[str, ...] = ()) -> dict[str, Binding]:
    """Header variables, then per-case ones (a later binding of a name wins)."""
    out = {b.name: b for b in case.variables}
    for text in extra:
        b = read_binding(text, where=case.id)
        out[b.name] = b
    return out


# ---- values --------------------------------------------------------------------------

_ESCAPES = {'"': '"', "\\": "\\", "n": "\n", "t": "\t", "r": "\r", "/": "/"}
_NUMBER = re.compile(r"-?(\d+(\.\d+)?|\.\d+)")
_KEY = re.compile(r"[^\W\d]\w*")


def read_value(text: str) -> Any:
    """A value written as a FEEL literal (plus ``{k: v}`` contexts)."""
    value, pos = _value(text, _ws(text, 0))
    pos = _ws(text, pos)
    if pos != len(text):
        raise ValueError(f"unexpected {text[pos:]!r} after the value in {text!r}")
    return value


def _ws(text: str, pos: int) -> int:
    while pos < len(text) and text[pos].isspace():
        pos += 1
    return pos


def _value(text: str, pos: int) -> tuple[Any, int]:
    if text.startswith('"', pos):
        return _string(text, pos)
    if text.startswith("[", pos):
        return _sequence(text, pos + 1, "]", _value)
    if text.startswith("{", pos):
        items, end = _sequence(text, pos + 1, "}", _pair)
        return dict(items), end
    for word, value in (("true", True), ("false", False), ("null", None)):
        if text.startswith(word, pos):
            return value, pos + len(word)
    m = _NUMBER.match(text, pos)
    if m is None:
        raise ValueError(f"cannot read a value at {text[pos:]!r}")
    return Decimal(m.group()), m.end()


def _pair(text: str, pos: int) -> tuple[tuple[str, Any], int]:
    m = _KEY.match(text, pos)
    if m is None:
        raise ValueError(f"expected a key at {text[pos:]!r}")
    pos = _ws(text, m.end())
    if not text.startswith(":", pos):
        raise ValueError(f"expected `:` at {text[pos:]!r}")
    value, pos = _value(text, _ws(text, pos + 1))
    return (m.group(), value), pos


def _sequence(text: str, pos: int, close: str, item: Any) -> tuple[list[Any], int]:
    out: list[Any] = []
    pos = _ws(text, pos)
    if text.startswith(close, pos):
        return out, pos + 1
    while True:
        value, pos = item(text, _ws(text, pos))
        out.append(value)
        pos = _ws(text, pos)
        if text.startswith(close, pos):
            return out, pos + 1
        if not text.startswith(",", pos):
            raise ValueError(f"expected `,` or `{close}` at {text[pos:]!r}")
        pos += 1


def _string(text: str, pos: int) -> tuple[str, int]:
    out: list[str] = []
    i = pos + 1
    while i < len(text):
        ch = text[i]
        if ch == '"':
            return "".join(out), i + 1
        if ch == "\\":
            nxt = text[i + 1]
            if nxt == "u":
                out.append(chr(int(text[i + 2 : i + 6], 16)))
                i += 6
            else:
                out.append(_ESCAPES[nxt])
                i += 2
            continue
        out.append(ch)
        i += 1
    raise ValueError(f"unterminated string in {text!r}")


def same_value(actual: Any, expected: Any) -> bool:
    """Equal as FEEL values: numbers by value, and a boolean is never a number."""
    if expected is None:
        return actual is None
    if isinstance(expected, bool):
        return isinstance(actual, bool) and actual is expected
    if isinstance(expected, Decimal):
        return isinstance(actual, Decimal) and actual == expected
    if isinstance(expected, str):
        return isinstance(actual, str) and actual == expected
    if isinstance(expected, list):
        return (
            isinstance(actual, list)
            and len(actual) == len(expected)
            and all(same_value(a, e) for a, e in zip(actual, expected))
        )
    if isinstance(expected, dict):
        return (
            isinstance(actual, Mapping)
            and set(actual) == set(expected)
            and all(same_value(actual[k], v) for k, v in expected.items())
        )
    raise TypeError(f"not a value: {expected!r}")  # pragma: no cover


# ---- errors -------------------------------------------------------------------------

_POSITION = re.compile(r"(\d+):(\d+)(?:-(\d+):(\d+))?|-")


def assert_error(error: Any, fields: tuple[str, ...], *, case: Case | None = None) -> None:
    """Check an error against ``code ; L:C[-L:C] ; message [; hint]`` (position `-`: none).

    A case without a hint field expects no hint.
    """
    code, position, message, *rest = fields
    hint = rest[0] if rest else None
    where = f" ({case.id})" if case is not None else ""
    assert error.code == code, f"code {error.code!r} != {code!r}{where}: {error}"
    assert error.message == message, f"message differs{where}"
    assert error.hint == hint, f"hint {error.hint!r} != {hint!r}{where}"
    m = _POSITION.fullmatch(position)
    assert m is not None, f"bad position {position!r}{where}"
    if position == "-":
        assert error.span is None, f"expected no position{where}, got {error.span!r}"
        return
    span = error.span
    assert span is not None, f"expected a position{where}"
    assert (span.line, span.col) == (int(m.group(1)), int(m.group(2))), f"position{where}: {span!r}"
    if m.group(3):
        assert (span.end_line, span.end_col) == (int(m.group(3)), int(m.group(4))), (
            f"end position{where}: {span!r}"
        )
