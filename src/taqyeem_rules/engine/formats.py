"""Format versions of results and records: what replay compares, frozen per version.

A result's data form (:meth:`Result.to_dict`) and a record's layout are versioned.
Replay compares an old record under the version it was written with, so a later
change to either comes with a new version here, never a new meaning for an old one.

======  =====================================================================
result  data form
======  =====================================================================
1       the first form: centre, edition, model, fingerprints, totals, tier,
        basic attainment, flags, categories, criteria (id, category, status,
        points, percentage, weight, basic, form, row, inputs, and with the
        trace effective weight and contribution), traced, plugins
2       as 1; a criterion whose kind records a trace of its own (``survey``,
        ``tawasul``, ``assessors`` and plugin kinds) carries it as ``detail``;
        plugin criterion kinds are listed in ``plugins`` as ``kind:NAME``
3       as 2, and the result names its form and its guide's status:
        ``"format": "taqyeem-result/3"`` and ``"guide_status"`` (``official`` or
        ``illustrative``: the guide's ``provenance.status``), so a result copied
        anywhere says whether its guide's numbers are the official ones
======  =====================================================================

A record's format names the result format of every result in it
(:data:`RECORD_FORMATS`); a record is written in the newest.
"""

from __future__ import annotations

__all__ = ["RECORD_FORMAT", "RECORD_FORMATS", "RESULT_FORMAT", "RESULT_FORMATS", "result_format_name"]

#: Every result data form this version can write, oldest first.
RESULT_FORMATS: tuple[int, ...] = (1, 2, 3)
#: The result data form written by default.
RESULT_FORMAT: int = RESULT_FORMATS[-1]

#: Record formats this version reads, and the result format of the results each holds.
RECORD_FORMATS: dict[str, int] = {
    "taqyeem-record/1": 1,
    "taqyeem-record/2": 2,
    "taqyeem-record/3": 3,
}
#: The record format written.
RECORD_FORMAT = "taqyeem-record/3"


def result_format_name(format: int) -> str:
    """The marker a result of form ``format`` (3 or later) carries: ``taqyeem-result/3``."""
    return f"taqyeem-result/{format}"
