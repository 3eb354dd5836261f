"""Files the secretary and the payroll open in Swedish Excel: CSV and XLSX.

Swedish Excel opens a double-clicked CSV correctly only if it is UTF-8 *with* a byte order
mark (or å ä ö turn into mojibake), separated by semicolons (the comma is the decimal sign)
and written with CRLF line ends; numbers use the decimal comma. Text typed into the form
could start with «=», «+», «-» or «@» and would then run as a formula, so such text gets a
leading apostrophe in CSV and is stored as a string, never as a formula, in XLSX.

XLSX files are written reproducibly: the core properties come from the caller's data and the
zip container is normalised (fixed order and dates), so the same data give the same bytes.
"""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from besoksrapport.reproducible_zip import normalise_docx

if TYPE_CHECKING:  # openpyxl (and numpy with it) loads only when a workbook is written
    from openpyxl import Workbook
    from openpyxl.cell.cell import Cell

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def decimal_comma(value: float, places: int = 2) -> str:
    """«1,5», «2», «0,33»: rounded, trailing zeros dropped, Swedish decimal sign."""
    text = f"{value:.{places}f}".rstrip("0").rstrip(".") if places else f"{value:.0f}"
    return text.replace(".", ",")


def csv_text(value: str) -> str:
    """Free text made safe for a spreadsheet: no cell may start a formula."""
    return "'" + value if value.startswith(_FORMULA_START) else value


def write_swedish_csv(path: Path, header: Sequence[str], rows: Iterable[Sequence[str]]) -> Path:
    """A CSV as Swedish Excel reads it: UTF-8 with BOM, «;», CRLF, every value already text."""
    path = Path(path)
    with path.open("w", encoding="utf-8-sig", newline="") as stream:
        writer = csv.writer(stream, delimiter=";", lineterminator="\r\n",
                            quoting=csv.QUOTE_MINIMAL)
        writer.writerow(header)
        for row in rows:
            writer.writerow([csv_text(value) for value in row])
    return path


def set_text(cell: Cell, value: str) -> None:
    """Put ``value`` in ``cell`` as a string even if it looks like a formula."""
    cell.value = value
    cell.data_type = "s"


def save_workbook(workbook: Workbook, path: Path, *, title: str, created: datetime,
                  creator: str = "") -> Path:
    """Save reproducibly: core properties from the data, normalised zip container."""
    moment = created.astimezone(UTC).replace(tzinfo=None, microsecond=0)
    props = workbook.properties
    props.title, props.creator, props.lastModifiedBy = title, creator, creator
    props.created = props.modified = moment
    props.language = "sv-SE"
    from openpyxl.writer.excel import ExcelWriter

    buffer = io.BytesIO()
    # ExcelWriter directly: openpyxl's save_workbook stamps the clock into «modified».
    ExcelWriter(workbook, zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED)).save()
    path = Path(path)
    path.write_bytes(normalise_docx(buffer.getvalue()))
    return path
