"""The secretary's page decides what becomes public: withdraw and restore a report, review
its personal data, diarienummer for a report and a meeting, and the kallelse text.

The Flask test client plays the browser with the forms' CSRF tokens; the outbox runs when
the test says so, and the meeting folder is read back as files.
"""

from __future__ import annotations

import sqlite3
from html import unescape

from public_text import folder_texts

from besoksrapport.privacy.screening import MASK
from besoksrapport.swedish import long_date

PERSONAL = "Brukaren (tel. 070-123 45 67) bor på Storgatan 12 och har pnr 19800101-1234."


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def report_texts(office, report_id: str) -> list[str]:
    return [t for n, t in folder_texts(office.folder(office.first)).items() if report_id in n]


def test_the_secretary_withdraws_a_report_with_a_reason_and_restores_it(office, secretary):
    kept, gone = office.receive(0), office.receive(1)
    office.work()
    page = secretary.get(f"/sekreterare/rapporter/{gone.report_id}")
    assert page.status_code == 200 and "Makulera rapporten" in text(page)
    answer = secretary.post(f"/sekreterare/rapporter/{gone.report_id}/makulera",
                            {"skal": f"Dubblett av {kept.report_id}."})
    assert answer.status_code == 302
    page = text(secretary.get(answer.location))
    assert f"Rapport {gone.report_id} är makulerad." in page
    assert f"av sekreterare. Skäl: Dubblett av {kept.report_id}." in page
    office.work()
    assert report_texts(office, gone.report_id) == []
    listing = [t for n, t in folder_texts(office.folder(office.first)).items()
               if "Förteckning" in n]
    assert gone.report_id not in listing[0] and kept.report_id in listing[0]
    meeting = text(secretary.get(f"/sekreterare/sammantraden/{office.first.isoformat()}"))
    assert f"Skäl: Dubblett av {kept.report_id}." in meeting

    answer = secretary.post(f"/sekreterare/rapporter/{gone.report_id}/aterstall")
    assert "är återställd" in text(secretary.get(answer.location))
    office.work()
    assert len(report_texts(office, gone.report_id)) == 1


def test_a_withdrawal_without_a_reason_is_refused_in_swedish(office, secretary):
    report = office.receive(0)
    secretary.get(f"/sekreterare/rapporter/{report.report_id}")
    answer = secretary.post(f"/sekreterare/rapporter/{report.report_id}/makulera",
                            {"skal": "   "})
    assert "Skriv skälet till att rapporten makuleras." in text(secretary.get(answer.location))
    assert office.ctx.storage.withdrawals() == {}


def test_personal_data_is_held_counted_on_the_overview_and_published_masked(office,
                                                                            secretary):
    report = office.receive(0, other_observations=PERSONAL)
    office.work()
    assert report_texts(office, report.report_id) == []
    overview = text(secretary.get("/sekreterare/"))
    assert (f"1 rapport till sammanträdet den {long_date(office.first)} väntar på granskning "
            "av personuppgifter") in overview
    meeting = text(secretary.get(f"/sekreterare/sammantraden/{office.first.isoformat()}"))
    assert "Väntar på granskning av personuppgifter." in meeting
    assert "Svaret på ”Övriga iakttagelser” innehåller" in meeting
    page = text(secretary.get(f"/sekreterare/rapporter/{report.report_id}"))
    assert "ett telefonnummer, en gatuadress och ett möjligt personnummer" in page
    assert f"Brukaren (tel. {MASK}) bor på {MASK} och har pnr {MASK}." in page

    answer = secretary.post(f"/sekreterare/rapporter/{report.report_id}/granska",
                            {"beslut": "masked"})
    assert "publiceras med uppgifterna borttagna" in text(secretary.get(answer.location))
    office.work()
    [published] = report_texts(office, report.report_id)
    assert f"Brukaren (tel. {MASK}) bor på {MASK} och har pnr {MASK}." in published
    assert "väntar på granskning" not in text(secretary.get("/sekreterare/"))
    assert office.ctx.storage.get_report(report.report_id).answers[
        "other_observations"] == PERSONAL


def test_an_unknown_decision_is_refused(office, secretary):
    report = office.receive(0, other_observations=PERSONAL)
    secretary.get(f"/sekreterare/rapporter/{report.report_id}")
    answer = secretary.post(f"/sekreterare/rapporter/{report.report_id}/granska",
                            {"beslut": "publicera"})
    assert "Välj att godkänna texten" in text(secretary.get(answer.location))
    assert office.ctx.storage.privacy_reviews() == {}


def test_diary_numbers_are_set_on_the_page_with_the_commands_checks(office, secretary):
    report = office.receive(0, oral_summary=True)
    office.work()
    day = office.first.isoformat()
    secretary.get(f"/sekreterare/sammantraden/{day}/kallelse")
    answer = secretary.post(f"/sekreterare/sammantraden/{day}/diarienummer",
                            {"diarienummer": "2026-143"})
    assert "har inte nämndens form för diarienummer; skriv till exempel ”VSN 2026/143”" in \
        text(secretary.get(answer.location))
    answer = secretary.post(f"/sekreterare/sammantraden/{day}/diarienummer",
                            {"diarienummer": " VSN  2026/143"})
    page = text(secretary.get(answer.location))
    assert "har diarienummer VSN 2026/143." in page
    assert ("Återrapporter från kontaktpolitikers verksamhetsbesök, 1 st, Dnr VSN 2026/143"
            in page)
    assert f"– {report.submitter.name}: " in page
    secretary.get(f"/sekreterare/rapporter/{report.report_id}")
    secretary.post(f"/sekreterare/rapporter/{report.report_id}/diarienummer",
                   {"diarienummer": "VSN 2026/150"})
    assert office.ctx.storage.get_report(report.report_id).diary_number == "VSN 2026/150"
    office.work()
    [published] = report_texts(office, report.report_id)
    assert "VSN 2026/150" in published


def test_the_new_pages_read_in_swedish(office, secretary):
    from .test_swedish_pages import readable_problems, visible

    personal = office.receive(0, other_observations=PERSONAL, oral_summary=True)
    gone = office.receive(1)
    office.work()
    secretary.get(f"/sekreterare/rapporter/{gone.report_id}")
    secretary.post(f"/sekreterare/rapporter/{gone.report_id}/makulera", {"skal": "Dubblett."})
    day = office.first.isoformat()
    pages = ["/sekreterare/", f"/sekreterare/sammantraden/{day}",
             f"/sekreterare/sammantraden/{day}/kallelse",
             f"/sekreterare/rapporter/{personal.report_id}",
             f"/sekreterare/rapporter/{gone.report_id}"]
    found = {}
    for path in pages:
        answer = secretary.get(path)
        assert answer.status_code == 200, path
        found[path] = readable_problems(visible(answer))
    missing = secretary.get("/sekreterare/rapporter/BR-2026-FINNSEJ")
    assert missing.status_code == 404
    found["okänd rapport"] = readable_problems(visible(missing))
    assert {path: problems for path, problems in found.items() if problems} == {}


def test_a_withdrawal_whose_audit_entry_cannot_be_written_changes_nothing(office, secretary):
    """Recorded after the withdrawal in a write of its own, a lost entry left the report
    withdrawn while the page said that nothing had changed."""
    report = office.receive(0)
    secretary.get(f"/sekreterare/rapporter/{report.report_id}")
    database = sqlite3.connect(office.ctx.storage.path)
    with database:  # the trail's table can no longer be written: a fault in that write alone
        database.execute("ALTER TABLE audit_log RENAME TO audit_log_kept")
        database.execute("CREATE VIEW audit_log AS SELECT * FROM audit_log_kept")
    database.close()
    answer = secretary.post(f"/sekreterare/rapporter/{report.report_id}/makulera",
                            {"skal": "Dubblett."})
    assert answer.status_code == 503
    assert "inget ändrades" in text(answer)
    assert office.ctx.storage.withdrawals() == {}
