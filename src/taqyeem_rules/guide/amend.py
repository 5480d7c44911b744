"""Amended editions (``extends`` + ``amendments``): materialised into a complete guide."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import AmendmentError
from .yamlio import Document

__all__ = ["materialise"]


def materialise(doc: Document, file: Path, load: Callable[..., Any]) -> Any:
    """Apply the amendments of ``doc`` to the edition it extends."""
    raise AmendmentError(
        "amended editions (`extends`) are not supported yet",
        span=doc.key_span(("extends",)),
        code="amendment.unsupported",
        hint="write the edition out in full",
    )
