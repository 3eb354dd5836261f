"""A fake Open ePlatform on 127.0.0.1: a small WSGI app under a real cheroot server.

It serves what the real platform serves our integration, built from the real artefacts
(tests/support/oep_instances.py): ``GET /api/instanceapi/getinstances/family/{id}[/{status}]``
with ``fromDate``/``toDate`` (``yyyy-MM-dd HH:mm``, Stockholm time, both ends included, on
the time each instance was added), ``GET /api/instanceapi/getinstance/{id}/xml`` and
``POST /api/callback``. Every request needs HTTP Basic with the API user. Each SOAP request
is recorded and its body element validated against the real integration-callback.xsd; the
answers are shaped like the real setStatus answer (ISO-8859-1). The platform itself cannot
run here (a Java application with its database); this stands in for it, and says so.
"""

from __future__ import annotations

import base64
import threading
import time
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import parse_qs

from cheroot import wsgi
from lxml import etree
from oep_instances import XSD
from ports import HeldPort

from besoksrapport.swedish import STOCKHOLM

USERNAME = "besoksrapport-api"
PASSWORD = "hemligt-lösenord-för-tester"
SOAP = "http://schemas.xmlsoap.org/soap/envelope/"
CALLBACK = "http://www.oeplatform.org/version/1.0/schemas/integration/callback"
SCHEMA = etree.XMLSchema(etree.parse(str(XSD)))
PREFIX = "/api/instanceapi/"


@dataclass
class SoapCall:
    operation: str
    body: bytes
    element: etree._Element  # the request element inside soap:Body
    valid: bool
    errors: str

    def text(self, path: str) -> str | None:
        found = self.element.find(path, {"c": CALLBACK})
        return None if found is None else found.text


@dataclass
class Instance:
    xml: bytes
    added: datetime  # aware


@dataclass
class FakeOep:
    # Its port is held for it from start to __exit__, stopped or not: a test that stops the
    # platform and starts it again finds the port still its own, not another test's server.
    held: HeldPort = field(default_factory=HeldPort, repr=False)
    instances: dict[int, Instance] = field(default_factory=dict)
    listings: list[dict[str, str]] = field(default_factory=list)  # query of each listing
    fetched: list[int] = field(default_factory=list)
    calls: list[SoapCall] = field(default_factory=list)
    faults: dict[str, str] = field(default_factory=dict)  # operation → fault element
    failing: dict[int, int] = field(default_factory=dict)  # instance → HTTP status
    holding: dict[int, threading.Event] = field(default_factory=dict)  # instance → release
    server: wsgi.Server | None = None
    thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self.held.port

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def add(self, flow_instance_id: int, xml: bytes, added: datetime) -> None:
        self.instances[flow_instance_id] = Instance(xml, added)

    def operations(self) -> list[str]:
        return [call.operation for call in self.calls]

    # The WSGI app.
    def __call__(self, environ, start_response):
        expected = "Basic " + base64.b64encode(f"{USERNAME}:{PASSWORD}".encode()).decode()
        if environ.get("HTTP_AUTHORIZATION") != expected:
            return self._answer(start_response, "401 Unauthorized", b"unauthorized",
                                [("WWW-Authenticate", 'Basic realm="oep"')])
        path, method = environ["PATH_INFO"], environ["REQUEST_METHOD"]
        if method == "GET" and path.startswith(PREFIX + "getinstances/family/"):
            return self._listing(environ, start_response)
        if method == "GET" and path.startswith(PREFIX + "getinstance/") and path.endswith("/xml"):
            return self._instance(int(path.split("/")[-2]), start_response)
        if method == "POST" and path == "/api/callback":
            length = int(environ.get("CONTENT_LENGTH") or 0)
            return self._callback(environ["wsgi.input"].read(length), start_response)
        return self._answer(start_response, "404 Not Found", b"not found")

    @staticmethod
    def _answer(start_response, status, body: bytes, headers=(), content_type="text/plain"):
        start_response(status, [("Content-Type", content_type),
                                ("Content-Length", str(len(body))), *headers])
        return [body]

    def _listing(self, environ, start_response):
        from oep_instances import listing_xml

        query = {key: values[0] for key, values in parse_qs(environ["QUERY_STRING"]).items()}
        self.listings.append(query)

        def minute(moment: datetime) -> str:
            return moment.astimezone(STOCKHOLM).strftime("%Y-%m-%d %H:%M")

        chosen = [(number, item.added.astimezone(STOCKHOLM).replace(tzinfo=None))
                  for number, item in sorted(self.instances.items())
                  if query.get("fromDate", "") <= minute(item.added)
                  <= query.get("toDate", "9999")]
        return self._answer(start_response, "200 OK", listing_xml(chosen),
                            content_type="text/xml; charset=ISO-8859-1")

    def _instance(self, number: int, start_response):
        self.fetched.append(number)
        if number in self.holding:
            self.holding[number].wait(30)
        if number in self.failing:
            status = self.failing[number]
            return self._answer(start_response, f"{status} Failing", b"failing")
        if number not in self.instances:
            return self._answer(start_response, "404 Not Found", b"no such instance")
        return self._answer(start_response, "200 OK", self.instances[number].xml,
                            content_type="text/xml; charset=ISO-8859-1")

    def _callback(self, body: bytes, start_response):
        envelope = etree.fromstring(body)
        [request] = envelope.find(f"{{{SOAP}}}Body")
        operation = etree.QName(request).localname
        valid = SCHEMA.validate(etree.ElementTree(request))
        self.calls.append(SoapCall(operation, body, request, valid,
                                   str(SCHEMA.error_log) if not valid else ""))
        if operation in self.faults:
            return self._answer(start_response, "500 Internal Server Error",
                                fault(self.faults[operation]),
                                content_type="text/xml;charset=ISO-8859-1")
        inner = {"setStatus": "<eventID>16287</eventID>",
                 "addMessage": "<messageID>4711</messageID>"}.get(operation, "")
        answer = (f"<?xml version='1.0' encoding='ISO-8859-1'?>\n<S:Envelope xmlns:S=\"{SOAP}\">"
                  f"<S:Body><{operation}Response xmlns=\"{CALLBACK}\">{inner}"
                  f"</{operation}Response></S:Body></S:Envelope>").encode("iso-8859-1")
        return self._answer(start_response, "200 OK", answer,
                            content_type="text/xml;charset=ISO-8859-1")

    # The server.
    def start(self) -> FakeOep:
        self.server = wsgi.Server(("127.0.0.1", self.port), self)
        self.server.prepare()
        self.thread = threading.Thread(target=self.server.serve, daemon=True)
        self.thread.start()
        return self

    def stop(self) -> None:
        for event in self.holding.values():
            event.set()
        if self.server is not None:
            self.server.stop()
        if self.thread is not None:
            self.thread.join(timeout=10)
        self.server = self.thread = None

    def wait_for_fetch(self, number: int, timeout: float = 60) -> None:
        deadline = time.monotonic() + timeout
        while number not in self.fetched:
            if time.monotonic() > deadline:
                raise TimeoutError(f"instance {number} was not fetched")
            time.sleep(0.02)

    def __enter__(self) -> FakeOep:
        return self.start()

    def __exit__(self, *exc_info) -> None:
        self.stop()
        self.held.release()


def fault(name: str) -> bytes:
    """A SOAP 1.1 fault as JAX-WS writes it, with the callback's fault element as detail."""
    return (f"<?xml version='1.0' encoding='ISO-8859-1'?><S:Envelope xmlns:S=\"{SOAP}\">"
            f"<S:Body><S:Fault><faultcode>S:Server</faultcode><faultstring>{name}</faultstring>"
            f"<detail><ns2:{name} xmlns:ns2=\"{CALLBACK}\"/></detail></S:Fault></S:Body>"
            f"</S:Envelope>").encode("iso-8859-1")
