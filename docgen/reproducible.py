"""Byte-identical documents: the same submission and template always give the same file.

python-docx stamps the wall clock into every zip entry and leaves core properties such as
«created» as the template had them. A filed public document must be rebuildable from the
stored submission, so the zip is written in a fixed order with a fixed date, and the core
properties come from the submission, never from the clock.
"""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime

from docx.document import Document as DocumentObject
from docx.opc.pkgwriter import PackageWriter
from docx.oxml.parser import parse_xml
from lxml import etree

# The earliest date a zip entry can carry; used for every entry of every document we write.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def _entry_order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name), "") if name in _FIRST else (len(_FIRST), name)


def write_zip(entries: dict[str, bytes], *, date_time: tuple[int, ...] = ZIP_DATE) -> bytes:
    """Zip ``entries`` (member name → bytes) deterministically: fixed order, date, attributes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries, key=_entry_order):
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 0
            info.external_attr = 0
            archive.writestr(info, entries[name], compresslevel=6)
    return buffer.getvalue()


def normalise_docx(data: bytes, *, date_time: tuple[int, ...] = ZIP_DATE) -> bytes:
    """Rewrite a saved .docx (any OPC package) so its zip container is reproducible.

    Only the container changes: every member keeps its bytes. Set the core properties with
    :func:`set_core_properties` before saving, or the template's (or clock's) dates remain.
    """
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        entries = {info.filename: archive.read(info) for info in archive.infolist()
                   if not info.is_dir()}
    return write_zip(entries, date_time=date_time)


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
    PackageWriter._write_content_types_stream(collector, parts)
    PackageWriter._write_pkg_rels(collector, package.rels)
    PackageWriter._write_parts(collector, parts)
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
