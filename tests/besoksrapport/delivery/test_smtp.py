"""Sending mail (delivery/smtp.py) to a real SMTP server (aiosmtpd) on 127.0.0.1."""

from __future__ import annotations

import shutil
import socket
import ssl

import pytest
from mail_helpers import SECRETARY, SENDER, filed, parse
from ports import free_port
from smtpserver import Authenticator, refusing_inbox, running_inbox, self_signed_certificate

from besoksrapport.delivery.errors import DeliveryFailed
from besoksrapport.delivery.mail import report_message
from besoksrapport.delivery.smtp import PartlyDelivered, send_message, temporary
from besoksrapport.settings import SmtpSettings


def test_smtp_server_down_is_retryable(committee):
    message = report_message(committee, filed(1), sender=SENDER, recipients=SECRETARY)
    settings = SmtpSettings(host="127.0.0.1", port=free_port(), starttls=False)
    with pytest.raises(DeliveryFailed) as failure:
        send_message(settings, message, timeout=5)
    assert failure.value.retryable
    assert str(failure.value) == (f"E-postservern 127.0.0.1:{settings.port}: anslutningen "
                                  "nekades (errno 111, ECONNREFUSED)")


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
    assert str(failure.value).endswith("serverns certifikat godtogs inte: certifikatet är "
                                       "självsignerat (CERTIFICATE_VERIFY_FAILED)")


def send_to(port: int, committee, recipients=SECRETARY) -> DeliveryFailed:
    message = report_message(committee, filed(1), sender=SENDER, recipients=recipients)
    with pytest.raises(DeliveryFailed) as failure:
        send_message(SmtpSettings(host="127.0.0.1", port=port, starttls=False), message,
                     timeout=5)
    return failure.value


def assert_names_no_address(error: DeliveryFailed) -> None:
    text = str(error)
    assert "@" not in text
    for address in (*SECRETARY, SENDER):
        assert address.partition("@")[0] not in text


def test_one_permanently_refused_recipient_is_reported_as_partly_delivered_by_position(
        committee):
    with refusing_inbox(recipients={SECRETARY[1]: "550 5.1.1 mailbox unavailable"}) as (
            handler, port):
        error = send_to(port, committee)

    [(_, rcpt_tos, _)] = handler.messages
    assert rcpt_tos == SECRETARY[:1]
    assert isinstance(error, PartlyDelivered)
    assert (error.refused, error.total) == ({1: 550}, 2)
    assert not error.retryable
    assert error.status == 550
    assert str(error).endswith("meddelandet skickades, men 1 av 2 mottagare nekades (SMTP 550)")
    assert_names_no_address(error)


def test_one_temporarily_refused_recipient_is_partly_delivered_and_retryable(committee):
    with refusing_inbox(recipients={SECRETARY[0]: "450 4.2.1 mailbox busy"}) as (handler, port):
        error = send_to(port, committee)

    [(_, rcpt_tos, _)] = handler.messages
    assert rcpt_tos == SECRETARY[1:]
    assert isinstance(error, PartlyDelivered)
    assert error.refused == {0: 450}
    assert error.retryable
    assert error.status == 450
    assert_names_no_address(error)


def test_temporary_and_permanent_refusals_together_are_permanent(committee):
    replies = {SECRETARY[0]: "450 4.2.1 mailbox busy", SECRETARY[1]: "550 5.1.1 unknown"}
    with refusing_inbox(recipients=replies) as (handler, port):
        error = send_to(port, committee, recipients=[*SECRETARY, "kansli@exempelby.se"])

    assert len(handler.messages) == 1
    assert isinstance(error, PartlyDelivered)
    assert error.refused == {0: 450, 1: 550}
    assert not error.retryable
    assert str(error).endswith("meddelandet skickades, men 2 av 3 mottagare nekades "
                               "(SMTP 450, 550)")
    assert_names_no_address(error)


def test_every_recipient_temporarily_refused_is_retried_whole(committee):
    replies = dict.fromkeys(SECRETARY, "451 4.3.0 try again later")
    with refusing_inbox(recipients=replies) as (handler, port):
        error = send_to(port, committee)

    assert handler.messages == []
    assert not isinstance(error, PartlyDelivered)
    assert (error.retryable, error.status) == (True, 451)
    assert_names_no_address(error)


def test_every_recipient_refused_names_no_address(committee):
    replies = dict.fromkeys(SECRETARY, "550 5.1.1 unknown")
    with refusing_inbox(recipients=replies) as (handler, port):
        error = send_to(port, committee)

    assert handler.messages == []
    assert not isinstance(error, PartlyDelivered)  # nobody has it: the whole mail is due
    assert not error.retryable
    assert str(error).endswith(": 2 av 2 mottagare nekades (SMTP 550)")
    assert_names_no_address(error)


@pytest.mark.parametrize(("replies", "status"), [
    ({"mail_reply": "501 5.1.7 bad sender address syntax"}, 501),
    ({"data_reply": "505 5.5.0 authentication required"}, 505),
    ({"data_reply": "554 5.7.1 message refused"}, 554),
])
def test_a_5xx_reply_is_permanent(committee, replies, status):
    with refusing_inbox(**replies) as (handler, port):
        error = send_to(port, committee)
    assert handler.messages == []
    assert (error.retryable, error.status) == (False, status)
    assert str(error).endswith(f"SMTP {status}")


@pytest.mark.parametrize(("replies", "status"), [
    ({"mail_reply": "421 4.3.2 service shutting down"}, 421),
    ({"data_reply": "451 4.3.0 try again later"}, 451),
])
def test_a_4xx_reply_is_retried(committee, replies, status):
    with refusing_inbox(**replies) as (_, port):
        error = send_to(port, committee)
    assert (error.retryable, error.status) == (True, status)


@pytest.mark.parametrize(("code", "retry"), [
    (421, True), (450, True), (451, True), (454, True),
    (500, False), (501, False), (505, False), (535, False), (550, False), (554, False),
    (-1, True),  # smtplib's code for a reply it could not read: a broken connection
])
def test_only_4xx_and_unreadable_replies_count_as_temporary(code, retry):
    assert temporary(code) is retry


def test_a_server_that_never_answers_times_out_and_is_retried(committee):
    # The kernel accepts the connection into the backlog; nobody ever sends a greeting.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        message = report_message(committee, filed(1), sender=SENDER, recipients=SECRETARY)
        settings = SmtpSettings(host="127.0.0.1", port=silent.getsockname()[1],
                                starttls=False)
        with pytest.raises(DeliveryFailed) as failure:
            send_message(settings, message, timeout=0.5)
    assert failure.value.retryable
    assert str(failure.value).endswith("anslutningen bröts (inget svar inom tidsgränsen)")
