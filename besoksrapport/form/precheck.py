"""A compiled yes/no check of the envelope schema, so a valid delivery skips jsonschema's walk.

``jsonschema``'s ``iter_errors`` over the envelope costs about 0.5 ms of CPU per delivery,
most of a request's budget. ``fastjsonschema`` compiles the same schema to plain Python
that only answers "valid or not". ``validation.validate_envelope`` asks it first and runs
the full validator (for the Swedish error list) only when it says "not valid": the answer
is the same either way as long as the pre-check never accepts what the full validator
rejects. It may reject more (it is then merely slower); tests/webhook/test_fast_precheck.py
proves the one direction that matters over every example and many mutations.

fastjsonschema implements draft 7, our schemas are 2020-12. They use only keywords that
mean the same in both (``ALLOWED``), except the envelope's ``$ref`` to the form beside a
``title``, which draft 7 would not combine; the draft-7 copy built here has the form
inlined in its place. Formats use the very ``FormatChecker`` of the full validator
(``2026-02-30`` is not a date). Should a schema ever use anything else, the pre-check
switches itself off (``available()`` is False) and every payload takes the full path.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import cache
from typing import Any

import fastjsonschema

from besoksrapport.form.schemas import (
    ENVELOPE_SCHEMA,
    FORM_SCHEMA,
    format_checker,
    load_schema,
    properties_of,
)

DRAFT7 = "http://json-schema.org/draft-07/schema#"
# Keywords whose meaning is the same in draft 7 and 2020-12 (for the forms used here).
ALLOWED = frozenset({
    "$schema", "$id", "$comment", "title", "description", "examples", "default",
    "type", "const", "enum", "format", "pattern", "maxLength", "minLength",
    "properties", "additionalProperties", "required",
    "items", "contains", "minItems", "maxItems", "uniqueItems",
    "allOf", "anyOf", "oneOf", "not", "if", "then", "else",
})
ANNOTATIONS = frozenset({"title", "description", "$comment", "examples", "default"})
ANSWERS = ("properties", "data", "properties", "answers")


class UnsupportedSchema(Exception):
    """The schema uses something the draft-7 copy could not mean the same way."""


def draft7_envelope() -> dict[str, Any]:
    """The envelope schema as one draft-7 document, the form inlined at ``answers``."""
    envelope, form = load_schema(ENVELOPE_SCHEMA), load_schema(FORM_SCHEMA)
    node = envelope
    for key in ANSWERS[:-1]:
        node = node[key]
    answers = node[ANSWERS[-1]]
    if answers.get("$ref") != FORM_SCHEMA:
        raise UnsupportedSchema(f"answers must refer to {FORM_SCHEMA}, got {answers!r}")
    for key in ("$schema", "$id"):
        form.pop(key, None)
    node[ANSWERS[-1]] = _flat_form(form)
    envelope.pop("$id", None)
    envelope["$schema"] = DRAFT7
    _check_keywords(envelope, "#")
    _simplify(envelope)
    return envelope


def _flat_form(form: dict[str, Any]) -> dict[str, Any]:
    """The form with its conditional questions among its properties, in draft-7 terms.

    The 2020-12 form declares a conditional question only in its condition's ``then`` and
    refuses it elsewhere with ``unevaluatedProperties: false``, which draft 7 lacks. The
    same meaning: the question among the properties (``additionalProperties: false``) and
    refused by an ``else: {not: {required}}`` of its condition.
    """
    if form.get("unevaluatedProperties") is not False:
        return form
    own = form.get("properties", {})
    form["properties"] = properties_of(form)
    for entry in form.get("allOf", []):
        asked = [name for name in entry.get("then", {}).get("properties", {}) if name not in own]
        if asked and "else" not in entry:
            entry["else"] = {"not": {"required": asked}}
    del form["unevaluatedProperties"]
    form["additionalProperties"] = False
    return form


def _subschemas(node: dict[str, Any], where: str) -> Iterator[tuple[str, Any]]:
    """The schemas directly inside a schema, with their JSON pointers."""
    for name, sub in node.get("properties", {}).items():
        yield f"{where}/properties/{name}", sub
    for key in ("items", "contains", "not", "if", "then", "else", "additionalProperties"):
        if isinstance(node.get(key), dict | bool):
            yield f"{where}/{key}", node[key]
    for key in ("allOf", "anyOf", "oneOf"):
        for index, sub in enumerate(node.get(key, [])):
            yield f"{where}/{key}/{index}", sub


def _check_keywords(node: Any, where: str) -> None:
    if isinstance(node, bool):
        return
    if not isinstance(node, dict):
        raise UnsupportedSchema(f"{where}: not a schema")
    unknown = set(node) - ALLOWED
    if unknown:
        raise UnsupportedSchema(f"{where}: {', '.join(sorted(unknown))}")
    if "items" in node and not isinstance(node["items"], dict | bool):
        raise UnsupportedSchema(f"{where}/items: an array of schemas changed meaning")
    for path, sub in _subschemas(node, where):
        _check_keywords(sub, path)


def _simplify(node: Any) -> None:
    """Rewrites that keep the meaning but spare fastjsonschema its exceptions.

    ``const: x`` becomes ``enum: [x]``; ``oneOf`` whose options are each only a ``const``
    (and annotations) becomes one ``enum`` when the values are distinct (exactly one
    option matches ⇔ the value is one of them). Every failed option of a ``oneOf`` costs
    fastjsonschema a raised exception, and its terse exceptions fail to build for ``const``.
    """
    if not isinstance(node, dict):
        return
    options = node.get("oneOf")
    if isinstance(options, list) and options and all(
            isinstance(o, dict) and "const" in o and set(o) <= ANNOTATIONS | {"const"}
            for o in options):
        values = [o["const"] for o in options]
        if all(_distinct(a, b) for i, a in enumerate(values) for b in values[i + 1:]):
            del node["oneOf"]
            node["allOf"] = [*node.get("allOf", []), {"enum": values}]
    if "const" in node:
        node["enum"] = [node.pop("const")]
    for _, sub in _subschemas(node, ""):
        _simplify(sub)


def _distinct(a: Any, b: Any) -> bool:
    """Unequal in JSON Schema's sense too: only plain strings are compared here."""
    return isinstance(a, str) and isinstance(b, str) and a != b


def _format(name: str) -> Callable[[str], bool]:
    checker = format_checker()
    return lambda value: checker.conforms(value, name)


@cache
def _compiled() -> Callable[[Any], Any] | None:
    try:
        schema = draft7_envelope()
    except UnsupportedSchema:
        return None
    formats = {name: _format(name) for name in format_checker().checkers}
    return fastjsonschema.compile(schema, formats=formats, detailed_exceptions=False)


def available() -> bool:
    """True when the pre-check is in use (the schemas only use what it can mean the same)."""
    return _compiled() is not None


def envelope_is_valid(payload: Any) -> bool:
    """True only if the full 2020-12 validator would find no schema error in ``payload``.

    False means "ask the full validator": the payload may still be valid (for example a
    ``$`` in a pattern, which fastjsonschema reads as the very end of the text).
    """
    check = _compiled()
    if check is None:
        return False
    try:
        check(payload)
    except fastjsonschema.JsonSchemaException:
        return False
    except (RecursionError, TypeError, ValueError):
        return False  # e.g. uniqueItems over absurdly nested lists: let the full path say
    return True
