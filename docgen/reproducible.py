"""Byte-identical documents: the same submission and template always give the same file.

python-docx stamps the wall clock into every zip entry and leaves core properties such as
«created» as the template had them. A filed public document must be rebuildable from the
stored submission, so the zip is written in a fixed order with a fixed date, and the core
properties come from the submission, never from the clock.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from docx.document import Document as DocumentObject
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.parser import parse_xml
from lxml import etree

from besoksrapport.reproducible_zip import ZIP_DATE, write_zip


class _Collector:
    """Stands in for python-docx's zip writer and keeps the members in memory."""

    def __init__(self) -> None:
        self.entries: dict[str, bytes] = {}

    def write(self, pack_uri, blob) -> None:
        self.entries[pack_uri.membername] = blob if isinstance(blob, bytes) else blob.encode()


def save_docx(doc: DocumentObject, *, date_time: tuple[int, ...] = ZIP_DATE) -> bytes:
    """Serialise ``doc`` straight to reproducible bytes (one compression pass, no re-zip)."""
    package = doc.part.package
    collector = _Collector()
    parts = list(package.iter_parts())
    # python-docx's own package writer, minus its clock-stamping zip file.
    writer: Any = collector  # it has the one method the package writer calls: write
    PackageWriter._write_content_types_stream(writer, parts)
    PackageWriter._write_pkg_rels(writer, package.rels)
    PackageWriter._write_parts(writer, parts)
    return write_zip(collector.entries, date_time=date_time)


CP = "http://schemas.openxmlformats.org/package/2006/metadata/core-properties"
DC = "http://purl.org/dc/elements/1.1/"
DCTERMS = "http://purl.org/dc/terms/"
XSI = "http://www.w3.org/2001/XMLSchema-instance"


def _w3cdtf(moment: datetime) -> str:
    if moment.tzinfo is None:
        raise ValueError("naive datetime: a timezone is required")
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def set_core_properties(doc: DocumentObject, title: str, created: datetime, *,
                        author: str = "", subject: str = "", keywords: str = "",
                        language: str = "sv-SE", revision: int = 1) -> None:
    """Replace the core properties with ones from the caller's data, none from the clock.

    ``created`` (timezone-aware) becomes created, modified and last printed alike, so the
    file does not change when it is rebuilt later; whatever the template carried (comments,
    category …) is dropped. The XML is written here with explicit namespaces rather than
    through python-docx, whose output depends on a global prefix map that other libraries
    change (docxcompose maps «cp» to its custom-properties namespace when imported).
    """
    root = etree.Element(f"{{{CP}}}coreProperties",
                         nsmap={"cp": CP, "dc": DC, "dcterms": DCTERMS, "xsi": XSI})
    moment = _w3cdtf(created)
    for namespace, name, value in (
            (DC, "title", title), (DC, "subject", subject), (DC, "creator", author),
            (CP, "keywords", keywords), (CP, "lastModifiedBy", author),
            (CP, "revision", str(revision)), (CP, "lastPrinted", moment),
            (DCTERMS, "created", moment), (DCTERMS, "modified", moment),
            (DC, "language", language)):
        element = etree.SubElement(root, f"{{{namespace}}}{name}")
        element.text = value
        if namespace == DCTERMS:
            element.set(f"{{{XSI}}}type", "dcterms:W3CDTF")
    part = doc.part.package._core_properties_part
    part._element = parse_xml(etree.tostring(root))
