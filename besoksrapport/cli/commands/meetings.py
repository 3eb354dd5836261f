"""``besoksrapport meetings``: the coming meetings, their reports and what is still pending."""

from __future__ import annotations

import argparse
import datetime as dt

from besoksrapport.runtime import command_context
from besoksrapport.secretary.deadlines import deadline_state
from besoksrapport.secretary.handling import open_refused
from besoksrapport.secretary.overview import meetings_overview
from besoksrapport.secretary.privacy_review import review_lines
from besoksrapport.swedish import STOCKHOLM, long_date, long_datetime, quantity


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "meetings",
        help="visa kommande sammanträden med antal rapporter och det som väntar",
        description="Kommande sammanträden med antal rapporter, antal rapporter att "
                    "kontrollera och hur mycket som väntar på att sparas i sammanträdets mapp "
                    "eller föras över till dokumentsystemet (kolumnen ”Väntar”).",
    )
    parser.set_defaults(func=run)


def run(args: argparse.Namespace) -> int:
    ctx = command_context()
    today = dt.datetime.now(STOCKHOLM).date()
    rows = [("Sammanträde", "Sista tid för rapporter", "Rapporter", "Att kontrollera",
             "Väntar")]
    # «Att kontrollera» counts reports with a flag nobody has marked handled.
    overview = meetings_overview(ctx, today)
    for item in overview:
        rows.append((long_date(item.day), long_datetime(item.deadline), str(item.reports),
                     str(item.flagged), str(item.pending_filings)))
    now = dt.datetime.now(dt.UTC)
    states = [(item.day, deadline_state(ctx.committee, item.day, now).text)
              for item in overview if item.day >= today]
    if len(rows) == 1:
        print("Det finns inga kommande sammanträden i konfigurationen.")
    else:
        widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
        for row in rows:
            print("  ".join(cell.ljust(widths[i]) if i < 2 else cell.rjust(widths[i])
                            for i, cell in enumerate(row)).rstrip())
        if states:
            print("\nSista tiden:")
        for day, text in states:
            print(f"   Den {long_date(day)}: {text}")
    for line in review_lines(ctx, today):
        print(line)
    waiting = len(ctx.storage.unassigned_reports())
    if waiting:
        they = "Den förs" if waiting == 1 else "De förs"
        print(f"\n{quantity(waiting, 'rapport', 'rapporter')} väntar på ett sammanträde som "
              f"inte är inlagt än. {they} till nästa sammanträde när det läggs in i "
              "konfigurationen.")
    refused = open_refused(ctx)
    if refused:
        print(f"{quantity(refused, 'inskickad rapport', 'inskickade rapporter')} avvisades; "
              "se ”besoksrapport quarantine”.")
    failed = len(ctx.storage.failed_jobs())
    if failed:
        print(f"{quantity(failed, 'uppgift', 'uppgifter')} (sparande, överföring eller "
              "e-post) misslyckades; se ”besoksrapport outbox”.")
    return 0
