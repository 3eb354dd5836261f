"""Receiving a report (reception.receive): every delivery ends as a report or in quarantine."""

from __future__ import annotations

import json

import pytest
from webhook_helpers import body_of, envelope_for

from besoksrapport.errors import ReportInvalid
from besoksrapport.reception.receive import receive


def test_a_valid_delivery_becomes_a_report_with_its_first_job_and_a_swedish_receipt(ctx):
    envelope = envelope_for("oep-r1")
    receipt = receive(ctx, "msg_r1", body_of(envelope), envelope)
    assert receipt.created
    assert receipt.report.meeting_date == ctx.committee.meetings[0]
    assert receipt.text.startswith(
        f"Tack! Vi har tagit emot din rapport {receipt.report.report_id}. Den är nu en allmän "
        "handling och skickas med till Välfärd- och servicenämndens sammanträde den ")
    assert [job.kind for job in ctx.storage.pending_jobs()] == ["process_report"]


def test_a_repeat_under_a_new_delivery_id_stands_for_the_first_report(ctx):
    envelope = envelope_for("oep-r2")
    first = receive(ctx, "msg_a", body_of(envelope), envelope)
    again = receive(ctx, "msg_b", body_of(envelope), envelope)
    assert (again.created, again.report.report_id) == (False, first.report.report_id)
    assert len(ctx.storage.pending_jobs()) == 1


def test_an_invalid_delivery_is_kept_in_quarantine_and_refused_with_every_issue(ctx):
    envelope = envelope_for("oep-r3")
    del envelope["data"]["answers"]["visit_date"]
    body = body_of(envelope)
    with pytest.raises(ReportInvalid) as refused:
        receive(ctx, "msg_bad", body, envelope)
    assert [issue.pointer for issue in refused.value.issues] == ["/data/answers/visit_date"]
    [kept] = ctx.storage.quarantined()
    assert (kept.webhook_id, kept.raw_body) == ("msg_bad", body)
    assert kept.errors == [issue.as_dict() for issue in refused.value.issues]
    assert ctx.storage.pending_jobs() == []


def test_the_decoded_text_gives_the_same_verdict_as_the_parsed_value(ctx):
    envelope = envelope_for("oep-r4")
    envelope["data"]["answers"]["unit"] = "Kök\u0007et"
    body = body_of(envelope)
    with pytest.raises(ReportInvalid) as with_text:
        receive(ctx, "msg_t1", body, json.loads(body), body.decode())
    with pytest.raises(ReportInvalid) as without:
        receive(ctx, "msg_t2", body, json.loads(body))
    assert with_text.value.issues == without.value.issues


def test_the_receipt_of_a_third_ordinary_visit_of_the_year_says_so(ctx):
    def visit(number: int, unit: str, **answers):
        envelope = envelope_for(f"oep-third-{number}")
        envelope["data"]["answers"].update(unit=unit, **answers)
        return receive(ctx, f"msg_third_{number}", body_of(envelope), envelope)

    first = visit(1, "Centralköket")
    second = visit(2, "Skolköket")
    repeat = visit(3, " skolköket ")  # the same visit again: still the second
    decided = visit(4, "Lärcentrum", visit_kind="chair_decision",
                    chair_decision_date=first.report.answers["visit_date"])
    third = visit(5, "Kvarnköket")
    assert [r.text for r in (first, second, repeat, decided)] == [
        r.text.split(" Observera")[0] for r in (first, second, repeat, decided)]
    year = third.report.visit_date.year
    assert (f"{third.report.report_id}. Den är nu en allmän handling" in third.text
            and f"Observera att det här är ditt tredje ordinarie besök under {year} utan "
                "beslut av ordföranden." in third.text)
