"""Every page of the secretary's view, in Swedish, over the same data the CLI shows."""

from __future__ import annotations

import io
import re
from html import unescape

import openpyxl
from docx import Document
from flow import visit_envelope

from besoksrapport.swedish import long_date


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def joint_pair(office):
    """Two kontaktpolitiker report the same visit (operation, unit, day)."""
    first = office.receive(0, joint_visit=True, other_participants=["Bengt Haraldsson"],
                           oral_summary=True)
    second = office.receive(1, operation="kost", unit="Centralköket",
                            visit_date=first.answers["visit_date"], joint_visit=True,
                            other_participants=["Anna Lindqvist"])
    return first, second


def test_the_overview_lists_the_coming_meetings_with_deadline_reports_and_pending_work(
        office, secretary):
    office.receive(0)
    office.receive(1, employed_in_operation=True)
    office.refuse({"type": "visit_report.submitted"})
    page = text(secretary.get("/sekreterare/"))
    assert '<html lang="sv">' in page
    assert f">{long_date(office.first)}</a>" in page
    assert f">{long_date(office.second)}</a>" in page
    assert long_date(office.past) not in page  # held, nothing pending
    row = re.search(rf">{long_date(office.first)}</a></th>(.*?)</tr>", page, re.S).group(1)
    cells = re.findall(r"<td[^>]*>([^<]*)</td>", row)
    assert cells[0].endswith("kl. 12.00") and cells[1:] == ["2", "0", "0"]
    office.work()
    row = re.search(rf">{long_date(office.first)}</a></th>(.*?)</tr>", text(
        secretary.get("/sekreterare/")), re.S).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row)[1:] == ["2", "1", "0"]
    assert "1 avvisad rapport" in page
    assert "0 misslyckade uppgifter" in page


def test_the_overview_checks_the_configuration_as_check_config_does(office, secretary):
    page = text(secretary.get("/sekreterare/"))
    assert "<h2>Konfigurationen</h2>" in page
    assert "3 sammanträden, varav 2 kommande, och 4 kontaktpolitiker." in page
    assert f"Nästa sammanträde är den {long_date(office.first)}" in page
    assert "Kontaktpolitikerlistan följer riktlinjerna." in page


def test_a_meeting_shows_each_report_with_flags_joint_visit_and_oral_summary(office, secretary):
    first, second = joint_pair(office)
    flagged = office.receive(2, employed_in_operation=True)
    office.work()
    page = text(secretary.get(f"/sekreterare/sammantraden/{office.first.isoformat()}"))
    assert f"<h1>Sammanträdet den {long_date(office.first)}</h1>" in page
    assert "3 rapporter." in page
    for report in (first, second, flagged):
        assert f"Ladda ner rapport {report.report_id} (DOCX)" in page
        assert f"Flytta rapport {report.report_id} till ett annat sammanträde" in page
    assert f'Ja, med <a href="#rapport-{second.report_id}">{second.report_id}</a>' in page
    assert f'Ja, med <a href="#rapport-{first.report_id}">{first.report_id}</a>' in page
    assert "Ja – vill lämna en muntlig sammanfattning på sammanträdet" in page
    assert "Enligt riktlinjerna ska kontaktpolitikern inte vara anställd" in page
    assert "Ladda ner förteckningen (DOCX)" in page
    assert "Ladda ner samlingsdokumentet (DOCX)" in page


def test_a_meeting_not_yet_filed_says_so_instead_of_offering_missing_files(office, secretary):
    report = office.receive(0)
    page = text(secretary.get(f"/sekreterare/sammantraden/{office.first.isoformat()}"))
    assert "Rapportens dokument sparas strax." in page
    assert f"Ladda ner rapport {report.report_id}" not in page
    assert "Förteckningen skapas när sammanträdets mapp sparas." in page
    answer = secretary.get(f"/sekreterare/sammantraden/{office.first.isoformat()}"
                           f"/rapporter/{report.report_id}.docx")
    assert answer.status_code == 404
    assert "sparas där strax" in text(answer)


def test_an_unknown_meeting_or_a_date_that_is_none_is_not_found(secretary):
    assert secretary.get("/sekreterare/sammantraden/2026-13-40").status_code == 404
    answer = secretary.get("/sekreterare/sammantraden/1999-01-01")
    assert answer.status_code == 404
    assert "Det finns inget sammanträde" in text(answer)


def test_each_report_and_the_forteckning_download_as_filed(office, secretary):
    report = office.receive(0)
    office.work()
    day = office.first.isoformat()
    answer = secretary.get(f"/sekreterare/sammantraden/{day}/rapporter/{report.report_id}.docx")
    assert answer.status_code == 200
    filed = next(office.folder(office.first).glob(f"* {report.report_id}.docx"))
    assert answer.data == filed.read_bytes()
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    assert report.report_id in answer.headers["Content-Disposition"]
    listing = secretary.get(f"/sekreterare/sammantraden/{day}/forteckning.docx")
    assert listing.status_code == 200
    assert "Förteckning" in " ".join(p.text for p in Document(io.BytesIO(listing.data)).paragraphs)


def test_the_bundle_button_files_the_meeting_now_and_hands_over_the_bundle(office, secretary):
    office.receive(0)
    office.receive(1)
    secretary.get(f"/sekreterare/sammantraden/{office.first.isoformat()}")
    answer = secretary.post(f"/sekreterare/sammantraden/{office.first.isoformat()}"
                            "/samlingsdokument")  # no outbox run: the page files it now
    assert answer.status_code == 200
    [bundle] = office.folder(office.first).glob("*Samtliga återrapporter*.docx")
    assert answer.data == bundle.read_bytes()
    assert "filename*=UTF-8''" in answer.headers["Content-Disposition"]


def test_the_quarantine_shows_each_refused_delivery_with_its_swedish_errors(office, secretary):
    envelope = visit_envelope(0)
    del envelope["data"]["answers"]["visit_date"]
    office.refuse(envelope)
    page = text(secretary.get("/sekreterare/avvisade"))
    assert "<h1>Avvisade rapporter</h1>" in page
    assert "<code>/data/answers/visit_date</code>" in page
    assert "Ange datum för besöket." in page
    assert "1 fel." in page


def test_the_quarantine_says_when_nothing_was_refused(secretary):
    assert "Inga avvisade rapporter." in text(secretary.get("/sekreterare/avvisade"))


def failed_job(office) -> int:
    office.receive(0)
    office.work()
    job_id = office.ctx.storage.enqueue("deliver_meeting",
                                        {"meeting_date": office.first.isoformat()})
    office.work()  # no WebDAV configured: fails at once, for good
    [failed] = office.ctx.storage.failed_jobs()
    assert failed.id == job_id
    return job_id


def test_the_outbox_lists_failed_work_with_a_try_again_button(office, secretary):
    job_id = failed_job(office)
    page = text(secretary.get("/sekreterare/arbete"))
    assert ("överföring till dokumentsystemet för sammanträdet den "
            f"{long_date(office.first)}") in page
    assert f'action="/sekreterare/arbete/{job_id}/forsok-igen"' in page
    assert ">Försök igen</button>" in page
    assert "Inget dokumentsystem är inställt" in page


def test_try_again_makes_the_failed_job_due_again_as_outbox_retry_does(office, secretary):
    job_id = failed_job(office)
    secretary.get("/sekreterare/arbete")
    answer = secretary.post(f"/sekreterare/arbete/{job_id}/forsok-igen")
    assert answer.status_code == 302
    assert office.ctx.storage.failed_jobs() == []
    [pending] = [job for job in office.ctx.storage.pending_jobs() if job.id == job_id]
    assert pending.attempts == 0
    page = text(secretary.get("/sekreterare/arbete"))
    assert ("Försöker igen: överföring till dokumentsystemet för sammanträdet den "
            f"{long_date(office.first)}.") in page


def test_try_again_on_work_that_is_not_failed_says_so_and_changes_nothing(office, secretary):
    secretary.get("/sekreterare/arbete")
    secretary.post("/sekreterare/arbete/999/forsok-igen")
    page = text(secretary.get("/sekreterare/arbete"))
    assert "Det finns inget misslyckat arbete med nummer 999" in page


def test_run_now_runs_the_waiting_work_as_besoksrapport_process_does(office, secretary):
    report = office.receive(0)
    secretary.get("/sekreterare/arbete")
    secretary.post("/sekreterare/arbete/kor")
    assert office.ctx.storage.pending_jobs() == []
    assert next(office.folder(office.first).glob(f"* {report.report_id}.docx"))
    assert "uppgifter kördes. 0 uppgifter väntar fortfarande." in text(
        secretary.get("/sekreterare/arbete"))


def test_the_move_asks_for_a_meeting_then_for_confirmation_then_moves(office, secretary):
    report = office.receive(0)
    office.work()
    form = text(secretary.get(f"/sekreterare/rapporter/{report.report_id}/flytta"))
    assert f'<option value="{office.second.isoformat()}" selected>' in form
    assert f'value="{office.first.isoformat()}"' not in form  # its own meeting
    confirm = secretary.post(f"/sekreterare/rapporter/{report.report_id}/flytta/bekrafta",
                             {"till": office.second.isoformat()})
    assert confirm.status_code == 200
    assert f"till sammanträdet den {long_date(office.second)}" in text(confirm)
    assert office.ctx.storage.get_report(report.report_id).meeting_date == office.first
    done = secretary.post(f"/sekreterare/rapporter/{report.report_id}/flytta",
                          {"till": office.second.isoformat()})
    assert done.status_code == 302
    assert done.location == f"/sekreterare/sammantraden/{office.first.isoformat()}"
    assert office.ctx.storage.get_report(report.report_id).meeting_date == office.second
    page = text(secretary.get(done.location))
    assert (f"Rapport {report.report_id} flyttades från den {long_date(office.first)} till "
            f"den {long_date(office.second)}.") in page
    office.work()  # the refiling the move queued, as after besoksrapport move
    assert not list(office.folder(office.first).glob(f"* {report.report_id}.docx"))
    assert list(office.folder(office.second).glob(f"* {report.report_id}.docx"))


def test_a_move_to_a_date_that_is_no_meeting_is_refused_and_changes_nothing(office, secretary):
    report = office.receive(0)
    secretary.get(f"/sekreterare/rapporter/{report.report_id}/flytta")
    for target in ("2031-02-30", office.first.isoformat(), "1999-01-01"):
        answer = secretary.post(f"/sekreterare/rapporter/{report.report_id}/flytta/bekrafta",
                                {"till": target})
        assert answer.status_code == 400
        assert "Välj ett av sammanträdena i listan." in text(answer)
        assert secretary.post(f"/sekreterare/rapporter/{report.report_id}/flytta",
                              {"till": target}).status_code == 400
    assert office.ctx.storage.get_report(report.report_id).meeting_date == office.first


def test_moving_a_report_that_does_not_exist_is_not_found(secretary):
    assert secretary.get("/sekreterare/rapporter/BR-2026-XXXXXX/flytta").status_code == 404


def test_the_period_page_offers_both_files_with_labelled_date_fields(office, secretary):
    page = text(secretary.get("/sekreterare/underlag"))
    for form in ("arvode", "uppfoljning"):
        for field in ("fran", "till"):
            assert f'<label for="{form}-{field}">' in page
            assert f'id="{form}-{field}"' in page


def test_the_compensation_basis_downloads_as_csv_or_xlsx_for_the_period(office, secretary):
    report = office.receive(0, claims_meeting_fee=True)
    office.work()
    secretary.get("/sekreterare/underlag")
    period = {"fran": "2026-10-01", "till": "2026-10-31"}
    csv = secretary.post("/sekreterare/underlag/arvodesunderlag", {**period, "format": "csv"})
    assert csv.status_code == 200
    assert "arvodesunderlag_2026-10-01_2026-10-31.csv" in csv.headers["Content-Disposition"]
    assert report.report_id in csv.data.decode("utf-8-sig")
    xlsx = secretary.post("/sekreterare/underlag/arvodesunderlag", {**period, "format": "xlsx"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.data)).active
    assert sheet.cell(row=2, column=13).value == report.report_id


def test_the_follow_up_downloads_as_a_document_or_csv_for_the_period(office, secretary):
    office.receive(0)
    office.work()
    secretary.get("/sekreterare/underlag")
    period = {"fran": "2026-01-01", "till": "2026-12-31"}
    docx = secretary.post("/sekreterare/underlag/uppfoljning", {**period, "format": "docx"})
    assert docx.status_code == 200
    assert ("uppfoljning_kontaktpolitiker_2026-01-01_2026-12-31.docx"
            in docx.headers["Content-Disposition"])
    assert Document(io.BytesIO(docx.data)).core_properties.title
    csv = secretary.post("/sekreterare/underlag/uppfoljning", {**period, "format": "csv"})
    assert csv.status_code == 200 and csv.mimetype == "text/csv"


def test_a_period_that_cannot_be_used_is_shown_again_with_the_errors_at_their_fields(
        office, secretary):
    secretary.get("/sekreterare/underlag")
    answer = secretary.post("/sekreterare/underlag/arvodesunderlag",
                            {"fran": "första maj", "till": "2026-12-31", "format": "pdf"})
    assert answer.status_code == 400
    page = text(answer)
    assert "Från och med: skriv ett datum som ÅÅÅÅ-MM-DD" in page
    assert 'id="arvode-fran" name="fran" value="första maj"' in page
    assert "Välj ett av filformaten." in page
    backwards = text(secretary.post("/sekreterare/underlag/uppfoljning",
                                    {"fran": "2026-12-31", "till": "2026-01-01",
                                     "format": "docx"}))
    assert "Periodens sista dag ligger före den första." in backwards


def test_the_stylesheet_is_served_to_everyone_even_before_login(visitor):
    with visitor.client.get("/sekreterare/static/sekreterare.css") as answer:  # a file: closed
        assert answer.status_code == 200
        assert answer.mimetype == "text/css"
        assert ":focus-visible" in answer.get_data(as_text=True)


def test_an_address_under_the_page_that_nothing_answers_is_a_swedish_page(secretary, visitor):
    for client in (secretary, visitor):
        for path in ("/sekreterare/finns-inte", "/sekreterare/sammantraden/2026-13-40/x"):
            answer = client.get(path)
            assert answer.status_code == 404
            assert answer.mimetype == "text/html"
            assert '<html lang="sv">' in text(answer) and "Sidan finns inte." in text(answer)
    assert secretary.get("/finns-inte").mimetype == "application/problem+json"  # the webhook's


def test_the_date_fields_are_text_in_the_hinted_form_whatever_the_browsers_language(secretary):
    page = text(secretary.get("/sekreterare/underlag"))
    assert 'type="date"' not in page  # a browser in English would show MM/DD/YYYY
    assert page.count('pattern="[0-9]{4}-[0-9]{2}-[0-9]{2}" placeholder="ÅÅÅÅ-MM-DD"') == 4


def test_the_payroll_period_defaults_to_this_year_and_to_last_year_only_in_january(office):
    from datetime import date

    from webhook.secretary.periods import period_forms

    december = period_forms(office.ctx, today=date(2026, 12, 5))["compensation"]
    assert (december.first, december.last) == ("2026-01-01", "2026-12-31")
    january = period_forms(office.ctx, today=date(2027, 1, 10))["compensation"]
    assert (january.first, january.last) == ("2026-01-01", "2026-12-31")
    june = period_forms(office.ctx, today=date(2027, 6, 1))["compensation"]
    assert (june.first, june.last) == ("2027-01-01", "2027-12-31")
