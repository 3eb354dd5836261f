"""«Uppföljning av riktlinjer för kontaktpolitiker»: the follow-up document for the committee.

Headings, a summary, the visits per operation and year as a chart and as a table (a chart
alone excludes screen reader users; its alt text states the numbers too), visits per
politician, and who and what went without a visit. Tables repeat their header rows; the
chart is a PNG at a fixed size and dpi with no software or date stamp, and the document's
dates come from the data, so the same numbers give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import Any

import matplotlib
from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator
from matplotlib.typing import RcKeyType

from besoksrapport.committee import Committee
from besoksrapport.followup import FollowUp, percent
from besoksrapport.operations import operation_in_text, operation_label
from besoksrapport.swedish import (
    STOCKHOLM,
    enumeration,
    long_date,
    long_datetime,
)

from .ooxml import mark_header_row, set_alt_text, set_column_widths, set_table_caption
from .reproducible import save_docx, set_core_properties
from .template import TABLE_STYLE, Template, configured_template
from .text import clean

TITLE = "Uppföljning av riktlinjer för kontaktpolitiker"
CHART_DPI = 150
CHART_SIZE = (8.0, 4.2)  # inches
# Okabe–Ito colours (distinguishable with colour vision deficiency), plus hatching per year.
COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00")
HATCHES = ("", "//", "..", "xx", "\\\\", "--")
CHART_RC: dict[RcKeyType, Any] = {"font.family": "DejaVu Sans", "font.size": 11,
                                  "hatch.linewidth": 0.8, "svg.hashsalt": "besoksrapport"}


def chart_png(numbers: FollowUp) -> bytes:
    """Grouped bars, one group per operation, one bar per year, each bar labelled."""
    operations = list(numbers.by_operation)
    width = 0.8 / max(len(numbers.years), 1)
    with matplotlib.rc_context(CHART_RC):
        figure = Figure(figsize=CHART_SIZE, dpi=CHART_DPI)
        FigureCanvasAgg(figure)
        axes = figure.add_subplot()
        for index, year in enumerate(numbers.years):
            offsets = [position + (index - (len(numbers.years) - 1) / 2) * width
                       for position in range(len(operations))]
            bars = axes.bar(offsets, [numbers.by_operation[op][year] for op in operations],
                            width, label=str(year), color=COLOURS[index % len(COLOURS)],
                            hatch=HATCHES[index % len(HATCHES)], edgecolor="black",
                            linewidth=0.5)
            axes.bar_label(bars, padding=2)
        axes.set_xticks(range(len(operations)), [operation_label(op) for op in operations])
        axes.set_ylabel("Antal besök")
        axes.set_title("Besök per verksamhet och år")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.set_ylim(0, max([1, *(max(c.values(), default=0)
                                   for c in numbers.by_operation.values())]) * 1.2)
        axes.spines[["top", "right"]].set_visible(False)
        axes.legend(title="År", frameon=False)
        figure.tight_layout()
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=CHART_DPI, metadata={"Software": None})
    return buffer.getvalue()


def chart_alt_text(numbers: FollowUp) -> str:
    """The chart in words: every number it shows, year by year."""
    years = []
    for year in numbers.years:
        parts = [f"{operation_in_text(op)} {counts[year]}"
                 for op, counts in numbers.by_operation.items()]
        years.append(f"{year}: {', '.join(parts)}.")
    return ("Stapeldiagram över antal besök per verksamhet och år. " + " ".join(years)
            + " Samma siffror finns i tabellen under diagrammet.")


def _cell(cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(clean(text))
    run.bold = bold or None
    run.font.size = Pt(10)
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(doc: DocumentObject, caption: str, header: Sequence[str],
           rows: Sequence[Sequence[str]], *, weights: Sequence[float],
           numeric_from: int) -> None:
    """A table whose header row repeats on every page; columns from ``numeric_from`` are
    numbers and right-aligned."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = TABLE_STYLE
    set_table_caption(table, caption)
    mark_header_row(table.rows[0])
    for column, (cell, label) in enumerate(zip(table.rows[0].cells, header, strict=True)):
        _cell(cell, label, bold=True, right=column >= numeric_from)
    for values in rows:
        cells = table.add_row().cells
        for column, (cell, value) in enumerate(zip(cells, values, strict=True)):
            _cell(cell, value, right=column >= numeric_from)
    set_column_widths(doc, table, weights)


def _summary(doc: DocumentObject, numbers: FollowUp) -> None:
    doc.add_paragraph("Sammanfattning", style="Heading 2")
    doc.add_paragraph(f"Antal verksamhetsbesök under perioden: {numbers.visits}.")
    doc.add_paragraph(
        "Besök som kontaktpolitikern också ville sammanfatta muntligt för nämnden: "
        f"{numbers.with_oral_summary} av {numbers.visits} "
        f"({percent(numbers.oral_summary_share)}).")
    doc.add_paragraph(f"Besök efter beslut av ordföranden: {numbers.by_chair_decision}.")


def _operations(doc: DocumentObject, numbers: FollowUp) -> None:
    doc.add_paragraph("Besök per verksamhet och år", style="Heading 2")
    doc.add_paragraph("Ett gemensamt besök av flera kontaktpolitiker räknas som ett besök.")
    doc.add_picture(io.BytesIO(chart_png(numbers)), width=Cm(16))
    set_alt_text(doc.inline_shapes[-1]._inline.docPr, chart_alt_text(numbers))
    header = ["Verksamhet", *map(str, numbers.years), "Totalt"]
    rows = [[operation_label(op), *(str(counts[year]) for year in numbers.years),
             str(numbers.operation_total(op))] for op, counts in numbers.by_operation.items()]
    rows.append(["Totalt", *(str(numbers.year_total(year)) for year in numbers.years),
                 str(numbers.visits)])
    _table(doc, "Besök per verksamhet och år", header, rows,
           weights=[3, *(1.2 for _ in numbers.years), 1.2], numeric_from=1)


def _politicians(doc: DocumentObject, numbers: FollowUp) -> None:
    doc.add_paragraph("Besök per kontaktpolitiker", style="Heading 2")
    doc.add_paragraph("Ett gemensamt besök räknas för varje kontaktpolitiker som deltog. "
                      "Enligt riktlinjerna deltar en kontaktpolitiker vid 1–2 besök per år; "
                      "fler besök görs efter beslut av ordföranden.")
    header = ["Kontaktpolitiker", "Roll", *map(str, numbers.years), "Totalt",
              "Varav efter ordförandens beslut"]
    rows = [[person.name, person.role_label, *(str(person.by_year[y]) for y in numbers.years),
             str(person.total), str(person.chair_decision)] for person in numbers.politicians]
    _table(doc, "Besök per kontaktpolitiker och år", header, rows,
           weights=[3, 1.8, *(0.9 for _ in numbers.years), 1.2, 2.4], numeric_from=2)


def _gaps(doc: DocumentObject, numbers: FollowUp) -> None:
    doc.add_paragraph("Verksamheter utan besök", style="Heading 2")
    for year in numbers.years:
        missing = [operation_in_text(op) for op in numbers.operations_without_visit(year)]
        doc.add_paragraph(f"{year}: {enumeration(missing)}." if missing
                          else f"{year}: alla verksamheter hade minst ett besök.")
    doc.add_paragraph("Kontaktpolitiker utan besök", style="Heading 2")
    absent = [person.name for person in numbers.politicians_without_visit]
    doc.add_paragraph(f"{enumeration(absent)}." if absent
                      else "Alla kontaktpolitiker har deltagit i minst ett besök under perioden.")


def created_at(numbers: FollowUp) -> datetime:
    """The document's date from the data: the latest reception, else the period's last day."""
    if numbers.as_of is not None:
        return numbers.as_of
    return datetime.combine(numbers.last, time(0, 0), tzinfo=STOCKHOLM).astimezone(UTC)


def build_followup(numbers: FollowUp, committee: Committee, *,
                   template: Template | None = None) -> DocumentObject:
    doc = (template or configured_template()).new_document(
        image_alt_text=f"{committee.municipality}s logotyp")
    period = f"{long_date(numbers.first)} – {long_date(numbers.last)}"
    doc.add_paragraph(TITLE, style="Heading 1")
    doc.add_paragraph(f"{committee.name}, {committee.municipality}")
    doc.add_paragraph(f"Period: {period}")
    basis = ("Riktlinjerna ska följas upp en gång per mandatperiod. Siffrorna bygger på "
             "kontaktpolitikernas återrapporter via e-tjänsten")
    doc.add_paragraph(basis + (f", mottagna till och med {long_datetime(numbers.as_of)}."
                               if numbers.as_of else "; inga rapporter fanns för perioden."))
    _summary(doc, numbers)
    _operations(doc, numbers)
    _politicians(doc, numbers)
    _gaps(doc, numbers)
    set_core_properties(doc, f"{TITLE}, {period}", created_at(numbers),
                        author=committee.name,
                        subject=f"{committee.name}, {committee.municipality}",
                        keywords="uppföljning; kontaktpolitiker; verksamhetsbesök")
    return doc


def render_followup(numbers: FollowUp, committee: Committee, *,
                    template: Template | None = None) -> bytes:
    """The follow-up document as reproducible DOCX bytes."""
    return save_docx(build_followup(numbers, committee, template=template))
