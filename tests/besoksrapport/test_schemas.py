"""The schemas themselves: well formed, offline, Swedish, and covering the guideline."""

from __future__ import annotations

import json
import re

import pytest
from jsonschema import Draft202012Validator
from referencing.exceptions import Unresolvable

from besoksrapport.form.schemas import (
    ENVELOPE_SCHEMA,
    FORM_SCHEMA,
    SCHEMA_NAMES,
    form_fields,
    iter_properties,
    load_schema,
    registry,
)
from besoksrapport.paths import schema_text

FORM_KEYS = list(form_fields())
# Words of English a title must not contain (the form is Swedish).
ENGLISH = re.compile(r"\b(the|is|of|and|date|time|name|yes|no|visit|report|you|your)\b", re.I)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_passes_the_2020_12_metaschema(name):
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schema_id_is_versioned_and_names_the_file(name):
    assert re.fullmatch(rf"https://besoksrapport\.se/schemas/\d+\.\d+/{re.escape(name)}",
                        load_schema(name)["$id"])


def test_envelope_ref_to_the_form_resolves_from_the_registry_without_network():
    envelope_id = load_schema(ENVELOPE_SCHEMA)["$id"]
    resolved = registry().resolver(envelope_id).lookup("visit-report.schema.json")
    assert resolved.contents["$id"] == load_schema(FORM_SCHEMA)["$id"]


def test_registry_refuses_unknown_uris_instead_of_fetching_them():
    with pytest.raises(Unresolvable):
        registry().resolver().lookup("https://besoksrapport.se/schemas/1.0/nowhere.json")


def test_load_schema_returns_a_copy_the_caller_may_change():
    load_schema(FORM_SCHEMA)["properties"].clear()
    assert load_schema(FORM_SCHEMA)["properties"]


def test_load_schema_refuses_an_unknown_name():
    with pytest.raises(KeyError):
        load_schema("committee.schema.json.bak")


@pytest.mark.parametrize("path", [path for path, _ in iter_properties()],
                         ids=lambda path: "/".join(path))
def test_every_property_has_a_swedish_title(path):
    schema = dict(iter_properties())[path]
    title = schema.get("title")
    assert isinstance(title, str) and len(title) >= 3
    assert not ENGLISH.search(title), title
    assert not ENGLISH.search(schema.get("description", "")), schema.get("description")


# Keywords whose value is data, not a schema: a "properties" inside them is no property.
DATA_KEYWORDS = {"const", "enum", "default", "examples", "required"}
# Keywords whose subschemas describe the same value as the schema they sit in.
SAME_VALUE = {"allOf", "anyOf", "oneOf", "if", "then", "else", "not", "dependentSchemas"}


def _pointer(tokens: tuple) -> str:
    return "".join("/" + str(t).replace("~", "~0").replace("/", "~1") for t in tokens)


def _every_property(node, tokens: tuple = (), same_value: bool = True):
    """(pointer tokens, name, schema, whether it is a field of the form itself) for each entry
    of every ``properties`` object in ``node``, at any depth and under any keyword."""
    if isinstance(node, list):
        for index, item in enumerate(node):
            yield from _every_property(item, (*tokens, index), same_value)
        return
    if not isinstance(node, dict):
        return
    for key, value in node.items():
        if key in DATA_KEYWORDS:
            continue
        if key == "properties" and isinstance(value, dict):
            for name, sub in value.items():
                yield (*tokens, key, name), name, sub, same_value
                yield from _every_property(sub, (*tokens, key, name), False)
        elif key in SAME_VALUE:
            yield from _every_property(value, (*tokens, key), same_value)
        else:
            yield from _every_property(value, (*tokens, key), False)


def test_every_property_of_the_form_has_a_title_in_every_branch():
    places = list(_every_property(load_schema(FORM_SCHEMA)))
    assert len(places) > len(FORM_KEYS)  # the conditions in allOf are walked too
    untitled = [_pointer(tokens) for tokens, _, schema, _ in places
                if not (isinstance(schema, dict) and isinstance(schema.get("title"), str)
                        and schema["title"].strip())]
    assert untitled == [], "properties without a title: " + ", ".join(untitled)


def test_a_field_in_a_condition_has_the_same_title_as_the_field_itself():
    titles = _titles()
    branches = [(tokens, name, schema) for tokens, name, schema, same_value
                in _every_property(load_schema(FORM_SCHEMA))
                if same_value and tokens != ("properties", name)]
    assert {_pointer(tokens) for tokens, _, _ in branches} >= {
        "/allOf/0/if/properties/visit_kind", "/allOf/1/if/properties/joint_visit",
        "/allOf/2/if/properties/met"}
    differing = {_pointer(tokens): (schema.get("title"), titles.get(name))
                 for tokens, name, schema in branches if schema.get("title") != titles.get(name)}
    assert differing == {}


def test_every_choice_has_a_swedish_title():
    for path, schema in iter_properties():
        for option in schema.get("oneOf", []):
            assert option.get("title"), (path, option)


def test_form_forbids_unknown_properties_everywhere():
    # The form's conditional questions sit in their conditions' ``then``: it refuses what
    # no branch that holds declares (unevaluatedProperties).
    objects = [load_schema(ENVELOPE_SCHEMA), load_schema(FORM_SCHEMA)]
    objects += [sub for _, sub in iter_properties() if sub.get("type") == "object"]
    assert all(obj.get("additionalProperties") is False
               or obj.get("unevaluatedProperties") is False for obj in objects)
    assert load_schema(FORM_SCHEMA)["unevaluatedProperties"] is False


def test_every_free_text_has_a_max_length():
    for path, schema in iter_properties():
        if schema.get("type") == "string" and not ({"const", "oneOf", "enum"} & set(schema)):
            assert isinstance(schema.get("maxLength"), int), path


def test_form_offers_exactly_the_six_operations_of_the_guideline():
    options = {o["const"]: o["title"] for o in load_schema(FORM_SCHEMA)["properties"]
               ["operation"]["oneOf"]}
    assert options == {"kost": "Kost", "arbetsmarknad": "Arbetsmarknad", "komvux": "Komvux",
                       "turism": "Turism", "kultur": "Kultur", "fritid": "Fritid"}


def _titles() -> dict[str, str]:
    return {key: value["title"] for key, value in form_fields().items()}


@pytest.mark.parametrize(("key", "words"), [
    # The guideline's four suggested discussion points, each its own answer.
    ("information_given", ["information", "Välfärd- och servicenämnden"]),
    ("unit_news", ["på gång", "enhet"]),
    ("operation_raises", ["verksamheten", "lyfta"]),
    ("strengths_and_challenges", ["starka sidor", "utmaningar", "utvecklingsområden"]),
    # Reporting, declarations (Avgränsningar) and compensation (Ersättning).
    ("oral_summary", ["muntlig sammanfattning"]),
    ("employed_in_operation", ["anställd"]),
    ("relative_employed_in_operation", ["närstående", "anställd"]),
    ("claims_meeting_fee", ["sammanträdesarvode"]),
    ("invited_by_operation", ["bjöd", "in"]),
    ("visit_kind", ["besök"]),
    ("chair_decision_date", ["ordförandens beslut"]),
    ("joint_visit", ["kontaktpolitiker"]),
    ("met", ["träffade"]),
])
def test_titles_ask_every_point_of_the_guideline(key, words):
    title = _titles()[key]
    assert all(word.lower() in title.lower() for word in words), title


def test_form_tells_that_the_report_becomes_a_public_record_naming_no_one():
    form = load_schema(FORM_SCHEMA)
    assert "allmän handling" in form["description"]
    assert "namn" in form["description"]
    assert "allmän handling" in form["properties"]["public_record_acknowledged"]["title"]
    # Must be ticked, but is not ticked for the politician: ``const`` would be a renderer's
    # default (RJSF ticks it), ``enum: [true]`` is not.
    box = form["properties"]["public_record_acknowledged"]
    assert box["enum"] == [True] and "const" not in box and "default" not in box


def test_ui_hints_order_exactly_the_form_fields():
    ui = json.loads(schema_text("visit-report.ui.json"))
    assert sorted(ui["ui:order"]) == sorted(FORM_KEYS)
    assert set(ui) - {"ui:order", "$comment", "ui:submitButtonOptions"} <= set(FORM_KEYS)
    assert ui["ui:submitButtonOptions"] == {"submitText": "Skicka rapporten"}
    assert ui["met"]["ui:widget"] == "checkboxes"
    assert ui["strengths_and_challenges"]["ui:widget"] == "textarea"
