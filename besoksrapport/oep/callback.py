"""The platform's SOAP 1.1 integration callback: confirmDelivery, setStatus, addMessage.

Requests follow the published schema (namespace
``http://www.oeplatform.org/version/1.0/schemas/integration/callback``; the tests validate
each one against the XSD). A SOAP fault is permanent when its detail is one the platform
uses for what only a person can fix (``StatusNotFoundFault``, ``AccessDeniedFault``,
``FlowInstanceNotFoundFault``), or a client fault; a server fault without such a detail
and an HTTP outage are retried. Texts are Swedish and hold ids, never a report's contents
(the fault's own text is not kept: it may quote what was sent).
"""

from __future__ import annotations

import datetime as dt
from xml.etree.ElementTree import Element, SubElement, tostring

from besoksrapport.failure_reasons import retryable_status
from besoksrapport.oep.client import OepClient
from besoksrapport.oep.errors import OepError
from besoksrapport.oep.flowinstance import FlowInstanceUnreadable, local_name, parse_xml

SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
CALLBACK = "http://www.oeplatform.org/version/1.0/schemas/integration/callback"


def _envelope(operation: str) -> tuple[Element, Element]:
    envelope = Element(f"{{{SOAP}}}Envelope")
    SubElement(envelope, f"{{{SOAP}}}Header")
    body = SubElement(envelope, f"{{{SOAP}}}Body")
    return envelope, SubElement(body, f"{{{CALLBACK}}}{operation}")


def _add(parent: Element, name: str, text: str | None = None) -> Element:
    child = SubElement(parent, f"{{{CALLBACK}}}{name}")
    child.text = text
    return child


def _external_id(parent: Element, report_id: str, system: str) -> None:
    external = _add(parent, "externalID")
    _add(external, "ID", report_id)
    _add(external, "System", system)


def _bytes(envelope: Element) -> bytes:
    return tostring(envelope, encoding="utf-8", xml_declaration=True)


def confirm_delivery(flow_instance_id: int, delivered: bool, *, report_id: str | None = None,
                     system: str = "besoksrapport", log_message: str | None = None) -> bytes:
    """confirmDelivery: the platform marks the instance delivered (or not) to our system."""
    envelope, call = _envelope("confirmDelivery")
    _add(call, "flowInstanceID", str(flow_instance_id))
    if report_id is not None:
        _external_id(call, report_id, system)
    _add(call, "delivered", "true" if delivered else "false")
    if log_message is not None:
        _add(call, "logMessage", log_message)
    return _bytes(envelope)


def set_status(flow_instance_id: int, status_alias: str) -> bytes:
    """setStatus by the status's alias, as the e-service names it."""
    envelope, call = _envelope("setStatus")
    _add(call, "flowInstanceID", str(flow_instance_id))
    _add(call, "statusAlias", status_alias)
    return _bytes(envelope)


def add_message(flow_instance_id: int, text: str, *, user_id: str,
                added: dt.datetime) -> bytes:
    """addMessage: a message the politician reads on the instance in the e-service."""
    envelope, call = _envelope("addMessage")
    _add(call, "flowInstanceID", str(flow_instance_id))
    message = _add(call, "message")
    _add(message, "added", added.isoformat(timespec="seconds"))
    _add(message, "message", text)
    _add(message, "userID", user_id)
    _add(message, "readReceiptEnabled", "false")
    return _bytes(envelope)


FAULTS = {
    "StatusNotFoundFault": "Open ePlatform känner inte till statusen (StatusNotFoundFault): "
                           "lägg upp den i e-tjänsten eller ändra [oep.status_alias] i "
                           "nämndens konfiguration",
    "AccessDeniedFault": "Open ePlatform nekade API-användaren (AccessDeniedFault): ge "
                         "användaren i BESOKSRAPPORT_OEP_USERNAME behörighet till e-tjänsten",
    "FlowInstanceNotFoundFault": "Open ePlatform hittar inte ärendet "
                                 "(FlowInstanceNotFoundFault); det kan ha raderats",
}


def _fault(answer: Element, what: str, status: int) -> OepError:
    fault = next((e for e in answer.iter() if local_name(e.tag) == "Fault"), None)
    if fault is None:
        return OepError(f"Open ePlatform svarade HTTP {status} när {what}",
                        retryable=retryable_status(status), status=status)
    names = {local_name(e.tag) for e in fault.iter()}
    for name, text in FAULTS.items():
        if name in names:
            return OepError(f"{text}; när {what}", retryable=False, status=status)
    code = next((e.text or "" for e in fault.iter() if local_name(e.tag) == "faultcode"), "")
    client = local_name(code.split(":")[-1]) == "Client"
    return OepError(f"Open ePlatform svarade med ett SOAP-fel ({code.strip() or 'okänt'}) när "
                    f"{what}", retryable=not client, status=status)


def call(client: OepClient, body: bytes, operation: str, what: str) -> Element:
    """Send one request; the answer's body element (``{operation}Response``) or OepError."""
    response = client.callback(body, what)
    try:
        answer = parse_xml(response.content, "Svaret från Open ePlatform")
    except FlowInstanceUnreadable:
        if response.status_code != 200:
            raise OepError(f"Open ePlatform svarade HTTP {response.status_code} när {what}",
                           retryable=retryable_status(response.status_code),
                           status=response.status_code) from None
        raise OepError(f"Open ePlatform svarade med något annat än SOAP när {what}",
                       retryable=False, status=200) from None
    if response.status_code != 200:
        raise _fault(answer, what, response.status_code)
    result = next((e for e in answer.iter() if local_name(e.tag) == f"{operation}Response"), None)
    if result is None:
        raise OepError(f"Open ePlatform svarade utan {operation}Response när {what}",
                       retryable=False, status=200)
    return result
