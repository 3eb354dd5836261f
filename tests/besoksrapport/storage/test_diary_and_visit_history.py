"""Diarienummer in the storage, and a politician's visit history as the receipt reads it."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest
from webhook_helpers import body_of, envelope_for

from besoksrapport.storage.sqlite import MIGRATIONS, SqliteStorage
from besoksrapport.storage.sqlite.visit_history import HISTORY

MEETING = date(2026, 12, 10)
RECEIVED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
REFILE = ("file_meeting", {"meeting_date": MEETING.isoformat()}, "file_meeting:2026-12-10")


def record(store, number: int, *, unit: str = "Centralköket", day: str = "2026-11-02",
           kind: str = "ordinary", submitter: str = "anna.lindqvist", meeting=MEETING):
    envelope = envelope_for(f"oep-{number}")
    envelope["data"]["submitter"]["id"] = submitter
    envelope["data"]["answers"].update(unit=unit, visit_date=day, visit_kind=kind)
    if kind == "chair_decision":
        envelope["data"]["answers"]["chair_decision_date"] = "2026-01-02"
    report, _ = store.record_report(f"msg_{number}", body_of(envelope), envelope,
                                    RECEIVED + timedelta(minutes=number), meeting)
    return report


def test_a_meetings_number_is_stored_changed_and_removed_with_its_refiling(store, reopen):
    store.set_meeting_diary_number(MEETING, "VSN 2026/143", lambda day: [REFILE])
    store.set_meeting_diary_number(MEETING, "VSN 2026/144", lambda day: [REFILE])
    assert reopen().meeting_diary_number(MEETING) == "VSN 2026/144"
    assert [job.kind for job in store.pending_jobs()] == ["file_meeting"]  # coalesced
    store.set_meeting_diary_number(MEETING, None, lambda day: [REFILE])
    assert store.meeting_diary_number(MEETING) is None


def test_a_reports_own_number_is_stored_with_the_report_and_its_meeting_refiled(store):
    report = record(store, 1)
    seen = []

    def jobs(day):
        seen.append(day)
        return [REFILE]

    assert store.set_report_diary_number(report.report_id, "VSN 2026/150", jobs) == MEETING
    assert seen == [MEETING]
    assert store.get_report(report.report_id).diary_number == "VSN 2026/150"
    assert store.reports_for_meeting(MEETING)[0].diary_number == "VSN 2026/150"
    with pytest.raises(KeyError):
        store.set_report_diary_number("BR-2026-NOSUCH", "VSN 2026/1", jobs)


def test_a_failing_refile_leaves_the_number_unchanged(store):
    report = record(store, 1)

    def broken(day):
        raise RuntimeError("the jobs could not be made")

    with pytest.raises(RuntimeError):
        store.set_report_diary_number(report.report_id, "VSN 2026/150", broken)
    assert store.get_report(report.report_id).diary_number is None


def test_a_database_of_the_previous_version_is_migrated_with_its_reports(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:-1]:
        conn.executescript(script)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    envelope = envelope_for("oep-old")
    conn.execute("INSERT INTO reports (report_id, submission_id, received_at, submitter_id, "
                 "visit_date, raw_body, meeting_date) VALUES (?, ?, ?, ?, ?, ?, ?)",
                 ("BR-2026-OLD000", "oep-old", RECEIVED.isoformat(), "anna.lindqvist",
                  envelope["data"]["answers"]["visit_date"], body_of(envelope), None))
    conn.commit()
    conn.close()
    store = SqliteStorage(path)
    try:
        assert store.get_report("BR-2026-OLD000").diary_number is None
        assert store.meeting_diary_number(MEETING) is None
    finally:
        store.close()


def test_the_history_is_one_politicians_year_in_report_order(store):
    late = record(store, 3, unit="Skolköket", day="2026-03-01")  # arrives last, visited first
    first = record(store, 1, day="2026-05-01")
    chair = record(store, 2, unit="Lärcentrum", day="2026-06-01", kind="chair_decision")
    record(store, 4, submitter="bengt.haraldsson")
    record(store, 5, day="2025-12-31")
    with store.visit_history("anna.lindqvist", date(2026, 1, 1), date(2026, 12, 31)) as rows:
        history = list(rows)
    assert [r.report_id for r in history] == [late.report_id, first.report_id,
                                              chair.report_id]
    assert [(r.operation, r.unit, r.visit_kind) for r in history] == [
        ("kost", "Skolköket", "ordinary"), ("kost", "Centralköket", "ordinary"),
        ("kost", "Lärcentrum", "chair_decision")]


@pytest.mark.sqlite_only
def test_the_history_is_read_along_the_index_without_a_sort(store):
    """The request path stops after a few rows only if SQLite hands them out in order as it
    walks the index; a sort would read every row of the politician first."""
    record(store, 1)
    plan = store._read("EXPLAIN QUERY PLAN " + HISTORY,
                       ("anna.lindqvist", "2026-01-01", "2026-12-31"))
    details = " | ".join(row["detail"] for row in plan)
    assert "reports_submitter_visits" in details
    assert "TEMP B-TREE" not in details
