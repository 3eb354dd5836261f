"""Durable state: received reports, their deliveries, the quarantine and the job outbox.

``Storage`` is the interface the web app, the worker and the CLI use; ``SqliteStorage`` is
the one implementation today (a later issue adds PostgreSQL behind the same methods). Any
failure of the database or the disk raises ``StorageUnavailable``.

The parts: ``protocol`` (the interface and its records), ``schema`` (the migrations),
``database`` (connections, transactions, errors), ``group_commit`` and ``recording``
(recording deliveries), ``reports``, ``quarantine``, ``outbox`` (jobs), ``notified``
(which reports the secretary has been mailed), ``accounts`` (the secretaries' local
accounts), ``diary`` (diarienummer), ``visit_history`` (a politician's visits in order, for
the receipt's count) and ``sqlite`` (``SqliteStorage`` made of them).
"""

from .database import BUSY_TIMEOUT_MS
from .protocol import (
    ABANDONED,
    Job,
    NewJob,
    QuarantinedDelivery,
    QueuedJob,
    Storage,
    VisitRecord,
)
from .schema import MIGRATIONS
from .sqlite import SqliteStorage, open_storage

__all__ = [
    "ABANDONED",
    "BUSY_TIMEOUT_MS",
    "MIGRATIONS",
    "Job",
    "NewJob",
    "QuarantinedDelivery",
    "QueuedJob",
    "SqliteStorage",
    "Storage",
    "VisitRecord",
    "open_storage",
]
