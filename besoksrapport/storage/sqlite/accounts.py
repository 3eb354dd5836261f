"""The secretaries' local accounts: a name and an Argon2id hash each (see ``accounts``)."""

from __future__ import annotations

from datetime import datetime

from besoksrapport.storage.sqlite.database import Database, iso


class Accounts(Database):
    """The ``accounts`` table."""

    def save_account(self, name: str, password_hash: str, changed_at: datetime) -> bool:
        """Store the account's hash; True if the account is new, False if it was replaced."""
        with self._write() as conn:
            existed = conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone()
            conn.execute("INSERT INTO accounts (name, password_hash, changed_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash,"
                         " changed_at = excluded.changed_at",
                         (name, password_hash, iso(changed_at)))
            return existed is None

    def password_hash(self, name: str) -> str | None:
        rows = self._read("SELECT password_hash FROM accounts WHERE name = ?", (name,))
        return rows[0]["password_hash"] if rows else None

    def remove_account(self, name: str) -> bool:
        with self._write() as conn:
            return conn.execute("DELETE FROM accounts WHERE name = ?", (name,)).rowcount > 0
