"""What happens to a received report after the webhook has answered: the outbox's jobs.

The webhook stores the report together with the jobs from ``jobs_for_new_report`` in one
transaction; the worker then runs them from the outbox, in this chain:

``process_report``  check the guideline's rules for the visit's year (flags, joint visits),
                    mark the report for the secretary's e-mail, then file its meeting;
``file_meeting``    bring the meeting folder in line with the meeting's reports (report
                    DOCX files, index.json), then queue the WebDAV delivery, the e-mail
                    and, when the set of documents changed, the meeting's documents;
``build_bundle``    rebuild the meeting's Förteckning and bundle, once per burst: queued a
                    few seconds ahead and pushed back by every filing meanwhile
                    (``Storage.debounce``), so filing a report costs the same whatever the
                    meeting's size (the background worker; a command files all at once);
``deliver_meeting`` mirror the meeting folder, as its index.json lists it, to the
                    document system (``ctx.document_system``, WebDAV today);
``notify_*``        e-mail the secretary (see ``mail_jobs``).

Other packages hear of a filing through ``ctx.after_filing`` (Open ePlatform sets its status
«filed» so), never by being imported here.

Every handler is idempotent (a job may run again after a crash), and later jobs are queued
only after the earlier step succeeded, so a failing document system or mail server delays
its own step and nothing else. Jobs are coalesced by key: a meeting changed ten times while
the document system was down is delivered once when it comes back.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from besoksrapport.errors import PermanentError
from besoksrapport.filing.folder import FiledMeeting, file_meeting, read_filed
from besoksrapport.filing.shared import shared_meeting
from besoksrapport.guideline.flags import assess_all
from besoksrapport.outbox import mail_jobs
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.registry import JobKind, about_meeting, about_report
from besoksrapport.privacy.review import public_reports
from besoksrapport.storage import Job, NewJob, QueuedJob, Storage

PROCESS_REPORT = "process_report"
FILE_MEETING = "file_meeting"
DELIVER_MEETING = "deliver_meeting"
BUILD_BUNDLE = "build_bundle"


def jobs_for_new_report() -> list[NewJob]:
    """The jobs committed with a new report (storage adds its ``report_id`` to each payload)."""
    return [(PROCESS_REPORT, {})]


def _day(job: Job) -> dt.date:
    return dt.date.fromisoformat(job.payload["meeting_date"])


def filing_job(meeting_date: dt.date) -> QueuedJob:
    """The (coalesced) job that refiles a meeting."""
    day = meeting_date.isoformat()
    return (FILE_MEETING, {"meeting_date": day}, f"{FILE_MEETING}:{day}")


def queue_filing(storage: Storage, meeting_date: dt.date) -> None:
    """(Re)file a meeting soon; pending requests for the same meeting are one."""
    kind, payload, key = filing_job(meeting_date)
    storage.enqueue(kind, payload, key=key)


def process_report(job: Job, ctx: Context) -> None:
    """Assess the report against the guideline, then queue its meeting's filing.

    A late report that moves another report's place in the yearly count queues, in the
    same transaction, a mail telling the secretary about that report (``recount``).
    """
    report = ctx.report_of(job)
    year = report.visit_date.year
    mails = ctx.settings.smtp is not None and bool(ctx.committee.secretary_emails)
    # The year, as far as this report can change it: a late report about an earlier date
    # moves its politician's later visits in the count, and its day's joint-visit links.
    ctx.storage.reassess(dt.date(year, 1, 1), dt.date(year, 12, 31),
                         lambda reports: assess_all(reports, ctx.committee),
                         jobs=(lambda changes: mail_jobs.recount_jobs(changes, report.report_id))
                         if mails else None,
                         around=(report.submitter.id, report.visit_date))
    if mails:
        # Only reports processed while mail is on are mailed: turning SMTP on later must
        # not send the secretary every report that came in before, all at once.
        ctx.storage.mark_for_notification(report.report_id)
    if report.meeting_date is not None:
        queue_filing(ctx.storage, report.meeting_date)


def file_meeting_job(job: Job, ctx: Context) -> None:
    """Write the meeting folder; then deliver it and tell the secretary."""
    day = _day(job)
    filed = file_meeting_now(ctx, day, documents=not ctx.defer_bundles, convert_pdf=True)
    if filed.documents_stale:
        queue_bundle(ctx, day)
    for hook in ctx.after_filing:
        hook(ctx, filed)
    # Always queue the delivery (it is coalesced and idempotent): a crash after the folder
    # changed but before this line must not leave the document system behind.
    queue_delivery(ctx, day)
    if ctx.settings.smtp is not None and ctx.committee.secretary_emails:
        mail_jobs.queue_notifications(ctx, day)


def queue_bundle(ctx: Context, day: dt.date) -> None:
    """Rebuild the Förteckning and the bundle when the burst of filings is over (one job per
    meeting)."""
    ctx.storage.debounce(BUILD_BUNDLE, {"meeting_date": day.isoformat()},
                         f"{BUILD_BUNDLE}:{day.isoformat()}",
                         delay=ctx.settings.bundle_delay_seconds,
                         max_wait=ctx.settings.bundle_max_wait_seconds)


def queue_delivery(ctx: Context, day: dt.date) -> None:
    if ctx.document_system is not None:
        ctx.storage.enqueue(DELIVER_MEETING, {"meeting_date": day.isoformat()},
                            key=f"{DELIVER_MEETING}:{day.isoformat()}")


def build_bundle_job(job: Job, ctx: Context) -> None:
    """File the meeting with its Förteckning and bundle (cheap for the reports: nothing new
    to render), then deliver the folder again. A filing meanwhile queues another after it."""
    day = _day(job)
    filed = file_meeting_now(ctx, day, documents=True, convert_pdf=True)
    if filed.changed:
        queue_delivery(ctx, day)


def deliver_meeting_job(job: Job, ctx: Context) -> None:
    """Mirror the meeting folder, as its last filing left it, to the document system.

    The files come from the folder's index.json (``read_filed``); nothing is filed again.
    A moved report's file is already gone locally, so the client finds what to delete on
    the server by listing the remote folder (see ``WebdavClient.deliver_meeting``). A
    folder never filed (the data folder was restored without it) is filed first, and that
    filing queues this delivery again. A permanent ``TransportFailed`` fails the job at
    once (the worker sees to it); a temporary one is retried with backoff. Its text names
    the meeting and the status, never a report's file name.
    """
    if ctx.document_system is None:
        raise PermanentError("Inget dokumentsystem är inställt (BESOKSRAPPORT_WEBDAV_URL "
                             "saknas).")
    day = _day(job)
    with shared_meeting(ctx.storage, ctx.meeting_dir(day), day):
        filed = read_filed(ctx.meeting_dir(day), day)
    if filed is None:
        queue_filing(ctx.storage, day)
        return
    ctx.document_system.deliver_meeting(filed)


def file_meeting_now(ctx: Context, day: dt.date,
                     on_render: Callable[[], None] | None = None, *,
                     documents: bool = True, convert_pdf: bool = False) -> FiledMeeting:
    """Bring the meeting's folder in line with its reports; cheap when nothing changed.

    Only what is published goes in: no withdrawn report, and a report with personal data
    as the secretary approved or masked it (held back until then, see ``privacy.review``).
    ``documents=False`` leaves the Förteckning and the bundle as they are when they are
    behind (see ``queue_bundle``). PDF/A
    conversion takes seconds, so only the outbox converts (``convert_pdf``); filed elsewhere
    (the secretary's page, a command), a PDF left to make queues the outbox's filing, which
    makes it and delivers it. With several hosts, one at a time, starting from and
    publishing to the shared store.
    """
    reports = public_reports(ctx.storage, ctx.storage.reports_for_meeting(day),
                             hold=ctx.settings.hold_personal_data)
    with shared_meeting(ctx.storage, ctx.meeting_dir(day), day, publish=True):
        filed = file_meeting(ctx.meeting_dir(day), day, ctx.committee, reports,
                             ctx.renderers, on_render=on_render,
                             diary_number=ctx.storage.meeting_diary_number(day),
                             documents=documents, pdf=ctx.pdf, convert_pdf=convert_pdf)
    if filed.pdf_pending and not convert_pdf:
        queue_filing(ctx.storage, day)
    return filed


JOB_KINDS = (
    JobKind(PROCESS_REPORT, process_report, "kontroll av rapport",
            about_report("kontroll av rapport {report_id}")),
    JobKind(FILE_MEETING, file_meeting_job, "sparande i sammanträdets mapp",
            about_meeting("sparande i mappen för sammanträdet den {day}")),
    JobKind(BUILD_BUNDLE, build_bundle_job, "förteckning och samlingsdokument",
            about_meeting("förteckningen och dokumentet med samtliga återrapporter för "
                          "sammanträdet den {day}"),
            debounced=True),
    JobKind(DELIVER_MEETING, deliver_meeting_job, "överföring till dokumentsystemet",
            about_meeting("överföring till dokumentsystemet för sammanträdet den {day}")),
)
