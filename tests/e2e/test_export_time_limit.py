"""A heavy export on the secretary's page runs in a process of its own with a time limit
(webhook/secretary/export_runner.py): past it the process is killed, the secretary gets a
Swedish «try again» page, and the webhook, served by the same single web worker, answers
deliveries the whole time.

The export is made deliberately slow by stopping its process (SIGSTOP) as soon as it starts:
a frozen export is the slowest there is, and no test code runs inside the service.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from english import english_words
from flow import post, visit_envelope, wait_for
from secretary_page import ACCOUNT, PASSWORD, Browser, export_processes, page_environment
from webhook_helpers import committee_config

pytestmark = pytest.mark.e2e

# Room for the unfrozen export at the end to finish on a loaded test machine (CI failed once
# at 4 s); the child runs at full priority, since its niceness is not what this test proves.
LIMIT_SECONDS = 10


@pytest.fixture
def server(tmp_path, start_server):
    today = datetime.now(UTC).date()
    config = committee_config(tmp_path / "committee.toml", [today + timedelta(days=20)])
    data = tmp_path / "data"
    env = page_environment(data, config, BESOKSRAPPORT_WORKERS="1",
                           BESOKSRAPPORT_EXPORT_SECONDS=str(LIMIT_SECONDS),
                           BESOKSRAPPORT_WORKER_NICE="0")
    made = subprocess.run(
        [sys.executable, "-m", "besoksrapport.cli", "user", "add", ACCOUNT, "--password-stdin"],
        input=PASSWORD + "\n", capture_output=True, text=True, timeout=60, check=False,
        env={**os.environ, **env})
    assert made.returncode == 0, made.stderr
    return start_server(data, config, **{k: v for k, v in env.items()
                                        if k not in ("BESOKSRAPPORT_DATA_DIR",
                                                     "BESOKSRAPPORT_CONFIG")})


def test_a_frozen_export_is_stopped_at_its_limit_with_a_swedish_page_while_deliveries_go_on(
        server):
    assert post(server, visit_envelope(0)).status_code == 201
    browser = Browser(server)
    browser.log_in()
    token = browser.token("/sekreterare/underlag")
    answers = []

    def export() -> None:
        answer = browser.request(
            "POST", "/sekreterare/underlag/uppfoljning",
            data={"fran": "2023-01-01", "till": "2026-12-31", "format": "docx",
                  "csrf_token": token})
        answers.append((answer, time.monotonic()))

    asked = time.monotonic()
    request = threading.Thread(target=export)
    request.start()
    [frozen] = wait_for(lambda: export_processes(server.worker_pids()), 20,
                        "the export's process")
    os.kill(frozen, signal.SIGSTOP)

    delivered = []  # while the export's request waits, on the same single web worker
    while request.is_alive() and time.monotonic() < asked + 60:
        started = time.monotonic()
        answer = post(server, visit_envelope(len(delivered) + 1))
        delivered.append((answer.status_code, time.monotonic() - started))
        time.sleep(0.2)
    request.join(30)

    # Held from the ask until its answer came (not until the delivery under way meanwhile
    # was answered too, which a loaded machine may take seconds more for).
    [(refused, answered)] = answers
    held = answered - asked
    assert refused.status_code == 503
    assert refused.headers["Retry-After"] == "60"
    message = re.sub(r"<[^>]+>|\s+", " ", refused.text)
    assert "Försök igen om en stund" in message
    assert f"({LIMIT_SECONDS} sekunder)" in message
    assert english_words(message) == []
    assert LIMIT_SECONDS <= held < LIMIT_SECONDS + 10  # released at the limit, not later
    assert not Path(f"/proc/{frozen}").exists()  # killed and reaped
    assert len(delivered) >= 3 and {status for status, _ in delivered} == {201}
    print(f"\nexport held its request {held:.1f} s (limit {LIMIT_SECONDS} s); "
          f"{len(delivered)} deliveries meanwhile, slowest "
          f"{max(seconds for _, seconds in delivered):.2f} s")

    # Unfrozen, the same export is made and handed over.
    token = browser.token("/sekreterare/underlag")
    made = browser.request("POST", "/sekreterare/underlag/uppfoljning",
                           data={"fran": "2023-01-01", "till": "2026-12-31", "format": "csv",
                                 "csrf_token": token})
    assert made.status_code == 200
    assert "uppfoljning_kontaktpolitiker_2023-01-01_2026-12-31.csv" in \
        made.headers["Content-Disposition"]
