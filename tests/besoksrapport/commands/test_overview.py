"""``meetings``, ``meeting``, ``outbox`` and ``quarantine``: what the secretary sees.

Failed work is made the real way: the document system (a wsgidav server on 127.0.0.1)
refuses the configured password, which the outbox does not retry.
"""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from davserver import DavServer
from flow import visit_envelope

from besoksrapport.pending_work import KINDS
from besoksrapport.runtime import HANDLERS
from besoksrapport.swedish import long_date
from besoksrapport.worker import MAX_ATTEMPTS

from .conftest import run

EMPLOYED = "Inskickaren har uppgett att hen är anställd i verksamheten kost."
SECRET_ANSWER = "Personalen berättade i förtroende om en svår situation på avdelning 3."


def row_of(out: str, day) -> list[str]:
    """The ``meetings`` table row of ``day``: its last three cells are the counts."""
    [line] = [line for line in out.splitlines() if line.startswith(long_date(day) + " ")]
    return line.split()[-3:]


@pytest.fixture
def refusing_dav(tmp_path):
    (tmp_path / "dav").mkdir()
    with DavServer(tmp_path / "dav", users={"namnd": "rätt-lösen"}) as server:
        yield server


@pytest.fixture
def busy(desk, refusing_dav):
    """Two reports for the next meeting (one flagged), delivery refused; one report for the
    meeting after, not filed yet; one report waiting for a meeting; one refused delivery."""
    desk.configure(WEBDAV_URL=refusing_dav.url, WEBDAV_USERNAME="namnd",
                   WEBDAV_PASSWORD="fel-lösen")
    flagged = desk.receive(visit_envelope(0, employed_in_operation=True), desk.first)
    plain = desk.receive(visit_envelope(1), desk.first)
    desk.receive(visit_envelope(2), None)
    desk.work()
    later = desk.receive(visit_envelope(3), desk.second)
    desk.work(limit=1)  # its check runs; the filing it queues is still pending
    broken = visit_envelope(4, unit_news=SECRET_ANSWER, end_time="08:00")
    del broken["data"]["answers"]["unit"]
    desk.refuse(broken)
    return {"flagged": flagged, "plain": plain, "later": later, "broken": broken}


def test_meetings_lists_upcoming_meetings_with_counts_and_what_waits(desk, busy, capsys):
    code, out, _ = run(capsys, "meetings")
    assert code == 0
    assert long_date(desk.past) not in out  # held, and nothing of it is pending
    assert row_of(out, desk.first) == ["2", "1", "0"]  # reports, flagged, pending filings
    assert row_of(out, desk.second) == ["1", "0", "1"]
    assert "1 rapport(er) väntar på ett sammanträde som inte är inlagt än." in out
    assert "1 inskickad(e) rapport(er) avvisades; se «besoksrapport quarantine»." in out
    assert "1 arkivering(ar) eller utskick misslyckades; se «besoksrapport outbox»." in out


def test_meeting_lists_its_reports_with_the_flags_to_check(desk, busy, capsys):
    code, out, _ = run(capsys, "meeting", desk.first.isoformat())
    assert code == 0
    assert f"Sammanträdet den {long_date(desk.first)}: 2 rapport(er)" in out
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
    assert f"Väntar: arkivering i sammanträdets mapp {desk.second.isoformat()}, " \
           "nästa försök" in out
    [failed] = [line for line in out.splitlines() if line.startswith("Misslyckades:")]
    assert failed.startswith(
        f"Misslyckades: överföring till dokumentsystemet {desk.first.isoformat()} efter 1 försök")
    assert "HTTP 401" in failed


def test_outbox_shows_a_filing_that_crashed_on_every_attempt_as_failed(desk, capsys):
    desk.receive(visit_envelope(0), desk.first)
    desk.work(limit=1)  # the check runs and queues the filing
    for _ in range(MAX_ATTEMPTS):  # the process dies while filing: no outcome, lease runs out
        job = desk.ctx.storage.claim_job(datetime.now(UTC), lease_seconds=0)
        assert job.kind == "file_meeting"
    desk.work()
    code, out, _ = run(capsys, "outbox")
    assert code == 1
    assert out == (f"Misslyckades: arkivering i sammanträdets mapp {desk.first.isoformat()} "
                   f"efter {MAX_ATTEMPTS} försök: gave up after {MAX_ATTEMPTS} attempts that "
                   "never finished (the process running the job stopped, e.g. killed or out "
                   f"of memory) (försök igen: besoksrapport outbox --retry {job.id})\n")


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
    assert run(capsys, "outbox")[:2] == (0, "Inget väntar: allt är arkiverat och skickat.\n")
    assert run(capsys, "quarantine")[:2] == (0, "Inga avvisade rapporter.\n")


def test_every_kind_of_job_has_a_swedish_name_in_the_outbox():
    assert set(KINDS) == set(HANDLERS)
