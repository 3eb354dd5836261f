"""Every message is Swedish, specific where it matters, and never the library's English."""

from __future__ import annotations

import json
import re

import pytest

from besoksrapport.form.messages import CODES, FIELDS, FORMATS, GENERIC, message_for
from besoksrapport.form.schemas import FORM_SCHEMA, form_fields, load_schema
from besoksrapport.form.validation import PRECEDENCE, validate_envelope
from besoksrapport.paths import EXAMPLES_DIR

ENGLISH = re.compile(
    r"is a required property|is not valid under|is not of type|was expected|is not one of"
    r"|is too long|is too short|non-unique|should not be valid|Additional properties"
    r"|\b(the|is|not|of|and|must|field|invalid|required)\b", re.IGNORECASE)


def all_messages():
    yield from GENERIC.values()
    yield from FORMATS.values()
    for per_field in FIELDS.values():
        yield from per_field.values()


def test_every_code_has_a_generic_message_and_a_precedence():
    assert set(GENERIC) == set(CODES)
    assert set(PRECEDENCE) == set(CODES)


@pytest.mark.parametrize("text", list(all_messages()))
def test_message_templates_are_swedish(text):
    assert not ENGLISH.search(re.sub(r"\{\w+\}", "", text)), text
    assert text.endswith((".", "}")), text


def test_every_required_form_field_has_its_own_message():
    form = load_schema(FORM_SCHEMA)
    conditional = ["chair_decision_date", "other_participants", "met_other"]
    for name in form["required"] + conditional:
        assert "required" in FIELDS[name], name


@pytest.mark.parametrize("path", sorted((EXAMPLES_DIR / "invalid").glob("*.json")),
                         ids=lambda p: p.stem)
def test_messages_of_the_invalid_examples_are_swedish(path):
    for issue in validate_envelope(json.loads(path.read_text(encoding="utf-8"))):
        assert not ENGLISH.search(issue.message), issue
        assert "{" not in issue.message and "None" not in issue.message, issue


def test_every_code_at_every_field_renders_a_complete_message():
    for name in form_fields():
        for code in CODES:
            text = message_for(code, ["data", "answers", name], limit=3, fmt="date", position=4)
            assert text and "{" not in text and "None" not in text, (name, code)
            assert not ENGLISH.search(text), text


def test_generic_message_quotes_the_swedish_title_and_limit():
    text = message_for("max_length", ["data", "answers", "unit_news"], limit=10000)
    assert text == ("Texten i ”Vad är på gång på den besökta enheten?” är för lång. "
                    "Den får vara högst 10\u00a0000 tecken.")


def test_a_title_ending_in_a_question_mark_gets_no_full_stop_after_it():
    text = message_for("required", ["data", "answers", "unit"])
    assert message_for("blank", ["data", "answers", "unit_news"]).startswith(
        "Svaret i ”Vad är på gång på den besökta enheten?” består")
    assert FIELDS["unit"]["required"] == text  # the field's own message wins
    generic = message_for("required", ["data", "answers", "strengths_and_challenges"])
    assert generic == ("Fyll i ”Vilka är enhetens starka sidor, utmaningar och "
                       "utvecklingsområden?”")
    for name in form_fields():
        for code in CODES:
            message = message_for(code, ["data", "answers", name], limit=3, fmt="date")
            assert not re.search(r"[?!.]”\.|\.\.|\?\.", message), message


@pytest.mark.parametrize(("code", "fmt", "field", "expected"), [
    ("format", "date", "visit_date", "Skriv datumet som ÅÅÅÅ-MM-DD, till exempel 2026-03-15."),
    ("format", "date", "chair_decision_date", "Skriv datumet som ÅÅÅÅ-MM-DD"),
    ("pattern", None, "start_time", "som TT.MM, till exempel 09.30."),
    ("type", None, "oral_summary", "Svara ja eller nej på"),
    ("type", None, "unit", "ska vara en text"),
    ("type", None, "met", "ska vara en lista"),
])
def test_a_value_of_the_wrong_form_is_told_what_form_is_expected(code, fmt, field, expected):
    text = message_for(code, ["data", "answers", field], fmt=fmt)
    assert expected in text
    assert "fel form" not in text


def test_message_for_a_list_item_names_the_list():
    text = message_for("max_length", ["data", "answers", "other_participants", "3"], limit=100)
    assert "”Övriga kontaktpolitiker som deltog”" in text


def test_message_for_a_place_outside_the_schema_needs_no_title():
    text = message_for("unsafe_character", ["data", "answers", "okänt"], position=2)
    assert text.startswith("Texten i det här fältet innehåller")


def test_messages_never_quote_what_was_written(envelope):
    secret = "Elevens namn är Kalle"
    doc = envelope(unit_news=secret + "\x07", operation=secret, met_other=secret)
    doc["data"]["answers"][secret] = 1
    assert all(secret not in issue.message for issue in validate_envelope(doc))
