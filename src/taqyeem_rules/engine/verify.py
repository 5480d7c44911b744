"""Property checks of a guide: what must hold for any sound guide, whatever the evidence.

:func:`verify` runs them (``taqyeem verify``). Some are decided **statically**, from the
guide alone — sampling evidence almost never reaches a model's highest total, so it
cannot prove a tier unreachable:

- ``tiers``: every tier can be awarded (its ``min`` is at most the highest total the
  model can give, :func:`~taqyeem_rules.guide.bounds.highest_total`) and tiers are listed
  from the highest ``min`` down;
- ``rows``: every row of every decision table is chosen by some admissible value of the
  values it tests (their declared ranges, :func:`~taqyeem_rules.guide.bounds.live_rows`).

The others are checked on evidence generated from the guide's own declarations
(:func:`~taqyeem_rules.guide.generate.evidence_strategy`, hypothesis, seeded: the same
seed and hypothesis version give the same report), and a violation comes with a
counter-example that hypothesis has shrunk to a small one:

- ``scoring``: admissible evidence can be scored (no ``missing: error`` on an optional
  input, no table gap, no points off the scale);
- ``ranges``: every criterion's points lie on the scale, every percentage, category
  score, total and basic attainment within 0–100, every contribution within its
  criterion's effective weight;
- ``weights``: whatever is not applicable, the effective weights of the applicable
  criteria sum to 100 and their contributions to the total (to the guide's precision);
- ``order``: the same evidence with its keys in any order gives a byte-identical result;
- ``monotonicity``: improving an input that declares ``better: higher|lower``, with
  every other input *and every criterion's applicability* held fixed, never lowers a
  criterion's points, the total or the tier.

With ``against=`` (an older guide the new one amends), :mod:`taqyeem_rules.engine.locality`
adds ``locality`` and ``diff``.
"""

from __future__ import annotations

import contextlib
import decimal
import json
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

import attrs

from ..dsl.nodes import unparse
from ..dsl.numbers import canonical, in_analysis_context
from ..errors import EvidenceError, ScoringError, UsageError
from ..guide.bounds import highest_total, live_rows, table_domains
from ..guide.guide import Guide
from ..guide.inputs import input_type
from ..guide.model import Input, Model
from ..source import Span
from .result import Result
from .score import score

__all__ = [
    "DEFAULT_EXAMPLES",
    "DEFAULT_SEED",
    "PROPERTIES",
    "CheckRun",
    "Counterexample",
    "Finding",
    "VerifyReport",
    "verify",
]

#: The seed used when none is given: a run is reproducible by default.
DEFAULT_SEED = 0
#: Examples of generated evidence per property and model.
DEFAULT_EXAMPLES = 100
#: The properties, in the order they are reported.
PROPERTIES = ("tiers", "rows", "scoring", "ranges", "weights", "order", "monotonicity", "locality", "diff")
#: At most this many findings of one property in one model (each needs a run of its own).
MAX_FINDINGS = 10


@attrs.frozen
class Counterexample:
    """Evidence that exhibits a violation: the centre's evidence as data (``evidence``)
    and, for a property that compares two scorings, the other side (``other``: the
    improved evidence, or the evidence as the older guide read it)."""

    evidence: Mapping[str, Any]
    other: Mapping[str, Any] | None = None
    #: What ``other`` is: ``improved`` or ``old``.
    other_is: str | None = None
    #: Inputs of ``other`` that were assumed rather than taken from ``evidence``.
    assumed: tuple[str, ...] = ()
    #: The inputs that matter to the violation (those the criterion concerned reads).
    focus: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"evidence": _plain(self.evidence)}
        if self.focus:
            out["focus"] = list(self.focus)
        if self.other is not None:
            out[self.other_is or "other"] = _plain(self.other)
        if self.assumed:
            out["assumed"] = list(self.assumed)
        return out


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, Mapping):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value


@attrs.frozen
class Finding:
    """A property that does not hold (``severity`` error), or something the run wants
    known (``note``): what, where in the guide, and a counter-example when one exists.

    The message is data — a catalogue key and its values — that the presentation layer
    words in English or Arabic (:mod:`taqyeem_rules.present.testing`)."""

    property: str
    key: str
    values: tuple[tuple[str, Any], ...]
    model: str | None = None
    span: Span | None = attrs.field(default=None, eq=False)
    path: str | None = None
    counterexample: Counterexample | None = None
    severity: str = "error"

    @classmethod
    def of(cls, prop: str, key: str, *, model: str | None = None, span: Span | None = None,
           path: str | None = None, counterexample: Counterexample | None = None,
           severity: str = "error", **values: Any) -> Finding:
        return cls(prop, key, tuple(sorted(values.items())), model, span, path or None, counterexample, severity)

    def mapping(self) -> dict[str, Any]:
        return dict(self.values)

    @property
    def where(self) -> str | None:
        """``file:line:col`` of the guide element concerned (or its path in the guide)."""
        return str(self.span) if self.span is not None else self.path

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "property": self.property,
            "severity": self.severity,
            "key": self.key,
            "values": {k: _plain(v) for k, v in self.values},
            "model": self.model,
            "where": self.where,
        }
        if self.path:
            out["path"] = self.path
        if self.counterexample is not None:
            out["counterexample"] = self.counterexample.to_dict()
        return out


@attrs.frozen
class CheckRun:
    """One property checked on one model: how many examples, and how many findings."""

    property: str
    model: str | None
    examples: int
    findings: int
    static: bool = False
    #: For ``monotonicity``: on how many examples each input was improved with every
    #: criterion's applicability unchanged (so the total and tier were compared).
    tried: tuple[tuple[str, int], ...] = ()

    def to_dict(self) -> dict[str, Any]:
        out = {"property": self.property, "model": self.model, "examples": self.examples,
               "findings": self.findings, "static": self.static, "ok": not self.findings}
        if self.tried:
            out["tried"] = dict(self.tried)
        return out


@attrs.frozen
class VerifyReport:
    """What :func:`verify` found: every property run, its findings and notes, and how to
    reproduce it (the seed, the hypothesis version, the examples per property)."""

    edition: str
    fingerprint: str
    seed: int
    hypothesis: str
    max_examples: int
    runs: tuple[CheckRun, ...]
    findings: tuple[Finding, ...]
    notes: tuple[Finding, ...] = ()
    against: str | None = None
    against_fingerprint: str | None = None

    @property
    def ok(self) -> bool:
        """True when every property holds."""
        return not self.findings

    def to_dict(self) -> dict[str, Any]:
        return {
            "edition": self.edition,
            "fingerprint": self.fingerprint,
            "against": None if self.against is None else {"edition": self.against,
                                                          "fingerprint": self.against_fingerprint},
            "seed": self.seed,
            "hypothesis": self.hypothesis,
            "max_examples": self.max_examples,
            "ok": self.ok,
            "runs": [r.to_dict() for r in self.runs],
            "findings": [f.to_dict() for f in self.findings],
            "notes": [f.to_dict() for f in self.notes],
        }


# ---- running hypothesis ----------------------------------------------------------------------


class Violation(Exception):
    """Raised inside a property run: the check (an input, a criterion, a property) that
    failed, and the finding."""

    def __init__(self, check: str, finding: Finding) -> None:
        super().__init__(check)
        self.check, self.finding = check, finding


@attrs.define
class Probe:
    """What a property's body sees: the checks still active, the one hypothesis is
    shrinking (``focus``), and how many examples ran before a violation."""

    active: list[str]
    focus: str | None = None
    examples: int = 0
    #: How many examples exercised each check (counted before any violation).
    tried: dict[str, int] = attrs.field(factory=dict)

    def count(self, check: str) -> None:
        """Note that ``check`` was exercised on this example."""
        if self.focus is None:
            self.tried[check] = self.tried.get(check, 0) + 1

    def wants(self, check: str) -> bool:
        """Whether to test ``check`` on this example: while a violation is shrunk, only
        the violated check is tested (so the shrinker stays on it and is cheap)."""
        return check == self.focus if self.focus is not None else check in self.active

    def fail(self, check: str, finding: Finding) -> None:
        if self.focus is None:
            self.focus = check
        raise Violation(check, finding)


def hypothesis_version() -> str:
    """The version of hypothesis (a seed reproduces a run only within one version)."""
    import hypothesis

    return hypothesis.__version__


#: Wide enough to add and compare 34-digit values exactly (sums of weights, tolerances).
WIDE = decimal.Context(prec=100, Emax=999_999, Emin=-999_999)


def _test_of(body: Callable[[Any, Probe], None], probe: Probe) -> Callable[[Any], None]:
    def test(drawn: Any) -> None:
        if probe.focus is None:
            probe.examples += 1
        with decimal.localcontext(WIDE):  # never the caller's context (28 digits by default)
            body(drawn, probe)

    return test


def run_property(strategy: Any, body: Callable[[Any, Probe], None], checks: Sequence[str], *,
                 seed: int, max_examples: int) -> tuple[list[Finding], Probe]:
    """Run ``body`` on examples drawn from ``strategy`` until no active check fails; each
    violation is shrunk, recorded, and its check retired before the next run. Returns the
    findings and the probe of the last run (its examples, what they exercised)."""
    from hypothesis import HealthCheck, Phase, Verbosity, given, settings
    from hypothesis import seed as hseed

    config = settings(
        max_examples=max_examples,
        deadline=None,
        database=None,
        derandomize=False,
        phases=(Phase.generate, Phase.shrink),
        suppress_health_check=list(HealthCheck),
        report_multiple_bugs=False,
        verbosity=Verbosity.quiet,
        print_blob=False,
    )
    active = list(checks)
    findings: list[Finding] = []
    probe = Probe(active)
    with _no_local_constants():
        while active and len(findings) < MAX_FINDINGS:
            probe = Probe(active)
            run = hseed(seed)(config(given(strategy)(_test_of(body, probe))))
            try:
                run()
            except Violation as v:
                findings.append(v.finding)
                active.remove(v.check)
                continue
            break
    return findings, probe


@contextlib.contextmanager
def _no_local_constants() -> Iterator[None]:
    """Draw from the seed and the guide alone.

    Hypothesis (since 6.131) mixes into its draws constants it harvests from the source of
    every "local" module loaded in the process — which modules those are depends on what
    was imported before (the command line loads more than the API), on how this package
    was installed (editable: local; a wheel: not) and on the caller's own code. A seeded
    run would then find different examples in different processes. For the run, the pool
    of local constants is empty and hypothesis's cache of permitted constants is cleared
    before and after (it may hold local constants from an earlier run, and must not keep
    ours). Hypothesis is pinned (pyproject.toml), so these internals are the ones read."""
    from hypothesis.internal.conjecture import providers

    empty = providers.Constants()
    saved = providers._get_local_constants
    providers.CONSTANTS_CACHE.cache.clear()
    providers._get_local_constants = lambda: empty
    try:
        yield
    finally:
        providers._get_local_constants = saved
        providers.CONSTANTS_CACHE.cache.clear()


# ---- static properties -------------------------------------------------------------------------


def _tier_findings(guide: Guide, model: Model) -> list[Finding]:
    out = []
    bound = highest_total(model, guide)
    for k, t in enumerate(model.tiers):
        if k and t.min > model.tiers[k - 1].min:
            before = model.tiers[k - 1]
            out.append(Finding.of("tiers", "verify.tier.order", model=model.id, span=t.span, path=t.path,
                                  tier=t.id, min=t.min, previous=before.id, previous_min=before.min))
        if bound.reported < t.min:
            short = sorted((c for c in model.criteria() if bound.points[c.id] < guide.points.max),
                           key=lambda c: (-c.weight, c.id))
            out.append(Finding.of("tiers", "verify.tier.unreachable", model=model.id, span=t.span, path=t.path,
                                  tier=t.id, min=t.min, highest=bound.reported,
                                  limited=", ".join(f"{c.id} ≤ {canonical(bound.points[c.id])}" for c in short[:5])
                                  + (f" (+{len(short) - 5})" if len(short) > 5 else "")))
    return out


def _row_findings(guide: Guide, model: Model) -> list[Finding]:
    out = []
    for c in model.criteria():
        kind = c.kind_object
        table = kind.table(c.params) if kind is not None else None
        reach = live_rows(c, guide)
        if table is None or reach is None:
            continue
        domains = table_domains(c, guide) or []
        tested = "; ".join(
            f"{d.name} in [{canonical(d.low) if d.low is not None else '-∞'}, "
            f"{canonical(d.high) if d.high is not None else '∞'}]" if d.kind != "boolean" else f"{d.name}: true or false"
            for d in domains
        )
        for k, found in enumerate(reach):
            if found is not None:
                continue
            row = table.rows[k]
            alone = reach_alone(table, domains, k)
            out.append(Finding.of(
                "rows", "verify.row.dead" if not alone else "verify.row.shadowed", model=model.id,
                span=row.span or c.span, path=row.path or c.path, criterion=c.id, row=k + 1,
                cells=" | ".join(unparse(cell) for cell in row.when), tested=tested,
            ))
    return out


def reach_alone(table: Any, domains: list[Any], k: int) -> bool:
    """Whether row ``k`` matches some value on its own (it is then shadowed by the rows
    above it, not dead)."""
    from ..guide.tables import row_reach

    single = attrs.evolve(table, rows=(table.rows[k],), hit="first")
    found = row_reach(single, domains)
    return bool(found and found[0] is not None)


# ---- dynamic properties --------------------------------------------------------------------------


def _data(ev: Mapping[str, Any]) -> dict[str, Any]:
    return {"centre": dict(ev["centre"]), "model": ev["model"], "edition": ev["edition"],
            "inputs": dict(ev["inputs"])}


def _score(guide: Guide, data: Mapping[str, Any], **kw: Any) -> Result:
    return score(guide, data, trace=True, **kw)


def _tolerance(guide: Guide, terms: int) -> Decimal:
    """How far a sum of ``terms`` values, each rounded to the guide's precision, may be
    from the exact sum."""
    return Decimal(terms + 1).scaleb(4 - guide.numbers.precision)


def _general_body(guide: Guide, model: Model) -> Callable[[Any, Probe], None]:
    from hypothesis import strategies as st

    def body(drawn: Any, probe: Probe) -> None:
        data, ev = drawn
        ev = _data(ev)
        try:
            r = _score(guide, ev)
        except ScoringError as exc:
            if probe.wants("scoring"):
                d = exc.primary
                crit = next((c for c in model.criteria() if d.path and c.path == d.path), None)
                focus = crit.reads() if crit is not None else ()
                probe.fail("scoring", Finding.of("scoring", "verify.scoring", model=model.id, span=d.span,
                                                 path=d.path, counterexample=Counterexample(ev, focus=focus),
                                                 error=d.message, code=d.code))
            return
        if probe.wants("ranges"):
            _ranges(guide, model, r, ev, probe)
        if probe.wants("weights"):
            applicable = [c for c in r.criteria if c.effective_weight is not None]
            total_w = sum((c.effective_weight for c in applicable), Decimal(0))  # type: ignore[misc]
            if abs(total_w - 100) > _tolerance(guide, len(applicable)):
                probe.fail("weights", Finding.of("weights", "verify.weights", model=model.id, span=model.span,
                                                 path=model.path, counterexample=Counterexample(ev), sum=total_w))
            contrib = sum((c.contribution for c in applicable), Decimal(0))  # type: ignore[misc]
            if abs(contrib - r.total_exact) > _tolerance(guide, len(applicable)):
                probe.fail("weights", Finding.of("weights", "verify.contributions", model=model.id, span=model.span,
                                                 path=model.path, counterexample=Counterexample(ev), sum=contrib,
                                                 total=r.total_exact))
        if probe.wants("order"):
            keys = data.draw(st.permutations(sorted(ev["inputs"])), label="key order")
            shuffled = {k: _reorder(ev["inputs"][k], data) for k in keys}
            again = _score(guide, {**ev, "inputs": shuffled})
            a = json.dumps(r.to_dict(), ensure_ascii=False)
            b = json.dumps(again.to_dict(), ensure_ascii=False)
            if a != b:
                at = next((k for k, (x, y) in enumerate(zip(a, b)) if x != y), min(len(a), len(b)))
                probe.fail("order", Finding.of("order", "verify.order", model=model.id, span=model.span,
                                               path=model.path,
                                               counterexample=Counterexample(ev, {**ev, "inputs": shuffled}, "reordered"),
                                               near=a[max(0, at - 30):at + 30]))

    return body


def _reorder(value: Any, data: Any) -> Any:
    from hypothesis import strategies as st

    if isinstance(value, dict) and len(value) > 1:
        keys = data.draw(st.permutations(sorted(value)), label="item order")
        return {k: value[k] for k in keys}
    return value


def _ranges(guide: Guide, model: Model, r: Result, ev: Mapping[str, Any], probe: Probe) -> None:
    p = guide.points
    hundred = Decimal(100)

    def fail(key: str, span: Any, path: str, **values: Any) -> None:
        probe.fail("ranges", Finding.of("ranges", key, model=model.id, span=span, path=path,
                                        counterexample=Counterexample(ev), **values))

    for c in r.criteria:
        crit = c.criterion
        if c.points is not None and not p.min <= c.points <= p.max:
            fail("verify.range.points", crit.span if crit else None, crit.path if crit else c.id,
                 criterion=c.id, points=c.points, min=p.min, max=p.max)
        if c.percentage is not None and not 0 <= c.percentage <= hundred:
            fail("verify.range.percentage", crit.span if crit else None, crit.path if crit else c.id,
                 criterion=c.id, percentage=c.percentage)
        if c.contribution is not None and c.effective_weight is not None and not (
            0 <= c.contribution <= c.effective_weight + _tolerance(guide, 1)
        ):
            fail("verify.range.contribution", crit.span if crit else None, crit.path if crit else c.id,
                 criterion=c.id, contribution=c.contribution, weight=c.effective_weight)
    for cat in r.categories:
        if cat.score_exact is not None and not 0 <= cat.score_exact <= hundred:
            where = cat.category
            fail("verify.range.category", where.span if where else None, where.path if where else cat.id,
                 category=cat.id, score=cat.score_exact)
    if not 0 <= r.total_exact <= hundred:
        fail("verify.range.total", model.span, model.path, total=r.total_exact)
    b = r.basic_attainment_exact
    if b is not None and not 0 <= b <= hundred:
        fail("verify.range.basic", model.span, model.path, value=b)


# ---- monotonicity --------------------------------------------------------------------------------


def cut_points(guide: Guide, model: Model) -> dict[str, tuple[Decimal, ...]]:
    """For each numeric input, the constants it is compared with — the cells of the
    decision tables that test it, the comparisons of the expressions that read it — and
    the values just either side of them: where a score can jump, so where generated
    evidence should often land."""
    from ..dsl import nodes as n
    from ..guide.tables import constants

    found: dict[str, set[Decimal]] = {}
    inputs = {i.id: i for i in guide.inputs if i.type in ("number", "integer", "percent")}
    for c in model.criteria():
        kind = c.kind_object
        table = kind.table(c.params) if kind is not None else None
        if table is not None:
            for j, on in enumerate(table.on):
                if isinstance(on.node, n.Name) and on.node.name in inputs:
                    for row in table.rows:
                        found.setdefault(on.node.name, set()).update(constants(row.when[j]) or ())
        for node in c.expressions():
            for sub in n.walk(node):
                if isinstance(sub, n.Compare):
                    pairs = ((sub.left, sub.right), (sub.right, sub.left))
                    for a, b in pairs:
                        if isinstance(a, n.Name) and a.name in inputs and isinstance(b, n.Num):
                            found.setdefault(a.name, set()).add(b.value)
    out: dict[str, tuple[Decimal, ...]] = {}
    for ident, cuts in found.items():
        lo, hi = inputs[ident].bounds
        out[ident] = tuple(sorted(Decimal(canonical(c)) for c in cuts
                                  if (lo is None or c >= lo) and (hi is None or c <= hi)))
    return out


def _step(inp: Input) -> Decimal:
    return Decimal(1) if inp.type == "integer" else Decimal("0.01")


def _admissible(inp: Input, x: Decimal) -> bool:
    lo, hi = inp.bounds
    return (lo is None or x >= lo) and (hi is None or x <= hi) and (
        inp.type != "integer" or x == x.to_integral_value())


def near_cuts(inp: Input, cuts: Sequence[Decimal]) -> tuple[Decimal, ...]:
    """Each cut point and the values just either side of it, where admissible."""
    step = _step(inp)
    return tuple(sorted({x for c in cuts for x in (c - step, c, c + step) if _admissible(inp, x)}))


def next_piece(inp: Input, value: Decimal, cuts: Sequence[Decimal]) -> tuple[Decimal, ...]:
    """The values just across the nearest cut point on the better side of ``value`` — on
    it and one step beyond — so that every step of a table is tried from every value: a
    score that falls anywhere along the better direction falls between neighbours."""
    higher = inp.better == "higher"
    ahead = [c for c in cuts if (c > value if higher else c < value)]
    if not ahead:
        return ()
    c = min(ahead) if higher else max(ahead)
    beyond = c + _step(inp) if higher else c - _step(inp)
    return tuple(x for x in (c, beyond) if _admissible(inp, x))


def _better_number(inp: Input, kind: str, value: Decimal, data: Any, label: str,
                   cuts: Sequence[Decimal] = ()) -> Decimal | None:
    """A value better than ``value`` for a numeric input (None when none is): as often just
    across one of the nearest cut points as anywhere in the range."""
    from hypothesis import strategies as st

    lo, hi = inp.bounds
    higher = inp.better == "higher"
    if kind == "integer":
        if higher:
            top = int(hi) if hi is not None else int(value) + 1000
            if value >= top:
                return None
            anywhere = st.integers(int(value) + 1, top).map(Decimal)
        else:
            bottom = int(lo) if lo is not None else int(value) - 1000
            if value <= bottom:
                return None
            anywhere = st.integers(bottom, int(value) - 1).map(Decimal)
    else:
        step = Decimal("0.01")
        if higher:
            top = hi if hi is not None else value + 1000
            if value + step > top:
                return None
            anywhere = st.decimals(value + step, top, places=2, allow_nan=False, allow_infinity=False)
        else:
            bottom = lo if lo is not None else value - 1000
            if value - step < bottom:
                return None
            anywhere = st.decimals(bottom, value - step, places=2, allow_nan=False, allow_infinity=False)
    # The nearest few cut values on the better side: the next step of a table, where a
    # score that should rise can fall (a fall anywhere shows as a fall between neighbours).
    near = sorted((c for c in near_cuts(inp, cuts) if (c > value if higher else c < value)),
                  key=lambda c: abs(c - value))[:3]
    got = data.draw(st.one_of(st.sampled_from(near), anywhere) if near else anywhere, label=label)
    return got.normalize() if got else Decimal(0)


def improve(inp: Input, value: Any, data: Any, cuts: Sequence[Decimal] = ()) -> Any:
    """A value of ``inp`` better than ``value`` in the direction it declares (drawn from
    ``data``), or None when ``value`` cannot be improved. Numbers move that way (landing
    on or next to one of ``cuts`` half the time); a boolean turns true (``higher``) or
    false; a checklist ticks (or unticks) some items; a list or ratings improve some of
    their values, keeping their length and assessors."""
    from hypothesis import strategies as st

    higher = inp.better == "higher"
    label = f"improve {inp.id}"
    if inp.type in ("number", "integer", "percent"):
        return _better_number(inp, inp.type, value, data, label, cuts)
    if inp.type == "boolean":
        return higher if value is (not higher) else None
    if inp.type == "checklist":
        can = [k for k, v in value.items() if v is (not higher)]
        if not can:
            return None
        flip = data.draw(st.lists(st.sampled_from(can), min_size=1, unique=True), label=label)
        return {k: (higher if k in flip else v) for k, v in value.items()}
    if inp.type in ("list", "ratings"):
        numbers = [v["rating"] for v in value] if inp.type == "ratings" else list(value)
        kind = "number" if inp.type == "ratings" else (inp.of or "number")
        better = [_better_number(inp, kind, v, data, f"{label}[{k}]") for k, v in enumerate(numbers)]
        can = [k for k, b in enumerate(better) if b is not None]
        if not can:
            return None
        chosen = set(data.draw(st.lists(st.sampled_from(can), min_size=1, unique=True), label=label))
        new = [better[k] if k in chosen else v for k, v in enumerate(numbers)]
        if inp.type == "ratings":
            return [{**item, "rating": x} for item, x in zip(value, new, strict=True)]
        return new
    return None


def _applies(status: str) -> bool:
    return status in ("scored", "missing_zero")


def _tier_rank(model: Model, tier: str | None) -> int:
    ids = [t.id for t in model.tiers]
    return ids.index(tier) if tier in ids else len(ids)


def _monotone_body(guide: Guide, model: Model, inputs: Sequence[Input]) -> Callable[[Any, Probe], None]:
    from hypothesis import strategies as st

    readers = {i.id: [c for c in model.criteria() if i.id in c.reads()] for i in inputs}
    cuts = cut_points(guide, model)

    def body(drawn: Any, probe: Probe) -> None:
        data, ev = drawn
        ev = _data(ev)
        for inp in inputs:  # start on or next to a cut point half the time
            near = near_cuts(inp, cuts.get(inp.id, ()))
            if near and ev["inputs"].get(inp.id) is not None and data.draw(st.booleans(), label=f"near a cut: {inp.id}"):
                ev["inputs"][inp.id] = data.draw(st.sampled_from(near), label=inp.id)
        try:
            base = _score(guide, ev)
        except ScoringError:
            return  # reported by `scoring`
        before = {c.id: c for c in base.criteria}
        for inp in inputs:
            value = ev["inputs"].get(inp.id)
            if value is None:
                continue
            drawn_new = improve(inp, value, data, cuts.get(inp.id, ()))
            if not probe.wants(inp.id):
                continue
            tries = [drawn_new] if drawn_new is not None else []
            if isinstance(value, Decimal):
                tries += [x for x in next_piece(inp, value, cuts.get(inp.id, ())) if x not in tries]
            for new in tries:
                check(inp, value, new, ev, base, before, probe)

    def check(inp: Input, value: Any, new: Any, ev: dict[str, Any], base: Result, before: dict[str, Any],
              probe: Probe) -> None:
        improved = {**ev, "inputs": {**ev["inputs"], inp.id: new}}
        try:
            after_r = _score(guide, improved)
        except (ScoringError, EvidenceError):
            return
        after = {c.id: c for c in after_r.criteria}
        fixed = all(_applies(before[k].status) == _applies(after[k].status) for k in before)
        example = Counterexample(ev, improved, "improved", focus=(inp.id,))
        common = {"input": inp.id, "direction": inp.better, "before": value, "after": new}
        for c in readers[inp.id]:
            b, a = before[c.id], after[c.id]
            if not (_applies(b.status) and _applies(a.status)):
                continue
            if a.points is not None and b.points is not None and a.points < b.points:
                example = attrs.evolve(example, focus=(inp.id, *(x for x in c.reads() if x != inp.id)))
                row = a.row
                table = c.kind_object.table(c.params) if c.kind_object is not None else None
                where = table.rows[row - 1] if table is not None and row is not None else c
                probe.fail(inp.id, Finding.of(
                    "monotonicity", "verify.monotone.criterion", model=model.id, span=where.span or c.span,
                    path=where.path or c.path, counterexample=example, criterion=c.id, old=b.points,
                    new=a.points, row=row, **common))
        if not fixed:
            return
        probe.count(inp.id)
        if after_r.total_exact < base.total_exact:
            probe.fail(inp.id, Finding.of(
                "monotonicity", "verify.monotone.total", model=model.id, span=inp.span, path=inp.path,
                counterexample=example, old=base.total_exact, new=after_r.total_exact, **common))
        if _tier_rank(model, after_r.tier_id) > _tier_rank(model, base.tier_id):
            tier = after_r.tier or base.tier
            probe.fail(inp.id, Finding.of(
                "monotonicity", "verify.monotone.tier", model=model.id,
                span=(tier.span if tier is not None else inp.span), path=tier.path if tier else inp.path,
                counterexample=example, old=base.tier_id, new=after_r.tier_id, **common))

    return body


# ---- the whole run ------------------------------------------------------------------------------


def _strategy(guide: Guide, model: Model) -> Any:
    from hypothesis import strategies as st

    from ..guide.generate import evidence_strategy

    return st.tuples(st.data(), evidence_strategy(guide, model))


def better_inputs(guide: Guide, model: Model) -> list[Input]:
    """The inputs a model reads that declare ``better`` (in the guide's order)."""
    from ..guide.evidence import model_inputs

    return [i for i in model_inputs(guide, model) if i.better is not None and input_type(i).name != "counts"]


@in_analysis_context
def verify(
    guide: Guide,
    *,
    against: Guide | None = None,
    seed: int = DEFAULT_SEED,
    max_examples: int = DEFAULT_EXAMPLES,
    properties: Sequence[str] | None = None,
    progress: Callable[[str, int, int], None] | None = None,
) -> VerifyReport:
    """Check the properties of :data:`PROPERTIES` on a guide (and, with ``against``, the
    locality of its amendments over that older guide), on ``max_examples`` examples of
    generated evidence per property and model, seeded by ``seed``. ``properties`` limits
    the run to some of them; ``progress(name, done, total)`` is called as they run."""
    if isinstance(max_examples, bool) or not isinstance(max_examples, int) or max_examples < 1:
        raise UsageError(f"max_examples must be a whole number of 1 or more, not {max_examples!r}",
                         code="usage.max-examples", hint="e.g. 100 (the default)")
    if isinstance(seed, bool) or not isinstance(seed, int) or seed < 0:
        raise UsageError(f"seed must be a whole number of 0 or more, not {seed!r}", code="usage.seed")
    wanted = list(PROPERTIES if properties is None else properties)
    unknown = [p for p in wanted if p not in PROPERTIES]
    if unknown:
        from ..dsl.checker import did_you_mean

        raise UsageError(f"unknown property {unknown[0]!r}", code="usage.property",
                         hint=did_you_mean(unknown[0], PROPERTIES) or "properties: " + ", ".join(PROPERTIES))
    if against is None:
        wanted = [p for p in wanted if p not in ("locality", "diff")]

    steps: list[tuple[str, Model | None]] = []
    for model in guide.models:
        steps += [(p, model) for p in ("tiers", "rows") if p in wanted]
    dynamic = [p for p in ("scoring", "ranges", "weights", "order") if p in wanted]
    for model in guide.models:
        if dynamic:
            steps.append(("general", model))
        if "monotonicity" in wanted and better_inputs(guide, model):
            steps.append(("monotonicity", model))
    locality_steps: list[Any] = []
    notes: list[Finding] = []
    if against is not None and ("locality" in wanted or "diff" in wanted):
        from .locality import plan_locality

        plan = plan_locality(guide, against)
        notes.extend(plan.notes)
        if "diff" in wanted and plan.amended:
            steps.append(("diff", None))
        if "locality" in wanted:
            locality_steps = list(plan.models)
            steps += [("locality", m) for m in locality_steps]

    runs: list[CheckRun] = []
    findings: list[Finding] = []
    for done, (name, model) in enumerate(steps):
        if progress is not None:
            progress(f"{name} {model.id if model is not None else ''}".strip(), done, len(steps))
        if name == "tiers" and model is not None:
            found = _tier_findings(guide, model)
            runs.append(CheckRun("tiers", model.id, 0, len(found), True))
        elif name == "rows" and model is not None:
            found = _row_findings(guide, model)
            runs.append(CheckRun("rows", model.id, 0, len(found), True))
        elif name == "general" and model is not None:
            found, probe = run_property(_strategy(guide, model), _general_body(guide, model), dynamic,
                                        seed=seed, max_examples=max_examples)
            for p in dynamic:
                runs.append(CheckRun(p, model.id, probe.examples, sum(1 for f in found if f.property == p)))
        elif name == "monotonicity" and model is not None:
            inputs = better_inputs(guide, model)
            found, probe = run_property(_strategy(guide, model), _monotone_body(guide, model, inputs),
                                        [i.id for i in inputs], seed=seed, max_examples=max_examples)
            tried = tuple((i.id, probe.tried.get(i.id, 0)) for i in inputs)
            runs.append(CheckRun("monotonicity", model.id, probe.examples, len(found), tried=tried))
        elif name == "diff":
            found = plan.diff_findings
            runs.append(CheckRun("diff", None, 0, len(found), True))
        else:
            from .locality import run_locality

            assert model is not None
            found, examples, more = run_locality(plan, model, seed=seed, max_examples=max_examples)
            notes.extend(more)
            runs.append(CheckRun("locality", model.id, examples, len(found)))
        findings.extend(found)
    if progress is not None:
        progress("done", len(steps), len(steps))
    return VerifyReport(
        edition=guide.edition,
        fingerprint=guide.fingerprint,
        seed=seed,
        hypothesis=hypothesis_version(),
        max_examples=max_examples,
        runs=tuple(runs),
        findings=tuple(findings),
        notes=tuple(notes),
        against=against.edition if against is not None else None,
        against_fingerprint=against.fingerprint if against is not None else None,
    )

