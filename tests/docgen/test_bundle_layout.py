"""The bundle as LibreOffice lays it out: the contents' page numbers are the pages the
reports start on, and no heading stands last on a page, away from its text.

Reports of varied length, so that headings meet page ends; once with the bundled template
and once with a municipality's whose heading styles do not keep with the next paragraph
(the loader repairs that). One conversion serves every test here.
"""

from __future__ import annotations

import random
import re
import subprocess

import libreoffice
import pytest
from docx import Document
from meeting_reports import MEETING, make_report

from besoksrapport.committee.model import Committee
from besoksrapport.filing.entries import ListedReport, listing_order
from besoksrapport.swedish import DISCUSSION_POINTS
from docgen.bundle import render_bundle
from docgen.contents import HEADING as CONTENTS
from docgen.letterhead import HEADING
from docgen.report import CONCLUSIONS, render_report
from docgen.reproducible import save_docx
from docgen.template import Template

pytestmark = pytest.mark.libreoffice

HEADINGS = {*DISCUSSION_POINTS.values(), CONCLUSIONS, "Om besöket", "Muntlig sammanfattning",
            "Om rapporten", HEADING, CONTENTS}
REPORTS = 30


def _loose_headings_template() -> Template:
    doc = Document()
    for name in ("Heading 1", "Heading 2"):
        doc.styles[name].paragraph_format.keep_with_next = False
    return Template(save_docx(doc), name="utan-hall-ihop.docx")


def _entries() -> list[ListedReport]:
    pick = random.Random(7)
    entries = []
    for number in range(1, REPORTS + 1):
        answers = {field: "\n".join(f"Stycke {line} om {field}: " + "med mer text " *
                                    pick.randint(1, 14) for line in range(pick.randint(1, 8)))
                   for field in [*DISCUSSION_POINTS, "own_conclusions"]}
        entries.append(ListedReport(make_report(number, **answers), f"{number}.docx"))
    return entries


@pytest.fixture(scope="module")
def bundles(tmp_path_factory) -> dict[str, list[str]]:
    committee = Committee(municipality="Exempelby kommun", name="Välfärd- och servicenämnden",
                          meetings=(MEETING,))
    folder = tmp_path_factory.mktemp("bundle-layout")
    entries = _entries()
    docxs = []
    for name, template in (("standard", Template.load()),
                           ("kommunens", _loose_headings_template())):
        docx = folder / f"{name}.docx"
        docx.write_bytes(render_bundle(
            MEETING, committee, entries,
            lambda entry, t=template: render_report(entry.report, committee, template=t),
            template=template))
        docxs.append(docx)
    libreoffice.pdf_texts(docxs, folder)
    return {docx.stem: subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(folder / "pdf" / f"{docx.stem}.pdf"), "-"],
        check=True, capture_output=True, text=True, timeout=60).stdout.split("\f")[:-1]
        for docx in docxs}


def _lines(page: str) -> list[str]:
    return [line for line in page.splitlines()
            if line.strip() and not re.fullmatch(r"Sida \d+ av \d+", line.strip())]


@pytest.mark.parametrize("name", ["standard", "kommunens"])
def test_no_heading_stands_last_on_a_page(bundles, name):
    pages = bundles[name]
    assert len(pages) > REPORTS * 2
    last_lines = {number: _lines(page)[-1] for number, page in enumerate(pages, start=1)
                  if _lines(page)}
    assert {number: line for number, line in last_lines.items() if line in HEADINGS} == {}


@pytest.mark.parametrize("name", ["standard", "kommunens"])
def test_the_contents_give_the_page_each_report_starts_on(bundles, name):
    pages = bundles[name]
    text = "\n".join(pages)
    ordered = listing_order(_entries())
    for number, entry in enumerate(ordered, start=1):
        report_id = entry.report.report_id
        match = re.search(rf"(?m)^{number}\. .*\({report_id}\)[ .…]*(\d+)$", text)
        assert match, report_id
        page = int(match.group(1))
        assert f"Rapport-id: {report_id}" in pages[page - 1]
        assert f"Rapport-id: {report_id}" not in pages[page - 2]
