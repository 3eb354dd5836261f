"""Polling Open ePlatform from the web process, beside the outbox's worker thread.

Every ``BESOKSRAPPORT_OEP_POLL_SECONDS`` one poll; of several web processes, whichever takes
the poll lock first polls and the others skip that round. A platform that is down, or any
other failure, is logged (the kind of error, a status, never an answer or a name) and the
next round tries again: the cursor has not moved, so nothing is missed. New work wakes the
outbox so the callbacks go out at once.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

from besoksrapport.committee.oep import OepConfig
from besoksrapport.errors import ConfigError
from besoksrapport.oep.errors import OepError
from besoksrapport.oep.poller import poll_once
from besoksrapport.outbox.context import Context
from besoksrapport.settings import OepSettings

log = logging.getLogger("besoksrapport.oep")


class PollThread(threading.Thread):
    """Polls the platform until stopped; ``on_work`` is called after a poll found something."""

    def __init__(self, ctx: Context, interval: float, on_work: Callable[[], None]):
        super().__init__(name="besoksrapport-oep-poll", daemon=True)
        self.ctx = ctx
        self.interval = interval
        self.on_work = on_work
        self._stopping = threading.Event()

    def stop(self, timeout: float | None = 5.0) -> None:
        self._stopping.set()
        if self.is_alive():
            self.join(timeout)

    def poll(self) -> None:
        """One round; never raises."""
        try:
            result = poll_once(self.ctx, wait=False)
        except OepError as error:
            log.warning("oep poll failed", extra={"error_type": type(error).__name__,
                                                  "status": error.status,
                                                  "retryable": error.retryable})
            return
        except Exception as error:  # the next round tries again; the text may quote data
            log.error("oep poll error", extra={"error_type": type(error).__name__})
            return
        if result is not None and (result.reports or result.refused):
            self.on_work()

    def run(self) -> None:
        while not self._stopping.is_set():
            self.poll()
            self._stopping.wait(self.interval)


def check_configured(settings: OepSettings | None, config: OepConfig | None) -> None:
    """The platform's address without an ``[oep]`` section is a mistake: ConfigError."""
    if settings is not None and config is None:
        raise ConfigError("Open ePlatform är inställt men nämndens konfiguration har inget "
                          "avsnitt [oep] med e-tjänsten och dess frågor",
                          field="BESOKSRAPPORT_OEP_URL")


def start_polling(ctx: Context, on_work: Callable[[], None]) -> PollThread | None:
    """Start polling when the platform is configured; a half configuration stops start-up."""
    settings = ctx.settings.oep
    check_configured(settings, ctx.committee.oep)
    if settings is None:
        return None
    thread = PollThread(ctx, settings.poll_seconds, on_work)
    thread.start()
    return thread
