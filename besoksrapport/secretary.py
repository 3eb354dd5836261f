"""The secretary's view of the meetings: what is filed where, what is waiting, what to check.

Plain functions over the storage and the committee, so the commands stay thin and the
tests can call the same code.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections import Counter
from dataclasses import dataclass

from .context import Context
from .jobs import DELIVER_MEETING, FILE_MEETING
from .meeting import deadline_for
from .report import Report

FILING_KINDS = (FILE_MEETING, DELIVER_MEETING)


@dataclass(frozen=True)
class MeetingSummary:
    day: dt.date
    deadline: dt.datetime
    reports: int
    flagged: int
    pending_filings: int  # filing or delivery jobs not done yet


def _pending_by_meeting(ctx: Context) -> Counter[str]:
    return Counter(job.payload["meeting_date"] for job in ctx.storage.pending_jobs()
                   if job.kind in FILING_KINDS and job.payload.get("meeting_date"))


def day_argument(text: str) -> dt.date:
    """A YYYY-MM-DD command argument; a mistyped date is refused in plain Swedish."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"”{text}” är inget datum som finns; skriv datumet som ÅÅÅÅ-MM-DD, till exempel "
            "2026-12-10"
        ) from None


def positive_number(text: str) -> int:
    """A count given on the command line (``--limit``), refused in plain Swedish."""
    try:
        number = int(text)
    except ValueError:
        number = 0
    if number <= 0:
        raise argparse.ArgumentTypeError(f"”{text}” är inget heltal större än noll")
    return number


def meetings_overview(ctx: Context, today: dt.date) -> list[MeetingSummary]:
    """Upcoming meetings, plus any earlier meeting that still has reports or pending work."""
    pending = _pending_by_meeting(ctx)
    days = {day for day in ctx.committee.meetings if day >= today}
    days |= {dt.date.fromisoformat(day) for day in pending if day}
    summaries = []
    for day in sorted(days):
        reports = ctx.storage.reports_for_meeting(day)
        summaries.append(MeetingSummary(
            day=day,
            deadline=deadline_for(ctx.committee, day),
            reports=len(reports),
            flagged=sum(1 for report in reports if report.flags),
            pending_filings=pending.get(day.isoformat(), 0),
        ))
    return summaries


def meeting_reports(ctx: Context, day: dt.date) -> list[Report]:
    """A meeting's reports in the order of its Förteckning: visit date, then report id."""
    return sorted(ctx.storage.reports_for_meeting(day),
                  key=lambda report: (report.visit_date, report.report_id))


class Progress:
    """A one-line progress bar on stderr, shown only when a person is watching."""

    def __init__(self, label: str, total: int, stream=None, width: int = 30):
        self.label, self.total, self.width = label, max(total, 1), width
        self.stream = stream or sys.stderr
        self.done = 0
        self.visible = hasattr(self.stream, "isatty") and self.stream.isatty()

    def step(self) -> None:
        self.done += 1
        if self.visible:
            filled = int(self.width * min(self.done, self.total) / self.total)
            bar = "#" * filled + "." * (self.width - filled)
            self.stream.write(f"\r{self.label} [{bar}] {self.done}/{self.total}")
            self.stream.flush()

    def close(self) -> None:
        if self.visible:
            self.stream.write("\n")
            self.stream.flush()
