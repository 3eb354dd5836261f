"""Every text that passes validation renders in full: scripts, emoji, length, breaks, tabs."""

from __future__ import annotations

import io

import pytest
from documents import document_text, make_report
from docx import Document
from envelopes import example_envelope

from docgen.accessibility import check_docx
from docgen.ooxml import NS
from docgen.report import render_report
from docgen.text import REPLACEMENT

LONG = "".join(f"Mening nummer {n:05d} om köket. " for n in range(400))[:10_000]


def _render(committee, **answers) -> bytes:
    merged = example_envelope("maximal")["data"]["answers"] | answers
    return render_report(make_report(answers=merged), committee)


@pytest.mark.parametrize(
    "text",
    ["Åsa Öberg på Ängsgården", "Bra stämning 🍲👍🏽 och 👩‍🍳", "日本語のテキスト",
     "Ṁåñÿ dïäçrïtïçš", "Spaces   inside  kept"],
    ids=["swedish", "emoji", "cjk", "diacritics", "spaces"],
)
def test_text_renders_unchanged(committee, text):
    assert text in document_text(_render(committee, unit_news=text))


def test_ten_thousand_characters_are_all_in_the_document(committee):
    assert len(LONG) == 10_000
    text = document_text(_render(committee, other_observations=LONG))
    assert LONG in text


def test_line_breaks_become_paragraphs_and_tabs_stay(committee):
    answer = "Första stycket\r\nAndra\tmed tabb\n\n\nTredje\rFjärde"
    doc = Document(io.BytesIO(_render(committee, operation_raises=answer)))
    texts = [p.text for p in doc.paragraphs]
    start = texts.index("Första stycket")
    assert texts[start:start + 4] == ["Första stycket", "Andra\tmed tabb", "Tredje", "Fjärde"]


def test_right_to_left_paragraphs_are_marked_right_to_left(committee):
    doc = Document(io.BytesIO(_render(committee, unit_news="שלום לכולם\nغداء اليوم\nSvenska")))
    marked = {p.text: p._p.find("w:pPr/w:bidi", NS) is not None for p in doc.paragraphs
              if p.text in ("שלום לכולם", "غداء اليوم", "Svenska")}
    assert marked == {"שלום לכולם": True, "غداء اليوم": True, "Svenska": False}


def test_characters_xml_cannot_hold_are_replaced_visibly_not_dropped(committee):
    text = document_text(_render(committee, unit_news="före\x00\x07\x1befter \ud800 slut"))
    assert f"före{REPLACEMENT * 3}efter {REPLACEMENT} slut" in text


def test_many_long_answers_still_make_an_accessible_document(committee):
    fields = ("information_given", "unit_news", "operation_raises",
              "strengths_and_challenges", "other_observations")
    data = _render(committee, **dict.fromkeys(fields, LONG))
    assert document_text(data).count(LONG) == len(fields)
    assert check_docx(data) == []
