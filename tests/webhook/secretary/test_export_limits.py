"""Heavy exports run in a process of their own with a time limit, at most two at once per
web worker (webhook/secretary/export_runner.py): a third is refused at once in Swedish
instead of taking another of the worker's threads, and each frozen one is stopped at the
limit. (Under gunicorn, with deliveries answered meanwhile: tests/e2e/test_export_time_limit.)

The exports are made deliberately slow by stopping their processes (SIGSTOP).
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from english import english_words
from flow import wait_for
from secretary_page import Secretary, export_processes, make_office, page_environment

from besoksrapport.cli.export_process import MARGIN_SECONDS

# Room for the export that must succeed after the frozen ones on a loaded test machine; the
# child runs at full priority, since its niceness is not what these tests prove.
LIMIT_SECONDS = 8
PERIOD = {"fran": "2026-01-01", "till": "2026-12-31", "format": "csv"}


@pytest.fixture
def office(tmp_path):
    yield from make_office(tmp_path, BESOKSRAPPORT_EXPORT_SECONDS=str(LIMIT_SECONDS),
                           BESOKSRAPPORT_WORKER_NICE="0")


def logged_in(office) -> Secretary:
    browser = Secretary(office.app.test_client())
    assert browser.login().status_code == 302
    browser.get("/sekreterare/underlag")
    return browser


def text(answer) -> str:
    return re.sub(r"<[^>]+>|\s+", " ", answer.get_data(as_text=True))


def test_a_third_export_at_once_is_refused_at_once_and_frozen_ones_stop_at_the_limit(office):
    office.receive(1)
    browsers = [logged_in(office) for _ in range(3)]
    answers: dict[int, object] = {}

    def export(number: int) -> None:
        answers[number] = browsers[number].post("/sekreterare/underlag/uppfoljning", PERIOD)

    running = [threading.Thread(target=export, args=(n,)) for n in range(2)]
    frozen: set[int] = set()
    for thread in running:
        thread.start()

        def one_more() -> bool:
            for pid in export_processes([os.getpid()]):
                if pid not in frozen:
                    os.kill(pid, signal.SIGSTOP)
                    frozen.add(pid)
            return len(frozen) == len([t for t in running if t.ident])

        wait_for(one_more, 20, "the export's process")

    third = browsers[2].post("/sekreterare/underlag/arvodesunderlag", PERIOD)
    assert all(thread.is_alive() for thread in running)  # answered while both still wait
    assert third.status_code == 503
    assert "Ett annat underlag tas fram just nu" in text(third)
    assert english_words(text(third)) == []

    for thread in running:
        thread.join(LIMIT_SECONDS + 20)
    for answer in answers.values():
        assert answer.status_code == 503
        assert answer.headers["Retry-After"] == "60"
        assert f"({LIMIT_SECONDS} sekunder) och avbröts" in text(answer)
    assert export_processes([os.getpid()]) == []  # killed and reaped

    again = browsers[2].post("/sekreterare/underlag/arvodesunderlag", PERIOD)
    assert again.status_code == 200
    assert again.headers["Content-Disposition"].endswith(
        "arvodesunderlag_2026-01-01_2026-12-31.csv")


def test_an_export_whose_process_dies_gets_a_swedish_try_again_page(office):
    office.receive(1)
    browser = logged_in(office)
    answers = []
    request = threading.Thread(target=lambda: answers.append(
        browser.post("/sekreterare/underlag/uppfoljning", PERIOD)))
    request.start()
    [dying] = wait_for(lambda: export_processes([os.getpid()]), 20, "the export's process")
    os.kill(dying, signal.SIGKILL)  # as the OOM killer would
    request.join(30)
    [answer] = answers
    assert answer.status_code == 503
    assert "Underlaget kunde inte tas fram. Försök igen om en stund" in text(answer)
    assert english_words(text(answer)) == []


def has_the_database_open(pid: int) -> bool:
    """Whether the process has opened the database: past its start, its alarm set."""
    try:
        return any(os.readlink(fd).endswith(".sqlite3")
                   for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def test_an_export_left_alone_by_a_dead_web_worker_ends_itself_after_its_limit(office,
                                                                               tmp_path):
    """Nobody waits for this export (its web worker was killed): frozen once it is at work
    until past its limit and the margin, it ends by its own alarm as soon as it runs again."""
    for number in range(20):
        office.receive(number)
    env = {**os.environ, **page_environment(office.data_dir, tmp_path / "committee.toml"),
           "BESOKSRAPPORT_EXPORT_SECONDS": "1"}
    orphan = subprocess.Popen([sys.executable, "-m", "besoksrapport.cli.export_process",
                               "follow_up", "2026-01-01", "2026-12-31", str(tmp_path / "ut")],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    while orphan.poll() is None and not has_the_database_open(orphan.pid):
        time.sleep(0.001)
    os.kill(orphan.pid, signal.SIGSTOP)
    time.sleep(1 + MARGIN_SECONDS + 1)
    os.kill(orphan.pid, signal.SIGCONT)
    assert orphan.wait(30) == -signal.SIGALRM
    assert not list((tmp_path / "ut").glob("*.docx"))
