"""End to end on two hosts: two gunicorn servers (own ports, own data folders) on one real
PostgreSQL server, as two machines behind a load balancer.

Deliveries are spread over both and every one is also raced to the other host (the same
webhook-id) and sent again under a new webhook-id; a worker process of each host is killed
with SIGKILL while deliveries arrive (the platform retries what got no answer). Then:
0 lost, 0 duplicated, each report filed once in its meeting, and the secretary's page on
either host lists the same meetings and serves the same documents.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from flow import visit_envelope
from gunicorn_server import GunicornServer
from secretary_page import ACCOUNT, PASSWORD, Browser, page_environment
from webhook_helpers import PATH, body_of, committee_config, signed_headers

from besoksrapport.secretary.accounts import hash_password
from besoksrapport.storage import open_storage

pytestmark = pytest.mark.e2e

REPORTS = 24
TODAY = datetime.now(UTC).date()


def workers(server: GunicornServer) -> list[int]:
    """The pids of the server's worker processes (the master's children)."""
    assert server.process is not None
    pid = server.process.pid
    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [int(child) for child in children]


def deliver(server: GunicornServer, body: bytes, webhook_id: str) -> requests.Response:
    """Post until the server answers, as the platform retries a delivery without an answer
    (a killed worker resets its connections)."""
    deadline = time.monotonic() + 120
    while True:
        try:
            answer = requests.post(server.url + PATH, data=body, timeout=30,
                                   headers=signed_headers(body, webhook_id=webhook_id))
            if answer.status_code < 500:
                return answer
        except (requests.ConnectionError, requests.exceptions.ChunkedEncodingError):
            pass  # no whole answer: the connection was reset or cut off mid-answer
        assert time.monotonic() < deadline, "the delivery was never answered"
        time.sleep(0.2)


def wait_until(condition, seconds: float = 240, what: str = "") -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, f"timed out waiting for {what}"
        time.sleep(0.3)


@pytest.fixture
def two_hosts(tmp_path, postgres_url):
    meetings = [TODAY + timedelta(days=n) for n in (20, 50)]
    config = committee_config(tmp_path / "committee.toml", meetings)
    storage = open_storage(postgres_url)
    storage.save_account(ACCOUNT, hash_password(PASSWORD), datetime.now(UTC))
    servers = []
    try:
        for name in ("host-a", "host-b"):
            env = page_environment(tmp_path / name, config,
                                   BESOKSRAPPORT_DATABASE_URL=postgres_url)
            servers.append(GunicornServer(env, log_path=tmp_path / f"{name}.log").start())
        yield servers, storage, meetings
    finally:
        for server in servers:
            server.stop()
        storage.close()


def test_two_hosts_on_one_database_lose_nothing_duplicate_nothing_and_show_the_same(
        two_hosts, tmp_path):
    (first, second), storage, meetings = two_hosts
    hosts = (first, second)
    envelopes = [visit_envelope(n) for n in range(REPORTS)]
    answers: list[tuple[int, int, int, str]] = []  # (submission, host, status, report_id)
    lock = threading.Lock()

    def send(n: int) -> None:
        body = body_of(envelopes[n])
        webhook_id = f"msg_{uuid.uuid4().hex}"
        home, other = hosts[n % 2], hosts[(n + 1) % 2]
        with ThreadPoolExecutor(3) as race:  # the same delivery at both hosts at once,
            tries = [race.submit(deliver, home, body, webhook_id),  # and once more later
                     race.submit(deliver, other, body, webhook_id),  # under a new id
                     race.submit(deliver, other, body, f"msg_{uuid.uuid4().hex}")]
            results = [t.result() for t in tries]
        with lock:
            for host, answer in zip((n % 2, (n + 1) % 2, (n + 1) % 2), results, strict=True):
                answers.append((n, host, answer.status_code, answer.json()["report_id"]))

    killed: list[int] = []
    killed_at: list[float] = []

    def kill_a_worker_on_each() -> None:
        # Once the first answers are in, not after a fixed time: a fast machine may have
        # answered every delivery before a timer runs out.
        deadline = time.monotonic() + 30
        while len(answers) < 3 and time.monotonic() < deadline:
            time.sleep(0.001)
        killed_at.append(time.monotonic())
        for server in hosts:
            victim = workers(server)[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    killer = threading.Thread(target=kill_a_worker_on_each)
    killer.start()
    with ThreadPoolExecutor(8) as pool:
        list(pool.map(send, range(REPORTS)))
    finished = time.monotonic()
    killer.join()
    assert len(killed) == 2 and killed_at[0] < finished  # killed while deliveries arrived
    for server, victim in zip(hosts, killed, strict=True):  # gunicorn started a new worker
        wait_until(lambda server=server: len(workers(server)) == 2, 60, "a new worker")
        assert victim not in workers(server)

    # Every answer was 201 (new) or 200 (a repeat), and every answer about one submission
    # names the same report. A submission has at most one 201: none when the worker that
    # committed it was killed before it answered, and the delivery sent again (as the
    # platform does) was then answered 200 as the repeat it is.
    assert {status for _, _, status, _ in answers} <= {200, 201}
    named = {n: {report_id for m, _, _, report_id in answers if m == n} for n in range(REPORTS)}
    assert all(len(ids) == 1 for ids in named.values())
    report_ids = {next(iter(ids)) for ids in named.values()}
    assert len(report_ids) == REPORTS
    created = [(n, host) for n, host, status, _ in answers if status == 201]
    assert len(created) == len({n for n, _ in created})  # at most one 201 per submission

    # 0 lost, 0 duplicated, in the database both hosts share.
    rows = storage._read("SELECT report_id, submission_id FROM reports")
    assert {row["report_id"] for row in rows} == report_ids
    assert len({row["submission_id"] for row in rows}) == REPORTS
    assert storage._read("SELECT count(*) AS n FROM deliveries")[0]["n"] == 2 * REPORTS

    def settled() -> bool:
        return not storage.pending_jobs()

    # A killed worker's job is due again once its lease (15 s) has run out.
    wait_until(settled, what="the outbox on both hosts")
    assert storage.failed_jobs() == []

    # Each report filed once: one document, in its meeting, in the shared store.
    meeting = meetings[0]
    digests = storage.filed_digests(meeting)
    for report_id in report_ids:
        documents = [name for name in digests if name.endswith(f"{report_id}.docx")]
        assert len(documents) == 1, (report_id, documents)
    assert storage.filed_digests(meetings[1]) == {}

    # The secretary's page on either host: the same reports, the same documents.
    seen = []
    for server in hosts:
        browser = Browser(server)
        browser.log_in()
        page = browser.request("GET", f"/sekreterare/sammantraden/{meeting}")
        assert page.status_code == 200
        listed = set(re.findall(r"BR-\d{4}-[0-9A-Z]{6}", page.text))
        assert listed == report_ids
        listing = browser.request("GET", f"/sekreterare/sammantraden/{meeting}/forteckning.docx")
        assert listing.status_code == 200
        sample = sorted(report_ids)[0]
        document = browser.request(
            "GET", f"/sekreterare/sammantraden/{meeting}/rapporter/{sample}.docx")
        assert document.status_code == 200
        seen.append((listed, hashlib.sha512(listing.content).hexdigest(),
                     hashlib.sha512(document.content).hexdigest()))
    assert seen[0] == seen[1]
    assert seen[0][1] in digests.values() and seen[0][2] in digests.values()

    # Each host makes reports in the shared database, and the other knows them. (Asked of
    # the raced deliveries above, a loaded machine once let one host win every race.)
    for number, (maker, other) in enumerate((hosts, hosts[::-1])):
        body = body_of(visit_envelope(REPORTS + number))
        made = deliver(maker, body, f"msg_{uuid.uuid4().hex}")
        again = deliver(other, body, f"msg_{uuid.uuid4().hex}")
        assert (made.status_code, again.status_code) == (201, 200)
        assert made.json()["report_id"] == again.json()["report_id"]
