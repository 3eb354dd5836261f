"""``index.json``: the meeting folder described for machines, modelled on OParl 1.1.

The top object follows OParl's Meeting (``start``, ``organization``, ``auxiliaryFile``) and
each document follows OParl's File (``name``, ``fileName``, ``mimeType``, ``size``,
``sha512Checksum``, ``accessUrl``). We have no OParl server, so organisations are embedded by
name instead of linked by URL, ``accessUrl`` is relative to the folder, and what OParl has no
field for carries the vendor prefix ``besoksrapport:``. Every value is derived from the
filed data, never from the clock, so rebuilding an unchanged meeting yields identical bytes.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from besoksrapport.filing import pretty_json
from besoksrapport.filing.atomic import write_atomic

INDEX_NAME = "index.json"
OPARL = "https://schema.oparl.org/1.1/"
VENDOR = "besoksrapport:"
DOCX_MIME = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@dataclass(frozen=True)
class FiledFile:
    """One document in a meeting folder, with what a receiver needs to verify it."""

    name: str  # human-readable title
    file_name: str
    size: int
    sha512: str  # hex
    kind: str  # "report", "listing" or "bundle"
    mime_type: str = DOCX_MIME
    report_id: str | None = None
    date: date | None = None  # the visit date of a report


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def access_url(file_name: str) -> str:
    """``urllib.parse.quote(file_name)``: the name percent-encoded as UTF-8, «/» kept.

    Written out because quote works byte by byte in Python and index.json quotes every
    file's name at every filing; here only the runs of other characters are encoded."""
    return _UNSAFE.sub(_percent, file_name)


_UNSAFE = re.compile(r"[^A-Za-z0-9_.~/-]+")


def _percent(match: re.Match[str]) -> str:
    return "".join(f"%{byte:02X}" for byte in match.group().encode("utf-8"))


def _file_object(item: FiledFile, modified: str) -> dict[str, object]:
    body: dict[str, object] = {
        "type": OPARL + "File",
        "name": item.name,
        "fileName": item.file_name,
        "mimeType": item.mime_type,
        "size": item.size,
        "sha512Checksum": item.sha512,
        "accessUrl": access_url(item.file_name),
        "modified": modified,
        VENDOR + "kind": item.kind,
    }
    if item.date is not None:
        body["date"] = item.date.isoformat()
    if item.report_id is not None:
        body[VENDOR + "reportId"] = item.report_id
    return body


def build_index(*, meeting_date: date, committee: str, municipality: str,
                files: list[FiledFile], generated_at: datetime) -> dict[str, object]:
    """The index as a dict; ``generated_at`` comes from the data (the latest report)."""
    modified = _iso(generated_at)
    return {
        "type": OPARL + "Meeting",
        "name": f"Sammanträde {meeting_date.isoformat()}",
        "start": meeting_date.isoformat(),
        "organization": [{
            "type": OPARL + "Organization",
            "name": committee,
            "body": {"type": OPARL + "Body", "name": municipality},
        }],
        "modified": modified,
        VENDOR + "generatedAt": modified,
        VENDOR + "reportCount": sum(1 for item in files if item.kind == "report"),
        "auxiliaryFile": [_file_object(item, modified) for item in files],
    }


def render_index(index: dict[str, object]) -> bytes:
    """Stable bytes: sorted keys, UTF-8 with å ä ö as they are, one trailing newline (as
    ``json.dumps(index, ensure_ascii=False, indent=2, sort_keys=True)`` writes it)."""
    return (pretty_json.dumps(index, indent=2) + "\n").encode()


def write_index(folder: Path, index: dict[str, object]) -> bool:
    """Write ``folder/index.json`` atomically; False when it already had these contents."""
    return write_atomic(folder / INDEX_NAME, render_index(index))


def _filed_file(item: dict[str, Any]) -> FiledFile:
    day = item.get("date")
    return FiledFile(name=item["name"], file_name=item["fileName"], size=item["size"],
                     sha512=item["sha512Checksum"], kind=item[VENDOR + "kind"],
                     mime_type=item.get("mimeType", DOCX_MIME),
                     report_id=item.get(VENDOR + "reportId"),
                     date=date.fromisoformat(day) if day else None)


def read_index(folder: Path) -> list[FiledFile] | None:
    """The files ``folder/index.json`` lists, in its order; None without a readable index."""
    try:
        index = json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))
        return [_filed_file(item) for item in index["auxiliaryFile"]]
    except (FileNotFoundError, ValueError, KeyError, TypeError):
        return None
