"""The six operations: the form, the committee configuration and the code name the same ones."""

from __future__ import annotations

from besoksrapport.operations import CODES, LABELS, operation_in_text
from besoksrapport.schemas import COMMITTEE_SCHEMA, FORM_SCHEMA, load_schema


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
