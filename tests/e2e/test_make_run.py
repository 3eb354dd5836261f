"""``make run`` as a new user runs it: it says in Swedish where it listens, takes its
address from one place, and installs only what the service needs.

It runs in the checkout with the checkout's .venv (``make test`` made it, so nothing is
installed here); a fresh clone's install is the same Makefile rule, shown by ``make -n``.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import time
from pathlib import Path

import pytest
import requests
from ports import HeldPort

pytestmark = pytest.mark.e2e

ROOT = Path(__file__).resolve().parents[2]


def _environment(tmp_path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("BESOKSRAPPORT_") and key not in ("MAKEFLAGS", "MAKELEVEL")}
    return env | {"BESOKSRAPPORT_DATA_DIR": str(tmp_path / "var")}


@pytest.fixture(autouse=True)
def _venv():
    if not (ROOT / ".venv" / "bin" / "gunicorn").exists():
        pytest.skip("make run needs the checkout's .venv (make test makes it)")


def test_make_run_says_where_it_listens_once_it_does(tmp_path):
    held = HeldPort()  # seconds pass before gunicorn binds it: no other test may take it
    port = held.port
    process = subprocess.Popen(["make", "--no-print-directory", "run", f"PORT={port}"],
                               cwd=ROOT, env=_environment(tmp_path), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, start_new_session=True)
    try:
        deadline, lines = time.monotonic() + 120, []
        assert process.stdout is not None
        while time.monotonic() < deadline:
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if line.startswith("Besöksrapport tar emot på"):
                break
        assert lines[-1] == f"Besöksrapport tar emot på http://127.0.0.1:{port}", lines
        answer = requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10)
        assert answer.status_code == 200
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        if process.stdout is not None:
            process.stdout.close()
        held.release()


def test_a_busy_port_is_named_with_how_make_run_changes_it(tmp_path):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(["make", "--no-print-directory", "run", f"PORT={port}"],
                                cwd=ROOT, env=_environment(tmp_path), capture_output=True,
                                text=True, timeout=120)
    assert result.returncode != 0
    [line] = [line for line in result.stderr.splitlines() if line.startswith("besoksrapport:")]
    assert f"det går inte att lyssna på 127.0.0.1:{port}" in line
    assert "BESOKSRAPPORT_BIND" in line and "make run PORT=8001" in line
    assert "Traceback" not in result.stderr


def test_make_run_installs_the_service_without_the_test_tools(tmp_path):
    recipe = subprocess.run(["make", "--no-print-directory", "-n", "-W", "pyproject.toml",
                             ".venv/.runtime-stamp"], cwd=ROOT, env=_environment(tmp_path),
                            capture_output=True, text=True, timeout=60).stdout
    assert "pip install" in recipe and " -e ." in recipe
    assert "[test]" not in recipe
    run = subprocess.run(["make", "--no-print-directory", "-n", "run"], cwd=ROOT,
                         env=_environment(tmp_path), capture_output=True, text=True,
                         timeout=60).stdout
    assert "--bind" not in run  # the address comes from BESOKSRAPPORT_BIND alone
