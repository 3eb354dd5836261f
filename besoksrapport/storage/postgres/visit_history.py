"""A politician's visits on PostgreSQL, read along the same index as on SQLite.

As ``sqlite.visit_history``: the index on (submitter, visit date, reception, report id)
hands the rows out in report order without a sort, the server takes the three answers
out of the stored body, and a server-side cursor lets the caller stop after a few rows.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from besoksrapport.storage.postgres.database import Database
from besoksrapport.storage.protocol import VisitRecord

HISTORY = ("SELECT report_id, received_at, visit_date, answers->>'operation' AS operation, "
           "answers->>'unit' AS unit, answers->>'visit_kind' AS visit_kind "
           "FROM (SELECT report_id, received_at, visit_date, "
           "      convert_from(raw_body, 'UTF8')::json->'data'->'answers' AS answers "
           "      FROM reports WHERE submitter_id = %s AND visit_date BETWEEN %s AND %s "
           "      ORDER BY visit_date, received_at, report_id) AS visits")
ROWS_PER_FETCH = 8  # the count usually has its answer in the first rows


class PostgresVisitHistory(Database):
    """``visit_history``: the rows of one politician's visits, read as far as wanted."""

    @contextmanager
    def visit_history(self, politician_id: str, first: date,
                      last: date) -> Iterator[Iterator[VisitRecord]]:
        """The politician's reports about visits from ``first`` to ``last``, in report order."""
        with self._guard(), self._connection() as conn, conn.transaction(), \
                conn.cursor(name="visit_history") as cursor:
            cursor.itersize = ROWS_PER_FETCH
            cursor.execute(HISTORY, (politician_id, first.isoformat(), last.isoformat()))
            yield (VisitRecord(report_id=row["report_id"],
                               received_at=datetime.fromisoformat(row["received_at"]),
                               visit_date=date.fromisoformat(row["visit_date"]),
                               operation=row["operation"], unit=row["unit"],
                               visit_kind=row["visit_kind"]) for row in cursor)
