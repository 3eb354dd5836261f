"""The audit trail and the «hanterad» marks (``audit_log``, ``handled_marks``).

The trail is append-only from the program's side: only gallring (``purge_audit``) removes
rows, and what it removed is itself recorded as a new row by the caller.

An action and its entry are committed together (``audited``): recorded after the action, in
a write of its own, an entry could be lost while the action stood, and the page then said
that nothing had changed.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from typing import Any

from besoksrapport.storage.protocol import AuditEntry, HandledMark
from besoksrapport.storage.sqlite.database import Database, iso


class AuditTrail(Database):
    """The ``audit_log`` and ``handled_marks`` tables."""

    def record_audit(self, entry: AuditEntry) -> None:
        with self._write() as conn:
            _insert(conn, entry)

    @contextmanager
    def audited(self, entry: AuditEntry) -> Iterator[None]:
        """Record ``entry`` in the transaction of the first write this thread commits inside
        the block: the action it describes and the entry stand or fall together. A block
        that wrote nothing records it on its own at the end; one that raised before its
        first write committed records nothing."""
        pending = self._pending_audit()
        pending.entry = entry
        try:
            yield
        except BaseException:
            pending.entry = None
            raise
        if pending.entry is not None:
            pending.entry = None
            self.record_audit(entry)

    def _pending_audit(self) -> threading.local:
        return self.__dict__.setdefault("_audit_pending", threading.local())

    def _before_commit(self, conn: Any) -> None:
        entry = getattr(self._pending_audit(), "entry", None)
        if entry is not None:
            _insert(conn, entry)

    def _after_commit(self) -> None:
        self._pending_audit().entry = None

    def audit_entries(self, first: datetime | None = None,
                      last: datetime | None = None) -> list[AuditEntry]:
        """The entries from ``first`` up to (not including) ``last``, oldest first."""
        # No sentinel for an open end: where '~' sorts depends on PostgreSQL's collation.
        if last is None:
            rows = self._read("SELECT * FROM audit_log WHERE at >= ? ORDER BY at, id",
                              (iso(first) if first else "",))
        else:
            rows = self._read("SELECT * FROM audit_log WHERE at >= ? AND at < ? ORDER BY at, id",
                              (iso(first) if first else "", iso(last)))
        return [AuditEntry(at=datetime.fromisoformat(row["at"]), actor=row["actor"],
                           action=row["action"], target=row["target"],
                           address=row["address"], details=row["details"], id=row["id"])
                for row in rows]

    def mark_handled(self, mark: HandledMark) -> None:
        """Mark a flag or a refused delivery handled (a second mark replaces the first)."""
        with self._write() as conn:
            conn.execute(
                "INSERT INTO handled_marks (kind, target, handled_by, handled_at, note) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (kind, target) DO UPDATE SET "
                "handled_by = excluded.handled_by, handled_at = excluded.handled_at, "
                "note = excluded.note",
                (mark.kind, mark.target, mark.handled_by, iso(mark.handled_at), mark.note))

    def unmark_handled(self, kind: str, target: str) -> bool:
        with self._write() as conn:
            return conn.execute("DELETE FROM handled_marks WHERE kind = ? AND target = ?",
                                (kind, target)).rowcount > 0

    def handled_marks(self, kind: str) -> dict[str, HandledMark]:
        return {row["target"]: HandledMark(kind=row["kind"], target=row["target"],
                                           handled_by=row["handled_by"],
                                           handled_at=datetime.fromisoformat(row["handled_at"]),
                                           note=row["note"])
                for row in self._read("SELECT * FROM handled_marks WHERE kind = ?", (kind,))}


def _insert(conn: Any, entry: AuditEntry) -> None:
    conn.execute("INSERT INTO audit_log (at, actor, action, target, address, details) "
                 "VALUES (?, ?, ?, ?, ?, ?)",
                 (iso(entry.at), entry.actor, entry.action, entry.target, entry.address,
                  entry.details))
