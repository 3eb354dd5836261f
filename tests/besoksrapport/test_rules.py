"""Rules across fields that JSON Schema cannot express."""

from __future__ import annotations

from datetime import UTC, datetime, time

import pytest

from besoksrapport.form.rules import free_text_paths, rule_issues
from besoksrapport.form.validation import validate_envelope
from besoksrapport.report import Report


def codes(doc):
    return [(issue.pointer, issue.code) for issue in validate_envelope(doc)]


def test_visit_on_the_day_of_submission_is_fine(envelope):
    doc = envelope(visit_date="2026-11-05")  # submitted 2026-11-05T08:12:44+01:00
    assert codes(doc) == []


def test_visit_after_submission_is_refused(envelope):
    assert codes(envelope(visit_date="2026-11-06")) == [
        ("/data/answers/visit_date", "date_after_submission")]


@pytest.mark.parametrize(("submitted_at", "visit_date", "ok"), [
    # 23:30 UTC on 12 November is 00:30 on the 13th in Stockholm: a visit on the 13th is fine.
    ("2026-11-12T23:30:00Z", "2026-11-13", True),
    ("2026-11-12T23:30:00Z", "2026-11-14", False),
    # Summer time: 22:30 UTC on 30 June is 00:30 on 1 July in Stockholm.
    ("2026-06-30T22:30:00Z", "2026-07-01", True),
    ("2026-06-30T21:30:00Z", "2026-07-01", False),
    # An offset far west: 20:00 at -05:00 is 02:00 the next day in Stockholm.
    ("2026-03-10T20:00:00-05:00", "2026-03-11", True),
])
def test_submission_day_is_taken_in_stockholm_time(envelope, submitted_at, visit_date, ok):
    doc = envelope(visit_date=visit_date)
    doc["data"]["submitted_at"] = submitted_at
    assert (codes(doc) == []) is ok


@pytest.mark.parametrize(("start", "end"), [("10:00", "10:00"), ("11:00", "10:59"),
                                            ("23:00", "00:30")])
def test_end_must_be_after_start(envelope, start, end):
    assert codes(envelope(start_time=start, end_time=end)) == [
        ("/data/answers/end_time", "end_not_after_start")]


def test_one_minute_visit_is_accepted(envelope):
    assert codes(envelope(start_time="10:00", end_time="10:01")) == []


def test_chair_decision_on_the_day_of_the_visit_is_fine(envelope):
    assert codes(envelope("chair-decision", chair_decision_date="2026-11-18")) == []


def test_chair_decision_after_the_visit_is_refused(envelope):
    assert codes(envelope("chair-decision", chair_decision_date="2026-11-19")) == [
        ("/data/answers/chair_decision_date", "decision_after_visit")]


@pytest.mark.parametrize("text", ["   ", "\n\n", "\t", "\u00a0\u2003"])
def test_text_of_only_blanks_is_no_answer(envelope, text):
    assert codes(envelope(operation_raises=text)) == [
        ("/data/answers/operation_raises", "blank")]


def test_blank_rule_covers_lists_and_platform_texts(envelope):
    doc = envelope(joint_visit=True, other_participants=["Bengt Haraldsson", "  "])
    doc["data"]["submitter"]["name"] = " "
    assert codes(doc) == [("/data/submitter/name", "blank"),
                          ("/data/answers/other_participants/1", "blank")]


def test_blank_rule_applies_to_free_texts_only():
    paths = {"/".join(path) for path in free_text_paths()}
    assert {"data/answers/unit", "data/answers/information_given", "data/answers/met_other",
            "data/answers/other_participants/*", "data/submitter/name"} <= paths
    assert not {"data/answers/visit_date", "data/answers/start_time", "data/answers/operation",
                "data/submission_id", "data/submitted_at"} & paths


def test_rules_leave_values_that_failed_the_schema_alone(envelope):
    doc = envelope(visit_date="2026-13-01", end_time=7, start_time=["10:00"],
                   unit_news=" " * 10_001)  # blank, but too long: the schema wins
    doc["data"]["submitted_at"] = None
    assert sorted(codes(doc)) == [("/data/answers/end_time", "type"),
                                  ("/data/answers/start_time", "type"),
                                  ("/data/answers/unit_news", "max_length"),
                                  ("/data/answers/visit_date", "format"),
                                  ("/data/submitted_at", "type")]


@pytest.mark.parametrize("payload", [None, [], "x", 1, {"data": None}, {"data": {"answers": 5}},
                                     {"data": {"answers": {"visit_date": 5}}}])
def test_rules_never_raise_on_odd_shapes(payload):
    assert rule_issues(payload, lambda pointer: False) == []


def test_times_written_the_swedish_way_are_read_like_a_time_pickers(envelope):
    swedish = envelope(start_time="09.30", end_time="11.00")
    assert validate_envelope(swedish) == []
    report = Report.from_envelope(swedish, report_id="BR-2026-000001",
                                  received_at=datetime(2026, 11, 5, 8, tzinfo=UTC))
    assert (report.answers["start_time"], report.answers["end_time"]) == ("09:30", "11:00")
    assert (report.start_time, report.duration_minutes) == (time(9, 30), 90)
    [issue] = validate_envelope(envelope(start_time="09.30", end_time="09:15"))
    assert (issue.pointer, issue.code) == ("/data/answers/end_time", "end_not_after_start")
