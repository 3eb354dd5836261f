"""The payroll's basis for sammanträdesarvode: one row per politician and visit.

«Sammanträdesarvode utgår i enlighet med bestämmelserna om ersättning till förtroendevalda.
Kontaktpolitikern deltar vid 1-2 verksamhetsbesök per år. Utöver detta sker besök efter
beslut av ordföranden.» Each row says whether the visit was one of the politician's yearly
one or two, beyond them without a decision, or decided by the chair — the payroll decides
what to pay. A repeat report of the same visit gives no second row; a joint visit gives one
row per participant. «Att kontrollera» marks a row whose politician is not on the roster of
kontaktpolitiker, or whose visit lies outside the operations the politician was appointed
for: such a visit is not a kontaktpolitiker's visit by the guideline, and the payroll must
decide. Numbering needs the whole calendar year, so pass the reports of every
year the period touches; only visits within the period become rows.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time
from pathlib import Path

from besoksrapport.committee.model import Committee, Politician
from besoksrapport.committee.operations import operation_in_text, operation_label
from besoksrapport.guideline.visits import ORDINARY_PER_YEAR, Participation, participations, visits
from besoksrapport.report import Report
from besoksrapport.spreadsheet import decimal_comma, save_workbook, set_text, write_swedish_csv
from besoksrapport.swedish import STOCKHOLM, enumeration, yes_no

TITLE = "Underlag för sammanträdesarvode, verksamhetsbesök"
HEADER = ("Politiker-id", "Namn", "Besöksdatum", "Start", "Slut", "Minuter", "Timmar",
          "Verksamhet", "Enhet", "Arvode begärt", "Grund", "Gemensamt besök", "Rapport",
          "Att kontrollera")
WIDTHS = (18, 24, 12, 7, 7, 9, 8, 15, 28, 13, 40, 16, 17, 50)
NOT_ON_ROSTER = "Inte kontaktpolitiker enligt förteckningen över kontaktpolitiker"


@dataclass(frozen=True)
class CompensationRow:
    politician_id: str
    name: str
    visit_date: date
    start: time
    end: time
    minutes: int
    operation: str  # code; see ``operation_label``
    unit: str
    claims_fee: bool
    basis: str
    joint_visit: bool
    report_id: str
    remark: str = ""  # «Att kontrollera»: not on the roster, or not the politician's operation

    @property
    def hours(self) -> float:
        return round(self.minutes / 60, 2)

    @property
    def operation_label(self) -> str:
        return operation_label(self.operation)


def basis(part: Participation) -> str:
    """«Ordinarie besök 1 av 2», «Utöver 1–2 besök utan ordförandebeslut», …"""
    if part.ordinal is None:
        decided = part.report.chair_decision_date
        return f"Efter ordförandens beslut ({decided.isoformat()})" if decided \
            else "Efter ordförandens beslut"
    if part.ordinal <= ORDINARY_PER_YEAR:
        return f"Ordinarie besök {part.ordinal} av {ORDINARY_PER_YEAR}"
    return "Utöver 1–2 besök utan ordförandebeslut"


def remark(person: Politician | None, operation: str) -> str:
    """Why the payroll should look twice at a row, or ""."""
    if person is None:
        return NOT_ON_ROSTER
    if person.operations and operation not in person.operations:
        appointed = enumeration([operation_in_text(code) for code in person.operations])
        return (f"Besöket gäller {operation_in_text(operation)}, inte politikerns "
                f"verksamheter ({appointed})")
    return ""


def compensation_rows(reports: Iterable[Report], committee: Committee, first: date,
                      last: date) -> list[CompensationRow]:
    """The rows for visits from ``first`` to ``last`` (inclusive), by politician, then date."""
    reports = list(reports)
    groups = visits(reports)
    rows = []
    for part in participations(reports):
        if not first <= part.key.visit_date <= last:
            continue
        report = part.report
        person = committee.politician(part.politician_id)
        others = {other.submitter.id for other in groups[part.key]} - {part.politician_id}
        rows.append(CompensationRow(
            politician_id=part.politician_id,
            name=person.name if person else report.submitter.name,
            visit_date=report.visit_date,
            start=report.start_time,
            end=report.end_time,
            minutes=report.duration_minutes,
            operation=report.operation,
            unit=" ".join(report.unit.split()),
            claims_fee=report.answers.get("claims_meeting_fee") is True,
            basis=basis(part),
            joint_visit=bool(others) or report.answers.get("joint_visit") is True,
            report_id=report.report_id,
            remark=remark(person, report.operation),
        ))
    return sorted(rows, key=lambda row: (row.name.casefold(), row.politician_id,
                                         row.visit_date, row.start, row.report_id))


def _csv_values(row: CompensationRow) -> list[str]:
    return [row.politician_id, row.name, row.visit_date.isoformat(), f"{row.start:%H:%M}",
            f"{row.end:%H:%M}", str(row.minutes), decimal_comma(row.hours),
            row.operation_label, row.unit, yes_no(row.claims_fee), row.basis,
            yes_no(row.joint_visit), row.report_id, row.remark]


def write_csv(rows: Sequence[CompensationRow], path: Path) -> Path:
    """The rows as a CSV Swedish Excel opens correctly (see ``spreadsheet``)."""
    return write_swedish_csv(path, HEADER, [_csv_values(row) for row in rows])


def write_xlsx(rows: Sequence[CompensationRow], path: Path, *,
               created: datetime | None = None, author: str = "") -> Path:
    """The rows as a worksheet: real dates, times and numbers, bold frozen header."""
    # openpyxl (and numpy with it) only when a worksheet is asked for: commands start fast.
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Arvodesunderlag"
    for column, label in enumerate(HEADER, start=1):
        cell = sheet.cell(row=1, column=column, value=label)
        cell.font = Font(bold=True)
    for number, row in enumerate(rows, start=2):
        values = {3: row.visit_date, 4: row.start, 5: row.end, 6: row.minutes, 7: row.hours}
        formats = {3: "yyyy-mm-dd", 4: "hh:mm", 5: "hh:mm", 6: "0", 7: "0.00"}
        texts = {1: row.politician_id, 2: row.name, 8: row.operation_label, 9: row.unit,
                 10: yes_no(row.claims_fee), 11: row.basis, 12: yes_no(row.joint_visit),
                 13: row.report_id, 14: row.remark}
        for column, value in values.items():
            cell = sheet.cell(row=number, column=column, value=value)
            cell.number_format = formats[column]
        for column, text in texts.items():
            set_text(sheet.cell(row=number, column=column), text)
    for column, width in enumerate(WIDTHS, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"
    if rows:
        sheet.auto_filter.ref = f"A1:{get_column_letter(len(HEADER))}{len(rows) + 1}"
    moment = created or _fallback_created(rows)
    return save_workbook(workbook, path, title=TITLE, created=moment, creator=author)


def _fallback_created(rows: Sequence[CompensationRow]) -> datetime:
    """From the data, never the clock: the last visit's day, midnight Stockholm."""
    day = max((row.visit_date for row in rows), default=date(1980, 1, 1))
    return datetime.combine(day, time(0, 0), tzinfo=STOCKHOLM).astimezone(UTC)
