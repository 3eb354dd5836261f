"""The bundle's table of contents: each report with the page it starts on.

The page numbers are PAGEREF fields to a bookmark on each report's first paragraph.
LibreOffice computes them when it lays the document out (so the PDF has them), and the
document asks Word to update its fields when it is opened (w:updateFields), so Word shows
them too. A TOC field would list every report under the same heading, «Återrapportering av
verksamhetsbesök»; these entries name the visit instead.
"""

from __future__ import annotations

from collections.abc import Sequence

from docx.document import Document as DocumentObject
from docx.enum.text import WD_TAB_ALIGNMENT, WD_TAB_LEADER
from docx.oxml import OxmlElement
from docx.oxml.ns import qn

from besoksrapport.committee.operations import operation_label
from besoksrapport.report import Report

from .ooxml import field_runs
from .text import clean
from .widths import usable_width

HEADING = "Innehåll"
# What follows w:updateFields in w:settings (ECMA-376 CT_Settings), for Word's strict order.
_AFTER_UPDATE_FIELDS = (
    "w:hdrShapeDefaults", "w:footnotePr", "w:endnotePr", "w:compat", "w:docVars", "w:rsids",
    "m:mathPr", "w:attachedSchema", "w:themeFontLang", "w:clrSchemeMapping",
    "w:doNotIncludeSubdocsInStats", "w:doNotAutoCompressPictures", "w:forceUpgrade",
    "w:captions", "w:readModeInkLockDown", "w:smartTagType", "sl:schemaLibrary",
    "w:shapeDefaults", "w:doNotEmbedSmartTags", "w:decimalSymbol", "w:listSeparator")
# Shown until the office suite computes the page (Word asks to update fields on opening).
UNKNOWN_PAGE = "–"


def report_bookmark(number: int) -> str:
    """The bookmark at the start of the ``number``-th report of the bundle."""
    return f"rapport_{number}"


def add_bookmark(body, name: str, number: int) -> None:
    """A bookmark around the start of the first paragraph of ``body``."""
    paragraph = body.find(qn("w:p"))
    if paragraph is None:
        paragraph = OxmlElement("w:p")
        body.insert(0, paragraph)
    start, end = OxmlElement("w:bookmarkStart"), OxmlElement("w:bookmarkEnd")
    start.set(qn("w:id"), str(number))
    start.set(qn("w:name"), name)
    end.set(qn("w:id"), str(number))
    properties = paragraph.find(qn("w:pPr"))
    index = 0 if properties is None else list(paragraph).index(properties) + 1
    paragraph.insert(index, start)
    paragraph.insert(index + 1, end)


def entry_text(number: int, report: Report) -> str:
    """«3. Kost – Centralköket, Anna Lindqvist (BR-2026-7K3M9Q)»."""
    place = " – ".join(part for part in (operation_label(report.operation),
                                         " ".join(report.unit.split())) if part)
    return clean(f"{number}. {place}, {report.submitter.name} ({report.report_id})")


def add_contents(doc: DocumentObject, reports: Sequence[Report], bookmarks: Sequence[str],
                 heading_style: str = "Heading 2") -> None:
    """«Innehåll» and one line per report: its visit, a dotted leader and its page."""
    heading = doc.add_paragraph(HEADING, style=heading_style)
    heading.paragraph_format.page_break_before = True
    width = usable_width(doc)
    for number, (report, bookmark) in enumerate(zip(reports, bookmarks, strict=True), start=1):
        paragraph = doc.add_paragraph()
        paragraph.paragraph_format.tab_stops.add_tab_stop(width, WD_TAB_ALIGNMENT.RIGHT,
                                                          WD_TAB_LEADER.DOTS)
        paragraph.add_run(entry_text(number, report) + "\t")
        field_runs(paragraph, f"PAGEREF {bookmark} \\h", UNKNOWN_PAGE)
    settings = doc.settings.element
    if settings.find(qn("w:updateFields")) is None:
        update = OxmlElement("w:updateFields")
        update.set(qn("w:val"), "true")
        settings.insert_element_before(update, *_AFTER_UPDATE_FIELDS)
