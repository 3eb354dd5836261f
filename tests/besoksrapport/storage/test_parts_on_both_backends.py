"""The storage's smaller parts, on both backends (the ``store`` fixture): notifications,
Open ePlatform's instances and cursor, and the secretaries' accounts."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from webhook_helpers import body_of, envelope_for

from besoksrapport.errors import ValidationIssue
from besoksrapport.storage import AuditEntry

RECEIVED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def record(store, number):
    envelope = envelope_for(f"oep-{number}")
    report, _ = store.record_report(f"msg_{number}", body_of(envelope), envelope,
                                    RECEIVED + timedelta(minutes=number), date(2026, 12, 10))
    return report


def test_a_report_is_announced_once_and_then_known_as_announced(store):
    first, second = record(store, 1), record(store, 2)
    store.mark_for_notification(first.report_id)
    store.mark_for_notification(first.report_id)  # a job run twice marks once
    store.mark_for_notification(second.report_id)
    assert [r.report_id for r in store.unnotified_reports()] == [first.report_id,
                                                                 second.report_id]
    store.mark_notified([first.report_id, second.report_id], RECEIVED)
    assert store.unnotified_reports() == []
    assert store.notified(first.report_id) and not store.notified("BR-2026-NONE00")


def test_an_instance_revision_is_kept_once_with_its_callbacks_queued_once(store):
    report = record(store, 1)
    job = ("oep_confirm", {"flow_instance_id": 7}, None)
    assert store.record_oep_instance(7, "r1", b"<xml/>", RECEIVED, report.report_id, None,
                                     [job])
    assert not store.record_oep_instance(7, "r1", b"<xml/>", RECEIVED, report.report_id,
                                         None, [job])
    assert [j.kind for j in store.pending_jobs()] == ["oep_confirm"]
    assert store.oep_handled(7) and store.oep_handled(8, None) is False
    refused = [ValidationIssue("/data", "x", "Fältet saknas")]
    store.record_oep_instance(8, "r1", b"<bad/>", RECEIVED, None, refused)
    assert store.oep_handled(8, "r1") and not store.oep_handled(8, "r2")
    kept = store.oep_instance(8, "r1")
    assert kept.xml == b"<bad/>" and kept.errors == [refused[0].as_dict()]
    assert [i.flow_instance_id for i in store.oep_instances()] == [7, 8]
    assert store.queue_oep_statuses([report.report_id],
                                    lambda i: ("oep_status", {"id": i.flow_instance_id},
                                               None)) == 1
    assert store.queue_oep_statuses([report.report_id], lambda i: ("x", {}, None)) == 0
    with pytest.raises(KeyError):
        store.oep_instance(9, "r1")


def test_filed_statuses_are_queued_for_a_meeting_of_any_size(store):
    """The ids of a whole meeting, with its PDFs' repeats and ids the platform never sent,
    queue each platform report's status once (one statement on SQLite, whatever the size)."""
    reports = [record(store, number) for number in range(1, 4)]
    for number, report in enumerate(reports[:2], start=1):
        store.record_oep_instance(number, "r1", b"<xml/>", RECEIVED, report.report_id, None)
    ids = [f"BR-2026-N{number:05d}" for number in range(1500)]
    ids += [report.report_id for report in reports] * 2
    queued = store.queue_oep_statuses(ids, lambda i: ("oep_status", {"id": i.flow_instance_id},
                                                      None))
    assert queued == 2
    assert sorted(job.payload["id"] for job in store.pending_jobs()) == [1, 2]
    assert store.queue_oep_statuses(ids, lambda i: ("x", {}, None)) == 0


def test_the_poll_cursor_only_moves_forward(store):
    assert store.oep_cursor("family/") is None
    store.set_oep_cursor("family/", RECEIVED)
    store.set_oep_cursor("family/", RECEIVED - timedelta(hours=1))
    assert store.oep_cursor("family/") == RECEIVED


def test_an_account_is_added_replaced_and_removed(store):
    assert store.save_account("anna", "hash-1", RECEIVED)
    assert not store.save_account("anna", "hash-2", RECEIVED)
    assert store.password_hash("anna") == "hash-2"
    assert store.remove_account("anna") and not store.remove_account("anna")
    assert store.password_hash("anna") is None


def test_recent_arrivals_are_counted_up_to_what_is_enough(store):
    for number in range(5):
        record(store, number)  # received RECEIVED + 0..4 minutes
    assert store.arrivals_since(RECEIVED + timedelta(minutes=2, seconds=30), 10) == 2
    assert store.arrivals_since(RECEIVED - timedelta(days=1), 10) == 5
    assert store.arrivals_since(RECEIVED - timedelta(days=1), 3) == 3  # counted up to 3
    assert store.arrivals_since(RECEIVED + timedelta(hours=1), 10) == 0


@pytest.mark.sqlite_only
def test_a_filing_with_no_status_to_queue_takes_no_write_lock(store):
    """Most filings are of webhook reports: they must not queue behind the webhook's
    commits for nothing. Another program holds the write lock; the call still answers."""
    import sqlite3

    report = record(store, 1)
    other = sqlite3.connect(store.path, isolation_level=None, timeout=0)
    other.execute("BEGIN IMMEDIATE")
    try:
        store.busy_timeout_ms = 50  # a write would fail fast rather than wait 5 s
        assert store.queue_oep_statuses([report.report_id], lambda i: ("x", {}, None)) == 0
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_login_attempts_are_counted_per_key_within_their_window(store):
    now, window = 1_000_000.0, 900.0
    assert store.count_login_attempt(["account:anna", "address:10.0.0.1"], now, window) == \
        {"account:anna": 1, "address:10.0.0.1": 1}
    assert store.count_login_attempt(["account:anna"], now + 10, window) == {"account:anna": 2}
    store.uncount_login_attempt("account:anna")  # a right password takes its attempt back
    assert store.count_login_attempt(["account:anna", "address:10.0.0.1"], now + 20,
                                     window) == {"account:anna": 2, "address:10.0.0.1": 2}
    store.clear_login_attempts("account:anna")
    assert store.count_login_attempt(["account:anna"], now + 30, window) == {"account:anna": 1}
    # Past its window a key counts from one again, and the others' old attempts are gone.
    assert store.count_login_attempt(["account:anna"], now + 30 + window, window) == \
        {"account:anna": 1}
    assert store.count_login_attempt(["address:10.0.0.1"], now + window + 1, window) == \
        {"address:10.0.0.1": 1}


REFUSE_AUDIT = {
    "sqlite": ["CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log "
               "BEGIN SELECT RAISE(ABORT, 'ingen logg'); END"],
    "postgresql": ["CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS "
                   "'BEGIN RAISE EXCEPTION ''ingen logg''; END'",
                   "CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW "
                   "EXECUTE FUNCTION refuse_audit()"],
}

# SQLite raises the trigger's own message; PostgreSQL's storage names the error's class.
AUDIT_REFUSED = r"ingen logg|RaiseException"


def test_an_action_and_its_audit_entry_are_committed_together(store, backend):
    report = record(store, 1)

    def entry(details: str) -> AuditEntry:
        return AuditEntry(at=RECEIVED, actor="anna", action="diary_number_report",
                          target=report.report_id, address="192.0.2.1", details=details)

    with store.audited(entry("VSN 2026/1")):
        store.set_report_diary_number(report.report_id, "VSN 2026/1", lambda meeting: [])
    assert [e.details for e in store.audit_entries()] == ["VSN 2026/1"]

    with pytest.raises(ValueError), store.audited(entry("refused")):
        raise ValueError("the action was refused before it wrote")
    with store.audited(entry("nothing written")):
        pass  # recorded on its own at the end
    assert [e.details for e in store.audit_entries()] == ["VSN 2026/1", "nothing written"]

    with store._write() as conn:  # the trail's table now refuses every entry
        for statement in REFUSE_AUDIT[backend]:
            conn.execute(statement)
    with pytest.raises(Exception, match=AUDIT_REFUSED), store.audited(entry("VSN 2026/2")):
        store.set_report_diary_number(report.report_id, "VSN 2026/2", lambda meeting: [])
    assert store.get_report(report.report_id).diary_number == "VSN 2026/1"  # not changed
    with pytest.raises(Exception, match=AUDIT_REFUSED):
        store.record_audit(entry("still refused"))
