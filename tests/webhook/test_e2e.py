"""End to end: a real gunicorn on 127.0.0.1, deliveries signed by the official libraries.

One server serves the module; the restart test and the start-up test run their own.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import uuid
from datetime import UTC, datetime
from pathlib import Path

import pytest
import requests
import svix.webhooks
from gunicorn_server import ROOT, GunicornServer
from webhook_helpers import (
    OLD_SECRET,
    PATH,
    SECRET,
    body_of,
    envelope_for,
    environment,
    signed_headers,
)

pytestmark = pytest.mark.e2e


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("e2e") / "data"
    env = environment(data, BESOKSRAPPORT_RETENTION_REFUSED_DAYS="365")  # a daily gallring
    running = GunicornServer(env, log_path=data.parent / "gunicorn.log").start()
    running.data_dir = data
    yield running
    running.stop()


def deliver(server, body: bytes, headers: dict[str, str]) -> requests.Response:
    return requests.post(server.url + PATH, data=body, headers=headers, timeout=30)


def document(data_dir, meeting_date, report_id):
    """Where the filed DOCX of a report is: ``meetings/<date>/<… report id>.docx``."""
    return data_dir / "meetings" / str(meeting_date), f"* {report_id}.docx"


def wait_for(place, seconds: float = 30) -> bool:
    folder, pattern = place
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if any(path.is_file() for path in folder.glob(pattern)):
            return True
        time.sleep(0.1)
    return False


def database(server) -> sqlite3.Connection:
    return sqlite3.connect(server.data_dir / "besoksrapport.sqlite3", isolation_level=None)


def test_standardwebhooks_delivery_is_201_and_the_docx_appears(server):
    body = body_of(envelope_for())
    response = deliver(server, body, signed_headers(body))
    assert response.status_code == 201
    answer = response.json()
    assert answer["meeting_date"]
    assert wait_for(document(server.data_dir, answer["meeting_date"], answer["report_id"]))


def test_svix_signed_delivery_is_201(server):
    body = body_of(envelope_for())
    msg_id, now = f"msg_{uuid.uuid4().hex}", datetime.now(UTC)
    signature = svix.webhooks.Webhook(SECRET).sign(msg_id, now, body.decode())
    headers = {"content-type": "application/json", "svix-id": msg_id,
               "svix-timestamp": str(int(now.timestamp())), "svix-signature": signature}
    assert deliver(server, body, headers).status_code == 201


def test_repeats_by_webhook_id_and_by_submission_id_are_200_with_the_same_body(server):
    envelope = envelope_for()
    body = body_of(envelope)
    headers = signed_headers(body)
    first = deliver(server, body, headers)
    same_id = deliver(server, body, headers)
    envelope["timestamp"] = "2026-11-21T10:00:00Z"
    resent = body_of(envelope)
    same_submission = deliver(server, resent, signed_headers(resent))
    assert first.status_code == 201
    assert (same_id.status_code, same_submission.status_code) == (200, 200)
    assert first.json() == same_id.json() == same_submission.json()


def test_twenty_identical_deliveries_at_once_make_exactly_one_report(server):
    envelope = envelope_for()
    body = body_of(envelope)
    headers = signed_headers(body)
    barrier, answers = threading.Barrier(20), []

    def send():
        barrier.wait()
        answers.append(deliver(server, body, headers))

    threads = [threading.Thread(target=send) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(a.status_code for a in answers) == [200] * 19 + [201]
    assert len({a.json()["report_id"] for a in answers}) == 1
    with database(server) as conn:
        count = conn.execute("SELECT count(*) FROM reports WHERE submission_id = ?",
                             (envelope["data"]["submission_id"],)).fetchone()[0]
    assert count == 1


def test_the_outbox_process_queues_the_daily_gallring_as_it_starts(server):
    """Under gunicorn's default the web workers run no outbox: its own process queues it."""
    deadline = time.monotonic() + 30
    queued = 0
    while time.monotonic() < deadline and not queued:
        conn = database(server)
        queued = conn.execute("SELECT count(*) FROM jobs WHERE kind = 'gallra' "
                              "AND state = 'pending'").fetchone()[0]
        conn.close()
        time.sleep(0.1)
    assert queued == 1


def test_unparseable_json_is_400(server):
    body = b"{not json"
    response = deliver(server, body, signed_headers(body))
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/problem+json"


@pytest.mark.parametrize(("case", "reason"), [
    ("bad signature", "Ingen v1-signatur stämmer med någon av de inställda hemligheterna."),
    ("old timestamp", "webhook-timestamp är mer än 5 minuter gammal."),
    ("future timestamp", "webhook-timestamp ligger mer än 5 minuter fram i tiden."),
    ("no headers", "HTTP-huvudena webhook-id, webhook-timestamp och webhook-signature saknas."),
    ("malformed signature", "webhook-signature ska bestå av poster som ”v1,<base64>”"),
])
def test_unauthenticated_deliveries_are_401(server, case, reason):
    body = body_of(envelope_for())
    now = int(time.time())
    headers = {
        "bad signature": lambda: signed_headers(body, secret="whsec_" + "QUFBQUFBQUFBQUFBQUFBQQ=="),
        "old timestamp": lambda: signed_headers(body, timestamp=now - 6 * 60),
        "future timestamp": lambda: signed_headers(body, timestamp=now + 6 * 60),
        "no headers": lambda: {"content-type": "application/json"},
        "malformed signature": lambda: {**signed_headers(body), "webhook-signature": "v1"},
    }[case]()
    response = deliver(server, body, headers)
    assert response.status_code == 401
    assert reason in response.json()["detail"]


def test_secret_being_rotated_out_still_passes(server):
    body = body_of(envelope_for())
    assert deliver(server, body, signed_headers(body, secret=OLD_SECRET)).status_code == 201


def test_body_over_two_mib_is_413_with_and_without_content_length(server):
    body = body_of(envelope_for()) + b" " * (2 * 1024 * 1024)
    headers = signed_headers(body)
    assert deliver(server, body, headers).status_code == 413

    def chunks():
        for start in range(0, len(body), 64 * 1024):
            yield body[start:start + 64 * 1024]

    chunked = requests.post(server.url + PATH, data=chunks(), headers=headers, timeout=30)
    assert chunked.status_code == 413
    assert chunked.json()["type"].endswith("/body-too-large")


def test_form_post_is_415(server):
    body = body_of(envelope_for())
    headers = {**signed_headers(body), "content-type": "application/x-www-form-urlencoded"}
    assert deliver(server, body, headers).status_code == 415


def test_invalid_report_is_422_in_swedish_and_quarantined(server):
    envelope = envelope_for()
    envelope["data"]["answers"]["visit_date"] = "igår"
    body = body_of(envelope)
    headers = signed_headers(body)
    response = deliver(server, body, headers)
    assert response.status_code == 422
    [error] = [e for e in response.json()["errors"] if e["pointer"] == "/data/answers/visit_date"]
    assert error["message"] and error["message"] != error["code"]
    with database(server) as conn:
        row = conn.execute("SELECT raw_body, errors_json FROM quarantine WHERE webhook_id = ?",
                           (headers["webhook-id"],)).fetchone()
    assert bytes(row[0]) == body
    assert json.loads(row[1]) == response.json()["errors"]


def test_locked_storage_is_503_with_retry_after_and_then_recovers(server):
    body = body_of(envelope_for())
    blocker = database(server)
    blocker.execute("BEGIN IMMEDIATE")  # hold the write lock past the busy timeout
    try:
        response = deliver(server, body, signed_headers(body))
    finally:
        blocker.execute("ROLLBACK")
        blocker.close()
    assert response.status_code == 503
    assert int(response.headers["Retry-After"]) > 0
    assert deliver(server, body, signed_headers(body)).status_code == 201


def test_health_readiness_and_openapi(server):
    assert requests.get(server.url + "/healthz", timeout=5).status_code == 200
    assert requests.get(server.url + "/readyz", timeout=5).json() == {"status": "ready"}
    assert requests.get(server.url + "/openapi.json", timeout=5).json()["openapi"] == "3.1.0"


def test_restart_after_the_answer_but_before_the_job_still_makes_the_docx(tmp_path):
    data = tmp_path / "data"
    log = tmp_path / "gunicorn.log"
    # The outbox thread is off in the first run so the crash lands deterministically between
    # the 201 and the job; the second run has it on, as in production.
    first = GunicornServer(environment(data, BESOKSRAPPORT_RUN_WORKER="false"),
                           log_path=log).start()
    try:
        body = body_of(envelope_for())
        answer = deliver(first, body, signed_headers(body))
    finally:
        first.kill()
    assert answer.status_code == 201
    report_id = answer.json()["report_id"]
    place = document(data, answer.json()["meeting_date"], report_id)
    assert not wait_for(place, seconds=0)
    second = GunicornServer(environment(data), log_path=log).start()
    try:
        assert wait_for(place)
    finally:
        second.stop()


def test_bad_setting_stops_gunicorn_with_one_line_naming_it(tmp_path):
    env = environment(tmp_path, BESOKSRAPPORT_WEBHOOK_SECRETS="not-a-secret")
    server = GunicornServer(env)
    result = subprocess.run(server.command(), cwd=ROOT, env=server.env, capture_output=True,
                            text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "besoksrapport: Konfigurationsfel i inställningen BESOKSRAPPORT_WEBHOOK_SECRETS: "
        "hemlighet nummer 1 börjar inte med whsec_."]


def test_address_in_use_stops_gunicorn_with_one_line_instead_of_restarting_workers(server,
                                                                                 tmp_path):
    """Workers bind with SO_REUSEPORT; a second instance must not quietly share the port."""
    second = GunicornServer(environment(tmp_path))
    result = subprocess.run(second.command(f"127.0.0.1:{server.port}"), cwd=ROOT,
                            env=second.env, capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"besoksrapport: Konfigurationsfel i inställningen --bind / BESOKSRAPPORT_BIND: det går "
        f"inte att lyssna på 127.0.0.1:{server.port}: adressen används redan av ett annat "
        "program (errno 98, EADDRINUSE)."]


def test_a_unix_socket_bind_serves_with_workers_sharing_it(tmp_path):
    """SO_REUSEPORT is TCP only: on a Unix socket the workers share the master's socket."""
    path = tmp_path / "besoksrapport.sock"
    runner = GunicornServer(environment(tmp_path / "data"))
    process = subprocess.Popen(
        runner.command(f"unix:{path}"), cwd=ROOT, env=runner.env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True)
    try:
        answer = b""
        deadline = time.monotonic() + 30
        while not answer.startswith(b"HTTP/1.1 200") and time.monotonic() < deadline:
            assert process.poll() is None, process.stderr.read().decode()
            try:
                with socket.socket(socket.AF_UNIX) as client:
                    client.settimeout(5)
                    client.connect(str(path))
                    client.sendall(b"GET /healthz HTTP/1.1\r\nHost: x\r\n"
                                   b"Connection: close\r\n\r\n")
                    answer = client.recv(4096)
            except OSError:
                time.sleep(0.1)
        assert answer.startswith(b"HTTP/1.1 200"), answer
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.communicate(timeout=15)


def listening_sockets(port: int) -> int:
    """How many TCP sockets listen on ``port`` (IPv4), read from /proc/net/tcp."""
    lines = Path("/proc/net/tcp").read_text().splitlines()[1:]
    return sum(1 for line in lines
               if line.split()[1].endswith(f":{port:04X}") and line.split()[3] == "0A")


def test_each_worker_listens_on_its_own_socket_so_the_kernel_spreads_connections(server):
    """reuse_port: one listening socket per worker; the kernel spreads new connections."""
    from webhook import gunicorn_conf

    assert listening_sockets(server.port) == gunicorn_conf.workers


def test_send_example_posts_a_signed_example_and_prints_the_answer(server):
    result = subprocess.run(
        [sys.executable, "-m", "besoksrapport.cli", "send-example", "--url", server.url + PATH],
        cwd=ROOT, env=server.env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("HTTP 201: rapporten togs emot\n")
    assert "Tack! Vi har tagit emot din rapport BR-" in result.stdout


def test_process_command_runs_the_pending_jobs_once(tmp_path):
    env = environment(tmp_path / "data", BESOKSRAPPORT_RUN_WORKER="false")
    runner = GunicornServer(env).start()
    try:
        body = body_of(envelope_for())
        report_id = deliver(runner, body, signed_headers(body)).json()["report_id"]
    finally:
        runner.stop()
    result = subprocess.run([sys.executable, "-m", "besoksrapport.cli", "process"], cwd=ROOT,
                            env=runner.env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert "Uppgift 1, kontroll av rapport: klar." in result.stdout
    assert list((tmp_path / "data" / "meetings").glob(f"*/* {report_id}.docx"))


def test_send_example_sends_a_given_file_as_it_is_so_an_invalid_one_is_refused(server):
    invalid = ROOT / "schemas" / "examples" / "invalid" / "submitted-at-without-offset.json"
    result = subprocess.run(
        [sys.executable, "-m", "besoksrapport.cli", "send-example", "--url", server.url + PATH,
         "--file", str(invalid)],
        cwd=ROOT, env=server.env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 1, result.stderr
    assert result.stdout.startswith("HTTP 422: rapporten innehåller fel\n")
    assert "Rapporten togs inte emot" in result.stdout
