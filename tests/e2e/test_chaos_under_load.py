"""Chaos under load (issue 18): a steady stream of signed deliveries, each sent again under
its webhook-id as the platform does until it is answered 2xx, while together: web workers
and the outbox process are killed with SIGKILL again and again, the master is killed once
and the service started again, the data folder is made read-only for a few seconds (with a
web worker and the outbox process replaced meanwhile), and a filing is crashed mid-way and
a report of that meeting moved to another with ``besoksrapport move``.

With everything back: 0 lost (every submission ends up stored, and each 2xx answer's report
exists once), 0 duplicated (one report per submission_id, one DOCX per report), 0 stale
(every DOCX/PDF in a meeting folder belongs to a report of that meeting or is its
Förteckning or bundle, and index.json lists exactly that), and /readyz answered 200 within
seconds of each fault ending (the recovery times are printed).

When the tests run as root, the service runs without the right to override file
permissions (``AS_SERVICE``), as a service's own user would: for root a read-only folder
blocks no write. ``make test`` runs one round (about 30-60 s);
``make chaos`` runs BESOKSRAPPORT_CHAOS_ROUNDS=8.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import os
import random
import re
import shutil
import signal
import sqlite3
import stat
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import requests
from flow import database, visit_envelope, wait_for
from gunicorn_server import AS_SERVICE, GunicornServer
from webhook_helpers import PATH, body_of, committee_config, environment, signed_headers

pytestmark = pytest.mark.e2e

ROUNDS = int(os.environ.get("BESOKSRAPPORT_CHAOS_ROUNDS", "1"))
RECOVERY_LIMIT = 10.0  # seconds from a fault's end to /readyz 200 three times running
READ_ONLY_SECONDS = 4.0
FULL_SECONDS = 4.0
# A full disk needs a file system of its own: a 128 MB tmpfs as the data folder, when this
# process may mount one (root with CAP_SYS_ADMIN); /readyz says not ready below 8 MB free.
DISK_MB, MIN_FREE_MB = 128, 8
# Three platform connections, each sending a submission a second: about 3 a second, what
# the outbox files on a busy 2-core machine, so the backlog stays flat through the run.
SENDERS = 3
WORKERS = 2  # gunicorn's web workers (webhook/gunicorn_conf.py)
PAUSE_SECONDS = 1.0
REPORT_ID = re.compile(r"BR-\d{4}-[0-9A-Z]{6}")


class Platform:
    """The platform's side: each submission goes out under one webhook-id until an answer is
    2xx; a broken connection or any other answer is sent again a moment later."""

    def __init__(self, url: str):
        self.url = url
        self.lock = threading.Lock()
        self.sent: list[str] = []  # submission ids, in the order they were first sent
        self.report_of: dict[str, str] = {}  # submission id → report id of its 2xx answer
        self.answers: Counter = Counter()  # status code, or "broken", → how many
        self.unanswered: list[str] = []
        self.stopping = threading.Event()
        self.numbers = itertools.count()

    def deliver(self, number: int) -> None:
        envelope = visit_envelope(number)
        submission = envelope["data"]["submission_id"]
        body, webhook_id = body_of(envelope), f"msg_{uuid.uuid4().hex}"
        with self.lock:
            self.sent.append(submission)
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline:
            outcome: int | str
            try:
                answer = requests.post(self.url + PATH, data=body, timeout=15,
                                       headers=signed_headers(body, webhook_id=webhook_id))
                outcome = answer.status_code
                if 200 <= outcome < 300:
                    report_id = answer.json()["report_id"]
            except requests.RequestException:  # reset, refused, cut off mid-answer
                outcome = "broken"
            with self.lock:
                self.answers[outcome] += 1
                if isinstance(outcome, int) and 200 <= outcome < 300:
                    self.report_of[submission] = report_id
                    return
            time.sleep(0.3)
        with self.lock:
            self.unanswered.append(submission)

    def stream(self) -> None:
        while not self.stopping.is_set():
            self.deliver(next(self.numbers))
            self.stopping.wait(PAUSE_SECONDS)


def ready_after(url: str, since: float) -> float:
    """Seconds from ``since`` until /readyz answered 200 three times running (each on a new
    connection, so the kernel spreads them over the workers); inf if not within 60 s."""
    running, first = 0, 0.0
    while time.monotonic() < since + 60:
        asked = time.monotonic()
        try:
            ready = requests.get(url + "/readyz", timeout=2).status_code == 200
        except requests.RequestException:
            ready = False
        running = running + 1 if ready else 0
        if running == 1:
            first = asked
        if running == 3:
            return max(0.0, first - since)
        time.sleep(0.05)
    return float("inf")


def holds_a_filing_lock(pid: int) -> bool:
    """Whether the process has a meeting's filing lock open: it is filing that meeting."""
    try:
        return any("/.filing/" in os.readlink(fd) for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:
        return False


def kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)


class Chaos:
    """The faults, one after another, while the platform keeps delivering."""

    def __init__(self, server: GunicornServer, data: Path, meetings: list, platform: Platform):
        self.server, self.data, self.meetings, self.platform = server, data, meetings, platform
        self.recoveries: list[tuple[str, float]] = []
        self.replaced: list[tuple[str, float]] = []  # a killed process's successor running
        self.killed: Counter = Counter()
        self.moved: dict[str, str] = {}  # report id → the meeting it was moved to
        self.crashed_mid_filing = 0
        self.old_masters: list[int] = []
        self.fullness: list[int] = []  # bytes left free while the disk was full
        self.during: dict[str, list[int]] = {}  # /readyz's answers while a fault lasted

    def not_ready_during(self, fault: str) -> None:
        """Ask /readyz a few times while the fault lasts: it should say not ready."""
        answers = []
        for _ in range(4):
            with contextlib.suppress(requests.RequestException):
                answers.append(requests.get(self.server.url + "/readyz", timeout=2).status_code)
        self.during.setdefault(fault, []).extend(answers)

    def recovered(self, fault: str, since: float) -> None:
        self.recoveries.append((fault, ready_after(self.server.url, since)))

    def replaced_after(self, what: str, since: float, gone: set[int]) -> None:
        """Wait for the master to have started a successor of the killed ``gone``."""
        pids = self.server.outbox_pids if what == "outbox process" else self.server.worker_pids
        wanted = 1 if what == "outbox process" else WORKERS
        wait_for(lambda: len(set(pids()) - gone) == wanted, 60, f"a new {what}")
        self.replaced.append((what, time.monotonic() - since))

    def kill_web_workers(self) -> None:
        for _ in range(2):
            victim = random.choice(wait_for(self.server.worker_pids, 30, "web workers"))
            kill(victim)
            self.killed["web worker"] += 1
            since = time.monotonic()
            self.recovered("web worker killed", since)
            self.replaced_after("web worker", since, {victim})
            time.sleep(0.5)

    def crash_filing_then_move(self) -> None:
        """Kill the outbox process while it files the first meeting, then move that
        meeting's newest report (the crashed filing may have just written it) away."""
        crashed = False
        killed: set[int] = set()
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline and not crashed:
            for pid in self.server.outbox_pids():
                if holds_a_filing_lock(pid):
                    kill(pid)
                    killed.add(pid)
                    crashed = True
            time.sleep(0.002)
        if not crashed:  # no filing caught in 20 s: kill it anyway
            killed = set(self.server.outbox_pids())
            for pid in killed:
                kill(pid)
        self.crashed_mid_filing += crashed
        self.killed["outbox process"] += 1
        since = time.monotonic()
        self.recovered("outbox killed mid-filing", since)
        self.replaced_after("outbox process", since, killed)
        folder = self.data / "meetings" / str(self.meetings[0])
        documents = sorted((p for p in folder.glob("* BR-*.docx")
                            if REPORT_ID.search(p.name)[0] not in self.moved),
                           key=lambda p: p.stat().st_mtime)
        assert documents, "nothing filed yet to move"
        report_id = REPORT_ID.search(documents[-1].name)[0]
        to = str(self.meetings[1 + len(self.moved) % 2])
        moved = subprocess.run(
            [*AS_SERVICE, sys.executable, "-m", "besoksrapport.cli.main", "move", report_id,
             "--to", to], env=self.server.env, capture_output=True, text=True, timeout=300)
        assert moved.returncode == 0, moved.stderr
        self.moved[report_id] = to

    def read_only_folder(self) -> None:
        """Every folder and file of the data folder without write permission for a few
        seconds; a web worker and the outbox process die meanwhile, and their
        replacements start on the read-only folder."""
        modes = {}
        for root, folders, files in os.walk(self.data):
            for name in [*folders, *files]:
                path = os.path.join(root, name)
                with contextlib.suppress(FileNotFoundError):
                    modes[path] = stat.S_IMODE(os.lstat(path).st_mode)
        modes[str(self.data)] = stat.S_IMODE(self.data.stat().st_mode)
        for path, mode in modes.items():
            with contextlib.suppress(FileNotFoundError):
                os.chmod(path, mode & ~0o222)
        self.kill_during_fault(READ_ONLY_SECONDS)
        self.not_ready_during("data folder read-only")
        for path, mode in modes.items():
            with contextlib.suppress(FileNotFoundError):
                os.chmod(path, mode)
        self.recovered("data folder read-only", time.monotonic())

    def kill_during_fault(self, lasting: float) -> None:
        """A web worker and the outbox process die a second into a fault of ``lasting``
        seconds, so that their replacements start while it lasts."""
        time.sleep(1)
        kill(random.choice(wait_for(self.server.worker_pids, 30, "web workers")))
        for pid in self.server.outbox_pids():
            kill(pid)
        self.killed["web worker"] += 1
        self.killed["outbox process"] += 1
        time.sleep(lasting - 2)

    def full_disk(self) -> None:
        """Fill the data folder's file system to the last byte for a few seconds; a web
        worker and the outbox process die meanwhile and start again on the full disk."""
        filler = self.data / ".filler"
        fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
        try:
            for size in (1 << 20, 4096, 1):
                with contextlib.suppress(OSError):  # ENOSPC: on to smaller pieces
                    while True:
                        os.write(fd, b"\0" * size)
        finally:
            os.close(fd)
        self.fullness.append(shutil.disk_usage(self.data).free)
        self.kill_during_fault(FULL_SECONDS)
        self.not_ready_during("data folder full")
        filler.unlink()
        self.recovered("data folder full", time.monotonic())

    def kill_master(self) -> None:
        """The master alone, as an OOM kill would; then the service is started again."""
        assert self.server.process is not None
        master = self.server.process.pid
        kill(master)
        self.server.process.wait(10)
        self.old_masters.append(master)
        self.killed["master"] += 1
        since = time.monotonic()
        self.server = self.server.restarted()
        self.recovered("master killed, service started again", since)

    def run(self, rounds: int) -> None:
        for number in range(rounds):
            self.kill_web_workers()
            time.sleep(1)
            self.crash_filing_then_move()
            time.sleep(1)
            self.read_only_folder()
            time.sleep(1)
            if self.data.is_mount():
                self.full_disk()
                time.sleep(1)
            if number == rounds // 2:
                self.kill_master()
                time.sleep(1)


def mounted_small_disk(folder: Path) -> bool:
    """A ``DISK_MB`` tmpfs at ``folder``, if this process may mount one."""
    folder.mkdir()
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    return subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={DISK_MB}m,mode=0755",
                           "besoksrapport-chaos", str(folder)], capture_output=True,
                          check=False).returncode == 0


@pytest.fixture
def service(tmp_path):
    """The service on a data folder of its own (a small disk of its own when possible),
    with three meetings ahead."""
    data = tmp_path / "data"
    mounted = mounted_small_disk(data)
    today = datetime.now(UTC).date()
    meetings = [today + timedelta(days=n) for n in (20, 50, 80)]
    config = committee_config(tmp_path / "committee.toml", meetings)
    env = environment(data, BESOKSRAPPORT_CONFIG=str(config),
                      BESOKSRAPPORT_MIN_FREE_MB=str(MIN_FREE_MB))
    server = GunicornServer(env, log_path=tmp_path / "gunicorn.log", prefix=AS_SERVICE)
    servers = []
    try:
        servers.append(server.start(timeout=60))
        yield servers, data, meetings
    finally:
        for running in servers:
            running.stop()
        if mounted:
            subprocess.run(["umount", "--lazy", str(data)], check=False)


def read(data: Path, statement: str, params: tuple = ()) -> list[sqlite3.Row]:
    """A read-only connection: it takes no write lock from the service."""
    connection = sqlite3.connect(f"file:{data / 'besoksrapport.sqlite3'}?mode=ro", uri=True,
                                 timeout=30)
    connection.row_factory = sqlite3.Row
    try:
        return connection.execute(statement, params).fetchall()
    finally:
        connection.close()


def settled(data: Path) -> bool:
    """No job left to do; a job waiting out its backoff from a fault is made due now, as
    if that time had passed."""
    if not read(data, "SELECT id FROM jobs WHERE state = 'pending'"):
        return True
    connection = database(data)
    try:
        connection.execute("UPDATE jobs SET not_before = ? WHERE state = 'pending' "
                           "AND not_before > ?", (time.time(), time.time() + 2))
    finally:
        connection.close()
    return False


def test_chaos_under_load_loses_nothing_duplicates_nothing_leaves_nothing_stale(service):
    servers, data, meetings = service
    platform = Platform(servers[0].url)
    senders = [threading.Thread(target=platform.stream, daemon=True) for _ in range(SENDERS)]
    for sender in senders:
        sender.start()
    wait_for(lambda: len(platform.report_of) >= 10, 60, "the first answers")
    chaos = Chaos(servers[0], data, meetings, platform)
    started = time.monotonic()
    try:
        chaos.run(ROUNDS)
    finally:
        servers.append(chaos.server)
        platform.stopping.set()
        for sender in senders:
            sender.join(300)
        for master in chaos.old_masters:  # orphans of a killed master, if any are left
            with contextlib.suppress(ProcessLookupError):
                os.killpg(master, signal.SIGKILL)
    faults_seconds = time.monotonic() - started
    wait_for(lambda: settled(data), 300, "the outbox to finish")
    failed = read(data, "SELECT kind, last_error FROM jobs WHERE state = 'failed'")
    chaos.server.stop()

    sent, answered = platform.sent, platform.report_of
    reports = read(data, "SELECT report_id, submission_id, meeting_date FROM reports")
    per_submission = Counter(row["submission_id"] for row in reports)
    meeting_of = {row["report_id"]: row["meeting_date"] for row in reports}
    documents: dict[str, list[str]] = {}  # report id → the meetings whose folder has its DOCX
    stale, unlisted, leftovers = [], [], []
    for folder in sorted((data / "meetings").iterdir()):
        index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
        listed = {item["fileName"]: item for item in index["auxiliaryFile"]}
        for path in folder.iterdir():
            if path.name.startswith(".tmp-"):
                leftovers.append(path.name)
            if path.suffix not in (".docx", ".pdf"):
                continue
            if path.name not in listed:
                unlisted.append(f"{folder.name}/{path.name}")
            found = REPORT_ID.search(path.name)
            if found and path.suffix == ".docx":
                documents.setdefault(found[0], []).append(folder.name)
            if found and meeting_of.get(found[0]) != folder.name:
                stale.append(f"{folder.name}/{path.name}")
        missing = [name for name in listed if not (folder / name).is_file()]
        assert missing == [], f"index.json of {folder.name} lists files not there: {missing}"
        listed_reports = {item.get("besoksrapport:reportId") for item in listed.values()} - {None}
        assert listed_reports == {r for r, day in meeting_of.items() if day == folder.name}

    print(f"\nChaos under load: {ROUNDS} round(s), {faults_seconds:.0f} s of faults, "
          f"{len(sent)} submissions, answers {dict(sorted(platform.answers.items(), key=str))}")
    print(f"  killed: {dict(chaos.killed)}; filings crashed mid-way: "
          f"{chaos.crashed_mid_filing}; reports moved: {len(chaos.moved)}; disk filled: "
          + (f"{len(chaos.fullness)} times, to {max(chaos.fullness)} bytes free"
             if chaos.fullness else "no (no file system of its own could be mounted here)"))
    print(f"  lost {len(set(sent) - set(per_submission))}, "
          f"duplicated {sum(n - 1 for n in per_submission.values())}, "
          f"stale {len(stale) + len(unlisted) + len(leftovers)}, failed jobs {len(failed)}")
    for fault, seconds in chaos.recoveries:
        print(f"  /readyz 200 {seconds:5.2f} s after: {fault}")
    for what, seconds in chaos.replaced:
        print(f"  a killed {what} replaced in {seconds:5.2f} s")
    for fault, answers in chaos.during.items():
        print(f"  /readyz while the {fault} lasted: {dict(Counter(answers))}")

    assert platform.unanswered == []
    assert set(platform.answers) <= {200, 201, 503, "broken"}  # never a 500
    assert platform.answers[503] > 0  # the read-only folder did refuse deliveries
    assert [dict(row) for row in failed] == []
    # 0 lost: every submission is stored, as the report its 2xx answer named.
    assert set(answered) == set(sent)
    assert all(per_submission[s] == 1 for s in sent)
    assert {row["submission_id"]: row["report_id"] for row in reports} == answered
    # 0 duplicated: one report per submission, one DOCX per report, in its meeting.
    assert len(reports) == len(sent)
    assert {r: days for r, days in documents.items() if len(days) != 1} == {}
    assert {r for r, days in documents.items()} == set(meeting_of)
    for report_id, to in chaos.moved.items():
        assert documents[report_id] == [to]
    # 0 stale: nothing in a folder that is not its meeting's, nothing half-written.
    assert (stale, unlisted, leftovers) == ([], [], [])
    assert chaos.crashed_mid_filing >= 1
    for fault, answers in chaos.during.items():  # readiness saw each fault
        assert 503 in answers, (fault, answers)
    slow = [(fault, seconds) for fault, seconds in chaos.recoveries + chaos.replaced
            if seconds > RECOVERY_LIMIT]
    assert slow == []
