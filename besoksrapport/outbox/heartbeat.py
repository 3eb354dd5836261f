"""Running jobs keep their leases: one thread per process renews them all.

A job's lease is short (``worker.LEASE_SECONDS``) so that a killed worker's job is taken
over within seconds; while the job runs, its lease is renewed every few seconds. One
long-lived thread does that for every job running in the process, instead of a thread
started per job: on a loaded host, starting a thread (it must be scheduled and win the GIL
before ``start`` returns) took up to 220 ms, added to every job, most of which end long
before their first renewal is due.
"""

from __future__ import annotations

import contextlib
import logging
import os
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass

from besoksrapport.errors import StorageUnavailable
from besoksrapport.storage import Storage

log = logging.getLogger("besoksrapport.worker")

IDLE_SECONDS = 60.0  # the longest the keeper sleeps when no renewal is due


@dataclass(eq=False)  # each lease is itself, whatever its fields: kept in a set
class _Lease:
    storage: Storage
    job_id: int
    every: float
    lease_seconds: float
    due: float  # when the next renewal is due (time.monotonic)
    claim: int | None = None  # the job's attempts when claimed (``Storage.extend_lease``)


class LeaseKeeper:
    """Renews the leases of the jobs registered with ``keep``, each at its own pace."""

    def __init__(self) -> None:
        self._leases: set[_Lease] = set()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def keep(self, storage: Storage, job_id: int, every: float,
             lease_seconds: float, claim: int | None = None) -> Iterator[None]:
        lease = _Lease(storage, job_id, every, lease_seconds, time.monotonic() + every, claim)
        with self._changed:
            self._leases.add(lease)
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, daemon=True,
                                                name="besoksrapport-leases")
                self._thread.start()
            self._changed.notify()
        try:
            yield
        finally:
            with self._changed:
                self._leases.discard(lease)

    def _run(self) -> None:
        while True:
            with self._changed:
                now = time.monotonic()
                due = [lease for lease in self._leases if lease.due <= now]
                if not due:
                    soonest = min((lease.due for lease in self._leases),
                                  default=now + IDLE_SECONDS)
                    self._changed.wait(min(soonest - now, IDLE_SECONDS))
                    continue
                for lease in due:
                    lease.due = now + lease.every
            for lease in due:
                self._renew(lease)

    def _renew(self, lease: _Lease) -> None:
        try:
            if not lease.storage.extend_lease(lease.job_id, lease.lease_seconds, lease.claim):
                lease.due = float("inf")  # settled or taken over: nothing more to keep
        except StorageUnavailable:
            pass  # tried again at the next beat; the lease has room for one miss
        except Exception:  # never let the keeper die: every running job depends on it
            log.exception("heartbeat failed", extra={"job_id": lease.job_id})
            lease.due = float("inf")


_keeper: tuple[int, LeaseKeeper] | None = None
_keeper_lock = threading.Lock()


def keeper() -> LeaseKeeper:
    """This process's keeper (a forked child makes its own: threads do not survive fork)."""
    global _keeper
    with _keeper_lock:
        if _keeper is None or _keeper[0] != os.getpid():
            _keeper = (os.getpid(), LeaseKeeper())
        return _keeper[1]
