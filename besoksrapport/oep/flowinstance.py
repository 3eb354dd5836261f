"""Reading a FlowInstance XML export (and a getInstances listing) safely.

The platform writes ISO-8859-1 or UTF-8 and says which in the XML declaration; the parser
reads the bytes, so both come out right. A DTD, and with it any entity, is refused
(defusedxml): a FlowInstance never needs one. Element names are matched without their
namespace (``http://www.oeplatform.org/version/2.0/schemas/flowinstance`` in the exports we
know), so an export without one reads the same.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException
from defusedxml.ElementTree import fromstring

from besoksrapport.errors import BesoksrapportError, ValidationIssue
from besoksrapport.swedish import number

# The most bytes of XML read from a file or the platform. A FlowInstance export of a visit
# report is a few KiB (attachments are not in it); a 64 MiB file once took 324 MiB to read.
MAX_XML_BYTES = 8 * 2**20


class FlowInstanceUnreadable(BesoksrapportError):
    """The bytes are no FlowInstance we can read; ``issue`` says why, in Swedish."""

    def __init__(self, pointer: str, code: str, message: str):
        self.issue = ValidationIssue(pointer, code, message)
        super().__init__(message)


@dataclass(frozen=True)
class Person:
    """Header/Poster or Header/Owner: the platform's account, children by element name."""

    fields: dict[str, str]

    @property
    def name(self) -> str:
        return " ".join(part for part in (self.fields.get("Firstname", "").strip(),
                                          self.fields.get("Lastname", "").strip()) if part)

    @property
    def email(self) -> str | None:
        return self.fields.get("Email", "").strip() or None


@dataclass(frozen=True)
class Query:
    """One child of /FlowInstance/Values: a question of the e-service and its answer."""

    element: str
    query_id: int | None
    name: str | None  # the question as the e-service asked it
    children: tuple[tuple[str, str], ...]  # (element name, text) of the answer's children

    def texts(self, name: str) -> list[str]:
        return [text for child, text in self.children if child == name]


@dataclass(frozen=True)
class FlowInstance:
    flow_instance_id: int
    family_id: int | None
    poster: Person | None
    owner: Person | None
    submitted: str | None  # Header/LastSubmitted, else Posted, as written (local time)
    values: tuple[Query, ...]

    def query(self, element: str | None = None, query_id: int | None = None) -> Query | None:
        for query in self.values:
            if (element is not None and query.element == element) or \
                    (query_id is not None and query.query_id == query_id):
                return query
        return None


def local_name(tag: str) -> str:
    """An element's name without its namespace (OeP's answers use several)."""
    return tag.rsplit("}", 1)[-1]


def _child(parent: Element | None, name: str) -> Element | None:
    if parent is None:
        return None
    return next((child for child in parent if local_name(child.tag) == name), None)


def _text(element: Element | None) -> str | None:
    if element is None or element.text is None:
        return None
    return element.text


def parse_xml(data: bytes, what: str) -> Element:
    """The document's root; a DTD, an unknown encoding, too many bytes or broken XML raise
    ``FlowInstanceUnreadable``."""
    if len(data) > MAX_XML_BYTES:
        raise FlowInstanceUnreadable("/", "oep_too_large", f"{what} är större än gränsen på "
                                     f"{number(MAX_XML_BYTES // 2**20)} MiB.")
    try:
        return fromstring(data, forbid_dtd=True)
    except DefusedXmlException:
        raise FlowInstanceUnreadable("/", "oep_dtd", f"{what} innehåller en DTD, och det "
                                     "tas av säkerhetsskäl inte emot.") from None
    except LookupError:  # encoding="x-evil", or a codec that is not for text ("rot13")
        raise FlowInstanceUnreadable("/", "oep_unknown_encoding", f"{what} anger en "
                                     "teckenkodning som inte går att läsa (XML-deklarationens "
                                     "encoding).") from None
    except (ParseError, ValueError, UnicodeError):  # a lying declaration ends here too
        raise FlowInstanceUnreadable("/", "oep_not_xml",
                                     f"{what} är inte giltig XML.") from None


def _person(header: Element | None, name: str) -> Person | None:
    element = _child(header, name)
    if element is None:
        return None
    return Person({local_name(child.tag): child.text or "" for child in element})


def _int(text: str | None) -> int | None:
    try:
        return int(text.strip()) if text is not None else None
    except ValueError:
        return None


def _query(element: Element) -> Query:
    return Query(element=local_name(element.tag), query_id=_int(_text(_child(element, "QueryID"))),
                 name=_text(_child(element, "Name")),
                 children=tuple((local_name(child.tag), child.text or "") for child in element
                                if local_name(child.tag) not in ("QueryID", "Name")))


def parse_flow_instance(data: bytes) -> FlowInstance:
    """The parts of a FlowInstance export the mapping reads."""
    root = parse_xml(data, "Ärendets XML från Open ePlatform")
    if local_name(root.tag) != "FlowInstance":
        raise FlowInstanceUnreadable("/", "oep_not_flow_instance",
                                     "XML:en från Open ePlatform är inte ett FlowInstance.")
    header = _child(root, "Header")
    flow_instance_id = _int(_text(_child(header, "FlowInstanceID")))
    if flow_instance_id is None:
        raise FlowInstanceUnreadable("/FlowInstance/Header/FlowInstanceID", "oep_no_id",
                                     "Ärendet saknar ärendenummer (FlowInstanceID).")
    submitted = next((text.strip() for name in ("LastSubmitted", "Posted", "FirstSubmitted")
                      if (text := _text(_child(header, name))) and text.strip()), None)
    values = _child(root, "Values")
    return FlowInstance(
        flow_instance_id=flow_instance_id,
        family_id=_int(_text(_child(_child(header, "Flow"), "FamilyID"))),
        poster=_person(header, "Poster"), owner=_person(header, "Owner"),
        submitted=submitted,
        values=tuple(_query(element) for element in values) if values is not None else (),
    )


def submitted_at(text: str, zone: dt.tzinfo) -> dt.datetime:
    """Header/LastSubmitted as an aware moment: the platform writes local time, no offset.

    A time with an offset keeps it. In the hour the clocks go back, the earlier of the two
    moments is taken (``fold=0``).
    """
    moment = dt.datetime.fromisoformat(text)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=zone)


def listed_ids(data: bytes) -> list[int]:
    """The flowInstanceIDs of a getInstances answer, oldest id first, each once."""
    root = parse_xml(data, "Listan över ärenden från Open ePlatform")
    ids = {value for element in root.iter() if local_name(element.tag) == "flowInstanceID"
           if (value := _int(element.text)) is not None}
    return sorted(ids)
