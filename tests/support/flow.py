"""Helpers for the end-to-end tests: reports to post, deadlines around now, waiting for work.

The tests look at the system from outside, as the secretary would: the meeting folders,
index.json, the SQLite outbox (read with plain SQL), the WebDAV server and the inbox.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from webhook_helpers import PATH, body_of, envelope_for, signed_headers

from besoksrapport.swedish import STOCKHOLM

# Who reports on what, in which role: the example configuration's roster, so a report
# raises no flag unless a test asks for one.
VISITS = [
    ("anna.lindqvist", "Anna Lindqvist", "ledamot", "kost", "Centralköket"),
    ("bengt.haraldsson", "Bengt Haraldsson", "ledamot", "arbetsmarknad", "Jobbtorget på Åvägen"),
    ("cecilia.oberg", "Cecilia Öberg", "ersattare", "kultur", "Stadsbiblioteket"),
    ("dragan.petrovic", "Dragan Petrović", "ersattare", "fritid", "Ishallen"),
]

FILING_KINDS = ("process_report", "file_meeting", "build_bundle")


def visit_envelope(number: int, **answers: Any) -> dict:
    """A valid envelope for the ``number``-th visit: its own politician, operation and text.

    Visit dates lie in October 2026, before the example's submission date (5 November).
    """
    who, name, role, operation, unit = VISITS[number % len(VISITS)]
    envelope = envelope_for()
    data = envelope["data"]
    data["submitter"] = {"id": who, "name": name}
    data["answers"].update({
        "operation": operation,
        "role": role,
        "unit": unit,
        "visit_date": (date(2026, 10, 1) + timedelta(days=number % 30)).isoformat(),
        "unit_news": f"Nyhet nummer {number} från {unit}: nya rutiner för året.",
    })
    data["answers"].update(answers)
    return envelope


def post(server, envelope: dict) -> requests.Response:
    body = body_of(envelope)
    return requests.post(server.url + PATH, data=body, headers=signed_headers(body), timeout=30)


def wait_for(condition: Callable[[], Any], seconds: float = 60, what: str = "") -> Any:
    """Poll ``condition`` until it is truthy; fail naming ``what`` after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what or condition}")
        time.sleep(0.1)


def database(data_dir: Path) -> sqlite3.Connection:
    connection = sqlite3.connect(data_dir / "besoksrapport.sqlite3", timeout=30,
                                 isolation_level=None)
    connection.row_factory = sqlite3.Row
    return connection


def sql(data_dir: Path, statement: str, params: tuple = ()) -> list[sqlite3.Row]:
    connection = database(data_dir)
    try:
        return connection.execute(statement, params).fetchall()
    finally:
        connection.close()


def pending(data_dir: Path, *kinds: str) -> list[sqlite3.Row]:
    rows = sql(data_dir, "SELECT * FROM jobs WHERE state = 'pending' ORDER BY id")
    return [row for row in rows if row["kind"] in kinds]


def make_due(data_dir: Path, kind: str) -> int:
    """Move a waiting job's not_before to now, as if its backoff or digest time had passed."""
    connection = database(data_dir)
    try:
        return connection.execute(
            "UPDATE jobs SET not_before = ? WHERE state = 'pending' AND kind = ?",
            (time.time(), kind)).rowcount
    finally:
        connection.close()


def meeting_dir(data_dir: Path, day: date | str) -> Path:
    return data_dir / "meetings" / str(day)


def read_index(folder: Path) -> dict | None:
    try:
        return json.loads((folder / "index.json").read_text(encoding="utf-8"))
    except FileNotFoundError:
        return None


def filed_report(data_dir: Path, day: date | str, report_id: str) -> Path | None:
    """The report's DOCX in the meeting folder (its name ends with the report id)."""
    return next(meeting_dir(data_dir, day).glob(f"* {report_id}.docx"), None)


def wait_until_filed(data_dir: Path, day: date | str, report_ids: list[str],
                     seconds: float = 90) -> dict:
    """Wait until index.json lists exactly these reports and no filing work is pending."""
    folder = meeting_dir(data_dir, day)

    def done() -> dict | None:
        index = read_index(folder)
        if index is None or pending(data_dir, *FILING_KINDS):
            return None
        listed = {item.get("besoksrapport:reportId") for item in index["auxiliaryFile"]} - {None}
        return index if listed == set(report_ids) else None

    return wait_for(done, seconds, f"reports {report_ids} filed in {folder}")


@dataclass(frozen=True)
class Deadline:
    """A deadline rule and a first meeting whose deadline is a chosen moment."""

    days_before: int
    time: str  # HH:MM, Stockholm
    meeting: date
    moment: datetime  # the deadline itself, Stockholm


def deadline_in(minutes: int, days_before: int = 1) -> Deadline:
    """A meeting whose deadline is ``minutes`` whole minutes after the current minute.

    Counted in UTC and then shown in Stockholm, so a deadline just after midnight falls on
    the right day (the meeting is ``days_before`` days after the deadline's own date).
    """
    this_minute = datetime.now(UTC).replace(second=0, microsecond=0)
    moment = (this_minute + timedelta(minutes=minutes)).astimezone(STOCKHOLM)
    if moment.replace(fold=0).utcoffset() != moment.replace(fold=1).utcoffset():
        # In the hour that repeats when summer time ends, a wall-clock deadline names the
        # first of the two moments; a test aiming a minute around "now" cannot say which.
        pytest.skip("the deadline would fall in the repeated hour of the autumn clock change")
    return Deadline(days_before, moment.strftime("%H:%M"),
                    moment.date() + timedelta(days=days_before), moment)
