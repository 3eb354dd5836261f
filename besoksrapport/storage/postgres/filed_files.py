"""The meetings' filed files in the database, so every host serves the same documents.

With several hosts no host's folder can be the truth: the filing of a meeting ends by
publishing its folder here (every document, index.json and the manifest, with their
SHA-512) in one transaction, and a host reads a meeting by bringing its own folder in line
with this first (``filing.shared``). The meeting's advisory lock makes that one filing or
one reading of a meeting at a time across hosts.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from datetime import date

from besoksrapport.storage.postgres.database import Database


class FiledFiles(Database):
    """The ``filed_files`` table: (meeting, file name) → bytes and their SHA-512."""

    def filed_digests(self, day: date) -> dict[str, str]:
        """The meeting's published files: name → SHA-512 (hex)."""
        return {row["file_name"]: row["sha512"] for row in self._read(
            "SELECT file_name, sha512 FROM filed_files WHERE meeting_date = ?",
            (day.isoformat(),))}

    def filed_file(self, day: date, name: str) -> bytes | None:
        rows = self._read("SELECT data FROM filed_files WHERE meeting_date = ? "
                          "AND file_name = ?", (day.isoformat(), name))
        return bytes(rows[0]["data"]) if rows else None

    def filed_meetings(self) -> list[date]:
        return [date.fromisoformat(row["meeting_date"]) for row in self._read(
            "SELECT DISTINCT meeting_date FROM filed_files ORDER BY meeting_date")]

    def publish_filed(self, day: date, put: Mapping[str, bytes], remove: Iterable[str]) -> None:
        """Store ``put`` (name → bytes) and drop ``remove`` for the meeting, at once."""
        with self._transaction(serialised=False) as conn:
            for name in remove:
                conn.execute("DELETE FROM filed_files WHERE meeting_date = ? AND file_name = ?",
                             (day.isoformat(), name))
            for name, data in put.items():
                conn.execute(
                    "INSERT INTO filed_files (meeting_date, file_name, data, sha512, size) "
                    "VALUES (?, ?, ?, ?, ?) ON CONFLICT (meeting_date, file_name) DO UPDATE "
                    "SET data = excluded.data, sha512 = excluded.sha512, size = excluded.size",
                    (day.isoformat(), name, data, hashlib.sha512(data).hexdigest(), len(data)))
