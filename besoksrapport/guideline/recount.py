"""A late report moves the yearly count: tell the secretary about the reports it changed.

A report about an earlier visit can arrive after the politician's later visits were
reported and mailed; counted in visit order, one of those later visits then becomes the
third ordinary one of the year (or, the other way round, stops being one). Its
``over_yearly_visits`` flag changes in the reassessment, and the secretary, who has
already read that report's mail, gets one more mail about it (``outbox.mail_jobs``). A report
not mailed yet needs none: its first mail shows the flags as they are by then.

One visit reported twice by the same politician (a possible duplicate) is one visit in the
count: its reports change together, and the secretary gets one mail about the visit, on
its first report, naming the others. Whether the visit was already beyond the 1–2 a year
before the change is kept, so that the mail says «still» rather than «now».
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from besoksrapport.guideline.flags import OVER_YEARLY_VISITS
from besoksrapport.guideline.visits import VisitKey, visit_key
from besoksrapport.report import Flag, Report


def _count_flags(flags: Sequence[Flag]) -> list[Flag]:
    return [flag for flag in flags if flag.code == OVER_YEARLY_VISITS]


def count_changed(before: Report, flags: Sequence[Flag]) -> bool:
    """Whether the report's place in the yearly count, as its flag states it, changed."""
    return _count_flags(before.flags) != _count_flags(flags)


@dataclass(frozen=True)
class Recount:
    """A visit whose place in the count changed, told of on its first report."""

    report_id: str
    already_over: bool  # beyond the 1–2 a year before the change as well
    duplicates: tuple[str, ...] = ()  # the same politician's other reports of the visit


def recounted(changes: Sequence[tuple[Report, Any]], arrived: str) -> list[Recount]:
    """The visits (not the one that ``arrived``) whose count changed, one per visit and
    politician, in report order; each result in ``changes`` has the new ``flags``."""
    visits: dict[tuple[str, VisitKey], list[Report]] = {}
    for before, result in changes:
        if before.report_id != arrived and count_changed(before, result.flags):
            visits.setdefault((before.submitter.id, visit_key(before)), []).append(before)
    told = []
    for reports in visits.values():
        first, *others = sorted(reports, key=lambda r: (r.received_at, r.report_id))
        told.append(Recount(first.report_id, bool(_count_flags(first.flags)),
                            tuple(other.report_id for other in others)))
    return sorted(told, key=lambda recount: recount.report_id)
