"""WebDAV delivery through the real server: the document system is down, then comes back.

The outbox retries a failed delivery with exponential backoff (5 s, 10 s, 20 s … with
jitter). To keep the test short it does what the passing of time would do: once the WebDAV
server is up, it moves the waiting job's ``not_before`` to now with SQL, and the server's
own outbox thread delivers it.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta

import pytest
from davserver import DavServer
from gunicorn_server import ROOT
from ports import free_port
from webhook_helpers import committee_config, environment

from besoksrapport.filing.webdav import DEFAULT_TIMEOUT

from .flow import make_due, meeting_dir, pending, post, visit_envelope, wait_for, wait_until_filed

pytestmark = pytest.mark.e2e


def outbox(env: dict[str, str]) -> subprocess.CompletedProcess:
    """``besoksrapport outbox`` as the secretary runs it."""
    return subprocess.run([sys.executable, "-m", "besoksrapport.cli", "outbox"], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=60)


def test_delivery_waits_while_the_document_system_is_down_and_arrives_when_it_is_up(
        tmp_path, start_server):
    day = datetime.now(UTC).date() + timedelta(days=20)
    config = committee_config(tmp_path / "committee.toml", [day])
    port = free_port()  # nothing listens here until the WebDAV server starts below
    data = tmp_path / "data"
    webdav = {"BESOKSRAPPORT_WEBDAV_URL": f"http://127.0.0.1:{port}/namnd/"}
    server = start_server(data, config, **webdav)

    started = time.monotonic()
    answer = post(server, visit_envelope(1))
    answered_in = time.monotonic() - started
    assert answer.status_code == 201
    assert answered_in < DEFAULT_TIMEOUT[0] / 2  # never waits on the document system
    report_id = answer.json()["report_id"]
    filed = wait_until_filed(data, day, [report_id])

    # The first attempt has failed and the delivery waits for its next one.
    wait_for(lambda: any(job["attempts"] >= 1 for job in pending(data, "deliver_meeting")),
             what="a failed delivery attempt")
    shown = outbox({**environment(data, BESOKSRAPPORT_CONFIG=str(config), **webdav)})
    assert shown.returncode == 0, shown.stderr
    assert f"Väntar: överföring till dokumentsystemet {day.isoformat()}" in shown.stdout
    assert "senaste fel" in shown.stdout and "did not answer" in shown.stdout

    dav_root = tmp_path / "dav"
    (dav_root / "namnd").mkdir(parents=True)
    dav = DavServer(dav_root, port).start()
    try:
        assert make_due(data, "deliver_meeting") == 1
        wait_for(lambda: not pending(data, "deliver_meeting"), what="the delivery")
    finally:
        dav.stop()

    local = meeting_dir(data, day)
    remote = dav_root / "namnd" / day.isoformat()
    names = [item["fileName"] for item in filed["auxiliaryFile"]] + ["index.json"]
    assert sorted(path.name for path in remote.iterdir()) == sorted(names)
    for name in names:
        assert (remote / name).read_bytes() == (local / name).read_bytes(), name
    shown = outbox({**environment(data, BESOKSRAPPORT_CONFIG=str(config), **webdav)})
    assert "överföring till dokumentsystemet" not in shown.stdout
