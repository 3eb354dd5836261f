"""Durable state: received reports, their deliveries, the quarantine and the job outbox.

``Storage`` is the interface the web app, the worker and the CLI use; ``SqliteStorage`` is
the one implementation today (a later issue adds PostgreSQL behind the same methods). Any
failure of the database or the disk raises ``StorageUnavailable``.

Report ids look like ``BR-2026-7Q3K9X``: the reception year and six Crockford base32
characters (no I, L, O, U), short enough to read aloud on the phone, about 10⁹ per year;
a clash is detected by the primary key and a new id drawn.
"""

from __future__ import annotations

import functools
import json
import secrets
import sqlite3
import threading
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from ..errors import StorageUnavailable
from ..report import Report
from .database import BUSY_TIMEOUT_MS, epoch, iso
from .notifications import Notifications
from .protocol import ABANDONED, Job, QuarantinedDelivery, QueuedJob, Storage
from .quarantine import Quarantine
from .reports import ReportStore, report_from_row
from .schema import MIGRATIONS

__all__ = ["ABANDONED", "BUSY_TIMEOUT_MS", "CROCKFORD", "MIGRATIONS", "Job",
           "QuarantinedDelivery", "QueuedJob", "SqliteStorage", "Storage", "new_report_id",
           "open_storage"]

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
SAVEPOINT = "delivery"  # each delivery of a group commit runs under its own
# The columns each multi-row insert of a batch fills (see SqliteStorage._insert_new).
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

def _taken_lock() -> threading.Lock:
    lock = threading.Lock()
    lock.acquire()
    return lock


def _give_turn(item: _Delivery) -> None:
    """Let a waiting caller go on: its delivery is done, or it commits the queue next."""
    item.given = True
    if item.turn.locked():
        item.turn.release()


def _await_turn(item: _Delivery) -> BaseException | None:
    """Wait until ``item`` is done or its caller is to commit next; return any interrupt.

    An interrupt (KeyboardInterrupt in the main thread) does not end the wait: a caller that
    left its place in the queue would leave the turn with nobody, and every later delivery
    of the process would wait for ever. The caller raises it once its delivery is settled.
    """
    interrupted = None
    while not item.given:
        try:
            item.turn.acquire()
        except BaseException as error:
            interrupted = interrupted or error
    item.turn.acquire(blocking=False)  # held again, whether or not this wait consumed it
    return interrupted


@dataclass
class _Delivery:
    """One record_report call waiting for the group commit."""

    args: tuple[Any, ...]
    result: tuple[Report, bool] | None = None
    error: BaseException | None = None
    done: bool = False
    turn: threading.Lock = field(default_factory=_taken_lock)  # let go: done, or commit now
    given: bool = False  # the turn was let go (set before the lock is released)


def new_report_id(received_at: datetime) -> str:
    bits = secrets.randbits(30)  # six 5-bit characters from one draw (not six urandom calls)
    suffix = "".join(CROCKFORD[(bits >> shift) & 31] for shift in (25, 20, 15, 10, 5, 0))
    return f"BR-{received_at.year}-{suffix}"


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


class SqliteStorage(ReportStore, Quarantine, Notifications):
    """``Storage`` on one SQLite file; safe to share between threads and processes."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS) -> None:
        self._queue: list[_Delivery] = []
        self._queue_lock = threading.Lock()  # guards _queue and _committing
        self._committing = False
        super().__init__(path, busy_timeout_ms=busy_timeout_ms)

    def record_report(self, webhook_id: str, raw_body: bytes, envelope: dict[str, Any],
                      received_at: datetime, meeting_date: date | None,
                      jobs: list[tuple[str, dict[str, Any]]] = ()) -> tuple[Report, bool]:
        """Store a delivery, its report and its jobs at once; a repeat returns the first report.

        A repeat is the same webhook-id, or the same platform submission_id under a new
        webhook-id (recorded as one more delivery of the same report). Each job's payload
        gets the new report's ``report_id``.

        Group commit: deliveries arriving while another thread commits queue up, each
        caller blocked on its own lock. When that commit ends, its callers are woken one by
        one and the first queued caller commits the whole queue in one transaction (one
        fsync): all new deliveries in one insert per table, or, when one of them conflicts,
        each under its own savepoint. Every caller returns only once its own delivery is
        committed. (One lock per caller, not one shared condition: with a condition every
        waiter wakes at every commit and they queue again for its lock and the GIL.)
        """
        item = _Delivery((webhook_id, raw_body, envelope, received_at, meeting_date,
                          list(jobs)))
        with self._queue_lock:
            self._queue.append(item)
            leading, self._committing = not self._committing, True
        interrupted = None if leading else _await_turn(item)
        while not item.done:
            self._commit_queue()
        if interrupted is not None:
            raise interrupted
        if item.error is not None:
            raise item.error
        assert item.result is not None
        return item.result

    def _commit_queue(self) -> None:
        """Commit what is queued, then wake its callers and hand the turn to the next one.

        A batch whose commit was interrupted before it ran (KeyboardInterrupt) fails as
        unavailable: its callers return with an error the platform retries, never wait on.
        """
        batch: list[_Delivery] = []
        try:
            with self._queue_lock:
                batch, self._queue = self._queue, []
            with self._writer:
                self._commit_batch(batch)
        finally:
            for item in batch:
                if not item.done:
                    item.result, item.done = None, True
                    item.error = StorageUnavailable(f"{self.path}: the commit was interrupted")
            with self._queue_lock:
                following = self._queue[0] if self._queue else None
                self._committing = following is not None
            for item in batch:
                _give_turn(item)
            if following is not None:
                _give_turn(following)

    def _commit_batch(self, batch: list[_Delivery]) -> None:
        try:
            with self._guard(), self._file_lock():
                conn = self._connection()
                conn.execute("BEGIN IMMEDIATE")
                try:
                    if not self._insert_new(conn, batch):
                        self._record_each(conn, batch)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
        except BaseException as error:
            failure = error if isinstance(error, StorageUnavailable) else \
                StorageUnavailable(f"{self.path}: {error}")
            for item in batch:
                item.result, item.error = None, failure
            if not isinstance(error, Exception):
                raise
        finally:
            for item in batch:
                item.done = True

    def _insert_new(self, conn: sqlite3.Connection, batch: list[_Delivery]) -> bool:
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

    def _record_each(self, conn: sqlite3.Connection, batch: list[_Delivery]) -> None:
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
                    jobs: list[tuple[str, dict[str, Any]]]) -> tuple[Report, bool]:
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
                 jobs: list[tuple[str, dict[str, Any]]]) -> Report:
        for kind, payload in jobs:
            self._insert_job(conn, kind, {**payload, "report_id": report_id}, received_at)
        return Report.from_envelope(envelope, report_id=report_id, received_at=received_at,
                                    meeting_date=meeting_date)

    def _record_known(self, conn: sqlite3.Connection, webhook_id: str, raw_body: bytes,
                      envelope: dict[str, Any], received_at: datetime,
                      meeting_date: date | None,
                      jobs: list[tuple[str, dict[str, Any]]]) -> tuple[Report, bool]:
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



def open_storage(database_path: Path) -> SqliteStorage:
    """The storage the settings point at (SQLite today)."""
    return SqliteStorage(database_path)
