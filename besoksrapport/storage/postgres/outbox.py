"""The outbox on PostgreSQL: jobs claimed with ``FOR UPDATE SKIP LOCKED``.

Workers on every host claim side by side: a job row another claim holds is skipped, not
waited for. Jobs with the same key never run at once (as on SQLite): the claim of a keyed
job takes a transaction-scoped advisory lock on its key and looks again, after the lock,
for a running job with that key, so two hosts cannot both start one meeting's filing.
Coalescing a new job into a waiting one locks that row, so a claim either sees the change
that was coalesced or comes after it.
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any

from besoksrapport.storage.postgres.database import Database
from besoksrapport.storage.protocol import ABANDONED, Job
from besoksrapport.storage.sqlite.database import epoch, iso
from besoksrapport.storage.sqlite.outbox import Outbox

KEY_LOCKS = 0x62725F6B  # the namespace of the job keys' advisory locks ("br_k")
CANDIDATES = 16  # due jobs looked at per claim before the claim gives up for this round

DUE = ("SELECT * FROM jobs WHERE state = 'pending' AND not_before <= ? "
       "AND (lease_until IS NULL OR lease_until <= ?) "
       "ORDER BY not_before, id LIMIT ? FOR UPDATE SKIP LOCKED")
RUNNING_WITH_KEY = ("SELECT 1 FROM jobs WHERE key = ? AND id != ? AND state = 'pending' "
                    "AND lease_until > ? LIMIT 1")


class PostgresOutbox(Database, Outbox):  # type: ignore[misc]
    """``Outbox`` with the claim, the insert and the coalescing PostgreSQL needs."""

    def arrivals_since(self, moment: datetime, enough: int) -> int:
        """As on SQLite; an index range read (``deliveries_received``) of at most
        ``enough`` rows."""
        return int(self._read(
            "SELECT count(*) AS n FROM (SELECT 1 FROM deliveries WHERE received_at > ? "
            "LIMIT ?) AS recent", (iso(moment), enough))[0]["n"])

    @staticmethod
    def _insert_job(conn: Any, kind: str, payload: dict[str, Any],
                    not_before: datetime, key: str | None = None) -> int:
        row = conn.execute(
            "INSERT INTO jobs (kind, payload_json, not_before, key) VALUES (?, ?, ?, ?) "
            "RETURNING id", (kind, json.dumps(payload), epoch(not_before), key)).fetchone()
        return int(row["id"])

    def _enqueue(self, conn: Any, kind: str, payload: dict[str, Any],
                 not_before: datetime, key: str | None, now: datetime) -> int:
        if key is not None:
            row = conn.execute(
                "SELECT id FROM jobs WHERE key = ? AND state = 'pending' "
                "AND (lease_until IS NULL OR lease_until <= ?) ORDER BY id LIMIT 1 "
                "FOR UPDATE", (key, epoch(now))).fetchone()
            if row is not None:
                return int(row["id"])
        return self._insert_job(conn, kind, payload, not_before, key)

    def claim_job(self, now: datetime, lease_seconds: float,
                  max_attempts: int | None = None) -> Job | None:
        """Take the oldest due job no other claim holds; None when nothing is due.

        As SQLite's (``Outbox.claim_job``): under a lease, keyed jobs one at a time, and a
        job claimed ``max_attempts`` times without an outcome failed for good.
        """
        moment = epoch(now)
        with self._transaction(serialised=False) as conn:
            if max_attempts is not None:
                rows = conn.execute(
                    "SELECT id, attempts, last_error FROM jobs WHERE state = 'pending' "
                    "AND attempts >= ? AND lease_until <= ? FOR UPDATE SKIP LOCKED",
                    (max_attempts, moment)).fetchall()
                for row in rows:
                    error = ABANDONED.format(attempts=row["attempts"])
                    if row["last_error"]:
                        error += f" Ett tidigare försök misslyckades: {row['last_error']}"
                    conn.execute("UPDATE jobs SET state = 'failed', last_error = ?, "
                                 "lease_until = NULL WHERE id = ?", (error, row["id"]))
            for row in conn.execute(DUE, (moment, moment, CANDIDATES)).fetchall():
                if row["key"] is not None:
                    taken = conn.execute("SELECT pg_try_advisory_xact_lock(?, hashtext(?)) "
                                         "AS taken", (KEY_LOCKS, row["key"])).fetchone()
                    if taken is None or not taken["taken"] or conn.execute(
                            RUNNING_WITH_KEY, (row["key"], row["id"], moment)).fetchone():
                        continue
                claimed = conn.execute(
                    "UPDATE jobs SET attempts = attempts + 1, lease_until = ? WHERE id = ? "
                    "RETURNING *", (moment + lease_seconds, row["id"])).fetchone()
                return None if claimed is None else self._job(claimed)
            return None

    # Settling a job touches its own row only: no shared write lock needed.
    def complete_job(self, job_id: int, claim: int | None = None) -> None:
        with self._transaction(serialised=False) as conn:
            conn.execute("UPDATE jobs SET state = 'done', lease_until = NULL WHERE id = ? "
                         "AND attempts = COALESCE(?, attempts)", (job_id, claim))

    def retry_job(self, job_id: int, error: str, not_before: datetime,
                  claim: int | None = None) -> None:
        with self._transaction(serialised=False) as conn:
            conn.execute("UPDATE jobs SET last_error = ?, not_before = ?, lease_until = NULL "
                         "WHERE id = ? AND attempts = COALESCE(?, attempts)",
                         (error, epoch(not_before), job_id, claim))

    def fail_job(self, job_id: int, error: str, claim: int | None = None) -> None:
        with self._transaction(serialised=False) as conn:
            conn.execute("UPDATE jobs SET state = 'failed', last_error = ?, lease_until = NULL "
                         "WHERE id = ? AND attempts = COALESCE(?, attempts)",
                         (error, job_id, claim))
