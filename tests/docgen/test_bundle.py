"""The bundle: the Förteckning and every report of the meeting in one DOCX."""

from __future__ import annotations

import io

import pytest
from docx import Document
from docx.enum.text import WD_BREAK
from docxcompose.composer import Composer
from libreoffice import pdf_text, require_office, words
from meeting_reports import MEETING, RENDERERS, make_report

from besoksrapport.filing.entries import ListedReport
from besoksrapport.filing.folder import file_meeting
from docgen import bundle as bundle_module
from docgen.accessibility import check_docx
from docgen.bundle import render_bundle
from docgen.listing import build_listing
from docgen.report import render_report

FREE_TEXT = ("information_given", "unit_news", "operation_raises", "strengths_and_challenges",
             "other_observations")


def bundle_of(committee, numbers):
    listed = [ListedReport(make_report(n), f"fil-{n}.docx") for n in numbers]
    return listed, render_bundle(MEETING, committee, listed,
                                 lambda entry: render_report(entry.report, committee))


def all_text(doc) -> str:
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        parts += [cell.text for row in table.rows for cell in row.cells]
    return "\n".join(parts)


def test_bundle_opens_and_holds_the_listing_and_every_reports_answers(committee):
    listed, data = bundle_of(committee, range(1, 8))
    doc = Document(io.BytesIO(data))
    text = all_text(doc)
    assert doc.paragraphs[0].text == "Förteckning över återrapporterade verksamhetsbesök"
    for entry in listed:
        assert entry.report.report_id in text
        answers = [entry.report.answers[key] for key in FREE_TEXT if key in entry.report.answers]
        assert answers
        for answer in answers:
            assert answer in text


def test_reports_follow_the_listing_order_each_after_a_page_break(committee):
    listed, data = bundle_of(committee, [5, 2, 9])
    doc = Document(io.BytesIO(data))
    body = doc.element.body.xml
    breaks = body.count('w:type="page"')
    assert breaks >= 3
    text = all_text(doc)
    order = sorted(listed, key=lambda e: (e.report.visit_date, e.report.report_id))
    answers = [e.report.answers["unit_news"] for e in order]
    positions = [text.index(answer) for answer in answers]
    assert positions == sorted(positions)


def test_bundle_is_accessible_and_reproducible(committee):
    _, first = bundle_of(committee, range(1, 4))
    _, second = bundle_of(committee, [3, 1, 2])
    assert first == second
    assert check_docx(first) == []
    assert Document(io.BytesIO(first)).core_properties.title.startswith("Samtliga återrapporter")


def test_an_empty_meeting_bundles_to_the_listing_alone(committee):
    _, data = bundle_of(committee, [])
    assert "Inga återrapporter" in all_text(Document(io.BytesIO(data)))


@pytest.mark.libreoffice
def test_libreoffice_renders_the_filed_bundle_with_every_report(tmp_path, committee):
    require_office()
    reports = [make_report(n) for n in range(1, 6)]
    filed = file_meeting(tmp_path / "meeting", MEETING, committee, reports,
                         RENDERERS)
    text = words(pdf_text(filed.meeting_dir / filed.file("bundle").file_name, tmp_path))
    assert "Förteckning över återrapporterade verksamhetsbesök" in text
    for report in reports:
        assert report.report_id in text
        assert report.answers["unit_news"] in text


class StockComposer(Composer):
    """docxcompose's Composer as shipped, driven the way docgen.bundle drives its own."""

    def add_document(self, doc) -> None:
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        self.append(doc)

    def finish(self) -> None:
        pass


def test_the_linear_composer_gives_the_same_bytes_as_docxcompose_as_shipped(
        committee, monkeypatch):
    numbers = [4, 1, 7, 2, 9, 12]
    _, linear = bundle_of(committee, numbers)
    monkeypatch.setattr(bundle_module, "_LinearComposer", StockComposer)
    _, stock = bundle_of(committee, numbers)
    assert linear == stock


def _two_sections(report, committee) -> bytes:
    """A report followed by a landscape section: exercises the multi-section path."""
    doc = Document(io.BytesIO(render_report(report, committee)))
    doc.add_section()
    doc.add_paragraph("Bilaga i liggande format")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def test_documents_with_several_sections_compose_as_docxcompose_does(committee, monkeypatch):
    reports = [make_report(n) for n in (1, 2, 3)]
    documents = [render_report(reports[0], committee), _two_sections(reports[1], committee),
                 render_report(reports[2], committee)]

    def build() -> bytes:
        listed = [ListedReport(r, f"{r.report_id}.docx") for r in reports]
        return bundle_module.compose(build_listing(MEETING, committee, listed), documents)

    linear = build()
    monkeypatch.setattr(bundle_module, "_LinearComposer", StockComposer)
    assert build() == linear
    assert "Bilaga i liggande format" in all_text(Document(io.BytesIO(linear)))
