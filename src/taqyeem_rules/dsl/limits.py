"""The size limits of the library, in one place.

Two kinds of limits live here:

- :class:`Limits`, the size limits of one expression. Every pass after the parser
  (checker, folding, compiler, interpreter, unparse) walks the tree recursively; the
  depth limit keeps that far below Python's recursion limit, and the generated code below
  Python's own nesting limits. Over a limit is a clear
  :class:`~taqyeem_rules.errors.LimitError`, never a ``RecursionError``.
- The limits of the data read from files and the command line (file sizes, nesting of
  documents, ids, CSV columns and cells, the work spent on hints and on decision-table
  analysis). Each is checked *before* the work it bounds, and going over one is a
  :class:`~taqyeem_rules.errors.TaqyeemError` with its own code, listed with the limit in
  ``docs/errors.md`` ("Limits of files and data").
"""

from __future__ import annotations

import attrs

__all__ = [
    "ANALYSIS_LIMITS",
    "DEFAULT_LIMITS",
    "MAX_CSV_CELL",
    "MAX_CSV_COLUMNS",
    "MAX_DEPTH",
    "MAX_DOCUMENT_VALUES",
    "MAX_FILE_BYTES",
    "MAX_HINT_CANDIDATES",
    "MAX_ID_LENGTH",
    "MAX_NAME_LENGTH",
    "MAX_RECORD_BYTES",
    "MAX_RECORD_LINE",
    "MAX_REPORTED",
    "MAX_STREAM_BYTES",
    "MAX_STREAM_RECORD",
    "MAX_TABLE_COMBINATIONS",
    "MAX_TRACE_PATTERNS",
    "AnalysisLimits",
    "Limits",
]


@attrs.frozen
class Limits:
    """Size limits of one expression (the defaults are :data:`DEFAULT_LIMITS`)."""

    #: Characters in one expression or decision-table cell.
    max_source_length: int = 4000
    #: Nesting depth of the tree (each operator, call or list nests one level deeper;
    #: redundant parentheses add nothing).
    max_depth: int = 64
    #: Parts (nodes and tokens) in one tree.
    max_nodes: int = 3000


DEFAULT_LIMITS = Limits()

# ---- files -------------------------------------------------------------------------------

#: Bytes in one guide or evidence file (YAML, JSON or CSV), checked before it is read.
#: A guide of 1,000 criteria takes about 1 MB; 10,000 centres in one CSV about 5 MB.
MAX_FILE_BYTES = 64 * 1024 * 1024

#: Bytes in one evidence file read a centre at a time (CSV, JSON Lines), checked before
#: it is read: memory holds one centre, so the bound is that of a cycle record.
MAX_STREAM_BYTES = 4 * 1024**3

#: Characters in one centre of such a file — one CSV row (several lines when a quoted
#: cell holds line breaks) or one JSON Lines line — checked as it is read. A row of the
#: 2024 guide takes about 1,000.
MAX_STREAM_RECORD = 4 * 1024 * 1024

#: Patterns of applicability (which criteria count) whose effective weights a compiled
#: model keeps, to reuse for every centre of the same pattern (memory, not a limit on
#: input: a pattern beyond it is worked out each time).
MAX_TRACE_PATTERNS = 1024

#: Bytes in one cycle record, checked before and while it is read (10,000 centres of the
#: 2024 guide take about 200 MB).
MAX_RECORD_BYTES = 4 * 1024**3

#: Bytes in one line of a cycle record (one centre, or the guide), checked before the
#: line is decoded.
MAX_RECORD_LINE = 64 * 1024 * 1024

#: Nesting depth of a YAML or JSON document, and of one line of a record.
MAX_DEPTH = 64

#: Values (mappings, lists and scalars) in one YAML or JSON document, aliases expanded;
#: a 1,000-criterion guide has about 40,000.
MAX_DOCUMENT_VALUES = 500_000

# ---- ids, names and columns --------------------------------------------------------------

#: Characters in an id (of an input, checklist item, category, criterion, tier, flag or
#: amendment) and in an edition.
MAX_ID_LENGTH = 128

#: Characters of a name that is looked up (an id, a CSV column, a name in an expression)
#: beyond which no "did you mean" hint is searched for.
MAX_NAME_LENGTH = 2 * MAX_ID_LENGTH

#: Candidates a "did you mean" hint compares a name with (the nearest by length first).
MAX_HINT_CANDIDATES = 2000

#: Columns in the header of an evidence CSV file.
MAX_CSV_COLUMNS = 2000

#: Characters in one cell of an evidence CSV file (a list of 10,000 numbers fits).
MAX_CSV_CELL = 65_536

# ---- analysis ------------------------------------------------------------------------

#: Combinations of values (the product of each tested value's pieces) up to which a
#: decision table testing two values or more is analysed for gaps and overlaps; above,
#: a warning says it was not. Tables testing one value are analysed whatever their size.
MAX_TABLE_COMBINATIONS = 50_000

#: Findings of one kind reported for one decision table (overlapping pairs of rows, the
#: earlier rows that shadow a row); the rest are counted or summarised.
MAX_REPORTED = 20


@attrs.frozen
class AnalysisLimits:
    """Limits of the what-if analyses (``taqyeem margins`` and ``taqyeem sensitivity``):
    over a limit is a clear :class:`~taqyeem_rules.errors.UsageError` (exit 2), or, for
    the margins search, an explicit "not computed", never a hang."""

    #: Perturbations one sensitivity analysis may draw (``--samples``).
    max_samples: int = 1_000_000
    #: The largest relative change of a category weight (``--weights``, percent):
    #: below 100, so that every weight stays positive.
    max_weight_bound: int = 90
    #: The largest move of a tier cut-off (``--thresholds``, points of 100).
    max_threshold_bound: int = 50
    #: Subsets the margins search may visit for one centre and tier.
    max_search_nodes: int = 2_000_000


ANALYSIS_LIMITS = AnalysisLimits()
