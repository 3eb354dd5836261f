"""Heavy exports off the webhook's worker: each in a process of its own, with a time limit.

The period files (follow-up, the payroll's basis) and the bundle read and render for a
while: 2,000 reports over the longest allowed period held a request thread of the web
worker that also takes the deliveries for 1-2 s, 0.3-0.8 s of it computing under the GIL
the deliveries need, and more reports hold it longer. Here the export runs in
``besoksrapport.cli.export_process`` (niced, on the other core), the request thread only
waits for it, and past ``BESOKSRAPPORT_EXPORT_SECONDS`` the process is killed and the
secretary gets a Swedish «try again» page (503, Retry-After). At most ``AT_ONCE`` exports
run per web worker; one more is refused the same way at once rather than take another of
its threads.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping
from pathlib import Path

from besoksrapport.errors import StorageUnavailable

log = logging.getLogger("webhook.secretary")

AT_ONCE = 2  # per web worker process, of its 8 request threads
CHILD = "besoksrapport.cli.export_process"
UNUSABLE_PERIOD, NO_STORAGE = 2, 3  # the child's exit statuses (see CHILD)
RETRY_AFTER_SECONDS = 60
_running = threading.BoundedSemaphore(AT_ONCE)


class ExportUnavailable(Exception):
    """The export could not be made now; the message is Swedish, for the secretary."""

    retry_after = RETRY_AFTER_SECONDS


class PeriodRefused(Exception):
    """The export refused the period; the message is its Swedish reason."""


TOO_SLOW = ("Underlaget tog längre tid att ta fram än tjänsten tillåter ({seconds} sekunder) "
            "och avbröts, så att rapporterna som kommer in inte ska vänta. Försök igen om en "
            "stund, eller välj en kortare period.")
BUSY = ("Ett annat underlag tas fram just nu. Försök igen om en stund; inget har ändrats.")
FAILED = ("Underlaget kunde inte tas fram. Försök igen om en stund; om felet finns kvar, "
          "berätta för den som sköter tjänsten.")


def run_export(env: Mapping[str, str], seconds: int, kind: str, *arguments: str) -> list[Path]:
    """Run the export in its own process; the paths it wrote.

    Raises ``ExportUnavailable`` past ``seconds`` (the process is killed), when ``AT_ONCE``
    exports are already running here, or when it fails; ``PeriodRefused`` for a period it
    cannot use; ``StorageUnavailable`` when it cannot reach the storage.
    """
    if not _running.acquire(blocking=False):
        raise ExportUnavailable(BUSY)
    try:
        return _run(env, seconds, kind, arguments)
    finally:
        _running.release()


def _run(env: Mapping[str, str], seconds: int, kind: str,
         arguments: tuple[str, ...]) -> list[Path]:
    child = subprocess.Popen(
        [sys.executable, "-m", CHILD, kind, *arguments],
        env={**env, "PYTHONIOENCODING": "utf-8", "BESOKSRAPPORT_EXPORT_SECONDS": str(seconds)},
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = child.communicate(timeout=seconds)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(child.pid, signal.SIGKILL)  # the export and anything it started
        child.communicate()
        log.warning("export stopped at its time limit", extra={"kind": kind,
                                                               "limit_seconds": seconds})
        raise ExportUnavailable(TOO_SLOW.format(seconds=seconds)) from None
    if child.returncode == UNUSABLE_PERIOD:
        # The reason is the child's last line: anything a library printed before it (a
        # warning, in English) is not for the secretary.
        lines = [line for line in err.decode("utf-8", "replace").splitlines() if line.strip()]
        raise PeriodRefused(lines[-1].strip() if lines else "Perioden går inte att använda.")
    if child.returncode == NO_STORAGE:
        raise StorageUnavailable("the export could not reach the storage")
    if child.returncode != 0:
        # Its stderr is not logged: a traceback may quote a report.
        log.error("export failed", extra={"kind": kind, "exit_status": child.returncode})
        raise ExportUnavailable(FAILED)
    return [Path(line) for line in out.decode("utf-8").splitlines() if line]
