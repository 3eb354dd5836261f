"""Issue 21 B through the commands and the domain functions they share with the page:
the audit trail, «hanterad» marks, readable refused deliveries, the deadline in words,
the late move, the per-politician history, the meeting's table and gallring."""

from __future__ import annotations

import csv
import datetime as dt
import getpass
import json
import logging
import uuid

import pytest
from flow import visit_envelope

from besoksrapport.form.validation import validate_envelope
from besoksrapport.runtime import JOBS
from besoksrapport.secretary import audit
from besoksrapport.secretary.deadlines import PASSED, TODAY, UPCOMING, deadline_state
from besoksrapport.secretary.handling import CannotMark, mark_flag, mark_refused, open_refused
from besoksrapport.secretary.meeting_table import meeting_table
from besoksrapport.secretary.politicians import politician_history
from besoksrapport.secretary.refused import question_title, refused_deliveries
from besoksrapport.secretary.retention import GALLRA, Part, gallra_job, schedule
from besoksrapport.swedish import STOCKHOLM, long_date

from .conftest import SECRET_ANSWER, Desk, run

NOW = dt.datetime.now(dt.UTC)


def actions(desk: Desk) -> list[tuple[str, str]]:
    return [(entry.action, entry.target) for entry in desk.ctx.storage.audit_entries()]


def row_of(out: str, day: dt.date) -> list[str]:
    [line] = [line for line in out.splitlines() if line.startswith(long_date(day) + " ")]
    return line.split()[-3:]


def test_each_command_that_changes_or_hands_out_files_is_in_the_trail_with_who_and_where(
        desk, busy, capsys, tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    flagged, later = busy["flagged"], busy["later"]
    [failed] = desk.ctx.storage.failed_jobs()
    year = f"{desk.first.year}"
    assert run(capsys, "move", later.report_id, "--to", desk.first.isoformat())[0] == 0
    assert run(capsys, "diary-number", "VSN 2026/143", "--meeting", desk.first.isoformat())[0] == 0
    assert run(capsys, "diary-number", "VSN 2026/150", "--report", flagged.report_id)[0] == 0
    run(capsys, "outbox", "--retry", str(failed.id))
    assert run(capsys, "bundle", desk.first.isoformat())[0] == 0
    assert run(capsys, "compensation", "--from", f"{year}-01-01", "--to", f"{year}-12-31",
               "-o", str(tmp_path / "ut"))[0] == 0
    assert run(capsys, "process")[0] in (0, 1)
    done = actions(desk)
    assert ("move", later.report_id) in done
    assert ("diary_number_meeting", desk.first.isoformat()) in done
    assert ("diary_number_report", flagged.report_id) in done
    assert ("retry_job", f"nr {failed.id}") in done
    assert ("download_bundle", desk.first.isoformat()) in done
    assert ("download_compensation", f"arvodesunderlag_{year}-01-01_{year}-12-31.csv") in done
    assert "run_work" in {action for action, _ in done}
    user = getpass.getuser()
    entries = desk.ctx.storage.audit_entries()
    assert {entry.actor for entry in entries} == {user}
    assert all(entry.address.startswith("kommandorad på ") for entry in entries)
    # The trail is the database's; the JSON log (for IT) never names who did it.
    assert not [r for r in caplog.records if user in r.getMessage()]

    code, out, _ = run(capsys, "audit")
    assert code == 0
    assert f"{user} (kommandorad på " in out
    assert f"flyttade rapport {later.report_id}" in out
    assert "satte sammanträdets diarienummer " + desk.first.isoformat() + " – VSN 2026/143" in out
    code, out, _ = run(capsys, "audit", "--csv", str(tmp_path / "logg.csv"))
    assert code == 0 and out.strip() == str(tmp_path / "logg.csv")
    with (tmp_path / "logg.csv").open(encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.reader(stream, delimiter=";"))
    assert rows[0] == ["Tidpunkt", "Vem", "Åtgärd", "Vad", "Varifrån", "Detaljer"]
    assert ["flyttade rapport", later.report_id] == rows[1][2:4]
    assert ("download_audit", "logg.csv") in actions(desk)


def test_the_trail_for_a_period_holds_only_its_days(desk, capsys):
    for days, target in ((40, "gammal"), (10, "mitten"), (0, "ny")):
        audit.record(desk.ctx, "anna.berg", "move", target, "127.0.0.1",
                     at=NOW - dt.timedelta(days=days))
    today = NOW.astimezone(STOCKHOLM).date()
    first, last = today - dt.timedelta(days=20), today - dt.timedelta(days=1)
    code, out, _ = run(capsys, "audit", "--from", first.isoformat(), "--to", last.isoformat())
    assert code == 0
    assert "flyttade rapport mitten" in out
    assert "gammal" not in out and "rapport ny" not in out
    code, _, err = run(capsys, "audit", "--from", last.isoformat(), "--to", first.isoformat())
    assert code == 2 and "ligger före" in err
    assert run(capsys, "audit", "--from", "2001-01-01", "--to", "2001-01-02")[1] == \
        "Loggen har inga händelser under perioden.\n"


def test_a_flag_marked_handled_leaves_the_count_with_who_when_and_the_note(desk, busy, capsys):
    flagged = desk.ctx.storage.get_report(busy["flagged"].report_id)  # as checked
    [flag] = flagged.flags
    assert row_of(run(capsys, "meetings")[1], desk.first)[1] == "1"
    mark = mark_flag(desk.ctx, flagged.report_id, flag.code, "anna.berg", "10.0.0.7",
                     "Talat med   politikern; hen har slutat.")
    assert mark is not None and mark.note == "Talat med politikern; hen har slutat."
    assert row_of(run(capsys, "meetings")[1], desk.first)[1] == "0"
    assert (f"Att kontrollera: {flag.message} (hanterad av anna.berg den "
            in run(capsys, "meeting", desk.first.isoformat())[1])
    assert ": Talat med politikern; hen har slutat.)" in run(capsys, "meeting",
                                                             desk.first.isoformat())[1]
    [entry] = [e for e in desk.ctx.storage.audit_entries() if e.action == "flag_handled"]
    assert (entry.actor, entry.address, entry.target) == (
        "anna.berg", "10.0.0.7", f"{flagged.report_id}:{flag.code}")
    mark_flag(desk.ctx, flagged.report_id, flag.code, "anna.berg", "10.0.0.7", handled=False)
    assert row_of(run(capsys, "meetings")[1], desk.first)[1] == "1"
    with pytest.raises(CannotMark, match="ingen sådan kontrollpunkt"):
        mark_flag(desk.ctx, busy["plain"].report_id, flag.code, "anna.berg", "")
    with pytest.raises(CannotMark, match="Anteckningen får ha högst 1000 tecken"):
        mark_flag(desk.ctx, flagged.report_id, flag.code, "anna.berg", "", "x" * 1001)


def test_a_refused_delivery_reads_as_who_which_visit_and_the_questions(desk, busy, capsys):
    [item] = refused_deliveries(desk.ctx)
    assert (item.name, item.operation, item.unit) == ("Anna Lindqvist", "Kost", None)
    assert item.visit_date == dt.date(2026, 10, 5)
    assert [(e.question, e.pointer) for e in item.errors] == [
        ("Vilken enhet eller plats besökte du?", "/data/answers/unit"),
        ("Besöket slutade klockan", "/data/answers/end_time")]
    assert item.handled is None and open_refused(desk.ctx) == 1
    out = run(capsys, "quarantine")[1]
    assert "Kost, besök den 5 oktober 2026; 2 fel" in out
    assert "(frågan ”Vilken enhet eller plats besökte du?”)" in out
    assert "Inte hanterad" in out and SECRET_ANSWER not in out
    mark_refused(desk.ctx, item.id, "anna.berg", "10.0.0.7", "Hen har skickat in igen.")
    assert open_refused(desk.ctx) == 0
    out = run(capsys, "quarantine")[1]
    assert "Hanterad av anna.berg den " in out and ": Hen har skickat in igen." in out
    assert "1 inskickad rapport avvisades" not in run(capsys, "meetings")[1]
    with pytest.raises(CannotMark):
        mark_refused(desk.ctx, 999, "anna.berg", "")


def test_open_eplatform_errors_get_the_title_of_the_question_their_element_maps_to(desk):
    committee = desk.ctx.committee
    assert question_title("/FlowInstance/Values/visitDate", committee) == "Datum för besöket"
    assert question_title("/FlowInstance/Values/okänd", committee) is None
    assert question_title("/data/submitter", committee) is None
    assert question_title("inte en pekare", committee) is None


def test_a_body_that_is_not_a_report_is_still_listed_without_guesses(desk):
    envelope = {"type": "visit_report.submitted", "data": ["inte", "ett", "objekt"]}
    desk.ctx.storage.record_quarantine(f"msg_{uuid.uuid4().hex}", json.dumps(envelope).encode(),
                                       validate_envelope(envelope), NOW)
    desk.ctx.storage.record_quarantine("msg_trasig", b"\xff{", [], NOW)
    for item in refused_deliveries(desk.ctx):
        assert (item.name, item.operation, item.unit, item.visit_date) == (None,) * 4


def test_the_deadline_is_said_as_passed_today_or_upcoming(desk):
    committee = desk.ctx.committee
    deadline = dt.datetime.combine(desk.first - dt.timedelta(days=7), dt.time(12),
                                   tzinfo=STOCKHOLM)
    passed = deadline_state(committee, desk.first, deadline + dt.timedelta(minutes=1))
    assert passed.state == PASSED
    assert passed.text == ("Sista tiden har gått ut; nya rapporter går till sammanträdet den "
                           f"{long_date(desk.second)}.")
    today = deadline_state(committee, desk.first, deadline - dt.timedelta(hours=3))
    assert (today.state, today.text) == (TODAY, "Sista tiden går ut i dag kl. 12.00.")
    coming = deadline_state(committee, desk.first, deadline - dt.timedelta(days=3))
    assert coming.state == UPCOMING
    assert coming.text == "Sista tiden går ut om 3 dagar."
    last = deadline_state(committee, desk.second, NOW + dt.timedelta(days=60))
    assert last.text == ("Sista tiden har gått ut; nya rapporter går till nästa sammanträde "
                         "när det läggs in i konfigurationen.")


def test_a_move_past_the_deadline_needs_the_flag_without_a_terminal(desk, busy, capsys):
    report = busy["plain"]
    code, out, err = run(capsys, "move", report.report_id, "--to", desk.past.isoformat())
    assert code == 2 and out == ""
    assert f"Sista tiden för sammanträdet den {long_date(desk.past)} gick ut den " in err
    assert "Ange --efter-sista-tid för att flytta den ändå." in err
    assert desk.ctx.storage.get_report(report.report_id).meeting_date == desk.first
    code, out, _ = run(capsys, "move", report.report_id, "--to", desk.past.isoformat(),
                       "--efter-sista-tid")
    assert code == 0 and "har flyttats" in out
    assert desk.ctx.storage.get_report(report.report_id).meeting_date == desk.past
    assert ("move_late", report.report_id) in actions(desk)
    code, _, _ = run(capsys, "move", report.report_id, "--to", desk.second.isoformat())
    assert code == 0 and ("move", report.report_id) in actions(desk)


def test_a_politicians_history_counts_visits_per_year_and_lists_the_chairs_decisions(desk):
    anna = [desk.receive(visit_envelope(0, visit_date=day, unit=unit), desk.first)
            for day, unit in (("2026-02-01", "Skolköket"), ("2026-03-01", "Centralköket"),
                              ("2026-04-01", "Äldreboendets kök"))]
    decided = desk.receive(visit_envelope(0, visit_date="2026-05-01", unit="Vårdköket",
                                          visit_kind="chair_decision",
                                          chair_decision_date="2026-04-20"), desk.first)
    desk.receive(visit_envelope(0, visit_date="2025-06-01"), desk.first)
    desk.receive(visit_envelope(1), desk.first)  # someone else's
    history = politician_history(desk.ctx, "anna.lindqvist")
    assert history is not None and history.name == "Anna Lindqvist"
    assert [(y.year, y.ordinary, y.by_decision, y.over) for y in history.years] == [
        (2026, 3, 1, True), (2025, 1, 0, False)]
    assert [r.report_id for r in history.decisions] == [decided.report_id]
    assert len(history.reports) == 5 and history.reports[0].report_id == decided.report_id
    assert {r.report_id for r in anna} < {r.report_id for r in history.reports}
    assert politician_history(desk.ctx, "finns.inte") is None


def test_the_meeting_table_sorts_filters_and_keeps_the_listing_numbers(desk):
    reports = [desk.receive(visit_envelope(n, employed_in_operation=n == 2), desk.first)
               for n in range(4)]
    desk.work()
    reports = desk.ctx.storage.reports_for_meeting(desk.first)
    table = meeting_table(reports, {}, sort="politiker")
    assert [row.report.submitter.name for row in table.rows] == [
        "Anna Lindqvist", "Bengt Haraldsson", "Cecilia Öberg", "Dragan Petrović"]
    backwards = meeting_table(reports, {}, sort="verksamhet", descending=True)
    assert [row.report.operation for row in backwards.rows] == [
        "kultur", "kost", "fritid", "arbetsmarknad"]
    assert [row.number for row in meeting_table(reports, {}, sort="datum").rows] == [1, 2, 3, 4]
    found = meeting_table(reports, {}, query="  stadsBIBLIOTEKET ")
    assert [(row.number, row.report.unit) for row in found.rows] == [(3, "Stadsbiblioteket")]
    assert found.total == 4
    flagged = meeting_table(reports, {}, only_open=True)
    assert [row.report.submitter.name for row in flagged.rows] == ["Cecilia Öberg"]
    assert meeting_table(reports, {}, sort="okänd").sort == "datum"


def old_refusal(desk: Desk, days: int) -> None:
    envelope = visit_envelope(4, unit_news=SECRET_ANSWER)
    del envelope["data"]["answers"]["unit"]
    desk.ctx.storage.record_quarantine(f"msg_{uuid.uuid4().hex}",
                                       json.dumps(envelope).encode(),
                                       validate_envelope(envelope),
                                       NOW - dt.timedelta(days=days))


def test_gallra_is_a_dry_run_unless_told_and_records_counts_and_ids_only(desk, capsys):
    old_refusal(desk, 400)
    old_refusal(desk, 10)
    desk.ctx.storage.record_oep_instance(71, "r1", b"<FlowInstance/>",
                                         NOW - dt.timedelta(days=400), None, [])
    audit.record(desk.ctx, "anna.berg", "move", "BR-X", "", at=NOW - dt.timedelta(days=900))
    code, out, _ = run(capsys, "gallra")
    assert code == 0
    assert "Avvisade leveranser: bevaras (ingen gallringsfrist är satt)." in out
    desk.configure(RETENTION_REFUSED_DAYS="365", RETENTION_AUDIT_DAYS="730",
                   RETENTION_OEP_XML_DAYS="365", RETENTION_WITHDRAWN_DAYS="30")
    [old, new] = sorted(item.id for item in desk.ctx.storage.quarantined())
    code, out, _ = run(capsys, "gallra")
    assert out.startswith("Provkörning (inget tas bort):\n")
    assert f"Avvisade leveranser: gallras efter 365 dagar; 1 st (id {old})." in out
    assert "XML från Open ePlatform: gallras efter 365 dagar; 1 st (id 71:r1)." in out
    assert "Inskickat innehåll i makulerade rapporter: gallras efter 30 dagar; 0 st." in out
    assert "3 poster skulle tas bort." in out
    assert len(desk.ctx.storage.quarantined()) == 2
    code, out, _ = run(capsys, "gallra", "--verkställ")
    assert code == 0 and "3 poster togs bort" in out
    assert [item.id for item in desk.ctx.storage.quarantined()] == [new]
    assert desk.ctx.storage.oep_instance(71, "r1").xml == b""
    assert desk.ctx.storage.oep_handled(71, "r1")
    [entry] = [e for e in desk.ctx.storage.audit_entries() if e.action == "gallring"]
    assert entry.details == (f"avvisade leveranser: 1 (id {old}); loggposter: 1 (id 1); "
                             "XML från Open ePlatform: 1 (id 71:r1)")
    assert SECRET_ANSWER not in entry.details
    assert "BR-X" not in {e.target for e in desk.ctx.storage.audit_entries()}


def test_gallring_thins_withdrawn_reports_bodies_and_they_can_no_longer_be_restored(desk):
    report = desk.receive(visit_envelope(0, unit_news=SECRET_ANSWER), desk.first)
    kept = desk.receive(visit_envelope(1), desk.first)
    assert desk.ctx.storage.purge_withdrawn_bodies(NOW, dry_run=True) == []
    from besoksrapport.secretary.withdrawal import WithdrawalRefused, restore, withdraw

    withdraw(desk.ctx, report.report_id, "Dubblett", "anna.berg",
             now=NOW - dt.timedelta(days=40))
    desk.configure(RETENTION_WITHDRAWN_DAYS="30")
    from besoksrapport.secretary.retention import gallra

    assert gallra(desk.ctx, "anna.berg", "", execute=True).parts[1].ids == [report.report_id]
    thinned = desk.ctx.storage.get_report(report.report_id)
    assert "unit_news" not in thinned.answers
    assert (thinned.unit, thinned.operation, thinned.submitter.name) == (
        report.unit, report.operation, report.submitter.name)
    assert desk.ctx.storage.get_report(kept.report_id).answers == kept.answers
    assert gallra(desk.ctx, "anna.berg", "", execute=True).parts[1].ids == []
    with pytest.raises(WithdrawalRefused, match="har gallrats"):
        restore(desk.ctx, report.report_id)


def test_the_daily_gallring_is_a_job_that_queues_the_next_one(desk):
    schedule(desk.ctx)
    assert desk.ctx.storage.pending_jobs(GALLRA) == []  # no period set: nothing to do daily
    desk.configure(RETENTION_REFUSED_DAYS="30")
    old_refusal(desk, 40)
    schedule(desk.ctx)
    [job] = desk.ctx.storage.pending_jobs(GALLRA)
    here = job.not_before.astimezone(STOCKHOLM)
    assert (here.hour, here.minute) == (3, 0) and job.not_before > NOW
    assert JOBS.kind_label(GALLRA) == "daglig gallring"
    gallra_job(job, desk.ctx)
    assert desk.ctx.storage.quarantined() == []
    [entry] = [e for e in desk.ctx.storage.audit_entries() if e.action == "gallring"]
    assert (entry.actor, entry.address) == ("systemet", "daglig gallring")
    assert len(desk.ctx.storage.pending_jobs(GALLRA)) == 1


def test_a_retention_line_agrees_in_number_with_its_days():
    assert Part("audit", "loggposter", 1, []).text == "Loggposter: gallras efter 1 dag; 0 st."
    assert Part("audit", "loggposter", 2, ["7"]).text == \
        "Loggposter: gallras efter 2 dagar; 1 st (id 7)."
