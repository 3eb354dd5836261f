"""``SqliteStorage``: the ``Storage`` on SQLite, put together from the parts of this package."""

from __future__ import annotations

from besoksrapport.storage.sqlite.accounts import Accounts
from besoksrapport.storage.sqlite.audit import AuditTrail
from besoksrapport.storage.sqlite.diary import DiaryNumbers
from besoksrapport.storage.sqlite.health import Health
from besoksrapport.storage.sqlite.notified import Notified
from besoksrapport.storage.sqlite.oep import OepStore
from besoksrapport.storage.sqlite.publication import Publication
from besoksrapport.storage.sqlite.quarantine import Quarantine
from besoksrapport.storage.sqlite.recording import Recording
from besoksrapport.storage.sqlite.reports import ReportStore
from besoksrapport.storage.sqlite.retention import Retention
from besoksrapport.storage.sqlite.visit_history import VisitHistory


class SqliteStorage(Recording, ReportStore, Quarantine, Notified, OepStore, Accounts,
                    DiaryNumbers, VisitHistory, Health, Publication, AuditTrail, Retention):
    """``Storage`` on one SQLite file; safe to share between threads and processes."""

