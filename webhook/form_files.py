"""The form's files for the platform, served at the address their ``$id`` names.

A platform rendering the form (RJSF, JSON Forms) loads the schema, its UI schemas and the
Swedish texts from here, so what it shows and what the webhook checks are one version.
``/schemas/1.0/visit-report.schema.json`` is the form's ``$id``; the same files are served
without the version too, for the version the service speaks now.
"""

from __future__ import annotations

import json
from functools import cache

from flask import Blueprint, Response, abort

from besoksrapport.form.schemas import ENVELOPE_SCHEMA, FORM_SCHEMA, load_schema
from besoksrapport.paths import schema_text

bp = Blueprint("form_files", __name__)

# The files a form renderer needs (all package data under besoksrapport/data/schemas).
SERVED = (FORM_SCHEMA, ENVELOPE_SCHEMA, "visit-report.ui.json",
          "visit-report.jsonforms.json", "visit-report.sv.json")


@cache
def version() -> str:
    """The version in the form's ``$id`` (…/schemas/<version>/visit-report.schema.json)."""
    return str(load_schema(FORM_SCHEMA)["$id"]).rsplit("/", 2)[-2]


@bp.get("/schemas/<name>")
@bp.get("/schemas/<ver>/<name>")
def form_file(name: str, ver: str | None = None) -> Response:
    if name not in SERVED or ver not in (None, version()):
        abort(404)
    response = Response(schema_text(name), mimetype="application/schema+json"
                        if name.endswith(".schema.json") else "application/json")
    response.headers["Access-Control-Allow-Origin"] = "*"  # the platform's page fetches them
    response.headers["Cache-Control"] = "public, max-age=300"
    return response


def bundled_openapi(openapi: dict) -> dict:
    """The OpenAPI document with the envelope and the form as components, referring inside it.

    The envelope's ``$ref: "visit-report.schema.json"`` is relative to its ``$id``; OpenAPI
    tools (openapi-spec-validator, schemathesis) resolve it against the document instead and
    fail. In the served document the schemas carry no ``$id`` and the envelope refers to
    ``#/components/schemas/VisitReport``; the files themselves are at their ``$id``.
    """
    schemas = openapi["components"]["schemas"]
    envelope, form = load_schema(ENVELOPE_SCHEMA), load_schema(FORM_SCHEMA)
    for schema in (envelope, form):
        schema.pop("$id", None)
        schema.pop("$schema", None)  # the document's jsonSchemaDialect says 2020-12
    answers = envelope["properties"]["data"]["properties"]["answers"]
    answers["$ref"] = "#/components/schemas/VisitReport"
    schemas["WebhookEnvelope"], schemas["VisitReport"] = envelope, form
    return json.loads(json.dumps(openapi))
