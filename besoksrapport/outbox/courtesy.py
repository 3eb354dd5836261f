"""The background outbox gives way to the webhook while deliveries stream in.

The platform waits for the webhook's answer; nobody waits for a document a second later.
Rendering and filing are CPU work and write transactions, and on a small host they take the
cores and the database's write lock from the answers. So before it claims a job, the
background worker asks (one read, no lock) how many deliveries came in during the last
``window`` seconds; from ``busy`` upwards it waits, looking again every ``step`` seconds.
A count over a window, not a pause between two deliveries: a flood's commit that stalls for
a moment must not look like the end of the flood. A committee's ordinary traffic (a report
now and then) never reaches ``busy``, so its documents are not delayed at all.

A flood never stops the work for good: after ``longest`` seconds of giving way the worker
runs jobs for ``slice`` seconds, then gives way again. Commands, cron and the secretary's
«Kör nu» do not give way (they pass no courtesy).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from besoksrapport.errors import StorageUnavailable

WINDOW_SECONDS = 1.0
BUSY = 10  # deliveries in the window that mean the webhook is busy
STEP_SECONDS = 0.1  # how often a waiting worker looks again
LONGEST_SECONDS = 30.0  # the longest the outbox gives way at a stretch...
SLICE_SECONDS = 1.0  # ...before it works this long regardless


class Courtesy:
    """``wait()`` before each claim: returns once deliveries slow down, or the work's turn
    came."""

    def __init__(self, arrivals_since: Callable[[datetime, int], int],
                 stopping: threading.Event, *, window: float = WINDOW_SECONDS,
                 busy: int = BUSY, step: float = STEP_SECONDS,
                 longest: float = LONGEST_SECONDS, slice_: float = SLICE_SECONDS,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self._arrivals_since = arrivals_since
        self._stopping = stopping
        self.window, self.busy, self.step = window, busy, step
        self.longest, self.slice = longest, slice_
        self._clock = clock
        self._turn_until = float("-inf")  # working regardless until then
        self.gave_way = 0.0  # seconds given way in all (the tests read it)

    def _is_busy(self) -> bool:
        since = datetime.now(UTC) - timedelta(seconds=self.window)
        try:
            return self._arrivals_since(since, self.busy) >= self.busy
        except StorageUnavailable:
            return False  # the claim that follows meets the same fault and says so

    def wait(self) -> None:
        started = self._clock()
        if started < self._turn_until:
            return
        while self._is_busy() and not self._stopping.is_set():
            if self._clock() - started >= self.longest:
                self._turn_until = self._clock() + self.slice
                break
            self._stopping.wait(self.step)
        self.gave_way += self._clock() - started
