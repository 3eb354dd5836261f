"""A late report moves the yearly count: tell the secretary about the reports it changed.

A report about an earlier visit can arrive after the politician's later visits were
reported and mailed; counted in visit order, one of those later visits then becomes the
third ordinary one of the year (or, the other way round, stops being one). Its
``over_yearly_visits`` flag changes in the reassessment, and the secretary, who has
already read that report's mail, gets one more mail about it (``notifications``). A report
not mailed yet needs none: its first mail shows the flags as they are by then.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from .flags import OVER_YEARLY_VISITS
from .report import Flag, Report
from .storage import QueuedJob

NOTIFY_RECOUNT = "notify_recount"


def _count_flags(flags: Sequence[Flag]) -> list[Flag]:
    return [flag for flag in flags if flag.code == OVER_YEARLY_VISITS]


def count_changed(before: Report, flags: Sequence[Flag]) -> bool:
    """Whether the report's place in the yearly count, as its flag states it, changed."""
    return _count_flags(before.flags) != _count_flags(flags)


def recount_jobs(changes: Sequence[tuple[Report, Any]], arrived: str) -> list[QueuedJob]:
    """The mail jobs for reports (other than the one that ``arrived``) whose count changed;
    each result has the new ``flags``. Coalesced per report."""
    return [(NOTIFY_RECOUNT, {"report_id": before.report_id},
             f"{NOTIFY_RECOUNT}:{before.report_id}")
            for before, result in changes
            if before.report_id != arrived and count_changed(before, result.flags)]
