"""Report ids: ``BR-2026-7Q3K9X``, the reception year and six Crockford base32 characters.

Short enough to read aloud on the phone (no I, L, O or U to mistake), about 10⁹ a year;
storage detects a clash by its primary key and draws again.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime

CROCKFORD = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
PATTERN = rf"BR-\d{{4}}-[{CROCKFORD}]{{6}}"


def new_report_id(received_at: datetime) -> str:
    """A fresh random id (six 5-bit characters from one draw, not six urandom calls)."""
    bits = secrets.randbits(30)
    return f"BR-{received_at.year}-" + "".join(CROCKFORD[(bits >> shift) & 31]
                                               for shift in (25, 20, 15, 10, 5, 0))


def derived_report_id(submission_id: str, received_at: datetime) -> str:
    """An id of the same form derived from the submission id: the same file, the same id.

    For documents rendered without a server (``besoksrapport render``).
    """
    number = int.from_bytes(hashlib.sha256(submission_id.encode()).digest()[:8], "big")
    return f"BR-{received_at.year}-" + "".join(CROCKFORD[(number >> (5 * i)) & 31]
                                               for i in range(6))

