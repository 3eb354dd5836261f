"""``scripts/pip``, what ``make run`` and ``make test`` install with: uv fetched from PyPI
into the venv's bin, and pip where uv cannot be had.

What is installed is a small wheel built here (no dependencies, so nothing but uv itself
comes from an index); uv's wheel comes from the real PyPI, as on a new user's machine.
"""

from __future__ import annotations

import base64
import hashlib
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from ports import HeldPort

pytestmark = pytest.mark.packaging

ROOT = Path(__file__).resolve().parents[2]


def tiny_wheel(folder: Path) -> Path:
    """A wheel of one module, ``tiny_installed``, written as the wheel format says."""
    files = {
        "tiny_installed.py": b"ANSWER = 42\n",
        "tiny_installed-1.0.dist-info/METADATA":
            b"Metadata-Version: 2.1\nName: tiny-installed\nVersion: 1.0\n",
        "tiny_installed-1.0.dist-info/WHEEL":
            b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\nTag: py3-none-any\n",
    }
    record = [f"{name},sha256={_digest(data)},{len(data)}" for name, data in files.items()]
    record.append("tiny_installed-1.0.dist-info/RECORD,,")
    files["tiny_installed-1.0.dist-info/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = folder / "tiny_installed-1.0-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel


def _digest(data: bytes) -> str:
    return base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()


def install(venv: Path, wheel: Path, **env: str) -> subprocess.CompletedProcess[str]:
    environment = {key: value for key, value in os.environ.items()
                   if not key.startswith(("UV_", "VIRTUAL_ENV"))} | env
    return subprocess.run([sys.executable, ROOT / "scripts" / "pip", "install", "--venv",
                           str(venv), str(wheel)], capture_output=True, text=True,
                          timeout=600, check=False, env=environment)


def imports_the_wheel(venv: Path) -> str:
    return subprocess.run([venv / "bin" / "python", "-c",
                           "import tiny_installed; print(tiny_installed.ANSWER)"],
                          capture_output=True, text=True, check=True).stdout.strip()


def test_uv_fetched_from_pypi_into_the_venv_installs_and_the_venv_has_no_pip(tmp_path):
    venv = tmp_path / "venv"
    result = install(venv, tiny_wheel(tmp_path), UV_CACHE_DIR=str(tmp_path / "uv-cache"))
    assert result.returncode == 0, result.stderr
    assert "installing with pip" not in result.stderr
    assert (venv / "bin" / "uv").stat().st_mode & 0o111
    assert imports_the_wheel(venv) == "42"
    no_pip = subprocess.run([venv / "bin" / "python", "-m", "pip", "--version"],
                            capture_output=True, check=False)
    assert no_pip.returncode != 0  # uv installed it: pip's own install was never run


def test_without_a_way_to_pypi_pip_installs_the_same(tmp_path):
    venv = tmp_path / "venv"
    with HeldPort() as held:  # a proxy nobody listens on (nor may, meanwhile): no uv
        closed = f"http://127.0.0.1:{held.port}"
        result = install(venv, tiny_wheel(tmp_path), https_proxy=closed, HTTPS_PROXY=closed,
                         PIP_NO_INDEX="1")
    assert result.returncode == 0, result.stderr
    assert "could not be fetched from PyPI" in result.stderr
    assert "installing with pip" in result.stderr
    assert not (venv / "bin" / "uv").exists()
    assert imports_the_wheel(venv) == "42"
