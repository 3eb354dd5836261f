"""The secretary's review of reports with personal data (page and command alike).

She approves the text as written or publishes a masked copy; the meeting is filed again in
the same transaction, so the public folder and the document system get that version. What
still needs review is counted per meeting for the overview, with a warning while the
meeting's deadline is near and its held reports would miss the documents.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from besoksrapport.committee.meeting import deadline_for
from besoksrapport.errors import BesoksrapportError
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.jobs import filing_job
from besoksrapport.privacy.review import APPROVED, DECISIONS, MASKED, needs_review
from besoksrapport.report import Report
from besoksrapport.storage import PrivacyReview, QueuedJob
from besoksrapport.swedish import long_date, long_datetime, quantity

DECISION_WORDS = {APPROVED: "godkänd som den är skriven",
                  MASKED: "publiceras med uppgifterna borttagna"}
WARN_DAYS = 7  # how long before a deadline the overview warns of held reports


class ReviewRefused(BesoksrapportError):
    """A review that cannot be made; the message is Swedish."""


def _refile(meeting: dt.date | None) -> list[QueuedJob]:
    return [] if meeting is None else [filing_job(meeting)]


def review(ctx: Context, report_id: str, decision: str, by: str,
           now: dt.datetime | None = None) -> tuple[Report, dt.date | None]:
    """Record the decision (``approved`` or ``masked``) and refile the report's meeting."""
    if decision not in DECISIONS:
        raise ReviewRefused("Välj att godkänna texten eller att ta bort uppgifterna.")
    try:
        report = ctx.storage.get_report(report_id)
    except KeyError:
        raise ReviewRefused(f"Det finns ingen rapport med id {report_id}.") from None
    meeting = ctx.storage.review_report(report.report_id, decision, by,
                                        now or dt.datetime.now(dt.UTC), _refile)
    return report, meeting


@dataclass(frozen=True)
class ReviewState:
    """A meeting's reports that wait for the secretary's review of their personal data."""

    day: dt.date
    deadline: dt.datetime
    waiting: list[str]  # report ids
    held: bool  # held out of the public files until reviewed (else published, flagged)

    @property
    def warn(self) -> bool:
        """Held reports and a deadline in the coming week (or passed): say so loudly."""
        if not self.waiting or not self.held:
            return False
        return self.deadline - dt.datetime.now(dt.UTC) <= dt.timedelta(days=WARN_DAYS)


def waiting_for_review(ctx: Context, day: dt.date) -> ReviewState:
    reviews = ctx.storage.privacy_reviews()
    withdrawn = ctx.storage.withdrawals()
    waiting = [report.report_id for report in ctx.storage.reports_for_meeting(day)
               if report.report_id not in withdrawn
               and needs_review(report, reviews.get(report.report_id))]
    return ReviewState(day, deadline_for(ctx.committee, day), waiting,
                       ctx.settings.hold_personal_data)


def review_of(ctx: Context, report_id: str) -> PrivacyReview | None:
    return ctx.storage.privacy_reviews().get(report_id)


def review_lines(ctx: Context, today: dt.date) -> list[str]:
    """The overview's Swedish lines about reports still waiting for review, per meeting."""
    lines = []
    for day in sorted(day for day in ctx.committee.meetings if day >= today):
        state = waiting_for_review(ctx, day)
        if not state.waiting:
            continue
        line = (f"{quantity(len(state.waiting), 'rapport', 'rapporter')} till sammanträdet den "
                f"{long_date(day)} väntar på granskning av personuppgifter innan handlingarna "
                "publiceras (”besoksrapport review”)")
        if state.warn:
            line += f"; sista tid för rapporter: den {long_datetime(state.deadline)}"
        lines.append(("\nObs! " if state.warn else "\n") + line + ".")
    return lines
