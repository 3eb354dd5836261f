"""Receiving a report: validate, quarantine or assign a meeting, record, give a receipt.

The one path every delivery takes, whatever brought it (the webhook today): the caller has
authenticated the delivery and parsed its JSON; the rest is here, so the transport keeps
only its own concerns (status codes, headers). The report and its first job are one
durable transaction, the repeat check included (see ``Storage.record_report``): a repeat
of a delivery ends in the first delivery's report, marked as not created. The receipt
names the report's id and, when the visit is the politician's third ordinary one of the
year, says so (``visit_count``: a few rows read after the commit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, NoReturn

from besoksrapport.committee.meeting import assign_meeting, deadline_for
from besoksrapport.committee.model import Committee
from besoksrapport.errors import ReportInvalid, ValidationIssue
from besoksrapport.form.validation import validate_envelope
from besoksrapport.guideline.visits import ORDINARY_PER_YEAR
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.jobs import jobs_for_new_report
from besoksrapport.reception.visit_count import ordinary_visit_number
from besoksrapport.report import Report
from besoksrapport.swedish import STOCKHOLM, clock, long_date, ordinal_word


@dataclass(frozen=True)
class Receipt:
    """A report kept durably: new (``created``) or the one a repeat delivery stands for."""

    report: Report
    created: bool
    text: str  # the Swedish sentence the platform shows the politician


def _missed_deadline(committee: Committee, report: Report) -> str:
    """Why the report goes to a later meeting than the next one: its deadline had passed.

    Empty when it goes to the next meeting held on or after the day it came in."""
    received = report.received_at.astimezone(STOCKHOLM)
    missed = [meeting for meeting in sorted(committee.meetings)
              if received.date() <= meeting
              and (report.meeting_date is None or meeting < report.meeting_date)
              and deadline_for(committee, meeting) < received]
    if not missed:
        return ""
    meeting = missed[0]
    deadline = deadline_for(committee, meeting)
    return (f" Rapporten kom in efter sista dagen för sammanträdet den {long_date(meeting)} "
            f"({long_date(deadline.date())} kl. {clock(deadline.time())}), så den tas upp "
            "vid ett senare sammanträde.")


def receipt_text(committee: Committee, report: Report,
                 ordinary_number: int | None = None) -> str:
    """The Swedish text the platform shows the politician after sending.

    It says why the report goes to a later meeting when the next one's deadline had passed.
    ``ordinary_number`` is the visit's place among the politician's ordinary visits of its
    year (``visit_count``); beyond the guideline's one or two the receipt says so, and what
    to do if the chair did decide on the visit. A wish to sum the visit up orally at the
    meeting is acknowledged.
    """
    text = (f"Tack! Vi har tagit emot din rapport {report.report_id}. Den är nu en allmän "
            "handling och skickas med till ")
    if report.meeting_date is None:
        text += f"{committee.genitive} nästa sammanträde när det är planerat."
    else:
        text += f"{committee.genitive} sammanträde den {long_date(report.meeting_date)}."
    text += _missed_deadline(committee, report)
    if ordinary_number is not None and ordinary_number > ORDINARY_PER_YEAR:
        text += (f" Observera att det här är ditt {ordinal_word(ordinary_number)} ordinarie "
                 f"besök under {report.visit_date.year} utan beslut av ordföranden. Enligt "
                 "riktlinjerna deltar en kontaktpolitiker vid 1–2 verksamhetsbesök per år, "
                 "och fler besök görs efter beslut av ordföranden. Nämndsekreteraren får "
                 "också veta det. Om ordföranden har beslutat om besöket, kontakta "
                 "nämndsekreteraren.")
    if report.answers.get("oral_summary") is True:
        text += (" Du har angett att du vill göra en muntlig sammanfattning av besöket vid "
                 "sammanträdet; nämndsekreteraren får veta det.")
    return text


def refuse(ctx: Context, delivery_id: str, body: bytes, issues: list[ValidationIssue],
           received_at: datetime | None = None) -> NoReturn:
    """Keep an authenticated delivery that cannot be a report in quarantine; raises
    ``ReportInvalid`` (the issues capped to what is worth showing), or
    ``StorageUnavailable`` when nothing could be kept.

    For deliveries refused before they are parsed (``form.depth``) as for invalid ones.
    """
    refusal = ReportInvalid(issues)
    ctx.storage.record_quarantine(delivery_id, body, refusal.issues,
                                  received_at or datetime.now(UTC))
    raise refusal


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
        refuse(ctx, delivery_id, body, issues, received_at)
    meeting = assign_meeting(ctx.committee, received_at)
    report, created = ctx.storage.record_report(delivery_id, body, envelope, received_at,
                                                meeting, jobs=jobs_for_new_report())
    number = ordinary_visit_number(ctx.storage, report)
    return Receipt(report, created, receipt_text(ctx.committee, report, number))
