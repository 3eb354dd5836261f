"""Formats are asserted, not just annotations: impossible dates and bad stamps are refused."""

from __future__ import annotations

import pytest

from besoksrapport.form.schemas import format_checker
from besoksrapport.form.validation import validate_envelope


@pytest.mark.parametrize("value", ["2026-02-30", "not-a-date", "2026-13-01", "2026-2-3",
                                   "20260203", "2025-02-29", "2026-02-03T10:00:00Z"])
def test_date_format_rejects(value):
    assert not format_checker().conforms(value, "date")


@pytest.mark.parametrize("value", ["2026-02-28", "2028-02-29"])
def test_date_format_accepts_real_dates(value):
    assert format_checker().conforms(value, "date")


@pytest.mark.parametrize("value", [
    "2026-11-05T08:12:44",            # no offset
    "2026-11-05 08:12:44+01:00x",
    "2026-11-31T08:12:44+01:00",      # no 31 November
    "2026-11-05T25:00:00Z",
    "2026-11-05T08:12:60Z",           # leap second: RFC 3339, but Python cannot parse it
    "2026-11-05T08:12:44z",           # lowercase z: Python cannot parse it
    "yesterday",
])
def test_date_time_format_rejects(value):
    assert not format_checker().conforms(value, "date-time")


@pytest.mark.parametrize("value", ["2026-11-05T08:12:44+01:00", "2026-11-05T07:12:44Z",
                                   "2026-11-05T07:12:44.123456Z"])
def test_date_time_format_accepts_rfc3339_with_offset(value):
    assert format_checker().conforms(value, "date-time")


@pytest.mark.parametrize("value", ["anna.lindqvist", "anna lindqvist@exempelby.se",
                                   "anna@exempelby", "@exempelby.se", "a@@exempelby.se"])
def test_email_format_rejects(value):
    assert not format_checker().conforms(value, "email")


def test_email_format_accepts_an_ordinary_address():
    assert format_checker().conforms("anna.lindqvist@exempelby.se", "email")


@pytest.mark.parametrize("value", ["2026-02-30", "not-a-date"])
def test_bad_visit_date_is_reported_in_swedish(envelope, value):
    [issue] = validate_envelope(envelope(visit_date=value))
    assert (issue.pointer, issue.code) == ("/data/answers/visit_date", "format")
    assert "datum" in issue.message


def test_bad_submission_time_is_reported_at_its_pointer(envelope):
    doc = envelope()
    doc["data"]["submitted_at"] = "2026-11-05T08:12:44"
    assert [(i.pointer, i.code) for i in validate_envelope(doc)] == [
        ("/data/submitted_at", "format")]
