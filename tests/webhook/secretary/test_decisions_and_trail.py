"""Issue 21 B on the page (Flask's client as the browser): «hanterad» marks, readable
refused deliveries, the deadline in words, the late move's confirmation, the meeting's
table, the politician's page, the trail with its CSV, and gallring."""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import uuid
from html import unescape

import pytest
from flow import visit_envelope
from secretary_page import ACCOUNT, Secretary, make_office

from besoksrapport.swedish import long_date


def text(response) -> str:
    return unescape(response.get_data(as_text=True))


def trail(office) -> list[tuple[str, str, str, str]]:
    return [(e.actor, e.action, e.target, e.address)
            for e in office.ctx.storage.audit_entries()]


def flagged_report(office):
    office.receive(0)
    report = office.receive(2, employed_in_operation=True)
    office.work()
    return office.ctx.storage.get_report(report.report_id)


def test_a_flag_marked_handled_on_the_page_leaves_the_count_with_its_note(office, secretary):
    report = flagged_report(office)
    [flag] = report.flags
    row = re.search(rf">{long_date(office.first)}</a></th>(.*?)</tr>",
                    text(secretary.get("/sekreterare/")), re.S).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row)[1:3] == ["2", "1"]
    meeting = text(secretary.get(f"/sekreterare/sammantraden/{office.first.isoformat()}"))
    assert f"Hantera kontrollpunkter för rapport {report.report_id}" in meeting
    assert 'class="badge badge-open"' in meeting
    page = text(secretary.get(f"/sekreterare/rapporter/{report.report_id}/kontrollpunkter"))
    assert f"<h2 id=\"kontroll-{flag.code}\">{flag.message}</h2>" in page
    assert "Inte hanterad." in page
    answer = secretary.post(f"/sekreterare/rapporter/{report.report_id}/kontrollpunkter/"
                            f"{flag.code}", {"anteckning": "Hen har slutat där i oktober."})
    assert answer.status_code == 302
    page = text(secretary.get(answer.location))
    assert "Kontrollpunkten är markerad som hanterad." in page
    assert f"Hanterad av {ACCOUNT} den " in page
    assert "Anteckning: Hen har slutat där i oktober." in page
    row = re.search(rf">{long_date(office.first)}</a></th>(.*?)</tr>",
                    text(secretary.get("/sekreterare/")), re.S).group(1)
    assert re.findall(r"<td[^>]*>([^<]*)</td>", row)[1:3] == ["2", "0"]
    meeting = text(secretary.get(f"/sekreterare/sammantraden/{office.first.isoformat()}"))
    assert 'class="badge badge-handled"' in meeting and "<strong>(hanterad)</strong>" in meeting
    assert (ACCOUNT, "flag_handled", f"{report.report_id}:{flag.code}", "127.0.0.1") in \
        trail(office)
    secretary.post(f"/sekreterare/rapporter/{report.report_id}/kontrollpunkter/{flag.code}",
                   {"atgard": "oppna"})
    assert (ACCOUNT, "flag_reopened", f"{report.report_id}:{flag.code}", "127.0.0.1") in \
        trail(office)
    wrong = secretary.post(f"/sekreterare/rapporter/{report.report_id}/kontrollpunkter/nej")
    assert "Rapport " in text(secretary.get(wrong.location))
    assert secretary.get("/sekreterare/rapporter/BR-2026-NOPE00/kontrollpunkter") \
        .status_code == 404


def test_a_refused_delivery_shows_who_which_visit_and_each_question_and_can_be_handled(
        office, secretary):
    envelope = visit_envelope(2, end_time="08:00")
    del envelope["data"]["answers"]["unit"]
    office.refuse(envelope)
    [item] = office.ctx.storage.quarantined()
    page = text(secretary.get("/sekreterare/avvisade"))
    assert f'<h2 id="leverans-{item.id}">Cecilia Öberg: Kultur, besök den 3 oktober 2026</h2>' \
        in page
    assert ('<th scope="row">Vilken enhet eller plats besökte du?</th><td>Ange vilken enhet '
            'eller plats du besökte.</td>') in page
    assert "<strong>Inte hanterad.</strong>" in page
    assert "1 avvisad rapport</a> som inte är hanterade" in text(secretary.get("/sekreterare/"))
    answer = secretary.post(f"/sekreterare/avvisade/{item.id}",
                            {"anteckning": "Hen skickade in rapporten igen."})
    assert answer.location.endswith(f"/sekreterare/avvisade#leverans-{item.id}")
    page = text(secretary.get("/sekreterare/avvisade"))
    assert f"<strong>Hanterad</strong> av {ACCOUNT} den " in page
    assert "Anteckning: Hen skickade in rapporten igen." in page
    assert "0 avvisade rapporter</a> som inte är hanterade" in text(
        secretary.get("/sekreterare/"))
    assert (ACCOUNT, "refused_handled", str(item.id), "127.0.0.1") in trail(office)
    missing = secretary.post("/sekreterare/avvisade/999")
    assert "Det finns ingen avvisad leverans med nummer 999." in text(
        secretary.get(missing.location))


def test_the_overview_says_each_deadline_in_words(office, secretary):
    page = text(secretary.get("/sekreterare/"))
    assert re.search(r'class="deadline deadline-upcoming">Sista tiden går ut om 1[0-9] '
                     r'dagar\.</span>', page)
    assert re.search(r"Nästa sammanträde är den [^.]+\(sista tid för rapporter: den [^)]+\)\. "
                     r"Sista tiden går ut om 1[0-9] dagar\.", page)
    meeting = text(secretary.get(f"/sekreterare/sammantraden/{office.past.isoformat()}"))
    assert ('class="deadline deadline-passed">Sista tiden har gått ut; nya rapporter går '
            f"till sammanträdet den {long_date(office.first)}.</span>") in meeting


def test_a_move_to_a_meeting_whose_deadline_has_passed_must_be_confirmed(office, secretary):
    report = office.receive(0)
    office.work()
    secretary.get(f"/sekreterare/rapporter/{report.report_id}/flytta")
    confirm = secretary.post(f"/sekreterare/rapporter/{report.report_id}/flytta/bekrafta",
                             {"till": office.past.isoformat()})
    assert confirm.status_code == 200
    assert (f"Sista tiden för sammanträdet den {long_date(office.past)} gick ut den "
            in text(confirm))
    assert 'name="efter_sista_tid" value="ja" required' in text(confirm)
    refused = secretary.post(f"/sekreterare/rapporter/{report.report_id}/flytta",
                             {"till": office.past.isoformat()})
    assert refused.status_code == 400
    assert "Bekräfta att rapporten ska flyttas fast sista tiden har gått ut." in text(refused)
    assert office.ctx.storage.get_report(report.report_id).meeting_date == office.first
    done = secretary.post(f"/sekreterare/rapporter/{report.report_id}/flytta",
                          {"till": office.past.isoformat(), "efter_sista_tid": "ja"})
    assert done.status_code == 302
    assert office.ctx.storage.get_report(report.report_id).meeting_date == office.past
    assert (ACCOUNT, "move_late", report.report_id, "127.0.0.1") in trail(office)
    # an upcoming deadline asks nothing more
    confirm = secretary.post(f"/sekreterare/rapporter/{report.report_id}/flytta/bekrafta",
                             {"till": office.second.isoformat()})
    assert "efter_sista_tid" not in text(confirm)
    secretary.post(f"/sekreterare/rapporter/{report.report_id}/flytta",
                   {"till": office.second.isoformat()})
    assert (ACCOUNT, "move", report.report_id, "127.0.0.1") in trail(office)


def test_the_meeting_is_a_table_sorted_and_filtered_by_the_address(office, secretary):
    for number in range(4):
        office.receive(number, employed_in_operation=number == 3)
    office.work()
    base = f"/sekreterare/sammantraden/{office.first.isoformat()}"

    def names(query: str) -> list[str]:
        page = text(secretary.get(base + query))
        return re.findall(r'<a href="/sekreterare/kontaktpolitiker/[^"]+">([^<]+)</a>', page)

    assert names("") == ["Anna Lindqvist", "Bengt Haraldsson", "Cecilia Öberg",
                         "Dragan Petrović"]
    assert names("?ordning=politiker&fallande=1") == [
        "Dragan Petrović", "Cecilia Öberg", "Bengt Haraldsson", "Anna Lindqvist"]
    assert names("?ordning=verksamhet") == [
        "Bengt Haraldsson", "Dragan Petrović", "Anna Lindqvist", "Cecilia Öberg"]
    assert names("?sok=ishallen") == ["Dragan Petrović"]
    assert names("?oppna=1") == ["Dragan Petrović"]
    page = text(secretary.get(base + "?sok=finns+inte"))
    assert "Inga rapporter matchar filtret." in page and "0 rapporter visas av 4" in page
    page = text(secretary.get(base + "?ordning=politiker"))
    assert 'aria-sort="ascending"' in page
    assert "ordning=politiker&amp;fallande=1" in secretary.get(base + "?ordning=politiker") \
        .get_data(as_text=True)


def test_a_politicians_page_counts_visits_per_year_against_one_or_two(office, secretary):
    for day, unit in (("2026-02-01", "Skolköket"), ("2026-03-01", "Centralköket"),
                      ("2026-04-01", "Vårdköket")):
        office.receive(0, visit_date=day, unit=unit)
    office.receive(0, visit_date="2026-05-01", unit="Caféet", visit_kind="chair_decision",
                   chair_decision_date="2026-04-20")
    meeting = text(secretary.get(f"/sekreterare/sammantraden/{office.first.isoformat()}"))
    [address] = set(re.findall(r'href="(/sekreterare/kontaktpolitiker/[^"]+)"', meeting))
    assert "anna" not in address  # the log has addresses; the id may be an e-mail address
    page = text(secretary.get(address))
    assert "<h1>Anna Lindqvist</h1>" in page
    assert "Ledamot, kontaktpolitiker för Kost, Komvux." in page
    assert re.search(r'<th scope="row">2026</th><td class="number">3</td>'
                     r'<td class="number">1</td>\s*<td><span class="year-over">Fler än 2 '
                     r"ordinarie besök</span>", page)
    assert "Kost, Caféet, besök den 1 maj 2026: beslut den 20 april 2026" in page
    assert "4 rapporter, det senaste besöket först" in page
    assert secretary.get("/sekreterare/kontaktpolitiker/finns.inte").status_code == 404


def test_every_download_and_the_login_are_in_the_trail_shown_on_the_page_and_as_csv(
        office, secretary):
    report = office.receive(0)
    office.work()
    day = office.first.isoformat()
    secretary.get(f"/sekreterare/sammantraden/{day}")  # the page with the forms' token
    secretary.get(f"/sekreterare/sammantraden/{day}/rapporter/{report.report_id}.docx")
    secretary.get(f"/sekreterare/sammantraden/{day}/forteckning.docx")
    secretary.post(f"/sekreterare/sammantraden/{day}/samlingsdokument")
    secretary.get("/sekreterare/underlag")
    year = office.first.year
    secretary.post("/sekreterare/underlag/arvodesunderlag",
                   {"fran": f"{year}-01-01", "till": f"{year}-12-31", "format": "xlsx"})
    done = [(action, target) for _, action, target, _ in trail(office)]
    assert done == [("login", ""), ("download_report", report.report_id),
                    ("download_listing", day), ("download_bundle", day),
                    ("download_compensation", f"arvodesunderlag_{year}-01-01_{year}-12-31.xlsx")]
    page = text(secretary.get("/sekreterare/logg"))
    assert "<h1>Logg över ändringar och nedladdningar</h1>" in page
    assert f"<td>{ACCOUNT}</td><th scope=\"row\">laddade ner rapport</th>" \
           f"<td>{report.report_id}</td><td>127.0.0.1</td>" in page
    assert "5 händelser, den senaste först" in page
    answer = secretary.get("/sekreterare/logg.csv?fran=&till=")
    assert answer.status_code == 200
    assert answer.headers["Content-Disposition"].startswith("attachment;")
    rows = list(csv.reader(io.StringIO(answer.data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == ["Tidpunkt", "Vem", "Åtgärd", "Vad", "Varifrån", "Detaljer"]
    assert [row[2] for row in rows[1:]][:2] == ["loggade in", "laddade ner rapport"]
    assert trail(office)[-1][1:3] == ("download_audit", "logg_borjan_nu")
    bad = secretary.get("/sekreterare/logg?fran=igår")
    assert bad.status_code == 400 and "Skriv datumet som ÅÅÅÅ-MM-DD" in text(bad)
    old = secretary.get("/sekreterare/logg?fran=2001-01-01&till=2001-01-31")
    assert "Inga händelser under perioden." in text(old)


@pytest.fixture
def keeping_office(tmp_path):
    yield from make_office(tmp_path, BESOKSRAPPORT_RETENTION_REFUSED_DAYS="30")


def test_gallring_on_the_page_shows_what_goes_and_removes_it_on_the_button(keeping_office):
    office = keeping_office
    envelope = visit_envelope(0)
    del envelope["data"]["answers"]["unit"]
    from besoksrapport.form.validation import validate_envelope

    for days in (60, 5):
        office.ctx.storage.record_quarantine(
            f"msg_{uuid.uuid4().hex}", str(envelope).encode(), validate_envelope(envelope),
            dt.datetime.now(dt.UTC) - dt.timedelta(days=days))
    secretary = Secretary(office.app.test_client())
    secretary.login()
    [old, new] = sorted(item.id for item in office.ctx.storage.quarantined())
    page = text(secretary.get("/sekreterare/gallring"))
    assert f"Avvisade leveranser: gallras efter 30 dagar; 1 st (id {old})." in page
    assert "Loggposter: bevaras (ingen gallringsfrist är satt)." in page
    assert "Gallra nu (1 post)" in page
    assert len(office.ctx.storage.quarantined()) == 2  # looking removes nothing
    answer = secretary.post("/sekreterare/gallring")
    assert "Gallringen är gjord: 1 post togs bort." in text(secretary.get(answer.location))
    assert [item.id for item in office.ctx.storage.quarantined()] == [new]
    [entry] = [e for e in office.ctx.storage.audit_entries() if e.action == "gallring"]
    assert (entry.actor, entry.details) == (ACCOUNT, f"avvisade leveranser: 1 (id {old})")
