"""A command shows no English log line; what only the log says, it says in Swedish."""

from __future__ import annotations

import logging

import pytest
from english import english_words

from besoksrapport.cli import notices as cli_notices
from besoksrapport.delivery.document_system import CANNOT_LIST, DELETE_REFUSED


@pytest.fixture
def notices(monkeypatch):
    logger = logging.getLogger("besoksrapport")
    monkeypatch.setattr(logger, "handlers", [])
    cli_notices.install()
    cli_notices.install()  # once per process, however often a command runs


def test_a_refused_clean_up_is_told_in_swedish_once(notices, capsys):
    webdav = logging.getLogger("besoksrapport.delivery.webdav")
    webdav.warning(DELETE_REFUSED, extra={"meeting_date": "2026-12-10", "method": "DELETE",
                                          "status": 403})
    webdav.warning(CANNOT_LIST, extra={"meeting_date": "2026-12-10", "method": "PROPFIND",
                                       "status": 405})
    assert capsys.readouterr().err.splitlines() == [
        "Obs! Dokumentsystemet tillät inte att filer som inte längre hör till sammanträdet "
        "den 10 december 2026 togs bort; de ligger kvar i dess mapp där.",
        "Obs! Dokumentsystemet går inte att lista, så filer som inte längre hör till "
        "sammanträdet den 10 december 2026 kan ligga kvar i dess mapp där."]


def test_other_log_lines_stay_off_the_terminal(notices, capsys):
    logging.getLogger("besoksrapport.worker").warning("job %s", "failed")
    logging.getLogger("besoksrapport.worker").error("worker loop error")
    assert capsys.readouterr().err == ""


def test_the_notices_are_swedish():
    texts = [text.format(day="10 december 2026") for text in cli_notices.NOTICES.values()]
    assert [english_words(text) for text in texts] == [[], []]
