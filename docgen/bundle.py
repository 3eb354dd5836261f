"""One DOCX with the Förteckning and every report of a meeting, for reading in one go.

After the Förteckning comes «Innehåll»: each report with the page it starts on (a PAGEREF
field to a bookmark on the report's first paragraph, see ``contents``).

docxcompose appends each report once to the Förteckning, after a page break. Its Composer
does work proportional to the growing document on every append, which makes a meeting of
n reports cost O(n²); ``_LinearComposer`` removes those costs (see there), so bundling
stays linear in the number of reports.
"""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Sequence
from datetime import date

from docx import Document
from docx.document import Document as DocumentObject
from docx.enum.text import WD_BREAK
from docx.oxml.ns import qn
from docxcompose.composer import Composer

from besoksrapport.committee.model import Committee
from besoksrapport.filing.entries import ListedReport, listing_order
from besoksrapport.filing.titles import BUNDLE_TITLE
from besoksrapport.swedish import long_date

from .contents import add_bookmark, add_contents, report_bookmark
from .listing import build_listing
from .reproducible import save_docx
from .template import Template

_STYLE_REFS = tuple(qn(tag) for tag in ("w:pStyle", "w:rStyle", "w:tblStyle"))
_VAL = qn("w:val")
_SECT_PR = qn("w:sectPr")


class _LinearComposer(Composer):
    """docxcompose's Composer, made linear in the number of appended documents.

    Three costs grow with the document being built, and each is avoided without changing
    a byte of the result (a test compares with Composer as shipped):

    - Composer inserts every element at an index of the master's body, and lxml walks the
      body to find that index. Appended elements are therefore *parked* outside the body
      and put back in one pass by ``finish``, so the body stays as short as the Förteckning.
      A document with several sections needs the real body (section fix-ups count the
      sections), so the parked elements go back in first.
    - Bookmark and drawing ids are renumbered over the whole body after every append;
      here once, in ``finish``.
    - ``add_styles`` rebuilds the list of the master's styles through python-docx objects
      for every paragraph; it is skipped for elements whose styles need no work (the master
      has them under the same id and they carry no numbering), for which it does nothing.
    """

    def __init__(self, doc: DocumentObject) -> None:
        super().__init__(doc)
        self._deferred = True
        self._plain_styles: set[str] | None = None
        self._parked: list = []
        body = self.doc.element.body
        self._kept = len(body) - (1 if self._final_sect_pr() is not None else 0)

    def _final_sect_pr(self):
        body = self.doc.element.body
        return body[-1] if len(body) and body[-1].tag == _SECT_PR else None

    def _unpark(self) -> None:
        sect_pr, body = self._final_sect_pr(), self.doc.element.body
        for element in self._parked:
            if sect_pr is not None:
                sect_pr.addprevious(element)
            else:
                body.append(element)
        self._parked = []
        self._kept = len(body) - (1 if sect_pr is not None else 0)

    def add_document(self, doc: DocumentObject) -> None:
        """A page break, then ``doc``; its elements are parked until ``finish``."""
        if len(doc.sections) > 1:
            self._unpark()
        self.doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        self.append(doc)
        body = self.doc.element.body
        end = len(body) - (1 if self._final_sect_pr() is not None else 0)
        new = list(body)[self._kept:end]
        for element in new:
            body.remove(element)
        self._parked.extend(new)

    def finish(self) -> None:
        """Put the parked elements back and renumber ids once, as Composer does per append."""
        self._unpark()
        self._deferred = False
        self.renumber_bookmarks()
        self.renumber_docpr_ids()
        self.renumber_nvpicpr_ids()

    def insert(self, index, doc, remove_property_fields=True) -> None:
        self._plain_styles = None  # per appended document: its styles may differ
        super().insert(index, doc, remove_property_fields=remove_property_fields)

    def _plain(self, doc) -> set[str]:
        if self._plain_styles is None:
            ours = set(self.doc.styles.element.xpath("w:style/@w:styleId"))
            theirs = doc.styles.element.xpath("w:style[not(.//w:numId)]/@w:styleId")
            self._plain_styles = {style_id for style_id in theirs if style_id in ours
                                  and self.mapped_style_id(style_id) == style_id}
        return self._plain_styles

    def add_styles(self, doc, element) -> None:
        used = {node.get(_VAL) for node in element.iter(*_STYLE_REFS)}
        if self.preserve_styles or not used <= self._plain(doc):
            super().add_styles(doc, element)

    def renumber_bookmarks(self) -> None:
        if not self._deferred:
            super().renumber_bookmarks()

    def renumber_docpr_ids(self) -> None:
        if not self._deferred:
            super().renumber_docpr_ids()

    def renumber_nvpicpr_ids(self) -> None:
        if not self._deferred:
            super().renumber_nvpicpr_ids()


def compose(master: DocumentObject, documents: Iterable[bytes], *,
            bookmarks: Sequence[str] = ()) -> bytes:
    """Append each DOCX in ``documents`` to ``master``, a page break before each; the n-th
    document's first paragraph gets the n-th of ``bookmarks`` (the contents' page numbers
    refer to it)."""
    composer = _LinearComposer(master)
    names = iter(bookmarks)
    for number, data in enumerate(documents):
        doc = Document(io.BytesIO(data))
        name = next(names, None)
        if name is not None:
            add_bookmark(doc.element.body, name, number)
        composer.add_document(doc)
    composer.finish()
    return save_docx(composer.doc)


def render_bundle(meeting_date: date, committee: Committee, entries: Sequence[ListedReport],
                  load: Callable[[ListedReport], bytes], *,
                  template: Template | None = None, diary_number: str | None = None) -> bytes:
    """The bundle as reproducible bytes: the Förteckning, then each report in its order.

    ``load`` gives a report's filed DOCX bytes (read from the meeting folder, or rendered);
    each is read once, when it is appended, so memory holds one report at a time.
    The core properties are the Förteckning's, retitled for the bundle.
    """
    ordered = listing_order(entries)
    master = build_listing(meeting_date, committee, ordered, template=template,
                           diary_number=diary_number)
    master.core_properties.title = f"{BUNDLE_TITLE}, sammanträdet den {long_date(meeting_date)}"
    names = [report_bookmark(number) for number in range(1, len(ordered) + 1)]
    if ordered:
        add_contents(master, [entry.report for entry in ordered], names)
    return compose(master, (load(entry) for entry in ordered), bookmarks=names)
