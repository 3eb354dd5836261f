"""Open ePlatform end to end: the real gunicorn polls a fake platform on 127.0.0.1.

The web process polls every second, reception files the report in the right meeting's
folder, and the platform records confirmDelivery, setStatus and addMessage with the
receipt, each valid against the real XSD. Killed (master and workers, SIGKILL) and started
again, the service makes nothing twice and still takes the next report; the platform going
away for a while only delays the next one.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest
from fake_oep import PASSWORD, USERNAME, FakeOep
from gunicorn_server import GunicornServer
from oep_instances import flow_instance_xml
from webhook_helpers import committee_config, environment

from besoksrapport.committee.config import load_committee
from besoksrapport.filing.folder import read_filed
from besoksrapport.reception.receive import receipt_text
from besoksrapport.storage import open_storage, sqlite_url

pytestmark = pytest.mark.e2e


def _wait(condition, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError("the platform did not hear what it should in time")
        time.sleep(0.2)


def _heard(fake: FakeOep, flow_instance_id: int) -> list[str]:
    return sorted(call.operation for call in fake.calls
                  if call.text("c:flowInstanceID") == str(flow_instance_id))


COMPLETE = ["addMessage", "confirmDelivery", "setStatus", "setStatus"]


def test_reports_polled_by_the_web_process_are_filed_and_answered_once(tmp_path):
    day = datetime.now(UTC).date() + timedelta(days=20)
    config = committee_config(tmp_path / "committee.toml", [day, day + timedelta(days=28)])
    data = tmp_path / "data"
    with FakeOep() as fake:
        env = environment(data, BESOKSRAPPORT_CONFIG=str(config),
                          BESOKSRAPPORT_OEP_URL=fake.url, BESOKSRAPPORT_OEP_USERNAME=USERNAME,
                          BESOKSRAPPORT_OEP_PASSWORD=PASSWORD,
                          BESOKSRAPPORT_OEP_POLL_SECONDS="1")
        fake.add(8001, flow_instance_xml(8001), datetime.now(UTC))
        server = GunicornServer(env, log_path=tmp_path / "gunicorn.log").start()
        try:
            _wait(lambda: _heard(fake, 8001) == COMPLETE)
            assert all(call.valid for call in fake.calls), [c.errors for c in fake.calls]
            [message] = [c for c in fake.calls if c.operation == "addMessage"]
            receipt = message.text("c:message/c:message")
            server.kill()  # mid-poll or between polls, as it happens
            fake.stop()  # and the platform goes away too
            fake.add(8002, flow_instance_xml(8002), datetime.now(UTC))
            server = GunicornServer(env, log_path=tmp_path / "gunicorn.log").start()
            time.sleep(2)  # a few polls that find nobody at home
            fake.start()
            _wait(lambda: _heard(fake, 8002) == COMPLETE)
            # More polls, none of which may add anything: counted, not a fixed time that a
            # loaded machine may fill with fewer polls than meant, or none.
            polls = len(fake.listings)
            _wait(lambda: len(fake.listings) >= polls + 2)
        finally:
            server.stop()
    assert _heard(fake, 8001) == COMPLETE
    storage = open_storage(sqlite_url(data / "besoksrapport.sqlite3"))
    reports = storage.reports_for_meeting(day)
    assert sorted(r.submission_id for r in reports) == ["oep-8001", "oep-8002"]
    first = next(r for r in reports if r.submission_id == "oep-8001")
    assert receipt == receipt_text(load_committee(config), first)
    filed = read_filed(data / "meetings" / day.isoformat(), day)
    assert {r.report_id for r in reports} <= {item.report_id for item in filed.files}
    confirmed = {c.text("c:externalID/c:ID") for c in fake.calls
                 if c.operation == "confirmDelivery"}
    assert confirmed == {r.report_id for r in reports}
    storage.close()
