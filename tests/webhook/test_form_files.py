"""The form's files as the service serves them, and the Swedish texts equal to the 422's."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from webhook_helpers import PATH, signed_headers

from besoksrapport.form.catalog import UNSAFE_CHARACTERS, error_catalog, texts_pack_json
from besoksrapport.form.schemas import ENVELOPE_SCHEMA, FORM_SCHEMA, form_fields, load_schema
from besoksrapport.paths import EXAMPLES_DIR, schema_text
from besoksrapport.report import parse_clock
from besoksrapport.swedish import number
from webhook.form_files import SERVED

INVALID = sorted((EXAMPLES_DIR / "invalid").glob("*.json"))
ANSWERS = "/data/answers/"


@pytest.mark.parametrize("name", SERVED)
def test_every_file_of_the_form_is_served_with_and_without_its_version(client, name):
    for url in (f"/schemas/{name}", f"/schemas/1.0/{name}"):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.get_data(as_text=True) == schema_text(name)
        assert response.headers["Access-Control-Allow-Origin"] == "*"
        json.loads(response.get_data(as_text=True))


@pytest.mark.parametrize("name", [FORM_SCHEMA, ENVELOPE_SCHEMA])
def test_a_schemas_id_is_the_address_it_is_served_at(client, name):
    schema_id = load_schema(name)["$id"]
    path = "/" + schema_id.split("/", 3)[3]
    assert client.get(path).get_json() == load_schema(name)


def test_the_envelopes_relative_ref_resolves_to_the_served_form(client):
    envelope_id = load_schema(ENVELOPE_SCHEMA)["$id"]
    ref = load_schema(ENVELOPE_SCHEMA)["properties"]["data"]["properties"]["answers"]["$ref"]
    resolved = envelope_id.rsplit("/", 1)[0] + "/" + ref
    assert client.get("/" + resolved.split("/", 3)[3]).get_json()["$id"] == resolved


def test_unknown_files_and_versions_are_404_in_swedish(client):
    for url in ("/schemas/committee.schema.json", "/schemas/0.9/visit-report.schema.json",
                "/schemas/../pyproject.toml"):
        response = client.get(url)
        assert response.status_code == 404, url


def test_the_packaged_swedish_texts_are_generated_from_the_servers_messages():
    assert schema_text("visit-report.sv.json") == texts_pack_json(), (
        "regenerate: python -m besoksrapport.form.catalog > "
        "besoksrapport/data/schemas/visit-report.sv.json")


def test_the_browsers_unsafe_characters_are_the_forms():
    fields = form_fields()
    assert fields["unit_news"]["not"]["pattern"] == UNSAFE_CHARACTERS
    assert fields["other_participants"]["items"]["not"]["pattern"] == UNSAFE_CHARACTERS


def _post(client, body: bytes):
    return client.post(PATH, data=body, headers=signed_headers(body))


@pytest.mark.parametrize("path", [p for p in INVALID if json.loads(
    (EXAMPLES_DIR / "invalid.expected.json").read_text(encoding="utf-8"))[p.name]["pointer"]
    .startswith(ANSWERS)], ids=lambda p: p.stem)
def test_the_browsers_message_is_what_the_422_says(client, path: Path):
    """For each invalid answer: the 422's message is the catalog's text for that question."""
    doc = json.loads(path.read_text(encoding="utf-8"))
    response = _post(client, path.read_bytes())  # as sent: a lone surrogate stays escaped
    assert response.status_code == 422
    [error] = response.get_json(force=True)["errors"]
    field = error["pointer"].removeprefix(ANSWERS).split("/")[0]
    texts = {key: text for key, text in error_catalog().items()
             if key.startswith(f"{field}.error.") or key.startswith("error.")}
    if error["code"] in ("date_after_submission", "end_not_after_start",
                         "decision_after_visit"):
        assert error["message"] not in texts.values()  # the server's own rules
        return
    shown = {text.replace("{position}", str(_position(doc, error["pointer"])))
             for text in texts.values()}
    assert error["message"] in shown, (error, sorted(texts))


def _position(doc: dict, pointer: str) -> int:
    value: object = doc
    for token in pointer.split("/")[1:]:
        value = value[int(token)] if isinstance(value, list) else value.get(token)  # type: ignore[union-attr]
    found = re.search(UNSAFE_CHARACTERS.encode().decode("unicode_escape"), str(value))
    return found.start() + 1 if found else 0


def test_openapi_loads_in_openapi_spec_validator(client):
    from openapi_spec_validator import validate

    document = client.get("/openapi.json").get_json()
    validate(document)
    envelope = document["components"]["schemas"]["WebhookEnvelope"]
    assert envelope["properties"]["data"]["properties"]["answers"]["$ref"] == (
        "#/components/schemas/VisitReport")


def test_openapi_loads_in_schemathesis(app):
    import schemathesis

    schema = schemathesis.openapi.from_wsgi("/openapi.json", app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert {(op.method.upper(), op.path) for op in operations} >= {
        ("POST", "/webhooks/visit-reports"), ("GET", "/schemas/{name}")}


def test_the_limits_in_messages_are_the_schemas():
    catalog = error_catalog()
    assert catalog["unit_news.error.maxLength"].endswith(
        f"högst {number(10000)} tecken.")
    assert parse_clock("9.30") == parse_clock("09:30")
