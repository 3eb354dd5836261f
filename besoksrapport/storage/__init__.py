"""Durable state behind one interface: reports, deliveries, the quarantine and the outbox.

``Storage`` (``protocol``) is what the web app, the worker and the CLI use, with every record
it returns. ``open_storage(url)`` picks the backend from the URL's scheme: ``sqlite:///…`` is
``sqlite.SqliteStorage``, today's one backend, made of one mixin per part (recording,
reports, quarantine, outbox, notified, Open ePlatform, accounts, diarienummer, visit
history, the audit trail and «hanterad» marks, gallring). ``postgresql://…`` is
``postgres.PostgresStorage`` (psycopg 3, loaded only then), for several hosts on one
database. Any failure of the database or the disk raises ``StorageUnavailable``.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import quote, unquote

from besoksrapport.errors import ConfigError
from besoksrapport.storage.protocol import (
    ABANDONED,
    AuditEntry,
    HandledMark,
    Job,
    NewJob,
    OepInstance,
    PrivacyReview,
    QuarantinedDelivery,
    QueuedJob,
    Storage,
    VisitRecord,
    Withdrawal,
)

__all__ = [
    "ABANDONED",
    "AuditEntry",
    "HandledMark",
    "Job",
    "NewJob",
    "OepInstance",
    "PrivacyReview",
    "QuarantinedDelivery",
    "QueuedJob",
    "Storage",
    "VisitRecord",
    "Withdrawal",
    "open_storage",
    "sqlite_url",
]


SQLITE = "sqlite:///"
POSTGRESQL = ("postgresql://", "postgres://")


def sqlite_url(path: Path) -> str:
    """The URL of a database file: ``sqlite:///var/x.sqlite3`` (relative to the working
    folder) or ``sqlite:////srv/x.sqlite3`` (absolute), as SQLAlchemy writes them."""
    return SQLITE + quote(str(path))


def open_storage(url: str, *, lazy: bool = False) -> Storage:
    """The storage a URL names; the backend's module is loaded only when it is used.

    ``lazy``: a database that cannot be opened now is tried again at each use (each raising
    ``StorageUnavailable`` until it works) instead of failing here.
    """
    if url.startswith(SQLITE) and len(url) > len(SQLITE):
        from besoksrapport.storage.sqlite import SqliteStorage

        return SqliteStorage(Path(unquote(url[len(SQLITE):])), lazy=lazy)
    if url.startswith(POSTGRESQL):
        try:
            from besoksrapport.storage.postgres import PostgresStorage
        except ImportError:
            raise ConfigError("PostgreSQL kräver tillägget besoksrapport[postgresql] "
                              "(psycopg); installera det eller använd sqlite:///",
                              field="BESOKSRAPPORT_DATABASE_URL") from None
        return PostgresStorage(url)
    raise ConfigError("ange en adress som börjar med sqlite:/// eller postgresql://",
                      field="BESOKSRAPPORT_DATABASE_URL")
