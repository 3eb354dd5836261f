"""Figures for monitoring (``GET /metrics``): the outbox's backlog and failures, no content."""

from __future__ import annotations

from datetime import datetime

from besoksrapport.storage.protocol import OutboxFigures
from besoksrapport.storage.sqlite.database import Database, epoch


class Health(Database):
    def outbox_figures(self, now: datetime) -> OutboxFigures:
        """Jobs waiting, how long the longest-due one has waited, and failed jobs."""
        pending = self._read("SELECT count(*) AS n, min(not_before) AS oldest FROM jobs "
                             "WHERE state = 'pending'")[0]
        failed = self._read("SELECT count(*) AS n FROM jobs WHERE state = 'failed'")[0]
        oldest = pending["oldest"]
        waited = max(0.0, epoch(now) - oldest) if oldest is not None else 0.0
        return OutboxFigures(pending=int(pending["n"]), oldest_due_seconds=waited,
                             failed=int(failed["n"]))
