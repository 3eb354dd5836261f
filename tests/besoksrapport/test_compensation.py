"""The payroll's basis: rows per politician and visit, the CSV as Swedish Excel reads it, XLSX."""

from __future__ import annotations

import csv
from datetime import date, datetime, time

import openpyxl
from year import sent

from besoksrapport.guideline.compensation import HEADER, compensation_rows, write_csv, write_xlsx

YEAR_2026 = (date(2026, 1, 1), date(2026, 12, 31))

# Hand-made from year.py: (politician, visit date, minutes, basis, joint, fee claimed).
EXPECTED_2026 = [
    ("anna.lindqvist", "2026-02-10", 150, "Ordinarie besök 1 av 2", True, True),
    ("anna.lindqvist", "2026-04-20", 150, "Ordinarie besök 2 av 2", False, True),
    ("anna.lindqvist", "2026-09-15", 150, "Efter ordförandens beslut (2026-09-01)", False, True),
    ("bengt.haraldsson", "2026-02-10", 150, "Ordinarie besök 1 av 2", True, True),
    ("bengt.haraldsson", "2026-03-05", 90, "Ordinarie besök 2 av 2", False, True),
    ("bengt.haraldsson", "2026-05-12", 80, "Utöver 1–2 besök utan ordförandebeslut", False,
     True),
    ("bengt.haraldsson", "2026-11-20", 150, "Efter ordförandens beslut (2026-11-10)", False,
     True),
    ("cecilia.oberg", "2026-06-03", 150, "Ordinarie besök 1 av 2", False, True),
    ("cecilia.oberg", "2026-10-08", 150, "Ordinarie besök 2 av 2", False, True),
    ("dragan.petrovic", "2026-03-18", 105, "Ordinarie besök 1 av 2", False, False),
    ("dragan.petrovic", "2026-08-20", 150, "Ordinarie besök 2 av 2", False, True),
    ("erik.nystrom", "2026-11-02", 150, "Ordinarie besök 1 av 2", False, True),
]


def test_one_row_per_politician_and_visit_with_its_basis(reports, roster):
    rows = compensation_rows(reports, roster, *YEAR_2026)
    assert [(row.politician_id, row.visit_date.isoformat(), row.minutes, row.basis,
             row.joint_visit, row.claims_fee) for row in rows] == EXPECTED_2026


def test_the_duplicate_report_gives_no_second_row(reports, roster):
    rows = compensation_rows(reports, roster, *YEAR_2026)
    assert "BR-2026-R10" not in {row.report_id for row in rows}
    assert "BR-2026-R09" in {row.report_id for row in rows}


def test_a_period_within_the_year_keeps_the_yearly_numbering(reports, roster):
    rows = compensation_rows(reports, roster, date(2026, 5, 1), date(2026, 9, 30))
    assert [(row.politician_id, row.visit_date.isoformat(), row.basis) for row in rows] == [
        ("anna.lindqvist", "2026-09-15", "Efter ordförandens beslut (2026-09-01)"),
        ("bengt.haraldsson", "2026-05-12", "Utöver 1–2 besök utan ordförandebeslut"),
        ("cecilia.oberg", "2026-06-03", "Ordinarie besök 1 av 2"),
        ("dragan.petrovic", "2026-08-20", "Ordinarie besök 2 av 2"),
    ]


def test_names_come_from_the_roster_else_from_the_login(reports, roster):
    rows = compensation_rows(reports, roster, *YEAR_2026)
    names = {row.politician_id: row.name for row in rows}
    assert names["dragan.petrovic"] == "Dragan Petrović"
    assert names["erik.nystrom"] == "Erik Nyström"


def _read_like_excel(path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as stream:
        return list(csv.reader(stream, delimiter=";"))


def test_the_csv_is_what_swedish_excel_expects(reports, roster, tmp_path):
    path = write_csv(compensation_rows(reports, roster, *YEAR_2026), tmp_path / "arvode.csv")
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads UTF-8
    lines = raw[3:].split(b"\r\n")
    assert lines[-1] == b""  # every line, the last included, ends in CRLF
    assert all(b"\n" not in line for line in lines)
    assert lines[0].decode("utf-8") == ";".join(HEADER)

    table = _read_like_excel(path)
    assert table[0] == ["Politiker-id", "Namn", "Besöksdatum", "Start", "Slut", "Minuter",
                        "Timmar", "Verksamhet", "Enhet", "Arvode begärt", "Grund",
                        "Gemensamt besök", "Rapport", "Att kontrollera"]
    rows = {(row[0], row[2]): row for row in table[1:]}
    assert len(table) == 1 + len(EXPECTED_2026)
    assert rows["bengt.haraldsson", "2026-03-05"] == [
        "bengt.haraldsson", "Bengt Haraldsson", "2026-03-05", "13:00", "14:30", "90", "1,5",
        "Arbetsmarknad", "Jobbtorget", "Ja", "Ordinarie besök 2 av 2", "Nej", "BR-2026-R03",
        ""]
    assert rows["bengt.haraldsson", "2026-05-12"][5:7] == ["80", "1,33"]
    assert rows["anna.lindqvist", "2026-02-10"][6] == "2,5"
    assert rows["dragan.petrovic", "2026-03-18"][6:10] == ["1,75", "Fritid", "Sporthallen",
                                                           "Nej"]
    assert rows["cecilia.oberg", "2026-06-03"][1] == "Cecilia Öberg"
    assert rows["bengt.haraldsson", "2026-02-10"][8] == "centralköket"  # as the politician wrote
    assert rows["anna.lindqvist", "2026-09-15"][10] == "Efter ordförandens beslut (2026-09-01)"


def test_text_that_would_run_as_a_formula_stays_text(roster, tmp_path):
    report = sent("Z01", "anna.lindqvist", "kost", "=HYPERLINK(\"http://x\";\"ok\")",
                  "2026-03-03").report()
    rows = compensation_rows([report], roster, *YEAR_2026)
    table = _read_like_excel(write_csv(rows, tmp_path / "a.csv"))
    assert table[1][8] == "'=HYPERLINK(\"http://x\";\"ok\")"

    sheet = openpyxl.load_workbook(write_xlsx(rows, tmp_path / "a.xlsx")).active
    cell = sheet.cell(row=2, column=9)
    assert cell.data_type == "s"
    assert cell.value == "=HYPERLINK(\"http://x\";\"ok\")"


def test_the_xlsx_has_real_dates_times_and_numbers_and_a_frozen_bold_header(reports, roster,
                                                                            tmp_path):
    rows = compensation_rows(reports, roster, *YEAR_2026)
    sheet = openpyxl.load_workbook(write_xlsx(rows, tmp_path / "arvode.xlsx")).active
    assert [cell.value for cell in sheet[1]] == list(HEADER)
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"
    assert sheet.max_row == 1 + len(EXPECTED_2026)
    by_key = {(row[0].value, row[2].value.date()): row for row in sheet.iter_rows(min_row=2)}
    row = by_key["bengt.haraldsson", date(2026, 3, 5)]
    assert row[2].value == datetime(2026, 3, 5) and row[2].number_format == "yyyy-mm-dd"
    assert row[3].value == time(13, 0) and row[4].value == time(14, 30)
    assert row[5].value == 90 and row[6].value == 1.5
    assert [cell.value for cell in row[7:]] == ["Arbetsmarknad", "Jobbtorget", "Ja",
                                                "Ordinarie besök 2 av 2", "Nej", "BR-2026-R03",
                                                None]
    assert by_key["cecilia.oberg", date(2026, 6, 3)][1].value == "Cecilia Öberg"
    assert sheet.column_dimensions["K"].width >= 38  # the basis is readable without resizing


def test_the_xlsx_is_the_same_bytes_for_the_same_rows(reports, roster, tmp_path):
    rows = compensation_rows(reports, roster, *YEAR_2026)
    first = write_xlsx(rows, tmp_path / "1.xlsx").read_bytes()
    second = write_xlsx(rows, tmp_path / "2.xlsx").read_bytes()
    assert first == second
    # Dated from the data (midnight Stockholm of the last visit day), not from the clock.
    properties = openpyxl.load_workbook(tmp_path / "1.xlsx").properties
    assert properties.created == properties.modified == datetime(2026, 11, 19, 23, 0)


def test_an_empty_period_gives_a_header_only_csv_and_xlsx(roster, tmp_path):
    assert _read_like_excel(write_csv([], tmp_path / "e.csv")) == [list(HEADER)]
    sheet = openpyxl.load_workbook(write_xlsx([], tmp_path / "e.xlsx")).active
    assert sheet.max_row == 1


def test_rows_of_one_not_on_the_roster_or_outside_their_operations_are_marked(reports, roster,
                                                                             tmp_path):
    rows = compensation_rows(reports, roster, *YEAR_2026)
    marked = {(row.politician_id, row.visit_date.isoformat()): row.remark
              for row in rows if row.remark}
    assert marked == {
        ("erik.nystrom", "2026-11-02"):
            "Inte kontaktpolitiker enligt förteckningen över kontaktpolitiker",
        ("dragan.petrovic", "2026-08-20"):  # turism is not his (year.py: «not his»)
            marked.get(("dragan.petrovic", "2026-08-20"), "missing"),
    }
    assert marked["dragan.petrovic", "2026-08-20"].startswith(
        "Besöket gäller turism, inte politikerns verksamheter (")
    table = _read_like_excel(write_csv(rows, tmp_path / "arvode.csv"))
    assert table[0][-1] == "Att kontrollera"
    by_key = {(row[0], row[2]): row for row in table[1:]}
    assert by_key["erik.nystrom", "2026-11-02"][-1].startswith("Inte kontaktpolitiker")
    sheet = openpyxl.load_workbook(write_xlsx(rows, tmp_path / "arvode.xlsx")).active
    remarks = [row[13].value for row in sheet.iter_rows(min_row=2) if row[13].value]
    assert len(remarks) == 2
