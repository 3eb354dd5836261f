"""LibreOffice headless as the tests' office suite: convert a DOCX to PDF and read its text.

Shared by the document, filing, rules and end-to-end tests. Without ``soffice`` or
``pdftotext`` a test is skipped, except under CI=true, where the missing program is a failure.
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


def words(text: str) -> str:
    """``text`` with every run of whitespace as one space, for finding a phrase in a PDF's
    text: where LibreOffice wraps a line (a long title, a table cell) depends on the fonts,
    and ``-layout`` pads columns with spaces."""
    return " ".join(text.split())


def pdf_texts(docxs: list[Path], workdir: Path, *, layout: bool = True) -> dict[str, str]:
    """Convert ``docxs`` in one LibreOffice run (a private profile in ``workdir``, as starting
    the suite costs seconds); each PDF's text, by the document's file stem.

    The text keeps the PDF's line breaks and page breaks (``\f``); compare phrases in
    ``words(text)``."""
    soffice = require_office()
    out = workdir / "pdf"
    subprocess.run([soffice, f"-env:UserInstallation={(workdir / 'lo-profile').as_uri()}",
                    "--headless", "--convert-to", "pdf", "--outdir", str(out),
                    *(str(docx) for docx in docxs)],
                   check=True, capture_output=True, timeout=180)
    return {docx.stem: subprocess.run(
                ["pdftotext", *(["-layout"] if layout else []), "-enc", "UTF-8",
                 str(out / (docx.stem + ".pdf")), "-"],
                check=True, capture_output=True, text=True, timeout=60).stdout
            for docx in docxs}


def pdf_text(docx: Path, workdir: Path, *, layout: bool = True) -> str:
    """Convert ``docx`` with LibreOffice (a private profile in ``workdir``); the PDF's text
    (compare phrases in ``words(text)``)."""
    return pdf_texts([docx], workdir, layout=layout)[docx.stem]
