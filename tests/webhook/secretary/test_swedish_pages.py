"""Every page the secretary opens reads in Swedish: no English word, no «arkivering».

The pages are filled the way a working committee fills them (two reports of one joint visit,
a refused delivery, a job that failed for good, a report waiting to be moved), then each page,
its error pages and a refused form are read as the secretary reads them: the text between
the tags, with the HTML's own attributes and addresses left out.
"""

from __future__ import annotations

import json
import re
from html import unescape

from english import english_words

from besoksrapport.secretary.politicians import politician_key

from .test_pages import failed_job, joint_pair

TAG = re.compile(r"<[^>]+>")
STYLE = re.compile(r"<(style|script)\b.*?</\1>", re.S)


def visible(response) -> str:
    """The text a browser shows, the buttons' and links' labels included."""
    html = response.get_data(as_text=True)
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', html))
    return unescape(TAG.sub(" ", STYLE.sub(" ", html)) + " " + labels)


def readable_problems(text: str) -> list[str]:
    problems = [f"engelska: {word}" for word in english_words(text)]
    problems += [f"”{word}”" for word in re.findall(r"\w*arkiv\w*", text, re.I)]
    return problems


def test_every_page_of_a_working_committee_reads_in_swedish(office, secretary):
    first, _ = joint_pair(office)
    office.refuse({"type": "visit_report.submitted"})
    failed_job(office)
    meeting = f"/sekreterare/sammantraden/{office.first.isoformat()}"
    pages = ["/sekreterare/", meeting, "/sekreterare/avvisade", "/sekreterare/arbete",
             "/sekreterare/underlag", f"/sekreterare/rapporter/{first.report_id}/flytta",
             f"/sekreterare/rapporter/{first.report_id}/kontrollpunkter",
             f"/sekreterare/kontaktpolitiker/{politician_key(first.submitter.id)}",
             "/sekreterare/logg",
             "/sekreterare/gallring", f"{meeting}?ordning=politiker&sok=kök"]
    found = {}
    for path in pages:
        answer = secretary.get(path)
        assert answer.status_code == 200, path
        found[path] = readable_problems(visible(answer))
    assert {path: problems for path, problems in found.items() if problems} == {}


def test_the_error_pages_and_a_refused_form_read_in_swedish(office, secretary, visitor):
    answers = {
        "inget sammanträde": secretary.get("/sekreterare/sammantraden/2031-02-30"),
        "okänd sida": secretary.get("/sekreterare/finns-inte"),
        "okänd rapport": secretary.get("/sekreterare/rapporter/BR-2026-FINNSEJ/flytta"),
        "inloggning": visitor.get("/sekreterare/logga-in"),
        # A browser follows the redirect to the login page; the 302's own body is never shown.
        "utan inloggning": visitor.client.get("/sekreterare/arbete", follow_redirects=True),
    }
    secretary.get("/sekreterare/underlag")
    answers["fel period"] = secretary.post("/sekreterare/underlag/arvodesunderlag",
                                           {"fran": "2027-01-31", "till": "2027-01-01",
                                            "format": "csv"})
    assert {name: answer.status_code for name, answer in answers.items()} == {
        "inget sammanträde": 404, "okänd sida": 404, "okänd rapport": 404, "inloggning": 200,
        "utan inloggning": 200, "fel period": 400}
    found = {name: readable_problems(visible(answer)) for name, answer in answers.items()}
    assert {name: problems for name, problems in found.items() if problems} == {}


def test_the_access_log_names_a_politicians_page_by_its_route_not_the_politicians_key(
        office, secretary, capsys):
    first, _ = joint_pair(office)
    key = politician_key(first.submitter.id)
    capsys.readouterr()
    assert secretary.get(f"/sekreterare/kontaktpolitiker/{key}").status_code == 200
    logged = [json.loads(line) for line in capsys.readouterr().err.splitlines()
              if line.startswith("{")]
    assert {"method": "GET", "path": "/sekreterare/kontaktpolitiker/<key>",
            "status": 200}.items() <= next(e for e in logged if e.get("msg") == "request").items()
    assert key not in json.dumps(logged)
