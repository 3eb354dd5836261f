"""Receiving a report: validate, quarantine or assign a meeting, record, give a receipt.

The one path every delivery takes, whatever brought it (the webhook today): the caller has
authenticated the delivery and parsed its JSON; the rest is here, so the transport keeps
only its own concerns (status codes, headers). The report and its first job are one
durable transaction, the repeat check included (see ``Storage.record_report``): a repeat
of a delivery ends in the first delivery's report, marked as not created.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from .committee import Committee
from .context import Context
from .errors import ReportInvalid
from .jobs import jobs_for_new_report
from .meeting import assign_meeting
from .report import Report
from .swedish import long_date
from .validation import validate_envelope


@dataclass(frozen=True)
class Receipt:
    """A report kept durably: new (``created``) or the one a repeat delivery stands for."""

    report: Report
    created: bool
    text: str  # the Swedish sentence the platform shows the politician


def receipt_text(committee: Committee, meeting: date | None) -> str:
    """The Swedish sentence the platform shows the politician after sending."""
    if meeting is None:
        return ("Tack! Din rapport har tagits emot. Den skickas med till nästa sammanträde "
                "när det är planerat.")
    return (f"Tack! Din rapport skickas med till {committee.genitive} sammanträde den "
            f"{long_date(meeting)}.")


def receive(ctx: Context, delivery_id: str, body: bytes, envelope: Any,
            text: str | None = None, *, received_at: datetime | None = None) -> Receipt:
    """Keep one authenticated delivery: as a report, or in quarantine with its errors.

    ``envelope`` is the parsed ``body`` (any JSON value), ``text`` its decoded text when the
    caller has it (the text-safety check then reads it once). An invalid delivery is kept
    for the secretary and raises ``ReportInvalid`` with every issue; a storage failure
    raises ``StorageUnavailable`` and keeps nothing, so the sender tries again.
    """
    received_at = received_at or datetime.now(UTC)
    issues = validate_envelope(envelope, text)
    if issues:
        ctx.storage.record_quarantine(delivery_id, body, issues, received_at)
        raise ReportInvalid(issues)
    meeting = assign_meeting(ctx.committee, received_at)
    report, created = ctx.storage.record_report(delivery_id, body, envelope, received_at,
                                                meeting, jobs=jobs_for_new_report())
    return Receipt(report, created, receipt_text(ctx.committee, report.meeting_date))
