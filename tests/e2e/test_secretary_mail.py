"""The secretary's e-mail, sent by the real server to a real SMTP server (aiosmtpd).

In daily mode the digest job waits for the configured time of day; the test moves its
``not_before`` to now with SQL instead of waiting for tomorrow morning.
"""

from __future__ import annotations

import email
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from ports import free_port
from smtpserver import Inbox
from webhook_helpers import committee_config

from besoksrapport.committee_config import load_committee
from besoksrapport.pipeline import next_digest
from besoksrapport.swedish import STOCKHOLM, long_date

from .flow import (
    filed_report,
    make_due,
    pending,
    post,
    sql,
    visit_envelope,
    wait_for,
    wait_until_filed,
)

pytestmark = pytest.mark.e2e

SECRETARY = "namndsekreterare@exempelby.se"  # [secretary] emails in the example config
SENDER = "besoksrapport@exempelby.se"
EMPLOYED = ("Inskickaren har uppgett att hen är anställd i verksamheten kost. Enligt "
            "riktlinjerna ska kontaktpolitikern inte vara anställd i den verksamhet den är "
            "kontaktpolitiker för.")


def smtp_env(port: int) -> dict[str, str]:
    return {"BESOKSRAPPORT_SMTP_HOST": "127.0.0.1", "BESOKSRAPPORT_SMTP_PORT": str(port),
            "BESOKSRAPPORT_SMTP_STARTTLS": "false", "BESOKSRAPPORT_SMTP_FROM": SENDER}


def attachments(message) -> dict[str, bytes]:
    return {part.get_filename(): part.get_payload(decode=True)
            for part in message.iter_attachments()}


def test_each_filed_report_is_mailed_with_its_flags_and_the_filed_document(
        tmp_path, start_server, inbox):
    handler, port = inbox
    day = datetime.now(UTC).date() + timedelta(days=20)
    config = committee_config(tmp_path / "committee.toml", [day])
    server = start_server(tmp_path / "data", config, **smtp_env(port))

    answer = post(server, visit_envelope(0, employed_in_operation=True))
    assert answer.status_code == 201
    report_id = answer.json()["report_id"]
    wait_until_filed(server.data_dir, day, [report_id])
    wait_for(lambda: handler.messages, what="the secretary's e-mail")

    [(mail_from, recipients, raw)] = handler.messages
    assert (mail_from, recipients) == (SENDER, [SECRETARY])
    message = email.message_from_bytes(raw, policy=default)
    assert message["Subject"] == f"Ny återrapport till sammanträdet den {long_date(day)}"
    body = " ".join(message.get_body(preferencelist=("plain",)).get_content().split())
    assert f"Rapport-id: {report_id}" in body
    assert f"Att kontrollera: {EMPLOYED}" in body
    filed = filed_report(server.data_dir, day, report_id)
    assert attachments(message) == {filed.name: filed.read_bytes()}


def test_daily_digest_waits_for_its_hour_and_then_brings_every_report_in_one_mail(
        tmp_path, start_server, inbox):
    handler, port = inbox
    day = datetime.now(UTC).date() + timedelta(days=20)
    at = (datetime.now(STOCKHOLM) + timedelta(hours=12)).strftime("%H:%M")  # far from now
    config = committee_config(tmp_path / "committee.toml", [day],
                              **{'notify = "each"': 'notify = "daily"',
                                 'digest_time = "07:00"': f'digest_time = "{at}"'})
    server = start_server(tmp_path / "data", config, **smtp_env(port))

    before = datetime.now(STOCKHOLM).date()
    report_ids = []
    for number in (1, 2):
        answer = post(server, visit_envelope(number))
        assert answer.status_code == 201
        report_ids.append(answer.json()["report_id"])
    wait_until_filed(server.data_dir, day, report_ids)
    after = datetime.now(STOCKHOLM).date()

    [digest] = wait_for(lambda: pending(server.data_dir, "notify_digest"),
                        what="the digest job")
    expected = next_digest(load_committee(config).digest_at)
    assert expected.strftime("%H:%M") == at
    assert abs(digest["not_before"] - expected.timestamp()) < 1
    assert pending(server.data_dir, "notify_report") == []
    assert handler.messages == []

    assert make_due(server.data_dir, "notify_digest") == 1
    wait_for(lambda: handler.messages, what="the digest")
    wait_for(lambda: not pending(server.data_dir, "notify_digest"), what="the digest job done")
    [(_, recipients, raw)] = handler.messages
    assert recipients == [SECRETARY]
    message = email.message_from_bytes(raw, policy=default)
    assert message["Subject"] == f"2 nya återrapporter till sammanträdet den {long_date(day)}"
    body = message.get_body(preferencelist=("plain",)).get_content()
    if before == after:  # not posted across midnight
        assert body.splitlines()[2] == (
            f"Den {long_date(before)} kom det in två nya återrapporter av verksamhetsbesök. "
            "Rapporterna skickas med till Välfärd- och servicenämndens sammanträde "
            f"den {long_date(day)}.")
    files = [filed_report(server.data_dir, day, report_id) for report_id in report_ids]
    assert attachments(message) == {path.name: path.read_bytes() for path in files}


REGISTRAR = "registrator@exempelby.se"


@dataclass
class RefusingRegistrar(Inbox):
    """Accepts every recipient but the registrar, refused for good as a real server would."""

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REGISTRAR:
            return f"550 5.1.1 <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def test_a_refused_recipient_fails_the_mail_job_visibly_without_naming_the_address(
        tmp_path, start_server):
    handler = RefusingRegistrar()
    controller = Controller(handler, hostname="127.0.0.1", port=free_port())
    controller.start()
    try:
        day = datetime.now(UTC).date() + timedelta(days=20)
        config = committee_config(
            tmp_path / "committee.toml", [day],
            **{f'emails = ["{SECRETARY}"]': f'emails = ["{SECRETARY}", "{REGISTRAR}"]'})
        server = start_server(tmp_path / "data", config, **smtp_env(controller.port))
        answer = post(server, visit_envelope(0))
        assert answer.status_code == 201

        [job] = wait_for(lambda: sql(server.data_dir, "SELECT * FROM jobs WHERE "
                                     "kind = 'notify_report' AND state = 'failed'"),
                         what="the failed mail job")
    finally:
        controller.stop()

    [(_, recipients, _)] = handler.messages
    assert recipients == [SECRETARY]
    assert job["last_error"].endswith("1 of 2 recipients refused (SMTP 550)")
    assert "@" not in job["last_error"] and "registrator" not in job["last_error"]
