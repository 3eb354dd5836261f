"""Correctly signed but hostile bodies: each gets a Swedish 4xx, never a 500.

Found by an attack on the service: JSON nested 1,000 deep (RecursionError in json.loads),
dates of year 1 and 9999 (OverflowError moving them to Swedish time), a lone surrogate in a
key (UnicodeEncodeError storing the error list), and 50,000 unknown properties (a 7.4 MB
answer, stored as well).
"""

from __future__ import annotations

import json

import pytest
from webhook_helpers import PATH, envelope_for, signed_headers

from besoksrapport.errors import MAX_ISSUES
from besoksrapport.form.depth import MAX_DEPTH, deeper_than


def post(client, body: bytes):
    return client.post(PATH, data=body, headers=signed_headers(body))


def codes(response) -> list[str]:
    return [error["code"] for error in response.get_json()["errors"]]


@pytest.mark.parametrize("body", [
    b'{"a":' * 1000 + b"1" + b"}" * 1000,
    b"[" * 100_000 + b"]" * 100_000,
], ids=["objects-1000-deep", "lists-100000-deep"])
def test_json_nested_too_deep_is_refused_in_swedish_and_quarantined(client, storage, body):
    response = post(client, body)
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert codes(response) == ["too_deep"]
    assert "nivåer" in response.get_json()["errors"][0]["message"]
    assert [q.raw_body for q in storage.quarantined()] == [body]


def test_depth_counts_brackets_in_strings_as_text():
    text = json.dumps({"a": "[" * 1000, "b": "{" * 1000})
    assert not deeper_than(text)
    assert not deeper_than("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert deeper_than("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert not deeper_than(json.dumps({"a": '\\"[' * 100}))


@pytest.mark.parametrize("moment", ["0001-01-01T00:00:00+01:00", "9999-12-31T23:00:00Z",
                                    "1899-06-01T10:00:00+02:00", "2150-06-01T10:00:00Z"])
def test_a_submission_time_outside_any_sensible_range_gets_a_swedish_422(client, moment):
    envelope = envelope_for()
    envelope["data"]["submitted_at"] = moment
    response = post(client, json.dumps(envelope).encode())
    assert response.status_code == 422
    [error] = response.get_json()["errors"]
    assert (error["pointer"], error["code"]) == ("/data/submitted_at", "date_out_of_range")
    assert "mellan år 2000 och 2099" in error["message"]


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31"])
def test_a_visit_date_outside_the_range_gets_a_swedish_422(client, day):
    envelope = envelope_for()
    envelope["data"]["answers"]["visit_date"] = day
    response = post(client, json.dumps(envelope).encode())
    assert response.status_code == 422
    assert [(e["pointer"], e["code"]) for e in response.get_json()["errors"]] == [
        ("/data/answers/visit_date", "date_out_of_range")]


@pytest.mark.parametrize("where", ["key", "value", "top-level key"])
def test_a_lone_surrogate_anywhere_gets_a_422_and_is_quarantined(client, storage, where):
    envelope = envelope_for()
    if where == "key":
        envelope["data"]["answers"]["\ud800x"] = 1
    elif where == "value":
        envelope["data"]["answers"]["unit"] = "Enhet \udfff"
    else:
        envelope["\udbff"] = "x"
    body = json.dumps(envelope).encode()  # ASCII with \\uXXXX escapes, as JSON allows
    response = post(client, body)
    assert response.status_code == 422
    [error] = response.get_json()["errors"]  # an unknown key, or an unsafe character
    assert error["code"] == ("unsafe_character" if where == "value" else "unknown_property")
    if where != "value":
        assert "\ufffd" in error["pointer"]  # named, as text UTF-8 can carry
    [kept] = storage.quarantined()
    assert kept.raw_body == body
    assert kept.errors == response.get_json()["errors"]


def test_fifty_thousand_unknown_properties_give_a_short_answer_and_a_short_record(
        client, storage):
    envelope = envelope_for()
    envelope["data"]["answers"].update({f"x{n}": 1 for n in range(50_000)})
    response = post(client, json.dumps(envelope).encode())
    assert response.status_code == 422
    problem = response.get_json()
    assert problem["error_count"] == 50_000
    assert "50\u00a0000 fel" in problem["detail"]
    assert len(problem["errors"]) == MAX_ISSUES + 1
    assert problem["errors"][-1]["code"] == "more_errors"
    assert "49\u00a0900 fel till" in problem["errors"][-1]["message"]
    assert len(response.data) < 64 * 1024
    [kept] = storage.quarantined()
    assert len(kept.errors) == MAX_ISSUES + 1
    assert kept.errors[-1]["code"] == "more_errors"
