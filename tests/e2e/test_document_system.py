"""WebDAV delivery through the real server: down and back up, and a report moved elsewhere.

The outbox retries a failed delivery with exponential backoff (5 s, 10 s, 20 s … with
jitter). To keep the test short it does what the passing of time would do: once the WebDAV
server is up, it moves the waiting job's ``not_before`` to now with SQL, and the server's
own outbox thread delivers it.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
import requests
from davserver import DavServer, refusing
from flow import (
    VISITS,
    filed_report,
    make_due,
    meeting_dir,
    pending,
    post,
    sql,
    visit_envelope,
    wait_for,
    wait_until_filed,
)
from gunicorn_server import ROOT
from ports import HeldPort
from webhook_helpers import committee_config, environment

from besoksrapport.delivery.webdav import DEFAULT_TIMEOUT
from besoksrapport.swedish import long_date

pytestmark = pytest.mark.e2e


def cli(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """``besoksrapport …`` as the secretary runs it."""
    return subprocess.run([sys.executable, "-m", "besoksrapport.cli", *args], cwd=ROOT,
                          env=env, capture_output=True, text=True, timeout=120)


def outbox(env: dict[str, str]) -> subprocess.CompletedProcess:
    return cli(env, "outbox")


def test_delivery_waits_while_the_document_system_is_down_and_arrives_when_it_is_up(
        tmp_path, start_server):
    day = datetime.now(UTC).date() + timedelta(days=20)
    config = committee_config(tmp_path / "committee.toml", [day])
    # Nothing listens here until the WebDAV server starts below; held meanwhile, so that no
    # other test's server takes the port and answers in its place.
    held = HeldPort()
    port = held.port
    data = tmp_path / "data"
    webdav = {"BESOKSRAPPORT_WEBDAV_URL": f"http://127.0.0.1:{port}/namnd/"}
    server = start_server(data, config, **webdav)

    started = time.monotonic()
    answer = post(server, visit_envelope(1))
    answered_in = time.monotonic() - started
    assert answer.status_code == 201
    # Never waits on the document system: less than its connect timeout (not half of it,
    # which a loaded test machine's first delivery can take).
    assert answered_in < DEFAULT_TIMEOUT[0]
    report_id = answer.json()["report_id"]
    filed = wait_until_filed(data, day, [report_id])

    # The first attempt has failed and the delivery waits for its next one.
    wait_for(lambda: any(job["attempts"] >= 1 for job in pending(data, "deliver_meeting")),
             what="a failed delivery attempt")
    shown = outbox({**environment(data, BESOKSRAPPORT_CONFIG=str(config), **webdav)})
    assert shown.returncode == 0, shown.stderr
    assert (f"Väntar: överföring till dokumentsystemet för sammanträdet den {long_date(day)}, "
            "nästa försök den ") in shown.stdout
    assert re.search(r"; försök \d+ misslyckades: WebDAV ", shown.stdout)
    assert "dokumentsystemet svarade inte – anslutningen nekades" in shown.stdout
    assert VISITS[1][1] not in shown.stdout

    dav_root = tmp_path / "dav"
    (dav_root / "namnd").mkdir(parents=True)
    dav = DavServer(dav_root, port).start()
    try:
        assert make_due(data, "deliver_meeting") == 1
        wait_for(lambda: not pending(data, "deliver_meeting"), what="the delivery")
    finally:
        dav.stop()
        held.release()

    local = meeting_dir(data, day)
    remote = dav_root / "namnd" / day.isoformat()
    names = [item["fileName"] for item in filed["auxiliaryFile"]] + ["index.json"]
    assert sorted(path.name for path in remote.iterdir()) == sorted(names)
    for name in names:
        assert (remote / name).read_bytes() == (local / name).read_bytes(), name
    shown = outbox({**environment(data, BESOKSRAPPORT_CONFIG=str(config), **webdav)})
    assert "överföring till dokumentsystemet" not in shown.stdout


def delivered_to(start_server, data, config, base: str, remote, meeting, visit: int):
    """A served report filed for ``meeting`` and delivered under ``base`` (``remote`` on disk).

    Returns the environment for commands, the report id and the report's file name.
    """
    env = environment(data, BESOKSRAPPORT_CONFIG=str(config), BESOKSRAPPORT_WEBDAV_URL=base)
    server = start_server(data, config, BESOKSRAPPORT_WEBDAV_URL=base)
    answer = post(server, visit_envelope(visit))
    assert answer.status_code == 201
    report_id = answer.json()["report_id"]
    wait_until_filed(data, meeting, [report_id])
    name = filed_report(data, meeting, report_id).name
    wait_for(lambda: (remote / name).exists() and not pending(data, "deliver_meeting"),
             what="the first delivery")
    return env, report_id, name


def test_a_moved_report_leaves_the_old_meetings_remote_folder_and_hand_placed_files_stay(
        tmp_path, start_server):
    today = datetime.now(UTC).date()
    first, second = today + timedelta(days=20), today + timedelta(days=50)
    config = committee_config(tmp_path / "committee.toml", [first, second])
    data = tmp_path / "data"
    dav_root = tmp_path / "dav"
    (dav_root / "namnd").mkdir(parents=True)
    hand_placed = "Anteckningar inför sammanträdet.docx"

    with DavServer(dav_root) as dav:
        base = dav.url + "namnd/"
        old_remote = dav_root / "namnd" / first.isoformat()
        new_remote = dav_root / "namnd" / second.isoformat()
        env, report_id, name = delivered_to(start_server, data, config, base, old_remote, first,
                                            1)
        # The secretary keeps a note of her own in the meeting's folder on the server.
        placed = requests.put(base + first.isoformat() + "/" + quote(hand_placed),
                              data=b"egna anteckningar", timeout=30)
        assert placed.status_code == 201

        moved = cli(env, "move", report_id, "--to", second.isoformat())
        assert moved.returncode == 0, moved.stderr
        wait_until_filed(data, second, [report_id])
        wait_until_filed(data, first, [])
        wait_for(lambda: not pending(data, "file_meeting", "deliver_meeting")
                 and not (old_remote / name).exists() and (new_remote / name).exists(),
                 what="both meetings delivered after the move")

    assert sql(data, "SELECT kind, last_error FROM jobs WHERE state = 'failed'") == []
    assert (old_remote / hand_placed).read_bytes() == b"egna anteckningar"
    local_old, local_new = meeting_dir(data, first), meeting_dir(data, second)
    for local, remote, extra in ((local_old, old_remote, [hand_placed]),
                                 (local_new, new_remote, [])):
        index = json.loads((local / "index.json").read_text(encoding="utf-8"))
        names = [item["fileName"] for item in index["auxiliaryFile"]] + ["index.json"]
        assert sorted(path.name for path in remote.iterdir()) == sorted(names + extra)
        for each in names:
            assert (remote / each).read_bytes() == (local / each).read_bytes(), each
    assert (new_remote / name).read_bytes() == (local_new / name).read_bytes()


def webdav_warnings(log_path) -> list[dict]:
    lines = log_path.read_text(encoding="utf-8").splitlines()
    return [entry for entry in (json.loads(line) for line in lines if line.startswith("{"))
            if entry.get("logger") == "besoksrapport.delivery.webdav"]


@pytest.mark.parametrize("refusals", [{"PROPFIND": 405}, {"DELETE": 403}],
                         ids=["no-listing", "no-delete"])
def test_a_document_system_that_refuses_the_clean_up_still_gets_every_delivery(
        tmp_path, start_server, refusals):
    today = datetime.now(UTC).date()
    first, second = today + timedelta(days=20), today + timedelta(days=50)
    config = committee_config(tmp_path / "committee.toml", [first, second])
    data = tmp_path / "data"
    dav_root = tmp_path / "dav"
    (dav_root / "namnd").mkdir(parents=True)
    dav = DavServer(dav_root)
    dav.server.wsgi_app = refusing(dav.server.wsgi_app, refusals)

    with dav:
        base = dav.url + "namnd/"
        old_remote = dav_root / "namnd" / first.isoformat()
        new_remote = dav_root / "namnd" / second.isoformat()
        env, report_id, name = delivered_to(start_server, data, config, base, old_remote, first,
                                            2)

        moved = cli(env, "move", report_id, "--to", second.isoformat())
        assert moved.returncode == 0, moved.stderr
        wait_until_filed(data, second, [report_id])
        wait_until_filed(data, first, [])
        wait_for(lambda: not pending(data, "file_meeting", "deliver_meeting")
                 and (new_remote / name).exists()
                 and (old_remote / "index.json").read_bytes()
                 == (meeting_dir(data, first) / "index.json").read_bytes(),
                 what="both meetings delivered after the move")

    assert sql(data, "SELECT kind, last_error FROM jobs WHERE state = 'failed'") == []
    assert (old_remote / name).exists()  # stale: the server allowed no clean-up
    assert (new_remote / name).read_bytes() == (meeting_dir(data, second) / name).read_bytes()
    # The move runs pending work itself, so the old meeting's delivery ran either in the
    # server's outbox thread (a JSON line in its log) or in the command (a Swedish notice on
    # its stderr: the secretary sees no log line).
    [(method, status)] = refusals.items()
    warnings = webdav_warnings(tmp_path / "gunicorn.log")
    assert all((entry["level"], entry["method"], entry["status"]) == ("warning", method, status)
               for entry in warnings), warnings
    message = {"PROPFIND": "Obs! Dokumentsystemet går inte att lista, så filer som inte "
                           f"längre hör till sammanträdet den {long_date(first)}",
               "DELETE": "Obs! Dokumentsystemet tillät inte att filer som inte längre hör "
                         f"till sammanträdet den {long_date(first)} togs bort"}[method]
    assert (first.isoformat() in {entry["meeting_date"] for entry in warnings}
            or message in moved.stderr), (warnings, moved.stderr)
    text = json.dumps(warnings, ensure_ascii=False) + moved.stderr
    assert [piece for piece in (name, quote(name), VISITS[2][1]) if piece in text] == []
