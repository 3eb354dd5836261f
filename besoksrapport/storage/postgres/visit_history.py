"""A politician's visits on PostgreSQL, read along the same index as on SQLite.

As ``sqlite.visit_history``: the index on (submitter, visit date, reception, report id)
hands the rows out in report order without a sort, the server takes the three answers out
of the stored body, and the caller stops as soon as it has its answer. The rows come a page
at a time, each page continuing after the last row of the one before (keyset), so the
usual receipt costs one short query however many visits the politician has made.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime
from typing import Any

from besoksrapport.storage.postgres.database import Database
from besoksrapport.storage.protocol import VisitRecord

PAGE = 8  # rows per query; the count usually has its answer in the first rows
_VISITS = ("SELECT report_id, received_at, visit_date, raw_body FROM reports "
           "WHERE submitter_id = %s AND visit_date BETWEEN %s AND %s {after}"
           "ORDER BY visit_date, received_at, report_id LIMIT %s")
_ANSWERS = ("SELECT report_id, received_at, visit_date, answers->>'operation' AS operation, "
            "answers->>'unit' AS unit, answers->>'visit_kind' AS visit_kind "
            "FROM (SELECT report_id, received_at, visit_date, "
            "      convert_from(raw_body, 'UTF8')::json->'data'->'answers' AS answers "
            "      FROM ({visits}) AS page) AS visits ORDER BY visit_date, received_at, report_id")
HISTORY = _ANSWERS.format(visits=_VISITS.format(after=""))
HISTORY_AFTER = _ANSWERS.format(visits=_VISITS.format(
    after="AND (visit_date, received_at, report_id) > (%s, %s, %s) "))


class PostgresVisitHistory(Database):
    """``visit_history``: the rows of one politician's visits, read as far as wanted."""

    @contextmanager
    def visit_history(self, politician_id: str, first: date,
                      last: date) -> Iterator[Iterator[VisitRecord]]:
        """The politician's reports about visits from ``first`` to ``last``, in report order."""
        span = (politician_id, first.isoformat(), last.isoformat())
        with self._guard(), self._connection() as conn:

            def pages() -> Iterator[Any]:
                rows = conn.execute(HISTORY, (*span, PAGE)).fetchall()
                while True:
                    yield from rows
                    if len(rows) < PAGE:
                        return
                    end = rows[-1]
                    rows = conn.execute(HISTORY_AFTER, (
                        *span, end["visit_date"], end["received_at"], end["report_id"],
                        PAGE)).fetchall()

            yield (VisitRecord(report_id=row["report_id"],
                               received_at=datetime.fromisoformat(row["received_at"]),
                               visit_date=date.fromisoformat(row["visit_date"]),
                               operation=row["operation"], unit=row["unit"],
                               visit_kind=row["visit_kind"]) for row in pages())
