"""The PDF/A copies of a meeting's documents, for publication and archiving.

A municipality publishes its handlingar with the agenda as PDF and archives them in a
lasting format, so when ``BESOKSRAPPORT_PDF`` is on every filed DOCX (reports, Förteckning,
bundle) gets a tagged PDF/A-2b beside it, of the same name with «.pdf». The conversion is
the renderers' (docgen runs LibreOffice); filing only decides what needs converting: a PDF
is made again only when the DOCX it was made from changed (the manifest keeps that DOCX's
SHA-512). Converting takes seconds, so only the outbox's filing converts; a filing in the
web request path (the secretary's page) keeps the PDFs that are current and leaves the
others to the outbox.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Protocol

PDF_MIME = "application/pdf"
PDF = ".pdf"


class PdfConverter(Protocol):
    """Converts DOCX files to tagged PDF/A-2b (title and language from the document)."""

    def to_pdfa(self, docx_files: Sequence[Path], out_dir: Path) -> list[Path]:
        """Write ``out_dir/<stem>.pdf`` for each file, in one run; their paths, in order."""
        ...


def pdf_name(docx_name: str) -> str:
    """«2026-12-10 Förteckning över återrapporter.pdf» beside its «….docx»."""
    stem = docx_name[:-len(".docx")] if docx_name.endswith(".docx") else docx_name
    return stem + PDF


def pdf_kind(kind: str) -> str:
    """index.json's kind of a document's PDF: «report-pdf», «listing-pdf», «bundle-pdf»."""
    return f"{kind}-pdf"
