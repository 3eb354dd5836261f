"""The follow-up per mandate period: its numbers, CSV and document, against a hand count."""

from __future__ import annotations

import csv
import dataclasses
import datetime as dt
import io
import re
import struct
import zipfile
from datetime import date

import pytest
from docx import Document
from libreoffice import pdf_text, words

from besoksrapport.guideline.followup import follow_up, write_csv
from docgen.accessibility import check_docx
from docgen.followup import chart_png, render_followup
from docgen.ooxml import NS
from docgen.template import Template

PERIOD = (date(2025, 1, 1), date(2026, 12, 31))

# Counted by hand from the table in year.py. Joint visits (P02+P03, R01+R02) are one visit
# for the operation; Dragan's second report of the same visit (R10) counts nowhere.
BY_OPERATION = [
    ["Verksamhet", "2025", "2026", "Totalt"],
    ["Kost", "1", "1", "2"],            # P01; R01+R02
    ["Arbetsmarknad", "0", "3", "3"],   # R03, R04, R13
    ["Komvux", "0", "2", "2"],          # R05, R06
    ["Turism", "0", "2", "2"],          # R07, R12
    ["Kultur", "1", "2", "3"],          # P02+P03; R08, R11
    ["Fritid", "0", "1", "1"],          # R09 (R10 the same visit)
    ["Totalt", "2", "11", "13"],
]
# Per politician each participant counts; the roster in its order, then those not on it.
BY_POLITICIAN = [
    ["Kontaktpolitiker", "Roll", "2025", "2026", "Totalt", "Varav efter ordförandens beslut"],
    ["Anna Lindqvist", "Ledamot", "1", "3", "4", "1"],      # P01; R01, R05, R06
    ["Bengt Haraldsson", "Ledamot", "0", "4", "4", "1"],    # R02, R03, R04, R13
    ["Cecilia Öberg", "Ersättare", "1", "2", "3", "0"],     # P02; R07, R08
    ["Dragan Petrović", "Ersättare", "1", "2", "3", "0"],   # P03; R09, R12
    ["Fatima Said", "Ledamot", "0", "0", "0", "0"],
    ["Erik Nyström", "Ej i förteckningen över kontaktpolitiker", "0", "1", "1", "0"],  # R11
]
VISITS, ORAL, CHAIR = 13, 4, 2  # oral summary: P02, R01, R03, R07; chair: R06, R13
INVITED = 12  # all but R12
BEYOND_WITHOUT, BEYOND_WITH = 1, 2  # Bengt's 3rd ordinary R04; by decision R06, R13
ALT_TEXT = ("Stapeldiagram över antal besök per verksamhet och år. "
            "2025: kost 1, arbetsmarknad 0, Komvux 0, turism 0, kultur 1, fritid 0. "
            "2026: kost 1, arbetsmarknad 3, Komvux 2, turism 2, kultur 2, fritid 1. "
            "Samma siffror finns i tabellen under diagrammet.")


@pytest.fixture
def numbers(reports, roster):
    return follow_up(reports, roster, *PERIOD)


@pytest.fixture
def document(numbers, roster) -> bytes:
    return render_followup(numbers, roster, template=Template.load())


def _table(table) -> list[list[str]]:
    return [[cell.text.replace("\u00ad", "") for cell in row.cells] for row in table.rows]


def _paragraphs(data: bytes) -> list[str]:
    return [p.text for p in Document(io.BytesIO(data)).paragraphs]


def test_the_numbers_match_the_hand_count(numbers):
    assert numbers.years == (2025, 2026)
    assert numbers.by_operation == {
        "kost": {2025: 1, 2026: 1}, "arbetsmarknad": {2025: 0, 2026: 3},
        "komvux": {2025: 0, 2026: 2}, "turism": {2025: 0, 2026: 2},
        "kultur": {2025: 1, 2026: 2}, "fritid": {2025: 0, 2026: 1}}
    assert (numbers.visits, numbers.with_oral_summary, numbers.by_chair_decision) == \
        (VISITS, ORAL, CHAIR)
    assert numbers.operations_without_visit(2025) == ["arbetsmarknad", "komvux", "turism",
                                                      "fritid"]
    assert numbers.operations_without_visit(2026) == []
    assert [p.politician_id for p in numbers.politicians_without_visit] == ["fatima.said"]
    assert (numbers.invited, numbers.beyond_without_decision,
            numbers.beyond_with_decision) == (INVITED, BEYOND_WITHOUT, BEYOND_WITH)
    # Bengt's first visit is in 2026: in 2025 he was kontaktpolitiker without a visit.
    assert [p.politician_id for p in numbers.politicians_without_visit_in(2025)] == [
        "bengt.haraldsson", "fatima.said"]
    assert [p.politician_id for p in numbers.politicians_without_visit_in(2026)] == [
        "fatima.said"]


def test_the_document_tables_show_the_hand_count(document):
    tables = Document(io.BytesIO(document)).tables
    assert _table(tables[0]) == BY_OPERATION
    assert _table(tables[1]) == BY_POLITICIAN


def test_the_document_states_the_summary_and_the_gaps(document):
    paragraphs = _paragraphs(document)
    assert paragraphs[0] == ("Uppföljning av riktlinjer för Välfärd- och servicenämndens "
                             "kontaktpolitiker")
    assert "Period: 1 januari 2025 – 31 december 2026" in paragraphs
    assert "Antal verksamhetsbesök under perioden: 13." in paragraphs
    assert ("Besök som verksamheten bjöd in kontaktpolitikern till: 12 av 13 "
            "(92,3\u00a0%).") in paragraphs
    assert ("Besök som kontaktpolitikern också ville sammanfatta muntligt för nämnden: "
            "4 av 13 (30,8\u00a0%).") in paragraphs
    assert "Besök efter beslut av ordföranden: 2." in paragraphs
    assert ("Besök utöver de 1–2 per år, räknat per kontaktpolitiker: 1 utan beslut av "
            "ordföranden och 2 efter beslut av ordföranden.") in paragraphs
    assert "2025: arbetsmarknad, Komvux, turism och fritid." in paragraphs
    assert "2026: alla verksamheter hade minst ett besök." in paragraphs
    start = paragraphs.index("Kontaktpolitiker utan besök")
    assert paragraphs[start + 1:start + 3] == ["2025: Bengt Haraldsson och Fatima Said.",
                                               "2026: Fatima Said."]


def test_the_document_has_background_summary_and_proposal_with_the_exact_guideline(document):
    doc = Document(io.BytesIO(document))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 2"] == [
        "Bakgrund", "Sammanställning", "Förslag till beslut"]
    paragraphs = _paragraphs(document)
    assert ("Riktlinjer för Välfärd- och servicenämndens kontaktpolitiker antogs av Välfärd- "
            "och servicenämnden den 17 januari 2024, § 3. Riktlinjerna följs upp en gång per "
            "mandatperiod.") in paragraphs
    assert paragraphs[-1] == "Uppföljningen läggs till handlingarna."


def test_the_roster_is_as_it_was_each_year(reports, roster):
    """Fatima was appointed in 2026 and Cecilia left at the end of 2025: each counts, and
    is missed, only in the years she was kontaktpolitiker."""
    people = [dataclasses.replace(person, appointed=dt.date(2026, 3, 1))
              if person.id == "fatima.said" else
              dataclasses.replace(person, until=dt.date(2025, 12, 31))
              if person.id == "cecilia.oberg" else person for person in roster.politicians]
    changed = dataclasses.replace(roster, politicians=tuple(people))
    numbers = follow_up(reports, changed, *PERIOD)
    assert [p.name for p in numbers.roster(2025)] == [
        "Anna Lindqvist", "Bengt Haraldsson", "Cecilia Öberg", "Dragan Petrović"]
    assert [p.name for p in numbers.politicians_without_visit_in(2025)] == ["Bengt Haraldsson"]
    rows = _table(Document(io.BytesIO(render_followup(numbers, changed))).tables[1])
    by_name = {row[0]: row for row in rows}
    assert by_name["Fatima Said"][2:4] == ["–", "0"]
    # Cecilia's 2026 visits were made after her appointment ended: they still count.
    assert by_name["Cecilia Öberg"][2:4] == ["1", "2"]


def test_a_third_visit_early_in_a_period_counts_the_visits_before_the_period(reports, roster):
    numbers = follow_up(reports, roster, dt.date(2026, 5, 1), dt.date(2026, 12, 31))
    assert numbers.beyond_without_decision == 1  # R04 on 12 May, after R02 and R03


def test_the_document_passes_the_accessibility_checks(document):
    assert check_docx(document) == []


def test_the_chart_carries_its_numbers_as_alt_text(document):
    doc = Document(io.BytesIO(document))
    assert len(doc.inline_shapes) == 1
    doc_pr = doc.inline_shapes[0]._inline.find("wp:docPr", NS)
    assert doc_pr.get("descr") == ALT_TEXT


def _png_chunks(data: bytes) -> dict[bytes, list[bytes]]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    chunks: dict[bytes, list[bytes]] = {}
    position = 8
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind = data[position + 4:position + 8]
        chunks.setdefault(kind, []).append(data[position + 8:position + 8 + length])
        position += 12 + length
    return chunks


def test_the_chart_is_a_deterministic_png_at_150_dpi_without_software_stamp(numbers):
    png = chart_png(numbers)
    assert png == chart_png(numbers)
    chunks = _png_chunks(png)
    x, y, unit = struct.unpack(">IIB", chunks[b"pHYs"][0])
    assert unit == 1 and round(x * 0.0254) == round(y * 0.0254) == 150
    texts = b"".join(chunks.get(b"tEXt", []) + chunks.get(b"iTXt", []))
    assert b"Software" not in texts and b"matplotlib" not in texts.lower()


def test_the_document_is_the_same_bytes_when_rendered_again(numbers, roster, document):
    assert render_followup(numbers, roster, template=Template.load()) == document
    with zipfile.ZipFile(io.BytesIO(document)) as archive:
        assert {info.date_time for info in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = archive.read("docProps/core.xml").decode()
    assert "2026-11-21T10:00:00Z" in core  # the latest reception (R13), not the clock


def test_the_csv_holds_the_same_numbers(numbers, tmp_path):
    path = write_csv(numbers, tmp_path / "uppfoljning.csv")
    assert path.read_bytes().startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as stream:
        table = list(csv.reader(stream, delimiter=";"))
    assert table[0] == ["Mått", "År", "Verksamhet", "Kontaktpolitiker", "Värde"]
    rows = table[1:]
    per_operation = {(r[1], r[2]): r[4] for r in rows if r[0] == "Besök per verksamhet och år"}
    for label, *counts in BY_OPERATION[1:-1]:
        assert [per_operation["2025", label], per_operation["2026", label]] == counts[:2]
    per_person = {(r[1], r[3]): r[4] for r in rows
                  if r[0] == "Besök per kontaktpolitiker och år"}
    for name, _role, *counts in BY_POLITICIAN[1:]:
        assert [per_person["2025", name], per_person["2026", name]] == counts[:2]
    assert ["Kontaktpolitiker utan besök", "", "", "Fatima Said", "0"] in rows
    assert [r[2] for r in rows if r[0] == "Verksamhet utan besök"] == [
        "Arbetsmarknad", "Komvux", "Turism", "Fritid"]
    assert ["Besök totalt", "", "", "", "13"] in rows
    assert ["Besök med muntlig sammanfattning", "", "", "", "4"] in rows
    assert ["Andel besök med muntlig sammanfattning (%)", "", "", "", "30,8"] in rows
    assert ["Besök efter ordförandens beslut", "", "", "", "2"] in rows
    assert ["Besök som verksamheten bjöd in till", "", "", "", "12"] in rows
    assert ["Kontaktpolitiker utan besök", "2025", "", "Bengt Haraldsson", "0"] in rows


def test_reports_outside_the_period_are_left_out(reports, roster):
    numbers = follow_up(reports, roster, date(2026, 1, 1), date(2026, 6, 30))
    # R01+R02, R03, R04, R05, R07, R09 (R10 the same visit).
    assert numbers.visits == 6
    assert numbers.by_operation["kultur"] == {2026: 0}


def test_a_period_without_reports_still_gives_an_accessible_document(roster):
    numbers = follow_up([], roster, date(2023, 1, 1), date(2023, 12, 31))
    data = render_followup(numbers, roster, template=Template.load())
    assert check_docx(data) == []
    paragraphs = _paragraphs(data)
    assert any("inga rapporter fanns för perioden" in p for p in paragraphs)
    assert "Besök som kontaktpolitikern också ville sammanfatta muntligt för nämnden: " \
           "0 av 0 (–)." in paragraphs


@pytest.mark.libreoffice
def test_libreoffice_opens_the_document_with_its_tables_and_chart(document, tmp_path):
    source = tmp_path / "uppfoljning.docx"
    source.write_bytes(document)
    text = words(pdf_text(source, tmp_path))
    assert "Uppföljning av riktlinjer för Välfärd- och servicenämndens kontaktpolitiker" in text
    assert "Arbetsmarknad 0 3 3" in text
    assert "Dragan Petrović Ersättare 1 2 3 0" in text


@pytest.mark.libreoffice
def test_year_headers_of_a_mandate_period_never_wrap_inside_the_year(reports, roster, tmp_path):
    numbers = follow_up(reports, roster, date(2023, 1, 1), date(2027, 12, 31))
    source = tmp_path / "mandatperiod.docx"
    source.write_bytes(render_followup(numbers, roster, template=Template.load()))
    text = pdf_text(source, tmp_path)
    header = next(line for line in text.splitlines() if "Roll" in line)
    assert header.split()[header.split().index("Roll") + 1:][:5] == [
        "2023", "2024", "2025", "2026", "2027"]
    assert re.findall(r"(?<![\d.,])20\d(?![\d.,])", text) == []  # no «202» left of a «3»
    # The role of one not on the roster, in words; broken only at its soft hyphen.
    assert "Ej i förteck" in text and "ningen över" in text
