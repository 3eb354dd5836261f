"""``besoksrapport process``: run the due jobs of the outbox once (for cron and tests).

The web app runs the outbox in a background thread; this command does the same work from
the command line, e.g. when the app runs with BESOKSRAPPORT_RUN_WORKER=false.
"""

from __future__ import annotations

import argparse

from ..pending_work import run_now
from ..runtime import command_context


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "process",
        help="run the pending jobs (documents, filing) once and exit",
        description="Run the due jobs of the outbox once and print what was done.",
    )
    parser.add_argument("--limit", type=int, default=1000,
                        help="run at most this many jobs (default 1000)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    done = run_now(ctx, limit=args.limit)
    for report in done.assigned:
        print(f"{report.report_id}: assigned to a meeting")
    for outcome in done.outcomes:
        line = f"job {outcome.job_id} {outcome.kind}: {outcome.result}"
        print(line + (f" ({outcome.error})" if outcome.error else ""))
    print(f"{len(done.outcomes)} job(s) run, {done.still_pending} still pending")
    return 1 if done.failed else 0
