"""The SOAP requests against the real XSD, the platform's faults, and the OeP settings."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from fake_oep import SCHEMA, fault
from lxml import etree
from oep_instances import FIXTURES

from besoksrapport.errors import ConfigError
from besoksrapport.oep import callback
from besoksrapport.oep.client import OepClient
from besoksrapport.oep.errors import OepError
from besoksrapport.settings import OepSettings, load_oep_settings

SOAP = "{http://schemas.xmlsoap.org/soap/envelope/}"


def _request(body: bytes) -> etree._Element:
    [request] = etree.fromstring(body).find(f"{SOAP}Body")
    return request


@pytest.mark.parametrize("body", [
    callback.confirm_delivery(4999, True, report_id="BR-2026-7Q3K9X"),
    callback.confirm_delivery(4999, False, log_message="Rapporten kunde inte tas emot (1 fel)."),
    callback.set_status(4999, "Tillagd i sammanträdet"),
    callback.add_message(4999, "Tack! Din rapport skickas med … den 10 december 2026.",
                         user_id="besoksrapport", added=datetime(2026, 12, 3, 9, 0, tzinfo=UTC)),
])
def test_each_request_is_valid_against_the_platform_s_xsd(body):
    request = _request(body)
    assert SCHEMA.validate(etree.ElementTree(request)), SCHEMA.error_log


def test_set_status_matches_the_request_the_real_mock_expects_but_for_the_principal():
    mapping = json.loads((FIXTURES / "set-status-request-mapping.json").read_text())
    expected = _request(mapping["request"]["bodyPatterns"][0]["equalToXml"].encode())
    ours = _request(callback.set_status(12345, "Inskickat"))
    assert ours.tag == expected.tag
    assert [(c.tag, c.text) for c in ours] == [(c.tag, c.text) for c in expected
                                               if etree.QName(c).localname != "principal"]


def test_the_real_set_status_answer_is_read(oep):
    answer = (FIXTURES / "set-status-response.xml").read_bytes()

    class Answered:
        status_code, content = 200, answer

    client = OepClient(OepSettings(oep.url, "u", "p"))
    client.callback = lambda body, what: Answered()  # the real answer, no server needed
    result = callback.call(client, callback.set_status(1, "x"), "setStatus", "statusen sattes")
    assert result.findtext("{*}eventID") == "16287"


@pytest.mark.parametrize(("name", "words"), [
    ("StatusNotFoundFault", "känner inte till statusen"),
    ("AccessDeniedFault", "nekade API-användaren"),
    ("FlowInstanceNotFoundFault", "hittar inte ärendet"),
])
def test_a_fault_is_permanent_with_a_swedish_reason(name, words):
    class Answered:
        status_code, content = 500, fault(name)

    client = OepClient(OepSettings("http://127.0.0.1:9", "u", "p"))
    client.callback = lambda body, what: Answered()
    with pytest.raises(OepError) as failed:
        callback.call(client, b"", "setStatus", "statusen sattes för ärende 1")
    assert not failed.value.retryable
    assert words in str(failed.value) and "ärende 1" in str(failed.value)


def test_settings_come_from_the_environment_with_swedish_errors():
    assert load_oep_settings({}) is None
    settings = load_oep_settings({"BESOKSRAPPORT_OEP_URL": "https://e.exempelby.se/oep/",
                                  "BESOKSRAPPORT_OEP_USERNAME": "api",
                                  "BESOKSRAPPORT_OEP_PASSWORD": "hemligt",
                                  "BESOKSRAPPORT_OEP_POLL_SECONDS": "60"})
    assert settings == OepSettings("https://e.exempelby.se/oep", "api", "hemligt", 60, 300)
    with pytest.raises(ConfigError) as missing:
        load_oep_settings({"BESOKSRAPPORT_OEP_URL": "https://e.exempelby.se"})
    assert missing.value.field == "BESOKSRAPPORT_OEP_USERNAME"
    with pytest.raises(ConfigError) as bad:
        load_oep_settings({"BESOKSRAPPORT_OEP_URL": "https://e.exempelby.se",
                           "BESOKSRAPPORT_OEP_USERNAME": "api",
                           "BESOKSRAPPORT_OEP_PASSWORD": "x",
                           "BESOKSRAPPORT_OEP_SKEW_SECONDS": "fem"})
    assert bad.value.field == "BESOKSRAPPORT_OEP_SKEW_SECONDS"
