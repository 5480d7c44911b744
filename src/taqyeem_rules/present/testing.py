"""What people read of ``taqyeem test`` and ``taqyeem verify``, in English and Arabic.

The core returns data (:class:`~taqyeem_rules.engine.testing.CaseReport`,
:class:`~taqyeem_rules.engine.verify.VerifyReport`); this module words it: rich
renderables for the terminal, Markdown, and the JSON data with every finding's message
in the language asked for. The wording lives in :data:`MESSAGES`, registered in the
one catalogue (:mod:`taqyeem_rules.present.catalogue`).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from ..dsl.nodes import format_number
from ..dsl.numbers import canonical
from ..engine.testing import CaseReport, CoverageTarget, percent
from ..engine.verify import Finding, VerifyReport
from ..guide.cases import Expectation
from ..guide.model import Text
from .catalogue import Catalogue, catalogue

__all__ = [
    "MESSAGES",
    "case_report_data",
    "case_report_markdown",
    "case_report_rich",
    "counterexample_files",
    "finding_text",
    "target_text",
    "verify_data",
    "verify_markdown",
    "verify_rich",
]

MESSAGES: dict[str, dict[str, str]] = {
    "en": {
        # taqyeem test
        "test.title": "Test cases of guide {edition}",
        "test.summary": "{cases} case(s): {passed} passed, {failed} failed",
        "test.case": "Case",
        "test.centre": "Centre",
        "test.model": "Model",
        "test.total": "Total",
        "test.tier": "Tier",
        "test.checked": "Checked",
        "test.result": "Result",
        "test.pass": "pass",
        "test.fail": "FAIL",
        "test.mismatches": "Mismatches",
        "test.mismatch": "{case}: {label}: expected {expected}, got {actual}{tolerance}",
        "test.tolerance": " (tolerance {tolerance})",
        "test.error": "{case}: could not be scored: {message}",
        "test.what.model": "model",
        "test.what.total": "total",
        "test.what.total_exact": "exact total",
        "test.what.basic_attainment": "basic attainment",
        "test.what.tier": "tier",
        "test.what.flag": "flag {id}",
        "test.what.category": "category {id}",
        "test.what.criterion.points": "criterion {id}: points",
        "test.what.criterion.status": "criterion {id}: status",
        "test.what.criterion.row": "criterion {id}: row",
        "test.none": "none",
        "coverage.title": "Coverage {percent}% ({reached} of {targets})",
        "coverage.model": "Model",
        "coverage.section": "What",
        "coverage.reached": "Reached",
        "coverage.percent": "%",
        "coverage.section.criterion": "criteria scored, not applicable, missing",
        "coverage.section.row": "decision-table rows matched",
        "coverage.section.tier": "tiers awarded (and no tier)",
        "coverage.section.flag": "flags raised and not raised",
        "coverage.section.gate": "tier gates passing and failing",
        "coverage.unreached": "Not reached by any case ({count})",
        "coverage.more": "… and {count} more (--format json lists them all)",
        "coverage.under": "coverage {percent}% is under --fail-under {limit}%",
        "target.criterion.scored": "criterion {id} scored",
        "target.criterion.not_applicable": "criterion {id} not applicable",
        "target.criterion.missing": "criterion {id} missing (its `missing:` policy)",
        "target.row.matched": "row {row} of {id}",
        "target.tier.awarded": "tier {id} awarded",
        "target.tier.none": "no tier",
        "target.flag.raised": "flag {id} raised",
        "target.flag.not_raised": "flag {id} not raised",
        "target.gate.min_passes": "tier {id}: total at or above its min",
        "target.gate.min_fails": "tier {id}: total below its min",
        "target.gate.require_passes": "tier {id}: `require` holds",
        "target.gate.require_fails": "tier {id}: `require` fails",
        # taqyeem verify
        "verify.title": "Verification of guide {edition}",
        "verify.against": "{edition} against {old}",
        "verify.repro": "seed {seed}, hypothesis {hypothesis}, {examples} examples per property and model",
        "verify.property": "Property",
        "verify.model": "Model",
        "verify.examples": "Examples",
        "verify.result": "Result",
        "verify.static": "static",
        "verify.holds": "holds",
        "verify.findings": "{count} finding(s)",
        "verify.notes": "Notes",
        "verify.counterexample": "counter-example",
        "verify.counterexample.old": "as {edition} read it",
        "verify.counterexample.improved": "improved",
        "verify.counterexample.assumed": "assumed: {inputs}",
        "verify.ok": "OK: every property holds",
        "verify.failed": "FAILED: {count} finding(s)",
        "verify.rerun": "reproduce with --seed {seed} and hypothesis {hypothesis}",
        "verify.property.tiers": "every tier can be awarded; tiers in order",
        "verify.property.rows": "every decision-table row can be chosen",
        "verify.property.scoring": "admissible evidence can be scored",
        "verify.property.ranges": "points, scores and totals within their ranges",
        "verify.property.weights": "weights sum to 100 whatever is not applicable",
        "verify.property.order": "the order of keys does not change the result",
        "verify.property.monotonicity": "improving an input never lowers a score",
        "verify.property.locality": "amendments change only the criteria they name",
        "verify.property.diff": "the diff lists exactly what the amendments name",
        "verify.better.higher": "higher",
        "verify.better.lower": "lower",
        "verify.scoring": "evidence the guide admits cannot be scored: {error}",
        "verify.range.points": "criterion `{criterion}` gives {points} points, outside the scale {min} to {max}",
        "verify.range.percentage": "criterion `{criterion}` is at {percentage}%, outside 0 to 100",
        "verify.range.contribution": (
            "criterion `{criterion}` contributes {contribution}, outside 0 to its effective weight {weight}"
        ),
        "verify.range.category": "category `{category}` scores {score}, outside 0 to 100",
        "verify.range.total": "the total is {total}, outside 0 to 100",
        "verify.range.basic": "basic attainment is {value}, outside 0 to 100",
        "verify.weights": "the effective weights of the applicable criteria sum to {sum}, not 100",
        "verify.contributions": "the criteria's contributions sum to {sum}, not the total {total}",
        "verify.order": "the same evidence with its keys in another order gives another result (near: {near})",
        "verify.monotone.criterion": (
            "improving `{input}` ({direction} is better) from {before} to {after} lowers criterion "
            "`{criterion}` from {old} to {new} points"
        ),
        "verify.monotone.total": (
            "improving `{input}` ({direction} is better) from {before} to {after} lowers the total "
            "from {old} to {new}, with every criterion's applicability unchanged"
        ),
        "verify.monotone.tier": (
            "improving `{input}` ({direction} is better) from {before} to {after} lowers the tier "
            "from {old} to {new}, with every criterion's applicability unchanged"
        ),
        "verify.tier.order": (
            "tier `{tier}` (min {min}) is listed after `{previous}` (min {previous_min}): tiers are "
            "tried in order, so list them from the highest min down"
        ),
        "verify.tier.unreachable": (
            "tier `{tier}` needs a total of {min}, but the highest total model `{model}` can give is "
            "{highest} (the criteria held lowest: {limited})"
        ),
        "verify.row.dead": (
            "row {row} of `{criterion}` ({cells}) is never chosen: no admissible value matches it "
            "({tested})"
        ),
        "verify.row.shadowed": (
            "row {row} of `{criterion}` ({cells}) is never chosen: the rows above it take every "
            "admissible value it matches ({tested})"
        ),
        "verify.locality.untouched": (
            "criterion `{criterion}`: no amendment changes it or the inputs it reads, yet its points "
            "differ: {old} under {old_edition}, {new} under {new_edition}"
        ),
        "verify.locality.shared": (
            "amendment {amendment} changes input `{input}`, and through it criterion `{criterion}`, "
            "which no amendment names: its points move from {old} under {old_edition} to {new} under "
            "{new_edition}"
        ),
        "verify.names.extra": "the diff shows {element} `{id}` {change}, but no amendment names it",
        "verify.names.missing": "amendment {amendment} names {element} `{id}`, but the diff shows no change to it",
        "verify.note.not-amendments": (
            "{new} is not written as amendments of {old}: criteria are compared by their definitions, "
            "and the diff is not checked against amendments"
        ),
        "verify.note.global": (
            "amendment {amendments} changes the numbers or the points scale: every score may move, "
            "so points are not compared criterion by criterion"
        ),
        "verify.note.changed": "criteria changed by amendments (not compared): {criteria}",
        "verify.note.locality": "{compared} unchanged criteria kept their points on {examples} examples",
        "verify.note.contributions": (
            "the contributions of {count} unchanged criteria moved, as the amendments {amendments} reweight them"
        ),
        "verify.note.shared-unmoved": (
            "criterion `{criterion}` reads `{input}`, changed by amendment {amendment}; no amendment "
            "names it, and its points did not move on {examples} examples"
        ),
        "verify.note.filled": (
            "assumption: {inputs}, which the {new_edition} evidence lacks or gives in a form {old_edition} "
            "refuses, were drawn from {old_edition}'s own declarations (no criterion compared reads them)"
        ),
    },
    "ar": {
        "test.title": "حالات اختبار الدليل {edition}",
        "test.summary": "{cases} حالة: نجحت {passed}، وفشلت {failed}",
        "test.case": "الحالة",
        "test.centre": "المركز",
        "test.model": "النموذج",
        "test.total": "المجموع",
        "test.tier": "الفئة",
        "test.checked": "القيم المفحوصة",
        "test.result": "النتيجة",
        "test.pass": "نجح",
        "test.fail": "فشل",
        "test.mismatches": "الفروق",
        "test.mismatch": "{case}: {label}: المتوقع {expected}، والناتج {actual}{tolerance}",
        "test.tolerance": " (السماحية {tolerance})",
        "test.error": "{case}: تعذر احتساب الدرجة: {message}",
        "test.what.model": "النموذج",
        "test.what.total": "المجموع",
        "test.what.total_exact": "المجموع الدقيق",
        "test.what.basic_attainment": "نسبة تحقق المعايير الأساسية",
        "test.what.tier": "الفئة",
        "test.what.flag": "المؤشر {id}",
        "test.what.category": "المحور {id}",
        "test.what.criterion.points": "المعيار {id}: النقاط",
        "test.what.criterion.status": "المعيار {id}: الحالة",
        "test.what.criterion.row": "المعيار {id}: الصف",
        "test.none": "لا شيء",
        "coverage.title": "التغطية {percent}٪ ({reached} من {targets})",
        "coverage.model": "النموذج",
        "coverage.section": "العنصر",
        "coverage.reached": "المبلوغ",
        "coverage.percent": "٪",
        "coverage.section.criterion": "المعايير: محتسبة، لا تنطبق، مفقودة",
        "coverage.section.row": "صفوف جداول القرار المطابقة",
        "coverage.section.tier": "الفئات الممنوحة (وبلا فئة)",
        "coverage.section.flag": "المؤشرات مرفوعة وغير مرفوعة",
        "coverage.section.gate": "شروط الفئات متحققة وغير متحققة",
        "coverage.unreached": "لم تبلغه أي حالة ({count})",
        "coverage.more": "… و{count} غيرها (يسردها كلها الخيار ‎--format json)",
        "coverage.under": "التغطية {percent}٪ أقل من الحد المطلوب ‎--fail-under {limit}٪",
        "target.criterion.scored": "احتساب المعيار {id}",
        "target.criterion.not_applicable": "عدم انطباق المعيار {id}",
        "target.criterion.missing": "فقد بيانات المعيار {id} (سياسة `missing:`)",
        "target.row.matched": "الصف {row} من {id}",
        "target.tier.awarded": "منح الفئة {id}",
        "target.tier.none": "بلا فئة",
        "target.flag.raised": "رفع المؤشر {id}",
        "target.flag.not_raised": "عدم رفع المؤشر {id}",
        "target.gate.min_passes": "الفئة {id}: المجموع يبلغ حدها الأدنى",
        "target.gate.min_fails": "الفئة {id}: المجموع دون حدها الأدنى",
        "target.gate.require_passes": "الفئة {id}: الشرط `require` متحقق",
        "target.gate.require_fails": "الفئة {id}: الشرط `require` غير متحقق",
        "verify.title": "التحقق من الدليل {edition}",
        "verify.against": "{edition} مقارنة بالإصدار {old}",
        "verify.repro": "البذرة {seed}، hypothesis {hypothesis}، {examples} مثالاً لكل خاصية ونموذج",
        "verify.property": "الخاصية",
        "verify.model": "النموذج",
        "verify.examples": "الأمثلة",
        "verify.result": "النتيجة",
        "verify.static": "تحليل ثابت",
        "verify.holds": "متحققة",
        "verify.findings": "{count} مخالفة",
        "verify.notes": "ملاحظات",
        "verify.counterexample": "مثال مضاد",
        "verify.counterexample.old": "كما يقرؤه الإصدار {edition}",
        "verify.counterexample.improved": "بعد التحسين",
        "verify.counterexample.assumed": "قيم مفترضة: {inputs}",
        "verify.ok": "سليم: كل الخصائص متحققة",
        "verify.failed": "فشل: {count} مخالفة",
        "verify.rerun": "لإعادة النتيجة نفسها: ‎--seed {seed} مع hypothesis {hypothesis}",
        "verify.property.tiers": "كل فئة يمكن منحها، والفئات مرتبة",
        "verify.property.rows": "كل صف في جداول القرار يمكن أن يُختار",
        "verify.property.scoring": "كل دليل يقبله الدليل يمكن احتساب درجته",
        "verify.property.ranges": "النقاط والدرجات والمجموع ضمن نطاقاتها",
        "verify.property.weights": "مجموع الأوزان 100 أياً كان ما لا ينطبق",
        "verify.property.order": "ترتيب المفاتيح لا يغير النتيجة",
        "verify.property.monotonicity": "تحسين أي مدخل لا يخفض أي درجة",
        "verify.property.locality": "التعديلات لا تغير إلا المعايير التي تسميها",
        "verify.property.diff": "الفروق تطابق ما تسميه التعديلات تماماً",
        "verify.better.higher": "الأعلى",
        "verify.better.lower": "الأقل",
        "verify.scoring": "دليل يقبله الدليل لا يمكن احتساب درجته: {error}",
        "verify.range.points": "المعيار `{criterion}` يعطي {points} نقاط، خارج السلّم من {min} إلى {max}",
        "verify.range.percentage": "المعيار `{criterion}` عند {percentage}٪، خارج النطاق من 0 إلى 100",
        "verify.range.contribution": "إسهام المعيار `{criterion}` هو {contribution}، خارج النطاق من 0 إلى وزنه الفعلي {weight}",
        "verify.range.category": "درجة المحور `{category}` هي {score}، خارج النطاق من 0 إلى 100",
        "verify.range.total": "المجموع {total}، خارج النطاق من 0 إلى 100",
        "verify.range.basic": "نسبة تحقق المعايير الأساسية {value}، خارج النطاق من 0 إلى 100",
        "verify.weights": "مجموع الأوزان الفعلية للمعايير المنطبقة {sum}، لا 100",
        "verify.contributions": "مجموع إسهامات المعايير {sum}، لا المجموع {total}",
        "verify.order": "الدليل نفسه بترتيب آخر للمفاتيح يعطي نتيجة أخرى (قرب: {near})",
        "verify.monotone.criterion": (
            "تحسين `{input}` (الأفضل {direction}) من {before} إلى {after} يخفض نقاط المعيار "
            "`{criterion}` من {old} إلى {new}"
        ),
        "verify.monotone.total": (
            "تحسين `{input}` (الأفضل {direction}) من {before} إلى {after} يخفض المجموع من {old} إلى "
            "{new}، مع بقاء انطباق كل معيار كما هو"
        ),
        "verify.monotone.tier": (
            "تحسين `{input}` (الأفضل {direction}) من {before} إلى {after} يخفض الفئة من {old} إلى "
            "{new}، مع بقاء انطباق كل معيار كما هو"
        ),
        "verify.tier.order": (
            "الفئة `{tier}` (حدها الأدنى {min}) مذكورة بعد `{previous}` (حدها الأدنى {previous_min}): "
            "تُجرب الفئات بالترتيب، فاذكرها من الأعلى حداً إلى الأدنى"
        ),
        "verify.tier.unreachable": (
            "الفئة `{tier}` تتطلب مجموعاً لا يقل عن {min}، وأعلى مجموع يمكن أن يعطيه النموذج `{model}` "
            "هو {highest} (المعايير الأدنى سقفاً: {limited})"
        ),
        "verify.row.dead": "الصف {row} من `{criterion}` ({cells}) لا يُختار أبداً: لا تطابقه أي قيمة مقبولة ({tested})",
        "verify.row.shadowed": (
            "الصف {row} من `{criterion}` ({cells}) لا يُختار أبداً: الصفوف التي فوقه تأخذ كل قيمة "
            "مقبولة يطابقها ({tested})"
        ),
        "verify.locality.untouched": (
            "المعيار `{criterion}`: لا يغيره أي تعديل ولا يغير مدخلاته، ومع ذلك تختلف نقاطه: {old} في "
            "{old_edition} و{new} في {new_edition}"
        ),
        "verify.locality.shared": (
            "التعديل {amendment} يغير المدخل `{input}`، ومن خلاله المعيار `{criterion}` الذي لا يسميه "
            "أي تعديل: تنتقل نقاطه من {old} في {old_edition} إلى {new} في {new_edition}"
        ),
        "verify.names.extra": "تُظهر الفروق أن {element} `{id}` {change}، ولا يسميه أي تعديل",
        "verify.names.missing": "التعديل {amendment} يسمي {element} `{id}`، ولا تُظهر الفروق أي تغيير فيه",
        "verify.note.not-amendments": (
            "الإصدار {new} غير مكتوب كتعديلات على {old}: تُقارن المعايير بتعريفاتها، ولا تُطابق الفروق "
            "بالتعديلات"
        ),
        "verify.note.global": (
            "التعديل {amendments} يغير إعدادات الأرقام أو سلّم النقاط: قد تتغير كل الدرجات، فلا تُقارن "
            "النقاط معياراً معياراً"
        ),
        "verify.note.changed": "معايير غيرتها التعديلات (لا تُقارن): {criteria}",
        "verify.note.locality": "احتفظ {compared} معياراً لم يتغير بنقاطه في {examples} مثالاً",
        "verify.note.contributions": "تغيرت إسهامات {count} معياراً لم يتغير، كما تقصد التعديلات {amendments} بإعادة وزنها",
        "verify.note.shared-unmoved": (
            "المعيار `{criterion}` يقرأ `{input}` الذي غيره التعديل {amendment}؛ لا يسميه أي تعديل، ولم "
            "تتغير نقاطه في {examples} مثالاً"
        ),
        "verify.note.filled": (
            "افتراض: {inputs}، وهي مدخلات يفتقدها دليل {new_edition} أو يعطيها بصورة يرفضها {old_edition}، "
            "سُحبت قيمها من تعريفات {old_edition} نفسها (لا يقرؤها أي معيار مقارن)"
        ),
    },
}


def _cat() -> Catalogue:
    cat = catalogue()
    if not cat.has("verify.title"):
        cat.register(MESSAGES)
    return cat


def _show(value: Any, lang: str) -> str:
    cat = _cat()
    if value is None:
        return cat.text("test.none", lang)
    if isinstance(value, bool):
        return cat.text("word.true" if value else "word.false", lang)
    if isinstance(value, Decimal):
        return canonical(value)
    if isinstance(value, Text):
        return value.get(lang)
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k}: {_show(v, lang)}" for k, v in value.items()) + "}"
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(v, lang) for v in value) + "]"
    return str(value)


def _model(model: str | None, lang: str) -> str:
    """A model's name in a language (``onsite`` → ``المقر``)."""
    cat = _cat()
    if model is None:
        return "—"
    return cat.text(f"model.{model}", lang) if cat.has(f"model.{model}", lang) else model


# ---- taqyeem test ---------------------------------------------------------------------------


def expect_label(e: Expectation, lang: str = "en") -> str:
    """``criterion access_parking: points`` in a language."""
    return _cat().text(f"test.what.{e.what}", lang, id=e.id or "")


def _mismatch_lines(report: CaseReport, lang: str) -> list[tuple[str | None, str]]:
    cat = _cat()
    out: list[tuple[str | None, str]] = []
    for o in report.outcomes:
        if o.error is not None:
            out.append((o.error.location() or o.case.path, cat.text("test.error", lang, case=o.case.name,
                                                                      message=o.error.message)))
        for m in o.mismatches:
            e = m.expect
            tol = cat.text("test.tolerance", lang, tolerance=canonical(e.tolerance)) if e.tolerance else ""
            where = str(e.span) if e.span is not None else (o.case.path or "")
            out.append((where, cat.text("test.mismatch", lang, case=o.case.name, label=expect_label(e, lang),
                                        expected=_show(e.value, lang), actual=_show(m.actual, lang),
                                        tolerance=tol)))
    return out


def target_text(t: CoverageTarget, lang: str = "en") -> str:
    """One coverage target in words (``row 3 of access_opening_hours``)."""
    cat = _cat()
    if t.section == "tier" and t.id is None:
        return cat.text("target.tier.none", lang)
    return cat.text(f"target.{t.section}.{t.detail}", lang, id=t.id or "", row=str(t.row or ""))


def _case_rows(report: CaseReport, lang: str) -> tuple[list[str], list[list[str]]]:
    cat = _cat()
    header = [cat.text(k, lang) for k in ("test.case", "test.centre", "test.model", "test.total", "test.tier",
                                          "test.checked", "test.result")]
    rows = []
    for o in report.outcomes:
        r = o.result
        rows.append([
            o.case.name, o.case.evidence.centre_id, o.case.model,
            format_number(r.total) if r is not None else "—",
            (r.tier_id or cat.text("target.tier.none", lang)) if r is not None else "—",
            str(len(o.case.expects)),
            cat.text("test.pass" if o.ok else "test.fail", lang),
        ])
    return header, rows


def _coverage_rows(report: CaseReport, lang: str) -> tuple[list[str], list[list[str]]]:
    cat = _cat()
    header = [cat.text(k, lang) for k in ("coverage.model", "coverage.section", "coverage.reached",
                                          "coverage.percent")]
    rows = []
    for model, section, reached, targets in report.coverage.sections():
        pct = canonical(percent(reached, targets))
        rows.append([_model(model, lang), cat.text(f"coverage.section.{section}", lang), f"{reached} / {targets}", pct])
    return header, rows


def _summary(report: CaseReport, lang: str) -> str:
    return _cat().text("test.summary", lang, cases=str(len(report.outcomes)),
                       passed=str(len(report.outcomes) - len(report.failed)), failed=str(len(report.failed)))


def _coverage_title(report: CaseReport, lang: str) -> str:
    c = report.coverage
    return _cat().text("coverage.title", lang, percent=canonical(c.percent), reached=str(c.reached),
                       targets=str(len(c.targets)))


def case_report_data(report: CaseReport, lang: str = "en") -> dict[str, Any]:
    """The report as JSON data, each mismatch and unreached target also in words."""
    data = report.to_dict()
    for o, od in zip(report.outcomes, data["outcomes"], strict=True):
        for m, md in zip(o.mismatches, od["mismatches"], strict=True):
            md["label"] = expect_label(m.expect, lang)
    for t, td in zip(report.coverage.unreached, data["coverage"]["unreached"], strict=True):
        td["text"] = target_text(t, lang)
    return data


def _md_table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    def esc(cell: str) -> str:
        return cell.replace("|", "\\|")

    lines = ["| " + " | ".join(esc(c) for c in header) + " |", "|" + "---|" * len(header)]
    lines += ["| " + " | ".join(esc(c) for c in row) + " |" for row in rows]
    return "\n".join(lines)


def case_report_markdown(report: CaseReport, lang: str = "en", *, unreached: bool = True) -> str:
    """The report as Markdown: the cases, the mismatches, the coverage by section and
    (``unreached``) every target no case reaches, with its place in the guide."""
    cat = _cat()
    out = [f"# {cat.text('test.title', lang, edition=report.edition)}", "", _summary(report, lang), ""]
    header, rows = _case_rows(report, lang)
    out += [_md_table(header, rows), ""]
    lines = _mismatch_lines(report, lang)
    if lines:
        out += [f"## {cat.text('test.mismatches', lang)}", ""]
        out += [f"- `{where}`: {text}" if where else f"- {text}" for where, text in lines]
        out.append("")
    out += [f"## {_coverage_title(report, lang)}", ""]
    header, rows = _coverage_rows(report, lang)
    out += [_md_table(header, rows), ""]
    missed = report.coverage.unreached
    if unreached and missed:
        out += [f"### {cat.text('coverage.unreached', lang, count=str(len(missed)))}", ""]
        out += [f"- {target_text(t, lang)} ({_model(t.model, lang)}) — `{t.span or t.path}`" for t in missed]
        out.append("")
    return "\n".join(out)


def case_report_rich(report: CaseReport, lang: str = "en", *, limit: int = 20) -> list[Any]:
    """The report for a terminal: rich tables and lines (at most ``limit`` unreached
    targets are listed)."""
    from rich.table import Table
    from rich.text import Text as RichText

    cat = _cat()
    out: list[Any] = []
    header, rows = _case_rows(report, lang)
    table = Table(title=cat.text("test.title", lang, edition=report.edition), title_justify="left")
    for k, col in enumerate(header):
        table.add_column(col, justify="right" if k in (3, 5) else "left")
    for row, o in zip(rows, report.outcomes, strict=True):
        table.add_row(*(RichText(c) for c in row), style=None if o.ok else "red")
    out.append(table)
    for where, text in _mismatch_lines(report, lang):
        out.append(RichText(f"{where}: {text}" if where else text, style="red"))
    out.append(RichText(_summary(report, lang), style="bold"))
    header, rows = _coverage_rows(report, lang)
    cov = Table(title=_coverage_title(report, lang), title_justify="left")
    for k, col in enumerate(header):
        cov.add_column(col, justify="right" if k >= 2 else "left")
    for row in rows:
        cov.add_row(*(RichText(c) for c in row))
    out.append(cov)
    missed = report.coverage.unreached
    if missed and limit:
        out.append(RichText(cat.text("coverage.unreached", lang, count=str(len(missed))), style="bold"))
        for t in missed[:limit]:
            out.append(RichText(f"  {t.span or t.path}: {target_text(t, lang)} ({_model(t.model, lang)})"))
        if len(missed) > limit:
            out.append(RichText("  " + cat.text("coverage.more", lang, count=str(len(missed) - limit)), style="dim"))
    return out


# ---- taqyeem verify --------------------------------------------------------------------------


def finding_text(f: Finding, lang: str = "en") -> str:
    """A finding (or note) in words."""
    cat = _cat()
    values: dict[str, str] = {}
    for k, v in f.values:
        if k == "direction":
            values[k] = cat.text(f"verify.better.{v}", lang)
        elif k == "highest" and isinstance(v, Decimal):
            values[k] = format_number(v)
        elif k in ("old", "new") and f.key == "verify.monotone.tier":
            values[k] = v if v is not None else cat.text("target.tier.none", lang)
        else:
            values[k] = _show(v, lang)
    if f.model is not None and "model" not in values:
        values["model"] = f.model
    return cat.text(f.key, lang, **values)


def _focus_text(f: Finding, lang: str) -> str | None:
    ce = f.counterexample
    if ce is None:
        return None
    cat = _cat()
    names = ce.focus or tuple(ce.evidence.get("inputs", {}))
    given = ce.evidence.get("inputs", {})
    parts = [f"{k} = {_show(given.get(k), lang)}" for k in names]
    text = f"{cat.text('verify.counterexample', lang)}: " + ", ".join(parts)
    if ce.other is not None and ce.other_is == "old":
        other = ce.other.get("inputs", {})
        changed = [k for k in names if other.get(k) != given.get(k)]
        if changed:
            edition = str(ce.other.get("edition", ""))
            text += "; " + cat.text("verify.counterexample.old", lang, edition=edition) + ": " + ", ".join(
                f"{k} = {_show(other.get(k), lang)}" for k in changed)
    if ce.assumed:
        text += "; " + cat.text("verify.counterexample.assumed", lang, inputs=", ".join(ce.assumed))
    return text


def _run_rows(report: VerifyReport, lang: str) -> tuple[list[str], list[list[str]]]:
    cat = _cat()
    header = [cat.text(k, lang) for k in ("verify.property", "verify.model", "verify.examples", "verify.result")]
    rows = []
    for r in report.runs:
        rows.append([
            cat.text(f"verify.property.{r.property}", lang),
            _model(r.model, lang),
            cat.text("verify.static", lang) if r.static else str(r.examples),
            cat.text("verify.holds", lang) if not r.findings else cat.text("verify.findings", lang,
                                                                          count=str(r.findings)),
        ])
    return header, rows


def _verify_head(report: VerifyReport, lang: str) -> tuple[str, str]:
    cat = _cat()
    title = (cat.text("verify.title", lang, edition=report.edition) if report.against is None else
             cat.text("verify.title", lang, edition=cat.text("verify.against", lang, edition=report.edition,
                                                             old=report.against)))
    repro = cat.text("verify.repro", lang, seed=str(report.seed), hypothesis=report.hypothesis,
                     examples=str(report.max_examples))
    return title, repro


def _verdict(report: VerifyReport, lang: str) -> str:
    cat = _cat()
    if report.ok:
        return cat.text("verify.ok", lang)
    return cat.text("verify.failed", lang, count=str(len(report.findings)))


def verify_data(report: VerifyReport, lang: str = "en") -> dict[str, Any]:
    """The report as JSON data, with every finding's and note's message in ``lang``."""
    data = report.to_dict()
    for f, fd in zip(report.findings, data["findings"], strict=True):
        fd["message"] = finding_text(f, lang)
    for f, fd in zip(report.notes, data["notes"], strict=True):
        fd["message"] = finding_text(f, lang)
    return data


def verify_markdown(report: VerifyReport, lang: str = "en") -> str:
    """The report as Markdown."""
    cat = _cat()
    title, repro = _verify_head(report, lang)
    out = [f"# {title}", "", f"- {repro}", f"- `{report.fingerprint}`", ""]
    header, rows = _run_rows(report, lang)
    out += [_md_table(header, rows), ""]
    for f in report.findings:
        out.append(f"- `{f.where}`: {finding_text(f, lang)}")
        focus = _focus_text(f, lang)
        if focus:
            out.append(f"  - {focus}")
    if report.findings:
        out.append("")
    if report.notes:
        out += [f"## {cat.text('verify.notes', lang)}", ""]
        out += [f"- {_model(f.model, lang) + ': ' if f.model else ''}{finding_text(f, lang)}" for f in report.notes]
        out.append("")
    out += [f"**{_verdict(report, lang)}** — "
            + cat.text("verify.rerun", lang, seed=str(report.seed), hypothesis=report.hypothesis), ""]
    return "\n".join(out)


def verify_rich(report: VerifyReport, lang: str = "en") -> list[Any]:
    """The report for a terminal."""
    from rich.table import Table
    from rich.text import Text as RichText

    cat = _cat()
    title, repro = _verify_head(report, lang)
    out: list[Any] = [RichText(title, style="bold"), RichText(repro, style="dim")]
    header, rows = _run_rows(report, lang)
    table = Table()
    for k, col in enumerate(header):
        table.add_column(col, justify="right" if k == 2 else "left")
    for row, r in zip(rows, report.runs, strict=True):
        table.add_row(*(RichText(c) for c in row), style="red" if r.findings else None)
    out.append(table)
    for f in report.findings:
        out.append(RichText(f"{f.where}: {finding_text(f, lang)}", style="red"))
        focus = _focus_text(f, lang)
        if focus:
            out.append(RichText(f"  {focus}"))
    if report.notes:
        out.append(RichText(cat.text("verify.notes", lang), style="bold"))
        for f in report.notes:
            model = f"{_model(f.model, lang)}: " if f.model else ""
            out.append(RichText(f"  {model}{finding_text(f, lang)}", style="dim"))
    out.append(RichText(_verdict(report, lang), style="bold green" if report.ok else "bold red"))
    out.append(RichText(cat.text("verify.rerun", lang, seed=str(report.seed), hypothesis=report.hypothesis),
                        style="dim"))
    return out


def counterexample_files(report: VerifyReport) -> list[tuple[str, str]]:
    """Each finding's counter-example as evidence files (name, YAML text): the evidence,
    and the other side (improved, or as the older edition read it) — ready for
    ``taqyeem explain``."""
    import yaml

    class Dumper(yaml.SafeDumper):
        pass

    def decimal(dumper: yaml.SafeDumper, value: Decimal) -> yaml.Node:
        text = canonical(value)
        return dumper.represent_scalar("tag:yaml.org,2002:float" if "." in text else "tag:yaml.org,2002:int", text)

    Dumper.add_representer(Decimal, decimal)
    out: list[tuple[str, str]] = []
    for k, f in enumerate(report.findings, 1):
        ce = f.counterexample
        if ce is None:
            continue
        ident = str(f.mapping().get("criterion") or f.mapping().get("input") or f.property)
        stem = f"{k:02d}-{f.property}-{f.model or 'all'}-{ident}"
        head = f"# {finding_text(f, 'en')}\n# guide: {f.where}; seed {report.seed}, hypothesis {report.hypothesis}\n"
        sides = [("", ce.evidence)] + ([(f"-{ce.other_is or 'other'}", ce.other)] if ce.other is not None else [])
        for suffix, evidence in sides:
            text = yaml.dump(dict(evidence), Dumper=Dumper, sort_keys=False, allow_unicode=True, width=100)
            out.append((f"{stem}{suffix}.yaml", head + text))
    return out
