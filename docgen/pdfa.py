"""DOCX to tagged PDF/A-2b with LibreOffice, for publication and archiving.

LibreOffice's PDF export writes PDF/A-2b (fonts embedded, an sRGB output intent, XMP
metadata with the part and conformance) and, tagged, the structure tree and the document's
language (/Lang, from the style defaults: sv-SE); the title comes from the DOCX's core
properties (dc:title), which docgen sets for every document. One LibreOffice run converts
a whole filing's documents, with a private profile, so it never meets a user's own
LibreOffice or another conversion running at the same time.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from collections.abc import Sequence
from pathlib import Path

from besoksrapport.errors import TransportFailed

# writer_pdf_Export's options: PDF/A-2b, tagged, the document title in the window's title bar.
EXPORT_OPTIONS = {
    "SelectPdfVersion": {"type": "long", "value": "2"},
    "UseTaggedPDF": {"type": "boolean", "value": "true"},
    "DisplayPDFDocumentTitle": {"type": "boolean", "value": "true"},
}
FILTER = "pdf:writer_pdf_Export:" + json.dumps(EXPORT_OPTIONS, separators=(",", ":"))
TIMEOUT_SECONDS = 600  # a bundle of a few hundred pages takes a minute on two cores


def office_program() -> str | None:
    """LibreOffice's soffice, if installed."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def to_pdfa(docx_files: Sequence[Path], out_dir: Path) -> list[Path]:
    """Convert ``docx_files`` to ``out_dir/<stem>.pdf`` as PDF/A-2b; the PDFs, in order.

    A missing LibreOffice, a failed or hung conversion or a missing result raises
    ``TransportFailed``: a missing LibreOffice for good (a person must install it), the
    others temporarily (the outbox tries the filing again later).
    """
    program = office_program()
    if program is None:
        raise TransportFailed("LibreOffice (soffice) är inte installerat, så PDF/A-filerna "
                              "kan inte göras.", retryable=False)
    if not docx_files:
        return []
    out_dir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="besoksrapport-lo-") as profile:
        try:
            subprocess.run([program, f"-env:UserInstallation={Path(profile).as_uri()}",
                            "--headless", "--norestore", "--convert-to", FILTER,
                            "--outdir", str(out_dir), *(str(path) for path in docx_files)],
                           check=True, capture_output=True, timeout=TIMEOUT_SECONDS)
        except subprocess.TimeoutExpired:
            raise TransportFailed("LibreOffice blev inte klart med PDF/A-filerna i tid.",
                                  retryable=True) from None
        except subprocess.CalledProcessError as error:
            raise TransportFailed("LibreOffice kunde inte göra PDF/A-filerna (slutkod "
                                  f"{error.returncode}).", retryable=True) from None
    made = [out_dir / (path.stem + ".pdf") for path in docx_files]
    missing = [path for path in made if not path.is_file()]
    if missing:
        raise TransportFailed(f"LibreOffice gjorde inte {len(missing)} av PDF/A-filerna.",
                              retryable=True)
    return made
