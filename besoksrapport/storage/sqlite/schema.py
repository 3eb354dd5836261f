"""The schema as numbered migrations: opening a database runs those it has not had yet."""

from __future__ import annotations

import sqlite3

# The code before this step marked every report for the secretary's mail, with mail off too,
# so turning SMTP on mailed everything that came in before at once. Only reports marked
# while mail is on are mailed now (outbox/jobs.py); of the marks the older code left unsent,
# this keeps those mail was on for: the report's own mail job was queued (by a filing with
# SMTP on; it may be waiting, have failed, or have found the report held or moved), or a
# daily digest is waiting and the report came in during the day before its time. The rest
# came in while mail was off: the secretary has them in the meeting folders and gets no
# mail about them. (The job kinds are outbox/mail_jobs.py's; a digest is queued for the
# next digest time, a day at most after the reports it is for.) PostgreSQL has its own text
# of the time comparison (storage/postgres/schema.py).
MAIL_OFF_MARKS = """
    DELETE FROM notifications
    WHERE sent_at IS NULL
      AND NOT EXISTS (SELECT 1 FROM jobs
                      WHERE jobs.key = 'notify_report:' || notifications.report_id)
      AND NOT EXISTS (SELECT 1 FROM jobs, reports
                      WHERE jobs.key = 'notify_digest' AND jobs.state = 'pending'
                        AND reports.report_id = notifications.report_id
                        AND (julianday(reports.received_at) - 2440587.5) * 86400.0
                            > jobs.not_before - 86400);
"""

# Each entry moves the schema one version up; PRAGMA user_version records how far we are.
MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE reports (
        report_id      TEXT PRIMARY KEY,
        submission_id  TEXT NOT NULL UNIQUE,
        received_at    TEXT NOT NULL,
        submitter_id   TEXT NOT NULL,
        visit_date     TEXT,
        raw_body       BLOB NOT NULL,
        meeting_date   TEXT,
        flags_json     TEXT NOT NULL DEFAULT '[]',
        joint_visit_of TEXT REFERENCES reports(report_id)
    );
    CREATE INDEX reports_meeting ON reports(meeting_date);
    CREATE INDEX reports_visit ON reports(visit_date);
    CREATE TABLE deliveries (
        webhook_id  TEXT PRIMARY KEY,
        report_id   TEXT NOT NULL REFERENCES reports(report_id),
        received_at TEXT NOT NULL
    );
    CREATE TABLE quarantine (
        id          INTEGER PRIMARY KEY,
        webhook_id  TEXT NOT NULL UNIQUE,
        received_at TEXT NOT NULL,
        raw_body    BLOB NOT NULL,
        errors_json TEXT NOT NULL
    );
    CREATE TABLE jobs (
        id           INTEGER PRIMARY KEY,
        kind         TEXT NOT NULL,
        payload_json TEXT NOT NULL,
        state        TEXT NOT NULL DEFAULT 'pending'
                     CHECK (state IN ('pending', 'done', 'failed')),
        attempts     INTEGER NOT NULL DEFAULT 0,
        not_before   REAL NOT NULL,
        lease_until  REAL,
        last_error   TEXT
    );
    CREATE INDEX jobs_due ON jobs(state, not_before);
    """,
    """
    ALTER TABLE jobs ADD COLUMN key TEXT;
    CREATE INDEX jobs_key ON jobs(key, state);
    CREATE TABLE notifications (
        report_id TEXT PRIMARY KEY REFERENCES reports(report_id),
        sent_at   TEXT
    );
    """,
    # Open ePlatform (storage/sqlite/oep.py): each flow instance revision read, and the poll cursor.
    """
    CREATE TABLE oep_instances (
        flow_instance_id INTEGER NOT NULL,
        revision         TEXT NOT NULL,
        received_at      TEXT NOT NULL,
        xml              BLOB NOT NULL,
        report_id        TEXT REFERENCES reports(report_id),
        errors_json      TEXT,
        status_queued_at TEXT,
        PRIMARY KEY (flow_instance_id, revision)
    );
    CREATE INDEX oep_instances_report ON oep_instances(report_id);
    CREATE TABLE oep_cursor (
        name     TEXT PRIMARY KEY,
        last_run TEXT NOT NULL
    );
    """,
    # The secretaries' local accounts (storage/accounts.py).
    """
    CREATE TABLE accounts (
        name          TEXT PRIMARY KEY,
        password_hash TEXT NOT NULL,
        changed_at    TEXT NOT NULL
    );
    """,
    # Diarienummer (a report's own, and a meeting's for all its reports), and a politician's
    # visits in order, for the count the receipt tells of (storage/visit_history.py).
    """
    ALTER TABLE reports ADD COLUMN diary_number TEXT;
    CREATE TABLE meeting_diary_numbers (
        meeting_date TEXT PRIMARY KEY,
        diary_number TEXT NOT NULL
    );
    CREATE INDEX reports_submitter_visits
        ON reports(submitter_id, visit_date, received_at, report_id);
    """,
    # The secretary's page: a generation per account that every session must match (a
    # logout, a removal or a new password moves it on), and failed logins per account and
    # per address, for the throttle (storage/sqlite/accounts.py).
    """
    CREATE TABLE session_generations (
        account    TEXT PRIMARY KEY,
        generation INTEGER NOT NULL
    );
    CREATE TABLE login_failures (
        key          TEXT PRIMARY KEY,
        failures     INTEGER NOT NULL,
        window_start REAL NOT NULL
    );
    """,
    # What the secretary decided about publishing a report (storage/sqlite/publication.py):
    # withdrawn (makulerad) with a reason, and her review of the personal data it holds.
    """
    CREATE TABLE withdrawals (
        report_id    TEXT PRIMARY KEY REFERENCES reports(report_id),
        reason       TEXT NOT NULL,
        withdrawn_by TEXT NOT NULL,
        withdrawn_at TEXT NOT NULL
    );
    CREATE TABLE privacy_reviews (
        report_id   TEXT PRIMARY KEY REFERENCES reports(report_id),
        decision    TEXT NOT NULL CHECK (decision IN ('approved', 'masked')),
        reviewed_by TEXT NOT NULL,
        reviewed_at TEXT NOT NULL
    );
    """,
    # The audit trail (who did what, when, from where) and the secretary's «hanterad» marks
    # on flags and refused deliveries (storage/sqlite/audit.py, handled.py).
    """
    CREATE TABLE audit_log (
        id      INTEGER PRIMARY KEY,
        at      TEXT NOT NULL,
        actor   TEXT NOT NULL,
        action  TEXT NOT NULL,
        target  TEXT NOT NULL DEFAULT '',
        address TEXT NOT NULL DEFAULT '',
        details TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX audit_log_at ON audit_log(at);
    CREATE TABLE handled_marks (
        kind       TEXT NOT NULL CHECK (kind IN ('flag', 'refused')),
        target     TEXT NOT NULL,
        handled_by TEXT NOT NULL,
        handled_at TEXT NOT NULL,
        note       TEXT NOT NULL DEFAULT '',
        PRIMARY KEY (kind, target)
    );
    """,
    MAIL_OFF_MARKS,
)


def migrate(conn: sqlite3.Connection) -> None:
    """Run the steps this database has not had yet, all in one transaction."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[version:], start=version + 1):
            for statement in filter(str.strip, script.split(";")):
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {number}")
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")
