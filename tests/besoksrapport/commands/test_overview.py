"""``meetings``, ``meeting``, ``outbox`` and ``quarantine``: what the secretary sees.

Failed work is made the real way (the ``busy`` desk of conftest.py): the document system (a
wsgidav server on 127.0.0.1) refuses the configured password, which the outbox does not
retry.
"""

from __future__ import annotations

from datetime import UTC, datetime

from flow import visit_envelope

from besoksrapport.outbox.worker import MAX_ATTEMPTS
from besoksrapport.runtime import HANDLERS, JOBS
from besoksrapport.swedish import long_date

from .conftest import SECRET_ANSWER, run

KINDS = JOBS.labels

EMPLOYED = "Kontaktpolitikern har uppgett att hen är anställd i verksamheten kost."


def row_of(out: str, day) -> list[str]:
    """The ``meetings`` table row of ``day``: its last three cells are the counts."""
    [line] = [line for line in out.splitlines() if line.startswith(long_date(day) + " ")]
    return line.split()[-3:]


def test_meetings_lists_upcoming_meetings_with_counts_and_what_waits(desk, busy, capsys):
    code, out, _ = run(capsys, "meetings")
    assert code == 0
    assert long_date(desk.past) not in out  # held, and nothing of it is pending
    assert row_of(out, desk.first) == ["2", "1", "0"]  # reports, flagged, pending filings
    assert row_of(out, desk.second) == ["1", "0", "1"]
    assert ("1 rapport väntar på ett sammanträde som inte är inlagt än. Den förs till nästa "
            "sammanträde när det läggs in i konfigurationen.") in out
    assert "1 inskickad rapport avvisades; se ”besoksrapport quarantine”." in out
    assert ("1 uppgift (sparande, överföring eller e-post) misslyckades; se "
            "”besoksrapport outbox”.") in out
    assert out.startswith("Sammanträde       Sista tid för rapporter ")


def test_meeting_lists_its_reports_with_the_flags_to_check(desk, busy, capsys):
    code, out, _ = run(capsys, "meeting", desk.first.isoformat())
    assert code == 0
    assert f"Sammanträdet den {long_date(desk.first)}: 2 rapporter\n" in out
    assert busy["flagged"].report_id in out and busy["plain"].report_id in out
    assert busy["later"].report_id not in out
    flags = [line.strip() for line in out.splitlines() if "Att kontrollera" in line]
    assert len(flags) == 1 and flags[0].startswith(f"Att kontrollera: {EMPLOYED}")
    # The declarations are the secretary's: shown here for each report, never in public.
    assert out.count("   Anställd i den besökta verksamheten: ") == 2
    assert "   Anställd i den besökta verksamheten: Ja" in out
    assert out.count("   Begär sammanträdesarvode: ") == 2


def test_outbox_lists_pending_and_failed_work_in_swedish(desk, busy, capsys):
    code, out, _ = run(capsys, "outbox")
    assert code == 1  # something failed and needs a person
    assert (f"Väntar: sparande i mappen för sammanträdet den {long_date(desk.second)}, "
            "nästa försök den ") in out
    [failed] = [line for line in out.splitlines() if line.startswith("Misslyckades:")]
    assert failed == (
        f"Misslyckades: överföring till dokumentsystemet för sammanträdet den "
        f"{long_date(desk.first)} efter 1 försök: WebDAV MKCOL av mappen för sammanträdet den "
        f"{long_date(desk.first)}: HTTP 401 (fel användarnamn, lösenord eller token?). "
        f"Försök igen med ”besoksrapport outbox --retry {desk.ctx.storage.failed_jobs()[0].id}”.")


def test_outbox_shows_a_filing_that_crashed_on_every_attempt_as_failed(desk, capsys):
    desk.receive(visit_envelope(0), desk.first)
    desk.work(limit=1)  # the check runs and queues the filing
    for _ in range(MAX_ATTEMPTS):  # the process dies while filing: no outcome, lease runs out
        job = desk.ctx.storage.claim_job(datetime.now(UTC), lease_seconds=0)
        assert job.kind == "file_meeting"
    desk.work()
    code, out, _ = run(capsys, "outbox")
    assert code == 1
    assert out == (f"Misslyckades: sparande i mappen för sammanträdet den "
                   f"{long_date(desk.first)} efter {MAX_ATTEMPTS} försök: Gav upp efter "
                   f"{MAX_ATTEMPTS} försök som aldrig blev klara: programmet som utförde "
                   "uppgiften stoppades, till exempel för att det avbröts eller fick slut på "
                   f"minne. Försök igen med ”besoksrapport outbox --retry {job.id}”.\n")


def test_quarantine_shows_pointers_and_swedish_messages_but_no_answer_text(
        desk, busy, capsys):
    code, out, _ = run(capsys, "quarantine")
    assert code == 0
    assert "/data/answers/unit: Ange vilken enhet eller plats du besökte." in out
    assert "/data/answers/end_time: Besöket måste sluta senare än det började." in out
    assert "2 fel" in out
    assert SECRET_ANSWER not in out
    assert busy["broken"]["data"]["submitter"]["name"] not in out  # nor who sent it


def test_outbox_and_quarantine_say_so_when_nothing_waits(desk, capsys):
    assert run(capsys, "outbox")[:2] == (0, "Inget väntar: allt är sparat och skickat.\n")
    assert run(capsys, "quarantine")[:2] == (0, "Inga avvisade rapporter.\n")


def test_every_kind_of_job_has_a_swedish_name_in_the_outbox():
    assert set(KINDS) == set(HANDLERS)


def test_process_says_in_swedish_what_it_assigned_ran_and_left(desk, busy, capsys):
    waiting = desk.ctx.storage.unassigned_reports()[0].report_id
    code, out, _ = run(capsys, "process")
    lines = out.splitlines()
    assert code == 1  # the document system refuses the password: a job failed
    assert lines[0] == f"{waiting} har förts till sammanträdet den {long_date(desk.first)}."
    assert any(line.endswith(", sparande i sammanträdets mapp: klar.") for line in lines)
    assert any(", överföring till dokumentsystemet: misslyckades. WebDAV MKCOL av mappen "
               in line and line.endswith("(fel användarnamn, lösenord eller token?).")
               for line in lines)
    assert lines[-1].endswith(" kördes; inget väntar.")
