"""Evidence read one centre at a time: CSV row by row, JSON Lines line by line
(``iter_evidences``), with the same centres, values and findings (file:line:col) as the
whole-file readers, and memory holding one centre."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

import taqyeem_rules
from shared import ROOT
from taqyeem_rules import EvidenceError
from taqyeem_rules.guide import evidence as evidence_module
from taqyeem_rules.guide import evidence_csv
from taqyeem_rules.guide.evidence import iter_evidences, load_evidence, load_evidences
from taqyeem_rules.present.tables import dumps_numbers

EXAMPLES = sorted((ROOT / "criteria" / "2024" / "examples").glob("*.yaml"))

HEADER = ("centre_id,centre_name,model,edition,waiting_minutes,facilities.parking,facilities.ramp,"
          "facilities.signage,facilities.seating,has_parking_area,satisfaction,reply_within_deadline")
ROW = "C{k},Centre {k},onsite,mini,{wait},true,true,false,true,true,91.5,88"


@pytest.fixture(scope="module")
def g2024() -> taqyeem_rules.Guide:
    return taqyeem_rules.load_guide("2024")


def _json_line(ev: Any) -> str:
    """One centre as a line of JSON: the evidence file's data, numbers as JSON numbers."""
    data = ev.to_data()
    data["inputs"] = dict(ev.inputs)
    if data["centre"]["name"] is None:
        del data["centre"]["name"]
    return json.dumps(json.loads(dumps_numbers(data)), ensure_ascii=False)  # one line


def _jsonl(tmp_path: Path, lines: list[str], name: str = "centres.jsonl") -> Path:
    path = tmp_path / name
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_json_lines_give_the_centres_of_their_files(g2024: taqyeem_rules.Guide, tmp_path: Path) -> None:
    """The bundled examples as one JSON Lines file: the same evidence (fingerprints) and,
    scored, the same results as their YAML files."""
    from_files = [load_evidence(p, g2024) for p in EXAMPLES]
    path = _jsonl(tmp_path, ["", *(_json_line(ev) for ev in from_files), "   "])  # blank lines skipped
    streamed = list(iter_evidences([path], g2024))
    assert [e.fingerprint for e in streamed] == [e.fingerprint for e in from_files]
    assert [e.path for e in streamed] == [f"{path}:{k}" for k in range(2, len(from_files) + 2)]
    assert [g2024.score(e).to_dict() for e in streamed] == [g2024.score(e).to_dict() for e in from_files]
    assert [e.fingerprint for e in load_evidences([path], g2024)] == [e.fingerprint for e in from_files]


def test_json_lines_findings_name_the_line_and_column(g2024: taqyeem_rules.Guide, tmp_path: Path) -> None:
    good = [_json_line(load_evidence(p, g2024)) for p in EXAMPLES[:3]]
    wrong = json.loads(good[1])
    wrong["centre"]["id"] = "BAD-2"
    wrong["inputs"]["weekly_opening_hours"] = "fifty"
    twice = good[2].replace('{"centre": {', '{"model": "onsite", "centre": {', 1)
    lines = [good[0], json.dumps(wrong, ensure_ascii=False), twice, '{"centre": {"id": "N"}, "inputs": NaN}']
    path = _jsonl(tmp_path, lines)
    errors: list[EvidenceError] = []
    kept = list(iter_evidences([path], g2024, on_error=errors.append))
    assert [e.centre_id for e in kept] == [json.loads(good[0])["centre"]["id"]]
    found = [(d.code, d.span.line if d.span else None) for exc in errors for d in exc.diagnostics]
    assert ("evidence.type", 2) in found
    assert ("yaml.duplicate-key", 3) in found
    assert any(line == 4 for _, line in found)
    wrong_at = next(d for exc in errors for d in exc.diagnostics if d.code == "evidence.type")
    assert wrong_at.span is not None and wrong_at.span.file == str(path)
    assert wrong_at.span.col == json.dumps(wrong, ensure_ascii=False).index('"fifty"') + 1
    assert "weekly_opening_hours" in wrong_at.message
    # Without on_error, the first invalid centre raises when it is reached.
    stream = iter_evidences([path], g2024)
    assert next(stream).centre_id == kept[0].centre_id
    with pytest.raises(EvidenceError) as info:
        next(stream)
    assert info.value.diagnostics[0].span.line == 2


def test_an_empty_json_lines_file_has_no_centres(g2024: taqyeem_rules.Guide, tmp_path: Path) -> None:
    path = _jsonl(tmp_path, ["", ""])
    with pytest.raises(EvidenceError) as info:
        list(iter_evidences([path], g2024))
    assert info.value.code == "evidence.no-centres"


def test_csv_rows_stream_as_load_evidences_reads_them(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    rows = [ROW.format(k=k, wait=5 + k) for k in range(1, 30)]
    path = tmp_path / "c.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    streamed = list(iter_evidences([path], mini_guide))
    whole = load_evidences([path], mini_guide)
    assert [e.fingerprint for e in streamed] == [e.fingerprint for e in whole]
    assert [e.path for e in streamed] == [f"{path}:{k}" for k in range(2, 31)]


def test_csv_is_read_a_row_at_a_time(mini_guide: taqyeem_rules.Guide) -> None:
    """The reader pulls a line, gives its centre, and only then pulls the next."""
    pulled: list[int] = []

    def lines() -> Iterator[str]:
        for k, line in enumerate([HEADER, *(ROW.format(k=k, wait=10) for k in range(1, 1000))]):
            pulled.append(k)
            yield line + "\n"

    items = evidence_csv.csv_items(lines(), "big.csv", mini_guide, other_edition=False)
    first = next(items)
    assert first.centre_id == "C1" and len(pulled) == 2
    next(items)
    assert len(pulled) == 3


def test_csv_lines_keep_their_numbers_across_multi_line_cells(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    """A quoted name with a line break makes row 2 two lines long: row 3's finding is on
    line 4, at its cell."""
    bad = ROW.format(k=3, wait="abc")
    text = "\n".join([HEADER, 'C1,"Centre\nOne",onsite,mini,5,true,true,false,true,true,91.5,88', "",
                      bad]) + "\n"
    path = tmp_path / "multi.csv"
    path.write_text(text, encoding="utf-8")
    errors: list[EvidenceError] = []
    kept = list(iter_evidences([path], mini_guide, on_error=errors.append))
    assert [e.centre_name for e in kept] == ["Centre\nOne"]
    (d,) = [d for exc in errors for d in exc.diagnostics]
    assert (d.code, d.span.line, d.span.col) == ("evidence.type", 5, bad.index("abc") + 1)
    assert d.message == "`waiting_minutes` on row 3: 'abc' is not a number"
    rendered = EvidenceError(diagnostics=[d]).render()
    assert f"{path}:5:{bad.index('abc') + 1}" in rendered and bad in rendered  # the line shown


def test_a_quote_never_closed_stops_at_the_row_limit(mini_guide: taqyeem_rules.Guide, tmp_path: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(evidence_csv, "MAX_STREAM_RECORD", 500)
    rows = ['C1,"Centre One,onsite,mini,5,true,true,false,true,true,91.5,88'] + [ROW.format(k=k, wait=9)
                                                                                 for k in range(2, 40)]
    path = tmp_path / "open.csv"
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        list(iter_evidences([path], mini_guide))
    d = info.value.primary
    assert d.code == "evidence.csv-cell" and d.span.line == 2
    assert "starting on line 2 runs over 500 characters" in d.message


def test_a_streamed_file_has_its_own_size_limit(mini_guide: taqyeem_rules.Guide, tmp_path: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "c.csv"
    path.write_text("\n".join([HEADER, ROW.format(k=1, wait=5)]) + "\n", encoding="utf-8")
    monkeypatch.setattr(evidence_module, "MAX_STREAM_BYTES", 40)
    with pytest.raises(EvidenceError) as info:
        list(iter_evidences([path], mini_guide))
    assert info.value.code == "evidence.too-large"


def test_not_utf8_is_an_encoding_error_naming_the_line(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    path = tmp_path / "latin.csv"
    path.write_bytes(("\n".join([HEADER, ROW.format(k=1, wait=5)]) + "\n").encode() + b"C2,Caf\xe9,onsite\n")
    errors: list[EvidenceError] = []
    kept = list(iter_evidences([path], mini_guide, on_error=errors.append))
    assert [e.centre_id for e in kept] == ["C1"]
    assert errors[0].code == "evidence.encoding" and "line 3" in errors[0].message


def test_a_centre_given_twice_is_named_with_both_places(mini_guide: taqyeem_rules.Guide, tmp_path: Path) -> None:
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    a.write_text("\n".join([HEADER, ROW.format(k=1, wait=5), ROW.format(k=2, wait=5)]) + "\n", encoding="utf-8")
    b.write_text("\n".join([HEADER, ROW.format(k=2, wait=7)]) + "\n", encoding="utf-8")
    errors: list[EvidenceError] = []
    kept = list(iter_evidences([tmp_path], mini_guide, on_error=errors.append))
    assert [e.centre_id for e in kept] == ["C1", "C2"]
    assert errors[0].code == "evidence.duplicate-centre"
    assert errors[0].message == f"centre C2 (onsite) appears twice: in {a}:3 and {b}:2"


@pytest.mark.parametrize(("levels", "code", "column"), [(70, "yaml.depth", 132), (100_000, "yaml.syntax", 1067)])
def test_a_json_line_nested_too_deep_is_an_error_not_a_recursion(
        mini_guide: taqyeem_rules.Guide, tmp_path: Path, levels: int, code: str, column: int) -> None:
    """Python's JSON decoder recurses once per level: a line nesting deeper than the limit
    is never handed to it (it ended in RecursionError at 100,000 levels)."""
    path = tmp_path / "deep.jsonl"
    path.write_text('{"centre": {"id": "A"}, "model": "onsite", "inputs": {"facilities": '
                    + "[" * levels + "]" * levels + "}}\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        load_evidences([path], mini_guide)
    first = info.value.diagnostics[0]
    assert first.code == code
    assert (first.span.line, first.span.col) == (1, column)  # (the bracket past the limit)
    assert "nest" in first.message
