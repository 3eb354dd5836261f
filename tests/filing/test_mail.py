"""Mail to the secretary, received by a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import email
import shutil
import ssl
from datetime import date
from email.policy import default

import pytest
from ports import free_port
from smtpserver import Authenticator, running_inbox, self_signed_certificate

from besoksrapport.filing.errors import DeliveryFailed
from besoksrapport.mail import FiledDocument, digest_message, report_message, send_message
from besoksrapport.settings import SmtpSettings

from .conftest import make_report

SENDER = "besoksrapport@exempelby.se"
SECRETARY = ["namndsekreterare@exempelby.se", "registrator@exempelby.se"]
DOCUMENT = bytes(range(256)) * 40  # any bytes: the attachment must arrive unchanged


def filed(number: int, **answers) -> FiledDocument:
    report = make_report(number, **answers)
    name = f"2026-10-0{number} Kost Cecilia Öberg BR-{number:04d}.docx"
    return FiledDocument(report=report, file_name=name, data=DOCUMENT + bytes([number]))


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=default)


def test_report_mail_arrives_with_swedish_subject_recipients_and_identical_attachment(
        inbox, committee):
    handler, port = inbox
    item = filed(1, operation="kost", unit="Centralköket")
    message = report_message(committee, item, sender=SENDER, recipients=SECRETARY)
    send_message(SmtpSettings(host="127.0.0.1", port=port, starttls=False, sender=SENDER),
                 message)

    [(mail_from, rcpt_tos, raw)] = handler.messages
    assert mail_from == SENDER
    assert rcpt_tos == SECRETARY
    assert b"\xc3\xa5" not in raw.split(b"\r\n\r\n")[0]  # headers are 7-bit, encoded
    received = parse(raw)
    assert received["Subject"] == "Ny återrapport till sammanträdet den 10 december 2026"
    body = received.get_body(preferencelist=("plain",)).get_content()
    assert "Välfärd- och servicenämndens sammanträde den 10 december 2026" in body
    assert "Verksamhet: Kost" in body
    assert "Enhet: Centralköket" in body
    assert "Besöksdatum: 2 oktober 2026" in body
    [attachment] = list(received.iter_attachments())
    assert attachment.get_filename() == item.file_name
    assert attachment.get_content_type().endswith("wordprocessingml.document")
    assert attachment.get_content() == item.data


def test_report_mail_body_repeats_no_answer_text(committee):
    item = filed(2)
    message = report_message(committee, item, sender=SENDER, recipients=SECRETARY)
    body = message.get_body(preferencelist=("plain",)).get_content()
    for free_text in ("unit_news", "operation_raises"):
        answer = item.report.answers.get(free_text)
        if answer:
            assert answer not in body
    assert item.report.submitter.name not in body


def test_digest_attaches_every_report_in_meeting_and_visit_order(inbox, committee):
    handler, port = inbox
    items = [filed(3), filed(1), filed(2)]
    message = digest_message(committee, items, day=date(2026, 11, 5), sender=SENDER,
                             recipients=SECRETARY[:1])
    send_message(SmtpSettings(host="127.0.0.1", port=port, starttls=False), message)

    [(_, rcpt_tos, raw)] = handler.messages
    assert rcpt_tos == SECRETARY[:1]
    received = parse(raw)
    assert received["Subject"] == "3 nya återrapporter till sammanträdet den 10 december 2026"
    attachments = list(received.iter_attachments())
    assert [a.get_filename() for a in attachments] == [i.file_name for i in
                                                       sorted(items, key=lambda i: i.file_name)]
    assert [a.get_content() for a in attachments] == [filed(n).data for n in (1, 2, 3)]
    body = received.get_body(preferencelist=("plain",)).get_content()
    assert "arkiverades 5 november 2026" in body
    assert body.index("BR-0001") < body.index("BR-0002") < body.index("BR-0003")


def test_digest_over_several_meetings_says_so(committee):
    items = [filed(1), FiledDocument(make_report(2, meeting=date(2027, 1, 28)), "b.docx", b"b")]
    message = digest_message(committee, items, day=date(2026, 11, 5), sender=SENDER,
                             recipients=SECRETARY)
    assert message["Subject"] == "2 nya återrapporter till nämndens sammanträden"


def test_no_recipients_is_refused(committee):
    with pytest.raises(ValueError, match="no recipients"):
        report_message(committee, filed(1), sender=SENDER, recipients=[])


def test_smtp_server_down_is_retryable(committee):
    message = report_message(committee, filed(1), sender=SENDER, recipients=SECRETARY)
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), starttls=False)
    with pytest.raises(DeliveryFailed) as failure:
        send_message(settings, message, timeout=5)
    assert failure.value.retryable


@pytest.fixture
def tls_inbox(tmp_path):
    if shutil.which("openssl") is None:
        pytest.skip("no openssl command to make a test certificate")
    cert, key = self_signed_certificate(tmp_path)
    server_context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_context.load_cert_chain(cert, key)
    client_context = ssl.create_default_context(cafile=str(cert))
    with running_inbox(tls_context=server_context, require_starttls=True,
                       authenticator=Authenticator("sekreterare", "lösen-åäö"),
                       auth_require_tls=True) as (handler, port):
        yield handler, port, client_context


def test_starttls_with_login_delivers(tls_inbox, committee):
    handler, port, client_context = tls_inbox
    settings = SmtpSettings(host="127.0.0.1", port=port, starttls=True, username="sekreterare",
                            password="lösen-åäö")
    message = report_message(committee, filed(1), sender=SENDER, recipients=SECRETARY)
    send_message(settings, message, ssl_context=client_context)
    [(_, _, raw)] = handler.messages
    assert next(parse(raw).iter_attachments()).get_content() == filed(1).data


def test_wrong_password_is_not_retryable(tls_inbox, committee):
    _, port, client_context = tls_inbox
    settings = SmtpSettings(host="127.0.0.1", port=port, starttls=True, username="sekreterare",
                            password="fel")
    message = report_message(committee, filed(1), sender=SENDER, recipients=SECRETARY)
    with pytest.raises(DeliveryFailed) as failure:
        send_message(settings, message, ssl_context=client_context)
    assert not failure.value.retryable


def test_untrusted_certificate_is_not_retryable(tls_inbox, committee):
    _, port, _ = tls_inbox
    settings = SmtpSettings(host="127.0.0.1", port=port, starttls=True)
    message = report_message(committee, filed(1), sender=SENDER, recipients=SECRETARY)
    with pytest.raises(DeliveryFailed) as failure:
        send_message(settings, message, timeout=5)
    assert not failure.value.retryable
