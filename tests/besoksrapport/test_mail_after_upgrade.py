"""A database the older code left: SMTP turned on after the upgrade mails no old reports.

The code before the last storage migration marked every report for the secretary's mail,
with mail off too; turning SMTP on then mailed every report of a meeting filed again (or
all of them in the next digest) at once. These tests build that database as it was left:
reports recorded as the webhook records them and filed by the outbox with mail off, each
then marked as that code marked it, and the schema one step back (the step only removes
marks, so the tables are the older code's). The storage (SQLite and a real PostgreSQL), the
outbox and a real SMTP server on 127.0.0.1 (aiosmtpd) are real.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from mail_helpers import body_of as mail_body
from mail_helpers import parse
from ports import free_port
from webhook_helpers import body_of, committee_config, envelope_for, environment

from besoksrapport.outbox.jobs import jobs_for_new_report
from besoksrapport.outbox.mail_jobs import NOTIFY_DIGEST, NOTIFY_REPORT
from besoksrapport.outbox.worker import run_pending
from besoksrapport.runtime import build_context
from besoksrapport.settings import load_settings
from besoksrapport.storage import sqlite_url
from besoksrapport.storage.sqlite.schema import MIGRATIONS
from besoksrapport.swedish import long_date

OLD_VISITS = [("a", "Centralköket", "2026-02-03", 0), ("b", "Skolköket", "2026-03-04", 0),
              ("c", "Turistbyrån", "2026-04-05", 0), ("d", "Centralköket", "2026-05-06", 0),
              ("e", "Skolköket", "2026-06-07", 1), ("f", "Turistbyrån", "2026-07-08", 1)]


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request, tmp_path) -> str:
    if request.param == "sqlite":
        return sqlite_url(tmp_path / "db.sqlite3")
    return request.getfixturevalue("postgres_url")


def open_ctx(tmp_path: Path, url: str, *, smtp_port: int | None = None, notify: str = "each"):
    config = committee_config(tmp_path / f"committee-{notify}.toml",
                              **{'notify = "each"': f'notify = "{notify}"'})
    env = environment(tmp_path / "data", BESOKSRAPPORT_DATABASE_URL=url,
                      BESOKSRAPPORT_CONFIG=str(config))
    if smtp_port is not None:
        env |= {"BESOKSRAPPORT_SMTP_HOST": "127.0.0.1", "BESOKSRAPPORT_SMTP_PORT": str(smtp_port),
                "BESOKSRAPPORT_SMTP_STARTTLS": "false"}
    return build_context(load_settings(env))


def visit(ctx, label: str, unit: str, day: str, meeting: int = 0,
          received: datetime | None = None):
    """An ordinary visit by Anna, recorded as the webhook records it, for ``meeting``."""
    envelope = envelope_for(f"oep-{label}")
    envelope["data"]["answers"].update(unit=unit, visit_date=day)
    report, _ = ctx.storage.record_report(f"msg_{label}", body_of(envelope), envelope,
                                          received or datetime.now(UTC),
                                          ctx.committee.meetings[meeting],
                                          jobs=jobs_for_new_report())
    return report


def one_step_back(url: str) -> None:
    """The schema version the older code's database had (before the last migration)."""
    previous = len(MIGRATIONS) - 1
    if url.startswith("sqlite:"):
        from urllib.parse import unquote

        conn = sqlite3.connect(unquote(url.removeprefix("sqlite:///")))
        conn.execute(f"PRAGMA user_version = {previous}")
        conn.commit()
        conn.close()
        return
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("UPDATE schema_version SET version = %s", (previous,))


def left_by_the_old_code_with_mail_off(tmp_path: Path, url: str, notify: str = "each"):
    """Six reports over two meetings, filed with mail off and marked as the older code did."""
    quiet = open_ctx(tmp_path, url, notify=notify)
    try:
        old = [visit(quiet, *item) for item in OLD_VISITS]
        run_pending(quiet)
        for report in old:
            quiet.storage.mark_for_notification(report.report_id)  # what the older code did
        assert len(quiet.storage.unnotified_reports()) == len(old)
    finally:
        quiet.storage.close()
    one_step_back(url)
    return old


def everything_mailed(handler) -> str:
    return " ".join(parse(raw)["Subject"] + " " + mail_body(parse(raw))
                    for _, _, raw in handler.messages)


def test_reports_the_old_code_marked_with_mail_off_are_not_mailed_when_smtp_comes_on(
        tmp_path, database_url, inbox):
    handler, port = inbox
    old = left_by_the_old_code_with_mail_off(tmp_path, database_url)
    ctx = open_ctx(tmp_path, database_url, smtp_port=port)
    try:
        new = visit(ctx, "new", "Skolköket", "2026-09-01")  # files the first meeting again
        run_pending(ctx)
        first = long_date(ctx.committee.meetings[0])
        assert [parse(raw)["Subject"] for _, _, raw in handler.messages] == [
            f"Ny återrapport till sammanträdet den {first}"]
        mailed = everything_mailed(handler)
        assert new.report_id in mailed
        assert [report.report_id for report in old if report.report_id in mailed] == []
        assert ctx.storage.unnotified_reports() == []  # nothing left for a later filing
        visit(ctx, "later", "Turistbyrån", "2026-09-02", meeting=1)  # the second meeting
        run_pending(ctx)
        assert len(handler.messages) == 2
        assert [report.report_id for report in old
                if report.report_id in everything_mailed(handler)] == []
    finally:
        ctx.storage.close()


def test_the_first_digest_after_smtp_comes_on_holds_only_the_new_report(
        tmp_path, database_url, inbox):
    handler, port = inbox
    old = left_by_the_old_code_with_mail_off(tmp_path, database_url, notify="daily")
    ctx = open_ctx(tmp_path, database_url, smtp_port=port, notify="daily")
    try:
        new = visit(ctx, "new", "Skolköket", "2026-09-01")
        run_pending(ctx)
        assert handler.messages == []  # the digest waits for its time of day
        ctx.storage.bring_forward(NOTIFY_DIGEST, datetime.now(UTC))
        run_pending(ctx)
        [(_, _, raw)] = handler.messages
        attachments = [part.get_filename() for part in parse(raw).iter_attachments()]
        assert len(attachments) == 1 and new.report_id in attachments[0]
        mailed = everything_mailed(handler)
        assert new.report_id in mailed
        assert [report.report_id for report in old if report.report_id in mailed] == []
    finally:
        ctx.storage.close()


def test_a_digest_waiting_at_the_upgrade_keeps_its_day_s_reports_and_not_older_marks(
        tmp_path, database_url, inbox):
    handler, port = inbox
    quiet = open_ctx(tmp_path, database_url, notify="daily")
    try:
        days_ago = datetime.now(UTC) - timedelta(days=3)
        old = [visit(quiet, *item, received=days_ago) for item in OLD_VISITS[:3]]
        run_pending(quiet)
        for report in old:
            quiet.storage.mark_for_notification(report.report_id)  # what the older code did
    finally:
        quiet.storage.close()
    before = open_ctx(tmp_path, database_url, smtp_port=port, notify="daily")
    try:  # mail on: today's report marked and its digest queued for tomorrow morning
        today = visit(before, "today", "Skolköket", "2026-09-01")
        run_pending(before)
        assert len(before.storage.pending_jobs(NOTIFY_DIGEST)) == 1
    finally:
        before.storage.close()
    one_step_back(database_url)
    ctx = open_ctx(tmp_path, database_url, smtp_port=port, notify="daily")
    try:
        assert [r.report_id for r in ctx.storage.unnotified_reports()] == [today.report_id]
        ctx.storage.bring_forward(NOTIFY_DIGEST, datetime.now(UTC))
        run_pending(ctx)
        [(_, _, raw)] = handler.messages
        attachments = [part.get_filename() for part in parse(raw).iter_attachments()]
        assert len(attachments) == 1 and today.report_id in attachments[0]
        assert [report.report_id for report in old
                if report.report_id in everything_mailed(handler)] == []
    finally:
        ctx.storage.close()


def test_a_mail_still_waiting_at_the_upgrade_is_sent_after_it(tmp_path, database_url, inbox):
    handler, port = inbox
    down = open_ctx(tmp_path, database_url, smtp_port=free_port())  # nothing listens there
    try:
        waiting = visit(down, "a", "Centralköket", "2026-02-03")
        run_pending(down)
        [job] = down.storage.pending_jobs(NOTIFY_REPORT)  # retried later: the server was down
        assert job.payload["report_id"] == waiting.report_id
    finally:
        down.storage.close()
    one_step_back(database_url)
    ctx = open_ctx(tmp_path, database_url, smtp_port=port)
    try:
        ctx.storage.bring_forward(NOTIFY_REPORT, datetime.now(UTC))
        run_pending(ctx)
        assert len(handler.messages) == 1
        assert waiting.report_id in everything_mailed(handler)
        assert ctx.storage.notified(waiting.report_id)
    finally:
        ctx.storage.close()
