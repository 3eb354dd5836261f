"""The report opens in a real office suite: LibreOffice converts it to PDF, text intact.

Converting costs seconds, so one module-scoped conversion serves every test here.
"""

from __future__ import annotations

import re

import libreoffice
import pytest
from documents import MEETING, answer_texts, make_report, municipal_template_bytes
from envelopes import example_envelope
from libreoffice import words

from besoksrapport.committee import Committee
from docgen.report import render_report
from docgen.template import Template

pytestmark = pytest.mark.libreoffice

LONG_ANSWER = "\n".join(f"Stycke {n:03d} om verksamheten och dess utmaningar." * 3
                        for n in range(120))


@pytest.fixture(scope="module")
def pdf_texts(tmp_path_factory) -> dict[str, str]:
    committee = Committee(municipality="Exempelby kommun", name="Välfärd- och servicenämnden",
                          meetings=(MEETING,))
    folder = tmp_path_factory.mktemp("libreoffice")
    municipal = folder / "exempelby.docx"
    municipal.write_bytes(municipal_template_bytes())
    long_answers = example_envelope("maximal")["data"]["answers"] | {"unit_news": LONG_ANSWER}
    documents = {
        "default": render_report(make_report(), committee, template=Template.load()),
        "municipal": render_report(make_report(), committee,
                                   template=Template.load(municipal)),
        "long": render_report(make_report(answers=long_answers), committee),
    }
    for name, data in documents.items():
        (folder / f"{name}.docx").write_bytes(data)
    docxs = [folder / f"{name}.docx" for name in documents]
    return libreoffice.pdf_texts(docxs, folder, layout=False)


def _latin_pieces(snippet: str) -> list[str]:
    """What a PDF's text layer can be relied on for: the runs of Latin text between emoji
    and right-to-left scripts, whose extraction depends on fonts and visual reordering
    (which also moves the punctuation next to right-to-left text)."""
    pieces = re.split(r"[^\u0000-\u058f\u1e00-\u20ff]+", snippet)
    pieces = [words(piece).strip("«»():; ") for piece in pieces]
    return [piece for piece in pieces if len(piece) > 1]


@pytest.mark.parametrize("name", ["default", "municipal"])
def test_pdf_from_libreoffice_contains_every_answer(pdf_texts, name):
    text = words(pdf_texts[name])
    envelope = example_envelope("maximal")
    expected = [piece for snippets in answer_texts(envelope).values() for s in snippets
                if "\n" not in s for piece in _latin_pieces(s)]
    missing = [piece for piece in expected if piece not in text]
    assert missing == []
    assert envelope["data"]["submitter"]["name"] in text
    assert "Till Välfärd- och servicenämndens sammanträde den 10 december 2026" in text
    assert re.search(r"Sida 1 av \d+", text)


def test_long_report_numbers_its_pages_and_keeps_every_paragraph(pdf_texts):
    text = words(pdf_texts["long"])
    pages = pdf_texts["long"].count("\f")
    assert pages >= 3
    for page in range(1, pages + 1):
        assert f"Sida {page} av {pages}" in text
    for line in LONG_ANSWER.splitlines():
        assert line in text
