"""Readable file names for filed reports that are safe on Windows, SMB shares and Linux.

The secretary opens the meeting folder from a Windows share, so a name must survive the
strictest of those file systems: no separators or traversal, none of Windows' reserved
device names or characters, no trailing dots or spaces, NFC (macOS clients decompose, the
share does not), and a bounded length. The report id at the end makes a name unique within
a meeting; ``unique_name`` still resolves a collision, case-insensitively like Windows does.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Collection
from datetime import date
from functools import lru_cache

from besoksrapport.committee.operations import operation_label
from besoksrapport.filing.index import INDEX_NAME
from besoksrapport.filing.titles import BUNDLE_TITLE, LISTING_FILE_TITLE
from besoksrapport.report_ids import PATTERN as REPORT_ID

MAX_CHARS = 120  # code points, extension included
MAX_BYTES = 240  # UTF-8 bytes: ext4 and friends allow 255 per name
DOCX = ".docx"

# Windows device names, reserved whatever the extension («CON.txt», «com1 .docx»).
_DEVICES = {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
_DEVICES |= {f"{stem}{digit}" for stem in ("COM", "LPT") for digit in "123456789¹²³"}
_FORBIDDEN = set('<>:"/\\|?*')
_SPACES = re.compile(r"\s+")
_DOTS = re.compile(r"\.{2,}")
# Text that cleaning leaves as it is (a report id, a plain word): ASCII letters, digits,
# dashes and underscores, single spaces between them.
_PLAIN = re.compile(r"[A-Za-z0-9_-]+(?: [A-Za-z0-9_-]+)*")

# A report's file name as report_file_name makes it, with an id as report_ids hands them out
# (``BR-2026-7Q3K9X``), maybe made unique by unique_name («… (2).docx»).
_REPORT_FILE = re.compile(
    rf"(\d{{4}}-\d{{2}}-\d{{2}}) .+ {REPORT_ID}(?: \(\d+\))?\.(?:docx|pdf)")


def _clean_char(char: str) -> str:
    """One character as it may appear in a name: dropped, turned into a space, or kept."""
    if char in _FORBIDDEN:
        return " "
    category = unicodedata.category(char)
    if category in ("Zs", "Zl", "Zp") or char.isspace():
        return " "
    # Control, format (zero-width, bidi overrides), lone surrogates, unassigned.
    if category in ("Cc", "Cf", "Cs", "Cn"):
        return ""
    return char


def safe_component(text: str, *, fallback: str = "namnlös") -> str:
    """``text`` as one safe path component (no length bound: see ``truncate``)."""
    if _PLAIN.fullmatch(text) is None:
        text = _cleaned(text)
    if not text:
        return fallback
    if text.split(".")[0].rstrip(" ").upper() in _DEVICES:
        text = "_" + text
    return text


@lru_cache(maxsize=1024)
def _cleaned(text: str) -> str:
    """What cleaning leaves of ``text``, character by character. Kept for the few texts a
    committee's names repeat (operations, politicians): every filing names every report."""
    text = unicodedata.normalize("NFC", text)
    text = "".join(_clean_char(char) for char in text)
    text = _DOTS.sub(".", text)  # «..» never appears, so nothing can read as traversal
    text = _SPACES.sub(" ", text).strip(" .")
    return unicodedata.normalize("NFC", text)  # dropping a character may compose anew


def _fits(text: str, max_chars: int, max_bytes: int) -> bool:
    return len(text) <= max_chars and len(text.encode("utf-8")) <= max_bytes


def truncate(text: str, max_chars: int, max_bytes: int = MAX_BYTES) -> str:
    """``text`` cut to the bounds at a character boundary, with no trailing dot or space."""
    text = text[:max_chars]
    while text and len(text.encode("utf-8")) > max_bytes:
        text = text[:-1]
    # A combining mark left without what follows it is harmless; a trailing dot is not.
    return text.rstrip(" .")


def _fit(parts: list[str], tail: str, max_chars: int) -> str:
    """Join ``parts`` and ``tail``, shortening the last part (the name) until it all fits."""
    head = " ".join(part for part in parts[:-1] if part)
    room_chars = max_chars - len(head) - len(tail) - 1
    room_bytes = MAX_BYTES - len(head.encode()) - len(tail.encode()) - 1
    last = truncate(parts[-1], max(room_chars, 0), max(room_bytes, 0))
    return " ".join(part for part in (head, last) if part) + tail


def report_file_name(visit_date: date, operation: str, politician: str, report_id: str,
                     *, max_chars: int = MAX_CHARS) -> str:
    """«2026-11-03 Kost Anna Lindqvist BR-1a2b.docx»: date, operation, politician, report id.

    The politician's name is shortened first; the report id is kept whole so the name stays
    unique (an absurdly long id is cut too, then ``unique_name`` guards uniqueness).
    """
    label = operation_label(operation)
    ident = truncate(safe_component(report_id, fallback="utan-id"), max_chars // 3, 100)
    tail = f" {ident}{DOCX}"
    kind = truncate(safe_component(label), max_chars // 4, 60)
    parts = [visit_date.isoformat(), kind, safe_component(politician)]
    return _fit(parts, tail, max_chars)


def fixed_file_name(meeting_date: date, title: str, *, max_chars: int = MAX_CHARS) -> str:
    """«2026-12-10 Förteckning.docx»: a meeting-wide document named by its title."""
    return _fit([meeting_date.isoformat(), safe_component(title)], DOCX, max_chars)


def unique_name(name: str, taken: Collection[str], *, max_chars: int = MAX_CHARS) -> str:
    """``name``, or «… (2).docx» and so on if a name equal but for case is already taken."""
    used = {existing.casefold() for existing in taken}
    if name.casefold() not in used:
        return name
    stem, dot, ext = name.rpartition(".")
    if not dot:
        stem, ext = name, ""
    suffix_ext = f".{ext}" if dot else ""
    number = 2
    while True:
        marker = f" ({number}){suffix_ext}"
        room_bytes = MAX_BYTES - len(marker.encode("utf-8"))
        candidate = truncate(stem, max_chars - len(marker), room_bytes) + marker
        if candidate.casefold() not in used:
            return candidate
        number += 1


def is_safe_name(name: str, *, max_chars: int = MAX_CHARS, max_bytes: int = MAX_BYTES) -> bool:
    """True when ``name`` passes every rule above; the tests hold every produced name to it."""
    return (
        bool(name)
        and _fits(name, max_chars, max_bytes)
        and name == unicodedata.normalize("NFC", name)
        and not any(_clean_char(char) != char for char in name if char != " ")
        and ".." not in name
        and name == name.rstrip(" .")
        and name == name.lstrip(" ")
        and name.split(".")[0].rstrip(" ").upper() not in _DEVICES
    )


def written_by_filing(file_name: str, meeting_date: date) -> bool:
    """True when our filing could have written ``file_name`` into ``meeting_date``'s folder.

    This is the rule for deleting on the server: only such a file, and only when the local
    folder no longer holds it, is ever deleted. Ours are index.json, the meeting's
    Förteckning and bundle (fixed_file_name) and report files as
    report_file_name names them: «visit date, text, report id.docx», the id in
    storage's form ``BR-YYYY-XXXXXX``, maybe with unique_name's « (2)», and the PDF/A of
    each of those documents (the same name with «.pdf»). Anything else, such as a file the
    secretary put there by hand or a folder, is never touched.
    """
    name = unicodedata.normalize("NFC", file_name)
    fixed = {fixed_file_name(meeting_date, title) for title in (LISTING_FILE_TITLE, BUNDLE_TITLE)}
    fixed |= {item[:-len(DOCX)] + ".pdf" for item in fixed if item.endswith(DOCX)}
    if name == INDEX_NAME or name in fixed:
        return True
    match = _REPORT_FILE.fullmatch(name)
    if match is None:
        return False
    try:
        date.fromisoformat(match[1])
    except ValueError:
        return False
    return True
