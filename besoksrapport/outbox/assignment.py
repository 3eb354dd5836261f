"""Giving reports a meeting after reception: waiting reports, and the secretary's moves.

A change of meeting and the filing of both meetings are one transaction
(``Storage.set_meeting`` with the jobs), so a crash can never leave a report moved while a
folder still shows it where it was.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import replace

from besoksrapport.committee.meeting import assign_meeting
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.jobs import filing_job
from besoksrapport.report import Report
from besoksrapport.storage import QueuedJob


def _refile(meeting: dt.date) -> Callable[[dt.date | None], list[QueuedJob]]:
    """The filing jobs of a report's old and new meeting, committed with the move."""
    def jobs(before: dt.date | None) -> list[QueuedJob]:
        days = {meeting} if before is None else {before, meeting}
        return [filing_job(day) for day in sorted(days)]
    return jobs


def assign_waiting(ctx: Context, now: dt.datetime | None = None) -> list[Report]:
    """Give unassigned reports a meeting now that the calendar may have been extended.

    A report waits for the first meeting whose deadline is after both its reception and
    now: a meeting that has already closed its list does not take it afterwards. Each
    assignment and its meeting's filing are one transaction, and a report the secretary
    has moved in the meantime keeps the meeting she chose. Returns the reports assigned,
    each with its meeting.
    """
    now = now or dt.datetime.now(dt.UTC)
    assigned = []
    for report in ctx.storage.unassigned_reports():
        meeting = assign_meeting(ctx.committee, max(report.received_at, now))
        if meeting is None:
            continue
        if ctx.storage.set_meeting(report.report_id, meeting, jobs=_refile(meeting),
                                   if_unassigned=True) is None:
            assigned.append(replace(report, meeting_date=meeting))
    return assigned


def move_report(ctx: Context, report_id: str, meeting: dt.date) -> tuple[Report, dt.date | None]:
    """The secretary moves a report to another meeting; both folders are refiled.

    The move and both filings are one transaction; the meeting it leaves is the one stored
    at that moment. Returns the moved report and that meeting.
    """
    before = ctx.storage.set_meeting(report_id, meeting, jobs=_refile(meeting))
    return ctx.storage.get_report(report_id), before
