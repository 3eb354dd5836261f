"""The follow-up of the guideline: the document the committee gets once per mandate period.

Laid out as a tjänsteskrivelse: Bakgrund (the guideline, exactly as adopted, and what the
numbers rest on), Sammanställning (the numbers: a summary, the visits per operation and
year as a chart and as a table, the kontaktpolitiker as the roster was each year, and who
and what went without a visit each year), and Förslag till beslut. Tables repeat their
header rows; the chart's alt text states its numbers (``chart``); the document's dates come
from the data, so the same numbers give the same bytes.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from datetime import UTC, datetime, time
from typing import Any

from docx.document import Document as DocumentObject
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Cm, Pt

from besoksrapport.committee.model import Committee
from besoksrapport.committee.operations import CODES, operation_in_text, operation_label
from besoksrapport.guideline.followup import FollowUp, PoliticianVisits, percent
from besoksrapport.swedish import STOCKHOLM, enumeration, long_date, long_datetime, sentence

from .ooxml import (
    keep_row_on_one_page,
    mark_header_row,
    set_alt_text,
    set_column_widths,
    set_table_caption,
)
from .reproducible import save_docx, set_core_properties
from .template import TABLE_STYLE, Template, configured_template
from .text import clean
from .widths import content_widths, usable_width

__all__ = ["build_followup", "render_followup", "title"]  # and, lazily, chart_png, chart_alt_text


def __getattr__(name: str) -> Any:
    """``chart_png`` and ``chart_alt_text`` from ``chart``, loaded (with matplotlib) on use."""
    if name in ("chart_png", "chart_alt_text"):
        from . import chart

        return getattr(chart, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")

NOT_APPOINTED = "–"
FONT_SIZE = Pt(9)
# Where the tables' long words may break (soft hyphens), so that a mandate period's five
# year columns fit beside the names.
_HYPHENATED = {"ontaktpolitiker": ("ontakt", "politiker"), "förteckningen": ("förteck", "ningen"),
               "ordförandens": ("ord", "förandens")}


# Common nouns a guideline's title may start with: lower case inside «Uppföljning av …».
_COMMON_FIRST_WORDS = frozenset({"riktlinjer", "riktlinje", "regler", "rutiner", "rutin",
                                 "policy", "anvisningar", "föreskrifter"})


def title(committee: Committee) -> str:
    """«Uppföljning av riktlinjer för Välfärd- och servicenämndens kontaktpolitiker».

    The guideline's own title starts with a capital; inside this title a common noun is
    written in lower case, a name (a committee's, an acronym) as it is.
    """
    guideline = committee.guideline.title
    first = guideline.split(" ", 1)[0]
    if first.casefold() in _COMMON_FIRST_WORDS:
        guideline = guideline[:1].lower() + guideline[1:]
    return f"Uppföljning av {guideline}"


def _breakable(text: str) -> str:
    """``text`` with soft hyphens where its long words may break in a narrow column."""
    for word, parts in _HYPHENATED.items():
        text = text.replace(word, "\u00ad".join(parts))
    return text


def _cell(cell, text: str, *, bold: bool = False, right: bool = False) -> None:
    paragraph = cell.paragraphs[0]
    run = paragraph.add_run(_breakable(clean(text)))
    run.bold = bold or None
    run.font.size = FONT_SIZE
    if right:
        paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _table(doc: DocumentObject, caption: str, header: Sequence[str],
           rows: Sequence[Sequence[str]], *, numeric_from: int) -> None:
    """A table whose header row repeats on every page and whose rows never split across
    pages; columns from ``numeric_from`` are numbers and right-aligned. Each column is as
    wide as its longest word (``widths``), so a year or a name never breaks inside."""
    table = doc.add_table(rows=1, cols=len(header))
    table.style = TABLE_STYLE
    set_table_caption(table, caption)
    mark_header_row(table.rows[0])
    for column, (cell, label) in enumerate(zip(table.rows[0].cells, header, strict=True)):
        _cell(cell, label, bold=True, right=column >= numeric_from)
    for values in rows:
        row = table.add_row()
        keep_row_on_one_page(row)
        for column, (cell, value) in enumerate(zip(row.cells, values, strict=True)):
            _cell(cell, value, right=column >= numeric_from)
    set_column_widths(doc, table, content_widths(
        [_breakable(label) for label in header], [[_breakable(v) for v in r] for r in rows],
        usable_width(doc), size=FONT_SIZE))


def _background(doc: DocumentObject, numbers: FollowUp, committee: Committee) -> None:
    guideline = committee.guideline
    doc.add_paragraph("Bakgrund", style="Heading 2")
    doc.add_paragraph(
        f"{guideline.title} antogs av {committee.name} den {long_date(guideline.adopted)}, "
        f"{guideline.paragraph}. Riktlinjerna följs upp en gång per "
        "mandatperiod.")
    doc.add_paragraph(
        "Enligt riktlinjerna utses kontaktpolitiker för verksamheterna "
        f"{enumeration([operation_in_text(op) for op in CODES])}, och varje verksamhet har "
        "minst en kontaktpolitiker. Verksamheten ansvarar för att bjuda in sina "
        "kontaktpolitiker. Kontaktpolitikern deltar vid 1–2 verksamhetsbesök per år; fler "
        "besök görs efter beslut av ordföranden. Besöken återrapporteras via en särskild "
        "e-tjänst till nämndens nästa sammanträde.")
    basis = (f"Uppföljningen gäller besök från och med den {long_date(numbers.first)} till "
             f"och med den {long_date(numbers.last)}. Siffrorna bygger på "
             "kontaktpolitikernas återrapporter via e-tjänsten")
    doc.add_paragraph(basis + (f", mottagna till och med den {long_datetime(numbers.as_of)}."
                               if numbers.as_of else "; inga rapporter fanns för perioden."))


def _summary(doc: DocumentObject, numbers: FollowUp) -> None:
    doc.add_paragraph("Sammanfattning", style="Heading 3")
    doc.add_paragraph(f"Antal verksamhetsbesök under perioden: {numbers.visits}.")
    doc.add_paragraph(
        "Besök som verksamheten bjöd in kontaktpolitikern till: "
        f"{numbers.invited} av {numbers.visits} ({percent(numbers.invited_share)}).")
    doc.add_paragraph(
        "Besök som kontaktpolitikern också ville sammanfatta muntligt för nämnden: "
        f"{numbers.with_oral_summary} av {numbers.visits} "
        f"({percent(numbers.oral_summary_share)}).")
    doc.add_paragraph(f"Besök efter beslut av ordföranden: {numbers.by_chair_decision}.")
    doc.add_paragraph(
        "Besök utöver de 1–2 per år, räknat per kontaktpolitiker: "
        f"{numbers.beyond_without_decision} utan beslut av ordföranden och "
        f"{numbers.beyond_with_decision} efter beslut av ordföranden.")


def _operations(doc: DocumentObject, numbers: FollowUp) -> None:
    doc.add_paragraph("Besök per verksamhet och år", style="Heading 3")
    doc.add_paragraph("Ett gemensamt besök av flera kontaktpolitiker räknas som ett besök.")
    from .chart import chart_alt_text, chart_png  # matplotlib only when a chart is drawn

    doc.add_picture(io.BytesIO(chart_png(numbers)), width=Cm(16))
    set_alt_text(doc.inline_shapes[-1]._inline.docPr, chart_alt_text(numbers))
    header = ["Verksamhet", *map(str, numbers.years), "Totalt"]
    rows = [[operation_label(op), *(str(counts[year]) for year in numbers.years),
             str(numbers.operation_total(op))] for op, counts in numbers.by_operation.items()]
    rows.append(["Totalt", *(str(numbers.year_total(year)) for year in numbers.years),
                 str(numbers.visits)])
    _table(doc, "Besök per verksamhet och år", header, rows, numeric_from=1)


def _visits_in(person: PoliticianVisits, year: int) -> str:
    """The year's visits, or «–» for a year the politician was not kontaktpolitiker."""
    if person.role is not None and year not in person.appointed_years \
            and person.by_year[year] == 0:
        return NOT_APPOINTED
    return str(person.by_year[year])


def _politicians(doc: DocumentObject, numbers: FollowUp) -> None:
    doc.add_paragraph("Besök per kontaktpolitiker", style="Heading 3")
    doc.add_paragraph("Ett gemensamt besök räknas för varje kontaktpolitiker som deltog. "
                      "Kontaktpolitikerna står som listan över kontaktpolitiker såg ut varje "
                      f"år; ”{NOT_APPOINTED}” betyder att personen inte var kontaktpolitiker "
                      "det året.")
    header = ["Kontaktpolitiker", "Roll", *map(str, numbers.years), "Totalt",
              "Varav efter ordförandens beslut"]
    rows = [[person.name, person.role_label, *(_visits_in(person, y) for y in numbers.years),
             str(person.total), str(person.chair_decision)] for person in numbers.politicians
            if person.role is None or person.appointed_years or person.total]
    _table(doc, "Besök per kontaktpolitiker och år", header, rows, numeric_from=2)


def _gaps(doc: DocumentObject, numbers: FollowUp) -> None:
    doc.add_paragraph("Verksamheter utan besök", style="Heading 3")
    for year in numbers.years:
        missing = [operation_in_text(op) for op in numbers.operations_without_visit(year)]
        doc.add_paragraph(f"{year}: {enumeration(missing)}." if missing
                          else f"{year}: alla verksamheter hade minst ett besök.")
    doc.add_paragraph("Kontaktpolitiker utan besök", style="Heading 3")
    for year in numbers.years:
        absent = [person.name for person in numbers.politicians_without_visit_in(year)]
        doc.add_paragraph(f"{year}: {enumeration(absent)}." if absent else
                          f"{year}: alla kontaktpolitiker deltog i minst ett besök.")


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
    doc.add_paragraph(title(committee), style="Heading 1")
    doc.add_paragraph(f"{committee.name}, {committee.municipality}")
    doc.add_paragraph(f"Period: {period}")
    _background(doc, numbers, committee)
    doc.add_paragraph("Sammanställning", style="Heading 2")
    _summary(doc, numbers)
    _operations(doc, numbers)
    _politicians(doc, numbers)
    _gaps(doc, numbers)
    doc.add_paragraph("Förslag till beslut", style="Heading 2")
    doc.add_paragraph(sentence(committee.proposals.follow_up.strip()))
    set_core_properties(doc, f"{title(committee)}, {period}", created_at(numbers),
                        author=committee.name,
                        subject=f"{committee.name}, {committee.municipality}",
                        keywords="uppföljning; kontaktpolitiker; verksamhetsbesök")
    return doc


def render_followup(numbers: FollowUp, committee: Committee, *,
                    template: Template | None = None) -> bytes:
    """The follow-up document as reproducible DOCX bytes."""
    return save_docx(build_followup(numbers, committee, template=template))
