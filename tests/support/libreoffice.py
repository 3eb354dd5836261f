"""LibreOffice headless as the tests' office suite: convert a DOCX to PDF and read its text.

Shared by the filing and end-to-end tests. Without ``soffice`` or ``pdftotext`` a test is
skipped, except under CI=true, where the missing program is a failure.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest


def require_office() -> str:
    """The soffice program, or skip (fail in CI) naming what is missing."""
    found = shutil.which("soffice") or shutil.which("libreoffice")
    for program, path in (("LibreOffice (soffice)", found),
                          ("pdftotext", shutil.which("pdftotext"))):
        if path is None:
            if os.environ.get("CI") == "true":
                pytest.fail(f"{program} is required in CI")
            pytest.skip(f"{program} is not installed "
                        "(Debian: libreoffice-writer-nogui, poppler-utils)")
    return found


def pdf_text(docx: Path, workdir: Path, *, layout: bool = True) -> str:
    """Convert ``docx`` with LibreOffice (a private profile in ``workdir``); the PDF's text."""
    soffice = require_office()
    out = workdir / "pdf"
    subprocess.run([soffice, f"-env:UserInstallation={(workdir / 'lo-profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(out), str(docx)],
                   check=True, capture_output=True, timeout=180)
    pdf = out / (docx.stem + ".pdf")
    return subprocess.run(["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8",
                           str(pdf), "-"],
                          check=True, capture_output=True, text=True, timeout=60).stdout
