"""The PostgreSQL server: a pool of connections, transactions and what their failures mean.

The methods ``storage.sqlite`` shares with this backend speak SQLite's placeholders (``?``)
to a connection; ``Connection`` turns them into psycopg's. Writes those methods make run
under one transaction-scoped advisory lock, as SQLite runs every write under its one write
lock, so what they read and then write is never raced by another host. The hot paths
(recording a delivery, claiming a job) are this package's own and take no such lock: unique
constraints and ``FOR UPDATE SKIP LOCKED`` keep them right while hosts write side by side.

psycopg is imported here only, and this module only when a ``postgresql://`` URL is opened.
Any failure of the server or the pool raises ``StorageUnavailable`` with a Swedish reason.
"""

from __future__ import annotations

import functools
import os
import threading
import time
import weakref
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

import psycopg
import psycopg_pool
from psycopg.rows import dict_row

from besoksrapport.errors import StorageUnavailable
from besoksrapport.storage.postgres.errors import postgres_reason
from besoksrapport.storage.postgres.schema import migrate

WRITE_LOCK = 0x62725F77  # the advisory lock of the shared writes ("br_w")
NAMED_LOCKS = 0x62725F6E  # the namespace of named advisory locks ("br_n")
POOL_SIZE = 8  # connections per process at most
POOL_TIMEOUT_S = 10.0  # waiting for a free connection longer than this is an outage
IDLE_CHECK_S = 2.0  # a connection idle longer is checked before use (a round trip)
LOCK_RETRY_S = 0.05  # how often a waiter for a named lock tries again
LOCK_WAIT_S = 120.0  # a named lock held longer than this is an outage to the waiter


@functools.lru_cache(maxsize=512)
def psycopg_sql(sql: str) -> str:
    """SQLite's ``?`` placeholders as psycopg's ``%s`` (and a literal ``%`` doubled)."""
    return sql.replace("%", "%%").replace("?", "%s")


class Connection:
    """A psycopg connection that takes the SQL the SQLite backend writes."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.raw = conn

    def execute(self, sql: str, params: Sequence[Any] = ()) -> psycopg.Cursor[Any]:
        return self.raw.execute(psycopg_sql(sql), params)

    def executemany(self, sql: str, params: Sequence[Sequence[Any]]) -> psycopg.Cursor[Any]:
        cursor = self.raw.cursor()
        cursor.executemany(psycopg_sql(sql), params)
        return cursor


def safe_url(url: str) -> str:
    """The URL without its password, for messages."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = f":{parts.port}" if parts.port else ""
    user = f"{parts.username}@" if parts.username else ""
    return f"{parts.scheme}://{user}{host}{port}{parts.path}"


class Database:
    """One PostgreSQL database, shared by threads, processes and hosts."""

    def __init__(self, url: str, *, pool_size: int = POOL_SIZE,
                 timeout_s: float = POOL_TIMEOUT_S) -> None:
        self.url = url
        self.path = safe_url(url)  # what messages name, as SQLite's file path
        self.pool_size = pool_size
        self.timeout_s = timeout_s
        self._pool: psycopg_pool.ConnectionPool[Any] | None = None
        self._pool_pid = 0
        self._pool_lock = threading.Lock()
        self._last_used: weakref.WeakKeyDictionary[Any, float] = weakref.WeakKeyDictionary()
        self._migrated = False
        try:
            self._ensure_schema()
        except StorageUnavailable as error:
            # A server out of reach now: start anyway (deliveries get 503 and come again,
            # /readyz says so) and migrate at the first use that reaches it.
            if not isinstance(error.__cause__, psycopg.OperationalError):
                raise

    def _ensure_schema(self) -> None:
        """Migrate once per process, on a connection of its own: a server that cannot be
        reached says so at once, and the pool is opened by the process that uses it (after
        gunicorn's fork), not here."""
        if self._migrated:
            return
        with self._pool_lock:
            if self._migrated:
                return
            with self._guard(), psycopg.connect(self.url, autocommit=True,
                                                row_factory=dict_row,
                                                connect_timeout=int(self.timeout_s)) as conn:
                migrate(conn)
            self._migrated = True

    def _open_pool(self) -> psycopg_pool.ConnectionPool[Any]:
        """The process's pool; a forked child (a gunicorn worker) opens its own."""
        with self._pool_lock:
            if self._pool is None or self._pool_pid != os.getpid():
                self._pool = psycopg_pool.ConnectionPool(
                    self.url, min_size=1, max_size=self.pool_size, timeout=self.timeout_s,
                    kwargs={"autocommit": True, "row_factory": dict_row},
                    check=self._check,
                    open=False, name="besoksrapport")
                self._pool.open(wait=True, timeout=self.timeout_s)
                self._pool_pid = os.getpid()
            return self._pool

    def _check(self, conn: psycopg.Connection[Any]) -> None:
        """A connection the server may have closed since (a restart, a fail-over, an idle
        timeout) is tried before use and replaced if dead; one in use a moment ago is not,
        as that round trip would cost every request. A connection that breaks in use fails
        that request as StorageUnavailable (the platform retries) and is discarded."""
        if time.monotonic() - self._last_used.get(conn, 0.0) > IDLE_CHECK_S:
            psycopg_pool.ConnectionPool.check_connection(conn)

    @contextmanager
    def _connection(self) -> Iterator[psycopg.Connection[Any]]:
        self._ensure_schema()
        with self._open_pool().connection() as conn:
            try:
                yield conn
            finally:
                self._last_used[conn] = time.monotonic()

    @contextmanager
    def _guard(self) -> Iterator[None]:
        try:
            yield
        except StorageUnavailable:
            raise
        except (psycopg.Error, psycopg_pool.PoolTimeout, psycopg_pool.PoolClosed) as error:
            if isinstance(error, psycopg.IntegrityError):
                raise
            raise StorageUnavailable(f"{self.path}: {postgres_reason(error)}") from error

    @contextmanager
    def _transaction(self, *, serialised: bool) -> Iterator[Connection]:
        """One transaction; ``serialised`` also takes the shared write lock first."""
        with self._guard(), self._connection() as conn, conn.transaction():
            if serialised:
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (WRITE_LOCK,))
            yield Connection(conn)

    @contextmanager
    def _write(self) -> Iterator[Any]:
        """A write of the methods shared with SQLite: one transaction, one writer at a time."""
        with self._transaction(serialised=True) as conn:
            yield conn
            self._before_commit(conn)
        self._after_commit()

    if TYPE_CHECKING:
        # Defined by the shared SQLite parts (the audit trail's), which come after this
        # class in ``PostgresStorage``'s order: a definition here would hide theirs.
        def _before_commit(self, conn: Any) -> None: ...
        def _after_commit(self) -> None: ...

    def _read(self, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
        with self._guard(), self._connection() as conn:
            return conn.execute(psycopg_sql(sql), params).fetchall()

    @contextmanager
    def advisory_lock(self, name: str, *, wait: bool = True) -> Iterator[bool]:
        """Hold the named lock across every host (True), or without ``wait`` yield False when
        another session has it. Held by a connection of its own until the block ends.

        A waiter holds no connection while it waits: it tries, gives the connection back and
        tries again every ``LOCK_RETRY_S``, for up to ``LOCK_WAIT_S``. Blocked in
        ``pg_advisory_lock``, waiters held one connection each, and when they filled the
        process's pool the holder, which needs another for its work, got none.
        """
        deadline = time.monotonic() + LOCK_WAIT_S
        while True:
            with self._guard(), self._connection() as conn:
                row = conn.execute("SELECT pg_try_advisory_lock(%s, hashtext(%s)) AS taken",
                                   (NAMED_LOCKS, name)).fetchone()
                if row is not None and row["taken"]:
                    try:
                        yield True
                    finally:
                        conn.execute("SELECT pg_advisory_unlock(%s, hashtext(%s))",
                                     (NAMED_LOCKS, name))
                    return
            if not wait:
                yield False
                return
            if time.monotonic() > deadline:
                raise StorageUnavailable(f"{self.path}: låset ”{name}” har varit upptaget i "
                                         f"mer än {int(LOCK_WAIT_S)} sekunder")
            time.sleep(LOCK_RETRY_S)

    def close(self) -> None:
        with self._pool_lock:
            if self._pool is not None and self._pool_pid == os.getpid():
                self._pool.close()
            self._pool = None

    def ping(self) -> None:
        self._read("SELECT count(*) FROM deliveries WHERE webhook_id = ''")
