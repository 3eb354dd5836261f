"""A politician's reports of a period as the visit count needs them, read lazily in order.

The receipt tells a politician when a visit is their third ordinary one of the year, so
the count is read on the webhook's request path: the index on (submitter, visit date,
reception, report id) gives the rows already in report order, without a sort, and the
caller stops reading as soon as it has its answer (usually at the first rows). Only the
three answers the count needs are taken out of the stored body, by SQLite's JSON
functions, so no report is parsed in Python.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date, datetime

from besoksrapport.storage.protocol import VisitRecord
from besoksrapport.storage.sqlite.database import Database

_ANSWERS = "'$.data.answers.operation', '$.data.answers.unit', '$.data.answers.visit_kind'"
# The order is visits.report_order's: visit date, then reception, then report id.
HISTORY = (f"SELECT report_id, received_at, visit_date, "  # noqa: S608 (constant text)
           f"json_extract(CAST(raw_body AS TEXT), {_ANSWERS}) AS answers "
           "FROM reports WHERE submitter_id = ? AND visit_date BETWEEN ? AND ? "
           "ORDER BY visit_date, received_at, report_id")


class VisitHistory(Database):
    """``visit_history``: the rows of one politician's visits, read as far as wanted."""

    @contextmanager
    def visit_history(self, politician_id: str, first: date,
                      last: date) -> Iterator[Iterator[VisitRecord]]:
        """The politician's reports about visits from ``first`` to ``last``, in report order.

        A context manager, so the statement (and the snapshot it holds) ends when the caller
        has read enough, not when the iterator happens to be collected.
        """
        with self._guard():
            self._prepare()
            cursor = self._connection().execute(
                HISTORY, (politician_id, first.isoformat(), last.isoformat()))
            try:
                yield (_record(row) for row in cursor)
            finally:
                cursor.close()


def _record(row: sqlite3.Row) -> VisitRecord:
    operation, unit, kind = json.loads(row["answers"])
    return VisitRecord(report_id=row["report_id"],
                       received_at=datetime.fromisoformat(row["received_at"]),
                       visit_date=date.fromisoformat(row["visit_date"]),
                       operation=operation, unit=unit, visit_kind=kind)
