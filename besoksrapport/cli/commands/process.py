"""``besoksrapport process``: run the due jobs of the outbox once (for cron and tests).

The web app runs the outbox in a background thread; this command does the same work from
the command line, e.g. when the app runs with BESOKSRAPPORT_RUN_WORKER=false.
"""

from __future__ import annotations

import argparse

from besoksrapport.cli.arguments import positive_number
from besoksrapport.outbox.registry import result_label
from besoksrapport.runtime import command_context
from besoksrapport.secretary.audit import record_command
from besoksrapport.secretary.pending_work import run_now
from besoksrapport.swedish import long_date, quantity, sentence


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "process",
        help="utför väntande arbete (dokument, sparande, överföring, e-post) en gång",
        description="Utför det arbete som står på tur en gång och visa vad som gjordes.",
    )
    parser.add_argument("--limit", type=positive_number, default=1000, metavar="ANTAL",
                        help="utför högst så här många uppgifter (standard: 1000)")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    done = run_now(ctx, limit=args.limit)
    record_command(ctx, "run_work", "", f"{len(done.outcomes)} körda, "
                   f"{len(done.failed)} misslyckades")
    for report in done.assigned:
        assert report.meeting_date is not None  # assign_waiting returns only assigned ones
        print(f"{report.report_id} har förts till sammanträdet den "
              f"{long_date(report.meeting_date)}.")
    for outcome in done.outcomes:
        line = f"Uppgift {outcome.job_id}, {ctx.jobs.kind_label(outcome.kind)}: " \
               f"{result_label(outcome.result)}."
        print(line + (f" {sentence(outcome.error)}" if outcome.error else ""))
    waiting = done.still_pending
    still = f"{quantity(waiting, 'uppgift', 'uppgifter')} väntar fortfarande" if waiting \
        else "inget väntar"
    print(f"{quantity(len(done.outcomes), 'uppgift', 'uppgifter')} kördes; {still}.")
    return 1 if done.failed else 0
