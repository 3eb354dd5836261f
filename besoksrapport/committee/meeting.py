"""Which sammanträde a report goes with: the first whose deadline has not passed.

Deadlines are wall-clock times in Stockholm (``days_before`` days before the meeting, at the
configured time), so they stay right across the changes to and from summer time.
"""

from __future__ import annotations

import datetime as dt

from besoksrapport.committee.model import Committee
from besoksrapport.swedish import STOCKHOLM


def deadline_for(committee: Committee, meeting: dt.date) -> dt.datetime:
    """The last moment a report can arrive and still go with ``meeting``."""
    day = meeting - dt.timedelta(days=committee.deadline.days_before)
    return dt.datetime.combine(day, committee.deadline.at, tzinfo=STOCKHOLM)


def assign_meeting(committee: Committee, received_at: dt.datetime) -> dt.date | None:
    """The meeting a report received at ``received_at`` goes with, or None if none is planned."""
    if received_at.tzinfo is None:
        raise ValueError("received_at must be timezone-aware")
    for meeting in committee.meetings:
        if received_at <= deadline_for(committee, meeting):
            return meeting
    return None


def upcoming(committee: Committee, today: dt.date) -> list[dt.date]:
    """Meetings on or after ``today``."""
    return [meeting for meeting in committee.meetings if meeting >= today]
