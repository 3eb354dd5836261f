"""Group commit: the deliveries that arrive while one commits are committed together after it.

A commit costs an fsync, so under load one transaction for a whole queue of deliveries is
what lets reception keep up; what is written for each delivery is ``Recording``'s part.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from besoksrapport.errors import StorageUnavailable
from besoksrapport.failure_reasons import storage_reason
from besoksrapport.report import Report
from besoksrapport.storage.protocol import NewJob
from besoksrapport.storage.sqlite.database import BUSY_TIMEOUT_MS, Database

# What record_report was called with: webhook_id, raw_body, envelope, received_at,
# meeting_date and the jobs (kind and payload) to queue with a new report.
DeliveryArgs = tuple[str, bytes, dict[str, Any], datetime, date | None,
                     Sequence[NewJob]]


def _taken_lock() -> threading.Lock:
    lock = threading.Lock()
    lock.acquire()
    return lock


@dataclass
class Delivery:
    """One record_report call waiting for the group commit."""

    args: DeliveryArgs
    result: tuple[Report, bool] | None = None
    error: BaseException | None = None
    done: bool = False
    turn: threading.Lock = field(default_factory=_taken_lock)  # let go: done, or commit now
    given: bool = False  # the turn was let go (set before the lock is released)


def _give_turn(item: Delivery) -> None:
    """Let a waiting caller go on: its delivery is done, or it commits the queue next."""
    item.given = True
    if item.turn.locked():
        item.turn.release()


def _await_turn(item: Delivery) -> BaseException | None:
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


class GroupCommit(Database):
    """``record_report`` as a queue of deliveries, each batch committed in one transaction."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                 lazy: bool = False) -> None:
        self._queue: list[Delivery] = []
        self._queue_lock = threading.Lock()  # guards _queue and _committing
        self._committing = False
        super().__init__(path, busy_timeout_ms=busy_timeout_ms, lazy=lazy)

    def record_report(self, webhook_id: str, raw_body: bytes, envelope: dict[str, Any],
                      received_at: datetime, meeting_date: date | None,
                      jobs: Sequence[NewJob] = ()) -> tuple[Report, bool]:
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
        item = Delivery((webhook_id, raw_body, envelope, received_at, meeting_date,
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
        batch: list[Delivery] = []
        try:
            with self._queue_lock:
                batch, self._queue = self._queue, []
            with self._writer:
                self._commit_batch(batch)
        finally:
            for item in batch:
                if not item.done:
                    item.result, item.done = None, True
                    item.error = StorageUnavailable(f"{self.path}: sparandet avbröts")
            with self._queue_lock:
                following = self._queue[0] if self._queue else None
                self._committing = following is not None
            for item in batch:
                _give_turn(item)
            if following is not None:
                _give_turn(following)

    def _commit_batch(self, batch: list[Delivery]) -> None:
        try:
            with self._guard():
                self._prepare()
            with self._guard(), self._file_lock():
                conn = self._connection()
                conn.execute("BEGIN IMMEDIATE")
                try:
                    self._store_batch(conn, batch)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
        except BaseException as error:
            failure = error if isinstance(error, StorageUnavailable) else \
                StorageUnavailable(f"{self.path}: {storage_reason(error)}")
            for item in batch:
                item.result, item.error = None, failure
            if not isinstance(error, Exception):
                raise
        finally:
            for item in batch:
                item.done = True

    def _store_batch(self, conn: sqlite3.Connection, batch: list[Delivery]) -> None:
        """Write the batch in the open transaction, giving each item its result or error.

        An ``sqlite3.Error`` fails the whole batch; an error of one delivery only (e.g. a bad
        envelope) goes to its ``error`` and leaves nothing of it written.
        """
        raise NotImplementedError
