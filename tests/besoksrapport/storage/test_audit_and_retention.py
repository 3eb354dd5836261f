"""The audit trail, «hanterad» marks and gallring in the SQLite storage."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from webhook_helpers import body_of, envelope_for

from besoksrapport.errors import ValidationIssue
from besoksrapport.storage import AuditEntry, HandledMark
from besoksrapport.storage.sqlite import MIGRATIONS, SqliteStorage

NOW = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path):
    storage = SqliteStorage(tmp_path / "db.sqlite3")
    yield storage
    storage.close()


def test_the_trail_is_kept_in_order_and_read_for_a_period(store, tmp_path):
    for hours, target in ((48, "a"), (24, "b"), (1, "c")):
        store.record_audit(AuditEntry(NOW - timedelta(hours=hours), "anna.berg", "move",
                                      target, "10.0.0.1", "2026-12-10 → 2027-01-28"))
    reopened = SqliteStorage(tmp_path / "db.sqlite3")
    assert [e.target for e in reopened.audit_entries()] == ["a", "b", "c"]
    reopened.close()
    window = store.audit_entries(NOW - timedelta(hours=30), NOW - timedelta(hours=1))
    assert [(e.target, e.actor, e.address) for e in window] == [("b", "anna.berg", "10.0.0.1")]
    assert store.audit_entries(NOW, None) == []


def test_a_second_mark_replaces_the_first_and_a_reopened_one_is_gone(store):
    store.mark_handled(HandledMark("flag", "BR-1:x", "anna", NOW, "först"))
    store.mark_handled(HandledMark("flag", "BR-1:x", "bertil", NOW, "sedan"))
    store.mark_handled(HandledMark("refused", "BR-1:x", "anna", NOW))
    assert store.handled_marks("flag") == {
        "BR-1:x": HandledMark("flag", "BR-1:x", "bertil", NOW, "sedan")}
    assert store.unmark_handled("flag", "BR-1:x") is True
    assert store.unmark_handled("flag", "BR-1:x") is False
    assert store.handled_marks("flag") == {} and len(store.handled_marks("refused")) == 1
    with pytest.raises(sqlite3.IntegrityError):
        store.mark_handled(HandledMark("annat", "x", "anna", NOW))


def test_gallring_of_refused_deliveries_removes_their_marks_and_only_the_old_ones(store):
    issue = [ValidationIssue("/data/answers/unit", "required", "Ange enheten.")]
    store.record_quarantine("msg_old", b"{}", issue, NOW - timedelta(days=40))
    store.record_quarantine("msg_new", b"{}", issue, NOW - timedelta(days=2))
    old, new = (item.id for item in store.quarantined())
    store.mark_handled(HandledMark("refused", str(old), "anna", NOW))
    before = NOW - timedelta(days=30)
    assert store.purge_quarantine(before, dry_run=True) == [str(old)]
    assert len(store.quarantined()) == 2
    assert store.purge_quarantine(before, dry_run=False) == [str(old)]
    assert [item.id for item in store.quarantined()] == [new]
    assert store.handled_marks("refused") == {}
    assert store.purge_quarantine(before, dry_run=False) == []


def test_gallring_of_the_trail_and_the_xml_keeps_what_is_younger(store):
    store.record_audit(AuditEntry(NOW - timedelta(days=800), "anna", "login"))
    store.record_audit(AuditEntry(NOW, "anna", "login"))
    assert store.purge_audit(NOW - timedelta(days=730), dry_run=False) == ["1"]
    assert [e.id for e in store.audit_entries()] == [2]
    store.record_oep_instance(5, "a", b"<x/>", NOW - timedelta(days=400), None, [])
    store.record_oep_instance(6, "a", b"<y/>", NOW, None, [])
    assert store.purge_oep_xml(NOW - timedelta(days=365), dry_run=False) == ["5:a"]
    assert (store.oep_instance(5, "a").xml, store.oep_instance(6, "a").xml) == (b"", b"<y/>")
    assert store.purge_oep_xml(NOW - timedelta(days=365), dry_run=False) == []  # done once


def test_only_withdrawn_reports_bodies_are_thinned_and_only_once(store, tmp_path):
    envelope = envelope_for("oep-1")
    report, _ = store.record_report("msg_1", body_of(envelope), envelope, NOW, None)
    other = envelope_for("oep-2")
    kept, _ = store.record_report("msg_2", body_of(other), other, NOW, None)
    assert store.purge_withdrawn_bodies(NOW, dry_run=False) == []
    store.withdraw_report(report.report_id, "Dubblett", "anna.berg", NOW - timedelta(days=1),
                          lambda day: [])
    assert store.purge_withdrawn_bodies(NOW, dry_run=True) == [report.report_id]
    assert store.get_report(report.report_id).answers == report.answers  # a dry run
    assert store.purge_withdrawn_bodies(NOW, dry_run=False) == [report.report_id]
    assert "information_given" not in store.get_report(report.report_id).answers
    assert store.get_report(kept.report_id).answers == kept.answers
    assert store.purge_withdrawn_bodies(NOW, dry_run=False) == []


def test_a_database_of_the_previous_version_gets_the_trail(tmp_path):
    path = tmp_path / "old.sqlite3"
    conn = sqlite3.connect(path)
    for script in MIGRATIONS[:-1]:
        conn.executescript(script)
    conn.execute(f"PRAGMA user_version = {len(MIGRATIONS) - 1}")
    conn.commit()
    conn.close()
    store = SqliteStorage(path)
    try:
        store.record_audit(AuditEntry(NOW, "anna", "login"))
        assert len(store.audit_entries()) == 1
    finally:
        store.close()
