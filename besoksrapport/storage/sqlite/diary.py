"""Diarienummer the secretary gives: a report's own, or a meeting's for all its reports.

Each change is one transaction with the filing it calls for, as a move is: a crash never
leaves a number stored while the documents still show the old one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from datetime import date

from besoksrapport.storage.protocol import QueuedJob
from besoksrapport.storage.sqlite.outbox import Outbox
from besoksrapport.storage.sqlite.reports import meeting_of

# Told the meeting a change concerns (None: a report with no meeting yet), the jobs to queue.
Refile = Callable[[date | None], Iterable[QueuedJob]]


class DiaryNumbers(Outbox):
    """The ``diary_number`` of ``reports`` and the ``meeting_diary_numbers`` table."""

    def meeting_diary_number(self, day: date) -> str | None:
        rows = self._read("SELECT diary_number FROM meeting_diary_numbers WHERE meeting_date = ?",
                          (day.isoformat(),))
        return rows[0]["diary_number"] if rows else None

    def set_meeting_diary_number(self, day: date, number: str | None, jobs: Refile) -> None:
        """Give the meeting ``number`` (None: take it away) and queue ``jobs(day)`` with it."""
        with self._write() as conn:
            if number is None:
                conn.execute("DELETE FROM meeting_diary_numbers WHERE meeting_date = ?",
                             (day.isoformat(),))
            else:
                conn.execute("INSERT INTO meeting_diary_numbers VALUES (?, ?) ON CONFLICT "
                             "(meeting_date) DO UPDATE SET diary_number = excluded.diary_number",
                             (day.isoformat(), number))
            self._enqueue_all(conn, jobs(day))

    def set_report_diary_number(self, report_id: str, number: str | None,
                                jobs: Refile) -> date | None:
        """Give the report ``number`` (None: take it away) and queue ``jobs`` of its meeting.

        Returns the report's meeting; an unknown report id raises KeyError.
        """
        with self._write() as conn:
            meeting = meeting_of(conn, report_id)
            conn.execute("UPDATE reports SET diary_number = ? WHERE report_id = ?",
                         (number, report_id))
            self._enqueue_all(conn, jobs(meeting))
            return meeting
