"""The one "did you mean …?" hint, for every unknown name, id, key or column.

A leaf module (it needs only the limits), so the checker, the guide's schema and checks,
amendments, evidence and the engine all word their hints the same way.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable

from .limits import MAX_HINT_CANDIDATES, MAX_NAME_LENGTH

__all__ = ["did_you_mean"]


def did_you_mean(name: str, candidates: Iterable[str]) -> str | None:
    """A "did you mean `x`?" hint, or None when nothing is close.

    The work is bounded (dsl/limits.py): no hint for a name longer than MAX_NAME_LENGTH,
    and at most MAX_HINT_CANDIDATES candidates, the nearest in length, are compared."""
    if len(name) > MAX_NAME_LENGTH:
        return None
    pool = sorted({c for c in candidates if len(c) <= MAX_NAME_LENGTH})
    if len(pool) > MAX_HINT_CANDIDATES:
        pool = sorted(sorted(pool, key=lambda c: (abs(len(c) - len(name)), c))[:MAX_HINT_CANDIDATES])
    scored = []
    for cand in pool:
        matcher = difflib.SequenceMatcher(None, name, cand)
        if len(cand) <= len(name) + 2 and matcher.real_quick_ratio() < 0.6:
            continue  # (an upper bound of ratio(): it cannot reach 0.6)
        whole = matcher.ratio()
        # A misspelt prefix of a long name (`waitng` for `waiting_minutes`).
        head = difflib.SequenceMatcher(None, name, cand[: len(name) + 1]).ratio() if len(cand) > len(name) + 2 else 0
        score = max(whole, head - 0.1 if len(name) >= 4 else 0)
        if score >= 0.6:
            scored.append((-score, cand))
    ranked = sorted(scored)
    best = -ranked[0][0] if ranked else 0
    # Only the names about as close as the best one.
    close = [cand for score, cand in ranked[:3] if -score >= best - 0.05]
    if not close:
        return None
    if len(close) == 1:
        return f"did you mean `{close[0]}`?"
    return "did you mean " + " or ".join(f"`{c}`" for c in close) + "?"
