"""The public report document: one visit report as the committee, press and public read it.

Only the politician's answers and what we decided at reception go in, laid out as a
municipal document (see ``letterhead``). Deliberately never read here: ``report.flags``
(the secretary's notes on guideline breaches), the declarations of employment and of a
närstående in the operation, and the arvode claim. Those are the secretary's, in the mail,
the ``meeting`` command and the payroll basis; a report is public from the day it comes in.
"""

from __future__ import annotations

import gc
from datetime import date, time
from typing import Any

from docx.document import Document as DocumentObject
from docx.shared import Cm

from besoksrapport.committee.model import Committee
from besoksrapport.committee.operations import LABELS, operation_label
from besoksrapport.report import Report
from besoksrapport.swedish import DISCUSSION_POINTS, MET, VISIT_KINDS, long_date, time_range, yes_no

from .letterhead import HEADING, write_header, write_sign_off
from .ooxml import mark_header_row, set_table_caption
from .reproducible import save_docx, set_core_properties
from .template import TABLE_STYLE, Template, configured_template
from .text import add_line, add_text, clean, lines

NO_ANSWER = "Inget svar lämnades."
# The guideline's purpose: the visits give «ett underlag inför de politiska besluten».
CONCLUSIONS = "Kontaktpolitikerns slutsatser och frågor som nämnden bör följa"
NO_CONCLUSIONS = "Kontaktpolitikern har inte skrivit några egna slutsatser eller frågor."


def render_report(report: Report, committee: Committee, *,
                  template: Template | None = None) -> bytes:
    """The report as .docx bytes; the same report, committee and template give the same bytes."""
    template = template or configured_template()
    doc = template.new_document(image_alt_text=f"Logotyp för {committee.municipality}")
    _write(doc, report, committee, template.style_ids)
    set_core_properties(doc, _title(report.answers), report.received_at,
                        author=committee.name, subject=f"{committee.municipality}, "
                        f"{committee.name}", keywords="kontaktpolitiker; verksamhetsbesök")
    data = save_docx(doc)
    del doc
    # python-docx documents are reference cycles; collecting the young generations now frees
    # them at once (measured: RSS stays flat over thousands of renders, bench/bench_render.py).
    gc.collect(1)
    return data


def _title(answers: dict[str, Any]) -> str:
    parts = [operation_label(answers.get("operation", "")),
             answers.get("unit", "")]
    if answers.get("visit_date"):
        parts.append(long_date(date.fromisoformat(answers["visit_date"])))
    details = ", ".join(clean(part) for part in parts if part)
    return f"{HEADING}: {details}" if details else HEADING


def _write(doc: DocumentObject, report: Report, committee: Committee,
           styles: dict[str, str]) -> None:
    answers = report.answers
    h1, h2 = styles["Heading 1"], styles["Heading 2"]
    write_header(doc, report, committee, h1)

    add_line(doc, "Om besöket", style_id=h2)
    _facts_table(doc, _facts(report), styles[TABLE_STYLE])

    for field, heading in DISCUSSION_POINTS.items():
        add_line(doc, heading, style_id=h2)
        if not add_text(doc, answers.get(field) or ""):
            add_line(doc, NO_ANSWER)

    add_line(doc, CONCLUSIONS, style_id=h2)
    if not add_text(doc, answers.get("own_conclusions") or ""):
        add_line(doc, NO_CONCLUSIONS)

    add_line(doc, "Muntlig sammanfattning", style_id=h2)
    add_line(doc, _oral_summary(answers.get("oral_summary")))

    write_sign_off(doc, report, h2)


def _yes_no(value: Any) -> str:
    return yes_no(value) if isinstance(value, bool) else NO_ANSWER


def _oral_summary(value: Any) -> str:
    if value is True:
        return ("Kontaktpolitikern vill också göra en muntlig sammanfattning av besöket vid "
                "nämndens sammanträde.")
    if value is False:
        return "Kontaktpolitikern gör ingen muntlig sammanfattning av besöket."
    return NO_ANSWER


def _label(labels: dict[str, str], value: Any) -> str:
    return labels.get(value, value) if isinstance(value, str) and value else NO_ANSWER


def _when(answers: dict[str, Any]) -> str:
    if not answers.get("visit_date"):
        return NO_ANSWER
    when = long_date(date.fromisoformat(answers["visit_date"]))
    if answers.get("start_time") and answers.get("end_time"):
        start = time.fromisoformat(answers["start_time"])
        end = time.fromisoformat(answers["end_time"])
        when += f", {time_range(start, end)}"
    return when


def _visit_kind(answers: dict[str, Any]) -> str:
    kind = _label(VISIT_KINDS, answers.get("visit_kind"))
    if answers.get("visit_kind") == "chair_decision" and answers.get("chair_decision_date"):
        decided = long_date(date.fromisoformat(answers["chair_decision_date"]))
        kind += f" (beslut den {decided})"
    return kind


def _met(answers: dict[str, Any]) -> list[str]:
    groups = []
    for value in answers.get("met") or []:
        if value == "other" and answers.get("met_other"):
            groups.append(f"{MET['other']}: {answers['met_other']}")
        else:
            groups.append(_label(MET, value))
    return groups or [NO_ANSWER]


def _participants(answers: dict[str, Any]) -> list[str]:
    names = list(answers.get("other_participants") or [])
    if names:
        return names
    if answers.get("joint_visit") is False:
        return ["Inga andra kontaktpolitiker deltog."]
    return [NO_ANSWER]


def _facts(report: Report) -> list[tuple[str, list[str]]]:
    """What the visit was; who sent the report is in the header («Från»)."""
    answers = report.answers
    invited = answers.get("invited_by_operation")
    return [
        ("Verksamhet", [_label(LABELS, answers.get("operation"))]),
        ("Enhet eller plats", [answers.get("unit") or NO_ANSWER]),
        ("Datum och tid", [_when(answers)]),
        ("Typ av besök", [_visit_kind(answers)]),
        ("Inbjuden av verksamheten", [_yes_no(invited)]),
        ("Övriga kontaktpolitiker som deltog", _participants(answers)),
        ("Träffade under besöket", _met(answers)),
    ]


def _facts_table(doc: DocumentObject, facts: list[tuple[str, list[str]]],
                 style_id: str) -> None:
    """A two-column table whose header row repeats on every page it spans."""
    table = doc.add_table(rows=1 + len(facts), cols=2)
    table._tbl.tblPr.style = style_id
    set_table_caption(table, "Uppgifter om besöket")
    widths = (Cm(5.5), Cm(10.5))
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    header = table.rows[0]
    mark_header_row(header)
    for row, (label, values) in zip(table.rows, [("Uppgift", ["Svar"]), *facts], strict=True):
        for cell, width in zip(row.cells, widths, strict=True):
            cell.width = width
        _fill(row.cells[0], [label], bold=row is header)
        _fill(row.cells[1], values, bold=row is header)


def _fill(cell, values: list[str], *, bold: bool = False) -> None:
    """Cell text, one paragraph per line, replacing the empty paragraph a new cell has."""
    empty = cell.paragraphs[0]._p
    for line in [line for value in values for line in lines(value)] or [NO_ANSWER]:
        add_line(cell, line, bold=bold)
    empty.getparent().remove(empty)
