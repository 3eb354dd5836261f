"""Filed documents to mail and the parsing of what a real SMTP server received."""

from __future__ import annotations

import email
from email.policy import default

from meeting_reports import make_report

from besoksrapport.delivery.mail import FiledDocument

SENDER = "besoksrapport@exempelby.se"
SECRETARY = ["namndsekreterare@exempelby.se", "registrator@exempelby.se"]
DOCUMENT = bytes(range(256)) * 40  # any bytes: the attachment must arrive unchanged


def filed(number: int, **answers) -> FiledDocument:
    report = make_report(number, **answers)
    name = f"2026-10-0{number} Kost Cecilia Öberg BR-{number:04d}.docx"
    return FiledDocument(report=report, file_name=name, data=DOCUMENT + bytes([number]))


def parse(raw: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(raw, policy=default)


def body_of(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()
