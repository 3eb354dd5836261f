"""Refused deliveries as a person reads them: who sent what, and each error by its question.

The quarantine keeps the raw body and the errors the platform got. Here they are read back
leniently (a refused body may be anything): the submitter's name, the operation, the unit
and the visit date when the body has them, and each error under the question's Swedish
title from the form's schema, or for Open ePlatform the title of the answer the XML element
maps to.
"""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass
from typing import Any

from besoksrapport.committee.model import Committee
from besoksrapport.committee.operations import operation_label
from besoksrapport.form.messages import title_of
from besoksrapport.form.pointer import to_tokens
from besoksrapport.outbox.context import Context
from besoksrapport.storage import HandledMark, QuarantinedDelivery

OEP_VALUES = ("FlowInstance", "Values")


@dataclass(frozen=True)
class ReadableError:
    question: str | None  # the question's Swedish title, when the place has one
    message: str
    pointer: str


@dataclass(frozen=True)
class RefusedDelivery:
    id: int
    delivery_id: str
    received_at: dt.datetime
    name: str | None
    operation: str | None
    unit: str | None
    visit_date: dt.date | None
    errors: list[ReadableError]
    handled: HandledMark | None


def _text(value: Any) -> str | None:
    return (value.strip() or None) if isinstance(value, str) else None


def _body(raw: bytes) -> tuple[dict[str, Any], dict[str, Any]]:
    """The body's ``data`` and its ``answers``, each {} when missing or not an object."""
    try:
        envelope = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        return {}, {}
    data = envelope.get("data") if isinstance(envelope, dict) else None
    data = data if isinstance(data, dict) else {}
    answers = data.get("answers")
    return data, answers if isinstance(answers, dict) else {}


def question_title(pointer: str, committee: Committee) -> str | None:
    """The Swedish title of the question an error's pointer names, if it names one."""
    try:
        tokens = to_tokens(pointer)
    except ValueError:
        return None
    if tuple(tokens[:2]) == OEP_VALUES and len(tokens) > 2 and committee.oep is not None:
        source = next((s for s in committee.oep.answers if s.element == tokens[2]), None)
        tokens = ["data", "answers", source.answer] if source is not None else []
    return title_of(tokens) if tokens[:2] == ["data", "answers"] and len(tokens) > 2 else None


def readable(item: QuarantinedDelivery, committee: Committee,
             handled: HandledMark | None = None) -> RefusedDelivery:
    data, answers = _body(item.raw_body)
    submitter = data.get("submitter")
    name = _text(submitter.get("name")) if isinstance(submitter, dict) else None
    operation = _text(answers.get("operation"))
    try:
        visit = dt.date.fromisoformat(answers.get("visit_date", ""))
    except (TypeError, ValueError):
        visit = None
    errors = [ReadableError(question_title(str(error.get("pointer", "")), committee),
                            str(error.get("message", "")), str(error.get("pointer", "")))
              for error in item.errors]
    return RefusedDelivery(
        id=item.id, delivery_id=item.webhook_id, received_at=item.received_at, name=name,
        operation=operation_label(operation) if operation else None,
        unit=_text(answers.get("unit")), visit_date=visit, errors=errors, handled=handled)


def refused_deliveries(ctx: Context) -> list[RefusedDelivery]:
    """Every refused delivery, newest first, with its «hanterad» mark."""
    marks = ctx.storage.handled_marks("refused")
    items = sorted(ctx.storage.quarantined(), key=lambda item: item.received_at, reverse=True)
    return [readable(item, ctx.committee, marks.get(str(item.id))) for item in items]
