"""A real gunicorn serving the webhook on 127.0.0.1, for the end-to-end tests and the bench."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from ports import HeldPort

ROOT = Path(__file__).resolve().parents[2]
# A process that, run by root, still meets file permissions (no CAP_DAC_OVERRIDE): for root
# a folder made read-only blocks no write, for a service's own user it does. setpriv is in
# util-linux, which every Debian has.
AS_SERVICE: tuple[str, ...] = (
    ("setpriv", "--bounding-set=-dac_override,-dac_read_search", "--")
    if os.geteuid() == 0 else ())


class GunicornServer:
    """Starts ``gunicorn --config python:webhook.gunicorn_conf APP`` in its own process group.

    By default with this interpreter, in the checkout, with ``env`` added to this process's
    environment. ``python`` and ``cwd`` run another installation (the wheel test's virtual
    environment); with ``inherit=False``, ``env`` is the whole environment. ``prefix`` goes
    before the command (``AS_SERVICE``: root without the right to override file permissions,
    as a service's own user would be).

    Its port is held for it (``ports.HeldPort``) until ``stop``: while gunicorn starts, and
    after a kill until a ``successor`` binds it again, no other test's server takes it.
    """

    def __init__(self, env: dict[str, str], app: str = "webhook:create_app()",
                 log_path: Path | None = None, *, python: str = sys.executable,
                 cwd: Path = ROOT, inherit: bool = True, prefix: tuple[str, ...] = (),
                 held: HeldPort | None = None):
        self.env = {**os.environ, **env} if inherit else dict(env)
        self.app = app
        self.python, self.cwd = python, cwd
        self.prefix = prefix
        self.held = held or HeldPort()
        self.port = self.held.port
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def command(self, bind: str | None = None) -> list[str]:
        """The gunicorn command line, bound to ``bind`` (default: this server's port)."""
        return [*self.prefix, self.python, "-m", "gunicorn", "--config",
                "python:webhook.gunicorn_conf", "--bind", bind or f"127.0.0.1:{self.port}",
                self.app]

    def start(self, timeout: float = 60) -> GunicornServer:
        log = open(self.log_path, "ab") if self.log_path else subprocess.DEVNULL  # noqa: SIM115
        self.process = subprocess.Popen(
            self.command(),
            cwd=self.cwd, env=self.env, stdout=log, stderr=log, start_new_session=True)
        if self.log_path:
            log.close()  # the child has its own copy
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"gunicorn exited with {self.process.returncode}")
            try:
                # Up once every web worker listens, not only the first to boot: a test that
                # counts on both (their metrics files, a kill of one) met a loaded machine
                # where the second was still loading the app.
                if (requests.get(self.url + "/healthz", timeout=1).status_code == 200
                        and len(self.listening_workers()) >= self.workers):
                    return self
            except (requests.ConnectionError, requests.Timeout):  # not up yet, or a busy machine
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz with every worker in time")

    @property
    def workers(self) -> int:
        """How many web workers gunicorn starts (``webhook/gunicorn_conf.py``)."""
        return int(self.env.get("BESOKSRAPPORT_WORKERS") or 2)

    def listening_workers(self) -> list[int]:
        """The web workers that listen on the port: booted, taking connections (each has a
        socket of its own with SO_REUSEPORT, or the master's, inherited)."""
        local = f"0100007F:{self.port:04X}"
        rows = [line.split() for line in Path("/proc/net/tcp").read_text().splitlines()[1:]]
        sockets = {f"socket:[{row[9]}]" for row in rows if row[1] == local and row[3] == "0A"}
        return [pid for pid in self.worker_pids() if _has_any(pid, sockets)]

    def successor(self, log_path: Path | None = None) -> GunicornServer:
        """A new service on this one's port (still held) and settings, not started yet."""
        return GunicornServer(self.env, self.app, log_path or self.log_path,
                              python=self.python, cwd=self.cwd, inherit=False,
                              prefix=self.prefix, held=self.held)

    def restarted(self, timeout: float = 60) -> GunicornServer:
        """A new service on this one's port and settings, started (after a master was killed,
        as an operator or systemd would start it again)."""
        return self.successor().start(timeout)

    def outbox_pids(self) -> list[int]:
        """The ``besoksrapport worker`` process(es) the master started."""
        assert self.process is not None
        return outbox_processes(self.process.pid)

    def worker_pids(self) -> list[int]:
        """The web workers: the master's children other than the outbox process."""
        assert self.process is not None
        pid = self.process.pid
        try:
            children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
        except OSError:  # the master is gone
            return []
        outbox = set(self.outbox_pids())
        return [int(child) for child in children if int(child) not in outbox]

    def _signal(self, sig: int) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, sig)

    def kill(self) -> None:
        """Die at once, master and workers, as in a power cut or an OOM kill."""
        self._signal(signal.SIGKILL)
        if self.process is not None:
            self.process.wait(10)

    def stop(self) -> None:
        self._signal(signal.SIGTERM)
        if self.process is not None:
            try:
                self.process.wait(15)
            except subprocess.TimeoutExpired:
                self.kill()
        self.held.release()


def outbox_processes(master: int) -> list[int]:
    """The ``besoksrapport worker`` processes this master started (from /proc)."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            parent = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
        except (OSError, IndexError, ValueError):
            continue
        if parent == master and b"besoksrapport.cli.main" in argv and b"worker" in argv:
            found.append(int(entry.name))
    return found


def _has_any(pid: int, links: set[str]) -> bool:
    """Whether process ``pid`` has a file descriptor pointing at one of ``links``."""
    try:
        return any(os.readlink(fd) in links for fd in Path(f"/proc/{pid}/fd").iterdir())
    except OSError:  # gone meanwhile, or not ours to read
        return False
