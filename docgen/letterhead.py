"""The report's blocks of a municipal document: the header above the text and the sign-off.

A committee secretary files the report as an anmälningsärende, so it carries what such a
document carries: who sends it to whom, the date, the diarienummer when the secretary has
given one, the ärende, the meeting, the guideline it is made under, and in place of a
signature the way it was sent. Everything here is public: the politician's declarations
(employment, närstående) and the arvode claim are the secretary's and never come here.
"""

from __future__ import annotations

from datetime import date

from docx.document import Document as DocumentObject

from besoksrapport.committee.model import Committee
from besoksrapport.committee.operations import operation_in_text
from besoksrapport.report import Report
from besoksrapport.swedish import ROLES, STOCKHOLM, enumeration, long_date, long_datetime

from .text import add_labelled, add_line, clean

HEADING = "Återrapportering av verksamhetsbesök"
SENT_VIA = "Inskickad via e-tjänst efter inloggning"


def document_date(report: Report) -> date:
    """The day the report came in (Stockholm): the day it became an allmän handling."""
    return report.received_at.astimezone(STOCKHOLM).date()


def matter(report: Report) -> str:
    """«Verksamhetsbesök inom kost – Centralköket, den 21 oktober 2026».

    A dash, not a comma, parts the operation from the unit: a unit is often named after its
    operation («Komvux – Komvux, Lärcentrum»), and a comma would run the two together.
    """
    operation = operation_in_text(report.answers.get("operation", ""))
    parts = [f"Verksamhetsbesök inom {operation}" if operation else "Verksamhetsbesök"]
    if report.answers.get("unit"):
        unit = clean(" ".join(report.answers["unit"].split()))
        parts[0] += f" – {unit}" if operation else f", {unit}"
    if report.answers.get("visit_date"):
        parts.append(f"den {long_date(date.fromisoformat(report.answers['visit_date']))}")
    return ", ".join(parts)


def sender(report: Report, committee: Committee) -> str:
    """«Anna Lindqvist, ledamot, kontaktpolitiker för kost och Komvux».

    The role is the one the politician gave; the operations are the roster's (the ones the
    committee appointed them for), so a politician not on the roster is named without them.
    """
    parts = [report.submitter.name]
    role = report.answers.get("role")
    if isinstance(role, str) and role in ROLES:
        parts.append(ROLES[role].lower())
    person = committee.politician(report.submitter.id)
    if person is not None and person.operations:
        parts.append("kontaktpolitiker för "
                     + enumeration([operation_in_text(op) for op in person.operations]))
    else:
        parts.append("kontaktpolitiker")
    return ", ".join(parts)


def meeting(report: Report) -> str:
    if report.meeting_date is None:
        return "ännu inte bestämt"
    return long_date(report.meeting_date)


def header_lines(report: Report, committee: Committee) -> list[tuple[str, str]]:
    """The labelled lines under the heading, in the order a secretary reads them."""
    lines = [("Datum", long_date(document_date(report)))]
    if report.diary_number:
        lines.append(("Diarienummer", report.diary_number))
    lines += [
        ("Rapport-id", report.report_id),
        ("Ärende", matter(report)),
        ("Till", committee.name),
        ("Från", sender(report, committee)),
        ("Sammanträde", meeting(report)),
        ("Styrdokument", committee.guideline.citation),
    ]
    return lines


def write_header(doc: DocumentObject, report: Report, committee: Committee,
                 heading_style: str) -> None:
    """Municipality and committee, the heading, then the labelled lines."""
    add_line(doc, committee.municipality)
    add_line(doc, committee.name)
    add_line(doc, HEADING, style_id=heading_style)
    for label, value in header_lines(report, committee):
        add_labelled(doc, label, value)


def write_sign_off(doc: DocumentObject, report: Report, heading_style: str) -> None:
    """Who sent it and how, where a paper document would have the signature."""
    add_line(doc, "Om rapporten", style_id=heading_style)
    add_line(doc, report.submitter.name)
    add_line(doc, SENT_VIA)
    add_line(doc, f"Mottagen den {long_datetime(report.received_at)}")
