"""The registry of error codes: every code the library can report, what it means, and the
section of docs/errors.md that documents it.

Every :class:`~taqyeem_rules.errors.Diagnostic` carries a stable code
(``name.unknown``, ``guide.table-gap``, …). The library's own codes are listed here, by
category; a criterion kind declares the codes it reports itself on the kind
(:attr:`CriterionKind.codes <taqyeem_rules.guide.kinds.CriterionKind.codes>`,
``{code: meaning}``), and the kind registry hands them to this registry
(:meth:`CodeRegistry.add_source`), so a third party's kind is listed too.

A test (``tests/test_error_codes.py``) reads the library's source for every code it can
raise and fails when one is missing here or from docs/errors.md, or when a documented
code is raised nowhere.

This module imports nothing from the package: every layer may use it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator, Mapping

import attrs

__all__ = [
    "CATEGORIES",
    "CODE_PATTERN",
    "LIBRARY",
    "CodeRegistry",
    "ErrorCode",
    "category_of",
    "code_problem",
    "code_registry",
    "lookup",
]

#: A code: lowercase words joined by dots, each word letters and digits joined by
#: hyphens (``syntax.missing-closing-paren``).
CODE_PATTERN = re.compile(r"[a-z][a-z0-9]*(?:-[a-z0-9]+)*(?:\.[a-z0-9]+(?:-[a-z0-9]+)*)*")

#: The categories, each the title of its section in docs/errors.md, in the order of
#: that page.
CATEGORIES: dict[str, str] = {
    "syntax": "Syntax errors",
    "limit": "Limits",
    "names-types": "Names and types",
    "eval": "Evaluation errors",
    "number": "Numbers",
    "plugin": "Plugin errors",
    "yaml": "YAML errors",
    "guide": "Guide errors",
    "amendment": "Amendment errors",
    "evidence": "Evidence errors",
    "scoring": "Scoring errors",
    "case": "Test case errors",
    "record": "Record and replay errors",
    "what-if": "What-if analyses",
    "files": "Files and output",
    "data-limits": "Limits of files and data",
    "usage": "Command-line errors",
    "internal": "Internal errors",
}

#: The category of a code a kind declares, by its first word (anything else: ``plugin``).
_PREFIX_CATEGORY = {
    "syntax": "syntax",
    "limit": "limit",
    "name": "names-types",
    "type": "names-types",
    "eval": "eval",
    "number": "number",
    "plugin": "plugin",
    "yaml": "yaml",
    "guide": "guide",
    "amendment": "amendment",
    "evidence": "evidence",
    "scoring": "scoring",
    "result": "scoring",
    "case": "case",
    "record": "record",
    "impact": "what-if",
    "io": "files",
    "usage": "usage",
    "internal": "internal",
}

OWNER = "taqyeem_rules"


@attrs.frozen
class ErrorCode:
    """One code: its ``category`` (a key of :data:`CATEGORIES`), its one-line ``meaning``,
    and who reports it (``taqyeem_rules``, or ``kind NAME`` for a criterion kind's own)."""

    code: str
    category: str
    meaning: str
    owner: str = OWNER

    @property
    def section(self) -> str:
        """The title of the section of docs/errors.md that documents it."""
        return CATEGORIES.get(self.category, CATEGORIES["plugin"])


def category_of(code: str) -> str:
    """The category of a code a kind declares, from its first word."""
    return _PREFIX_CATEGORY.get(code.split(".", 1)[0], "plugin")


def code_problem(code: object, meaning: object) -> str | None:
    """What is wrong with a declared ``code: meaning`` pair, or None."""
    if not isinstance(code, str) or not CODE_PATTERN.fullmatch(code) or "." not in code:
        return f"{code!r} is not an error code (write words joined by dots: guide.my-check)"
    if not isinstance(meaning, str) or not meaning.strip() or "\n" in meaning:
        return f"the meaning of {code} must be one line of text"
    return None


# ---- the library's codes ------------------------------------------------------------------
# One line each: what the code means. docs/errors.md says when it happens, shows an
# example and the fix.

_SYNTAX = {
    "syntax.bare-range": "a range `a..b` written without brackets",
    "syntax.c-operator": "`&&`, `||`, `&`, `|` or `!` from another language",
    "syntax.chained-comparison": "two comparisons in a row (`a < b < c`)",
    "syntax.dash-not-alone": "`-` (anything) combined with other tests in a decision-table cell",
    "syntax.digits": "a digit of a script other than 0-9 and ٠-٩",
    "syntax.double-equals": "`==` instead of FEEL's `=`",
    "syntax.empty": "an empty expression or decision-table cell",
    "syntax.empty-parens": "`()` with nothing inside",
    "syntax.mismatched-delimiters": "a `(` closed by `]`, or a `[` closed by `)`, outside a range",
    "syntax.misplaced-keyword": "a keyword where a value or a name is expected",
    "syntax.missing-between-and": "`between` without its `and`",
    "syntax.missing-closing-bracket": "a `[` that is never closed",
    "syntax.missing-closing-paren": "a `(` that is never closed",
    "syntax.missing-else": "`if … then` without `else`",
    "syntax.missing-if": "`then` or `else` without `if`",
    "syntax.missing-left-operand": "an operator with nothing before it",
    "syntax.missing-operator": "two values with no operator between them",
    "syntax.missing-right-operand": "an operator (or `if`, `then`, `else`) with nothing after it",
    "syntax.missing-space": "a keyword written against the number before it (`10or`)",
    "syntax.missing-then": "`if` without `then`",
    "syntax.mixed-digits": "one number written in digits of two scripts",
    "syntax.not-text": "the Python API was given an expression that is not a string",
    "syntax.path-member": "a `.` with no item name after it",
    "syntax.qmark-outside-cell": "`?` (the tested value) used outside a decision-table cell",
    "syntax.range-bound": "a range without its upper end",
    "syntax.reserved-word": "a reserved word used as a name (reported with a more specific code today)",
    "syntax.single-quotes": "a string in single quotes",
    "syntax.string-escape": "a backslash escape a string does not know",
    "syntax.test-outside-cell": "a decision-table test (`< 5`) where an expression is expected",
    "syntax.trailing-comma": "a list, call or cell that ends with a comma",
    "syntax.unexpected": "a token that cannot stand where it is",
    "syntax.unexpected-comma": "a comma outside a list, a call or a cell",
    "syntax.unexpected-end": "the text stops where more was expected",
    "syntax.unknown-character": "a character with no meaning in the language",
    "syntax.unmatched-closing-bracket": "a `]` with no `[`",
    "syntax.unmatched-closing-paren": "a `)` with no `(`",
    "syntax.unsupported": "a FEEL construct outside taqyeem's subset (`for`, `some`, contexts, …)",
    "syntax.unterminated-string": "a string not closed on its line",
}

_LIMIT = {
    "limit.depth": "an expression nests deeper than the limit (64 levels)",
    "limit.nodes": "an expression has more parts than the limit (1000)",
    "limit.source-length": "an expression is longer than the limit (4000 characters)",
}

_NAMES_TYPES = {
    "name.qmark": "a cell using `?` was checked without a tested value (Python API)",
    "name.unknown": "a name that is not an input (or a result field in a tier gate)",
    "name.unknown-function": "a call of a function that is neither built in nor a plugin",
    "name.unknown-item": "a checklist (or record) has no item of that name",
    "type.branches": "the branches of an `if` give different types",
    "type.call": "a function's arguments fit none of its signatures",
    "type.cell": "a decision-table cell compiled on its own, as if it were an expression",
    "type.incomparable": "two values of different types compared, or a cell's test does not fit the tested value",
    "type.input": "a criterion kind's params name an input of the wrong type",
    "type.mismatch": "an operator or construct got a value of the wrong type",
    "type.mixed-list": "a list holds items of more than one type",
    "type.path": "`x.item` on a value that has no items",
    "type.range": "the two ends of a range have different types",
    "type.range-context": "a range used as a value on its own",
    "type.result": "an expression of the guide gives the wrong type (a score not a number, a condition not a boolean)",
    "type.syntax": "a written type (`--type`, a signature) cannot be read",
    "type.unordered": "`<`, `<=`, `>`, `>=` on values that have no order",
    "type.unsupported-value": "a Python value of a type the language has no equivalent for",
}

_EVAL = {
    "eval.division-by-zero": "division (or modulo) by zero",
    "eval.domain": "a function's argument is outside its domain (the square root of a negative number)",
    "eval.function": "a built-in function failed on its arguments (only with `any`-typed values)",
    "eval.invalid": "an arithmetic operation with no decimal result",
    "eval.overflow": "a result too large for a decimal",
    "eval.precision": "a rounding function would need more than 34 significant digits",
    "eval.qmark": "a decision-table cell (or `?`) run without a tested value (Python API)",
    "eval.scale": "a rounding function's scale is not a whole number in range",
    "eval.type": "a value had the wrong type at run time (only with `any`-typed values)",
    "eval.unbound": "a name the expression reads was given no value (Python API)",
    "eval.underflow": "a result too small for a decimal: it would silently become 0",
    "eval.variable-type": "a compiled expression was called with a value that does not fit its type",
}

_NUMBER = {
    "number.finite": "NaN or an infinity given as a number",
    "number.float": "a Python float given as a number",
    "number.range": "a number beyond the decimal range of the language (1E-6143 to 1E+6144)",
    "number.rounding": "an unknown rounding mode",
    "number.type": "a value that is not a number where a number is needed",
}

_PLUGIN = {
    "plugin.builtin": "an attempt to unregister a built-in function or criterion kind",
    "plugin.duplicate": "two different plugins registered under one name",
    "plugin.failed": "a plugin function raised an exception",
    "plugin.kind-codes": "a criterion kind declares an error code that is not one",
    "plugin.kind-load": "a criterion kind's entry point cannot be loaded, or is not a kind",
    "plugin.load": "a plugin function's entry point cannot be loaded, or is not a function",
    "plugin.name": "a plugin function or kind name that is not an identifier",
    "plugin.result-type": "a plugin function returned something that is not a language value",
    "plugin.shadows-builtin": "a plugin takes the name of a built-in function or kind",
}

_YAML = {
    "yaml.duplicate-key": "a key given twice in one mapping",
    "yaml.empty": "the YAML file is empty",
    "yaml.key": "a mapping key that is not plain text",
    "yaml.merge": "a YAML merge key (`<<`)",
    "yaml.node": "a YAML node of an unsupported kind",
    "yaml.number": "a number in a YAML file beyond the language's range, or not finite",
    "yaml.syntax": "the text is not valid YAML",
    "yaml.tab": "a tab used for indentation",
    "yaml.tag": "a YAML tag (`!!str`)",
}

_GUIDE = {
    "guide.applicable-null": "an `applicable` condition that can be null (a warning)",
    "guide.canonical": "a canonical guide (inside a record) that is not a mapping",
    "guide.criterion-form": "a criterion with no way to score it, or with two",
    "guide.criterion-kind": "a criterion of a kind no installed plugin provides",
    "guide.date": "a date that is not YYYY-MM-DD",
    "guide.duplicate-id": "an id used twice (criteria, categories, inputs, tiers, items, …)",
    "guide.empty": "a list or mapping of the guide that needs at least one item is empty",
    "guide.extends": "an amended edition without amendments, or with its own inputs or models",
    "guide.id": "an id that is not an identifier",
    "guide.input-field": "an input field that does not apply to the input's type",
    "guide.input-range": "an input's range is reversed, fractional for integers, beyond 0-100 for percents, or given to a type without one",
    "guide.label-script": "an Arabic label with no Arabic letters (a warning)",
    "guide.missing-key": "a required key of the guide is missing",
    "guide.never-applicable": "a criterion whose `applicable` is `false` (a warning)",
    "guide.no-basic": "a model reads basic_attainment but has no basic criteria",
    "guide.not-found": "no guide at the path given, and no bundled edition of that name",
    "guide.numbers": "the arithmetic precision cannot hold the reported scores",
    "guide.optional-input": "a criterion reads an optional input but errors when it is missing (a warning)",
    "guide.points": "the points scale is empty or reversed, or a level lies outside it",
    "guide.points-range": "a criterion's constant points lie outside the points scale",
    "guide.range": "a number of the guide below or above what it may be (a weight of 0, …)",
    "guide.schema": "the guide does not fit the guide schema in some other way",
    "guide.table-dead-row": "a decision-table row that matches no possible value of what it tests",
    "guide.table-gap": "values of the tested input that no decision-table row matches",
    "guide.table-overlap": "two rows of a `hit: unique` decision table match the same value",
    "guide.table-shadowed": "a `hit: first` decision-table row that the rows above it always take first",
    "guide.table-unchecked": "a decision table that cannot be checked for gaps and overlaps (a warning)",
    "guide.tier-unreachable": "a tier no centre can reach",
    "guide.type": "a value of the guide of the wrong type (text for a number, …)",
    "guide.unknown-key": "a key the guide schema does not know",
    "guide.unused-input": "an input no criterion reads (a warning)",
    "guide.value": "a value that is not one of those allowed (a model, a source, a hit policy, …)",
    "guide.weights": "the category weights of a model do not sum to 100",
}

_AMENDMENT = {
    "amendment.apply": "an amendment's operation cannot be applied to the guide it amends",
    "amendment.base": "the guide an edition extends was not found",
    "amendment.check": "the guide an amendment produces fails a guide check",
    "amendment.criterion-form": "a criterion an amendment adds has no way to score it, or two",
    "amendment.cycle": "editions that extend each other in a circle",
    "amendment.date": "a date in an amendment that is not YYYY-MM-DD (no amendment holds a date today)",
    "amendment.duplicate-id": "an amendment adds an id that exists already (or an amendment id repeats)",
    "amendment.empty": "a list or mapping an amendment needs is empty",
    "amendment.empty-category": "an amendment would leave a category without criteria",
    "amendment.expression": "an expression an amendment writes does not parse",
    "amendment.extends": "`extends` misused in amendments (amendments have no `extends` today)",
    "amendment.id": "an id in an amendment that is not an identifier",
    "amendment.missing-key": "an amendment lacks a key its operation needs",
    "amendment.not-amendable": "`change_criterion` sets params its kind does not allow changing alone",
    "amendment.operation": "an amendment with no operation, or several",
    "amendment.range": "a number in an amendment below or above what it may be",
    "amendment.schema": "an amendment is invalid, or what it sets would be",
    "amendment.type": "a value of an amendment of the wrong type",
    "amendment.unknown-id": "an amendment names a criterion, category, tier, input or model that does not exist",
    "amendment.unknown-key": "a key an amendment's operation does not know",
    "amendment.value": "a value of an amendment that is not one of those allowed",
}

_EVIDENCE = {
    "evidence.criterion-form": "a criterion's form in evidence (evidence holds no criteria today)",
    "evidence.csv": "an evidence CSV that cannot be read as a table of centres",
    "evidence.date": "a date in evidence that is not YYYY-MM-DD (evidence holds no dates today)",
    "evidence.duplicate-centre": "one centre given twice in the evidence of a cycle",
    "evidence.edition": "evidence for another edition than the guide's",
    "evidence.empty": "a list of the evidence shorter than its input's `min_items`",
    "evidence.extends": "`extends` misused in evidence (evidence has no `extends` today)",
    "evidence.id": "an identifier in evidence that is not one (evidence checks no identifier today)",
    "evidence.inconsistent": "values of one centre that contradict each other (more replies than cases, …)",
    "evidence.list-item": "an empty item in a list of a CSV cell",
    "evidence.many": "a file of several centres where one centre is expected",
    "evidence.missing-key": "a required key or input missing from the evidence",
    "evidence.model": "a CSV row names a model the guide does not have",
    "evidence.no-centres": "an evidence CSV with no centre in it",
    "evidence.number": "a number in the evidence beyond the language's range",
    "evidence.range": "a value of the evidence outside its input's range",
    "evidence.schema": "the evidence does not fit its schema in some other way",
    "evidence.type": "a value of the evidence of the wrong type",
    "evidence.unknown-key": "a key or input the evidence schema does not know",
    "evidence.unread-input": "evidence gives an input its model does not read (a warning)",
    "evidence.value": "a value of the evidence that is not one of those allowed",
}

_SCORING = {
    "result.unknown-category": "a result was asked for a category its model does not have",
    "result.unknown-criterion": "a result was asked for a criterion its model does not have",
    "scoring.all-not-applicable": "no criterion of the centre's model applies",
    "scoring.applicable-null": "whether a criterion applies cannot be decided: its condition gave null",
    "scoring.missing": "a criterion's points came out null and its `missing:` policy is `error`",
    "scoring.points-range": "a criterion gave points outside the points scale",
    "scoring.table-overlap": "two rows of a `hit: unique` decision table matched a centre's values",
}

_CASE = {
    "case.criterion-form": "a criterion's form in a test case (cases hold no criteria forms today)",
    "case.date": "a date in a test case that is not YYYY-MM-DD (cases hold no dates today)",
    "case.duplicate-name": "two test cases of one run have the same `name`",
    "case.empty": "a list of a test case shorter than its schema allows",
    "case.encoding": "a test case file that is not UTF-8 text",
    "case.evidence": "a test case's evidence file is not there, or is not valid for the guide",
    "case.extends": "`extends` misused in a test case (cases have no `extends` today)",
    "case.id": "an identifier in a test case that is not one",
    "case.io": "a test case file that cannot be read (a file-system error)",
    "case.missing-key": "a test case lacks a key its schema requires (`evidence`, `expect`)",
    "case.name-too-long": "a test case path too long for the file system",
    "case.none": "no test case files where the cases were looked for",
    "case.not-a-file": "a test case path that is a FIFO, a device or a socket",
    "case.not-found": "no test case file at the path given",
    "case.range": "a number of a test case outside its range (a negative tolerance)",
    "case.row": "a `row` for a criterion without a decision table, or beyond its last row",
    "case.schema": "a test case does not fit its schema in some other way",
    "case.tolerance": "a criterion's `tolerance` in a test case without its `points`",
    "case.too-large": "a test case file larger than the limit (64 MiB)",
    "case.too-long": "an id in a test case longer than the limit (128 characters)",
    "case.type": "a value of a test case of the wrong type",
    "case.unknown-category": "a test case expects a category its evidence's model does not have",
    "case.unknown-criterion": "a test case expects a criterion its evidence's model does not have",
    "case.unknown-flag": "a test case expects a flag its evidence's model does not have",
    "case.unknown-key": "a key a test case's schema does not know",
    "case.unknown-tier": "a test case expects a tier its evidence's model does not have",
    "case.value": "a value of a test case that is not one of those allowed",
}

_RECORD = {
    "record.corrupt": "a line of a record is not valid JSON",
    "record.count": "a record holds another number of centres than it says (a replay finding)",
    "record.cycle": "a record is made without the cycle's name",
    "record.empty": "a record is made with no centres",
    "record.evidence-altered": "a centre's evidence does not match its fingerprint (a replay finding)",
    "record.evidence-fingerprint": "a centre's evidence fingerprint was altered (a replay finding)",
    "record.evidence-rebuild": "recorded evidence reads back with another fingerprint (a replay finding)",
    "record.expected-fingerprint": "a record is not the one with the fingerprint expected (a replay finding)",
    "record.fingerprint": "a record does not match its own fingerprint (a replay finding)",
    "record.format": "a record of a format this version cannot read",
    "record.guide": "this version cannot rebuild the guide a record holds",
    "record.guide-altered": "the guide in a record does not match its fingerprint (a replay finding)",
    "record.guide-fingerprint": "a record's guide fingerprint was altered (a replay finding)",
    "record.guide-rebuild": "the recorded guide reads back with another fingerprint (a replay finding)",
    "record.layout": "a record is not laid out as `taqyeem record` writes it",
    "record.not-a-record": "a file that is not a cycle record",
    "record.number": "a number in a record beyond the language's range",
    "record.order": "centres of a record out of order or repeated (a replay finding)",
    "record.plugin-missing": "a plugin a record was made with is not installed",
    "record.plugin-version": "a plugin a record was made with is installed in another version",
    "record.plugins": "results use plugins the record does not list (a replay finding)",
    "record.result-altered": "a centre's result does not match its fingerprint (a replay finding)",
    "record.result-fingerprint": "a centre's result fingerprint was altered (a replay finding)",
    "record.trailing": "more text after the end of a record",
    "record.truncated": "a record that stops before its end",
    "record.type": "a value of a record of the wrong type",
    "record.usage": "replay was given something that is not a record",
}

_WHAT_IF = {
    "guide.input-past": "an input's `past` value is not a valid value of the input",
    "impact.missing-input": "one input a guide reads that the evidence lacks (follows impact.missing-inputs)",
    "impact.missing-inputs": "evidence lacks inputs a guide reads, and nothing says how to read them",
    "impact.model": "evidence of a model the other guide does not have",
    "usage.assume": "an `--assume` (or `assume_missing`) that cannot be used",
    "usage.bounds": "a `--weights` or `--thresholds` bound that is negative, not a number or too large",
    "usage.method": "an unknown sensitivity method",
    "usage.samples": "a `--samples` count out of range, or too small for a grid",
    "usage.seed": "a `--seed` that is not a whole number, 0 or more",
}

_FILES = {
    "amendment.io": "the guide an edition extends cannot be looked up (a file-system error)",
    "amendment.name-too-long": "the path an edition extends is too long for the file system",
    "evidence.encoding": "an evidence file that is not UTF-8 text",
    "evidence.io": "an evidence file that cannot be read (a file-system error)",
    "evidence.name-too-long": "an evidence path too long for the file system",
    "evidence.not-a-file": "an evidence path that is a folder where a file is needed, a FIFO, a device or a socket",
    "evidence.not-found": "no evidence file or folder at the path given",
    "guide.encoding": "a guide file that is not UTF-8 text",
    "guide.io": "a guide file that cannot be read (a file-system error)",
    "guide.name-too-long": "a guide path too long for the file system",
    "guide.not-a-file": "a guide path that is a folder where a file is needed, a FIFO, a device or a socket",
    "io.encoding": "output holding half of a UTF-16 surrogate pair",
    "io.folder": "the folder to write in does not exist or cannot be created",
    "io.write": "an output file that cannot be written",
    "record.io": "a record that cannot be read or written (a file-system error)",
    "record.name-too-long": "a record path too long for the file system",
    "record.not-a-file": "a record path that is a folder, a FIFO, a device or a socket",
    "record.not-found": "no record at the path given",
}

_DATA_LIMITS = {
    "amendment.too-long": "an id in an amendment longer than the limit (128 characters)",
    "evidence.csv-cell": "a cell of an evidence CSV longer than the limit (65,536 characters)",
    "evidence.csv-columns": "a row of an evidence CSV with more cells than the limit (2,000)",
    "evidence.too-large": "an evidence file larger than the limit (64 MiB)",
    "evidence.too-long": "a centre id longer than the limit (128 characters)",
    "guide.size": "a guide in a record holds more values than the limit (500,000)",
    "guide.too-large": "a guide file larger than the limit (64 MiB)",
    "guide.too-long": "an id or edition of the guide longer than the limit (128 characters)",
    "record.depth": "a line of a record nests deeper than the limit (64 levels)",
    "record.too-large": "a record (or one of its lines) larger than the limit",
    "yaml.depth": "a YAML document nests deeper than the limit (64 levels)",
    "yaml.size": "a YAML document holds more values than the limit (500,000), aliases expanded",
}

_USAGE = {
    "usage": "the command line (or an API call) was used wrongly",
    "usage.encoding": "standard output cannot take the UTF-8 a data format is written in",
    "usage.evidence": "`Guide.score` was given something that is not one centre's evidence, or `load_evidences` something that is not a list of paths",
    "usage.max-examples": "`verify` was given a number of examples that is not a whole number of 1 or more",
    "usage.property": "`verify --property` names no property verify checks",
}

_INTERNAL = {
    "compile.node": "the code generator met a node it cannot compile",
    "error": "an error raised without a code of its own (a compiler bug)",
    "eval.node": "a node that cannot be evaluated where it is (a hand-built tree)",
    "internal.compiler": "generated code failed, or does not compile: a compiler bug",
    "internal.engine": "scoring failed where no expression did: an engine bug",
    "type.test-context": "a decision-table test outside a cell (a hand-built tree)",
}

_BY_CATEGORY: dict[str, dict[str, str]] = {
    "syntax": _SYNTAX,
    "limit": _LIMIT,
    "names-types": _NAMES_TYPES,
    "eval": _EVAL,
    "number": _NUMBER,
    "plugin": _PLUGIN,
    "yaml": _YAML,
    "guide": _GUIDE,
    "amendment": _AMENDMENT,
    "evidence": _EVIDENCE,
    "scoring": _SCORING,
    "case": _CASE,
    "record": _RECORD,
    "what-if": _WHAT_IF,
    "files": _FILES,
    "data-limits": _DATA_LIMITS,
    "usage": _USAGE,
    "internal": _INTERNAL,
}


def _library() -> dict[str, ErrorCode]:
    out: dict[str, ErrorCode] = {}
    for category, codes in _BY_CATEGORY.items():
        for code, meaning in codes.items():
            if code in out:  # pragma: no cover - a mistake in this table
                raise ValueError(f"{code} is listed twice")
            out[code] = ErrorCode(code, category, meaning)
    return dict(sorted(out.items()))


#: The library's own codes, by code (sorted).
LIBRARY: Mapping[str, ErrorCode] = _library()

#: A source of declared codes: ``(owner, {code: meaning})`` pairs, e.g. every loaded
#: criterion kind's.
Source = Callable[[], Iterable[tuple[str, Mapping[str, str]]]]


class CodeRegistry:
    """Every error code: the library's own, and those its sources declare (criterion
    kinds, through the kind registry). A declared code the library has keeps the
    library's meaning; a code two kinds declare keeps the first owner's, by name."""

    def __init__(self, library: Mapping[str, ErrorCode] = LIBRARY) -> None:
        self._library = dict(library)
        self._sources: list[Source] = []

    def add_source(self, source: Source) -> None:
        """Add a source of declared codes (read anew at each lookup)."""
        if source not in self._sources:
            self._sources.append(source)

    def declared(self) -> dict[str, ErrorCode]:
        """The codes the sources declare that the library does not have."""
        out: dict[str, ErrorCode] = {}
        pairs = sorted((owner, dict(codes)) for source in self._sources for owner, codes in source())
        for owner, codes in pairs:
            for code, meaning in sorted(codes.items()):
                if code not in self._library and code not in out and code_problem(code, meaning) is None:
                    out[code] = ErrorCode(code, category_of(code), meaning, owner)
        return out

    def get(self, code: str) -> ErrorCode | None:
        """The code's entry, or None when no one registers it."""
        found = self._library.get(code)
        return found if found is not None else self.declared().get(code)

    def all(self) -> tuple[ErrorCode, ...]:
        """Every code, sorted."""
        every = {**self.declared(), **self._library}
        return tuple(every[k] for k in sorted(every))

    def __iter__(self) -> Iterator[ErrorCode]:
        return iter(self.all())

    def __contains__(self, code: object) -> bool:
        return isinstance(code, str) and self.get(code) is not None

    def __len__(self) -> int:
        return len(self.all())


_DEFAULT = CodeRegistry()


def code_registry() -> CodeRegistry:
    """The process-wide registry (the kind registry adds the kinds' codes to it)."""
    return _DEFAULT


def lookup(code: str) -> ErrorCode | None:
    """What a code means: its entry in the process-wide registry, or None."""
    return _DEFAULT.get(code)
