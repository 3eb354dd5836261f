"""``besoksrapport worker``: the outbox (and the Open ePlatform poll) in a process of its own.

Gunicorn's master starts one beside the web workers (``webhook.gunicorn_conf``), so
rendering and filing never compete with the webhook's threads for a web worker's GIL, and
at a lower CPU priority (``BESOKSRAPPORT_WORKER_NICE``), so a burst of deliveries is
answered first and documented right after. Runs until SIGTERM or SIGINT; then it claims
nothing more, lets the running job finish for a moment and hands it back if it cannot.
"""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import signal
import threading
import time

from besoksrapport import jsonlog
from besoksrapport.cli.notices import SwedishNotices
from besoksrapport.errors import StorageUnavailable
from besoksrapport.oep.loop import start_polling
from besoksrapport.outbox.worker import WorkerThread, run_pending
from besoksrapport.runtime import command_context, outbox_started
from besoksrapport.swedish import quantity

log = logging.getLogger("besoksrapport.worker")

CHECK_SECONDS = 0.05  # how often an idle worker looks for a due job (a read, no lock)
STOP_SECONDS = 8.0  # how long a stopping worker lets its running job finish
START_RETRY_SECONDS = 30.0  # start-up duties storage refused are tried again this often
# Set by gunicorn's master when it starts this process: if that master dies (kill -9), the
# process stops too rather than run on beside the next master's.
PARENT = "BESOKSRAPPORT_OUTBOX_PARENT"


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "worker",
        help="utför väntande arbete i bakgrunden tills processen stoppas",
        description="Utför väntande arbete (dokument, sparande, överföring, e-post och "
                    "hämtning från Open ePlatform) i bakgrunden tills processen stoppas. "
                    "Webbtjänsten startar en sådan process själv; kommandot behövs bara "
                    "när webbtjänsten körs på annat sätt.",
    )
    parser.add_argument("--until-idle", action="store_true",
                        help="avsluta när inget arbete väntar längre (till exempel från cron)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    if not args.until_idle:
        _log_as_a_service()
    try:
        ctx = command_context()
    except StorageUnavailable as error:
        if args.until_idle:
            raise
        # Never the command's status 3: gunicorn's master, which may reap this process,
        # reads 3 as «a worker failed to boot» and stops the whole service. It starts this
        # process again instead, and the storage may be back by then.
        log.error("outbox process cannot reach storage", extra={
            "error_type": type(error).__name__})
        return 1
    if args.until_idle:
        done = run_pending(ctx, limit=1_000_000)
        print(f"{quantity(len(done), 'uppgift', 'uppgifter')} utfördes; inget arbete väntar "
              "just nu.")
        return 1 if any(outcome.result == "failed" for outcome in done) else 0
    if ctx.settings.worker_nice:
        with contextlib.suppress(OSError):
            os.nice(ctx.settings.worker_nice)
    stop = threading.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        signal.signal(sig, lambda *_: stop.set())
    started = outbox_started(ctx)
    worker = WorkerThread(ctx, check_seconds=CHECK_SECONDS)
    worker.start()
    poller = start_polling(ctx, worker.wake)
    parent = os.environ.get(PARENT)
    tried = time.monotonic()
    while not stop.wait(0.5):
        if not started and time.monotonic() - tried > START_RETRY_SECONDS:
            started, tried = outbox_started(ctx), time.monotonic()  # storage is back?
        if parent and str(os.getppid()) != parent:
            log.warning("gunicorn's master is gone; the outbox process stops")
            break
        if not worker.is_alive():  # never expected: the loop catches everything
            log.error("outbox worker thread ended")
            return 1
    if poller is not None:
        poller.stop()
    worker.stop(STOP_SECONDS)
    ctx.storage.close()
    return 0


def _log_as_a_service() -> None:
    """A service, not a command at a terminal: its log is the web app's JSON lines, for IT,
    instead of the Swedish notices a secretary would get."""
    project = logging.getLogger("besoksrapport")
    project.handlers = [h for h in project.handlers if not isinstance(h, SwedishNotices)]
    jsonlog.configure()
