"""Reports posted through the real server land in the folder of the right sammanträde.

Each test writes a committee configuration whose first deadline is a chosen moment around
now (Stockholm time) and starts its own gunicorn on it.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from flow import (
    deadline_in,
    filed_report,
    meeting_dir,
    post,
    sql,
    visit_envelope,
    wait_until_filed,
)
from webhook_helpers import committee_config

from besoksrapport.committee.config import load_committee
from besoksrapport.committee.meeting import deadline_for
from besoksrapport.swedish import long_date

pytestmark = pytest.mark.e2e

COMMITTEE = "Välfärd- och servicenämndens"


def receipt_for(day: date, report_id: str) -> str:
    return (f"Tack! Vi har tagit emot din rapport {report_id}. Den är nu en allmän handling "
            f"och skickas med till {COMMITTEE} sammanträde den {long_date(day)}.")


def received_at(server, report_id: str) -> datetime:
    """When the server received the report, as it stored it."""
    [row] = sql(server.data_dir, "SELECT received_at FROM reports WHERE report_id = ?",
                (report_id,))
    return datetime.fromisoformat(row["received_at"])


def deadline_config(tmp_path, minutes: int):
    """A config whose first meeting's deadline is ``minutes`` minutes from this minute."""
    rule = deadline_in(minutes)
    meetings = [rule.meeting, rule.meeting + timedelta(days=28)]
    config = committee_config(tmp_path / "committee.toml", meetings,
                              deadline=(rule.days_before, rule.time))
    # The premise, checked with the production code: the deadline is where we put it.
    assert deadline_for(load_committee(config), rule.meeting) == rule.moment
    return config, meetings


def test_report_a_minute_before_the_deadline_goes_with_that_meeting(tmp_path, start_server):
    config, (first, second) = deadline_config(tmp_path, minutes=2)
    server = start_server(tmp_path / "data", config)
    answer = post(server, visit_envelope(1))
    assert answer.status_code == 201
    report_id = answer.json()["report_id"]
    early = deadline_for(load_committee(config), first) - received_at(server, report_id)
    assert timedelta(0) < early <= timedelta(minutes=2)
    assert answer.json()["meeting_date"] == first.isoformat()
    assert answer.json()["receipt"] == receipt_for(first, answer.json()["report_id"])
    wait_until_filed(server.data_dir, first, [report_id])
    assert filed_report(server.data_dir, first, report_id) is not None
    assert not meeting_dir(server.data_dir, second).exists()


def test_report_a_minute_after_the_deadline_goes_with_the_next_meeting(tmp_path, start_server):
    config, (first, second) = deadline_config(tmp_path, minutes=-1)
    server = start_server(tmp_path / "data", config)
    answer = post(server, visit_envelope(2))
    assert answer.status_code == 201
    report_id = answer.json()["report_id"]
    late = received_at(server, report_id) - deadline_for(load_committee(config), first)
    assert timedelta(minutes=1) <= late < timedelta(minutes=3)
    assert answer.json()["meeting_date"] == second.isoformat()
    deadline = deadline_for(load_committee(config), first)
    # The receipt says why: the first meeting's deadline had passed.
    assert answer.json()["receipt"] == receipt_for(second, answer.json()["report_id"]) + (
        f" Rapporten kom in efter sista dagen för sammanträdet den {long_date(first)} "
        f"({long_date(deadline.date())} kl. {deadline.strftime('%H.%M')}), så den tas upp "
        "vid ett senare sammanträde.")
    wait_until_filed(server.data_dir, second, [report_id])
    assert filed_report(server.data_dir, second, report_id) is not None
    assert not meeting_dir(server.data_dir, first).exists()


def test_report_without_a_future_meeting_is_kept_and_filed_once_the_calendar_grows(
        tmp_path, start_server):
    today = datetime.now(UTC).date()
    config = committee_config(tmp_path / "committee.toml", [today - timedelta(days=30)])
    data = tmp_path / "data"
    server = start_server(data, config)

    answer = post(server, visit_envelope(3))
    assert answer.status_code == 201
    assert answer.json()["meeting_date"] is None
    assert answer.json()["receipt"] == (
        f"Tack! Vi har tagit emot din rapport {answer.json()['report_id']}. Den är nu en "
        f"allmän handling och skickas med till {COMMITTEE} nästa sammanträde när det är "
        "planerat.")
    report_id = answer.json()["report_id"]
    [row] = sql(data, "SELECT meeting_date FROM reports WHERE report_id = ?", (report_id,))
    assert row["meeting_date"] is None
    server.stop()
    assert not (data / "meetings").exists() or not any((data / "meetings").iterdir())

    added = today + timedelta(days=20)
    committee_config(config, [today - timedelta(days=30), added])
    start_server(data, config)
    wait_until_filed(data, added, [report_id])
    [row] = sql(data, "SELECT meeting_date FROM reports WHERE report_id = ?", (report_id,))
    assert row["meeting_date"] == added.isoformat()
    assert filed_report(data, added, report_id) is not None
