"""Every reason the outbox stores as a job's last error is Swedish and names no one.

The failures are real: a WebDAV server (wsgidav) and an SMTP server (aiosmtpd) on 127.0.0.1
that refuse the login, answer with an error status, accept some recipients only, speak
plain HTTP to https or show a certificate nobody trusts, and ports where nothing listens.
A report goes through the outbox (check, filing, delivery, e-mail) on the commands' desk,
then the stored texts and ``besoksrapport outbox`` are read. A fault in the program itself
cannot be made to happen for real; there a handler that raises stands in, and says so.
"""

from __future__ import annotations

import shutil
import socket
import ssl
from collections.abc import Callable, Iterator
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from pathlib import Path

import pytest
from davserver import DavServer, refusing, untrusted_https
from english import english_words
from flow import VISITS, visit_envelope
from mail_helpers import filed
from ports import HeldPort
from smtpserver import Authenticator, refusing_inbox, running_inbox, self_signed_certificate

from besoksrapport.delivery.errors import DeliveryFailed
from besoksrapport.delivery.mail import report_message
from besoksrapport.delivery.smtp import send_message
from besoksrapport.delivery.webdav import WebdavClient
from besoksrapport.outbox.jobs import DELIVER_MEETING
from besoksrapport.outbox.mail_jobs import NOTIFY_DIGEST, NOTIFY_REPORT
from besoksrapport.outbox.worker import MAX_ATTEMPTS, _describe
from besoksrapport.settings import SmtpSettings, WebdavSettings

from .conftest import Desk, run

SECRETARIES = ["namndsekreterare@exempelby.se", "registrator@exempelby.se"]
PEOPLE = [name for _, name, *_ in VISITS] + [unit for *_, unit in VISITS]


def stored_errors(desk: Desk) -> list[str]:
    jobs = [*desk.ctx.storage.pending_jobs(), *desk.ctx.storage.failed_jobs()]
    return [job.last_error for job in jobs if job.last_error]


def two_secretaries(desk: Desk) -> None:
    """The committee with two addresses, so a server can accept one and refuse the other."""
    text = desk.config.read_text(encoding="utf-8")
    desk.config.write_text(text.replace('emails = ["namndsekreterare@exempelby.se"]',
                                        f"emails = {SECRETARIES!r}".replace("'", '"')),
                           encoding="utf-8")


def wsgi_created(environ, start_response):
    environ["wsgi.input"].read()
    start_response("201 Created", [("Content-Length", "0")])
    return [b""]


@contextmanager
def dav(tmp: Path, refusals: dict[str, int] | None = None, **options) -> Iterator[str]:
    """A real wsgidav server, answering ``refusals[method]`` to those methods."""
    (tmp / "dav").mkdir(exist_ok=True)
    server = DavServer(tmp / "dav", **options)
    if refusals:
        server.server.wsgi_app = refusing(server.server.wsgi_app, refusals)
    with server:
        yield server.url


def smtp_env(port: int, **more: str) -> dict[str, str]:
    return {"SMTP_HOST": "127.0.0.1", "SMTP_PORT": str(port), "SMTP_STARTTLS": "false",
            **more}


@contextmanager
def tls_inbox(tmp: Path) -> Iterator[int]:
    cert, key = self_signed_certificate(tmp)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(cert, key)
    with running_inbox(tls_context=context, require_starttls=True) as (_, port):
        yield port


# Each makes the outbox fail one way: (servers started, settings) from the desk's tmp folder.
Scenario = Callable[[Desk, Path, ExitStack], dict[str, str]]


def answering(method: str, status: int) -> Scenario:
    """The document system answers ``status`` to ``method`` (wsgidav behind a real layer)."""
    return lambda desk, tmp, stack: {
        "WEBDAV_URL": stack.enter_context(dav(tmp, {method: status}))}


SCENARIOS: dict[str, Scenario] = {
    "webdav refuses the password": lambda desk, tmp, stack: {
        "WEBDAV_URL": stack.enter_context(dav(tmp, users={"namnd": "rätt"})),
        "WEBDAV_USERNAME": "namnd", "WEBDAV_PASSWORD": "fel-lösen-9"},
    **{f"webdav answers {method} with {status}": answering(method, status) for method, status
       in [("MKCOL", 403), ("MKCOL", 409), ("MKCOL", 503), ("PUT", 507), ("MKCOL", 302),
           ("PROPFIND", 400)]},
    "webdav down": lambda desk, tmp, stack: {  # a port held: refused, and no one else's
        "WEBDAV_URL": f"http://127.0.0.1:{stack.enter_context(HeldPort()).port}/"},
    "webdav https to an http port": lambda desk, tmp, stack: {
        "WEBDAV_URL": stack.enter_context(dav(tmp)).replace("http:", "https:")},
    "webdav untrusted certificate": lambda desk, tmp, stack: {
        "WEBDAV_URL": stack.enter_context(untrusted_https(tmp, wsgi_created))},
    "smtp down": lambda desk, tmp, stack: smtp_env(stack.enter_context(HeldPort()).port),
    "smtp refuses every recipient": lambda desk, tmp, stack: smtp_env(stack.enter_context(
        refusing_inbox(recipients={SECRETARIES[0]: "550 5.1.1 unknown"}))[1]),
    "smtp refuses one recipient for good": lambda desk, tmp, stack: (two_secretaries(desk) or
        smtp_env(stack.enter_context(
            refusing_inbox(recipients={SECRETARIES[1]: "550 5.1.1 unknown"}))[1])),
    "smtp refuses one recipient for now": lambda desk, tmp, stack: (two_secretaries(desk) or
        smtp_env(stack.enter_context(
            refusing_inbox(recipients={SECRETARIES[0]: "450 4.2.1 busy"}))[1])),
    "smtp refuses the message": lambda desk, tmp, stack: smtp_env(stack.enter_context(
        refusing_inbox(data_reply="554 5.7.1 message refused"))[1]),
    "smtp shuts down": lambda desk, tmp, stack: smtp_env(stack.enter_context(
        refusing_inbox(mail_reply="421 4.3.2 shutting down"))[1]),
    "smtp refuses the login": lambda desk, tmp, stack: smtp_env(stack.enter_context(
        running_inbox(authenticator=Authenticator("namnd", "rätt"), auth_require_tls=False))[1],
        SMTP_USERNAME="namnd", SMTP_PASSWORD="fel-lösen-9"),
    "smtp offers no login": lambda desk, tmp, stack: smtp_env(stack.enter_context(
        running_inbox())[1], SMTP_USERNAME="namnd", SMTP_PASSWORD="lösen"),
    "smtp untrusted certificate": lambda desk, tmp, stack: smtp_env(stack.enter_context(
        tls_inbox(tmp)), SMTP_STARTTLS="true"),
}


@pytest.mark.parametrize("scenario", list(SCENARIOS))
def test_a_failed_delivery_is_stored_and_shown_in_swedish_without_names(desk, tmp_path,
                                                                         capsys, scenario):
    if shutil.which("openssl") is None and "certificate" in scenario:
        pytest.skip("the openssl command makes the test certificate and is not installed")
    with ExitStack() as servers:
        desk.configure(**SCENARIOS[scenario](desk, tmp_path, servers))
        desk.receive(visit_envelope(1), desk.first)
        desk.work()
        errors = stored_errors(desk)
    _, shown, _ = run(capsys, "outbox")
    assert errors, scenario
    assert [text for text in [*errors, shown] if english_words(text)] == []
    assert [person for person in PEOPLE if any(person in text for text in errors)] == []
    assert "@" not in " ".join(errors)


def fail(desk: Desk, kind: str, payload: dict) -> str:
    """Queue a job as the outbox would and run it; its stored last error."""
    job_id = desk.ctx.storage.enqueue(kind, payload)
    desk.work()
    jobs = [*desk.ctx.storage.pending_jobs(), *desk.ctx.storage.failed_jobs()]
    [job] = [job for job in jobs if job.id == job_id]
    return job.last_error


def test_work_that_can_no_longer_be_done_is_explained_in_swedish(desk, inbox):
    report = desk.receive(visit_envelope(1), desk.first)
    desk.work()
    texts = {
        "no document system": fail(desk, DELIVER_MEETING,
                                   {"meeting_date": desk.first.isoformat()}),
        "no mail server": fail(desk, NOTIFY_REPORT, {"report_id": report.report_id}),
        "report gone": fail(desk, "process_report", {"report_id": "BR-2026-GONE00"}),
        "unknown kind": fail(desk, "from_a_newer_version", {}),
    }
    desk.configure(**smtp_env(inbox[1]))
    texts["recipient gone"] = fail(desk, NOTIFY_REPORT, {"report_id": report.report_id,
                                                         "recipients": [7]})
    texts["digest of a report gone"] = fail(desk, NOTIFY_DIGEST, {
        "report_ids": ["BR-2026-GONE00"], "recipients": [0]})
    assert texts["no mail server"] == \
        "Ingen e-postserver är inställd (BESOKSRAPPORT_SMTP_HOST saknas)."
    assert [case for case, text in texts.items() if english_words(text)] == []


def test_a_folder_that_cannot_be_written_is_explained_in_swedish(desk):
    desk.meeting_dir(desk.first).parent.write_text("en fil där mappen skulle ligga")
    desk.receive(visit_envelope(1), desk.first)
    desk.work()
    [filing] = desk.ctx.storage.pending_jobs("file_meeting")
    assert filing.last_error.startswith("Systemfel: ")
    assert english_words(filing.last_error) == []


def test_a_job_whose_process_died_every_time_is_explained_in_swedish(desk):
    desk.receive(visit_envelope(1), desk.first)
    desk.work(limit=1)  # the check runs and queues the filing
    for _ in range(MAX_ATTEMPTS):  # the process dies while filing: no outcome, lease runs out
        desk.ctx.storage.claim_job(datetime.now(UTC), lease_seconds=0)
    desk.work()
    [text] = stored_errors(desk)
    assert text.startswith("Gav upp efter")
    assert english_words(text) == []


def test_a_fault_in_the_program_is_named_by_its_class_only_in_swedish(desk):
    # A stand-in: no real input makes our code fail, so a handler raises what a bug would.
    def buggy(job, ctx):
        raise KeyError("Anna Lindqvist")

    desk.ctx.handlers = {**desk.ctx.handlers, "buggy": buggy}
    text = fail(desk, "buggy", {})
    assert text == "Oväntat fel i programmet (KeyError); kontakta den som sköter systemet."


def test_timeouts_and_cut_off_answers_are_described_in_swedish(committee):
    """The clients' short timeouts here; the outbox's own are seconds to a minute."""
    texts = []
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        client = WebdavClient(WebdavSettings(url=f"http://127.0.0.1:{port}/"), timeout=(2, 0.3))
        with pytest.raises(DeliveryFailed) as webdav:
            client.put("2026-12-10", "a.docx", b"x")
        texts.append(_describe(webdav.value))
        message = report_message(committee, filed(1), sender="a@exempelby.se",
                                 recipients=SECRETARIES)
        with pytest.raises(DeliveryFailed) as smtp:
            send_message(SmtpSettings(host="127.0.0.1", port=port, starttls=False), message,
                         timeout=0.5)
        texts.append(_describe(smtp.value))
    assert [text for text in texts if english_words(text)] == []
    assert "inget svar inom tidsgränsen" in texts[0] and "tidsgränsen" in texts[1]

