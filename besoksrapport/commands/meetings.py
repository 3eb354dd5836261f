"""``besoksrapport meetings``: the coming meetings, their reports and what is still pending."""

from __future__ import annotations

import argparse
import datetime as dt

from ..runtime import command_context
from ..secretary import meetings_overview
from ..swedish import STOCKHOLM, long_date, long_datetime


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "meetings",
        help="list the coming meetings with their number of reports and pending filings",
        description="Kommande sammanträden med antal rapporter och arkiveringar som väntar.",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    today = dt.datetime.now(STOCKHOLM).date()
    rows = [("Sammanträde", "Sista dag för rapporter", "Rapporter", "Att kontrollera",
             "Väntar på arkivering")]
    for item in meetings_overview(ctx, today):
        rows.append((long_date(item.day), long_datetime(item.deadline), str(item.reports),
                     str(item.flagged), str(item.pending_filings)))
    if len(rows) == 1:
        print("Inga kommande sammanträden finns i konfigurationen.")
    else:
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            print("  ".join(cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i])
                            for i, cell in enumerate(row)).rstrip())
    waiting = len(ctx.storage.unassigned_reports())
    if waiting:
        print(f"\n{waiting} rapport(er) väntar på ett sammanträde som inte är inlagt än. "
              "De förs till nästa sammanträde när det läggs in i konfigurationen.")
    refused = len(ctx.storage.quarantined())
    if refused:
        print(f"{refused} inskickad(e) rapport(er) avvisades; se «besoksrapport quarantine».")
    failed = len(ctx.storage.failed_jobs())
    if failed:
        print(f"{failed} arkivering(ar) eller utskick misslyckades; se «besoksrapport outbox».")
    return 0
