"""``user add`` / ``user remove`` (the page's local accounts) and ``outbox --retry``.

A failed job is made the real way: a delivery job with no document system configured fails
at once (PermanentError); configuring a WebDAV server (wsgidav on 127.0.0.1) then lets the
retried job succeed.
"""

from __future__ import annotations

import io

import pytest
from davserver import DavServer
from flow import visit_envelope

from besoksrapport.secretary.accounts import password_matches
from besoksrapport.swedish import long_date

from .conftest import run

PASSWORD = "ett lösenord som är långt nog"


def add(monkeypatch, capsys, name: str, password: str = PASSWORD):
    monkeypatch.setattr("sys.stdin", io.StringIO(password + "\n"))
    return run(capsys, "user", "add", name, "--password-stdin")


def test_user_add_stores_only_a_hash_that_the_password_matches(desk, monkeypatch, capsys):
    desk.monkeypatch.setenv("BESOKSRAPPORT_SECRETARIES", "anna.berg")
    code, out, err = add(monkeypatch, capsys, "Anna.Berg")
    assert (code, out, err) == (0, "Kontot anna.berg skapades.\n", "")
    stored = desk.ctx.storage.password_hash("anna.berg")
    assert stored.startswith("$argon2id$")
    assert PASSWORD not in stored
    assert password_matches(stored, PASSWORD)
    assert not password_matches(stored, PASSWORD + "x")


def test_user_add_again_changes_the_password(desk, monkeypatch, capsys):
    add(monkeypatch, capsys, "anna")
    code, out, _ = add(monkeypatch, capsys, "anna", "ett helt annat långt lösenord")
    assert code == 0 and out.startswith("Lösenordet för anna byttes.")
    assert password_matches(desk.ctx.storage.password_hash("anna"),
                            "ett helt annat långt lösenord")


def test_user_add_says_when_the_account_is_not_yet_allowed_to_log_in(desk, monkeypatch, capsys):
    desk.monkeypatch.delenv("BESOKSRAPPORT_SECRETARIES", raising=False)
    _, out, _ = add(monkeypatch, capsys, "anna")
    assert ("Obs: anna finns inte i BESOKSRAPPORT_SECRETARIES; lägg till kontot där för att "
            "det ska kunna logga in.") in out


@pytest.mark.parametrize(("name", "password", "message"), [
    ("anna", "kort", "Lösenordet måste ha minst 12 tecken."),
    ("anna lindqvist", PASSWORD, "”anna lindqvist” kan inte användas som kontonamn"),
    ("", PASSWORD, "kan inte användas som kontonamn"),
])
def test_user_add_refuses_a_bad_name_or_password_and_stores_nothing(
        desk, monkeypatch, capsys, name, password, message):
    code, out, err = add(monkeypatch, capsys, name, password)
    assert code == 2 and out == ""
    assert message in err
    assert desk.ctx.storage.password_hash("anna") is None


def test_user_remove_removes_the_account_and_says_when_there_is_none(desk, monkeypatch, capsys):
    add(monkeypatch, capsys, "anna")
    assert run(capsys, "user", "remove", "anna") == (0, "Kontot anna togs bort.\n", "")
    assert desk.ctx.storage.password_hash("anna") is None
    code, _, err = run(capsys, "user", "remove", "anna")
    assert code == 2 and "det finns inget konto som heter anna" in err


@pytest.fixture
def failed_delivery(desk):
    desk.receive(visit_envelope(0), desk.first)
    desk.work()
    job_id = desk.ctx.storage.enqueue("deliver_meeting", {"meeting_date": desk.first.isoformat()})
    desk.work()
    assert [job.id for job in desk.ctx.storage.failed_jobs()] == [job_id]
    return job_id


def test_outbox_names_the_retry_command_for_each_failed_job(desk, failed_delivery, capsys):
    _, out, _ = run(capsys, "outbox")
    assert f"Försök igen med ”besoksrapport outbox --retry {failed_delivery}”." in out


def test_outbox_retry_runs_the_job_again_and_it_succeeds_once_the_cause_is_fixed(
        desk, failed_delivery, capsys, tmp_path):
    (tmp_path / "dav").mkdir()
    with DavServer(tmp_path / "dav") as dav:
        desk.configure(WEBDAV_URL=dav.url)
        code, out, err = run(capsys, "outbox", "--retry", str(failed_delivery))
    assert (code, err) == (0, "")
    assert out == (f"Försöker igen: överföring till dokumentsystemet för sammanträdet den "
                   f"{long_date(desk.first)}."
                   "\nKlart.\n")
    assert desk.ctx.storage.failed_jobs() == []
    assert (tmp_path / "dav" / desk.first.isoformat() / "index.json").exists()


def test_outbox_retry_of_a_job_that_fails_again_says_so(desk, failed_delivery, capsys):
    code, _, err = run(capsys, "outbox", "--retry", str(failed_delivery))
    assert code == 1
    assert "Det gick inte nu heller" in err and "markerat som misslyckat" in err
    [again] = desk.ctx.storage.failed_jobs()
    assert again.id == failed_delivery and again.attempts == 1


def test_outbox_retry_of_a_job_that_is_not_failed_is_refused(desk, capsys):
    code, out, err = run(capsys, "outbox", "--retry", "4711")
    assert (code, out) == (2, "")
    assert "Det finns inget misslyckat arbete med nummer 4711" in err
