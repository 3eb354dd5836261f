"""The job outbox: the work that follows a change, queued in the change's own transaction.

A job is claimed under a lease, so one whose process died is due again; jobs with the same
key coalesce while waiting and never run at once.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any

from besoksrapport.storage.protocol import ABANDONED, Job, QueuedJob
from besoksrapport.storage.sqlite.database import Database, epoch, iso


class Outbox(Database):
    """The ``jobs`` table: enqueue, claim, and settle each job as done, retried or failed."""

    @staticmethod
    def _insert_job(conn: sqlite3.Connection, kind: str, payload: dict[str, Any],
                    not_before: datetime, key: str | None = None) -> int:
        cursor = conn.execute(
            "INSERT INTO jobs (kind, payload_json, not_before, key) VALUES (?, ?, ?, ?)",
            (kind, json.dumps(payload), epoch(not_before), key))
        if cursor.lastrowid is None:  # never after an INSERT; the type allows it
            raise sqlite3.DatabaseError("the new job has no row id")
        return cursor.lastrowid

    @staticmethod
    def _job(row: sqlite3.Row) -> Job:
        return Job(id=row["id"], kind=row["kind"], payload=json.loads(row["payload_json"]),
                   state=row["state"], attempts=row["attempts"],
                   not_before=datetime.fromtimestamp(row["not_before"], UTC),
                   last_error=row["last_error"])

    def enqueue(self, kind: str, payload: dict[str, Any],
                not_before: datetime | None = None, key: str | None = None) -> int:
        """Queue a job. With ``key``, a waiting job with the same key stands for both.

        A job that is running right now does not count as waiting: it may already have
        read the state the new request is about, so a fresh job is queued behind it.
        """
        now = datetime.now(UTC)
        with self._write() as conn:
            return self._enqueue(conn, kind, payload, not_before or now, key, now)

    def debounce(self, kind: str, payload: dict[str, Any], key: str, delay: float,
                 max_wait: float) -> int:
        """Queue a job ``delay`` seconds from now; a request while it waits pushes it back.

        A burst of requests (fifty reports in a minute each asking for the meeting's bundle)
        is one job, run ``delay`` after the last of them, but never later than ``max_wait``
        after the first (kept in the payload as ``firstRequested``): a steady stream still
        gets its work done.
        """
        now = datetime.now(UTC)
        moment = epoch(now)
        with self._write() as conn:
            row = conn.execute(
                "SELECT id, payload_json, not_before FROM jobs WHERE key = ? "
                "AND state = 'pending' AND (lease_until IS NULL OR lease_until <= ?) "
                "ORDER BY id LIMIT 1", (key, moment)).fetchone()
            if row is None:
                return self._insert_job(conn, kind, {**payload, "firstRequested": moment},
                                        datetime.fromtimestamp(moment + delay, UTC), key)
            first = json.loads(row["payload_json"]).get("firstRequested", moment)
            due = max(row["not_before"], min(moment + delay, first + max_wait))
            conn.execute("UPDATE jobs SET not_before = ? WHERE id = ?", (due, row["id"]))
            return int(row["id"])

    def bring_forward(self, kind: str, now: datetime) -> int:
        """Make the waiting jobs of ``kind`` due now (the secretary runs the work at once)."""
        with self._write() as conn:
            return conn.execute(
                "UPDATE jobs SET not_before = ? WHERE kind = ? AND state = 'pending' "
                "AND not_before > ? AND (lease_until IS NULL OR lease_until <= ?)",
                (epoch(now), kind, epoch(now), epoch(now))).rowcount

    def _enqueue_all(self, conn: sqlite3.Connection, jobs: Iterable[QueuedJob]) -> None:
        """Queue ``jobs`` now, in the caller's transaction, coalesced by key."""
        now = datetime.now(UTC)
        for kind, payload, key in jobs:
            self._enqueue(conn, kind, payload, now, key, now)

    def _enqueue(self, conn: sqlite3.Connection, kind: str, payload: dict[str, Any],
                 not_before: datetime, key: str | None, now: datetime) -> int:
        if key is not None:
            row = conn.execute(
                "SELECT id FROM jobs WHERE key = ? AND state = 'pending' "
                "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY id LIMIT 1",
                (key, epoch(now))).fetchone()
            if row is not None:
                return int(row["id"])
        return self._insert_job(conn, kind, payload, not_before, key)

    def arrivals_since(self, moment: datetime, enough: int) -> int:
        """How many deliveries were recorded since ``moment``, counted up to ``enough``: a
        read of the newest few rows (by rowid, no index needed), taking no lock, so the
        outbox can ask often whether the webhook is busy (``outbox.courtesy``)."""
        return int(self._read(
            "SELECT count(*) AS n FROM deliveries WHERE rowid > "
            "(SELECT coalesce(max(rowid), 0) FROM deliveries) - ? AND received_at > ?",
            (enough, iso(moment)))[0]["n"])

    def has_due_job(self, now: datetime) -> bool:
        """Whether a job could be claimed now: a read, taking no write lock, so an idle
        worker may ask often without slowing the webhook's commits. A job waiting for
        another of its key to finish is not due: counted, it sent every idle worker into a
        claim (a write) that found nothing, 20 times a second for as long as that one ran."""
        moment = epoch(now)
        return bool(self._read(
            "SELECT 1 FROM jobs WHERE state = 'pending' AND not_before <= ? "
            "AND (lease_until IS NULL OR lease_until <= ?) "
            "AND (key IS NULL OR NOT EXISTS (SELECT 1 FROM jobs AS running "
            "     WHERE running.key = jobs.key AND running.id != jobs.id "
            "     AND running.state = 'pending' AND running.lease_until > ?)) LIMIT 1",
            (moment, moment, moment)))

    def claim_job(self, now: datetime, lease_seconds: float,
                  max_attempts: int | None = None) -> Job | None:
        """Take the oldest due job whose lease (if any) has run out; None when nothing is due.

        The lease is what makes a crash harmless: a job claimed by a process that died is
        due again once its lease has passed. Jobs with the same key never run at once: a
        second filing of a meeting waits until the running one is done, so an older read of
        the meeting can never overwrite a newer filing.

        With ``max_attempts``, a job already claimed that many times whose lease ran out
        (every run ended without an outcome, e.g. the process was killed while rendering)
        is marked failed instead of claimed again, or it would crash the worker forever.
        """
        moment = epoch(now)
        with self._write() as conn:
            if max_attempts is not None:
                self._abandon(conn, max_attempts, moment)
            row = conn.execute(
                "SELECT * FROM jobs WHERE state = 'pending' AND not_before <= ? "
                "AND (lease_until IS NULL OR lease_until <= ?) "
                "AND (key IS NULL OR NOT EXISTS (SELECT 1 FROM jobs AS running "
                "     WHERE running.key = jobs.key AND running.id != jobs.id "
                "     AND running.state = 'pending' AND running.lease_until > ?)) "
                "ORDER BY not_before, id LIMIT 1",
                (moment, moment, moment)).fetchone()
            if row is None:
                return None
            conn.execute("UPDATE jobs SET attempts = attempts + 1, lease_until = ? WHERE id = ?",
                         (moment + lease_seconds, row["id"]))
            row = conn.execute("SELECT * FROM jobs WHERE id = ?", (row["id"],)).fetchone()
            return self._job(row)

    @staticmethod
    def _abandon(conn: sqlite3.Connection, max_attempts: int, moment: float) -> None:
        """Fail the jobs whose last allowed claim ran out without an outcome."""
        rows = conn.execute(
            "SELECT id, attempts, last_error FROM jobs WHERE state = 'pending' "
            "AND attempts >= ? AND lease_until <= ?", (max_attempts, moment)).fetchall()
        for row in rows:
            error = ABANDONED.format(attempts=row["attempts"])
            if row["last_error"]:
                error += f" Ett tidigare försök misslyckades: {row['last_error']}"
            conn.execute("UPDATE jobs SET state = 'failed', last_error = ?, lease_until = NULL "
                         "WHERE id = ?", (error, row["id"]))

    def extend_lease(self, job_id: int, lease_seconds: float,
                     claim: int | None = None) -> bool:
        """The running worker's heartbeat: its job stays its own ``lease_seconds`` longer.

        False if the job is no longer leased (settled), or with ``claim``, taken over after
        the lease ran out: without it, the first runner's renewal extended the second's
        lease, and both went on running the job.
        """
        moment = epoch(datetime.now(UTC))
        with self._write() as conn:
            return conn.execute(
                "UPDATE jobs SET lease_until = ? WHERE id = ? AND state = 'pending' "
                "AND lease_until > ? AND attempts = COALESCE(?, attempts)",
                (moment + lease_seconds, job_id, moment, claim)).rowcount == 1

    def release_job(self, job_id: int, claim: int | None = None) -> None:
        """Hand a claimed job back unfinished (a graceful shutdown): due again at once, and
        the claim does not count as an attempt."""
        with self._write() as conn:
            # CASE, not SQLite's two-argument max(), which PostgreSQL does not have.
            conn.execute("UPDATE jobs SET lease_until = NULL, attempts = CASE WHEN attempts > 0 "
                         "THEN attempts - 1 ELSE 0 END WHERE id = ? AND state = 'pending' "
                         "AND attempts = COALESCE(?, attempts)", (job_id, claim))

    def complete_job(self, job_id: int, claim: int | None = None) -> None:
        with self._write() as conn:
            conn.execute("UPDATE jobs SET state = 'done', lease_until = NULL WHERE id = ? "
                         "AND attempts = COALESCE(?, attempts)", (job_id, claim))

    def retry_job(self, job_id: int, error: str, not_before: datetime,
                  claim: int | None = None) -> None:
        with self._write() as conn:
            conn.execute("UPDATE jobs SET last_error = ?, not_before = ?, lease_until = NULL "
                         "WHERE id = ? AND attempts = COALESCE(?, attempts)",
                         (error, epoch(not_before), job_id, claim))

    def fail_job(self, job_id: int, error: str, claim: int | None = None) -> None:
        with self._write() as conn:
            conn.execute("UPDATE jobs SET state = 'failed', last_error = ?, lease_until = NULL "
                         "WHERE id = ? AND attempts = COALESCE(?, attempts)",
                         (error, job_id, claim))

    def retry_failed_job(self, job_id: int, now: datetime) -> Job | None:
        """Make a failed job due again with a fresh count of attempts (the secretary's «Försök
        igen»); its last error stays until the next run. None if no failed job has that id."""
        with self._write() as conn:
            changed = conn.execute(
                "UPDATE jobs SET state = 'pending', attempts = 0, not_before = ?, "
                "lease_until = NULL WHERE id = ? AND state = 'failed'",
                (epoch(now), job_id)).rowcount
            row = conn.execute("SELECT * FROM jobs WHERE id = ?", (job_id,)).fetchone()
        return self._job(row) if changed and row is not None else None

    def pending_jobs(self, kind: str | None = None) -> list[Job]:
        sql = "SELECT * FROM jobs WHERE state = 'pending'"
        params: tuple[Any, ...] = ()
        if kind is not None:
            sql, params = sql + " AND kind = ?", (kind,)
        return [self._job(row) for row in self._read(sql + " ORDER BY not_before, id", params)]

    def failed_jobs(self) -> list[Job]:
        return [self._job(row) for row in self._read(
            "SELECT * FROM jobs WHERE state = 'failed' ORDER BY id")]

