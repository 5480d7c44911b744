"""Items 7, 19 and 20 of issue 10: CSV evidence at its edges.

- a cell over the documented size (65,536 characters) is an error at the cell, not a
  ``_csv.Error`` traceback (the csv module's own limit is 131,072);
- a CSV with a header and no rows and an empty CSV are both "no centres in FILE" (exit 1);
- an empty item in a list (``20;;30``, ``20;30;``) is refused at its position.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from robust_helpers import LIST_GUIDE, MINI_CSV_HEADER, MINI_CSV_ROW, position, write

import taqyeem_rules
from shared import Cli
from taqyeem_rules.dsl.limits import MAX_CSV_CELL, MAX_CSV_COLUMNS
from taqyeem_rules.errors import EvidenceError

HEADER = MINI_CSV_HEADER + ",reply_days"


@pytest.fixture(scope="module")
def guide(tmp_path_factory: pytest.TempPathFactory) -> taqyeem_rules.Guide:
    return taqyeem_rules.load_guide(write(tmp_path_factory.mktemp("list"), "guide.yaml", LIST_GUIDE))


def csv_error(guide: taqyeem_rules.Guide, path: Path) -> EvidenceError:
    with pytest.raises(EvidenceError) as info:
        taqyeem_rules.load_evidences([path], guide)
    return info.value


@pytest.mark.parametrize("size", [MAX_CSV_CELL + 1, 131_073])
def test_a_cell_over_the_limit_is_an_error_at_the_cell(guide: taqyeem_rules.Guide, tmp_path: Path,
                                                      size: int) -> None:
    text = f"{HEADER}\n{MINI_CSV_ROW},{'1;' * (size // 2)}{'1' * (size % 2 + 1)}\n"
    path = write(tmp_path, "big.csv", text)
    error = csv_error(guide, path)
    cell = len(text.split("\n")[1]) - len(MINI_CSV_ROW) - 1
    assert (error.code, error.message) == (
        "evidence.csv-cell", f"a cell of {path} holds {cell:,} characters; the limit is {MAX_CSV_CELL:,}")
    assert (error.span.line, error.span.col) == (2, len(MINI_CSV_ROW) + 2)


def test_a_cell_at_the_limit_is_read(guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    items = "1;" * ((MAX_CSV_CELL - 1) // 2) + "1"
    assert len(items) <= MAX_CSV_CELL
    path = write(tmp_path, "ok.csv", f"{HEADER}\n{MINI_CSV_ROW},{items}\n")
    (centre,) = taqyeem_rules.load_evidences([path], guide)
    assert len(centre.inputs["reply_days"]) == items.count(";") + 1


def test_a_header_with_too_many_columns_is_an_error(guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    header = HEADER + "".join(f",extra{k}" for k in range(MAX_CSV_COLUMNS))
    path = write(tmp_path, "wide.csv", f"{header}\n{MINI_CSV_ROW}\n")
    error = csv_error(guide, path)
    assert (error.code, error.message) == (
        "evidence.csv-columns", f"a row of {path} has more than {MAX_CSV_COLUMNS:,} cells, the limit")
    assert error.span.line == 1


@pytest.mark.parametrize(("text", "what"), [
    ("", "it is empty"),
    ("\n\n", "it is empty"),
    (HEADER + "\n", "it has a header and no rows"),
    (HEADER + "\n,,,\n", "it has a header and no rows"),
])
def test_no_centres_is_an_error(guide: taqyeem_rules.Guide, tmp_path: Path, cli: Cli,
                                text: str, what: str) -> None:
    path = write(tmp_path, "none.csv", text)
    error = csv_error(guide, path)
    assert (error.code, error.message) == ("evidence.no-centres", f"no centres in {path}: {what}")
    code, _, err = cli("score", str(Path(guide.path).parent), str(path))
    assert code == 1
    assert f"error[evidence.no-centres]: no centres in {path}: {what}" in err


@pytest.mark.parametrize(("cell", "item", "needle"), [
    ("20;;30", 2, ";30"),
    ("20;30;", 3, "\n"),
    (";20", 1, ";20"),
    ('" 20; ;30"', 2, " ;30"),  # the item is the space
])
def test_an_empty_list_item_is_refused_at_its_place(guide: taqyeem_rules.Guide, tmp_path: Path,
                                                    cell: str, item: int, needle: str) -> None:
    text = f"{HEADER}\n{MINI_CSV_ROW},{cell}\n"
    path = write(tmp_path, "list.csv", text)
    (d,) = csv_error(guide, path).diagnostics
    assert (d.code, d.message) == ("evidence.list-item", f"`reply_days` on row 2: item {item} of the list is empty")
    row_start = text.index("\n") + 1
    assert (d.span.line, d.span.col) == position(text, needle, row_start + len(MINI_CSV_ROW) + 1)
    good = write(tmp_path, "good.csv", f"{HEADER}\n{MINI_CSV_ROW}, 20 ; 30 \n")
    assert [str(v) for v in taqyeem_rules.load_evidences([good], guide)[0].inputs["reply_days"]] == ["20", "30"]
