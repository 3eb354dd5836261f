"""A received visit report, as the rest of the system sees it once it is stored.

The envelope the platform posted is kept verbatim (``raw_body``) so a document can always be
rebuilt from what was sent; everything here is derived from it plus what we decided at
reception (the id, the reception time, the meeting).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime, time
from typing import Any


@dataclass(frozen=True)
class Submitter:
    """The politician as the platform's login identified them."""

    id: str
    name: str
    email: str | None = None


@dataclass(frozen=True)
class Flag:
    """A breach of the guideline the secretary should look at; never shown in the public report."""

    code: str
    message: str  # Swedish, for the secretary


@dataclass
class Report:
    report_id: str
    submission_id: str
    received_at: datetime  # timezone-aware, UTC
    submitted_at: datetime  # timezone-aware, as the platform stated it
    submitter: Submitter
    answers: dict[str, Any]
    meeting_date: date | None = None
    flags: list[Flag] = field(default_factory=list)
    joint_visit_of: str | None = None  # report_id of the first report about the same visit
    # The secretary's diarienummer: the report's own as stored, or (when filed) its meeting's.
    diary_number: str | None = None

    @classmethod
    def from_envelope(cls, envelope: dict[str, Any], *, report_id: str, received_at: datetime,
                      meeting_date: date | None = None) -> Report:
        data = envelope["data"]
        who = data["submitter"]
        return cls(
            report_id=report_id,
            submission_id=data["submission_id"],
            received_at=received_at,
            submitted_at=datetime.fromisoformat(data["submitted_at"]),
            submitter=Submitter(id=who["id"], name=who["name"], email=who.get("email")),
            answers=_clock_times(data["answers"]),
            meeting_date=meeting_date,
        )

    @classmethod
    def from_raw(cls, raw_body: bytes, **kwargs: Any) -> Report:
        return cls.from_envelope(json.loads(raw_body), **kwargs)

    # Convenience views of the answers, so callers need not know the field names.
    @property
    def operation(self) -> str:
        return self.answers["operation"]

    @property
    def unit(self) -> str:
        return self.answers["unit"]

    @property
    def visit_date(self) -> date:
        return date.fromisoformat(self.answers["visit_date"])

    @property
    def start_time(self) -> time:
        return parse_clock(self.answers["start_time"])

    @property
    def end_time(self) -> time:
        return parse_clock(self.answers["end_time"])

    @property
    def duration_minutes(self) -> int:
        start, end = self.start_time, self.end_time
        return (end.hour * 60 + end.minute) - (start.hour * 60 + start.minute)

    @property
    def chair_decision_date(self) -> date | None:
        value = self.answers.get("chair_decision_date")
        return date.fromisoformat(value) if value else None


CLOCK_FIELDS = ("start_time", "end_time")


def parse_clock(text: str) -> time:
    """«09.30» or «9.30» (as Swedish writes it) or «09:30» (as a time picker sends it)."""
    return time.fromisoformat(_hh_mm(text))


def _hh_mm(text: str) -> str:
    """«9.30», «09.30» or «09:30» as «09:30»."""
    clock = text.replace(".", ":")
    return "0" + clock if clock.find(":") == 1 else clock


def _clock_times(answers: dict[str, Any]) -> dict[str, Any]:
    """The answers with the times of day as «HH:MM», however the politician wrote them."""
    if not any(isinstance(answers.get(name), str) and _hh_mm(answers[name]) != answers[name]
               for name in CLOCK_FIELDS):
        return answers
    return {**answers, **{name: _hh_mm(answers[name]) for name in CLOCK_FIELDS
                          if isinstance(answers.get(name), str)}}
