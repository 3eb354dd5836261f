"""``besoksrapport outbox``: work not done yet (filing, delivery, e-mail) and what failed."""

from __future__ import annotations

import argparse

from ..runtime import command_context
from ..swedish import long_datetime

KINDS = {
    "process_report": "kontroll av rapport",
    "file_meeting": "arkivering i sammanträdets mapp",
    "deliver_meeting": "överföring till dokumentsystemet",
    "notify_report": "e-post till sekreteraren",
    "notify_digest": "daglig sammanfattning till sekreteraren",
    "notify_recount": "e-post till sekreteraren om ändrad räkning av besök",
}


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "outbox",
        help="list pending and failed work (filing, WebDAV delivery, e-mail)",
        description="Arbete som väntar eller har misslyckats: arkivering, överföring, e-post.",
    )
    parser.set_defaults(func=run)


def _describe(job) -> str:
    what = KINDS.get(job.kind, job.kind)
    about = job.payload.get("meeting_date") or job.payload.get("report_id") or ""
    return f"{what} {about}".strip()


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    pending, failed = ctx.storage.pending_jobs(), ctx.storage.failed_jobs()
    if not pending and not failed:
        print("Inget väntar: allt är arkiverat och skickat.")
        return 0
    for job in pending:
        line = f"Väntar: {_describe(job)}, nästa försök {long_datetime(job.not_before)}"
        if job.attempts:
            line += f" (försök {job.attempts}; senaste fel: {job.last_error})"
        print(line)
    for job in failed:
        print(f"Misslyckades: {_describe(job)} efter {job.attempts} försök: {job.last_error}")
    return 1 if failed else 0
