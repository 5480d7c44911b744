"""JSON Schemas (``taqyeem schema``): written as JSON, numbers as JSON numbers."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .formatters import Formatter, Options, formatter
from .tables import dumps_numbers

__all__ = ["Schema"]


@dataclass(frozen=True)
class Schema:
    """A schema's data; ``numbers``: its decimals are written as JSON numbers."""

    data: Any
    numbers: bool = False


@formatter("schema", "json")
class SchemaJson(Formatter):
    """The schema, indented by 2."""

    data = True

    def render(self, subject: Schema, options: Options) -> str:
        if subject.numbers:
            return dumps_numbers(subject.data)
        return json.dumps(subject.data, indent=2, ensure_ascii=False)
