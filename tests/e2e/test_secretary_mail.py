"""The secretary's e-mail, sent by the real server to a real SMTP server (aiosmtpd).

In daily mode the digest job waits for the configured time of day; the test moves its
``not_before`` to now with SQL instead of waiting for tomorrow morning.
"""

from __future__ import annotations

import email
import json
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.policy import default

import pytest
from aiosmtpd.controller import Controller
from flow import (
    filed_report,
    make_due,
    pending,
    post,
    sql,
    visit_envelope,
    wait_for,
    wait_until_filed,
)
from ports import free_port
from smtpserver import Inbox
from webhook_helpers import committee_config

from besoksrapport.committee.config import load_committee
from besoksrapport.outbox.mail_jobs import next_digest
from besoksrapport.swedish import STOCKHOLM, long_date

pytestmark = pytest.mark.e2e

SECRETARY = "namndsekreterare@exempelby.se"  # [secretary] emails in the example config
SENDER = "besoksrapport@exempelby.se"
PARTLY = "meddelandet skickades, men 1 av 2 mottagare nekades (SMTP"  # + " 550)"
EMPLOYED = ("Kontaktpolitikern har uppgett att hen är anställd i verksamheten kost. Enligt "
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
BOTH = {f'emails = ["{SECRETARY}"]': f'emails = ["{SECRETARY}", "{REGISTRAR}"]'}
DAILY = {'notify = "each"': 'notify = "daily"'}
MAIL_WORK = ("process_report", "file_meeting", "notify_report", "notify_digest")


@dataclass
class RefusingRegistrar(Inbox):
    """Accepts every recipient but the registrar, whose first ``times`` RCPTs get ``reply``.

    The reply quotes her address, as a real server's does.
    """

    reply: str = "550 5.1.1"
    times: int = 1_000_000
    refusals: int = 0

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address == REGISTRAR and self.refusals < self.times:
            self.refusals += 1
            return f"{self.reply} <{address}>: Recipient address rejected"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    def report_ids(self, address: str) -> list[list[str]]:
        """The report ids in each mail the address received, in order of arrival."""
        return [re.findall(r"Rapport-id: (\S+)", email.message_from_bytes(raw, policy=default)
                           .get_body(preferencelist=("plain",)).get_content())
                for _, recipients, raw in self.messages if address in recipients]


@pytest.fixture
def registrar_refused(tmp_path, start_server):
    """Start the server against a ``RefusingRegistrar``: call with its options and config lines."""
    controllers = []

    def start(config_lines: dict[str, str], **refusal):
        handler = RefusingRegistrar(**refusal)
        controller = Controller(handler, hostname="127.0.0.1", port=free_port())
        controller.start()
        controllers.append(controller)
        day = datetime.now(UTC).date() + timedelta(days=20)
        config = committee_config(tmp_path / "committee.toml", [day], **config_lines)
        return start_server(tmp_path / "data", config, **smtp_env(controller.port)), handler, day

    yield start
    for controller in controllers:
        controller.stop()


def jobs(server, kind: str, state: str) -> list:
    return sql(server.data_dir, "SELECT * FROM jobs WHERE kind = ? AND state = ? ORDER BY id",
               (kind, state))


def post_report(server, number: int) -> str:
    answer = post(server, visit_envelope(number))
    assert answer.status_code == 201
    return answer.json()["report_id"]


def settled(server) -> bool:
    """No filing or mail work is waiting (a job retrying later still counts as waiting)."""
    return not pending(server.data_dir, *MAIL_WORK)


def assert_names_no_address(text: str) -> None:
    assert "@" not in text and "registrator" not in text and "namndsekreterare" not in text


def test_a_permanently_refused_recipient_fails_the_job_and_the_others_get_the_report_once(
        registrar_refused):
    server, handler, day = registrar_refused(BOTH)
    first = post_report(server, 0)
    [job] = wait_for(lambda: jobs(server, "notify_report", "failed"), what="the failed mail job")
    assert job["last_error"].endswith(f"{PARTLY} 550)")
    assert_names_no_address(job["last_error"])

    second = post_report(server, 1)  # refiles the meeting, which queues mail for what is new
    wait_until_filed(server.data_dir, day, [first, second])
    wait_for(lambda: len(handler.report_ids(SECRETARY)) == 2 and settled(server),
             what="the second report's mail")
    assert make_due(server.data_dir, "notify_report") == 0  # nothing left to run again
    assert handler.report_ids(SECRETARY) == [[first], [second]]
    assert handler.report_ids(REGISTRAR) == []
    assert len(jobs(server, "notify_report", "failed")) == 2


def test_a_temporarily_refused_recipient_gets_the_report_in_a_follow_up_of_her_own(
        registrar_refused):
    # Refused in the first mail and in the follow-up's first try; accepted in its retry.
    server, handler, _ = registrar_refused(BOTH, reply="450 4.2.1", times=2)
    report_id = post_report(server, 0)
    [job] = wait_for(lambda: jobs(server, "notify_report", "failed"), what="the failed mail job")
    assert f"{PARTLY} 450)" in job["last_error"]
    assert_names_no_address(job["last_error"])

    [follow_up] = wait_for(lambda: [row for row in pending(server.data_dir, "notify_report")
                                    if row["last_error"] and row["lease_until"] is None],
                           what="the follow-up's retry")
    assert json.loads(follow_up["payload_json"]) == {"report_id": report_id, "recipients": [1]}
    assert follow_up["last_error"].endswith(": 1 av 1 mottagare nekades (SMTP 450)")
    assert make_due(server.data_dir, "notify_report") == 1
    wait_for(lambda: handler.report_ids(REGISTRAR) and settled(server), what="the follow-up")

    assert handler.report_ids(SECRETARY) == [[report_id]]
    assert handler.report_ids(REGISTRAR) == [[report_id]]
    assert [row["id"] for row in jobs(server, "notify_report", "done")] == [follow_up["id"]]


def test_a_digest_with_a_refused_recipient_is_not_repeated_in_the_next_digest(
        registrar_refused):
    server, handler, day = registrar_refused({**BOTH, **DAILY})
    first = post_report(server, 0)
    wait_until_filed(server.data_dir, day, [first])
    assert make_due(server.data_dir, "notify_digest") == 1
    [job] = wait_for(lambda: jobs(server, "notify_digest", "failed"), what="the failed digest")
    assert job["last_error"].endswith(f"{PARTLY} 550)")
    assert_names_no_address(job["last_error"])

    second = post_report(server, 1)
    wait_until_filed(server.data_dir, day, [first, second])
    wait_for(lambda: pending(server.data_dir, "notify_digest"), what="the next digest job")
    assert make_due(server.data_dir, "notify_digest") == 1
    wait_for(lambda: len(handler.report_ids(SECRETARY)) == 2 and settled(server),
             what="the next digest")
    assert handler.report_ids(SECRETARY) == [[first], [second]]


def test_a_digest_temporarily_refused_for_one_recipient_follows_up_with_the_same_reports(
        registrar_refused):
    server, handler, day = registrar_refused({**BOTH, **DAILY}, reply="451 4.3.0", times=1)
    report_ids = [post_report(server, number) for number in (0, 1)]
    wait_until_filed(server.data_dir, day, report_ids)
    assert make_due(server.data_dir, "notify_digest") == 1
    wait_for(lambda: handler.report_ids(REGISTRAR) and settled(server), what="the follow-up")

    assert handler.report_ids(SECRETARY) == [report_ids]  # in visit order, as posted
    assert handler.report_ids(REGISTRAR) == [report_ids]
    [failed] = jobs(server, "notify_digest", "failed")
    assert f"{PARTLY} 451)" in failed["last_error"]
    [done] = jobs(server, "notify_digest", "done")
    assert json.loads(done["payload_json"])["recipients"] == [1]
    assert "@" not in done["payload_json"]


@pytest.mark.parametrize(("reply", "state"), [("450 4.2.1", "pending"), ("550 5.1.1", "failed")])
def test_when_no_recipient_accepts_the_mail_is_retried_or_failed_as_before(
        registrar_refused, reply, state):
    only_registrar = {f'emails = ["{SECRETARY}"]': f'emails = ["{REGISTRAR}"]'}
    server, handler, _ = registrar_refused(only_registrar, reply=reply)
    report_id = post_report(server, 0)
    [job] = wait_for(lambda: [row for row in jobs(server, "notify_report", state)
                              if row["last_error"]], what="the refused mail job")

    assert handler.messages == []
    assert job["last_error"].endswith(f": 1 av 1 mottagare nekades (SMTP {reply[:3]})")
    assert "meddelandet skickades" not in job["last_error"]
    [notification] = sql(server.data_dir, "SELECT sent_at FROM notifications "
                         "WHERE report_id = ?", (report_id,))
    assert notification["sent_at"] is None  # still due: nobody has it
