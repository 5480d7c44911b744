"""Every built-in word and sentence people read, in English and Arabic: the entries of
the one message catalogue (:mod:`taqyeem_rules.present.catalogue`).

A new message goes here, in the table of its command, with its English and its Arabic
template (``{name}`` placeholders). Criterion kinds and plugins bring their own
(:attr:`~taqyeem_rules.guide.kinds.CriterionKind.messages`); the catalogue registers
them beside these. This module is data: it is long on purpose (docs/architecture.md).
"""

from __future__ import annotations

__all__ = ["BUILTIN"]

#: Values, models, explanations.
CORE: dict[str, dict[str, str]] = {
    "en": {
        "word.true": "true",
        "word.false": "false",
        "word.missing": "missing",
        "word.none": "—",
        "model.onsite": "onsite",
        "model.remote": "remote",
        "explain.centre": "Centre {id} — {name} ({model}, guide {edition}, {fingerprint})",
        "explain.illustrative": "illustrative guide: its weights and thresholds are not the official ones",
        "explain.total": "Total {total} (exact {exact}) → tier: {tier}",
        "explain.no_tier": "no tier",
        "explain.tier": "{mark} {label} ({id}): min {min}{require}",
        "explain.tier.require": ", require {require}",
        "explain.basic": "Basic attainment {value} (exact {exact})",
        "explain.category": "{label} ({id}) — weight {weight}, score {score}",
        "explain.category.na": "{label} ({id}) — weight {weight}: not applicable",
        "explain.criterion": "{id} — {label}{basic}: {points}/{max} points = {percentage}%{contribution}",
        "explain.criterion.na": "{id} — {label}{basic}: not applicable",
        "explain.criterion.basic": " [basic]",
        "explain.criterion.contribution": ", contributes {contribution} to the total",
        "explain.missing.zero": "missing → 0 points (missing: zero)",
        "explain.missing.na": "missing → not applicable (missing: not_applicable)",
        "explain.applicable": "applicable: {expression}",
        "explain.weight": "weight {weight} in its category → {effective} of 100",
        "explain.inputs": "inputs: {inputs}",
        "explain.flags": "Flags",
        "explain.flag": "{label} ({id}): {value} — {when}",
    },
    "ar": {
        "word.true": "نعم",
        "word.false": "لا",
        "word.missing": "مفقود",
        "word.none": "—",
        "model.onsite": "المقر",
        "model.remote": "عن بعد",
        "explain.centre": "المركز {id} — {name} ({model}، الدليل {edition}، {fingerprint})",
        "explain.illustrative": "دليل توضيحي: أوزانه وحدوده ليست الرسمية",
        "explain.total": "المجموع {total} (القيمة الدقيقة {exact}) ← الفئة: {tier}",
        "explain.no_tier": "بلا فئة",
        "explain.tier": "{mark} {label} ({id}): الحد الأدنى {min}{require}",
        "explain.tier.require": "، شرط {require}",
        "explain.basic": "نسبة تحقق المعايير الأساسية {value} (القيمة الدقيقة {exact})",
        "explain.category": "{label} ({id}) — الوزن {weight}، الدرجة {score}",
        "explain.category.na": "{label} ({id}) — الوزن {weight}: لا ينطبق",
        "explain.criterion": "{id} — {label}{basic}: {points}/{max} نقاط = {percentage}٪{contribution}",
        "explain.criterion.na": "{id} — {label}{basic}: لا ينطبق",
        "explain.criterion.basic": " [أساسي]",
        "explain.criterion.contribution": "، يسهم بـ {contribution} في المجموع",
        "explain.missing.zero": "مفقود ← صفر نقاط (missing: zero)",
        "explain.missing.na": "مفقود ← لا ينطبق (missing: not_applicable)",
        "explain.applicable": "ينطبق إذا: {expression}",
        "explain.weight": "الوزن {weight} داخل المحور ← {effective} من 100",
        "explain.inputs": "المدخلات: {inputs}",
        "explain.flags": "المؤشرات",
        "explain.flag": "{label} ({id}): {value} — {when}",
    },
}


#: The assumptions of an impact (present/impact_assumptions.py).
IMPACT_ASSUMPTIONS: dict[str, dict[str, str]] = {
    "en": {
        "impact.assumptions": "Assumptions",
        "impact.assumptions.lead": "Evidence of one edition lacks inputs the other guide reads; "
                                   "it was scored under these assumptions.",
        "impact.notes": "Inputs ignored",
        "impact.col.guide": "Guide",
        "impact.col.input": "Input",
        "impact.col.why": "Why",
        "impact.col.read": "Read as",
        "impact.col.source": "Stated by",
        "impact.col.criteria": "Criteria",
        "impact.col.centres": "Centres",
        "impact.col.note": "Note",
        "impact.why.added": "not in the evidence's edition",
        "impact.why.retyped": "of another type in the evidence's edition",
        "impact.read.value": "the value {value}",
        "impact.read.not_applicable": "its criteria not applicable",
        "impact.read.lowest": "lowest points: {points}",
        "impact.read.absent": "absent (each criterion's missing: policy)",
        "impact.points.attainable": "{criterion} {points}",
        "impact.points.scale": "{criterion} {points} (the scale's minimum: its kind lists no points)",
        "impact.source.assume": "--assume",
        "impact.source.past": "past: in guide {edition}",
        "impact.source.assume-missing": "--assume-missing",
        "impact.source.optional": "the input is optional",
        "impact.note.removed": "not declared by guide {edition}: ignored",
        "impact.summary": "{changed} of {scored} centre(s) scored under both guides change tier",
        "impact.summary.unscored": "; {unscored} unscored (not counted)",
    },
    "ar": {
        "impact.assumptions": "الافتراضات",
        "impact.assumptions.lead": "أدلة إصدار تنقصها مدخلات يقرؤها الدليل الآخر؛ قُيّمت وفق هذه الافتراضات.",
        "impact.notes": "مدخلات أُهملت",
        "impact.col.guide": "الدليل",
        "impact.col.input": "المدخل",
        "impact.col.why": "السبب",
        "impact.col.read": "قُرئ على أنه",
        "impact.col.source": "بحسب",
        "impact.col.criteria": "المعايير",
        "impact.col.centres": "المراكز",
        "impact.col.note": "ملاحظة",
        "impact.why.added": "غير موجود في إصدار الأدلة",
        "impact.why.retyped": "من نوع آخر في إصدار الأدلة",
        "impact.read.value": "القيمة {value}",
        "impact.read.not_applicable": "معاييره لا تنطبق",
        "impact.read.lowest": "أدنى النقاط: {points}",
        "impact.read.absent": "غائب (وفق سياسة missing: لكل معيار)",
        "impact.points.attainable": "{criterion} {points}",
        "impact.points.scale": "{criterion} {points} (الحد الأدنى للمقياس: نوعه لا يحدد نقاطه)",
        "impact.source.assume": "--assume",
        "impact.source.past": "past: في الدليل {edition}",
        "impact.source.assume-missing": "--assume-missing",
        "impact.source.optional": "المدخل اختياري",
        "impact.note.removed": "غير معرّف في الدليل {edition}: أُهمل",
        "impact.summary": "{changed} من {scored} مركزاً قُيّمت بالدليلين تتغير فئتها",
        "impact.summary.unscored": "؛ {unscored} لم تُقيَّم (غير محسوبة)",
    },
}


#: Margins (present/margins.py).
MARGINS: dict[str, dict[str, str]] = {
    "en": {
        "margins.title": "Margins to the next tier",
        "margins.objective": "Steps: the fewest criteria, then the fewest points of the total gained, then guide "
                             "order; each criterion raised to the lowest value its kind can attain above today.",
        "margins.assumption": "Criteria are treated as independent: the inputs they share and the applicability "
                              "they change are held fixed.",
        "margins.col.centre": "Centre",
        "margins.col.name": "Name",
        "margins.col.model": "Model",
        "margins.col.total": "Total",
        "margins.col.tier": "Tier",
        "margins.col.next": "Next tier",
        "margins.col.lacks": "Total lacks",
        "margins.col.gates": "Gates that bind",
        "margins.col.steps": "Steps",
        "margins.col.keep": "Can lose",
        "margins.step": "{criterion} {from_points}→{to_points} (+{gain})",
        "margins.block": "{centre}, to reach {tier}:",
        "margins.more_than": "more than {value}",
        "margins.gate.lacks": "{gate} (lacks {lacks})",
        "margins.gate.unknown": "{gate} (not computed)",
        "margins.none": "—",
        "margins.reason.top": "already in the highest tier",
        "margins.reason.no-tiers": "the model has no tiers",
        "margins.reason.not-computed": "not computed: tier {tier} requires `{require}`, which is not a bound on the "
                                       "total, basic attainment or category scores",
        "margins.reason.never": "unreachable: tier {tier} requires `{gate}` and {value} is not applicable",
        "margins.reason.not-enough": "unreachable by raising every criterion one level",
        "margins.reason.search-limit": "not computed: the search went over its limit ({limit} subsets)",
        "margins.not_considered": "not considered (their kind lists no attainable points): {criteria}",
        "margins.note.exact-tier": "exact arithmetic gives another tier than scoring (a total on a rounding "
                                   "boundary); margins follow exact arithmetic",
        "margins.unscored": "not scored: {error}",
    },
    "ar": {
        "margins.title": "الهوامش حتى الفئة التالية",
        "margins.objective": "الخطوات: أقل عدد من المعايير، ثم أقل زيادة في المجموع، ثم ترتيب الدليل؛ يُرفع كل معيار "
                             "إلى أدنى قيمة يبلغها نوعه فوق قيمته الحالية.",
        "margins.assumption": "تُعامل المعايير على أنها مستقلة: المدخلات المشتركة بينها وانطباقها ثابتة.",
        "margins.col.centre": "المركز",
        "margins.col.name": "الاسم",
        "margins.col.model": "النموذج",
        "margins.col.total": "المجموع",
        "margins.col.tier": "الفئة",
        "margins.col.next": "الفئة التالية",
        "margins.col.lacks": "ينقص المجموع",
        "margins.col.gates": "شروط غير متحققة",
        "margins.col.steps": "الخطوات",
        "margins.col.keep": "يمكن أن يفقد",
        "margins.step": "{criterion} {from_points}←{to_points} (+{gain})",
        "margins.block": "{centre}، لبلوغ {tier}:",
        "margins.more_than": "أكثر من {value}",
        "margins.gate.lacks": "{gate} (ينقصه {lacks})",
        "margins.gate.unknown": "{gate} (لم يُحسب)",
        "margins.none": "—",
        "margins.reason.top": "في أعلى فئة بالفعل",
        "margins.reason.no-tiers": "لا فئات في النموذج",
        "margins.reason.not-computed": "لم يُحسب: الفئة {tier} تشترط `{require}`، وهو ليس حداً أدنى للمجموع أو "
                                       "نسبة المعايير الأساسية أو درجات المحاور",
        "margins.reason.never": "غير قابلة للبلوغ: الفئة {tier} تشترط `{gate}` و{value} لا ينطبق",
        "margins.reason.not-enough": "غير قابلة للبلوغ برفع كل معيار مستوى واحداً",
        "margins.reason.search-limit": "لم يُحسب: تجاوز البحث حده ({limit} مجموعة)",
        "margins.not_considered": "لم تُحتسب (نوعها لا يحدد النقاط الممكنة): {criteria}",
        "margins.note.exact-tier": "الحساب الدقيق يعطي فئة غير فئة التقييم (مجموع على حد التقريب)؛ الهوامش "
                                   "تتبع الحساب الدقيق",
        "margins.unscored": "لم يُقيَّم: {error}",
    },
}


#: Sensitivity (present/sensitivity.py).
SENSITIVITY: dict[str, dict[str, str]] = {
    "en": {
        "sens.title": "Sensitivity of the tiers",
        "sens.bounds": "Category weights ±{weights}% each (renormalised to 100), tier cut-offs ±{thresholds} "
                       "points; seed {seed}.",
        "sens.plan.grid": "{model}: a grid of {levels} levels on {dims} dimension(s), {count} perturbations",
        "sens.plan.sample": "{model}: {count} seeded samples on {dims} dimension(s)",
        "sens.plan.identity": "{model}: no perturbation (bounds of 0): the guide as it is",
        "sens.col.centre": "Centre",
        "sens.col.name": "Name",
        "sens.col.model": "Model",
        "sens.col.total": "Total",
        "sens.col.tier": "Tier",
        "sens.col.keeps": "Keeps its tier",
        "sens.col.flip": "Closest change",
        "sens.col.change": "Total moves by at most",
        "sens.flip": "→ {tier} at {distance}% of the bounds ({weights}; {cutoffs})",
        "sens.stable": "stable",
        "sens.no_tier": "no tier",
        "sens.summary": "{fragile} of {centres} centre(s) have a fragile tier (changed by some perturbation)",
        "sens.expected": "Expected tier counts",
        "sens.col.expected": "Expected",
        "sens.unscored": "not scored: {error}",
    },
    "ar": {
        "sens.title": "حساسية الفئات",
        "sens.bounds": "أوزان المحاور ±{weights}٪ لكل منها (يعاد توزيعها إلى 100)، وحدود الفئات ±{thresholds} "
                       "نقطة؛ البذرة {seed}.",
        "sens.plan.grid": "{model}: شبكة من {levels} مستويات على {dims} بُعد، {count} اضطراباً",
        "sens.plan.sample": "{model}: {count} عينة مبذورة على {dims} بُعد",
        "sens.plan.identity": "{model}: بلا اضطراب (حدود صفرية): الدليل كما هو",
        "sens.col.centre": "المركز",
        "sens.col.name": "الاسم",
        "sens.col.model": "النموذج",
        "sens.col.total": "المجموع",
        "sens.col.tier": "الفئة",
        "sens.col.keeps": "يحتفظ بفئته",
        "sens.col.flip": "أقرب تغيير",
        "sens.col.change": "أقصى تغير للمجموع",
        "sens.flip": "← {tier} عند {distance}٪ من الحدود ({weights}؛ {cutoffs})",
        "sens.stable": "مستقر",
        "sens.no_tier": "بلا فئة",
        "sens.summary": "{fragile} من {centres} مركزاً فئتها هشة (يغيّرها اضطراب ما)",
        "sens.expected": "العدد المتوقع لكل فئة",
        "sens.col.expected": "المتوقع",
        "sens.unscored": "لم يُقيَّم: {error}",
    },
}


#: taqyeem test and taqyeem verify (present/testing.py).
TESTING: dict[str, dict[str, str]] = {
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


#: Words every command uses: the caveat of an illustrative guide, files written.
COMMON: dict[str, dict[str, str]] = {
    "en": {
        "common.caveat": "Illustrative guide: its weights and thresholds are not the official ones.",
        "common.caveat.either": "Illustrative guide ({editions}): its weights and thresholds are not the official ones.",
        "common.wrote": "wrote {path} ({size} bytes)",
        "progress.reading": "reading evidence",
        "progress.scoring": "scoring",
        "common.fingerprint": "fingerprint",
        "common.none": "none",
        "common.list": ", ",
        "tier.none": "—",
    },
    "ar": {
        "common.caveat": "دليل توضيحي: أوزانه وحدوده ليست الرسمية.",
        "common.caveat.either": "دليل توضيحي ({editions}): أوزانه وحدوده ليست الرسمية.",
        "common.wrote": "كُتب {path} ({size} بايت)",
        "progress.reading": "قراءة الأدلة",
        "progress.scoring": "التقييم",
        "common.fingerprint": "البصمة",
        "common.none": "لا شيء",
        "common.list": "، ",
        "tier.none": "—",
    },
}

#: taqyeem score (present/score.py).
SCORE: dict[str, dict[str, str]] = {
    "en": {
        "score.title": "Taqyeem scores — {edition}",
        "score.col.centre": "Centre",
        "score.col.name": "Name",
        "score.col.model": "Model",
        "score.col.total": "Total",
        "score.col.tier": "Tier",
        "score.col.basic": "Basic",
        "score.col.flags": "Flags",
        "score.failures": "{count} centre(s) could not be scored",
    },
    "ar": {
        "score.title": "نتائج تقييم — {edition}",
        "score.col.centre": "المركز",
        "score.col.name": "الاسم",
        "score.col.model": "النموذج",
        "score.col.total": "المجموع",
        "score.col.tier": "الفئة",
        "score.col.basic": "الأساسية",
        "score.col.flags": "المؤشرات",
        "score.failures": "تعذّر تقييم {count} مركزاً",
    },
}

#: taqyeem check (present/check.py).
CHECK: dict[str, dict[str, str]] = {
    "en": {
        "check.guide": "guide {edition}: {models}",
        "check.model": "{model} ({categories} categories, {criteria} criteria)",
        "check.fingerprint": "fingerprint {fingerprint}",
        "check.illustrative": "provenance: illustrative — the weights and thresholds are not the official ones",
        "check.valid": "valid",
        "check.invalid": "invalid",
        "check.counts": ": {errors} error(s), {warnings} warning(s)",
    },
    "ar": {
        "check.guide": "الدليل {edition}: {models}",
        "check.model": "{model} ({categories} محاور، {criteria} معياراً)",
        "check.fingerprint": "البصمة {fingerprint}",
        "check.illustrative": "المصدر: توضيحي — الأوزان والحدود ليست الرسمية",
        "check.valid": "سليم",
        "check.invalid": "غير سليم",
        "check.counts": ": {errors} خطأ، {warnings} تحذير",
    },
}

#: taqyeem eval (present/eval.py).
EVAL: dict[str, dict[str, str]] = {
    "en": {"eval.type": "{type} (static type {static})"},
    "ar": {"eval.type": "{type} (النوع الثابت {static})"},
}

#: taqyeem diff (present/diff.py).
DIFF: dict[str, dict[str, str]] = {
    "en": {
        "diff.numbers": "numbers", "diff.points": "points scale", "diff.input": "input", "diff.item": "checklist item",
        "diff.model": "model", "diff.category": "category", "diff.criterion": "criterion", "diff.tier": "tier",
        "diff.flag": "flag",
        "diff.added": "added", "diff.removed": "removed", "diff.moved": "moved", "diff.reweighted": "reweighted",
        "diff.changed": "changed", "diff.relabelled": "relabelled", "diff.position": "position",
        "diff.model.onsite": "on-site", "diff.model.remote": "remote",
        "diff.title": "Changes to the evaluation guide", "diff.from": "from edition", "diff.to": "to edition",
        "diff.fingerprint": "fingerprint", "diff.summary": "Summary", "diff.edits": "Edits",
        "diff.weights": "Effective weights", "diff.none": "No changes: the two guides score alike.",
        "diff.weights_note": "A criterion's share of its model's total when every criterion applies "
                             "(category weight × criterion weight ÷ Σ criterion weights of its category).",
        "diff.element": "Element", "diff.id": "Id", "diff.change": "Change", "diff.old": "Old", "diff.new": "New",
        "diff.delta": "Δ", "diff.count": "Count", "diff.no_weights": "No effective weight changed.",
        "diff.category_col": "Category", "diff.model_col": "Model", "diff.criterion_col": "Criterion",
        "diff.section.numbers": "Numbers", "diff.section.points": "Points scale", "diff.section.input": "Inputs",
        "diff.section.item": "Inputs", "diff.section.model": "Model", "diff.section.category": "Categories",
        "diff.section.criterion": "Criteria", "diff.section.tier": "Tiers", "diff.section.flag": "Flags",
        "diff.table.element": "element", "diff.table.id": "id", "diff.table.change": "change", "diff.table.old": "old",
        "diff.table.new": "new",
        "diff.table.weights": "effective weights (share of the model total)",
        "diff.table.model": "model", "diff.table.criterion": "criterion",
        "diff.table.none": "no changes: {old} and {new} score alike",
        "diff.table.count": "{count} edit(s): {counts}",
        "diff.table.kind": "{kind} {count}",
    },
    "ar": {
        "diff.numbers": "إعدادات الأرقام", "diff.points": "سلّم النقاط", "diff.input": "مدخل", "diff.item": "بند قائمة",
        "diff.model": "نموذج", "diff.category": "محور", "diff.criterion": "معيار", "diff.tier": "فئة", "diff.flag": "مؤشر",
        "diff.added": "أُضيف", "diff.removed": "حُذف", "diff.moved": "نُقل", "diff.reweighted": "تغيّر الوزن",
        "diff.changed": "تغيّر", "diff.relabelled": "تغيّرت التسمية", "diff.position": "الموضع",
        "diff.model.onsite": "المقر", "diff.model.remote": "عن بعد",
        "diff.title": "التغييرات على دليل التقييم", "diff.from": "من الإصدار", "diff.to": "إلى الإصدار",
        "diff.fingerprint": "البصمة", "diff.summary": "الملخص", "diff.edits": "التغييرات",
        "diff.weights": "الأوزان الفعلية", "diff.none": "لا تغييرات: الدليلان متطابقان في التقييم.",
        "diff.weights_note": "حصة المعيار من المجموع الكلي لنموذجه عند انطباق جميع المعايير "
                             "(وزن المحور × وزن المعيار ÷ مجموع أوزان معايير المحور).",
        "diff.element": "العنصر", "diff.id": "المعرّف", "diff.change": "التغيير", "diff.old": "قبل", "diff.new": "بعد",
        "diff.delta": "الفرق", "diff.count": "العدد", "diff.no_weights": "لم يتغير أي وزن فعلي.",
        "diff.category_col": "المحور", "diff.model_col": "النموذج", "diff.criterion_col": "المعيار",
        "diff.section.numbers": "إعدادات الأرقام", "diff.section.points": "سلّم النقاط", "diff.section.input": "المدخلات",
        "diff.section.item": "المدخلات", "diff.section.model": "النموذج", "diff.section.category": "المحاور",
        "diff.section.criterion": "المعايير", "diff.section.tier": "الفئات", "diff.section.flag": "المؤشرات",
        "diff.table.element": "العنصر", "diff.table.id": "المعرّف", "diff.table.change": "التغيير",
        "diff.table.old": "قبل", "diff.table.new": "بعد",
        "diff.table.weights": "الأوزان الفعلية (الحصة من مجموع النموذج)",
        "diff.table.model": "النموذج", "diff.table.criterion": "المعيار",
        "diff.table.none": "لا تغييرات: الإصداران {old} و{new} متطابقان في التقييم",
        "diff.table.count": "{count} تغيير: {counts}",
        "diff.table.kind": "{kind} {count}",
    },
}

#: taqyeem impact (present/impact.py).
IMPACT: dict[str, dict[str, str]] = {
    "en": {
        "impact.col.centre": "Centre", "impact.col.name": "Name", "impact.col.model": "Model",
        "impact.col.old": "Old total", "impact.col.new": "New total", "impact.col.delta": "Δ",
        "impact.col.old_tier": "Old tier", "impact.col.new_tier": "New tier", "impact.col.movers": "Moved most",
        "impact.title": "Impact of the guide change", "impact.fingerprint": "fingerprint",
        "impact.centres": "centres", "impact.tier_changes": "tier changes", "impact.failures": "unscored",
        "impact.transitions": "Tier transitions", "impact.scored": "scored under both",
        "impact.centres_head": "Centres (tier changes first)",
        "impact.from_to": "from \\ to",
        "impact.transitions.title": "tier transitions — {model} ({old} → {new})",
        "impact.unscored": "{count} centre(s) could not be scored under both guides "
                           "(listed as unscored; no summary counts them)",
    },
    "ar": {
        "impact.col.centre": "المركز", "impact.col.name": "الاسم", "impact.col.model": "النموذج",
        "impact.col.old": "المجموع السابق", "impact.col.new": "المجموع الجديد", "impact.col.delta": "الفرق",
        "impact.col.old_tier": "الفئة السابقة", "impact.col.new_tier": "الفئة الجديدة",
        "impact.col.movers": "الأكثر تأثيراً",
        "impact.title": "أثر تعديل الدليل", "impact.fingerprint": "البصمة", "impact.centres": "المراكز",
        "impact.tier_changes": "تغيّر الفئة", "impact.failures": "لم تُقيَّم",
        "impact.scored": "قُيّمت بالدليلين", "impact.transitions": "انتقالات الفئات",
        "impact.centres_head": "المراكز (تغيّر الفئة أولاً)",
        "impact.from_to": "من \\ إلى",
        "impact.transitions.title": "انتقالات الفئات — {model} ({old} → {new})",
        "impact.unscored": "تعذّر تقييم {count} مركزاً بالدليلين (مدرجة على أنها لم تُقيَّم؛ لا يحسبها أي ملخص)",
    },
}

#: taqyeem record and taqyeem replay (present/record.py, present/replay.py).
RECORD: dict[str, dict[str, str]] = {
    "en": {
        "record.recorded": "recorded cycle {cycle}: {count} centre(s) ({models}) scored with guide {edition} "
                           "({fingerprint}…)",
        "record.model": "{model} {count}",
        "record.wrote": "wrote {path} ({size} bytes)",
        "record.fingerprint": "fingerprint {fingerprint}",
        "record.publish": "publish the fingerprint: `taqyeem replay RECORD --fingerprint …` checks it",
        "replay.title": "replay of {source}",
        "replay.cycle": "cycle",
        "replay.format": "format",
        "replay.guide": "guide",
        "replay.guide.value": "{edition}  {fingerprint}  (rebuilt from the record)",
        "replay.recorded_by": "recorded by",
        "replay.recorded_by.value": "{engine} {version}; replayed with taqyeem_rules {current}",
        "replay.plugins": "plugins",
        "replay.centres": "centres",
        "replay.fingerprint": "fingerprint",
        "replay.none": "none",
        "replay.integrity": "integrity",
        "replay.verifies": " every fingerprint verifies: the guide, {count} evidence, {count} result(s) and the "
                           "whole record",
        "replay.differing": "centres that differ",
        "replay.col.centre": "centre",
        "replay.col.model": "model",
        "replay.col.recorded": "recorded",
        "replay.col.tier": "tier",
        "replay.col.replayed": "replayed",
        "replay.col.replayed_tier": "tier ",
        "replay.col.differences": "differences",
        "replay.not_rescored": "not re-scored",
        "replay.more_centres": "  … and {count} more centre(s)",
        "replay.differences": "differences",
        "replay.differences.head": " (recorded → replayed)",
        "replay.reads": " (reads {inputs})",
        "replay.more_differences": "  … and {count} more difference(s)",
        "replay.ok": "OK",
        "replay.failed": "FAILED",
        "replay.absent": "(absent)",
        "replay.summary.ok": "{source}: all {count} centres of {cycle} replayed exactly; every fingerprint verifies",
        "replay.summary.integrity": "{count} integrity finding(s)",
        "replay.summary.differ": "{differing} of {count} centre(s) differ ({differences} difference(s))",
        "replay.summary.not_replayed": "the centres could not be re-scored",
        "replay.summary.failed": "{source}: {parts}",
        "replay.difference": "centre {centre} ({model}): {path}: recorded {recorded}, replayed {replayed}{reads}",
        "replay.difference.note": "centre {centre} ({model}): {note}",
        "replay.difference.result": "result",
    },
    "ar": {
        "record.recorded": "سُجّلت الدورة {cycle}: {count} مركزاً ({models}) قُيّمت بالدليل {edition} "
                           "({fingerprint}…)",
        "record.model": "{model} {count}",
        "record.wrote": "كُتب {path} ({size} بايت)",
        "record.fingerprint": "البصمة {fingerprint}",
        "record.publish": "انشر البصمة: يتحقق منها الأمر `taqyeem replay RECORD --fingerprint …`",
        "replay.title": "إعادة تقييم {source}",
        "replay.cycle": "الدورة",
        "replay.format": "الصيغة",
        "replay.guide": "الدليل",
        "replay.guide.value": "{edition}  {fingerprint}  (أعيد بناؤه من السجل)",
        "replay.recorded_by": "سجّله",
        "replay.recorded_by.value": "{engine} {version}؛ أعيد التقييم بالإصدار {current}",
        "replay.plugins": "الإضافات",
        "replay.centres": "المراكز",
        "replay.fingerprint": "البصمة",
        "replay.none": "لا شيء",
        "replay.integrity": "السلامة",
        "replay.verifies": " كل البصمات سليمة: الدليل و{count} من الأدلة و{count} نتيجة والسجل كله",
        "replay.differing": "مراكز تختلف نتائجها",
        "replay.col.centre": "المركز",
        "replay.col.model": "النموذج",
        "replay.col.recorded": "المسجّل",
        "replay.col.tier": "الفئة",
        "replay.col.replayed": "المعاد",
        "replay.col.replayed_tier": "الفئة ",
        "replay.col.differences": "الفروق",
        "replay.not_rescored": "لم يُعد تقييمه",
        "replay.more_centres": "  … و{count} مركزاً آخر",
        "replay.differences": "الفروق",
        "replay.differences.head": " (المسجّل ← المعاد)",
        "replay.reads": " (يقرأ {inputs})",
        "replay.more_differences": "  … و{count} فرقاً آخر",
        "replay.ok": "سليم",
        "replay.failed": "فشل",
        "replay.absent": "(غائب)",
        "replay.summary.ok": "{source}: أعيد تقييم كل المراكز ({count}) في {cycle} تماماً؛ كل البصمات سليمة",
        "replay.summary.integrity": "{count} مخالفة في السلامة",
        "replay.summary.differ": "{differing} من {count} مركزاً تختلف ({differences} فرقاً)",
        "replay.summary.not_replayed": "تعذّر إعادة تقييم المراكز",
        "replay.summary.failed": "{source}: {parts}",
        "replay.difference": "المركز {centre} ({model}): {path}: المسجّل {recorded}، والمعاد {replayed}{reads}",
        "replay.difference.note": "المركز {centre} ({model}): {note}",
        "replay.difference.result": "النتيجة",
    },
}


def _merged(*tables: dict[str, dict[str, str]]) -> dict[str, dict[str, str]]:
    out: dict[str, dict[str, str]] = {"en": {}, "ar": {}}
    for table in tables:
        for lang, items in table.items():
            for key in items:
                if key in out[lang]:  # pragma: no cover - caught by the catalogue test
                    raise ValueError(f"message {key!r} is defined twice")
            out[lang].update(items)
    return out


#: The built-in entries, by language.
BUILTIN: dict[str, dict[str, str]] = _merged(
    CORE, COMMON, SCORE, CHECK, EVAL, DIFF, IMPACT, IMPACT_ASSUMPTIONS, MARGINS, SENSITIVITY, RECORD, TESTING
)
