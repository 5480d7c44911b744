"""Hypothesis strategies for the diff tests: valid guides (as data and YAML text), their
reformattings, and amendment operations drawn against a guide.

Guides are small (1–2 models, 1–3 categories of 1–3 criteria) so that a test can load,
amend, diff and re-check many of them quickly. They read number, integer, percent,
boolean, checklist and list inputs through expressions and decision tables; tiers gate
on basic attainment, a category or a criterion; flags read the result.

Amendment operations are drawn against the *current* guide (its ids and inputs), mostly
valid, sometimes not (an unknown id, weights that no longer sum to 100, an input still
read, a narrowed scale), so that both outcomes of applying them are exercised.
"""

from __future__ import annotations

import atexit
import itertools
import random
import re
import shutil
import tempfile
from collections.abc import Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml
from hypothesis import strategies as st

import taqyeem_rules
from taqyeem_rules import Guide

D = Decimal

__all__ = [
    "HEADER",
    "amendment_op",
    "guide_data",
    "guide_yaml",
    "load_text",
    "reformat",
]

HEADER: dict[str, Any] = {
    "format": "taqyeem-guide/1",
    "edition": "gen",
    "title": {"en": "Generated guide", "ar": "دليل مولد"},
    "effective": {"from": "2024-01-01"},
    "provenance": {"status": "illustrative", "sources": [{"title": "hypothesis"}]},
}


def text(en: str) -> dict[str, str]:
    return {"en": en, "ar": f"نص {en}"}


def num(d: Decimal | int) -> str:
    s = format(D(d), "f")
    if "." in s:
        s = s.rstrip("0").rstrip(".")
    return s or "0"


# ---- guides ---------------------------------------------------------------------------------


class _Gen:
    def __init__(self, draw: Any, pmax: Decimal) -> None:
        self.draw = draw
        self.pmax = pmax
        self.inputs: dict[str, dict[str, Any]] = {}
        self.counter = itertools.count()

    def new_input(self, kind: str) -> dict[str, Any]:
        k = next(self.counter)
        inp: dict[str, Any] = {"id": f"in_{kind}_{k}", "type": kind, "source": "field_visit",
                               "label": text(f"Input {k}")}
        if kind == "number":
            inp["range"] = [D(0), self.draw(st.sampled_from([D(10), D(60), D(240), D("7.5")]))]
        elif kind == "integer":
            inp["range"] = [D(1), D(5)]
        elif kind == "checklist":
            inp["items"] = [{"id": f"i{j}", "label": text(f"Item {j}")} for j in range(self.draw(st.integers(1, 3)))]
        elif kind == "list":
            inp["of"] = "number"
            inp["range"] = [D(0), D(50)]
            inp["min_items"] = 1
        elif kind == "counts":
            inp["items"] = [{"id": f"l{j}", "label": text(f"Level {j}")} for j in range(self.draw(st.integers(2, 4)))]
        elif kind == "cases":
            inp["type"], inp["source"] = "counts", "tawasul"
            inp["items"] = [{"id": it, "label": text(it)} for it in TAWASUL_ITEMS]
        elif kind == "ratings":
            inp["range"] = [D(0), self.pmax]
            inp["min_items"] = 1
        if self.draw(st.integers(0, 5)) == 0:
            inp["required"] = False
        self.inputs[inp["id"]] = inp
        return inp

    def pick(self, kinds: tuple[str, ...]) -> dict[str, Any]:
        pool = [i for i in self.inputs.values() if _kind_of(i) in kinds]
        if pool and self.draw(st.booleans()):
            return self.draw(st.sampled_from(pool))
        return self.new_input(self.draw(st.sampled_from(kinds)))

    def criterion(self, cid: str) -> dict[str, Any]:
        return criterion_data(self.draw, cid, self.pick, self.pmax)


TAWASUL_ITEMS = ("received", "replied", "replied_in_time", "closed", "satisfied")


def _kind_of(inp: Mapping[str, Any]) -> str:
    """An input's type, with Tawasul's case counts told apart from other counts."""
    if inp["type"] == "counts" and [i["id"] for i in inp.get("items", ())] == list(TAWASUL_ITEMS):
        return "cases"
    return str(inp["type"])


def criterion_data(draw: Any, cid: str, pick: Any, pmax: Decimal) -> dict[str, Any]:
    """A valid criterion reading inputs given by ``pick(kinds)``."""
    p = num(pmax)
    c: dict[str, Any] = {"id": cid, "label": text(f"Criterion {cid}"),
                         "weight": draw(st.sampled_from([D(1), D(2), D(3), D("0.5"), D("1.5")]))}
    form = draw(st.sampled_from(["clamp", "if", "checked", "bands", "bands", "mean", "const",
                                 "survey", "tawasul", "assessors"]))
    reads: list[dict[str, Any]] = []
    if form == "survey":
        answers = pick(("counts",))
        reads.append(answers)
        c["kind"] = "survey"
        c["params"] = {"answers": answers["id"], "min_responses": draw(st.sampled_from([1, 10])),
                       "bands": [{"when": ">= 50", "points": pmax}, {"when": "< 50", "points": D(0)}]}
    elif form == "tawasul":
        cases = pick(("cases",))
        reads.append(cases)
        c["kind"] = "tawasul"
        c["params"] = {"cases": cases["id"], "reply_days": draw(st.sampled_from([3, 5])),
                       "points": f"on_time_rate * {p} / 100"}
    elif form == "assessors":
        ratings = pick(("ratings",))
        reads.append(ratings)
        c["kind"] = "assessors"
        c["params"] = {"ratings": ratings["id"], "consensus": draw(st.sampled_from(["median", "mean"]))}
    elif form == "clamp":
        x = pick(("number", "integer", "percent"))
        reads.append(x)
        c["score"] = f"clamp({x['id']} / {draw(st.sampled_from(['3', '25', '2.5']))}, 0, {p})"
    elif form == "if":
        b = pick(("boolean",))
        reads.append(b)
        c["score"] = f"if {b['id']} then {p} else 0"
    elif form == "checked":
        cl = pick(("checklist",))
        reads.append(cl)
        c["score"] = f"checked({cl['id']}) * {p} / {len(cl['items'])}"
    elif form == "mean":
        lst = pick(("list",))
        reads.append(lst)
        c["score"] = f"clamp(mean({lst['id']}) / 10, 0, {p})"
    elif form == "const":
        c["score"] = num(draw(st.sampled_from([D(0), pmax / 2, pmax])))
    else:
        x = pick(("number", "percent"))
        reads.append(x)
        hi = x["range"][1] if "range" in x else D(100)
        cut = num(hi / 2)
        hit = draw(st.sampled_from(["first", "unique"]))
        c["bands"] = {"on": x["id"], "hit": hit, "rows": [
            {"when": f"< {cut}", "points": draw(st.sampled_from([D(0), pmax / 4]))},
            {"when": f">= {cut}", "points": pmax},
        ]}
        if draw(st.integers(0, 3)) == 0:  # the same table, written as `kind: bands`
            c["kind"], c["params"] = "bands", c.pop("bands")
    if draw(st.integers(0, 2)) == 0:
        c["basic"] = True
    if draw(st.integers(0, 5)) == 0:
        b = pick(("boolean",))
        reads.append(b)
        c["applicable"] = f"{b['id']} = true"
    if any(r.get("required") is False for r in reads):
        c["missing"] = draw(st.sampled_from(["zero", "not_applicable"]))
    return c


def weights_100(draw: Any, k: int) -> list[Decimal]:
    """k positive integer weights summing to 100."""
    cuts = sorted(draw(st.lists(st.integers(1, 99), min_size=k - 1, max_size=k - 1, unique=True)))
    return [D(b - a) for a, b in itertools.pairwise([0, *cuts, 100])]


def tiers_data(draw: Any, categories: list[dict[str, Any]], *, prefix: str = "tier") -> list[dict[str, Any]]:
    crits = [c for cat in categories for c in cat["criteria"]]
    has_basic = any(c.get("basic") for c in crits)
    mins = sorted(draw(st.lists(st.sampled_from([D(95), D(90), D("87.5"), D(80), D(60)]), max_size=3, unique=True)),
                  reverse=True)
    gates = [f"categories.{categories[0]['id']} >= 50", f"criteria.{crits[0]['id']} >= 50",
             "min(categories) >= 40"]
    if has_basic:
        gates.append("basic_attainment >= 75")
    tiers = []
    for t, m in enumerate(mins):
        tier: dict[str, Any] = {"id": f"{prefix}{t}", "label": text(f"Tier {t}"), "min": m}
        if draw(st.booleans()):
            tier["require"] = draw(st.sampled_from(gates))
        tiers.append(tier)
    return tiers


def flags_data(draw: Any, categories: list[dict[str, Any]]) -> list[dict[str, Any]]:
    crits = [c for cat in categories for c in cat["criteria"]]
    whens = ["total < 75", f"categories.{categories[-1]['id']} < 50", f"criteria.{crits[-1]['id']} = null"]
    chosen = draw(st.lists(st.sampled_from(whens), max_size=2, unique=True))
    return [{"id": f"flag{j}", "label": text(f"Flag {j}"), "when": w} for j, w in enumerate(chosen)]


@st.composite
def guide_data(draw: Any, *, models: tuple[str, ...] | None = None) -> dict[str, Any]:
    """A valid guide as data (numbers as Decimal), with the shared :data:`HEADER`."""
    pmax = draw(st.sampled_from([D(4), D(4), D(100), D(10)]))
    gen = _Gen(draw, pmax)
    if models is None:
        models = draw(st.sampled_from([("onsite",), ("remote",), ("onsite", "remote")]))
    out_models: dict[str, Any] = {}
    crit_no = itertools.count()
    for mid in models:
        k = draw(st.integers(1, 3))
        cats = []
        for ci, w in enumerate(weights_100(draw, k)):
            crits = [gen.criterion(f"c{next(crit_no)}") for _ in range(draw(st.integers(1, 3)))]
            cats.append({"id": f"cat{ci}", "label": text(f"Category {ci}"), "weight": w, "criteria": crits})
        model: dict[str, Any] = {"label": text(f"Model {mid}"), "categories": cats,
                                 "tiers": tiers_data(draw, cats)}
        flags = flags_data(draw, cats)
        if flags:
            model["flags"] = flags
        out_models[mid] = model
    return {
        **HEADER,
        "numbers": {"precision": draw(st.sampled_from([34, 34, 28])),
                    "rounding": "half_even",
                    "report": {"scale": draw(st.integers(0, 3)), "rounding": draw(st.sampled_from(["half_up", "half_even"]))}},
        "points": {"min": D(0), "max": pmax},
        "inputs": list(gen.inputs.values()),
        "models": out_models,
    }


# ---- YAML text and its reformattings ----------------------------------------------------------------


class _Dumper(yaml.SafeDumper):
    pass


def _represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style='"')


def _represent_decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
    t = format(value, "f")
    return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in t else "tag:yaml.org,2002:int", t)


_Dumper.add_representer(str, _represent_str)
_Dumper.add_representer(Decimal, _represent_decimal)


def guide_yaml(data: Mapping[str, Any], *, flow: bool = False) -> str:
    return yaml.dump(dict(data), Dumper=_Dumper, sort_keys=False, allow_unicode=True, default_flow_style=flow,
                     width=1000)


_EXPR_KEYS = {"score", "applicable", "require", "when", "on"}


def _respace(expr: str, rnd: random.Random) -> str:
    """The same expression with other spacing: ``a / 25`` → ``a/25`` or ``a  /  25``."""
    if rnd.random() < 0.5:
        out = re.sub(r" ?(>=|<=|\*|/|\+) ?", lambda m: m.group(1), expr)
        out = re.sub(r"(?<=[\w)]) ?([<>]) ?(?==|\s|\d)", lambda m: m.group(1), out)
        out = out.replace(", ", ",")
    else:
        out = re.sub(r" (>=|<=|\*|/|\+) ", lambda m: f"  {m.group(1)}   ", expr)
        out = out.replace("(", "( ").replace(")", " )")
    return out


def _reformat_value(key: str | None, value: Any, rnd: random.Random) -> Any:
    if isinstance(value, Mapping):
        keys = list(value)
        rnd.shuffle(keys)
        return {k: _reformat_value(k, value[k], rnd) for k in keys}
    if isinstance(value, list):
        return [_reformat_value(key, v, rnd) for v in value]
    if isinstance(value, str) and key in _EXPR_KEYS:
        return _respace(value, rnd)
    if isinstance(value, Decimal) and key in ("weight", "min", "max") and value == value.to_integral_value():
        # 20 → 20.0 (a YAML float read from its text: the same number)
        return Decimal(f"{value:f}.0") if "." not in f"{value:f}" and rnd.random() < 0.5 else value
    return value


def reformat(data: Mapping[str, Any], seed: int) -> str:
    """The same guide written differently: keys shuffled, expressions respaced, integral
    weights written as ``20.0``, strings in other quoting styles, comments added, flow or
    block style."""
    rnd = random.Random(seed)
    changed = _reformat_value(None, data, rnd)
    style = rnd.choice(["double", "single", "plain"])

    class Dumper(_Dumper):
        pass

    def represent_str(dumper: yaml.SafeDumper, value: str) -> yaml.Node:
        quote = {"double": '"', "single": "'", "plain": None}[style]
        return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=quote)

    Dumper.add_representer(str, represent_str)
    flow = rnd.random() < 0.3
    # no line wrapping: no scalar spans lines, so a comment line can go between any two
    out = yaml.dump(changed, Dumper=Dumper, sort_keys=False, allow_unicode=True,
                    default_flow_style=flow, width=100_000)
    commented = ["# reformatted copy — comments never count"]
    for line in out.splitlines():
        if not flow and rnd.random() < 0.2:
            commented.append(" " * (len(line) - len(line.lstrip())) + "# a comment line")
        commented.append(line)
    commented.append("# the end")
    return "\n".join(commented) + "\n"


_TMP = Path(tempfile.mkdtemp(prefix="taqyeem-diff-tests-"))
atexit.register(shutil.rmtree, _TMP, ignore_errors=True)
_COUNT = itertools.count()


def load_text(text_: str) -> Guide:
    """Write guide text to a fresh temporary file and load it (checked)."""
    path = _TMP / f"guide-{next(_COUNT)}.yaml"
    path.write_text(text_, encoding="utf-8")
    return taqyeem_rules.load_guide(path)


# ---- amendments -----------------------------------------------------------------------------------


_OPS = (
    "add_input", "remove_input", "change_input", "move_input",
    "add_category", "remove_category", "move_category", "reweight_categories",
    "add_criterion", "remove_criterion", "replace_criterion", "move_criterion", "reweight_criterion",
    "add_tier", "remove_tier", "change_tier", "move_tier",
    "add_flag", "remove_flag", "change_flag", "move_flag",
    "relabel", "change_numbers", "change_points", "add_model", "remove_model",
)


def _input_picker(draw: Any, g: Guide, fresh: Any, extra: list[dict[str, Any]]) -> Any:
    """``pick(kinds)`` over the guide's inputs (data), declaring none: unknown kinds fall
    back to a constant-free kind the guide has, or to a new input listed in ``extra``."""
    from taqyeem_rules.guide.serialize import input_data

    pool = [input_data(i) for i in g.inputs] + extra

    def pick(kinds: tuple[str, ...]) -> dict[str, Any]:
        found = [i for i in pool if _kind_of(i) in kinds and (i["type"] not in ("checklist", "counts") or i.get("items"))]
        if found:
            return draw(st.sampled_from(found))
        gen = _Gen(draw, g.points.max)
        gen.counter = itertools.count(fresh())
        inp = gen.new_input(kinds[0])
        extra.append(inp)
        pool.append(inp)
        return inp

    return pick


def _where(draw: Any, ids: list[str], exclude: str | None = None) -> dict[str, str]:
    others = [i for i in ids if i != exclude]
    choice = draw(st.integers(0, 2))
    if not others or choice == 0:
        return {}
    return {("before" if choice == 1 else "after"): draw(st.sampled_from(others))}


def amendment_op(draw: Any, g: Guide, serial: int) -> list[dict[str, Any]]:
    """One amendment drawn against ``g`` (two when a new criterion needs a new input first).

    Mostly valid; now and then it names an unknown id or breaks a rule on purpose."""
    counter = itertools.count(1000 * serial)

    def fresh() -> int:
        return next(counter)

    op = draw(st.sampled_from(_OPS))
    if not g.inputs and op in ("change_input", "move_input", "relabel"):
        op = "add_input"
    models = list(g.models)
    m = draw(st.sampled_from(models))
    cats = [c.id for c in m.categories]
    crits = [c.id for c in m.criteria()]
    inputs = [i.id for i in g.inputs]
    pmax = g.points.max
    extra: list[dict[str, Any]] = []
    pick = _input_picker(draw, g, fresh, extra)
    body: dict[str, Any]
    if op == "add_input":
        kind = draw(st.sampled_from(["number", "boolean", "percent", "checklist"]))
        gen = _Gen(draw, pmax)
        gen.counter = itertools.count(fresh())
        body = {"input": gen.new_input(kind), **_where(draw, inputs)}
    elif op == "remove_input":
        body = {"id": draw(st.sampled_from([*inputs, "no_such_input"]))}
    elif op == "change_input":
        inp = draw(st.sampled_from(list(g.inputs)))
        what = draw(st.sampled_from(["label", "unit", "range", "source", "required"]))
        spec: dict[str, Any] = {}
        if what == "label":
            spec["label"] = text(f"Relabelled {serial}")
        elif what == "unit":
            spec["unit"] = draw(st.sampled_from(["minutes", "days", None]))
        elif what == "source":
            spec["source"] = draw(st.sampled_from(["tawasul", "customer_survey"]))
        elif what == "required":
            spec["required"] = not inp.required
        elif inp.type in ("number", "list"):
            spec["range"] = [D(0), draw(st.sampled_from([D(10), D(100), D(500)]))]
        else:
            spec["label"] = text(f"Relabelled {serial}")
        body = {"id": inp.id, "set": spec}
    elif op == "move_input":
        ident = draw(st.sampled_from(inputs))
        body = {"id": ident, **_where(draw, inputs, ident)}
    elif op == "add_category":
        cid = f"cat_n{fresh()}"
        crit = criterion_data(draw, f"c_n{fresh()}", pick, pmax)
        ws = weights_100(draw, len(cats) + 1)
        weights = dict(zip([*cats, cid], ws, strict=True))
        if draw(st.integers(0, 4)) == 0:
            weights[cid] += 1  # no longer sums to 100
        body = {"model": m.id, "category": {"id": cid, "label": text(f"Category {cid}"), "weight": weights.pop(cid),
                                            "criteria": [crit]}, "weights": weights, **_where(draw, cats)}
    elif op == "remove_category":
        cid = draw(st.sampled_from(cats))
        rest = [c for c in cats if c != cid]
        body = {"model": m.id, "id": cid}
        if rest:
            body["weights"] = dict(zip(rest, weights_100(draw, len(rest)), strict=True))
    elif op == "move_category":
        cid = draw(st.sampled_from(cats))
        body = {"model": m.id, "id": cid, **_where(draw, cats, cid)}
    elif op == "reweight_categories":
        weights = dict(zip(cats, weights_100(draw, len(cats)), strict=True))
        if draw(st.integers(0, 3)) == 0:
            weights[cats[0]] += 5
        body = {"model": m.id, "weights": weights}
    elif op == "add_criterion":
        cid = draw(st.sampled_from(cats))
        members = [c.id for c in m.category(cid).criteria]  # type: ignore[union-attr]
        body = {"model": m.id, "category": cid, "criterion": criterion_data(draw, f"c_n{fresh()}", pick, pmax),
                **_where(draw, members)}
    elif op == "remove_criterion":
        body = {"id": draw(st.sampled_from([*crits, "no_such_criterion"]))}
    elif op == "replace_criterion":
        cid = draw(st.sampled_from(crits))
        new_id = cid if draw(st.booleans()) else f"c_n{fresh()}"
        body = {"id": cid, "criterion": criterion_data(draw, new_id, pick, pmax)}
    elif op == "move_criterion":
        cid = draw(st.sampled_from(crits))
        target = draw(st.sampled_from(cats))
        members = [c.id for c in m.category(target).criteria]  # type: ignore[union-attr]
        body = {"id": cid, "category": target, **_where(draw, members, cid)}
    elif op == "reweight_criterion":
        body = {"id": draw(st.sampled_from(crits)), "weight": draw(st.sampled_from([D(1), D(4), D("2.5")]))}
    elif op in ("add_tier", "add_flag"):
        cat_data = [{"id": c.id, "criteria": [{"id": x.id, "basic": x.basic} for x in c.criteria]} for c in m.categories]
        if op == "add_tier":
            item = tiers_data(draw, cat_data, prefix=f"t_n{fresh()}_")[:1] or [
                {"id": f"t_n{fresh()}", "label": text("Tier"), "min": D(70)}]
            body = {"model": m.id, "tier": item[0], **_where(draw, [t.id for t in m.tiers])}
        else:
            flags = flags_data(draw, cat_data) or [{"id": "f", "label": text("F"), "when": "total < 50"}]
            flag = {**flags[0], "id": f"f_n{fresh()}"}
            body = {"model": m.id, "flag": flag, **_where(draw, [f.id for f in m.flags])}
    elif op in ("remove_tier", "move_tier", "change_tier", "remove_flag", "move_flag", "change_flag"):
        items = [t.id for t in (m.tiers if "tier" in op else m.flags)]
        if not items:
            return []
        ident = draw(st.sampled_from(items))
        body = {"model": m.id, "id": ident}
        if op.startswith("move"):
            body.update(_where(draw, items, ident))
        elif op == "change_tier":
            body["set"] = draw(st.sampled_from([
                {"min": draw(st.sampled_from([D(99), D(85), D(50)]))},
                {"require": None},
                {"require": "min(categories) >= 30"},
                {"label": text(f"Tier relabelled {serial}")},
            ]))
        elif op == "change_flag":
            body["set"] = draw(st.sampled_from([{"when": "total < 60"}, {"label": text(f"Flag {serial}")}]))
    elif op == "relabel":
        target = draw(st.sampled_from(["input", "category", "criterion", "model", "tier"]))
        label = text(f"Label {serial}")
        if target == "input":
            body = {"input": draw(st.sampled_from(inputs)), "label": label}
        elif target == "category":
            body = {"model": m.id, "category": draw(st.sampled_from(cats)), "label": label}
        elif target == "criterion":
            body = {"criterion": draw(st.sampled_from(crits)), "label": label}
        elif target == "tier" and m.tiers:
            body = {"model": m.id, "tier": m.tiers[0].id, "label": label}
        else:
            body = {"model": m.id, "label": label}
    elif op == "change_numbers":
        body = {"set": draw(st.sampled_from([
            {"precision": 28}, {"rounding": "half_up"}, {"report": {"scale": 1, "rounding": "half_even"}},
        ]))}
    elif op == "change_points":
        body = {"set": {"max": draw(st.sampled_from([D(4), D(10), D(100)]))}}
    elif op == "add_model":
        missing = [x for x in ("onsite", "remote") if g.model(x) is None]
        if not missing:
            return []
        crit = criterion_data(draw, f"c_n{fresh()}", pick, pmax)
        body = {"model": missing[0], "definition": {
            "label": text(f"Model {missing[0]}"),
            "categories": [{"id": "cat0", "label": text("Category"), "weight": D(100), "criteria": [crit]}],
        }}
    else:  # remove_model
        body = {"model": m.id}
    out = [{"id": f"X{fresh()}", "rationale": "generated", "add_input": {"input": inp}} for inp in extra]
    out.append({"id": f"X{fresh()}", "rationale": "generated", op: body})
    return out
