"""The report opens in a real office suite: LibreOffice converts it to PDF, text intact.

Converting costs seconds, so one module-scoped conversion serves every test here.
"""

from __future__ import annotations

import re

import libreoffice
import pytest
from documents import (
    MEETING,
    PRIVATE_WORDS,
    answer_texts,
    make_report,
    municipal_template_bytes,
)
from envelopes import example_envelope
from libreoffice import words

from besoksrapport.committee.model import Committee, Politician
from besoksrapport.filing.entries import ListedReport
from docgen.listing import render_listing
from docgen.report import render_report
from docgen.template import Template

pytestmark = pytest.mark.libreoffice

LONG_ANSWER = "\n".join(f"Stycke {n:03d} om verksamheten och dess utmaningar." * 3
                        for n in range(120))


HEADER_BLOCKS = [
    "Välfärd- och servicenämnden Återrapportering av verksamhetsbesök Datum: 3 november 2026",
    "Diarienummer: VSN 2026/143",
    "Rapport-id: BR-2026-7K3M9Q",
    "Ärende: Verksamhetsbesök inom kost – Centralköket, Storgatan 12, den 21 oktober 2026",
    "Till: Välfärd- och servicenämnden",
    "Från: Anna Lindqvist, ledamot, kontaktpolitiker för kost och Komvux",
    "Sammanträde: 10 december 2026",
    "Styrdokument: Riktlinjer för Välfärd- och servicenämndens kontaktpolitiker, antagna 17 "
    "januari 2024, § 3",
]
SIGN_OFF = ("Om rapporten Anna Lindqvist Inskickad via e-tjänst efter inloggning Mottagen den "
            "3 november 2026 kl. 14.05")


@pytest.fixture(scope="module")
def pdf_texts(tmp_path_factory) -> dict[str, str]:
    committee = Committee(municipality="Exempelby kommun", name="Välfärd- och servicenämnden",
                          meetings=(MEETING,), politicians=(
                              Politician("anna.lindqvist", "Anna Lindqvist", "ledamot",
                                         ("kost", "komvux")),))
    folder = tmp_path_factory.mktemp("libreoffice")
    municipal = folder / "exempelby.docx"
    municipal.write_bytes(municipal_template_bytes())
    long_answers = example_envelope("maximal")["data"]["answers"] | {"unit_news": LONG_ANSWER}
    registered = make_report()
    registered.diary_number = "VSN 2026/143"
    documents = {
        "default": render_report(registered, committee, template=Template.load()),
        "municipal": render_report(registered, committee,
                                   template=Template.load(municipal)),
        "long": render_report(make_report(answers=long_answers), committee),
        "listing": render_listing(MEETING, committee, [ListedReport(registered, "x.docx")],
                                  diary_number="VSN 2026/143"),
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


# The municipal template's running heads, which LibreOffice's text puts where a page breaks,
# even inside a paragraph; and the page numbers.
RUNNING_HEADS = re.compile(r"(?m)^\f?(Exempelby kommun|Socialförvaltningen|Exempelby kommun · "
                           r"Storgatan 1 · 123 45 Exempelby|Sida \d+ av \d+)$\n?")


def body_words(pdf_text: str) -> str:
    """The PDF's text without running heads and page numbers, whitespace collapsed."""
    return words(RUNNING_HEADS.sub("", pdf_text))


@pytest.mark.parametrize("name", ["default", "municipal"])
def test_pdf_from_libreoffice_contains_every_answer(pdf_texts, name):
    assert re.search(r"Sida 1 av \d+", pdf_texts[name])
    text = body_words(pdf_texts[name])
    envelope = example_envelope("maximal")
    expected = [piece for snippets in answer_texts(envelope).values() for s in snippets
                if "\n" not in s for piece in _latin_pieces(s)]
    missing = [piece for piece in expected if piece not in text]
    assert missing == []
    assert envelope["data"]["submitter"]["name"] in text


@pytest.mark.parametrize("name", ["default", "municipal"])
def test_pdf_from_libreoffice_shows_the_header_blocks_and_the_sign_off(pdf_texts, name):
    text = body_words(pdf_texts[name])
    assert [block for block in HEADER_BLOCKS if block not in text] == []
    assert text.index(HEADER_BLOCKS[-1]) < text.index("Om besöket")
    assert SIGN_OFF in text
    assert [word for word in PRIVATE_WORDS if word in text.casefold()] == []


def test_pdf_of_the_forteckning_shows_its_diary_number_and_the_proposed_decision(pdf_texts):
    text = words(pdf_texts["listing"])
    assert "Sammanträde den 10 december 2026 Diarienummer: VSN 2026/143" in text
    assert "Förslag till beslut: Anmälningsärendena läggs till handlingarna." in text
    assert "x.docx" not in text


def test_long_report_numbers_its_pages_and_keeps_every_paragraph(pdf_texts):
    text = words(pdf_texts["long"])
    pages = pdf_texts["long"].count("\f")
    assert pages >= 3
    for page in range(1, pages + 1):
        assert f"Sida {page} av {pages}" in text
    for line in LONG_ANSWER.splitlines():
        assert line in text
