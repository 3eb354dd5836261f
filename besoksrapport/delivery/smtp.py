"""Sending a message to the committee secretary over SMTP, and what a failure means.

STARTTLS and login as configured in the environment; every failure becomes
``DeliveryFailed`` (or ``PartlyDelivered`` when some recipients have the message already),
so the outbox knows whether to try again. Error texts carry codes and counts, never an
address or a server reply (replies quote addresses).
"""

from __future__ import annotations

import base64
import smtplib
import ssl
from email.message import EmailMessage
from email.utils import getaddresses

from besoksrapport.delivery.errors import DeliveryFailed
from besoksrapport.failure_reasons import os_reason, tls_reason
from besoksrapport.settings import SmtpSettings


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """Log in; non-ASCII credentials («lösen») go as UTF-8 AUTH PLAIN (RFC 4616).

    smtplib can only send ASCII credentials, and Swedish passwords are often not.
    """
    if (username + password).isascii():
        smtp.login(username, password)
        return
    if "plain" not in smtp.esmtp_features.get("auth", "").lower().split():
        raise smtplib.SMTPNotSupportedError("AUTH PLAIN krävs för användarnamn och lösenord "
                                            "med andra tecken än ASCII")
    token = base64.b64encode(b"\0" + username.encode() + b"\0" + password.encode()).decode()
    code, reply = smtp.docmd("AUTH", "PLAIN " + token)
    if code != 235:
        raise smtplib.SMTPAuthenticationError(code, reply)


def temporary(code: int) -> bool:
    """Whether an SMTP reply code may go away by itself (RFC 5321 section 4.2.1).

    4xx is transient and 5xx permanent: a 5xx refusal (501 bad syntax, 535 wrong login, 550
    no such mailbox …) comes back the same on every retry, so only a person can fix it. A
    code outside both (smtplib's -1 for an unreadable reply) means a broken connection,
    which is worth another try.
    """
    return not 500 <= code < 600


def _codes(refused: dict[str, tuple[int, bytes]]) -> tuple[str, bool, int]:
    """The refusal codes as text, whether all are temporary, and the highest."""
    codes = sorted({code for code, _ in refused.values()})
    return ", ".join(str(code) for code in codes), all(map(temporary, codes)), max(codes)


def _refused(where: str, refused: dict[str, tuple[int, bytes]], total: int) -> DeliveryFailed:
    """Every recipient refused; names codes and counts only, never an address."""
    listed, retryable, status = _codes(refused)
    return DeliveryFailed(f"{where}: {len(refused)} av {total} mottagare nekades (SMTP {listed})",
                          retryable=retryable, status=status)


class PartlyDelivered(DeliveryFailed):
    """The server accepted the message for some recipients and refused the others.

    The accepted ones have it, so sending the whole message again would give them a
    second copy. ``refused`` maps each refused recipient's position in the message's
    recipient list (To, then Bcc, then Cc, as smtplib sends them) to its SMTP code, so the
    caller can tell who is still missing without an address in the error.
    ``retryable`` is True when every refusal was temporary (4xx).
    """

    def __init__(self, message: str, *, refused: dict[int, int], total: int, retryable: bool,
                 status: int):
        super().__init__(message, retryable=retryable, status=status)
        self.refused = refused
        self.total = total


def _envelope_recipients(message: EmailMessage) -> list[str]:
    """The addresses smtplib sends to, in its order: To, Bcc, Cc (first header of each)."""
    fields = [str(message[header]) for header in ("To", "Bcc", "Cc")
              if message[header] is not None]
    return [address for _, address in getaddresses(fields)]


def _partly(where: str, refused: dict[str, tuple[int, bytes]],
            message: EmailMessage) -> PartlyDelivered:
    """Some recipients refused, the others accepted; codes and counts only in the text."""
    recipients = _envelope_recipients(message)
    positions = {index: refused[address][0] for index, address in enumerate(recipients)
                 if address in refused}
    listed, retryable, status = _codes(refused)
    return PartlyDelivered(
        f"{where}: meddelandet skickades, men {len(positions)} av {len(recipients)} mottagare "
        f"nekades (SMTP {listed})", refused=positions, total=len(recipients), retryable=retryable,
        status=status)


def _quit(smtp: smtplib.SMTP) -> None:
    """Say goodbye without letting a failed QUIT hide what happened before it."""
    try:
        smtp.quit()
    except (smtplib.SMTPException, OSError):
        smtp.close()


def _transmit(settings: SmtpSettings, message: EmailMessage, timeout: float,
              ssl_context: ssl.SSLContext | None) -> dict[str, tuple[int, bytes]]:
    """One SMTP session; returns the recipients the server refused while accepting others."""
    smtp = smtplib.SMTP(settings.host, settings.port, timeout=timeout)
    try:
        smtp.ehlo()
        if settings.starttls:
            smtp.starttls(context=ssl_context or ssl.create_default_context())
            smtp.ehlo()
        if settings.username:
            _login(smtp, settings.username, settings.password or "")
        return smtp.send_message(message)
    finally:
        _quit(smtp)


def send_message(settings: SmtpSettings, message: EmailMessage, *, timeout: float = 30.0,
                 ssl_context: ssl.SSLContext | None = None) -> None:
    """Send over SMTP, STARTTLS and login as configured; raises ``DeliveryFailed``.

    Temporary failures (connection refused, timeouts, 4xx replies) are retryable; 5xx
    replies, refused logins, missing STARTTLS or AUTH and an untrusted server certificate
    are not: they are configuration a person must fix. A server that refuses every
    recipient raises a plain ``DeliveryFailed`` (4xx retryable, 5xx not). One that refuses
    some recipients but accepts others has already delivered to those others: that raises
    ``PartlyDelivered``, which says who was refused, so the caller records the message as
    sent and tries again only for the refused ones rather than mailing everyone twice.
    Error texts name the server and SMTP codes only, never an address or a server reply
    (replies quote addresses). ``ssl_context`` defaults to the system's trust
    store; tests pass one that trusts their own certificate.
    """
    where = f"E-postservern {settings.host}:{settings.port}"
    try:
        refused = _transmit(settings, message, timeout, ssl_context)
    except smtplib.SMTPRecipientsRefused as error:
        raise _refused(where, error.recipients, len(error.recipients)) from error
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryFailed(f"{where}: inloggningen nekades (SMTP {error.smtp_code})",
                             retryable=temporary(error.smtp_code),
                             status=error.smtp_code) from error
    except smtplib.SMTPNotSupportedError as error:
        raise DeliveryFailed(f"{where}: servern erbjuder inte STARTTLS eller inloggning "
                             "(AUTH)",
                             retryable=False) from error
    except smtplib.SMTPResponseException as error:
        raise DeliveryFailed(f"{where}: servern svarade SMTP {error.smtp_code}",
                             retryable=temporary(error.smtp_code),
                             status=error.smtp_code) from error
    except ssl.SSLCertVerificationError as error:
        raise DeliveryFailed(f"{where}: serverns certifikat godtogs inte: "
                             f"{tls_reason(error)}", retryable=False) from error
    except smtplib.SMTPServerDisconnected as error:  # smtplib's name for a timeout too
        cause = error.__context__
        why = os_reason(cause) if isinstance(cause, OSError) else "servern stängde den"
        raise DeliveryFailed(f"{where}: anslutningen bröts ({why})", retryable=True) from error
    except smtplib.SMTPException as error:  # smtplib's own, both about AUTH mechanisms
        raise DeliveryFailed(f"{where}: det finns inget inloggningssätt (AUTH) som både "
                             "servern och programmet klarar",
                             retryable=False) from error
    except OSError as error:  # refused, unreachable, timed out, TLS broken off
        raise DeliveryFailed(f"{where}: {os_reason(error)}", retryable=True) from error
    if refused:
        raise _partly(where, refused, message)
