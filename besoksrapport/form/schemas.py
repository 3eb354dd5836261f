"""The form and envelope schemas, loaded once, with a validator that resolves and checks offline.

The envelope refers to the form by the relative ``$ref: "visit-report.schema.json"``; both
schemas are put in one ``referencing.Registry`` under their ``$id`` so that reference never
leads to a network fetch. Formats are asserted, and ``date-time`` and ``email`` get stricter
checkers than jsonschema's defaults (see ``format_checker``).
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from typing import Any

from jsonschema import Draft202012Validator, FormatChecker
from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012
from rfc3339_validator import validate_rfc3339

from besoksrapport.form.pointer import is_index
from besoksrapport.paths import schema_text

FORM_SCHEMA = "visit-report.schema.json"
ENVELOPE_SCHEMA = "webhook-envelope.schema.json"
COMMITTEE_SCHEMA = "committee.schema.json"
SCHEMA_NAMES = (FORM_SCHEMA, ENVELOPE_SCHEMA, COMMITTEE_SCHEMA)

# One '@', no blanks or control characters, a dotted domain. jsonschema's built-in check is
# only "contains an @", which lets through "a b@c"; mail to such an address would bounce.
_EMAIL = re.compile(r"[^@\s\x00-\x1f\x7f]{1,64}@[^@\s\x00-\x1f\x7f.]+(\.[^@\s\x00-\x1f\x7f.]+)+")


@cache
def _load(name: str) -> dict[str, Any]:
    if name not in SCHEMA_NAMES:
        raise KeyError(f"unknown schema {name!r}; known: {', '.join(SCHEMA_NAMES)}")
    return json.loads(schema_text(name))


def load_schema(name: str) -> dict[str, Any]:
    """A private copy of one of our schemas (by file name), so callers cannot alter the cache."""
    return copy.deepcopy(_load(name))


def properties_of(node: dict[str, Any]) -> dict[str, Any]:
    """A schema's properties, with those it asks only under a condition, in the form's order.

    The form declares a conditional question in the ``then`` of its condition (``allOf``),
    so renderers show it only when the condition holds; it is placed right after the
    answer its condition reads, where the politician meets it.
    """
    own = node.get("properties", {}) if isinstance(node, dict) else {}
    branches = [(entry.get("if", {}).get("properties", {}),
                 entry.get("then", {}).get("properties", {}))
                for entry in (node.get("allOf", []) if isinstance(node, dict) else [])
                if isinstance(entry, dict)]
    result: dict[str, Any] = {}
    for name, sub in own.items():
        result[name] = sub
        for reads, then in branches:
            if list(reads) == [name]:
                result.update((key, value) for key, value in then.items() if key not in own)
    return result


def form_fields() -> dict[str, Any]:
    """Every question of the form, conditional ones included, in the form's order (a copy)."""
    return copy.deepcopy(properties_of(_load(FORM_SCHEMA)))


def conditional_fields() -> dict[str, tuple[str, ...]]:
    """Each question asked only under a condition, with the answers that condition reads."""
    found: dict[str, tuple[str, ...]] = {}
    for entry in _load(FORM_SCHEMA).get("allOf", []):
        reads = tuple(entry.get("if", {}).get("properties", {}))
        for name in entry.get("then", {}).get("properties", {}):
            if name not in _load(FORM_SCHEMA)["properties"]:
                found[name] = reads
    return found


@cache
def registry() -> Registry:
    """Both schemas under their ``$id``: the envelope's relative ``$ref`` resolves offline."""
    resources = [(_load(name)["$id"], Resource.from_contents(_load(name), DRAFT202012))
                 for name in SCHEMA_NAMES]
    return Registry().with_resources(resources).crawl()


@cache
def format_checker() -> FormatChecker:
    """jsonschema's checkers (``date`` rejects 2026-02-30), with stricter date-time and email.

    date-time must be RFC 3339 *and* parse with ``datetime.fromisoformat`` to an aware time:
    the rest of the system parses these stamps that way, so a leap second (":60") or a
    lowercase "z", valid RFC 3339 but unparseable by Python, is refused at the door.
    """
    checker = FormatChecker()

    @checker.checks("date-time", raises=ValueError)
    def _date_time(value: object) -> bool:
        if not isinstance(value, str):
            return True
        return (validate_rfc3339(value)
                and datetime.fromisoformat(value).tzinfo is not None)

    @checker.checks("email")
    def _email(value: object) -> bool:
        return not isinstance(value, str) or _EMAIL.fullmatch(value) is not None

    return checker


@cache
def validator(name: str = ENVELOPE_SCHEMA) -> Draft202012Validator:
    """A 2020-12 validator for one of our schemas, with the registry and real format checks."""
    return Draft202012Validator(_load(name), registry=registry(),
                                format_checker=format_checker())


def subschema_at(tokens: list[str | int]) -> dict[str, Any] | None:
    """The envelope's subschema describing the value at these pointer tokens, if any.

    Follows ``properties``, ``items`` and the ``$ref`` to the form; used to find a field's
    Swedish title and limits. Returns None for a place the schema does not describe.
    """
    node: Any = _load(ENVELOPE_SCHEMA)
    for token in tokens:
        node = _follow_ref(node)
        if not isinstance(node, dict):
            return None
        if isinstance(token, int) or (isinstance(token, str) and is_index(token)
                                       and "items" in node):
            node = node.get("items")
        else:
            node = properties_of(node).get(token)
    node = _follow_ref(node)
    return node if isinstance(node, dict) else None


def node_at_schema_path(schema_path: list[str | int]) -> Any:
    """The envelope schema's node at a jsonschema ``error.schema_path``, following ``$ref``."""
    node: Any = _load(ENVELOPE_SCHEMA)
    for token in schema_path:
        if isinstance(node, dict) and token not in node:
            node = _follow_ref(node)  # jsonschema leaves "$ref" out of the path
        try:
            node = node[token]
        except (KeyError, IndexError, TypeError):
            return None
    return node


def _follow_ref(node: Any) -> Any:
    if isinstance(node, dict) and isinstance(node.get("$ref"), str):
        base = _load(ENVELOPE_SCHEMA)["$id"]
        return registry().resolver(base).lookup(node["$ref"]).contents
    return node


def iter_properties(schema: dict[str, Any] | None = None,
                    path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], dict]]:
    """Every property schema, depth first, with its path ("*" for array items)."""
    node = _follow_ref(schema if schema is not None else _load(ENVELOPE_SCHEMA))
    for key, sub in properties_of(node).items():
        sub = _follow_ref(sub)
        yield (*path, key), sub
        yield from iter_properties(sub, (*path, key))
        if isinstance(sub.get("items"), dict):
            yield (*path, key, "*"), sub["items"]
