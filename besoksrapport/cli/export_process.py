"""The process a heavy export of the secretary's page runs in (``webhook.secretary.exports``).

Not a command for people: the page starts it with the service's environment, waits at most
its time limit and kills it past that, so an export never holds a web worker's CPU or
outlives its request. Arguments: ``follow_up|compensation FIRST LAST FOLDER`` or ``bundle
DAY``. Prints the paths it wrote, one a line; a period that cannot be used prints its Swedish
reason on stderr and exits 2; storage that cannot be reached exits 3. Should the web worker
die first (kill -9), the process ends itself a little after the same limit.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import signal
import sys
from pathlib import Path

from besoksrapport.errors import StorageUnavailable
from besoksrapport.runtime import command_context
from besoksrapport.secretary.exports import PeriodError, compensation_files, follow_up_files
from besoksrapport.secretary.meeting_files import bundle_now
from besoksrapport.settings import env_int

PERIOD_FILES = {"follow_up": follow_up_files, "compensation": compensation_files}
UNUSABLE_PERIOD, NO_STORAGE = 2, 3
MARGIN_SECONDS = 5


def export(kind: str, arguments: list[str]) -> list[Path]:
    ctx = command_context()
    # Behind the webhook's deliveries on the CPU, as the outbox process is.
    if ctx.settings.worker_nice:
        with contextlib.suppress(OSError):
            os.nice(ctx.settings.worker_nice)
    try:
        if kind == "bundle":
            return [bundle_now(ctx, dt.date.fromisoformat(arguments[0]))]
        first, last = (dt.date.fromisoformat(text) for text in arguments[:2])
        return PERIOD_FILES[kind](ctx, first, last, Path(arguments[2]))
    finally:
        ctx.storage.close()


def main(argv: list[str] | None = None) -> int:
    kind, *arguments = sys.argv[1:] if argv is None else argv
    # SIGALRM's default ends the process: no export outlives a web worker that died.
    # The page passes its limit in BESOKSRAPPORT_EXPORT_SECONDS.
    signal.alarm(env_int(os.environ, "EXPORT_SECONDS", 30) + MARGIN_SECONDS)
    try:
        paths = export(kind, arguments)
    except PeriodError as error:
        print(error, file=sys.stderr)
        return UNUSABLE_PERIOD
    except StorageUnavailable:
        return NO_STORAGE
    for path in paths:
        print(path)
    return 0


if __name__ == "__main__":
    sys.exit(main())
