"""Runs the work that follows the webhook's answer, from the durable outbox.

A handler is looked up by the job's kind and called as ``handler(job, ctx)``. It must be
idempotent: a job can run more than once (a crash after the work but before
``complete_job``, or a lease that ran out). A failing job is retried with exponential
backoff and jitter; after ``MAX_ATTEMPTS`` it is marked failed and stays visible, while the
report itself is untouched. That holds too for a job that never ends its run (the process
dies while running it): once its last lease has run out it is not claimed again but failed.
Nothing here ever deletes or changes a report's raw body.

Leases are short and renewed: while a job runs, a heartbeat extends its lease every
``HEARTBEAT_SECONDS``, so a job whose worker was killed is taken over within
``LEASE_SECONDS`` instead of minutes. A graceful stop (SIGTERM to the worker process or to
a web worker) stops claiming, lets the running job finish for a moment, and hands a job it
could not finish back at once (``release_job``): the next worker need not wait for the lease.
"""

from __future__ import annotations

import contextlib
import logging
import random
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from besoksrapport.errors import (
    BesoksrapportError,
    PermanentError,
    StorageUnavailable,
    TransportFailed,
)
from besoksrapport.failure_reasons import os_reason
from besoksrapport.outbox.context import Context
from besoksrapport.outbox.courtesy import Courtesy
from besoksrapport.outbox.heartbeat import keeper
from besoksrapport.storage import Job

log = logging.getLogger("besoksrapport.worker")

LEASE_SECONDS = 15.0  # a killed worker's job is due again after this; renewed while it runs
HEARTBEAT_SECONDS = 5.0  # how often a running job's lease is renewed
BACKOFF_BASE = 5.0
BACKOFF_CAP = 3600.0
MAX_ATTEMPTS = 20  # with the cap, roughly a day of retries


@dataclass(frozen=True)
class Outcome:
    job_id: int
    kind: str
    result: str  # "done", "retry" or "failed"
    error: str | None = None


def backoff(attempts: int) -> timedelta:
    """Full-jitter exponential backoff: a random delay up to base·2^(n-1), capped."""
    ceiling = min(BACKOFF_CAP, BACKOFF_BASE * 2 ** max(0, attempts - 1))
    return timedelta(seconds=random.uniform(ceiling / 2, ceiling))  # noqa: S311 (not crypto)


def _describe(error: BaseException) -> str:
    """The text stored as the job's last error and shown by ``besoksrapport outbox``.

    Swedish, for the secretary, and without personal data. Our own exceptions are written
    so. An OSError's text is not: it names the file (filename, filename2), and a report's
    file name holds the politician's name, so only a Swedish reason and the errno are kept.
    Anything else is a fault in the program: its class is named for IT, its text (English,
    maybe holding data) is not kept.
    """
    if isinstance(error, BesoksrapportError):
        text = str(error)
    elif isinstance(error, OSError):
        text = f"Systemfel: {os_reason(error)}."
    else:
        text = (f"Oväntat fel i programmet ({type(error).__name__}); "
                "kontakta den som sköter systemet.")
    return text[:500]


def permanent(error: BaseException) -> bool:
    """Whether retrying cannot help: said so, or another system refused for good."""
    return isinstance(error, PermanentError) or (
        isinstance(error, TransportFailed) and not error.retryable)


def heartbeat(ctx: Context, job: Job, every: float = HEARTBEAT_SECONDS,
              lease_seconds: float = LEASE_SECONDS) -> contextlib.AbstractContextManager[None]:
    """Keep ``job``'s lease alive while the block runs (renewed every ``every`` s by the
    process's one lease keeper, ``outbox.heartbeat``)."""
    return keeper().keep(ctx.storage, job.id, every, lease_seconds, claim=job.attempts)


def run_job(job: Job, ctx: Context) -> Outcome:
    """Run one claimed job, its lease renewed meanwhile, and record how it went."""
    started = time.monotonic()
    handler = ctx.handlers.get(job.kind)
    try:
        if handler is None:
            raise PermanentError(f"Uppgiften av slaget {job.kind} finns inte i den här "
                                 "versionen av programmet och kan inte utföras.")
        with heartbeat(ctx, job):
            handler(job, ctx)
    except Exception as error:
        text = _describe(error)
        if permanent(error) or job.attempts >= MAX_ATTEMPTS:
            ctx.storage.fail_job(job.id, text, claim=job.attempts)
            outcome = Outcome(job.id, job.kind, "failed", text)
        else:
            ctx.storage.retry_job(job.id, text, datetime.now(UTC) + backoff(job.attempts),
                                  claim=job.attempts)
            outcome = Outcome(job.id, job.kind, "retry", text)
        log.warning("job %s", outcome.result, extra={
            "job_id": job.id, "kind": job.kind, "attempts": job.attempts,
            "error_type": type(error).__name__,
            "duration_ms": round((time.monotonic() - started) * 1000, 1)})
        return outcome
    ctx.storage.complete_job(job.id, claim=job.attempts)
    log.info("job done", extra={
        "job_id": job.id, "kind": job.kind, "attempts": job.attempts,
        "duration_ms": round((time.monotonic() - started) * 1000, 1)})
    return Outcome(job.id, job.kind, "done")


class Claims:
    """The job a runner holds right now, so a graceful stop can hand it back."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._job: Job | None = None
        self.stopping = threading.Event()

    def hold(self, job: Job | None) -> None:
        with self._lock:
            self._job = job

    def release(self, ctx: Context) -> Job | None:
        """Hand the held job back (due again at once); the job, or None if none was held."""
        with self._lock:
            job, self._job = self._job, None
        if job is not None:
            ctx.storage.release_job(job.id, claim=job.attempts)
            log.info("job handed back", extra={"job_id": job.id, "kind": job.kind})
        return job


def run_pending(ctx: Context, limit: int = 100, *, hurry: bool = True,
                claims: Claims | None = None,
                courtesy: Courtesy | None = None) -> list[Outcome]:
    """Run due jobs until none is left or ``limit`` have run.

    ``hurry`` (the commands, cron, the secretary's «Kör nu» and tests): a debounced job
    waiting for its burst to end is run too once nothing else is due. The background
    worker passes False and lets bursts coalesce, and a ``courtesy`` that gives way to the
    webhook while deliveries are arriving.
    """
    outcomes: list[Outcome] = []
    claims = claims or Claims()
    hurried = False
    while len(outcomes) < limit and not claims.stopping.is_set():
        if courtesy is not None:
            courtesy.wait()
        job = ctx.storage.claim_job(datetime.now(UTC), LEASE_SECONDS, MAX_ATTEMPTS)
        if job is None:
            if not hurry or hurried:
                break
            hurried = True
            if not any([ctx.storage.bring_forward(kind, datetime.now(UTC))
                        for kind in ctx.jobs.debounced]):
                break
            continue
        claims.hold(job)
        try:
            outcomes.append(run_job(job, ctx))
        finally:
            claims.hold(None)
        hurried = False
    return outcomes


class WorkerThread(threading.Thread):
    """Polls the outbox in the background; ``wake()`` skips the wait.

    In a web process the webhook wakes it. In the outbox's own process (``besoksrapport
    worker``) nothing can, so it looks every ``check_seconds`` whether a job is due, with a
    read that takes no lock, and claims only then.
    """

    def __init__(self, ctx: Context, poll_seconds: float = 1.0,
                 check_seconds: float | None = None):
        super().__init__(name="besoksrapport-worker", daemon=True)
        self.check_seconds = check_seconds
        ctx.defer_bundles = True  # bursts of reports build their meeting's bundle once
        self.ctx = ctx
        self.poll_seconds = poll_seconds
        self._wake = threading.Event()
        self.claims = Claims()
        self._stopping = self.claims.stopping
        self.courtesy = Courtesy(ctx.storage.arrivals_since, self._stopping)

    def wake(self) -> None:
        self._wake.set()

    def stop(self, timeout: float | None = 5.0) -> None:
        """Claim nothing more; wait up to ``timeout`` for the running job, then hand it back."""
        self._stopping.set()
        self._wake.set()
        if self.is_alive():
            self.join(timeout)
        if self.is_alive():
            with contextlib.suppress(StorageUnavailable):
                self.claims.release(self.ctx)

    def run(self) -> None:
        while not self._stopping.is_set():
            try:
                run_pending(self.ctx, limit=50, hurry=False, claims=self.claims,
                            courtesy=self.courtesy)
            except StorageUnavailable as error:
                log.warning("outbox unavailable", extra={"error_type": type(error).__name__})
            except Exception as error:  # keep polling; the job itself is retried by lease
                log.exception("worker loop error", extra={"error_type": type(error).__name__})
            self._idle()

    def _idle(self) -> None:
        """Wait ``poll_seconds``, or until woken, or (``check_seconds``) until a job is due."""
        deadline = time.monotonic() + self.poll_seconds
        step = self.check_seconds or self.poll_seconds
        while not self._stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0 or self._wake.wait(min(step, left)):
                break
            if self.check_seconds is not None:
                try:
                    if self.ctx.storage.has_due_job(datetime.now(UTC)):
                        break
                except StorageUnavailable:
                    pass
        self._wake.clear()
