"""E-mail to the committee secretary: a filed report, or a digest of the new ones, with documents.

The body states only the facts the secretary sorts by (meeting, operation, unit, visit
date, report id) and the guideline flags to check; the report itself travels as the
attached DOCX, so the mail never repeats what the politician wrote. Sending uses SMTP with
STARTTLS and login from the environment, and failures become ``DeliveryFailed`` so the
outbox knows whether to try again.
"""

from __future__ import annotations

import base64
import smtplib
import ssl
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, getaddresses, make_msgid

from .committee import Committee
from .filing.errors import DeliveryFailed
from .report import Report
from .settings import SmtpSettings
from .swedish import OPERATIONS, STOCKHOLM, long_date

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
FOOTER = "Det här meddelandet har skickats automatiskt. Svara inte på det."
# Swedish style writes small numbers in words in running text («tre nya återrapporter»).
NUMBER_WORDS = ("noll", "en", "två", "tre", "fyra", "fem", "sex", "sju", "åtta", "nio", "tio",
                "elva", "tolv")


@dataclass(frozen=True)
class FiledDocument:
    """A report as it was filed: the report, its file name in the meeting folder, its bytes."""

    report: Report
    file_name: str
    data: bytes


def _meeting(report: Report) -> date:
    if report.meeting_date is None:
        raise ValueError("a report is mailed only once it belongs to a meeting")
    return report.meeting_date


def _received(report: Report) -> date:
    """The day the report came in, as the secretary's calendar has it (Stockholm)."""
    return report.received_at.astimezone(STOCKHOLM).date()


def _facts(item: FiledDocument) -> list[str]:
    """The sorting facts, then one «Att kontrollera» line per flag (flags name no one)."""
    report = item.report
    return [
        f"Sammanträde: {long_date(_meeting(report))}",
        f"Verksamhet: {OPERATIONS.get(report.operation, report.operation)}",
        f"Enhet: {report.unit}",
        f"Besöksdatum: {long_date(report.visit_date)}",
        f"Rapport-id: {report.report_id}",
        *(f"Att kontrollera: {flag.message}" for flag in report.flags),
    ]


def _message(subject: str, body: str, items: Sequence[FiledDocument], *, sender: str,
             recipients: Sequence[str]) -> EmailMessage:
    if not recipients:
        raise ValueError("no recipients: the committee configuration names no secretary")
    message = EmailMessage(policy=SMTP)
    message["Subject"] = subject
    message["From"] = sender
    message["To"] = ", ".join(recipients)
    message["Date"] = formatdate(localtime=False, usegmt=True)
    message["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or "localhost")
    message["Content-Language"] = "sv"
    message.set_content(body, charset="utf-8")
    for item in items:
        message.add_attachment(item.data, maintype=DOCX_TYPE[0], subtype=DOCX_TYPE[1],
                               filename=item.file_name)
    return message


def report_message(committee: Committee, item: FiledDocument, *, sender: str,
                   recipients: Sequence[str]) -> EmailMessage:
    """«Ny återrapport till sammanträdet den 10 december 2026», the DOCX attached."""
    meeting = long_date(_meeting(item.report))
    body = "\n".join([
        "Hej!",
        "",
        "En ny återrapport av ett verksamhetsbesök har kommit in och skickas med till "
        f"{committee.genitive} sammanträde den {meeting}.",
        "",
        *_facts(item),
        "",
        "Rapporten är bifogad som Word-dokument och finns även i sammanträdets mapp.",
        "",
        FOOTER,
        "",
    ])
    return _message(f"Ny återrapport till sammanträdet den {meeting}", body, [item],
                    sender=sender, recipients=recipients)


def _digest_subject(count: int, meetings: Sequence[date]) -> str:
    what = "Ny återrapport" if count == 1 else f"{count} nya återrapporter"
    if len(meetings) == 1:
        return f"{what} till sammanträdet den {long_date(meetings[0])}"
    return f"{what} till nämndens sammanträden"


def _how_many(count: int) -> str:
    """«en ny återrapport av ett verksamhetsbesök», «tre nya återrapporter av verksamhetsbesök»."""
    if count == 1:
        return "en ny återrapport av ett verksamhetsbesök"
    number = NUMBER_WORDS[count] if count < len(NUMBER_WORDS) else str(count)
    return f"{number} nya återrapporter av verksamhetsbesök"


def _digest_intro(committee: Committee, items: Sequence[FiledDocument],
                  meetings: Sequence[date]) -> str:
    """When the reports came in and which meeting they go to, in agreement with their number.

    A digest holds every report not mailed yet, so it names the days they came in rather
    than the day it is sent.
    """
    days = sorted({_received(item.report) for item in items})
    what = _how_many(len(items))
    if len(days) == 1:
        arrived = f"Den {long_date(days[0])} kom det in {what}."
    else:
        arrived = f"Sedan den {long_date(days[0])} har det kommit in {what}."
    subject = "Rapporten" if len(items) == 1 else "Rapporterna"
    if len(meetings) == 1:
        goes = (f"{subject} skickas med till {committee.genitive} sammanträde "
                f"den {long_date(meetings[0])}.")
    else:
        goes = f"{subject} skickas med till {committee.genitive} sammanträden enligt nedan."
    return f"{arrived} {goes}"


def _digest_outro(count: int, meetings: Sequence[date]) -> str:
    if count == 1:
        return "Rapporten är bifogad som Word-dokument och finns även i sammanträdets mapp."
    where = "sammanträdets mapp" if len(meetings) == 1 else "respektive sammanträdes mapp"
    return f"Rapporterna är bifogade som Word-dokument och finns även i {where}."


def digest_message(committee: Committee, items: Sequence[FiledDocument], *, sender: str,
                   recipients: Sequence[str]) -> EmailMessage:
    """One mail for the reports not mailed yet, each attached, in meeting and visit order."""
    if not items:
        raise ValueError("an empty digest is not sent")
    ordered = sorted(items, key=lambda item: (_meeting(item.report), item.report.visit_date,
                                              item.report.report_id))
    meetings = sorted({_meeting(item.report) for item in ordered})
    lines = ["Hej!", "", _digest_intro(committee, ordered, meetings)]
    if len(ordered) == 1:
        lines += ["", *_facts(ordered[0])]
    else:
        for number, item in enumerate(ordered, start=1):
            lines += ["", f"{number}."] + [f"   {fact}" for fact in _facts(item)]
    lines += ["", _digest_outro(len(ordered), meetings), "", FOOTER, ""]
    return _message(_digest_subject(len(ordered), meetings), "\n".join(lines), ordered,
                    sender=sender, recipients=recipients)


def _login(smtp: smtplib.SMTP, username: str, password: str) -> None:
    """Log in; non-ASCII credentials («lösen») go as UTF-8 AUTH PLAIN (RFC 4616).

    smtplib can only send ASCII credentials, and Swedish passwords are often not.
    """
    if (username + password).isascii():
        smtp.login(username, password)
        return
    if "plain" not in smtp.esmtp_features.get("auth", "").lower().split():
        raise smtplib.SMTPNotSupportedError("non-ASCII credentials need AUTH PLAIN")
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
    return DeliveryFailed(f"{where}: {len(refused)} of {total} recipients refused (SMTP {listed})",
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
        f"{where}: sent, but {len(positions)} of {len(recipients)} recipients refused "
        f"(SMTP {listed})", refused=positions, total=len(recipients), retryable=retryable,
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
    where = f"SMTP {settings.host}:{settings.port}"
    try:
        refused = _transmit(settings, message, timeout, ssl_context)
    except smtplib.SMTPRecipientsRefused as error:
        raise _refused(where, error.recipients, len(error.recipients)) from error
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryFailed(f"{where}: login refused (SMTP {error.smtp_code})",
                             retryable=temporary(error.smtp_code),
                             status=error.smtp_code) from error
    except smtplib.SMTPNotSupportedError as error:
        raise DeliveryFailed(f"{where}: the server does not offer STARTTLS or AUTH",
                             retryable=False) from error
    except smtplib.SMTPResponseException as error:
        raise DeliveryFailed(f"{where}: SMTP {error.smtp_code}",
                             retryable=temporary(error.smtp_code),
                             status=error.smtp_code) from error
    except ssl.SSLCertVerificationError as error:
        raise DeliveryFailed(f"{where}: the server's certificate is not trusted",
                             retryable=False) from error
    except smtplib.SMTPServerDisconnected as error:  # smtplib's name for a timeout too
        cause = error.__context__
        why = type(cause).__name__ if isinstance(cause, OSError) else "closed by the server"
        raise DeliveryFailed(f"{where}: connection lost ({why})", retryable=True) from error
    except smtplib.SMTPException as error:  # smtplib's own, both about AUTH mechanisms
        raise DeliveryFailed(f"{where}: no AUTH mechanism both sides support",
                             retryable=False) from error
    except OSError as error:  # refused, unreachable, timed out, TLS broken off
        raise DeliveryFailed(f"{where}: {type(error).__name__}", retryable=True) from error
    if refused:
        raise _partly(where, refused, message)
