"""``besoksrapport outbox``: work not done yet (filing, delivery, e-mail) and what failed."""

from __future__ import annotations

import argparse
import sys

from besoksrapport.outbox.context import Context
from besoksrapport.outbox.worker import run_pending
from besoksrapport.runtime import command_context
from besoksrapport.secretary.audit import record_command
from besoksrapport.secretary.pending_work import NotRetryable, describe, outbox_work, retry
from besoksrapport.swedish import long_datetime, sentence


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "outbox",
        help="visa arbete som väntar eller har misslyckats (sparande, överföring, e-post)",
        description="Arbete som väntar eller har misslyckats: sparande i sammanträdets mapp, "
                    "överföring till dokumentsystemet och e-post till sekreteraren.",
    )
    parser.add_argument("--retry", type=int, metavar="NR",
                        help="försök igen med det misslyckade arbetet med detta nummer "
                             "(numret står i listan) och kör det nu")
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    if args.retry is not None:
        return _retry(ctx, args.retry)
    work = outbox_work(ctx)
    pending, failed = work.pending, work.failed
    if not pending and not failed:
        print("Inget väntar: allt är sparat och skickat.")
        return 0
    for job in pending:
        line = f"Väntar: {describe(ctx, job)}, nästa försök den {long_datetime(job.not_before)}"
        if job.attempts:
            line += f"; försök {job.attempts} misslyckades: {job.last_error or 'okänt fel'}"
        print(sentence(line))
    for job in failed:
        print(f"Misslyckades: {describe(ctx, job)} efter {job.attempts} försök: "
              f"{sentence(job.last_error or 'okänt fel')} "
              f"Försök igen med ”besoksrapport outbox --retry {job.id}”.")
    return 1 if failed else 0


def _retry(ctx: Context, job_id: int) -> int:
    """«Försök igen» from the command line: the job is due again and the outbox runs now."""
    try:
        job = retry(ctx, job_id)
    except NotRetryable as error:
        print(f"besoksrapport: {error}", file=sys.stderr)
        return 2
    record_command(ctx, "retry_job", f"nr {job_id}", describe(ctx, job))
    print(f"Försöker igen: {describe(ctx, job)}.")
    outcome = next((o for o in run_pending(ctx) if o.job_id == job_id), None)
    if outcome is None or outcome.result == "done":
        print("Klart." if outcome else "Arbetet körs så snart det är på tur.")
        return 0
    print(f"Det gick inte nu heller: {sentence(outcome.error or 'okänt fel')} "
          + ("Ett nytt försök görs senare." if outcome.result == "retry" else
             "Arbetet är markerat som misslyckat."), file=sys.stderr)
    return 1
