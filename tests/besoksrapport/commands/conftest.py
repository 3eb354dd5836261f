"""A committee's storage filled the way the webhook fills it, for the secretary's commands.

Reports are recorded with the webhook's own calls (``validate_envelope``, ``record_report``
with ``jobs_for_new_report``, ``record_quarantine``) and the outbox is run with
``run_pending``; the commands then run in-process through ``besoksrapport.cli.main`` with
the settings in the environment, as the secretary would start them.
"""

from __future__ import annotations

import json
import logging
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from davserver import DavServer
from flow import visit_envelope
from webhook_helpers import committee_config

from besoksrapport.cli.main import main
from besoksrapport.form.validation import validate_envelope
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.jobs import jobs_for_new_report
from besoksrapport.outbox.worker import run_pending
from besoksrapport.report import Report
from besoksrapport.runtime import build_context
from besoksrapport.settings import load_settings

TODAY = datetime.now(UTC).date()
SECRET_ANSWER = "Personalen berättade i förtroende om en svår situation på avdelning 3."


@dataclass
class Desk:
    """The secretary's data folder, configuration and an open context."""

    data_dir: Path
    config: Path
    past: date  # a meeting already held
    first: date  # the next meeting
    second: date  # the one after
    ctx: Context
    monkeypatch: pytest.MonkeyPatch

    def configure(self, **env: str) -> None:
        """Set more BESOKSRAPPORT_* settings and reopen the context with them."""
        for name, value in env.items():
            self.monkeypatch.setenv(f"BESOKSRAPPORT_{name}", value)
        self.ctx.storage.close()
        self.ctx = build_context(load_settings(require_secrets=False))

    def receive(self, envelope: dict, meeting: date | None) -> Report:
        """Store a delivery as the webhook does (validated, with its jobs)."""
        assert validate_envelope(envelope) == []
        raw = json.dumps(envelope, ensure_ascii=False).encode()
        report, created = self.ctx.storage.record_report(
            f"msg_{uuid.uuid4().hex}", raw, envelope, datetime.now(UTC), meeting,
            jobs=jobs_for_new_report())
        assert created
        return report

    def refuse(self, envelope: dict) -> None:
        """Keep an invalid delivery in quarantine as the webhook does."""
        issues = validate_envelope(envelope)
        assert issues
        raw = json.dumps(envelope, ensure_ascii=False).encode()
        self.ctx.storage.record_quarantine(f"msg_{uuid.uuid4().hex}", raw, issues,
                                           datetime.now(UTC))

    def work(self, limit: int = 100) -> None:
        run_pending(self.ctx, limit=limit)

    def meeting_dir(self, day: date) -> Path:
        return self.data_dir / "meetings" / day.isoformat()


@pytest.fixture
def desk(tmp_path, monkeypatch) -> Iterator[Desk]:
    past, first, second = (TODAY + timedelta(days=n) for n in (-30, 20, 48))
    config = committee_config(tmp_path / "committee.toml", [past, first, second])
    data_dir = tmp_path / "data"
    monkeypatch.setenv("BESOKSRAPPORT_DATA_DIR", str(data_dir))
    monkeypatch.setenv("BESOKSRAPPORT_CONFIG", str(config))
    for name in ("WEBHOOK_SECRETS", "TEMPLATE", "SMTP_HOST", "WEBDAV_URL"):
        monkeypatch.delenv(f"BESOKSRAPPORT_{name}", raising=False)
    # A command runs in a process of its own, where the web app's JSON log lines to stderr
    # (set up once per process by an earlier web app test) do not exist.
    for name in ("besoksrapport", "webhook"):
        monkeypatch.setattr(logging.getLogger(name), "handlers", [])
        monkeypatch.setattr(logging.getLogger(name), "propagate", True)
    data_dir.mkdir()
    ctx = build_context(load_settings(require_secrets=False))
    desk = Desk(data_dir, config, past, first, second, ctx, monkeypatch)
    yield desk
    desk.ctx.storage.close()


@pytest.fixture
def refusing_dav(tmp_path):
    (tmp_path / "dav").mkdir()
    with DavServer(tmp_path / "dav", users={"namnd": "rätt-lösen"}) as server:
        yield server


@pytest.fixture
def busy(desk, refusing_dav):
    """Two reports for the next meeting (one flagged), delivery refused; one report for the
    meeting after, not filed yet; one report waiting for a meeting; one refused delivery."""
    desk.configure(WEBDAV_URL=refusing_dav.url, WEBDAV_USERNAME="namnd",
                   WEBDAV_PASSWORD="fel-lösen")
    flagged = desk.receive(visit_envelope(0, employed_in_operation=True), desk.first)
    plain = desk.receive(visit_envelope(1), desk.first)
    desk.receive(visit_envelope(2), None)
    desk.work()
    later = desk.receive(visit_envelope(3), desk.second)
    desk.work(limit=1)  # its check runs; the filing it queues is still pending
    broken = visit_envelope(4, unit_news=SECRET_ANSWER, end_time="08:00")
    del broken["data"]["answers"]["unit"]
    desk.refuse(broken)
    return {"flagged": flagged, "plain": plain, "later": later, "broken": broken}


def run(capsys, *argv: str) -> tuple[int, str, str]:
    """Run a command as the secretary would; (exit code, stdout, stderr)."""
    code = main(list(argv))
    printed = capsys.readouterr()
    return code, printed.out, printed.err

