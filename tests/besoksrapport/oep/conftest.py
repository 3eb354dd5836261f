"""A fake Open ePlatform on 127.0.0.1 and a committee that polls it.

The platform is tests/support/fake_oep.py (a WSGI app under a real cheroot server, built
from the real artefacts); the committee is the example with meetings ahead of today and
the settings in the environment, so the commands run in-process as an operator runs them.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from fake_oep import PASSWORD, USERNAME, FakeOep
from oep_instances import flow_instance_xml
from webhook_helpers import committee_config

from besoksrapport.oep.poller import PollResult, poll_once
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.worker import Outcome, run_pending
from besoksrapport.runtime import build_context
from besoksrapport.settings import load_settings

TODAY = datetime.now(UTC).date()


@dataclass
class Platform:
    """The fake platform, and our service's data folder and context polling it."""

    fake: FakeOep
    data_dir: Path
    config: Path
    meetings: list[date]
    env: dict[str, str]
    ctx: Context

    def submit(self, number: int, *, added: datetime | None = None, **build: Any) -> bytes:
        """A politician sends in flow instance ``number``; returns its XML."""
        xml = flow_instance_xml(number, **build)
        self.fake.add(number, xml, added or datetime.now(UTC))
        return xml

    def poll(self, **kwargs: Any) -> PollResult:
        result = poll_once(self.ctx, **kwargs)
        assert result is not None
        return result

    def work(self) -> list[Outcome]:
        """Run the outbox until nothing is due (filing, documents, the callbacks)."""
        return run_pending(self.ctx, limit=200)

    def meeting_dir(self, day: date) -> Path:
        return self.data_dir / "meetings" / day.isoformat()

    def reopen(self) -> None:
        self.ctx.storage.close()
        self.ctx = build_context(load_settings(self.env, require_secrets=False))


@pytest.fixture
def oep() -> Iterator[FakeOep]:
    with FakeOep() as fake:
        yield fake


@pytest.fixture
def platform(tmp_path, oep, monkeypatch) -> Iterator[Platform]:
    meetings = [TODAY + timedelta(days=n) for n in (20, 50)]
    config = committee_config(tmp_path / "committee.toml", meetings)
    data_dir = tmp_path / "data"
    env = {"BESOKSRAPPORT_DATA_DIR": str(data_dir), "BESOKSRAPPORT_CONFIG": str(config),
           "BESOKSRAPPORT_OEP_URL": oep.url, "BESOKSRAPPORT_OEP_USERNAME": USERNAME,
           "BESOKSRAPPORT_OEP_PASSWORD": PASSWORD}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    for name in ("WEBHOOK_SECRETS", "TEMPLATE", "SMTP_HOST", "WEBDAV_URL"):
        monkeypatch.delenv(f"BESOKSRAPPORT_{name}", raising=False)
    for name in ("besoksrapport", "webhook"):  # commands print; a web app's JSON log is not ours
        monkeypatch.setattr(logging.getLogger(name), "handlers", [])
        monkeypatch.setattr(logging.getLogger(name), "propagate", True)
    ctx = build_context(load_settings(env, require_secrets=False))
    platform = Platform(oep, data_dir, config, meetings, env, ctx)
    yield platform
    platform.ctx.storage.close()
