"""The secretaries' local accounts: a name and an Argon2id hash each (see ``accounts``);
the generation every session of an account must match, and the failed-login counters."""

from __future__ import annotations

import sqlite3
from datetime import datetime

from besoksrapport.storage.sqlite.database import Database, iso


def _next_generation(conn: sqlite3.Connection, account: str) -> None:
    # The old value by its table's name: PostgreSQL finds a bare ``generation`` ambiguous.
    conn.execute("INSERT INTO session_generations (account, generation) VALUES (?, 1) "
                 "ON CONFLICT (account) DO UPDATE "
                 "SET generation = session_generations.generation + 1", (account,))


class Accounts(Database):
    """The ``accounts``, ``session_generations`` and ``login_failures`` tables."""

    def save_account(self, name: str, password_hash: str, changed_at: datetime) -> bool:
        """Store the account's hash; True if the account is new, False if it was replaced.

        A new password ends every session of the account.
        """
        with self._write() as conn:
            existed = conn.execute("SELECT 1 FROM accounts WHERE name = ?", (name,)).fetchone()
            conn.execute("INSERT INTO accounts (name, password_hash, changed_at) VALUES (?, ?, ?) "
                         "ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash,"
                         " changed_at = excluded.changed_at",
                         (name, password_hash, iso(changed_at)))
            _next_generation(conn, name)
            return existed is None

    def password_hash(self, name: str) -> str | None:
        rows = self._read("SELECT password_hash FROM accounts WHERE name = ?", (name,))
        return rows[0]["password_hash"] if rows else None

    def remove_account(self, name: str) -> bool:
        """Remove the account; every session of it ends."""
        with self._write() as conn:
            _next_generation(conn, name)
            return conn.execute("DELETE FROM accounts WHERE name = ?", (name,)).rowcount > 0

    def session_generation(self, account: str) -> int:
        """The generation a session of ``account`` must carry to be valid (0 at first)."""
        rows = self._read("SELECT generation FROM session_generations WHERE account = ?",
                          (account,))
        return int(rows[0]["generation"]) if rows else 0

    def end_sessions(self, account: str) -> None:
        """End every session of ``account`` (a logout ends them all, on every device)."""
        with self._write() as conn:
            _next_generation(conn, account)

    def count_login_attempt(self, keys: list[str], now: float, window: float) -> dict[str, int]:
        """Count one login attempt against each key; the attempts of each within ``window``,
        this one included (one write, so concurrent attempts each see their own count)."""
        counts = {}
        with self._write() as conn:
            for key in keys:
                conn.execute(
                    "INSERT INTO login_failures (key, failures, window_start) VALUES (?, 1, ?) "
                    "ON CONFLICT (key) DO UPDATE SET "  # the old row's columns named by
                    # its table: PostgreSQL finds a bare name ambiguous next to ``excluded``
                    "failures = CASE WHEN login_failures.window_start <= ? THEN 1 "
                    "ELSE login_failures.failures + 1 END, "
                    "window_start = CASE WHEN login_failures.window_start <= ? "
                    "THEN excluded.window_start ELSE login_failures.window_start END",
                    (key, now, now - window, now - window))
                row = conn.execute("SELECT failures FROM login_failures WHERE key = ?",
                                   (key,)).fetchone()
                counts[key] = int(row["failures"])
            conn.execute("DELETE FROM login_failures WHERE window_start <= ?", (now - window,))
        return counts

    def uncount_login_attempt(self, key: str) -> None:
        """Take one attempt back from ``key``'s count (a login that succeeded)."""
        with self._write() as conn:
            conn.execute("UPDATE login_failures SET failures = failures - 1 "
                         "WHERE key = ? AND failures > 0", (key,))

    def clear_login_attempts(self, key: str) -> None:
        with self._write() as conn:
            conn.execute("DELETE FROM login_failures WHERE key = ?", (key,))
