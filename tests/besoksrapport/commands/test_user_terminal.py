"""``user add`` asked on a terminal: Ctrl-D, Ctrl-C and a missing terminal end in one Swedish
line, never a traceback or getpass's «Warning: Password input may be echoed».

The command runs as its own process, on a real pseudo-terminal (Python's pty) where one is
needed, with the data folder in a temporary directory.
"""

from __future__ import annotations

import os
import pty
import select
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]


def _env(tmp_path) -> dict[str, str]:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith("BESOKSRAPPORT_")}
    return env | {"BESOKSRAPPORT_DATA_DIR": str(tmp_path / "data"),
                  "BESOKSRAPPORT_CONFIG": str(ROOT / "examples" / "committee.toml")}


def _on_terminal(tmp_path, keys: bytes) -> tuple[int, str]:
    """Run ``user add anna.berg`` on a pseudo-terminal, type ``keys`` at the first prompt."""
    pid, fd = pty.fork()
    if pid == 0:  # the child: the command, on the terminal
        os.chdir(ROOT)
        os.execve(sys.executable, [sys.executable, "-m", "besoksrapport.cli", "user", "add",  # noqa: S606
                                   "anna.berg"], _env(tmp_path))
    output, typed, deadline = b"", False, time.monotonic() + 60
    while time.monotonic() < deadline:
        ready, _, _ = select.select([fd], [], [], 1)
        if not ready:
            continue
        try:
            chunk = os.read(fd, 1024)
        except OSError:  # the command ended and closed the terminal
            break
        if not chunk:
            break
        output += chunk
        if not typed and b"L\xc3\xb6senord: " in output:
            os.write(fd, keys)
            typed = True
    _, status = os.waitpid(pid, 0)
    os.close(fd)
    return os.waitstatus_to_exitcode(status), output.decode("utf-8", "replace")


@pytest.mark.parametrize("keys", [b"\x04", b"\x03"], ids=["ctrl-d", "ctrl-c"])
def test_stopping_at_the_password_prompt_ends_in_one_swedish_line(tmp_path, keys):
    code, output = _on_terminal(tmp_path, keys)
    assert code == 2
    lines = [line for line in output.replace("\r", "").splitlines() if line.strip()]
    assert lines[-1] == "besoksrapport: avbrutet; inget ändrades."
    assert "Traceback" not in output and "Warning" not in output


def test_without_a_terminal_it_asks_for_password_stdin_in_one_swedish_line(tmp_path):
    result = subprocess.run([sys.executable, "-m", "besoksrapport.cli", "user", "add",
                             "anna.berg"], cwd=ROOT, env=_env(tmp_path),
                            stdin=subprocess.DEVNULL, capture_output=True, text=True,
                            timeout=60, start_new_session=True)
    assert result.returncode == 2
    assert result.stderr == ("besoksrapport: det finns ingen terminal att fråga efter "
                             "lösenordet i; ange det på standard in med --password-stdin. "
                             "Inget ändrades.\n")
    assert result.stdout == ""
