"""A late report moves the yearly count: the secretary is told about the report it changed.

The storage, the outbox and a real SMTP server on 127.0.0.1 (aiosmtpd) are real: reports are
recorded as the webhook records them and the outbox is run with ``run_pending``.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from mail_helpers import body_of as mail_body
from mail_helpers import parse
from webhook_helpers import body_of, envelope_for, environment

from besoksrapport.guideline.flags import OVER_YEARLY_VISITS, Assessment
from besoksrapport.outbox.jobs import jobs_for_new_report
from besoksrapport.outbox.mail_jobs import NOTIFY_RECOUNT, recount_jobs
from besoksrapport.outbox.worker import run_pending
from besoksrapport.report import Flag
from besoksrapport.runtime import build_context
from besoksrapport.settings import load_settings

OVER = Flag(OVER_YEARLY_VISITS, "Detta är inskickarens 3:e ordinarie besök 2026 …")


def visit(ctx, label: str, unit: str, day: str):
    """Anna's ordinary visit to ``unit`` on ``day``, recorded as the webhook records it."""
    envelope = envelope_for(f"oep-{label}")
    envelope["data"]["answers"].update(unit=unit, visit_date=day)
    report, _ = ctx.storage.record_report(f"msg_{label}", body_of(envelope), envelope,
                                          datetime.now(UTC), ctx.committee.meetings[0],
                                          jobs=jobs_for_new_report())
    return report


def make_ctx(tmp_path, **env: str):
    return build_context(load_settings(environment(tmp_path / "data", **env)))


@pytest.fixture
def mailing(tmp_path, inbox):
    handler, port = inbox
    ctx = make_ctx(tmp_path, BESOKSRAPPORT_SMTP_HOST="127.0.0.1",
                   BESOKSRAPPORT_SMTP_PORT=str(port), BESOKSRAPPORT_SMTP_STARTTLS="false",
                   BESOKSRAPPORT_SMTP_FROM="besoksrapport@exempelby.se")
    yield ctx, handler
    ctx.storage.close()


def subjects(handler) -> list[str]:
    return [parse(raw)["Subject"] for _, _, raw in handler.messages]


def test_a_late_report_about_an_earlier_visit_tells_the_secretary_of_the_new_third(mailing):
    ctx, handler = mailing
    visit(ctx, "a", "Centralköket", "2026-10-05")
    later = visit(ctx, "b", "Skolköket", "2026-10-10")
    run_pending(ctx)
    assert ctx.storage.notified(later.report_id)
    late = visit(ctx, "c", "Kvarnköket", "2026-10-01")  # before both: Skolköket is third now
    run_pending(ctx)
    new_report = subjects(handler)[0]  # «Ny återrapport till sammanträdet den …»
    assert sorted(subjects(handler)[2:]) == sorted([
        new_report, f"Ändrad räkning av besök för återrapport {later.report_id}"])
    [recount] = [parse(raw) for _, _, raw in handler.messages
                 if later.report_id in parse(raw)["Subject"]]
    text = mail_body(recount)
    assert ("En återrapport som kom in senare gäller ett tidigare besök under 2026 av samma "
            "kontaktpolitiker.") in text
    assert f"Rapport-id: {later.report_id}" in text
    assert "Att kontrollera: " in text and "3:e ordinarie besök 2026" in text
    assert late.report_id not in text
    assert list(recount.iter_attachments()) == []


def test_without_a_mail_server_nothing_is_queued_for_a_moved_count(tmp_path):
    ctx = make_ctx(tmp_path)
    try:
        visit(ctx, "a", "Centralköket", "2026-10-05")
        visit(ctx, "b", "Skolköket", "2026-10-10")
        run_pending(ctx)
        visit(ctx, "c", "Kvarnköket", "2026-10-01")
        outcomes = run_pending(ctx)
        assert NOTIFY_RECOUNT not in {outcome.kind for outcome in outcomes}
    finally:
        ctx.storage.close()


def test_only_reports_whose_count_flag_changed_and_not_the_arrival_are_told_of(mailing):
    ctx, _ = mailing
    report = visit(ctx, "a", "Centralköket", "2026-10-05")
    moved = ctx.storage.get_report(report.report_id)
    other = visit(ctx, "b", "Skolköket", "2026-10-10")
    changes = [(moved, Assessment(flags=[OVER])),  # gains the flag
               (other, Assessment(flags=[], joint_visit_of=moved.report_id))]  # a link only
    assert recount_jobs(changes, arrived="BR-2026-LATE00") == [
        (NOTIFY_RECOUNT, {"report_id": moved.report_id}, f"{NOTIFY_RECOUNT}:{moved.report_id}")]
    assert recount_jobs(changes, arrived=moved.report_id) == []


def test_one_late_report_sends_one_mail_per_visit_not_one_per_duplicate(mailing):
    ctx, handler = mailing
    visit(ctx, "a", "Centralköket", "2026-10-05")
    second = visit(ctx, "b", "Skolköket", "2026-10-10")  # becomes the 3rd
    third = visit(ctx, "c", "Fritidsgården", "2026-10-20")  # the 3rd: flagged
    copies = [visit(ctx, f"c{n}", "Fritidsgården", "2026-10-20") for n in (2, 3)]  # again
    run_pending(ctx)
    sent = len(handler.messages)
    visit(ctx, "late", "Kvarnköket", "2026-10-01")  # the visit of the 20th is now the 4th
    run_pending(ctx)
    recounts = [parse(raw) for _, _, raw in handler.messages[sent:]
                if parse(raw)["Subject"].startswith("Ändrad räkning")]
    # One mail for each visit whose count changed; none for the copies of the 20th.
    assert sorted(mail["Subject"] for mail in recounts) == sorted(
        f"Ändrad räkning av besök för återrapport {report.report_id}"
        for report in (second, third))
    [text] = [mail_body(mail) for mail in recounts if third.report_id in mail["Subject"]]
    assert all(copy.report_id in text for copy in copies)
    assert "möjlig dubblett" in text


def test_a_visit_already_beyond_the_yearly_two_is_told_it_still_is(mailing):
    ctx, handler = mailing
    visit(ctx, "a", "Centralköket", "2026-10-05")
    visit(ctx, "b", "Skolköket", "2026-10-10")
    third = visit(ctx, "c", "Fritidsgården", "2026-10-20")
    run_pending(ctx)
    sent = len(handler.messages)
    visit(ctx, "late", "Kvarnköket", "2026-10-01")
    run_pending(ctx)
    [recount] = [parse(raw) for _, _, raw in handler.messages[sent:]
                 if third.report_id in parse(raw)["Subject"]]
    text = mail_body(recount)
    assert "Besöket är nu ett ordinarie besök utöver" not in text
    assert ("Besöket var redan ett ordinarie besök utöver de 1–2 per år som riktlinjerna "
            "anger och är det fortfarande") in text
    assert "4:e ordinarie besök 2026" in text


def test_turning_smtp_on_mails_only_the_reports_that_come_in_after(tmp_path, inbox):
    handler, port = inbox
    quiet = make_ctx(tmp_path)
    try:
        old = [visit(quiet, label, "Centralköket", day)
               for label, day in (("a", "2026-03-05"), ("b", "2026-05-10"))]
        run_pending(quiet)
    finally:
        quiet.storage.close()
    ctx = make_ctx(tmp_path, BESOKSRAPPORT_SMTP_HOST="127.0.0.1",
                   BESOKSRAPPORT_SMTP_PORT=str(port), BESOKSRAPPORT_SMTP_STARTTLS="false")
    try:
        new = visit(ctx, "c", "Skolköket", "2026-09-01")
        run_pending(ctx)
        mailed = " ".join(subjects(handler)) + " ".join(
            mail_body(parse(raw)) for _, _, raw in handler.messages)
        assert new.report_id in mailed
        assert [report.report_id for report in old if report.report_id in mailed] == []
    finally:
        ctx.storage.close()


def test_a_report_moved_before_its_mail_is_mailed_for_the_meeting_it_went_to(mailing):
    from besoksrapport.outbox.assignment import move_report
    from besoksrapport.swedish import long_date

    ctx, handler = mailing
    report = visit(ctx, "a", "Centralköket", "2026-10-05")
    later = ctx.committee.meetings[1]
    move_report(ctx, report.report_id, later)  # before the outbox has run at all
    run_pending(ctx)
    assert subjects(handler) == [f"Ny återrapport till sammanträdet den {long_date(later)}"]
    assert ctx.storage.notified(report.report_id)
    moved_again = ctx.committee.meetings[2]
    move_report(ctx, report.report_id, moved_again)  # after its mail: no second mail
    run_pending(ctx)
    assert len(handler.messages) == 1
