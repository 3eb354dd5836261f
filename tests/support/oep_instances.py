"""FlowInstance exports and getInstances listings as Open ePlatform writes them, for the tests.

Built from the real artefacts in tests/fixtures/open-eplatform/ (Sundsvalls kommun, MIT):
the sample FlowInstance keeps its header, namespace and ISO-8859-1 encoding, and its
/FlowInstance/Values are replaced by the questions of our e-service as the example
committee's [oep] section names them, each answered as the platform would write it (the
option's text, «Ja»/«Nej», dates in StartDate, a text field's value under its own name).
"""

from __future__ import annotations

import copy
from datetime import datetime
from pathlib import Path
from typing import Any

from envelopes import example_envelope
from lxml import etree

from besoksrapport.committee.config import load_committee
from besoksrapport.committee.oep import OepConfig
from besoksrapport.form.schemas import form_fields
from besoksrapport.oep.mapping import kinds
from besoksrapport.paths import EXAMPLE_CONFIG

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "open-eplatform"
SAMPLE = FIXTURES / "sundsvall-flowinstance-sample.xml"
LISTING = FIXTURES / "get-instances-response.xml"
XSD = FIXTURES / "integration-callback.xsd"
NS = "http://www.oeplatform.org/version/2.0/schemas/flowinstance"
ANNA = {"Firstname": "Anna", "Lastname": "Lindqvist", "Email": "anna.lindqvist@exempelby.se",
        "ID": "anna.lindqvist"}


def example_mapping() -> OepConfig:
    config = load_committee(EXAMPLE_CONFIG).oep
    assert config is not None
    return config


def _texts(answer: str, value: Any, config: OepConfig) -> list[str]:
    """How the platform writes our value: the option text the mapping maps to it."""
    source = config.source(answer)
    assert source is not None
    kind = kinds()[answer]
    values = source.values or kind.titles
    items = value if isinstance(value, list) else [value]
    texts = []
    for item in items:
        matches = [text for text, mapped in values.items() if mapped == item and
                   type(mapped) is type(item)]
        texts.append(matches[0] if matches else str(item))
    return texts


def _text(text: str, encoding: str) -> str | etree.CDATA:
    """CDATA as the platform writes it, where the encoding holds every character."""
    try:
        text.encode(encoding)
    except UnicodeEncodeError:
        return text  # written as character references
    return etree.CDATA(text)


def values_element(answers: dict[str, Any], config: OepConfig,
                   override: dict[str, list[tuple[str, str]]] | None = None,
                   encoding: str = "ISO-8859-1") -> etree._Element:
    """/FlowInstance/Values for these answers; ``override`` sets an element's children."""
    titles = form_fields()
    values = etree.Element(f"{{{NS}}}Values")
    for number, source in enumerate(config.answers, start=1):
        if source.answer not in answers and source.element not in (override or {}):
            continue
        query = etree.SubElement(values, f"{{{NS}}}{source.element}")
        etree.SubElement(query, f"{{{NS}}}QueryID").text = str(70000 + number)
        etree.SubElement(query, f"{{{NS}}}Name").text = _text(
            titles[source.answer]["title"], encoding)
        children = (override or {}).get(source.element) or [
            (source.field, text) for text in _texts(source.answer, answers[source.answer],
                                                    config)]
        for name, text in children:
            etree.SubElement(query, f"{{{NS}}}{name}").text = _text(text, encoding)
    return values


def flow_instance_xml(flow_instance_id: int, answers: dict[str, Any] | None = None, *,
                      submitted: datetime | None = None, poster: dict[str, str] | None = None,
                      encoding: str = "ISO-8859-1", without: tuple[str, ...] = (),
                      override: dict[str, list[tuple[str, str]]] | None = None,
                      family_id: int = 1234, config: OepConfig | None = None) -> bytes:
    """A submitted FlowInstance of our e-service, from the real sample's header.

    ``answers`` default to the minimal example's; ``without`` leaves those answers'
    elements out; ``submitted`` is the platform's local time (naive, as it writes it).
    """
    config = config or example_mapping()
    answers = dict(answers if answers is not None else
                   example_envelope()["data"]["answers"])
    for name in without:
        answers.pop(name, None)
    root = etree.parse(str(SAMPLE)).getroot()
    header = root.find(f"{{{NS}}}Header")
    header.find(f"{{{NS}}}Flow/{{{NS}}}FamilyID").text = str(family_id)
    header.find(f"{{{NS}}}FlowInstanceID").text = str(flow_instance_id)
    stamp = (submitted or datetime(2026, 11, 20, 9, 14, 58)).isoformat(timespec="seconds")
    for name in ("Posted", "FirstSubmitted", "LastSubmitted"):
        header.find(f"{{{NS}}}{name}").text = stamp
    for role in ("Poster", "Owner"):
        element = header.find(f"{{{NS}}}{role}")
        for name, text in (poster or ANNA).items():
            element.find(f"{{{NS}}}{name}").text = _text(text, encoding)
    root.replace(root.find(f"{{{NS}}}Values"), values_element(answers, config, override,
                                                                 encoding))
    return etree.tostring(root, xml_declaration=True, encoding=encoding, standalone=False)


def listing_xml(entries: list[tuple[int, datetime]]) -> bytes:
    """A getInstances answer like the real one: (flowInstanceID, added in local time)."""
    template = etree.parse(str(LISTING)).getroot()
    first = template[0]
    root = etree.Element("FlowInstances")
    for flow_instance_id, added in entries:
        item = copy.deepcopy(first)
        item.find("flowInstanceID").text = str(flow_instance_id)
        for name in ("added", "firstSubmitted", "lastStatusChange", "lastEventAdded"):
            item.find(name).text = added.strftime("%Y-%m-%d %H:%M")
        root.append(item)
    return etree.tostring(root, xml_declaration=True, encoding="ISO-8859-1")
