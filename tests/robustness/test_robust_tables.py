"""Item 5 of issue 10: decision tables are checked for gaps, overlaps and shadowed rows
without work growing with the square of the rows.

A table testing one value is analysed by sorting the ends of the intervals its rows
match; several values, over the combinations of their pieces up to an explicit bound
that the warning states. The findings are exactly those of the quadratic analysis it
replaces (``table_reference.py``), on tables drawn at random; the reported lists are
bounded, so a pathological table costs bounded work too (measured in
``benchmarks/bench_tables.py``, never timed here).
"""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st
from table_reference import reference_analysis

from taqyeem_rules.dsl import nodes as n
from taqyeem_rules.dsl.limits import MAX_REPORTED, MAX_TABLE_COMBINATIONS
from taqyeem_rules.dsl.parser import parse_unary_tests
from taqyeem_rules.guide.model import BandRow, Bands, Expr
from taqyeem_rules.guide.tables import Domain, analyse_table

DOMAINS = {
    "x": Domain("number", Decimal(0), Decimal(10), "x"),
    "n": Domain("integer", Decimal(0), Decimal(5), "n"),
    "b": Domain("boolean", name="b"),
    "u": Domain("number", None, None, "u"),
}
_const = st.sampled_from(["-1", "0", "0.5", "1", "2", "2.5", "3", "5", "10", "11"])
_numeric_cell = st.one_of(
    st.just("-"),
    st.builds("{} {}".format, st.sampled_from(["<", "<=", ">", ">="]), _const),
    st.builds(lambda a, b, left, right: f"{left}{min(a, b, key=Decimal)}..{max(a, b, key=Decimal)}{right}",
              _const, _const, st.sampled_from("[("), st.sampled_from("])")),
    _const,
    st.builds("{}, {}".format, _const, _const),
    st.builds("not({})".format, _const),
)
_boolean_cell = st.sampled_from(["-", "true", "false", "not(true)", "true, false"])


def _cell(name: str) -> st.SearchStrategy[str]:
    return _boolean_cell if name == "b" else _numeric_cell


def table(on: list[str], cells: list[list[str]], hit: str) -> Bands:
    rows = tuple(
        BandRow(when=tuple(parse_unary_tests(c) for c in row), points=Decimal(1), path=f"rows[{k}]")
        for k, row in enumerate(cells)
    )
    return Bands(on=tuple(Expr(n.Name(name), name) for name in on), rows=rows, hit=hit)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]], str]:
    on = draw(st.sampled_from([["x"], ["n"], ["b"], ["u"], ["x", "n"], ["n", "b"], ["x", "u"]]))
    rows = draw(st.lists(st.tuples(*(_cell(name) for name in on)).map(list), min_size=1, max_size=6))
    return on, rows, draw(st.sampled_from(["first", "unique"]))


def findings(diagnostics: object) -> list[tuple[str, str, str]]:
    return sorted((d.code, d.severity, d.message) for d in diagnostics)  # type: ignore[attr-defined]


@given(tables())
def test_the_analysis_finds_what_the_quadratic_one_found(drawn: tuple[list[str], list[list[str]], str]) -> None:
    on, cells, hit = drawn
    bands = table(on, cells, hit)
    domains = [DOMAINS[name] for name in on]
    expected = findings(reference_analysis(bands, domains, path="t"))
    assert findings(analyse_table(bands, domains, path="t")) == expected


def test_a_table_of_one_value_is_checked_whatever_its_size() -> None:
    """4,000 rows, far over the bound on combinations: analysed, and the gaps found (the
    missing row, and 4000 itself, which `[3999..4000)` leaves out)."""
    cells = [[f"[{k}..{k + 1})"] for k in range(4000) if k != 1234]
    bands = table(["u"], cells, "unique")
    found = findings(analyse_table(bands, [Domain("number", Decimal(0), Decimal(4000), "u")], path="t"))
    assert found == [("guide.table-gap", "error",
                      "no row of the table matches u in [1234..1235) (e.g. 1234.5); u = 4000")]


def test_overlaps_and_shadows_are_reported_within_bounds() -> None:
    """3,000 rows matching everything: millions of overlapping pairs, reported as the
    first MAX_REPORTED and one more finding; every later row shadowed by row 1."""
    cells = [["-"] for _ in range(3000)]
    unique = analyse_table(table(["x"], cells, "unique"), [DOMAINS["x"]], path="t")
    found = findings(unique)
    assert len(found) == MAX_REPORTED + 1
    assert ("guide.table-overlap", "error",
            f"more rows overlap: only the first {MAX_REPORTED} overlapping pairs are listed") in found
    first = findings(analyse_table(table(["x"], cells, "first"), [DOMAINS["x"]], path="t"))
    assert len(first) == 2999
    assert first[0] == ("guide.table-shadowed", "error",
                        "row 10 can never be chosen: row(s) 1 above it match every value it matches (hit: first)")


def test_the_bound_on_tables_of_several_values_is_stated() -> None:
    cells = [[f"[{k}..{k + 1})", f"[{k}..{k + 1})"] for k in range(120)]
    domain = Domain("number", Decimal(0), Decimal(120), "y")
    (d,) = analyse_table(table(["x", "u"], cells, "first"), [domain, domain], path="t")
    combos = 241**2  # 121 points and the 120 intervals between them, for each value
    assert (d.code, d.severity) == ("guide.table-unchecked", "warning")
    assert d.message == (
        f"the table is too large to check for gaps and overlaps: its 2 tested values have {combos:,} "
        f"combinations of values, and tables testing several values are checked up to "
        f"{MAX_TABLE_COMBINATIONS:,}")
    assert d.hint == ("split the table, or test fewer values together (a table testing one value "
                      "is checked whatever its size)")
