"""docgen's DOCX documents as the service's ``Renderers`` (entry point ``docx``).

One template, loaded and repaired once, serves every document; its digest and the layout's
version are the key that makes filing re-render what was filed with another template or an
earlier layout (when that meeting is next filed).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from datetime import date
from pathlib import Path

from besoksrapport.committee.model import Committee
from besoksrapport.filing.entries import ListedReport
from besoksrapport.guideline.followup import FollowUp
from besoksrapport.report import Report

from .bundle_process import render_bundle_apart
from .listing import render_listing
from .memory import release_memory
from .pdfa import to_pdfa
from .report import render_report
from .template import Template

# Raised whenever the same report renders differently: 2 is the layout of a municipal
# document (header blocks, no declarations, no file names in the Förteckning); 3 writes the
# guideline's date as the header's other dates, «Typ av besök», «Komvux – Komvux, …».
LAYOUT_VERSION = "3"


class DocxRenderers:
    """Every public document as reproducible, accessible DOCX from one template.

    A bundle of ``bundle_apart_from`` reports or more is built in a child process
    (``bundle_process``): the worker's memory does not keep what a big bundle took. A
    smaller one is built here, at no process start's cost, and its memory given back.
    """

    bundle_apart_from = 20

    def __init__(self, template_path: Path | str | None = None, *,
                 template: Template | None = None) -> None:
        self.template = template if template is not None else Template.load(template_path)
        self._key = hashlib.sha256(LAYOUT_VERSION.encode() + b"\0"
                                   + self.template.data).hexdigest()

    @property
    def key(self) -> str:
        return self._key

    def report(self, report: Report, committee: Committee) -> bytes:
        return render_report(report, committee, template=self.template)

    def listing(self, meeting_date: date, committee: Committee,
                entries: Sequence[ListedReport], *, diary_number: str | None = None) -> bytes:
        return render_listing(meeting_date, committee, entries, template=self.template,
                              diary_number=diary_number)

    def bundle(self, meeting_date: date, committee: Committee, entries: Sequence[ListedReport],
               load: Callable[[ListedReport], bytes], *,
               diary_number: str | None = None) -> bytes:
        try:
            if len(entries) >= self.bundle_apart_from:
                return render_bundle_apart(meeting_date, committee, entries, load,
                                           template=self.template, diary_number=diary_number)
            from .bundle import render_bundle  # docxcompose only when a bundle is built

            return render_bundle(meeting_date, committee, entries, load,
                                 template=self.template, diary_number=diary_number)
        finally:
            # The meeting's XML held until now (or, built apart, each report's bytes read
            # in turn); and what else the worker freed since the last bundle.
            release_memory()

    def follow_up(self, numbers: FollowUp, committee: Committee) -> bytes:
        from .followup import render_followup

        return render_followup(numbers, committee, template=self.template)

    def to_pdfa(self, docx_files: Sequence[Path], out_dir: Path) -> list[Path]:
        """The documents as tagged PDF/A-2b (``filing.pdf.PdfConverter``), by LibreOffice."""
        return to_pdfa(docx_files, out_dir)
