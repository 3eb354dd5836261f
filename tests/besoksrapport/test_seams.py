"""The composition root's seams: one job registry, a document system port, after-filing hooks
and one kind of transport failure the outbox understands."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from webhook_helpers import body_of, envelope_for

from besoksrapport.delivery.errors import DeliveryFailed
from besoksrapport.errors import TransportFailed
from besoksrapport.oep.errors import OepError
from besoksrapport.outbox.jobs import DELIVER_MEETING, jobs_for_new_report
from besoksrapport.outbox.registry import JobKind, JobRegistry
from besoksrapport.outbox.worker import run_pending
from besoksrapport.runtime import JOBS


class RecordingSystem:
    """A document system that keeps what it is given (a stand-in for a second kind)."""

    def __init__(self, failure: Exception | None = None):
        self.delivered: list[str] = []
        self.failure = failure

    def deliver_meeting(self, filed):
        if self.failure is not None:
            raise self.failure
        self.delivered.append(filed.meeting_date.isoformat())
        return []


def receive(ctx, submission_id="oep-1"):
    envelope = envelope_for(submission_id)
    meeting = min(day for day in ctx.committee.meetings if day > datetime.now(UTC).date())
    ctx.storage.record_report(f"msg_{submission_id}", body_of(envelope), envelope,
                              datetime.now(UTC), meeting, jobs=jobs_for_new_report())
    return meeting


def test_a_kind_declared_twice_is_refused():
    kind = JobKind("same", lambda job, ctx: None, "samma")
    with pytest.raises(ValueError, match="same"):
        JobRegistry([kind, kind])


def test_every_job_kind_has_its_handler_and_swedish_label_in_the_one_registry(ctx):
    assert set(ctx.handlers) == set(JOBS.labels) and ctx.jobs is JOBS
    assert JOBS.job_label(DELIVER_MEETING, {"meeting_date": "2026-12-10"}) == \
        "överföring till dokumentsystemet för sammanträdet den 10 december 2026"


def test_a_second_document_system_gets_the_meeting_through_the_port(ctx):
    ctx.document_system = RecordingSystem()
    day = receive(ctx)
    outcomes = run_pending(ctx)
    assert (DELIVER_MEETING, "done") in [(o.kind, o.result) for o in outcomes]
    assert ctx.document_system.delivered == [day.isoformat()]


def test_after_filing_hooks_hear_of_every_filing(ctx):
    heard = []
    ctx.after_filing = (lambda context, filed: heard.append(filed.meeting_date),)
    day = receive(ctx)
    run_pending(ctx)
    assert heard == [day]


@pytest.mark.parametrize("error", [DeliveryFailed, OepError])
def test_a_transport_failure_no_retry_can_heal_fails_the_job_at_once(ctx, error):
    assert issubclass(error, TransportFailed)
    ctx.document_system = RecordingSystem(error("Dokumentsystemet svarade 401.",
                                                retryable=False, status=401))
    receive(ctx)
    outcomes = {o.kind: o for o in run_pending(ctx)}
    assert outcomes[DELIVER_MEETING].result == "failed"
    assert outcomes[DELIVER_MEETING].error == "Dokumentsystemet svarade 401."


def test_a_transport_failure_that_may_pass_is_retried(ctx):
    ctx.document_system = RecordingSystem(DeliveryFailed("Dokumentsystemet svarade 503.",
                                                         retryable=True, status=503))
    receive(ctx)
    outcomes = {o.kind: o for o in run_pending(ctx)}
    assert outcomes[DELIVER_MEETING].result == "retry"
