"""One DOCX with the Förteckning and every report of a meeting, for reading in one go.

docxcompose appends each report once to the Förteckning, after a page break. Its Composer
renumbers bookmarks and drawing ids by scanning the *whole* growing document after every
append, which makes a meeting of n reports cost O(n²); ``_LinearComposer`` defers that
renumbering to a single pass at the end, so bundling stays linear in the number of reports.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docxcompose.composer import Composer

from besoksrapport.committee import Committee
from besoksrapport.swedish import long_date

from .listing import ListedReport, build_listing, listing_order
from .reproducible import save_docx
from .template import Template

BUNDLE_TITLE = "Samtliga återrapporter"


class _LinearComposer(Composer):
    """Composer whose id renumbering runs once, in ``finish``, instead of after each append."""

    _deferred = True

    def renumber_bookmarks(self) -> None:
        if not self._deferred:
            super().renumber_bookmarks()

    def renumber_docpr_ids(self) -> None:
        if not self._deferred:
            super().renumber_docpr_ids()

    def renumber_nvpicpr_ids(self) -> None:
        if not self._deferred:
            super().renumber_nvpicpr_ids()

    def finish(self) -> None:
        self._deferred = False
        self.renumber_bookmarks()
        self.renumber_docpr_ids()
        self.renumber_nvpicpr_ids()


def _page_break(composer: Composer) -> None:
    composer.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def compose(master: DocumentObject, documents: Iterable[bytes]) -> bytes:
    """Append each DOCX in ``documents`` to ``master``, a page break before each."""
    composer = _LinearComposer(master)
    for data in documents:
        _page_break(composer)
        composer.append(Document(io.BytesIO(data)))
    composer.finish()
    return save_docx(composer.doc)


def render_bundle(meeting_date: date, committee: Committee, entries: Sequence[ListedReport],
                  load: Callable[[ListedReport], bytes], *,
                  template: Template | None = None) -> bytes:
    """The bundle as reproducible bytes: the Förteckning, then each report in its order.

    ``load`` gives a report's filed DOCX bytes (read from the meeting folder, or rendered);
    each is read once, when it is appended, so memory holds one report at a time.
    The core properties are the Förteckning's, retitled for the bundle.
    """
    ordered = listing_order(entries)
    master = build_listing(meeting_date, committee, ordered, template=template)
    master.core_properties.title = f"{BUNDLE_TITLE}, sammanträdet den {long_date(meeting_date)}"
    return compose(master, (load(entry) for entry in ordered))
