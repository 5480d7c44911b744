"""Helpers for the cycle-record tests: small records, and re-writing a record's JSON in
the canonical layout (optionally re-fingerprinted, as a forger would)."""

from __future__ import annotations

import copy
import hashlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

from taqyeem_rules.guide import canonical_json

ARCHIVE = Path(__file__).resolve().parent / "archive"
HEADER = ("format", "cycle", "engine", "plugins", "guide_fingerprint", "guide", "count")


def sha(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def mini_evidences(count: int = 3) -> list[dict[str, Any]]:
    """``count`` centres for the mini guide, as Python data (numbers as Decimal)."""
    out = []
    for k in range(count):
        out.append({
            "centre": {"id": f"M-{k + 1:02d}", "name": {"en": f"Centre {k + 1}", "ar": f"مركز {k + 1}"}},
            "model": "onsite",
            "edition": "mini",
            "inputs": {
                "waiting_minutes": Decimal(8 + 7 * k),
                "facilities": {"parking": k != 1, "ramp": True, "signage": k == 2, "seating": True},
                "has_parking_area": k != 2,
                **({"satisfaction": Decimal("91.5") - 10 * k} if k != 1 else {}),
                "reply_within_deadline": Decimal(88 - 5 * k),
            },
        })
    return out


def parse(data: bytes) -> dict[str, Any]:
    """The whole record as one JSON value (fine for small records)."""
    return json.loads(data, parse_float=Decimal)


def layout(record: dict[str, Any], *, refingerprint: bool = False) -> bytes:
    """Write parsed record data back in the canonical layout. The per-part fingerprints
    are kept as they are; with ``refingerprint`` the record fingerprint is recomputed
    (and nothing else: a forger who only knows the outer hash)."""
    lines = []
    for k, key in enumerate(HEADER):
        lines.append(f'{"{" if k == 0 else ""}"{key}":{canonical_json(record[key])},\n')
    lines.append('"centres":[\n')
    centres = record["centres"]
    for k, c in enumerate(centres):
        lines.append(canonical_json(c) + (",\n" if k < len(centres) - 1 else "\n"))
    lines.append("],\n")
    body = "".join(lines).encode("utf-8")
    fingerprint = hashlib.sha256(body).hexdigest() if refingerprint else record["fingerprint"]
    return body + f'"fingerprint":{json.dumps(fingerprint)}}}\n'.encode()


def refingerprint_all(record: dict[str, Any]) -> dict[str, Any]:
    """Recompute every part's fingerprint (the record's own is done by :func:`layout`)."""
    out = copy.deepcopy(record)
    out["guide_fingerprint"] = sha(canonical_json(out["guide"]))
    for c in out["centres"]:
        c["evidence_fingerprint"] = sha(canonical_json(c["evidence"]))
        c["result_fingerprint"] = sha(canonical_json(c["result"]))
    return out


def leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """The path of every scalar in a JSON value."""
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in leaves(v, (*path, k))]
    if isinstance(value, list):
        return [p for k, v in enumerate(value) for p in leaves(v, (*path, k))]
    return [path]


def get(value: Any, path: tuple[Any, ...]) -> Any:
    for part in path:
        value = value[part]
    return value


def put(value: Any, path: tuple[Any, ...], new: Any) -> None:
    for part in path[:-1]:
        value = value[part]
    value[path[-1]] = new


def mutate(value: Any) -> Any:
    """A different value of the same JSON type (numbers kept as number text)."""
    if isinstance(value, bool):
        return not value
    if isinstance(value, int):
        return value + 1
    if isinstance(value, Decimal):
        return value + 1
    if value is None:
        return "x"
    assert isinstance(value, str)
    try:
        number = Decimal(value)
    except ArithmeticError:
        return value + "x"
    if not number.is_finite():
        return value + "x"
    return canonical_json(number + 1).strip('"')
