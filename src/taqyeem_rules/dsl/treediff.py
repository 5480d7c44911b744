"""Expression trees compared as trees: the smallest sub-expressions in which two differ.

Used by the guide diff (``engine/diff.py``) and by criterion kinds comparing their
expressions, so an edit to ``clamp(x / 25, 0, 4)`` is reported as ``25 → 20``, not as a
new text.
"""

from __future__ import annotations

from typing import Any

import attrs

from . import nodes as n

__all__ = ["subtree_changes"]


def _plain_fields(node: n.Node) -> tuple[Any, ...]:
    kids = set(type(node).children_fields)
    return tuple(
        getattr(node, f.name) for f in attrs.fields(type(node)) if f.name != "span" and f.name not in kids
    )


def _child_shape(node: n.Node) -> tuple[Any, ...]:
    shape = []
    for name in type(node).children_fields:
        value = getattr(node, name)
        shape.append(len(value) if isinstance(value, tuple) else value is None)
    return tuple(shape)


def subtree_changes(old: n.Node | None, new: n.Node | None, limit: int = 6) -> tuple[tuple[str | None, str | None], ...]:
    """The smallest differing sub-expressions of two trees, as (old, new) canonical text.

    Descends while both nodes are of the same construct with the same shape; where they
    part, the pair of subtrees is one change. More than ``limit`` changes collapse into
    the pair of whole trees; a change of the whole tree gives ``()``.
    """
    if old is None or new is None or old == new:
        return ()
    out: list[tuple[str | None, str | None]] = []

    def walk(a: n.Node, b: n.Node) -> None:
        if a == b:
            return
        if type(a) is type(b) and _plain_fields(a) == _plain_fields(b) and _child_shape(a) == _child_shape(b):
            for ca, cb in zip(a.children(), b.children(), strict=True):
                walk(ca, cb)
            return
        out.append((n.unparse(a), n.unparse(b)))

    walk(old, new)
    whole = (n.unparse(old), n.unparse(new))
    if len(out) > limit or out == [whole]:
        return ()
    return tuple(out)
