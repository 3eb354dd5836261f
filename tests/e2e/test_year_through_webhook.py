"""Issue 6 end to end: a realistic year of reports through the real webhook.

Sixteen signed deliveries (tests/rules/year.py: several politicians, every operation, two
joint visits, a third visit without and one with the chair's decision, conflict-of-interest
declarations, a submitter not on the roster) go to a real gunicorn; its worker assesses them
from the outbox. Then the flags in the storage, the public report documents, and the
secretary's commands ``compensation`` and ``follow-up`` (as subprocesses) are checked against
the unit tests' hand tables, imported from tests/rules so both prove the same count.
"""

from __future__ import annotations

import csv
import html
import io
import re
import zipfile
from datetime import datetime, time
from pathlib import Path

import openpyxl
import pytest
from documents import PRIVATE_WORDS
from docx import Document
from year import sent_year

from besoksrapport.guideline.compensation import HEADER
from besoksrapport.guideline.flags import EMPLOYED_IN_OPERATION, NOT_ON_ROSTER, RELATIVE_EMPLOYED
from besoksrapport.guideline.followup import NOT_ON_ROSTER_ROLE
from docgen.accessibility import check_docx
from docgen.ooxml import NS

from ..besoksrapport.test_compensation import EXPECTED_2026
from ..besoksrapport.test_flags import EXPECTED
from ..besoksrapport.test_followup import (
    ALT_TEXT,
    BEYOND_WITH,
    BEYOND_WITHOUT,
    BY_OPERATION,
    BY_POLITICIAN,
    CHAIR,
    INVITED,
    ORAL,
    VISITS,
)

pytestmark = pytest.mark.e2e

YEAR_2026 = ("--from", "2026-01-01", "--to", "2026-12-31")
MANDATE = ("--from", "2025-01-01", "--to", "2026-12-31")

# Hand-made from year.py, beside EXPECTED_2026: which report each 2026 row comes from, and
# its hours as Swedish Excel shows them (minutes / 60, decimal comma).
ROW_REPORTS_2026 = ["R01", "R05", "R06", "R02", "R03", "R04", "R13", "R07", "R08", "R09",
                    "R12", "R11"]
HOURS = {150: "2,5", 90: "1,5", 80: "1,33", 105: "1,75"}
OPERATION_LABELS = {"kost": "Kost", "arbetsmarknad": "Arbetsmarknad", "komvux": "Komvux",
                    "turism": "Turism", "kultur": "Kultur", "fritid": "Fritid"}


def _answers(label: str) -> dict:
    return next(item.envelope["data"]["answers"] for item in sent_year()
                if item.label == label)


def _stored_label(report_id_in_table: str | None) -> str | None:
    """«BR-2026-R01» in the unit tests' table → «R01»."""
    return report_id_in_table.rsplit("-", 1)[1] if report_id_in_table else None


# -- reception ----------------------------------------------------------------------------


def test_every_report_of_the_year_is_answered_201_and_stored_once(year):
    assert {label: answer.status_code for label, answer in year.answers.items()} == \
        {item.label: 201 for item in sent_year()}
    assert set(year.reports) == set(EXPECTED)
    for label, answer in year.answers.items():
        body = answer.json()
        assert body["report_id"] == year.reports[label].report_id
        assert body["meeting_date"] is not None
        assert body["receipt"].startswith(f"Tack! Vi har tagit emot din rapport "
                                          f"{body['report_id']}. Den är nu en allmän handling")
    # Sent in this order, R04 is Bengt's third ordinary visit of 2026 when it arrives (R13,
    # his fourth, was decided by the chair): its receipt says so, and no other does.
    told = {label for label, answer in year.answers.items()
            if "ordinarie besök under" in answer.json()["receipt"]}
    assert told == {"R04"}
    assert "ditt tredje ordinarie besök under 2026" in year.answers["R04"].json()["receipt"]


@pytest.mark.parametrize(("label", "code"), [("R11", NOT_ON_ROSTER),
                                             ("R08", EMPLOYED_IN_OPERATION),
                                             ("R05", RELATIVE_EMPLOYED)])
def test_a_report_breaking_the_guideline_is_accepted_and_flagged_never_dropped(year, label,
                                                                               code):
    assert year.answers[label].status_code == 201
    report = year.reports[label]
    assert code in {flag.code for flag in report.flags}
    assert report.answers == _answers(label)  # stored as sent, nothing dropped or changed
    assert report.meeting_date is not None  # filed with a meeting like any other report


# -- flags ---------------------------------------------------------------------------------


def test_every_stored_flag_and_joint_visit_link_matches_the_hand_table(year):
    ids = year.ids
    stored = {label: ({flag.code for flag in report.flags}, report.joint_visit_of)
              for label, report in year.reports.items()}
    expected = {label: (codes, ids[_stored_label(joint)] if joint else None)
                for label, (codes, joint) in EXPECTED.items()}
    assert stored == expected


def test_stored_flag_messages_name_the_stored_reports(year):
    duplicate = year.reports["R10"].flags
    assert [flag.message for flag in duplicate] == [
        "Kontaktpolitikern har redan rapporterat samma besök (fritid, Sporthallen, den 18 mars "
        "2026) i "
        f"rapport {year.ids['R09']}. Kontrollera om rapporten är en dubblett."]
    assert [flag.message for flag in year.reports["R04"].flags] == [
        "Detta är kontaktpolitikerns 3:e ordinarie besök 2026 utan ordförandens beslut. Enligt "
        "riktlinjerna deltar kontaktpolitikern vid 1–2 verksamhetsbesök per år; fler besök "
        "görs efter beslut av ordföranden."]


def _document_text(data: bytes) -> str:
    """All text of a DOCX: every part's w:t runs, joined per part, and the properties."""
    texts = []
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for name in archive.namelist():
            if not name.endswith(".xml"):
                continue
            xml = archive.read(name).decode("utf-8")
            texts.append("".join(re.findall(r"<w:t(?:\s[^>]*)?>([^<]*)</w:t>", xml)))
            if name.startswith("docProps/"):
                texts.append(re.sub(r"<[^>]+>", " ", xml))
    return html.unescape("\n".join(texts))


def _flag_texts(year) -> list[str]:
    """Every stored flag message, and its first clause in case a document reflows it."""
    messages = [flag.message for report in year.reports.values() for flag in report.flags]
    return messages + [message.split(".")[0][:40] for message in messages]


def test_flags_are_kept_out_of_the_public_report_documents(year):
    flagged = {label: report for label, report in year.reports.items() if report.flags}
    assert set(flagged) == {label for label, (codes, _) in EXPECTED.items() if codes}
    for label, report in flagged.items():
        folder = year.data_dir / "meetings" / report.meeting_date.isoformat()
        [path] = folder.glob(f"* {report.report_id}.docx")
        text = _document_text(path.read_bytes())
        assert report.report_id in text, label  # the right document was read
        assert [piece for piece in _flag_texts(year) if piece in text] == [], label
        assert "riktlinjerna" not in text, label


def test_the_meeting_list_bundle_and_index_carry_no_flags(year):
    [folder] = {year.data_dir / "meetings" / r.meeting_date.isoformat()
                for r in year.reports.values()}
    documents = sorted(folder.glob("*.docx"))
    assert len(documents) == len(year.reports) + 2  # each report, the list and the bundle
    texts = {path.name: _document_text(path.read_bytes()) for path in documents}
    for name in ("Förteckning över återrapporter", "Samtliga återrapporter"):
        [text] = [text for file, text in texts.items() if file.endswith(f" {name}.docx")]
        assert all(report_id in text for report_id in year.labels), name  # read them all
    texts["index.json"] = (folder / "index.json").read_text(encoding="utf-8")
    for name, text in texts.items():
        assert [piece for piece in _flag_texts(year) if piece in text] == [], name
        # R05 and R08 declared a närstående and an employment; no document may tell.
        assert [word for word in PRIVATE_WORDS if word in text.casefold()] == [], name


# -- compensation --------------------------------------------------------------------------


def _export(year, out: Path, command: str, period: tuple[str, ...], stem: str,
            suffixes: tuple[str, ...]) -> list[Path]:
    """Run the secretary's ``command`` for ``period``: it succeeds and names the files it
    wrote (``stem`` with each suffix, in that order), which are returned."""
    result = year.run(command, *period, "-o", str(out))
    assert result.returncode == 0, result.stderr
    files = [out / f"{stem}.{suffix}" for suffix in suffixes]
    assert result.stdout.splitlines() == [str(path) for path in files]
    return files


@pytest.fixture(scope="module")
def compensation(year, tmp_path_factory):
    csv_file, xlsx_file = _export(year, tmp_path_factory.mktemp("arvode"), "compensation",
                                  YEAR_2026, "arvodesunderlag_2026-01-01_2026-12-31",
                                  ("csv", "xlsx"))
    return csv_file, xlsx_file


def test_the_compensation_csv_is_what_swedish_excel_reads(compensation):
    raw = compensation[0].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 with BOM: Excel then reads å ä ö
    lines = raw[3:].split(b"\r\n")
    assert lines[-1] == b"" and all(b"\n" not in line for line in lines)  # CRLF throughout
    text = raw[3:].decode("utf-8")
    assert "Öberg" in text and "Petrović" in text and "Nyström" in text and "Besöksdatum" in text
    table = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert table[0] == list(HEADER)
    assert all(len(row) == len(HEADER) for row in table)


def test_the_compensation_rows_match_the_hand_count(year, compensation):
    with compensation[0].open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))[1:]
    yes_no = {True: "Ja", False: "Nej"}
    expected = []
    for (who, day, minutes, basis, joint, fee), label in zip(EXPECTED_2026, ROW_REPORTS_2026,
                                                             strict=True):
        answers = _answers(label)
        expected.append([who, day, answers["start_time"], answers["end_time"], str(minutes),
                         HOURS[minutes], OPERATION_LABELS[answers["operation"]],
                         answers["unit"].strip(), yes_no[fee], basis, yes_no[joint],
                         year.ids[label]])
    assert [row[:1] + row[2:13] for row in rows] == expected  # «Att kontrollera» follows
    marked = {row[0] for row in rows if row[13]}
    assert marked == {"erik.nystrom", "dragan.petrovic"}  # not on the roster; not his
    names = {row[0]: row[1] for row in rows}
    assert names == {"anna.lindqvist": "Anna Lindqvist", "bengt.haraldsson": "Bengt Haraldsson",
                     "cecilia.oberg": "Cecilia Öberg", "dragan.petrovic": "Dragan Petrović",
                     "erik.nystrom": "Erik Nyström"}
    assert year.ids["R10"] not in {row[12] for row in rows}  # the duplicate pays nothing


def test_the_compensation_xlsx_has_real_dates_and_numbers(year, compensation):
    sheet = openpyxl.load_workbook(compensation[1]).active
    assert [cell.value for cell in sheet[1]] == list(HEADER)
    body = list(sheet.iter_rows(min_row=2))
    assert len(body) == len(EXPECTED_2026)
    for row, (who, day, minutes, basis, joint, fee), label in zip(
            body, EXPECTED_2026, ROW_REPORTS_2026, strict=True):
        assert row[0].value == who
        assert row[2].is_date and row[2].value == datetime.fromisoformat(day)
        assert row[2].number_format == "yyyy-mm-dd"
        assert row[3].value == time.fromisoformat(_answers(label)["start_time"])
        assert row[5].data_type == "n" and row[5].value == minutes
        assert row[6].data_type == "n" and row[6].value == pytest.approx(minutes / 60, abs=0.005)
        assert [c.value for c in row[9:13]] == [{True: "Ja", False: "Nej"}[fee], basis,
                                              {True: "Ja", False: "Nej"}[joint],
                                              year.ids[label]]
    assert body[7][1].value == "Cecilia Öberg"


# -- follow-up -----------------------------------------------------------------------------


@pytest.fixture(scope="module")
def follow_up(year, tmp_path_factory):
    docx_file, csv_file = _export(year, tmp_path_factory.mktemp("uppfoljning"), "follow-up",
                                  MANDATE, "uppfoljning_kontaktpolitiker_2025-01-01_2026-12-31",
                                  ("docx", "csv"))
    return docx_file.read_bytes(), csv_file


def _table(table) -> list[list[str]]:
    """The cells' text as read; the soft hyphens where long words may break are invisible."""
    return [[cell.text.replace("\u00ad", "") for cell in row.cells] for row in table.rows]


def test_the_follow_up_tables_show_the_hand_count(follow_up):
    tables = Document(io.BytesIO(follow_up[0])).tables
    assert _table(tables[0]) == BY_OPERATION
    assert _table(tables[1]) == BY_POLITICIAN


def test_the_follow_up_states_gaps_oral_share_and_chair_visits(follow_up):
    paragraphs = [p.text for p in Document(io.BytesIO(follow_up[0])).paragraphs]
    assert f"Antal verksamhetsbesök under perioden: {VISITS}." in paragraphs
    # 4 of 13 = 30.77 %, counted by hand.
    assert ("Besök som kontaktpolitikern också ville sammanfatta muntligt för nämnden: "
            f"{ORAL} av {VISITS} (30,8\u00a0%).") in paragraphs
    assert f"Besök efter beslut av ordföranden: {CHAIR}." in paragraphs
    without_2025 = [row[0] for row in BY_OPERATION[1:-1] if row[1] == "0"]
    assert without_2025 == ["Arbetsmarknad", "Komvux", "Turism", "Fritid"]
    assert "2025: arbetsmarknad, Komvux, turism och fritid." in paragraphs
    assert "2026: alla verksamheter hade minst ett besök." in paragraphs
    start = paragraphs.index("Kontaktpolitiker utan besök")
    for offset, (year, column) in enumerate((("2025", 2), ("2026", 3)), start=1):
        without = [row[0] for row in BY_POLITICIAN[1:]
                   if row[column] == "0" and row[1] != NOT_ON_ROSTER_ROLE]
        assert paragraphs[start + offset] == f"{year}: {' och '.join(without)}."
    assert ("Besök som verksamheten bjöd in kontaktpolitikern till: "
            f"{INVITED} av {VISITS} (92,3\u00a0%).") in paragraphs
    assert ("Besök utöver de 1–2 per år, räknat per kontaktpolitiker: "
            f"{BEYOND_WITHOUT} utan beslut av ordföranden och {BEYOND_WITH} efter beslut av "
            "ordföranden.") in paragraphs


def test_the_follow_up_is_accessible_and_its_chart_has_the_numbers_as_alt_text(follow_up):
    assert check_docx(follow_up[0]) == []
    shapes = Document(io.BytesIO(follow_up[0])).inline_shapes
    assert len(shapes) == 1
    assert shapes[0]._inline.find("wp:docPr", NS).get("descr") == ALT_TEXT


def test_the_follow_up_csv_holds_the_hand_count(follow_up):
    raw = follow_up[1].read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and b"\r\n" in raw
    with follow_up[1].open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))[1:]
    per_operation = {(r[1], r[2]): r[4] for r in rows if r[0] == "Besök per verksamhet och år"}
    assert per_operation == {(year, row[0]): row[column]
                             for row in BY_OPERATION[1:-1]
                             for column, year in ((1, "2025"), (2, "2026"))}
    per_person = {(r[1], r[3]): r[4] for r in rows
                  if r[0] == "Besök per kontaktpolitiker och år"}
    assert per_person == {(year, row[0]): row[column]
                          for row in BY_POLITICIAN[1:]
                          for column, year in ((2, "2025"), (3, "2026"))}
    assert ["Besök totalt", "", "", "", str(VISITS)] in rows
    assert ["Besök med muntlig sammanfattning", "", "", "", str(ORAL)] in rows
    assert ["Andel besök med muntlig sammanfattning (%)", "", "", "", "30,8"] in rows
    assert ["Besök efter ordförandens beslut", "", "", "", str(CHAIR)] in rows
    assert ["Kontaktpolitiker utan besök", "", "", "Fatima Said", "0"] in rows


def test_the_follow_up_counts_only_the_period_asked_for(year, tmp_path):
    result = year.run("follow-up", "--from", "2026-01-01", "--to", "2026-06-30",
                      "-o", str(tmp_path))
    assert result.returncode == 0, result.stderr
    data = (tmp_path / "uppfoljning_kontaktpolitiker_2026-01-01_2026-06-30.docx").read_bytes()
    # By hand: R01+R02 (joint), R03, R04, R05, R07, R09 (R10 the same visit).
    assert _table(Document(io.BytesIO(data)).tables[0])[-1] == ["Totalt", "6", "6"]
