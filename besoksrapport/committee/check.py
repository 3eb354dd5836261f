"""What ``besoksrapport check-config`` and the secretary's page say about the configuration."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from besoksrapport.committee.meeting import deadline_for, upcoming
from besoksrapport.committee.model import Committee
from besoksrapport.committee.roster import roster_problems


@dataclass(frozen=True)
class ConfigCheck:
    meetings: int
    coming: int
    next_meeting: dt.date | None
    next_deadline: dt.datetime | None
    politicians: int
    problems: list[str]  # the roster's breaches of the guideline, in Swedish


def check_committee(committee: Committee, today: dt.date) -> ConfigCheck:
    coming = upcoming(committee, today)
    first = coming[0] if coming else None
    return ConfigCheck(meetings=len(committee.meetings), coming=len(coming), next_meeting=first,
                       next_deadline=deadline_for(committee, first) if first else None,
                       politicians=len(committee.politicians),
                       problems=list(roster_problems(committee)))
