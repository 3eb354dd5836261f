"""The secretary's view of the meetings: what is filed where, what is waiting, what to check.

Plain functions over the storage and the committee, so the commands stay thin and the
tests can call the same code.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from dataclasses import dataclass

from besoksrapport.committee.meeting import deadline_for
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.jobs import DELIVER_MEETING, FILE_MEETING
from besoksrapport.report import Report
from besoksrapport.secretary.handling import flag_marks, reports_to_check

FILING_KINDS = (FILE_MEETING, DELIVER_MEETING)


@dataclass(frozen=True)
class MeetingSummary:
    day: dt.date
    deadline: dt.datetime
    reports: int
    flagged: int  # reports with a flag nobody has marked handled
    pending_filings: int  # filing or delivery jobs not done yet


def _pending_by_meeting(ctx: Context) -> Counter[str]:
    return Counter(job.payload["meeting_date"] for job in ctx.storage.pending_jobs()
                   if job.kind in FILING_KINDS and job.payload.get("meeting_date"))


def meetings_overview(ctx: Context, today: dt.date) -> list[MeetingSummary]:
    """Upcoming meetings, plus any earlier meeting that still has reports or pending work."""
    pending = _pending_by_meeting(ctx)
    days = {day for day in ctx.committee.meetings if day >= today}
    days |= {dt.date.fromisoformat(day) for day in pending if day}
    marks = flag_marks(ctx)
    summaries = []
    for day in sorted(days):
        reports = ctx.storage.reports_for_meeting(day)
        summaries.append(MeetingSummary(
            day=day,
            deadline=deadline_for(ctx.committee, day),
            reports=len(reports),
            flagged=reports_to_check(reports, marks),
            pending_filings=pending.get(day.isoformat(), 0),
        ))
    return summaries


def meeting_reports(ctx: Context, day: dt.date) -> list[Report]:
    """A meeting's reports in the order of its Förteckning: visit date, then report id."""
    return sorted(ctx.storage.reports_for_meeting(day),
                  key=lambda report: (report.visit_date, report.report_id))
