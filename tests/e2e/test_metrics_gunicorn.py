"""``GET /metrics`` under gunicorn: the workers' counters summed (prometheus_client's
multiprocess mode, PROMETHEUS_MULTIPROC_DIR set up by gunicorn_conf)."""

from __future__ import annotations

import pytest
import requests
from gunicorn_server import GunicornServer
from webhook_helpers import PATH, body_of, envelope_for, environment, signed_headers

pytestmark = pytest.mark.e2e

DELIVERED = 'besoksrapport_deliveries_total{status="201"}'


def test_metrics_sum_the_deliveries_of_every_worker(tmp_path):
    folder = tmp_path / "metrics"
    folder.mkdir()
    (folder / "counter_1.db").write_bytes(b"a previous run's counts")  # emptied at start
    server = GunicornServer(environment(tmp_path / "data",
                                        PROMETHEUS_MULTIPROC_DIR=str(folder)),
                            log_path=tmp_path / "gunicorn.log").start(timeout=60)
    try:
        for _ in range(30):
            body = body_of(envelope_for())
            # A new connection each: reuse_port spreads them over both workers.
            answer = requests.post(server.url + PATH, data=body, headers={
                **signed_headers(body), "Connection": "close"}, timeout=30)
            assert answer.status_code == 201
        counted = set()
        for _ in range(10):  # whichever worker answers the scrape, it tells the sum
            text = requests.get(server.url + "/metrics", timeout=10,
                                headers={"Connection": "close"}).text
            [line] = [line for line in text.splitlines() if line.startswith(DELIVERED)]
            counted.add(float(line.rsplit(" ", 1)[1]))
        assert counted == {30}
        assert "besoksrapport_outbox_pending_jobs" in text
        assert len(list(folder.glob("counter_*.db"))) == 2  # one file per worker
    finally:
        server.stop()
