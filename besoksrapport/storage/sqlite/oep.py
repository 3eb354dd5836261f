"""Open ePlatform's side of storage: the flow instances read, and where polling got to.

``oep_instances`` keeps every revision of a flow instance we handled (the revision is its
Header/LastSubmitted), with the XML as the platform gave it, and the report it became or the
errors it was refused with. Recording a revision and queueing the callbacks that tell the
platform are one transaction, and a revision is recorded once: a poll that comes again
after a crash finds the report ``reception.receive`` already kept, records it, and the
callbacks are queued exactly once. ``oep_cursor`` holds the start of the last poll that
went through.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from besoksrapport.errors import ValidationIssue, capped_issues
from besoksrapport.storage.protocol import OepInstance, QueuedJob
from besoksrapport.storage.sqlite.database import iso
from besoksrapport.storage.sqlite.outbox import Outbox


def _instance(row: sqlite3.Row) -> OepInstance:
    return OepInstance(
        flow_instance_id=row["flow_instance_id"], revision=row["revision"],
        received_at=datetime.fromisoformat(row["received_at"]), xml=bytes(row["xml"]),
        report_id=row["report_id"],
        errors=json.loads(row["errors_json"]) if row["errors_json"] else None)


# The ids are asked for in chunks of one size, the last one padded with a repeat: one
# statement text for a meeting of any size. With a «?» per id every size of meeting was a
# statement of its own, and a worker's statement cache filled with up to 128 of them
# (MiBs of memory, issue 19). Plain «IN (?, …)»: the PostgreSQL backend runs this SQL too.
_ID_CHUNK = 50
_UNQUEUED_OF_REPORTS = ("SELECT * FROM oep_instances WHERE status_queued_at IS NULL "  # noqa: S608
                        f"AND report_id IN ({', '.join('?' * _ID_CHUNK)})")


class OepStore(Outbox):
    """The ``oep_instances`` and ``oep_cursor`` tables."""

    def oep_handled(self, flow_instance_id: int, revision: str | None = None) -> bool:
        """Has the instance become a report, or (with ``revision``) was that revision read?"""
        rows = self._read(
            "SELECT 1 FROM oep_instances WHERE flow_instance_id = ? "
            "AND (report_id IS NOT NULL OR revision = ?) LIMIT 1",
            (flow_instance_id, revision))
        return bool(rows)

    def record_oep_instance(self, flow_instance_id: int, revision: str, xml: bytes,
                            received_at: datetime, report_id: str | None,
                            issues: list[ValidationIssue] | None,
                            jobs: Sequence[QueuedJob] = ()) -> bool:
        """Keep one revision and queue its callbacks; False (nothing queued) if known."""
        errors = None if issues is None else json.dumps(
            [i.as_dict() for i in capped_issues(issues)], ensure_ascii=False)
        with self._write() as conn:
            inserted = conn.execute(
                "INSERT INTO oep_instances (flow_instance_id, revision, received_at, xml, "
                "report_id, errors_json) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (flow_instance_id, revision, iso(received_at), xml, report_id,
                 errors)).rowcount == 1
            if inserted:
                self._enqueue_all(conn, jobs)
            return inserted

    def oep_instance(self, flow_instance_id: int, revision: str) -> OepInstance:
        rows = self._read("SELECT * FROM oep_instances WHERE flow_instance_id = ? "
                          "AND revision = ?", (flow_instance_id, revision))
        if not rows:
            raise KeyError((flow_instance_id, revision))
        return _instance(rows[0])

    def oep_instances(self) -> list[OepInstance]:
        return [_instance(row) for row in self._read(
            "SELECT * FROM oep_instances ORDER BY received_at, flow_instance_id")]

    def queue_oep_statuses(self, report_ids: Sequence[str],
                           job: Callable[[OepInstance], QueuedJob]) -> int:
        """Queue ``job(instance)`` once for each of these reports that came from the platform.

        The marking and the jobs are one transaction: a report's status is queued once,
        however often its meeting is filed. Returns how many were queued.
        """
        if not report_ids:
            return 0
        now = datetime.now(UTC)
        unique = list(dict.fromkeys(report_ids))
        chunks: list[tuple[str, ...]] = []
        for start in range(0, len(unique), _ID_CHUNK):
            part = unique[start:start + _ID_CHUNK]
            chunks.append(tuple(part + part[-1:] * (_ID_CHUNK - len(part))))  # a repeat
            # changes nothing
        # Most filings have nothing to queue (webhook reports, or statuses queued before):
        # a read, taking no write lock, says so; the write looks again under its lock.
        if not any(self._read(_UNQUEUED_OF_REPORTS, chunk) for chunk in chunks):
            return 0
        with self._write() as conn:
            rows = []
            for ids in chunks:
                rows += conn.execute(_UNQUEUED_OF_REPORTS, ids).fetchall()
            for row in rows:
                kind, payload, key = job(_instance(row))
                self._enqueue(conn, kind, payload, now, key, now)
                conn.execute("UPDATE oep_instances SET status_queued_at = ? "
                             "WHERE flow_instance_id = ? AND revision = ?",
                             (iso(now), row["flow_instance_id"], row["revision"]))
            return len(rows)

    def oep_cursor(self, name: str) -> datetime | None:
        rows = self._read("SELECT last_run FROM oep_cursor WHERE name = ?", (name,))
        return datetime.fromisoformat(rows[0]["last_run"]) if rows else None

    def set_oep_cursor(self, name: str, last_run: datetime) -> None:
        """Move the cursor forward (never back: two polls may end in either order)."""
        with self._write() as conn:
            conn.execute("INSERT INTO oep_cursor (name, last_run) VALUES (?, ?) "
                         "ON CONFLICT (name) DO UPDATE SET last_run = excluded.last_run "
                         "WHERE excluded.last_run > oep_cursor.last_run",
                         (name, iso(last_run)))
