"""Reproducible zip containers (DOCX, XLSX): fixed member order, dates and attributes.

Office files are zips, and zip writers stamp the wall clock into every entry. A filed
document must be rebuildable byte for byte from the stored submission, so every package we
write goes through here. Shared by docgen (DOCX) and the spreadsheets (XLSX).
"""

from __future__ import annotations

import io
import zipfile

# The earliest date a zip entry can carry; used for every entry of every document we write.
ZIP_DATE = (1980, 1, 1, 0, 0, 0)
_FIRST = ("[Content_Types].xml", "_rels/.rels")


def _entry_order(name: str) -> tuple[int, str]:
    return (_FIRST.index(name), "") if name in _FIRST else (len(_FIRST), name)


def _six(date_time: tuple[int, ...]) -> tuple[int, int, int, int, int, int]:
    year, month, day, hour, minute, second = date_time
    return (year, month, day, hour, minute, second)


def write_zip(entries: dict[str, bytes], *, date_time: tuple[int, ...] = ZIP_DATE) -> bytes:
    """Zip ``entries`` (member name → bytes) deterministically: fixed order, date, attributes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(entries, key=_entry_order):
            info = zipfile.ZipInfo(name, date_time=_six(date_time))
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
