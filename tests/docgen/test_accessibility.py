"""Accessibility of the report document, checked on its XML, with two different templates."""

from __future__ import annotations

import io

import pytest
from documents import RECEIVED, make_report, png
from docx import Document
from docx.shared import Cm

from docgen.accessibility import check_docx
from docgen.ooxml import NS
from docgen.report import render_report
from docgen.reproducible import save_docx, set_core_properties
from docgen.template import Template


def test_report_in_the_default_template_has_no_accessibility_problems(committee):
    assert check_docx(render_report(make_report(), committee, template=Template.load())) == []


def test_report_in_a_municipal_template_has_no_accessibility_problems(
        committee, municipal_template_path):
    template = Template.load(municipal_template_path)
    assert check_docx(render_report(make_report(), committee, template=template)) == []


def test_the_municipal_logo_gets_alt_text_from_the_municipality(
        committee, municipal_template_path):
    data = render_report(make_report(), committee,
                         template=Template.load(municipal_template_path))
    header = Document(io.BytesIO(data)).sections[0].header
    alt_texts = [pr.get("descr") for pr in header._element.iterfind(".//wp:docPr", NS)]
    assert alt_texts == ["Logotyp för Exempelby kommun"]


def test_a_logo_that_has_alt_text_keeps_it(committee, tmp_path):
    doc = Document()
    doc.sections[0].header.paragraphs[0].add_run().add_picture(io.BytesIO(png()), Cm(2))
    doc.sections[0].header._element.find(".//wp:docPr", NS).set("descr", "Kommunvapnet")
    path = tmp_path / "vapen.docx"
    path.write_bytes(save_docx(doc))
    data = render_report(make_report(), committee, template=Template.load(path))
    header = Document(io.BytesIO(data)).sections[0].header
    assert [pr.get("descr") for pr in header._element.iterfind(".//wp:docPr", NS)] == [
        "Kommunvapnet"]
    assert check_docx(data) == []


def _plain_document(build) -> bytes:
    """A document made directly with python-docx: none of docgen's repairs applied."""
    doc = Document()
    set_core_properties(doc, "Titel", RECEIVED)
    build(doc)
    return save_docx(doc)


def _good(doc) -> None:
    from docgen.ooxml import mark_header_row, set_language

    set_language(doc.styles.element)
    doc.add_heading("Rubrik", level=1)
    mark_header_row(doc.add_table(rows=2, cols=2).rows[0])


def test_checker_accepts_a_plain_document_that_does_everything_right():
    assert check_docx(_plain_document(_good)) == []


@pytest.mark.parametrize(
    ("spoil", "problem"),
    [
        (lambda doc: setattr(doc.core_properties, "title", ""), "no document title"),
        (lambda doc: doc.styles.element.find("w:docDefaults/w:rPrDefault/w:rPr/w:lang",
                                             NS).set(f"{{{NS['w']}}}val", "en-US"),
         "language sv-SE missing in the style defaults"),
        (lambda doc: doc.add_heading("Underrubrik", level=3),
         "heading level skipped: heading 3 follows heading 1"),
        (lambda doc: doc.add_table(rows=2, cols=2), "table 2 has no header row"),
        (lambda doc: doc.add_picture(io.BytesIO(png()), Cm(2)),
         "image without alt text in word/document.xml"),
        (lambda doc: doc.sections[0].header.paragraphs[0].add_run().add_picture(
            io.BytesIO(png()), Cm(2)), "image without alt text in word/header"),
    ],
    ids=["title", "language", "skipped-level", "table-header", "body-image", "header-image"],
)
def test_checker_reports_each_kind_of_problem(spoil, problem):
    def build(doc):
        _good(doc)
        spoil(doc)

    problems = check_docx(_plain_document(build))
    assert len(problems) == 1
    assert problems[0].startswith(problem)


def test_checker_reports_a_document_without_real_headings():
    def bold_instead_of_heading(doc):
        from docgen.ooxml import set_language

        set_language(doc.styles.element)
        doc.add_paragraph().add_run("Ser ut som en rubrik").bold = True

    assert check_docx(_plain_document(bold_instead_of_heading)) == [
        "no heading uses a real heading style"]
