"""What recording a delivery writes: its report, its delivery row and its jobs.

The common case (every delivery of a batch new) is three multi-row inserts; a batch with a
repeat or a clash in it is written again one delivery at a time, each under a savepoint.

Report ids come from ``report_ids.new_report_id``; a clash is detected by the primary key
and a new id drawn.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from besoksrapport.report import Report
from besoksrapport.report_ids import new_report_id
from besoksrapport.storage.protocol import NewJob
from besoksrapport.storage.sqlite.database import epoch, iso
from besoksrapport.storage.sqlite.group_commit import Delivery, GroupCommit
from besoksrapport.storage.sqlite.outbox import Outbox
from besoksrapport.storage.sqlite.reports import report_from_row

SAVEPOINT = "delivery"  # each delivery of a group commit runs under its own
# The columns each multi-row insert of a batch fills (see Recording._insert_new).
INSERT_COLUMNS = {
    "reports": "(report_id, submission_id, received_at, submitter_id, visit_date, raw_body, "
               "meeting_date)",
    "deliveries": "(webhook_id, report_id, received_at)",
    "jobs": "(kind, payload_json, not_before, key)",
}
# Does nothing when the report_id (a clash) or the submission_id (a repeat) is taken.
INSERT_REPORT = ("INSERT INTO reports (report_id, submission_id, received_at, submitter_id, "
                 "visit_date, raw_body, meeting_date) VALUES (?, ?, ?, ?, ?, ?, ?) "
                 "ON CONFLICT DO NOTHING")


def _report_row(report_id: str, raw_body: bytes, envelope: dict[str, Any], received: str,
                meeting_date: date | None) -> tuple[Any, ...]:
    data = envelope["data"]
    return (report_id, data["submission_id"], received, data["submitter"]["id"],
            data["answers"].get("visit_date"), raw_body,
            meeting_date.isoformat() if meeting_date else None)


@functools.lru_cache(maxsize=256)
def _multi_insert(table: str, width: int, count: int) -> str:
    """``INSERT INTO table (...) VALUES (?, ...), ...`` for ``count`` rows (no ON CONFLICT)."""
    row = "(" + ", ".join("?" * width) + ")"
    # The table and its columns come from INSERT_COLUMNS, never from input.
    return f"INSERT INTO {table} {INSERT_COLUMNS[table]} VALUES " + ", ".join([row] * count)  # noqa: S608


class Recording(GroupCommit, Outbox):
    """The group commit's batches written to ``reports``, ``deliveries`` and ``jobs``."""

    def _store_batch(self, conn: sqlite3.Connection, batch: list[Delivery]) -> None:
        if not self._insert_new(conn, batch):
            self._record_each(conn, batch)

    def _insert_new(self, conn: sqlite3.Connection, batch: list[Delivery]) -> bool:
        """The common case in three statements: every delivery new, none repeating another.

        One multi-row INSERT per table for the whole batch, because each statement lets go of
        the GIL while SQLite runs it, and under load winning it back costs the committing
        thread far more than the insert. Any conflict (a repeat, two deliveries of one
        submission in the batch, a drawn report_id taken) fails a statement: the batch's
        inserts are rolled back and False tells the caller to go through it one by one.
        """
        reports, deliveries, jobs, created = [], [], [], []
        for item in batch:
            webhook_id, raw_body, envelope, received_at, meeting_date, item_jobs = item.args
            try:  # everything of a delivery is built before any of it joins the inserts
                received = iso(received_at)
                report_id = new_report_id(received_at)
                row = _report_row(report_id, raw_body, envelope, received, meeting_date)
                report = Report.from_envelope(envelope, report_id=report_id,
                                              received_at=received_at,
                                              meeting_date=meeting_date)
                job_rows = [(kind, json.dumps({**payload, "report_id": report_id}),
                             epoch(received_at), None) for kind, payload in item_jobs]
            except Exception as error:  # this delivery only, e.g. a bad envelope
                item.error = error
                continue
            reports.append(row)
            deliveries.append((webhook_id, report_id, received))
            jobs.extend(job_rows)
            created.append((item, report))
        try:
            for table, rows in (("reports", reports), ("deliveries", deliveries),
                                ("jobs", jobs)):
                if rows:
                    conn.execute(_multi_insert(table, len(rows[0]), len(rows)),
                                 [value for row in rows for value in row])
        except sqlite3.IntegrityError:
            conn.execute("ROLLBACK")
            conn.execute("BEGIN IMMEDIATE")  # the file lock is still ours
            for item, _ in created:
                item.error = None
            return False
        for item, report in created:
            item.result = (report, True)
        return True

    def _record_each(self, conn: sqlite3.Connection, batch: list[Delivery]) -> None:
        """The batch one delivery at a time, each under its own savepoint."""
        for item in batch:
            if item.error is not None:
                continue
            conn.execute(f"SAVEPOINT {SAVEPOINT}")
            try:
                item.result = self._record_one(conn, *item.args)
            except sqlite3.Error:
                raise
            except Exception as error:  # this delivery only, e.g. a bad envelope
                conn.execute(f"ROLLBACK TO {SAVEPOINT}")
                item.error = error
            conn.execute(f"RELEASE {SAVEPOINT}")

    def _record_one(self, conn: sqlite3.Connection, webhook_id: str, raw_body: bytes,
                    envelope: dict[str, Any], received_at: datetime, meeting_date: date | None,
                    jobs: Sequence[NewJob]) -> tuple[Report, bool]:
        """Insert first, look up only on a conflict: a new delivery costs no SELECT.

        The report's insert does nothing when its submission_id (a repeat) or its drawn
        report_id (a clash) is taken; the delivery's insert fails when the webhook-id is
        known. Either way this delivery's savepoint is rolled back and ``_record_known``
        sorts it out by looking up first, as a repeat needs.
        """
        received = iso(received_at)
        report_id = new_report_id(received_at)
        if conn.execute(INSERT_REPORT, _report_row(report_id, raw_body, envelope, received,
                                                   meeting_date)).rowcount == 1:
            try:
                conn.execute("INSERT INTO deliveries VALUES (?, ?, ?)",
                             (webhook_id, report_id, received))
            except sqlite3.IntegrityError:  # a known webhook-id with another submission_id
                conn.execute(f"ROLLBACK TO {SAVEPOINT}")
            else:
                return self._created(conn, report_id, envelope, received_at, meeting_date,
                                     jobs), True
        return self._record_known(conn, webhook_id, raw_body, envelope, received_at,
                                  meeting_date, jobs)

    def _created(self, conn: sqlite3.Connection, report_id: str, envelope: dict[str, Any],
                 received_at: datetime, meeting_date: date | None,
                 jobs: Sequence[NewJob]) -> Report:
        for kind, payload in jobs:
            self._insert_job(conn, kind, {**payload, "report_id": report_id}, received_at)
        return Report.from_envelope(envelope, report_id=report_id, received_at=received_at,
                                    meeting_date=meeting_date)

    def _record_known(self, conn: sqlite3.Connection, webhook_id: str, raw_body: bytes,
                      envelope: dict[str, Any], received_at: datetime,
                      meeting_date: date | None,
                      jobs: Sequence[NewJob]) -> tuple[Report, bool]:
        """The slow path: a repeat (by webhook-id, then by submission_id) or an id clash."""
        row = conn.execute("SELECT r.* FROM deliveries d JOIN reports r USING (report_id) "
                           "WHERE d.webhook_id = ?", (webhook_id,)).fetchone()
        if row is not None:
            return report_from_row(row), False
        received = iso(received_at)
        row = conn.execute("SELECT * FROM reports WHERE submission_id = ?",
                           (envelope["data"]["submission_id"],)).fetchone()
        if row is not None:
            conn.execute("INSERT INTO deliveries VALUES (?, ?, ?)",
                         (webhook_id, row["report_id"], received))
            return report_from_row(row), False
        while True:  # the drawn report_id was taken: draw again
            report_id = new_report_id(received_at)
            if conn.execute(INSERT_REPORT, _report_row(report_id, raw_body, envelope, received,
                                                       meeting_date)).rowcount == 1:
                break
        conn.execute("INSERT INTO deliveries VALUES (?, ?, ?)", (webhook_id, report_id, received))
        return self._created(conn, report_id, envelope, received_at, meeting_date, jobs), True
