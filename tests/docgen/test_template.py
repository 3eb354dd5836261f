"""Templates: the bundled default, a municipality's own, and broken or incomplete ones."""

from __future__ import annotations

import io
import logging

import pytest
from documents import document_text, make_report, template_without_styles
from docx import Document
from docx.shared import Cm

from besoksrapport.errors import ConfigError
from docgen import make_default_template
from docgen.accessibility import check_docx
from docgen.ooxml import NS, has_page_field, style_language
from docgen.report import render_report
from docgen.template import DEFAULT_TEMPLATE, Template, configured_template


def test_committed_default_template_is_what_the_script_builds():
    assert make_default_template.build() == DEFAULT_TEMPLATE.read_bytes()


def test_default_template_is_a4_swedish_with_page_numbers_in_the_footer():
    doc = Document(io.BytesIO(DEFAULT_TEMPLATE.read_bytes()))
    section = doc.sections[0]
    assert (round(section.page_width.cm, 1), round(section.page_height.cm, 1)) == (21.0, 29.7)
    assert style_language(doc.styles.element) == "sv-SE"
    normal_lang = doc.styles["Normal"].element.find("w:rPr/w:lang", NS)
    assert normal_lang.get(f"{{{NS['w']}}}val") == "sv-SE"
    footer = section.footer
    assert has_page_field(footer._element)
    assert "NUMPAGES" in footer._element.xml
    assert footer.paragraphs[-1].text.startswith("Sida 1 av 1")
    assert Template.load().repairs == []


def test_municipal_template_keeps_its_letterhead_page_and_fonts(
        committee, municipal_template_path):
    data = render_report(make_report(), committee,
                         template=Template.load(municipal_template_path))
    doc = Document(io.BytesIO(data))
    section = doc.sections[0]
    assert round(section.page_width.cm, 2) == 21.59
    assert "Socialförvaltningen" in section.header.paragraphs[0].text
    assert doc.styles["Normal"].font.name == "Georgia"
    footer_lines = [p.text for p in section.footer.paragraphs]
    assert footer_lines[0].startswith("Exempelby kommun · Storgatan 1")
    assert footer_lines[-1].startswith("Sida ")
    assert "Skriv här" not in document_text(data)  # the template's body text is dropped


def test_template_missing_styles_renders_and_logs_once(committee, tmp_path, caplog):
    path = tmp_path / "utan-stilar.docx"
    path.write_bytes(template_without_styles("Heading 1", "Heading 2", "Table Grid", "Footer"))
    with caplog.at_level(logging.WARNING, logger="docgen.template"):
        template = Template.load(path)
        documents = [render_report(make_report(), committee, template=template)
                     for _ in range(3)]
    warnings = [r for r in caplog.records if r.name == "docgen.template"]
    assert len(warnings) == 1
    assert "Heading 1, Heading 2, Table Grid, Footer" in warnings[0].getMessage()
    assert "Anna" not in warnings[0].getMessage()
    doc = Document(io.BytesIO(documents[0]))
    assert [p.text for p in doc.paragraphs if p.style.name == "Heading 1"] == [
        "Återrapportering av verksamhetsbesök"]
    assert doc.tables[0].style.name == "Table Grid"
    assert check_docx(documents[0]) == []


def test_a_file_that_is_not_a_word_document_is_a_configuration_error(tmp_path):
    path = tmp_path / "mall.docx"
    path.write_bytes(b"inte ett Word-dokument")
    with pytest.raises(ConfigError) as raised:
        Template.load(path)
    assert raised.value.source == "mall.docx"
    assert raised.value.field == "BESOKSRAPPORT_TEMPLATE"


def test_a_missing_template_file_is_a_configuration_error(tmp_path):
    with pytest.raises(ConfigError, match=r"saknas\.docx"):
        Template.load(tmp_path / "saknas.docx")


def test_the_environment_chooses_the_template(committee, municipal_template_path,
                                              monkeypatch):
    monkeypatch.setenv("BESOKSRAPPORT_TEMPLATE", str(municipal_template_path))
    assert configured_template() is configured_template()
    doc = Document(io.BytesIO(render_report(make_report(), committee)))
    assert doc.sections[0].page_width == Cm(21.59)
    monkeypatch.delenv("BESOKSRAPPORT_TEMPLATE")
    doc = Document(io.BytesIO(render_report(make_report(), committee)))
    assert round(doc.sections[0].page_width.cm, 1) == 21.0
