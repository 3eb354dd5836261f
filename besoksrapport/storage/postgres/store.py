"""``PostgresStorage``: the ``Storage`` on PostgreSQL, put together from the parts.

What SQLite and PostgreSQL do alike (reading reports, moving them, the quarantine, the
notifications, Open ePlatform's instances, accounts, diarienummer, enqueueing) is the
SQLite backend's code run on this package's connections; what differs (connections and
locks, recording, claiming, the visit history, the filed files) is this package's and comes first.
"""

from __future__ import annotations

from besoksrapport.storage.postgres.filed_files import FiledFiles
from besoksrapport.storage.postgres.recording import PostgresRecording
from besoksrapport.storage.postgres.visit_history import PostgresVisitHistory
from besoksrapport.storage.sqlite.accounts import Accounts
from besoksrapport.storage.sqlite.audit import AuditTrail
from besoksrapport.storage.sqlite.diary import DiaryNumbers
from besoksrapport.storage.sqlite.health import Health
from besoksrapport.storage.sqlite.notified import Notified
from besoksrapport.storage.sqlite.oep import OepStore
from besoksrapport.storage.sqlite.publication import Publication
from besoksrapport.storage.sqlite.quarantine import Quarantine
from besoksrapport.storage.sqlite.reports import ReportStore
from besoksrapport.storage.sqlite.retention import Retention


class PostgresStorage(PostgresRecording, PostgresVisitHistory, FiledFiles,  # type: ignore[misc]
                      ReportStore, Quarantine, Notified, OepStore, Accounts, DiaryNumbers,
                      Health, Publication, AuditTrail, Retention):
    """``Storage`` on one PostgreSQL database; safe to share between threads, processes and
    hosts."""
