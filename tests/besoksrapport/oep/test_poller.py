"""Polling the fake Open ePlatform: reports once each, the cursor, outages, the callbacks."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import pytest
from envelopes import example_envelope

from besoksrapport.filing.folder import read_filed
from besoksrapport.oep.client import OepClient
from besoksrapport.oep.errors import OepError
from besoksrapport.oep.flowinstance import parse_flow_instance
from besoksrapport.oep.mapping import map_flow_instance
from besoksrapport.oep.poller import cursor_name, delivery_id
from besoksrapport.reception.receive import receipt_text, receive
from besoksrapport.settings import OepSettings
from besoksrapport.swedish import STOCKHOLM


def _cursor(platform):
    return platform.ctx.storage.oep_cursor(cursor_name(platform.ctx.committee.oep))


def test_a_submitted_instance_is_filed_in_its_meeting_and_the_platform_hears_all_three_callbacks(
        platform):
    platform.submit(5001)
    result = platform.poll()
    assert (result.listed, len(result.reports), result.complete) == (1, 1, True)
    platform.work()

    [report_id] = result.reports
    report = platform.ctx.storage.get_report(report_id)
    assert report.submission_id == "oep-5001"
    assert report.meeting_date == platform.meetings[0]
    filed = read_filed(platform.meeting_dir(platform.meetings[0]), platform.meetings[0])
    [document] = [item for item in filed.files if item.report_id == report_id]
    assert (filed.meeting_dir / document.file_name).is_file()

    calls = platform.fake.calls
    assert sorted(platform.fake.operations()) == ["addMessage", "confirmDelivery",
                                                  "setStatus", "setStatus"]
    assert all(call.valid for call in calls), [call.errors for call in calls]
    confirm = next(c for c in calls if c.operation == "confirmDelivery")
    assert confirm.text("c:flowInstanceID") == "5001"
    assert confirm.text("c:externalID/c:ID") == report_id
    assert confirm.text("c:externalID/c:System") == "besoksrapport"
    assert confirm.text("c:delivered") == "true"
    statuses = [c.text("c:statusAlias") for c in calls if c.operation == "setStatus"]
    assert sorted(statuses) == ["Mottagen", "Tillagd i sammanträdet"]
    message = next(c for c in calls if c.operation == "addMessage")
    report = platform.ctx.storage.get_report(report_id)
    assert message.text("c:message/c:message") == receipt_text(platform.ctx.committee, report)
    assert report.meeting_date == platform.meetings[0]
    assert message.text("c:message/c:userID") == "besoksrapport"


def test_repeated_polls_make_nothing_twice(platform):
    platform.submit(5002)
    platform.poll()
    platform.work()
    before = list(platform.fake.calls)
    again = platform.poll()
    platform.work()
    assert (again.listed, again.skipped, again.reports) == (1, 1, [])
    assert platform.fake.fetched == [5002]  # a reported instance is not even fetched again
    assert platform.fake.calls == before
    assert len(platform.ctx.storage.reports_for_meeting(platform.meetings[0])) == 1


def test_two_polls_overlap_by_the_clock_skew_margin_and_an_instance_in_the_overlap_counts_once(
        platform):
    first_run = datetime.now(UTC).replace(second=0, microsecond=0)
    platform.submit(5003, added=first_run - timedelta(minutes=2))
    platform.poll(now=first_run)
    assert _cursor(platform) == first_run
    # Added «before» the first poll by the platform's clock, but the platform listed it late.
    platform.submit(5004, added=first_run - timedelta(minutes=1))
    second = platform.poll(now=first_run + timedelta(minutes=3))
    first_query, second_query = platform.fake.listings
    assert "fromDate" not in first_query  # the first poll ever: everything
    assert second_query["fromDate"] == (first_run - timedelta(minutes=5)).astimezone(
        STOCKHOLM).strftime("%Y-%m-%d %H:%M")
    assert (second.listed, second.skipped, len(second.reports)) == (2, 1, 1)
    assert sorted(r.submission_id for r in platform.ctx.storage.reports_for_meeting(
        platform.meetings[0])) == ["oep-5003", "oep-5004"]


def test_an_instance_listed_again_after_a_crash_between_reception_and_recording_is_one_report(
        platform):
    xml = platform.submit(5005)
    # The first poll got as far as reception.receive and died before recording the instance.
    now = datetime.now(UTC)
    mapped = map_flow_instance(parse_flow_instance(xml), platform.ctx.committee.oep, now)
    body = json.dumps(mapped.envelope, ensure_ascii=False).encode()
    first = receive(platform.ctx, delivery_id(5005, "2026-11-20T09:14:58"), body,
                    mapped.envelope, received_at=now)
    result = platform.poll()
    assert result.reports == [first.report.report_id]
    platform.work()
    assert sorted(platform.fake.operations()).count("confirmDelivery") == 1
    assert sorted(platform.fake.operations()).count("addMessage") == 1


def test_iso_8859_1_and_utf_8_exports_give_the_same_swedish_text(platform):
    answers = {"unit": "Åsgårdens kök, Öhrvägen", "unit_news": "Nya rätter på menyn: ärtsoppa."}
    base = example_envelope()["data"]["answers"]
    platform.submit(5006, answers={**base, **answers}, encoding="ISO-8859-1")
    platform.submit(5007, answers={**base, **answers}, encoding="UTF-8")
    assert b"\xc5sg\xe5rdens" in platform.fake.instances[5006].xml  # really Latin-1 bytes
    result = platform.poll()
    for report_id in result.reports:
        report = platform.ctx.storage.get_report(report_id)
        assert report.unit == "Åsgårdens kök, Öhrvägen"
        assert report.answers["unit_news"] == "Nya rätter på menyn: ärtsoppa."


def test_a_missing_mapped_element_quarantines_the_instance_and_tells_the_politician(platform):
    platform.submit(5008, without=("visit_date",))
    result = platform.poll()
    assert (result.reports, result.refused, result.complete) == ([], [5008], True)
    [kept] = platform.ctx.storage.quarantined()
    assert kept.webhook_id.startswith("oep-5008:")
    assert [(e["pointer"], e["message"]) for e in kept.errors] == [
        ("/FlowInstance/Values/visitDate", "Ange datum för besöket.")]
    [instance] = platform.ctx.storage.oep_instances()
    assert instance.xml == platform.fake.instances[5008].xml  # the original XML is kept

    platform.work()
    calls = {call.operation: call for call in platform.fake.calls}
    assert all(call.valid for call in platform.fake.calls)
    assert calls["confirmDelivery"].text("c:delivered") == "false"
    assert calls["setStatus"].text("c:statusAlias") == "Behöver kompletteras"
    assert calls["addMessage"].text("c:message/c:message") == (
        "Din rapport kunde inte tas emot. Rätta det här och skicka in den igen:\n"
        "– Ange datum för besöket.")


def test_a_corrected_instance_sent_in_again_becomes_the_report(platform):
    platform.submit(5009, without=("visit_date",))
    platform.poll()
    platform.submit(5009, submitted=datetime(2026, 11, 21, 8, 0, 0))  # corrected, new revision
    result = platform.poll()
    assert len(result.reports) == 1
    assert len(platform.ctx.storage.quarantined()) == 1


def test_an_answer_the_rules_refuse_is_quarantined_with_the_rules_code(platform):
    answers = {**example_envelope()["data"]["answers"], "end_time": "08:00"}
    platform.submit(5010, answers=answers)
    result = platform.poll()
    assert result.refused == [5010]
    [kept] = platform.ctx.storage.quarantined()
    assert [e["code"] for e in kept.errors] == ["end_not_after_start"]


def test_an_option_text_the_mapping_does_not_know_is_refused_with_the_element_named(platform):
    platform.submit(5011, override={"operation": [("Value", "Simhallen")]})
    platform.poll()
    [kept] = platform.ctx.storage.quarantined()
    [error] = kept.errors
    assert error["pointer"] == "/FlowInstance/Values/operation/Value"
    assert error["code"] == "oep_unknown_option"
    assert "”Vilken verksamhet besökte du?”" in error["message"]


def test_the_platform_down_then_up_loses_nothing(platform):
    platform.submit(5012)
    platform.fake.stop()
    with pytest.raises(OepError) as down:
        platform.poll()
    assert down.value.retryable
    assert "svarade inte" in str(down.value)
    assert _cursor(platform) is None
    platform.fake.start()
    result = platform.poll()
    assert len(result.reports) == 1


def test_an_instance_the_platform_fails_to_give_keeps_the_cursor_and_comes_next_time(platform):
    platform.submit(5013)
    platform.submit(5014)
    platform.fake.failing[5014] = 503  # the platform restarting mid-poll
    first = platform.poll()
    assert (len(first.reports), len(first.failed), first.complete) == (1, 1, False)
    assert first.failed[0].retryable and "HTTP 503" in str(first.failed[0])
    assert _cursor(platform) is None
    del platform.fake.failing[5014]
    second = platform.poll()
    assert (second.skipped, len(second.reports), second.complete) == (1, 1, True)


def test_wrong_credentials_are_a_permanent_failure_with_a_hint(platform):
    client = OepClient(OepSettings(platform.fake.url, "besoksrapport-api", "fel"))
    with pytest.raises(OepError) as refused:
        platform.poll(client=client)
    assert not refused.value.retryable
    assert "HTTP 401" in str(refused.value) and "lösenord" in str(refused.value)


def test_a_soap_fault_fails_the_job_for_good_with_a_swedish_reason(platform):
    platform.fake.faults["setStatus"] = "StatusNotFoundFault"
    platform.submit(5015)
    platform.poll()
    outcomes = platform.work()
    failed = [o for o in outcomes if o.result == "failed"]
    assert {o.kind for o in failed} == {"oep_set_status"}
    assert all("StatusNotFoundFault" in o.error and "[oep.status_alias]" in o.error
               for o in failed)
    assert all(o.result == "done" for o in outcomes if o.kind != "oep_set_status")


def test_access_denied_is_a_permanent_failure_too(platform):
    platform.fake.faults["confirmDelivery"] = "AccessDeniedFault"
    platform.submit(5016)
    platform.poll()
    [failed] = [o for o in platform.work() if o.result == "failed"]
    assert failed.kind == "oep_confirm_delivery"
    assert "nekade API-användaren" in failed.error


def test_callbacks_wait_in_the_outbox_while_the_platform_is_down(platform):
    platform.submit(5017)
    platform.poll()
    platform.fake.stop()
    outcomes = platform.work()
    assert {o.result for o in outcomes if o.kind.startswith("oep_")} == {"retry"}
    platform.fake.start()
    for job in platform.ctx.storage.pending_jobs():  # due now instead of after the backoff
        platform.ctx.storage.retry_job(job.id, job.last_error or "", datetime.now(UTC))
    platform.work()
    assert sorted(platform.fake.operations()) == ["addMessage", "confirmDelivery",
                                                  "setStatus", "setStatus"]


def test_an_export_that_is_no_flow_instance_is_quarantined_once_and_the_politician_told(platform):
    platform.fake.add(5018, b"<html><body>Underh\xe5ll</body></html>", datetime.now(UTC))
    first = platform.poll()
    again = platform.poll()
    assert (first.refused, again.refused, again.skipped) == ([5018], [], 1)
    [kept] = platform.ctx.storage.quarantined()
    assert kept.errors[0]["code"] == "oep_not_xml"  # Latin-1 bytes without a declaration
    platform.work()
    assert sorted(platform.fake.operations()) == ["addMessage", "confirmDelivery", "setStatus"]
