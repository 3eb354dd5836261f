"""A year of reports delivered through a real gunicorn, for the guideline-rules e2e tests.

The year is tests/rules/year.py's: the same envelopes, roster and hand counts as the unit
tests, but here every report goes through the signed webhook, the durable outbox and the
server's own worker thread, and the commands run as subprocesses against what it stored.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import pytest
import requests
from gunicorn_server import ROOT, GunicornServer
from webhook_helpers import PATH, body_of, committee_config, environment, signed_headers
from year import FATIMA, sent_year

from besoksrapport.report import Report
from besoksrapport.storage import open_storage, sqlite_url
from besoksrapport.storage.sqlite import SqliteStorage

DRAIN_SECONDS = 45

# Fatima Said is on the unit tests' roster (year.committee()) and makes no visit.
FATIMA_TOML = f"""
[[politicians]]
id = "{FATIMA.id}"
name = "{FATIMA.name}"
role = "{FATIMA.role}"
operations = {json.dumps(list(FATIMA.operations))}
"""


def year_config(path: Path, **replace: str) -> Path:
    """The example committee with meetings ahead of today, plus Fatima, as TOML."""
    config = committee_config(path, **replace)
    with config.open("a", encoding="utf-8") as stream:
        stream.write(FATIMA_TOML)
    return config


def post(server: GunicornServer, envelope: dict, webhook_id: str) -> requests.Response:
    """One signed delivery, as the platform makes it (standardwebhooks)."""
    body = body_of(envelope)
    return requests.post(server.url + PATH, data=body,
                         headers=signed_headers(body, webhook_id=webhook_id), timeout=30)


def wait_until_drained(storage: SqliteStorage, seconds: float = DRAIN_SECONDS) -> None:
    """Until the server's worker has run every job of the outbox (no timing is asserted)."""
    deadline = time.monotonic() + seconds
    while storage.pending_jobs():
        if time.monotonic() > deadline:
            kinds = sorted(job.kind for job in storage.pending_jobs())
            raise AssertionError(f"the outbox was not drained: {kinds}")
        time.sleep(0.1)


@dataclass
class DeliveredYear:
    """The year as the server received it: answers per label, and the stored reports."""

    server: GunicornServer
    env: dict[str, str]
    data_dir: Path
    answers: dict[str, requests.Response]
    reports: dict[str, Report]  # label → the report as stored, flags included

    @property
    def ids(self) -> dict[str, str]:
        return {label: report.report_id for label, report in self.reports.items()}

    @property
    def labels(self) -> dict[str, str]:
        return {report.report_id: label for label, report in self.reports.items()}

    def run(self, *args: str) -> subprocess.CompletedProcess:
        """``besoksrapport ARGS`` as the secretary runs it, with the server's environment."""
        return subprocess.run([sys.executable, "-m", "besoksrapport.cli", *args], cwd=ROOT,
                              env=self.server.env, capture_output=True, text=True,
                              timeout=120)


@pytest.fixture(scope="module")
def year(tmp_path_factory) -> DeliveredYear:
    """Start gunicorn, post the whole year (each delivery its own webhook-id), drain."""
    base = tmp_path_factory.mktemp("e2e-rules")
    data_dir = base / "data"
    env = environment(data_dir, BESOKSRAPPORT_CONFIG=str(year_config(base / "committee.toml")))
    server = GunicornServer(env, log_path=base / "gunicorn.log").start()
    try:
        answers = {item.label: post(server, item.envelope, f"msg_year_{item.label}")
                   for item in sent_year()}
        storage = open_storage(sqlite_url(data_dir / "besoksrapport.sqlite3"))
        try:
            wait_until_drained(storage)
            assert storage.failed_jobs() == []
            days = [item.report().visit_date for item in sent_year()]
            by_submission = {report.submission_id: report
                             for report in storage.reports_between(min(days), max(days))}
        finally:
            storage.close()
        reports = {item.label: by_submission[item.envelope["data"]["submission_id"]]
                   for item in sent_year() if item.envelope["data"]["submission_id"]
                   in by_submission}
        yield DeliveredYear(server, env, data_dir, answers, reports)
    finally:
        server.stop()

