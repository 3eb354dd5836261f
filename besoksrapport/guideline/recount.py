"""A late report moves the yearly count: tell the secretary about the reports it changed.

A report about an earlier visit can arrive after the politician's later visits were
reported and mailed; counted in visit order, one of those later visits then becomes the
third ordinary one of the year (or, the other way round, stops being one). Its
``over_yearly_visits`` flag changes in the reassessment, and the secretary, who has
already read that report's mail, gets one more mail about it (``outbox.mail_jobs``). A report
not mailed yet needs none: its first mail shows the flags as they are by then.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from besoksrapport.guideline.flags import OVER_YEARLY_VISITS
from besoksrapport.report import Flag, Report


def _count_flags(flags: Sequence[Flag]) -> list[Flag]:
    return [flag for flag in flags if flag.code == OVER_YEARLY_VISITS]


def count_changed(before: Report, flags: Sequence[Flag]) -> bool:
    """Whether the report's place in the yearly count, as its flag states it, changed."""
    return _count_flags(before.flags) != _count_flags(flags)


def recounted(changes: Sequence[tuple[Report, Any]], arrived: str) -> list[str]:
    """The reports (other than the one that ``arrived``) whose count changed; each result in
    ``changes`` has the new ``flags``."""
    return [before.report_id for before, result in changes
            if before.report_id != arrived and count_changed(before, result.flags)]
