"""Helpers for the report document tests: reports, templates, document text (a plugin too).

Reports start from schemas/examples/valid/maximal.json, where every field of the form is
filled in (``example_envelope("maximal")`` from tests/support/envelopes.py).
"""

from __future__ import annotations

import copy
import io
import struct
import zlib
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from docx import Document
from docx.shared import Cm, Pt
from envelopes import example_envelope, example_path

from besoksrapport.report import Report
from docgen.reproducible import save_docx

MAXIMAL_FILE = example_path("maximal")
RECEIVED = datetime(2026, 11, 3, 13, 5, 27, tzinfo=UTC)  # 14.05 in Stockholm
MEETING = date(2026, 12, 10)


def make_report(envelope: dict | None = None, *, meeting: date | None = MEETING,
                answers: dict | None = None, report_id: str = "BR-2026-7K3M9Q") -> Report:
    envelope = copy.deepcopy(envelope or example_envelope("maximal"))
    if answers is not None:
        envelope["data"]["answers"] = answers
    return Report.from_envelope(envelope, report_id=report_id, received_at=RECEIVED,
                                meeting_date=meeting)


def document_text(data: bytes) -> str:
    """All text a reader sees: body paragraphs and table cells, one line per paragraph."""
    doc = Document(io.BytesIO(data))
    chunks = [paragraph.text for paragraph in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            for cell in row.cells:
                chunks += [paragraph.text for paragraph in cell.paragraphs]
    return "\n".join(chunks)


def png(width: int = 40, height: int = 20) -> bytes:
    """A small solid-colour PNG, written by hand so the test needs no image library."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF))
    rows = b"".join(b"\x00" + b"\x1f\x4e\x79" * width for _ in range(height))
    return (b"\x89PNG\r\n\x1a\n"
            + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b""))


def municipal_template_bytes() -> bytes:
    """A municipality's own template: letterhead with a logo lacking alt text, Georgia,
    US Letter, English language, a footer with the address and no page numbers."""
    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21.59), Cm(27.94)
    section.left_margin = section.right_margin = Cm(3)
    normal = doc.styles["Normal"]
    normal.font.name = "Georgia"
    normal.font.size = Pt(12)
    for name in ("Heading 1", "Heading 2"):
        doc.styles[name].font.name = "Verdana"
    header = section.header.paragraphs[0]
    header.add_run().add_picture(io.BytesIO(png()), width=Cm(3))
    header.add_run("\tExempelby kommun\tSocialförvaltningen")
    section.footer.paragraphs[0].text = "Exempelby kommun · Storgatan 1 · 123 45 Exempelby"
    doc.add_paragraph("Skriv här")  # body text a template often has; the loader removes it
    return save_docx(doc)


def template_without_styles(*names: str) -> bytes:
    """python-docx's default template with the named styles deleted."""
    doc = Document()
    for name in names:
        style = doc.styles[name]
        style.element.getparent().remove(style.element)
    return save_docx(doc)


# The answers that are the secretary's alone: never in a public document (see
# tests/besoksrapport/filing/test_public_documents.py).
PRIVATE_ANSWERS = ("employed_in_operation", "relative_employed_in_operation",
                   "claims_meeting_fee")
# Words that would give any of them away, in any public document's text (case ignored).
PRIVATE_WORDS = ("anställd", "närstående", "arvode")


def answer_texts(envelope: dict) -> dict[str, list[str]]:
    """For each public answer of the envelope, the texts a reader must find in the document
    (the declarations and the arvode claim are not public: ``PRIVATE_ANSWERS``)."""
    from datetime import time

    from besoksrapport.committee.operations import LABELS as OPERATIONS
    from besoksrapport.swedish import MET, ROLES, long_date, time_range, yes_no

    answers = envelope["data"]["answers"]
    visit = long_date(date.fromisoformat(answers["visit_date"]))
    span = time_range(time.fromisoformat(answers["start_time"]),
                      time.fromisoformat(answers["end_time"]))
    texts: dict[str, list[str]] = {
        "operation": [OPERATIONS[answers["operation"]]],
        "unit": [answers["unit"]],
        "visit_date": [visit],
        "start_time": [f"{visit}, {span}"],
        "end_time": [span],
        "role": [f"{envelope['data']['submitter']['name']}, {ROLES[answers['role']].lower()}, "
                 "kontaktpolitiker"],
        "met": [MET[value] for value in answers["met"]],
        "invited_by_operation": [
            f"Inbjuden av verksamheten\n{yes_no(answers['invited_by_operation'])}"],
        "oral_summary": ["vill också göra en muntlig sammanfattning" if answers["oral_summary"]
                         else "gör ingen muntlig sammanfattning"],
        "visit_kind": ["Besök efter beslut av ordföranden"
                       if answers["visit_kind"] == "chair_decision" else "Ordinarie besök"],
    }
    if "chair_decision_date" in answers:
        texts["chair_decision_date"] = [
            long_date(date.fromisoformat(answers["chair_decision_date"]))]
    for name in answers.get("other_participants", []):
        texts.setdefault("other_participants", []).append(name)
    if "met_other" in answers:
        texts["met_other"] = [answers["met_other"]]
    for field in ("information_given", "unit_news", "operation_raises",
                  "strengths_and_challenges", "other_observations", "own_conclusions"):
        if field in answers:
            texts[field] = [line for line in answers[field].splitlines() if line.strip()]
    return texts


@pytest.fixture(scope="session")
def municipal_template_path(tmp_path_factory) -> Path:
    """A municipality's own template (letterhead, logo, other fonts), written once."""
    path = tmp_path_factory.mktemp("templates") / "exempelby.docx"
    path.write_bytes(municipal_template_bytes())
    return path
