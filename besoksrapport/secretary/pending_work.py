"""The outbox as the secretary sees it: what is waiting, what failed, and «Försök igen».

Shared by ``besoksrapport outbox`` / ``process`` and the secretary's page, so both describe
a job in the same words and retry or run the outbox the same way.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from besoksrapport.errors import BesoksrapportError
from besoksrapport.outbox.assignment import assign_waiting
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.worker import Outcome, run_pending
from besoksrapport.report import Report
from besoksrapport.storage import Job


class NotRetryable(BesoksrapportError):
    """«Försök igen» for a job that is not (or no longer) failed; the message is Swedish."""


@dataclass(frozen=True)
class Work:
    pending: list[Job]
    failed: list[Job]


@dataclass(frozen=True)
class Run:
    """What one run of the outbox did (``besoksrapport process``, «Kör väntande arbete nu»)."""

    assigned: list[Report]
    outcomes: list[Outcome]
    still_pending: int

    @property
    def failed(self) -> list[Outcome]:
        return [outcome for outcome in self.outcomes if outcome.result == "failed"]


def describe(ctx: Context, job: Job) -> str:
    """«sparande i mappen för sammanträdet den 10 december 2026»: what the job does, in words."""
    return ctx.jobs.job_label(job.kind, job.payload)


def outbox_work(ctx: Context) -> Work:
    return Work(ctx.storage.pending_jobs(), ctx.storage.failed_jobs())


def retry(ctx: Context, job_id: int, now: dt.datetime | None = None) -> Job:
    """Make a failed job due again now, with a fresh count of attempts."""
    job = ctx.storage.retry_failed_job(job_id, now or dt.datetime.now(dt.UTC))
    if job is None:
        raise NotRetryable(f"Det finns inget misslyckat arbete med nummer {job_id}; "
                           "det kan redan ha körts igen.")
    return job


def run_now(ctx: Context, limit: int = 1000) -> Run:
    """Give waiting reports a meeting, then run the due jobs once."""
    assigned = assign_waiting(ctx)
    outcomes = run_pending(ctx, limit=limit)
    return Run(assigned, outcomes, len(ctx.storage.pending_jobs()))
