"""The six operations (the form, the configuration and the code agree) and lists of them in text."""

from __future__ import annotations

import pytest

from besoksrapport.committee.operations import CODES, LABELS, operation_in_text
from besoksrapport.form.schemas import COMMITTEE_SCHEMA, FORM_SCHEMA, load_schema
from besoksrapport.swedish import enumeration


def test_the_form_offers_exactly_the_operations_of_the_code_with_the_same_labels():
    options = load_schema(FORM_SCHEMA)["properties"]["operation"]["oneOf"]
    assert [(option["const"], option["title"]) for option in options] == list(LABELS.items())


def test_the_committee_configuration_accepts_exactly_the_operations_of_the_code():
    politician = load_schema(COMMITTEE_SCHEMA)["properties"]["politicians"]["items"]
    assert tuple(politician["properties"]["operations"]["items"]["enum"]) == CODES


def test_the_guideline_names_the_six_operations_in_this_order():
    words = [operation_in_text(code) for code in CODES]
    assert ", ".join(words[:-1]) + " samt " + words[-1] == \
        "kost, arbetsmarknad, Komvux, turism, kultur samt fritid"


@pytest.mark.parametrize(("words", "text"), [
    ([], ""), (["kost"], "kost"), (["kost", "Komvux"], "kost och Komvux"),
    (["kost", "turism", "kultur"], "kost, turism och kultur")])
def test_a_list_in_running_text_joins_its_last_word_with_och(words, text):
    assert enumeration(words) == text
