"""A meeting's deadline said in words, and whether a move to it needs a confirmation.

On 5 December «Nästa: den 10 december (sista tid … 3 december)» hides that the deadline has
passed and that new reports now go to the meeting after. The state is one of three: passed
(and where new reports go instead), today (until what time), or upcoming.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from besoksrapport.committee.meeting import assign_meeting, deadline_for
from besoksrapport.committee.model import Committee
from besoksrapport.swedish import STOCKHOLM, clock, long_date, long_datetime, quantity

PASSED, TODAY, UPCOMING = "passed", "today", "upcoming"


@dataclass(frozen=True)
class DeadlineState:
    state: str  # PASSED, TODAY or UPCOMING
    deadline: dt.datetime
    text: str  # the state in a Swedish sentence


def deadline_state(committee: Committee, day: dt.date, now: dt.datetime) -> DeadlineState:
    """The state of ``day``'s deadline at ``now``, in words."""
    deadline = deadline_for(committee, day)
    here = now.astimezone(STOCKHOLM)
    if now > deadline:
        instead = assign_meeting(committee, now)
        where = (f"sammanträdet den {long_date(instead)}" if instead else
                 "nästa sammanträde när det läggs in i konfigurationen")
        return DeadlineState(PASSED, deadline,
                             f"Sista tiden har gått ut; nya rapporter går till {where}.")
    if deadline.date() == here.date():
        return DeadlineState(TODAY, deadline,
                             f"Sista tiden går ut i dag kl. {clock(deadline.timetz())}.")
    days = (deadline.date() - here.date()).days
    return DeadlineState(UPCOMING, deadline,
                         f"Sista tiden går ut om {quantity(days, 'dag', 'dagar')}.")


def move_is_late(committee: Committee, day: dt.date, now: dt.datetime | None = None) -> bool:
    """Whether a move to ``day`` goes past its deadline (then the secretary confirms it)."""
    return (now or dt.datetime.now(dt.UTC)) > deadline_for(committee, day)


def late_move_warning(committee: Committee, day: dt.date) -> str:
    return (f"Sista tiden för sammanträdet den {long_date(day)} gick ut den "
            f"{long_datetime(deadline_for(committee, day))}. Handlingarna kan redan vara "
            "utskickade.")
