"""The Förteckning as LibreOffice lays it out: read from the PDF's text and word boxes.

A unit's name never breaks inside its cell, and a row never starts on one page and ends on
the next. One conversion serves every test here.
"""

from __future__ import annotations

import re
import subprocess

import libreoffice
import pytest
from meeting_reports import MEETING, make_report

from besoksrapport.committee.model import Committee
from besoksrapport.filing.entries import ListedReport
from docgen.listing import render_listing

pytestmark = pytest.mark.libreoffice

# The example units and those the year's test reports visit, the longest words first.
UNITS = ["Komvux Vuxenutbildningscentrum", "Skolrestaurangen Solängen", "Centralköket",
         "Turistbyrån", "Biblioteket i centrum", "Fritidsgården Kupolen", "Komvux, Lärcentrum",
         "Lärcentrum Norr", "Sporthallen"]
ROWS = 45  # over two pages, so rows meet a page break


@pytest.fixture(scope="module")
def listing_pdf(tmp_path_factory):
    committee = Committee(municipality="Exempelby kommun", name="Välfärd- och servicenämnden",
                          meetings=(MEETING,))
    entries = []
    for number in range(1, ROWS + 1):
        report = make_report(number, unit=UNITS[number % len(UNITS)],
                             joint_visit=number % 5 == 0,
                             other_participants=["Bengt Haraldsson"] if number % 5 == 0 else [])
        report.diary_number = f"VSN 2026/{100 + number}"  # a second line in the last column
        entries.append(ListedReport(report, f"{number}.docx"))
    folder = tmp_path_factory.mktemp("listing-layout")
    docx = folder / "forteckning.docx"
    docx.write_bytes(render_listing(MEETING, committee, entries))
    libreoffice.pdf_texts([docx], folder)
    return folder / "pdf" / "forteckning.pdf"


def _page_words(pdf) -> list[list[str]]:
    """The words of each page, as LibreOffice placed them (pdftotext -bbox)."""
    boxes = subprocess.run(["pdftotext", "-bbox", str(pdf), "-"], check=True,
                           capture_output=True, text=True, timeout=60).stdout
    return [re.findall(r">([^<]+)</word>", page) for page in boxes.split("<page ")[1:]]


def test_no_word_of_a_unit_name_breaks_inside_its_cell(listing_pdf):
    found = {word for page in _page_words(listing_pdf) for word in page}
    unit_words = {word.strip(",") for unit in UNITS for word in unit.split()}
    assert sorted(unit_words - found) == []


def test_the_listing_spans_pages_and_no_row_is_split_between_two(listing_pdf):
    pages = _page_words(listing_pdf)
    assert len(pages) >= 2
    for number in range(1, ROWS + 1):
        # A row's first line (its number, its report id) and its last (the diarienummer, or
        # the other participant of a joint visit) are on one page.
        first = {index for index, page in enumerate(pages) if f"BR-{number:04d}" in page}
        last = {index for index, page in enumerate(pages)
                if f"2026/{100 + number}" in page or (number % 5 == 0 and "Haraldsson" in page)}
        assert len(first) == 1 and first <= last, number


def test_a_joint_visit_is_marked_in_the_pdf(listing_pdf):
    words = [word for page in _page_words(listing_pdf) for word in page]
    assert words.count("Gemensamt") == ROWS // 5
    assert "Exempelby" in words
