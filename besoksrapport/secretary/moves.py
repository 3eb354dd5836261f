"""The secretary moves a report to another meeting of the calendar (CLI and page alike)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from besoksrapport.errors import BesoksrapportError
from besoksrapport.outbox.assignment import move_report
from besoksrapport.outbox.context import Context
from besoksrapport.report import Report
from besoksrapport.swedish import long_date


class MoveRefused(BesoksrapportError):
    """A move that cannot be made; the message is Swedish."""


class NotAMeeting(MoveRefused):
    def __init__(self, day: dt.date):
        self.day = day
        super().__init__(f"Den {long_date(day)} finns inget sammanträde i konfigurationen.")


class NoSuchReport(MoveRefused):
    def __init__(self, report_id: str):
        self.report_id = report_id
        super().__init__(f"Det finns ingen rapport med id {report_id}.")


@dataclass(frozen=True)
class Move:
    report: Report
    before: dt.date | None  # the meeting it left (None: it had none)
    to: dt.date


def move_to_meeting(ctx: Context, report_id: str, day: dt.date) -> Move:
    """Move the report to the meeting on ``day``; both folders are refiled (see assignment)."""
    if day not in ctx.committee.meetings:
        raise NotAMeeting(day)
    try:
        report, before = move_report(ctx, report_id, day)
    except KeyError:
        raise NoSuchReport(report_id) from None
    return Move(report, before, day)
