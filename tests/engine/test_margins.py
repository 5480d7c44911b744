"""margins(): the exact points to the next tier, the gates that bind, and the fewest
criterion steps that reach it — checked by brute force on small generated guides, on a
hand-made guide where greedy fails, and at the command line."""

from __future__ import annotations

import itertools
import json
from decimal import ROUND_DOWN, Context, Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from engine_strategies import GuideSpec, evidence_data, guide_specs, load_spec
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import taqyeem_rules
from shared import ROOT, Cli
from taqyeem_rules import ScoringError, load_evidences, load_guide, margins
from taqyeem_rules.dsl import interpret
from taqyeem_rules.engine.margins import centre_margin

D = Decimal
MODES = {"half_even": "ROUND_HALF_EVEN", "half_up": "ROUND_HALF_UP", "half_down": "ROUND_HALF_DOWN",
         "up": "ROUND_UP", "down": "ROUND_DOWN", "ceiling": "ROUND_CEILING", "floor": "ROUND_FLOOR"}


# ---- an independent exact scorer (written from docs/guide-format.md, not from engine/) ----------


def _round(x: Fraction, guide: taqyeem_rules.Guide) -> Decimal:
    """x (≥ 0) rounded at the report scale: a 200-digit cut (toward zero) cannot cross a
    rounding boundary for these small-denominator rationals."""
    approx = Context(prec=200, rounding=ROUND_DOWN).divide(D(x.numerator), D(x.denominator))
    nums = guide.numbers
    return approx.quantize(D(1).scaleb(-nums.report_scale), rounding=MODES[nums.report_rounding],
                           context=Context(prec=250))


def exact_total(result: Any, points: dict[str, Decimal]) -> Fraction:
    """The total of a centre whose applicable criteria have ``points``, exactly."""
    guide = result._compiled.guide
    model = guide.model(result.model)
    pmin, pmax = Fraction(guide.points.min), Fraction(guide.points.max)
    num = den = Fraction(0)
    for cat in model.categories:
        live = [c for c in cat.criteria if c.id in points]
        if live:
            sw = sum((Fraction(c.weight) for c in live), Fraction(0))
            score = sum((Fraction(c.weight) * (Fraction(points[c.id]) - pmin) * 100 / (pmax - pmin) for c in live),
                        Fraction(0)) / sw
            num, den = num + Fraction(cat.weight) * score, den + Fraction(cat.weight)
    return num / den


def tier_with(result: Any, points: dict[str, Decimal]) -> int:
    """The tier index of a centre whose applicable criteria have ``points`` (exact)."""
    guide = result._compiled.guide
    model = guide.model(result.model)
    pmin, pmax = Fraction(guide.points.min), Fraction(guide.points.max)
    q = {c.id: (Fraction(points[c.id]) - pmin) * 100 / (pmax - pmin) for c in result.criteria if c.id in points}
    cats: dict[str, Fraction | None] = {}
    sw: dict[str, Fraction] = {}
    for cat in model.categories:
        live = [c for c in cat.criteria if c.id in q]
        sw[cat.id] = sum((Fraction(c.weight) for c in live), Fraction(0))
        cats[cat.id] = sum((Fraction(c.weight) * q[c.id] for c in live), Fraction(0)) / sw[cat.id] if live else None
    tw = sum((Fraction(cat.weight) for cat in model.categories if cats[cat.id] is not None), Fraction(0))
    total = sum((Fraction(cat.weight) * cats[cat.id] for cat in model.categories if cats[cat.id] is not None),
                Fraction(0)) / tw
    bn = bw = Fraction(0)
    for cat in model.categories:
        for c in cat.criteria:
            if c.basic and c.id in q:
                g = Fraction(cat.weight) * Fraction(c.weight) / sw[cat.id]
                bn, bw = bn + g * q[c.id], bw + g
    env = {
        "total": _round(total, guide),
        "basic_attainment": _round(bn / bw, guide) if bw else None,
        "categories": {k: None if v is None else _round(v, guide) for k, v in cats.items()},
        "criteria": {k: Context(prec=60).divide(D(v.numerator), D(v.denominator)) for k, v in q.items()},
    }
    for k, t in enumerate(model.tiers):
        if env["total"] >= t.min and (t.require is None or interpret(t.require.node, env) is True):
            return k
    return -1


def candidates(result: Any) -> dict[str, Decimal]:
    """Each applicable criterion's next attainable value above today (the step space)."""
    guide = result._compiled.guide
    out = {}
    for c in result.criteria:
        if c.points is None or not c.applicable:
            continue
        values = c.criterion.kind_object.attainable(c.criterion.params, guide)
        higher = [v for v in values or () if v > c.points]
        if higher:
            out[c.id] = min(higher)
    return out


def reacher(result: Any, now: dict[str, Decimal], cands: dict[str, Decimal], target: int) -> Any:
    """Whether raising some criteria (ids) one step gives tier ``target`` or one before it."""

    def reaches(ids: tuple[str, ...]) -> bool:
        found = tier_with(result, {**now, **{i: cands[i] for i in ids}})
        return 0 <= found <= target

    return reaches


SETTINGS = settings(max_examples=25, deadline=None,
                    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


@SETTINGS
@given(spec=guide_specs(max_categories=3), data=st.data())
def test_steps_reach_the_next_tier_and_no_fewer_criteria_do(spec: GuideSpec, data: st.DataObject) -> None:
    guide = load_spec(spec.data)
    for k in range(3):
        ev = data.draw(evidence_data(spec, centre=f"C-{k}"), label=f"evidence {k}")
        try:
            result = guide.score(ev)
        except ScoringError:
            continue
        m = centre_margin(result)
        now = {c.id: c.points for c in result.criteria if c.points is not None and c.applicable}
        current = tier_with(result, now)
        if m.note is None:
            assert (current, m.tier) == (current, result.tier_id)
        if m.next_tier is None:
            assert m.reason in ("top", "no-tiers")
            continue
        model = guide.model(result.model)
        target = [t.id for t in model.tiers].index(m.next_tier)
        assert target == (current - 1 if current >= 0 else len(model.tiers) - 1)
        cands = candidates(result)
        reaches = reacher(result, now, cands, target)
        if m.reason == "not-enough":
            assert not reaches(tuple(cands))  # not even every criterion one level up
            continue
        if not m.reachable:
            assert m.reason in ("not-computed", "never", "search-limit"), m.reason
            continue
        assert m.steps is not None
        ids = tuple(s.criterion for s in m.steps)
        assert all(cands[s.criterion] == s.to_points and now[s.criterion] == s.from_points for s in m.steps)
        assert reaches(ids), "the steps do not reach the next tier"
        assert m.reaches is not None and [t.id for t in model.tiers].index(m.reaches) <= target
        if len(cands) <= 12:
            for size in range(len(ids)):
                for subset in itertools.combinations(sorted(cands), size):
                    assert not reaches(subset), f"{subset} reaches it with fewer criteria than {ids}"


@st.composite
def stepped_guides(draw: Any) -> tuple[str, list[dict[str, Any]]]:
    """A small guide of `checked()` criteria (every step known), tiers near the centres'
    totals with gates on basic attainment and category scores, and three centres."""
    n_cats = draw(st.integers(1, 3))
    crits: list[tuple[int, str, int, int, bool]] = []  # (category, id, items, weight, basic)
    for ci in range(n_cats):
        for j in range(draw(st.integers(1, 4))):
            basic = not crits or draw(st.booleans())  # (a basic attainment gate needs one)
            crits.append((ci, f"c{ci}{j}", draw(st.integers(1, 4)), draw(st.integers(1, 5)), basic))
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=n_cats - 1, max_size=n_cats - 1, unique=True)))
    cweights = [b - a for a, b in itertools.pairwise([0, *cuts, 100])]
    mins = sorted(draw(st.lists(st.integers(20, 99), min_size=1, max_size=3, unique=True)), reverse=True)
    gates = ["", "basic_attainment >= 60", "basic_attainment >= 80", "categories.k0 >= 70", "min(categories) >= 50",
             "basic_attainment > 70 and categories.k0 >= 55"]
    lines = ["format: taqyeem-guide/1", 'edition: "stepped"', "title: {en: t, ar: t}",
             'effective: {from: "2024-01-01"}', "provenance: {status: illustrative, sources: [{title: test}]}",
             f"numbers: {{precision: 34, rounding: half_even, report: {{scale: {draw(st.integers(0, 2))}, "
             f"rounding: {draw(st.sampled_from(sorted(MODES)))}}}}}",
             "points: {min: 0, max: 4}", "inputs:"]
    for _, cid, items, _, _ in crits:
        lines += [f"  - id: x_{cid}", "    type: checklist", "    source: field_visit",
                  "    label: {en: x, ar: x}",
                  "    items: [" + ", ".join(f"{{id: i{k}, label: {{en: i, ar: i}}}}" for k in range(items)) + "]"]
    lines += ["models:", "  onsite:", "    label: {en: o, ar: o}", "    categories:"]
    for ci in range(n_cats):
        lines += [f"      - id: k{ci}", "        label: {en: k, ar: k}", f"        weight: {cweights[ci]}",
                  "        criteria:"]
        for c, cid, _, w, basic in crits:
            if c == ci:
                lines.append(f'          - {{id: {cid}, label: {{en: c, ar: c}}, weight: {w}, basic: {str(basic).lower()}, '
                             f'score: "checked(x_{cid})"}}')
    lines.append("    tiers:")
    for t, m in enumerate(mins):
        gate = draw(st.sampled_from(gates))
        lines += [f"      - id: t{t}", "        label: {en: t, ar: t}", f"        min: {m}"]
        if gate:
            lines.append(f'        require: "{gate}"')
    centres = []
    for k in range(3):
        inputs = {f"x_{cid}": {f"i{j}": draw(st.booleans()) for j in range(items)} for _, cid, items, _, _ in crits}
        centres.append({"centre": {"id": f"C-{k}"}, "model": "onsite", "inputs": inputs})
    return "\n".join(lines) + "\n", centres


#: A guide hypothesis found once where the steps were not the fewest: category k0 scores
#: 100/3 (33.33…33 as scored); raising c01 alone gives exactly 50 — min(categories) >= 50
#: holds — but 33.33…33 + 50/3 fell short of 50, and c00 was proposed too.
SHORT_BY_ROUNDING = """\
format: taqyeem-guide/1
edition: "stepped"
title: {en: t, ar: t}
effective: {from: "2024-01-01"}
provenance: {status: illustrative, sources: [{title: test}]}
numbers: {precision: 34, rounding: half_even, report: {scale: 0, rounding: down}}
points: {min: 0, max: 4}
inputs:
  - {id: x_c00, type: checklist, source: field_visit, label: {en: x, ar: x}, items: [{id: i0, label: {en: i, ar: i}}]}
  - {id: x_c01, type: checklist, source: field_visit, label: {en: x, ar: x}, items: [{id: i0, label: {en: i, ar: i}}, \
{id: i1, label: {en: i, ar: i}}, {id: i2, label: {en: i, ar: i}}]}
models:
  onsite:
    label: {en: o, ar: o}
    categories:
      - id: k0
        label: {en: k, ar: k}
        weight: 100
        criteria:
          - {id: c00, label: {en: c, ar: c}, weight: 1, basic: true, score: "checked(x_c00)"}
          - {id: c01, label: {en: c, ar: c}, weight: 2, basic: false, score: "checked(x_c01)"}
    tiers:
      - {id: t0, label: {en: t, ar: t}, min: 20, require: "min(categories) >= 50"}
"""
SHORT_CENTRE = {"centre": {"id": "C-2"}, "model": "onsite",
                "inputs": {"x_c00": {"i0": False}, "x_c01": {"i0": False, "i1": True, "i2": True}}}


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(case=stepped_guides())
@example(case=(SHORT_BY_ROUNDING, [SHORT_CENTRE]))
@example(case=(SHORT_BY_ROUNDING.replace('min: 20, require: "min(categories) >= 50"', "min: 50"), [SHORT_CENTRE]))
def test_steps_are_minimal_on_guides_where_every_step_is_known(case: tuple[str, list[dict[str, Any]]],
                                                               tmp_path_factory: pytest.TempPathFactory) -> None:
    text, centres = case
    path = tmp_path_factory.mktemp("stepped") / "guide.yaml"
    path.write_text(text, encoding="utf-8")
    guide = load_guide(path)
    for ev in centres:
        result = guide.score(ev)
        m = centre_margin(result)
        now = {c.id: c.points for c in result.criteria if c.applicable}
        assert m.not_considered == ()
        if m.next_tier is None:
            assert result.tier_id == guide.model("onsite").tiers[0].id
            continue
        cands = candidates(result)
        target = [t.id for t in guide.model("onsite").tiers].index(m.next_tier)
        reaches = reacher(result, now, cands, target)

        if m.steps is None:
            assert m.reason in ("not-enough", "never"), m.reason
            assert not reaches(tuple(cands))
            continue
        ids = tuple(s.criterion for s in m.steps)
        assert reaches(ids)
        # the points shown are measured from the scored total; the steps gain at least as
        # much, but for the digits where the scored total and the exact one differ
        rounding = abs(Fraction(result.total_exact) - exact_total(result, now))
        assert rounding < Fraction(1, 10**30)
        assert sum((s.total_gain for s in m.steps), Fraction(0)) >= (m.points_to_next_tier or 0) - rounding
        for size in range(len(ids)):
            for subset in itertools.combinations(sorted(cands), size):
                assert not reaches(subset), f"{subset} reaches it with fewer criteria than {ids}"
        # among the lists of as many criteria, none gains fewer points
        gain = {s.criterion: s.total_gain for s in m.steps}
        best = sum(gain.values(), Fraction(0))
        for subset in itertools.combinations(sorted(cands), len(ids)):
            if reaches(subset):
                others = tier_gain(result, cands, subset)
                assert others >= best, (subset, ids)


def test_one_step_that_reaches_a_gate_exactly_is_enough(tmp_path: Path) -> None:
    """Raising c01 one level gives category k0 exactly 50 when scored; the steps are that
    one step, though the category now scores 33.33…33 and the step gains 50/3; the same
    on the total alone (a tier at 50, no gate)."""
    for tiers, gate in (('min: 20, require: "min(categories) >= 50"', False), ("min: 50", True)):
        path = tmp_path / ("gate" if gate else "total") / "guide.yaml"
        path.parent.mkdir()
        path.write_text(SHORT_BY_ROUNDING.replace('min: 20, require: "min(categories) >= 50"', tiers),
                        encoding="utf-8")
        guide = load_guide(path)
        m = centre_margin(guide.score(SHORT_CENTRE))
        assert m.next_tier == "t0" and m.reachable and m.reaches == "t0"
        assert [(s.criterion, s.from_points, s.to_points, s.total_gain) for s in m.steps or ()] == [
            ("c01", D(2), D(3), Fraction(50, 3))]
        raised = {**SHORT_CENTRE, "inputs": {**SHORT_CENTRE["inputs"], "x_c01": {"i0": True, "i1": True, "i2": True}}}
        assert guide.score(raised).tier_id == "t0"  # scoring agrees: that one step reaches t0
        # what the centre lacks is still shown from the scored value (never understated)
        shown = m.points_to_next_tier if gate else m.gates[0].lacks
        assert shown == Fraction("16.66666666666666666666666666666667")


def tier_gain(result: Any, cands: dict[str, Decimal], ids: tuple[str, ...]) -> Fraction:
    """Points of the total a list of steps gains (applicability fixed), computed apart."""
    guide = result._compiled.guide
    model = guide.model(result.model)
    tw = sum((Fraction(c.weight) for c in model.categories), Fraction(0))
    out = Fraction(0)
    for cat in model.categories:
        sw = sum((Fraction(c.weight) for c in cat.criteria), Fraction(0))
        for c in cat.criteria:
            if c.id in ids:
                dq = (Fraction(cands[c.id]) - Fraction(result.criterion(c.id).points)) * 100 / 4
                out += Fraction(cat.weight) / tw * Fraction(c.weight) * dq / sw
    return out


def test_exact_points_against_the_rounded_total() -> None:
    """Centre G of 2023 has exactly 90.00 after rounding 89.995: it keeps gold by 0."""
    guide = load_guide("2023")
    m = margins(guide, load_evidences([ROOT / "criteria" / "2023" / "examples"], guide))
    g = m.centre("EX-2023-G")
    assert g.tier == "gold" and g.next_tier is None and g.reason == "top"
    assert g.total_margin is not None and g.total_margin >= 0
    assert g.total_exact - g.total_margin == Fraction("89.995")  # the least total that still rounds to 90.00


# ---- greedy is not enough ---------------------------------------------------------------------

GREEDY = """\
format: taqyeem-guide/1
edition: "greedy"
title: {en: "Greedy fails", ar: "Greedy fails"}
effective: {from: "2024-01-01"}
provenance: {status: illustrative, sources: [{title: "test"}]}
numbers: {precision: 34, rounding: half_even, report: {scale: 2, rounding: half_up}}
points: {min: 0, max: 4}
inputs:
""" + "".join(f"""  - id: {x}
    type: checklist
    source: field_visit
    label: {{en: "{x}", ar: "{x}"}}
    items: [{{id: i1, label: {{en: a, ar: a}}}}, {{id: i2, label: {{en: b, ar: b}}}},
            {{id: i3, label: {{en: c, ar: c}}}}, {{id: i4, label: {{en: d, ar: d}}}}]
""" for x in "abcd") + """\
models:
  onsite:
    label: {en: "On-site", ar: "المقر"}
    categories:
      - id: all
        label: {en: "All", ar: "الكل"}
        weight: 100
        criteria:
          - {id: ca, label: {en: a, ar: a}, weight: 4, score: "checked(a)"}
          - {id: cb, label: {en: b, ar: b}, weight: 4, score: "checked(b)"}
          - {id: cc, label: {en: c, ar: c}, weight: 2, score: "checked(c)"}
          - {id: cd, label: {en: d, ar: d}, weight: 2, basic: true, score: "checked(d)"}
    tiers:
      - id: gold
        label: {en: "Gold", ar: "ذهبي"}
        min: 67
        require: "basic_attainment >= 75"
"""


def test_greedy_takes_four_steps_where_three_suffice(tmp_path: Path) -> None:
    """Weights 4, 4, 2, 2, the last one basic, every criterion half way (50 %): gold needs
    17 more points and basic attainment 75. Greedy by points takes a, b, c, then d;
    three suffice (a, b, d)."""
    (tmp_path / "guide.yaml").write_text(GREEDY, encoding="utf-8")
    guide = load_guide(tmp_path / "guide.yaml")
    half = {"i1": True, "i2": True, "i3": False, "i4": False}
    result = guide.score({"centre": {"id": "X"}, "model": "onsite", "inputs": dict.fromkeys("abcd", half)})
    assert result.total == D("50.00") and result.tier_id is None
    m = centre_margin(result)
    assert m.next_tier == "gold" and m.reachable
    assert m.points_to_next_tier == Fraction("16.995")  # 66.995 rounds to 67.00
    assert [g.to_dict()["lacks"] for g in m.gates] == ["24.995"]
    assert [s.criterion for s in m.steps or ()] == ["ca", "cb", "cd"]
    assert [(s.from_points, s.to_points) for s in m.steps or ()] == [(D(2), D(3))] * 3
    gains = {s.criterion: (s.total_gain, s.basic_gain) for s in m.steps or ()}
    assert gains == {"ca": (Fraction(25, 3), None), "cb": (Fraction(25, 3), None), "cd": (Fraction(25, 6), Fraction(25))}
    # what greedy does: the largest gain first (guide order on ties), until every condition holds
    order = sorted(["ca", "cb", "cc", "cd"], key=lambda c: -{"ca": 4, "cb": 4, "cc": 2, "cd": 2}[c])
    now = {c.id: c.points for c in result.criteria}
    greedy: list[str] = []
    for cid in order:
        if tier_with(result, {**now, **{x: D(3) for x in greedy}}) == 0:
            break
        greedy.append(cid)
    assert greedy == ["ca", "cb", "cc", "cd"]


def test_unreachable_and_not_computed_say_why(tmp_path: Path) -> None:
    text = GREEDY.replace('require: "basic_attainment >= 75"', 'require: "criteria.ca > 10 or total > 99"')
    (tmp_path / "guide.yaml").write_text(text, encoding="utf-8")
    guide = load_guide(tmp_path / "guide.yaml")
    none = {"i1": False, "i2": False, "i3": False, "i4": False}
    result = guide.score({"centre": {"id": "X"}, "model": "onsite", "inputs": dict.fromkeys("abcd", none)})
    m = centre_margin(result)
    assert (m.next_tier, m.reachable, m.reason, m.steps) == ("gold", False, "not-computed", None)
    assert dict(m.reason_values)["require"] == "criteria.ca > 10 or total > 99"
    assert [(g.computed, g.holds) for g in m.gates] == [(False, False)]


# ---- the command line ---------------------------------------------------------------------------


def test_margins_cli_formats(cli: Cli, tmp_path: Path) -> None:
    examples = str(ROOT / "criteria" / "2023" / "examples")
    code, out, _ = cli("margins", "2023", examples, "--format", "json")
    data = json.loads(out)
    assert code == 0 and data["format"] == "taqyeem-margins/2"
    assert data["objective"].startswith("fewest criteria") and "independent" in data["assumption"]
    by_id = {c["centre"]: c for c in data["centres"]}
    assert by_id["EX-2023-A"]["reason"] == "top" and by_id["EX-2023-B"]["next_tier"] == "gold"
    target = tmp_path / "m.json"
    assert cli("margins", "2023", examples, "--format", "json", "-o", str(target))[0] == 0
    assert target.read_text(encoding="utf-8") == out  # byte-identical to what the terminal got
    code, out, _ = cli("margins", "2023", examples, "--format", "csv")
    assert code == 0 and out.splitlines()[0].startswith("centre_id,centre_name,model,total,tier,next_tier")
    code, out, _ = cli("margins", "2023", examples, "--format", "markdown", "--lang", "ar")
    assert code == 0 and "الهوامش حتى الفئة التالية" in out and "في أعلى فئة بالفعل" in out
    code, out, _ = cli("margins", "2023", examples)
    assert code == 0 and "EX-2023-B" in out
