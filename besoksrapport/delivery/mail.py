"""E-mail to the committee secretary: a filed report, or a digest of the new ones, with documents.

The body states only the facts the secretary sorts by (meeting, politician, operation,
unit, visit date, report id), whether the politician wants to give an oral summary at the
meeting (the agenda needs it), the declarations (employment, närstående, arvode: they are
not in the public document) and the guideline flags to check; the report itself travels
as the attached DOCX, so the mail never repeats what the politician wrote. Sending is
``delivery.smtp``'s.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from email.policy import SMTP
from email.utils import formatdate, make_msgid

from besoksrapport.committee.model import Committee
from besoksrapport.committee.operations import operation_label
from besoksrapport.guideline.declarations import declaration_lines
from besoksrapport.guideline.flags import OVER_YEARLY_VISITS
from besoksrapport.report import Report
from besoksrapport.swedish import STOCKHOLM, long_date

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


def _oral_summary(report: Report) -> str:
    """Whether the politician wants to sum the visit up at the meeting: for the agenda."""
    if report.answers.get("oral_summary") is True:
        return ("Muntlig sammanfattning: Ja, kontaktpolitikern vill också göra en muntlig "
                "sammanfattning vid sammanträdet.")
    return "Muntlig sammanfattning: Nej."


def _facts(report: Report) -> list[str]:
    """The politician, the sorting facts, the oral-summary wish, the declarations (not in
    the public document), then one «Att kontrollera» line per flag (flags name no one)."""
    return [
        f"Sammanträde: {long_date(_meeting(report))}",
        f"Kontaktpolitiker: {report.submitter.name}",
        f"Verksamhet: {operation_label(report.operation)}",
        f"Enhet: {report.unit}",
        f"Besöksdatum: {long_date(report.visit_date)}",
        f"Rapport-id: {report.report_id}",
        _oral_summary(report),
        *declaration_lines(report),
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
        *_facts(item.report),
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
        lines += ["", *_facts(ordered[0].report)]
    else:
        for number, item in enumerate(ordered, start=1):
            lines += ["", f"{number}."] + [f"   {fact}" for fact in _facts(item.report)]
    lines += ["", _digest_outro(len(ordered), meetings), "", FOOTER, ""]
    return _message(_digest_subject(len(ordered), meetings), "\n".join(lines), ordered,
                    sender=sender, recipients=recipients)


def _recount_now(report: Report, already_over: bool) -> str:
    """What the change means: now beyond the 1–2 a year, still beyond them, or within."""
    year = report.visit_date.year
    over = any(flag.code == OVER_YEARLY_VISITS for flag in report.flags)
    if over and already_over:
        return ("Besöket var redan ett ordinarie besök utöver de 1–2 per år som riktlinjerna "
                "anger och är det fortfarande, men dess nummer i räkningen har ändrats; se "
                "raden ”Att kontrollera” nedan.")
    if over:
        return ("Besöket är nu ett ordinarie besök utöver de 1–2 per år som riktlinjerna "
                "anger; se raden ”Att kontrollera” nedan.")
    return (f"Besöket räknas nu som ett av kontaktpolitikerns 1–2 ordinarie besök under "
            f"{year}, så det finns inte längre något att kontrollera om antalet besök.")


def recount_message(committee: Committee, report: Report, *, sender: str,
                    recipients: Sequence[str], already_over: bool = False,
                    duplicates: Sequence[str] = ()) -> EmailMessage:
    """A report already mailed whose place in the politician's yearly count has changed.

    ``already_over``: the visit was beyond the 1–2 a year before the change too.
    ``duplicates``: the politician's other reports of the same visit, changed alike (one
    mail tells of them all)."""
    year = report.visit_date.year
    now = _recount_now(report, already_over)
    which = "återrapport" if len(duplicates) == 1 else "återrapporterna"
    also = ([f"Samma besök finns också i {which} {', '.join(duplicates)} (möjlig dubblett); "
             "räkningen gäller besöket, inte varje rapport för sig.", ""] if duplicates else [])
    body = "\n".join([
        "Hej!",
        "",
        f"En återrapport som kom in senare gäller ett tidigare besök under {year} av samma "
        f"kontaktpolitiker. Därför har räkningen av ordinarie besök ändrats för återrapport "
        f"{report.report_id}, som du redan har fått.",
        "",
        now,
        "",
        *also,
        *_facts(report),
        "",
        "Dokumentet är oförändrat och finns i sammanträdets mapp.",
        "",
        FOOTER,
        "",
    ])
    return _message(f"Ändrad räkning av besök för återrapport {report.report_id}", body, [],
                    sender=sender, recipients=recipients)


def politician_message(subject: str, body: str, *, sender: str,
                       recipient: str) -> EmailMessage:
    """A plain mail to a politician (e.g. that a report was withdrawn); nothing attached."""
    return _message(subject, body + "\n\n" + FOOTER + "\n", [], sender=sender,
                    recipients=[recipient])
