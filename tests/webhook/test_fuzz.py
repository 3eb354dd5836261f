"""A fuzz run of several thousand signed deliveries: 0 × 5xx other than 503.

Three sources, each through the Flask test client (``make chaos`` runs more of them, and
against gunicorn, see tests/chaos/): hypothesis strategies for the JSON structure (any
value, lone surrogates in keys and values, extreme dates, nesting up to 20,000 deep) and
for mutations of a valid envelope; raw bytes; and schemathesis, generating from the
service's own ``/openapi.json`` (both valid and invalid bodies per its schemas), each body
signed as the platform signs it.
"""

from __future__ import annotations

import os

import pytest
import schemathesis
from fuzzing import DEEP, JSON, body_bytes, mutated_envelopes, sign
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from webhook_helpers import PATH, environment

from besoksrapport.form.schemas import form_fields
from webhook import create_app

SCALE = int(os.environ.get("BESOKSRAPPORT_FUZZ_SCALE", "1"))  # make chaos: 10


def fuzz(examples: int) -> settings:
    """``examples`` (times the scale), no deadline, no example database, the same examples
    each run in ``make test`` (random ones in ``make chaos``)."""
    return settings(max_examples=examples * SCALE, deadline=None, database=None,
                    derandomize=SCALE == 1, suppress_health_check=list(HealthCheck))
ANSWERS = ("application/json", "application/problem+json")


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    data = tmp_path_factory.mktemp("fuzz") / "data"
    app = create_app(environment(data, BESOKSRAPPORT_RUN_WORKER="false"))
    yield app.test_client()
    app.extensions["besoksrapport"].ctx.storage.close()


def assert_answered(client, body: bytes, headers: dict[str, str] | None = None) -> int:
    answer = client.post(PATH, data=body, headers=headers or sign(body))
    assert answer.status_code < 500 or answer.status_code == 503, (
        answer.status_code, body[:300])
    assert answer.mimetype in ANSWERS
    answer.get_json()  # valid JSON, valid UTF-8
    return answer.status_code


def test_any_json_structure_is_answered_without_a_5xx(client):
    @fuzz(800)
    @given(JSON | DEEP.map(str.encode))
    def run(value):
        assert_answered(client, value if isinstance(value, bytes) else body_bytes(value))

    run()


def test_mutated_envelopes_are_answered_without_a_5xx(client):
    seen = set()

    @fuzz(800)
    @given(mutated_envelopes())
    def run(envelope):
        seen.add(assert_answered(client, body_bytes(envelope)))

    run()
    assert {201, 422} <= seen  # both valid and invalid deliveries were reached


def test_raw_bytes_and_odd_headers_are_answered_without_a_5xx(client):
    @fuzz(400)
    @given(st.binary(max_size=300), st.sampled_from([
        "application/json", "application/json; charset=latin-1", "text/plain", "",
        "application/json; charset=utf-8; boundary=x", "application/problem+json"]))
    def run(body, content_type):
        assert_answered(client, body, {**sign(body), "content-type": content_type})

    run()


def test_schemathesis_cases_from_the_openapi_document_are_answered_without_a_5xx(client):
    document = client.get("/openapi.json").get_json()
    # schemathesis' generator calls the form unsatisfiable (unevaluatedProperties under
    # conditions, and a negated character class), so it draws from the form's questions
    # without those; the server still judges every case by the real form, which is what
    # is tested here.
    form = document["components"]["schemas"]["VisitReport"]
    fields = form_fields()
    for field in fields.values():
        field.pop("not", None)
        field.get("items", {}).pop("not", None)
    document["components"]["schemas"]["VisitReport"] = {
        "type": "object", "properties": fields, "required": form.get("required", [])}
    operation = schemathesis.openapi.from_dict(document).find_operation_by_path("post", PATH)
    assert operation is not None
    seen = set()
    strategy = operation.as_strategy(generation_mode=schemathesis.GenerationMode.POSITIVE) | \
        operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE)

    @fuzz(150)  # schemathesis makes each case slowly (about 0.2 s): fewer, bigger ones
    @given(strategy)
    def run(case):
        body = case.body if isinstance(case.body, bytes) else (
            case.body.encode("utf-8", "surrogatepass") if isinstance(case.body, str)
            else body_bytes(case.body))
        seen.add(assert_answered(client, body))

    run()
    assert 422 in seen
