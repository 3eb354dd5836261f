"""Stored reports: reading them, and changing what was decided about them afterwards.

The meeting a report goes to and its flags change after reception; each change is one
transaction with what it has to queue, so a crash never leaves half of it done.
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3
from collections.abc import Callable, Iterable
from datetime import date, datetime
from typing import Any

from besoksrapport.report import Flag, Report
from besoksrapport.storage.protocol import QueuedJob
from besoksrapport.storage.sqlite.outbox import Outbox


def report_from_row(row: sqlite3.Row) -> Report:
    """The report a ``reports`` row holds: its raw body plus what was decided about it."""
    report = Report.from_raw(
        bytes(row["raw_body"]),
        report_id=row["report_id"],
        received_at=datetime.fromisoformat(row["received_at"]),
        meeting_date=date.fromisoformat(row["meeting_date"]) if row["meeting_date"] else None,
    )
    report.flags = [Flag(**item) for item in json.loads(row["flags_json"])]
    report.joint_visit_of = row["joint_visit_of"]
    report.diary_number = row["diary_number"]
    return report


def meeting_of(conn: sqlite3.Connection, report_id: str) -> date | None:
    """The meeting a stored report has (None: none yet); KeyError for an unknown id."""
    row = conn.execute("SELECT meeting_date FROM reports WHERE report_id = ?",
                       (report_id,)).fetchone()
    if row is None:
        raise KeyError(report_id)
    return date.fromisoformat(row["meeting_date"]) if row["meeting_date"] else None


def _flags_json(flags: list[Flag]) -> str:
    return json.dumps([{"code": f.code, "message": f.message} for f in flags],
                      ensure_ascii=False)


class ReportStore(Outbox):
    """The ``reports`` table after reception; a change queues its jobs through the outbox."""

    def get_report(self, report_id: str) -> Report:
        rows = self._read("SELECT * FROM reports WHERE report_id = ?", (report_id,))
        if not rows:
            raise KeyError(report_id)
        return report_from_row(rows[0])

    def reports_for_meeting(self, day: date) -> list[Report]:
        return [report_from_row(row) for row in self._read(
            "SELECT * FROM reports WHERE meeting_date = ? ORDER BY received_at",
            (day.isoformat(),))]

    def reports_between(self, first: date, last: date) -> list[Report]:
        """Reports whose visit took place from ``first`` to ``last``, both included."""
        return [report_from_row(row) for row in self._read(
            "SELECT * FROM reports WHERE visit_date BETWEEN ? AND ? "
            "ORDER BY visit_date, received_at", (first.isoformat(), last.isoformat()))]

    def unassigned_reports(self) -> list[Report]:
        return [report_from_row(row) for row in self._read(
            "SELECT * FROM reports WHERE meeting_date IS NULL ORDER BY received_at")]

    def set_meeting(self, report_id: str, day: date | None,
                    jobs: Callable[[date | None], Iterable[QueuedJob]] | None = None,
                    *, if_unassigned: bool = False) -> date | None:
        """Give a report the meeting ``day`` (None: none) and queue what follows, at once.

        ``jobs`` gets the meeting the report had until now (read under the same write lock)
        and returns the jobs to queue, e.g. the filing of both meetings; they are coalesced by
        key as ``enqueue`` does and committed with the change, so a crash can never leave a
        report moved while its meetings are never refiled. Returns the previous meeting.
        With ``if_unassigned``, a report that has a meeting by now (the secretary moved it
        since the caller looked) is left as it is, and nothing is queued.
        """
        with self._write() as conn:
            before = meeting_of(conn, report_id)
            if if_unassigned and before is not None:
                return before
            conn.execute("UPDATE reports SET meeting_date = ? WHERE report_id = ?",
                         (day.isoformat() if day else None, report_id))
            self._enqueue_all(conn, jobs(before) if jobs is not None else ())
            return before

    def reassess(self, first: date, last: date,
                 assess: Callable[[list[Report]], dict[str, Any]],
                 jobs: Callable[[list[tuple[Report, Any]]], Iterable[QueuedJob]] | None = None,
                 *, around: tuple[str, date] | None = None) -> list[str]:
        """Judge the reports of a period afresh and store what changed, in one transaction.

        ``assess`` maps the period's reports to ``{report_id: result}`` where a result has
        ``flags`` and ``joint_visit_of``. Reading, judging and writing under one write lock
        means two workers judging at once can never overwrite a newer judgement with one
        made from an older read. ``jobs`` gets each changed report as it was with its new
        result and returns the jobs to queue in the same transaction (e.g. telling the
        secretary). Returns the ids whose judgement changed.

        ``around=(politician_id, visit_date)`` judges only what a new report of that
        politician about that day can change, so the write lock is held for a politician's
        year, not the committee's: the reports in the period of every politician with a
        report that day (their yearly counts are complete), of which those of that day get
        flags and joint-visit link, the others (other days' visits, whose groups were not
        all read) their flags only. ``assess`` must judge a report's flags from its own
        politician's reports and its link from its own day's, as the guideline's does.
        """
        with self._write() as conn:
            if around is None:
                rows = conn.execute(
                    "SELECT * FROM reports WHERE visit_date BETWEEN ? AND ? "
                    "ORDER BY visit_date, received_at", (first.isoformat(), last.isoformat()))
            else:
                politician, day = around
                rows = conn.execute(
                    "SELECT * FROM reports WHERE visit_date BETWEEN ? AND ? AND submitter_id "
                    "IN (SELECT submitter_id FROM reports WHERE visit_date = ? UNION SELECT ?) "
                    "ORDER BY visit_date, received_at",
                    (first.isoformat(), last.isoformat(), day.isoformat(), politician))
            reports = [report_from_row(row) for row in rows.fetchall()]
            results = assess(reports)
            changed = []
            for report in reports:
                result = results[report.report_id]
                if around is not None and report.visit_date != around[1]:
                    result = dataclasses.replace(result, joint_visit_of=report.joint_visit_of)
                    results[report.report_id] = result
                if (result.flags, result.joint_visit_of) == (report.flags,
                                                             report.joint_visit_of):
                    continue
                conn.execute(
                    "UPDATE reports SET flags_json = ?, joint_visit_of = ? WHERE report_id = ?",
                    (_flags_json(result.flags), result.joint_visit_of, report.report_id))
                changed.append(report)
            if jobs is not None:
                self._enqueue_all(conn, jobs([(r, results[r.report_id]) for r in changed]))
            return [report.report_id for report in changed]
