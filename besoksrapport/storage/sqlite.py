"""``SqliteStorage``: the one ``Storage`` today, put together from the parts of this package."""

from __future__ import annotations

from pathlib import Path

from .accounts import Accounts
from .diary import DiaryNumbers
from .notified import Notified
from .oep import OepStore
from .quarantine import Quarantine
from .recording import Recording
from .reports import ReportStore
from .visit_history import VisitHistory


class SqliteStorage(Recording, ReportStore, Quarantine, Notified, OepStore, Accounts,
                    DiaryNumbers, VisitHistory):
    """``Storage`` on one SQLite file; safe to share between threads and processes."""


def open_storage(database_path: Path) -> SqliteStorage:
    """The storage the settings point at (SQLite today)."""
    return SqliteStorage(database_path)
