"""What the secretary decided about publishing a report: withdrawn, or its personal data
reviewed. Each change is one transaction with the filing it calls for, as a move is."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable
from datetime import date, datetime

from besoksrapport.storage.protocol import PrivacyReview, QueuedJob, Withdrawal
from besoksrapport.storage.sqlite.database import iso
from besoksrapport.storage.sqlite.outbox import Outbox
from besoksrapport.storage.sqlite.reports import meeting_of

Refile = Callable[[date | None], Iterable[QueuedJob]]


class Publication(Outbox):
    """The ``withdrawals`` and ``privacy_reviews`` tables."""

    def withdraw_report(self, report_id: str, reason: str, by: str, at: datetime,
                        jobs: Refile) -> tuple[date | None, bool]:
        """Withdraw the report and queue ``jobs`` of its meeting with it, in one transaction.
        Returns the meeting, and False when the report was withdrawn already (then nothing
        changes and nothing is queued: a double click mails the politician once). KeyError
        for an unknown report."""
        with self._write() as conn:
            meeting = meeting_of(conn, report_id)
            if conn.execute("INSERT INTO withdrawals VALUES (?, ?, ?, ?) "
                            "ON CONFLICT (report_id) DO NOTHING",
                            (report_id, reason, by, iso(at))).rowcount != 1:
                return meeting, False
            self._enqueue_all(conn, jobs(meeting))
            return meeting, True

    def restore_report(self, report_id: str,
                       jobs: Refile) -> tuple[date | None, Withdrawal | None]:
        """Bring a withdrawn report back; returns its meeting and the withdrawal it had
        (None: it was not withdrawn, and nothing is queued)."""
        with self._write() as conn:
            meeting = meeting_of(conn, report_id)
            row = conn.execute("SELECT * FROM withdrawals WHERE report_id = ?",
                               (report_id,)).fetchone()
            if row is None:
                return meeting, None
            conn.execute("DELETE FROM withdrawals WHERE report_id = ?", (report_id,))
            self._enqueue_all(conn, jobs(meeting))
            return meeting, _withdrawal(row)

    def withdrawals(self) -> dict[str, Withdrawal]:
        return {row["report_id"]: _withdrawal(row)
                for row in self._read("SELECT * FROM withdrawals")}

    def review_report(self, report_id: str, decision: str, by: str, at: datetime,
                      jobs: Refile) -> date | None:
        """Store the secretary's decision on the report's personal data; queue ``jobs``."""
        with self._write() as conn:
            meeting = meeting_of(conn, report_id)
            conn.execute("INSERT INTO privacy_reviews VALUES (?, ?, ?, ?) ON CONFLICT "
                         "(report_id) DO UPDATE SET decision = excluded.decision, "
                         "reviewed_by = excluded.reviewed_by, reviewed_at = "
                         "excluded.reviewed_at", (report_id, decision, by, iso(at)))
            self._enqueue_all(conn, jobs(meeting))
            return meeting

    def privacy_reviews(self) -> dict[str, PrivacyReview]:
        return {row["report_id"]: PrivacyReview(row["report_id"], row["decision"],
                                                row["reviewed_by"],
                                                datetime.fromisoformat(row["reviewed_at"]))
                for row in self._read("SELECT * FROM privacy_reviews")}


def _withdrawal(row: sqlite3.Row) -> Withdrawal:
    return Withdrawal(row["report_id"], row["reason"], row["withdrawn_by"],
                      datetime.fromisoformat(row["withdrawn_at"]))
