"""Which reports the secretary is to be told about by e-mail, and which they have been told of.

A report is marked once, in its own processing; the mail job then reads what is still
unsent, so a report is neither forgotten nor announced twice.
"""

from __future__ import annotations

from datetime import datetime

from besoksrapport.report import Report
from besoksrapport.storage.sqlite.database import Database, iso
from besoksrapport.storage.sqlite.reports import report_from_row


class Notified(Database):
    """The ``notifications`` table: one row a report to announce, ``sent_at`` once it is."""

    def mark_for_notification(self, report_id: str) -> None:
        """The secretary is to be told about this report (once, whatever happens after)."""
        with self._write() as conn:
            conn.execute("INSERT INTO notifications (report_id) VALUES (?) "
                         "ON CONFLICT (report_id) DO NOTHING", (report_id,))

    def unnotified_reports(self) -> list[Report]:
        return [report_from_row(row) for row in self._read(
            "SELECT r.* FROM notifications n JOIN reports r USING (report_id) "
            "WHERE n.sent_at IS NULL ORDER BY r.received_at")]

    def notified(self, report_id: str) -> bool:
        rows = self._read("SELECT sent_at FROM notifications WHERE report_id = ?", (report_id,))
        return bool(rows) and rows[0]["sent_at"] is not None

    def mark_notified(self, report_ids: list[str], sent_at: datetime) -> None:
        with self._write() as conn:
            conn.executemany("UPDATE notifications SET sent_at = ? WHERE report_id = ?",
                             [(iso(sent_at), report_id) for report_id in report_ids])
