"""Write the golden result of every bundled example (tests/conformance/golden/), and the
test case that states it next to the guide (criteria/<edition>/tests/, read by
``taqyeem test``).

    python tests/conformance/make_goldens.py

Run it only when a change to the results is intended, and review the diff: the goldens
pin every number, status, row and contribution of every example centre; the cases pin
the headline numbers, the tier, the flags, every category score and every criterion's
points (with its status when it was not simply scored, and its row when a decision table
gave the points).
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT / "src"))

from taqyeem_rules import load_evidences, load_guide  # noqa: E402
from taqyeem_rules.dsl.nodes import format_number  # noqa: E402
from taqyeem_rules.dsl.numbers import canonical  # noqa: E402
from taqyeem_rules.guide.loader import bundled_editions, criteria_root  # noqa: E402

CASE_HEADER = """\
# yaml-language-server: $schema=../../../src/taqyeem_rules/guide/case.schema.json
#
# The expected outcome of an example centre, examples/{name}.yaml:
# its golden result (tests/conformance/golden/{edition}/{name}.json) as a test
# case that `taqyeem test {edition}` checks. Written by tests/conformance/make_goldens.py.
"""

_DEMONSTRATES = re.compile(r"^# Demonstrates: (.+?)$((?:\n#.*$)*)", re.MULTILINE)


def golden_text(result: object) -> str:
    return json.dumps(result.to_dict(), sort_keys=True, ensure_ascii=False, indent=1) + "\n"  # type: ignore[attr-defined]


def _number(value: object) -> str:
    return "null" if value is None else format_number(value)  # type: ignore[arg-type]


def _string(text: str) -> str:
    return json.dumps(text, ensure_ascii=False)


def _description(evidence_text: str) -> str | None:
    m = _DEMONSTRATES.search(evidence_text)
    if m is None:
        return None
    more = " ".join(line.lstrip("#").strip() for line in m.group(2).splitlines() if line.strip())
    return " ".join((m.group(1) + " " + more).split())


def case_text(edition: str, name: str, evidence_text: str, result: object) -> str:
    """The test case of one example, as ``make_goldens`` writes it."""
    r = result
    lines = [CASE_HEADER.format(name=name, edition=edition).rstrip("\n")]
    lines.append(f"name: {_string(name)}")
    description = _description(evidence_text)
    if description:
        lines.append(f"description: {_string(description)}")
    lines.append(f"evidence: ../examples/{name}.yaml")
    lines.append("expect:")
    lines.append(f"  model: {r.model}")  # type: ignore[attr-defined]
    lines.append(f"  total: {_number(r.total)}")  # type: ignore[attr-defined]
    lines.append(f"  total_exact: {canonical(r.total_exact)}")  # type: ignore[attr-defined]
    lines.append(f"  basic_attainment: {_number(r.basic_attainment)}")  # type: ignore[attr-defined]
    lines.append(f"  tier: {r.tier_id or 'null'}")  # type: ignore[attr-defined]
    flags = ", ".join(f"{k}: {'null' if v is None else str(v).lower()}" for k, v in r.flags.items())  # type: ignore[attr-defined]
    lines.append(f"  flags: {{{flags}}}")
    lines.append("  categories:")
    for c in r.categories:  # type: ignore[attr-defined]
        lines.append(f"    {c.id}: {_number(c.score)}")
    lines.append("  criteria:")
    for c in r.criteria:  # type: ignore[attr-defined]
        parts = []
        if c.status != "scored":
            parts.append(f"status: {c.status}")
        if c.row is not None:
            parts.append(f"row: {c.row}")
        points = "null" if c.points is None else canonical(c.points)
        if parts:
            lines.append(f"    {c.id}: {{points: {points}, {', '.join(parts)}}}")
        else:
            lines.append(f"    {c.id}: {points}")
    return "\n".join(lines) + "\n"


BLOCK_START = "<!-- coverage: written by tests/conformance/make_goldens.py; do not edit -->"
BLOCK_END = "<!-- coverage: end -->"


def coverage_block(edition: str) -> str:
    """What the edition's README says of its test cases and their coverage: the summary
    and the coverage table of `taqyeem test EDITION --format markdown`."""
    from taqyeem_rules.engine.testing import run_cases
    from taqyeem_rules.guide.cases import cases_folder, load_cases
    from taqyeem_rules.present.testing import case_report_markdown

    guide = load_guide(edition)
    report = run_cases(guide, load_cases([cases_folder(edition)], guide))
    text = case_report_markdown(report, "en", unreached=False)
    summary = text.split("\n")[2]
    coverage = text[text.index("## Coverage") + 3:]
    head, _, table = coverage.partition("\n\n")
    missed = len(report.coverage.unreached)
    return "\n".join([
        BLOCK_START,
        f"`taqyeem test {edition}` runs the cases in `tests/` (one per example, its golden result as",
        f"the expected outcome): {summary}. {head}:",
        "",
        table.strip(),
        "",
        f"The {missed} targets no case reaches are listed, each with its line in the guide, by",
        f"`taqyeem test {edition}`.",
        BLOCK_END,
    ])


def write_coverage(edition: str) -> None:
    readme = criteria_root() / edition / "README.md"
    text = readme.read_text(encoding="utf-8")
    start, end = text.index(BLOCK_START), text.index(BLOCK_END) + len(BLOCK_END)
    readme.write_text(text[:start] + coverage_block(edition) + text[end:], encoding="utf-8")


def main() -> None:
    for edition in bundled_editions():
        guide = load_guide(edition)
        out = HERE / "golden" / edition
        cases = criteria_root() / edition / "tests"
        for folder in (out, cases):
            folder.mkdir(parents=True, exist_ok=True)
        for old in [*out.glob("*.json"), *cases.glob("*.yaml")]:
            old.unlink()
        for ev in load_evidences([criteria_root() / edition / "examples"], guide):
            path = Path(ev.path or ev.centre_id)
            name = path.stem
            result = guide.score(ev)
            (out / f"{name}.json").write_text(golden_text(result), encoding="utf-8")
            evidence_text = (criteria_root() / edition / "examples" / f"{name}.yaml").read_text(encoding="utf-8")
            (cases / f"{name}.yaml").write_text(case_text(edition, name, evidence_text, result), encoding="utf-8")
        write_coverage(edition)
        print(edition, len(list(out.glob("*.json"))), "goldens and cases; README coverage")


if __name__ == "__main__":
    main()
