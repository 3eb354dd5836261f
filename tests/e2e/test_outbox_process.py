"""Under gunicorn the outbox runs in one process of its own, which the master starts,
restarts when it dies and stops with the service (issue 19; the graceful stop that hands
a job back is tested in tests/besoksrapport/test_outbox_leases.py)."""

from __future__ import annotations

import os
import signal
from pathlib import Path

import pytest
from flow import post, sql, visit_envelope, wait_for, wait_until_filed
from gunicorn_server import GunicornServer, outbox_processes
from webhook_helpers import environment

pytestmark = pytest.mark.e2e


def test_one_outbox_process_files_the_reports_is_restarted_and_stops_with_the_service(
        tmp_path):
    data = tmp_path / "data"
    server = GunicornServer(environment(data), log_path=tmp_path / "gunicorn.log").start()
    try:
        master = server.process.pid
        [first] = wait_for(lambda: outbox_processes(master), 60, "the outbox process")
        answer = post(server, visit_envelope(1))
        assert answer.status_code == 201
        day = answer.json()["meeting_date"]
        wait_until_filed(data, day, [answer.json()["report_id"]])

        os.kill(first, signal.SIGKILL)  # as the OOM killer would
        [second] = wait_for(lambda: [pid for pid in outbox_processes(master) if pid != first],
                            60, "a new outbox process")
        assert post(server, visit_envelope(2)).status_code == 201
        wait_until_filed(data, day, [row["report_id"] for row in sql(
            data, "SELECT report_id FROM reports WHERE meeting_date = ?", (day,))])
    finally:
        server.stop()
    assert outbox_processes(master) == []
    assert not Path(f"/proc/{second}").exists() or _is_zombie(second)


def _is_zombie(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] == "Z"
    except OSError:
        return True
