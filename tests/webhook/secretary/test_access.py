"""The page is closed: no session, a wrong account or a missing CSRF token get nothing done.

A page GET without a session is sent to the login page (and back after it); every other
refusal is a 403 with a Swedish page, and the data is as it was. The webhook beside it
keeps its own signature check and never sees a session or a CSRF check.
"""

from __future__ import annotations

import dataclasses

import pytest
from english import english_words
from secretary_page import ACCOUNT, OUTSIDER, PASSWORD, Secretary, page_environment
from webhook_helpers import PATH, body_of, committee_config, envelope_for, signed_headers

from besoksrapport.errors import ConfigError

PAGES = ["/sekreterare/", "/sekreterare/arbete", "/sekreterare/avvisade",
         "/sekreterare/underlag"]


def actions(office, report_id: str, job_id: int) -> list[tuple[str, dict[str, str]]]:
    day = office.first.isoformat()
    return [
        (f"/sekreterare/rapporter/{report_id}/flytta", {"till": office.second.isoformat()}),
        (f"/sekreterare/rapporter/{report_id}/flytta/bekrafta",
         {"till": office.second.isoformat()}),
        (f"/sekreterare/arbete/{job_id}/forsok-igen", {}),
        ("/sekreterare/arbete/kor", {}),
        (f"/sekreterare/sammantraden/{day}/samlingsdokument", {}),
        ("/sekreterare/underlag/arvodesunderlag",
         {"fran": "2026-01-01", "till": "2026-12-31", "format": "csv"}),
        ("/sekreterare/underlag/uppfoljning",
         {"fran": "2026-01-01", "till": "2026-12-31", "format": "docx"}),
        (f"/sekreterare/rapporter/{report_id}/makulera", {"skal": "Dubblett."}),
        (f"/sekreterare/rapporter/{report_id}/aterstall", {}),
        (f"/sekreterare/rapporter/{report_id}/granska", {"beslut": "masked"}),
        (f"/sekreterare/rapporter/{report_id}/diarienummer", {"diarienummer": "VSN 2026/1"}),
        (f"/sekreterare/sammantraden/{day}/diarienummer", {"diarienummer": "VSN 2026/2"}),
        ("/sekreterare/logga-ut", {}),
    ]


@pytest.fixture
def state(office):
    """A report on the first meeting, unfiled, and a failed job: what a refusal must keep."""
    report = office.receive(0)
    job_id = office.ctx.storage.enqueue("deliver_meeting", {"meeting_date": "2026-01-01"})
    office.ctx.storage.fail_job(job_id, "test")
    return report, job_id


def unchanged(office, report_id: str, job_id: int) -> None:
    assert office.ctx.storage.get_report(report_id).meeting_date == office.first
    assert [job.id for job in office.ctx.storage.failed_jobs()] == [job_id]
    assert not office.folder(office.first).exists()
    assert office.ctx.storage.withdrawals() == {}
    assert office.ctx.storage.privacy_reviews() == {}
    assert office.ctx.storage.get_report(report_id).diary_number is None
    assert office.ctx.storage.meeting_diary_number(office.first) is None


@pytest.mark.parametrize("path", PAGES)
def test_a_page_without_a_session_sends_the_browser_to_the_login_and_back(visitor, path):
    answer = visitor.get(path)
    assert answer.status_code == 302
    assert answer.location.startswith("/sekreterare/logga-in?next=")
    login = visitor.get(answer.location)
    assert f'name="next" value="{path}"' in login.get_data(as_text=True)
    done = visitor.post("/sekreterare/logga-in", {"konto": ACCOUNT, "losenord": PASSWORD,
                                                  "next": path})
    assert done.status_code == 302 and done.location == path


def test_every_action_without_a_session_is_refused_with_403_and_changes_nothing(
        office, visitor, state):
    report, job_id = state
    visitor.get("/sekreterare/logga-in")  # a CSRF token, but no login
    for path, form in actions(office, report.report_id, job_id):
        answer = visitor.post(path, form)
        assert answer.status_code == 403, path
        assert "Du är inte inloggad." in answer.get_data(as_text=True)
    unchanged(office, report.report_id, job_id)


def test_every_action_without_its_csrf_token_is_refused_with_403_and_changes_nothing(
        office, secretary, state):
    report, job_id = state
    for path, form in actions(office, report.report_id, job_id):
        answer = secretary.post(path, form, csrf=False)
        assert answer.status_code == 403, path
        assert "säkerhetskoden saknades eller var fel" in answer.get_data(as_text=True)
        wrong = secretary.client.post(path, data={**form, "csrf_token": "fel"})
        assert wrong.status_code == 403, path
    unchanged(office, report.report_id, job_id)
    assert secretary.get("/sekreterare/").status_code == 200  # still logged in


def test_a_csrf_token_from_another_session_does_not_count(office, secretary, state):
    report, job_id = state
    other = Secretary(office.app.test_client())
    other.login()
    answer = secretary.client.post(f"/sekreterare/rapporter/{report.report_id}/flytta",
                                   data={"till": office.second.isoformat(),
                                         "csrf_token": other.token})
    assert answer.status_code == 403
    unchanged(office, report.report_id, job_id)


def test_a_local_account_not_among_the_secretaries_is_refused_with_403(visitor):
    answer = visitor.login(OUTSIDER)
    assert answer.status_code == 403
    assert "Du har inte behörighet till sekreterarens sida." in answer.get_data(as_text=True)
    assert visitor.get("/sekreterare/").status_code == 302


def test_a_wrong_password_or_an_unknown_account_shows_the_login_again(visitor):
    for name, password in ((ACCOUNT, "fel lösenord helt och hållet"), ("okand", PASSWORD),
                           ("Ogiltigt namn!", PASSWORD), (ACCOUNT, "x" * 2000)):
        answer = visitor.login(name, password)
        assert answer.status_code == 200
        page = answer.get_data(as_text=True)
        assert "Fel kontonamn eller lösenord." in page
        assert 'aria-invalid="true"' in page
        assert visitor.get("/sekreterare/").status_code == 302


def test_the_account_name_is_matched_without_regard_to_case(visitor):
    assert visitor.login(ACCOUNT.upper()).status_code == 302


def test_the_login_itself_needs_its_csrf_token(visitor):
    visitor.get("/sekreterare/logga-in")
    answer = visitor.post("/sekreterare/logga-in", {"konto": ACCOUNT, "losenord": PASSWORD},
                          csrf=False)
    assert answer.status_code == 403
    assert visitor.get("/sekreterare/").status_code == 302


def test_an_account_taken_off_the_list_is_locked_out_at_its_next_request(office, secretary):
    page = office.app.extensions["besoksrapport.secretary"]
    listed = page.settings
    page.settings = dataclasses.replace(listed, allowed=frozenset({"someone.else"}))
    assert secretary.get("/sekreterare/").status_code == 403
    page.settings = listed  # back on the list: the refused session was ended all the same
    assert secretary.get("/sekreterare/").status_code == 302


def test_logging_out_ends_the_session(secretary):
    secretary.get("/sekreterare/")
    assert secretary.post("/sekreterare/logga-ut").status_code == 302
    assert secretary.get("/sekreterare/").status_code == 302


def test_the_session_cookie_is_secure_httponly_lax_and_only_for_the_page(visitor):
    visitor.get("/sekreterare/logga-in")
    answer = visitor.post("/sekreterare/logga-in", {"konto": ACCOUNT, "losenord": PASSWORD})
    cookie = answer.headers["Set-Cookie"]
    assert cookie.startswith("besoksrapport_sekreterare=")
    for part in ("Secure", "HttpOnly", "SameSite=Lax", "Path=/sekreterare", "Expires="):
        assert part in cookie


def test_after_login_the_browser_goes_only_to_places_on_the_page(visitor):
    for target in ("https://example.org/", "//example.org/sekreterare/", "/webhooks/x",
                   "/sekreterare/\\\\example.org"):
        visitor.get("/sekreterare/logga-in")
        answer = visitor.post("/sekreterare/logga-in", {"konto": ACCOUNT, "losenord": PASSWORD,
                                                        "next": target})
        assert answer.location == "/sekreterare/", target
        visitor.post("/sekreterare/logga-ut")


def test_pages_are_not_cached_framed_or_allowed_foreign_resources(secretary):
    answer = secretary.get("/sekreterare/")
    assert answer.headers["Cache-Control"] == "no-store"
    assert "frame-ancestors 'none'" in answer.headers["Content-Security-Policy"]
    assert answer.headers["X-Content-Type-Options"] == "nosniff"


def test_the_webhook_keeps_its_signature_check_and_needs_no_session_or_csrf(office):
    client = office.app.test_client()
    body = body_of(envelope_for())
    answer = client.post(PATH, data=body, headers=signed_headers(body))
    assert answer.status_code == 201
    assert "Set-Cookie" not in answer.headers
    unsigned = client.post(PATH, data=body, headers={"content-type": "application/json"})
    assert unsigned.status_code == 401
    assert unsigned.mimetype == "application/problem+json"


def test_without_secretaries_configured_the_page_does_not_exist(app, client):
    assert client.get("/sekreterare/").status_code == 404
    assert client.get("/sekreterare/logga-in").status_code == 404


@pytest.mark.parametrize(("extra", "field"), [
    ({"BESOKSRAPPORT_SESSION_SECRET": ""}, "BESOKSRAPPORT_SESSION_SECRET"),
    ({"BESOKSRAPPORT_SESSION_SECRET": "för-kort"}, "BESOKSRAPPORT_SESSION_SECRET"),
    ({"BESOKSRAPPORT_LOCAL_ACCOUNTS": "false"}, "BESOKSRAPPORT_LOCAL_ACCOUNTS"),
    ({"BESOKSRAPPORT_LOCAL_ACCOUNTS": "kanske"}, "BESOKSRAPPORT_LOCAL_ACCOUNTS"),
    ({"BESOKSRAPPORT_OIDC_ISSUER": "https://idp.exempelby.se"}, "BESOKSRAPPORT_OIDC_CLIENT_ID"),
    ({"BESOKSRAPPORT_OIDC_ISSUER": "http://idp.exempelby.se", "BESOKSRAPPORT_OIDC_CLIENT_ID": "a",
      "BESOKSRAPPORT_OIDC_CLIENT_SECRET": "b"}, "BESOKSRAPPORT_OIDC_ISSUER"),
    ({"BESOKSRAPPORT_PUBLIC_URL": "besoksrapport.exempelby.se"}, "BESOKSRAPPORT_PUBLIC_URL"),
])
def test_a_bad_page_setting_stops_start_up_naming_it(tmp_path, extra, field):
    from webhook import create_app
    from webhook.startup import check

    env = page_environment(tmp_path / "data", committee_config(tmp_path / "committee.toml"),
                           **extra)
    for start in (create_app, check):
        with pytest.raises(ConfigError) as raised:
            start(env)
        assert raised.value.field == field
        assert english_words(str(raised.value)) == []


def test_an_unusable_database_is_a_swedish_503_page_not_a_traceback(office, secretary,
                                                                     monkeypatch):
    from besoksrapport.errors import StorageUnavailable

    def unavailable(*args, **kwargs):
        raise StorageUnavailable("database is locked")

    # A mock: a database that stays locked cannot be arranged in a test client request.
    monkeypatch.setattr(office.ctx.storage, "quarantined", unavailable)
    answer = secretary.get("/sekreterare/avvisade")
    assert answer.status_code == 503
    assert "Databasen går inte att använda just nu." in answer.get_data(as_text=True)
