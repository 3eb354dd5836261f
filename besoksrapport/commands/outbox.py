"""``besoksrapport outbox``: work not done yet (filing, delivery, e-mail) and what failed."""

from __future__ import annotations

import argparse

from ..job_labels import job_label
from ..runtime import command_context
from ..storage import Job
from ..swedish import long_datetime, sentence


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "outbox",
        help="visa arbete som väntar eller har misslyckats (sparande, överföring, e-post)",
        description="Arbete som väntar eller har misslyckats: sparande i sammanträdets mapp, "
                    "överföring till dokumentsystemet och e-post till sekreteraren.",
    )
    parser.set_defaults(func=run)


def _describe(job: Job) -> str:
    return job_label(job.kind, job.payload)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    pending, failed = ctx.storage.pending_jobs(), ctx.storage.failed_jobs()
    if not pending and not failed:
        print("Inget väntar: allt är sparat och skickat.")
        return 0
    for job in pending:
        line = f"Väntar: {_describe(job)}, nästa försök den {long_datetime(job.not_before)}"
        if job.attempts:
            line += f"; försök {job.attempts} misslyckades: {job.last_error or 'okänt fel'}"
        print(sentence(line))
    for job in failed:
        print(f"Misslyckades: {_describe(job)} efter {job.attempts} försök: "
              f"{sentence(job.last_error or 'okänt fel')}")
    return 1 if failed else 0
