"""YAML (and JSON) read safely, with the position of every value.

PyYAML composes the node tree (libyaml when available); the values are then built
here, by the YAML 1.2 core schema rather than PyYAML's YAML 1.1 one:

- numbers are exact :class:`~decimal.Decimal` s read from their text (``0.1`` is
  ``Decimal("0.1")``); ``.inf`` and ``.nan`` are refused;
- only ``true``/``false`` are booleans (``yes``, ``no``, ``on``, ``off`` stay text, so a key
  named ``on`` is the string ``"on"``);
- dates stay text;
- a key given twice in one mapping is an error, as are merge keys (``<<``) and tags
  (``!!str 50``, ``!!binary``, any ``!tag``).

A :class:`Document` keeps, for every path (a tuple of keys and indices), the YAML
node, so any later error can point at ``file:line:col``.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import yaml

from ..dsl.limits import MAX_DEPTH, MAX_DOCUMENT_VALUES
from ..dsl.numbers import NUMBER_TEXT, NumberTextError, check_range, read_number
from ..errors import TaqyeemError
from ..source import Source, Span

__all__ = ["Document", "Path", "load_document"]

Path = tuple[str | int, ...]

_BaseLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_TAGS = {yaml.ScalarNode: "tag:yaml.org,2002:str", yaml.SequenceNode: "tag:yaml.org,2002:seq",
         yaml.MappingNode: "tag:yaml.org,2002:map"}


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    """The safe loader without YAML 1.1's implicit tags: values are built here from their
    text (:func:`_scalar`), never from PyYAML's tag, so resolving one per scalar (a dozen
    regular expressions each) would only cost time. Explicit tags are refused on their
    own (:func:`_refuse_tag`)."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        return _TAGS[kind]


_OCT = re.compile(r"0o[0-7]+")
_HEX = re.compile(r"0x[0-9a-fA-F]+")
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(inf|Inf|INF)|\.(nan|NaN|NAN)")
_NULL = {"null", "Null", "NULL", "~", ""}
_TRUE = {"true", "True", "TRUE"}
_FALSE = {"false", "False", "FALSE"}


class Document:
    """Plain data read from a YAML or JSON file, and the node of every path."""

    def __init__(self, source: Source, data: Any, nodes: dict[Path, tuple[Any, Any]]) -> None:
        self.source = source
        self.data = data
        #: path → (key node or None, value node)
        self.nodes = nodes

    def _nearest(self, path: Path) -> tuple[Any, Any] | None:
        p = tuple(path)
        while p not in self.nodes and p:
            p = p[:-1]
        return self.nodes.get(p)

    def span(self, path: Path) -> Span | None:
        """The span of the value at ``path`` (or of its nearest ancestor); None for data
        that did not come from a file."""
        if not self.nodes:
            return None
        entry = self._nearest(path)
        if entry is None:
            return self.source.span(0, 0)
        node = entry[1]
        start, end = node.start_mark.index, node.end_mark.index
        if (
            isinstance(node, yaml.MappingNode | yaml.SequenceNode)
            and entry[0] is not None
            and node.start_mark.line != entry[0].start_mark.line
        ):
            # A block mapping or list starts on the next line: point at its key.
            key = entry[0]
            return Span(self.source, key.start_mark.index, key.end_mark.index)
        if isinstance(node, yaml.ScalarNode) and end == start:
            end = start + 1
        return Span(self.source, start, _first_line_end(self.source.text, start, end))

    def key_span(self, path: Path) -> Span | None:
        """The span of the key of the value at ``path`` (the value's span for list items)."""
        entry = self.nodes.get(tuple(path))
        if entry is None or entry[0] is None:
            return self.span(path)
        key = entry[0]
        return Span(self.source, key.start_mark.index, key.end_mark.index)

    def has(self, path: Path) -> bool:
        return tuple(path) in self.nodes

    def locator(self, path: Path) -> Callable[[int], int]:
        """Map offsets inside the string at ``path`` to offsets in the file.

        Exact for plain and quoted one-line scalars without escapes and for literal
        block scalars (``|``); for folded or escaped scalars, offsets on the first
        line are exact and later ones fall back to the scalar's start.
        """
        entry = self.nodes.get(tuple(path))
        if entry is None or not isinstance(entry[1], yaml.ScalarNode):
            span = self.span(path)
            base = span.start if span is not None else 0
            return lambda i: base
        node = entry[1]
        text = self.source.text
        start = node.start_mark.index
        style = node.style or ""
        value: str = node.value
        if style in ("'", '"'):
            raw = text[start + 1 : node.end_mark.index - 1]
            if raw == value:
                return lambda i: start + 1 + i
            return lambda i: start + 1 + min(i, max(0, len(raw) - 1))
        if style == "|":
            # Lines of the value sit on the lines after the indicator, indented.
            first_line = text.find("\n", start) + 1
            body = text[first_line : node.end_mark.index]
            lines = body.split("\n")
            indent = min((len(x) - len(x.lstrip(" ")) for x in lines if x.strip()), default=0)
            offsets: list[int] = []
            pos = first_line
            for line in lines:
                offsets.append(pos + indent)
                pos += len(line) + 1
            value_lines = value.split("\n")
            starts = []
            acc = 0
            for vl in value_lines:
                starts.append(acc)
                acc += len(vl) + 1

            def block(i: int) -> int:
                row = 0
                for k, s in enumerate(starts):
                    if s <= i:
                        row = k
                return offsets[min(row, len(offsets) - 1)] + (i - starts[row])

            return block
        if text[start : start + len(value)] == value:
            return lambda i: start + i
        first = value.split("\n", 1)[0]
        return lambda i: start + min(i, len(first))


def _first_line_end(text: str, start: int, end: int) -> int:
    nl = text.find("\n", start, end)
    return end if nl < 0 else max(nl, start + 1)


def _fail(error: type[TaqyeemError], source: Source, message: str, start: int, end: int | None = None,
          *, code: str, hint: str | None = None) -> TaqyeemError:
    return error(message, span=Span(source, start, end if end is not None else start + 1), code=code, hint=hint)


def _scalar(node: yaml.ScalarNode, source: Source, error: type[TaqyeemError]) -> Any:
    value: str = node.value
    if node.style in ("'", '"', "|", ">"):
        return value
    if value in _NULL:
        return None
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    try:
        if NUMBER_TEXT.fullmatch(value):
            return read_number(value)
        if _OCT.fullmatch(value):
            return check_range(Decimal(int(value[2:], 8)), value)
        if _HEX.fullmatch(value):
            return check_range(Decimal(int(value[2:], 16)), value)
    except NumberTextError as exc:
        raise _fail(error, source, exc.message, node.start_mark.index, node.end_mark.index,
                    code="yaml.number", hint="check the exponent") from None
    if _SPECIAL_FLOAT.fullmatch(value):
        raise _fail(error, source, f"`{value}` is not a finite number", node.start_mark.index,
                    node.end_mark.index, code="yaml.number",
                    hint="numbers must be finite decimals")
    return value


_ANCHOR = re.compile(r"&[^\s,\[\]{}]+\s+")
_TAG = re.compile(r"![^\s,\[\]{}]*")


def _refuse_tag(node: Any, source: Source, error: type[TaqyeemError]) -> None:
    """A node written with a tag (``!!str 50``, ``!!binary``, ``!custom``, ``!``) is an
    error, whatever the tag: a tag would change what a value means, and these files have
    plain values only. (A node's text starts with its properties — anchor, tag — and a
    plain value cannot start with ``!``, so the text tells tags apart exactly.)"""
    at = node.start_mark.index
    text = source.text
    if text[at:at + 1] not in ("&", "!"):
        return  # (the common case: neither an anchor nor a tag)
    anchor = _ANCHOR.match(text, at)
    if anchor:
        at = anchor.end()
    tag = _TAG.match(text, at)
    if tag:
        raise _fail(error, source, f"YAML tags are not allowed (`{tag.group()}`)", at, tag.end(),
                    code="yaml.tag",
                    hint='remove the tag: values are plain text, numbers, true/false and null '
                    '(quote a value to keep it text: "50")')


def _build(node: Any, path: Path, source: Source, error: type[TaqyeemError],
           nodes: dict[Path, tuple[Any, Any]], key: Any, depth: int) -> Any:
    if depth > MAX_DEPTH:
        raise _fail(error, source, f"the document nests deeper than {MAX_DEPTH} levels",
                    node.start_mark.index, code="yaml.depth")
    if len(nodes) >= MAX_DOCUMENT_VALUES:  # aliases can expand a small file without end
        raise _fail(error, source, f"the document holds more than {MAX_DOCUMENT_VALUES:,} values",
                    node.start_mark.index, code="yaml.size",
                    hint="a YAML alias (*name) repeats all it names; write the values out")
    nodes[path] = (key, node)
    _refuse_tag(node, source, error)
    if isinstance(node, yaml.ScalarNode):
        return _scalar(node, source, error)
    if isinstance(node, yaml.SequenceNode):
        return [
            _build(item, (*path, i), source, error, nodes, None, depth + 1)
            for i, item in enumerate(node.value)
        ]
    if isinstance(node, yaml.MappingNode):
        out: dict[str, Any] = {}
        seen: dict[str, Any] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                raise _fail(error, source, "a mapping key must be plain text",
                            key_node.start_mark.index, code="yaml.key")
            _refuse_tag(key_node, source, error)
            if key_node.value == "<<":
                raise _fail(error, source, "YAML merge keys (`<<`) are not supported",
                            key_node.start_mark.index, key_node.end_mark.index,
                            code="yaml.merge", hint="write the keys out in full")
            name = str(key_node.value)
            if name in seen:
                first = seen[name].start_mark
                raise _fail(error, source, f"key `{name}` is given twice in this mapping",
                            key_node.start_mark.index, key_node.end_mark.index,
                            code="yaml.duplicate-key",
                            hint=f"the first `{name}` is on line {first.line + 1}; keep one")
            seen[name] = key_node
            out[name] = _build(value_node, (*path, name), source, error, nodes, key_node, depth + 1)
        return out
    raise _fail(error, source, "unsupported YAML node", node.start_mark.index,  # pragma: no cover
                code="yaml.node")


def load_document(text: str, name: str, *, error: type[TaqyeemError] = TaqyeemError,
                  first_line: int = 1) -> Document:
    """Parse YAML or JSON text into a :class:`Document` (errors are ``error`` instances);
    ``first_line`` numbers the text's first line (a line of a JSON Lines file)."""
    source = Source(name, text, first_line)
    if "\t" in text and not name.endswith(".json"):
        line = text[: text.index("\t")].count("\n")
        col = text.index("\t") - (text.rfind("\n", 0, text.index("\t")) + 1)
        if text.split("\n")[line][:col].strip() == "":
            raise _fail(error, source, "tab used for indentation", text.index("\t"),
                        code="yaml.tab", hint="YAML indents with spaces only")
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        context = exc.context or ""
        # "while scanning a quoted scalar / a simple key …": the context mark is where the
        # unfinished thing starts (the opening quote, the key without its colon), which is
        # where the fix goes; the problem mark is often the end of the file or the next line.
        if exc.context_mark is not None and ("while scanning" in context or mark is None or mark.index >= len(text) - 1):
            mark = exc.context_mark
        offset = mark.index if mark is not None else 0
        problem = (exc.problem or "invalid YAML").strip()
        context = f" ({exc.context.strip()})" if exc.context else ""
        raise _fail(error, source, f"invalid YAML: {problem}{context}", offset,
                    code="yaml.syntax",
                    hint="check indentation, a missing `:` or an unclosed quote or bracket") from None
    except yaml.reader.ReaderError as exc:  # a control character
        char = exc.character if isinstance(exc.character, int) else ord(exc.character)
        raise _fail(error, source, f"invalid character U+{char:04X} ({exc.reason})",
                    exc.position, exc.position + 1, code="yaml.syntax",
                    hint="remove it; YAML allows printable characters, tabs and line ends") from None
    except yaml.YAMLError as exc:
        raise error(f"invalid YAML: {exc}", code="yaml.syntax") from None
    except RecursionError:
        raise error("the document nests too deeply", code="yaml.depth") from None
    if root is None:
        raise _fail(error, source, "the file is empty", 0, code="yaml.empty")
    nodes: dict[Path, tuple[Any, Any]] = {}
    data = _build(root, (), source, error, nodes, None, 0)
    return Document(source, data, nodes)
