"""Assignment of a report to the first meeting whose deadline has not passed."""

import datetime as dt

import pytest

from besoksrapport.committee.meeting import assign_meeting, deadline_for, upcoming
from besoksrapport.committee.model import Committee, DeadlineRule

UTC = dt.UTC


def committee(*meetings: dt.date, days: int = 7, at: dt.time = dt.time(12, 0)) -> Committee:
    return Committee(municipality="Exempelby kommun", name="Välfärd- och servicenämnden",
                     meetings=tuple(sorted(meetings)),
                     deadline=DeadlineRule(days_before=days, at=at))


def utc(*args: int) -> dt.datetime:
    return dt.datetime(*args, tzinfo=UTC)


def test_deadline_is_the_configured_stockholm_time_days_before():
    c = committee(dt.date(2026, 12, 10))
    assert deadline_for(c, dt.date(2026, 12, 10)) == utc(2026, 12, 3, 11, 0)  # 12:00 CET


@pytest.mark.parametrize(
    ("received", "expected"),
    [
        (utc(2026, 12, 3, 10, 59), dt.date(2026, 12, 10)),  # a minute before the deadline
        (utc(2026, 12, 3, 11, 0), dt.date(2026, 12, 10)),  # at the deadline: not yet passed
        (utc(2026, 12, 3, 11, 1), dt.date(2027, 1, 28)),  # a minute after: the next meeting
    ],
)
def test_a_minute_either_side_of_the_deadline(received, expected):
    c = committee(dt.date(2026, 12, 10), dt.date(2027, 1, 28))
    assert assign_meeting(c, received) == expected


def test_deadlines_follow_summer_time():
    # Summer time starts on 28 March 2027: 12:00 is 11:00 UTC before, 10:00 UTC after.
    before, after = dt.date(2027, 4, 1), dt.date(2027, 4, 5)
    c = committee(before, after)
    assert deadline_for(c, before) == utc(2027, 3, 25, 11, 0)
    assert deadline_for(c, after) == utc(2027, 3, 29, 10, 0)
    assert assign_meeting(c, utc(2027, 3, 29, 9, 59)) == after
    assert assign_meeting(c, utc(2027, 3, 29, 10, 1)) is None


def test_deadlines_follow_the_return_to_winter_time():
    # Winter time returns on 31 October 2027: 12:00 is 10:00 UTC before and 11:00 UTC after.
    c = committee(dt.date(2027, 11, 4), days=4)
    assert deadline_for(c, dt.date(2027, 11, 4)) == utc(2027, 10, 31, 11, 0)
    assert assign_meeting(c, utc(2027, 10, 31, 10, 30)) == dt.date(2027, 11, 4)


def test_no_future_meeting_leaves_the_report_unassigned():
    c = committee(dt.date(2026, 12, 10))
    assert assign_meeting(c, utc(2026, 12, 20, 8, 0)) is None
    assert assign_meeting(committee(), utc(2026, 12, 20, 8, 0)) is None


def test_naive_times_are_refused_rather_than_guessed():
    with pytest.raises(ValueError, match="timezone"):
        assign_meeting(committee(dt.date(2026, 12, 10)), dt.datetime(2026, 12, 1, 8, 0))


def test_upcoming_lists_meetings_from_today():
    c = committee(dt.date(2026, 11, 1), dt.date(2026, 12, 10))
    assert upcoming(c, dt.date(2026, 11, 25)) == [dt.date(2026, 12, 10)]
