"""The secretary withdraws (makulerar) a report, or brings it back (page and command alike).

A withdrawn report stays in the database with the reason, who and when, and is listed as
withdrawn; it leaves every public file at once: its meeting is filed again (the filing
publishes only what ``privacy.review.public_reports`` lets through), and the delivery
removes it from the document system's folder. The politician is told, in the same
transaction: by e-mail for a report whose platform gave the submitter's address (unless
``BESOKSRAPPORT_WITHDRAWAL_MAIL=false``), and through ``ctx.withdrawal_notices`` (Open
ePlatform's message and status).
"""

from __future__ import annotations

import datetime as dt
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass

from besoksrapport.delivery.mail import politician_message
from besoksrapport.delivery.smtp import send_message
from besoksrapport.errors import BesoksrapportError, PermanentError
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.jobs import filing_job
from besoksrapport.outbox.registry import JobKind, about_report
from besoksrapport.reception.notices import (
    RESTORED_SUBJECT,
    WITHDRAWN_SUBJECT,
    restored_text,
    withdrawn_text,
)
from besoksrapport.report import Report
from besoksrapport.storage import Job, QueuedJob, Withdrawal
from besoksrapport.swedish import DISCUSSION_POINTS, long_datetime

NOTIFY_WITHDRAWAL = "notify_withdrawal"
MAX_REASON = 1000


class WithdrawalRefused(BesoksrapportError):
    """A withdrawal or restoration that cannot be made; the message is Swedish."""


@dataclass(frozen=True)
class Change:
    report: Report
    meeting: dt.date | None
    withdrawal: Withdrawal | None  # the withdrawal made, or (restoring) the one undone


def _reason(text: str) -> str:
    tidy = " ".join(unicodedata.normalize("NFC", text).split())
    if not tidy:
        raise WithdrawalRefused("Skriv skälet till att rapporten makuleras.")
    if len(tidy) > MAX_REASON or any(unicodedata.category(c) == "Cc" for c in tidy):
        raise WithdrawalRefused(f"Skälet får vara högst {MAX_REASON} tecken, utan styrtecken.")
    return tidy


def _report(ctx: Context, report_id: str) -> Report:
    try:
        return ctx.storage.get_report(report_id)
    except KeyError:
        raise WithdrawalRefused(f"Det finns ingen rapport med id {report_id}.") from None


def _from_open_eplatform(ctx: Context, report: Report) -> bool:
    """A report the platform sent is told there (``withdrawal_notices``), not by mail."""
    return any(instance.report_id == report.report_id
               for instance in ctx.storage.oep_instances())


def _mail_job(ctx: Context, report: Report, withdrawn: bool) -> list[QueuedJob]:
    if (not ctx.settings.withdrawal_mail or ctx.settings.smtp is None
            or not report.submitter.email or _from_open_eplatform(ctx, report)):
        return []
    notice = "withdrawn" if withdrawn else "restored"
    return [(NOTIFY_WITHDRAWAL, {"report_id": report.report_id, "notice": notice}, None)]


def _jobs(ctx: Context, report: Report,
          withdrawn: bool) -> Callable[[dt.date | None], list[QueuedJob]]:
    def jobs(meeting: dt.date | None) -> list[QueuedJob]:
        queued = [] if meeting is None else [filing_job(meeting)]
        queued += _mail_job(ctx, report, withdrawn)
        for notice in ctx.withdrawal_notices:
            queued += notice(ctx, report, withdrawn)
        return queued
    return jobs


def withdraw(ctx: Context, report_id: str, reason: str, by: str,
             now: dt.datetime | None = None) -> Change:
    """Withdraw the report: out of the public files, kept with the reason; the politician
    is told."""
    tidy = _reason(reason)
    report = _report(ctx, report_id)
    if report.report_id in ctx.storage.withdrawals():
        raise WithdrawalRefused(f"Rapport {report.report_id} är redan makulerad.")
    at = now or dt.datetime.now(dt.UTC)
    meeting, withdrawn = ctx.storage.withdraw_report(report.report_id, tidy, by, at,
                                                     _jobs(ctx, report, True))
    if not withdrawn:  # withdrawn meanwhile, by another request
        raise WithdrawalRefused(f"Rapport {report.report_id} är redan makulerad.")
    return Change(report, meeting, Withdrawal(report.report_id, tidy, by, at))


def restore(ctx: Context, report_id: str) -> Change:
    """Bring a withdrawn report back into its meeting's public files; the politician is told."""
    report = _report(ctx, report_id)
    if not any(name in report.answers for name in DISCUSSION_POINTS):
        # The form requires a discussion answer, so none left means gallring thinned the
        # body: restored, the report would be published without what the politician wrote.
        raise WithdrawalRefused(f"Rapport {report.report_id} kan inte återställas: det som "
                                "kontaktpolitikern skrev har gallrats.")
    meeting, undone = ctx.storage.restore_report(report.report_id, _jobs(ctx, report, False))
    if undone is None:
        raise WithdrawalRefused(f"Rapport {report.report_id} är inte makulerad.")
    return Change(report, meeting, undone)


def withdrawal_of(ctx: Context, report_id: str) -> Withdrawal | None:
    return ctx.storage.withdrawals().get(report_id)


def withdrawal_line(withdrawal: Withdrawal) -> str:
    """«Makulerad den 5 december 2026 kl. 10.15 av anna.berg. Skäl: …» for the lists."""
    return (f"Makulerad den {long_datetime(withdrawal.withdrawn_at)} av "
            f"{withdrawal.withdrawn_by}. Skäl: {withdrawal.reason}")


def notify_withdrawal_job(job: Job, ctx: Context) -> None:
    """Mail the politician that a report was withdrawn or restored, if it still is."""
    if ctx.settings.smtp is None:
        raise PermanentError("Ingen e-postserver är inställd (BESOKSRAPPORT_SMTP_HOST saknas).")
    report = ctx.report_of(job)
    if not report.submitter.email or not ctx.settings.withdrawal_mail:
        return
    withdrawal = ctx.storage.withdrawals().get(report.report_id)
    if job.payload.get("notice") == "withdrawn":
        if withdrawal is None:
            return  # restored since
        subject = WITHDRAWN_SUBJECT.format(report_id=report.report_id)
        body = withdrawn_text(ctx.committee, report, withdrawal.reason)
    else:
        if withdrawal is not None:
            return  # withdrawn again since
        subject = RESTORED_SUBJECT.format(report_id=report.report_id)
        body = restored_text(ctx.committee, report)
    smtp = ctx.settings.smtp
    send_message(smtp, politician_message(subject, "Hej!\n\n" + body, sender=smtp.sender,
                                          recipient=report.submitter.email))


JOB_KINDS = (
    JobKind(NOTIFY_WITHDRAWAL, notify_withdrawal_job, "e-post till kontaktpolitikern",
            about_report("e-post till kontaktpolitikern om rapport {report_id}")),
)
