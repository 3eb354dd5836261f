"""The fuzz run against a real gunicorn: hostile signed deliveries and hostile HTTP.

Smaller than tests/webhook/test_fuzz.py in ``make test`` (a few hundred requests);
``make chaos`` multiplies it (BESOKSRAPPORT_FUZZ_SCALE). Every answer must be under 500 or
a 503, always as JSON, and gunicorn must still be serving at the end.
"""

from __future__ import annotations

import os
import socket

import pytest
import requests
from fuzzing import DEEP, JSON, body_bytes, mutated_envelopes, sign
from gunicorn_server import GunicornServer
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webhook_helpers import PATH, environment

pytestmark = pytest.mark.e2e

SCALE = int(os.environ.get("BESOKSRAPPORT_FUZZ_SCALE", "1"))
ANSWERS = ("application/json", "application/problem+json")


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    data = tmp_path_factory.mktemp("fuzz") / "data"
    running = GunicornServer(environment(data), log_path=data.parent / "gunicorn.log")
    yield running.start(timeout=60)
    running.stop()


def test_signed_hostile_deliveries_never_get_a_5xx_from_gunicorn(server):
    session = requests.Session()
    statuses: dict[int, int] = {}

    @settings(max_examples=300 * SCALE, deadline=None, database=None,
              derandomize=SCALE == 1, suppress_health_check=list(HealthCheck))
    @given(mutated_envelopes().map(body_bytes) | JSON.map(body_bytes) | DEEP.map(str.encode))
    def run(body):
        answer = session.post(server.url + PATH, data=body, headers=sign(body), timeout=30)
        assert answer.status_code < 500 or answer.status_code == 503, body[:300]
        assert answer.headers["content-type"].split(";")[0] in ANSWERS
        statuses[answer.status_code] = statuses.get(answer.status_code, 0) + 1

    run()
    assert set(statuses) >= {201, 422}
    assert requests.get(server.url + "/readyz", timeout=10).status_code == 200


HOSTILE_HTTP = st.one_of(
    st.binary(min_size=1, max_size=200).map(lambda junk: junk + b"\r\n\r\n"),
    st.integers(9_000, 200_000).map(
        lambda size: b"GET /healthz HTTP/1.1\r\nHost: x\r\nX-Big: " + b"a" * size + b"\r\n\r\n"),
    st.integers(101, 300).map(lambda count: b"GET /healthz HTTP/1.1\r\n" + b"".join(
        b"X-%d: 1\r\n" % n for n in range(count)) + b"\r\n"),
    st.sampled_from([
        b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
        b"\r\nZZ\r\n",
        b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: x\r\nContent-Length: -1\r\n\r\n",
        b"POST " + PATH.encode() + b" HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\n",
        b"GET /" + b"a" * 9000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
        b"GET / HTTP/9.9\r\n\r\n",
        b"G\x00T / HTTP/1.1\r\n\r\n",
    ]))


def test_hostile_http_never_gets_a_5xx_or_html_from_gunicorn(server):
    @settings(max_examples=60 * SCALE, deadline=None, database=None,
              derandomize=SCALE == 1, suppress_health_check=list(HealthCheck))
    @given(HOSTILE_HTTP)
    def run(request):
        with socket.create_connection(("127.0.0.1", server.port), timeout=10) as connection:
            connection.sendall(request)
            data = b""
            try:
                while piece := connection.recv(65536):
                    data += piece
            except (ConnectionResetError, TimeoutError):
                pass
        if not data:
            return  # closed without an answer: nothing the platform could show
        head = data.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
        status = int(head.split()[1])
        assert status < 500 or status == 503, (status, request[:100])
        assert "content-type: text/html" not in head

    run()
    assert requests.get(server.url + "/healthz", timeout=10).status_code == 200
