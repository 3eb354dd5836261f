"""The committee's ``[oep]`` section: which e-service to poll and where each answer is.

OeP names every question of an e-service by an XML element (and a numeric QueryID), chosen
by whoever builds the e-service, so the mapping is configuration: per answer of our form the
element name (or QueryID), the child element that holds the value, how option texts
translate («Kost» → ``kost``, «Ja» → ``true``) and how dates and times are written. The TOML
is checked against ``committee.schema.json`` first; this module builds the records and adds
the one check the schema cannot make, that every answer the form always needs has a source.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from besoksrapport.errors import ConfigError
from besoksrapport.form.schemas import FORM_SCHEMA, load_schema

DEFAULT_SYSTEM = "besoksrapport"
DEFAULT_FIELD = "Value"

AnswerValue = str | bool


@dataclass(frozen=True)
class AnswerSource:
    """Where one answer of our form stands in the FlowInstance XML."""

    answer: str  # the form's field, e.g. ``visit_date``
    element: str | None = None  # the query's element name under /FlowInstance/Values
    query_id: int | None = None  # or its QueryID
    field: str = DEFAULT_FIELD  # the child element holding the value
    values: Mapping[str, AnswerValue] | None = None  # option text → our value
    format: str | None = None  # strptime format of a date or a time of day

    @property
    def described(self) -> str:
        """How the source is named in messages: its element, else its QueryID."""
        return self.element if self.element is not None else f"QueryID {self.query_id}"


@dataclass(frozen=True)
class OepConfig:
    family_id: int
    answers: tuple[AnswerSource, ...]
    status: str | None = None  # only instances in this status are listed
    since: dt.date | None = None  # where the first poll starts
    system: str = DEFAULT_SYSTEM  # externalID's System
    message_user: str = DEFAULT_SYSTEM  # userID of the messages to the politician
    submitter_id: str = "ID"  # the child of Header/Poster that is the roster's id
    status_alias: Mapping[str, str] = field(default_factory=dict)  # status → its alias

    def source(self, answer: str) -> AnswerSource | None:
        return next((s for s in self.answers if s.answer == answer), None)


def oep_config(data: dict[str, Any] | None, *, source: str) -> OepConfig | None:
    """The ``[oep]`` section as records (already valid per the schema), or None without one."""
    if data is None:
        return None
    answers = tuple(
        AnswerSource(answer=name, element=item.get("element"), query_id=item.get("query_id"),
                     field=item.get("field", DEFAULT_FIELD), values=item.get("values"),
                     format=item.get("format"))
        for name, item in data["answers"].items())
    always = load_schema(FORM_SCHEMA)["required"]
    missing = [name for name in always if name not in data["answers"]]
    if missing:
        raise ConfigError("svaren " + ", ".join(missing) + " behövs i varje rapport men har "
                          "ingen fråga i e-tjänsten: ange element eller query_id för dem",
                          source=source, field="oep.answers")
    since = data.get("since")
    return OepConfig(
        family_id=data["family_id"], answers=answers, status=data.get("status"),
        since=dt.date.fromisoformat(since) if since else None,
        system=data.get("system", DEFAULT_SYSTEM),
        message_user=data.get("message_user", DEFAULT_SYSTEM),
        submitter_id=data.get("submitter_id", "ID"),
        status_alias=dict(data.get("status_alias", {})),
    )
