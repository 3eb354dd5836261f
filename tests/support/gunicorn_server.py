"""A real gunicorn serving the webhook on 127.0.0.1, for the end-to-end tests and the bench."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import requests
from ports import free_port

ROOT = Path(__file__).resolve().parents[2]


class GunicornServer:
    """Starts ``gunicorn --config python:webhook.gunicorn_conf APP`` in its own process group.

    By default with this interpreter, in the checkout, with ``env`` added to this process's
    environment. ``python`` and ``cwd`` run another installation (the wheel test's virtual
    environment); with ``inherit=False``, ``env`` is the whole environment.
    """

    def __init__(self, env: dict[str, str], app: str = "webhook:create_app()",
                 log_path: Path | None = None, *, python: str = sys.executable,
                 cwd: Path = ROOT, inherit: bool = True):
        self.env = {**os.environ, **env} if inherit else dict(env)
        self.app = app
        self.python, self.cwd = python, cwd
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log_path = log_path
        self.process: subprocess.Popen | None = None

    def command(self, bind: str | None = None) -> list[str]:
        """The gunicorn command line, bound to ``bind`` (default: this server's port)."""
        return [self.python, "-m", "gunicorn", "--config", "python:webhook.gunicorn_conf",
                "--bind", bind or f"127.0.0.1:{self.port}", self.app]

    def start(self, timeout: float = 30) -> GunicornServer:
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
                if requests.get(self.url + "/healthz", timeout=1).status_code == 200:
                    return self
            except (requests.ConnectionError, requests.Timeout):  # not up yet, or a busy host
                pass
            time.sleep(0.1)
        self.stop()
        raise RuntimeError("gunicorn did not answer /healthz in time")

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
