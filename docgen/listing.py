"""The «Förteckning»: the meeting's reports listed the way an agenda lists anmälningsärenden.

One row per report, numbered, in visit order (then report id, so the order never depends
on arrival): visit date, operation, unit, kontaktpolitiker (a joint visit marked as such,
with the others who took part), whether an oral summary is wanted, and the report id (with
the report's own diarienummer, when the secretary gave it one apart from the meeting's) to
find the document by. Above the table, the anmälningsärende line the kallelse has
(``filing.agenda``); below it, who wishes to give an oral summary, and the proposed decision.
The header row repeats on every page, no row splits across two pages, the columns are as
wide as their longest words (``widths``), and the table has a caption, so a long list stays
readable on paper and with a screen reader. Flags, declarations and file names are
deliberately absent: this list is a public document, and the file names are the folder's
business.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from docx.document import Document as DocumentObject
from docx.shared import Pt

from besoksrapport.committee.model import Committee
from besoksrapport.committee.operations import operation_label
from besoksrapport.filing.agenda import (
    ORAL_HEADING,
    announcement_line,
    oral_summaries,
    oral_summary_item,
)
from besoksrapport.filing.entries import ListedReport, generated_at, listing_order
from besoksrapport.filing.titles import LISTING_TITLE as TITLE
from besoksrapport.swedish import enumeration, long_date, sentence, yes_no

from .ooxml import keep_row_on_one_page, mark_header_row, set_column_widths, set_table_caption
from .reproducible import save_docx, set_core_properties
from .template import TABLE_STYLE, Template, configured_template
from .text import add_labelled, clean
from .widths import content_widths, usable_width

# Soft hyphens (U+00AD) let long header words break where Swedish allows it.
COLUMNS = ("Nr", "Besöks\u00addatum", "Verksamhet", "Enhet", "Kontakt\u00adpolitiker",
           "Muntlig samman\u00adfattning", "Rapport")
FONT_SIZE = Pt(9)
JOINT = "Gemensamt besök"


def _row(entry: ListedReport, number: int, meeting_number: str | None) -> list[str]:
    report = entry.report
    ident = report.report_id
    if report.diary_number and report.diary_number != meeting_number:
        ident += f"\nDnr {report.diary_number}"
    return [
        f"{number}.",
        report.visit_date.isoformat(),
        operation_label(report.operation),
        clean(report.unit),
        _politicians(report),
        yes_no(bool(report.answers.get("oral_summary"))),
        clean(ident),
    ]


def _politicians(report) -> str:
    """The reporting politician; for a joint visit a second line says so and names the
    others who took part («Gemensamt besök med Bengt Haraldsson»)."""
    name = clean(report.submitter.name)
    answers = report.answers
    others = [clean(other) for other in answers.get("other_participants") or []
              if isinstance(other, str) and other.strip()]
    if not (answers.get("joint_visit") or others or report.joint_visit_of):
        return name
    return f"{name}\n{JOINT} med {enumeration(others)}" if others else f"{name}\n{JOINT}"


def _add_cell_text(cell, text: str, *, bold: bool = False, size: Pt = FONT_SIZE) -> None:
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].runs else cell.add_paragraph()
    run = paragraph.add_run(text)
    run.bold = bold or None
    run.font.size = size


def build_listing(meeting_date: date, committee: Committee, entries: Sequence[ListedReport], *,
                  template: Template | None = None,
                  diary_number: str | None = None) -> DocumentObject:
    """The Förteckning as a python-docx Document (the bundle appends the reports to it).

    ``diary_number`` is the meeting's diarienummer, when the secretary has given one.
    """
    doc = (template or configured_template()).new_document(
        image_alt_text=f"{committee.municipality}s logotyp")
    ordered = listing_order(entries)
    doc.add_paragraph(TITLE, style="Heading 1")
    doc.add_paragraph(committee.municipality)
    doc.add_paragraph(committee.name)
    doc.add_paragraph(f"Sammanträde den {long_date(meeting_date)}")
    if diary_number:
        add_labelled(doc, "Diarienummer", diary_number)
    reports = [entry.report for entry in ordered]
    add_labelled(doc, "Anmälningsärende", announcement_line(len(reports), diary_number))
    count = len(ordered)
    if not ordered:
        doc.add_paragraph("Inga återrapporter har kommit in till det här sammanträdet.")
    else:
        word = "återrapport" if count == 1 else "återrapporter"
        doc.add_paragraph(f"{count} {word} av verksamhetsbesök, i datumordning.")
        table = doc.add_table(rows=1, cols=len(COLUMNS))
        table.style = TABLE_STYLE
        set_table_caption(table, f"{TITLE}, sammanträdet den {long_date(meeting_date)}")
        header = table.rows[0]
        mark_header_row(header)
        for cell, label in zip(header.cells, COLUMNS, strict=True):
            _add_cell_text(cell, label, bold=True)
        rows = [_row(entry, number, diary_number)
                for number, entry in enumerate(ordered, start=1)]
        for values in rows:
            row = table.add_row()
            keep_row_on_one_page(row)
            for cell, value in zip(row.cells, values, strict=True):
                for line in value.split("\n"):
                    _add_cell_text(cell, line)
        set_column_widths(doc, table, content_widths(COLUMNS, rows, usable_width(doc),
                                                     size=FONT_SIZE))
        wished = oral_summaries(reports)
        oral = add_labelled(doc, ORAL_HEADING, "; ".join(oral_summary_item(r) for r in wished)
                            + "." if wished else "ingen.")
        oral.paragraph_format.space_before = Pt(12)
        proposal = add_labelled(doc, "Förslag till beslut",
                                sentence(committee.proposals.listing.strip()))
        proposal.paragraph_format.space_before = Pt(12)
    set_core_properties(
        doc, f"{TITLE}, {long_date(meeting_date)}",
        generated_at(meeting_date, [entry.report for entry in ordered]),
        author=committee.name, subject=f"{committee.name}, {committee.municipality}",
        keywords="förteckning; återrapportering; verksamhetsbesök")
    return doc


def render_listing(meeting_date: date, committee: Committee, entries: Sequence[ListedReport], *,
                   template: Template | None = None, diary_number: str | None = None) -> bytes:
    """The Förteckning as reproducible DOCX bytes."""
    return save_docx(build_listing(meeting_date, committee, entries, template=template,
                                   diary_number=diary_number))
