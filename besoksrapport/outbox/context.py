"""What the outbox's handlers and the secretary's commands work with, built once per process.

``runtime.build_context`` is the one place that fills it: it picks the storage backend, the
document system and the renderers, and joins every package's job kinds into one registry.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from besoksrapport.committee.model import Committee
from besoksrapport.errors import PermanentError
from besoksrapport.filing.pdf import PdfConverter
from besoksrapport.filing.renderers import Renderers
from besoksrapport.outbox.registry import Handler, JobRegistry
from besoksrapport.report import Report
from besoksrapport.settings import Settings
from besoksrapport.storage import Job, QueuedJob, Storage

if TYPE_CHECKING:
    from besoksrapport.delivery.document_system import DocumentSystem
    from besoksrapport.filing.folder import FiledMeeting

__all__ = ["AfterFiling", "Context", "Handler", "WithdrawalNotice"]
# Told after each filing of a meeting (Open ePlatform sets the status «filed» this way).
AfterFiling = Callable[["Context", "FiledMeeting"], None]
# The jobs that tell the politician a report was withdrawn (True) or restored (False), committed
# with the change (Open ePlatform's message and status are queued so, see runtime).
WithdrawalNotice = Callable[["Context", Report, bool], list[QueuedJob]]


@dataclass
class Context:
    """The settings, the storage, the committee, the jobs, the renderers and the document
    system (None when none is set up)."""

    settings: Settings
    storage: Storage
    committee: Committee
    jobs: JobRegistry
    renderers: Renderers
    document_system: DocumentSystem | None = None
    after_filing: Sequence[AfterFiling] = ()
    # The background worker sets this: a filing then leaves the bundle to a job built once
    # per burst of reports (outbox.jobs.queue_bundle). A command files it at once.
    defer_bundles: bool = False
    pdf: PdfConverter | None = None  # BESOKSRAPPORT_PDF: the documents also as PDF/A
    withdrawal_notices: Sequence[WithdrawalNotice] = ()
    handlers: Mapping[str, Handler] = field(init=False)

    def __post_init__(self) -> None:
        self.handlers = self.jobs.handlers

    def meeting_dir(self, day: dt.date) -> Path:
        """The meeting's folder under the data folder."""
        return self.settings.meetings_dir / day.isoformat()

    def report_of(self, job: Job) -> Report:
        """The report a job is about; a report that is gone fails the job for good."""
        try:
            return self.storage.get_report(job.payload["report_id"])
        except KeyError:
            raise PermanentError(f"Rapporten {job.payload.get('report_id')} finns inte.") from None
