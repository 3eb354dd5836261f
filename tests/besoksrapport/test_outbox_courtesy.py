"""The background outbox gives way to the webhook while deliveries stream in
(``outbox.courtesy``), with a clock and a count of arrivals the test controls."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from webhook_helpers import body_of, envelope_for

from besoksrapport.errors import StorageUnavailable
from besoksrapport.outbox.courtesy import Courtesy
from besoksrapport.outbox.worker import run_pending


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


class Stopping(threading.Event):
    """An event whose wait moves the test's clock on instead of sleeping."""

    def __init__(self, clock: Clock) -> None:
        super().__init__()
        self.clock = clock

    def wait(self, timeout=None) -> bool:
        self.clock.now += timeout or 0
        return self.is_set()


def courtesy(counts, **limits):
    """A courtesy whose arrivals are ``counts(now)`` on the test's clock."""
    clock = Clock()
    asked = []

    def arrivals_since(moment, enough):
        asked.append(enough)
        return min(counts(clock.now), enough)

    polite = Courtesy(arrivals_since, Stopping(clock), step=0.25, clock=clock, **limits)
    return polite, clock, asked


def test_a_lone_delivery_does_not_delay_the_work():
    polite, clock, _ = courtesy(lambda now: 1)
    polite.wait()
    assert clock.now == 0.0 and polite.gave_way == 0.0


def test_the_work_waits_while_deliveries_stream_in_and_goes_on_when_they_slow_down():
    polite, clock, asked = courtesy(lambda now: 50 if now < 3.0 else 2, busy=10)
    polite.wait()
    assert clock.now == pytest.approx(3.0)
    assert set(asked) == {10}  # never counts further than it needs


def test_a_flood_that_never_ends_still_lets_the_work_run_in_slices():
    polite, clock, _ = courtesy(lambda now: 50, longest=5.0, slice_=1.0)
    polite.wait()
    assert clock.now == pytest.approx(5.0)  # gave way for the longest stretch...
    clock.now += 0.5
    polite.wait()
    assert clock.now == pytest.approx(5.5)  # ...then works for its slice without waiting
    clock.now += 0.6
    polite.wait()
    assert clock.now == pytest.approx(11.1)  # and gives way again


def test_a_storage_fault_is_left_to_the_claim_that_follows():
    def broken(moment, enough):
        raise StorageUnavailable("databasen svarar inte")

    clock = Clock()
    Courtesy(broken, Stopping(clock), clock=clock).wait()
    assert clock.now == 0.0


def test_a_stop_ends_the_wait_at_once():
    polite, clock, _ = courtesy(lambda now: 50)
    polite._stopping.set()
    polite.wait()
    assert clock.now == 0.0


def test_the_background_worker_leaves_the_jobs_while_the_webhook_is_busy(ctx):
    """With the real storage: deliveries of the last second hold the work back; commands
    (no courtesy) run it at once."""
    now = datetime.now(UTC)
    for number in range(12):
        envelope = envelope_for(f"busy-{number}")
        ctx.storage.record_report(f"msg_busy_{number}", body_of(envelope), envelope,
                                  now - timedelta(milliseconds=10 * number), None,
                                  jobs=[("noop", {})])
    stopping = threading.Event()
    polite = Courtesy(ctx.storage.arrivals_since, stopping, window=60.0, step=0.01,
                      longest=0.05, slice_=0.0)
    ctx.handlers = {**ctx.handlers, "noop": lambda job, ctx: None}
    done = run_pending(ctx, limit=1, hurry=False, courtesy=polite)
    assert polite.gave_way >= 0.05 and len(done) == 1  # gave way, then its turn came
    assert len(run_pending(ctx, hurry=False)) == 11  # a command does not give way
