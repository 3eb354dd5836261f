"""What happens to a received report after the webhook has answered.

The webhook stores the report together with the jobs from ``jobs_for_new_report`` in one
transaction; the worker then runs them from the outbox, in this chain:

``process_report``  check the guideline's rules for the visit's year (flags, joint visits),
                    mark the report for the secretary's e-mail, then file its meeting;
``file_meeting``    bring the meeting folder in line with the meeting's reports (report
                    DOCX files, Förteckning, bundle, index.json), then queue the WebDAV
                    delivery and the e-mail;
``deliver_meeting`` mirror the meeting folder to the document system (WebDAV);
``notify_report`` / ``notify_digest``  e-mail the secretary, one per report or one a day.

Every handler is idempotent (a job may run again after a crash), and later jobs are queued
only after the earlier step succeeded, so a failing document system or mail server delays
its own step and nothing else. Jobs are coalesced by key: a meeting changed ten times while
the document system was down is delivered once when it comes back.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import logging
from collections.abc import Callable
from email.message import EmailMessage
from typing import Any

from docgen.report import render_report
from docgen.template import Template

from .committee_config import load_committee
from .errors import ConfigError
from .filing.errors import DeliveryFailed
from .filing.folder import FiledMeeting, file_meeting
from .filing.webdav import WebdavClient
from .flags import assess_all
from .mail import (
    FiledDocument,
    PartlyDelivered,
    digest_message,
    report_message,
    send_message,
)
from .meeting import assign_meeting
from .report import Report
from .settings import PREFIX, Settings, load_settings
from .storage import Job, QueuedJob, Storage, open_storage
from .swedish import STOCKHOLM
from .worker import Context, Handler, PermanentError

log = logging.getLogger("besoksrapport.pipeline")

PROCESS_REPORT = "process_report"
FILE_MEETING = "file_meeting"
DELIVER_MEETING = "deliver_meeting"
NOTIFY_REPORT = "notify_report"
NOTIFY_DIGEST = "notify_digest"

Renderer = Callable[[Report], bytes]


def jobs_for_new_report() -> list[tuple[str, dict[str, Any]]]:
    """The jobs committed with a new report (storage adds its ``report_id`` to each payload)."""
    return [(PROCESS_REPORT, {})]


def _load_report(job: Job, ctx: Context) -> Report:
    try:
        return ctx.storage.get_report(job.payload["report_id"])
    except KeyError:
        raise PermanentError(f"no report {job.payload.get('report_id')!r}") from None


def _day(job: Job) -> dt.date:
    return dt.date.fromisoformat(job.payload["meeting_date"])


def queue_filing(storage: Storage, meeting_date: dt.date) -> None:
    """(Re)file a meeting soon; pending requests for the same meeting are one."""
    storage.enqueue(FILE_MEETING, {"meeting_date": meeting_date.isoformat()},
                    key=f"{FILE_MEETING}:{meeting_date.isoformat()}")


def process_report(job: Job, ctx: Context) -> None:
    """Assess the report against the guideline, then queue its meeting's filing."""
    report = _load_report(job, ctx)
    year = report.visit_date.year
    # The whole year: a late report about an earlier date can change the others' flags.
    ctx.storage.reassess(dt.date(year, 1, 1), dt.date(year, 12, 31),
                         lambda reports: assess_all(reports, ctx.committee))
    ctx.storage.mark_for_notification(report.report_id)
    if report.meeting_date is not None:
        queue_filing(ctx.storage, report.meeting_date)


def render_key(ctx: Context) -> str:
    """A digest of the template: a new template re-renders every filed report."""
    if "render_key" not in ctx.extra:
        data = ctx.template.data if ctx.template is not None else b""
        ctx.extra["render_key"] = hashlib.sha256(data).hexdigest()
    return ctx.extra["render_key"]


def file_meeting_job(job: Job, ctx: Context) -> None:
    """Write the meeting folder; then deliver it and tell the secretary."""
    day = _day(job)
    file_meeting_now(ctx, day)
    # Always queue the delivery (it is coalesced and idempotent): a crash after the folder
    # changed but before this line must not leave the document system behind.
    if ctx.settings.webdav is not None:
        ctx.storage.enqueue(DELIVER_MEETING, {"meeting_date": day.isoformat()},
                            key=f"{DELIVER_MEETING}:{day.isoformat()}")
    if ctx.settings.smtp is not None and ctx.committee.secretary_emails:
        _queue_notifications(ctx, day)


def _queue_notifications(ctx: Context, day: dt.date) -> None:
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


def deliver_meeting_job(job: Job, ctx: Context) -> None:
    """Mirror the meeting folder to the document system (refiled first: it is cheap).

    The refiling has already removed a moved report's file locally, so the client finds
    what to delete on the server by listing the remote folder (see
    ``WebdavClient.deliver_meeting``). A permanent ``DeliveryFailed`` fails the job at
    once; a temporary one is retried with backoff. Its text names the meeting and the
    status, never a report's file name.
    """
    if ctx.settings.webdav is None:
        raise PermanentError("no document system configured (BESOKSRAPPORT_WEBDAV_URL)")
    filed = file_meeting_now(ctx, _day(job))
    try:
        WebdavClient(ctx.settings.webdav).deliver_meeting(filed)
    except DeliveryFailed as error:
        if not error.retryable:
            raise PermanentError(str(error)) from error
        raise


def file_meeting_now(ctx: Context, day: dt.date,
                     wrap: Callable[[Renderer], Renderer] | None = None) -> FiledMeeting:
    """Bring the meeting's folder in line with its reports; cheap when nothing changed.

    ``wrap`` may decorate the renderer, e.g. to show progress.
    """
    def render(report: Report) -> bytes:
        return render_report(report, ctx.committee, template=ctx.template)

    return file_meeting(
        ctx.settings.meetings_dir / day.isoformat(), day, ctx.committee,
        ctx.storage.reports_for_meeting(day), wrap(render) if wrap else render,
        template=ctx.template, render_key=render_key(ctx))


def _filed_documents(ctx: Context, reports: list[Report]) -> list[FiledDocument]:
    documents = []
    by_meeting: dict[dt.date, FiledMeeting] = {}
    for report in reports:
        if report.meeting_date is None:
            continue
        if report.meeting_date not in by_meeting:
            by_meeting[report.meeting_date] = file_meeting_now(ctx, report.meeting_date)
        filed = by_meeting[report.meeting_date]
        item = next((f for f in filed.files if f.report_id == report.report_id), None)
        if item is None:  # moved to another meeting since: that filing queues its own mail
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
        raise PermanentError("the follow-up e-mail names a recipient the committee "
                             "configuration no longer has")
    return list(wanted)


def _follow_up(ctx: Context, kind: str, what: dict[str, Any], refused: list[int]) -> None:
    """Queue the same mail again for the recipients a server refused for now (4xx) only."""
    payload = {**what, "recipients": refused}
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True).encode()).hexdigest()[:16]
    ctx.storage.enqueue(kind, payload, key=f"{kind}:again:{digest}")


def _send(ctx: Context, job: Job, message: Callable[[list[str]], EmailMessage],
          report_ids: list[str], what: dict[str, Any]) -> None:
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
        send_message(ctx.settings.smtp, message([emails[p] for p in positions]))
    except PartlyDelivered as error:
        refused = [positions[index] for index in sorted(error.refused)]
        if error.retryable:
            _follow_up(ctx, job.kind, what, refused)
        ctx.storage.mark_notified(report_ids, dt.datetime.now(dt.UTC))
        again = "; sent again to them alone in a new job" if error.retryable else ""
        raise PermanentError(f"{error}{again}") from error
    except DeliveryFailed as error:
        if not error.retryable:
            raise PermanentError(str(error)) from error
        raise
    ctx.storage.mark_notified(report_ids, dt.datetime.now(dt.UTC))


def notify_report_job(job: Job, ctx: Context) -> None:
    """One e-mail to the secretary for one filed report, its document attached.

    A follow-up (payload ``recipients``) goes to the recipients refused before, although
    the report already counts as mailed.
    """
    report = _load_report(job, ctx)
    if "recipients" not in job.payload and ctx.storage.notified(report.report_id):
        return
    documents = _filed_documents(ctx, [report])
    if not documents:
        return
    _send(ctx, job, lambda recipients: report_message(
        ctx.committee, documents[0], sender=ctx.settings.smtp.sender, recipients=recipients),
        [report.report_id], {"report_id": report.report_id})


def notify_digest_job(job: Job, ctx: Context) -> None:
    """One e-mail a day with every report filed since the last one.

    A follow-up (payload ``report_ids`` and ``recipients``) sends the digest it repeats,
    those reports only, to the recipients refused before.
    """
    if "recipients" in job.payload:
        try:
            reports = [ctx.storage.get_report(report_id)
                       for report_id in job.payload["report_ids"]]
        except KeyError:
            raise PermanentError("the follow-up digest names a report that is gone") from None
    else:
        reports = ctx.storage.unnotified_reports()
    documents = _filed_documents(ctx, reports)
    if not documents:
        return
    report_ids = [d.report.report_id for d in documents]
    _send(ctx, job, lambda recipients: digest_message(
        ctx.committee, documents, sender=ctx.settings.smtp.sender, recipients=recipients),
        report_ids, {"report_ids": report_ids})


HANDLERS: dict[str, Handler] = {
    PROCESS_REPORT: process_report,
    FILE_MEETING: file_meeting_job,
    DELIVER_MEETING: deliver_meeting_job,
    NOTIFY_REPORT: notify_report_job,
    NOTIFY_DIGEST: notify_digest_job,
}


def _refile(meeting: dt.date) -> Callable[[dt.date | None], list[QueuedJob]]:
    """The filing jobs of a report's old and new meeting, committed with the move."""
    def jobs(before: dt.date | None) -> list[QueuedJob]:
        return [(FILE_MEETING, {"meeting_date": day.isoformat()},
                 f"{FILE_MEETING}:{day.isoformat()}")
                for day in sorted({before, meeting} - {None})]
    return jobs


def assign_waiting(ctx: Context, now: dt.datetime | None = None) -> list[Report]:
    """Give unassigned reports a meeting now that the calendar may have been extended.

    A report waits for the first meeting whose deadline is after both its reception and
    now: a meeting that has already closed its list does not take it afterwards. Each
    assignment and its meeting's filing are one transaction, and a report the secretary
    has moved in the meantime keeps the meeting she chose.
    """
    now = now or dt.datetime.now(dt.UTC)
    assigned = []
    for report in ctx.storage.unassigned_reports():
        meeting = assign_meeting(ctx.committee, max(report.received_at, now))
        if meeting is None:
            continue
        if ctx.storage.set_meeting(report.report_id, meeting, jobs=_refile(meeting),
                                   if_unassigned=True) is None:
            assigned.append(report)
    return assigned


def move_report(ctx: Context, report_id: str, meeting: dt.date) -> tuple[Report, dt.date | None]:
    """The secretary moves a report to another meeting; both folders are refiled.

    The move and both filings are one transaction; the meeting it leaves is the one stored
    at that moment. Returns the moved report and that meeting.
    """
    before = ctx.storage.set_meeting(report_id, meeting, jobs=_refile(meeting))
    return ctx.storage.get_report(report_id), before


def load_template(settings: Settings) -> Template:
    """The DOCX template from BESOKSRAPPORT_TEMPLATE, else docgen's bundled one, loaded once."""
    try:
        return Template.load(settings.template_path)
    except ConfigError:
        raise
    except Exception as error:
        raise ConfigError(f"cannot read the template: {type(error).__name__}: {error}",
                          field=PREFIX + "TEMPLATE") from None


def build_context(settings: Settings, storage: Storage | None = None) -> Context:
    """Everything a handler needs, loaded once; configuration errors surface here."""
    return Context(
        settings=settings,
        storage=storage if storage is not None else open_storage(settings.database_path),
        committee=load_committee(settings.config_path),
        handlers=HANDLERS,
        template=load_template(settings),
    )


def command_context() -> Context:
    """The context for the secretary's commands: the service's settings, no webhook secret."""
    return build_context(load_settings(require_secrets=False))
