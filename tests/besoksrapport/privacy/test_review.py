"""What a filing publishes of a report with personal data, and when the overview warns."""

from __future__ import annotations

import datetime as dt
import json

from flow import visit_envelope

from besoksrapport.privacy.review import APPROVED, MASKED, personal_data_flags, public_copy
from besoksrapport.privacy.screening import MASK
from besoksrapport.report import Report
from besoksrapport.secretary.privacy_review import ReviewState
from besoksrapport.storage import PrivacyReview

NOW = dt.datetime(2026, 12, 5, 9, 0, tzinfo=dt.UTC)


def report(**answers) -> Report:
    return Report.from_raw(json.dumps(visit_envelope(0, **answers)).encode(),
                           report_id="BR-2026-7Q3K9X", received_at=NOW)


def decided(decision: str) -> PrivacyReview:
    return PrivacyReview("BR-2026-7Q3K9X", decision, "sekreterare", NOW)


def test_a_report_without_personal_data_is_published_as_it_is():
    plain = report()
    assert public_copy(plain, None, hold=True) is plain
    assert personal_data_flags(plain) == []


def test_a_report_with_personal_data_is_held_then_published_as_decided():
    personal = report(own_conclusions="Ring mig på 070-123 45 67.")
    assert public_copy(personal, None, hold=True) is None
    assert public_copy(personal, None, hold=False) is personal
    assert public_copy(personal, decided(APPROVED), hold=True) is personal
    copy = public_copy(personal, decided(MASKED), hold=True)
    assert copy is not None and copy.answers["own_conclusions"] == f"Ring mig på {MASK}."
    assert personal.answers["own_conclusions"] == "Ring mig på 070-123 45 67."


def test_the_flag_names_the_question_and_the_kind_but_never_the_value():
    [flag] = personal_data_flags(report(own_conclusions="Ring mig på 070-123 45 67."))
    assert flag.code == "personal_data"
    assert flag.message.startswith("Svaret på ”Dina egna slutsatser och frågor som nämnden bör "
                                   "följa” innehåller ett telefonnummer.")
    assert "070" not in flag.message


def test_personal_data_in_two_answers_is_one_flag_naming_both_questions():
    [flag] = personal_data_flags(report(own_conclusions="Ring mig på 070-123 45 67.",
                                        other_observations="Skriv till anna@example.se."))
    assert flag.message == (
        "Svaret på ”Övriga iakttagelser” innehåller en e-postadress; svaret på ”Dina egna "
        "slutsatser och frågor som nämnden bör följa” innehåller ett telefonnummer. Granska "
        "rapporten: godkänn texten som den är eller publicera den med uppgifterna borttagna.")


def test_the_overview_warns_in_the_week_before_the_deadline_while_reports_are_held():
    soon = dt.datetime.now(dt.UTC) + dt.timedelta(days=3)
    later = dt.datetime.now(dt.UTC) + dt.timedelta(days=30)
    day = dt.date(2026, 12, 10)
    assert ReviewState(day, soon, ["BR-1"], held=True).warn
    assert not ReviewState(day, later, ["BR-1"], held=True).warn
    assert not ReviewState(day, soon, ["BR-1"], held=False).warn
    assert not ReviewState(day, soon, [], held=True).warn
