"""The SQLite file itself: connections, write transactions and what their failures mean.

SQLite choices, because a 2xx promises the report is on disk:

* WAL mode, so readers never block the single writer and writers do not block readers;
* ``synchronous=FULL``: in WAL mode NORMAL may lose the last commits on power loss, which
  would break the promise made by the 201; FULL fsyncs the WAL at every commit;
* one connection per thread (and per process: a connection is never used across a fork);
* ``busy_timeout`` so concurrent writers queue instead of failing at once;
* every write runs in ``BEGIN IMMEDIATE``: the write lock is taken before the checks, so
  "is this a repeat?" and "insert" are one atomic step across threads and processes.

Any failure of the database or the disk raises ``StorageUnavailable``.
"""

from __future__ import annotations

import fcntl
import os
import sqlite3
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from besoksrapport.errors import StorageUnavailable
from besoksrapport.failure_reasons import storage_reason
from besoksrapport.storage.sqlite.schema import migrate

BUSY_TIMEOUT_MS = 5000
SQLITE_BUSY, SQLITE_LOCKED = 5, 6


def _busy(error: sqlite3.OperationalError) -> bool:
    code = getattr(error, "sqlite_errorcode", None)
    return code is not None and code & 0xFF in (SQLITE_BUSY, SQLITE_LOCKED)


def iso(moment: datetime) -> str:
    """A moment as stored in TEXT columns: ISO 8601 in UTC, to the microsecond."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: a timezone is required")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def epoch(moment: datetime) -> float:
    """A moment as stored in REAL columns (the jobs' times): seconds since the epoch."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime: a timezone is required")
    return moment.timestamp()


class Database:
    """One SQLite file, safe to share between threads and processes; the rest builds on it."""

    def __init__(self, path: Path, *, busy_timeout_ms: int = BUSY_TIMEOUT_MS,
                 lazy: bool = False) -> None:
        """Open (creating and migrating) the database; ``StorageUnavailable`` if it cannot be.

        ``lazy``: a failure is kept instead, and every use tries again until one succeeds.
        A web worker starts so and answers 503 while the data folder is unusable, instead of
        failing to boot (after which gunicorn stops the whole service for good).
        """
        self.path = Path(path)
        self.busy_timeout_ms = busy_timeout_ms
        self._local = threading.local()
        self._writer = threading.Lock()  # one writing thread per process...
        self._lock_path = self.path.with_name(self.path.name + ".lock")  # ...and per database
        self._lock_fd: int | None = None
        self._lock_pid = 0
        self._prepared = False
        self._preparing = threading.Lock()
        try:
            with self._guard():
                self._prepare()
        except StorageUnavailable:
            if not lazy:
                raise

    def _prepare(self) -> None:
        """Create and migrate the database once per process, before its first use.

        Processes creating a fresh database together take turns on the file lock, and a
        SQLITE_BUSY from SQLite's own locking (switching to WAL does not wait for the busy
        timeout) is tried again until the busy timeout: two gunicorn workers starting
        together once failed so, and a worker failing to boot stops the whole service.
        """
        if self._prepared:
            return
        with self._preparing:
            if self._prepared:
                return
            self.path.parent.mkdir(parents=True, exist_ok=True)
            deadline = time.monotonic() + self.busy_timeout_ms / 1000
            with self._file_lock():
                while True:
                    try:
                        migrate(self._connection())
                        break
                    except sqlite3.OperationalError as error:
                        if not _busy(error) or time.monotonic() > deadline:
                            raise
                        self.close()
                        time.sleep(0.05)
            self._prepared = True

    def _connection(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None or self._local.pid != os.getpid():
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=True,
                                   timeout=self.busy_timeout_ms / 1000)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout_ms)}")
            mode = conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if mode.lower() != "wal":
                raise StorageUnavailable(f"{self.path}: databasen kan inte använda WAL-läge "
                                         f"(journal_mode är {mode})")
            conn.execute("PRAGMA synchronous = FULL")
            conn.execute("PRAGMA foreign_keys = ON")
            self._local.conn, self._local.pid = conn, os.getpid()
        return conn

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except StorageUnavailable:
            raise
        except (sqlite3.OperationalError, sqlite3.DatabaseError, OSError) as error:
            if isinstance(error, sqlite3.IntegrityError):
                raise
            raise StorageUnavailable(f"{self.path}: {storage_reason(error)}") from error

    @contextmanager
    def _file_lock(self) -> Iterator[None]:
        """Writers of all processes queue on a file lock, woken by the kernel in turn.

        SQLite's own busy handler sleeps in steps of up to 100 ms when writers collide,
        which under load costs far more than the writes; the busy timeout stays as a backstop
        for other programs that open the database.
        """
        if self._lock_fd is None or self._lock_pid != os.getpid():
            self._lock_fd = os.open(self._lock_path, os.O_RDWR | os.O_CREAT, 0o600)
            self._lock_pid = os.getpid()
        fcntl.flock(self._lock_fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(self._lock_fd, fcntl.LOCK_UN)

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One atomic write transaction, with the write lock taken up front."""
        with self._writer, self._guard():
            self._prepare()
            with self._file_lock():
                conn = self._connection()
                conn.execute("BEGIN IMMEDIATE")
                try:
                    yield conn
                except BaseException:
                    conn.execute("ROLLBACK")
                    raise
                try:
                    self._before_commit(conn)
                    conn.execute("COMMIT")
                except BaseException:
                    if conn.in_transaction:
                        conn.execute("ROLLBACK")
                    raise
            self._after_commit()

    def _before_commit(self, conn: Any) -> None:
        """Add to a write's transaction just before it commits (the audit trail does)."""

    def _after_commit(self) -> None:
        """Called once a write has committed."""

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[sqlite3.Row]:
        with self._guard():
            self._prepare()
            return self._connection().execute(sql, params).fetchall()

    def close(self) -> None:
        conn = getattr(self._local, "conn", None)
        if conn is not None:
            conn.close()
            self._local.conn = None

    def ping(self) -> None:
        self._read("SELECT count(*) FROM deliveries WHERE webhook_id = ''")
