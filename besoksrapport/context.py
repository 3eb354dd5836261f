"""What the outbox's handlers and the secretary's commands work with, built once per process.

See ``runtime.build_context``, which loads it from the settings.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from .committee import Committee
from .documents import Renderers
from .errors import PermanentError
from .report import Report
from .settings import Settings
from .storage import Job, Storage

Handler = Callable[[Job, "Context"], None]


@dataclass
class Context:
    """The settings, the storage, the committee, the job handlers and the renderers."""

    settings: Settings
    storage: Storage
    committee: Committee
    handlers: Mapping[str, Handler]
    renderers: Renderers

    def meeting_dir(self, day: dt.date) -> Path:
        """The meeting's folder under the data folder."""
        return self.settings.meetings_dir / day.isoformat()

    def report_of(self, job: Job) -> Report:
        """The report a job is about; a report that is gone fails the job for good."""
        try:
            return self.storage.get_report(job.payload["report_id"])
        except KeyError:
            raise PermanentError(f"Rapporten {job.payload.get('report_id')} finns inte.") from None
