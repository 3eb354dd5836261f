"""What only PostgreSQL has to prove: several hosts on one database, its locks, its plan and
its failures, on a real server (tests/support/postgres.py)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, date, datetime, timedelta

import pytest
from webhook_helpers import body_of, envelope_for

from besoksrapport.errors import ConfigError, StorageUnavailable
from besoksrapport.settings import PREFIX, _database_url
from besoksrapport.storage import open_storage
from besoksrapport.storage.postgres.visit_history import HISTORY, HISTORY_AFTER, PAGE
from besoksrapport.storage.protocol import AuditEntry
from besoksrapport.storage.sqlite import MIGRATIONS

RECEIVED = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def now():
    """The test's moment: the real clock's, since enqueue coalesces by the real clock."""
    return datetime.now(UTC)


@pytest.fixture
def hosts(postgres_url):
    """Two storages on one database, as two hosts have them."""
    first, second = open_storage(postgres_url), open_storage(postgres_url)
    yield first, second
    first.close()
    second.close()


def record(store, webhook_id, submission_id, meeting=date(2026, 12, 10)):
    envelope = envelope_for(submission_id)
    return store.record_report(webhook_id, body_of(envelope), envelope, RECEIVED, meeting,
                               jobs=[("process_report", {})])


def test_a_new_database_gets_every_migration_once(postgres_url):
    open_storage(postgres_url).close()
    again = open_storage(postgres_url)
    [row] = again._read("SELECT version FROM schema_version")
    assert row["version"] == len(MIGRATIONS)
    again.close()


def test_hosts_starting_at_once_migrate_the_database_once(postgres_url):
    opened, errors = [], []

    def start():
        try:
            opened.append(open_storage(postgres_url))
        except Exception as error:  # the test looks at it
            errors.append(error)

    threads = [threading.Thread(target=start) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert errors == [] and len(opened) == 4
    assert opened[0]._read("SELECT version FROM schema_version")[0]["version"] == len(MIGRATIONS)
    for storage in opened:
        storage.close()


def test_one_delivery_raced_across_hosts_makes_one_report_and_one_job(hosts):
    results, barrier = [], threading.Barrier(16)

    def deliver(n):
        barrier.wait()
        results.append(record(hosts[n % 2], f"msg_{n % 3}", "oep-raced"))

    threads = [threading.Thread(target=deliver, args=(n,)) for n in range(16)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert len(results) == 16
    assert sum(created for _, created in results) == 1
    assert len({report.report_id for report, _ in results}) == 1
    assert len(hosts[0].pending_jobs()) == 1
    delivered = hosts[1]._read("SELECT webhook_id, report_id FROM deliveries ORDER BY 1")
    assert [row["webhook_id"] for row in delivered] == ["msg_0", "msg_1", "msg_2"]
    assert {row["report_id"] for row in delivered} == {results[0][0].report_id}


def test_a_known_webhook_id_with_another_submission_keeps_the_first_report(store_postgres):
    first, _ = record(store_postgres, "msg_1", "oep-1")
    again, created = record(store_postgres, "msg_1", "oep-other")
    assert not created and again.report_id == first.report_id
    rows = store_postgres._read("SELECT submission_id FROM reports")
    assert [row["submission_id"] for row in rows] == ["oep-1"]
    assert len(store_postgres.pending_jobs()) == 1  # the refused statement queued nothing


@pytest.fixture
def store_postgres(postgres_url):
    storage = open_storage(postgres_url)
    yield storage
    storage.close()


def test_a_claim_skips_the_job_another_host_is_claiming(hosts, postgres_url, now):
    import psycopg

    first_id = hosts[0].enqueue("job", {"n": 1}, not_before=now - timedelta(minutes=2))
    second_id = hosts[0].enqueue("job", {"n": 2}, not_before=now - timedelta(minutes=1))
    with psycopg.connect(postgres_url) as other:  # a claim in progress elsewhere
        other.execute("SELECT id FROM jobs WHERE id = %s FOR UPDATE", (first_id,))
        claimed = hosts[1].claim_job(now, 60)
        assert claimed is not None and claimed.id == second_id  # not waited for
    assert hosts[1].claim_job(now, 60).id == first_id


def test_jobs_of_one_key_never_run_at_once_on_two_hosts(hosts, now):
    key = "file_meeting:2026-12-10"
    hosts[0].enqueue("file_meeting", {"n": 1}, not_before=now - timedelta(minutes=1), key=key)
    running = hosts[0].claim_job(now, 60)
    assert running is not None
    hosts[1].enqueue("file_meeting", {"n": 2}, not_before=now - timedelta(minutes=1), key=key)
    assert hosts[1].claim_job(now, 60) is None  # waits behind the running one
    hosts[0].complete_job(running.id)
    follow = hosts[1].claim_job(now, 60)
    assert follow is not None and follow.payload == {"n": 2}


def test_many_workers_on_two_hosts_claim_every_job_exactly_once(hosts, now):
    for n in range(60):
        hosts[n % 2].enqueue("job", {"n": n}, not_before=now - timedelta(seconds=n))
    claimed, lock = [], threading.Lock()

    def work(host):
        while (job := host.claim_job(now, 600)) is not None:
            with lock:
                claimed.append(job.payload["n"])
            host.complete_job(job.id)

    threads = [threading.Thread(target=work, args=(hosts[n % 2],)) for n in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert sorted(claimed) == list(range(60))
    assert hosts[0].pending_jobs() == []


def test_the_named_lock_is_held_by_one_host_at_a_time(hosts):
    with hosts[0].advisory_lock("oep-poll", wait=False) as first:
        assert first
        with hosts[1].advisory_lock("oep-poll", wait=False) as second:
            assert not second
        with hosts[1].advisory_lock("another", wait=False) as other:
            assert other
    with hosts[1].advisory_lock("oep-poll", wait=False) as after:
        assert after


def test_the_history_is_read_along_the_index_without_a_sort(store_postgres):
    """As on SQLite: the rows come in report order from the index, so the receipt's count
    stops after a few rows. A table this small would be read whole, so sequential reads
    are priced out for the question, as for a table of many politicians."""
    record(store_postgres, "msg_1", "oep-1")
    span = ("anna.lindqvist", "2026-01-01", "2026-12-31")
    with store_postgres._connection() as conn, conn.transaction():
        conn.execute("SET LOCAL enable_seqscan = off")
        conn.execute("SET LOCAL enable_bitmapscan = off")
        plans = ["\n".join(row["QUERY PLAN"] for row in conn.execute("EXPLAIN " + sql, params))
                 for sql, params in ((HISTORY, (*span, PAGE)), (HISTORY_AFTER, (
                     *span, "2026-11-04", "2026-11-20T08:00:00.000000+00:00", "BR-2026-0", PAGE)))]
    for plan in plans:
        assert "Index Scan using reports_submitter_visits" in plan
        assert "Sort" not in plan
        assert "Limit" in plan


def test_a_long_history_is_read_page_by_page_in_report_order(store_postgres):
    """More visits than a page: the pages join up without a gap or a repeat."""
    for n in range(2 * PAGE + 3):
        envelope = envelope_for(f"oep-{n}")
        envelope["data"]["answers"]["visit_date"] = f"2026-03-{1 + n % 5:02d}"
        store_postgres.record_report(f"msg_{n}", body_of(envelope), envelope,
                                     RECEIVED + timedelta(seconds=n % 3), None)
    with store_postgres.visit_history("anna.lindqvist", date(2026, 1, 1),
                                      date(2026, 12, 31)) as rows:
        history = list(rows)
    keys = [(r.visit_date, r.received_at, r.report_id) for r in history]
    assert len(keys) == 2 * PAGE + 3 and keys == sorted(keys) and len(set(keys)) == len(keys)


def test_a_server_out_of_reach_is_storage_unavailable_in_swedish_and_start_up_goes_on():
    from ports import free_port

    url = f"postgresql://besoksrapport:secret@127.0.0.1:{free_port()}/besoksrapport"
    storage = open_storage(url + "?connect_timeout=2")  # a host starts while it is down
    with pytest.raises(StorageUnavailable) as raised:
        storage.record_report("msg_1", b"{}", envelope_for("oep-1"), RECEIVED, None)
    assert "databasservern går inte att nå" in str(raised.value)
    assert "secret" not in str(raised.value)  # the password stays out of the message
    with pytest.raises(StorageUnavailable, match="databasservern går inte att nå"):
        storage.ping()


def test_a_host_started_while_the_server_was_down_migrates_when_it_is_reached(postgres_url,
                                                                            monkeypatch):
    import psycopg

    from besoksrapport.storage.postgres import database

    # Mocked, though a real server runs: it is shared by the session's tests, so stopping
    # it here would fail theirs. The refusal is the one psycopg raises for a closed port.
    def refused(*args, **kwargs):
        raise psycopg.OperationalError("connection refused")

    monkeypatch.setattr(database.psycopg, "connect", refused)
    storage = open_storage(postgres_url)  # the server is out of reach: start anyway
    monkeypatch.undo()  # and now it is back
    assert storage.oep_cursor("x") is None  # the first use migrates the new database
    assert storage._read("SELECT version FROM schema_version")[0]["version"] == len(MIGRATIONS)
    storage.close()


def test_connections_the_server_closed_are_replaced(store_postgres, postgres_server,
                                                   monkeypatch):
    import psycopg

    from besoksrapport.storage.postgres import database

    record(store_postgres, "msg_1", "oep-1")
    name = store_postgres.url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        ended = admin.execute("SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                              "WHERE datname = %s", (name,)).fetchone()[0]
    assert ended >= 1  # the pool's connection was there, and is gone
    monkeypatch.setattr(database, "IDLE_CHECK_S", 0.0)  # as if it had idled since
    store_postgres.ping()
    assert [row["submission_id"] for row in store_postgres._read(
        "SELECT submission_id FROM reports")] == ["oep-1"]


def test_a_connection_that_breaks_in_use_fails_that_call_only_and_in_swedish(
        store_postgres, postgres_server):
    import psycopg

    record(store_postgres, "msg_1", "oep-1")
    name = store_postgres.url.rsplit("/", 1)[1]
    with psycopg.connect(postgres_server, autocommit=True) as admin:
        admin.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                      "WHERE datname = %s", (name,))
    failures = 0
    for _ in range(store_postgres.pool_size + 1):
        try:
            store_postgres.ping()
        except StorageUnavailable as error:
            failures += 1
            assert "databasservern" in str(error)
    assert 1 <= failures <= store_postgres.pool_size  # each dead connection fails once
    store_postgres.ping()


def test_the_setting_takes_postgresql_addresses_and_refuses_others_in_swedish():
    url = "postgresql://besoksrapport@db.example.se/besoksrapport"
    assert _database_url({PREFIX + "DATABASE_URL": url}) == url
    with pytest.raises(ConfigError, match="sqlite:/// eller postgresql://"):
        _database_url({PREFIX + "DATABASE_URL": "mysql://x/y"})
    with pytest.raises(ConfigError, match="sqlite:/// eller postgresql://"):
        open_storage("mysql://x/y")


def test_postgresql_offers_every_method_sqlite_does():
    """A part added to SqliteStorage (a new mixin) must join PostgresStorage too; the
    contract tests then run it on both."""
    from besoksrapport.storage.postgres import PostgresStorage
    from besoksrapport.storage.sqlite import SqliteStorage

    public = {name for name in dir(SqliteStorage) if not name.startswith("_")}
    assert public - set(dir(PostgresStorage)) == set()
    assert set(dir(PostgresStorage)) >= {"advisory_lock", "filed_digests", "publish_filed"}


def test_the_audit_trail_without_an_end_is_read_whatever_the_collation(swedish_postgres_url):
    storage = open_storage(swedish_postgres_url)
    at = datetime(2026, 12, 5, 10, 0, tzinfo=UTC)
    storage.record_audit(AuditEntry(at=at, actor="sekreterare", action="withdraw",
                                    target="BR-2026-AAAAAA", address="127.0.0.1",
                                    details="{}"))
    try:
        assert [entry.target for entry in storage.audit_entries()] == ["BR-2026-AAAAAA"]
        assert [entry.target for entry in storage.audit_entries(at, None)] == ["BR-2026-AAAAAA"]
    finally:
        storage.close()


def test_waiters_for_a_named_lock_hold_no_connection_so_its_holder_can_work(postgres_url):
    from besoksrapport.storage.postgres import PostgresStorage

    storage = PostgresStorage(postgres_url, pool_size=2, timeout_s=3)
    got: list[str] = []

    def waiter() -> None:
        with storage.advisory_lock("meeting:2026-12-10"):
            got.append("waiter")

    waiters = [threading.Thread(target=waiter) for _ in range(3)]
    try:
        with storage.advisory_lock("meeting:2026-12-10"):
            for thread in waiters:
                thread.start()
            time.sleep(0.3)  # let them queue; they wait without a connection of the two
            assert storage.oep_cursor("x") is None  # the holder still gets one for its work
        for thread in waiters:
            thread.join(30)
        assert got == ["waiter"] * 3
    finally:
        storage.close()
