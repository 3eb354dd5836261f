"""A report the platform sent and the secretary withdrew: the politician hears it there.

The platform is the fake Open ePlatform (tests/support/fake_oep.py, a real HTTP server
checking each SOAP request against the real callback XSD); the outbox runs in-process.
"""

from __future__ import annotations

from besoksrapport.secretary.withdrawal import restore, withdraw


def test_withdrawing_an_oep_report_sends_a_message_and_the_withdrawn_status(platform):
    platform.submit(5101)
    [report_id] = platform.poll().reports
    platform.work()
    before = len(platform.fake.calls)

    withdraw(platform.ctx, report_id, "Dubblett av en tidigare rapport.", "sekreterare")
    platform.work()
    calls = platform.fake.calls[before:]
    assert all(call.valid for call in calls), [call.errors for call in calls]
    assert sorted(call.operation for call in calls) == ["addMessage", "setStatus"]
    message = next(c for c in calls if c.operation == "addMessage")
    assert message.text("c:flowInstanceID") == "5101"
    text = message.text("c:message/c:message")
    assert text.startswith(f"Din rapport {report_id} om besöket den ")
    assert text.endswith("Skäl: Dubblett av en tidigare rapport.")
    status = next(c for c in calls if c.operation == "setStatus")
    assert status.text("c:statusAlias") == "Makulerad"
    folder = platform.meeting_dir(platform.meetings[0])
    assert not list(folder.glob(f"*{report_id}*"))

    before = len(platform.fake.calls)
    restore(platform.ctx, report_id)
    platform.work()
    calls = platform.fake.calls[before:]
    assert sorted(call.operation for call in calls) == ["addMessage", "setStatus"]
    assert "är återställd" in next(c for c in calls if c.operation == "addMessage").text(
        "c:message/c:message")
    assert next(c for c in calls if c.operation == "setStatus").text(
        "c:statusAlias") == "Tillagd i sammanträdet"
    assert list(folder.glob(f"*{report_id}.docx"))
