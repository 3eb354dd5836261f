"""The SQLite storage: atomic, idempotent reception; the outbox; failures as StorageUnavailable."""

from __future__ import annotations

import fcntl
import json
import os
import signal
import sqlite3
import subprocess
import sys
import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from webhook_helpers import body_of, envelope_for

from besoksrapport.errors import StorageUnavailable, ValidationIssue
from besoksrapport.guideline.flags import Assessment
from besoksrapport.report import Flag
from besoksrapport.storage.sqlite import MIGRATIONS, SqliteStorage

RECEIVED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def record(store, webhook_id="msg_1", submission_id="oep-1", meeting=date(2026, 12, 10),
           jobs=(("process_report", {}),), visit_date=None, broken=False):
    envelope = envelope_for(submission_id)
    if visit_date:
        envelope["data"]["answers"]["visit_date"] = visit_date
    if broken == "no submitter name":  # past validation these cannot happen; storage
        del envelope["data"]["submitter"]["name"]  # must still fail them alone
    elif broken:
        del envelope["data"]["submitter"]
    return store.record_report(webhook_id, body_of(envelope), envelope, RECEIVED, meeting,
                               jobs=list(jobs))


def delivered(store, webhook_id):
    """The report_id recorded for the delivery with this webhook-id (None: none recorded)."""
    rows = store._read("SELECT report_id FROM deliveries WHERE webhook_id = ?", (webhook_id,))
    return rows[0]["report_id"] if rows else None


@pytest.mark.sqlite_only
def test_new_database_is_in_wal_mode_at_the_latest_schema_version(store, tmp_path):
    conn = sqlite3.connect(tmp_path / "db.sqlite3")
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    conn.close()


def test_reopening_keeps_the_data_and_does_not_migrate_again(store, reopen):
    report, _ = record(store)
    again = reopen()
    assert again.get_report(report.report_id).submission_id == "oep-1"


def test_new_report_is_stored_with_its_raw_body_and_jobs(store):
    report, created = record(store)
    assert created
    assert report.report_id.startswith("BR-2026-") and len(report.report_id) == 14
    stored = store.get_report(report.report_id)
    assert stored.submission_id == "oep-1"
    assert stored.meeting_date == date(2026, 12, 10)
    assert stored.received_at == RECEIVED
    assert stored.answers == envelope_for("oep-1")["data"]["answers"]
    [job] = store.pending_jobs("process_report")
    assert job.payload == {"report_id": report.report_id}


def test_same_webhook_id_returns_the_first_report_without_new_jobs(store):
    first, _ = record(store)
    again, created = record(store)
    assert not created and again.report_id == first.report_id
    assert len(store.pending_jobs()) == 1


def test_same_submission_under_new_webhook_id_is_a_repeat_and_remembered(store):
    first, _ = record(store, webhook_id="msg_1")
    again, created = record(store, webhook_id="msg_2")
    assert not created and again.report_id == first.report_id
    assert delivered(store, "msg_2") == first.report_id
    assert len(store.pending_jobs()) == 1


def test_unknown_delivery_is_none(store):
    assert delivered(store, "msg_never") is None


def test_twenty_concurrent_identical_deliveries_make_one_report(store):
    results, barrier = [], threading.Barrier(20)

    def deliver():
        barrier.wait()
        results.append(record(store))

    threads = [threading.Thread(target=deliver) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sum(created for _, created in results) == 1
    assert len({report.report_id for report, _ in results}) == 1
    assert len(store.pending_jobs()) == 1


DELIVER = """
import json, sys, time
from datetime import UTC, datetime
from pathlib import Path
from besoksrapport.storage.sqlite import SqliteStorage
path, webhook_id, go, body = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3]), sys.argv[4]
storage = SqliteStorage(path)
Path(sys.argv[5]).touch()  # ready
while not go.exists():
    time.sleep(0.001)
envelope = json.loads(body)
report, created = storage.record_report(webhook_id, body.encode(), envelope,
                                        datetime.now(UTC), None, jobs=[("process_report", {})])
print(json.dumps([report.report_id, created]))
"""


def test_concurrent_deliveries_from_separate_processes_make_one_report(tmp_path):
    path, go = tmp_path / "db.sqlite3", tmp_path / "go"
    SqliteStorage(path).close()
    body = body_of(envelope_for("oep-shared")).decode()
    ready = [tmp_path / f"ready-{n}" for n in range(6)]
    processes = [subprocess.Popen([sys.executable, "-c", DELIVER, str(path), f"msg_{n % 2}",
                                   str(go), body, str(ready[n])], stdout=subprocess.PIPE,
                                  text=True)
                 for n in range(6)]
    # Every process has opened the database before the start signal (waited for: a fixed
    # half second let a loaded machine start them one after another, barely at once).
    _wait_until(lambda: all(marker.exists() for marker in ready)
                or any(process.poll() is not None for process in processes), timeout=120)
    go.touch()
    results = [json.loads(process.communicate(timeout=60)[0]) for process in processes]
    assert sum(created for _, created in results) == 1
    assert len({report_id for report_id, _ in results}) == 1
    store = SqliteStorage(path)
    assert len(store.pending_jobs()) == 1
    assert {delivered(store, f"msg_{n}") for n in (0, 1)} == {results[0][0]}


def _wait_until(condition, timeout=10.0):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.001)


def deliver_as_one_batch(store, tmp_path, deliveries):
    """Record ``deliveries`` (kwargs of ``record``) so that all but the first share one commit.

    The test holds the writer's file lock (as another process would), so the first delivery
    waits inside its commit while the others queue behind it, one after the other in the
    order given (so rows that tie in their ORDER BY come back in that order); the lock is
    then let go.
    Returns each delivery's result (or the exception it raised) and the sizes of the
    batches that took the fast path, in order.
    """
    batches, fast = [], store._insert_new

    def spy(conn, batch):
        batches.append(len(batch))
        return fast(conn, batch)

    store._insert_new = spy
    results = [None] * len(deliveries)

    def run(index):
        try:
            results[index] = record(store, **deliveries[index])
        except Exception as error:  # the test looks at it
            results[index] = error

    lock = os.open(tmp_path / "db.sqlite3.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)
    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(deliveries))]
    try:
        threads[0].start()
        _wait_until(lambda: store._committing and not store._queue)
        for queued, thread in enumerate(threads[1:], start=1):
            thread.start()
            _wait_until(lambda queued=queued: len(store._queue) == queued)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        os.close(lock)
    for thread in threads:
        thread.join(10)
    return results, batches


@pytest.mark.sqlite_only
def test_deliveries_queued_behind_a_commit_are_stored_together_with_their_jobs(store, tmp_path):
    deliveries = [{"webhook_id": f"msg_{n}", "submission_id": f"oep-{n}"} for n in range(6)]
    results, batches = deliver_as_one_batch(store, tmp_path, deliveries)
    assert batches == [1, 5]
    assert all(created for _, created in results)
    for n, (report, _) in enumerate(results):
        stored = store.get_report(report.report_id)
        assert stored.submission_id == f"oep-{n}"
        assert delivered(store, f"msg_{n}") == report.report_id
    assert sorted(job.payload["report_id"] for job in store.pending_jobs("process_report")) \
        == sorted(report.report_id for report, _ in results)


@pytest.mark.sqlite_only
def test_a_repeat_inside_a_batch_still_makes_one_report_per_submission(store, tmp_path):
    record(store, webhook_id="msg_old", submission_id="oep-old")
    deliveries = [{"webhook_id": "msg_a", "submission_id": "oep-a"},
                  {"webhook_id": "msg_b", "submission_id": "oep-b"},
                  {"webhook_id": "msg_b2", "submission_id": "oep-b"},
                  {"webhook_id": "msg_old", "submission_id": "oep-old"},
                  {"webhook_id": "msg_c", "submission_id": "oep-c"}]
    results, _ = deliver_as_one_batch(store, tmp_path, deliveries)
    created = {d["webhook_id"]: flag for d, (_, flag) in zip(deliveries, results, strict=True)}
    assert created["msg_a"] and created["msg_c"] and not created["msg_old"]
    assert created["msg_b"] != created["msg_b2"]  # one of the two made the report
    assert results[1][0].report_id == results[2][0].report_id
    assert len(store.reports_for_meeting(date(2026, 12, 10))) == 4  # old, a, b, c
    assert len(store.pending_jobs("process_report")) == 4


@pytest.mark.sqlite_only
@pytest.mark.parametrize("broken", ["no submitter", "no submitter name"])
def test_a_broken_delivery_in_a_batch_fails_alone_and_leaves_nothing(store, tmp_path, broken):
    deliveries = [{"webhook_id": "msg_1", "submission_id": "oep-1"},
                  {"webhook_id": "msg_2", "submission_id": "oep-2"},
                  {"webhook_id": "msg_3", "submission_id": "oep-3", "broken": broken},
                  {"webhook_id": "msg_4", "submission_id": "oep-4"}]
    results, batches = deliver_as_one_batch(store, tmp_path, deliveries)
    assert batches == [1, 3]
    assert isinstance(results[2], KeyError)
    assert [created for _, created in (results[0], results[1], results[3])] == [True] * 3
    assert delivered(store, "msg_3") is None
    # No half-stored report: the meeting still reads, with the three good ones only.
    assert [r.submission_id for r in store.reports_for_meeting(date(2026, 12, 10))] == \
        ["oep-1", "oep-2", "oep-4"]
    assert len(store.pending_jobs("process_report")) == 3


@pytest.mark.sqlite_only
def test_an_interrupted_waiter_keeps_its_place_and_later_deliveries_still_commit(store,
                                                                                 tmp_path):
    """Ctrl-C in the main thread while its delivery waits: it is committed, then raised."""
    lock = os.open(tmp_path / "db.sqlite3.lock", os.O_RDWR | os.O_CREAT)
    fcntl.flock(lock, fcntl.LOCK_EX)  # the first commit waits for this
    results = {}

    def deliver(name):
        results[name] = record(store, webhook_id=f"msg_{name}", submission_id=f"oep-{name}")

    first = threading.Thread(target=deliver, args=("first",))
    first.start()
    _wait_until(lambda: store._committing)

    def later():
        _wait_until(lambda: len(store._queue) == 1)  # the main thread is queued
        deliver("second")

    second = threading.Thread(target=later)
    second.start()

    landed = threading.Event()

    def interrupt(*_):
        landed.set()
        raise KeyboardInterrupt

    def release():
        # The interrupt is sent once the main thread waits in the queue, and the first
        # commit goes on only once it has landed: no timer that a stalled thread could
        # outrun (a 0.15 s timer could fire before the main thread had queued).
        _wait_until(lambda: len(store._queue) == 2)
        signal.pthread_kill(threading.main_thread().ident, signal.SIGALRM)
        landed.wait(10)
        fcntl.flock(lock, fcntl.LOCK_UN)

    releaser = threading.Thread(target=release)
    previous = signal.signal(signal.SIGALRM, interrupt)
    releaser.start()
    try:
        with pytest.raises(KeyboardInterrupt):
            record(store, webhook_id="msg_main", submission_id="oep-main")
    finally:
        signal.signal(signal.SIGALRM, previous)
        os.close(lock)
    assert landed.is_set()
    for thread in (first, second, releaser):
        thread.join(10)
        assert not thread.is_alive()
    assert results["first"][1] and results["second"][1]
    assert delivered(store, "msg_main") is not None  # committed before the interrupt
    after = threading.Thread(target=deliver, args=("after",))
    after.start()
    after.join(10)
    assert not after.is_alive() and results["after"][1]


def test_reports_by_meeting_visit_period_and_unassigned(store):
    december, _ = record(store, "m1", "s1", date(2026, 12, 10), visit_date="2026-11-02")
    january, _ = record(store, "m2", "s2", date(2027, 1, 28), visit_date="2026-11-15")
    waiting, _ = record(store, "m3", "s3", None, visit_date="2026-11-30")
    assert [r.report_id for r in store.reports_for_meeting(date(2026, 12, 10))] == \
        [december.report_id]
    assert [r.report_id for r in store.unassigned_reports()] == [waiting.report_id]
    between = store.reports_between(date(2026, 11, 2), date(2026, 11, 15))
    assert [r.report_id for r in between] == [december.report_id, january.report_id]


def judged(flags_by_id, joint_by_id=None):
    """An ``assess`` for ``reassess`` that gives each report the flags and link listed."""
    def assess(reports):
        return {r.report_id: Assessment(flags_by_id.get(r.report_id, []),
                                        (joint_by_id or {}).get(r.report_id)) for r in reports}
    return assess


def filing(day):
    return ("file_meeting", {"meeting_date": day.isoformat()}, f"file_meeting:{day}")


def test_meeting_and_assessment_can_be_changed(store):
    first, _ = record(store, "m1", "s1", visit_date="2026-11-02")
    second, _ = record(store, "m2", "s2", visit_date="2026-11-02")
    assert store.set_meeting(second.report_id, None) == date(2026, 12, 10)
    flags = [Flag("no_invitation", "Verksamheten bjöd inte in till besöket.")]
    changed = store.reassess(date(2026, 11, 2), date(2026, 11, 2),
                             judged({second.report_id: flags},
                                    {second.report_id: first.report_id}))
    assert changed == [second.report_id]
    stored = store.get_report(second.report_id)
    assert stored.meeting_date is None
    assert stored.flags == flags
    assert stored.joint_visit_of == first.report_id


def test_new_meeting_and_its_jobs_are_stored_together_and_coalesced(store):
    report, _ = record(store, jobs=())
    kind, payload, key = filing(date(2026, 12, 10))
    store.enqueue(kind, payload, key=key)  # the old meeting's filing is already waiting
    seen = []

    def jobs(before):
        seen.append(before)
        return [filing(before), filing(date(2027, 1, 28))]

    assert store.set_meeting(report.report_id, date(2027, 1, 28), jobs=jobs) == \
        date(2026, 12, 10)
    assert seen == [date(2026, 12, 10)]
    assert store.get_report(report.report_id).meeting_date == date(2027, 1, 28)
    # The waiting filing of the old meeting stands for the new request: one job per meeting.
    assert sorted(job.payload["meeting_date"] for job in store.pending_jobs()) == \
        ["2026-12-10", "2027-01-28"]


@pytest.mark.sqlite_only
def test_meeting_does_not_change_when_its_jobs_cannot_be_queued(store, monkeypatch):
    report, _ = record(store, jobs=())

    def disk_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    monkeypatch.setattr(store, "_insert_job", disk_full)
    with pytest.raises(StorageUnavailable, match="disken eller databasen är full"):
        store.set_meeting(report.report_id, date(2027, 1, 28),
                          jobs=lambda before: [filing(date(2027, 1, 28))])
    monkeypatch.undo()
    assert store.get_report(report.report_id).meeting_date == date(2026, 12, 10)
    assert store.pending_jobs() == []


def test_assigning_a_waiting_report_leaves_one_the_secretary_has_moved_meanwhile(store):
    waiting, _ = record(store, meeting=None, jobs=())
    store.set_meeting(waiting.report_id, date(2027, 1, 28))  # the secretary's move
    late = store.set_meeting(waiting.report_id, date(2026, 12, 10),
                             jobs=lambda before: [filing(date(2026, 12, 10))],
                             if_unassigned=True)
    assert late == date(2027, 1, 28)
    assert store.get_report(waiting.report_id).meeting_date == date(2027, 1, 28)
    assert store.pending_jobs() == []
    assert store.set_meeting(waiting.report_id, None) == date(2027, 1, 28)
    assert store.set_meeting(waiting.report_id, date(2026, 12, 10),
                             if_unassigned=True) is None
    assert store.get_report(waiting.report_id).meeting_date == date(2026, 12, 10)


def test_changing_an_unknown_report_is_a_key_error(store):
    with pytest.raises(KeyError):
        store.set_meeting("BR-2026-XXXXXX", None)
    with pytest.raises(KeyError):
        store.get_report("BR-2026-XXXXXX")


def test_quarantine_keeps_each_delivery_once_with_its_errors(store):
    issue = ValidationIssue("/data/answers/unit", "required", "Ange vilken enhet du besökte.")
    store.record_quarantine("msg_bad", b'{"x": 1}', [issue], RECEIVED)
    store.record_quarantine("msg_bad", b'{"x": 1}', [issue], RECEIVED)
    [kept] = store.quarantined()
    assert kept.webhook_id == "msg_bad" and kept.raw_body == b'{"x": 1}'
    assert kept.errors == [issue.as_dict()]


def test_claimed_job_is_not_claimed_again_until_its_lease_runs_out(store):
    job_id = store.enqueue("process_report", {"report_id": "BR-1"}, not_before=RECEIVED)
    claimed = store.claim_job(RECEIVED, lease_seconds=60)
    assert claimed.id == job_id and claimed.attempts == 1
    assert store.claim_job(RECEIVED + timedelta(seconds=59), 60) is None
    again = store.claim_job(RECEIVED + timedelta(seconds=61), 60)
    assert again.id == job_id and again.attempts == 2


def test_a_runner_whose_lease_ran_out_can_no_longer_touch_the_job_taken_over(store):
    """Matched on the job's id alone, the first runner's renewal extended the second's lease
    and its retry cleared it, so a third could claim the job while the second ran it."""
    now = datetime.now(UTC)  # the lease's renewal reads the real clock
    job_id = store.enqueue("noop", {}, now - timedelta(seconds=20))
    first = store.claim_job(now - timedelta(seconds=10), 5)  # its lease ran out 5 s ago
    second = store.claim_job(now, 60)
    assert (first.id, second.id, first.attempts, second.attempts) == (job_id, job_id, 1, 2)
    assert not store.extend_lease(job_id, 60, claim=first.attempts)
    store.retry_job(job_id, "fel", now, claim=first.attempts)
    store.fail_job(job_id, "fel", claim=first.attempts)
    store.complete_job(job_id, claim=first.attempts)
    store.release_job(job_id, claim=first.attempts)
    assert store.claim_job(now + timedelta(seconds=1), 60) is None  # still the second's
    assert store.extend_lease(job_id, 60, claim=second.attempts)
    store.complete_job(job_id, claim=second.attempts)
    assert store.pending_jobs() == [] and store.failed_jobs() == []


def test_a_job_handed_back_is_due_at_once_and_its_claim_is_not_counted(store):
    job_id = store.enqueue("process_report", {"report_id": "BR-1"}, not_before=RECEIVED)
    store.claim_job(RECEIVED, lease_seconds=60)
    store.release_job(job_id)
    again = store.claim_job(RECEIVED + timedelta(seconds=1), 60)
    assert again.id == job_id and again.attempts == 1


def test_job_is_not_due_before_not_before(store):
    store.enqueue("process_report", {}, not_before=RECEIVED + timedelta(minutes=5))
    assert store.claim_job(RECEIVED, 60) is None
    assert store.claim_job(RECEIVED + timedelta(minutes=5), 60) is not None


def test_a_job_waiting_for_a_running_one_of_its_key_is_not_due_to_an_idle_worker(store):
    """An idle worker asks ``has_due_job`` every 50 ms; counted as due, this job sent it
    into a claim that found nothing, each time, for as long as the running one ran."""
    key, now = "build_bundle:2026-12-10", datetime.now(UTC)  # enqueue's clock is the real one
    running = store.enqueue("build_bundle", {"meeting_date": "2026-12-10"}, now, key=key)
    assert store.has_due_job(now)
    assert store.claim_job(now, 60).id == running
    waiting = store.enqueue("build_bundle", {"meeting_date": "2026-12-10"}, now, key=key)
    assert waiting != running
    assert store.claim_job(now + timedelta(seconds=1), 60) is None
    assert not store.has_due_job(now + timedelta(seconds=1))
    store.enqueue("notify", {}, now)  # a job of no key is due beside it
    assert store.has_due_job(now + timedelta(seconds=1))
    store.complete_job(store.claim_job(now + timedelta(seconds=1), 60).id)
    store.complete_job(running)
    assert store.has_due_job(now + timedelta(seconds=2))
    assert store.claim_job(now + timedelta(seconds=2), 60).id == waiting


def test_completed_failed_and_retried_jobs(store):
    done = store.enqueue("a", {}, not_before=RECEIVED)
    failed = store.enqueue("b", {}, not_before=RECEIVED)
    retried = store.enqueue("c", {}, not_before=RECEIVED)
    store.complete_job(done)
    store.fail_job(failed, "PermanentError: no report")
    store.retry_job(retried, "OSError: disk", RECEIVED + timedelta(minutes=1))
    [pending] = store.pending_jobs()
    assert pending.id == retried and pending.last_error == "OSError: disk"
    assert [job.id for job in store.failed_jobs()] == [failed]
    assert store.claim_job(RECEIVED, 60) is None
    assert store.claim_job(RECEIVED + timedelta(minutes=1), 60).id == retried


def test_job_claimed_the_most_times_without_an_outcome_fails_for_good(store):
    job_id = store.enqueue("file_meeting", {"meeting_date": "2026-12-10"}, not_before=RECEIVED)
    moment = RECEIVED
    for attempt in (1, 2, 3):  # each run "crashes": no complete, retry or fail
        claimed = store.claim_job(moment, 60, max_attempts=3)
        assert (claimed.id, claimed.attempts) == (job_id, attempt)
        if attempt == 2:
            store.retry_job(job_id, "OSError: share unreachable", moment)
        moment += timedelta(seconds=61)
    assert store.claim_job(moment - timedelta(seconds=2), 60, max_attempts=3) is None  # leased
    assert store.pending_jobs()[0].id == job_id
    assert store.claim_job(moment, 60, max_attempts=3) is None
    assert store.pending_jobs() == []
    [failed] = store.failed_jobs()
    assert failed.id == job_id and failed.attempts == 3
    assert failed.last_error == (
        "Gav upp efter 3 försök som aldrig blev klara: programmet som utförde uppgiften "
        "stoppades, till exempel för att det avbröts eller fick slut på minne. Ett tidigare "
        "försök misslyckades: OSError: share unreachable")


def test_locked_database_raises_storage_unavailable(tmp_path):
    path = tmp_path / "db.sqlite3"
    store = SqliteStorage(path, busy_timeout_ms=50)
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with pytest.raises(StorageUnavailable, match="locked"):
            record(store)
        store.ping()  # reading still works in WAL mode
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert record(store)[1]


def test_unreadable_database_raises_storage_unavailable(tmp_path):
    path = tmp_path / "db.sqlite3"
    path.write_bytes(b"this is not a database" * 100)
    with pytest.raises(StorageUnavailable):
        SqliteStorage(path)


def test_database_under_a_file_raises_storage_unavailable(tmp_path):
    (tmp_path / "file").write_text("x")
    with pytest.raises(StorageUnavailable):
        SqliteStorage(tmp_path / "file" / "db.sqlite3")


@pytest.mark.sqlite_only
def test_flags_are_stored_as_json_with_swedish_text(store, tmp_path):
    report, _ = record(store, visit_date="2026-11-02")
    store.reassess(date(2026, 11, 2), date(2026, 11, 2),
                   judged({report.report_id: [Flag("x", "Besöket saknar inbjudan")]}))
    conn = sqlite3.connect(tmp_path / "db.sqlite3")
    raw = conn.execute("SELECT flags_json FROM reports").fetchone()[0]
    conn.close()
    assert json.loads(raw) == [{"code": "x", "message": "Besöket saknar inbjudan"}]
    assert "Besöket" in raw


@pytest.mark.sqlite_only
def test_known_webhook_id_with_another_submission_returns_the_first_report(store):
    first, _ = record(store, webhook_id="msg_1", submission_id="oep-1")
    again, created = record(store, webhook_id="msg_1", submission_id="oep-other")
    assert not created and again.report_id == first.report_id
    assert len(store.pending_jobs()) == 1
    conn = sqlite3.connect(store.path)
    assert conn.execute("SELECT submission_id FROM reports").fetchall() == [("oep-1",)]
    conn.close()


def test_a_drawn_report_id_that_is_taken_is_drawn_again(store, monkeypatch, recording_modules):
    first, _ = record(store, webhook_id="msg_1", submission_id="oep-1")
    draws = iter([first.report_id, first.report_id, "BR-2026-NEWID0"])
    for recording in recording_modules:
        monkeypatch.setattr(recording, "new_report_id", lambda received_at: next(draws))
    second, created = record(store, webhook_id="msg_2", submission_id="oep-2")
    assert created and second.report_id == "BR-2026-NEWID0"
    assert store.get_report(first.report_id).submission_id == "oep-1"
    assert delivered(store, "msg_2") == "BR-2026-NEWID0"
    assert {job.payload["report_id"] for job in store.pending_jobs()} == \
        {first.report_id, "BR-2026-NEWID0"}


def test_report_ids_use_the_whole_crockford_alphabet():
    from besoksrapport.report_ids import CROCKFORD, new_report_id

    seen = {char for _ in range(2000) for char in new_report_id(RECEIVED)[8:]}
    assert seen == set(CROCKFORD)


def test_a_report_withdrawn_twice_at_once_is_withdrawn_and_its_jobs_queued_once(store):
    envelope = envelope_for("oep-1")
    report, _ = store.record_report("msg_1", body_of(envelope), envelope, RECEIVED,
                                    date(2026, 12, 10))
    jobs = lambda meeting: [("notify_withdrawal", {"report_id": report.report_id}, None)]  # noqa: E731
    first = store.withdraw_report(report.report_id, "Dubblett", "anna", RECEIVED, jobs)
    second = store.withdraw_report(report.report_id, "Annat skäl", "bo", RECEIVED, jobs)
    assert first == (date(2026, 12, 10), True) and second == (date(2026, 12, 10), False)
    assert store.withdrawals()[report.report_id].reason == "Dubblett"
    assert len(store.pending_jobs("notify_withdrawal")) == 1
