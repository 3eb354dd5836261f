"""E-mail to the committee secretary: a filed report, or a day's digest, with the documents.

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
from email.utils import formatdate, make_msgid

from .committee import Committee
from .filing.errors import DeliveryFailed
from .report import Report
from .settings import SmtpSettings
from .swedish import OPERATIONS, long_date

DOCX_TYPE = ("application", "vnd.openxmlformats-officedocument.wordprocessingml.document")
FOOTER = "Det här meddelandet skickades automatiskt när rapporten arkiverades. Svara inte på det."


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
        "Rapporten finns som bifogat Word-dokument och i sammanträdets mapp.",
        "",
        FOOTER,
        "",
    ])
    return _message(f"Ny återrapport till sammanträdet den {meeting}", body, [item],
                    sender=sender, recipients=recipients)


def _digest_subject(items: Sequence[FiledDocument]) -> str:
    meetings = sorted({_meeting(item.report) for item in items})
    count = len(items)
    what = "Ny återrapport" if count == 1 else f"{count} nya återrapporter"
    if len(meetings) == 1:
        return f"{what} till sammanträdet den {long_date(meetings[0])}"
    return f"{what} till nämndens sammanträden"


def digest_message(committee: Committee, items: Sequence[FiledDocument], *, day: date,
                   sender: str, recipients: Sequence[str]) -> EmailMessage:
    """One mail for the reports filed on ``day``, each attached, in meeting and visit order."""
    if not items:
        raise ValueError("an empty digest is not sent")
    ordered = sorted(items, key=lambda item: (_meeting(item.report), item.report.visit_date,
                                              item.report.report_id))
    lines = [
        "Hej!",
        "",
        f"Här är de återrapporter av verksamhetsbesök som arkiverades {long_date(day)} "
        f"för {committee.genitive} sammanträden ({len(ordered)} st.).",
    ]
    for number, item in enumerate(ordered, start=1):
        lines += ["", f"{number}."] + [f"   {fact}" for fact in _facts(item)]
    lines += ["", "Rapporterna finns som bifogade Word-dokument och i sammanträdenas mappar.",
              "", FOOTER, ""]
    return _message(_digest_subject(ordered), "\n".join(lines), ordered,
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


def send_message(settings: SmtpSettings, message: EmailMessage, *, timeout: float = 30.0,
                 ssl_context: ssl.SSLContext | None = None) -> None:
    """Send over SMTP, STARTTLS and login as configured; raises ``DeliveryFailed``.

    ``ssl_context`` defaults to the system's trust store; tests pass one that trusts their
    own certificate.
    """
    where = f"SMTP {settings.host}:{settings.port}"
    try:
        with smtplib.SMTP(settings.host, settings.port, timeout=timeout) as smtp:
            smtp.ehlo()
            if settings.starttls:
                smtp.starttls(context=ssl_context or ssl.create_default_context())
                smtp.ehlo()
            if settings.username:
                _login(smtp, settings.username, settings.password or "")
            smtp.send_message(message)
    except smtplib.SMTPAuthenticationError as error:
        raise DeliveryFailed(f"{where}: login refused ({error.smtp_code})", retryable=False,
                             status=error.smtp_code) from error
    except smtplib.SMTPNotSupportedError as error:
        raise DeliveryFailed(f"{where}: the server does not offer STARTTLS or AUTH",
                             retryable=False) from error
    except smtplib.SMTPRecipientsRefused as error:
        codes = [code for code, _ in error.recipients.values()]
        raise DeliveryFailed(f"{where}: recipients refused {codes}",
                             retryable=all(400 <= code < 500 for code in codes)) from error
    except smtplib.SMTPResponseException as error:
        raise DeliveryFailed(f"{where}: SMTP {error.smtp_code}",
                             retryable=400 <= error.smtp_code < 500,
                             status=error.smtp_code) from error
    except ssl.SSLCertVerificationError as error:
        raise DeliveryFailed(f"{where}: the server's certificate is not trusted",
                             retryable=False) from error
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryFailed(f"{where}: {type(error).__name__}", retryable=True) from error
