"""Recording a delivery on PostgreSQL: one transaction per delivery, idempotent by the keys.

No group commit: the server commits many transactions at once by itself, and several
hosts record side by side. A repeat is caught by the unique constraints, never by a look
first: the report's insert does nothing when its submission_id (a repeat) or its drawn
report_id (a clash) is taken, and waits for a concurrent insert of the same submission to
commit or roll back, so twenty hosts racing one delivery make one report. The delivery's
insert fails when its webhook-id is known, and with it the whole statement. A new delivery
is one statement in autocommit, one round trip (report, delivery and jobs, each written only
if the one before it was); only a delivery that was not new is looked up, in a transaction.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import psycopg

from besoksrapport.report import Report
from besoksrapport.report_ids import new_report_id
from besoksrapport.storage.postgres.database import Connection
from besoksrapport.storage.postgres.outbox import PostgresOutbox
from besoksrapport.storage.protocol import NewJob
from besoksrapport.storage.sqlite.database import epoch, iso
from besoksrapport.storage.sqlite.recording import INSERT_REPORT, _report_row
from besoksrapport.storage.sqlite.reports import report_from_row

INSERT_DELIVERY = ("INSERT INTO deliveries (webhook_id, report_id, received_at) "
                   "VALUES (?, ?, ?) ON CONFLICT (webhook_id) DO NOTHING")


@functools.lru_cache(maxsize=16)
def _insert_new(jobs: int) -> str:
    """The common case in one statement: the report, its delivery and ``jobs`` jobs, each
    written only if the one before it was (a repeat or a clash writes nothing further).

    Run on its own in autocommit, one round trip: it writes all of it or nothing. A repeat
    or a clash writes no report and so nothing else; a known webhook-id fails the delivery's
    insert (no ON CONFLICT), which rolls the whole statement back."""
    # Only placeholders and constant text go into the statement, never input.
    rows = ", ".join(["(?, ?, ?)"] * jobs)
    queued = (f", job AS (INSERT INTO jobs (kind, payload_json, not_before) "  # noqa: S608
              f"SELECT v.kind, v.payload, v.not_before::double precision FROM delivery, "
              f"(VALUES {rows}) AS v (kind, payload, not_before))") if jobs else ""
    return (f"WITH report AS ({INSERT_REPORT} RETURNING report_id), "  # noqa: S608
            "delivery AS (INSERT INTO deliveries (webhook_id, report_id, received_at) "
            f"SELECT ?, report_id, ? FROM report RETURNING report_id){queued} "
            "SELECT (SELECT count(*) FROM report) AS reports, "
            "(SELECT count(*) FROM delivery) AS deliveries")


class PostgresRecording(PostgresOutbox):
    """``record_report``: a delivery, its report and its jobs in one transaction."""

    def record_report(self, webhook_id: str, raw_body: bytes, envelope: dict[str, Any],
                      received_at: datetime, meeting_date: date | None,
                      jobs: Sequence[NewJob] = ()) -> tuple[Report, bool]:
        """Store a delivery, its report and its jobs at once; a repeat returns the first report.

        As SQLite's: a repeat is the same webhook-id, or the same submission_id under a new
        webhook-id (recorded as one more delivery of the same report).
        """
        received = iso(received_at)
        report_id = new_report_id(received_at)
        row = _report_row(report_id, raw_body, envelope, received, meeting_date)
        job_rows = [value for kind, payload in jobs for value in (
            kind, json.dumps({**payload, "report_id": report_id}), epoch(received_at))]
        try:
            with self._guard(), self._connection() as conn:  # autocommit: the statement alone
                counts = Connection(conn).execute(
                    _insert_new(len(jobs)), (*row, webhook_id, received, *job_rows)).fetchone()
        except psycopg.IntegrityError:  # the webhook-id is known: the statement wrote nothing
            counts = None
        if counts is None or (counts["reports"], counts["deliveries"]) != (1, 1):
            return self._record_known(webhook_id, raw_body, envelope, received_at,
                                      meeting_date, jobs)
        return Report.from_envelope(envelope, report_id=report_id, received_at=received_at,
                                    meeting_date=meeting_date), True

    def _record_known(self, webhook_id: str, raw_body: bytes, envelope: dict[str, Any],
                      received_at: datetime, meeting_date: date | None,
                      jobs: Sequence[NewJob]) -> tuple[Report, bool]:
        """The slow path: a repeat (by webhook-id, then by submission_id) or an id clash."""
        received = iso(received_at)
        with self._transaction(serialised=False) as conn:
            while True:
                report_id = new_report_id(received_at)
                row = _report_row(report_id, raw_body, envelope, received, meeting_date)
                conn.execute("SAVEPOINT delivery")
                if (conn.execute(INSERT_REPORT, row).rowcount == 1
                        and conn.execute(INSERT_DELIVERY,
                                         (webhook_id, report_id, received)).rowcount == 1):
                    conn.execute("RELEASE delivery")
                    return self._created(conn, report_id, envelope, received_at,
                                         meeting_date, jobs), True
                # A repeat, a known webhook-id with another submission (the first report
                # stands) or a report_id drawn twice: nothing of this attempt is kept.
                conn.execute("ROLLBACK TO delivery")
                known = self._known(conn, webhook_id, envelope, received)
                if known is not None:
                    return known, False

    @staticmethod
    def _known(conn: Connection, webhook_id: str, envelope: dict[str, Any],
               received: str) -> Report | None:
        """The report a repeat delivers again (its delivery remembered), or None."""
        row = conn.execute("SELECT r.* FROM deliveries d JOIN reports r USING (report_id) "
                           "WHERE d.webhook_id = ?", (webhook_id,)).fetchone()
        if row is not None:
            return report_from_row(row)
        row = conn.execute("SELECT * FROM reports WHERE submission_id = ?",
                           (envelope["data"]["submission_id"],)).fetchone()
        if row is None:
            return None
        # Does nothing when another host recorded this webhook-id this very moment: the same
        # submission, so the same report.
        conn.execute(INSERT_DELIVERY, (webhook_id, row["report_id"], received))
        return report_from_row(row)

    def _created(self, conn: Connection, report_id: str, envelope: dict[str, Any],
                 received_at: datetime, meeting_date: date | None,
                 jobs: Sequence[NewJob]) -> Report:
        if jobs:
            conn.executemany(
                "INSERT INTO jobs (kind, payload_json, not_before, key) VALUES (?, ?, ?, NULL)",
                [(kind, json.dumps({**payload, "report_id": report_id}), epoch(received_at))
                 for kind, payload in jobs])
        return Report.from_envelope(envelope, report_id=report_id, received_at=received_at,
                                    meeting_date=meeting_date)
