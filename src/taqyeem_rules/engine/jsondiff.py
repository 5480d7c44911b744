"""Where two JSON values differ, leaf by leaf: the comparison behind a replay's differences.

``leaf_changes(a, b)`` gives every leaf where two decoded JSON documents differ, exactly
(``1`` is not ``true``), as dotted paths (``criteria.W1.points``): objects key by key,
lists of objects with ids matched by id, other lists item by item. A side that lacks
a leaf holds :data:`MISSING`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

__all__ = ["MISSING", "leaf_changes", "leaf_paths"]

#: What stands for a leaf one side does not have.
MISSING: Any = object()


def leaf_changes(a: Any, b: Any, path: str = "") -> Iterator[tuple[str, Any, Any]]:
    """Every leaf where ``a`` and ``b`` differ, exactly (``1`` is not ``true``), in the
    order of ``b``; lists of objects with ids are matched by id (``criteria.W1.points``)."""
    if isinstance(a, dict) and isinstance(b, dict):
        yield from _by_key(a, b, path)
        return
    if isinstance(a, list) and isinstance(b, list):
        if _keyed(a) and _keyed(b):
            ka, kb = {x["id"]: x for x in a}, {x["id"]: x for x in b}
            yield from _by_key(ka, kb, path)
            if [x["id"] for x in a] != [x["id"] for x in b] and set(ka) == set(kb):
                yield f"{path}(order)", [x["id"] for x in a], [x["id"] for x in b]
            return
        for k in range(max(len(a), len(b))):
            sub = f"{path}[{k}]"
            if k >= len(a):
                yield sub, MISSING, b[k]
            elif k >= len(b):
                yield sub, a[k], MISSING
            else:
                yield from leaf_changes(a[k], b[k], sub)
        return
    if type(a) is not type(b) or a != b:
        yield path, a, b


def _by_key(a: dict[Any, Any], b: dict[Any, Any], path: str) -> Iterator[tuple[str, Any, Any]]:
    """The changes of two objects (or two lists matched by id), key by key: ``b``'s keys
    in order, then those only ``a`` has."""
    for k in list(b) + [k for k in a if k not in b]:
        sub = f"{path}.{k}" if path else str(k)
        if k not in a:
            yield sub, MISSING, b[k]
        elif k not in b:
            yield sub, a[k], MISSING
        else:
            yield from leaf_changes(a[k], b[k], sub)


def _keyed(items: list[Any]) -> bool:
    if not items or not all(isinstance(x, dict) and isinstance(x.get("id"), str) for x in items):
        return False
    return len({x["id"] for x in items}) == len(items)


def leaf_paths(a: Any, b: Any) -> list[str]:
    """The paths of :func:`leaf_changes`."""
    return [p for p, _, _ in leaf_changes(a, b)]
