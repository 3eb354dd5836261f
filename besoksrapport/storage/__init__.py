"""Durable state: received reports, their deliveries, the quarantine and the job outbox.

``Storage`` is the interface the web app, the worker and the CLI use; ``SqliteStorage`` is
the one implementation today (a later issue adds PostgreSQL behind the same methods). Any
failure of the database or the disk raises ``StorageUnavailable``.

The parts: ``protocol`` (the interface and its records), ``schema`` (the migrations),
``database`` (connections, transactions, errors), ``group_commit`` and ``reception``
(recording deliveries), ``reports``, ``quarantine``, ``outbox`` (jobs), ``notifications``
(the secretary's e-mail) and ``sqlite`` (``SqliteStorage`` made of them).
"""

from .database import BUSY_TIMEOUT_MS
from .protocol import ABANDONED, Job, QuarantinedDelivery, QueuedJob, Storage
from .reception import CROCKFORD, new_report_id
from .schema import MIGRATIONS
from .sqlite import SqliteStorage, open_storage

__all__ = [
    "ABANDONED",
    "BUSY_TIMEOUT_MS",
    "CROCKFORD",
    "MIGRATIONS",
    "Job",
    "QuarantinedDelivery",
    "QueuedJob",
    "SqliteStorage",
    "Storage",
    "new_report_id",
    "open_storage",
]
