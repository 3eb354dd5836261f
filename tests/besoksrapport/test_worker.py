"""The outbox worker and the process_report job: retries, leases, idempotent documents."""

from __future__ import annotations

import io
import sqlite3
import time
from datetime import UTC, datetime, timedelta

import docx
import pytest
from webhook_helpers import body_of, envelope_for, environment

from besoksrapport.errors import PermanentError, StorageUnavailable
from besoksrapport.guideline.flags import Assessment
from besoksrapport.outbox import worker
from besoksrapport.outbox.assignment import move_report
from besoksrapport.outbox.jobs import FILE_MEETING, PROCESS_REPORT, jobs_for_new_report
from besoksrapport.outbox.worker import WorkerThread, backoff, run_pending
from besoksrapport.report import Flag
from besoksrapport.runtime import build_context
from besoksrapport.settings import load_settings

FIRST = (datetime.now(UTC) + timedelta(days=20)).date()  # as webhook_helpers.environment
SECOND = (datetime.now(UTC) + timedelta(days=50)).date()


def receive(ctx, submission_id="oep-1", meeting=FIRST):
    envelope = envelope_for(submission_id)
    report, _ = ctx.storage.record_report(f"msg_{submission_id}", body_of(envelope), envelope,
                                          datetime.now(UTC), meeting, jobs=jobs_for_new_report())
    return report


def filed(tmp_path, meeting, report_id):
    return list((tmp_path / "data" / "meetings" / meeting).glob(f"* {report_id}.docx"))


def test_process_report_files_the_docx_into_the_meeting_folder(ctx, tmp_path):
    report = receive(ctx)
    outcomes = run_pending(ctx)
    assert [(o.kind, o.result) for o in outcomes] == [(PROCESS_REPORT, "done"),
                                                      (FILE_MEETING, "done")]
    [path] = filed(tmp_path, FIRST.isoformat(), report.report_id)
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(path.read_bytes())).paragraphs)
    assert f"Rapport-id: {report.report_id}" in text
    assert not ctx.storage.pending_jobs()
    assert not list(path.parent.glob(".*.tmp"))


def test_report_without_meeting_waits_unfiled(ctx, tmp_path):
    report = receive(ctx, meeting=None)
    run_pending(ctx)
    assert not list((tmp_path / "data" / "meetings").glob(f"*/* {report.report_id}.docx"))
    assert [r.report_id for r in ctx.storage.unassigned_reports()] == [report.report_id]


def test_moving_a_report_refiles_both_meetings_and_keeps_one_copy(ctx, tmp_path):
    report = receive(ctx)
    run_pending(ctx)
    move_report(ctx, report.report_id, SECOND)
    run_pending(ctx)
    copies = sorted(p.parent.name for p in
                    (tmp_path / "data" / "meetings").glob(f"*/* {report.report_id}.docx"))
    assert copies == [SECOND.isoformat()]


def test_a_move_that_cannot_queue_its_filings_leaves_the_report_where_it_was(ctx, monkeypatch):
    report = receive(ctx)
    run_pending(ctx)

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(ctx.storage, "_insert_job", disk_full)
    with pytest.raises(StorageUnavailable):
        move_report(ctx, report.report_id, SECOND)
    monkeypatch.undo()
    assert ctx.storage.get_report(report.report_id).meeting_date == FIRST
    assert ctx.storage.pending_jobs() == []


def test_moving_returns_the_meeting_left_and_queues_both_filings_at_once(ctx):
    report = receive(ctx)
    run_pending(ctx)
    moved, before = move_report(ctx, report.report_id, SECOND)
    assert (moved.meeting_date, before) == (SECOND, FIRST)
    assert sorted(job.payload["meeting_date"] for job in ctx.storage.pending_jobs()) == \
        [FIRST.isoformat(), SECOND.isoformat()]


def test_failing_handler_is_retried_later_with_backoff(ctx):
    calls = []

    def flaky(job, context):
        calls.append(job.attempts)
        raise ConnectionRefusedError(111, "Connection refused")

    ctx.handlers = {"flaky": flaky}
    job_id = ctx.storage.enqueue("flaky", {})
    [outcome] = run_pending(ctx)
    assert outcome.result == "retry"
    assert outcome.error == "Systemfel: anslutningen nekades (errno 111, ECONNREFUSED)."
    [job] = ctx.storage.pending_jobs()
    assert job.id == job_id and job.not_before > datetime.now(UTC)
    assert run_pending(ctx) == []  # not due yet
    assert calls == [1]


def test_job_fails_for_good_after_the_last_attempt(ctx, monkeypatch):
    monkeypatch.setattr(worker, "MAX_ATTEMPTS", 1)
    ctx.handlers = {"broken": lambda job, context: 1 / 0}
    ctx.storage.enqueue("broken", {})
    [outcome] = run_pending(ctx)
    assert outcome.result == "failed"
    assert [job.last_error for job in ctx.storage.failed_jobs()] == [
        "Oväntat fel i programmet (ZeroDivisionError); kontakta den som sköter systemet."]


def test_a_failing_file_is_described_without_its_name(ctx):
    # A report's file name holds the politician's name; the outbox shows last_error.
    path = "/x/2026-11-04 Kost Anna Lindqvist BR-2026-ABCDEF.docx"

    def files(job, context):
        raise PermissionError(13, "Permission denied", path, path + ".tmp")

    ctx.handlers = {"files": files}
    ctx.storage.enqueue("files", {})
    [outcome] = run_pending(ctx)
    [job] = ctx.storage.pending_jobs()
    assert outcome.error == job.last_error == "Systemfel: åtkomst nekad (errno 13, EACCES)."


def test_an_os_error_without_errno_is_described_by_its_class_only(ctx):  # in Swedish
    # Its text is free: it may name a file, so none of it is kept.
    def files(job, context):
        raise OSError("cannot write /x/2026-11-04 Kost Anna Lindqvist BR-2026-ABCDEF.docx")

    ctx.handlers = {"files": files}
    ctx.storage.enqueue("files", {})
    [outcome] = run_pending(ctx)
    assert outcome.error == ctx.storage.pending_jobs()[0].last_error == \
        "Systemfel: okänd orsak (OSError)."


def test_permanent_error_and_unknown_kind_fail_at_once(ctx):
    def permanent(job, context):
        raise PermanentError("no such report")

    ctx.handlers = {"permanent": permanent}
    ctx.storage.enqueue("permanent", {})
    ctx.storage.enqueue("unheard_of", {})
    assert [o.result for o in run_pending(ctx)] == ["failed", "failed"]


def test_job_of_a_crashed_worker_runs_again_after_its_lease(ctx):
    receive(ctx)
    crashed = ctx.storage.claim_job(datetime.now(UTC), lease_seconds=worker.LEASE_SECONDS)
    assert run_pending(ctx) == []  # still leased by the "crashed" worker
    later = datetime.now(UTC) + timedelta(seconds=worker.LEASE_SECONDS + 1)
    again = ctx.storage.claim_job(later, lease_seconds=60)
    assert again.id == crashed.id and again.attempts == 2
    assert worker.run_job(again, ctx).result == "done"


def test_job_whose_runs_all_crashed_fails_for_good_instead_of_running_again(ctx):
    ctx.handlers = {"renders": lambda job, context: None}
    start = datetime.now(UTC) - timedelta(days=1)
    job_id = ctx.storage.enqueue("renders", {"meeting_date": FIRST.isoformat()},
                                 not_before=start)
    for attempt in range(worker.MAX_ATTEMPTS):  # each time the process dies mid-run
        moment = start + attempt * timedelta(seconds=worker.LEASE_SECONDS + 1)
        assert ctx.storage.claim_job(moment, worker.LEASE_SECONDS).id == job_id
    assert run_pending(ctx) == []
    [failed] = ctx.storage.failed_jobs()
    assert (failed.id, failed.attempts) == (job_id, worker.MAX_ATTEMPTS)
    assert failed.last_error.startswith(f"Gav upp efter {worker.MAX_ATTEMPTS} försök som "
                                        "aldrig blev klara")
    assert ctx.storage.pending_jobs() == []


def test_job_on_its_last_attempt_still_runs(ctx):
    ctx.handlers = {"renders": lambda job, context: None}
    start = datetime.now(UTC) - timedelta(days=1)
    job_id = ctx.storage.enqueue("renders", {}, not_before=start)
    for attempt in range(worker.MAX_ATTEMPTS - 1):
        moment = start + attempt * timedelta(seconds=worker.LEASE_SECONDS + 1)
        assert ctx.storage.claim_job(moment, worker.LEASE_SECONDS).id == job_id
    [outcome] = run_pending(ctx)
    assert (outcome.job_id, outcome.result) == (job_id, "done")
    assert ctx.storage.failed_jobs() == []


def test_backoff_grows_exponentially_with_jitter_and_is_capped():
    for attempts in (1, 2, 3, 8):
        ceiling = min(worker.BACKOFF_CAP, worker.BACKOFF_BASE * 2 ** (attempts - 1))
        delays = {backoff(attempts).total_seconds() for _ in range(20)}
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert len(delays) > 1
    assert backoff(50).total_seconds() <= worker.BACKOFF_CAP


def test_background_thread_processes_a_job_when_woken(ctx, tmp_path):
    report = receive(ctx)
    thread = WorkerThread(ctx, poll_seconds=60)
    thread.start()
    try:
        thread.wake()
        # Until the work is done (seconds, longer on a loaded machine), woken now and then.
        deadline = time.monotonic() + 120
        while ctx.storage.pending_jobs() and time.monotonic() < deadline:
            thread.wake()
            thread.join(0.05)
    finally:
        thread.stop()
    assert filed(tmp_path, FIRST.isoformat(), report.report_id)
    assert not thread.is_alive()


def test_reassessment_reads_judges_and_writes_in_one_transaction(ctx):
    """A judgement made while another writer waits is stored before that writer proceeds."""
    report = receive(ctx)
    seen = []

    def judge(reports):
        seen.append([r.report_id for r in reports])
        # While we judge, the write lock is held: no other writer can slip in between.
        assert not ctx.storage._writer.acquire(blocking=False)
        return {r.report_id: Assessment([Flag("x", "Kontrollera.")], None) for r in reports}

    changed = ctx.storage.reassess(report.visit_date, report.visit_date, judge)
    assert changed == [report.report_id] and seen == [[report.report_id]]
    assert ctx.storage.get_report(report.report_id).flags == [Flag("x", "Kontrollera.")]
    assert ctx.storage.reassess(report.visit_date, report.visit_date, judge) == []


def test_jobs_with_the_same_key_never_run_at_once(ctx):
    first = ctx.storage.enqueue("file_meeting", {"meeting_date": "2027-01-01"}, key="k")
    running = ctx.storage.claim_job(datetime.now(UTC), 300)
    assert running.id == first
    # A new request while the first runs is queued behind it, not beside it.
    second = ctx.storage.enqueue("file_meeting", {"meeting_date": "2027-01-01"}, key="k")
    assert second != first
    assert ctx.storage.claim_job(datetime.now(UTC), 300) is None
    ctx.storage.complete_job(first)
    assert ctx.storage.claim_job(datetime.now(UTC), 300).id == second


def test_mail_queued_before_smtp_was_switched_off_fails_at_once_with_the_reason(ctx):
    report = receive(ctx)
    run_pending(ctx)
    ctx.storage.enqueue("notify_report", {"report_id": report.report_id})
    ctx.storage.enqueue("notify_digest", {})
    assert ctx.settings.smtp is None
    outcomes = run_pending(ctx)
    assert [(o.kind, o.result) for o in outcomes] == [("notify_report", "failed"),
                                                      ("notify_digest", "failed")]
    assert {job.attempts for job in ctx.storage.failed_jobs()} == {1}
    assert {job.last_error for job in ctx.storage.failed_jobs()} == {
        "Ingen e-postserver är inställd (BESOKSRAPPORT_SMTP_HOST saknas)."}


def test_delivering_a_meeting_reads_its_filed_index_and_renders_nothing(tmp_path, monkeypatch):
    from davserver import DavServer

    from besoksrapport.outbox import jobs

    remote = tmp_path / "dav"
    remote.mkdir()
    with DavServer(remote) as dav:
        context = build_context(load_settings(environment(
            tmp_path / "data", BESOKSRAPPORT_WEBDAV_URL=dav.url)))
        try:
            report = receive(context)
            run_pending(context, limit=2)  # process_report and file_meeting only
            [delivery] = context.storage.pending_jobs()
            assert delivery.kind == jobs.DELIVER_MEETING

            def no_filing(*args, **kwargs):
                raise AssertionError("the delivery filed the meeting again")

            monkeypatch.setattr(jobs, "file_meeting", no_filing)
            assert [o.result for o in run_pending(context)] == ["done"]
        finally:
            context.storage.close()
    local = tmp_path / "data" / "meetings" / FIRST.isoformat()
    delivered = sorted(path.name for path in (remote / FIRST.isoformat()).iterdir())
    assert delivered == sorted(path.name for path in local.iterdir()
                               if not path.name.startswith("."))
    assert any(report.report_id in name for name in delivered)
