"""The secretary's page in tests: a service with the page on, filled as the webhook fills it.

The app is the real one (``webhook.create_app``) with the page turned on by its settings,
a local account made as ``besoksrapport user add`` makes it, and reports stored with the
webhook's own calls; the outbox runs when a test says so (``work``). The Flask test client
plays the browser: ``Secretary`` logs in through the login form and posts forms with the
CSRF token the page gave it.
"""

from __future__ import annotations

import functools
import json
import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import requests
from flask import Flask
from flask.testing import FlaskClient
from flow import visit_envelope
from webhook_helpers import committee_config, environment
from werkzeug.test import TestResponse

from besoksrapport.form.validation import validate_envelope
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.jobs import jobs_for_new_report
from besoksrapport.outbox.worker import run_pending
from besoksrapport.report import Report
from besoksrapport.secretary.accounts import hash_password

TODAY = datetime.now(UTC).date()
PASSWORD = "korrekt häst batteri häftklammer"
SESSION_SECRET = "en-lång-hemlighet-för-sessionerna-i-testerna-0123456789"
ACCOUNT = "sekreterare"
OUTSIDER = "obehorig"  # a local account that is not in BESOKSRAPPORT_SECRETARIES
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')
EXPORT_PROCESS = b"besoksrapport.cli.export_process"  # a heavy export's own process


def page_environment(data_dir: Path, config: Path, **extra: str) -> dict[str, str]:
    """The service's settings with the secretary's page on."""
    page = {"BESOKSRAPPORT_SECRETARIES": f"{ACCOUNT} anna.berg@exempelby.se",
            "BESOKSRAPPORT_SESSION_SECRET": SESSION_SECRET, **extra}
    return environment(data_dir, BESOKSRAPPORT_CONFIG=str(config), **page)


@functools.cache
def _hash(password: str) -> str:
    return hash_password(password)  # Argon2id is slow by design: once per test process


def add_account(ctx: Context, name: str, password: str = PASSWORD) -> None:
    """As ``besoksrapport user add`` stores it."""
    ctx.storage.save_account(name, _hash(password), datetime.now(UTC))


@dataclass
class Office:
    """The app, its context and the meetings of the test calendar."""

    app: Flask
    ctx: Context
    past: date
    first: date
    second: date
    data_dir: Path

    def receive(self, number: int, meeting: date | None = None, **answers) -> Report:
        envelope = visit_envelope(number, **answers)
        assert validate_envelope(envelope) == []
        raw = json.dumps(envelope, ensure_ascii=False).encode()
        report, created = self.ctx.storage.record_report(
            f"msg_{uuid.uuid4().hex}", raw, envelope, datetime.now(UTC),
            meeting or self.first, jobs=jobs_for_new_report())
        assert created
        return report

    def refuse(self, envelope: dict) -> None:
        issues = validate_envelope(envelope)
        assert issues
        self.ctx.storage.record_quarantine(f"msg_{uuid.uuid4().hex}",
                                           json.dumps(envelope).encode(), issues,
                                           datetime.now(UTC))

    def work(self) -> None:
        run_pending(self.ctx, limit=100)

    def folder(self, day: date) -> Path:
        return self.data_dir / "meetings" / day.isoformat()


def make_office(tmp_path: Path, **extra: str) -> Iterator[Office]:
    from webhook import create_app

    past, first, second = (TODAY + timedelta(days=n) for n in (-30, 20, 48))
    config = committee_config(tmp_path / "committee.toml", [past, first, second])
    data_dir = tmp_path / "data"
    app = create_app(page_environment(data_dir, config, BESOKSRAPPORT_RUN_WORKER="false",
                                      **extra))
    app.config["TESTING"] = True
    ctx = app.extensions["besoksrapport"].ctx
    add_account(ctx, ACCOUNT)
    add_account(ctx, OUTSIDER)
    yield Office(app, ctx, past, first, second, data_dir)
    ctx.storage.close()


class Secretary:
    """A browser on the page: follows the forms it was given, with their CSRF tokens."""

    def __init__(self, client: FlaskClient):
        self.client = client
        self.token: str | None = None

    def get(self, path: str) -> TestResponse:
        response = self.client.get(path)
        found = CSRF.search(response.get_data(as_text=True)) if response.mimetype == \
            "text/html" else None
        if found:
            self.token = found.group(1)
        return response

    def post(self, path: str, data: dict[str, str] | None = None, *,
             csrf: bool = True) -> TestResponse:
        form = dict(data or {})
        if csrf:
            assert self.token, "no page with a form was opened first"
            form["csrf_token"] = self.token
        return self.client.post(path, data=form)

    def login(self, name: str = ACCOUNT, password: str = PASSWORD) -> TestResponse:
        self.get("/sekreterare/logga-in")
        return self.post("/sekreterare/logga-in", {"konto": name, "losenord": password})


class Browser:
    """The secretary's browser on plain http to 127.0.0.1: keeps the session cookie the page
    marks Secure, as a browser does for a local address (requests would drop it)."""

    def __init__(self, server):
        self.server, self.cookies = server, {}

    def request(self, method: str, path: str, **kwargs) -> requests.Response:
        answer = requests.request(method, self.server.url + path, cookies=self.cookies,
                                  allow_redirects=False, timeout=30, **kwargs)
        self.cookies.update({cookie.name: cookie.value for cookie in answer.cookies})
        return answer

    def log_in(self) -> None:
        token = CSRF.search(self.request("GET", "/sekreterare/logga-in").text).group(1)
        answer = self.request("POST", "/sekreterare/logga-in",
                              data={"konto": ACCOUNT, "losenord": PASSWORD, "csrf_token": token})
        assert answer.status_code in (302, 303), answer.status_code
        assert "logga-ut" in self.request("GET", "/sekreterare/").text

    def token(self, path: str) -> str:
        """The CSRF token of the form on the page at ``path``."""
        return CSRF.search(self.request("GET", path).text).group(1)


def export_processes(parents: list[int]) -> list[int]:
    """The export processes these processes started (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                argv = (entry / "cmdline").read_bytes().split(b"\0")
                parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            if EXPORT_PROCESS in argv and parent in parents:
                found.append(int(entry.name))
    return found
