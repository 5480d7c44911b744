"""The API and messages a newcomer meets first (issue 11, items 11-13): what `score` takes,
lookups that fail loudly, plain numbers in the model, sorted data, every missing or unknown
input at once, hints that do not mislead, `extends` by name or path, table gaps as
intervals, and explanations at report precision."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import taqyeem_rules
from shared import C1, MINI_YAML, Cli
from taqyeem_rules import (
    AmendmentError,
    EvidenceError,
    GuideError,
    TaqyeemError,
    UnknownIdError,
    UsageError,
    load_evidence,
    load_guide,
)
from taqyeem_rules.guide.loader import criteria_root

EXAMPLES = criteria_root() / "2024" / "examples"
C_A = EXAMPLES / "c01-centre-a.yaml"
C_E = EXAMPLES / "c05-centre-e.yaml"


@pytest.fixture(scope="module")
def g2024() -> taqyeem_rules.Guide:
    return load_guide("2024")


# ---- 11: what Guide.score takes ------------------------------------------------------------


def test_score_takes_the_path_of_an_evidence_file(g2024: taqyeem_rules.Guide) -> None:
    by_object = g2024.score(load_evidence(C_A, g2024)).to_dict()
    assert g2024.score(str(C_A)).to_dict() == by_object
    assert g2024.score(C_A).to_dict() == by_object  # a pathlib.Path too


def test_score_of_a_missing_file_says_so(g2024: taqyeem_rules.Guide, tmp_path: Path) -> None:
    with pytest.raises(EvidenceError) as info:
        g2024.score(str(tmp_path / "x.yaml"))
    assert info.value.code == "evidence.not-found"
    assert "x.yaml" in info.value.message


@pytest.mark.parametrize("bad", [42, ["c01.yaml"], None, b"centre: {}"])
def test_score_refuses_anything_else_saying_what_to_pass(g2024: taqyeem_rules.Guide, bad: Any) -> None:
    with pytest.raises(UsageError) as info:
        g2024.score(bad)
    d = info.value.primary
    assert d.code == "usage.evidence"
    assert d.message.startswith(f"cannot score {type(bad).__name__} ")
    assert "load_evidence(path, guide)" in (d.hint or "")
    assert "path of an evidence file" in (d.hint or "")


# ---- 11: lookups of a result -------------------------------------------------------------


def test_unknown_criterion_is_a_key_error_with_did_you_mean(g2024: taqyeem_rules.Guide) -> None:
    result = g2024.score(C_A)
    with pytest.raises(KeyError) as info:
        result.criterion("service_wait")
    error = info.value
    assert isinstance(error, UnknownIdError) and isinstance(error, TaqyeemError)
    assert error.code == "result.unknown-criterion"
    assert error.message == "model `onsite` has no criterion `service_wait`"
    assert error.hint == "did you mean `service_waiting_time`?"
    assert result.criterion("service_waiting_time").id == "service_waiting_time"


def test_unknown_category_names_every_id_when_nothing_is_close(g2024: taqyeem_rules.Guide) -> None:
    result = g2024.score(C_A)
    with pytest.raises(UnknownIdError) as info:
        result.category("zzz")
    assert info.value.code == "result.unknown-category"
    assert info.value.hint == "its category ids: access, service, environment, customers, admin, survey"


def test_an_id_of_the_other_model_is_named_as_such(g2024: taqyeem_rules.Guide) -> None:
    result = g2024.score(C_A)
    with pytest.raises(UnknownIdError) as info:
        result.criterion("design_channels")
    assert info.value.hint == (
        "`design_channels` is a criterion of model `remote`; this centre was scored with model `onsite`"
    )
    with pytest.raises(UnknownIdError, match="no category `design`"):
        result.category("design")


def test_unknown_id_error_survives_pickling(g2024: taqyeem_rules.Guide) -> None:
    import pickle

    with pytest.raises(UnknownIdError) as info:
        g2024.score(C_A).criterion("nope")
    again = pickle.loads(pickle.dumps(info.value))
    assert isinstance(again, KeyError) and again.diagnostics == info.value.diagnostics


# ---- 11: numbers in the model --------------------------------------------------------------


def _model_numbers(guide: taqyeem_rules.Guide) -> list[tuple[str, Decimal]]:
    out: list[tuple[str, Decimal]] = [("points.min", guide.points.min), ("points.max", guide.points.max)]
    out += [(f"points.level.{lv.value}", lv.value) for lv in guide.points.levels]
    for i in guide.inputs:
        out += [(f"{i.id}.range", b) for b in (i.range or ()) if b is not None]
    for m in guide.models:
        out += [(f"{m.id}.{t.id}.min", t.min) for t in m.tiers]
        for cat in m.categories:
            out.append((f"{cat.id}.weight", cat.weight))
            for c in cat.criteria:
                out.append((f"{c.id}.weight", c.weight))
                table = c.params if c.kind == "bands" else getattr(c.params, "bands", None)
                if table is not None:
                    out += [(f"{c.id}.row", r.points) for r in table.rows if isinstance(r.points, Decimal)]
    return out


@pytest.mark.parametrize("edition", ["2019", "2023", "2024"])
def test_model_numbers_are_written_plainly(edition: str) -> None:
    guide = load_guide(edition)
    numbers = _model_numbers(guide)
    assert len(numbers) > 100
    shown = [(where, repr(value)) for where, value in numbers if "E" in repr(value)]
    assert shown == []
    gold = guide.models[0].tiers[0]
    assert repr(gold.min) == "Decimal('90')"
    assert "min=Decimal('90')" in repr(gold)


def test_plain_numbers_keep_values_and_fingerprints(tmp_path: Path) -> None:
    """`90`, `90.0` and `9e1` are one number: same value, same canonical text, same guide."""
    text = MINI_YAML.read_text(encoding="utf-8")
    assert text.count("min: 90") == 1
    fingerprints = set()
    for written in ("90", "90.0", "9e1", "90.000"):
        path = tmp_path / f"g-{written}.yaml"
        path.write_text(text.replace("min: 90", f"min: {written}"), encoding="utf-8")
        guide = load_guide(path)
        assert repr(guide.models[0].tiers[0].min) == "Decimal('90')"
        fingerprints.add(guide.fingerprint)
    assert len(fingerprints) == 1


# ---- 11: to_dict keys sorted -----------------------------------------------------------------


def _keys_sorted(value: Any, where: str = "") -> list[str]:
    bad = []
    if isinstance(value, dict):
        if list(value) != sorted(value):
            bad.append(where or "(top)")
        for k, v in value.items():
            bad += _keys_sorted(v, f"{where}.{k}")
    elif isinstance(value, list):
        for k, v in enumerate(value):
            bad += _keys_sorted(v, f"{where}[{k}]")
    return bad


@pytest.mark.parametrize("trace", [True, False])
@pytest.mark.parametrize("built", [False, True], ids=["from-the-scorer", "from-objects"])
def test_to_dict_keys_are_sorted_at_every_level(g2024: taqyeem_rules.Guide, trace: bool, built: bool) -> None:
    for path in sorted(EXAMPLES.glob("*.yaml")):
        result = g2024.score(path, trace=trace)
        if built:
            assert result.criteria  # the criteria as objects first: CriterionResult.to_dict
        data = result.to_dict()
        assert _keys_sorted(data) == [], path.name
        # so the data serialises in canonical order without being asked to sort
        assert json.dumps(data, ensure_ascii=False) == json.dumps(data, ensure_ascii=False, sort_keys=True)


# ---- 12: every missing and every unknown input at once ------------------------------------------


def _required(guide: taqyeem_rules.Guide, model: str) -> list[str]:
    from taqyeem_rules.guide.evidence import model_inputs

    return [i.id for i in model_inputs(guide, guide.model(model)) if i.required]


def test_every_missing_input_is_reported_at_once(g2024: taqyeem_rules.Guide) -> None:
    data = {"centre": {"id": "X"}, "model": "onsite", "edition": "2024", "inputs": {"weekly_opening_hours": 40}}
    with pytest.raises(EvidenceError) as info:
        g2024.score(data)
    missing = [d for d in info.value.diagnostics if d.code == "evidence.missing-key"]
    assert len(missing) == 1
    required = [i for i in _required(g2024, "onsite") if i != "weekly_opening_hours"]
    assert len(required) > 30
    assert missing[0].message == (
        f"missing {len(required)} required keys in inputs: " + ", ".join(f"`{i}`" for i in required)
    )


def test_the_command_line_lists_every_missing_input(tmp_path: Path, g2024: taqyeem_rules.Guide, cli: Cli) -> None:
    path = tmp_path / "x.yaml"
    path.write_text('centre: {id: X}\nmodel: remote\nedition: "2024"\ninputs:\n  fcr_pct: 80\n', encoding="utf-8")
    code, _, err = cli("score", "2024", str(path))
    assert code == 1
    required = [i for i in _required(g2024, "remote") if i != "fcr_pct"]
    assert f"x.yaml:4:1: error[evidence.missing-key]: missing {len(required)} required keys in inputs: " in err
    assert all(f"`{i}`" in err for i in required)


def test_every_unknown_input_is_reported_at_its_line(tmp_path: Path, mini_guide: taqyeem_rules.Guide) -> None:
    text = C1.read_text(encoding="utf-8")
    text = text.replace("  waiting_minutes: 12\n", "  waiting_minutes: 12\n  waitng: 3\n  colour: 4\n")
    path = tmp_path / "c1.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        load_evidence(path, mini_guide)
    unknown = sorted((d.span.line, d.message) for d in info.value.diagnostics if d.code == "evidence.unknown-key")
    assert unknown == [(6, "unknown input `waitng`"), (7, "unknown input `colour`")]


# ---- 13: hints that do not mislead ------------------------------------------------------------------


def test_a_valid_input_is_not_called_a_misspelling(tmp_path: Path) -> None:
    """`service_info` (an input 2023 reads) is not "a misspelling of `eservice_coverage_pct`"."""
    guide = load_guide("2023")
    with pytest.raises(EvidenceError) as info:
        load_evidence(criteria_root() / "2019" / "examples" / "c01-centre-a.yaml", guide, other_edition=True)
    missing = next(d for d in info.value.diagnostics if d.code == "evidence.missing-key")
    assert missing.message == (
        "missing 3 required keys in inputs: `cleanliness_ratings`, `tawasul_cases`, `eservice_coverage_pct`"
    )
    assert missing.hint is None


def test_a_true_misspelling_is_still_named(tmp_path: Path, mini_guide: taqyeem_rules.Guide) -> None:
    text = C1.read_text(encoding="utf-8").replace("waiting_minutes:", "waitng_minutes:")
    path = tmp_path / "c1.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        load_evidence(path, mini_guide)
    missing = next(d for d in info.value.diagnostics if d.code == "evidence.missing-key")
    assert missing.hint == "`waitng_minutes` looks like a misspelling of `waiting_minutes`"


def test_an_input_of_another_model_is_named_as_such(tmp_path: Path, g2024: taqyeem_rules.Guide) -> None:
    text = C_A.read_text(encoding="utf-8").replace("model: onsite", "model: remote")
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        load_evidence(path, g2024)
    d = next(d for d in info.value.diagnostics if "cleanliness_ratings" in d.message)
    assert d.message == "`cleanliness_ratings` is an input of model `onsite`, not of model `remote`"
    assert d.hint == "this evidence says `model: remote`: check `model`, or leave `cleanliness_ratings` out"
    assert d.span is not None and text.split("\n")[d.span.line - 1].startswith("  cleanliness_ratings:")


def test_an_input_of_another_edition_is_named_as_such() -> None:
    guide = load_guide("2023")
    with pytest.raises(EvidenceError) as info:
        load_evidence(criteria_root() / "2019" / "examples" / "c01-centre-a.yaml", guide, other_edition=True)
    d = next(d for d in info.value.diagnostics
             if d.code == "evidence.unknown-key" and "survey_satisfaction_pct" in d.message)
    assert d.message == (
        "`survey_satisfaction_pct` is not an input of guide 2023; it is an input of model `onsite` of edition 2019"
    )
    assert d.hint == "score this evidence with the guide of edition 2019, or leave `survey_satisfaction_pct` out"


def test_an_unknown_csv_column_of_another_model_is_named_as_such(tmp_path: Path, g2024: taqyeem_rules.Guide) -> None:
    path = tmp_path / "c.csv"
    path.write_text("centre_id,model,seating_coverage_pct\nX,remote,5\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        taqyeem_rules.load_evidences([path], g2024)
    d = next(d for d in info.value.diagnostics if d.code == "evidence.unknown-key")
    assert d.message == (
        "unknown input column `seating_coverage_pct`: `seating_coverage_pct` is an input of model `onsite`, "
        "not of model `remote`"
    )
    assert (d.span.line, d.span.col) == (1, 17)


def _mini_with_unread_input(tmp_path: Path) -> Path:
    text = MINI_YAML.read_text(encoding="utf-8")
    extra = (
        "  - id: notes_count\n    type: integer\n    source: document_review\n"
        '    label: {en: "Notes", ar: "ملاحظات"}\n'
    )
    text = text.replace("models:\n", extra + "models:\n", 1)
    path = tmp_path / "guide.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def test_a_declared_input_no_criterion_reads_is_accepted_with_a_warning(tmp_path: Path, cli: Cli) -> None:
    guide_path = _mini_with_unread_input(tmp_path)
    guide = load_guide(guide_path)
    assert [d.code for d in guide.check().diagnostics] == ["guide.unused-input"]  # check warns
    c1 = C1.read_text(encoding="utf-8")
    given = tmp_path / "given.yaml"
    given.write_text(c1 + "  notes_count: 3\n", encoding="utf-8")
    without = tmp_path / "without.yaml"
    without.write_text(c1, encoding="utf-8")
    # accepted whether given or not (it is not required: nothing reads it), same score
    a, b = guide.score(given), guide.score(without)
    assert a.evidence.inputs["notes_count"] == 3 and "notes_count" not in b.evidence.inputs
    assert a.total_exact == b.total_exact
    # evidence refused for another reason does not call it unknown
    lacking = tmp_path / "lacking.yaml"
    lacking.write_text(c1.replace("  waiting_minutes: 12\n", "") + "  notes_count: 3\n", encoding="utf-8")
    with pytest.raises(EvidenceError) as info:
        guide.score(lacking)
    assert [d.code for d in info.value.diagnostics] == ["evidence.missing-key"]
    # a wrong value is still refused
    bad = tmp_path / "bad.yaml"
    bad.write_text(c1 + "  notes_count: 2.5\n", encoding="utf-8")
    with pytest.raises(EvidenceError, match="notes_count"):
        guide.score(bad)
    # the command line says so, as a warning, at the input's line
    code, out, err = cli("score", str(guide_path), str(given), "--format", "csv")
    assert code == 0 and out.startswith("centre_id,")
    assert (
        f"{given.name}:10:16: warning[evidence.unread-input]: `notes_count` is declared in guide mini, "
        "but model `onsite` does not read it"
    ) in err.replace(str(tmp_path) + "/", "")
    code, _, err = cli("score", str(guide_path), str(without), "--format", "csv")
    assert code == 0 and err == ""


# ---- 13: extends by edition name or by path ----------------------------------------------------


def _amended(folder: Path, extends: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "guide.yaml"
    path.write_text(
        'format: taqyeem-guide/1\nedition: "mini2"\n'
        'title: {en: "Mini, amended", ar: "المصغر معدلاً"}\neffective: {from: "2025-01-01"}\n'
        'provenance: {status: illustrative, sources: [{title: "Hand-made test fixture"}]}\n'
        f'extends: "{extends}"\n'
        "amendments:\n"
        '  - {id: A1, rationale: "more weight to waiting", reweight_criterion: {id: waiting, weight: 4}}\n',
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "extends", ["mini", "../mini/guide.yaml", "../mini", "../mini/"],
    ids=["sibling-edition", "relative-file", "relative-folder", "relative-folder-slash"],
)
def test_extends_takes_an_edition_name_or_a_relative_path(tmp_path: Path, extends: str) -> None:
    base = tmp_path / "mini"
    base.mkdir()
    (base / "guide.yaml").write_text(MINI_YAML.read_text(encoding="utf-8"), encoding="utf-8")
    guide = load_guide(_amended(tmp_path / "mini2", extends))
    assert guide.extends == extends
    _, _, waiting = guide.criterion("waiting")
    assert waiting.weight == 4


def test_extends_a_bundled_edition_by_name(tmp_path: Path) -> None:
    path = _amended(tmp_path / "x", "2024")
    path.write_text(path.read_text(encoding="utf-8").replace("id: waiting,", "id: service_waiting_time,"),
                    encoding="utf-8")
    guide = load_guide(path)
    assert guide.criterion("service_waiting_time")[2].weight == 4


@pytest.mark.parametrize(
    ("extends", "looked"),
    [
        ("nope", "no folder nope/ with a guide.yaml next to this guide's folder, and no bundled edition nope"),
        ("../nope/guide.yaml", "no guide file at {tmp}/nope/guide.yaml"),
    ],
)
def test_extends_not_found_says_what_it_takes(tmp_path: Path, extends: str, looked: str) -> None:
    path = _amended(tmp_path / "mini2", extends)
    with pytest.raises(AmendmentError) as info:
        load_guide(path)
    d = info.value.primary
    assert d.code == "amendment.base"
    assert d.message == f"the guide this edition extends, {extends!r}, was not found: " + looked.format(tmp=tmp_path)
    assert "an edition name (a folder next to this guide's folder, or a bundled edition: 2019, 2023, 2024)" in d.hint
    assert "or the path of a guide file relative to this one" in d.hint
    assert (d.span.line, d.span.col) == (6, 10)


# ---- 13: table gaps as intervals --------------------------------------------------------------------


def _gap_message(tmp_path: Path, rows: str, *, input_type: str = "number", rng: str | None = "[0, 240]") -> str:
    text = MINI_YAML.read_text(encoding="utf-8")
    old_rows = (
        '                - {when: "<= 10", points: 4}\n'
        '                - {when: "(10..20]", points: 3}\n'
        '                - {when: "(20..30]", points: 1}\n'
        '                - {when: "> 30", points: 0}\n'
    )
    assert text.count(old_rows) == 1
    text = text.replace(old_rows, rows)
    text = text.replace("  - id: waiting_minutes\n    type: number\n    range: [0, 240]\n",
                        f"  - id: waiting_minutes\n    type: {input_type}\n"
                        + (f"    range: {rng}\n" if rng is not None else ""))
    path = tmp_path / "guide.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GuideError) as info:
        load_guide(path)
    gaps = [d.message for d in info.value.diagnostics if d.code == "guide.table-gap"]
    assert len(gaps) == 1, info.value
    return gaps[0]


def _rows(*cells: str) -> str:
    return "".join(f'                - {{when: "{c}", points: {k % 5}}}\n' for k, c in enumerate(cells))


@pytest.mark.parametrize(
    ("cells", "input_type", "rng", "expected"),
    [
        (("[0..15]", "(20..240]"), "number", "[0, 240]", "waiting_minutes in (15..20] (e.g. 17.5)"),
        (("[0..15)", "(20..240]"), "number", "[0, 240]", "waiting_minutes in [15..20] (e.g. 17.5)"),
        (("[0..15]", "[20..240]"), "number", "[0, 240]", "waiting_minutes in (15..20) (e.g. 17.5)"),
        (("[0..15]", "20", "> 20"), "number", "[0, 240]", "waiting_minutes in (15..20) (e.g. 17.5)"),
        (("< 15", "(15..240]"), "number", "[0, 240]", "waiting_minutes = 15"),
        (("> 10",), "number", "[0, 240]", "waiting_minutes in [0..10] (e.g. 5)"),
        (("< 10",), "number", "[0, 240]", "waiting_minutes in [10..240] (e.g. 125)"),
        (("> 10",), "number", None, "waiting_minutes <= 10 (e.g. 9)"),
        (("< 10",), "number", None, "waiting_minutes >= 10 (e.g. 11)"),
        (("<= 10",), "number", None, "waiting_minutes > 10 (e.g. 11)"),
        (("[0..15]", "(20..240]"), "integer", "[0, 240]", "waiting_minutes in (15..20] (e.g. 16)"),
        (("[0..15]", "[18..240]"), "integer", "[0, 240]", "waiting_minutes in (15..18) (e.g. 16)"),
        (("[0..15]", "(16..240]"), "integer", "[0, 240]", "waiting_minutes = 16"),
    ],
)
def test_a_gap_is_written_as_one_interval(tmp_path: Path, cells: tuple[str, ...], input_type: str,
                                          rng: str | None, expected: str) -> None:
    message = _gap_message(tmp_path, _rows(*cells), input_type=input_type, rng=rng)
    assert message == f"no row of the table matches {expected}"


def test_a_two_column_gap_merges_along_the_last_column(tmp_path: Path) -> None:
    text = MINI_YAML.read_text(encoding="utf-8")
    old = "              on: waiting_minutes\n              hit: first\n"
    assert text.count(old) == 1
    text = text.replace(old, '              "on": [has_parking_area, waiting_minutes]\n              hit: first\n')
    rows = (
        '                - {when: "<= 10", points: 4}\n'
        '                - {when: "(10..20]", points: 3}\n'
        '                - {when: "(20..30]", points: 1}\n'
        '                - {when: "> 30", points: 0}\n'
    )
    text = text.replace(rows, (
        '                - {when: ["true", "<= 10"], points: 4}\n'
        '                - {when: ["true", "> 10"], points: 2}\n'
        '                - {when: ["false", "[0..15]"], points: 3}\n'
        '                - {when: ["false", "(30..240]"], points: 0}\n'
    ))
    path = tmp_path / "guide.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(GuideError) as info:
        load_guide(path)
    gaps = [d.message for d in info.value.diagnostics if d.code == "guide.table-gap"]
    assert gaps == [
        "no row of the table matches has_parking_area = false, waiting_minutes in (15..30] (e.g. 22.5)"
    ]


def test_several_gaps_are_listed_each_as_an_interval(tmp_path: Path) -> None:
    message = _gap_message(tmp_path, _rows("[0..5]", "(10..15]", "(20..30]", "(40..240]"))
    assert message == (
        "no row of the table matches waiting_minutes in (5..10] (e.g. 7.5); "
        "waiting_minutes in (15..20] (e.g. 17.5); waiting_minutes in (30..40] (e.g. 35)"
    )


# ---- 13: human-facing numbers at report precision ----------------------------------------------------


def test_explain_shows_report_precision_and_every_digit_on_request(g2024: taqyeem_rules.Guide) -> None:
    import re

    result = g2024.score(C_E)
    text = result.explain()
    assert "Total 87.05 (exact 87.046527…)" in text
    assert "contributes 3.33 to the total" in text and "→ 3.33 of 100" in text
    long_numbers = [n for n in re.findall(r"\d+\.\d+", text) if len(n.split(".")[1]) > 2]
    assert long_numbers == ["87.046527", "92.013157"]  # only the cut exact values
    exact = result.explain(exact=True)
    assert "Total 87.05 (exact 87.04652777777777777777777777777777)" in exact
    assert "contributes 3.333333333333333333333333333333333 to the total" in exact
    assert exact.count("\n") == text.count("\n")


def test_explain_command_has_exact(tmp_path: Path, cli: Cli) -> None:
    code, out, _ = cli("explain", "2024", str(C_E), "--format", "text")
    assert code == 0 and "(exact 87.046527…)" in out and "3.333333333" not in out
    code, out, _ = cli("explain", "2024", str(C_E), "--format", "text", "--exact")
    assert code == 0 and "(exact 87.04652777777777777777777777777777)" in out
    assert "contributes 3.333333333333333333333333333333333 to the total" in out


def test_arabic_explain_rounds_too(g2024: taqyeem_rules.Guide) -> None:
    text = g2024.score(C_E).explain("ar")
    assert "87.046527…" in text and "3.333333333" not in text


def test_unknown_id_error_is_exported() -> None:
    assert "UnknownIdError" in taqyeem_rules.__all__
    assert attrs.has(taqyeem_rules.Guide)
