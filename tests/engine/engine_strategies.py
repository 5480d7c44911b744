"""Hypothesis strategies for VALID guides (as Python data) and matching evidence.

A generated guide has one model with 1–4 categories whose integer (or tenth) weights sum
to exactly 100; each category holds 1–4 criteria scored by a mix of expressions
(``clamp(x / k, min, max)``, ``if … then … else …``, ``checked(checklist)``,
``mean(list)``, ``round_half_up``) and decision tables whose rows cover the tested input's
declared range with no gap (sorted cut points → ``< c1``, ``[c1..c2)``, …, ``>= cn``, or the
right-closed mirror, or a last ``-`` row; boolean and ``checked()`` tables; two-column
tables). Points stay on the scale. Optional inputs feed criteria with ``missing: zero`` or
``not_applicable`` (now and then ``error``, to exercise the error path), ``applicable``
conditions read booleans or numbers, some criteria are basic, 1–3 tiers have strictly
descending mins and optional ``require`` gates, and there may be flags.

:func:`guide_yaml` turns the data into YAML text (every string double-quoted, numbers
written from their decimal text), optionally with every mapping's keys shuffled and in
flow or block style. :func:`evidence_data` draws evidence for a spec: values inside the
declared ranges (often exactly on a cut point or a bound), optional inputs sometimes left
out.
"""

from __future__ import annotations

import atexit
import itertools
import random
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

import taqyeem_rules

__all__ = [
    "GuideSpec",
    "InputSpec",
    "evidence_data",
    "guide_specs",
    "guide_yaml",
    "load_spec",
    "shuffled",
    "temp_file",
    "value_strategy",
]

D = Decimal


@dataclass
class InputSpec:
    id: str
    type: str
    required: bool
    lo: Decimal | None = None
    hi: Decimal | None = None
    items: tuple[str, ...] = ()
    #: Values worth hitting exactly: the bounds and the cut points of tables.
    interesting: set[Decimal] = field(default_factory=set)


@dataclass
class GuideSpec:
    data: dict[str, Any]
    edition: str
    model: str
    #: The inputs the model reads, by id (exactly the inputs the guide declares).
    inputs: dict[str, InputSpec]
    #: The criterion whose ``applicable`` is the dedicated boolean input ``na_toggle``.
    na_target: str | None = None


def _text(en: str) -> dict[str, str]:
    return {"en": en, "ar": f"نص {en}"}


def _num(d: Decimal | int) -> str:
    """A decimal as expression text (no exponent)."""
    d = D(d)
    text = format(d, "f")
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


SCALES = [(D(0), D(4)), (D(0), D(100)), (D(1), D(5)), (D(0), D(10)), (D(-2), D(2)), (D(0), D(3)), (D(1), D(7))]
ROUNDINGS = ["half_even", "half_up", "half_down", "up", "down", "ceiling", "floor"]
TIER_MINS = [D(95), D(90), D("87.5"), D(80), D("79.99"), D(75), D(60), D(50), D(0)]
TAWASUL_ITEMS = ("received", "replied", "replied_in_time", "closed", "satisfied")


class _Builder:
    """Draws the parts of one guide, keeping track of the inputs criteria read."""

    def __init__(self, draw: Any, pmin: Decimal, pmax: Decimal) -> None:
        self.draw = draw
        self.pmin, self.pmax = pmin, pmax
        self.span = pmax - pmin
        self.pool: list[InputSpec] = []
        self.used: dict[str, InputSpec] = {}
        self.counter = itertools.count()

    # ---- inputs ---------------------------------------------------------------------

    def new_input(self, kind: str) -> InputSpec:
        draw = self.draw
        k = next(self.counter)
        required = draw(st.sampled_from([True, True, False]))
        spec = InputSpec(f"{kind}_{k}", kind, required)
        if kind == "number":
            lo = draw(st.sampled_from([D(0), D(-10), D(5), D("0.5")]))
            width = draw(st.sampled_from([D(10), D(100), D(240), D("7.5"), D(3)]))
            spec.lo, spec.hi = lo, lo + width
            spec.interesting |= {spec.lo, spec.hi}
        elif kind == "integer":
            lo = draw(st.sampled_from([D(0), D(1)]))
            spec.lo, spec.hi = lo, lo + draw(st.sampled_from([D(3), D(10), D(60)]))
            spec.interesting |= {spec.lo, spec.hi}
        elif kind == "percent":
            spec.lo, spec.hi = D(0), D(100)
            spec.interesting |= {D(0), D(100)}
        elif kind == "list":
            spec.lo, spec.hi = D(0), D(50)
        elif kind == "checklist":
            n = draw(st.integers(1, 4))
            spec.items = tuple(f"item_{j}" for j in range(n))
        elif kind == "counts":
            n = draw(st.integers(2, 5))
            spec.items = tuple(f"level_{j}" for j in range(n))
        elif kind == "cases":
            spec.items = TAWASUL_ITEMS
        elif kind == "ratings":
            spec.lo, spec.hi = self.pmin, self.pmax
        self.pool.append(spec)
        return spec

    def pick(self, kinds: tuple[str, ...]) -> InputSpec:
        """An input of one of ``kinds``: reuse one from the pool, or declare a new one."""
        candidates = [i for i in self.pool if i.type in kinds]
        if candidates and self.draw(st.booleans()):
            spec = self.draw(st.sampled_from(candidates))
        else:
            spec = self.new_input(self.draw(st.sampled_from(kinds)))
        self.used[spec.id] = spec
        return spec

    # ---- values ------------------------------------------------------------------------

    def scale_value(self) -> Decimal:
        j = self.draw(st.sampled_from([0, 1, 2, 3, 4, 5, 6, 7, 8]))
        return self.pmin + self.span * j / 8

    def cuts(self, spec: InputSpec) -> list[Decimal]:
        """Sorted distinct cut points strictly inside the input's range."""
        assert spec.lo is not None and spec.hi is not None
        lo, hi = spec.lo, spec.hi
        if spec.type == "integer":
            grid = [D(v) for v in range(int(lo) + 1, int(hi))]
        else:
            grid = [lo + (hi - lo) * j / 8 for j in range(1, 8)]
        if not grid:
            return []
        chosen = self.draw(st.lists(st.sampled_from(grid), min_size=1, max_size=4, unique=True))
        out = sorted(chosen)
        spec.interesting |= set(out)
        return out

    # ---- criterion forms -----------------------------------------------------------------

    def expression(self) -> tuple[str, list[InputSpec]]:
        draw = self.draw
        lo, hi = _num(self.pmin), _num(self.pmax)
        form = draw(st.sampled_from(["clamp", "if_bool", "if_cmp", "checked", "mean", "round"]))
        if form == "clamp":
            x = self.pick(("number", "integer", "percent"))
            k = draw(st.sampled_from(["1", "3", "7", "2.5", "25", "60"]))
            return f"clamp({x.id} / {k}, {lo}, {hi})", [x]
        if form == "if_bool":
            b = self.pick(("boolean",))
            return f"if {b.id} then {_num(self.scale_value())} else {_num(self.scale_value())}", [b]
        if form == "if_cmp":
            x = self.pick(("number", "integer", "percent"))
            cut = self.draw(st.sampled_from(self.cuts(x) or [x.lo]))
            op = draw(st.sampled_from([">", ">=", "<", "<="]))
            a, b = _num(self.scale_value()), _num(self.scale_value())
            return f"if {x.id} {op} {_num(cut)} then {a} else {b}", [x]
        if form == "checked":
            cl = self.pick(("checklist",))
            n = len(cl.items)
            return f"{lo} + checked({cl.id}) * {_num(self.span)} / {n}", [cl]
        if form == "mean":
            lst = self.pick(("list",))
            k = draw(st.sampled_from(["1", "3", "12.5"]))
            return f"clamp(mean({lst.id}) / {k}, {lo}, {hi})", [lst]
        x = self.pick(("number", "percent"))
        k = draw(st.sampled_from(["3", "7", "25"]))
        places = draw(st.integers(0, 3))
        return f"clamp(round_half_up({x.id} / {k}, {places}), {lo}, {hi})", [x]

    def row_points(self, tested: InputSpec | None) -> Decimal | str:
        """Constant points, or (now and then) an expression of the tested number."""
        if tested is not None and tested.type in ("number", "integer", "percent") and self.draw(
            st.integers(0, 4)
        ) == 0:
            k = self.draw(st.sampled_from(["3", "7", "25"]))
            return f"clamp({tested.id} / {k}, {_num(self.pmin)}, {_num(self.pmax)})"
        return self.scale_value()

    def numeric_rows(self, x: InputSpec, hit: str) -> list[str]:
        """Cells covering [lo, hi] with no gap and no overlap (a last `-` under first)."""
        cuts = self.cuts(x)
        if not cuts:
            return ["-"]
        right_closed = self.draw(st.booleans())
        cells: list[str] = []
        if right_closed:
            cells.append(f"<= {_num(cuts[0])}")
            cells += [f"({_num(a)}..{_num(b)}]" for a, b in itertools.pairwise(cuts)]
            last = f"> {_num(cuts[-1])}"
        else:
            cells.append(f"< {_num(cuts[0])}")
            cells += [f"[{_num(a)}..{_num(b)})" for a, b in itertools.pairwise(cuts)]
            last = f">= {_num(cuts[-1])}"
        if hit == "first" and self.draw(st.integers(0, 3)) == 0:
            last = "-"
        cells.append(last)
        return cells

    def bands(self) -> tuple[dict[str, Any], list[InputSpec]]:
        draw = self.draw
        form = draw(st.sampled_from(["numeric", "numeric", "boolean", "checked", "two", "dynamic"]))
        hit = draw(st.sampled_from(["first", "unique"]))
        if form == "dynamic":
            # cells that read another input: not checkable when loaded (a warning), so the
            # engine decides them at run time (unique: counting the rows that match; the
            # last choice overlaps when x = y, a scoring.table-overlap error)
            x = self.pick(("number", "integer", "percent"))
            y = self.pick(("number", "integer", "percent"))
            if hit == "unique":
                cells = draw(st.sampled_from([[f"< {y.id}", f">= {y.id}"], [f"< {y.id}", f"> {y.id}", y.id], [f"<= {y.id}", f">= {y.id}"]]))
            else:
                cells = [f"? * 2 < {y.id}", f"[{y.id}..{y.id} + 10]", "-"]
            rows = [{"when": c, "points": self.row_points(x)} for c in cells]
            return {"on": x.id, "hit": hit, "rows": rows}, [x, y]
        if form == "numeric":
            x = self.pick(("number", "integer", "percent"))
            rows = [{"when": c, "points": self.row_points(x)} for c in self.numeric_rows(x, hit)]
            return {"on": x.id, "hit": hit, "rows": rows}, [x]
        if form == "boolean":
            b = self.pick(("boolean",))
            cells = draw(st.permutations(["true", "false"]))
            rows = [{"when": c, "points": self.scale_value()} for c in cells]
            return {"on": b.id, "hit": hit, "rows": rows}, [b]
        if form == "checked":
            cl = self.pick(("checklist",))
            counter = InputSpec("_", "integer", True, D(0), D(len(cl.items)))
            cells = self.numeric_rows(counter, hit)
            rows = [{"when": c, "points": self.scale_value()} for c in cells]
            return {"on": f"checked({cl.id})", "hit": hit, "rows": rows}, [cl]
        x = self.pick(("number", "integer", "percent"))
        b = self.pick(("boolean",))
        rows = []
        for cell in self.numeric_rows(x, "unique"):
            if draw(st.booleans()):
                rows.append({"when": [cell, "true"], "points": self.row_points(x)})
                rows.append({"when": [cell, "false"], "points": self.row_points(x)})
            else:
                rows.append({"when": [cell, "-"], "points": self.row_points(x)})
        return {"on": [x.id, b.id], "hit": "unique", "rows": rows}, [x, b]

    def local_rows(self, name: str) -> list[dict[str, Any]]:
        """Rows over a kind's own 0–100 value (a survey's index, a Tawasul rate)."""
        rate = InputSpec(name, "number", True, D(0), D(100))
        return [{"when": cell, "points": self.scale_value()} for cell in self.numeric_rows(rate, "first")]

    def plugin_form(self, which: int) -> tuple[str, dict[str, Any], list[InputSpec]]:
        """A survey, tawasul or assessors criterion (kind, params, inputs read)."""
        draw = self.draw
        lo, span = _num(self.pmin), _num(self.span)
        if which == 0:
            answers = self.pick(("counts",))
            params: dict[str, Any] = {
                "answers": answers.id,
                "min_responses": draw(st.sampled_from([1, 5, 30])),
            }
            if draw(st.booleans()):  # a margin of error needs two responses or more
                params["confidence"] = draw(st.sampled_from([90, 95, 99]))
                params["min_responses"] = max(params["min_responses"], 2)
            if draw(st.booleans()):
                params["bands"] = [{"when": r["when"], "points": r["points"]} for r in self.local_rows("index")]
            else:
                params["points"] = f"{lo} + index * {span} / 100"
            return "survey", params, [answers]
        if which == 1:
            cases = self.pick(("cases",))
            rate = draw(st.sampled_from(["reply_rate", "on_time_rate", "closure_rate", "satisfaction_rate"]))
            params = {"cases": cases.id, "reply_days": draw(st.sampled_from([3, 5, 10]))}
            if draw(st.booleans()):
                params["bands"] = {"on": rate, "rows": self.local_rows(rate)}
            else:
                params["points"] = f"{lo} + {rate} * {span} / 100"
            return "tawasul", params, [cases]
        ratings = self.pick(("ratings",))
        params = {"ratings": ratings.id, "consensus": draw(st.sampled_from(["median", "mean"]))}
        if draw(st.booleans()):
            params["max_spread"] = draw(st.sampled_from([D(0), D(1), D("0.5")]))
        if draw(st.booleans()):
            params["points"] = f"clamp(consensus, {lo}, {_num(self.pmax)})"
        return "assessors", params, [ratings]

    def applicable(self) -> str:
        draw = self.draw
        if draw(st.booleans()):
            b = self.pick(("boolean",))
            if b.required:
                return draw(st.sampled_from([b.id, f"not({b.id})", f"{b.id} = true"]))
            # `=` gives true/false on null; a bare optional boolean may be null (rarely kept,
            # to exercise scoring.applicable-null)
            return draw(st.sampled_from([f"{b.id} = true", f"{b.id} != true", f"{b.id} = true", b.id]))
        x = self.pick(("number", "integer", "percent"))
        cut = draw(st.sampled_from(self.cuts(x) or [x.lo]))
        if not x.required:
            return f"{x.id} = null or {x.id} >= {_num(cut)}"
        return f"{x.id} >= {_num(cut)}"

    def criterion(self, cid: str) -> dict[str, Any]:
        draw = self.draw
        c: dict[str, Any] = {
            "id": cid,
            "label": _text(f"Criterion {cid}"),
            "weight": draw(st.sampled_from([D(1), D(2), D(3), D("0.5"), D("1.5"), D("2.25"), D(7)])),
        }
        if draw(st.booleans()):
            c["basic"] = draw(st.booleans())
        if draw(st.integers(0, 3)) == 0:
            c["applicable"] = self.applicable()
        form = draw(st.integers(0, 11))
        if form < 3:
            c["bands"], reads = self.bands()
        elif form < 9:
            c["score"], reads = self.expression()
        else:
            c["kind"], c["params"], reads = self.plugin_form(form - 9)
        if "bands" in c and draw(st.integers(0, 4)) == 0:  # the same, written as kind: bands
            c["kind"], c["params"] = "bands", c.pop("bands")
        elif "score" in c and draw(st.integers(0, 4)) == 0:
            c["kind"], c["params"] = "expression", {"score": c.pop("score")}
        if any(not r.required for r in reads):
            c["missing"] = draw(st.sampled_from(["zero", "not_applicable", "zero", "not_applicable", "error"]))
        elif draw(st.booleans()):
            c["missing"] = draw(st.sampled_from(["error", "zero", "not_applicable"]))
        return c


def _category_weights(draw: Any, k: int) -> list[Decimal]:
    """k positive weights summing to exactly 100 (integers, or tenths)."""
    unit = draw(st.sampled_from([1, 1, 10]))
    whole = 100 * unit
    cuts = sorted(draw(st.lists(st.integers(1, whole - 1), min_size=k - 1, max_size=k - 1, unique=True)))
    bounds = [0, *cuts, whole]
    return [D(b - a) / unit for a, b in itertools.pairwise(bounds)]


@st.composite
def guide_specs(
    draw: Any,
    *,
    requires: bool = True,
    flags: bool = True,
    na_toggle: bool = False,
    max_categories: int = 4,
) -> GuideSpec:
    """A valid guide (as data) and what evidence for it may hold.

    ``requires=False`` gives tiers without ``require``; ``na_toggle=True`` makes one
    criterion's ``applicable`` the dedicated required boolean input ``na_toggle``.
    """
    pmin, pmax = draw(st.sampled_from(SCALES))
    b = _Builder(draw, pmin, pmax)
    model_id = draw(st.sampled_from(["onsite", "remote"]))
    k = draw(st.integers(1, max_categories))
    weights = _category_weights(draw, k)
    categories = []
    for ci, w in enumerate(weights):
        n = draw(st.integers(1, 4))
        criteria = [b.criterion(f"c{ci}_{j}") for j in range(n)]
        categories.append({"id": f"cat{ci}", "label": _text(f"Category {ci}"), "weight": w, "criteria": criteria})
    all_criteria = [c for cat in categories for c in cat["criteria"]]
    na_target = None
    if na_toggle:
        target = draw(st.sampled_from(all_criteria))
        target["applicable"] = "na_toggle"
        na_target = target["id"]
        b.used["na_toggle"] = InputSpec("na_toggle", "boolean", True)
    # inputs: exactly those some criterion reads (an `applicable` replaced by the toggle
    # may have been the only reader of an input: recompute from the expressions' text)
    texts = []
    for c in all_criteria:
        texts.append(c.get("applicable", ""))
        texts.append(c.get("score", ""))
        if "bands" in c:
            on = c["bands"]["on"]
            texts += on if isinstance(on, list) else [on]
            texts += [r["points"] for r in c["bands"]["rows"] if isinstance(r["points"], str)]
            for r in c["bands"]["rows"]:
                texts += r["when"] if isinstance(r["when"], list) else [r["when"]]
        params = c.get("params", {})
        texts += [str(params.get(k, "")) for k in ("answers", "cases", "ratings", "score")]
        if c.get("kind") == "bands":
            on = params["on"]
            texts += on if isinstance(on, list) else [on]
            texts += [r["points"] for r in params["rows"] if isinstance(r["points"], str)]
            for r in params["rows"]:
                texts += r["when"] if isinstance(r["when"], list) else [r["when"]]
    read = {iid: spec for iid, spec in b.used.items() if any(_mentions(t, iid) for t in texts)}
    has_basic = any(c.get("basic") for c in all_criteria)
    tiers = []
    mins = sorted(draw(st.lists(st.sampled_from(TIER_MINS), min_size=1, max_size=3, unique=True)), reverse=True)
    gates = ["min(categories) >= 60", "min(categories) >= 40"]
    if has_basic:
        gates += ["basic_attainment >= 75", "basic_attainment >= 50"]
    for t, m in enumerate(mins):
        tier: dict[str, Any] = {"id": f"tier{t}", "label": _text(f"Tier {t}"), "min": m}
        if requires and draw(st.booleans()):
            tier["require"] = draw(st.sampled_from(gates))
        tiers.append(tier)
    model: dict[str, Any] = {"label": _text(f"Model {model_id}"), "categories": categories, "tiers": tiers}
    if flags and draw(st.booleans()):
        whens = ["total < 75", f"categories.{categories[0]['id']} < 50", f"criteria.{all_criteria[0]['id']} = null"]
        if has_basic:
            whens.append("total < 75 or basic_attainment < 75")
        chosen = draw(st.lists(st.sampled_from(whens), min_size=1, max_size=2, unique=True))
        model["flags"] = [{"id": f"flag{j}", "label": _text(f"Flag {j}"), "when": w} for j, w in enumerate(chosen)]
    precision = draw(st.sampled_from([34, 34, 34, 28, 12]))
    data = {
        "format": "taqyeem-guide/1",
        "edition": f"t{draw(st.integers(1, 99))}",
        "title": _text("Generated guide"),
        "effective": {"from": "2024-01-01"},
        "provenance": {"status": "illustrative", "sources": [{"title": "hypothesis"}]},
        "numbers": {
            "precision": precision,
            "rounding": draw(st.sampled_from(["half_even", "half_even", *ROUNDINGS])),
            "report": {"scale": draw(st.integers(0, 3)), "rounding": draw(st.sampled_from(ROUNDINGS))},
        },
        "points": {"min": pmin, "max": pmax},
        "inputs": [_input_data(spec) for spec in read.values()],
        "models": {model_id: model},
    }
    return GuideSpec(data, data["edition"], model_id, read, na_target)


def _mentions(text: str, name: str) -> bool:
    return re.search(rf"(?<![A-Za-z0-9_]){re.escape(name)}(?![A-Za-z0-9_])", text) is not None


def _input_data(spec: InputSpec) -> dict[str, Any]:
    out: dict[str, Any] = {
        "id": spec.id,
        "type": spec.type,
        "source": "field_visit",
        "label": _text(f"Input {spec.id}"),
    }
    if not spec.required:
        out["required"] = False
    if spec.type in ("number", "integer"):
        out["range"] = [spec.lo, spec.hi]
    elif spec.type == "list":
        out["of"] = "number"
        out["range"] = [spec.lo, spec.hi]
        out["min_items"] = 1
    elif spec.type in ("checklist", "counts", "cases"):
        out["items"] = [{"id": it, "label": _text(f"Item {it}")} for it in spec.items]
    elif spec.type == "ratings":
        out["range"] = [spec.lo, spec.hi]
        out["min_items"] = 1
    if spec.type == "cases":
        out["type"] = "counts"
        out["source"] = "tawasul"
    return out


# ---- YAML ---------------------------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    text = format(value, "f")
    tag = "tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int"
    return dumper.represent_scalar(tag, text)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Decimal, _represent_decimal)


def shuffled(data: Any, rnd: random.Random) -> Any:
    """The same data with every mapping's keys in a random order (lists keep theirs)."""
    if isinstance(data, Mapping):
        keys = list(data)
        rnd.shuffle(keys)
        return {k: shuffled(data[k], rnd) for k in keys}
    if isinstance(data, list):
        return [shuffled(v, rnd) for v in data]
    return data


def guide_yaml(data: Mapping[str, Any], *, flow: bool = False) -> str:
    """YAML text of guide (or evidence) data: strings double-quoted, decimals from their text."""
    return yaml.dump(
        data, Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=flow, width=1000
    )


_TMP = Path(tempfile.mkdtemp(prefix="taqyeem-engine-tests-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
_COUNT = itertools.count()


def temp_file(text: str, suffix: str) -> Path:
    """A fresh file in this module's temporary folder (removed at exit)."""
    path = _TMP / f"file-{next(_COUNT)}{suffix}"
    path.write_text(text, encoding="utf-8")
    return path


def load_spec(data: Mapping[str, Any], *, flow: bool = False) -> taqyeem_rules.Guide:
    """Write guide data as YAML to a fresh temporary file and load it."""
    return taqyeem_rules.load_guide(temp_file(guide_yaml(data, flow=flow), ".yaml"))


# ---- evidence -----------------------------------------------------------------------------


def _number_values(spec: InputSpec) -> st.SearchStrategy[Decimal]:
    assert spec.lo is not None and spec.hi is not None
    lo, width = spec.lo, spec.hi - spec.lo
    grid = st.integers(0, 1000).map(lambda k: lo + width * k / 1000)
    if spec.interesting:
        return st.one_of(st.sampled_from(sorted(spec.interesting)), grid)
    return grid


@st.composite
def _cases(draw: Any) -> dict[str, Decimal]:
    """Consistent Tawasul counts (replied and closed within received; on time and
    satisfied within replied); no case at all now and then."""
    received = draw(st.sampled_from([0, 1, 7, 40, 250]))
    replied = draw(st.integers(0, received))
    return {
        "received": D(received),
        "replied": D(replied),
        "replied_in_time": D(draw(st.integers(0, replied))),
        "closed": D(draw(st.integers(0, received))),
        "satisfied": D(draw(st.integers(0, replied))),
    }


def value_strategy(spec: InputSpec) -> st.SearchStrategy[Any]:
    if spec.type == "cases":
        return _cases()
    if spec.type == "counts":
        return st.fixed_dictionaries({it: st.sampled_from([0, 1, 3, 12, 40]).map(D) for it in spec.items})
    if spec.type == "ratings":
        return st.lists(_number_values(spec), min_size=1, max_size=4).map(
            lambda rs: [{"assessor": f"A{k}", "rating": r} for k, r in enumerate(rs)]
        )
    if spec.type == "boolean":
        return st.booleans()
    if spec.type == "checklist":
        return st.fixed_dictionaries({it: st.booleans() for it in spec.items})
    if spec.type == "integer":
        assert spec.lo is not None and spec.hi is not None
        return st.integers(int(spec.lo), int(spec.hi))
    if spec.type == "list":
        return st.lists(_number_values(spec), min_size=1, max_size=4)
    return _number_values(spec)


@st.composite
def evidence_data(draw: Any, spec: GuideSpec, centre: str = "C-1") -> dict[str, Any]:
    """Evidence (as Python data) for a generated guide: values within the ranges."""
    inputs: dict[str, Any] = {}
    for inp in spec.inputs.values():
        if not inp.required:
            choice = draw(st.integers(0, 4))
            if choice == 0:
                continue  # absent
            if choice == 1:
                inputs[inp.id] = None  # explicitly null
                continue
        inputs[inp.id] = draw(value_strategy(inp))
    return {"centre": {"id": centre}, "model": spec.model, "edition": spec.edition, "inputs": inputs}
