"""Validate a posted envelope: every problem, each with a pointer, a code and a Swedish message.

Three layers: the JSON Schemas (translated from jsonschema's errors), the text-safety check and
the rules. One mistake gives one message: per pointer only the most telling issue is kept,
and the consequence of a conditional rule («ange datum för beslutet») is dropped when the
answer it depends on is itself wrong. Any JSON value is accepted as input and nothing
raises: the caller (``reception.receive``) decides what an issue means.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from jsonschema.exceptions import ValidationError

from besoksrapport.errors import ValidationIssue
from besoksrapport.form.messages import message_for
from besoksrapport.form.pointer import is_index, to_pointer
from besoksrapport.form.precheck import envelope_is_valid
from besoksrapport.form.rules import BLANK_PATTERN, rule_issues
from besoksrapport.form.schemas import (
    conditional_fields,
    iter_properties,
    node_at_schema_path,
    properties_of,
    validator,
)
from besoksrapport.form.textsafety import first_unsafe, text_issues

# jsonschema keyword -> our code, where the translation is one to one.
KEYWORD_CODES = {
    "type": "type", "enum": "enum", "const": "const", "format": "format",
    "pattern": "pattern", "maxLength": "max_length", "minLength": "min_length",
    "minItems": "min_items", "maxItems": "max_items", "uniqueItems": "unique_items",
}
# The deepest value the schemas inspect is /data/answers/met/0 (four levels); a margin above.
MAX_DEPTH = 8
# When several issues land on one pointer, the first code in this list is the one shown.
PRECEDENCE = (
    "unknown_property", "not_allowed", "type", "unsafe_character", "too_deep", "required", "const",
    "enum", "format", "pattern", "max_length", "min_length", "max_items", "min_items",
    "unique_items", "one_required", "invalid",
    "blank", "date_out_of_range", "date_after_submission", "end_not_after_start",
    "decision_after_visit",
)


@dataclass(frozen=True)
class _Found:
    tokens: tuple[str, ...]
    code: str
    limit: object = None
    fmt: str | None = None
    depends_on: tuple[str, ...] = ()  # pointers whose own issue makes this one moot
    position: int | None = None

    def issue(self) -> ValidationIssue:
        message = message_for(self.code, list(self.tokens), limit=self.limit, fmt=self.fmt,
                              position=self.position)
        return ValidationIssue(to_pointer(self.tokens), self.code, message)


def validate_envelope(payload: Any, source: str | None = None) -> list[ValidationIssue]:
    """All problems of a payload (any JSON value), sorted by the form's field order.

    ``source`` is the JSON text the payload was parsed from, when the caller has it: the
    text-safety check then reads it once instead of walking the payload (same issues).
    """
    issues = [] if envelope_is_valid(payload) else _schema_issues(payload)
    issues += text_issues(payload, source)
    failed = {issue.pointer for issue in issues}
    issues += rule_issues(payload, lambda pointer: pointer in failed)
    return sorted(_one_per_pointer(issues), key=_sort_key)


def _schema_issues(payload: Any) -> list[ValidationIssue]:
    """What the JSON Schemas find wrong, translated; the slow path (see ``precheck``)."""
    shallow = _bounded(payload, MAX_DEPTH)
    found = [item for error in validator().iter_errors(shallow) for item in _translate(error)]
    schema_pointers = {to_pointer(item.tokens) for item in found}
    found = [item for item in found
             if not any(_at_or_below(p, d) for d in item.depends_on for p in schema_pointers)]
    return [item.issue() for item in found]


def _bounded(value: Any, depth: int) -> Any:
    """The payload with containers nested deeper than the schemas ever look cut off.

    jsonschema compares and prints values recursively (uniqueItems, error messages), so a
    list nested a few hundred levels deep, which ``json.loads`` happily produces, would end in
    RecursionError. Below ``MAX_DEPTH`` nothing is valid anyway: the deeper value is already
    refused at a shallower pointer, so the placeholder changes no verdict.
    """
    if isinstance(value, dict | list) and depth <= 0:
        return f"<nested {id(value)}>"
    if isinstance(value, dict):
        return {key: _bounded(item, depth - 1) for key, item in value.items()}
    if isinstance(value, list):
        return [_bounded(item, depth - 1) for item in value]
    return value


def _translate(error: ValidationError) -> list[_Found]:
    path = tuple(str(token) for token in error.absolute_path)
    keyword, value, instance = error.validator, error.validator_value, error.instance
    depends = _condition_pointers(error, path)
    if keyword == "required":
        names = [name for name in value if isinstance(instance, dict) and name not in instance]
        if _at_least_one(error):  # its condition reads absent answers: nothing to depend on
            return [_Found((*path, name), "one_required") for name in names]
        return [_Found((*path, name), "required", depends_on=depends) for name in names]
    if keyword == "unevaluatedProperties":
        return _unevaluated(error, path)
    if keyword == "additionalProperties":
        known = error.schema.get("properties", {}) if isinstance(error.schema, dict) else {}
        extra = [key for key in instance if key not in known] if isinstance(instance, dict) else []
        return [_Found((*path, str(key)), "unknown_property") for key in extra]
    if keyword == "pattern" and value == BLANK_PATTERN:
        return [_Found(path, "blank", depends_on=depends)]
    if keyword == "not" and isinstance(value, dict) and set(value) == {"pattern"}:
        index = first_unsafe(instance) if isinstance(instance, str) else None
        return [_Found(path, "unsafe_character", position=None if index is None else index + 1)]
    if keyword == "enum" and isinstance(value, list) and len(value) == 1:
        return [_Found(path, "const", depends_on=depends)]  # a box that must be ticked
    if keyword == "not" and isinstance(value, dict) and set(value) == {"required"}:
        names = [name for name in value["required"] if isinstance(instance, dict)]
        return [_Found((*path, name), "not_allowed", depends_on=depends) for name in names]
    if keyword == "anyOf" and all(set(option) == {"required"} for option in value):
        return [_Found(path, "one_required", depends_on=depends)]
    if keyword == "oneOf" and all("const" in option for option in value):
        return [_Found(path, "enum", depends_on=depends)]
    code = KEYWORD_CODES.get(keyword, "invalid")
    limit = value if code in ("max_length", "min_length", "min_items", "max_items") else None
    fmt = value if code == "format" else None
    return [_Found(path, code, limit=limit, fmt=fmt, depends_on=depends)]


def _at_least_one(error: ValidationError) -> bool:
    """A ``required`` from the rule «at least one discussion answer»: its ``if`` reads several
    answers (all absent), where a conditional question's ``if`` reads one."""
    schema_path = list(error.schema_path)
    if len(schema_path) < 2 or schema_path[-2] != "then":
        return False
    owner = node_at_schema_path(schema_path[:-2])
    condition = owner.get("if") if isinstance(owner, dict) else None
    return isinstance(condition, dict) and len(condition.get("properties", {})) > 1


def _unevaluated(error: ValidationError, path: tuple[str, ...]) -> list[_Found]:
    """Answers the form does not ask here: a conditional question whose condition does not
    hold (``not_allowed``, at the question) or a name the form does not have at all."""
    instance = error.instance
    if not isinstance(instance, dict) or not isinstance(error.schema, dict):
        return []
    known = properties_of(error.schema)
    asked = error.schema.get("properties", {})
    conditional = conditional_fields()
    found = []
    for key in instance:
        if key in asked:
            continue
        if key in known and key in conditional:
            if _condition_holds(error.schema, key, instance):
                continue
            reads = tuple(to_pointer((*path, name)) for name in conditional[key])
            found.append(_Found((*path, key), "not_allowed", depends_on=reads))
        else:
            found.append(_Found((*path, str(key)), "unknown_property"))
    return found


def _condition_holds(schema: dict[str, Any], key: str, instance: dict[str, Any]) -> bool:
    for entry in schema.get("allOf", []):
        if key in entry.get("then", {}).get("properties", {}) and isinstance(entry.get("if"), dict):
            return validator().evolve(schema=entry["if"]).is_valid(instance)
    return False


def _condition_pointers(error: ValidationError, path: tuple[str, ...]) -> tuple[str, ...]:
    """For an error from an if/then/else branch: the pointers of the fields the ``if`` reads."""
    schema_path = list(error.schema_path)
    branches = [i for i, token in enumerate(schema_path) if token in ("then", "else")]
    if not branches:
        return ()
    owner = node_at_schema_path(schema_path[:branches[-1]])
    condition = owner.get("if") if isinstance(owner, dict) else None
    if not isinstance(condition, dict):
        return ()
    fields = set(condition.get("required", [])) | set(condition.get("properties", {}))
    return tuple(to_pointer((*path, name)) for name in sorted(fields))


def _at_or_below(pointer: str, ancestor: str) -> bool:
    return pointer == ancestor or pointer.startswith(ancestor + "/")


def _one_per_pointer(issues: list[ValidationIssue]) -> list[ValidationIssue]:
    best: dict[str, ValidationIssue] = {}
    for issue in issues:
        kept = best.get(issue.pointer)
        if kept is None or PRECEDENCE.index(issue.code) < PRECEDENCE.index(kept.code):
            best[issue.pointer] = issue
    return list(best.values())


@cache
def _field_order() -> dict[tuple[str, ...], int]:
    order: dict[tuple[str, ...], int] = {(): -1}
    order.update((path, index) for index, (path, _) in enumerate(iter_properties()))
    return order


def _sort_key(issue: ValidationIssue) -> tuple:
    """Form order first (as the politician reads the form), then list index, then code."""
    tokens = issue.pointer.split("/")[1:] if issue.pointer else []
    shape = tuple("*" if is_index(token) else token for token in tokens)
    order = _field_order()
    known = max((n for n in range(len(shape) + 1) if shape[:n] in order), default=0)
    natural = tuple((0, int(t), "") if is_index(t) else (1, 0, t) for t in tokens)
    return (order[shape[:known]], natural, PRECEDENCE.index(issue.code))
