"""E-mail to the committee secretary from the outbox: one per filed report or a daily digest,
and one more about a report whose place in the yearly count a late report changed.

The documents are attached as the meeting folder holds them, found through its index.json
(``read_filed``): a mail never files a meeting again. A report counts as mailed once any
recipient has it; recipients a server refused for now are mailed again on their own.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from typing import Any

from besoksrapport.delivery.mail import (
    FiledDocument,
    digest_message,
    recount_message,
    report_message,
)
from besoksrapport.delivery.smtp import PartlyDelivered, send_message
from besoksrapport.errors import PermanentError
from besoksrapport.filing.folder import FiledMeeting, read_filed
from besoksrapport.filing.shared import shared_meeting
from besoksrapport.guideline.recount import recounted
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.registry import JobKind, about_report
from besoksrapport.report import Report
from besoksrapport.settings import SmtpSettings
from besoksrapport.storage import Job, QueuedJob
from besoksrapport.swedish import STOCKHOLM

NOTIFY_REPORT = "notify_report"
NOTIFY_DIGEST = "notify_digest"
NOTIFY_RECOUNT = "notify_recount"


def recount_jobs(changes: Sequence[tuple[Report, Any]], arrived: str) -> list[QueuedJob]:
    """The mail jobs for visits (other than the one that ``arrived``) whose count changed,
    one per visit (``recounted``); each result has the new ``flags``. Coalesced per report.
    The payload says, when it applies, that the visit was already beyond the 1–2 a year
    and which other reports are of the same visit."""
    jobs: list[QueuedJob] = []
    for recount in recounted(changes, arrived):
        payload: dict[str, Any] = {"report_id": recount.report_id}
        if recount.already_over:
            payload["already_over"] = True
        if recount.duplicates:
            payload["duplicates"] = list(recount.duplicates)
        jobs.append((NOTIFY_RECOUNT, payload, f"{NOTIFY_RECOUNT}:{recount.report_id}"))
    return jobs


def queue_notifications(ctx: Context, day: dt.date) -> None:
    """After a filing: mail the meeting's reports not mailed yet, now or in the digest."""
    waiting = [r for r in ctx.storage.unnotified_reports() if r.meeting_date == day]
    if ctx.committee.notify == "daily":
        if waiting:
            ctx.storage.enqueue(NOTIFY_DIGEST, {}, key=NOTIFY_DIGEST,
                                not_before=next_digest(ctx.committee.digest_at))
        return
    for report in waiting:
        ctx.storage.enqueue(NOTIFY_REPORT, {"report_id": report.report_id},
                            key=f"{NOTIFY_REPORT}:{report.report_id}")


def next_digest(at: dt.time, now: dt.datetime | None = None) -> dt.datetime:
    """The next time of day ``at`` in Stockholm, from ``now``."""
    here = (now or dt.datetime.now(dt.UTC)).astimezone(STOCKHOLM)
    candidate = dt.datetime.combine(here.date(), at, tzinfo=STOCKHOLM)
    if candidate <= here:
        candidate = dt.datetime.combine(here.date() + dt.timedelta(days=1), at, tzinfo=STOCKHOLM)
    return candidate


def _smtp(ctx: Context) -> SmtpSettings:
    """The mail server; a job queued before SMTP was switched off fails at once, not a day."""
    if ctx.settings.smtp is None:
        raise PermanentError("Ingen e-postserver är inställd (BESOKSRAPPORT_SMTP_HOST saknas).")
    return ctx.settings.smtp


def _filed_documents(ctx: Context, reports: list[Report]) -> list[FiledDocument]:
    """The reports' documents as their meetings' folders hold them; moved or unfiled ones
    are left out (the filing of the meeting they went to queues their mail)."""
    documents = []
    by_meeting: dict[dt.date, FiledMeeting | None] = {}
    for report in reports:
        if report.meeting_date is None:
            continue
        if report.meeting_date not in by_meeting:
            folder = ctx.meeting_dir(report.meeting_date)
            with shared_meeting(ctx.storage, folder, report.meeting_date):
                by_meeting[report.meeting_date] = read_filed(folder, report.meeting_date)
        filed = by_meeting[report.meeting_date]
        item = None if filed is None else next(
            (f for f in filed.files if f.report_id == report.report_id), None)
        if filed is None or item is None:
            continue
        data = (filed.meeting_dir / item.file_name).read_bytes()
        documents.append(FiledDocument(report, item.file_name, data))
    return documents


def _recipients(job: Job, ctx: Context) -> list[int]:
    """Positions in the committee's secretary list this job mails: all, or a follow-up's.

    A follow-up names its recipients by position so that no address is stored in the
    outbox; a position the configuration no longer has is a person's to sort out.
    """
    count = len(ctx.committee.secretary_emails)
    wanted = job.payload.get("recipients")
    if wanted is None:
        return list(range(count))
    if not wanted or any(not 0 <= position < count for position in wanted):
        raise PermanentError("Det nya utskicket gäller en mottagare som inte längre finns i "
                             "nämndens konfiguration.")
    return list(wanted)


def _follow_up(ctx: Context, kind: str, what: dict[str, Any], refused: list[int]) -> None:
    """Queue the same mail again for the recipients a server refused for now (4xx) only."""
    payload = {**what, "recipients": refused}
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
    ctx.storage.enqueue(kind, payload, key=f"{kind}:again:{digest}")


def _send(ctx: Context, job: Job, smtp: SmtpSettings,
          message: Callable[[list[str]], EmailMessage], report_ids: list[str],
          what: dict[str, Any]) -> None:
    """Mail the job's recipients and record the reports as mailed once anyone has them.

    When the server accepts some recipients and refuses others, those others are not
    mailed again with everyone: the reports count as sent (later filings and digests leave
    them out), and the job fails with the count and codes so the outbox shows it. A
    refusal that may pass (4xx only) queues a follow-up for the refused recipients alone.
    The follow-up is queued before the reports are marked: a crash in between costs a
    duplicate, never a lost mail. ``what`` is the follow-up's payload but its recipients.
    """
    positions = _recipients(job, ctx)
    emails = ctx.committee.secretary_emails
    try:
        send_message(smtp, message([emails[p] for p in positions]))
    except PartlyDelivered as error:
        refused = [positions[index] for index in sorted(error.refused)]
        if error.retryable:
            _follow_up(ctx, job.kind, what, refused)
        ctx.storage.mark_notified(report_ids, dt.datetime.now(dt.UTC))
        again = "; de får meddelandet i ett nytt utskick" if error.retryable else ""
        raise PermanentError(f"{error}{again}") from error
    ctx.storage.mark_notified(report_ids, dt.datetime.now(dt.UTC))


def notify_report_job(job: Job, ctx: Context) -> None:
    """One e-mail to the secretary for one filed report, its document attached.

    A follow-up (payload ``recipients``) goes to the recipients refused before, although
    the report already counts as mailed.
    """
    smtp = _smtp(ctx)
    report = ctx.report_of(job)
    if "recipients" not in job.payload and ctx.storage.notified(report.report_id):
        return
    documents = _filed_documents(ctx, [report])
    if not documents:
        return
    _send(ctx, job, smtp, lambda recipients: report_message(
        ctx.committee, documents[0], sender=smtp.sender, recipients=recipients),
        [report.report_id], {"report_id": report.report_id})


def notify_digest_job(job: Job, ctx: Context) -> None:
    """One e-mail a day with every report filed since the last one.

    A follow-up (payload ``report_ids`` and ``recipients``) sends the digest it repeats,
    those reports only, to the recipients refused before.
    """
    smtp = _smtp(ctx)
    if "recipients" in job.payload:
        try:
            reports = [ctx.storage.get_report(report_id)
                       for report_id in job.payload["report_ids"]]
        except KeyError:
            raise PermanentError("Det nya utskicket av den dagliga sammanfattningen gäller "
                                 "en rapport som inte längre finns.") from None
    else:
        reports = ctx.storage.unnotified_reports()
    documents = _filed_documents(ctx, reports)
    if not documents:
        return
    report_ids = [d.report.report_id for d in documents]
    _send(ctx, job, smtp, lambda recipients: digest_message(
        ctx.committee, documents, sender=smtp.sender, recipients=recipients),
        report_ids, {"report_ids": report_ids})


def notify_recount_job(job: Job, ctx: Context) -> None:
    """One e-mail about a report already mailed whose place in the yearly count changed.

    A report not mailed yet is left to its own mail, which shows its flags as they are.
    """
    smtp = _smtp(ctx)
    report = ctx.report_of(job)
    if report.meeting_date is None:
        return  # taken off every meeting since: nothing of it is on an agenda
    if "recipients" not in job.payload and not ctx.storage.notified(report.report_id):
        return
    already_over = bool(job.payload.get("already_over"))
    duplicates = [str(other) for other in job.payload.get("duplicates", [])]
    what: dict[str, Any] = {key: job.payload[key] for key in ("report_id", "already_over",
                                                              "duplicates")
                            if key in job.payload}
    _send(ctx, job, smtp, lambda recipients: recount_message(
        ctx.committee, report, sender=smtp.sender, recipients=recipients,
        already_over=already_over, duplicates=duplicates),
        [report.report_id], what)


JOB_KINDS = (
    JobKind(NOTIFY_REPORT, notify_report_job, "e-post till sekreteraren",
            about_report("e-post till sekreteraren om rapport {report_id}")),
    JobKind(NOTIFY_DIGEST, notify_digest_job, "daglig sammanfattning till sekreteraren"),
    JobKind(NOTIFY_RECOUNT, notify_recount_job,
            "e-post till sekreteraren om ändrad räkning av besök"),
)
