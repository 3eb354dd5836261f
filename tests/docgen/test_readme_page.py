"""The README's picture of a report is made from a real render by scripts/readme-page."""

from __future__ import annotations

import os
import shutil
import struct
import subprocess
import sys
from pathlib import Path

import pytest
from libreoffice import require_office

pytestmark = pytest.mark.libreoffice

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "docs" / "report-page.png"


def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def test_the_script_draws_page_one_as_the_committed_picture_shows_it(tmp_path):
    require_office()
    if shutil.which("pdftoppm") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("pdftoppm is required in CI")
        pytest.skip("pdftoppm is not installed (Debian: poppler-utils)")
    out = tmp_path / "page.png"
    subprocess.run([sys.executable, str(ROOT / "scripts" / "readme-page"), str(out)],
                   check=True, capture_output=True, timeout=240)
    # An A4 page at the script's resolution, like the picture in docs/.
    assert png_size(out.read_bytes()) == png_size(PAGE.read_bytes())
    width, height = png_size(PAGE.read_bytes())
    assert round(height / width, 2) == round(297 / 210, 2)


def test_the_readme_shows_the_picture():
    assert "](docs/report-page.png)" in (ROOT / "README.md").read_text(encoding="utf-8")
