"""From a FlowInstance to our envelope, as the committee's ``[oep]`` section says.

Each answer of the form is looked up by its element name or QueryID under
/FlowInstance/Values and converted by what the form schema says the answer is: an option
(the platform's option text through ``values``, by default the form's own titles), a yes/no
question («Ja»/«Nej» by default), a date, a time of day, a list or a free text. A question
left unanswered is left out, and the validation the webhook uses says whether the form
needed it. What cannot be converted is a ``ValidationIssue`` whose pointer names the XML
element; ``in_xml`` gives the validation's issues the same kind of pointer.

The submitter is Header/Poster (Header/Owner when there is no poster) and the submission
time Header/LastSubmitted, local Stockholm time without an offset in the platform's exports.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from besoksrapport.committee.oep import AnswerSource, AnswerValue, OepConfig
from besoksrapport.errors import ValidationIssue
from besoksrapport.form.schemas import form_fields
from besoksrapport.form.validation import validate_envelope
from besoksrapport.oep.flowinstance import FlowInstance, Person, Query, submitted_at
from besoksrapport.swedish import STOCKHOLM

EVENT_TYPE = "visit_report.submitted"
YES_NO: dict[str, AnswerValue] = {"Ja": True, "Nej": False}
TIME_FORMATS = ("%H:%M", "%H.%M")
ANSWERS = "/data/answers/"
HEADER = "/FlowInstance/Header"


def submission_id(flow_instance_id: int) -> str:
    """The envelope's submission_id: one report per flow instance, however often it comes."""
    return f"oep-{flow_instance_id}"


@dataclass(frozen=True)
class Kind:
    """What the form says one answer is."""

    name: str  # "option", "yes_no", "date", "time", "list" or "text"
    titles: Mapping[str, AnswerValue] = field(default_factory=dict)  # default value map


@cache
def kinds() -> dict[str, Kind]:
    """Each answer's kind, read from the form schema."""
    found = {}
    for name, prop in form_fields().items():
        items = prop.get("items", {})
        options = prop.get("oneOf") or items.get("oneOf") or []
        titles = {option["title"]: option["const"] for option in options}
        if prop.get("type") == "boolean":
            found[name] = Kind("yes_no", YES_NO)
        elif prop.get("type") == "array":
            found[name] = Kind("list", titles)
        elif prop.get("format") == "date":
            found[name] = Kind("date")
        elif name.endswith("_time"):
            found[name] = Kind("time")
        else:
            found[name] = Kind("option" if titles else "text", titles)
    return found


@dataclass
class Mapped:
    """The envelope built from a FlowInstance, what could not be mapped, and where each is."""

    envelope: dict[str, Any]
    issues: list[ValidationIssue]
    where: dict[str, str]  # answer → the pointer of its XML element
    failed: set[str] = field(default_factory=set)  # "answers/<name>", "submitter", …

    def in_xml(self, issues: list[ValidationIssue]) -> list[ValidationIssue]:
        """The validation's issues with pointers into the XML where the answer came from."""
        return [ValidationIssue(self._pointer(issue.pointer), issue.code, issue.message)
                for issue in issues]

    def every_issue(self) -> list[ValidationIssue]:
        """What could not be mapped, then the validation's issues about the rest."""
        rest = [issue for issue in validate_envelope(self.envelope)
                if _part(issue.pointer) not in self.failed]
        return self.issues + self.in_xml(rest)

    def _pointer(self, pointer: str) -> str:
        if pointer.startswith(ANSWERS):
            answer = pointer[len(ANSWERS):].split("/", 1)[0]
            return self.where.get(answer, pointer)
        if pointer.startswith("/data/submitter"):
            return f"{HEADER}/Poster"
        if pointer == "/data/submitted_at":
            return f"{HEADER}/LastSubmitted"
        return pointer


def _part(pointer: str) -> str:
    """The part of the envelope a pointer is in: ``answers/<name>``, ``submitter``, …"""
    parts = pointer.split("/")[2:4]
    return "/".join(parts) if parts[:1] == ["answers"] else "".join(parts[:1])


def _question(query: Query) -> str:
    return f"”{query.name.strip()}”" if query.name and query.name.strip() else \
        f"med elementet {query.element}"


def _pointer(source: AnswerSource, query: Query | None = None) -> str:
    if query is not None:
        return f"/FlowInstance/Values/{query.element}"
    if source.element is not None:
        return f"/FlowInstance/Values/{source.element}"
    return f"/FlowInstance/Values/*[QueryID={source.query_id}]"


class _Refused(Exception):
    def __init__(self, code: str, message: str):
        self.code, self.message = code, message


def _option(text: str, values: Mapping[str, AnswerValue], question: str) -> AnswerValue:
    if text in values:
        return values[text]
    folded = {key.casefold(): value for key, value in values.items()}
    if text.casefold() in folded:
        return folded[text.casefold()]
    raise _Refused("oep_unknown_option", f"Svaret på frågan {question} går inte att föra "
                   "över till rapporten: alternativet finns inte i nämndens konfiguration. "
                   "Kontakta nämndens sekreterare.")


def _date(text: str, fmt: str | None, question: str) -> str:
    try:
        return dt.datetime.strptime(text, fmt or "%Y-%m-%d").date().isoformat()
    except ValueError:
        raise _Refused("oep_bad_date", f"Datumet i frågan {question} har fel form. Skriv det "
                       "som ÅÅÅÅ-MM-DD, till exempel 2026-03-15.") from None


def _time(text: str, fmt: str | None, question: str) -> str:
    for candidate in (fmt,) if fmt else TIME_FORMATS:
        try:
            return dt.datetime.strptime(text, candidate).strftime("%H:%M")
        except ValueError:
            continue
    raise _Refused("oep_bad_time", f"Klockslaget i frågan {question} har fel form. Skriv det "
                   "som TT.MM, till exempel 09.30.")


def _convert(source: AnswerSource, kind: Kind, texts: list[str], question: str) -> Any:
    values = source.values or kind.titles
    if kind.name == "list":
        return [_option(text, values, question) if values else text for text in texts]
    if len(texts) > 1:
        raise _Refused("oep_several_answers", f"Frågan {question} har flera svar, men "
                       "rapporten tar bara emot ett.")
    [text] = texts
    if kind.name in ("option", "yes_no") or source.values:
        return _option(text, values, question)
    if kind.name == "date":
        return _date(text, source.format, question)
    if kind.name == "time":
        return _time(text, source.format, question)
    return text


def _answers(flow: FlowInstance, config: OepConfig, mapped: Mapped) -> dict[str, Any]:
    answers: dict[str, Any] = {}
    for source in config.answers:
        query = flow.query(source.element, source.query_id)
        mapped.where[source.answer] = _pointer(source, query)
        if query is None:
            continue
        # OeP pads some values (a fixed-width field in the sample ends in blanks).
        texts = [text.strip() for text in query.texts(source.field) if text.strip()]
        if not texts:
            continue
        kind = kinds()[source.answer]
        try:
            answers[source.answer] = _convert(source, kind, texts, _question(query))
        except _Refused as refused:
            mapped.failed.add(f"answers/{source.answer}")
            mapped.issues.append(ValidationIssue(
                f"{_pointer(source, query)}/{source.field}", refused.code, refused.message))
    return answers


def _submitter(flow: FlowInstance, config: OepConfig, mapped: Mapped) -> dict[str, str]:
    person: Person | None = flow.poster or flow.owner
    who = {} if person is None else {
        "id": person.fields.get(config.submitter_id, "").strip(), "name": person.name}
    if person is None or not who["id"] or not who["name"]:
        mapped.failed.add("submitter")
        mapped.issues.append(ValidationIssue(
            f"{HEADER}/Poster", "oep_no_submitter",
            "Rapporten saknar inloggad avsändare med namn och id (Header/Poster): den "
            "måste skickas in av en inloggad kontaktpolitiker."))
        return who
    if person.email:
        who["email"] = person.email
    return who


def _submitted(flow: FlowInstance, mapped: Mapped) -> str | None:
    if flow.submitted is None:
        problem = "saknar"
    else:
        try:
            return submitted_at(flow.submitted, STOCKHOLM).isoformat()
        except ValueError:
            problem = "har fel form på"
    mapped.failed.add("submitted_at")
    mapped.issues.append(ValidationIssue(
        f"{HEADER}/LastSubmitted", "oep_no_submission_time",
        f"Ärendet {problem} tidpunkten då det skickades in (Header/LastSubmitted)."))
    return None


def map_flow_instance(flow: FlowInstance, config: OepConfig,
                      received_at: dt.datetime) -> Mapped:
    """Our envelope for ``flow`` (``data.submission_id`` is ``oep-<FlowInstanceID>``)."""
    mapped = Mapped(envelope={}, issues=[], where={})
    submitter = _submitter(flow, config, mapped)
    data: dict[str, Any] = {"submission_id": submission_id(flow.flow_instance_id)}
    when = _submitted(flow, mapped)
    if when is not None:
        data["submitted_at"] = when
    data["submitter"] = submitter
    data["answers"] = _answers(flow, config, mapped)
    mapped.envelope = {
        "type": EVENT_TYPE,
        "timestamp": received_at.astimezone(dt.UTC).isoformat().replace("+00:00", "Z"),
        "data": data,
    }
    return mapped
